//! Sync specs against the running sandbox over real HTTP, into a real SQLite
//! file: the database must equal the platform's data exactly, and running the
//! pull again must change nothing.

use std::collections::BTreeMap;

use counterline_channels::shopify::client::ShopifyClient;
use counterline_channels::shopify::{ShopDomain, ShopifyApi};
use counterline_channels::source::OrderSource;
use counterline_sandbox::{Sandbox, SandboxConfig};
use counterline_secrets::Secret;
use counterline_store::model::{ChannelStatus, Platform};
use counterline_store::{channels, Db};
use counterline_sync::{pull_orders, Progress};
use serde_json::Value;
use sqlx::Row;

mod engine;
mod faults;
mod lightspeed;
mod lightspeed_writes;
mod loyalty;
mod outbox;

const SHOP: &str = "counterline-demo.myshopify.com";

struct Fixture {
    _dir: tempfile::TempDir,
    db: Db,
    sandbox: Sandbox,
    channel: i64,
}

async fn fixture(order_count: usize) -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let db = Db::open(&dir.path().join("counterline.db")).await.unwrap();
    let sandbox = Sandbox::start(SandboxConfig { order_count, ..SandboxConfig::default() }).await.unwrap();
    let mut conn = db.conn().await.unwrap();
    let channel = channels::upsert(&mut conn, Platform::Shopify, SHOP, "Demo").await.unwrap();
    Fixture { _dir: dir, db, sandbox, channel }
}

impl Fixture {
    fn client(&self, token: String) -> OrderSource {
        let origin = ShopifyApi::Sandbox(self.sandbox.base_url()).origin(&ShopDomain::strict(SHOP).unwrap()).unwrap();
        OrderSource::Shopify(ShopifyClient::new(counterline_channels::http_client().unwrap(), &origin, Secret::new(token)).unwrap())
    }

    fn authorized_client(&self) -> OrderSource {
        self.client(self.sandbox.issue_shopify_token(SHOP))
    }

    /// (external id → (total minor units, raw financial status, email)) as stored.
    async fn stored(&self) -> BTreeMap<String, (i64, Option<String>, Option<String>)> {
        sqlx::query("SELECT external_id, total_minor, financial_status, email FROM orders")
            .fetch_all(self.db.pool())
            .await
            .unwrap()
            .into_iter()
            .map(|r| (r.get("external_id"), (r.get("total_minor"), r.get("financial_status"), r.get("email"))))
            .collect()
    }

    async fn scalar(&self, sql: &str) -> i64 {
        sqlx::query_scalar(sql).fetch_one(self.db.pool()).await.unwrap()
    }
}

/// The sandbox's truth in the same shape, computed independently of the adapter.
fn truth(sandbox: &Sandbox) -> BTreeMap<String, (i64, Option<String>, Option<String>)> {
    sandbox
        .shopify_orders(SHOP)
        .iter()
        .map(|o: &Value| {
            let amount = o["totalPriceSet"]["shopMoney"]["amount"].as_str().unwrap();
            let (whole, frac) = amount.split_once('.').unwrap_or((amount, "0"));
            let cents = whole.parse::<i64>().unwrap() * 100 + format!("{frac:0<2}")[..2].parse::<i64>().unwrap();
            let email = o["email"].as_str().map(str::to_owned);
            (o["id"].as_str().unwrap().to_owned(), (cents, o["displayFinancialStatus"].as_str().map(str::to_owned), email))
        })
        .collect()
}

