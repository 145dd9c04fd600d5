//! Lightspeed Restaurant K-Series as Counterline meets it: HTTPS-only
//! redirects through the relay page to the app's deep link, HTTP Basic at
//! the token endpoint, single-use refresh tokens, and the financial API
//! v2's closed sales by `timeClosed` with `nextPageToken` paging.

use std::collections::{HashMap, HashSet};

use serde_json::Value;
use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;
use url::Url;

use super::{client, hidden_fields, location, query_param, start, SHOP};
use counterline_sandbox::{AppRegistration, KSeriesBusiness, Sandbox};

const STATE: &str = "ks-state-1234";
const DAY_MS: i64 = 86_400_000;

fn business() -> u64 {
    KSeriesBusiness::default().business_id
}

fn geneva() -> u64 {
    KSeriesBusiness::default().locations[0].id
}

fn app() -> AppRegistration {
    AppRegistration::kseries_demo()
}

fn authorize_url(sandbox: &Sandbox, redirect_uri: &str, scope: &str) -> Url {
    let mut url = sandbox
        .kseries_auth_origin()
        .join("oauth/authorize")
        .expect("joins");
    url.query_pairs_mut()
        .append_pair("response_type", "code")
        .append_pair("client_id", &app().client_id)
        .append_pair("scope", scope)
        .append_pair("redirect_uri", redirect_uri)
        .append_pair("state", STATE);
    url
}

/// Opens the consent page for the relay and posts `decision`; returns where
/// the browser is sent.
async fn consent(sandbox: &Sandbox, decision: &str) -> Url {
    let relay = sandbox.kseries_relay_url();
    let response = client()
        .get(authorize_url(
            sandbox,
            relay.as_str(),
            "financial-api orders-api",
        ))
        .send()
        .await
        .expect("answers");
    assert_eq!(response.status(), 200, "the relay is an allowed redirect");
    let html = response.text().await.expect("HTML");
    assert!(
        html.contains("Counterline Demo Brasserie"),
        "the business is named"
    );
    assert!(html.contains("financial-api") && html.contains("orders-api"));
    let mut form = hidden_fields(&html);
    form.push(("decision".into(), decision.into()));
    let response = client()
        .post(
            sandbox
                .kseries_auth_origin()
                .join("oauth/authorize")
                .expect("joins"),
        )
        .form(&form)
        .send()
        .await
        .expect("answers");
    assert_eq!(response.status(), 302);
    location(&response)
}

