//! Expiring OAuth grants and the one refresher per connection.
//!
//! A [`Grant`] (access token, refresh token, expiry) lives in the keychain
//! as one entry, so access and refresh tokens are always written together.
//! [`GrantKeeper`] hands out a usable access token: when it is about to
//! expire, or the platform has just refused it, the keeper takes the
//! connection's refresh lock, re-reads the keychain (another task may have
//! refreshed meanwhile), and only then uses the refresh token. Platforms
//! that rotate revoke the used refresh token as they answer, so two
//! refreshers racing would lock the merchant out; and the rotated token is
//! written to the keychain before the new access token is handed out, so a
//! crash right after a refresh never loses the only valid refresh token.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use serde::{Deserialize, Serialize};

use counterline_secrets::{Keychain, Secret};
use counterline_store::now_ms;

use crate::connect::keychain_call;
use crate::oauth::{self, ClientCredentials, OAuthEndpoints};
use crate::{Error, Result};

/// Refresh this long before the stated expiry, so a request never starts
/// with a token that lapses in flight.
pub const REFRESH_MARGIN_MS: i64 = 2 * 60 * 1000;

/// An OAuth grant as stored: access token, refresh token, expiry.
#[derive(Clone)]
pub struct Grant {
    pub access_token: Secret,
    pub refresh_token: Option<Secret>,
    /// When the access token expires (UTC ms); `None` when not stated.
    pub expires_at_ms: Option<i64>,
}

impl std::fmt::Debug for Grant {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Grant").field("expires_at_ms", &self.expires_at_ms).finish_non_exhaustive()
    }
}

/// The keychain entry's JSON. Private, so a grant is only ever serialized
/// into the keychain, never into logs or IPC.
#[derive(Serialize, Deserialize)]
struct Stored {
    access_token: String,
    refresh_token: Option<String>,
    expires_at_ms: Option<i64>,
}

impl Grant {
    pub fn to_secret(&self) -> Secret {
        let stored = Stored {
            access_token: self.access_token.expose().to_owned(),
            refresh_token: self.refresh_token.as_ref().map(|t| t.expose().to_owned()),
            expires_at_ms: self.expires_at_ms,
        };
        Secret::new(serde_json::to_string(&stored).expect("a grant always serializes"))
    }

    pub fn from_secret(secret: &Secret) -> Result<Grant> {
        let stored: Stored = serde_json::from_str(secret.expose())
            .map_err(|_| Error::Internal("the stored sign-in for this channel is unreadable".into()))?;
        Ok(Grant {
            access_token: Secret::new(stored.access_token),
            refresh_token: stored.refresh_token.map(Secret::new),
            expires_at_ms: stored.expires_at_ms,
        })
    }

    fn is_fresh(&self, now: i64) -> bool {
        self.expires_at_ms.is_none_or(|at| at - REFRESH_MARGIN_MS > now)
    }
}

/// One async lock per connection (keychain key), shared by every client the
/// connector builds, so sync, Sync now and the credential check can never
/// refresh the same grant at once.
#[derive(Clone, Default)]
pub struct RefreshLocks(Arc<Mutex<HashMap<String, Arc<tokio::sync::Mutex<()>>>>>);

impl RefreshLocks {
    pub fn for_key(&self, key: &str) -> Arc<tokio::sync::Mutex<()>> {
        let mut map = self.0.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        map.entry(key.to_owned()).or_default().clone()
    }
}

/// Where a keeper reads and writes its grant.
pub enum GrantStore {
    /// A connected channel's keychain entry.
    Keychain { keychain: Keychain, key: String },
    /// A grant not saved yet: proving new credentials before connecting.
    Memory(std::sync::Mutex<Grant>),
}

/// Hands out access tokens for one connection, refreshing as needed.
pub struct GrantKeeper {
    pub(crate) http: reqwest::Client,
    pub(crate) store: GrantStore,
    pub(crate) endpoints: OAuthEndpoints,
    pub(crate) credentials: ClientCredentials,
    pub(crate) lock: Arc<tokio::sync::Mutex<()>>,
}

impl GrantKeeper {
    /// A keeper of a grant held only in memory, e.g. for scripted runs
    /// (benchmarks) that never touch the keychain.
    pub fn in_memory(http: reqwest::Client, endpoints: OAuthEndpoints, credentials: ClientCredentials, grant: Grant) -> GrantKeeper {
        GrantKeeper { http, store: GrantStore::Memory(Mutex::new(grant)), endpoints, credentials, lock: Arc::default() }
    }

