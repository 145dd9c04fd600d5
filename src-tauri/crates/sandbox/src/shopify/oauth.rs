//! Shopify's authorization-code grant: authorize → consent → redirect with a
//! signed callback → code exchange at the token endpoint.
//!
//! The callback's `hmac` is computed exactly as Shopify documents and
//! shopify-app-js verifies it: every other query parameter, sorted by key,
//! serialised `k=v&k=v` with form encoding (as JS `URLSearchParams` does),
//! HMAC-SHA256 keyed with the app's client secret, lowercase hex.

use axum::http::HeaderMap;
use axum::response::{Html, IntoResponse, Response};
use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use hmac::{Hmac, Mac};
use serde_json::{json, Map, Value};
use sha2::Sha256;
use url::Url;

use super::consent::ConsentPage;
use super::replies;
use super::tokens::{EXPIRING_TOKEN_TTL, ONLINE_TOKEN_TTL, REFRESH_TOKEN_TTL};
use super::{ShopifyShop, APP_NAME};
use crate::data::clock;
use crate::locks::lock;
use crate::ShopifyApp;

/// The parameters of `/admin/oauth/authorize`, as given (also re-posted by
/// the consent form).
#[derive(Debug, Default)]
pub(crate) struct AuthorizeParams {
    pub client_id: Option<String>,
    pub scope: String,
    pub redirect_uri: Option<String>,
    pub state: Option<String>,
    pub grant_options: Vec<String>,
    pub decision: Option<String>,
}

impl AuthorizeParams {
    /// From `application/x-www-form-urlencoded` pairs (a query string or a form body).
    pub(crate) fn parse(encoded: &[u8]) -> AuthorizeParams {
        let mut p = AuthorizeParams::default();
        for (k, v) in form_urlencoded::parse(encoded) {
            let v = v.into_owned();
            match k.as_ref() {
                "client_id" => p.client_id = Some(v).filter(|v| !v.is_empty()),
                "scope" => p.scope = v,
                "redirect_uri" => p.redirect_uri = Some(v).filter(|v| !v.is_empty()),
                "state" => p.state = Some(v).filter(|v| !v.is_empty()),
                "grant_options[]" | "grant_options" if !v.is_empty() => p.grant_options.push(v),
                "decision" => p.decision = Some(v),
                _ => {}
            }
        }
        p
    }
}

struct Checked {
    client_id: String,
    scopes: Vec<String>,
    redirect: Url,
    online: bool,
}

/// Why an authorize request was refused; rendered by [`replies::oauth_error`].
struct Refusal {
    kind: &'static str,
    message: String,
}

impl Refusal {
    fn invalid_request(message: impl Into<String>) -> Refusal {
        Refusal {
            kind: "invalid_request",
            message: message.into(),
        }
    }

    fn response(&self) -> Response {
        replies::oauth_error(self.kind, &self.message)
    }
}

fn check(app: &ShopifyApp, p: &AuthorizeParams) -> Result<Checked, Refusal> {
    let client_id = p.client_id.clone().unwrap_or_default();
    if client_id != app.client_id {
        return Err(Refusal::invalid_request(replies::unknown_client_message(
            &client_id,
        )));
    }
    let Some(redirect_uri) = &p.redirect_uri else {
        return Err(Refusal::invalid_request("The redirect_uri is missing"));
    };
    let Ok(mut redirect) = Url::parse(redirect_uri) else {
        return Err(Refusal::invalid_request(
            "The redirect_uri is not a valid URI",
        ));
    };
    // An OAuth redirect URI must not carry a fragment (RFC 6749 §3.1.2).
    redirect.set_fragment(None);
    let scopes = parse_scopes(&p.scope).map_err(|bad| Refusal {
        kind: "invalid_scope",
        message: format!("The access scope is invalid: {bad}"),
    })?;
    Ok(Checked {
        client_id,
        scopes,
        redirect,
        online: p.grant_options.iter().any(|g| g == "per-user"),
    })
}

/// Comma-separated scopes, trimmed and de-duplicated in order; `Err` names
/// the first that isn't shaped like a Shopify scope.
pub(crate) fn parse_scopes(raw: &str) -> Result<Vec<String>, String> {
    let mut scopes: Vec<String> = Vec::new();
    for s in raw.split(',').map(str::trim).filter(|s| !s.is_empty()) {
        let body = s.strip_prefix("unauthenticated_").unwrap_or(s);
        let well_formed = matches!(body.split_once('_'), Some(("read" | "write", rest))
            if !rest.is_empty() && rest.chars().all(|c| c.is_ascii_lowercase() || c == '_'));
        if !well_formed {
            return Err(s.to_owned());
        }
        if !scopes.iter().any(|x| x == s) {
            scopes.push(s.to_owned());
        }
    }
    Ok(scopes)
}

