//! Sync log specs: runs and failed items as the engine writes them and the
//! UI reads them, retention, and runs a killed process left behind.

use counterline_store::model::Platform;
use counterline_store::sync_log::{
    self, FailureFilter, RunEnd, RunFilter, RunOutcome, SyncTrigger, ABANDONED_MESSAGE, RETENTION_DAYS,
};
use counterline_store::{channels, Db, Error};

use super::{fresh_db, shop_channel};

const T0: i64 = 1_750_000_000_000;
const DAY: i64 = 24 * 3600 * 1000;

async fn second_channel(db: &Db) -> i64 {
    let mut conn = db.conn().await.unwrap();
    channels::upsert(&mut conn, Platform::WooCommerce, "market.example", "Market Stall").await.unwrap()
}

fn all_runs() -> RunFilter {
    RunFilter { limit: 100, ..RunFilter::default() }
}

fn ok_end(pages: i64) -> RunEnd {
    RunEnd { pages, orders_new: 10 * pages, requests: pages + 1, ..RunEnd::default() }
}

/// Starts and (unless `end` is None) finishes a run; returns its id.
async fn run(db: &Db, channel: i64, started: i64, end: Option<RunEnd>) -> i64 {
    let mut conn = db.conn().await.unwrap();
    let id = sync_log::start_run(&mut conn, channel, SyncTrigger::Scheduled, started).await.unwrap();
    if let Some(end) = end {
        sync_log::finish_run(&mut conn, id, started + 1_000, &end).await.unwrap();
    }
    id
}

async fn run_ids(db: &Db, filter: RunFilter) -> Vec<i64> {
    let mut conn = db.conn().await.unwrap();
    let filter = RunFilter { limit: 100, ..filter };
    sync_log::list_runs(&mut conn, &filter).await.unwrap().iter().map(|r| r.id).collect()
}

#[tokio::test]
async fn a_run_shows_running_until_it_finishes_and_then_keeps_its_tallies() {
    let (_dir, db) = fresh_db().await;
    let channel = shop_channel(&db).await;
    let mut conn = db.conn().await.unwrap();
    let id = sync_log::start_run(&mut conn, channel, SyncTrigger::Manual, T0).await.unwrap();

    let runs = sync_log::list_runs(&mut conn, &all_runs()).await.unwrap();
    assert_eq!(runs.len(), 1);
    assert_eq!(runs[0].outcome, RunOutcome::Running, "no end time yet: the merchant sees it running");
    assert_eq!((runs[0].ended_at, runs[0].trigger), (None, SyncTrigger::Manual));
    assert_eq!((runs[0].channel_name.as_str(), runs[0].platform), ("Demo", Platform::Shopify), "the log names the channel");

    let end = RunEnd {
        pages: 3,
        orders_new: 250,
        orders_updated: 7,
        orders_unchanged: 43,
        requests: 5,
        throttled: 2,
        error: None,
    };
    sync_log::finish_run(&mut conn, id, T0 + 4_200, &end).await.unwrap();
    let run = sync_log::list_runs(&mut conn, &all_runs()).await.unwrap().remove(0);
    assert_eq!(run.outcome, RunOutcome::Ok);
    assert_eq!(run.ended_at, Some(T0 + 4_200));
    assert_eq!(
        (run.pages, run.orders_new, run.orders_updated, run.orders_unchanged, run.requests, run.throttled),
        (3, 250, 7, 43, 5, 2),
        "every tally the engine reported is what the log shows"
    );
    assert!(run.error.is_none());
}

#[tokio::test]
async fn finishing_a_run_that_does_not_exist_is_not_found() {
    let (_dir, db) = fresh_db().await;
    let mut conn = db.conn().await.unwrap();
    let result = sync_log::finish_run(&mut conn, 404, T0, &RunEnd::default()).await;
    assert!(matches!(result, Err(Error::NotFound("sync run"))), "a typo in the engine must not pass silently: {result:?}");
}

