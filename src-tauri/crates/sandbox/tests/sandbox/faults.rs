//! The fault profile and the offline switch: a client that retries reads
//! exactly the truth through every kind of fault, each kind answers in its
//! platform's shape and is counted, the same seed gives the same faults,
//! and offline means no connection at all.

use std::time::Duration;

use counterline_sandbox::{
    AppRegistration, BigCommerceStore, FaultCounts, FaultProfile, RSeriesAccount, Sandbox,
    SandboxConfig,
};
use serde_json::{json, Value};
use url::Url;

use super::{config, graphql_url, SHOP};

/// How long the test client waits for an answer; the sandbox holds a
/// timed-out answer [`DELAY`], well past it.
const CLIENT_TIMEOUT: Duration = Duration::from_millis(800);
const DELAY: Duration = Duration::from_millis(2_000);
const PAGE: usize = 10;
const RELATIONS: &str = r#"["SaleLines","Customer","Customer.Contact"]"#;

/// Every kind at once, at rates far above any real platform's, so a walk of
/// a few pages meets them all.
fn harsh(seed: u64) -> FaultProfile {
    FaultProfile {
        seed,
        server_error: 0.12,
        timeout: 0.05,
        truncate: 0.12,
        burst429: 0.06,
        expire: 0.15,
        timeout_delay: DELAY,
        burst_len: 2..=3,
        retry_after: Duration::from_secs(1),
    }
}

fn only(seed: u64, set: impl FnOnce(&mut FaultProfile)) -> FaultProfile {
    let mut p = FaultProfile {
        seed,
        timeout_delay: DELAY,
        burst_len: 3..=3,
        ..FaultProfile::default()
    };
    set(&mut p);
    p
}

async fn start_with(order_count: usize, faults: FaultProfile) -> Sandbox {
    Sandbox::start(SandboxConfig {
        faults,
        ..config(order_count)
    })
    .await
    .expect("the sandbox starts with a fault profile")
}

/// A client that gives up like a sync engine would.
fn impatient() -> reqwest::Client {
    reqwest::Client::builder()
        .timeout(CLIENT_TIMEOUT)
        .build()
        .expect("a reqwest client builds")
}

/// What one attempt got, as a retrying client sorts it.
#[derive(Debug, PartialEq)]
enum Outcome {
    /// A 200 with well-formed JSON, or a 204 (as `null`).
    Data(Value),
    /// The client gave up waiting.
    TimedOut,
    /// No HTTP answer at all.
    NoConnection,
    /// A 200 whose body is not JSON.
    Malformed,
    /// Any other status.
    Status(u16),
}

async fn attempt(request: reqwest::RequestBuilder) -> Outcome {
    let response = match request.send().await {
        Ok(r) => r,
        Err(e) if e.is_timeout() => return Outcome::TimedOut,
        Err(_) => return Outcome::NoConnection,
    };
    let status = response.status().as_u16();
    if status == 204 {
        return Outcome::Data(Value::Null);
    }
    if status != 200 {
        return Outcome::Status(status);
    }
    match response.bytes().await {
        Ok(body) => serde_json::from_slice(&body).map_or(Outcome::Malformed, Outcome::Data),
        Err(e) if e.is_timeout() => Outcome::TimedOut,
        Err(_) => Outcome::NoConnection,
    }
}

