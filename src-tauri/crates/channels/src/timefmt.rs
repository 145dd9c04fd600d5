//! Platform timestamps to UTC unix milliseconds and back.

use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;

pub fn parse_ms(value: &str) -> Result<i64, String> {
    let parsed = OffsetDateTime::parse(value, &Rfc3339).map_err(|e| format!("{value:?}: {e}"))?;
    Ok((parsed.unix_timestamp_nanos() / 1_000_000) as i64)
}

/// RFC 3339 in UTC with a `Z`, the form platform query filters expect.
pub fn format_ms(ms: i64) -> String {
    OffsetDateTime::from_unix_timestamp_nanos(ms as i128 * 1_000_000)
        .ok()
        .and_then(|t| t.format(&Rfc3339).ok())
        .unwrap_or_else(|| "1970-01-01T00:00:00Z".to_owned())
}

/// BigCommerce's v2 dates: RFC 2822, e.g. `Tue, 20 Nov 2012 00:00:00 +0000`.
pub fn parse_rfc2822_ms(value: &str) -> Result<i64, String> {
    let parsed = OffsetDateTime::parse(value, &time::format_description::well_known::Rfc2822)
        .map_err(|e| format!("{value:?}: {e}"))?;
    Ok((parsed.unix_timestamp_nanos() / 1_000_000) as i64)
}