#[tokio::test]
async fn a_full_pull_stores_exactly_the_platforms_orders() {
    let f = fixture(1_234).await;
    let mut seen = Vec::new();
    let summary = pull_orders(&f.db, f.channel, &f.authorized_client(), |p: Progress| seen.push(p)).await.expect("pull");
    assert_eq!(summary.stats.inserted, 1_234, "every order is new on the first pull");
    assert_eq!(f.stored().await, truth(&f.sandbox), "ids, totals, raw statuses and emails equal the platform's");
    let lines_truth: usize = f.sandbox.shopify_orders(SHOP).iter().map(|o| o["lineItems"]["nodes"].as_array().unwrap().len()).sum();
    assert_eq!(f.scalar("SELECT COUNT(*) FROM order_lines").await as usize, lines_truth, "every line item once");
    assert!(seen.len() > 1 && seen.last().unwrap().done, "progress after every page, ending with done");
    assert_eq!(seen.last().unwrap().orders, 1_234);
    assert_eq!((seen.last().unwrap().new_orders, seen.last().unwrap().updated_orders), (1_234, 0), "the end says all of them are new");
    let view = channels::get(&mut f.db.conn().await.unwrap(), f.channel).await.unwrap();
    assert!(view.last_synced_at.is_some(), "the run is recorded on the channel");
}

#[tokio::test]
async fn pulling_again_changes_nothing() {
    let f = fixture(500).await;
    let client = f.authorized_client();
    pull_orders(&f.db, f.channel, &client, |_| {}).await.unwrap();
    let before = (f.stored().await, f.scalar("SELECT COUNT(*) FROM order_lines").await);
    let again = pull_orders(&f.db, f.channel, &client, |_| {}).await.unwrap();
    assert_eq!((again.stats.inserted, again.stats.updated), (0, 0), "an unchanged re-read writes nothing");
    assert_eq!((f.stored().await, f.scalar("SELECT COUNT(*) FROM order_lines").await), before, "idempotent");
}

#[tokio::test]
async fn orders_changed_after_a_sync_are_updated_in_place_by_the_next_one() {
    let f = fixture(400).await;
    let client = f.authorized_client();
    pull_orders(&f.db, f.channel, &client, |_| {}).await.unwrap();
    let touched = f.sandbox.touch_shopify_orders(SHOP, 7);
    let mut seen = Vec::new();
    let next = pull_orders(&f.db, f.channel, &client, |p: Progress| seen.push(p)).await.unwrap();
    let end = seen.last().unwrap();
    assert!(end.orders >= touched.len() as u64, "the overlap window is read again too");
    assert_eq!((end.new_orders, end.updated_orders), (0, touched.len() as u64), "the merchant is told of the changed orders only, not the re-read ones");
    assert_eq!(next.stats.updated, touched.len() as u64, "exactly the changed orders are rewritten");
    assert_eq!(next.stats.inserted, 0, "no duplicates");
    assert_eq!(f.stored().await, truth(&f.sandbox));
    assert!(next.requests < 5, "the incremental pull reads only recent changes, not everything ({} requests)", next.requests);
}

#[tokio::test]
async fn a_revoked_token_puts_the_channel_in_error_with_a_reason() {
    let f = fixture(50).await;
    let client = f.authorized_client();
    f.sandbox.revoke_shopify_tokens(SHOP);
    let error = pull_orders(&f.db, f.channel, &client, |_| {}).await.expect_err("a revoked token cannot pull");
    assert!(error.to_string().contains("Re-authorize"), "the message says what to do: {error}");
    let view = channels::get(&mut f.db.conn().await.unwrap(), f.channel).await.unwrap();
    assert_eq!(view.status, ChannelStatus::Error);
    assert!(view.status_detail.is_some_and(|d| !d.contains("shpat_")), "the reason is shown, never the token");
}

#[tokio::test]
async fn a_paused_channel_pulls_nothing_until_resumed() {
    let f = fixture(60).await;
    let client = f.authorized_client();
    let mut conn = f.db.conn().await.unwrap();
    channels::set_paused(&mut conn, f.channel, true).await.unwrap();
    let requests_before = f.sandbox.shopify_request_count();
    let error = pull_orders(&f.db, f.channel, &client, |_| {}).await.expect_err("paused");
    assert!(matches!(error, counterline_sync::Error::Paused), "{error}");
    assert_eq!(f.sandbox.shopify_request_count(), requests_before, "not a single request while paused");
    assert_eq!(f.scalar("SELECT COUNT(*) FROM orders").await, 0);
    channels::set_paused(&mut conn, f.channel, false).await.unwrap();
    pull_orders(&f.db, f.channel, &client, |_| {}).await.expect("resumed");
    assert_eq!(f.scalar("SELECT COUNT(*) FROM orders").await, 60);
}

