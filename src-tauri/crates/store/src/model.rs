//! The domain model every layer speaks: what a channel and an order are once
//! an adapter has normalized the platform's shape. Types that cross to the UI
//! derive `TS`; their generated TypeScript lives in `ui/src/bindings/`.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::Error;

/// A sales platform Counterline can connect to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
#[ts(export)]
pub enum Platform {
    Shopify,
    #[serde(rename = "bigcommerce")]
    BigCommerce,
    #[serde(rename = "woocommerce")]
    WooCommerce,
    /// Lightspeed Retail X-Series (formerly Vend).
    #[serde(rename = "xseries")]
    XSeries,
    /// Lightspeed Retail R-Series.
    #[serde(rename = "rseries")]
    RSeries,
    /// Lightspeed Restaurant K-Series (formerly iKentoo).
    #[serde(rename = "kseries")]
    KSeries,
    /// Lightspeed O-Series (Kounta).
    #[serde(rename = "oseries")]
    OSeries,
}

impl Platform {
    pub fn as_str(self) -> &'static str {
        match self {
            Platform::Shopify => "shopify",
            Platform::BigCommerce => "bigcommerce",
            Platform::WooCommerce => "woocommerce",
            Platform::XSeries => "xseries",
            Platform::RSeries => "rseries",
            Platform::KSeries => "kseries",
            Platform::OSeries => "oseries",
        }
    }

    /// The name a merchant knows the platform by.
    /// Whether Counterline can set this status on the platform (the outbox's
    /// writers; see `counterline_channels::push`). Shopify derives most of
    /// an order's state itself: only fulfilling and cancelling are ours.
    /// The Lightspeed point-of-sale lines keep paying, completing and
    /// refunding to the register: X- and R-Series let an app void a sale,
    /// O-Series (Kounta) hold, accept or reject an order, and K-Series'
    /// closed bills take no changes.
    pub fn writable_status(self, status: OrderStatus) -> bool {
        match self {
            Platform::WooCommerce | Platform::BigCommerce => true,
            Platform::Shopify => matches!(status, OrderStatus::Shipped | OrderStatus::Cancelled),
            Platform::XSeries | Platform::RSeries => status == OrderStatus::Cancelled,
            Platform::OSeries => matches!(status, OrderStatus::Pending | OrderStatus::Processing | OrderStatus::Cancelled),
            Platform::KSeries => false,
        }
    }

    /// Whether Counterline can send a fulfillment (carrier, tracking number).
    /// None of the Lightspeed lines has a shipment that carries one.
    pub fn accepts_fulfillment_writes(self) -> bool {
        matches!(self, Platform::BigCommerce | Platform::Shopify)
    }

    pub fn display_name(self) -> &'static str {
        match self {
            Platform::Shopify => "Shopify",
            Platform::BigCommerce => "BigCommerce",
            Platform::WooCommerce => "WooCommerce",
            Platform::XSeries => "Lightspeed X-Series",
            Platform::RSeries => "Lightspeed R-Series",
            Platform::KSeries => "Lightspeed K-Series",
            Platform::OSeries => "Lightspeed O-Series",
        }
    }

    pub fn parse(value: &str) -> Result<Platform, Error> {
        match value {
            "shopify" => Ok(Platform::Shopify),
            "bigcommerce" => Ok(Platform::BigCommerce),
            "woocommerce" => Ok(Platform::WooCommerce),
            "xseries" => Ok(Platform::XSeries),
            "rseries" => Ok(Platform::RSeries),
            "kseries" => Ok(Platform::KSeries),
            "oseries" => Ok(Platform::OSeries),
            other => Err(Error::Corrupt(format!("platform {other:?}"))),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
#[ts(export)]
pub enum ChannelStatus {
    Active,
    Paused,
    Error,
}

impl ChannelStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            ChannelStatus::Active => "active",
            ChannelStatus::Paused => "paused",
            ChannelStatus::Error => "error",
        }
    }

    pub fn parse(value: &str) -> Result<ChannelStatus, Error> {
        match value {
            "active" => Ok(ChannelStatus::Active),
            "paused" => Ok(ChannelStatus::Paused),
            "error" => Ok(ChannelStatus::Error),
            other => Err(Error::Corrupt(format!("channel status {other:?}"))),
        }
    }
}

