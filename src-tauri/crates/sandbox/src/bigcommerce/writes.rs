//! The v2 writes Counterline's outbox sends to BigCommerce (channel-apis
//! §3.5, `reference/orders.v2.oas2.yml`): `PUT /orders/{id}` with
//! `{"status_id": N}`, and `POST /orders/{id}/shipments` with
//! `{order_address_id, items: [{order_product_id, quantity}],
//! tracking_number?, shipping_provider?, tracking_carrier?, tracking_link?,
//! comments?, shipping_method?}` answered `201` with the shipment (and
//! `GET /orders/{id}/shipments` to read them back). Both go through the
//! same store lookup, `X-Auth-Token` check and rate quota as reads
//! (`routes::guarded`), are applied to the ledger so `date_modified`
//! moves, and are recorded in the write journal.
//!
//! A shipment ships units: when every unit of the order has shipped the
//! order becomes 2 Shipped (and `date_shipped` is now), otherwise 3
//! Partially Shipped, as the control panel's "Ship items" does.
//!
//! UNCONFIRMED (the spec names the fields, not every refusal): the 400
//! bodies and their messages (the documented v2 `[{status, message}]`
//! array with our words); which `status_id`s a `PUT` may set (here: any id
//! in `GET /order_statuses`); refusing an `order_address_id` that is not
//! the order's, an unknown `order_product_id`, or more units than are
//! left to ship; the shipment's `id`s counting from 1 per store.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::SystemTime;

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::{json, Value};

use super::routes::guarded;
use super::shape::{self, items_total, line_shipped, order_address_id};
use super::statuses::STATUSES;
use super::{replies, Store};
use crate::data::clock::{self, format_rfc2822};
use crate::data::orders::{Order, SetStatus};
use crate::locks::{lock, read, write};
use crate::state::Shared;
use crate::writes::{idempotency_key, Journal, ReceivedWrite, WriteKind, WritePlatform};

/// `shipping_provider` values the spec lists, besides `carrier_{id}`.
const SHIPPING_PROVIDERS: &[&str] = &[
    "",
    "auspost",
    "canadapost",
    "endicia",
    "usps",
    "fedex",
    "royalmail",
    "ups",
    "upsready",
    "shipperhq",
];

/// A store's shipments, by order id, and the next shipment id.
#[derive(Default)]
pub(crate) struct Shipments {
    last_id: u64,
    by_order: HashMap<u64, Vec<Value>>,
}

fn bad(message: &str) -> Response {
    (
        StatusCode::BAD_REQUEST,
        Json(json!([{"status": 400, "message": message}])),
    )
        .into_response()
}

fn parse_body(body: &Bytes) -> Result<Value, Box<Response>> {
    match serde_json::from_slice::<Value>(body) {
        Ok(v) if v.is_object() => Ok(v),
        _ => Err(Box::new(bad(
            "The request body is not a valid JSON object.",
        ))),
    }
}

/// Answers from the first response to this key, if there was one.
fn replayed(journal: &Journal, store: &Store, key: Option<&str>) -> Option<Response> {
    let replay = journal.replay(WritePlatform::BigCommerce, &store.hash, key)?;
    let code = StatusCode::from_u16(replay.status).unwrap_or(StatusCode::OK);
    Some((code, Json(replay.body)).into_response())
}

/// The journal entry for an accepted write to `store`.
fn received(
    store: &Store,
    order_id: u64,
    kind: WriteKind,
    body: Value,
    key: Option<String>,
) -> ReceivedWrite {
    ReceivedWrite {
        platform: WritePlatform::BigCommerce,
        account: store.hash.clone(),
        order_id: order_id.to_string(),
        kind,
        body,
        idempotency_key: key,
        at: SystemTime::now(),
    }
}

