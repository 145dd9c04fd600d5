//! Connecting a channel end to end. `start_*` records a pending attempt
//! (random `state`, expiry) and opens the platform's consent page in the
//! system browser; [`Connector::complete`] takes the deep-link callback,
//! verifies it (shape, attempt, signature, account, freshness), exchanges the
//! code, proves the token with a real API call, then stores the token in the
//! keychain and the channel row in SQLite — both or neither. Credential
//! platforms skip the browser but keep the same "prove, then save both" rule.
//! Each platform's own steps live in a submodule.

mod bigcommerce;
mod lightspeed;
mod shopify;
mod woocommerce;

pub use lightspeed::is_lightspeed_oauth;

use std::sync::Arc;

use base64::Engine;
use rand::RngCore;
use url::Url;

use counterline_secrets::{Keychain, Secret};
use counterline_store::attempts::{self, AttemptClaim};
use counterline_store::model::{ChannelView, Platform};
use counterline_store::{channels, now_ms, Db};

use crate::bigcommerce::{client::BigCommerceClient, BigCommerceApi, StoreHash};
use crate::callback::{self, param};
use crate::grant::RefreshLocks;
use crate::lightspeed::{LightspeedApi, OAuthRegistration};
use crate::shopify::ShopifyApi;
use crate::woocommerce::{client::WooClient, SiteHost, WooApi};
use crate::{Browser, CallbackProblem, Error, Result};

/// How long a merchant has to finish signing in.
pub const ATTEMPT_TTL_MS: i64 = 10 * 60 * 1000;

/// The app registration for Shopify: public client id and where the API is.
/// The client secret lives in the keychain under [`registration_secret_key`].
#[derive(Debug, Clone)]
pub struct ShopifyRegistration {
    pub client_id: String,
    pub api: ShopifyApi,
}

pub fn registration_secret_key(platform: Platform) -> String {
    format!("registration/{}/client_secret", platform.as_str())
}

/// Keychain key of a channel's access token. Keyed by account, not row id,
/// so a re-authorization replaces the token of the same channel.
pub fn access_token_key(platform: Platform, account: &str) -> String {
    format!("channel/{}/{account}/access_token", platform.as_str())
}

#[derive(Debug)]
pub struct Started {
    pub attempt_id: String,
    pub authorize_url: Url,
    /// For a loopback redirect: the listener the browser will come back
    /// to; the caller waits on it and hands what arrives to
    /// [`Connector::complete_loopback`].
    pub loopback: Option<crate::loopback::Pending>,
}

/// How a callback reached the app, which decides the redirect URI the
/// code exchange must repeat.
#[derive(Debug, Clone)]
pub enum Arrival {
    DeepLink,
    Loopback(Url),
}

/// Counterline's registrations with the Lightspeed platforms, and where
/// their servers are.
#[derive(Debug, Clone)]
pub struct LightspeedApps {
    pub api: LightspeedApi,
    pub xseries: Option<OAuthRegistration>,
    pub rseries: Option<OAuthRegistration>,
    /// K-Series accepts only HTTPS redirects: its registration uses the relay.
    pub kseries: Option<OAuthRegistration>,
    pub oseries: Option<OAuthRegistration>,
}

impl Default for LightspeedApps {
    fn default() -> Self {
        LightspeedApps { api: LightspeedApi::Production, xseries: None, rseries: None, kseries: None, oseries: None }
    }
}

#[derive(Debug)]
pub struct Connected {
    pub attempt_id: String,
    pub channel: ChannelView,
}

#[derive(Debug)]
pub struct Failed {
    /// The attempt the callback belonged to, when one could be identified.
    pub attempt_id: Option<String>,
    pub error: Error,
}

