//! `PUT /v1/companies/{company_id}/orders/{order_id}.json` with
//! `{"status": …}`: the order update Counterline's outbox sends
//! (channel-apis §8), applied to the company's till and recorded in the
//! write journal.
//!
//! Staff move an order the POS received between `SUBMITTED`, `ON_HOLD`
//! and `ACCEPTED`, or `REJECTED` it; the sandbox lets an app do the same.
//! `COMPLETE` (paid) and `PENDING` (on account) are reached at the
//! register, and a complete or rejected order is final: those answer
//! `400`. The same status again is a save that changes only `updated_at`.
//! Other fields in the body are accepted and left alone. What is
//! UNCONFIRMED is listed in `replies`.

use std::sync::Arc;
use std::time::SystemTime;

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::Value;

use super::query::Target;
use super::replies::{bad_request, not_found};
use super::routes::guarded;
use super::shape;
use crate::data::clock;
use crate::data::till::TillStatus;
use crate::locks::{lock, read, write};
use crate::state::Shared;
use crate::writes::{idempotency_key, ReceivedWrite, WriteKind, WritePlatform};

const STATUSES: &[&str] = &["SUBMITTED", "ON_HOLD", "PENDING", "ACCEPTED", "REJECTED", "COMPLETE"];

/// The till status and label for `wanted`, from an order now `current`.
fn change(
    current: &'static str,
    status: TillStatus,
    wanted: &str,
) -> Result<(TillStatus, Option<&'static str>), String> {
    let Some(&wanted) = STATUSES.iter().find(|s| **s == wanted) else {
        return Err(format!("status must be one of {}", STATUSES.join(", ")));
    };
    if wanted == current {
        return Ok((status, None));
    }
    match (current, wanted) {
        ("COMPLETE" | "REJECTED", _) => Err(format!("A {} order can't change status", current.to_lowercase())),
        (_, "COMPLETE") => Err("An order is completed at the register, when it is paid".into()),
        (_, "PENDING") => Err("An order goes on account at the register".into()),
        (_, "REJECTED") => Ok((TillStatus::Voided, None)),
        (_, label) => Ok((status, Some(label))),
    }
}

pub(crate) async fn update_order(
    State(shared): State<Arc<Shared>>,
    Path((company, rest)): Path<(String, String)>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    guarded(&shared, Some(&company), &headers, |c| {
        // A replay answers before anything is checked again.
        let key = idempotency_key(&headers);
        let mut journal = lock(&shared.writes);
        let company_id = c.company_id.to_string();
        if let Some(replay) = journal.replay(WritePlatform::OSeries, &company_id, key.as_deref()) {
            let code = StatusCode::from_u16(replay.status).unwrap_or(StatusCode::OK);
            return (code, Json(replay.body)).into_response();
        }
        let Ok(Target::One(id)) = Target::parse(&rest) else {
            return not_found(&format!("No route for PUT /{rest}"));
        };
        let Some(i) = c.order_index(id).filter(|&i| read(&c.till).sales().get(i as usize).is_some()) else {
            return not_found("Order not found");
        };
        let body: Value = match serde_json::from_slice(&body) {
            Ok(v @ Value::Object(_)) => v,
            _ => return bad_request("The request body must be an order object"),
        };
        let (current, status) = {
            let till = read(&c.till);
            let sale = &till.sales()[i as usize];
            (shape::status(sale, id), sale.status)
        };
        let next = match body.get("status").map(|s| s.as_str().ok_or("status must be a string")) {
            None => Ok((status, None)),
            Some(Err(message)) => Err(message.to_owned()),
            Some(Ok(wanted)) => change(current, status, wanted),
        };
        let (next, label) = match next {
            Ok(n) => n,
            Err(message) => return bad_request(&message),
        };
        let answer = {
            let mut till = write(&c.till);
            // Keep the label shown unless this write set a new one.
            let label = label.or(till.sales()[i as usize].label);
            till.set_status(i, next, if next == TillStatus::Voided { None } else { label }, clock::now());
            shape::order_json(c, &till, i).unwrap_or(Value::Null)
        };
        journal.record(
            ReceivedWrite {
                platform: WritePlatform::OSeries,
                account: company_id,
                order_id: id.to_string(),
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
