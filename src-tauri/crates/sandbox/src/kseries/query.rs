//! The v2 sales query: `from`, `to`, `include`, `pageSize` and
//! `nextPageToken` (channel-apis §7), and its page tokens.
//!
//! A page token is opaque to the client: base64url of the query's
//! fingerprint and the (`timeClosed`, position) of the last sale served. It
//! is only good for the query it came from (the same location, `from`,
//! `to`, `include` and `pageSize` as sent); any other gets 400. Messages
//! for documented errors are the documented ones; the rest are UNCONFIRMED
//! (see `replies`).

use std::collections::hash_map::DefaultHasher;
use std::hash::{Hash, Hasher};

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;

use crate::data::clock;

/// `pageSize` when absent, and its maximum (documented).
pub(crate) const DEFAULT_PAGE_SIZE: usize = 50;
pub(crate) const MAX_PAGE_SIZE: usize = 100;
/// The widest `from`–`to` range (documented: 365 days).
pub(crate) const MAX_RANGE_MS: i64 = 365 * clock::DAY * 1_000;

/// The documented `include` values.
const INCLUDES: &[&str] = &[
    "staff",
    "table",
    "consumer",
    "payments",
    "revenue_center",
    "account_profile",
    "payment_authorization",
];

/// What `include` asked for.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Include {
    pub staff: bool,
    pub table: bool,
    pub consumer: bool,
    pub payments: bool,
    pub revenue_center: bool,
    pub account_profile: bool,
    pub payment_authorization: bool,
}

impl Include {
    /// Comma-separated values; `Err` names an unknown one.
    pub(crate) fn parse(raw: &str) -> Result<Include, String> {
        let mut inc = Include::default();
        for v in raw.split(',').map(str::trim).filter(|v| !v.is_empty()) {
            match v {
                "staff" => inc.staff = true,
                "table" => inc.table = true,
                "consumer" => inc.consumer = true,
                "payments" => inc.payments = true,
                "revenue_center" => inc.revenue_center = true,
                "account_profile" => inc.account_profile = true,
                "payment_authorization" => inc.payment_authorization = true,
                other => {
                    return Err(format!(
                        "Invalid include value '{other}'. Allowed values: {}",
                        INCLUDES.join(", ")
                    ))
                }
            }
        }
        Ok(inc)
    }
}

/// A read sales query. Times are milliseconds.
#[derive(Clone, Debug)]
pub(crate) struct SalesQuery {
    pub from_ms: i64,
    pub to_ms: i64,
    pub include: Include,
    pub page_size: usize,
    /// After this (`timeClosed`, position), from the page token.
    pub after: Option<(i64, u32)>,
    fingerprint: u64,
}

/// `2023-01-01T14:00:00Z`, with an offset or fractions, → milliseconds.
fn instant_ms(s: &str) -> Option<i64> {
    use time::format_description::well_known::Rfc3339;
    let t = time::OffsetDateTime::parse(s.trim(), &Rfc3339).ok()?;
    i64::try_from(t.unix_timestamp_nanos() / 1_000_000).ok()
}

/// `2023-01-01T14:00:00.000Z`.
pub(crate) fn format_ms(ms: i64) -> String {
    let secs = ms.div_euclid(1_000);
    let mut s = clock::format_utc(secs);
    s.pop();
    format!("{s}.{:03}Z", ms.rem_euclid(1_000))
}

impl SalesQuery {
    /// Reads the query string of a request for `location`. `earliest_ms`
    /// is when the location became operational; `now_ms` clamps `to`.
    pub(crate) fn parse(
        raw: &str,
        location: u64,
        earliest_ms: i64,
        now_ms: i64,
    ) -> Result<SalesQuery, String> {
        let mut from: Option<String> = None;
        let mut to: Option<String> = None;
        let mut include = String::new();
        let mut size: Option<String> = None;
        let mut token: Option<String> = None;
        for (k, v) in form_urlencoded::parse(raw.as_bytes()) {
            let v = v.trim().to_owned();
            match k.as_ref() {
                "from" if !v.is_empty() => from = Some(v),
                "to" if !v.is_empty() => to = Some(v),
                "include" => include = v,
                "pageSize" if !v.is_empty() => size = Some(v),
                "nextPageToken" if !v.is_empty() => token = Some(v),
                _ => {}
            }
        }
        let Some(from) = from else {
            return Err("Required request parameter 'from' for method parameter type OffsetDateTime is not present".to_owned());
        };
        let from_ms = instant_ms(&from).ok_or_else(|| format!("Invalid date format: {from}"))?;
        let to_ms = match &to {
            Some(t) => instant_ms(t)
                .ok_or_else(|| format!("Invalid date format: {t}"))?
                .min(now_ms),
            None => now_ms,
        };
        if from_ms > to_ms {
            return Err(format!(
                "Invalid date range: 'from' date {from} should not be after 'to' date {}",
                to.clone().unwrap_or_else(|| format_ms(now_ms))
            ));
        }
        if to_ms - from_ms > MAX_RANGE_MS {
            return Err(
                "Invalid date range: the range between 'from' and 'to' cannot exceed 365 days"
                    .to_owned(),
            );
        }
        if from_ms < earliest_ms {
            return Err(format!(
                "Invalid 'from' date query parameter. The requested business location was not operational on the provided date.\nPlease specify a date and time after: {}, which is the earliest available date for this location.\n",
                format_ms(earliest_ms)
            ));
        }
        let page_size = match &size {
            None => DEFAULT_PAGE_SIZE,
            Some(s) => match s.parse::<usize>() {
                Ok(n) if (1..=MAX_PAGE_SIZE).contains(&n) => n,
                _ => {
                    return Err(format!(
                        "Invalid pageSize: {s}. It must be between 1 and {MAX_PAGE_SIZE}"
                    ))
                }
            },
        };
        let include_parsed = Include::parse(&include)?;
        let mut h = DefaultHasher::new();
        (location, &from, &to, &include, &size).hash(&mut h);
        let fingerprint = h.finish();
        let after = match token {
            None => None,
            Some(t) => Some(decode(&t, fingerprint).ok_or("Invalid nextPageToken")?),
        };
        Ok(SalesQuery {
            from_ms,
            to_ms,
            include: include_parsed,
            page_size,
            after,
            fingerprint,
        })
    }

