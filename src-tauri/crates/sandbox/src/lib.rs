//! Counterline's platform sandbox: plays sales-channel platforms on
//! 127.0.0.1 over real HTTP, for tests, benchmarks and the app's demo mode.
//!
//! It plays Shopify (the OAuth consent page and token endpoint, and the
//! Admin GraphQL API), BigCommerce (a store-level API account on the v2
//! orders API), WooCommerce (REST v3 with consumer keys or WordPress
//! Application Passwords, and the Application Password consent page), and
//! Lightspeed Retail X-Series and R-Series (OAuth with expiring access
//! tokens and rotating refresh tokens, and their sales APIs: X-Series' API
//! 2.0 with version cursors, R-Series' V3 with `@attributes` cursors),
//! Lightspeed O-Series (Kounta: the same kind of OAuth, and its orders API
//! with `X-Page` paging and `created_*` filters), and Lightspeed Restaurant
//! K-Series (HTTPS-only redirects through a relay page, HTTP Basic at the
//! token endpoint, the financial API v2's closed sales by `timeClosed` with
//! `nextPageToken`), over
//! orders generated deterministically from a seed. Every platform draws its
//! shoppers from one pool of [`people`], so the same person buys on several
//! platforms, typing their email differently from order to order.
//! [`Sandbox::start`] binds a port and serves until [`Sandbox::shutdown`];
//! the methods on [`Sandbox`] let tests look behind the curtain (the true
//! order lists, credentials issued, request counts) and change the world
//! (revoke credentials, edit orders after a sync).
//!
//! Modules: [`people`] (who buys; shared by every platform), `data` (the
//! neutral generated history, and a shop counter's view of it for the
//! point-of-sale platforms), `shopify`, `bigcommerce`, `woocommerce`,
//! `xseries`, `rseries`, `oseries` and `kseries` (everything shaped like each platform),
//! `lightspeed` (the OAuth machinery both Lightspeed platforms share),
//! `config` (what each store is given, and app registrations), `http`
//! (router and server), `state` (what handlers share), `faults` (the
//! seeded fault profile for list routes, and the offline switch), `writes` (the
//! record of accepted order writes and `Idempotency-Key` replays; each
//! platform's own `writes` module takes them), and `control` (the same record and
//! an outage of set length over HTTP, for a sandbox inside another process).
//!
//! This crate must not depend on tauri: the CLI, tests and benchmarks use it
//! without a window.

// BigCommerce's and WooCommerce's orders are single `json!` literals of
// 60–80 fields; the macro's expansion needs more than the default depth.
#![recursion_limit = "256"]

mod bigcommerce;
mod config;
mod control;
mod data;
mod error;
mod faults;
mod http;
mod kseries;
mod lightspeed;
mod locks;
mod oseries;
pub mod people;
mod rseries;
mod shopify;
mod state;
mod woocommerce;
mod writes;
mod xseries;

use std::net::{Ipv4Addr, SocketAddr};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde_json::Value;
use url::Url;

/// Every SKU the generated orders buy (each variant's own), so the demo can
/// stock them.
pub fn catalog_skus() -> Vec<String> {
    data::catalog::PRODUCTS
        .iter()
        .flat_map(|p| (0..p.variants.len().max(1)).map(move |v| p.variant_sku(v)))
        .collect()
}

pub use config::{
    AppRegistration, BigCommerceStore, OSeriesCompany, OSeriesSite, RSeriesAccount, WooSite,
    XSeriesRetailer,
};
pub use config::{KSeriesBusiness, KSeriesLocation};
pub use error::SandboxError;
pub use faults::{FaultCounts, FaultProfile, WriteFault};
pub use kseries::ACCESS_TOKEN_LIFETIME as KSERIES_ACCESS_TOKEN_LIFETIME;
pub use oseries::ACCESS_TOKEN_LIFETIME as OSERIES_ACCESS_TOKEN_LIFETIME;
pub use rseries::ACCESS_TOKEN_LIFETIME as RSERIES_ACCESS_TOKEN_LIFETIME;
pub use shopify::API_VERSION as SHOPIFY_API_VERSION;
pub use writes::{ReceivedWrite, WriteKind, WritePlatform};
pub use xseries::ACCESS_TOKEN_LIFETIME as XSERIES_ACCESS_TOKEN_LIFETIME;

use crate::faults::FaultState;
use crate::lightspeed::grants::Grants;
use crate::locks::lock;
use crate::people::{pool_size_for, People};
use crate::shopify::{ShopifyShop, DEFAULT_SCOPES};
use crate::state::Shared;

/// The one Shopify app the sandbox knows (its "Dev Dashboard" registration).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ShopifyApp {
    pub client_id: String,
    pub client_secret: String,
}

impl Default for ShopifyApp {
    /// Demo credentials; fine for a sandbox that only ever talks to itself.
    fn default() -> Self {
        ShopifyApp {
            client_id: "counterline-sandbox-client-id".to_owned(),
            client_secret: "counterline-sandbox-client-secret".to_owned(),
        }
    }
}

