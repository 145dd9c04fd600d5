//! Shopify's search syntax for the `query` argument of `orders`.
//!
//! Supported: `field:value` terms separated by spaces or `AND` (all must
//! match), `-field:value` / `NOT field:value` to exclude, values quoted with
//! `'` or `"` or bare, and comparators `>`, `>=`, `<`, `<=` on `updated_at`,
//! `created_at`, `processed_at` (RFC 3339 or a date) and `id`. Also
//! `financial_status`, `fulfillment_status`, `status`, `email`, `name`, `tag`,
//! `customer_id`, and bare words (matched against the order name and email).
//!
//! As on Shopify, a term the search doesn't understand is ignored rather
//! than failing the query; it is reported as a warning (`extensions.search`).
//! `OR` is not supported and is reported the same way.

use crate::data::clock::{self, DAY};
use crate::data::orders::{FinancialStatus, FulfillmentStatus, Order};
use crate::people::People;

/// A half-open range of unix seconds (or ids): `lo <= v < hi`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Range {
    pub lo: Option<i64>,
    pub hi: Option<i64>,
}

impl Range {
    fn narrow(&mut self, lo: Option<i64>, hi: Option<i64>) {
        if let Some(lo) = lo {
            self.lo = Some(self.lo.map_or(lo, |l| l.max(lo)));
        }
        if let Some(hi) = hi {
            self.hi = Some(self.hi.map_or(hi, |h| h.min(hi)));
        }
    }

    fn contains(&self, v: i64) -> bool {
        self.lo.is_none_or(|lo| v >= lo) && self.hi.is_none_or(|hi| v < hi)
    }
}

#[derive(Clone, Debug)]
enum Predicate {
    Financial(FinancialStatus),
    Fulfillment(Vec<FulfillmentStatus>),
    Open,
    Closed,
    Cancelled,
    Email(String),
    Name(String),
    Tag(String),
    CustomerIndex(u32),
    Text(String),
}

#[derive(Clone, Debug, Default)]
pub(crate) struct Search {
    pub updated: Range,
    pub created: Range,
    pub id: Range,
    predicates: Vec<(bool, Predicate)>,
    pub warnings: Vec<Warning>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Warning {
    pub field: String,
    pub message: String,
    pub code: &'static str,
}

/// Customer ids are `base + index`; the search needs the base to map back.
pub(crate) fn parse(query: &str, customer_id_base: u64) -> Search {
    let mut search = Search::default();
    let mut negate_next = false;
    for token in tokens(query) {
        match token.as_str() {
            "AND" => continue,
            "NOT" => {
                negate_next = true;
                continue;
            }
            "OR" => {
                search.warn(
                    "OR",
                    "OR is not supported by the sandbox; terms are combined with AND.",
                    "unsupported",
                );
                continue;
            }
            _ => {}
        }
        let (negated, term) = match token.strip_prefix('-') {
            Some(rest) if !rest.is_empty() => (true, rest.to_owned()),
            _ => (false, token.clone()),
        };
        let negated = negated ^ std::mem::take(&mut negate_next);
        search.term(&term, negated, customer_id_base);
    }
    search
}

/// Splits on whitespace outside quotes; strips the quotes and parentheses.
fn tokens(query: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current = String::new();
    let mut quote: Option<char> = None;
    for c in query.chars() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), c) => current.push(c),
            (None, '\'' | '"') => quote = Some(c),
            (None, '(' | ')') => {}
            (None, c) if c.is_whitespace() => {
                if !current.is_empty() {
                    out.push(std::mem::take(&mut current));
                }
            }
            (None, c) => current.push(c),
        }
    }
    if !current.is_empty() {
        out.push(current);
    }
    out
}

impl Search {
    fn warn(&mut self, field: &str, message: &str, code: &'static str) {
        self.warnings.push(Warning {
            field: field.to_owned(),
            message: message.to_owned(),
            code,
        });
    }

    fn term(&mut self, term: &str, negated: bool, customer_id_base: u64) {
        let Some((field, value)) = term.split_once(':') else {
            self.predicates
                .push((negated, Predicate::Text(term.to_lowercase())));
            return;
        };
        let field = field.to_ascii_lowercase();
        let lower = value.trim().to_lowercase();
        let predicate = match field.as_str() {
            "updated_at" | "created_at" | "processed_at" | "id" => {
                if negated {
                    self.warn(
                        &field,
                        "Negated range terms are not supported by the sandbox.",
                        "unsupported",
                    );
                } else if !self.range_term(&field, value) {
                    self.warn(
                        &field,
                        &format!("Invalid value for {field}: {value}"),
                        "invalid_value",
                    );
                }
                return;
            }
            "financial_status" => financial(&lower).map(Predicate::Financial),
            "fulfillment_status" => fulfillment(&lower).map(Predicate::Fulfillment),
            "status" => match lower.as_str() {
                "open" => Some(Predicate::Open),
                "closed" => Some(Predicate::Closed),
                "cancelled" => Some(Predicate::Cancelled),
                "any" => return,
                _ => None,
            },
            "email" => Some(Predicate::Email(lower)),
            "name" => Some(Predicate::Name(lower.trim_start_matches('#').to_owned())),
            "tag" => Some(Predicate::Tag(lower)),
            "customer_id" => lower
                .parse::<u64>()
                .ok()
                .and_then(|id| id.checked_sub(customer_id_base))
                .and_then(|i| u32::try_from(i).ok())
                .map(Predicate::CustomerIndex)
                .or(Some(Predicate::CustomerIndex(u32::MAX))),
            _ => {
                self.warn(
                    &field,
                    "Invalid search field for this query.",
                    "invalid_field",
                );
                return;
            }
        };
        match predicate {
            Some(p) => self.predicates.push((negated, p)),
            None => self.warn(
                &field,
                &format!("Invalid value for {field}: {value}"),
                "invalid_value",
            ),
        }
    }

