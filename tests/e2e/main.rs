//! End to end, through the real app window: tauri-driver + WebKitWebDriver
//! drive the debug binary under Xvfb, with the real Secret Service and the
//! demo sandbox the app starts on 127.0.0.1. The test plays the system
//! browser: it reads the URL the app asked to open, approves on the
//! sandbox's consent page over HTTP, then launches the app binary a second
//! time with the callback URL, exactly as the OS would.
//!
//! Run through `tests/session.sh` (make test): it provides D-Bus, an unlocked
//! gnome-keyring, Xvfb and a fresh HOME.

mod members;
mod orders;
mod webdriver;

use std::path::PathBuf;
use std::process::Command;
use std::sync::Mutex;
use std::time::Duration;

use counterline_secrets::Keychain;
use webdriver::{Driver, Session};

const APP: &str = env!("CARGO_BIN_EXE_counterline");
const DEMO_SHOP: &str = "counterline-demo.myshopify.com";
const DEMO_ORDERS: usize = 300;
const LONG: Duration = Duration::from_secs(60);

/// One app at a time: single-instance would forward a second app to the first.
static ONE_APP: Mutex<()> = Mutex::new(());

struct Run {
    dir: tempfile::TempDir,
}

impl Run {
    fn new() -> Run {
        assert!(std::env::var_os("DISPLAY").is_some(), "no DISPLAY: run the tests through tests/session.sh (make test)");
        let dir = tempfile::tempdir().unwrap();
        for sub in ["xdg-data", "xdg-config", "xdg-cache"] {
            std::fs::create_dir_all(dir.path().join(sub)).unwrap();
        }
        Run { dir }
    }

    fn env(&self) -> Vec<(&'static str, String)> {
        let path = |name: &str| self.dir.path().join(name).display().to_string();
        vec![
            ("COUNTERLINE_DATA_DIR", path("data")),
            // No registration file: demo mode, against the built-in sandbox.
            ("COUNTERLINE_CONFIG", path("no-registrations.json")),
            ("COUNTERLINE_OPENER", format!("record:{}", path("opened-urls.txt"))),
            ("COUNTERLINE_DEMO_ORDERS", DEMO_ORDERS.to_string()),
            // The webview keeps localStorage (e.g. onboarding done) under these:
            // each run is a first launch on a fresh machine.
            ("XDG_DATA_HOME", path("xdg-data")),
            ("XDG_CONFIG_HOME", path("xdg-config")),
            ("XDG_CACHE_HOME", path("xdg-cache")),
        ]
    }

    fn opened_urls(&self) -> Vec<String> {
        std::fs::read_to_string(self.dir.path().join("opened-urls.txt"))
            .map(|s| s.lines().map(str::to_owned).collect())
            .unwrap_or_default()
    }

    /// What the OS does with a clicked `app.counterline://` link: start the
    /// handler binary with the URL. Single-instance forwards it and exits.
    fn launch_with_url(&self, url: &str) {
        let status = Command::new(APP).arg(url).envs(self.env()).status().expect("second launch");
        assert!(status.success(), "the second instance should hand the URL over and exit cleanly");
    }

    fn database_files(&self) -> Vec<PathBuf> {
        ["counterline.db", "counterline.db-wal", "counterline.db-shm"]
            .iter()
            .map(|f| self.dir.path().join("data").join(f))
            .filter(|p| p.exists())
            .collect()
    }

    fn channel_accounts(&self) -> Vec<String> {
        let db_path = self.dir.path().join("data/counterline.db");
        tokio::runtime::Runtime::new().unwrap().block_on(async {
            let db = counterline_store::Db::open(&db_path).await.unwrap();
            let mut conn = db.conn().await.unwrap();
            counterline_store::channels::list(&mut conn).await.unwrap().into_iter().map(|c| c.account).collect()
        })
    }
}

fn contains(haystack: &[u8], needle: &str) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle.as_bytes())
}

fn unescape(value: &str) -> String {
    value.replace("&quot;", "\"").replace("&#x27;", "'").replace("&#39;", "'").replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
}

fn hidden_field(html: &str, name: &str) -> String {
    let marker = format!("name=\"{name}\"");
    let at = html.find(&marker).unwrap_or_else(|| panic!("consent form lacks {name}"));
    let rest = &html[at..];
    let start = rest.find("value=\"").expect("hidden field value") + 7;
    let end = rest[start..].find('"').expect("closing quote");
    unescape(&rest[start..start + end])
}

