//! Members and loyalty end to end: a merchant imports members from a CSV
//! file, and a member's profile fills in from two sales channels (the demo
//! Shopify store, then the demo BigCommerce store), moving up a tier and
//! collecting punch card stamps; a refund made in Shopify's admin then takes
//! back its share of the credit after a sync.
//!
//! Which shopper to import is read from the sandbox's own truth: the test
//! starts a second sandbox with the demo's configuration (same seed, so the
//! same people and orders) and picks someone who bought in both stores. The
//! refund goes through the sandbox's test-only `/_sandbox/` control route,
//! because the app's demo sandbox runs inside the app.

use std::collections::HashMap;

use counterline_sandbox::{Sandbox, SandboxConfig};
use serde_json::{json, Value};

use super::webdriver::{Driver, Session};
use super::{connect_demo_store, open_channels_page, open_page, Run, APP, DEMO_ORDERS, DEMO_SHOP, LONG, ONE_APP};

const DEMO_BIGCOMMERCE_STORE: &str = "cl0demo";

/// The shopper the test imports, as the sandbox knows them.
#[derive(Debug)]
struct Shopper {
    email: String,
    /// Their paid USD Shopify order with the most lines: the one refunded.
    refund_order_id: String,
    bigcommerce_orders: usize,
}

fn money(value: &Value) -> f64 {
    value.as_str().and_then(|s| s.parse().ok()).unwrap_or(0.0)
}

fn normalized(email: &Value) -> Option<String> {
    email.as_str().map(|e| e.trim().to_lowercase()).filter(|e| !e.is_empty())
}

/// Someone with a paid, several-line USD order on the demo Shopify store and
/// a paid USD order on the demo BigCommerce store, whose Shopify spend leaves
/// room under the default Gold threshold (1,000.00) for a Silver set just
/// above it.
fn pick_shopper() -> Shopper {
    let (shopify, bigcommerce) = tokio::runtime::Runtime::new().unwrap().block_on(async {
        let config = SandboxConfig { order_count: DEMO_ORDERS, shops: vec![DEMO_SHOP.to_owned()], ..SandboxConfig::default() };
        let sandbox = Sandbox::start(config).await.expect("a sandbox like the demo's starts");
        let orders = (sandbox.shopify_orders(DEMO_SHOP), sandbox.bigcommerce_orders(DEMO_BIGCOMMERCE_STORE));
        sandbox.shutdown().await;
        orders
    });
    let mut spend: HashMap<String, f64> = HashMap::new();
    let mut refundable: HashMap<String, (usize, String)> = HashMap::new();
    for order in &shopify {
        let Some(email) = normalized(&order["email"]) else { continue };
        if order["displayFinancialStatus"] != "PAID" || !order["cancelledAt"].is_null() || order["presentmentCurrencyCode"] != "USD" {
            continue;
        }
        *spend.entry(email.clone()).or_default() += money(&order["subtotalPriceSet"]["shopMoney"]["amount"]);
        let lines = order["lineItems"]["nodes"].as_array().map_or(0, Vec::len);
        let subtotal = money(&order["subtotalPriceSet"]["shopMoney"]["amount"]);
        let best = refundable.entry(email).or_insert((0, String::new()));
        // Several lines (so the refund is partial) and at least 20.00 (so it earned credit).
        if lines >= 2 && subtotal >= 20.0 && lines > best.0 {
            *best = (lines, order["legacyResourceId"].as_str().unwrap_or_default().to_owned());
        }
    }
    let mut on_bigcommerce: HashMap<String, usize> = HashMap::new();
    for order in &bigcommerce {
        let Some(email) = normalized(&order["billing_address"]["email"]) else { continue };
        let status = order["status"].as_str().unwrap_or_default();
        if order["currency_code"] == "USD" && money(&order["refunded_amount"]) == 0.0 && !matches!(status, "Cancelled" | "Refunded" | "Declined") {
            *on_bigcommerce.entry(email).or_default() += 1;
        }
    }
    let mut candidates: Vec<Shopper> = refundable
        .into_iter()
        .filter(|(email, (lines, _))| *lines >= 2 && on_bigcommerce.contains_key(email) && spend[email] < 800.0)
        .map(|(email, (_, id))| Shopper { bigcommerce_orders: on_bigcommerce[&email], email, refund_order_id: id })
        .collect();
    candidates.sort_by(|a, b| b.bigcommerce_orders.cmp(&a.bigcommerce_orders).then(a.email.cmp(&b.email)));
    candidates.into_iter().next().expect("some demo shopper buys on both Shopify and BigCommerce")
}

