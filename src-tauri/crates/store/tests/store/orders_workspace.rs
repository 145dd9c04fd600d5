//! The orders workspace against a real SQLite file: the list's filters,
//! sorts and pages, one order in full, the workflow, shipments with
//! locations and stock, the history, and what each change queues.

use counterline_store::fulfillment::{self, ShipmentLine, ShipmentRequest};
use counterline_store::locations::{self, LocationKind};
use counterline_store::model::{ChannelSettings, NewOrder, NewOrderLine, OrderRow, OrderStatus, OrderSyncState, Platform, SyncDirection};
use counterline_store::order_detail;
use counterline_store::order_events::EventActor;
use counterline_store::order_list::{self, OrderFilter, OrderQuery, OrderSort, OrderSortColumn, SortDirection};
use counterline_store::outbox::{self, OutboxState};
use counterline_store::{channels, customer_search, order_csv, orders, workflow, Db, Error};

const DAY: i64 = 86_400_000;
const START: i64 = 1_790_000_000_000;

struct Shop {
    _dir: tempfile::TempDir,
    db: Db,
    big: i64,
    woo: i64,
}

fn order(n: i64, status: OrderStatus) -> NewOrder {
    NewOrder {
        external_id: n.to_string(),
        number: n.to_string(),
        created_at: START + (n % 37) * DAY + n,
        updated_at: START,
        cancelled_at: None,
        email: Some(format!("buyer{n}@example.com")),
        customer_name: (n % 5 != 0).then(|| format!("{} Buyer", ["Ann", "bob", "Cleo", "Dan"][(n % 4) as usize])),
        status,
        financial_status: Some(["paid", "pending", "refunded"][(n % 3) as usize].into()),
        fulfillment_status: (n % 2 == 0).then(|| "unfulfilled".into()),
        currency: "USD".into(),
        total_minor: (n * 7919) % 10_000,
        subtotal_minor: 1000,
        tax_minor: 80,
        shipping_address: None,
        lines: vec![
            NewOrderLine { external_id: format!("{n}01"), sku: Some("MUG".into()), title: "Mug".into(), quantity: 3, unit_price_minor: 500 },
            NewOrderLine { external_id: format!("{n}02"), sku: Some(format!("TEE-{n}")), title: "Tee".into(), quantity: 1, unit_price_minor: 900 },
            NewOrderLine { external_id: format!("{n}03"), sku: None, title: "Gift wrap".into(), quantity: 1, unit_price_minor: 100 },
        ],
        note: Some("Leave at the door".into()),
        shipping_minor: Some(450),
        refunded_minor: 0,
    }
}

async fn two_way(db: &Db, platform: Platform, account: &str) -> i64 {
    let mut conn = db.conn().await.unwrap();
    let id = channels::upsert(&mut conn, platform, account, account).await.unwrap();
    let settings = ChannelSettings { sync_direction: SyncDirection::TwoWay, auto_sync_minutes: None, price_list: None, warehouse: None, order_prefix: String::new() };
    channels::update_settings(&mut conn, id, &settings).await.unwrap();
    id
}

/// 120 BigCommerce orders (every status) and 30 WooCommerce ones.
async fn shop() -> Shop {
    let dir = tempfile::tempdir().unwrap();
    let db = Db::open(&dir.path().join("counterline.db")).await.unwrap();
    let big = two_way(&db, Platform::BigCommerce, "Big store").await;
    let woo = two_way(&db, Platform::WooCommerce, "Woo site").await;
    let statuses = [OrderStatus::Pending, OrderStatus::Processing, OrderStatus::Shipped, OrderStatus::Delivered, OrderStatus::Cancelled, OrderStatus::Returned];
    let mut conn = db.conn().await.unwrap();
    let big_orders: Vec<_> = (1..=120).map(|n| order(n, statuses[(n % 6) as usize])).collect();
    orders::upsert_page(&mut conn, big, &big_orders).await.unwrap();
    let woo_orders: Vec<_> = (121..=150).map(|n| order(n, OrderStatus::Processing)).collect();
    orders::upsert_page(&mut conn, woo, &woo_orders).await.unwrap();
    Shop { _dir: dir, db, big, woo }
}

