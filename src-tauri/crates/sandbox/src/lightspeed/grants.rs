//! One platform's grants: pending authorization codes, access tokens and
//! refresh tokens, each bound to a *subject* (the X-Series domain prefix or
//! the R-Series account id it opens).
//!
//! Codes are single use and expire after 10 minutes (channel-apis §5.1),
//! and are bound to the app and the redirect URI they were issued for.
//! Access tokens expire after the platform's lifetime. Refresh tokens
//! rotate: using one issues a new access token *and* a new refresh token and
//! revokes the one used (X-Series since 2025-03, R-Series' new server),
//! so an old refresh token gets `invalid_grant`. Refreshing leaves earlier
//! access tokens alone until they expire. Revoking a subject (the merchant
//! disconnecting the app) ends every token it has at once.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use rand::distributions::Alphanumeric;
use rand::Rng;

use crate::data::clock;

pub(crate) const CODE_TTL: Duration = Duration::from_secs(600);

struct Code {
    client_id: String,
    redirect_uri: String,
    scopes: Vec<String>,
    subject: String,
    created: Instant,
}

/// What an access token opens.
#[derive(Clone, Debug)]
pub(crate) struct Access {
    pub subject: String,
    pub scopes: Vec<String>,
    /// Unix seconds.
    pub expires_at: i64,
}

struct Refresh {
    subject: String,
    scopes: Vec<String>,
    client_id: String,
}

/// A new token pair.
#[derive(Clone, Debug)]
pub(crate) struct Issued {
    pub access_token: String,
    pub refresh_token: String,
    pub subject: String,
    pub scopes: Vec<String>,
    /// Unix seconds.
    pub expires_at: i64,
    pub expires_in: u64,
}

