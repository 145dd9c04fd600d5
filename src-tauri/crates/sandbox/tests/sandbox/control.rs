//! The test-control routes, for a sandbox inside another process (the app's
//! demo mode under the end-to-end test): the received writes over HTTP, the
//! same list `Sandbox::received_writes` gives; an outage of set length that
//! starts after its own answer and ends by itself; and a Shopify refund made
//! as a live admin edit.

use std::time::Duration;

use serde_json::{json, Value};

use super::{client, start, SHOP};
use counterline_sandbox::{Sandbox, WooSite};

async fn control_writes(sandbox: &Sandbox) -> Value {
    let url = sandbox
        .base_url()
        .join("_sandbox/control/writes")
        .expect("joins");
    client()
        .get(url)
        .send()
        .await
        .expect("the sandbox answers")
        .json()
        .await
        .expect("JSON")
}

#[tokio::test]
async fn the_writes_route_lists_what_the_platforms_accepted() {
    let sandbox = start(50).await;
    assert_eq!(
        control_writes(&sandbox).await,
        json!([]),
        "nothing written yet, nothing listed"
    );

    let site = WooSite::default();
    let order = sandbox
        .woocommerce_orders(&site.host)
        .into_iter()
        .find(|o| o["status"] == "processing")
        .expect("a seeded site has processing orders");
    let id = order["id"].as_u64().expect("numeric id");
    let url = sandbox
        .woocommerce_origin(&site.host)
        .join(&format!("wp-json/wc/v3/orders/{id}"))
        .expect("joins");
    let answer = client()
        .put(url)
        .basic_auth(&site.consumer_key, Some(&site.consumer_secret))
        .json(&json!({"status": "completed"}))
        .send()
        .await
        .expect("the sandbox answers");
    assert_eq!(answer.status().as_u16(), 200, "the write is accepted");

    let listed = control_writes(&sandbox).await;
    let listed = listed.as_array().expect("a list");
    assert_eq!(
        listed.len(),
        1,
        "exactly the one accepted write: {listed:?}"
    );
    assert_eq!(listed[0]["platform"], "woocommerce");
    assert_eq!(listed[0]["account"], site.host.as_str());
    assert_eq!(
        listed[0]["orderId"],
        id.to_string(),
        "the platform's order id"
    );
    assert_eq!(listed[0]["kind"], "status");
    assert_eq!(listed[0]["body"]["status"], "completed", "the body as sent");
    assert_eq!(
        sandbox.received_writes().len(),
        1,
        "the same record the Rust API reads"
    );
}

#[tokio::test]
async fn the_offline_route_takes_the_host_away_after_answering_and_brings_it_back() {
    let sandbox = start(10).await;
    let control = sandbox
        .base_url()
        .join("_sandbox/control/offline?seconds=1")
        .expect("joins");
    let answer = client()
        .post(control)
        .send()
        .await
        .expect("the request itself is answered");
    assert_eq!(answer.status().as_u16(), 202, "the outage is scheduled");

    tokio::time::sleep(Duration::from_millis(400)).await;
    assert!(
        sandbox.is_offline(),
        "the host is offline once the answer is out"
    );
    let during = client()
        .get(sandbox.base_url())
        .timeout(Duration::from_secs(2))
        .send()
        .await;
    assert!(
        during.is_err(),
        "no answer at all while offline, as in a real outage"
    );

    tokio::time::sleep(Duration::from_millis(1_200)).await;
    assert!(!sandbox.is_offline(), "it comes back by itself");
    let after = client()
        .get(sandbox.base_url())
        .send()
        .await
        .expect("answers again");
    assert!(
        after.status().is_success(),
        "the index page answers after the outage"
    );
}

#[tokio::test]
async fn an_outage_of_no_or_unbounded_length_is_refused() {
    let sandbox = start(10).await;
    for seconds in ["0", "601"] {
        let url = sandbox
            .base_url()
            .join(&format!("_sandbox/control/offline?seconds={seconds}"))
            .expect("joins");
        let answer = client().post(url).send().await.expect("answers");
        assert_eq!(
            answer.status().as_u16(),
            400,
            "{seconds} seconds is refused"
        );
    }
    assert!(!sandbox.is_offline(), "a refused request changes nothing");
}

fn amount(order: &Value, field: &str) -> f64 {
    order[field]["shopMoney"]["amount"].as_str().and_then(|a| a.parse().ok()).unwrap_or(f64::NAN)
}

#[tokio::test]
async fn a_refund_through_the_control_route_refunds_the_first_line_and_moves_the_order_last() {
    let sandbox = start(60).await;
    let before = sandbox.shopify_orders(SHOP);
    let paid = before
        .iter()
        .find(|o| o["displayFinancialStatus"] == "PAID" && o["lineItems"]["nodes"].as_array().is_some_and(|l| l.len() > 1))
        .expect("a paid order with several lines among 60");
    let id = paid["legacyResourceId"].as_str().unwrap().to_owned();

    let url = sandbox.base_url().join(&format!("_sandbox/shopify/{SHOP}/orders/{id}/refund")).unwrap();
    let reply = client().post(url).send().await.unwrap();
    assert_eq!(reply.status().as_u16(), 200, "a known order is refunded");
    let body: Value = reply.json().await.unwrap();
    let refunded = body["refundedCents"].as_i64().unwrap();
    assert!(refunded > 0 && refunded < body["totalCents"].as_i64().unwrap(), "one line of several is refunded: {body}");

    let after = sandbox.shopify_orders(SHOP);
    let last = after.last().unwrap();
    assert_eq!(last["legacyResourceId"].as_str(), Some(id.as_str()), "the edited order sorts after every other, so a sync reads it next");
    assert_eq!(last["displayFinancialStatus"], "PARTIALLY_REFUNDED");
    assert!((amount(last, "totalRefundedSet") * 100.0 - refunded as f64).abs() < 0.5, "the API shows the refund the control reported");
    assert_eq!(after.len(), before.len(), "no order is added or lost");
    sandbox.shutdown().await;
}

#[tokio::test]
async fn an_unknown_shop_or_order_is_not_found_and_changes_nothing() {
    let sandbox = start(10).await;
    let before = sandbox.shopify_orders(SHOP);
    for path in [format!("_sandbox/shopify/{SHOP}/orders/1/refund"), "_sandbox/shopify/nope.myshopify.com/orders/1/refund".to_owned()] {
        let reply = client().post(sandbox.base_url().join(&path).unwrap()).send().await.unwrap();
        assert_eq!(reply.status().as_u16(), 404, "{path} names nothing");
    }
    assert_eq!(sandbox.shopify_orders(SHOP), before, "nothing changed");
    sandbox.shutdown().await;
}
