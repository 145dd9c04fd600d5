//! Kounta's JSON for a till's records: orders (with their lines, payments
//! and embedded customer) and the company `companies/me` describes.
//!
//! Money is a JSON decimal number in whole cents (`1.36`, `5.5`, `-12.0`);
//! times are ISO 8601 in the company's zone (`2026-05-23T14:03:11+10:00`);
//! ids are numbers, `sale_number` a string. Every order keeps: `total =
//! Σ line_total_ex_tax + Σ line_total_tax`, `total_tax = Σ line_total_tax`,
//! and on each line `line_total_ex_tax = unit_price × quantity`,
//! `line_total_tax = unit_tax × quantity`. A refund is an order of its own
//! with negative quantities (and a negative payment), rung up at the site
//! of the sale it refunds. What here is UNCONFIRMED is listed in `replies`.

use serde_json::{json, Number, Value};

use super::replies::{OFFSET_TEXT, TIMEZONE, UTC_OFFSET};
use super::Company;
use crate::data::catalog::PRODUCTS;
use crate::data::clock::{self, DAY};
use crate::data::till::{pos_tax_bps, Till, TillSale, TillStatus};
use crate::xseries::shape::catalog;

/// Cents as a JSON decimal: `136` → `1.36`, `550` → `5.5`.
pub(crate) fn money(cents: i64) -> Value {
    Number::from_f64(cents as f64 / 100.0).map_or(Value::Null, Value::Number)
}

/// Unix seconds in the company's zone: `2026-05-23T14:03:11+10:00`.
pub(crate) fn time(t: i64) -> String {
    let mut s = clock::format_utc(t + UTC_OFFSET);
    s.pop(); // the `Z`
    s.push_str(OFFSET_TEXT);
    s
}

/// The order status a till sale shows (see `replies` for the mapping).
pub(crate) fn status(sale: &TillSale, order_id: u64) -> &'static str {
    if let Some(label) = sale.label {
        return label; // set by an app's write (see `writes`)
    }
    match sale.status {
        TillStatus::Closed => "COMPLETE",
        TillStatus::Voided => "REJECTED",
        // Saved at the counter, or sent from an ordering app and not yet
        // accepted: both wait with nothing paid.
        TillStatus::Parked if order_id % 2 == 0 => "SUBMITTED",
        TillStatus::Parked => "ON_HOLD",
        TillStatus::OnAccount => "PENDING",
        TillStatus::Layby => "ACCEPTED",
    }
}

/// The sale number the register printed.
fn sale_number(i: u32) -> String {
    (1_000 + u64::from(i) + 1).to_string()
}

/// The product id of a catalog entry.
fn product_id(product: usize, variant: usize) -> u64 {
    catalog()
        .iter()
        .position(|&e| e == (product, variant))
        .map_or(0, |n| 7_300 + n as u64 + 1)
}

fn product_json(product: usize, variant: usize) -> Value {
    let Some(p) = PRODUCTS.get(product) else {
        return Value::Null;
    };
    let name = match p.variants.get(variant) {
        Some(v) => format!("{} {v}", p.title),
        None => p.title.to_owned(),
    };
    json!({
        "id": product_id(product, variant),
        "name": name,
        "code": p.variant_sku(variant),
    })
}

/// What was charged per unit over the shelf price, to 4 places.
fn variation(charged: i64, list: i64) -> Value {
    if list == 0 || charged == list {
        return json!(1);
    }
    let ten_thousandths = (charged * 10_000 + list / 2) / list;
    Number::from_f64(ten_thousandths as f64 / 10_000.0).map_or(json!(1), Value::Number)
}

/// Customer record `c` as an order embeds it.
fn customer_json(c: &Company, till: &Till, record: u32) -> Option<Value> {
    let r = till.customers().get(record as usize)?;
    let person = c.people.get(r.person)?;
    Some(json!({
        "id": c.customer_id(record),
        "first_name": person.first_name,
        "last_name": person.last_name,
        "email": r.email.map(|v| v.apply(&person.email)),
    }))
}