async fn all_pages(db: &Db, filter: &OrderFilter, sort: OrderSort, limit: u32) -> Vec<OrderRow> {
    let mut conn = db.conn().await.unwrap();
    let mut query = OrderQuery { filter: filter.clone(), sort, after: None, limit };
    let mut rows = Vec::new();
    loop {
        let page = order_list::page(&mut conn, &query).await.unwrap();
        assert!(page.rows.len() <= limit as usize);
        rows.extend(page.rows);
        match page.next {
            Some(next) => query.after = Some(next),
            None => return rows,
        }
    }
}

async fn order_id(db: &Db, number: &str) -> i64 {
    sqlx::query_scalar("SELECT id FROM orders WHERE number = ?").bind(number).fetch_one(db.pool()).await.unwrap()
}

async fn scalar(db: &Db, sql: &str) -> i64 {
    sqlx::query_scalar(sql).fetch_one(db.pool()).await.unwrap()
}

fn refusal(error: Error) -> String {
    match error {
        Error::Refused(words) => words,
        other => panic!("expected a refusal in plain words, got {other:?}"),
    }
}

#[tokio::test]
async fn every_sort_in_both_directions_pages_through_each_order_once_in_order() {
    let s = shop().await;
    let channel_names = |id: i64| if id == s.big { "Big store" } else { "Woo site" };
    for column in OrderSortColumn::ALL {
        for direction in [SortDirection::Asc, SortDirection::Desc] {
            let rows = all_pages(&s.db, &OrderFilter::default(), OrderSort { column, direction }, 7).await;
            let mut ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
            assert_eq!(ids.len(), 150, "{column:?} {direction:?}: every order once across pages");
            ids.sort_unstable();
            ids.dedup();
            assert_eq!(ids.len(), 150, "{column:?} {direction:?}: no order twice");
            let ordered = rows.windows(2).all(|w| {
                let (a, b) = (&w[0], &w[1]);
                let cmp = match column {
                    OrderSortColumn::Number => (a.number.len(), &a.number).cmp(&(b.number.len(), &b.number)),
                    OrderSortColumn::CreatedAt => a.created_at.cmp(&b.created_at),
                    OrderSortColumn::Customer => a.customer_name.clone().unwrap_or_default().cmp(&b.customer_name.clone().unwrap_or_default()),
                    OrderSortColumn::Channel => channel_names(a.channel_id).cmp(channel_names(b.channel_id)),
                    OrderSortColumn::Status => status_rank(a.status).cmp(&status_rank(b.status)),
                    OrderSortColumn::PaymentStatus => a.financial_status.cmp(&b.financial_status),
                    OrderSortColumn::FulfillmentStatus => a.fulfillment_status.clone().unwrap_or_default().cmp(&b.fulfillment_status.clone().unwrap_or_default()),
                    OrderSortColumn::Total => a.total_minor.cmp(&b.total_minor),
                };
                match direction {
                    SortDirection::Asc => cmp.is_le(),
                    SortDirection::Desc => cmp.is_ge(),
                }
            });
            assert!(ordered, "{column:?} {direction:?}: rows come in sort order");
        }
    }
    let numbers = all_pages(&s.db, &OrderFilter::default(), OrderSort { column: OrderSortColumn::Number, direction: SortDirection::Asc }, 500).await;
    assert_eq!((numbers[0].number.as_str(), numbers[9].number.as_str()), ("1", "10"), "#9 sorts before #10, not after");
}

fn status_rank(status: OrderStatus) -> u8 {
    [OrderStatus::Pending, OrderStatus::Processing, OrderStatus::Shipped, OrderStatus::Delivered, OrderStatus::Cancelled, OrderStatus::Returned]
        .iter()
        .position(|s| *s == status)
        .unwrap() as u8
}

