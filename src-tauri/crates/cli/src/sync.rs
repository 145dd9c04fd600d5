//! `counterline-cli sync`: the app's sync engine without a window, on the
//! app's own database and keychain entries. Scriptable: one line per
//! committed page on stderr, one summary line per channel on stdout, exit
//! status 1 if any channel failed.

use std::path::PathBuf;
use std::sync::Arc;

use counterline_channels::bigcommerce::BigCommerceApi;
use counterline_channels::connect::{Connector, ShopifyRegistration};
use counterline_channels::lightspeed::LightspeedApi;
use counterline_channels::registrations;
use counterline_channels::shopify::ShopifyApi;
use counterline_channels::woocommerce::WooApi;
use counterline_channels::Browser;
use counterline_secrets::Keychain;
use counterline_store::model::ChannelStatus;
use counterline_store::{channels, Db};
use counterline_sync::engine::{Engine, SyncEvent, Trigger};
use url::Url;

/// The app's keychain namespace (`app.counterline.desktop`), unless told otherwise.
pub const DEFAULT_KEYCHAIN_SERVICE: &str = "app.counterline.desktop";

pub struct Options {
    /// The app's data folder (holds `counterline.db`).
    pub data_dir: PathBuf,
    /// Channel ids to sync; empty means every channel that pulls.
    pub channels: Vec<i64>,
    /// The registration file; absent means none.
    pub config: Option<PathBuf>,
    /// Serve every platform from this Counterline sandbox instead.
    pub sandbox: Option<Url>,
    pub keychain_service: String,
}

/// A sync from the command line never opens a browser: re-authorizing is
/// the merchant's step in the app.
struct NoBrowser;

impl Browser for NoBrowser {
    fn open(&self, _url: &Url) -> Result<(), String> {
        Err("the command line can't open a browser; re-authorize in the app".into())
    }
}

#[derive(Debug, thiserror::Error)]
pub enum SyncCliError {
    #[error(transparent)]
    Store(#[from] counterline_store::Error),
    #[error(transparent)]
    Channel(#[from] counterline_channels::Error),
    #[error("{failed} of {total} channels failed to sync")]
    Failed { failed: usize, total: usize },
}

async fn connector(options: &Options, db: Db) -> Result<Connector, SyncCliError> {
    let file = match &options.config {
        Some(path) => registrations::read(path)?,
        None => registrations::RegistrationFile::default(),
    };
    let mut lightspeed = file.lightspeed_apps()?;
    let mut shopify = file.shopify.as_ref().map(|e| e.registration());
    let (bigcommerce, woocommerce) = match &options.sandbox {
        Some(url) => {
            lightspeed.api = LightspeedApi::Sandbox(url.clone());
            let client_id = shopify.take().map(|r| r.client_id).unwrap_or_default();
            shopify = Some(ShopifyRegistration { client_id, api: ShopifyApi::Sandbox(url.clone()) });
            (BigCommerceApi::Sandbox(url.clone()), WooApi::Sandbox(url.clone()))
        }
        None => (BigCommerceApi::Production, WooApi::Production),
    };
    Ok(Connector {
        db,
        keychain: Keychain::new(options.keychain_service.clone()),
        http: counterline_channels::http_client()?,
        scheme: "app.counterline".to_owned(),
        shopify,
        bigcommerce,
        woocommerce,
        lightspeed,
        browser: Arc::new(NoBrowser),
        refresh_locks: Default::default(),
        budgets: Default::default(),
    })
}

pub async fn run(options: Options) -> Result<(), SyncCliError> {
    let db = Db::open(&options.data_dir.join("counterline.db")).await?;
    let ids = if options.channels.is_empty() {
        channels::list(&mut *db.conn().await?)
            .await?
            .into_iter()
            .filter(|c| c.status == ChannelStatus::Active && c.settings.sync_direction.pulls())
            .map(|c| c.id)
            .collect()
    } else {
        options.channels.clone()
    };
    let connector = Arc::new(connector(&options, db.clone()).await?);
    let engine = Engine::new(db.clone(), connector, |event| {
        if let SyncEvent::Progress { channel_id, progress } = event {
            eprintln!("channel {channel_id}: {} pages, {} orders", progress.pages, progress.orders);
        }
    });
    let mut failed = 0;
    for &id in &ids {
        match engine.run(id, Trigger::Cli).await {
            Ok(summary) => println!(
                "channel {id}: ok, {} pages, {} requests, {} new, {} updated, {} unchanged",
                summary.pages, summary.requests, summary.stats.inserted, summary.stats.updated, summary.stats.unchanged
            ),
            Err(error) => {
                failed += 1;
                println!("channel {id}: failed: {error}");
            }
        }
    }
    db.close().await;
    match failed {
        0 => Ok(()),
        failed => Err(SyncCliError::Failed { failed, total: ids.len() }),
    }
}
