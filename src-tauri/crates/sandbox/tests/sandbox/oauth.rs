//! OAuth as a desktop app meets it: the consent page, the signed callback,
//! the one-time code exchange.

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use hmac::{Hmac, Mac};
use serde_json::{json, Value};
use sha2::Sha256;
use url::Url;

use super::{client, start, CLIENT_ID, CLIENT_SECRET, SHOP};
use counterline_sandbox::Sandbox;

const LOOPBACK: &str = "http://127.0.0.1:47123/oauth/callback";

fn authorize_url(sandbox: &Sandbox, redirect_uri: &str, state: &str) -> Url {
    let mut url = sandbox
        .shopify_origin(SHOP)
        .join("admin/oauth/authorize")
        .expect("joins");
    url.query_pairs_mut()
        .append_pair("client_id", CLIENT_ID)
        .append_pair("scope", "read_orders,read_products")
        .append_pair("redirect_uri", redirect_uri)
        .append_pair("state", state)
        .append_pair("grant_options[]", "");
    url
}

fn unescape(s: &str) -> String {
    s.replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

/// The hidden inputs of the consent form, as a browser would submit them.
fn hidden_fields(html: &str) -> Vec<(String, String)> {
    html.split("<input type=\"hidden\" ")
        .skip(1)
        .filter_map(|rest| {
            let name = rest.split("name=\"").nth(1)?.split('"').next()?;
            let value = rest.split("value=\"").nth(1)?.split('"').next()?;
            Some((unescape(name), unescape(value)))
        })
        .collect()
}

async fn consent_page(sandbox: &Sandbox, redirect_uri: &str, state: &str) -> String {
    let response = client()
        .get(authorize_url(sandbox, redirect_uri, state))
        .send()
        .await
        .expect("answers");
    assert_eq!(
        response.status(),
        200,
        "a valid authorize request shows the consent page"
    );
    response.text().await.expect("HTML body")
}

/// Submits the consent form with `decision` and returns the redirect target.
async fn decide(sandbox: &Sandbox, html: &str, decision: &str) -> Url {
    let mut form = hidden_fields(html);
    form.push(("decision".into(), decision.into()));
    let action = sandbox
        .base_url()
        .join(&format!("shopify/{SHOP}/admin/oauth/authorize/decision"))
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
    let location = response.headers()["location"]
        .to_str()
        .expect("ASCII location");
    Url::parse(location).expect("the Location is an absolute URL")
}

/// Shopify's documented check, written independently of the sandbox.
fn hmac_is_valid(callback: &Url, secret: &str) -> bool {
    let mut pairs: Vec<(String, String)> = callback
        .query_pairs()
        .filter(|(k, _)| k != "hmac" && k != "signature")
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    pairs.sort();
    let message = url::form_urlencoded::Serializer::new(String::new())
        .extend_pairs(pairs)
        .finish();
    let given = callback
        .query_pairs()
        .find(|(k, _)| k == "hmac")
        .map(|(_, v)| v.into_owned())
        .unwrap_or_default();
    let Ok(given) = hex::decode(given) else {
        return false;
    };
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("any key length works");
    mac.update(message.as_bytes());
    mac.verify_slice(&given).is_ok()
}

fn param(url: &Url, name: &str) -> Option<String> {
    url.query_pairs()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.into_owned())
}

async fn exchange(sandbox: &Sandbox, body: Value) -> (u16, Value) {
    let url = sandbox
        .shopify_origin(SHOP)
        .join("admin/oauth/access_token")
        .expect("joins");
    let response = client()
        .post(url)
        .json(&body)
        .send()
        .await
        .expect("answers");
    (
        response.status().as_u16(),
        response.json().await.expect("JSON body"),
    )
}

