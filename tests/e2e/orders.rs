//! The orders workspace end to end (issue 5): filter the list by channel and
//! date, open an order, ship it with tracking and see the write reach the
//! demo Shopify store in the sandbox; ship one order in two parts (two
//! writes); and the same while the store is unreachable, delivered once it
//! is back. The sandbox lives inside the app's process, so the test reads
//! its received writes and takes it offline through its `/_sandbox/control/`
//! routes.

use std::time::Duration;

use serde_json::Value;

use crate::webdriver::Session;
use crate::{connect_demo_store, open_channels_page, open_page, Run, LONG};

/// A write has to wait for the outbox's next pass, and after an outage for
/// its back-off to run out.
const DELIVERY: Duration = Duration::from_secs(150);

/// Where the app's in-process sandbox listens: the origin of the consent
/// page the app opened while connecting.
fn sandbox_base(run: &Run) -> url::Url {
    let consent = run.opened_urls().into_iter().next().expect("the app opened the sandbox's consent page");
    url::Url::parse(&consent).unwrap().join("/").unwrap()
}

/// Every write the sandbox's platforms accepted, oldest first; None while
/// the sandbox is offline (its control routes are unreachable too).
fn try_received_writes(base: &url::Url) -> Option<Vec<Value>> {
    let url = base.join("_sandbox/control/writes").unwrap();
    let answer: Value = reqwest::blocking::get(url).and_then(|r| r.json()).ok()?;
    answer.as_array().cloned()
}

fn received_writes(base: &url::Url) -> Vec<Value> {
    try_received_writes(base).expect("the sandbox lists its writes")
}

/// Fulfillments the demo store received that carry `tracking`.
fn fulfillments_with(writes: &[Value], tracking: &str) -> usize {
    writes.iter().filter(|w| w["kind"] == "fulfillment" && w["body"].to_string().contains(tracking)).count()
}

/// The demo channel only pulls until the merchant turns on two-way sync on
/// its page, as a merchant would.
fn turn_on_two_way_sync(session: &Session) {
    open_channels_page(session);
    let menu = session.wait_for("[data-testid=channel-row] [data-testid=channel-menu]", LONG, "each channel has a menu");
    session.click(&menu);
    let open = session.wait_for("[data-testid=channel-open]", LONG, "the menu opens the channel's page");
    session.click(&open);
    session.wait_for("[data-testid=channel-settings-form]", LONG, "the channel page has its settings");
    session.click_css("[data-testid=channel-settings-form] input[value=two_way]");
    let save = session.wait_for("[data-testid=save-channel-settings]:not([disabled])", LONG, "choosing Two-way makes the settings saveable");
    session.click(&save);
    session.wait_for("[data-testid=save-channel-settings][disabled]", LONG, "the settings are saved");
}

/// Replaces what a field holds, the way select-all and typing would (a
/// WebDriver clear bypasses React's change handler).
fn retype(session: &Session, element: &str, text: &str) {
    session.type_into(element, &format!("\u{E009}a\u{E009}{text}"));
}

/// The calendar day of a UTC ms instant in this machine's time zone, which
/// the app under test shares.
fn local_day(ms: i64) -> String {
    let out = std::process::Command::new("date").args(["-d", &format!("@{}", ms / 1000), "+%Y-%m-%d"]).output().unwrap();
    String::from_utf8(out.stdout).unwrap().trim().to_owned()
}

/// Sets a day in a date field the way its date editor does when a day is
/// picked (value + input event): WebKitGTK's editor takes typed keys per
/// segment in the locale's order, each a change of its own.
/// Clicks the field first, as a merchant would: WebKit skips history entries
/// a page adds without a recent user gesture when going Back, so a value set
/// by script alone would make Back jump over this filter once the test runs
/// slow (reproduced with a 7 s pause before the first date).
fn fill_date(session: &Session, css: &str, day: &str) {
    let field = session.wait_for(css, LONG, "the list has date fields");
    session.click(&field);
    session.set_input_value(css, day);
    session.eventually(LONG, "the date is in the field", || session.attribute(&field, "value"), |v| v.as_deref() == Some(day));
}

/// Connects the demo store, turns on two-way sync and lands on its orders.
fn prepared(run: &Run, session: &Session) -> url::Url {
    open_channels_page(session);
    connect_demo_store(run, session);
    turn_on_two_way_sync(session);
    open_page(session, "nav-orders", "orders-page");
    session.wait_for("[data-testid=order-row]", LONG, "the orders are listed");
    sandbox_base(run)
}

/// Options of an open dropdown (a closed one may stay in the page, hidden).
fn visible_options(session: &Session) -> u64 {
    let script = "return [...document.querySelectorAll('[role=option]')].filter(o => o.getClientRects().length > 0).length;";
    session.execute(script, serde_json::json!([])).as_u64().unwrap_or(u64::MAX)
}