/// Plays the merchant in the browser: open the consent page, press Install,
/// and return where Shopify redirects (the app's callback deep link).
fn approve_in_browser(authorize_url: &str) -> String {
    let http = reqwest::blocking::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let page = http.get(authorize_url).send().unwrap();
    assert!(page.status().is_success(), "consent page: {}", page.status());
    let html = page.text().unwrap();
    assert!(html.contains("id=\"approve\""), "the consent page offers Install");
    let base = url::Url::parse(authorize_url).unwrap();
    let decision = base.join(&format!("/shopify/{DEMO_SHOP}/admin/oauth/authorize/decision")).unwrap();
    let form: Vec<(&str, String)> = ["client_id", "scope", "redirect_uri", "state"]
        .iter()
        .map(|f| (*f, hidden_field(&html, f)))
        .chain([("decision", "approve".to_owned())])
        .collect();
    let answer = http.post(decision).form(&form).send().unwrap();
    assert_eq!(answer.status().as_u16(), 302, "approving redirects back to the app");
    answer.headers()["location"].to_str().unwrap().to_owned()
}

fn open_channels_page(session: &Session) {
    open_page(session, "nav-channels", "channels-page");
}

/// Clicks a navigation entry until its page shows: a click can land on a
/// closing modal's overlay.
fn open_page(session: &Session, nav: &str, page: &str) {
    let link = session.wait_for(&format!("[data-testid={nav}]"), LONG, "the app shell shows its navigation");
    session.eventually(LONG, &format!("{page} should open from the navigation"), || {
        session.click(&link);
        session.count(&format!("[data-testid={page}]"))
    }, |n| *n > 0);
}

#[test]
fn a_forged_sign_in_link_shows_an_error_and_stores_nothing() {
    let _one = ONE_APP.lock().unwrap_or_else(|p| p.into_inner());
    let run = Run::new();
    let driver = Driver::start(&run.env());
    let session = driver.session(APP);
    open_channels_page(&session);

    run.launch_with_url(&format!(
        "app.counterline://oauth/callback?code=stolen&hmac=00&host=x&shop=evil-store.myshopify.com&state=never-issued&timestamp=1"
    ));
    let alert = session.wait_for("[data-testid=deep-link-error]", LONG, "a link nobody started must be reported");
    let text = session.text(&alert);
    assert!(text.to_lowercase().contains("nothing was saved"), "the merchant is told nothing changed: {text}");
    assert!(run.channel_accounts().is_empty(), "a forged callback must not create a channel");
    assert_eq!(session.count("[data-testid=channel-row]"), 0, "and none is shown");
}

#[test]
fn a_merchant_connects_the_demo_shopify_store_and_sees_its_orders() {
    let _one = ONE_APP.lock().unwrap_or_else(|p| p.into_inner());
    let run = Run::new();
    let driver = Driver::start(&run.env());
    let session = driver.session(APP);
    open_channels_page(&session);

    connect_demo_store(&run, &session);
    let _ = session.screenshot("tests/e2e/artifacts/orders.png");

    open_channels_page(&session);
    let row = session.wait_for("[data-testid=channel-row]", LONG, "the channel is listed");
    assert_eq!(session.attribute(&row, "data-status").as_deref(), Some("active"), "the channel is Active");

    let token = demo_token().expect("the access token is in the OS keychain");
    assert!(token.expose().starts_with("shpat_"), "it is a Shopify access token");
    let files = run.database_files();
    assert!(!files.is_empty(), "the database exists");
    for file in files {
        let bytes = std::fs::read(&file).unwrap();
        assert!(!contains(&bytes, token.expose()), "the token must never be written to {}", file.display());
    }
    assert_eq!(run.channel_accounts(), vec![DEMO_SHOP.to_owned()], "exactly one channel, the demo store");
}

