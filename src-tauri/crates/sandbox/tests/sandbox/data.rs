//! The generated world: reproducible, internally consistent, and messy in the
//! ways real shops are.

use std::collections::HashMap;

use serde_json::Value;
use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;

use super::{cents, client, config, start, SHOP};
use counterline_sandbox::{Sandbox, SandboxConfig};

fn unix(t: &Value) -> i64 {
    let s = t
        .as_str()
        .unwrap_or_else(|| panic!("{t} is a timestamp string"));
    OffsetDateTime::parse(s, &Rfc3339)
        .unwrap_or_else(|e| panic!("{s} is RFC 3339: {e}"))
        .unix_timestamp()
}

fn amount(order: &Value, set: &str, money: &str) -> i64 {
    cents(&order[set][money]["amount"])
}

#[tokio::test]
async fn the_same_seed_gives_the_same_orders_and_another_seed_does_not() {
    let a = start(300).await;
    let b = start(300).await;
    let c = Sandbox::start(SandboxConfig {
        seed: 7,
        ..config(300)
    })
    .await
    .expect("starts");
    assert_eq!(
        a.shopify_orders(SHOP),
        b.shopify_orders(SHOP),
        "seed 42 twice gives identical data"
    );
    assert_ne!(
        a.shopify_orders(SHOP),
        c.shopify_orders(SHOP),
        "another seed gives other data"
    );
    for s in [a, b, c] {
        s.shutdown().await;
    }
}

#[tokio::test]
async fn totals_add_up_in_shop_and_presentment_money() {
    let sandbox = start(2_000).await;
    for order in sandbox.shopify_orders(SHOP) {
        for money in ["shopMoney", "presentmentMoney"] {
            let lines: i64 = order["lineItems"]["nodes"]
                .as_array()
                .expect("lineItems.nodes")
                .iter()
                .map(|l| cents(&l["discountedTotalSet"][money]["amount"]))
                .sum();
            let subtotal = amount(&order, "subtotalPriceSet", money);
            assert_eq!(
                subtotal, lines,
                "{} {money}: subtotal is the sum of its lines",
                order["name"]
            );
            let total = subtotal
                + amount(&order, "totalTaxSet", money)
                + amount(&order, "totalShippingPriceSet", money)
                - amount(&order, "totalDiscountsSet", money);
            assert_eq!(
                amount(&order, "totalPriceSet", money),
                total,
                "{} {money}: total = subtotal + tax + shipping − discounts",
                order["name"]
            );
            assert!(
                amount(&order, "totalRefundedSet", money) <= total,
                "{}: never refunds more than was paid",
                order["name"]
            );
        }
        assert_eq!(
            order["totalPriceSet"]["shopMoney"]["currencyCode"], "USD",
            "shop money is in the shop's currency"
        );
        assert_eq!(
            order["totalPriceSet"]["presentmentMoney"]["currencyCode"],
            order["presentmentCurrencyCode"],
            "presentment money is in the currency the shopper saw"
        );
        assert!(
            order["updatedAt"].as_str() >= order["createdAt"].as_str(),
            "{}: updatedAt ≥ createdAt",
            order["name"]
        );
    }
    sandbox.shutdown().await;
}

#[tokio::test]
async fn the_mix_has_guests_cancellations_refunds_edits_and_foreign_currencies() {
    let sandbox = start(4_000).await;
    let orders = sandbox.shopify_orders(SHOP);
    let share = |pred: &dyn Fn(&Value) -> bool| {
        orders.iter().filter(|o| pred(o)).count() as f64 / orders.len() as f64
    };
    let within = |name: &str, value: f64, lo: f64, hi: f64| {
        assert!(
            (lo..=hi).contains(&value),
            "{name}: {:.1}% is outside {:.0}–{:.0}%",
            value * 100.0,
            lo * 100.0,
            hi * 100.0
        )
    };
    within("guests", share(&|o| o["customer"].is_null()), 0.10, 0.17);
    within(
        "cancelled",
        share(&|o| !o["cancelledAt"].is_null()),
        0.02,
        0.045,
    );
    within(
        "refunded",
        share(&|o| {
            matches!(
                o["displayFinancialStatus"].as_str(),
                Some("REFUNDED" | "PARTIALLY_REFUNDED")
            ) && o["cancelledAt"].is_null()
        }),
        0.035,
        0.07,
    );
    within("no email", share(&|o| o["email"].is_null()), 0.005, 0.03);
    within(
        "non-USD",
        share(&|o| o["presentmentCurrencyCode"] != "USD"),
        0.10,
        0.22,
    );
    // Routine updates (payment, fulfilment) land within two days; edits and
    // refunds come days to months later.
    let edited = |o: &Value| unix(&o["updatedAt"]) - unix(&o["createdAt"]) > 3 * 86_400;
    within(
        "edited more than three days later",
        share(&edited),
        0.10,
        0.25,
    );
    assert!(
        orders
            .iter()
            .all(|o| o["name"].as_str().is_some_and(|n| n.starts_with('#'))),
        "order names look like #1001"
    );
    sandbox.shutdown().await;
}

#[tokio::test]
async fn the_same_person_shows_up_with_differently_typed_emails() {
    let sandbox = start(3_000).await;
    let mut spellings: HashMap<String, Vec<String>> = HashMap::new();
    for order in sandbox.shopify_orders(SHOP) {
        if let Some(email) = order["email"].as_str() {
            spellings
                .entry(email.trim().to_lowercase())
                .or_default()
                .push(email.to_owned());
        }
    }
    let messy = spellings
        .values()
        .filter(|v| {
            let mut distinct: Vec<&String> = v.iter().collect();
            distinct.sort();
            distinct.dedup();
            distinct.len() > 1
        })
        .count();
    assert!(
        messy > 100,
        "many people typed their email more than one way ({messy})"
    );
    let all: Vec<&String> = spellings.values().flatten().collect();
    assert!(
        all.iter().any(|e| e.starts_with(' ') && e.ends_with(' ')),
        "some emails come padded with spaces"
    );
    assert!(
        all.iter()
            .any(|e| e.chars().any(|c| c.is_ascii_uppercase())),
        "some emails come capitalised"
    );
    let repeat_buyers = spellings.values().filter(|v| v.len() >= 3).count();
    assert!(
        repeat_buyers > 50,
        "a good number of people order three times or more ({repeat_buyers})"
    );
    sandbox.shutdown().await;
}

#[tokio::test]
async fn the_summary_endpoint_counts_orders_and_tokens() {
    let sandbox = start(123).await;
    sandbox.issue_shopify_token(SHOP);
    let url = sandbox
        .base_url()
        .join(&format!("_sandbox/shopify/{SHOP}/summary"))
        .expect("joins");
    let body: Value = client()
        .get(url)
        .send()
        .await
        .expect("answers")
        .json()
        .await
        .expect("JSON");
    assert_eq!(body["orders"], 123);
    assert_eq!(body["tokens"], 1);
    sandbox.shutdown().await;
}
