//! The Admin GraphQL mutations Counterline's outbox sends to Shopify
//! (channel-apis §2.5), applied to the shop's order book:
//!
//! - `fulfillmentCreate(fulfillment: FulfillmentInput!, message: String)`:
//!   ships units of the order's fulfillment order (all that remain when a
//!   `lineItemsByFulfillmentOrder` entry names no line items), with the
//!   `trackingInfo {company, number, url}` (or `numbers`/`urls`) given.
//!   Clients find the fulfillment order through `order.fulfillmentOrders`
//!   (one per sandbox order, see `shape`).
//! - `orderCancel(orderId, reason, restock, refund?, …)`: cancels now and
//!   answers with a finished `job`.
//!
//! Shapes are the 2025-10 schema's (checked against `@shopify/dev-mcp`'s
//! `admin_2025-10.json.gz`). Refusals are `userErrors` in the payload
//! (and `orderCancelUserErrors` with a `code`), never HTTP errors, as on
//! Shopify; they change nothing and are not recorded.
//!
//! UNCONFIRMED, kept here so a real answer that disagrees is fixed once:
//! - the wording and `field` of every user error (the unfulfillable-status
//!   one is patterned on messages seen in public code);
//! - the fulfillment's `name` (`#1001-F1`) and ids counting per shop;
//! - `orderCancel`'s job finishing at once (Shopify cancels
//!   asynchronously), `refund`/`restock` being accepted but not modelled
//!   (no money moves), and refusing an order already cancelled;
//! - scopes: the sandbox does not check `write_*` scopes for mutations
//!   (its issued tokens carry `read_orders,read_products`).

use std::collections::HashMap;
use std::time::SystemTime;

use graphql_parser::query::SelectionSet;
use serde_json::{json, Map, Value};

use super::book::OrderBook;
use super::graphql::errors::GqlError;
use super::graphql::input::{arg, coerce_input, collect_fields, to_json, Fragments};
use super::graphql::schema::InputTy;
use super::shape::{fulfillment_order_status, order_gid, remaining};
use super::ShopifyShop;
use crate::data::clock::{self, format_utc};
use crate::data::orders::SetStatus;
use crate::locks::lock;
use crate::shopify::tokens::random_hex;
use crate::writes::{ReceivedWrite, WriteKind, WritePlatform};

/// A write a mutation applied, for the journal.
pub(crate) struct Applied {
    pub order_id: String,
    pub kind: WriteKind,
    pub body: Value,
}

impl Applied {
    pub(crate) fn into_received(self, shop: &str, key: Option<String>) -> ReceivedWrite {
        ReceivedWrite {
            platform: WritePlatform::Shopify,
            account: shop.to_owned(),
            order_id: self.order_id,
            kind: self.kind,
            body: self.body,
            idempotency_key: key,
            at: SystemTime::now(),
        }
    }
}

/// Fulfillment ids handed out, and how many fulfillments each order has
/// (for the `#1001-F2` names).
#[derive(Default)]
pub(crate) struct Fulfillments {
    last_id: u64,
    per_order: HashMap<u64, u32>,
}

fn user_error(field: &[&str], message: &str) -> Value {
    json!({"field": field, "message": message})
}

/// The numeric tail of a GID of `kind` (`gid://shopify/{kind}/{n}`).
fn gid_number(value: &Value, kind: &str) -> Option<u64> {
    value
        .as_str()?
        .strip_prefix("gid://shopify/")?
        .strip_prefix(kind)?
        .strip_prefix('/')?
        .parse()
        .ok()
}

