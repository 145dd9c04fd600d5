//! Storage specs, against real SQLite files in a temp folder.

use counterline_store::attempts::{self, AttemptClaim};
use counterline_store::model::{ChannelStatus, NewOrder, NewOrderLine, OrderStatus, Platform};
use counterline_store::order_list::{self, OrderFilter, OrderQuery, OrderSort};
use counterline_store::{channels, now_ms, orders, Db};

mod orders_workspace;
mod sync_log;

async fn fresh_db() -> (tempfile::TempDir, Db) {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = Db::open(&dir.path().join("nested/counterline.db")).await.expect("open db");
    (dir, db)
}

fn order(n: i64) -> NewOrder {
    NewOrder {
        external_id: format!("gid://shopify/Order/{n}"),
        number: format!("#{}", 1000 + n),
        created_at: 1_700_000_000_000 + n * 60_000,
        updated_at: 1_700_000_000_000 + n * 60_000,
        cancelled_at: None,
        email: Some(format!(" Person{n}@Example.com ")),
        customer_name: Some(format!("Person {n}")),
        status: OrderStatus::Processing,
        financial_status: Some("PAID".into()),
        fulfillment_status: Some("UNFULFILLED".into()),
        currency: "USD".into(),
        total_minor: 1999 + n,
        subtotal_minor: 1999 + n,
        tax_minor: 0,
        shipping_address: None,
        lines: vec![
            NewOrderLine { external_id: format!("L{n}-1"), sku: Some("SKU-1".into()), title: "Mug".into(), quantity: 2, unit_price_minor: 500 },
            NewOrderLine { external_id: format!("L{n}-2"), sku: None, title: "Tea".into(), quantity: 1, unit_price_minor: 999 },
        ],
        note: None,
        shipping_minor: None,
        refunded_minor: 0,
    }
}

fn everything(limit: u32) -> OrderQuery {
    OrderQuery { filter: OrderFilter::default(), sort: OrderSort::default(), after: None, limit }
}

async fn shop_channel(db: &Db) -> i64 {
    let mut conn = db.conn().await.unwrap();
    channels::upsert(&mut conn, Platform::Shopify, "demo.myshopify.com", "Demo").await.unwrap()
}

async fn count(db: &Db, sql: &str) -> i64 {
    sqlx::query_scalar(sql).fetch_one(db.pool()).await.unwrap()
}

#[tokio::test]
async fn opening_creates_the_file_in_wal_mode_and_reopening_keeps_the_schema() {
    let (dir, db) = fresh_db().await;
    let mode: String = sqlx::query_scalar("PRAGMA journal_mode").fetch_one(db.pool()).await.unwrap();
    assert_eq!(mode, "wal", "WAL lets the UI read while a sync writes");
    let timeout: i64 = sqlx::query_scalar("PRAGMA busy_timeout").fetch_one(db.pool()).await.unwrap();
    assert!(timeout >= 5000, "a locked database must wait, not fail at once");
    shop_channel(&db).await;
    db.close().await;
    let again = Db::open(&dir.path().join("nested/counterline.db")).await.expect("reopen");
    assert_eq!(count(&again, "SELECT COUNT(*) FROM channels").await, 1, "data survives a reopen and migrations don't rerun");
}

#[tokio::test]
async fn upserting_the_same_page_twice_changes_nothing() {
    let (_dir, db) = fresh_db().await;
    let channel = shop_channel(&db).await;
    let page: Vec<_> = (1..=50).map(order).collect();
    let mut conn = db.conn().await.unwrap();
    let first = orders::upsert_page(&mut conn, channel, &page).await.unwrap();
    assert_eq!(first.inserted, 50);
    let second = orders::upsert_page(&mut conn, channel, &page).await.unwrap();
    assert_eq!((second.inserted, second.updated, second.unchanged), (0, 0, 50), "an unchanged payload is not rewritten");
    drop(conn);
    assert_eq!(count(&db, "SELECT COUNT(*) FROM orders").await, 50, "no duplicate orders");
    assert_eq!(count(&db, "SELECT COUNT(*) FROM order_lines").await, 100, "no duplicate lines");
}

#[tokio::test]
async fn a_page_larger_than_one_statement_and_mixing_new_changed_and_repeated_orders_lands_exactly() {
    let (_dir, db) = fresh_db().await;
    let channel = shop_channel(&db).await;
    let mut conn = db.conn().await.unwrap();
    let page: Vec<_> = (1..=1_200).map(order).collect();
    let first = orders::upsert_page(&mut conn, channel, &page).await.unwrap();
    assert_eq!(first.inserted, 1_200, "several multi-row statements, every order once");

    let mut next: Vec<_> = (1_150..=1_300).map(order).collect();
    next[0].total_minor = 1; // order 1150 changed
    next.push(order(1_300)); // a page can repeat an order: it counts once
    let second = orders::upsert_page(&mut conn, channel, &next).await.unwrap();
    assert_eq!((second.inserted, second.updated, second.unchanged), (100, 1, 50));
    drop(conn);
    assert_eq!(count(&db, "SELECT COUNT(*) FROM orders").await, 1_300);
    assert_eq!(count(&db, "SELECT COUNT(*) FROM order_lines").await, 2_600, "each order keeps its two lines, none twice");
    assert_eq!(count(&db, "SELECT total_minor FROM orders WHERE external_id = 'gid://shopify/Order/1150'").await, 1);
}