mod bigcommerce {
    use super::*;
    use counterline_channels::bigcommerce::client::BigCommerceClient;
    use counterline_channels::bigcommerce::{BigCommerceApi, StoreHash};

    const HASH: &str = "cl0demo";

    async fn connected(order_count: usize) -> (Fixture, OrderSource) {
        let dir = tempfile::tempdir().unwrap();
        let db = Db::open(&dir.path().join("counterline.db")).await.unwrap();
        let sandbox = Sandbox::start(SandboxConfig { order_count, ..SandboxConfig::default() }).await.unwrap();
        let channel = channels::upsert(&mut db.conn().await.unwrap(), Platform::BigCommerce, HASH, "BC").await.unwrap();
        let client = BigCommerceClient::new(
            counterline_channels::http_client().unwrap(),
            &BigCommerceApi::Sandbox(sandbox.base_url()),
            &StoreHash::parse(HASH).unwrap(),
            Secret::new(sandbox.issue_bigcommerce_token(HASH)),
        )
        .unwrap();
        (Fixture { _dir: dir, db, sandbox, channel }, OrderSource::BigCommerce(client))
    }

    /// BigCommerce's four-place amounts in cents, computed independently.
    fn cents(amount: &str) -> i64 {
        let (whole, frac) = amount.split_once('.').unwrap_or((amount, "0"));
        let frac = format!("{frac:0<4}");
        assert!(frac[2..].bytes().all(|b| b == b'0'), "the sandbox never prices below a cent: {amount}");
        whole.parse::<i64>().unwrap() * 100 + frac[..2].parse::<i64>().unwrap()
    }

    fn truth(sandbox: &Sandbox) -> BTreeMap<String, (i64, Option<String>, Option<String>)> {
        sandbox
            .bigcommerce_orders(HASH)
            .iter()
            .map(|o| {
                let email = o["billing_address"]["email"].as_str().map(str::trim).filter(|e| !e.is_empty()).map(str::to_owned);
                (o["id"].as_i64().unwrap().to_string(), (cents(o["total_inc_tax"].as_str().unwrap()), o["status"].as_str().map(str::to_owned), email))
            })
            .collect()
    }

    async fn stored(f: &Fixture) -> BTreeMap<String, (i64, Option<String>, Option<String>)> {
        sqlx::query("SELECT external_id, total_minor, fulfillment_status, email FROM orders")
            .fetch_all(f.db.pool())
            .await
            .unwrap()
            .into_iter()
            .map(|r| (r.get("external_id"), (r.get("total_minor"), r.get("fulfillment_status"), r.get("email"))))
            .collect()
    }

    #[tokio::test]
    async fn a_full_bigcommerce_pull_stores_exactly_the_stores_orders_and_repeats_as_a_no_op() {
        let (f, source) = connected(600).await;
        let first = pull_orders(&f.db, f.channel, &source, |_| {}).await.expect("pull");
        let expected = truth(&f.sandbox);
        assert_eq!(first.stats.inserted as usize, expected.len(), "every order is new on the first pull");
        assert_eq!(stored(&f).await, expected, "ids, totals, raw statuses and emails equal the store's");
        let lines: usize = f.sandbox.bigcommerce_orders(HASH).iter().map(|o| f.sandbox.bigcommerce_order_products(HASH, o["id"].as_u64().unwrap()).len()).sum();
        assert_eq!(f.scalar("SELECT COUNT(*) FROM order_lines").await as usize, lines, "every product line once");
        let currencies: i64 = f.scalar("SELECT COUNT(DISTINCT currency) FROM orders").await;
        assert_eq!(currencies, 1, "one store, one currency");

        let again = pull_orders(&f.db, f.channel, &source, |_| {}).await.unwrap();
        assert_eq!((again.stats.inserted, again.stats.updated), (0, 0), "re-reading the overlap writes nothing");

        let touched = f.sandbox.touch_bigcommerce_orders(HASH, 5);
        let next = pull_orders(&f.db, f.channel, &source, |_| {}).await.unwrap();
        assert_eq!(next.stats.updated, touched.len() as u64, "refunds and edits update the stored orders");
        assert_eq!(stored(&f).await, truth(&f.sandbox));
    }
}

