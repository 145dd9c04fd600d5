//! WooCommerce's REST v3 orders API as Counterline meets it: consumer keys
//! and Application Passwords (with WordPress's consent page), paging with
//! `X-WP-Total(Pages)`, the `modified_after` filter, WordPress's error
//! shapes, and the shoppers and currencies it shares with the other
//! platforms.

use std::collections::{HashMap, HashSet};

use serde_json::Value;
use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;
use url::Url;

use super::{client, start, SHOP};
use counterline_sandbox::{BigCommerceStore, Sandbox, WooSite};

fn site() -> WooSite {
    WooSite::default()
}

fn rest(sandbox: &Sandbox, path: &str) -> Url {
    sandbox
        .woocommerce_origin(&site().host)
        .join(&format!("wp-json/wc/v3/{path}"))
        .expect("a relative path joins")
}

enum Auth {
    None,
    Keys,
    Basic(String, String),
}

async fn get(url: Url, auth: &Auth) -> reqwest::Response {
    let request = client().get(url);
    let request = match auth {
        Auth::None => request,
        Auth::Keys => request.basic_auth(site().consumer_key, Some(site().consumer_secret)),
        Auth::Basic(user, password) => request.basic_auth(user, Some(password)),
    };
    request.send().await.expect("the sandbox answers")
}

/// WordPress dates have no zone; the `_gmt` ones are UTC.
fn gmt(v: &Value) -> i64 {
    let s = v.as_str().unwrap_or_else(|| panic!("{v} is a date string"));
    assert_eq!(s.len(), 19, "{s} is YYYY-MM-DDTHH:MM:SS without a zone");
    OffsetDateTime::parse(&format!("{s}Z"), &Rfc3339)
        .unwrap_or_else(|e| panic!("{s}: {e}"))
        .unix_timestamp()
}

fn cents(v: &Value) -> i64 {
    let s = v
        .as_str()
        .unwrap_or_else(|| panic!("{v} is a money string"));
    let negative = s.starts_with('-');
    let (whole, frac) = s
        .trim_start_matches('-')
        .split_once('.')
        .unwrap_or_else(|| panic!("{s} has decimals"));
    assert_eq!(frac.len(), 2, "{s} has two decimals");
    let c = whole.parse::<i64>().expect("whole") * 100 + frac.parse::<i64>().expect("cents");
    if negative {
        -c
    } else {
        c
    }
}

fn header(response: &reqwest::Response, name: &str) -> Option<String> {
    Some(response.headers().get(name)?.to_str().ok()?.to_owned())
}

/// Walks `orderby=modified&order=asc` pages of 100 after `since` (GMT),
/// following `X-WP-TotalPages`; returns the orders and the reported total.
async fn walk(sandbox: &Sandbox, since: Option<&str>, auth: &Auth) -> (Vec<Value>, u64) {
    let mut orders = Vec::new();
    let mut page = 1u64;
    loop {
        let mut url = rest(sandbox, "orders");
        {
            let mut q = url.query_pairs_mut();
            if let Some(since) = since {
                q.append_pair("modified_after", since)
                    .append_pair("dates_are_gmt", "true");
            }
            q.append_pair("orderby", "modified")
                .append_pair("order", "asc")
                .append_pair("page", &page.to_string())
                .append_pair("per_page", "100");
        }
        let response = get(url, auth).await;
        assert_eq!(response.status(), 200, "pages are served");
        let total: u64 = header(&response, "x-wp-total")
            .expect("X-WP-Total")
            .parse()
            .expect("a number");
        let pages: u64 = header(&response, "x-wp-totalpages")
            .expect("X-WP-TotalPages")
            .parse()
            .expect("a number");
        let link = header(&response, "link").unwrap_or_default();
        assert_eq!(
            link.contains("rel=\"next\""),
            page < pages,
            "a next link until the last page"
        );
        let batch: Vec<Value> = response.json().await.expect("a JSON array");
        orders.extend(batch);
        if page >= pages {
            return (orders, total);
        }
        page += 1;
    }
}

/// `value` as a client reads it back: serde_json's default float parser may
/// land one ulp away from the float that was written (a line's `price`).
fn over_the_wire<T: serde::Serialize + serde::de::DeserializeOwned>(value: &T) -> T {
    serde_json::from_str(&serde_json::to_string(value).expect("serialises")).expect("parses")
}

