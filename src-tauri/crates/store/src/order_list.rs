//! The unified orders list: filters, every sort in both directions, keyset
//! pages behind an opaque cursor, and a capped count. Paging through a
//! result yields each matching order exactly once, in order, because every
//! sort key ends with the order's id.
//!
//! Two kinds of sort. Columns with an index of their own (number, date,
//! customer, payment and fulfillment status, total) page by `(key…, id)` in
//! one direction. Channel and status have a handful of values: the list walks
//! them one segment at a time (channels by name, statuses in workflow
//! order), newest first inside each, on the `(channel|status, created_at)`
//! indexes. The WHERE clause, and whether a page walks the sort index or
//! starts from the customer or text filter's matches, is [`filter`]'s.

use serde::{Deserialize, Serialize};
use sqlx::sqlite::SqliteRow;
use sqlx::{QueryBuilder, Row, Sqlite, SqliteConnection};
use ts_rs::TS;

use crate::model::{OrderRow, OrderStatus, OrderSyncState, Platform};
use crate::{Error, Result};

mod filter;
#[cfg(test)]
mod tests;

use filter::{matched, push_filter, reach, Matched, Plan, Reach};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum OrderSortColumn {
    Number,
    CreatedAt,
    Customer,
    Channel,
    Status,
    PaymentStatus,
    FulfillmentStatus,
    Total,
}

impl OrderSortColumn {
    pub const ALL: [OrderSortColumn; 8] = [
        OrderSortColumn::Number,
        OrderSortColumn::CreatedAt,
        OrderSortColumn::Customer,
        OrderSortColumn::Channel,
        OrderSortColumn::Status,
        OrderSortColumn::PaymentStatus,
        OrderSortColumn::FulfillmentStatus,
        OrderSortColumn::Total,
    ];

    /// The sort key's SQL, before the id; each expression matches an index.
    fn keys(self) -> &'static [&'static str] {
        match self {
            OrderSortColumn::Number => &["length(o.number)", "o.number"],
            OrderSortColumn::CreatedAt => &["o.created_at"],
            // Name, then email (see the order_search migration).
            OrderSortColumn::Customer => &["o.customer_key"],
            OrderSortColumn::PaymentStatus => &["ifnull(o.financial_status, '')"],
            OrderSortColumn::FulfillmentStatus => &["ifnull(o.fulfillment_status, '')"],
            OrderSortColumn::Total => &["o.total_minor"],
            // Segmented: inside a channel or status, newest first.
            OrderSortColumn::Channel | OrderSortColumn::Status => &["o.created_at"],
        }
    }
}

