//! Demo mode: with no Shopify registration configured, Counterline starts its
//! platform sandbox in-process on 127.0.0.1 and registers itself there, so a
//! new merchant can try the whole connect wizard with no store account.
//! The sandbox keeps its sessions in memory; at each start the demo grants
//! fresh tokens to channels already connected to it, so they keep syncing.

use rand::RngCore;

use counterline_channels::connect::{access_token_key, registration_secret_key, LightspeedApps, ShopifyRegistration};
use counterline_channels::grant::Grant;
use counterline_channels::lightspeed::{LightspeedApi, OAuthRegistration, RedirectMode};
use counterline_channels::shopify::ShopifyApi;
use counterline_sandbox::{AppRegistration, Sandbox, SandboxConfig, ShopifyApp};
use counterline_secrets::{Keychain, Secret};
use counterline_store::model::Platform;
use counterline_store::locations::{self, LocationKind};
use counterline_store::{channels, Db};

use crate::config::{DEMO_BIGCOMMERCE_STORE, DEMO_CLIENT_ID, DEMO_SHOP, DEMO_WOOCOMMERCE_SITE};

/// The demo's Lightspeed app registrations (client ids; secrets are random per start).
const DEMO_XSERIES_CLIENT_ID: &str = "counterline-demo-xseries";
const DEMO_RSERIES_CLIENT_ID: &str = "counterline-demo-rseries";
const DEMO_OSERIES_CLIENT_ID: &str = "counterline-demo-oseries";
const DEMO_KSERIES_CLIENT_ID: &str = "counterline-demo-kseries";

fn random_secret() -> String {
    let mut bytes = [0u8; 24];
    rand::thread_rng().fill_bytes(&mut bytes);
    hex::encode(bytes)
}

/// Two places to ship from, stocked with every demo SKU, the first time
/// the demo runs (a merchant's own locations are never touched).
async fn seed_locations(db: &Db) -> Result<(), counterline_store::Error> {
    let mut tx = db.begin().await?;
    if !locations::list(&mut tx).await?.is_empty() {
        return Ok(());
    }
    let warehouse = locations::save(&mut tx, None, "Main warehouse", LocationKind::Warehouse).await?;
    let shop = locations::save(&mut tx, None, "High Street store", LocationKind::Store).await?;
    for sku in counterline_sandbox::catalog_skus() {
        locations::set_stock(&mut tx, warehouse.id, &sku, 250).await?;
        locations::set_stock(&mut tx, shop.id, &sku, 12).await?;
    }
    tx.commit().await?;
    Ok(())
}

pub struct Demo {
    pub sandbox: Sandbox,
    /// The WordPress user the demo site issues application passwords for.
    woocommerce_user: String,
}

