//! `PUT|POST|PATCH wp-json/wc/v3/orders/{id}`: the order-status write
//! Counterline's outbox sends (channel-apis §4.4), in WordPress's order of
//! checks, applied to the site's ledger and recorded in the write journal.
//!
//! WordPress routes all three methods to the same `update_item`
//! (`WP_REST_Server::EDITABLE`). Order of answers, as the REST server and
//! `WC_REST_CRUD_Controller` run them: authentication errors; a body that
//! is not JSON (`400 rest_invalid_json`); schema validation of `status`
//! (`400 rest_invalid_param`, `rest_invalid_type` / `rest_not_in_enum`);
//! the permission check (`401 woocommerce_rest_cannot_edit`, only for an
//! order that exists); then `update_item`, which answers an unknown id with
//! **`400`** `woocommerce_rest_shop_order_invalid_id` — not 404 as a `GET`
//! does (confirmed in `class-wc-rest-crud-controller.php`).
//!
//! Only `status` is applied; other fields in the body are accepted and
//! ignored. UNCONFIRMED: that a save with no actual change still moves
//! `date_modified` (the sandbox always moves it, which is what a conflict
//! check must cope with anyway).

use std::sync::Arc;
use std::time::SystemTime;

use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::Value;

use super::auth::{authenticate, Caller};
use super::query::list;
use super::replies::{self, Invalid};
use super::shape::{self, ORDER_STATUSES};
use crate::data::clock;
use crate::data::orders::SetStatus;
use crate::locks::{lock, read, write};
use crate::state::Shared;
use crate::writes::{idempotency_key, ReceivedWrite, WriteKind, WritePlatform};

/// The `status` of the body, checked against the order schema's enum.
/// `Ok(None)` when the body has no `status`.
fn status_param(body: &Value) -> Result<Option<&'static str>, Invalid> {
    let Some(value) = body.get("status") else {
        return Ok(None);
    };
    let Some(text) = value.as_str() else {
        return Err(Invalid {
            param: "status".into(),
            code: "rest_invalid_type",
            message: "status is not of type string.".into(),
        });
    };
    match ORDER_STATUSES.iter().find(|s| **s == text) {
        Some(s) => Ok(Some(s)),
        None => Err(Invalid {
            param: "status".into(),
            code: "rest_not_in_enum",
            message: format!("status is not one of {}.", list(ORDER_STATUSES)),
        }),
    }
}

pub(crate) async fn update_order(
    State(shared): State<Arc<Shared>>,
    Path((host, id)): Path<(String, String)>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let Some(site) = shared.woocommerce_site(&host) else {
        return super::routes::no_such_site();
    };
    let caller = match authenticate(site, &headers, query.as_deref()) {
        Ok(c) => c,
        Err(e) => return e.into_response(),
    };
    // A replay answers before anything about the body or the order is
    // checked again: the first attempt may have changed what would pass.
    let key = idempotency_key(&headers);
    let mut journal = lock(&shared.writes);
    if let Some(replay) = journal.replay(WritePlatform::WooCommerce, &site.host, key.as_deref()) {
        let code = StatusCode::from_u16(replay.status).unwrap_or(StatusCode::OK);
        return (code, Json(replay.body)).into_response();
    }
    // An empty body is an update with nothing in it, as WordPress reads it.
    let body: Value = if body.iter().all(u8::is_ascii_whitespace) {
        Value::Object(Default::default())
    } else {
        match serde_json::from_slice(&body) {
            Ok(v) => v,
            Err(_) => {
                return replies::wp_error(
                    StatusCode::BAD_REQUEST,
                    "rest_invalid_json",
                    "Invalid JSON body passed.",
                )
            }
        }
    };
    let status = match status_param(&body) {
        Ok(s) => s,
        Err(invalid) => return replies::invalid_params(&[invalid]),
    };
    let order_id = id.trim().parse::<u64>().ok();
    let exists = order_id.is_some_and(|id| read(&site.ledger).position(id).is_some());
    if caller == Caller::Anonymous && exists {
        return replies::cannot_edit();
    }
    let Some(order_id) = order_id.filter(|_| exists) else {
        return replies::invalid_order_id_on_update();
    };

    let now = clock::now();
    let site_url = site.site_url(&shared.base_url);
    let answer = {
        let mut ledger = write(&site.ledger);
        let Some(position) = ledger.edit(order_id, now, |o| {
            if let Some(s) = status {
                o.set_status = Some(SetStatus::Slug(s));
                // `date_completed` is when the order last became completed.
                if s == "completed" {
                    o.closed_at = Some(now);
                }
            }
        }) else {
            return replies::invalid_order_id_on_update();
        };
        ledger
            .get(position)
            .map(|o| shape::order_json(site, &site_url, o, ledger.refunds(position)))
            .unwrap_or(Value::Null)
    };
    journal.record(
        ReceivedWrite {
            platform: WritePlatform::WooCommerce,
            account: site.host.clone(),
            order_id: order_id.to_string(),
            kind: WriteKind::Status,
            body,
            idempotency_key: key,
            at: SystemTime::now(),
        },
        200,
        &answer,
    );
    Json(answer).into_response()
}
