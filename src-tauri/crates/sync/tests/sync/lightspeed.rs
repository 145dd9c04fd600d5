//! Lightspeed X- and R-Series, end to end: connect through the sandbox's
//! consent page (played like a browser), pull every sale, and compare with
//! the sandbox's own records; then expiring and rotating tokens mid-sync,
//! one refresher per connection, and a revoked grant putting the channel in
//! Error. Uses the real keychain (tests/session.sh).

use std::collections::BTreeMap;
use std::sync::Arc;

use counterline_channels::connect::{access_token_key, registration_secret_key, Connector, LightspeedApps};
use counterline_channels::lightspeed::{LightspeedApi, OAuthRegistration, RedirectMode};
use counterline_channels::{bigcommerce::BigCommerceApi, woocommerce::WooApi, Browser};
use counterline_sandbox::{AppRegistration, Sandbox, SandboxConfig};
use counterline_secrets::{Keychain, Secret};
use counterline_store::model::{ChannelStatus, ChannelView, Platform};
use counterline_store::{channels, Db};
use counterline_sync::pull_orders;
use rand::Rng;
use serde_json::Value;
use sqlx::Row;
use url::Url;

pub(crate) const PREFIX: &str = "counterlinedemo";
pub(crate) const ACCOUNT: u64 = 184_302;
pub(crate) const COMPANY: u64 = 27_460;
const BUSINESS: u64 = 31_845;
const LOCATIONS: [u64; 2] = [45_454_565_682_155, 45_454_565_682_156];

struct Silent;

impl Browser for Silent {
    fn open(&self, _url: &Url) -> Result<(), String> {
        Ok(())
    }
}

pub struct Lightspeed {
    _dir: tempfile::TempDir,
    pub db: Db,
    pub sandbox: Sandbox,
    pub keychain: Keychain,
    pub connector: Arc<Connector>,
}

pub async fn lightspeed(order_count: usize) -> Lightspeed {
    let dir = tempfile::tempdir().unwrap();
    let db = Db::open(&dir.path().join("counterline.db")).await.unwrap();
    let sandbox = Sandbox::start(SandboxConfig { order_count, ..SandboxConfig::default() }).await.unwrap();
    let keychain = Keychain::new(format!("app.counterline.test.{:08x}", rand::thread_rng().gen::<u32>()));
    let registration = |app: AppRegistration| OAuthRegistration { client_id: app.client_id, redirect: RedirectMode::DeepLink };
    let apps = [
        (Platform::XSeries, AppRegistration::xseries_demo()),
        (Platform::RSeries, AppRegistration::rseries_demo()),
        (Platform::KSeries, AppRegistration::kseries_demo()),
        (Platform::OSeries, AppRegistration::oseries_demo()),
    ];
    for (platform, app) in apps {
        keychain
            .set(&registration_secret_key(platform), &Secret::new(app.client_secret))
            .expect("the Secret Service must be running (tests/session.sh)");
    }
    let connector = Connector {
        db: db.clone(),
        keychain: keychain.clone(),
        http: counterline_channels::http_client().unwrap(),
        scheme: "app.counterline".into(),
        shopify: None,
        bigcommerce: BigCommerceApi::Sandbox(sandbox.base_url()),
        woocommerce: WooApi::Sandbox(sandbox.base_url()),
        lightspeed: LightspeedApps {
            api: LightspeedApi::Sandbox(sandbox.base_url()),
            xseries: Some(registration(AppRegistration::xseries_demo())),
            rseries: Some(registration(AppRegistration::rseries_demo())),
            kseries: Some(OAuthRegistration {
                client_id: AppRegistration::kseries_demo().client_id,
                redirect: RedirectMode::Relay { url: sandbox.kseries_relay_url() },
            }),
            oseries: Some(registration(AppRegistration::oseries_demo())),
        },
        browser: Arc::new(Silent),
        refresh_locks: Default::default(),
        budgets: Default::default(),
    };
    Lightspeed { _dir: dir, db, sandbox, keychain, connector: Arc::new(connector) }
}

