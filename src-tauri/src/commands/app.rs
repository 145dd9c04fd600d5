//! App-level facts the UI needs at start.

use serde::Serialize;
use tauri::AppHandle;
use ts_rs::TS;

use crate::config::DEMO_SHOP;
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
    })
}
