//! Money as integer cents, and its rendering as Shopify's `Decimal` scalar.
//!
//! Floats never touch an amount: every total is a sum of integer cents, so the
//! sandbox's totals add up exactly and a client that parses them as decimals
//! sees the same sums.

/// Currencies the sandbox sells in. The shop's own currency is always USD;
/// the others are presentment currencies shoppers see at checkout.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Currency {
    Usd,
    Cad,
    Eur,
}

impl Currency {
    pub fn code(self) -> &'static str {
        match self {
            Currency::Usd => "USD",
            Currency::Cad => "CAD",
            Currency::Eur => "EUR",
        }
    }

    /// Units of this currency per 1 USD, in millionths. Fixed, so conversions
    /// are reproducible; roughly the 2025–2026 rates.
    fn per_usd_millionths(self) -> i64 {
        match self {
            Currency::Usd => 1_000_000,
            Currency::Cad => 1_370_000,
            Currency::Eur => 920_000,
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
    fn conversion_rounds_half_up() {
        assert_eq!(Currency::Usd.convert_from_usd(1234), 1234);
        assert_eq!(Currency::Cad.convert_from_usd(100), 137);
        assert_eq!(Currency::Eur.convert_from_usd(1), 1);
    }
}
