//! An order's history: who changed what, in plain words. The store writes
//! the merchant's changes and the outbox's outcomes here; changes a sync
//! brings in are written by the `orders_changed_by_channel` trigger. The
//! import itself is derived from the order, so sync inserts stay lean.

use serde::{Deserialize, Serialize};
use sqlx::{Row, SqliteConnection};
use ts_rs::TS;

use crate::model::{OrderStatus, Platform};
use crate::{now_ms, Error, Result};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
#[ts(export)]
pub enum EventActor {
    /// Someone using Counterline.
    Merchant,
    /// The sales channel (a sync brought the change in).
    Channel,
    /// Counterline itself: deliveries, conflicts, refusals.
    Counterline,
}

impl EventActor {
    fn as_str(self) -> &'static str {
        match self {
            EventActor::Merchant => "merchant",
            EventActor::Channel => "channel",
            EventActor::Counterline => "counterline",
        }
    }

    fn parse(text: &str) -> Result<EventActor> {
        Ok(match text {
            "merchant" => EventActor::Merchant,
            "channel" => EventActor::Channel,
            "counterline" => EventActor::Counterline,
            other => return Err(Error::Corrupt(format!("event actor {other:?}"))),
        })
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct OrderEvent {
    #[ts(type = "number")]
    pub id: i64,
    #[ts(type = "number")]
    pub at: i64,
    pub actor: EventActor,
    pub summary: String,
}

/// "Shipped", as the merchant reads a status.
pub fn status_label(status: OrderStatus) -> &'static str {
    match status {
        OrderStatus::Pending => "Pending",
        OrderStatus::Processing => "Processing",
        OrderStatus::Shipped => "Shipped",
        OrderStatus::Delivered => "Delivered",
        OrderStatus::Cancelled => "Cancelled",
        OrderStatus::Returned => "Returned",
    }
}

/// Adds a line to the order's history (inside the caller's transaction).
pub async fn record(conn: &mut SqliteConnection, order_id: i64, actor: EventActor, summary: &str) -> Result<()> {
    sqlx::query("INSERT INTO order_events (order_id, at, actor, summary) VALUES (?, ?, ?, ?)")
        .bind(order_id)
        .bind(now_ms())
        .bind(actor.as_str())
        .bind(summary)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// The order's history, newest first, ending with its import.
pub async fn history(conn: &mut SqliteConnection, order_id: i64, platform: Platform, created_at: i64) -> Result<Vec<OrderEvent>> {
    let rows = sqlx::query("SELECT id, at, actor, summary FROM order_events WHERE order_id = ? ORDER BY id DESC")
        .bind(order_id)
        .fetch_all(&mut *conn)
        .await?;
    let mut events = rows
        .iter()
        .map(|row| {
            Ok(OrderEvent { id: row.get(0), at: row.get(1), actor: EventActor::parse(row.get(2))?, summary: row.get(3) })
        })
        .collect::<Result<Vec<_>>>()?;
    // Derived, not stored: id 0 never collides with a stored event.
    events.push(OrderEvent {
        id: 0,
        at: created_at,
        actor: EventActor::Channel,
        summary: format!("Imported from {}", platform.display_name()),
    });
    Ok(events)
}
