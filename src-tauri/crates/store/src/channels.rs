//! Channel rows: the merchant's connections. Credentials are never stored
//! here; see `counterline-secrets`.

use sqlx::{Row, SqliteConnection};

use crate::model::{ChannelSettings, ChannelStatus, ChannelView, Platform, SyncDirection};
use crate::{now_ms, Error, Result};

/// Creates the channel for (platform, account) or, when it exists (a
/// re-authorization), reactivates that same row so history is kept and no
/// order is duplicated. Returns the channel id.
pub async fn upsert(
    conn: &mut SqliteConnection,
    platform: Platform,
    account: &str,
    name: &str,
) -> Result<i64> {
    let row = sqlx::query(
        "INSERT INTO channels (platform, account, name, status, created_at)
         VALUES (?, ?, ?, 'active', ?)
         ON CONFLICT (platform, account) DO UPDATE
           SET name = excluded.name, status_detail = NULL, disconnected_at = NULL,
               -- A merchant's pause survives re-authorizing; an error does not.
               status = CASE WHEN channels.status = 'paused' AND channels.disconnected_at IS NULL
                             THEN 'paused' ELSE 'active' END
         RETURNING id",
    )
    .bind(platform.as_str())
    .bind(account)
    .bind(name)
    .bind(now_ms())
    .fetch_one(&mut *conn)
    .await?;
    Ok(row.get(0))
}

const VIEW_SELECT: &str = "SELECT c.id, c.platform, c.name, c.account, c.status, c.status_detail,
        (SELECT MAX(o.created_at) FROM orders o WHERE o.channel_id = c.id) AS last_order_at,
        c.last_synced_at,
        (SELECT COUNT(*) FROM orders o WHERE o.channel_id = c.id) AS order_count,
        c.sync_direction, c.auto_sync_minutes, c.price_list, c.warehouse, c.order_prefix
   FROM channels c";

fn view_from_row(row: &sqlx::sqlite::SqliteRow) -> Result<ChannelView> {
    Ok(ChannelView {
        id: row.get("id"),
        platform: Platform::parse(row.get("platform"))?,
        name: row.get("name"),
        account: row.get("account"),
        status: ChannelStatus::parse(row.get("status"))?,
        status_detail: row.get("status_detail"),
        last_order_at: row.get("last_order_at"),
        last_synced_at: row.get("last_synced_at"),
        order_count: row.get("order_count"),
        settings: ChannelSettings {
            sync_direction: SyncDirection::parse(row.get("sync_direction"))?,
            auto_sync_minutes: row.get::<Option<i64>, _>("auto_sync_minutes").map(|m| m as u32),
            price_list: row.get("price_list"),
            warehouse: row.get("warehouse"),
            order_prefix: row.get("order_prefix"),
        },
    })
}

/// Connected channels (disconnected ones keep their row for their orders).
pub async fn list(conn: &mut SqliteConnection) -> Result<Vec<ChannelView>> {
    let rows = sqlx::query(&format!("{VIEW_SELECT} WHERE c.disconnected_at IS NULL ORDER BY c.created_at, c.id"))
        .fetch_all(&mut *conn)
        .await?;
    rows.iter().map(view_from_row).collect()
}

pub async fn get(conn: &mut SqliteConnection, id: i64) -> Result<ChannelView> {
    let row = sqlx::query(&format!("{VIEW_SELECT} WHERE c.id = ?"))
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?
        .ok_or(Error::NotFound("channel"))?;
    view_from_row(&row)
}

