//! R-Series' answers other than a plain `200` JSON body, and every fact
//! about R-Series the sandbox could not confirm, in one place.
//!
//! Confirmed (channel-apis §6, and a copy of the official endpoint docs for
//! `Sale` and `SaleLine`): the new authorization server's URLs and token
//! fields, rotating access *and* refresh tokens, `Account.json`,
//! `Sale.json` with `load_relations` (`SaleLines`, `SaleLines.Item`,
//! `Customer`, `Customer.Contact`, `SalePayments`, …), cursor paging with
//! `@attributes.next`/`previous` (empty strings at the ends), `limit` ≤
//! 100, the sale and sale-line field names with every value a string, the
//! sortable fields `saleID`, `timeStamp`, `completeTime`, `updatetime`,
//! `total = calcSubtotal − calcDiscount + calcTax1 + calcTax2`, `balance =
//! total − calcPayments`, refunds as negative `unitQuantity` with
//! `parentSaleLineID`, a voided sale being `completed: "false"`, a single
//! record as an object under `@attributes.count`, `customerID: "0"` without
//! a customer, empty contact containers as `""`, and the leaky bucket
//! (90 drips at 1/s, `X-LS-API-Bucket-Level: used/size`,
//! `X-LS-API-Drip-Rate`, 429 with `Retry-After` in seconds).
//!
//! UNCONFIRMED, kept here so a real response that disagrees is fixed once:
//! - The account's currency as `Account.json`'s `defaultCurrency` (a
//!   third-party summary says the account reports "default and purchasing
//!   currencies"; the field name is a guess, and sales carry no currency).
//! - Token lifetime (3600 s, what the old server used; configurable), token
//!   formats, error bodies of the token endpoint (the League OAuth server's
//!   `{error, error_description, hint, message}`, with 401 for
//!   `invalid_client`), `redirect_uri` being required on the authorize
//!   request (the registered one may be used when it is missing), `scope`
//!   being required, which account a browser is signed in to (the sandbox
//!   takes an `account_id` query parameter, else the first account), and the
//!   denial redirect (`error=access_denied`, `state`).
//! - API error bodies (`{httpCode, httpMessage, message, errorClass}`, all
//!   strings), 403 for another account's id or a missing scope, which
//!   scopes open `Sale` and `Customer`, and 400 for a `limit` over 100, an
//!   undocumented relation, a bad cursor or an unreadable filter.
//! - A *list* holding exactly one record giving an object instead of an
//!   array (widely reported for V3; the docs show it for single reads), and
//!   an empty list omitting the record key.
//! - `timeStamp` = the last change (the docs also say "or if complete the
//!   date/time at which it was completed"); `updatetime` the same;
//!   `completeTime` absent on open sales; the cursor (base64 of a JSON
//!   array of the sort key and the id, like `WzE1NF0=`) and `next` keeping
//!   the request's other parameters; filters `>`, `>=`, `<`, `<=`, `=`,
//!   `!=` and `><` (between, inclusive) as `op,value`; only ascending sorts.
//! - `Customer` not embedding `Contact` unless `Customer.Contact` is asked
//!   for; documented relations the sandbox doesn't model being ignored;
//!   no `SalePayments` key when nothing was paid; trimmed decimals
//!   (`"317.1"`, `"0"`) in whole cents; on-account sales as completed with a
//!   "Credit Account" payment.
//! - Sale updates (`PUT Account/{id}/Sale/{saleID}.json`, see `writes`):
//!   that `voided: "true"` voids an open sale, that a completed sale can't
//!   be voided (it is refunded instead) and a voided one can't be
//!   reopened (both `400`), which scopes may write (`employee:all`,
//!   `employee:register`), a write costing 10 drips, and the answer being
//!   the sale as a single read shows it.

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::json;

use super::bucket::{BucketStatus, DRIP_RATE, SIZE};

/// The page size when `limit` is not given, and its maximum.
pub(crate) const MAX_LIMIT: usize = 100;

fn error(status: StatusCode, message: &str, class: &str) -> Response {
    (
        status,
        Json(json!({
            "httpCode": status.as_u16().to_string(),
            "httpMessage": status.canonical_reason().unwrap_or("Error"),
            "message": message,
            "errorClass": class,
        })),
    )
        .into_response()
}

/// `401` for a missing, unknown, expired or revoked access token.
pub(crate) fn unauthorized(expired: bool) -> Response {
    let message = if expired {
        "Expired access token."
    } else {
        "Invalid access token."
    };
    error(StatusCode::UNAUTHORIZED, message, "Exception")
}

/// `403`: the token is not for this account or lacks the scope.
pub(crate) fn forbidden(message: &str) -> Response {
    error(StatusCode::FORBIDDEN, message, "Exception")
}

pub(crate) fn not_found(message: &str) -> Response {
    error(StatusCode::NOT_FOUND, message, "NotFoundException")
}

pub(crate) fn bad_request(message: &str) -> Response {
    error(StatusCode::BAD_REQUEST, message, "InvalidArgumentException")
}

/// A `500` or `503`, for fault injection, in the API's error shape
/// (UNCONFIRMED, like the other API error bodies).
pub(crate) fn server_error(status: StatusCode) -> Response {
    error(
        status,
        "The server could not complete the request. Please try again.",
        "Exception",
    )
}

/// `429` when the bucket would overflow.
pub(crate) fn too_many_requests() -> Response {
    error(
        StatusCode::TOO_MANY_REQUESTS,
        "Rate limit exceeded. Please wait before making more requests.",
        "RateLimitException",
    )
}

/// Adds the bucket headers, and `Retry-After` (seconds) on a 429.
pub(crate) fn with_bucket_headers(mut response: Response, status: BucketStatus) -> Response {
    let headers = response.headers_mut();
    let level = format!("{}/{}", status.level_text(), SIZE);
    for (name, value) in [
        ("x-ls-api-bucket-level", level),
        ("x-ls-api-drip-rate", DRIP_RATE.to_string()),
        ("x-ls-api-request-cost", status.cost.to_string()),
    ] {
        if let Ok(v) = HeaderValue::from_str(&value) {
            headers.insert(name, v);
        }
    }
    if status.limited {
        headers.insert(header::RETRY_AFTER, HeaderValue::from(status.retry_after));
    }
    response
}

/// A token-endpoint error in the League OAuth server's shape.
pub(crate) fn token_error(
    status: StatusCode,
    kind: &str,
    description: &str,
    hint: &str,
) -> Response {
    (
        status,
        [(header::CACHE_CONTROL, "no-store")],
        Json(json!({
            "error": kind,
            "error_description": description,
            "hint": hint,
            "message": description,
        })),
    )
        .into_response()
}

/// A `302 Found` to `location`.
pub(crate) fn redirect(location: &str) -> Response {
    (StatusCode::FOUND, [(header::LOCATION, location.to_owned())]).into_response()
}