fn ids(orders: &[Value]) -> Vec<u64> {
    orders
        .iter()
        .map(|o| o["id"].as_u64().expect("id"))
        .collect()
}

#[tokio::test]
async fn paging_by_modified_date_returns_every_order_once_in_order() {
    let sandbox = start(1_050).await;
    let before = sandbox.woocommerce_request_count();
    let (orders, total) = walk(&sandbox, None, &Auth::Keys).await;
    assert_eq!(total, 1_050, "X-WP-Total counts the whole collection");
    assert_eq!(
        sandbox.woocommerce_request_count() - before,
        11,
        "11 pages of up to 100"
    );
    let truth = sandbox.woocommerce_orders(&site().host);
    assert_eq!(
        ids(&orders),
        ids(&truth),
        "each order once, in (date_modified, id) order"
    );
    assert_eq!(
        ids(&orders).into_iter().collect::<HashSet<_>>().len(),
        1_050
    );
    let modified: Vec<i64> = orders
        .iter()
        .map(|o| gmt(&o["date_modified_gmt"]))
        .collect();
    assert!(
        modified.windows(2).all(|w| w[0] <= w[1]),
        "ascending by date_modified_gmt"
    );
    assert_eq!(
        orders,
        over_the_wire(&truth),
        "the API serves exactly the truth"
    );

    // Default order is newest first by creation date, 10 per page.
    let response = get(rest(&sandbox, "orders"), &Auth::Keys).await;
    assert_eq!(header(&response, "x-wp-totalpages").as_deref(), Some("105"));
    let first: Vec<Value> = response.json().await.expect("JSON");
    assert_eq!(first.len(), 10);
    assert!(gmt(&first[0]["date_created_gmt"]) >= gmt(&first[9]["date_created_gmt"]));
    sandbox.shutdown().await;
}

#[tokio::test]
async fn modified_after_keeps_strictly_newer_orders_in_gmt_or_local_time() {
    let sandbox = start(600).await;
    let truth = sandbox.woocommerce_orders(&site().host);
    let pick = &truth[truth.len() / 2];
    let since_gmt = pick["date_modified_gmt"].as_str().expect("date").to_owned();
    let cutoff = gmt(&pick["date_modified_gmt"]);
    let expected: Vec<u64> = truth
        .iter()
        .filter(|o| gmt(&o["date_modified_gmt"]) > cutoff)
        .map(|o| o["id"].as_u64().expect("id"))
        .collect();
    let (orders, total) = walk(&sandbox, Some(&since_gmt), &Auth::Keys).await;
    assert_eq!(ids(&orders), expected, "modified_after is exclusive");
    assert_eq!(total as usize, expected.len());

    // Without dates_are_gmt the bound is the site's local time (UTC+1 here).
    let local = pick["date_modified"].as_str().expect("local date");
    assert_ne!(local, since_gmt, "local and GMT dates differ on this site");
    let mut url = rest(&sandbox, "orders");
    url.query_pairs_mut()
        .append_pair("modified_after", local)
        .append_pair("orderby", "modified")
        .append_pair("order", "asc")
        .append_pair("per_page", "100");
    let response = get(url, &Auth::Keys).await;
    assert_eq!(
        header(&response, "x-wp-total").and_then(|t| t.parse::<usize>().ok()),
        Some(expected.len()),
        "the same instant in local time selects the same orders"
    );

    // Orders edited after a sync come back after its high-water mark, with
    // any new refund listed separately.
    let last = truth.last().expect("orders")["date_modified_gmt"]
        .as_str()
        .expect("date")
        .to_owned();
    let touched = sandbox.touch_woocommerce_orders(&site().host, 6);
    let (orders, _) = walk(&sandbox, Some(&last), &Auth::Keys).await;
    let mut seen = ids(&orders);
    seen.sort_unstable();
    let mut touched_sorted = touched.clone();
    touched_sorted.sort_unstable();
    assert_eq!(
        seen, touched_sorted,
        "exactly the edited orders are newer than the last sync"
    );
    let before: HashMap<u64, &Value> = truth
        .iter()
        .map(|o| (o["id"].as_u64().unwrap_or(0), o))
        .collect();
    for o in &orders {
        let old = before[&o["id"].as_u64().unwrap_or(0)];
        let count = |v: &Value| v["refunds"].as_array().map_or(0, Vec::len);
        let refunded = count(o) == count(old) + 1;
        let noted = o["meta_data"]
            .as_array()
            .is_some_and(|m| m.iter().any(|e| e["key"] == "support_note"));
        assert!(
            refunded || noted,
            "order {} got a new refund or a support note",
            o["id"]
        );
        if refunded {
            let newest = o["refunds"][0]["id"].as_u64().unwrap_or(0);
            let previous = old["refunds"][0]["id"].as_u64().unwrap_or(0);
            assert!(newest > previous, "the new refund is listed first");
        }
    }
    sandbox.shutdown().await;
}

