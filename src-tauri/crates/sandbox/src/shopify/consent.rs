//! The HTML the merchant sees: the install (consent) page and the page frame
//! shared with the OAuth error pages.
//!
//! Tests drive this page with a plain HTTP client, so the form's action, the
//! hidden field names and the buttons' `name`/`value`/`id` are a contract:
//! `<form method="post" action="/shopify/{shop}/admin/oauth/authorize/decision">`,
//! hidden `client_id`, `scope`, `redirect_uri`, `state`, and buttons
//! `decision=approve` (`#approve`) and `decision=deny` (`#deny`).

/// Escapes text for HTML element content and attribute values.
pub(crate) fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

const STYLE: &str = r#"
  :root { color-scheme: light; }
  * { box-sizing: border-box; }
  body { margin: 0; min-height: 100vh; background: #f1f1f1; color: #303030;
         font: 14px/1.45 -apple-system, BlinkMacSystemFont, "San Francisco", "Segoe UI", Roboto, "Helvetica Neue", sans-serif;
         display: flex; flex-direction: column; align-items: center; }
  header { width: 100%; background: #1a1a1a; color: #e3e3e3; padding: 10px 20px; font-weight: 600; letter-spacing: .2px; }
  header span { color: #8a8a8a; font-weight: 400; margin-left: 8px; }
  .card { background: #fff; margin: 48px 16px; width: min(520px, calc(100% - 32px)); border-radius: 12px;
          box-shadow: 0 1px 0 rgba(26,26,26,.07), 0 1px 3px rgba(26,26,26,.15); padding: 28px 28px 24px; }
  .app { display: flex; align-items: center; gap: 14px; margin-bottom: 18px; }
  .icon { width: 48px; height: 48px; border-radius: 10px; background: linear-gradient(135deg, #2c6ecb, #5c2ec8);
          color: #fff; font-weight: 700; font-size: 22px; display: grid; place-items: center; }
  h1 { font-size: 20px; margin: 0; }
  .shop { color: #616161; margin-top: 2px; }
  h2 { font-size: 13px; text-transform: uppercase; letter-spacing: .6px; color: #616161; margin: 20px 0 8px; }
  ul.scopes { list-style: none; margin: 0; padding: 0; border: 1px solid #e3e3e3; border-radius: 8px; }
  ul.scopes li { padding: 10px 14px; border-top: 1px solid #ebebeb; display: flex; justify-content: space-between; gap: 12px; }
  ul.scopes li:first-child { border-top: 0; }
  ul.scopes code { color: #8a8a8a; font-size: 12px; }
  .note { color: #616161; font-size: 13px; margin-top: 16px; }
  .actions { display: flex; justify-content: flex-end; gap: 8px; margin-top: 24px; }
  button { font: inherit; font-weight: 600; border-radius: 8px; padding: 8px 16px; cursor: pointer; border: 1px solid transparent; }
  #approve { background: #303030; color: #fff; box-shadow: inset 0 -1px 0 #000; }
  #approve:hover { background: #1a1a1a; }
  #deny { background: #fff; color: #303030; border-color: #c9c9c9; }
  #deny:hover { background: #f7f7f7; }
  .error { color: #8e1f0b; background: #fee9e8; border-radius: 8px; padding: 12px 14px; }
  footer { color: #8a8a8a; font-size: 12px; margin-bottom: 24px; }
"#;

/// A full page in the sandbox's Shopify-admin look.
pub(crate) fn page(title: &str, body: &str) -> String {
    format!(
        r#"<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title} · Shopify (Counterline sandbox)</title>
<style>{STYLE}</style>
</head>
<body>
<header>shopify<span>Counterline sandbox — not the real Shopify</span></header>
{body}
<footer>Served by counterline-sandbox on 127.0.0.1. Nothing here talks to Shopify.</footer>
</body>
</html>
"#,
        title = escape(title),
    )
}

/// What a merchant is told each scope allows.
fn describe_scope(scope: &str) -> String {
    let (verb, resource) = match scope.split_once('_') {
        Some(("read", r)) => ("View", r),
        Some(("write", r)) => ("Modify", r),
        Some((v, r)) => (v, r),
        None => ("Access", scope),
    };
    let resource = match resource {
        "all_orders" => "all orders, including those older than 60 days".to_owned(),
        "merchant_managed_fulfillment_orders" => "fulfillment orders".to_owned(),
        other => other.replace('_', " "),
    };
    format!("{verb} {resource}")
}

pub(crate) struct ConsentPage<'a> {
    pub shop_domain: &'a str,
    pub shop_handle: &'a str,
    pub app_name: &'a str,
    pub client_id: &'a str,
    pub scopes: &'a [String],
    pub raw_scope: &'a str,
    pub redirect_uri: &'a str,
    pub state: Option<&'a str>,
    pub grant_options: &'a [String],
}

impl ConsentPage<'_> {
    pub(crate) fn render(&self) -> String {
        let scopes = if self.scopes.is_empty() {
            "<li>No access to store data</li>".to_owned()
        } else {
            self.scopes
                .iter()
                .map(|s| {
                    format!(
                        "<li><span>{}</span><code>{}</code></li>",
                        escape(&describe_scope(s)),
                        escape(s)
                    )
                })
                .collect::<Vec<_>>()
                .join("\n")
        };
        let hidden = |name: &str, value: &str| {
            format!(
                r#"<input type="hidden" name="{}" value="{}">"#,
                escape(name),
                escape(value)
            )
        };
        let mut fields = vec![
            hidden("client_id", self.client_id),
            hidden("scope", self.raw_scope),
            hidden("redirect_uri", self.redirect_uri),
            hidden("state", self.state.unwrap_or("")),
        ];
        fields.extend(
            self.grant_options
                .iter()
                .map(|g| hidden("grant_options[]", g)),
        );
        let initial = self.app_name.chars().next().unwrap_or('C');
        let body = format!(
            r#"<main class="card">
  <div class="app">
    <div class="icon" aria-hidden="true">{initial}</div>
    <div>
      <h1>Install {app} on {handle}?</h1>
      <div class="shop">{domain}</div>
    </div>
  </div>
  <h2>{app} will be able to</h2>
  <ul class="scopes" id="scopes">
{scopes}
  </ul>
  <p class="note">You can remove the app at any time from your store's Settings › Apps.</p>
  <form method="post" action="/shopify/{domain_attr}/admin/oauth/authorize/decision">
    {fields}
    <div class="actions">
      <button type="submit" name="decision" value="deny" id="deny">Cancel</button>
      <button type="submit" name="decision" value="approve" id="approve">Install app</button>
    </div>
  </form>
</main>"#,
            initial = escape(&initial.to_string()),
            app = escape(self.app_name),
            handle = escape(self.shop_handle),
            domain = escape(self.shop_domain),
            domain_attr = escape(self.shop_domain),
            scopes = scopes,
            fields = fields.join("\n    "),
        );
        page(&format!("Install {}", self.app_name), &body)
    }
}
