//! A shop counter's history, for the point-of-sale platforms (Lightspeed
//! X-Series and R-Series): sales rung up at a register, returns that are
//! sales of their own, and the customer records staff keep.
//!
//! It reshapes the neutral [`Order`]s the way a till sees them:
//! - every order is a sale at the counter ([`TillStatus`]): closed (paid),
//!   voided (cancelled), parked (saved, nothing paid), on account
//!   (authorized) or lay-by (partly paid). A shop ships nothing, so there
//!   is no shipping.
//! - Money back is a *return*: a sale of its own with negative quantities,
//!   pointing at the sale it returns (every line for a full refund, the
//!   cheapest line for a partial one), rung up when the refund happened. The
//!   returned sale changes then too (it now lists the return).
//! - A buyer with an account has one customer record, made just before
//!   their first sale, with the email as they spelled it on that sale (one
//!   in twelve gave none). A guest who gave an email at the counter gets a
//!   fresh record of their own half the time (so the same person can be on
//!   the books twice, as in real shops) and nothing otherwise; walk-ins have
//!   no customer.
//! - Every change (a sale rung up, a return, an edit, a new customer) takes
//!   the next number of one change sequence (`seq`), so "changed after N" is
//!   a cursor (X-Series' `version`), and `seq` order agrees with
//!   `updated_at` order.
//!
//! Money is re-priced in the shop's currency with the shop's own sales tax
//! ([`pos_tax_bps`]), per unit and in whole cents, so every line and sale
//! adds up exactly: see [`TillLine`] and [`TillMoney`].

use std::collections::HashMap;

use rand::rngs::StdRng;
use rand::seq::index::sample;

use super::money::Currency;
use super::orders::{FinancialStatus, Order, LIVE_EDIT_NOTE};
use super::priced::price;
use crate::people::EmailVariant;

/// What became of a sale at the counter.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TillStatus {
    Closed,
    Voided,
    Parked,
    OnAccount,
    Layby,
}

impl TillStatus {
    fn of(o: &Order) -> TillStatus {
        if o.cancelled_at.is_some() {
            return TillStatus::Voided;
        }
        match o.financial {
            FinancialStatus::Pending => TillStatus::Parked,
            FinancialStatus::Authorized => TillStatus::OnAccount,
            FinancialStatus::PartiallyPaid => TillStatus::Layby,
            _ => TillStatus::Closed,
        }
    }
}

/// One sale (or return) as the till keeps it.
#[derive(Clone, Debug)]
pub struct TillSale {
    /// Index into [`Till::orders`]: the basket behind this sale.
    pub order: u32,
    /// For a return: the index of the sale whose lines come back.
    pub return_for: Option<u32>,
    /// Which of the order's lines this sale carries (all, for a sale).
    pub lines: Vec<u8>,
    pub status: TillStatus,
    pub created_at: i64,
    pub updated_at: i64,
    /// Position in the change sequence (see the module docs).
    pub seq: u64,
    /// Index into [`Till::customers`].
    pub customer: Option<u32>,
    pub note: Option<&'static str>,
    /// Indexes of this sale's returns, oldest first.
    pub returns: Vec<u32>,
    /// Lines are numbered across the shop from 1; this sale's are
    /// `first_line..first_line + lines.len()`.
    pub first_line: u64,
    /// The platform status an app's write last set, where [`TillStatus`]
    /// can't tell it apart (O-Series' `ACCEPTED` or `ON_HOLD` on an order
    /// with nothing paid); `None` shows the status derived from the till.
    pub label: Option<&'static str>,
}

/// A customer record at the shop.
#[derive(Clone, Debug)]
pub struct TillCustomer {
    pub person: u32,
    /// How the email on file is spelled; `None` when none was given.
    pub email: Option<EmailVariant>,
    pub created_at: i64,
    pub updated_at: i64,
    pub seq: u64,
}

/// One line of a sale, per unit, in the shop's currency. A return's lines
/// have negative quantities and the same (positive) unit amounts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TillLine {
    /// Index into the order's lines.
    pub index: u8,
    pub quantity: i64,
    /// The shelf price, before discount and tax.
    pub unit_list: i64,
    pub unit_discount: i64,
    /// `unit_list − unit_discount`: what one unit sells for before tax.
    pub unit_price: i64,
    pub unit_tax: i64,
    pub unit_cost: i64,
}

impl TillLine {
    pub fn subtotal(&self) -> i64 {
        self.unit_list * self.quantity
    }

