//! Applying the rules to the database: matching orders to members and
//! keeping every derived table (`member_orders`, `credit_ledger`,
//! `punch_rewards`, `tier_changes`, `member_stats`) equal to what
//! [`crate::rules`] computes from the current orders, members and settings.
//!
//! Per-order results (match, spend, ledger entries, stamps) are rewritten
//! only for the orders that changed. A member whose only change is new
//! orders placed after their last one is carried forward from their running
//! state ([`crate::append`]); every other member those orders touch, before
//! or after the change, has their per-member results (tier walk, rewards,
//! totals) recomputed from their history. [`recompute_all`] rebuilds
//! everything the same way.

use std::collections::{BTreeSet, HashMap};

use sqlx::{QueryBuilder, Sqlite, SqliteConnection};

use counterline_store::model::OrderStatus;
use counterline_store::now_ms;

use crate::append::{self, Appended, Running};
use crate::rfm::{self, Boundaries};
use crate::rules::{self, Counted, OrderFacts, SpendEvent};
use crate::settings::{self, LoyaltySettings};
use crate::{Error, Result};

const CHUNK: usize = 500;

fn json<T: serde::Serialize>(value: &T) -> Result<String> {
    serde_json::to_string(value).map_err(|e| Error::Corrupt(e.to_string()))
}

/// The sync hook: applies the rules to orders just inserted or updated, in
/// the caller's transaction (the page's).
pub async fn apply_orders(conn: &mut SqliteConnection, order_ids: &[i64]) -> Result<()> {
    if order_ids.is_empty() || !touches_members(conn, order_ids).await? {
        return Ok(());
    }
    let settings = settings::load(conn).await?;
    apply(conn, &settings, order_ids, &[], now_ms()).await
}

/// Whether any of `order_ids` matches a member now or did before: a page of
/// guests' orders stops here, after one indexed lookup per order.
async fn touches_members(conn: &mut SqliteConnection, order_ids: &[i64]) -> Result<bool> {
    let mut any = false;
    for chunk in order_ids.chunks(5_000) {
        any = sqlx::query_scalar(
            "SELECT EXISTS (SELECT 1 FROM members LIMIT 1) AND (
                    EXISTS (SELECT 1 FROM orders o JOIN members m ON m.email_normalized = o.email_normalized
                             WHERE o.id IN (SELECT value FROM json_each(?1)))
                 OR EXISTS (SELECT 1 FROM member_orders WHERE order_id IN (SELECT value FROM json_each(?1))))",
        )
        .bind(json(&chunk)?)
        .fetch_one(&mut *conn)
        .await?;
        if any {
            break;
        }
    }
    Ok(any)
}

/// Re-matches a member's orders after the member was added or their email
/// changed: the orders matched before and the ones matching now.
pub async fn rematch_member(conn: &mut SqliteConnection, member_id: i64) -> Result<()> {
    rematch_members(conn, &[member_id]).await
}

/// [`rematch_member`] for many members at once (an import).
pub async fn rematch_members(conn: &mut SqliteConnection, member_ids: &[i64]) -> Result<()> {
    let settings = settings::load(conn).await?;
    let mut orders = Vec::new();
    for chunk in member_ids.chunks(5_000) {
        let ids = json(&chunk)?;
        orders.extend(
            sqlx::query_scalar::<_, i64>(
                "SELECT order_id FROM member_orders WHERE member_id IN (SELECT value FROM json_each(?1))
                 UNION SELECT o.id FROM members m JOIN orders o ON o.email_normalized = m.email_normalized
                  WHERE m.id IN (SELECT value FROM json_each(?1))",
            )
            .bind(ids)
            .fetch_all(&mut *conn)
            .await?,
        );
    }
    apply(conn, &settings, &orders, member_ids, now_ms()).await
}

/// Recomputes every member from scratch (after the rules changed, or on
/// demand). Manual credit adjustments are kept.
pub async fn recompute_all(conn: &mut SqliteConnection) -> Result<()> {
    recompute_all_at(conn, now_ms()).await
}

