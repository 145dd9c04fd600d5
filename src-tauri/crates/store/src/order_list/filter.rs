//! The orders list's WHERE clause, and how a page reaches its rows: along
//! the sort column's index, testing each order, or from the orders the
//! customer or text filter matches, sorted. Which one is cheaper depends on
//! how many orders match; [`reach`] estimates that before each page.

use sqlx::{QueryBuilder, Sqlite, SqliteConnection};

use super::{KeyValue, OrderFilter, OrderSortColumn};
use crate::Result;

pub(super) fn escape_like(text: &str) -> String {
    text.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_")
}

/// The order numbers `text` can mean: as typed, without a channel prefix,
/// with and without `#`.
pub(super) fn number_candidates(text: &str, prefixes: &[String]) -> Vec<String> {
    let mut bare = vec![text.to_owned()];
    for prefix in prefixes {
        if text.len() > prefix.len() && text.is_char_boundary(prefix.len()) && text[..prefix.len()].eq_ignore_ascii_case(prefix) {
            bare.push(text[prefix.len()..].to_owned());
        }
    }
    let mut out = Vec::new();
    for b in bare {
        let b = b.trim_start_matches('#').to_owned();
        for candidate in [format!("#{b}"), b] {
            if !candidate.is_empty() && !candidate.eq("#") && !out.contains(&candidate) {
                out.push(candidate);
            }
        }
    }
    out
}

/// How a page reaches its rows when the customer or text filter is set.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Reach {
    /// Walk the sort column's index and test each order on the way: cheap
    /// when matches are common, since 100 of them turn up soon.
    SortIndex,
    /// Look the matching orders up and sort them: cheap when few match.
    /// The Customer sort always goes this way with a customer filter: the
    /// matching keys are read in order, so nothing needs sorting.
    Matches,
}

/// How the WHERE clause is written for one plan.
pub(super) struct Plan<'a> {
    /// The broad filters (channel, status, date) are written `+o.column`,
    /// which keeps SQLite from using their indexes: at a million orders it
    /// would pick the channel index and sort a third of the table per page
    /// (1.8 s measured) where walking the sort index and skipping
    /// non-matching rows finds 100 rows in milliseconds.
    pub(super) broad_as_residual: bool,
    pub(super) reach: Reach,
    /// With the Customer sort reaching matches: the key to continue from,
    /// applied to the matching customers before their orders are read.
    pub(super) customer_from: Option<(&'static str, &'a KeyValue)>,
    /// The customer filter's matches, when it is set.
    pub(super) customers: Option<&'a Matched>,
}

/// The customers a customer filter matches, searched once per page (the
/// trigram search is the costly part) and read by each of its queries.
pub(super) struct Matched {
    /// Their ids, as a JSON array.
    ids: String,
    pub(super) count: i64,
}

pub(super) async fn matched(conn: &mut SqliteConnection, filter: &OrderFilter) -> Result<Option<Matched>> {
    let Some(needle) = customer_needle(filter) else {
        return Ok(None);
    };
    crate::customer_search::catch_up(conn).await?;
    let mut builder = QueryBuilder::<Sqlite>::new("SELECT json_group_array(id), count(*) FROM (");
    push_customer_search(&mut builder, needle);
    builder.push(")");
    let (ids, count) = builder.build_query_as().fetch_one(&mut *conn).await?;
    Ok(Some(Matched { ids, count }))
}

/// The ids (as `id`) of the customers whose name or email holds `needle`.
pub(super) fn push_customer_search(builder: &mut QueryBuilder<'_, Sqlite>, needle: &str) {
    if needle.chars().count() >= 3 {
        // A phrase: the needle's characters are literal, quotes doubled.
        builder
            .push("SELECT rowid AS id FROM customer_search WHERE customer_search MATCH ")
            .push_bind(format!("\"{}\"", needle.replace('"', "\"\"")));
    } else {
        // The trigram index can't serve fewer than three characters.
        let pattern = format!("%{}%", escape_like(needle));
        builder
            .push("SELECT c.id FROM customers c WHERE c.name LIKE ")
            .push_bind(pattern.clone())
            .push(" ESCAPE '\\' OR c.email LIKE ")
            .push_bind(pattern)
            .push(" ESCAPE '\\'");
    }
}

/// The filter as `orders.customer_key` values, for the orders index to
/// seek (see the order_search migration).
pub(super) fn push_customer_keys(builder: &mut QueryBuilder<'_, Sqlite>, customers: &Matched, from: Option<(&'static str, &KeyValue)>) {
    builder
        .push("o.customer_key IN (SELECT k.name || char(31) || k.email FROM customers k WHERE k.id IN (SELECT value FROM json_each(")
        .push_bind(customers.ids.clone())
        .push("))");
    if let Some((op, KeyValue::Text(key))) = from {
        builder.push(format!(" AND k.name || char(31) || k.email {op} ")).push_bind(key.clone());
    }
    builder.push(")");
}

/// The filter as a test of one order, for a walk along another index:
/// the order's customer id against a list of integers, which costs far
/// less to build than a list of keys when thousands of customers match.
pub(super) fn push_customer_test(builder: &mut QueryBuilder<'_, Sqlite>, customers: &Matched) {
    builder
        .push(
            "(SELECT k.id FROM customers k WHERE k.name = ifnull(o.customer_name, '') AND k.email = ifnull(o.email_normalized, '')) \
             IN (SELECT value FROM json_each(",
        )
        .push_bind(customers.ids.clone())
        .push("))");
}

