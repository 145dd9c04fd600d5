//! Runs a channel's order pull in the background and reports progress to the
//! UI as `sync-progress` events. At most one run per channel at a time.

use tauri::{AppHandle, Emitter};

use counterline_store::channels;

use crate::error::IpcError;
use crate::events::{SyncProgress, SYNC_PROGRESS};
use crate::state::CounterlineExt;

/// How often the scheduler looks for channels whose auto-sync interval elapsed.
const SCHEDULER_TICK: std::time::Duration = std::time::Duration::from_secs(30);

/// Runs for the app's lifetime: each tick, starts a pull for every channel
/// that is due per its auto-sync setting (paused and disconnected channels
/// never are). `start` keeps it to one run per channel.
pub fn spawn_scheduler(app: &AppHandle) {
    let app = app.clone();
    tauri::async_runtime::spawn(async move {
        let mut tick = tokio::time::interval(SCHEDULER_TICK);
        loop {
            tick.tick().await;
            let due = async {
                let mut conn = app.counterline().db.conn().await?;
                channels::due_for_auto_sync(&mut conn, counterline_store::now_ms()).await
            };
            match due.await {
                Ok(ids) => ids.into_iter().for_each(|id| start(&app, id)),
                Err(error) => tracing::warn!(%error, "auto-sync check failed"),
            }
        }
    });
}

/// Starts a pull unless one is already running for this channel.
pub fn start(app: &AppHandle, channel_id: i64) {
    let newly_started = app
        .counterline()
        .syncing
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .insert(channel_id);
    if !newly_started {
        return;
    }
    let app = app.clone();
    tauri::async_runtime::spawn(async move {
        let result = run(&app, channel_id).await;
        app.counterline().syncing.lock().unwrap_or_else(|p| p.into_inner()).remove(&channel_id);
        if let Err(error) = result {
            tracing::warn!(channel_id, %error, "sync failed");
            let _ = app.emit(
                SYNC_PROGRESS,
                SyncProgress { channel_id, pages: 0, orders: 0, done: true, error: Some(error) },
            );
        }
    });
}

async fn run(app: &AppHandle, channel_id: i64) -> Result<(), IpcError> {
    let state = app.counterline();
    let channel = {
        let mut conn = state.db.conn().await?;
        channels::get(&mut conn, channel_id).await?
    };
    let source = state.connector.source(&channel).await?;
    let emitter = app.clone();
    counterline_sync::pull_orders(&state.db, channel_id, &source, move |p| {
        let _ = emitter.emit(
            SYNC_PROGRESS,
            SyncProgress { channel_id, pages: p.pages, orders: p.orders, done: p.done, error: None },
        );
    })
    .await?;
    Ok(())
}
