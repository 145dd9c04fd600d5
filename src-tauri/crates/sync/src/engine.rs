//! The engine around the pull: which channel syncs when, and never two runs
//! of one channel at once. The app window and the headless CLI drive the
//! same `Engine`; the window only turns its events into UI events.
//!
//! - Sync now, a new connection and the scheduler all go through
//!   [`Engine::start`] (background) or [`Engine::run`] (awaited).
//! - The scheduler starts channels whose auto-sync interval has passed, and
//!   channels whose backfill was cut short (app killed, machine asleep), so a
//!   backfill resumes from its last saved page after a restart.
//! - The outbox is sent on its own timer ([`Engine::spawn_pusher`]).
//! - A failed run backs off (1 min, doubling, at most an hour) instead of
//!   retrying every tick; an authorization failure puts the channel in
//!   Error, which stops it until the merchant re-authorizes.

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use counterline_channels::connect::Connector;
use counterline_channels::budget::BudgetCounters;
use counterline_store::sync_log::{self, RunEnd};
use counterline_store::{channels, customer_search, now_ms, Db};

use crate::push::{push_due, PushPolicy, PushSummary};
use crate::{Error, Progress, Result, Summary};

/// What started a run; kept in the sync log.
pub use counterline_store::model::SyncTrigger as Trigger;

/// What the engine reports while and after a channel syncs.
#[derive(Debug)]
pub enum SyncEvent<'a> {
    Progress { channel_id: i64, progress: Progress },
    Finished { channel_id: i64, result: &'a Result<Summary> },
}