/// Connect Shopify from the Channels page through to the synced orders list:
/// the wizard, the browser's consent page, the OS's second launch with the
/// callback, Save & Continue, and every sandbox order counted.
fn connect_demo_store(run: &Run, session: &Session) {
    let connect = session.wait_for("[data-testid=connect-shopify]", LONG, "an empty app offers Connect Shopify");
    session.click(&connect);
    let shop_input = session.wait_for("[data-testid=shop-domain]", LONG, "the wizard asks for the store");
    assert_eq!(session.attribute(&shop_input, "value").as_deref(), Some(DEMO_SHOP), "demo mode prefills the sandbox store");
    let continue_button = session.wait_for("[data-testid=connect-continue]", LONG, "the wizard can continue");
    session.click(&continue_button);
    session.wait_for("[data-testid=connect-waiting]", LONG, "the wizard waits for the browser");

    let authorize_url = session.eventually(LONG, "the app should open the consent page in the system browser", || run.opened_urls(), |urls| !urls.is_empty())[0].clone();
    assert!(authorize_url.contains("/admin/oauth/authorize?"), "Shopify's authorize endpoint: {authorize_url}");
    let callback = approve_in_browser(&authorize_url);
    assert!(callback.starts_with("app.counterline://oauth/callback?"), "redirects to our scheme: {callback}");
    run.launch_with_url(&callback);

    session.wait_for("[data-testid=connect-done]", LONG, "the wizard confirms the connection");
    let save = session.wait_for("[data-testid=connect-save]", LONG, "Save & Continue is offered");
    session.click(&save);

    let total = session.wait_for("[data-testid=orders-total]", LONG, "Save & Continue lands on the orders list");
    session.eventually(LONG, "every sandbox order should be synced and counted", || session.text(&total), |t| t.replace(',', "").contains(&DEMO_ORDERS.to_string()));
    assert!(session.count("[data-testid=order-row]") > 10, "the list shows order rows");
}

impl Run {
    fn stored_order_count(&self) -> i64 {
        let db_path = self.dir.path().join("data/counterline.db");
        tokio::runtime::Runtime::new().unwrap().block_on(async {
            let db = counterline_store::Db::open(&db_path).await.unwrap();
            let mut conn = db.conn().await.unwrap();
            let all = counterline_store::order_list::OrderFilter::default();
            counterline_store::order_list::count(&mut conn, &all).await.unwrap().total
        })
    }
}

fn demo_token() -> Option<counterline_secrets::Secret> {
    Keychain::new("app.counterline.desktop").get(&format!("channel/shopify/{DEMO_SHOP}/access_token")).expect("the keychain answers")
}

fn channel_status(session: &Session) -> Option<String> {
    let row = session.wait_for("[data-testid=channel-row]", LONG, "the channel is listed");
    session.attribute(&row, "data-status")
}

#[test]
fn a_merchant_pauses_resumes_reauthorizes_and_disconnects_a_channel() {
    let _one = ONE_APP.lock().unwrap_or_else(|p| p.into_inner());
    let run = Run::new();
    let driver = Driver::start(&run.env());
    let session = driver.session(APP);
    open_channels_page(&session);
    connect_demo_store(&run, &session);
    open_channels_page(&session);

    session.click_css("[data-testid=channel-row] [data-testid=channel-sync-toggle]");
    session.eventually(LONG, "switching sync off pauses the channel", || channel_status(&session), |s| s.as_deref() == Some("paused"));
    session.click_css("[data-testid=channel-row] [data-testid=channel-sync-toggle]");
    session.eventually(LONG, "switching it on resumes it", || channel_status(&session), |s| s.as_deref() == Some("active"));

    let menu = session.wait_for("[data-testid=channel-row] [data-testid=channel-menu]", LONG, "each channel has a menu");
    session.click(&menu);
    let open = session.wait_for("[data-testid=channel-open]", LONG, "the menu opens the channel's page");
    session.click(&open);
    let check = session.wait_for("[data-testid=channel-check-result]", LONG, "the troubleshooting panel tests the credentials");
    session.eventually(LONG, "the live credential check succeeds", || session.attribute(&check, "data-ok"), |ok| ok.as_deref() == Some("true"));
    let _ = session.screenshot("tests/e2e/artifacts/channel.png");
    open_channels_page(&session);

    let menu = session.wait_for("[data-testid=channel-row] [data-testid=channel-menu]", LONG, "each channel has a menu");
    session.click(&menu);
    let reauthorize = session.wait_for("[data-testid=channel-reauthorize]", LONG, "the menu offers Re-authorize");
    session.click(&reauthorize);
    session.wait_for("[data-testid=connect-waiting]", LONG, "re-authorizing waits for the browser");
    let urls = session.eventually(LONG, "re-authorizing opens the consent page again", || run.opened_urls(), |u| u.len() >= 2);
    run.launch_with_url(&approve_in_browser(&urls[1]));
    session.wait_for("[data-testid=connect-done]", LONG, "the re-authorization is confirmed");
    session.click_css("[data-testid=connect-done] button");
    assert_eq!(run.channel_accounts(), vec![DEMO_SHOP.to_owned()], "the same single channel");
    // The re-authorization starts a sync; give it time to finish, then count.
    std::thread::sleep(Duration::from_secs(2));
    assert_eq!(run.stored_order_count(), DEMO_ORDERS as i64, "re-authorizing duplicates no order");

    let menu = session.wait_for("[data-testid=channel-row] [data-testid=channel-menu]", LONG, "the menu is still there");
    session.click(&menu);
    let disconnect = session.wait_for("[data-testid=channel-disconnect]", LONG, "the menu offers Disconnect");
    session.click(&disconnect);
    let confirm = session.wait_for("[data-testid=confirm-disconnect]", LONG, "disconnecting asks for confirmation");
    assert!(demo_token().is_some(), "nothing is removed before the merchant confirms");
    session.click(&confirm);
    session.eventually(LONG, "the channel leaves the list", || session.count("[data-testid=channel-row]"), |n| *n == 0);
    assert!(demo_token().is_none(), "its credentials are deleted from the OS keychain");
    assert_eq!(run.stored_order_count(), DEMO_ORDERS as i64, "every synced order stays");

    let orders = session.wait_for("[data-testid=nav-orders]", LONG, "navigation to Orders");
    session.click(&orders);
    let total = session.wait_for("[data-testid=orders-total]", LONG, "the orders list");
    session.eventually(LONG, "the disconnected channel's orders are still listed", || session.text(&total), |t| t.replace(',', "").contains(&DEMO_ORDERS.to_string()));
}

