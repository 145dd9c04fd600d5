//! Sales channels: list, connect, sync.

use serde::Serialize;
use tauri::AppHandle;
use ts_rs::TS;

use counterline_store::channels;
use counterline_store::model::ChannelView;

use crate::error::IpcError;
use crate::state::CounterlineExt;
use crate::sync_runner;

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ConnectStarted {
    pub attempt_id: String,
    pub authorize_url: String,
}

#[tauri::command]
pub async fn channels_list(app: AppHandle) -> Result<Vec<ChannelView>, IpcError> {
    let mut conn = app.counterline().db.conn().await?;
    Ok(channels::list(&mut conn).await?)
}

/// Opens Shopify's consent page in the system browser; the result arrives
/// later as a `connect-outcome` event when the deep link comes back.
#[tauri::command]
pub async fn shopify_connect_start(app: AppHandle, shop: String) -> Result<ConnectStarted, IpcError> {
    let started = app.counterline().connector.start_shopify(&shop).await?;
    Ok(ConnectStarted { attempt_id: started.attempt_id, authorize_url: started.authorize_url.to_string() })
}

#[tauri::command]
pub async fn channel_sync(app: AppHandle, channel_id: i64) -> Result<(), IpcError> {
    let mut conn = app.counterline().db.conn().await?;
    channels::get(&mut conn, channel_id).await?;
    sync_runner::start(&app, channel_id);
    Ok(())
}
