//! Lightspeed R-Series as Counterline meets it: the new authorization
//! server (consent, codes, rotating access and refresh tokens), V3's
//! `Sale.json` with `load_relations`, `@attributes` cursors and `timeStamp`
//! filters, the customers behind the sales, and the leaky bucket.

use std::collections::{HashMap, HashSet};

use serde_json::Value;
use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;
use url::Url;

use super::{client, config, decimal_cents, hidden_fields, location, query_param, start, SHOP};
use counterline_sandbox::{
    AppRegistration, BigCommerceStore, RSeriesAccount, Sandbox, SandboxConfig, WooSite,
    XSeriesRetailer,
};

const LOOPBACK: &str = "http://127.0.0.1:47124/rseries/callback";
const RELATIONS: &str = r#"["SaleLines","Customer","Customer.Contact"]"#;

fn account() -> u64 {
    RSeriesAccount::default().account_id
}

fn app() -> AppRegistration {
    AppRegistration::rseries_demo()
}

fn authorize_url(sandbox: &Sandbox, scope: &str) -> Url {
    let mut url = sandbox
        .rseries_auth_origin()
        .join("auth/oauth/authorize")
        .expect("joins");
    url.query_pairs_mut()
        .append_pair("response_type", "code")
        .append_pair("client_id", &app().client_id)
        .append_pair("scope", scope)
        .append_pair("state", "rs-state")
        .append_pair("redirect_uri", LOOPBACK);
    url
}

