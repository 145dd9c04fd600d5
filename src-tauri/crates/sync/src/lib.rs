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
use counterline_store::{channels, now_ms, orders, sync_log, Db, SqliteConnection, UpsertStats};

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
    /// The task writing a pull's pages stopped without an answer (it panicked).
    #[error("The sync stopped unexpectedly while saving orders: {0}")]
    Writer(String),
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Where a running pull is, reported after every committed page.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Progress {
    pub pages: u64,
    /// Orders read so far, whether new, changed or already here as they are.
    pub orders: u64,
    /// Of those, the ones stored for the first time, and the ones that had
    /// changed: a re-read overlap or an unchanged order counts in neither.
    pub new_orders: u64,
    pub updated_orders: u64,
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

/// At most this many orders go into one transaction: enough to share the
/// commit's cost (the index pages a page of orders dirties are mostly the
/// ones the next pages dirty again), little to re-read after a kill (50
/// pages of 100). A slow network never waits for it: the writer commits
/// whatever pages are waiting. With 1,000-order statements and a checkpoint
/// every 16,000 WAL pages, a 100k-order backfill's plain INSERTs went from
/// 4.1 to 3.3 CPU seconds, and the sync from 18.1k to 21.4k orders/s (idle
/// machine, medians; 1,000 per commit before).
pub const MAX_ORDERS_PER_COMMIT: usize = 5_000;
/// How many fetched pages may wait for the writer: a full commit's worth of
/// 100-order pages.
const PAGES_AHEAD: usize = 50;

/// Commits fetched pages, in page order, with the cursor the last one
/// reaches, in one transaction. Without a sync-log run to record unreadable
/// orders in, the pages before the first one that has some are committed and
/// the run stops there.
async fn commit(conn: &mut SqliteConnection, channel_id: i64, pages: &mut [SourcePage], start: &PullStart, platform: &'static str, run_id: Option<i64>) -> Result<UpsertStats> {
    if run_id.is_none() {
        if let Some(at) = pages.iter().position(|page| !page.failed.is_empty()) {
            let first = &pages[at].failed[0];
            let error = ChannelError::Response {
                platform,
                detail: format!("order {} could not be read: {}", first.external_id, first.message),
            };
            if at > 0 {
                Box::pin(commit(conn, channel_id, &mut pages[..at], start, platform, run_id)).await?;
            }
            return Err(error.into());
        }
    }
    let mut tx = counterline_store::begin(conn).await?;
    if let Some(run_id) = run_id {
        for failed in pages.iter().flat_map(|page| &page.failed) {
            let retry_from = failed.updated_at.or(start.updated_since);
            let message = format!("Could not be read: {}", failed.message);
            sync_log::record_failure(&mut tx, run_id, channel_id, "order", &failed.external_id, &message, retry_from).await?;
        }
    }
    let (stats, changed) = match pages {
        [page] => orders::upsert_page_changed(&mut tx, channel_id, &page.orders).await?,
        _ => {
            // One upsert for the lot; a repeated order's later copy still wins.
            let all: Vec<_> = pages.iter_mut().flat_map(|page| std::mem::take(&mut page.orders)).collect();
            orders::upsert_page_changed(&mut tx, channel_id, &all).await?
        }
    };
    counterline_loyalty::apply_orders(&mut tx, &changed).await?;
    // A position-only page keeps the stored high-water mark (MAX); the last
    // page's position is the furthest.
    let high_water = pages.iter().filter_map(|page| page.max_updated_at).max();
    let position = pages.iter().rev().find_map(|page| page.position.as_deref());
    if high_water.is_some() || position.is_some() {
        orders::save_cursor(&mut tx, channel_id, high_water.unwrap_or(0), position).await?;
    }
    tx.commit().await.map_err(counterline_store::Error::from)?;
    Ok(stats)
}

/// Fetching runs ahead of writing, at most [`PAGES_AHEAD`] pages, on two
/// tasks: decoding a page (about 1 ms of CPU) never holds up the statement
/// SQLite's thread is waiting for, and the writer's own work (digests,
/// binding) never holds up the next request. The writer takes every page
/// already waiting, up to [`MAX_ORDERS_PER_COMMIT`], into one transaction,
/// so a slow network still commits page by page and a fast one shares
/// commits. Pages commit strictly in page order; a failed write discards the
/// pages not yet written, and a failed fetch lets the pages before it
/// commit, so the cursor only ever moves with committed rows.
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
    // One connection for the whole walk: its page cache stays warm from one
    // commit to the next, whereas a different pooled connection would find
    // the database changed and start with an empty cache.
    let conn = db.conn().await?;
    let (sender, receiver) = tokio::sync::mpsc::channel::<SourcePage>(PAGES_AHEAD);
    let (progress_sender, mut progress_receiver) = tokio::sync::mpsc::unbounded_channel::<Progress>();
    let writer = Writer { conn, channel_id, start: start.clone(), platform: source.platform_name(), run_id: options.run_id };
    // Aborted if this pull is dropped: the open transaction rolls back.
    let mut writing = AbortOnDrop(tokio::spawn(writer.write(receiver, progress_sender)));
    let mut requests = 0;
    let fetching = async {
        // Owned here: when fetching stops, the writer sees the end.
        let sender = sender;
        let mut after: Option<String> = None;
        loop {
            let page = fetch(source, &start, after.as_deref(), &mut requests).await?;
            after = page.next.clone();
            // A closed channel means the writer failed; its error is the run's.
            if sender.send(page).await.is_err() || after.is_none() {
                return Ok::<_, Error>(());
            }
        }
    };
    // Ends when the writer does (it owns the sender).
    let reporting = async {
        while let Some(progress) = progress_receiver.recv().await {
            on_progress(progress);
        }
    };
    let (fetched, ()) = tokio::join!(fetching, reporting);
    let written = (&mut writing.0).await;
    let (mut summary, mut progress) = written.unwrap_or_else(|join| Err(Error::Writer(join.to_string())))?;
    fetched?;
    summary.requests = requests;
    progress.done = true;
    progress.eta_ms = Some(0).filter(|_| progress.expected_pages.is_some());
    on_progress(progress);
    Ok(summary)
}

