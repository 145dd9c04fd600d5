//! The insights dashboard: repeat purchase rate, spend per member and
//! lifetime value (reference §4), members by tier and by segment, each as a
//! time series over a date range, with the definitions the UI shows on hover.
//! Read from `member_orders` (the match, with each order's counted spend)
//! through an index that covers the columns used, in one pass over the
//! range; spend before the range comes from the per-day totals
//! (`loyalty_days`, kept by triggers).

use std::collections::HashMap;

use sqlx::SqliteConnection;
use time::{Date, Month, OffsetDateTime};

use crate::model::{
    Bucket, Definition, Insights, InsightsQuery, MoneyPoint, RatePoint, Segment, SegmentCount, SegmentPoint, TierCount,
    TierPoint,
};
use crate::settings;
use crate::{Error, Result};

const DAY_MS: i64 = 24 * 60 * 60 * 1000;

pub const DEFINITIONS: [(&str, &str); 5] = [
    (
        "Repeat purchase rate",
        "Members with two or more counted orders in the range, divided by members with at least one. Each point covers the range from its start to the end of that period; the last point is the whole range. Cancelled, returned and fully refunded orders don't count.",
    ),
    (
        "Spend per member",
        "Members' spend in the period (net of refunds, in the program currency) divided by the members who ordered in that period.",
    ),
    (
        "Lifetime value",
        "Historical lifetime value: everything members have spent up to the end of the period (net of refunds), divided by the members who had ordered by then.",
    ),
    (
        "Members by segment",
        "RFM segments from quintile scores of recency, frequency and spend. Counts are recorded each time segments are fully recomputed (at most one point a day).",
    ),
    (
        "Members by tier",
        "Members in each spend tier at the end of each period, from the tier history. \"No tier\" is every other member.",
    ),
];

/// Bucket boundaries covering [from, to): aligned to UTC days, Monday
/// weeks or months, the first and last clipped to the range.
pub fn buckets(from: i64, to: i64, bucket: Bucket) -> Vec<(i64, i64)> {
    let mut out = Vec::new();
    let mut start = align(from, bucket);
    while start < to {
        let end = next(start, bucket);
        out.push((start.max(from), end.min(to)));
        start = end;
    }
    out
}

fn date_of(ms: i64) -> Date {
    OffsetDateTime::from_unix_timestamp(ms.div_euclid(1000)).map(|t| t.date()).unwrap_or(Date::MIN)
}

fn ms_of(date: Date) -> i64 {
    date.midnight().assume_utc().unix_timestamp() * 1000
}

fn align(ms: i64, bucket: Bucket) -> i64 {
    let day = ms.div_euclid(DAY_MS) * DAY_MS;
    match bucket {
        Bucket::Day => day,
        // 1970-01-01 was a Thursday: Monday-based weeks start 3 days before.
        Bucket::Week => (ms.div_euclid(DAY_MS) + 3).div_euclid(7) * 7 * DAY_MS - 3 * DAY_MS,
        Bucket::Month => {
            let d = date_of(ms);
            ms_of(Date::from_calendar_date(d.year(), d.month(), 1).unwrap_or(d))
        }
    }
}

fn next(start: i64, bucket: Bucket) -> i64 {
    match bucket {
        Bucket::Day => start + DAY_MS,
        Bucket::Week => start + 7 * DAY_MS,
        Bucket::Month => {
            let d = date_of(start);
            let (year, month) = if d.month() == Month::December { (d.year() + 1, Month::January) } else { (d.year(), d.month().next()) };
            Date::from_calendar_date(year, month, 1).map(ms_of).unwrap_or(start + 31 * DAY_MS)
        }
    }
}

/// The SQL expression giving a timestamp column's bucket key, and the same in Rust.
fn key_sql(bucket: Bucket, column: &str) -> String {
    match bucket {
        Bucket::Day => format!("({column} / {DAY_MS})"),
        Bucket::Week => format!("(({column} / {DAY_MS} + 3) / 7)"),
        Bucket::Month => format!(
            "(CAST(strftime('%Y', {column} / 1000, 'unixepoch') AS INTEGER) * 12 + CAST(strftime('%m', {column} / 1000, 'unixepoch') AS INTEGER) - 1)"
        ),
    }
}

fn key_of(ms: i64, bucket: Bucket) -> i64 {
    match bucket {
        Bucket::Day => ms / DAY_MS,
        Bucket::Week => (ms / DAY_MS + 3) / 7,
        Bucket::Month => {
            let d = date_of(ms);
            d.year() as i64 * 12 + d.month() as i64 - 1
        }
    }
}