impl Demo {
    pub async fn start(keychain: &Keychain, db: &Db) -> Result<Demo, String> {
        let client_secret = random_secret();
        let xseries_app = AppRegistration::new(DEMO_XSERIES_CLIENT_ID, random_secret());
        let rseries_app = AppRegistration::new(DEMO_RSERIES_CLIENT_ID, random_secret());
        let oseries_app = AppRegistration::new(DEMO_OSERIES_CLIENT_ID, random_secret());
        let kseries_app = AppRegistration::new(DEMO_KSERIES_CLIENT_ID, random_secret());
        let order_count = std::env::var("COUNTERLINE_DEMO_ORDERS").ok().and_then(|v| v.parse().ok()).unwrap_or(2_500);
        let config = SandboxConfig {
            order_count,
            shops: vec![DEMO_SHOP.to_owned()],
            shopify_app: ShopifyApp { client_id: DEMO_CLIENT_ID.to_owned(), client_secret: client_secret.clone() },
            xseries_app: xseries_app.clone(),
            rseries_app: rseries_app.clone(),
            oseries_app: oseries_app.clone(),
            kseries_app: kseries_app.clone(),
            ..SandboxConfig::default()
        };
        let kseries_businesses: Vec<u64> = config.kseries_businesses.iter().map(|b| b.business_id).collect();
        let woocommerce_user = config.woocommerce_sites.first().map(|s| s.app_password_user.clone()).unwrap_or_default();
        let sandbox = Sandbox::start(config).await.map_err(|e| format!("demo sandbox: {e}"))?;
        let keychain = keychain.clone();
        let mut conn = db.conn().await.map_err(|e| e.to_string())?;
        let connected = channels::list(&mut conn).await.map_err(|e| e.to_string())?;
        // The sandbox forgets its grants at each start: re-grant every
        // channel connected to it, so demo channels keep syncing.
        let mut grants: Vec<(String, Secret)> = Vec::new();
        for channel in &connected {
            let key = access_token_key(channel.platform, &channel.account);
            let lightspeed = |(access, refresh): (String, String), lifetime: std::time::Duration| {
                Grant {
                    access_token: Secret::new(access),
                    refresh_token: Some(Secret::new(refresh)),
                    expires_at_ms: Some(counterline_store::now_ms() + lifetime.as_millis() as i64),
                }
                .to_secret()
            };
            match channel.platform {
                Platform::Shopify if channel.account == DEMO_SHOP => {
                    grants.push((key, Secret::new(sandbox.issue_shopify_token(&channel.account))));
                }
                Platform::XSeries if !sandbox.xseries_sales(&channel.account).is_empty() => {
                    let pair = sandbox.issue_xseries_token(&channel.account);
                    grants.push((key, lightspeed(pair, counterline_sandbox::XSERIES_ACCESS_TOKEN_LIFETIME)));
                }
                Platform::RSeries => {
                    if let Some(id) = channel.account.parse().ok().filter(|id| !sandbox.rseries_sales(*id).is_empty()) {
                        let pair = sandbox.issue_rseries_token(id);
                        grants.push((key, lightspeed(pair, counterline_sandbox::RSERIES_ACCESS_TOKEN_LIFETIME)));
                    }
                }
                Platform::OSeries => {
                    if let Some(id) = channel.account.parse().ok().filter(|id| !sandbox.oseries_orders(*id).is_empty()) {
                        let pair = sandbox.issue_oseries_token(id);
                        grants.push((key, lightspeed(pair, counterline_sandbox::OSERIES_ACCESS_TOKEN_LIFETIME)));
                    }
                }
                Platform::KSeries => {
                    if let Some(id) = channel.account.parse().ok().filter(|id| kseries_businesses.contains(id)) {
                        let pair = sandbox.issue_kseries_token(id);
                        grants.push((key, lightspeed(pair, counterline_sandbox::KSERIES_ACCESS_TOKEN_LIFETIME)));
                    }
                }
                _ => {}
            }
        }
        let registrations = [
            (Platform::Shopify, client_secret),
            (Platform::XSeries, xseries_app.client_secret),
            (Platform::RSeries, rseries_app.client_secret),
            (Platform::OSeries, oseries_app.client_secret),
            (Platform::KSeries, kseries_app.client_secret),
        ];
        tokio::task::spawn_blocking(move || -> Result<(), String> {
            for (platform, secret) in registrations {
                keychain.set(&registration_secret_key(platform), &Secret::new(secret)).map_err(|e| e.to_string())?;
            }
            for (key, grant) in grants {
                // A disconnected demo channel has no token; don't resurrect it.
                if keychain.get(&key).map_err(|e| e.to_string())?.is_some() {
                    keychain.set(&key, &grant).map_err(|e| e.to_string())?;
                }
            }
            Ok(())
        })
        .await
        .map_err(|e| e.to_string())??;
        seed_locations(db).await.map_err(|e| format!("demo locations: {e}"))?;
        tracing::info!(url = %sandbox.base_url(), "demo sandbox running");
        Ok(Demo { sandbox, woocommerce_user })
    }

    /// Credentials for the demo BigCommerce store, fetched in Rust so they
    /// never cross IPC (the rule for every token, demo or not).
    pub fn bigcommerce_token(&self) -> String {
        self.sandbox.issue_bigcommerce_token(DEMO_BIGCOMMERCE_STORE)
    }

    /// A fresh application password for the demo WooCommerce site.
    pub fn woocommerce_password(&self) -> (String, String) {
        (self.woocommerce_user.clone(), self.sandbox.issue_woocommerce_app_password(DEMO_WOOCOMMERCE_SITE))
    }

    /// The demo's Lightspeed registrations, all on the in-process sandbox.
    pub fn lightspeed_apps(&self) -> LightspeedApps {
        let registration = |client_id: &str| Some(OAuthRegistration { client_id: client_id.to_owned(), redirect: RedirectMode::DeepLink });
        LightspeedApps {
            api: LightspeedApi::Sandbox(self.sandbox.base_url()),
            xseries: registration(DEMO_XSERIES_CLIENT_ID),
            rseries: registration(DEMO_RSERIES_CLIENT_ID),
            oseries: registration(DEMO_OSERIES_CLIENT_ID),
            // K-Series accepts only HTTPS redirect URIs; the sandbox's relay
            // page stands in for Counterline's hosted one.
            kseries: Some(OAuthRegistration {
                client_id: DEMO_KSERIES_CLIENT_ID.to_owned(),
                redirect: RedirectMode::Relay { url: self.sandbox.kseries_relay_url() },
            }),
        }
    }

    pub fn shopify_registration(&self) -> ShopifyRegistration {
        ShopifyRegistration { client_id: DEMO_CLIENT_ID.to_owned(), api: ShopifyApi::Sandbox(self.sandbox.base_url()) }
    }
}
