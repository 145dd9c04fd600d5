//! The loyalty rules as pure functions: what one order counts for (spend,
//! credit earned and reversed, stamps), a member's tier walk, punch-card
//! rewards. Everything stored by [`crate::apply`] is computed here, so the
//! incremental path and a from-scratch recompute cannot disagree.

use counterline_store::model::OrderStatus;

use crate::settings::{format_minor, LoyaltySettings, TierBasis, TierDowngrade, TierRules};

/// 365 days: the rolling tier window.
pub const YEAR_MS: i64 = 365 * 24 * 60 * 60 * 1000;

/// An order as the rules see it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrderFacts {
    pub id: i64,
    pub created_at: i64,
    pub updated_at: i64,
    pub status: OrderStatus,
    pub currency: String,
    pub total_minor: i64,
    pub subtotal_minor: i64,
    pub refunded_minor: i64,
    /// Categories of its lines' SKUs (the merchant's map), any order.
    pub categories: Vec<String>,
}

/// Whether an order counts, as stored in `member_orders.counted`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Counted {
    /// A purchase: counts for frequency, spend, stamps.
    Yes = 1,
    /// Cancelled, returned, fully refunded, free or a return sale.
    No = 0,
    /// In a currency with no rate: matched, but counts for nothing.
    OtherCurrency = -1,
}

impl Counted {
    pub fn from_db(value: i64) -> Counted {
        match value {
            1 => Counted::Yes,
            -1 => Counted::OtherCurrency,
            _ => Counted::No,
        }
    }
}

/// What one order counts for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrderFigures {
    pub counted: Counted,
    /// Net qualifying spend in the program currency (negative for a return sale).
    pub spend_minor: i64,
    /// Credit the order earns before refunds.
    pub earned_minor: i64,
    /// Credit its refunds take back (>= 0).
    pub reversed_minor: i64,
    /// Punch cards it stamps.
    pub stamp_cards: Vec<i64>,
    pub earn_reason: String,
    pub reversal_reason: String,
}

fn share(amount: i64, part: i64, whole: i64) -> i64 {
    if whole <= 0 {
        return 0;
    }
    (amount as i128 * part as i128 / whole as i128) as i64
}

/// The rules applied to one order.
pub fn figures(order: &OrderFacts, settings: &LoyaltySettings) -> OrderFigures {
    let cur = &settings.currency;
    let mut out = OrderFigures {
        counted: Counted::No,
        spend_minor: 0,
        earned_minor: 0,
        reversed_minor: 0,
        stamp_cards: Vec::new(),
        earn_reason: String::new(),
        reversal_reason: String::new(),
    };
    let raw_base = match settings.spend_base {
        crate::settings::SpendBase::Subtotal => order.subtotal_minor,
        crate::settings::SpendBase::Total => order.total_minor,
    };
    let Some(base) = settings.convert(raw_base, &order.currency) else {
        out.counted = Counted::OtherCurrency;
        return out;
    };
    let earning = &settings.earning;
    let earn_on = |amount: i64| {
        if earning.enabled && amount > 0 {
            amount / earning.spend_step_minor * earning.credit_per_step_minor
        } else {
            0
        }
    };
    if order.total_minor < 0 {
        // A POS return sale: it takes back the spend and the credit of what was returned.
        out.spend_minor = base;
        out.reversed_minor = earn_on(-base);
        out.reversal_reason = format!("Return sale of {} {cur}: the credit it earned is taken back.", format_minor(-base, cur));
        return out;
    }
    let void = matches!(order.status, OrderStatus::Cancelled | OrderStatus::Returned);
    let refunded = order.refunded_minor.clamp(0, order.total_minor);
    let refunded_base = if void { base } else { share(base, refunded, order.total_minor) };
    out.spend_minor = (base - refunded_base).max(0);
    out.earned_minor = earn_on(base);
    if out.earned_minor > 0 {
        out.earn_reason = format!(
            "{} {cur} spent: {} per {} {cur}.",
            format_minor(base, cur),
            format_minor(earning.credit_per_step_minor, cur),
            format_minor(earning.spend_step_minor, cur)
        );
    }
    if void {
        out.reversed_minor = out.earned_minor;
        out.reversal_reason = format!("Order {}: its credit is taken back.", order.status.as_str());
    } else if refunded > 0 {
        out.reversed_minor = share(out.earned_minor, refunded, order.total_minor);
        out.reversal_reason = format!(
            "{} of {} {} refunded: the same share of its credit is taken back.",
            format_minor(refunded, &order.currency),
            format_minor(order.total_minor, &order.currency),
            order.currency
        );
    }
    if !void && refunded < order.total_minor && order.total_minor > 0 {
        out.counted = Counted::Yes;
        out.stamp_cards = settings
            .punch_cards
            .iter()
            .filter(|card| card.active)
            .filter(|card| card.categories.is_empty() || card.categories.iter().any(|c| order.categories.contains(c)))
            .map(|card| card.id)
            .collect();
    }
    out
}

