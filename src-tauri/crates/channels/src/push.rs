//! Writes to channels, platform-neutral: what the outbox sender needs to
//! deliver an order status exactly once. Before each send it reads the
//! remote order: already at the target means an earlier attempt landed
//! (its answer was lost), and a remote order that moved past the change's
//! base is a conflict, never overwritten.

use std::collections::HashMap;

use serde_json::Value;

use counterline_store::model::{OrderStatus, Platform};
use counterline_store::outbox::{Change, FulfillmentLine};

use crate::source::OrderSource;
use crate::{Error, Result};

/// The remote order as far as a status write cares.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RemoteOrder {
    /// The platform's last-modified time (UTC ms).
    pub updated_at: i64,
    /// The platform's own status value (a WooCommerce slug, a BigCommerce status id).
    pub raw_status: String,
}

/// Sent with every write, so a platform (or proxy) that honours it applies a
/// retried write once. Our convention; the platforms we write to today don't
/// document it (UNCONFIRMED; of the Lightspeed lines only K-Series names an
/// idempotency header, on its webhooks), which is why the read-before-send
/// check exists.
pub const IDEMPOTENCY_HEADER: &str = "Idempotency-Key";

/// How a REST platform's answer to a write, or to the read before it, maps
/// onto our errors. `who` names the other side in messages ("the store",
/// "BigCommerce"); `reason` finds the refusal's words in the body.
pub(crate) async fn read_answer(
    response: reqwest::Response,
    platform: &'static str,
    who: &str,
    auth_detail: &str,
    not_found: String,
    reason: impl Fn(&Value) -> Option<&str>,
) -> Result<Value> {
    let status = response.status().as_u16();
    let text = response
        .text()
        .await
        .map_err(|e| Error::Transient { platform, detail: format!("incomplete response body: {e}") })?;
    let parsed: Option<Value> = serde_json::from_str(&text).ok();
    match status {
        200..=299 => parsed.ok_or_else(|| Error::Transient { platform, detail: format!("{who}'s answer was cut off") }),
        401 | 403 => Err(Error::Auth { platform, detail: auth_detail.to_owned() }),
        404 => Err(Error::Response { platform, detail: not_found }),
        429 | 500..=599 => Err(Error::Transient { platform, detail: format!("HTTP {status}") }),
        _ => {
            let reason = parsed.as_ref().and_then(&reason).unwrap_or("no reason given");
            Err(Error::Response { platform, detail: format!("{who} refused the change: {reason}") })
        }
    }
}

impl OrderSource {
    fn unsupported(&self) -> Error {
        Error::InvalidInput(format!("{} orders can't be changed from Counterline yet", self.platform_name()))
    }

    /// The platform's value for our status, or why there is none.
    pub fn target_status(&self, status: OrderStatus) -> Result<String> {
        match self {
            OrderSource::WooCommerce(_) => Ok(crate::woocommerce::writes::status_slug(status).to_owned()),
            OrderSource::BigCommerce(_) => Ok(crate::bigcommerce::writes::status_id(status).to_string()),
            OrderSource::Shopify(_) => crate::shopify::writes::target(status).map(str::to_owned).ok_or_else(|| {
                Error::InvalidInput(format!(
                    "Shopify sets {} orders itself (from payments, fulfillments and refunds)",
                    status.as_str()
                ))
            }),
            OrderSource::XSeries(_) => crate::xseries::writes::target(status).map(str::to_owned),
            OrderSource::RSeries(_) => crate::rseries::writes::target(status).map(str::to_owned),
            OrderSource::OSeries(_) => crate::oseries::writes::target(status).map(str::to_owned),
            // K-Series serves closed sales read-only (Financial API); its
            // documented writes are items and online orders (channel-apis §7).
            OrderSource::KSeries(_) => Err(Error::InvalidInput(format!(
                "{} sends Counterline bills once they are closed, and its API takes no changes to them",
                self.platform_name()
            ))),
        }
    }