/// A connection as the merchant sees it in Settings › Sales Channels.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ChannelView {
    #[ts(type = "number")]
    pub id: i64,
    pub platform: Platform,
    pub name: String,
    /// The platform-side account, e.g. `my-store.myshopify.com`.
    pub account: String,
    pub status: ChannelStatus,
    pub status_detail: Option<String>,
    /// When the newest order was placed (UTC ms): "when did the last order arrive?"
    #[ts(type = "number | null")]
    pub last_order_at: Option<i64>,
    #[ts(type = "number | null")]
    pub last_synced_at: Option<i64>,
    #[ts(type = "number")]
    pub order_count: i64,
    pub settings: ChannelSettings,
}

/// Which way data flows between Counterline and a channel.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum SyncDirection {
    Pull,
    Push,
    TwoWay,
}

impl SyncDirection {
    pub fn as_str(self) -> &'static str {
        match self {
            SyncDirection::Pull => "pull",
            SyncDirection::Push => "push",
            SyncDirection::TwoWay => "two_way",
        }
    }

    pub fn parse(value: &str) -> Result<SyncDirection, Error> {
        Ok(match value {
            "pull" => SyncDirection::Pull,
            "push" => SyncDirection::Push,
            "two_way" => SyncDirection::TwoWay,
            other => return Err(Error::Corrupt(format!("sync direction {other:?}"))),
        })
    }

    /// Whether orders are pulled from the channel at all.
    pub fn pulls(self) -> bool {
        matches!(self, SyncDirection::Pull | SyncDirection::TwoWay)
    }

    /// Whether Counterline sends changes (status, fulfillment…) to the channel.
    pub fn pushes(self) -> bool {
        matches!(self, SyncDirection::Push | SyncDirection::TwoWay)
    }
}

/// What the merchant configures per channel.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ChannelSettings {
    pub sync_direction: SyncDirection,
    /// Minutes between automatic syncs; `None` is manual only.
    pub auto_sync_minutes: Option<u32>,
    pub price_list: Option<String>,
    pub warehouse: Option<String>,
    /// Shown before this channel's order numbers, e.g. `SHOP-` → `SHOP-1001`.
    pub order_prefix: String,
}

impl ChannelSettings {
    /// Checks what a merchant typed; the message says how to fix it.
    pub fn validate(&self) -> Result<(), String> {
        let prefix_ok = self.order_prefix.len() <= 12
            && self.order_prefix.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
        if !prefix_ok {
            return Err("The order number prefix can have up to 12 letters, digits, - or _.".into());
        }
        if let Some(minutes) = self.auto_sync_minutes {
            if !(5..=7 * 24 * 60).contains(&minutes) {
                return Err("Auto-sync must run between every 5 minutes and once a week.".into());
            }
        }
        for (name, value) in [("price list", &self.price_list), ("warehouse", &self.warehouse)] {
            if value.as_ref().is_some_and(|v| v.chars().count() > 100) {
                return Err(format!("The {name} name is too long (100 characters at most)."));
            }
        }
        Ok(())
    }
}

/// Counterline's own order workflow; each platform's statuses map onto it and
/// the raw platform values are kept beside it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
#[ts(export)]
pub enum OrderStatus {
    Pending,
    Processing,
    Shipped,
    Delivered,
    Cancelled,
    Returned,
}

