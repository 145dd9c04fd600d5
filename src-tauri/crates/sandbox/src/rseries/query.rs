//! The query strings of R-Series V3 reads: `load_relations`, filters,
//! `sort`, `limit` and the `after`/`before` cursors, and choosing a page.
//!
//! - `load_relations` is a JSON array of relation names
//!   (`["SaleLines","Customer"]`) or `all`; a bare name is refused, as V3
//!   refuses it. A nested name (`Customer.Contact`) loads its parent too.
//! - A filter is `field=op,value` with `op` one of `>`, `>=`, `<`, `<=`,
//!   `=`, `!=`, or `field=><,low,high` (inclusive); a bare value means `=`.
//!   Time filters (`timeStamp`, `updatetime`) take ISO 8601.
//! - `sort` is the id field (the default) or `timeStamp`/`updatetime`,
//!   ascending, ties broken by id.
//! - Paging is by cursor: `after` gives the records after it, `before` the
//!   `limit` records just before it; `offset` is refused.
//!
//! What is UNCONFIRMED about all this is listed in `replies`.

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use serde_json::{json, Value};

use super::replies::MAX_LIMIT;
use crate::data::clock::{format_offset, parse_instant};

/// Relations a `Sale` read may load (the endpoint docs' list).
pub(crate) const SALE_RELATIONS: &[&str] = &[
    "SaleLines",
    "SaleLines.Discount",
    "SaleLines.TaxClass",
    "SaleLines.Note",
    "SaleLines.Item",
    "SaleLines.InventorySales",
    "SaleNotes",
    "SalePayments",
    "SalePayments.PaymentType",
    "SalePayments.CCCharge",
    "SalePayments.SaleAccounts",
    "SalePayments.Signatures",
    "ShipTo",
    "ShipTo.Contact",
    "Customer",
    "Customer.Contact",
    "Discount",
    "TaxCategory",
    "TaxCategory.TaxCategoryClasses",
    "Quote",
];

/// Relations a `Customer` read may load.
pub(crate) const CUSTOMER_RELATIONS: &[&str] = &[
    "Contact",
    "CreditAccount",
    "CustomerType",
    "Discount",
    "TaxCategory",
    "CustomFieldValues",
    "Note",
];

/// The relations the sandbox renders.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Relations {
    pub sale_lines: bool,
    pub items: bool,
    pub customer: bool,
    pub contact: bool,
    pub payments: bool,
}

impl Relations {
    /// Everything a sale can embed here (what `rseries_sales` shows).
    pub(crate) const TRUTH: Relations = Relations {
        sale_lines: true,
        items: false,
        customer: true,
        contact: true,
        payments: false,
    };

