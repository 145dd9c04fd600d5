//! Applying the rules to the database: matching orders to members and
//! keeping every derived table (`member_orders`, which the `credit_ledger`
//! view reads an order's entries from, `punch_rewards`, `tier_changes`,
//! `member_stats`, and the per-day totals in `loyalty_days`) equal to what
//! [`crate::rules`] computes from the current orders, members and settings.
//!
//! Per-order results (match, spend, ledger entries, stamps) are rewritten
//! only for the orders whose results changed. A member whose changes their
//! running state can take (new orders after their last one, a refund or an
//! edit that keeps the order's date, counting and stamps) is carried forward
//! from it ([`crate::carry`]); every other member those orders touch, before
//! or after the change, has their per-member results (tier walk, rewards,
//! totals) recomputed from their history. [`recompute_all`] rebuilds
//! everything the same way.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use sqlx::{QueryBuilder, Sqlite, SqliteConnection};

use counterline_store::model::OrderStatus;
use counterline_store::now_ms;

use crate::carry::{self, Change};
use crate::rfm::{self, Boundaries};
use crate::rules::{self, Counted, OrderFacts, SpendEvent, TierStep};
use crate::settings::{self, LoyaltySettings};
use crate::{Error, Result};

/// Rows per multi-row statement.
const CHUNK: usize = 500;
/// Orders read and written together.
const ORDERS_PER_CHUNK: usize = 5_000;

pub(crate) fn json<T: serde::Serialize + ?Sized>(value: &T) -> Result<String> {
    serde_json::to_string(value).map_err(|e| Error::Corrupt(e.to_string()))
}

/// What applying orders did to the members they touch.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Applied {
    /// Members carried forward from their running state ([`crate::carry`]).
    pub carried: usize,
    /// Members whose per-member results were recomputed from their history.
    pub rewalked: usize,
}

/// The sync hook: applies the rules to orders just inserted or updated, in
/// the caller's transaction (the page's). A page of guests' orders stops
/// after one read: none of its orders matches a member, now or before.
pub async fn apply_orders(conn: &mut SqliteConnection, order_ids: &[i64]) -> Result<Applied> {
    if order_ids.is_empty() {
        return Ok(Applied::default());
    }
    let settings = settings::load(conn).await?;
    apply(conn, &settings, order_ids, &[], now_ms()).await
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
    apply(conn, &settings, &orders, member_ids, now_ms()).await?;
    Ok(())
}

/// Recomputes every member from scratch (after the rules changed, or on
/// demand). Manual credit adjustments are kept (they are not derived).
pub async fn recompute_all(conn: &mut SqliteConnection) -> Result<()> {
    recompute_all_at(conn, now_ms()).await
}

/// [`recompute_all`] as of `now` (the rolling tier window's end).
pub async fn recompute_all_at(conn: &mut SqliteConnection, now: i64) -> Result<()> {
    let settings = settings::load(conn).await?;
    for sql in [
        "DELETE FROM member_orders",
        "DELETE FROM tier_changes",
        "DELETE FROM punch_rewards",
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
) -> Result<Applied> {
    let mut rewalk: BTreeSet<i64> = members.iter().copied().collect();
    let mut carried = 0;
    // Running state read before a chunk's writes describes the member's
    // history without this page: only sound for one chunk and no re-match.
    let carryable = members.is_empty() && order_ids.len() <= ORDERS_PER_CHUNK;
    for chunk in order_ids.chunks(ORDERS_PER_CHUNK) {
        let orders = read_orders(conn, settings, chunk).await?;
        let mut changes = Vec::new();
        for order in &orders {
            let now = order.now.as_ref().map(|n| &n.matched);
            match (&order.before, now) {
                // Nothing the member's figures read changed (a status, an address).
                (Some(before), Some(now)) if before == now => {}
                (before, Some(now)) if carryable && before.as_ref().is_none_or(|b| b.member_id == now.member_id) => {
                    changes.push(Change { order_id: order.id, before: before.clone(), now: now.clone() })
                }
                // Matched elsewhere now, or no longer matched: both members re-walk.
                (before, now) => rewalk.extend(before.iter().map(|b| b.member_id).chain(now.map(|n| n.member_id))),
            }
        }
        changes.retain(|c| !rewalk.contains(&c.now.member_id));
        let running = if changes.is_empty() {
            HashMap::new()
        } else {
            let mut members: Vec<i64> = changes.iter().map(|c| c.now.member_id).collect();
            members.sort_unstable();
            members.dedup();
            let mut with_history: Vec<i64> =
                changes.iter().filter(|c| c.needs_history(settings)).map(|c| c.now.member_id).collect();
            with_history.sort_unstable();
            with_history.dedup();
            carry::load(conn, &members, &with_history).await?
        };
        write_orders(conn, &orders).await?;
        if !changes.is_empty() {
            let members = changes.iter().map(|c| c.now.member_id).collect::<BTreeSet<_>>().len();
            let not_carried = carry::apply(conn, settings, changes, running, now).await?;
            carried += members - not_carried.len();
            rewalk.extend(not_carried);
        }
    }
    let rewalk: Vec<i64> = rewalk.into_iter().collect();
    for chunk in rewalk.chunks(2_000) {
        refresh_members(conn, settings, chunk, now).await?;
    }
    Ok(Applied { carried, rewalked: rewalk.len() })
}

/// An order's row in `member_orders`: whose it is and what it counts for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Matched {
    pub member_id: i64,
    pub created_at: i64,
    pub counted: Counted,
    pub spend_minor: i64,
    pub earned_minor: i64,
    pub reversed_minor: i64,
    pub stamp_cards: Vec<i64>,
}

