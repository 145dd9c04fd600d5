//! Payloads the backend pushes to the UI. Names are the event names.

use serde::Serialize;
use ts_rs::TS;

use counterline_store::model::ChannelView;

use crate::error::IpcError;

pub const CONNECT_OUTCOME: &str = "connect-outcome";
pub const SYNC_PROGRESS: &str = "sync-progress";

/// A browser sign-in came back through the deep link: either a channel or an
/// error. `attemptId` is null when the link matched no attempt (forged,
/// replayed or stale) — the UI shows that anywhere, not only in the wizard.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ConnectOutcome {
    pub attempt_id: Option<String>,
    pub channel: Option<ChannelView>,
    pub error: Option<IpcError>,
}

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct SyncProgress {
    #[ts(type = "number")]
    pub channel_id: i64,
    #[ts(type = "number")]
    pub pages: u64,
    /// Orders read so far, whether new, changed or already here as they are.
    #[ts(type = "number")]
    pub orders: u64,
    /// Of those, the ones stored for the first time.
    #[ts(type = "number")]
    pub new_orders: u64,
    /// Of those, the ones that had changed since the last sync.
    #[ts(type = "number")]
    pub updated_orders: u64,
    pub done: bool,
    /// The import's length in pages, when the platform says (else the bar is indeterminate).
    #[ts(type = "number | null")]
    pub expected_pages: Option<u64>,
    /// Estimated time left in ms, from the pace so far.
    #[ts(type = "number | null")]
    pub eta_ms: Option<u64>,
    pub error: Option<IpcError>,
}
