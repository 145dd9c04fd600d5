//! Lightspeed X-Series as Counterline meets it: the consent page, the
//! retailer's token endpoint with expiring access tokens and rotating
//! refresh tokens, API 2.0's version-cursor paging over sales, the
//! customers behind them, and the rate limit.

use std::collections::{HashMap, HashSet};
use std::time::Duration;

use serde_json::Value;
use time::format_description::well_known::Rfc2822;
use time::OffsetDateTime;
use url::Url;

use super::{client, config, decimal_cents, hidden_fields, location, query_param, start, SHOP};
use counterline_sandbox::{AppRegistration, Sandbox, SandboxConfig, XSeriesRetailer};

const LOOPBACK: &str = "http://127.0.0.1:47123/xseries/callback";
const STATE: &str = "xs-state-0001";

fn prefix() -> String {
    XSeriesRetailer::default().domain_prefix
}

fn app() -> AppRegistration {
    AppRegistration::xseries_demo()
}

fn connect_url(sandbox: &Sandbox, scope: &str, state: &str) -> Url {
    let mut url = sandbox
        .xseries_auth_origin()
        .join("connect")
        .expect("joins");
    url.query_pairs_mut()
        .append_pair("response_type", "code")
        .append_pair("client_id", &app().client_id)
        .append_pair("redirect_uri", LOOPBACK)
        .append_pair("state", state)
        .append_pair("scope", scope);
    url
}

/// Shows the consent page and clicks `decision`; returns the redirect.
async fn consent(sandbox: &Sandbox, scope: &str, decision: &str) -> Url {
    let response = client()
        .get(connect_url(sandbox, scope, STATE))
        .send()
        .await
        .expect("answers");
    assert_eq!(
        response.status(),
        200,
        "a valid request shows the consent page"
    );
    let html = response.text().await.expect("HTML");
    let mut form = hidden_fields(&html);
    form.push(("decision".into(), decision.into()));
    let action = sandbox
        .xseries_auth_origin()
        .join("connect/decision")
        .expect("joins");
    let response = client()
        .post(action)
        .form(&form)
        .send()
        .await
        .expect("answers");
    assert_eq!(
        response.status(),
        302,
        "a decision redirects back to the app"
    );
    location(&response)
}

fn token_url(sandbox: &Sandbox) -> Url {
    sandbox
        .xseries_origin(&prefix())
        .join("api/1.0/token")
        .expect("joins")
}

async fn post_token(sandbox: &Sandbox, form: &[(&str, &str)]) -> (u16, Value) {
    let response = client()
        .post(token_url(sandbox))
        .form(form)
        .send()
        .await
        .expect("answers");
    (
        response.status().as_u16(),
        response.json().await.expect("JSON"),
    )
}

async fn exchange(sandbox: &Sandbox, code: &str) -> (u16, Value) {
    let app = app();
    post_token(
        sandbox,
        &[
            ("code", code),
            ("client_id", &app.client_id),
            ("client_secret", &app.client_secret),
            ("grant_type", "authorization_code"),
            ("redirect_uri", LOOPBACK),
        ],
    )
    .await
}

async fn refresh(sandbox: &Sandbox, refresh_token: &str) -> (u16, Value) {
    let app = app();
    post_token(
        sandbox,
        &[
            ("refresh_token", refresh_token),
            ("client_id", &app.client_id),
            ("client_secret", &app.client_secret),
            ("grant_type", "refresh_token"),
        ],
    )
    .await
}

fn api(sandbox: &Sandbox, path: &str) -> Url {
    sandbox
        .xseries_origin(&prefix())
        .join(&format!("api/2.0/{path}"))
        .expect("joins")
}

async fn get(sandbox: &Sandbox, path: &str, token: &str) -> reqwest::Response {
    client()
        .get(api(sandbox, path))
        .bearer_auth(token)
        .send()
        .await
        .expect("answers")
}

