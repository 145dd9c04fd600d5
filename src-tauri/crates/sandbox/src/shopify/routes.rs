//! HTTP routes under a shop origin (`/shopify/{shop}/…`) plus the sandbox's
//! own introspection route. Handlers only find the shop, authenticate and
//! decode; the work happens in `oauth` and `graphql`.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, HeaderValue};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Extension, Json, Router};
use serde_json::{json, Map, Value};

use super::graphql::{self, GraphqlRequest};
use super::oauth::{self, AuthorizeParams};
use super::{replies, API_VERSION};
use crate::faults::inject::{ForcedThrottle, Throttled};
use crate::locks::lock;
use crate::state::Shared;
use crate::writes::{idempotency_key, WritePlatform};

pub(crate) fn router() -> Router<Arc<Shared>> {
    Router::new()
        .route("/shopify/{shop}/admin/oauth/authorize", get(authorize))
        .route(
            "/shopify/{shop}/admin/oauth/authorize/decision",
            post(decision),
        )
        .route(
            "/shopify/{shop}/admin/oauth/access_token",
            post(access_token),
        )
        .route(
            "/shopify/{shop}/admin/api/{version}/graphql.json",
            post(graphql_endpoint),
        )
        .route("/_sandbox/shopify/{shop}/summary", get(summary))
}

async fn authorize(
    State(shared): State<Arc<Shared>>,
    Path(shop): Path<String>,
    RawQuery(query): RawQuery,
) -> Response {
    let Some(shop) = shared.shopify_shop(&shop) else {
        return replies::not_found_html();
    };
    let params = AuthorizeParams::parse(query.unwrap_or_default().as_bytes());
    oauth::authorize(&shared.shopify_app, shop, &params)
}

async fn decision(
    State(shared): State<Arc<Shared>>,
    Path(shop): Path<String>,
    body: Bytes,
) -> Response {
    let Some(shop) = shared.shopify_shop(&shop) else {
        return replies::not_found_html();
    };
    oauth::decide(&shared.shopify_app, shop, &AuthorizeParams::parse(&body))
}

async fn access_token(
    State(shared): State<Arc<Shared>>,
    Path(shop): Path<String>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let Some(shop) = shared.shopify_shop(&shop) else {
        return replies::not_found_json();
    };
    oauth::access_token(&shared.shopify_app, shop, &headers, query.as_deref(), &body)
}

/// `{"query", "variables"?, "operationName"?}` as JSON, or a bare document
/// with `Content-Type: application/graphql` (both are accepted by Shopify).
fn graphql_request(headers: &HeaderMap, body: &[u8]) -> Option<GraphqlRequest> {
    let content_type = headers
        .get(axum::http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    if content_type.starts_with("application/graphql") {
        let query = std::str::from_utf8(body).ok()?.to_owned();
        return Some(GraphqlRequest {
            query,
            variables: Map::new(),
            operation_name: None,
        });
    }
    let Value::Object(mut body) = serde_json::from_slice::<Value>(body).ok()? else {
        return None;
    };
    let query = match body.remove("query") {
        Some(Value::String(q)) if !q.trim().is_empty() => q,
        _ => return None,
    };
    let variables = match body.remove("variables") {
        None | Some(Value::Null) => Map::new(),
        Some(Value::Object(v)) => v,
        // Some clients send variables as a JSON-encoded string.
        Some(Value::String(s)) => match serde_json::from_str::<Value>(&s).ok()? {
            Value::Object(v) => v,
            _ => return None,
        },
        Some(_) => return None,
    };
    let operation_name = match body.remove("operationName") {
        Some(Value::String(n)) if !n.is_empty() => Some(n),
        _ => None,
    };
    Some(GraphqlRequest {
        query,
        variables,
        operation_name,
    })
}

/// Echoes a well-formed version (`2026-01`, `unstable`), as Shopify's
/// `X-Shopify-API-Version` header does; anything else gets ours.
fn served_version(requested: &str) -> &str {
    let well_formed = requested == "unstable"
        || (requested.len() == 7
            && requested.as_bytes()[4] == b'-'
            && requested.chars().filter(char::is_ascii_digit).count() == 6);
    if well_formed {
        requested
    } else {
        API_VERSION
    }
}

async fn graphql_endpoint(
    State(shared): State<Arc<Shared>>,
    Path((shop, version)): Path<(String, String)>,
    forced: Option<Extension<ForcedThrottle>>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let Some(shop) = shared.shopify_shop(&shop).cloned() else {
        return replies::not_found_json();
    };
    let token = headers
        .get("x-shopify-access-token")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let Some(scopes) = lock(&shop.auth).check(token).map(|g| g.scopes.clone()) else {
        return replies::unauthorized();
    };
    let Some(request) = graphql_request(&headers, &body) else {
        return replies::bad_graphql_body();
    };
    let enforce = shared.enforce_rate_limits;
    let throttle = forced.map(|Extension(ForcedThrottle(wait))| wait);
    let key = idempotency_key(&headers);
    let journal_owner = shared.clone();
    // Execution is CPU work (a 250-order page is a few milliseconds); keep it
    // off the async workers so slow queries never stall other connections.
    let result = tokio::task::spawn_blocking(move || {
        // With an Idempotency-Key (our convention, see `crate::writes`) the
        // journal is held from the replay check to the record, so a key
        // raced by two requests applies once. Without one, queries never
        // wait on it.
        let mut journal = key.as_ref().map(|_| lock(&journal_owner.writes));
        if let Some(replay) = journal.as_ref().and_then(|j| {
            j.replay(
                WritePlatform::Shopify,
                &shop.identity.domain,
                key.as_deref(),
            )
        }) {
            return replay.body;
        }
        let executed = graphql::execute(&shop, &request, enforce, throttle, &scopes);
        if !executed.writes.is_empty() {
            let mut journal = journal
                .take()
                .unwrap_or_else(|| lock(&journal_owner.writes));
            for applied in executed.writes {
                let write = applied.into_received(&shop.identity.domain, key.clone());
                journal.record(write, 200, &executed.body);
            }
        }
        executed.body
    })
    .await;
    let Ok(body) = result else {
        return (
            axum::http::StatusCode::INTERNAL_SERVER_ERROR,
            Json(json!({"errors": "Internal error"})),
        )
            .into_response();
    };
    let throttled = throttle.is_some() && body["errors"][0]["extensions"]["code"] == "THROTTLED";
    let mut response = Json(body).into_response();
    if throttled {
        // Tells the fault layer its throttle was served.
        response.extensions_mut().insert(Throttled);
    }
    if let Ok(v) = HeaderValue::from_str(served_version(&version)) {
        response.headers_mut().insert("x-shopify-api-version", v);
    }
    response
}

async fn summary(State(shared): State<Arc<Shared>>, Path(shop): Path<String>) -> Response {
    let Some(shop) = shared.shopify_shop(&shop) else {
        return replies::not_found_json();
    };
    let (tokens, issued) = {
        let auth = lock(&shop.auth);
        (auth.live_count(), auth.issued().len())
    };
    Json(json!({"orders": shop.order_count(), "tokens": tokens, "issuedTokens": issued}))
        .into_response()
}
