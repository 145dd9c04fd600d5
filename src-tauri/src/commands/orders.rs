//! The unified orders list, read page by page from SQLite.

use tauri::AppHandle;

use counterline_store::model::{OrderQuery, OrdersPage};
use counterline_store::orders;

use crate::error::IpcError;
use crate::state::CounterlineExt;

#[tauri::command]
pub async fn orders_page(app: AppHandle, query: OrderQuery) -> Result<OrdersPage, IpcError> {
    let mut conn = app.counterline().db.conn().await?;
    Ok(orders::page(&mut conn, &query).await?)
}
