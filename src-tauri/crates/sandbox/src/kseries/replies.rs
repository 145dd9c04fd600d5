//! K-Series' answers other than a plain `200` JSON body, the rate limit,
//! and every fact about K-Series the sandbox could not confirm, in one
//! place.
//!
//! Confirmed (channel-apis §7; the API portal's authorization pages; the
//! financial API specs harvested by api-evangelist/lightspeed): the
//! authorize and token URLs, `response_type=code`, space-delimited scopes,
//! HTTPS-only redirect URLs, HTTP Basic client authentication at the token
//! endpoint, 60-minute access tokens, refresh tokens single use and good for
//! 14 days; `GET /f/data/businesses` as `{_embedded: {businessList: [{
//! businessName, businessId, currencyCode, businessLocations: [{blName,
//! blID, country, timezone}]}]}, _links: {self: {href}}}`; the v2 sales
//! endpoint's parameters (`from` required, `to` optional and clamped to now,
//! `include`, `pageSize` default 50 maximum 100, `nextPageToken`), the
//! 365-day range limit, closed sales sorted by `timeClosed`, the sale, line,
//! payment and consumer field names, and the 400 body `{"error": "…"}` with
//! its documented messages (missing `from`, bad date, `from` after `to`,
//! `from` before the location was operational). The 500 body
//! `{timestamp, path, status, error, requestId}`.
//!
//! UNCONFIRMED, kept here so a real response that disagrees is fixed once:
//! - The token response's exact fields and casing (`token_type: "bearer"`,
//!   `scope` space-delimited), token formats, the token endpoint's error
//!   bodies (RFC 6749 `{error, error_description}`, 401 for
//!   `invalid_client`), `redirect_uri` having to repeat the authorize
//!   request's, parameters accepted in the query string *or* a form body,
//!   which business a browser is signed in to (the sandbox takes a
//!   `business_id` parameter, else the first), the denial redirect
//!   (`error=access_denied`).
//! - The API's 401 body (Spring Security OAuth's `{error: "invalid_token",
//!   error_description}` with `WWW-Authenticate: Bearer`), 403 for a
//!   location the token does not open or a missing `financial-api` scope
//!   (in the documented 500 shape), the 400 messages for `pageSize`, an
//!   unknown `include`, a bad `nextPageToken` and a range over 365 days.
//! - `from` inclusive and `to` exclusive; the page token's form; an absent
//!   `nextPageToken` key on the last page; time formats with milliseconds
//!   and `Z`; amounts with two decimals, quantities with three.
//! - How refunds, cancellations and later edits look (see `shape`).
//! - The rate limit: none is documented; the sandbox allows
//!   [`RATE_LIMIT`] requests per business per [`RATE_WINDOW`] and answers
//!   429 with `Retry-After` (seconds) past it.

use std::time::{Duration, Instant};

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::json;

use crate::data::clock;
use crate::data::mix64;

/// Requests a business may make per window (UNCONFIRMED: undocumented).
pub(crate) const RATE_LIMIT: u32 = 300;
/// The rate window (UNCONFIRMED).
pub(crate) const RATE_WINDOW: Duration = Duration::from_secs(60);

/// `{"error": message}`: the documented 400 body.
pub(crate) fn bad_request(message: &str) -> Response {
    (StatusCode::BAD_REQUEST, Json(json!({ "error": message }))).into_response()
}

/// The documented error body `{timestamp, path, status, error, requestId}`.
pub(crate) fn problem(status: StatusCode, path: &str) -> Response {
    let now = clock::now();
    (
        status,
        Json(json!({
            "timestamp": format!("{}.000Z", clock::format_utc(now).trim_end_matches('Z')),
            "path": path,
            "status": status.as_u16(),
            "error": status.canonical_reason().unwrap_or("Error"),
            "requestId": format!("{:016x}", mix64(now.unsigned_abs() ^ u64::from(status.as_u16()))),
        })),
    )
        .into_response()
}

/// `401` for a missing, unknown, expired or revoked access token.
pub(crate) fn unauthorized(expired: bool) -> Response {
    let description = if expired {
        "Access token expired"
    } else {
        "Invalid access token"
    };
    let challenge = format!(r#"Bearer error="invalid_token", error_description="{description}""#);
    let mut response = (
        StatusCode::UNAUTHORIZED,
        Json(json!({"error": "invalid_token", "error_description": description})),
    )
        .into_response();
    if let Ok(v) = HeaderValue::from_str(&challenge) {
        response.headers_mut().insert(header::WWW_AUTHENTICATE, v);
    }
    response
}

/// `429` with `Retry-After` in seconds.
pub(crate) fn too_many_requests(path: &str, retry_after: u64) -> Response {
    let mut response = problem(StatusCode::TOO_MANY_REQUESTS, path);
    response
        .headers_mut()
        .insert(header::RETRY_AFTER, HeaderValue::from(retry_after));
    response
}

/// A token-endpoint error (RFC 6749 §5.2).
pub(crate) fn token_error(status: StatusCode, kind: &str, description: &str) -> Response {
    let mut response = (
        status,
        [(header::CACHE_CONTROL, "no-store")],
        Json(json!({"error": kind, "error_description": description})),
    )
        .into_response();
    if status == StatusCode::UNAUTHORIZED {
        response.headers_mut().insert(
            header::WWW_AUTHENTICATE,
            HeaderValue::from_static(r#"Basic realm="oauth""#),
        );
    }
    response
}

/// A `302 Found` to `location`.
pub(crate) fn redirect(location: &str) -> Response {
    (StatusCode::FOUND, [(header::LOCATION, location.to_owned())]).into_response()
}

/// A fixed window of [`RATE_LIMIT`] requests.
pub(crate) struct RateWindow {
    started: Instant,
    used: u32,
}

impl Default for RateWindow {
    fn default() -> Self {
        RateWindow {
            started: Instant::now(),
            used: 0,
        }
    }
}

impl RateWindow {
    /// Counts one request; `Err(seconds to wait)` when the window is spent
    /// and `enforce` is set. Nothing is counted when it is not.
    pub(crate) fn admit(&mut self, enforce: bool) -> Result<(), u64> {
        if !enforce {
            return Ok(());
        }
        let elapsed = self.started.elapsed();
        if elapsed >= RATE_WINDOW {
            *self = RateWindow::default();
        }
        if self.used >= RATE_LIMIT {
            let left = RATE_WINDOW.saturating_sub(self.started.elapsed());
            return Err(left.as_secs().max(1));
        }
        self.used += 1;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_window_refuses_only_when_enforced() {
        let mut w = RateWindow::default();
        for _ in 0..RATE_LIMIT * 2 {
            assert!(w.admit(false).is_ok());
        }
        for _ in 0..RATE_LIMIT {
            assert!(w.admit(true).is_ok());
        }
        assert!(w.admit(true).is_err_and(|wait| wait >= 1));
    }
}
