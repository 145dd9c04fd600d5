//! The fault middleware: finds the order and sale list routes of every
//! platform, asks the fault state what each request suffers, and applies
//! it with the platform's own reply builders, so an injected 429 or 5xx
//! looks like the platform's and an expired token gets the platform's own
//! 401 from its handler.
//!
//! List routes get every kind; token refreshes get 5xx only (see
//! `refresh`); the Lightspeed lines' sale and order updates get only the
//! [`WriteFault`]s a test queued; consent pages, code exchanges and single
//! records stay reliable, so connecting still works and a test's faults
//! land where a sync spends its requests.

use std::sync::Arc;
use std::time::Duration;

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{Html, IntoResponse, Response};

use super::{refresh, Decision, FaultKind, WriteFault};
use crate::data::clock;
use crate::locks::lock;
use crate::state::Shared;
use crate::{bigcommerce, kseries, oseries, rseries, shopify, woocommerce, xseries};

/// A request extension: the Shopify GraphQL handler answers `THROTTLED`
/// asking the client to wait this long (Shopify throttles inside GraphQL,
/// with the query's own cost, so only the handler can build the answer).
#[derive(Clone, Copy, Debug)]
pub(crate) struct ForcedThrottle(pub Duration);

/// A response extension: the handler did answer `THROTTLED` for a
/// [`ForcedThrottle`] (it may have refused the request earlier, say for a
/// bad token), so the middleware counts only real throttles.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Throttled;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Platform {
    Shopify,
    BigCommerce,
    WooCommerce,
    XSeries,
    RSeries,
    OSeries,
    KSeries,
}

/// A list request: whose account it reads, and the API path (K-Series'
/// error bodies name it).
struct Target {
    platform: Platform,
    account: String,
    api_path: String,
}

/// The order or sale list route `path` is, if any.
fn classify(method: &Method, path: &str) -> Option<Target> {
    let s: Vec<&str> = path.trim_start_matches('/').split('/').collect();
    let target = |platform, account: &str, prefix: &str| {
        Some(Target {
            platform,
            account: account.to_ascii_lowercase(),
            api_path: path.strip_prefix(prefix).unwrap_or(path).to_owned(),
        })
    };
    match (method, s.as_slice()) {
        (&Method::POST, ["shopify", shop, "admin", "api", _, "graphql.json"]) => {
            target(Platform::Shopify, shop, "/shopify")
        }
        (&Method::GET, ["bigcommerce", "stores", hash, "v2", "orders"]) => {
            target(Platform::BigCommerce, hash, "/bigcommerce")
        }
        (&Method::GET, ["woocommerce", host, "wp-json", "wc", "v3", "orders"]) => {
            target(Platform::WooCommerce, host, "/woocommerce")
        }
        (&Method::GET, ["xseries", prefix, "api", "2.0", "sales"]) => {
            target(Platform::XSeries, prefix, "/xseries")
        }
        (&Method::GET, ["rseries", "API", "V3", "Account", id, "Sale.json"]) => {
            target(Platform::RSeries, id, "/rseries")
        }
        // `companies/{id}/orders.json`, or filtered by site, register, …
        (&Method::GET, ["oseries", "v1", "companies", id, .., last])
            if *id != "me" && matches!(*last, "orders" | "orders.json") =>
        {
            target(Platform::OSeries, id, "/oseries")
        }
        (&Method::GET, ["kseries", "f", "v2", "business-location", location, "sales"]) => {
            target(Platform::KSeries, location, "/kseries")
        }
        _ => None,
    }
}

/// The Lightspeed write route `path` is, if any: X-Series' sale update,
/// R-Series' sale update, Kounta's order update.
fn classify_write(method: &Method, path: &str) -> Option<Target> {
    let s: Vec<&str> = path.trim_start_matches('/').split('/').collect();
    let (platform, account, prefix) = match (method, s.as_slice()) {
        (&Method::PUT, ["xseries", prefix, "api", _, "sales", _]) => {
            (Platform::XSeries, *prefix, "/xseries")
        }
        (&Method::PUT, ["rseries", "API", "V3", "Account", id, "Sale", _]) => {
            (Platform::RSeries, *id, "/rseries")
        }
        (&Method::PUT, ["oseries", "v1", "companies", id, "orders", _]) => {
            (Platform::OSeries, *id, "/oseries")
        }
        _ => return None,
    };
    Some(Target {
        platform,
        account: account.to_ascii_lowercase(),
        api_path: path.strip_prefix(prefix).unwrap_or(path).to_owned(),
    })
}

