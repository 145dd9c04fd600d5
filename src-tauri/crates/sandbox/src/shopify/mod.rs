//! Shopify, played on 127.0.0.1.
//!
//! Each sandbox shop stands in for `https://{shop}/` under
//! `/shopify/{shop}/`: the OAuth authorize/consent page and token endpoint
//! (`oauth`, `consent`, `tokens`), and the Admin GraphQL API (`graphql`) over
//! the shop's generated orders (`book`, `shape`, `search`, `paging`), and
//! the mutations `fulfillmentCreate` and `orderCancel` (`writes`).
//! `routes` is the thin HTTP layer; `replies` holds Shopify's error bodies.

pub(crate) mod book;
pub(crate) mod consent;
pub(crate) mod graphql;
pub(crate) mod oauth;
pub(crate) mod paging;
pub(crate) mod replies;
pub(crate) mod routes;
pub(crate) mod search;
pub(crate) mod shape;
pub(crate) mod tokens;
pub(crate) mod writes;

use std::sync::{Arc, Mutex, RwLock};

use rand::rngs::StdRng;
use rand::SeedableRng;
use serde_json::Value;

use self::book::OrderBook;
use self::graphql::cost::LeakyBucket;
use self::shape::{order_gid, order_json, ShopIdentity};
use self::tokens::AuthState;
use crate::data::clock;
use crate::data::orders::{self, GenerateParams};
use crate::locks::{lock, read, write};
use crate::people::People;

/// The Admin API version the sandbox models. Requests to any version in the
/// path are served with this one's schema.
pub const API_VERSION: &str = "2025-10";

/// The app name shown on the consent page (the one registered app).
pub(crate) const APP_NAME: &str = "Counterline";

/// Scopes a token from `issue_shopify_token` carries.
pub(crate) const DEFAULT_SCOPES: &[&str] = &["read_orders", "read_products"];

/// One shop's whole state.
pub(crate) struct ShopifyShop {
    pub identity: ShopIdentity,
    pub people: Arc<People>,
    pub book: RwLock<OrderBook>,
    pub auth: Mutex<AuthState>,
    pub bucket: Mutex<LeakyBucket>,
    /// Fulfillments created by `fulfillmentCreate`. Lock after `book`.
    pub fulfillments: Mutex<writes::Fulfillments>,
    /// Picks which orders a live edit touches; seeded, so runs repeat.
    touch_rng: Mutex<StdRng>,
}

/// Seeds for shops after the first, so two shops never share an order stream
/// (splitmix64's increment spreads them).
fn shop_seed(seed: u64, index: u64) -> u64 {
    seed.wrapping_add(index.wrapping_mul(0x9E37_79B9_7F4A_7C15))
}

impl ShopifyShop {
    pub(crate) fn generate(
        domain: &str,
        index: u64,
        seed: u64,
        order_count: usize,
        people: Arc<People>,
    ) -> ShopifyShop {
        let identity = ShopIdentity::new(domain, index);
        let params = GenerateParams {
            seed: shop_seed(seed, index),
            count: order_count,
            anchor: clock::anchor_for_seed(seed),
            order_id_base: 5_600_000_000_000 + index * 100_000_000_000,
            line_item_id_base: 14_800_000_000_000 + index * 100_000_000_000,
        };
        let orders = orders::generate(params, &people);
        ShopifyShop {
            identity,
            people,
            book: RwLock::new(OrderBook::new(orders)),
            auth: Mutex::new(AuthState::default()),
            bucket: Mutex::new(LeakyBucket::default()),
            fulfillments: Mutex::new(writes::Fulfillments::default()),
            touch_rng: Mutex::new(StdRng::seed_from_u64(
                shop_seed(seed, index) ^ 0x746f_7563_6821,
            )),
        }
    }

    /// Every order in full Shopify shape, sorted by (updatedAt, id).
    pub(crate) fn orders_json(&self) -> Vec<Value> {
        let book = read(&self.book);
        book.by_updated()
            .map(|o| order_json(&self.identity, &self.people, o))
            .collect()
    }

    pub(crate) fn order_count(&self) -> usize {
        read(&self.book).len()
    }

    pub(crate) fn touch(&self, n: usize) -> Vec<String> {
        let mut rng = lock(&self.touch_rng);
        let ids = write(&self.book).touch(n, clock::now(), &mut rng);
        ids.into_iter().map(order_gid).collect()
    }
}