#[tokio::test]
async fn filters_combine_and_the_count_agrees_with_the_pages() {
    let s = shop().await;
    let filter = OrderFilter {
        channel_ids: vec![s.big],
        statuses: vec![OrderStatus::Pending, OrderStatus::Processing],
        created_from: Some(START + 3 * DAY),
        created_to: Some(START + 20 * DAY),
        customer: Some("ANN".into()),
        text: None,
    };
    let rows = all_pages(&s.db, &filter, OrderSort::default(), 3).await;
    assert!(!rows.is_empty(), "the fixture has matching orders");
    for row in &rows {
        assert_eq!(row.channel_id, s.big);
        assert!(matches!(row.status, OrderStatus::Pending | OrderStatus::Processing));
        assert!(row.created_at >= START + 3 * DAY && row.created_at < START + 20 * DAY, "from is inclusive, to exclusive");
        assert!(row.customer_name.as_deref().unwrap().contains("Ann"), "customer matches any case");
    }
    let count = order_list::count(&mut s.db.conn().await.unwrap(), &filter).await.unwrap();
    assert_eq!((count.total, count.capped), (rows.len() as i64, false), "the count is what the pages show");

    let by_email = OrderFilter { customer: Some("BUYER17@".into()), ..OrderFilter::default() };
    assert_eq!(all_pages(&s.db, &by_email, OrderSort::default(), 100).await.len(), 1, "email matches too");
    let by_number = OrderFilter { text: Some("#42".into()), ..OrderFilter::default() };
    let found = all_pages(&s.db, &by_number, OrderSort::default(), 100).await;
    assert_eq!(found.iter().map(|r| r.number.as_str()).collect::<Vec<_>>(), vec!["42"], "a number with '#' finds the order, not 142");
    let by_sku = OrderFilter { text: Some("TEE-77".into()), ..OrderFilter::default() };
    assert_eq!(all_pages(&s.db, &by_sku, OrderSort::default(), 100).await[0].number, "77", "an exact SKU finds its order");
    let shared_sku = OrderFilter { text: Some("MUG".into()), ..OrderFilter::default() };
    assert_eq!(order_list::count(&mut s.db.conn().await.unwrap(), &shared_sku).await.unwrap().total, 150);
}

#[tokio::test]
async fn a_new_customer_is_found_by_the_next_search_and_indexed_once() {
    let s = shop().await;
    let mut conn = s.db.conn().await.unwrap();
    let distinct = scalar(&s.db, "SELECT count(DISTINCT ifnull(customer_name, '') || '|' || email) FROM orders").await;
    assert_eq!(customer_search::catch_up(&mut conn).await.unwrap(), distinct as u64, "each customer the orders carry, once");
    assert_eq!(customer_search::catch_up(&mut conn).await.unwrap(), 0, "nothing new, nothing to index");

    let mut late = order(151, OrderStatus::Pending);
    late.customer_name = Some("Zoë Quint".into());
    late.email = Some("  ZQ@Example.com ".into());
    orders::upsert_page(&mut conn, s.woo, &[late]).await.unwrap();
    for needle in ["zoe q", "QUINT", "zq@example"] {
        let found = all_pages(&s.db, &OrderFilter { customer: Some(needle.into()), ..OrderFilter::default() }, OrderSort::default(), 10).await;
        assert_eq!(found.len(), 1, "{needle:?} finds the order written after the last catch-up");
    }
    let indexed = scalar(&s.db, "SELECT count(*) FROM customer_search WHERE customer_search MATCH '\"quint\"'").await;
    assert_eq!(indexed, 1, "three searches, one index entry");

    // The channel edits two orders over to customers already known: one
    // to the new customer, one back to another order's customer.
    let mut moved = order(7, OrderStatus::Pending);
    moved.customer_name = Some("Zoë Quint".into());
    moved.email = Some("zq@example.com".into());
    moved.total_minor += 1;
    let mut back = order(151, OrderStatus::Pending);
    back.customer_name = order(8, OrderStatus::Pending).customer_name;
    back.email = order(8, OrderStatus::Pending).email;
    orders::upsert_page(&mut conn, s.woo, &[back]).await.expect("an order may change to a known customer");
    orders::upsert_page(&mut conn, s.big, &[moved]).await.expect("an order may change to a known customer");
    let found = all_pages(&s.db, &OrderFilter { customer: Some("quint".into()), ..OrderFilter::default() }, OrderSort::default(), 10).await;
    assert_eq!(found.iter().map(|r| r.number.as_str()).collect::<Vec<_>>(), vec!["7"], "the search follows the orders' new customers");
}

