//! The app's managed state and the `app.counterline()` accessor. Built once
//! at startup: database opened and migrated, keychain probed, registrations
//! read, and in demo mode the built-in sandbox started.

use std::path::PathBuf;
use std::sync::Arc;

use tauri::{AppHandle, Manager, Runtime};

use counterline_channels::bigcommerce::BigCommerceApi;
use counterline_channels::connect::Connector;
use counterline_channels::registrations;
use counterline_channels::woocommerce::WooApi;
use counterline_secrets::Keychain;
use counterline_store::{now_ms, sync_log, Db};
use counterline_sync::engine::Engine;

use crate::browser::SystemBrowser;
use crate::config::{Paths, KEYCHAIN_SERVICE, SCHEME};
use crate::demo::Demo;

pub struct AppState {
    pub db: Db,
    pub connector: Arc<Connector>,
    /// Every sync goes through it: one run per channel, scheduling, back-off.
    pub engine: Engine,
    pub demo: Option<Demo>,
    pub keychain_available: bool,
    pub data_dir: PathBuf,
}

/// `app.counterline()` instead of `app.state::<AppState>()` everywhere.
pub trait CounterlineExt<R: Runtime> {
    fn counterline(&self) -> &AppState;
}

impl<R: Runtime, M: Manager<R>> CounterlineExt<R> for M {
    fn counterline(&self) -> &AppState {
        self.state::<AppState>().inner()
    }
}

impl AppState {
    pub async fn init(app: &AppHandle) -> Result<AppState, String> {
        let paths = Paths::resolve(
            app.path().app_data_dir().map_err(|e| e.to_string())?,
            app.path().app_config_dir().map_err(|e| e.to_string())?,
        );
        let db = Db::open(&paths.database()).await.map_err(|e| e.to_string())?;
        tidy_sync_log(&db).await;
        let keychain = Keychain::new(KEYCHAIN_SERVICE);
        let keychain_available = {
            let probe = keychain.clone();
            tokio::task::spawn_blocking(move || probe.probe()).await.map(|r| r.is_ok()).unwrap_or(false)
        };
        if !keychain_available {
            tracing::warn!("no usable system keychain; connecting channels is disabled");
        }
        let registrations = registrations::read(&paths.registration_file).map_err(|e| e.to_string())?;
        let configured_lightspeed = registrations.lightspeed_apps().map_err(|e| e.to_string())?;
        let (shopify, demo) = match registrations.shopify {
            Some(entry) => (Some(entry.registration()), None),
            None if keychain_available => {
                let demo = Demo::start(&keychain, &db).await?;
                (Some(demo.shopify_registration()), Some(demo))
            }
            None => (None, None),
        };
        let connector = Connector {
            db: db.clone(),
            keychain,
            http: counterline_channels::http_client().map_err(|e| e.to_string())?,
            scheme: SCHEME.to_owned(),
            shopify,
            bigcommerce: match &demo {
                Some(demo) => BigCommerceApi::Sandbox(demo.sandbox.base_url()),
                None => BigCommerceApi::Production,
            },
            woocommerce: match &demo {
                Some(demo) => WooApi::Sandbox(demo.sandbox.base_url()),
                None => WooApi::Production,
            },
            lightspeed: match &demo {
                Some(demo) => demo.lightspeed_apps(),
                None => configured_lightspeed,
            },
            browser: Arc::new(SystemBrowser::from_env(app.clone())),
            refresh_locks: Default::default(),
            budgets: Default::default(),
        };
        let connector = Arc::new(connector);
        let engine = crate::sync_runner::engine(app, db.clone(), connector.clone());
        Ok(AppState {
            db,
            connector,
            engine,
            demo,
            keychain_available,
            data_dir: paths.data_dir,
        })
    }
}

/// Before any sync starts: runs a killed process left Running are closed
/// (their pull resumes from its saved cursor), and the log is cut to its
/// retention. Neither is worth refusing to start over, so failures are logged.
async fn tidy_sync_log(db: &Db) {
    let tidy = async {
        let mut conn = db.conn().await?;
        let now = now_ms();
        let closed = sync_log::close_abandoned(&mut conn, now).await?;
        let pruned = sync_log::prune(&mut conn, now - sync_log::RETENTION_DAYS * 24 * 3600 * 1000).await?;
        Ok::<_, counterline_store::Error>((closed, pruned))
    };
    match tidy.await {
        Ok((closed, pruned)) => tracing::info!(closed, pruned, "sync log tidied"),
        Err(error) => tracing::warn!(%error, "could not tidy the sync log"),
    }
}
