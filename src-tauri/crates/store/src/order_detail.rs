//! One order in full, as its page shows it: the list row, money, address,
//! note, lines with what has shipped, shipments, history, and what the
//! merchant may do next.

use serde::Serialize;
use sqlx::{Row, SqliteConnection};
use ts_rs::TS;

use crate::fulfillment::{self, line_states, Shipment};
use crate::model::{Address, OrderRow, OrderStatus};
use crate::order_events::{self, OrderEvent};
use crate::order_list::{order_row, ROW_SELECT};
use crate::workflow::{next_statuses, order_channel};
use crate::{Error, Result};

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct OrderLineDetail {
    #[ts(type = "number")]
    pub id: i64,
    pub sku: Option<String>,
    pub title: String,
    #[ts(type = "number")]
    pub quantity: i64,
    #[ts(type = "number")]
    pub unit_price_minor: i64,
    /// Summed over this order's shipments.
    #[ts(type = "number")]
    pub shipped_quantity: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct OrderDetail {
    pub order: OrderRow,
    #[ts(type = "number")]
    pub subtotal_minor: i64,
    #[ts(type = "number")]
    pub tax_minor: i64,
    /// `None` when the channel doesn't say.
    #[ts(type = "number | null")]
    pub shipping_minor: Option<i64>,
    pub shipping_address: Option<Address>,
    pub note: Option<String>,
    pub lines: Vec<OrderLineDetail>,
    pub shipments: Vec<Shipment>,
    /// Newest first.
    pub history: Vec<OrderEvent>,
    /// The workflow's next steps this channel accepts.
    pub next_statuses: Vec<OrderStatus>,
    /// Why no change can be sent; `None` when the channel takes changes.
    pub write_block: Option<String>,
}

pub async fn detail(conn: &mut SqliteConnection, order_id: i64) -> Result<OrderDetail> {
    let row = sqlx::query(&format!(
        "{ROW_SELECT}, o.subtotal_minor, o.tax_minor, o.shipping_minor, o.shipping_address, o.note
           FROM orders o JOIN channels c ON c.id = o.channel_id WHERE o.id = ?"
    ))
    .bind(order_id)
    .fetch_optional(&mut *conn)
    .await?
    .ok_or(Error::NotFound("order"))?;
    let order = order_row(&row)?;
    let address: Option<String> = row.try_get("shipping_address")?;
    let shipping_address = address
        .map(|json| serde_json::from_str::<Address>(&json))
        .transpose()
        .map_err(|e| Error::Corrupt(format!("shipping address: {e}")))?;
    let lines = line_states(conn, order_id)
        .await?
        .into_iter()
        .map(|l| OrderLineDetail {
            id: l.id,
            sku: l.sku,
            title: l.title,
            quantity: l.quantity,
            unit_price_minor: l.unit_price_minor,
            shipped_quantity: l.shipped,
        })
        .collect();
    let channel = order_channel(conn, order_id).await?;
    Ok(OrderDetail {
        subtotal_minor: row.try_get("subtotal_minor")?,
        tax_minor: row.try_get("tax_minor")?,
        shipping_minor: row.try_get("shipping_minor")?,
        shipping_address,
        note: row.try_get("note")?,
        lines,
        shipments: fulfillment::shipments(conn, order_id).await?,
        history: order_events::history(conn, order_id, order.platform, order.created_at).await?,
        next_statuses: next_statuses(order.status, order.platform, channel.block.as_deref()),
        write_block: channel.block,
        order,
    })
}