#[tokio::test]
async fn a_cursor_from_another_sort_or_garbage_is_refused_in_plain_words() {
    let s = shop().await;
    let mut conn = s.db.conn().await.unwrap();
    let first = order_list::page(&mut conn, &OrderQuery { filter: OrderFilter::default(), sort: OrderSort::default(), after: None, limit: 10 }).await.unwrap();
    let other_sort = OrderSort { column: OrderSortColumn::Total, direction: SortDirection::Asc };
    for after in [first.next.clone().unwrap(), "zz-not-a-cursor".to_owned()] {
        let error = order_list::page(&mut conn, &OrderQuery { filter: OrderFilter::default(), sort: other_sort, after: Some(after), limit: 10 }).await.unwrap_err();
        assert!(refusal(error).contains("start again"), "the merchant is told what to do");
    }
}

#[tokio::test]
async fn the_workflow_offers_and_allows_only_sensible_steps() {
    let s = shop().await;
    let mut conn = s.db.conn().await.unwrap();
    let pending = order_id(&s.db, "6").await; // 6 % 6 == 0: Pending
    let detail = order_detail::detail(&mut conn, pending).await.unwrap();
    assert_eq!(detail.next_statuses, vec![OrderStatus::Processing, OrderStatus::Cancelled]);
    assert_eq!(detail.write_block, None, "a two-way BigCommerce channel takes changes");

    let shipped = order_id(&s.db, "2").await;
    let error = workflow::set_status(&mut conn, shipped, OrderStatus::Pending).await.unwrap_err();
    assert_eq!(refusal(error), "An order that is Shipped can't go back to Pending.");
    let error = workflow::set_status(&mut conn, pending, OrderStatus::Shipped).await.unwrap_err();
    assert_eq!(refusal(error), "Use Ship to add the carrier and tracking number.");
    let cancelled = order_id(&s.db, "4").await;
    assert!(refusal(workflow::set_status(&mut conn, cancelled, OrderStatus::Processing).await.unwrap_err()).contains("can't change any more"));
    assert_eq!(scalar(&s.db, "SELECT COUNT(*) FROM outbox").await, 0, "refusals queue nothing");

    let mut tx = s.db.begin().await.unwrap();
    workflow::set_status(&mut tx, pending, OrderStatus::Processing).await.unwrap();
    tx.commit().await.unwrap();
    let detail = order_detail::detail(&mut conn, pending).await.unwrap();
    assert_eq!(detail.order.status, OrderStatus::Processing);
    assert_eq!(detail.order.sync_state, OrderSyncState::Waiting, "queued for BigCommerce");
    assert_eq!(detail.history[0].summary, "Status changed to Processing", "newest first");
    assert_eq!(detail.history[0].actor, EventActor::Merchant);
    assert_eq!(detail.history.last().unwrap().summary, "Imported from BigCommerce");
    assert_eq!(detail.next_statuses, vec![OrderStatus::Shipped, OrderStatus::Cancelled]);

    let woo_processing = order_id(&s.db, "121").await;
    let error = workflow::set_status(&mut conn, woo_processing, OrderStatus::Pending).await.unwrap_err();
    assert!(refusal(error).contains("can't go back"), "WooCommerce follows the same table");
}

#[tokio::test]
async fn a_pull_only_channel_says_why_nothing_can_be_sent() {
    let s = shop().await;
    let mut conn = s.db.conn().await.unwrap();
    let settings = ChannelSettings { sync_direction: SyncDirection::Pull, auto_sync_minutes: None, price_list: None, warehouse: None, order_prefix: String::new() };
    channels::update_settings(&mut conn, s.big, &settings).await.unwrap();
    let id = order_id(&s.db, "6").await;
    let detail = order_detail::detail(&mut conn, id).await.unwrap();
    assert!(detail.write_block.as_deref().unwrap().contains("pull only"), "{:?}", detail.write_block);
    assert!(detail.next_statuses.is_empty(), "nothing is offered that would be refused");
    assert!(refusal(workflow::set_status(&mut conn, id, OrderStatus::Processing).await.unwrap_err()).contains("pull only"));
}

