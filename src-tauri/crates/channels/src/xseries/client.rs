//! The X-Series API 2.0 reads an order pull needs: outlets (for currency),
//! sales by version, and the customers and products the sales point at.
//! Customers and products are cached for the life of the client (one sync
//! run): a few unknown ids are fetched one by one, many by walking the
//! collection's version cursor from where the cache last stopped.

use std::collections::HashMap;
use std::sync::Arc;

use serde_json::Value;
use tokio::sync::Mutex;
use url::Url;

use counterline_store::model::NewOrder;

use super::normalize::{self, Customer, Joins, Product};
use crate::grant::GrantKeeper;
use crate::{Error, Result};

pub(super) const PLATFORM: &str = "Lightspeed X-Series";
/// The documented page size (channel-apis §5.2: 200 for 0.x; 2.0 may serve
/// more — UNCONFIRMED, so stay at the documented figure).
pub const PAGE_SIZE: u32 = 200;
/// Fewer unknown ids than this are fetched one by one; more, by a walk.
const FETCH_ONE_BY_ONE: usize = 8;

#[derive(Default)]
struct Cache {
    customers: HashMap<String, Customer>,
    customers_after: u64,
    products: HashMap<String, Product>,
    products_after: u64,
    /// Outlet id → currency; loaded once.
    currencies: Option<HashMap<String, String>>,
}

pub struct XSeriesClient {
    pub(super) http: reqwest::Client,
    pub(super) origin: Url,
    pub(super) keeper: Arc<GrantKeeper>,
    pub(super) budget: Arc<crate::budget::Budget>,
    cache: Mutex<Cache>,
}

/// One page of sales: `next_after` is `version.max`, `None` once the walk
/// has reached the end (an empty page).
#[derive(Debug)]
pub struct SalesPage {
    pub orders: Vec<NewOrder>,
    /// Orders on the page that could not be read.
    pub failed: Vec<crate::source::FailedItem>,
    pub next_after: Option<u64>,
}

fn response_error(detail: impl Into<String>) -> Error {
    Error::Response { platform: PLATFORM, detail: detail.into() }
}

fn data(body: &Value) -> Result<&Vec<Value>> {
    body["data"].as_array().ok_or_else(|| response_error("the list has no data array"))
}

impl XSeriesClient {
    pub fn new(http: reqwest::Client, origin: Url, keeper: Arc<GrantKeeper>) -> XSeriesClient {
        let budget = Arc::new(crate::budget::Budget::new(counterline_store::model::Platform::XSeries));
        XSeriesClient { http, origin, keeper, budget, cache: Mutex::new(Cache::default()) }
    }

    /// Shares a connection's budget (see [`crate::budget::Budgets`]).
    pub fn with_budget(mut self, budget: std::sync::Arc<crate::budget::Budget>) -> Self {
        self.budget = budget;
        self
    }

    pub fn budget(&self) -> &std::sync::Arc<crate::budget::Budget> {
        &self.budget
    }

    /// The credential check: the retailer's outlets; returns the first one's name.
    pub async fn store_name(&self) -> Result<String> {
        let body = self.get("api/2.0/outlets", &[]).await?;
        let name = data(&body)?.first().and_then(|o| o["name"].as_str()).map(str::to_owned);
        Ok(name.unwrap_or_else(|| self.origin.host_str().unwrap_or(PLATFORM).to_owned()))
    }

    /// Sales with `version > after`, lowest version first.
    pub async fn sales_page(&self, after: u64) -> Result<SalesPage> {
        let query = [("after", after.to_string()), ("page_size", PAGE_SIZE.to_string())];
        let body = self.get("api/2.0/sales", &query).await?;
        let sales = data(&body)?;
        if sales.is_empty() {
            return Ok(SalesPage { orders: Vec::new(), failed: Vec::new(), next_after: None });
        }
        let max = body["version"]["max"].as_u64().ok_or_else(|| response_error("version.max missing"))?;
        if max <= after {
            return Err(response_error("the version cursor did not advance"));
        }
        let ids = |field: &str| -> Vec<String> {
            sales.iter().filter_map(|s| s[field].as_str()).map(str::to_owned).collect()
        };
        let product_ids: Vec<String> = sales
            .iter()
            .flat_map(|s| s["line_items"].as_array().into_iter().flatten())
            .filter_map(|l| l["product_id"].as_str())
            .map(str::to_owned)
            .collect();
        let mut cache = self.cache.lock().await;
        self.load_currencies(&mut cache).await?;
        self.load_customers(&mut cache, ids("customer_id")).await?;
        self.load_products(&mut cache, product_ids).await?;
        let joins = Joins {
            customers: &cache.customers,
            products: &cache.products,
            currencies: cache.currencies.as_ref().expect("loaded above"),
        };
        let updated = |s: &Value| s["updated_at"].as_str().and_then(|t| crate::timefmt::parse_ms(t).ok());
        let (orders, failed) = crate::source::read_each(sales.iter(), "id", updated, |s| normalize::sale(s, &joins));
        Ok(SalesPage { orders, failed, next_after: Some(max) })
    }

