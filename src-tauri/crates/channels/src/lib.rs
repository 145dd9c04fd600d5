//! Sales-channel adapters. Each platform module owns its connect flow
//! (authorize URL, callback verification, token exchange), its API client and
//! the mapping from the platform's order shape to [`counterline_store::model`].
//! [`connect`] orchestrates a connection end to end: pending attempt, browser,
//! callback, credential check, keychain, channel row.

pub mod bigcommerce;
pub mod budget;
pub mod callback;
pub mod connect;
mod error;
pub mod grant;
pub mod kseries;
pub mod lightspeed;
pub mod loopback;
pub mod money;
pub mod oauth;
pub mod oseries;
pub mod push;
pub mod registrations;
pub mod rseries;
pub mod shopify;
pub mod source;
pub mod woocommerce;
pub mod xseries;
mod timefmt;

pub use error::{CallbackProblem, Error, Result};

/// Opens authorization pages. Per RFC 8252 §8.12 this is the system browser,
/// never the app's webview; tests substitute a recorder and play the browser.
pub trait Browser: Send + Sync {
    fn open(&self, url: &url::Url) -> std::result::Result<(), String>;
}

/// The HTTP client every adapter uses: rustls, sane timeouts, and redirects
/// NOT followed (token endpoints must not be redirectable; see oauth2 docs).
pub fn http_client() -> Result<reqwest::Client> {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .connect_timeout(std::time::Duration::from_secs(10))
        .timeout(std::time::Duration::from_secs(60))
        .user_agent(concat!("Counterline/", env!("CARGO_PKG_VERSION")))
        .build()
        .map_err(|e| Error::Internal(format!("HTTP client: {e}")))
}
