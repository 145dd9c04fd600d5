//! The orders workspace: the filtered, sorted list and its count, one
//! order in full, status changes and shipments, and the CSV export.

use std::path::PathBuf;

use tauri::{AppHandle, Manager};

use counterline_store::fulfillment::{self, ShipmentRequest};
use counterline_store::model::OrderStatus;
use counterline_store::order_csv::{self, CsvExport};
use counterline_store::order_detail::{self, OrderDetail};
use counterline_store::order_list::{self, OrderCount, OrderFilter, OrderQuery, OrderSort, OrdersPage};
use counterline_store::{now_ms, workflow};

use crate::error::{ErrorCode, IpcError};
use crate::state::CounterlineExt;

#[tauri::command]
pub async fn orders_page(app: AppHandle, query: OrderQuery) -> Result<OrdersPage, IpcError> {
    Ok(order_list::page(&mut *app.counterline().db.conn().await?, &query).await?)
}

#[tauri::command]
pub async fn orders_count(app: AppHandle, filter: OrderFilter) -> Result<OrderCount, IpcError> {
    Ok(order_list::count(&mut *app.counterline().db.conn().await?, &filter).await?)
}

#[tauri::command]
pub async fn order_detail(app: AppHandle, order_id: i64) -> Result<OrderDetail, IpcError> {
    Ok(order_detail::detail(&mut *app.counterline().db.conn().await?, order_id).await?)
}

/// Any workflow step except Shipped (that is `order_ship`), queued for the
/// order's channel in one transaction with its history line.
#[tauri::command]
pub async fn order_set_status(app: AppHandle, order_id: i64, status: OrderStatus) -> Result<(), IpcError> {
    let mut tx = app.counterline().db.begin().await?;
    workflow::set_status(&mut tx, order_id, status).await?;
    tx.commit().await.map_err(counterline_store::Error::from)?;
    Ok(())
}

/// Ships some or all units from one location; answers with the order as it
/// is now, so the page shows the shipment at once.
#[tauri::command]
pub async fn order_ship(app: AppHandle, request: ShipmentRequest) -> Result<OrderDetail, IpcError> {
    let db = &app.counterline().db;
    let mut tx = db.begin().await?;
    fulfillment::ship(&mut tx, &request).await?;
    tx.commit().await.map_err(counterline_store::Error::from)?;
    Ok(order_detail::detail(&mut *db.conn().await?, request.order_id).await?)
}

/// The list as it is filtered and sorted, as a CSV file in Downloads
/// (`COUNTERLINE_EXPORT_DIR` instead, for tests).
#[tauri::command]
pub async fn orders_export_csv(app: AppHandle, filter: OrderFilter, sort: OrderSort) -> Result<CsvExport, IpcError> {
    let dir = match std::env::var_os("COUNTERLINE_EXPORT_DIR") {
        Some(dir) => PathBuf::from(dir),
        None => app
            .path()
            .download_dir()
            .map_err(|_| IpcError::new(ErrorCode::Internal, "Counterline can't find your Downloads folder."))?,
    };
    let mut conn = app.counterline().db.conn().await?;
    Ok(order_csv::export_to_dir(&mut conn, &filter, sort, &dir, now_ms()).await?)
}