struct Stocked {
    warehouse: i64,
    order: i64,
    lines: Vec<i64>,
}

async fn stocked(s: &Shop, number: &str, mugs: i64) -> Stocked {
    let mut conn = s.db.conn().await.unwrap();
    let warehouse = locations::save(&mut conn, None, "Main warehouse", LocationKind::Warehouse).await.unwrap().id;
    locations::set_stock(&mut conn, warehouse, "MUG", mugs).await.unwrap();
    locations::set_stock(&mut conn, warehouse, &format!("TEE-{number}"), 5).await.unwrap();
    let order = order_id(&s.db, number).await;
    let lines = sqlx::query_scalar("SELECT id FROM order_lines WHERE order_id = ? ORDER BY id").bind(order).fetch_all(&mut *conn).await.unwrap();
    Stocked { warehouse, order, lines }
}

fn request(st: &Stocked, lines: &[(usize, i64)]) -> ShipmentRequest {
    ShipmentRequest {
        order_id: st.order,
        location_id: st.warehouse,
        lines: lines.iter().map(|(i, q)| ShipmentLine { line_id: st.lines[*i], quantity: *q }).collect(),
        carrier: " UPS ".into(),
        tracking_number: "1Z999AA10123456784".into(),
        tracking_url: Some("https://www.ups.com/track?tracknum=1Z999AA10123456784".into()),
    }
}

async fn ship(db: &Db, request: &ShipmentRequest) -> Result<i64, Error> {
    let mut tx = db.begin().await.unwrap();
    let id = fulfillment::ship(&mut tx, request).await?;
    tx.commit().await.unwrap();
    Ok(id)
}

#[tokio::test]
async fn a_partial_shipment_then_the_rest_ships_the_order_each_queued_once() {
    let s = shop().await;
    let st = stocked(&s, "7", 10).await; // 7 % 6 == 1: Processing
    let first = ship(&s.db, &request(&st, &[(0, 2)])).await.unwrap();
    let mut conn = s.db.conn().await.unwrap();
    let detail = order_detail::detail(&mut conn, st.order).await.unwrap();
    assert_eq!(detail.order.status, OrderStatus::Processing, "units remain, so not Shipped yet");
    assert_eq!(detail.lines.iter().map(|l| l.shipped_quantity).collect::<Vec<_>>(), vec![2, 0, 0]);
    assert_eq!(detail.shipments.len(), 1);
    assert_eq!((detail.shipments[0].carrier.as_str(), detail.shipments[0].location_name.as_deref()), ("UPS", Some("Main warehouse")));
    assert_eq!(detail.shipments[0].sync_state, OrderSyncState::Waiting, "its own outbox item waits");
    assert!(detail.history[0].summary.starts_with("Shipment of 2 items via UPS (1Z999AA10123456784)"), "{:?}", detail.history[0]);
    assert_eq!(scalar(&s.db, "SELECT on_hand FROM stock_levels WHERE sku = 'MUG'").await, 8, "two mugs left the warehouse");

    ship(&s.db, &request(&st, &[(0, 1), (1, 1), (2, 1)])).await.unwrap();
    let detail = order_detail::detail(&mut conn, st.order).await.unwrap();
    assert_eq!(detail.order.status, OrderStatus::Shipped, "every unit shipped");
    assert_eq!(detail.next_statuses, vec![OrderStatus::Delivered, OrderStatus::Returned]);
    assert_eq!(scalar(&s.db, "SELECT on_hand FROM stock_levels WHERE sku = 'MUG'").await, 7);
    assert_eq!(scalar(&s.db, "SELECT on_hand FROM stock_levels WHERE sku = 'TEE-7'").await, 4);
    let items: Vec<(Option<i64>, String)> = sqlx::query_as("SELECT shipment_id, payload FROM outbox ORDER BY id").fetch_all(s.db.pool()).await.unwrap();
    assert_eq!(items.len(), 2, "one outbox item per shipment");
    assert_eq!(items[0].0, Some(first));
    assert!(items[0].1.contains("\"partial\":true") && items[0].1.contains("\"external_id\":\"701\""), "{}", items[0].1);
    assert!(items[1].1.contains("\"partial\":false") && items[1].1.contains("\"shipped_after\":3"), "{}", items[1].1);
}

