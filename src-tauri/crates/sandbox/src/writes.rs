//! The record of every write the sandbox's platforms accepted, and the
//! `Idempotency-Key` replay store, shared by the per-platform `writes`
//! modules (`woocommerce::writes`, `bigcommerce::writes`,
//! `shopify::writes`, and the Lightspeed lines' `xseries::writes`,
//! `rseries::writes`, `oseries::writes`).
//!
//! Counterline's outbox retries a write until it sees an answer, so a test
//! needs to count what actually *reached* the channel: one entry per write
//! a platform accepted and applied. Refused writes (401, 400, 404, 429,
//! `userErrors`) changed nothing on a real platform and are not recorded;
//! the outbox is expected to retry or give up on them.
//!
//! `Idempotency-Key` is **our convention, UNCONFIRMED for WooCommerce's and
//! BigCommerce's REST APIs, for Shopify's `fulfillmentCreate` and for the
//! Lightspeed X-, R- and O-Series sale and order updates**: none of
//! them documents the header (Shopify's `@idempotent` directive covers only
//! some inventory mutations, channel-apis §2.5). The sandbox honours it so
//! the outbox's retry-after-a-lost-answer path can be tested: a key seen
//! before for the same platform and account answers with the first
//! response, and applies and records nothing. Real platforms will apply a
//! retried write twice; the outbox must not rely on the header there.

use std::collections::HashMap;
use std::time::SystemTime;

use axum::http::HeaderMap;
use serde_json::Value;

/// Which platform took a write.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum WritePlatform {
    Shopify,
    BigCommerce,
    WooCommerce,
    /// Lightspeed X-Series: the account is the domain prefix.
    XSeries,
    /// Lightspeed R-Series: the account is the `accountID`.
    RSeries,
    /// Lightspeed O-Series (Kounta): the account is the company id.
    OSeries,
}

/// What a write did.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum WriteKind {
    /// An order status change (WooCommerce `status`, BigCommerce
    /// `status_id`, X-Series `state`, R-Series `voided`, O-Series `status`).
    Status,
    /// A BigCommerce shipment.
    Shipment,
    /// A Shopify fulfillment.
    Fulfillment,
    /// A Shopify `orderCancel`.
    Cancel,
}

/// One write a platform accepted and applied.
#[derive(Clone, Debug, PartialEq)]
pub struct ReceivedWrite {
    pub platform: WritePlatform,
    /// The shop domain, store hash or site host, as configured.
    pub account: String,
    /// The platform's order id: the number for BigCommerce, WooCommerce,
    /// R-Series (`saleID`) and O-Series, the `gid://shopify/Order/…` for
    /// Shopify, the sale's UUID for X-Series.
    pub order_id: String,
    pub kind: WriteKind,
    /// The request body as sent (for Shopify, the mutation's variables with
    /// the mutation name under `"mutation"`).
    pub body: Value,
    pub idempotency_key: Option<String>,
    pub at: SystemTime,
}

/// The first answer to a keyed write: HTTP status and JSON body.
#[derive(Clone, Debug)]
pub(crate) struct Replay {
    pub status: u16,
    pub body: Value,
}

#[derive(Default)]
pub(crate) struct Journal {
    received: Vec<ReceivedWrite>,
    replays: HashMap<(WritePlatform, String, String), Replay>,
}

/// The `Idempotency-Key` header, trimmed; `None` when absent or empty.
pub(crate) fn idempotency_key(headers: &HeaderMap) -> Option<String> {
    let key = headers.get("idempotency-key")?.to_str().ok()?.trim();
    (!key.is_empty()).then(|| key.to_owned())
}

impl Journal {
    /// The first answer to `key` on this platform and account, if any.
    /// Accounts compare case-insensitively, as hosts and hashes do.
    pub(crate) fn replay(
        &self,
        platform: WritePlatform,
        account: &str,
        key: Option<&str>,
    ) -> Option<Replay> {
        let key = key?;
        self.replays
            .get(&(platform, account.to_ascii_lowercase(), key.to_owned()))
            .cloned()
    }

