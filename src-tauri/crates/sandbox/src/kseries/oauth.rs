//! K-Series' authorization-code grant (channel-apis §7; the API portal's
//! authorization overview).
//!
//! `GET {auth}/oauth/authorize?response_type=code&client_id&scope
//! &redirect_uri[&state]` shows the consent page (scopes space-delimited,
//! each listed for approval); the decision is posted back to the same path
//! and answered with a `302` to `redirect_uri` carrying `code` and `state`
//! (or `error=access_denied`). Redirect URLs must be HTTPS (documented), so
//! anything else gets the error page, with one exception: the sandbox's own
//! relay page `{base}relay/kseries`, which stands in for Counterline's hosted
//! HTTPS relay because the sandbox serves no TLS.
//!
//! `POST {auth}/oauth/token` authenticates the client with HTTP Basic only
//! (`base64(client_id:client_secret)`, documented; credentials in the body
//! get 401 `invalid_client`) and takes `grant_type=authorization_code` with
//! `code` and `redirect_uri`, or `grant_type=refresh_token` with
//! `refresh_token`, as query parameters (the V1 guide) or a form body. It
//! answers `{access_token, token_type, expires_in, refresh_token, scope}`.
//! Access tokens live `kseries_token_lifetime` (60 minutes by default);
//! refresh tokens are single use (each use rotates both) and lapse after 14
//! days unused (see `tokens`). A grant's subject is the business id.

use std::collections::HashMap;

use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use serde_json::json;
use url::Url;

use super::replies::{redirect, token_error};
use super::{Business, PRODUCT};
use crate::data::clock;
use crate::lightspeed::grants::CodeError;
use crate::lightspeed::page::{Consent, Refusal};
use crate::lightspeed::params::{parse_scopes, redirect_target, with_query, AuthorizeParams};
use crate::locks::lock;
use crate::state::Shared;

/// The consent form's field naming the business the browser is signed in
/// to (also accepted on the authorize URL; a sandbox stand-in for the login).
pub(crate) const STORE_FIELD: &str = "business_id";

/// The path of the relay page, the one non-HTTPS redirect allowed.
pub(crate) const RELAY_PATH: &str = "/relay/kseries";

/// The documented scopes (`reservation-{platform}` stands for one per
/// reservation platform).
fn describe_scope(s: &str) -> Option<&'static str> {
    Some(match s {
        "orders-api" => {
            "Read business information, menus and floors; read and write orders and payments"
        }
        "financial-api" => "Read financial data: sales, payments and business locations",
        "items" => "Read and write items",
        "staff-api" => "Read shift information, read and write user information",
        "propertymanagement" => "Read and write property management configurations",
        "reservations-api" => "Configure reservation integrations",
        "id-cards" => "Create and manage ID card batches and cards",
        _ if s
            .strip_prefix("reservation-")
            .is_some_and(|p| !p.is_empty()) =>
        {
            "Manage reservations for a reservation platform"
        }
        _ => return None,
    })
}

struct Checked<'s> {
    business: &'s Business,
    redirect: Url,
    redirect_uri: String,
    client_id: String,
    scopes: Vec<String>,
}

/// HTTPS, or the sandbox's own relay page.
fn allowed_redirect(shared: &Shared, url: &Url) -> bool {
    if url.scheme() == "https" {
        return true;
    }
    let relay = shared
        .base_url
        .join(RELAY_PATH.trim_start_matches('/'))
        .ok();
    relay.is_some_and(|r| {
        url.scheme() == r.scheme()
            && url.host_str() == r.host_str()
            && url.port_or_known_default() == r.port_or_known_default()
            && url.path() == r.path()
    })
}

