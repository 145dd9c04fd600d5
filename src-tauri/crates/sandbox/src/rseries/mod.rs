//! Lightspeed Retail R-Series, played on 127.0.0.1.
//!
//! `{base}rseries-auth/` stands in for the authorization server
//! `https://cloud.lightspeedapp.com/` and `{base}rseries/` for the API host
//! `https://api.lightspeedapp.com/` (channel-apis §6). Served: the consent
//! page `auth/oauth/authorize` and its decision, the token endpoint
//! `auth/oauth/token` (codes and rotating refresh tokens), and V3's
//! `API/V3/Account.json`, `Account/{accountID}/Sale.json`,
//! `Sale/{saleID}.json` (read, and `PUT` to void it: `writes`),
//! `Customer.json` and `Customer/{customerID}.json`, for
//! `Authorization: Bearer` access tokens that expire.
//!
//! `oauth` is the authorization flow, `query` reads relations, filters,
//! sorts and cursors, `shape` renders the JSON, `bucket` is the leaky-bucket
//! rate limit, `replies` holds the error bodies and every UNCONFIRMED fact,
//! `routes` is the HTTP layer.
//!
//! An account's history is a [`Till`]: sales (ids from 1, in creation
//! order), returns as sales with negative quantities, and customer records
//! (ids from 1). A sale's `timeStamp` is its last change, so
//! `timeStamp=>,{last sync}` brings back everything changed since. Each
//! account has one shop and one register and sells in one currency with its
//! sales tax.

pub(crate) mod bucket;
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

use self::bucket::Bucket;
use self::query::Relations;
use crate::config::CheckedAccount;
use crate::data::clock::{self, DAY};
use crate::data::money::Currency;
use crate::data::orders::{self, GenerateParams};
use crate::data::stream_seed;
use crate::data::till::Till;
use crate::locks::{lock, read, write};
use crate::people::People;

/// Mixed into the seed so R-Series accounts never share an order stream
/// with another platform's stores.
const SALT: u64 = 0x7273_6572_6965_7321;

/// The default access-token lifetime (UNCONFIRMED, see `replies`).
pub const ACCESS_TOKEN_LIFETIME: Duration = Duration::from_secs(3_600);

/// Scopes a token from `Sandbox::issue_rseries_token` carries.
pub(crate) const DEFAULT_SCOPES: &[&str] = &["employee:all"];

/// The name the consent page shows.
pub(crate) const PRODUCT: &str = "Retail (R-Series)";

/// One account's whole state.
pub(crate) struct Account {
    pub account_id: u64,
    pub name: String,
    pub currency: Currency,
    pub people: Arc<People>,
    pub till: RwLock<Till>,
    pub bucket: Mutex<Bucket>,
    touch_rng: Mutex<StdRng>,
}

impl Account {
    pub(crate) fn generate(
        account: &CheckedAccount,
        index: u64,
        seed: u64,
        order_count: usize,
        people: Arc<People>,
    ) -> Account {
        let stream = stream_seed(seed, SALT, index);
        let params = GenerateParams {
            seed: stream,
            count: order_count,
            anchor: clock::anchor_for_seed(seed),
            order_id_base: 0,
            line_item_id_base: 0,
        };
        let orders = orders::generate(params, &people);
        Account {
            account_id: account.account_id,
            name: account.name.clone(),
            currency: account.currency,
            people,
            till: RwLock::new(Till::new(orders)),
            bucket: Mutex::new(Bucket::default()),
            touch_rng: Mutex::new(StdRng::seed_from_u64(stream ^ 0x746f_7563_6821)),
        }
    }

    /// The `saleID` of sale `i`.
    pub(crate) fn sale_id(&self, i: u32) -> u64 {
        u64::from(i) + 1
    }

    /// The `customerID` of customer record `c`.
    pub(crate) fn customer_id(&self, c: u32) -> u64 {
        u64::from(c) + 1
    }

    /// The `contactID` of customer record `c` (the shop's own contact
    /// records come first).
    pub(crate) fn contact_id(&self, c: u32) -> u64 {
        u64::from(c) + 3
    }

    /// When the shop opened: a day before its first sale.
    pub(crate) fn opened_at(&self, till: &Till) -> i64 {
        till.sales()
            .first()
            .map_or_else(clock::now, |s| s.created_at)
            - DAY
    }

    /// Sale indexes sorted by (`timeStamp`, `saleID`).
    fn by_time(&self, till: &Till) -> Vec<u32> {
        let mut order: Vec<u32> = till.sales_by_seq().to_vec();
        order.sort_by_key(|&i| (till.sales().get(i as usize).map_or(0, |s| s.updated_at), i));
        order
    }

    /// Every sale with `SaleLines`, `Customer` and `Customer.Contact`,
    /// sorted by (`timeStamp`, `saleID`).
    pub(crate) fn sales_json(&self) -> Vec<Value> {
        let till = read(&self.till);
        self.by_time(&till)
            .into_iter()
            .filter_map(|i| shape::sale_json(self, &till, i, &Relations::TRUTH))
            .collect()
    }

    /// Every customer with its `Contact`, by `customerID`.
    pub(crate) fn customers_json(&self) -> Vec<Value> {
        let till = read(&self.till);
        (0..till.customers().len())
            .filter_map(|c| shape::customer_json(self, &till, u32::try_from(c).ok()?, true))
            .collect()
    }

    pub(crate) fn sale_count(&self) -> usize {
        read(&self.till).sales().len()
    }

    /// See [`Till::touch`]; returns the `saleID`s.
    pub(crate) fn touch(&self, n: usize) -> Vec<u64> {
        let mut rng = lock(&self.touch_rng);
        write(&self.till)
            .touch(n, clock::now(), &mut rng)
            .into_iter()
            .map(|i| self.sale_id(i))
            .collect()
    }
}
