//! HTTP routes under `/woocommerce/{host}/` (the stand-in for
//! `https://{host}/`) plus the sandbox's own summary route. REST handlers
//! follow WordPress's order: authentication errors first, then parameter
//! validation, then the endpoint's permission check.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde_json::{json, Value};

use super::auth::{authenticate, AuthError, Caller};
use super::consent::{self, AuthorizeParams};
use super::query::ListQuery;
use super::{replies, shape, writes, Rendered, Site};
use crate::data::orders::Order;
use crate::locks::{lock, read};
use crate::state::Shared;

pub(crate) fn router() -> Router<Arc<Shared>> {
    let site = "/woocommerce/{host}";
    Router::new()
        .route(&format!("{site}/wp-json"), get(index))
        .route(&format!("{site}/wp-json/"), get(index))
        .route(&format!("{site}/wp-json/wc/v3/orders"), get(orders))
        .route(
            &format!("{site}/wp-json/wc/v3/orders/{{id}}"),
            get(order)
                .put(writes::update_order)
                .post(writes::update_order)
                .patch(writes::update_order),
        )
        .route(
            &format!("{site}/wp-json/wc/v3/system_status"),
            get(system_status),
        )
        .route(
            &format!("{site}/wp-admin/authorize-application.php"),
            get(authorize).post(decide),
        )
        .route("/_sandbox/woocommerce/{host}/summary", get(summary))
}

pub(crate) fn no_such_site() -> Response {
    replies::wp_die(
        StatusCode::NOT_FOUND,
        "Not Found",
        "No sandbox WooCommerce site has this host name.",
    )
}

/// Why a REST request got no further than finding the site and caller.
enum Refused {
    NoSuchSite,
    Auth(AuthError),
}

impl IntoResponse for Refused {
    fn into_response(self) -> Response {
        match self {
            Refused::NoSuchSite => no_such_site(),
            Refused::Auth(e) => e.into_response(),
        }
    }
}

/// Finds the site and authenticates the caller.
fn caller<'s>(
    shared: &'s Shared,
    host: &str,
    headers: &HeaderMap,
    query: Option<&str>,
) -> Result<(&'s Site, Caller), Refused> {
    let site = shared.woocommerce_site(host).ok_or(Refused::NoSuchSite)?;
    let caller = authenticate(site, headers, query).map_err(Refused::Auth)?;
    Ok((site, caller))
}

fn typed_email(site: &Site, o: &Order) -> Option<String> {
    o.email
        .and_then(|(p, variant)| site.people.get(p).map(|p| variant.apply(&p.email)))
}

/// `<url?…&page=n>; rel="…"`, keeping every other query parameter, as
/// WordPress builds its pagination links.
fn link(collection: &str, query: Option<&str>, page: u64, rel: &str) -> String {
    let mut serializer = form_urlencoded::Serializer::new(String::new());
    for (k, v) in form_urlencoded::parse(query.unwrap_or("").as_bytes()) {
        if k != "page" {
            serializer.append_pair(&k, &v);
        }
    }
    serializer.append_pair("page", &page.to_string());
    format!("<{collection}?{}>; rel=\"{rel}\"", serializer.finish())
}

async fn orders(
    State(shared): State<Arc<Shared>>,
    Path(host): Path<String>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
) -> Response {
    let (site, caller) = match caller(&shared, &host, &headers, query.as_deref()) {
        Ok(found) => found,
        Err(refused) => return refused.into_response(),
    };
    let q = match ListQuery::parse(query.as_deref().unwrap_or("")) {
        Ok(q) => q,
        Err(invalid) => return replies::invalid_params(&invalid),
    };
    if caller == Caller::Anonymous {
        return replies::cannot_list();
    }
    let site_url = site.site_url(&shared.base_url);
    let ledger = read(&site.ledger);
    let email_of = |o: &Order| typed_email(site, o);
    let page = q.select(&ledger, &email_of);
    let mut body = String::from("[");
    {
        let mut rendered = lock(&site.rendered);
        for &p in &page.positions {
            let Some(o) = ledger.get(p) else { continue };
            let refunds = ledger.refunds(p);
            let json = match rendered.get(&p) {
                Some(r) if r.updated_at == o.updated_at && r.refunds == refunds.len() => r.json.clone(),
                _ => {
                    let json: Arc<str> = shape::order_json(site, &site_url, o, refunds).to_string().into();
                    rendered.insert(p, Rendered { updated_at: o.updated_at, refunds: refunds.len(), json: json.clone() });
                    json
                }
            };
            if body.len() > 1 {
                body.push(',');
            }
            if lock(&site.broken).contains(&p) {
                body.push_str(&broken_json(&json));
                continue;
            }
            body.push_str(&json);
        }
    }
    body.push(']');
    let mut response = ([(axum::http::header::CONTENT_TYPE, "application/json")], body).into_response();
    let collection = format!("{site_url}/wp-json/wc/v3/orders");
    let mut links = Vec::new();
    if q.page > 1 {
        let prev = (q.page - 1).min(page.total_pages.max(1));
        links.push(link(&collection, query.as_deref(), prev, "prev"));
    }
    if page.total_pages > q.page {
        links.push(link(&collection, query.as_deref(), q.page + 1, "next"));
    }
    let h = response.headers_mut();
    h.insert("x-wp-total", HeaderValue::from(page.total));
    h.insert("x-wp-totalpages", HeaderValue::from(page.total_pages));
    if let Ok(v) = HeaderValue::from_str(&links.join(", ")) {
        if !links.is_empty() {
            h.insert("link", v);
        }
    }
    response
}

