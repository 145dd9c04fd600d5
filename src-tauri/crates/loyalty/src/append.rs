//! Orders placed after a member's last order, applied from the member's
//! running state (`member_stats` totals and tier, `member_stamps` counts)
//! without reading their history: the sync's common case. A lifetime tier
//! walk, stamp numbering and totals only ever continue from where the last
//! order left them, so carrying them forward gives exactly what a re-walk
//! gives. Anything else (a rolling tier basis, an order landing at or
//! before the member's latest, a member without state) goes back to the
//! re-walk in [`crate::apply`].

use std::collections::HashMap;

use sqlx::SqliteConnection;

use crate::apply::{self, Refreshed, TierRow};
use crate::rfm;
use crate::rules::{Counted, OrderFigures, TierState};
use crate::settings::{LoyaltySettings, TierBasis};
use crate::Result;

/// An order new to its member, with what it counts for.
pub(crate) struct Appended {
    pub member_id: i64,
    pub order_id: i64,
    pub at: i64,
    pub figures: OrderFigures,
}

/// A member's stored figures and where their history ends, read before the
/// page's orders are written.
pub(crate) struct Running {
    stats: Refreshed,
    /// The latest `created_at` among their matched orders (any status).
    latest_at: Option<i64>,
    /// Stamps per punch card so far.
    stamps: HashMap<i64, i64>,
}

type StateRow = (i64, i64, i64, i64, Option<i64>, Option<i64>, Option<String>, i64, Option<i64>);

/// Reads the running state of `members` (those without a `member_stats`
/// row are left out): two statements whatever their number.
pub(crate) async fn load(conn: &mut SqliteConnection, members: &[i64]) -> Result<HashMap<i64, Running>> {
    let ids = serde_json::to_string(members).map_err(|e| crate::Error::Corrupt(e.to_string()))?;
    // The MAX subquery is one seek into member_orders_by_member per member.
    let rows: Vec<StateRow> = sqlx::query_as(
        "SELECT s.member_id, s.order_count, s.spend_minor, s.credit_minor, s.first_order_at, s.last_order_at, s.tier,
                s.other_currency, (SELECT MAX(created_at) FROM member_orders mo WHERE mo.member_id = s.member_id)
           FROM member_stats s WHERE s.member_id IN (SELECT value FROM json_each(?))",
    )
    .bind(&ids)
    .fetch_all(&mut *conn)
    .await?;
    let mut running: HashMap<i64, Running> = rows
        .into_iter()
        .map(|(member_id, order_count, spend_minor, credit_minor, first_order_at, last_order_at, tier, other_currency, latest_at)| {
            let stats = Refreshed {
                member_id,
                order_count,
                spend_minor,
                credit_minor,
                first_order_at,
                last_order_at,
                tier,
                other_currency,
                score: None,
            };
            (member_id, Running { stats, latest_at, stamps: HashMap::new() })
        })
        .collect();
    let stamps: Vec<(i64, i64, i64)> =
        sqlx::query_as("SELECT member_id, card_id, stamps FROM member_stamps WHERE member_id IN (SELECT value FROM json_each(?))")
            .bind(&ids)
            .fetch_all(&mut *conn)
            .await?;
    for (member, card, count) in stamps {
        if let Some(state) = running.get_mut(&member) {
            state.stamps.insert(card, count);
        }
    }
    Ok(running)
}