/// Plays the merchant on a sandbox consent page: loads it, posts its form
/// with `decision`, and returns where the browser is sent.
pub async fn consent(authorize_url: &Url, decision: &str) -> String {
    let http = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let html = http.get(authorize_url.clone()).send().await.unwrap().text().await.unwrap();
    let action = html.split("<form method=\"post\" action=\"").nth(1).and_then(|r| r.split('"').next()).expect("a consent form");
    let mut form: Vec<(String, String)> = html
        .split("<input type=\"hidden\" ")
        .skip(1)
        .filter_map(|rest| {
            let name = rest.split("name=\"").nth(1)?.split('"').next()?;
            let value = rest.split("value=\"").nth(1)?.split('"').next()?;
            Some((name.to_owned(), value.replace("&quot;", "\"").replace("&#39;", "'").replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")))
        })
        .collect();
    form.push(("decision".into(), decision.into()));
    let answer = http.post(authorize_url.join(action).unwrap()).form(&form).send().await.unwrap();
    assert_eq!(answer.status().as_u16(), 302, "the consent page sends the browser back");
    answer.headers()["location"].to_str().unwrap().to_owned()
}

/// Plays the browser on the relay page: it forwards to the deep link.
async fn follow_relay(relay: &str) -> String {
    let html = reqwest::get(relay).await.unwrap().text().await.unwrap();
    let link = html.split("id=\"open-counterline\" href=\"").nth(1).or_else(|| html.split("href=\"").nth(1)).expect("the relay page links to the app");
    link.split('"').next().unwrap().replace("&amp;", "&").replace("&quot;", "\"").replace("&#39;", "'")
}

impl Lightspeed {
    /// Where the fixture's database file is (to reopen it, as after a restart).
    pub fn db_path(&self) -> std::path::PathBuf {
        self._dir.path().join("counterline.db")
    }

    pub async fn connect(&self, platform: Platform) -> ChannelView {
        let started = self.connector.start_lightspeed(platform, None).await.expect("start");
        let mut callback = consent(&started.authorize_url, "approve").await;
        if platform == Platform::KSeries {
            assert!(callback.starts_with(self.sandbox.kseries_relay_url().as_str()), "K-Series returns to the HTTPS relay page");
            callback = follow_relay(&callback).await;
        }
        assert!(callback.starts_with("app.counterline://oauth/callback?"), "back through the deep link: {callback}");
        self.connector.complete(&callback).await.expect("a genuine callback connects").channel
    }

    pub(crate) async fn stored(&self) -> BTreeMap<String, (i64, Option<String>, Option<String>, String)> {
        sqlx::query("SELECT external_id, total_minor, fulfillment_status, email, currency FROM orders")
            .fetch_all(self.db.pool())
            .await
            .unwrap()
            .into_iter()
            .map(|r| (r.get("external_id"), (r.get("total_minor"), r.get("fulfillment_status"), r.get("email"), r.get("currency"))))
            .collect()
    }

    pub(crate) async fn status(&self, channel: i64) -> ChannelStatus {
        channels::get(&mut self.db.conn().await.unwrap(), channel).await.unwrap().status
    }
}

/// Exact cents of a JSON number or numeric string (`25.9`, `"-59"`).
fn cents(value: &Value) -> i64 {
    let text = match value {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    let negative = text.starts_with('-');
    let (whole, frac) = text.trim_start_matches('-').split_once('.').unwrap_or((text.trim_start_matches('-'), "0"));
    let value = whole.parse::<i64>().unwrap() * 100 + format!("{frac:0<2}")[..2].parse::<i64>().unwrap();
    if negative { -value } else { value }
}

fn trimmed(value: &Value) -> Option<String> {
    value.as_str().map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned)
}

pub(crate) fn xseries_truth(sandbox: &Sandbox) -> BTreeMap<String, (i64, Option<String>, Option<String>, String)> {
    let emails: BTreeMap<String, Option<String>> = sandbox
        .xseries_customers(PREFIX)
        .iter()
        .map(|c| (c["id"].as_str().unwrap().to_owned(), trimmed(&c["email"])))
        .collect();
    sandbox
        .xseries_sales(PREFIX)
        .iter()
        .map(|s| {
            let email = s["customer_id"].as_str().and_then(|c| emails.get(c).cloned().flatten());
            let key = s["id"].as_str().unwrap().to_owned();
            (key, (cents(&s["total_price_incl"]), trimmed(&s["status"]), email, "NZD".to_owned()))
        })
        .collect()
}

pub(crate) fn rseries_truth(sandbox: &Sandbox) -> BTreeMap<String, (i64, Option<String>, Option<String>, String)> {
    sandbox
        .rseries_sales(ACCOUNT)
        .iter()
        .map(|s| {
            let emails = &s["Customer"]["Contact"]["Emails"]["ContactEmail"];
            let email = match emails {
                Value::Array(list) => list.first().and_then(|e| trimmed(&e["address"])),
                other => trimmed(&other["address"]),
            };
            let state = if s["voided"] == "true" { "voided" } else if s["completed"] == "true" { "completed" } else { "open" };
            (s["saleID"].as_str().unwrap().to_owned(), (cents(&s["calcTotal"]), Some(state.to_owned()), email, "CAD".to_owned()))
        })
        .collect()
}

#[tokio::test]
async fn an_xseries_store_connects_in_the_browser_and_its_sales_arrive_exactly() {
    let f = lightspeed(600).await;
    let channel = f.connect(Platform::XSeries).await;
    assert_eq!((channel.platform, channel.account.as_str()), (Platform::XSeries, PREFIX), "the store the merchant picked");
    assert!(f.keychain.get(&access_token_key(Platform::XSeries, PREFIX)).unwrap().is_some(), "the grant is in the keychain");

    let source = f.connector.source(&channel).await.unwrap();
    let first = pull_orders(&f.db, channel.id, &source, |_| {}).await.expect("pull");
    let expected = xseries_truth(&f.sandbox);
    assert!(expected.len() > 600, "every sale, returns included, across several 200-sale pages");
    assert_eq!(first.stats.inserted as usize, expected.len());
    assert_eq!(f.stored().await, expected, "ids, totals, raw statuses, emails and currency equal the store's");

    let again = pull_orders(&f.db, channel.id, &source, |_| {}).await.unwrap();
    assert_eq!((again.stats.inserted, again.stats.updated, again.pages), (0, 0, 1), "the version cursor resumes at the end: one empty page");

    let touched = f.sandbox.touch_xseries_sales(PREFIX, 4);
    let source = f.connector.source(&channel).await.unwrap();
    let next = pull_orders(&f.db, channel.id, &source, |_| {}).await.unwrap();
    assert_eq!(next.stats.inserted + next.stats.updated, touched.len() as u64, "returns and edits arrive, nothing else is rewritten");
    assert_eq!(f.stored().await, xseries_truth(&f.sandbox));
}

#[tokio::test]
async fn an_rseries_account_connects_in_the_browser_and_its_sales_arrive_exactly() {
    let f = lightspeed(450).await;
    let channel = f.connect(Platform::RSeries).await;
    assert_eq!(channel.account, ACCOUNT.to_string(), "the account id comes from Account.json");
    let source = f.connector.source(&channel).await.unwrap();
    let first = pull_orders(&f.db, channel.id, &source, |_| {}).await.expect("pull");
    let expected = rseries_truth(&f.sandbox);
    assert!(expected.len() > 400, "several 100-sale pages");
    assert_eq!(first.stats.inserted as usize, expected.len());
    assert_eq!(f.stored().await, expected, "ids, totals, states, emails and currency equal the account's");
    let touched = f.sandbox.touch_rseries_sales(ACCOUNT, 3);
    let next = pull_orders(&f.db, channel.id, &source, |_| {}).await.unwrap();
    assert_eq!(next.stats.inserted + next.stats.updated, touched.len() as u64, "refunds and edits arrive through the timeStamp filter");
    assert_eq!(f.stored().await, rseries_truth(&f.sandbox));
}

fn kseries_truth(sandbox: &Sandbox) -> BTreeMap<String, (i64, Option<String>, Option<String>, String)> {
    LOCATIONS
        .iter()
        .flat_map(|l| sandbox.kseries_sales(*l))
        .map(|s| {
            let total: i64 = s["salesLines"].as_array().unwrap().iter().map(|l| cents(&l["totalNetAmountWithTax"])).sum();
            let email = s["payments"].as_array().into_iter().flatten().find_map(|p| trimmed(&p["consumer"]["email"]));
            (s["accountReference"].as_str().unwrap().to_owned(), (total, trimmed(&s["type"]), email, "CHF".to_owned()))
        })
        .collect()
}

#[tokio::test]
async fn a_kseries_business_connects_through_the_https_relay_and_its_sales_arrive_exactly() {
    let f = lightspeed(250).await;
    let channel = f.connect(Platform::KSeries).await;
    assert_eq!(channel.account, BUSINESS.to_string(), "the business id comes from f/data/businesses");
    let source = f.connector.source(&channel).await.unwrap();
    let first = pull_orders(&f.db, channel.id, &source, |_| {}).await.expect("pull");
    let expected = kseries_truth(&f.sandbox);
    assert!(expected.len() > 400, "both locations, across two years of 364-day windows");
    assert_eq!(first.stats.inserted as usize, expected.len());
    assert_eq!(f.stored().await, expected, "ids, totals, account types, emails and currency equal the business's");
    let touched = f.sandbox.touch_kseries_sales(LOCATIONS[0], 3);
    // Server time is whole seconds: let the re-closed bills fall inside "now".
    tokio::time::sleep(std::time::Duration::from_millis(1_100)).await;
    let next = pull_orders(&f.db, channel.id, &source, |_| {}).await.unwrap();
    assert_eq!(next.stats.inserted + next.stats.updated, touched.len() as u64, "re-closed bills arrive through the timeClosed window");
    assert_eq!(f.stored().await, kseries_truth(&f.sandbox));
}

fn oseries_truth(sandbox: &Sandbox) -> BTreeMap<String, (i64, Option<String>, Option<String>, String)> {
    sandbox
        .oseries_orders(COMPANY)
        .iter()
        .map(|o| {
            let key = o["id"].as_u64().unwrap().to_string();
            (key, (cents(&o["total"]), trimmed(&o["status"]), trimmed(&o["customer"]["email"]), "AUD".to_owned()))
        })
        .collect()
}

#[tokio::test]
async fn an_oseries_company_connects_in_the_browser_and_its_orders_arrive_exactly() {
    let f = lightspeed(300).await;
    let channel = f.connect(Platform::OSeries).await;
    assert_eq!(channel.account, COMPANY.to_string(), "the company id comes from companies/me");
    let source = f.connector.source(&channel).await.unwrap();
    let first = pull_orders(&f.db, channel.id, &source, |_| {}).await.expect("pull");
    let expected = oseries_truth(&f.sandbox);
    assert!(expected.len() > 300, "many 25-order X-Page pages");
    assert_eq!(first.stats.inserted as usize, expected.len());
    assert_eq!(f.stored().await, expected, "ids, totals, raw statuses, emails and currency equal the company's");
    let touched = f.sandbox.touch_oseries_orders(COMPANY, 3);
    let next = pull_orders(&f.db, channel.id, &source, |_| {}).await.unwrap();
    assert_eq!(next.stats.inserted + next.stats.updated, touched.len() as u64, "refunds and edits arrive through the updated filter");
    assert_eq!(f.stored().await, oseries_truth(&f.sandbox));
}

#[tokio::test]
async fn an_expired_token_is_refreshed_once_and_the_rotated_refresh_token_is_kept() {
    let f = lightspeed(200).await;
    let channel = f.connect(Platform::RSeries).await;
    let key = access_token_key(Platform::RSeries, &channel.account);
    let before = f.keychain.get(&key).unwrap().unwrap().expose().to_owned();
    f.sandbox.expire_rseries_access_tokens();
    let issued = f.sandbox.rseries_issued_tokens(ACCOUNT).len();

    // Two sources for one connection, racing: with rotation, a second
    // refresh with the same refresh token would be refused.
    let (a, b) = (f.connector.source(&channel).await.unwrap(), f.connector.source(&channel).await.unwrap());
    let (ra, rb) = tokio::join!(a.check(), b.check());
    assert!(ra.is_ok() && rb.is_ok(), "both calls succeed: {ra:?} {rb:?}");
    assert_eq!(f.sandbox.rseries_issued_tokens(ACCOUNT).len(), issued + 1, "exactly one refresh for the connection");
    let after = f.keychain.get(&key).unwrap().unwrap().expose().to_owned();
    assert_ne!(before, after, "the rotated grant replaced the old one in the keychain");

    // The stored refresh token is the live one: expire again, refresh again.
    f.sandbox.expire_rseries_access_tokens();
    let source = f.connector.source(&channel).await.unwrap();
    pull_orders(&f.db, channel.id, &source, |_| {}).await.expect("a sync after another expiry refreshes with the rotated token");
    assert_eq!(f.status(channel.id).await, ChannelStatus::Active);
}

#[tokio::test]
async fn a_revoked_grant_puts_the_channel_in_error_with_reauthorize_offered() {
    let f = lightspeed(50).await;
    let channel = f.connect(Platform::XSeries).await;
    f.sandbox.revoke_xseries_tokens(PREFIX);
    let source = f.connector.source(&channel).await.unwrap();
    let error = pull_orders(&f.db, channel.id, &source, |_| {}).await.expect_err("nothing can be read");
    assert!(error.to_string().contains("Re-authorize"), "the message says what to do: {error}");
    assert_eq!(f.status(channel.id).await, ChannelStatus::Error);

    let again = f.connector.reauthorize(&channel).await.unwrap();
    let callback = consent(&again.authorize_url, "approve").await;
    let back = f.connector.complete(&callback).await.expect("re-authorized");
    assert_eq!(back.channel.id, channel.id, "the same channel, so no order is duplicated");
    assert_eq!(back.channel.status, ChannelStatus::Active);
}

#[tokio::test]
async fn a_denied_consent_or_a_forged_store_stores_nothing() {
    let f = lightspeed(20).await;
    let started = f.connector.start_lightspeed(Platform::XSeries, None).await.unwrap();
    let denied = consent(&started.authorize_url, "deny").await;
    assert!(f.connector.complete(&denied).await.is_err());

    let started = f.connector.start_lightspeed(Platform::XSeries, None).await.unwrap();
    let callback = consent(&started.authorize_url, "approve").await;
    let forged = callback.replace(&format!("domain_prefix={PREFIX}"), "domain_prefix=evil.example.com%2F");
    assert!(f.connector.complete(&forged).await.is_err(), "a domain prefix that is not a subdomain label is refused");
    assert!(channels::list(&mut f.db.conn().await.unwrap()).await.unwrap().is_empty(), "no half-made channel");
    assert!(f.keychain.get(&access_token_key(Platform::XSeries, PREFIX)).unwrap().is_none(), "no grant saved");
}

#[tokio::test]
async fn a_loopback_registration_completes_through_the_local_listener() {
    let mut f = lightspeed(30).await;
    Arc::get_mut(&mut f.connector).expect("no engine shares it yet").lightspeed.xseries =
        Some(OAuthRegistration { client_id: AppRegistration::xseries_demo().client_id, redirect: RedirectMode::Loopback { port: 0 } });
    let started = f.connector.start_lightspeed(Platform::XSeries, None).await.unwrap();
    let pending = started.loopback.expect("a loopback registration listens");
    let redirect = pending.redirect().clone();
    assert!(redirect.as_str().starts_with("http://127.0.0.1:"), "RFC 8252 §7.3 loopback: {redirect}");
    let waiting = tokio::spawn(pending.wait(std::time::Duration::from_secs(30)));

    // The browser follows the consent page's redirect to the listener.
    let location = consent(&started.authorize_url, "approve").await;
    assert!(location.starts_with(redirect.as_str()), "the platform sends the browser to the listener");
    let page = reqwest::get(&location).await.unwrap();
    assert!(page.text().await.unwrap().contains("return to the app"), "the tab tells the merchant what to do");

    let (params, used) = waiting.await.unwrap().expect("the listener took the callback");
    let connected = f.connector.complete_loopback(&params, used).await.expect("verified like a deep link");
    assert_eq!(connected.channel.account, PREFIX);

    // The same callback delivered again (a replay) is refused.
    let again = f.connector.complete_loopback(&params, redirect).await;
    assert!(again.is_err(), "the attempt is single use");
}