/// One point of a member's history the tier walk reads: a matched order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SpendEvent {
    pub at: i64,
    pub order_id: i64,
    pub spend_minor: i64,
}

/// A tier change the walk found; tiers are indexes into `TierRules::tiers`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TierStep {
    pub at: i64,
    pub from: Option<usize>,
    pub to: Option<usize>,
    pub order_id: Option<i64>,
    pub reason: String,
}

fn tier_for(rules: &TierRules, spend: i64) -> Option<usize> {
    rules.tiers.iter().rposition(|t| spend >= t.threshold_minor)
}

/// Where a tier walk stands: spend on the basis so far and the tier held.
/// A lifetime walk's state after a member's last order is their stored
/// spend and tier, so an order placed later continues it from there.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct TierState {
    pub spend: i64,
    pub current: Option<usize>,
}

impl TierState {
    /// One walk step: `delta` of spend at `at`, from the order `order_id`
    /// placed then (`None`: an order leaving the rolling window). Returns
    /// the tier change it causes, if any.
    pub fn step(&mut self, settings: &LoyaltySettings, at: i64, order_id: Option<i64>, delta: i64) -> Option<TierStep> {
        let rules = &settings.tiers;
        let cur = &settings.currency;
        let basis = if rules.basis == TierBasis::Rolling12Months { "12-month" } else { "Lifetime" };
        self.spend += delta;
        let computed = tier_for(rules, self.spend);
        let next = match rules.downgrade {
            TierDowngrade::Never => self.current.max(computed),
            TierDowngrade::WhenSpendFalls => computed,
        };
        if next == self.current {
            return None;
        }
        let amount = format_minor(self.spend, cur);
        let reason = match next {
            Some(to) if self.current.is_none_or(|from| to > from) => format!(
                "{basis} spend reached {amount} {cur}, past {}'s {}.",
                rules.tiers[to].name,
                format_minor(rules.tiers[to].threshold_minor, cur)
            ),
            _ => {
                let from = self.current.expect("a drop starts from a tier");
                format!(
                    "{basis} spend fell to {amount} {cur}, below {}'s {}.",
                    rules.tiers[from].name,
                    format_minor(rules.tiers[from].threshold_minor, cur)
                )
            }
        };
        let step = TierStep { at, from: self.current, to: next, order_id, reason };
        self.current = next;
        Some(step)
    }
}

/// Walks a member's orders by date (`events` sorted by `(at, order_id)`) and
/// returns the current tier and every change, oldest first. With the
/// rolling basis an order leaves the window a year after it was placed;
/// those moments up to `now` are part of the walk.
pub fn tier_walk(events: &[SpendEvent], settings: &LoyaltySettings, now: i64) -> (Option<usize>, Vec<TierStep>) {
    let rolling = settings.tiers.basis == TierBasis::Rolling12Months;
    // (time, 0 = an order leaving the window, 1 = an order placed, order id, spend delta)
    let mut walk: Vec<(i64, u8, i64, i64)> = Vec::with_capacity(events.len() * 2);
    for e in events.iter().filter(|e| e.spend_minor != 0) {
        walk.push((e.at, 1, e.order_id, e.spend_minor));
        if rolling && e.at + YEAR_MS <= now {
            walk.push((e.at + YEAR_MS, 0, e.order_id, -e.spend_minor));
        }
    }
    walk.sort_unstable();
    let mut state = TierState::default();
    let steps = walk
        .into_iter()
        .filter_map(|(at, kind, order_id, delta)| state.step(settings, at, (kind == 1).then_some(order_id), delta))
        .collect();
    (state.current, steps)
}

/// The rewards a card has issued: every `stamps_required`-th stamp, given
/// the stamping orders sorted by `(at, order_id)`. Returns (number, order id, at).
pub fn rewards(stamps: &[(i64, i64)], stamps_required: i64) -> Vec<(i64, i64, i64)> {
    let per = stamps_required.max(1) as usize;
    stamps
        .iter()
        .enumerate()
        .filter(|(i, _)| (i + 1) % per == 0)
        .map(|(i, (at, order_id))| (((i + 1) / per) as i64, *order_id, *at))
        .collect()
}
