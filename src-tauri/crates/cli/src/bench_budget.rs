//! The rate-budget benchmark: with the sandbox enforcing a platform's real
//! limit, pull orders for a while (walking the history again when it ends)
//! and report how much of the platform's allowance the pull used —
//! consumed / (initial allowance + what was restored over the elapsed
//! time) — and how many refusals it collected. Platforms with a short
//! refill are used (R-Series: 90 drips at 1/s; Shopify: 2,000 points at
//! 100/s), because the sandbox plays real time.

use std::sync::Arc;
use std::time::Instant;

use counterline_channels::budget::limits::{documented, Limits};
use counterline_channels::grant::{Grant, GrantKeeper};
use counterline_channels::lightspeed::LightspeedApi;
use counterline_channels::oauth::ClientCredentials;
use counterline_channels::rseries::client::RSeriesClient;
use counterline_channels::shopify::client::ShopifyClient;
use counterline_channels::shopify::{ShopDomain, ShopifyApi};
use counterline_channels::source::{OrderSource, PullStart};
use counterline_sandbox::{AppRegistration, Sandbox, SandboxConfig};
use counterline_secrets::Secret;
use counterline_store::model::Platform;

const SHOP: &str = "counterline-demo.myshopify.com";
const ACCOUNT: u64 = 184_302;

pub struct Options {
    pub seconds: u64,
    pub out: String,
}

struct Figures {
    platform: Platform,
    elapsed: f64,
    requests: u64,
    consumed: f64,
    allowance: f64,
    throttled: u64,
    orders: usize,
}

fn err(e: impl std::fmt::Display) -> String {
    e.to_string()
}

fn rseries(sandbox: &Sandbox) -> Result<OrderSource, String> {
    let api = LightspeedApi::Sandbox(sandbox.base_url());
    let (access, refresh) = sandbox.issue_rseries_token(ACCOUNT);
    let app = AppRegistration::rseries_demo();
    let http = counterline_channels::http_client().map_err(err)?;
    let keeper = GrantKeeper::in_memory(
        http.clone(),
        api.rseries_oauth().map_err(err)?,
        ClientCredentials { client_id: app.client_id, secret: Secret::new(app.client_secret) },
        Grant { access_token: Secret::new(access), refresh_token: Some(Secret::new(refresh)), expires_at_ms: None },
    );
    Ok(OrderSource::RSeries(RSeriesClient::new(http, api.rseries_origin().map_err(err)?, Arc::new(keeper))))
}

fn shopify(sandbox: &Sandbox) -> Result<OrderSource, String> {
    let origin = ShopifyApi::Sandbox(sandbox.base_url())
        .origin(&ShopDomain::strict(SHOP).ok_or("bad shop")?)
        .map_err(err)?;
    let http = counterline_channels::http_client().map_err(err)?;
    Ok(OrderSource::Shopify(ShopifyClient::new(http, &origin, Secret::new(sandbox.issue_shopify_token(SHOP))).map_err(err)?))
}

/// Pulls page after page for `seconds`, starting the walk over at its end.
async fn run(platform: Platform, source: &OrderSource, seconds: u64) -> Result<Figures, String> {
    let Limits::Bucket { capacity, restore_per_s } = documented(platform) else {
        return Err(format!("{} has no short refill to measure", platform.display_name()));
    };
    let start = PullStart::default();
    let mut after: Option<String> = None;
    let mut orders = 0;
    let began = Instant::now();
    while began.elapsed().as_secs() < seconds {
        let page = source.page(&start, after.as_deref()).await.map_err(err)?;
        orders += page.orders.len();
        after = page.next;
    }
    let elapsed = began.elapsed().as_secs_f64();
    let c = source.budget().counters();
    Ok(Figures {
        platform,
        elapsed,
        requests: c.requests,
        consumed: c.charged,
        allowance: capacity + restore_per_s * elapsed,
        throttled: c.throttled,
        orders,
    })
}

pub async fn budget(options: Options) -> Result<(), String> {
    let mut all = Vec::new();
    for platform in [Platform::RSeries, Platform::Shopify] {
        let sandbox = Sandbox::start(SandboxConfig { order_count: 1_000, enforce_rate_limits: true, ..SandboxConfig::default() })
            .await
            .map_err(err)?;
        let source = match platform {
            Platform::RSeries => rseries(&sandbox)?,
            _ => shopify(&sandbox)?,
        };
        let f = run(platform, &source, options.seconds).await?;
        println!(
            "{}: {:.1} s, {} requests, {} orders, consumed {:.0} of {:.0} ({:.3}), {} refusals",
            platform.display_name(),
            f.elapsed,
            f.requests,
            f.orders,
            f.consumed,
            f.allowance,
            f.consumed / f.allowance,
            f.throttled
        );
        all.push(f);
        sandbox.shutdown().await;
    }
    let cores = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1);
    let rows: String = all
        .iter()
        .map(|f| {
            format!(
                "| {} | {:.1} s | {} | {} | {:.0} | {:.0} | {:.3} | {} |\n",
                f.platform.display_name(),
                f.elapsed,
                f.requests,
                f.orders,
                f.consumed,
                f.allowance,
                f.consumed / f.allowance,
                f.throttled
            )
        })
        .collect();
    let section = format!(
        "## Rate budget against the sandbox's real limits\n\n\
         `counterline-cli bench budget --seconds {seconds}` (release build, {cores} cores, sandbox on 127.0.0.1 \
         with `enforce_rate_limits: true`). Pulls orders page after page (restarting the walk at its end) \
         and reports the share of the allowance used: consumed / (initial allowance + restore rate × elapsed). \
         R-Series: 90-drip bucket at 1 drip/s, one drip per request. Shopify: 2,000-point bucket at 100 points/s, \
         consumed = the sum of `actualQueryCost`; a query is only admitted while the bucket holds its \
         `requestedQueryCost`, so about one query's requested cost stays unspent by design.\n\n\
         | platform | elapsed | requests | orders | consumed | allowance | share used | 429/THROTTLED |\n\
         |---|---:|---:|---:|---:|---:|---:|---:|\n{rows}",
        seconds = options.seconds,
    );
    crate::bench::write_section(&options.out, "budget", &section).map_err(|e| format!("{}: {e}", options.out))?;
    println!("wrote {}", options.out);
    Ok(())
}