/// `GET /admin/oauth/authorize`: the consent page, or Shopify's error page.
pub(crate) fn authorize(app: &ShopifyApp, shop: &ShopifyShop, p: &AuthorizeParams) -> Response {
    let checked = match check(app, p) {
        Ok(c) => c,
        Err(refusal) => return refusal.response(),
    };
    let page = ConsentPage {
        shop_domain: &shop.identity.domain,
        shop_handle: &shop.identity.handle,
        app_name: APP_NAME,
        client_id: &checked.client_id,
        scopes: &checked.scopes,
        raw_scope: &p.scope,
        redirect_uri: p.redirect_uri.as_deref().unwrap_or_default(),
        state: p.state.as_deref(),
        grant_options: &p.grant_options,
    };
    Html(page.render()).into_response()
}

/// `POST /admin/oauth/authorize/decision`: the merchant's click.
pub(crate) fn decide(app: &ShopifyApp, shop: &ShopifyShop, p: &AuthorizeParams) -> Response {
    let checked = match check(app, p) {
        Ok(c) => c,
        Err(refusal) => return refusal.response(),
    };
    match p.decision.as_deref() {
        Some("approve") => {
            let code =
                lock(&shop.auth).issue_code(&checked.client_id, checked.scopes, checked.online);
            let params = callback_params(
                shop,
                &code,
                p.state.as_deref(),
                clock::now(),
                &app.client_secret,
            );
            replies::redirect(&with_query(checked.redirect, &params))
        }
        Some("deny") => replies::redirect(&with_query(
            checked.redirect,
            &replies::denied_params(p.state.as_deref()),
        )),
        _ => replies::oauth_error("invalid_request", "The decision must be approve or deny"),
    }
}

/// The signed parameters Shopify appends to the redirect URI on approval,
/// in the order they appear (alphabetical, `hmac` included).
fn callback_params(
    shop: &ShopifyShop,
    code: &str,
    state: Option<&str>,
    now: i64,
    secret: &str,
) -> Vec<(&'static str, String)> {
    let host = STANDARD.encode(format!("admin.shopify.com/store/{}", shop.identity.handle));
    let mut params = vec![
        ("code", code.to_owned()),
        ("host", host),
        ("shop", shop.identity.domain.clone()),
    ];
    if let Some(state) = state {
        params.push(("state", state.to_owned()));
    }
    params.push(("timestamp", now.to_string()));
    let signed: Vec<(String, String)> = params
        .iter()
        .map(|(k, v)| ((*k).to_owned(), v.clone()))
        .collect();
    params.insert(1, ("hmac", shopify_hmac(&signed, secret)));
    params
}

/// Shopify's OAuth/query HMAC: drop `hmac` and `signature`, sort by key,
/// form-encode as `k=v&k=v`, HMAC-SHA256 with the client secret, lowercase hex.
pub fn shopify_hmac(params: &[(String, String)], secret: &str) -> String {
    let mut pairs: Vec<&(String, String)> = params
        .iter()
        .filter(|(k, _)| k != "hmac" && k != "signature")
        .collect();
    pairs.sort_by(|a, b| a.0.cmp(&b.0));
    let mut serializer = form_urlencoded::Serializer::new(String::new());
    for (k, v) in pairs {
        serializer.append_pair(k, v);
    }
    let message = serializer.finish();
    // HMAC accepts keys of any length, so this cannot fail.
    let mut mac =
        <Hmac<Sha256> as Mac>::new_from_slice(secret.as_bytes()).unwrap_or_else(|_| unreachable!());
    mac.update(message.as_bytes());
    hex::encode(mac.finalize().into_bytes())
}

/// Appends `params` to whatever URL the app registered (custom schemes
/// included), after any query it already has.
fn with_query(mut url: Url, params: &[(&str, String)]) -> String {
    {
        let mut query = url.query_pairs_mut();
        for (k, v) in params {
            query.append_pair(k, v);
        }
    }
    url.to_string()
}

