//! Writes to the Lightspeed lines, end to end: connect through the
//! sandbox's consent page (which must grant the write scope), pull, change
//! orders here, and let the outbox deliver them. What X- and R-Series take
//! (voiding a sale) and what O-Series takes (hold, accept, reject) reaches
//! the sandbox exactly once with its idempotency key, and the next pull
//! keeps it; a remote edit after the last sync makes a conflict; a write
//! whose answer was lost is recognised, not sent again; a line that is
//! unreachable, answers 5xx or 429, or has lapsed or revoked sign-in is
//! retried, like every writer; what a line can't take is refused in plain words and nothing
//! is sent.

use std::time::Duration;

use counterline_channels::connect::access_token_key;
use counterline_channels::grant::Grant;
use counterline_sandbox::{WriteFault, WriteKind, WritePlatform};
use counterline_secrets::Secret;
use counterline_store::model::{ChannelView, OrderStatus, Platform, SyncDirection};
use counterline_store::outbox::{self, Change, OutboxState};
use counterline_store::{channels, Db};
use counterline_sync::pull_orders;
use counterline_sync::push::{push_due, PushPolicy};

use crate::lightspeed::{lightspeed, Lightspeed, ACCOUNT, COMPANY, PREFIX};

fn quick() -> PushPolicy {
    PushPolicy { first_retry: Duration::from_millis(20), max_retry: Duration::from_millis(200), batch: 500 }
}

/// The sandbox's name for the platform and the account the fixture connects.
fn sandbox_side(platform: Platform) -> (WritePlatform, String) {
    match platform {
        Platform::XSeries => (WritePlatform::XSeries, PREFIX.to_owned()),
        Platform::RSeries => (WritePlatform::RSeries, ACCOUNT.to_string()),
        Platform::OSeries => (WritePlatform::OSeries, COMPANY.to_string()),
        other => panic!("{other:?} is not a Lightspeed line that takes writes"),
    }
}

/// Connects `platform` in the browser, sets it to two-way sync and pulls.
async fn two_way(f: &Lightspeed, platform: Platform) -> ChannelView {
    let mut channel = f.connect(platform).await;
    channel.settings.sync_direction = SyncDirection::TwoWay;
    channels::update_settings(&mut f.db.conn().await.unwrap(), channel.id, &channel.settings).await.unwrap();
    let source = f.connector.source(&channel).await.unwrap();
    pull_orders(&f.db, channel.id, &source, |_| {}).await.expect("pull");
    channel
}

/// (order id, external id) of `channel`'s first stored order with `status`
/// that is not one of `taken`.
async fn order_with(db: &Db, channel: i64, status: OrderStatus, taken: &[i64]) -> (i64, String) {
    let taken = serde_json::to_string(taken).unwrap();
    sqlx::query_as(
        "SELECT id, external_id FROM orders WHERE channel_id = ? AND status = ? \
         AND id NOT IN (SELECT value FROM json_each(?)) ORDER BY id LIMIT 1",
    )
    .bind(channel)
    .bind(status.as_str())
    .bind(taken)
    .fetch_one(db.pool())
    .await
    .unwrap_or_else(|_| panic!("the sandbox has a {} order", status.as_str()))
}

/// A sale of `channel` handed over at the counter.
async fn delivered_in(db: &Db, channel: i64) -> i64 {
    sqlx::query_scalar("SELECT id FROM orders WHERE channel_id = ? AND status = 'delivered' ORDER BY id LIMIT 1")
        .bind(channel)
        .fetch_one(db.pool())
        .await
        .expect("a sale handed over at the counter")
}

async fn local_status(db: &Db, id: i64) -> String {
    sqlx::query_scalar("SELECT status FROM orders WHERE id = ?").bind(id).fetch_one(db.pool()).await.unwrap()
}

async fn key_of(db: &Db, item: i64) -> String {
    sqlx::query_scalar("SELECT idempotency_key FROM outbox WHERE id = ?").bind(item).fetch_one(db.pool()).await.unwrap()
}