/// Walks `collection` from `after` with `page_size` until an empty page;
/// returns the records and the number of requests.
async fn walk(
    sandbox: &Sandbox,
    token: &str,
    collection: &str,
    after: u64,
    page_size: Option<usize>,
) -> (Vec<Value>, usize) {
    let mut records = Vec::new();
    let mut after = after;
    for requests in 1.. {
        let path = match page_size {
            Some(n) => format!("{collection}?after={after}&page_size={n}"),
            None => format!("{collection}?after={after}"),
        };
        let response = get(sandbox, &path, token).await;
        assert_eq!(response.status(), 200, "{path} is served");
        let page: Value = response.json().await.expect("JSON");
        let data = page["data"].as_array().expect("data is an array").clone();
        if data.is_empty() {
            assert!(
                page["version"]["max"].is_null(),
                "an empty page has no versions"
            );
            return (records, requests);
        }
        let versions: Vec<u64> = data
            .iter()
            .map(|r| r["version"].as_u64().expect("numeric version"))
            .collect();
        assert_eq!(page["version"]["min"].as_u64(), versions.first().copied());
        assert_eq!(page["version"]["max"].as_u64(), versions.last().copied());
        assert!(versions[0] > after, "a page starts after the cursor");
        if let Some(n) = page_size {
            assert!(data.len() <= n, "a page holds at most page_size records");
        }
        after = versions[versions.len() - 1];
        records.extend(data);
    }
    unreachable!()
}

fn ids(records: &[Value]) -> Vec<String> {
    records
        .iter()
        .map(|r| r["id"].as_str().expect("string id").to_owned())
        .collect()
}

