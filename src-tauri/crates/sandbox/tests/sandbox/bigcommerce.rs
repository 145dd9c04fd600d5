//! BigCommerce's v2 orders API as a store-level API account sees it: paging
//! by `date_modified`, filters, sub-resources, errors, the rate limit, and
//! the shoppers it shares with Shopify.

use std::collections::{HashMap, HashSet};

use serde_json::Value;
use time::format_description::well_known::Rfc2822;
use time::OffsetDateTime;

use super::{client, config, start, SHOP};
use counterline_sandbox::{BigCommerceStore, Sandbox, SandboxConfig};

fn store() -> BigCommerceStore {
    BigCommerceStore::default()
}

fn api(sandbox: &Sandbox, path: &str) -> url::Url {
    sandbox
        .bigcommerce_origin()
        .join(&format!("stores/{}/v2/{path}", store().store_hash))
        .expect("a relative path joins")
}

/// GETs `path` with the store's token (or `token`) and returns the response.
async fn get_as(sandbox: &Sandbox, path: &str, token: Option<&str>) -> reqwest::Response {
    let mut request = client()
        .get(api(sandbox, path))
        .header("Accept", "application/json");
    if let Some(token) = token {
        request = request.header("X-Auth-Token", token);
    }
    request.send().await.expect("the sandbox answers")
}

async fn get(sandbox: &Sandbox, path: &str) -> reqwest::Response {
    get_as(sandbox, path, Some(&store().access_token)).await
}

fn rfc2822(v: &Value) -> i64 {
    let s = v.as_str().unwrap_or_else(|| panic!("{v} is a date string"));
    OffsetDateTime::parse(s, &Rfc2822)
        .unwrap_or_else(|e| panic!("{s} is RFC 2822: {e}"))
        .unix_timestamp()
}

fn money(v: &Value) -> i64 {
    let s = v
        .as_str()
        .unwrap_or_else(|| panic!("{v} is a money string"));
    let (whole, frac) = s
        .split_once('.')
        .unwrap_or_else(|| panic!("{s} has decimals"));
    assert_eq!(
        frac.len(),
        4,
        "{s} has four decimals, as BigCommerce writes money"
    );
    assert!(frac.ends_with("00"), "{s} is whole cents");
    whole.parse::<i64>().expect("whole part") * 100 + frac[..2].parse::<i64>().expect("cents")
}

/// Walks `sort=date_modified:asc` pages of 250 from `since` (RFC 2822) until
/// the 204, returning the orders and the number of requests made.
async fn walk(sandbox: &Sandbox, since: Option<&str>) -> (Vec<Value>, usize) {
    let mut orders = Vec::new();
    let mut requests = 0;
    for page in 1.. {
        let mut url = api(sandbox, "orders");
        {
            let mut q = url.query_pairs_mut();
            if let Some(since) = since {
                q.append_pair("min_date_modified", since);
            }
            q.append_pair("sort", "date_modified:asc")
                .append_pair("page", &page.to_string())
                .append_pair("limit", "250");
        }
        let response = client()
            .get(url)
            .header("X-Auth-Token", store().access_token)
            .send()
            .await
            .expect("answers");
        requests += 1;
        if response.status() == 204 {
            assert!(
                response.text().await.expect("body").is_empty(),
                "a 204 has no body"
            );
            return (orders, requests);
        }
        assert_eq!(response.status(), 200, "pages are served");
        let page: Vec<Value> = response.json().await.expect("a JSON array of orders");
        assert!(
            !page.is_empty() && page.len() <= 250,
            "a page holds 1–250 orders"
        );
        orders.extend(page);
    }
    unreachable!()
}

fn ids(orders: &[Value]) -> Vec<u64> {
    orders
        .iter()
        .map(|o| o["id"].as_u64().expect("numeric id"))
        .collect()
}

