//! The wc/v3 orders endpoint over HTTP Basic (application password or
//! consumer key/secret), paged by `page`/`per_page` over
//! `orderby=modified&order=asc`, last page from `X-WP-TotalPages`.

use base64::Engine;
use serde_json::Value;
use url::Url;

use counterline_secrets::Secret;
use counterline_store::model::NewOrder;

use super::normalize;
use crate::{timefmt, Error, Result};

pub(super) const PLATFORM: &str = "WooCommerce";
/// WordPress caps `per_page` at 100.
pub const ORDERS_PAGE_SIZE: u32 = 100;

pub struct WooClient {
    pub(super) http: reqwest::Client,
    pub(super) origin: Url,
    /// `user:password` or `consumer_key:consumer_secret`, as stored in the keychain.
    pub(super) credential: Secret,
    /// No documented limit; the budget still obeys a host's 429s.
    pub(super) budget: std::sync::Arc<crate::budget::Budget>,
}

#[derive(Debug)]
pub struct OrdersPage {
    pub orders: Vec<NewOrder>,
    /// Orders on the page that could not be read.
    pub failed: Vec<crate::source::FailedItem>,
    pub is_last: bool,
    /// `X-WP-TotalPages`: how long the walk is, for progress estimates.
    pub total_pages: Option<u32>,
}

impl WooClient {
    pub fn new(http: reqwest::Client, origin: Url, credential: Secret) -> WooClient {
        let budget = std::sync::Arc::new(crate::budget::Budget::new(counterline_store::model::Platform::WooCommerce));
        WooClient { http, origin, credential, budget }
    }

    /// Shares a connection's budget (see [`crate::budget::Budgets`]).
    pub fn with_budget(mut self, budget: std::sync::Arc<crate::budget::Budget>) -> Self {
        self.budget = budget;
        self
    }

    pub fn budget(&self) -> &std::sync::Arc<crate::budget::Budget> {
        &self.budget
    }

    /// The credential check: an authenticated call, then the site's name.
    pub async fn site_name(&self) -> Result<String> {
        self.get("wp-json/wc/v3/system_status", &[]).await?;
        let (index, _) = self.get("wp-json/", &[]).await?;
        Ok(index["name"].as_str().map(str::to_owned).unwrap_or_else(|| self.origin.host_str().unwrap_or("WooCommerce").to_owned()))
    }

    pub async fn orders_page(&self, since: Option<i64>, page: u32) -> Result<OrdersPage> {
        let mut query = vec![
            ("orderby", "modified".to_owned()),
            ("order", "asc".to_owned()),
            ("per_page", ORDERS_PAGE_SIZE.to_string()),
            ("page", page.to_string()),
            ("dates_are_gmt", "true".to_owned()),
        ];
        if let Some(ms) = since {
            query.push(("modified_after", timefmt::format_ms(ms).trim_end_matches('Z').to_owned()));
        }
        let (body, total_pages) = self.get_bytes("wp-json/wc/v3/orders", &query).await?;
        // Item by item, typed: an order is read without building a tree of
        // the ~3 KB WooCommerce sends for it, and one bad order stays one.
        let list: Vec<&serde_json::value::RawValue> = serde_json::from_slice(&body)
            .map_err(|e| Error::Transient { platform: PLATFORM, detail: format!("orders list unreadable or cut off: {e}") })?;
        let mut orders = Vec::with_capacity(list.len());
        let mut failed = Vec::new();
        for raw in list {
            match normalize::order_json(raw.get()) {
                Ok(order) => orders.push(order),
                Err(message) => {
                    let value: Value = serde_json::from_str(raw.get()).unwrap_or(Value::Null);
                    let updated = |o: &Value| {
                        o["date_modified_gmt"].as_str().and_then(|t| timefmt::parse_ms(&format!("{}Z", t.trim_end_matches('Z'))).ok())
                    };
                    failed.push(crate::source::FailedItem::of(&value, "id", updated, message));
                }
            }
        }
        Ok(OrdersPage { orders, is_last: total_pages.is_none_or(|pages| page >= pages), total_pages, failed })
    }

    /// GET with Basic auth; also returns `X-WP-TotalPages` when present.
    async fn get(&self, path: &str, query: &[(&str, String)]) -> Result<(Value, Option<u32>)> {
        let (body, pages) = self.get_bytes(path, query).await?;
        let value = serde_json::from_slice(&body)
            .map_err(|e| Error::Transient { platform: PLATFORM, detail: format!("incomplete response body: {e}") })?;
        Ok((value, pages))
    }

    /// [`Self::get`]'s answer unparsed, for callers that read it item by item.
    async fn get_bytes(&self, path: &str, query: &[(&str, String)]) -> Result<(Vec<u8>, Option<u32>)> {
        let url = self.origin.join(path).map_err(|e| Error::Internal(format!("WooCommerce path: {e}")))?;
        let host = url.host_str().unwrap_or("the store").to_owned();
        let basic = base64::engine::general_purpose::STANDARD.encode(self.credential.expose());
        let response = self
            .budget
            .send(1.0, || async {
                self.http
                    .get(url.clone())
                    .query(query)
                    .header("Authorization", format!("Basic {basic}"))
                    .send()
                    .await
                    .map_err(|_| Error::Unreachable { host: host.clone() })
            })
            .await?;
        let status = response.status();
        match status.as_u16() {
            401 | 403 => {
                return Err(Error::Auth { platform: PLATFORM, detail: "the store refused the password or API keys (they may have been revoked)".into() })
            }
            404 => return Err(Error::Response { platform: PLATFORM, detail: "this site has no WooCommerce REST API (is WooCommerce installed and are permalinks on?)".into() }),
            429 | 500..=599 => return Err(Error::Transient { platform: PLATFORM, detail: format!("HTTP {status}") }),
            200..=299 => {}
            _ => return Err(Error::Response { platform: PLATFORM, detail: format!("HTTP {status}") }),
        }
        let pages = response.headers().get("x-wp-totalpages").and_then(|v| v.to_str().ok()).and_then(|v| v.parse().ok());
        let body = response.bytes().await.map_err(|e| Error::Transient { platform: PLATFORM, detail: format!("incomplete response body: {e}") })?;
        Ok((body.to_vec(), pages))
    }
}
