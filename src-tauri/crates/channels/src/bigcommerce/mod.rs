//! BigCommerce through a store-level API account: the merchant pastes the
//! store hash (or the API path) and an access token; there is no desktop-
//! capable OAuth (app callbacks must be public HTTPS). Orders come from the
//! v2 Orders API by `date_modified`; facts from
//! `shared/reference/channel-apis.md` §3.

pub mod client;
pub mod normalize;
pub mod writes;

use url::Url;

use crate::{Error, Result};

/// Where the API lives: the real host or the Counterline sandbox.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BigCommerceApi {
    Production,
    /// The sandbox base URL; `https://api.bigcommerce.com/` maps to `{base}bigcommerce/`.
    Sandbox(Url),
}

impl BigCommerceApi {
    pub fn origin(&self) -> Result<Url> {
        let text = match self {
            BigCommerceApi::Production => "https://api.bigcommerce.com/".to_owned(),
            BigCommerceApi::Sandbox(base) => format!("{base}bigcommerce/"),
        };
        Url::parse(&text).map_err(|e| Error::Internal(format!("BigCommerce origin: {e}")))
    }
}

/// A validated store hash, e.g. `abc123xyz`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoreHash(String);

impl StoreHash {
    /// Accepts the bare hash or the API path BigCommerce shows with the
    /// account (`https://api.bigcommerce.com/stores/{hash}/v3/`).
    pub fn parse(input: &str) -> Result<StoreHash> {
        let text = input.trim().to_ascii_lowercase();
        let hash = match text.split_once("/stores/") {
            Some((_, rest)) => rest.split('/').next().unwrap_or_default().to_owned(),
            None => text,
        };
        let valid = !hash.is_empty() && hash.len() <= 32 && hash.bytes().all(|b| b.is_ascii_alphanumeric());
        if valid {
            Ok(StoreHash(hash))
        } else {
            Err(Error::InvalidInput(format!(
                "“{}” isn't a BigCommerce store hash. Copy the API path from Settings › Store-level API accounts; \
                 it looks like https://api.bigcommerce.com/stores/abc123/v3/.",
                input.trim()
            )))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::StoreHash;

    #[test]
    fn the_hash_or_the_api_path_is_accepted() {
        for input in ["abc123", " ABC123 ", "https://api.bigcommerce.com/stores/abc123/v3/"] {
            assert_eq!(StoreHash::parse(input).unwrap().as_str(), "abc123", "{input}");
        }
        for input in ["", "abc 123", "https://api.bigcommerce.com/stores//v3/", "abc/../x"] {
            assert!(StoreHash::parse(input).is_err(), "{input}");
        }
    }
}