pub struct Connector {
    pub db: Db,
    pub keychain: Keychain,
    pub http: reqwest::Client,
    pub scheme: String,
    pub shopify: Option<ShopifyRegistration>,
    /// BigCommerce needs no app registration (store-level API accounts),
    /// only where the API lives.
    pub bigcommerce: BigCommerceApi,
    pub woocommerce: WooApi,
    pub lightspeed: LightspeedApps,
    pub browser: Arc<dyn Browser>,
    /// One refresher per connection, across every client built here.
    pub refresh_locks: RefreshLocks,
    /// One rate budget per connection, likewise: the platform counts every
    /// request of the connection against one allowance.
    pub budgets: crate::budget::Budgets,
}

fn random_token(bytes: usize) -> String {
    let mut buf = vec![0u8; bytes];
    rand::thread_rng().fill_bytes(&mut buf);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(buf)
}

/// Runs a blocking keychain call off the async workers (Secret Service is D-Bus).
pub(crate) async fn keychain_call<T: Send + 'static>(
    keychain: &Keychain,
    call: impl FnOnce(&Keychain) -> counterline_secrets::Result<T> + Send + 'static,
) -> Result<T> {
    let keychain = keychain.clone();
    tokio::task::spawn_blocking(move || call(&keychain))
        .await
        .map_err(|e| Error::Internal(format!("keychain task: {e}")))?
        .map_err(Error::from)
}

impl Connector {

    /// Verifies and completes a callback. Nothing is stored unless every
    /// check passes and the token works.
    pub async fn complete(&self, raw_url: &str) -> std::result::Result<Connected, Failed> {
        let reject = |problem| Failed { attempt_id: None, error: Error::Callback(problem) };
        let params = callback::parse(raw_url, &self.scheme).map_err(reject)?;
        self.complete_params(&params, Arrival::DeepLink).await
    }

    /// Completes a sign-in whose browser came back to a loopback listener.
    pub async fn complete_loopback(
        &self,
        params: &[(String, String)],
        redirect: Url,
    ) -> std::result::Result<Connected, Failed> {
        self.complete_params(params, Arrival::Loopback(redirect)).await
    }

    async fn complete_params(&self, params: &[(String, String)], arrival: Arrival) -> std::result::Result<Connected, Failed> {
        let reject = |problem| Failed { attempt_id: None, error: Error::Callback(problem) };
        let state = param(params, "state").ok_or_else(|| reject(CallbackProblem::Malformed))?;
        let claim = async {
            let mut conn = self.db.conn().await?;
            Ok::<_, Error>(attempts::claim(&mut conn, state, now_ms()).await?)
        };
        let attempt = match claim.await.map_err(|error| Failed { attempt_id: None, error })? {
            AttemptClaim::Valid(attempt) => attempt,
            AttemptClaim::Unknown => return Err(reject(CallbackProblem::UnknownAttempt)),
            AttemptClaim::AlreadyUsed => return Err(reject(CallbackProblem::Replayed)),
            AttemptClaim::Expired => return Err(reject(CallbackProblem::Expired)),
        };
        let attempt_id = attempt.id.clone();
        let result = match (attempt.platform, &arrival) {
            (Platform::Shopify, Arrival::DeepLink) => self.complete_shopify(params, &attempt.account).await,
            (Platform::WooCommerce, Arrival::DeepLink) => self.complete_woocommerce(params, &attempt.account).await,
            (platform @ (Platform::XSeries | Platform::RSeries | Platform::KSeries | Platform::OSeries), _) => {
                self.complete_lightspeed(platform, params, &attempt.account, &arrival).await
            }
            // BigCommerce connects with a pasted token, never in the browser;
            // loopback arrivals for deep-link-only platforms are not
            // callbacks this attempt can take.
            _ => Err(Error::Callback(CallbackProblem::WrongPlatform)),
        };
        match result {
            Ok(channel) => Ok(Connected { attempt_id, channel }),
            Err(error) => Err(Failed { attempt_id: Some(attempt_id), error }),
        }
    }

