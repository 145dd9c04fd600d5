//! WordPress's answers other than a plain `200`, and every fact about
//! WordPress/WooCommerce the sandbox could not confirm, in one place.
//!
//! REST errors have WordPress's shape
//! `{"code": "…", "message": "…", "data": {"status": 401}}`.
//!
//! Confirmed from source (WordPress/WordPress, woocommerce): the codes and
//! messages of `woocommerce_rest_cannot_view` ("Sorry, you cannot list
//! resources."), `woocommerce_rest_authentication_error` ("Consumer secret
//! is invalid."), `incorrect_password`, `rest_invalid_param` with its
//! `params`/`details` maps and the `rest_out_of_bounds` wording for
//! `per_page` (1–100), `woocommerce_rest_shop_order_invalid_id`,
//! `invalid_redirect_scheme` ("The URL must be served over a secure
//! connection."), and the authorize page's redirects.
//!
//! UNCONFIRMED, kept here so a real response that disagrees is fixed once:
//! - The `invalid_username` message (it changed across WordPress versions).
//! - The wording of `rest_invalid_type`, `rest_invalid_date`,
//!   `rest_not_in_enum` messages (patterned on WordPress's sprintf strings).
//! - A refused authorize request answering `500` (`wp_die`'s default), and
//!   the wording of its reasons other than the `http` one ("The URL
//!   contains an invalid protocol.", "The URL must be a valid URL.", "The
//!   application ID must be a UUID."); `app_id` having to be *lowercase*
//!   (`wp_is_uuid`'s pattern as we read it).
//! - Which WordPress the consent page plays: 6.3.2+ rules for redirect URLs
//!   plus the newest `127.0.0.1`/`[::1]` allowance for plain `http`
//!   (channel-apis §4.1 dates the loopback allowance to 2026/WP 7.0).
//! - `modified_after`/`before` with an explicit offset and
//!   `dates_are_gmt=false`: converted to UTC, then compared with the local
//!   column (what `WP_Date_Query` appears to do).
//! - Ties in a sort are broken by id here; MySQL does not promise an order.
//! - `system_status` is a small subset of the real report.

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use axum::Json;
use serde_json::{json, Map, Value};

use super::consent::wp_page;
use crate::shopify::consent::escape;

/// One parameter that failed validation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Invalid {
    pub param: String,
    pub code: &'static str,
    pub message: String,
}

pub(crate) fn wp_error(status: StatusCode, code: &str, message: &str) -> Response {
    (
        status,
        Json(json!({"code": code, "message": message, "data": {"status": status.as_u16()}})),
    )
        .into_response()
}

/// `401` from a collection's permission check for an anonymous caller.
pub(crate) fn cannot_list() -> Response {
    wp_error(
        StatusCode::UNAUTHORIZED,
        "woocommerce_rest_cannot_view",
        "Sorry, you cannot list resources.",
    )
}

/// `401` from a single item's permission check for an anonymous caller.
pub(crate) fn cannot_view() -> Response {
    wp_error(
        StatusCode::UNAUTHORIZED,
        "woocommerce_rest_cannot_view",
        "Sorry, you cannot view this resource.",
    )
}

/// `401`: a known consumer key with the wrong secret.
pub(crate) fn consumer_secret_invalid() -> Response {
    wp_error(
        StatusCode::UNAUTHORIZED,
        "woocommerce_rest_authentication_error",
        "Consumer secret is invalid.",
    )
}

/// `401`: Basic auth with a login the site doesn't have (UNCONFIRMED message).
pub(crate) fn invalid_username(user: &str) -> Response {
    wp_error(
        StatusCode::UNAUTHORIZED,
        "invalid_username",
        &format!(
            "<strong>Error:</strong> The username <strong>{}</strong> is not registered on this site. If you are unsure of your username, try your email address instead.",
            escape(user)
        ),
    )
}

/// `401`: the right login with a wrong or revoked Application Password.
pub(crate) fn incorrect_password() -> Response {
    wp_error(
        StatusCode::UNAUTHORIZED,
        "incorrect_password",
        "The provided password is an invalid application password.",
    )
}

