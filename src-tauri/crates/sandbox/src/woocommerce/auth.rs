//! Who is calling a site's REST API, decided the way WordPress and
//! WooCommerce decide it (channel-apis §4.1; woocommerce
//! `class-wc-rest-authentication.php`, WordPress `wp-includes/user.php`).
//!
//! In order:
//! 1. `?consumer_key=…&consumer_secret=…` (WooCommerce's fallback for
//!    servers that strip `Authorization`), else HTTP Basic `ck_…:cs_…`:
//!    a known key with the wrong secret is refused ("Consumer secret is
//!    invalid."); an unknown key is not WooCommerce's business, so …
//! 2. … HTTP Basic goes on to WordPress as `user:application password`:
//!    an unknown login or a wrong password is refused. Application
//!    Passwords are 24 letters and digits; WordPress drops everything else
//!    before comparing, so the spaced form `abcd efgh …` works too.
//! 3. No usable credentials: the caller is anonymous, and the endpoint's
//!    permission check answers 401 later (after parameter validation, as
//!    WordPress's REST server orders it).
//!
//! The sandbox stands in for an HTTPS site, so Basic auth is accepted over
//! its plain HTTP (WooCommerce demands OAuth 1.0a signatures on real plain
//! HTTP, which the sandbox does not play).

use axum::http::{header, HeaderMap};
use axum::response::{IntoResponse, Response};
use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use rand::distributions::Alphanumeric;
use rand::Rng;

use super::{replies, Site};
use crate::locks::lock;

/// The site's one REST API key pair (WooCommerce › Settings › Advanced › REST API).
pub(crate) struct ApiKey {
    consumer_key: String,
    consumer_secret: String,
    revoked: bool,
}

impl ApiKey {
    pub(crate) fn new(consumer_key: &str, consumer_secret: &str) -> ApiKey {
        ApiKey {
            consumer_key: consumer_key.to_owned(),
            consumer_secret: consumer_secret.to_owned(),
            revoked: false,
        }
    }

    /// The "Revoke" button: the pair stops working.
    pub(crate) fn revoke(&mut self) {
        self.revoked = true;
    }

    fn is(&self, key: &str) -> bool {
        !self.revoked && key == self.consumer_key
    }
}

struct AppPassword {
    password: String,
    app_name: String,
    app_id: String,
}

/// The shop owner's Application Passwords.
#[derive(Default)]
pub(crate) struct AppPasswords {
    live: Vec<AppPassword>,
    /// Every password ever created, in the raw form, oldest first.
    issued: Vec<String>,
}

/// `abcdEFGHijklMNOPqrstUVWX` → `abcd EFGH ijkl MNOP qrst UVWX`, the form
/// WordPress shows a new password in.
pub(crate) fn chunk_password(raw: &str) -> String {
    raw.as_bytes()
        .chunks(4)
        .map(|c| String::from_utf8_lossy(c).into_owned())
        .collect::<Vec<_>>()
        .join(" ")
}

/// What WordPress compares: letters and digits only.
fn normalise(password: &str) -> String {
    password
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .collect()
}

impl AppPasswords {
    /// Creates a password (24 letters and digits) and returns it raw.
    pub(crate) fn create(&mut self, app_name: &str, app_id: &str) -> String {
        let password: String = rand::thread_rng()
            .sample_iter(&Alphanumeric)
            .take(24)
            .map(char::from)
            .collect();
        self.live.push(AppPassword {
            password: password.clone(),
            app_name: app_name.to_owned(),
            app_id: app_id.to_owned(),
        });
        self.issued.push(password.clone());
        password
    }

    fn check(&self, password: &str) -> bool {
        let given = normalise(password);
        !given.is_empty() && self.live.iter().any(|p| p.password == given)
    }

    pub(crate) fn revoke_all(&mut self) {
        self.live.clear();
    }

    pub(crate) fn issued(&self) -> Vec<String> {
        self.issued.clone()
    }

    /// `(app name, app id)` of each live password, for the summary route.
    pub(crate) fn apps(&self) -> Vec<(String, String)> {
        self.live
            .iter()
            .map(|p| (p.app_name.clone(), p.app_id.clone()))
            .collect()
    }
}

/// Why the credentials were refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum AuthError {
    /// A known consumer key with the wrong secret.
    ConsumerSecretInvalid,
    /// Basic auth with a login the site doesn't have.
    UnknownUser(String),
    /// The right login with a wrong or revoked Application Password.
    IncorrectPassword,
}

impl IntoResponse for AuthError {
    fn into_response(self) -> Response {
        match self {
            AuthError::ConsumerSecretInvalid => replies::consumer_secret_invalid(),
            AuthError::UnknownUser(user) => replies::invalid_username(&user),
            AuthError::IncorrectPassword => replies::incorrect_password(),
        }
    }
}

/// Who the caller is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Caller {
    Anonymous,
    /// The shop owner, by API key or Application Password.
    Owner,
}

fn basic_credentials(headers: &HeaderMap) -> Option<(String, String)> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?.trim();
    let (scheme, encoded) = value.split_once(' ')?;
    if !scheme.eq_ignore_ascii_case("basic") {
        return None;
    }
    let decoded = STANDARD.decode(encoded.trim()).ok()?;
    let decoded = String::from_utf8(decoded).ok()?;
    let (user, password) = decoded.split_once(':')?;
    Some((user.to_owned(), password.to_owned()))
}

fn query_key(query: Option<&str>) -> Option<(String, String)> {
    let mut key = None;
    let mut secret = None;
    for (k, v) in form_urlencoded::parse(query.unwrap_or("").as_bytes()) {
        match k.as_ref() {
            "consumer_key" if !v.is_empty() => key = Some(v.into_owned()),
            "consumer_secret" if !v.is_empty() => secret = Some(v.into_owned()),
            _ => {}
        }
    }
    key.zip(secret)
}

/// Decides who is calling, or why the credentials are refused.
pub(crate) fn authenticate(
    site: &Site,
    headers: &HeaderMap,
    query: Option<&str>,
) -> Result<Caller, AuthError> {
    let basic = basic_credentials(headers).filter(|(u, p)| !u.is_empty() && !p.is_empty());
    {
        let key = lock(&site.api_key);
        if let Some((k, s)) = query_key(query).or_else(|| basic.clone()) {
            if key.is(&k) {
                return if s == key.consumer_secret {
                    Ok(Caller::Owner)
                } else {
                    Err(AuthError::ConsumerSecretInvalid)
                };
            }
        }
    }
    let Some((user, password)) = basic else {
        return Ok(Caller::Anonymous);
    };
    // WordPress looks logins up case-insensitively.
    if !user.eq_ignore_ascii_case(&site.user) {
        return Err(AuthError::UnknownUser(user));
    }
    if lock(&site.app_passwords).check(&password) {
        Ok(Caller::Owner)
    } else {
        Err(AuthError::IncorrectPassword)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_match_with_or_without_spaces() {
        let mut passwords = AppPasswords::default();
        let raw = passwords.create("Counterline", "");
        assert_eq!(raw.len(), 24);
        assert!(raw.chars().all(|c| c.is_ascii_alphanumeric()));
        let spaced = chunk_password(&raw);
        assert_eq!(spaced.len(), 29, "six groups of four");
        assert!(passwords.check(&raw) && passwords.check(&spaced));
        assert!(!passwords.check("wrong password"));
        passwords.revoke_all();
        assert!(!passwords.check(&raw));
        assert_eq!(passwords.issued(), vec![raw]);
    }
}
