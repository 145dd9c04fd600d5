//! The loyalty rules ride on the sync: each pulled page is matched to
//! members and credited in the page's own transaction, so a member's
//! profile follows the platforms without a separate step.

use std::collections::BTreeMap;

use counterline_channels::bigcommerce::client::BigCommerceClient;
use counterline_channels::bigcommerce::{BigCommerceApi, StoreHash};
use counterline_loyalty::model::{LedgerKind, MemberInput};
use counterline_loyalty::settings::{self, CurrencyRate, LoyaltySettings, Tier};
use counterline_loyalty::members;

use super::*;

const HASH: &str = "cl0demo";

fn normalized(email: &str) -> String {
    email.trim().to_lowercase()
}

/// Orders per email in each store, read from the sandbox's own answers.
fn emails(sandbox: &Sandbox) -> (BTreeMap<String, usize>, BTreeMap<String, usize>) {
    let mut shop = BTreeMap::new();
    for o in sandbox.shopify_orders(SHOP) {
        if let Some(email) = o["email"].as_str().filter(|e| !e.trim().is_empty()) {
            *shop.entry(normalized(email)).or_default() += 1;
        }
    }
    let mut bc = BTreeMap::new();
    for o in sandbox.bigcommerce_orders(HASH) {
        if let Some(email) = o["billing_address"]["email"].as_str().filter(|e| !e.trim().is_empty()) {
            *bc.entry(normalized(email)).or_default() += 1;
        }
    }
    (shop, bc)
}