#[tokio::test]
async fn paging_by_date_modified_returns_every_order_once_in_order() {
    let sandbox = start(1_100).await;
    let before = sandbox.bigcommerce_request_count();
    let (orders, requests) = walk(&sandbox, None).await;
    assert_eq!(requests, 6, "1,100 orders take five pages of 250 and a 204");
    assert_eq!(sandbox.bigcommerce_request_count() - before, 6);
    let truth = sandbox.bigcommerce_orders(&store().store_hash);
    assert_eq!(
        ids(&orders),
        ids(&truth),
        "the walk sees the truth, each order once"
    );
    let unique: HashSet<u64> = ids(&orders).into_iter().collect();
    assert_eq!(unique.len(), 1_100);
    let modified: Vec<i64> = orders
        .iter()
        .map(|o| rfc2822(&o["date_modified"]))
        .collect();
    assert!(
        modified.windows(2).all(|w| w[0] <= w[1]),
        "pages ascend by date_modified"
    );
    assert_eq!(orders, truth, "the API serves exactly the truth");
    sandbox.shutdown().await;
}

#[tokio::test]
async fn min_date_modified_keeps_orders_modified_at_or_after_it_and_edits_arrive_later() {
    let sandbox = start(700).await;
    let truth = sandbox.bigcommerce_orders(&store().store_hash);
    let since = truth[truth.len() / 2]["date_modified"]
        .as_str()
        .expect("date_modified")
        .to_owned();
    let cutoff = rfc2822(&Value::String(since.clone()));
    let expected: Vec<u64> = truth
        .iter()
        .filter(|o| rfc2822(&o["date_modified"]) >= cutoff)
        .map(|o| o["id"].as_u64().expect("id"))
        .collect();
    let (orders, _) = walk(&sandbox, Some(&since)).await;
    assert_eq!(ids(&orders), expected, "RFC 2822 bound, inclusive");

    let iso = OffsetDateTime::from_unix_timestamp(cutoff)
        .expect("valid time")
        .format(&time::format_description::well_known::Rfc3339)
        .expect("formats");
    let (orders, _) = walk(&sandbox, Some(&iso)).await;
    assert_eq!(ids(&orders), expected, "an ISO 8601 bound means the same");

    // A sync resumes from the newest date_modified it saw.
    let last = truth.last().expect("orders")["date_modified"]
        .as_str()
        .expect("date")
        .to_owned();
    let touched = sandbox.touch_bigcommerce_orders(&store().store_hash, 5);
    let (orders, _) = walk(&sandbox, Some(&last)).await;
    let seen: HashSet<u64> = ids(&orders).into_iter().collect();
    assert!(
        touched.iter().all(|id| seen.contains(id)),
        "edited orders come back after the last sync's high-water mark"
    );
    assert!(seen.len() <= touched.len() + 1, "and little else");
    let before: HashMap<u64, &Value> = truth
        .iter()
        .map(|o| (o["id"].as_u64().unwrap_or(0), o))
        .collect();
    for o in orders
        .iter()
        .filter(|o| touched.contains(&o["id"].as_u64().unwrap_or(0)))
    {
        let old = before[&o["id"].as_u64().unwrap_or(0)];
        let refunded_more = money(&o["refunded_amount"]) > money(&old["refunded_amount"]);
        let noted =
            o["staff_notes"].as_str().is_some_and(|n| !n.is_empty()) && old["staff_notes"] == "";
        assert!(
            refunded_more || noted,
            "order {} was refunded or annotated: {o}",
            o["id"]
        );
    }

    let response = get(&sandbox, "orders?min_date_modified=yesterday").await;
    assert_eq!(response.status(), 400, "an unreadable date is refused");
    let response = get(&sandbox, "orders?limit=251").await;
    assert_eq!(response.status(), 413, "more than 250 per page is refused");
    sandbox.shutdown().await;
}

