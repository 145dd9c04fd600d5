//! R-Series' authorization-code grant on the new authorization server
//! (channel-apis §6).
//!
//! `GET {auth}/auth/oauth/authorize?response_type=code&client_id&scope
//! &state&redirect_uri` shows the consent page (scopes are space-delimited
//! `employee:*` roles, `employee:all` for everything); the decision is
//! posted to `{auth}/auth/oauth/authorize/decision` and answered with a
//! `302` to `redirect_uri` carrying `code` and `state` (or
//! `error=access_denied`). `POST {auth}/auth/oauth/token` takes `client_id`,
//! `client_secret`, `grant_type=authorization_code|refresh_token` and
//! `code`/`refresh_token` (form or JSON body; the client may also use HTTP
//! Basic) and answers `{token_type, expires_in, access_token,
//! refresh_token, scope}`. Both tokens rotate on every refresh; the used
//! refresh token gets `invalid_grant`. The account a token opens is found
//! with `GET /API/V3/Account.json`.

use std::collections::HashMap;

use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use serde_json::{json, Value};
use url::Url;

use super::replies::{redirect, token_error};
use super::{Account, PRODUCT};
use crate::lightspeed::grants::{CodeError, Issued};
use crate::lightspeed::page::{Consent, Refusal};
use crate::lightspeed::params::{
    body_fields, parse_scopes, redirect_target, with_query, AuthorizeParams,
};
use crate::locks::lock;
use crate::state::Shared;

/// The consent form's field naming the account the browser is signed in
/// to (also accepted on the authorize URL; a sandbox stand-in for the
/// login).
pub(crate) const STORE_FIELD: &str = "account_id";

/// `employee:` and a role (`all`, `register`, `inventory`, …).
fn valid_scope(s: &str) -> bool {
    s.strip_prefix("employee:").is_some_and(|role| {
        !role.is_empty() && role.chars().all(|c| c.is_ascii_lowercase() || c == '_')
    })
}

fn describe_scope(scope: &str) -> String {
    match scope.strip_prefix("employee:") {
        Some("all") => "Everything an administrator can see and do".to_owned(),
        Some(role) => format!(
            "What an employee with the {} role can do",
            role.replace('_', " ")
        ),
        None => scope.to_owned(),
    }
}

fn refuse(kind: &'static str, message: impl Into<String>) -> Refusal {
    Refusal::new(kind, message)
}

struct Checked<'s> {
    account: &'s Account,
    redirect: Url,
    redirect_uri: String,
    client_id: String,
    scopes: Vec<String>,
}

fn check<'s>(shared: &'s Shared, p: &AuthorizeParams) -> Result<Checked<'s>, Refusal> {
    if p.response_type.as_deref() != Some("code") {
        return Err(refuse(
            "unsupported_response_type",
            "The authorization server does not support obtaining an authorization code using this method.",
        ));
    }
    let client_id = p.client_id.clone().unwrap_or_default();
    if client_id != shared.rseries_app.client_id {
        return Err(refuse("invalid_client", "Client authentication failed"));
    }
    let Some(redirect_uri) = p.redirect_uri.clone() else {
        return Err(refuse(
            "invalid_request",
            "Check the `redirect_uri` parameter",
        ));
    };
    let redirect = redirect_target(&redirect_uri).map_err(|m| refuse("invalid_request", m))?;
    let scopes = parse_scopes(&p.scope, valid_scope).map_err(|bad| {
        refuse(
            "invalid_scope",
            format!("The requested scope is invalid: {bad}"),
        )
    })?;
    if scopes.is_empty() {
        return Err(refuse(
            "invalid_scope",
            "A scope is required, like employee:all",
        ));
    }
    let account = match &p.store {
        Some(id) => shared.rseries_account(id),
        None => shared.rseries_accounts.first(),
    };
    let Some(account) = account else {
        return Err(refuse("invalid_request", "There is no such account"));
    };
    Ok(Checked {
        account,
        redirect,
        redirect_uri,
        client_id,
        scopes,
    })
}

/// `GET /auth/oauth/authorize`: the consent page, or the error page.
pub(crate) fn authorize(shared: &Shared, p: &AuthorizeParams) -> Response {
    let checked = match check(shared, p) {
        Ok(c) => c,
        Err(refusal) => return refusal.page(PRODUCT),
    };
    let account_id = checked.account.account_id.to_string();
    let request = |account: &str| -> Vec<(&'static str, String)> {
        let mut fields = vec![
            ("response_type", "code".to_owned()),
            ("client_id", checked.client_id.clone()),
            ("redirect_uri", checked.redirect_uri.clone()),
            ("scope", p.scope.clone()),
        ];
        if let Some(state) = &p.state {
            fields.push(("state", state.clone()));
        }
        fields.push((STORE_FIELD, account.to_owned()));
        fields
    };
    let switch: Vec<(String, String)> = shared
        .rseries_accounts
        .iter()
        .filter(|a| a.account_id != checked.account.account_id)
        .map(|a| {
            let query = form_urlencoded::Serializer::new(String::new())
                .extend_pairs(request(&a.account_id.to_string()))
                .finish();
            (
                a.name.clone(),
                format!("/rseries-auth/auth/oauth/authorize?{query}"),
            )
        })
        .collect();
    let scopes: Vec<(String, String)> = checked
        .scopes
        .iter()
        .map(|s| (s.clone(), describe_scope(s)))
        .collect();
    let hidden = request(&account_id);
    let detail = format!("Account {account_id}");
    let consent = Consent {
        product: PRODUCT,
        app_name: crate::shopify::APP_NAME,
        store_name: &checked.account.name,
        store_detail: &detail,
        scopes: &scopes,
        action: "/rseries-auth/auth/oauth/authorize/decision",
        hidden: &hidden,
        switch: &switch,
    };
    Html(consent.render()).into_response()
}