#[tokio::test]
async fn orders_carry_statuses_guests_refunds_and_totals_that_add_up_in_euros() {
    let sandbox = start(1_500).await;
    let truth = sandbox.woocommerce_orders(&site().host);
    let statuses: HashSet<&str> = truth.iter().filter_map(|o| o["status"].as_str()).collect();
    for s in [
        "pending",
        "processing",
        "on-hold",
        "completed",
        "cancelled",
        "refunded",
        "failed",
    ] {
        assert!(statuses.contains(s), "some orders are {s}");
    }
    assert!(
        truth
            .iter()
            .any(|o| o["customer_id"] == 0 && o["billing"]["email"] != ""),
        "guest checkouts"
    );
    assert!(truth
        .iter()
        .any(|o| o["refunds"].as_array().is_some_and(|r| !r.is_empty())));
    for o in &truth {
        assert_eq!(o["currency"], "EUR", "the default site sells in EUR");
        assert_eq!(o["number"], o["id"].as_u64().expect("id").to_string());
        let lines = o["line_items"].as_array().expect("line_items");
        let sum = |field: &str| lines.iter().map(|l| cents(&l[field])).sum::<i64>();
        assert_eq!(
            sum("subtotal") - cents(&o["discount_total"]),
            sum("total"),
            "order {}",
            o["id"]
        );
        assert_eq!(
            cents(&o["total"]),
            sum("total") + cents(&o["shipping_total"]) + cents(&o["total_tax"]),
            "order {}: total = lines + shipping + tax",
            o["id"]
        );
        let refunded: i64 = o["refunds"]
            .as_array()
            .expect("refunds")
            .iter()
            .map(|r| cents(&r["total"]))
            .sum();
        assert!(
            refunded <= 0 && -refunded <= cents(&o["total"]),
            "refund totals are negative and bounded"
        );
        if o["status"] == "refunded" {
            assert_eq!(
                -refunded,
                cents(&o["total"]),
                "order {}: fully refunded",
                o["id"]
            );
        }
        assert!(gmt(&o["date_modified_gmt"]) >= gmt(&o["date_created_gmt"]));
        assert_eq!(
            gmt(&o["date_created"]) - gmt(&o["date_created_gmt"]),
            3_600,
            "the site runs on UTC+1"
        );
    }

    let one = &truth[3];
    let url = rest(&sandbox, &format!("orders/{}", one["id"]));
    let got: Value = get(url, &Auth::Keys).await.json().await.expect("JSON");
    assert_eq!(
        got,
        over_the_wire(one),
        "a single order reads the same as in the list"
    );
    let missing = get(rest(&sandbox, "orders/7"), &Auth::Keys).await;
    assert_eq!(missing.status(), 404);
    let body: Value = missing.json().await.expect("JSON");
    assert_eq!(body["code"], "woocommerce_rest_shop_order_invalid_id");
    sandbox.shutdown().await;
}

async fn error_of(response: reqwest::Response) -> (u16, Value) {
    let status = response.status().as_u16();
    (
        status,
        response.json().await.expect("a WordPress error body"),
    )
}

