//! HTTP routes: the authorize page under `/oseries-auth/` (the stand-in for
//! `https://my.kounta.com/`), the token endpoint and API under
//! `/oseries/v1/` (for `https://api.kounta.com/v1/`), and the sandbox's own
//! summary route. Every API route goes through [`guarded`]: check the
//! bearer token and that it opens this company, and count the request
//! against the company's rate-limit window.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, HeaderValue};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde_json::{json, Value};

use super::query::{matches, page_number, page_of, Filters, Target};
use super::replies::{bad_request, forbidden, not_found, too_many_requests, unauthorized};
use super::{oauth, shape, Company};
use crate::lightspeed::grants::TokenCheck;
use crate::lightspeed::params::{bearer, AuthorizeParams};
use crate::locks::{lock, read};
use crate::state::Shared;

pub(crate) fn router() -> Router<Arc<Shared>> {
    Router::new()
        .route("/oseries-auth/authorize", get(authorize))
        .route("/oseries-auth/authorize/decision", post(decision))
        .route("/oseries/v1/token.json", post(token))
        .route("/oseries/v1/token", post(token))
        .route("/oseries/v1/companies/me.json", get(me))
        .route("/oseries/v1/companies/me", get(me))
        .route(
            "/oseries/v1/companies/{company}/{*rest}",
            get(orders).put(super::writes::update_order),
        )
        .route("/_sandbox/oseries/{company}/summary", get(summary))
}

/// Authenticates, checks the company (`None` for `companies/me`), counts
/// the request against the rate limit, and runs `serve` on the token's
/// company.
pub(super) fn guarded(
    shared: &Shared,
    company: Option<&str>,
    headers: &HeaderMap,
    serve: impl FnOnce(&Company) -> Response,
) -> Response {
    let subject = match lock(&shared.oseries_grants).check(bearer(headers)) {
        TokenCheck::Live(access) => access.subject.clone(),
        TokenCheck::Expired => return unauthorized(true),
        TokenCheck::Unknown => return unauthorized(false),
    };
    if company.is_some_and(|c| c.trim() != subject) {
        return forbidden();
    }
    let Some(c) = shared.oseries_company(&subject) else {
        return unauthorized(false);
    };
    if let Some(wait) = lock(&c.window).admit(shared.enforce_rate_limits) {
        return too_many_requests(wait);
    }
    serve(c)
}

async fn authorize(State(shared): State<Arc<Shared>>, RawQuery(query): RawQuery) -> Response {
    let params = AuthorizeParams::parse(query.unwrap_or_default().as_bytes(), oauth::STORE_FIELD);
    oauth::authorize(&shared, &params)
}

async fn decision(State(shared): State<Arc<Shared>>, body: Bytes) -> Response {
    oauth::decide(&shared, &AuthorizeParams::parse(&body, oauth::STORE_FIELD))
}

async fn token(State(shared): State<Arc<Shared>>, headers: HeaderMap, body: Bytes) -> Response {
    oauth::token(&shared, &headers, &body)
}

async fn me(State(shared): State<Arc<Shared>>, headers: HeaderMap) -> Response {
    guarded(&shared, None, &headers, |c| {
        Json(shape::company_json(c, &read(&c.till))).into_response()
    })
}

/// `companies/{id}/…orders…`: a page of orders, or one order.
async fn orders(
    State(shared): State<Arc<Shared>>,
    Path((company, rest)): Path<(String, String)>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
) -> Response {
    guarded(&shared, Some(&company), &headers, |c| {
        let target = match Target::parse(&rest) {
            Ok(t) => t,
            Err(message) => return not_found(&message),
        };
        let till = read(&c.till);
        let path_filters = match target {
            Target::One(id) => {
                return c
                    .order_index(id)
                    .and_then(|i| shape::order_json(c, &till, i))
                    .map_or_else(|| not_found("Order not found"), |v| Json(v).into_response())
            }
            Target::List(f) => f,
        };
        let filters = match Filters::parse(query.as_deref().unwrap_or("")) {
            Ok(f) => f,
            Err(message) => return bad_request(&message),
        };
        let requested = headers.get("x-page").and_then(|v| v.to_str().ok());
        let page = match page_number(requested) {
            Ok(p) => p,
            Err(message) => return bad_request(&message),
        };
        let rows: Vec<u32> = (0..till.sales().len())
            .filter_map(|i| u32::try_from(i).ok())
            .filter(|&i| matches(c, &till, i, &path_filters, &filters))
            .collect();
        let (slice, pages) = page_of(&rows, page);
        let body: Vec<Value> = slice
            .iter()
            .filter_map(|&i| shape::order_json(c, &till, i))
            .collect();
        let mut response = Json(body).into_response();
        let h = response.headers_mut();
        h.insert("x-pages", HeaderValue::from(pages));
        h.insert("x-page", HeaderValue::from(page));
        response
    })
}

async fn summary(State(shared): State<Arc<Shared>>, Path(company): Path<String>) -> Response {
    let Some(c) = shared.oseries_company(&company) else {
        return not_found("Company not found");
    };
    let issued = lock(&shared.oseries_grants)
        .issued(&c.company_id.to_string())
        .len();
    Json(json!({
        "orders": c.order_count(),
        "currency": c.currency.code(),
        "sites": c.sites.iter().map(|s| s.site_id).collect::<Vec<_>>(),
        "issuedTokens": issued,
    }))
    .into_response()
}
