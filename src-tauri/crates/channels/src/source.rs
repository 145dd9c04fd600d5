//! One face for every platform's order API, so sync, the scheduler and the
//! troubleshooting check don't care which platform a channel is on. An enum
//! rather than a trait object: the set of platforms is closed and known, and
//! each arm stays a plain async call.

use crate::bigcommerce::client::BigCommerceClient;
use crate::shopify::client::ShopifyClient;
use crate::woocommerce::client::WooClient;
use crate::Result;
use counterline_store::model::NewOrder;

pub enum OrderSource {
    Shopify(ShopifyClient),
    BigCommerce(BigCommerceClient),
    WooCommerce(WooClient),
}

/// Page-numbered platforms carry their position as the 1-based number, in text.
fn page_number(page: Option<&str>) -> crate::Result<u32> {
    match page {
        None => Ok(1),
        Some(text) => text.parse().map_err(|_| crate::Error::Internal(format!("page position {text:?}"))),
    }
}

fn numbered(orders: Vec<NewOrder>, number: u32, is_last: bool) -> SourcePage {
    SourcePage {
        next: (!is_last).then(|| (number + 1).to_string()),
        max_updated_at: orders.iter().map(|o| o.updated_at).max(),
        orders,
    }
}

/// One page of an incremental pull, platform-neutral.
#[derive(Debug)]
pub struct SourcePage {
    pub orders: Vec<NewOrder>,
    /// Opaque position of the next page (a GraphQL cursor, a page number…);
    /// `None` when this was the last page.
    pub next: Option<String>,
    /// Largest platform update time on the page (UTC ms): the next high-water mark.
    pub max_updated_at: Option<i64>,
}

impl OrderSource {
    /// Orders changed at or after `updated_since` (all when `None`), oldest
    /// change first, continuing at `page` (start with `None`).
    pub async fn page(&self, updated_since: Option<i64>, page: Option<&str>) -> Result<SourcePage> {
        match self {
            OrderSource::Shopify(client) => {
                let page = client.orders_page(updated_since, page).await?;
                Ok(SourcePage {
                    next: page.end_cursor.filter(|_| page.has_next_page),
                    max_updated_at: page.max_updated_at,
                    orders: page.orders,
                })
            }
            OrderSource::BigCommerce(client) => {
                let number = page_number(page)?;
                let page = client.orders_page(updated_since, number).await?;
                Ok(numbered(page.orders, number, page.is_last))
            }
            OrderSource::WooCommerce(client) => {
                let number = page_number(page)?;
                let page = client.orders_page(updated_since, number).await?;
                Ok(numbered(page.orders, number, page.is_last))
            }
        }
    }

    /// A real, cheap authenticated call; returns the account's display name.
    pub async fn check(&self) -> Result<String> {
        match self {
            OrderSource::Shopify(client) => Ok(client.shop().await?.name),
            OrderSource::BigCommerce(client) => client.store_name().await,
            OrderSource::WooCommerce(client) => client.site_name().await,
        }
    }
}
