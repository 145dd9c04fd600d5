//! One face for every platform's order API, so sync, the scheduler and the
//! troubleshooting check don't care which platform a channel is on. An enum
//! rather than a trait object: the set of platforms is closed and known, and
//! each arm stays a plain async call.

use crate::bigcommerce::client::BigCommerceClient;
use crate::kseries::client::KSeriesClient;
use crate::oseries::client::OSeriesClient;
use crate::rseries::client::RSeriesClient;
use crate::xseries::client::XSeriesClient;
use crate::shopify::client::ShopifyClient;
use crate::woocommerce::client::WooClient;
use crate::Result;
use counterline_store::model::NewOrder;

pub enum OrderSource {
    Shopify(ShopifyClient),
    BigCommerce(BigCommerceClient),
    WooCommerce(WooClient),
    XSeries(XSeriesClient),
    RSeries(RSeriesClient),
    KSeries(KSeriesClient),
    OSeries(OSeriesClient),
}

/// Where a pull starts: the stored high-water mark (minus the overlap) and,
/// for platforms that resume by their own position, that position.
#[derive(Debug, Clone, Default)]
pub struct PullStart {
    pub updated_since: Option<i64>,
    pub position: Option<String>,
}

/// Page-numbered platforms carry their position as the 1-based number, in text.
fn page_number(page: Option<&str>) -> crate::Result<u32> {
    match page {
        None => Ok(1),
        Some(text) => text
            .parse()
            .ok()
            .filter(|n| *n >= 1)
            .ok_or_else(|| crate::Error::Internal(format!("page position {text:?}"))),
    }
}

fn numbered(orders: Vec<NewOrder>, failed: Vec<FailedItem>, number: u32, is_last: bool, total_pages: Option<u32>) -> SourcePage {
    SourcePage {
        failed,
        next: (!is_last).then(|| (number + 1).to_string()),
        max_updated_at: orders.iter().map(|o| o.updated_at).max(),
        position: None,
        total_pages: total_pages.map(u64::from),
        orders,
    }
}

/// An order the platform sent that could not be read. The rest of its page
/// is kept; the engine records this one in the sync log with Retry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FailedItem {
    pub external_id: String,
    /// The platform's update time of the order, when even that was readable:
    /// where a retry re-reads from.
    pub updated_at: Option<i64>,
    pub message: String,
}

impl FailedItem {
    /// What identifies an unreadable raw order: `id_field`, and its update
    /// time through `updated` when even that is readable.
    pub(crate) fn of(item: &serde_json::Value, id_field: &str, updated: impl Fn(&serde_json::Value) -> Option<i64>, message: String) -> FailedItem {
        FailedItem {
            external_id: match &item[id_field] {
                serde_json::Value::String(id) => id.clone(),
                serde_json::Value::Null => String::new(),
                other => other.to_string(),
            },
            updated_at: updated(item),
            message,
        }
    }
}

/// Reads each raw order of a page; one that can't be read is set aside with
/// what identifies it (see [`FailedItem::of`]).
pub(crate) fn read_each<'a>(
    raw: impl IntoIterator<Item = &'a serde_json::Value>,
    id_field: &str,
    updated: impl Fn(&serde_json::Value) -> Option<i64>,
    mut read: impl FnMut(&'a serde_json::Value) -> std::result::Result<NewOrder, String>,
) -> (Vec<NewOrder>, Vec<FailedItem>) {
    let mut orders = Vec::new();
    let mut failed = Vec::new();
    for item in raw {
        match read(item) {
            Ok(order) => orders.push(order),
            Err(message) => failed.push(FailedItem::of(item, id_field, &updated, message)),
        }
    }
    (orders, failed)
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
    /// The platform's own resume position after this page, for platforms
    /// that have one (X-Series' version); saved with the page.
    pub position: Option<String>,
    /// How many pages this walk has in all, where the platform says
    /// (WooCommerce, O-Series): progress can then estimate the time left.
    pub total_pages: Option<u64>,
    /// Orders on the page that could not be read.
    pub failed: Vec<FailedItem>,
}