/// [`recompute_all`] as of `now` (the rolling tier window's end).
pub async fn recompute_all_at(conn: &mut SqliteConnection, now: i64) -> Result<()> {
    let settings = settings::load(conn).await?;
    for sql in [
        "DELETE FROM member_orders",
        "DELETE FROM credit_ledger WHERE kind <> 'manual'",
        "DELETE FROM tier_changes",
        "DELETE FROM punch_rewards",
        "DELETE FROM member_stamps",
    ] {
        sqlx::query(sql).execute(&mut *conn).await?;
    }
    let mut after = 0i64;
    loop {
        let batch: Vec<i64> = sqlx::query_scalar("SELECT id FROM members WHERE id > ? ORDER BY id LIMIT 2000")
            .bind(after)
            .fetch_all(&mut *conn)
            .await?;
        let Some(&last) = batch.last() else { break };
        let orders: Vec<i64> = sqlx::query_scalar(
            "SELECT o.id FROM members m JOIN orders o ON o.email_normalized = m.email_normalized
              WHERE m.id IN (SELECT value FROM json_each(?))",
        )
        .bind(json(&batch)?)
        .fetch_all(&mut *conn)
        .await?;
        apply(conn, &settings, &orders, &batch, now).await?;
        after = last;
    }
    Ok(())
}

/// Applies the rules to `order_ids` and refreshes every member they touch,
/// plus `members`.
pub(crate) async fn apply(
    conn: &mut SqliteConnection,
    settings: &LoyaltySettings,
    order_ids: &[i64],
    members: &[i64],
    now: i64,
) -> Result<()> {
    let mut touched: BTreeSet<i64> = members.iter().copied().collect();
    // Running state read before the chunk's writes describes the member's
    // history without this page: only sound for one chunk and no re-match.
    let appendable = members.is_empty() && order_ids.len() <= 5_000;
    for chunk in order_ids.chunks(5_000) {
        let outcome = apply_chunk(conn, settings, chunk, appendable).await?;
        touched.extend(outcome.rewalk);
        if !outcome.appended.is_empty() {
            touched.extend(append::apply(conn, settings, outcome.appended, outcome.running).await?);
        }
    }
    let touched: Vec<i64> = touched.into_iter().collect();
    for chunk in touched.chunks(2_000) {
        refresh_members(conn, settings, chunk, now).await?;
    }
    Ok(())
}

type FactsRow = (i64, i64, i64, String, String, i64, i64, i64, Option<i64>);

/// What rewriting a chunk's orders left to do per member.
struct ChunkOutcome {
    /// Members whose history must be walked again.
    rewalk: BTreeSet<i64>,
    /// Orders new to their member, to carry forward from `running`.
    appended: Vec<Appended>,
    running: HashMap<i64, Running>,
}

