//! One shop's grants: pending authorization codes, access tokens, refresh tokens.
//!
//! Codes are random, single use, and expire after 10 minutes. Access tokens
//! look like Shopify's (`shpat_` + 32 hex for offline tokens, `shpua_` for
//! online ones); expiring ones lapse after an hour. Revoking (an uninstall)
//! invalidates every token at once, as on Shopify.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use rand::Rng;

pub(crate) const CODE_TTL: Duration = Duration::from_secs(600);
pub(crate) const EXPIRING_TOKEN_TTL: Duration = Duration::from_secs(3600);
/// Online (per-user) tokens last a day.
pub(crate) const ONLINE_TOKEN_TTL: Duration = Duration::from_secs(86_400);
/// UNCONFIRMED: Shopify returns `refresh_token_expires_in` but the value was not verified.
pub(crate) const REFRESH_TOKEN_TTL: Duration = Duration::from_secs(90 * 86_400);

#[derive(Clone, Debug)]
pub(crate) struct PendingCode {
    pub client_id: String,
    pub scopes: Vec<String>,
    pub online: bool,
    created: Instant,
}

#[derive(Clone, Debug)]
pub(crate) struct Grant {
    pub scopes: Vec<String>,
    expires_at: Option<Instant>,
}

impl Grant {
    fn live(&self, now: Instant) -> bool {
        self.expires_at.is_none_or(|t| now < t)
    }
}

#[derive(Default)]
pub(crate) struct AuthState {
    codes: HashMap<String, PendingCode>,
    tokens: HashMap<String, Grant>,
    refresh_tokens: HashMap<String, Grant>,
    /// Every access token ever issued, in order (for tests).
    issued: Vec<String>,
}

pub(crate) fn random_hex(bytes: usize) -> String {
    let mut rng = rand::thread_rng();
    (0..bytes)
        .map(|_| format!("{:02x}", rng.gen::<u8>()))
        .collect()
}

/// What a new access token came with.
pub(crate) struct Issued {
    pub access_token: String,
    pub refresh_token: Option<String>,
}

impl AuthState {
    pub(crate) fn issue_code(
        &mut self,
        client_id: &str,
        scopes: Vec<String>,
        online: bool,
    ) -> String {
        let now = Instant::now();
        self.codes
            .retain(|_, c| now.duration_since(c.created) < CODE_TTL);
        let code = random_hex(16);
        self.codes.insert(
            code.clone(),
            PendingCode {
                client_id: client_id.to_owned(),
                scopes,
                online,
                created: now,
            },
        );
        code
    }

    /// Takes a code out (single use). `None` if unknown, used, expired, or
    /// issued to another app.
    pub(crate) fn redeem_code(&mut self, code: &str, client_id: &str) -> Option<PendingCode> {
        let pending = self.codes.get(code)?;
        if pending.client_id != client_id {
            return None;
        }
        let pending = self.codes.remove(code)?;
        (pending.created.elapsed() < CODE_TTL).then_some(pending)
    }

    /// Issues an access token; `ttl` makes it expire, and `with_refresh`
    /// pairs it with a refresh token (Shopify's expiring offline tokens).
    pub(crate) fn issue_token(
        &mut self,
        scopes: Vec<String>,
        online: bool,
        ttl: Option<Duration>,
        with_refresh: bool,
    ) -> Issued {
        let now = Instant::now();
        let prefix = if online { "shpua_" } else { "shpat_" };
        let access_token = format!("{prefix}{}", random_hex(16));
        self.tokens.insert(
            access_token.clone(),
            Grant {
                scopes: scopes.clone(),
                expires_at: ttl.map(|t| now + t),
            },
        );
        self.issued.push(access_token.clone());
        let refresh_token = with_refresh.then(|| {
            let token = format!("shprt_{}", random_hex(16));
            self.refresh_tokens.insert(
                token.clone(),
                Grant {
                    scopes,
                    expires_at: Some(now + REFRESH_TOKEN_TTL),
                },
            );
            token
        });
        Issued {
            access_token,
            refresh_token,
        }
    }

    /// Rotates a refresh token: the old one stops working, a new expiring
    /// access token and refresh token are issued.
    pub(crate) fn refresh(&mut self, refresh_token: &str) -> Option<(Issued, Vec<String>)> {
        let grant = self.refresh_tokens.remove(refresh_token)?;
        if !grant.live(Instant::now()) {
            return None;
        }
        let scopes = grant.scopes.clone();
        Some((
            self.issue_token(grant.scopes, false, Some(EXPIRING_TOKEN_TTL), true),
            scopes,
        ))
    }

    /// The grant behind a live token.
    pub(crate) fn check(&self, token: &str) -> Option<&Grant> {
        self.tokens.get(token).filter(|g| g.live(Instant::now()))
    }

    pub(crate) fn revoke_all(&mut self) {
        self.tokens.clear();
        self.refresh_tokens.clear();
    }

    pub(crate) fn issued(&self) -> Vec<String> {
        self.issued.clone()
    }

    pub(crate) fn live_count(&self) -> usize {
        let now = Instant::now();
        self.tokens.values().filter(|g| g.live(now)).count()
    }
}
