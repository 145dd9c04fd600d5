//! The sync log: one row per sync run (what started it, how far it got, how
//! it ended) and one per item a run could not bring in, kept for
//! [`RETENTION_DAYS`]. The sync engine writes it (`start_run`, `record_failure`,
//! `finish_run`); the UI reads it (`list_runs`, `list_failures`); startup
//! tidies it (`close_abandoned`, `prune`).
//!
//! Every function takes a `&mut SqliteConnection`, so the engine may call
//! them inside its own page transaction or on a pooled connection.

use sqlx::{QueryBuilder, Row, Sqlite, SqliteConnection};

use crate::model::Platform;
pub use crate::model::{FailureFilter, RunFilter, RunOutcome, SyncFailure, SyncRun, SyncTrigger};
use crate::{now_ms, Error, Result};

/// How long finished runs and resolved failures stay in the log.
pub const RETENTION_DAYS: i64 = 30;

/// What `close_abandoned` writes on a run the app never finished.
pub const ABANDONED_MESSAGE: &str = "The app stopped during this sync; it resumed from the last saved page.";

/// Largest page `list_runs` and `list_failures` return.
const MAX_LIMIT: u32 = 500;

/// The tallies a run ends with. `error: None` is a successful run.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RunEnd {
    pub pages: i64,
    pub orders_new: i64,
    pub orders_updated: i64,
    pub orders_unchanged: i64,
    pub requests: i64,
    /// Responses that were 429 Too Many Requests.
    pub throttled: i64,
    pub error: Option<String>,
}