#[derive(Clone, Debug)]
pub struct SandboxConfig {
    /// Where to listen; port 0 picks a free one.
    pub addr: SocketAddr,
    /// Everything generated follows from this.
    pub seed: u64,
    /// Orders per shop.
    pub order_count: usize,
    /// `*.myshopify.com` domains to serve.
    pub shops: Vec<String>,
    pub shopify_app: ShopifyApp,
    /// When true, Shopify GraphQL queries draw on a real leaky bucket and can
    /// be throttled or refused for cost, BigCommerce requests use up a real
    /// per-store quota (150 per 30 s), X-Series requests a per-retailer
    /// window (350 per 5 minutes) and R-Series requests a per-account leaky
    /// bucket (90 drips, 1/s), and O-Series requests a per-company window
    /// (60 a minute, UNCONFIRMED), with 429 past them; when false, all are
    /// only reported. (WooCommerce has no built-in rate limit.)
    pub enforce_rate_limits: bool,
    /// BigCommerce stores to serve, each with `order_count` orders.
    pub bigcommerce_stores: Vec<BigCommerceStore>,
    /// WooCommerce sites to serve, each with `order_count` orders.
    pub woocommerce_sites: Vec<WooSite>,
    /// The X-Series app Counterline is registered as.
    pub xseries_app: AppRegistration,
    /// X-Series retailers to serve, each with `order_count` sales (plus
    /// returns).
    pub xseries_retailers: Vec<XSeriesRetailer>,
    /// How long an X-Series access token lives (default
    /// [`XSERIES_ACCESS_TOKEN_LIFETIME`], 7 days).
    pub xseries_token_lifetime: Duration,
    /// The R-Series app Counterline is registered as.
    pub rseries_app: AppRegistration,
    /// R-Series accounts to serve, each with `order_count` sales (plus
    /// returns).
    pub rseries_accounts: Vec<RSeriesAccount>,
    /// How long an R-Series access token lives (default
    /// [`RSERIES_ACCESS_TOKEN_LIFETIME`], 1 hour).
    pub rseries_token_lifetime: Duration,
    /// The O-Series (Kounta) add-on Counterline is registered as.
    pub oseries_app: AppRegistration,
    /// O-Series companies to serve, each with `order_count` orders (plus
    /// refunds).
    pub oseries_companies: Vec<OSeriesCompany>,
    /// How long an O-Series access token lives (default
    /// [`OSERIES_ACCESS_TOKEN_LIFETIME`], 1 hour; UNCONFIRMED).
    pub oseries_token_lifetime: Duration,
    /// The K-Series app Counterline is registered as.
    pub kseries_app: AppRegistration,
    /// K-Series businesses to serve; each location has `order_count` sales
    /// (plus refunds).
    pub kseries_businesses: Vec<KSeriesBusiness>,
    /// How long a K-Series access token lives (default
    /// [`KSERIES_ACCESS_TOKEN_LIFETIME`], 60 minutes as documented).
    pub kseries_token_lifetime: Duration,
    /// Counterline's deep-link scheme: the relay page forwards to
    /// `{deep_link_scheme}://oauth/callback?…`.
    pub deep_link_scheme: String,
    /// Faults to inject into every platform's order and sale list routes
    /// (default: none). Change it while running with
    /// [`Sandbox::set_faults`].
    pub faults: FaultProfile,
}

impl Default for SandboxConfig {
    fn default() -> Self {
        SandboxConfig {
            addr: SocketAddr::from((Ipv4Addr::LOCALHOST, 0)),
            seed: 42,
            order_count: 2_500,
            shops: vec!["counterline-demo.myshopify.com".to_owned()],
            shopify_app: ShopifyApp::default(),
            enforce_rate_limits: false,
            bigcommerce_stores: vec![BigCommerceStore::default()],
            woocommerce_sites: vec![WooSite::default()],
            xseries_app: AppRegistration::xseries_demo(),
            xseries_retailers: vec![XSeriesRetailer::default()],
            xseries_token_lifetime: XSERIES_ACCESS_TOKEN_LIFETIME,
            rseries_app: AppRegistration::rseries_demo(),
            rseries_accounts: vec![RSeriesAccount::default()],
            rseries_token_lifetime: RSERIES_ACCESS_TOKEN_LIFETIME,
            oseries_app: AppRegistration::oseries_demo(),
            oseries_companies: vec![OSeriesCompany::default()],
            oseries_token_lifetime: OSERIES_ACCESS_TOKEN_LIFETIME,
            kseries_app: AppRegistration::kseries_demo(),
            kseries_businesses: vec![KSeriesBusiness::default()],
            kseries_token_lifetime: KSERIES_ACCESS_TOKEN_LIFETIME,
            deep_link_scheme: "app.counterline".to_owned(),
            faults: FaultProfile::default(),
        }
    }
}

/// A running sandbox. Clones share the same server and state; the server
/// stops on [`Sandbox::shutdown`] or when the last clone is dropped.
#[derive(Clone)]
pub struct Sandbox {
    shared: Arc<Shared>,
    base_url: Url,
    server: Arc<Mutex<Option<http::Server>>>,
}

impl std::fmt::Debug for Sandbox {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Sandbox")
            .field("base_url", &self.base_url.as_str())
            .finish_non_exhaustive()
    }
}

/// The stricter of the shop-domain rules (see channel-apis §2.1): what a
/// real `*.myshopify.com` domain looks like.
fn valid_shop_domain(domain: &str) -> bool {
    domain.strip_suffix(".myshopify.com").is_some_and(|handle| {
        handle
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphanumeric())
            && handle
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-')
    })
}

