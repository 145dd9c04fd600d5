//! Locations (warehouses and shops) and the stock on hand at each, which
//! shipments take units from.

use tauri::AppHandle;

use counterline_store::locations::{self, Location, LocationKind, StockLevel};

use crate::error::IpcError;
use crate::state::CounterlineExt;

#[tauri::command]
pub async fn locations_list(app: AppHandle) -> Result<Vec<Location>, IpcError> {
    Ok(locations::list(&mut *app.counterline().db.conn().await?).await?)
}

/// Adds a location (`id` null) or renames / retypes one.
#[tauri::command]
pub async fn location_save(app: AppHandle, id: Option<i64>, name: String, kind: LocationKind) -> Result<Location, IpcError> {
    Ok(locations::save(&mut *app.counterline().db.conn().await?, id, &name, kind).await?)
}

#[tauri::command]
pub async fn stock_levels(app: AppHandle, location_id: i64, skus: Vec<String>) -> Result<Vec<StockLevel>, IpcError> {
    Ok(locations::stock_levels(&mut *app.counterline().db.conn().await?, location_id, &skus).await?)
}

#[tauri::command]
pub async fn stock_set(app: AppHandle, location_id: i64, sku: String, on_hand: i64) -> Result<(), IpcError> {
    Ok(locations::set_stock(&mut *app.counterline().db.conn().await?, location_id, &sku, on_hand).await?)
}
