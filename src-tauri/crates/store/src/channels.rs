//! Channel rows: the merchant's connections. Credentials are never stored
//! here; see `counterline-secrets`.

use sqlx::{Row, SqliteConnection};

use crate::model::{ChannelStatus, ChannelView, Platform};
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
           SET name = excluded.name, status = 'active', status_detail = NULL
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
        (SELECT COUNT(*) FROM orders o WHERE o.channel_id = c.id) AS order_count
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
    })
}

pub async fn list(conn: &mut SqliteConnection) -> Result<Vec<ChannelView>> {
    let rows = sqlx::query(&format!("{VIEW_SELECT} ORDER BY c.created_at, c.id"))
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
