//! BigCommerce v2 order + products to Counterline's order. Status ids follow
//! BigCommerce's documented system statuses; the raw status text is kept.

use serde_json::Value;

use counterline_store::model::{Address, NewOrder, NewOrderLine, OrderStatus};

use crate::money::parse_minor;
use crate::timefmt::parse_rfc2822_ms;

/// BigCommerce system status ids (the `GET /v2/order_statuses` table).
/// UNCONFIRMED beyond 0 (Incomplete) and 1 (Pending): kept in this one place.
pub fn status(status_id: i64) -> OrderStatus {
    match status_id {
        5 | 6 => OrderStatus::Cancelled,          // Cancelled, Declined
        4 => OrderStatus::Returned,               // Refunded
        2 => OrderStatus::Shipped,                // Shipped
        10 => OrderStatus::Delivered,             // Completed
        3 | 8 | 9 | 11 | 14 => OrderStatus::Processing, // Partially Shipped, Awaiting Pickup/Shipment/Fulfillment, Partially Refunded
        _ => OrderStatus::Pending,                // Incomplete, Pending, Awaiting Payment, Verification, Disputed
    }
}

fn text(value: &Value) -> Option<String> {
    value.as_str().map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned)
}

fn amount(order: &Value, field: &str, currency: &str) -> Result<i64, String> {
    let raw = order[field].as_str().ok_or_else(|| format!("{field} missing"))?;
    parse_minor(raw, currency)
}

pub fn order(order: &Value, products: &[Value]) -> Result<NewOrder, String> {
    let id = order["id"].as_i64().ok_or("order id missing")?;
    let context = |e: String| format!("order {id}: {e}");
    let currency = order["currency_code"].as_str().ok_or_else(|| context("currency_code missing".into()))?.to_owned();
    let status_id = order["status_id"].as_i64().ok_or_else(|| context("status_id missing".into()))?;
    let billing = &order["billing_address"];
    let name = [text(&billing["first_name"]), text(&billing["last_name"])].into_iter().flatten().collect::<Vec<_>>().join(" ");
    let mut lines = Vec::with_capacity(products.len());
    for product in products {
        lines.push(NewOrderLine {
            external_id: product["id"].as_i64().ok_or_else(|| context("product id missing".into()))?.to_string(),
            sku: text(&product["sku"]),
            title: text(&product["name"]).unwrap_or_else(|| "Item".to_owned()),
            quantity: product["quantity"].as_i64().ok_or_else(|| context("product quantity missing".into()))?,
            unit_price_minor: amount(product, "base_price", &currency).map_err(context)?,
        });
    }
    let shipping_minor = order["shipping_cost_inc_tax"].as_str().map(|raw| parse_minor(raw, &currency)).transpose().map_err(context)?;
    let created_at = parse_rfc2822_ms(order["date_created"].as_str().unwrap_or_default()).map_err(context)?;
    Ok(NewOrder {
        external_id: id.to_string(),
        number: id.to_string(),
        created_at,
        updated_at: parse_rfc2822_ms(order["date_modified"].as_str().unwrap_or_default()).map_err(context)?,
        cancelled_at: None,
        email: text(&billing["email"]),
        customer_name: (!name.is_empty()).then_some(name),
        status: status(status_id),
        financial_status: text(&order["payment_status"]),
        fulfillment_status: text(&order["status"]),
        total_minor: amount(order, "total_inc_tax", &currency).map_err(context)?,
        subtotal_minor: amount(order, "subtotal_ex_tax", &currency).map_err(context)?,
        tax_minor: amount(order, "total_tax", &currency).map_err(context)?,
        shipping_address: billing.is_object().then(|| Address {
            name: None,
            line1: text(&billing["street_1"]),
            line2: text(&billing["street_2"]),
            city: text(&billing["city"]),
            region: text(&billing["state"]),
            postal_code: text(&billing["zip"]),
            country_code: text(&billing["country_iso2"]),
        }),
        // v2 `refunded_amount`: what was refunded so far (absent on old stores: 0).
        refunded_minor: match order["refunded_amount"].as_str() {
            Some(raw) => parse_minor(raw, &currency).map_err(|e| context(format!("refunded_amount: {e}")))?,
            None => 0,
        },
        currency,
        lines,
        // The shopper's message at checkout (staff_notes are the store's own).
        note: text(&order["customer_message"]),
        shipping_minor,
    })
}

#[cfg(test)]
mod tests {
    use super::status;
    use counterline_store::model::OrderStatus;

    #[test]
    fn bigcommerce_status_ids_map_onto_the_workflow() {
        assert_eq!(status(5), OrderStatus::Cancelled);
        assert_eq!(status(4), OrderStatus::Returned);
        assert_eq!(status(2), OrderStatus::Shipped);
        assert_eq!(status(11), OrderStatus::Processing);
        assert_eq!(status(1), OrderStatus::Pending);
        assert_eq!(status(999), OrderStatus::Pending, "a custom status never breaks the sync");
    }
}
