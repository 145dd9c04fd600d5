//! Sales channels: list, connect, sync.

use serde::Serialize;
use tauri::AppHandle;
use ts_rs::TS;

use counterline_store::model::{ChannelSettings, ChannelView, Platform};
use counterline_store::{channels, now_ms};

use counterline_channels::connect::is_lightspeed_oauth;

use crate::config::{DEMO_BIGCOMMERCE_STORE, DEMO_WOOCOMMERCE_SITE};
use crate::deep_link;
use crate::error::{ErrorCode, IpcError};
use crate::state::CounterlineExt;
use counterline_sync::engine::Trigger;

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ConnectStarted {
    pub attempt_id: String,
    pub authorize_url: String,
}

impl ConnectStarted {
    /// What the UI needs to wait for the outcome; a loopback listener, if
    /// the registration uses one, starts waiting for the browser here.
    fn from_started(app: &AppHandle, started: counterline_channels::connect::Started) -> ConnectStarted {
        if let Some(pending) = started.loopback {
            deep_link::await_loopback(app, pending);
        }
        ConnectStarted { attempt_id: started.attempt_id, authorize_url: started.authorize_url.to_string() }
    }
}

/// The troubleshooting panel's facts, with a live credential check.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ChannelHealth {
    #[ts(type = "number")]
    pub channel_id: i64,
    pub credentials_ok: bool,
    pub message: String,
    #[ts(type = "number")]
    pub checked_at: i64,
    pub last_error: Option<String>,
    #[ts(type = "number | null")]
    pub last_error_at: Option<i64>,
    #[ts(type = "number | null")]
    pub last_order_at: Option<i64>,
    #[ts(type = "number")]
    pub orders_without_email: i64,
    // Orders matching no member: no email, or an email no member has.
    #[ts(type = "number")]
    pub orders_unmatched: i64,
}

async fn channel(app: &AppHandle, channel_id: i64) -> Result<ChannelView, IpcError> {
    let mut conn = app.counterline().db.conn().await?;
    Ok(channels::get(&mut conn, channel_id).await?)
}

#[tauri::command]
pub async fn channels_list(app: AppHandle) -> Result<Vec<ChannelView>, IpcError> {
    let mut conn = app.counterline().db.conn().await?;
    Ok(channels::list(&mut conn).await?)
}

/// Opens Shopify's consent page in the system browser; the result arrives
/// later as a `connect-outcome` event when the deep link comes back.
#[tauri::command]
pub async fn shopify_connect_start(app: AppHandle, shop: String) -> Result<ConnectStarted, IpcError> {
    let started = app.counterline().connector.start_shopify(&shop).await?;
    Ok(ConnectStarted::from_started(&app, started))
}

/// Opens a Lightspeed platform's consent page, where the merchant picks the
/// store; the result arrives as a `connect-outcome` event.
#[tauri::command]
pub async fn lightspeed_connect_start(app: AppHandle, platform: Platform) -> Result<ConnectStarted, IpcError> {
    if !is_lightspeed_oauth(platform) {
        return Err(IpcError::new(ErrorCode::InvalidInput, format!("{} has no browser sign-in.", platform.display_name())));
    }
    let started = app.counterline().connector.start_lightspeed(platform, None).await?;
    Ok(ConnectStarted::from_started(&app, started))
}

#[tauri::command]
pub async fn channel_sync(app: AppHandle, channel_id: i64) -> Result<(), IpcError> {
    channel(&app, channel_id).await?;
    app.counterline().engine.start(channel_id, Trigger::Manual);
    Ok(())
}

/// Starts the history import for a just-connected channel and returns it.
fn connected(app: &AppHandle, channel: ChannelView) -> ChannelView {
    app.counterline().engine.start(channel.id, Trigger::Connect);
    channel
}

/// BigCommerce store-level API account: checked with a real call, then saved.
#[tauri::command]
pub async fn bigcommerce_connect(app: AppHandle, store_hash: String, access_token: String) -> Result<ChannelView, IpcError> {
    let channel = app.counterline().connector.connect_bigcommerce(&store_hash, &access_token).await?;
    Ok(connected(&app, channel))
}

