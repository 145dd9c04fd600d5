//! Order writes to O-Series (Kounta): setting an order's `status` (`PUT
//! /v1/companies/{company_id}/orders/{order_id}.json`), as staff move an
//! order the POS received (channel-apis §8). See `crate::push` for the
//! exactly-once rules around it.
//!
//! Kounta's statuses are `SUBMITTED`, `ON_HOLD`, `PENDING`, `ACCEPTED`,
//! `REJECTED` and `COMPLETE`. An app can hold, accept or reject an order;
//! completing one (taking its payment) and putting it on account happen at
//! the register, and Kounta has no shipments, returns or delivery, so those
//! are refused in words.

use reqwest::Method;
use serde_json::{json, Value};

use counterline_store::model::OrderStatus;

use super::client::{OSeriesClient, PLATFORM};
use crate::lightspeed::WriteCall;
use crate::push::RemoteOrder;
use crate::timefmt::parse_ms;
use crate::{Error, Result};

/// The `status` we set for a workflow status, or why Kounta can't take it
/// from an app. UNCONFIRMED: Kounta's reference documents "Update an order"
/// and these status codes; the `PUT` with a body holding only `status` is
/// how the TandaHQ client saves an existing order, and which moves Kounta
/// allows is not documented. Pending is `ON_HOLD` (waiting quietly, as an
/// app-created order does) rather than `SUBMITTED` (which chimes at the
/// register for staff to accept).
pub fn target(status: OrderStatus) -> Result<&'static str> {
    let refuse = |why: &str| Err(Error::InvalidInput(format!("{PLATFORM} {why}")));
    match status {
        OrderStatus::Pending => Ok("ON_HOLD"),
        OrderStatus::Processing => Ok("ACCEPTED"),
        OrderStatus::Cancelled => Ok("REJECTED"),
        OrderStatus::Shipped | OrderStatus::Delivered => {
            refuse("orders are completed at the register when they are paid; Counterline can hold, accept or reject them")
        }
        OrderStatus::Returned => refuse("refunds are rung up at the register as orders of their own; Counterline can hold, accept or reject an order"),
    }
}

fn remote(order: &Value) -> Result<RemoteOrder> {
    let detail = |d: &str| Error::Response { platform: PLATFORM, detail: d.to_owned() };
    let updated = order["updated_at"].as_str().ok_or_else(|| detail("order updated_at missing"))?;
    Ok(RemoteOrder {
        updated_at: parse_ms(updated).map_err(|e| detail(&e))?,
        raw_status: order["status"].as_str().ok_or_else(|| detail("order status missing"))?.to_owned(),
    })
}

impl OSeriesClient {
    fn call(&self) -> WriteCall<'_> {
        WriteCall {
            http: &self.http,
            keeper: &self.keeper,
            budget: &self.budget,
            platform: PLATFORM,
            auth_detail: "the company refused Counterline's sign-in for changing orders; reconnect it",
            reason: |body| body["error_description"].as_str().or(body["message"].as_str()),
        }
    }

    async fn order_url(&self, id: &str) -> Result<url::Url> {
        let order: u64 = id.parse().map_err(|_| Error::InvalidInput(format!("O-Series order id {id:?}")))?;
        let company = self.company().await?.id;
        self.origin
            .join(&format!("v1/companies/{company}/orders/{order}.json"))
            .map_err(|e| Error::Internal(format!("O-Series path: {e}")))
    }

    pub async fn remote_order(&self, id: &str) -> Result<RemoteOrder> {
        let url = self.order_url(id).await?;
        remote(&self.call().send(Method::GET, url, None, None, 1.0, format!("order {id} no longer exists")).await?)
    }

    pub async fn set_status(&self, id: &str, status: OrderStatus, idempotency_key: &str) -> Result<RemoteOrder> {
        let body = json!({ "status": target(status)? });
        let url = self.order_url(id).await?;
        remote(&self.call().send(Method::PUT, url, Some(&body), Some(idempotency_key), 1.0, format!("order {id} no longer exists")).await?)
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
            assert_eq!(Platform::OSeries.writable_status(status), target(status).is_ok(), "{status:?}");
        }
        assert!(!Platform::OSeries.accepts_fulfillment_writes(), "Kounta has no shipments");
    }

    #[test]
    fn each_status_sent_reads_back_as_the_same_workflow_status() {
        use OrderStatus::*;
        for status in [Pending, Processing, Cancelled] {
            let raw = target(status).unwrap();
            assert_eq!(super::super::normalize::status(raw, false), status, "the next pull keeps {status:?}");
        }
    }
}