impl Sandbox {
    /// Generates every shop's data, binds `config.addr` and starts serving.
    pub async fn start(config: SandboxConfig) -> Result<Sandbox, SandboxError> {
        if config.shops.is_empty() {
            return Err(SandboxError::NoShops);
        }
        let mut domains: Vec<String> = Vec::with_capacity(config.shops.len());
        for shop in &config.shops {
            let domain = shop.trim().to_ascii_lowercase();
            if !valid_shop_domain(&domain) {
                return Err(SandboxError::InvalidShop(shop.clone()));
            }
            if domains.contains(&domain) {
                return Err(SandboxError::DuplicateShop(shop.clone()));
            }
            domains.push(domain);
        }
        let stores = config::check_bigcommerce(&config.bigcommerce_stores)?;
        let sites = config::check_woocommerce(&config.woocommerce_sites)?;
        let retailers = config::check_xseries(&config.xseries_retailers)?;
        let accounts = config::check_rseries(&config.rseries_accounts)?;
        let companies = config::check_oseries(&config.oseries_companies)?;
        let businesses = config::check_kseries(&config.kseries_businesses)?;
        let (seed, count) = (config.seed, config.order_count);
        let generated = tokio::task::spawn_blocking(move || {
            let people = Arc::new(People::generate(seed, pool_size_for(count)));
            let shops = domains
                .iter()
                .enumerate()
                .map(|(i, d)| {
                    Arc::new(ShopifyShop::generate(
                        d,
                        i as u64,
                        seed,
                        count,
                        people.clone(),
                    ))
                })
                .collect::<Vec<_>>();
            let stores = stores
                .iter()
                .enumerate()
                .map(|(i, s)| {
                    Arc::new(bigcommerce::Store::generate(
                        &s.hash,
                        i as u64,
                        seed,
                        count,
                        s.currency,
                        &s.token,
                        people.clone(),
                    ))
                })
                .collect::<Vec<_>>();
            let sites = sites
                .iter()
                .enumerate()
                .map(|(i, s)| {
                    Arc::new(woocommerce::Site::generate(
                        s,
                        i as u64,
                        seed,
                        count,
                        people.clone(),
                    ))
                })
                .collect::<Vec<_>>();
            let retailers = retailers
                .iter()
                .enumerate()
                .map(|(i, r)| {
                    Arc::new(xseries::Retailer::generate(
                        r,
                        i as u64,
                        seed,
                        count,
                        people.clone(),
                    ))
                })
                .collect::<Vec<_>>();
            let accounts = accounts
                .iter()
                .enumerate()
                .map(|(i, a)| {
                    Arc::new(rseries::Account::generate(
                        a,
                        i as u64,
                        seed,
                        count,
                        people.clone(),
                    ))
                })
                .collect::<Vec<_>>();
            let companies = companies
                .iter()
                .enumerate()
                .map(|(i, c)| {
                    Arc::new(oseries::Company::generate(
                        c,
                        i as u64,
                        seed,
                        count,
                        people.clone(),
                    ))
                })
                .collect::<Vec<_>>();
            let mut first_location = 0u64;
            let businesses = businesses
                .iter()
                .map(|b| {
                    let first = first_location;
                    first_location += b.locations.len() as u64;
                    Arc::new(kseries::Business::generate(
                        b,
                        first,
                        seed,
                        count,
                        people.clone(),
                    ))
                })
                .collect::<Vec<_>>();
            (
                shops, stores, sites, retailers, accounts, companies, businesses,
            )
        })
        .await;
        let (
            shopify_shops,
            bigcommerce_stores,
            woocommerce_sites,
            retailers,
            accounts,
            companies,
            businesses,
        ) = generated.map_err(|e| SandboxError::Generate(e.to_string()))?;
        let (listener, addr) = http::bind(config.addr).await?;
        let base_url = Url::parse(&format!("http://{addr}/"))
            .map_err(|e| SandboxError::Serve(std::io::Error::other(e.to_string())))?;
        let shared = Arc::new(Shared {
            shopify_app: config.shopify_app,
            enforce_rate_limits: config.enforce_rate_limits,
            shopify_shops,
            bigcommerce_stores,
            woocommerce_sites,
            shopify_requests: AtomicU64::new(0),
            bigcommerce_requests: AtomicU64::new(0),
            woocommerce_requests: AtomicU64::new(0),
            xseries_app: config.xseries_app,
            xseries_retailers: retailers,
            xseries_grants: Mutex::new(Grants::new(
                "lsxs_at_",
                "lsxs_rt_",
                40,
                config.xseries_token_lifetime,
            )),
            xseries_requests: AtomicU64::new(0),
            rseries_app: config.rseries_app,
            rseries_accounts: accounts,
            rseries_grants: Mutex::new(Grants::new("", "", 72, config.rseries_token_lifetime)),
            rseries_requests: AtomicU64::new(0),
            oseries_app: config.oseries_app,
            oseries_companies: companies,
            // Kounta's tokens look like 40 hex digits (UNCONFIRMED);
            // letters and digits are close enough.
            oseries_grants: Mutex::new(Grants::new("", "", 40, config.oseries_token_lifetime)),
            oseries_requests: AtomicU64::new(0),
            kseries_app: config.kseries_app,
            kseries_businesses: businesses,
            kseries_grants: Mutex::new(kseries::tokens::Tokens::new(config.kseries_token_lifetime)),
            kseries_requests: AtomicU64::new(0),
            deep_link_scheme: config.deep_link_scheme,
            base_url: base_url.clone(),
            faults: FaultState::new(config.faults),
            writes: Mutex::new(writes::Journal::default()),
        });
        let offline = shared.faults.offline.clone();
        let server = http::serve(listener, http::app(shared.clone()), offline);
        Ok(Sandbox {
            shared,
            base_url,
            server: Arc::new(Mutex::new(Some(server))),
        })
    }

