//! Lightspeed O-Series (Kounta), played on 127.0.0.1.
//!
//! `{base}oseries-auth/` stands in for the authorization page
//! `https://my.kounta.com/` and `{base}oseries/` for the API host
//! `https://api.kounta.com/` (channel-apis §8). Served: the consent page
//! `authorize` and its decision, the token endpoint `v1/token.json` (and
//! `v1/token`), `v1/companies/me.json`, and the orders lists
//! `v1/companies/{company_id}/…/orders[/{status}].json` with their
//! `created_*`/`updated_*`/`value_*` filters and `X-Page` paging, and one
//! order `v1/companies/{company_id}/orders/{id}.json` (read, and `PUT` to
//! change its status: `writes`), for `Authorization: Bearer` access tokens
//! that expire.
//!
//! `oauth` is the authorization flow, `query` reads the orders path and its
//! filters and picks a page, `shape` renders the JSON, `replies` holds the
//! error bodies, the rate limit and every UNCONFIRMED fact, `routes` is the
//! HTTP layer.
//!
//! A company's history is a [`Till`] (the shared shop-counter view of the
//! generated orders, so the same shoppers appear as on every other
//! platform): orders numbered in creation order, refunds as orders of their
//! own with negative quantities, customer records. Each order is rung up at
//! one of the company's sites (and that site's register); the company sells
//! in one currency with its sales tax, and writes times in its own zone.

pub(crate) mod oauth;
pub(crate) mod query;
pub(crate) mod replies;
pub(crate) mod routes;
pub(crate) mod shape;
pub(crate) mod writes;

use std::sync::{Arc, Mutex, RwLock};
use std::time::Duration;

use rand::rngs::StdRng;
use rand::SeedableRng;
use serde_json::Value;

use self::replies::Window;
use crate::config::{CheckedCompany, OSeriesSite};
use crate::data::clock;
use crate::data::money::Currency;
use crate::data::orders::{self, GenerateParams};
use crate::data::stream_seed;
use crate::data::till::Till;
use crate::locks::{lock, read, write};
use crate::people::People;

/// Mixed into the seed so O-Series companies never share an order stream
/// with another platform's stores.
const SALT: u64 = 0x6f73_6572_6965_7321;

/// The default access-token lifetime. UNCONFIRMED: Kounta does not document
/// it; an hour is what its OAuth server library issues by default (see
/// `replies`). Configurable through `SandboxConfig::oseries_token_lifetime`.
pub const ACCESS_TOKEN_LIFETIME: Duration = Duration::from_secs(3_600);

/// The name the consent page shows after "Lightspeed".
pub(crate) const PRODUCT: &str = "O-Series (Kounta)";

/// Order ids start above this (Kounta's are large integers, like
/// `93824701` in its docs).
const ORDER_ID_BASE: u64 = 93_800_000;
/// Order line ids start above this.
const LINE_ID_BASE: u64 = 37_864_000_000;
/// Customer ids start above this.
const CUSTOMER_ID_BASE: u64 = 3_800;

/// One company's whole state.
pub(crate) struct Company {
    pub company_id: u64,
    pub name: String,
    pub sites: Vec<OSeriesSite>,
    pub currency: Currency,
    pub people: Arc<People>,
    pub till: RwLock<Till>,
    pub window: Mutex<Window>,
    touch_rng: Mutex<StdRng>,
}

impl Company {
    pub(crate) fn generate(
        company: &CheckedCompany,
        index: u64,
        seed: u64,
        order_count: usize,
        people: Arc<People>,
    ) -> Company {
        let stream = stream_seed(seed, SALT, index);
        let params = GenerateParams {
            seed: stream,
            count: order_count,
            anchor: clock::anchor_for_seed(seed),
            order_id_base: 0,
            line_item_id_base: 0,
        };
        let orders = orders::generate(params, &people);
        Company {
            company_id: company.company_id,
            name: company.name.clone(),
            sites: company.sites.clone(),
            currency: company.currency,
            people,
            till: RwLock::new(Till::new(orders)),
            window: Mutex::new(Window::default()),
            touch_rng: Mutex::new(StdRng::seed_from_u64(stream ^ 0x746f_7563_6821)),
        }
    }

    /// The `id` of order (till sale) `i`.
    pub(crate) fn order_id(&self, i: u32) -> u64 {
        ORDER_ID_BASE + u64::from(i) + 1
    }

    /// The till sale behind an order `id`.
    pub(crate) fn order_index(&self, id: u64) -> Option<u32> {
        u32::try_from(id.checked_sub(ORDER_ID_BASE + 1)?).ok()
    }

    /// The `id` of the till's line number `n` (lines are numbered from 1).
    pub(crate) fn line_id(&self, n: u64) -> u64 {
        LINE_ID_BASE + n
    }

    /// The `id` of customer record `c`.
    pub(crate) fn customer_id(&self, c: u32) -> u64 {
        CUSTOMER_ID_BASE + u64::from(c) + 1
    }

    /// The site an order was rung up at: spread over the sites by the
    /// basket, so a refund happens where the sale did.
    pub(crate) fn site_of(&self, order: u32) -> &OSeriesSite {
        let n = self.sites.len().max(1);
        &self.sites[order as usize % n]
    }

    /// A site's register (one per site).
    pub(crate) fn register_id(&self, site: &OSeriesSite) -> u64 {
        site.site_id * 10 + 1
    }

    /// Every order as the API renders it, by `id` (the order the lists
    /// use).
    pub(crate) fn orders_json(&self) -> Vec<Value> {
        let till = read(&self.till);
        (0..till.sales().len())
            .filter_map(|i| shape::order_json(self, &till, u32::try_from(i).ok()?))
            .collect()
    }

    pub(crate) fn order_count(&self) -> usize {
        read(&self.till).sales().len()
    }

    /// See [`Till::touch`]; returns the order ids changed or created.
    pub(crate) fn touch(&self, n: usize) -> Vec<u64> {
        let mut rng = lock(&self.touch_rng);
        write(&self.till)
            .touch(n, clock::now(), &mut rng)
            .into_iter()
            .map(|i| self.order_id(i))
            .collect()
    }
}
