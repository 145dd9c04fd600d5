//! BigCommerce's answers other than a plain `200` JSON body, and every fact
//! about BigCommerce the sandbox could not confirm, in one place.
//!
//! Confirmed (bigcommerce/docs `reference/orders.v2.oas2.yml`): v2 errors are
//! a JSON *array* of `{status, message}` (the documented `404_Resp` is
//! `[{"status":404,"message":"The requested resource was not found."}]`);
//! the rate-limit header names (`api-rate-limits.mdx`).
//!
//! UNCONFIRMED, kept here so a real response that disagrees is fixed once:
//! - The 401, 400, 413 and 429 *bodies*: they reuse the documented v2 array
//!   shape with our own messages. The docs name the status codes only.
//! - `GET /v2/orders` answering `204 No Content` with an empty body when a
//!   page has no orders: the reference says it for empty sub-collections;
//!   for the orders list it is third-party (aligent/bigcommerce-v3-api-php-
//!   client PR #177 handles exactly that), not in the reference.
//! - The `limit` maximum of 250 (Airbyte's page size; the spec gives only the
//!   default of 50) and answering a larger `limit` with `413` (the status
//!   codes page says 413 is for "the `limit` parameter exceeded the maximum").
//! - `min_date_*` / `max_date_*` being inclusive, an ISO 8601 time without an
//!   offset meaning UTC, and ties in a sort being broken by order id.
//! - The `email` filter matching case-insensitively after trimming.
//! - An unknown store hash answering 404 (rather than 401/403).

use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::json;

use super::rate::{RateStatus, QUOTA, WINDOW};

/// The largest `limit` a page may ask for (UNCONFIRMED, see above).
pub(crate) const MAX_LIMIT: u64 = 250;
/// The page size when `limit` is not given (documented).
pub(crate) const DEFAULT_LIMIT: u64 = 50;

fn error(status: StatusCode, message: &str) -> Response {
    (
        status,
        Json(json!([{"status": status.as_u16(), "message": message}])),
    )
        .into_response()
}

/// `401` for a missing, unknown or deleted access token.
pub(crate) fn unauthorized() -> Response {
    error(
        StatusCode::UNAUTHORIZED,
        "No valid credentials were found in this request.",
    )
}

/// `404` for an unknown store, order or path (documented body).
pub(crate) fn not_found() -> Response {
    error(
        StatusCode::NOT_FOUND,
        "The requested resource was not found.",
    )
}

/// `400` for a query parameter the API can't read.
pub(crate) fn bad_parameter(name: &str) -> Response {
    error(
        StatusCode::BAD_REQUEST,
        &format!("The field '{name}' is invalid."),
    )
}

/// `413` for a `limit` above [`MAX_LIMIT`].
pub(crate) fn limit_too_large() -> Response {
    error(
        StatusCode::PAYLOAD_TOO_LARGE,
        &format!("The limit must be at most {MAX_LIMIT}."),
    )
}

/// `429` once the store's quota for this window is spent.
pub(crate) fn too_many_requests() -> Response {
    error(
        StatusCode::TOO_MANY_REQUESTS,
        "You have exceeded the request quota for this store. Retry after X-Rate-Limit-Time-Reset-Ms.",
    )
}

/// A `500` or `503`, for fault injection, in the documented v2 array
/// shape (the message is ours, UNCONFIRMED).
pub(crate) fn server_error(status: StatusCode) -> Response {
    error(
        status,
        "The service is temporarily unavailable. Please try again later.",
    )
}

/// `204 No Content`: an empty page or an empty sub-collection.
pub(crate) fn no_content() -> Response {
    StatusCode::NO_CONTENT.into_response()
}

/// Adds the four rate-limit headers (documented names) to `response`.
pub(crate) fn with_rate_headers(mut response: Response, status: RateStatus) -> Response {
    let headers: &mut HeaderMap = response.headers_mut();
    let window = u64::try_from(WINDOW.as_millis()).unwrap_or(u64::MAX);
    for (name, value) in [
        ("x-rate-limit-time-window-ms", window),
        ("x-rate-limit-time-reset-ms", status.reset_ms),
        ("x-rate-limit-requests-quota", u64::from(QUOTA)),
        ("x-rate-limit-requests-left", u64::from(status.left)),
    ] {
        headers.insert(name, HeaderValue::from(value));
    }
    response
}
