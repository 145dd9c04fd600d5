//! The state every request handler shares: the registered Shopify app, the
//! shops, stores and sites of every platform, the request counters, and the
//! sandbox's own base URL (BigCommerce's resource links and WordPress's site
//! URL are absolute).

use std::sync::atomic::AtomicU64;
use std::sync::Arc;

use url::Url;

use crate::bigcommerce;
use crate::shopify::ShopifyShop;
use crate::woocommerce;
use crate::ShopifyApp;

pub(crate) struct Shared {
    pub shopify_app: ShopifyApp,
    pub enforce_rate_limits: bool,
    pub shopify_shops: Vec<Arc<ShopifyShop>>,
    pub bigcommerce_stores: Vec<Arc<bigcommerce::Store>>,
    pub woocommerce_sites: Vec<Arc<woocommerce::Site>>,
    /// Requests received under `/shopify/`.
    pub shopify_requests: AtomicU64,
    /// Requests received under `/bigcommerce/`.
    pub bigcommerce_requests: AtomicU64,
    /// Requests received under `/woocommerce/`.
    pub woocommerce_requests: AtomicU64,
    /// `http://127.0.0.1:PORT/`
    pub base_url: Url,
}

impl Shared {
    /// A shop by domain, case-insensitively (hostnames are).
    pub(crate) fn shopify_shop(&self, domain: &str) -> Option<&Arc<ShopifyShop>> {
        self.shopify_shops
            .iter()
            .find(|s| s.identity.domain.eq_ignore_ascii_case(domain))
    }

    /// A BigCommerce store by hash, case-insensitively.
    pub(crate) fn bigcommerce_store(&self, hash: &str) -> Option<&Arc<bigcommerce::Store>> {
        self.bigcommerce_stores
            .iter()
            .find(|s| s.hash.eq_ignore_ascii_case(hash))
    }

    /// A WooCommerce site by host, case-insensitively.
    pub(crate) fn woocommerce_site(&self, host: &str) -> Option<&Arc<woocommerce::Site>> {
        self.woocommerce_sites
            .iter()
            .find(|s| s.host.eq_ignore_ascii_case(host))
    }
}