#[tokio::test]
async fn runs_filter_by_channel_outcome_and_period_newest_first() {
    let (_dir, db) = fresh_db().await;
    let shop = shop_channel(&db).await;
    let market = second_channel(&db).await;
    let old_ok = run(&db, shop, T0 - 10 * DAY, Some(ok_end(1))).await;
    let failed = run(&db, shop, T0 - DAY, Some(RunEnd { error: Some("Shopify refused the token.".into()), ..RunEnd::default() })).await;
    let market_ok = run(&db, market, T0 - 3_600_000, Some(ok_end(2))).await;
    let running = run(&db, market, T0, None).await;
    let mut conn = db.conn().await.unwrap();
    let ids = |filter: RunFilter| run_ids(&db, filter);

    assert_eq!(ids(RunFilter::default()).await, vec![running, market_ok, failed, old_ok], "newest first");
    assert_eq!(ids(RunFilter { channel_id: Some(shop), ..Default::default() }).await, vec![failed, old_ok]);
    assert_eq!(ids(RunFilter { outcome: Some(RunOutcome::Running), ..Default::default() }).await, vec![running]);
    assert_eq!(ids(RunFilter { outcome: Some(RunOutcome::Ok), ..Default::default() }).await, vec![market_ok, old_ok]);
    assert_eq!(ids(RunFilter { outcome: Some(RunOutcome::Failed), ..Default::default() }).await, vec![failed]);
    assert_eq!(
        ids(RunFilter { since_ms: Some(T0 - 7 * DAY), ..Default::default() }).await,
        vec![running, market_ok, failed],
        "the 7-day period leaves out the 10-day-old run"
    );
    assert_eq!(
        ids(RunFilter { channel_id: Some(market), outcome: Some(RunOutcome::Ok), since_ms: Some(T0 - DAY), ..Default::default() })
            .await,
        vec![market_ok],
        "filters combine"
    );

    let failed_run = sync_log::list_runs(&mut conn, &RunFilter { outcome: Some(RunOutcome::Failed), ..all_runs() })
        .await
        .unwrap()
        .remove(0);
    assert_eq!(failed_run.error.as_deref(), Some("Shopify refused the token."), "the error reaches the merchant verbatim");
}

#[tokio::test]
async fn keyset_pages_walk_every_run_once() {
    let (_dir, db) = fresh_db().await;
    let shop = shop_channel(&db).await;
    for n in 0..25 {
        run(&db, shop, T0 + n * 60_000, Some(ok_end(1))).await;
    }
    let mut conn = db.conn().await.unwrap();
    let mut seen = Vec::new();
    let mut before_id = None;
    loop {
        let page = sync_log::list_runs(&mut conn, &RunFilter { before_id, limit: 10, ..Default::default() }).await.unwrap();
        let Some(last) = page.last() else { break };
        before_id = Some(last.id);
        seen.extend(page.iter().map(|r| r.id));
    }
    let mut expected = seen.clone();
    expected.sort_unstable_by(|a, b| b.cmp(a));
    expected.dedup();
    assert_eq!(seen.len(), 25, "3 pages of 10, 10 and 5");
    assert_eq!(seen, expected, "newest first, no run twice");

    let zero = sync_log::list_runs(&mut conn, &RunFilter { limit: 0, ..Default::default() }).await.unwrap();
    assert_eq!(zero.len(), 1, "a zero limit is clamped to one row, not an error or the whole table");
}

#[tokio::test]
async fn a_failed_item_stays_open_until_a_later_sync_of_its_channel_resolves_it() {
    let (_dir, db) = fresh_db().await;
    let shop = shop_channel(&db).await;
    let market = second_channel(&db).await;
    let shop_run = run(&db, shop, T0, None).await;
    let market_run = run(&db, market, T0, None).await;
    let mut conn = db.conn().await.unwrap();
    let failure = sync_log::record_failure(
        &mut conn,
        shop_run,
        shop,
        "order",
        "gid://shopify/Order/7",
        "The order has a line with no title.",
        Some(T0 - 5_000),
    )
    .await
    .unwrap();
    sync_log::record_failure(&mut conn, market_run, market, "order", "991", "Unknown currency \"XXX\".", None).await.unwrap();
    sync_log::finish_run(&mut conn, shop_run, T0 + 1_000, &ok_end(1)).await.unwrap();

    let got = sync_log::get_failure(&mut conn, failure).await.unwrap();
    assert_eq!((got.run_id, got.channel_id, got.kind.as_str()), (shop_run, shop, "order"));
    assert_eq!(got.external_id, "gid://shopify/Order/7");
    assert_eq!(got.message, "The order has a line with no title.");
    assert_eq!(got.retry_from_ms, Some(T0 - 5_000), "a retry knows where to rewind the pull to");
    assert_eq!((got.channel_name.as_str(), got.resolved_at), ("Demo", None));
    let shop_runs = sync_log::list_runs(&mut conn, &RunFilter { channel_id: Some(shop), ..all_runs() }).await.unwrap();
    assert_eq!(shop_runs[0].failures, 1, "the run says how many items it could not bring in");

    let open = FailureFilter { channel_id: None, open_only: true, limit: 50 };
    assert_eq!(sync_log::list_failures(&mut conn, &open).await.unwrap().len(), 2);
    let resolved = sync_log::resolve_failures(&mut conn, shop, T0 + 60_000).await.unwrap();
    assert_eq!(resolved, 1, "only the retried channel's failures are resolved");
    let still_open = sync_log::list_failures(&mut conn, &open).await.unwrap();
    assert_eq!(still_open.iter().map(|f| f.channel_id).collect::<Vec<_>>(), vec![market]);
    let shop_all = FailureFilter { channel_id: Some(shop), open_only: false, limit: 50 };
    let history = sync_log::list_failures(&mut conn, &shop_all).await.unwrap();
    assert_eq!(history.len(), 1, "resolved failures stay visible when asked for");
    assert_eq!(history[0].resolved_at, Some(T0 + 60_000));
    assert_eq!(sync_log::resolve_failures(&mut conn, shop, T0 + 90_000).await.unwrap(), 0, "resolving twice changes nothing");
}

