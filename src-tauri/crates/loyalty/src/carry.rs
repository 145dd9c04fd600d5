//! What a synced page changes for a member, carried forward from their
//! running state (`member_stats`: totals, tier, stamp counts) instead of
//! re-deriving everything from their history: the sync's common cases.
//! Two kinds of change qualify:
//!
//! - an order new to the member, placed after their latest: frequency,
//!   first and last order, stamp numbering and totals only ever continue
//!   from where the last order left them, and so does a lifetime tier walk;
//! - an order of theirs changed in place (a partial refund, an edit) that
//!   keeps its date, whether it counts and its stamps: totals and credit
//!   move by the difference, and stamps and rewards stay what they were.
//!
//! The tier walk is the one part that can need the history: a spend
//! changed in place shifts the running spend at every later order, and
//! under the rolling basis orders leaving the window move the tier as time
//! passes. For those members the spend timeline and stored tier changes are
//! read with the running state (one index range and one row range each),
//! the walk is redone over the timeline with the page's changes, and only
//! the tier changes that differ are written.
//!
//! Anything else (an order landing at or before the member's latest, a
//! change of date, counting or stamps, a member without state) goes back to
//! the full re-walk in [`crate::apply`].

use std::collections::{BTreeMap, HashMap};

use sqlx::SqliteConnection;

use crate::apply::{self, json, tier_row, Matched, Refreshed, TierRow};
use crate::rfm;
use crate::rules::{self, SpendEvent, TierState};
use crate::settings::{LoyaltySettings, TierBasis};
use crate::Result;

/// A page's change to one of a member's orders: new to them (`before` is
/// `None`) or changed in place (same member).
pub(crate) struct Change {
    pub order_id: i64,
    pub before: Option<Matched>,
    pub now: Matched,
}

impl Change {
    /// Whether the tier walk must be redone from the member's history: a
    /// spend changed in place, or any change under the rolling basis.
    pub fn needs_history(&self, settings: &LoyaltySettings) -> bool {
        settings.tiers.basis == TierBasis::Rolling12Months
            || self.before.as_ref().is_some_and(|before| before.spend_minor != self.now.spend_minor)
    }

    /// Whether an in-place change keeps everything but the totals: the same
    /// date, counting and stamps, so frequency, first and last order, stamp
    /// numbering and rewards are what they were.
    fn same_shape(&self) -> bool {
        self.before.as_ref().is_some_and(|before| {
            before.created_at == self.now.created_at
                && before.counted == self.now.counted
                && before.stamp_cards == self.now.stamp_cards
        })
    }
}

/// A member's stored figures and where their history ends, read before the
/// page's orders are written.
pub(crate) struct Running {
    stats: Refreshed,
    /// The latest `created_at` among their matched orders (any status).
    latest_at: Option<i64>,
    /// Read for members whose tier walk is redone.
    history: Option<History>,
}

/// What the tier walk reads: the member's orders with a spend (any order)
/// and the tier changes stored from the last walk, by seq.
struct History {
    timeline: Vec<SpendEvent>,
    steps: Vec<TierRow>,
}

/// A member's running state as the read returns it (a JSON array, fields
/// in this order): their `member_stats` row, their latest order and, when
/// asked for, their history.
#[derive(serde::Deserialize)]
struct StateRow {
    member_id: i64,
    order_count: i64,
    spend_minor: i64,
    credit_minor: i64,
    first_order_at: Option<i64>,
    last_order_at: Option<i64>,
    tier: Option<String>,
    other_currency: i64,
    stamps: Vec<(i64, i64)>,
    tier_change_count: i64,
    latest_at: Option<i64>,
    /// Their orders with a spend as (at, order, spend).
    timeline: Option<Vec<(i64, i64, i64)>>,
    steps: Option<Vec<StoredStep>>,
}
/// A stored tier change as (seq, at, from, to, order, reason).
type StoredStep = (i64, i64, Option<String>, Option<String>, Option<i64>, String);

