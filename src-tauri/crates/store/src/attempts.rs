//! Pending connect attempts: the `state` a browser sign-in must bring back.
//! An attempt is single use and expires; only a digest of `state` is stored.

use sha2::{Digest, Sha256};
use sqlx::{Row, SqliteConnection};

use crate::model::Platform;
use crate::{now_ms, Result};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConnectAttempt {
    pub id: String,
    pub platform: Platform,
    /// The account the merchant asked to connect (e.g. the shop domain);
    /// the callback must name the same one.
    pub account: String,
    pub created_at: i64,
    pub expires_at: i64,
}

/// The result of presenting a `state` value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AttemptClaim {
    /// First use within its lifetime: the attempt is now consumed.
    Valid(ConnectAttempt),
    /// No attempt ever had this state: a forged or foreign link.
    Unknown,
    /// The attempt was already completed once: a replayed link.
    AlreadyUsed,
    /// The attempt existed but timed out (it is consumed now too).
    Expired,
}

fn state_digest(state: &str) -> String {
    hex::encode(Sha256::digest(state.as_bytes()))
}

pub async fn create(
    conn: &mut SqliteConnection,
    id: &str,
    platform: Platform,
    account: &str,
    state: &str,
    ttl_ms: i64,
) -> Result<ConnectAttempt> {
    let created_at = now_ms();
    let expires_at = created_at + ttl_ms;
    // Old attempts are useless after expiry; prune them as new ones start.
    sqlx::query("DELETE FROM connect_attempts WHERE expires_at < ?")
        .bind(created_at - 24 * 3600 * 1000)
        .execute(&mut *conn)
        .await?;
    sqlx::query(
        "INSERT INTO connect_attempts (id, state_digest, platform, account, created_at, expires_at)
         VALUES (?, ?, ?, ?, ?, ?)",
    )
    .bind(id)
    .bind(state_digest(state))
    .bind(platform.as_str())
    .bind(account)
    .bind(created_at)
    .bind(expires_at)
    .execute(&mut *conn)
    .await?;
    Ok(ConnectAttempt { id: id.to_owned(), platform, account: account.to_owned(), created_at, expires_at })
}

/// Consumes the attempt bound to `state`, atomically, so two deliveries of
/// the same callback can never both succeed.
pub async fn claim(conn: &mut SqliteConnection, state: &str, now: i64) -> Result<AttemptClaim> {
    let digest = state_digest(state);
    let claimed = sqlx::query(
        "UPDATE connect_attempts SET used_at = ? WHERE state_digest = ? AND used_at IS NULL
         RETURNING id, platform, account, created_at, expires_at",
    )
    .bind(now)
    .bind(&digest)
    .fetch_optional(&mut *conn)
    .await?;
    let Some(row) = claimed else {
        let seen: Option<i64> =
            sqlx::query_scalar("SELECT 1 FROM connect_attempts WHERE state_digest = ?")
                .bind(&digest)
                .fetch_optional(&mut *conn)
                .await?;
        return Ok(if seen.is_some() { AttemptClaim::AlreadyUsed } else { AttemptClaim::Unknown });
    };
    let attempt = ConnectAttempt {
        id: row.get("id"),
        platform: Platform::parse(row.get("platform"))?,
        account: row.get("account"),
        created_at: row.get("created_at"),
        expires_at: row.get("expires_at"),
    };
    Ok(if now > attempt.expires_at { AttemptClaim::Expired } else { AttemptClaim::Valid(attempt) })
}
