//! BigCommerce: a store-level API account's token, proven with a real call.

use counterline_secrets::Secret;
use counterline_store::model::{ChannelView, Platform};

use super::Connector;
use crate::bigcommerce::{client::BigCommerceClient, StoreHash};
use crate::{Error, Result};

impl Connector {
    /// BigCommerce store-level API account: proves the token with a real
    /// call, then stores it in the keychain and the channel row together.
    pub async fn connect_bigcommerce(&self, store_hash: &str, access_token: &str) -> Result<ChannelView> {
        let hash = StoreHash::parse(store_hash)?;
        let token = access_token.trim();
        if token.is_empty() || token.len() > 200 || token.contains(char::is_whitespace) {
            return Err(Error::InvalidInput("Paste the API account's access token exactly as BigCommerce shows it.".into()));
        }
        let token = Secret::new(token);
        let client = BigCommerceClient::new(self.http.clone(), &self.bigcommerce, &hash, token.clone())?;
        let name = client.store_name().await?;
        self.save_channel(Platform::BigCommerce, hash.as_str(), &name, token).await
    }
}
