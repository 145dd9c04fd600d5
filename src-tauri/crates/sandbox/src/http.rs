//! The HTTP server: the router for every platform, the request counters,
//! the fault layer, Not Found answers, a small index page, and start/stop.

use std::net::SocketAddr;
use std::sync::atomic::AtomicBool;
use std::sync::atomic::Ordering;
use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::Uri;
use axum::middleware::{self, Next};
use axum::response::{Html, Response};
use axum::routing::get;
use axum::Router;
use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

use crate::error::SandboxError;
use crate::faults::{inject, offline::SwitchedListener};
use crate::shopify::consent::{escape, page};
use crate::shopify::{replies, routes, API_VERSION};
use crate::state::Shared;
use crate::{bigcommerce, kseries, oseries, rseries, woocommerce, xseries};

pub(crate) fn app(shared: Arc<Shared>) -> Router {
    Router::new()
        .merge(routes::router())
        .merge(bigcommerce::routes::router())
        .merge(woocommerce::routes::router())
        .merge(xseries::routes::router())
        .merge(rseries::routes::router())
        .merge(oseries::routes::router())
        .merge(kseries::routes::router())
        .merge(crate::control::router())
        .route("/", get(index))
        .fallback(fallback)
        // Inside the counters: a faulted request was still received.
        .layer(middleware::from_fn_with_state(
            shared.clone(),
            inject::inject,
        ))
        .layer(middleware::from_fn_with_state(
            shared.clone(),
            count_requests,
        ))
        .with_state(shared)
}

/// Counts what reaches a shop origin, so tests and benchmarks can assert how
/// many calls a sync made.
async fn count_requests(
    State(shared): State<Arc<Shared>>,
    request: Request,
    next: Next,
) -> Response {
    let path = request.uri().path();
    let counter = if path.starts_with("/shopify/") {
        Some(&shared.shopify_requests)
    } else if path.starts_with("/bigcommerce/") {
        Some(&shared.bigcommerce_requests)
    } else if path.starts_with("/woocommerce/") {
        Some(&shared.woocommerce_requests)
    } else if path.starts_with("/xseries/") || path.starts_with("/xseries-auth/") {
        Some(&shared.xseries_requests)
    } else if path.starts_with("/rseries/") || path.starts_with("/rseries-auth/") {
        Some(&shared.rseries_requests)
    } else if path.starts_with("/oseries/") || path.starts_with("/oseries-auth/") {
        Some(&shared.oseries_requests)
    } else if path.starts_with("/kseries/") || path.starts_with("/kseries-auth/") {
        Some(&shared.kseries_requests)
    } else {
        None
    };
    if let Some(counter) = counter {
        counter.fetch_add(1, Ordering::Relaxed);
    }
    tracing::debug!(method = %request.method(), path, "sandbox request");
    next.run(request).await
}

/// Unknown paths: JSON for API paths (what an API client parses, in the
/// platform's error shape), HTML otherwise.
async fn fallback(uri: Uri) -> Response {
    let path = uri.path();
    if path.starts_with("/bigcommerce/") {
        return bigcommerce::replies::not_found();
    }
    if path.starts_with("/woocommerce/") && path.contains("/wp-json") {
        return woocommerce::replies::no_route();
    }
    if path.starts_with("/xseries/") {
        return xseries::replies::not_found();
    }
    if path.starts_with("/rseries/") {
        return rseries::replies::not_found("Not found.");
    }
    if path.starts_with("/oseries/") {
        return oseries::replies::not_found("Not found");
    }
    if path.starts_with("/kseries/") {
        let api_path = path.strip_prefix("/kseries").unwrap_or(path);
        return kseries::replies::problem(axum::http::StatusCode::NOT_FOUND, api_path);
    }
    if path.contains("/admin/api/") || path.starts_with("/_sandbox/") {
        replies::not_found_json()
    } else {
        replies::not_found_html()
    }
}

