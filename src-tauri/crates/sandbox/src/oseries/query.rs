//! Reading an orders request: the path after `companies/{id}/`, the query
//! string's filters, and the `X-Page` header; and choosing the page.
//!
//! - The path is filter segments in any order around `orders`:
//!   `sites/{id}`, `registers/{id}`, `customers/{id}`, a lower-case status
//!   (`complete`, `on_hold`, …, and `accounts` after `pending`),
//!   `linkedcustomer`, `discounted`, `deleted` (nothing is deleted here);
//!   `orders/{id}` is one order. The last segment may end in `.json`.
//! - The query filters `created`, `value` and the updated-since prefix
//!   ([`UPDATED_FILTER`]), each bare (equal; a date means that whole day)
//!   or with `_lt`, `_lte`, `_gt`, `_gte`. Other parameters are ignored.
//! - `X-Page` is the page number from 0; each page holds [`PAGE_SIZE`]
//!   orders by `id`.
//!
//! What is UNCONFIRMED about all this is listed in `replies`.

use super::replies::{PAGE_SIZE, UPDATED_FILTER, UTC_OFFSET};
use super::shape::status;
use super::Company;
use crate::data::clock::{parse_date, parse_instant, DAY};
use crate::data::till::{pos_tax_bps, Till};

/// What an orders path asks for.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Target {
    List(PathFilters),
    One(u64),
}

/// The filters a path carries.
#[derive(Debug, Default, PartialEq, Eq)]
pub(crate) struct PathFilters {
    site: Option<u64>,
    register: Option<u64>,
    customer: Option<u64>,
    status: Option<&'static str>,
    linked_customer: bool,
    discounted: bool,
    deleted: bool,
}

const STATUSES: &[(&str, &str)] = &[
    ("submitted", "SUBMITTED"),
    ("on_hold", "ON_HOLD"),
    ("pending", "PENDING"),
    ("accepted", "ACCEPTED"),
    ("rejected", "REJECTED"),
    ("complete", "COMPLETE"),
];

