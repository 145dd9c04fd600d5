//! What the four Lightspeed platforms share: where their servers are (real
//! or the sandbox), the app registration for each (client id and how the
//! browser comes back to Counterline), their OAuth endpoints, and how their
//! writers send a request ([`WriteCall`]). Facts from
//! `shared/reference/channel-apis.md` §5–8; UNCONFIRMED ones are marked where
//! they are used.

use serde_json::Value;
use url::Url;

use crate::budget::Budget;
use crate::grant::GrantKeeper;
use crate::oauth::{ClientAuth, OAuthEndpoints};
use crate::push::{read_answer, IDEMPOTENCY_HEADER};
use crate::{Error, Result};

/// Where the Lightspeed servers are.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LightspeedApi {
    Production,
    /// A Counterline sandbox: `{base}xseries-auth/`, `{base}xseries/{prefix}/`,
    /// `{base}rseries-auth/`, `{base}rseries/`, …
    Sandbox(Url),
}

/// How the browser returns to Counterline after consent (PRODUCT.md §
/// Connecting). Chosen per registration, since each platform's app settings
/// decide which redirect URIs it accepts.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum RedirectMode {
    /// `app.counterline://oauth/callback`.
    #[default]
    DeepLink,
    /// `http://127.0.0.1:{port}/callback` (RFC 8252 §7.3); port 0 picks a
    /// free one per attempt, for platforms that accept any loopback port.
    Loopback { port: u16 },
    /// An HTTPS page Counterline hosts that forwards its query to the deep
    /// link, for platforms that accept only HTTPS redirects (K-Series).
    Relay { url: Url },
}

/// Counterline's registration with one OAuth platform. The client secret
/// lives in the keychain under [`crate::connect::registration_secret_key`].
#[derive(Debug, Clone)]
pub struct OAuthRegistration {
    pub client_id: String,
    pub redirect: RedirectMode,
}

fn join(base: &Url, path: &str) -> Result<Url> {
    base.join(path).map_err(|e| Error::Internal(format!("Lightspeed endpoint {path}: {e}")))
}

/// An X-Series store's subdomain, `{prefix}.retail.lightspeed.app`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DomainPrefix(String);