/// Reads the running state of `members` (those without a `member_stats`
/// row are left out), with the history of those in `with_history`: one
/// statement.
pub(crate) async fn load(conn: &mut SqliteConnection, members: &[i64], with_history: &[i64]) -> Result<HashMap<i64, Running>> {
    // The MAX subquery is one seek into member_orders_by_member per member,
    // the page the member's new rows then go to; their timeline is the same
    // index range (the index covers it).
    let rows: Vec<StateRow> = apply::from_json(
        sqlx::query_scalar(
            "SELECT json_group_array(json_array(
                    s.member_id, s.order_count, s.spend_minor, s.credit_minor, s.first_order_at, s.last_order_at, s.tier,
                    s.other_currency, json(s.stamps), s.tier_change_count,
                    (SELECT MAX(created_at) FROM member_orders mo WHERE mo.member_id = s.member_id),
                    CASE WHEN s.member_id IN (SELECT value FROM json_each(?2)) THEN
                        (SELECT json_group_array(json_array(created_at, order_id, spend_minor)) FROM member_orders mo
                          WHERE mo.member_id = s.member_id AND spend_minor <> 0) END,
                    CASE WHEN s.member_id IN (SELECT value FROM json_each(?2)) THEN
                        (SELECT json_group_array(json_array(seq, at, from_tier, to_tier, order_id, reason))
                           FROM tier_changes t WHERE t.member_id = s.member_id) END))
               FROM member_stats s WHERE s.member_id IN (SELECT value FROM json_each(?1))",
        )
        .bind(json(members)?)
        .bind(json(with_history)?)
        .fetch_one(&mut *conn)
        .await?,
    )?;
    let mut running = HashMap::with_capacity(rows.len());
    for row in rows {
        let member_id = row.member_id;
        let stats = Refreshed {
            member_id,
            order_count: row.order_count,
            spend_minor: row.spend_minor,
            credit_minor: row.credit_minor,
            first_order_at: row.first_order_at,
            last_order_at: row.last_order_at,
            tier: row.tier,
            other_currency: row.other_currency,
            stamps: row.stamps,
            tier_change_count: row.tier_change_count,
            score: None,
        };
        let history = match (row.timeline, row.steps) {
            (Some(timeline), Some(mut steps)) => {
                steps.sort_unstable_by_key(|step| step.0);
                Some(History {
                    timeline: timeline.into_iter().map(|(at, order_id, spend_minor)| SpendEvent { at, order_id, spend_minor }).collect(),
                    steps: steps
                        .into_iter()
                        .map(|(seq, at, from, to, order, reason)| (member_id, seq, at, from, to, order, reason))
                        .collect(),
                })
            }
            _ => None,
        };
        running.insert(member_id, Running { stats, latest_at: row.latest_at, history });
    }
    Ok(running)
}

/// What carrying forward writes besides `member_stats`.
#[derive(Default)]
struct Written {
    /// Tier changes a redone walk no longer has, as (member, first seq gone).
    dropped_steps: Vec<(i64, i64)>,
    /// Tier changes the walk still takes whose reason (the spend reached)
    /// changed, as (member, seq, reason).
    reasons: Vec<(i64, i64, String)>,
    tier_rows: Vec<TierRow>,
    reward_rows: Vec<(i64, i64, i64, i64, i64)>,
}