/// Order (till sale) `i`.
pub(crate) fn order_json(c: &Company, till: &Till, i: u32) -> Option<Value> {
    let sale = till.sales().get(i as usize)?;
    let order = till.order_of(sale)?;
    let money_of = till.money(sale, c.currency, pos_tax_bps(c.currency));
    let id = c.order_id(i);
    let site = c.site_of(sale.order);
    let notes = match (sale.return_for, sale.note) {
        (Some(of), _) => format!("Refund of sale {}", sale_number(of)),
        (None, Some(note)) => note.to_owned(),
        (None, None) => String::new(),
    };
    let lines: Vec<Value> = money_of
        .lines
        .iter()
        .enumerate()
        .map(|(k, l)| {
            let (product, variant) = order.lines.get(usize::from(l.index)).map_or((0, 0), |ol| {
                (usize::from(ol.product), usize::from(ol.variant))
            });
            json!({
                "id": c.line_id(sale.first_line + k as u64),
                "number": k + 1,
                "product": product_json(product, variant),
                "quantity": l.quantity,
                "notes": "",
                "unit_price": money(l.unit_price),
                "unit_tax": money(l.unit_tax),
                "price_variation": variation(l.unit_price, l.unit_list),
                "line_total_ex_tax": money(l.total()),
                "line_total_tax": money(l.tax()),
            })
        })
        .collect();
    let mut payments = Vec::new();
    if money_of.paid != 0 {
        // Walk-ins and every third basket pay cash; the rest tap a card.
        let cash = sale.customer.is_none() || order.id % 3 == 0;
        let mut payment = json!({
            "id": 19_230_000 + u64::from(i) + 1,
            "method": if cash {
                json!({"id": 1, "name": "Cash"})
            } else {
                json!({"id": 2, "name": "EFTPOS"})
            },
            "amount": money(money_of.paid),
            "created_at": time(sale.created_at),
        });
        if !cash {
            if let Some(m) = payment.as_object_mut() {
                m.insert("ref".into(), json!(format!("EFT{:08}", order.id)));
            }
        }
        payments.push(payment);
    }
    let customer = sale.customer.and_then(|r| customer_json(c, till, r));
    Some(json!({
        "id": id,
        "sale_number": sale_number(i),
        "company_id": c.company_id,
        "status": status(sale, id),
        "notes": notes,
        "customer_id": sale.customer.map(|r| c.customer_id(r)),
        "customer": customer,
        "register_id": c.register_id(site),
        "site_id": site.site_id,
        "lines": lines,
        "payments": payments,
        "price_variation": 1,
        "total": money(money_of.total()),
        "total_tax": money(money_of.tax()),
        "paid": money(money_of.paid),
        "tips": money(0),
        "placed_at": time(sale.created_at),
        "fulfil_at": time(sale.created_at),
        "created_at": time(sale.created_at),
        "updated_at": time(sale.updated_at),
    }))
}

/// `GET /v1/companies/me`.
pub(crate) fn company_json(c: &Company, till: &Till) -> Value {
    let opened = till
        .sales()
        .first()
        .map_or_else(clock::now, |s| s.created_at)
        - 30 * DAY;
    let changed = opened + DAY;
    json!({
        "id": c.company_id,
        "name": c.name,
        "shipping_address": null,
        "postal_address": {
            "id": c.company_id * 10 + 1,
            "lines": ["Level 2", "120 Edward Street"],
            "city": "Brisbane",
            "zone": "QLD",
            "postal_code": "4000",
            "country": "AU",
        },
        "business_number": format!("63 {:03} {:03} {:03}", c.company_id % 1_000, 12, 468),
        "image": null,
        "website": null,
        "currency": c.currency.code(),
        "timezone": {"offset": OFFSET_TEXT, "name": TIMEZONE},
        "sites": {"count": c.sites.len(), "updated_at": time(changed)},
        "registers": {"count": c.sites.len(), "limit": c.sites.len() * 5, "updated_at": time(changed)},
        "created_at": time(opened),
        "updated_at": time(changed),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn money_times_and_variations() {
        assert_eq!(money(136).to_string(), "1.36");
        assert_eq!(money(550).to_string(), "5.5");
        assert_eq!(money(-1_200).to_string(), "-12.0");
        assert_eq!(time(0), "1970-01-01T10:00:00+10:00");
        assert_eq!(variation(900, 1_000), json!(0.9));
        assert_eq!(variation(1_000, 1_000), json!(1));
    }
}
