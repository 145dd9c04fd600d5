//! `bench loyalty`: the loyalty crate at scale on a real SQLite file.
//! Members and orders are written straight into a fresh database (the sync
//! path is `bench sync`'s business), then it times the full RFM recompute
//! plus a year of insights, the full rules recompute, and the incremental
//! cost of one synced page: the page upsert alone against the upsert plus
//! the loyalty rules in the same transaction.

use std::time::Instant;

use counterline_loyalty::model::InsightsQuery;
use counterline_loyalty::{apply, insights, rfm};
use counterline_store::model::{NewOrder, NewOrderLine, OrderStatus, Platform};
use counterline_store::{channels, orders, Db};

use crate::bench::write_section;

pub struct Options {
    pub members: i64,
    pub orders: i64,
    pub runs: usize,
    pub pages: usize,
    pub out: String,
    /// A seeded, recomputed database kept between runs: written here on the
    /// first run, copied from on later ones (seeding and the rules recompute
    /// skipped), so a run that only times pages starts in seconds.
    pub db: Option<std::path::PathBuf>,
}

const DAY: i64 = 86_400_000;
/// The orders span the two years before this moment (2026-11-01).
const END: i64 = 1_793_491_200_000;
const SPAN_DAYS: i64 = 730;
const PAGE: usize = 250;

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}

/// CPU time all of the process's threads have used so far, in ms: the page's
/// SQL runs on sqlx's worker thread and its Rust on ours. On a shared
/// 2-core machine a page's wall time also counts the time it waited for a
/// core; its CPU time is what the page itself cost.
fn process_cpu_ms() -> f64 {
    let mut now = libc::timespec { tv_sec: 0, tv_nsec: 0 };
    // SAFETY: clock_gettime only writes the timespec it is given.
    unsafe { libc::clock_gettime(libc::CLOCK_PROCESS_CPUTIME_ID, &mut now) };
    now.tv_sec as f64 * 1000.0 + now.tv_nsec as f64 / 1e6
}

fn list(values: &[f64]) -> String {
    values.iter().map(|v| format!("{v:.2}")).collect::<Vec<_>>().join(", ")
}

/// Members, then orders spread over two years: one in twenty from a guest,
/// one in fifty cancelled, one in twenty partly refunded; a third of the
/// orders go to the first tenth of the members (regulars), the rest to anyone.
async fn seed(db: &Db, channel: i64, options: &Options) -> Result<(), String> {
    let mut tx = db.begin().await.map_err(|e| e.to_string())?;
    sqlx::query(
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?1)
         INSERT INTO members (email, email_normalized, name, created_at, updated_at)
         SELECT 'm' || i || '@example.com', 'm' || i || '@example.com', 'Member ' || i, ?2, ?2 FROM n",
    )
    .bind(options.members)
    .bind(END - SPAN_DAYS * DAY)
    .execute(&mut *tx)
    .await
    .map_err(|e| e.to_string())?;
    // Member k of order i: a fixed scramble, so some members order often and others once.
    sqlx::query(
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?1)
         INSERT INTO orders (channel_id, external_id, number, created_at, updated_at, email, email_normalized,
                             status, financial_status, currency, total_minor, subtotal_minor, tax_minor,
                             payload_digest, refunded_minor)
         SELECT ?2, 'o' || i, '#' || i, t, t, e, e,
                CASE WHEN i % 50 = 0 THEN 'cancelled' ELSE 'delivered' END, 'paid', 'USD',
                total, total * 9 / 10, total / 10, 'seed',
                CASE WHEN i % 20 = 7 THEN total / 3 ELSE 0 END
           FROM (SELECT i,
                        ?3 - (i * 7919 % (?4 * 1440)) * 60000 AS t,
                        CASE WHEN i % 20 = 0 THEN NULL
                             WHEN i % 3 = 0 THEN 'm' || (1 + i * 2654435761 % (?5 / 10 + 1)) || '@example.com'
                             ELSE 'm' || (1 + i * 2654435761 % ?5) || '@example.com' END AS e,
                        1000 + (i * 104729 % 30000) AS total
                   FROM n)",
    )
    .bind(options.orders)
    .bind(channel)
    .bind(END)
    .bind(SPAN_DAYS)
    .bind(options.members)
    .execute(&mut *tx)
    .await
    .map_err(|e| e.to_string())?;
    tx.commit().await.map_err(|e| e.to_string())
}

/// The seeded order `i` as `seed` wrote it: (created_at, email, total).
fn seeded(i: i64, options: &Options) -> (i64, Option<String>, i64) {
    let at = END - (i * 7_919 % (SPAN_DAYS * 1_440)) * 60_000;
    let member = match i {
        _ if i % 20 == 0 => None,
        _ if i % 3 == 0 => Some(1 + i * 2_654_435_761 % (options.members / 10 + 1)),
        _ => Some(1 + i * 2_654_435_761 % options.members),
    };
    (at, member.map(|m| format!("m{m}@example.com")), 1_000 + i * 104_729 % 30_000)
}