    pub fn discount(&self) -> i64 {
        self.unit_discount * self.quantity
    }

    /// Before tax, after discount.
    pub fn total(&self) -> i64 {
        self.unit_price * self.quantity
    }

    pub fn tax(&self) -> i64 {
        self.unit_tax * self.quantity
    }

    pub fn cost(&self) -> i64 {
        self.unit_cost * self.quantity
    }
}

/// A sale's money: `subtotal − discount = total_ex`, `total_ex + tax = total`,
/// each the sum of its lines'.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TillMoney {
    pub lines: Vec<TillLine>,
    pub tax_bps: i64,
    /// What was paid (negative for a return: money given back).
    pub paid: i64,
}

impl TillMoney {
    pub fn subtotal(&self) -> i64 {
        self.lines.iter().map(TillLine::subtotal).sum()
    }

    pub fn discount(&self) -> i64 {
        self.lines.iter().map(TillLine::discount).sum()
    }

    pub fn total_ex(&self) -> i64 {
        self.lines.iter().map(TillLine::total).sum()
    }

    pub fn tax(&self) -> i64 {
        self.lines.iter().map(TillLine::tax).sum()
    }

    pub fn total(&self) -> i64 {
        self.total_ex() + self.tax()
    }

    pub fn cost(&self) -> i64 {
        self.lines.iter().map(TillLine::cost).sum()
    }
}

/// The shop's sales tax in basis points: New Zealand's 15 % GST,
/// Australia's 10 % GST, Ontario's 13 % HST, a flat 8 % US sales tax, a
/// 20 % VAT and Switzerland's 8.1 % VAT.
pub fn pos_tax_bps(currency: Currency) -> i64 {
    match currency {
        Currency::Nzd => 1_500,
        Currency::Aud => 1_000,
        Currency::Cad => 1_300,
        Currency::Usd => 800,
        Currency::Eur => 2_000,
        Currency::Chf => 810,
    }
}

/// A shop's sales, returns and customers.
pub struct Till {
    pub orders: Vec<Order>,
    /// Ascending by `created_at`: a platform numbers them in this order.
    sales: Vec<TillSale>,
    /// Ascending by `created_at`.
    customers: Vec<TillCustomer>,
    sales_by_seq: Vec<u32>,
    customers_by_seq: Vec<u32>,
    next_seq: u64,
    next_line: u64,
}

fn index(i: usize) -> u32 {
    u32::try_from(i).unwrap_or(u32::MAX)
}

/// The order line a partial refund gives back: the cheapest.
fn cheapest_line(o: &Order) -> u8 {
    o.lines
        .iter()
        .enumerate()
        .min_by_key(|(_, l)| l.total_cents())
        .map_or(0, |(i, _)| u8::try_from(i).unwrap_or(0))
}

fn all_lines(o: &Order) -> Vec<u8> {
    (0..o.lines.len())
        .map(|i| u8::try_from(i).unwrap_or(u8::MAX))
        .collect()
}

impl Till {
    /// `orders` as [`super::orders::generate`] makes them (ascending by
    /// creation).
    pub fn new(orders: Vec<Order>) -> Till {
        let mut sales: Vec<TillSale> = Vec::with_capacity(orders.len() + orders.len() / 16);
        for (i, o) in orders.iter().enumerate() {
            let status = TillStatus::of(o);
            let updated_at = match status {
                TillStatus::Voided => o.cancelled_at.unwrap_or(o.updated_at),
                TillStatus::Closed if o.note.is_some() => o.updated_at,
                // Rung up and done: the record is saved a few seconds later.
                TillStatus::Closed => o.created_at + 5 + i64::try_from(o.id % 40).unwrap_or(0),
                _ => o.updated_at,
            };
            sales.push(TillSale {
                order: index(i),
                return_for: None,
                lines: all_lines(o),
                status,
                created_at: o.created_at,
                updated_at: updated_at.max(o.created_at),
                seq: 0,
                customer: None,
                note: o.note,
                returns: Vec::new(),
                first_line: 0,
                label: None,
            });
        }
        for (i, o) in orders.iter().enumerate() {
            if sales[i].status != TillStatus::Closed || o.shop_money.refunded == 0 {
                continue;
            }
            let at = o.updated_at.max(o.created_at + 60);
            let lines = if o.financial == FinancialStatus::Refunded {
                all_lines(o)
            } else {
                vec![cheapest_line(o)]
            };
            let position = index(sales.len());
            sales.push(TillSale {
                order: index(i),
                return_for: Some(index(i)),
                lines,
                status: TillStatus::Closed,
                created_at: at,
                updated_at: at,
                seq: 0,
                customer: None,
                note: None,
                returns: Vec::new(),
                first_line: 0,
                label: None,
            });
            sales[i].returns.push(position);
            sales[i].updated_at = sales[i].updated_at.max(at);
        }
        let sales = sort_by_creation(sales);
        let mut till = Till {
            orders,
            sales,
            customers: Vec::new(),
            sales_by_seq: Vec::new(),
            customers_by_seq: Vec::new(),
            next_seq: 1,
            next_line: 1,
        };
        for sale in &mut till.sales {
            sale.first_line = till.next_line;
            till.next_line += sale.lines.len() as u64;
        }
        till.attach_customers();
        till.number_changes();
        till
    }

