//! Decimal amounts from platform APIs to integer minor units, exactly. Money
//! never passes through a float.

/// ISO 4217 minor-unit exponent. Most currencies use 2; these are the
/// exceptions in active use.
pub fn minor_digits(currency: &str) -> u32 {
    match currency {
        "BIF" | "CLP" | "DJF" | "GNF" | "ISK" | "JPY" | "KMF" | "KRW" | "PYG" | "RWF" | "UGX"
        | "UYI" | "VND" | "VUV" | "XAF" | "XOF" | "XPF" => 0,
        "BHD" | "IQD" | "JOD" | "KWD" | "LYD" | "OMR" | "TND" => 3,
        "CLF" | "UYW" => 4,
        _ => 2,
    }
}

/// Parses `"12.5"`, `"-3"`, `"10.990"` into minor units of `currency`.
/// Digits beyond the currency's precision must be zero: silently rounding
/// would make totals disagree with the channel.
pub fn parse_minor(amount: &str, currency: &str) -> Result<i64, String> {
    let digits = minor_digits(currency) as usize;
    let text = amount.trim();
    let (negative, unsigned) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    let (whole, fraction) = unsigned.split_once('.').unwrap_or((unsigned, ""));
    let valid = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if whole.is_empty() || !valid(whole) || !valid(fraction) {
        return Err(format!("{amount:?} is not a decimal amount"));
    }
    let (kept, dropped) = fraction.split_at(fraction.len().min(digits));
    if dropped.bytes().any(|b| b != b'0') {
        return Err(format!("{amount:?} has more precision than {currency} allows"));
    }
    let mut value: i64 = whole.parse().map_err(|_| format!("{amount:?} is out of range"))?;
    for i in 0..digits {
        let digit = kept.as_bytes().get(i).map_or(0, |b| (b - b'0') as i64);
        value = value
            .checked_mul(10)
            .and_then(|v| v.checked_add(digit))
            .ok_or_else(|| format!("{amount:?} is out of range"))?;
    }
    Ok(if negative { -value } else { value })
}

#[cfg(test)]
mod tests {
    use super::parse_minor;

    #[test]
    fn amounts_become_exact_minor_units_per_currency() {
        assert_eq!(parse_minor("25.0", "USD"), Ok(2500));
        assert_eq!(parse_minor("12.5", "USD"), Ok(1250));
        assert_eq!(parse_minor("10.99", "EUR"), Ok(1099));
        assert_eq!(parse_minor("1500", "JPY"), Ok(1500), "yen has no minor unit");
        assert_eq!(parse_minor("1.234", "KWD"), Ok(1234), "dinar has three");
        assert_eq!(parse_minor("-3.10", "USD"), Ok(-310));
        assert_eq!(parse_minor("0.1", "USD"), Ok(10), "0.1 must not become 9 via floats");
        assert_eq!(parse_minor("4.500", "USD"), Ok(450), "trailing zeros beyond precision are fine");
    }

    #[test]
    fn unreadable_or_over_precise_amounts_are_errors() {
        assert!(parse_minor("4.505", "USD").is_err(), "rounding would lose money silently");
        assert!(parse_minor("abc", "USD").is_err());
        assert!(parse_minor("", "USD").is_err());
        assert!(parse_minor("1e3", "USD").is_err());
        assert!(parse_minor("99999999999999999999", "USD").is_err());
    }
}

/// A JSON number (or numeric string) in major units to minor units, exactly:
/// the number's shortest decimal text is parsed, never float arithmetic.
/// `null` is zero.
pub fn json_minor(value: &serde_json::Value, currency: &str) -> Result<i64, String> {
    match value {
        serde_json::Value::Number(n) => parse_minor(&n.to_string(), currency),
        serde_json::Value::String(s) => parse_minor(s, currency),
        serde_json::Value::Null => Ok(0),
        other => Err(format!("amount {other} is not a number")),
    }
}
