//! The test-only `/_sandbox/` controls: what an end-to-end test of the app's
//! in-process demo sandbox uses to change the world over HTTP.

use serde_json::Value;

use crate::{client, start, SHOP};

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