fn auto_bucket(from: i64, to: i64) -> Bucket {
    match (to - from) / DAY_MS {
        0..=62 => Bucket::Day,
        63..=366 => Bucket::Week,
        _ => Bucket::Month,
    }
}

/// Every widget's series for the range.
pub async fn insights(conn: &mut SqliteConnection, query: &InsightsQuery) -> Result<Insights> {
    let (from, to) = (query.from, query.to);
    if to <= from {
        return Err(Error::Invalid("The range must end after it starts.".into()));
    }
    let bucket = query.bucket.unwrap_or_else(|| auto_bucket(from, to));
    let ranges = buckets(from, to, bucket);
    if ranges.len() > 2_000 {
        return Err(Error::Invalid("That range has too many points; pick a longer period (week or month).".into()));
    }
    let index: HashMap<i64, usize> = ranges.iter().enumerate().map(|(i, (start, _))| (key_of(*start, bucket), i)).collect();
    let slot = |key: i64| index.get(&key).copied();
    let n = ranges.len();
    let currency = settings::load(conn).await?.currency;

    // One pass over the range's member orders in date order (index-only:
    // `member_orders_by_created` covers these columns): spend and buyers per
    // bucket, and the bucket of each member's first and second counted order.
    let rows: Vec<(i64, i64, i64, i64)> = sqlx::query_as(
        "SELECT created_at, member_id, counted, spend_minor FROM member_orders
          WHERE created_at >= ?1 AND created_at < ?2 ORDER BY created_at",
    )
    .bind(from)
    .bind(to)
    .fetch_all(&mut *conn)
    .await?;
    let (mut spend, mut buyers) = (vec![0i64; n], vec![0i64; n]);
    let (mut first_in, mut second_in) = (vec![0i64; n], vec![0i64; n]);
    // Per member: counted orders seen so far and the last bucket they bought in.
    let mut seen: HashMap<i64, (u32, usize)> = HashMap::new();
    let mut i = 0;
    for (at, member, counted, amount) in rows {
        while ranges[i].1 <= at {
            i += 1;
        }
        spend[i] += amount;
        if counted != 1 {
            continue;
        }
        let entry = seen.entry(member).or_insert((0, usize::MAX));
        if entry.1 != i {
            buyers[i] += 1;
            entry.1 = i;
        }
        entry.0 += 1;
        match entry.0 {
            1 => first_in[i] += 1,
            2 => second_in[i] += 1,
            _ => {}
        }
    }

    // Lifetime value: spend before the range from the per-day totals (and
    // the orders of `from`'s own day before it), first orders from members.
    let from_day = from.div_euclid(DAY_MS);
    let (spend_before, members_before): (i64, i64) = sqlx::query_as(
        "SELECT (SELECT COALESCE(SUM(spend_minor), 0) FROM loyalty_days WHERE day < ?2)
              + (SELECT COALESCE(SUM(spend_minor), 0) FROM member_orders WHERE created_at >= ?2 * 86400000 AND created_at < ?1),
                (SELECT COUNT(*) FROM member_stats WHERE first_order_at < ?1)",
    )
    .bind(from)
    .bind(from_day)
    .fetch_one(&mut *conn)
    .await?;
    let new_members: Vec<(i64, i64)> = sqlx::query_as(&format!(
        "SELECT {key} AS k, COUNT(*) FROM member_stats WHERE first_order_at >= ?1 AND first_order_at < ?2 GROUP BY k",
        key = key_sql(bucket, "first_order_at")
    ))
    .bind(from)
    .bind(to)
    .fetch_all(&mut *conn)
    .await?;
    let mut first_ever = vec![0i64; n];
    for (key, count) in new_members {
        if let Some(i) = slot(key) {
            first_ever[i] += count;
        }
    }

    let (mut repeat_purchase_rate, mut spend_per_member, mut lifetime_value) =
        (Vec::with_capacity(n), Vec::with_capacity(n), Vec::with_capacity(n));
    let (mut ones, mut twos, mut cumulative, mut with_orders) = (0, 0, spend_before, members_before);
    for (i, &(start, end)) in ranges.iter().enumerate() {
        ones += first_in[i];
        twos += second_in[i];
        cumulative += spend[i];
        with_orders += first_ever[i];
        let rate = if ones > 0 { twos as f64 / ones as f64 } else { 0.0 };
        repeat_purchase_rate.push(RatePoint { start, end, rate, repeaters: twos, buyers: ones });
        let per = if buyers[i] > 0 { spend[i] / buyers[i] } else { 0 };
        spend_per_member.push(MoneyPoint { start, end, amount_minor: per, members: buyers[i] });
        let ltv = if with_orders > 0 { cumulative / with_orders } else { 0 };
        lifetime_value.push(MoneyPoint { start, end, amount_minor: ltv, members: with_orders });
    }

    Ok(Insights {
        from,
        to,
        bucket,
        currency,
        repeat_purchase_rate,
        spend_per_member,
        lifetime_value,
        members_by_segment: segments(conn, from, to).await?,
        members_by_tier: tiers(conn, &ranges).await?,
        definitions: DEFINITIONS.iter().map(|(title, text)| Definition { title: (*title).into(), text: (*text).into() }).collect(),
    })
}