async fn consent(sandbox: &Sandbox, decision: &str) -> Url {
    let response = client()
        .get(authorize_url(sandbox, "employee:all"))
        .send()
        .await
        .expect("answers");
    assert_eq!(response.status(), 200);
    let html = response.text().await.expect("HTML");
    assert!(html
        .contains(r#"<form method="post" action="/rseries-auth/auth/oauth/authorize/decision">"#));
    assert!(html.contains(r#"id="approve""#) && html.contains(r#"id="deny""#));
    assert!(
        html.contains("Counterline Demo Cycles"),
        "the account is named"
    );
    let mut form = hidden_fields(&html);
    form.push(("decision".into(), decision.into()));
    let response = client()
        .post(
            sandbox
                .rseries_auth_origin()
                .join("auth/oauth/authorize/decision")
                .expect("joins"),
        )
        .form(&form)
        .send()
        .await
        .expect("answers");
    assert_eq!(response.status(), 302);
    location(&response)
}

fn token_url(sandbox: &Sandbox) -> Url {
    sandbox
        .rseries_auth_origin()
        .join("auth/oauth/token")
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

async fn refresh(sandbox: &Sandbox, refresh_token: &str) -> (u16, Value) {
    let app = app();
    post_token(
        sandbox,
        &[
            ("client_id", &app.client_id),
            ("client_secret", &app.client_secret),
            ("grant_type", "refresh_token"),
            ("refresh_token", refresh_token),
        ],
    )
    .await
}

fn api(sandbox: &Sandbox, path: &str) -> Url {
    sandbox
        .rseries_origin()
        .join(&format!("API/V3/{path}"))
        .expect("joins")
}

async fn get_url(url: Url, token: &str) -> reqwest::Response {
    client()
        .get(url)
        .bearer_auth(token)
        .send()
        .await
        .expect("answers")
}

/// `Account/{id}/Sale.json` with `query` pairs.
fn sales_url(sandbox: &Sandbox, query: &[(&str, &str)]) -> Url {
    let mut url = api(sandbox, &format!("Account/{}/Sale.json", account()));
    if !query.is_empty() {
        url.query_pairs_mut().extend_pairs(query);
    }
    url
}

/// The records under `key`: an array, one object, or none.
fn records(page: &Value, key: &str) -> Vec<Value> {
    match &page[key] {
        Value::Array(items) => items.clone(),
        Value::Null => Vec::new(),
        one => vec![one.clone()],
    }
}

/// Follows `@attributes.next` from `first` until it is empty; returns the
/// sales and the number of requests.
async fn walk(first: Url, token: &str) -> (Vec<Value>, usize) {
    let mut sales = Vec::new();
    let mut url = first;
    for requests in 1.. {
        let response = get_url(url.clone(), token).await;
        assert_eq!(response.status(), 200, "{url} is served");
        let page: Value = response.json().await.expect("JSON");
        let batch = records(&page, "Sale");
        assert!(batch.len() <= 100, "a page holds at most 100");
        sales.extend(batch);
        let next = page["@attributes"]["next"]
            .as_str()
            .expect("next is a string");
        if next.is_empty() {
            return (sales, requests);
        }
        url = Url::parse(next).expect("next is an absolute URL");
    }
    unreachable!()
}

fn ids(sales: &[Value]) -> Vec<u64> {
    sales
        .iter()
        .map(|s| {
            s["saleID"]
                .as_str()
                .and_then(|id| id.parse().ok())
                .expect("saleID is a numeric string")
        })
        .collect()
}

fn time(v: &Value) -> i64 {
    let s = v.as_str().unwrap_or_else(|| panic!("{v} is a time"));
    OffsetDateTime::parse(s, &Rfc3339)
        .unwrap_or_else(|e| panic!("{s} is RFC 3339: {e}"))
        .unix_timestamp()
}

#[tokio::test]
async fn consent_code_and_rotating_tokens() {
    let sandbox = start(30).await;
    let callback = consent(&sandbox, "approve").await;
    assert!(callback.as_str().starts_with(LOOPBACK));
    assert_eq!(query_param(&callback, "state").as_deref(), Some("rs-state"));
    let code = query_param(&callback, "code").expect("a code");

    let app = app();
    let exchange = [
        ("client_id", app.client_id.as_str()),
        ("client_secret", app.client_secret.as_str()),
        ("grant_type", "authorization_code"),
        ("code", code.as_str()),
        ("redirect_uri", LOOPBACK),
    ];
    let (status, first) = post_token(&sandbox, &exchange).await;
    assert_eq!(status, 200, "the code exchanges: {first}");
    assert_eq!(first["token_type"], "Bearer");
    assert_eq!(first["expires_in"], 3_600);
    assert_eq!(first["scope"], "employee:all");
    let access = first["access_token"].as_str().expect("access").to_owned();
    let (status, again) = post_token(&sandbox, &exchange).await;
    assert_eq!(
        (status, again["error"].as_str()),
        (400, Some("invalid_grant"))
    );

    let me: Value = get_url(api(&sandbox, "Account.json"), &access)
        .await
        .json()
        .await
        .expect("JSON");
    assert_eq!(me["Account"]["accountID"], account().to_string());
    assert_eq!(me["Account"]["name"], "Counterline Demo Cycles");

    let old_refresh = first["refresh_token"].as_str().expect("refresh").to_owned();
    // A JSON body works too.
    let response = client()
        .post(token_url(&sandbox))
        .json(&serde_json::json!({
            "client_id": app.client_id,
            "client_secret": app.client_secret,
            "grant_type": "refresh_token",
            "refresh_token": old_refresh,
        }))
        .send()
        .await
        .expect("answers");
    assert_eq!(response.status(), 200);
    let second: Value = response.json().await.expect("JSON");
    assert_ne!(
        second["access_token"], first["access_token"],
        "the access token rotates"
    );
    assert_ne!(
        second["refresh_token"], first["refresh_token"],
        "the refresh token rotates"
    );

    let (status, reused) = refresh(&sandbox, &old_refresh).await;
    assert_eq!(status, 400, "the used refresh token is refused");
    assert_eq!(reused["error"], "invalid_grant");
    let (status, third) = refresh(&sandbox, second["refresh_token"].as_str().unwrap_or("")).await;
    assert_eq!(status, 200, "the newest one works: {third}");

    let (status, bad) = post_token(
        &sandbox,
        &[
            ("client_id", &app.client_id),
            ("client_secret", "wrong"),
            ("grant_type", "refresh_token"),
            (
                "refresh_token",
                third["refresh_token"].as_str().unwrap_or(""),
            ),
        ],
    )
    .await;
    assert_eq!(
        (status, bad["error"].as_str()),
        (401, Some("invalid_client"))
    );

    let denied = consent(&sandbox, "deny").await;
    assert_eq!(
        query_param(&denied, "error").as_deref(),
        Some("access_denied")
    );
    assert!(query_param(&denied, "code").is_none());
    for scope in ["", "sales:read"] {
        let response = client()
            .get(authorize_url(&sandbox, scope))
            .send()
            .await
            .expect("answers");
        assert_eq!(response.status(), 400, "scope {scope:?} is refused");
    }
    sandbox.shutdown().await;
}

#[tokio::test]
async fn expired_revoked_and_foreign_tokens_are_refused() {
    let sandbox = start(20).await;
    let (access, refresh_token) = sandbox.issue_rseries_token(account());
    let url = sales_url(&sandbox, &[("limit", "1")]);
    assert_eq!(get_url(url.clone(), &access).await.status(), 200);

    sandbox.expire_rseries_access_tokens();
    let expired = get_url(url.clone(), &access).await;
    assert_eq!(expired.status(), 401);
    let body: Value = expired.json().await.expect("JSON");
    assert_eq!(body["httpCode"], "401");
    assert_eq!(body["message"], "Expired access token.");

    let (status, renewed) = refresh(&sandbox, &refresh_token).await;
    assert_eq!(status, 200);
    let fresh = renewed["access_token"].as_str().expect("token").to_owned();
    assert_eq!(get_url(url.clone(), &fresh).await.status(), 200);
    let foreign = api(&sandbox, "Account/999/Sale.json");
    assert_eq!(
        get_url(foreign, &fresh).await.status(),
        403,
        "another account's id is refused"
    );

    sandbox.revoke_rseries_tokens(account());
    assert_eq!(get_url(url, &fresh).await.status(), 401);
    let (status, _) = refresh(&sandbox, renewed["refresh_token"].as_str().unwrap_or("")).await;
    assert_eq!(status, 400);
    sandbox.shutdown().await;
}

#[tokio::test]
async fn following_next_visits_every_sale_once_in_order() {
    let sandbox = start(900).await;
    let (token, _) = sandbox.issue_rseries_token(account());
    let truth = sandbox.rseries_sales(account());
    let before = sandbox.rseries_request_count();
    let (sales, requests) = walk(
        sales_url(
            &sandbox,
            &[
                ("sort", "timeStamp"),
                ("limit", "100"),
                ("load_relations", RELATIONS),
            ],
        ),
        &token,
    )
    .await;
    assert_eq!(requests, truth.len().div_ceil(100));
    assert_eq!(sandbox.rseries_request_count() - before, requests as u64);
    assert_eq!(sales, truth, "the walk sees exactly the truth");
    let stamps: Vec<i64> = sales.iter().map(|s| time(&s["timeStamp"])).collect();
    assert!(
        stamps.windows(2).all(|w| w[0] <= w[1]),
        "sorted by timeStamp"
    );
    let unique: HashSet<u64> = ids(&sales).into_iter().collect();
    assert_eq!(unique.len(), sales.len(), "each sale once");

    let (by_id, _) = walk(sales_url(&sandbox, &[("limit", "100")]), &token).await;
    let expected: Vec<u64> = (1..=truth.len() as u64).collect();
    assert_eq!(ids(&by_id), expected, "by default, saleID ascending");
    assert!(
        by_id.iter().all(|s| s.get("SaleLines").is_none()),
        "relations only when asked"
    );

    let second_page: Value = {
        let first: Value = get_url(sales_url(&sandbox, &[("limit", "100")]), &token)
            .await
            .json()
            .await
            .expect("JSON");
        assert_eq!(
            first["@attributes"]["previous"], "",
            "no previous on the first page"
        );
        assert_eq!(first["@attributes"]["limit"], "100");
        let next = first["@attributes"]["next"]
            .as_str()
            .expect("next")
            .to_owned();
        assert!(
            next.contains("after="),
            "next carries an after cursor: {next}"
        );
        get_url(Url::parse(&next).expect("URL"), &token)
            .await
            .json()
            .await
            .expect("JSON")
    };
    let previous = second_page["@attributes"]["previous"]
        .as_str()
        .expect("previous");
    let back: Value = get_url(Url::parse(previous).expect("URL"), &token)
        .await
        .json()
        .await
        .expect("JSON");
    assert_eq!(
        ids(&records(&back, "Sale")),
        (1..=100).collect::<Vec<u64>>(),
        "previous goes back"
    );
    sandbox.shutdown().await;
}

#[tokio::test]
async fn the_timestamp_filter_brings_back_what_changed() {
    let sandbox = start(500).await;
    let (token, _) = sandbox.issue_rseries_token(account());
    let truth = sandbox.rseries_sales(account());
    let middle = truth[truth.len() / 2]["timeStamp"]
        .as_str()
        .expect("time")
        .to_owned();
    let cutoff = time(&Value::String(middle.clone()));
    for (op, keep) in [(">", true), (">=", false)] {
        let filter = format!("{op},{middle}");
        let (sales, _) = walk(
            sales_url(
                &sandbox,
                &[
                    ("timeStamp", &filter),
                    ("sort", "timeStamp"),
                    ("load_relations", RELATIONS),
                ],
            ),
            &token,
        )
        .await;
        let expected: Vec<&Value> = truth
            .iter()
            .filter(|s| {
                if keep {
                    time(&s["timeStamp"]) > cutoff
                } else {
                    time(&s["timeStamp"]) >= cutoff
                }
            })
            .collect();
        assert_eq!(
            sales.iter().collect::<Vec<_>>(),
            expected,
            "timeStamp={filter}"
        );
    }

    let last = truth.last().expect("sales")["timeStamp"]
        .as_str()
        .expect("time")
        .to_owned();
    let since = format!(">,{last}");
    let (nothing, _) = walk(sales_url(&sandbox, &[("timeStamp", &since)]), &token).await;
    assert!(nothing.is_empty(), "nothing changed yet");
    let touched = sandbox.touch_rseries_sales(account(), 5);
    let (changed, _) = walk(
        sales_url(
            &sandbox,
            &[
                ("timeStamp", &since),
                ("load_relations", r#"["SaleLines"]"#),
            ],
        ),
        &token,
    )
    .await;
    let mut expected = touched.clone();
    expected.sort_unstable();
    assert_eq!(ids(&changed), expected, "exactly the changed and new sales");
    let line_ids: HashMap<String, u64> = truth
        .iter()
        .flat_map(|s| {
            let id: u64 = s["saleID"]
                .as_str()
                .and_then(|v| v.parse().ok())
                .unwrap_or(0);
            records(&s["SaleLines"], "SaleLine")
                .into_iter()
                .map(move |l| (l["saleLineID"].as_str().unwrap_or("").to_owned(), id))
        })
        .collect();
    for sale in changed
        .iter()
        .filter(|s| time(&s["createTime"]) > time(&Value::String(last.clone())))
    {
        for line in records(&sale["SaleLines"], "SaleLine") {
            assert!(line["unitQuantity"]
                .as_str()
                .is_some_and(|q| q.starts_with('-')));
            let parent = line["parentSaleLineID"].as_str().unwrap_or("0");
            assert!(
                line_ids.get(parent).is_some_and(|of| touched.contains(of)),
                "a new refund points at a line of a touched sale"
            );
        }
    }

    let plus = format!(
        "{}?timeStamp=>,2026-01-01T00:00:00+00:00",
        api(&sandbox, &format!("Account/{}/Sale.json", account()))
    );
    let raw_plus = get_url(Url::parse(&plus).expect("URL"), &token).await;
    assert_eq!(
        raw_plus.status(),
        400,
        "an unencoded + arrives as a space and is refused"
    );
    for (k, v) in [
        ("limit", "101"),
        ("offset", "100"),
        ("load_relations", "SaleLines"),
        ("load_relations", r#"["Nope"]"#),
        ("after", "not-a-cursor"),
        ("sort", "total"),
    ] {
        let response = get_url(sales_url(&sandbox, &[(k, v)]), &token).await;
        assert_eq!(response.status(), 400, "{k}={v} is refused");
        let body: Value = response.json().await.expect("JSON");
        assert_eq!(body["httpCode"], "400");
    }
    sandbox.shutdown().await;
}

#[tokio::test]
async fn sales_keep_r_series_money_rules_and_shapes() {
    let sandbox = start(1_200).await;
    let (token, _) = sandbox.issue_rseries_token(account());
    let truth = sandbox.rseries_sales(account());
    let flags: HashSet<(String, String)> = truth
        .iter()
        .map(|s| {
            (
                s["completed"].as_str().unwrap_or("").to_owned(),
                s["voided"].as_str().unwrap_or("").to_owned(),
            )
        })
        .collect();
    for pair in [("true", "false"), ("false", "true"), ("false", "false")] {
        assert!(
            flags.contains(&(pair.0.to_owned(), pair.1.to_owned())),
            "some sales are {pair:?}"
        );
    }
    let mut single_line = false;
    let mut many_lines = false;
    let mut refunds = 0;
    for s in &truth {
        let total = decimal_cents(&s["total"]);
        assert_eq!(
            total,
            decimal_cents(&s["calcSubtotal"]) - decimal_cents(&s["calcDiscount"])
                + decimal_cents(&s["calcTax1"])
                + decimal_cents(&s["calcTax2"]),
            "sale {}: total = subtotal − discount + taxes",
            s["saleID"]
        );
        assert_eq!(total, decimal_cents(&s["calcTotal"]));
        assert_eq!(
            decimal_cents(&s["balance"]),
            total - decimal_cents(&s["calcPayments"])
        );
        match &s["SaleLines"]["SaleLine"] {
            Value::Array(_) => many_lines = true,
            Value::Object(_) => single_line = true,
            other => panic!("SaleLines holds lines: {other}"),
        }
        let lines = records(&s["SaleLines"], "SaleLine");
        let sum = |f: &str| lines.iter().map(|l| decimal_cents(&l[f])).sum::<i64>();
        assert_eq!(sum("calcSubtotal"), decimal_cents(&s["calcSubtotal"]));
        assert_eq!(sum("calcLineDiscount"), decimal_cents(&s["calcDiscount"]));
        assert_eq!(sum("calcTotal"), total);
        for l in &lines {
            let q: i64 = l["unitQuantity"]
                .as_str()
                .and_then(|q| q.parse().ok())
                .expect("quantity");
            assert_eq!(
                decimal_cents(&l["calcSubtotal"]),
                decimal_cents(&l["unitPrice"]) * q
            );
            if q < 0 {
                assert_ne!(
                    l["parentSaleLineID"], "0",
                    "refund lines point at what they refund"
                );
            }
        }
        if lines.iter().any(|l| {
            l["unitQuantity"]
                .as_str()
                .is_some_and(|q| q.starts_with('-'))
        }) {
            refunds += 1;
        }
        if s["completed"] == "true" {
            assert!(s["completeTime"].is_string());
        } else {
            assert!(s.get("completeTime").is_none());
        }
        assert_eq!(s["tax1Rate"], "0.13", "Ontario HST");
    }
    assert!(
        single_line && many_lines,
        "one line is an object, several an array"
    );
    assert!(
        refunds > 20,
        "refunds are sales with negative quantities ({refunds})"
    );

    let lone: Value = get_url(sales_url(&sandbox, &[("saleID", "5")]), &token)
        .await
        .json()
        .await
        .expect("JSON");
    assert!(
        lone["Sale"].is_object(),
        "a list of one is an object: {lone}"
    );
    let none: Value = get_url(sales_url(&sandbox, &[("saleID", "0")]), &token)
        .await
        .json()
        .await
        .expect("JSON");
    assert!(none.get("Sale").is_none() && none["@attributes"]["next"] == "");

    let with_customer = truth
        .iter()
        .find(|s| s["customerID"] != "0")
        .expect("a sale with a customer");
    let id = with_customer["saleID"].as_str().expect("id");
    let plain: Value = get_url(
        api(&sandbox, &format!("Account/{}/Sale/{id}.json", account()))
            .join(&format!("?load_relations={}", r#"["Customer"]"#))
            .expect("joins"),
        &token,
    )
    .await
    .json()
    .await
    .expect("JSON");
    assert_eq!(plain["@attributes"]["count"], "1");
    assert!(plain["Sale"]["Customer"].is_object());
    assert!(
        plain["Sale"]["Customer"].get("Contact").is_none(),
        "Contact needs Customer.Contact"
    );
    assert!(plain["Sale"].get("SaleLines").is_none());
    let missing = get_url(
        api(&sandbox, &format!("Account/{}/Sale/999999.json", account())),
        &token,
    )
    .await;
    assert_eq!(missing.status(), 404);

    let paid: Value = get_url(
        sales_url(
            &sandbox,
            &[
                ("limit", "50"),
                ("completed", "true"),
                ("load_relations", r#"["SalePayments","SaleLines.Item"]"#),
            ],
        ),
        &token,
    )
    .await
    .json()
    .await
    .expect("JSON");
    for s in records(&paid, "Sale") {
        assert_eq!(s["completed"], "true");
        let paid: i64 = records(&s["SalePayments"], "SalePayment")
            .iter()
            .map(|p| decimal_cents(&p["amount"]))
            .sum();
        assert_eq!(paid, decimal_cents(&s["calcPayments"]));
        for l in records(&s["SaleLines"], "SaleLine") {
            assert!(l["Item"]["customSku"]
                .as_str()
                .is_some_and(|sku| !sku.is_empty()));
        }
    }
    sandbox.shutdown().await;
}

#[tokio::test]
async fn customers_come_from_the_shared_pool_and_currencies_differ_by_platform() {
    let sandbox = start(2_000).await;
    let (token, _) = sandbox.issue_rseries_token(account());
    let customers = sandbox.rseries_customers(account());
    let page: Value = get_url(
        api(&sandbox, &format!("Account/{}/Customer.json", account()))
            .join("?limit=100&load_relations=%5B%22Contact%22%5D")
            .expect("joins"),
        &token,
    )
    .await
    .json()
    .await
    .expect("JSON");
    assert_eq!(records(&page, "Customer"), customers[..100].to_vec());
    let one: Value = get_url(
        api(&sandbox, &format!("Account/{}/Customer/3.json", account())),
        &token,
    )
    .await
    .json()
    .await
    .expect("JSON");
    assert_eq!(one["Customer"]["customerID"], "3");

    let mut shopify: HashMap<String, HashSet<String>> = HashMap::new();
    for o in sandbox.shopify_orders(SHOP) {
        if let Some(email) = o["email"].as_str() {
            shopify
                .entry(email.trim().to_lowercase())
                .or_default()
                .insert(email.to_owned());
        }
    }
    let emails: Vec<String> = customers
        .iter()
        .filter_map(|c| c["Contact"]["Emails"]["ContactEmail"]["address"].as_str())
        .map(str::to_owned)
        .collect();
    assert!(
        customers.iter().any(|c| c["Contact"]["Emails"] == ""),
        "some customers gave no email"
    );
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
        "R-Series customers also buy on Shopify ({shared})"
    );
    assert!(respelled > 30, "with their own spellings ({respelled})");
    let xseries: HashSet<String> = sandbox
        .xseries_customers(&XSeriesRetailer::default().domain_prefix)
        .iter()
        .filter_map(|c| c["email"].as_str())
        .map(|e| e.trim().to_lowercase())
        .collect();
    let both_lightspeeds = emails
        .iter()
        .filter(|e| xseries.contains(&e.trim().to_lowercase()))
        .count();
    assert!(
        both_lightspeeds > 100,
        "and at the X-Series counter ({both_lightspeeds})"
    );

    let currencies: HashSet<String> = [
        sandbox.bigcommerce_orders(&BigCommerceStore::default().store_hash)[0]["currency_code"]
            .clone(),
        sandbox.woocommerce_orders(&WooSite::default().host)[0]["currency"].clone(),
    ]
    .iter()
    .filter_map(|v| v.as_str().map(str::to_owned))
    .chain(["NZD".to_owned(), "CAD".to_owned()])
    .collect();
    assert_eq!(
        currencies.len(),
        4,
        "USD, EUR, NZD and CAD across the default platforms"
    );
    let summary: Value = client()
        .get(
            sandbox
                .base_url()
                .join(&format!("_sandbox/rseries/{}/summary", account()))
                .expect("joins"),
        )
        .send()
        .await
        .expect("answers")
        .json()
        .await
        .expect("JSON");
    assert_eq!(summary["currency"], "CAD");
    let summary: Value = client()
        .get(
            sandbox
                .base_url()
                .join(&format!(
                    "_sandbox/xseries/{}/summary",
                    XSeriesRetailer::default().domain_prefix
                ))
                .expect("joins"),
        )
        .send()
        .await
        .expect("answers")
        .json()
        .await
        .expect("JSON");
    assert_eq!(summary["currency"], "NZD");
    sandbox.shutdown().await;
}

fn header<'r>(response: &'r reqwest::Response, name: &str) -> Option<&'r str> {
    response.headers().get(name)?.to_str().ok()
}

#[tokio::test]
async fn the_leaky_bucket_is_reported_and_overflows_when_enforced() {
    let relaxed = start(10).await;
    let (token, _) = relaxed.issue_rseries_token(account());
    let response = get_url(api(&relaxed, "Account.json"), &token).await;
    assert_eq!(header(&response, "x-ls-api-bucket-level"), Some("1/90"));
    assert_eq!(header(&response, "x-ls-api-drip-rate"), Some("1"));
    relaxed.shutdown().await;

    let strict = Sandbox::start(SandboxConfig {
        enforce_rate_limits: true,
        ..config(10)
    })
    .await
    .expect("starts");
    let (token, _) = strict.issue_rseries_token(account());
    let mut admitted = 0;
    let refused = loop {
        let response = get_url(api(&strict, "Account.json"), &token).await;
        if response.status() == 429 {
            break response;
        }
        assert_eq!(response.status(), 200);
        let level = header(&response, "x-ls-api-bucket-level")
            .expect("level")
            .to_owned();
        assert!(level.ends_with("/90"), "{level} is used/size");
        admitted += 1;
        assert!(admitted < 200, "the bucket must overflow");
    };
    assert!(
        admitted >= 90,
        "a full bucket's worth is admitted first ({admitted})"
    );
    let retry: u64 = header(&refused, "retry-after")
        .and_then(|v| v.parse().ok())
        .expect("Retry-After in seconds");
    assert!((1..=2).contains(&retry), "a drip or two ({retry} s)");
    let body: Value = refused.json().await.expect("JSON");
    assert_eq!(body["httpCode"], "429");
    strict.shutdown().await;
}
