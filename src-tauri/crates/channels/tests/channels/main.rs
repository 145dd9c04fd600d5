//! Connect-flow specs: the callback verifier against the sandbox over real
//! HTTP, with the real keychain (run inside tests/session.sh) and a real
//! SQLite file. Each refusal must leave no channel and no token behind.

mod budget;

use std::sync::{Arc, Mutex};

use counterline_channels::connect::{access_token_key, registration_secret_key, Connector, ShopifyRegistration};
use counterline_channels::bigcommerce::BigCommerceApi;
use counterline_channels::woocommerce::WooApi;
use counterline_channels::shopify::{auth, ShopifyApi};
use counterline_channels::{Browser, CallbackProblem, Error};
use counterline_sandbox::{Sandbox, SandboxConfig, ShopifyApp};
use counterline_secrets::{Keychain, Secret};
use counterline_store::model::Platform;
use counterline_store::{channels, Db};
use rand::Rng;
use url::Url;

const SHOP: &str = "counterline-demo.myshopify.com";
const SCHEME: &str = "app.counterline";

#[derive(Default)]
struct RecordingBrowser(Mutex<Vec<Url>>);

impl Browser for RecordingBrowser {
    fn open(&self, url: &Url) -> Result<(), String> {
        self.0.lock().unwrap().push(url.clone());
        Ok(())
    }
}

struct Fixture {
    _dir: tempfile::TempDir,
    db: Db,
    keychain: Keychain,
    secret: Secret,
    sandbox: Sandbox,
    connector: Connector,
}

async fn fixture() -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let db = Db::open(&dir.path().join("counterline.db")).await.unwrap();
    let secret_text = format!("secret-{:016x}", rand::thread_rng().gen::<u64>());
    let sandbox = Sandbox::start(SandboxConfig {
        order_count: 40,
        shopify_app: ShopifyApp { client_id: "test-app".into(), client_secret: secret_text.clone() },
        ..SandboxConfig::default()
    })
    .await
    .unwrap();
    let keychain = Keychain::new(format!("app.counterline.test.{:08x}", rand::thread_rng().gen::<u32>()));
    let secret = Secret::new(secret_text);
    keychain.set(&registration_secret_key(Platform::Shopify), &secret).expect("the Secret Service must be running (tests/session.sh)");
    let connector = Connector {
        db: db.clone(),
        keychain: keychain.clone(),
        http: counterline_channels::http_client().unwrap(),
        scheme: SCHEME.into(),
        shopify: Some(ShopifyRegistration { client_id: "test-app".into(), api: ShopifyApi::Sandbox(sandbox.base_url()) }),
        bigcommerce: BigCommerceApi::Sandbox(sandbox.base_url()),
        woocommerce: WooApi::Sandbox(sandbox.base_url()),
        lightspeed: Default::default(),
        browser: Arc::new(RecordingBrowser::default()),
        refresh_locks: Default::default(),
        budgets: Default::default(),
    };
    Fixture { _dir: dir, db, keychain, secret, sandbox, connector }
}

/// Plays the merchant pressing a button on the sandbox's consent page.
async fn decide(authorize_url: &Url, decision: &str) -> String {
    let http = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let page = http.get(authorize_url.clone()).send().await.unwrap();
    assert!(page.status().is_success(), "consent page loads");
    let query: Vec<(String, String)> = authorize_url.query_pairs().into_owned().collect();
    let field = |name: &str| query.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone()).unwrap();
    let form = [
        ("client_id", field("client_id")),
        ("scope", field("scope")),
        ("redirect_uri", field("redirect_uri")),
        ("state", field("state")),
        ("decision", decision.to_owned()),
    ];
    let decision_url = authorize_url.join("authorize/decision").unwrap();
    let answer = http.post(decision_url).form(&form).send().await.unwrap();
    assert_eq!(answer.status().as_u16(), 302, "the consent page redirects back");
    answer.headers()["location"].to_str().unwrap().to_owned()
}

