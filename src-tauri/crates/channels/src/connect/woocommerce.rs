//! WooCommerce: WordPress application-password sign-in through the deep link,
//! or REST keys; either credential is proven with an authenticated call.

use counterline_secrets::Secret;
use counterline_store::attempts;
use counterline_store::model::{ChannelView, Platform};

use super::{random_token, Connector, Started, ATTEMPT_TTL_MS};
use crate::callback::{self, param};
use crate::woocommerce::{client::WooClient, SiteHost};
use crate::{CallbackProblem, Error, Result};

/// Identifies Counterline to WordPress's application-password screen (a
/// fixed UUID, so the merchant sees one app, not one per attempt).
const WORDPRESS_APP_ID: &str = "6f0b5e1c-3c1a-4b8e-9a51-7c0f2d4e8b31";

impl Connector {
    /// Opens WordPress's "Authorize application" screen. WordPress appends
    /// `site_url`, `user_login` and `password` to our deep link; `state` in
    /// the link binds the answer to this attempt (WordPress signs nothing).
    pub async fn start_woocommerce(&self, site_input: &str) -> Result<Started> {
        let site = SiteHost::parse(site_input)?;
        let state = random_token(32);
        let attempt_id = random_token(12);
        let mut conn = self.db.conn().await?;
        attempts::create(&mut conn, &attempt_id, Platform::WooCommerce, site.as_str(), &state, ATTEMPT_TTL_MS).await?;
        let callback = callback::redirect_uri(&self.scheme);
        let with_state = |extra: &[(&str, &str)]| {
            let mut url = callback.clone();
            url.query_pairs_mut().append_pair("state", &state).extend_pairs(extra);
            url.to_string()
        };
        let mut authorize_url = self
            .woocommerce
            .origin(&site)?
            .join("wp-admin/authorize-application.php")
            .map_err(|e| Error::Internal(format!("WordPress authorize URL: {e}")))?;
        authorize_url
            .query_pairs_mut()
            .append_pair("app_name", "Counterline")
            .append_pair("app_id", WORDPRESS_APP_ID)
            .append_pair("success_url", &with_state(&[]))
            .append_pair("reject_url", &with_state(&[("error", "access_denied")]));
        self.browser.open(&authorize_url).map_err(Error::Browser)?;
        Ok(Started { attempt_id, authorize_url, loopback: None })
    }

    pub(super) async fn complete_woocommerce(&self, params: &[(String, String)], account: &str) -> Result<ChannelView> {
        if param(params, "error").is_some() || param(params, "success") == Some("false") {
            return Err(Error::Callback(CallbackProblem::Denied));
        }
        let site_url = param(params, "site_url").ok_or(Error::Callback(CallbackProblem::Malformed))?;
        // WordPress reports its own address; it must be the site the merchant chose.
        let site = SiteHost::parse(account)?;
        let expected = self.woocommerce.origin(&site)?;
        if site_url.trim_end_matches('/') != expected.as_str().trim_end_matches('/') {
            return Err(Error::Callback(CallbackProblem::ForeignAccount));
        }
        let user = param(params, "user_login").filter(|u| !u.is_empty() && !u.contains(':'));
        let password = param(params, "password").filter(|p| !p.is_empty());
        let (Some(user), Some(password)) = (user, password) else {
            return Err(Error::Callback(CallbackProblem::Malformed));
        };
        self.connect_woocommerce_credential(&site, Secret::new(format!("{user}:{password}"))).await
    }

    /// An application password already in hand (demo mode issues one).
    pub async fn connect_woocommerce_app_password(&self, site_input: &str, user: &str, password: &str) -> Result<ChannelView> {
        let site = SiteHost::parse(site_input)?;
        self.connect_woocommerce_credential(&site, Secret::new(format!("{user}:{password}"))).await
    }

    /// REST API keys pasted by the merchant (WooCommerce › Settings › Advanced › REST API).
    pub async fn connect_woocommerce_keys(&self, site_input: &str, key: &str, secret: &str) -> Result<ChannelView> {
        let site = SiteHost::parse(site_input)?;
        let (key, secret) = (key.trim(), secret.trim());
        if !key.starts_with("ck_") || !secret.starts_with("cs_") || key.contains(':') {
            return Err(Error::InvalidInput(
                "WooCommerce keys start with ck_ (consumer key) and cs_ (consumer secret); copy both from WooCommerce › Settings › Advanced › REST API.".into(),
            ));
        }
        self.connect_woocommerce_credential(&site, Secret::new(format!("{key}:{secret}"))).await
    }

    async fn connect_woocommerce_credential(&self, site: &SiteHost, credential: Secret) -> Result<ChannelView> {
        let client = WooClient::new(self.http.clone(), self.woocommerce.origin(site)?, credential.clone());
        let name = client.site_name().await?;
        self.save_channel(Platform::WooCommerce, site.as_str(), &name, credential).await
    }
}
