//! The outbox: every write Counterline owes a channel, stored in the same
//! transaction as the local change so neither can exist without the other.
//! The engine sends due items oldest first and marks one done only on the
//! platform's confirmation; an item survives restarts and offline spells.
//! Items whose remote order moved on since the change become conflicts the
//! merchant resolves.

use serde::{Deserialize, Serialize};
use sqlx::{Row, SqliteConnection};
use ts_rs::TS;

use crate::model::OrderStatus;
use crate::{now_ms, Error, Result};

/// Where an item is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
#[ts(export)]
pub enum OutboxState {
    /// Waiting to be sent (again).
    Pending,
    /// The platform confirmed it.
    Done,
    /// The remote order changed after our last sync; the merchant decides.
    Conflict,
    /// The platform refused it for good (the reason is kept); Retry re-queues it.
    Failed,
    /// The merchant kept the platform's version instead.
    Discarded,
}

impl OutboxState {
    fn as_str(self) -> &'static str {
        match self {
            OutboxState::Pending => "pending",
            OutboxState::Done => "done",
            OutboxState::Conflict => "conflict",
            OutboxState::Failed => "failed",
            OutboxState::Discarded => "discarded",
        }
    }

    fn parse(text: &str) -> Result<OutboxState> {
        Ok(match text {
            "pending" => OutboxState::Pending,
            "done" => OutboxState::Done,
            "conflict" => OutboxState::Conflict,
            "failed" => OutboxState::Failed,
            "discarded" => OutboxState::Discarded,
            other => return Err(Error::Corrupt(format!("outbox state {other:?}"))),
        })
    }
}

/// What an item asks the channel to do.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum Change {
    Status { status: OrderStatus },
    /// Shipped with a carrier and tracking number. No `lines`: every unit
    /// left (the whole-order fulfillment). With `lines`: exactly those units,
    /// one shipment; `partial` when units remain to ship after it.
    Fulfillment {
        carrier: String,
        tracking_number: String,
        tracking_url: Option<String>,
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        lines: Vec<FulfillmentLine>,
        #[serde(default)]
        partial: bool,
    },
}

/// Units of one order line in a shipment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FulfillmentLine {
    /// The line's id on the platform.
    pub external_id: String,
    pub quantity: i64,
    /// Units of the line shipped once this shipment is in, counting earlier
    /// ones: a platform already there means an earlier attempt landed.
    pub shipped_after: i64,
}

impl Change {
    fn kind(&self) -> &'static str {
        match self {
            Change::Status { .. } => "status",
            Change::Fulfillment { .. } => "fulfillment",
        }
    }

    /// The order's status once the channel has this change.
    pub fn status(&self) -> OrderStatus {
        match self {
            Change::Status { status } => *status,
            Change::Fulfillment { partial: true, .. } => OrderStatus::Processing,
            Change::Fulfillment { .. } => OrderStatus::Shipped,
        }
    }
}

/// An item as the engine sends it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutboxItem {
    pub id: i64,
    pub channel_id: i64,
    pub order_id: i64,
    /// The order's id on the platform.
    pub external_id: String,
    pub change: Change,
    pub idempotency_key: String,
    pub base_updated_at: i64,
    pub attempts: i64,
}

/// An item as the merchant sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct OutboxEntry {
    #[ts(type = "number")]
    pub id: i64,
    #[ts(type = "number")]
    pub channel_id: i64,
    #[ts(type = "number")]
    pub order_id: i64,
    pub order_number: String,
    /// The status the merchant set (Shipped for a fulfillment).
    pub status: OrderStatus,
    /// For a fulfillment: "UPS 1Z999…", what the customer can track.
    pub tracking: Option<String>,
    pub state: OutboxState,
    #[ts(type = "number")]
    pub attempts: i64,
    pub last_error: Option<String>,
    #[ts(type = "number")]
    pub created_at: i64,
}

