//! WordPress's "Authorize Application" screen
//! (`wp-admin/authorize-application.php`, WordPress ≥ 5.6), which hands an
//! app an Application Password (channel-apis §4.1, option 3).
//!
//! `GET …?app_name=…&app_id=…&success_url=…&reject_url=…` shows the consent
//! form, as if the browser were logged in as the site's owner. The request
//! is refused first (`wp_die`) if `app_id` is not a lowercase UUID or a
//! redirect URL is unacceptable: `javascript:`/`data:` schemes, no host
//! (`myapp:/cb`), or plain `http` to anything but `127.0.0.1`/`[::1]`
//! (`wp_is_authorize_application_redirect_url_valid`, WordPress 6.3.2+ with
//! the newest loopback allowance). Custom schemes with a host
//! (`app.counterline://wc-callback`) are accepted. Without `reject_url`,
//! rejecting goes to `success_url?success=false`.
//!
//! The form is a contract for tests driving it with a plain HTTP client:
//! `<form method="post" action="/woocommerce/{host}/wp-admin/authorize-application.php">`
//! with hidden `_wpnonce`, `action=authorize_application_password`,
//! `app_id`, `success_url`, `reject_url`; a text input `app_name`
//! (`#app_name`); submit buttons `approve` (`#approve`) and `reject`
//! (`#reject`). Approving redirects (302) to `success_url` with `site_url`,
//! `user_login` and `password` appended — the raw 24-character password, as
//! WordPress sends it — or, without a `success_url`, shows the password on
//! the page. Rejecting redirects to `reject_url` unchanged.

use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use url::Url;

use super::auth::chunk_password;
use super::{replies, Site};
use crate::locks::lock;
use crate::shopify::consent::escape;

/// The request's parameters (query string on GET, form body on POST).
#[derive(Debug, Default)]
pub(crate) struct AuthorizeParams {
    pub app_name: String,
    pub app_id: String,
    pub success_url: String,
    pub reject_url: String,
    pub action: String,
    pub nonce: String,
    pub approve: bool,
    pub reject: bool,
}

impl AuthorizeParams {
    pub(crate) fn parse(encoded: &[u8]) -> AuthorizeParams {
        let mut p = AuthorizeParams::default();
        for (k, v) in form_urlencoded::parse(encoded) {
            let v = v.into_owned();
            match k.as_ref() {
                "app_name" => p.app_name = v,
                "app_id" => p.app_id = v,
                "success_url" => p.success_url = v,
                "reject_url" => p.reject_url = v,
                "action" => p.action = v,
                "_wpnonce" => p.nonce = v,
                "approve" => p.approve = true,
                "reject" => p.reject = true,
                _ => {}
            }
        }
        p
    }
}

/// `wp_is_uuid`: lowercase 8-4-4-4-12 hex.
fn is_uuid(s: &str) -> bool {
    let groups: Vec<&str> = s.split('-').collect();
    groups.len() == 5
        && groups.iter().zip([8, 4, 4, 4, 12]).all(|(g, n)| {
            g.len() == n
                && g.chars()
                    .all(|c| c.is_ascii_digit() || ('a'..='f').contains(&c))
        })
}

/// `wp_is_authorize_application_redirect_url_valid`: `Err` carries the
/// message WordPress adds to the refusal.
fn check_redirect(url: &str) -> Result<(), String> {
    if url.is_empty() {
        return Ok(());
    }
    let scheme = url.split_once(':').map(|(s, _)| s.to_ascii_lowercase());
    if matches!(scheme.as_deref(), Some("javascript" | "data")) {
        return Err("The URL contains an invalid protocol.".into());
    }
    let parsed = Url::parse(url).map_err(|_| "The URL must be a valid URL.".to_owned())?;
    let Some(host) = parsed.host_str().filter(|h| !h.is_empty()) else {
        return Err("The URL must be a valid URL.".into());
    };
    let loopback = matches!(host.to_ascii_lowercase().as_str(), "127.0.0.1" | "[::1]");
    if parsed.scheme() == "http" && !loopback {
        return Err("The URL must be served over a secure connection.".into());
    }
    Ok(())
}

/// `wp_is_authorize_application_password_request_valid`: `Err` lists the
/// reasons for refusing.
fn check(p: &AuthorizeParams) -> Result<(), Vec<String>> {
    let mut problems = Vec::new();
    for url in [&p.success_url, &p.reject_url] {
        if let Err(m) = check_redirect(url) {
            problems.push(m);
        }
    }
    if !p.app_id.is_empty() && !is_uuid(&p.app_id) {
        problems.push("The application ID must be a UUID.".to_owned());
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems)
    }
}