/// `POST /auth/oauth/authorize/decision`: the merchant's click.
pub(crate) fn decide(shared: &Shared, p: &AuthorizeParams) -> Response {
    let checked = match check(shared, p) {
        Ok(c) => c,
        Err(refusal) => return refusal.page(PRODUCT),
    };
    let state = p.state.clone();
    let with_state = |mut params: Vec<(&'static str, String)>| {
        if let Some(s) = &state {
            params.push(("state", s.clone()));
        }
        params
    };
    let params = match p.decision.as_deref() {
        Some("approve") => {
            let code = lock(&shared.rseries_grants).issue_code(
                &checked.client_id,
                &checked.redirect_uri,
                checked.scopes,
                &checked.account.account_id.to_string(),
            );
            with_state(vec![("code", code)])
        }
        Some("deny") => with_state(vec![
            ("error", "access_denied".to_owned()),
            (
                "error_description",
                "The resource owner or authorization server denied the request.".to_owned(),
            ),
        ]),
        _ => {
            return refuse("invalid_request", "The decision must be approve or deny").page(PRODUCT)
        }
    };
    let pairs: Vec<(&str, &str)> = params.iter().map(|(k, v)| (*k, v.as_str())).collect();
    redirect(&with_query(checked.redirect, &pairs))
}

/// The token endpoint's answer.
pub(crate) fn token_json(issued: &Issued) -> Value {
    json!({
        "token_type": "Bearer",
        "expires_in": issued.expires_in,
        "access_token": issued.access_token,
        "refresh_token": issued.refresh_token,
        "scope": issued.scopes.join(" "),
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

/// `POST /auth/oauth/token`: exchanges a code or rotates a refresh token.
pub(crate) fn token(shared: &Shared, headers: &HeaderMap, body: &[u8]) -> Response {
    let Some(mut fields) = body_fields(headers, body, true) else {
        return token_error(
            StatusCode::BAD_REQUEST,
            "invalid_request",
            "The request is missing a required parameter, includes an invalid parameter value, includes a parameter more than once, or is otherwise malformed.",
            "The request body could not be read",
        );
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
    let app = &shared.rseries_app;
    if field("client_id") != Some(app.client_id.as_str())
        || field("client_secret") != Some(app.client_secret.as_str())
    {
        return token_error(
            StatusCode::UNAUTHORIZED,
            "invalid_client",
            "Client authentication failed",
            "",
        );
    }
    let mut grants = lock(&shared.rseries_grants);
    let issued = match field("grant_type") {
        Some("authorization_code") => {
            let Some(code) = field("code") else {
                return token_error(
                    StatusCode::BAD_REQUEST,
                    "invalid_request",
                    "The request is missing a required parameter.",
                    "Check the `code` parameter",
                );
            };
            grants
                .redeem_code(code, &app.client_id, field("redirect_uri"), None)
                .map_err(|e| match e {
                    CodeError::Unknown => "Authorization code has expired or was already used",
                    CodeError::Mismatch(why) => why,
                })
        }
        Some("refresh_token") => grants
            .refresh(field("refresh_token").unwrap_or(""), &app.client_id, None)
            .ok_or("Token has been revoked"),
        Some(_) => {
            return token_error(
                StatusCode::BAD_REQUEST,
                "unsupported_grant_type",
                "The authorization grant type is not supported by the authorization server.",
                "Check that all required parameters have been provided",
            )
        }
        None => {
            return token_error(
                StatusCode::BAD_REQUEST,
                "invalid_request",
                "The request is missing a required parameter.",
                "Check the `grant_type` parameter",
            )
        }
    };
    match issued {
        Ok(issued) => (
            [(header::CACHE_CONTROL, "no-store")],
            axum::Json(token_json(&issued)),
        )
            .into_response(),
        Err(hint) => token_error(
            StatusCode::BAD_REQUEST,
            "invalid_grant",
            "The provided authorization grant (e.g., authorization code, resource owner credentials) or refresh token is invalid, expired, revoked, does not match the redirection URI used in the authorization request, or was issued to another client.",
            hint,
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scopes_are_employee_roles() {
        assert!(valid_scope("employee:all"));
        assert!(valid_scope("employee:register_read"));
        assert!(!valid_scope("sales:read"));
        assert!(!valid_scope("employee:"));
    }
}
