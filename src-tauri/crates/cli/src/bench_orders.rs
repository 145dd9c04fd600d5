//! The orders list benchmark: a million generated orders across three
//! channels in a fresh SQLite file (written through the sync's own upsert),
//! then a 100-row page for every filter × sort the list offers, walked
//! page after page by cursor, the capped count per filter, the CSV export
//! of everything, and the file's bytes per order. Release builds only give
//! figures worth quoting.

use std::time::Instant;

use counterline_store::model::{NewOrder, NewOrderLine, OrderStatus, Platform};
use counterline_store::order_list::{self, OrderFilter, OrderQuery, OrderSort, OrderSortColumn, SortDirection};
use counterline_store::{channels, order_csv, orders, Db};

pub struct Options {
    pub orders: usize,
    /// Pages walked per filter × sort (the first, then each next one).
    pub pages: usize,
    pub out: String,
    /// Keep the generated database here and reuse it on the next run (it
    /// is generated only when the file doesn't exist yet), so changes to
    /// the list's queries can be measured without regenerating.
    pub db: Option<std::path::PathBuf>,
}

const DAY: i64 = 86_400_000;
/// Two years of orders ending here.
const END: i64 = 1_795_000_000_000;
const FIRST: [&str; 12] = ["Ann", "Ben", "Cleo", "Dev", "Ema", "Finn", "Gus", "Hana", "Ivo", "Jo", "Kai", "Lena"];
const LAST: [&str; 10] = ["Smith", "Okafor", "Nguyen", "Garcia", "Müller", "Rossi", "Kowalski", "Haddad", "Sato", "Brown"];
const STATUSES: [OrderStatus; 6] =
    [OrderStatus::Pending, OrderStatus::Processing, OrderStatus::Shipped, OrderStatus::Delivered, OrderStatus::Cancelled, OrderStatus::Returned];