#[tokio::test]
async fn an_edited_order_updates_in_place_and_drops_removed_lines() {
    let (_dir, db) = fresh_db().await;
    let channel = shop_channel(&db).await;
    let mut conn = db.conn().await.unwrap();
    orders::upsert_page(&mut conn, channel, &[order(7)]).await.unwrap();
    let mut edited = order(7);
    edited.lines.pop();
    edited.total_minor = 1000;
    edited.status = OrderStatus::Returned;
    let stats = orders::upsert_page(&mut conn, channel, &[edited]).await.unwrap();
    assert_eq!(stats.updated, 1);
    drop(conn);
    assert_eq!(count(&db, "SELECT COUNT(*) FROM order_lines").await, 1, "the removed line is gone");
    assert_eq!(count(&db, "SELECT total_minor FROM orders").await, 1000);
    let email: String = sqlx::query_scalar("SELECT email_normalized FROM orders").fetch_one(db.pool()).await.unwrap();
    assert_eq!(email, "person7@example.com", "emails are trimmed and case-folded for matching");
}

#[tokio::test]
async fn keyset_pages_walk_every_order_once_newest_first() {
    let (_dir, db) = fresh_db().await;
    let channel = shop_channel(&db).await;
    let mut conn = db.conn().await.unwrap();
    orders::upsert_page(&mut conn, channel, &(1..=245).map(order).collect::<Vec<_>>()).await.unwrap();
    let mut query = everything(100);
    let mut seen = Vec::new();
    loop {
        let page = order_list::page(&mut conn, &query).await.unwrap();
        seen.extend(page.rows.iter().map(|r| r.created_at));
        match page.next {
            Some(next) => query.after = Some(next),
            None => break,
        }
    }
    assert_eq!(seen.len(), 245, "every order exactly once");
    assert!(seen.windows(2).all(|w| w[0] > w[1]), "newest first");
    let filter = OrderFilter { channel_ids: vec![channel], customer: Some("PERSON12@".into()), ..OrderFilter::default() };
    let found = order_list::page(&mut conn, &OrderQuery { filter, ..everything(100) }).await.unwrap();
    assert_eq!(found.rows.len(), 1, "the customer filter matches emails case-insensitively");
    assert_eq!(found.rows[0].item_count, 3, "item count sums line quantities");
}

#[tokio::test]
async fn reauthorizing_a_channel_reuses_its_row() {
    let (_dir, db) = fresh_db().await;
    let first = shop_channel(&db).await;
    let mut conn = db.conn().await.unwrap();
    channels::set_status(&mut conn, first, ChannelStatus::Error, Some("token revoked")).await.unwrap();
    let second = channels::upsert(&mut conn, Platform::Shopify, "demo.myshopify.com", "Demo").await.unwrap();
    assert_eq!(first, second, "same channel, so history is kept");
    let view = channels::get(&mut conn, first).await.unwrap();
    assert_eq!(view.status, ChannelStatus::Active, "re-authorizing clears the error");
}

#[tokio::test]
async fn the_cursor_never_moves_backwards() {
    let (_dir, db) = fresh_db().await;
    let channel = shop_channel(&db).await;
    let mut conn = db.conn().await.unwrap();
    orders::save_cursor(&mut conn, channel, 2000, Some("v9")).await.unwrap();
    orders::save_cursor(&mut conn, channel, 1000, None).await.unwrap();
    assert_eq!(orders::cursor(&mut conn, channel).await.unwrap(), Some(2000));
    assert_eq!(
        orders::cursor_position(&mut conn, channel).await.unwrap().as_deref(),
        Some("v9"),
        "a page without a platform position keeps the last one"
    );
}

#[tokio::test]
async fn a_connect_attempt_is_single_use_and_expires() {
    let (_dir, db) = fresh_db().await;
    let mut conn = db.conn().await.unwrap();
    attempts::create(&mut conn, "a1", Platform::Shopify, "demo.myshopify.com", "state-1", 60_000).await.unwrap();
    attempts::create(&mut conn, "a2", Platform::Shopify, "demo.myshopify.com", "state-2", 60_000).await.unwrap();
    let now = now_ms();
    assert!(matches!(attempts::claim(&mut conn, "state-1", now).await.unwrap(), AttemptClaim::Valid(a) if a.id == "a1"));
    assert_eq!(attempts::claim(&mut conn, "state-1", now).await.unwrap(), AttemptClaim::AlreadyUsed, "a replayed state is refused");
    assert_eq!(attempts::claim(&mut conn, "nobody-made-this", now).await.unwrap(), AttemptClaim::Unknown);
    assert_eq!(attempts::claim(&mut conn, "state-2", now + 61_000).await.unwrap(), AttemptClaim::Expired, "a late callback is refused");
    let stored: String = sqlx::query_scalar("SELECT state_digest FROM connect_attempts WHERE id = 'a2'").fetch_one(db.pool()).await.unwrap();
    assert_ne!(stored, "state-2", "the raw state is never stored");
}

