//! Where Counterline keeps its files, and the app's fixed names.
//!
//! The registration file (`counterline.json` in the OS config folder, or the
//! path in `COUNTERLINE_CONFIG`) is read by `counterline_channels::registrations`,
//! shared with the CLI. With no Shopify registration the app runs in demo
//! mode against its built-in sandbox.

use std::path::PathBuf;


/// The deep-link scheme, reverse DNS of counterline.app (RFC 8252 §7.1).
pub const SCHEME: &str = "app.counterline";
/// Keychain namespace of every entry the app writes.
pub const KEYCHAIN_SERVICE: &str = "app.counterline.desktop";
/// The shop the demo sandbox serves.
pub const DEMO_SHOP: &str = "counterline-demo.myshopify.com";
pub const DEMO_CLIENT_ID: &str = "counterline-demo";
/// The demo sandbox's BigCommerce store and WooCommerce site (its defaults).
pub const DEMO_BIGCOMMERCE_STORE: &str = "cl0demo";
pub const DEMO_WOOCOMMERCE_SITE: &str = "shop.counterline-demo.test";

pub struct Paths {
    pub data_dir: PathBuf,
    pub registration_file: PathBuf,
}

impl Paths {
    /// `COUNTERLINE_DATA_DIR` lets tests and support runs use a throwaway folder.
    pub fn resolve(app_data: PathBuf, app_config: PathBuf) -> Paths {
        let data_dir = std::env::var_os("COUNTERLINE_DATA_DIR").map(PathBuf::from).unwrap_or(app_data);
        let registration_file = std::env::var_os("COUNTERLINE_CONFIG")
            .map(PathBuf::from)
            .unwrap_or_else(|| app_config.join("counterline.json"));
        Paths { data_dir, registration_file }
    }

    pub fn database(&self) -> PathBuf {
        self.data_dir.join("counterline.db")
    }
}