    /// `http://127.0.0.1:PORT/`
    pub fn base_url(&self) -> Url {
        self.base_url.clone()
    }

    /// `{base}shopify/{shop}/`: the stand-in for `https://{shop}/`. Append
    /// `admin/oauth/authorize`, `admin/api/{version}/graphql.json`, …
    pub fn shopify_origin(&self, shop: &str) -> Url {
        let mut url = self.base_url.clone();
        url.set_path(&format!("/shopify/{shop}/"));
        url
    }

    /// Issues a non-expiring offline token (`read_orders,read_products`),
    /// skipping OAuth.
    ///
    /// # Panics
    /// If `shop` is not one of the configured shops: that is a bug in the
    /// calling test, and a token for nowhere would only fail later, obscurely.
    pub fn issue_shopify_token(&self, shop: &str) -> String {
        let Some(s) = self.shared.shopify_shop(shop) else {
            panic!("issue_shopify_token: {shop:?} is not a sandbox shop");
        };
        let scopes = DEFAULT_SCOPES.iter().map(|s| (*s).to_owned()).collect();
        lock(&s.auth)
            .issue_token(scopes, false, None, false)
            .access_token
    }

    /// The truth: every order of `shop` in full Shopify GraphQL shape, sorted
    /// by `updatedAt` then id. Empty for an unknown shop.
    pub fn shopify_orders(&self, shop: &str) -> Vec<Value> {
        self.shared
            .shopify_shop(shop)
            .map(|s| s.orders_json())
            .unwrap_or_default()
    }

    /// Every access token issued for `shop` (by OAuth or
    /// [`Sandbox::issue_shopify_token`]), oldest first, revoked ones included.
    pub fn shopify_issued_tokens(&self, shop: &str) -> Vec<String> {
        self.shared
            .shopify_shop(shop)
            .map(|s| lock(&s.auth).issued())
            .unwrap_or_default()
    }

    /// Requests received under any `/shopify/` origin since start.
    pub fn shopify_request_count(&self) -> u64 {
        self.shared.shopify_requests.load(Ordering::Relaxed)
    }

    /// Invalidates every token of `shop` (an uninstall): API calls get 401.
    pub fn revoke_shopify_tokens(&self, shop: &str) {
        if let Some(s) = self.shared.shopify_shop(shop) {
            lock(&s.auth).revoke_all();
        }
    }

    /// Edits `n` orders now (a refund when there's money to refund, else a
    /// note change), moving their `updatedAt` to the current UTC time (or
    /// just after the newest order, whichever is later). Returns their GIDs.
    pub fn touch_shopify_orders(&self, shop: &str, n: usize) -> Vec<String> {
        self.shared
            .shopify_shop(shop)
            .map(|s| s.touch(n))
            .unwrap_or_default()
    }

    /// `{base}bigcommerce/`: the stand-in for `https://api.bigcommerce.com/`.
    /// Append `stores/{store_hash}/v2/orders`, `stores/{store_hash}/v2/store`, …
    pub fn bigcommerce_origin(&self) -> Url {
        let mut url = self.base_url.clone();
        url.set_path("/bigcommerce/");
        url
    }

    /// The truth: every order of store `hash` in BigCommerce v2 shape (as
    /// `GET /v2/orders` returns them), sorted by `date_modified` then id.
    /// Empty for an unknown store.
    pub fn bigcommerce_orders(&self, hash: &str) -> Vec<Value> {
        self.shared
            .bigcommerce_store(hash)
            .map(|s| s.orders_json(&self.base_url))
            .unwrap_or_default()
    }

    /// The truth behind `GET /v2/orders/{order_id}/products`; empty for an
    /// unknown store or order.
    pub fn bigcommerce_order_products(&self, hash: &str, order_id: u64) -> Vec<Value> {
        self.shared
            .bigcommerce_store(hash)
            .and_then(|s| s.products_json(order_id))
            .unwrap_or_default()
    }

    /// Edits `n` orders of store `hash` now (a refund when there's money to
    /// refund, else a staff note), moving their `date_modified` to now (or
    /// just after the newest order). Returns their ids.
    pub fn touch_bigcommerce_orders(&self, hash: &str, n: usize) -> Vec<u64> {
        self.shared
            .bigcommerce_store(hash)
            .map(|s| s.touch(n))
            .unwrap_or_default()
    }

    /// Creates another store-level API account for `hash` and returns its
    /// access token.
    ///
    /// # Panics
    /// If `hash` is not one of the configured stores (a bug in the test).
    pub fn issue_bigcommerce_token(&self, hash: &str) -> String {
        let Some(s) = self.shared.bigcommerce_store(hash) else {
            panic!("issue_bigcommerce_token: {hash:?} is not a sandbox BigCommerce store");
        };
        s.issue_token()
    }

    /// Deletes every API account of store `hash` (the configured token
    /// included): API calls get 401 from now on.
    pub fn revoke_bigcommerce_tokens(&self, hash: &str) {
        if let Some(s) = self.shared.bigcommerce_store(hash) {
            s.revoke_tokens();
        }
    }