impl OrderStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            OrderStatus::Pending => "pending",
            OrderStatus::Processing => "processing",
            OrderStatus::Shipped => "shipped",
            OrderStatus::Delivered => "delivered",
            OrderStatus::Cancelled => "cancelled",
            OrderStatus::Returned => "returned",
        }
    }

    pub fn parse(value: &str) -> Result<OrderStatus, Error> {
        Ok(match value {
            "pending" => OrderStatus::Pending,
            "processing" => OrderStatus::Processing,
            "shipped" => OrderStatus::Shipped,
            "delivered" => OrderStatus::Delivered,
            "cancelled" => OrderStatus::Cancelled,
            "returned" => OrderStatus::Returned,
            other => return Err(Error::Corrupt(format!("order status {other:?}"))),
        })
    }
}

/// A postal address as adapters normalize it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, Default, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Address {
    pub name: Option<String>,
    pub line1: Option<String>,
    pub line2: Option<String>,
    pub city: Option<String>,
    pub region: Option<String>,
    pub postal_code: Option<String>,
    pub country_code: Option<String>,
}

/// An order as an adapter hands it to storage: platform shape already
/// normalized (money in minor units, UTC ms, our status plus the raw ones).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct NewOrder {
    pub external_id: String,
    pub number: String,
    pub created_at: i64,
    pub updated_at: i64,
    pub cancelled_at: Option<i64>,
    pub email: Option<String>,
    pub customer_name: Option<String>,
    pub status: OrderStatus,
    pub financial_status: Option<String>,
    pub fulfillment_status: Option<String>,
    pub currency: String,
    pub total_minor: i64,
    pub subtotal_minor: i64,
    pub tax_minor: i64,
    pub shipping_address: Option<Address>,
    pub lines: Vec<NewOrderLine>,
    /// The customer's note (or the store's, where the platform has one field).
    pub note: Option<String>,
    /// Shipping charged, tax included where the platform says; `None` when unknown.
    pub shipping_minor: Option<i64>,
    /// What the channel reports as refunded so far, in the order's minor
    /// units (0 when nothing was, or the platform doesn't say).
    pub refunded_minor: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct NewOrderLine {
    pub external_id: String,
    pub sku: Option<String>,
    pub title: String,
    pub quantity: i64,
    pub unit_price_minor: i64,
}

/// Email as used for member matching: trimmed and case-folded; empty is none.
pub fn normalize_email(email: &str) -> Option<String> {
    let trimmed = email.trim();
    (!trimmed.is_empty()).then(|| trimmed.to_lowercase())
}

/// One row of the unified orders list.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct OrderRow {
    #[ts(type = "number")]
    pub id: i64,
    #[ts(type = "number")]
    pub channel_id: i64,
    pub channel_name: String,
    pub platform: Platform,
    pub number: String,
    #[ts(type = "number")]
    pub created_at: i64,
    pub customer_name: Option<String>,
    pub email: Option<String>,
    pub status: OrderStatus,
    pub financial_status: Option<String>,
    pub fulfillment_status: Option<String>,
    #[ts(type = "number")]
    pub total_minor: i64,
    pub currency: String,
    #[ts(type = "number")]
    pub item_count: i64,
    pub sync_state: OrderSyncState,
}

/// Whether the merchant's changes to an order have reached its channel.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
#[ts(export)]
pub enum OrderSyncState {
    /// Nothing waiting.
    Synced,
    /// A change is queued for the channel.
    Waiting,
    /// The channel's order changed too; the merchant chooses.
    Conflict,
    /// The channel refused a change for good.
    Failed,
}

impl OrderSyncState {
    /// From the most pressing open outbox state (`conflict` > `failed` > `pending`).
    pub fn from_outbox(state: Option<&str>) -> OrderSyncState {
        match state {
            Some("conflict") => OrderSyncState::Conflict,
            Some("failed") => OrderSyncState::Failed,
            Some("pending") => OrderSyncState::Waiting,
            _ => OrderSyncState::Synced,
        }
    }
}

/// What started a sync run, as the sync log shows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
#[ts(export)]
pub enum SyncTrigger {
    /// The merchant pressed "Sync now".
    Manual,
    /// The channel's auto-sync interval elapsed.
    Scheduled,
    /// The history import right after connecting (or re-authorizing).
    Connect,
    /// The merchant retried a failed item.
    Retry,
    /// The headless command line.
    Cli,
}

