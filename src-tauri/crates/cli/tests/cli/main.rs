//! The headless CLI as a script would use it, against the sandbox over real
//! HTTP, the real Secret Service (run under `tests/session.sh`) and real
//! SQLite files. Its main spec is the kill test: `kill -9` in the middle of
//! a backfill, many times, loses and duplicates nothing.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use rand::{Rng, SeedableRng};
use serde_json::Value;
use sqlx::Row;

use counterline_sandbox::{Sandbox, SandboxConfig};
use counterline_secrets::{Keychain, Secret};
use counterline_store::model::Platform;
use counterline_store::{channels, Db};

const CLI: &str = env!("CARGO_BIN_EXE_counterline-cli");
const SITE: &str = "shop.counterline-demo.test";

/// What identifies a stored order's content: total, raw status, email, currency, line count.
type Shape = (i64, Option<String>, Option<String>, String, i64);

fn cents(amount: &str) -> i64 {
    let (whole, frac) = amount.split_once('.').unwrap_or((amount, "0"));
    whole.parse::<i64>().unwrap() * 100 + format!("{frac:0<2}")[..2].parse::<i64>().unwrap()
}

fn truth(sandbox: &Sandbox) -> BTreeMap<String, Shape> {
    sandbox
        .woocommerce_orders(SITE)
        .iter()
        .map(|o: &Value| {
            let email = o["billing"]["email"].as_str().map(str::trim).filter(|e| !e.is_empty()).map(str::to_owned);
            let lines = o["line_items"].as_array().map_or(0, Vec::len) as i64;
            let shape = (cents(o["total"].as_str().unwrap()), o["status"].as_str().map(str::to_owned), email, o["currency"].as_str().unwrap().to_owned(), lines);
            (o["id"].as_i64().unwrap().to_string(), shape)
        })
        .collect()
}

async fn stored(db: &Db) -> BTreeMap<String, Shape> {
    let rows = sqlx::query(
        "SELECT o.external_id, o.total_minor, o.fulfillment_status, o.email, o.currency,
                (SELECT COUNT(*) FROM order_lines l WHERE l.order_id = o.id) AS lines
           FROM orders o",
    )
    .fetch_all(db.pool())
    .await
    .unwrap();
    let count = rows.len();
    let map: BTreeMap<String, Shape> = rows
        .into_iter()
        .map(|r| (r.get("external_id"), (r.get("total_minor"), r.get("fulfillment_status"), r.get("email"), r.get("currency"), r.get("lines"))))
        .collect();
    assert_eq!(map.len(), count, "no order is stored twice");
    map
}

struct Scene {
    sandbox: Sandbox,
    dir: tempfile::TempDir,
    keychain: Keychain,
    channel: i64,
}

impl Scene {
    async fn new(order_count: usize) -> Scene {
        let config = SandboxConfig { order_count, ..SandboxConfig::default() };
        let site = config.woocommerce_sites[0].clone();
        let sandbox = Sandbox::start(config).await.unwrap();
        let dir = tempfile::tempdir().unwrap();
        let db = Db::open(&dir.path().join("counterline.db")).await.unwrap();
        let channel = channels::upsert(&mut *db.conn().await.unwrap(), Platform::WooCommerce, SITE, "Woo").await.unwrap();
        db.close().await;
        let keychain = Keychain::new(format!("counterline-cli-test-{}", rand::random::<u64>()));
        let key = format!("channel/woocommerce/{SITE}/access_token");
        let credential = Secret::new(format!("{}:{}", site.consumer_key, site.consumer_secret));
        off_runtime(|| keychain.set(&key, &credential)).expect("the Secret Service answers (run under tests/session.sh)");
        Scene { sandbox, dir, keychain, channel }
    }

    fn sync(&self) -> Command {
        let mut command = Command::new(CLI);
        command
            .args(["sync", "--data-dir"])
            .arg(self.dir.path())
            .args(["--sandbox", self.sandbox.base_url().as_str(), "--keychain-service", self.keychain.service()])
            .args(["--channel", &self.channel.to_string()])
            .stdout(Stdio::piped())
            .stderr(Stdio::null());
        command
    }

    async fn db(&self) -> Db {
        Db::open(&self.dir.path().join("counterline.db")).await.unwrap()
    }
}

