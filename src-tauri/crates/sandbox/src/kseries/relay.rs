//! The HTTPS relay page, played at `/relay/kseries`.
//!
//! K-Series only redirects to HTTPS URLs, and a desktop app has none, so
//! Counterline registers a small hosted page as its redirect URL; the page
//! forwards the browser, with the same query (`code`, `state`, or `error`
//! …), to the app's deep link `{scheme}://oauth/callback?…`. The sandbox serves
//! no TLS, so it plays that page itself, over plain HTTP, and its authorize
//! endpoint accepts this one non-HTTPS redirect URL (see `oauth`).
//!
//! The page is static HTML (`relay.html`): a meta refresh, a visible "Open
//! Counterline" link and a sentence saying what is happening; no script.
//! The query is re-encoded pair by pair (so nothing but query pairs reaches
//! the deep link) and HTML-escaped into the page.

use axum::http::header;
use axum::response::{Html, IntoResponse, Response};

use crate::shopify::consent::escape;

const TEMPLATE: &str = include_str!("relay.html");

/// The deep link the relay forwards `query` to.
pub(crate) fn target(scheme: &str, query: &str) -> String {
    let pairs = form_urlencoded::parse(query.as_bytes());
    let encoded = form_urlencoded::Serializer::new(String::new())
        .extend_pairs(pairs)
        .finish();
    format!("{scheme}://oauth/callback?{encoded}")
}

/// The relay page for a request with `query`.
pub(crate) fn page(scheme: &str, query: &str) -> Response {
    let has = |name: &str| form_urlencoded::parse(query.as_bytes()).any(|(k, _)| k == name);
    let message = if has("error") {
        "Lightspeed did not connect your restaurant. Taking you back to Counterline to see why…"
    } else if has("code") {
        "Lightspeed has connected your restaurant. Taking you back to Counterline to finish…"
    } else {
        "Taking you back to Counterline…"
    };
    let html = TEMPLATE
        .replace("{{TARGET}}", &escape(&target(scheme, query)))
        .replace("{{MESSAGE}}", &escape(message));
    (
        [
            (header::CACHE_CONTROL, "no-store"),
            (header::REFERRER_POLICY, "no-referrer"),
        ],
        Html(html),
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_query_is_re_encoded_and_escaped() {
        assert_eq!(
            target("app.counterline", "code=a%20b&state=x%22y"),
            "app.counterline://oauth/callback?code=a+b&state=x%22y"
        );
        let html = TEMPLATE.replace(
            "{{TARGET}}",
            &escape(&target("app.counterline", "state=<b>&x=1")),
        );
        assert!(html.contains("state=%3Cb%3E&amp;x=1"));
        assert!(!html.contains("<b>"));
    }
}