#[tokio::test]
async fn the_consent_page_lists_the_scopes_and_offers_install_and_cancel() {
    let sandbox = start(50).await;
    let html = consent_page(&sandbox, LOOPBACK, "st-1").await;
    assert!(
        html.contains("Install Counterline on counterline-demo?"),
        "the page asks the merchant by shop name"
    );
    assert!(
        html.contains("read_orders") && html.contains("read_products"),
        "every requested scope is listed"
    );
    assert!(
        html.contains(&format!(
            r#"<form method="post" action="/shopify/{SHOP}/admin/oauth/authorize/decision">"#
        )),
        "the form posts the decision to the shop's decision endpoint"
    );
    assert!(
        html.contains(r#"<button type="submit" name="decision" value="approve" id="approve">Install app</button>"#),
        "the approve button has the agreed name, value and id"
    );
    assert!(
        html.contains(
            r#"<button type="submit" name="decision" value="deny" id="deny">Cancel</button>"#
        ),
        "the cancel button has the agreed name, value and id"
    );
    let fields = hidden_fields(&html);
    for name in ["client_id", "scope", "redirect_uri", "state"] {
        assert!(
            fields.iter().any(|(n, _)| n == name),
            "hidden field {name} carries the request through the form"
        );
    }
    sandbox.shutdown().await;
}

#[tokio::test]
async fn approving_redirects_with_a_verifiable_hmac_and_a_code_that_exchanges_once() {
    let sandbox = start(50).await;
    let html = consent_page(&sandbox, LOOPBACK, "state-xyz").await;
    let callback = decide(&sandbox, &html, "approve").await;

    assert!(
        callback.as_str().starts_with(LOOPBACK),
        "the callback goes to the registered redirect URI"
    );
    assert!(
        hmac_is_valid(&callback, CLIENT_SECRET),
        "the hmac verifies with Shopify's algorithm: {callback}"
    );
    assert!(
        !hmac_is_valid(&callback, "another-secret"),
        "the hmac is keyed with the app's secret"
    );
    assert_eq!(
        param(&callback, "state").as_deref(),
        Some("state-xyz"),
        "state comes back untouched"
    );
    assert_eq!(
        param(&callback, "shop").as_deref(),
        Some(SHOP),
        "the shop is named"
    );
    let host = STANDARD
        .decode(param(&callback, "host").unwrap_or_default())
        .expect("host is base64");
    assert_eq!(
        host, b"admin.shopify.com/store/counterline-demo",
        "host is the admin URL, base64"
    );
    let timestamp: i64 = param(&callback, "timestamp")
        .and_then(|t| t.parse().ok())
        .expect("numeric timestamp");
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("after 1970")
        .as_secs() as i64;
    assert!(
        (now - timestamp).abs() <= 90,
        "timestamp is within Shopify's 90 s tolerance"
    );

    let code = param(&callback, "code").expect("a code");
    let request = json!({"client_id": CLIENT_ID, "client_secret": CLIENT_SECRET, "code": code});
    let (status, body) = exchange(&sandbox, request.clone()).await;
    assert_eq!(status, 200, "the first exchange succeeds: {body}");
    let token = body["access_token"].as_str().expect("an access token");
    assert!(
        token.starts_with("shpat_") && token.len() == 38,
        "offline tokens look like Shopify's: {token}"
    );
    assert_eq!(
        body["scope"], "read_orders,read_products",
        "granted scopes come back comma-separated"
    );
    assert_eq!(
        sandbox.shopify_issued_tokens(SHOP),
        vec![token.to_owned()],
        "the sandbox recorded the token"
    );

    let (status, body) = exchange(&sandbox, request).await;
    assert_eq!(status, 400, "a code is single use");
    assert_eq!(
        body["error"], "invalid_request",
        "the error has Shopify's shape: {body}"
    );
    sandbox.shutdown().await;
}

#[tokio::test]
async fn a_custom_scheme_redirect_gets_the_signed_callback_appended() {
    let sandbox = start(20).await;
    let html = consent_page(&sandbox, "app.counterline://oauth/callback", "s").await;
    let callback = decide(&sandbox, &html, "approve").await;
    assert_eq!(
        callback.scheme(),
        "app.counterline",
        "the deep-link scheme survives"
    );
    assert!(
        callback
            .as_str()
            .starts_with("app.counterline://oauth/callback?code="),
        "params are a query: {callback}"
    );
    assert!(
        hmac_is_valid(&callback, CLIENT_SECRET),
        "the deep-link callback verifies too"
    );
    sandbox.shutdown().await;
}

#[tokio::test]
async fn a_wrong_secret_is_refused_without_burning_the_code() {
    let sandbox = start(20).await;
    let html = consent_page(&sandbox, LOOPBACK, "s").await;
    let code = param(&decide(&sandbox, &html, "approve").await, "code").expect("a code");
    let (status, body) = exchange(
        &sandbox,
        json!({"client_id": CLIENT_ID, "client_secret": "nope", "code": code}),
    )
    .await;
    assert_eq!(status, 400, "a wrong client secret cannot get a token");
    assert_eq!(
        body["error"], "invalid_request",
        "Shopify's error shape: {body}"
    );
    assert!(
        sandbox.shopify_issued_tokens(SHOP).is_empty(),
        "no token was issued"
    );

    // The form-encoded flavour of the same endpoint, with the right secret.
    let url = sandbox
        .shopify_origin(SHOP)
        .join("admin/oauth/access_token")
        .expect("joins");
    let form = [
        ("client_id", CLIENT_ID),
        ("client_secret", CLIENT_SECRET),
        ("code", code.as_str()),
        ("grant_type", "authorization_code"),
    ];
    let response = client()
        .post(url)
        .form(&form)
        .send()
        .await
        .expect("answers");
    assert_eq!(
        response.status(),
        200,
        "a form-encoded exchange works and the code was still valid"
    );
    sandbox.shutdown().await;
}

#[tokio::test]
async fn an_expiring_token_comes_with_a_refresh_token_that_rotates() {
    let sandbox = start(20).await;
    let html = consent_page(&sandbox, LOOPBACK, "s").await;
    let code = param(&decide(&sandbox, &html, "approve").await, "code").expect("a code");
    let (status, body) =
        exchange(&sandbox, json!({"client_id": CLIENT_ID, "client_secret": CLIENT_SECRET, "code": code, "expiring": "1"})).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        body["expires_in"], 3600,
        "expiring offline tokens last an hour"
    );
    let refresh = body["refresh_token"]
        .as_str()
        .expect("a refresh token")
        .to_owned();
    assert!(
        body["refresh_token_expires_in"].is_u64(),
        "the refresh token's lifetime is stated"
    );

    let rotate = json!({"client_id": CLIENT_ID, "client_secret": CLIENT_SECRET, "grant_type": "refresh_token", "refresh_token": refresh});
    let (status, body) = exchange(&sandbox, rotate.clone()).await;
    assert_eq!(
        status, 200,
        "a refresh token buys a new access token: {body}"
    );
    assert_ne!(
        body["refresh_token"].as_str(),
        Some(refresh.as_str()),
        "refresh tokens rotate"
    );
    let (status, body) = exchange(&sandbox, rotate).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (400, Some("invalid_grant")),
        "a rotated-out refresh token is dead"
    );
    sandbox.shutdown().await;
}

