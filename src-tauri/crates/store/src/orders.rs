//! Orders and their lines: idempotent upserts from sync, the incremental
//! cursor committed with each page, and the keyset-paged list the UI reads.

use sha2::{Digest, Sha256};
use sqlx::{QueryBuilder, Row, Sqlite, SqliteConnection};

use crate::model::{
    normalize_email, NewOrder, OrderCursor, OrderQuery, OrderRow, OrderStatus, OrdersPage, Platform,
};
use crate::{now_ms, Error, Result};

/// What one page of upserts changed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct UpsertStats {
    pub inserted: u64,
    pub updated: u64,
    pub unchanged: u64,
}

impl std::ops::AddAssign for UpsertStats {
    fn add_assign(&mut self, other: UpsertStats) {
        self.inserted += other.inserted;
        self.updated += other.updated;
        self.unchanged += other.unchanged;
    }
}

fn digest(order: &NewOrder) -> Result<String> {
    let bytes = serde_json::to_vec(order).map_err(|e| Error::Corrupt(e.to_string()))?;
    Ok(hex::encode(Sha256::digest(bytes)))
}

/// Upserts a page of orders keyed by (channel, external id), lines keyed by
/// (order, external line id). An order whose normalized payload is unchanged
/// is not written at all, so re-running a sync changes nothing. Call inside
/// the transaction that also saves the cursor.
pub async fn upsert_page(
    conn: &mut SqliteConnection,
    channel_id: i64,
    orders: &[NewOrder],
) -> Result<UpsertStats> {
    let mut stats = UpsertStats::default();
    for order in orders {
        let digest = digest(order)?;
        let existing: Option<(i64, String)> = sqlx::query_as(
            "SELECT id, payload_digest FROM orders WHERE channel_id = ? AND external_id = ?",
        )
        .bind(channel_id)
        .bind(&order.external_id)
        .fetch_optional(&mut *conn)
        .await?;
        match &existing {
            Some((_, old)) if *old == digest => {
                stats.unchanged += 1;
                continue;
            }
            Some(_) => stats.updated += 1,
            None => stats.inserted += 1,
        }
        let address = order
            .shipping_address
            .as_ref()
            .map(serde_json::to_string)
            .transpose()
            .map_err(|e| Error::Corrupt(e.to_string()))?;
        let order_id: i64 = sqlx::query(
            "INSERT INTO orders (channel_id, external_id, number, created_at, updated_at,
                 cancelled_at, email, email_normalized, customer_name, status, financial_status,
                 fulfillment_status, currency, total_minor, subtotal_minor, tax_minor,
                 shipping_address, payload_digest)
             VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)
             ON CONFLICT (channel_id, external_id) DO UPDATE SET
                 number = excluded.number, created_at = excluded.created_at,
                 updated_at = excluded.updated_at, cancelled_at = excluded.cancelled_at,
                 email = excluded.email, email_normalized = excluded.email_normalized,
                 customer_name = excluded.customer_name, status = excluded.status,
                 financial_status = excluded.financial_status,
                 fulfillment_status = excluded.fulfillment_status, currency = excluded.currency,
                 total_minor = excluded.total_minor, subtotal_minor = excluded.subtotal_minor,
                 tax_minor = excluded.tax_minor, shipping_address = excluded.shipping_address,
                 payload_digest = excluded.payload_digest
             RETURNING id",
        )
        .bind(channel_id)
        .bind(&order.external_id)
        .bind(&order.number)
        .bind(order.created_at)
        .bind(order.updated_at)
        .bind(order.cancelled_at)
        .bind(&order.email)
        .bind(order.email.as_deref().and_then(normalize_email))
        .bind(&order.customer_name)
        .bind(order.status.as_str())
        .bind(&order.financial_status)
        .bind(&order.fulfillment_status)
        .bind(&order.currency)
        .bind(order.total_minor)
        .bind(order.subtotal_minor)
        .bind(order.tax_minor)
        .bind(address)
        .bind(&digest)
        .fetch_one(&mut *conn)
        .await?
        .get(0);
        for line in &order.lines {
            sqlx::query(
                "INSERT INTO order_lines (order_id, external_id, sku, title, quantity, unit_price_minor)
                 VALUES (?,?,?,?,?,?)
                 ON CONFLICT (order_id, external_id) DO UPDATE SET
                     sku = excluded.sku, title = excluded.title, quantity = excluded.quantity,
                     unit_price_minor = excluded.unit_price_minor",
            )
            .bind(order_id)
            .bind(&line.external_id)
            .bind(&line.sku)
            .bind(&line.title)
            .bind(line.quantity)
            .bind(line.unit_price_minor)
            .execute(&mut *conn)
            .await?;
        }
        if existing.is_some() {
            // An edit can remove lines; keep exactly the lines the platform has now.
            let keep = serde_json::to_string(
                &order.lines.iter().map(|l| l.external_id.as_str()).collect::<Vec<_>>(),
            )
            .map_err(|e| Error::Corrupt(e.to_string()))?;
            sqlx::query(
                "DELETE FROM order_lines WHERE order_id = ?
                   AND external_id NOT IN (SELECT value FROM json_each(?))",
            )
            .bind(order_id)
            .bind(keep)
            .execute(&mut *conn)
            .await?;
        }
    }
    Ok(stats)
}

