//! BigCommerce, played on 127.0.0.1.
//!
//! `{base}bigcommerce/` stands in for `https://api.bigcommerce.com/`, so a
//! store's v2 API is `{base}bigcommerce/stores/{store_hash}/v2/…`. Each
//! store is reached with a store-level API account (channel-apis §3.1): the
//! merchant pastes the store hash and access token, sent as `X-Auth-Token`.
//! Served: `GET orders` (filters, sort, page/limit), one order, its
//! `products`, `shipping_addresses` and `coupons` sub-resources,
//! `order_statuses`, `store` and `time`; and the writes `PUT orders/{id}`
//! (`status_id`) and `POST orders/{id}/shipments` (`writes`).
//!
//! `shape` renders BigCommerce's JSON, `statuses` holds the status table,
//! `query` reads the `orders` query
//! string, `rate` is the per-store request quota, `replies` holds the error
//! bodies and every UNCONFIRMED fact, `routes` is the HTTP layer.
//!
//! Stores sell in one currency each. Order ids start at 100 and line ids at
//! 1, both sequential per store, as on a fresh BigCommerce store; customer
//! ids are the store's own (person index + 1), so the same person has
//! different ids here and on Shopify and only the email ties them together.

pub(crate) mod query;
pub(crate) mod rate;
pub(crate) mod replies;
pub(crate) mod routes;
pub(crate) mod shape;
pub(crate) mod statuses;
pub(crate) mod writes;

use std::sync::{Arc, Mutex, RwLock};

use rand::rngs::StdRng;
use rand::SeedableRng;
use serde_json::Value;
use url::Url;

use self::rate::RateWindow;
use crate::data::clock;
use crate::data::ledger::Ledger;
use crate::data::money::Currency;
use crate::data::orders::{self, GenerateParams};
use crate::data::stream_seed;
use crate::locks::{lock, read, write};
use crate::people::People;
use crate::shopify::tokens::random_hex;

/// Mixed into the seed so BigCommerce stores never share a stream with
/// Shopify shops or WooCommerce sites.
const SALT: u64 = 0x6269_6763_6f6d_6d65;

/// The first order id of a store.
pub(crate) const FIRST_ORDER_ID: u64 = 100;

/// The store's API accounts: live access tokens, and every one ever issued.
#[derive(Default)]
pub(crate) struct Tokens {
    live: Vec<String>,
    issued: Vec<String>,
}

impl Tokens {
    pub(crate) fn check(&self, token: &str) -> bool {
        !token.is_empty() && self.live.iter().any(|t| t == token)
    }

    fn add(&mut self, token: String) {
        self.live.push(token.clone());
        self.issued.push(token);
    }
}

/// One store's whole state.
pub(crate) struct Store {
    pub hash: String,
    pub index: u64,
    pub currency: Currency,
    pub people: Arc<People>,
    pub ledger: RwLock<Ledger>,
    pub tokens: Mutex<Tokens>,
    pub rate: Mutex<RateWindow>,
    /// Shipments created through the API. Lock after `ledger`, never before.
    pub shipments: Mutex<writes::Shipments>,
    touch_rng: Mutex<StdRng>,
}

impl Store {
    pub(crate) fn generate(
        hash: &str,
        index: u64,
        seed: u64,
        order_count: usize,
        currency: Currency,
        token: &str,
        people: Arc<People>,
    ) -> Store {
        let stream = stream_seed(seed, SALT, index);
        let params = GenerateParams {
            seed: stream,
            count: order_count,
            anchor: clock::anchor_for_seed(seed),
            order_id_base: 0,
            line_item_id_base: 0,
        };
        let mut orders = orders::generate(params, &people);
        // Sequential ids, as a store numbers its orders and order products.
        let mut next_line = 1;
        for (i, order) in orders.iter_mut().enumerate() {
            order.id = FIRST_ORDER_ID + i as u64;
            for line in &mut order.lines {
                line.id = next_line;
                next_line += 1;
            }
        }
        let mut tokens = Tokens::default();
        tokens.add(token.to_owned());
        Store {
            hash: hash.to_owned(),
            index,
            currency,
            people,
            ledger: RwLock::new(Ledger::new(orders, 1)),
            tokens: Mutex::new(tokens),
            rate: Mutex::new(RateWindow::default()),
            shipments: Mutex::new(writes::Shipments::default()),
            touch_rng: Mutex::new(StdRng::seed_from_u64(stream ^ 0x746f_7563_6821)),
        }
    }

    /// `{base}bigcommerce/stores/{hash}/v2`: what BigCommerce's resource
    /// links start with (no trailing slash).
    pub(crate) fn api_base(&self, base: &Url) -> String {
        format!("{}bigcommerce/stores/{}/v2", base.as_str(), self.hash)
    }

    /// Every order in BigCommerce shape, sorted by (date_modified, id).
    pub(crate) fn orders_json(&self, base: &Url) -> Vec<Value> {
        let ledger = read(&self.ledger);
        let api = self.api_base(base);
        ledger
            .by_updated()
            .iter()
            .filter_map(|&p| ledger.get(p))
            .map(|o| shape::order_json(self, &api, o))
            .collect()
    }

    /// The order's `products` sub-resource; `None` for an unknown order.
    pub(crate) fn products_json(&self, order_id: u64) -> Option<Vec<Value>> {
        let ledger = read(&self.ledger);
        let order = ledger.get(ledger.position(order_id)?)?;
        Some(shape::products_json(self, order))
    }

    pub(crate) fn order_count(&self) -> usize {
        read(&self.ledger).len()
    }

    pub(crate) fn touch(&self, n: usize) -> Vec<u64> {
        let mut rng = lock(&self.touch_rng);
        write(&self.ledger).touch(n, clock::now(), &mut rng)
    }

    /// A new store-level API account's token (31 lowercase hex characters).
    pub(crate) fn issue_token(&self) -> String {
        let mut token = random_hex(16);
        token.truncate(31);
        lock(&self.tokens).add(token.clone());
        token
    }

    /// Deletes every API account: their tokens get 401 from now on.
    pub(crate) fn revoke_tokens(&self) {
        lock(&self.tokens).live.clear();
    }

    pub(crate) fn issued_tokens(&self) -> Vec<String> {
        lock(&self.tokens).issued.clone()
    }
}
