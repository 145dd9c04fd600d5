//! The outbox, end to end against the sandbox: status changes made while the
//! store is unreachable are each delivered exactly once when it's back, even
//! across a restart; a remote edit turns a change into a conflict instead of
//! being overwritten.

use std::collections::HashMap;
use std::time::Duration;

use counterline_sandbox::{WooSite, WriteKind, WritePlatform};
use counterline_store::model::{ChannelSettings, ChannelView, OrderStatus, SyncDirection};
use counterline_channels::source::OrderSource;
use counterline_store::fulfillment::{self, ShipmentLine, ShipmentRequest};
use counterline_store::locations::{self, LocationKind};
use counterline_store::outbox::{self, OutboxState};
use counterline_store::{channels, Db};
use counterline_sync::pull_orders;
use counterline_sync::push::{push_due, PushPolicy};
use sqlx::Row;

use crate::lightspeed::{lightspeed, Lightspeed};

const SITE: &str = "shop.counterline-demo.test";

fn quick() -> PushPolicy {
    PushPolicy { first_retry: Duration::from_millis(20), max_retry: Duration::from_millis(200), batch: 5_000 }
}

/// A WooCommerce channel set to two-way sync, with its orders pulled.
async fn two_way_woo(f: &Lightspeed) -> ChannelView {
    let site = WooSite::default();
    let channel = f.connector.connect_woocommerce_keys(SITE, &site.consumer_key, &site.consumer_secret).await.unwrap();
    let settings = ChannelSettings { sync_direction: SyncDirection::TwoWay, ..channel.settings.clone() };
    channels::update_settings(&mut *f.db.conn().await.unwrap(), channel.id, &settings).await.unwrap();
    let source = f.connector.source(&channel).await.unwrap();
    pull_orders(&f.db, channel.id, &source, |_| {}).await.unwrap();
    channel
}

/// (order id, external id, raw status) of every stored order.
async fn orders(db: &Db) -> Vec<(i64, String, String)> {
    sqlx::query("SELECT id, external_id, fulfillment_status FROM orders ORDER BY id")
        .fetch_all(db.pool())
        .await
        .unwrap()
        .into_iter()
        .map(|r| (r.get(0), r.get(1), r.get(2)))
        .collect()
}

/// A status different from what the store has now.
fn another(raw: &str) -> OrderStatus {
    if raw == "processing" { OrderStatus::Shipped } else { OrderStatus::Processing }
}