    /// `updated_at:>=2026-05-23T00:00:00Z` and friends. Seconds are the
    /// resolution, so `> t` is `>= t+1`. A bare date without a comparator
    /// means that whole (UTC) day.
    fn range_term(&mut self, field: &str, value: &str) -> bool {
        let value = value.trim();
        let (op, rest) = [">=", "<=", ">", "<", "="]
            .iter()
            .find_map(|op| value.strip_prefix(op).map(|rest| (*op, rest)))
            .unwrap_or(("", value));
        let rest = rest.trim().trim_matches(|c| c == '\'' || c == '"');
        let (at, whole_day) = if field == "id" {
            match rest.rsplit('/').next().and_then(|n| n.parse::<i64>().ok()) {
                Some(id) => (id, false),
                None => return false,
            }
        } else {
            match clock::parse_instant(rest) {
                Some(t) => (t, rest.len() == 10),
                None => return false,
            }
        };
        let (lo, hi) = match op {
            ">=" => (Some(at), None),
            ">" => (Some(at + 1), None),
            "<=" => (None, Some(at + 1)),
            "<" => (None, Some(at)),
            _ if whole_day => (Some(at), Some(at + DAY)),
            _ => (Some(at), Some(at + 1)),
        };
        let range = match field {
            "updated_at" => &mut self.updated,
            "id" => &mut self.id,
            _ => &mut self.created, // created_at and processed_at are equal in the sandbox
        };
        range.narrow(lo, hi);
        true
    }

    /// Whether `order` matches every term.
    pub(crate) fn matches(&self, order: &Order, people: &People) -> bool {
        let id = i64::try_from(order.id).unwrap_or(i64::MAX);
        self.updated.contains(order.updated_at)
            && self.created.contains(order.created_at)
            && self.id.contains(id)
            && self
                .predicates
                .iter()
                .all(|(negated, p)| predicate(p, order, people) != *negated)
    }
}

fn predicate(p: &Predicate, order: &Order, people: &People) -> bool {
    let email = || {
        order
            .email
            .and_then(|(person, variant)| people.get(person).map(|p| variant.apply(&p.email)))
            .map(|e| e.trim().to_lowercase())
    };
    match p {
        Predicate::Financial(s) => order.financial == *s,
        Predicate::Fulfillment(any) => any.contains(&order.fulfillment),
        Predicate::Open => order.closed_at.is_none() && order.cancelled_at.is_none(),
        Predicate::Closed => order.closed_at.is_some(),
        Predicate::Cancelled => order.cancelled_at.is_some(),
        Predicate::Email(e) => email().is_some_and(|mine| &mine == e),
        Predicate::Name(n) => order.number.to_string() == *n,
        Predicate::Tag(t) => order.tag_names().any(|mine| mine == t),
        Predicate::CustomerIndex(i) => order.customer == Some(*i),
        Predicate::Text(t) => {
            let t = t.trim_start_matches('#');
            order.number.to_string() == t || email().is_some_and(|mine| mine.contains(t))
        }
    }
}

fn financial(value: &str) -> Option<FinancialStatus> {
    Some(match value {
        "pending" => FinancialStatus::Pending,
        "authorized" => FinancialStatus::Authorized,
        "paid" => FinancialStatus::Paid,
        "partially_paid" => FinancialStatus::PartiallyPaid,
        "partially_refunded" => FinancialStatus::PartiallyRefunded,
        "refunded" => FinancialStatus::Refunded,
        "voided" => FinancialStatus::Voided,
        _ => return None,
    })
}

fn fulfillment(value: &str) -> Option<Vec<FulfillmentStatus>> {
    use FulfillmentStatus::*;
    Some(match value {
        "shipped" | "fulfilled" => vec![Fulfilled],
        "unshipped" | "unfulfilled" => vec![Unfulfilled],
        "partial" | "partially_fulfilled" => vec![PartiallyFulfilled],
        "on_hold" => vec![OnHold],
        "restocked" => vec![Restocked],
        "any" => vec![
            Fulfilled,
            Unfulfilled,
            PartiallyFulfilled,
            OnHold,
            Restocked,
        ],
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_quoted_and_bare_time_comparisons() {
        let t = clock::parse_instant("2026-05-23T00:00:00Z").expect("valid time");
        let s = parse(
            "updated_at:>='2026-05-23T00:00:00Z' AND created_at:<2026-05-24",
            0,
        );
        assert_eq!(
            s.updated,
            Range {
                lo: Some(t),
                hi: None
            }
        );
        assert_eq!(
            s.created,
            Range {
                lo: None,
                hi: Some(t + DAY)
            }
        );
        assert!(s.warnings.is_empty(), "{:?}", s.warnings);

        let s = parse(
            "updated_at:>\"2026-05-23T00:00:00Z\" updated_at:<=2026-05-23T10:00:00Z",
            0,
        );
        assert_eq!(
            s.updated,
            Range {
                lo: Some(t + 1),
                hi: Some(t + 10 * 3600 + 1)
            }
        );
    }

    #[test]
    fn unknown_fields_are_ignored_with_a_warning() {
        let s = parse("colour:blue financial_status:paid", 0);
        assert_eq!(s.warnings.len(), 1);
        assert_eq!(s.warnings[0].field, "colour");
        assert_eq!(s.predicates.len(), 1, "financial_status is still applied");
    }
}
