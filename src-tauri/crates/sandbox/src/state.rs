//! The state every request handler shares: the registered apps, the shops,
//! stores, sites, retailers and accounts of every platform, the Lightspeed
//! platforms' grants, the request counters, and the sandbox's own base URL
//! (BigCommerce's resource links, WordPress's site URL and R-Series' paging
//! links are absolute), and the fault profile's running state.

use std::sync::atomic::AtomicU64;
use std::sync::{Arc, Mutex};

use url::Url;

use crate::faults::FaultState;
use crate::lightspeed::grants::Grants;
use crate::shopify::ShopifyShop;
use crate::{bigcommerce, kseries, oseries, rseries, woocommerce, xseries};
use crate::{AppRegistration, ShopifyApp};

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
    pub xseries_app: AppRegistration,
    pub xseries_retailers: Vec<Arc<xseries::Retailer>>,
    /// Codes and tokens of every X-Series retailer (subject: domain prefix).
    pub xseries_grants: Mutex<Grants>,
    /// Requests received under `/xseries/` and `/xseries-auth/`.
    pub xseries_requests: AtomicU64,
    pub rseries_app: AppRegistration,
    pub rseries_accounts: Vec<Arc<rseries::Account>>,
    /// Codes and tokens of every R-Series account (subject: account id).
    pub rseries_grants: Mutex<Grants>,
    /// Requests received under `/rseries/` and `/rseries-auth/`.
    pub rseries_requests: AtomicU64,
    pub oseries_app: AppRegistration,
    pub oseries_companies: Vec<Arc<oseries::Company>>,
    /// Codes and tokens of every O-Series company (subject: company id).
    pub oseries_grants: Mutex<Grants>,
    /// Requests received under `/oseries/` and `/oseries-auth/`.
    pub oseries_requests: AtomicU64,
    pub kseries_app: AppRegistration,
    pub kseries_businesses: Vec<Arc<kseries::Business>>,
    /// Codes and tokens of every K-Series business (subject: business id).
    pub kseries_grants: Mutex<kseries::tokens::Tokens>,
    /// Requests received under `/kseries/` and `/kseries-auth/`.
    pub kseries_requests: AtomicU64,
    /// The app's deep-link scheme, where the relay page forwards to.
    pub deep_link_scheme: String,
    /// `http://127.0.0.1:PORT/`
    pub base_url: Url,
    /// The faults injected into list routes, and the offline switch.
    pub faults: FaultState,
    /// Every write accepted, and the `Idempotency-Key` replays. Handlers
    /// hold it for the whole write (check key, apply, record), so a key
    /// raced by two requests applies once.
    pub writes: Mutex<crate::writes::Journal>,
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

    /// An X-Series retailer by domain prefix, case-insensitively.
    pub(crate) fn xseries_retailer(&self, prefix: &str) -> Option<&Arc<xseries::Retailer>> {
        self.xseries_retailers
            .iter()
            .find(|r| r.domain_prefix.eq_ignore_ascii_case(prefix.trim()))
    }

    /// An R-Series account by its id as text.
    pub(crate) fn rseries_account(&self, id: &str) -> Option<&Arc<rseries::Account>> {
        let id: u64 = id.trim().parse().ok()?;
        self.rseries_accounts.iter().find(|a| a.account_id == id)
    }

    /// An O-Series company by its id as text.
    pub(crate) fn oseries_company(&self, id: &str) -> Option<&Arc<oseries::Company>> {
        let id: u64 = id.trim().parse().ok()?;
        self.oseries_companies.iter().find(|c| c.company_id == id)
    }

    /// A K-Series business by its id as text.
    pub(crate) fn kseries_business(&self, id: &str) -> Option<&Arc<kseries::Business>> {
        let id: u64 = id.trim().parse().ok()?;
        self.kseries_businesses.iter().find(|b| b.business_id == id)
    }
}