#[tokio::test]
async fn auth_and_parameter_failures_answer_in_wordpress_error_shape() {
    let sandbox = start(30).await;
    let orders = rest(&sandbox, "orders");
    let (status, body) = error_of(get(orders.clone(), &Auth::None).await).await;
    assert_eq!(status, 401);
    assert_eq!(body["code"], "woocommerce_rest_cannot_view");
    assert_eq!(body["message"], "Sorry, you cannot list resources.");
    assert_eq!(body["data"]["status"], 401);

    let wrong_secret = Auth::Basic(site().consumer_key, "cs_wrong".into());
    let (status, body) = error_of(get(orders.clone(), &wrong_secret).await).await;
    assert_eq!(
        (status, body["code"].as_str()),
        (401, Some("woocommerce_rest_authentication_error"))
    );

    let wrong_password = Auth::Basic(
        site().app_password_user,
        "abcd efgh ijkl mnop qrst uvwx".into(),
    );
    let (status, body) = error_of(get(orders.clone(), &wrong_password).await).await;
    assert_eq!(
        (status, body["code"].as_str()),
        (401, Some("incorrect_password"))
    );

    let stranger = Auth::Basic("nobody".into(), "abcd efgh ijkl mnop qrst uvwx".into());
    let (status, body) = error_of(get(orders.clone(), &stranger).await).await;
    assert_eq!(
        (status, body["code"].as_str()),
        (401, Some("invalid_username"))
    );

    // Keys as query parameters, for servers that strip Authorization.
    let mut by_query = orders.clone();
    by_query
        .query_pairs_mut()
        .append_pair("consumer_key", &site().consumer_key)
        .append_pair("consumer_secret", &site().consumer_secret);
    assert_eq!(get(by_query, &Auth::None).await.status(), 200);

    // Parameters are validated before the permission check, all at once.
    let mut too_many = orders.clone();
    too_many
        .query_pairs_mut()
        .append_pair("per_page", "101")
        .append_pair("orderby", "total");
    for auth in [Auth::Keys, Auth::None] {
        let (status, body) = error_of(get(too_many.clone(), &auth).await).await;
        assert_eq!(status, 400);
        assert_eq!(body["code"], "rest_invalid_param");
        assert_eq!(body["message"], "Invalid parameter(s): per_page, orderby");
        assert_eq!(
            body["data"]["params"]["per_page"],
            "per_page must be between 1 (inclusive) and 100 (inclusive)"
        );
        assert_eq!(
            body["data"]["details"]["per_page"]["code"],
            "rest_out_of_bounds"
        );
    }

    sandbox.revoke_woocommerce_api_keys(&site().host);
    let (status, _) = error_of(get(orders.clone(), &Auth::Keys).await).await;
    assert_eq!(status, 401, "revoked keys stop working");
    let (status, body) = error_of(get(rest(&sandbox, "nope"), &Auth::None).await).await;
    assert_eq!(
        (status, body["code"].as_str()),
        (404, Some("rest_no_route"))
    );
    sandbox.shutdown().await;
}

fn unescape(s: &str) -> String {
    s.replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

/// The consent form as a browser submits it: hidden inputs plus the
/// pre-filled `app_name`.
fn form_fields(html: &str) -> Vec<(String, String)> {
    let mut fields: Vec<(String, String)> = html
        .split("<input type=\"hidden\" ")
        .skip(1)
        .filter_map(|rest| {
            let name = rest.split("name=\"").nth(1)?.split('"').next()?;
            let value = rest.split("value=\"").nth(1)?.split('"').next()?;
            Some((unescape(name), unescape(value)))
        })
        .collect();
    let app_name = html
        .split("id=\"app_name\"")
        .nth(1)
        .and_then(|rest| rest.split("value=\"").nth(1))
        .and_then(|rest| rest.split('"').next())
        .map(unescape)
        .unwrap_or_default();
    fields.push(("app_name".into(), app_name));
    fields
}

const APP_ID: &str = "6f1c7e9a-3b2d-4f5e-9a8b-1c2d3e4f5a6b";

fn authorize_url(sandbox: &Sandbox, success: &str, reject: Option<&str>) -> Url {
    let mut url = sandbox
        .woocommerce_origin(&site().host)
        .join("wp-admin/authorize-application.php")
        .expect("joins");
    {
        let mut q = url.query_pairs_mut();
        q.append_pair("app_name", "Counterline")
            .append_pair("app_id", APP_ID)
            .append_pair("success_url", success);
        if let Some(reject) = reject {
            q.append_pair("reject_url", reject);
        }
    }
    url
}

async fn consent(sandbox: &Sandbox, success: &str, reject: Option<&str>) -> String {
    let response = client()
        .get(authorize_url(sandbox, success, reject))
        .send()
        .await
        .expect("answers");
    assert_eq!(
        response.status(),
        200,
        "a valid request shows the consent page"
    );
    response.text().await.expect("HTML")
}

async fn submit(sandbox: &Sandbox, html: &str, button: &str) -> reqwest::Response {
    let mut form = form_fields(html);
    form.push((button.into(), "x".into()));
    let action = sandbox
        .woocommerce_origin(&site().host)
        .join("wp-admin/authorize-application.php")
        .expect("joins");
    assert!(
        html.contains(&format!("action=\"{}\"", action.path())),
        "the form posts back to the page"
    );
    client()
        .post(action)
        .form(&form)
        .send()
        .await
        .expect("answers")
}

fn location(response: &reqwest::Response) -> Url {
    assert_eq!(response.status(), 302, "a decision redirects");
    let location = response.headers()["location"].to_str().expect("ASCII");
    Url::parse(location).expect("an absolute URL")
}

fn param(url: &Url, name: &str) -> Option<String> {
    url.query_pairs()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.into_owned())
}

