//! Kounta's authorization-code grant (channel-apis §8; apidoc.kounta.com
//! `authentication`).
//!
//! `GET {auth}/authorize?client_id&redirect_uri&state&response_type=code`
//! shows the consent page (Kounta has no scopes: an add-on gets what its
//! registration allows); the decision is posted to
//! `{auth}/authorize/decision` and answered with a `302` to `redirect_uri`
//! carrying `code` and `state` (or `error=access_denied`). `POST
//! {api}/v1/token.json` (or `/v1/token`) takes a form body (or JSON, or
//! client credentials in HTTP Basic) with `grant_type`, `client_id`,
//! `client_secret` and `code` + `redirect_uri` or `refresh_token`, and
//! answers `{access_token, expires_in, token_type, scope, refresh_token}`.
//! Refreshing rotates the refresh token (UNCONFIRMED, see `replies`). The
//! company a token opens is found with `GET /v1/companies/me`.

use std::collections::HashMap;

use axum::http::{header, HeaderMap};
use axum::response::{Html, IntoResponse, Response};
use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use serde_json::{json, Value};
use url::Url;

use super::replies::{redirect, token_error};
use super::{Company, PRODUCT};
use crate::lightspeed::grants::{CodeError, Issued};
use crate::lightspeed::page::{Consent, Refusal};
use crate::lightspeed::params::{body_fields, redirect_target, with_query, AuthorizeParams};
use crate::locks::lock;
use crate::state::Shared;

/// The consent form's field naming the company the browser is signed in to
/// (also accepted on the authorize URL; a sandbox stand-in for the login).
pub(crate) const STORE_FIELD: &str = "company_id";

struct Checked<'s> {
    company: &'s Company,
    redirect: Url,
    redirect_uri: String,
    client_id: String,
}

fn check<'s>(shared: &'s Shared, p: &AuthorizeParams) -> Result<Checked<'s>, Refusal> {
    if p.response_type.as_deref() != Some("code") {
        return Err(Refusal::new(
            "unsupported_response_type",
            "The response type must be code",
        ));
    }
    let client_id = p.client_id.clone().unwrap_or_default();
    if client_id != shared.oseries_app.client_id {
        return Err(Refusal::new(
            "invalid_client",
            "No add-on is registered with this client_id",
        ));
    }
    let Some(redirect_uri) = p.redirect_uri.clone() else {
        return Err(Refusal::new(
            "invalid_request",
            "The redirect_uri is missing",
        ));
    };
    let redirect =
        redirect_target(&redirect_uri).map_err(|m| Refusal::new("invalid_request", m))?;
    let company = match &p.store {
        Some(id) => shared.oseries_company(id),
        None => shared.oseries_companies.first(),
    };
    let Some(company) = company else {
        return Err(Refusal::new("invalid_request", "There is no such company"));
    };
    Ok(Checked {
        company,
        redirect,
        redirect_uri,
        client_id,
    })
}

/// `GET /authorize`: the consent page, or the error page.
pub(crate) fn authorize(shared: &Shared, p: &AuthorizeParams) -> Response {
    let checked = match check(shared, p) {
        Ok(c) => c,
        Err(refusal) => return refusal.page(PRODUCT),
    };
    let request = |company: u64| -> Vec<(&'static str, String)> {
        let mut fields = vec![
            ("response_type", "code".to_owned()),
            ("client_id", checked.client_id.clone()),
            ("redirect_uri", checked.redirect_uri.clone()),
        ];
        if let Some(state) = &p.state {
            fields.push(("state", state.clone()));
        }
        fields.push((STORE_FIELD, company.to_string()));
        fields
    };
    let switch: Vec<(String, String)> = shared
        .oseries_companies
        .iter()
        .filter(|c| c.company_id != checked.company.company_id)
        .map(|c| {
            let query = form_urlencoded::Serializer::new(String::new())
                .extend_pairs(request(c.company_id))
                .finish();
            (c.name.clone(), format!("/oseries-auth/authorize?{query}"))
        })
        .collect();
    let hidden = request(checked.company.company_id);
    let sites: Vec<&str> = checked
        .company
        .sites
        .iter()
        .map(|s| s.name.as_str())
        .collect();
    let detail = format!(
        "Company {} · sites: {}",
        checked.company.company_id,
        sites.join(", ")
    );
    let consent = Consent {
        product: PRODUCT,
        app_name: crate::shopify::APP_NAME,
        store_name: &checked.company.name,
        store_detail: &detail,
        scopes: &[],
        action: "/oseries-auth/authorize/decision",
        hidden: &hidden,
        switch: &switch,
    };
    Html(consent.render()).into_response()
}