#[tokio::test]
async fn orders_have_products_statuses_guests_refunds_and_totals_that_add_up() {
    let sandbox = start(1_500).await;
    let hash = store().store_hash;
    let truth = sandbox.bigcommerce_orders(&hash);
    let statuses: HashSet<u64> = truth
        .iter()
        .map(|o| o["status_id"].as_u64().expect("status_id"))
        .collect();
    for (id, name) in [
        (2, "Shipped"),
        (4, "Refunded"),
        (5, "Cancelled"),
        (11, "Awaiting Fulfillment"),
        (14, "Partially Refunded"),
    ] {
        assert!(statuses.contains(&id), "some orders are {name} ({id})");
    }
    assert!(
        truth.iter().any(|o| o["customer_id"] == 0),
        "guests have customer_id 0"
    );
    assert!(
        truth.iter().all(|o| o["currency_code"] == "USD"),
        "the default store sells in USD"
    );
    for o in &truth {
        assert_eq!(
            o["status"].as_str(),
            Some(match o["status_id"].as_u64() {
                Some(2) => "Shipped",
                Some(3) => "Partially Shipped",
                Some(4) => "Refunded",
                Some(5) => "Cancelled",
                Some(6) => "Declined",
                Some(7) => "Awaiting Payment",
                Some(10) => "Completed",
                Some(11) => "Awaiting Fulfillment",
                Some(12) => "Manual Verification Required",
                Some(14) => "Partially Refunded",
                other => panic!("unexpected status_id {other:?}"),
            }),
            "status text matches status_id"
        );
        let total = money(&o["total_inc_tax"]);
        assert_eq!(total, money(&o["total_ex_tax"]) + money(&o["total_tax"]));
        assert_eq!(
            money(&o["total_ex_tax"]),
            money(&o["subtotal_ex_tax"]) + money(&o["shipping_cost_ex_tax"])
                - money(&o["discount_amount"])
        );
        assert!(
            money(&o["refunded_amount"]) <= total,
            "never refunds more than was paid"
        );
        assert!(rfc2822(&o["date_modified"]) >= rfc2822(&o["date_created"]));
    }

    // Lines through the sub-resource link, for a handful of orders.
    for o in truth.iter().step_by(97) {
        let link = &o["products"];
        let id = o["id"].as_u64().expect("id");
        assert_eq!(link["resource"], format!("/orders/{id}/products"));
        let response = client()
            .get(link["url"].as_str().expect("a URL"))
            .header("X-Auth-Token", store().access_token)
            .send()
            .await
            .expect("answers");
        assert_eq!(response.status(), 200);
        let lines: Vec<Value> = response.json().await.expect("JSON lines");
        assert_eq!(lines, sandbox.bigcommerce_order_products(&hash, id));
        let sum = |field: &str| lines.iter().map(|l| money(&l[field])).sum::<i64>();
        assert_eq!(
            sum("total_ex_tax"),
            money(&o["subtotal_ex_tax"]),
            "order {id}: lines add up to the subtotal"
        );
        assert_eq!(
            sum("total_tax"),
            money(&o["total_tax"]),
            "order {id}: line taxes add up"
        );
        let items: u64 = lines
            .iter()
            .map(|l| l["quantity"].as_u64().expect("quantity"))
            .sum();
        assert_eq!(Some(items), o["items_total"].as_u64());
        for l in &lines {
            assert!(l["sku"].as_str().is_some_and(|s| !s.is_empty()) && l["name"].is_string());
            assert!(l["base_price"].is_string() && l["price_inc_tax"].is_string());
        }
    }
    let response = get(&sandbox, "orders/99999999/products").await;
    assert_eq!(response.status(), 404);

    let statuses: Value = get(&sandbox, "order_statuses")
        .await
        .json()
        .await
        .expect("JSON");
    assert_eq!(statuses.as_array().map(Vec::len), Some(15), "statuses 0–14");
    let info: Value = get(&sandbox, "store").await.json().await.expect("JSON");
    assert_eq!(info["id"], hash.as_str());
    assert_eq!(info["currency"], "USD");
    assert!(info["name"].is_string() && info["domain"].is_string());
    sandbox.shutdown().await;
}

