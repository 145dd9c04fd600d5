//! Orders and their lines: idempotent upserts from sync and the incremental
//! cursor committed with each page. The list the UI reads is `order_list`.

use std::collections::{HashMap, HashSet};

use sha2::{Digest, Sha256};
use sqlx::{QueryBuilder, Row, Sqlite, SqliteConnection};

use crate::model::{normalize_email, NewOrder, NewOrderLine};
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

/// SHA-256 over the order's fields as `Hash` feeds them (lengths and
/// variants included, so no two orders feed the same bytes). Serializing to
/// JSON first cost about a tenth of a sync's CPU. Should a Rust release
/// change what `Hash` feeds, stored orders only read as changed once and are
/// rewritten with the same data.
fn digest(order: &NewOrder) -> String {
    struct Fields(Sha256);
    impl std::hash::Hasher for Fields {
        fn write(&mut self, bytes: &[u8]) {
            self.0.update(bytes);
        }
        fn finish(&self) -> u64 {
            let full = self.0.clone().finalize();
            u64::from_le_bytes(full[..8].try_into().unwrap_or_default())
        }
    }
    let mut fields = Fields(Sha256::new());
    std::hash::Hash::hash(order, &mut fields);
    hex::encode(fields.0.finalize())
}

/// Rows per multi-row statement, largest first: a write is cut into
/// statements of exactly these sizes (1,234 orders make statements of 1,000,
/// 100, 100, 10, 10, 10, 1, 1, 1 and 1), so every statement is one of a
/// handful of SQL texts, prepared once per connection and reused from its
/// statement cache. 250 and 100 are the platforms' usual page sizes, so a
/// page written on its own is one statement. Big statements matter: SQLite
/// copies each page a statement touches into the statement journal once per
/// statement, so 100-order statements copied the same index pages ten times
/// as often. Orders bind 21 values each and lines 6, under SQLite's 32,766
/// bound variables.
const ORDER_CHUNKS: [usize; 5] = [1_000, 250, 100, 10, 1];
const LINE_CHUNKS: [usize; 5] = [5_000, 1_000, 250, 25, 1];

/// `items` cut into slices whose lengths all come from `sizes` (largest
/// first, ending in 1), taking the largest that fits each time.
fn ladder<'a, T>(mut items: &'a [T], sizes: &'static [usize]) -> impl Iterator<Item = &'a [T]> {
    std::iter::from_fn(move || {
        let size = sizes.iter().copied().find(|&size| size <= items.len())?;
        let (chunk, rest) = items.split_at(size);
        items = rest;
        Some(chunk)
    })
}

/// Upserts a page of orders keyed by (channel, external id), lines keyed by
/// (order, external line id). An order whose normalized payload is unchanged
/// is not written at all, so re-running a sync changes nothing. Call inside
/// the transaction that also saves the cursor.
///
/// Set-based: one lookup of the page's existing digests, then multi-row
/// upserts of the changed orders and their lines, because per-row statements
/// cost a round trip each to SQLite's worker thread.
pub async fn upsert_page(
    conn: &mut SqliteConnection,
    channel_id: i64,
    orders: &[NewOrder],
) -> Result<UpsertStats> {
    Ok(upsert_page_changed(conn, channel_id, orders).await?.0)
}

