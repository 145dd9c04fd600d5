//! What each store in the sandbox is given: the credentials a merchant
//! would paste into Counterline (BigCommerce, WooCommerce), the name it is
//! reached by (a Lightspeed X-Series domain prefix, R-Series account id or
//! O-Series company id), and the currency it sells in; and the app registrations the OAuth
//! platforms know ([`AppRegistration`]). [`crate::SandboxConfig`] holds
//! lists of them.
//!
//! The defaults are one store each, with fixed demo credentials (the sandbox
//! only ever talks to itself). Currencies were chosen so a default sandbox
//! has money in several currencies across channels: the BigCommerce store
//! sells in USD, the WooCommerce site in EUR (a European WordPress shop),
//! the X-Series retailer in NZD (Vend began in New Zealand), the R-Series
//! account in CAD (a Montréal bike shop), the O-Series company in AUD
//! (Kounta began in Sydney), the K-Series business in CHF (iKentoo began
//! in Geneva), and the Shopify shop keeps USD books with CAD/EUR
//! presentment prices.

use crate::data::money::Currency;
use crate::error::SandboxError;

/// A BigCommerce store reached with a store-level API account (channel-apis
/// §3.1): the merchant pastes the store hash and the access token.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BigCommerceStore {
    /// The store hash from the API path `stores/{store_hash}/v3/` (lowercase
    /// letters and digits).
    pub store_hash: String,
    /// Sent as `X-Auth-Token`.
    pub access_token: String,
    /// `USD`, `CAD` or `EUR`.
    pub currency: String,
}

impl Default for BigCommerceStore {
    fn default() -> Self {
        BigCommerceStore {
            store_hash: "cl0demo".to_owned(),
            // Store-level tokens are 31 lowercase letters and digits.
            access_token: "cl0sandbox0demo0token0bc0123456".to_owned(),
            currency: "USD".to_owned(),
        }
    }
}

/// A self-hosted WooCommerce site (channel-apis §4): a WordPress host with
/// one REST API key pair and one user who can approve Application Passwords.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WooSite {
    /// The site's host name, e.g. `shop.counterline-demo.test`.
    pub host: String,
    /// `USD`, `CAD` or `EUR`.
    pub currency: String,
    /// `ck_` + 40 hex, from WooCommerce › Settings › Advanced › REST API.
    pub consumer_key: String,
    /// `cs_` + 40 hex.
    pub consumer_secret: String,
    /// The WordPress login that approves Application Password requests (the
    /// browser on the consent page is "logged in" as this user).
    pub app_password_user: String,
}

impl Default for WooSite {
    fn default() -> Self {
        WooSite {
            host: "shop.counterline-demo.test".to_owned(),
            currency: "EUR".to_owned(),
            consumer_key: "ck_c0a1e5ce0de0c0ffee000000000000000000d3a0".to_owned(),
            consumer_secret: "cs_c0a1e5ce0de0c0ffee00000000000000005ec7e7".to_owned(),
            app_password_user: "shopowner".to_owned(),
        }
    }
}

/// An app registered with an OAuth platform (Lightspeed X-Series or
/// R-Series): the credentials from the developer portal, which Counterline
/// sends to the token endpoint. Shopify keeps its own [`crate::ShopifyApp`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AppRegistration {
    pub client_id: String,
    pub client_secret: String,
}

impl AppRegistration {
    pub fn new(client_id: impl Into<String>, client_secret: impl Into<String>) -> Self {
        AppRegistration {
            client_id: client_id.into(),
            client_secret: client_secret.into(),
        }
    }

    /// The sandbox's demo X-Series app.
    pub fn xseries_demo() -> Self {
        AppRegistration::new(
            "counterline-xseries-client-id",
            "counterline-xseries-client-secret",
        )
    }

    /// The sandbox's demo R-Series app.
    pub fn rseries_demo() -> Self {
        AppRegistration::new(
            "counterline-rseries-client-id",
            "counterline-rseries-client-secret",
        )
    }

    /// The sandbox's demo O-Series (Kounta) add-on.
    pub fn oseries_demo() -> Self {
        AppRegistration::new(
            "counterline-oseries-client-id",
            "counterline-oseries-client-secret",
        )
    }

