//! Order status writes over v2: `PUT /v2/orders/{id}` with `{"status_id": n}`,
//! answered with the updated order. See `crate::push` for the exactly-once
//! rules around it.

use std::collections::HashMap;

use serde_json::{json, Value};

use counterline_store::model::OrderStatus;
use counterline_store::outbox::FulfillmentLine;

use super::client::{BigCommerceClient, PLATFORM};
use crate::push::{read_answer, RemoteOrder, IDEMPOTENCY_HEADER};
use crate::timefmt::parse_rfc2822_ms;
use crate::{Error, Result};

/// The system status id we set for each workflow status; the inverse of
/// `normalize::status` (UNCONFIRMED ids, kept beside that table).
pub fn status_id(status: OrderStatus) -> i64 {
    match status {
        OrderStatus::Pending => 1,     // Pending
        OrderStatus::Processing => 11, // Awaiting Fulfillment
        OrderStatus::Shipped => 2,     // Shipped
        OrderStatus::Delivered => 10,  // Completed
        OrderStatus::Cancelled => 5,   // Cancelled
        OrderStatus::Returned => 4,    // Refunded
    }
}

fn remote(order: &Value) -> Result<RemoteOrder> {
    let detail = |d: &str| Error::Response { platform: PLATFORM, detail: d.to_owned() };
    let modified = order["date_modified"].as_str().ok_or_else(|| detail("order date_modified missing"))?;
    Ok(RemoteOrder {
        updated_at: parse_rfc2822_ms(modified).map_err(|e| detail(&e))?,
        raw_status: order["status_id"].as_i64().ok_or_else(|| detail("order status_id missing"))?.to_string(),
    })
}

fn order_id(id: &str) -> Result<u64> {
    id.parse().map_err(|_| Error::InvalidInput(format!("BigCommerce order id {id:?}")))
}

impl BigCommerceClient {
    pub async fn remote_order(&self, id: &str) -> Result<RemoteOrder> {
        let id = order_id(id)?;
        remote(&self.send(reqwest::Method::GET, id, &format!("orders/{id}"), None, None).await?)
    }

    pub async fn set_status(&self, id: &str, status: OrderStatus, idempotency_key: &str) -> Result<RemoteOrder> {
        let id = order_id(id)?;
        let body = json!({ "status_id": status_id(status) });
        remote(&self.send(reqwest::Method::PUT, id, &format!("orders/{id}"), Some(body), Some(idempotency_key)).await?)
    }

    /// Units shipped per order product id (`quantity_shipped`).
    pub async fn shipped_quantities(&self, id: &str) -> Result<HashMap<String, i64>> {
        let id = order_id(id)?;
        let products = self.send(reqwest::Method::GET, id, &format!("orders/{id}/products"), None, None).await?;
        Ok(products
            .as_array()
            .map(Vec::as_slice)
            .unwrap_or_default()
            .iter()
            .filter_map(|p| Some((p["id"].as_i64()?.to_string(), p["quantity_shipped"].as_i64().unwrap_or(0))))
            .collect())
    }

    /// One shipment to the order's (first) shipping address with the
    /// carrier and tracking number: of exactly `lines` (order product ids
    /// and units) when given, else of every unit not yet shipped.
    /// BigCommerce marks the order Shipped once every unit has shipped,
    /// Partially Shipped before.
    pub async fn ship(
        &self,
        id: &str,
        carrier: &str,
        tracking_number: &str,
        tracking_url: Option<&str>,
        lines: Option<&[FulfillmentLine]>,
        idempotency_key: &str,
    ) -> Result<RemoteOrder> {
        let id = order_id(id)?;
        let addresses = self.send(reqwest::Method::GET, id, &format!("orders/{id}/shipping_addresses"), None, None).await?;
        let address = addresses[0]["id"]
            .as_i64()
            .ok_or_else(|| Error::Response { platform: PLATFORM, detail: format!("order {id} has no shipping address to ship to") })?;
        let items: Vec<Value> = match lines {
            Some(lines) => lines
                .iter()
                .map(|l| {
                    let product: i64 = l.external_id.parse().map_err(|_| Error::InvalidInput(format!("BigCommerce order product id {:?}", l.external_id)))?;
                    Ok(json!({ "order_product_id": product, "quantity": l.quantity }))
                })
                .collect::<Result<_>>()?,
            None => self.unshipped(id).await?,
        };
        if items.is_empty() {
            return self.remote_order(&id.to_string()).await;
        }
        let mut shipment = json!({
            "order_address_id": address,
            "tracking_number": tracking_number,
            // The carrier as the merchant named it, lowercased like BigCommerce's carrier slugs.
            "tracking_carrier": carrier.to_lowercase(),
            "items": items,
        });
        if let Some(url) = tracking_url {
            shipment["tracking_link"] = json!(url);
        }
        self.send(reqwest::Method::POST, id, &format!("orders/{id}/shipments"), Some(shipment), Some(idempotency_key)).await?;
        self.remote_order(&id.to_string()).await
    }

    /// Every unit not yet shipped, as shipment items.
    async fn unshipped(&self, id: u64) -> Result<Vec<Value>> {
        let products = self.send(reqwest::Method::GET, id, &format!("orders/{id}/products"), None, None).await?;
        Ok(products
            .as_array()
            .map(Vec::as_slice)
            .unwrap_or_default()
            .iter()
            .filter_map(|p| {
                let left = p["quantity"].as_i64()? - p["quantity_shipped"].as_i64().unwrap_or(0);
                (left > 0).then(|| json!({ "order_product_id": p["id"], "quantity": left }))
            })
            .collect())
    }

    async fn send(&self, method: reqwest::Method, id: u64, path: &str, body: Option<Value>, key: Option<&str>) -> Result<Value> {
        let url = self.base.join(path).map_err(|e| Error::Internal(format!("BigCommerce path: {e}")))?;
        let host = url.host_str().unwrap_or("BigCommerce").to_owned();
        let response = self
            .budget
            .send(1.0, || async {
                let mut request = self
                    .http
                    .request(method.clone(), url.clone())
                    .header("X-Auth-Token", self.token.expose())
                    .header("Accept", "application/json");
                if let Some(body) = &body {
                    request = request.json(body);
                }
                if let Some(key) = key {
                    request = request.header(IDEMPOTENCY_HEADER, key);
                }
                request.send().await.map_err(|e| match e.is_timeout() {
                    true => Error::Transient { platform: PLATFORM, detail: "BigCommerce took too long to answer".into() },
                    false => Error::Unreachable { host: host.clone() },
                })
            })
            .await?;
        read_answer(
            response,
            PLATFORM,
            "BigCommerce",
            "the access token was refused (the API account may have been deleted)",
            format!("order {id} no longer exists in the store"),
            // v2 errors are a list of {status, message}.
            |body| body[0]["message"].as_str().or(body["title"].as_str()),
        )
        .await
    }
}
