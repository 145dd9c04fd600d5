//! The Kounta reads an order pull needs: the company the token opens (id,
//! name, currency) and its orders changed since a time, page by page.

use std::sync::Arc;

use serde_json::Value;
use tokio::sync::{Mutex, OnceCell};
use url::Url;

use counterline_store::model::NewOrder;

use super::normalize;
use crate::grant::GrantKeeper;
use crate::{timefmt, Error, Result};

pub(super) const PLATFORM: &str = "Lightspeed O-Series";
/// The "updated since" filter. UNCONFIRMED: Kounta documents only
/// `created_*` filters; without an updated filter edits and refunds of old
/// orders would never be seen, so this is the one place to change.
pub const UPDATED_SINCE_FILTER: &str = "updated_gte";

#[derive(Debug, Clone)]
pub struct Company {
    pub id: u64,
    pub name: String,
    pub currency: String,
}

pub struct OSeriesClient {
    pub(super) http: reqwest::Client,
    pub(super) origin: Url,
    pub(super) keeper: Arc<GrantKeeper>,
    pub(super) budget: Arc<crate::budget::Budget>,
    company: OnceCell<Company>,
    /// Largest `updated_at` seen so far in the current walk.
    walk_max: Mutex<Option<i64>>,
}

#[derive(Debug)]
pub struct OrdersPage {
    pub orders: Vec<NewOrder>,
    /// Orders on the page that could not be read.
    pub failed: Vec<crate::source::FailedItem>,
    pub is_last: bool,
    /// The walk's high-water mark, on its last page only.
    pub walk_max_updated_at: Option<i64>,
    /// `X-Pages`: how long the walk is, for progress estimates.
    pub total_pages: Option<u32>,
}

fn response_error(detail: impl Into<String>) -> Error {
    Error::Response { platform: PLATFORM, detail: detail.into() }
}

impl OSeriesClient {
    pub fn new(http: reqwest::Client, origin: Url, keeper: Arc<GrantKeeper>) -> OSeriesClient {
        let budget = Arc::new(crate::budget::Budget::new(counterline_store::model::Platform::OSeries));
        OSeriesClient { http, origin, keeper, budget, company: OnceCell::new(), walk_max: Mutex::new(None) }
    }

    /// Shares a connection's budget (see [`crate::budget::Budgets`]).
    pub fn with_budget(mut self, budget: std::sync::Arc<crate::budget::Budget>) -> Self {
        self.budget = budget;
        self
    }

    pub fn budget(&self) -> &std::sync::Arc<crate::budget::Budget> {
        &self.budget
    }

    /// `companies/me.json`: the company the token opens.
    pub async fn company(&self) -> Result<&Company> {
        self.company
            .get_or_try_init(|| async {
                let (body, _) = self.get("v1/companies/me.json", &[], 0).await?;
                let id = body["id"].as_u64().ok_or_else(|| response_error("the company id is missing"))?;
                let currency = body["currency"]
                    .as_str()
                    .filter(|c| c.len() == 3)
                    .ok_or_else(|| response_error("the company's currency is missing"))?;
                Ok(Company {
                    id,
                    name: body["name"].as_str().unwrap_or(PLATFORM).to_owned(),
                    currency: currency.to_ascii_uppercase(),
                })
            })
            .await
    }

    /// Page `page` (from 0) of the orders changed at or after `since`.
    pub async fn orders_page(&self, since: Option<i64>, page: u32) -> Result<OrdersPage> {
        let company = self.company().await?.clone();
        let mut query = Vec::new();
        if let Some(ms) = since {
            query.push((UPDATED_SINCE_FILTER, timefmt::format_ms(ms)));
        }
        let (body, pages) = self.get(&format!("v1/companies/{}/orders.json", company.id), &query, page).await?;
        let list = body.as_array().ok_or_else(|| response_error("orders is not a list"))?;
        let updated = |o: &Value| o["updated_at"].as_str().and_then(|t| timefmt::parse_ms(t).ok());
        let (orders, failed) = crate::source::read_each(list, "id", updated, |o| normalize::order(o, &company.currency));
        let is_last = pages.is_none_or(|pages| page + 1 >= pages);
        let mut walk_max = self.walk_max.lock().await;
        if page == 0 {
            *walk_max = None;
        }
        *walk_max = walk_max.max(orders.iter().map(|o| o.updated_at).max());
        let walk_max_updated_at = if is_last { walk_max.take() } else { None };
        Ok(OrdersPage { orders, failed, is_last, walk_max_updated_at, total_pages: pages })
    }

    async fn get(&self, path: &str, query: &[(&str, String)], page: u32) -> Result<(Value, Option<u32>)> {
        let url = self.origin.join(path).map_err(|e| Error::Internal(format!("O-Series path: {e}")))?;
        let host = url.host_str().unwrap_or("Kounta").to_owned();
        let response = self
            .budget
            .send(1.0, || {
                self.keeper.send(
                    |token| self.http.get(url.clone()).query(query).header("X-Page", page.to_string()).bearer_auth(token),
                    &host,
                )
            })
            .await?;
        let status = response.status();
        match status.as_u16() {
            200..=299 => {}
            403 => {
                return Err(Error::Auth { platform: PLATFORM, detail: "the company did not grant Counterline access to its orders".into() })
            }
            429 | 500..=599 => return Err(Error::Transient { platform: PLATFORM, detail: format!("HTTP {status}") }),
            _ => return Err(response_error(format!("HTTP {status}"))),
        }
        let pages = response.headers().get("x-pages").and_then(|v| v.to_str().ok()).and_then(|v| v.trim().parse().ok());
        let body = response
            .json()
            .await
            .map_err(|e| Error::Transient { platform: PLATFORM, detail: format!("incomplete response body: {e}") })?;
        Ok((body, pages))
    }
}
