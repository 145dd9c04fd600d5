//! Generated orders: the neutral record of what each shopper bought and what
//! happened to the order afterwards.
//!
//! The mix is chosen to exercise a sync engine: ~3% cancelled, ~5% refunded or
//! partially refunded, ~10% edited well after they were placed, ~12% guest
//! checkouts, ~1.5% with no email at all (walk-in sales), ~15% paid in CAD or EUR.
//! Repeat buyers are common (a few people buy often, most buy once or twice).
//!
//! Money rules, which `tests/` check on every order:
//! `subtotal = Σ line (unit × quantity)` and
//! `total = subtotal + tax + shipping − discounts`, in shop money and, computed
//! component by component, in presentment money. Discounts here are order-level
//! (a discount code applied on top of the subtotal), so lines carry no discount.

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

use super::catalog::PRODUCTS;
use super::clock::{DAY, HOUR};
use super::money::Currency;
use crate::people::{EmailVariant, People, Region};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FinancialStatus {
    Pending,
    Authorized,
    Paid,
    PartiallyPaid,
    PartiallyRefunded,
    Refunded,
    Voided,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FulfillmentStatus {
    Unfulfilled,
    PartiallyFulfilled,
    Fulfilled,
    OnHold,
    Restocked,
}

/// Tags an order may carry, as bits of [`Order::tags`].
pub const TAGS: &[&str] = &[
    "vip",
    "gift",
    "wholesale",
    "subscription",
    "local-pickup",
    "priority",
];

const NOTES: &[&str] = &[
    "Please leave the parcel with the neighbour.",
    "Gift — no prices on the packing slip, please.",
    "Customer asked for plastic-free packaging.",
    "Ship together with the previous order if possible.",
    "Birthday present, wrap if you can!",
];

/// The note a live edit leaves when there is nothing to refund.
pub const LIVE_EDIT_NOTE: &str = "Edited after sync: shipping address corrected by support.";

#[derive(Clone, Debug)]
pub struct LineItem {
    pub id: u64,
    /// Index into [`PRODUCTS`].
    pub product: u16,
    pub variant: u8,
    pub quantity: u32,
    pub unit_cents: i64,
    pub unit_presentment_cents: i64,
    /// Units shipped by API writes (a BigCommerce shipment), on top of
    /// what the generated fulfillment status implies. 0 when generated.
    pub shipped_by_writes: u32,
}

impl LineItem {
    pub fn total_cents(&self) -> i64 {
        self.unit_cents * i64::from(self.quantity)
    }

    pub fn total_presentment_cents(&self) -> i64 {
        self.unit_presentment_cents * i64::from(self.quantity)
    }
}

/// An order's money in one currency.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Amounts {
    pub subtotal: i64,
    pub tax: i64,
    pub shipping: i64,
    pub discounts: i64,
    pub refunded: i64,
}

impl Amounts {
    pub fn total(&self) -> i64 {
        self.subtotal + self.tax + self.shipping - self.discounts
    }
}

#[derive(Clone, Debug)]
pub struct Order {
    /// Numeric part of the platform id; increases with `number`.
    pub id: u64,
    /// Shown as `#1001`.
    pub number: u32,
    pub created_at: i64,
    pub updated_at: i64,
    pub processed_at: i64,
    pub cancelled_at: Option<i64>,
    pub closed_at: Option<i64>,
    /// The person with a customer account on this order; `None` for guests.
    pub customer: Option<u32>,
    /// Who typed an email, and how they typed it; `None` when no email was given.
    pub email: Option<(u32, EmailVariant)>,
    /// Whose address the order ships to; `None` for pickups and digital goods.
    pub ship_to: Option<u32>,
    pub presentment: Currency,
    pub shop_money: Amounts,
    pub presentment_money: Amounts,
    pub financial: FinancialStatus,
    pub fulfillment: FulfillmentStatus,
    pub note: Option<&'static str>,
    /// Bit `i` set means `TAGS[i]`.
    pub tags: u8,
    pub lines: Vec<LineItem>,
    /// A status an API write set (see the `writes` modules), in the
    /// platform's own terms. It wins over the status each platform derives
    /// from the fields above, because a merchant's "mark completed" is not
    /// something the generated history can express. `None` for every
    /// generated order.
    pub set_status: Option<SetStatus>,
}