#[tokio::test]
async fn approving_an_application_password_redirects_with_a_password_that_works() {
    let sandbox = start(25).await;
    let success = "app.counterline://wc-callback?state=st-42";
    let html = consent(&sandbox, success, None).await;
    assert!(html.contains("id=\"approve\"") && html.contains("id=\"reject\""));
    assert!(html.contains("Counterline"), "the page names the app");

    let back = location(&submit(&sandbox, &html, "approve").await);
    assert_eq!(back.scheme(), "app.counterline", "custom schemes are kept");
    assert_eq!(back.host_str(), Some("wc-callback"));
    assert_eq!(
        param(&back, "state").as_deref(),
        Some("st-42"),
        "the app's own query survives"
    );
    let site_url = param(&back, "site_url").expect("site_url");
    assert_eq!(
        format!("{site_url}/"),
        sandbox.woocommerce_origin(&site().host).as_str(),
        "site_url is the site's origin without the trailing slash"
    );
    let user = param(&back, "user_login").expect("user_login");
    assert_eq!(user, site().app_password_user);
    let password = param(&back, "password").expect("password");
    assert_eq!(
        password.len(),
        24,
        "WordPress sends the raw 24-character password"
    );
    assert_eq!(
        sandbox.woocommerce_app_passwords(&site().host),
        vec![password.clone()]
    );

    let orders = Url::parse(&format!("{site_url}/wp-json/wc/v3/orders")).expect("URL");
    let response = get(orders.clone(), &Auth::Basic(user.clone(), password.clone())).await;
    assert_eq!(
        response.status(),
        200,
        "the password authenticates REST calls"
    );
    let spaced: String = password
        .as_bytes()
        .chunks(4)
        .map(|c| String::from_utf8_lossy(c).into_owned())
        .collect::<Vec<_>>()
        .join(" ");
    let response = get(orders.clone(), &Auth::Basic(user.clone(), spaced)).await;
    assert_eq!(response.status(), 200, "the spaced form works too");
    let status_url = Url::parse(&format!("{site_url}/wp-json/wc/v3/system_status")).expect("URL");
    let report: Value = get(
        status_url.clone(),
        &Auth::Basic(user.clone(), password.clone()),
    )
    .await
    .json()
    .await
    .expect("JSON");
    assert_eq!(report["settings"]["currency"], "EUR");
    assert_eq!(get(status_url, &Auth::None).await.status(), 401);

    sandbox.revoke_woocommerce_app_passwords(&site().host);
    let (status, body) = error_of(get(orders, &Auth::Basic(user, password)).await).await;
    assert_eq!(
        (status, body["code"].as_str()),
        (401, Some("incorrect_password"))
    );

    let issued = sandbox.issue_woocommerce_app_password(&site().host);
    assert_eq!(
        issued.len(),
        29,
        "issued in WordPress's spaced display form"
    );
    let response = get(
        rest(&sandbox, "orders"),
        &Auth::Basic(site().app_password_user, issued),
    )
    .await;
    assert_eq!(response.status(), 200);
    sandbox.shutdown().await;
}

