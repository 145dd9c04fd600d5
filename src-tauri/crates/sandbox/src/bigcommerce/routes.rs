//! HTTP routes under `/bigcommerce/stores/{hash}/v2/` (the stand-in for
//! `https://api.bigcommerce.com/stores/{hash}/v2/`) plus the sandbox's own
//! summary route. Every API route goes through [`guarded`]: find the store,
//! check `X-Auth-Token`, take one unit of the rate-limit quota, and stamp
//! the rate-limit headers on whatever the handler answers.

use std::sync::Arc;

use axum::extract::{Path, RawQuery, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde_json::{json, Value};

use super::query::{OrdersQuery, QueryError};
use super::{replies, shape, statuses, writes, Store};
use crate::data::clock;
use crate::data::orders::Order;
use crate::locks::{lock, read};
use crate::state::Shared;

pub(crate) fn router() -> Router<Arc<Shared>> {
    let v2 = "/bigcommerce/stores/{hash}/v2";
    Router::new()
        .route(&format!("{v2}/orders"), get(orders))
        .route(
            &format!("{v2}/orders/{{id}}"),
            get(order).put(writes::update_order),
        )
        .route(
            &format!("{v2}/orders/{{id}}/shipments"),
            get(writes::list_shipments).post(writes::create_shipment),
        )
        .route(&format!("{v2}/orders/{{id}}/products"), get(products))
        .route(
            &format!("{v2}/orders/{{id}}/shipping_addresses"),
            get(shipping_addresses),
        )
        // The spelling the spec's resource links use.
        .route(
            &format!("{v2}/orders/{{id}}/shippingaddresses"),
            get(shipping_addresses),
        )
        .route(&format!("{v2}/orders/{{id}}/coupons"), get(coupons))
        .route(&format!("{v2}/order_statuses"), get(order_statuses))
        .route(&format!("{v2}/store"), get(store_info))
        .route(&format!("{v2}/time"), get(time))
        .route("/_sandbox/bigcommerce/{hash}/summary", get(summary))
}

/// Finds the store, authenticates, admits the request through the quota,
/// runs `serve`, and adds the rate-limit headers.
pub(crate) fn guarded(
    shared: &Shared,
    hash: &str,
    headers: &HeaderMap,
    serve: impl FnOnce(&Store) -> Response,
) -> Response {
    let Some(store) = shared.bigcommerce_store(hash) else {
        return replies::not_found();
    };
    let token = headers
        .get("x-auth-token")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .trim();
    if !lock(&store.tokens).check(token) {
        return replies::unauthorized();
    }
    let status = lock(&store.rate).admit(shared.enforce_rate_limits);
    let response = if status.limited {
        replies::too_many_requests()
    } else {
        serve(store)
    };
    replies::with_rate_headers(response, status)
}

fn refuse(e: QueryError) -> Response {
    match e {
        QueryError::Invalid(field) => replies::bad_parameter(field),
        QueryError::LimitTooLarge => replies::limit_too_large(),
    }
}

/// The email as the shopper typed it on the order, if any.
fn typed_email(store: &Store, o: &Order) -> Option<String> {
    o.email
        .and_then(|(p, variant)| store.people.get(p).map(|p| variant.apply(&p.email)))
}

/// A JSON array, or `204` when there is nothing in it.
fn collection(items: Vec<Value>) -> Response {
    if items.is_empty() {
        replies::no_content()
    } else {
        Json(Value::Array(items)).into_response()
    }
}

async fn orders(
    State(shared): State<Arc<Shared>>,
    Path(hash): Path<String>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
) -> Response {
    guarded(&shared, &hash, &headers, |store| {
        let q = match OrdersQuery::parse(query.as_deref().unwrap_or("")) {
            Ok(q) => q,
            Err(e) => return refuse(e),
        };
        let ledger = read(&store.ledger);
        let email_of = |o: &Order| typed_email(store, o);
        let api = store.api_base(&shared.base_url);
        let page: Vec<Value> = q
            .select(&ledger, &email_of)
            .into_iter()
            .filter_map(|p| ledger.get(p))
            .map(|o| shape::order_json(store, &api, o))
            .collect();
        collection(page)
    })
}

/// Runs `f` on the order `id` of `store`, or answers 404.
fn with_order(store: &Store, id: &str, f: impl FnOnce(&Order) -> Response) -> Response {
    let ledger = read(&store.ledger);
    let order = id
        .trim()
        .parse::<u64>()
        .ok()
        .and_then(|id| ledger.position(id))
        .and_then(|p| ledger.get(p));
    match order {
        Some(o) => f(o),
        None => replies::not_found(),
    }
}

async fn order(
    State(shared): State<Arc<Shared>>,
    Path((hash, id)): Path<(String, String)>,
    headers: HeaderMap,
) -> Response {
    guarded(&shared, &hash, &headers, |store| {
        let api = store.api_base(&shared.base_url);
        with_order(store, &id, |o| {
            Json(shape::order_json(store, &api, o)).into_response()
        })
    })
}

async fn products(
    State(shared): State<Arc<Shared>>,
    Path((hash, id)): Path<(String, String)>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
) -> Response {
    guarded(&shared, &hash, &headers, |store| {
        let q = match OrdersQuery::parse(query.as_deref().unwrap_or("")) {
            Ok(q) => q,
            Err(e) => return refuse(e),
        };
        with_order(store, &id, |o| {
            let start = usize::try_from((q.page - 1).saturating_mul(q.limit)).unwrap_or(usize::MAX);
            let limit = usize::try_from(q.limit).unwrap_or(usize::MAX);
            collection(
                shape::products_json(store, o)
                    .into_iter()
                    .skip(start)
                    .take(limit)
                    .collect(),
            )
        })
    })
}

async fn shipping_addresses(
    State(shared): State<Arc<Shared>>,
    Path((hash, id)): Path<(String, String)>,
    headers: HeaderMap,
) -> Response {
    guarded(&shared, &hash, &headers, |store| {
        let api = store.api_base(&shared.base_url);
        with_order(store, &id, |o| {
            collection(shape::shipping_addresses_json(store, &api, o))
        })
    })
}

async fn coupons(
    State(shared): State<Arc<Shared>>,
    Path((hash, id)): Path<(String, String)>,
    headers: HeaderMap,
) -> Response {
    guarded(&shared, &hash, &headers, |store| {
        with_order(store, &id, |o| collection(shape::coupons_json(store, o)))
    })
}

async fn order_statuses(
    State(shared): State<Arc<Shared>>,
    Path(hash): Path<String>,
    headers: HeaderMap,
) -> Response {
    guarded(&shared, &hash, &headers, |_| {
        Json(statuses::statuses_json()).into_response()
    })
}

async fn store_info(
    State(shared): State<Arc<Shared>>,
    Path(hash): Path<String>,
    headers: HeaderMap,
) -> Response {
    guarded(&shared, &hash, &headers, |store| {
        Json(shape::store_json(store)).into_response()
    })
}

async fn time(
    State(shared): State<Arc<Shared>>,
    Path(hash): Path<String>,
    headers: HeaderMap,
) -> Response {
    guarded(&shared, &hash, &headers, |_| {
        Json(json!({"time": clock::now()})).into_response()
    })
}

async fn summary(State(shared): State<Arc<Shared>>, Path(hash): Path<String>) -> Response {
    let Some(store) = shared.bigcommerce_store(&hash) else {
        return replies::not_found();
    };
    Json(json!({
        "orders": store.order_count(),
        "currency": store.currency.code(),
        "issuedTokens": store.issued_tokens().len(),
    }))
    .into_response()
}
