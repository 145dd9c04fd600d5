//! Refunds and edits of orders already applied, as a sync brings them: the
//! member is carried forward from their running state (totals, credit) with
//! their tier walk redone from their history, and every derived row is what
//! a recompute from scratch builds.

use counterline_loyalty::{apply_orders, Applied};
use counterline_store::model::NewOrder;
use counterline_store::orders;

use crate::{add_member, derived, fixture, order, profile, recompute, sync, Fixture, DAY};

/// Syncs `page` on the web shop and says what applying it did.
async fn sync_applied(f: &Fixture, page: &[NewOrder]) -> Applied {
    let mut tx = f.db.begin().await.unwrap();
    let (_, changed) = orders::upsert_page_changed(&mut tx, f.shop, page).await.unwrap();
    let applied = apply_orders(&mut tx, &changed).await.unwrap();
    tx.commit().await.unwrap();
    applied
}

/// `order` refunded by `refunded_minor`, reported a day later.
fn refunded(mut order: NewOrder, refunded_minor: i64) -> NewOrder {
    order.refunded_minor = refunded_minor;
    order.updated_at += DAY;
    order
}

/// A fixture with Ana as a member, her orders (day, total) synced on the
/// web shop, numbered from 1, and her member id.
async fn ana_ordering(orders: &[(i64, i64)]) -> (Fixture, i64, Vec<NewOrder>) {
    let f = fixture().await;
    let ana = add_member(&f.db, "ana@example.com").await;
    let page: Vec<NewOrder> = orders
        .iter()
        .enumerate()
        .map(|(i, &(day, total))| order(&(i + 1).to_string(), Some("ana@example.com"), day, total))
        .collect();
    sync(&f.db, f.shop, &page).await;
    (f, ana, page)
}

/// What the sync path left, then what a recompute builds: they must agree.
async fn assert_same_as_recompute(f: &Fixture) {
    let incremental = derived(&f.db).await;
    recompute(&f.db).await;
    assert_eq!(incremental, derived(&f.db).await, "the sync path and a recompute from scratch agree row for row");
}

#[tokio::test]
async fn a_partial_refund_of_an_early_order_takes_back_the_tier_a_later_order_reached() {
    let (f, ana, orders) = ana_ordering(&[(0, 20_000), (1, 10_000)]).await;
    assert_eq!(profile(&f.db, ana).await.member.tier.as_deref(), Some("Silver"), "300.00 passed Silver's 250.00");

    let applied = sync_applied(&f, &[refunded(orders[0].clone(), 10_000)]).await;
    assert_eq!(applied, Applied { carried: 1, rewalked: 0 }, "a partial refund is carried forward, not re-walked");
    let p = profile(&f.db, ana).await;
    assert_eq!(p.member.spend_minor, 20_000, "half of the first order is refunded: 100.00 + 100.00");
    assert_eq!(p.member.tier, None, "200.00 never reached Silver: the refund takes it back");
    assert!(p.tier_history.is_empty(), "and the history no longer says it did");
    assert_eq!(p.member.credit_minor, 2_000 + 1_000 - 1_000, "half the first order's 20.00 is reversed");
    assert_same_as_recompute(&f).await;
}

#[tokio::test]
async fn a_partial_refund_restates_what_later_tier_changes_reached() {
    let (f, ana, orders) = ana_ordering(&[(0, 20_000), (1, 10_000), (2, 80_000)]).await;

    let applied = sync_applied(&f, &[refunded(orders[0].clone(), 4_000)]).await;
    assert_eq!(applied.rewalked, 0, "the tier walk is redone from the history read with the running state");
    let p = profile(&f.db, ana).await;
    assert_eq!(p.member.tier.as_deref(), Some("Gold"), "1,060.00 is still past Gold's 1,000.00");
    let reasons: Vec<&str> = p.tier_history.iter().rev().map(|t| t.reason.as_str()).collect();
    assert_eq!(
        reasons,
        vec!["Lifetime spend reached 260.00 USD, past Silver's 250.00.", "Lifetime spend reached 1060.00 USD, past Gold's 1000.00."],
        "both changes still happen at the same orders, with the spend they now reached"
    );
    assert_same_as_recompute(&f).await;
}

#[tokio::test]
async fn a_partial_refund_after_the_last_tier_change_leaves_the_history_as_it_was() {
    let (f, ana, orders) = ana_ordering(&[(0, 30_000), (1, 10_000)]).await;
    let history = profile(&f.db, ana).await.tier_history;

    assert_eq!(sync_applied(&f, &[refunded(orders[1].clone(), 5_000)]).await, Applied { carried: 1, rewalked: 0 });
    let p = profile(&f.db, ana).await;
    assert_eq!(p.tier_history, history, "Silver was reached before the refunded order");
    assert_eq!((p.member.spend_minor, p.member.credit_minor), (35_000, 3_000 + 1_000 - 500));
    assert_eq!(p.member.order_count, 2, "a partly refunded order is still a purchase");
    assert_same_as_recompute(&f).await;
}

#[tokio::test]
async fn a_refund_withdrawn_gives_back_the_spend_and_the_tier_it_reaches() {
    let (f, ana, orders) = ana_ordering(&[(0, 20_000), (1, 10_000)]).await;
    let refund = refunded(orders[0].clone(), 10_000);
    sync_applied(&f, std::slice::from_ref(&refund)).await;
    assert_eq!(profile(&f.db, ana).await.member.tier, None, "200.00 after the refund");

    let applied = sync_applied(&f, &[refunded(refund, 0)]).await;
    assert_eq!(applied.rewalked, 0);
    let p = profile(&f.db, ana).await;
    assert_eq!(p.member.tier.as_deref(), Some("Silver"), "300.00 again");
    assert_eq!(p.tier_history.len(), 1);
    assert_eq!(p.tier_history[0].order_number.as_deref(), Some("#2"), "reached with the second order, as if never refunded");
    assert_eq!(p.ledger.iter().filter(|e| e.order_number.as_deref() == Some("#1")).count(), 1, "the reversal entry is gone");
    assert_same_as_recompute(&f).await;
}

#[tokio::test]
async fn a_full_refund_stops_counting_the_order_and_walks_the_whole_history_again() {
    let (f, ana, orders) = ana_ordering(&[(0, 20_000), (1, 10_000)]).await;

    let applied = sync_applied(&f, &[refunded(orders[0].clone(), 20_000)]).await;
    assert_eq!(applied, Applied { carried: 0, rewalked: 1 }, "frequency, first order and stamps change: a re-walk");
    let p = profile(&f.db, ana).await;
    assert_eq!((p.member.order_count, p.member.spend_minor, p.punch_cards[0].total_stamps), (1, 10_000, 1));
    assert_same_as_recompute(&f).await;
}