async fn index(State(shared): State<Arc<Shared>>) -> Html<String> {
    let shops: String = shared
        .shopify_shops
        .iter()
        .map(|s| {
            let d = escape(&s.identity.domain);
            format!(
                r#"<li><b>{d}</b> — origin <code>/shopify/{d}/</code>, GraphQL <code>/shopify/{d}/admin/api/{API_VERSION}/graphql.json</code>, <a href="/_sandbox/shopify/{d}/summary">summary</a></li>"#
            )
        })
        .collect();
    let stores: String = shared
        .bigcommerce_stores
        .iter()
        .map(|s| {
            let h = escape(&s.hash);
            format!(
                r#"<li><b>{h}</b> ({}) — API <code>/bigcommerce/stores/{h}/v2/</code>, <a href="/_sandbox/bigcommerce/{h}/summary">summary</a></li>"#,
                s.currency.code()
            )
        })
        .collect();
    let sites: String = shared
        .woocommerce_sites
        .iter()
        .map(|s| {
            let h = escape(&s.host);
            format!(
                r#"<li><b>{h}</b> ({}) — REST <code>/woocommerce/{h}/wp-json/wc/v3/</code>, <a href="/woocommerce/{h}/wp-json/">site index</a>, <a href="/_sandbox/woocommerce/{h}/summary">summary</a></li>"#,
                s.currency.code()
            )
        })
        .collect();
    let retailers: String = shared
        .xseries_retailers
        .iter()
        .map(|r| {
            let p = escape(&r.domain_prefix);
            format!(
                r#"<li><b>{p}</b> ({}) — API <code>/xseries/{p}/api/2.0/</code>, token <code>/xseries/{p}/api/1.0/token</code>, <a href="/_sandbox/xseries/{p}/summary">summary</a></li>"#,
                r.currency.code()
            )
        })
        .collect();
    let accounts: String = shared
        .rseries_accounts
        .iter()
        .map(|a| {
            let id = a.account_id;
            format!(
                r#"<li><b>{}</b> #{id} ({}) — API <code>/rseries/API/V3/Account/{id}/</code>, <a href="/_sandbox/rseries/{id}/summary">summary</a></li>"#,
                escape(&a.name),
                a.currency.code()
            )
        })
        .collect();
    let companies: String = shared
        .oseries_companies
        .iter()
        .map(|c| {
            let id = c.company_id;
            format!(
                r#"<li><b>{}</b> #{id} ({}) — API <code>/oseries/v1/companies/{id}/orders.json</code>, <a href="/_sandbox/oseries/{id}/summary">summary</a></li>"#,
                escape(&c.name),
                c.currency.code()
            )
        })
        .collect();
    let businesses: String = shared
        .kseries_businesses
        .iter()
        .flat_map(|b| b.locations.iter().map(move |l| (b, l)))
        .map(|(b, l)| {
            format!(
                r#"<li><b>{}</b> #{} ({}, business {}) — sales <code>/kseries/f/v2/business-location/{}/sales</code>, <a href="/_sandbox/kseries/{}/summary">summary</a></li>"#,
                escape(&l.name),
                l.id,
                b.currency.code(),
                b.business_id,
                l.id,
                l.id
            )
        })
        .collect();
    let body = format!(
        r#"<main class="card"><h1>Counterline platform sandbox</h1>
<p>Plays Shopify, BigCommerce, WooCommerce, Lightspeed Retail (X-Series and R-Series), Lightspeed Restaurant (K-Series) and Lightspeed O-Series (Kounta) on this machine for tests, benchmarks and demo mode.</p>
<h2>Shopify shops</h2><ul>{shops}</ul>
<p class="note">Registered app client_id: <code>{}</code></p>
<h2>BigCommerce stores</h2><ul>{stores}</ul>
<h2>WooCommerce sites</h2><ul>{sites}</ul>
<h2>Lightspeed X-Series retailers</h2><ul>{retailers}</ul>
<p class="note">Authorize at <code>/xseries-auth/connect</code>; client_id <code>{}</code></p>
<h2>Lightspeed R-Series accounts</h2><ul>{accounts}</ul>
<p class="note">Authorize at <code>/rseries-auth/auth/oauth/authorize</code>, tokens at <code>/rseries-auth/auth/oauth/token</code>; client_id <code>{}</code></p>
<h2>Lightspeed O-Series (Kounta) companies</h2><ul>{companies}</ul>
<p class="note">Authorize at <code>/oseries-auth/authorize</code>, tokens at <code>/oseries/v1/token.json</code>; client_id <code>{}</code></p>
<h2>Lightspeed K-Series locations</h2><ul>{businesses}</ul>
<p class="note">Authorize at <code>/kseries-auth/oauth/authorize</code>, tokens at <code>/kseries-auth/oauth/token</code> (HTTP Basic), HTTPS relay at <code>/relay/kseries</code>; client_id <code>{}</code></p></main>"#,
        escape(&shared.shopify_app.client_id),
        escape(&shared.xseries_app.client_id),
        escape(&shared.rseries_app.client_id),
        escape(&shared.oseries_app.client_id),
        escape(&shared.kseries_app.client_id)
    );
    Html(page("Sandbox", &body))
}

/// A running server.
pub(crate) struct Server {
    stop: oneshot::Sender<()>,
    task: JoinHandle<Result<(), std::io::Error>>,
}

/// Binds `addr` (port 0 picks a free one); serve it with [`serve`].
pub(crate) async fn bind(addr: SocketAddr) -> Result<(TcpListener, SocketAddr), SandboxError> {
    let listener = TcpListener::bind(addr)
        .await
        .map_err(|source| SandboxError::Bind { addr, source })?;
    let bound = listener
        .local_addr()
        .map_err(|source| SandboxError::Bind { addr, source })?;
    Ok((listener, bound))
}

/// Serves `app` on `listener`; while `offline` is set, connections fail
/// without an answer (see `faults::offline`).
pub(crate) fn serve(listener: TcpListener, app: Router, offline: Arc<AtomicBool>) -> Server {
    let (stop, stopped) = oneshot::channel::<()>();
    let listener = SwitchedListener::new(listener, offline);
    let task = tokio::spawn(async move {
        axum::serve(listener, app)
            .with_graceful_shutdown(async {
                // Either a stop request or the handle being dropped ends it.
                let _ = stopped.await;
            })
            .await
    });
    Server { stop, task }
}

impl Server {
    /// Stops accepting connections and waits for in-flight requests.
    pub(crate) async fn stop(self) -> Result<(), SandboxError> {
        let _ = self.stop.send(());
        match self.task.await {
            Ok(result) => result.map_err(SandboxError::Serve),
            Err(join) => Err(SandboxError::Serve(std::io::Error::other(join.to_string()))),
        }
    }
}