#[test]
fn onboarding_connects_a_credential_platform_at_step_two() {
    let _one = ONE_APP.lock().unwrap_or_else(|p| p.into_inner());
    let run = Run::new();
    let driver = Driver::start(&run.env());
    let session = driver.session(APP);

    let welcome = session.wait_for("[data-testid=onboarding-continue]", LONG, "a first launch opens onboarding");
    session.click(&welcome);
    let pick = session.wait_for("[data-testid=pick-bigcommerce]", LONG, "step 2 is Connect sales channel, with a platform picker");
    assert!(session.count("[data-testid=onboarding-skip]") > 0, "step 2 can be skipped");
    session.click(&pick);
    let demo = session.wait_for("[data-testid=bc-demo]", LONG, "demo mode offers the demo BigCommerce store");
    session.click(&demo);
    let save = session.wait_for("[data-testid=onboarding-save]", LONG, "Save & Continue appears once the channel is connected");
    session.click(&save);
    let finish = session.wait_for("[data-testid=onboarding-finish]", LONG, "the last step says what happens next");
    session.click(&finish);

    let total = session.wait_for("[data-testid=orders-total]", LONG, "onboarding ends on the orders list");
    session.eventually(LONG, "the BigCommerce store's orders are imported", || session.text(&total), |t| t.chars().any(|c| c.is_ascii_digit() && c != '0'));
    assert_eq!(run.channel_accounts(), vec!["cl0demo".to_owned()], "one BigCommerce channel, the demo store");
    let token = Keychain::new("app.counterline.desktop").get("channel/bigcommerce/cl0demo/access_token").unwrap();
    let token = token.expect("the API account token is in the OS keychain");
    for file in run.database_files() {
        assert!(!contains(&std::fs::read(&file).unwrap(), token.expose()), "the token is never written to {}", file.display());
    }
    let _ = session.screenshot("tests/e2e/artifacts/onboarding-orders.png");
}

