//! Counterline's platform sandbox: plays sales-channel platforms on
//! 127.0.0.1 over real HTTP, for tests, benchmarks and the app's demo mode.
//!
//! Today it plays Shopify: the OAuth consent page and token endpoint, and the
//! Admin GraphQL API over orders generated deterministically from a seed.
//! [`Sandbox::start`] binds a port and serves until [`Sandbox::shutdown`];
//! the methods on [`Sandbox`] let tests look behind the curtain (the true
//! order list, tokens issued, request counts) and change the world (revoke
//! tokens, edit orders after a sync).
//!
//! Modules: [`people`] (who buys; shared by every platform), `data` (the
//! neutral generated history), `shopify` (everything Shopify-shaped), `http`
//! (router and server), `state` (what handlers share).
//!
//! This crate must not depend on tauri: the CLI, tests and benchmarks use it
//! without a window.

mod data;
mod error;
mod http;
mod locks;
pub mod people;
mod shopify;
mod state;

use std::net::{Ipv4Addr, SocketAddr};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use serde_json::Value;
use url::Url;

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
    /// When true, GraphQL queries draw on a real leaky bucket and can be
    /// throttled or refused for cost; when false, cost is only reported.
    pub enforce_rate_limits: bool,
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
        let (seed, count) = (config.seed, config.order_count);
        let shops = tokio::task::spawn_blocking(move || {
            let people = Arc::new(People::generate(seed, pool_size_for(count)));
            domains
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
                .collect::<Vec<_>>()
        })
        .await;
        let shopify_shops = shops.map_err(|e| SandboxError::Generate(e.to_string()))?;
        let shared = Arc::new(Shared {
            shopify_app: config.shopify_app,
            enforce_rate_limits: config.enforce_rate_limits,
            shopify_shops,
            shopify_requests: AtomicU64::new(0),
        });
        let server = http::serve(config.addr, http::app(shared.clone())).await?;
        let base_url = Url::parse(&format!("http://{}/", server.addr))
            .map_err(|e| SandboxError::Serve(std::io::Error::other(e.to_string())))?;
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
