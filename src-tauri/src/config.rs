//! Where Counterline keeps its files and which app registrations it uses.
//!
//! The registration file (`counterline.json` in the OS config folder, or the
//! path in `COUNTERLINE_CONFIG`) names each platform's public client id and
//! API location; client secrets live only in the keychain. With no Shopify
//! registration the app runs in demo mode against its built-in sandbox.

use std::path::{Path, PathBuf};

use serde::Deserialize;
use url::Url;

use counterline_channels::connect::ShopifyRegistration;
use counterline_channels::lightspeed::{OAuthRegistration, RedirectMode};
use counterline_channels::shopify::ShopifyApi;

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

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RegistrationFile {
    pub shopify: Option<ShopifyEntry>,
    pub xseries: Option<OAuthEntry>,
    pub rseries: Option<OAuthEntry>,
    pub oseries: Option<OAuthEntry>,
    /// K-Series allows only HTTPS redirect URIs: use `redirect: "relay"`.
    pub kseries: Option<OAuthEntry>,
    /// A Counterline sandbox to use instead of Lightspeed's servers.
    pub lightspeed_sandbox_url: Option<Url>,
}

/// How the browser returns after consent, as the platform's app settings allow.
#[derive(Debug, Default, Deserialize, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub enum RedirectKind {
    #[default]
    DeepLink,
    Loopback,
    Relay,
}

/// A Lightspeed app registration: public client id and redirect mode (the
/// client secret is in the keychain).
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct OAuthEntry {
    pub client_id: String,
    #[serde(default)]
    pub redirect: RedirectKind,
    /// For `loopback`: the registered port (0 or absent: any free port).
    pub loopback_port: Option<u16>,
    /// For `relay`: Counterline's HTTPS page that forwards to the deep link.
    pub relay_url: Option<Url>,
}

impl OAuthEntry {
    pub fn registration(&self) -> Result<OAuthRegistration, String> {
        let redirect = match self.redirect {
            RedirectKind::DeepLink => RedirectMode::DeepLink,
            RedirectKind::Loopback => RedirectMode::Loopback { port: self.loopback_port.unwrap_or(0) },
            RedirectKind::Relay => match &self.relay_url {
                Some(url) if url.scheme() == "https" => RedirectMode::Relay { url: url.clone() },
                _ => return Err("a relay redirect needs an https relayUrl".into()),
            },
        };
        Ok(OAuthRegistration { client_id: self.client_id.clone(), redirect })
    }
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ShopifyEntry {
    pub client_id: String,
    /// A Counterline sandbox to use instead of real Shopify (support, staging).
    pub sandbox_url: Option<Url>,
}

impl ShopifyEntry {
    pub fn registration(&self) -> ShopifyRegistration {
        ShopifyRegistration {
            client_id: self.client_id.clone(),
            api: self.sandbox_url.clone().map_or(ShopifyApi::Production, ShopifyApi::Sandbox),
        }
    }
}

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

/// A missing file means "no registrations"; a broken one is an error the
/// merchant must see, not something to silently ignore.
pub fn read_registrations(path: &Path) -> Result<RegistrationFile, String> {
    match std::fs::read(path) {
        Ok(bytes) => serde_json::from_slice(&bytes).map_err(|e| format!("{}: {e}", path.display())),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(RegistrationFile::default()),
        Err(e) => Err(format!("{}: {e}", path.display())),
    }
}
