//! The engine around the pull: one run per channel however often it is
//! asked, failures back off instead of hammering, authorization failures
//! stop scheduling, and a backfill that never finished is picked up again.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use counterline_sandbox::WooSite;
use counterline_store::model::{ChannelStatus, ChannelView};
use counterline_store::model::{FailureFilter, RunFilter, RunOutcome};
use counterline_store::{channels, sync_log};
use counterline_sync::engine::{Engine, SyncEvent, Trigger};

use crate::lightspeed::{lightspeed, Lightspeed};

const SITE: &str = "shop.counterline-demo.test";

async fn woo_channel(f: &Lightspeed) -> ChannelView {
    let site = WooSite::default();
    f.connector.connect_woocommerce_keys(SITE, &site.consumer_key, &site.consumer_secret).await.expect("the demo keys connect")
}

fn engine(f: &Lightspeed, finished: Arc<AtomicUsize>) -> Engine {
    Engine::new(f.db.clone(), f.connector.clone(), move |event| {
        if let SyncEvent::Finished { .. } = event {
            finished.fetch_add(1, Ordering::SeqCst);
        }
    })
}

async fn until(what: &str, mut check: impl FnMut() -> bool) {
    for _ in 0..200 {
        if check() {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("timed out waiting until {what}");
}

#[tokio::test(flavor = "multi_thread")]
async fn asking_twice_while_a_channel_syncs_runs_it_once() {
    let f = lightspeed(600).await;
    let channel = woo_channel(&f).await;
    let finished = Arc::new(AtomicUsize::new(0));
    let engine = engine(&f, finished.clone());
    assert!(engine.start(channel.id, Trigger::Connect), "the first request starts a run");
    assert!(!engine.start(channel.id, Trigger::Manual), "a second request while it runs is folded into it");
    assert!(matches!(engine.run(channel.id, Trigger::Cli).await, Err(counterline_sync::Error::AlreadyRunning)), "nor can a CLI run overlap");
    until("the run ends", || finished.load(Ordering::SeqCst) == 1 && !engine.is_running(channel.id)).await;
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert_eq!(finished.load(Ordering::SeqCst), 1, "exactly one run happened");
    let stored: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM orders").fetch_one(f.db.pool()).await.unwrap();
    assert_eq!(stored as usize, f.sandbox.woocommerce_orders(SITE).len(), "and it imported the whole history");

    let runs = sync_log::list_runs(&mut *f.db.conn().await.unwrap(), &RunFilter { limit: 10, ..RunFilter::default() }).await.unwrap();
    assert_eq!(runs.len(), 1, "the sync log has the one run: {runs:?}");
    let run = &runs[0];
    assert_eq!((run.trigger, run.outcome), (Trigger::Connect, RunOutcome::Ok), "logged as the import after connecting, finished");
    assert_eq!(run.orders_new as usize, stored as usize, "with its new orders counted");
    assert!(run.requests >= run.pages && run.pages >= 6, "and its pages and requests: {run:?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn an_unfinished_backfill_is_due_and_a_failed_one_backs_off() {
    let f = lightspeed(50).await;
    let channel = woo_channel(&f).await;
    let engine = engine(&f, Arc::new(AtomicUsize::new(0)));
    assert_eq!(engine.due().await.unwrap(), vec![channel.id], "a channel that never finished a sync is due at once (resume after restart)");

    f.sandbox.set_offline(true);
    assert!(engine.run(channel.id, Trigger::Scheduled).await.is_err(), "an unreachable store fails the run");
    let failures = sync_log::list_failures(&mut *f.db.conn().await.unwrap(), &FailureFilter { open_only: true, limit: 10, ..FailureFilter::default() })
        .await
        .unwrap();
    assert_eq!(failures.len(), 1, "the failed run leaves a failed item to retry: {failures:?}");
    assert_eq!(engine.due().await.unwrap(), Vec::<i64>::new(), "a failed channel waits out its back-off instead of retrying every tick");
    assert_eq!(
        channels::get(&mut *f.db.conn().await.unwrap(), channel.id).await.unwrap().status,
        ChannelStatus::Active,
        "being offline is not an authorization problem"
    );

    f.sandbox.set_offline(false);
    engine.run(channel.id, Trigger::Manual).await.expect("Sync now still works during a back-off");
    let open = sync_log::list_failures(&mut *f.db.conn().await.unwrap(), &FailureFilter { open_only: true, limit: 10, ..FailureFilter::default() })
        .await
        .unwrap();
    assert!(open.is_empty(), "a successful run settles the channel's failed items");
    assert!(engine.due().await.unwrap().is_empty(), "a finished backfill with no auto-sync interval is not due");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_revoked_credential_puts_the_channel_in_error_and_out_of_the_schedule() {
    let f = lightspeed(20).await;
    let channel = woo_channel(&f).await;
    let engine = engine(&f, Arc::new(AtomicUsize::new(0)));
    let key = counterline_channels::connect::access_token_key(channel.platform, &channel.account);
    let keychain = f.keychain.clone();
    tokio::task::spawn_blocking(move || keychain.set(&key, &counterline_secrets::Secret::new("ck_wrong:cs_wrong")))
        .await
        .unwrap()
        .unwrap();
    assert!(engine.run(channel.id, Trigger::Scheduled).await.is_err(), "refused keys fail the run");
    let after = channels::get(&mut *f.db.conn().await.unwrap(), channel.id).await.unwrap();
    assert_eq!(after.status, ChannelStatus::Error, "the channel shows Error with Re-authorize");
    assert!(after.status_detail.is_some_and(|d| !d.is_empty()), "with the reason in words");
    assert!(engine.due().await.unwrap().is_empty(), "and is not retried until re-authorized");
}

#[tokio::test(flavor = "multi_thread")]
async fn an_unreadable_order_is_set_aside_with_retry_while_the_rest_arrive() {
    let f = lightspeed(300).await;
    let bad = f.sandbox.woocommerce_orders(SITE)[150]["id"].as_u64().unwrap();
    assert!(f.sandbox.break_woocommerce_order(SITE, bad), "the site sends one order nobody can read");
    let channel = woo_channel(&f).await;
    let source = f.connector.source(&channel).await.unwrap();
    let strict = counterline_sync::pull_orders(&f.db, channel.id, &source, |_| {}).await;
    assert!(strict.is_err(), "with no sync log to record it in, an unreadable order stops the pull rather than being skipped");

    let engine = engine(&f, Arc::new(AtomicUsize::new(0)));
    engine.run(channel.id, Trigger::Connect).await.expect("the run goes on past the unreadable order");
    let stored: Vec<String> = sqlx::query_scalar("SELECT external_id FROM orders").fetch_all(f.db.pool()).await.unwrap();
    assert_eq!(stored.len(), 299, "every other order arrived");
    assert!(!stored.contains(&bad.to_string()), "the unreadable one is not stored half-read");
    let open = || async {
        sync_log::list_failures(&mut *f.db.conn().await.unwrap(), &FailureFilter { open_only: true, limit: 10, ..FailureFilter::default() })
            .await
            .unwrap()
    };
    let failures = open().await;
    assert_eq!(failures.len(), 1, "one failed item: {failures:?}");
    assert_eq!((failures[0].kind.as_str(), failures[0].external_id.as_str()), ("order", bad.to_string().as_str()));
    assert!(failures[0].message.contains("Could not be read"), "the reason in words: {}", failures[0].message);
    assert!(failures[0].retry_from_ms.is_some(), "with where a retry re-reads from");

    engine.run(channel.id, Trigger::Scheduled).await.unwrap();
    assert_eq!(open().await.len(), 1, "a later sync that starts past the order doesn't pretend it arrived");

    f.sandbox.mend_woocommerce_order(SITE, bad);
    engine.run_from(channel.id, Trigger::Retry, failures[0].retry_from_ms).await.expect("Retry re-reads from the order");
    let count: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM orders").fetch_one(f.db.pool()).await.unwrap();
    assert_eq!(count, 300, "the mended order arrives");
    assert!(open().await.is_empty(), "and its failed item is settled");
}