/// A sync page: 200 new orders from members, 50 earlier ones refunded in
/// part (the same orders as seeded: their date, customer and total).
fn page(round: usize, options: &Options) -> Vec<NewOrder> {
    (0..PAGE)
        .map(|k| {
            let i = (round * PAGE + k) as i64;
            let (id, at, email, total) = if k < 200 {
                let member = 1 + (i * 7_919) % options.members;
                (format!("new-{i}"), END + i * 1_000, Some(format!("m{member}@example.com")), 1_000 + i * 104_729 % 30_000)
            } else {
                let n = 1 + i * 3_989 % options.orders;
                let (at, email, total) = seeded(n, options);
                (format!("o{n}"), at, email, total)
            };
            NewOrder {
                external_id: id.clone(),
                number: format!("#{id}"),
                created_at: at,
                updated_at: at,
                cancelled_at: None,
                email,
                customer_name: None,
                status: OrderStatus::Delivered,
                financial_status: Some(if k < 200 { "paid" } else { "partially_refunded" }.into()),
                fulfillment_status: None,
                currency: "USD".into(),
                total_minor: total,
                subtotal_minor: total * 9 / 10,
                tax_minor: total / 10,
                shipping_address: None,
                lines: vec![NewOrderLine { external_id: format!("{id}-1"), sku: Some("MUG".into()), title: "Mug".into(), quantity: 1, unit_price_minor: total }],
                refunded_minor: if k < 200 { 0 } else { total / 4 },
                note: None,
                shipping_minor: None,
            }
        })
        .collect()
}

