//! HTTP routes: the authorization host under `/xseries-auth/` (the stand-in
//! for `https://secure.retail.lightspeed.app/`), each retailer under
//! `/xseries/{domain_prefix}/` (for `https://{domain_prefix}.retail.
//! lightspeed.app/`), and the sandbox's own summary route. Every API route
//! goes through [`guarded`]: find the retailer, check the bearer token (and
//! its scope), count the request against the rate limit, and stamp the
//! rate-limit headers on whatever the handler answers.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, put};
use axum::{Json, Router};
use serde_json::{json, Value};

use super::paging::{envelope, VersionQuery};
use super::replies::{
    bad_parameter, missing_scope, not_found, too_many_requests, unauthorized, with_rate_headers,
};
use super::{oauth, shape, Retailer};
use crate::lightspeed::grants::TokenCheck;
use crate::lightspeed::params::{bearer, AuthorizeParams};
use crate::locks::{lock, read};
use crate::state::Shared;

pub(crate) fn router() -> Router<Arc<Shared>> {
    let api = "/xseries/{prefix}/api/2.0";
    Router::new()
        .route("/xseries-auth/connect", get(connect))
        .route("/xseries-auth/connect/decision", post(decision))
        .route("/xseries/{prefix}/api/1.0/token", post(token))
        .route(&format!("{api}/sales"), get(sales))
        .route(&format!("{api}/sales/{{id}}"), get(sale))
        .route(
            &format!("/xseries/{{prefix}}/{}/sales/{{id}}", super::writes::API),
            put(super::writes::update_sale),
        )
        .route(&format!("{api}/customers"), get(customers))
        .route(&format!("{api}/customers/{{id}}"), get(customer))
        .route(&format!("{api}/products"), get(products))
        .route(&format!("{api}/products/{{id}}"), get(product))
        .route(&format!("{api}/outlets"), get(outlets))
        .route("/_sandbox/xseries/{prefix}/summary", get(summary))
}

/// Whether a grant's scopes allow `scope` (`sales:read`); a grant made
/// without scopes allows everything, and `write` includes `read`.
fn allows(scopes: &[String], scope: &str) -> bool {
    if scopes.is_empty() || scopes.iter().any(|s| s == scope) {
        return true;
    }
    let resource = scope.split(':').next().unwrap_or(scope);
    scopes.iter().any(|s| *s == format!("{resource}:write"))
}

/// Finds the retailer, authenticates, admits the request through the rate
/// limit, runs `serve`, and adds the rate-limit headers.
pub(super) fn guarded(
    shared: &Shared,
    prefix: &str,
    headers: &HeaderMap,
    scope: Option<&str>,
    serve: impl FnOnce(&Retailer) -> Response,
) -> Response {
    let Some(retailer) = shared.xseries_retailer(prefix) else {
        return not_found();
    };
    match lock(&shared.xseries_grants).check(bearer(headers)) {
        TokenCheck::Live(access)
            if access.subject.eq_ignore_ascii_case(&retailer.domain_prefix) =>
        {
            if let Some(scope) = scope.filter(|s| !allows(&access.scopes, s)) {
                return missing_scope(scope);
            }
        }
        TokenCheck::Expired => return unauthorized(true),
        _ => return unauthorized(false),
    }
    let status = lock(&retailer.rate).admit(shared.enforce_rate_limits);
    let response = if status.limited {
        too_many_requests()
    } else {
        serve(retailer)
    };
    with_rate_headers(response, status)
}

async fn connect(State(shared): State<Arc<Shared>>, RawQuery(query): RawQuery) -> Response {
    let params = AuthorizeParams::parse(query.unwrap_or_default().as_bytes(), oauth::STORE_FIELD);
    oauth::authorize(&shared, &params)
}

async fn decision(State(shared): State<Arc<Shared>>, body: Bytes) -> Response {
    oauth::decide(&shared, &AuthorizeParams::parse(&body, oauth::STORE_FIELD))
}

async fn token(
    State(shared): State<Arc<Shared>>,
    Path(prefix): Path<String>,
    RawQuery(query): RawQuery,
    body: Bytes,
) -> Response {
    let Some(retailer) = shared.xseries_retailer(&prefix) else {
        return not_found();
    };
    oauth::token(&shared, retailer, query.as_deref(), &body)
}

/// Serves one page of a collection whose records, ascending by version,
/// are `items`.
fn collection<T: Copy>(
    query: Option<&str>,
    items: &[T],
    version: impl Fn(T) -> u64,
    render: impl Fn(T) -> Option<Value>,
) -> Response {
    let q = match VersionQuery::parse(query.unwrap_or("")) {
        Ok(q) => q,
        Err(name) => return bad_parameter(name),
    };
    let page = q.page(items, |t| version(*t));
    let versions: Vec<u64> = page.iter().map(|t| version(*t)).collect();
    let data: Vec<Value> = page.iter().filter_map(|t| render(*t)).collect();
    Json(envelope(data, &versions)).into_response()
}