/// Runs every root field of a mutation in order and returns each payload
/// by response key. Problems with a literal input that could only be
/// coerced now go to `errors` (the payload is null).
pub(crate) fn run<'d, 'q>(
    shop: &ShopifyShop,
    book: &mut OrderBook,
    fragments: &Fragments<'d, 'q>,
    vars: &Map<String, Value>,
    root: &'d SelectionSet<'q, String>,
    applied: &mut Vec<Applied>,
    errors: &mut Vec<GqlError>,
) -> Map<String, Value> {
    let mut payloads = Map::new();
    for c in collect_fields("Mutation", &[root], fragments, vars) {
        let field = c.first();
        let payload = match field.name.as_str() {
            "fulfillmentCreate" => {
                let raw = arg(field, "fulfillment", vars).unwrap_or(Value::Null);
                let mut problems = Vec::new();
                let input = coerce_input(
                    &raw,
                    InputTy::Object("FulfillmentInput"),
                    &mut Vec::new(),
                    &mut problems,
                );
                if problems.is_empty() {
                    let message = arg(field, "message", vars);
                    fulfillment_create(shop, book, &input, message, applied)
                } else {
                    errors.push(
                        GqlError::argument_invalid_fields(&field.name, "fulfillment", &problems)
                            .at(field.position)
                            .with_path(&[Value::String(c.key.clone())]),
                    );
                    Value::Null
                }
            }
            "orderCancel" => {
                let args: Map<String, Value> = field
                    .arguments
                    .iter()
                    .map(|(n, v)| (n.clone(), to_json(v, vars)))
                    .collect();
                order_cancel(book, args, applied)
            }
            _ => Value::Null,
        };
        payloads.insert(c.key.clone(), payload);
    }
    payloads
}

/// What a fulfillment ships: the order's id, and units per line index.
type Plan = (u64, Vec<(usize, u32)>);

