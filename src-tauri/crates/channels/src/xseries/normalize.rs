//! An X-Series API 2.0 sale to Counterline's order. Money arrives as JSON
//! numbers, tax exclusive (`total_price` + `total_tax` = `total_price_incl`);
//! a return is its own sale with `return_for` and negative quantities.

use std::collections::HashMap;

use serde_json::Value;

use counterline_store::model::{NewOrder, NewOrderLine, OrderStatus};

use crate::money::json_minor as money;
use crate::timefmt::parse_ms;

/// What a sale's `customer_id` resolves to.
#[derive(Debug, Clone, Default)]
pub struct Customer {
    pub name: Option<String>,
    pub email: Option<String>,
}

/// What a line's `product_id` resolves to.
#[derive(Debug, Clone, Default)]
pub struct Product {
    pub name: Option<String>,
    pub sku: Option<String>,
}

/// The lookups a sale needs, keyed by X-Series id.
pub struct Joins<'a> {
    pub customers: &'a HashMap<String, Customer>,
    pub products: &'a HashMap<String, Product>,
    /// Outlet id → currency code.
    pub currencies: &'a HashMap<String, String>,
}

/// `state` (2025-09) with the legacy `status` as fallback:
/// closed → Delivered (handed over at the till) or Returned for a return,
/// voided → Cancelled, pending (on account, lay-by) → Processing, parked →
/// Pending.
pub fn status(state: Option<&str>, legacy: Option<&str>, is_return: bool) -> OrderStatus {
    let state = state.map(str::to_ascii_lowercase).or_else(|| {
        legacy.map(|s| match s {
            "CLOSED" => "closed".to_owned(),
            "VOIDED" => "voided".to_owned(),
            "ONACCOUNT" | "LAYBY" => "pending".to_owned(),
            _ => "parked".to_owned(),
        })
    });
    match state.as_deref() {
        Some("closed") if is_return => OrderStatus::Returned,
        Some("closed") => OrderStatus::Delivered,
        Some("voided") => OrderStatus::Cancelled,
        Some("pending") => OrderStatus::Processing,
        _ => OrderStatus::Pending,
    }
}

fn text(value: &Value) -> Option<String> {
    value.as_str().map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned)
}

/// Paid in full, in part, or not at all; a return pays money back.
fn payment_status(total: i64, paid: i64, is_return: bool) -> &'static str {
    if is_return {
        "refunded"
    } else if total == 0 || paid >= total {
        "paid"
    } else if paid > 0 {
        "partially_paid"
    } else {
        "unpaid"
    }
}

pub fn sale(sale: &Value, joins: &Joins<'_>) -> Result<NewOrder, String> {
    let id = text(&sale["id"]).ok_or("sale id missing")?;
    let context = |e: String| format!("sale {id}: {e}");
    let outlet = text(&sale["outlet_id"]).unwrap_or_default();
    let currency = joins
        .currencies
        .get(&outlet)
        .cloned()
        .ok_or_else(|| context(format!("outlet {outlet:?} is unknown, so its currency is too")))?;
    let is_return = !sale["return_for"].is_null();
    let total = money(&sale["total_price_incl"], &currency).map_err(context)?;
    let paid: i64 = sale["payments"]
        .as_array()
        .map(|ps| {
            ps.iter()
                .filter(|p| p["deleted_at"].is_null())
                .map(|p| money(&p["amount"], &currency))
                .sum::<Result<i64, String>>()
        })
        .transpose()
        .map_err(context)?
        .unwrap_or(0);
    let customer = text(&sale["customer_id"]).and_then(|c| joins.customers.get(&c));
    let mut lines = Vec::new();
    for line in sale["line_items"].as_array().map(Vec::as_slice).unwrap_or_default() {
        let product = text(&line["product_id"]).and_then(|p| joins.products.get(&p));
        lines.push(NewOrderLine {
            external_id: text(&line["id"]).ok_or_else(|| context("line id missing".into()))?,
            sku: product.and_then(|p| p.sku.clone()),
            title: product.and_then(|p| p.name.clone()).unwrap_or_else(|| "Item".to_owned()),
            quantity: line["quantity"].as_f64().ok_or_else(|| context("line quantity missing".into()))?.round() as i64,
            unit_price_minor: money(&line["price"], &currency).map_err(context)?,
        });
    }
    let time = |field: &str| -> Result<i64, String> {
        parse_ms(sale[field].as_str().ok_or_else(|| format!("{field} missing"))?).map_err(context)
    };
    let state = text(&sale["state"]);
    let legacy = text(&sale["status"]);
    let status = status(state.as_deref(), legacy.as_deref(), is_return);
    Ok(NewOrder {
        number: text(&sale["invoice_number"]).unwrap_or_else(|| id.clone()),
        created_at: time("created_at")?,
        updated_at: time("updated_at")?,
        cancelled_at: (status == OrderStatus::Cancelled).then(|| time("updated_at")).transpose()?,
        email: customer.and_then(|c| c.email.clone()),
        customer_name: customer.and_then(|c| c.name.clone()),
        status,
        financial_status: Some(payment_status(total, paid, is_return).to_owned()),
        fulfillment_status: legacy.or(state),
        total_minor: total,
        subtotal_minor: money(&sale["total_price"], &currency).map_err(context)?,
        tax_minor: money(&sale["total_tax"], &currency).map_err(context)?,
        shipping_address: None,
        currency,
        lines,
        external_id: id,
        // No documented order note or shipping total on this line's sale/order reads.
        note: None,
        shipping_minor: None,
        // A return is its own sale (`return_for`, lines with `is_return`), not a
        // refund on the original: nothing refunded here.
        refunded_minor: 0,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sale_states_map_onto_the_workflow() {
        assert_eq!(status(Some("closed"), Some("CLOSED"), false), OrderStatus::Delivered);
        assert_eq!(status(Some("closed"), Some("CLOSED"), true), OrderStatus::Returned);
        assert_eq!(status(Some("voided"), None, false), OrderStatus::Cancelled);
        assert_eq!(status(Some("pending"), Some("LAYBY"), false), OrderStatus::Processing);
        assert_eq!(status(None, Some("ONACCOUNT"), false), OrderStatus::Processing, "legacy status when state is absent");
        assert_eq!(status(Some("parked"), Some("SAVED"), false), OrderStatus::Pending);
    }

    #[test]
    fn json_numbers_become_minor_units_exactly() {
        assert_eq!(money(&serde_json::json!(25.9), "NZD").unwrap(), 2590);
        assert_eq!(money(&serde_json::json!(-59), "NZD").unwrap(), -5900);
        assert_eq!(money(&serde_json::json!(10.99), "NZD").unwrap(), 1099);
    }
}