/// Queues `status` for `order` as the order command does (one transaction).
async fn change(db: &Db, order: i64, status: OrderStatus) -> i64 {
    let mut tx = db.begin().await.unwrap();
    let item = outbox::set_status(&mut tx, order, status).await.unwrap();
    tx.commit().await.unwrap();
    item
}

async fn drain(f: &Lightspeed) {
    for _ in 0..100 {
        push_due(&f.db, &f.connector, &quick()).await.unwrap();
        if outbox::count(&mut f.db.conn().await.unwrap(), OutboxState::Pending).await.unwrap() == 0 {
            return;
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    panic!("the outbox never drained");
}

/// Delivers each `(from, to)` change on `platform` and checks it arrived
/// once, with its key, and that a pull afterwards keeps it.
async fn delivers_once_and_the_next_pull_keeps_it(platform: Platform, changes: &[(OrderStatus, OrderStatus, &str)]) {
    // Enough sales that each line has a few still waiting unpaid (about
    // one in fifty of Kounta's).
    let f = lightspeed(300).await;
    let channel = two_way(&f, platform).await;
    let (sandbox_platform, account) = sandbox_side(platform);
    // Every order is picked before any change is made, so a change can't
    // make an order look like the next one's starting point.
    let mut picked: Vec<(i64, String)> = Vec::new();
    for &(from, _, _) in changes {
        let taken: Vec<i64> = picked.iter().map(|(id, _)| *id).collect();
        picked.push(order_with(&f.db, channel.id, from, &taken).await);
    }
    let mut sent = Vec::new();
    for ((id, external_id), &(_, to, raw)) in picked.into_iter().zip(changes) {
        let item = change(&f.db, id, to).await;
        sent.push((id, external_id, item, to, raw));
    }
    drain(&f).await;

    let writes = f.sandbox.received_writes();
    assert_eq!(writes.len(), sent.len(), "each change reached {platform:?} exactly once: {writes:?}");
    let source = f.connector.source(&channel).await.unwrap();
    for (write, (_, external_id, item, _, raw)) in writes.iter().zip(&sent) {
        assert_eq!((write.platform, write.account.as_str(), write.kind), (sandbox_platform, account.as_str(), WriteKind::Status));
        assert_eq!(&write.order_id, external_id, "to the order it was made on");
        assert_eq!(write.idempotency_key.as_deref(), Some(key_of(&f.db, *item).await.as_str()), "carrying the item's own key");
        assert_eq!(source.remote_order(external_id).await.unwrap().raw_status, *raw, "the platform now has it");
    }
    assert_eq!(outbox::count(&mut *f.db.conn().await.unwrap(), OutboxState::Done).await.unwrap(), sent.len() as i64, "each marked done");

    pull_orders(&f.db, channel.id, &source, |_| {}).await.unwrap();
    for (id, external_id, _, to, _) in &sent {
        assert_eq!(local_status(&f.db, *id).await, to.as_str(), "order {external_id} keeps the merchant's status after syncing");
    }
    let again = push_due(&f.db, &f.connector, &quick()).await.unwrap();
    assert_eq!((again.delivered, again.retrying), (0, 0), "nothing is sent twice");
    assert_eq!(f.sandbox.received_writes().len(), sent.len());
}

#[tokio::test(flavor = "multi_thread")]
async fn an_xseries_sale_voided_here_is_voided_there_once_and_stays_cancelled() {
    use OrderStatus::*;
    // A parked sale and a closed one: X-Series voids both.
    delivers_once_and_the_next_pull_keeps_it(Platform::XSeries, &[(Pending, Cancelled, "voided"), (Processing, Cancelled, "voided")]).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn an_open_rseries_sale_voided_here_is_voided_there_once_and_stays_cancelled() {
    use OrderStatus::*;
    delivers_once_and_the_next_pull_keeps_it(Platform::RSeries, &[(Processing, Cancelled, "voided")]).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn oseries_orders_are_accepted_held_and_rejected_once_and_stay_so() {
    use OrderStatus::*;
    delivers_once_and_the_next_pull_keeps_it(
        Platform::OSeries,
        &[(Pending, Processing, "ACCEPTED"), (Processing, Pending, "ON_HOLD"), (Pending, Cancelled, "REJECTED")],
    )
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_remote_edit_after_the_last_sync_makes_a_lightspeed_change_a_conflict() {
    for (platform, from) in [
        (Platform::XSeries, OrderStatus::Pending),
        (Platform::RSeries, OrderStatus::Processing),
        (Platform::OSeries, OrderStatus::Processing),
    ] {
        let f = lightspeed(80).await;
        let channel = two_way(&f, platform).await;
        let (sandbox_platform, account) = sandbox_side(platform);
        let (id, external_id) = order_with(&f.db, channel.id, from, &[]).await;
        let source = f.connector.source(&channel).await.unwrap();
        let before = source.remote_order(&external_id).await.unwrap();
        let item = change(&f.db, id, OrderStatus::Cancelled).await;
        assert!(f.sandbox.edit_order_remotely(sandbox_platform, &account, &external_id), "staff edit it in Lightspeed");

        let pass = push_due(&f.db, &f.connector, &quick()).await.unwrap();
        assert_eq!(pass.conflicts, 1, "{platform:?}: the change is held as a conflict");
        assert!(f.sandbox.received_writes().is_empty(), "{platform:?}: nothing is sent");
        let now = source.remote_order(&external_id).await.unwrap();
        assert_eq!(now.raw_status, before.raw_status, "{platform:?}: the remote order keeps its own status");
        assert!(now.updated_at > before.updated_at, "{platform:?}: the edit moved it on");
        let entries = outbox::open_entries(&mut *f.db.conn().await.unwrap(), None).await.unwrap();
        let reason = entries[0].last_error.as_deref().unwrap_or("");
        assert_eq!(entries[0].state, OutboxState::Conflict);
        assert!(reason.contains(&format!("changed on {}", platform.display_name())), "the reason is in words: {reason}");

        // Send anyway: ours wins over the edited order, once.
        outbox::resolve(&mut *f.db.conn().await.unwrap(), item, true, Some(now.updated_at)).await.unwrap();
        drain(&f).await;
        assert_eq!(f.sandbox.received_writes().len(), 1, "{platform:?}: Send anyway delivers it once");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn what_a_lightspeed_line_cannot_take_is_refused_in_plain_words_and_nothing_is_sent() {
    use OrderStatus::*;
    let all = [Pending, Processing, Shipped, Delivered, Cancelled, Returned];
    let writable = |p: Platform| all.into_iter().filter(|s| p.writable_status(*s)).collect::<Vec<_>>();
    assert_eq!(writable(Platform::XSeries), vec![Cancelled], "X-Series lets an app void a sale, nothing more");
    assert_eq!(writable(Platform::RSeries), vec![Cancelled], "nor does R-Series");
    assert_eq!(writable(Platform::OSeries), vec![Pending, Processing, Cancelled], "Kounta: hold, accept, reject");
    assert!(writable(Platform::KSeries).is_empty(), "K-Series' closed bills take no changes");
    for p in [Platform::XSeries, Platform::RSeries, Platform::KSeries, Platform::OSeries] {
        assert!(!p.accepts_fulfillment_writes(), "{p:?} has no shipment with a tracking number");
    }

    // Should one slip into the outbox anyway, the sender refuses it in words
    // and never retries; a refusal from the platform itself reads the same.
    let f = lightspeed(60).await;
    let x = two_way(&f, Platform::XSeries).await;
    let k = two_way(&f, Platform::KSeries).await;
    let r = two_way(&f, Platform::RSeries).await;
    change(&f.db, delivered_in(&f.db, x.id).await, Shipped).await;
    change(&f.db, delivered_in(&f.db, k.id).await, Cancelled).await;
    change(&f.db, delivered_in(&f.db, r.id).await, Cancelled).await;
    let pass = push_due(&f.db, &f.connector, &quick()).await.unwrap();
    assert_eq!((pass.failed, pass.retrying, pass.delivered), (3, 0, 0), "refused for good, not retried");
    assert!(f.sandbox.received_writes().is_empty(), "nothing reached Lightspeed");
    let reasons: Vec<String> = outbox::open_entries(&mut *f.db.conn().await.unwrap(), None)
        .await
        .unwrap()
        .into_iter()
        .map(|e| e.last_error.unwrap_or_default())
        .collect();
    assert!(reasons[0].contains("Lightspeed X-Series sales are closed at the register"), "{reasons:?}");
    assert!(reasons[1].contains("Lightspeed K-Series") && reasons[1].contains("takes no changes"), "{reasons:?}");
    assert!(reasons[2].contains("A completed sale can't be voided; refund it instead."), "R-Series' own words: {reasons:?}");
    assert!(reasons.iter().all(|r| !r.contains("HTTP") && !r.contains('{')), "plain words, not status codes or bodies: {reasons:?}");
}

/// The three lines that take writes, each connected two-way in one app, with
/// an order of each that can still be cancelled.
async fn one_of_each(f: &Lightspeed) -> Vec<(Platform, ChannelView, i64, String)> {
    let mut picked = Vec::new();
    for platform in [Platform::XSeries, Platform::RSeries, Platform::OSeries] {
        let channel = two_way(f, platform).await;
        let (id, external_id) = order_with(&f.db, channel.id, OrderStatus::Processing, &[]).await;
        picked.push((platform, channel, id, external_id));
    }
    picked
}

async fn open_reasons(db: &Db) -> Vec<String> {
    let entries = outbox::open_entries(&mut *db.conn().await.unwrap(), None).await.unwrap();
    entries.into_iter().map(|e| e.last_error.unwrap_or_default()).collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_lightspeed_write_whose_answer_was_lost_is_recognised_and_not_sent_again() {
    let f = lightspeed(300).await;
    for (platform, channel, id, external_id) in one_of_each(&f).await {
        let item = change(&f.db, id, OrderStatus::Cancelled).await;
        let key = key_of(&f.db, item).await;
        let source = f.connector.source(&channel).await.unwrap();
        let cancel = Change::Status { status: OrderStatus::Cancelled };
        // The app sent it, and quit before the answer came back; a resend
        // with the same key (a proxy retrying) is answered, not applied.
        source.push(&external_id, &cancel, &key).await.expect("the write lands");
        source.push(&external_id, &cancel, &key).await.expect("the resend is answered");
        let before = f.sandbox.received_writes().len();

        let pass = push_due(&f.db, &f.connector, &quick()).await.unwrap();
        assert_eq!((pass.delivered, pass.retrying, pass.conflicts), (1, 0, 0), "{platform:?}: the outbox finds it already there");
        let writes = f.sandbox.received_writes();
        assert_eq!(writes.len(), before, "{platform:?}: and sends nothing more");
        assert_eq!(writes.iter().filter(|w| w.order_id == external_id).count(), 1, "{platform:?}: one write in all");
    }
    assert_eq!(outbox::count(&mut *f.db.conn().await.unwrap(), OutboxState::Done).await.unwrap(), 3);
}

#[tokio::test(flavor = "multi_thread")]
async fn lightspeed_changes_wait_out_an_outage_and_a_lapsed_sign_in_and_arrive_once() {
    let f = lightspeed(300).await;
    let picked = one_of_each(&f).await;
    for (_, _, id, _) in &picked {
        change(&f.db, *id, OrderStatus::Cancelled).await;
    }
    f.sandbox.set_offline(true);
    let pass = push_due(&f.db, &f.connector, &quick()).await.unwrap();
    assert_eq!((pass.delivered, pass.retrying, pass.failed), (0, 3, 0), "an outage is retried, not given up");
    assert!(open_reasons(&f.db).await.iter().all(|r| !r.is_empty()), "each says why it waits");

    // Back online, with every access token lapsed meanwhile: each writer
    // refreshes its sign-in once and sends.
    f.sandbox.set_offline(false);
    f.sandbox.expire_xseries_access_tokens();
    f.sandbox.expire_rseries_access_tokens();
    f.sandbox.expire_oseries_access_tokens();
    drain(&f).await;
    let writes = f.sandbox.received_writes();
    assert_eq!(writes.len(), 3, "each change arrived once: {writes:?}");
    for (platform, _, _, external_id) in &picked {
        assert_eq!(writes.iter().filter(|w| &w.order_id == external_id).count(), 1, "{platform:?}");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_revoked_lightspeed_sign_in_holds_the_change_for_retry_and_says_so() {
    let f = lightspeed(300).await;
    let picked = one_of_each(&f).await;
    for (_, _, id, _) in &picked {
        change(&f.db, *id, OrderStatus::Cancelled).await;
    }
    f.sandbox.revoke_xseries_tokens(PREFIX);
    f.sandbox.revoke_rseries_tokens(ACCOUNT);
    f.sandbox.revoke_oseries_tokens(COMPANY);
    let pass = push_due(&f.db, &f.connector, &quick()).await.unwrap();
    assert_eq!((pass.delivered, pass.retrying, pass.failed), (0, 3, 0), "kept for after the merchant reconnects, as every writer does");
    assert!(f.sandbox.received_writes().is_empty(), "nothing was sent");
    let reasons = open_reasons(&f.db).await;
    assert_eq!(reasons.len(), 3);
    for (reason, (platform, ..)) in reasons.iter().zip(&picked) {
        assert!(reason.contains(platform.display_name()) && reason.contains("Re-authorize"), "what to do, in words: {reason}");
        assert!(!reason.contains('{'), "no bodies: {reason}");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_lightspeed_write_answered_503_or_429_is_sent_again_and_lands_once() {
    let f = lightspeed(300).await;
    let picked = one_of_each(&f).await;
    for (_, _, id, _) in &picked {
        change(&f.db, *id, OrderStatus::Cancelled).await;
    }
    f.sandbox.fail_next_writes(&[WriteFault::ServerError; 3]);
    let pass = push_due(&f.db, &f.connector, &quick()).await.unwrap();
    assert_eq!((pass.delivered, pass.retrying, pass.failed), (0, 3, 0), "a 503 is tried again later, not given up");
    assert_eq!(f.sandbox.faults_injected().server_errors, 3, "each line's update answered 503");
    assert!(f.sandbox.received_writes().is_empty(), "and none was applied");

    // Then each is rate limited once: the writer waits as told and resends
    // in the same pass, with the same key.
    f.sandbox.fail_next_writes(&[WriteFault::RateLimited; 3]);
    drain(&f).await;
    assert_eq!(f.sandbox.faults_injected().throttled, 3, "each line's resend met its rate limit");
    let writes = f.sandbox.received_writes();
    assert_eq!(writes.len(), 3, "each change arrived once: {writes:?}");
    for (platform, _, _, external_id) in &picked {
        assert_eq!(writes.iter().filter(|w| &w.order_id == external_id).count(), 1, "{platform:?}");
    }
    assert_eq!(outbox::count(&mut *f.db.conn().await.unwrap(), OutboxState::Done).await.unwrap(), 3);
}

#[tokio::test(flavor = "multi_thread")]
async fn an_xseries_store_connected_only_to_read_is_asked_to_reconnect_and_nothing_is_sent() {
    let f = lightspeed(80).await;
    let channel = two_way(&f, Platform::XSeries).await;
    // Connected by an earlier Counterline, which asked only to read sales.
    let (read_only, refresh) = f.sandbox.issue_xseries_token(PREFIX);
    let grant = Grant { access_token: Secret::new(read_only), refresh_token: Some(Secret::new(refresh)), expires_at_ms: None };
    f.keychain.set(&access_token_key(Platform::XSeries, &channel.account), &grant.to_secret()).unwrap();
    let (id, _) = order_with(&f.db, channel.id, OrderStatus::Processing, &[]).await;
    change(&f.db, id, OrderStatus::Cancelled).await;

    let pass = push_due(&f.db, &f.connector, &quick()).await.unwrap();
    assert_eq!((pass.delivered, pass.retrying, pass.failed), (0, 1, 0), "kept until the merchant reconnects");
    assert!(f.sandbox.received_writes().is_empty(), "X-Series refused the update, so nothing changed");
    let reasons = open_reasons(&f.db).await;
    assert!(reasons[0].contains("sales:write") && reasons[0].contains("reconnect"), "what is missing and what to do: {reasons:?}");
}
