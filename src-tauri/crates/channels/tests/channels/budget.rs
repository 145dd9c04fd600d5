//! Rate budgets against the sandbox playing each platform's real limit
//! (`enforce_rate_limits: true`), over real HTTP. A long pull spends more
//! than the platform's allowance and must finish without one refusal; a
//! refusal forced from outside (direct calls that the budget cannot see)
//! must be waited out as the platform said, with one refused request, not
//! a burst of retries.

use std::sync::Arc;
use std::time::{Duration, Instant};

use counterline_channels::bigcommerce::{client::BigCommerceClient, BigCommerceApi, StoreHash};
use counterline_channels::grant::{Grant, GrantKeeper};
use counterline_channels::kseries::client::KSeriesClient;
use counterline_channels::lightspeed::LightspeedApi;
use counterline_channels::oauth::ClientCredentials;
use counterline_channels::oseries::client::OSeriesClient;
use counterline_channels::rseries::client::RSeriesClient;
use counterline_channels::shopify::{client::ShopifyClient, ShopDomain, ShopifyApi};
use counterline_channels::source::{OrderSource, PullStart};
use counterline_channels::xseries::client::XSeriesClient;
use counterline_channels::lightspeed::DomainPrefix;
use counterline_sandbox::{AppRegistration, Sandbox, SandboxConfig};
use counterline_secrets::Secret;
use url::Url;

const SHOP: &str = "counterline-demo.myshopify.com";
const STORE_HASH: &str = "cl0demo";
const PREFIX: &str = "counterlinedemo";
const ACCOUNT: u64 = 184_302;
const COMPANY: u64 = 27_460;
const BUSINESS: u64 = 31_845;

async fn limited_sandbox(order_count: usize) -> Sandbox {
    Sandbox::start(SandboxConfig { order_count, enforce_rate_limits: true, ..SandboxConfig::default() }).await.unwrap()
}

fn keeper(sandbox: &Sandbox, app: AppRegistration, (access, refresh): (String, String)) -> Arc<GrantKeeper> {
    let api = LightspeedApi::Sandbox(sandbox.base_url());
    let endpoints = match app.client_id.as_str() {
        id if id.contains("rseries") => api.rseries_oauth(),
        id if id.contains("kseries") => api.kseries_oauth(),
        id if id.contains("oseries") => api.oseries_oauth(),
        _ => api.xseries_oauth(&DomainPrefix::strict(PREFIX).unwrap()),
    }
    .unwrap();
    let credentials = ClientCredentials { client_id: app.client_id, secret: Secret::new(app.client_secret) };
    let grant = Grant { access_token: Secret::new(access), refresh_token: Some(Secret::new(refresh)), expires_at_ms: None };
    Arc::new(GrantKeeper::in_memory(counterline_channels::http_client().unwrap(), endpoints, credentials, grant))
}

fn http() -> reqwest::Client {
    counterline_channels::http_client().unwrap()
}

fn shopify(sandbox: &Sandbox) -> OrderSource {
    let origin = ShopifyApi::Sandbox(sandbox.base_url()).origin(&ShopDomain::strict(SHOP).unwrap()).unwrap();
    OrderSource::Shopify(ShopifyClient::new(http(), &origin, Secret::new(sandbox.issue_shopify_token(SHOP))).unwrap())
}

fn bigcommerce(sandbox: &Sandbox, token: &str) -> OrderSource {
    let api = BigCommerceApi::Sandbox(sandbox.base_url());
    OrderSource::BigCommerce(BigCommerceClient::new(http(), &api, &StoreHash::parse(STORE_HASH).unwrap(), Secret::new(token)).unwrap())
}

fn rseries(sandbox: &Sandbox, tokens: (String, String)) -> OrderSource {
    let origin = LightspeedApi::Sandbox(sandbox.base_url()).rseries_origin().unwrap();
    OrderSource::RSeries(RSeriesClient::new(http(), origin, keeper(sandbox, AppRegistration::rseries_demo(), tokens)))
}

fn xseries(sandbox: &Sandbox, tokens: (String, String)) -> OrderSource {
    let origin = LightspeedApi::Sandbox(sandbox.base_url()).xseries_origin(&DomainPrefix::strict(PREFIX).unwrap()).unwrap();
    OrderSource::XSeries(XSeriesClient::new(http(), origin, keeper(sandbox, AppRegistration::xseries_demo(), tokens)))
}

fn kseries(sandbox: &Sandbox, tokens: (String, String)) -> OrderSource {
    let origin = LightspeedApi::Sandbox(sandbox.base_url()).kseries_origin().unwrap();
    OrderSource::KSeries(KSeriesClient::new(http(), origin, keeper(sandbox, AppRegistration::kseries_demo(), tokens)))
}

fn oseries(sandbox: &Sandbox, tokens: (String, String)) -> OrderSource {
    let origin = LightspeedApi::Sandbox(sandbox.base_url()).oseries_origin().unwrap();
    OrderSource::OSeries(OSeriesClient::new(http(), origin, keeper(sandbox, AppRegistration::oseries_demo(), tokens)))
}