#[tokio::test]
async fn auth_failures_answer_in_bigcommerces_error_shape() {
    let sandbox = start(20).await;
    let hash = store().store_hash;
    for (token, why) in [(None, "no token"), (Some("not-the-token"), "a wrong token")] {
        let response = get_as(&sandbox, "orders", token).await;
        assert_eq!(response.status(), 401, "{why}");
        let body: Value = response.json().await.expect("JSON");
        assert_eq!(
            body[0]["status"], 401,
            "{why}: v2 errors are an array of {{status, message}}"
        );
        assert!(body[0]["message"].is_string());
    }
    let missing: Value = get(&sandbox, "orders/1").await.json().await.expect("JSON");
    assert_eq!(
        missing,
        serde_json::json!([{"status": 404, "message": "The requested resource was not found."}])
    );

    let second = sandbox.issue_bigcommerce_token(&hash);
    assert_eq!(get_as(&sandbox, "time", Some(&second)).await.status(), 200);
    sandbox.revoke_bigcommerce_tokens(&hash);
    assert_eq!(
        get(&sandbox, "store").await.status(),
        401,
        "a deleted API account stops working"
    );
    assert_eq!(get_as(&sandbox, "store", Some(&second)).await.status(), 401);
    sandbox.shutdown().await;
}

fn header(response: &reqwest::Response, name: &str) -> Option<u64> {
    response.headers().get(name)?.to_str().ok()?.parse().ok()
}

#[tokio::test]
async fn rate_limit_headers_are_reported_and_enforced_when_asked() {
    let relaxed = start(20).await;
    let response = get(&relaxed, "time").await;
    assert_eq!(header(&response, "x-rate-limit-requests-quota"), Some(150));
    assert_eq!(
        header(&response, "x-rate-limit-requests-left"),
        Some(150),
        "not drained when not enforced"
    );
    assert_eq!(
        header(&response, "x-rate-limit-time-window-ms"),
        Some(30_000)
    );
    assert!(header(&response, "x-rate-limit-time-reset-ms").is_some());
    relaxed.shutdown().await;

    let strict = Sandbox::start(SandboxConfig {
        enforce_rate_limits: true,
        ..config(20)
    })
    .await
    .expect("starts");
    let mut lefts = Vec::new();
    for _ in 0..150 {
        let response = get(&strict, "time").await;
        assert_eq!(
            response.status(),
            200,
            "the quota admits 150 requests per window"
        );
        lefts.push(header(&response, "x-rate-limit-requests-left").expect("left"));
    }
    assert_eq!(lefts.first(), Some(&149));
    assert_eq!(lefts.last(), Some(&0));
    let refused = get(&strict, "orders").await;
    assert_eq!(
        refused.status(),
        429,
        "the 151st request in the window is refused"
    );
    assert_eq!(header(&refused, "x-rate-limit-requests-left"), Some(0));
    let reset = header(&refused, "x-rate-limit-time-reset-ms").expect("reset header");
    assert!(
        (1..=30_000).contains(&reset),
        "says how long to wait ({reset} ms)"
    );
    let body: Value = refused.json().await.expect("JSON");
    assert_eq!(body[0]["status"], 429);
    strict.shutdown().await;
}

#[tokio::test]
async fn the_same_people_buy_on_shopify_and_bigcommerce_typing_their_email_differently() {
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
    let mut both = 0;
    let mut spelled_differently = 0;
    for o in sandbox.bigcommerce_orders(&store().store_hash) {
        let typed = o["billing_address"]["email"].as_str().unwrap_or("");
        if typed.is_empty() {
            continue;
        }
        if let Some(spellings) = shopify.get(&typed.trim().to_lowercase()) {
            both += 1;
            if !spellings.contains(typed) {
                spelled_differently += 1;
            }
        }
    }
    assert!(
        both > 500,
        "many BigCommerce orders come from Shopify customers ({both})"
    );
    assert!(
        spelled_differently > 50,
        "often with an email spelled in a way Shopify never saw ({spelled_differently})"
    );
    sandbox.shutdown().await;
}