#[tokio::test]
async fn over_shipping_or_over_stock_is_refused_with_nothing_half_applied() {
    let s = shop().await;
    let st = stocked(&s, "7", 2).await;
    let before = (
        scalar(&s.db, "SELECT COUNT(*) FROM shipments").await,
        scalar(&s.db, "SELECT COUNT(*) FROM order_events").await,
        scalar(&s.db, "SELECT COUNT(*) FROM outbox").await,
        scalar(&s.db, "SELECT SUM(on_hand) FROM stock_levels").await,
    );
    let cases = [
        (request(&st, &[(1, 1), (0, 3)]), "Only 2 of MUG are in stock at Main warehouse; you asked to ship 3."),
        (request(&st, &[(1, 2)]), "This order has 1 × TEE-7 left to ship; you asked for 2."),
        (ShipmentRequest { carrier: " ".into(), ..request(&st, &[(0, 1)]) }, "Enter the carrier and the tracking number."),
        (request(&st, &[(0, 0)]), "Ship at least 1 of each item you choose."),
        (request(&st, &[(0, 1), (0, 1)]), "Each item can be listed once per shipment."),
        (ShipmentRequest { tracking_url: Some("javascript:alert(1)".into()), ..request(&st, &[(0, 1)]) }, "The tracking link must be a web address (https://…)."),
    ];
    for (request, words) in cases {
        assert_eq!(refusal(ship(&s.db, &request).await.unwrap_err()), words);
    }
    let after = (
        scalar(&s.db, "SELECT COUNT(*) FROM shipments").await,
        scalar(&s.db, "SELECT COUNT(*) FROM order_events").await,
        scalar(&s.db, "SELECT COUNT(*) FROM outbox").await,
        scalar(&s.db, "SELECT SUM(on_hand) FROM stock_levels").await,
    );
    assert_eq!(before, after, "no shipment, history line, outbox item or stock change from a refusal");

    ship(&s.db, &request(&st, &[(2, 1)])).await.expect("a line without a SKU ships without a stock check");
    let shipped_order = order_id(&s.db, "2").await;
    let mut other = request(&st, &[(0, 1)]);
    other.order_id = shipped_order;
    assert!(refusal(ship(&s.db, &other).await.unwrap_err()).contains("can't be shipped"), "a shipped order takes no new shipment");
}

#[tokio::test]
async fn a_partial_woocommerce_shipment_stays_local_and_the_last_one_completes_the_order() {
    let s = shop().await;
    let st = stocked(&s, "130", 10).await;
    ship(&s.db, &request(&st, &[(0, 3)])).await.unwrap();
    assert_eq!(scalar(&s.db, "SELECT COUNT(*) FROM outbox").await, 0, "WooCommerce has no partial shipments to send");
    let mut conn = s.db.conn().await.unwrap();
    let detail = order_detail::detail(&mut conn, st.order).await.unwrap();
    assert!(detail.history.iter().any(|e| e.summary.contains("WooCommerce has no shipments")), "the history says why");
    ship(&s.db, &request(&st, &[(1, 1), (2, 1)])).await.unwrap();
    let payload: String = sqlx::query_scalar("SELECT payload FROM outbox").fetch_one(s.db.pool()).await.unwrap();
    assert!(payload.contains("\"kind\":\"status\"") && payload.contains("shipped"), "the last shipment sends the status: {payload}");
    assert_eq!(scalar(&s.db, &format!("SELECT COUNT(*) FROM orders WHERE id = {} AND status = 'shipped'", st.order)).await, 1);
}

