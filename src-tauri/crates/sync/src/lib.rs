//! The order pull: page by page from a channel into SQLite. Each page's rows
//! and the advanced cursor commit in one transaction, so a crash at any point
//! resumes where the last commit left off, losing and duplicating nothing.
//! The next run re-reads an overlap window before the cursor, because
//! platforms index updates with a delay and several orders can share one
//! `updated_at`.

pub mod engine;
pub mod push;

use std::time::Duration;

use counterline_channels::source::{OrderSource, PullStart, SourcePage};
use counterline_channels::Error as ChannelError;
use counterline_store::model::ChannelStatus;
use counterline_store::{channels, now_ms, orders, sync_log, Db, UpsertStats};

/// How far before the saved cursor each run starts reading again.
pub const OVERLAP_MS: i64 = 5 * 60 * 1000;
/// Attempts per page for transient failures (5xx, 429, throttling, timeouts).
const MAX_ATTEMPTS: u32 = 6;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error(transparent)]
    Channel(#[from] ChannelError),
    #[error(transparent)]
    Store(#[from] counterline_store::Error),
    #[error(transparent)]
    Loyalty(#[from] counterline_loyalty::Error),
    #[error("Sync is paused for this channel. Turn sync back on to import orders.")]
    Paused,
    #[error("This channel is set to push only, so Counterline does not import its orders.")]
    PushOnly,
    #[error("This channel is already syncing.")]
    AlreadyRunning,
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Where a running pull is, reported after every committed page.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Progress {
    pub pages: u64,
    pub orders: u64,
    pub done: bool,
    /// The walk's length in pages, where the platform reports it.
    pub expected_pages: Option<u64>,
    /// Estimated time left (ms), from the pace so far; only with `expected_pages`.
    pub eta_ms: Option<u64>,
}

impl Progress {
    fn page_done(&mut self, orders: usize, expected_pages: Option<u64>, elapsed: Duration) {
        self.pages += 1;
        self.orders += orders as u64;
        self.expected_pages = expected_pages.map(|n| n.max(self.pages));
        self.eta_ms = self.expected_pages.map(|expected| {
            let per_page = elapsed.as_millis() as u64 / self.pages;
            (expected - self.pages) * per_page
        });
    }
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Summary {
    pub pages: u64,
    pub requests: u64,
    pub stats: UpsertStats,
}

/// Pulls every order changed since the channel's cursor (all of them on the
/// first run). On an authorization failure the channel is put in Error with
/// the reason, so the merchant sees "Re-authorize" instead of silent gaps.
pub async fn pull_orders(db: &Db, channel_id: i64, source: &OrderSource, on_progress: impl FnMut(Progress)) -> Result<Summary> {
    pull_orders_from(db, channel_id, source, Pull::default(), on_progress).await
}

/// How a pull runs beyond the defaults.
#[derive(Debug, Clone, Copy, Default)]
pub struct Pull {
    /// Re-read from here (UTC ms) when that is earlier than the cursor.
    pub rewind_to: Option<i64>,
    /// The sync-log run to record unreadable orders in. With one, such an
    /// order is set aside as a failed item (in the same transaction as its
    /// page) and the rest is kept; without one, it fails the run, so no
    /// order is ever skipped silently.
    pub run_id: Option<i64>,
}

/// Like [`pull_orders`], with [`Pull`]'s options. A rewind re-reads what
/// failed items were part of; platforms that resume by their own position
/// (X-Series' version) start their walk over.
pub async fn pull_orders_from(
    db: &Db,
    channel_id: i64,
    source: &OrderSource,
    options: Pull,
    mut on_progress: impl FnMut(Progress),
) -> Result<Summary> {
    let mut conn = db.conn().await?;
    let channel = channels::get(&mut conn, channel_id).await?;
    if channel.status == ChannelStatus::Paused {
        return Err(Error::Paused);
    }
    if !channel.settings.sync_direction.pulls() {
        return Err(Error::PushOnly);
    }
    drop(conn);
    let result = pull(db, channel_id, source, options, &mut on_progress).await;
    match &result {
        Ok(_) => channels::mark_synced(&mut *db.conn().await?, channel_id, now_ms()).await?,
        Err(error) => record_failure(db, channel_id, error).await?,
    }
    result
}

/// Keeps a failed run's reason on the channel; an authorization failure
/// also puts it in Error, which stops scheduled runs until re-authorized.
pub(crate) async fn record_failure(db: &Db, channel_id: i64, error: &Error) -> Result<()> {
    let mut conn = db.conn().await?;
    channels::record_error(&mut conn, channel_id, &error.to_string()).await?;
    if let Error::Channel(auth @ ChannelError::Auth { .. }) = error {
        channels::set_status(&mut conn, channel_id, ChannelStatus::Error, Some(&auth.to_string())).await?;
    }
    Ok(())
}

/// One page, retrying transient failures (5xx, 429, timeouts) with a growing pause.
async fn fetch(source: &OrderSource, start: &PullStart, after: Option<&str>, requests: &mut u64) -> Result<SourcePage> {
    let mut attempt = 0;
    loop {
        attempt += 1;
        *requests += 1;
        match source.page(start, after).await {
            Ok(page) => return Ok(page),
            Err(error) if error.is_transient() && attempt < MAX_ATTEMPTS => {
                let backoff = Duration::from_millis(250 * 2u64.pow(attempt - 1));
                tracing::warn!(attempt, %error, "retrying page");
                tokio::time::sleep(backoff).await;
            }
            Err(error) => return Err(error.into()),
        }
    }
}

/// Commits one page's rows with the cursor it reaches, in one transaction.
async fn commit(db: &Db, channel_id: i64, page: &SourcePage, start: &PullStart, source: &OrderSource, run_id: Option<i64>) -> Result<UpsertStats> {
    if let (Some(first), None) = (page.failed.first(), run_id) {
        return Err(ChannelError::Response {
            platform: source.platform_name(),
            detail: format!("order {} could not be read: {}", first.external_id, first.message),
        }
        .into());
    }
    let mut tx = db.begin().await?;
    if let Some(run_id) = run_id {
        for failed in &page.failed {
            let retry_from = failed.updated_at.or(start.updated_since);
            let message = format!("Could not be read: {}", failed.message);
            sync_log::record_failure(&mut tx, run_id, channel_id, "order", &failed.external_id, &message, retry_from).await?;
        }
    }
    let (stats, changed) = orders::upsert_page_changed(&mut tx, channel_id, &page.orders).await?;
    counterline_loyalty::apply_orders(&mut tx, &changed).await?;
    if page.max_updated_at.is_some() || page.position.is_some() {
        // A position-only page keeps the stored high-water mark (MAX).
        let high_water = page.max_updated_at.unwrap_or(0);
        orders::save_cursor(&mut tx, channel_id, high_water, page.position.as_deref()).await?;
    }
    tx.commit().await.map_err(counterline_store::Error::from)?;
    Ok(stats)
}

/// Page by page; while one page is written, the next is already being
/// fetched (the two overlap: SQLite works on its own thread, HTTP on the
/// network). A failed write discards the prefetched page, so the cursor
/// still only moves with committed rows.
async fn pull(
    db: &Db,
    channel_id: i64,
    source: &OrderSource,
    options: Pull,
    on_progress: &mut impl FnMut(Progress),
) -> Result<Summary> {
    let start = {
        let mut conn = db.conn().await?;
        let updated_since = orders::cursor(&mut conn, channel_id).await?.map(|c| c - OVERLAP_MS);
        // The same overlap as the cursor: "changed since" filters are
        // exclusive on some platforms, and the item's own time must be read.
        match options.rewind_to.map(|rewind| rewind - OVERLAP_MS) {
            Some(rewind) if updated_since.is_none_or(|since| rewind < since) => {
                PullStart { updated_since: Some(rewind), position: None }
            }
            _ => PullStart { updated_since, position: orders::cursor_position(&mut conn, channel_id).await? },
        }
    };
    let mut summary = Summary::default();
    let mut progress = Progress::default();
    let started = std::time::Instant::now();
    let mut page = fetch(source, &start, None, &mut summary.requests).await?;
    loop {
        let mut requests = 0;
        let (stats, next) = match page.next.as_deref() {
            Some(next) => {
                let (stats, next) =
                    tokio::join!(commit(db, channel_id, &page, &start, source, options.run_id), fetch(source, &start, Some(next), &mut requests));
                (stats?, Some(next))
            }
            None => (commit(db, channel_id, &page, &start, source, options.run_id).await?, None),
        };
        summary.requests += requests;
        summary.stats += stats;
        summary.pages += 1;
        progress.page_done(page.orders.len(), page.total_pages, started.elapsed());
        match next {
            Some(next) => {
                on_progress(progress);
                page = next?;
            }
            None => break,
        }
    }
    progress.done = true;
    progress.eta_ms = Some(0).filter(|_| progress.expected_pages.is_some());
    on_progress(progress);
    Ok(summary)
}
