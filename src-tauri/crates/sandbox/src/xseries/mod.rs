//! Lightspeed Retail X-Series (formerly Vend), played on 127.0.0.1.
//!
//! `{base}xseries/{domain_prefix}/` stands in for a retailer's own domain,
//! `https://{domain_prefix}.retail.lightspeed.app/` (legacy
//! `{domain_prefix}.vendhq.com`), and `{base}xseries-auth/` for the
//! authorization host `https://secure.retail.lightspeed.app/`
//! (channel-apis §5). Served: the consent page `xseries-auth/connect` and
//! its decision; each retailer's token endpoint `api/1.0/token`; and API
//! 2.0's `sales`, `sales/{id}`, `customers`, `customers/{id}`, `products`,
//! `products/{id}` and `outlets`, for `Authorization: Bearer` access tokens
//! that expire, with refresh tokens that rotate; and the dated API's sale
//! update `PUT api/2026-07/sales/{id}` (`writes`).
//!
//! `oauth` is the authorization flow, `paging` the version cursor, `shape`
//! the JSON, `ids` the UUIDs, `rate` the request limit, `replies` the error
//! bodies and every UNCONFIRMED fact, `routes` the HTTP layer.
//!
//! A retailer's history is a [`Till`] (sales, returns, customer records);
//! `version`s are the till's change sequence spread out with gaps, so they
//! rise with every change but never by a predictable step. Each retailer
//! has one outlet and one register, and sells in one currency with its
//! GST or sales tax. Products come before everything else in the version
//! sequence, then the outlet and the walk-in customer.

pub(crate) mod ids;
pub(crate) mod oauth;
pub(crate) mod paging;
pub(crate) mod rate;
pub(crate) mod replies;
pub(crate) mod routes;
pub(crate) mod shape;
pub(crate) mod writes;

use std::sync::{Arc, Mutex, RwLock};
use std::time::Duration;

use rand::rngs::StdRng;
use rand::SeedableRng;
use serde_json::Value;

use self::rate::RateWindow;
use crate::config::CheckedRetailer;
use crate::data::clock::{self, DAY};
use crate::data::money::Currency;
use crate::data::orders::{self, GenerateParams};
use crate::data::till::Till;
use crate::data::{mix64, stream_seed};
use crate::locks::{lock, read, write};
use crate::people::People;

/// Mixed into the seed so X-Series retailers never share an order stream
/// with another platform's stores.
const SALT: u64 = 0x7873_6572_6965_7321;

/// Versions of the first retailer start here (real ones are ~3 × 10¹⁰).
const VERSION_BASE: u64 = 30_648_000_000;

/// The default access-token lifetime (UNCONFIRMED, see `replies`).
pub const ACCESS_TOKEN_LIFETIME: Duration = Duration::from_secs(604_800);

/// Scopes a token from `Sandbox::issue_xseries_token` carries.
pub(crate) const DEFAULT_SCOPES: &[&str] = &["sales:read", "customers:read", "products:read"];

/// The name the consent page and the index show.
pub(crate) const PRODUCT: &str = "Retail (X-Series)";

/// One retailer's whole state.
pub(crate) struct Retailer {
    pub domain_prefix: String,
    pub index: u64,
    pub currency: Currency,
    pub people: Arc<People>,
    pub till: RwLock<Till>,
    pub rate: Mutex<RateWindow>,
    touch_rng: Mutex<StdRng>,
}

impl Retailer {
    pub(crate) fn generate(
        retailer: &CheckedRetailer,
        index: u64,
        seed: u64,
        order_count: usize,
        people: Arc<People>,
    ) -> Retailer {
        let stream = stream_seed(seed, SALT, index);
        let params = GenerateParams {
            seed: stream,
            count: order_count,
            anchor: clock::anchor_for_seed(seed),
            order_id_base: 0,
            line_item_id_base: 0,
        };
        let orders = orders::generate(params, &people);
        Retailer {
            domain_prefix: retailer.domain_prefix.clone(),
            index,
            currency: retailer.currency,
            people,
            till: RwLock::new(Till::new(orders)),
            rate: Mutex::new(RateWindow::default()),
            touch_rng: Mutex::new(StdRng::seed_from_u64(stream ^ 0x746f_7563_6821)),
        }
    }

    fn version_base(&self) -> u64 {
        VERSION_BASE + self.index * 1_000_000_000
    }

    /// The `version` of the record at position `seq` of the change
    /// sequence: strictly rising with `seq`, in uneven steps.
    pub(crate) fn version(&self, seq: u64) -> u64 {
        self.version_base() + seq * 64 + mix64(seq ^ (self.index << 32)) % 64
    }

    /// Products' versions: before everything else.
    pub(crate) fn product_version(&self, n: usize) -> u64 {
        self.version_base() - 10_000 + n as u64 * 7
    }

    pub(crate) fn outlet_version(&self) -> u64 {
        self.version_base() - 20_000
    }

    /// When the shop opened: a day before its first record.
    pub(crate) fn opened_at(&self, till: &Till) -> i64 {
        let first_sale = till.sales().first().map_or(i64::MAX, |s| s.created_at);
        let first_customer = till.customers().first().map_or(i64::MAX, |c| c.created_at);
        first_sale.min(first_customer).min(clock::now()) - DAY
    }

    /// Every sale, lowest version first.
    pub(crate) fn sales_json(&self) -> Vec<Value> {
        let till = read(&self.till);
        till.sales_by_seq()
            .iter()
            .filter_map(|&i| shape::sale_json(self, &till, i))
            .collect()
    }

    /// Every customer (the walk-in customer first), lowest version first.
    pub(crate) fn customers_json(&self) -> Vec<Value> {
        let till = read(&self.till);
        std::iter::once(None)
            .chain(till.customers_by_seq().iter().map(|&c| Some(c)))
            .filter_map(|c| shape::customer_json(self, &till, c))
            .collect()
    }

    pub(crate) fn sale_count(&self) -> usize {
        read(&self.till).sales().len()
    }

    /// See [`Till::touch`]; returns the sale ids.
    pub(crate) fn touch(&self, n: usize) -> Vec<String> {
        let mut rng = lock(&self.touch_rng);
        write(&self.till)
            .touch(n, clock::now(), &mut rng)
            .into_iter()
            .map(|i| shape::sale_id(self, i))
            .collect()
    }
}
