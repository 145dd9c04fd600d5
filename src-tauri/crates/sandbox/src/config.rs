//! What a BigCommerce store or a WooCommerce site in the sandbox is given:
//! the credentials a merchant would paste into Counterline, and the currency
//! the store sells in. [`crate::SandboxConfig`] holds lists of them.
//!
//! The defaults are one store each, with fixed demo credentials (the sandbox
//! only ever talks to itself). Currencies were chosen so a default sandbox
//! has money in several currencies across channels: the BigCommerce store
//! sells in USD, the WooCommerce site in EUR (a European WordPress shop),
//! and the Shopify shop keeps USD books with CAD/EUR presentment prices.

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