fn random_key() -> String {
    use rand::RngCore;
    let mut bytes = [0u8; 16];
    rand::thread_rng().fill_bytes(&mut bytes);
    hex::encode(bytes)
}

/// Sets an order's status here and queues it for its channel, in one
/// transaction (pass `&mut *tx`). Returns the outbox item's id.
pub async fn set_status(conn: &mut SqliteConnection, order_id: i64, status: OrderStatus) -> Result<i64> {
    queue(conn, order_id, Change::Status { status }).await
}

/// Marks an order shipped here with its carrier and tracking number and
/// queues the fulfillment for its channel, in one transaction.
pub async fn fulfill(
    conn: &mut SqliteConnection,
    order_id: i64,
    carrier: &str,
    tracking_number: &str,
    tracking_url: Option<&str>,
) -> Result<i64> {
    let change = Change::Fulfillment {
        carrier: carrier.trim().to_owned(),
        tracking_number: tracking_number.trim().to_owned(),
        tracking_url: tracking_url.map(str::trim).filter(|u| !u.is_empty()).map(str::to_owned),
        lines: Vec::new(),
        partial: false,
    };
    queue(conn, order_id, change).await
}

async fn queue(conn: &mut SqliteConnection, order_id: i64, change: Change) -> Result<i64> {
    let row = sqlx::query("SELECT channel_id, updated_at FROM orders WHERE id = ?")
        .bind(order_id)
        .fetch_optional(&mut *conn)
        .await?
        .ok_or(Error::NotFound("order"))?;
    let (channel_id, base): (i64, i64) = (row.get(0), row.get(1));
    sqlx::query("UPDATE orders SET status = ? WHERE id = ?").bind(change.status().as_str()).bind(order_id).execute(&mut *conn).await?;
    enqueue(conn, channel_id, order_id, base, &change, None).await
}

/// Inserts an item for a change already applied locally (the order's
/// status set by the caller), optionally carrying a shipment.
pub(crate) async fn enqueue(
    conn: &mut SqliteConnection,
    channel_id: i64,
    order_id: i64,
    base: i64,
    change: &Change,
    shipment_id: Option<i64>,
) -> Result<i64> {
    let payload = serde_json::to_string(change).map_err(|e| Error::Corrupt(e.to_string()))?;
    let now = now_ms();
    Ok(sqlx::query_scalar(
        "INSERT INTO outbox (channel_id, order_id, kind, payload, idempotency_key, base_updated_at, next_attempt_at, created_at, shipment_id)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
    )
    .bind(channel_id)
    .bind(order_id)
    .bind(change.kind())
    .bind(payload)
    .bind(random_key())
    .bind(base)
    .bind(now)
    .bind(now)
    .bind(shipment_id)
    .fetch_one(&mut *conn)
    .await?)
}

/// What the history says about an item's outcome, e.g. "Sent to Shopify:
/// shipment via UPS (1Z…)".
fn what(change: &Change) -> String {
    match change {
        Change::Status { status } => format!("status {}", crate::order_events::status_label(*status)),
        Change::Fulfillment { carrier, tracking_number, .. } => format!("shipment via {carrier} ({tracking_number})"),
    }
}

async fn note_outcome(conn: &mut SqliteConnection, id: i64, state: Option<OutboxState>, reason: &str) -> Result<()> {
    let row = sqlx::query("SELECT x.order_id, c.platform, x.payload FROM outbox x JOIN channels c ON c.id = x.channel_id WHERE x.id = ?")
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?
        .ok_or(Error::NotFound("outbox item"))?;
    let platform = crate::model::Platform::parse(row.get(1))?.display_name();
    let change: Change = serde_json::from_str(row.get(2)).map_err(|e| Error::Corrupt(format!("outbox payload: {e}")))?;
    let summary = match state {
        None => format!("Sent to {platform}: {}", what(&change)),
        Some(OutboxState::Conflict) => format!("Not sent to {platform} ({}): {reason}", what(&change)),
        _ => format!("{platform} refused the {}: {reason}", what(&change)),
    };
    crate::order_events::record(conn, row.get(0), crate::order_events::EventActor::Counterline, &summary).await
}