#[tokio::test]
async fn the_consent_page_redirects_with_a_code_for_the_retailer_or_access_denied() {
    let sandbox = start(30).await;
    let html = client()
        .get(connect_url(&sandbox, "sales:read customers:read", STATE))
        .send()
        .await
        .expect("answers")
        .text()
        .await
        .expect("HTML");
    assert!(
        html.contains(r#"<form method="post" action="/xseries-auth/connect/decision">"#),
        "the form posts to the decision endpoint"
    );
    assert!(html.contains(r#"<button type="submit" name="decision" value="approve" id="approve">"#));
    assert!(html.contains(r#"<button type="submit" name="decision" value="deny" id="deny">"#));
    assert!(html.contains("sales:read") && html.contains("customers:read"));
    let fields = hidden_fields(&html);
    for name in [
        "response_type",
        "client_id",
        "redirect_uri",
        "state",
        "scope",
        "domain_prefix",
    ] {
        assert!(fields.iter().any(|(n, _)| n == name), "hidden field {name}");
    }

    let callback = consent(&sandbox, "sales:read customers:read", "approve").await;
    assert!(callback.as_str().starts_with(LOOPBACK));
    assert!(query_param(&callback, "code").is_some_and(|c| !c.is_empty()));
    assert_eq!(query_param(&callback, "domain_prefix"), Some(prefix()));
    assert_eq!(query_param(&callback, "state").as_deref(), Some(STATE));

    let denied = consent(&sandbox, "sales:read", "deny").await;
    assert_eq!(
        query_param(&denied, "error").as_deref(),
        Some("access_denied")
    );
    assert_eq!(query_param(&denied, "state").as_deref(), Some(STATE));
    assert!(query_param(&denied, "code").is_none());

    for (url, why) in [
        (
            connect_url(&sandbox, "sales:read", "short"),
            "a state under 8 characters",
        ),
        (
            connect_url(&sandbox, "sales:read,customers:read", STATE),
            "comma-separated scopes",
        ),
        (
            connect_url(&sandbox, "read_orders", STATE),
            "a Shopify-style scope",
        ),
    ] {
        let response = client().get(url).send().await.expect("answers");
        assert_eq!(response.status(), 400, "{why} is refused");
        assert!(response
            .text()
            .await
            .expect("HTML")
            .contains("id=\"oauth-error\""));
    }
    let mut wrong_client = connect_url(&sandbox, "sales:read", STATE);
    wrong_client.set_query(Some(
        &wrong_client
            .query()
            .unwrap_or("")
            .replace(&app().client_id, "someone-else"),
    ));
    assert_eq!(
        client()
            .get(wrong_client)
            .send()
            .await
            .expect("answers")
            .status(),
        400
    );
    sandbox.shutdown().await;
}

#[tokio::test]
async fn codes_exchange_once_and_refresh_tokens_rotate() {
    let sandbox = start(30).await;
    let callback = consent(&sandbox, "sales:read customers:read", "approve").await;
    let code = query_param(&callback, "code").expect("a code");

    let app = app();
    let leaky = client()
        .post(format!(
            "{}?client_id={}&client_secret={}",
            token_url(&sandbox),
            app.client_id,
            app.client_secret
        ))
        .form(&[
            ("code", code.as_str()),
            ("grant_type", "authorization_code"),
        ])
        .send()
        .await
        .expect("answers");
    assert_eq!(leaky.status(), 400, "credentials in the URL are refused");

    let (status, first) = exchange(&sandbox, &code).await;
    assert_eq!(status, 200, "the code exchanges: {first}");
    assert_eq!(first["token_type"], "Bearer");
    assert_eq!(first["domain_prefix"], prefix().as_str());
    assert_eq!(first["scope"], "sales:read customers:read");
    assert_eq!(first["expires_in"], 604_800, "a week, by default");
    let now = OffsetDateTime::now_utc().unix_timestamp();
    let expires = first["expires"].as_i64().expect("expires is a unix time");
    assert!((now + 604_790..=now + 604_810).contains(&expires));
    let access = first["access_token"]
        .as_str()
        .expect("access token")
        .to_owned();
    let refresh_token = first["refresh_token"]
        .as_str()
        .expect("refresh token")
        .to_owned();
    assert!(sandbox.xseries_issued_tokens(&prefix()).contains(&access));

    let (status, again) = exchange(&sandbox, &code).await;
    assert_eq!(
        (status, again["error"].as_str()),
        (400, Some("invalid_grant")),
        "codes are single use"
    );

    assert_eq!(
        get(&sandbox, "sales?page_size=1", &access).await.status(),
        200
    );
    let forbidden = get(&sandbox, "products", &access).await;
    assert_eq!(forbidden.status(), 403, "products:read was not granted");

    let (status, second) = refresh(&sandbox, &refresh_token).await;
    assert_eq!(status, 200, "the refresh token works once: {second}");
    let second_refresh = second["refresh_token"]
        .as_str()
        .expect("rotated")
        .to_owned();
    assert_ne!(second_refresh, refresh_token, "the refresh token rotates");
    assert_ne!(second["access_token"], first["access_token"]);
    assert_eq!(
        second["scope"], "sales:read customers:read",
        "scopes carry over"
    );

    let (status, reused) = refresh(&sandbox, &refresh_token).await;
    assert_eq!(status, 400, "the old refresh token is refused");
    assert_eq!(reused["error"], "invalid_grant");

    let (status, third) = refresh(&sandbox, &second_refresh).await;
    assert_eq!(status, 200, "the newest refresh token works: {third}");
    let (status, bad) = post_token(
        &sandbox,
        &[
            (
                "refresh_token",
                third["refresh_token"].as_str().unwrap_or(""),
            ),
            ("client_id", &app.client_id),
            ("client_secret", "not-the-secret"),
            ("grant_type", "refresh_token"),
        ],
    )
    .await;
    assert_eq!(
        (status, bad["error"].as_str()),
        (400, Some("invalid_client"))
    );
    sandbox.shutdown().await;
}

#[tokio::test]
async fn expired_and_revoked_tokens_get_401() {
    let sandbox = start(20).await;
    let (access, refresh_token) = sandbox.issue_xseries_token(&prefix());
    assert_eq!(get(&sandbox, "outlets", &access).await.status(), 200);
    assert_eq!(get(&sandbox, "outlets", "nonsense").await.status(), 401);

    sandbox.expire_xseries_access_tokens();
    let expired = get(&sandbox, "sales", &access).await;
    assert_eq!(expired.status(), 401, "an expired access token is refused");
    let body: Value = expired.json().await.expect("JSON");
    assert_eq!(body["error"], "Unauthorized");
    assert!(body["message"]
        .as_str()
        .is_some_and(|m| m.contains("expired")));

    let (status, renewed) = refresh(&sandbox, &refresh_token).await;
    assert_eq!(status, 200, "refreshing recovers");
    let renewed_access = renewed["access_token"].as_str().expect("token").to_owned();
    assert_eq!(
        get(&sandbox, "sales?page_size=1", &renewed_access)
            .await
            .status(),
        200
    );

    sandbox.revoke_xseries_tokens(&prefix());
    assert_eq!(get(&sandbox, "sales", &renewed_access).await.status(), 401);
    let (status, _) = refresh(&sandbox, renewed["refresh_token"].as_str().unwrap_or("")).await;
    assert_eq!(status, 400, "revoked refresh tokens are refused");
    sandbox.shutdown().await;

    let short = Sandbox::start(SandboxConfig {
        xseries_token_lifetime: Duration::from_secs(1),
        ..config(10)
    })
    .await
    .expect("starts");
    let (access, _) = short.issue_xseries_token(&prefix());
    tokio::time::sleep(Duration::from_millis(2_100)).await;
    assert_eq!(
        get(&short, "outlets", &access).await.status(),
        401,
        "tokens lapse after the configured lifetime"
    );
    short.shutdown().await;
}

#[tokio::test]
async fn tokens_open_only_their_own_retailer() {
    let sandbox = Sandbox::start(SandboxConfig {
        xseries_retailers: vec![
            XSeriesRetailer::default(),
            XSeriesRetailer {
                domain_prefix: "bondistreet".into(),
                currency: "AUD".into(),
            },
        ],
        ..config(20)
    })
    .await
    .expect("starts");
    let (access, refresh_token) = sandbox.issue_xseries_token(&prefix());
    let elsewhere = client()
        .get(
            sandbox
                .xseries_origin("bondistreet")
                .join("api/2.0/outlets")
                .expect("joins"),
        )
        .bearer_auth(&access)
        .send()
        .await
        .expect("answers");
    assert_eq!(elsewhere.status(), 401, "a token is for one retailer");
    let app = app();
    let response = client()
        .post(
            sandbox
                .xseries_origin("bondistreet")
                .join("api/1.0/token")
                .expect("joins"),
        )
        .form(&[
            ("refresh_token", refresh_token.as_str()),
            ("client_id", &app.client_id),
            ("client_secret", &app.client_secret),
            ("grant_type", "refresh_token"),
        ])
        .send()
        .await
        .expect("answers");
    assert_eq!(
        response.status(),
        400,
        "nor is its refresh token good at another retailer"
    );

    let (aud, _) = sandbox.issue_xseries_token("bondistreet");
    let outlets: Value = client()
        .get(
            sandbox
                .xseries_origin("bondistreet")
                .join("api/2.0/outlets")
                .expect("joins"),
        )
        .bearer_auth(&aud)
        .send()
        .await
        .expect("answers")
        .json()
        .await
        .expect("JSON");
    assert_eq!(outlets["data"][0]["currency"], "AUD");
    let callback = {
        let mut url = connect_url(&sandbox, "sales:read", STATE);
        url.query_pairs_mut()
            .append_pair("domain_prefix", "bondistreet");
        let html = client()
            .get(url)
            .send()
            .await
            .expect("answers")
            .text()
            .await
            .expect("HTML");
        let mut form = hidden_fields(&html);
        form.push(("decision".into(), "approve".into()));
        let response = client()
            .post(
                sandbox
                    .xseries_auth_origin()
                    .join("connect/decision")
                    .expect("joins"),
            )
            .form(&form)
            .send()
            .await
            .expect("answers");
        location(&response)
    };
    assert_eq!(
        query_param(&callback, "domain_prefix").as_deref(),
        Some("bondistreet"),
        "the callback names the retailer the merchant approved for"
    );
    sandbox.shutdown().await;
}

#[tokio::test]
async fn paging_by_version_visits_every_sale_once_in_order() {
    let sandbox = start(1_200).await;
    let (token, _) = sandbox.issue_xseries_token(&prefix());
    let truth = sandbox.xseries_sales(&prefix());
    assert!(
        truth.len() > 1_200,
        "returns are sales of their own ({})",
        truth.len()
    );
    let before = sandbox.xseries_request_count();
    let (sales, requests) = walk(&sandbox, &token, "sales", 0, Some(200)).await;
    assert_eq!(
        requests,
        truth.len().div_ceil(200) + 1,
        "full pages, then an empty one"
    );
    assert_eq!(sandbox.xseries_request_count() - before, requests as u64);
    assert_eq!(
        ids(&sales),
        ids(&truth),
        "the walk sees the truth, in version order"
    );
    let unique: HashSet<String> = ids(&sales).into_iter().collect();
    assert_eq!(unique.len(), sales.len(), "each sale once");
    let versions: Vec<u64> = sales
        .iter()
        .map(|s| s["version"].as_u64().unwrap_or(0))
        .collect();
    assert!(versions.windows(2).all(|w| w[0] < w[1]), "versions rise");
    assert!(
        versions.windows(2).any(|w| w[1] - w[0] > 1),
        "and not by a fixed step"
    );
    assert_eq!(sales, truth, "the API serves exactly the truth");

    let (default_pages, requests) = walk(&sandbox, &token, "sales", 0, None).await;
    assert_eq!(default_pages.len(), truth.len());
    assert_eq!(
        requests,
        truth.len().div_ceil(1_000) + 1,
        "1000 per page by default"
    );
    let (capped, _) = walk(&sandbox, &token, "sales", 0, Some(50_000)).await;
    assert_eq!(
        capped.len(),
        truth.len(),
        "an oversized page_size is capped, not refused"
    );
    sandbox.shutdown().await;
}

#[tokio::test]
async fn the_after_cursor_brings_back_exactly_what_changed() {
    let sandbox = start(400).await;
    let (token, _) = sandbox.issue_xseries_token(&prefix());
    let (sales, _) = walk(&sandbox, &token, "sales", 0, Some(500)).await;
    let high_water = sales
        .last()
        .and_then(|s| s["version"].as_u64())
        .expect("a version");
    let (nothing, _) = walk(&sandbox, &token, "sales", high_water, Some(100)).await;
    assert!(nothing.is_empty(), "nothing changed yet");

    let touched = sandbox.touch_xseries_sales(&prefix(), 6);
    let (changed, _) = walk(&sandbox, &token, "sales", high_water, Some(100)).await;
    assert_eq!(
        ids(&changed),
        touched,
        "only the changes, in the order they happened"
    );
    let by_id: HashMap<&str, &Value> = changed
        .iter()
        .map(|s| (s["id"].as_str().unwrap_or(""), s))
        .collect();
    let returns: Vec<&Value> = changed
        .iter()
        .filter(|s| !s["return_for"].is_null())
        .collect();
    let edits = changed.len() - 2 * returns.len();
    assert_eq!(returns.len() + edits, 6, "six sales were touched");
    for r in &returns {
        let original = by_id[r["return_for"].as_str().expect("an id")];
        assert!(original["return_ids"]
            .as_array()
            .is_some_and(|ids| ids.contains(&r["id"])));
        for line in r["line_items"].as_array().expect("lines") {
            assert!(
                line["quantity"].as_i64().is_some_and(|q| q < 0),
                "returned quantities are negative"
            );
            assert_eq!(line["is_return"], true);
        }
        assert!(decimal_cents(&r["total_price"]) < 0);
    }

    let first = sales[0]["version"].as_u64().expect("version");
    let third = sales[2]["version"].as_u64().expect("version");
    let bounded: Value = get(
        &sandbox,
        &format!("sales?after={first}&before={third}"),
        &token,
    )
    .await
    .json()
    .await
    .expect("JSON");
    assert_eq!(
        bounded["data"].as_array().map(Vec::len),
        Some(1),
        "before is exclusive"
    );
    for bad in [
        "sales?after=yesterday",
        "sales?page_size=0",
        "sales?before=x",
    ] {
        let response = get(&sandbox, bad, &token).await;
        assert_eq!(response.status(), 400, "{bad} is refused");
        assert!(response.headers().contains_key("x-ratelimit-limit"));
    }
    sandbox.shutdown().await;
}

#[tokio::test]
async fn sales_carry_statuses_returns_and_totals_that_add_up_in_nzd() {
    let sandbox = start(1_500).await;
    let (token, _) = sandbox.issue_xseries_token(&prefix());
    let truth = sandbox.xseries_sales(&prefix());
    let pairs: HashSet<(String, String)> = truth
        .iter()
        .map(|s| {
            (
                s["status"].as_str().unwrap_or("").to_owned(),
                s["state"].as_str().unwrap_or("").to_owned(),
            )
        })
        .collect();
    for (status, state) in [
        ("CLOSED", "closed"),
        ("VOIDED", "voided"),
        ("SAVED", "parked"),
        ("ONACCOUNT", "pending"),
        ("LAYBY", "pending"),
    ] {
        assert!(
            pairs.contains(&(status.to_owned(), state.to_owned())),
            "some sales are {status}/{state}"
        );
    }
    for s in &truth {
        let lines = s["line_items"].as_array().expect("line items");
        assert!(!lines.is_empty());
        let sum = |field: &str| lines.iter().map(|l| decimal_cents(&l[field])).sum::<i64>();
        let total = decimal_cents(&s["total_price"]);
        let tax = decimal_cents(&s["total_tax"]);
        assert_eq!(total, sum("total_price"), "{}: lines add up", s["id"]);
        assert_eq!(tax, sum("total_tax"));
        assert_eq!(decimal_cents(&s["total_price_incl"]), total + tax);
        for l in lines {
            let q = l["quantity"].as_i64().expect("integer quantity");
            assert_eq!(
                decimal_cents(&l["price_total"]),
                decimal_cents(&l["price"]) * q
            );
            assert_eq!(
                decimal_cents(&l["tax_total"]),
                decimal_cents(&l["unit_tax"]) * q
            );
            assert_eq!(
                decimal_cents(&l["total_discount"]),
                decimal_cents(&l["unit_discount"]) * q
            );
        }
        // GST is 15 %, rounded per unit.
        assert!((tax * 100 - total * 15).abs() <= lines.len() as i64 * 300);
        let paid: i64 = s["payments"]
            .as_array()
            .expect("payments")
            .iter()
            .map(|p| decimal_cents(&p["amount"]))
            .sum();
        match s["status"].as_str() {
            Some("CLOSED") => assert_eq!(paid, total + tax, "closed sales are paid in full"),
            Some("LAYBY") => assert!(paid > 0 && paid < total + tax),
            _ => assert_eq!(paid, 0),
        }
        assert_eq!(
            s["attributes"]
                .as_array()
                .is_some_and(|a| a.contains(&"layby".into())),
            s["status"] == "LAYBY"
        );
    }

    let sample = &truth[truth.len() / 3];
    let one: Value = get(
        &sandbox,
        &format!("sales/{}", sample["id"].as_str().unwrap_or("")),
        &token,
    )
    .await
    .json()
    .await
    .expect("JSON");
    assert_eq!(&one["data"], sample, "a single sale is the list's record");
    assert_eq!(
        get(
            &sandbox,
            "sales/00000000-0000-0000-0000-000000000000",
            &token
        )
        .await
        .status(),
        404
    );

    let outlets: Value = get(&sandbox, "outlets", &token)
        .await
        .json()
        .await
        .expect("JSON");
    assert_eq!(
        outlets["data"][0]["currency"], "NZD",
        "the default retailer sells in NZD"
    );

    let product_id = sample["line_items"][0]["product_id"]
        .as_str()
        .expect("product id");
    let product: Value = get(&sandbox, &format!("products/{product_id}"), &token)
        .await
        .json()
        .await
        .expect("JSON");
    assert!(product["data"]["sku"]
        .as_str()
        .is_some_and(|s| !s.is_empty()));
    let (products, _) = walk(&sandbox, &token, "products", 0, None).await;
    assert!(products.len() > 20 && products.iter().any(|p| p["id"] == product_id));
    sandbox.shutdown().await;
}

#[tokio::test]
async fn shoppers_from_the_shared_pool_are_customers_with_their_own_spellings() {
    let sandbox = start(2_000).await;
    let (token, _) = sandbox.issue_xseries_token(&prefix());
    let (customers, _) = walk(&sandbox, &token, "customers", 0, Some(300)).await;
    assert_eq!(customers, sandbox.xseries_customers(&prefix()));
    assert_eq!(customers[0]["customer_code"], "WALKIN");
    assert!(customers[0]["email"].is_null());

    let mut shopify: HashMap<String, HashSet<String>> = HashMap::new();
    for o in sandbox.shopify_orders(SHOP) {
        if let Some(email) = o["email"].as_str() {
            shopify
                .entry(email.trim().to_lowercase())
                .or_default()
                .insert(email.to_owned());
        }
    }
    let emails: Vec<&str> = customers
        .iter()
        .filter_map(|c| c["email"].as_str())
        .collect();
    let known = emails
        .iter()
        .filter(|e| shopify.contains_key(&e.trim().to_lowercase()))
        .count();
    let respelled = emails
        .iter()
        .filter(|e| {
            shopify
                .get(&e.trim().to_lowercase())
                .is_some_and(|spellings| !spellings.contains(**e))
        })
        .count();
    assert!(known > 200, "many customers also buy on Shopify ({known})");
    assert!(
        respelled > 30,
        "often spelled differently here ({respelled})"
    );
    assert!(
        emails.iter().any(|e| *e != e.trim())
            && emails
                .iter()
                .any(|e| e.chars().any(|c| c.is_ascii_uppercase())),
        "spacing and case vary"
    );
    let mut canonical: HashMap<String, usize> = HashMap::new();
    for e in &emails {
        *canonical.entry(e.trim().to_lowercase()).or_default() += 1;
    }
    assert!(
        canonical.values().any(|&n| n > 1),
        "some people are on the books twice"
    );

    let known_ids: HashSet<&str> = customers.iter().filter_map(|c| c["id"].as_str()).collect();
    let sales = sandbox.xseries_sales(&prefix());
    assert!(
        sales.iter().all(|s| s["customer_id"]
            .as_str()
            .is_some_and(|id| known_ids.contains(id))),
        "every sale's customer exists (walk-ins point at WALKIN)"
    );
    let someone = customers
        .iter()
        .find(|c| c["email"].is_string())
        .expect("a customer with an email");
    let one: Value = get(
        &sandbox,
        &format!("customers/{}", someone["id"].as_str().unwrap_or("")),
        &token,
    )
    .await
    .json()
    .await
    .expect("JSON");
    assert_eq!(&one["data"], someone);
    sandbox.shutdown().await;
}

fn header<'r>(response: &'r reqwest::Response, name: &str) -> Option<&'r str> {
    response.headers().get(name)?.to_str().ok()
}

#[tokio::test]
async fn rate_limit_headers_are_reported_and_429_when_enforced() {
    let relaxed = start(10).await;
    let (token, _) = relaxed.issue_xseries_token(&prefix());
    let response = get(&relaxed, "outlets", &token).await;
    assert_eq!(header(&response, "x-ratelimit-limit"), Some("350"));
    assert_eq!(
        header(&response, "x-ratelimit-remaining"),
        Some("350"),
        "not drained when not enforced"
    );
    relaxed.shutdown().await;

    let strict = Sandbox::start(SandboxConfig {
        enforce_rate_limits: true,
        ..config(10)
    })
    .await
    .expect("starts");
    let (token, _) = strict.issue_xseries_token(&prefix());
    let mut remaining = Vec::new();
    for _ in 0..350 {
        let response = get(&strict, "outlets", &token).await;
        assert_eq!(response.status(), 200, "350 requests fit in the window");
        remaining.push(
            header(&response, "x-ratelimit-remaining")
                .unwrap_or("")
                .to_owned(),
        );
    }
    assert_eq!(remaining.first().map(String::as_str), Some("349"));
    assert_eq!(remaining.last().map(String::as_str), Some("0"));
    let refused = get(&strict, "sales", &token).await;
    assert_eq!(refused.status(), 429, "the 351st is refused");
    let retry = header(&refused, "retry-after")
        .expect("Retry-After")
        .to_owned();
    let at = OffsetDateTime::parse(&retry.replace("GMT", "+0000"), &Rfc2822)
        .unwrap_or_else(|e| panic!("{retry} is an HTTP date: {e}"))
        .unix_timestamp();
    let now = OffsetDateTime::now_utc().unix_timestamp();
    assert!(
        (now..=now + 300).contains(&at),
        "Retry-After is within the window"
    );
    let body: Value = refused.json().await.expect("JSON");
    assert_eq!(
        body,
        serde_json::json!({"error": "Too Many Requests", "message": "Rate limiting enforced"})
    );
    strict.shutdown().await;
}