/// Narrows the list to Processing orders through the status filter.
fn filter_processing(session: &Session) {
    let select = session.wait_for("input[data-testid=orders-status]", LONG, "the list filters by status");
    session.click(&select);
    let processing = session.wait_for("[role=option][value=processing]", LONG, "Processing is a status to filter by");
    session.click(&processing);
    // Escape closes the dropdown, which would otherwise cover the first rows.
    session.type_into(&select, "\u{E00C}");
    session.eventually(LONG, "the status list closes", || visible_options(session), |n| *n == 0);
    session.eventually(LONG, "the list shows only Processing orders", || session.attributes("[data-testid=order-row]", "data-status"), |s| {
        !s.is_empty() && s.iter().all(|s| s.as_deref() == Some("processing"))
    });
}

/// Opens the first listed order with at least `units` items.
fn open_listed_order(session: &Session, units: i64) -> String {
    let ids = session.attributes("[data-testid=order-row]", "data-order-id");
    let counts = session.attributes("[data-testid=order-row]", "data-item-count");
    let index = counts
        .iter()
        .position(|c| c.as_deref().and_then(|c| c.parse::<i64>().ok()).unwrap_or(0) >= units)
        .unwrap_or_else(|| panic!("a listed order with {units} or more items: {counts:?}"));
    let id = ids[index].clone().expect("rows carry their order id");
    let row = format!("[data-testid=order-row][data-order-id='{id}']");
    session.wait_for(&row, LONG, "the chosen row");
    // WebKit's driver clicks a table row's centre off the row: click it in the page.
    session.click_css(&row);
    session.wait_for(&format!("[data-testid=order-detail][data-order-id='{id}']"), LONG, "clicking a row opens the order");
    id
}

/// Ships from the dialog: the first line gets `first_quantity` (all that's
/// left when None, everything else untouched), with carrier and tracking.
fn ship(session: &Session, first_quantity: Option<i64>, others_zero: bool, tracking: &str) {
    let ship = session.wait_for("[data-testid=order-to-shipped]", LONG, "a Processing order of a two-way channel can be shipped");
    session.click(&ship);
    session.wait_for("[data-testid=ship-form]", LONG, "Ship opens the dialog");
    session.wait_for("[data-testid=ship-stock]", LONG, "the stock at the location is shown per SKU");
    if let Some(quantity) = first_quantity {
        let fields = session.elements("[data-testid=ship-quantity]");
        retype(session, &fields[0], &quantity.to_string());
        if others_zero {
            for field in &fields[1..] {
                retype(session, field, "0");
            }
        }
    }
    let carrier = session.wait_for("[data-testid=ship-carrier]", LONG, "the dialog asks for the carrier");
    session.type_into(&carrier, "UPS");
    let number = session.wait_for("[data-testid=ship-tracking]", LONG, "and the tracking number");
    session.type_into(&number, tracking);
    let _ = session.screenshot("tests/e2e/artifacts/ship-dialog.png");
    session.click_css("[data-testid=ship-submit]");
    session.eventually(LONG, "the dialog closes once the shipment is saved", || session.count("[data-testid=ship-form]"), |n| *n == 0);
}

fn order_status(session: &Session) -> Option<String> {
    let detail = session.wait_for("[data-testid=order-detail]", LONG, "the order is open");
    session.attribute(&detail, "data-status")
}

fn order_sync_state(session: &Session) -> Option<String> {
    let detail = session.wait_for("[data-testid=order-detail]", LONG, "the order is open");
    session.attribute(&detail, "data-sync-state")
}

#[test]
fn a_merchant_filters_by_channel_and_date_opens_an_order_and_ships_it_to_the_store() {
    let _one = crate::ONE_APP.lock().unwrap_or_else(|p| p.into_inner());
    let run = Run::new();
    let driver = crate::webdriver::Driver::start(&run.env());
    let session = driver.session(crate::APP);
    let sandbox = prepared(&run, &session);

    filter_processing(&session);
    let select = session.wait_for("input[data-testid=orders-channel]", LONG, "the list filters by channel");
    session.click(&select);
    let channel = session.wait_for("[role=option]", LONG, "the connected channel is offered");
    session.click(&channel);
    session.type_into(&select, "\u{E00C}");
    session.eventually(LONG, "the channel list closes", || visible_options(&session), |n| *n == 0);
    session.eventually(LONG, "the channel filter is in the URL", || session.url(), |u| u.contains("channel="));

    // The newest Processing order's day: a range sure to hold an order to ship.
    let newest: i64 = session.attributes("[data-testid=order-row]", "data-created-at")[0].as_deref().unwrap().parse().unwrap();
    let day = local_day(newest);
    fill_date(&session, "[data-testid=orders-from]", &day);
    fill_date(&session, "[data-testid=orders-to]", &day);
    session.eventually(LONG, "the dates are in the URL, so Back works", || session.url(), |u| u.contains(&format!("from={day}")) && u.contains(&format!("to={day}")));
    let shown = session.eventually(LONG, "only that day's orders are listed", || session.attributes("[data-testid=order-row]", "data-created-at"), |dates| {
        !dates.is_empty() && dates.iter().all(|d| local_day(d.as_deref().unwrap().parse().unwrap()) == day)
    });
    let total = session.wait_for("[data-testid=orders-total]", LONG, "the list counts what matches");
    let counted: usize = session.eventually(LONG, "the count follows the filter", || session.attribute(&total, "data-total").unwrap().parse::<usize>().unwrap(), |n| *n == shown.len() || (*n > shown.len() && *n < 300));
    assert!(counted < 300, "the count is of the filtered orders, not all 300: {counted}");
    let _ = session.screenshot("tests/e2e/artifacts/orders-filtered.png");

    session.back();
    session.eventually(LONG, "Back undoes the last filter", || session.url(), |u| !u.contains("to=") && u.contains("from="));
    fill_date(&session, "[data-testid=orders-to]", &day);

    let before = received_writes(&sandbox).len();
    open_listed_order(&session, 1);
    ship(&session, None, false, "1Z999AA10123456784");
    session.eventually(LONG, "shipping everything moves the order to Shipped", || order_status(&session), |s| s.as_deref() == Some("shipped"));
    let _ = session.screenshot("tests/e2e/artifacts/order-shipped.png");

    let writes = session.eventually(DELIVERY, "the fulfillment reaches the demo store", || received_writes(&sandbox), |w| fulfillments_with(w, "1Z999AA10123456784") == 1);
    assert_eq!(writes.len(), before + 1, "exactly one write for one shipment: {writes:?}");
    session.eventually(DELIVERY, "the order then shows it is synced", || order_sync_state(&session), |s| s.as_deref() == Some("synced"));
}