mod woocommerce {
    use super::*;
    use counterline_channels::woocommerce::client::WooClient;
    use counterline_channels::woocommerce::{SiteHost, WooApi};

    const SITE: &str = "shop.counterline-demo.test";

    async fn connected(order_count: usize) -> (Fixture, OrderSource) {
        let dir = tempfile::tempdir().unwrap();
        let db = Db::open(&dir.path().join("counterline.db")).await.unwrap();
        let config = SandboxConfig { order_count, ..SandboxConfig::default() };
        let site = config.woocommerce_sites[0].clone();
        let sandbox = Sandbox::start(config).await.unwrap();
        let channel = channels::upsert(&mut db.conn().await.unwrap(), Platform::WooCommerce, SITE, "Woo").await.unwrap();
        let origin = WooApi::Sandbox(sandbox.base_url()).origin(&SiteHost::parse(SITE).unwrap()).unwrap();
        let credential = Secret::new(format!("{}:{}", site.consumer_key, site.consumer_secret));
        let client = WooClient::new(counterline_channels::http_client().unwrap(), origin, credential);
        (Fixture { _dir: dir, db, sandbox, channel }, OrderSource::WooCommerce(client))
    }

    fn cents(amount: &str) -> i64 {
        let (whole, frac) = amount.split_once('.').unwrap_or((amount, "0"));
        whole.parse::<i64>().unwrap() * 100 + format!("{frac:0<2}")[..2].parse::<i64>().unwrap()
    }

    fn truth(sandbox: &Sandbox) -> BTreeMap<String, (i64, Option<String>, Option<String>, String)> {
        sandbox
            .woocommerce_orders(SITE)
            .iter()
            .map(|o| {
                let email = o["billing"]["email"].as_str().map(str::trim).filter(|e| !e.is_empty()).map(str::to_owned);
                let key = o["id"].as_i64().unwrap().to_string();
                (key, (cents(o["total"].as_str().unwrap()), o["status"].as_str().map(str::to_owned), email, o["currency"].as_str().unwrap().to_owned()))
            })
            .collect()
    }

    async fn stored(f: &Fixture) -> BTreeMap<String, (i64, Option<String>, Option<String>, String)> {
        sqlx::query("SELECT external_id, total_minor, fulfillment_status, email, currency FROM orders")
            .fetch_all(f.db.pool())
            .await
            .unwrap()
            .into_iter()
            .map(|r| (r.get("external_id"), (r.get("total_minor"), r.get("fulfillment_status"), r.get("email"), r.get("currency"))))
            .collect()
    }

    #[tokio::test]
    async fn a_full_woocommerce_pull_stores_exactly_the_sites_orders_and_repeats_as_a_no_op() {
        let (f, source) = connected(500).await;
        let first = pull_orders(&f.db, f.channel, &source, |_| {}).await.expect("pull");
        let expected = truth(&f.sandbox);
        assert!(expected.len() > 100, "enough orders for several 100-order pages");
        assert_eq!(first.stats.inserted as usize, expected.len());
        assert_eq!(stored(&f).await, expected, "ids, totals, raw statuses, emails and currency equal the site's");
        let again = pull_orders(&f.db, f.channel, &source, |_| {}).await.unwrap();
        assert_eq!((again.stats.inserted, again.stats.updated), (0, 0), "re-reading the overlap writes nothing");
        let touched = f.sandbox.touch_woocommerce_orders(SITE, 4);
        let next = pull_orders(&f.db, f.channel, &source, |_| {}).await.unwrap();
        assert_eq!(next.stats.updated, touched.len() as u64, "refunds and edits update in place");
        assert_eq!(stored(&f).await, truth(&f.sandbox));
    }
}