    /// The sandbox's demo K-Series app.
    pub fn kseries_demo() -> Self {
        AppRegistration::new(
            "counterline-kseries-client-id",
            "counterline-kseries-client-secret",
        )
    }
}

/// A Lightspeed Retail X-Series (formerly Vend) retailer (channel-apis §5),
/// reached at `https://{domain_prefix}.retail.lightspeed.app/` once it has
/// approved the app.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct XSeriesRetailer {
    /// The store's subdomain: lowercase letters, digits and hyphens.
    pub domain_prefix: String,
    /// `NZD`, `AUD`, `USD`, `CAD` or `EUR`.
    pub currency: String,
}

impl Default for XSeriesRetailer {
    fn default() -> Self {
        XSeriesRetailer {
            domain_prefix: "counterlinedemo".to_owned(),
            currency: "NZD".to_owned(),
        }
    }
}

/// A Lightspeed Retail R-Series account (channel-apis §6), reached under
/// `https://api.lightspeedapp.com/API/V3/Account/{account_id}/`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RSeriesAccount {
    /// The numeric `accountID`.
    pub account_id: u64,
    /// The shop's name, as `Account.json` reports it.
    pub name: String,
    /// `CAD`, `USD`, `EUR`, `NZD` or `AUD`.
    pub currency: String,
}

impl Default for RSeriesAccount {
    fn default() -> Self {
        RSeriesAccount {
            account_id: 184_302,
            name: "Counterline Demo Cycles".to_owned(),
            currency: "CAD".to_owned(),
        }
    }
}

/// A site (a venue with its registers) of a Lightspeed O-Series company.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OSeriesSite {
    /// The numeric site id in `/companies/{id}/sites/{site_id}`.
    pub site_id: u64,
    pub name: String,
}

impl OSeriesSite {
    pub fn new(site_id: u64, name: impl Into<String>) -> Self {
        OSeriesSite {
            site_id,
            name: name.into(),
        }
    }
}

/// A Lightspeed O-Series (Kounta) company (channel-apis §8), reached under
/// `https://api.kounta.com/v1/companies/{company_id}/` once it has approved
/// the add-on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OSeriesCompany {
    /// The numeric company id (`GET /v1/companies/me` reports it).
    pub company_id: u64,
    /// The company's name, as `companies/me` reports it.
    pub name: String,
    /// At least one; each order is rung up at one site's register.
    pub sites: Vec<OSeriesSite>,
    /// `AUD`, `NZD`, `USD`, `CAD` or `EUR`.
    pub currency: String,
}

impl Default for OSeriesCompany {
    fn default() -> Self {
        OSeriesCompany {
            company_id: 27_460,
            name: "Counterline Demo Café".to_owned(),
            sites: vec![
                OSeriesSite::new(1_101, "Fitzroy"),
                OSeriesSite::new(1_102, "Richmond"),
            ],
            currency: "AUD".to_owned(),
        }
    }
}

/// A Lightspeed Restaurant K-Series business (channel-apis §7), as
/// `GET /f/data/businesses` lists it: the currency belongs to the business
/// (`currencyCode`), and each location has its own sales.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KSeriesBusiness {
    /// `businessId`.
    pub business_id: u64,
    /// `businessName`.
    pub name: String,
    /// `CHF`, `EUR`, `USD`, `CAD`, `NZD` or `AUD`.
    pub currency: String,
    /// At least one.
    pub locations: Vec<KSeriesLocation>,
}

/// One business location (a restaurant), reached at
/// `/f/v2/business-location/{id}/sales`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KSeriesLocation {
    /// `blID`: unique across every business.
    pub id: u64,
    /// `blName`.
    pub name: String,
    /// ISO 3166 country code, e.g. `CH`.
    pub country: String,
    /// ICANN time zone, e.g. `Europe/Zurich`.
    pub timezone: String,
}

