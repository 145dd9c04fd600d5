//! Money as integer cents, and its rendering as Shopify's `Decimal` scalar
//! ([`decimal`]) and as fixed-point strings ([`fixed`]: BigCommerce's
//! `"25.0000"`, WooCommerce's `"25.00"`).
//!
//! Floats never touch an amount: every total is a sum of integer cents, so the
//! sandbox's totals add up exactly and a client that parses them as decimals
//! sees the same sums. [`allocate`] splits an order-level amount (a discount,
//! the tax) over lines so the parts add up to the whole.

/// Currencies the sandbox sells in. Shopify shops keep their books in USD
/// and present CAD and EUR at checkout; BigCommerce stores, WooCommerce
/// sites and the Lightspeed retailers each sell in the one currency they are
/// configured with (NZD and AUD are there for X-Series, born in New Zealand;
/// CHF for K-Series, born in Geneva as iKentoo).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Currency {
    Usd,
    Cad,
    Eur,
    Nzd,
    Aud,
    Chf,
}

impl Currency {
    /// `USD`, `cad`, ` Eur ` → the currency; `None` for any other code.
    pub fn from_code(code: &str) -> Option<Currency> {
        match code.trim().to_ascii_uppercase().as_str() {
            "USD" => Some(Currency::Usd),
            "CAD" => Some(Currency::Cad),
            "EUR" => Some(Currency::Eur),
            "NZD" => Some(Currency::Nzd),
            "AUD" => Some(Currency::Aud),
            "CHF" => Some(Currency::Chf),
            _ => None,
        }
    }

    /// The symbol a storefront shows (WooCommerce's `currency_symbol`).
    pub fn symbol(self) -> &'static str {
        match self {
            Currency::Usd | Currency::Cad | Currency::Nzd | Currency::Aud => "$",
            Currency::Eur => "€",
            Currency::Chf => "CHF",
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Currency::Usd => "USD",
            Currency::Cad => "CAD",
            Currency::Eur => "EUR",
            Currency::Nzd => "NZD",
            Currency::Aud => "AUD",
            Currency::Chf => "CHF",
        }
    }

    /// Units of this currency per 1 USD, in millionths. Fixed, so conversions
    /// are reproducible; roughly the 2025–2026 rates.
    fn per_usd_millionths(self) -> i64 {
        match self {
            Currency::Usd => 1_000_000,
            Currency::Cad => 1_370_000,
            Currency::Eur => 920_000,
            Currency::Nzd => 1_680_000,
            Currency::Aud => 1_530_000,
            Currency::Chf => 800_000,
        }
    }

    /// Converts non-negative USD cents to this currency's cents, rounding half up.
    pub fn convert_from_usd(self, usd_cents: i64) -> i64 {
        let scaled = i128::from(usd_cents) * i128::from(self.per_usd_millionths());
        let rounded = (scaled + 500_000).div_euclid(1_000_000);
        i64::try_from(rounded).unwrap_or(i64::MAX)
    }
}

/// Renders cents the way Shopify's `Decimal` scalar serialises: no trailing
/// zeros beyond one fractional digit (`2500` → `"25.0"`, `1250` → `"12.5"`,
/// `1099` → `"10.99"`).
pub fn decimal(cents: i64) -> String {
    let sign = if cents < 0 { "-" } else { "" };
    let abs = cents.unsigned_abs();
    let (whole, frac) = (abs / 100, abs % 100);
    if frac % 10 == 0 {
        format!("{sign}{whole}.{}", frac / 10)
    } else {
        format!("{sign}{whole}.{frac:02}")
    }
}

/// Cents as a fixed-point string with `places` (≥ 2) decimals:
/// `fixed(2500, 4)` → `"25.0000"`, `fixed(-150, 2)` → `"-1.50"`.
pub fn fixed(cents: i64, places: usize) -> String {
    let sign = if cents < 0 { "-" } else { "" };
    let abs = cents.unsigned_abs();
    let zeros = "0".repeat(places.saturating_sub(2));
    format!("{sign}{}.{:02}{zeros}", abs / 100, abs % 100)
}

/// Hundredths of a cent as a four-place string (`5333` → `"0.5333"`), for
/// BigCommerce's per-unit prices, which can fall between cents.
pub fn fixed4_from_hundredths(hundredths_of_cents: i64) -> String {
    let sign = if hundredths_of_cents < 0 { "-" } else { "" };
    let abs = hundredths_of_cents.unsigned_abs();
    format!("{sign}{}.{:04}", abs / 10_000, abs % 10_000)
}

/// Splits `total` over `weights` in proportion, rounding down and giving
/// what rounding left over to the last non-zero weight, so the parts always
/// sum to `total`. All zero weights: everything goes to the last part.
pub fn allocate(total: i64, weights: &[i64]) -> Vec<i64> {
    let sum: i128 = weights.iter().map(|&w| i128::from(w.max(0))).sum();
    let mut parts: Vec<i64> = weights
        .iter()
        .map(|&w| {
            if sum == 0 {
                0
            } else {
                i64::try_from(i128::from(total) * i128::from(w.max(0)) / sum).unwrap_or(0)
            }
        })
        .collect();
    let rest = total - parts.iter().sum::<i64>();
    let last = weights
        .iter()
        .rposition(|&w| w > 0)
        .or_else(|| parts.len().checked_sub(1));
    if let Some(i) = last {
        parts[i] += rest;
    }
    parts
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimals_look_like_shopify_decimal_scalars() {
        assert_eq!(decimal(2500), "25.0");
        assert_eq!(decimal(1250), "12.5");
        assert_eq!(decimal(1099), "10.99");
        assert_eq!(decimal(5), "0.05");
        assert_eq!(decimal(0), "0.0");
        assert_eq!(decimal(-150), "-1.5");
    }

    #[test]
    fn fixed_point_strings_and_allocation() {
        assert_eq!(fixed(2500, 4), "25.0000");
        assert_eq!(fixed(1099, 2), "10.99");
        assert_eq!(fixed(5, 2), "0.05");
        assert_eq!(fixed(-150, 2), "-1.50");
        assert_eq!(fixed4_from_hundredths(5333), "0.5333");
        assert_eq!(fixed4_from_hundredths(123_456), "12.3456");
        assert_eq!(allocate(100, &[1, 1, 1]), vec![33, 33, 34]);
        assert_eq!(allocate(7, &[0, 10, 0]), vec![0, 7, 0]);
        assert_eq!(allocate(5, &[0, 0]), vec![0, 5]);
        assert_eq!(allocate(0, &[]), Vec::<i64>::new());
        assert_eq!(Currency::from_code(" eur "), Some(Currency::Eur));
        assert_eq!(Currency::from_code("GBP"), None);
        assert_eq!(Currency::from_code("nzd"), Some(Currency::Nzd));
        assert_eq!(Currency::Aud.code(), "AUD");
    }

    #[test]
    fn conversion_rounds_half_up() {
        assert_eq!(Currency::Usd.convert_from_usd(1234), 1234);
        assert_eq!(Currency::Cad.convert_from_usd(100), 137);
        assert_eq!(Currency::Eur.convert_from_usd(1), 1);
    }
}
