//! The Admin GraphQL client: authenticated POSTs to `graphql.json`, Shopify's
//! error shapes mapped to ours, and the connection's cost-point budget, so a
//! long pull stays inside the leaky bucket instead of collecting `THROTTLED`
//! answers, and waits out the ones it still gets.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use serde::Deserialize;
use serde_json::{json, Value};
use url::Url;

use counterline_secrets::Secret;
use counterline_store::model::NewOrder;

use super::{normalize, SHOPIFY_API_VERSION};
use crate::budget::{Budget, ShopifyCost, MAX_ATTEMPTS};
use crate::{Error, Result};

const ORDERS_QUERY: &str = include_str!("orders.graphql");
const SHOP_QUERY: &str = include_str!("shop.graphql");
/// See the cost note at the top of orders.graphql.
pub const ORDERS_PAGE_SIZE: u32 = 20;
pub(super) const PLATFORM: &str = "Shopify";

pub struct ShopifyClient {
    http: reqwest::Client,
    endpoint: Url,
    token: Secret,
    budget: Arc<Budget>,
    /// Each document's `requestedQueryCost` as last reported: what the
    /// bucket must hold before sending it again.
    requested: Mutex<HashMap<&'static str, f64>>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShopInfo {
    pub name: String,
    pub domain: String,
    pub currency: String,
}

/// One page of the incremental pull.
#[derive(Debug)]
pub struct OrdersPage {
    pub orders: Vec<NewOrder>,
    /// Orders on the page that could not be read.
    pub failed: Vec<crate::source::FailedItem>,
    pub end_cursor: Option<String>,
    pub has_next_page: bool,
    /// Largest platform `updatedAt` on the page (UTC ms), the next high-water mark.
    pub max_updated_at: Option<i64>,
}

#[derive(Deserialize)]
struct Envelope {
    data: Option<Value>,
    #[serde(default)]
    errors: Option<Value>,
    #[serde(default)]
    extensions: Option<Value>,
}

impl ShopifyClient {
    pub fn new(http: reqwest::Client, origin: &Url, token: Secret) -> Result<ShopifyClient> {
        let endpoint = origin
            .join(&format!("admin/api/{SHOPIFY_API_VERSION}/graphql.json"))
            .map_err(|e| Error::Internal(format!("graphql endpoint: {e}")))?;
        let budget = Arc::new(Budget::new(counterline_store::model::Platform::Shopify));
        Ok(ShopifyClient { http, endpoint, token, budget, requested: Mutex::new(HashMap::new()) })
    }

    /// Shares a connection's budget (see [`crate::budget::Budgets`]).
    pub fn with_budget(mut self, budget: Arc<Budget>) -> Self {
        self.budget = budget;
        self
    }

    pub fn budget(&self) -> &Arc<Budget> {
        &self.budget
    }

    /// The credential check: succeeds only with a working token.
    pub async fn shop(&self) -> Result<ShopInfo> {
        let data = self.query(SHOP_QUERY, json!({}), 2.0).await?;
        let shop = &data["shop"];
        let field = |name: &str| {
            shop[name].as_str().map(str::to_owned).ok_or_else(|| Error::Response {
                platform: PLATFORM,
                detail: format!("shop.{name} missing"),
            })
        };
        Ok(ShopInfo { name: field("name")?, domain: field("myshopifyDomain")?, currency: field("currencyCode")? })
    }