/// Rewrites the per-order results of `ids`; says which members need a
/// re-walk and, when `appendable`, which orders may extend a history.
async fn apply_chunk(
    conn: &mut SqliteConnection,
    settings: &LoyaltySettings,
    ids: &[i64],
    appendable: bool,
) -> Result<ChunkOutcome> {
    let ids_json = json(&ids)?;
    let rows: Vec<FactsRow> = sqlx::query_as(
        "SELECT o.id, o.created_at, o.updated_at, o.status, o.currency, o.total_minor, o.subtotal_minor,
                o.refunded_minor, m.id
           FROM orders o LEFT JOIN members m ON m.email_normalized = o.email_normalized
          WHERE o.id IN (SELECT value FROM json_each(?))",
    )
    .bind(&ids_json)
    .fetch_all(&mut *conn)
    .await?;
    let before: Vec<(i64, i64)> = sqlx::query_as(
        "SELECT order_id, member_id FROM member_orders WHERE order_id IN (SELECT value FROM json_each(?))",
    )
    .bind(&ids_json)
    .fetch_all(&mut *conn)
    .await?;
    let mut categories: HashMap<i64, Vec<String>> = HashMap::new();
    if settings.uses_categories() {
        let pairs: Vec<(i64, String)> = sqlx::query_as(
            "SELECT DISTINCT l.order_id, c.category FROM order_lines l JOIN sku_categories c ON c.sku = l.sku
              WHERE l.order_id IN (SELECT value FROM json_each(?))",
        )
        .bind(&ids_json)
        .fetch_all(&mut *conn)
        .await?;
        for (order, category) in pairs {
            categories.entry(order).or_default().push(category);
        }
    }

    let known: HashMap<i64, i64> = before.iter().copied().collect();
    let mut touched: BTreeSet<i64> = before.into_iter().map(|(_, member)| member).collect();
    let mut matched = Vec::with_capacity(rows.len());
    for (id, created_at, updated_at, status, currency, total_minor, subtotal_minor, refunded_minor, member) in rows {
        let Some(member) = member else { continue };
        let facts = OrderFacts {
            id,
            created_at,
            updated_at,
            status: OrderStatus::parse(&status)?,
            currency,
            total_minor,
            subtotal_minor,
            refunded_minor,
            categories: categories.remove(&id).unwrap_or_default(),
        };
        let figures = rules::figures(&facts, settings);
        matched.push((member, facts, figures));
    }
    // An order already matched (edited, refunded, re-synced) re-walks its
    // member; one new to its member may only extend the history.
    for (member, facts, _) in &matched {
        if !appendable || known.contains_key(&facts.id) {
            touched.insert(*member);
        }
    }
    let mut appended = Vec::new();
    let mut running = HashMap::new();
    if appendable {
        for (member, facts, figures) in &matched {
            if !touched.contains(member) {
                appended.push(Appended { member_id: *member, order_id: facts.id, at: facts.created_at, figures: figures.clone() });
            }
        }
        if !appended.is_empty() {
            let mut members: Vec<i64> = appended.iter().map(|a| a.member_id).collect();
            members.sort_unstable();
            members.dedup();
            running = append::load(conn, &members).await?;
        }
    }

    sqlx::query("DELETE FROM member_orders WHERE order_id IN (SELECT value FROM json_each(?))")
        .bind(&ids_json)
        .execute(&mut *conn)
        .await?;
    // Ledger entries these orders should have now; the rest of theirs go.
    let mut keep = Vec::new();
    let mut entries = Vec::new();
    for (member, facts, figures) in &matched {
        if figures.earned_minor > 0 {
            keep.push(format!("{member}:{}:earn", facts.id));
            entries.push((*member, facts.id, "earn", figures.earned_minor, facts.created_at, figures.earn_reason.as_str()));
        }
        if figures.reversed_minor > 0 {
            keep.push(format!("{member}:{}:reversal", facts.id));
            let at = facts.updated_at.max(facts.created_at);
            entries.push((*member, facts.id, "reversal", -figures.reversed_minor, at, figures.reversal_reason.as_str()));
        }
    }
    sqlx::query(
        "DELETE FROM credit_ledger
          WHERE order_id IN (SELECT value FROM json_each(?1)) AND kind <> 'manual'
            AND (member_id || ':' || order_id || ':' || kind) NOT IN (SELECT value FROM json_each(?2))",
    )
    .bind(&ids_json)
    .bind(json(&keep)?)
    .execute(&mut *conn)
    .await?;

    for chunk in matched.chunks(CHUNK) {
        let mut insert = QueryBuilder::<Sqlite>::new(
            "INSERT INTO member_orders (order_id, member_id, created_at, counted, spend_minor, earned_minor,
                                        reversed_minor, stamp_cards) ",
        );
        let mut stamp_json = Vec::with_capacity(chunk.len());
        for (_, _, figures) in chunk {
            stamp_json.push(json(&figures.stamp_cards)?);
        }
        insert.push_values(chunk.iter().zip(stamp_json), |mut row, ((member, facts, figures), stamps)| {
            row.push_bind(facts.id)
                .push_bind(*member)
                .push_bind(facts.created_at)
                .push_bind(figures.counted as i64)
                .push_bind(figures.spend_minor)
                .push_bind(figures.earned_minor)
                .push_bind(figures.reversed_minor)
                .push_bind(stamps);
        });
        insert.build().execute(&mut *conn).await?;
    }
    for chunk in entries.chunks(CHUNK) {
        let mut insert =
            QueryBuilder::<Sqlite>::new("INSERT INTO credit_ledger (member_id, order_id, kind, amount_minor, at, reason) ");
        insert.push_values(chunk, |mut row, (member, order, kind, amount, at, reason)| {
            row.push_bind(*member).push_bind(*order).push_bind(*kind).push_bind(*amount).push_bind(*at).push_bind(*reason);
        });
        // Re-applying an order updates its one entry per (member, order, kind).
        insert.push(
            " ON CONFLICT (member_id, order_id, kind) DO UPDATE SET amount_minor = excluded.amount_minor,
                 at = excluded.at, reason = excluded.reason
               WHERE amount_minor <> excluded.amount_minor OR at <> excluded.at OR reason <> excluded.reason",
        );
        insert.build().execute(&mut *conn).await?;
    }
    Ok(ChunkOutcome { rewalk: touched, appended, running })
}

