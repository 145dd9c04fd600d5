//! Shopify's browser sign-in: start (pending attempt, consent page) and the
//! callback checks specific to Shopify (signature, shop, freshness), then the
//! code exchange and a real `shop` call before anything is saved.

use counterline_secrets::Secret;
use counterline_store::attempts;
use counterline_store::model::{ChannelView, Platform};
use counterline_store::now_ms;

use super::{keychain_call, random_token, registration_secret_key, Connector, ShopifyRegistration, Started, ATTEMPT_TTL_MS};
use crate::callback::{self, param};
use crate::shopify::{auth, client::ShopifyClient, ShopDomain};
use crate::{CallbackProblem, Error, Result};

/// Accepted drift of Shopify's `timestamp` from our clock. Shopify's library
/// allows 90 s on servers; desktop clocks drift more, and `state` already
/// expires, so this only bounds replays of a captured link.
const TIMESTAMP_TOLERANCE_SECS: i64 = 10 * 60;

impl Connector {
    fn shopify_registration(&self) -> Result<&ShopifyRegistration> {
        self.shopify.as_ref().ok_or(Error::Registration {
            platform: "Shopify",
            detail: "no client id is configured (Settings › App registrations)".into(),
        })
    }

    async fn client_secret(&self, platform: Platform) -> Result<Secret> {
        let key = registration_secret_key(platform);
        keychain_call(&self.keychain, move |k| k.get(&key)).await?.ok_or(Error::Registration {
            platform: "Shopify",
            detail: "the client secret is missing from the keychain".into(),
        })
    }

    pub async fn start_shopify(&self, shop_input: &str) -> Result<Started> {
        let shop = ShopDomain::parse(shop_input)?;
        let registration = self.shopify_registration()?;
        let secret = self.client_secret(Platform::Shopify).await?;
        let state = random_token(32);
        let attempt_id = random_token(12);
        let mut conn = self.db.conn().await?;
        attempts::create(&mut conn, &attempt_id, Platform::Shopify, shop.as_str(), &state, ATTEMPT_TTL_MS).await?;
        let origin = registration.api.origin(&shop)?;
        let redirect = callback::redirect_uri(&self.scheme);
        let authorize_url = auth::authorize_url(&origin, &registration.client_id, &secret, &redirect, &state)?;
        self.browser.open(&authorize_url).map_err(Error::Browser)?;
        Ok(Started { attempt_id, authorize_url, loopback: None })
    }

    pub(super) async fn complete_shopify(&self, params: &[(String, String)], account: &str) -> Result<ChannelView> {
        if param(params, "error").is_some() {
            return Err(Error::Callback(CallbackProblem::Denied));
        }
        let registration = self.shopify_registration()?;
        let secret = self.client_secret(Platform::Shopify).await?;
        let hmac = param(params, "hmac").ok_or(Error::Callback(CallbackProblem::BadSignature))?;
        if !auth::hmac_matches(params, hmac, &secret) {
            return Err(Error::Callback(CallbackProblem::BadSignature));
        }
        let shop = param(params, "shop")
            .and_then(ShopDomain::strict)
            .filter(|shop| shop.as_str() == account)
            .ok_or(Error::Callback(CallbackProblem::ForeignAccount))?;
        let timestamp: i64 = param(params, "timestamp")
            .and_then(|t| t.parse().ok())
            .ok_or(Error::Callback(CallbackProblem::Malformed))?;
        if (now_ms() / 1000 - timestamp).abs() > TIMESTAMP_TOLERANCE_SECS {
            return Err(Error::Callback(CallbackProblem::Expired));
        }
        let code = param(params, "code").ok_or(Error::Callback(CallbackProblem::Malformed))?;
        let origin = registration.api.origin(&shop)?;
        let redirect = callback::redirect_uri(&self.scheme);
        let grant = auth::exchange_code(&self.http, &origin, &registration.client_id, &secret, &redirect, code).await?;
        let info = ShopifyClient::new(self.http.clone(), &origin, grant.access_token.clone())?.shop().await?;
        self.save_channel(Platform::Shopify, shop.as_str(), &info.name, grant.access_token).await
    }

    /// An API client for a connected Shopify channel, token from the keychain.
    pub async fn shopify_client(&self, account: &str) -> Result<ShopifyClient> {
        let registration = self.shopify_registration()?;
        let shop = ShopDomain::strict(account)
            .ok_or_else(|| Error::Internal(format!("stored shop domain {account:?} is invalid")))?;
        let token = self.stored_token(Platform::Shopify, account).await?;
        let client = ShopifyClient::new(self.http.clone(), &registration.api.origin(&shop)?, token)?;
        Ok(client.with_budget(self.budgets.for_connection(Platform::Shopify, account)))
    }
}
