//! A wc/v3 order to Counterline's order. Times come from the `_gmt` fields,
//! which WooCommerce sends without a zone designator; they are UTC.

use serde_json::Value;

use counterline_store::model::{Address, NewOrder, NewOrderLine, OrderStatus};

use crate::money::parse_minor;
use crate::timefmt::parse_ms;

pub fn status(value: &str) -> OrderStatus {
    match value {
        "processing" => OrderStatus::Processing,
        "completed" => OrderStatus::Shipped,
        "cancelled" | "failed" | "trash" => OrderStatus::Cancelled,
        "refunded" => OrderStatus::Returned,
        // pending, on-hold, checkout-draft and plugin-defined statuses
        _ => OrderStatus::Pending,
    }
}

fn text(value: &Value) -> Option<String> {
    value.as_str().map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned)
}

fn gmt_ms(value: &Value, field: &str) -> Result<i64, String> {
    let raw = value.as_str().ok_or_else(|| format!("{field} missing"))?;
    if raw.ends_with('Z') || raw.contains('+') {
        parse_ms(raw)
    } else {
        parse_ms(&format!("{raw}Z"))
    }
}

pub fn order(node: &Value) -> Result<NewOrder, String> {
    let id = node["id"].as_i64().ok_or("order id missing")?;
    let context = |e: String| format!("order {id}: {e}");
    let currency = node["currency"].as_str().ok_or_else(|| context("currency missing".into()))?.to_owned();
    let money = |field: &str| -> Result<i64, String> {
        parse_minor(node[field].as_str().ok_or_else(|| format!("{field} missing"))?, &currency)
    };
    let raw_status = node["status"].as_str().ok_or_else(|| context("status missing".into()))?;
    let mut lines = Vec::new();
    let mut subtotal_minor = 0;
    for item in node["line_items"].as_array().map(Vec::as_slice).unwrap_or_default() {
        let quantity = item["quantity"].as_i64().ok_or_else(|| context("line quantity missing".into()))?;
        let line_subtotal = parse_minor(item["subtotal"].as_str().unwrap_or("0"), &currency).map_err(context)?;
        subtotal_minor += line_subtotal;
        lines.push(NewOrderLine {
            external_id: item["id"].as_i64().ok_or_else(|| context("line id missing".into()))?.to_string(),
            sku: text(&item["sku"]),
            title: text(&item["name"]).unwrap_or_else(|| "Item".to_owned()),
            quantity,
            // The unit price the line was sold at, before order-level discounts.
            unit_price_minor: if quantity > 0 { (line_subtotal + quantity / 2) / quantity } else { 0 },
        });
    }
    let billing = &node["billing"];
    let shipping = &node["shipping"];
    let name = [text(&billing["first_name"]), text(&billing["last_name"])].into_iter().flatten().collect::<Vec<_>>().join(" ");
    let ship_name = [text(&shipping["first_name"]), text(&shipping["last_name"])].into_iter().flatten().collect::<Vec<_>>().join(" ");
    let status = status(raw_status);
    Ok(NewOrder {
        external_id: id.to_string(),
        number: text(&node["number"]).unwrap_or_else(|| id.to_string()),
        created_at: gmt_ms(&node["date_created_gmt"], "date_created_gmt").map_err(context)?,
        updated_at: gmt_ms(&node["date_modified_gmt"], "date_modified_gmt").map_err(context)?,
        cancelled_at: None,
        email: text(&billing["email"]),
        customer_name: (!name.is_empty()).then_some(name),
        status,
        financial_status: text(&node["date_paid_gmt"]).map(|_| "paid".to_owned()),
        fulfillment_status: Some(raw_status.to_owned()),
        total_minor: money("total").map_err(context)?,
        subtotal_minor,
        tax_minor: money("total_tax").map_err(context)?,
        shipping_address: text(&shipping["address_1"]).map(|line1| Address {
            name: (!ship_name.is_empty()).then_some(ship_name),
            line1: Some(line1),
            line2: text(&shipping["address_2"]),
            city: text(&shipping["city"]),
            region: text(&shipping["state"]),
            postal_code: text(&shipping["postcode"]),
            country_code: text(&shipping["country"]),
        }),
        currency,
        lines,
    })
}

#[cfg(test)]
mod tests {
    use super::status;
    use counterline_store::model::OrderStatus;

    #[test]
    fn woocommerce_statuses_map_onto_the_workflow() {
        assert_eq!(status("processing"), OrderStatus::Processing);
        assert_eq!(status("completed"), OrderStatus::Shipped);
        assert_eq!(status("refunded"), OrderStatus::Returned);
        assert_eq!(status("failed"), OrderStatus::Cancelled);
        assert_eq!(status("on-hold"), OrderStatus::Pending);
        assert_eq!(status("some-plugin-status"), OrderStatus::Pending, "plugin statuses never break a sync");
    }
}