/// What an order's ledger entries say beyond its figures, stored in its
/// `member_orders` row for the `credit_ledger` view: each part is there
/// exactly when its entry is (earned or reversed credit above zero).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct EntryTexts {
    earn_reason: Option<String>,
    reversal_reason: Option<String>,
    /// When the reversal happened (the order's last update).
    reversal_at: Option<i64>,
}

/// An order the rules see now: its row to be.
struct Now {
    matched: Matched,
    texts: EntryTexts,
}

/// One of the chunk's orders that matches a member now or did before.
struct PageOrder {
    id: i64,
    before: Option<Matched>,
    /// Its stored entry texts (all `None` without a row).
    before_texts: EntryTexts,
    now: Option<Now>,
}

impl PageOrder {
    /// Its row to write, if it changed.
    fn rewrite(&self) -> Option<&Now> {
        self.now.as_ref().filter(|n| self.before.as_ref() != Some(&n.matched) || self.before_texts != n.texts)
    }
}

/// An order of the chunk as the read returns it (a JSON array, fields in
/// this order): the order, the member it matches now, and its
/// `member_orders` row before, if any.
#[derive(serde::Deserialize)]
struct OrderRow {
    id: i64,
    created_at: i64,
    updated_at: i64,
    status: String,
    currency: String,
    total_minor: i64,
    subtotal_minor: i64,
    refunded_minor: i64,
    member_id: Option<i64>,
    before_member: Option<i64>,
    before_created_at: Option<i64>,
    before_counted: Option<i64>,
    before_spend: Option<i64>,
    before_earned: Option<i64>,
    before_reversed: Option<i64>,
    before_stamps: Option<Vec<i64>>,
    before_earn_reason: Option<String>,
    before_reversal_reason: Option<String>,
    before_reversal_at: Option<i64>,
}