const STYLE: &str = r#"
  * { box-sizing: border-box; }
  body { margin: 0; background: #f0f0f1; color: #3c434a; min-height: 100vh;
         font: 13px/1.4 -apple-system, BlinkMacSystemFont, "Segoe UI", Roboto, Oxygen-Sans, Ubuntu, Cantarell, "Helvetica Neue", sans-serif; }
  #wpadminbar { background: #1d2327; color: #f0f0f1; height: 32px; line-height: 32px; padding: 0 12px; font-size: 13px; }
  #wpadminbar b { color: #fff; margin-right: 10px; }
  #wpadminbar span { color: #a7aaad; }
  .wrap { max-width: 720px; margin: 24px auto; padding: 0 20px; }
  h1 { font-size: 23px; font-weight: 400; margin: 0 0 16px; }
  .card { background: #fff; border: 1px solid #c3c4c7; box-shadow: 0 1px 1px rgba(0,0,0,.04); padding: 14px 22px 20px; }
  .card h2 { font-size: 1.3em; margin: 8px 0 12px; }
  .form-field { margin: 16px 0; }
  .form-field label { display: block; font-weight: 600; margin-bottom: 6px; }
  .form-field input { width: 100%; max-width: 25em; padding: 4px 8px; font: inherit; border: 1px solid #8c8f94; border-radius: 4px; min-height: 30px; }
  .button { display: inline-block; font: inherit; padding: 0 10px; min-height: 30px; line-height: 2.15; border-radius: 3px; cursor: pointer; border: 1px solid #2271b1; background: #f6f7f7; color: #2271b1; }
  .button-primary { background: #2271b1; color: #fff; }
  .button-primary:hover { background: #135e96; }
  .description { color: #646970; font-size: 13px; margin: 6px 0 18px; }
  kbd { background: #f0f0f1; padding: 2px 4px; font-size: 12px; word-break: break-all; }
  .notice { border-left: 4px solid #00a32a; background: #fff; padding: 8px 12px; margin: 12px 0; }
  .notice-error { border-left-color: #d63638; }
  .wp-die-message { background: #fff; border: 1px solid #c3c4c7; max-width: 700px; margin: 48px auto; padding: 1em 2em; }
  code.password { font-size: 16px; letter-spacing: .5px; }
  footer { color: #8c8f94; font-size: 12px; text-align: center; margin: 24px 0; }
"#;

/// A full page in the sandbox's WordPress-admin look.
pub(crate) fn wp_page(title: &str, body: &str) -> String {
    format!(
        r#"<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title} ‹ WordPress (Counterline sandbox)</title>
<style>{STYLE}</style>
</head>
<body class="wp-admin">
<div id="wpadminbar"><b>WordPress</b><span>Counterline sandbox — not a real WordPress site</span></div>
{body}
<footer>Served by counterline-sandbox on 127.0.0.1. Nothing here talks to WordPress or WooCommerce.</footer>
</body>
</html>
"#,
        title = escape(title),
    )
}

fn hidden(name: &str, value: &str) -> String {
    format!(
        r#"<input type="hidden" name="{}" value="{}">"#,
        escape(name),
        escape(value)
    )
}

fn with_query(url: &str, params: &[(&str, &str)]) -> Option<String> {
    let mut url = Url::parse(url).ok()?;
    {
        let mut query = url.query_pairs_mut();
        for (k, v) in params {
            query.append_pair(k, v);
        }
    }
    Some(url.to_string())
}

/// The consent form, with an optional notice (an error, or a new password
/// when there is nowhere to send it).
fn render(site: &Site, site_url: &str, p: &AuthorizeParams, notice: Option<String>) -> String {
    let intro = if p.app_name.is_empty() {
        "Would you like to give this application access to your account? You should only do this if you trust the app in question.".to_owned()
    } else {
        format!(
            "Would you like to give the application identifying itself as <strong>{}</strong> access to your account? You should only do this if you trust the app in question.",
            escape(&p.app_name)
        )
    };
    let approve_note = if p.success_url.is_empty() {
        "You will be given a password to manually enter into the application in question."
            .to_owned()
    } else {
        let shown = with_query(
            &p.success_url,
            &[
                ("site_url", site_url),
                ("user_login", &site.user),
                ("password", "[------]"),
            ],
        )
        .unwrap_or_else(|| p.success_url.clone());
        format!(
            "You will be sent to <strong><kbd>{}</kbd></strong>",
            escape(&shown)
        )
    };
    let reject_note = if p.reject_url.is_empty() {
        "You will be returned to the WordPress Dashboard, and no changes will be made.".to_owned()
    } else {
        format!(
            "You will be sent to <strong><kbd>{}</kbd></strong>",
            escape(&p.reject_url)
        )
    };
    let fields = [
        hidden("_wpnonce", &site.nonce),
        hidden("action", "authorize_application_password"),
        hidden("app_id", &p.app_id),
        hidden("success_url", &p.success_url),
        hidden("reject_url", &p.reject_url),
    ]
    .join("\n    ");
    let body = format!(
        r#"<div class="wrap">
  <h1>Authorize Application</h1>
  {notice}
  <div class="card auth-app-card">
  <h2 class="title">An application would like to connect to your account.</h2>
  <p>{intro}</p>
  <p class="description">Site: <strong>{site_name}</strong> · signed in as <strong id="user-login">{user}</strong></p>
  <form action="/woocommerce/{host}/wp-admin/authorize-application.php" method="post" class="form-wrap">
    {fields}
    <div class="form-field">
      <label for="app_name">New Application Password Name</label>
      <input type="text" id="app_name" name="app_name" value="{app_name}" placeholder="WordPress App on My Phone" required>
    </div>
    <input type="submit" name="approve" id="approve" class="button button-primary" value="Yes, I approve of this connection." aria-describedby="description-approve">
    <p class="description" id="description-approve">{approve_note}</p>
    <input type="submit" name="reject" id="reject" class="button" value="No, I do not approve of this connection." aria-describedby="description-reject">
    <p class="description" id="description-reject">{reject_note}</p>
  </form>
  </div>
</div>"#,
        notice = notice.unwrap_or_default(),
        site_name = escape(&site.name),
        user = escape(&site.user),
        host = escape(&site.host),
        app_name = escape(&p.app_name),
    );
    wp_page("Authorize Application", &body)
}

/// `GET wp-admin/authorize-application.php`.
pub(crate) fn authorize(site: &Site, site_url: &str, mut p: AuthorizeParams) -> Response {
    if p.reject_url.is_empty() && !p.success_url.is_empty() {
        p.reject_url = with_query(&p.success_url, &[("success", "false")]).unwrap_or_default();
    }
    if let Err(problems) = check(&p) {
        return replies::cannot_authorize(&problems);
    }
    Html(render(site, site_url, &p, None)).into_response()
}

/// `POST wp-admin/authorize-application.php`: the owner's click.
pub(crate) fn decide(site: &Site, site_url: &str, p: AuthorizeParams) -> Response {
    if p.action != "authorize_application_password" || p.nonce != site.nonce {
        return replies::expired_link();
    }
    if let Err(problems) = check(&p) {
        return replies::cannot_authorize(&problems);
    }
    if p.reject {
        let target = if p.reject_url.is_empty() {
            format!("{site_url}/wp-admin/")
        } else {
            p.reject_url.clone()
        };
        return replies::redirect(&target);
    }
    if !p.approve {
        return Html(render(site, site_url, &p, None)).into_response();
    }
    if p.app_name.trim().is_empty() {
        let notice = r#"<div class="notice notice-error" id="auth-error"><p>An application name is required to create an application password.</p></div>"#;
        return Html(render(site, site_url, &p, Some(notice.to_owned()))).into_response();
    }
    let password = lock(&site.app_passwords).create(p.app_name.trim(), &p.app_id);
    if p.success_url.is_empty() {
        let notice = format!(
            r#"<div class="notice" id="new-password"><p>Your new password for <strong>{}</strong> is: <code class="password" id="new-application-password-value">{}</code></p><p>Be sure to save this in a safe location. You will not be able to retrieve it.</p></div>"#,
            escape(p.app_name.trim()),
            escape(&chunk_password(&password))
        );
        return Html(render(site, site_url, &p, Some(notice))).into_response();
    }
    match with_query(
        &p.success_url,
        &[
            ("site_url", site_url),
            ("user_login", &site.user),
            ("password", &password),
        ],
    ) {
        Some(location) => replies::redirect(&location),
        None => replies::wp_die(
            StatusCode::BAD_REQUEST,
            "Cannot Authorize Application",
            "The success URL is not a valid URL.",
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redirect_urls_follow_wordpress_rules() {
        assert!(check_redirect("").is_ok());
        assert!(check_redirect("https://app.example/cb").is_ok());
        assert!(check_redirect("app.counterline://wc-callback").is_ok());
        assert!(check_redirect("http://127.0.0.1:47123/cb").is_ok());
        assert!(check_redirect("http://[::1]:47123/cb").is_ok());
        assert!(check_redirect("http://localhost:47123/cb").is_err());
        assert!(check_redirect("http://evil.example/cb").is_err());
        assert!(
            check_redirect("myapp:/cb").is_err(),
            "a custom scheme needs a host"
        );
        assert!(check_redirect("javascript:alert(1)").is_err());
        assert!(check_redirect("data:text/html,hi").is_err());
    }

    #[test]
    fn app_ids_are_lowercase_uuids() {
        assert!(is_uuid("0f8c5a8e-6b1d-4c55-9a3e-2d7f9b1c4e60"));
        assert!(!is_uuid("0F8C5A8E-6B1D-4C55-9A3E-2D7F9B1C4E60"));
        assert!(!is_uuid("not-a-uuid"));
    }
}
