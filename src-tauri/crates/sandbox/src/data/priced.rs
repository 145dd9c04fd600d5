//! An order's money in one store's currency, line by line.
//!
//! The generated history keeps amounts in USD (Shopify's shop money). A
//! BigCommerce store or WooCommerce site selling in another currency prices
//! the same basket natively: each unit price is converted once, and the
//! order's totals are rebuilt from converted components, so the platform
//! rules still hold exactly in that currency:
//! `subtotal = Σ unit × quantity` and
//! `total = subtotal + tax + shipping − discounts`.
//!
//! The order-level discount and tax are also split over lines
//! ([`allocate`]) for platforms that report them per line: the discount in
//! proportion to line subtotals, the tax in proportion to what each line
//! costs after its share of the discount (tax is charged on the discounted
//! price). Shipping is untaxed throughout the sandbox.

use super::ledger::Refund;
use super::money::{allocate, Currency};
use super::orders::{Amounts, Order};

/// One order priced in one currency.
#[derive(Clone, Debug)]
pub struct Priced {
    pub currency: Currency,
    /// Unit price of each line, in order.
    pub units: Vec<i64>,
    /// Each line's share of the order discount.
    pub line_discounts: Vec<i64>,
    /// Each line's share of the order tax.
    pub line_taxes: Vec<i64>,
    pub amounts: Amounts,
}

impl Priced {
    pub fn line_subtotal(&self, order: &Order, i: usize) -> i64 {
        let quantity = order.lines.get(i).map_or(0, |l| i64::from(l.quantity));
        self.units.get(i).copied().unwrap_or(0) * quantity
    }

    /// The line's subtotal less its share of the discount.
    pub fn line_total(&self, order: &Order, i: usize) -> i64 {
        self.line_subtotal(order, i) - self.line_discounts.get(i).copied().unwrap_or(0)
    }
}

fn convert_refunded(order: &Order, currency: Currency, usd_refunded: i64, total: i64) -> i64 {
    if usd_refunded >= order.shop_money.total() {
        total
    } else {
        currency.convert_from_usd(usd_refunded).min(total)
    }
}

/// Prices `order` in `currency`.
pub fn price(order: &Order, currency: Currency) -> Priced {
    let usd = &order.shop_money;
    let (units, amounts) = if currency == Currency::Usd {
        (order.lines.iter().map(|l| l.unit_cents).collect(), *usd)
    } else {
        let units: Vec<i64> = order
            .lines
            .iter()
            .map(|l| currency.convert_from_usd(l.unit_cents))
            .collect();
        let subtotal: i64 = units
            .iter()
            .zip(&order.lines)
            .map(|(u, l)| u * i64::from(l.quantity))
            .sum();
        let mut amounts = Amounts {
            subtotal,
            tax: currency.convert_from_usd(usd.tax),
            shipping: currency.convert_from_usd(usd.shipping),
            discounts: currency.convert_from_usd(usd.discounts).min(subtotal),
            refunded: 0,
        };
        amounts.refunded = convert_refunded(order, currency, usd.refunded, amounts.total());
        (units, amounts)
    };
    let subtotals: Vec<i64> = units
        .iter()
        .zip(&order.lines)
        .map(|(u, l)| u * i64::from(l.quantity))
        .collect();
    let line_discounts = allocate(amounts.discounts, &subtotals);
    let after_discount: Vec<i64> = subtotals
        .iter()
        .zip(&line_discounts)
        .map(|(s, d)| s - d)
        .collect();
    let line_taxes = allocate(amounts.tax, &after_discount);
    Priced {
        currency,
        units,
        line_discounts,
        line_taxes,
        amounts,
    }
}

/// Each refund's amount in `currency`. Refunds are converted cumulatively,
/// so they always add up to the order's converted `refunded` amount.
pub fn refunds_in(order: &Order, priced: &Priced, refunds: &[Refund]) -> Vec<i64> {
    let total = priced.amounts.total();
    let mut usd_so_far = 0;
    let mut converted_so_far = 0;
    refunds
        .iter()
        .map(|r| {
            usd_so_far += r.cents;
            let converted = if priced.currency == Currency::Usd {
                usd_so_far.min(total)
            } else {
                convert_refunded(order, priced.currency, usd_so_far, total)
            };
            let amount = converted - converted_so_far;
            converted_so_far = converted;
            amount
        })
        .collect()
}

/// The discount code behind an order's discount, as the generator applies
/// them: 10 % (`WELCOME10`), 15 % (`LOYAL15`) or a fixed $5 (`FIVEOFF`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Coupon {
    pub code: &'static str,
    /// `Some(10)` for a percentage coupon, `None` for a fixed amount.
    pub percent: Option<u8>,
}

/// The coupon an order used, if it has a discount.
pub fn coupon(order: &Order) -> Option<Coupon> {
    let money = &order.shop_money;
    if money.discounts == 0 {
        return None;
    }
    let pct = |p: i64| (money.subtotal * p + 50) / 100;
    Some(if money.discounts == pct(10) {
        Coupon {
            code: "WELCOME10",
            percent: Some(10),
        }
    } else if money.discounts == pct(15) {
        Coupon {
            code: "LOYAL15",
            percent: Some(15),
        }
    } else {
        Coupon {
            code: "FIVEOFF",
            percent: None,
        }
    })
}
