//! Counterline's local database: the one place orders live on the merchant's
//! machine. Owns the SQLite file (WAL, busy timeout, append-only migrations),
//! the domain model shared by adapters and the UI, and every query.
//!
//! Functions that must join a caller's transaction take `&mut SqliteConnection`
//! (pass `&mut *tx`); read paths take the [`Db`] handle.

pub mod attempts;
pub mod channels;
pub mod customer_search;
mod error;
pub mod fulfillment;
pub mod locations;
pub mod model;
pub mod order_csv;
pub mod order_detail;
pub mod order_events;
pub mod order_list;
pub mod orders;
pub mod outbox;
pub mod sync_log;
pub mod workflow;

use std::path::Path;
use std::str::FromStr;
use std::time::Duration;

use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::SqlitePool;

pub use attempts::{AttemptClaim, ConnectAttempt};
pub use error::{Error, Result};
pub use orders::UpsertStats;
pub use sqlx::{SqliteConnection, Transaction};

/// A connection from the [`Db`]'s pool, returned to it when dropped.
pub type Connection = sqlx::pool::PoolConnection<sqlx::Sqlite>;

/// The database handle. Cheap to clone (a pool inside).
#[derive(Clone, Debug)]
pub struct Db {
    pool: SqlitePool,
}

impl Db {
    /// Opens (creating if needed) the database file and brings its schema up
    /// to date before any query runs.
    pub async fn open(path: &Path) -> Result<Db> {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(|source| Error::Folder {
                path: dir.display().to_string(),
                source,
            })?;
        }
        let options = SqliteConnectOptions::from_str("sqlite:")?
            .filename(path)
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            // NORMAL is durable against application crashes in WAL mode; only
            // an OS crash can lose the last transactions, never corrupt.
            .synchronous(SqliteSynchronous::Normal)
            .busy_timeout(Duration::from_secs(10))
            .foreign_keys(true)
            // Multi-row upserts keep a statement journal (to undo one failed
            // statement, not for crash recovery: that is the WAL); on disk it
            // spills to a temp file past 64 KiB. In memory it costs a page
            // batch's worth of RAM and cut the write's CPU by about 14%.
            .pragma("temp_store", "memory")
            // 64 MiB of page cache per connection (default 2 MiB; memory is
            // taken only as pages are read) keeps the indexes a backfill or a
            // loyalty page touches in memory instead of re-reading them from
            // the OS. 100k-order sync on an idle machine: 14.6k → 16.7k
            // orders/s (8 MiB → 64 MiB), peak RSS 42 → 131 MiB; mmap instead
            // was slower (13.1k).
            .pragma("cache_size", "-65536")
            // A checkpoint every 16,000 WAL pages (64 MiB; default 1,000)
            // copies an index page that many commits touch once instead of
            // once per few commits. It runs on the committing connection, so
            // it is the sync writer's time (see MAX_ORDERS_PER_COMMIT in the
            // sync crate for the figures). A WAL file that one bigger
            // transaction grew is cut back to that size. Neither changes what
            // a crash can lose.
            .pragma("wal_autocheckpoint", "16000")
            .pragma("journal_size_limit", "67108864");
        // A handful of connections: the UI reads while a sync writes.
        let pool = SqlitePoolOptions::new()
            .max_connections(4)
            .connect_with(options)
            .await?;
        sqlx::migrate!("./migrations").run(&pool).await?;
        Ok(Db { pool })
    }

    pub fn pool(&self) -> &SqlitePool {
        &self.pool
    }

    /// A connection from the pool, for the module functions that take
    /// `&mut SqliteConnection`.
    pub async fn conn(&self) -> Result<Connection> {
        Ok(self.pool.acquire().await?)
    }

    pub async fn begin(&self) -> Result<Transaction<'static, sqlx::Sqlite>> {
        Ok(self.pool.begin().await?)
    }

    pub async fn close(&self) {
        self.pool.close().await;
    }
}

/// A transaction on a connection the caller holds (from [`Db::conn`]), for
/// work that keeps one connection, and so one warm page cache, across many
/// transactions.
pub async fn begin(conn: &mut SqliteConnection) -> Result<Transaction<'_, sqlx::Sqlite>> {
    Ok(sqlx::Connection::begin(conn).await?)
}

/// Current UTC time in unix milliseconds, the unit every timestamp column uses.
pub fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0)
}
