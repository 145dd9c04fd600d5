//! The registration file (`counterline.json`): each platform's public client
//! id, redirect mode and API location. Client secrets live only in the
//! keychain. Shared by the app and the headless CLI, so both build the same
//! connector from the same file.

use std::path::Path;

use serde::Deserialize;
use url::Url;

use crate::connect::ShopifyRegistration;
use crate::lightspeed::{LightspeedApi, OAuthRegistration, RedirectMode};
use crate::shopify::ShopifyApi;
use crate::{Error, Result};

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
    pub fn registration(&self) -> Result<OAuthRegistration> {
        let redirect = match self.redirect {
            RedirectKind::DeepLink => RedirectMode::DeepLink,
            RedirectKind::Loopback => RedirectMode::Loopback { port: self.loopback_port.unwrap_or(0) },
            RedirectKind::Relay => match &self.relay_url {
                Some(url) if url.scheme() == "https" => RedirectMode::Relay { url: url.clone() },
                _ => return Err(Error::InvalidInput("a relay redirect needs an https relayUrl".into())),
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

impl RegistrationFile {
    /// The Lightspeed apps this file registers (none registered: none connectable).
    pub fn lightspeed_apps(&self) -> Result<crate::connect::LightspeedApps> {
        let entry = |e: &Option<OAuthEntry>| e.as_ref().map(OAuthEntry::registration).transpose();
        Ok(crate::connect::LightspeedApps {
            api: self.lightspeed_sandbox_url.clone().map_or(LightspeedApi::Production, LightspeedApi::Sandbox),
            xseries: entry(&self.xseries)?,
            rseries: entry(&self.rseries)?,
            kseries: entry(&self.kseries)?,
            oseries: entry(&self.oseries)?,
        })
    }
}

/// A missing file means "no registrations"; a broken one is an error the
/// merchant must see, not something to silently ignore.
pub fn read(path: &Path) -> Result<RegistrationFile> {
    match std::fs::read(path) {
        Ok(bytes) => serde_json::from_slice(&bytes).map_err(|e| Error::InvalidInput(format!("{}: {e}", path.display()))),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(RegistrationFile::default()),
        Err(e) => Err(Error::InvalidInput(format!("{}: {e}", path.display()))),
    }
}
