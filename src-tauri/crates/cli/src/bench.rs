//! The sync benchmark. A full backfill of N orders from the sandbox (rate
//! limits off, real HTTP on 127.0.0.1) into a fresh SQLite file, repeated,
//! reporting medians next to the bound: the same rows written by plain
//! batched INSERTs with nothing else going on. The sandbox runs in a child
//! process (`bench sandbox`), so the peak memory reported is the sync's own.
//! Figures go into docs/benchmarks.md between markers, so other benchmarks
//! can share the file.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::time::Instant;

use counterline_channels::shopify::client::ShopifyClient;
use counterline_channels::shopify::{ShopDomain, ShopifyApi};
use counterline_channels::source::{OrderSource, PullStart};
use counterline_channels::woocommerce::client::WooClient;
use counterline_channels::woocommerce::{SiteHost, WooApi};
use counterline_sandbox::{Sandbox, SandboxConfig};
use counterline_secrets::Secret;
use counterline_store::model::{NewOrder, Platform};
use counterline_store::{channels, orders, Db};

const SHOP: &str = "counterline-demo.myshopify.com";

pub struct Options {
    pub orders: usize,
    pub runs: usize,
    pub out: String,
    /// `woocommerce` (100-order pages) or `shopify` (20-order GraphQL pages).
    pub platform: String,
}

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(|a, b| a.total_cmp(b));
    values[values.len() / 2]
}

/// CPU seconds (user + system) a process has used so far, from
/// `/proc/PID/stat`: on a shared machine, wall time says how busy the others
/// were; CPU time says what the work itself cost.
fn cpu_seconds(pid: &str) -> Option<f64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // Fields after the parenthesised name; utime and stime are the 12th and 13th.
    let mut fields = stat.rsplit_once(')')?.1.split_whitespace().skip(11);
    let ticks: f64 = fields.next()?.parse::<f64>().ok()? + fields.next()?.parse::<f64>().ok()?;
    // USER_HZ is 100 on every Linux architecture we build for.
    Some(ticks / 100.0)
}

fn peak_rss_mib() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib / 1024.0)
}

/// `bench sandbox --orders N`: serves until stdin closes. Prints the base
/// URL, then the demo Shopify token, one per line.
pub async fn serve_sandbox(orders: usize) -> Result<(), String> {
    let sandbox = Sandbox::start(SandboxConfig { order_count: orders, ..SandboxConfig::default() })
        .await
        .map_err(|e| e.to_string())?;
    println!("{}", sandbox.base_url());
    println!("{}", sandbox.issue_shopify_token(SHOP));
    // The parent holds our stdin; when it exits or closes it, we stop.
    tokio::task::spawn_blocking(|| std::io::copy(&mut std::io::stdin(), &mut std::io::sink()))
        .await
        .map_err(|e| e.to_string())?
        .map_err(|e| e.to_string())?;
    sandbox.shutdown().await;
    Ok(())
}

struct SandboxProcess {
    child: Child,
    base_url: url::Url,
    shopify_token: String,
}

impl SandboxProcess {
    fn start(orders: usize) -> Result<SandboxProcess, String> {
        let exe = std::env::current_exe().map_err(|e| e.to_string())?;
        let mut child = Command::new(exe)
            .args(["bench", "sandbox", "--orders", &orders.to_string()])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .map_err(|e| format!("starting the sandbox process: {e}"))?;
        let mut lines = BufReader::new(child.stdout.take().ok_or("no sandbox stdout")?).lines();
        let mut line = || lines.next().and_then(|l| l.ok()).ok_or("the sandbox process ended early");
        let base_url = url::Url::parse(&line()?).map_err(|e| e.to_string())?;
        let shopify_token = line()?;
        Ok(SandboxProcess { child, base_url, shopify_token })
    }
}

impl Drop for SandboxProcess {
    fn drop(&mut self) {
        drop(self.child.stdin.take());
        let _ = self.child.wait();
    }
}