    /// Gives each sale its customer record, creating records as buyers first
    /// appear (see the module docs).
    fn attach_customers(&mut self) {
        let mut by_person: HashMap<u32, u32> = HashMap::new();
        for i in 0..self.sales.len() {
            let sale = &self.sales[i];
            let customer = match sale.return_for {
                Some(of) => self.sales.get(of as usize).and_then(|s| s.customer),
                None => {
                    let Some(o) = self.orders.get(sale.order as usize) else {
                        continue;
                    };
                    let at = sale.created_at - 60;
                    match (o.customer, o.email) {
                        (Some(p), email) => Some(*by_person.entry(p).or_insert_with(|| {
                            let spelled = email.map(|(_, v)| v).filter(|_| p % 12 != 0);
                            push_customer(&mut self.customers, p, spelled, at)
                        })),
                        (None, Some((p, v))) if o.id % 2 == 0 => {
                            Some(push_customer(&mut self.customers, p, Some(v), at))
                        }
                        _ => None,
                    }
                }
            };
            self.sales[i].customer = customer;
        }
    }

    /// Numbers every record in the change sequence, by `updated_at`
    /// (customers before the sale they were made for).
    fn number_changes(&mut self) {
        let mut changes: Vec<(i64, u8, u32)> = self
            .customers
            .iter()
            .enumerate()
            .map(|(i, c)| (c.updated_at, 0, index(i)))
            .chain(
                self.sales
                    .iter()
                    .enumerate()
                    .map(|(i, s)| (s.updated_at, 1, index(i))),
            )
            .collect();
        changes.sort_unstable();
        for (_, kind, i) in changes {
            let seq = self.next_seq;
            self.next_seq += 1;
            if kind == 0 {
                if let Some(c) = self.customers.get_mut(i as usize) {
                    c.seq = seq;
                    self.customers_by_seq.push(i);
                }
            } else if let Some(s) = self.sales.get_mut(i as usize) {
                s.seq = seq;
                self.sales_by_seq.push(i);
            }
        }
    }

    pub fn sales(&self) -> &[TillSale] {
        &self.sales
    }

    pub fn customers(&self) -> &[TillCustomer] {
        &self.customers
    }

    /// Sale indexes, ascending by `seq` (and so by `updated_at`).
    pub fn sales_by_seq(&self) -> &[u32] {
        &self.sales_by_seq
    }

    /// Customer indexes, ascending by `seq`.
    pub fn customers_by_seq(&self) -> &[u32] {
        &self.customers_by_seq
    }

    pub fn order_of(&self, sale: &TillSale) -> Option<&Order> {
        self.orders.get(sale.order as usize)
    }

    /// The latest `updated_at` of anything in the till.
    fn latest(&self) -> i64 {
        let sale = self
            .sales_by_seq
            .last()
            .and_then(|&i| self.sales.get(i as usize))
            .map_or(i64::MIN, |s| s.updated_at);
        let customer = self
            .customers_by_seq
            .last()
            .and_then(|&i| self.customers.get(i as usize))
            .map_or(i64::MIN, |c| c.updated_at);
        sale.max(customer)
    }

    /// Moves sale `i` to the end of the change sequence at time `at`.
    fn bump(&mut self, i: u32, at: i64) {
        let Some(old_seq) = self.sales.get(i as usize).map(|s| s.seq) else {
            return;
        };
        if let Ok(slot) = self
            .sales_by_seq
            .binary_search_by_key(&old_seq, |&j| self.sales[j as usize].seq)
        {
            self.sales_by_seq.remove(slot);
        }
        let seq = self.next_seq;
        self.next_seq += 1;
        let sale = &mut self.sales[i as usize];
        sale.seq = seq;
        sale.updated_at = at;
        self.sales_by_seq.push(i);
    }