#[tokio::test]
async fn orders_pulled_from_two_channels_build_one_members_profile_and_a_later_refund_takes_its_share_of_credit_back() {
    let f = fixture(120).await;
    let bc = channels::upsert(&mut f.db.conn().await.unwrap(), Platform::BigCommerce, HASH, "BC").await.unwrap();
    let bc_source = OrderSource::BigCommerce(
        BigCommerceClient::new(
            counterline_channels::http_client().unwrap(),
            &BigCommerceApi::Sandbox(f.sandbox.base_url()),
            &StoreHash::parse(HASH).unwrap(),
            Secret::new(f.sandbox.issue_bigcommerce_token(HASH)),
        )
        .unwrap(),
    );

    // The customer with the most orders across both stores, known before any sync.
    let (shop_emails, bc_emails) = emails(&f.sandbox);
    let (email, expected_orders) = shop_emails
        .iter()
        .filter_map(|(e, n)| bc_emails.get(e).map(|m| (e.clone(), n + m)))
        .max_by_key(|(e, n)| (*n, std::cmp::Reverse(e.clone())))
        .expect("the sandbox's customers shop in both stores");

    // A low first tier and a two-stamp card so a few orders cross them; both
    // stores' currencies count.
    let shop_currency = f.sandbox.shopify_orders(SHOP)[0]["totalPriceSet"]["shopMoney"]["currencyCode"].as_str().unwrap().to_owned();
    let bc_currency = f.sandbox.bigcommerce_orders(HASH)[0]["currency_code"].as_str().unwrap().to_owned();
    let mut rules = LoyaltySettings { currency: shop_currency.clone(), ..LoyaltySettings::default() };
    if bc_currency != shop_currency {
        rules.rates.push(CurrencyRate { currency: bc_currency, rate_ppm: 1_000_000 });
    }
    rules.tiers.tiers = vec![Tier { name: "Silver".into(), threshold_minor: 100 }];
    rules.punch_cards[0].stamps_required = 2;
    let mut tx = f.db.begin().await.unwrap();
    settings::store(&mut tx, &rules).await.unwrap();
    let member = members::create(&mut tx, &MemberInput { email: format!("  {}  ", email.to_uppercase()), ..Default::default() }).await.unwrap();
    tx.commit().await.unwrap();

    pull_orders(&f.db, f.channel, &f.authorized_client(), |_| {}).await.expect("Shopify pull");
    pull_orders(&f.db, bc, &bc_source, |_| {}).await.expect("BigCommerce pull");

    let matched = f.scalar(&format!("SELECT COUNT(*) FROM member_orders WHERE member_id = {member}")).await;
    assert_eq!(matched as usize, expected_orders, "every order with her email, from both stores, is hers despite case and spaces");
    let channels_seen = f.scalar(&format!(
        "SELECT COUNT(DISTINCT o.channel_id) FROM member_orders m JOIN orders o ON o.id = m.order_id WHERE m.member_id = {member}"
    ))
    .await;
    assert_eq!(channels_seen, 2, "her history spans both channels");

    let profile = members::profile(&mut f.db.conn().await.unwrap(), member).await.unwrap();
    assert!(profile.member.order_count > 0, "at least one of her orders counts: {profile:?}");
    assert_eq!(profile.member.tier.as_deref(), Some("Silver"), "her spend passed the 1.00 threshold");
    let first_counted = f
        .scalar(&format!(
            "SELECT order_id FROM member_orders WHERE member_id = {member} AND spend_minor >= 100 ORDER BY created_at, order_id LIMIT 1"
        ))
        .await;
    assert_eq!(profile.tier_history.last().and_then(|c| c.order_id), Some(first_counted), "the upgrade names the order that crossed it");
    assert_eq!(profile.punch_cards[0].total_stamps, profile.member.order_count, "one stamp per counted order");
    assert_eq!(profile.punch_cards[0].rewards.len() as i64, profile.member.order_count / 2, "a reward every second stamp");
    let ledger_sum: i64 = profile.ledger.iter().map(|e| e.amount_minor).sum();
    assert_eq!(profile.member.credit_minor, ledger_sum, "the balance is the ledger's sum");
    let before = profile.member.credit_minor;

    // Every paid BigCommerce order gets a refund; the next pull brings them in.
    f.sandbox.touch_bigcommerce_orders(HASH, 120);
    pull_orders(&f.db, bc, &bc_source, |_| {}).await.expect("BigCommerce pull after the refunds");

    let refunded: BTreeMap<String, i64> = f
        .sandbox
        .bigcommerce_orders(HASH)
        .iter()
        .map(|o| {
            let amount = o["refunded_amount"].as_str().unwrap();
            let (whole, frac) = amount.split_once('.').unwrap_or((amount, "0"));
            let cents = whole.parse::<i64>().unwrap() * 100 + format!("{frac:0<2}")[..2].parse::<i64>().unwrap();
            (o["id"].as_i64().unwrap().to_string(), cents)
        })
        .collect();
    let rows: Vec<(String, String, i64, i64, i64, i64)> = sqlx::query_as(
        "SELECT o.external_id, o.status, o.total_minor, o.refunded_minor, m.earned_minor,
                COALESCE((SELECT -amount_minor FROM credit_ledger l WHERE l.order_id = o.id AND l.kind = 'reversal'), 0)
           FROM member_orders m JOIN orders o ON o.id = m.order_id WHERE m.member_id = ? AND o.channel_id = ?",
    )
    .bind(member)
    .bind(bc)
    .fetch_all(f.db.pool())
    .await
    .unwrap();
    let mut reversed_any = false;
    for (external_id, status, total, refunded_minor, earned, reversal) in rows {
        assert_eq!(refunded_minor, refunded[&external_id], "order {external_id} stores what the store says was refunded");
        let expected = if matches!(status.as_str(), "cancelled" | "returned") {
            earned
        } else if total > 0 {
            earned * refunded_minor.min(total) / total
        } else {
            0
        };
        assert_eq!(reversal, expected, "order {external_id}: the reversal is the refunded share of its credit, rounded down");
        reversed_any |= reversal > 0;
    }
    assert!(reversed_any, "at least one of her BigCommerce orders had credit to take back");

    let after = members::profile(&mut f.db.conn().await.unwrap(), member).await.unwrap();
    assert!(after.member.credit_minor < before, "the refunds lowered her balance ({before} → {})", after.member.credit_minor);
    let reversals = after.ledger.iter().filter(|e| e.kind == LedgerKind::Reversal).count();
    let orders_reversed: i64 =
        f.scalar(&format!("SELECT COUNT(*) FROM member_orders WHERE member_id = {member} AND reversed_minor > 0")).await;
    assert_eq!(reversals as i64, orders_reversed, "one reversal entry per refunded order, however often it synced");
}