/// Opens a run for the channel; it shows as Running until `finish_run`.
/// Returns the run id.
pub async fn start_run(
    conn: &mut SqliteConnection,
    channel_id: i64,
    trigger: SyncTrigger,
    started_at_ms: i64,
) -> Result<i64> {
    let id = sqlx::query_scalar(r#"INSERT INTO sync_runs (channel_id, "trigger", started_at) VALUES (?, ?, ?) RETURNING id"#)
        .bind(channel_id)
        .bind(trigger.as_str())
        .bind(started_at_ms)
        .fetch_one(&mut *conn)
        .await?;
    Ok(id)
}

/// Closes a run with its tallies. `Error::NotFound` when no such run exists.
pub async fn finish_run(conn: &mut SqliteConnection, run_id: i64, ended_at_ms: i64, end: &RunEnd) -> Result<()> {
    let done = sqlx::query(
        "UPDATE sync_runs SET ended_at = ?, pages = ?, orders_new = ?, orders_updated = ?,
                orders_unchanged = ?, requests = ?, throttled = ?, error = ?
          WHERE id = ?",
    )
    .bind(ended_at_ms)
    .bind(end.pages)
    .bind(end.orders_new)
    .bind(end.orders_updated)
    .bind(end.orders_unchanged)
    .bind(end.requests)
    .bind(end.throttled)
    .bind(&end.error)
    .bind(run_id)
    .execute(&mut *conn)
    .await?;
    if done.rows_affected() == 0 {
        return Err(Error::NotFound("sync run"));
    }
    Ok(())
}

/// Records an item the run could not bring in; it stays open until a later
/// successful sync of the channel resolves it. `retry_from_ms` is the
/// platform update time a retry should rewind the pull to. Returns its id.
pub async fn record_failure(
    conn: &mut SqliteConnection,
    run_id: i64,
    channel_id: i64,
    kind: &str,
    external_id: &str,
    message: &str,
    retry_from_ms: Option<i64>,
) -> Result<i64> {
    let id = sqlx::query_scalar(
        "INSERT INTO sync_failures (run_id, channel_id, kind, external_id, message, retry_from_ms, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
    )
    .bind(run_id)
    .bind(channel_id)
    .bind(kind)
    .bind(external_id)
    .bind(message)
    .bind(retry_from_ms)
    .bind(now_ms())
    .fetch_one(&mut *conn)
    .await?;
    Ok(id)
}

const RUN_SELECT: &str = r#"SELECT r.id, r.channel_id, c.name AS channel_name, c.platform, r."trigger",
        r.started_at, r.ended_at, r.pages, r.orders_new, r.orders_updated, r.orders_unchanged,
        r.requests, r.throttled, r.error,
        (SELECT COUNT(*) FROM sync_failures f WHERE f.run_id = r.id) AS failures
   FROM sync_runs r JOIN channels c ON c.id = r.channel_id
  WHERE 1 = 1"#;

fn run_from_row(row: &sqlx::sqlite::SqliteRow) -> Result<SyncRun> {
    let ended_at: Option<i64> = row.get("ended_at");
    let error: Option<String> = row.get("error");
    let outcome = match (ended_at, &error) {
        (None, _) => RunOutcome::Running,
        (Some(_), None) => RunOutcome::Ok,
        (Some(_), Some(_)) => RunOutcome::Failed,
    };
    Ok(SyncRun {
        id: row.get("id"),
        channel_id: row.get("channel_id"),
        channel_name: row.get("channel_name"),
        platform: Platform::parse(row.get("platform"))?,
        trigger: SyncTrigger::parse(row.get("trigger"))?,
        started_at: row.get("started_at"),
        ended_at,
        pages: row.get("pages"),
        orders_new: row.get("orders_new"),
        orders_updated: row.get("orders_updated"),
        orders_unchanged: row.get("orders_unchanged"),
        requests: row.get("requests"),
        throttled: row.get("throttled"),
        error,
        outcome,
        failures: row.get("failures"),
    })
}

/// Runs matching the filter, newest first. Page on with `before_id` set to
/// the last row's id.
pub async fn list_runs(conn: &mut SqliteConnection, filter: &RunFilter) -> Result<Vec<SyncRun>> {
    let mut query = QueryBuilder::<Sqlite>::new(RUN_SELECT);
    if let Some(channel_id) = filter.channel_id {
        query.push(" AND r.channel_id = ").push_bind(channel_id);
    }
    match filter.outcome {
        None => {}
        Some(RunOutcome::Running) => {
            query.push(" AND r.ended_at IS NULL");
        }
        Some(RunOutcome::Ok) => {
            query.push(" AND r.ended_at IS NOT NULL AND r.error IS NULL");
        }
        Some(RunOutcome::Failed) => {
            query.push(" AND r.ended_at IS NOT NULL AND r.error IS NOT NULL");
        }
    }
    if let Some(since) = filter.since_ms {
        query.push(" AND r.started_at >= ").push_bind(since);
    }
    if let Some(before) = filter.before_id {
        query.push(" AND r.id < ").push_bind(before);
    }
    query
        .push(" ORDER BY r.id DESC LIMIT ")
        .push_bind(i64::from(filter.limit.clamp(1, MAX_LIMIT)));
    let rows = query.build().fetch_all(&mut *conn).await?;
    rows.iter().map(run_from_row).collect()
}

const FAILURE_SELECT: &str = "SELECT f.id, f.run_id, f.channel_id, c.name AS channel_name, c.platform,
        f.kind, f.external_id, f.message, f.retry_from_ms, f.created_at, f.resolved_at
   FROM sync_failures f JOIN channels c ON c.id = f.channel_id
  WHERE 1 = 1";

fn failure_from_row(row: &sqlx::sqlite::SqliteRow) -> Result<SyncFailure> {
    Ok(SyncFailure {
        id: row.get("id"),
        run_id: row.get("run_id"),
        channel_id: row.get("channel_id"),
        channel_name: row.get("channel_name"),
        platform: Platform::parse(row.get("platform"))?,
        kind: row.get("kind"),
        external_id: row.get("external_id"),
        message: row.get("message"),
        retry_from_ms: row.get("retry_from_ms"),
        created_at: row.get("created_at"),
        resolved_at: row.get("resolved_at"),
    })
}

/// Failed items matching the filter, newest first.
pub async fn list_failures(conn: &mut SqliteConnection, filter: &FailureFilter) -> Result<Vec<SyncFailure>> {
    let mut query = QueryBuilder::<Sqlite>::new(FAILURE_SELECT);
    if let Some(channel_id) = filter.channel_id {
        query.push(" AND f.channel_id = ").push_bind(channel_id);
    }
    if filter.open_only {
        query.push(" AND f.resolved_at IS NULL");
    }
    query
        .push(" ORDER BY f.id DESC LIMIT ")
        .push_bind(i64::from(filter.limit.clamp(1, MAX_LIMIT)));
    let rows = query.build().fetch_all(&mut *conn).await?;
    rows.iter().map(failure_from_row).collect()
}

/// One failed item. `Error::NotFound` when it does not exist (or was pruned).
pub async fn get_failure(conn: &mut SqliteConnection, id: i64) -> Result<SyncFailure> {
    let row = sqlx::query(&format!("{FAILURE_SELECT} AND f.id = ?"))
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?
        .ok_or(Error::NotFound("sync failure"))?;
    failure_from_row(&row)
}

/// Marks every open failure of the channel resolved: a later sync (a retry
/// rewound to before them) went through. Returns how many were open.
pub async fn resolve_failures(conn: &mut SqliteConnection, channel_id: i64, resolved_at_ms: i64) -> Result<u64> {
    let done = sqlx::query("UPDATE sync_failures SET resolved_at = ? WHERE channel_id = ? AND resolved_at IS NULL")
        .bind(resolved_at_ms)
        .bind(channel_id)
        .execute(&mut *conn)
        .await?;
    Ok(done.rows_affected())
}

/// What a successful run `run_id` settles: the channel's earlier run-level
/// failures (the sync itself went through), and the unreadable orders it
/// re-read without failing again. An order failure is only settled by a run
/// that read from at or before its `retry_from_ms` (`reread_from`, the
/// run's rewind); a later run that started past it never saw the order.
pub async fn settle(conn: &mut SqliteConnection, channel_id: i64, run_id: i64, reread_from: Option<i64>, resolved_at_ms: i64) -> Result<u64> {
    let done = sqlx::query(
        "UPDATE sync_failures SET resolved_at = ?1
          WHERE channel_id = ?2 AND resolved_at IS NULL AND run_id < ?3
            AND (kind <> 'order'
                 OR (?4 IS NOT NULL AND COALESCE(retry_from_ms, 0) >= ?4
                     AND NOT EXISTS (SELECT 1 FROM sync_failures again
                                      WHERE again.run_id = ?3 AND again.external_id = sync_failures.external_id)))",
    )
    .bind(resolved_at_ms)
    .bind(channel_id)
    .bind(run_id)
    .bind(reread_from)
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected())
}