    /// Records an applied write and, when it carried a key, its answer.
    pub(crate) fn record(&mut self, write: ReceivedWrite, status: u16, body: &Value) {
        if let Some(key) = &write.idempotency_key {
            self.replays.insert(
                (
                    write.platform,
                    write.account.to_ascii_lowercase(),
                    key.clone(),
                ),
                Replay {
                    status,
                    body: body.clone(),
                },
            );
        }
        self.received.push(write);
    }

    pub(crate) fn received(&self) -> Vec<ReceivedWrite> {
        self.received.clone()
    }

    /// Forgets the record, so a test starts counting afresh. The keys stay:
    /// they are the platform's memory, and a retry after the clear must
    /// still not apply twice.
    pub(crate) fn clear(&mut self) {
        self.received.clear();
    }
}

impl crate::Sandbox {
    /// Every write the platforms accepted and applied since start (or the
    /// last [`Sandbox::clear_received_writes`](crate::Sandbox::clear_received_writes)),
    /// oldest first. A write answered from an `Idempotency-Key` replay, or
    /// refused, is not here.
    pub fn received_writes(&self) -> Vec<ReceivedWrite> {
        crate::locks::lock(&self.shared.writes).received()
    }

    /// Forgets the received writes (not the idempotency keys: a retry of a
    /// write made before the clear still answers from its replay).
    pub fn clear_received_writes(&self) {
        crate::locks::lock(&self.shared.writes).clear();
    }
}

/// The note a remote edit leaves: the same staff/support note the
/// `touch_*` helpers write when there is nothing to refund.
const REMOTE_EDIT_NOTE: &str = crate::data::orders::LIVE_EDIT_NOTE;

impl crate::Sandbox {
    /// Edits one order in the platform's admin, as a merchant would after
    /// Counterline synced it, so a write queued against the old version
    /// meets a conflict: its note becomes the support note, and its
    /// `updatedAt` / `date_modified` / `updated_at` / `timeStamp` moves to
    /// now (or just after the newest change). Nothing is recorded as a
    /// received write. `order_id` is the number (`"1201"`), for Shopify
    /// the number or the `gid://shopify/Order/…`, for X-Series the sale's
    /// UUID. `account` is what [`ReceivedWrite::account`] names. Returns
    /// false for an unknown account or order.
    ///
    /// The `touch_*_orders(account, n)` helpers do the same to `n` random
    /// orders (with a refund when there is money to refund); use them for
    /// "some orders changed", and this when a test needs *that* order.
    pub fn edit_order_remotely(
        &self,
        platform: WritePlatform,
        account: &str,
        order_id: &str,
    ) -> bool {
        use crate::locks::write;
        let now = crate::data::clock::now();
        let edit = |o: &mut crate::data::orders::Order| o.note = Some(REMOTE_EDIT_NOTE);
        let shared = &self.shared;
        if platform == WritePlatform::XSeries {
            return shared.xseries_retailer(account).is_some_and(|r| {
                let found = crate::xseries::writes::sale_index(r, order_id);
                found.is_some_and(|i| write(&r.till).edit(i, now))
            });
        }
        let numeric = order_id
            .trim()
            .rsplit('/')
            .next()
            .and_then(|n| n.parse::<u64>().ok());
        let Some(id) = numeric else {
            return false;
        };
        match platform {
            WritePlatform::Shopify => shared
                .shopify_shop(account)
                .is_some_and(|s| write(&s.book).edit(id, now, edit).is_some()),
            WritePlatform::BigCommerce => shared
                .bigcommerce_store(account)
                .is_some_and(|s| write(&s.ledger).edit(id, now, edit).is_some()),
            WritePlatform::WooCommerce => shared
                .woocommerce_site(account)
                .is_some_and(|s| write(&s.ledger).edit(id, now, edit).is_some()),
            WritePlatform::RSeries => shared.rseries_account(account).is_some_and(|a| {
                let i = id.checked_sub(1).and_then(|i| u32::try_from(i).ok());
                i.is_some_and(|i| write(&a.till).edit(i, now))
            }),
            WritePlatform::OSeries => shared.oseries_company(account).is_some_and(|c| {
                c.order_index(id).is_some_and(|i| write(&c.till).edit(i, now))
            }),
            WritePlatform::XSeries => false,
        }
    }
}