fn source(options: &Options, sandbox: &SandboxProcess) -> Result<(Platform, &'static str, OrderSource), String> {
    let http = counterline_channels::http_client().map_err(|e| e.to_string())?;
    match options.platform.as_str() {
        "shopify" => {
            let origin = ShopifyApi::Sandbox(sandbox.base_url.clone())
                .origin(&ShopDomain::strict(SHOP).ok_or("bad shop")?)
                .map_err(|e| e.to_string())?;
            let client = ShopifyClient::new(http, &origin, Secret::new(sandbox.shopify_token.clone())).map_err(|e| e.to_string())?;
            Ok((Platform::Shopify, SHOP, OrderSource::Shopify(client)))
        }
        "woocommerce" => {
            let site = counterline_sandbox::WooSite::default();
            let origin = WooApi::Sandbox(sandbox.base_url.clone())
                .origin(&SiteHost::parse(&site.host).map_err(|e| e.to_string())?)
                .map_err(|e| e.to_string())?;
            let credential = Secret::new(format!("{}:{}", site.consumer_key, site.consumer_secret));
            Ok((Platform::WooCommerce, "shop.counterline-demo.test", OrderSource::WooCommerce(WooClient::new(http, origin, credential))))
        }
        other => Err(format!("--platform {other:?}: use shopify or woocommerce")),
    }
}