/// WordPress application-password sign-in in the system browser; the result
/// arrives as a `connect-outcome` event.
#[tauri::command]
pub async fn woocommerce_connect_start(app: AppHandle, site_url: String) -> Result<ConnectStarted, IpcError> {
    let started = app.counterline().connector.start_woocommerce(&site_url).await?;
    Ok(ConnectStarted::from_started(&app, started))
}

#[tauri::command]
pub async fn woocommerce_connect_keys(
    app: AppHandle,
    site_url: String,
    consumer_key: String,
    consumer_secret: String,
) -> Result<ChannelView, IpcError> {
    let channel = app.counterline().connector.connect_woocommerce_keys(&site_url, &consumer_key, &consumer_secret).await?;
    Ok(connected(&app, channel))
}

/// Demo mode only: connects the sandbox's BigCommerce store or WooCommerce
/// site without the merchant typing credentials.
#[tauri::command]
pub async fn demo_connect(app: AppHandle, platform: Platform) -> Result<ChannelView, IpcError> {
    let state = app.counterline();
    let demo = state.demo.as_ref().ok_or_else(|| IpcError::new(ErrorCode::InvalidInput, "Demo stores exist only in demo mode."))?;
    let channel = match platform {
        Platform::BigCommerce => state.connector.connect_bigcommerce(DEMO_BIGCOMMERCE_STORE, &demo.bigcommerce_token()).await?,
        Platform::WooCommerce => {
            let (user, password) = demo.woocommerce_password();
            state.connector.connect_woocommerce_app_password(DEMO_WOOCOMMERCE_SITE, &user, &password).await?
        }
        other => {
            return Err(IpcError::new(
                ErrorCode::InvalidInput,
                format!("The demo {} store connects through the browser sign-in.", other.display_name()),
            ))
        }
    };
    Ok(connected(&app, channel))
}

/// Paused keeps the connection and syncs nothing until resumed.
#[tauri::command]
pub async fn channel_set_paused(app: AppHandle, channel_id: i64, paused: bool) -> Result<ChannelView, IpcError> {
    let mut conn = app.counterline().db.conn().await?;
    channels::set_paused(&mut conn, channel_id, paused).await?;
    Ok(channels::get(&mut conn, channel_id).await?)
}

#[tauri::command]
pub async fn channel_disconnect(app: AppHandle, channel_id: i64) -> Result<(), IpcError> {
    let channel = channel(&app, channel_id).await?;
    Ok(app.counterline().connector.disconnect(&channel).await?)
}

#[tauri::command]
pub async fn channel_reauthorize(app: AppHandle, channel_id: i64) -> Result<ConnectStarted, IpcError> {
    let channel = channel(&app, channel_id).await?;
    let started = app.counterline().connector.reauthorize(&channel).await?;
    Ok(ConnectStarted::from_started(&app, started))
}

#[tauri::command]
pub async fn channel_update_settings(
    app: AppHandle,
    channel_id: i64,
    settings: ChannelSettings,
) -> Result<ChannelView, IpcError> {
    settings.validate().map_err(|message| IpcError::new(ErrorCode::InvalidInput, message))?;
    let mut conn = app.counterline().db.conn().await?;
    channels::update_settings(&mut conn, channel_id, &settings).await?;
    Ok(channels::get(&mut conn, channel_id).await?)
}

#[tauri::command]
pub async fn channel_check(app: AppHandle, channel_id: i64) -> Result<ChannelHealth, IpcError> {
    let channel = channel(&app, channel_id).await?;
    let state = app.counterline();
    let check = async { state.connector.source(&channel).await?.check().await };
    let (credentials_ok, message) = match check.await {
        Ok(name) => (true, format!("Connected: {name} answered with a working token.")),
        Err(error) => (false, IpcError::from(error).message),
    };
    let mut conn = state.db.conn().await?;
    let last_error = channels::last_error(&mut conn, channel_id).await?;
    Ok(ChannelHealth {
        channel_id,
        credentials_ok,
        message,
        checked_at: now_ms(),
        last_error_at: last_error.as_ref().map(|(_, at)| *at),
        last_error: last_error.map(|(message, _)| message),
        last_order_at: channel.last_order_at,
        orders_without_email: channels::orders_without_email(&mut conn, channel_id).await?,
        orders_unmatched: counterline_loyalty::unmatched::count_for_channel(&mut conn, channel_id).await?,
    })
}