/// `POST /authorize/decision`: the merchant's click.
pub(crate) fn decide(shared: &Shared, p: &AuthorizeParams) -> Response {
    let checked = match check(shared, p) {
        Ok(c) => c,
        Err(refusal) => return refusal.page(PRODUCT),
    };
    let mut params: Vec<(&'static str, String)> = match p.decision.as_deref() {
        Some("approve") => {
            let code = lock(&shared.oseries_grants).issue_code(
                &checked.client_id,
                &checked.redirect_uri,
                Vec::new(),
                &checked.company.company_id.to_string(),
            );
            vec![("code", code)]
        }
        Some("deny") => vec![
            ("error", "access_denied".to_owned()),
            (
                "error_description",
                "The user denied access to your application".to_owned(),
            ),
        ],
        _ => {
            return Refusal::new("invalid_request", "The decision must be approve or deny")
                .page(PRODUCT)
        }
    };
    if let Some(state) = &p.state {
        params.push(("state", state.clone()));
    }
    let pairs: Vec<(&str, &str)> = params.iter().map(|(k, v)| (*k, v.as_str())).collect();
    redirect(&with_query(checked.redirect, &pairs))
}

/// The token endpoint's answer (Kounta has no scopes: `scope` is null).
pub(crate) fn token_json(issued: &Issued) -> Value {
    json!({
        "access_token": issued.access_token,
        "expires_in": issued.expires_in,
        "token_type": "Bearer",
        "scope": null,
        "refresh_token": issued.refresh_token,
    })
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

/// `POST /v1/token.json`: exchanges a code or rotates a refresh token.
pub(crate) fn token(shared: &Shared, headers: &HeaderMap, body: &[u8]) -> Response {
    let Some(mut fields) = body_fields(headers, body, true) else {
        return token_error("invalid_request", "The request body could not be read");
    };
    if let Some((id, secret)) = basic_credentials(headers) {
        fields.entry("client_id".into()).or_insert(id);
        fields.entry("client_secret".into()).or_insert(secret);
    }
    token_for(shared, &fields)
}

fn token_for(shared: &Shared, fields: &HashMap<String, String>) -> Response {
    let field = |name: &str| {
        fields
            .get(name)
            .map(String::as_str)
            .filter(|v| !v.is_empty())
    };
    let Some(grant_type) = field("grant_type") else {
        return token_error(
            "invalid_request",
            "The grant type was not specified in the request",
        );
    };
    if !matches!(grant_type, "authorization_code" | "refresh_token") {
        return token_error(
            "unsupported_grant_type",
            &format!("Grant type \"{grant_type}\" not supported"),
        );
    }
    let app = &shared.oseries_app;
    if field("client_id") != Some(app.client_id.as_str())
        || field("client_secret") != Some(app.client_secret.as_str())
    {
        return token_error("invalid_client", "The client credentials are invalid");
    }
    let mut grants = lock(&shared.oseries_grants);
    let issued = if grant_type == "authorization_code" {
        let Some(code) = field("code") else {
            return token_error("invalid_request", "Missing parameter: \"code\" is required");
        };
        grants
            .redeem_code(code, &app.client_id, field("redirect_uri"), None)
            .map_err(|e| match e {
                CodeError::Unknown => (
                    "invalid_grant",
                    "Authorization code doesn't exist or is invalid for the client",
                ),
                CodeError::Mismatch(_) => (
                    "redirect_uri_mismatch",
                    "The redirect URI is missing or do not match",
                ),
            })
    } else {
        let Some(refresh) = field("refresh_token") else {
            return token_error(
                "invalid_request",
                "Missing parameter: \"refresh_token\" is required",
            );
        };
        grants
            .refresh(refresh, &app.client_id, None)
            .ok_or(("invalid_grant", "Invalid refresh token"))
    };
    match issued {
        Ok(issued) => (
            [(header::CACHE_CONTROL, "no-store")],
            axum::Json(token_json(&issued)),
        )
            .into_response(),
        Err((kind, description)) => token_error(kind, description),
    }
}
