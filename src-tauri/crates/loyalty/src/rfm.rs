//! RFM: quintile scores by rank (reference §3.1: recency reversed, so the
//! newest last order scores 5; ties broken by rank, i.e. by member id) and
//! the six segments (§3.4's R×F grid collapsed per §3.5). A full recompute
//! scores every member and keeps the quintile boundaries, which a sync uses
//! to score the members it touches until the next full recompute.

use serde::{Deserialize, Serialize};
use sqlx::SqliteConnection;

use crate::model::{RfmSummary, Segment, SegmentCount};
use crate::{Error, Result};

/// The four values where scores 2..=5 start.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Quintiles {
    pub cuts: [i64; 4],
}

impl Quintiles {
    pub fn score(&self, value: i64) -> u8 {
        1 + self.cuts.iter().filter(|cut| value >= **cut).count() as u8
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Boundaries {
    pub recency: Quintiles,
    pub frequency: Quintiles,
    pub monetary: Quintiles,
    pub computed_at: i64,
}

/// Scores `values` (value, member id) 1..=5 by rank: sorted ascending with
/// ties in member-id order, the i-th of n scores `i * 5 / n + 1`. Returns
/// (member id, score) in that order, and the boundaries.
pub fn quintiles(values: &mut [(i64, i64)]) -> (Vec<(i64, u8)>, Quintiles) {
    values.sort_unstable();
    let n = values.len();
    let scored = values.iter().enumerate().map(|(i, &(_, member))| (member, (i * 5 / n) as u8 + 1)).collect();
    let cut = |k: usize| values.get((k * n).div_ceil(5)).map_or(i64::MAX, |v| v.0);
    (scored, Quintiles { cuts: [cut(1), cut(2), cut(3), cut(4)] })
}

/// The segment of an R and F score (reference §3.4 table C, collapsed per §3.5).
pub fn segment(r: u8, f: u8) -> Segment {
    match (r, f) {
        (5, 4..=5) => Segment::Champions,
        (5, 2..=3) | (4, 2..=5) | (3, 4..=5) => Segment::Loyal,
        (4..=5, _) => Segment::Recent,
        (3, _) => Segment::NeedsAttention,
        (1..=2, 3..=5) => Segment::AtRisk,
        _ => Segment::Inactive,
    }
}

/// A full recompute in its own transaction, as of now.
pub async fn recompute_now(db: &counterline_store::Db) -> Result<RfmSummary> {
    let mut tx = db.begin().await?;
    let summary = recompute(&mut tx, counterline_store::now_ms()).await?;
    tx.commit().await?;
    Ok(summary)
}

pub async fn load_boundaries(conn: &mut SqliteConnection) -> Result<Option<Boundaries>> {
    let stored: Option<String> = sqlx::query_scalar("SELECT boundaries FROM rfm_state WHERE id = 1")
        .fetch_optional(&mut *conn)
        .await?;
    stored
        .map(|json| serde_json::from_str(&json).map_err(|e| Error::Corrupt(format!("RFM boundaries: {e}"))))
        .transpose()
}

const DAY_MS: i64 = 24 * 60 * 60 * 1000;

/// Scores every member from their matched orders, records the day's
/// segment counts and keeps the boundaries.
pub async fn recompute(conn: &mut SqliteConnection, now: i64) -> Result<RfmSummary> {
    let rows: Vec<(i64, i64, i64, i64)> = sqlx::query_as(
        "SELECT member_id, SUM(counted = 1), SUM(spend_minor), MAX(CASE WHEN counted = 1 THEN created_at END)
           FROM member_orders GROUP BY member_id HAVING SUM(counted = 1) > 0",
    )
    .fetch_all(&mut *conn)
    .await?;
    let mut recency: Vec<(i64, i64)> = rows.iter().map(|r| (r.3, r.0)).collect();
    let mut frequency: Vec<(i64, i64)> = rows.iter().map(|r| (r.1, r.0)).collect();
    let mut monetary: Vec<(i64, i64)> = rows.iter().map(|r| (r.2, r.0)).collect();
    let (r_scores, r_cuts) = quintiles(&mut recency);
    let (f_scores, f_cuts) = quintiles(&mut frequency);
    let (m_scores, m_cuts) = quintiles(&mut monetary);
    let mut scores: std::collections::HashMap<i64, [u8; 3]> = r_scores.into_iter().map(|(m, s)| (m, [s, 0, 0])).collect();
    for (member, s) in f_scores {
        scores.get_mut(&member).expect("same members")[1] = s;
    }
    for (member, s) in m_scores {
        scores.get_mut(&member).expect("same members")[2] = s;
    }
    let mut counts = [0i64; 6];
    let mut updates = Vec::with_capacity(scores.len());
    for (member, [r, f, m]) in scores {
        let seg = segment(r, f);
        counts[Segment::ALL.iter().position(|s| *s == seg).expect("listed")] += 1;
        updates.push(serde_json::json!([member, r, f, m, seg.as_str()]));
    }
    sqlx::query(
        "UPDATE member_stats SET recency = NULL, frequency = NULL, monetary = NULL, segment = NULL, scored_at = NULL
          WHERE scored_at IS NOT NULL",
    )
    .execute(&mut *conn)
    .await?;
    let updates = serde_json::to_string(&updates).map_err(|e| Error::Corrupt(e.to_string()))?;
    sqlx::query(
        "UPDATE member_stats SET recency = s.r, frequency = s.f, monetary = s.m, segment = s.seg, scored_at = ?2
           FROM (SELECT json_extract(value, '$[0]') AS id, json_extract(value, '$[1]') AS r,
                        json_extract(value, '$[2]') AS f, json_extract(value, '$[3]') AS m,
                        json_extract(value, '$[4]') AS seg
                   FROM json_each(?1)) AS s
          WHERE member_stats.member_id = s.id",
    )
    .bind(updates)
    .bind(now)
    .execute(&mut *conn)
    .await?;
    let boundaries = Boundaries { recency: r_cuts, frequency: f_cuts, monetary: m_cuts, computed_at: now };
    sqlx::query(
        "INSERT INTO rfm_state (id, boundaries, computed_at) VALUES (1, ?1, ?2)
         ON CONFLICT (id) DO UPDATE SET boundaries = excluded.boundaries, computed_at = excluded.computed_at",
    )
    .bind(serde_json::to_string(&boundaries).map_err(|e| Error::Corrupt(e.to_string()))?)
    .bind(now)
    .execute(&mut *conn)
    .await?;
    let day = now.div_euclid(DAY_MS) * DAY_MS;
    let by_segment: Vec<SegmentCount> =
        Segment::ALL.iter().zip(counts).map(|(segment, members)| SegmentCount { segment: *segment, members }).collect();
    for count in &by_segment {
        sqlx::query(
            "INSERT INTO segment_snapshots (day, segment, members) VALUES (?, ?, ?)
             ON CONFLICT (day, segment) DO UPDATE SET members = excluded.members",
        )
        .bind(day)
        .bind(count.segment.as_str())
        .bind(count.members)
        .execute(&mut *conn)
        .await?;
    }
    Ok(RfmSummary { computed_at: now, members: rows.len() as i64, by_segment })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ties_are_broken_by_rank_so_every_quintile_fills() {
        // Ten members with one order each: rank (member id) decides.
        let mut values: Vec<(i64, i64)> = (1..=10).map(|m| (1, m)).collect();
        let (scores, _) = quintiles(&mut values);
        let got: Vec<u8> = scores.iter().map(|s| s.1).collect();
        assert_eq!(got, vec![1, 1, 2, 2, 3, 3, 4, 4, 5, 5], "two members per quintile despite equal values");
    }

    #[test]
    fn boundaries_score_new_values_like_the_ranking_did() {
        let mut values: Vec<(i64, i64)> = (1..=10).map(|m| (m * 100, m)).collect();
        let (scores, cuts) = quintiles(&mut values);
        for (member, score) in scores {
            assert_eq!(cuts.score(member * 100), score, "member {member} scores the same through the boundaries");
        }
        assert_eq!(cuts.score(0), 1);
        assert_eq!(cuts.score(5_000), 5);
    }

    #[test]
    fn the_grid_maps_every_cell_to_one_of_six_segments() {
        assert_eq!(segment(5, 5), Segment::Champions);
        assert_eq!(segment(5, 1), Segment::Recent, "new customers");
        assert_eq!(segment(4, 1), Segment::Recent, "promising");
        assert_eq!(segment(4, 4), Segment::Loyal);
        assert_eq!(segment(5, 2), Segment::Loyal, "potential loyalist");
        assert_eq!(segment(3, 3), Segment::NeedsAttention);
        assert_eq!(segment(3, 1), Segment::NeedsAttention, "about to sleep");
        assert_eq!(segment(2, 5), Segment::AtRisk, "can't lose them");
        assert_eq!(segment(1, 3), Segment::AtRisk);
        assert_eq!(segment(1, 2), Segment::Inactive, "hibernating");
    }
}