/// A cheap deterministic mix (splitmix64), so runs compare.
fn mix(n: u64) -> u64 {
    let mut z = n.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

fn generated(n: u64) -> NewOrder {
    let r = mix(n);
    let created_at = END - (r % (730 * DAY as u64)) as i64;
    let person = (r >> 20) % 60_000;
    let name = format!("{} {} {}", FIRST[(person % 12) as usize], LAST[(person / 12 % 10) as usize], person);
    // Most orders are done; a few are still to ship.
    let status = match (r >> 40) % 100 {
        0..=4 => STATUSES[0],
        5..=19 => STATUSES[1],
        20..=39 => STATUSES[2],
        40..=89 => STATUSES[3],
        90..=95 => STATUSES[4],
        _ => STATUSES[5],
    };
    let lines: Vec<NewOrderLine> = (0..1 + (r >> 50) % 3)
        .map(|i| NewOrderLine {
            external_id: format!("{n}-{i}"),
            sku: Some(format!("SKU-{}", mix(n + i) % 400)),
            title: "Generated item".into(),
            quantity: 1 + ((r >> (i * 3)) % 3) as i64,
            unit_price_minor: 500 + (mix(n ^ i) % 9_000) as i64,
        })
        .collect();
    let total: i64 = lines.iter().map(|l| l.quantity * l.unit_price_minor).sum();
    NewOrder {
        external_id: n.to_string(),
        number: format!("#{}", 1000 + n),
        created_at,
        updated_at: created_at,
        cancelled_at: None,
        email: Some(format!("customer{person}@example.com")),
        customer_name: Some(name),
        status,
        financial_status: Some(["paid", "pending", "refunded", "partially_refunded"][((r >> 8) % 4) as usize].into()),
        fulfillment_status: Some(["fulfilled", "unfulfilled", "partial"][((r >> 12) % 3) as usize].into()),
        currency: "USD".into(),
        total_minor: total,
        subtotal_minor: total,
        tax_minor: 0,
        shipping_address: None,
        lines,
        note: None,
        shipping_minor: Some(500),
        refunded_minor: 0,
    }
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

pub async fn orders(options: Options) -> Result<(), String> {
    let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
    let path = options.db.clone().unwrap_or_else(|| dir.path().join("counterline.db"));
    let reuse = path.exists();
    let started = Instant::now();
    let db = Db::open(&path).await.map_err(|e| e.to_string())?;
    let mut conn = db.conn().await.map_err(|e| e.to_string())?;
    let err = |e: counterline_store::Error| e.to_string();
    let mut channel_ids = Vec::new();
    for (platform, account) in [(Platform::Shopify, "bench.myshopify.com"), (Platform::BigCommerce, "bench-big"), (Platform::WooCommerce, "bench-woo")] {
        channel_ids.push(channels::upsert(&mut conn, platform, account, account).await.map_err(err)?);
    }
    let batch = 5_000;
    for start in (0..if reuse { 0 } else { options.orders }).step_by(batch) {
        let page: Vec<NewOrder> = (start..(start + batch).min(options.orders)).map(|n| generated(n as u64)).collect();
        orders::upsert_page(&mut conn, channel_ids[start / batch % 3], &page).await.map_err(err)?;
    }
    let generate_s = started.elapsed().as_secs_f64();
    let written = if reuse {
        format!("reused from {} (opened and migrated in {generate_s:.0} s)", path.display())
    } else {
        format!("written through the sync's upsert in {generate_s:.0} s")
    };
    println!("{} orders {written}", options.orders);
    sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)").execute(&mut *conn).await.map_err(|e| e.to_string())?;
    sqlx::query("ANALYZE").execute(&mut *conn).await.map_err(|e| e.to_string())?;
    let bytes: i64 = sqlx::query_scalar("SELECT page_count * page_size FROM pragma_page_count(), pragma_page_size()")
        .fetch_one(&mut *conn)
        .await
        .map_err(|e| e.to_string())?;
    let per_order = bytes as f64 / options.orders as f64;

    let filters: Vec<(&str, OrderFilter)> = vec![
        ("none", OrderFilter::default()),
        ("channel", OrderFilter { channel_ids: vec![channel_ids[1]], ..OrderFilter::default() }),
        ("status processing", OrderFilter { statuses: vec![OrderStatus::Processing], ..OrderFilter::default() }),
        ("last 30 days", OrderFilter { created_from: Some(END - 30 * DAY), created_to: Some(END + DAY), ..OrderFilter::default() }),
        ("customer \"hana\"", OrderFilter { customer: Some("hana".into()), ..OrderFilter::default() }),
        // One shopper's email (and ten more that start with it): the plan
        // that looks matches up instead of walking a sort index.
        ("customer \"customer4242\"", OrderFilter { customer: Some("customer4242".into()), ..OrderFilter::default() }),
        ("order number", OrderFilter { text: Some("#424242".into()), ..OrderFilter::default() }),
        ("SKU", OrderFilter { text: Some("SKU-17".into()), ..OrderFilter::default() }),
    ];
    let mut table = String::new();
    let mut worst = (0.0_f64, String::new());
    let mut all = Vec::new();
    for (label, filter) in &filters {
        let count_start = Instant::now();
        let count = order_list::count(&mut conn, filter).await.map_err(err)?;
        let count_ms = count_start.elapsed().as_secs_f64() * 1000.0;
        let mut cells = Vec::new();
        for column in OrderSortColumn::ALL {
            for direction in [SortDirection::Asc, SortDirection::Desc] {
                let mut query = OrderQuery { filter: filter.clone(), sort: OrderSort { column, direction }, after: None, limit: 100 };
                let mut times = Vec::new();
                for _ in 0..options.pages {
                    let t = Instant::now();
                    let page = order_list::page(&mut conn, &query).await.map_err(err)?;
                    times.push(t.elapsed().as_secs_f64() * 1000.0);
                    match page.next {
                        Some(next) => query.after = Some(next),
                        None => query.after = None,
                    }
                }
                times.sort_by(|a, b| a.total_cmp(b));
                let (p50, p95) = (percentile(&times, 0.5), percentile(&times, 0.95));
                all.extend(times.iter().copied());
                if p95 > worst.0 {
                    worst = (p95, format!("{label} × {column:?} {direction:?}"));
                }
                cells.push(format!("{p50:.1} / {p95:.1}"));
            }
        }
        let shown = if count.capped { "100,000+".to_owned() } else { count.total.to_string() };
        println!("{label}: {shown} matches, count {count_ms:.1} ms; p50/p95 per sort: {}", cells.join(", "));
        table.push_str(&format!("| {label} | {shown} | {count_ms:.1} | {} |\n", cells.join(" | ")));
    }
    all.sort_by(|a, b| a.total_cmp(b));
    let (all_p50, all_p95) = (percentile(&all, 0.5), percentile(&all, 0.95));

    let export_dir = tempfile::tempdir().map_err(|e| e.to_string())?;
    let t = Instant::now();
    let export = order_csv::export_to_dir(&mut conn, &OrderFilter::default(), OrderSort::default(), export_dir.path(), counterline_store::now_ms())
        .await
        .map_err(err)?;
    let export_s = t.elapsed().as_secs_f64();
    let export_rate = export.rows as f64 / export_s;
    println!("page p50 {all_p50:.1} ms, p95 {all_p95:.1} ms (worst p95 {:.1} ms: {}); export {} rows in {export_s:.1} s ({export_rate:.0} rows/s); {per_order:.0} bytes per order", worst.0, worst.1, export.rows);

    let cores = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1);
    let mut header = String::from("| filter | matches | count ms |");
    let mut rule = String::from("|---|---:|---:|");
    for column in OrderSortColumn::ALL {
        for direction in ["↑", "↓"] {
            header.push_str(&format!(" {column:?} {direction} |"));
            rule.push_str("---:|");
        }
    }
    let section = format!(
        "## Orders list at {orders} orders\n\n\
         `counterline-cli bench orders --orders {orders} --pages {pages}` (release build, {cores} cores, one fresh SQLite file; \
         orders generated across three channels and {written}, then `ANALYZE`). \
         Each cell is p50 / p95 ms of a 100-row page over {pages} consecutive pages of that filter and sort (first page, then by cursor). \
         Target: p95 ≤ 20 ms.\n\n\
         - All pages: **p50 {all_p50:.1} ms, p95 {all_p95:.1} ms**; worst cell p95 {worst_p95:.1} ms ({worst_cell}).\n\
         - CSV export of every order (newest first): {rows} rows in {export_s:.1} s, **{export_rate:.0} rows/s**.\n\
         - Database file: {mib:.0} MiB, **{per_order:.0} bytes per order** (lines, indexes and all).\n\n\
         {header}\n{rule}\n{table}",
        orders = options.orders,
        pages = options.pages,
        worst_p95 = worst.0,
        worst_cell = worst.1,
        rows = export.rows,
        mib = bytes as f64 / 1_048_576.0,
    );
    crate::bench::write_section(&options.out, "orders", &section).map_err(|e| format!("{}: {e}", options.out))?;
    println!("wrote {}", options.out);
    Ok(())
}