/// What the one order `input` names should ship, or the user errors that
/// refuse it.
fn plan(book: &OrderBook, input: &Value) -> Result<Plan, Vec<Value>> {
    let groups = input["lineItemsByFulfillmentOrder"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    if groups.is_empty() {
        return Err(vec![user_error(
            &["fulfillment", "lineItemsByFulfillmentOrder"],
            "Line items by fulfillment order must not be empty.",
        )]);
    }
    let mut order_id = None;
    let mut wanted: Vec<(usize, u32)> = Vec::new();
    for group in &groups {
        let fo = &group["fulfillmentOrderId"];
        let Some(order) = gid_number(fo, "FulfillmentOrder").and_then(|n| book.find(n)) else {
            return Err(vec![user_error(
                &["fulfillment"],
                "Fulfillment order does not exist.",
            )]);
        };
        if *order_id.get_or_insert(order.id) != order.id {
            return Err(vec![user_error(
                &["fulfillment"],
                "All fulfillment orders must belong to the same order.",
            )]);
        }
        let status = fulfillment_order_status(order);
        if !matches!(status, "OPEN" | "IN_PROGRESS") {
            return Err(vec![user_error(
                &["fulfillment"],
                &format!(
                    "Fulfillment order {} has an unfulfillable status= {}.",
                    order.id,
                    status.to_ascii_lowercase()
                ),
            )]);
        }
        let mut add = |line: usize, quantity: u32| match wanted.iter_mut().find(|(l, _)| *l == line)
        {
            Some((_, q)) => *q += quantity,
            None => wanted.push((line, quantity)),
        };
        match group["fulfillmentOrderLineItems"].as_array() {
            // No line items named: everything that remains.
            None => (0..order.lines.len())
                .map(|i| (i, remaining(order, i)))
                .filter(|(_, q)| *q > 0)
                .for_each(|(i, q)| add(i, q)),
            Some(items) => {
                for item in items {
                    let line = gid_number(&item["id"], "FulfillmentOrderLineItem")
                        .and_then(|n| order.lines.iter().position(|l| l.id == n));
                    let quantity = item["quantity"]
                        .as_u64()
                        .and_then(|q| u32::try_from(q).ok());
                    let (Some(line), Some(quantity)) = (line, quantity.filter(|q| *q > 0)) else {
                        return Err(vec![user_error(
                            &["fulfillment", "lineItemsByFulfillmentOrder"],
                            "Invalid fulfillment order line item id or quantity.",
                        )]);
                    };
                    add(line, quantity);
                }
            }
        }
        for &(line, quantity) in &wanted {
            if quantity > remaining(order, line) {
                return Err(vec![user_error(
                    &["fulfillment", "lineItemsByFulfillmentOrder"],
                    "Invalid fulfillment order line item quantity requested.",
                )]);
            }
        }
    }
    match order_id {
        Some(id) if !wanted.is_empty() => Ok((id, wanted)),
        _ => Err(vec![user_error(
            &["fulfillment"],
            "Nothing left to fulfill.",
        )]),
    }
}

/// `trackingInfo` of the fulfillment from the input's `trackingInfo`.
fn tracking(input: &Value) -> Vec<Value> {
    let t = &input["trackingInfo"];
    let company = t.get("company").cloned().unwrap_or(Value::Null);
    let numbers: Vec<Value> = match t.get("numbers").and_then(Value::as_array) {
        Some(n) if !n.is_empty() => n.clone(),
        _ => t.get("number").into_iter().cloned().collect(),
    };
    let urls: Vec<Value> = match t.get("urls").and_then(Value::as_array) {
        Some(u) if !u.is_empty() => u.clone(),
        _ => t.get("url").into_iter().cloned().collect(),
    };
    let n = numbers.len().max(urls.len());
    if n == 0 && company.is_null() {
        return Vec::new();
    }
    (0..n.max(1))
        .map(|i| {
            json!({
                "company": company,
                "number": numbers.get(i).cloned().unwrap_or(Value::Null),
                "url": urls.get(i).cloned().unwrap_or(Value::Null),
            })
        })
        .collect()
}

fn fulfillment_create(
    shop: &ShopifyShop,
    book: &mut OrderBook,
    input: &Value,
    message: Option<Value>,
    applied: &mut Vec<Applied>,
) -> Value {
    let (order_id, wanted) = match plan(book, input) {
        Ok(p) => p,
        Err(user_errors) => return json!({"fulfillment": null, "userErrors": user_errors}),
    };
    let now = clock::now();
    let Some(position) = book.edit(order_id, now, |o| {
        for &(line, quantity) in &wanted {
            o.lines[line].shipped_by_writes += quantity;
        }
    }) else {
        return json!({"fulfillment": null, "userErrors": [user_error(&["fulfillment"], "Fulfillment order does not exist.")]});
    };
    let Some(order) = book.get(position) else {
        return Value::Null;
    };
    // Book before fulfillments; nothing takes them the other way round.
    let (id, nth) = {
        let mut f = lock(&shop.fulfillments);
        f.last_id += 1;
        let id = f.last_id;
        let nth = f.per_order.entry(order_id).or_insert(0);
        *nth += 1;
        (id, *nth)
    };
    let fulfillment = json!({
        "id": format!("gid://shopify/Fulfillment/{}", shop.identity.shop_id * 1_000_000 + id),
        "name": format!("#{}-F{nth}", order.number),
        "status": "SUCCESS",
        "createdAt": format_utc(order.updated_at),
        "updatedAt": format_utc(order.updated_at),
        "totalQuantity": wanted.iter().map(|(_, q)| q).sum::<u32>(),
        "trackingInfo": tracking(input),
    });
    applied.push(Applied {
        order_id: order_gid(order_id),
        kind: WriteKind::Fulfillment,
        body: json!({"mutation": "fulfillmentCreate", "fulfillment": input, "message": message}),
    });
    json!({"fulfillment": fulfillment, "userErrors": []})
}

fn cancel_refused(code: &str, message: &str) -> Value {
    json!({
        "job": null,
        "orderCancelUserErrors": [{"code": code, "field": ["orderId"], "message": message}],
        "userErrors": [user_error(&["orderId"], message)],
    })
}

fn order_cancel(
    book: &mut OrderBook,
    args: Map<String, Value>,
    applied: &mut Vec<Applied>,
) -> Value {
    let Some(order_id) = args
        .get("orderId")
        .and_then(|v| gid_number(v, "Order"))
        .filter(|n| book.find(*n).is_some())
    else {
        return cancel_refused("NOT_FOUND", "Order does not exist");
    };
    if book
        .find(order_id)
        .is_some_and(|o| o.cancelled_at.is_some())
    {
        return cancel_refused("INVALID", "Order has already been cancelled");
    }
    let reason = args.get("reason").and_then(Value::as_str).and_then(|r| {
        super::graphql::schema::CANCEL_REASONS
            .iter()
            .find(|c| **c == r)
            .copied()
    });
    let now = clock::now();
    book.edit(order_id, now, |o| {
        o.cancelled_at = Some(now);
        // `cancelReason` reads it (see `SetStatus`).
        o.set_status = reason.map(SetStatus::Slug);
    });
    let mut body = args;
    body.insert("mutation".into(), json!("orderCancel"));
    applied.push(Applied {
        order_id: order_gid(order_id),
        kind: WriteKind::Cancel,
        body: Value::Object(body),
    });
    json!({
        "job": {"id": format!("gid://shopify/Job/{}", random_hex(16)), "done": true},
        "orderCancelUserErrors": [],
        "userErrors": [],
    })
}