/// [`upsert_page`], also returning the row ids of the orders it inserted or
/// updated (unchanged ones are left out), for the loyalty rules to apply in
/// the same transaction.
pub async fn upsert_page_changed(
    conn: &mut SqliteConnection,
    channel_id: i64,
    orders: &[NewOrder],
) -> Result<(UpsertStats, Vec<i64>)> {
    let mut stats = UpsertStats::default();
    if orders.is_empty() {
        return Ok((stats, Vec::new()));
    }
    let ids = serde_json::to_string(&orders.iter().map(|o| o.external_id.as_str()).collect::<Vec<_>>())
        .map_err(|e| Error::Corrupt(e.to_string()))?;
    let existing: HashMap<String, String> = sqlx::query_as(
        "SELECT external_id, payload_digest FROM orders
          WHERE channel_id = ? AND external_id IN (SELECT value FROM json_each(?))",
    )
    .bind(channel_id)
    .bind(ids)
    .fetch_all(&mut *conn)
    .await?
    .into_iter()
    .collect();

    // The last copy of an order wins when a page repeats one.
    let mut changed: Vec<Prepared<'_>> = Vec::with_capacity(orders.len());
    let mut seen = HashSet::new();
    for order in orders.iter().rev() {
        if !seen.insert(order.external_id.as_str()) {
            continue;
        }
        let digest = digest(order);
        match existing.get(&order.external_id) {
            Some(old) if *old == digest => stats.unchanged += 1,
            found => {
                if found.is_some() {
                    stats.updated += 1;
                } else {
                    stats.inserted += 1;
                }
                changed.push((order, digest, address_json(order)?));
            }
        }
    }
    if changed.is_empty() {
        return Ok((stats, Vec::new()));
    }
    changed.reverse();

    let order_ids = write_orders(conn, channel_id, &changed, Conflict::Update).await?;
    let lines = lines_of(&changed, &order_ids);
    write_lines(conn, &lines, Conflict::Update).await?;

    // An edit can remove lines: keep exactly the lines the platform has now.
    let updated: HashSet<i64> = changed
        .iter()
        .filter(|(order, _, _)| existing.contains_key(&order.external_id))
        .map(|(order, _, _)| order_ids[&order.external_id])
        .collect();
    if !updated.is_empty() {
        let keep: Vec<String> = lines
            .iter()
            .filter(|(id, _)| updated.contains(id))
            .map(|(id, line)| format!("{id}:{}", line.external_id))
            .collect();
        sqlx::query(
            "DELETE FROM order_lines
              WHERE order_id IN (SELECT value FROM json_each(?1))
                AND (order_id || ':' || external_id) NOT IN (SELECT value FROM json_each(?2))",
        )
        .bind(serde_json::to_string(&updated).map_err(|e| Error::Corrupt(e.to_string()))?)
        .bind(serde_json::to_string(&keep).map_err(|e| Error::Corrupt(e.to_string()))?)
        .execute(&mut *conn)
        .await?;
    }
    Ok((stats, order_ids.into_values().collect()))
}

/// Whether a write may meet existing rows (sync) or never does (the bound).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Conflict {
    Update,
    Impossible,
}

type Prepared<'a> = (&'a NewOrder, String, Option<String>);

fn address_json(order: &NewOrder) -> Result<Option<String>> {
    order.shipping_address.as_ref().map(serde_json::to_string).transpose().map_err(|e| Error::Corrupt(e.to_string()))
}

fn prepare(order: &NewOrder) -> Result<Prepared<'_>> {
    Ok((order, digest(order), address_json(order)?))
}

/// Multi-row INSERTs of the orders; returns their row ids by external id.
async fn write_orders(
    conn: &mut SqliteConnection,
    channel_id: i64,
    changed: &[Prepared<'_>],
    conflict: Conflict,
) -> Result<HashMap<String, i64>> {
    let mut order_ids: HashMap<String, i64> = HashMap::with_capacity(changed.len());
    for chunk in ladder(changed, &ORDER_CHUNKS) {
        let mut insert = QueryBuilder::<Sqlite>::new(
            "INSERT INTO orders (channel_id, external_id, number, created_at, updated_at,
                 cancelled_at, email, email_normalized, customer_name, status, financial_status,
                 fulfillment_status, currency, total_minor, subtotal_minor, tax_minor,
                 shipping_address, payload_digest, note, shipping_minor, refunded_minor) ",
        );
        insert.push_values(chunk, |mut row, (order, digest, address)| {
            row.push_bind(channel_id)
                .push_bind(&order.external_id)
                .push_bind(&order.number)
                .push_bind(order.created_at)
                .push_bind(order.updated_at)
                .push_bind(order.cancelled_at)
                .push_bind(&order.email)
                .push_bind(order.email.as_deref().and_then(normalize_email))
                .push_bind(&order.customer_name)
                .push_bind(order.status.as_str())
                .push_bind(&order.financial_status)
                .push_bind(&order.fulfillment_status)
                .push_bind(&order.currency)
                .push_bind(order.total_minor)
                .push_bind(order.subtotal_minor)
                .push_bind(order.tax_minor)
                .push_bind(address)
                .push_bind(digest)
                .push_bind(&order.note)
                .push_bind(order.shipping_minor)
                .push_bind(order.refunded_minor);
        });
        if conflict == Conflict::Update {
            insert.push(
                " ON CONFLICT (channel_id, external_id) DO UPDATE SET
                     number = excluded.number, created_at = excluded.created_at,
                     updated_at = excluded.updated_at, cancelled_at = excluded.cancelled_at,
                     email = excluded.email, email_normalized = excluded.email_normalized,
                     customer_name = excluded.customer_name,
                     -- A status the merchant set that the channel hasn't confirmed yet stays.
                     status = CASE WHEN EXISTS (SELECT 1 FROM outbox x WHERE x.order_id = orders.id
                                                   AND x.state IN ('pending', 'conflict'))
                                   THEN orders.status ELSE excluded.status END,
                     financial_status = excluded.financial_status,
                     fulfillment_status = excluded.fulfillment_status, currency = excluded.currency,
                     total_minor = excluded.total_minor, subtotal_minor = excluded.subtotal_minor,
                     tax_minor = excluded.tax_minor, shipping_address = excluded.shipping_address,
                     payload_digest = excluded.payload_digest,
                     note = excluded.note, shipping_minor = excluded.shipping_minor,
                     refunded_minor = excluded.refunded_minor",
            );
        }
        insert.push(" RETURNING external_id, id");
        // RETURNING rows come in no promised order: key them by external id.
        for row in insert.build().fetch_all(&mut *conn).await? {
            order_ids.insert(row.get(0), row.get(1));
        }
    }
    Ok(order_ids)
}

