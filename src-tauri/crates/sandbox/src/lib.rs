//! Counterline's platform sandbox: plays sales-channel platforms on
//! 127.0.0.1 over real HTTP, for tests, benchmarks and the app's demo mode.
//!
//! It plays Shopify (the OAuth consent page and token endpoint, and the
//! Admin GraphQL API), BigCommerce (a store-level API account on the v2
//! orders API) and WooCommerce (REST v3 with consumer keys or WordPress
//! Application Passwords, and the Application Password consent page), over
//! orders generated deterministically from a seed. Every platform draws its
//! shoppers from one pool of [`people`], so the same person buys on several
//! platforms, typing their email differently from order to order.
//! [`Sandbox::start`] binds a port and serves until [`Sandbox::shutdown`];
//! the methods on [`Sandbox`] let tests look behind the curtain (the true
//! order lists, credentials issued, request counts) and change the world
//! (revoke credentials, edit orders after a sync).
//!
//! Modules: [`people`] (who buys; shared by every platform), `data` (the
//! neutral generated history), `shopify`, `bigcommerce` and `woocommerce`
//! (everything shaped like each platform), `config` (what a BigCommerce
//! store or WooCommerce site is given), `http` (router and server), `state`
//! (what handlers share).
//!
//! This crate must not depend on tauri: the CLI, tests and benchmarks use it
//! without a window.

// BigCommerce's and WooCommerce's orders are single `json!` literals of
// 60–80 fields; the macro's expansion needs more than the default depth.
#![recursion_limit = "256"]

mod bigcommerce;
mod config;
mod data;
mod error;
mod http;
mod locks;
pub mod people;
mod shopify;
mod state;
mod woocommerce;

use std::net::{Ipv4Addr, SocketAddr};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use serde_json::Value;
use url::Url;

pub use config::{BigCommerceStore, WooSite};
pub use error::SandboxError;
pub use shopify::API_VERSION as SHOPIFY_API_VERSION;

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
    /// be throttled or refused for cost, and BigCommerce requests use up a
    /// real per-store quota (150 per 30 s) and get 429 past it; when false,
    /// both are only reported. (WooCommerce has no built-in rate limit.)
    pub enforce_rate_limits: bool,
    /// BigCommerce stores to serve, each with `order_count` orders.
    pub bigcommerce_stores: Vec<BigCommerceStore>,
    /// WooCommerce sites to serve, each with `order_count` orders.
    pub woocommerce_sites: Vec<WooSite>,
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
            (shops, stores, sites)
        })
        .await;
        let (shopify_shops, bigcommerce_stores, woocommerce_sites) =
            generated.map_err(|e| SandboxError::Generate(e.to_string()))?;
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
            base_url: base_url.clone(),
        });
        let server = http::serve(listener, http::app(shared.clone()));
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

    /// Stops the server (for every clone) and waits for in-flight requests.
    pub async fn shutdown(self) {
        let server = lock(&self.server).take();
        if let Some(server) = server {
            if let Err(e) = server.stop().await {
                tracing::warn!(error = %e, "sandbox server ended with an error");
            }
        }
    }
}
