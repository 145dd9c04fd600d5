//! The current list (filter and sort) as CSV, written row by row while the
//! list is read page by page, so a million orders never sit in memory.
//! Quoting is the `csv` crate's (RFC 4180), never string concatenation.

use std::io::Write;
use std::path::Path;

use serde::Serialize;
use sqlx::SqliteConnection;
use ts_rs::TS;

use crate::model::OrderRow;
use crate::order_events::status_label;
use crate::order_list::{self, OrderFilter, OrderQuery, OrderSort};
use crate::{Error, Result};

pub const HEADER: [&str; 12] = [
    "Order", "Date (UTC)", "Customer", "Email", "Channel", "Status", "Payment status", "Fulfillment status", "Total",
    "Currency", "Items", "Sync",
];

/// Digits after the decimal point: ISO 4217 exponents that aren't 2.
fn exponent(currency: &str) -> u32 {
    match currency {
        "BIF" | "CLP" | "DJF" | "GNF" | "ISK" | "JPY" | "KMF" | "KRW" | "PYG" | "RWF" | "UGX" | "UYI" | "VND" | "VUV"
        | "XAF" | "XOF" | "XPF" => 0,
        "BHD" | "IQD" | "JOD" | "KWD" | "LYD" | "OMR" | "TND" => 3,
        _ => 2,
    }
}

/// Minor units as a plain decimal ("1234.50"), what spreadsheets read.
pub fn decimal(minor: i64, currency: &str) -> String {
    let digits = exponent(currency);
    if digits == 0 {
        return minor.to_string();
    }
    let scale = 10i64.pow(digits);
    let sign = if minor < 0 { "-" } else { "" };
    let abs = minor.unsigned_abs();
    format!("{sign}{}.{:0width$}", abs / scale as u64, abs % scale as u64, width = digits as usize)
}

/// "2026-11-24 09:05:00" from UTC ms (civil-from-days, no time zone data).
pub fn utc(ms: i64) -> String {
    let secs = ms.div_euclid(1000);
    let (days, rest) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02} {:02}:{:02}:{:02}", rest / 3600, rest % 3600 / 60, rest % 60)
}

/// Text a customer typed, made inert for spreadsheets: a cell starting with
/// `=`, `+`, `-`, `@` or a control character would run as a formula.
pub fn inert(text: &str) -> String {
    match text.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{text}"),
        _ => text.to_owned(),
    }
}

fn record(row: &OrderRow) -> [String; 12] {
    [
        inert(&row.number),
        utc(row.created_at),
        inert(row.customer_name.as_deref().unwrap_or_default()),
        inert(row.email.as_deref().unwrap_or_default()),
        inert(&row.channel_name),
        status_label(row.status).to_owned(),
        inert(row.financial_status.as_deref().unwrap_or_default()),
        inert(row.fulfillment_status.as_deref().unwrap_or_default()),
        decimal(row.total_minor, &row.currency),
        row.currency.clone(),
        row.item_count.to_string(),
        format!("{:?}", row.sync_state).to_lowercase(),
    ]
}

/// Writes every order matching `filter`, in `sort` order; returns the rows written.
pub async fn export(conn: &mut SqliteConnection, filter: &OrderFilter, sort: OrderSort, out: impl Write) -> Result<i64> {
    let io = |e: csv::Error| Error::Corrupt(format!("writing the CSV file: {e}"));
    let mut writer = csv::Writer::from_writer(out);
    writer.write_record(HEADER).map_err(io)?;
    let mut query = OrderQuery { filter: filter.clone(), sort, after: None, limit: 500 };
    let mut rows = 0;
    loop {
        let page = order_list::page(conn, &query).await?;
        for row in &page.rows {
            writer.write_record(record(row)).map_err(io)?;
        }
        rows += page.rows.len() as i64;
        match page.next {
            Some(next) => query.after = Some(next),
            None => break,
        }
    }
    writer.flush().map_err(|e| Error::Corrupt(format!("writing the CSV file: {e}")))?;
    Ok(rows)
}

/// A finished export: where it is and how many orders it holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct CsvExport {
    pub path: String,
    #[ts(type = "number")]
    pub rows: i64,
}

/// `orders-2026-11-24-090500.csv` for an export started at `now` (UTC).
pub fn file_name(now: i64) -> String {
    let stamp = utc(now);
    format!("orders-{}-{}.csv", &stamp[..10], stamp[11..].replace(':', ""))
}

/// Writes the export into `dir` as [`file_name`]. It is written under a
/// `.part` name and renamed when complete, so a failed export never leaves
/// a half file that looks finished.
pub async fn export_to_dir(conn: &mut SqliteConnection, filter: &OrderFilter, sort: OrderSort, dir: &Path, now: i64) -> Result<CsvExport> {
    let path = dir.join(file_name(now));
    let part = path.with_extension("csv.part");
    let file_error = |path: &Path| {
        let path = path.display().to_string();
        move |source| Error::File { path, source }
    };
    std::fs::create_dir_all(dir).map_err(file_error(dir))?;
    let file = std::fs::File::create(&part).map_err(file_error(&part))?;
    let rows = match export(conn, filter, sort, std::io::BufWriter::new(file)).await {
        Ok(rows) => rows,
        Err(error) => {
            let _ = std::fs::remove_file(&part);
            return Err(error);
        }
    };
    std::fs::rename(&part, &path).map_err(file_error(&path))?;
    Ok(CsvExport { path: path.display().to_string(), rows })
}

#[cfg(test)]
mod tests {
    use super::{decimal, file_name, utc};

    #[test]
    fn the_file_is_named_after_the_moment_of_export() {
        assert_eq!(file_name(1_795_993_500_000), "orders-2026-11-29-230500.csv");
    }

    #[test]
    fn money_and_dates_read_the_way_a_spreadsheet_expects() {
        assert_eq!(decimal(123_450, "USD"), "1234.50");
        assert_eq!(decimal(-5, "EUR"), "-0.05");
        assert_eq!(decimal(1200, "JPY"), "1200");
        assert_eq!(decimal(1_234, "KWD"), "1.234");
        assert_eq!(utc(0), "1970-01-01 00:00:00");
        assert_eq!(utc(1_795_993_500_000), "2026-11-29 23:05:00");
    }
}