/// Waits for `css` to exist, shown or not (a file input is hidden behind its button).
fn wait_for_present(session: &Session, css: &str, why: &str) -> String {
    let found = session.eventually(LONG, why, || session.call(reqwest::Method::POST, "/element", Some(json!({"using": "css selector", "value": css}))), |v| v.is_object() && v.as_object().is_some_and(|o| o.keys().any(|k| k.starts_with("element-"))));
    found.as_object().and_then(|o| o.values().next()).and_then(Value::as_str).unwrap_or_default().to_owned()
}

/// Hands a file to a file input the way the system file picker does (its
/// `files` set, then `change`): WebKitGTK's WebDriver can't drive the
/// picker, and the button's input is hidden, so typing a path doesn't reach it.
fn choose_file(session: &Session, css: &str, name: &str, text: &str) {
    let script = "const input = document.querySelector(arguments[0]); if (!input) return false; \
        const files = new DataTransfer(); files.items.add(new File([arguments[2]], arguments[1], { type: 'text/csv' })); \
        input.files = files.files; input.dispatchEvent(new Event('change', { bubbles: true })); return true;";
    let done = session.execute(script, json!([css, name, text]));
    assert_eq!(done, json!(true), "nothing matches {css}");
}

/// Clicks the close button of every notice on screen, until none is left.
fn dismiss_notices(session: &Session) {
    let source = "const buttons = [...document.querySelectorAll('.mantine-Notification-root button')]; buttons.forEach(b => b.click()); return document.querySelectorAll('.mantine-Notification-root').length;";
    session.eventually(LONG, "every notice closes", || session.execute(source, json!([])), |n| *n == json!(0));
}

/// "$1,234.56" → 123456 cents.
fn cents(text: &str) -> i64 {
    let digits: String = text.chars().filter(|c| c.is_ascii_digit() || *c == '-').collect();
    digits.parse().unwrap_or_else(|_| panic!("{text:?} is not an amount"))
}

fn open_member(session: &Session, name: &str) {
    open_page(session, "nav-members", "members-page");
    let row = session.wait_for("[data-testid=member-row]", LONG, "the imported members are listed");
    session.eventually(LONG, &format!("{name} is listed first (sorted by name)"), || session.text(&row), |t| t.contains(name));
    // A click can land on the import dialog's overlay while it fades out:
    // click until the profile shows, as a person would.
    session.eventually(LONG, "the row opens the member's profile", || {
        if session.count("[data-testid=member-profile]") == 0 {
            // The member's name links to the profile (WebKit's driver clicks a
            // table row's centre off the row).
            session.click_css("[data-testid=member-row] a");
            std::thread::sleep(std::time::Duration::from_millis(300));
        }
        session.count("[data-testid=member-profile]")
    }, |n| *n > 0);
}

fn profile_channels(session: &Session) -> Vec<String> {
    let source = "return [...new Set([...document.querySelectorAll('[data-testid=member-order]')].map(r => r.dataset.channel))].sort();";
    session.execute(source, json!([])).as_array().map(|a| a.iter().filter_map(|v| v.as_str().map(str::to_owned)).collect()).unwrap_or_default()
}

fn text_of(session: &Session, css: &str) -> String {
    let element = session.wait_for(css, LONG, css);
    session.text(&element)
}

