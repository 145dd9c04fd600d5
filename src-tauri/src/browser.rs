//! Opening authorization pages in the system browser (RFC 8252 §8.12: never
//! the app's webview). `COUNTERLINE_OPENER=record:<file>` appends each URL to
//! a file instead, so an end-to-end test can play the browser.

use std::io::Write;
use std::path::PathBuf;

use tauri::AppHandle;
use tauri_plugin_opener::OpenerExt;
use url::Url;

use counterline_channels::Browser;

pub enum SystemBrowser {
    Os(AppHandle),
    Recorder(PathBuf),
}

impl SystemBrowser {
    pub fn from_env(app: AppHandle) -> SystemBrowser {
        match std::env::var("COUNTERLINE_OPENER").ok().as_deref().and_then(|v| v.strip_prefix("record:")) {
            Some(path) => SystemBrowser::Recorder(PathBuf::from(path)),
            None => SystemBrowser::Os(app),
        }
    }
}

impl Browser for SystemBrowser {
    fn open(&self, url: &Url) -> Result<(), String> {
        match self {
            SystemBrowser::Os(app) => app.opener().open_url(url.as_str(), None::<&str>).map_err(|e| e.to_string()),
            SystemBrowser::Recorder(path) => std::fs::OpenOptions::new()
                .create(true)
                .append(true)
                .open(path)
                .and_then(|mut f| writeln!(f, "{url}"))
                .map_err(|e| e.to_string()),
        }
    }
}