/// `400 rest_invalid_param` listing every bad parameter.
pub(crate) fn invalid_params(invalid: &[Invalid]) -> Response {
    let mut params = Map::new();
    let mut details = Map::new();
    for i in invalid {
        params.insert(i.param.clone(), Value::String(i.message.clone()));
        details.insert(
            i.param.clone(),
            json!({"code": i.code, "message": i.message, "data": null}),
        );
    }
    let names: Vec<&str> = invalid.iter().map(|i| i.param.as_str()).collect();
    (
        StatusCode::BAD_REQUEST,
        Json(json!({
            "code": "rest_invalid_param",
            "message": format!("Invalid parameter(s): {}", names.join(", ")),
            "data": {"status": 400, "params": params, "details": details},
        })),
    )
        .into_response()
}

/// `404` for an order id the site doesn't have.
pub(crate) fn invalid_order_id() -> Response {
    wp_error(
        StatusCode::NOT_FOUND,
        "woocommerce_rest_shop_order_invalid_id",
        "Invalid ID.",
    )
}

/// `400` from `update_item` for an order id the site doesn't have (a `GET`
/// answers the same code with 404; the update path says 400).
pub(crate) fn invalid_order_id_on_update() -> Response {
    wp_error(
        StatusCode::BAD_REQUEST,
        "woocommerce_rest_shop_order_invalid_id",
        "Invalid ID.",
    )
}

/// `401` from the update permission check for an anonymous caller.
pub(crate) fn cannot_edit() -> Response {
    wp_error(
        StatusCode::UNAUTHORIZED,
        "woocommerce_rest_cannot_edit",
        "Sorry, you are not allowed to edit this resource.",
    )
}

/// `404` for any other path under `wp-json/`.
pub(crate) fn no_route() -> Response {
    wp_error(
        StatusCode::NOT_FOUND,
        "rest_no_route",
        "No route was found matching the URL and request method.",
    )
}

/// A `500` or `503`, for fault injection. A 500 is the REST answer of
/// WordPress's fatal-error handler (`internal_server_error`, "There has
/// been a critical error on this website."); a 503 is the HTML page of
/// maintenance mode, which runs before the REST API loads. UNCONFIRMED:
/// the handler's full message carries a link to the support forums.
pub(crate) fn server_error(status: StatusCode) -> Response {
    if status == StatusCode::SERVICE_UNAVAILABLE {
        return wp_die(
            status,
            "Maintenance",
            "Briefly unavailable for scheduled maintenance. Check back in a minute.",
        );
    }
    wp_error(
        status,
        "internal_server_error",
        "There has been a critical error on this website.",
    )
}

/// `429` with `Retry-After` (seconds), for fault injection. wc/v3 has no
/// rate limit of its own; hosts and WAFs answer in their own ways. This
/// borrows the shape of WooCommerce's Store API limiter
/// (`rate_limit_exceeded`), UNCONFIRMED for wc/v3.
pub(crate) fn too_many_requests(retry_after: u64) -> Response {
    let mut response = wp_error(
        StatusCode::TOO_MANY_REQUESTS,
        "rate_limit_exceeded",
        &format!("Too many requests. Please wait {retry_after} seconds before trying again."),
    );
    response
        .headers_mut()
        .insert(header::RETRY_AFTER, HeaderValue::from(retry_after));
    response
}

/// The HTML page `wp_die()` shows.
pub(crate) fn wp_die(status: StatusCode, title: &str, message: &str) -> Response {
    let body = format!(
        r#"<div class="wp-die-message" id="error-page"><h1>{}</h1><p>{}</p></div>"#,
        escape(title),
        escape(message)
    );
    (status, Html(wp_page(title, &body))).into_response()
}

/// The authorize request was refused (bad redirect URL or app id).
pub(crate) fn cannot_authorize(messages: &[String]) -> Response {
    let mut text = "The Authorize Application request is not allowed.".to_owned();
    for m in messages {
        text.push(' ');
        text.push_str(m);
    }
    wp_die(
        StatusCode::INTERNAL_SERVER_ERROR,
        "Cannot Authorize Application",
        &text,
    )
}

/// `check_admin_referer()` failing: a missing or stale `_wpnonce`.
pub(crate) fn expired_link() -> Response {
    wp_die(
        StatusCode::FORBIDDEN,
        "Something went wrong.",
        "The link you followed has expired.",
    )
}

/// `302 Found` to `location` (`wp_redirect`, which allows any scheme here).
pub(crate) fn redirect(location: &str) -> Response {
    let mut response = StatusCode::FOUND.into_response();
    if let Ok(v) = HeaderValue::from_str(location) {
        response.headers_mut().insert(header::LOCATION, v);
    }
    response
}