impl OrderSortColumn {
    /// The index of a column sorted on its own key; the others (date,
    /// channel, status) share composite indexes SQLite chooses among.
    fn index(self) -> Option<&'static str> {
        match self {
            OrderSortColumn::Number => Some("orders_by_number"),
            OrderSortColumn::Customer => Some("orders_by_customer"),
            OrderSortColumn::PaymentStatus => Some("orders_by_payment"),
            OrderSortColumn::FulfillmentStatus => Some("orders_by_fulfillment"),
            OrderSortColumn::Total => Some("orders_by_total"),
            OrderSortColumn::CreatedAt | OrderSortColumn::Channel | OrderSortColumn::Status => None,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
#[ts(export)]
pub enum SortDirection {
    Asc,
    Desc,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct OrderSort {
    pub column: OrderSortColumn,
    pub direction: SortDirection,
}

impl Default for OrderSort {
    fn default() -> Self {
        OrderSort { column: OrderSortColumn::CreatedAt, direction: SortDirection::Desc }
    }
}

/// Which orders to list; every field left empty means "all".
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct OrderFilter {
    #[ts(type = "number[]")]
    pub channel_ids: Vec<i64>,
    pub statuses: Vec<OrderStatus>,
    /// Inclusive, UTC ms.
    #[ts(type = "number | null")]
    pub created_from: Option<i64>,
    /// Exclusive, UTC ms.
    #[ts(type = "number | null")]
    pub created_to: Option<i64>,
    /// Part of the customer's name or email, any case.
    pub customer: Option<String>,
    /// An order number (with or without the channel's prefix or `#`) or an exact SKU.
    pub text: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct OrderQuery {
    pub filter: OrderFilter,
    pub sort: OrderSort,
    /// The previous page's `next`.
    pub after: Option<String>,
    /// Clamped to 1..=500.
    pub limit: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct OrdersPage {
    pub rows: Vec<OrderRow>,
    /// `None` on the last page.
    pub next: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct OrderCount {
    #[ts(type = "number")]
    pub total: i64,
    /// Counting stopped at [`COUNT_CAP`]: show "100,000+".
    pub capped: bool,
}

/// Counting every match of a broad filter at a million orders takes longer
/// than a glance; past this the UI says "100,000+".
pub const COUNT_CAP: i64 = 100_000;

/// One value of a sort key, as kept in a cursor.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
enum KeyValue {
    Int(i64),
    Text(String),
}

/// What a cursor holds: the sort it belongs to and the last row's key
/// (segment value first for segmented sorts, the id last).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct Cursor {
    sort: OrderSort,
    key: Vec<KeyValue>,
}

impl Cursor {
    fn encode(&self) -> Result<String> {
        Ok(hex::encode(serde_json::to_vec(self).map_err(|e| Error::Corrupt(e.to_string()))?))
    }

    fn decode(text: &str, sort: OrderSort) -> Result<Cursor> {
        let stale = || Error::Refused("The list changed since this page was read; start again from the top.".into());
        let bytes = hex::decode(text).map_err(|_| stale())?;
        let cursor: Cursor = serde_json::from_slice(&bytes).map_err(|_| stale())?;
        let segments = usize::from(matches!(sort.column, OrderSortColumn::Channel | OrderSortColumn::Status));
        if cursor.sort != sort || cursor.key.len() != segments + sort.column.keys().len() + 1 {
            return Err(stale());
        }
        Ok(cursor)
    }
}

/// The list row's columns; `o` is the order, `c` its channel.
pub(crate) const ROW_SELECT: &str = "SELECT o.id, o.channel_id, c.name AS channel_name, c.platform,
        CASE WHEN c.order_prefix = '' THEN o.number ELSE c.order_prefix || ltrim(o.number, '#') END AS number,
        o.created_at, o.customer_name, o.email, o.status, o.financial_status, o.fulfillment_status,
        o.total_minor, o.currency,
        (SELECT COALESCE(SUM(l.quantity), 0) FROM order_lines l WHERE l.order_id = o.id) AS item_count,
        (SELECT x.state FROM outbox x WHERE x.order_id = o.id AND x.state IN ('conflict', 'failed', 'pending')
          ORDER BY CASE x.state WHEN 'conflict' THEN 0 WHEN 'failed' THEN 1 ELSE 2 END LIMIT 1) AS sync_state";

pub(crate) fn order_row(row: &SqliteRow) -> Result<OrderRow> {
    Ok(OrderRow {
        id: row.try_get("id")?,
        channel_id: row.try_get("channel_id")?,
        channel_name: row.try_get("channel_name")?,
        platform: Platform::parse(row.try_get("platform")?)?,
        number: row.try_get("number")?,
        created_at: row.try_get("created_at")?,
        customer_name: row.try_get("customer_name")?,
        email: row.try_get("email")?,
        status: OrderStatus::parse(row.try_get("status")?)?,
        financial_status: row.try_get("financial_status")?,
        fulfillment_status: row.try_get("fulfillment_status")?,
        total_minor: row.try_get("total_minor")?,
        currency: row.try_get("currency")?,
        item_count: row.try_get("item_count")?,
        sync_state: OrderSyncState::from_outbox(row.try_get("sync_state")?),
    })
}

const WORKFLOW_ORDER: [OrderStatus; 6] =
    [OrderStatus::Pending, OrderStatus::Processing, OrderStatus::Shipped, OrderStatus::Delivered, OrderStatus::Cancelled, OrderStatus::Returned];

async fn prefixes(conn: &mut SqliteConnection) -> Result<Vec<String>> {
    Ok(sqlx::query_scalar("SELECT DISTINCT order_prefix FROM channels WHERE order_prefix != ''").fetch_all(&mut *conn).await?)
}

/// What every keyset run of one page shares.
struct Listing<'a> {
    filter: &'a OrderFilter,
    customers: Option<&'a Matched>,
    prefixes: &'a [String],
    column: OrderSortColumn,
    reach: Reach,
}

/// Where one query of a keyset run starts.
#[derive(Clone, Copy)]
enum Start<'a> {
    First,
    /// After this full key (sort keys, then id), as one row-value test:
    /// for looked-up matches, which are tested, not sought.
    After(&'a [KeyValue]),
    /// The first `pinned.len()` keys equal to `pinned`, the next one past
    /// `beyond`: a range SQLite seeks on the sort index.
    Level {
        pinned: &'a [KeyValue],
        beyond: &'a KeyValue,
    },
}

/// Rows (and their keys) of one keyset run: `segment` pins a channel or
/// status, `after` is the key to continue after (without the segment).
///
/// Walking an index, the run goes level by level: the rest of the current
/// key's rows (same key, later id), then past the key. SQLite 3.46 seeks
/// neither a row value over an expression and the id nor the id after an
/// expression's bound, so `(key, id) > (…)` alone walked each page from the
/// start of its key: from the first "paid" order at every page of a
/// Payment sort, 30 ms for a SKU filter at a million orders.
async fn run(
    conn: &mut SqliteConnection,
    listing: &Listing<'_>,
    direction: SortDirection,
    segment: Option<&KeyValue>,
    after: Option<&[KeyValue]>,
    limit: i64,
) -> Result<Vec<(OrderRow, Vec<KeyValue>)>> {
    let Some(after) = after else {
        return query(conn, listing, direction, segment, Start::First, limit).await;
    };
    if listing.reach == Reach::Matches {
        return query(conn, listing, direction, segment, Start::After(after), limit).await;
    }
    let mut found = Vec::new();
    for level in (0..after.len()).rev() {
        let start = Start::Level { pinned: &after[..level], beyond: &after[level] };
        found.extend(query(conn, listing, direction, segment, start, limit - found.len() as i64).await?);
        if found.len() as i64 >= limit {
            break;
        }
    }
    Ok(found)
}

fn push_key_value(builder: &mut QueryBuilder<'_, Sqlite>, value: &KeyValue) {
    match value {
        KeyValue::Int(v) => builder.push_bind(*v),
        KeyValue::Text(v) => builder.push_bind(v.clone()),
    };
}

/// One query of a keyset run.
async fn query(
    conn: &mut SqliteConnection,
    listing: &Listing<'_>,
    direction: SortDirection,
    segment: Option<&KeyValue>,
    start: Start<'_>,
    limit: i64,
) -> Result<Vec<(OrderRow, Vec<KeyValue>)>> {
    let keys = listing.column.keys();
    let rows = query_sql(listing, direction, segment, start, limit).build().fetch_all(&mut *conn).await?;
    rows.iter()
        .map(|row| {
            let mut key = Vec::with_capacity(keys.len() + 1);
            for i in 0..keys.len() {
                let name = format!("k{i}");
                key.push(match row.try_get::<i64, _>(name.as_str()) {
                    Ok(v) => KeyValue::Int(v),
                    Err(_) => KeyValue::Text(row.try_get(name.as_str())?),
                });
            }
            key.push(KeyValue::Int(row.try_get("id")?));
            Ok((order_row(row)?, key))
        })
        .collect()
}

/// The SQL of one query of a keyset run.
fn query_sql(
    listing: &Listing<'_>,
    direction: SortDirection,
    segment: Option<&KeyValue>,
    start: Start<'_>,
    limit: i64,
) -> QueryBuilder<'static, Sqlite> {
    let column = listing.column;
    let keys = column.keys();
    // The sort keys and the id, as SQL.
    let full: Vec<&str> = keys.iter().copied().chain(["o.id"]).collect();
    let mut builder = QueryBuilder::<Sqlite>::new(ROW_SELECT);
    for (i, key) in keys.iter().enumerate() {
        builder.push(format!(", {key} AS k{i}"));
    }
    let by_matches = listing.reach == Reach::Matches;
    // Walking a sort column's own index is the plan; SQLite is told so.
    // Left to itself, with a key pinned by a bound value it would rather
    // scan the table from the cursor's id (21 ms for a SKU × Payment page).
    let walk = match column.index() {
        Some(index) if !by_matches => format!(" INDEXED BY {index}"),
        _ => String::new(),
    };
    builder.push(format!(" FROM orders o{walk} JOIN channels c ON c.id = o.channel_id"));
    let op = if direction == SortDirection::Asc { ">" } else { "<" };
    // The matching customers come in key order: the cursor applies to them.
    let customer_from = match start {
        Start::After(after) if by_matches && column == OrderSortColumn::Customer => Some((if op == ">" { ">=" } else { "<=" }, &after[0])),
        _ => None,
    };
    let plan = Plan { broad_as_residual: by_matches || column.index().is_some(), reach: listing.reach, customer_from, customers: listing.customers };
    push_filter(&mut builder, listing.filter, listing.prefixes, &plan);
    let pin = if by_matches { "+" } else { "" };
    match (column, segment) {
        (OrderSortColumn::Channel, Some(KeyValue::Int(id))) => {
            builder.push(format!(" AND {pin}o.channel_id = ")).push_bind(*id);
        }
        (OrderSortColumn::Status, Some(KeyValue::Text(status))) => {
            builder.push(format!(" AND {pin}o.status = ")).push_bind(status.clone());
        }
        _ => {}
    }
    // Keys pinned by equality are constant in the result: leaving them out
    // of ORDER BY lets SQLite read the index instead of sorting.
    let mut order_from = 0;
    match start {
        Start::First => {}
        Start::After(after) => {
            builder.push(format!(" AND ({}) {op} (", full.join(", ")));
            for (i, value) in after.iter().enumerate() {
                builder.push(if i == 0 { "" } else { ", " });
                push_key_value(&mut builder, value);
            }
            builder.push(")");
        }
        Start::Level { pinned, beyond } => {
            for (key, value) in full.iter().zip(pinned) {
                builder.push(format!(" AND {key} = "));
                push_key_value(&mut builder, value);
            }
            builder.push(format!(" AND {} {op} ", full[pinned.len()]));
            push_key_value(&mut builder, beyond);
            order_from = pinned.len();
        }
    }
    let dir = if direction == SortDirection::Asc { "ASC" } else { "DESC" };
    let order: Vec<String> = full[order_from..].iter().map(|key| format!("{key} {dir}")).collect();
    builder.push(format!(" ORDER BY {} LIMIT ", order.join(", "))).push_bind(limit);
    builder
}

/// The segments of a segmented sort, in list order.
async fn segments(conn: &mut SqliteConnection, filter: &OrderFilter, sort: OrderSort) -> Result<Vec<KeyValue>> {
    let mut values: Vec<KeyValue> = match sort.column {
        OrderSortColumn::Channel => {
            let ids: Vec<i64> = sqlx::query_scalar("SELECT id FROM channels ORDER BY name COLLATE NOCASE, id").fetch_all(&mut *conn).await?;
            ids.into_iter().filter(|id| filter.channel_ids.is_empty() || filter.channel_ids.contains(id)).map(KeyValue::Int).collect()
        }
        _ => WORKFLOW_ORDER
            .iter()
            .filter(|s| filter.statuses.is_empty() || filter.statuses.contains(s))
            .map(|s| KeyValue::Text(s.as_str().to_owned()))
            .collect(),
    };
    if sort.direction == SortDirection::Desc {
        values.reverse();
    }
    Ok(values)
}

/// One page of the list, continuing after `query.after`.
pub async fn page(conn: &mut SqliteConnection, query: &OrderQuery) -> Result<OrdersPage> {
    page_by(conn, query, None).await
}

/// [`page`], by the plan given or else the one [`reach`] picks.
async fn page_by(conn: &mut SqliteConnection, query: &OrderQuery, plan: Option<Reach>) -> Result<OrdersPage> {
    let customers = matched(conn, &query.filter).await?;
    let reach = match plan {
        Some(reach) => reach,
        None => reach(conn, &query.filter, customers.as_ref(), query.sort.column).await?,
    };
    let limit = i64::from(query.limit.clamp(1, 500));
    let sort = query.sort;
    let after = query.after.as_deref().map(|text| Cursor::decode(text, sort)).transpose()?;
    let prefixes = prefixes(conn).await?;
    let listing = Listing { filter: &query.filter, prefixes: &prefixes, customers: customers.as_ref(), column: sort.column, reach };
    // One row more than asked says whether another page exists.
    let mut found: Vec<(OrderRow, Vec<KeyValue>)> = Vec::new();
    let segmented = matches!(sort.column, OrderSortColumn::Channel | OrderSortColumn::Status);
    if segmented {
        let all = segments(conn, &query.filter, sort).await?;
        let (start, mut resume) = match &after {
            Some(cursor) => match all.iter().position(|s| *s == cursor.key[0]) {
                Some(i) => (i, Some(&cursor.key[1..])),
                None => return Err(Cursor::decode("", sort).unwrap_err()),
            },
            None => (0, None),
        };
        for segment in &all[start..] {
            let want = limit + 1 - found.len() as i64;
            // Inside a segment: newest first, whatever the direction.
            let rows = run(conn, &listing, SortDirection::Desc, Some(segment), resume.take(), want).await?;
            found.extend(rows.into_iter().map(|(row, key)| {
                let mut full = vec![segment.clone()];
                full.extend(key);
                (row, full)
            }));
            if found.len() as i64 > limit {
                break;
            }
        }
    } else {
        let resume = after.as_ref().map(|c| c.key.as_slice());
        found = run(conn, &listing, sort.direction, None, resume, limit + 1).await?;
    }
    let more = found.len() as i64 > limit;
    found.truncate(limit as usize);
    let next = match (more, found.last()) {
        (true, Some((_, key))) => Some(Cursor { sort, key: key.clone() }.encode()?),
        _ => None,
    };
    Ok(OrdersPage { rows: found.into_iter().map(|(row, _)| row).collect(), next })
}

/// How many orders match, counting up to [`COUNT_CAP`].
pub async fn count(conn: &mut SqliteConnection, filter: &OrderFilter) -> Result<OrderCount> {
    let prefixes = prefixes(conn).await?;
    let mut builder = QueryBuilder::<Sqlite>::new("SELECT COUNT(*) FROM (SELECT 1 FROM orders o");
    let customers = matched(conn, filter).await?;
    let plan = Plan { broad_as_residual: false, reach: Reach::Matches, customer_from: None, customers: customers.as_ref() };
    push_filter(&mut builder, filter, &prefixes, &plan);
    builder.push(" LIMIT ").push_bind(COUNT_CAP + 1).push(")");
    let total: i64 = builder.build_query_scalar().fetch_one(&mut *conn).await?;
    Ok(OrderCount { total: total.min(COUNT_CAP), capped: total > COUNT_CAP })
}
