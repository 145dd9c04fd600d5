//! The state every request handler shares: the registered app, the shops,
//! and the request counter.

use std::sync::atomic::AtomicU64;
use std::sync::Arc;

use crate::shopify::ShopifyShop;
use crate::ShopifyApp;

pub(crate) struct Shared {
    pub shopify_app: ShopifyApp,
    pub enforce_rate_limits: bool,
    pub shopify_shops: Vec<Arc<ShopifyShop>>,
    /// Requests received under `/shopify/`.
    pub shopify_requests: AtomicU64,
}

impl Shared {
    /// A shop by domain, case-insensitively (hostnames are).
    pub(crate) fn shopify_shop(&self, domain: &str) -> Option<&Arc<ShopifyShop>> {
        self.shopify_shops
            .iter()
            .find(|s| s.identity.domain.eq_ignore_ascii_case(domain))
    }
}
