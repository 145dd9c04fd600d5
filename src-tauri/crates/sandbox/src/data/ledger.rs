//! One store's orders for the REST-style platforms (BigCommerce,
//! WooCommerce): the orders in id order, an index by (updated_at, id), and
//! each order's refunds as separate records.
//!
//! Ids ascend with creation time (the platforms number orders that way), so
//! the order list itself is the id index. Refunds are kept one record per
//! refund because WooCommerce lists them that way: a generated refunded
//! order has one refund, and every live edit that refunds more adds another
//! with a fresh id, as a merchant clicking "Refund" twice would.

use rand::rngs::StdRng;
use rand::seq::index::sample;

use super::orders::Order;

/// Why money went back, as a merchant types it.
const REASONS: &[&str] = &[
    "",
    "Customer changed their mind",
    "Item arrived damaged",
    "Wrong size",
    "",
];

/// The reason a cancellation's refund carries.
pub const CANCEL_REASON: &str = "Order cancelled";
/// The reason a live edit's refund carries.
pub const LIVE_REFUND_REASON: &str = "Refunded after sync";

/// One refund, in USD cents like the rest of the neutral history.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Refund {
    pub id: u64,
    pub cents: i64,
    pub at: i64,
    pub reason: &'static str,
}

pub struct Ledger {
    orders: Vec<Order>,
    by_updated: Vec<u32>,
    refunds: Vec<Vec<Refund>>,
    next_refund_id: u64,
}

fn updated_key(o: &Order) -> (i64, u64) {
    (o.updated_at, o.id)
}

impl Ledger {
    /// `orders` must ascend by id. Refund ids are handed out from
    /// `first_refund_id` upwards in the order the refunds happened.
    pub fn new(orders: Vec<Order>, first_refund_id: u64) -> Ledger {
        let mut by_updated: Vec<u32> =
            (0..u32::try_from(orders.len()).unwrap_or(u32::MAX)).collect();
        by_updated.sort_unstable_by_key(|&i| updated_key(&orders[i as usize]));
        let mut refunded: Vec<(i64, usize)> = orders
            .iter()
            .enumerate()
            .filter(|(_, o)| o.shop_money.refunded > 0)
            .map(|(i, o)| (o.cancelled_at.unwrap_or(o.updated_at), i))
            .collect();
        refunded.sort_unstable();
        let mut refunds = vec![Vec::new(); orders.len()];
        let mut next_refund_id = first_refund_id;
        for (at, i) in refunded {
            let order = &orders[i];
            let reason = if order.cancelled_at.is_some() {
                CANCEL_REASON
            } else {
                REASONS[(order.id % REASONS.len() as u64) as usize]
            };
            refunds[i].push(Refund {
                id: next_refund_id,
                cents: order.shop_money.refunded,
                at,
                reason,
            });
            next_refund_id += 1;
        }
        Ledger {
            orders,
            by_updated,
            refunds,
            next_refund_id,
        }
    }

    pub fn len(&self) -> usize {
        self.orders.len()
    }

    /// Positions (order indexes, ascending with the id), sorted by (updated_at, id).
    pub fn by_updated(&self) -> &[u32] {
        &self.by_updated
    }

    pub fn get(&self, position: u32) -> Option<&Order> {
        self.orders.get(position as usize)
    }

    /// The refunds of the order at `position`, oldest first.
    pub fn refunds(&self, position: u32) -> &[Refund] {
        self.refunds
            .get(position as usize)
            .map_or(&[][..], Vec::as_slice)
    }

    pub fn position(&self, id: u64) -> Option<u32> {
        let i = self.orders.binary_search_by_key(&id, |o| o.id).ok()?;
        u32::try_from(i).ok()
    }

    /// Applies a live edit to `n` distinct orders at time `at` (a refund or a
    /// note change, see [`Order::apply_live_edit`]), keeping the index sorted
    /// and recording any new refund. Edits always sort after everything
    /// already there. Returns the edited orders' ids.
    pub fn touch(&mut self, n: usize, at: i64, rng: &mut StdRng) -> Vec<u64> {
        let n = n.min(self.orders.len());
        let latest = self
            .by_updated
            .last()
            .map_or(at, |&i| self.orders[i as usize].updated_at);
        let at = at.max(latest + 1);
        let mut ids = Vec::with_capacity(n);
        for position in sample(rng, self.orders.len(), n) {
            let Some(order) = self.orders.get(position) else {
                continue;
            };
            let old_key = updated_key(order);
            if let Ok(slot) = self
                .by_updated
                .binary_search_by_key(&old_key, |&i| updated_key(&self.orders[i as usize]))
            {
                self.by_updated.remove(slot);
            }
            let order = &mut self.orders[position];
            let refunded_before = order.shop_money.refunded;
            order.apply_live_edit(at);
            let refunded_now = order.shop_money.refunded - refunded_before;
            ids.push(order.id);
            let new_key = updated_key(order);
            if refunded_now > 0 {
                self.refunds[position].push(Refund {
                    id: self.next_refund_id,
                    cents: refunded_now,
                    at,
                    reason: LIVE_REFUND_REASON,
                });
                self.next_refund_id += 1;
            }
            let slot = self
                .by_updated
                .partition_point(|&i| updated_key(&self.orders[i as usize]) < new_key);
            self.by_updated
                .insert(slot, u32::try_from(position).unwrap_or(u32::MAX));
        }
        ids
    }

    /// Applies a write to the order `id` at time `at` (`f` changes it), and
    /// moves its `updated_at` to `at` or just after the newest order, as
    /// [`Ledger::touch`] does, so an incremental read picks it up. Returns
    /// the order's position, or `None` for an unknown id (nothing changes).
    pub fn edit(&mut self, id: u64, at: i64, f: impl FnOnce(&mut Order)) -> Option<u32> {
        let position = self.position(id)?;
        let latest = self
            .by_updated
            .last()
            .map_or(at, |&i| self.orders[i as usize].updated_at);
        // Strictly after the newest, unless this order is the newest: then
        // `latest + 1` still sorts it last and keeps times unique.
        let at = at.max(latest + 1);
        let old_key = updated_key(&self.orders[position as usize]);
        if let Ok(slot) = self
            .by_updated
            .binary_search_by_key(&old_key, |&i| updated_key(&self.orders[i as usize]))
        {
            self.by_updated.remove(slot);
        }
        let order = &mut self.orders[position as usize];
        f(order);
        order.updated_at = at.max(order.created_at);
        let new_key = updated_key(order);
        let slot = self
            .by_updated
            .partition_point(|&i| updated_key(&self.orders[i as usize]) < new_key);
        self.by_updated.insert(slot, position);
        Some(position)
    }
}
