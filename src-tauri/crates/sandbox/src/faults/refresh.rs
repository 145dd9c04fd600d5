//! 5xx on token refreshes: the one fault token endpoints get.
//!
//! Authorization servers have outages too, and a sync that meets an expired
//! token must survive its refresh failing. Only a 5xx answered *instead of*
//! the refresh is injected: the refresh token is not used, so retrying it
//! works. A timeout or truncated answer after the server rotated the token
//! would strand the client with a spent refresh token, which no retry can
//! mend (that is a reconnect test, not a sync one). Authorization-code
//! exchanges are never faulted, so connecting always works.

use axum::body::Body;
use axum::extract::Request;
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::{json, Value};

use super::inject::bad_gateway;
use super::Decision;

/// Axum's default body limit: a body over it would be refused by the
/// handler's extractor anyway, so reading no more changes nothing.
const MAX_BODY: usize = 2 * 1024 * 1024;

/// The token endpoints of the platforms whose tokens refresh (Lightspeed
/// X-, R-, O- and K-Series).
pub(crate) fn is_token_endpoint(method: &Method, path: &str) -> bool {
    let s: Vec<&str> = path.trim_start_matches('/').split('/').collect();
    *method == Method::POST
        && matches!(
            s.as_slice(),
            ["xseries", _, "api", "1.0", "token"]
                | ["rseries-auth", "auth", "oauth", "token"]
                | ["oseries", "v1", "token" | "token.json"]
                | ["kseries-auth", "oauth", "token"]
        )
}

/// Reads the body (and puts it back) to tell whether `request` is a
/// refresh (`grant_type=refresh_token`, in the form body, the query or a
/// JSON body). A body that could not be read is passed on empty, which the
/// handler refuses as it would have refused the original.
pub(crate) async fn refreshing(request: Request) -> (Request, bool) {
    let (parts, body) = request.into_parts();
    let bytes = axum::body::to_bytes(body, MAX_BODY)
        .await
        .unwrap_or_default();
    let form = |b: &[u8]| {
        form_urlencoded::parse(b).any(|(k, v)| k == "grant_type" && v == "refresh_token")
    };
    let refresh = form(parts.uri.query().unwrap_or("").as_bytes())
        || form(&bytes)
        || serde_json::from_slice::<Value>(&bytes)
            .is_ok_and(|v| v["grant_type"] == "refresh_token");
    (Request::from_parts(parts, Body::from(bytes)), refresh)
}

/// A 500, 502 or 503 from the authorization server: RFC 6749's
/// `server_error` and `temporarily_unavailable` codes (UNCONFIRMED as
/// these servers' 5xx bodies), `Retry-After` on a 503, a gateway's HTML
/// page on a 502.
pub(crate) fn server_error(decision: &Decision) -> Response {
    let (status, code) = match decision.detail % 3 {
        0 => (StatusCode::INTERNAL_SERVER_ERROR, "server_error"),
        1 => return bad_gateway(),
        _ => (StatusCode::SERVICE_UNAVAILABLE, "temporarily_unavailable"),
    };
    let mut response = (
        status,
        [(header::CACHE_CONTROL, "no-store")],
        Json(json!({
            "error": code,
            "error_description": "The authorization server could not handle the request; try again",
        })),
    )
        .into_response();
    if status == StatusCode::SERVICE_UNAVAILABLE {
        response.headers_mut().insert(
            header::RETRY_AFTER,
            HeaderValue::from(decision.profile.retry_after_secs()),
        );
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_refreshing_platforms_token_endpoints_are_seen() {
        for path in [
            "/xseries/shop/api/1.0/token",
            "/rseries-auth/auth/oauth/token",
            "/oseries/v1/token.json",
            "/kseries-auth/oauth/token",
        ] {
            assert!(is_token_endpoint(&Method::POST, path), "{path}");
        }
        assert!(!is_token_endpoint(
            &Method::GET,
            "/rseries-auth/auth/oauth/token"
        ));
        assert!(!is_token_endpoint(
            &Method::POST,
            "/shopify/s.myshopify.com/admin/oauth/access_token"
        ));
    }
}