    /// The platform's status value once `change` is applied: an order already
    /// there needs nothing sent.
    pub fn target_of(&self, change: &Change) -> Result<String> {
        match (self, change) {
            (_, Change::Status { status }) => self.target_status(*status),
            (OrderSource::BigCommerce(_) | OrderSource::Shopify(_), Change::Fulfillment { .. }) => {
                self.target_status(OrderStatus::Shipped)
            }
            (OrderSource::WooCommerce(_), Change::Fulfillment { .. }) => Err(Error::InvalidInput(
                "WooCommerce has no built-in shipment tracking; set the order to Shipped instead".into(),
            )),
            (
                OrderSource::XSeries(_) | OrderSource::RSeries(_) | OrderSource::KSeries(_) | OrderSource::OSeries(_),
                Change::Fulfillment { .. },
            ) => Err(Error::InvalidInput(format!(
                "{} has no shipments with a carrier and tracking number that Counterline can send",
                self.platform_name()
            ))),
        }
    }

    /// Applies `change` on the platform; returns the order as it now is.
    pub async fn push(&self, external_id: &str, change: &Change, idempotency_key: &str) -> Result<RemoteOrder> {
        match (self, change) {
            (_, Change::Status { status }) => self.push_status(external_id, *status, idempotency_key).await,
            (OrderSource::BigCommerce(client), Change::Fulfillment { carrier, tracking_number, tracking_url, lines, .. }) => {
                let lines = (!lines.is_empty()).then_some(lines.as_slice());
                client.ship(external_id, carrier, tracking_number, tracking_url.as_deref(), lines, idempotency_key).await
            }
            (OrderSource::Shopify(client), Change::Fulfillment { carrier, tracking_number, tracking_url, lines, .. }) => {
                let tracking = Some((carrier.as_str(), tracking_number.as_str(), tracking_url.as_deref()));
                match lines.is_empty() {
                    true => client.fulfill(external_id, tracking, idempotency_key).await,
                    false => client.fulfill_lines(external_id, lines, tracking, idempotency_key).await,
                }
            }
            _ => Err(self.target_of(change).err().unwrap_or_else(|| self.unsupported())),
        }
    }

    /// Whether the platform already has every unit of a shipment's lines
    /// shipped (an earlier attempt landed, its answer lost).
    pub async fn has_shipped(&self, external_id: &str, lines: &[FulfillmentLine]) -> Result<bool> {
        let shipped: HashMap<String, i64> = match self {
            OrderSource::BigCommerce(client) => client.shipped_quantities(external_id).await?,
            OrderSource::Shopify(client) => client.shipped_quantities(external_id).await?,
            _ => return Err(self.unsupported()),
        };
        Ok(lines.iter().all(|l| shipped.get(&l.external_id).copied().unwrap_or(0) >= l.shipped_after))
    }

    pub async fn remote_order(&self, external_id: &str) -> Result<RemoteOrder> {
        match self {
            OrderSource::WooCommerce(client) => client.remote_order(external_id).await,
            OrderSource::BigCommerce(client) => client.remote_order(external_id).await,
            OrderSource::Shopify(client) => client.remote_order(external_id).await,
            OrderSource::XSeries(client) => client.remote_order(external_id).await,
            OrderSource::RSeries(client) => client.remote_order(external_id).await,
            OrderSource::OSeries(client) => client.remote_order(external_id).await,
            _ => Err(self.unsupported()),
        }
    }

    /// Sets the order's status; returns the order as the platform now has it.
    pub async fn push_status(&self, external_id: &str, status: OrderStatus, idempotency_key: &str) -> Result<RemoteOrder> {
        match self {
            OrderSource::WooCommerce(client) => client.set_status(external_id, status, idempotency_key).await,
            OrderSource::BigCommerce(client) => client.set_status(external_id, status, idempotency_key).await,
            OrderSource::Shopify(client) => client.set_status(external_id, status, idempotency_key).await,
            OrderSource::XSeries(client) => client.set_status(external_id, status, idempotency_key).await,
            OrderSource::RSeries(client) => client.set_status(external_id, status, idempotency_key).await,
            OrderSource::OSeries(client) => client.set_status(external_id, status, idempotency_key).await,
            _ => Err(self.unsupported()),
        }
    }

    pub fn platform(&self) -> Platform {
        match self {
            OrderSource::Shopify(_) => Platform::Shopify,
            OrderSource::BigCommerce(_) => Platform::BigCommerce,
            OrderSource::WooCommerce(_) => Platform::WooCommerce,
            OrderSource::XSeries(_) => Platform::XSeries,
            OrderSource::RSeries(_) => Platform::RSeries,
            OrderSource::KSeries(_) => Platform::KSeries,
            OrderSource::OSeries(_) => Platform::OSeries,
        }
    }

    pub fn platform_name(&self) -> &'static str {
        self.platform().display_name()
    }
}