    /// Reads `load_relations` against the endpoint's documented list.
    pub(crate) fn parse(raw: &str, documented: &[&str]) -> Result<Relations, String> {
        let raw = raw.trim();
        if raw.eq_ignore_ascii_case("all") {
            return Ok(Relations {
                sale_lines: true,
                items: true,
                customer: true,
                contact: true,
                payments: true,
            });
        }
        let names: Vec<String> = serde_json::from_str(raw).map_err(|_| {
            "load_relations must be a JSON encoded array of relation names, like [\"SaleLines\"]"
                .to_owned()
        })?;
        let mut r = Relations::default();
        for name in names {
            if !documented.contains(&name.as_str()) {
                return Err(format!("Unknown relation {name:?}"));
            }
            match name.as_str() {
                "SaleLines" => r.sale_lines = true,
                "SaleLines.Item" => (r.sale_lines, r.items) = (true, true),
                "SalePayments" => r.payments = true,
                "Customer" => r.customer = true,
                "Customer.Contact" => (r.customer, r.contact) = (true, true),
                // On a Customer read.
                "Contact" => r.contact = true,
                _ => {}
            }
        }
        Ok(r)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Cmp {
    Gt,
    Ge,
    Lt,
    Le,
    Eq,
    Ne,
    Between,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Filter<T> {
    cmp: Cmp,
    a: T,
    b: T,
}

impl<T: PartialOrd + Copy> Filter<T> {
    fn parse(raw: &str, value: impl Fn(&str) -> Option<T>) -> Option<Filter<T>> {
        let (op, rest) = match raw.split_once(',') {
            Some((op, rest)) if matches!(op, ">" | ">=" | "<" | "<=" | "=" | "!=" | "><") => {
                (op, rest)
            }
            _ => ("=", raw),
        };
        if op == "><" {
            let (a, b) = rest.split_once(',')?;
            return Some(Filter {
                cmp: Cmp::Between,
                a: value(a)?,
                b: value(b)?,
            });
        }
        let a = value(rest)?;
        let cmp = match op {
            ">" => Cmp::Gt,
            ">=" => Cmp::Ge,
            "<" => Cmp::Lt,
            "<=" => Cmp::Le,
            "!=" => Cmp::Ne,
            _ => Cmp::Eq,
        };
        Some(Filter { cmp, a, b: a })
    }

    fn matches(&self, v: T) -> bool {
        match self.cmp {
            Cmp::Gt => v > self.a,
            Cmp::Ge => v >= self.a,
            Cmp::Lt => v < self.a,
            Cmp::Le => v <= self.a,
            Cmp::Eq => v == self.a,
            Cmp::Ne => v != self.a,
            Cmp::Between => v >= self.a && v <= self.b,
        }
    }
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) enum Sort {
    #[default]
    Id,
    Time,
}

/// A record a list can return: its id, last change and position.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Row {
    pub time: i64,
    pub id: u64,
    pub index: u32,
}

type Key = (i64, u64);

/// A page chosen by [`ListQuery::select`], with the cursors for the links.
pub(crate) struct Page {
    pub rows: Vec<Row>,
    pub next: Option<String>,
    pub previous: Option<String>,
}

#[derive(Debug, Default)]
pub(crate) struct ListQuery {
    pub limit: usize,
    pub sort: Sort,
    pub relations: Relations,
    pub completed: Option<bool>,
    pub voided: Option<bool>,
    pub archived: Option<bool>,
    customer: Vec<Filter<u64>>,
    time: Vec<Filter<i64>>,
    id: Vec<Filter<u64>>,
    after: Option<Key>,
    before: Option<Key>,
    /// The request's other parameters, repeated in `next`/`previous`.
    rest: Vec<(String, String)>,
}

fn boolean(value: &str) -> Option<bool> {
    match value.to_ascii_lowercase().as_str() {
        "true" | "1" => Some(true),
        "false" | "0" => Some(false),
        _ => None,
    }
}

impl ListQuery {
    /// Reads a list request; `id_field` is `saleID` or `customerID`.
    /// `Err` is the message of the 400.
    pub(crate) fn parse(
        raw: &str,
        id_field: &str,
        documented: &[&str],
    ) -> Result<ListQuery, String> {
        let mut q = ListQuery {
            limit: MAX_LIMIT,
            ..ListQuery::default()
        };
        let mut cursors: (Option<String>, Option<String>) = (None, None);
        for (key, value) in form_urlencoded::parse(raw.as_bytes()) {
            let value = value.trim().to_owned();
            let bad = |what: &str| format!("Invalid value for {key}: {what}");
            match key.as_ref() {
                "after" => cursors.0 = Some(value.clone()),
                "before" => cursors.1 = Some(value.clone()),
                "offset" => {
                    return Err(
                        "offset is not supported; follow the cursor in @attributes.next".to_owned(),
                    )
                }
                "limit" => {
                    let limit: usize = value.parse().map_err(|_| bad("a number"))?;
                    if limit == 0 || limit > MAX_LIMIT {
                        return Err(format!("limit must be between 1 and {MAX_LIMIT}"));
                    }
                    q.limit = limit;
                }
                "sort" => {
                    q.sort = match value.as_str() {
                        v if v == id_field => Sort::Id,
                        "timeStamp" | "updatetime" => Sort::Time,
                        _ => return Err(format!("Cannot sort by {value:?}")),
                    }
                }
                "load_relations" => q.relations = Relations::parse(&value, documented)?,
                "timeStamp" | "updatetime" => {
                    q.time
                        .push(Filter::parse(&value, parse_instant).ok_or_else(|| {
                            bad("expected op,ISO 8601 time, like >,2026-01-01T00:00:00-00:00")
                        })?)
                }
                "completed" => {
                    q.completed = Some(boolean(&value).ok_or_else(|| bad("true or false"))?)
                }
                "voided" => q.voided = Some(boolean(&value).ok_or_else(|| bad("true or false"))?),
                "archived" => {
                    q.archived = Some(boolean(&value).ok_or_else(|| bad("true or false"))?)
                }
                k if k == id_field => q.id.push(
                    Filter::parse(&value, |v| v.trim().parse().ok()).ok_or_else(|| bad("an id"))?,
                ),
                "customerID" => q.customer.push(
                    Filter::parse(&value, |v| v.trim().parse().ok()).ok_or_else(|| bad("an id"))?,
                ),
                _ => {}
            }
            if key != "after" && key != "before" {
                q.rest.push((key.into_owned(), value));
            }
        }
        q.after = cursors.0.map(|c| q.decode(&c)).transpose()?;
        q.before = cursors.1.map(|c| q.decode(&c)).transpose()?;
        Ok(q)
    }

    /// Whether a customer id passes the `customerID` filters.
    pub(crate) fn customer_matches(&self, customer_id: u64) -> bool {
        self.customer.iter().all(|f| f.matches(customer_id))
    }

    fn key(&self, row: &Row) -> Key {
        match self.sort {
            Sort::Id => (0, row.id),
            Sort::Time => (row.time, row.id),
        }
    }

    fn encode(&self, key: Key) -> String {
        let array = match self.sort {
            Sort::Id => json!([key.1]),
            Sort::Time => json!([format_offset(key.0), key.1]),
        };
        STANDARD.encode(array.to_string())
    }

    fn decode(&self, cursor: &str) -> Result<Key, String> {
        let bad = || format!("Invalid cursor {cursor:?}");
        let bytes = STANDARD.decode(cursor.trim()).map_err(|_| bad())?;
        let Ok(Value::Array(parts)) = serde_json::from_slice::<Value>(&bytes) else {
            return Err(bad());
        };
        match (self.sort, parts.as_slice()) {
            (Sort::Id, [id]) => id.as_u64().map(|id| (0, id)).ok_or_else(bad),
            (Sort::Time, [time, id]) => {
                let time = time.as_str().and_then(parse_instant).ok_or_else(bad)?;
                id.as_u64().map(|id| (time, id)).ok_or_else(bad)
            }
            _ => Err(bad()),
        }
    }

    /// Applies the time and id filters, sorts, and cuts the page at the
    /// cursor.
    pub(crate) fn select(&self, rows: Vec<Row>) -> Page {
        let mut rows: Vec<Row> = rows
            .into_iter()
            .filter(|r| self.time.iter().all(|f| f.matches(r.time)))
            .filter(|r| self.id.iter().all(|f| f.matches(r.id)))
            .collect();
        rows.sort_by_key(|r| self.key(r));
        let (start, end) = match (self.after, self.before) {
            (_, Some(before)) => {
                let end = rows.partition_point(|r| self.key(r) < before);
                let floor = self
                    .after
                    .map_or(0, |after| rows.partition_point(|r| self.key(r) <= after));
                (end.saturating_sub(self.limit).max(floor).min(end), end)
            }
            (Some(after), None) => {
                let start = rows.partition_point(|r| self.key(r) <= after);
                (start, start.saturating_add(self.limit).min(rows.len()))
            }
            (None, None) => (0, self.limit.min(rows.len())),
        };
        let page = rows[start..end].to_vec();
        let next = (end < rows.len())
            .then(|| page.last())
            .flatten()
            .map(|r| self.encode(self.key(r)));
        let previous = (start > 0)
            .then(|| page.first())
            .flatten()
            .map(|r| self.encode(self.key(r)));
        Page {
            rows: page,
            next,
            previous,
        }
    }

    /// `{path}?{the request's other parameters}&{param}={cursor}`.
    pub(crate) fn link(&self, path: &str, param: &str, cursor: &str) -> String {
        let query = form_urlencoded::Serializer::new(String::new())
            .extend_pairs(self.rest.iter())
            .append_pair(param, cursor)
            .finish();
        format!("{path}?{query}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows() -> Vec<Row> {
        (1..=10)
            .map(|id| Row {
                time: 1_000 + (id as i64 % 4) * 10,
                id,
                index: (id - 1) as u32,
            })
            .collect()
    }

    #[test]
    fn cursors_walk_every_row_once_in_order() {
        let q =
            ListQuery::parse("limit=3&sort=timeStamp", "saleID", SALE_RELATIONS).expect("valid");
        let mut seen = Vec::new();
        let mut page = q.select(rows());
        loop {
            seen.extend(page.rows.iter().map(|r| (r.time, r.id)));
            let Some(next) = page.next else { break };
            let q = ListQuery::parse(
                &format!("limit=3&sort=timeStamp&after={}", urlenc(&next)),
                "saleID",
                SALE_RELATIONS,
            )
            .expect("valid");
            page = q.select(rows());
        }
        let mut expected: Vec<(i64, u64)> = rows().iter().map(|r| (r.time, r.id)).collect();
        expected.sort();
        assert_eq!(seen, expected);
    }

    fn urlenc(s: &str) -> String {
        form_urlencoded::byte_serialize(s.as_bytes()).collect()
    }

    #[test]
    fn filters_relations_and_refusals() {
        let q = ListQuery::parse(
            "timeStamp=%3E%2C1970-01-01T00:16:50Z",
            "saleID",
            SALE_RELATIONS,
        )
        .expect("valid");
        let page = q.select(rows());
        assert!(page.rows.iter().all(|r| r.time > 1_010));
        let q = ListQuery::parse("saleID=%3E%3C%2C3%2C5", "saleID", SALE_RELATIONS).expect("valid");
        assert_eq!(q.select(rows()).rows.len(), 3);
        let q = ListQuery::parse(
            "load_relations=%5B%22Customer.Contact%22%5D",
            "saleID",
            SALE_RELATIONS,
        )
        .expect("valid");
        assert!(q.relations.customer && q.relations.contact && !q.relations.sale_lines);
        assert!(ListQuery::parse("load_relations=SaleLines", "saleID", SALE_RELATIONS).is_err());
        assert!(
            ListQuery::parse("load_relations=%5B%22Nope%22%5D", "saleID", SALE_RELATIONS).is_err()
        );
        assert!(ListQuery::parse("limit=101", "saleID", SALE_RELATIONS).is_err());
        assert!(ListQuery::parse("offset=100", "saleID", SALE_RELATIONS).is_err());
        assert!(ListQuery::parse("after=garbage", "saleID", SALE_RELATIONS).is_err());
        assert!(ListQuery::parse("timeStamp=%3E%2Cyesterday", "saleID", SALE_RELATIONS).is_err());
        let id_cursor = STANDARD.encode("[4]");
        let q = ListQuery::parse(
            &format!("limit=2&before={}", urlenc(&id_cursor)),
            "saleID",
            SALE_RELATIONS,
        )
        .expect("valid");
        let page = q.select(rows());
        assert_eq!(
            page.rows.iter().map(|r| r.id).collect::<Vec<_>>(),
            vec![2, 3]
        );
        assert!(page.previous.is_some() && page.next.is_some());
    }
}
