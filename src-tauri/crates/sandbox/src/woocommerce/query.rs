//! The collection parameters of `GET wp-json/wc/v3/orders`, validated as
//! WordPress's REST server validates them (woocommerce
//! `class-wc-rest-crud-controller.php` `get_collection_params`), and choosing
//! a page of orders.
//!
//! Supported: `page` (≥ 1, default 1), `per_page` (1–100, default 10),
//! `offset`, `search`, `after`/`before` (created), `modified_after`/
//! `modified_before`, `dates_are_gmt` (default false: dates are the site's
//! local time), `order` (`asc`|`desc`, default `desc`), `orderby` (`date`,
//! `id`, `include`, `title`, `slug`, `modified`; default `date`), `status`
//! (comma list or `status[]`; default `any`) and `customer`. Date bounds are
//! exclusive, as `WP_Date_Query` makes them. Every invalid parameter is
//! reported at once.

use super::replies::Invalid;
use super::shape::{status, ORDER_STATUSES};
use super::SITE_UTC_OFFSET;
use crate::data::clock::parse_instant;
use crate::data::ledger::Ledger;
use crate::data::orders::Order;

const DEFAULT_PER_PAGE: u64 = 10;
const MAX_PER_PAGE: u64 = 100;
const ORDERBY: &[&str] = &["date", "id", "include", "title", "slug", "modified"];

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum OrderBy {
    Created,
    Id,
    Modified,
}

/// A date parameter as given: wall-clock seconds (an explicit offset already
/// folded into UTC), to be read as GMT or as site-local time.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct WpDate(i64);

#[derive(Debug)]
pub(crate) struct ListQuery {
    pub page: u64,
    pub per_page: u64,
    offset: Option<u64>,
    search: Option<String>,
    after: Option<WpDate>,
    before: Option<WpDate>,
    modified_after: Option<WpDate>,
    modified_before: Option<WpDate>,
    dates_are_gmt: bool,
    descending: bool,
    orderby: OrderBy,
    statuses: Option<Vec<String>>,
    customer: Option<u64>,
}

/// One page of a collection.
pub(crate) struct Page {
    pub positions: Vec<u32>,
    pub total: u64,
    pub total_pages: u64,
}

fn integer(param: &str, value: &str) -> Result<i64, Invalid> {
    value.trim().parse::<i64>().map_err(|_| Invalid {
        param: param.to_owned(),
        code: "rest_invalid_type",
        message: format!("{param} is not of type integer."),
    })
}

/// WordPress's `rest_parse_date`: `YYYY-MM-DDTHH:MM:SS` (or a space or
/// `t` between), an optional fraction, and an optional `Z` or offset.
fn date(param: &str, value: &str) -> Result<WpDate, Invalid> {
    let bad = || Invalid {
        param: param.to_owned(),
        code: "rest_invalid_date",
        message: "Invalid date.".to_owned(),
    };
    let v = value.trim();
    if !v.is_ascii() || v.len() < 19 || !matches!(v.as_bytes()[10], b'T' | b't' | b' ') {
        return Err(bad());
    }
    let stamp = format!("{}T{}", &v[..10], &v[11..19]);
    let mut rest = &v[19..];
    if let Some(fraction) = rest.strip_prefix('.') {
        rest = fraction.trim_start_matches(|c: char| c.is_ascii_digit());
    }
    let zone = match rest {
        // No offset: the wall-clock value itself, read as GMT or local later.
        "" | "Z" | "z" => "Z".to_owned(),
        z if (z.starts_with('+') || z.starts_with('-')) && z.len() == 3 => format!("{z}:00"),
        z if (z.starts_with('+') || z.starts_with('-')) && z.len() == 5 => {
            format!("{}:{}", &z[..3], &z[3..])
        }
        z => z.to_owned(),
    };
    parse_instant(&format!("{stamp}{zone}"))
        .map(WpDate)
        .ok_or_else(bad)
}

fn boolean(param: &str, value: &str) -> Result<bool, Invalid> {
    match value.trim().to_ascii_lowercase().as_str() {
        "true" | "1" => Ok(true),
        "false" | "0" | "" => Ok(false),
        _ => Err(Invalid {
            param: param.to_owned(),
            code: "rest_invalid_type",
            message: format!("{param} is not of type boolean."),
        }),
    }
}

/// `a, b, and c`: WordPress's `%l` list format.
pub(crate) fn list(items: &[&str]) -> String {
    match items {
        [] => String::new(),
        [one] => (*one).to_owned(),
        [rest @ .., last] => format!("{}, and {last}", rest.join(", ")),
    }
}

