//! The order workflow Counterline offers: which status may follow which,
//! whether a channel takes changes at all, and the merchant's status
//! changes (checked, recorded in the history, queued for the channel).
//!
//! Pending → Processing, Cancelled; Processing → Shipped (only by a
//! shipment), Cancelled; Shipped → Delivered, Returned; Delivered →
//! Returned; Cancelled and Returned are final.

use sqlx::{Row, SqliteConnection};

use crate::model::{OrderStatus, Platform, SyncDirection};
use crate::order_events::{self, status_label, EventActor};
use crate::{outbox, Error, Result};

/// The statuses that may follow `from`, in the order they are offered.
pub fn transitions(from: OrderStatus) -> &'static [OrderStatus] {
    use OrderStatus::*;
    match from {
        Pending => &[Processing, Cancelled],
        Processing => &[Shipped, Cancelled],
        Shipped => &[Delivered, Returned],
        Delivered => &[Returned],
        Cancelled | Returned => &[],
    }
}

/// Why no change to this channel's orders can be sent, in plain words;
/// `None` when the channel takes changes.
pub fn write_block(platform: Platform, direction: SyncDirection, channel_name: &str) -> Option<String> {
    if !matches!(platform, Platform::Shopify | Platform::BigCommerce | Platform::WooCommerce) {
        return Some(format!("Counterline can't send changes to {} orders yet.", platform.display_name()));
    }
    if !direction.pushes() {
        return Some(format!("{channel_name} is set to pull only. Turn on two-way sync in its settings to send changes."));
    }
    None
}

/// How far along the happy path a status is, for "can't go back" wording.
fn step(status: OrderStatus) -> u8 {
    match status {
        OrderStatus::Pending => 0,
        OrderStatus::Processing => 1,
        OrderStatus::Shipped => 2,
        OrderStatus::Delivered => 3,
        OrderStatus::Cancelled | OrderStatus::Returned => 4,
    }
}

/// The channel an order belongs to, as the workflow needs it.
pub(crate) struct OrderChannel {
    pub status: OrderStatus,
    pub platform: Platform,
    pub block: Option<String>,
}

pub(crate) async fn order_channel(conn: &mut SqliteConnection, order_id: i64) -> Result<OrderChannel> {
    let row = sqlx::query(
        "SELECT o.status, c.platform, c.sync_direction, c.name FROM orders o JOIN channels c ON c.id = o.channel_id WHERE o.id = ?",
    )
    .bind(order_id)
    .fetch_optional(&mut *conn)
    .await?
    .ok_or(Error::NotFound("order"))?;
    let platform = Platform::parse(row.get(1))?;
    let direction = SyncDirection::parse(row.get(2))?;
    Ok(OrderChannel {
        status: OrderStatus::parse(row.get(0))?,
        platform,
        block: write_block(platform, direction, row.get(3)),
    })
}

/// What the merchant may move the order to now: the workflow's next steps
/// that this channel accepts; nothing when the channel takes no changes.
pub fn next_statuses(status: OrderStatus, platform: Platform, block: Option<&str>) -> Vec<OrderStatus> {
    if block.is_some() {
        return Vec::new();
    }
    transitions(status).iter().copied().filter(|s| platform.writable_status(*s)).collect()
}

/// Sets the order's status if the workflow and the channel allow it, notes
/// it in the history and queues it for the channel, all in the caller's
/// transaction. Shipped goes through `fulfillment::ship` instead.
pub async fn set_status(conn: &mut SqliteConnection, order_id: i64, status: OrderStatus) -> Result<i64> {
    let order = order_channel(conn, order_id).await?;
    if status == OrderStatus::Shipped {
        return Err(Error::Refused("Use Ship to add the carrier and tracking number.".into()));
    }
    if let Some(block) = order.block {
        return Err(Error::Refused(block));
    }
    if !transitions(order.status).contains(&status) {
        let (from, to) = (status_label(order.status), status_label(status));
        return Err(Error::Refused(match (transitions(order.status), step(status) < step(order.status)) {
            ([], _) => format!("An order that is {from} can't change any more."),
            (_, true) => format!("An order that is {from} can't go back to {to}."),
            (_, false) => format!("An order that is {from} can't go to {to}."),
        }));
    }
    if !order.platform.writable_status(status) {
        return Err(Error::Refused(format!(
            "Counterline can't set {} orders to {}.",
            order.platform.display_name(),
            status_label(status)
        )));
    }
    let id = outbox::set_status(conn, order_id, status).await?;
    order_events::record(conn, order_id, EventActor::Merchant, &format!("Status changed to {}", status_label(status))).await?;
    Ok(id)
}
