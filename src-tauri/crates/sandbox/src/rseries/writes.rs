//! `PUT API/V3/Account/{accountID}/Sale/{saleID}.json`: the sale update
//! Counterline's outbox sends to void a sale (channel-apis §6), applied to
//! the account's till and recorded in the write journal.
//!
//! Only `voided` is applied (V3 writes every value as a string, so
//! `"true"`; a JSON `true` is read the same); other fields are accepted
//! and left alone. An open sale (parked, a layaway) can be voided; a
//! completed one is refunded rather than voided, and a voided one stays
//! voided; both answer `400`. Asking for what the sale already is saves it
//! unchanged but for its `timeStamp`. What is UNCONFIRMED is listed in
//! `replies`.

use std::sync::Arc;
use std::time::SystemTime;

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::Value;

use super::bucket::WRITE_COST;
use super::query::Relations;
use super::replies::{bad_request, not_found};
use super::routes::{guarded_at, id_of, single};
use super::shape::{self, completed};
use crate::data::clock;
use crate::data::till::TillStatus;
use crate::locks::{lock, read, write};
use crate::state::Shared;
use crate::writes::{idempotency_key, ReceivedWrite, WriteKind, WritePlatform};

/// Scopes that may change sales (UNCONFIRMED, see `replies`).
const WRITE_SCOPES: &[&str] = &["employee:all", "employee:register"];

/// `"true"` / `true` → Some(true); absent → None; anything else is refused.
fn flag(value: &Value) -> Result<Option<bool>, String> {
    match value {
        Value::Null => Ok(None),
        Value::Bool(b) => Ok(Some(*b)),
        Value::String(s) if s == "true" => Ok(Some(true)),
        Value::String(s) if s == "false" => Ok(Some(false)),
        _ => Err("voided must be \"true\" or \"false\"".into()),
    }
}

/// The till status the update asks for, or why the sale can't take it.
fn change(status: TillStatus, voided: Option<bool>) -> Result<TillStatus, &'static str> {
    match voided {
        None => Ok(status),
        Some(v) if v == (status == TillStatus::Voided) => Ok(status),
        Some(false) => Err("A voided sale can't be reopened."),
        Some(true) if completed(status) => Err("A completed sale can't be voided; refund it instead."),
        Some(true) => Ok(TillStatus::Voided),
    }
}

pub(crate) async fn update_sale(
    State(shared): State<Arc<Shared>>,
    Path((account, file)): Path<(String, String)>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    guarded_at(WRITE_COST, &shared, Some(&account), &headers, WRITE_SCOPES, |a| {
        // A replay answers before anything is checked again.
        let key = idempotency_key(&headers);
        let mut journal = lock(&shared.writes);
        let account_id = a.account_id.to_string();
        if let Some(replay) = journal.replay(WritePlatform::RSeries, &account_id, key.as_deref()) {
            let code = StatusCode::from_u16(replay.status).unwrap_or(StatusCode::OK);
            return (code, Json(replay.body)).into_response();
        }
        let found = id_of(&file).and_then(|id| u32::try_from(id.checked_sub(1)?).ok());
        let Some(i) = found.filter(|&i| read(&a.till).sales().get(i as usize).is_some()) else {
            return not_found("Sale not found.");
        };
        let body: Value = match serde_json::from_slice(&body) {
            Ok(v @ Value::Object(_)) => v,
            _ => return bad_request("The request body must be a Sale object."),
        };
        let voided = match flag(&body["voided"]) {
            Ok(v) => v,
            Err(message) => return bad_request(&message),
        };
        let current = read(&a.till).sales()[i as usize].status;
        let next = match change(current, voided) {
            Ok(s) => s,
            Err(message) => return bad_request(message),
        };
        let record = {
            let mut till = write(&a.till);
            till.set_status(i, next, None, clock::now());
            shape::sale_json(a, &till, i, &Relations::default()).unwrap_or(Value::Null)
        };
        let answer = serde_json::json!({"@attributes": {"count": "1"}, "Sale": record.clone()});
        journal.record(
            ReceivedWrite {
                platform: WritePlatform::RSeries,
                account: account_id,
                order_id: a.sale_id(i).to_string(),
                kind: WriteKind::Status,
                body,
                idempotency_key: key,
                at: SystemTime::now(),
            },
            200,
            &answer,
        );
        single("Sale", record)
    })
}
