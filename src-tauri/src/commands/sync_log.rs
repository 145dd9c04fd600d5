//! The sync log: runs and failed items, read from SQLite, and Retry for a
//! failed item.

use tauri::AppHandle;

use counterline_store::channels;
use counterline_store::model::{ChannelStatus, FailureFilter, RunFilter, SyncFailure, SyncRun};
use counterline_store::sync_log;

use crate::error::{ErrorCode, IpcError};
use crate::state::CounterlineExt;
use counterline_sync::engine::Trigger;

#[tauri::command]
pub async fn sync_runs(app: AppHandle, filter: RunFilter) -> Result<Vec<SyncRun>, IpcError> {
    let mut conn = app.counterline().db.conn().await?;
    Ok(sync_log::list_runs(&mut conn, &filter).await?)
}

#[tauri::command]
pub async fn sync_failures(app: AppHandle, filter: FailureFilter) -> Result<Vec<SyncFailure>, IpcError> {
    let mut conn = app.counterline().db.conn().await?;
    Ok(sync_log::list_failures(&mut conn, &filter).await?)
}

/// Starts a sync of the failed item's channel in the background; progress
/// arrives as `sync-progress` events, and a successful run resolves the
/// channel's open failures. Refused, with what to do instead, when the
/// channel is paused or disconnected.
#[tauri::command]
pub async fn sync_failure_retry(app: AppHandle, id: i64) -> Result<SyncFailure, IpcError> {
    let mut conn = app.counterline().db.conn().await?;
    let failure = sync_log::get_failure(&mut conn, id).await?;
    let connected = channels::list(&mut conn).await?.into_iter().find(|c| c.id == failure.channel_id);
    match connected {
        None => Err(IpcError::new(
            ErrorCode::InvalidInput,
            format!("{} is disconnected. Connect it again to retry its failed items.", failure.channel_name),
        )),
        Some(channel) if channel.status == ChannelStatus::Paused => Err(IpcError::new(
            ErrorCode::InvalidInput,
            format!("Syncing {} is paused. Resume it to retry this item.", channel.name),
        )),
        Some(_) => {
            app.counterline().engine.start_from(failure.channel_id, Trigger::Retry, failure.retry_from_ms);
            Ok(failure)
        }
    }
}
