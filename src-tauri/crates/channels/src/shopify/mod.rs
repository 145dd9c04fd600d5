//! Shopify: OAuth authorization-code grant with `hmac`-signed callbacks, and
//! the Admin GraphQL `orders` connection. Facts from
//! `shared/reference/channel-apis.md` §2; documents in `*.graphql` beside this
//! file are validated against Shopify's real schema by `tests/graphql`.

pub mod auth;
pub mod client;
pub mod normalize;
pub mod writes;

use url::Url;

use crate::{Error, Result};

/// Admin API version every request names. Must match the schema version the
/// GraphQL validation test loads (`tests/graphql/shopify-schema.test.mjs`).
pub const SHOPIFY_API_VERSION: &str = "2025-10";

/// What Counterline asks the merchant to grant (comma-separated on the wire).
pub const SCOPES: &[&str] = &["read_orders", "read_products"];

/// Where a shop's endpoints live: the real `https://{shop}/` or the
/// Counterline sandbox standing in for it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ShopifyApi {
    Production,
    /// The sandbox's base URL; shop `x` is served under `{base}shopify/x/`.
    Sandbox(Url),
}

impl ShopifyApi {
    pub fn origin(&self, shop: &ShopDomain) -> Result<Url> {
        let text = match self {
            ShopifyApi::Production => format!("https://{}/", shop.as_str()),
            ShopifyApi::Sandbox(base) => format!("{base}shopify/{}/", shop.as_str()),
        };
        Url::parse(&text).map_err(|e| Error::Internal(format!("shop origin: {e}")))
    }
}

/// A validated `*.myshopify.com` domain, lowercase.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ShopDomain(String);

impl ShopDomain {
    /// Accepts what merchants type: `my-store`, `My-Store.myshopify.com`,
    /// `https://my-store.myshopify.com/admin`. Anything else is refused rather
    /// than guessed at, because the domain decides where credentials go.
    pub fn parse(input: &str) -> Result<ShopDomain> {
        let mut text = input.trim().to_ascii_lowercase();
        for prefix in ["https://", "http://"] {
            if let Some(rest) = text.strip_prefix(prefix) {
                text = rest.to_owned();
            }
        }
        if let Some((host, _path)) = text.split_once('/') {
            text = host.to_owned();
        }
        if !text.contains('.') {
            text.push_str(".myshopify.com");
        }
        ShopDomain::strict(&text).ok_or_else(|| {
            Error::InvalidInput(format!(
                "“{}” isn't a Shopify store address. It looks like your-store.myshopify.com.",
                input.trim()
            ))
        })
    }

    /// The exact form Shopify sends back in callbacks; no normalization.
    pub fn strict(text: &str) -> Option<ShopDomain> {
        let handle = text.strip_suffix(".myshopify.com")?;
        let mut bytes = handle.bytes();
        let first_ok = bytes.next().is_some_and(|b| b.is_ascii_lowercase() || b.is_ascii_digit());
        let rest_ok = bytes.all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
        (first_ok && rest_ok && handle.len() <= 60).then(|| ShopDomain(text.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::ShopDomain;

    #[test]
    fn merchant_typed_addresses_normalize_to_the_shop_domain() {
        for input in ["my-store", " My-Store.myshopify.com ", "https://my-store.myshopify.com/admin"] {
            assert_eq!(ShopDomain::parse(input).unwrap().as_str(), "my-store.myshopify.com", "{input}");
        }
    }

    #[test]
    fn other_hosts_are_refused() {
        for input in ["evil.com", "my-store.myshopify.com.evil.com", "-x.myshopify.com", "", "a b.myshopify.com", "user@my-store.myshopify.com"] {
            assert!(ShopDomain::parse(input).is_err(), "{input} must be refused");
        }
    }
}