/// Retention: deletes failures resolved before `older_than_ms`, then runs that
/// ended before it (with their failures), except runs that still have an open
/// failure — an open failure and the run that explains it are kept however
/// old. Running runs are never deleted. Returns how many rows (runs and
/// failures together) were removed.
pub async fn prune(conn: &mut SqliteConnection, older_than_ms: i64) -> Result<u64> {
    let failures = sqlx::query(
        "DELETE FROM sync_failures
          WHERE resolved_at IS NOT NULL
            AND (resolved_at < ?1
                 OR run_id IN (SELECT id FROM sync_runs WHERE ended_at < ?1))
            AND NOT EXISTS (SELECT 1 FROM sync_failures o
                             WHERE o.run_id = sync_failures.run_id AND o.resolved_at IS NULL)",
    )
    .bind(older_than_ms)
    .execute(&mut *conn)
    .await?
    .rows_affected();
    let runs = sqlx::query(
        "DELETE FROM sync_runs
          WHERE ended_at < ?
            AND NOT EXISTS (SELECT 1 FROM sync_failures f WHERE f.run_id = sync_runs.id)",
    )
    .bind(older_than_ms)
    .execute(&mut *conn)
    .await?
    .rows_affected();
    Ok(failures + runs)
}

/// Closes runs a killed process left Running, with [`ABANDONED_MESSAGE`] as
/// their error (the pull resumes from its saved cursor next time, so nothing
/// was lost). Call at startup before any sync starts. Returns how many.
pub async fn close_abandoned(conn: &mut SqliteConnection, now_ms: i64) -> Result<u64> {
    let done = sqlx::query(
        "UPDATE sync_runs SET ended_at = MAX(?, started_at), error = ? WHERE ended_at IS NULL",
    )
    .bind(now_ms)
    .bind(ABANDONED_MESSAGE)
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected())
}