struct AbortOnDrop<T>(tokio::task::JoinHandle<T>);

impl<T> Drop for AbortOnDrop<T> {
    fn drop(&mut self) {
        self.0.abort();
    }
}

/// The writing half of a pull, on its own task (so it owns what it uses).
struct Writer {
    conn: counterline_store::Connection,
    channel_id: i64,
    start: PullStart,
    platform: &'static str,
    run_id: Option<i64>,
}

impl Writer {
    async fn write(mut self, mut receiver: tokio::sync::mpsc::Receiver<SourcePage>, report: tokio::sync::mpsc::UnboundedSender<Progress>) -> Result<(Summary, Progress)> {
        let mut summary = Summary::default();
        let mut progress = Progress::default();
        let started = std::time::Instant::now();
        let mut pages = Vec::new();
        while let Some(page) = receiver.recv().await {
            let mut orders = page.orders.len();
            pages.push(page);
            while orders < MAX_ORDERS_PER_COMMIT {
                let Ok(page) = receiver.try_recv() else { break };
                orders += page.orders.len();
                pages.push(page);
            }
            let counts: Vec<usize> = pages.iter().map(|page| page.orders.len()).collect();
            summary.stats += commit(&mut self.conn, self.channel_id, &mut pages, &self.start, self.platform, self.run_id).await?;
            progress.new_orders = summary.stats.inserted;
            progress.updated_orders = summary.stats.updated;
            for (page, count) in pages.drain(..).zip(counts) {
                summary.pages += 1;
                progress.page_done(count, page.total_pages, started.elapsed());
                if page.next.is_some() {
                    // The pull may have stopped listening; the pages still count.
                    let _ = report.send(progress);
                }
            }
        }
        Ok((summary, progress))
    }
}