fn one_of(param: &str, value: &str, allowed: &[&str]) -> Result<(), Invalid> {
    if allowed.contains(&value) {
        Ok(())
    } else {
        Err(Invalid {
            param: param.to_owned(),
            code: "rest_not_in_enum",
            message: format!("{param} is not one of {}.", list(allowed)),
        })
    }
}

impl ListQuery {
    pub(crate) fn parse(raw: &str) -> Result<ListQuery, Vec<Invalid>> {
        let mut q = ListQuery {
            page: 1,
            per_page: DEFAULT_PER_PAGE,
            offset: None,
            search: None,
            after: None,
            before: None,
            modified_after: None,
            modified_before: None,
            dates_are_gmt: false,
            descending: true,
            orderby: OrderBy::Created,
            statuses: None,
            customer: None,
        };
        let mut invalid: Vec<Invalid> = Vec::new();
        let mut note = |r: Result<(), Invalid>| {
            if let Err(i) = r {
                if !invalid.iter().any(|x| x.param == i.param) {
                    invalid.push(i);
                }
            }
        };
        for (key, value) in form_urlencoded::parse(raw.as_bytes()) {
            let v = value.as_ref();
            match key.as_ref() {
                "page" => note(integer("page", v).and_then(|n| {
                    if n < 1 {
                        Err(Invalid {
                            param: "page".into(),
                            code: "rest_out_of_bounds",
                            message: "page must be greater than or equal to 1".into(),
                        })
                    } else {
                        q.page = n.unsigned_abs();
                        Ok(())
                    }
                })),
                "per_page" => note(integer("per_page", v).and_then(|n| {
                    if !(1..=MAX_PER_PAGE as i64).contains(&n) {
                        Err(Invalid {
                            param: "per_page".into(),
                            code: "rest_out_of_bounds",
                            message: format!(
                                "per_page must be between 1 (inclusive) and {MAX_PER_PAGE} (inclusive)"
                            ),
                        })
                    } else {
                        q.per_page = n.unsigned_abs();
                        Ok(())
                    }
                })),
                // Sanitised with absint.
                "offset" => note(integer("offset", v).map(|n| q.offset = Some(n.unsigned_abs()))),
                "customer" => note(integer("customer", v).map(|n| q.customer = Some(n.unsigned_abs()))),
                "search" => q.search = Some(v.trim().to_lowercase()).filter(|s| !s.is_empty()),
                "after" => note(date("after", v).map(|d| q.after = Some(d))),
                "before" => note(date("before", v).map(|d| q.before = Some(d))),
                "modified_after" => note(date("modified_after", v).map(|d| q.modified_after = Some(d))),
                "modified_before" => note(date("modified_before", v).map(|d| q.modified_before = Some(d))),
                "dates_are_gmt" => note(boolean("dates_are_gmt", v).map(|b| q.dates_are_gmt = b)),
                "order" => note(one_of("order", v, &["asc", "desc"]).map(|()| q.descending = v == "desc")),
                "orderby" => note(one_of("orderby", v, ORDERBY).map(|()| {
                    q.orderby = match v {
                        "modified" => OrderBy::Modified,
                        "id" | "include" | "slug" => OrderBy::Id,
                        // An order's title is "Order – <date>": it sorts like the date.
                        _ => OrderBy::Created,
                    }
                })),
                "status" | "status[]" => {
                    let mut allowed: Vec<&str> = vec!["any", "trash"];
                    allowed.extend(ORDER_STATUSES);
                    for (i, s) in v.split(',').map(str::trim).filter(|s| !s.is_empty()).enumerate() {
                        match one_of(&format!("status[{i}]"), s, &allowed) {
                            Ok(()) => q.statuses.get_or_insert_with(Vec::new).push(s.to_owned()),
                            Err(e) => note(Err(Invalid { param: "status".into(), ..e })),
                        }
                    }
                }
                _ => {}
            }
        }
        if invalid.is_empty() {
            Ok(q)
        } else {
            Err(invalid)
        }
    }

    /// A bound in UTC seconds: GMT as given, or site-local shifted to UTC.
    fn utc(&self, d: Option<WpDate>) -> Option<i64> {
        d.map(|WpDate(t)| {
            if self.dates_are_gmt {
                t
            } else {
                t - SITE_UTC_OFFSET
            }
        })
    }

    fn matches(&self, o: &Order, email_of: &dyn Fn(&Order) -> Option<String>) -> bool {
        let after = |t: i64, bound: Option<i64>| bound.is_none_or(|b| t > b);
        let before = |t: i64, bound: Option<i64>| bound.is_none_or(|b| t < b);
        let status_ok = self.statuses.as_ref().is_none_or(|wanted| {
            wanted.iter().any(|w| w == "any") || wanted.iter().any(|w| w == status(o))
        });
        let search_ok = self.search.as_ref().is_none_or(|s| {
            o.id.to_string() == *s
                || email_of(o).is_some_and(|e| e.to_lowercase().contains(s.as_str()))
        });
        status_ok
            && search_ok
            && self
                .customer
                .is_none_or(|c| o.customer.map_or(0, |p| u64::from(p) + 2) == c)
            && after(o.created_at, self.utc(self.after))
            && before(o.created_at, self.utc(self.before))
            && after(o.updated_at, self.utc(self.modified_after))
            && before(o.updated_at, self.utc(self.modified_before))
    }