impl Default for KSeriesBusiness {
    fn default() -> Self {
        let location = |id: u64, name: &str| KSeriesLocation {
            id,
            name: name.to_owned(),
            country: "CH".to_owned(),
            timezone: "Europe/Zurich".to_owned(),
        };
        KSeriesBusiness {
            business_id: 31_845,
            name: "Counterline Demo Brasserie".to_owned(),
            currency: "CHF".to_owned(),
            locations: vec![
                location(45_454_565_682_155, "Brasserie du Lac, Genève"),
                location(45_454_565_682_156, "Brasserie du Lac, Lausanne"),
            ],
        }
    }
}

fn invalid(platform: &'static str, store: &str, reason: &str) -> SandboxError {
    SandboxError::InvalidStore {
        platform,
        store: store.to_owned(),
        reason: reason.to_owned(),
    }
}

fn currency(code: &str) -> Result<Currency, SandboxError> {
    Currency::from_code(code).ok_or_else(|| SandboxError::UnsupportedCurrency(code.to_owned()))
}

/// A checked BigCommerce store: hash lowercased.
pub(crate) struct CheckedStore {
    pub hash: String,
    pub token: String,
    pub currency: Currency,
}

pub(crate) fn check_bigcommerce(
    stores: &[BigCommerceStore],
) -> Result<Vec<CheckedStore>, SandboxError> {
    let mut checked: Vec<CheckedStore> = Vec::with_capacity(stores.len());
    for s in stores {
        let hash = s.store_hash.trim().to_ascii_lowercase();
        if hash.is_empty() || !hash.chars().all(|c| c.is_ascii_alphanumeric()) {
            return Err(invalid(
                "BigCommerce",
                &s.store_hash,
                "a store hash is lowercase letters and digits",
            ));
        }
        if s.access_token.trim().is_empty() {
            return Err(invalid(
                "BigCommerce",
                &s.store_hash,
                "the access token is empty",
            ));
        }
        if checked.iter().any(|c| c.hash == hash) {
            return Err(SandboxError::DuplicateStore {
                platform: "BigCommerce",
                store: s.store_hash.clone(),
            });
        }
        checked.push(CheckedStore {
            hash,
            token: s.access_token.trim().to_owned(),
            currency: currency(&s.currency)?,
        });
    }
    Ok(checked)
}

/// A checked WooCommerce site: host lowercased.
pub(crate) struct CheckedSite {
    pub host: String,
    pub currency: Currency,
    pub consumer_key: String,
    pub consumer_secret: String,
    pub user: String,
}

fn valid_host(host: &str) -> bool {
    host.contains('.')
        && host.split('.').all(|label| {
            !label.is_empty()
                && !label.starts_with('-')
                && !label.ends_with('-')
                && label
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        })
}

pub(crate) fn check_woocommerce(sites: &[WooSite]) -> Result<Vec<CheckedSite>, SandboxError> {
    let mut checked: Vec<CheckedSite> = Vec::with_capacity(sites.len());
    for s in sites {
        let host = s.host.trim().to_ascii_lowercase();
        if !valid_host(&host) {
            return Err(invalid(
                "WooCommerce",
                &s.host,
                "expected a host name like shop.example.test",
            ));
        }
        if !s.consumer_key.starts_with("ck_") || s.consumer_key.len() < 4 {
            return Err(invalid(
                "WooCommerce",
                &s.host,
                "a consumer key starts with ck_",
            ));
        }
        if !s.consumer_secret.starts_with("cs_") || s.consumer_secret.len() < 4 {
            return Err(invalid(
                "WooCommerce",
                &s.host,
                "a consumer secret starts with cs_",
            ));
        }
        let user = s.app_password_user.trim();
        if user.is_empty() || user.contains(':') {
            return Err(invalid(
                "WooCommerce",
                &s.host,
                "the Application Password user needs a login without ':'",
            ));
        }
        if checked.iter().any(|c| c.host == host) {
            return Err(SandboxError::DuplicateStore {
                platform: "WooCommerce",
                store: s.host.clone(),
            });
        }
        checked.push(CheckedSite {
            host,
            currency: currency(&s.currency)?,
            consumer_key: s.consumer_key.clone(),
            consumer_secret: s.consumer_secret.clone(),
            user: user.to_owned(),
        });
    }
    Ok(checked)
}

/// A checked X-Series retailer: domain prefix lowercased.
pub(crate) struct CheckedRetailer {
    pub domain_prefix: String,
    pub currency: Currency,
}

