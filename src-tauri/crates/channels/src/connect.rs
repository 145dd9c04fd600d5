//! Connecting a channel end to end. `start_*` records a pending attempt
//! (random `state`, expiry) and opens the platform's consent page in the
//! system browser; [`Connector::complete`] takes the deep-link callback,
//! verifies it (shape, attempt, signature, account, freshness), exchanges the
//! code, proves the token with a real API call, then stores the token in the
//! keychain and the channel row in SQLite — both or neither.

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
use crate::shopify::{auth, client::ShopifyClient, ShopDomain, ShopifyApi};
use crate::woocommerce::{client::WooClient, SiteHost, WooApi};
use crate::{Browser, CallbackProblem, Error, Result};

/// How long a merchant has to finish signing in.
pub const ATTEMPT_TTL_MS: i64 = 10 * 60 * 1000;
/// Identifies Counterline to WordPress's application-password screen (a
/// fixed UUID, so the merchant sees one app, not one per attempt).
const WORDPRESS_APP_ID: &str = "6f0b5e1c-3c1a-4b8e-9a51-7c0f2d4e8b31";

/// Accepted drift of Shopify's `timestamp` from our clock. Shopify's library
/// allows 90 s on servers; desktop clocks drift more, and `state` already
/// expires, so this only bounds replays of a captured link.
const TIMESTAMP_TOLERANCE_SECS: i64 = 10 * 60;

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

#[derive(Debug, Clone)]
pub struct Started {
    pub attempt_id: String,
    pub authorize_url: Url,
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
    pub browser: Arc<dyn Browser>,
}

fn random_token(bytes: usize) -> String {
    let mut buf = vec![0u8; bytes];
    rand::thread_rng().fill_bytes(&mut buf);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(buf)
}