fn check<'s>(shared: &'s Shared, p: &AuthorizeParams) -> Result<Checked<'s>, Refusal> {
    if p.response_type.as_deref() != Some("code") {
        return Err(Refusal::new(
            "unsupported_response_type",
            "Unsupported response type: the response_type must be code",
        ));
    }
    let client_id = p.client_id.clone().unwrap_or_default();
    if client_id != shared.kseries_app.client_id {
        return Err(Refusal::new("invalid_client", "Client not found"));
    }
    let Some(redirect_uri) = p.redirect_uri.clone() else {
        return Err(Refusal::new(
            "invalid_request",
            "A redirect_uri is required",
        ));
    };
    let redirect =
        redirect_target(&redirect_uri).map_err(|m| Refusal::new("invalid_request", m))?;
    if !allowed_redirect(shared, &redirect) {
        return Err(Refusal::new(
            "invalid_request",
            format!("Redirect URLs require HTTPS: {redirect_uri} is not an https:// URL"),
        ));
    }
    let scopes = parse_scopes(&p.scope, |s| describe_scope(s).is_some())
        .map_err(|bad| Refusal::new("invalid_scope", format!("Invalid scope: {bad}")))?;
    if scopes.is_empty() {
        return Err(Refusal::new(
            "invalid_scope",
            "A scope is required, like financial-api",
        ));
    }
    let business = match &p.store {
        Some(id) => shared.kseries_business(id),
        None => shared.kseries_businesses.first(),
    };
    let Some(business) = business else {
        return Err(Refusal::new("invalid_request", "There is no such business"));
    };
    Ok(Checked {
        business,
        redirect,
        redirect_uri,
        client_id,
        scopes,
    })
}

/// `GET /oauth/authorize`: the consent page, or the error page.
pub(crate) fn authorize(shared: &Shared, p: &AuthorizeParams) -> Response {
    let checked = match check(shared, p) {
        Ok(c) => c,
        Err(refusal) => return refusal.page(PRODUCT),
    };
    let request = |business: u64| -> Vec<(&'static str, String)> {
        let mut fields = vec![
            ("response_type", "code".to_owned()),
            ("client_id", checked.client_id.clone()),
            ("redirect_uri", checked.redirect_uri.clone()),
            ("scope", p.scope.clone()),
        ];
        if let Some(state) = &p.state {
            fields.push(("state", state.clone()));
        }
        fields.push((STORE_FIELD, business.to_string()));
        fields
    };
    let switch: Vec<(String, String)> = shared
        .kseries_businesses
        .iter()
        .filter(|b| b.business_id != checked.business.business_id)
        .map(|b| {
            let query = form_urlencoded::Serializer::new(String::new())
                .extend_pairs(request(b.business_id))
                .finish();
            (
                b.name.clone(),
                format!("/kseries-auth/oauth/authorize?{query}"),
            )
        })
        .collect();
    let scopes: Vec<(String, String)> = checked
        .scopes
        .iter()
        .map(|s| (s.clone(), describe_scope(s).unwrap_or_default().to_owned()))
        .collect();
    let hidden = request(checked.business.business_id);
    let names: Vec<&str> = checked
        .business
        .locations
        .iter()
        .map(|l| l.name.as_str())
        .collect();
    let detail = format!(
        "Business {} · {}",
        checked.business.business_id,
        names.join(", ")
    );
    let consent = Consent {
        product: PRODUCT,
        app_name: crate::shopify::APP_NAME,
        store_name: &checked.business.name,
        store_detail: &detail,
        scopes: &scopes,
        action: "/kseries-auth/oauth/authorize",
        hidden: &hidden,
        switch: &switch,
    };
    Html(consent.render()).into_response()
}