/// Follows the relay page and returns the deep link it forwards to.
async fn relay(callback: Url) -> Url {
    let response = client().get(callback).send().await.expect("answers");
    assert_eq!(response.status(), 200);
    let html = response.text().await.expect("HTML");
    assert!(
        html.contains(r#"http-equiv="refresh""#),
        "it forwards by itself"
    );
    assert!(html.contains("Open Counterline"), "and offers a link");
    let href = html
        .split(r#"id="open-counterline" href=""#)
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .expect("the link's href")
        .replace("&amp;", "&");
    Url::parse(&href).expect("the deep link is a URL")
}

fn token_url(sandbox: &Sandbox) -> Url {
    sandbox
        .kseries_auth_origin()
        .join("oauth/token")
        .expect("joins")
}

/// POSTs the token endpoint with HTTP Basic client authentication.
async fn post_token(sandbox: &Sandbox, form: &[(&str, &str)]) -> (u16, Value) {
    let app = app();
    let response = client()
        .post(token_url(sandbox))
        .basic_auth(&app.client_id, Some(&app.client_secret))
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
    post_token(
        sandbox,
        &[
            ("grant_type", "refresh_token"),
            ("refresh_token", refresh_token),
        ],
    )
    .await
}

fn sales_url(sandbox: &Sandbox, location_id: u64, query: &[(&str, &str)]) -> Url {
    let mut url = sandbox
        .kseries_origin()
        .join(&format!("f/v2/business-location/{location_id}/sales"))
        .expect("joins");
    url.query_pairs_mut().extend_pairs(query);
    url
}

async fn get(url: Url, token: &str) -> (u16, Value) {
    let response = client()
        .get(url)
        .bearer_auth(token)
        .send()
        .await
        .expect("answers");
    (
        response.status().as_u16(),
        response.json().await.expect("JSON"),
    )
}

fn ms(v: &Value) -> i64 {
    let s = v.as_str().unwrap_or_else(|| panic!("{v} is a time"));
    let t = OffsetDateTime::parse(s, &Rfc3339).unwrap_or_else(|e| panic!("{s}: {e}"));
    i64::try_from(t.unix_timestamp_nanos() / 1_000_000).expect("fits")
}

fn iso(ms: i64) -> String {
    OffsetDateTime::from_unix_timestamp_nanos(i128::from(ms) * 1_000_000)
        .expect("in range")
        .format(&Rfc3339)
        .expect("formats")
}

/// Follows `nextPageToken` from `query`; returns the sales and page count.
async fn walk(sandbox: &Sandbox, token: &str, query: &[(&str, &str)]) -> (Vec<Value>, usize) {
    let (mut sales, mut pages, mut next) = (Vec::new(), 0, None::<String>);
    loop {
        let mut q = query.to_vec();
        if let Some(t) = &next {
            q.push(("nextPageToken", t));
        }
        let (status, page) = get(sales_url(sandbox, geneva(), &q), token).await;
        assert_eq!(status, 200, "page {pages}: {page}");
        pages += 1;
        sales.extend(
            page["sales"]
                .as_array()
                .expect("a sales array")
                .iter()
                .cloned(),
        );
        match page["nextPageToken"].as_str() {
            Some(t) => next = Some(t.to_owned()),
            None => return (sales, pages),
        }
        assert!(pages < 1_000, "the walk ends");
    }
}

fn refs(sales: &[Value]) -> Vec<String> {
    sales
        .iter()
        .map(|s| {
            s["accountReference"]
                .as_str()
                .expect("a reference")
                .to_owned()
        })
        .collect()
}

#[tokio::test]
async fn consent_goes_through_the_relay_page_to_the_deep_link() {
    let sandbox = start(30).await;
    let callback = consent(&sandbox, "approve").await;
    assert!(callback
        .as_str()
        .starts_with(sandbox.kseries_relay_url().as_str()));
    let deep = relay(callback.clone()).await;
    assert_eq!(
        deep.scheme(),
        "app.counterline",
        "the configured deep-link scheme"
    );
    assert_eq!(
        (deep.host_str(), deep.path()),
        (Some("oauth"), "/callback"),
        "the app's registered callback shape"
    );
    assert_eq!(query_param(&deep, "state").as_deref(), Some(STATE));
    let code = query_param(&deep, "code").expect("the code reaches the app");
    assert_eq!(query_param(&callback, "code"), Some(code.clone()));

    let relay_url = sandbox.kseries_relay_url();
    let exchange = [
        ("grant_type", "authorization_code"),
        ("code", code.as_str()),
        ("redirect_uri", relay_url.as_str()),
    ];
    let (status, tokens) = post_token(&sandbox, &exchange).await;
    assert_eq!(status, 200, "the code exchanges: {tokens}");
    assert_eq!(tokens["token_type"], "bearer");
    assert_eq!(tokens["expires_in"], 3_600, "60 minutes, as documented");
    assert_eq!(tokens["scope"], "financial-api orders-api");
    let (status, again) = post_token(&sandbox, &exchange).await;
    assert_eq!(
        (status, again["error"].as_str()),
        (400, Some("invalid_grant")),
        "codes are single use"
    );

    let access = tokens["access_token"].as_str().expect("access");
    let url = sandbox
        .kseries_origin()
        .join("f/data/businesses")
        .expect("joins");
    let (status, businesses) = get(url, access).await;
    assert_eq!(status, 200);
    let b = &businesses["_embedded"]["businessList"][0];
    assert_eq!(b["businessId"], business());
    assert_eq!(
        b["currencyCode"], "CHF",
        "a currency no other default platform uses"
    );
    assert_eq!(b["businessLocations"][0]["blID"], geneva());
    assert_eq!(b["businessLocations"][0]["timezone"], "Europe/Zurich");
    assert_eq!(
        sandbox.kseries_issued_tokens(business()),
        vec![access.to_owned()]
    );

    let denied = relay(consent(&sandbox, "deny").await).await;
    assert_eq!(
        query_param(&denied, "error").as_deref(),
        Some("access_denied")
    );
    assert!(query_param(&denied, "code").is_none());
    sandbox.shutdown().await;
}

#[tokio::test]
async fn redirects_must_be_https_except_the_relay_page() {
    let sandbox = start(10).await;
    for refused in [
        "http://127.0.0.1:47125/kseries/callback",
        "app.counterline://oauth/callback",
        "http://localhost/relay/kseries",
    ] {
        let response = client()
            .get(authorize_url(&sandbox, refused, "financial-api"))
            .send()
            .await
            .expect("answers");
        assert_eq!(response.status(), 400, "{refused} is refused");
        let html = response.text().await.expect("HTML");
        assert!(
            html.contains(r#"id="oauth-error""#) && html.contains("HTTPS"),
            "{html}"
        );
    }
    let https = authorize_url(
        &sandbox,
        "https://relay.counterline.app/kseries",
        "financial-api",
    );
    assert_eq!(
        client().get(https).send().await.expect("answers").status(),
        200
    );
    for scope in ["", "sales:read", "financial-api,items"] {
        let url = authorize_url(&sandbox, sandbox.kseries_relay_url().as_str(), scope);
        let status = client().get(url).send().await.expect("answers").status();
        assert_eq!(status, 400, "scope {scope:?} is refused");
    }
    sandbox.shutdown().await;
}

#[tokio::test]
async fn the_token_endpoint_wants_http_basic() {
    let sandbox = start(10).await;
    let code = query_param(&consent(&sandbox, "approve").await, "code").expect("a code");
    let app = app();
    let in_body = client()
        .post(token_url(&sandbox))
        .form(&[
            ("client_id", app.client_id.as_str()),
            ("client_secret", app.client_secret.as_str()),
            ("grant_type", "authorization_code"),
            ("code", code.as_str()),
        ])
        .send()
        .await
        .expect("answers");
    assert_eq!(
        in_body.status(),
        401,
        "credentials in the body are not client authentication"
    );
    let body: Value = in_body.json().await.expect("JSON");
    assert_eq!(body["error"], "invalid_client");
    let wrong = client()
        .post(token_url(&sandbox))
        .basic_auth(&app.client_id, Some("wrong"))
        .form(&[
            ("grant_type", "authorization_code"),
            ("code", code.as_str()),
        ])
        .send()
        .await
        .expect("answers");
    assert_eq!(wrong.status(), 401);
    // Refused clients burn nothing: the code still exchanges, here as
    // query parameters (the V1 guide's form).
    let mut url = token_url(&sandbox);
    url.query_pairs_mut()
        .append_pair("grant_type", "authorization_code")
        .append_pair("code", &code);
    let ok = client()
        .post(url)
        .basic_auth(&app.client_id, Some(&app.client_secret))
        .send()
        .await
        .expect("answers");
    assert_eq!(ok.status(), 200);
    sandbox.shutdown().await;
}

#[tokio::test]
async fn refresh_tokens_rotate_and_the_used_one_fails() {
    let sandbox = start(10).await;
    let (_, first) = sandbox.issue_kseries_token(business());
    let (status, second) = refresh(&sandbox, &first).await;
    assert_eq!(status, 200, "{second}");
    let second_refresh = second["refresh_token"]
        .as_str()
        .expect("rotated")
        .to_owned();
    assert_ne!(second_refresh, first, "the refresh token rotates");
    let (status, reused) = refresh(&sandbox, &first).await;
    assert_eq!(
        (status, reused["error"].as_str()),
        (400, Some("invalid_grant")),
        "single use"
    );
    let (status, third) = refresh(&sandbox, &second_refresh).await;
    assert_eq!(status, 200, "the newest one works: {third}");
    assert_eq!(sandbox.kseries_issued_tokens(business()).len(), 3);
    sandbox.shutdown().await;
}

#[tokio::test]
async fn expired_revoked_and_foreign_tokens_are_refused() {
    let sandbox = start(20).await;
    let (access, refresh_token) = sandbox.issue_kseries_token(business());
    let truth = sandbox.kseries_sales(geneva());
    let from = iso(ms(&truth[truth.len() - 1]["timeClosed"]) - DAY_MS);
    let url = sales_url(&sandbox, geneva(), &[("from", &from), ("pageSize", "1")]);
    assert_eq!(get(url.clone(), &access).await.0, 200);

    sandbox.expire_kseries_access_tokens();
    let response = client()
        .get(url.clone())
        .bearer_auth(&access)
        .send()
        .await
        .expect("answers");
    assert_eq!(response.status(), 401, "an expired token is refused");
    assert!(response.headers()["www-authenticate"]
        .to_str()
        .unwrap_or("")
        .contains("invalid_token"));
    let body: Value = response.json().await.expect("JSON");
    assert_eq!(body["error"], "invalid_token");

    let (status, renewed) = refresh(&sandbox, &refresh_token).await;
    assert_eq!(status, 200, "the refresh token outlives its access token");
    let fresh = renewed["access_token"].as_str().expect("token").to_owned();
    assert_eq!(get(url.clone(), &fresh).await.0, 200);
    let (status, _) = get(sales_url(&sandbox, 42, &[("from", &from)]), &fresh).await;
    assert_eq!(status, 403, "a location the token does not open");
    let (status, _) = get(url.clone(), "not-a-token").await;
    assert_eq!(status, 401);

    sandbox.revoke_kseries_tokens(business());
    assert_eq!(get(url, &fresh).await.0, 401);
    let (status, _) = refresh(&sandbox, renewed["refresh_token"].as_str().unwrap_or("")).await;
    assert_eq!(status, 400, "revoked refresh tokens are gone too");
    assert!(sandbox.kseries_request_count() >= 6);
    sandbox.shutdown().await;
}

#[tokio::test]
async fn next_page_tokens_walk_every_closed_sale_exactly_once() {
    let sandbox = start(400).await;
    let (token, _) = sandbox.issue_kseries_token(business());
    let truth = sandbox.kseries_sales(geneva());
    assert!(
        truth.len() > 350,
        "closed sales and refunds ({})",
        truth.len()
    );
    let first = ms(&truth[0]["timeClosed"]);
    let last = ms(&truth[truth.len() - 1]["timeClosed"]);
    let includes = "staff,table,consumer,payments";
    let mut walked = Vec::new();
    let mut pages = 0;
    // The history spans two years and a query at most 365 days.
    let mut from = first;
    while from <= last {
        let to = (from + 365 * DAY_MS).min(last + 1);
        let (from_s, to_s) = (iso(from), iso(to));
        let query = [
            ("from", from_s.as_str()),
            ("to", to_s.as_str()),
            ("include", includes),
            ("pageSize", "37"),
        ];
        let (sales, n) = walk(&sandbox, &token, &query).await;
        walked.extend(sales);
        pages += n;
        from = to;
    }
    assert!(pages > 10, "many pages ({pages})");
    assert_eq!(walked, truth, "every closed sale once, in timeClosed order");
    let unique: HashSet<String> = refs(&walked).into_iter().collect();
    assert_eq!(unique.len(), truth.len());
    assert!(walked
        .windows(2)
        .all(|w| ms(&w[0]["timeClosed"]) <= ms(&w[1]["timeClosed"])));
    let types: HashSet<&str> = truth.iter().filter_map(|s| s["type"].as_str()).collect();
    assert!(
        types.contains("SALE") && types.contains("REFUND") && types.contains("CANCEL"),
        "{types:?}"
    );
    let fisc: HashMap<&str, &Value> = truth
        .iter()
        .filter_map(|s| Some((s["accountFiscId"].as_str()?, s)))
        .collect();
    for refund in truth.iter().filter(|s| s["type"] == "REFUND") {
        let of = refund["source"]["initialAccountId"]
            .as_str()
            .expect("source");
        assert!(fisc.contains_key(of), "a refund points at a listed sale");
        for line in refund["salesLines"].as_array().expect("lines") {
            assert!(line["quantity"]
                .as_str()
                .is_some_and(|q| q.starts_with('-')));
        }
    }
    for s in &truth {
        let lines: i64 = s["salesLines"]
            .as_array()
            .expect("lines")
            .iter()
            .map(|l| super::decimal_cents(&l["totalNetAmountWithTax"]))
            .sum();
        let paid: i64 = s["payments"]
            .as_array()
            .expect("payments included")
            .iter()
            .map(|p| super::decimal_cents(&p["netAmountWithTax"]))
            .sum();
        let expected = if s["cancelled"] == true { 0 } else { lines };
        assert_eq!(paid, expected, "payments settle {}", s["accountFiscId"]);
    }
    sandbox.shutdown().await;
}

#[tokio::test]
async fn from_and_to_filter_by_time_closed_within_365_days() {
    let sandbox = start(300).await;
    let (token, _) = sandbox.issue_kseries_token(business());
    let truth = sandbox.kseries_sales(geneva());
    let (a, b) = (ms(&truth[40]["timeClosed"]), ms(&truth[140]["timeClosed"]));
    let query = [
        ("from", iso(a)),
        ("to", iso(b)),
        ("include", "staff,table,consumer,payments".into()),
    ];
    let query: Vec<(&str, &str)> = query.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let (sales, _) = walk(&sandbox, &token, &query).await;
    let expected: Vec<Value> = truth
        .iter()
        .filter(|s| (a..b).contains(&ms(&s["timeClosed"])))
        .cloned()
        .collect();
    assert_eq!(sales, expected, "from is inclusive, to exclusive");
    let first = ms(&truth[0]["timeClosed"]);

    let cases: Vec<(Vec<(&str, String)>, &str)> = vec![
        (vec![], "'from'"),
        (vec![("from", "12/12/2023".into())], "Invalid date format"),
        (
            vec![("from", iso(b)), ("to", iso(a))],
            "should not be after",
        ),
        (
            vec![("from", iso(first)), ("to", iso(first + 366 * DAY_MS))],
            "365 days",
        ),
        (
            vec![("from", iso(first - 30 * DAY_MS)), ("to", iso(first))],
            "not operational",
        ),
        (
            vec![("from", iso(a)), ("to", iso(b)), ("pageSize", "101".into())],
            "pageSize",
        ),
        (
            vec![
                ("from", iso(a)),
                ("to", iso(b)),
                ("include", "everything".into()),
            ],
            "include",
        ),
        (
            vec![
                ("from", iso(a)),
                ("to", iso(b)),
                ("nextPageToken", "bm9wZQ".into()),
            ],
            "nextPageToken",
        ),
    ];
    for (query, needle) in cases {
        let q: Vec<(&str, &str)> = query.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let (status, body) = get(sales_url(&sandbox, geneva(), &q), &token).await;
        assert_eq!(status, 400, "{q:?} is refused");
        let error = body["error"]
            .as_str()
            .unwrap_or_else(|| panic!("{{error}} body: {body}"));
        assert!(error.contains(needle), "{q:?}: {error}");
    }
    let (a_s, b_s) = (iso(a), iso(b));
    let (_, page) = get(
        sales_url(
            &sandbox,
            geneva(),
            &[("from", &a_s), ("to", &b_s), ("pageSize", "5")],
        ),
        &token,
    )
    .await;
    let next = page["nextPageToken"].as_str().expect("more than five");
    let other = [
        ("from", a_s.as_str()),
        ("to", b_s.as_str()),
        ("pageSize", "6"),
        ("nextPageToken", next),
    ];
    let (status, _) = get(sales_url(&sandbox, geneva(), &other), &token).await;
    assert_eq!(status, 400, "a page token only fits its own query");
    sandbox.shutdown().await;
}

#[tokio::test]
async fn the_same_shoppers_eat_here_and_buy_on_shopify() {
    let sandbox = start(1_500).await;
    let mut shopify: HashMap<String, HashSet<String>> = HashMap::new();
    for o in sandbox.shopify_orders(SHOP) {
        if let Some(email) = o["email"].as_str() {
            shopify
                .entry(email.trim().to_lowercase())
                .or_default()
                .insert(email.to_owned());
        }
    }
    let sales = sandbox.kseries_sales(geneva());
    let emails: Vec<String> = sales
        .iter()
        .flat_map(|s| s["payments"].as_array().cloned().unwrap_or_default())
        .filter_map(|p| p["consumer"]["email"].as_str().map(str::to_owned))
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
        shared > 100,
        "K-Series consumers also buy on Shopify ({shared})"
    );
    assert!(
        respelled > 10,
        "typing their email their own way ({respelled})"
    );
    let guests = sales
        .iter()
        .filter(|s| {
            s["type"] == "SALE"
                && s["payments"]
                    .as_array()
                    .is_some_and(|p| p.first().is_some_and(|p| p.get("consumer").is_none()))
        })
        .count();
    assert!(guests > 50, "walk-ins pay without a consumer ({guests})");
    let currencies: HashSet<&str> = sales
        .iter()
        .flat_map(|s| s["salesLines"].as_array().into_iter().flatten())
        .filter_map(|l| l["currency"].as_str())
        .collect();
    assert_eq!(currencies, HashSet::from(["CHF"]));
    let lausanne = KSeriesBusiness::default().locations[1].id;
    assert_ne!(
        refs(&sandbox.kseries_sales(lausanne))[..10],
        refs(&sales)[..10],
        "each location has its own sales"
    );
    sandbox.shutdown().await;
}

#[tokio::test]
async fn touched_sales_close_again_inside_a_later_window() {
    let sandbox = start(300).await;
    let (token, _) = sandbox.issue_kseries_token(business());
    let truth = sandbox.kseries_sales(geneva());
    let last = ms(&truth[truth.len() - 1]["timeClosed"]);
    let now = OffsetDateTime::now_utc().unix_timestamp() * 1_000;
    let since = iso((last + 1).max(now - 364 * DAY_MS));
    let (nothing, _) = walk(&sandbox, &token, &[("from", &since)]).await;
    assert!(nothing.is_empty(), "nothing closed since the last sale");

    let touched = sandbox.touch_kseries_sales(geneva(), 6);
    assert!(!touched.is_empty());
    tokio::time::sleep(std::time::Duration::from_millis(1_100)).await;
    let (changed, _) = walk(
        &sandbox,
        &token,
        &[("from", &since), ("include", "payments")],
    )
    .await;
    let mut got = refs(&changed);
    let mut expected = touched.clone();
    got.sort();
    expected.sort();
    assert_eq!(got, expected, "exactly the changed and new accounts");
    let before: HashMap<String, &Value> = truth
        .iter()
        .map(|s| (s["accountReference"].as_str().unwrap_or("").to_owned(), s))
        .collect();
    for s in &changed {
        assert!(
            ms(&s["timeClosed"]) > last,
            "closed again after the last sync"
        );
        let r = s["accountReference"].as_str().unwrap_or("");
        if let Some(old) = before.get(r) {
            assert_eq!(s["accountFiscId"], old["accountFiscId"], "the same account");
            assert_ne!(s["timeClosed"], old["timeClosed"]);
        } else {
            assert_eq!(s["type"], "REFUND", "a new account is a refund");
        }
    }
    sandbox.shutdown().await;
}