impl SyncTrigger {
    pub fn as_str(self) -> &'static str {
        match self {
            SyncTrigger::Manual => "manual",
            SyncTrigger::Scheduled => "scheduled",
            SyncTrigger::Connect => "connect",
            SyncTrigger::Retry => "retry",
            SyncTrigger::Cli => "cli",
        }
    }

    pub fn parse(value: &str) -> Result<SyncTrigger, Error> {
        Ok(match value {
            "manual" => SyncTrigger::Manual,
            "scheduled" => SyncTrigger::Scheduled,
            "connect" => SyncTrigger::Connect,
            "retry" => SyncTrigger::Retry,
            "cli" => SyncTrigger::Cli,
            other => return Err(Error::Corrupt(format!("sync trigger {other:?}"))),
        })
    }
}

/// How a sync run ended, derived from its row: no end time is `Running`, an
/// end time with an error is `Failed`, an end time without one is `Ok`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
#[ts(export)]
pub enum RunOutcome {
    Running,
    Ok,
    Failed,
}

/// One row of the sync log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct SyncRun {
    #[ts(type = "number")]
    pub id: i64,
    #[ts(type = "number")]
    pub channel_id: i64,
    pub channel_name: String,
    pub platform: Platform,
    pub trigger: SyncTrigger,
    #[ts(type = "number")]
    pub started_at: i64,
    /// `None` while the run is still going.
    #[ts(type = "number | null")]
    pub ended_at: Option<i64>,
    #[ts(type = "number")]
    pub pages: i64,
    #[ts(type = "number")]
    pub orders_new: i64,
    #[ts(type = "number")]
    pub orders_updated: i64,
    #[ts(type = "number")]
    pub orders_unchanged: i64,
    /// HTTP requests made to the platform.
    #[ts(type = "number")]
    pub requests: i64,
    /// Requests the platform refused with 429 Too Many Requests.
    #[ts(type = "number")]
    pub throttled: i64,
    /// Why the run failed, in words a merchant can act on.
    pub error: Option<String>,
    pub outcome: RunOutcome,
    /// Items this run recorded as failed (open or since resolved).
    #[ts(type = "number")]
    pub failures: i64,
}

/// An item a sync run could not bring in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct SyncFailure {
    #[ts(type = "number")]
    pub id: i64,
    #[ts(type = "number")]
    pub run_id: i64,
    #[ts(type = "number")]
    pub channel_id: i64,
    pub channel_name: String,
    pub platform: Platform,
    /// What failed, e.g. `order`.
    pub kind: String,
    /// The platform's id for the item.
    pub external_id: String,
    pub message: String,
    /// The platform update time a retry rewinds the pull to (UTC ms).
    #[ts(type = "number | null")]
    pub retry_from_ms: Option<i64>,
    #[ts(type = "number")]
    pub created_at: i64,
    /// When a later successful sync of the channel settled it; `None` while open.
    #[ts(type = "number | null")]
    pub resolved_at: Option<i64>,
}

/// Which sync runs to list, newest first.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct RunFilter {
    #[ts(type = "number | null")]
    pub channel_id: Option<i64>,
    pub outcome: Option<RunOutcome>,
    /// Only runs started at or after this time (UTC ms).
    #[ts(type = "number | null")]
    pub since_ms: Option<i64>,
    /// Keyset paging: only runs older than this run id (the last row's id).
    #[ts(type = "number | null")]
    pub before_id: Option<i64>,
    /// Rows per page; clamped to 1..=500.
    pub limit: u32,
}

/// Which failed items to list, newest first.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct FailureFilter {
    #[ts(type = "number | null")]
    pub channel_id: Option<i64>,
    /// Leave out failures a later sync already resolved.
    pub open_only: bool,
    /// Rows at most; clamped to 1..=500.
    pub limit: u32,
}