impl Drop for Scene {
    fn drop(&mut self) {
        let keychain = &self.keychain;
        let _ = off_runtime(|| keychain.delete(&format!("channel/woocommerce/{SITE}/access_token")));
    }
}

/// Secret Service calls block on D-Bus; keep them off the async workers.
fn off_runtime<T: Send>(call: impl FnOnce() -> T + Send) -> T {
    std::thread::scope(|scope| scope.spawn(call).join().unwrap())
}

fn integrity(path: &Path) -> String {
    let output = Command::new("python3")
        .args(["-c", "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute('PRAGMA integrity_check').fetchone()[0])"])
        .arg(path)
        .output()
        .expect("python3 runs PRAGMA integrity_check");
    String::from_utf8_lossy(&output.stdout).trim().to_owned()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_backfill_killed_at_random_points_ends_with_exactly_the_platforms_orders() {
    let scene = Scene::new(50_000).await;
    let expected = truth(&scene.sandbox);
    assert_eq!(expected.len(), 50_000, "the site has the 50,000 orders asked for");
    let mut rng = rand::rngs::StdRng::seed_from_u64(std::env::var("KILL_SEED").ok().and_then(|s| s.parse().ok()).unwrap_or(7));
    let mut kills = 0;
    let mut stored_when_killed = Vec::new();
    // Kill after 0.2–2.5 s each time until one run gets to finish by itself.
    let finished = loop {
        let mut child = scene.sync().spawn().unwrap();
        let deadline = Instant::now() + Duration::from_millis(rng.gen_range(200..2_500));
        let exit = loop {
            if let Some(status) = child.try_wait().unwrap() {
                break Some(status);
            }
            if Instant::now() >= deadline {
                break None;
            }
            std::thread::sleep(Duration::from_millis(10));
        };
        match exit {
            Some(status) => break status,
            None => {
                child.kill().unwrap(); // SIGKILL: no destructor, no flush, no goodbye.
                child.wait().unwrap();
                kills += 1;
                let db = scene.db().await;
                stored_when_killed.push(stored(&db).await.len());
                db.close().await;
            }
        }
        assert!(kills < 200, "the backfill must make progress between kills: {stored_when_killed:?}");
    };
    eprintln!("killed {kills} times; orders stored at each kill: {stored_when_killed:?}");
    assert!(finished.success(), "the last run finishes cleanly");
    assert!(kills >= 5, "the test killed the sync several times mid-backfill (kills: {kills})");
    assert!(
        stored_when_killed.windows(2).all(|w| w[0] <= w[1]),
        "a kill never takes back committed pages: {stored_when_killed:?}"
    );
    let db = scene.db().await;
    assert_eq!(stored(&db).await, expected, "every order exactly once, with its total, status, email, currency and lines");
    db.close().await;
    assert_eq!(integrity(&scene.dir.path().join("counterline.db")), "ok", "SQLite's own check passes");
}

#[tokio::test(flavor = "multi_thread")]
async fn sync_reports_each_channel_and_a_repeat_writes_nothing() {
    let scene = Scene::new(300).await;
    let first = scene.sync().output().unwrap();
    assert!(first.status.success(), "the first sync succeeds");
    let text = String::from_utf8_lossy(&first.stdout).into_owned();
    assert!(text.contains(&format!("channel {}: ok", scene.channel)) && text.contains("300 new"), "one summary line per channel: {text}");
    let again = scene.sync().output().unwrap();
    let text = String::from_utf8_lossy(&again.stdout).into_owned();
    assert!(text.contains("0 new, 0 updated"), "re-reading the overlap changes nothing: {text}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_missing_credential_fails_the_run_with_status_one_and_says_why() {
    let scene = Scene::new(10).await;
    off_runtime(|| scene.keychain.delete(&format!("channel/woocommerce/{SITE}/access_token"))).unwrap();
    let output = scene.sync().output().unwrap();
    assert_eq!(output.status.code(), Some(1), "a failed channel fails the command");
    let text = String::from_utf8_lossy(&output.stdout).into_owned();
    assert!(text.contains("failed") && text.contains("no access token"), "the reason is printed: {text}");
}
