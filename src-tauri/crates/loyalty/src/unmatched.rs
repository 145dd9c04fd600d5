//! Orders no member owns: no email at all, or an email no member has
//! (guests). Counted and listed, never dropped.

use sqlx::{QueryBuilder, Row, Sqlite, SqliteConnection};

use counterline_store::model::Platform;

use crate::model::{UnmatchedOrder, UnmatchedPage, UnmatchedQuery, UnmatchedReason, UnmatchedSummary};
use crate::{Error, Result};

/// Unmatched orders by reason, for every channel or one.
pub async fn summary(conn: &mut SqliteConnection, channel_id: Option<i64>) -> Result<UnmatchedSummary> {
    let (no_email, no_member): (i64, i64) = sqlx::query_as(
        "SELECT COALESCE(SUM(o.email_normalized IS NULL), 0),
                COALESCE(SUM(o.email_normalized IS NOT NULL AND m.id IS NULL), 0)
           FROM orders o LEFT JOIN members m ON m.email_normalized = o.email_normalized
          WHERE (?1 IS NULL OR o.channel_id = ?1) AND m.id IS NULL",
    )
    .bind(channel_id)
    .fetch_one(&mut *conn)
    .await?;
    Ok(UnmatchedSummary { no_email, no_member })
}

/// Orders of a channel that match no member (the troubleshooting count).
pub async fn count_for_channel(conn: &mut SqliteConnection, channel_id: i64) -> Result<i64> {
    let summary = summary(conn, Some(channel_id)).await?;
    Ok(summary.no_email + summary.no_member)
}

/// A page of unmatched orders, newest first; the cursor is `"createdAt:id"`.
pub async fn page(conn: &mut SqliteConnection, query: &UnmatchedQuery) -> Result<UnmatchedPage> {
    let limit = query.limit.clamp(1, 500) as i64;
    let mut builder = QueryBuilder::<Sqlite>::new(
        "SELECT o.id, o.channel_id, c.name, c.platform,
                CASE WHEN c.order_prefix = '' THEN o.number ELSE c.order_prefix || ltrim(o.number, '#') END,
                o.created_at, o.email, o.customer_name, o.total_minor, o.currency, o.email_normalized IS NULL
           FROM orders o JOIN channels c ON c.id = o.channel_id
           LEFT JOIN members m ON m.email_normalized = o.email_normalized
          WHERE m.id IS NULL",
    );
    if let Some(channel_id) = query.channel_id {
        builder.push(" AND o.channel_id = ").push_bind(channel_id);
    }
    match query.reason {
        Some(UnmatchedReason::NoEmail) => builder.push(" AND o.email_normalized IS NULL"),
        Some(UnmatchedReason::NoMember) => builder.push(" AND o.email_normalized IS NOT NULL"),
        None => &mut builder,
    };
    if let Some(after) = &query.after {
        let (at, id) = after
            .split_once(':')
            .and_then(|(a, b)| Some((a.parse::<i64>().ok()?, b.parse::<i64>().ok()?)))
            .ok_or_else(|| Error::Invalid("That page of orders is out of date; reload the list.".into()))?;
        builder.push(" AND (o.created_at, o.id) < (").push_bind(at).push(", ").push_bind(id).push(")");
    }
    builder.push(" ORDER BY o.created_at DESC, o.id DESC LIMIT ").push_bind(limit + 1);
    let rows = builder.build().fetch_all(&mut *conn).await?;
    let mut out = Vec::with_capacity(rows.len());
    for row in rows.iter().take(limit as usize) {
        out.push(UnmatchedOrder {
            order_id: row.get(0),
            channel_id: row.get(1),
            channel_name: row.get(2),
            platform: Platform::parse(row.get(3))?,
            number: row.get(4),
            created_at: row.get(5),
            email: row.get(6),
            customer_name: row.get(7),
            total_minor: row.get(8),
            currency: row.get(9),
            reason: if row.get::<bool, _>(10) { UnmatchedReason::NoEmail } else { UnmatchedReason::NoMember },
        });
    }
    let next = (rows.len() as i64 > limit).then(|| out.last().map(|o| format!("{}:{}", o.created_at, o.order_id))).flatten();
    Ok(UnmatchedPage { rows: out, next })
}