type Observer = dyn Fn(SyncEvent<'_>) + Send + Sync;

/// First wait after a failed run; it doubles per consecutive failure.
const FIRST_BACKOFF: Duration = Duration::from_secs(60);
const MAX_BACKOFF: Duration = Duration::from_secs(60 * 60);

#[derive(Debug, Clone, Copy)]
struct Backoff {
    failures: u32,
    until_ms: i64,
}

#[derive(Clone)]
pub struct Engine {
    db: Db,
    connector: Arc<Connector>,
    runtime: tokio::runtime::Handle,
    running: Arc<Mutex<HashSet<i64>>>,
    backoff: Arc<Mutex<HashMap<i64, Backoff>>>,
    observer: Arc<Observer>,
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// Frees the channel's run slot however the run ends (even by panic).
struct Slot {
    running: Arc<Mutex<HashSet<i64>>>,
    channel_id: i64,
}

impl Drop for Slot {
    fn drop(&mut self) {
        lock(&self.running).remove(&self.channel_id);
    }
}

impl Engine {
    /// Must be called inside a Tokio runtime: background runs go to it.
    pub fn new(db: Db, connector: Arc<Connector>, observer: impl Fn(SyncEvent<'_>) + Send + Sync + 'static) -> Engine {
        Engine {
            db,
            connector,
            runtime: tokio::runtime::Handle::current(),
            running: Arc::default(),
            backoff: Arc::default(),
            observer: Arc::new(observer),
        }
    }

    pub fn connector(&self) -> &Connector {
        &self.connector
    }

    pub fn is_running(&self, channel_id: i64) -> bool {
        lock(&self.running).contains(&channel_id)
    }

    fn claim(&self, channel_id: i64) -> Option<Slot> {
        lock(&self.running)
            .insert(channel_id)
            .then(|| Slot { running: self.running.clone(), channel_id })
    }

    /// Starts a run in the background; `false` if one is already running.
    pub fn start(&self, channel_id: i64, trigger: Trigger) -> bool {
        self.start_from(channel_id, trigger, None)
    }

    /// Like [`Engine::start`], re-reading from `rewind_to` (UTC ms) when that
    /// is earlier than the saved cursor: Retry of a failed item.
    pub fn start_from(&self, channel_id: i64, trigger: Trigger, rewind_to: Option<i64>) -> bool {
        let Some(slot) = self.claim(channel_id) else { return false };
        let engine = self.clone();
        self.runtime.spawn(async move {
            let _slot = slot;
            let _ = engine.run_claimed(channel_id, trigger, rewind_to).await;
        });
        true
    }

    /// Runs now and waits for the end (CLI, tests).
    pub async fn run(&self, channel_id: i64, trigger: Trigger) -> Result<Summary> {
        self.run_from(channel_id, trigger, None).await
    }

    /// [`Engine::run`] re-reading from `rewind_to` (see [`Engine::start_from`]).
    pub async fn run_from(&self, channel_id: i64, trigger: Trigger, rewind_to: Option<i64>) -> Result<Summary> {
        let _slot = self.claim(channel_id).ok_or(Error::AlreadyRunning)?;
        self.run_claimed(channel_id, trigger, rewind_to).await
    }

    async fn run_claimed(&self, channel_id: i64, trigger: Trigger, rewind_to: Option<i64>) -> Result<Summary> {
        tracing::info!(channel_id, ?trigger, "sync starting");
        // The log is for the merchant; a failure to write it never stops a sync.
        let run_id = match sync_log::start_run(&mut *self.db.conn().await?, channel_id, trigger, now_ms()).await {
            Ok(id) => Some(id),
            Err(error) => {
                tracing::warn!(%error, "could not log the sync run");
                None
            }
        };
        let (result, budget) = self.pull(channel_id, rewind_to, run_id).await;
        // The run's new customers become searchable now rather than at the
        // merchant's next search (indexing is kept out of the page writes).
        if let Err(error) = self.index_customers().await {
            tracing::warn!(%error, "could not index the new customers for search");
        }
        if let Some(run_id) = run_id {
            if let Err(error) = self.log_end(run_id, channel_id, rewind_to, &result, budget).await {
                tracing::warn!(%error, "could not log the end of the sync run");
            }
        }
        match &result {
            Ok(summary) => {
                lock(&self.backoff).remove(&channel_id);
                tracing::info!(channel_id, pages = summary.pages, "sync finished");
            }
            // Paused and push-only channels aren't failing; nothing to back off.
            Err(Error::Paused | Error::PushOnly | Error::AlreadyRunning) => {}
            Err(error) => {
                let mut backoff = lock(&self.backoff);
                let failures = backoff.get(&channel_id).map_or(0, |b| b.failures) + 1;
                let wait = FIRST_BACKOFF.saturating_mul(2u32.saturating_pow(failures - 1)).min(MAX_BACKOFF);
                backoff.insert(channel_id, Backoff { failures, until_ms: now_ms() + wait.as_millis() as i64 });
                tracing::warn!(channel_id, failures, %error, "sync failed; backing off {wait:?}");
            }
        }
        (self.observer)(SyncEvent::Finished { channel_id, result: &result });
        result
    }

    async fn index_customers(&self) -> Result<()> {
        customer_search::catch_up(&mut *self.db.conn().await?).await?;
        Ok(())
    }

    /// The pull, and what it cost in requests and refusals.
    async fn pull(&self, channel_id: i64, rewind_to: Option<i64>, run_id: Option<i64>) -> (Result<Summary>, BudgetCounters) {
        let channel = match self.db.conn().await {
            Ok(mut conn) => channels::get(&mut conn, channel_id).await,
            Err(error) => Err(error),
        };
        let channel = match channel {
            Ok(channel) => channel,
            Err(error) => return (Err(error.into()), BudgetCounters::default()),
        };
        let source = match self.connector.source(&channel).await {
            Ok(source) => source,
            Err(error) => {
                // A missing or unreadable credential is an authorization
                // failure like any other: the channel must show it.
                let error = Error::from(error);
                if let Err(logging) = crate::record_failure(&self.db, channel_id, &error).await {
                    return (Err(logging), BudgetCounters::default());
                }
                return (Err(error), BudgetCounters::default());
            }
        };
        let before = source.budget().counters();
        let observer = self.observer.clone();
        let options = crate::Pull { rewind_to, run_id };
        let result = crate::pull_orders_from(&self.db, channel_id, &source, options, move |progress| {
            observer(SyncEvent::Progress { channel_id, progress })
        })
        .await;
        let after = source.budget().counters();
        let spent = BudgetCounters {
            requests: after.requests.saturating_sub(before.requests),
            throttled: after.throttled.saturating_sub(before.throttled),
            ..BudgetCounters::default()
        };
        (result, spent)
    }

    /// Closes the run's log entry; a failed run leaves a failed item with
    /// Retry, a successful one settles what it got through (see `sync_log::settle`).
    async fn log_end(
        &self,
        run_id: i64,
        channel_id: i64,
        rewind_to: Option<i64>,
        result: &Result<Summary>,
        budget: BudgetCounters,
    ) -> Result<()> {
        let mut conn = self.db.conn().await?;
        let now = now_ms();
        let mut end = RunEnd { requests: budget.requests as i64, throttled: budget.throttled as i64, ..RunEnd::default() };
        match result {
            Ok(summary) => {
                end.pages = summary.pages as i64;
                end.orders_new = summary.stats.inserted as i64;
                end.orders_updated = summary.stats.updated as i64;
                end.orders_unchanged = summary.stats.unchanged as i64;
                sync_log::finish_run(&mut conn, run_id, now, &end).await?;
                sync_log::settle(&mut conn, channel_id, run_id, rewind_to, now).await?;
            }
            Err(error) => {
                end.error = Some(error.to_string());
                sync_log::finish_run(&mut conn, run_id, now, &end).await?;
                if !matches!(error, Error::Paused | Error::PushOnly | Error::AlreadyRunning) {
                    sync_log::record_failure(&mut conn, run_id, channel_id, "sync", "", &error.to_string(), None).await?;
                }
            }
        }
        Ok(())
    }

    /// Channels to start now: auto-sync intervals that have passed, and
    /// backfills that never finished; minus any backing off or running.
    pub async fn due(&self) -> Result<Vec<i64>> {
        let now = now_ms();
        let mut conn = self.db.conn().await?;
        let mut due = channels::due_for_auto_sync(&mut conn, now).await?;
        due.extend(channels::unfinished_backfills(&mut conn).await?);
        due.sort_unstable();
        due.dedup();
        let backoff = lock(&self.backoff);
        Ok(due
            .into_iter()
            .filter(|id| backoff.get(id).is_none_or(|b| b.until_ms <= now))
            .filter(|id| !self.is_running(*id))
            .collect())
    }

    /// Sends the outbox's due items now and then every `tick`. One pass at a
    /// time: passes run in this one task.
    pub fn spawn_pusher(&self, policy: PushPolicy, tick: Duration) -> tokio::task::JoinHandle<()> {
        let engine = self.clone();
        self.runtime.spawn(async move {
            let mut interval = tokio::time::interval(tick);
            interval.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            loop {
                interval.tick().await;
                match push_due(&engine.db, &engine.connector, &policy).await {
                    Ok(summary) if summary != PushSummary::default() => tracing::info!(?summary, "outbox pass"),
                    Ok(_) => {}
                    Err(error) => tracing::warn!(%error, "outbox pass failed"),
                }
            }
        })
    }

    /// Starts every due channel now and then every `tick`, for the life of the runtime.
    pub fn spawn_scheduler(&self, tick: Duration) -> tokio::task::JoinHandle<()> {
        let engine = self.clone();
        self.runtime.spawn(async move {
            let mut interval = tokio::time::interval(tick);
            interval.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            loop {
                interval.tick().await;
                match engine.due().await {
                    Ok(ids) => ids.into_iter().for_each(|id| {
                        engine.start(id, Trigger::Scheduled);
                    }),
                    Err(error) => tracing::warn!(%error, "auto-sync check failed"),
                }
            }
        })
    }
}