/// The channel's incremental pull position (platform `updated_at`, UTC ms).
pub async fn cursor(conn: &mut SqliteConnection, channel_id: i64) -> Result<Option<i64>> {
    Ok(
        sqlx::query_scalar("SELECT updated_at FROM order_cursors WHERE channel_id = ?")
            .bind(channel_id)
            .fetch_optional(&mut *conn)
            .await?,
    )
}

/// The platform's own resume position (e.g. X-Series' `version`), for
/// platforms whose list has no usable "updated since" filter.
pub async fn cursor_position(conn: &mut SqliteConnection, channel_id: i64) -> Result<Option<String>> {
    Ok(sqlx::query_scalar("SELECT position FROM order_cursors WHERE channel_id = ?")
        .bind(channel_id)
        .fetch_optional(&mut *conn)
        .await?
        .flatten())
}

/// Saves the pull position; the high-water mark never moves backwards. A
/// `position` replaces the stored one (platform positions only grow); `None`
/// keeps it.
pub async fn save_cursor(
    conn: &mut SqliteConnection,
    channel_id: i64,
    updated_at: i64,
    position: Option<&str>,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO order_cursors (channel_id, updated_at, saved_at, position) VALUES (?, ?, ?, ?)
         ON CONFLICT (channel_id) DO UPDATE
           SET updated_at = MAX(order_cursors.updated_at, excluded.updated_at),
               saved_at = excluded.saved_at,
               position = COALESCE(excluded.position, order_cursors.position)",
    )
    .bind(channel_id)
    .bind(updated_at)
    .bind(now_ms())
    .bind(position)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

fn push_filters(builder: &mut QueryBuilder<'_, Sqlite>, query: &OrderQuery) {
    builder.push(" WHERE 1 = 1");
    if let Some(channel_id) = query.channel_id {
        builder.push(" AND o.channel_id = ").push_bind(channel_id);
    }
    if let Some(search) = query.search.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        let pattern = format!("%{}%", search.to_lowercase().replace(['%', '_'], ""));
        builder
            .push(" AND (lower(o.number) LIKE ")
            .push_bind(pattern.clone())
            .push(" OR o.email_normalized LIKE ")
            .push_bind(pattern.clone())
            .push(" OR lower(o.customer_name) LIKE ")
            .push_bind(pattern)
            .push(")");
    }
}

/// One page of the unified list, newest first, continuing after `query.after`.
pub async fn page(conn: &mut SqliteConnection, query: &OrderQuery) -> Result<OrdersPage> {
    let limit = query.limit.clamp(1, 500) as i64;
    let mut builder = QueryBuilder::<Sqlite>::new(
        "SELECT o.id, o.channel_id, c.name AS channel_name, c.platform,
                CASE WHEN c.order_prefix = '' THEN o.number
                     ELSE c.order_prefix || ltrim(o.number, '#') END AS number,
                o.created_at,
                o.customer_name, o.email, o.status, o.financial_status, o.fulfillment_status,
                o.total_minor, o.currency,
                (SELECT COALESCE(SUM(l.quantity), 0) FROM order_lines l WHERE l.order_id = o.id) AS item_count
           FROM orders o JOIN channels c ON c.id = o.channel_id",
    );
    push_filters(&mut builder, query);
    if let Some(after) = query.after {
        builder
            .push(" AND (o.created_at, o.id) < (")
            .push_bind(after.created_at)
            .push(", ")
            .push_bind(after.id)
            .push(")");
    }
    builder
        .push(" ORDER BY o.created_at DESC, o.id DESC LIMIT ")
        .push_bind(limit + 1);
    let rows = builder.build().fetch_all(&mut *conn).await?;
    let mut out = Vec::with_capacity(rows.len());
    for row in rows.iter().take(limit as usize) {
        out.push(OrderRow {
            id: row.get("id"),
            channel_id: row.get("channel_id"),
            channel_name: row.get("channel_name"),
            platform: Platform::parse(row.get("platform"))?,
            number: row.get("number"),
            created_at: row.get("created_at"),
            customer_name: row.get("customer_name"),
            email: row.get("email"),
            status: OrderStatus::parse(row.get("status"))?,
            financial_status: row.get("financial_status"),
            fulfillment_status: row.get("fulfillment_status"),
            total_minor: row.get("total_minor"),
            currency: row.get("currency"),
            item_count: row.get("item_count"),
        });
    }
    let next = (rows.len() as i64 > limit)
        .then(|| out.last().map(|r| OrderCursor { created_at: r.created_at, id: r.id }))
        .flatten();
    let mut count = QueryBuilder::<Sqlite>::new("SELECT COUNT(*) FROM orders o");
    push_filters(&mut count, query);
    let total: i64 = count.build_query_scalar().fetch_one(&mut *conn).await?;
    Ok(OrdersPage { rows: out, next, total })
}