    /// Requests received under `/bigcommerce/` since start.
    pub fn bigcommerce_request_count(&self) -> u64 {
        self.shared.bigcommerce_requests.load(Ordering::Relaxed)
    }

    /// `{base}woocommerce/{host}/`: the stand-in for `https://{host}/`.
    /// Append `wp-json/wc/v3/orders`, `wp-admin/authorize-application.php`, …
    pub fn woocommerce_origin(&self, host: &str) -> Url {
        let mut url = self.base_url.clone();
        url.set_path(&format!("/woocommerce/{host}/"));
        url
    }

    /// The truth: every order of site `host` in WooCommerce REST v3 shape,
    /// sorted by `date_modified_gmt` then id. Empty for an unknown site.
    pub fn woocommerce_orders(&self, host: &str) -> Vec<Value> {
        self.shared
            .woocommerce_site(host)
            .map(|s| s.orders_json(&self.base_url))
            .unwrap_or_default()
    }

    /// Edits `n` orders of site `host` now (a new refund when there's money
    /// to refund, else a support note in `meta_data`), moving their
    /// `date_modified` to now (or just after the newest order). Returns their
    /// ids.
    pub fn touch_woocommerce_orders(&self, host: &str, n: usize) -> Vec<u64> {
        self.shared
            .woocommerce_site(host)
            .map(|s| s.touch(n))
            .unwrap_or_default()
    }

    /// Makes order `id` of site `host` unreadable in list answers (its
    /// `total` becomes text that is no amount), as a plugin bug might, until
    /// [`Sandbox::mend_woocommerce_order`]. For specs of orders a sync must
    /// set aside without losing the rest. `false` for an unknown order.
    pub fn break_woocommerce_order(&self, host: &str, id: u64) -> bool {
        self.shared.woocommerce_site(host).is_some_and(|s| s.set_broken(id, true))
    }

    /// Undoes [`Sandbox::break_woocommerce_order`].
    pub fn mend_woocommerce_order(&self, host: &str, id: u64) {
        if let Some(site) = self.shared.woocommerce_site(host) {
            site.set_broken(id, false);
        }
    }

    /// Creates an Application Password for the site owner, skipping the
    /// consent page, and returns it in the spaced form WordPress displays
    /// (`abcd EFGH ijkl MNOP qrst UVWX`). Use it with the site's
    /// `app_password_user` in HTTP Basic auth.
    ///
    /// # Panics
    /// If `host` is not one of the configured sites (a bug in the test).
    pub fn issue_woocommerce_app_password(&self, host: &str) -> String {
        let Some(s) = self.shared.woocommerce_site(host) else {
            panic!("issue_woocommerce_app_password: {host:?} is not a sandbox WooCommerce site");
        };
        s.issue_app_password("Counterline (issued by the sandbox)")
    }

    /// Every Application Password created for site `host` (by the consent
    /// page or [`Sandbox::issue_woocommerce_app_password`]), oldest first, in
    /// the raw 24-character form, revoked ones included.
    pub fn woocommerce_app_passwords(&self, host: &str) -> Vec<String> {
        self.shared
            .woocommerce_site(host)
            .map(|s| lock(&s.app_passwords).issued())
            .unwrap_or_default()
    }

    /// Revokes every Application Password of site `host`: Basic auth with
    /// them gets 401 from now on.
    pub fn revoke_woocommerce_app_passwords(&self, host: &str) {
        if let Some(s) = self.shared.woocommerce_site(host) {
            lock(&s.app_passwords).revoke_all();
        }
    }

    /// Revokes site `host`'s REST API key pair (WooCommerce's "Revoke"
    /// button).
    pub fn revoke_woocommerce_api_keys(&self, host: &str) {
        if let Some(s) = self.shared.woocommerce_site(host) {
            lock(&s.api_key).revoke();
        }
    }

    /// Requests received under `/woocommerce/` since start.
    pub fn woocommerce_request_count(&self) -> u64 {
        self.shared.woocommerce_requests.load(Ordering::Relaxed)
    }

    /// `{base}xseries/{domain_prefix}/`: the stand-in for
    /// `https://{domain_prefix}.retail.lightspeed.app/`. Append
    /// `api/2.0/sales`, `api/2.0/customers/{id}`, `api/1.0/token`, …
    pub fn xseries_origin(&self, domain_prefix: &str) -> Url {
        let mut url = self.base_url.clone();
        url.set_path(&format!("/xseries/{domain_prefix}/"));
        url
    }

    /// `{base}xseries-auth/`: the stand-in for
    /// `https://secure.retail.lightspeed.app/`. Append `connect?…`.
    pub fn xseries_auth_origin(&self) -> Url {
        let mut url = self.base_url.clone();
        url.set_path("/xseries-auth/");
        url
    }

    /// The truth: every sale (returns included) of retailer `domain_prefix`
    /// in API 2.0 shape, as `GET /api/2.0/sales` lists them, lowest
    /// `version` first. Empty for an unknown retailer.
    pub fn xseries_sales(&self, domain_prefix: &str) -> Vec<Value> {
        self.shared
            .xseries_retailer(domain_prefix)
            .map(|r| r.sales_json())
            .unwrap_or_default()
    }

    /// The truth: every customer of retailer `domain_prefix` (the `WALKIN`
    /// customer first), lowest `version` first.
    pub fn xseries_customers(&self, domain_prefix: &str) -> Vec<Value> {
        self.shared
            .xseries_retailer(domain_prefix)
            .map(|r| r.customers_json())
            .unwrap_or_default()
    }