    pub fn platform(&self) -> &'static str {
        self.endpoints.platform
    }

    async fn load(&self) -> Result<Grant> {
        match &self.store {
            GrantStore::Keychain { keychain, key } => {
                let key = key.clone();
                let secret = keychain_call(keychain, move |k| k.get(&key)).await?.ok_or(Error::Auth {
                    platform: self.platform(),
                    detail: "no sign-in is stored for this channel".into(),
                })?;
                Grant::from_secret(&secret)
            }
            GrantStore::Memory(grant) => Ok(grant.lock().unwrap_or_else(|p| p.into_inner()).clone()),
        }
    }

    async fn save(&self, grant: &Grant) -> Result<()> {
        match &self.store {
            GrantStore::Keychain { keychain, key } => {
                let key = key.clone();
                let secret = grant.to_secret();
                keychain_call(keychain, move |k| k.set(&key, &secret)).await
            }
            GrantStore::Memory(slot) => {
                *slot.lock().unwrap_or_else(|p| p.into_inner()) = grant.clone();
                Ok(())
            }
        }
    }

    /// The grant as it stands now (after any refresh), e.g. to save it once
    /// new credentials have proven themselves.
    pub async fn current(&self) -> Result<Grant> {
        self.load().await
    }

    /// A token to use now: the stored one while it is fresh, else a
    /// refreshed one.
    pub async fn access_token(&self) -> Result<Secret> {
        let grant = self.load().await?;
        if grant.is_fresh(now_ms()) {
            return Ok(grant.access_token);
        }
        self.refresh_unless_changed(&grant.access_token).await
    }

    /// The platform refused `rejected` (401): refresh, unless someone else
    /// already replaced it.
    pub async fn after_rejection(&self, rejected: &Secret) -> Result<Secret> {
        self.refresh_unless_changed(rejected).await
    }

    async fn refresh_unless_changed(&self, seen: &Secret) -> Result<Secret> {
        let _turn = self.lock.lock().await;
        let current = self.load().await?;
        if current.access_token.expose() != seen.expose() && current.is_fresh(now_ms()) {
            // Another task refreshed while we waited for the lock.
            return Ok(current.access_token);
        }
        let Some(refresh_token) = current.refresh_token.as_ref() else {
            return Err(Error::Auth { platform: self.platform(), detail: "the sign-in expired".into() });
        };
        let fresh = oauth::refresh(&self.http, &self.endpoints, &self.credentials, refresh_token).await?;
        self.save(&fresh).await?;
        tracing::info!(platform = self.platform(), "refreshed a channel's sign-in");
        Ok(fresh.access_token)
    }

    /// Sends a request with a fresh token; on 401 refreshes once and resends.
    /// `build` makes the request for a given bearer token.
    pub async fn send(&self, build: impl Fn(&str) -> reqwest::RequestBuilder, host: &str) -> Result<reqwest::Response> {
        let token = self.access_token().await?;
        let response = build(token.expose()).send().await.map_err(|_| Error::Unreachable { host: host.to_owned() })?;
        if response.status() != reqwest::StatusCode::UNAUTHORIZED {
            return Ok(response);
        }
        let token = self.after_rejection(&token).await?;
        let response = build(token.expose()).send().await.map_err(|_| Error::Unreachable { host: host.to_owned() })?;
        if response.status() == reqwest::StatusCode::UNAUTHORIZED {
            return Err(Error::Auth {
                platform: self.platform(),
                detail: "the platform refused a freshly refreshed sign-in (access may have been revoked)".into(),
            });
        }
        Ok(response)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_grant_round_trips_through_its_keychain_form() {
        let grant = Grant {
            access_token: Secret::new("at-7f3e"),
            refresh_token: Some(Secret::new("rt-91c2")),
            expires_at_ms: Some(5),
        };
        let back = Grant::from_secret(&grant.to_secret()).unwrap();
        assert_eq!(back.access_token.expose(), "at-7f3e");
        assert_eq!(back.refresh_token.unwrap().expose(), "rt-91c2");
        assert_eq!(back.expires_at_ms, Some(5));
        let shown = format!("{grant:?}");
        assert!(!shown.contains("at-7f3e") && !shown.contains("rt-91c2"), "Debug never shows tokens: {shown}");
    }

    #[test]
    fn a_grant_is_refreshed_shortly_before_it_expires() {
        let grant = |at| Grant { access_token: Secret::new("a"), refresh_token: None, expires_at_ms: at };
        assert!(grant(None).is_fresh(0), "no stated expiry: use until refused");
        assert!(grant(Some(REFRESH_MARGIN_MS + 1000)).is_fresh(0));
        assert!(!grant(Some(REFRESH_MARGIN_MS - 1000)).is_fresh(0));
    }
}