/// A status set by a write, as the platform that took it names statuses.
/// Each ledger belongs to one platform, so only that platform's kind occurs.
/// Shopify has no settable status; there it holds the `cancelReason` an
/// `orderCancel` gave.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SetStatus {
    /// A WooCommerce status slug (`completed`, `on-hold`, …).
    Slug(&'static str),
    /// A BigCommerce `status_id`.
    Id(u8),
}

impl Order {
    pub fn tag_names(&self) -> impl Iterator<Item = &'static str> + '_ {
        TAGS.iter()
            .enumerate()
            .filter(move |(i, _)| self.tags & (1 << i) != 0)
            .map(|(_, t)| *t)
    }

    /// Units of line `i` shipped so far: what the generated fulfillment
    /// status implies (everything once fulfilled, the first line when
    /// partially fulfilled) plus what API writes shipped, never more than
    /// ordered. Writes never change `fulfillment` itself, so the generated
    /// part stays what it was and the two add up.
    pub fn line_shipped(&self, i: usize) -> u32 {
        let Some(line) = self.lines.get(i) else {
            return 0;
        };
        let generated = match self.fulfillment {
            FulfillmentStatus::Fulfilled => line.quantity,
            FulfillmentStatus::PartiallyFulfilled if i == 0 => line.quantity,
            _ => 0,
        };
        (generated + line.shipped_by_writes).min(line.quantity)
    }

    /// Units shipped so far, over every line.
    pub fn items_shipped(&self) -> u32 {
        (0..self.lines.len()).map(|i| self.line_shipped(i)).sum()
    }

    /// Whether an API write shipped anything on this order.
    pub fn shipped_by_writes(&self) -> bool {
        self.lines.iter().any(|l| l.shipped_by_writes > 0)
    }

    /// Models a change made in the platform's admin after Counterline synced
    /// the order: a refund of the first line when there is money left to
    /// refund, otherwise a note edit. Either way `updated_at` moves to `at`.
    pub fn apply_live_edit(&mut self, at: i64) {
        let total = self.shop_money.total();
        let refundable = matches!(
            self.financial,
            FinancialStatus::Paid | FinancialStatus::PartiallyRefunded
        ) && self.shop_money.refunded < total;
        if let (true, Some(line)) = (refundable, self.lines.first()) {
            let amount = line.total_cents().min(total - self.shop_money.refunded);
            self.shop_money.refunded += amount;
            if self.shop_money.refunded >= total {
                self.financial = FinancialStatus::Refunded;
                self.presentment_money.refunded = self.presentment_money.total();
            } else {
                self.financial = FinancialStatus::PartiallyRefunded;
                self.presentment_money.refunded = self
                    .presentment
                    .convert_from_usd(self.shop_money.refunded)
                    .min(self.presentment_money.total());
            }
        } else {
            self.note = Some(LIVE_EDIT_NOTE);
        }
        self.updated_at = at.max(self.created_at);
    }
}

/// Where one shop's history starts and how its ids are numbered.
#[derive(Clone, Copy, Debug)]
pub struct GenerateParams {
    pub seed: u64,
    pub count: usize,
    /// The end of history (unix seconds); every generated time is ≤ this.
    pub anchor: i64,
    pub order_id_base: u64,
    pub line_item_id_base: u64,
}

/// Two years of history before the anchor.
const HISTORY: i64 = 730 * DAY;

pub fn generate(params: GenerateParams, people: &People) -> Vec<Order> {
    let mut rng = StdRng::seed_from_u64(params.seed);
    let start = params.anchor - HISTORY;
    // sqrt skews towards the anchor: the shop grew, recent months are busier.
    // f64 sqrt is correctly rounded everywhere, so this stays reproducible.
    let mut created: Vec<i64> = (0..params.count)
        .map(|_| start + (HISTORY as f64 * rng.gen::<f64>().sqrt()) as i64)
        .collect();
    created.sort_unstable();

    let mut gen = Generator {
        rng,
        people,
        params,
        next_line: 0,
    };
    created
        .into_iter()
        .enumerate()
        .map(|(i, created_at)| gen.order(i, created_at))
        .collect()
}

struct Generator<'p> {
    rng: StdRng,
    people: &'p People,
    params: GenerateParams,
    next_line: u64,
}

