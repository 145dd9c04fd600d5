//! The sandbox over real HTTP, as Counterline's sync engine will see it.
//!
//! One integration binary; modules by surface: `oauth` (consent page, callback
//! HMAC, token endpoint), `graphql` (paging, filters, errors, rate limits),
//! `data` (determinism, totals, the people in the data), `bigcommerce` (the
//! v2 orders API, its errors and rate limit), `woocommerce` (REST v3,
//! Application Passwords, and the people and currencies shared across
//! platforms), `xseries` (Lightspeed X-Series: OAuth with expiring and
//! rotating tokens, version-cursor paging, rate limit), `rseries`
//! (Lightspeed R-Series: the same OAuth on another server, `@attributes`
//! cursors, `timeStamp` filters, the leaky bucket), `oseries`
//! (Lightspeed O-Series/Kounta: OAuth, `X-Page` paging, `created_*` and
//! updated-since filters) and `kseries` (Lightspeed K-Series: HTTPS-only
//! redirects through the relay page, HTTP Basic at the token endpoint,
//! `timeClosed` windows with `nextPageToken`), `faults` (the seeded fault
//! profile on list routes, and the offline switch), and `writes` (the order
//! writes the outbox sends, their record, and `Idempotency-Key` replays;
//! `shopify_writes` for Shopify's mutations, `lightspeed_writes` for the
//! X-, R- and O-Series sale and order updates), and `control` (the test-only
//! `/_sandbox/` routes: the same record, an outage, a refund, over HTTP, for a
//! sandbox inside another process).

mod bigcommerce;
mod control;
mod data;
mod faults;
mod graphql;
mod kseries;
mod lightspeed_writes;
mod oauth;
mod oseries;
mod rseries;
mod shopify_writes;
mod woocommerce;
mod writes;
mod xseries;

use counterline_sandbox::{Sandbox, SandboxConfig, ShopifyApp};
use serde_json::{json, Value};

pub const SHOP: &str = "counterline-demo.myshopify.com";
pub const CLIENT_ID: &str = "test-client-id";
pub const CLIENT_SECRET: &str = "test-client-secret";

pub fn config(order_count: usize) -> SandboxConfig {
    SandboxConfig {
        order_count,
        shopify_app: ShopifyApp {
            client_id: CLIENT_ID.into(),
            client_secret: CLIENT_SECRET.into(),
        },
        ..SandboxConfig::default()
    }
}

pub async fn start(order_count: usize) -> Sandbox {
    Sandbox::start(config(order_count))
        .await
        .expect("the sandbox starts on a free port")
}

/// A client that shows redirects instead of following them, like a test
/// playing the browser must.
pub fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("a reqwest client builds")
}

pub fn graphql_url(sandbox: &Sandbox) -> url::Url {
    sandbox
        .shopify_origin(SHOP)
        .join("admin/api/2025-10/graphql.json")
        .expect("a relative path joins")
}

/// POSTs a GraphQL request and returns (status, body).
pub async fn gql(sandbox: &Sandbox, token: &str, query: &str, variables: Value) -> (u16, Value) {
    let response = client()
        .post(graphql_url(sandbox))
        .header("X-Shopify-Access-Token", token)
        .json(&json!({"query": query, "variables": variables}))
        .send()
        .await
        .expect("the sandbox answers");
    let status = response.status().as_u16();
    let body = response.json::<Value>().await.expect("the answer is JSON");
    (status, body)
}

/// Parses a Shopify `Decimal` string into cents, refusing anything that
/// isn't an exact two-place (or fewer) decimal.
pub fn cents(amount: &Value) -> i64 {
    let s = amount
        .as_str()
        .unwrap_or_else(|| panic!("amount {amount} is a string"));
    let (whole, frac) = s.split_once('.').unwrap_or((s, "0"));
    assert!(frac.len() <= 2, "amount {s} has at most two decimals");
    let frac = format!("{frac:0<2}");
    whole.parse::<i64>().expect("whole part is a number") * 100
        + frac.parse::<i64>().expect("fraction is a number")
}

/// The hidden inputs of a consent form, as a browser would submit them.
pub fn hidden_fields(html: &str) -> Vec<(String, String)> {
    let unescape = |s: &str| {
        s.replace("&quot;", "\"")
            .replace("&#39;", "'")
            .replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&amp;", "&")
    };
    html.split("<input type=\"hidden\" ")
        .skip(1)
        .filter_map(|rest| {
            let name = rest.split("name=\"").nth(1)?.split('"').next()?;
            let value = rest.split("value=\"").nth(1)?.split('"').next()?;
            Some((unescape(name), unescape(value)))
        })
        .collect()
}

/// The absolute `Location` of a redirect.
pub fn location(response: &reqwest::Response) -> url::Url {
    let location = response.headers()["location"]
        .to_str()
        .expect("an ASCII Location");
    url::Url::parse(location).expect("the Location is an absolute URL")
}

/// A query parameter of `url`.
pub fn query_param(url: &url::Url, name: &str) -> Option<String> {
    url.query_pairs()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.into_owned())
}

/// A decimal amount (a JSON number like `25.9` or a string like `"-59"`)
/// in cents, refusing anything finer than a cent.
pub fn decimal_cents(v: &Value) -> i64 {
    let text = match v {
        Value::Number(n) => n.to_string(),
        Value::String(s) => s.clone(),
        other => panic!("{other} is not an amount"),
    };
    let (sign, digits) = match text.strip_prefix('-') {
        Some(rest) => (-1, rest.to_owned()),
        None => (1, text.clone()),
    };
    let (whole, frac) = digits.split_once('.').unwrap_or((&digits, ""));
    assert!(frac.len() <= 2, "{text} is whole cents");
    let frac = format!("{frac:0<2}");
    sign * (whole
        .parse::<i64>()
        .unwrap_or_else(|_| panic!("{text} is a number"))
        * 100
        + frac
            .parse::<i64>()
            .unwrap_or_else(|_| panic!("{text} is a number")))
}
