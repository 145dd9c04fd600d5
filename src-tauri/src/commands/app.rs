//! App-level facts the UI needs at start.

use serde::Serialize;
use tauri::AppHandle;
use ts_rs::TS;

use counterline_channels::connect::Connector;
use counterline_store::model::Platform;

use crate::config::{DEMO_BIGCOMMERCE_STORE, DEMO_SHOP, DEMO_WOOCOMMERCE_SITE};
use crate::error::IpcError;
use crate::state::CounterlineExt;

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct AppInfo {
    pub version: String,
    pub demo_mode: bool,
    pub demo_shop: Option<String>,
    pub keychain_available: bool,
    pub data_dir: String,
    pub demo_bigcommerce_store: Option<String>,
    pub demo_woocommerce_site: Option<String>,
    /// Platforms this installation can connect now: credential platforms
    /// always, browser sign-ins once their app registration is configured.
    pub connectable_platforms: Vec<Platform>,
}

#[tauri::command]
pub fn app_info(app: AppHandle) -> Result<AppInfo, IpcError> {
    let state = app.counterline();
    Ok(AppInfo {
        version: env!("CARGO_PKG_VERSION").to_owned(),
        demo_mode: state.demo.is_some(),
        demo_shop: state.demo.as_ref().map(|_| DEMO_SHOP.to_owned()),
        keychain_available: state.keychain_available,
        data_dir: state.data_dir.display().to_string(),
        demo_bigcommerce_store: state.demo.as_ref().map(|_| DEMO_BIGCOMMERCE_STORE.to_owned()),
        demo_woocommerce_site: state.demo.as_ref().map(|_| DEMO_WOOCOMMERCE_SITE.to_owned()),
        connectable_platforms: connectable(&state.connector),
    })
}

fn connectable(connector: &Connector) -> Vec<Platform> {
    let mut platforms = Vec::new();
    if connector.shopify.is_some() {
        platforms.push(Platform::Shopify);
    }
    platforms.extend([Platform::BigCommerce, Platform::WooCommerce]);
    if connector.lightspeed.xseries.is_some() {
        platforms.push(Platform::XSeries);
    }
    if connector.lightspeed.rseries.is_some() {
        platforms.push(Platform::RSeries);
    }
    if connector.lightspeed.kseries.is_some() {
        platforms.push(Platform::KSeries);
    }
    if connector.lightspeed.oseries.is_some() {
        platforms.push(Platform::OSeries);
    }
    platforms
}