pub async fn set_status(
    conn: &mut SqliteConnection,
    id: i64,
    status: ChannelStatus,
    detail: Option<&str>,
) -> Result<()> {
    sqlx::query("UPDATE channels SET status = ?, status_detail = ? WHERE id = ?")
        .bind(status.as_str())
        .bind(detail)
        .bind(id)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

pub async fn mark_synced(conn: &mut SqliteConnection, id: i64, at: i64) -> Result<()> {
    sqlx::query("UPDATE channels SET last_synced_at = ? WHERE id = ?")
        .bind(at)
        .bind(id)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// Pauses (syncs nothing, keeps the connection) or resumes a channel.
/// Resuming clears an error: the next sync will show whether it persists.
pub async fn set_paused(conn: &mut SqliteConnection, id: i64, paused: bool) -> Result<()> {
    let status = if paused { ChannelStatus::Paused } else { ChannelStatus::Active };
    set_status(conn, id, status, None).await
}

pub async fn update_settings(conn: &mut SqliteConnection, id: i64, settings: &ChannelSettings) -> Result<()> {
    let done = sqlx::query(
        "UPDATE channels SET sync_direction = ?, auto_sync_minutes = ?, price_list = ?, warehouse = ?,
                order_prefix = ? WHERE id = ? AND disconnected_at IS NULL",
    )
    .bind(settings.sync_direction.as_str())
    .bind(settings.auto_sync_minutes.map(i64::from))
    .bind(settings.price_list.as_deref().map(str::trim).filter(|s| !s.is_empty()))
    .bind(settings.warehouse.as_deref().map(str::trim).filter(|s| !s.is_empty()))
    .bind(&settings.order_prefix)
    .bind(id)
    .execute(&mut *conn)
    .await?;
    if done.rows_affected() == 0 {
        return Err(Error::NotFound("channel"));
    }
    Ok(())
}

/// Removes the channel from the list; its orders stay. Credentials are the
/// caller's to delete from the keychain.
pub async fn disconnect(conn: &mut SqliteConnection, id: i64) -> Result<()> {
    sqlx::query("UPDATE channels SET disconnected_at = ?, status = 'paused' WHERE id = ?")
        .bind(now_ms())
        .bind(id)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// Remembers the latest sync failure for the troubleshooting panel.
pub async fn record_error(conn: &mut SqliteConnection, id: i64, message: &str) -> Result<()> {
    sqlx::query("UPDATE channels SET last_error = ?, last_error_at = ? WHERE id = ?")
        .bind(message)
        .bind(now_ms())
        .bind(id)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// (last error, when) for the troubleshooting panel.
pub async fn last_error(conn: &mut SqliteConnection, id: i64) -> Result<Option<(String, i64)>> {
    let row: Option<(Option<String>, Option<i64>)> =
        sqlx::query_as("SELECT last_error, last_error_at FROM channels WHERE id = ?")
            .bind(id)
            .fetch_optional(&mut *conn)
            .await?;
    Ok(row.and_then(|(message, at)| Some((message?, at?))))
}

/// Connected, unpaused channels whose auto-sync interval has elapsed at `now`.
pub async fn due_for_auto_sync(conn: &mut SqliteConnection, now: i64) -> Result<Vec<i64>> {
    Ok(sqlx::query_scalar(
        "SELECT id FROM channels
          WHERE disconnected_at IS NULL AND status = 'active' AND auto_sync_minutes IS NOT NULL
            AND sync_direction IN ('pull', 'two_way')
            AND COALESCE(last_synced_at, 0) + auto_sync_minutes * 60000 <= ?",
    )
    .bind(now)
    .fetch_all(&mut *conn)
    .await?)
}

/// Pulling channels that have never finished a sync: a backfill that was
/// cut short (or not begun) and should resume from its saved cursor.
pub async fn unfinished_backfills(conn: &mut SqliteConnection) -> Result<Vec<i64>> {
    Ok(sqlx::query_scalar(
        "SELECT id FROM channels
          WHERE disconnected_at IS NULL AND status = 'active' AND last_synced_at IS NULL
            AND sync_direction IN ('pull', 'two_way')",
    )
    .fetch_all(&mut *conn)
    .await?)
}

/// Orders of this channel with no email: they can never match a member.
pub async fn orders_without_email(conn: &mut SqliteConnection, id: i64) -> Result<i64> {
    Ok(sqlx::query_scalar("SELECT COUNT(*) FROM orders WHERE channel_id = ? AND email_normalized IS NULL")
        .bind(id)
        .fetch_one(&mut *conn)
        .await?)
}
