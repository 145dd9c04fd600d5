//! The Lightspeed platforms' browser sign-in (X-, R-, K- and O-Series): start (pending attempt,
//! redirect per the registration's mode, consent page), the callback checks
//! (denial, the platform's own parameters, the account the attempt named),
//! the code exchange, a real API call with the new grant, and only then the
//! grant to the keychain and the channel row to SQLite. Also the API
//! clients of connected channels, whose grants refresh through one
//! [`GrantKeeper`] per connection.

use std::sync::Arc;

use url::Url;

use counterline_store::attempts;
use counterline_store::model::{ChannelView, Platform};

use super::{access_token_key, keychain_call, random_token, registration_secret_key, Arrival, Connector, Started, ATTEMPT_TTL_MS};
use crate::callback::{self, param};
use crate::grant::{Grant, GrantKeeper, GrantStore};
use crate::lightspeed::{DomainPrefix, OAuthRegistration, RedirectMode};
use crate::oauth::{self, ClientCredentials, OAuthEndpoints};
use crate::kseries::client::KSeriesClient;
use crate::oseries::client::OSeriesClient;
use crate::rseries::client::RSeriesClient;
use crate::xseries::client::XSeriesClient;
use crate::{loopback, CallbackProblem, Error, Result};

fn scopes(platform: Platform) -> &'static str {
    match platform {
        Platform::XSeries => crate::xseries::SCOPES,
        Platform::RSeries => crate::rseries::SCOPES,
        Platform::KSeries => crate::kseries::SCOPES,
        // Kounta documents no scopes.
        _ => "",
    }
}

/// The Lightspeed platforms that sign in through the browser.
pub fn is_lightspeed_oauth(platform: Platform) -> bool {
    matches!(platform, Platform::XSeries | Platform::RSeries | Platform::KSeries | Platform::OSeries)
}

impl Connector {
    fn oauth_registration(&self, platform: Platform) -> Result<&OAuthRegistration> {
        let registration = match platform {
            Platform::XSeries => self.lightspeed.xseries.as_ref(),
            Platform::RSeries => self.lightspeed.rseries.as_ref(),
            Platform::KSeries => self.lightspeed.kseries.as_ref(),
            Platform::OSeries => self.lightspeed.oseries.as_ref(),
            _ => None,
        };
        registration.ok_or(Error::Registration {
            platform: platform.display_name(),
            detail: "no client id is configured (Settings › App registrations)".into(),
        })
    }

    async fn oauth_credentials(&self, platform: Platform) -> Result<ClientCredentials> {
        let client_id = self.oauth_registration(platform)?.client_id.clone();
        let key = registration_secret_key(platform);
        let secret = keychain_call(&self.keychain, move |k| k.get(&key)).await?.ok_or(Error::Registration {
            platform: platform.display_name(),
            detail: "the client secret is missing from the keychain".into(),
        })?;
        Ok(ClientCredentials { client_id, secret })
    }

    /// The platform's endpoints; X-Series' token endpoint is per retailer.
    fn oauth_endpoints(&self, platform: Platform, account: &str) -> Result<OAuthEndpoints> {
        match platform {
            Platform::XSeries => {
                let prefix = DomainPrefix::strict(account)
                    .ok_or_else(|| Error::Internal(format!("X-Series store {account:?} is not a domain prefix")))?;
                self.lightspeed.api.xseries_oauth(&prefix)
            }
            Platform::RSeries => self.lightspeed.api.rseries_oauth(),
            Platform::KSeries => self.lightspeed.api.kseries_oauth(),
            Platform::OSeries => self.lightspeed.api.oseries_oauth(),
            other => Err(Error::Internal(format!("{} has no browser sign-in", other.display_name()))),
        }
    }

    /// The consent page: X-Series picks the retailer there, so it needs no account.
    fn authorize_endpoint(&self, platform: Platform) -> Result<Url> {
        match platform {
            Platform::XSeries => self.lightspeed.api.xseries_authorize(),
            _ => Ok(self.oauth_endpoints(platform, "")?.authorize),
        }
    }