#[tokio::test]
async fn outcomes_and_channel_changes_land_in_the_history_and_the_sync_state() {
    let s = shop().await;
    let id = order_id(&s.db, "6").await;
    let mut tx = s.db.begin().await.unwrap();
    let item = workflow::set_status(&mut tx, id, OrderStatus::Cancelled).await.unwrap();
    tx.commit().await.unwrap();
    let mut conn = s.db.conn().await.unwrap();
    outbox::mark(&mut conn, item, OutboxState::Conflict, "the order changed on BigCommerce").await.unwrap();
    let detail = order_detail::detail(&mut conn, id).await.unwrap();
    assert_eq!(detail.order.sync_state, OrderSyncState::Conflict, "the list and detail show the conflict");
    assert!(detail.history[0].summary.starts_with("Not sent to BigCommerce"), "{:?}", detail.history[0]);
    assert_eq!(detail.history[0].actor, EventActor::Counterline);

    // Order 8 has nothing waiting, so the sync's status stands.
    let mut changed = order(8, OrderStatus::Returned);
    changed.updated_at = START + 1;
    orders::upsert_page(&mut conn, s.big, &[changed]).await.unwrap();
    let detail = order_detail::detail(&mut conn, order_id(&s.db, "8").await).await.unwrap();
    assert_eq!(detail.history[0].summary, "The store changed the status to Returned", "a sync's change is the channel's");
    assert_eq!(detail.history[0].actor, EventActor::Channel);
    assert_eq!((detail.note.as_deref(), detail.shipping_minor), (Some("Leave at the door"), Some(450)));
}

#[tokio::test]
async fn locations_are_named_once_and_stock_never_goes_below_zero() {
    let s = shop().await;
    let mut conn = s.db.conn().await.unwrap();
    let main = locations::save(&mut conn, None, "Main warehouse", LocationKind::Warehouse).await.unwrap();
    assert!(refusal(locations::save(&mut conn, None, "main WAREHOUSE", LocationKind::Store).await.unwrap_err()).contains("already"));
    let renamed = locations::save(&mut conn, Some(main.id), "Back room", LocationKind::Store).await.unwrap();
    assert_eq!((renamed.id, renamed.kind), (main.id, LocationKind::Store));
    assert!(locations::set_stock(&mut conn, main.id, "MUG", -1).await.is_err());
    locations::set_stock(&mut conn, main.id, "MUG", 4).await.unwrap();
    let levels = locations::stock_levels(&mut conn, main.id, &["MUG".into(), "NONE".into()]).await.unwrap();
    assert_eq!(levels.iter().map(|l| l.on_hand).collect::<Vec<_>>(), vec![4, 0], "a SKU never stocked has none");
}

#[tokio::test]
async fn the_csv_export_holds_the_filtered_list_in_order_with_formulas_made_inert() {
    let s = shop().await;
    let mut conn = s.db.conn().await.unwrap();
    let mut evil = order(200, OrderStatus::Pending);
    evil.customer_name = Some("=HYPERLINK(\"http://x\")".into());
    orders::upsert_page(&mut conn, s.woo, &[evil]).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let filter = OrderFilter { channel_ids: vec![s.woo], ..OrderFilter::default() };
    let sort = OrderSort { column: OrderSortColumn::Number, direction: SortDirection::Desc };
    let export = order_csv::export_to_dir(&mut conn, &filter, sort, dir.path(), 1_795_993_500_000).await.unwrap();
    assert_eq!(export.rows, 31);
    assert!(export.path.ends_with("orders-2026-11-29-230500.csv"));
    let text = std::fs::read_to_string(&export.path).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 32, "header and one line per order");
    assert!(lines[1].starts_with("200,"), "newest number first: {}", lines[1]);
    assert!(text.contains("\"'=HYPERLINK(\"\"http://x\"\")\""), "a formula is quoted and made inert");
    assert!(!dir.path().join("orders-2026-11-29-230500.csv.part").exists(), "no part file is left");
}