const ITEM_SELECT: &str = "SELECT x.id, x.channel_id, x.order_id, o.external_id, x.payload, x.idempotency_key,
        x.base_updated_at, x.attempts
   FROM outbox x JOIN orders o ON o.id = x.order_id";

fn item(row: sqlx::sqlite::SqliteRow) -> Result<OutboxItem> {
    let payload: String = row.get(4);
    Ok(OutboxItem {
        id: row.get(0),
        channel_id: row.get(1),
        order_id: row.get(2),
        external_id: row.get(3),
        change: serde_json::from_str(&payload).map_err(|e| Error::Corrupt(format!("outbox payload: {e}")))?,
        idempotency_key: row.get(5),
        base_updated_at: row.get(6),
        attempts: row.get(7),
    })
}

/// Pending items whose time has come, oldest first; at most one per order
/// (a later change to the same order waits for the earlier one), and none
/// for an order that has an unresolved conflict.
pub async fn due(conn: &mut SqliteConnection, now: i64, limit: i64) -> Result<Vec<OutboxItem>> {
    let rows = sqlx::query(&format!(
        "{ITEM_SELECT}
          WHERE x.state = 'pending' AND x.next_attempt_at <= ?
            AND x.id = (SELECT MIN(y.id) FROM outbox y
                         WHERE y.order_id = x.order_id AND y.state IN ('pending', 'conflict'))
          ORDER BY x.id LIMIT ?"
    ))
    .bind(now)
    .bind(limit)
    .fetch_all(&mut *conn)
    .await?;
    rows.into_iter().map(item).collect()
}

pub async fn get(conn: &mut SqliteConnection, id: i64) -> Result<OutboxItem> {
    let row = sqlx::query(&format!("{ITEM_SELECT} WHERE x.id = ?")).bind(id).fetch_optional(&mut *conn).await?;
    item(row.ok_or(Error::NotFound("outbox item"))?)
}

