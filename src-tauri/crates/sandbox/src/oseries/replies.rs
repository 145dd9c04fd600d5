//! O-Series' answers other than a plain `200` JSON body, its rate limit,
//! and every fact about Kounta the sandbox could not confirm, in one place.
//!
//! Confirmed (channel-apis §8; apidoc.kounta.com `authentication` and
//! `orders`; the TandaHQ/Kounta and albimcleod/gokounta clients): the
//! authorize URL and its `client_id`, `redirect_uri`, `state`,
//! `response_type=code` parameters and the redirect back with `code` and
//! `state`; the token endpoint `/v1/token(.json)` taking a form body with
//! `grant_type=authorization_code|refresh_token`, `code`, `redirect_uri`,
//! `client_id`, `client_secret`, `refresh_token`, and answering
//! `access_token` and `refresh_token`; `GET /v1/companies/me` with `id`,
//! `name`, `currency`, `timezone {offset, name}`, `sites`/`registers`
//! counts; orders at `/v1/companies/{id}/orders`, filtered by path segments
//! (`sites/{id}`, `registers/{id}`, `customers/{id}`, `staff/{id}`, a
//! lower-case status like `complete`, `linkedcustomer`) combinable in any
//! order, and by `created`/`value` with `_lt`, `_lte`, `_gt`, `_gte`;
//! the statuses `SUBMITTED, ON_HOLD, PENDING, ACCEPTED, REJECTED,
//! COMPLETE`; paging by the request header `X-Page` (from 0) and the
//! response header `X-Pages`; the order fields `id`, `company_id`,
//! `status`, `notes`, `customer {id, first_name, last_name, email, image}`,
//! `customer_id`, `register_id`, `site_id`, `sale_number`, `total`,
//! `paid`, `price_variation`, `placed_at`, `fulfil_at`, `created_at`,
//! `updated_at`, lines with `number`, `product {id, name}`, `quantity`,
//! `notes`, `unit_price`, `unit_tax`, `price_variation`,
//! `line_total_ex_tax`, `line_total_tax`, payments with `method {id,
//! name}`, `amount`, `ref`, `created_at`; money as JSON decimal numbers
//! (`1.36`, `5.5`); times as ISO 8601 with the company's offset
//! (`2013-05-29T11:14:06+10:00`); the expired-token message "The access
//! token provided has expired" (TandaHQ's client retries on it).
//!
//! UNCONFIRMED, kept here so a real response that disagrees is fixed once:
//! - OAuth: token lifetime (1 hour, `super::ACCESS_TOKEN_LIFETIME`); the
//!   token response `{access_token, expires_in, token_type: "Bearer",
//!   scope: null, refresh_token}` and the error bodies `{error,
//!   error_description}` (what bshaffer/oauth2-server-php, whose expired
//!   message Kounta's matches, answers), with `400` for every token-endpoint
//!   error including `invalid_client`; the refresh token *rotating* (the
//!   used one is revoked; that library's default keeps it); codes living 10
//!   minutes; any absolute `redirect_uri` being accepted (custom schemes and
//!   loopback; real Kounta matches the add-on's configured URIs); the
//!   denial redirect (`error=access_denied`, `state`); which company a
//!   browser is signed in to (the sandbox takes a `company_id` parameter,
//!   else the first company).
//! - API errors: `401` with `{error: "invalid_token", error_description}`
//!   and a `WWW-Authenticate: Bearer` header; `403` for another company's
//!   id; `404`/`400` bodies in the same shape.
//! - Paging: [`PAGE_SIZE`] (25) orders a page, fixed by the server;
//!   `X-Pages` at least 1 (an empty list is one empty page); a page past
//!   the end answering `[]`; `X-Page` echoed on the response; lists sorted
//!   by `id` ascending (creation order), so orders created during a walk
//!   land on later pages and nothing shifts.
//! - The updated-since filter: Kounta documents only `created_*`; the
//!   sandbox also takes [`UPDATED_FILTER`] with the same suffixes, so the
//!   adapter has an incremental cursor. `updated_at` is the last change.
//! - Filter values: `YYYY-MM-DD` meaning midnight in the company's zone, or
//!   an ISO 8601 time with an offset (or without one, taken in the
//!   company's zone); `created=YYYY-MM-DD` meaning that whole day.
//! - Order shape details: `sale_number` as a string of digits; `total_tax`
//!   and `tips`; `customer: null` and `customer_id: null` for walk-ins;
//!   `email: null` when none was given; `unit_price` being ex tax *after*
//!   the line's price variation, `price_variation` the ratio to the shelf
//!   price (4 places, `1` without a discount); the line product's `code`
//!   (the product's SKU field) embedded; refunds as orders of their own with
//!   negative quantities and a negative payment, `notes` naming the refunded
//!   sale; a voided sale as `REJECTED`, a parked one as `ON_HOLD` (or
//!   `SUBMITTED`), an on-account one as `PENDING`, a lay-by as `ACCEPTED`;
//!   payment methods `1 Cash`, `2 EFTPOS` with a `ref`; the timezone a fixed
//!   `+10:00` (`Australia/Brisbane`, which keeps no daylight saving).
//! - Order updates (`PUT /v1/companies/{id}/orders/{id}.json` with
//!   `{"status": …}`, see `writes`): the method and path are what the
//!   TandaHQ client sends to save an existing order; that a partial body
//!   changes only what it names, which moves are allowed (a `COMPLETE` or
//!   `REJECTED` order is final; `COMPLETE` and `PENDING` are reached at the
//!   register, with payment or an account), the `400` bodies, and the
//!   answer being the order as `GET` shows it.
//! - Rate limit: not documented. The sandbox allows [`RATE_LIMIT`] requests
//!   per company per [`RATE_WINDOW_SECS`] seconds when limits are enforced,
//!   answering `429` with `Retry-After` (seconds) and `{error:
//!   "rate_limited", error_description}`; no rate headers otherwise.