pub(crate) fn check_xseries(
    retailers: &[XSeriesRetailer],
) -> Result<Vec<CheckedRetailer>, SandboxError> {
    let mut checked: Vec<CheckedRetailer> = Vec::with_capacity(retailers.len());
    for r in retailers {
        let prefix = r.domain_prefix.trim().to_ascii_lowercase();
        let well_formed = !prefix.is_empty()
            && !prefix.starts_with('-')
            && !prefix.ends_with('-')
            && prefix
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
        if !well_formed {
            return Err(invalid(
                "Lightspeed X-Series",
                &r.domain_prefix,
                "a domain prefix is lowercase letters, digits and inner hyphens",
            ));
        }
        if checked.iter().any(|c| c.domain_prefix == prefix) {
            return Err(SandboxError::DuplicateStore {
                platform: "Lightspeed X-Series",
                store: r.domain_prefix.clone(),
            });
        }
        checked.push(CheckedRetailer {
            domain_prefix: prefix,
            currency: currency(&r.currency)?,
        });
    }
    Ok(checked)
}

/// A checked R-Series account.
pub(crate) struct CheckedAccount {
    pub account_id: u64,
    pub name: String,
    pub currency: Currency,
}

pub(crate) fn check_rseries(
    accounts: &[RSeriesAccount],
) -> Result<Vec<CheckedAccount>, SandboxError> {
    let mut checked: Vec<CheckedAccount> = Vec::with_capacity(accounts.len());
    for a in accounts {
        let id = a.account_id.to_string();
        if a.account_id == 0 {
            return Err(invalid(
                "Lightspeed R-Series",
                &id,
                "an account id is a positive number",
            ));
        }
        if a.name.trim().is_empty() {
            return Err(invalid("Lightspeed R-Series", &id, "the name is empty"));
        }
        if checked.iter().any(|c| c.account_id == a.account_id) {
            return Err(SandboxError::DuplicateStore {
                platform: "Lightspeed R-Series",
                store: id,
            });
        }
        checked.push(CheckedAccount {
            account_id: a.account_id,
            name: a.name.trim().to_owned(),
            currency: currency(&a.currency)?,
        });
    }
    Ok(checked)
}

/// A checked O-Series company.
pub(crate) struct CheckedCompany {
    pub company_id: u64,
    pub name: String,
    pub sites: Vec<OSeriesSite>,
    pub currency: Currency,
}

pub(crate) fn check_oseries(
    companies: &[OSeriesCompany],
) -> Result<Vec<CheckedCompany>, SandboxError> {
    const PLATFORM: &str = "Lightspeed O-Series";
    let mut checked: Vec<CheckedCompany> = Vec::with_capacity(companies.len());
    for c in companies {
        let id = c.company_id.to_string();
        if c.company_id == 0 {
            return Err(invalid(PLATFORM, &id, "a company id is a positive number"));
        }
        if c.name.trim().is_empty() {
            return Err(invalid(PLATFORM, &id, "the name is empty"));
        }
        if c.sites.is_empty() {
            return Err(invalid(PLATFORM, &id, "a company needs at least one site"));
        }
        let mut site_ids: Vec<u64> = c.sites.iter().map(|s| s.site_id).collect();
        site_ids.sort_unstable();
        if site_ids.first() == Some(&0) || site_ids.windows(2).any(|w| w[0] == w[1]) {
            return Err(invalid(
                PLATFORM,
                &id,
                "site ids are distinct positive numbers",
            ));
        }
        if checked.iter().any(|k| k.company_id == c.company_id) {
            return Err(SandboxError::DuplicateStore {
                platform: PLATFORM,
                store: id,
            });
        }
        checked.push(CheckedCompany {
            company_id: c.company_id,
            name: c.name.trim().to_owned(),
            sites: c.sites.clone(),
            currency: currency(&c.currency)?,
        });
    }
    Ok(checked)
}

/// A checked K-Series business.
pub(crate) struct CheckedBusiness {
    pub business_id: u64,
    pub name: String,
    pub currency: Currency,
    pub locations: Vec<KSeriesLocation>,
}