impl Generator<'_> {
    fn order(&mut self, i: usize, created_at: i64) -> Order {
        let anchor = self.params.anchor;
        let rng = &mut self.rng;
        let i64_index = u64::try_from(i).unwrap_or(u64::MAX);
        let id = self.params.order_id_base + i64_index * 1000 + rng.gen_range(0..1000u64);
        let number = 1001 + u32::try_from(i).unwrap_or(u32::MAX - 1001);

        // Who: half the picks uniform, half squared towards low indices, so a
        // minority of people are frequent buyers.
        let pool = self.people.len().max(1) as f64;
        let u: f64 = rng.gen();
        let skewed = if rng.gen_bool(0.5) { u * u } else { u };
        let person_index = ((skewed * pool) as u32).min(self.people.len().saturating_sub(1) as u32);
        let person = self.people.get(person_index);
        let kind = rng.gen_range(0..1000u32);
        let (customer, email) = match kind {
            0..=14 => (None, None),
            15..=134 => (None, Some((person_index, EmailVariant::pick(rng)))),
            _ => (
                Some(person_index),
                Some((person_index, EmailVariant::pick(rng))),
            ),
        };
        let ship_to = (email.is_some() && rng.gen_bool(0.92)).then_some(person_index);
        let region = person.map(|p| p.region).unwrap_or(Region::UnitedStates);
        let presentment = match region {
            Region::UnitedStates => Currency::Usd,
            Region::Canada if rng.gen_bool(0.85) => Currency::Cad,
            Region::Canada => Currency::Usd,
            Region::Europe => Currency::Eur,
        };

        // What: 1–5 lines.
        let line_count = match rng.gen_range(0..100u32) {
            0..=44 => 1,
            45..=74 => 2,
            75..=87 => 3,
            88..=95 => 4,
            _ => 5,
        };
        let mut lines = Vec::with_capacity(line_count);
        for _ in 0..line_count {
            let product_index = rng.gen_range(0..PRODUCTS.len());
            let product = &PRODUCTS[product_index];
            let variant = if product.variants.is_empty() {
                0
            } else {
                rng.gen_range(0..product.variants.len())
            };
            let quantity = match rng.gen_range(0..100u32) {
                0..=79 => 1,
                80..=94 => 2,
                _ => 3,
            };
            let unit_cents = product.variant_price_cents(variant);
            self.next_line += 1;
            lines.push(LineItem {
                id: self.params.line_item_id_base + self.next_line * 10 + rng.gen_range(0..10u64),
                product: product_index as u16,
                variant: variant as u8,
                quantity,
                unit_cents,
                unit_presentment_cents: presentment.convert_from_usd(unit_cents),
                shipped_by_writes: 0,
            });
        }

        let subtotal: i64 = lines.iter().map(LineItem::total_cents).sum();
        let discounts = match rng.gen_range(0..100u32) {
            0..=9 => percent(subtotal, 10),
            10..=14 => percent(subtotal, 15),
            15..=19 => 500.min(subtotal),
            _ => 0,
        };
        let shipping = match ship_to {
            None => 0,
            Some(_) if subtotal - discounts >= 7500 => 0,
            Some(_) => [499, 799, 1250][rng.gen_range(0..3)],
        };
        let tax_bps = ship_to
            .and_then(|p| self.people.get(p))
            .map(|p| tax_bps(p.address.place.country_code, p.address.place.province_code))
            .unwrap_or(800);
        let tax = (((subtotal - discounts) * tax_bps) + 5_000) / 10_000;
        let mut shop_money = Amounts {
            subtotal,
            tax,
            shipping,
            discounts,
            refunded: 0,
        };
        let mut presentment_money = Amounts {
            subtotal: lines.iter().map(LineItem::total_presentment_cents).sum(),
            tax: presentment.convert_from_usd(tax),
            shipping: presentment.convert_from_usd(shipping),
            discounts: presentment.convert_from_usd(discounts),
            refunded: 0,
        };

        // What happened next.
        let age = anchor - created_at;
        // A later event that would fall after the end of history happened at
        // some point before it instead (never all at the anchor instant).
        let later = |rng: &mut StdRng, delay: std::ops::Range<i64>| {
            let t = created_at + rng.gen_range(delay);
            if t <= anchor {
                t
            } else {
                created_at + rng.gen_range(0..=(anchor - created_at).max(0))
            }
        };
        let fate = rng.gen_range(0..1000u32);
        let mut cancelled_at = None;
        let mut closed_at = None;
        let mut note = None;
        let financial;
        let fulfillment;
        let updated_at;
        match fate {
            0..=29 => {
                let at = later(rng, 600..3 * DAY);
                cancelled_at = Some(at);
                closed_at = Some(at);
                if rng.gen_bool(0.4) {
                    financial = FinancialStatus::Voided;
                } else {
                    financial = FinancialStatus::Refunded;
                    shop_money.refunded = shop_money.total();
                    presentment_money.refunded = presentment_money.total();
                }
                fulfillment = if rng.gen_bool(0.3) {
                    FulfillmentStatus::Restocked
                } else {
                    FulfillmentStatus::Unfulfilled
                };
                updated_at = (at + rng.gen_range(0..120)).min(anchor).max(at);
            }
            30..=79 => {
                let at = later(rng, 2 * DAY..45 * DAY);
                if fate < 50 {
                    financial = FinancialStatus::Refunded;
                    shop_money.refunded = shop_money.total();
                    presentment_money.refunded = presentment_money.total();
                } else {
                    financial = FinancialStatus::PartiallyRefunded;
                    let cheapest = lines.iter().map(LineItem::total_cents).min().unwrap_or(0);
                    let amount = if cheapest >= shop_money.total() {
                        shop_money.total() / 2
                    } else {
                        cheapest
                    };
                    shop_money.refunded = amount;
                    presentment_money.refunded = presentment
                        .convert_from_usd(amount)
                        .min(presentment_money.total());
                }
                fulfillment = FulfillmentStatus::Fulfilled;
                updated_at = at;
            }
            _ => {
                financial = match rng.gen_range(0..1000u32) {
                    0..=24 => FinancialStatus::Pending,
                    25..=59 => FinancialStatus::Authorized,
                    60..=69 => FinancialStatus::PartiallyPaid,
                    _ => FinancialStatus::Paid,
                };
                let settled = financial == FinancialStatus::Paid;
                fulfillment = if !settled || (age < 2 * DAY && rng.gen_bool(0.7)) {
                    FulfillmentStatus::Unfulfilled
                } else {
                    match rng.gen_range(0..100u32) {
                        0..=1 => FulfillmentStatus::PartiallyFulfilled,
                        2..=3 => FulfillmentStatus::Unfulfilled,
                        4 => FulfillmentStatus::OnHold,
                        _ => FulfillmentStatus::Fulfilled,
                    }
                };
                // ~10% of orders are edited well after they were placed.
                updated_at = if fate < 180 {
                    note = Some(NOTES[rng.gen_range(0..NOTES.len())]);
                    later(rng, DAY..120 * DAY)
                } else {
                    later(rng, 60..2 * DAY)
                };
                if settled && fulfillment == FulfillmentStatus::Fulfilled && rng.gen_bool(0.6) {
                    closed_at = Some(later(rng, HOUR..3 * DAY).min(updated_at));
                }
            }
        }
        if note.is_none() && rng.gen_range(0..100u32) < 5 {
            note = Some(NOTES[rng.gen_range(0..NOTES.len())]);
        }
        let mut tags = 0u8;
        for _ in 0..[0, 0, 0, 0, 0, 0, 0, 1, 1, 2][rng.gen_range(0..10usize)] {
            tags |= 1 << rng.gen_range(0..TAGS.len());
        }

        Order {
            id,
            number,
            created_at,
            updated_at,
            processed_at: created_at,
            cancelled_at,
            closed_at,
            customer,
            email,
            ship_to,
            presentment,
            shop_money,
            presentment_money,
            financial,
            fulfillment,
            note,
            tags,
            lines,
            set_status: None,
        }
    }
}

fn percent(cents: i64, pct: i64) -> i64 {
    (cents * pct + 50) / 100
}

/// Sales tax in basis points for a destination; a plausible, fixed table.
fn tax_bps(country: &str, province: &str) -> i64 {
    match (country, province) {
        ("US", "OR") => 0,
        ("US", "TX") => 825,
        ("US", "NY") => 888,
        ("US", "CO") => 290,
        ("US", "IL") => 1025,
        ("US", "WA") => 1025,
        ("US", "CA") => 1025,
        ("US", "NC") => 700,
        ("US", "WI") => 550,
        ("US", "VT") => 600,
        ("CA", "ON") => 1300,
        ("CA", "BC") => 1200,
        ("CA", "QC") => 1498,
        ("CA", "NS") => 1400,
        ("DE", _) => 1900,
        ("FR", _) => 2000,
        ("IE", _) => 2300,
        ("NL", _) => 2100,
        _ => 800,
    }
}