    /// Whether only the modified-time bounds filter: then the matching
    /// orders are one contiguous run of the ledger's update index.
    fn only_modified_bounds(&self) -> bool {
        self.statuses.as_ref().is_none_or(|wanted| wanted.iter().any(|w| w == "any"))
            && self.search.is_none()
            && self.customer.is_none()
            && self.after.is_none()
            && self.before.is_none()
    }

    /// The requested page and the collection's size.
    pub(crate) fn select(
        &self,
        ledger: &Ledger,
        email_of: &dyn Fn(&Order) -> Option<String>,
    ) -> Page {
        let keep = |p: &u32| ledger.get(*p).is_some_and(|o| self.matches(o, email_of));
        let matching: Vec<u32> = match self.orderby {
            // Ids ascend with creation time.
            OrderBy::Created | OrderBy::Id => (0..u32::try_from(ledger.len()).unwrap_or(u32::MAX))
                .filter(keep)
                .collect(),
            OrderBy::Modified => {
                let index = ledger.by_updated();
                let updated = |p: u32| ledger.get(p).map_or(i64::MAX, |o| o.updated_at);
                let start = self
                    .utc(self.modified_after)
                    .map_or(0, |b| index.partition_point(|&p| updated(p) <= b));
                if self.only_modified_bounds() {
                    // A sync walks the whole collection page by page: counting
                    // it by binary search instead of a scan keeps serving a
                    // page independent of the store's size.
                    let end = self
                        .utc(self.modified_before)
                        .map_or(index.len(), |b| index.partition_point(|&p| updated(p) < b))
                        .max(start);
                    return self.paged(&index[start..end]);
                }
                index[start..].iter().copied().filter(keep).collect()
            }
        };
        self.paged(&matching)
    }

    /// The requested page of the matching orders (given ascending).
    fn paged(&self, matching: &[u32]) -> Page {
        let total = matching.len() as u64;
        let total_pages = total.div_ceil(self.per_page);
        let start = self
            .offset
            .unwrap_or_else(|| (self.page - 1).saturating_mul(self.per_page));
        let start = usize::try_from(start).unwrap_or(usize::MAX);
        let take = usize::try_from(self.per_page).unwrap_or(usize::MAX);
        let positions = if self.descending {
            matching.iter().rev().skip(start).take(take).copied().collect()
        } else {
            matching.iter().skip(start).take(take).copied().collect()
        };
        Page {
            positions,
            total,
            total_pages,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_incremental_sync_query() {
        let q = ListQuery::parse(
            "modified_after=2026-05-01T10:00:00&dates_are_gmt=true&orderby=modified&order=asc&page=3&per_page=100",
        )
        .expect("valid");
        assert_eq!((q.page, q.per_page, q.descending), (3, 100, false));
        assert_eq!(q.orderby, OrderBy::Modified);
        assert_eq!(
            q.utc(q.modified_after),
            parse_instant("2026-05-01T10:00:00Z")
        );
        let local = ListQuery::parse("modified_after=2026-05-01T10:00:00").expect("valid");
        assert_eq!(
            local.utc(local.modified_after),
            parse_instant("2026-05-01T09:00:00Z"),
            "without dates_are_gmt the date is the site's local time"
        );
        let offset = ListQuery::parse("modified_after=2026-05-01T12:00:00%2B02:00&dates_are_gmt=1")
            .expect("valid");
        assert_eq!(
            offset.utc(offset.modified_after),
            parse_instant("2026-05-01T10:00:00Z")
        );
    }

    #[test]
    fn reports_every_invalid_parameter() {
        let Err(invalid) = ListQuery::parse(
            "per_page=101&page=0&orderby=total&modified_after=yesterday&status=shipped",
        ) else {
            panic!("invalid parameters are refused");
        };
        let names: Vec<&str> = invalid.iter().map(|i| i.param.as_str()).collect();
        assert_eq!(
            names,
            vec!["per_page", "page", "orderby", "modified_after", "status"]
        );
        assert_eq!(
            invalid[0].message,
            "per_page must be between 1 (inclusive) and 100 (inclusive)"
        );
        assert_eq!(
            invalid[2].message,
            "orderby is not one of date, id, include, title, slug, and modified."
        );
    }
}
