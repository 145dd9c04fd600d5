//! Every rule on its own, as pure functions.

use counterline_loyalty::rules::{figures, rewards, tier_walk, Counted, OrderFacts, SpendEvent, YEAR_MS};
use counterline_loyalty::settings::{CurrencyRate, LoyaltySettings, PunchCard, SpendBase, TierBasis, TierDowngrade};
use counterline_store::model::OrderStatus;

fn facts(total_minor: i64) -> OrderFacts {
    OrderFacts {
        id: 1,
        created_at: 1_000,
        updated_at: 2_000,
        status: OrderStatus::Processing,
        currency: "USD".into(),
        total_minor,
        subtotal_minor: total_minor,
        refunded_minor: 0,
        categories: Vec::new(),
    }
}

#[test]
fn earning_is_one_credit_per_ten_spent_rounded_down() {
    let got = figures(&facts(10_500), &LoyaltySettings::default());
    assert_eq!(got.earned_minor, 1_000, "105.00 spent earns 10.00, not 10.50 (floor, as Square's SPEND rule)");
    assert_eq!(got.reversed_minor, 0);
    assert_eq!(got.spend_minor, 10_500);
    assert_eq!(got.counted, Counted::Yes);
    assert_eq!(got.stamp_cards, vec![1], "the default card stamps every purchase");
}

#[test]
fn spend_is_the_subtotal_by_default_and_the_total_when_the_merchant_says_so() {
    let order = OrderFacts { subtotal_minor: 10_000, ..facts(11_500) };
    let got = figures(&order, &LoyaltySettings::default());
    assert_eq!(got.spend_minor, 10_000, "115.00 paid on 100.00 of items counts 100.00: tax and shipping left out");
    assert_eq!(got.earned_minor, 1_000);
    let settings = LoyaltySettings { spend_base: SpendBase::Total, ..LoyaltySettings::default() };
    let got = figures(&order, &settings);
    assert_eq!(got.spend_minor, 11_500, "with the total basis, what the customer paid counts");
    assert_eq!(got.earned_minor, 1_100);
}

#[test]
fn a_refund_takes_its_share_of_the_subtotal_base() {
    let order = OrderFacts { subtotal_minor: 8_000, refunded_minor: 5_000, ..facts(10_000) };
    let got = figures(&order, &LoyaltySettings::default());
    assert_eq!(got.spend_minor, 4_000, "half the total refunded takes half the 80.00 subtotal");
    assert_eq!(got.reversed_minor, 400, "and half the 8.00 earned");
}

#[test]
fn a_partial_refund_reverses_the_same_share_of_credit_and_spend() {
    let got = figures(&OrderFacts { refunded_minor: 2_500, ..facts(10_000) }, &LoyaltySettings::default());
    assert_eq!(got.earned_minor, 1_000, "the earn entry stays what the purchase earned");
    assert_eq!(got.reversed_minor, 250, "a quarter refunded takes back a quarter of the credit");
    assert_eq!(got.spend_minor, 7_500);
    assert_eq!(got.counted, Counted::Yes, "a partly refunded order is still a purchase");
    assert!(got.reversal_reason.contains("25.00 of 100.00 USD refunded"), "{}", got.reversal_reason);
}

#[test]
fn a_full_refund_or_cancellation_takes_everything_back() {
    for order in [
        OrderFacts { refunded_minor: 10_000, ..facts(10_000) },
        OrderFacts { status: OrderStatus::Cancelled, ..facts(10_000) },
        OrderFacts { status: OrderStatus::Returned, ..facts(10_000) },
    ] {
        let got = figures(&order, &LoyaltySettings::default());
        assert_eq!(got.reversed_minor, got.earned_minor, "{order:?}: all its credit is reversed");
        assert_eq!(got.spend_minor, 0);
        assert_eq!(got.counted, Counted::No, "it is no longer a purchase");
        assert!(got.stamp_cards.is_empty(), "and loses its stamp");
    }
}

#[test]
fn a_refund_reported_above_the_total_reverses_no_more_than_was_earned() {
    let got = figures(&OrderFacts { refunded_minor: 99_999, ..facts(10_000) }, &LoyaltySettings::default());
    assert_eq!(got.reversed_minor, 1_000);
    assert_eq!(got.spend_minor, 0);
}

#[test]
fn a_currency_without_a_rate_counts_for_nothing_and_a_rate_converts() {
    let order = OrderFacts { currency: "EUR".into(), ..facts(10_000) };
    let got = figures(&order, &LoyaltySettings::default());
    assert_eq!(got.counted, Counted::OtherCurrency);
    assert_eq!((got.spend_minor, got.earned_minor), (0, 0));
    let mut settings = LoyaltySettings::default();
    settings.rates.push(CurrencyRate { currency: "EUR".into(), rate_ppm: 1_100_000 });
    let got = figures(&order, &settings);
    assert_eq!(got.spend_minor, 11_000, "100.00 EUR at 1.10 is 110.00 USD");
    assert_eq!(got.earned_minor, 1_100);
}