impl OrderSource {
    /// Orders changed at or after `updated_since` (all when `None`), oldest
    /// change first, continuing at `page` (start with `None`).
    pub async fn page(&self, start: &PullStart, page: Option<&str>) -> Result<SourcePage> {
        let updated_since = start.updated_since;
        match self {
            OrderSource::Shopify(client) => {
                let page = client.orders_page(updated_since, page).await?;
                Ok(SourcePage {
                    next: page.end_cursor.filter(|_| page.has_next_page),
                    max_updated_at: page.max_updated_at,
                    position: None,
                    total_pages: None,
                    failed: page.failed,
                    orders: page.orders,
                })
            }
            OrderSource::BigCommerce(client) => {
                let number = page_number(page)?;
                let page = client.orders_page(updated_since, number).await?;
                Ok(numbered(page.orders, page.failed, number, page.is_last, None))
            }
            OrderSource::WooCommerce(client) => {
                let number = page_number(page)?;
                let page = client.orders_page(updated_since, number).await?;
                Ok(numbered(page.orders, page.failed, number, page.is_last, page.total_pages))
            }
            OrderSource::XSeries(client) => {
                // The version cursor is "changed since" by itself, so no
                // time overlap is needed: resume exactly where we stopped.
                let after = match page.or(start.position.as_deref()) {
                    None => 0,
                    Some(text) => text.parse().map_err(|_| crate::Error::Internal(format!("X-Series version {text:?}")))?,
                };
                let page = client.sales_page(after).await?;
                let reached = page.next_after.map(|v| v.to_string());
                Ok(SourcePage {
                    max_updated_at: page.orders.iter().map(|o| o.updated_at).max(),
                    next: reached.clone(),
                    position: reached,
                    total_pages: None,
                    failed: page.failed,
                    orders: page.orders,
                })
            }
            OrderSource::KSeries(client) => {
                let page = client.sales_page(updated_since, page).await?;
                Ok(SourcePage {
                    next: page.next,
                    max_updated_at: page.walk_max_updated_at,
                    position: None,
                    total_pages: None,
                    failed: page.failed,
                    orders: page.orders,
                })
            }
            OrderSource::OSeries(client) => {
                // Pages count from 0 here; our positions from 1.
                let number = page_number(page)?;
                let page = client.orders_page(updated_since, number - 1).await?;
                Ok(SourcePage {
                    next: (!page.is_last).then(|| (number + 1).to_string()),
                    max_updated_at: page.walk_max_updated_at,
                    position: None,
                    total_pages: page.total_pages.map(u64::from),
                    failed: page.failed,
                    orders: page.orders,
                })
            }
            OrderSource::RSeries(client) => {
                let page = client.sales_page(updated_since, page).await?;
                Ok(SourcePage {
                    max_updated_at: page.orders.iter().map(|o| o.updated_at).max(),
                    next: page.next,
                    position: None,
                    total_pages: None,
                    failed: page.failed,
                    orders: page.orders,
                })
            }
        }
    }

    /// The connection's rate budget, whose counters a sync run can log.
    pub fn budget(&self) -> &std::sync::Arc<crate::budget::Budget> {
        match self {
            OrderSource::Shopify(client) => client.budget(),
            OrderSource::BigCommerce(client) => client.budget(),
            OrderSource::WooCommerce(client) => client.budget(),
            OrderSource::XSeries(client) => client.budget(),
            OrderSource::RSeries(client) => client.budget(),
            OrderSource::KSeries(client) => client.budget(),
            OrderSource::OSeries(client) => client.budget(),
        }
    }

    /// A real, cheap authenticated call; returns the account's display name.
    pub async fn check(&self) -> Result<String> {
        match self {
            OrderSource::Shopify(client) => Ok(client.shop().await?.name),
            OrderSource::BigCommerce(client) => client.store_name().await,
            OrderSource::WooCommerce(client) => client.site_name().await,
            OrderSource::XSeries(client) => client.store_name().await,
            OrderSource::RSeries(client) => Ok(client.account().await?.name.clone()),
            OrderSource::KSeries(client) => Ok(client.business().await?.name.clone()),
            OrderSource::OSeries(client) => Ok(client.company().await?.name.clone()),
        }
    }
}
