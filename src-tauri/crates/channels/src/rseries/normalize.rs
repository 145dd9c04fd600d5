//! An R-Series V3 sale (with `SaleLines`, `SaleLines.Item`, `Customer` and
//! `Customer.Contact` loaded) to Counterline's order. Every value arrives as
//! a string; a collection of one is an object rather than an array, and an
//! empty contact container is `""`. A refund is a sale whose lines have
//! negative `unitQuantity`.

use serde_json::Value;

use counterline_store::model::{NewOrder, NewOrderLine, OrderStatus};

use crate::money::parse_minor;
use crate::timefmt::parse_ms;

/// Records under `key` of a V3 container, whether one (object) or many (array).
pub fn records<'a>(container: &'a Value, key: &str) -> Vec<&'a Value> {
    match &container[key] {
        Value::Array(items) => items.iter().collect(),
        Value::Object(_) => vec![&container[key]],
        _ => Vec::new(),
    }
}

fn text(value: &Value) -> Option<String> {
    value.as_str().map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned)
}

fn flag(value: &Value) -> bool {
    value.as_str() == Some("true")
}

/// voided → Cancelled; a completed refund → Returned; completed →
/// Delivered (handed over at the counter); open (a layaway, a quote being
/// rung up) → Processing.
pub fn status(voided: bool, completed: bool, is_refund: bool) -> OrderStatus {
    match (voided, completed) {
        (true, _) => OrderStatus::Cancelled,
        (false, true) if is_refund => OrderStatus::Returned,
        (false, true) => OrderStatus::Delivered,
        (false, false) => OrderStatus::Processing,
    }
}

/// The raw state as one word, kept beside our status.
fn raw_state(voided: bool, completed: bool) -> &'static str {
    match (voided, completed) {
        (true, _) => "voided",
        (false, true) => "completed",
        (false, false) => "open",
    }
}

fn payment_status(total: i64, balance: i64, is_refund: bool) -> &'static str {
    if is_refund {
        "refunded"
    } else if balance <= 0 || total == 0 {
        "paid"
    } else if balance < total {
        "partially_paid"
    } else {
        "unpaid"
    }
}

fn email(customer: &Value) -> Option<String> {
    let emails = records(&customer["Contact"]["Emails"], "ContactEmail");
    let primary = emails.iter().find(|e| e["useType"].as_str() == Some("Primary")).or(emails.first());
    primary.and_then(|e| text(&e["address"]))
}

pub fn sale(sale: &Value, currency: &str) -> Result<NewOrder, String> {
    let id = text(&sale["saleID"]).ok_or("saleID missing")?;
    let context = |e: String| format!("sale {id}: {e}");
    let amount = |value: &Value, field: &str| -> Result<i64, String> {
        parse_minor(value[field].as_str().ok_or_else(|| context(format!("{field} missing")))?, currency).map_err(context)
    };
    let mut lines = Vec::new();
    for line in records(&sale["SaleLines"], "SaleLine") {
        let quantity: i64 = line["unitQuantity"]
            .as_str()
            .and_then(|q| q.parse().ok())
            .ok_or_else(|| context("unitQuantity missing".into()))?;
        let item = &line["Item"];
        lines.push(NewOrderLine {
            external_id: text(&line["saleLineID"]).ok_or_else(|| context("saleLineID missing".into()))?,
            sku: text(&item["customSku"]).or_else(|| text(&item["systemSku"])),
            title: text(&item["description"]).unwrap_or_else(|| "Item".to_owned()),
            quantity,
            unit_price_minor: amount(line, "unitPrice")?,
        });
    }
    let is_refund = !lines.is_empty() && lines.iter().all(|l| l.quantity < 0);
    let voided = flag(&sale["voided"]);
    let completed = flag(&sale["completed"]);
    let total = amount(sale, "calcTotal")?;
    let balance = amount(sale, "balance")?;
    let customer = &sale["Customer"];
    let name = [text(&customer["firstName"]), text(&customer["lastName"])].into_iter().flatten().collect::<Vec<_>>().join(" ");
    let time = |field: &str| -> Result<i64, String> {
        parse_ms(sale[field].as_str().ok_or_else(|| context(format!("{field} missing")))?).map_err(context)
    };
    let updated_at = time("timeStamp")?;
    Ok(NewOrder {
        number: text(&sale["ticketNumber"]).unwrap_or_else(|| id.clone()),
        created_at: time("createTime")?,
        updated_at,
        cancelled_at: voided.then_some(updated_at),
        email: customer.is_object().then(|| email(customer)).flatten(),
        customer_name: (!name.is_empty()).then_some(name),
        status: status(voided, completed, is_refund),
        financial_status: Some(payment_status(total, balance, is_refund).to_owned()),
        fulfillment_status: Some(raw_state(voided, completed).to_owned()),
        total_minor: total,
        subtotal_minor: amount(sale, "calcSubtotal")? - amount(sale, "calcDiscount")?,
        tax_minor: amount(sale, "calcTax1")? + amount(sale, "calcTax2")?,
        shipping_address: None,
        currency: currency.to_owned(),
        lines,
        external_id: id,
        // No documented order note or shipping total on this line's sale/order reads.
        note: None,
        shipping_minor: None,
        // A return is its own Sale with negative-quantity lines (R-Series keeps
        // no refund on the original sale): nothing refunded here.
        refunded_minor: 0,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn sale_flags_map_onto_the_workflow() {
        assert_eq!(status(true, false, false), OrderStatus::Cancelled);
        assert_eq!(status(false, true, true), OrderStatus::Returned);
        assert_eq!(status(false, true, false), OrderStatus::Delivered);
        assert_eq!(status(false, false, false), OrderStatus::Processing);
    }

    #[test]
    fn a_collection_of_one_is_an_object_and_of_none_an_empty_string() {
        let one = json!({"ContactEmail": {"address": "a@b.c", "useType": "Primary"}});
        assert_eq!(records(&one, "ContactEmail").len(), 1);
        let many = json!({"ContactEmail": [{"address": "x"}, {"address": "y"}]});
        assert_eq!(records(&many, "ContactEmail").len(), 2);
        assert!(records(&json!(""), "ContactEmail").is_empty());
    }
}