    /// Changes `n` distinct sales at time `at` (or just after the latest
    /// change, whichever is later): a closed sale with nothing returned yet
    /// gets a return of its first line (a new sale), anything else a note
    /// edit. Returns the indexes of every sale changed or created, in the
    /// order of the change sequence.
    pub fn touch(&mut self, n: usize, at: i64, rng: &mut StdRng) -> Vec<u32> {
        let count = self.sales.len();
        let n = n.min(count);
        let at = at.max(self.latest().saturating_add(1));
        let mut changed = Vec::with_capacity(n * 2);
        for position in sample(rng, count, n) {
            let i = index(position);
            let Some(sale) = self.sales.get(position) else {
                continue;
            };
            let returnable = sale.status == TillStatus::Closed
                && sale.return_for.is_none()
                && sale.returns.is_empty();
            match sale.lines.first().copied().filter(|_| returnable) {
                Some(line) => {
                    let ret = TillSale {
                        order: sale.order,
                        return_for: Some(i),
                        lines: vec![line],
                        status: TillStatus::Closed,
                        created_at: at,
                        updated_at: at,
                        seq: 0,
                        customer: sale.customer,
                        note: None,
                        returns: Vec::new(),
                        first_line: self.next_line,
                        label: None,
                    };
                    self.next_line += 1;
                    let new = index(self.sales.len());
                    self.sales.push(ret);
                    self.sales[position].returns.push(new);
                    self.bump(i, at);
                    self.bump(new, at);
                    changed.extend([i, new]);
                }
                None => {
                    self.sales[position].note = Some(LIVE_EDIT_NOTE);
                    self.bump(i, at);
                    changed.push(i);
                }
            }
        }
        changed
    }

    /// Edits sale `i` as staff would in the back office (its note becomes
    /// the support note) at `at`, or just after the latest change; returns
    /// false for an unknown sale. Nothing else about it changes.
    pub fn edit(&mut self, i: u32, at: i64) -> bool {
        if self.sales.get(i as usize).is_none() {
            return false;
        }
        let at = at.max(self.latest().saturating_add(1));
        self.sales[i as usize].note = Some(LIVE_EDIT_NOTE);
        self.bump(i, at);
        true
    }

    /// Applies an app's status write to sale `i` at `at` (or just after the
    /// latest change): its till status and the platform label shown, if any.
    pub fn set_status(&mut self, i: u32, status: TillStatus, label: Option<&'static str>, at: i64) {
        if self.sales.get(i as usize).is_none() {
            return;
        }
        let at = at.max(self.latest().saturating_add(1));
        let sale = &mut self.sales[i as usize];
        sale.status = status;
        sale.label = label;
        self.bump(i, at);
    }

    /// The sale's lines and totals in `currency`, taxed at `tax_bps`.
    pub fn money(&self, sale: &TillSale, currency: Currency, tax_bps: i64) -> TillMoney {
        let Some(order) = self.order_of(sale) else {
            return TillMoney {
                lines: Vec::new(),
                tax_bps,
                paid: 0,
            };
        };
        let priced = price(order, currency);
        let sign = if sale.return_for.is_some() { -1 } else { 1 };
        let lines: Vec<TillLine> = sale
            .lines
            .iter()
            .filter_map(|&l| {
                let i = usize::from(l);
                let line = order.lines.get(i)?;
                let quantity = i64::from(line.quantity);
                let unit_list = priced.units.get(i).copied().unwrap_or(0);
                let share = priced.line_discounts.get(i).copied().unwrap_or(0);
                let unit_discount = ((share + quantity / 2) / quantity.max(1)).clamp(0, unit_list);
                let unit_price = unit_list - unit_discount;
                Some(TillLine {
                    index: l,
                    quantity: sign * quantity,
                    unit_list,
                    unit_discount,
                    unit_price,
                    unit_tax: (unit_price * tax_bps + 5_000) / 10_000,
                    unit_cost: (unit_list * 48 + 50) / 100,
                })
            })
            .collect();
        let mut money = TillMoney {
            lines,
            tax_bps,
            paid: 0,
        };
        money.paid = match sale.status {
            TillStatus::Closed => money.total(),
            TillStatus::Layby => money.total() / 2,
            TillStatus::Voided | TillStatus::Parked | TillStatus::OnAccount => 0,
        };
        money
    }
}