pub async fn loyalty(options: Options) -> Result<(), String> {
    let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
    let path = dir.path().join("counterline.db");
    // Reused: a copy, byte for byte, so every run's pages start from the same file and layout.
    let reuse = options.db.as_ref().filter(|kept| kept.exists());
    if let Some(kept) = reuse {
        std::fs::copy(kept, &path).map_err(|e| format!("{}: {e}", kept.display()))?;
    }
    let db = Db::open(&path).await.map_err(|e| e.to_string())?;
    let mut conn = db.conn().await.map_err(|e| e.to_string())?;
    let channel =
        channels::upsert(&mut conn, Platform::Shopify, "bench.myshopify.com", "Bench").await.map_err(|e| e.to_string())?;
    drop(conn);
    let mut rules_s = Vec::new();
    if let Some(kept) = reuse {
        println!("reused {}: seeding and the rules recompute skipped", kept.display());
    } else {
        let started = Instant::now();
        seed(&db, channel, &options).await?;
        println!("seeded {} members and {} orders in {:.1} s", options.members, options.orders, started.elapsed().as_secs_f64());

        // The full rules recompute (settings saved): matching, ledger, tiers, stamps, totals.
        let t = Instant::now();
        let mut tx = db.begin().await.map_err(|e| e.to_string())?;
        apply::recompute_all(&mut tx).await.map_err(|e| e.to_string())?;
        tx.commit().await.map_err(|e| e.to_string())?;
        rules_s.push(t.elapsed().as_secs_f64());
        println!("rules recompute: {:.2} s", rules_s.last().unwrap());
        if let Some(kept) = &options.db {
            let mut conn = db.conn().await.map_err(|e| e.to_string())?;
            sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)").execute(&mut *conn).await.map_err(|e| e.to_string())?;
            std::fs::copy(&path, kept).map_err(|e| format!("{}: {e}", kept.display()))?;
            println!("kept the seeded database as {}", kept.display());
        }
    }

    // Full RFM recompute + a year of insights: what "Recompute" and the dashboard cost.
    let query = InsightsQuery { from: END - 365 * DAY, to: END, bucket: None };
    let (mut rfm_s, mut insights_s, mut full_s) = (Vec::new(), Vec::new(), Vec::new());
    for _ in 0..options.runs {
        let t = Instant::now();
        let mut tx = db.begin().await.map_err(|e| e.to_string())?;
        let summary = rfm::recompute(&mut tx, END).await.map_err(|e| e.to_string())?;
        tx.commit().await.map_err(|e| e.to_string())?;
        let r = t.elapsed().as_secs_f64();
        let t = Instant::now();
        let mut conn = db.conn().await.map_err(|e| e.to_string())?;
        let view = insights::insights(&mut conn, &query).await.map_err(|e| e.to_string())?;
        drop(conn);
        let i = t.elapsed().as_secs_f64();
        println!("rfm {r:.3} s ({} members scored), insights {i:.3} s ({} points)", summary.members, view.repeat_purchase_rate.len());
        rfm_s.push(r);
        insights_s.push(i);
        full_s.push(r + i);
    }

    // Incremental: each page upserted then the rules applied, in one
    // transaction, on one held connection as the sync commits its pages. (A
    // pool connection per page alternates between connections, and each
    // starts with its page cache dropped: another connection committed since.)
    let mut conn = db.conn().await.map_err(|e| e.to_string())?;
    let (mut upsert_ms, mut rules_ms, mut rules_cpu_ms) = (Vec::new(), Vec::new(), Vec::new());
    for round in 0..options.pages {
        let page = page(round, &options);
        let mut tx = counterline_store::begin(&mut conn).await.map_err(|e| e.to_string())?;
        let t = Instant::now();
        let (_, changed) = orders::upsert_page_changed(&mut tx, channel, &page).await.map_err(|e| e.to_string())?;
        let u = t.elapsed().as_secs_f64();
        let (t, cpu) = (Instant::now(), process_cpu_ms());
        counterline_loyalty::apply_orders(&mut tx, &changed).await.map_err(|e| e.to_string())?;
        let a = t.elapsed().as_secs_f64();
        rules_cpu_ms.push(process_cpu_ms() - cpu);
        tx.commit().await.map_err(|e| e.to_string())?;
        upsert_ms.push(u * 1000.0);
        rules_ms.push(a * 1000.0);
    }
    // The same for pages of new orders whose emails match no member.
    let mut guests_ms = Vec::new();
    for round in 0..options.pages {
        let mut page = page(round, &options);
        for (k, order) in page.iter_mut().enumerate() {
            order.external_id = format!("guest-{round}-{k}");
            order.number = format!("#{}", order.external_id);
            order.email = Some(format!("guest-{round}-{k}@example.net"));
            order.lines[0].external_id = format!("{}-1", order.external_id);
        }
        let mut tx = counterline_store::begin(&mut conn).await.map_err(|e| e.to_string())?;
        let (_, changed) = orders::upsert_page_changed(&mut tx, channel, &page).await.map_err(|e| e.to_string())?;
        let t = Instant::now();
        counterline_loyalty::apply_orders(&mut tx, &changed).await.map_err(|e| e.to_string())?;
        guests_ms.push(t.elapsed().as_secs_f64() * 1000.0);
        tx.commit().await.map_err(|e| e.to_string())?;
    }
    let guests_mid = median(guests_ms);
    let (full_mid, page_mid, upsert_mid) = (median(full_s.clone()), median(rules_ms.clone()), median(upsert_ms.clone()));
    let page_cpu_mid = median(rules_cpu_ms.clone());
    let rules_mid = if rules_s.is_empty() { "not run (reused database)".to_owned() } else { format!("{:.1} s", median(rules_s)) };
    println!("per page, each: rules {} ms (CPU {} ms); upsert {} ms", list(&rules_ms), list(&rules_cpu_ms), list(&upsert_ms));
    println!(
        "full RFM + insights: median {full_mid:.3} s; rules recompute: {rules_mid}; per page of {PAGE}: rules {page_mid:.2} ms, CPU {page_cpu_mid:.2} ms (upsert {upsert_mid:.2} ms), no member matches {guests_mid:.2} ms"
    );

    let section = format!(
        "## Loyalty at scale\n\n\
         `counterline-cli bench loyalty --members {members} --orders {orders} --runs {runs} --pages {pages}` (release build, 2 cores, \
         fresh SQLite file; members and orders written straight into it, orders over two years, 1 in 20 from guests, 1 in 50 \
         cancelled, 1 in 20 partly refunded; default rules). *Full RFM + insights* is one `rfm_recompute` (quintiles, segments, \
         the day's snapshot) plus one `loyalty_insights` over the last year (weekly buckets). *Rules recompute* is what saving \
         Settings › Loyalty does first: every member's orders, ledger, tier history, stamps and totals rebuilt. *Per page* is the \
         loyalty rules applied to one synced page of {PAGE} orders (200 new ones placed now, 50 earlier ones refunded in part) inside the page's transaction, \
         on one connection held across pages as the sync holds it, \
         next to the page upsert itself; *CPU* is the CPU time the process spent on those rules (both its threads), \
         which others busy on the same cores inflate less than the wall time; *no member matches* is the rules for a page of 250 new orders whose emails match no member. Targets: full RFM + insights ≤ 2 s, per page ≤ 5 ms.\n\n\
         | members | orders | full RFM + insights (median) | RFM runs (s) | insights runs (s) | rules recompute (one run) | per page: rules (median) | per page: rules CPU (median) | per page: upsert (median) | per page, no member matches: rules (median) |\n\
         |---:|---:|---:|---|---|---:|---:|---:|---:|---:|\n\
         | {members} | {orders} | {full_mid:.2} s | {rfm_list} | {ins_list} | {rules_mid} | {page_mid:.2} ms | {page_cpu_mid:.2} ms | {upsert_mid:.2} ms | {guests_mid:.2} ms |\n",
        members = options.members,
        orders = options.orders,
        runs = options.runs,
        pages = options.pages,
        rfm_list = list(&rfm_s),
        ins_list = list(&insights_s),
    );
    write_section(&options.out, "loyalty", &section).map_err(|e| format!("{}: {e}", options.out))?;
    println!("wrote {}", options.out);
    Ok(())
}
