//! The query string of `GET /v2/orders`, and choosing a page of orders.
//!
//! Supported (orders.v2.oas2.yml): `min_id`, `max_id`, `customer_id`,
//! `email`, `status_id`, `min_date_created`, `max_date_created`,
//! `min_date_modified`, `max_date_modified` (RFC 2822 or ISO 8601), `sort`
//! (`id`, `customer_id`, `date_created`, `date_modified`, `status_id`,
//! `channel_id`, `external_id`, each with `:asc`/`:desc`; default id
//! ascending), `page` (default 1) and `limit` (default 50). Other parameters
//! are ignored. Bounds are inclusive and sort ties fall back to the id (see
//! `replies` for what is UNCONFIRMED).

use super::replies::{DEFAULT_LIMIT, MAX_LIMIT};
use super::statuses::status_id;
use crate::data::clock::{parse_instant, parse_rfc2822};
use crate::data::ledger::Ledger;
use crate::data::orders::Order;

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) enum SortField {
    #[default]
    Id,
    CustomerId,
    DateCreated,
    DateModified,
    StatusId,
}

#[derive(Debug, Default)]
pub(crate) struct OrdersQuery {
    min_id: Option<u64>,
    max_id: Option<u64>,
    customer_id: Option<u64>,
    email: Option<String>,
    status_id: Option<u8>,
    created: (Option<i64>, Option<i64>),
    modified: (Option<i64>, Option<i64>),
    pub sort: SortField,
    pub descending: bool,
    pub page: u64,
    pub limit: u64,
}

/// Why a query string was refused.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum QueryError {
    /// Answer `400` naming the field.
    Invalid(&'static str),
    /// `limit` above the maximum: answer `413`.
    LimitTooLarge,
}

/// RFC 2822 (`Thu, 20 Apr 2017 11:32:00 -0400`) or ISO 8601
/// (`2017-04-20T11:32:00.000-04:00`, a bare time taken as UTC, or a date).
fn parse_time(s: &str) -> Option<i64> {
    parse_rfc2822(s).or_else(|| parse_instant(s))
}

fn parse_sort(s: &str) -> Option<(SortField, bool)> {
    let (field, direction) = s.split_once(':').unwrap_or((s, "asc"));
    let descending = match direction.to_ascii_lowercase().as_str() {
        "asc" => false,
        "desc" => true,
        _ => return None,
    };
    let field = match field {
        // Every sandbox order is on channel 1 with no external id: those
        // sorts come out in id order.
        "id" | "channel_id" | "external_id" => SortField::Id,
        "customer_id" => SortField::CustomerId,
        "date_created" => SortField::DateCreated,
        "date_modified" => SortField::DateModified,
        "status_id" => SortField::StatusId,
        _ => return None,
    };
    Some((field, descending))
}

impl OrdersQuery {
    pub(crate) fn parse(raw: &str) -> Result<OrdersQuery, QueryError> {
        let mut q = OrdersQuery {
            page: 1,
            limit: DEFAULT_LIMIT,
            ..OrdersQuery::default()
        };
        for (key, value) in form_urlencoded::parse(raw.as_bytes()) {
            let value = value.trim();
            let number =
                |name: &'static str| value.parse::<u64>().map_err(|_| QueryError::Invalid(name));
            let time = |name: &'static str| parse_time(value).ok_or(QueryError::Invalid(name));
            match key.as_ref() {
                "min_id" => q.min_id = Some(number("min_id")?),
                "max_id" => q.max_id = Some(number("max_id")?),
                "customer_id" => q.customer_id = Some(number("customer_id")?),
                "status_id" => {
                    let id = number("status_id")?;
                    q.status_id =
                        Some(u8::try_from(id).map_err(|_| QueryError::Invalid("status_id"))?);
                }
                "email" => q.email = Some(value.to_lowercase()),
                "min_date_created" => q.created.0 = Some(time("min_date_created")?),
                "max_date_created" => q.created.1 = Some(time("max_date_created")?),
                "min_date_modified" => q.modified.0 = Some(time("min_date_modified")?),
                "max_date_modified" => q.modified.1 = Some(time("max_date_modified")?),
                "sort" => {
                    let (field, descending) =
                        parse_sort(value).ok_or(QueryError::Invalid("sort"))?;
                    q.sort = field;
                    q.descending = descending;
                }
                "page" => {
                    q.page = number("page")?;
                    if q.page == 0 {
                        return Err(QueryError::Invalid("page"));
                    }
                }
                "limit" => {
                    q.limit = number("limit")?;
                    if q.limit == 0 {
                        return Err(QueryError::Invalid("limit"));
                    }
                    if q.limit > MAX_LIMIT {
                        return Err(QueryError::LimitTooLarge);
                    }
                }
                _ => {}
            }
        }
        Ok(q)
    }