    /// Changes `n` sales of retailer `domain_prefix` now: a closed sale
    /// nothing was returned from gets a return of its first line (a new
    /// sale with `return_for`), anything else a note edit. Returns the ids
    /// of every sale changed or created (a return adds two), all with
    /// versions above any seen before.
    pub fn touch_xseries_sales(&self, domain_prefix: &str, n: usize) -> Vec<String> {
        self.shared
            .xseries_retailer(domain_prefix)
            .map(|r| r.touch(n))
            .unwrap_or_default()
    }

    /// Issues an access token and refresh token for retailer
    /// `domain_prefix` (scopes `sales:read customers:read products:read`),
    /// skipping OAuth. The access token expires like one from the token
    /// endpoint.
    ///
    /// # Panics
    /// If `domain_prefix` is not one of the configured retailers (a bug in
    /// the test).
    pub fn issue_xseries_token(&self, domain_prefix: &str) -> (String, String) {
        let Some(r) = self.shared.xseries_retailer(domain_prefix) else {
            panic!("issue_xseries_token: {domain_prefix:?} is not a sandbox X-Series retailer");
        };
        let scopes = xseries::DEFAULT_SCOPES
            .iter()
            .map(|s| (*s).to_owned())
            .collect();
        let client_id = self.shared.xseries_app.client_id.clone();
        let issued = lock(&self.shared.xseries_grants).issue(&r.domain_prefix, scopes, &client_id);
        (issued.access_token, issued.refresh_token)
    }

    /// [`Sandbox::issue_xseries_token`] with the given scopes (e.g.
    /// `sales:write` for the sale update).
    ///
    /// # Panics
    /// If `domain_prefix` is not one of the configured retailers.
    pub fn issue_xseries_token_with_scopes(&self, domain_prefix: &str, scopes: &[&str]) -> String {
        let Some(r) = self.shared.xseries_retailer(domain_prefix) else {
            panic!("issue_xseries_token_with_scopes: {domain_prefix:?} is not a sandbox X-Series retailer");
        };
        let scopes = scopes.iter().map(|s| (*s).to_owned()).collect();
        let client_id = self.shared.xseries_app.client_id.clone();
        lock(&self.shared.xseries_grants).issue(&r.domain_prefix, scopes, &client_id).access_token
    }

    /// Every X-Series access token lapses now (API calls get 401); refresh
    /// tokens keep working.
    pub fn expire_xseries_access_tokens(&self) {
        lock(&self.shared.xseries_grants).expire_access();
    }

    /// Ends every access and refresh token of retailer `domain_prefix` (the
    /// retailer disconnected the app).
    pub fn revoke_xseries_tokens(&self, domain_prefix: &str) {
        lock(&self.shared.xseries_grants).revoke(domain_prefix.trim());
    }

    /// Every access token issued for retailer `domain_prefix` (by the token
    /// endpoint or [`Sandbox::issue_xseries_token`]), oldest first.
    pub fn xseries_issued_tokens(&self, domain_prefix: &str) -> Vec<String> {
        lock(&self.shared.xseries_grants).issued(domain_prefix.trim())
    }

    /// Requests received under `/xseries/` and `/xseries-auth/` since start.
    pub fn xseries_request_count(&self) -> u64 {
        self.shared.xseries_requests.load(Ordering::Relaxed)
    }

    /// `{base}rseries/`: the stand-in for `https://api.lightspeedapp.com/`.
    /// Append `API/V3/Account.json`, `API/V3/Account/{id}/Sale.json`, …
    pub fn rseries_origin(&self) -> Url {
        let mut url = self.base_url.clone();
        url.set_path("/rseries/");
        url
    }

    /// `{base}rseries-auth/`: the stand-in for
    /// `https://cloud.lightspeedapp.com/`. Append `auth/oauth/authorize?…`
    /// or `auth/oauth/token`.
    pub fn rseries_auth_origin(&self) -> Url {
        let mut url = self.base_url.clone();
        url.set_path("/rseries-auth/");
        url
    }

    /// The truth: every sale (returns included) of account `account_id` as
    /// `Sale.json?load_relations=["SaleLines","Customer","Customer.Contact"]`
    /// renders it, sorted by (`timeStamp`, `saleID`). Empty for an unknown
    /// account.
    pub fn rseries_sales(&self, account_id: u64) -> Vec<Value> {
        self.shared
            .rseries_account(&account_id.to_string())
            .map(|a| a.sales_json())
            .unwrap_or_default()
    }

    /// The truth: every customer of account `account_id`, with `Contact`,
    /// by `customerID`.
    pub fn rseries_customers(&self, account_id: u64) -> Vec<Value> {
        self.shared
            .rseries_account(&account_id.to_string())
            .map(|a| a.customers_json())
            .unwrap_or_default()
    }

    /// Changes `n` sales of account `account_id` now, as
    /// [`Sandbox::touch_xseries_sales`] does; their `timeStamp`s move to now
    /// (or just after the latest change). Returns the `saleID`s changed or
    /// created.
    pub fn touch_rseries_sales(&self, account_id: u64, n: usize) -> Vec<u64> {
        self.shared
            .rseries_account(&account_id.to_string())
            .map(|a| a.touch(n))
            .unwrap_or_default()
    }

