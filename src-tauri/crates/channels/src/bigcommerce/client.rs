//! The v2 Orders API with an `X-Auth-Token`. Pages by number over
//! `sort=date_modified:asc`; an order edited mid-pull moves to the end of the
//! list, and the overlap re-read of the next run picks it up, because its new
//! `date_modified` is past the saved cursor. Every request goes through the
//! connection's [`crate::budget::Budget`], which follows the quota headers
//! so a pull waits for the window to reset instead of collecting 429s.

use std::sync::Arc;

use serde_json::Value;
use url::Url;

use counterline_secrets::Secret;
use counterline_store::model::NewOrder;

use super::{normalize, BigCommerceApi, StoreHash};
use crate::{timefmt, Error, Result};

pub(super) const PLATFORM: &str = "BigCommerce";
/// BigCommerce's maximum `limit` for v2 orders (UNCONFIRMED; Airbyte uses 250).
pub const ORDERS_PAGE_SIZE: u32 = 250;

pub struct BigCommerceClient {
    pub(super) http: reqwest::Client,
    pub(super) base: Url,
    pub(super) token: Secret,
    pub(super) budget: Arc<crate::budget::Budget>,
}

#[derive(Debug)]
pub struct OrdersPage {
    pub orders: Vec<NewOrder>,
    /// Orders on the page that could not be read.
    pub failed: Vec<crate::source::FailedItem>,
    pub is_last: bool,
}

impl BigCommerceClient {
    pub fn new(http: reqwest::Client, api: &BigCommerceApi, hash: &StoreHash, token: Secret) -> Result<BigCommerceClient> {
        let base = api
            .origin()?
            .join(&format!("stores/{}/v2/", hash.as_str()))
            .map_err(|e| Error::Internal(format!("BigCommerce base: {e}")))?;
        let budget = Arc::new(crate::budget::Budget::new(counterline_store::model::Platform::BigCommerce));
        Ok(BigCommerceClient { http, base, token, budget })
    }

    /// Shares a connection's budget (see [`crate::budget::Budgets`]).
    pub fn with_budget(mut self, budget: std::sync::Arc<crate::budget::Budget>) -> Self {
        self.budget = budget;
        self
    }

    pub fn budget(&self) -> &std::sync::Arc<crate::budget::Budget> {
        &self.budget
    }

    /// The credential check: the store's name.
    pub async fn store_name(&self) -> Result<String> {
        let store = self.get("store", &[]).await?.unwrap_or(Value::Null);
        store["name"].as_str().map(str::to_owned).ok_or_else(|| Error::Response {
            platform: PLATFORM,
            detail: "store.name missing".into(),
        })
    }

    /// Page `page` (1-based) of orders modified at or after `since`.
    pub async fn orders_page(&self, since: Option<i64>, page: u32) -> Result<OrdersPage> {
        let mut query = vec![
            ("sort", "date_modified:asc".to_owned()),
            ("limit", ORDERS_PAGE_SIZE.to_string()),
            ("page", page.to_string()),
        ];
        if let Some(ms) = since {
            query.push(("min_date_modified", timefmt::format_ms(ms)));
        }
        // 204 No Content: past the last page.
        let list = self.get("orders", &query).await?.unwrap_or(Value::Array(Vec::new()));
        let raw = list.as_array().ok_or_else(|| Error::Response { platform: PLATFORM, detail: "orders is not a list".into() })?;
        let mut products_of = Vec::with_capacity(raw.len());
        for order in raw {
            let products = match order["id"].as_i64() {
                Some(id) => self.get(&format!("orders/{id}/products"), &[]).await?.unwrap_or(Value::Array(Vec::new())),
                None => Value::Array(Vec::new()),
            };
            products_of.push(products);
        }
        let updated = |order: &Value| order["date_modified"].as_str().and_then(|t| timefmt::parse_rfc2822_ms(t).ok());
        let mut products = products_of.iter();
        let (orders, failed) = crate::source::read_each(raw, "id", updated, |order| {
            let products = products.next().and_then(Value::as_array).map(Vec::as_slice).unwrap_or_default();
            normalize::order(order, products)
        });
        Ok(OrdersPage { is_last: (raw.len() as u32) < ORDERS_PAGE_SIZE, orders, failed })
    }

    /// GET a v2 resource; `None` for 204 No Content.
    async fn get(&self, path: &str, query: &[(&str, String)]) -> Result<Option<Value>> {
        let url = self.base.join(path).map_err(|e| Error::Internal(format!("BigCommerce path: {e}")))?;
        let host = url.host_str().unwrap_or("BigCommerce").to_owned();
        let response = self
            .budget
            .send(1.0, || async {
                self.http
                    .get(url.clone())
                    .query(query)
                    .header("X-Auth-Token", self.token.expose())
                    .header("Accept", "application/json")
                    .send()
                    .await
                    .map_err(|_| Error::Unreachable { host: host.clone() })
            })
            .await?;
        let status = response.status();
        match status.as_u16() {
            204 => return Ok(None),
            401 | 403 => {
                return Err(Error::Auth { platform: PLATFORM, detail: "the access token was refused (the API account may have been deleted)".into() })
            }
            429 | 500..=599 => return Err(Error::Transient { platform: PLATFORM, detail: format!("HTTP {status}") }),
            200..=299 => {}
            _ => return Err(Error::Response { platform: PLATFORM, detail: format!("HTTP {status}") }),
        }
        let body = response.json().await.map_err(|e| Error::Transient { platform: PLATFORM, detail: format!("incomplete response body: {e}") })?;
        Ok(Some(body))
    }
}