impl Fixture {
    async fn approved_callback(&self) -> String {
        let started = self.connector.start_shopify("counterline-demo").await.expect("start");
        decide(&started.authorize_url, "approve").await
    }

    async fn channel_count(&self) -> usize {
        let mut conn = self.db.conn().await.unwrap();
        channels::list(&mut conn).await.unwrap().len()
    }

    fn stored_token(&self) -> Option<Secret> {
        self.keychain.get(&access_token_key(Platform::Shopify, SHOP)).unwrap()
    }

    async fn refused(&self, url: &str) -> CallbackProblem {
        match self.connector.complete(url).await {
            Ok(_) => panic!("{url} must be refused"),
            Err(failed) => match failed.error {
                Error::Callback(problem) => problem,
                other => panic!("expected a callback refusal, got {other:?}"),
            },
        }
    }

    async fn assert_nothing_stored(&self) {
        assert_eq!(self.channel_count().await, 0, "no half-made channel");
        assert!(self.stored_token().is_none(), "no token in the keychain");
    }
}

/// Replaces one query parameter, optionally re-signing like Shopify would.
fn tamper(callback: &str, name: &str, value: &str, resign_with: Option<&Secret>) -> String {
    let mut url = Url::parse(callback).unwrap();
    let mut pairs: Vec<(String, String)> = url.query_pairs().into_owned().map(|(k, v)| if k == name { (k, value.to_owned()) } else { (k, v) }).collect();
    if let Some(secret) = resign_with {
        let hmac = auth::callback_hmac(&pairs, secret);
        for pair in &mut pairs {
            if pair.0 == "hmac" {
                pair.1 = hmac.clone();
            }
        }
    }
    url.query_pairs_mut().clear().extend_pairs(pairs);
    url.to_string()
}

#[tokio::test]
async fn a_valid_callback_connects_the_store_and_keeps_the_token_in_the_keychain() {
    let f = fixture().await;
    let callback = f.approved_callback().await;
    let connected = f.connector.complete(&callback).await.expect("a genuine callback is accepted");
    assert_eq!(connected.channel.account, SHOP);
    assert_eq!(f.channel_count().await, 1);
    let token = f.stored_token().expect("token stored in the keychain");
    assert!(f.sandbox.shopify_issued_tokens(SHOP).iter().any(|t| t == token.expose()), "it is the token the platform issued");
}

#[tokio::test]
async fn a_callback_with_a_state_nobody_issued_is_refused() {
    let f = fixture().await;
    let callback = f.approved_callback().await;
    let forged = tamper(&callback, "state", "guessed-state", None);
    assert_eq!(f.refused(&forged).await, CallbackProblem::UnknownAttempt);
    f.assert_nothing_stored().await;
}

#[tokio::test]
async fn a_replayed_callback_is_refused_and_adds_nothing() {
    let f = fixture().await;
    let callback = f.approved_callback().await;
    f.connector.complete(&callback).await.expect("first delivery connects");
    assert_eq!(f.refused(&callback).await, CallbackProblem::Replayed);
    assert_eq!(f.channel_count().await, 1, "still one channel");
}

#[tokio::test]
async fn an_expired_attempt_is_refused() {
    let f = fixture().await;
    let callback = f.approved_callback().await;
    sqlx_expire(&f.db).await;
    assert_eq!(f.refused(&callback).await, CallbackProblem::Expired);
    f.assert_nothing_stored().await;
}

async fn sqlx_expire(db: &Db) {
    // Ten minutes pass: every pending attempt's expiry is now in the past.
    sqlx::query("UPDATE connect_attempts SET expires_at = 0").execute(db.pool()).await.unwrap();
}

#[tokio::test]
async fn a_callback_with_a_bad_hmac_is_refused() {
    let f = fixture().await;
    let callback = f.approved_callback().await;
    let forged = tamper(&callback, "hmac", &"0".repeat(64), None);
    assert_eq!(f.refused(&forged).await, CallbackProblem::BadSignature);
    f.assert_nothing_stored().await;
    let resigned_with_wrong_key = tamper(&callback, "code", "other", Some(&Secret::new("not-the-secret")));
    assert!(matches!(f.refused(&resigned_with_wrong_key).await, CallbackProblem::Replayed), "the attempt was consumed by the first forged use");
}