/// Confirmed by the platform. Our own write moved the remote order to
/// `remote_updated_at`: later items for the same order, whether queued
/// already or made after this (a second shipment), build on that, so they
/// aren't mistaken for conflicts. The stored order learns it too; the next
/// pull still rewrites the order, as its payload changed.
pub async fn mark_done(conn: &mut SqliteConnection, item: &OutboxItem, remote_updated_at: i64) -> Result<()> {
    let now = now_ms();
    sqlx::query("UPDATE orders SET updated_at = MAX(updated_at, ?) WHERE id = ?")
        .bind(remote_updated_at)
        .bind(item.order_id)
        .execute(&mut *conn)
        .await?;
    sqlx::query("UPDATE outbox SET state = 'done', done_at = ?, attempts = attempts + 1, last_error = NULL WHERE id = ?")
        .bind(now)
        .bind(item.id)
        .execute(&mut *conn)
        .await?;
    note_outcome(conn, item.id, None, "").await?;
    sqlx::query("UPDATE outbox SET base_updated_at = MAX(base_updated_at, ?) WHERE order_id = ? AND state = 'pending' AND id > ?")
        .bind(remote_updated_at)
        .bind(item.order_id)
        .bind(item.id)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// Not delivered this time; try again at `next_attempt_at`.
pub async fn mark_retry(conn: &mut SqliteConnection, id: i64, error: &str, next_attempt_at: i64) -> Result<()> {
    sqlx::query("UPDATE outbox SET attempts = attempts + 1, last_error = ?, next_attempt_at = ? WHERE id = ?")
        .bind(error)
        .bind(next_attempt_at)
        .bind(id)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// Ends an item in `Conflict` or `Failed` with the reason in words.
pub async fn mark(conn: &mut SqliteConnection, id: i64, state: OutboxState, reason: &str) -> Result<()> {
    sqlx::query("UPDATE outbox SET state = ?, attempts = attempts + 1, last_error = ? WHERE id = ?")
        .bind(state.as_str())
        .bind(reason)
        .bind(id)
        .execute(&mut *conn)
        .await?;
    if matches!(state, OutboxState::Conflict | OutboxState::Failed) {
        note_outcome(conn, id, Some(state), reason).await?;
    }
    Ok(())
}

/// The merchant's answer to a conflict or failure. `send_anyway`: ours wins
/// over the remote order as it is now (`remote_updated_at`), queued at once.
/// Otherwise the platform's version stands: the item is discarded and the
/// next sync brings the order's remote status back.
pub async fn resolve(conn: &mut SqliteConnection, id: i64, send_anyway: bool, remote_updated_at: Option<i64>) -> Result<()> {
    let state: String = sqlx::query_scalar("SELECT state FROM outbox WHERE id = ?")
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?
        .ok_or(Error::NotFound("outbox item"))?;
    if !matches!(OutboxState::parse(&state)?, OutboxState::Conflict | OutboxState::Failed) {
        return Ok(());
    }
    if send_anyway {
        sqlx::query(
            "UPDATE outbox SET state = 'pending', next_attempt_at = ?, base_updated_at = MAX(base_updated_at, COALESCE(?, base_updated_at))
              WHERE id = ?",
        )
        .bind(now_ms())
        .bind(remote_updated_at)
        .bind(id)
        .execute(&mut *conn)
        .await?;
    } else {
        sqlx::query("UPDATE outbox SET state = 'discarded', done_at = ? WHERE id = ?").bind(now_ms()).bind(id).execute(&mut *conn).await?;
        // Let the next sync overwrite the local status with the platform's.
        sqlx::query("UPDATE orders SET payload_digest = '' WHERE id = (SELECT order_id FROM outbox WHERE id = ?)")
            .bind(id)
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

/// Items the merchant should see: not yet delivered, in conflict or failed.
pub async fn open_entries(conn: &mut SqliteConnection, channel_id: Option<i64>) -> Result<Vec<OutboxEntry>> {
    let rows = sqlx::query(
        "SELECT x.id, x.channel_id, x.order_id, o.number, x.payload, x.state, x.attempts, x.last_error, x.created_at
           FROM outbox x JOIN orders o ON o.id = x.order_id
          WHERE x.state IN ('pending', 'conflict', 'failed') AND (?1 IS NULL OR x.channel_id = ?1)
          ORDER BY x.id",
    )
    .bind(channel_id)
    .fetch_all(&mut *conn)
    .await?;
    rows.into_iter()
        .map(|row| {
            let payload: String = row.get(4);
            let change: Change = serde_json::from_str(&payload).map_err(|e| Error::Corrupt(format!("outbox payload: {e}")))?;
            let tracking = match &change {
                Change::Fulfillment { carrier, tracking_number, .. } => Some(format!("{carrier} {tracking_number}")),
                Change::Status { .. } => None,
            };
            Ok(OutboxEntry {
                id: row.get(0),
                channel_id: row.get(1),
                order_id: row.get(2),
                order_number: row.get(3),
                status: change.status(),
                tracking,
                state: OutboxState::parse(row.get(5))?,
                attempts: row.get(6),
                last_error: row.get(7),
                created_at: row.get(8),
            })
        })
        .collect()
}

/// How many deliveries of each state a channel has (tests, troubleshooting).
pub async fn count(conn: &mut SqliteConnection, state: OutboxState) -> Result<i64> {
    Ok(sqlx::query_scalar("SELECT COUNT(*) FROM outbox WHERE state = ?").bind(state.as_str()).fetch_one(&mut *conn).await?)
}
