//! Shipments: the merchant ships some or all of an order's units from one
//! location with a carrier and tracking number. One transaction records
//! the shipment, takes the units off the location's stock, moves the
//! order's status, writes its history and queues the channel write; any
//! refusal leaves all of it untouched.
//!
//! What goes to the channel: BigCommerce and Shopify get each shipment as
//! its own fulfillment with exactly its units. WooCommerce has no
//! shipments: a partial one stays here (the history says so) and the last
//! one sets the order to `completed`.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use sqlx::{Row, SqliteConnection};
use ts_rs::TS;

use crate::model::{OrderStatus, OrderSyncState, Platform};
use crate::order_events::{self, status_label, EventActor};
use crate::outbox::{self, Change, FulfillmentLine};
use crate::workflow::order_channel;
use crate::{locations, now_ms, Error, Result};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ShipmentLine {
    #[ts(type = "number")]
    pub line_id: i64,
    #[ts(type = "number")]
    pub quantity: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ShipmentRequest {
    #[ts(type = "number")]
    pub order_id: i64,
    #[ts(type = "number")]
    pub location_id: i64,
    /// Quantity above zero each; a line at most once.
    pub lines: Vec<ShipmentLine>,
    pub carrier: String,
    pub tracking_number: String,
    pub tracking_url: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Shipment {
    #[ts(type = "number")]
    pub id: i64,
    #[ts(type = "number")]
    pub created_at: i64,
    #[ts(type = "number | null")]
    pub location_id: Option<i64>,
    pub location_name: Option<String>,
    pub carrier: String,
    pub tracking_number: String,
    pub tracking_url: Option<String>,
    pub lines: Vec<ShipmentLine>,
    /// Of this shipment's own channel write (synced when there is none).
    pub sync_state: OrderSyncState,
}

fn refuse<T>(message: impl Into<String>) -> Result<T> {
    Err(Error::Refused(message.into()))
}

/// An order line with what has shipped of it so far.
pub(crate) struct LineState {
    pub id: i64,
    pub external_id: String,
    pub sku: Option<String>,
    pub title: String,
    pub quantity: i64,
    pub unit_price_minor: i64,
    pub shipped: i64,
}

pub(crate) async fn line_states(conn: &mut SqliteConnection, order_id: i64) -> Result<Vec<LineState>> {
    let rows = sqlx::query(
        "SELECT l.id, l.external_id, l.sku, l.title, l.quantity, l.unit_price_minor,
                COALESCE((SELECT SUM(sl.quantity) FROM shipment_lines sl WHERE sl.line_id = l.id), 0)
           FROM order_lines l WHERE l.order_id = ? ORDER BY l.id",
    )
    .bind(order_id)
    .fetch_all(&mut *conn)
    .await?;
    Ok(rows
        .iter()
        .map(|r| LineState {
            id: r.get(0),
            external_id: r.get(1),
            sku: r.get(2),
            title: r.get(3),
            quantity: r.get(4),
            unit_price_minor: r.get(5),
            shipped: r.get(6),
        })
        .collect())
}

fn check_request(request: &ShipmentRequest) -> Result<()> {
    if request.carrier.trim().is_empty() || request.tracking_number.trim().is_empty() {
        return refuse("Enter the carrier and the tracking number.");
    }
    if let Some(url) = request.tracking_url.as_deref().map(str::trim).filter(|u| !u.is_empty()) {
        let web = ["https://", "http://"].iter().any(|s| url.len() > s.len() && url[..s.len()].eq_ignore_ascii_case(s));
        if !web || url.contains(char::is_whitespace) {
            return refuse("The tracking link must be a web address (https://…).");
        }
    }
    if request.lines.is_empty() {
        return refuse("Choose at least one item to ship.");
    }
    if request.lines.iter().any(|l| l.quantity < 1) {
        return refuse("Ship at least 1 of each item you choose.");
    }
    for (i, line) in request.lines.iter().enumerate() {
        if request.lines[..i].iter().any(|other| other.line_id == line.line_id) {
            return refuse("Each item can be listed once per shipment.");
        }
    }
    Ok(())
}

/// Ships `request` (inside the caller's transaction; pass `&mut *tx`).
/// Returns the new shipment's id.
pub async fn ship(conn: &mut SqliteConnection, request: &ShipmentRequest) -> Result<i64> {
    check_request(request)?;
    let order = order_channel(conn, request.order_id).await?;
    if let Some(block) = order.block {
        return refuse(block);
    }
    if !matches!(order.status, OrderStatus::Pending | OrderStatus::Processing) {
        return refuse(format!("An order that is {} can't be shipped.", status_label(order.status)));
    }
    let location = locations::get(conn, request.location_id).await?;
    let mut lines = line_states(conn, request.order_id).await?;
    // Units per SKU across the shipment: two lines may share one.
    let mut per_sku: BTreeMap<&str, i64> = BTreeMap::new();
    for wanted in &request.lines {
        let Some(line) = lines.iter().find(|l| l.id == wanted.line_id) else {
            return refuse("One of the items is not on this order any more; reopen the order.");
        };
        let left = line.quantity - line.shipped;
        if wanted.quantity > left {
            let name = line.sku.as_deref().unwrap_or(&line.title);
            return refuse(format!("This order has {left} × {name} left to ship; you asked for {}.", wanted.quantity));
        }
        if let Some(sku) = line.sku.as_deref() {
            *per_sku.entry(sku).or_default() += wanted.quantity;
        }
    }
    for (sku, wanted) in &per_sku {
        let on_hand: i64 = sqlx::query_scalar("SELECT on_hand FROM stock_levels WHERE location_id = ? AND sku = ?")
            .bind(location.id)
            .bind(sku)
            .fetch_optional(&mut *conn)
            .await?
            .unwrap_or(0);
        if on_hand < *wanted {
            return refuse(format!("Only {on_hand} of {sku} are in stock at {}; you asked to ship {wanted}.", location.name));
        }
    }

    let now = now_ms();
    let shipment_id: i64 = sqlx::query_scalar(
        "INSERT INTO shipments (order_id, location_id, carrier, tracking_number, tracking_url, created_at)
         VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
    )
    .bind(request.order_id)
    .bind(location.id)
    .bind(request.carrier.trim())
    .bind(request.tracking_number.trim())
    .bind(request.tracking_url.as_deref().map(str::trim).filter(|u| !u.is_empty()))
    .bind(now)
    .fetch_one(&mut *conn)
    .await?;
    for wanted in &request.lines {
        sqlx::query("INSERT INTO shipment_lines (shipment_id, line_id, quantity) VALUES (?, ?, ?)")
            .bind(shipment_id)
            .bind(wanted.line_id)
            .bind(wanted.quantity)
            .execute(&mut *conn)
            .await?;
    }
    for (sku, wanted) in &per_sku {
        sqlx::query("UPDATE stock_levels SET on_hand = on_hand - ? WHERE location_id = ? AND sku = ?")
            .bind(wanted)
            .bind(location.id)
            .bind(sku)
            .execute(&mut *conn)
            .await?;
    }
    let mut shipped_lines = Vec::new();
    for wanted in &request.lines {
        if let Some(line) = lines.iter_mut().find(|l| l.id == wanted.line_id) {
            line.shipped += wanted.quantity;
            shipped_lines.push(FulfillmentLine { external_id: line.external_id.clone(), quantity: wanted.quantity, shipped_after: line.shipped });
        }
    }
    let complete = lines.iter().all(|l| l.shipped >= l.quantity);
    let status = if complete { OrderStatus::Shipped } else { OrderStatus::Processing };
    let base: i64 = sqlx::query_scalar("UPDATE orders SET status = ? WHERE id = ? RETURNING updated_at")
        .bind(status.as_str())
        .bind(request.order_id)
        .fetch_one(&mut *conn)
        .await?;

    let units: i64 = request.lines.iter().map(|l| l.quantity).sum();
    let summary = format!(
        "Shipment of {units} item{} via {} ({}) from {}",
        if units == 1 { "" } else { "s" },
        request.carrier.trim(),
        request.tracking_number.trim(),
        location.name
    );
    order_events::record(conn, request.order_id, EventActor::Merchant, &summary).await?;
    if status != order.status {
        order_events::record(conn, request.order_id, EventActor::Merchant, &format!("Status changed to {}", status_label(status))).await?;
    }

    let channel_id: i64 = sqlx::query_scalar("SELECT channel_id FROM orders WHERE id = ?").bind(request.order_id).fetch_one(&mut *conn).await?;
    let change = match order.platform {
        Platform::WooCommerce if !complete => {
            let note = "WooCommerce has no shipments, so this one stays in Counterline; the order is marked completed there once everything has shipped.";
            order_events::record(conn, request.order_id, EventActor::Counterline, note).await?;
            None
        }
        Platform::WooCommerce => Some(Change::Status { status: OrderStatus::Shipped }),
        _ => Some(Change::Fulfillment {
            carrier: request.carrier.trim().to_owned(),
            tracking_number: request.tracking_number.trim().to_owned(),
            tracking_url: request.tracking_url.as_deref().map(str::trim).filter(|u| !u.is_empty()).map(str::to_owned),
            lines: shipped_lines,
            partial: !complete,
        }),
    };
    if let Some(change) = change {
        outbox::enqueue(conn, channel_id, request.order_id, base, &change, Some(shipment_id)).await?;
    }
    Ok(shipment_id)
}

/// The order's shipments, oldest first.
pub async fn shipments(conn: &mut SqliteConnection, order_id: i64) -> Result<Vec<Shipment>> {
    let rows = sqlx::query(
        "SELECT s.id, s.created_at, s.location_id, l.name, s.carrier, s.tracking_number, s.tracking_url,
                (SELECT x.state FROM outbox x WHERE x.shipment_id = s.id AND x.state IN ('conflict', 'failed', 'pending') LIMIT 1)
           FROM shipments s LEFT JOIN locations l ON l.id = s.location_id
          WHERE s.order_id = ? ORDER BY s.id",
    )
    .bind(order_id)
    .fetch_all(&mut *conn)
    .await?;
    let mut out = Vec::with_capacity(rows.len());
    for r in rows {
        let id: i64 = r.get(0);
        let lines = sqlx::query("SELECT line_id, quantity FROM shipment_lines WHERE shipment_id = ? ORDER BY line_id")
            .bind(id)
            .fetch_all(&mut *conn)
            .await?
            .iter()
            .map(|l| ShipmentLine { line_id: l.get(0), quantity: l.get(1) })
            .collect();
        out.push(Shipment {
            id,
            created_at: r.get(1),
            location_id: r.get(2),
            location_name: r.get(3),
            carrier: r.get(4),
            tracking_number: r.get(5),
            tracking_url: r.get(6),
            lines,
            sync_state: OrderSyncState::from_outbox(r.get(7)),
        });
    }
    Ok(out)
}