#[tokio::test]
async fn asking_for_a_failure_that_does_not_exist_is_not_found() {
    let (_dir, db) = fresh_db().await;
    let mut conn = db.conn().await.unwrap();
    let result = sync_log::get_failure(&mut conn, 12345).await;
    assert!(matches!(result, Err(Error::NotFound("sync failure"))), "{result:?}");
}

#[tokio::test]
async fn pruning_drops_old_finished_runs_and_resolved_failures_but_keeps_open_failures_and_running_runs() {
    let (_dir, db) = fresh_db().await;
    let shop = shop_channel(&db).await;
    let now = T0 + 100 * DAY;
    let cutoff = now - RETENTION_DAYS * DAY;
    let old_clean = run(&db, shop, cutoff - 5 * DAY, Some(ok_end(1))).await;
    let old_with_open = run(&db, shop, cutoff - 4 * DAY, Some(ok_end(1))).await;
    let old_with_resolved = run(&db, shop, cutoff - 3 * DAY, Some(ok_end(1))).await;
    let old_running = run(&db, shop, cutoff - 2 * DAY, None).await;
    let recent = run(&db, shop, now - DAY, Some(ok_end(1))).await;
    let mut conn = db.conn().await.unwrap();
    let resolved = sync_log::record_failure(&mut conn, old_with_resolved, shop, "order", "1", "bad", None).await.unwrap();
    sync_log::resolve_failures(&mut conn, shop, cutoff - DAY).await.unwrap();
    let open = sync_log::record_failure(&mut conn, old_with_open, shop, "order", "2", "bad", Some(1)).await.unwrap();

    let removed = sync_log::prune(&mut conn, cutoff).await.unwrap();
    assert_eq!(removed, 3, "two old runs and one resolved failure");

    let left: Vec<i64> = sync_log::list_runs(&mut conn, &all_runs()).await.unwrap().iter().map(|r| r.id).collect();
    assert_eq!(left, vec![recent, old_running, old_with_open], "an open failure keeps the run that explains it");
    assert!(!left.contains(&old_clean) && !left.contains(&old_with_resolved));
    assert!(matches!(sync_log::get_failure(&mut conn, resolved).await, Err(Error::NotFound(_))));
    assert!(sync_log::get_failure(&mut conn, open).await.is_ok(), "the merchant can still retry an old open failure");
    assert_eq!(sync_log::prune(&mut conn, cutoff).await.unwrap(), 0, "pruning again finds nothing");
}

#[tokio::test]
async fn runs_a_killed_app_left_running_are_closed_at_the_next_start_in_plain_words() {
    let (dir, db) = fresh_db().await;
    let shop = shop_channel(&db).await;
    let finished = run(&db, shop, T0, Some(ok_end(2))).await;
    let abandoned = run(&db, shop, T0 + 1_000, None).await;
    // The process dies: nothing finishes the run. The next launch opens the same file.
    db.close().await;
    let db = Db::open(&dir.path().join("nested/counterline.db")).await.unwrap();
    let mut conn = db.conn().await.unwrap();

    assert_eq!(sync_log::close_abandoned(&mut conn, T0 + 60_000).await.unwrap(), 1);
    let runs = sync_log::list_runs(&mut conn, &all_runs()).await.unwrap();
    let closed = runs.iter().find(|r| r.id == abandoned).unwrap();
    assert_eq!(closed.outcome, RunOutcome::Failed, "it did not finish, so it is not shown as OK");
    assert_eq!(closed.error.as_deref(), Some(ABANDONED_MESSAGE));
    assert_eq!(ABANDONED_MESSAGE, "The app stopped during this sync; it resumed from the last saved page.");
    assert_eq!(closed.ended_at, Some(T0 + 60_000));
    let untouched = runs.iter().find(|r| r.id == finished).unwrap();
    assert_eq!((untouched.outcome, untouched.error.as_deref()), (RunOutcome::Ok, None), "finished runs are left alone");
    assert_eq!(sync_log::close_abandoned(&mut conn, T0 + 90_000).await.unwrap(), 0);
}

#[tokio::test]
async fn a_run_for_a_channel_that_does_not_exist_is_refused() {
    let (_dir, db) = fresh_db().await;
    let mut conn = db.conn().await.unwrap();
    let result = sync_log::start_run(&mut conn, 999, SyncTrigger::Cli, T0).await;
    assert!(result.is_err(), "the foreign key keeps the log tied to real channels");
}