/// Retries (without honouring `Retry-After`, to keep the test quick) until
/// `make` gets data, calling `on_401` to refresh when told to. Panics on
/// anything a sync could not recover from, and after too many attempts.
async fn retrying(
    mut make: impl FnMut() -> reqwest::RequestBuilder,
    mut on_401: impl AsyncFnMut(),
    attempts: &mut usize,
) -> Value {
    for _ in 0..60 {
        *attempts += 1;
        match attempt(make()).await {
            Outcome::Data(v) => return v,
            Outcome::Status(401) => on_401().await,
            Outcome::Status(429 | 500 | 502 | 503)
            | Outcome::TimedOut
            | Outcome::Malformed
            | Outcome::NoConnection => {}
            Outcome::Status(other) => panic!("status {other} is not a fault a retry fixes"),
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    panic!("sixty attempts in a row failed: faults must be transient")
}

const SHOPIFY_PAGE: &str = r#"
query Page($first: Int!, $after: String) {
  orders(first: $first, after: $after, sortKey: UPDATED_AT) {
    pageInfo { hasNextPage endCursor }
    nodes {
      id legacyResourceId name createdAt updatedAt cancelledAt closed email
      currencyCode displayFinancialStatus tags
      totalPriceSet { shopMoney { amount currencyCode } presentmentMoney { amount currencyCode } }
      totalRefundedSet { shopMoney { amount currencyCode } presentmentMoney { amount currencyCode } }
    }
  }
}"#;

const SHOPIFY_FIELDS: &[&str] = &[
    "id",
    "legacyResourceId",
    "name",
    "createdAt",
    "updatedAt",
    "cancelledAt",
    "closed",
    "email",
    "currencyCode",
    "displayFinancialStatus",
    "tags",
    "totalPriceSet",
    "totalRefundedSet",
];

async fn shopify_walk(sandbox: &Sandbox, attempts: &mut usize) -> Vec<Value> {
    let token = sandbox.issue_shopify_token(SHOP);
    let client = impatient();
    let mut orders = Vec::new();
    let mut after: Option<String> = None;
    loop {
        let variables = json!({"first": PAGE, "after": after});
        let body = loop {
            let body = retrying(
                || {
                    client
                        .post(graphql_url(sandbox))
                        .header("X-Shopify-Access-Token", &token)
                        .json(&json!({"query": SHOPIFY_PAGE, "variables": variables}))
                },
                async || panic!("a Shopify offline token never expires"),
                attempts,
            )
            .await;
            // Shopify throttles inside GraphQL: a 200 with THROTTLED.
            if body["errors"][0]["extensions"]["code"] != "THROTTLED" {
                break body;
            }
        };
        let page = &body["data"]["orders"];
        let nodes = page["nodes"]
            .as_array()
            .unwrap_or_else(|| panic!("a page of orders: {body}"));
        orders.extend(nodes.iter().cloned());
        if page["pageInfo"]["hasNextPage"] != true {
            return orders;
        }
        after = page["pageInfo"]["endCursor"].as_str().map(str::to_owned);
    }
}

async fn bigcommerce_walk(sandbox: &Sandbox, attempts: &mut usize) -> Vec<Value> {
    let store = BigCommerceStore::default();
    let client = impatient();
    let mut orders = Vec::new();
    for page in 1.. {
        let mut url = sandbox
            .bigcommerce_origin()
            .join(&format!("stores/{}/v2/orders", store.store_hash))
            .expect("joins");
        url.query_pairs_mut()
            .append_pair("sort", "date_modified:asc")
            .append_pair("limit", &PAGE.to_string())
            .append_pair("page", &page.to_string());
        let body = retrying(
            || {
                client
                    .get(url.clone())
                    .header("X-Auth-Token", &store.access_token)
            },
            async || panic!("a BigCommerce API account's token never expires"),
            attempts,
        )
        .await;
        match body {
            Value::Null => return orders, // the 204 after the last page
            Value::Array(page) => orders.extend(page),
            other => panic!("a page is an array: {other}"),
        }
    }
    unreachable!()
}

fn rseries_token(
    sandbox: &Sandbox,
    grant_type: &str,
    field: &str,
    value: &str,
) -> reqwest::RequestBuilder {
    let app = AppRegistration::rseries_demo();
    reqwest::Client::new()
        .post(
            sandbox
                .rseries_auth_origin()
                .join("auth/oauth/token")
                .expect("joins"),
        )
        .form(&[
            ("client_id", app.client_id.as_str()),
            ("client_secret", app.client_secret.as_str()),
            ("grant_type", grant_type),
            (field, value),
        ])
}

/// Refreshes R-Series tokens with the rotating refresh token, retrying
/// the token endpoint's 5xx; returns how many 5xx it met.
async fn rseries_refresh(sandbox: &Sandbox, refresh: &mut String, access: &mut String) -> u64 {
    let mut failures = 0;
    loop {
        let response = rseries_token(sandbox, "refresh_token", "refresh_token", refresh)
            .send()
            .await
            .expect("the token endpoint always answers (it gets no timeouts)");
        let status = response.status().as_u16();
        if matches!(status, 500 | 502 | 503) {
            failures += 1;
            assert!(failures < 20, "token endpoint faults are transient");
            continue;
        }
        assert_eq!(
            status, 200,
            "the refresh token is still good after 5xx answers"
        );
        let body: Value = response.json().await.expect("JSON");
        *access = body["access_token"].as_str().expect("access").to_owned();
        *refresh = body["refresh_token"].as_str().expect("refresh").to_owned();
        return failures;
    }
}

/// The sales, the refreshes made, and the 5xx the refreshes met.
async fn rseries_walk(sandbox: &Sandbox, attempts: &mut usize) -> (Vec<Value>, usize, u64) {
    let id = RSeriesAccount::default().account_id;
    let (access, refresh) = sandbox.issue_rseries_token(id);
    let tokens = std::cell::RefCell::new((access, refresh));
    let mut refreshes = 0;
    let mut refresh_failures = 0;
    let client = impatient();
    let mut url = sandbox
        .rseries_origin()
        .join(&format!("API/V3/Account/{id}/Sale.json"))
        .expect("joins");
    url.query_pairs_mut()
        .append_pair("sort", "timeStamp")
        .append_pair("limit", &PAGE.to_string())
        .append_pair("load_relations", RELATIONS);
    let mut sales = Vec::new();
    loop {
        let page = retrying(
            || client.get(url.clone()).bearer_auth(&tokens.borrow().0),
            async || {
                let (mut access, mut refresh) = tokens.borrow().clone();
                refresh_failures += rseries_refresh(sandbox, &mut refresh, &mut access).await;
                *tokens.borrow_mut() = (access, refresh);
                refreshes += 1;
            },
            attempts,
        )
        .await;
        match &page["Sale"] {
            Value::Array(batch) => sales.extend(batch.iter().cloned()),
            Value::Null => {}
            one => sales.push(one.clone()),
        }
        let next = page["@attributes"]["next"].as_str().expect("next");
        if next.is_empty() {
            return (sales, refreshes, refresh_failures);
        }
        url = Url::parse(next).expect("next is absolute");
    }
}

fn project(order: &Value, fields: &[&str]) -> Value {
    Value::Object(
        fields
            .iter()
            .map(|f| ((*f).to_owned(), order[*f].clone()))
            .collect(),
    )
}

#[tokio::test]
async fn a_client_that_retries_reads_every_order_exactly_through_every_kind_of_fault() {
    let sandbox = start_with(200, harsh(11)).await;
    let mut attempts = 0;

    let shopify = shopify_walk(&sandbox, &mut attempts).await;
    let truth: Vec<Value> = sandbox
        .shopify_orders(SHOP)
        .iter()
        .map(|o| project(o, SHOPIFY_FIELDS))
        .collect();
    assert_eq!(
        shopify, truth,
        "Shopify: every order, once, with exactly the truth's values despite the faults"
    );

    let bigcommerce = bigcommerce_walk(&sandbox, &mut attempts).await;
    assert_eq!(
        bigcommerce,
        sandbox.bigcommerce_orders(&BigCommerceStore::default().store_hash),
        "BigCommerce: every order, once, exactly as the truth has it"
    );

    let (rseries, refreshes, refresh_failures) = rseries_walk(&sandbox, &mut attempts).await;
    assert_eq!(
        rseries,
        sandbox.rseries_sales(RSeriesAccount::default().account_id),
        "R-Series: every sale, once, exactly as the truth has it"
    );

    let counts = sandbox.faults_injected();
    let pages = truth.len().div_ceil(PAGE)
        + bigcommerce.len().div_ceil(PAGE)
        + 1
        + rseries.len().div_ceil(PAGE);
    assert!(
        attempts > pages,
        "faults cost retries: {attempts} attempts for {pages} pages ({counts:?})"
    );
    assert!(
        counts.server_errors > 0
            && counts.timeouts > 0
            && counts.truncations > 0
            && counts.bursts > 0
            && counts.throttled >= 2 * counts.bursts
            && counts.expiries > 0,
        "the walks met every kind of fault, and each burst gave at least two 429s: {counts:?}"
    );
    assert_eq!(
        refreshes as u64, counts.expiries,
        "every expiry (R-Series is the only walk with expiring tokens) cost one refresh"
    );
    assert_eq!(
        refresh_failures, counts.refresh_errors,
        "every 5xx a refresh met was counted, and refreshes got no other fault"
    );
    sandbox.shutdown().await;
}

/// `Account/{id}/Sale.json?limit=5` with `token`.
fn rseries_sales(
    sandbox: &Sandbox,
    client: &reqwest::Client,
    token: &str,
) -> reqwest::RequestBuilder {
    let id = RSeriesAccount::default().account_id;
    client
        .get(
            sandbox
                .rseries_origin()
                .join(&format!("API/V3/Account/{id}/Sale.json?limit=5"))
                .expect("joins"),
        )
        .bearer_auth(token)
}

fn since(before: FaultCounts, after: FaultCounts) -> FaultCounts {
    FaultCounts {
        server_errors: after.server_errors - before.server_errors,
        timeouts: after.timeouts - before.timeouts,
        truncations: after.truncations - before.truncations,
        bursts: after.bursts - before.bursts,
        throttled: after.throttled - before.throttled,
        expiries: after.expiries - before.expiries,
        refresh_errors: after.refresh_errors - before.refresh_errors,
    }
}

#[tokio::test]
async fn each_kind_of_fault_answers_in_the_platforms_shape_and_is_counted() {
    let sandbox = start_with(40, FaultProfile::default()).await;
    let client = impatient();
    let (mut access, mut refresh) =
        sandbox.issue_rseries_token(RSeriesAccount::default().account_id);

    // 5xx: R-Series' error body on 500 and 503, Retry-After on 503, a
    // gateway's HTML on 502.
    let before = sandbox.faults_injected();
    sandbox.set_faults(only(3, |p| p.server_error = 1.0));
    let mut seen = Vec::new();
    for _ in 0..12 {
        let response = rseries_sales(&sandbox, &client, &access)
            .send()
            .await
            .expect("answers");
        let status = response.status().as_u16();
        let retry_after = response.headers().get("retry-after").cloned();
        let text = response.text().await.expect("a body");
        match status {
            500 | 503 => {
                let body: Value = serde_json::from_str(&text).expect("R-Series errors are JSON");
                assert_eq!(
                    body["httpCode"],
                    status.to_string(),
                    "R-Series' error shape: {body}"
                );
                assert_eq!(
                    retry_after.is_some(),
                    status == 503,
                    "only a 503 says when to come back"
                );
            }
            502 => assert!(text.contains("502 Bad Gateway"), "a gateway's page: {text}"),
            other => panic!("a 5xx fault answered {other}"),
        }
        seen.push(status);
    }
    seen.sort_unstable();
    seen.dedup();
    assert_eq!(
        seen,
        [500, 502, 503],
        "twelve draws with seed 3 meet all three statuses"
    );
    assert_eq!(
        since(before, sandbox.faults_injected()),
        FaultCounts {
            server_errors: 12,
            ..FaultCounts::default()
        },
        "each 5xx is counted, and nothing else happened"
    );

    // Token endpoints: a refresh can get a 5xx (and its token still
    // works after); an authorization-code exchange never does.
    let before = sandbox.faults_injected();
    let response = rseries_token(&sandbox, "refresh_token", "refresh_token", &refresh)
        .send()
        .await
        .expect("answers");
    assert!(
        response.status().is_server_error(),
        "a refresh under 5xx=1 fails: {}",
        response.status()
    );
    let response = rseries_token(&sandbox, "authorization_code", "code", "no-such-code")
        .send()
        .await
        .expect("answers");
    assert_eq!(
        response.status(),
        400,
        "a code exchange reaches the real endpoint (and this code is unknown)"
    );
    assert_eq!(since(before, sandbox.faults_injected()).refresh_errors, 1);

    // Timeout: the answer comes too late for the client.
    sandbox.set_faults(only(3, |p| p.timeout = 1.0));
    let before = sandbox.faults_injected();
    assert_eq!(
        attempt(rseries_sales(&sandbox, &client, &access)).await,
        Outcome::TimedOut,
        "the client gave up before the delayed answer"
    );
    assert_eq!(since(before, sandbox.faults_injected()).timeouts, 1);

    // Truncated: a 200 whose Content-Length matches the shortened body.
    sandbox.set_faults(only(3, |p| p.truncate = 1.0));
    let before = sandbox.faults_injected();
    let response = rseries_sales(&sandbox, &client, &access)
        .send()
        .await
        .expect("answers");
    assert_eq!(response.status(), 200, "a truncated answer still says 200");
    let declared: usize = response.headers()["content-length"]
        .to_str()
        .ok()
        .and_then(|v| v.parse().ok())
        .expect("a Content-Length");
    let body = response
        .bytes()
        .await
        .expect("the whole declared body arrives promptly");
    assert_eq!(body.len(), declared, "Content-Length is what was sent");
    assert!(
        serde_json::from_slice::<Value>(&body).is_err(),
        "the JSON is cut off part way"
    );
    assert_eq!(since(before, sandbox.faults_injected()).truncations, 1);

    // 429 burst: three in a row with R-Series' bucket headers, then data.
    sandbox.set_faults(only(3, |p| p.burst429 = 1.0));
    let before = sandbox.faults_injected();
    for n in 0..3 {
        let response = rseries_sales(&sandbox, &client, &access)
            .send()
            .await
            .expect("answers");
        assert_eq!(
            response.status(),
            429,
            "answer {n} of the burst is rate-limited"
        );
        assert_eq!(
            response.headers()["retry-after"],
            "1",
            "a short Retry-After for tests"
        );
        assert!(
            response.headers().contains_key("x-ls-api-bucket-level"),
            "the bucket headers come with it, as on a real overflow"
        );
    }
    sandbox.set_faults(FaultProfile::default());
    let response = rseries_sales(&sandbox, &client, &access)
        .send()
        .await
        .expect("answers");
    assert_eq!(
        response.status(),
        200,
        "with faults off the account reads again"
    );
    let counted = since(before, sandbox.faults_injected());
    assert_eq!(
        (counted.bursts, counted.throttled),
        (1, 3),
        "one burst of three 429s"
    );

    // Expiry: R-Series' own 401 for an expired token; a refresh mends it.
    sandbox.set_faults(only(3, |p| p.expire = 1.0));
    let before = sandbox.faults_injected();
    let response = rseries_sales(&sandbox, &client, &access)
        .send()
        .await
        .expect("answers");
    assert_eq!(response.status(), 401, "the token lapsed mid-sync");
    let body: Value = response.json().await.expect("JSON");
    assert_eq!(
        body["message"], "Expired access token.",
        "the expired, not the unknown, 401"
    );
    let response = rseries_sales(&sandbox, &client, &access)
        .send()
        .await
        .expect("answers");
    assert_eq!(response.status(), 401, "the lapsed token stays lapsed");
    assert_eq!(
        since(before, sandbox.faults_injected()).expiries,
        1,
        "a second draw finds no live token to lapse, so it is not counted"
    );
    sandbox.set_faults(FaultProfile::default());
    rseries_refresh(&sandbox, &mut refresh, &mut access).await;
    let response = rseries_sales(&sandbox, &client, &access)
        .send()
        .await
        .expect("answers");
    assert_eq!(response.status(), 200, "the rotated tokens work");

    // Shopify: expiry draws nothing (offline tokens never expire); a burst
    // is GraphQL's THROTTLED with the query's cost.
    let token = sandbox.issue_shopify_token(SHOP);
    let gql = || {
        client
            .post(graphql_url(&sandbox))
            .header("X-Shopify-Access-Token", &token)
            .json(&json!({"query": "{ orders(first: 5) { nodes { id } } }"}))
    };
    sandbox.set_faults(only(3, |p| p.expire = 1.0));
    let before = sandbox.faults_injected();
    assert!(
        matches!(attempt(gql()).await, Outcome::Data(v) if v["data"]["orders"]["nodes"].is_array()),
        "Shopify answers normally under an expiry-only profile"
    );
    assert_eq!(
        since(before, sandbox.faults_injected()),
        FaultCounts::default()
    );
    sandbox.set_faults(only(3, |p| p.burst429 = 1.0));
    let Outcome::Data(body) = attempt(gql()).await else {
        panic!("Shopify throttles with a 200");
    };
    assert_eq!(
        body["errors"][0]["extensions"]["code"], "THROTTLED",
        "{body}"
    );
    let cost = &body["extensions"]["cost"];
    assert!(
        cost["requestedQueryCost"].as_u64().is_some_and(|c| c > 0)
            && cost["actualQueryCost"].is_null(),
        "the throttle reports the query's own cost: {cost}"
    );
    assert_eq!(since(before, sandbox.faults_injected()).throttled, 1);
    sandbox.shutdown().await;
}

/// What a client sees for `n` identical BigCommerce requests.
async fn outcomes(sandbox: &Sandbox, n: usize) -> Vec<String> {
    let store = BigCommerceStore::default();
    let client = impatient();
    let url = sandbox
        .bigcommerce_origin()
        .join(&format!("stores/{}/v2/orders?limit=5", store.store_hash))
        .expect("joins");
    let mut seen = Vec::new();
    for _ in 0..n {
        let outcome = attempt(
            client
                .get(url.clone())
                .header("X-Auth-Token", &store.access_token),
        )
        .await;
        seen.push(match outcome {
            Outcome::Data(_) => "data".to_owned(),
            other => format!("{other:?}"),
        });
    }
    seen
}

#[tokio::test]
async fn the_same_seed_gives_the_same_faults_and_another_seed_others() {
    let profile = FaultProfile {
        timeout_delay: Duration::from_millis(1_600),
        ..harsh(5)
    };
    let first = start_with(30, profile.clone()).await;
    let second = start_with(30, profile.clone()).await;
    let a = outcomes(&first, 40).await;
    let b = outcomes(&second, 40).await;
    assert_eq!(
        a, b,
        "two sandboxes with the same fault seed fault the same requests the same way"
    );
    assert!(
        a.iter().any(|o| o == "data") && a.iter().any(|o| o != "data"),
        "the sequence mixes faults and data: {a:?}"
    );
    second.set_faults(FaultProfile {
        seed: 6,
        ..profile.clone()
    });
    let c = outcomes(&second, 40).await;
    assert_ne!(a, c, "another seed faults other requests");
    second.set_faults(profile);
    let again = outcomes(&second, 40).await;
    assert_eq!(
        a, again,
        "setting the profile again replays its sequence from the start"
    );
    first.shutdown().await;
    second.shutdown().await;
}

#[tokio::test]
async fn offline_gives_no_connection_on_any_platform_until_back_online() {
    let sandbox = start_with(20, FaultProfile::default()).await;
    let store = BigCommerceStore::default();
    let client = impatient();
    let orders = sandbox
        .bigcommerce_origin()
        .join(&format!("stores/{}/v2/orders?limit=5", store.store_hash))
        .expect("joins");
    let bigcommerce = || {
        client
            .get(orders.clone())
            .header("X-Auth-Token", &store.access_token)
    };
    assert!(
        matches!(attempt(bigcommerce()).await, Outcome::Data(_)),
        "online, it answers"
    );

    sandbox.set_offline(true);
    assert!(sandbox.is_offline());
    let received = sandbox.bigcommerce_request_count();
    assert_eq!(
        attempt(bigcommerce()).await,
        Outcome::NoConnection,
        "the kept-alive connection fails without an answer"
    );
    let fresh = reqwest::Client::new();
    for url in [
        graphql_url(&sandbox),
        sandbox
            .rseries_auth_origin()
            .join("auth/oauth/token")
            .expect("joins"),
        sandbox.base_url(),
    ] {
        let result = fresh.post(url.clone()).send().await;
        let error = result
            .err()
            .unwrap_or_else(|| panic!("{url} must not answer while offline"));
        assert!(
            error.status().is_none() && !error.is_timeout(),
            "{url} fails at the connection, promptly: {error}"
        );
    }
    assert_eq!(
        sandbox.bigcommerce_request_count(),
        received,
        "no request reached HTTP while offline"
    );

    sandbox.set_offline(false);
    assert!(!sandbox.is_offline());
    // The pool may still hold a connection the sandbox cut; a client
    // notices that on use, so allow one retry.
    let mut back = attempt(bigcommerce()).await;
    if back == Outcome::NoConnection {
        back = attempt(bigcommerce()).await;
    }
    assert!(
        matches!(back, Outcome::Data(_)),
        "back online, it answers: {back:?}"
    );
    sandbox.shutdown().await;
}