/// Reads the orders of `ids` that match a member now or did before, with
/// the rules applied: one statement (two with category cards).
async fn read_orders(conn: &mut SqliteConnection, settings: &LoyaltySettings, ids: &[i64]) -> Result<Vec<PageOrder>> {
    let ids_json = json(ids)?;
    let rows: Vec<OrderRow> = from_json(
        sqlx::query_scalar(
            "SELECT json_group_array(json_array(
                    o.id, o.created_at, o.updated_at, o.status, o.currency, o.total_minor, o.subtotal_minor,
                    o.refunded_minor, m.id, mo.member_id, mo.created_at, mo.counted, mo.spend_minor, mo.earned_minor,
                    mo.reversed_minor, json(mo.stamp_cards), mo.earn_reason, mo.reversal_reason, mo.reversal_at))
               FROM orders o
               LEFT JOIN members m ON m.email_normalized = o.email_normalized
               LEFT JOIN member_orders mo ON mo.order_id = o.id
              WHERE o.id IN (SELECT value FROM json_each(?)) AND (m.id IS NOT NULL OR mo.order_id IS NOT NULL)",
        )
        .bind(&ids_json)
        .fetch_one(&mut *conn)
        .await?,
    )?;
    let mut categories: HashMap<i64, Vec<String>> = HashMap::new();
    if settings.uses_categories() && rows.iter().any(|r| r.member_id.is_some()) {
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
    let mut orders = Vec::with_capacity(rows.len());
    for row in rows {
        let before_texts = EntryTexts {
            earn_reason: row.before_earn_reason,
            reversal_reason: row.before_reversal_reason,
            reversal_at: row.before_reversal_at,
        };
        let before = match (row.before_member, row.before_created_at, row.before_counted, row.before_spend) {
            (Some(member_id), Some(created_at), Some(counted), Some(spend_minor)) => Some(Matched {
                member_id,
                created_at,
                counted: Counted::from_db(counted),
                spend_minor,
                earned_minor: row.before_earned.unwrap_or(0),
                reversed_minor: row.before_reversed.unwrap_or(0),
                stamp_cards: row.before_stamps.unwrap_or_default(),
            }),
            _ => None,
        };
        let now = match row.member_id {
            None => None,
            Some(member_id) => {
                let facts = OrderFacts {
                    id: row.id,
                    created_at: row.created_at,
                    updated_at: row.updated_at,
                    status: OrderStatus::parse(&row.status)?,
                    currency: row.currency,
                    total_minor: row.total_minor,
                    subtotal_minor: row.subtotal_minor,
                    refunded_minor: row.refunded_minor,
                    categories: categories.remove(&row.id).unwrap_or_default(),
                };
                let figures = rules::figures(&facts, settings);
                let texts = EntryTexts {
                    earn_reason: (figures.earned_minor > 0).then_some(figures.earn_reason),
                    reversal_reason: (figures.reversed_minor > 0).then_some(figures.reversal_reason),
                    reversal_at: (figures.reversed_minor > 0).then(|| facts.updated_at.max(facts.created_at)),
                };
                let matched = Matched {
                    member_id,
                    created_at: facts.created_at,
                    counted: figures.counted,
                    spend_minor: figures.spend_minor,
                    earned_minor: figures.earned_minor,
                    reversed_minor: figures.reversed_minor,
                    stamp_cards: figures.stamp_cards,
                };
                Some(Now { matched, texts })
            }
        };
        orders.push(PageOrder { id: row.id, before, before_texts, now });
    }
    Ok(orders)
}

/// Parses a JSON result; a large read comes back as one JSON row, which
/// costs far less to hand over than a row per record (a quarter of the time
/// for 250 rows of 8 columns).
pub(crate) fn from_json<T: serde::de::DeserializeOwned>(text: String) -> Result<T> {
    serde_json::from_str(&text).map_err(|e| Error::Corrupt(e.to_string()))
}

/// The UTC day `loyalty_days` files an order placed at `at` under.
fn day(at: i64) -> i64 {
    at / 86_400_000
}

