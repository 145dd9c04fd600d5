//! The loyalty rules the merchant configures (Settings › Loyalty): program
//! currency and rates, what spend counts, earning, tiers and punch cards.
//! Stored as one JSON document in `loyalty_settings`; defaults until saved.

use serde::{Deserialize, Serialize};
use sqlx::SqliteConnection;
use ts_rs::TS;

use crate::{Error, Result};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct LoyaltySettings {
    // ISO 4217 code every loyalty figure is in.
    pub currency: String,
    // How other currencies convert; a currency with no rate doesn't count.
    pub rates: Vec<CurrencyRate>,
    pub spend_base: SpendBase,
    pub earning: EarningRule,
    pub tiers: TierRules,
    pub punch_cards: Vec<PunchCard>,
}

// 1 unit of `currency` is worth `rate_ppm / 1,000,000` units of the program currency.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct CurrencyRate {
    pub currency: String,
    #[ts(type = "number")]
    pub rate_ppm: i64,
}

// What part of an order counts as spend. (Plain comments on the exported
// types: the UI's bindings carry no doc comments, so both sides generate the
// same files.)
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum SpendBase {
    // The items after discounts: no tax, no shipping (the order's subtotal).
    Subtotal,
    // What the customer paid: after discounts, with tax and shipping.
    Total,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct EarningRule {
    pub enabled: bool,
    // Credit is earned per whole step of spend (floor).
    #[ts(type = "number")]
    pub spend_step_minor: i64,
    #[ts(type = "number")]
    pub credit_per_step_minor: i64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum TierBasis {
    Lifetime,
    Rolling12Months,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum TierDowngrade {
    /// A tier reached is kept as time passes (refunds can still take it back).
    Never,
    /// The tier follows the basis spend, dropping as orders age out.
    WhenSpendFalls,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Tier {
    pub name: String,
    #[ts(type = "number")]
    pub threshold_minor: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct TierRules {
    pub basis: TierBasis,
    pub downgrade: TierDowngrade,
    // Ascending thresholds.
    pub tiers: Vec<Tier>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct PunchCard {
    // 0 for a new card; assigned on save.
    #[ts(type = "number")]
    pub id: i64,
    pub name: String,
    #[ts(type = "number")]
    pub stamps_required: i64,
    pub reward: String,
    // Empty: every counted purchase stamps. Otherwise only orders with a
    // line whose SKU maps to one of these categories.
    pub categories: Vec<String>,
    pub active: bool,
}

impl Default for LoyaltySettings {
    fn default() -> LoyaltySettings {
        let tier = |name: &str, threshold_minor| Tier { name: name.into(), threshold_minor };
        LoyaltySettings {
            currency: "USD".into(),
            rates: Vec::new(),
            spend_base: SpendBase::Subtotal,
            earning: EarningRule { enabled: true, spend_step_minor: 1_000, credit_per_step_minor: 100 },
            tiers: TierRules {
                basis: TierBasis::Lifetime,
                downgrade: TierDowngrade::Never,
                tiers: vec![tier("Silver", 25_000), tier("Gold", 100_000), tier("Platinum", 250_000)],
            },
            punch_cards: vec![PunchCard {
                id: 1,
                name: "Purchase card".into(),
                stamps_required: 10,
                reward: "10% off the next order".into(),
                categories: Vec::new(),
                active: true,
            }],
        }
    }
}

fn currency_code_ok(code: &str) -> bool {
    code.len() == 3 && code.bytes().all(|b| b.is_ascii_uppercase())
}

impl LoyaltySettings {
    /// Checks what the merchant entered and gives new punch cards ids; the
    /// message says what to fix.
    pub fn validated(mut self, previous: &LoyaltySettings) -> Result<LoyaltySettings> {
        let invalid = |m: &str| Err(Error::Invalid(m.to_owned()));
        self.currency = self.currency.trim().to_uppercase();
        if !currency_code_ok(&self.currency) {
            return invalid("Enter a currency code like USD.");
        }
        for rate in &mut self.rates {
            rate.currency = rate.currency.trim().to_uppercase();
            if !currency_code_ok(&rate.currency) {
                return invalid("Enter each rate's currency as a code like EUR.");
            }
            if rate.rate_ppm <= 0 {
                return invalid("A rate must be more than zero.");
            }
        }
        if self.earning.spend_step_minor <= 0 {
            return invalid("The spend step must be more than zero.");
        }
        if self.earning.credit_per_step_minor < 0 {
            return invalid("The credit per step can't be negative.");
        }
        for tier in &mut self.tiers.tiers {
            tier.name = tier.name.trim().to_owned();
        }
        let mut last: Option<&Tier> = None;
        for (i, tier) in self.tiers.tiers.iter().enumerate() {
            if tier.name.is_empty() || self.tiers.tiers_named_before(i, &tier.name) {
                return invalid("Tier names must be unique and not empty.");
            }
            let floor = last.map_or(0, |t| t.threshold_minor);
            if tier.threshold_minor <= floor {
                let amount = |minor| format!("{} {}", format_minor(minor, &self.currency), self.currency);
                return Err(Error::Invalid(match last {
                    None => format!("Tier thresholds must go up: {} needs a threshold above zero.", tier.name),
                    Some(before) => format!(
                        "Tier thresholds must go up: {} ({}) must be more than {} ({}).",
                        tier.name,
                        amount(tier.threshold_minor),
                        before.name,
                        amount(before.threshold_minor)
                    ),
                }));
            }
            last = Some(tier);
        }
        let mut next_id = previous.punch_cards.iter().chain(&self.punch_cards).map(|c| c.id).max().unwrap_or(0) + 1;
        for card in &mut self.punch_cards {
            card.name = card.name.trim().to_owned();
            card.reward = card.reward.trim().to_owned();
            if card.name.is_empty() || card.reward.is_empty() {
                return invalid("Give the punch card a name and a reward.");
            }
            if card.stamps_required < 2 {
                return invalid("A punch card needs at least 2 stamps.");
            }
            if card.stamps_required > 1_000 {
                return invalid("A punch card can have at most 1,000 stamps.");
            }
            card.categories = card.categories.iter().map(|c| c.trim().to_owned()).filter(|c| !c.is_empty()).collect();
            if card.id <= 0 {
                card.id = next_id;
                next_id += 1;
            }
        }
        Ok(self)
    }

    /// The program-currency value of `amount_minor` in `currency`, or `None`
    /// when that currency has no rate. Floors, so spend is never overstated.
    pub fn convert(&self, amount_minor: i64, currency: &str) -> Option<i64> {
        if currency == self.currency {
            return Some(amount_minor);
        }
        let rate = self.rates.iter().find(|r| r.currency == currency)?;
        let shift = minor_digits(&self.currency) as i32 - minor_digits(currency) as i32;
        let mut value = amount_minor as i128 * rate.rate_ppm as i128;
        let mut divisor: i128 = 1_000_000;
        if shift >= 0 {
            value *= 10i128.pow(shift as u32);
        } else {
            divisor *= 10i128.pow((-shift) as u32);
        }
        Some(value.div_euclid(divisor) as i64)
    }

    /// Whether any active card needs line categories.
    pub fn uses_categories(&self) -> bool {
        self.punch_cards.iter().any(|c| c.active && !c.categories.is_empty())
    }
}

impl TierRules {
    fn tiers_named_before(&self, index: usize, name: &str) -> bool {
        self.tiers[..index].iter().any(|t| t.name.eq_ignore_ascii_case(name))
    }
}

/// ISO 4217 minor-unit exponent (the same table as the channel adapters').
pub fn minor_digits(currency: &str) -> u32 {
    match currency {
        "BIF" | "CLP" | "DJF" | "GNF" | "ISK" | "JPY" | "KMF" | "KRW" | "PYG" | "RWF" | "UGX" | "UYI" | "VND"
        | "VUV" | "XAF" | "XOF" | "XPF" => 0,
        "BHD" | "IQD" | "JOD" | "KWD" | "LYD" | "OMR" | "TND" => 3,
        "CLF" | "UYW" => 4,
        _ => 2,
    }
}

/// `12345` in USD → `"123.45"`, for reasons and exports.
pub fn format_minor(amount_minor: i64, currency: &str) -> String {
    let digits = minor_digits(currency);
    let sign = if amount_minor < 0 { "-" } else { "" };
    let abs = amount_minor.unsigned_abs();
    if digits == 0 {
        return format!("{sign}{abs}");
    }
    let scale = 10u64.pow(digits);
    format!("{sign}{}.{:0width$}", abs / scale, abs % scale, width = digits as usize)
}

pub async fn load(conn: &mut SqliteConnection) -> Result<LoyaltySettings> {
    let stored: Option<String> = sqlx::query_scalar("SELECT settings FROM loyalty_settings WHERE id = 1")
        .fetch_optional(&mut *conn)
        .await?;
    match stored {
        None => Ok(LoyaltySettings::default()),
        Some(json) => serde_json::from_str(&json).map_err(|e| Error::Corrupt(format!("loyalty settings: {e}"))),
    }
}

/// Saves validated settings. The caller recomputes every member (see
/// [`crate::apply::recompute_all`]) in the same transaction.
pub async fn store(conn: &mut SqliteConnection, settings: &LoyaltySettings) -> Result<()> {
    let json = serde_json::to_string(settings).map_err(|e| Error::Corrupt(e.to_string()))?;
    sqlx::query(
        "INSERT INTO loyalty_settings (id, settings, updated_at) VALUES (1, ?, ?)
         ON CONFLICT (id) DO UPDATE SET settings = excluded.settings, updated_at = excluded.updated_at",
    )
    .bind(json)
    .bind(counterline_store::now_ms())
    .execute(&mut *conn)
    .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_rate_converts_between_currencies_with_different_minor_units() {
        let mut settings = LoyaltySettings::default();
        settings.rates.push(CurrencyRate { currency: "EUR".into(), rate_ppm: 1_080_000 });
        settings.rates.push(CurrencyRate { currency: "JPY".into(), rate_ppm: 6_700 });
        assert_eq!(settings.convert(10_000, "EUR"), Some(10_800), "100.00 EUR at 1.08 is 108.00 USD");
        assert_eq!(settings.convert(10_000, "JPY"), Some(6_700), "10,000 yen at 0.0067 is 67.00 USD");
        assert_eq!(settings.convert(500, "USD"), Some(500), "the program currency converts to itself");
        assert_eq!(settings.convert(500, "CAD"), None, "a currency with no rate does not count");
    }

    #[test]
    fn validation_rejects_tiers_that_do_not_go_up_and_names_new_cards() {
        let defaults = LoyaltySettings::default();
        let mut settings = defaults.clone();
        settings.tiers.tiers[1].threshold_minor = 100;
        assert!(matches!(settings.validated(&defaults), Err(Error::Invalid(m)) if m.contains("go up")));
        let mut settings = defaults.clone();
        settings.punch_cards.push(PunchCard { id: 0, name: " Coffee ".into(), stamps_required: 8, reward: "A coffee".into(), categories: vec![" Drinks ".into()], active: true });
        let saved = settings.validated(&defaults).expect("valid");
        assert_eq!(saved.punch_cards[1].id, 2, "a new card gets the next free id");
        assert_eq!(saved.punch_cards[1].name, "Coffee");
        assert_eq!(saved.punch_cards[1].categories, vec!["Drinks".to_owned()]);
    }

    #[test]
    fn amounts_format_with_the_currency_minor_units() {
        assert_eq!(format_minor(51_200, "USD"), "512.00");
        assert_eq!(format_minor(-5, "USD"), "-0.05");
        assert_eq!(format_minor(1_200, "JPY"), "1200");
    }
}