/// The token endpoint's inputs: JSON or form body, plus the query string
/// (Shopify's older docs put them there), body winning.
fn token_fields(
    headers: &HeaderMap,
    query: Option<&str>,
    body: &[u8],
) -> Option<Map<String, Value>> {
    let mut fields = Map::new();
    if let Some(q) = query {
        for (k, v) in form_urlencoded::parse(q.as_bytes()) {
            fields.insert(k.into_owned(), Value::String(v.into_owned()));
        }
    }
    let content_type = headers
        .get(axum::http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_ascii_lowercase();
    if content_type.contains("json") {
        match serde_json::from_slice::<Value>(body).ok()? {
            Value::Object(map) => fields.extend(map),
            _ => return None,
        }
    } else {
        for (k, v) in form_urlencoded::parse(body) {
            fields.insert(k.into_owned(), Value::String(v.into_owned()));
        }
    }
    Some(fields)
}

fn field(fields: &Map<String, Value>, name: &str) -> Option<String> {
    match fields.get(name)? {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// `POST /admin/oauth/access_token`: exchanges a code (or rotates a refresh token).
pub(crate) fn access_token(
    app: &ShopifyApp,
    shop: &ShopifyShop,
    headers: &HeaderMap,
    query: Option<&str>,
    body: &[u8],
) -> Response {
    let Some(fields) = token_fields(headers, query, body) else {
        return replies::token_error("The request body could not be parsed");
    };
    if field(&fields, "client_id").as_deref() != Some(app.client_id.as_str()) {
        return replies::token_error("The client_id is invalid");
    }
    if field(&fields, "client_secret").as_deref() != Some(app.client_secret.as_str()) {
        return replies::token_error("The client credentials are invalid");
    }
    let mut auth = lock(&shop.auth);
    if field(&fields, "grant_type").as_deref() == Some("refresh_token") {
        let refresh = field(&fields, "refresh_token").unwrap_or_default();
        return match auth.refresh(&refresh) {
            Some((issued, scopes)) => axum::Json(json!({
                "access_token": issued.access_token,
                "scope": scopes.join(","),
                "expires_in": EXPIRING_TOKEN_TTL.as_secs(),
                "refresh_token": issued.refresh_token,
                "refresh_token_expires_in": REFRESH_TOKEN_TTL.as_secs(),
            }))
            .into_response(),
            None => replies::invalid_grant(),
        };
    }
    let Some(code) = field(&fields, "code") else {
        return replies::token_error("The authorization code is missing");
    };
    let Some(pending) = auth.redeem_code(&code, &app.client_id) else {
        return replies::token_error("The authorization code was not found or was already used");
    };
    let expiring = matches!(field(&fields, "expiring").as_deref(), Some("1" | "true"));
    let scope = pending.scopes.join(",");
    if pending.online {
        let issued = auth.issue_token(pending.scopes, true, Some(ONLINE_TOKEN_TTL), false);
        let id = &shop.identity;
        return axum::Json(json!({
            "access_token": issued.access_token,
            "scope": scope,
            "expires_in": ONLINE_TOKEN_TTL.as_secs(),
            "associated_user_scope": scope,
            "associated_user": {
                "id": 90_000_000 + id.shop_id % 1_000_000,
                "first_name": "Sandbox",
                "last_name": "Owner",
                "email": format!("owner@{}.example", id.handle),
                "email_verified": true,
                "account_owner": true,
                "locale": "en",
                "collaborator": false,
            },
        }))
        .into_response();
    }
    if expiring {
        let issued = auth.issue_token(pending.scopes, false, Some(EXPIRING_TOKEN_TTL), true);
        return axum::Json(json!({
            "access_token": issued.access_token,
            "scope": scope,
            "expires_in": EXPIRING_TOKEN_TTL.as_secs(),
            "refresh_token": issued.refresh_token,
            "refresh_token_expires_in": REFRESH_TOKEN_TTL.as_secs(),
        }))
        .into_response();
    }
    let issued = auth.issue_token(pending.scopes, false, None, false);
    axum::Json(json!({"access_token": issued.access_token, "scope": scope})).into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hmac_matches_shopifys_documented_example() {
        // From shopify.dev "Verify a request": secret "hush", query
        // code=0907a61c0c8d55e99db179b68161bc00&shop=some-shop.myshopify.com&state=0.6784241404160823&timestamp=1337178173
        let params: Vec<(String, String)> = [
            ("code", "0907a61c0c8d55e99db179b68161bc00"),
            ("shop", "some-shop.myshopify.com"),
            ("state", "0.6784241404160823"),
            ("timestamp", "1337178173"),
            ("hmac", "ignored"),
        ]
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect();
        assert_eq!(
            shopify_hmac(&params, "hush"),
            "700e2dadb827fcc8609e9d5ce208b2e9cdaab9df07390d2cbca10d7c328fc4bf"
        );
    }

    #[test]
    fn scopes_are_checked_and_deduplicated() {
        assert_eq!(
            parse_scopes("read_orders, read_products,read_orders"),
            Ok(vec!["read_orders".into(), "read_products".into()])
        );
        assert_eq!(
            parse_scopes("read_orders,delete_everything"),
            Err("delete_everything".into())
        );
        assert_eq!(parse_scopes(""), Ok(vec![]));
    }

    #[test]
    fn redirects_keep_custom_schemes_and_existing_queries() {
        let url = Url::parse("app.counterline://oauth/callback").expect("valid URL");
        assert_eq!(
            with_query(url, &[("code", "a b".into())]),
            "app.counterline://oauth/callback?code=a+b"
        );
        let url = Url::parse("http://127.0.0.1:9/cb?x=1").expect("valid URL");
        assert_eq!(
            with_query(url, &[("code", "c".into())]),
            "http://127.0.0.1:9/cb?x=1&code=c"
        );
    }
}
