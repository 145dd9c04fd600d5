//! HTTP routes: the authorization server under `/kseries-auth/`, the API
//! under `/kseries/` (both standing in for `https://api.lsk.lightspeed.app/`),
//! the relay page `/relay/kseries`, and the sandbox's own summary route.
//! Every API route goes through [`guarded`]: check the bearer token and its
//! `financial-api` scope, count the request against the business's rate
//! window, and run the handler on the token's business.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde_json::{json, Value};

use super::query::SalesQuery;
use super::replies::{bad_request, problem, too_many_requests, unauthorized};
use super::{oauth, relay, Business, Location};
use crate::data::clock;
use crate::lightspeed::grants::TokenCheck;
use crate::lightspeed::params::{bearer, AuthorizeParams};
use crate::locks::{lock, read};
use crate::state::Shared;

/// The scope the financial API needs (documented).
const FINANCIAL_SCOPE: &str = "financial-api";

pub(crate) fn router() -> Router<Arc<Shared>> {
    Router::new()
        .route(
            "/kseries-auth/oauth/authorize",
            get(authorize).post(decision),
        )
        .route("/kseries-auth/oauth/token", axum::routing::post(token))
        .route(oauth::RELAY_PATH, get(relay_page))
        .route("/kseries/f/data/businesses", get(businesses))
        .route(
            "/kseries/f/v2/business-location/{location}/sales",
            get(sales),
        )
        .route("/_sandbox/kseries/{location}/summary", get(summary))
}

/// Authenticates, checks the scope and the rate window, and runs `serve`
/// on the token's business. `path` is the API path for error bodies.
fn guarded(
    shared: &Shared,
    path: &str,
    headers: &HeaderMap,
    serve: impl FnOnce(&Business) -> Response,
) -> Response {
    let subject = match lock(&shared.kseries_grants).grants.check(bearer(headers)) {
        TokenCheck::Live(access) => {
            if !access.scopes.iter().any(|s| s == FINANCIAL_SCOPE) {
                return problem(StatusCode::FORBIDDEN, path);
            }
            access.subject.clone()
        }
        TokenCheck::Expired => return unauthorized(true),
        TokenCheck::Unknown => return unauthorized(false),
    };
    let Some(business) = shared.kseries_business(&subject) else {
        return unauthorized(false);
    };
    if let Err(wait) = lock(&business.rate).admit(shared.enforce_rate_limits) {
        return too_many_requests(path, wait);
    }
    serve(business)
}

async fn authorize(State(shared): State<Arc<Shared>>, RawQuery(query): RawQuery) -> Response {
    let params = AuthorizeParams::parse(query.unwrap_or_default().as_bytes(), oauth::STORE_FIELD);
    oauth::authorize(&shared, &params)
}

async fn decision(State(shared): State<Arc<Shared>>, body: Bytes) -> Response {
    oauth::decide(&shared, &AuthorizeParams::parse(&body, oauth::STORE_FIELD))
}

async fn token(
    State(shared): State<Arc<Shared>>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    oauth::token(&shared, &headers, query.as_deref().unwrap_or(""), &body)
}

async fn relay_page(State(shared): State<Arc<Shared>>, RawQuery(query): RawQuery) -> Response {
    relay::page(&shared.deep_link_scheme, query.as_deref().unwrap_or(""))
}

/// `GET /f/data/businesses`: the token's business and its locations. (The
/// documented `page` and `size` parameters change nothing for one business.)
async fn businesses(State(shared): State<Arc<Shared>>, headers: HeaderMap) -> Response {
    let self_href = format!("{}kseries/f/data/businesses", shared.base_url);
    guarded(&shared, "/f/data/businesses", &headers, |b| {
        let locations: Vec<Value> = b
            .locations
            .iter()
            .map(|l| {
                json!({
                    "blName": l.name,
                    "blID": l.id,
                    "country": l.country,
                    "timezone": l.timezone,
                })
            })
            .collect();
        Json(json!({
            "_embedded": {"businessList": [{
                "businessName": b.name,
                "businessId": b.business_id,
                "currencyCode": b.currency.code(),
                "businessLocations": locations,
            }]},
            "_links": {"self": {"href": self_href}},
        }))
        .into_response()
    })
}

/// `GET /f/v2/business-location/{id}/sales`.
async fn sales(
    State(shared): State<Arc<Shared>>,
    Path(location): Path<String>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
) -> Response {
    let path = format!("/f/v2/business-location/{location}/sales");
    guarded(&shared, &path, &headers, |b| {
        let Some(loc) = location.trim().parse().ok().and_then(|id| b.location(id)) else {
            return problem(StatusCode::FORBIDDEN, &path);
        };
        let till = read(&loc.till);
        let now_ms = clock::now() * 1_000;
        let raw = query.as_deref().unwrap_or("");
        let q = match SalesQuery::parse(raw, loc.id, loc.operational_since_ms(&till), now_ms) {
            Ok(q) => q,
            Err(message) => return bad_request(&message),
        };
        let rows = Location::by_close(&till);
        let (page, more) = q.select(&rows);
        let sales: Vec<Value> = page
            .iter()
            .filter_map(|&(_, i)| super::shape::sale_json(loc, &till, i, &q.include, &b.people))
            .collect();
        let mut body = json!({ "sales": sales });
        if let (true, Some(&(t, i))) = (more, page.last()) {
            body["nextPageToken"] = json!(q.token_after(t, i));
        }
        Json(body).into_response()
    })
}

async fn summary(State(shared): State<Arc<Shared>>, Path(location): Path<String>) -> Response {
    let found = location.trim().parse::<u64>().ok().and_then(|id| {
        shared
            .kseries_businesses
            .iter()
            .find_map(|b| b.location(id).map(|l| (b, l)))
    });
    let Some((b, l)) = found else {
        return problem(
            StatusCode::NOT_FOUND,
            &format!("/_sandbox/kseries/{location}/summary"),
        );
    };
    let till = read(&l.till);
    let listed = till.sales().iter().filter(|s| Location::listed(s)).count();
    let issued = lock(&shared.kseries_grants)
        .grants
        .issued(&b.business_id.to_string())
        .len();
    Json(json!({
        "businessId": b.business_id,
        "sales": listed,
        "currency": b.currency.code(),
        "issuedTokens": issued,
    }))
    .into_response()
}
