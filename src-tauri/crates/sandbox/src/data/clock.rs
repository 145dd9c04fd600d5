//! Time as unix seconds (UTC), formatted the way each platform writes it:
//! RFC 3339 with `Z` for Shopify's `DateTime` scalar, RFC 2822 for
//! BigCommerce v2 (`Tue, 20 Nov 2012 00:00:00 +0000`), and WordPress's
//! offset-less `2017-03-22T16:28:02` for WooCommerce.
//!
//! The generated history never reads the wall clock: it hangs off an anchor
//! derived from the seed, so the same seed gives byte-identical data on any day.
//! Only "live" changes (`touch_*_orders`) use [`now`].

use time::format_description::well_known::{Rfc2822, Rfc3339};
use time::OffsetDateTime;

pub const DAY: i64 = 86_400;
pub const HOUR: i64 = 3_600;

/// 2026-06-01T00:00:00Z.
const ANCHOR_BASE: i64 = 1_780_272_000;

/// The end of the generated history for `seed`: up to ~4 months before
/// 2026-06-01, at a seed-dependent time of day. Always in the past for the app,
/// so edits made "now" sort after every generated order.
pub fn anchor_for_seed(seed: u64) -> i64 {
    let days_back = i64::try_from(seed % 120).unwrap_or(0);
    let seconds = i64::try_from((seed / 120) % 86_400).unwrap_or(0);
    ANCHOR_BASE - days_back * DAY + seconds
}

pub fn now() -> i64 {
    OffsetDateTime::now_utc().unix_timestamp()
}

/// `2026-05-23T14:03:11Z`.
pub fn format_utc(t: i64) -> String {
    let days = t.div_euclid(DAY);
    let secs = t.rem_euclid(DAY);
    let (y, m, d) = civil_from_days(days);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        secs / 3600,
        (secs / 60) % 60,
        secs % 60
    )
}

/// `Tue, 20 Nov 2012 00:00:00 +0000`: RFC 2822 in UTC, as BigCommerce v2
/// writes `date_created` and `date_modified`.
pub fn format_rfc2822(t: i64) -> String {
    const WEEKDAYS: [&str; 7] = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let days = t.div_euclid(DAY);
    let secs = t.rem_euclid(DAY);
    let (y, m, d) = civil_from_days(days);
    // 1970-01-01 was a Thursday.
    let weekday = WEEKDAYS[(days + 4).rem_euclid(7) as usize];
    let month = MONTHS[(m as usize).saturating_sub(1) % 12];
    format!(
        "{weekday}, {d:02} {month} {y:04} {:02}:{:02}:{:02} +0000",
        secs / 3600,
        (secs / 60) % 60,
        secs % 60
    )
}

/// `Tue, 20 Nov 2012 00:00:00 GMT`: an HTTP date (RFC 7231's IMF-fixdate,
/// the RFC 1123 form), as `Retry-After` and `Expires` carry it.
pub fn format_http_date(t: i64) -> String {
    let mut s = format_rfc2822(t);
    s.truncate(s.len() - "+0000".len());
    s.push_str("GMT");
    s
}

/// `2026-05-23T14:03:11+00:00`: RFC 3339 in UTC with a numeric offset, as
/// the Lightspeed APIs write their times.
pub fn format_offset(t: i64) -> String {
    let mut s = format_utc(t);
    s.pop(); // the `Z`
    s.push_str("+00:00");
    s
}

/// Parses an RFC 2822 date-time (`Thu, 20 Apr 2017 11:32:00 -0400`).
pub fn parse_rfc2822(s: &str) -> Option<i64> {
    OffsetDateTime::parse(s.trim(), &Rfc2822)
        .ok()
        .map(|t| t.unix_timestamp())
}

/// `2017-03-22T16:28:02`: the wall-clock time `offset` seconds east of UTC,
/// without a zone, as WordPress writes both its local and `_gmt` dates.
pub fn format_naive(t: i64, offset: i64) -> String {
    let mut s = format_utc(t + offset);
    s.pop(); // the `Z`
    s
}

/// Parses what a Shopify search query accepts as a time: RFC 3339 with `Z` or an
/// offset (fractional seconds allowed), a bare `YYYY-MM-DDTHH:MM:SS` (taken as
/// UTC), or a date `YYYY-MM-DD` (midnight UTC; real Shopify uses the shop's
/// timezone, and sandbox shops are in UTC).
pub fn parse_instant(s: &str) -> Option<i64> {
    let s = s.trim();
    if let Ok(t) = OffsetDateTime::parse(s, &Rfc3339) {
        return Some(t.unix_timestamp());
    }
    if s.len() == 19 && s.as_bytes().get(10) == Some(&b'T') {
        return OffsetDateTime::parse(&format!("{s}Z"), &Rfc3339)
            .ok()
            .map(|t| t.unix_timestamp());
    }
    parse_date(s)
}

/// `YYYY-MM-DD` → midnight UTC.
pub fn parse_date(s: &str) -> Option<i64> {
    let mut parts = s.splitn(3, '-');
    let y: i64 = parts.next()?.parse().ok()?;
    let m: u32 = parts.next()?.parse().ok()?;
    let d: u32 = parts.next()?.parse().ok()?;
    if s.len() != 10 || !(1..=12).contains(&m) || !(1..=31).contains(&d) {
        return None;
    }
    Some(days_from_civil(y, m, d) * DAY)
}

/// Howard Hinnant's `days_from_civil`: days since 1970-01-01 for a proleptic
/// Gregorian date.
pub fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(m);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The inverse of [`days_from_civil`].
pub fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_and_parses_round_trip() {
        let t = parse_instant("2026-05-23T14:03:11Z").expect("valid RFC 3339");
        assert_eq!(format_utc(t), "2026-05-23T14:03:11Z");
        assert_eq!(parse_instant("2026-05-23T14:03:11"), Some(t));
        assert_eq!(parse_instant("2026-05-23T16:03:11+02:00"), Some(t));
        assert_eq!(
            parse_instant("2026-05-23"),
            parse_instant("2026-05-23T00:00:00Z")
        );
        assert_eq!(format_utc(ANCHOR_BASE), "2026-06-01T00:00:00Z");
        assert_eq!(parse_instant("yesterday"), None);
    }

    #[test]
    fn rfc2822_and_naive_forms() {
        let t = parse_instant("2012-11-20T00:00:00Z").expect("valid");
        assert_eq!(format_rfc2822(t), "Tue, 20 Nov 2012 00:00:00 +0000");
        assert_eq!(parse_rfc2822("Tue, 20 Nov 2012 00:00:00 +0000"), Some(t));
        assert_eq!(parse_rfc2822("Mon, 19 Nov 2012 19:00:00 -0500"), Some(t));
        assert_eq!(
            format_rfc2822(ANCHOR_BASE),
            "Mon, 01 Jun 2026 00:00:00 +0000"
        );
        assert_eq!(format_naive(t, 3600), "2012-11-20T01:00:00");
        assert_eq!(parse_rfc2822("2012-11-20"), None);
        assert_eq!(format_http_date(t), "Tue, 20 Nov 2012 00:00:00 GMT");
        assert_eq!(format_offset(t), "2012-11-20T00:00:00+00:00");
    }
}
