//! Reading OAuth 2.0's standard parameters (RFC 6749 §4.1) and building the
//! redirect back to the app.
//!
//! The authorize request and the consent form's post carry the same
//! fields: `response_type`, `client_id`, `redirect_uri`, `state`, `scope`,
//! plus the merchant's `decision` on the post and the store the browser is
//! signed in to (a sandbox stand-in for the platform's login; each
//! platform names that field).

use std::collections::HashMap;

use axum::http::{header, HeaderMap};
use url::Url;

/// The fields of an authorize request or a consent-form post.
#[derive(Debug, Default)]
pub(crate) struct AuthorizeParams {
    pub response_type: Option<String>,
    pub client_id: Option<String>,
    pub redirect_uri: Option<String>,
    pub state: Option<String>,
    pub scope: String,
    /// The store the merchant is signed in to.
    pub store: Option<String>,
    pub decision: Option<String>,
}

fn non_empty(v: String) -> Option<String> {
    Some(v).filter(|v| !v.is_empty())
}

impl AuthorizeParams {
    /// From `application/x-www-form-urlencoded` pairs (a query string or a
    /// form body); `store_field` names the signed-in store's field.
    pub(crate) fn parse(encoded: &[u8], store_field: &str) -> AuthorizeParams {
        let mut p = AuthorizeParams::default();
        for (k, v) in form_urlencoded::parse(encoded) {
            let v = v.into_owned();
            match k.as_ref() {
                "response_type" => p.response_type = non_empty(v),
                "client_id" => p.client_id = non_empty(v),
                "redirect_uri" => p.redirect_uri = non_empty(v),
                "state" => p.state = non_empty(v),
                "scope" => p.scope = v,
                "decision" => p.decision = non_empty(v),
                k if k == store_field => p.store = non_empty(v.trim().to_owned()),
                _ => {}
            }
        }
        p
    }
}

/// Space-delimited scopes (RFC 6749 §3.3), de-duplicated in order; `Err`
/// names the first one `valid` refuses (a comma-separated list is refused
/// whole, since commas are not a scope delimiter here).
pub(crate) fn parse_scopes(raw: &str, valid: impl Fn(&str) -> bool) -> Result<Vec<String>, String> {
    let mut scopes: Vec<String> = Vec::new();
    for s in raw.split_ascii_whitespace() {
        if !valid(s) {
            return Err(s.to_owned());
        }
        if !scopes.iter().any(|x| x == s) {
            scopes.push(s.to_owned());
        }
    }
    Ok(scopes)
}

/// An absolute redirect URI (any scheme: loopback `http`, `https`, or an
/// app's custom scheme); a fragment is dropped (RFC 6749 §3.1.2).
pub(crate) fn redirect_target(uri: &str) -> Result<Url, &'static str> {
    let mut url = Url::parse(uri).map_err(|_| "The redirect_uri is not a valid absolute URI")?;
    url.set_fragment(None);
    Ok(url)
}

/// Appends `params` to `url`, after any query it already has.
pub(crate) fn with_query(mut url: Url, params: &[(&str, &str)]) -> String {
    {
        let mut query = url.query_pairs_mut();
        for (k, v) in params {
            query.append_pair(k, v);
        }
    }
    url.to_string()
}

/// A token request's body fields: form-encoded, or a JSON object when
/// `accept_json` and the body says it is JSON. `None` for a JSON body that
/// is not an object of scalars.
pub(crate) fn body_fields(
    headers: &HeaderMap,
    body: &[u8],
    accept_json: bool,
) -> Option<HashMap<String, String>> {
    let is_json = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.to_ascii_lowercase().contains("json"));
    if accept_json && is_json {
        let serde_json::Value::Object(map) = serde_json::from_slice(body).ok()? else {
            return None;
        };
        return map
            .into_iter()
            .map(|(k, v)| match v {
                serde_json::Value::String(s) => Some((k, s)),
                serde_json::Value::Number(n) => Some((k, n.to_string())),
                _ => None,
            })
            .collect();
    }
    Some(
        form_urlencoded::parse(body)
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
            .collect(),
    )
}

/// The token of `Authorization: Bearer …` (the scheme is case-insensitive);
/// empty when there is none.
pub(crate) fn bearer(headers: &HeaderMap) -> &str {
    headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| {
            let (scheme, token) = v.trim().split_once(' ')?;
            scheme.eq_ignore_ascii_case("bearer").then(|| token.trim())
        })
        .unwrap_or("")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scopes_are_space_delimited() {
        let ok = |s: &str| s.contains(':');
        assert_eq!(
            parse_scopes("sales:read  customers:read sales:read", ok),
            Ok(vec!["sales:read".into(), "customers:read".into()])
        );
        assert_eq!(
            parse_scopes("sales:read,customers:read", |s| !s.contains(',')),
            Err("sales:read,customers:read".into())
        );
    }

    #[test]
    fn bearer_tokens_and_redirects() {
        let mut headers = HeaderMap::new();
        headers.insert(header::AUTHORIZATION, "bearer abc ".parse().expect("valid"));
        assert_eq!(bearer(&headers), "abc");
        headers.insert(header::AUTHORIZATION, "Basic abc".parse().expect("valid"));
        assert_eq!(bearer(&headers), "");
        let url = redirect_target("app.counterline://cb?x=1#frag").expect("absolute");
        assert_eq!(
            with_query(url, &[("code", "a b")]),
            "app.counterline://cb?x=1&code=a+b"
        );
        assert!(redirect_target("/relative").is_err());
    }

    #[test]
    fn the_store_field_is_named_by_the_platform() {
        let p = AuthorizeParams::parse(
            b"client_id=c&domain_prefix=%20shop%20&state=",
            "domain_prefix",
        );
        assert_eq!(p.store.as_deref(), Some("shop"));
        assert_eq!(p.client_id.as_deref(), Some("c"));
        assert!(p.state.is_none());
    }
}