/// Orders whose number is `text` (any of its spellings) or that hold a
/// line with exactly that SKU, as order ids.
pub(super) fn push_text_ids(builder: &mut QueryBuilder<'_, Sqlite>, text: &str, prefixes: &[String]) {
    builder.push("(SELECT l.order_id FROM order_lines l WHERE l.sku = ").push_bind(text.to_owned());
    let candidates = number_candidates(text, prefixes);
    if !candidates.is_empty() {
        builder.push(" UNION SELECT n.id FROM orders n WHERE ");
        // Each term matches the number index's (length, number) expression.
        let mut terms = builder.separated(" OR ");
        for candidate in candidates {
            terms.push("(length(n.number) = ");
            terms.push_bind_unseparated(candidate.chars().count() as i64);
            terms.push_unseparated(" AND n.number = ");
            terms.push_bind_unseparated(candidate);
            terms.push_unseparated(")");
        }
    }
    builder.push(")");
}

pub(super) fn customer_needle(filter: &OrderFilter) -> Option<&str> {
    filter.customer.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

pub(super) fn text_needle(filter: &OrderFilter) -> Option<&str> {
    filter.text.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

/// The WHERE clause of `filter` (starting with " WHERE").
pub(super) fn push_filter(builder: &mut QueryBuilder<'_, Sqlite>, filter: &OrderFilter, prefixes: &[String], plan: &Plan<'_>) {
    // `+o.column` keeps SQLite from using the column's indexes.
    let term = |residual: bool, name: &str| format!("{}o.{name}", if residual { "+" } else { "" });
    let col = |name: &str| term(plan.broad_as_residual, name);
    let narrow = |name: &str| term(plan.reach == Reach::SortIndex, name);
    builder.push(" WHERE 1 = 1");
    if !filter.channel_ids.is_empty() {
        builder.push(format!(" AND {} IN (", col("channel_id")));
        let mut list = builder.separated(", ");
        for id in &filter.channel_ids {
            list.push_bind(*id);
        }
        builder.push(")");
    }
    if !filter.statuses.is_empty() {
        builder.push(format!(" AND {} IN (", col("status")));
        let mut list = builder.separated(", ");
        for status in &filter.statuses {
            list.push_bind(status.as_str());
        }
        builder.push(")");
    }
    if let Some(from) = filter.created_from {
        builder.push(format!(" AND {} >= ", col("created_at"))).push_bind(from);
    }
    if let Some(to) = filter.created_to {
        builder.push(format!(" AND {} < ", col("created_at"))).push_bind(to);
    }
    if let Some(customers) = plan.customers {
        builder.push(" AND ");
        match plan.reach {
            Reach::Matches => push_customer_keys(builder, customers, plan.customer_from),
            Reach::SortIndex => push_customer_test(builder, customers),
        }
    }
    if let Some(text) = text_needle(filter) {
        builder.push(format!(" AND {} IN ", narrow("id")));
        push_text_ids(builder, text, prefixes);
    }
}

/// Which way a page of `filter` sorted by `column` should go. Walking
/// reads about 100 × orders ÷ matches entries of the sort index per page;
/// looking up reads and sorts every match. A walk tested by customer needs
/// each walked order's row, as does each looked-up match, so the two cost
/// the same near √(100 × orders) matches (10,000 at a million). A walk
/// tested by id needs no row, so looking up SKU matches only wins below
/// about a quarter of that.
pub(super) async fn reach(conn: &mut SqliteConnection, filter: &OrderFilter, customers: Option<&Matched>, column: OrderSortColumn) -> Result<Reach> {
    let text = text_needle(filter);
    if customers.is_none() && text.is_none() {
        return Ok(Reach::SortIndex);
    }
    let (orders, customer_rows): (i64, i64) =
        sqlx::query_as("SELECT (SELECT ifnull(max(id), 0) FROM orders), (SELECT ifnull(max(id), 1) FROM customers)").fetch_one(&mut *conn).await?;
    let even = ((100.0 * orders as f64).sqrt() as i64).max(1_000);
    if let Some(customers) = customers {
        let matching = customers.count;
        // Customers matching by name sit together in the Customer sort,
        // so a walk there could cross most of the index before the first
        // match: their keys are read in order instead, unless so many
        // match that the list costs more than the walk (a common email
        // domain, say, whose customers are spread through the alphabet).
        if column == OrderSortColumn::Customer {
            return Ok(if matching <= 10_000 { Reach::Matches } else { Reach::SortIndex });
        }
        // Orders per customer, on average: estimates the orders matching.
        if matching * orders / customer_rows.max(1) <= even {
            return Ok(Reach::Matches);
        }
    }
    if let Some(text) = text {
        // Lines with the SKU bound its orders; a number matches one or two.
        let even = even / 4;
        let lines: i64 = sqlx::query_scalar("SELECT count(*) FROM (SELECT 1 FROM order_lines WHERE sku = ?1 LIMIT ?2)")
            .bind(text)
            .bind(even + 1)
            .fetch_one(&mut *conn)
            .await?;
        if lines <= even {
            return Ok(Reach::Matches);
        }
    }
    Ok(Reach::SortIndex)
}