    /// Orders updated at or after `updated_since` (UTC ms), oldest change
    /// first, continuing after `after`.
    pub async fn orders_page(&self, updated_since: Option<i64>, after: Option<&str>) -> Result<OrdersPage> {
        let query = updated_since.map(|ms| format!("updated_at:>='{}'", crate::timefmt::format_ms(ms)));
        let variables = json!({ "first": ORDERS_PAGE_SIZE, "after": after, "query": query });
        let data = self.query(ORDERS_QUERY, variables, 882.0).await?;
        let connection = &data["orders"];
        let nodes = connection["nodes"].as_array().ok_or_else(|| Error::Response {
            platform: PLATFORM,
            detail: "orders.nodes missing".into(),
        })?;
        let updated = |node: &Value| node["updatedAt"].as_str().and_then(|t| crate::timefmt::parse_ms(t).ok());
        let (orders, failed) = crate::source::read_each(nodes, "id", updated, normalize::order);
        Ok(OrdersPage {
            failed,
            max_updated_at: orders.iter().map(|o| o.updated_at).max(),
            orders,
            end_cursor: connection["pageInfo"]["endCursor"].as_str().map(str::to_owned),
            has_next_page: connection["pageInfo"]["hasNextPage"].as_bool().unwrap_or(false),
        })
    }

    /// Sends `document` once the bucket holds its cost (the last reported
    /// `requestedQueryCost`, `estimate` before the first answer); a
    /// `THROTTLED` answer is waited out and the query sent again.
    async fn query(&self, document: &'static str, variables: Value, estimate: f64) -> Result<Value> {
        self.query_keyed(document, variables, estimate, None).await
    }

    /// [`Self::query`] with an `Idempotency-Key` header (mutations from the outbox).
    pub(super) async fn query_keyed(&self, document: &'static str, variables: Value, estimate: f64, key: Option<&str>) -> Result<Value> {
        let host = self.endpoint.host_str().unwrap_or("Shopify").to_owned();
        for _ in 0..MAX_ATTEMPTS {
            let cost = self.requested.lock().unwrap_or_else(|p| p.into_inner()).get(document).copied().unwrap_or(estimate);
            let response = self
                .budget
                .send(cost, || async {
                    let mut request = self
                        .http
                        .post(self.endpoint.clone())
                        .header("X-Shopify-Access-Token", self.token.expose())
                        .json(&json!({ "query": document, "variables": &variables }));
                    if let Some(key) = key {
                        request = request.header(crate::push::IDEMPOTENCY_HEADER, key);
                    }
                    request
                        .send()
                        .await
                        .map_err(|_| Error::Unreachable { host: host.clone() })
                })
                .await?;
            let status = response.status();
            if status == reqwest::StatusCode::UNAUTHORIZED || status == reqwest::StatusCode::FORBIDDEN {
                return Err(Error::Auth { platform: PLATFORM, detail: "the access token was refused (the app may have been uninstalled)".into() });
            }
            if status.is_server_error() {
                return Err(Error::Transient { platform: PLATFORM, detail: format!("HTTP {status}") });
            }
            if !status.is_success() {
                return Err(Error::Response { platform: PLATFORM, detail: format!("HTTP {status}") });
            }
            let envelope: Envelope = response.json().await.map_err(|e| Error::Transient {
                platform: PLATFORM,
                detail: format!("incomplete response body: {e}"),
            })?;
            let cost = envelope.extensions.as_ref().and_then(ShopifyCost::from_extensions);
            if let Some(cost) = &cost {
                self.budget.observe_shopify(cost);
                if let Some(requested) = cost.requested {
                    self.requested.lock().unwrap_or_else(|p| p.into_inner()).insert(document, requested);
                }
            }
            if let Some(errors) = envelope.errors.filter(|e| !e.is_null()) {
                let throttled = errors.as_array().is_some_and(|list| {
                    list.iter().any(|e| e["extensions"]["code"] == "THROTTLED")
                });
                if !throttled {
                    return Err(Error::Response { platform: PLATFORM, detail: first_message(&errors) });
                }
                match cost {
                    Some(_) => self.budget.count_shopify_throttle(),
                    // No status to wait by: block for a full refill.
                    None => _ = self.budget.obey_429(None),
                }
                continue;
            }
            return envelope.data.ok_or_else(|| Error::Response { platform: PLATFORM, detail: "no data in response".into() });
        }
        Err(self.budget.exhausted())
    }
}

fn first_message(errors: &Value) -> String {
    errors
        .as_array()
        .and_then(|list| list.first())
        .and_then(|e| e["message"].as_str())
        .unwrap_or("unknown GraphQL error")
        .to_owned()
}
