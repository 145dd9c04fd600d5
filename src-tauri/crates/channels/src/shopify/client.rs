//! The Admin GraphQL client: authenticated POSTs to `graphql.json`, Shopify's
//! error shapes mapped to ours, and a cost-aware pause so a long pull stays
//! inside the leaky bucket instead of collecting `THROTTLED` answers.

use std::time::Duration;

use serde::Deserialize;
use serde_json::{json, Value};
use url::Url;

use counterline_secrets::Secret;
use counterline_store::model::NewOrder;

use super::{normalize, SHOPIFY_API_VERSION};
use crate::{Error, Result};

const ORDERS_QUERY: &str = include_str!("orders.graphql");
const SHOP_QUERY: &str = include_str!("shop.graphql");
/// See the cost note at the top of orders.graphql.
pub const ORDERS_PAGE_SIZE: u32 = 20;
const PLATFORM: &str = "Shopify";

pub struct ShopifyClient {
    http: reqwest::Client,
    endpoint: Url,
    token: Secret,
    /// Points the bucket had after the last answer, and its restore rate.
    budget: std::sync::Mutex<Option<(f64, f64)>>,
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
        Ok(ShopifyClient { http, endpoint, token, budget: std::sync::Mutex::new(None) })
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
        let mut orders = Vec::with_capacity(nodes.len());
        for node in nodes {
            orders.push(normalize::order(node).map_err(|detail| Error::Response { platform: PLATFORM, detail })?);
        }
        Ok(OrdersPage {
            max_updated_at: orders.iter().map(|o| o.updated_at).max(),
            orders,
            end_cursor: connection["pageInfo"]["endCursor"].as_str().map(str::to_owned),
            has_next_page: connection["pageInfo"]["hasNextPage"].as_bool().unwrap_or(false),
        })
    }

    async fn query(&self, document: &str, variables: Value, expected_cost: f64) -> Result<Value> {
        self.wait_for_budget(expected_cost).await;
        let host = self.endpoint.host_str().unwrap_or("Shopify").to_owned();
        let response = self
            .http
            .post(self.endpoint.clone())
            .header("X-Shopify-Access-Token", self.token.expose())
            .json(&json!({ "query": document, "variables": variables }))
            .send()
            .await
            .map_err(|_| Error::Unreachable { host: host.clone() })?;
        let status = response.status();
        if status == reqwest::StatusCode::UNAUTHORIZED || status == reqwest::StatusCode::FORBIDDEN {
            return Err(Error::Auth { platform: PLATFORM, detail: "the access token was refused (the app may have been uninstalled)".into() });
        }
        if status == reqwest::StatusCode::TOO_MANY_REQUESTS || status.is_server_error() {
            return Err(Error::Transient { platform: PLATFORM, detail: format!("HTTP {status}") });
        }
        if !status.is_success() {
            return Err(Error::Response { platform: PLATFORM, detail: format!("HTTP {status}") });
        }
        let envelope: Envelope = response.json().await.map_err(|e| Error::Transient {
            platform: PLATFORM,
            detail: format!("incomplete response body: {e}"),
        })?;
        self.note_budget(envelope.extensions.as_ref());
        if let Some(errors) = envelope.errors.filter(|e| !e.is_null()) {
            let throttled = errors.as_array().is_some_and(|list| {
                list.iter().any(|e| e["extensions"]["code"] == "THROTTLED")
            });
            if throttled {
                return Err(Error::Transient { platform: PLATFORM, detail: "throttled".into() });
            }
            return Err(Error::Response { platform: PLATFORM, detail: first_message(&errors) });
        }
        envelope.data.ok_or_else(|| Error::Response { platform: PLATFORM, detail: "no data in response".into() })
    }

    fn note_budget(&self, extensions: Option<&Value>) {
        let status = extensions.map(|e| &e["cost"]["throttleStatus"]);
        if let Some(status) = status {
            if let (Some(available), Some(rate)) =
                (status["currentlyAvailable"].as_f64(), status["restoreRate"].as_f64())
            {
                *self.budget.lock().unwrap_or_else(|p| p.into_inner()) = Some((available, rate));
            }
        }
    }

    /// Sleeps just long enough for the bucket to hold the next query's cost.
    async fn wait_for_budget(&self, cost: f64) {
        let known = *self.budget.lock().unwrap_or_else(|p| p.into_inner());
        if let Some((available, rate)) = known {
            if available < cost && rate > 0.0 {
                tokio::time::sleep(Duration::from_secs_f64((cost - available) / rate)).await;
            }
        }
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