    /// Issues an access token and refresh token for account `account_id`
    /// (scope `employee:all`), skipping OAuth.
    ///
    /// # Panics
    /// If `account_id` is not one of the configured accounts (a bug in the
    /// test).
    pub fn issue_rseries_token(&self, account_id: u64) -> (String, String) {
        if self
            .shared
            .rseries_account(&account_id.to_string())
            .is_none()
        {
            panic!("issue_rseries_token: {account_id} is not a sandbox R-Series account");
        }
        let scopes = rseries::DEFAULT_SCOPES
            .iter()
            .map(|s| (*s).to_owned())
            .collect();
        let client_id = self.shared.rseries_app.client_id.clone();
        let issued =
            lock(&self.shared.rseries_grants).issue(&account_id.to_string(), scopes, &client_id);
        (issued.access_token, issued.refresh_token)
    }

    /// Every R-Series access token lapses now (API calls get 401); refresh
    /// tokens keep working.
    pub fn expire_rseries_access_tokens(&self) {
        lock(&self.shared.rseries_grants).expire_access();
    }

    /// Ends every access and refresh token of account `account_id`.
    pub fn revoke_rseries_tokens(&self, account_id: u64) {
        lock(&self.shared.rseries_grants).revoke(&account_id.to_string());
    }

    /// Every access token issued for account `account_id`, oldest first.
    pub fn rseries_issued_tokens(&self, account_id: u64) -> Vec<String> {
        lock(&self.shared.rseries_grants).issued(&account_id.to_string())
    }

    /// Requests received under `/rseries/` and `/rseries-auth/` since start.
    pub fn rseries_request_count(&self) -> u64 {
        self.shared.rseries_requests.load(Ordering::Relaxed)
    }

    /// `{base}oseries/`: the stand-in for `https://api.kounta.com/`. Append
    /// `v1/token.json`, `v1/companies/me.json`,
    /// `v1/companies/{id}/orders.json`, …
    pub fn oseries_origin(&self) -> Url {
        let mut url = self.base_url.clone();
        url.set_path("/oseries/");
        url
    }

    /// `{base}oseries-auth/`: the stand-in for `https://my.kounta.com/`.
    /// Append `authorize?…`.
    pub fn oseries_auth_origin(&self) -> Url {
        let mut url = self.base_url.clone();
        url.set_path("/oseries-auth/");
        url
    }

    /// The truth: every order (refunds included) of company `company_id` as
    /// `GET /v1/companies/{id}/orders.json` renders it, by `id` (the order
    /// its pages follow). Empty for an unknown company.
    pub fn oseries_orders(&self, company_id: u64) -> Vec<Value> {
        self.shared
            .oseries_company(&company_id.to_string())
            .map(|c| c.orders_json())
            .unwrap_or_default()
    }

    /// Changes `n` orders of company `company_id` now, as
    /// [`Sandbox::touch_xseries_sales`] does (a refund as a new order, or a
    /// note edit); their `updated_at` moves to now (or just after the latest
    /// change). Returns the ids of the orders changed or created.
    pub fn touch_oseries_orders(&self, company_id: u64, n: usize) -> Vec<u64> {
        self.shared
            .oseries_company(&company_id.to_string())
            .map(|c| c.touch(n))
            .unwrap_or_default()
    }

    /// Issues an access token and refresh token for company `company_id`,
    /// skipping OAuth.
    ///
    /// # Panics
    /// If `company_id` is not one of the configured companies (a bug in the
    /// test).
    pub fn issue_oseries_token(&self, company_id: u64) -> (String, String) {
        if self
            .shared
            .oseries_company(&company_id.to_string())
            .is_none()
        {
            panic!("issue_oseries_token: {company_id} is not a sandbox O-Series company");
        }
        let client_id = self.shared.oseries_app.client_id.clone();
        let issued = lock(&self.shared.oseries_grants).issue(
            &company_id.to_string(),
            Vec::new(),
            &client_id,
        );
        (issued.access_token, issued.refresh_token)
    }

    /// Every O-Series access token lapses now (API calls get 401); refresh
    /// tokens keep working.
    pub fn expire_oseries_access_tokens(&self) {
        lock(&self.shared.oseries_grants).expire_access();
    }

    /// Ends every access and refresh token of company `company_id`.
    pub fn revoke_oseries_tokens(&self, company_id: u64) {
        lock(&self.shared.oseries_grants).revoke(&company_id.to_string());
    }

    /// Every access token issued for company `company_id`, oldest first.
    pub fn oseries_issued_tokens(&self, company_id: u64) -> Vec<String> {
        lock(&self.shared.oseries_grants).issued(&company_id.to_string())
    }

    /// Requests received under `/oseries/` and `/oseries-auth/` since start.
    pub fn oseries_request_count(&self) -> u64 {
        self.shared.oseries_requests.load(Ordering::Relaxed)
    }

    /// `{base}kseries-auth/`: the stand-in for K-Series' authorization
    /// server `https://api.lsk.lightspeed.app/`. Append `oauth/authorize?…`
    /// or `oauth/token`.
    pub fn kseries_auth_origin(&self) -> Url {
        let mut url = self.base_url.clone();
        url.set_path("/kseries-auth/");
        url
    }

    /// `{base}kseries/`: the stand-in for the API host
    /// `https://api.lsk.lightspeed.app/`. Append `f/data/businesses` or
    /// `f/v2/business-location/{id}/sales?…`.
    pub fn kseries_origin(&self) -> Url {
        let mut url = self.base_url.clone();
        url.set_path("/kseries/");
        url
    }

