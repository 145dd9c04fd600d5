//! Order writes over the Admin GraphQL API: Shipped is a `fulfillmentCreate`
//! of everything left on the order's open fulfillment orders (with tracking
//! when the merchant gave it), a shipment is a `fulfillmentCreate` of just
//! its units (found on the open fulfillment orders by line item), Cancelled
//! is an `orderCancel`. Shopify sets
//! every other state itself, from payments, fulfillments and refunds.

use std::collections::HashMap;

use serde_json::{json, Value};

use counterline_store::model::OrderStatus;
use counterline_store::outbox::FulfillmentLine;

use super::client::{ShopifyClient, PLATFORM};
use crate::push::RemoteOrder;
use crate::timefmt::parse_ms;
use crate::{Error, Result};

const ORDER_STATE: &str = include_str!("order_state.graphql");
const FULFILL: &str = include_str!("fulfill.graphql");
const CANCEL: &str = include_str!("cancel.graphql");

/// What `RemoteOrder::raw_status` holds for our status, where Counterline can set it.
pub fn target(status: OrderStatus) -> Option<&'static str> {
    match status {
        OrderStatus::Shipped => Some("FULFILLED"),
        OrderStatus::Cancelled => Some("CANCELLED"),
        _ => None,
    }
}

fn response_error(detail: impl Into<String>) -> Error {
    Error::Response { platform: PLATFORM, detail: detail.into() }
}

fn remote(order: &Value) -> Result<RemoteOrder> {
    let updated = order["updatedAt"].as_str().ok_or_else(|| response_error("order updatedAt missing"))?;
    let raw_status = match order["cancelledAt"].is_null() {
        false => "CANCELLED".to_owned(),
        true => order["displayFulfillmentStatus"].as_str().ok_or_else(|| response_error("order status missing"))?.to_owned(),
    };
    Ok(RemoteOrder { updated_at: parse_ms(updated).map_err(response_error)?, raw_status })
}

/// Refusals come back as `userErrors` in a 200 answer.
fn user_errors(payload: &Value, field: &str) -> Result<()> {
    match payload[field].as_array().and_then(|list| list.first()) {
        Some(first) => Err(response_error(format!(
            "Shopify refused the change: {}",
            first["message"].as_str().unwrap_or("no reason given")
        ))),
        None => Ok(()),
    }
}

impl ShopifyClient {
    async fn order_state(&self, id: &str) -> Result<Value> {
        let data = self.query_keyed(ORDER_STATE, json!({ "id": id }), 15.0, None).await?;
        match &data["order"] {
            Value::Null => Err(response_error(format!("order {id} no longer exists in the store"))),
            order => Ok(order.clone()),
        }
    }

    pub async fn remote_order(&self, id: &str) -> Result<RemoteOrder> {
        remote(&self.order_state(id).await?)
    }

    pub async fn set_status(&self, id: &str, status: OrderStatus, idempotency_key: &str) -> Result<RemoteOrder> {
        match status {
            OrderStatus::Shipped => self.fulfill(id, None, idempotency_key).await,
            OrderStatus::Cancelled => {
                let data = self.query_keyed(CANCEL, json!({ "orderId": id }), 10.0, Some(idempotency_key)).await?;
                user_errors(&data["orderCancel"], "orderCancelUserErrors")?;
                self.remote_order(id).await
            }
            other => Err(Error::InvalidInput(format!("Shopify sets {} orders itself", other.as_str()))),
        }
    }

    /// Fulfils every unit left to ship; `tracking` is (carrier, number, link).
    pub async fn fulfill(&self, id: &str, tracking: Option<(&str, &str, Option<&str>)>, idempotency_key: &str) -> Result<RemoteOrder> {
        let order = self.order_state(id).await?;
        let groups: Vec<Value> = order["fulfillmentOrders"]["nodes"]
            .as_array()
            .map(Vec::as_slice)
            .unwrap_or_default()
            .iter()
            .filter(|fo| matches!(fo["status"].as_str(), Some("OPEN" | "IN_PROGRESS")))
            .map(|fo| {
                let lines: Vec<Value> = fo["lineItems"]["nodes"]
                    .as_array()
                    .map(Vec::as_slice)
                    .unwrap_or_default()
                    .iter()
                    .filter(|l| l["remainingQuantity"].as_i64().unwrap_or(0) > 0)
                    .map(|l| json!({ "id": l["id"], "quantity": l["remainingQuantity"] }))
                    .collect();
                json!({ "fulfillmentOrderId": fo["id"], "fulfillmentOrderLineItems": lines })
            })
            .collect();
        if groups.is_empty() {
            // Nothing left to ship: the order is as fulfilled as it gets.
            return remote(&order);
        }
        let mut fulfillment = json!({ "lineItemsByFulfillmentOrder": groups, "notifyCustomer": false });
        if let Some((company, number, url)) = tracking {
            fulfillment["trackingInfo"] = json!({ "company": company, "number": number, "url": url });
        }
        let data = self.query_keyed(FULFILL, json!({ "fulfillment": fulfillment }), 10.0, Some(idempotency_key)).await?;
        user_errors(&data["fulfillmentCreate"], "userErrors")?;
        self.remote_order(id).await
    }