/// Why a code could not be exchanged (all answer `invalid_grant`).
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum CodeError {
    /// Unknown, used or expired.
    Unknown,
    /// Issued to another app, for another store, or with another redirect URI.
    Mismatch(&'static str),
}

/// What a presented access token is.
#[derive(Debug)]
pub(crate) enum TokenCheck<'a> {
    Live(&'a Access),
    Expired,
    Unknown,
}

pub(crate) struct Grants {
    access_prefix: &'static str,
    refresh_prefix: &'static str,
    token_len: usize,
    lifetime: Duration,
    codes: HashMap<String, Code>,
    access: HashMap<String, Access>,
    refresh: HashMap<String, Refresh>,
    /// Every access token issued, with its subject, oldest first.
    issued: Vec<(String, String)>,
}

fn random_token(len: usize) -> String {
    rand::thread_rng()
        .sample_iter(&Alphanumeric)
        .take(len)
        .map(char::from)
        .collect()
}

impl Grants {
    /// Tokens look like `{prefix}{token_len letters and digits}`; access
    /// tokens live for `lifetime`.
    pub(crate) fn new(
        access_prefix: &'static str,
        refresh_prefix: &'static str,
        token_len: usize,
        lifetime: Duration,
    ) -> Grants {
        Grants {
            access_prefix,
            refresh_prefix,
            token_len,
            lifetime,
            codes: HashMap::new(),
            access: HashMap::new(),
            refresh: HashMap::new(),
            issued: Vec::new(),
        }
    }

    pub(crate) fn issue_code(
        &mut self,
        client_id: &str,
        redirect_uri: &str,
        scopes: Vec<String>,
        subject: &str,
    ) -> String {
        let now = Instant::now();
        self.codes
            .retain(|_, c| now.duration_since(c.created) < CODE_TTL);
        let code = random_token(40);
        self.codes.insert(
            code.clone(),
            Code {
                client_id: client_id.to_owned(),
                redirect_uri: redirect_uri.to_owned(),
                scopes,
                subject: subject.to_owned(),
                created: now,
            },
        );
        code
    }

    /// Exchanges a code for a token pair. The code is used up whatever the
    /// outcome (a code presented wrongly is burned, as RFC 6749 §4.1.2
    /// asks). `subject` limits the code to one store when the token endpoint
    /// is per store; `redirect_uri` must repeat the authorize request's.
    pub(crate) fn redeem_code(
        &mut self,
        code: &str,
        client_id: &str,
        redirect_uri: Option<&str>,
        subject: Option<&str>,
    ) -> Result<Issued, CodeError> {
        let pending = self.codes.remove(code).ok_or(CodeError::Unknown)?;
        if pending.created.elapsed() >= CODE_TTL {
            return Err(CodeError::Unknown);
        }
        if pending.client_id != client_id {
            return Err(CodeError::Mismatch("the code was issued to another client"));
        }
        if subject.is_some_and(|s| !s.eq_ignore_ascii_case(&pending.subject)) {
            return Err(CodeError::Mismatch("the code was issued for another store"));
        }
        if redirect_uri.is_some_and(|r| r != pending.redirect_uri) {
            return Err(CodeError::Mismatch(
                "the redirect_uri does not match the authorization request",
            ));
        }
        Ok(self.issue(&pending.subject, pending.scopes, client_id))
    }

    /// A new access token and refresh token for `subject`.
    pub(crate) fn issue(&mut self, subject: &str, scopes: Vec<String>, client_id: &str) -> Issued {
        let access_token = format!("{}{}", self.access_prefix, random_token(self.token_len));
        let refresh_token = format!("{}{}", self.refresh_prefix, random_token(self.token_len));
        let expires_in = self.lifetime.as_secs();
        let expires_at = clock::now().saturating_add(i64::try_from(expires_in).unwrap_or(i64::MAX));
        self.access.insert(
            access_token.clone(),
            Access {
                subject: subject.to_owned(),
                scopes: scopes.clone(),
                expires_at,
            },
        );
        self.refresh.insert(
            refresh_token.clone(),
            Refresh {
                subject: subject.to_owned(),
                scopes: scopes.clone(),
                client_id: client_id.to_owned(),
            },
        );
        self.issued.push((subject.to_owned(), access_token.clone()));
        Issued {
            access_token,
            refresh_token,
            subject: subject.to_owned(),
            scopes,
            expires_at,
            expires_in,
        }
    }

    /// Rotates a refresh token: `None` if it is unknown, already used,
    /// revoked, belongs to another app or (when `subject` is given) to
    /// another store.
    pub(crate) fn refresh(
        &mut self,
        refresh_token: &str,
        client_id: &str,
        subject: Option<&str>,
    ) -> Option<Issued> {
        let grant = self.refresh.get(refresh_token)?;
        if grant.client_id != client_id
            || subject.is_some_and(|s| !s.eq_ignore_ascii_case(&grant.subject))
        {
            return None;
        }
        let grant = self.refresh.remove(refresh_token)?;
        Some(self.issue(&grant.subject, grant.scopes, client_id))
    }

    pub(crate) fn check(&self, token: &str) -> TokenCheck<'_> {
        match self.access.get(token) {
            Some(a) if clock::now() < a.expires_at => TokenCheck::Live(a),
            Some(_) => TokenCheck::Expired,
            None => TokenCheck::Unknown,
        }
    }

    /// Every access token lapses now (refresh tokens keep working).
    pub(crate) fn expire_access(&mut self) {
        let past = clock::now() - 1;
        for a in self.access.values_mut() {
            a.expires_at = a.expires_at.min(past);
        }
    }

    /// The live access tokens of `subject` lapse now (its refresh tokens
    /// keep working); returns how many did. For the expiry fault, which
    /// hits one account mid-sync rather than every account at once.
    pub(crate) fn expire_access_of(&mut self, subject: &str) -> usize {
        let now = clock::now();
        let mut lapsed = 0;
        for a in self.access.values_mut() {
            if a.subject.eq_ignore_ascii_case(subject) && now < a.expires_at {
                a.expires_at = now - 1;
                lapsed += 1;
            }
        }
        lapsed
    }

    /// Ends every access and refresh token of `subject`.
    pub(crate) fn revoke(&mut self, subject: &str) {
        self.access
            .retain(|_, a| !a.subject.eq_ignore_ascii_case(subject));
        self.refresh
            .retain(|_, r| !r.subject.eq_ignore_ascii_case(subject));
    }

    /// Every access token issued for `subject`, oldest first.
    pub(crate) fn issued(&self, subject: &str) -> Vec<String> {
        self.issued
            .iter()
            .filter(|(s, _)| s.eq_ignore_ascii_case(subject))
            .map(|(_, t)| t.clone())
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn grants() -> Grants {
        Grants::new("at_", "rt_", 20, Duration::from_secs(3600))
    }

    #[test]
    fn codes_are_single_use_and_bound() {
        let mut g = grants();
        let code = g.issue_code("app", "http://127.0.0.1/cb", vec!["a".into()], "shop");
        assert_eq!(
            g.redeem_code(&code, "other", None, None).err(),
            Some(CodeError::Mismatch("the code was issued to another client"))
        );
        assert_eq!(
            g.redeem_code(&code, "app", None, None).err(),
            Some(CodeError::Unknown),
            "a code presented wrongly is burned"
        );
        let code = g.issue_code("app", "http://127.0.0.1/cb", vec![], "shop");
        let issued = g
            .redeem_code(&code, "app", Some("http://127.0.0.1/cb"), Some("SHOP"))
            .expect("redeems");
        assert!(issued.access_token.starts_with("at_") && issued.access_token.len() == 23);
        assert!(matches!(g.check(&issued.access_token), TokenCheck::Live(_)));
    }

    #[test]
    fn refresh_tokens_rotate_and_expiry_is_reported() {
        let mut g = grants();
        let first = g.issue("shop", vec![], "app");
        let second = g
            .refresh(&first.refresh_token, "app", None)
            .expect("rotates");
        assert!(
            g.refresh(&first.refresh_token, "app", None).is_none(),
            "used up"
        );
        assert!(g.refresh(&second.refresh_token, "other", None).is_none());
        assert!(g
            .refresh(&second.refresh_token, "app", Some("elsewhere"))
            .is_none());
        g.expire_access();
        assert!(matches!(g.check(&second.access_token), TokenCheck::Expired));
        assert!(matches!(g.check("nope"), TokenCheck::Unknown));
        let third = g
            .refresh(&second.refresh_token, "app", Some("shop"))
            .expect("still valid");
        g.revoke("shop");
        assert!(matches!(g.check(&third.access_token), TokenCheck::Unknown));
        assert!(g.refresh(&third.refresh_token, "app", None).is_none());
        assert_eq!(g.issued("shop").len(), 3);
    }
}