/// Every page of a full pull; returns the number of orders.
async fn pull_all(source: &OrderSource) -> usize {
    let start = PullStart::default();
    let mut after: Option<String> = None;
    let mut orders = 0;
    loop {
        let page = source.page(&start, after.as_deref()).await.expect("every page arrives");
        orders += page.orders.len();
        match page.next {
            Some(next) => after = Some(next),
            None => return orders,
        }
    }
}

/// Direct GETs the budget does not see. Returns the last answer's status,
/// its headers and when it arrived.
async fn spend(url: &Url, headers: &[(&str, &str)], times: usize) -> (u16, reqwest::header::HeaderMap, Instant) {
    let client = reqwest::Client::new();
    let mut last = None;
    for _ in 0..times {
        let mut request = client.get(url.clone());
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        let response = request.send().await.unwrap();
        last = Some((response.status().as_u16(), response.headers().clone(), Instant::now()));
    }
    last.expect("at least one call")
}

fn assert_no_refusals(source: &OrderSource, platform: &str) {
    let c = source.budget().counters();
    assert_eq!(c.throttled, 0, "{platform}: no 429 or THROTTLED during the pull ({c:?})");
    println!("{platform}: {c:?}");
}

#[tokio::test]
async fn a_long_shopify_pull_waits_for_cost_points_and_is_never_throttled() {
    let sandbox = limited_sandbox(300).await;
    let source = shopify(&sandbox);
    assert_eq!(pull_all(&source).await, 300);
    assert_no_refusals(&source, "Shopify");
    let c = source.budget().counters();
    assert!(c.waited_ms > 0, "the pull spent more than the bucket and had to wait: {c:?}");
    assert_eq!(sandbox.shopify_request_count(), c.requests, "every request went through the budget");
}

#[tokio::test]
async fn a_long_bigcommerce_pull_waits_for_the_quota_window_and_gets_no_429() {
    let sandbox = limited_sandbox(100).await;
    let token = sandbox.issue_bigcommerce_token(STORE_HASH);
    // Another app on the store already spent most of this window.
    let store = sandbox.bigcommerce_origin().join(&format!("stores/{STORE_HASH}/v2/store")).unwrap();
    let (status, _, _) = spend(&store, &[("X-Auth-Token", &token), ("Accept", "application/json")], 140).await;
    assert_eq!(status, 200);
    let source = bigcommerce(&sandbox, &token);
    assert_eq!(pull_all(&source).await, 100);
    assert_no_refusals(&source, "BigCommerce");
    assert!(source.budget().counters().requests > 10, "more requests than the window had left");
}

#[tokio::test]
async fn a_long_rseries_pull_follows_the_bucket_level_and_gets_no_429() {
    let sandbox = limited_sandbox(1_500).await;
    let tokens = sandbox.issue_rseries_token(ACCOUNT);
    let account = sandbox.rseries_origin().join("API/V3/Account.json").unwrap();
    let bearer = format!("Bearer {}", tokens.0);
    // 85 of the 90 drips already in the bucket.
    let (status, _, _) = spend(&account, &[("Authorization", &bearer)], 85).await;
    assert_eq!(status, 200);
    let source = rseries(&sandbox, tokens);
    assert!(pull_all(&source).await >= 1_500);
    assert_no_refusals(&source, "R-Series");
    assert!(source.budget().counters().waited_ms > 5_000, "the pull had to wait for drips");
}

#[tokio::test]
async fn an_xseries_pull_reads_the_remaining_count_and_gets_no_429() {
    // The 5-minute window can't be crossed in a test; this one checks the
    // pull stays inside the window another client has mostly spent.
    let sandbox = limited_sandbox(400).await;
    let tokens = sandbox.issue_xseries_token(PREFIX);
    let outlets = sandbox.xseries_origin(PREFIX).join("api/2.0/outlets").unwrap();
    let bearer = format!("Bearer {}", tokens.0);
    let (status, _, _) = spend(&outlets, &[("Authorization", &bearer)], 300).await;
    assert_eq!(status, 200);
    let source = xseries(&sandbox, tokens);
    assert!(pull_all(&source).await >= 400);
    assert_no_refusals(&source, "X-Series");
}

#[tokio::test]
async fn a_long_oseries_pull_counts_its_own_minute_and_gets_no_429() {
    // 25 orders a page: more than 60 requests, so the second minute is needed.
    let sandbox = limited_sandbox(1_600).await;
    let source = oseries(&sandbox, sandbox.issue_oseries_token(COMPANY));
    assert!(pull_all(&source).await >= 1_600);
    assert_no_refusals(&source, "O-Series");
    assert!(source.budget().counters().requests > 60);
}

#[tokio::test]
async fn a_kseries_pull_gets_no_429() {
    let sandbox = limited_sandbox(300).await;
    let source = kseries(&sandbox, sandbox.issue_kseries_token(BUSINESS));
    assert!(pull_all(&source).await >= 300);
    assert_no_refusals(&source, "K-Series");
}

