//! One shop's orders, kept sorted for every supported sort key.
//!
//! Orders live in a `Vec` in creation order; three index vectors hold their
//! positions sorted by (updatedAt, id), (createdAt, id) and (id). A page
//! request binary-searches the right index for its cursor and reads only the
//! page. A live edit moves one order within the `updatedAt` index.

use rand::rngs::StdRng;
use rand::seq::index::sample;

use super::paging::{self, CursorValue, PageArgs, Slice};
use super::search::Search;
use crate::data::orders::Order;
use crate::people::People;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum SortKey {
    UpdatedAt,
    CreatedAt,
    ProcessedAt,
    Id,
    OrderNumber,
}

impl SortKey {
    pub(crate) fn parse(s: &str) -> Option<SortKey> {
        Some(match s {
            "UPDATED_AT" => SortKey::UpdatedAt,
            "CREATED_AT" => SortKey::CreatedAt,
            "PROCESSED_AT" => SortKey::ProcessedAt,
            "ID" => SortKey::Id,
            "ORDER_NUMBER" => SortKey::OrderNumber,
            _ => return None,
        })
    }

    /// (sort value, id): ties on the value are broken by id.
    pub(crate) fn key(self, o: &Order) -> (i64, u64) {
        let value = match self {
            SortKey::UpdatedAt => o.updated_at,
            SortKey::CreatedAt => o.created_at,
            SortKey::ProcessedAt => o.processed_at,
            SortKey::Id => i64::try_from(o.id).unwrap_or(i64::MAX),
            SortKey::OrderNumber => i64::from(o.number),
        };
        (value, o.id)
    }

    pub(crate) fn cursor_value(self) -> CursorValue {
        match self {
            SortKey::UpdatedAt | SortKey::CreatedAt | SortKey::ProcessedAt => CursorValue::Time,
            SortKey::Id | SortKey::OrderNumber => CursorValue::Number,
        }
    }
}

pub(crate) struct OrderBook {
    orders: Vec<Order>,
    by_updated: Vec<u32>,
    by_created: Vec<u32>,
    by_id: Vec<u32>,
}

/// One page of orders: positions into the book, with their cursors.
pub(crate) struct OrderPage {
    pub orders: Vec<(u32, String)>,
    pub has_next: bool,
    pub has_previous: bool,
}

impl OrderBook {
    pub(crate) fn new(orders: Vec<Order>) -> OrderBook {
        let all: Vec<u32> = (0..u32::try_from(orders.len()).unwrap_or(u32::MAX)).collect();
        let sorted = |key: SortKey| {
            let mut index = all.clone();
            index.sort_unstable_by_key(|&i| key.key(&orders[i as usize]));
            index
        };
        OrderBook {
            by_updated: sorted(SortKey::UpdatedAt),
            by_created: sorted(SortKey::CreatedAt),
            by_id: sorted(SortKey::Id),
            orders,
        }
    }

    pub(crate) fn len(&self) -> usize {
        self.orders.len()
    }

    pub(crate) fn get(&self, position: u32) -> Option<&Order> {
        self.orders.get(position as usize)
    }

    fn index(&self, key: SortKey) -> &[u32] {
        match key {
            SortKey::UpdatedAt => &self.by_updated,
            // processedAt equals createdAt for every generated order.
            SortKey::CreatedAt | SortKey::ProcessedAt => &self.by_created,
            // Order numbers rise with ids.
            SortKey::Id | SortKey::OrderNumber => &self.by_id,
        }
    }

    /// Orders sorted by (updatedAt, id): the order an incremental sync sees them in.
    pub(crate) fn by_updated(&self) -> impl Iterator<Item = &Order> {
        self.by_updated.iter().map(|&i| &self.orders[i as usize])
    }

    pub(crate) fn find(&self, id: u64) -> Option<&Order> {
        let i = self
            .by_id
            .binary_search_by_key(&id, |&i| self.orders[i as usize].id)
            .ok()?;
        self.orders.get(self.by_id[i] as usize)
    }

