//! Sale writes to R-Series: voiding a sale (`PUT
//! API/V3/Account/{accountID}/Sale/{saleID}.json` with `voided`), the one
//! order change its V3 API lets an app make. See `crate::push` for the
//! exactly-once rules around it.
//!
//! What R-Series keeps to the register, and so Counterline refuses: a sale
//! is completed when it is paid, a refund is a sale of its own, and a shop
//! sale takes no shipment. A completed sale can only be refunded, so voiding
//! one is refused by R-Series itself (the outbox shows its words).

use reqwest::Method;
use serde_json::{json, Value};

use counterline_store::model::OrderStatus;

use super::client::{RSeriesClient, PLATFORM};
use crate::lightspeed::WriteCall;
use crate::push::RemoteOrder;
use crate::timefmt::parse_ms;
use crate::{Error, Result};

/// The update that voids a sale. UNCONFIRMED: V3 documents `voided` on
/// `Sale` and `PUT` on a sale; that setting it through the API voids the
/// sale (rather than only an open one, as the sandbox plays it) is not
/// confirmed. V3 writes every value as a string.
fn void_body() -> Value {
    json!({ "voided": "true" })
}

/// What a write costs from the leaky bucket: R-Series prices a write at ten
/// reads (UNCONFIRMED; the bucket headers tell the budget the real charge).
const WRITE_COST: f64 = 10.0;

/// The sale's state word for a workflow status, or why R-Series can't take
/// it from an app.
pub fn target(status: OrderStatus) -> Result<&'static str> {
    let refuse = |why: &str| Err(Error::InvalidInput(format!("{PLATFORM} {why}")));
    match status {
        OrderStatus::Cancelled => Ok("voided"),
        OrderStatus::Pending | OrderStatus::Processing | OrderStatus::Shipped | OrderStatus::Delivered => {
            refuse("sales are rung up and completed at the register; Counterline can only void an open sale")
        }
        OrderStatus::Returned => refuse("refunds are rung up at the register as sales of their own; Counterline can only void an open sale"),
    }
}

/// `voided`, `completed` or `open`, as the pull keeps it.
fn remote(sale: &Value) -> Result<RemoteOrder> {
    let detail = |d: &str| Error::Response { platform: PLATFORM, detail: d.to_owned() };
    let stamp = sale["timeStamp"].as_str().ok_or_else(|| detail("sale timeStamp missing"))?;
    let flag = |field: &str| sale[field].as_str() == Some("true");
    let state = if flag("voided") {
        "voided"
    } else if flag("completed") {
        "completed"
    } else {
        "open"
    };
    Ok(RemoteOrder { updated_at: parse_ms(stamp).map_err(|e| detail(&e))?, raw_status: state.to_owned() })
}

impl RSeriesClient {
    fn call(&self) -> WriteCall<'_> {
        WriteCall {
            http: &self.http,
            keeper: &self.keeper,
            budget: &self.budget,
            platform: PLATFORM,
            auth_detail: "the account did not grant Counterline the right to change sales; reconnect it",
            reason: |body| body["message"].as_str(),
        }
    }

    async fn sale_url(&self, id: &str) -> Result<url::Url> {
        let sale: u64 = id.parse().map_err(|_| Error::InvalidInput(format!("R-Series sale id {id:?}")))?;
        let account = self.account().await?.id;
        self.origin
            .join(&format!("API/V3/Account/{account}/Sale/{sale}.json"))
            .map_err(|e| Error::Internal(format!("R-Series path: {e}")))
    }

    pub async fn remote_order(&self, id: &str) -> Result<RemoteOrder> {
        let url = self.sale_url(id).await?;
        let body = self.call().send(Method::GET, url, None, None, 1.0, format!("sale {id} no longer exists")).await?;
        remote(&body["Sale"])
    }

    pub async fn set_status(&self, id: &str, status: OrderStatus, idempotency_key: &str) -> Result<RemoteOrder> {
        target(status)?;
        let url = self.sale_url(id).await?;
        let answer = self
            .call()
            .send(Method::PUT, url, Some(&void_body()), Some(idempotency_key), WRITE_COST, format!("sale {id} no longer exists"))
            .await?;
        remote(&answer["Sale"])
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use counterline_store::model::Platform;

    #[test]
    fn the_store_offers_exactly_the_statuses_this_writer_sends() {
        use OrderStatus::*;
        for status in [Pending, Processing, Shipped, Delivered, Cancelled, Returned] {
            assert_eq!(Platform::RSeries.writable_status(status), target(status).is_ok(), "{status:?}");
        }
        assert!(!Platform::RSeries.accepts_fulfillment_writes(), "a shop sale takes no shipment");
    }

    #[test]
    fn a_voided_sale_reads_back_as_cancelled() {
        let sale = json!({"timeStamp": "2026-05-23T14:03:11+00:00", "voided": "true", "completed": "false"});
        assert_eq!(remote(&sale).unwrap().raw_status, target(OrderStatus::Cancelled).unwrap());
        assert_eq!(super::super::normalize::status(true, false, false), OrderStatus::Cancelled, "the next pull keeps it");
    }
}
