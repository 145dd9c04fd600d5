//! Sale writes to X-Series: voiding a sale, the one status change its API
//! lets an app make (channel-apis §5.5). The update (`PUT
//! /api/2026-07/sales/{id}`, `sales:write`) replaces the sale, so the
//! writer reads it first and sends it back whole with the new `state`:
//! a line left out would be deleted. See `crate::push` for the
//! exactly-once rules around it.
//!
//! What X-Series does not let an app do, and so Counterline refuses: a
//! sale is parked, put on account or closed at the register (with its
//! payments), a return is a new sale rung up at the register with the money
//! going back, and a closed sale takes no shipment. The Fulfillments API
//! (`POST /fulfillments/fulfill` with just a `sale_id`) completes
//! dispatch of e-commerce sales but carries no carrier or tracking number,
//! and the pull does not yet tell those sales apart, so it is not used.

use reqwest::Method;
use serde_json::{json, Value};

use counterline_store::model::OrderStatus;

use super::client::{XSeriesClient, PLATFORM};
use crate::lightspeed::WriteCall;
use crate::push::RemoteOrder;
use crate::timefmt::parse_ms;
use crate::{Error, Result};

/// Where the sale update lives. UNCONFIRMED: the 2.0 API has no sale
/// update; the date-versioned 2026-07 reference documents `PUT
/// /sales/{sale_id}` (with `state` and `source` required), so the write
/// goes there while reads stay on 2.0. The fields copied into the body
/// (below, in `body`) and `source` being `{outlet_id, register_id,
/// user_id}` are read from the reference and a third-party client, also
/// UNCONFIRMED.
const WRITE_API: &str = "api/2026-07";

/// The sale `state` we set for a workflow status, or why X-Series can't
/// take it from an app.
pub fn target(status: OrderStatus) -> Result<&'static str> {
    let refuse = |why: &str| Err(Error::InvalidInput(format!("{PLATFORM} {why}")));
    match status {
        OrderStatus::Cancelled => Ok("voided"),
        OrderStatus::Pending | OrderStatus::Processing => {
            refuse("sales are parked or put on account at the register; Counterline can only void them")
        }
        OrderStatus::Shipped | OrderStatus::Delivered => {
            refuse("sales are closed at the register when they are paid and handed over; Counterline can only void them")
        }
        OrderStatus::Returned => refuse("returns are rung up at the register, where the money goes back; Counterline can only void a sale"),
    }
}

/// `state`, or the legacy `status` when a sale has none.
fn remote(sale: &Value) -> Result<RemoteOrder> {
    let detail = |d: &str| Error::Response { platform: PLATFORM, detail: d.to_owned() };
    let updated = sale["updated_at"].as_str().ok_or_else(|| detail("sale updated_at missing"))?;
    let state = sale["state"].as_str().map(str::to_owned).or_else(|| {
        sale["status"].as_str().map(|legacy| if legacy == "VOIDED" { "voided".to_owned() } else { legacy.to_ascii_lowercase() })
    });
    Ok(RemoteOrder {
        updated_at: parse_ms(updated).map_err(|e| detail(&e))?,
        raw_status: state.ok_or_else(|| detail("sale state missing"))?,
    })
}

/// The update body: the sale's editable attributes as they are, with `state`.
fn body(sale: &Value, state: &str) -> Value {
    json!({
        "state": state,
        "source": {
            "outlet_id": sale["outlet_id"],
            "register_id": sale["register_id"],
            "user_id": sale["user_id"],
        },
        "customer_id": sale["customer_id"],
        "invoice_number": sale["invoice_number"],
        "short_code": sale["short_code"],
        "note": sale["note"],
        "line_items": sale["line_items"],
        "payments": sale["payments"],
    })
}

impl XSeriesClient {
    fn call(&self) -> WriteCall<'_> {
        WriteCall {
            http: &self.http,
            keeper: &self.keeper,
            budget: &self.budget,
            platform: PLATFORM,
            auth_detail: "the store did not grant Counterline the right to change sales (sales:write); reconnect it",
            reason: |body| body["message"].as_str(),
        }
    }

    fn sale_url(&self, api: &str, id: &str) -> Result<url::Url> {
        let valid = !id.is_empty() && id.chars().all(|c| c.is_ascii_hexdigit() || c == '-');
        if !valid {
            return Err(Error::InvalidInput(format!("X-Series sale id {id:?}")));
        }
        self.origin.join(&format!("{api}/sales/{id}")).map_err(|e| Error::Internal(format!("X-Series path: {e}")))
    }

    async fn sale(&self, id: &str) -> Result<Value> {
        let url = self.sale_url("api/2.0", id)?;
        let body = self.call().send(Method::GET, url, None, None, 1.0, format!("sale {id} no longer exists in the store")).await?;
        Ok(body["data"].clone())
    }

    pub async fn remote_order(&self, id: &str) -> Result<RemoteOrder> {
        remote(&self.sale(id).await?)
    }

    pub async fn set_status(&self, id: &str, status: OrderStatus, idempotency_key: &str) -> Result<RemoteOrder> {
        let state = target(status)?;
        let sale = self.sale(id).await?;
        let url = self.sale_url(WRITE_API, id)?;
        let answer = self
            .call()
            .send(Method::PUT, url, Some(&body(&sale, state)), Some(idempotency_key), 1.0, format!("sale {id} no longer exists in the store"))
            .await?;
        remote(&answer["data"])
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
            assert_eq!(Platform::XSeries.writable_status(status), target(status).is_ok(), "{status:?}");
        }
        assert!(!Platform::XSeries.accepts_fulfillment_writes(), "no carrier or tracking number goes to X-Series");
    }

    #[test]
    fn a_voided_sale_reads_back_as_cancelled() {
        assert_eq!(super::super::normalize::status(Some(target(OrderStatus::Cancelled).unwrap()), None, false), OrderStatus::Cancelled);
    }

    #[test]
    fn the_update_sends_the_sale_back_whole_with_the_new_state() {
        let sale = json!({"outlet_id": "o", "register_id": "r", "user_id": "u", "line_items": [{"id": "l1"}, {"id": "l2"}], "payments": []});
        let sent = body(&sale, "voided");
        assert_eq!(sent["state"], "voided");
        assert_eq!(sent["source"]["register_id"], "r", "source is required");
        assert_eq!(sent["line_items"].as_array().map(Vec::len), Some(2), "every line stays, or it would be deleted");
    }
}