async fn order(
    State(shared): State<Arc<Shared>>,
    Path((host, id)): Path<(String, String)>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
) -> Response {
    let (site, caller) = match caller(&shared, &host, &headers, query.as_deref()) {
        Ok(found) => found,
        Err(refused) => return refused.into_response(),
    };
    if caller == Caller::Anonymous {
        return replies::cannot_view();
    }
    let ledger = read(&site.ledger);
    let Some(position) = id
        .trim()
        .parse::<u64>()
        .ok()
        .and_then(|id| ledger.position(id))
    else {
        return replies::invalid_order_id();
    };
    let Some(o) = ledger.get(position) else {
        return replies::invalid_order_id();
    };
    let site_url = site.site_url(&shared.base_url);
    Json(shape::order_json(
        site,
        &site_url,
        o,
        ledger.refunds(position),
    ))
    .into_response()
}

async fn system_status(
    State(shared): State<Arc<Shared>>,
    Path(host): Path<String>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
) -> Response {
    let (site, caller) = match caller(&shared, &host, &headers, query.as_deref()) {
        Ok(found) => found,
        Err(refused) => return refused.into_response(),
    };
    if caller == Caller::Anonymous {
        return replies::cannot_list();
    }
    Json(shape::system_status_json(
        site,
        &site.site_url(&shared.base_url),
    ))
    .into_response()
}

async fn index(State(shared): State<Arc<Shared>>, Path(host): Path<String>) -> Response {
    let Some(site) = shared.woocommerce_site(&host) else {
        return no_such_site();
    };
    Json(shape::index_json(site, &site.site_url(&shared.base_url))).into_response()
}

async fn authorize(
    State(shared): State<Arc<Shared>>,
    Path(host): Path<String>,
    RawQuery(query): RawQuery,
) -> Response {
    let Some(site) = shared.woocommerce_site(&host) else {
        return no_such_site();
    };
    let params = AuthorizeParams::parse(query.unwrap_or_default().as_bytes());
    consent::authorize(site, &site.site_url(&shared.base_url), params)
}

async fn decide(
    State(shared): State<Arc<Shared>>,
    Path(host): Path<String>,
    body: Bytes,
) -> Response {
    let Some(site) = shared.woocommerce_site(&host) else {
        return no_such_site();
    };
    consent::decide(
        site,
        &site.site_url(&shared.base_url),
        AuthorizeParams::parse(&body),
    )
}

async fn summary(State(shared): State<Arc<Shared>>, Path(host): Path<String>) -> Response {
    let Some(site) = shared.woocommerce_site(&host) else {
        return replies::no_route();
    };
    let apps: Vec<Value> = lock(&site.app_passwords)
        .apps()
        .into_iter()
        .map(|(name, id)| json!({"name": name, "appId": id}))
        .collect();
    Json(json!({
        "orders": site.order_count(),
        "currency": site.currency.code(),
        "applicationPasswords": apps,
    }))
    .into_response()
}

/// The order's JSON with a `total` no client can read as an amount.
fn broken_json(json: &str) -> String {
    let mut order: Value = serde_json::from_str(json).unwrap_or(Value::Null);
    order["total"] = json!("see note");
    order.to_string()
}
