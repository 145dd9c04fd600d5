//! Order status writes over wc/v3: `PUT /orders/{id}` with `{"status": …}`,
//! answered with the updated order. See `crate::push` for the exactly-once
//! rules around it.

use base64::Engine;
use serde_json::{json, Value};

use counterline_store::model::OrderStatus;

use super::client::{WooClient, PLATFORM};
use crate::push::{read_answer, RemoteOrder, IDEMPOTENCY_HEADER};
use crate::timefmt::parse_ms;
use crate::{Error, Result};

/// WooCommerce's core status slug for our workflow status. Shipped and
/// Delivered are both "completed": WooCommerce has no delivered state.
pub fn status_slug(status: OrderStatus) -> &'static str {
    match status {
        OrderStatus::Pending => "pending",
        OrderStatus::Processing => "processing",
        OrderStatus::Shipped | OrderStatus::Delivered => "completed",
        OrderStatus::Cancelled => "cancelled",
        OrderStatus::Returned => "refunded",
    }
}

fn remote(order: &Value) -> Result<RemoteOrder> {
    let detail = |d: &str| Error::Response { platform: PLATFORM, detail: d.to_owned() };
    let modified = order["date_modified_gmt"].as_str().ok_or_else(|| detail("order date_modified_gmt missing"))?;
    Ok(RemoteOrder {
        // `_gmt` fields carry no zone designator; they are UTC.
        updated_at: parse_ms(&format!("{}Z", modified.trim_end_matches('Z'))).map_err(|e| detail(&e))?,
        raw_status: order["status"].as_str().ok_or_else(|| detail("order status missing"))?.to_owned(),
    })
}

impl WooClient {
    pub async fn remote_order(&self, id: &str) -> Result<RemoteOrder> {
        remote(&self.send(reqwest::Method::GET, id, None, None).await?)
    }

    pub async fn set_status(&self, id: &str, status: OrderStatus, idempotency_key: &str) -> Result<RemoteOrder> {
        let body = json!({ "status": status_slug(status) });
        remote(&self.send(reqwest::Method::PUT, id, Some(body), Some(idempotency_key)).await?)
    }

    async fn send(&self, method: reqwest::Method, id: &str, body: Option<Value>, key: Option<&str>) -> Result<Value> {
        let id: u64 = id.parse().map_err(|_| Error::InvalidInput(format!("WooCommerce order id {id:?}")))?;
        let url = self
            .origin
            .join(&format!("wp-json/wc/v3/orders/{id}"))
            .map_err(|e| Error::Internal(format!("WooCommerce path: {e}")))?;
        let host = url.host_str().unwrap_or("the store").to_owned();
        let basic = base64::engine::general_purpose::STANDARD.encode(self.credential.expose());
        let response = self
            .budget
            .send(1.0, || async {
                let mut request = self.http.request(method.clone(), url.clone()).header("Authorization", format!("Basic {basic}"));
                if let Some(body) = &body {
                    request = request.json(body);
                }
                if let Some(key) = key {
                    request = request.header(IDEMPOTENCY_HEADER, key);
                }
                request.send().await.map_err(|e| match e.is_timeout() {
                    true => Error::Transient { platform: PLATFORM, detail: "the store took too long to answer".into() },
                    false => Error::Unreachable { host: host.clone() },
                })
            })
            .await?;
        read_answer(
            response,
            PLATFORM,
            "the store",
            "the store refused the password or API keys (they may have been revoked)",
            format!("order {id} no longer exists on the store"),
            |body| body["message"].as_str(),
        )
        .await
    }
}