    /// Starts a sign-in. `account` names the store to re-authorize (the
    /// callback must then be for it); a new connection passes `None` and the
    /// merchant picks the store on the consent page.
    pub async fn start_lightspeed(&self, platform: Platform, account: Option<&str>) -> Result<Started> {
        let registration = self.oauth_registration(platform)?.clone();
        // Fail before opening the browser if the secret is missing.
        self.oauth_credentials(platform).await?;
        let (redirect, loopback) = match &registration.redirect {
            RedirectMode::DeepLink => (callback::redirect_uri(&self.scheme), None),
            RedirectMode::Relay { url } => (url.clone(), None),
            RedirectMode::Loopback { port } => {
                let pending = loopback::listen(*port).await?;
                (pending.redirect().clone(), Some(pending))
            }
        };
        let state = random_token(32);
        let attempt_id = random_token(12);
        let mut conn = self.db.conn().await?;
        attempts::create(&mut conn, &attempt_id, platform, account.unwrap_or(""), &state, ATTEMPT_TTL_MS).await?;
        let authorize_url = oauth::authorize_url(
            &self.authorize_endpoint(platform)?,
            scopes(platform),
            &registration.client_id,
            &redirect,
            &state,
        );
        self.browser.open(&authorize_url).map_err(Error::Browser)?;
        Ok(Started { attempt_id, authorize_url, loopback })
    }

    /// The redirect URI this arrival proves was used, given the mode.
    fn redirect_for(&self, platform: Platform, arrival: &Arrival) -> Result<Url> {
        let mode = &self.oauth_registration(platform)?.redirect;
        match (mode, arrival) {
            (RedirectMode::DeepLink, Arrival::DeepLink) => Ok(callback::redirect_uri(&self.scheme)),
            (RedirectMode::Relay { url }, Arrival::DeepLink) => Ok(url.clone()),
            (RedirectMode::Loopback { .. }, Arrival::Loopback(url)) => Ok(url.clone()),
            // A deep link for a loopback sign-in (or the reverse) was not
            // sent by the platform we asked.
            _ => Err(Error::Callback(CallbackProblem::Malformed)),
        }
    }

    pub(super) async fn complete_lightspeed(
        &self,
        platform: Platform,
        params: &[(String, String)],
        expected: &str,
        arrival: &Arrival,
    ) -> Result<ChannelView> {
        if param(params, "error").is_some() {
            return Err(Error::Callback(CallbackProblem::Denied));
        }
        let code = param(params, "code").ok_or(Error::Callback(CallbackProblem::Malformed))?;
        let redirect = self.redirect_for(platform, arrival)?;
        let credentials = self.oauth_credentials(platform).await?;
        match platform {
            Platform::XSeries => {
                let prefix = param(params, "domain_prefix")
                    .and_then(DomainPrefix::strict)
                    .ok_or(Error::Callback(CallbackProblem::Malformed))?;
                if !expected.is_empty() && expected != prefix.as_str() {
                    return Err(Error::Callback(CallbackProblem::ForeignAccount));
                }
                let endpoints = self.lightspeed.api.xseries_oauth(&prefix)?;
                let grant = oauth::exchange_code(&self.http, &endpoints, &credentials, &redirect, code).await?;
                let keeper = Arc::new(self.memory_keeper(endpoints, credentials, grant));
                let client = XSeriesClient::new(self.http.clone(), self.lightspeed.api.xseries_origin(&prefix)?, keeper.clone());
                let name = client.store_name().await?;
                let grant = keeper.current().await?;
                self.save_channel(platform, prefix.as_str(), &name, grant.to_secret()).await
            }
            Platform::RSeries => {
                let endpoints = self.lightspeed.api.rseries_oauth()?;
                let grant = oauth::exchange_code(&self.http, &endpoints, &credentials, &redirect, code).await?;
                let keeper = Arc::new(self.memory_keeper(endpoints, credentials, grant));
                let client = RSeriesClient::new(self.http.clone(), self.lightspeed.api.rseries_origin()?, keeper.clone());
                let account = client.account().await?.clone();
                let account_id = account.id.to_string();
                if !expected.is_empty() && expected != account_id {
                    return Err(Error::Callback(CallbackProblem::ForeignAccount));
                }
                let grant = keeper.current().await?;
                self.save_channel(platform, &account_id, &account.name, grant.to_secret()).await
            }
            Platform::KSeries => {
                let endpoints = self.lightspeed.api.kseries_oauth()?;
                let grant = oauth::exchange_code(&self.http, &endpoints, &credentials, &redirect, code).await?;
                let keeper = Arc::new(self.memory_keeper(endpoints, credentials, grant));
                let client = KSeriesClient::new(self.http.clone(), self.lightspeed.api.kseries_origin()?, keeper.clone());
                let business = client.business().await?.clone();
                let business_id = business.id.to_string();
                if !expected.is_empty() && expected != business_id {
                    return Err(Error::Callback(CallbackProblem::ForeignAccount));
                }
                let grant = keeper.current().await?;
                self.save_channel(platform, &business_id, &business.name, grant.to_secret()).await
            }
            Platform::OSeries => {
                let endpoints = self.lightspeed.api.oseries_oauth()?;
                let grant = oauth::exchange_code(&self.http, &endpoints, &credentials, &redirect, code).await?;
                let keeper = Arc::new(self.memory_keeper(endpoints, credentials, grant));
                let client = OSeriesClient::new(self.http.clone(), self.lightspeed.api.oseries_origin()?, keeper.clone());
                let company = client.company().await?.clone();
                let company_id = company.id.to_string();
                if !expected.is_empty() && expected != company_id {
                    return Err(Error::Callback(CallbackProblem::ForeignAccount));
                }
                let grant = keeper.current().await?;
                self.save_channel(platform, &company_id, &company.name, grant.to_secret()).await
            }
            _ => Err(Error::Callback(CallbackProblem::WrongPlatform)),
        }
    }

