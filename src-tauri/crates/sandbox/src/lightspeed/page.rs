//! The pages a merchant sees at Lightspeed's authorization servers: the
//! consent page and the error page, in the sandbox's Lightspeed look.
//!
//! Tests drive the consent page with a plain HTTP client, so its form is a
//! contract shared with Shopify's consent page: `<form method="post"
//! action="…">` with every request field as `<input type="hidden">`, and
//! buttons `name="decision"` `value="approve"` (`#approve`) and
//! `value="deny"` (`#deny`). The error page puts the message in
//! `#oauth-error`.

use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};

use crate::shopify::consent::escape;

const STYLE: &str = r#"
  * { box-sizing: border-box; }
  body { margin: 0; min-height: 100vh; background: #f4f5f7; color: #1d1d1f;
         font: 14px/1.5 -apple-system, BlinkMacSystemFont, "Segoe UI", Roboto, "Helvetica Neue", sans-serif;
         display: flex; flex-direction: column; align-items: center; }
  header { width: 100%; background: #000; color: #fff; padding: 12px 24px; font-weight: 700; letter-spacing: .3px; }
  header span { color: #9b9ba1; font-weight: 400; margin-left: 10px; }
  .card { background: #fff; margin: 48px 16px; width: min(520px, calc(100% - 32px)); border-radius: 10px;
          border: 1px solid #e2e3e7; padding: 28px; }
  h1 { font-size: 20px; margin: 0 0 4px; }
  .store { color: #5c5f66; }
  h2 { font-size: 12px; text-transform: uppercase; letter-spacing: .7px; color: #5c5f66; margin: 22px 0 8px; }
  ul.scopes { list-style: none; margin: 0; padding: 0; border: 1px solid #e2e3e7; border-radius: 8px; }
  ul.scopes li { padding: 10px 14px; border-top: 1px solid #eceef1; display: flex; justify-content: space-between; gap: 12px; }
  ul.scopes li:first-child { border-top: 0; }
  ul.scopes code { color: #8a8d94; font-size: 12px; }
  .note { color: #5c5f66; font-size: 13px; margin-top: 16px; }
  .switch a { color: #e81c1c; }
  .actions { display: flex; justify-content: flex-end; gap: 8px; margin-top: 24px; }
  button { font: inherit; font-weight: 600; border-radius: 6px; padding: 8px 18px; cursor: pointer; border: 1px solid transparent; }
  #approve { background: #e81c1c; color: #fff; }
  #approve:hover { background: #c41010; }
  #deny { background: #fff; color: #1d1d1f; border-color: #c9cbd1; }
  .error { color: #8e1f0b; background: #fee9e8; border-radius: 8px; padding: 12px 14px; }
  footer { color: #8a8d94; font-size: 12px; margin-bottom: 24px; }
"#;

/// A full page; `product` names the Lightspeed product in the header.
pub(crate) fn page(product: &str, title: &str, body: &str) -> String {
    format!(
        r#"<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title} · Lightspeed {product} (Counterline sandbox)</title>
<style>{STYLE}</style>
</head>
<body>
<header>Lightspeed {product}<span>Counterline sandbox — not the real Lightspeed</span></header>
{body}
<footer>Served by counterline-sandbox on 127.0.0.1. Nothing here talks to Lightspeed.</footer>
</body>
</html>
"#,
        product = escape(product),
        title = escape(title),
    )
}

/// The consent page's content.
pub(crate) struct Consent<'a> {
    /// `Retail (X-Series)`, `Retail (R-Series)`.
    pub product: &'a str,
    pub app_name: &'a str,
    pub store_name: &'a str,
    /// A second line under the store's name (its address or account number).
    pub store_detail: &'a str,
    /// `(scope, what it allows)`.
    pub scopes: &'a [(String, String)],
    pub action: &'a str,
    pub hidden: &'a [(&'a str, String)],
    /// Other stores the merchant could sign in to: `(label, authorize URL)`.
    pub switch: &'a [(String, String)],
}

impl Consent<'_> {
    pub(crate) fn render(&self) -> String {
        let scopes = if self.scopes.is_empty() {
            "<li><span>Full access the app's registration allows</span></li>".to_owned()
        } else {
            self.scopes
                .iter()
                .map(|(s, d)| {
                    format!(
                        "<li><span>{}</span><code>{}</code></li>",
                        escape(d),
                        escape(s)
                    )
                })
                .collect::<Vec<_>>()
                .join("\n")
        };
        let hidden: Vec<String> = self
            .hidden
            .iter()
            .map(|(n, v)| {
                format!(
                    r#"<input type="hidden" name="{}" value="{}">"#,
                    escape(n),
                    escape(v)
                )
            })
            .collect();
        let switch = if self.switch.is_empty() {
            String::new()
        } else {
            let links: Vec<String> = self
                .switch
                .iter()
                .map(|(label, href)| format!(r#"<a href="{}">{}</a>"#, escape(href), escape(label)))
                .collect();
            format!(
                r#"<p class="note switch">Not this store? Sign in to {}.</p>"#,
                links.join(", ")
            )
        };
        let body = format!(
            r#"<main class="card">
  <h1>Allow {app} to access {store}?</h1>
  <div class="store">{detail}</div>
  <h2>{app} is asking to</h2>
  <ul class="scopes" id="scopes">
{scopes}
  </ul>
  <p class="note">You can disconnect the app at any time from your store's settings.</p>
  {switch}
  <form method="post" action="{action}">
    {hidden}
    <div class="actions">
      <button type="submit" name="decision" value="deny" id="deny">Deny</button>
      <button type="submit" name="decision" value="approve" id="approve">Allow access</button>
    </div>
  </form>
</main>"#,
            app = escape(self.app_name),
            store = escape(self.store_name),
            detail = escape(self.store_detail),
            action = escape(self.action),
            hidden = hidden.join("\n    "),
        );
        page(self.product, &format!("Connect {}", self.app_name), &body)
    }
}

/// Why an authorize request was refused; [`Refusal::page`] renders it.
pub(crate) struct Refusal {
    pub kind: &'static str,
    pub message: String,
}

impl Refusal {
    pub(crate) fn new(kind: &'static str, message: impl Into<String>) -> Refusal {
        Refusal {
            kind,
            message: message.into(),
        }
    }

    /// The `400` error page, in `product`'s look.
    pub(crate) fn page(&self, product: &str) -> Response {
        error(product, StatusCode::BAD_REQUEST, self.kind, &self.message)
    }
}

/// The HTML error page of a refused authorize request.
pub(crate) fn error(product: &str, status: StatusCode, kind: &str, message: &str) -> Response {
    let body = page(
        product,
        "Authorization error",
        &format!(
            r#"<div class="card"><h1>Something went wrong</h1><p class="error" id="oauth-error">{}: {}</p></div>"#,
            escape(kind),
            escape(message)
        ),
    );
    (status, Html(body)).into_response()
}
