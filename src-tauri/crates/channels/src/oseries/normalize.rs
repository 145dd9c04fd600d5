//! A Kounta order to Counterline's order. Money is JSON decimals in the
//! company's currency, `total` tax inclusive with `total_tax` beside it; a
//! refund is its own order with negative quantities and total.

use serde_json::Value;

use counterline_store::model::{NewOrder, NewOrderLine, OrderStatus};

use crate::timefmt::parse_ms;
use crate::money::json_minor as money;

/// Kounta's statuses (apidoc.kounta.com/orders): COMPLETE → Delivered (a
/// refund → Returned), REJECTED → Cancelled, ACCEPTED (lay-by) and PENDING
/// (on account) → Processing, SUBMITTED and ON_HOLD → Pending.
pub fn status(raw: &str, is_refund: bool) -> OrderStatus {
    match raw {
        "COMPLETE" if is_refund => OrderStatus::Returned,
        "COMPLETE" => OrderStatus::Delivered,
        "REJECTED" => OrderStatus::Cancelled,
        "ACCEPTED" | "PENDING" => OrderStatus::Processing,
        _ => OrderStatus::Pending,
    }
}

fn text(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.trim().to_owned()).filter(|s| !s.is_empty()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

fn payment_status(total: i64, paid: i64, is_refund: bool) -> &'static str {
    if is_refund {
        "refunded"
    } else if total == 0 || paid >= total {
        "paid"
    } else if paid > 0 {
        "partially_paid"
    } else {
        "unpaid"
    }
}

pub fn order(order: &Value, currency: &str) -> Result<NewOrder, String> {
    let id = text(&order["id"]).ok_or("order id missing")?;
    let context = |e: String| format!("order {id}: {e}");
    let mut lines = Vec::new();
    for line in order["lines"].as_array().map(Vec::as_slice).unwrap_or_default() {
        let product = &line["product"];
        lines.push(NewOrderLine {
            external_id: text(&line["id"]).or_else(|| text(&line["number"])).ok_or_else(|| context("line id missing".into()))?,
            sku: text(&product["code"]),
            title: text(&product["name"]).unwrap_or_else(|| "Item".to_owned()),
            quantity: line["quantity"].as_f64().ok_or_else(|| context("line quantity missing".into()))?.round() as i64,
            unit_price_minor: money(&line["unit_price"], currency).map_err(context)?,
        });
    }
    let total = money(&order["total"], currency).map_err(context)?;
    let tax = money(&order["total_tax"], currency).map_err(context)?;
    let paid = money(&order["paid"], currency).map_err(context)?;
    let is_refund = total < 0;
    let raw = text(&order["status"]).ok_or_else(|| context("status missing".into()))?;
    let status = status(&raw, is_refund);
    let customer = &order["customer"];
    let name = [text(&customer["first_name"]), text(&customer["last_name"])].into_iter().flatten().collect::<Vec<_>>().join(" ");
    let time = |field: &str| -> Result<i64, String> {
        parse_ms(order[field].as_str().ok_or_else(|| context(format!("{field} missing")))?).map_err(context)
    };
    let updated_at = time("updated_at")?;
    Ok(NewOrder {
        number: text(&order["sale_number"]).unwrap_or_else(|| id.clone()),
        created_at: time("created_at")?,
        updated_at,
        cancelled_at: (status == OrderStatus::Cancelled).then_some(updated_at),
        email: text(&customer["email"]),
        customer_name: (!name.is_empty()).then_some(name),
        status,
        financial_status: Some(payment_status(total, paid, is_refund).to_owned()),
        fulfillment_status: Some(raw),
        total_minor: total,
        subtotal_minor: total - tax,
        tax_minor: tax,
        shipping_address: None,
        currency: currency.to_owned(),
        lines,
        external_id: id,
        // No documented order note or shipping total on this line's sale/order reads.
        note: None,
        shipping_minor: None,
        // O-Series records refunds as separate negative orders: nothing
        // refunded on the original.
        refunded_minor: 0,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kounta_statuses_map_onto_the_workflow() {
        assert_eq!(status("COMPLETE", false), OrderStatus::Delivered);
        assert_eq!(status("COMPLETE", true), OrderStatus::Returned);
        assert_eq!(status("REJECTED", false), OrderStatus::Cancelled);
        assert_eq!(status("ACCEPTED", false), OrderStatus::Processing);
        assert_eq!(status("ON_HOLD", false), OrderStatus::Pending);
        assert_eq!(status("SOMETHING_NEW", false), OrderStatus::Pending, "an unknown status never breaks the sync");
    }
}