/// The middleware: applies the fault the request draws, if any.
pub(crate) async fn inject(
    State(shared): State<Arc<Shared>>,
    request: Request,
    next: Next,
) -> Response {
    if refresh::is_token_endpoint(request.method(), request.uri().path()) {
        let (request, refreshing) = refresh::refreshing(request).await;
        return match refreshing.then(|| shared.faults.decide_refresh()).flatten() {
            Some(decision) => {
                shared.faults.count(|c| c.refresh_errors += 1);
                refresh::server_error(&decision)
            }
            None => next.run(request).await,
        };
    }
    if let Some(target) = classify_write(request.method(), request.uri().path()) {
        let decision = |kind, profile| Decision {
            kind,
            starts_burst: true,
            detail: 2,
            profile,
        };
        return match shared.faults.take_write_fault() {
            Some((WriteFault::ServerError, profile)) => {
                shared.faults.count(|c| c.server_errors += 1);
                // `detail` 2 is the 503, which carries the platform's body.
                server_error(&target, &decision(FaultKind::ServerError, profile))
            }
            Some((WriteFault::RateLimited, profile)) => {
                throttle(
                    &shared,
                    &target,
                    &decision(FaultKind::Burst429, profile),
                    request,
                    next,
                )
                .await
            }
            None => next.run(request).await,
        };
    }
    let Some(target) = classify(request.method(), request.uri().path()) else {
        return next.run(request).await;
    };
    let key = format!("{:?}/{}", target.platform, target.account);
    let Some(decision) = shared.faults.decide(&key) else {
        return next.run(request).await;
    };
    match decision.kind {
        FaultKind::ServerError => {
            shared.faults.count(|c| c.server_errors += 1);
            server_error(&target, &decision)
        }
        FaultKind::Timeout => {
            shared.faults.count(|c| c.timeouts += 1);
            // The real answer, late: the client gave up, and whoever is
            // still waiting gets the right data. Shutting down cuts the
            // wait short, or stopping would wait out every held answer.
            shared.faults.hold(decision.profile.timeout_delay).await;
            next.run(request).await
        }
        FaultKind::Truncate => {
            let response = next.run(request).await;
            truncate(&shared, response, decision.detail).await
        }
        FaultKind::Burst429 => {
            if decision.starts_burst {
                shared.faults.count(|c| c.bursts += 1);
            }
            throttle(&shared, &target, &decision, request, next).await
        }
        FaultKind::Expire => {
            if expire(&shared, &target) > 0 {
                shared.faults.count(|c| c.expiries += 1);
            }
            next.run(request).await
        }
    }
}

/// 500, 502 or 503, chosen by the draw.
fn server_error(target: &Target, decision: &Decision) -> Response {
    let status = match decision.detail % 3 {
        0 => StatusCode::INTERNAL_SERVER_ERROR,
        1 => StatusCode::BAD_GATEWAY,
        _ => StatusCode::SERVICE_UNAVAILABLE,
    };
    if status == StatusCode::BAD_GATEWAY {
        return bad_gateway();
    }
    let mut response = match target.platform {
        Platform::Shopify => shopify::replies::server_error(status),
        Platform::BigCommerce => bigcommerce::replies::server_error(status),
        Platform::WooCommerce => woocommerce::replies::server_error(status),
        Platform::XSeries => xseries::replies::server_error(status),
        Platform::RSeries => rseries::replies::server_error(status),
        Platform::OSeries => oseries::replies::server_error(status),
        Platform::KSeries => kseries::replies::problem(status, &target.api_path),
    };
    if status == StatusCode::SERVICE_UNAVAILABLE {
        response.headers_mut().insert(
            header::RETRY_AFTER,
            HeaderValue::from(decision.profile.retry_after_secs()),
        );
    }
    response
}

/// What a gateway in front of any platform answers when the platform is
/// unreachable: HTML, not the platform's JSON.
pub(crate) fn bad_gateway() -> Response {
    (
        StatusCode::BAD_GATEWAY,
        Html("<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center></body></html>"),
    )
        .into_response()
}