impl Target {
    /// Reads the path after `companies/{id}/`; `Err` is the 404 message.
    pub(crate) fn parse(rest: &str) -> Result<Target, String> {
        let rest = rest.strip_suffix(".json").unwrap_or(rest);
        let segments: Vec<&str> = rest.split('/').collect();
        let unknown = || format!("No route for /{rest}");
        let id = |s: Option<&&str>| s.and_then(|v| v.parse::<u64>().ok());
        let mut f = PathFilters::default();
        let mut seen_orders = false;
        let mut i = 0;
        while let Some(&segment) = segments.get(i) {
            match segment {
                "orders" if !seen_orders => {
                    seen_orders = true;
                    if segments.len() == i + 2 {
                        if let Some(order) = id(segments.get(i + 1)) {
                            return Ok(Target::One(order));
                        }
                    }
                }
                "sites" | "registers" | "customers" => {
                    let value = id(segments.get(i + 1)).ok_or_else(unknown)?;
                    let slot = match segment {
                        "sites" => &mut f.site,
                        "registers" => &mut f.register,
                        _ => &mut f.customer,
                    };
                    *slot = Some(value);
                    i += 1;
                }
                "linkedcustomer" if seen_orders => f.linked_customer = true,
                "discounted" if seen_orders => f.discounted = true,
                "deleted" if seen_orders => f.deleted = true,
                "accounts" if f.status == Some("PENDING") => {}
                word if seen_orders && f.status.is_none() => {
                    f.status = Some(
                        STATUSES
                            .iter()
                            .find(|(w, _)| *w == word)
                            .map(|(_, s)| *s)
                            .ok_or_else(unknown)?,
                    );
                }
                _ => return Err(unknown()),
            }
            i += 1;
        }
        if seen_orders {
            Ok(Target::List(f))
        } else {
            Err(unknown())
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Cmp {
    Lt,
    Le,
    Gt,
    Ge,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Bound {
    cmp: Cmp,
    at: i64,
}

impl Bound {
    fn holds(&self, v: i64) -> bool {
        match self.cmp {
            Cmp::Lt => v < self.at,
            Cmp::Le => v <= self.at,
            Cmp::Gt => v > self.at,
            Cmp::Ge => v >= self.at,
        }
    }
}

/// A time in a filter: a date is midnight in the company's zone (and with
/// `exact`, the whole day); a time without an offset is in that zone.
fn time_bounds(value: &str, cmp: Option<Cmp>) -> Option<Vec<Bound>> {
    let v = value.trim();
    let (start, day) = if v.len() == 10 {
        (parse_date(v)? - UTC_OFFSET, true)
    } else if v.len() == 19 && !v.contains('+') {
        (parse_instant(v)? - UTC_OFFSET, false)
    } else {
        (parse_instant(v)?, false)
    };
    Some(match cmp {
        Some(cmp) => vec![Bound { cmp, at: start }],
        None if day => vec![
            Bound {
                cmp: Cmp::Ge,
                at: start,
            },
            Bound {
                cmp: Cmp::Lt,
                at: start + DAY,
            },
        ],
        None => vec![
            Bound {
                cmp: Cmp::Ge,
                at: start,
            },
            Bound {
                cmp: Cmp::Le,
                at: start,
            },
        ],
    })
}

/// A money value in a filter (`100`, `99.5`, `99.99`) in cents.
fn cents(value: &str) -> Option<i64> {
    let v = value.trim();
    let (sign, digits) = v.strip_prefix('-').map_or((1, v), |rest| (-1, rest));
    let (whole, frac) = digits.split_once('.').unwrap_or((digits, ""));
    if frac.len() > 2 || whole.is_empty() || !frac.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let whole: i64 = whole.parse().ok()?;
    let frac: i64 = format!("{frac:0<2}").parse().ok()?;
    Some(sign * (whole * 100 + frac))
}

/// The query string's filters.
#[derive(Debug, Default)]
pub(crate) struct Filters {
    created: Vec<Bound>,
    updated: Vec<Bound>,
    value: Vec<Bound>,
}

impl Filters {
    /// `Err` is the message of the 400.
    pub(crate) fn parse(raw: &str) -> Result<Filters, String> {
        let mut f = Filters::default();
        for (key, value) in form_urlencoded::parse(raw.as_bytes()) {
            let (field, cmp) = match key.rsplit_once('_') {
                Some((field, "lt")) => (field, Some(Cmp::Lt)),
                Some((field, "lte")) => (field, Some(Cmp::Le)),
                Some((field, "gt")) => (field, Some(Cmp::Gt)),
                Some((field, "gte")) => (field, Some(Cmp::Ge)),
                _ => (key.as_ref(), None),
            };
            let bad = |what: &str| format!("Invalid value for {key}: expected {what}");
            if field == "created" || field == UPDATED_FILTER {
                let bounds = time_bounds(&value, cmp)
                    .ok_or_else(|| bad("a date (YYYY-MM-DD) or an ISO 8601 time"))?;
                let into = if field == "created" {
                    &mut f.created
                } else {
                    &mut f.updated
                };
                into.extend(bounds);
            } else if field == "value" {
                let at = cents(&value).ok_or_else(|| bad("an amount like 99.95"))?;
                match cmp {
                    Some(cmp) => f.value.push(Bound { cmp, at }),
                    None => f
                        .value
                        .extend([Bound { cmp: Cmp::Ge, at }, Bound { cmp: Cmp::Le, at }]),
                }
            }
        }
        Ok(f)
    }
}

/// Reads `X-Page` (absent means page 0).
pub(crate) fn page_number(header: Option<&str>) -> Result<usize, String> {
    match header.map(str::trim) {
        None | Some("") => Ok(0),
        Some(v) => v
            .parse()
            .map_err(|_| format!("X-Page must be a page number from 0, not {v:?}")),
    }
}

/// Whether order (till sale) `i` passes the path's and query's filters.
pub(crate) fn matches(c: &Company, till: &Till, i: u32, p: &PathFilters, q: &Filters) -> bool {
    let Some(sale) = till.sales().get(i as usize) else {
        return false;
    };
    let site = c.site_of(sale.order);
    let customer = sale.customer.map(|r| c.customer_id(r));
    if p.deleted
        || p.site.is_some_and(|s| s != site.site_id)
        || p.register.is_some_and(|r| r != c.register_id(site))
        || p.customer.is_some_and(|id| customer != Some(id))
        || (p.linked_customer && customer.is_none())
        || p.status.is_some_and(|s| s != status(sale, c.order_id(i)))
        || !q.created.iter().all(|b| b.holds(sale.created_at))
        || !q.updated.iter().all(|b| b.holds(sale.updated_at))
    {
        return false;
    }
    if q.value.is_empty() && !p.discounted {
        return true;
    }
    let money = till.money(sale, c.currency, pos_tax_bps(c.currency));
    (!p.discounted || money.discount() != 0) && q.value.iter().all(|b| b.holds(money.total()))
}

/// The page's slice of `rows` and the number of pages (at least 1).
pub(crate) fn page_of(rows: &[u32], page: usize) -> (&[u32], usize) {
    let pages = rows.len().div_ceil(PAGE_SIZE).max(1);
    let start = page.saturating_mul(PAGE_SIZE).min(rows.len());
    let end = start.saturating_add(PAGE_SIZE).min(rows.len());
    (&rows[start..end], pages)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_filters_in_any_order() {
        let t = Target::parse("sites/823/orders/complete/discounted.json").expect("valid");
        let Target::List(f) = t else { panic!("a list") };
        assert_eq!(
            (f.site, f.status, f.discounted),
            (Some(823), Some("COMPLETE"), true)
        );
        assert_eq!(
            Target::parse("orders/93824701.json"),
            Ok(Target::One(93_824_701))
        );
        assert!(matches!(
            Target::parse("orders/pending/accounts"),
            Ok(Target::List(PathFilters {
                status: Some("PENDING"),
                ..
            }))
        ));
        assert!(Target::parse("orders/shipped.json").is_err());
        assert!(Target::parse("products.json").is_err());
        assert!(Target::parse("sites/x/orders.json").is_err());
    }

    #[test]
    fn filters_read_dates_times_and_values() {
        let f = Filters::parse(
            "created_gte=2026-01-01&updated_lt=2026-01-02T00:00:00%2B00:00&value_lt=99.5",
        )
        .expect("valid");
        let midnight = parse_date("2026-01-01").expect("date") - UTC_OFFSET;
        assert_eq!(
            f.created,
            vec![Bound {
                cmp: Cmp::Ge,
                at: midnight
            }]
        );
        assert_eq!(f.updated[0].at, parse_date("2026-01-02").expect("date"));
        assert_eq!(
            f.value,
            vec![Bound {
                cmp: Cmp::Lt,
                at: 9_950
            }]
        );
        let day = Filters::parse("created=2026-01-01").expect("valid");
        assert!(day.created.iter().all(|b| b.holds(midnight + 3_600)));
        assert!(!day.created.iter().all(|b| b.holds(midnight + DAY)));
        assert!(Filters::parse("created_gte=2026-01-01T00:00:00 00:00").is_err());
        assert!(Filters::parse("value_gt=lots").is_err());
        assert_eq!(cents("-3.5"), Some(-350));
        assert_eq!(page_number(Some("2")), Ok(2));
        assert!(page_number(Some("-1")).is_err());
        let rows: Vec<u32> = (0..51).collect();
        assert_eq!(page_of(&rows, 2).0, &[50]);
        assert_eq!(page_of(&rows, 0).1, 3);
        assert_eq!(page_of(&[], 0).1, 1);
        assert!(page_of(&rows, 9).0.is_empty());
    }
}