#[test]
fn a_pos_return_sale_takes_back_spend_and_credit() {
    let got = figures(&facts(-5_000), &LoyaltySettings::default());
    assert_eq!(got.spend_minor, -5_000);
    assert_eq!(got.earned_minor, 0);
    assert_eq!(got.reversed_minor, 500, "returning 50.00 takes back the 5.00 it earned");
    assert_eq!(got.counted, Counted::No, "a return is not a purchase");
}

#[test]
fn a_category_card_stamps_only_orders_with_an_item_in_its_categories() {
    let mut settings = LoyaltySettings::default();
    settings.punch_cards.push(PunchCard {
        id: 2,
        name: "Coffee".into(),
        stamps_required: 8,
        reward: "A coffee".into(),
        categories: vec!["Drinks".into()],
        active: true,
    });
    assert_eq!(figures(&facts(500), &settings).stamp_cards, vec![1], "no drink: only the general card");
    let drink = OrderFacts { categories: vec!["Drinks".into()], ..facts(500) };
    assert_eq!(figures(&drink, &settings).stamp_cards, vec![1, 2]);
    settings.punch_cards[1].active = false;
    assert_eq!(figures(&drink, &settings).stamp_cards, vec![1], "an inactive card stamps nothing");
}

#[test]
fn disabled_earning_earns_nothing() {
    let mut settings = LoyaltySettings::default();
    settings.earning.enabled = false;
    assert_eq!(figures(&facts(50_000), &settings).earned_minor, 0);
}

fn events(list: &[(i64, i64)]) -> Vec<SpendEvent> {
    list.iter().enumerate().map(|(i, &(at, spend_minor))| SpendEvent { at, order_id: i as i64 + 1, spend_minor }).collect()
}

#[test]
fn a_member_moves_up_when_an_order_crosses_a_threshold_and_history_says_why() {
    let settings = LoyaltySettings::default(); // Silver 250, Gold 1,000, Platinum 2,500
    let (tier, steps) = tier_walk(&events(&[(10, 20_000), (20, 10_000), (30, 80_000)]), &settings, i64::MAX);
    assert_eq!(tier, Some(1), "1,100.00 lifetime is Gold");
    assert_eq!(steps.len(), 2);
    assert_eq!((steps[0].at, steps[0].from, steps[0].to, steps[0].order_id), (20, None, Some(0), Some(2)));
    assert_eq!(steps[0].reason, "Lifetime spend reached 300.00 USD, past Silver's 250.00.");
    assert_eq!((steps[1].from, steps[1].to, steps[1].order_id), (Some(0), Some(1), Some(3)));
}

#[test]
fn one_big_order_can_skip_a_tier() {
    let (tier, steps) = tier_walk(&events(&[(10, 300_000)]), &LoyaltySettings::default(), i64::MAX);
    assert_eq!(tier, Some(2));
    assert_eq!((steps[0].from, steps[0].to), (None, Some(2)), "straight to Platinum in one change");
}

#[test]
fn rolling_tiers_drop_as_orders_age_out_only_when_the_policy_says_so() {
    let mut settings = LoyaltySettings::default();
    settings.tiers.basis = TierBasis::Rolling12Months;
    let history = events(&[(0, 30_000)]);
    let (kept, steps) = tier_walk(&history, &settings, 2 * YEAR_MS);
    assert_eq!((kept, steps.len()), (Some(0), 1), "never: Silver stays after the order leaves the window");
    settings.tiers.downgrade = TierDowngrade::WhenSpendFalls;
    let (dropped, steps) = tier_walk(&history, &settings, 2 * YEAR_MS);
    assert_eq!(dropped, None, "whenSpendFalls: a year later the 12-month spend is 0");
    assert_eq!((steps[1].at, steps[1].from, steps[1].to, steps[1].order_id), (YEAR_MS, Some(0), None, None));
    assert!(steps[1].reason.starts_with("12-month spend fell to 0.00 USD, below Silver's"), "{}", steps[1].reason);
    let (not_yet, _) = tier_walk(&history, &settings, YEAR_MS - 1);
    assert_eq!(not_yet, Some(0), "until a year has passed the order still counts");
}

#[test]
fn a_return_sale_lowers_lifetime_spend_only_under_when_spend_falls() {
    let mut settings = LoyaltySettings::default();
    let history = events(&[(0, 30_000), (5, -10_000)]);
    assert_eq!(tier_walk(&history, &settings, i64::MAX).0, Some(0), "never: the tier reached is kept");
    settings.tiers.downgrade = TierDowngrade::WhenSpendFalls;
    assert_eq!(tier_walk(&history, &settings, i64::MAX).0, None);
}

#[test]
fn every_nth_stamp_issues_a_reward() {
    let stamps: Vec<(i64, i64)> = (1..=7).map(|i| (i * 10, i)).collect();
    assert_eq!(rewards(&stamps, 3), vec![(1, 3, 30), (2, 6, 60)], "the 3rd and 6th stamps fill a card");
    assert!(rewards(&stamps[..2], 3).is_empty());
}
