//! Shopify's authorization-code grant: the authorize URL, the `hmac` check on
//! the callback, and the code-for-token exchange (through the `oauth2` crate
//! with a Shopify-shaped token response; Shopify sends no `token_type`).

use hmac::{Hmac, Mac};
use oauth2::basic::{
    BasicErrorResponse, BasicRevocationErrorResponse, BasicTokenIntrospectionResponse,
    BasicTokenType,
};
use oauth2::{
    AccessToken, AuthUrl, AuthorizationCode, ClientId, ClientSecret, CsrfToken, RedirectUrl,
    RefreshToken, RequestTokenError, Scope, StandardRevocableToken, TokenResponse, TokenUrl,
};
use serde::{Deserialize, Serialize};
use sha2::Sha256;
use subtle::ConstantTimeEq;
use url::Url;

use counterline_secrets::Secret;

use super::SCOPES;
use crate::{Error, Result};

/// Computes Shopify's callback signature: every parameter except `hmac` and
/// `signature`, sorted by key, form-encoded as `k=v&k=v`, HMAC-SHA256 with the
/// app's client secret, lowercase hex. (shopify-app-js hmac-validator.ts.)
pub fn callback_hmac(params: &[(String, String)], client_secret: &Secret) -> String {
    let mut signed: Vec<&(String, String)> =
        params.iter().filter(|(k, _)| k != "hmac" && k != "signature").collect();
    signed.sort_by(|a, b| a.0.cmp(&b.0));
    let message = url::form_urlencoded::Serializer::new(String::new())
        .extend_pairs(signed.iter().map(|(k, v)| (k.as_str(), v.as_str())))
        .finish();
    let mut mac = Hmac::<Sha256>::new_from_slice(client_secret.expose().as_bytes())
        .expect("HMAC accepts keys of any length");
    mac.update(message.as_bytes());
    hex::encode(mac.finalize().into_bytes())
}

/// Constant-time comparison of the received `hmac` with the expected one.
pub fn hmac_matches(params: &[(String, String)], received: &str, client_secret: &Secret) -> bool {
    let expected = callback_hmac(params, client_secret);
    expected.as_bytes().ct_eq(received.to_ascii_lowercase().as_bytes()).into()
}

/// Shopify's token response: `{access_token, scope}` plus, for expiring
/// tokens, `expires_in`, `refresh_token`, `refresh_token_expires_in`.
#[derive(Debug, Deserialize, Serialize)]
pub struct ShopifyTokenResponse {
    access_token: AccessToken,
    #[serde(default)]
    scope: Option<String>,
    #[serde(default)]
    expires_in: Option<u64>,
    #[serde(default)]
    refresh_token: Option<RefreshToken>,
    /// Absent on the wire; oauth2 needs one, and these are bearer tokens.
    #[serde(default = "bearer", skip_serializing)]
    token_type: BasicTokenType,
}

fn bearer() -> BasicTokenType {
    BasicTokenType::Bearer
}

impl TokenResponse for ShopifyTokenResponse {
    type TokenType = BasicTokenType;
    fn access_token(&self) -> &AccessToken {
        &self.access_token
    }
    fn token_type(&self) -> &BasicTokenType {
        &self.token_type
    }
    fn expires_in(&self) -> Option<std::time::Duration> {
        self.expires_in.map(std::time::Duration::from_secs)
    }
    fn refresh_token(&self) -> Option<&RefreshToken> {
        self.refresh_token.as_ref()
    }
    fn scopes(&self) -> Option<&Vec<Scope>> {
        // Shopify's scopes are comma-separated; read them from `granted_scopes`.
        None
    }
}

type ShopifyOAuthClient = oauth2::Client<
    BasicErrorResponse,
    ShopifyTokenResponse,
    BasicTokenIntrospectionResponse,
    StandardRevocableToken,
    BasicRevocationErrorResponse,
    oauth2::EndpointSet,
    oauth2::EndpointNotSet,
    oauth2::EndpointNotSet,
    oauth2::EndpointNotSet,
    oauth2::EndpointSet,
>;

/// What the token exchange yields. The access token goes straight to the keychain.
#[derive(Debug)]
pub struct TokenGrant {
    pub access_token: Secret,
    pub refresh_token: Option<Secret>,
    pub expires_in_secs: Option<u64>,
    pub granted_scopes: Vec<String>,
}

fn oauth_client(origin: &Url, client_id: &str, secret: &Secret, redirect: &Url) -> Result<ShopifyOAuthClient> {
    let endpoint = |path: &str| {
        origin.join(path).map_err(|e| Error::Internal(format!("Shopify endpoint {path}: {e}")))
    };
    Ok(oauth2::Client::new(ClientId::new(client_id.to_owned()))
        .set_client_secret(ClientSecret::new(secret.expose().to_owned()))
        .set_auth_uri(AuthUrl::from_url(endpoint("admin/oauth/authorize")?))
        .set_token_uri(TokenUrl::from_url(endpoint("admin/oauth/access_token")?))
        .set_redirect_uri(RedirectUrl::from_url(redirect.clone()))
        // Shopify reads client_id/client_secret from the body, not Basic auth.
        .set_auth_type(oauth2::AuthType::RequestBody))
}

/// The URL the merchant's browser opens. `state` binds the callback to the
/// pending attempt; `grant_options[]` empty asks for an offline (shop) token.
pub fn authorize_url(
    origin: &Url,
    client_id: &str,
    secret: &Secret,
    redirect: &Url,
    state: &str,
) -> Result<Url> {
    let client = oauth_client(origin, client_id, secret, redirect)?;
    let state = state.to_owned();
    let (url, _) = client
        .authorize_url(move || CsrfToken::new(state))
        .add_extra_param("scope", SCOPES.join(","))
        .add_extra_param("grant_options[]", "")
        .url();
    Ok(url)
}

/// Trades the one-time `code` for an access token.
pub async fn exchange_code(
    http: &reqwest::Client,
    origin: &Url,
    client_id: &str,
    secret: &Secret,
    redirect: &Url,
    code: &str,
) -> Result<TokenGrant> {
    let client = oauth_client(origin, client_id, secret, redirect)?;
    let response = client
        .exchange_code(AuthorizationCode::new(code.to_owned()))
        .request_async(http)
        .await
        .map_err(|e| token_error(e, origin))?;
    Ok(TokenGrant {
        access_token: Secret::new(response.access_token.secret().clone()),
        refresh_token: response.refresh_token.map(|t| Secret::new(t.secret().clone())),
        expires_in_secs: response.expires_in,
        granted_scopes: response
            .scope
            .unwrap_or_default()
            .split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
            .collect(),
    })
}

fn token_error<RE: std::error::Error + 'static>(
    error: RequestTokenError<RE, BasicErrorResponse>,
    origin: &Url,
) -> Error {
    match error {
        RequestTokenError::ServerResponse(response) => Error::Auth {
            platform: "Shopify",
            detail: response
                .error_description()
                .cloned()
                .unwrap_or_else(|| response.error().to_string()),
        },
        RequestTokenError::Request(_) => Error::Unreachable {
            host: origin.host_str().unwrap_or("the store").to_owned(),
        },
        // Never echo the body: a malformed token response may still contain a token.
        RequestTokenError::Parse(_, _) => Error::Response {
            platform: "Shopify",
            detail: "the token response was not in the documented shape".into(),
        },
        RequestTokenError::Other(detail) => Error::Response { platform: "Shopify", detail },
    }
}