    fn matches(&self, o: &Order, email_of: &dyn Fn(&Order) -> Option<String>) -> bool {
        let within = |v: i64, (lo, hi): (Option<i64>, Option<i64>)| {
            lo.is_none_or(|lo| v >= lo) && hi.is_none_or(|hi| v <= hi)
        };
        self.min_id.is_none_or(|m| o.id >= m)
            && self.max_id.is_none_or(|m| o.id <= m)
            && self
                .customer_id
                .is_none_or(|c| o.customer.map_or(0, |p| u64::from(p) + 1) == c)
            && self.status_id.is_none_or(|s| status_id(o) == s)
            && within(o.created_at, self.created)
            && within(o.updated_at, self.modified)
            && self.email.as_ref().is_none_or(|wanted| {
                email_of(o).is_some_and(|e| e.trim().to_lowercase() == *wanted)
            })
    }

    /// Positions (into the ledger) of the requested page, in response order.
    pub(crate) fn select(
        &self,
        ledger: &Ledger,
        email_of: &dyn Fn(&Order) -> Option<String>,
    ) -> Vec<u32> {
        let keep = |p: &u32| ledger.get(*p).is_some_and(|o| self.matches(o, email_of));
        let by_id = || 0..u32::try_from(ledger.len()).unwrap_or(u32::MAX);
        let mut matching: Vec<u32> = match self.sort {
            // Creation time ascends with the id.
            SortField::Id | SortField::DateCreated => by_id().filter(keep).collect(),
            SortField::DateModified => {
                let index = ledger.by_updated();
                // Skip straight to the first order at or after the lower bound.
                let start = self.modified.0.map_or(0, |lo| {
                    index.partition_point(|&p| ledger.get(p).is_some_and(|o| o.updated_at < lo))
                });
                index[start..].iter().copied().filter(keep).collect()
            }
            SortField::CustomerId | SortField::StatusId => {
                let mut v: Vec<u32> = by_id().filter(keep).collect();
                let key = |p: &u32| {
                    ledger.get(*p).map_or((0, 0), |o| {
                        let k = match self.sort {
                            SortField::CustomerId => o.customer.map_or(0, |c| u64::from(c) + 1),
                            _ => u64::from(status_id(o)),
                        };
                        (k, o.id)
                    })
                };
                v.sort_by_key(key);
                v
            }
        };
        if self.descending {
            matching.reverse();
        }
        let start =
            usize::try_from((self.page - 1).saturating_mul(self.limit)).unwrap_or(usize::MAX);
        let limit = usize::try_from(self.limit).unwrap_or(usize::MAX);
        matching.into_iter().skip(start).take(limit).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_incremental_sync_query() {
        let q = OrdersQuery::parse(
            "min_date_modified=Thu%2C%2020%20Apr%202017%2011%3A32%3A00%20-0400&sort=date_modified:asc&page=2&limit=250",
        )
        .expect("valid");
        assert_eq!(q.sort, SortField::DateModified);
        assert!(!q.descending);
        assert_eq!((q.page, q.limit), (2, 250));
        assert_eq!(q.modified.0, parse_instant("2017-04-20T15:32:00Z"));
        let iso =
            OrdersQuery::parse("min_date_modified=2017-04-20T11:32:00.000-04:00").expect("valid");
        assert_eq!(iso.modified.0, q.modified.0);
    }

    #[test]
    fn refuses_what_it_cannot_read() {
        assert_eq!(
            OrdersQuery::parse("limit=251").err(),
            Some(QueryError::LimitTooLarge)
        );
        assert_eq!(
            OrdersQuery::parse("limit=ten").err(),
            Some(QueryError::Invalid("limit"))
        );
        assert_eq!(
            OrdersQuery::parse("page=0").err(),
            Some(QueryError::Invalid("page"))
        );
        assert_eq!(
            OrdersQuery::parse("sort=total").err(),
            Some(QueryError::Invalid("sort"))
        );
        assert_eq!(
            OrdersQuery::parse("min_date_modified=yesterday").err(),
            Some(QueryError::Invalid("min_date_modified"))
        );
        assert!(OrdersQuery::parse("unknown=1&sort=id:desc").is_ok());
    }
}