#[tokio::test]
async fn channel_settings_round_trip_and_the_prefix_shows_on_order_numbers() {
    use counterline_store::model::{ChannelSettings, SyncDirection};
    let (_dir, db) = fresh_db().await;
    let channel = shop_channel(&db).await;
    let mut conn = db.conn().await.unwrap();
    orders::upsert_page(&mut conn, channel, &[order(1)]).await.unwrap();
    let settings = ChannelSettings {
        sync_direction: SyncDirection::TwoWay,
        auto_sync_minutes: Some(15),
        price_list: Some(" Retail ".into()),
        warehouse: Some("Main street".into()),
        order_prefix: "SHOP-".into(),
    };
    channels::update_settings(&mut conn, channel, &settings).await.unwrap();
    let view = channels::get(&mut conn, channel).await.unwrap();
    assert_eq!(view.settings.auto_sync_minutes, Some(15));
    assert_eq!(view.settings.price_list.as_deref(), Some("Retail"), "names are trimmed");
    assert_eq!(view.settings.sync_direction, SyncDirection::TwoWay);
    let page = order_list::page(&mut conn, &everything(10)).await.unwrap();
    assert_eq!(page.rows[0].number, "SHOP-1001", "the channel's prefix replaces Shopify's #");
}

#[test]
fn settings_a_merchant_cannot_mean_are_refused_with_a_reason() {
    use counterline_store::model::{ChannelSettings, SyncDirection};
    let ok = ChannelSettings { sync_direction: SyncDirection::Pull, auto_sync_minutes: None, price_list: None, warehouse: None, order_prefix: "WEB_".into() };
    assert!(ok.validate().is_ok());
    let long_prefix = ChannelSettings { order_prefix: "THIS-IS-TOO-LONG".into(), ..ok.clone() };
    assert!(long_prefix.validate().unwrap_err().contains("12"), "the message says the limit");
    assert!(ChannelSettings { order_prefix: "A B".into(), ..ok.clone() }.validate().is_err(), "spaces would break order numbers");
    assert!(ChannelSettings { auto_sync_minutes: Some(1), ..ok }.validate().is_err(), "every minute would burn the rate budget");
}

#[tokio::test]
async fn a_disconnected_channel_leaves_the_list_but_keeps_its_orders_until_reconnected() {
    let (_dir, db) = fresh_db().await;
    let channel = shop_channel(&db).await;
    let mut conn = db.conn().await.unwrap();
    orders::upsert_page(&mut conn, channel, &(1..=5).map(order).collect::<Vec<_>>()).await.unwrap();
    channels::disconnect(&mut conn, channel).await.unwrap();
    assert!(channels::list(&mut conn).await.unwrap().is_empty(), "gone from Settings › Sales Channels");
    let count = order_list::count(&mut conn, &OrderFilter::default()).await.unwrap();
    assert_eq!(count.total, 5, "its orders stay, so members keep their history");
    let again = channels::upsert(&mut conn, Platform::Shopify, "demo.myshopify.com", "Demo").await.unwrap();
    assert_eq!(again, channel, "reconnecting the same store reuses the channel, so no order is duplicated");
    assert_eq!(channels::list(&mut conn).await.unwrap()[0].status, ChannelStatus::Active);
}

#[tokio::test]
async fn only_active_channels_whose_interval_elapsed_are_due_for_auto_sync() {
    use counterline_store::model::{ChannelSettings, SyncDirection};
    let (_dir, db) = fresh_db().await;
    let channel = shop_channel(&db).await;
    let mut conn = db.conn().await.unwrap();
    let every_15 = ChannelSettings { sync_direction: SyncDirection::Pull, auto_sync_minutes: Some(15), price_list: None, warehouse: None, order_prefix: String::new() };
    assert!(channels::due_for_auto_sync(&mut conn, now_ms()).await.unwrap().is_empty(), "manual-only channels never are");
    channels::update_settings(&mut conn, channel, &every_15).await.unwrap();
    assert_eq!(channels::due_for_auto_sync(&mut conn, now_ms()).await.unwrap(), vec![channel], "never synced: due now");
    channels::mark_synced(&mut conn, channel, now_ms()).await.unwrap();
    assert!(channels::due_for_auto_sync(&mut conn, now_ms()).await.unwrap().is_empty(), "just synced: not due");
    assert_eq!(channels::due_for_auto_sync(&mut conn, now_ms() + 16 * 60_000).await.unwrap(), vec![channel], "due after 15 minutes");
    channels::set_paused(&mut conn, channel, true).await.unwrap();
    assert!(channels::due_for_auto_sync(&mut conn, now_ms() + 16 * 60_000).await.unwrap().is_empty(), "paused means no sync");
    channels::upsert(&mut conn, Platform::Shopify, "demo.myshopify.com", "Demo").await.unwrap();
    assert_eq!(channels::get(&mut conn, channel).await.unwrap().status, ChannelStatus::Paused, "re-authorizing keeps the merchant's pause");
}