    fn memory_keeper(&self, endpoints: OAuthEndpoints, credentials: ClientCredentials, grant: Grant) -> GrantKeeper {
        GrantKeeper {
            http: self.http.clone(),
            store: GrantStore::Memory(std::sync::Mutex::new(grant)),
            endpoints,
            credentials,
            lock: Arc::default(),
        }
    }

    /// The keeper of a connected channel's grant: one refresh lock per
    /// connection, shared by every client built for it.
    pub(super) async fn keeper(&self, platform: Platform, account: &str) -> Result<Arc<GrantKeeper>> {
        let key = access_token_key(platform, account);
        Ok(Arc::new(GrantKeeper {
            http: self.http.clone(),
            endpoints: self.oauth_endpoints(platform, account)?,
            credentials: self.oauth_credentials(platform).await?,
            lock: self.refresh_locks.for_key(&key),
            store: GrantStore::Keychain { keychain: self.keychain.clone(), key },
        }))
    }

    pub async fn xseries_client(&self, account: &str) -> Result<XSeriesClient> {
        let prefix = DomainPrefix::strict(account)
            .ok_or_else(|| Error::Internal(format!("stored X-Series store {account:?} is invalid")))?;
        let keeper = self.keeper(Platform::XSeries, account).await?;
        Ok(XSeriesClient::new(self.http.clone(), self.lightspeed.api.xseries_origin(&prefix)?, keeper)
            .with_budget(self.budgets.for_connection(Platform::XSeries, account)))
    }

    pub async fn kseries_client(&self, account: &str) -> Result<KSeriesClient> {
        let keeper = self.keeper(Platform::KSeries, account).await?;
        Ok(KSeriesClient::new(self.http.clone(), self.lightspeed.api.kseries_origin()?, keeper)
            .with_budget(self.budgets.for_connection(Platform::KSeries, account)))
    }

    pub async fn oseries_client(&self, account: &str) -> Result<OSeriesClient> {
        let keeper = self.keeper(Platform::OSeries, account).await?;
        Ok(OSeriesClient::new(self.http.clone(), self.lightspeed.api.oseries_origin()?, keeper)
            .with_budget(self.budgets.for_connection(Platform::OSeries, account)))
    }

    pub async fn rseries_client(&self, account: &str) -> Result<RSeriesClient> {
        let keeper = self.keeper(Platform::RSeries, account).await?;
        Ok(RSeriesClient::new(self.http.clone(), self.lightspeed.api.rseries_origin()?, keeper)
            .with_budget(self.budgets.for_connection(Platform::RSeries, account)))
    }
}