/// Runs a blocking keychain call off the async workers (Secret Service is D-Bus).
async fn keychain_call<T: Send + 'static>(
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
        Ok(Started { attempt_id, authorize_url })
    }

    /// Verifies and completes a callback. Nothing is stored unless every
    /// check passes and the token works.
    pub async fn complete(&self, raw_url: &str) -> std::result::Result<Connected, Failed> {
        let reject = |problem| Failed { attempt_id: None, error: Error::Callback(problem) };
        let params = callback::parse(raw_url, &self.scheme).map_err(reject)?;
        let state = param(&params, "state").ok_or_else(|| reject(CallbackProblem::Malformed))?;
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
        let result = match attempt.platform {
            Platform::Shopify => self.complete_shopify(&params, &attempt.account).await,
            Platform::WooCommerce => self.complete_woocommerce(&params, &attempt.account).await,
            // BigCommerce connects with a pasted token, never in the browser.
            Platform::BigCommerce => Err(Error::Callback(CallbackProblem::WrongPlatform)),
        };
        match result {
            Ok(channel) => Ok(Connected { attempt_id, channel }),
            Err(error) => Err(Failed { attempt_id: Some(attempt_id), error }),
        }
    }

    async fn complete_shopify(&self, params: &[(String, String)], account: &str) -> Result<ChannelView> {
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
            Platform::BigCommerce => Err(Error::InvalidInput(
                "BigCommerce connects with an API account token: connect the store again with a new token.".into(),
            )),
        }
    }

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

    /// Opens WordPress's "Authorize application" screen. WordPress appends
    /// `site_url`, `user_login` and `password` to our deep link; `state` in
    /// the link binds the answer to this attempt (WordPress signs nothing).
    pub async fn start_woocommerce(&self, site_input: &str) -> Result<Started> {
        let site = SiteHost::parse(site_input)?;
        let state = random_token(32);
        let attempt_id = random_token(12);
        let mut conn = self.db.conn().await?;
        attempts::create(&mut conn, &attempt_id, Platform::WooCommerce, site.as_str(), &state, ATTEMPT_TTL_MS).await?;
        let callback = callback::redirect_uri(&self.scheme);
        let with_state = |extra: &[(&str, &str)]| {
            let mut url = callback.clone();
            url.query_pairs_mut().append_pair("state", &state).extend_pairs(extra);
            url.to_string()
        };
        let mut authorize_url = self
            .woocommerce
            .origin(&site)?
            .join("wp-admin/authorize-application.php")
            .map_err(|e| Error::Internal(format!("WordPress authorize URL: {e}")))?;
        authorize_url
            .query_pairs_mut()
            .append_pair("app_name", "Counterline")
            .append_pair("app_id", WORDPRESS_APP_ID)
            .append_pair("success_url", &with_state(&[]))
            .append_pair("reject_url", &with_state(&[("error", "access_denied")]));
        self.browser.open(&authorize_url).map_err(Error::Browser)?;
        Ok(Started { attempt_id, authorize_url })
    }

    async fn complete_woocommerce(&self, params: &[(String, String)], account: &str) -> Result<ChannelView> {
        if param(params, "error").is_some() || param(params, "success") == Some("false") {
            return Err(Error::Callback(CallbackProblem::Denied));
        }
        let site_url = param(params, "site_url").ok_or(Error::Callback(CallbackProblem::Malformed))?;
        // WordPress reports its own address; it must be the site the merchant chose.
        let site = SiteHost::parse(account)?;
        let expected = self.woocommerce.origin(&site)?;
        if site_url.trim_end_matches('/') != expected.as_str().trim_end_matches('/') {
            return Err(Error::Callback(CallbackProblem::ForeignAccount));
        }
        let user = param(params, "user_login").filter(|u| !u.is_empty() && !u.contains(':'));
        let password = param(params, "password").filter(|p| !p.is_empty());
        let (Some(user), Some(password)) = (user, password) else {
            return Err(Error::Callback(CallbackProblem::Malformed));
        };
        self.connect_woocommerce_credential(&site, Secret::new(format!("{user}:{password}"))).await
    }

    /// An application password already in hand (demo mode issues one).
    pub async fn connect_woocommerce_app_password(&self, site_input: &str, user: &str, password: &str) -> Result<ChannelView> {
        let site = SiteHost::parse(site_input)?;
        self.connect_woocommerce_credential(&site, Secret::new(format!("{user}:{password}"))).await
    }

    /// REST API keys pasted by the merchant (WooCommerce › Settings › Advanced › REST API).
    pub async fn connect_woocommerce_keys(&self, site_input: &str, key: &str, secret: &str) -> Result<ChannelView> {
        let site = SiteHost::parse(site_input)?;
        let (key, secret) = (key.trim(), secret.trim());
        if !key.starts_with("ck_") || !secret.starts_with("cs_") || key.contains(':') {
            return Err(Error::InvalidInput(
                "WooCommerce keys start with ck_ (consumer key) and cs_ (consumer secret); copy both from WooCommerce › Settings › Advanced › REST API.".into(),
            ));
        }
        self.connect_woocommerce_credential(&site, Secret::new(format!("{key}:{secret}"))).await
    }

    async fn connect_woocommerce_credential(&self, site: &SiteHost, credential: Secret) -> Result<ChannelView> {
        let client = WooClient::new(self.http.clone(), self.woocommerce.origin(site)?, credential.clone());
        let name = client.site_name().await?;
        self.save_channel(Platform::WooCommerce, site.as_str(), &name, credential).await
    }

    /// The order API of a connected channel, credentials from the keychain.
    pub async fn source(&self, channel: &ChannelView) -> Result<crate::source::OrderSource> {
        match channel.platform {
            Platform::Shopify => Ok(crate::source::OrderSource::Shopify(self.shopify_client(&channel.account).await?)),
            Platform::BigCommerce => {
                let hash = StoreHash::parse(&channel.account)?;
                let token = self.stored_token(Platform::BigCommerce, &channel.account).await?;
                Ok(crate::source::OrderSource::BigCommerce(BigCommerceClient::new(self.http.clone(), &self.bigcommerce, &hash, token)?))
            }
            Platform::WooCommerce => {
                let site = SiteHost::parse(&channel.account)?;
                let credential = self.stored_token(Platform::WooCommerce, &channel.account).await?;
                Ok(crate::source::OrderSource::WooCommerce(WooClient::new(self.http.clone(), self.woocommerce.origin(&site)?, credential)))
            }
        }
    }

    /// An API client for a connected Shopify channel, token from the keychain.
    pub async fn shopify_client(&self, account: &str) -> Result<ShopifyClient> {
        let registration = self.shopify_registration()?;
        let shop = ShopDomain::strict(account)
            .ok_or_else(|| Error::Internal(format!("stored shop domain {account:?} is invalid")))?;
        let token = self.stored_token(Platform::Shopify, account).await?;
        ShopifyClient::new(self.http.clone(), &registration.api.origin(&shop)?, token)
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
    match platform {
        Platform::Shopify => "Shopify",
        Platform::BigCommerce => "BigCommerce",
        Platform::WooCommerce => "WooCommerce",
    }
}