    /// Units fulfilled per order line item id: what each fulfillment order
    /// line has had of its total.
    pub async fn shipped_quantities(&self, id: &str) -> Result<HashMap<String, i64>> {
        let order = self.order_state(id).await?;
        let mut shipped: HashMap<String, i64> = HashMap::new();
        for line in fulfillment_order_lines(&order, false) {
            if let Some(item) = line["lineItem"]["id"].as_str() {
                let done = line["totalQuantity"].as_i64().unwrap_or(0) - line["remainingQuantity"].as_i64().unwrap_or(0);
                *shipped.entry(item.to_owned()).or_default() += done;
            }
        }
        Ok(shipped)
    }

    /// Fulfils exactly `lines` (order line item ids and units), taking the
    /// units from the open fulfillment orders that still hold them.
    pub async fn fulfill_lines(
        &self,
        id: &str,
        lines: &[FulfillmentLine],
        tracking: Option<(&str, &str, Option<&str>)>,
        idempotency_key: &str,
    ) -> Result<RemoteOrder> {
        let order = self.order_state(id).await?;
        let open = fulfillment_order_lines(&order, true);
        // Fulfillment order id -> [(fulfillment order line item id, units)].
        let mut groups: Vec<(String, Vec<Value>)> = Vec::new();
        for line in lines {
            let mut wanted = line.quantity;
            for candidate in open.iter().filter(|l| l["lineItem"]["id"].as_str() == Some(line.external_id.as_str())) {
                let take = wanted.min(candidate["remainingQuantity"].as_i64().unwrap_or(0));
                if take <= 0 {
                    continue;
                }
                let fo = candidate["fulfillmentOrderId"].as_str().unwrap_or_default().to_owned();
                let item = json!({ "id": candidate["id"], "quantity": take });
                match groups.iter_mut().find(|(g, _)| *g == fo) {
                    Some((_, items)) => items.push(item),
                    None => groups.push((fo, vec![item])),
                }
                wanted -= take;
            }
            if wanted > 0 {
                return Err(response_error(format!(
                    "Shopify has fewer units of line item {} left to fulfil than this shipment holds",
                    line.external_id
                )));
            }
        }
        let groups: Vec<Value> = groups
            .into_iter()
            .map(|(fo, items)| json!({ "fulfillmentOrderId": fo, "fulfillmentOrderLineItems": items }))
            .collect();
        let mut fulfillment = json!({ "lineItemsByFulfillmentOrder": groups, "notifyCustomer": false });
        if let Some((company, number, url)) = tracking {
            fulfillment["trackingInfo"] = json!({ "company": company, "number": number, "url": url });
        }
        let data = self.query_keyed(FULFILL, json!({ "fulfillment": fulfillment }), 10.0, Some(idempotency_key)).await?;
        user_errors(&data["fulfillmentCreate"], "userErrors")?;
        self.remote_order(id).await
    }
}

/// Every fulfillment order line of the order (only those of open or
/// in-progress fulfillment orders when `open_only`), each with its
/// fulfillment order's id added as `fulfillmentOrderId`.
fn fulfillment_order_lines(order: &Value, open_only: bool) -> Vec<Value> {
    let mut out = Vec::new();
    for fo in order["fulfillmentOrders"]["nodes"].as_array().map(Vec::as_slice).unwrap_or_default() {
        if open_only && !matches!(fo["status"].as_str(), Some("OPEN" | "IN_PROGRESS")) {
            continue;
        }
        for line in fo["lineItems"]["nodes"].as_array().map(Vec::as_slice).unwrap_or_default() {
            let mut line = line.clone();
            line["fulfillmentOrderId"] = fo["id"].clone();
            out.push(line);
        }
    }
    out
}
