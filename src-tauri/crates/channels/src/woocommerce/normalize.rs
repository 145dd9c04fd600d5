//! A wc/v3 order to Counterline's order. Times come from the `_gmt` fields,
//! which WooCommerce sends without a zone designator; they are UTC.

use std::borrow::Cow;

use serde::Deserialize;

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

/// The fields of a wc/v3 order that Counterline keeps; the rest is skipped
/// unread. Strings borrow from the answer where they can.
#[derive(Deserialize)]
struct Order<'a> {
    id: i64,
    #[serde(borrow, default)]
    number: Option<Cow<'a, str>>,
    #[serde(borrow)]
    currency: Cow<'a, str>,
    #[serde(borrow)]
    status: Cow<'a, str>,
    #[serde(borrow, default)]
    date_created_gmt: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    date_modified_gmt: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    date_paid_gmt: Option<Cow<'a, str>>,
    #[serde(borrow)]
    total: Cow<'a, str>,
    #[serde(borrow)]
    total_tax: Cow<'a, str>,
    #[serde(borrow, default)]
    billing: Party<'a>,
    #[serde(borrow, default)]
    shipping: Party<'a>,
    #[serde(borrow, default)]
    line_items: Vec<Line<'a>>,
    #[serde(borrow, default)]
    customer_note: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    shipping_total: Option<Cow<'a, str>>,
    /// Each refund's `total` is negative (`"-10.00"`); together they are
    /// what was refunded. Refunds with no total count as 0.
    #[serde(borrow, default)]
    refunds: Vec<Refund<'a>>,
}

#[derive(Deserialize)]
struct Refund<'a> {
    #[serde(borrow, default)]
    total: Option<Cow<'a, str>>,
}

#[derive(Deserialize, Default)]
struct Party<'a> {
    #[serde(borrow, default)]
    first_name: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    last_name: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    email: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    address_1: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    address_2: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    city: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    state: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    postcode: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    country: Option<Cow<'a, str>>,
}

#[derive(Deserialize)]
struct Line<'a> {
    id: i64,
    quantity: i64,
    #[serde(borrow, default)]
    subtotal: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    sku: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    name: Option<Cow<'a, str>>,
}

fn text(value: &Option<Cow<'_, str>>) -> Option<String> {
    value.as_deref().map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned)
}

fn full_name(party: &Party<'_>) -> Option<String> {
    let name = [text(&party.first_name), text(&party.last_name)].into_iter().flatten().collect::<Vec<_>>().join(" ");
    (!name.is_empty()).then_some(name)
}

fn gmt_ms(value: &Option<Cow<'_, str>>, field: &str) -> Result<i64, String> {
    let raw = value.as_deref().ok_or_else(|| format!("{field} missing"))?;
    if raw.ends_with('Z') || raw.contains('+') {
        parse_ms(raw)
    } else {
        parse_ms(&format!("{raw}Z"))
    }
}

/// One order of a wc/v3 answer, as its JSON text.
pub fn order_json(json: &str) -> Result<NewOrder, String> {
    let node: Order<'_> = serde_json::from_str(json).map_err(|e| format!("unreadable order: {e}"))?;
    let id = node.id;
    let context = |e: String| format!("order {id}: {e}");
    let currency = node.currency.into_owned();
    let mut lines = Vec::with_capacity(node.line_items.len());
    let mut subtotal_minor = 0;
    for item in &node.line_items {
        let quantity = item.quantity;
        let line_subtotal = parse_minor(item.subtotal.as_deref().unwrap_or("0"), &currency).map_err(context)?;
        subtotal_minor += line_subtotal;
        lines.push(NewOrderLine {
            external_id: item.id.to_string(),
            sku: text(&item.sku),
            title: text(&item.name).unwrap_or_else(|| "Item".to_owned()),
            quantity,
            // The unit price the line was sold at, before order-level discounts.
            unit_price_minor: if quantity > 0 { (line_subtotal + quantity / 2) / quantity } else { 0 },
        });
    }
    let mut refunded_minor = 0;
    for refund in &node.refunds {
        let total = parse_minor(refund.total.as_deref().unwrap_or("0"), &currency).map_err(|e| context(format!("refunds[].total: {e}")))?;
        refunded_minor += total.abs();
    }
    let shipping = &node.shipping;
    Ok(NewOrder {
        external_id: id.to_string(),
        number: text(&node.number).unwrap_or_else(|| id.to_string()),
        created_at: gmt_ms(&node.date_created_gmt, "date_created_gmt").map_err(context)?,
        updated_at: gmt_ms(&node.date_modified_gmt, "date_modified_gmt").map_err(context)?,
        cancelled_at: None,
        email: text(&node.billing.email),
        customer_name: full_name(&node.billing),
        status: status(&node.status),
        financial_status: text(&node.date_paid_gmt).map(|_| "paid".to_owned()),
        fulfillment_status: Some(node.status.clone().into_owned()),
        total_minor: parse_minor(&node.total, &currency).map_err(|e| context(format!("total: {e}")))?,
        subtotal_minor,
        tax_minor: parse_minor(&node.total_tax, &currency).map_err(|e| context(format!("total_tax: {e}")))?,
        shipping_address: text(&shipping.address_1).map(|line1| Address {
            name: full_name(shipping),
            line1: Some(line1),
            line2: text(&shipping.address_2),
            city: text(&shipping.city),
            region: text(&shipping.state),
            postal_code: text(&shipping.postcode),
            country_code: text(&shipping.country),
        }),
        shipping_minor: node.shipping_total.as_deref().map(|t| parse_minor(t, &currency)).transpose().map_err(|e| context(format!("shipping_total: {e}")))?,
        currency,
        lines,
        note: text(&node.customer_note),
        refunded_minor,
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