/// One member's recomputed figures, as `member_stats` stores them.
pub(crate) struct Refreshed {
    pub member_id: i64,
    pub order_count: i64,
    pub spend_minor: i64,
    pub credit_minor: i64,
    pub first_order_at: Option<i64>,
    pub last_order_at: Option<i64>,
    pub tier: Option<String>,
    pub other_currency: i64,
    pub score: Option<(u8, u8, u8, &'static str)>,
}

impl Refreshed {
    /// Scores the member against the last full recompute's boundaries
    /// (unscored without one, or without a counted order).
    pub fn rescore(&mut self, boundaries: Option<&Boundaries>) {
        self.score = match (boundaries, self.last_order_at) {
            (Some(b), Some(last)) => {
                let (r, f, m) =
                    (b.recency.score(last), b.frequency.score(self.order_count), b.monetary.score(self.spend_minor));
                Some((r, f, m, rfm::segment(r, f).as_str()))
            }
            _ => None,
        };
    }
}

type TimelineRow = (i64, i64, i64, i64, i64, String);

/// Recomputes the per-member results (totals, tier walk, rewards, RFM
/// against the last full recompute's boundaries) from `member_orders`.
pub(crate) async fn refresh_members(
    conn: &mut SqliteConnection,
    settings: &LoyaltySettings,
    ids: &[i64],
    now: i64,
) -> Result<()> {
    let ids_json = json(&ids)?;
    let timeline: Vec<TimelineRow> = sqlx::query_as(
        "SELECT member_id, order_id, created_at, counted, spend_minor, stamp_cards FROM member_orders
          WHERE member_id IN (SELECT value FROM json_each(?)) ORDER BY member_id, created_at, order_id",
    )
    .bind(&ids_json)
    .fetch_all(&mut *conn)
    .await?;
    // The member_ledger view, spelled out: a list of members isn't pushed
    // down into its branches.
    let sums: Vec<(i64, i64)> = sqlx::query_as(
        "SELECT mo.member_id, SUM(l.amount_minor) FROM member_orders mo
           JOIN credit_ledger l ON l.order_id = mo.order_id AND l.member_id = mo.member_id
          WHERE mo.member_id IN (SELECT value FROM json_each(?1)) GROUP BY mo.member_id
         UNION ALL
         SELECT member_id, SUM(amount_minor) FROM credit_ledger
          WHERE order_id IS NULL AND member_id IN (SELECT value FROM json_each(?1)) GROUP BY member_id",
    )
    .bind(&ids_json)
    .fetch_all(&mut *conn)
    .await?;
    let mut credit: HashMap<i64, i64> = HashMap::with_capacity(ids.len());
    for (member, sum) in sums {
        *credit.entry(member).or_default() += sum;
    }
    let boundaries = rfm::load_boundaries(conn).await?;

    let mut by_member: HashMap<i64, Vec<&TimelineRow>> = HashMap::with_capacity(ids.len());
    for row in &timeline {
        by_member.entry(row.0).or_default().push(row);
    }
    let mut stats = Vec::with_capacity(ids.len());
    let mut tier_rows = Vec::new();
    let mut reward_rows = Vec::new();
    let mut stamp_rows = Vec::new();
    for &member_id in ids {
        let rows = by_member.remove(&member_id).unwrap_or_default();
        let mut refreshed = Refreshed {
            member_id,
            order_count: 0,
            spend_minor: 0,
            credit_minor: credit.get(&member_id).copied().unwrap_or(0),
            first_order_at: None,
            last_order_at: None,
            tier: None,
            other_currency: 0,
            score: None,
        };
        let mut events = Vec::with_capacity(rows.len());
        let mut stamps: HashMap<i64, Vec<(i64, i64)>> = HashMap::new();
        for &&(_, order_id, at, counted, spend_minor, ref cards) in &rows {
            match Counted::from_db(counted) {
                Counted::OtherCurrency => refreshed.other_currency += 1,
                Counted::Yes => {
                    refreshed.order_count += 1;
                    refreshed.first_order_at.get_or_insert(at);
                    refreshed.last_order_at = Some(at);
                }
                Counted::No => {}
            }
            refreshed.spend_minor += spend_minor;
            events.push(SpendEvent { at, order_id, spend_minor });
            let cards: Vec<i64> = serde_json::from_str(cards).map_err(|e| Error::Corrupt(e.to_string()))?;
            for card in cards {
                stamps.entry(card).or_default().push((at, order_id));
            }
        }
        let (tier, steps) = rules::tier_walk(&events, settings, now);
        refreshed.tier = tier.map(|i| settings.tiers.tiers[i].name.clone());
        let name = |i: Option<usize>| i.map(|i| settings.tiers.tiers[i].name.clone());
        for (seq, step) in steps.into_iter().enumerate() {
            tier_rows.push((member_id, seq as i64, step.at, name(step.from), name(step.to), step.order_id, step.reason));
        }
        for card in settings.punch_cards.iter().filter(|c| c.active) {
            let card_stamps = stamps.get(&card.id).map(Vec::as_slice).unwrap_or_default();
            for (number, order_id, at) in rules::rewards(card_stamps, card.stamps_required) {
                reward_rows.push((member_id, card.id, number, order_id, at));
            }
        }
        refreshed.rescore(boundaries.as_ref());
        for (card, card_stamps) in &stamps {
            stamp_rows.push((member_id, *card, card_stamps.len() as i64));
        }
        stats.push(refreshed);
    }

    for table in ["tier_changes", "punch_rewards", "member_stamps"] {
        sqlx::query(&format!("DELETE FROM {table} WHERE member_id IN (SELECT value FROM json_each(?))"))
            .bind(&ids_json)
            .execute(&mut *conn)
            .await?;
    }
    let scored_at = boundaries.as_ref().map(|b: &Boundaries| b.computed_at);
    write_members(conn, &tier_rows, &reward_rows, &stamp_rows, &stats, scored_at).await
}

/// A tier change row: (member, seq, at, from, to, order, reason).
pub(crate) type TierRow = (i64, i64, i64, Option<String>, Option<String>, Option<i64>, String);

/// Writes per-member results, one multi-row statement per table and chunk:
/// new tier changes and rewards, stamp counts and `member_stats` (upserts).
pub(crate) async fn write_members(
    conn: &mut SqliteConnection,
    tier_rows: &[TierRow],
    reward_rows: &[(i64, i64, i64, i64, i64)],
    stamp_rows: &[(i64, i64, i64)],
    stats: &[Refreshed],
    scored_at: Option<i64>,
) -> Result<()> {
    for chunk in tier_rows.chunks(CHUNK) {
        let mut insert =
            QueryBuilder::<Sqlite>::new("INSERT INTO tier_changes (member_id, seq, at, from_tier, to_tier, order_id, reason) ");
        insert.push_values(chunk, |mut row, (member, seq, at, from, to, order, reason)| {
            row.push_bind(*member).push_bind(*seq).push_bind(*at).push_bind(from).push_bind(to).push_bind(*order).push_bind(reason);
        });
        insert.build().execute(&mut *conn).await?;
    }
    for chunk in reward_rows.chunks(CHUNK) {
        let mut insert = QueryBuilder::<Sqlite>::new("INSERT INTO punch_rewards (member_id, card_id, number, order_id, at) ");
        insert.push_values(chunk, |mut row, (member, card, number, order, at)| {
            row.push_bind(*member).push_bind(*card).push_bind(*number).push_bind(*order).push_bind(*at);
        });
        insert.build().execute(&mut *conn).await?;
    }
    for chunk in stamp_rows.chunks(CHUNK) {
        let mut insert = QueryBuilder::<Sqlite>::new("INSERT INTO member_stamps (member_id, card_id, stamps) ");
        insert.push_values(chunk, |mut row, (member, card, stamps)| {
            row.push_bind(*member).push_bind(*card).push_bind(*stamps);
        });
        insert.push(" ON CONFLICT (member_id, card_id) DO UPDATE SET stamps = excluded.stamps");
        insert.build().execute(&mut *conn).await?;
    }
    for chunk in stats.chunks(CHUNK) {
        let mut insert = QueryBuilder::<Sqlite>::new(
            "INSERT INTO member_stats (member_id, order_count, spend_minor, credit_minor, first_order_at, last_order_at,
                                       tier, other_currency, recency, frequency, monetary, segment, scored_at) ",
        );
        insert.push_values(chunk, |mut row, s| {
            row.push_bind(s.member_id)
                .push_bind(s.order_count)
                .push_bind(s.spend_minor)
                .push_bind(s.credit_minor)
                .push_bind(s.first_order_at)
                .push_bind(s.last_order_at)
                .push_bind(s.tier.clone())
                .push_bind(s.other_currency)
                .push_bind(s.score.map(|x| x.0 as i64))
                .push_bind(s.score.map(|x| x.1 as i64))
                .push_bind(s.score.map(|x| x.2 as i64))
                .push_bind(s.score.map(|x| x.3))
                .push_bind(s.score.and(scored_at));
        });
        insert.push(
            " ON CONFLICT (member_id) DO UPDATE SET order_count = excluded.order_count,
                 spend_minor = excluded.spend_minor, credit_minor = excluded.credit_minor,
                 first_order_at = excluded.first_order_at, last_order_at = excluded.last_order_at,
                 tier = excluded.tier, other_currency = excluded.other_currency,
                 recency = excluded.recency, frequency = excluded.frequency, monetary = excluded.monetary,
                 segment = excluded.segment, scored_at = excluded.scored_at",
        );
        insert.build().execute(&mut *conn).await?;
    }
    Ok(())
}

/// Recomputes one member's credit total after a manual adjustment.
pub(crate) async fn refresh_credit(conn: &mut SqliteConnection, member_id: i64) -> Result<()> {
    sqlx::query(
        "UPDATE member_stats SET credit_minor = (SELECT COALESCE(SUM(amount_minor), 0) FROM member_ledger WHERE member_id = ?1)
          WHERE member_id = ?1",
    )
    .bind(member_id)
    .execute(&mut *conn)
    .await?;
    Ok(())
}