fn push_customer(
    customers: &mut Vec<TillCustomer>,
    person: u32,
    email: Option<EmailVariant>,
    at: i64,
) -> u32 {
    customers.push(TillCustomer {
        person,
        email,
        created_at: at,
        updated_at: at,
        seq: 0,
    });
    index(customers.len() - 1)
}

/// Sorts sales by (created_at, sales before returns, order) and rewrites
/// the cross references to the new positions.
fn sort_by_creation(sales: Vec<TillSale>) -> Vec<TillSale> {
    let mut order: Vec<usize> = (0..sales.len()).collect();
    order.sort_by_key(|&i| {
        let s = &sales[i];
        (s.created_at, s.return_for.is_some(), s.order)
    });
    let mut new_of = vec![0u32; sales.len()];
    for (new, &old) in order.iter().enumerate() {
        new_of[old] = index(new);
    }
    let remap = |i: u32| new_of.get(i as usize).copied().unwrap_or(i);
    let mut slots: Vec<Option<TillSale>> = sales.into_iter().map(Some).collect();
    order
        .iter()
        .filter_map(|&old| slots[old].take())
        .map(|mut s| {
            s.return_for = s.return_for.map(remap);
            s.returns = s.returns.iter().map(|&r| remap(r)).collect();
            s
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use rand::SeedableRng;

    use super::*;
    use crate::data::clock;
    use crate::data::orders::{generate, GenerateParams};
    use crate::people::People;

    fn till(count: usize) -> Till {
        let people = People::generate(9, count / 4);
        let params = GenerateParams {
            seed: 99,
            count,
            anchor: clock::anchor_for_seed(9),
            order_id_base: 0,
            line_item_id_base: 0,
        };
        Till::new(generate(params, &people))
    }

    #[test]
    fn returns_point_back_and_sequences_follow_time() {
        let t = till(800);
        let returns: Vec<&TillSale> = t
            .sales()
            .iter()
            .filter(|s| s.return_for.is_some())
            .collect();
        assert!(returns.len() > 10, "refunds become returns");
        for (i, s) in t.sales().iter().enumerate() {
            for &r in &s.returns {
                assert_eq!(t.sales()[r as usize].return_for, Some(index(i)));
                assert!(t.sales()[r as usize].created_at >= s.created_at);
            }
        }
        assert!(t
            .sales()
            .windows(2)
            .all(|w| w[0].created_at <= w[1].created_at));
        let by_seq: Vec<(i64, u64)> = t
            .sales_by_seq()
            .iter()
            .map(|&i| (t.sales()[i as usize].updated_at, t.sales()[i as usize].seq))
            .collect();
        assert!(by_seq.windows(2).all(|w| w[0] < w[1]), "seq and time agree");
        let lines: u64 = t.sales().iter().map(|s| s.lines.len() as u64).sum();
        let last = t.sales().last().expect("sales");
        assert_eq!(last.first_line + last.lines.len() as u64 - 1, lines);
    }

    #[test]
    fn money_adds_up_and_returns_are_negative() {
        let t = till(400);
        for s in t.sales() {
            let m = t.money(s, Currency::Nzd, 1_500);
            assert_eq!(m.subtotal() - m.discount(), m.total_ex());
            assert_eq!(m.total_ex() + m.tax(), m.total());
            if s.return_for.is_some() {
                assert!(m.total() < 0 && m.paid == m.total());
            } else {
                assert!(m.total() > 0);
            }
        }
    }

    #[test]
    fn touching_returns_or_edits_and_moves_to_the_end() {
        let mut t = till(300);
        let before = t.sales().len();
        let max_seq = t.sales().iter().map(|s| s.seq).max().unwrap_or(0);
        let mut rng = StdRng::seed_from_u64(1);
        let changed = t.touch(20, 0, &mut rng);
        assert!(changed.len() >= 20);
        let created = t.sales().len() - before;
        assert_eq!(changed.len(), 20 + created);
        for &i in &changed {
            assert!(t.sales()[i as usize].seq > max_seq);
        }
        let tail: Vec<u32> = t.sales_by_seq()[t.sales_by_seq().len() - changed.len()..].to_vec();
        assert_eq!(tail, changed);
    }
}
