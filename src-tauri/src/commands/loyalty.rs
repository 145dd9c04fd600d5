//! Loyalty rules (settings, SKU categories), RFM recompute and insights.

use tauri::AppHandle;

use counterline_loyalty::model::{ImportResult, Insights, InsightsQuery, RfmSummary, SkuCategory};
use counterline_loyalty::{apply, import, insights, rfm, settings, LoyaltySettings};
use counterline_store::now_ms;

use crate::error::IpcError;
use crate::state::CounterlineExt;

#[tauri::command]
pub async fn loyalty_settings_get(app: AppHandle) -> Result<LoyaltySettings, IpcError> {
    let mut conn = app.counterline().db.conn().await?;
    Ok(settings::load(&mut conn).await?)
}

/// Saves the rules and recomputes every member and the segments with them,
/// in one transaction: bad settings change nothing.
#[tauri::command]
pub async fn loyalty_settings_save(app: AppHandle, settings: LoyaltySettings) -> Result<LoyaltySettings, IpcError> {
    let mut tx = app.counterline().db.begin().await?;
    let saved = settings.validated(&settings::load(&mut tx).await?)?;
    settings::store(&mut tx, &saved).await?;
    apply::recompute_all(&mut tx).await?;
    rfm::recompute(&mut tx, now_ms()).await?;
    tx.commit().await.map_err(counterline_store::Error::from)?;
    Ok(saved)
}

#[tauri::command]
pub async fn sku_categories_list(app: AppHandle) -> Result<Vec<SkuCategory>, IpcError> {
    let mut conn = app.counterline().db.conn().await?;
    Ok(import::categories(&mut conn).await?)
}

#[tauri::command]
pub async fn loyalty_categories(app: AppHandle) -> Result<Vec<String>, IpcError> {
    let mut conn = app.counterline().db.conn().await?;
    Ok(import::category_names(&mut conn).await?)
}

#[tauri::command]
pub async fn sku_category_set(app: AppHandle, sku: String, category: Option<String>) -> Result<(), IpcError> {
    let mut tx = app.counterline().db.begin().await?;
    import::set_category(&mut tx, &sku, category.as_deref()).await?;
    tx.commit().await.map_err(counterline_store::Error::from)?;
    Ok(())
}

#[tauri::command]
pub async fn sku_categories_import(app: AppHandle, csv: String) -> Result<ImportResult, IpcError> {
    let mut tx = app.counterline().db.begin().await?;
    let result = import::import_categories(&mut tx, &csv).await?;
    tx.commit().await.map_err(counterline_store::Error::from)?;
    Ok(result)
}

#[tauri::command]
pub async fn rfm_recompute(app: AppHandle) -> Result<RfmSummary, IpcError> {
    let mut tx = app.counterline().db.begin().await?;
    let summary = rfm::recompute(&mut tx, now_ms()).await?;
    tx.commit().await.map_err(counterline_store::Error::from)?;
    Ok(summary)
}

#[tauri::command]
pub async fn loyalty_insights(app: AppHandle, query: InsightsQuery) -> Result<Insights, IpcError> {
    let mut conn = app.counterline().db.conn().await?;
    Ok(insights::insights(&mut conn, &query).await?)
}