    pub(crate) fn page(
        &self,
        sort: SortKey,
        args: &PageArgs,
        search: &Search,
        people: &People,
    ) -> OrderPage {
        let index = self.index(sort);
        let order_at = |i: usize| &self.orders[index[i] as usize];
        // A range filter on the sort field narrows the binary-searched window.
        let range = match sort {
            SortKey::UpdatedAt => search.updated,
            SortKey::CreatedAt | SortKey::ProcessedAt => search.created,
            SortKey::Id => search.id,
            SortKey::OrderNumber => Default::default(),
        };
        let Slice {
            positions,
            has_next,
            has_previous,
        } = paging::paginate(
            index.len(),
            |i| sort.key(order_at(i)),
            |i| search.matches(order_at(i), people),
            (range.lo, range.hi),
            args,
        );
        let orders = positions
            .into_iter()
            .map(|i| {
                let order = order_at(i);
                let (value, id) = sort.key(order);
                (
                    index[i],
                    paging::encode_cursor(sort.cursor_value(), value, id),
                )
            })
            .collect();
        OrderPage {
            orders,
            has_next,
            has_previous,
        }
    }

    /// Applies a live edit to `n` distinct orders (refund or note change, see
    /// [`Order::apply_live_edit`]) at time `at`, keeping the updatedAt index
    /// sorted. Returns the edited orders' numeric ids.
    pub(crate) fn touch(&mut self, n: usize, at: i64, rng: &mut StdRng) -> Vec<u64> {
        let n = n.min(self.orders.len());
        // Never move an order backwards: edits always sort after everything
        // already synced, even if the machine clock is behind the history.
        let latest = self
            .by_updated
            .last()
            .map_or(at, |&i| self.orders[i as usize].updated_at);
        let at = at.max(latest + 1);
        let mut ids = Vec::with_capacity(n);
        for position in sample(rng, self.orders.len(), n).into_iter() {
            let position = u32::try_from(position).unwrap_or(u32::MAX);
            let Some(order) = self.orders.get(position as usize) else {
                continue;
            };
            let old_key = SortKey::UpdatedAt.key(order);
            if let Ok(slot) = self.by_updated.binary_search_by_key(&old_key, |&i| {
                SortKey::UpdatedAt.key(&self.orders[i as usize])
            }) {
                self.by_updated.remove(slot);
            }
            let order = &mut self.orders[position as usize];
            order.apply_live_edit(at);
            ids.push(order.id);
            let new_key = SortKey::UpdatedAt.key(order);
            let slot = self
                .by_updated
                .partition_point(|&i| SortKey::UpdatedAt.key(&self.orders[i as usize]) < new_key);
            self.by_updated.insert(slot, position);
        }
        ids
    }

    /// Changes the order `id` with `f` at time `at`, moving its updatedAt
    /// to `at` or just after the newest order (as [`OrderBook::touch`]
    /// does). Returns its position, or `None` for an unknown id.
    pub(crate) fn edit(&mut self, id: u64, at: i64, f: impl FnOnce(&mut Order)) -> Option<u32> {
        let slot = self
            .by_id
            .binary_search_by_key(&id, |&i| self.orders[i as usize].id)
            .ok()?;
        let position = self.by_id[slot];
        let latest = self
            .by_updated
            .last()
            .map_or(at, |&i| self.orders[i as usize].updated_at);
        let at = at.max(latest + 1);
        let old_key = SortKey::UpdatedAt.key(&self.orders[position as usize]);
        if let Ok(slot) = self.by_updated.binary_search_by_key(&old_key, |&i| {
            SortKey::UpdatedAt.key(&self.orders[i as usize])
        }) {
            self.by_updated.remove(slot);
        }
        let order = &mut self.orders[position as usize];
        f(order);
        order.updated_at = at.max(order.created_at);
        let new_key = SortKey::UpdatedAt.key(order);
        let slot = self
            .by_updated
            .partition_point(|&i| SortKey::UpdatedAt.key(&self.orders[i as usize]) < new_key);
        self.by_updated.insert(slot, position);
        Some(position)
    }
}