/// Cuts a `200` answer's body short, somewhere in its middle 80 %, and
/// says so in `Content-Length` so the client is not left waiting for the
/// rest. Other statuses (a 204 page, a 401) pass unharmed and uncounted.
async fn truncate(shared: &Shared, response: Response, detail: u64) -> Response {
    if response.status() != StatusCode::OK {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, usize::MAX).await else {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    let len = bytes.len();
    if len < 2 {
        return Response::from_parts(parts, Body::from(bytes));
    }
    let span = u64::try_from(len * 8 / 10).unwrap_or(u64::MAX).max(1);
    let offset = usize::try_from(detail % span).unwrap_or(0);
    let cut = (len / 10 + offset).clamp(1, len - 1);
    parts
        .headers
        .insert(header::CONTENT_LENGTH, HeaderValue::from(cut));
    shared.faults.count(|c| c.truncations += 1);
    Response::from_parts(parts, Body::from(bytes.slice(..cut)))
}

/// The platform's rate-limit answer with its headers, asking for
/// `retry_after`.
async fn throttle(
    shared: &Shared,
    target: &Target,
    decision: &Decision,
    mut request: Request,
    next: Next,
) -> Response {
    let wait = decision.profile.retry_after;
    let secs = decision.profile.retry_after_secs();
    let response = match target.platform {
        Platform::Shopify => {
            request.extensions_mut().insert(ForcedThrottle(wait));
            let response = next.run(request).await;
            if response.extensions().get::<Throttled>().is_some() {
                shared.faults.count(|c| c.throttled += 1);
            }
            return response;
        }
        Platform::BigCommerce => {
            let reset_ms = u64::try_from(wait.as_millis()).unwrap_or(u64::MAX).max(1);
            bigcommerce::replies::with_rate_headers(
                bigcommerce::replies::too_many_requests(),
                bigcommerce::rate::RateStatus {
                    left: 0,
                    reset_ms,
                    limited: true,
                },
            )
        }
        Platform::WooCommerce => woocommerce::replies::too_many_requests(secs),
        Platform::XSeries => {
            let limit = xseries::rate::limit_for(xseries::rate::REGISTERS);
            xseries::replies::with_rate_headers(
                xseries::replies::too_many_requests(),
                xseries::rate::RateStatus {
                    limit,
                    remaining: 0,
                    reset_at: clock::now() + i64::try_from(secs).unwrap_or(1),
                    limited: true,
                },
            )
        }
        Platform::RSeries => rseries::replies::with_bucket_headers(
            rseries::replies::too_many_requests(),
            rseries::bucket::BucketStatus {
                level: f64::from(rseries::bucket::SIZE),
                cost: rseries::bucket::READ_COST,
                limited: true,
                retry_after: secs,
            },
        ),
        Platform::OSeries => oseries::replies::too_many_requests(secs),
        Platform::KSeries => kseries::replies::too_many_requests(&target.api_path, secs),
    };
    shared.faults.count(|c| c.throttled += 1);
    response
}

/// Lapses the live access tokens of the account the request reads, where
/// tokens expire and refresh; returns how many lapsed (0 elsewhere: a
/// Shopify offline token, a BigCommerce API account and WooCommerce keys
/// never expire, so the draw injects nothing there).
fn expire(shared: &Shared, target: &Target) -> usize {
    let account = target.account.as_str();
    match target.platform {
        Platform::XSeries => lock(&shared.xseries_grants).expire_access_of(account),
        Platform::RSeries => lock(&shared.rseries_grants).expire_access_of(account),
        Platform::OSeries => lock(&shared.oseries_grants).expire_access_of(account),
        Platform::KSeries => {
            // Tokens belong to the business; the path names a location.
            let business = account.parse::<u64>().ok().and_then(|id| {
                shared
                    .kseries_businesses
                    .iter()
                    .find(|b| b.location(id).is_some())
            });
            business.map_or(0, |b| {
                lock(&shared.kseries_grants)
                    .grants
                    .expire_access_of(&b.business_id.to_string())
            })
        }
        Platform::Shopify | Platform::BigCommerce | Platform::WooCommerce => 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_order_and_sale_lists_are_targets() {
        let list = |m: Method, p: &str| classify(&m, p).map(|t| (t.platform, t.account));
        assert_eq!(
            list(
                Method::POST,
                "/shopify/Shop.myshopify.com/admin/api/2025-10/graphql.json"
            ),
            Some((Platform::Shopify, "shop.myshopify.com".into()))
        );
        assert_eq!(
            list(Method::GET, "/oseries/v1/companies/5/sites/2/orders.json"),
            Some((Platform::OSeries, "5".into()))
        );
        assert_eq!(
            list(Method::GET, "/kseries/f/v2/business-location/77/sales").map(|t| t.0),
            Some(Platform::KSeries)
        );
        for (m, p) in [
            (
                Method::POST,
                "/shopify/s.myshopify.com/admin/oauth/access_token",
            ),
            (Method::GET, "/bigcommerce/stores/abc/v2/orders/1"),
            (Method::GET, "/oseries/v1/companies/5/orders/9.json"),
            (Method::GET, "/oseries/v1/companies/me.json"),
            (Method::POST, "/rseries-auth/auth/oauth/token"),
            (Method::GET, "/xseries/shop/api/2.0/customers"),
        ] {
            assert!(list(m, p).is_none(), "{p} is not a list route");
        }
    }

    #[test]
    fn only_the_lightspeed_updates_are_write_routes() {
        let write = |m: Method, p: &str| classify_write(&m, p).map(|t| (t.platform, t.account));
        assert_eq!(
            write(Method::PUT, "/xseries/Shop/api/2026-07/sales/0a1b"),
            Some((Platform::XSeries, "shop".into()))
        );
        assert_eq!(
            write(Method::PUT, "/rseries/API/V3/Account/7/Sale/12.json"),
            Some((Platform::RSeries, "7".into()))
        );
        assert_eq!(
            write(Method::PUT, "/oseries/v1/companies/5/orders/9.json"),
            Some((Platform::OSeries, "5".into()))
        );
        for (m, p) in [
            (Method::GET, "/xseries/shop/api/2.0/sales/0a1b"),
            (Method::GET, "/rseries/API/V3/Account/7/Sale/12.json"),
            (Method::PUT, "/woocommerce/h/wp-json/wc/v3/orders/9"),
        ] {
            assert!(write(m, p).is_none(), "{p} is not a Lightspeed write");
        }
    }
}
