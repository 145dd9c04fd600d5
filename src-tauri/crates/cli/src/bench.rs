//! The sync benchmark: a full pull of N orders from the sandbox (rate limits
//! off, real HTTP on 127.0.0.1) into a fresh SQLite file, repeated, reporting
//! the median. Writes its figures into docs/benchmarks.md between markers so
//! other benchmarks can share the file.

use std::time::Instant;

use counterline_channels::shopify::client::ShopifyClient;
use counterline_channels::source::OrderSource;
use counterline_channels::shopify::{ShopDomain, ShopifyApi};
use counterline_sandbox::{Sandbox, SandboxConfig};
use counterline_secrets::Secret;
use counterline_store::model::Platform;
use counterline_store::{channels, Db};

const SHOP: &str = "counterline-demo.myshopify.com";

pub struct Options {
    pub orders: usize,
    pub runs: usize,
    pub out: String,
}

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(|a, b| a.total_cmp(b));
    values[values.len() / 2]
}

fn peak_rss_mib() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib / 1024.0)
}

pub async fn sync(options: Options) -> Result<(), String> {
    let generated = Instant::now();
    let sandbox = Sandbox::start(SandboxConfig { order_count: options.orders, ..SandboxConfig::default() })
        .await
        .map_err(|e| e.to_string())?;
    println!("sandbox: {} orders generated in {:.2} s", options.orders, generated.elapsed().as_secs_f64());
    let origin = ShopifyApi::Sandbox(sandbox.base_url())
        .origin(&ShopDomain::strict(SHOP).ok_or("bad shop")?)
        .map_err(|e| e.to_string())?;
    let mut seconds = Vec::new();
    let mut requests = 0;
    for run in 1..=options.runs.max(1) {
        let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
        let db = Db::open(&dir.path().join("bench.db")).await.map_err(|e| e.to_string())?;
        let channel = {
            let mut conn = db.conn().await.map_err(|e| e.to_string())?;
            channels::upsert(&mut conn, Platform::Shopify, SHOP, "Bench").await.map_err(|e| e.to_string())?
        };
        let http = counterline_channels::http_client().map_err(|e| e.to_string())?;
        let client = OrderSource::Shopify(
            ShopifyClient::new(http, &origin, Secret::new(sandbox.issue_shopify_token(SHOP)))
                .map_err(|e| e.to_string())?,
        );
        let started = Instant::now();
        let summary = counterline_sync::pull_orders(&db, channel, &client, |_| {})
            .await
            .map_err(|e| e.to_string())?;
        let elapsed = started.elapsed().as_secs_f64();
        if summary.stats.inserted as usize != options.orders {
            return Err(format!("run {run} stored {} of {} orders", summary.stats.inserted, options.orders));
        }
        requests = summary.requests;
        println!("run {run}: {elapsed:.2} s, {:.0} orders/s, {} requests", options.orders as f64 / elapsed, summary.requests);
        seconds.push(elapsed);
        db.close().await;
    }
    let mid = median(seconds.clone());
    let rate = options.orders as f64 / mid;
    let rss = peak_rss_mib().map_or("n/a".to_owned(), |m| format!("{m:.0} MiB"));
    println!("median: {mid:.2} s, {rate:.0} orders/s; peak RSS of this process (sandbox included): {rss}");
    let cores = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1);
    let section = format!(
        "<!-- bench:sync -->\n## Full order sync from the sandbox\n\n\
         `counterline-cli bench sync --orders {orders} --runs {runs}` (release build, {cores} cores, \
         Shopify GraphQL pages of 20 orders over HTTP on 127.0.0.1, rate limits off, fresh SQLite file per run).\n\n\
         | orders | runs | median time | median orders/s | requests per run | runs (s) | peak RSS (sandbox in-process) |\n\
         |---:|---:|---:|---:|---:|---|---:|\n\
         | {orders} | {runs} | {mid:.2} s | {rate:.0} | {requests} | {all} | {rss} |\n\
         <!-- /bench:sync -->\n",
        orders = options.orders,
        runs = seconds.len(),
        all = seconds.iter().map(|s| format!("{s:.2}")).collect::<Vec<_>>().join(", "),
    );
    write_section(&options.out, "sync", &section).map_err(|e| format!("{}: {e}", options.out))?;
    println!("wrote {}", options.out);
    sandbox.shutdown().await;
    Ok(())
}

/// Replaces one benchmark's section of the file (between
/// `<!-- bench:{marker} -->` and `<!-- /bench:{marker} -->`), keeping
/// everything else.
pub(crate) fn write_section(path: &str, marker: &str, section: &str) -> std::io::Result<()> {
    let existing = std::fs::read_to_string(path)
        .unwrap_or_else(|_| "# Benchmarks\n\nFigures from the benchmark commands; rerun them to refresh.\n\n".to_owned());
    let (open, close) = (format!("<!-- bench:{marker} -->"), format!("<!-- /bench:{marker} -->"));
    let updated = match (existing.find(&open), existing.find(&close)) {
        (Some(start), Some(end)) => {
            let end = end + (close.len() + 1).min(existing.len() - end);
            format!("{}{section}{}", &existing[..start], &existing[end..])
        }
        _ => format!("{existing}{section}"),
    };
    if let Some(dir) = std::path::Path::new(path).parent() {
        std::fs::create_dir_all(dir)?;
    }
    std::fs::write(path, updated)
}
