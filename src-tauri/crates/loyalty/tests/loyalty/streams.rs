//! Property: whatever order stream arrives (new orders, edits, refunds,
//! cancellations, re-syncs of the same page, members added or re-emailed
//! in between), the tables the sync path leaves behind are exactly what a
//! from-scratch recompute builds, and every balance is the sum of its ledger.

use std::collections::BTreeMap;

use proptest::prelude::*;

use counterline_loyalty::model::MemberInput;
use counterline_loyalty::settings::{self, LoyaltySettings, TierBasis, TierDowngrade};
use counterline_loyalty::{apply_orders, members};
use counterline_store::model::{NewOrder, OrderStatus};

use crate::{derived, fixture, order, recompute, sync, DAY};

/// The same people written the ways channels and merchants write them.
const EMAILS: [&str; 5] = ["ana@example.com", " ANA@Example.com ", "bo@example.com", "cy@example.com", "dee@example.com"];

#[derive(Debug, Clone)]
enum Step {
    /// A page of orders from one channel: (order number, email, day, total, refunded quarters, cancelled).
    /// `later`: its days count from after every order so far (orders
    /// appended to histories, the running-state path), else from day 0.
    Page { pos: bool, later: bool, orders: Vec<(u8, Option<usize>, i64, i64, i64, bool)> },
    /// The last page again, unchanged.
    Resync,
    /// An order synced before comes again on its own date, refunded in
    /// `quarters` of its total, its amounts scaled by `percent` when given:
    /// a partial refund or an edit of an order already applied.
    Amend { pick: prop::sample::Index, quarters: i64, percent: Option<i64> },
    AddMember(usize),
    ChangeEmail { member: usize, email: usize },
    /// The rules applied again to every order, as a retried page would.
    Reapply,
}

fn step() -> impl Strategy<Value = Step> {
    let line = (0u8..10, prop::option::weighted(0.85, 0..EMAILS.len()), 0i64..400, 0i64..60_000, 0i64..=4, prop::bool::weighted(0.1));
    prop_oneof![
        6 => (any::<bool>(), any::<bool>(), prop::collection::vec(line, 1..4))
            .prop_map(|(pos, later, orders)| Step::Page { pos, later, orders }),
        1 => Just(Step::Resync),
        4 => (any::<prop::sample::Index>(), 0i64..=4, prop::option::weighted(0.3, 50i64..150))
            .prop_map(|(pick, quarters, percent)| Step::Amend { pick, quarters, percent }),
        2 => (0..EMAILS.len()).prop_map(Step::AddMember),
        1 => (0usize..4, 0..EMAILS.len()).prop_map(|(member, email)| Step::ChangeEmail { member, email }),
        1 => Just(Step::Reapply),
    ]
}

fn new_order(&(number, email, day, total, quarters, cancelled): &(u8, Option<usize>, i64, i64, i64, bool)) -> NewOrder {
    let mut o = order(&number.to_string(), email.map(|e| EMAILS[e]), day, total);
    o.subtotal_minor = total * 9 / 10;
    o.refunded_minor = total * quarters / 4;
    if cancelled {
        o.status = OrderStatus::Cancelled;
        o.cancelled_at = Some(o.created_at);
    }
    o
}

