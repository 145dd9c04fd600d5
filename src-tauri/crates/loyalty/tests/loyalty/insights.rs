//! The dashboard's series, worked out by hand for a small shop.

use counterline_loyalty::insights::insights;
use counterline_loyalty::model::{Bucket, InsightsQuery, Segment};
use counterline_loyalty::rfm;

use crate::{add_member, fixture, order, sync, DAY, T0};

#[tokio::test]
async fn each_widget_follows_its_definition_week_by_week() {
    let f = fixture().await;
    add_member(&f.db, "a@example.com").await;
    add_member(&f.db, "b@example.com").await;
    add_member(&f.db, "c@example.com").await; // never orders
    sync(
        &f.db,
        f.shop,
        &[
            order("0", Some("a@example.com"), -40, 2_000), // before the range
            order("1", Some("a@example.com"), 0, 10_000),  // Fri 1 March 2024
            order("2", Some("b@example.com"), 5, 30_000),  // Wed 6 March: B reaches Silver
            order("3", Some("a@example.com"), 10, 5_000),  // Mon 11 March: A's second in range
            order("4", None, 6, 99_900),                   // no member: not in any figure
        ],
    )
    .await;
    let mut conn = f.db.conn().await.unwrap();
    rfm::recompute(&mut conn, T0 + 12 * DAY).await.unwrap();
    let got = insights(&mut conn, &InsightsQuery { from: T0, to: T0 + 14 * DAY, bucket: Some(Bucket::Week) }).await.unwrap();

    let ends: Vec<i64> = got.repeat_purchase_rate.iter().map(|p| (p.end - T0) / DAY).collect();
    assert_eq!(ends, vec![3, 10, 14], "Monday weeks, clipped to the range");
    let rates: Vec<(i64, i64, f64)> = got.repeat_purchase_rate.iter().map(|p| (p.repeaters, p.buyers, p.rate)).collect();
    assert_eq!(rates, vec![(0, 1, 0.0), (0, 2, 0.0), (1, 2, 0.5)], "cumulative within the range; A's order before it doesn't make her a repeater early");
    let spend: Vec<(i64, i64)> = got.spend_per_member.iter().map(|p| (p.amount_minor, p.members)).collect();
    assert_eq!(spend, vec![(10_000, 1), (30_000, 1), (5_000, 1)]);
    let ltv: Vec<(i64, i64)> = got.lifetime_value.iter().map(|p| (p.amount_minor, p.members)).collect();
    assert_eq!(ltv, vec![(12_000, 1), (21_000, 2), (23_500, 2)], "everything spent so far ÷ members who have ordered");
    let silver: Vec<i64> = got.members_by_tier.iter().map(|p| p.counts.iter().find(|c| c.tier.as_deref() == Some("Silver")).unwrap().members).collect();
    assert_eq!(silver, vec![0, 1, 1]);
    assert_eq!(got.members_by_tier[0].counts[0].members, 3, "everyone else has no tier");
    assert_eq!(got.members_by_segment.len(), 1, "one recompute, one point");
    let counts = &got.members_by_segment[0].counts;
    let of = |s: Segment| counts.iter().find(|c| c.segment == s).unwrap().members;
    assert_eq!((of(Segment::NeedsAttention), of(Segment::Inactive)), (1, 1), "A scores R3 F3, B R1 F1");
    assert_eq!(got.definitions.len(), 5);
    assert_eq!(got.definitions[0].title, "Repeat purchase rate");
}

#[tokio::test]
async fn an_empty_or_backwards_range_is_refused_and_an_empty_shop_is_all_zeros() {
    let f = fixture().await;
    let mut conn = f.db.conn().await.unwrap();
    assert!(insights(&mut conn, &InsightsQuery { from: T0, to: T0, bucket: None }).await.is_err());
    let got = insights(&mut conn, &InsightsQuery { from: T0, to: T0 + 400 * DAY, bucket: None }).await.unwrap();
    assert_eq!(got.bucket, Bucket::Month, "over a year picks months");
    assert!(got.lifetime_value.iter().all(|p| p.amount_minor == 0 && p.members == 0));
}