/// Every order of the source, in memory, for the bound.
async fn fetch_all(source: &OrderSource) -> Result<Vec<Vec<NewOrder>>, String> {
    let start = PullStart::default();
    let mut pages = Vec::new();
    let mut after = None;
    loop {
        let page = source.page(&start, after.as_deref()).await.map_err(|e| e.to_string())?;
        pages.push(page.orders);
        match page.next {
            Some(next) => after = Some(next),
            None => return Ok(pages),
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Writer {
    /// What the sync does with a page: upsert it and save the cursor.
    Upsert,
    /// Plain batched INSERTs of the same rows.
    Bound,
}

/// Pages grouped as the sync groups them when fetching runs ahead: up to
/// [`counterline_sync::MAX_ORDERS_PER_COMMIT`] orders per transaction, the
/// largest it ever commits, so the bound is never handicapped.
fn commit_groups(pages: Vec<Vec<NewOrder>>) -> Vec<Vec<NewOrder>> {
    let mut groups: Vec<Vec<NewOrder>> = Vec::new();
    for page in pages {
        match groups.last_mut() {
            Some(group) if group.len() < counterline_sync::MAX_ORDERS_PER_COMMIT => group.extend(page),
            _ => groups.push(page),
        }
    }
    groups
}

/// One transaction per group, on one connection, as the sync commits.
async fn write_groups(db: &Db, channel: i64, groups: &[Vec<NewOrder>], writer: Writer) -> Result<(), String> {
    let mut conn = db.conn().await.map_err(|e| e.to_string())?;
    for group in groups {
        let mut tx = counterline_store::begin(&mut conn).await.map_err(|e| e.to_string())?;
        match writer {
            Writer::Upsert => {
                orders::upsert_page(&mut tx, channel, group).await.map_err(|e| e.to_string())?;
                let high_water = group.iter().map(|o| o.updated_at).max().unwrap_or(0);
                orders::save_cursor(&mut tx, channel, high_water, None).await.map_err(|e| e.to_string())?;
            }
            Writer::Bound => orders::insert_new(&mut tx, channel, group).await.map_err(|e| e.to_string())?,
        }
        tx.commit().await.map_err(|e| e.to_string())?;
    }
    Ok(())
}

async fn fresh_db(dir: &tempfile::TempDir, platform: Platform, account: &str) -> Result<(Db, i64), String> {
    let db = Db::open(&dir.path().join("bench.db")).await.map_err(|e| e.to_string())?;
    let channel = channels::upsert(&mut *db.conn().await.map_err(|e| e.to_string())?, platform, account, "Bench")
        .await
        .map_err(|e| e.to_string())?;
    Ok((db, channel))
}

pub async fn sync(options: Options) -> Result<(), String> {
    let generated = Instant::now();
    let sandbox = SandboxProcess::start(options.orders)?;
    println!("sandbox process: {} orders per platform ready in {:.2} s", options.orders, generated.elapsed().as_secs_f64());
    let (platform, account, source) = source(&options, &sandbox)?;
    let runs = options.runs.max(1);
    let mut sync_s = Vec::new();
    // CPU seconds of the sync process and of the sandbox, per run.
    let mut sync_cpu = Vec::new();
    let mut requests = 0;
    // The customer search index catching up after each run (kept out of
    // the page writes, see counterline_store::customer_search).
    let mut index_s = Vec::new();
    let mut customers = 0;
    let sandbox_pid = sandbox.child.id().to_string();
    let cpu = || (cpu_seconds("self").unwrap_or(0.0), cpu_seconds(&sandbox_pid).unwrap_or(0.0));
    for run in 1..=runs {
        let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
        let (db, channel) = fresh_db(&dir, platform, account).await?;
        let (started, cpu_before) = (Instant::now(), cpu());
        let summary = counterline_sync::pull_orders(&db, channel, &source, |_| {}).await.map_err(|e| e.to_string())?;
        let elapsed = started.elapsed().as_secs_f64();
        let cpu_after = cpu();
        if summary.stats.inserted as usize != options.orders {
            return Err(format!("run {run} stored {} of {} orders", summary.stats.inserted, options.orders));
        }
        requests = summary.requests;
        println!(
            "sync run {run}: {elapsed:.2} s, {:.0} orders/s, {} requests; CPU {:.2} s sync process, {:.2} s sandbox",
            options.orders as f64 / elapsed,
            summary.requests,
            cpu_after.0 - cpu_before.0,
            cpu_after.1 - cpu_before.1,
        );
        sync_s.push(elapsed);
        sync_cpu.push((cpu_after.0 - cpu_before.0, cpu_after.1 - cpu_before.1));
        let indexing = Instant::now();
        let mut conn = db.conn().await.map_err(|e| e.to_string())?;
        customers = counterline_store::customer_search::catch_up(&mut conn).await.map_err(|e| e.to_string())?;
        drop(conn);
        index_s.push(indexing.elapsed().as_secs_f64());
        println!("  then the customer search index: {customers} customers in {:.2} s", index_s[index_s.len() - 1]);
        db.close().await;
    }
    // Read before the bound loads every order into memory.
    let rss = peak_rss_mib().map_or("n/a".to_owned(), |m| format!("{m:.0} MiB"));

    let fetching = Instant::now();
    let groups = commit_groups(fetch_all(&source).await?);
    println!("fetch alone (HTTP, parse, normalize; no database): {:.2} s", fetching.elapsed().as_secs_f64());
    // The write alone (the sync's own upserts and cursor, no HTTP) and the
    // bound take turns, so a change in the machine's load hits both alike.
    let mut bound_s = Vec::new();
    let mut bound_cpu = Vec::new();
    for run in 1..=runs {
        for writer in [Writer::Upsert, Writer::Bound] {
            let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
            let (db, channel) = fresh_db(&dir, platform, account).await?;
            let (started, cpu_before) = (Instant::now(), cpu().0);
            write_groups(&db, channel, &groups, writer).await?;
            let elapsed = started.elapsed().as_secs_f64();
            let name = match writer {
                Writer::Upsert => "write alone (the sync's upserts, no HTTP)",
                Writer::Bound => "bound",
            };
            let cpu_s = cpu().0 - cpu_before;
            println!("{name} run {run}: {elapsed:.2} s, {:.0} orders/s; CPU {cpu_s:.2} s", options.orders as f64 / elapsed);
            if writer == Writer::Bound {
                bound_s.push(elapsed);
                bound_cpu.push(cpu_s);
            }
            db.close().await;
        }
    }
    drop(sandbox);

    let (sync_mid, bound_mid) = (median(sync_s.clone()), median(bound_s.clone()));
    let (rate, bound_rate) = (options.orders as f64 / sync_mid, options.orders as f64 / bound_mid);
    let share = rate / bound_rate;
    println!("median: sync {rate:.0} orders/s, bound {bound_rate:.0} orders/s, share of bound {share:.2}; peak RSS of the sync process: {rss}");
    let cores = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1);
    let list = |v: &[f64]| v.iter().map(|s| format!("{s:.2}")).collect::<Vec<_>>().join(", ");
    let section = format!(
        "## Full order sync from the sandbox\n\n\
         `counterline-cli bench sync --platform {platform} --orders {orders} --runs {runs}` (release build, {cores} cores; \
         {page} over HTTP on 127.0.0.1 from a sandbox in a separate process, rate limits off, fresh SQLite file per run). \
         The bound writes the same rows, in the same transactions as the sync (up to {per_commit} orders each), with plain multi-row INSERTs and nothing else. \
         Targets: ≥ 20,000 orders/s and ≥ 0.3 of the bound. \
         The machine is shared, so wall times swing with its load; the CPU seconds (medians) say what the work itself cost. \
         After each run the customer search index catches up with the run's new customers (outside the timed sync, as the app does after a run).\n\n\
         | orders | median sync | sync orders/s | bound orders/s | share of bound | requests per run | sync runs (s) | bound runs (s) | CPU sync process / sandbox / bound (s) | peak RSS (sync process) | then search index (median) |\n\
         |---:|---:|---:|---:|---:|---:|---|---|---|---:|---:|\n\
         | {orders} | {sync_mid:.2} s | {rate:.0} | {bound_rate:.0} | {share:.2} | {requests} | {sync_list} | {bound_list} | {cpu_sync:.2} / {cpu_sandbox:.2} / {cpu_bound:.2} | {rss} | {customers} customers in {index_mid:.2} s |\n",
        platform = options.platform,
        page = if options.platform == "shopify" { "GraphQL pages of 20 orders" } else { "REST pages of 100 orders" },
        orders = options.orders,
        sync_list = list(&sync_s),
        bound_list = list(&bound_s),
        cpu_sync = median(sync_cpu.iter().map(|c| c.0).collect()),
        cpu_sandbox = median(sync_cpu.iter().map(|c| c.1).collect()),
        cpu_bound = median(bound_cpu),
        index_mid = median(index_s),
        per_commit = counterline_sync::MAX_ORDERS_PER_COMMIT,
    );
    write_section(&options.out, "sync", &section).map_err(|e| format!("{}: {e}", options.out))?;
    println!("wrote {}", options.out);
    Ok(())
}

/// Replaces the `<!-- bench:NAME -->` section of the file, keeping everything else.
pub fn write_section(path: &str, name: &str, body: &str) -> std::io::Result<()> {
    let (open, close) = (format!("<!-- bench:{name} -->"), format!("<!-- /bench:{name} -->"));
    let section = format!("{open}\n{body}{close}\n");
    let existing = std::fs::read_to_string(path)
        .unwrap_or_else(|_| "# Benchmarks\n\nFigures from the benchmark commands; rerun them to refresh.\n\n".to_owned());
    let updated = match (existing.find(&open), existing.find(&close)) {
        (Some(start), Some(end)) => {
            let end = (end + close.len() + 1).min(existing.len());
            format!("{}{section}{}", &existing[..start], &existing[end..])
        }
        _ => format!("{existing}{section}"),
    };
    if let Some(dir) = std::path::Path::new(path).parent() {
        std::fs::create_dir_all(dir)?;
    }
    std::fs::write(path, updated)
}
