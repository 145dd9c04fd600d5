//! Members: list, profile, create/edit/delete, credit adjustments, CSV
//! import and export, and the orders no member owns.

use tauri::AppHandle;

use counterline_loyalty::model::{
    ImportPreview, ImportResult, LedgerEntry, MemberInput, MemberOrdersPage, MemberProfile, MemberQuery, MembersPage,
    UnmatchedPage, UnmatchedQuery, UnmatchedSummary,
};
use counterline_loyalty::{import, members, unmatched};

use crate::error::IpcError;
use crate::state::CounterlineExt;

#[tauri::command]
pub async fn members_list(app: AppHandle, query: MemberQuery) -> Result<MembersPage, IpcError> {
    let mut conn = app.counterline().db.conn().await?;
    Ok(members::list(&mut conn, &query).await?)
}

#[tauri::command]
pub async fn member_get(app: AppHandle, id: i64) -> Result<MemberProfile, IpcError> {
    let mut conn = app.counterline().db.conn().await?;
    Ok(members::profile(&mut conn, id).await?)
}

#[tauri::command]
pub async fn member_orders(app: AppHandle, id: i64, after: Option<String>, limit: u32) -> Result<MemberOrdersPage, IpcError> {
    let mut conn = app.counterline().db.conn().await?;
    Ok(members::orders(&mut conn, id, after.as_deref(), limit).await?)
}

/// Adds a member; their existing orders are matched before this returns.
#[tauri::command]
pub async fn member_create(app: AppHandle, input: MemberInput) -> Result<MemberProfile, IpcError> {
    let mut tx = app.counterline().db.begin().await?;
    let id = members::create(&mut tx, &input).await?;
    let profile = members::profile(&mut tx, id).await?;
    tx.commit().await.map_err(counterline_store::Error::from)?;
    Ok(profile)
}

/// Edits a member; a new email re-matches their orders.
#[tauri::command]
pub async fn member_update(app: AppHandle, id: i64, input: MemberInput) -> Result<MemberProfile, IpcError> {
    let mut tx = app.counterline().db.begin().await?;
    members::update(&mut tx, id, &input).await?;
    let profile = members::profile(&mut tx, id).await?;
    tx.commit().await.map_err(counterline_store::Error::from)?;
    Ok(profile)
}

/// Deletes a member; their orders stay and become unmatched.
#[tauri::command]
pub async fn member_delete(app: AppHandle, id: i64) -> Result<(), IpcError> {
    let mut conn = app.counterline().db.conn().await?;
    Ok(members::delete(&mut conn, id).await?)
}

#[tauri::command]
pub async fn member_adjust_credit(app: AppHandle, id: i64, amount_minor: i64, reason: String) -> Result<LedgerEntry, IpcError> {
    let mut tx = app.counterline().db.begin().await?;
    let entry = members::adjust_credit(&mut tx, id, amount_minor, &reason).await?;
    tx.commit().await.map_err(counterline_store::Error::from)?;
    Ok(entry)
}

/// What importing the CSV would do; changes nothing.
#[tauri::command]
pub async fn members_import_preview(app: AppHandle, csv: String) -> Result<ImportPreview, IpcError> {
    let mut conn = app.counterline().db.conn().await?;
    Ok(import::preview_members(&mut conn, &csv).await?)
}

/// Imports the CSV, all or nothing.
#[tauri::command]
pub async fn members_import(app: AppHandle, csv: String) -> Result<ImportResult, IpcError> {
    let mut tx = app.counterline().db.begin().await?;
    let result = import::import_members(&mut tx, &csv).await?;
    tx.commit().await.map_err(counterline_store::Error::from)?;
    Ok(result)
}

#[tauri::command]
pub async fn members_export(app: AppHandle) -> Result<String, IpcError> {
    let mut conn = app.counterline().db.conn().await?;
    Ok(import::export_members(&mut conn).await?)
}

#[tauri::command]
pub async fn unmatched_orders(app: AppHandle, query: UnmatchedQuery) -> Result<UnmatchedPage, IpcError> {
    let mut conn = app.counterline().db.conn().await?;
    Ok(unmatched::page(&mut conn, &query).await?)
}

#[tauri::command]
pub async fn unmatched_summary(app: AppHandle, channel_id: Option<i64>) -> Result<UnmatchedSummary, IpcError> {
    let mut conn = app.counterline().db.conn().await?;
    Ok(unmatched::summary(&mut conn, channel_id).await?)
}