fn single(found: Option<Value>) -> Response {
    match found {
        Some(v) => Json(json!({"data": v})).into_response(),
        None => not_found(),
    }
}

async fn sales(
    State(shared): State<Arc<Shared>>,
    Path(prefix): Path<String>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
) -> Response {
    guarded(&shared, &prefix, &headers, Some("sales:read"), |r| {
        let till = read(&r.till);
        let version = |i: u32| till.sales().get(i as usize).map_or(0, |s| r.version(s.seq));
        collection(query.as_deref(), till.sales_by_seq(), version, |i| {
            shape::sale_json(r, &till, i)
        })
    })
}

async fn sale(
    State(shared): State<Arc<Shared>>,
    Path((prefix, id)): Path<(String, String)>,
    headers: HeaderMap,
) -> Response {
    guarded(&shared, &prefix, &headers, Some("sales:read"), |r| {
        let till = read(&r.till);
        let found = (0..till.sales().len())
            .map(|i| u32::try_from(i).unwrap_or(u32::MAX))
            .find(|&i| shape::sale_id(r, i) == id.trim())
            .and_then(|i| shape::sale_json(r, &till, i));
        single(found)
    })
}

async fn customers(
    State(shared): State<Arc<Shared>>,
    Path(prefix): Path<String>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
) -> Response {
    guarded(&shared, &prefix, &headers, Some("customers:read"), |r| {
        let till = read(&r.till);
        let items: Vec<Option<u32>> = std::iter::once(None)
            .chain(till.customers_by_seq().iter().map(|&c| Some(c)))
            .collect();
        let version = |c: Option<u32>| match c {
            None => r.version(0),
            Some(c) => till
                .customers()
                .get(c as usize)
                .map_or(0, |c| r.version(c.seq)),
        };
        collection(query.as_deref(), &items, version, |c| {
            shape::customer_json(r, &till, c)
        })
    })
}

async fn customer(
    State(shared): State<Arc<Shared>>,
    Path((prefix, id)): Path<(String, String)>,
    headers: HeaderMap,
) -> Response {
    guarded(&shared, &prefix, &headers, Some("customers:read"), |r| {
        let till = read(&r.till);
        let id = id.trim();
        let found = std::iter::once(None)
            .chain((0..till.customers().len()).map(|c| Some(u32::try_from(c).unwrap_or(u32::MAX))))
            .find(|&c| shape::customer_id(r, c) == id)
            .and_then(|c| shape::customer_json(r, &till, c));
        single(found)
    })
}

async fn products(
    State(shared): State<Arc<Shared>>,
    Path(prefix): Path<String>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
) -> Response {
    guarded(&shared, &prefix, &headers, Some("products:read"), |r| {
        let till = read(&r.till);
        let items: Vec<usize> = (0..shape::catalog().len()).collect();
        collection(
            query.as_deref(),
            &items,
            |n| r.product_version(n),
            |n| shape::product_json(r, &till, n),
        )
    })
}

async fn product(
    State(shared): State<Arc<Shared>>,
    Path((prefix, id)): Path<(String, String)>,
    headers: HeaderMap,
) -> Response {
    guarded(&shared, &prefix, &headers, Some("products:read"), |r| {
        let till = read(&r.till);
        let found = shape::catalog()
            .iter()
            .position(|&(p, v)| shape::product_id(r, p, v) == id.trim())
            .and_then(|n| shape::product_json(r, &till, n));
        single(found)
    })
}

async fn outlets(
    State(shared): State<Arc<Shared>>,
    Path(prefix): Path<String>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
) -> Response {
    guarded(&shared, &prefix, &headers, None, |r| {
        let till = read(&r.till);
        collection(
            query.as_deref(),
            &[()],
            |()| r.outlet_version(),
            |()| Some(shape::outlet_json(r, &till)),
        )
    })
}

async fn summary(State(shared): State<Arc<Shared>>, Path(prefix): Path<String>) -> Response {
    let Some(r) = shared.xseries_retailer(&prefix) else {
        return not_found();
    };
    let issued = lock(&shared.xseries_grants).issued(&r.domain_prefix).len();
    Json(json!({
        "sales": r.sale_count(),
        "currency": r.currency.code(),
        "issuedTokens": issued,
    }))
    .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn write_scopes_include_read() {
        assert!(allows(&[], "sales:read"));
        assert!(allows(&["sales:write".into()], "sales:read"));
        assert!(!allows(&["customers:read".into()], "sales:read"));
    }
}
