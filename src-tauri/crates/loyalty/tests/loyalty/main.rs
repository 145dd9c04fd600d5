//! Loyalty specs on real SQLite files: orders arrive the way a sync brings
//! them (the page upsert, then the rules in the same transaction).

mod import;
mod insights;
mod members;
mod refunds;
mod rules;
mod streams;

use counterline_loyalty::model::MemberInput;
use counterline_loyalty::{apply_orders, members as member_ops};
use counterline_store::model::{NewOrder, NewOrderLine, OrderStatus, Platform};
use counterline_store::{channels, orders, Db};

pub struct Fixture {
    _dir: tempfile::TempDir,
    pub db: Db,
    pub shop: i64,
    pub pos: i64,
}

pub async fn fixture() -> Fixture {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = Db::open(&dir.path().join("counterline.db")).await.expect("open db");
    let mut conn = db.conn().await.unwrap();
    let shop = channels::upsert(&mut conn, Platform::Shopify, "demo.myshopify.com", "Web shop").await.unwrap();
    let pos = channels::upsert(&mut conn, Platform::BigCommerce, "store-abc", "Second store").await.unwrap();
    drop(conn);
    Fixture { _dir: dir, db, shop, pos }
}

/// 2024-03-01, far enough in the past that the rolling window is settled.
pub const T0: i64 = 1_709_251_200_000;
pub const DAY: i64 = 86_400_000;

pub fn order(id: &str, email: Option<&str>, day: i64, total_minor: i64) -> NewOrder {
    NewOrder {
        external_id: id.to_owned(),
        number: format!("#{id}"),
        created_at: T0 + day * DAY,
        updated_at: T0 + day * DAY,
        cancelled_at: None,
        email: email.map(str::to_owned),
        customer_name: None,
        status: OrderStatus::Processing,
        financial_status: Some("PAID".into()),
        fulfillment_status: None,
        currency: "USD".into(),
        total_minor,
        subtotal_minor: total_minor,
        tax_minor: 0,
        shipping_address: None,
        lines: vec![NewOrderLine {
            external_id: format!("{id}-1"),
            sku: Some("MUG".into()),
            title: "Mug".into(),
            quantity: 1,
            unit_price_minor: total_minor,
        }],
        refunded_minor: 0,
        note: None,
        shipping_minor: None,
    }
}

/// What a sync page does: upsert, then the rules, in one transaction.
pub async fn sync(db: &Db, channel: i64, page: &[NewOrder]) {
    let mut tx = db.begin().await.unwrap();
    let (_, changed) = orders::upsert_page_changed(&mut tx, channel, page).await.unwrap();
    apply_orders(&mut tx, &changed).await.unwrap();
    tx.commit().await.unwrap();
}

pub async fn add_member(db: &Db, email: &str) -> i64 {
    let mut tx = db.begin().await.unwrap();
    let id = member_ops::create(&mut tx, &MemberInput { email: email.into(), ..Default::default() }).await.unwrap();
    tx.commit().await.unwrap();
    id
}

pub async fn profile(db: &Db, id: i64) -> counterline_loyalty::model::MemberProfile {
    member_ops::profile(&mut db.conn().await.unwrap(), id).await.unwrap()
}

/// Every derived row, ids of ledger entries aside (they are row ids): what
/// the sync path must leave exactly as a recompute from scratch builds it.
pub async fn derived(db: &Db) -> Vec<String> {
    let mut rows = Vec::new();
    for sql in [
        "SELECT json_array(order_id, member_id, created_at, counted, spend_minor, earned_minor, reversed_minor, stamp_cards)
           FROM member_orders ORDER BY order_id",
        "SELECT json_array(member_id, order_id, kind, amount_minor, at, reason) FROM credit_ledger
          WHERE kind <> 'manual' ORDER BY member_id, order_id, kind",
        "SELECT json_array(member_id, card_id, number, order_id, at) FROM punch_rewards ORDER BY member_id, card_id, number",
        "SELECT json_array(member_id, seq, at, from_tier, to_tier, order_id, reason) FROM tier_changes ORDER BY member_id, seq",
        "SELECT json_array(member_id, order_count, spend_minor, credit_minor, first_order_at, last_order_at, tier,
                           other_currency, stamps, tier_change_count, recency, frequency, monetary, segment)
           FROM member_stats ORDER BY member_id",
    ] {
        rows.extend(sqlx::query_scalar::<_, String>(sql).fetch_all(db.pool()).await.unwrap());
        rows.push("--".into());
    }
    rows
}

/// Recomputes every member from scratch, in its own transaction.
pub async fn recompute(db: &Db) {
    let mut tx = db.begin().await.unwrap();
    counterline_loyalty::apply::recompute_all(&mut tx).await.unwrap();
    tx.commit().await.unwrap();
}