    /// The channel row and its token land together: the row's transaction
    /// commits only after the keychain accepted the token, and a failed
    /// commit removes the token again.
    async fn save_channel(&self, platform: Platform, account: &str, name: &str, token: Secret) -> Result<ChannelView> {
        let mut tx = self.db.begin().await?;
        let id = channels::upsert(&mut tx, platform, account, name).await?;
        let key = access_token_key(platform, account);
        let key_for_set = key.clone();
        keychain_call(&self.keychain, move |k| k.set(&key_for_set, &token)).await?;
        if let Err(error) = tx.commit().await {
            let _ = keychain_call(&self.keychain, move |k| k.delete(&key)).await;
            return Err(counterline_store::Error::from(error).into());
        }
        let mut conn = self.db.conn().await?;
        Ok(channels::get(&mut conn, id).await?)
    }

    /// Disconnects a channel: its row leaves the list (orders stay) and its
    /// token leaves the keychain, in that order inside one transaction so a
    /// keychain failure leaves the channel connected rather than half-gone.
    pub async fn disconnect(&self, channel: &ChannelView) -> Result<()> {
        let mut tx = self.db.begin().await?;
        channels::disconnect(&mut tx, channel.id).await?;
        let key = access_token_key(channel.platform, &channel.account);
        keychain_call(&self.keychain, move |k| k.delete(&key)).await?;
        tx.commit().await.map_err(counterline_store::Error::from)?;
        Ok(())
    }

    /// Starts a fresh authorization for an existing channel's own account;
    /// completing it reuses the same channel row (see `channels::upsert`).
    pub async fn reauthorize(&self, channel: &ChannelView) -> Result<Started> {
        match channel.platform {
            Platform::Shopify => self.start_shopify(&channel.account).await,
            Platform::WooCommerce => self.start_woocommerce(&channel.account).await,
            platform @ (Platform::XSeries | Platform::RSeries | Platform::KSeries | Platform::OSeries) => {
                self.start_lightspeed(platform, Some(&channel.account)).await
            }
            Platform::BigCommerce => Err(Error::InvalidInput(
                "BigCommerce connects with an API account token: connect the store again with a new token.".into(),
            )),
        }
    }

    /// The order API of a connected channel, credentials from the keychain.
    pub async fn source(&self, channel: &ChannelView) -> Result<crate::source::OrderSource> {
        match channel.platform {
            Platform::Shopify => Ok(crate::source::OrderSource::Shopify(self.shopify_client(&channel.account).await?)),
            Platform::BigCommerce => {
                let hash = StoreHash::parse(&channel.account)?;
                let token = self.stored_token(Platform::BigCommerce, &channel.account).await?;
                let client = BigCommerceClient::new(self.http.clone(), &self.bigcommerce, &hash, token)?
                    .with_budget(self.budgets.for_connection(Platform::BigCommerce, &channel.account));
                Ok(crate::source::OrderSource::BigCommerce(client))
            }
            Platform::WooCommerce => {
                let site = SiteHost::parse(&channel.account)?;
                let credential = self.stored_token(Platform::WooCommerce, &channel.account).await?;
                let client = WooClient::new(self.http.clone(), self.woocommerce.origin(&site)?, credential)
                    .with_budget(self.budgets.for_connection(Platform::WooCommerce, &channel.account));
                Ok(crate::source::OrderSource::WooCommerce(client))
            }
            Platform::XSeries => Ok(crate::source::OrderSource::XSeries(self.xseries_client(&channel.account).await?)),
            Platform::RSeries => Ok(crate::source::OrderSource::RSeries(self.rseries_client(&channel.account).await?)),
            Platform::KSeries => Ok(crate::source::OrderSource::KSeries(self.kseries_client(&channel.account).await?)),
            Platform::OSeries => Ok(crate::source::OrderSource::OSeries(self.oseries_client(&channel.account).await?)),
        }
    }

}

impl Connector {
    async fn stored_token(&self, platform: Platform, account: &str) -> Result<Secret> {
        let key = access_token_key(platform, account);
        keychain_call(&self.keychain, move |k| k.get(&key)).await?.ok_or(Error::Auth {
            platform: platform_name(platform),
            detail: "no access token is stored for this channel".into(),
        })
    }
}

fn platform_name(platform: Platform) -> &'static str {
    platform.display_name()
}
