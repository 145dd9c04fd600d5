//! Test control over HTTP, for a sandbox living inside another process: the
//! app's demo mode, driven by the end-to-end test, which can't call
//! [`crate::Sandbox`] methods across the process boundary. It reads the
//! writes the platforms accepted, takes the whole host off the network for a
//! set time, and refunds a Shopify order the way a live admin edit does.
//! Nothing here plays a platform: the routes live under `/_sandbox/`, beside
//! the sandbox's other introspection pages, and no client of a real platform
//! ever calls them.

use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::{Duration, UNIX_EPOCH};

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{json, Value};

use crate::data::clock;
use crate::locks::{lock, write};
use crate::state::Shared;
use crate::writes::{ReceivedWrite, WriteKind, WritePlatform};

/// An outage longer than this is a mistake in the test, not a scenario.
const MAX_OFFLINE: Duration = Duration::from_secs(600);
/// The outage starts this long after the answer, so the answer itself gets
/// out: the offline switch breaks open connections too.
const OFFLINE_DELAY: Duration = Duration::from_millis(200);

pub(crate) fn router() -> Router<Arc<Shared>> {
    Router::new()
        .route("/_sandbox/control/writes", get(writes))
        .route("/_sandbox/control/offline", post(offline))
        .route("/_sandbox/shopify/{shop}/orders/{id}/refund", post(shopify_refund))
}

fn write_json(write: &ReceivedWrite) -> Value {
    let platform = match write.platform {
        WritePlatform::Shopify => "shopify",
        WritePlatform::BigCommerce => "bigcommerce",
        WritePlatform::WooCommerce => "woocommerce",
        WritePlatform::XSeries => "xseries",
        WritePlatform::RSeries => "rseries",
        WritePlatform::OSeries => "oseries",
    };
    let kind = match write.kind {
        WriteKind::Status => "status",
        WriteKind::Shipment => "shipment",
        WriteKind::Fulfillment => "fulfillment",
        WriteKind::Cancel => "cancel",
    };
    let at_ms = write
        .at
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_millis() as u64)
        .unwrap_or(0);
    json!({
        "platform": platform,
        "account": write.account,
        "orderId": write.order_id,
        "kind": kind,
        "body": write.body,
        "atMs": at_ms,
    })
}

/// Every write the platforms accepted and applied, oldest first, as
/// [`crate::Sandbox::received_writes`] returns them.
async fn writes(State(shared): State<Arc<Shared>>) -> Json<Value> {
    let received = lock(&shared.writes).received();
    Json(Value::Array(received.iter().map(write_json).collect()))
}

#[derive(Deserialize)]
struct OfflineParams {
    seconds: u64,
}

/// `POST /_sandbox/control/offline?seconds=N`: the host goes offline a
/// moment after this answer and comes back by itself after N seconds. It
/// can't be ended early over HTTP: while offline, no request gets in.
async fn offline(
    State(shared): State<Arc<Shared>>,
    Query(params): Query<OfflineParams>,
) -> Response {
    let length = Duration::from_secs(params.seconds);
    if length.is_zero() || length > MAX_OFFLINE {
        let message = format!("seconds must be 1 to {}", MAX_OFFLINE.as_secs());
        return (StatusCode::BAD_REQUEST, Json(json!({ "error": message }))).into_response();
    }
    let switch = shared.faults.offline.clone();
    tokio::spawn(async move {
        tokio::time::sleep(OFFLINE_DELAY).await;
        switch.store(true, Ordering::SeqCst);
        tokio::time::sleep(length).await;
        switch.store(false, Ordering::SeqCst);
    });
    (
        StatusCode::ACCEPTED,
        Json(json!({ "offlineInMs": OFFLINE_DELAY.as_millis() as u64, "seconds": params.seconds })),
    )
        .into_response()
}

/// Refunds order `id`'s first line in the shop's admin, as a live edit does
/// (a note instead when nothing is left to refund), and moves its
/// `updatedAt` past every other order so the next sync reads it. Answers
/// what the order's shop money now says was refunded.
async fn shopify_refund(State(shared): State<Arc<Shared>>, Path((shop, id)): Path<(String, u64)>) -> Response {
    let Some(shop) = shared.shopify_shop(&shop) else {
        return (StatusCode::NOT_FOUND, Json(json!({"error": "no such sandbox shop"}))).into_response();
    };
    let at = clock::now();
    let mut refunded = None;
    let edited = write(&shop.book).edit(id, at, |order| {
        order.apply_live_edit(at);
        refunded = Some((order.shop_money.refunded, order.shop_money.total()));
    });
    match (edited, refunded) {
        (Some(_), Some((refunded, total))) => {
            Json(json!({"id": id, "refundedCents": refunded, "totalCents": total})).into_response()
        }
        _ => (StatusCode::NOT_FOUND, Json(json!({"error": "no such order"}))).into_response(),
    }
}
