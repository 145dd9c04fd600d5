//! X-Series' authorization-code grant (channel-apis §5.1).
//!
//! `GET {auth}/connect?response_type=code&client_id&redirect_uri&state
//! [&scope]` shows the consent page (scopes are space-delimited, like
//! `sales:read customers:read`); the merchant's decision is posted to
//! `{auth}/connect/decision` and answered with a `302` to `redirect_uri`
//! carrying `code`, `domain_prefix` and `state` (or `error=access_denied`
//! and `state`). The app then posts the code to the retailer's own token
//! endpoint, `{domain_prefix}/api/1.0/token`, form-encoded (`code`,
//! `client_id`, `client_secret`, `grant_type=authorization_code`,
//! `redirect_uri`), and later refreshes there (`grant_type=refresh_token`,
//! `refresh_token`, `client_id`, `client_secret`); parameters in the URL
//! are refused, as since the 2017 security update. Each answer is
//! `{access_token, token_type, expires, expires_in, refresh_token,
//! domain_prefix, scope}`; every refresh rotates the refresh token.

use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use serde_json::{json, Value};
use url::Url;

use super::replies::{redirect, token_error};
use super::{Retailer, PRODUCT};
use crate::lightspeed::grants::{CodeError, Issued};
use crate::lightspeed::page::{Consent, Refusal};
use crate::lightspeed::params::{parse_scopes, redirect_target, with_query, AuthorizeParams};
use crate::locks::lock;
use crate::state::Shared;

/// The consent form's field naming the retailer the browser is signed in
/// to (also accepted on `/connect`; a sandbox stand-in for the login).
pub(crate) const STORE_FIELD: &str = "domain_prefix";

/// The shortest `state` accepted (UNCONFIRMED, see `replies`).
const MIN_STATE_LEN: usize = 8;

/// `resource:read` / `resource:write`, or `webhooks`.
fn valid_scope(s: &str) -> bool {
    s == "webhooks"
        || s.split_once(':').is_some_and(|(resource, access)| {
            !resource.is_empty()
                && resource.chars().all(|c| c.is_ascii_lowercase() || c == '_')
                && matches!(access, "read" | "write")
        })
}

fn describe_scope(scope: &str) -> String {
    match scope.split_once(':') {
        Some((resource, "read")) => format!("View {}", resource.replace('_', " ")),
        Some((resource, _)) => format!("Change {}", resource.replace('_', " ")),
        None => "Manage webhooks".to_owned(),
    }
}

fn refuse(kind: &'static str, message: impl Into<String>) -> Refusal {
    Refusal::new(kind, message)
}

struct Checked<'s> {
    retailer: &'s Retailer,
    redirect: Url,
    redirect_uri: String,
    client_id: String,
    scopes: Vec<String>,
}

fn check<'s>(shared: &'s Shared, p: &AuthorizeParams) -> Result<Checked<'s>, Refusal> {
    if p.response_type.as_deref() != Some("code") {
        return Err(refuse(
            "unsupported_response_type",
            "The response_type must be code",
        ));
    }
    let client_id = p.client_id.clone().unwrap_or_default();
    if client_id != shared.xseries_app.client_id {
        return Err(refuse(
            "invalid_client",
            format!("No application is registered with client_id {client_id:?}"),
        ));
    }
    let Some(redirect_uri) = p.redirect_uri.clone() else {
        return Err(refuse("invalid_request", "The redirect_uri is missing"));
    };
    let redirect = redirect_target(&redirect_uri).map_err(|m| refuse("invalid_request", m))?;
    if p.state
        .as_deref()
        .is_none_or(|s| s.chars().count() < MIN_STATE_LEN)
    {
        return Err(refuse(
            "invalid_request",
            "The state must be at least 8 characters long",
        ));
    }
    let scopes = parse_scopes(&p.scope, valid_scope).map_err(|bad| {
        refuse(
            "invalid_scope",
            format!("The scope {bad:?} is not valid (scopes are space-separated, like sales:read)"),
        )
    })?;
    let retailer = match &p.store {
        Some(prefix) => shared.xseries_retailer(prefix),
        None => shared.xseries_retailers.first(),
    };
    let Some(retailer) = retailer else {
        return Err(refuse("invalid_request", "There is no such store"));
    };
    Ok(Checked {
        retailer,
        redirect,
        redirect_uri,
        client_id,
        scopes,
    })
}

/// `GET /connect`: the consent page, or the error page.
pub(crate) fn authorize(shared: &Shared, p: &AuthorizeParams) -> Response {
    let checked = match check(shared, p) {
        Ok(c) => c,
        Err(refusal) => return refusal.page(PRODUCT),
    };
    let prefix = &checked.retailer.domain_prefix;
    let state = p.state.clone().unwrap_or_default();
    let request = |store: &str| -> Vec<(&'static str, String)> {
        vec![
            ("response_type", "code".to_owned()),
            ("client_id", checked.client_id.clone()),
            ("redirect_uri", checked.redirect_uri.clone()),
            ("state", state.clone()),
            ("scope", p.scope.clone()),
            (STORE_FIELD, store.to_owned()),
        ]
    };
    let switch: Vec<(String, String)> = shared
        .xseries_retailers
        .iter()
        .filter(|r| r.domain_prefix != *prefix)
        .map(|r| {
            let query = form_urlencoded::Serializer::new(String::new())
                .extend_pairs(request(&r.domain_prefix))
                .finish();
            (
                r.domain_prefix.clone(),
                format!("/xseries-auth/connect?{query}"),
            )
        })
        .collect();
    let scopes: Vec<(String, String)> = checked
        .scopes
        .iter()
        .map(|s| (s.clone(), describe_scope(s)))
        .collect();
    let hidden = request(prefix);
    let detail = format!("{prefix}.retail.lightspeed.app");
    let consent = Consent {
        product: PRODUCT,
        app_name: crate::shopify::APP_NAME,
        store_name: prefix,
        store_detail: &detail,
        scopes: &scopes,
        action: "/xseries-auth/connect/decision",
        hidden: &hidden,
        switch: &switch,
    };
    Html(consent.render()).into_response()
}