/// After a refusal received at `refused_at` asking for `asked`, the client's
/// next success came no sooner, and only one of its requests was refused.
fn assert_obeyed(source: &OrderSource, refused_at: Instant, asked: Duration, client_requests_seen_by_server: u64) {
    let waited = refused_at.elapsed();
    assert!(waited >= asked, "retried after {waited:?}, before the {asked:?} asked");
    let c = source.budget().counters();
    assert_eq!(c.throttled, 1, "one refusal, then a wait: {c:?}");
    assert_eq!(client_requests_seen_by_server, c.requests, "no request outside the budget: {c:?}");
}

#[tokio::test]
async fn an_rseries_429_is_waited_out_per_retry_after_not_hammered() {
    let sandbox = limited_sandbox(40).await;
    let tokens = sandbox.issue_rseries_token(ACCOUNT);
    let account = sandbox.rseries_origin().join("API/V3/Account.json").unwrap();
    let bearer = format!("Bearer {}", tokens.0);
    let (status, headers, refused_at) = spend(&account, &[("Authorization", &bearer)], 92).await;
    assert_eq!(status, 429, "the outside calls overflowed the bucket");
    let asked = Duration::from_secs(headers["retry-after"].to_str().unwrap().parse().unwrap());
    let before = sandbox.rseries_request_count();
    let source = rseries(&sandbox, tokens);
    assert!(!source.check().await.unwrap().is_empty());
    assert_obeyed(&source, refused_at, asked, sandbox.rseries_request_count() - before);
    assert_eq!(source.budget().counters().requests, 2, "the refused request and its one resend");
}

#[tokio::test]
async fn a_bigcommerce_429_is_waited_out_until_the_quota_resets() {
    let sandbox = limited_sandbox(40).await;
    let token = sandbox.issue_bigcommerce_token(STORE_HASH);
    let store = sandbox.bigcommerce_origin().join(&format!("stores/{STORE_HASH}/v2/store")).unwrap();
    let (status, headers, refused_at) = spend(&store, &[("X-Auth-Token", &token), ("Accept", "application/json")], 151).await;
    assert_eq!(status, 429);
    let reset_ms: u64 = headers["x-rate-limit-time-reset-ms"].to_str().unwrap().parse().unwrap();
    let before = sandbox.bigcommerce_request_count();
    let source = bigcommerce(&sandbox, &token);
    assert!(!source.check().await.unwrap().is_empty());
    assert_obeyed(&source, refused_at, Duration::from_millis(reset_ms), sandbox.bigcommerce_request_count() - before);
    assert_eq!(source.budget().counters().requests, 2);
}

#[tokio::test]
async fn a_kseries_429_is_waited_out_per_retry_after_not_hammered() {
    let sandbox = limited_sandbox(40).await;
    let tokens = sandbox.issue_kseries_token(BUSINESS);
    let businesses = sandbox.kseries_origin().join("f/data/businesses").unwrap();
    let bearer = format!("Bearer {}", tokens.0);
    let (status, headers, refused_at) = spend(&businesses, &[("Authorization", &bearer)], 301).await;
    assert_eq!(status, 429);
    let asked = Duration::from_secs(headers["retry-after"].to_str().unwrap().parse().unwrap());
    let before = sandbox.kseries_request_count();
    let source = kseries(&sandbox, tokens);
    assert!(!source.check().await.unwrap().is_empty());
    assert_obeyed(&source, refused_at, asked, sandbox.kseries_request_count() - before);
    assert_eq!(source.budget().counters().requests, 2);
}

#[tokio::test]
async fn a_shopify_throttle_is_waited_out_until_the_bucket_holds_the_query() {
    let sandbox = limited_sandbox(200).await;
    let token = sandbox.issue_shopify_token(SHOP);
    let endpoint = sandbox.shopify_origin(SHOP).join(&format!("admin/api/{}/graphql.json", counterline_channels::shopify::SHOPIFY_API_VERSION)).unwrap();
    let expensive = serde_json::json!({ "query": "{ orders(first: 40) { nodes { id lineItems(first: 20) { nodes { id name } } } } }" });
    let direct = reqwest::Client::new();
    let mut throttled = false;
    for _ in 0..40 {
        let body: serde_json::Value = direct
            .post(endpoint.clone())
            .header("X-Shopify-Access-Token", &token)
            .json(&expensive)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        if body["errors"][0]["extensions"]["code"] == "THROTTLED" {
            throttled = true;
            break;
        }
    }
    assert!(throttled, "the outside queries drained the bucket");
    let before = sandbox.shopify_request_count();
    let source = shopify(&sandbox);
    let page = source.page(&PullStart::default(), None).await.expect("the page arrives after the wait");
    assert!(!page.orders.is_empty());
    let c = source.budget().counters();
    assert_eq!(c.throttled, 1, "one THROTTLED, then a wait for the bucket: {c:?}");
    assert_eq!(c.requests, 2, "the throttled query and its one resend: {c:?}");
    assert_eq!(sandbox.shopify_request_count() - before, 2, "no request outside the budget");
    // The throttle left the bucket short of the query by a fraction of a
    // second's restore; the resend waited for that, and the server took it.
    assert!(c.waited_ms > 0, "the resend waited for the bucket to refill: {c:?}");
}
