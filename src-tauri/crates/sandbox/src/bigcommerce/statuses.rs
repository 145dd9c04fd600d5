//! BigCommerce's order statuses (the `orderStatusCollection_Resp` example of
//! `reference/orders.v2.oas2.yml`: ids 0–14 with names, descriptions and
//! sort order; channel-apis §3.2 had left the full table UNCONFIRMED), and
//! which status and `payment_status` a generated order is in.
//!
//! Mapping: cancelled → 5 Cancelled (4 Refunded when the money went back);
//! refunded → 4, partly refunded → 14; payment pending → 7 Awaiting Payment
//! (a third of them 6 Declined); paid or authorised → 11 Awaiting
//! Fulfillment, 3 Partially Shipped, 2 Shipped, 10 Completed (nothing to
//! ship), or 12 Manual Verification Required (on hold).

use serde_json::{json, Value};

use crate::data::orders::{FinancialStatus, FulfillmentStatus, Order, SetStatus};

/// BigCommerce's order statuses: id, name, system description, sort order
/// (the `orderStatusCollection_Resp` example of the v2 spec).
pub(crate) const STATUSES: &[(u8, &str, &str, u8)] = &[
    (0, "Incomplete", "An incomplete order happens when a shopper reached the payment page, but did not complete the transaction.", 0),
    (1, "Pending", "Customer started the checkout process, but did not complete it.", 1),
    (2, "Shipped", "Order has been shipped, but receipt has not been confirmed; seller has used the Ship Items action.", 8),
    (3, "Partially Shipped", "Only some items in the order have been shipped, due to some products being pre-order only or other reasons.", 6),
    (4, "Refunded", "Seller has used the Refund action.", 11),
    (5, "Cancelled", "Seller has cancelled an order, due to a stock inconsistency or other reasons.", 9),
    (6, "Declined", "Seller has marked the order as declined for lack of manual payment, or other reasons.", 10),
    (7, "Awaiting Payment", "Customer has completed checkout process, but payment has yet to be confirmed.", 2),
    (8, "Awaiting Pickup", "Order has been pulled, and is awaiting customer pickup from a seller-specified location.", 5),
    (9, "Awaiting Shipment", "Order has been pulled and packaged, and is awaiting collection from a shipping provider.", 4),
    (10, "Completed", "Client has paid for their digital product and their file(s) are available for download.", 7),
    (11, "Awaiting Fulfillment", "Customer has completed the checkout process and payment has been confirmed.", 3),
    (12, "Manual Verification Required", "Order is on hold while some aspect needs to be manually confirmed.", 13),
    (13, "Disputed", "Customer has initiated a dispute resolution process for the PayPal transaction that paid for the order.", 12),
    (14, "Partially Refunded", "Seller has partially refunded the order.", 14),
];

pub(crate) fn status_name(id: u8) -> &'static str {
    STATUSES
        .iter()
        .find(|s| s.0 == id)
        .map_or("Incomplete", |s| s.1)
}

/// A payment the generator left pending that the sandbox shows as declined
/// instead (a third of them), so every kind of ending occurs.
pub(crate) fn declined(o: &Order) -> bool {
    o.financial == FinancialStatus::Pending && o.cancelled_at.is_none() && o.id % 3 == 0
}

/// The status an order is in, from what happened to it.
pub(crate) fn status_id(o: &Order) -> u8 {
    // A status a write set (a `PUT` or a shipment, see `writes`) wins.
    if let Some(SetStatus::Id(id)) = o.set_status {
        return id;
    }
    if o.cancelled_at.is_some() {
        return if o.financial == FinancialStatus::Refunded {
            4
        } else {
            5
        };
    }
    match o.financial {
        FinancialStatus::Refunded => 4,
        FinancialStatus::PartiallyRefunded => 14,
        FinancialStatus::Pending if declined(o) => 6,
        FinancialStatus::Pending | FinancialStatus::PartiallyPaid => 7,
        FinancialStatus::Voided => 5,
        FinancialStatus::Authorized | FinancialStatus::Paid => match o.fulfillment {
            FulfillmentStatus::Fulfilled if o.ship_to.is_none() => 10,
            FulfillmentStatus::Fulfilled => 2,
            FulfillmentStatus::PartiallyFulfilled => 3,
            FulfillmentStatus::OnHold => 12,
            FulfillmentStatus::Unfulfilled | FulfillmentStatus::Restocked => 11,
        },
    }
}

/// `payment_status`, one of the spec's enum values.
pub(crate) fn payment_status(o: &Order) -> &'static str {
    match status_id(o) {
        4 => "refunded",
        5 => "void",
        6 => "declined",
        14 => "partially refunded",
        _ => match o.financial {
            FinancialStatus::Authorized => "authorized",
            FinancialStatus::Pending | FinancialStatus::PartiallyPaid => "pending",
            _ => "captured",
        },
    }
}

/// `GET /v2/order_statuses`.
pub(crate) fn statuses_json() -> Value {
    Value::Array(
        STATUSES
            .iter()
            .map(|(id, name, description, order)| {
                json!({
                    "id": id,
                    "name": name,
                    "system_label": name,
                    "custom_label": name,
                    "system_description": description,
                    "order": order,
                })
            })
            .collect(),
    )
}
