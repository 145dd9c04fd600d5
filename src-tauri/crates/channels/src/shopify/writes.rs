//! Order writes over the Admin GraphQL API: Shipped is a `fulfillmentCreate`
//! of everything left on the order's open fulfillment orders (with tracking
//! when the merchant gave it), Cancelled is an `orderCancel`. Shopify sets
//! every other state itself, from payments, fulfillments and refunds.

use serde_json::{json, Value};

use counterline_store::model::OrderStatus;

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
}
