//! WooCommerce (on WordPress), played on 127.0.0.1.
//!
//! `{base}woocommerce/{host}/` stands in for `https://{host}/`. Served: the
//! REST API `wp-json/wc/v3/orders` (list and single order) and
//! `wp-json/wc/v3/system_status`, the site index `wp-json/`, and the
//! Application Password consent page `wp-admin/authorize-application.php`,
//! and the order-status write `PUT wp-json/wc/v3/orders/{id}` (`writes`).
//! Requests authenticate with HTTP Basic, either `consumer_key:
//! consumer_secret` (`ck_…:cs_…`, also accepted as query parameters) or
//! `user:application password` (channel-apis §4.1).
//!
//! `shape` renders WooCommerce's JSON, `query` reads and validates the
//! collection parameters the way WordPress's REST server does, `auth`
//! holds the credentials, `consent` the authorization page, `replies` the
//! WordPress error bodies and every UNCONFIRMED fact, `routes` the HTTP
//! layer. WooCommerce has no built-in rate limit (channel-apis §4.2), so
//! `enforce_rate_limits` does not apply here.
//!
//! Sites sell in one currency each and run on a fixed `UTC+1` clock (no
//! DST), so the local `date_*` fields differ from the `date_*_gmt` ones by an
//! hour: a client that mixes them up is off by an hour, as on a real site.
//! Order ids are WordPress post ids (ascending with gaps); refund ids come
//! after them; the shop owner is user 1 and customers are users 2 and up.

pub(crate) mod auth;
pub(crate) mod consent;
pub(crate) mod query;
pub(crate) mod replies;
pub(crate) mod routes;
pub(crate) mod shape;
pub(crate) mod writes;

use std::collections::HashMap;
use std::sync::{Arc, Mutex, RwLock};

use rand::rngs::StdRng;
use rand::SeedableRng;
use serde_json::Value;
use url::Url;

use self::auth::{chunk_password, ApiKey, AppPasswords};
use crate::config::CheckedSite;
use crate::data::clock;
use crate::data::ledger::Ledger;
use crate::data::money::Currency;
use crate::data::orders::{self, GenerateParams};
use crate::data::stream_seed;
use crate::locks::{lock, read, write};
use crate::people::People;
use crate::shopify::tokens::random_hex;

/// Mixed into the seed so WooCommerce sites never share a stream with
/// Shopify shops or BigCommerce stores.
const SALT: u64 = 0x776f_6f63_6f6d_6d65;

/// The sites' clock: WordPress's "UTC+1" setting (a fixed offset, no DST).
pub(crate) const SITE_UTC_OFFSET: i64 = 3_600;
/// The WooCommerce and WordPress versions the sites report.
pub(crate) const WC_VERSION: &str = "9.9.5";
pub(crate) const WP_VERSION: &str = "6.8.2";

/// The first order (post) id of a site.
const FIRST_ORDER_ID: u64 = 1_201;

/// One site's whole state.
pub(crate) struct Site {
    pub host: String,
    pub index: u64,
    pub name: String,
    pub currency: Currency,
    /// The WordPress login of the shop owner (user id 1).
    pub user: String,
    pub people: Arc<People>,
    pub ledger: RwLock<Ledger>,
    pub api_key: Mutex<ApiKey>,
    pub app_passwords: Mutex<AppPasswords>,
    /// The `_wpnonce` the consent form carries for this site.
    pub nonce: String,
    touch_rng: Mutex<StdRng>,
    /// Each order's rendered JSON, reused while the order is unchanged:
    /// rendering is most of a list request's cost, and the sandbox should
    /// never be what limits a sync benchmark.
    pub rendered: Mutex<HashMap<u32, Rendered>>,
    /// Orders (by position) whose list JSON is made unreadable on purpose.
    pub broken: Mutex<std::collections::HashSet<u32>>,
}

/// An order's JSON as rendered at one version of it.
pub(crate) struct Rendered {
    pub updated_at: i64,
    pub refunds: usize,
    pub json: Arc<str>,
}