#[test]
fn an_order_shipped_in_two_parts_sends_two_fulfillments() {
    let _one = crate::ONE_APP.lock().unwrap_or_else(|p| p.into_inner());
    let run = Run::new();
    let driver = crate::webdriver::Driver::start(&run.env());
    let session = driver.session(crate::APP);
    let sandbox = prepared(&run, &session);

    filter_processing(&session);
    open_listed_order(&session, 2);
    ship(&session, Some(1), true, "PART-ONE-0001");
    assert_eq!(order_status(&session).as_deref(), Some("processing"), "with items left to ship the order stays Processing");
    assert_eq!(session.count("[data-testid=order-shipment]"), 1, "the first shipment is listed");
    session.eventually(DELIVERY, "the first part reaches the store", || received_writes(&sandbox), |w| fulfillments_with(w, "PART-ONE-0001") == 1);

    ship(&session, None, false, "PART-TWO-0002");
    session.eventually(LONG, "the second part ships the rest", || order_status(&session), |s| s.as_deref() == Some("shipped"));
    assert_eq!(session.count("[data-testid=order-shipment]"), 2, "each shipment is its own record");
    let writes = session.eventually(DELIVERY, "the second part reaches the store too", || received_writes(&sandbox), |w| fulfillments_with(w, "PART-TWO-0002") == 1);
    assert_eq!(fulfillments_with(&writes, "PART-ONE-0001"), 1, "the first part was sent once, not again with the second");
    let _ = session.screenshot("tests/e2e/artifacts/order-two-shipments.png");
}

#[test]
fn shipments_made_while_the_store_is_down_are_delivered_once_it_is_back() {
    let _one = crate::ONE_APP.lock().unwrap_or_else(|p| p.into_inner());
    let run = Run::new();
    let driver = crate::webdriver::Driver::start(&run.env());
    let session = driver.session(crate::APP);
    let sandbox = prepared(&run, &session);
    filter_processing(&session);
    open_listed_order(&session, 2);
    let before = received_writes(&sandbox).len();

    let outage = sandbox.join("_sandbox/control/offline?seconds=45").unwrap();
    let answer = reqwest::blocking::Client::new().post(outage).send().expect("the sandbox takes the outage order");
    assert_eq!(answer.status().as_u16(), 202, "the outage is scheduled");
    std::thread::sleep(Duration::from_millis(500));

    ship(&session, Some(1), true, "DOWN-ONE-0001");
    assert_eq!(order_status(&session).as_deref(), Some("processing"), "shipping works with the store down");
    ship(&session, None, false, "DOWN-TWO-0002");
    assert_eq!(order_status(&session).as_deref(), Some("shipped"), "and the second part too");
    assert_eq!(order_sync_state(&session).as_deref(), Some("waiting"), "the order says it is waiting to sync");
    session.wait_for("[data-testid=order-sync-note]", LONG, "and explains what that means");
    let _ = session.screenshot("tests/e2e/artifacts/order-waiting.png");

    let writes = session.eventually(DELIVERY, "both parts reach the store after it is back", || {
        // While the outage lasts the control route can't answer either.
        try_received_writes(&sandbox).unwrap_or_default()
    }, |w| fulfillments_with(w, "DOWN-ONE-0001") == 1 && fulfillments_with(w, "DOWN-TWO-0002") == 1);
    assert_eq!(writes.len(), before + 2, "each shipment arrives exactly once: {writes:?}");
    session.eventually(DELIVERY, "the order then shows it is synced", || order_sync_state(&session), |s| s.as_deref() == Some("synced"));
}