#[tokio::test]
async fn rejecting_and_bad_requests_follow_wordpress() {
    let sandbox = start(10).await;
    let success = "app.counterline://wc-callback";
    let html = consent(&sandbox, success, None).await;
    let back = location(&submit(&sandbox, &html, "reject").await);
    assert_eq!(
        back.as_str(),
        "app.counterline://wc-callback?success=false",
        "without a reject_url, rejecting goes to success_url?success=false"
    );
    let html = consent(&sandbox, success, Some("app.counterline://wc-rejected")).await;
    let back = location(&submit(&sandbox, &html, "reject").await);
    assert_eq!(
        back.as_str(),
        "app.counterline://wc-rejected",
        "a reject_url is used as given"
    );
    assert!(
        sandbox.woocommerce_app_passwords(&site().host).is_empty(),
        "nothing was created"
    );

    let loopback = consent(&sandbox, "http://127.0.0.1:47123/wc", None).await;
    assert!(
        loopback.contains("id=\"approve\""),
        "plain http to the loopback address is allowed"
    );
    for bad in [
        "http://evil.example/cb",
        "javascript:alert(1)",
        "myapp:/no-host",
    ] {
        let response = client()
            .get(authorize_url(&sandbox, bad, None))
            .send()
            .await
            .expect("answers");
        assert!(
            response.status().is_server_error(),
            "{bad} is refused with wp_die"
        );
        let text = response.text().await.expect("HTML");
        assert!(
            text.contains("The Authorize Application request is not allowed."),
            "{bad}"
        );
    }

    let mut form = form_fields(&html);
    for (k, v) in &mut form {
        if k == "_wpnonce" {
            *v = "stale".into();
        }
    }
    form.push(("approve".into(), "x".into()));
    let action = sandbox
        .woocommerce_origin(&site().host)
        .join("wp-admin/authorize-application.php")
        .expect("joins");
    let response = client()
        .post(action)
        .form(&form)
        .send()
        .await
        .expect("answers");
    assert_eq!(response.status(), 403, "a stale nonce is refused");
    sandbox.shutdown().await;
}

#[tokio::test]
async fn the_site_index_advertises_the_authorization_endpoint() {
    let sandbox = start(5).await;
    let index_url = sandbox
        .woocommerce_origin(&site().host)
        .join("wp-json/")
        .expect("joins");
    let index: Value = client()
        .get(index_url)
        .send()
        .await
        .expect("answers")
        .json()
        .await
        .expect("JSON");
    let site_url = index["url"].as_str().expect("url").to_owned();
    assert_eq!(
        format!("{site_url}/"),
        sandbox.woocommerce_origin(&site().host).as_str()
    );
    assert!(index["name"].as_str().is_some_and(|n| !n.is_empty()));
    assert!(index["namespaces"]
        .as_array()
        .expect("namespaces")
        .contains(&Value::from("wc/v3")));
    assert_eq!(
        index["authentication"]["application-passwords"]["endpoints"]["authorization"],
        format!("{site_url}/wp-admin/authorize-application.php")
    );
    sandbox.shutdown().await;
}

#[tokio::test]
async fn the_same_people_buy_on_every_platform_in_several_currencies() {
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
    let woo = sandbox.woocommerce_orders(&site().host);
    let mut both = 0;
    let mut spelled_differently = Vec::new();
    for o in &woo {
        let typed = o["billing"]["email"].as_str().unwrap_or("");
        if let Some(spellings) = shopify.get(&typed.trim().to_lowercase()) {
            both += 1;
            if !spellings.contains(typed) {
                spelled_differently.push(typed.to_owned());
            }
        }
    }
    assert!(
        both > 500,
        "many WooCommerce orders come from Shopify customers ({both})"
    );
    assert!(
        spelled_differently.len() > 50,
        "often typed in a way Shopify never saw ({})",
        spelled_differently.len()
    );
    assert!(
        spelled_differently
            .iter()
            .any(|e| e != e.trim() || e.chars().any(|c| c.is_ascii_uppercase())),
        "differing in case or spacing"
    );

    let bigcommerce = sandbox.bigcommerce_orders(&BigCommerceStore::default().store_hash);
    let on_bigcommerce: HashSet<String> = bigcommerce
        .iter()
        .filter_map(|o| o["billing_address"]["email"].as_str())
        .map(|e| e.trim().to_lowercase())
        .collect();
    let everywhere = woo
        .iter()
        .filter_map(|o| o["billing"]["email"].as_str())
        .map(|e| e.trim().to_lowercase())
        .filter(|e| !e.is_empty() && shopify.contains_key(e) && on_bigcommerce.contains(e))
        .collect::<HashSet<_>>()
        .len();
    assert!(
        everywhere > 100,
        "many people buy on all three platforms ({everywhere})"
    );

    let mut currencies: HashSet<String> = HashSet::new();
    currencies.extend(
        woo.iter()
            .filter_map(|o| o["currency"].as_str().map(str::to_owned)),
    );
    currencies.extend(
        bigcommerce
            .iter()
            .filter_map(|o| o["currency_code"].as_str().map(str::to_owned)),
    );
    assert_eq!(
        currencies,
        HashSet::from(["EUR".to_owned(), "USD".to_owned()]),
        "BigCommerce sells in USD and WooCommerce in EUR"
    );
    sandbox.shutdown().await;
}