async fn drain(db: &Db, f: &Lightspeed) {
    for _ in 0..200 {
        push_due(db, &f.connector, &quick()).await.unwrap();
        if outbox::count(&mut *db.conn().await.unwrap(), OutboxState::Pending).await.unwrap() == 0 {
            return;
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    panic!("the outbox never drained");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_thousand_changes_made_offline_arrive_exactly_once_after_a_restart() {
    let f = lightspeed(1_000).await;
    let channel = two_way_woo(&f).await;
    let stored = orders(&f.db).await;
    assert_eq!(stored.len(), 1_000, "the site's thousand orders are here");

    f.sandbox.set_offline(true);
    let mut wanted: HashMap<String, OrderStatus> = HashMap::new();
    let mut tx = f.db.begin().await.unwrap();
    for (id, external_id, raw) in &stored {
        let status = another(raw);
        outbox::set_status(&mut tx, *id, status).await.unwrap();
        wanted.insert(external_id.clone(), status);
    }
    tx.commit().await.unwrap();
    let pass = push_due(&f.db, &f.connector, &quick()).await.unwrap();
    assert_eq!((pass.delivered, pass.retrying), (0, 1_000), "nothing can be delivered while the store is down");
    assert!(f.sandbox.received_writes().is_empty(), "and nothing reached it");

    // The app quits and starts again: only the database remembers.
    let path = f.db_path();
    f.db.close().await;
    let db = Db::open(&path).await.unwrap();
    let local: String = sqlx::query_scalar("SELECT status FROM orders WHERE external_id = ?")
        .bind(&stored[0].1)
        .fetch_one(db.pool())
        .await
        .unwrap();
    assert_eq!(local, wanted[&stored[0].1].as_str(), "the merchant's change shows here before the store has it");

    f.sandbox.set_offline(false);
    drain(&db, &f).await;
    let writes: Vec<_> = f.sandbox.received_writes().into_iter().filter(|w| w.platform == WritePlatform::WooCommerce).collect();
    assert_eq!(writes.len(), 1_000, "each change reached the store");
    let mut per_order: HashMap<&str, usize> = HashMap::new();
    for write in &writes {
        assert_eq!(write.kind, WriteKind::Status);
        *per_order.entry(write.order_id.as_str()).or_default() += 1;
    }
    assert!(per_order.values().all(|n| *n == 1) && per_order.len() == 1_000, "exactly once per order");
    assert!(writes.iter().all(|w| w.idempotency_key.is_some()), "each carried its idempotency key");
    assert_eq!(outbox::count(&mut *db.conn().await.unwrap(), OutboxState::Done).await.unwrap(), 1_000, "and each is marked done");

    // The store now has what the merchant set; a sync agrees and changes nothing locally.
    let source = f.connector.source(&channel).await.unwrap();
    pull_orders(&db, channel.id, &source, |_| {}).await.unwrap();
    let after: HashMap<String, String> = sqlx::query("SELECT external_id, status FROM orders")
        .fetch_all(db.pool())
        .await
        .unwrap()
        .into_iter()
        .map(|r| (r.get(0), r.get(1)))
        .collect();
    for (external_id, status) in &wanted {
        assert_eq!(after[external_id], status.as_str(), "order {external_id} keeps the merchant's status after syncing");
    }
    let again = push_due(&db, &f.connector, &quick()).await.unwrap();
    assert_eq!(again.delivered + again.retrying, 0, "nothing is sent twice");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_remote_edit_after_the_last_sync_makes_a_conflict_not_an_overwrite() {
    let f = lightspeed(20).await;
    let channel = two_way_woo(&f).await;
    let (id, external_id, raw) = orders(&f.db).await.remove(0);
    let item = {
        let mut tx = f.db.begin().await.unwrap();
        let item = outbox::set_status(&mut tx, id, another(&raw)).await.unwrap();
        tx.commit().await.unwrap();
        item
    };
    // The order's updated time can only move forward by a whole second on WooCommerce.
    tokio::time::sleep(Duration::from_millis(1_100)).await;
    assert!(f.sandbox.edit_order_remotely(WritePlatform::WooCommerce, SITE, &external_id), "the shop owner edits it in WooCommerce");

    let pass = push_due(&f.db, &f.connector, &quick()).await.unwrap();
    assert_eq!(pass.conflicts, 1, "the change is held as a conflict");
    assert!(f.sandbox.received_writes().is_empty(), "and the remote order is not overwritten");
    let entries = outbox::open_entries(&mut *f.db.conn().await.unwrap(), None).await.unwrap();
    assert_eq!(entries[0].state, OutboxState::Conflict);
    assert!(entries[0].last_error.as_deref().unwrap_or("").contains("changed on WooCommerce"), "the reason is in words: {entries:?}");

    let remote = f.connector.source(&channel).await.unwrap().remote_order(&external_id).await.unwrap();
    outbox::resolve(&mut *f.db.conn().await.unwrap(), item, true, Some(remote.updated_at)).await.unwrap();
    let pass = push_due(&f.db, &f.connector, &quick()).await.unwrap();
    assert_eq!(pass.delivered, 1, "Send anyway delivers it");
    assert_eq!(f.sandbox.received_writes().len(), 1, "once");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_bigcommerce_fulfillment_ships_every_unit_once_with_its_tracking_number() {
    let f = lightspeed(15).await;
    let hash = counterline_sandbox::BigCommerceStore::default().store_hash;
    let channel = f.connector.connect_bigcommerce(&hash, &f.sandbox.issue_bigcommerce_token(&hash)).await.unwrap();
    let settings = ChannelSettings { sync_direction: SyncDirection::TwoWay, ..channel.settings.clone() };
    channels::update_settings(&mut *f.db.conn().await.unwrap(), channel.id, &settings).await.unwrap();
    let source = f.connector.source(&channel).await.unwrap();
    pull_orders(&f.db, channel.id, &source, |_| {}).await.unwrap();
    // An order that still has units to ship, with a shipping address.
    let (id, external_id): (i64, String) = sqlx::query_as(
        "SELECT id, external_id FROM orders WHERE fulfillment_status NOT IN ('Shipped', 'Completed', 'Cancelled', 'Refunded', 'Declined')
          ORDER BY id LIMIT 1",
    )
    .fetch_one(f.db.pool())
    .await
    .expect("the store has an order waiting to ship");

    let mut tx = f.db.begin().await.unwrap();
    outbox::fulfill(&mut tx, id, "UPS", "1Z999AA10123456784", Some("https://www.ups.com/track?tracknum=1Z999AA10123456784")).await.unwrap();
    tx.commit().await.unwrap();
    let entries = outbox::open_entries(&mut *f.db.conn().await.unwrap(), None).await.unwrap();
    assert_eq!(entries[0].tracking.as_deref(), Some("UPS 1Z999AA10123456784"), "the merchant sees what is on its way");

    drain(&f.db, &f).await;
    let writes = f.sandbox.received_writes();
    assert_eq!(writes.len(), 1, "one shipment: {writes:?}");
    assert_eq!((writes[0].kind, writes[0].order_id.as_str()), (WriteKind::Shipment, external_id.as_str()));
    assert_eq!(writes[0].body["tracking_number"], "1Z999AA10123456784", "with its tracking number");
    assert!(writes[0].body["items"].as_array().is_some_and(|items| !items.is_empty()), "shipping the order's units");
    let remote = source.remote_order(&external_id).await.unwrap();
    assert_eq!(remote.raw_status, "2", "BigCommerce now has the order Shipped");

    // Fulfilling it again finds it already shipped: nothing more is sent.
    let mut tx = f.db.begin().await.unwrap();
    outbox::fulfill(&mut tx, id, "UPS", "1Z999AA10123456784", None).await.unwrap();
    tx.commit().await.unwrap();
    drain(&f.db, &f).await;
    assert_eq!(f.sandbox.received_writes().len(), 1, "no second shipment");
}

/// The demo Shopify shop connected two-way, with its orders pulled.
async fn two_way_shopify(f: &mut Lightspeed) -> (ChannelView, OrderSource) {
    const SHOP: &str = "counterline-demo.myshopify.com";
    std::sync::Arc::get_mut(&mut f.connector).expect("not shared yet").shopify = Some(counterline_channels::connect::ShopifyRegistration {
        client_id: "counterline-demo".into(),
        api: counterline_channels::shopify::ShopifyApi::Sandbox(f.sandbox.base_url()),
    });
    let key = counterline_channels::connect::access_token_key(counterline_store::model::Platform::Shopify, SHOP);
    let (keychain, token) = (f.keychain.clone(), f.sandbox.issue_shopify_token(SHOP));
    tokio::task::spawn_blocking(move || keychain.set(&key, &counterline_secrets::Secret::new(token))).await.unwrap().unwrap();
    let id = channels::upsert(&mut *f.db.conn().await.unwrap(), counterline_store::model::Platform::Shopify, SHOP, "Demo").await.unwrap();
    let mut channel = channels::get(&mut *f.db.conn().await.unwrap(), id).await.unwrap();
    channel.settings.sync_direction = SyncDirection::TwoWay;
    channels::update_settings(&mut *f.db.conn().await.unwrap(), id, &channel.settings).await.unwrap();
    let source = f.connector.source(&channel).await.unwrap();
    pull_orders(&f.db, id, &source, |_| {}).await.unwrap();
    (channel, source)
}

#[tokio::test(flavor = "multi_thread")]
async fn shopify_fulfils_with_tracking_and_cancels_through_its_mutations_once() {
    let mut f = lightspeed(40).await;
    let (_, source) = two_way_shopify(&mut f).await;
    // Two open orders with nothing shipped yet.
    let open: Vec<(i64, String)> = sqlx::query_as(
        "SELECT id, external_id FROM orders WHERE cancelled_at IS NULL AND fulfillment_status = 'UNFULFILLED' ORDER BY id LIMIT 2",
    )
    .fetch_all(f.db.pool())
    .await
    .unwrap();
    assert_eq!(open.len(), 2, "the demo shop has unfulfilled orders");

    let mut tx = f.db.begin().await.unwrap();
    outbox::fulfill(&mut tx, open[0].0, "UPS", "1Z999AA10123456784", None).await.unwrap();
    outbox::set_status(&mut tx, open[1].0, OrderStatus::Cancelled).await.unwrap();
    tx.commit().await.unwrap();
    drain(&f.db, &f).await;

    let writes = f.sandbox.received_writes();
    let kinds: Vec<WriteKind> = writes.iter().map(|w| w.kind).collect();
    assert_eq!(kinds, vec![WriteKind::Fulfillment, WriteKind::Cancel], "one fulfillment, one cancel: {writes:?}");
    assert_eq!(source.remote_order(&open[0].1).await.unwrap().raw_status, "FULFILLED", "Shopify has it fulfilled");
    assert_eq!(source.remote_order(&open[1].1).await.unwrap().raw_status, "CANCELLED", "and the other cancelled");
    let tracking = serde_json::to_string(&writes[0].body).unwrap();
    assert!(tracking.contains("1Z999AA10123456784"), "the fulfillment carries the tracking number: {tracking}");

    let mut tx = f.db.begin().await.unwrap();
    outbox::set_status(&mut tx, open[0].0, OrderStatus::Shipped).await.unwrap();
    tx.commit().await.unwrap();
    drain(&f.db, &f).await;
    assert_eq!(f.sandbox.received_writes().len(), 2, "an order already fulfilled is not fulfilled twice");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_shopify_order_shipped_in_two_parts_gets_two_fulfillments_without_a_conflict() {
    let mut f = lightspeed(40).await;
    let (_, source) = two_way_shopify(&mut f).await;
    // An open order with at least two units, so it can ship in two parts.
    let order: (i64, String) = sqlx::query_as(
        "SELECT o.id, o.external_id FROM orders o
          WHERE o.cancelled_at IS NULL AND o.fulfillment_status = 'UNFULFILLED'
            AND (SELECT SUM(quantity) FROM order_lines l WHERE l.order_id = o.id) >= 2
          ORDER BY o.id LIMIT 1",
    )
    .fetch_one(f.db.pool())
    .await
    .unwrap();
    let mut conn = f.db.conn().await.unwrap();
    let warehouse = locations::save(&mut conn, None, "Main warehouse", LocationKind::Warehouse).await.unwrap().id;
    let lines: Vec<(i64, Option<String>, i64)> =
        sqlx::query_as("SELECT id, sku, quantity FROM order_lines WHERE order_id = ? ORDER BY id").bind(order.0).fetch_all(&mut *conn).await.unwrap();
    for (_, sku, _) in &lines {
        if let Some(sku) = sku {
            locations::set_stock(&mut conn, warehouse, sku, 100).await.unwrap();
        }
    }
    drop(conn);
    let shipment = |tracking: &str, lines: Vec<ShipmentLine>| ShipmentRequest {
        order_id: order.0,
        location_id: warehouse,
        lines,
        carrier: "UPS".into(),
        tracking_number: tracking.into(),
        tracking_url: None,
    };
    let ship = |request: ShipmentRequest| {
        let db = f.db.clone();
        async move {
            let mut tx = db.begin().await.unwrap();
            fulfillment::ship(&mut tx, &request).await.unwrap();
            tx.commit().await.unwrap();
        }
    };

    ship(shipment("PART-ONE", vec![ShipmentLine { line_id: lines[0].0, quantity: 1 }])).await;
    drain(&f.db, &f).await;
    assert_eq!(source.remote_order(&order.1).await.unwrap().raw_status, "PARTIALLY_FULFILLED", "Shopify has the first part");

    // The rest, made after the first part was delivered (our own write moved the order on Shopify).
    let rest: Vec<ShipmentLine> = lines
        .iter()
        .enumerate()
        .map(|(i, (id, _, quantity))| ShipmentLine { line_id: *id, quantity: quantity - i64::from(i == 0) })
        .filter(|l| l.quantity > 0)
        .collect();
    ship(shipment("PART-TWO", rest)).await;
    drain(&f.db, &f).await;

    let mut conn = f.db.conn().await.unwrap();
    assert_eq!(outbox::count(&mut conn, OutboxState::Conflict).await.unwrap(), 0, "our own first write is not a remote edit");
    assert_eq!(outbox::count(&mut conn, OutboxState::Done).await.unwrap(), 2, "both parts were confirmed");
    let writes = f.sandbox.received_writes();
    let bodies: Vec<String> = writes.iter().map(|w| serde_json::to_string(&w.body).unwrap()).collect();
    assert_eq!(writes.len(), 2, "one fulfillment per part: {bodies:?}");
    assert!(bodies[0].contains("PART-ONE") && bodies[1].contains("PART-TWO"), "each part carries its own tracking: {bodies:?}");
    assert_eq!(source.remote_order(&order.1).await.unwrap().raw_status, "FULFILLED", "and Shopify has it all shipped");
}
