//! Members, matching and the ledger, through the database.

use counterline_loyalty::model::{LedgerKind, MemberInput, MemberQuery, MemberSort, UnmatchedQuery, UnmatchedReason};
use counterline_loyalty::{members, unmatched, Error};

use crate::{add_member, fixture, order, profile, sync};

#[tokio::test]
async fn orders_from_two_channels_match_one_member_whatever_the_case_and_spacing() {
    let f = fixture().await;
    let member = add_member(&f.db, "Ana@Example.com").await;
    sync(&f.db, f.shop, &[order("1", Some("  ana@example.COM "), 0, 20_000)]).await;
    sync(&f.db, f.pos, &[order("1", Some("ANA@example.com"), 3, 10_500)]).await;
    let p = profile(&f.db, member).await;
    assert_eq!(p.member.order_count, 2, "both channels' orders are hers");
    assert_eq!(p.member.spend_minor, 30_500);
    assert_eq!(p.member.credit_minor, 2_000 + 1_000, "20.00 + 10.00 credit (floor per order)");
    assert_eq!(p.member.tier.as_deref(), Some("Silver"), "305.00 passed Silver's 250.00");
    assert_eq!(p.tier_history.len(), 1);
    assert_eq!(p.tier_history[0].order_number.as_deref(), Some("#1"), "the second order crossed it");
    assert_eq!(p.punch_cards[0].stamps, 2);
    let page = members::orders(&mut f.db.conn().await.unwrap(), member, None, 10).await.unwrap();
    let channels: Vec<&str> = page.rows.iter().map(|o| o.channel_name.as_str()).collect();
    assert_eq!(channels, vec!["Second store", "Web shop"], "merged history, newest first");
}

#[tokio::test]
async fn a_member_added_later_picks_up_their_existing_orders() {
    let f = fixture().await;
    sync(&f.db, f.shop, &[order("1", Some("bo@example.com"), 0, 5_000), order("2", Some("Bo@Example.com"), 1, 5_000)]).await;
    let before = unmatched::summary(&mut f.db.conn().await.unwrap(), None).await.unwrap();
    assert_eq!(before.no_member, 2, "until Bo is a member his orders are guests'");
    let member = add_member(&f.db, "bo@example.com").await;
    let p = profile(&f.db, member).await;
    assert_eq!((p.member.order_count, p.member.credit_minor), (2, 1_000));
    assert_eq!(unmatched::summary(&mut f.db.conn().await.unwrap(), None).await.unwrap().no_member, 0);
}

#[tokio::test]
async fn changing_a_members_email_moves_the_orders_and_their_credit() {
    let f = fixture().await;
    sync(&f.db, f.shop, &[order("1", Some("old@example.com"), 0, 10_000), order("2", Some("new@example.com"), 1, 30_000)]).await;
    let member = add_member(&f.db, "old@example.com").await;
    assert_eq!(profile(&f.db, member).await.member.credit_minor, 1_000);
    let mut tx = f.db.begin().await.unwrap();
    members::update(&mut tx, member, &MemberInput { email: "NEW@example.com".into(), ..Default::default() }).await.unwrap();
    tx.commit().await.unwrap();
    let p = profile(&f.db, member).await;
    assert_eq!(p.member.credit_minor, 3_000, "only the new email's order counts now");
    assert_eq!(p.ledger.len(), 1, "the old order's entry is gone");
    assert_eq!(p.member.tier.as_deref(), Some("Silver"));
}

#[tokio::test]
async fn an_order_whose_email_is_edited_moves_to_the_other_member() {
    let f = fixture().await;
    let ana = add_member(&f.db, "ana@example.com").await;
    let bo = add_member(&f.db, "bo@example.com").await;
    sync(&f.db, f.shop, &[order("1", Some("ana@example.com"), 0, 30_000)]).await;
    let mut edited = order("1", Some("bo@example.com"), 0, 30_000);
    edited.updated_at += 1;
    sync(&f.db, f.shop, &[edited]).await;
    let (a, b) = (profile(&f.db, ana).await, profile(&f.db, bo).await);
    assert_eq!((a.member.order_count, a.member.credit_minor, a.member.tier), (0, 0, None), "Ana loses it all");
    assert!(a.tier_history.is_empty(), "and her tier history is recomputed without it");
    assert_eq!((b.member.order_count, b.member.credit_minor), (1, 3_000));
}

