//! Deep links arrive here, whether the OS started Counterline with the URL or
//! forwarded it from a second launch (single-instance). Every URL is treated
//! as untrusted: the connector verifies it fully, and the outcome goes to the
//! UI as a `connect-outcome` event. A successful connect starts the backfill.
//! Sign-ins that use a loopback redirect come back through the same path.

use tauri::{AppHandle, Emitter};
use url::Url;

use counterline_channels::connect::{Connected, Failed, ATTEMPT_TTL_MS};
use counterline_channels::loopback::Pending;

use crate::error::IpcError;
use crate::events::{ConnectOutcome, CONNECT_OUTCOME};
use crate::state::CounterlineExt;
use counterline_sync::engine::Trigger;

pub fn handle(app: &AppHandle, urls: Vec<Url>) {
    for url in urls {
        let app = app.clone();
        tauri::async_runtime::spawn(async move {
            let result = app.counterline().connector.complete(url.as_str()).await;
            report(&app, result);
        });
    }
}

/// A sign-in that used a loopback redirect: waits for the browser to come
/// back to the listener, then completes it like a deep link.
pub fn await_loopback(app: &AppHandle, pending: Pending) {
    let app = app.clone();
    tauri::async_runtime::spawn(async move {
        let within = std::time::Duration::from_millis(ATTEMPT_TTL_MS as u64);
        let result = match pending.wait(within).await {
            Ok((params, redirect)) => app.counterline().connector.complete_loopback(&params, redirect).await,
            Err(problem) => Err(Failed { attempt_id: None, error: counterline_channels::Error::Callback(problem) }),
        };
        report(&app, result);
    });
}

/// Tells the UI how a sign-in ended; a new channel starts its import.
fn report(app: &AppHandle, result: Result<Connected, Failed>) {
    let outcome = match result {
        Ok(connected) => {
            app.counterline().engine.start(connected.channel.id, Trigger::Connect);
            ConnectOutcome { attempt_id: Some(connected.attempt_id), channel: Some(connected.channel), error: None }
        }
        Err(failed) => {
            // Log the problem, never the URL: it carries the one-time code.
            tracing::warn!(error = %failed.error, "rejected a sign-in callback");
            ConnectOutcome { attempt_id: failed.attempt_id, channel: None, error: Some(IpcError::from(failed.error)) }
        }
    };
    let _ = app.emit(CONNECT_OUTCOME, outcome);
}