#[tokio::test]
async fn a_signed_callback_for_another_shop_is_refused() {
    let f = fixture().await;
    let callback = f.approved_callback().await;
    let foreign = tamper(&callback, "shop", "someone-else.myshopify.com", Some(&f.secret));
    assert_eq!(f.refused(&foreign).await, CallbackProblem::ForeignAccount);
    f.assert_nothing_stored().await;
}

#[tokio::test]
async fn malformed_links_are_refused_before_anything_is_looked_up() {
    let f = fixture().await;
    for url in ["", "https://counterline.app/oauth/callback?state=x", "app.counterline://oauth/callback", "app.counterline://oauth/callback?state=a&state=b", "app.counterline://elsewhere?state=x"] {
        assert_eq!(f.refused(url).await, CallbackProblem::Malformed, "{url}");
    }
    f.assert_nothing_stored().await;
}

#[tokio::test]
async fn declining_in_the_browser_stores_nothing() {
    let f = fixture().await;
    let started = f.connector.start_shopify(SHOP).await.unwrap();
    let callback = decide(&started.authorize_url, "deny").await;
    assert_eq!(f.refused(&callback).await, CallbackProblem::Denied);
    f.assert_nothing_stored().await;
}

#[tokio::test]
async fn a_store_address_that_is_not_shopify_is_refused_before_the_browser_opens() {
    let f = fixture().await;
    let error = f.connector.start_shopify("https://evil.example.com").await.expect_err("not a Shopify domain");
    assert!(matches!(error, Error::InvalidInput(_)), "{error:?}");
    assert!(error.to_string().contains("myshopify.com"), "the message shows the expected form: {error}");
}

#[tokio::test]
async fn disconnecting_removes_the_token_and_reauthorizing_reuses_the_channel() {
    let f = fixture().await;
    let callback = f.approved_callback().await;
    let first = f.connector.complete(&callback).await.expect("connect").channel;
    f.connector.disconnect(&first).await.expect("disconnect");
    assert!(f.stored_token().is_none(), "the keychain entry is deleted");
    assert_eq!(f.channel_count().await, 0, "the channel leaves the list");

    let started = f.connector.reauthorize(&first).await.expect("re-authorize starts a fresh sign-in");
    assert!(started.authorize_url.as_str().contains(SHOP), "for the channel's own store");
    let callback = decide(&started.authorize_url, "approve").await;
    let again = f.connector.complete(&callback).await.expect("re-authorized").channel;
    assert_eq!(again.id, first.id, "the same channel row, so history is kept");
    assert!(f.stored_token().is_some(), "a new token is stored");
}

#[tokio::test]
async fn a_bigcommerce_store_connects_with_its_api_token_checked_first() {
    let f = fixture().await;
    let hash = "cl0demo";
    let token = f.sandbox.issue_bigcommerce_token(hash);
    let wrong = f.connector.connect_bigcommerce(hash, "not-the-token").await.expect_err("a wrong token is refused");
    assert!(matches!(wrong, Error::Auth { .. }), "{wrong:?}");
    let unknown = f.connector.connect_bigcommerce("nosuchstore", &token).await.expect_err("an unknown store is refused");
    assert!(!matches!(unknown, Error::Internal(_)), "a clear error, not an internal one: {unknown:?}");
    assert!(f.connector.connect_bigcommerce("not a hash!", &token).await.is_err(), "a malformed hash is refused before any request");
    assert_eq!(f.channel_count().await, 0, "no half-made channel after refusals");

    let channel = f.connector.connect_bigcommerce(&format!("https://api.bigcommerce.com/stores/{hash}/v3/"), &token).await.expect("connects");
    assert_eq!((channel.platform, channel.account.as_str()), (Platform::BigCommerce, hash));
    let stored = f.keychain.get(&access_token_key(Platform::BigCommerce, hash)).unwrap().expect("token in the keychain");
    assert_eq!(stored.expose(), token);
}