/// `POST /connect/decision`: the merchant's click.
pub(crate) fn decide(shared: &Shared, p: &AuthorizeParams) -> Response {
    let checked = match check(shared, p) {
        Ok(c) => c,
        Err(refusal) => return refusal.page(PRODUCT),
    };
    let state = p.state.clone().unwrap_or_default();
    match p.decision.as_deref() {
        Some("approve") => {
            let prefix = &checked.retailer.domain_prefix;
            let code = lock(&shared.xseries_grants).issue_code(
                &checked.client_id,
                &checked.redirect_uri,
                checked.scopes,
                prefix,
            );
            redirect(&with_query(
                checked.redirect,
                &[
                    ("code", &code),
                    ("domain_prefix", prefix),
                    ("state", &state),
                ],
            ))
        }
        Some("deny") => redirect(&with_query(
            checked.redirect,
            &[("error", "access_denied"), ("state", &state)],
        )),
        _ => refuse("invalid_request", "The decision must be approve or deny").page(PRODUCT),
    }
}

/// The token endpoint's answer.
pub(crate) fn token_json(issued: &Issued) -> Value {
    json!({
        "access_token": issued.access_token,
        "token_type": "Bearer",
        "expires": issued.expires_at,
        "expires_in": issued.expires_in,
        "refresh_token": issued.refresh_token,
        "domain_prefix": issued.subject,
        "scope": issued.scopes.join(" "),
    })
}

/// `POST {domain_prefix}/api/1.0/token`: exchanges a code or rotates a
/// refresh token.
pub(crate) fn token(
    shared: &Shared,
    retailer: &Retailer,
    query: Option<&str>,
    body: &[u8],
) -> Response {
    const SECRET_FIELDS: [&str; 4] = ["client_id", "client_secret", "code", "refresh_token"];
    if form_urlencoded::parse(query.unwrap_or("").as_bytes())
        .any(|(k, _)| SECRET_FIELDS.contains(&k.as_ref()))
    {
        return token_error(
            StatusCode::BAD_REQUEST,
            "invalid_request",
            "Send the token request's parameters in the form body, not the URL",
        );
    }
    let fields: std::collections::HashMap<String, String> = form_urlencoded::parse(body)
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    let field = |name: &str| {
        fields
            .get(name)
            .map(String::as_str)
            .filter(|v| !v.is_empty())
    };
    let app = &shared.xseries_app;
    if field("client_id") != Some(app.client_id.as_str())
        || field("client_secret") != Some(app.client_secret.as_str())
    {
        return token_error(
            StatusCode::BAD_REQUEST,
            "invalid_client",
            "The client credentials are invalid",
        );
    }
    let prefix = retailer.domain_prefix.as_str();
    let mut grants = lock(&shared.xseries_grants);
    let issued = match field("grant_type") {
        Some("authorization_code") => {
            let (Some(code), Some(redirect_uri)) = (field("code"), field("redirect_uri")) else {
                return token_error(
                    StatusCode::BAD_REQUEST,
                    "invalid_request",
                    "The code and redirect_uri are required",
                );
            };
            grants
                .redeem_code(code, &app.client_id, Some(redirect_uri), Some(prefix))
                .map_err(|e| match e {
                    CodeError::Unknown => {
                        "The authorization code is invalid, expired or already used"
                    }
                    CodeError::Mismatch(why) => why,
                })
        }
        Some("refresh_token") => {
            let token = field("refresh_token").unwrap_or("");
            grants
                .refresh(token, &app.client_id, Some(prefix))
                .ok_or("The refresh token is invalid, revoked or already used")
        }
        Some(_) => {
            return token_error(
                StatusCode::BAD_REQUEST,
                "unsupported_grant_type",
                "The grant_type must be authorization_code or refresh_token",
            )
        }
        None => {
            return token_error(
                StatusCode::BAD_REQUEST,
                "invalid_request",
                "The grant_type is missing",
            )
        }
    };
    match issued {
        Ok(issued) => (
            [(axum::http::header::CACHE_CONTROL, "no-store")],
            axum::Json(token_json(&issued)),
        )
            .into_response(),
        Err(why) => token_error(StatusCode::BAD_REQUEST, "invalid_grant", why),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scopes_look_like_resource_and_access() {
        assert!(valid_scope("sales:read"));
        assert!(valid_scope("customer_groups:write"));
        assert!(valid_scope("webhooks"));
        assert!(!valid_scope("sales:delete"));
        assert!(!valid_scope("read_orders"));
        assert_eq!(describe_scope("sales:read"), "View sales");
    }
}
