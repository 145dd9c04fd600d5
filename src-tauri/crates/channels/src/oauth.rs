//! The standard authorization-code grant (RFC 6749 §4.1) as the Lightspeed
//! platforms speak it: the authorize URL, the code exchange and the
//! refresh, through the `oauth2` crate. Each platform differs only in its
//! endpoints and in how the client authenticates at the token endpoint
//! (form body for X-, R- and O-Series, HTTP Basic for K-Series), which an
//! [`OAuthEndpoints`] value carries. Shopify keeps its own module: its
//! callback is signed and its token response has no `token_type`.

use oauth2::basic::{BasicClient, BasicErrorResponse, BasicErrorResponseType};
use oauth2::{
    AuthUrl, AuthorizationCode, ClientId, ClientSecret, RedirectUrl, RefreshToken,
    RequestTokenError, TokenResponse, TokenUrl,
};
use url::Url;

use counterline_secrets::Secret;

use crate::grant::Grant;
use counterline_store::now_ms;

use crate::{Error, Result};

/// Where a platform's client credentials go on the token request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClientAuth {
    /// `client_id` and `client_secret` as form fields.
    FormBody,
    /// `Authorization: Basic base64(client_id:client_secret)`.
    Basic,
}

/// One platform's OAuth endpoints and rules.
#[derive(Debug, Clone)]
pub struct OAuthEndpoints {
    pub platform: &'static str,
    pub authorize: Url,
    pub token: Url,
    pub client_auth: ClientAuth,
}

/// The app's registration with one platform: its public id and secret.
#[derive(Clone)]
pub struct ClientCredentials {
    pub client_id: String,
    pub secret: Secret,
}

fn client(
    endpoints: &OAuthEndpoints,
    credentials: &ClientCredentials,
) -> oauth2::Client<
    BasicErrorResponse,
    oauth2::basic::BasicTokenResponse,
    oauth2::basic::BasicTokenIntrospectionResponse,
    oauth2::StandardRevocableToken,
    oauth2::basic::BasicRevocationErrorResponse,
    oauth2::EndpointSet,
    oauth2::EndpointNotSet,
    oauth2::EndpointNotSet,
    oauth2::EndpointNotSet,
    oauth2::EndpointSet,
> {
    BasicClient::new(ClientId::new(credentials.client_id.clone()))
        .set_client_secret(ClientSecret::new(credentials.secret.expose().to_owned()))
        .set_auth_uri(AuthUrl::from_url(endpoints.authorize.clone()))
        .set_token_uri(TokenUrl::from_url(endpoints.token.clone()))
        .set_auth_type(match endpoints.client_auth {
            ClientAuth::FormBody => oauth2::AuthType::RequestBody,
            ClientAuth::Basic => oauth2::AuthType::BasicAuth,
        })
}

/// The consent page URL the merchant's browser opens.
pub fn authorize_url(authorize: &Url, scopes: &str, client_id: &str, redirect: &Url, state: &str) -> Url {
    let mut url = authorize.clone();
    {
        let mut query = url.query_pairs_mut();
        query
            .append_pair("response_type", "code")
            .append_pair("client_id", client_id)
            .append_pair("redirect_uri", redirect.as_str())
            .append_pair("state", state);
        if !scopes.is_empty() {
            query.append_pair("scope", scopes);
        }
    }
    url
}

/// Trades a one-time code for a grant.
pub async fn exchange_code(
    http: &reqwest::Client,
    endpoints: &OAuthEndpoints,
    credentials: &ClientCredentials,
    redirect: &Url,
    code: &str,
) -> Result<Grant> {
    let response = client(endpoints, credentials)
        .set_redirect_uri(RedirectUrl::from_url(redirect.clone()))
        .exchange_code(AuthorizationCode::new(code.to_owned()))
        .request_async(http)
        .await
        .map_err(|e| token_error(e, endpoints))?;
    Ok(grant(&response))
}

/// Uses a refresh token. Platforms that rotate revoke `refresh_token` as
/// they answer, so the caller must store the returned grant before anything
/// else (see [`crate::grant::GrantKeeper`]).
pub async fn refresh(
    http: &reqwest::Client,
    endpoints: &OAuthEndpoints,
    credentials: &ClientCredentials,
    refresh_token: &Secret,
) -> Result<Grant> {
    let token = RefreshToken::new(refresh_token.expose().to_owned());
    let response = client(endpoints, credentials)
        .exchange_refresh_token(&token)
        .request_async(http)
        .await
        .map_err(|e| token_error(e, endpoints))?;
    let mut grant = grant(&response);
    // A platform that does not rotate may omit the refresh token: keep ours.
    if grant.refresh_token.is_none() {
        grant.refresh_token = Some(refresh_token.clone());
    }
    Ok(grant)
}

fn grant(response: &oauth2::basic::BasicTokenResponse) -> Grant {
    Grant {
        access_token: Secret::new(response.access_token().secret().clone()),
        refresh_token: response.refresh_token().map(|t| Secret::new(t.secret().clone())),
        expires_at_ms: response
            .expires_in()
            .map(|d| now_ms() + i64::try_from(d.as_millis()).unwrap_or(i64::MAX / 2)),
    }
}

fn token_error<RE: std::error::Error + 'static>(
    error: RequestTokenError<RE, BasicErrorResponse>,
    endpoints: &OAuthEndpoints,
) -> Error {
    let platform = endpoints.platform;
    match error {
        RequestTokenError::ServerResponse(response) => {
            let detail = response.error_description().cloned().unwrap_or_else(|| response.error().to_string());
            match response.error() {
                // The grant is gone (used, revoked or expired): only a new
                // sign-in helps.
                BasicErrorResponseType::InvalidGrant
                | BasicErrorResponseType::UnauthorizedClient
                | BasicErrorResponseType::InvalidClient => Error::Auth { platform, detail },
                _ => Error::Response { platform, detail },
            }
        }
        RequestTokenError::Request(_) => {
            Error::Unreachable { host: endpoints.token.host_str().unwrap_or(platform).to_owned() }
        }
        // Never echo the body: a malformed token response may still hold a token.
        RequestTokenError::Parse(_, _) => {
            Error::Response { platform, detail: "the token response was not in the documented shape".into() }
        }
        RequestTokenError::Other(detail) => Error::Response { platform, detail },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_authorize_url_carries_the_standard_parameters() {
        let authorize = Url::parse("https://auth.example/connect").unwrap();
        let redirect = Url::parse("app.counterline://oauth/callback").unwrap();
        let url = authorize_url(&authorize, "sales:read customers:read", "id-1", &redirect, "state-123456");
        let pairs: Vec<(String, String)> = url.query_pairs().into_owned().collect();
        assert!(pairs.contains(&("response_type".into(), "code".into())));
        assert!(pairs.contains(&("redirect_uri".into(), "app.counterline://oauth/callback".into())));
        assert!(pairs.contains(&("scope".into(), "sales:read customers:read".into())), "scopes are space-delimited");
        assert!(pairs.contains(&("state".into(), "state-123456".into())));
    }
}
