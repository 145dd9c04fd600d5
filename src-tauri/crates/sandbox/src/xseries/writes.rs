//! `PUT api/2026-07/sales/{id}` (`sales:write`): the sale update
//! Counterline's outbox sends to void a sale (channel-apis §5.5), applied
//! to the retailer's till and recorded in the write journal.
//!
//! The update replaces the sale: its body carries the sale's editable
//! attributes with the required `state` and `source`, and every line the
//! sale keeps (a line left out would be deleted, so the sandbox refuses
//! such a body rather than guess). Only the move to `voided` is applied;
//! the same state again is a save that changes nothing but the version.
//! Closing or parking a sale needs its payments and lines rung up, which
//! the sandbox does not model, so those answer `400`. A voided sale is
//! final, and a sale with returns can't be voided (void the returns
//! first). What is UNCONFIRMED is listed in `replies`.

use std::collections::HashSet;
use std::sync::Arc;
use std::time::SystemTime;

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::{json, Value};

use super::replies::{bad_request, not_found};
use super::routes::guarded;
use super::{shape, Retailer};
use crate::data::clock;
use crate::data::till::TillStatus;
use crate::locks::{lock, read, write};
use crate::state::Shared;
use crate::writes::{idempotency_key, ReceivedWrite, WriteKind, WritePlatform};

/// The dated API version the update lives in (the 2.0 API has none).
pub(crate) const API: &str = "api/2026-07";

/// The values `state` takes.
const STATES: &[&str] = &["parked", "pending", "closed", "voided"];

/// The till index of the sale with UUID `id`.
pub(crate) fn sale_index(r: &Retailer, id: &str) -> Option<u32> {
    let count = read(&r.till).sales().len();
    (0..count)
        .filter_map(|i| u32::try_from(i).ok())
        .find(|&i| shape::sale_id(r, i) == id.trim())
}

/// Why `body` can't update sale `i`, or the till status it asks for.
fn change(r: &Retailer, i: u32, body: &Value) -> Result<TillStatus, String> {
    let state = match body["state"].as_str() {
        Some(s) if STATES.contains(&s) => s,
        Some(s) => return Err(format!("state {s:?} is not one of {}", STATES.join(", "))),
        None => return Err("state is required".into()),
    };
    if !body["source"].is_object() {
        return Err("source is required".into());
    }
    let till = read(&r.till);
    let sale = till.sales().get(i as usize).ok_or("Not found")?;
    let current = shape::sale_json(r, &till, i).unwrap_or(Value::Null);
    let sent: HashSet<&str> = body["line_items"]
        .as_array()
        .map(Vec::as_slice)
        .unwrap_or_default()
        .iter()
        .filter_map(|l| l["id"].as_str())
        .collect();
    let kept = current["line_items"]
        .as_array()
        .map(Vec::as_slice)
        .unwrap_or_default()
        .iter()
        .filter_map(|l| l["id"].as_str())
        .all(|id| sent.contains(id));
    if !kept {
        return Err("line_items must list every line of the sale; a line left out would be deleted".into());
    }
    let (_, now, _, _) = shape::status_fields(sale.status);
    match (sale.status, state) {
        (status, s) if s == now => Ok(status),
        (TillStatus::Voided, _) => Err("A voided sale can't be changed".into()),
        (_, "voided") if !sale.returns.is_empty() => {
            Err("A sale with returns can't be voided; void its returns first".into())
        }
        (_, "voided") => Ok(TillStatus::Voided),
        (_, s) => Err(format!("A {now} sale can't be moved to {s} without ringing it up at the register")),
    }
}

pub(crate) async fn update_sale(
    State(shared): State<Arc<Shared>>,
    Path((prefix, id)): Path<(String, String)>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    guarded(&shared, &prefix, &headers, Some("sales:write"), |r| {
        // A replay answers before anything is checked again: the first
        // attempt may have changed what would pass.
        let key = idempotency_key(&headers);
        let mut journal = lock(&shared.writes);
        if let Some(replay) = journal.replay(WritePlatform::XSeries, &r.domain_prefix, key.as_deref()) {
            let code = StatusCode::from_u16(replay.status).unwrap_or(StatusCode::OK);
            return (code, Json(replay.body)).into_response();
        }
        let Some(i) = sale_index(r, &id) else {
            return not_found();
        };
        let body: Value = match serde_json::from_slice(&body) {
            Ok(v @ Value::Object(_)) => v,
            _ => return bad_request("The request body must be a sale object"),
        };
        let status = match change(r, i, &body) {
            Ok(s) => s,
            Err(message) => return bad_request(&message),
        };
        let answer = {
            let mut till = write(&r.till);
            till.set_status(i, status, None, clock::now());
            json!({ "data": shape::sale_json(r, &till, i) })
        };
        journal.record(
            ReceivedWrite {
                platform: WritePlatform::XSeries,
                account: r.domain_prefix.clone(),
                order_id: shape::sale_id(r, i),
                kind: WriteKind::Status,
                body,
                idempotency_key: key,
                at: SystemTime::now(),
            },
            200,
            &answer,
        );
        Json(answer).into_response()
    })
}