pub(crate) fn check_kseries(
    businesses: &[KSeriesBusiness],
) -> Result<Vec<CheckedBusiness>, SandboxError> {
    const K: &str = "Lightspeed K-Series";
    let mut checked: Vec<CheckedBusiness> = Vec::with_capacity(businesses.len());
    let mut location_ids: Vec<u64> = Vec::new();
    for b in businesses {
        let id = b.business_id.to_string();
        if b.business_id == 0 || b.name.trim().is_empty() || b.locations.is_empty() {
            return Err(invalid(
                K,
                &id,
                "a business needs a positive id, a name and a location",
            ));
        }
        if checked.iter().any(|c| c.business_id == b.business_id) {
            return Err(SandboxError::DuplicateStore {
                platform: K,
                store: id,
            });
        }
        let mut locations = Vec::with_capacity(b.locations.len());
        for l in &b.locations {
            if l.id == 0 || l.name.trim().is_empty() {
                return Err(invalid(
                    K,
                    &l.id.to_string(),
                    "a location needs a positive id and a name",
                ));
            }
            if location_ids.contains(&l.id) {
                return Err(SandboxError::DuplicateStore {
                    platform: K,
                    store: l.id.to_string(),
                });
            }
            location_ids.push(l.id);
            locations.push(KSeriesLocation {
                name: l.name.trim().to_owned(),
                ..l.clone()
            });
        }
        checked.push(CheckedBusiness {
            business_id: b.business_id,
            name: b.name.trim().to_owned(),
            currency: currency(&b.currency)?,
            locations,
        });
    }
    Ok(checked)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_pass_their_own_checks() {
        assert_eq!(BigCommerceStore::default().access_token.len(), 31);
        let woo = WooSite::default();
        assert_eq!(woo.consumer_key.len(), 43, "ck_ + 40 hex");
        assert_eq!(woo.consumer_secret.len(), 43, "cs_ + 40 hex");
        assert!(check_bigcommerce(&[BigCommerceStore::default()]).is_ok());
        assert!(check_woocommerce(&[woo]).is_ok());
        assert!(check_xseries(&[XSeriesRetailer::default()]).is_ok());
        assert!(check_rseries(&[RSeriesAccount::default()]).is_ok());
        assert!(check_oseries(&[OSeriesCompany::default()]).is_ok());
        assert!(check_kseries(&[KSeriesBusiness::default()]).is_ok());
    }

    #[test]
    fn lightspeed_stores_are_checked() {
        let spaced = XSeriesRetailer {
            domain_prefix: "my store".into(),
            ..XSeriesRetailer::default()
        };
        assert!(check_xseries(&[spaced]).is_err());
        let upper = XSeriesRetailer {
            domain_prefix: " CounterlineDemo ".into(),
            ..XSeriesRetailer::default()
        };
        let checked = check_xseries(&[upper]).expect("normalised");
        assert_eq!(checked[0].domain_prefix, "counterlinedemo");
        let twice = [RSeriesAccount::default(), RSeriesAccount::default()];
        assert!(matches!(
            check_rseries(&twice),
            Err(SandboxError::DuplicateStore { .. })
        ));
        let zero = RSeriesAccount {
            account_id: 0,
            ..RSeriesAccount::default()
        };
        assert!(check_rseries(&[zero]).is_err());
    }

    #[test]
    fn bad_and_duplicate_stores_are_refused() {
        let bad_hash = BigCommerceStore {
            store_hash: "not a hash".into(),
            ..BigCommerceStore::default()
        };
        assert!(check_bigcommerce(&[bad_hash]).is_err());
        let twice = [BigCommerceStore::default(), BigCommerceStore::default()];
        assert!(matches!(
            check_bigcommerce(&twice),
            Err(SandboxError::DuplicateStore { .. })
        ));
        let yen = WooSite {
            currency: "JPY".into(),
            ..WooSite::default()
        };
        assert!(matches!(
            check_woocommerce(&[yen]),
            Err(SandboxError::UnsupportedCurrency(_))
        ));
        let bad_key = WooSite {
            consumer_key: "key".into(),
            ..WooSite::default()
        };
        assert!(check_woocommerce(&[bad_key]).is_err());
    }
}
