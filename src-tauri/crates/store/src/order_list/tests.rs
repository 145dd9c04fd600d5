//! Specs of the list's two plans, which a small fixture can't tell apart
//! by timing: only by what they return.

use super::filter::{number_candidates, Reach};
use super::*;
use crate::model::{NewOrder, NewOrderLine};
use crate::{channels, orders, Db};

#[test]
fn an_order_number_is_found_with_or_without_prefix_and_hash() {
    let found = number_candidates("shop-1042", &["SHOP-".to_owned()]);
    assert!(found.contains(&"#1042".to_owned()) && found.contains(&"1042".to_owned()), "{found:?}");
    assert_eq!(number_candidates("#7", &[]), vec!["#7".to_owned(), "7".to_owned()]);
}

const NAMES: [Option<&str>; 6] = [Some("Ann Lee"), Some("Jörg Müller"), Some("hannah Ito"), None, Some("Bo Ng"), Some("ANNA Ruiz")];

fn order(n: i64) -> NewOrder {
    let statuses = [OrderStatus::Pending, OrderStatus::Processing, OrderStatus::Shipped, OrderStatus::Delivered];
    NewOrder {
        external_id: n.to_string(),
        number: format!("#{}", 90 + n),
        created_at: 1_700_000_000_000 + (n * 7_919 % 311) * 60_000,
        updated_at: 1_700_000_000_000,
        cancelled_at: None,
        // Some orders share a name but not an email; a few have neither.
        email: (n % 9 != 0).then(|| format!("buyer{}@shop{}.example", n % 40, n % 3)),
        customer_name: NAMES[(n % 6) as usize].map(str::to_owned),
        status: statuses[(n % 4) as usize],
        financial_status: (n % 5 != 0).then(|| ["paid", "pending"][(n % 2) as usize].to_owned()),
        fulfillment_status: (n % 3 == 0).then(|| "fulfilled".to_owned()),
        currency: "EUR".into(),
        total_minor: n * 37 % 1_000,
        subtotal_minor: 0,
        tax_minor: 0,
        shipping_address: None,
        lines: vec![NewOrderLine {
            external_id: format!("{n}-1"),
            sku: Some(format!("SKU-{}", n % 7)),
            title: "Item".into(),
            quantity: 1,
            unit_price_minor: 100,
        }],
        note: None,
        shipping_minor: None,
        refunded_minor: 0,
    }
}

async fn walk(conn: &mut SqliteConnection, filter: &OrderFilter, sort: OrderSort, reach: Reach) -> Vec<i64> {
    let mut query = OrderQuery { filter: filter.clone(), sort, after: None, limit: 7 };
    let mut ids = Vec::new();
    loop {
        let page = page_by(conn, &query, Some(reach)).await.unwrap();
        ids.extend(page.rows.iter().map(|r| r.id));
        assert!(ids.len() <= 240, "{reach:?} {sort:?}: paging never ends or repeats orders");
        match page.next {
            Some(next) => query.after = Some(next),
            None => return ids,
        }
    }
}

/// The distinct customer names the first page of `filter` shows.
async fn names(conn: &mut SqliteConnection, filter: OrderFilter) -> Vec<String> {
    let query = OrderQuery { filter, sort: OrderSort::default(), after: None, limit: 500 };
    let rows = page(conn, &query).await.unwrap().rows;
    let names: std::collections::BTreeSet<String> = rows.into_iter().map(|r| r.customer_name.unwrap_or_default()).collect();
    names.into_iter().collect()
}

/// The plan is chosen by how many orders match, which a small fixture
/// can't reach: both plans are run here on every filter and sort, and
/// must page through the same orders in the same order.
#[tokio::test]
async fn walking_the_sort_index_and_looking_matches_up_list_the_same_orders() {
    let dir = tempfile::tempdir().unwrap();
    let db = Db::open(&dir.path().join("counterline.db")).await.unwrap();
    let mut conn = db.conn().await.unwrap();
    let shop = channels::upsert(&mut conn, Platform::Shopify, "a.myshopify.com", "A").await.unwrap();
    let woo = channels::upsert(&mut conn, Platform::WooCommerce, "b.example", "B").await.unwrap();
    orders::upsert_page(&mut conn, shop, &(0..150).map(order).collect::<Vec<_>>()).await.unwrap();
    orders::upsert_page(&mut conn, woo, &(150..240).map(order).collect::<Vec<_>>()).await.unwrap();

    let customer = |text: &str| OrderFilter { customer: Some(text.into()), ..OrderFilter::default() };
    let filters = [
        customer("ann"),
        customer("muller"),
        customer("SHOP2.example"),
        customer("ng"),
        OrderFilter { text: Some("SKU-3".into()), ..OrderFilter::default() },
        OrderFilter { text: Some("#100".into()), ..OrderFilter::default() },
        OrderFilter { channel_ids: vec![woo], statuses: vec![OrderStatus::Shipped], ..customer("ann") },
        OrderFilter { created_from: Some(1_700_000_000_000 + 100 * 60_000), text: Some("SKU-1".into()), ..customer("buyer1") },
    ];
    for filter in &filters {
        let mut expected: Option<Vec<i64>> = None;
        for column in OrderSortColumn::ALL {
            for direction in [SortDirection::Asc, SortDirection::Desc] {
                let sort = OrderSort { column, direction };
                let walked = walk(&mut conn, filter, sort, Reach::SortIndex).await;
                let looked_up = walk(&mut conn, filter, sort, Reach::Matches).await;
                assert_eq!(walked, looked_up, "{filter:?} {column:?} {direction:?}: both plans, same orders in the same order");
                let mut set = walked.clone();
                set.sort_unstable();
                set.dedup();
                assert_eq!(set.len(), walked.len(), "{filter:?} {column:?} {direction:?}: no order twice");
                match &expected {
                    Some(first) => assert_eq!(&set, first, "{filter:?} {column:?} {direction:?}: every sort lists the same orders"),
                    None => expected = Some(set),
                }
            }
        }
        assert!(!expected.unwrap().is_empty(), "{filter:?}: the fixture has matching orders");
    }

    assert_eq!(names(&mut conn, customer("muller")).await, vec!["Jörg Müller"], "no accent typed, the accented name found");
    assert_eq!(names(&mut conn, customer("ANN")).await, vec!["ANNA Ruiz", "Ann Lee", "hannah Ito"], "any case, anywhere in the name");
}