#[tokio::test]
async fn cancelling_redirects_with_access_denied_and_the_state() {
    let sandbox = start(20).await;
    let html = consent_page(&sandbox, LOOPBACK, "st").await;
    let callback = decide(&sandbox, &html, "deny").await;
    assert_eq!(
        param(&callback, "error").as_deref(),
        Some("access_denied"),
        "the app learns the merchant declined"
    );
    assert_eq!(
        param(&callback, "state").as_deref(),
        Some("st"),
        "state lets the app match the attempt"
    );
    assert_eq!(param(&callback, "code"), None, "no code on a denial");
    sandbox.shutdown().await;
}

#[tokio::test]
async fn bad_authorize_requests_get_shopifys_error_page() {
    let sandbox = start(20).await;
    let mut url = authorize_url(&sandbox, LOOPBACK, "s");
    let pairs: Vec<(String, String)> = url
        .query_pairs()
        .filter(|(k, _)| k != "redirect_uri")
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    url.query_pairs_mut().clear().extend_pairs(pairs);
    let response = client().get(url).send().await.expect("answers");
    assert_eq!(
        response.status(),
        400,
        "a missing redirect_uri is a bad request"
    );
    let text = response.text().await.expect("HTML");
    assert!(
        text.contains("Oauth error invalid_request: The redirect_uri is missing"),
        "Shopify's words: {text}"
    );

    let url = authorize_url(&sandbox, LOOPBACK, "s")
        .as_str()
        .replace(CLIENT_ID, "someone-else");
    let response = client().get(url).send().await.expect("answers");
    assert_eq!(response.status(), 400, "an unknown client_id is refused");

    let url = sandbox
        .base_url()
        .join("shopify/nobody.myshopify.com/admin/oauth/authorize")
        .expect("joins");
    let response = client().get(url).send().await.expect("answers");
    assert_eq!(response.status(), 404, "an unknown shop is Not Found");
    sandbox.shutdown().await;
}