async fn run(basis: TierBasis, downgrade: TierDowngrade, steps: Vec<Step>) {
    let f = fixture().await;
    let mut rules = LoyaltySettings::default();
    rules.tiers.basis = basis;
    rules.tiers.downgrade = downgrade;
    rules.punch_cards[0].stamps_required = 3;
    let mut tx = f.db.begin().await.unwrap();
    settings::store(&mut tx, &rules).await.unwrap();
    tx.commit().await.unwrap();

    let mut member_ids = Vec::new();
    let mut last_page: Option<(i64, Vec<NewOrder>)> = None;
    // The latest version of every order synced, by (channel, external id).
    let mut synced: BTreeMap<(i64, String), NewOrder> = BTreeMap::new();
    let (mut latest_day, mut page_no) = (0i64, 0u32);
    for step in steps {
        match step {
            Step::Page { pos, later, orders } => {
                let channel = if pos { f.pos } else { f.shop };
                let orders: Vec<_> = if later {
                    orders.iter().map(|&(n, e, day, t, q, c)| (n, e, latest_day + 1 + day % 40, t, q, c)).collect()
                } else {
                    orders
                };
                latest_day = latest_day.max(orders.iter().map(|o| o.2).max().unwrap_or(0));
                page_no += 1;
                let mut page: Vec<NewOrder> = orders.iter().map(new_order).collect();
                // Even numbers of a later page are orders never seen before; odd ones edit earlier orders.
                for o in page.iter_mut().filter(|o| later && o.external_id.parse::<u8>().is_ok_and(|n| n % 2 == 0)) {
                    o.external_id = format!("{}-{page_no}", o.external_id);
                    o.number = format!("#{}", o.external_id);
                }
                // One page never holds the same order twice (a platform page doesn't).
                let mut seen = std::collections::HashSet::new();
                let page: Vec<NewOrder> = page.into_iter().rev().filter(|o| seen.insert(o.external_id.clone())).collect();
                sync(&f.db, channel, &page).await;
                synced.extend(page.iter().map(|o| ((channel, o.external_id.clone()), o.clone())));
                last_page = Some((channel, page));
            }
            Step::Resync => {
                if let Some((channel, page)) = &last_page {
                    sync(&f.db, *channel, page).await;
                }
            }
            Step::Amend { pick, quarters, percent } => {
                if synced.is_empty() {
                    continue;
                }
                let at = pick.index(synced.len());
                let ((channel, _), order) = synced.iter_mut().nth(at).expect("picked in range");
                if let Some(percent) = percent {
                    order.total_minor = order.total_minor * percent / 100;
                    order.subtotal_minor = order.total_minor * 9 / 10;
                }
                order.refunded_minor = order.total_minor * quarters / 4;
                order.updated_at += DAY;
                sync(&f.db, *channel, std::slice::from_ref(order)).await;
            }
            Step::AddMember(email) => {
                let mut tx = f.db.begin().await.unwrap();
                // A second member with the same email is refused; nothing changes then.
                if let Ok(id) = members::create(&mut tx, &MemberInput { email: EMAILS[email].into(), ..Default::default() }).await {
                    tx.commit().await.unwrap();
                    member_ids.push(id);
                }
            }
            Step::ChangeEmail { member, email } => {
                let Some(&id) = member_ids.get(member) else { continue };
                let mut tx = f.db.begin().await.unwrap();
                if members::update(&mut tx, id, &MemberInput { email: EMAILS[email].into(), ..Default::default() }).await.is_ok() {
                    tx.commit().await.unwrap();
                }
            }
            Step::Reapply => {
                let ids: Vec<i64> = sqlx::query_scalar("SELECT id FROM orders").fetch_all(f.db.pool()).await.unwrap();
                let mut tx = f.db.begin().await.unwrap();
                apply_orders(&mut tx, &ids).await.unwrap();
                tx.commit().await.unwrap();
            }
        }
    }

    let incremental = derived(&f.db).await;
    let balances: Vec<(i64, i64, i64)> = sqlx::query_as(
        "SELECT s.member_id, s.credit_minor, COALESCE((SELECT SUM(amount_minor) FROM credit_ledger l WHERE l.member_id = s.member_id), 0)
           FROM member_stats s",
    )
    .fetch_all(f.db.pool())
    .await
    .unwrap();
    for (member, balance, ledger) in balances {
        assert_eq!(balance, ledger, "member {member}'s balance is the sum of their ledger");
    }
    let overdrawn: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM (SELECT order_id FROM credit_ledger WHERE order_id IS NOT NULL
                                GROUP BY order_id HAVING SUM(amount_minor) < 0)",
    )
    .fetch_one(f.db.pool())
    .await
    .unwrap();
    assert_eq!(overdrawn, 0, "no order takes back more credit than it earned");

    let days = |sql: &'static str| sqlx::query_as::<_, (i64, i64, i64)>(sql).fetch_all(f.db.pool());
    assert_eq!(
        days("SELECT day, spend_minor, orders FROM loyalty_days WHERE orders <> 0 OR spend_minor <> 0 ORDER BY day").await.unwrap(),
        days("SELECT created_at / 86400000 AS d, SUM(spend_minor), COUNT(*) FROM member_orders GROUP BY d ORDER BY d").await.unwrap(),
        "the per-day totals the insights read equal the member orders they sum"
    );

    recompute(&f.db).await;
    let scratch = derived(&f.db).await;
    assert_eq!(incremental, scratch, "the sync path and a from-scratch recompute agree row for row");
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn any_order_stream_leaves_what_a_recompute_from_scratch_builds(
        rolling in any::<bool>(),
        falls in any::<bool>(),
        steps in prop::collection::vec(step(), 1..24),
    ) {
        let basis = if rolling { TierBasis::Rolling12Months } else { TierBasis::Lifetime };
        let downgrade = if falls { TierDowngrade::WhenSpendFalls } else { TierDowngrade::Never };
        tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(run(basis, downgrade, steps));
    }
}