/// Plays the browser on any Lightspeed consent page: post the form's hidden
/// fields with `decision=approve`, return where the page redirects.
fn approve_lightspeed(authorize_url: &str) -> String {
    let http = reqwest::blocking::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let html = http.get(authorize_url).send().unwrap().text().unwrap();
    let action = html.split("<form method=\"post\" action=\"").nth(1).and_then(|r| r.split('"').next()).expect("a consent form");
    let mut form: Vec<(String, String)> = html
        .split("<input type=\"hidden\" ")
        .skip(1)
        .filter_map(|rest| {
            let name = rest.split("name=\"").nth(1)?.split('"').next()?;
            Some((name.to_owned(), hidden_field(rest, name)))
        })
        .collect();
    form.push(("decision".into(), "approve".into()));
    let action = url::Url::parse(authorize_url).unwrap().join(&unescape(action)).unwrap();
    let answer = http.post(action).form(&form).send().unwrap();
    assert_eq!(answer.status().as_u16(), 302, "approving redirects back");
    answer.headers()["location"].to_str().unwrap().to_owned()
}

/// Plays the browser on Counterline's HTTPS relay page: follow its link to the app.
fn follow_relay(relay: &str) -> String {
    let html = reqwest::blocking::get(relay).unwrap().text().unwrap();
    let link = html.split("id=\"open-counterline\" href=\"").nth(1).expect("the relay page links to the app");
    unescape(link.split('"').next().unwrap())
}

#[test]
fn a_merchant_connects_a_kseries_business_through_the_relay_and_sees_its_sales() {
    let _one = ONE_APP.lock().unwrap_or_else(|p| p.into_inner());
    let run = Run::new();
    let driver = Driver::start(&run.env());
    let session = driver.session(APP);
    open_channels_page(&session);

    let connect = session.wait_for("[data-testid=connect-kseries]", LONG, "demo mode can connect Lightspeed K-Series");
    session.click(&connect);
    let go = session.wait_for("[data-testid=lightspeed-continue]", LONG, "the wizard says what the sign-in asks, then continues");
    let _ = session.screenshot("tests/e2e/artifacts/lightspeed-intro.png");
    session.click(&go);
    session.wait_for("[data-testid=lightspeed-waiting]", LONG, "the wizard waits for the browser");

    let authorize_url = session.eventually(LONG, "the app opens K-Series' consent page", || run.opened_urls(), |u| !u.is_empty())[0].clone();
    assert!(authorize_url.contains("/oauth/authorize?"), "the K-Series authorize endpoint: {authorize_url}");
    let relay = approve_lightspeed(&authorize_url);
    assert!(relay.contains("/relay/kseries?"), "K-Series returns to the HTTPS relay, its only allowed redirect: {relay}");
    let callback = follow_relay(&relay);
    assert!(callback.starts_with("app.counterline://oauth/callback?"), "the relay hands over to our scheme: {callback}");
    run.launch_with_url(&callback);

    session.wait_for("[data-testid=connect-done]", LONG, "the wizard confirms the connection");
    let save = session.wait_for("[data-testid=connect-save]", LONG, "Save & Continue is offered");
    session.click(&save);
    let total = session.wait_for("[data-testid=orders-total]", LONG, "Save & Continue lands on the orders list");
    let shown = session.eventually(
        LONG,
        "every stored K-Series sale is counted on screen once the import settles",
        || (session.text(&total).replace(',', ""), run.stored_order_count()),
        |(text, stored)| *stored > 0 && text.contains(&stored.to_string()),
    );
    assert!(session.count("[data-testid=order-row]") > 0, "the list shows the sales: {shown:?}");

    open_page(&session, "nav-sync-log", "sync-log-page");
    let _ = session.screenshot("tests/e2e/artifacts/sync-log-opened.png");
    let logged = session.wait_for("[data-testid=sync-run-row]", LONG, "the import is in the sync log");
    session.eventually(LONG, "the import is logged as finished", || session.attribute(&logged, "data-outcome"), |o| o.as_deref() == Some("ok"));
    let _ = session.screenshot("tests/e2e/artifacts/sync-log.png");

    let accounts = run.channel_accounts();
    assert_eq!(accounts.len(), 1, "exactly one channel, the business: {accounts:?}");
    let grant = Keychain::new("app.counterline.desktop")
        .get(&format!("channel/kseries/{}/access_token", accounts[0]))
        .unwrap()
        .expect("the grant is in the OS keychain");
    let grant: serde_json::Value = serde_json::from_str(grant.expose()).expect("the grant is a JSON entry");
    for field in ["access_token", "refresh_token"] {
        let token = grant[field].as_str().unwrap_or_else(|| panic!("the grant holds a {field}"));
        for file in run.database_files() {
            assert!(!contains(&std::fs::read(&file).unwrap(), token), "the {field} is never written to {}", file.display());
        }
    }
}