    /// The token for the page after (`closed_ms`, `position`).
    pub(crate) fn token_after(&self, closed_ms: i64, position: u32) -> String {
        URL_SAFE_NO_PAD.encode(format!("{:016x}.{closed_ms}.{position}", self.fingerprint))
    }

    /// Selects one page from rows sorted by (`timeClosed`, position): the
    /// rows in `[from, to)` after the cursor, and whether more follow.
    pub(crate) fn select(&self, rows: &[(i64, u32)]) -> (Vec<(i64, u32)>, bool) {
        let mut matching = rows.iter().copied().filter(|&(t, i)| {
            t >= self.from_ms && t < self.to_ms && self.after.is_none_or(|a| (t, i) > a)
        });
        let page: Vec<(i64, u32)> = matching.by_ref().take(self.page_size).collect();
        let more = matching.next().is_some();
        (page, more)
    }
}

fn decode(token: &str, fingerprint: u64) -> Option<(i64, u32)> {
    let text = String::from_utf8(URL_SAFE_NO_PAD.decode(token).ok()?).ok()?;
    let mut parts = text.split('.');
    let print = u64::from_str_radix(parts.next()?, 16).ok()?;
    let closed: i64 = parts.next()?.parse().ok()?;
    let position: u32 = parts.next()?.parse().ok()?;
    (print == fingerprint && parts.next().is_none()).then_some((closed, position))
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: i64 = 1_780_000_000_000;

    #[test]
    fn documented_errors_and_limits() {
        let q = |raw: &str| SalesQuery::parse(raw, 7, 0, NOW);
        assert!(q("").unwrap_err().contains("'from'"));
        assert!(q("from=12/12/2023")
            .unwrap_err()
            .starts_with("Invalid date format"));
        assert!(q("from=2026-01-02T00:00:00Z&to=2026-01-01T00:00:00Z").is_err());
        assert!(q("from=2024-01-01T00:00:00Z&to=2025-01-02T00:00:00Z").is_err());
        assert!(q("from=2026-01-01T00:00:00Z&pageSize=101").is_err());
        assert!(q("from=2026-01-01T00:00:00Z&include=nope").is_err());
        let ok = q("from=2026-01-01T00:00:00%2B01:00&include=payments,consumer").expect("valid");
        assert_eq!(ok.page_size, DEFAULT_PAGE_SIZE);
        assert_eq!(ok.to_ms, NOW, "no `to` means now");
        assert!(ok.include.payments && ok.include.consumer && !ok.include.staff);
        let late = SalesQuery::parse("from=2026-01-01T00:00:00Z", 7, NOW - 1, NOW);
        assert!(late.unwrap_err().contains("not operational"));
    }

    #[test]
    fn page_tokens_only_fit_their_own_query() {
        let q = SalesQuery::parse("from=2026-01-01T00:00:00Z&pageSize=2", 7, 0, NOW).expect("ok");
        let t = q.from_ms;
        let rows = [
            (t - 1, 9),
            (t, 0),
            (t, 1),
            (t + 20, 2),
            (t + 30, 3),
            (NOW, 4),
        ];
        let (page, more) = q.select(&rows);
        assert_eq!(
            (page, more),
            (vec![(t, 0), (t, 1)], true),
            "from is inclusive"
        );
        let token = q.token_after(t, 1);
        let next = format!("from=2026-01-01T00:00:00Z&pageSize=2&nextPageToken={token}");
        let q2 = SalesQuery::parse(&next, 7, 0, NOW).expect("same query");
        let last = (vec![(t + 20, 2), (t + 30, 3)], false);
        assert_eq!(q2.select(&rows), last, "to (now) is exclusive");
        let other = format!("from=2026-01-01T00:00:00Z&pageSize=3&nextPageToken={token}");
        assert!(SalesQuery::parse(&other, 7, 0, NOW).is_err());
        let elsewhere = SalesQuery::parse(&next, 8, 0, NOW);
        assert!(elsewhere.is_err(), "another location's query");
    }
}