/// `PUT /v2/orders/{id}` with `{"status_id": N}`.
pub(crate) async fn update_order(
    State(shared): State<Arc<Shared>>,
    Path((hash, id)): Path<(String, String)>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    guarded(&shared, &hash, &headers, |store| {
        let key = idempotency_key(&headers);
        let mut journal = lock(&shared.writes);
        if let Some(r) = replayed(&journal, store, key.as_deref()) {
            return r;
        }
        let body = match parse_body(&body) {
            Ok(b) => b,
            Err(r) => return *r,
        };
        let Some(order_id) = id.trim().parse::<u64>().ok() else {
            return replies::not_found();
        };
        if read(&store.ledger).position(order_id).is_none() {
            return replies::not_found();
        }
        let status = match body.get("status_id") {
            None => None,
            Some(v) => match v
                .as_u64()
                .and_then(|n| STATUSES.iter().find(|s| u64::from(s.0) == n))
            {
                Some(s) => Some(s.0),
                None => return replies::bad_parameter("status_id"),
            },
        };
        let api = store.api_base(&shared.base_url);
        let answer = {
            let mut ledger = write(&store.ledger);
            let Some(position) = ledger.edit(order_id, clock::now(), |o| {
                if let Some(s) = status {
                    o.set_status = Some(SetStatus::Id(s));
                }
            }) else {
                return replies::not_found();
            };
            ledger
                .get(position)
                .map_or(Value::Null, |o| shape::order_json(store, &api, o))
        };
        journal.record(
            received(store, order_id, WriteKind::Status, body, key),
            200,
            &answer,
        );
        Json(answer).into_response()
    })
}

/// What a shipment request asks to ship, checked against the order: units
/// per line index.
fn units_to_ship(o: &Order, body: &Value) -> Result<Vec<(usize, u32)>, Box<Response>> {
    let address = body.get("order_address_id").and_then(Value::as_u64);
    if o.ship_to.is_none() || address != Some(order_address_id(o)) {
        return Err(Box::new(replies::bad_parameter("order_address_id")));
    }
    let Some(items) = body
        .get("items")
        .and_then(Value::as_array)
        .filter(|a| !a.is_empty())
    else {
        return Err(Box::new(replies::bad_parameter("items")));
    };
    let mut wanted: Vec<(usize, u32)> = Vec::new();
    for item in items {
        let line = item
            .get("order_product_id")
            .and_then(Value::as_u64)
            .and_then(|id| o.lines.iter().position(|l| l.id == id));
        let quantity = item
            .get("quantity")
            .and_then(Value::as_u64)
            .and_then(|q| u32::try_from(q).ok())
            .filter(|q| *q > 0);
        let (Some(line), Some(quantity)) = (line, quantity) else {
            return Err(Box::new(replies::bad_parameter("items")));
        };
        match wanted.iter_mut().find(|(l, _)| *l == line) {
            Some((_, q)) => *q += quantity,
            None => wanted.push((line, quantity)),
        }
    }
    for &(line, quantity) in &wanted {
        let left = o.lines[line].quantity - line_shipped(o, line);
        if quantity > left {
            return Err(Box::new(bad(&format!(
                "Order product {} has {left} unit(s) left to ship; {quantity} were asked for.",
                o.lines[line].id
            ))));
        }
    }
    if let Some(provider) = body.get("shipping_provider") {
        let ok = provider
            .as_str()
            .is_some_and(|p| SHIPPING_PROVIDERS.contains(&p) || p.starts_with("carrier_"));
        if !ok {
            return Err(Box::new(replies::bad_parameter("shipping_provider")));
        }
    }
    Ok(wanted)
}

fn text(body: &Value, field: &str) -> String {
    body.get(field)
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_owned()
}

