//! Deep links arrive here, whether the OS started Counterline with the URL or
//! forwarded it from a second launch (single-instance). Every URL is treated
//! as untrusted: the connector verifies it fully, and the outcome goes to the
//! UI as a `connect-outcome` event. A successful connect starts the backfill.

use tauri::{AppHandle, Emitter};
use url::Url;

use crate::error::IpcError;
use crate::events::{ConnectOutcome, CONNECT_OUTCOME};
use crate::state::CounterlineExt;
use crate::sync_runner;

pub fn handle(app: &AppHandle, urls: Vec<Url>) {
    for url in urls {
        let app = app.clone();
        tauri::async_runtime::spawn(async move {
            let outcome = match app.counterline().connector.complete(url.as_str()).await {
                Ok(connected) => {
                    sync_runner::start(&app, connected.channel.id);
                    ConnectOutcome { attempt_id: Some(connected.attempt_id), channel: Some(connected.channel), error: None }
                }
                Err(failed) => {
                    // Log the problem, never the URL: it carries the one-time code.
                    tracing::warn!(error = %failed.error, "rejected a sign-in callback");
                    ConnectOutcome { attempt_id: failed.attempt_id, channel: None, error: Some(IpcError::from(failed.error)) }
                }
            };
            let _ = app.emit(CONNECT_OUTCOME, outcome);
        });
    }
}