/// `POST /oauth/authorize`: the merchant's click.
pub(crate) fn decide(shared: &Shared, p: &AuthorizeParams) -> Response {
    let checked = match check(shared, p) {
        Ok(c) => c,
        Err(refusal) => return refusal.page(PRODUCT),
    };
    let mut params: Vec<(&str, String)> = match p.decision.as_deref() {
        Some("approve") => {
            let code = lock(&shared.kseries_grants).grants.issue_code(
                &checked.client_id,
                &checked.redirect_uri,
                checked.scopes,
                &checked.business.business_id.to_string(),
            );
            vec![("code", code)]
        }
        Some("deny") => vec![
            ("error", "access_denied".to_owned()),
            ("error_description", "The user denied access".to_owned()),
        ],
        _ => {
            return Refusal::new("invalid_request", "The decision must be approve or deny")
                .page(PRODUCT)
        }
    };
    if let Some(s) = &p.state {
        params.push(("state", s.clone()));
    }
    let pairs: Vec<(&str, &str)> = params.iter().map(|(k, v)| (*k, v.as_str())).collect();
    redirect(&with_query(checked.redirect, &pairs))
}

/// `client_id:client_secret` from HTTP Basic, if given.
fn basic_credentials(headers: &HeaderMap) -> Option<(String, String)> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, encoded) = value.trim().split_once(' ')?;
    if !scheme.eq_ignore_ascii_case("basic") {
        return None;
    }
    let decoded = String::from_utf8(STANDARD.decode(encoded.trim()).ok()?).ok()?;
    let (id, secret) = decoded.split_once(':')?;
    Some((id.to_owned(), secret.to_owned()))
}

/// `POST /oauth/token`: fields from the query string and the form body.
pub(crate) fn token(shared: &Shared, headers: &HeaderMap, query: &str, body: &[u8]) -> Response {
    let app = &shared.kseries_app;
    let authenticated = basic_credentials(headers)
        .is_some_and(|(id, secret)| id == app.client_id && secret == app.client_secret);
    if !authenticated {
        return token_error(
            StatusCode::UNAUTHORIZED,
            "invalid_client",
            "Client authentication failed: send the client id and secret with HTTP Basic",
        );
    }
    let fields: HashMap<String, String> = form_urlencoded::parse(query.as_bytes())
        .chain(form_urlencoded::parse(body))
        .filter(|(_, v)| !v.is_empty())
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    let field = |name: &str| fields.get(name).map(String::as_str);
    let mut tokens = lock(&shared.kseries_grants);
    let issued = match field("grant_type") {
        Some("authorization_code") => {
            let Some(code) = field("code") else {
                return token_error(StatusCode::BAD_REQUEST, "invalid_request", "Missing code");
            };
            tokens
                .redeem_code(code, &app.client_id, field("redirect_uri"))
                .map_err(|e| match e {
                    CodeError::Unknown => "Invalid authorization code",
                    CodeError::Mismatch(why) => why,
                })
        }
        Some("refresh_token") => tokens
            .refresh(
                field("refresh_token").unwrap_or(""),
                &app.client_id,
                clock::now(),
            )
            .ok_or("Invalid refresh token"),
        Some(other) => {
            return token_error(
                StatusCode::BAD_REQUEST,
                "unsupported_grant_type",
                &format!("Unsupported grant type: {other}"),
            )
        }
        None => {
            return token_error(
                StatusCode::BAD_REQUEST,
                "invalid_request",
                "Missing grant type",
            )
        }
    };
    match issued {
        Ok(issued) => (
            [(header::CACHE_CONTROL, "no-store")],
            axum::Json(json!({
                "access_token": issued.access_token,
                "token_type": "bearer",
                "expires_in": issued.expires_in,
                "refresh_token": issued.refresh_token,
                "scope": issued.scopes.join(" "),
            })),
        )
            .into_response(),
        Err(why) => token_error(StatusCode::BAD_REQUEST, "invalid_grant", why),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_documented_scopes_are_known() {
        for s in [
            "orders-api",
            "financial-api",
            "items",
            "staff-api",
            "reservation-resy",
        ] {
            assert!(describe_scope(s).is_some(), "{s}");
        }
        assert!(describe_scope("reservation-").is_none());
        assert!(describe_scope("sales:read").is_none());
    }
}