/// Carries `appended` forward for every member it can and writes the
/// results; returns the members that need a re-walk instead.
pub(crate) async fn apply(
    conn: &mut SqliteConnection,
    settings: &LoyaltySettings,
    mut appended: Vec<Appended>,
    mut running: HashMap<i64, Running>,
) -> Result<Vec<i64>> {
    appended.sort_by_key(|a| (a.member_id, a.at, a.order_id));
    let mut rewalk = Vec::new();
    let mut stats = Vec::new();
    let mut stepped: Vec<(i64, Vec<crate::rules::TierStep>)> = Vec::new();
    let mut reward_rows = Vec::new();
    let mut stamp_rows = Vec::new();
    let lifetime = settings.tiers.basis == TierBasis::Lifetime;
    for orders in appended.chunk_by(|a, b| a.member_id == b.member_id) {
        let member_id = orders[0].member_id;
        let state = running.remove(&member_id);
        let tier_index = |state: &Running| match &state.stats.tier {
            None => Some(None),
            Some(name) => settings.tiers.tiers.iter().position(|t| &t.name == name).map(Some),
        };
        let Some((mut state, current)) = state.and_then(|s| tier_index(&s).map(|t| (s, t))) else {
            rewalk.push(member_id);
            continue;
        };
        // Ties go to the re-walk: order ids, not times, would decide the order.
        if !lifetime || state.latest_at.is_some_and(|latest| orders[0].at <= latest) {
            rewalk.push(member_id);
            continue;
        }
        let mut tier = TierState { spend: state.stats.spend_minor, current };
        let mut steps = Vec::new();
        for order in orders {
            let f = &order.figures;
            match f.counted {
                Counted::OtherCurrency => state.stats.other_currency += 1,
                Counted::Yes => {
                    state.stats.order_count += 1;
                    state.stats.first_order_at.get_or_insert(order.at);
                    state.stats.last_order_at = Some(order.at);
                }
                Counted::No => {}
            }
            state.stats.credit_minor += f.earned_minor - f.reversed_minor;
            if f.spend_minor != 0 {
                steps.extend(tier.step(settings, order.at, Some(order.order_id), f.spend_minor));
            }
            for &card_id in &f.stamp_cards {
                let count = state.stamps.entry(card_id).or_insert(0);
                *count += 1;
                let card = settings.punch_cards.iter().find(|c| c.id == card_id && c.active);
                if let Some(card) = card {
                    let per = card.stamps_required.max(1);
                    if *count % per == 0 {
                        reward_rows.push((member_id, card_id, *count / per, order.order_id, order.at));
                    }
                }
            }
        }
        state.stats.spend_minor = tier.spend;
        state.stats.tier = tier.current.map(|i| settings.tiers.tiers[i].name.clone());
        let changed_cards: Vec<i64> = orders.iter().flat_map(|o| o.figures.stamp_cards.iter().copied()).collect();
        for (card, count) in &state.stamps {
            if changed_cards.contains(card) {
                stamp_rows.push((member_id, *card, *count));
            }
        }
        if !steps.is_empty() {
            stepped.push((member_id, steps));
        }
        stats.push(state.stats);
    }

    let boundaries = rfm::load_boundaries(conn).await?;
    for s in &mut stats {
        s.rescore(boundaries.as_ref());
    }
    let tier_rows = number_steps(conn, settings, stepped).await?;
    let scored_at = boundaries.as_ref().map(|b| b.computed_at);
    apply::write_members(conn, &tier_rows, &reward_rows, &stamp_rows, &stats, scored_at).await?;
    Ok(rewalk)
}

/// Numbers new tier changes after each member's last (one read for all of
/// them; a page moves few members up a tier).
async fn number_steps(
    conn: &mut SqliteConnection,
    settings: &LoyaltySettings,
    stepped: Vec<(i64, Vec<crate::rules::TierStep>)>,
) -> Result<Vec<TierRow>> {
    if stepped.is_empty() {
        return Ok(Vec::new());
    }
    let ids: Vec<i64> = stepped.iter().map(|(m, _)| *m).collect();
    let ids = serde_json::to_string(&ids).map_err(|e| crate::Error::Corrupt(e.to_string()))?;
    let next: HashMap<i64, i64> = sqlx::query_as(
        "SELECT value, COALESCE((SELECT MAX(seq) + 1 FROM tier_changes WHERE member_id = value), 0) FROM json_each(?)",
    )
    .bind(ids)
    .fetch_all(&mut *conn)
    .await?
    .into_iter()
    .collect();
    let name = |i: Option<usize>| i.map(|i| settings.tiers.tiers[i].name.clone());
    let mut rows = Vec::new();
    for (member_id, steps) in stepped {
        let first = next.get(&member_id).copied().unwrap_or(0);
        for (k, step) in steps.into_iter().enumerate() {
            rows.push((member_id, first + k as i64, step.at, name(step.from), name(step.to), step.order_id, step.reason));
        }
    }
    Ok(rows)
}