/// `shop.counterline-demo.test` → `Counterline Demo`: the label before the
/// top-level domain, in title case.
fn site_name(host: &str) -> String {
    let labels: Vec<&str> = host.split('.').collect();
    let label = labels
        .len()
        .checked_sub(2)
        .and_then(|i| labels.get(i))
        .copied()
        .unwrap_or(host);
    label
        .split('-')
        .filter(|w| !w.is_empty())
        .map(|w| {
            let mut chars = w.chars();
            chars
                .next()
                .map(|c| c.to_uppercase().chain(chars).collect::<String>())
                .unwrap_or_default()
        })
        .collect::<Vec<_>>()
        .join(" ")
}

impl Site {
    /// See `Sandbox::break_woocommerce_order`; `false` for an unknown id.
    pub fn set_broken(&self, id: u64, broken: bool) -> bool {
        let Some(position) = read(&self.ledger).position(id) else { return false };
        let mut set = lock(&self.broken);
        if broken {
            set.insert(position);
        } else {
            set.remove(&position);
        }
        true
    }

    pub(crate) fn generate(
        site: &CheckedSite,
        index: u64,
        seed: u64,
        order_count: usize,
        people: Arc<People>,
    ) -> Site {
        let stream = stream_seed(seed, SALT, index);
        let params = GenerateParams {
            seed: stream,
            count: order_count,
            anchor: clock::anchor_for_seed(seed),
            order_id_base: 0,
            line_item_id_base: 0,
        };
        let mut orders = orders::generate(params, &people);
        // Post ids: ascending, with the gaps drafts and other posts leave.
        // Order item ids: the line items, then room for the order's shipping,
        // tax and coupon lines (see `shape`).
        let mut next_item = 1;
        for (i, order) in orders.iter_mut().enumerate() {
            order.id = FIRST_ORDER_ID + 2 * i as u64 + order.id % 2;
            for line in &mut order.lines {
                line.id = next_item;
                next_item += 1;
            }
            next_item += 3;
        }
        let first_refund_id = orders.last().map_or(FIRST_ORDER_ID, |o| o.id + 1);
        Site {
            host: site.host.clone(),
            index,
            name: site_name(&site.host),
            currency: site.currency,
            user: site.user.clone(),
            people,
            ledger: RwLock::new(Ledger::new(orders, first_refund_id)),
            api_key: Mutex::new(ApiKey::new(&site.consumer_key, &site.consumer_secret)),
            app_passwords: Mutex::new(AppPasswords::default()),
            nonce: random_hex(5),
            touch_rng: Mutex::new(StdRng::seed_from_u64(stream ^ 0x746f_7563_6821)),
            rendered: Mutex::new(HashMap::new()),
            broken: Mutex::new(std::collections::HashSet::new()),
        }
    }

    /// `{base}woocommerce/{host}`: the stand-in for `https://{host}`, as
    /// WordPress writes its site URL (no trailing slash).
    pub(crate) fn site_url(&self, base: &Url) -> String {
        format!("{}woocommerce/{}", base.as_str(), self.host)
    }

    /// Every order in WooCommerce shape, sorted by (date_modified, id).
    pub(crate) fn orders_json(&self, base: &Url) -> Vec<Value> {
        let ledger = read(&self.ledger);
        let site_url = self.site_url(base);
        ledger
            .by_updated()
            .iter()
            .filter_map(|&p| {
                ledger
                    .get(p)
                    .map(|o| shape::order_json(self, &site_url, o, ledger.refunds(p)))
            })
            .collect()
    }

    pub(crate) fn order_count(&self) -> usize {
        read(&self.ledger).len()
    }

    pub(crate) fn touch(&self, n: usize) -> Vec<u64> {
        let mut rng = lock(&self.touch_rng);
        write(&self.ledger).touch(n, clock::now(), &mut rng)
    }

    /// A new Application Password for the shop owner, in the spaced form
    /// WordPress shows on the profile screen (`abcd EFGH …`).
    pub(crate) fn issue_app_password(&self, app_name: &str) -> String {
        chunk_password(&lock(&self.app_passwords).create(app_name, ""))
    }
}
