//! Test-only controls over HTTP, under `/_sandbox/`. An end-to-end test that
//! drives the app's in-process demo sandbox can't reach it as a Rust value,
//! so the few world changes such a test needs (the ones [`crate::Sandbox`]'s
//! `touch_*` methods make for in-process tests) are offered here. No
//! platform has these paths; nothing in Counterline calls them.

use std::sync::Arc;

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::{Json, Router};
use serde_json::json;

use crate::data::clock;
use crate::locks::write;
use crate::state::Shared;

pub(crate) fn router() -> Router<Arc<Shared>> {
    Router::new().route("/_sandbox/shopify/{shop}/orders/{id}/refund", post(shopify_refund))
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