/// The number of stamps on the first punch card, from "3 of 10 stamps — …".
fn stamps(session: &Session) -> i64 {
    let text = text_of(session, "[data-testid=punch-card-stamps]");
    text.split(" of ").next().and_then(|n| n.trim().parse().ok()).unwrap_or_else(|| panic!("no stamp count in {text:?}"))
}

#[test]
fn imported_members_fill_in_from_two_channels_and_a_refund_takes_back_its_credit() {
    let _one = ONE_APP.lock().unwrap_or_else(|p| p.into_inner());
    let shopper = pick_shopper();
    let run = Run::new();
    let driver = Driver::start(&run.env());
    let session = driver.session(APP);
    open_channels_page(&session);
    connect_demo_store(&run, &session);
    let sandbox_base = url::Url::parse(&run.opened_urls()[0]).unwrap().join("/").unwrap();

    // Import: the shopper typed in capitals (matching ignores case), and a second member.
    let csv = run.dir.path().join("members.csv");
    std::fs::write(&csv, format!("Email,Name,Note\n{},Aaron Target,met at the market\nzed@example.org,Zed Other,\n", shopper.email.to_uppercase())).unwrap();
    open_page(&session, "nav-members", "members-page");
    session.click(&session.wait_for("[data-testid=members-import]", LONG, "the members page offers Import CSV"));
    wait_for_present(&session, "[role=dialog] input[type=file]", "the import dialog takes a file");
    choose_file(&session, "[role=dialog] input[type=file]", "members.csv", &std::fs::read_to_string(&csv).unwrap());
    // WebKit's displayed check (and so its rendered text) says no for the
    // modal's badges, which a screenshot shows plainly: read their text.
    let creates = wait_for_present(&session, "[data-testid=import-creates]", "the preview counts what the file would do");
    let content = |element: &str| session.call(reqwest::Method::GET, &format!("/element/{element}/property/textContent"), None).as_str().unwrap_or_default().to_owned();
    session.eventually(LONG, "both rows are new members", || content(&creates), |t| t == "2 new members");
    assert_eq!(session.count("[data-testid=import-problems]"), 0, "the file has no problems");
    let _ = session.screenshot("tests/e2e/artifacts/members-import-preview.png");
    session.click(&session.wait_for("[data-testid=import-confirm]", LONG, "Import is enabled"));
    session.eventually(LONG, "both members are listed", || session.count("[data-testid=member-row]"), |n| *n == 2);

    // With only Shopify connected, the profile shows Shopify orders.
    open_member(&session, "Aaron Target");
    session.wait_for("[data-testid=member-order]", LONG, "the shopper's Shopify orders are matched");
    let channels = profile_channels(&session);
    assert_eq!(channels.len(), 1, "one channel so far: {channels:?}");
    let spend = cents(&text_of(&session, "[data-testid=member-spend]"));
    assert!(spend > 0, "the Shopify orders count towards spend");
    let stamps_before = stamps(&session);
    assert!(stamps_before >= 1, "each counted order stamps the purchase card");

    // Silver just above what they spent on Shopify: the BigCommerce orders cross it.
    open_page(&session, "nav-settings", "settings-loyalty");
    session.click(&session.wait_for("[data-testid=settings-loyalty]", LONG, "Settings links to Loyalty"));
    let silver = session.wait_for("[data-testid=tier-row] input[aria-label=Threshold]", LONG, "the tiers are editable");
    let threshold = format!("{}.{:02}", (spend + 1) / 100, (spend + 1) % 100);
    session.set_input_value("[data-testid=tier-row] input[aria-label=Threshold]", &threshold);
    session.eventually(LONG, "Silver's threshold is what was typed", || session.attribute(&silver, "value"), |v| v.as_deref().is_some_and(|v| v.replace(',', "").contains(&threshold)));
    let _ = session.screenshot("tests/e2e/artifacts/members-silver-raised.png");
    // The import's and the sync's notices sit over the save bar: close them, as a person would.
    dismiss_notices(&session);
    session.click(&session.wait_for("[data-testid=loyalty-save]", LONG, "the rules can be saved"));
    session.eventually(LONG, "the rules are saved", || session.attribute(&session.wait_for("[data-testid=loyalty-save]", LONG, "save"), "disabled"), |d| d.is_some());
    assert_eq!(session.count("[data-testid=loyalty-save-error]"), 0, "the backend accepted the rules");
    open_member(&session, "Aaron Target");
    session.eventually(LONG, "below the new Silver, the member has no tier", || session.count("[data-testid=member-tier]"), |n| *n == 0);

    // A second channel: the demo BigCommerce store.
    open_channels_page(&session);
    session.click(&session.wait_for("[data-testid=connect-channel]", LONG, "a second channel can be connected"));
    session.click(&session.wait_for("[data-testid=pick-bigcommerce]", LONG, "the wizard offers BigCommerce"));
    session.click(&session.wait_for("[data-testid=bc-demo]", LONG, "demo mode offers the sandbox store"));
    session.wait_for("[data-testid=connect-done]", LONG, "the wizard confirms the BigCommerce connection");
    session.click(&session.wait_for("[data-testid=connect-save]", LONG, "the store connects"));
    let total = session.wait_for("[data-testid=orders-total]", LONG, "Save & Continue lands on the orders list");
    // Its backfill reads each order's products too, within BigCommerce's request budget.
    let both = (2 * DEMO_ORDERS).to_string();
    session.eventually(4 * LONG, "the BigCommerce orders are synced and counted too", || session.text(&total), |t| t.replace(',', "").contains(&both));

    open_member(&session, "Aaron Target");
    session.eventually(LONG, "the profile fills in with the BigCommerce orders: two channels", || profile_channels(&session), |c| c.len() == 2);
    // Read as the import preview's badges are: WebKit's driver calls a badge not displayed.
    let tier = wait_for_present(&session, "[data-testid=member-tier]", "the BigCommerce spend takes the member past Silver");
    assert_eq!(content(&tier), "Silver");
    let change = text_of(&session, "[data-testid=tier-change]");
    assert!(change.contains("No tier → Silver"), "the history says the member moved up: {change}");
    let after_bigcommerce = stamps(&session);
    assert!(after_bigcommerce > stamps_before || text_of(&session, "[data-testid=member-punch-cards]").contains("Reward"), "BigCommerce orders stamp the same card");
    assert!(session.count("[data-testid=member-order-stamped]") >= 2, "the stamped orders are marked");
    let credit_before = cents(&text_of(&session, "[data-testid=member-credit]"));
    assert!(credit_before > 0, "orders earned credit");
    let reversals_before = session.count("[data-testid=ledger-entry][data-kind=reversal]");
    let _ = session.screenshot("tests/e2e/artifacts/member-profile.png");

    // A refund in Shopify's admin, then a sync: its share of the credit is taken back.
    let refund = reqwest::blocking::Client::new()
        .post(sandbox_base.join(&format!("_sandbox/shopify/{DEMO_SHOP}/orders/{}/refund", shopper.refund_order_id)).unwrap())
        .send()
        .unwrap();
    assert!(refund.status().is_success(), "the sandbox refunds the order: {}", refund.status());
    open_channels_page(&session);
    let source = "const row = [...document.querySelectorAll('[data-testid=channel-row]')].find(r => r.textContent.includes(arguments[0]));
        const button = row && row.querySelector('[data-testid=channel-sync-now]'); if (!button) return false; button.click(); return true;";
    assert_eq!(session.execute(source, json!([DEMO_SHOP])), json!(true), "the Shopify channel has Sync now");
    open_member(&session, "Aaron Target");
    session.eventually(LONG, "after the sync the ledger shows the refund's reversal", || session.count("[data-testid=ledger-entry][data-kind=reversal]"), |n| *n > reversals_before);
    let credit_after = session.eventually(LONG, "the refund takes credit back", || cents(&text_of(&session, "[data-testid=member-credit]")), |c| *c < credit_before);
    assert!(credit_after > 0, "only the refunded order's share is taken back: {credit_before} → {credit_after}");
    let _ = session.screenshot("tests/e2e/artifacts/member-refund.png");
}
