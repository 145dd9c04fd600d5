//! Shopify's non-GraphQL error answers, in one place.
//!
//! UNCONFIRMED: Shopify documents the happy paths of OAuth, not its error
//! bodies. The shapes here come from public reports and client libraries
//! (`Oauth error invalid_request: The redirect_uri is missing`, the 401
//! `[API] Invalid API key …` body, the token endpoint's
//! `{"error": …, "error_description": …}`); the deny redirect is our own
//! guess. When a real response disagrees, change it here and nowhere else.

use axum::http::{header, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use serde_json::json;

use super::consent::{escape, page};

/// Query parameters added to `redirect_uri` when the merchant clicks Cancel.
/// UNCONFIRMED: Shopify's real behaviour on "Cancel" is not documented.
pub(crate) fn denied_params(state: Option<&str>) -> Vec<(&'static str, String)> {
    let mut params = vec![
        ("error", "access_denied".to_owned()),
        ("error_description", "The merchant declined".to_owned()),
    ];
    if let Some(state) = state {
        params.push(("state", state.to_owned()));
    }
    params
}

/// The HTML error page Shopify shows on a bad authorize request.
pub(crate) fn oauth_error(kind: &str, message: &str) -> Response {
    let text = format!("Oauth error {kind}: {message}");
    let body = page(
        "Oauth error",
        &format!(
            r#"<div class="card"><h1>Oauth error {}</h1><p class="error" id="oauth-error">{}</p></div>"#,
            escape(kind),
            escape(&text)
        ),
    );
    (StatusCode::BAD_REQUEST, Html(body)).into_response()
}

/// The `invalid_request` message for a client_id that isn't the registered app.
pub(crate) fn unknown_client_message(client_id: &str) -> String {
    format!("Could not find Shopify API application with api_key {client_id}")
}

pub(crate) fn not_found_html() -> Response {
    let body = page(
        "Not Found",
        r#"<div class="card"><h1>There’s no page at this address</h1><p>Check the URL and try again.</p></div>"#,
    );
    (StatusCode::NOT_FOUND, Html(body)).into_response()
}

pub(crate) fn not_found_json() -> Response {
    (
        StatusCode::NOT_FOUND,
        axum::Json(json!({"errors": "Not Found"})),
    )
        .into_response()
}

/// `400` from `/admin/oauth/access_token`.
pub(crate) fn token_error(description: &str) -> Response {
    (
        StatusCode::BAD_REQUEST,
        axum::Json(json!({"error": "invalid_request", "error_description": description})),
    )
        .into_response()
}

/// `400` for a refresh token that is unknown, used or expired.
pub(crate) fn invalid_grant() -> Response {
    (
        StatusCode::BAD_REQUEST,
        axum::Json(json!({"error": "invalid_grant"})),
    )
        .into_response()
}

/// `401` for a missing, unknown, expired or revoked access token.
pub(crate) fn unauthorized() -> Response {
    (
        StatusCode::UNAUTHORIZED,
        axum::Json(json!({"errors": "[API] Invalid API key or access token (unrecognized login or wrong password)"})),
    )
        .into_response()
}

/// `400` for a GraphQL request whose body has no usable `query`.
pub(crate) fn bad_graphql_body() -> Response {
    (
        StatusCode::BAD_REQUEST,
        axum::Json(json!({"errors": {"query": "Required parameter missing or invalid"}})),
    )
        .into_response()
}

/// A `500` or `503` from the API, for fault injection. UNCONFIRMED: the
/// body reuses the `{"errors": …}` shape of the other API errors.
pub(crate) fn server_error(status: StatusCode) -> Response {
    let reason = status.canonical_reason().unwrap_or("Error");
    (status, axum::Json(json!({ "errors": reason }))).into_response()
}

/// A `302 Found` to `location`.
pub(crate) fn redirect(location: &str) -> Response {
    (StatusCode::FOUND, [(header::LOCATION, location.to_owned())]).into_response()
}
