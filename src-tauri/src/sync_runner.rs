//! Connects the sync engine to the window: its progress and results become
//! `sync-progress` events. The engine itself (scheduling, one run per
//! channel, back-off) lives in `counterline-sync`, shared with the CLI.

use std::sync::Arc;

use tauri::{AppHandle, Emitter};

use counterline_channels::connect::Connector;
use counterline_store::Db;
use counterline_sync::engine::{Engine, SyncEvent};

use crate::error::IpcError;
use crate::events::{SyncProgress, SYNC_PROGRESS};

/// How often the scheduler looks for channels whose auto-sync interval elapsed.
pub const SCHEDULER_TICK: std::time::Duration = std::time::Duration::from_secs(30);
/// How often the outbox is checked for changes due to be sent.
pub const PUSH_TICK: std::time::Duration = std::time::Duration::from_secs(5);

pub fn engine(app: &AppHandle, db: Db, connector: Arc<Connector>) -> Engine {
    let app = app.clone();
    Engine::new(db, connector, move |event| {
        let progress = match event {
            SyncEvent::Progress { channel_id, progress } => SyncProgress {
                channel_id,
                pages: progress.pages,
                orders: progress.orders,
                new_orders: progress.new_orders,
                updated_orders: progress.updated_orders,
                done: progress.done,
                expected_pages: progress.expected_pages,
                eta_ms: progress.eta_ms,
                error: None,
            },
            // Success was already reported by the last progress event.
            SyncEvent::Finished { result: Ok(_), .. } => return,
            SyncEvent::Finished { channel_id, result: Err(error) } => {
                SyncProgress {
                    channel_id,
                    pages: 0,
                    orders: 0,
                    new_orders: 0,
                    updated_orders: 0,
                    done: true,
                    expected_pages: None,
                    eta_ms: None,
                    error: Some(IpcError::from(error)),
                }
            }
        };
        let _ = app.emit(SYNC_PROGRESS, progress);
    })
}