#[tokio::test]
async fn a_refund_reverses_credit_once_however_often_it_syncs() {
    let f = fixture().await;
    let member = add_member(&f.db, "ana@example.com").await;
    sync(&f.db, f.shop, &[order("1", Some("ana@example.com"), 0, 10_000)]).await;
    let mut refunded = order("1", Some("ana@example.com"), 0, 10_000);
    refunded.refunded_minor = 4_000;
    refunded.updated_at += 5;
    for _ in 0..3 {
        sync(&f.db, f.shop, &[refunded.clone()]).await;
    }
    let p = profile(&f.db, member).await;
    assert_eq!(p.member.credit_minor, 600, "10.00 earned, 40% (4.00) reversed, once");
    let kinds: Vec<(LedgerKind, i64)> = p.ledger.iter().map(|e| (e.kind, e.amount_minor)).collect();
    assert_eq!(kinds, vec![(LedgerKind::Reversal, -400), (LedgerKind::Earn, 1_000)], "newest first");
    assert_eq!(p.ledger[0].balance_minor, 600);
    let mut more = refunded.clone();
    more.refunded_minor = 10_000;
    more.updated_at += 5;
    sync(&f.db, f.shop, &[more]).await;
    let p = profile(&f.db, member).await;
    assert_eq!(p.member.credit_minor, 0, "the full refund's reversal replaces the partial one");
    assert_eq!(p.ledger.len(), 2, "still one entry per (member, order, kind)");
    assert_eq!(p.punch_cards[0].total_stamps, 0, "a fully refunded order loses its stamp");
}

#[tokio::test]
async fn manual_adjustments_need_a_reason_and_cannot_overdraw() {
    let f = fixture().await;
    let member = add_member(&f.db, "ana@example.com").await;
    sync(&f.db, f.shop, &[order("1", Some("ana@example.com"), 0, 10_000)]).await;
    let mut conn = f.db.conn().await.unwrap();
    let no_reason = members::adjust_credit(&mut conn, member, 500, "  ").await;
    assert!(matches!(no_reason, Err(Error::Invalid(m)) if m.contains("why")));
    let overdraw = members::adjust_credit(&mut conn, member, -1_500, "Redeemed").await;
    assert!(matches!(overdraw, Err(Error::Invalid(m)) if m.contains("below zero (it is 10.00 USD)")));
    let entry = members::adjust_credit(&mut conn, member, -700, "Redeemed at the till").await.unwrap();
    assert_eq!(entry.balance_minor, 300);
    drop(conn);
    let p = profile(&f.db, member).await;
    assert_eq!(p.member.credit_minor, 300);
    sync(&f.db, f.shop, &[{
        let mut o = order("1", Some("ana@example.com"), 0, 10_000);
        o.updated_at += 1;
        o.financial_status = Some("PAID AGAIN".into());
        o
    }])
    .await;
    assert_eq!(profile(&f.db, member).await.member.credit_minor, 300, "re-applying an order keeps manual entries");
}

#[tokio::test]
async fn every_ledger_entry_has_its_own_id_and_an_adjustment_keeps_the_one_it_was_given() {
    let f = fixture().await;
    let member = add_member(&f.db, "ana@example.com").await;
    // Synced already refunded in part: its earn and reversal entries share a time.
    let mut refunded = order("1", Some("ana@example.com"), 0, 10_000);
    refunded.refunded_minor = 4_000;
    sync(&f.db, f.shop, &[refunded]).await;
    let mut conn = f.db.conn().await.unwrap();
    let gift = members::adjust_credit(&mut conn, member, 100, "Welcome gift").await.unwrap();
    drop(conn);
    let p = profile(&f.db, member).await;
    let entries: Vec<(LedgerKind, i64, i64)> = p.ledger.iter().map(|e| (e.kind, e.amount_minor, e.balance_minor)).collect();
    assert_eq!(
        entries,
        vec![(LedgerKind::Manual, 100, 700), (LedgerKind::Reversal, -400, 600), (LedgerKind::Earn, 1_000, 1_000)],
        "newest first, the earn before the reversal it shares a time with"
    );
    assert_eq!(p.ledger[0].id, gift.id);
    let mut ids: Vec<i64> = p.ledger.iter().map(|e| e.id).collect();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), 3, "no two entries share an id");
}