    async fn load_currencies(&self, cache: &mut Cache) -> Result<()> {
        if cache.currencies.is_none() {
            let body = self.get("api/2.0/outlets", &[]).await?;
            let map = data(&body)?
                .iter()
                .filter_map(|o| Some((o["id"].as_str()?.to_owned(), o["currency"].as_str()?.to_owned())))
                .collect();
            cache.currencies = Some(map);
        }
        Ok(())
    }

    async fn load_customers(&self, cache: &mut Cache, wanted: Vec<String>) -> Result<()> {
        let missing = unknown(&cache.customers, wanted);
        if missing.len() < FETCH_ONE_BY_ONE {
            for id in missing {
                let body = self.get(&format!("api/2.0/customers/{id}"), &[]).await?;
                cache.customers.insert(id, customer(&body["data"]));
            }
            return Ok(());
        }
        while let Some(page) = self.walk("api/2.0/customers", &mut cache.customers_after).await? {
            for c in page {
                if let Some(id) = c["id"].as_str() {
                    cache.customers.insert(id.to_owned(), customer(&c));
                }
            }
        }
        Ok(())
    }

    async fn load_products(&self, cache: &mut Cache, wanted: Vec<String>) -> Result<()> {
        let missing = unknown(&cache.products, wanted);
        if missing.len() < FETCH_ONE_BY_ONE {
            for id in missing {
                let body = self.get(&format!("api/2.0/products/{id}"), &[]).await?;
                cache.products.insert(id, product(&body["data"]));
            }
            return Ok(());
        }
        while let Some(page) = self.walk("api/2.0/products", &mut cache.products_after).await? {
            for p in page {
                if let Some(id) = p["id"].as_str() {
                    cache.products.insert(id.to_owned(), product(&p));
                }
            }
        }
        Ok(())
    }

    /// The next page of a version walk, advancing `after`; `None` at the end.
    async fn walk(&self, path: &str, after: &mut u64) -> Result<Option<Vec<Value>>> {
        let query = [("after", after.to_string()), ("page_size", PAGE_SIZE.to_string())];
        let body = self.get(path, &query).await?;
        let items = data(&body)?.clone();
        if items.is_empty() {
            return Ok(None);
        }
        let max = body["version"]["max"].as_u64().ok_or_else(|| response_error("version.max missing"))?;
        if max <= *after {
            return Err(response_error("the version cursor did not advance"));
        }
        *after = max;
        Ok(Some(items))
    }

    async fn get(&self, path: &str, query: &[(&str, String)]) -> Result<Value> {
        let url = self.origin.join(path).map_err(|e| Error::Internal(format!("X-Series path: {e}")))?;
        let host = url.host_str().unwrap_or("the store").to_owned();
        let response = self
            .budget
            .send(1.0, || self.keeper.send(|token| self.http.get(url.clone()).query(query).bearer_auth(token), &host))
            .await?;
        let status = response.status();
        match status.as_u16() {
            200..=299 => {}
            403 => {
                return Err(Error::Auth {
                    platform: PLATFORM,
                    detail: "the store did not grant Counterline access to sales, customers and products".into(),
                })
            }
            404 => return Err(response_error(format!("{path} was not found (is the store address right?)"))),
            429 | 500..=599 => return Err(Error::Transient { platform: PLATFORM, detail: format!("HTTP {status}") }),
            _ => return Err(response_error(format!("HTTP {status}"))),
        }
        response
            .json()
            .await
            .map_err(|e| Error::Transient { platform: PLATFORM, detail: format!("incomplete response body: {e}") })
    }
}

fn unknown<T>(known: &HashMap<String, T>, wanted: Vec<String>) -> Vec<String> {
    let mut missing: Vec<String> = wanted.into_iter().filter(|id| !known.contains_key(id)).collect();
    missing.sort_unstable();
    missing.dedup();
    missing
}

fn customer(c: &Value) -> Customer {
    let text = |v: &Value| v.as_str().map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned);
    Customer { name: text(&c["name"]), email: text(&c["email"]) }
}

fn product(p: &Value) -> Product {
    let text = |v: &Value| v.as_str().map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned);
    Product { name: text(&p["name"]), sku: text(&p["sku"]) }
}
