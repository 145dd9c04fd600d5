//! Shopify's GraphQL order to Counterline's order. Statuses map onto our
//! workflow while the raw `displayFinancialStatus`/`displayFulfillmentStatus`
//! are kept; money uses the shop currency (`shopMoney`) so one channel's
//! totals are always in one currency.

use serde_json::Value;

use counterline_store::model::{Address, NewOrder, NewOrderLine, OrderStatus};

use crate::money::parse_minor;
use crate::timefmt::parse_ms;

fn text(value: &Value) -> Option<String> {
    value.as_str().map(str::to_owned).filter(|s| !s.is_empty())
}

fn required<'a>(node: &'a Value, field: &str) -> Result<&'a str, String> {
    node[field].as_str().ok_or_else(|| format!("order field {field} missing"))
}

fn money(bag: &Value, what: &str) -> Result<(i64, String), String> {
    let shop = &bag["shopMoney"];
    let currency = shop["currencyCode"].as_str().ok_or_else(|| format!("{what}.currencyCode missing"))?;
    let amount = shop["amount"].as_str().ok_or_else(|| format!("{what}.amount missing"))?;
    Ok((parse_minor(amount, currency)?, currency.to_owned()))
}

/// Our workflow status from Shopify's state. Cancellation wins, then a full
/// refund (a return), then fulfillment, then payment.
pub fn status(cancelled: bool, financial: Option<&str>, fulfillment: Option<&str>) -> OrderStatus {
    if cancelled {
        return OrderStatus::Cancelled;
    }
    if financial == Some("REFUNDED") {
        return OrderStatus::Returned;
    }
    match fulfillment {
        Some("FULFILLED") => OrderStatus::Shipped,
        Some("PARTIALLY_FULFILLED") | Some("IN_PROGRESS") => OrderStatus::Processing,
        _ => match financial {
            Some("PAID" | "PARTIALLY_PAID" | "PARTIALLY_REFUNDED") => OrderStatus::Processing,
            _ => OrderStatus::Pending,
        },
    }
}

pub fn order(node: &Value) -> Result<NewOrder, String> {
    let number = required(node, "name")?.to_owned();
    let context = |e: String| format!("order {number}: {e}");
    let (total_minor, currency) = money(&node["totalPriceSet"], "totalPriceSet").map_err(context)?;
    let (subtotal_minor, _) = money(&node["subtotalPriceSet"], "subtotalPriceSet").map_err(context)?;
    let (tax_minor, _) = money(&node["totalTaxSet"], "totalTaxSet").map_err(context)?;
    // Unknown rather than zero when the answer leaves it out.
    let shipping_minor = match node["totalShippingPriceSet"].is_object() {
        true => Some(money(&node["totalShippingPriceSet"], "totalShippingPriceSet").map_err(context)?.0),
        false => None,
    };
    // Refunds in shop money, like the totals; absent in older answers: 0.
    let refunded_minor = match node.get("totalRefundedSet") {
        Some(set) if !set.is_null() => money(set, "totalRefundedSet").map_err(context)?.0,
        _ => 0,
    };
    let cancelled_at = node["cancelledAt"].as_str().map(parse_ms).transpose().map_err(context)?;
    let financial = text(&node["displayFinancialStatus"]);
    let fulfillment = text(&node["displayFulfillmentStatus"]);
    let customer = &node["customer"];
    let customer_name = [text(&customer["firstName"]), text(&customer["lastName"])]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" ");
    let address = &node["shippingAddress"];
    let shipping_address = address.is_object().then(|| Address {
        name: text(&address["name"]),
        line1: text(&address["address1"]),
        line2: text(&address["address2"]),
        city: text(&address["city"]),
        region: text(&address["province"]),
        postal_code: text(&address["zip"]),
        country_code: text(&address["countryCodeV2"]),
    });
    let line_items = &node["lineItems"];
    if line_items["pageInfo"]["hasNextPage"].as_bool() == Some(true) {
        // Never store a silently truncated order; the sync log shows this.
        return Err(context("has more line items than one page holds; not supported yet".into()));
    }
    let mut lines = Vec::new();
    for item in line_items["nodes"].as_array().map(Vec::as_slice).unwrap_or_default() {
        let (unit_price_minor, _) = money(&item["originalUnitPriceSet"], "originalUnitPriceSet").map_err(context)?;
        lines.push(NewOrderLine {
            external_id: required(item, "id").map_err(context)?.to_owned(),
            sku: text(&item["sku"]),
            title: text(&item["name"]).unwrap_or_else(|| "Item".to_owned()),
            quantity: item["quantity"].as_i64().ok_or_else(|| context("line quantity missing".into()))?,
            unit_price_minor,
        });
    }
    Ok(NewOrder {
        external_id: required(node, "id")?.to_owned(),
        created_at: parse_ms(required(node, "createdAt")?).map_err(context)?,
        updated_at: parse_ms(required(node, "updatedAt")?).map_err(context)?,
        status: status(cancelled_at.is_some(), financial.as_deref(), fulfillment.as_deref()),
        cancelled_at,
        email: text(&node["email"]),
        customer_name: (!customer_name.is_empty()).then_some(customer_name),
        financial_status: financial,
        fulfillment_status: fulfillment,
        currency,
        total_minor,
        subtotal_minor,
        tax_minor,
        shipping_address,
        lines,
        number,
        note: text(&node["note"]),
        shipping_minor,
        refunded_minor,
    })
}

#[cfg(test)]
mod tests {
    use super::status;
    use counterline_store::model::OrderStatus;

    #[test]
    fn shopify_states_map_onto_the_workflow() {
        assert_eq!(status(true, Some("PAID"), Some("FULFILLED")), OrderStatus::Cancelled, "cancellation wins");
        assert_eq!(status(false, Some("REFUNDED"), Some("FULFILLED")), OrderStatus::Returned);
        assert_eq!(status(false, Some("PAID"), Some("FULFILLED")), OrderStatus::Shipped);
        assert_eq!(status(false, Some("PAID"), Some("UNFULFILLED")), OrderStatus::Processing);
        assert_eq!(status(false, Some("PENDING"), Some("UNFULFILLED")), OrderStatus::Pending);
        assert_eq!(status(false, Some("AUTHORIZED"), None), OrderStatus::Pending);
    }
}
