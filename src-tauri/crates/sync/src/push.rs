//! Delivers the outbox. One pass sends every due item once; the engine runs
//! passes on a timer. An item is done only when the platform confirms it:
//! before each send the remote order is read, so a write whose answer was
//! lost (timeout, killed app) is recognised as delivered rather than sent
//! twice, and a remote order that changed since the merchant's edit becomes
//! a conflict instead of being overwritten.

use std::collections::HashMap;
use std::time::Duration;

use counterline_channels::connect::Connector;
use counterline_channels::source::OrderSource;
use counterline_channels::Error as ChannelError;
use counterline_store::model::{ChannelStatus, ChannelView};
use counterline_store::outbox::{self, Change, OutboxItem, OutboxState};
use counterline_store::{channels, now_ms, Db};

use crate::Result;

/// How often to retry an undelivered item.
#[derive(Debug, Clone, Copy)]
pub struct PushPolicy {
    /// Wait after the first failed attempt; doubles per attempt.
    pub first_retry: Duration,
    pub max_retry: Duration,
    /// Items per pass.
    pub batch: i64,
}

impl Default for PushPolicy {
    fn default() -> Self {
        PushPolicy { first_retry: Duration::from_secs(5), max_retry: Duration::from_secs(10 * 60), batch: 200 }
    }
}

impl PushPolicy {
    fn next_attempt(&self, attempts: i64) -> i64 {
        let doublings = u32::try_from(attempts.clamp(0, 20)).unwrap_or(20);
        let wait = self.first_retry.saturating_mul(2u32.saturating_pow(doublings)).min(self.max_retry);
        now_ms() + wait.as_millis() as i64
    }
}

/// What one pass did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PushSummary {
    pub delivered: u64,
    pub conflicts: u64,
    pub failed: u64,
    pub retrying: u64,
    /// Items of paused channels, left for later untouched.
    pub held: u64,
}

enum Outcome {
    Delivered(i64),
    Conflict(String),
    Failed(String),
    Retry(String),
}

/// Sends every due item once, oldest first.
pub async fn push_due(db: &Db, connector: &Connector, policy: &PushPolicy) -> Result<PushSummary> {
    let items = outbox::due(&mut *db.conn().await?, now_ms(), policy.batch).await?;
    let mut summary = PushSummary::default();
    let mut sources: HashMap<i64, Option<(ChannelView, OrderSource)>> = HashMap::new();
    for item in items {
        if !sources.contains_key(&item.channel_id) {
            let channel = channels::get(&mut *db.conn().await?, item.channel_id).await?;
            let source = connector.source(&channel).await.ok();
            sources.insert(item.channel_id, source.map(|s| (channel, s)));
        }
        let outcome = match sources.get(&item.channel_id) {
            Some(Some((channel, _))) if channel.status == ChannelStatus::Paused => {
                summary.held += 1;
                continue;
            }
            Some(Some((channel, _))) if !channel.settings.sync_direction.pushes() => {
                Outcome::Failed("This channel is set to pull only, so Counterline doesn't send changes to it.".into())
            }
            Some(Some((_, source))) => deliver(source, &item).await,
            _ => Outcome::Retry("The channel's sign-in could not be read; re-authorize it.".into()),
        };
        let mut conn = db.conn().await?;
        match outcome {
            Outcome::Delivered(remote_updated_at) => {
                outbox::mark_done(&mut conn, &item, remote_updated_at).await?;
                summary.delivered += 1;
            }
            Outcome::Conflict(reason) => {
                outbox::mark(&mut conn, item.id, OutboxState::Conflict, &reason).await?;
                summary.conflicts += 1;
            }
            Outcome::Failed(reason) => {
                outbox::mark(&mut conn, item.id, OutboxState::Failed, &reason).await?;
                summary.failed += 1;
            }
            Outcome::Retry(reason) => {
                outbox::mark_retry(&mut conn, item.id, &reason, policy.next_attempt(item.attempts)).await?;
                summary.retrying += 1;
            }
        }
    }
    Ok(summary)
}

fn classify(error: ChannelError) -> Outcome {
    match error {
        ChannelError::Transient { .. } | ChannelError::Unreachable { .. } | ChannelError::Auth { .. } => {
            Outcome::Retry(error.to_string())
        }
        other => Outcome::Failed(other.to_string()),
    }
}

async fn deliver(source: &OrderSource, item: &OutboxItem) -> Outcome {
    let target = match source.target_of(&item.change) {
        Ok(target) => target,
        Err(error) => return Outcome::Failed(error.to_string()),
    };
    let remote = match source.remote_order(&item.external_id).await {
        Ok(remote) => remote,
        Err(error) => return classify(error),
    };
    let landed = match &item.change {
        // A shipment landed when the platform has its units shipped.
        Change::Fulfillment { lines, .. } if !lines.is_empty() => match source.has_shipped(&item.external_id, lines).await {
            Ok(landed) => landed,
            Err(error) => return classify(error),
        },
        _ => remote.raw_status == target,
    };
    if landed {
        // Already there: an earlier attempt landed, or someone did the same.
        return Outcome::Delivered(remote.updated_at);
    }
    if remote.updated_at > item.base_updated_at {
        return Outcome::Conflict(format!(
            "The order changed on {} after Counterline's last sync. Choose which version to keep.",
            source.platform_name()
        ));
    }
    match source.push(&item.external_id, &item.change, &item.idempotency_key).await {
        Ok(now) => Outcome::Delivered(now.updated_at),
        Err(error) => classify(error),
    }
}
