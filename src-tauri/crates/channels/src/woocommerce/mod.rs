//! WooCommerce (self-hosted WordPress) through the wc/v3 REST API with HTTP
//! Basic auth: either a WordPress Application Password, authorized in the
//! browser with the deep link as `success_url`, or REST API consumer keys the
//! merchant pastes. WooCommerce's own `wc-auth` flow needs a public HTTPS
//! callback, so a desktop app can't use it. Facts from
//! `shared/reference/channel-apis.md` §4.

pub mod client;
pub mod normalize;
pub mod writes;

use url::Url;

use crate::{Error, Result};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WooApi {
    Production,
    /// The sandbox base URL; site `h` is served under `{base}woocommerce/h/`.
    Sandbox(Url),
}

/// A store's address, reduced to its lowercase host (stores in a WordPress
/// subfolder are not supported yet).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SiteHost(String);

impl SiteHost {
    pub fn parse(input: &str) -> Result<SiteHost> {
        let trimmed = input.trim();
        let with_scheme = if trimmed.contains("://") { trimmed.to_owned() } else { format!("https://{trimmed}") };
        let refuse = || {
            Error::InvalidInput(format!(
                "“{trimmed}” isn't a store address Counterline can use. Type it as it appears in the browser, e.g. https://shop.example.com."
            ))
        };
        let url = Url::parse(&with_scheme).map_err(|_| refuse())?;
        let host = url.host_str().filter(|h| h.contains('.')).ok_or_else(refuse)?;
        let clean = url.username().is_empty() && url.password().is_none() && url.port().is_none() && matches!(url.path(), "" | "/");
        if !clean || !matches!(url.scheme(), "https" | "http") {
            return Err(refuse());
        }
        Ok(SiteHost(host.to_ascii_lowercase()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl WooApi {
    /// Always HTTPS in production: Basic credentials never travel in clear text.
    pub fn origin(&self, site: &SiteHost) -> Result<Url> {
        let text = match self {
            WooApi::Production => format!("https://{}/", site.as_str()),
            WooApi::Sandbox(base) => format!("{base}woocommerce/{}/", site.as_str()),
        };
        Url::parse(&text).map_err(|e| Error::Internal(format!("WooCommerce origin: {e}")))
    }
}

#[cfg(test)]
mod tests {
    use super::SiteHost;

    #[test]
    fn store_addresses_reduce_to_their_host() {
        for input in ["shop.example.com", "https://Shop.Example.com/", " http://shop.example.com "] {
            assert_eq!(SiteHost::parse(input).unwrap().as_str(), "shop.example.com", "{input}");
        }
        for input in ["", "localhost", "ftp://shop.example.com", "https://user@shop.example.com", "https://shop.example.com:8443", "https://example.com/shop"] {
            assert!(SiteHost::parse(input).is_err(), "{input}");
        }
    }
}