async fn segments(conn: &mut SqliteConnection, from: i64, to: i64) -> Result<Vec<SegmentPoint>> {
    let rows: Vec<(i64, String, i64)> = sqlx::query_as(
        "SELECT day, segment, members FROM segment_snapshots WHERE day >= ? - 86400000 AND day < ? ORDER BY day",
    )
    .bind(from)
    .bind(to)
    .fetch_all(&mut *conn)
    .await?;
    let mut points: Vec<SegmentPoint> = Vec::new();
    for (day, segment, members) in rows {
        let segment = Segment::parse(&segment).ok_or_else(|| Error::Corrupt(format!("segment {segment:?}")))?;
        if points.last().is_none_or(|p| p.at != day) {
            points.push(SegmentPoint { at: day, counts: Vec::new() });
        }
        points.last_mut().expect("pushed").counts.push(SegmentCount { segment, members });
    }
    Ok(points)
}

/// Members per tier at each bucket's end, sweeping the tier history once.
async fn tiers(conn: &mut SqliteConnection, ranges: &[(i64, i64)]) -> Result<Vec<TierPoint>> {
    let Some(&(_, last_end)) = ranges.last() else { return Ok(Vec::new()) };
    let names: Vec<String> = settings::load(conn).await?.tiers.tiers.into_iter().map(|t| t.name).collect();
    let total: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM members").fetch_one(&mut *conn).await?;
    let changes: Vec<(i64, i64, Option<String>)> =
        sqlx::query_as("SELECT member_id, at, to_tier FROM tier_changes WHERE at < ? ORDER BY at, member_id, seq")
            .bind(last_end)
            .fetch_all(&mut *conn)
            .await?;
    let mut current: HashMap<i64, usize> = HashMap::new();
    let mut counts = vec![0i64; names.len()];
    let mut changes = changes.into_iter().peekable();
    let mut points = Vec::with_capacity(ranges.len());
    for &(_, end) in ranges {
        while let Some((member, _, to)) = changes.next_if(|c| c.1 < end) {
            if let Some(old) = current.remove(&member) {
                counts[old] -= 1;
            }
            if let Some(i) = to.and_then(|name| names.iter().position(|n| *n == name)) {
                counts[i] += 1;
                current.insert(member, i);
            }
        }
        let tiered: i64 = counts.iter().sum();
        let mut row = vec![TierCount { tier: None, members: (total - tiered).max(0) }];
        row.extend(names.iter().zip(&counts).map(|(name, members)| TierCount { tier: Some(name.clone()), members: *members }));
        points.push(TierPoint { at: end, counts: row });
    }
    Ok(points)
}

#[cfg(test)]
mod tests {
    use super::*;

    const JAN_1_2026: i64 = 1_767_225_600_000;

    #[test]
    fn month_buckets_follow_the_calendar_and_clip_to_the_range() {
        let from = JAN_1_2026 + 10 * DAY_MS;
        let to = JAN_1_2026 + 70 * DAY_MS;
        let got = buckets(from, to, Bucket::Month);
        assert_eq!(got.len(), 3, "Jan 11 to Mar 12 touches January, February and March");
        assert_eq!(got[0], (from, JAN_1_2026 + 31 * DAY_MS));
        assert_eq!(got[1], (JAN_1_2026 + 31 * DAY_MS, JAN_1_2026 + 59 * DAY_MS), "February 2026 has 28 days");
        assert_eq!(got[2].1, to);
        for (start, _) in &got {
            assert_eq!(key_of(*start, Bucket::Month), key_of(align(*start, Bucket::Month), Bucket::Month));
        }
    }

    #[test]
    fn weeks_start_on_monday() {
        // 2026-01-01 is a Thursday; its week starts Monday 2025-12-29.
        assert_eq!(align(JAN_1_2026, Bucket::Week), JAN_1_2026 - 3 * DAY_MS);
        assert_eq!(key_of(JAN_1_2026, Bucket::Week), key_of(JAN_1_2026 - 3 * DAY_MS, Bucket::Week));
        assert_ne!(key_of(JAN_1_2026 - 4 * DAY_MS, Bucket::Week), key_of(JAN_1_2026, Bucket::Week), "Sunday is the week before");
    }
}
