//! Demo mode: with no Shopify registration configured, Counterline starts its
//! platform sandbox in-process on 127.0.0.1 and registers itself there, so a
//! new merchant can try the whole connect wizard with no store account.
//! The sandbox keeps its sessions in memory; at each start the demo grants
//! fresh tokens to channels already connected to it, so they keep syncing.

use rand::RngCore;

use counterline_channels::connect::{access_token_key, registration_secret_key, ShopifyRegistration};
use counterline_channels::shopify::ShopifyApi;
use counterline_sandbox::{Sandbox, SandboxConfig, ShopifyApp};
use counterline_secrets::{Keychain, Secret};
use counterline_store::model::Platform;
use counterline_store::{channels, Db};

use crate::config::{DEMO_BIGCOMMERCE_STORE, DEMO_CLIENT_ID, DEMO_SHOP, DEMO_WOOCOMMERCE_SITE};

pub struct Demo {
    pub sandbox: Sandbox,
    /// The WordPress user the demo site issues application passwords for.
    woocommerce_user: String,
}

impl Demo {
    pub async fn start(keychain: &Keychain, db: &Db) -> Result<Demo, String> {
        let mut secret_bytes = [0u8; 24];
        rand::thread_rng().fill_bytes(&mut secret_bytes);
        let client_secret = hex::encode(secret_bytes);
        let order_count = std::env::var("COUNTERLINE_DEMO_ORDERS").ok().and_then(|v| v.parse().ok()).unwrap_or(2_500);
        let config = SandboxConfig {
            order_count,
            shops: vec![DEMO_SHOP.to_owned()],
            shopify_app: ShopifyApp { client_id: DEMO_CLIENT_ID.to_owned(), client_secret: client_secret.clone() },
            ..SandboxConfig::default()
        };
        let woocommerce_user = config.woocommerce_sites.first().map(|s| s.app_password_user.clone()).unwrap_or_default();
        let sandbox = Sandbox::start(config).await.map_err(|e| format!("demo sandbox: {e}"))?;
        let keychain = keychain.clone();
        let mut conn = db.conn().await.map_err(|e| e.to_string())?;
        let connected: Vec<String> = channels::list(&mut conn)
            .await
            .map_err(|e| e.to_string())?
            .into_iter()
            .filter(|c| c.platform == Platform::Shopify && c.account == DEMO_SHOP)
            .map(|c| c.account)
            .collect();
        let grants: Vec<(String, String)> =
            connected.into_iter().map(|shop| (shop.clone(), sandbox.issue_shopify_token(&shop))).collect();
        tokio::task::spawn_blocking(move || -> Result<(), String> {
            keychain
                .set(&registration_secret_key(Platform::Shopify), &Secret::new(client_secret))
                .map_err(|e| e.to_string())?;
            for (shop, token) in grants {
                let key = access_token_key(Platform::Shopify, &shop);
                // A disconnected demo channel has no token; don't resurrect it.
                if keychain.get(&key).map_err(|e| e.to_string())?.is_some() {
                    keychain.set(&key, &Secret::new(token)).map_err(|e| e.to_string())?;
                }
            }
            Ok(())
        })
        .await
        .map_err(|e| e.to_string())??;
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

    pub fn shopify_registration(&self) -> ShopifyRegistration {
        ShopifyRegistration { client_id: DEMO_CLIENT_ID.to_owned(), api: ShopifyApi::Sandbox(self.sandbox.base_url()) }
    }
}