#[tokio::test]
async fn a_duplicate_or_malformed_email_is_refused_with_what_to_fix() {
    let f = fixture().await;
    add_member(&f.db, "ana@example.com").await;
    let mut conn = f.db.conn().await.unwrap();
    let duplicate = members::create(&mut conn, &MemberInput { email: " ANA@example.com".into(), ..Default::default() }).await;
    assert!(matches!(duplicate, Err(Error::Invalid(m)) if m == "Another member already has the email ANA@example.com."));
    let malformed = members::create(&mut conn, &MemberInput { email: "ana at example".into(), ..Default::default() }).await;
    assert!(matches!(malformed, Err(Error::Invalid(m)) if m.starts_with("Enter an email address")));
    assert!(matches!(members::get(&mut conn, 999).await, Err(Error::NotFound("member"))));
}

#[tokio::test]
async fn deleting_a_member_keeps_their_orders_as_unmatched() {
    let f = fixture().await;
    let member = add_member(&f.db, "ana@example.com").await;
    sync(&f.db, f.shop, &[order("1", Some("ana@example.com"), 0, 10_000)]).await;
    let mut conn = f.db.conn().await.unwrap();
    members::adjust_credit(&mut conn, member, 250, "Welcome gift").await.unwrap();
    members::delete(&mut conn, member).await.unwrap();
    let page = unmatched::page(&mut conn, &UnmatchedQuery { channel_id: None, reason: None, after: None, limit: 10 }).await.unwrap();
    assert_eq!(page.rows.len(), 1, "the order is still there");
    assert_eq!(page.rows[0].reason, UnmatchedReason::NoMember);
    let ledger: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM credit_ledger").fetch_one(&mut *conn).await.unwrap();
    assert_eq!(ledger, 0, "her ledger, her adjustment included, went with her");
}

#[tokio::test]
async fn guests_and_orders_without_email_are_counted_and_listed_per_channel() {
    let f = fixture().await;
    add_member(&f.db, "ana@example.com").await;
    sync(&f.db, f.shop, &[order("1", Some("ana@example.com"), 0, 100), order("2", None, 1, 100), order("3", Some("   "), 2, 100)]).await;
    sync(&f.db, f.pos, &[order("1", Some("guest@example.com"), 3, 100)]).await;
    let mut conn = f.db.conn().await.unwrap();
    let all = unmatched::summary(&mut conn, None).await.unwrap();
    assert_eq!((all.no_email, all.no_member), (2, 1), "a blank email is no email");
    assert_eq!(unmatched::count_for_channel(&mut conn, f.shop).await.unwrap(), 2);
    assert_eq!(unmatched::count_for_channel(&mut conn, f.pos).await.unwrap(), 1);
    let query = UnmatchedQuery { channel_id: None, reason: Some(UnmatchedReason::NoEmail), after: None, limit: 1 };
    let first = unmatched::page(&mut conn, &query).await.unwrap();
    assert_eq!(first.rows[0].number, "#3", "newest first");
    let second = unmatched::page(&mut conn, &UnmatchedQuery { after: first.next, ..query }).await.unwrap();
    assert_eq!(second.rows[0].number, "#2");
    assert!(second.next.is_none());
}

#[tokio::test]
async fn the_member_list_searches_and_sorts() {
    let f = fixture().await;
    for email in ["cy@example.com", "ana@example.com", "bo@shop.org"] {
        add_member(&f.db, email).await;
    }
    sync(&f.db, f.shop, &[order("1", Some("bo@shop.org"), 0, 9_900)]).await;
    let mut conn = f.db.conn().await.unwrap();
    let query = MemberQuery { text: None, segment: None, tier: None, sort: MemberSort::Email, descending: false, offset: 0, limit: 2 };
    let page = members::list(&mut conn, &query).await.unwrap();
    assert_eq!(page.total, 3);
    assert_eq!(page.rows.iter().map(|m| m.email.as_str()).collect::<Vec<_>>(), vec!["ana@example.com", "bo@shop.org"]);
    let by_spend = members::list(&mut conn, &MemberQuery { sort: MemberSort::Spend, descending: true, ..query.clone() }).await.unwrap();
    assert_eq!(by_spend.rows[0].email, "bo@shop.org");
    let found = members::list(&mut conn, &MemberQuery { text: Some("EXAMPLE".into()), ..query }).await.unwrap();
    assert_eq!(found.total, 2, "search is case-insensitive on the email");
}
