//! X-Series' answers other than a plain `200` JSON body, and every fact
//! about X-Series the sandbox could not confirm, in one place.
//!
//! Confirmed (channel-apis §5): the authorize URL and its parameters, the
//! callback's `code`, `domain_prefix` and `state`, the token endpoint on
//! the retailer's own domain (`/api/1.0/token`, form body only) and its
//! JSON fields, refresh-token rotation (2025-03), version-cursor paging
//! (`after`, `{data, version: {min, max}}`, stop on an empty page), the
//! sale fields, the rate limit (`300 × registers + 50` per 5 minutes, the
//! `X-RateLimit-Limit`/`X-RateLimit-Remaining` headers, and the 429 body
//! `{"error":"Too Many Requests","message":"Rate limiting enforced"}` with
//! `Retry-After` as an HTTP date — the last two from a third-party harvest).
//! A third-party copy of a real `GET /api/2.0/sales` answer shows the line
//! item fields, money as JSON numbers, `+00:00` times, `return_ids`,
//! `attributes: ["layby"]`, and a return line's negative `quantity` with
//! positive unit amounts and negative `*_total`s.
//!
//! UNCONFIRMED, kept here so a real response that disagrees is fixed once:
//! - The access-token lifetime: 604 800 s (the changelog's example
//!   `expires_in`); a third party says 86 400. Configurable.
//! - Token formats (`lsxs_at_…`, `lsxs_rt_…`; only personal tokens'
//!   `lsxs_pt_` prefix was seen), the token endpoint's error bodies (RFC
//!   6749 `{error, error_description}`), `state` being required and at
//!   least 8 characters, the denial redirect (`error=access_denied` and
//!   `state`), any redirect URI scheme being accepted, and which retailer a
//!   browser is signed in to (the sandbox takes a `domain_prefix` query
//!   parameter on `/connect`, else the first retailer).
//! - Error bodies other than the 429 reuse its `{error, message}` shape;
//!   the 403 for a token without the endpoint's scope; an unknown domain
//!   prefix answering 404.
//! - Paging details: `page_size` defaults to 1000 and larger values are
//!   silently capped at 1000 (the docs give 200 for API 0.x; a third party
//!   says 2.0 serves up to 5000), `before` is exclusive, a non-numeric
//!   `after`/`before`/`page_size` answers 400, and an empty page carries
//!   `"version": {"min": null, "max": null}`.
//! - Sales: `state` and `status` pairs (closed/`CLOSED`, voided/`VOIDED`,
//!   parked/`SAVED`, pending/`ONACCOUNT` with `attributes: ["onaccount"]`,
//!   pending/`LAYBY` with `["layby"]`); a returned sale's version moving
//!   when its `return_ids` change; `is_return: true` and `return_for` on
//!   returns made through the return flow; sales without a customer
//!   pointing at the retailer's `WALKIN` customer (seen in a 1.0-shaped
//!   webhook payload); no currency on sales (the outlet carries it).
//! - Sale updates (`PUT /api/2026-07/sales/{id}`, `sales:write`; see
//!   `writes`): the body's required `state` and `source` are from the
//!   2026-07 reference; the answer `{data: sale}` in the 2.0 shape, the
//!   400 bodies, which state changes are refused (anything but voiding,
//!   and voiding a voided sale or one with returns) and refusing a body
//!   that leaves out an existing line (the platform would delete it) are
//!   the sandbox's reading.
//! - `GET /api/2.0/outlets` carrying `currency` and `currency_symbol`;
//!   customer and product field sets (2.0 shapes modelled on 1.0 payloads).

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::json;

use super::rate::RateStatus;
use crate::data::clock::format_http_date;

/// The page size when `page_size` is not given (UNCONFIRMED, see above).
pub(crate) const DEFAULT_PAGE_SIZE: usize = 1_000;
/// The largest page served; bigger requests are capped (UNCONFIRMED).
pub(crate) const MAX_PAGE_SIZE: usize = 1_000;

fn error(status: StatusCode, message: &str) -> Response {
    let reason = status.canonical_reason().unwrap_or("Error");
    (status, Json(json!({"error": reason, "message": message}))).into_response()
}

/// `401` for a missing, unknown, expired or revoked access token.
pub(crate) fn unauthorized(expired: bool) -> Response {
    let message = if expired {
        "The access token has expired"
    } else {
        "The access token is missing or invalid"
    };
    let mut response = error(StatusCode::UNAUTHORIZED, message);
    response
        .headers_mut()
        .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
    response
}

/// `403` for a token whose grant lacks the endpoint's scope.
pub(crate) fn missing_scope(scope: &str) -> Response {
    error(
        StatusCode::FORBIDDEN,
        &format!("This endpoint requires the {scope} scope"),
    )
}

/// `404` for an unknown retailer, record or path.
pub(crate) fn not_found() -> Response {
    error(StatusCode::NOT_FOUND, "Not found")
}

/// `400` for a write the sale can't take, in words.
pub(crate) fn bad_request(message: &str) -> Response {
    error(StatusCode::BAD_REQUEST, message)
}

/// `400` for a query parameter that can't be read.
pub(crate) fn bad_parameter(name: &str) -> Response {
    error(
        StatusCode::BAD_REQUEST,
        &format!("Invalid value for parameter {name}"),
    )
}

/// A `500` or `503`, for fault injection, in the `{error, message}` shape
/// (UNCONFIRMED, like the other non-429 bodies).
pub(crate) fn server_error(status: StatusCode) -> Response {
    error(status, "Something went wrong. Please try again later.")
}

/// `429` once the window's requests are spent (documented body).
pub(crate) fn too_many_requests() -> Response {
    (
        StatusCode::TOO_MANY_REQUESTS,
        Json(json!({"error": "Too Many Requests", "message": "Rate limiting enforced"})),
    )
        .into_response()
}

/// Adds `X-RateLimit-Limit` and `X-RateLimit-Remaining`, and on a 429 a
/// `Retry-After` HTTP date.
pub(crate) fn with_rate_headers(mut response: Response, status: RateStatus) -> Response {
    let headers = response.headers_mut();
    headers.insert("x-ratelimit-limit", HeaderValue::from(status.limit));
    headers.insert("x-ratelimit-remaining", HeaderValue::from(status.remaining));
    if status.limited {
        if let Ok(v) = HeaderValue::from_str(&format_http_date(status.reset_at)) {
            headers.insert(header::RETRY_AFTER, v);
        }
    }
    response
}

/// A token-endpoint error (RFC 6749 §5.2).
pub(crate) fn token_error(status: StatusCode, kind: &str, description: &str) -> Response {
    (
        status,
        [(header::CACHE_CONTROL, "no-store")],
        Json(json!({"error": kind, "error_description": description})),
    )
        .into_response()
}

/// A `302 Found` to `location`.
pub(crate) fn redirect(location: &str) -> Response {
    (StatusCode::FOUND, [(header::LOCATION, location.to_owned())]).into_response()
}