/// Carries `changes` forward for every member it can and writes the
/// results; returns the members that need a full re-walk instead.
pub(crate) async fn apply(
    conn: &mut SqliteConnection,
    settings: &LoyaltySettings,
    mut changes: Vec<Change>,
    mut running: HashMap<i64, Running>,
    now: i64,
) -> Result<Vec<i64>> {
    // Per member: in-place changes first, then new orders by date.
    changes.sort_by_key(|c| (c.now.member_id, c.before.is_none(), c.now.created_at, c.order_id));
    let mut rewalk = Vec::new();
    let mut stats = Vec::new();
    let mut out = Written::default();
    for changes in changes.chunk_by(|a, b| a.now.member_id == b.now.member_id) {
        let member_id = changes[0].now.member_id;
        let (in_place, new) = changes.split_at(changes.partition_point(|c| c.before.is_some()));
        let state = running.remove(&member_id);
        let current = state.as_ref().and_then(|s| tier_index(settings, &s.stats.tier));
        let (Some(mut state), Some(current)) = (state, current) else {
            rewalk.push(member_id);
            continue;
        };
        // Ties go to the re-walk: order ids, not times, would decide the order.
        let after_latest = new.first().is_none_or(|c| state.latest_at.is_none_or(|latest| c.now.created_at > latest));
        if !after_latest || !in_place.iter().all(Change::same_shape) {
            rewalk.push(member_id);
            continue;
        }
        let s = &mut state.stats;
        for change in in_place {
            let before = change.before.as_ref().expect("an in-place change has a before");
            s.spend_minor += change.now.spend_minor - before.spend_minor;
            s.credit_minor += (change.now.earned_minor - change.now.reversed_minor) - (before.earned_minor - before.reversed_minor);
        }
        // A lifetime walk continues from the running state (a redone walk,
        // below, replaces it).
        let mut tier = TierState { spend: s.spend_minor, current };
        let mut steps = Vec::new();
        for change in new {
            let (order_id, now) = (change.order_id, &change.now);
            s.count(now.counted, now.created_at);
            s.credit_minor += now.earned_minor - now.reversed_minor;
            if now.spend_minor != 0 {
                steps.extend(tier.step(settings, now.created_at, Some(order_id), now.spend_minor));
            }
            for &card_id in &now.stamp_cards {
                let count = s.stamp(card_id);
                let card = settings.punch_cards.iter().find(|c| c.id == card_id && c.active);
                if let Some(card) = card {
                    let per = card.stamps_required.max(1);
                    if count % per == 0 {
                        out.reward_rows.push((member_id, card_id, count / per, order_id, now.created_at));
                    }
                }
            }
        }
        s.spend_minor = tier.spend;
        match state.history {
            Some(history) => {
                let (walked, count) = walk(settings, member_id, history, changes, now, &mut out);
                s.tier = walked.map(|i| settings.tiers.tiers[i].name.clone());
                s.tier_change_count = count;
            }
            None => {
                s.tier = tier.current.map(|i| settings.tiers.tiers[i].name.clone());
                for step in steps {
                    out.tier_rows.push(tier_row(settings, member_id, s.tier_change_count, step));
                    s.tier_change_count += 1;
                }
            }
        }
        stats.push(state.stats);
    }

    let boundaries = rfm::load_boundaries(conn).await?;
    for s in &mut stats {
        s.rescore(boundaries.as_ref());
    }
    if !out.dropped_steps.is_empty() {
        sqlx::query(
            "DELETE FROM tier_changes WHERE rowid IN (
                SELECT t.rowid FROM json_each(?) j JOIN tier_changes t ON t.member_id = j.value ->> 0 AND t.seq >= j.value ->> 1)",
        )
        .bind(json(&out.dropped_steps)?)
        .execute(&mut *conn)
        .await?;
    }
    if !out.reasons.is_empty() {
        sqlx::query(
            "UPDATE tier_changes SET reason = j.value ->> 2 FROM json_each(?) j
              WHERE tier_changes.member_id = j.value ->> 0 AND tier_changes.seq = j.value ->> 1",
        )
        .bind(json(&out.reasons)?)
        .execute(&mut *conn)
        .await?;
    }
    let scored_at = boundaries.as_ref().map(|b| b.computed_at);
    apply::write_members(conn, &out.tier_rows, &out.reward_rows, &stats, scored_at).await?;
    Ok(rewalk)
}

/// The index of the stored tier `name` in the rules (`Some(None)`: no
/// tier); `None` if the rules no longer have it.
fn tier_index(settings: &LoyaltySettings, name: &Option<String>) -> Option<Option<usize>> {
    match name {
        None => Some(None),
        Some(name) => settings.tiers.tiers.iter().position(|t| &t.name == name).map(Some),
    }
}

/// Redoes a member's tier walk over their history with the page's
/// `changes` and queues what differs from the stored tier changes; returns
/// the tier it ends in and how many changes it has.
fn walk(
    settings: &LoyaltySettings,
    member_id: i64,
    history: History,
    changes: &[Change],
    now: i64,
    out: &mut Written,
) -> (Option<usize>, i64) {
    // By (date, order), the walk's order; an in-place change keeps its date.
    let mut spend: BTreeMap<(i64, i64), i64> = history.timeline.iter().map(|e| ((e.at, e.order_id), e.spend_minor)).collect();
    for change in changes {
        spend.insert((change.now.created_at, change.order_id), change.now.spend_minor);
    }
    let timeline: Vec<SpendEvent> =
        spend.into_iter().map(|((at, order_id), spend_minor)| SpendEvent { at, order_id, spend_minor }).collect();
    let (tier, steps) = rules::tier_walk(&timeline, settings, now);
    let rows: Vec<TierRow> =
        steps.into_iter().enumerate().map(|(seq, step)| tier_row(settings, member_id, seq as i64, step)).collect();
    // A change the walk takes again at the same order keeps its row; if only
    // its reason moved (the spend it reached), the reason is updated in
    // place, which leaves the index by date alone. From the first change
    // that moved otherwise, the stored ones are replaced.
    let same_step = |a: &TierRow, b: &TierRow| (a.2, &a.3, &a.4, a.5) == (b.2, &b.3, &b.4, b.5);
    let kept = rows.iter().zip(&history.steps).take_while(|(new, stored)| same_step(new, stored)).count();
    for (new, stored) in rows.iter().zip(&history.steps).take(kept) {
        if new.6 != stored.6 {
            out.reasons.push((member_id, new.1, new.6.clone()));
        }
    }
    if kept < history.steps.len() {
        out.dropped_steps.push((member_id, kept as i64));
    }
    let count = rows.len() as i64;
    out.tier_rows.extend(rows.into_iter().skip(kept));
    (tier, count)
}
