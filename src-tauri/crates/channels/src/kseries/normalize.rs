//! A K-Series closed sale (financial API v2, with `payments` and
//! `consumer` included) to Counterline's order. Amounts are decimal
//! strings; the guest's contact sits on the payment that names them.

use serde_json::Value;

use counterline_store::model::{NewOrder, NewOrderLine, OrderStatus};

use crate::money::json_minor;
use crate::timefmt::parse_ms;

/// A closed bill was served: Delivered; a `REFUND` account: Returned; a
/// cancelled one: Cancelled.
pub fn status(kind: &str, cancelled: bool) -> OrderStatus {
    if cancelled || kind == "CANCEL" {
        OrderStatus::Cancelled
    } else if kind == "REFUND" {
        OrderStatus::Returned
    } else {
        OrderStatus::Delivered
    }
}

fn text(value: &Value) -> Option<String> {
    value.as_str().map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned)
}

/// `"2.000"` → 2.
fn quantity(value: &Value) -> Option<i64> {
    match value {
        Value::String(s) => s.trim().parse::<f64>().ok().map(|q| q.round() as i64),
        Value::Number(n) => n.as_f64().map(|q| q.round() as i64),
        _ => None,
    }
}

pub fn sale(sale: &Value, currency: &str) -> Result<NewOrder, String> {
    let id = text(&sale["accountReference"]).ok_or("accountReference missing")?;
    let context = |e: String| format!("sale {id}: {e}");
    let mut lines = Vec::new();
    let (mut total, mut subtotal) = (0i64, 0i64);
    for line in sale["salesLines"].as_array().map(Vec::as_slice).unwrap_or_default() {
        total += json_minor(&line["totalNetAmountWithTax"], currency).map_err(context)?;
        subtotal += json_minor(&line["totalNetAmountWithoutTax"], currency).map_err(context)?;
        lines.push(NewOrderLine {
            external_id: text(&line["id"]).ok_or_else(|| context("line id missing".into()))?,
            sku: text(&line["sku"]),
            title: text(&line["name"]).unwrap_or_else(|| "Item".to_owned()),
            quantity: quantity(&line["quantity"]).ok_or_else(|| context("line quantity missing".into()))?,
            unit_price_minor: json_minor(&line["menuListPrice"], currency).map_err(context)?,
        });
    }
    let payments = sale["payments"].as_array().map(Vec::as_slice).unwrap_or_default();
    let consumer = payments.iter().map(|p| &p["consumer"]).find(|c| c.is_object());
    let email = consumer.and_then(|c| text(&c["email"]));
    let name = consumer
        .map(|c| [text(&c["firstName"]), text(&c["lastName"])].into_iter().flatten().collect::<Vec<_>>().join(" "))
        .filter(|n| !n.is_empty());
    let kind = text(&sale["type"]).unwrap_or_else(|| "SALE".to_owned());
    let cancelled = sale["cancelled"].as_bool().unwrap_or(false);
    let status = status(&kind, cancelled);
    let time = |field: &str| -> Result<i64, String> {
        parse_ms(sale[field].as_str().ok_or_else(|| context(format!("{field} missing")))?).map_err(context)
    };
    let closed = time("timeClosed")?;
    let financial = match status {
        OrderStatus::Cancelled => "voided",
        OrderStatus::Returned => "refunded",
        _ => "paid",
    };
    Ok(NewOrder {
        number: text(&sale["receiptId"]).unwrap_or_else(|| id.clone()),
        created_at: time("timeOfOpening")?,
        updated_at: closed,
        cancelled_at: (status == OrderStatus::Cancelled).then_some(closed),
        email,
        customer_name: name,
        status,
        financial_status: Some(financial.to_owned()),
        fulfillment_status: Some(kind),
        total_minor: total,
        subtotal_minor: subtotal,
        tax_minor: total - subtotal,
        shipping_address: None,
        currency: currency.to_owned(),
        lines,
        external_id: id,
        // No documented order note or shipping total on this line's sale/order reads.
        note: None,
        shipping_minor: None,
        // A refund is its own sale of `type` REFUND, not an amount on the
        // original: nothing refunded here.
        refunded_minor: 0,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn account_types_map_onto_the_workflow() {
        assert_eq!(status("SALE", false), OrderStatus::Delivered);
        assert_eq!(status("REFUND", false), OrderStatus::Returned);
        assert_eq!(status("CANCEL", true), OrderStatus::Cancelled);
        assert_eq!(status("SALE", true), OrderStatus::Cancelled, "the flag wins over the type");
    }

    #[test]
    fn quantities_are_three_decimal_strings() {
        assert_eq!(quantity(&serde_json::json!("2.000")), Some(2));
        assert_eq!(quantity(&serde_json::json!("-1.000")), Some(-1));
    }
}