impl DomainPrefix {
    /// Strict: what X-Series sends back in `domain_prefix`. A merchant may
    /// also paste their store address; [`DomainPrefix::from_input`] reads it.
    pub fn strict(value: &str) -> Option<DomainPrefix> {
        let ok = !value.is_empty()
            && value.len() <= 63
            && value.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
            && !value.starts_with('-')
            && !value.ends_with('-');
        ok.then(|| DomainPrefix(value.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl LightspeedApi {
    fn sandbox_path(base: &Url, path: &str) -> Result<Url> {
        join(base, path)
    }

    /// X-Series' consent page (the retailer is chosen there, so no prefix yet).
    pub fn xseries_authorize(&self) -> Result<Url> {
        match self {
            LightspeedApi::Production => Ok(Url::parse("https://secure.retail.lightspeed.app/connect").expect("static URL")),
            LightspeedApi::Sandbox(base) => Self::sandbox_path(base, "xseries-auth/connect"),
        }
    }

    /// X-Series' endpoints for one retailer: the token endpoint lives on the
    /// retailer's own domain.
    pub fn xseries_oauth(&self, prefix: &DomainPrefix) -> Result<OAuthEndpoints> {
        Ok(OAuthEndpoints {
            platform: "Lightspeed X-Series",
            authorize: self.xseries_authorize()?,
            token: join(&self.xseries_origin(prefix)?, "api/1.0/token")?,
            client_auth: ClientAuth::FormBody,
        })
    }

    /// `https://{prefix}.retail.lightspeed.app/`: the retailer's API and token endpoint.
    pub fn xseries_origin(&self, prefix: &DomainPrefix) -> Result<Url> {
        let text = match self {
            LightspeedApi::Production => format!("https://{}.retail.lightspeed.app/", prefix.as_str()),
            LightspeedApi::Sandbox(base) => format!("{base}xseries/{}/", prefix.as_str()),
        };
        Url::parse(&text).map_err(|e| Error::Internal(format!("X-Series origin: {e}")))
    }

    /// R-Series' authorization server (`cloud.lightspeedapp.com/auth/oauth/*`).
    pub fn rseries_oauth(&self) -> Result<OAuthEndpoints> {
        let base = match self {
            LightspeedApi::Production => Url::parse("https://cloud.lightspeedapp.com/").expect("static URL"),
            LightspeedApi::Sandbox(base) => join(base, "rseries-auth/")?,
        };
        Ok(OAuthEndpoints {
            platform: "Lightspeed R-Series",
            authorize: join(&base, "auth/oauth/authorize")?,
            token: join(&base, "auth/oauth/token")?,
            client_auth: ClientAuth::FormBody,
        })
    }

    /// K-Series' authorization server (channel-apis §7): the client
    /// authenticates with HTTP Basic at the token endpoint.
    pub fn kseries_oauth(&self) -> Result<OAuthEndpoints> {
        let base = self.kseries_auth_base()?;
        Ok(OAuthEndpoints {
            platform: "Lightspeed K-Series",
            authorize: join(&base, "oauth/authorize")?,
            token: join(&base, "oauth/token")?,
            client_auth: ClientAuth::Basic,
        })
    }

    fn kseries_auth_base(&self) -> Result<Url> {
        match self {
            LightspeedApi::Production => Ok(Url::parse("https://api.lsk.lightspeed.app/").expect("static URL")),
            LightspeedApi::Sandbox(base) => join(base, "kseries-auth/"),
        }
    }

    /// `https://api.lsk.lightspeed.app/`: K-Series' API (append `f/…`).
    pub fn kseries_origin(&self) -> Result<Url> {
        match self {
            LightspeedApi::Production => Ok(Url::parse("https://api.lsk.lightspeed.app/").expect("static URL")),
            LightspeedApi::Sandbox(base) => join(base, "kseries/"),
        }
    }

    /// Kounta's consent page and token endpoint (channel-apis §8; client
    /// libraries post to `token.json`).
    pub fn oseries_oauth(&self) -> Result<OAuthEndpoints> {
        let (authorize, token) = match self {
            LightspeedApi::Production => (
                Url::parse("https://my.kounta.com/authorize").expect("static URL"),
                Url::parse("https://api.kounta.com/v1/token.json").expect("static URL"),
            ),
            LightspeedApi::Sandbox(base) => (join(base, "oseries-auth/authorize")?, join(base, "oseries/v1/token.json")?),
        };
        Ok(OAuthEndpoints { platform: "Lightspeed O-Series", authorize, token, client_auth: ClientAuth::FormBody })
    }

    /// `https://api.kounta.com/`: Kounta's API (append `v1/…`).
    pub fn oseries_origin(&self) -> Result<Url> {
        match self {
            LightspeedApi::Production => Ok(Url::parse("https://api.kounta.com/").expect("static URL")),
            LightspeedApi::Sandbox(base) => join(base, "oseries/"),
        }
    }

    /// `https://api.lightspeedapp.com/`: R-Series' API.
    pub fn rseries_origin(&self) -> Result<Url> {
        match self {
            LightspeedApi::Production => Ok(Url::parse("https://api.lightspeedapp.com/").expect("static URL")),
            LightspeedApi::Sandbox(base) => join(base, "rseries/"),
        }
    }
}

/// How a Lightspeed writer (`xseries::writes`, `rseries::writes`,
/// `oseries::writes`) sends one request, or the read before it: with the
/// connection's grant (refreshed once on a 401) and rate budget, JSON in
/// and out, the outbox's `Idempotency-Key` on writes, and the answer read
/// by [`read_answer`].
pub(crate) struct WriteCall<'a> {
    pub http: &'a reqwest::Client,
    pub keeper: &'a GrantKeeper,
    pub budget: &'a Budget,
    pub platform: &'static str,
    /// What a 401/403 means, in words.
    pub auth_detail: &'a str,
    /// Where the platform's error body gives its reason.
    pub reason: fn(&Value) -> Option<&str>,
}

impl WriteCall<'_> {
    /// `cost` is what the request takes from the budget; `not_found` what
    /// a 404 means.
    pub(crate) async fn send(
        &self,
        method: reqwest::Method,
        url: Url,
        body: Option<&Value>,
        key: Option<&str>,
        cost: f64,
        not_found: String,
    ) -> Result<Value> {
        let host = url.host_str().unwrap_or("Lightspeed").to_owned();
        let build = |token: &str| {
            let mut request = self.http.request(method.clone(), url.clone()).bearer_auth(token).header("Accept", "application/json");
            if let Some(body) = body {
                request = request.json(body);
            }
            if let Some(key) = key {
                request = request.header(IDEMPOTENCY_HEADER, key);
            }
            request
        };
        let response = self.budget.send(cost, || self.keeper.send(build, &host)).await?;
        read_answer(response, self.platform, self.platform, self.auth_detail, not_found, self.reason).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn domain_prefixes_are_subdomain_labels() {
        assert_eq!(DomainPrefix::strict("kiwi-cafe").unwrap().as_str(), "kiwi-cafe");
        for bad in ["", "Kiwi", "kiwi.cafe", "-kiwi", "kiwi-", "kiwi cafe", "kiwi/../x"] {
            assert!(DomainPrefix::strict(bad).is_none(), "{bad:?}");
        }
    }

    #[test]
    fn production_endpoints_are_the_documented_hosts() {
        let api = LightspeedApi::Production;
        let prefix = DomainPrefix::strict("kiwi").unwrap();
        let x = api.xseries_oauth(&prefix).unwrap();
        assert_eq!(x.authorize.as_str(), "https://secure.retail.lightspeed.app/connect");
        assert_eq!(x.token.as_str(), "https://kiwi.retail.lightspeed.app/api/1.0/token");
        let r = api.rseries_oauth().unwrap();
        assert_eq!(r.token.as_str(), "https://cloud.lightspeedapp.com/auth/oauth/token");
        assert_eq!(api.rseries_origin().unwrap().as_str(), "https://api.lightspeedapp.com/");
    }
}