    /// `{base}relay/kseries`: the stand-in for Counterline's hosted HTTPS
    /// relay page, and the one non-HTTPS `redirect_uri` the K-Series
    /// authorize endpoint accepts. It forwards its query to
    /// `{deep_link_scheme}://oauth/callback?…`.
    pub fn kseries_relay_url(&self) -> Url {
        let mut url = self.base_url.clone();
        url.set_path("/relay/kseries");
        url
    }

    /// The truth: every closed sale (refunds and cancelled accounts
    /// included) of business location `location_id`, as
    /// `GET /f/v2/business-location/{id}/sales?include=staff,table,consumer,payments`
    /// renders it, sorted by `timeClosed`. Empty for an unknown location.
    pub fn kseries_sales(&self, location_id: u64) -> Vec<Value> {
        self.shared
            .kseries_businesses
            .iter()
            .find_map(|b| b.location(location_id).map(|l| l.sales_json(&b.people)))
            .unwrap_or_default()
    }

    /// Changes `n` sales of location `location_id` now, as
    /// [`Sandbox::touch_xseries_sales`] does (a refund, a new sale of its
    /// own, or an edit); each changed account closes again now, so its
    /// `timeClosed` moves past every earlier one. Returns the
    /// `accountReference`s of the changed and new sales the API lists (a
    /// touched account that is still open is not listed).
    pub fn touch_kseries_sales(&self, location_id: u64, n: usize) -> Vec<String> {
        self.shared
            .kseries_businesses
            .iter()
            .find_map(|b| b.location(location_id).map(|l| l.touch(n)))
            .unwrap_or_default()
    }

    /// Issues an access token and refresh token for business `business_id`
    /// (scope `financial-api`), skipping OAuth.
    ///
    /// # Panics
    /// If `business_id` is not one of the configured businesses (a bug in
    /// the test).
    pub fn issue_kseries_token(&self, business_id: u64) -> (String, String) {
        let subject = business_id.to_string();
        if self.shared.kseries_business(&subject).is_none() {
            panic!("issue_kseries_token: {business_id} is not a sandbox K-Series business");
        }
        let scopes = kseries::DEFAULT_SCOPES
            .iter()
            .map(|s| (*s).to_owned())
            .collect();
        let client_id = self.shared.kseries_app.client_id.clone();
        let issued = lock(&self.shared.kseries_grants).issue(&subject, scopes, &client_id);
        (issued.access_token, issued.refresh_token)
    }

    /// Every K-Series access token lapses now (API calls get 401); refresh
    /// tokens keep working.
    pub fn expire_kseries_access_tokens(&self) {
        lock(&self.shared.kseries_grants).grants.expire_access();
    }

    /// Ends every access and refresh token of business `business_id`.
    pub fn revoke_kseries_tokens(&self, business_id: u64) {
        lock(&self.shared.kseries_grants)
            .grants
            .revoke(&business_id.to_string());
    }

    /// Every access token issued for business `business_id`, oldest first.
    pub fn kseries_issued_tokens(&self, business_id: u64) -> Vec<String> {
        lock(&self.shared.kseries_grants)
            .grants
            .issued(&business_id.to_string())
    }

    /// Requests received under `/kseries/` and `/kseries-auth/` since start.
    pub fn kseries_request_count(&self) -> u64 {
        self.shared.kseries_requests.load(Ordering::Relaxed)
    }

    /// Replaces the fault profile. The decision sequence starts afresh (the
    /// next list request is request 0 of the new profile's seed) and any
    /// 429 burst in progress ends; [`Sandbox::faults_injected`] keeps
    /// counting. `FaultProfile::default()` turns faults off.
    pub fn set_faults(&self, profile: FaultProfile) {
        self.shared.faults.set(profile);
    }

    /// The next Lightspeed sale and order updates (X-, R- and O-Series)
    /// answer these faults in the platform's own shape, one each in order,
    /// instead of being applied; later writes go through. Counted in
    /// [`Sandbox::faults_injected`] like the profile's faults.
    pub fn fail_next_writes(&self, faults: &[WriteFault]) {
        self.shared.faults.fail_writes(faults);
    }

    /// Faults injected since start, by kind.
    pub fn faults_injected(&self) -> FaultCounts {
        self.shared.faults.counts()
    }

    /// Takes the sandbox off the network (`true`) or back on. While
    /// offline, every request to it, on any platform, fails at the
    /// connection level with no HTTP answer: new connections are closed as
    /// soon as they are accepted and open keep-alive connections fail their
    /// next read or write. The methods on [`Sandbox`] keep working.
    pub fn set_offline(&self, offline: bool) {
        self.shared.faults.offline.store(offline, Ordering::SeqCst);
    }

    /// Whether [`Sandbox::set_offline`] took the sandbox off the network.
    pub fn is_offline(&self) -> bool {
        self.shared.faults.offline.load(Ordering::SeqCst)
    }

    /// Stops the server (for every clone) and waits for in-flight requests
    /// (answers held back by a timeout fault are released at once).
    pub async fn shutdown(self) {
        self.shared.faults.stop();
        let server = lock(&self.server).take();
        if let Some(server) = server {
            if let Err(e) = server.stop().await {
                tracing::warn!(error = %e, "sandbox server ended with an error");
            }
        }
    }
}