/// The shipment as the spec's `orderShipment` example shows it.
fn shipment_json(store: &Store, o: &Order, id: u64, at: i64, body: &Value) -> Value {
    let products = shape::products_json(store, o);
    let items: Vec<Value> = body["items"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|item| {
            let product_id = products
                .iter()
                .find(|p| p["id"] == item["order_product_id"])
                .map_or(Value::from(0), |p| p["product_id"].clone());
            json!({
                "order_product_id": item["order_product_id"],
                "product_id": product_id,
                "quantity": item["quantity"],
            })
        })
        .collect();
    let email = shape::typed_email(store, o);
    let buyer = o.email.and_then(|(p, _)| store.people.get(p));
    let ship_to = o.ship_to.and_then(|p| store.people.get(p));
    json!({
        "id": id,
        "order_id": o.id,
        "customer_id": o.customer.map_or(0, |p| u64::from(p) + 1),
        "order_address_id": order_address_id(o),
        "date_created": format_rfc2822(at),
        "tracking_number": text(body, "tracking_number"),
        "merchant_shipping_cost": body.get("merchant_shipping_cost").cloned().unwrap_or_else(|| json!("0.0000")),
        "shipping_method": body.get("shipping_method").and_then(Value::as_str).unwrap_or("None"),
        "comments": text(body, "comments"),
        "shipping_provider": text(body, "shipping_provider"),
        "tracking_carrier": text(body, "tracking_carrier"),
        "tracking_link": text(body, "tracking_link"),
        "billing_address": shape::address_fields(buyer, &email),
        "shipping_address": shape::address_fields(ship_to, &email),
        "items": items,
    })
}

/// `POST /v2/orders/{id}/shipments`.
pub(crate) async fn create_shipment(
    State(shared): State<Arc<Shared>>,
    Path((hash, id)): Path<(String, String)>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    guarded(&shared, &hash, &headers, |store| {
        let key = idempotency_key(&headers);
        let mut journal = lock(&shared.writes);
        if let Some(r) = replayed(&journal, store, key.as_deref()) {
            return r;
        }
        let body = match parse_body(&body) {
            Ok(b) => b,
            Err(r) => return *r,
        };
        let Some(order_id) = id.trim().parse::<u64>().ok() else {
            return replies::not_found();
        };
        let now = clock::now();
        let shipment = {
            let mut ledger = write(&store.ledger);
            let Some(order) = ledger.position(order_id).and_then(|p| ledger.get(p)) else {
                return replies::not_found();
            };
            let wanted = match units_to_ship(order, &body) {
                Ok(w) => w,
                Err(r) => return *r,
            };
            let Some(position) = ledger.edit(order_id, now, |o| {
                for &(line, quantity) in &wanted {
                    o.lines[line].shipped_by_writes += quantity;
                }
                if shape::items_shipped(o) == items_total(o) {
                    o.set_status = Some(SetStatus::Id(2));
                    // `date_shipped` reads the order's closing time.
                    o.closed_at = Some(now);
                } else {
                    o.set_status = Some(SetStatus::Id(3));
                }
            }) else {
                return replies::not_found();
            };
            let Some(order) = ledger.get(position) else {
                return replies::not_found();
            };
            // Ledger before shipments, everywhere, so the two locks never
            // wait on each other.
            let mut shipments = lock(&store.shipments);
            shipments.last_id += 1;
            let shipment = shipment_json(store, order, shipments.last_id, now, &body);
            shipments
                .by_order
                .entry(order_id)
                .or_default()
                .push(shipment.clone());
            shipment
        };
        journal.record(
            received(store, order_id, WriteKind::Shipment, body, key),
            201,
            &shipment,
        );
        (StatusCode::CREATED, Json(shipment)).into_response()
    })
}

/// `GET /v2/orders/{id}/shipments`: the order's shipments, `204` when none.
pub(crate) async fn list_shipments(
    State(shared): State<Arc<Shared>>,
    Path((hash, id)): Path<(String, String)>,
    headers: HeaderMap,
) -> Response {
    guarded(&shared, &hash, &headers, |store| {
        let Some(order_id) = id.trim().parse::<u64>().ok() else {
            return replies::not_found();
        };
        let ledger = read(&store.ledger);
        if ledger.position(order_id).is_none() {
            return replies::not_found();
        }
        let shipments = lock(&store.shipments);
        match shipments.by_order.get(&order_id) {
            Some(list) if !list.is_empty() => Json(Value::Array(list.clone())).into_response(),
            _ => replies::no_content(),
        }
    })
}