mod woocommerce {
    use super::*;

    const SITE: &str = "shop.counterline-demo.test";

    fn unescape(value: &str) -> String {
        value.replace("&quot;", "\"").replace("&#x27;", "'").replace("&#39;", "'").replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
    }

    /// Every `<input type="hidden" name=… value=…>` of the consent form.
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

    /// Plays the merchant on WordPress's "Authorize application" screen.
    async fn decide(authorize_url: &Url, approve: bool) -> String {
        let http = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
        let html = http.get(authorize_url.clone()).send().await.unwrap().text().await.unwrap();
        assert!(html.contains("id=\"approve\""), "the WordPress consent screen loads");
        let mut form = hidden_fields(&html);
        form.push(("app_name".into(), "Counterline".into()));
        form.push(if approve { ("approve".into(), "Yes".into()) } else { ("reject".into(), "No".into()) });
        let answer = http.post(authorize_url.clone()).form(&form).send().await.unwrap();
        assert_eq!(answer.status().as_u16(), 302, "the decision redirects back to the app");
        answer.headers()["location"].to_str().unwrap().to_owned()
    }

    #[tokio::test]
    async fn a_wordpress_application_password_connects_through_the_deep_link() {
        let f = fixture().await;
        let started = f.connector.start_woocommerce("https://shop.counterline-demo.test").await.expect("start");
        let callback = decide(&started.authorize_url, true).await;
        assert!(callback.starts_with("app.counterline://oauth/callback?state="), "our deep link, with our state: {callback}");
        let connected = f.connector.complete(&callback).await.expect("a genuine approval connects").channel;
        assert_eq!((connected.platform, connected.account.as_str()), (Platform::WooCommerce, SITE));
        let stored = f.keychain.get(&access_token_key(Platform::WooCommerce, SITE)).unwrap().expect("credential in the keychain");
        let password = stored.expose().split_once(':').map(|(_, p)| p.to_owned()).unwrap();
        assert!(f.sandbox.woocommerce_app_passwords(SITE).iter().any(|p| p.replace(' ', "") == password), "it is the password WordPress issued");
        assert_eq!(f.refused(&callback).await, CallbackProblem::Replayed, "the link works once");
    }

    #[tokio::test]
    async fn rejecting_or_a_different_site_stores_nothing() {
        let f = fixture().await;
        let started = f.connector.start_woocommerce(SITE).await.unwrap();
        let rejected = decide(&started.authorize_url, false).await;
        assert_eq!(f.refused(&rejected).await, CallbackProblem::Denied);

        let started = f.connector.start_woocommerce(SITE).await.unwrap();
        let approved = decide(&started.authorize_url, true).await;
        let foreign = tamper(&approved, "site_url", "https://other-shop.example.com", None);
        assert_eq!(f.refused(&foreign).await, CallbackProblem::ForeignAccount);
        assert_eq!(f.channel_count().await, 0, "nothing saved");
    }

    #[tokio::test]
    async fn rest_api_keys_are_checked_before_the_channel_is_saved() {
        let f = fixture().await;
        let site = SandboxConfig::default().woocommerce_sites.remove(0);
        let malformed = f.connector.connect_woocommerce_keys(SITE, "key", "secret").await.expect_err("not WooCommerce keys");
        assert!(malformed.to_string().contains("ck_"), "the message says what keys look like: {malformed}");
        let wrong = f.connector.connect_woocommerce_keys(SITE, "ck_wrong", "cs_wrong").await.expect_err("wrong keys");
        assert!(matches!(wrong, Error::Auth { .. }), "{wrong:?}");
        assert_eq!(f.channel_count().await, 0);
        let channel = f.connector.connect_woocommerce_keys(SITE, &site.consumer_key, &site.consumer_secret).await.expect("right keys connect");
        assert_eq!(channel.platform, Platform::WooCommerce);
    }
}