use std::time::Instant;

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::json;

/// Orders a page holds (UNCONFIRMED, see above).
pub(crate) const PAGE_SIZE: usize = 25;
/// The prefix of the updated-since filter (`updated_gte`, …); UNCONFIRMED.
pub(crate) const UPDATED_FILTER: &str = "updated";
/// Requests a company may make per window when limits are enforced
/// (UNCONFIRMED).
pub(crate) const RATE_LIMIT: u32 = 60;
/// The rate-limit window in seconds (UNCONFIRMED).
pub(crate) const RATE_WINDOW_SECS: u64 = 60;
/// The company's UTC offset in seconds and its zone (UNCONFIRMED: one fixed
/// zone for every sandbox company).
pub(crate) const UTC_OFFSET: i64 = 10 * 3_600;
pub(crate) const TIMEZONE: &str = "Australia/Brisbane";
pub(crate) const OFFSET_TEXT: &str = "+10:00";

fn error(status: StatusCode, kind: &str, description: &str) -> Response {
    (
        status,
        Json(json!({"error": kind, "error_description": description})),
    )
        .into_response()
}

/// `401` for a missing, unknown, expired or revoked access token.
pub(crate) fn unauthorized(expired: bool) -> Response {
    let description = if expired {
        "The access token provided has expired"
    } else {
        "The access token provided is invalid"
    };
    let mut response = error(StatusCode::UNAUTHORIZED, "invalid_token", description);
    let challenge = format!(
        r#"Bearer realm="Service", error="invalid_token", error_description="{description}""#
    );
    if let Ok(v) = HeaderValue::from_str(&challenge) {
        response.headers_mut().insert(header::WWW_AUTHENTICATE, v);
    }
    response
}

/// A `500` or `503`, for fault injection, in the `{error,
/// error_description}` shape (UNCONFIRMED, like the other bodies).
pub(crate) fn server_error(status: StatusCode) -> Response {
    error(
        status,
        "server_error",
        "The server could not complete the request; try again later",
    )
}

/// `403`: the token opens another company.
pub(crate) fn forbidden() -> Response {
    error(
        StatusCode::FORBIDDEN,
        "insufficient_scope",
        "The access token does not give access to this company",
    )
}

pub(crate) fn not_found(description: &str) -> Response {
    error(StatusCode::NOT_FOUND, "not_found", description)
}

pub(crate) fn bad_request(description: &str) -> Response {
    error(StatusCode::BAD_REQUEST, "invalid_request", description)
}

/// A token-endpoint error (always `400`, see above).
pub(crate) fn token_error(kind: &str, description: &str) -> Response {
    (
        StatusCode::BAD_REQUEST,
        [(header::CACHE_CONTROL, "no-store")],
        Json(json!({"error": kind, "error_description": description})),
    )
        .into_response()
}

/// A `302 Found` to `location`.
pub(crate) fn redirect(location: &str) -> Response {
    (StatusCode::FOUND, [(header::LOCATION, location.to_owned())]).into_response()
}

/// A fixed window of [`RATE_LIMIT`] requests per company.
pub(crate) struct Window {
    started: Instant,
    used: u32,
}

impl Default for Window {
    fn default() -> Self {
        Window {
            started: Instant::now(),
            used: 0,
        }
    }
}

impl Window {
    /// Counts one request; `Some(seconds to wait)` when it is refused.
    pub(crate) fn admit(&mut self, enforce: bool) -> Option<u64> {
        if !enforce {
            return None;
        }
        let elapsed = self.started.elapsed().as_secs();
        if elapsed >= RATE_WINDOW_SECS {
            *self = Window::default();
        }
        if self.used >= RATE_LIMIT {
            return Some(RATE_WINDOW_SECS.saturating_sub(elapsed).max(1));
        }
        self.used += 1;
        None
    }
}

/// `429` with `Retry-After` in seconds.
pub(crate) fn too_many_requests(retry_after: u64) -> Response {
    let mut response = error(
        StatusCode::TOO_MANY_REQUESTS,
        "rate_limited",
        "Too many requests; wait before retrying",
    );
    response
        .headers_mut()
        .insert(header::RETRY_AFTER, HeaderValue::from(retry_after));
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_window_refuses_only_when_enforced() {
        let mut w = Window::default();
        for _ in 0..RATE_LIMIT * 2 {
            assert_eq!(w.admit(false), None);
        }
        for _ in 0..RATE_LIMIT {
            assert_eq!(w.admit(true), None);
        }
        let wait = w.admit(true).expect("the window is full");
        assert!((1..=RATE_WINDOW_SECS).contains(&wait));
    }
}