/// Rewrites the per-order results of `orders` that changed: their
/// `member_orders` rows (one multi-row statement per chunk) and the
/// per-day totals they move (one statement).
async fn write_orders(conn: &mut SqliteConnection, orders: &[PageOrder]) -> Result<()> {
    // Deleted rows leave loyalty_days through its delete trigger.
    let gone: Vec<i64> = orders.iter().filter(|o| o.before.is_some() && o.now.is_none()).map(|o| o.id).collect();
    if !gone.is_empty() {
        sqlx::query("DELETE FROM member_orders WHERE order_id IN (SELECT value FROM json_each(?))")
            .bind(json(&gone)?)
            .execute(&mut *conn)
            .await?;
    }
    let mut rows = Vec::with_capacity(orders.len());
    // Per day: (spend, orders) the rewritten rows add, less what they held before.
    let mut days: BTreeMap<i64, (i64, i64)> = BTreeMap::new();
    for order in orders {
        if let Some(now) = order.rewrite() {
            rows.push((order.id, now, json(&now.matched.stamp_cards)?));
            let day_now = days.entry(day(now.matched.created_at)).or_default();
            day_now.0 += now.matched.spend_minor;
            day_now.1 += 1;
            if let Some(before) = &order.before {
                let day_before = days.entry(day(before.created_at)).or_default();
                day_before.0 -= before.spend_minor;
                day_before.1 -= 1;
            }
        }
    }
    for chunk in rows.chunks(CHUNK) {
        let mut upsert = QueryBuilder::<Sqlite>::new(
            "INSERT INTO member_orders (order_id, member_id, created_at, counted, spend_minor, earned_minor,
                                        reversed_minor, stamp_cards, earn_reason, reversal_reason, reversal_at) ",
        );
        upsert.push_values(chunk, |mut row, (id, now, stamps)| {
            let (m, texts) = (&now.matched, &now.texts);
            row.push_bind(*id)
                .push_bind(m.member_id)
                .push_bind(m.created_at)
                .push_bind(m.counted as i64)
                .push_bind(m.spend_minor)
                .push_bind(m.earned_minor)
                .push_bind(m.reversed_minor)
                .push_bind(stamps.as_str())
                .push_bind(texts.earn_reason.as_deref())
                .push_bind(texts.reversal_reason.as_deref())
                .push_bind(texts.reversal_at);
        });
        upsert.push(
            " ON CONFLICT (order_id) DO UPDATE SET member_id = excluded.member_id, created_at = excluded.created_at,
                 counted = excluded.counted, spend_minor = excluded.spend_minor, earned_minor = excluded.earned_minor,
                 reversed_minor = excluded.reversed_minor, stamp_cards = excluded.stamp_cards,
                 earn_reason = excluded.earn_reason, reversal_reason = excluded.reversal_reason,
                 reversal_at = excluded.reversal_at",
        );
        upsert.build().execute(&mut *conn).await?;
    }
    days.retain(|_, moved| *moved != (0, 0));
    if !days.is_empty() {
        let days: Vec<(i64, i64, i64)> = days.into_iter().map(|(day, (spend, count))| (day, spend, count)).collect();
        sqlx::query(
            "INSERT INTO loyalty_days (day, spend_minor, orders)
             SELECT value ->> 0, value ->> 1, value ->> 2 FROM json_each(?) WHERE true
                 ON CONFLICT (day) DO UPDATE SET spend_minor = spend_minor + excluded.spend_minor, orders = orders + excluded.orders",
        )
        .bind(json(&days)?)
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
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
    /// Stamps per punch card as (card, stamps), by card; cards without one left out.
    pub stamps: Vec<(i64, i64)>,
    /// How many tier changes their history has (the next one's seq).
    pub tier_change_count: i64,
    pub score: Option<(u8, u8, u8, &'static str)>,
}

impl Refreshed {
    /// No orders yet: what a member's walk starts from.
    fn empty(member_id: i64, credit_minor: i64) -> Refreshed {
        Refreshed {
            member_id,
            order_count: 0,
            spend_minor: 0,
            credit_minor,
            first_order_at: None,
            last_order_at: None,
            tier: None,
            other_currency: 0,
            stamps: Vec::new(),
            tier_change_count: 0,
            score: None,
        }
    }

    /// Counts an order placed at `at`, after every one counted so far.
    pub fn count(&mut self, counted: Counted, at: i64) {
        match counted {
            Counted::OtherCurrency => self.other_currency += 1,
            Counted::Yes => {
                self.order_count += 1;
                self.first_order_at.get_or_insert(at);
                self.last_order_at = Some(at);
            }
            Counted::No => {}
        }
    }

    /// Adds a stamp on `card`; returns the card's stamps now.
    pub fn stamp(&mut self, card: i64) -> i64 {
        let at = match self.stamps.binary_search_by_key(&card, |&(c, _)| c) {
            Ok(at) => at,
            Err(at) => {
                self.stamps.insert(at, (card, 0));
                at
            }
        };
        self.stamps[at].1 += 1;
        self.stamps[at].1
    }

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

/// A member order as the walk reads it: (member, order, created_at,
/// counted, spend, stamp cards).
type TimelineRow = (i64, i64, i64, i64, i64, Vec<i64>);

/// Recomputes the per-member results (totals, tier walk, rewards, RFM
/// against the last full recompute's boundaries) from `member_orders`.
pub(crate) async fn refresh_members(
    conn: &mut SqliteConnection,
    settings: &LoyaltySettings,
    ids: &[i64],
    now: i64,
) -> Result<()> {
    let ids_json = json(&ids)?;
    let mut timeline: Vec<TimelineRow> = from_json(
        sqlx::query_scalar(
            "SELECT json_group_array(json_array(member_id, order_id, created_at, counted, spend_minor, json(stamp_cards)))
               FROM member_orders WHERE member_id IN (SELECT value FROM json_each(?))",
        )
        .bind(&ids_json)
        .fetch_one(&mut *conn)
        .await?,
    )?;
    timeline.sort_unstable_by_key(|&(member, order, at, ..)| (member, at, order));
    // The credit_ledger view, spelled out: a list of members isn't pushed
    // down into its branches.
    let sums: Vec<(i64, i64)> = sqlx::query_as(
        "SELECT member_id, SUM(MAX(earned_minor, 0) - MAX(reversed_minor, 0)) FROM member_orders
          WHERE member_id IN (SELECT value FROM json_each(?1)) GROUP BY member_id
         UNION ALL
         SELECT member_id, SUM(amount_minor) FROM credit_adjustments
          WHERE member_id IN (SELECT value FROM json_each(?1)) GROUP BY member_id",
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
    for &member_id in ids {
        let rows = by_member.remove(&member_id).unwrap_or_default();
        let mut refreshed = Refreshed::empty(member_id, credit.get(&member_id).copied().unwrap_or(0));
        let mut events = Vec::with_capacity(rows.len());
        let mut stamps: BTreeMap<i64, Vec<(i64, i64)>> = BTreeMap::new();
        for &&(_, order_id, at, counted, spend_minor, ref cards) in &rows {
            refreshed.count(Counted::from_db(counted), at);
            refreshed.spend_minor += spend_minor;
            events.push(SpendEvent { at, order_id, spend_minor });
            for &card in cards {
                stamps.entry(card).or_default().push((at, order_id));
            }
        }
        let (tier, steps) = rules::tier_walk(&events, settings, now);
        refreshed.tier = tier.map(|i| settings.tiers.tiers[i].name.clone());
        refreshed.tier_change_count = steps.len() as i64;
        for (seq, step) in steps.into_iter().enumerate() {
            tier_rows.push(tier_row(settings, member_id, seq as i64, step));
        }
        for card in settings.punch_cards.iter().filter(|c| c.active) {
            let card_stamps = stamps.get(&card.id).map(Vec::as_slice).unwrap_or_default();
            for (number, order_id, at) in rules::rewards(card_stamps, card.stamps_required) {
                reward_rows.push((member_id, card.id, number, order_id, at));
            }
        }
        refreshed.stamps = stamps.iter().map(|(card, card_stamps)| (*card, card_stamps.len() as i64)).collect();
        refreshed.rescore(boundaries.as_ref());
        stats.push(refreshed);
    }

    for table in ["tier_changes", "punch_rewards"] {
        sqlx::query(&format!("DELETE FROM {table} WHERE member_id IN (SELECT value FROM json_each(?))"))
            .bind(&ids_json)
            .execute(&mut *conn)
            .await?;
    }
    let scored_at = boundaries.as_ref().map(|b: &Boundaries| b.computed_at);
    write_members(conn, &tier_rows, &reward_rows, &stats, scored_at).await
}

/// A tier change row: (member, seq, at, from, to, order, reason).
pub(crate) type TierRow = (i64, i64, i64, Option<String>, Option<String>, Option<i64>, String);

/// A tier change as `tier_changes` stores it: tiers by name, the member's `seq`-th.
pub(crate) fn tier_row(settings: &LoyaltySettings, member_id: i64, seq: i64, step: TierStep) -> TierRow {
    let name = |i: Option<usize>| i.map(|i| settings.tiers.tiers[i].name.clone());
    (member_id, seq, step.at, name(step.from), name(step.to), step.order_id, step.reason)
}

/// Writes per-member results, one multi-row statement per table and chunk:
/// new tier changes and rewards, and `member_stats` (upserts).
pub(crate) async fn write_members(
    conn: &mut SqliteConnection,
    tier_rows: &[TierRow],
    reward_rows: &[(i64, i64, i64, i64, i64)],
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
    for chunk in stats.chunks(CHUNK) {
        let stamps = chunk.iter().map(|s| json(&s.stamps)).collect::<Result<Vec<_>>>()?;
        let mut insert = QueryBuilder::<Sqlite>::new(
            "INSERT INTO member_stats (member_id, order_count, spend_minor, credit_minor, first_order_at, last_order_at,
                                       tier, other_currency, stamps, tier_change_count, recency, frequency, monetary,
                                       segment, scored_at) ",
        );
        insert.push_values(chunk.iter().zip(stamps), |mut row, (s, stamps)| {
            row.push_bind(s.member_id)
                .push_bind(s.order_count)
                .push_bind(s.spend_minor)
                .push_bind(s.credit_minor)
                .push_bind(s.first_order_at)
                .push_bind(s.last_order_at)
                .push_bind(s.tier.clone())
                .push_bind(s.other_currency)
                .push_bind(stamps)
                .push_bind(s.tier_change_count)
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
                 tier = excluded.tier, other_currency = excluded.other_currency, stamps = excluded.stamps,
                 tier_change_count = excluded.tier_change_count, recency = excluded.recency,
                 frequency = excluded.frequency, monetary = excluded.monetary, segment = excluded.segment,
                 scored_at = excluded.scored_at",
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