fn lines_of<'a>(changed: &[Prepared<'a>], order_ids: &HashMap<String, i64>) -> Vec<(i64, &'a NewOrderLine)> {
    changed
        .iter()
        .flat_map(|(order, _, _)| {
            let id = order_ids[&order.external_id];
            order.lines.iter().map(move |line| (id, line))
        })
        .collect()
}

async fn write_lines(conn: &mut SqliteConnection, lines: &[(i64, &NewOrderLine)], conflict: Conflict) -> Result<()> {
    for chunk in ladder(lines, &LINE_CHUNKS) {
        let mut insert =
            QueryBuilder::<Sqlite>::new("INSERT INTO order_lines (order_id, external_id, sku, title, quantity, unit_price_minor) ");
        insert.push_values(chunk, |mut row, (order_id, line)| {
            row.push_bind(*order_id)
                .push_bind(&line.external_id)
                .push_bind(&line.sku)
                .push_bind(&line.title)
                .push_bind(line.quantity)
                .push_bind(line.unit_price_minor);
        });
        if conflict == Conflict::Update {
            insert.push(
                " ON CONFLICT (order_id, external_id) DO UPDATE SET
                     sku = excluded.sku, title = excluded.title, quantity = excluded.quantity,
                     unit_price_minor = excluded.unit_price_minor",
            );
        }
        insert.build().execute(&mut *conn).await?;
    }
    Ok(())
}

/// Plain batched INSERTs of orders the channel doesn't have yet, with no
/// lookup and no conflict handling: the sync benchmark's bound, i.e. the
/// fastest the same rows can go into this schema. Fails on a duplicate.
pub async fn insert_new(conn: &mut SqliteConnection, channel_id: i64, orders: &[NewOrder]) -> Result<()> {
    let prepared = orders.iter().map(prepare).collect::<Result<Vec<_>>>()?;
    let order_ids = write_orders(conn, channel_id, &prepared, Conflict::Impossible).await?;
    write_lines(conn, &lines_of(&prepared, &order_ids), Conflict::Impossible).await
}

/// The channel an order belongs to.
pub async fn channel_of(conn: &mut SqliteConnection, order_id: i64) -> Result<i64> {
    sqlx::query_scalar("SELECT channel_id FROM orders WHERE id = ?")
        .bind(order_id)
        .fetch_optional(&mut *conn)
        .await?
        .ok_or(Error::NotFound("order"))
}

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

#[cfg(test)]
mod tests {
    use super::ladder;

    #[test]
    fn a_write_is_cut_into_statements_of_the_fixed_sizes_only_in_order() {
        let items: Vec<usize> = (0..1_234).collect();
        let chunks: Vec<&[usize]> = ladder(&items, &[1_000, 100, 10, 1]).collect();
        let sizes: Vec<usize> = chunks.iter().map(|c| c.len()).collect();
        assert_eq!(sizes, [1_000, 100, 100, 10, 10, 10, 1, 1, 1, 1], "largest first, so the statement count stays small");
        assert_eq!(chunks.concat(), items, "every item exactly once, in order");
        assert_eq!(ladder(&items[..0], &[1_000, 1]).count(), 0, "nothing to write, no statement");
    }
}
