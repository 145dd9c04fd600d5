//! Lightspeed O-Series (Kounta) as Counterline meets it: the consent page,
//! codes and rotating tokens at `/v1/token.json`, `companies/me`, orders
//! paged with `X-Page`/`X-Pages` and filtered by `created_*` and the
//! updated-since filter, and the same shoppers as on the other platforms.

use std::collections::{HashMap, HashSet};

use serde_json::Value;
use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;
use url::Url;

use super::{client, config, decimal_cents, hidden_fields, location, query_param, start, SHOP};
use counterline_sandbox::{AppRegistration, OSeriesCompany, Sandbox, SandboxConfig};

const LOOPBACK: &str = "http://127.0.0.1:47125/oseries/callback";
const PAGE_SIZE: usize = 25;

fn company() -> u64 {
    OSeriesCompany::default().company_id
}

fn app() -> AppRegistration {
    AppRegistration::oseries_demo()
}

/// Plays the browser: the authorize page, then the merchant's click.
async fn consent(sandbox: &Sandbox, decision: &str) -> Url {
    let mut url = sandbox
        .oseries_auth_origin()
        .join("authorize")
        .expect("joins");
    url.query_pairs_mut()
        .append_pair("client_id", &app().client_id)
        .append_pair("redirect_uri", LOOPBACK)
        .append_pair("state", "os-state")
        .append_pair("response_type", "code");
    let response = client().get(url).send().await.expect("answers");
    assert_eq!(response.status(), 200, "the consent page is served");
    let html = response.text().await.expect("HTML");
    assert!(html.contains(r#"action="/oseries-auth/authorize/decision""#));
    assert!(
        html.contains("Counterline Demo Café"),
        "the company is named"
    );
    let mut form = hidden_fields(&html);
    form.push(("decision".into(), decision.into()));
    let response = client()
        .post(
            sandbox
                .oseries_auth_origin()
                .join("authorize/decision")
                .expect("joins"),
        )
        .form(&form)
        .send()
        .await
        .expect("answers");
    assert_eq!(response.status(), 302, "the decision redirects back");
    location(&response)
}

async fn post_token(sandbox: &Sandbox, form: &[(&str, &str)]) -> (u16, Value) {
    let url = sandbox
        .oseries_origin()
        .join("v1/token.json")
        .expect("joins");
    let response = client().post(url).form(form).send().await.expect("answers");
    let status = response.status().as_u16();
    (status, response.json().await.expect("JSON"))
}

async fn exchange(sandbox: &Sandbox, code: &str, secret: &str) -> (u16, Value) {
    let app = app();
    post_token(
        sandbox,
        &[
            ("grant_type", "authorization_code"),
            ("code", code),
            ("redirect_uri", LOOPBACK),
            ("client_id", &app.client_id),
            ("client_secret", secret),
        ],
    )
    .await
}

async fn refresh(sandbox: &Sandbox, refresh_token: &str) -> (u16, Value) {
    let app = app();
    post_token(
        sandbox,
        &[
            ("grant_type", "refresh_token"),
            ("refresh_token", refresh_token),
            ("client_id", &app.client_id),
            ("client_secret", &app.client_secret),
        ],
    )
    .await
}

/// GETs `v1/{path}` with `X-Page: page`.
async fn get(sandbox: &Sandbox, token: &str, path: &str, page: usize) -> reqwest::Response {
    let url = sandbox
        .oseries_origin()
        .join(&format!("v1/{path}"))
        .expect("joins");
    client()
        .get(url)
        .bearer_auth(token)
        .header("X-Page", page.to_string())
        .send()
        .await
        .expect("answers")
}

fn orders_path(query: &str) -> String {
    format!("companies/{}/orders.json{query}", company())
}

/// Walks `X-Page` from 0 to `X-Pages − 1`; returns the orders and `X-Pages`.
async fn walk(sandbox: &Sandbox, token: &str, path: &str) -> (Vec<Value>, usize) {
    let mut orders = Vec::new();
    let mut pages = 1;
    let mut page = 0;
    while page < pages {
        let response = get(sandbox, token, path, page).await;
        assert_eq!(response.status(), 200, "{path} page {page} is served");
        let header = |name: &str| -> usize {
            response.headers()[name]
                .to_str()
                .ok()
                .and_then(|v| v.parse().ok())
                .unwrap_or_else(|| panic!("{name} is a number"))
        };
        pages = header("x-pages");
        assert_eq!(header("x-page"), page, "X-Page is echoed");
        let batch: Vec<Value> = response.json().await.expect("a JSON array");
        assert!(batch.len() <= PAGE_SIZE, "a page holds at most {PAGE_SIZE}");
        orders.extend(batch);
        page += 1;
    }
    (orders, pages)
}

fn time(v: &Value) -> i64 {
    let s = v.as_str().unwrap_or_else(|| panic!("{v} is a time"));
    assert!(s.ends_with("+10:00"), "{s} is in the company's zone");
    OffsetDateTime::parse(s, &Rfc3339)
        .unwrap_or_else(|e| panic!("{s} is ISO 8601: {e}"))
        .unix_timestamp()
}

fn ids(orders: &[Value]) -> Vec<u64> {
    orders
        .iter()
        .map(|o| o["id"].as_u64().expect("a numeric id"))
        .collect()
}

#[tokio::test]
async fn consent_gives_a_single_use_code_and_the_token_opens_the_company() {
    let sandbox = start(20).await;
    let callback = consent(&sandbox, "approve").await;
    assert!(callback.as_str().starts_with(LOOPBACK), "back to the app");
    assert_eq!(query_param(&callback, "state").as_deref(), Some("os-state"));
    let code = query_param(&callback, "code").expect("a code");

    let (status, token) = exchange(&sandbox, &code, &app().client_secret).await;
    assert_eq!(status, 200, "the code exchanges: {token}");
    assert_eq!(token["token_type"], "Bearer");
    assert_eq!(token["expires_in"], 3_600, "access tokens expire");
    assert!(token["refresh_token"].is_string());
    let (status, again) = exchange(&sandbox, &code, &app().client_secret).await;
    assert_eq!(
        (status, again["error"].as_str()),
        (400, Some("invalid_grant")),
        "a code works once"
    );

    let access = token["access_token"].as_str().expect("access token");
    let me: Value = get(&sandbox, access, "companies/me.json", 0)
        .await
        .json()
        .await
        .expect("JSON");
    assert_eq!(me["id"], company(), "the app learns its company id");
    assert_eq!(me["name"], "Counterline Demo Café");
    assert_eq!(me["currency"], "AUD");
    assert_eq!(
        sandbox.oseries_issued_tokens(company()),
        vec![access.to_owned()]
    );

    let denied = consent(&sandbox, "deny").await;
    assert_eq!(
        query_param(&denied, "error").as_deref(),
        Some("access_denied")
    );
    assert_eq!(query_param(&denied, "state").as_deref(), Some("os-state"));
    assert!(
        query_param(&denied, "code").is_none(),
        "no code when denied"
    );
    sandbox.shutdown().await;
}

#[tokio::test]
async fn a_wrong_secret_is_refused_and_refresh_tokens_rotate() {
    let sandbox = start(20).await;
    let code = query_param(&consent(&sandbox, "approve").await, "code").expect("a code");
    let (status, wrong) = exchange(&sandbox, &code, "not-the-secret").await;
    assert_eq!(
        (status, wrong["error"].as_str()),
        (400, Some("invalid_client"))
    );

    let (_, first_refresh) = sandbox.issue_oseries_token(company());
    let (status, second) = refresh(&sandbox, &first_refresh).await;
    assert_eq!(status, 200, "the refresh token works: {second}");
    let second_refresh = second["refresh_token"]
        .as_str()
        .expect("a new refresh token");
    assert_ne!(second_refresh, first_refresh, "the refresh token rotates");
    let (status, reused) = refresh(&sandbox, &first_refresh).await;
    assert_eq!(
        (status, reused["error"].as_str()),
        (400, Some("invalid_grant")),
        "the used one fails"
    );
    let (status, _) = refresh(&sandbox, second_refresh).await;
    assert_eq!(status, 200, "the newest one works");
    sandbox.shutdown().await;
}

#[tokio::test]
async fn expired_revoked_and_foreign_tokens_are_refused() {
    let sandbox = start(20).await;
    let (access, refresh_token) = sandbox.issue_oseries_token(company());
    assert_eq!(
        get(&sandbox, &access, &orders_path(""), 0).await.status(),
        200
    );

    sandbox.expire_oseries_access_tokens();
    let expired = get(&sandbox, &access, &orders_path(""), 0).await;
    assert_eq!(expired.status(), 401, "an expired access token is refused");
    assert!(expired.headers().contains_key("www-authenticate"));
    let body: Value = expired.json().await.expect("JSON");
    assert_eq!(body["error"], "invalid_token");
    assert_eq!(
        body["error_description"],
        "The access token provided has expired"
    );

    let (_, renewed) = refresh(&sandbox, &refresh_token).await;
    let fresh = renewed["access_token"]
        .as_str()
        .expect("a new access token");
    assert_eq!(
        get(&sandbox, fresh, &orders_path(""), 0).await.status(),
        200
    );
    let foreign = get(&sandbox, fresh, "companies/999/orders.json", 0).await;
    assert_eq!(
        foreign.status(),
        403,
        "another company's orders are not this token's"
    );

    sandbox.revoke_oseries_tokens(company());
    assert_eq!(
        get(&sandbox, fresh, &orders_path(""), 0).await.status(),
        401
    );
    let (status, _) = refresh(&sandbox, renewed["refresh_token"].as_str().unwrap_or("")).await;
    assert_eq!(status, 400, "revoking ends the refresh token too");
    sandbox.shutdown().await;
}

#[tokio::test]
async fn walking_x_page_visits_every_order_exactly_once() {
    let sandbox = start(600).await;
    let (token, _) = sandbox.issue_oseries_token(company());
    let truth = sandbox.oseries_orders(company());
    let before = sandbox.oseries_request_count();
    let (orders, pages) = walk(&sandbox, &token, &orders_path("")).await;
    assert_eq!(
        pages,
        truth.len().div_ceil(PAGE_SIZE),
        "X-Pages counts every page"
    );
    assert_eq!(
        sandbox.oseries_request_count() - before,
        pages as u64,
        "one request a page"
    );
    assert_eq!(
        orders, truth,
        "the walk sees exactly the truth, in id order"
    );
    let unique: HashSet<u64> = ids(&orders).into_iter().collect();
    assert_eq!(unique.len(), orders.len(), "each order once");

    let past_end = get(&sandbox, &token, &orders_path(""), pages).await;
    assert_eq!(past_end.status(), 200);
    assert_eq!(
        past_end.json::<Vec<Value>>().await.expect("JSON"),
        Vec::<Value>::new()
    );
    let bad = client()
        .get(
            sandbox
                .oseries_origin()
                .join(&format!("v1/{}", orders_path("")))
                .expect("joins"),
        )
        .bearer_auth(&token)
        .header("X-Page", "next")
        .send()
        .await
        .expect("answers");
    assert_eq!(bad.status(), 400, "X-Page is a number");

    let (complete, _) = walk(
        &sandbox,
        &token,
        &format!("companies/{}/orders/complete.json", company()),
    )
    .await;
    let expected: Vec<&Value> = truth.iter().filter(|o| o["status"] == "COMPLETE").collect();
    assert_eq!(
        complete.iter().collect::<Vec<_>>(),
        expected,
        "/orders/complete filters by status"
    );
    let one = &truth[truth.len() / 2];
    let single: Value = get(
        &sandbox,
        &token,
        &format!("companies/{}/orders/{}.json", company(), one["id"]),
        0,
    )
    .await
    .json()
    .await
    .expect("JSON");
    assert_eq!(&single, one, "one order by id");
    sandbox.shutdown().await;
}

#[tokio::test]
async fn created_and_updated_filters_bring_back_what_changed() {
    let sandbox = start(400).await;
    let (token, _) = sandbox.issue_oseries_token(company());
    let truth = sandbox.oseries_orders(company());
    let middle = truth[truth.len() / 2]["created_at"]
        .as_str()
        .expect("a time")
        .to_owned();
    let cutoff = time(&Value::String(middle.clone()));
    let encoded: String = form_urlencoded::byte_serialize(middle.as_bytes()).collect();
    let (created, _) = walk(
        &sandbox,
        &token,
        &orders_path(&format!("?created_gte={encoded}")),
    )
    .await;
    let expected: Vec<&Value> = truth
        .iter()
        .filter(|o| time(&o["created_at"]) >= cutoff)
        .collect();
    assert_eq!(
        created.iter().collect::<Vec<_>>(),
        expected,
        "created_gte={middle}"
    );

    let latest = truth
        .iter()
        .map(|o| time(&o["updated_at"]))
        .max()
        .expect("orders");
    let since = OffsetDateTime::from_unix_timestamp(latest + 1)
        .expect("a time")
        .format(&Rfc3339)
        .expect("formats");
    let since: String = form_urlencoded::byte_serialize(since.as_bytes()).collect();
    let window = orders_path(&format!("?updated_gte={since}"));
    let (nothing, pages) = walk(&sandbox, &token, &window).await;
    assert!(
        nothing.is_empty() && pages == 1,
        "nothing changed yet: one empty page"
    );

    let touched = sandbox.touch_oseries_orders(company(), 4);
    let (changed, _) = walk(&sandbox, &token, &window).await;
    let mut expected_ids = touched.clone();
    expected_ids.sort_unstable();
    assert_eq!(
        ids(&changed),
        expected_ids,
        "the touched orders (and new refunds) move into the later window"
    );
    assert!(changed.iter().all(|o| time(&o["updated_at"]) > latest));
    let unparsable = get(&sandbox, &token, &orders_path("?created_gte=yesterday"), 0).await;
    assert_eq!(unparsable.status(), 400, "an unreadable filter is refused");
    sandbox.shutdown().await;
}

#[tokio::test]
async fn orders_add_up_and_cover_refunds_rejections_and_guests() {
    let sandbox = start(1_200).await;
    let truth = sandbox.oseries_orders(company());
    let statuses: HashSet<&str> = truth.iter().filter_map(|o| o["status"].as_str()).collect();
    for s in [
        "COMPLETE",
        "REJECTED",
        "ON_HOLD",
        "SUBMITTED",
        "PENDING",
        "ACCEPTED",
    ] {
        assert!(statuses.contains(s), "some orders are {s}");
    }
    let mut refunds = 0;
    for o in &truth {
        let lines = o["lines"].as_array().expect("lines");
        let sum = |f: &str| lines.iter().map(|l| decimal_cents(&l[f])).sum::<i64>();
        assert_eq!(
            decimal_cents(&o["total"]),
            sum("line_total_ex_tax") + sum("line_total_tax"),
            "order {}: total = lines ex tax + line tax",
            o["id"]
        );
        assert_eq!(decimal_cents(&o["total_tax"]), sum("line_total_tax"));
        let paid: i64 = o["payments"]
            .as_array()
            .expect("payments")
            .iter()
            .map(|p| decimal_cents(&p["amount"]))
            .sum();
        assert_eq!(paid, decimal_cents(&o["paid"]), "payments add up to paid");
        for l in lines {
            let q = l["quantity"].as_i64().expect("a whole quantity");
            assert_eq!(
                decimal_cents(&l["line_total_ex_tax"]),
                decimal_cents(&l["unit_price"]) * q
            );
        }
        if lines
            .iter()
            .any(|l| l["quantity"].as_i64().unwrap_or(0) < 0)
        {
            refunds += 1;
            assert!(decimal_cents(&o["total"]) < 0, "a refund gives money back");
        }
        assert_eq!(o["customer"].is_null(), o["customer_id"].is_null());
    }
    assert!(
        refunds > 20,
        "refunds are orders with negative quantities ({refunds})"
    );
    assert!(
        truth.iter().any(|o| o["customer"].is_null()),
        "some walk-ins have no customer"
    );
    let sites: HashSet<u64> = truth.iter().filter_map(|o| o["site_id"].as_u64()).collect();
    assert_eq!(sites.len(), 2, "orders come from both sites");
    sandbox.shutdown().await;
}

#[tokio::test]
async fn the_same_shoppers_buy_here_with_their_own_spellings() {
    let sandbox = start(2_000).await;
    let mut shopify: HashMap<String, HashSet<String>> = HashMap::new();
    for o in sandbox.shopify_orders(SHOP) {
        if let Some(email) = o["email"].as_str() {
            shopify
                .entry(email.trim().to_lowercase())
                .or_default()
                .insert(email.to_owned());
        }
    }
    let emails: HashSet<String> = sandbox
        .oseries_orders(company())
        .iter()
        .filter_map(|o| o["customer"]["email"].as_str().map(str::to_owned))
        .collect();
    let shared = emails
        .iter()
        .filter(|e| shopify.contains_key(&e.trim().to_lowercase()))
        .count();
    let respelled = emails
        .iter()
        .filter(|e| {
            shopify
                .get(&e.trim().to_lowercase())
                .is_some_and(|s| !s.contains(e.as_str()))
        })
        .count();
    assert!(
        shared > 200,
        "Kounta's customers also buy on Shopify ({shared})"
    );
    assert!(
        respelled > 30,
        "typing their emails differently ({respelled})"
    );
    sandbox.shutdown().await;
}

#[tokio::test]
async fn the_rate_limit_refuses_with_retry_after_only_when_enforced() {
    let strict = Sandbox::start(SandboxConfig {
        enforce_rate_limits: true,
        ..config(10)
    })
    .await
    .expect("starts");
    let (token, _) = strict.issue_oseries_token(company());
    let mut admitted = 0;
    let refused = loop {
        let response = get(&strict, &token, "companies/me.json", 0).await;
        if response.status() == 429 {
            break response;
        }
        assert_eq!(response.status(), 200);
        admitted += 1;
        assert!(admitted <= 60, "the window must fill");
    };
    assert_eq!(admitted, 60, "a window's worth is admitted first");
    let retry: u64 = refused.headers()["retry-after"]
        .to_str()
        .ok()
        .and_then(|v| v.parse().ok())
        .expect("seconds");
    assert!((1..=60).contains(&retry));
    strict.shutdown().await;
}
