//! CSV in and out: members (preview, then all-or-nothing import; export)
//! and the SKU → category map for category punch cards.

use std::collections::HashMap;

use sqlx::SqliteConnection;

use counterline_store::now_ms;

use crate::members::{self, Clean};
use crate::model::{ImportAction, ImportPreview, ImportProblem, ImportResult, MemberInput, SkuCategory};
use crate::settings::{self, format_minor};
use crate::{apply, Error, Result};

const MAX_ROWS: usize = 100_000;
/// Rows of the preview the UI shows; the counts cover the whole file.
const PREVIEW_ROWS: usize = 200;

struct Parsed {
    rows: Vec<(i64, Clean)>,
    problems: Vec<ImportProblem>,
}

fn problem(line: i64, message: impl Into<String>) -> ImportProblem {
    ImportProblem { line, message: format!("Line {line}: {}", message.into()) }
}

/// One data row: its file line and its cells by lowercase header.
type Record = (i64, HashMap<String, String>);

/// An existing member as an import compares it: (match key, id, name, phone, note).
type MemberRow = (String, i64, Option<String>, Option<String>, Option<String>);

/// Reads a CSV with a header row into records.
fn read(text: &str, required: &str) -> Result<Vec<Record>, ImportProblem> {
    let mut reader = csv::ReaderBuilder::new().flexible(true).trim(csv::Trim::All).from_reader(text.as_bytes());
    let headers: Vec<String> = reader
        .headers()
        .map_err(|e| problem(1, format!("the header row can't be read ({e}).")))?
        .iter()
        .map(|h| h.trim_start_matches('\u{feff}').to_lowercase())
        .collect();
    if !headers.iter().any(|h| h == required) {
        return Err(problem(1, format!("the file needs a header row with a \"{required}\" column.")));
    }
    // The csv crate's own line numbers skip blank lines; the merchant's
    // editor does not, so lines are counted from the record's byte offset.
    let mut lines = LineCounter { text: text.as_bytes(), byte: 0, line: 1 };
    let mut out = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| {
            let line = e.position().map_or(0, |p| lines.at(p.byte()));
            problem(line, format!("this row can't be read ({e})."))
        })?;
        let line = record.position().map_or(0, |p| lines.at(p.byte()));
        if record.iter().all(str::is_empty) {
            continue;
        }
        let cells = headers.iter().cloned().zip(record.iter().map(str::to_owned)).collect();
        out.push((line, cells));
        if out.len() > MAX_ROWS {
            return Err(problem(line, format!("a file can hold up to {MAX_ROWS} members.")));
        }
    }
    Ok(out)
}

/// File line of a byte offset, counting forward from the last offset asked
/// (records come in file order, so the whole file is scanned once).
struct LineCounter<'a> {
    text: &'a [u8],
    byte: usize,
    line: i64,
}

impl LineCounter<'_> {
    fn at(&mut self, byte: u64) -> i64 {
        let mut byte = (byte as usize).min(self.text.len());
        // A record after blank lines starts where the blank lines do.
        while byte < self.text.len() && matches!(self.text[byte], b'\r' | b'\n') {
            byte += 1;
        }
        if byte < self.byte {
            self.byte = 0;
            self.line = 1;
        }
        self.line += self.text[self.byte..byte].iter().filter(|&&b| b == b'\n').count() as i64;
        self.byte = byte;
        self.line
    }
}

fn parse_members(text: &str) -> Parsed {
    let records = match read(text, "email") {
        Ok(records) => records,
        Err(problem) => return Parsed { rows: Vec::new(), problems: vec![problem] },
    };
    let mut parsed = Parsed { rows: Vec::with_capacity(records.len()), problems: Vec::new() };
    let mut seen: HashMap<String, i64> = HashMap::new();
    for (line, mut cells) in records {
        let mut take = |name: &str| cells.remove(name).filter(|v| !v.is_empty());
        let input = MemberInput { email: take("email").unwrap_or_default(), name: take("name"), phone: take("phone"), note: take("note") };
        if input.email.trim().is_empty() {
            parsed.problems.push(problem(line, "the email is missing."));
            continue;
        }
        match members::clean(&input) {
            Err(Error::Invalid(message)) if message.starts_with("Enter an email") => {
                parsed.problems.push(problem(line, format!("{} is not an email address.", input.email.trim())));
            }
            Err(error) => parsed.problems.push(problem(line, error.to_string())),
            Ok(member) => match seen.insert(member.email_normalized.clone(), line) {
                Some(first) => parsed.problems.push(problem(line, format!("{} is already on line {first}.", member.email))),
                None => parsed.rows.push((line, member)),
            },
        }
    }
    parsed
}

type Existing = HashMap<String, (i64, Option<String>, Option<String>, Option<String>)>;

async fn existing(conn: &mut SqliteConnection, rows: &[(i64, Clean)]) -> Result<Existing> {
    let mut out = HashMap::new();
    for chunk in rows.chunks(10_000) {
        let emails = serde_json::to_string(&chunk.iter().map(|(_, m)| &m.email_normalized).collect::<Vec<_>>())
            .map_err(|e| Error::Corrupt(e.to_string()))?;
        let found: Vec<MemberRow> = sqlx::query_as(
            "SELECT email_normalized, id, name, phone, note FROM members WHERE email_normalized IN (SELECT value FROM json_each(?))",
        )
        .bind(emails)
        .fetch_all(&mut *conn)
        .await?;
        out.extend(found.into_iter().map(|(email, id, name, phone, note)| (email, (id, name, phone, note))));
    }
    Ok(out)
}

/// What a row does: an existing email updates the fields the row has.
fn action(member: &Clean, existing: &Existing) -> (ImportAction, Option<i64>) {
    match existing.get(&member.email_normalized) {
        None => (ImportAction::Create, None),
        Some((id, name, phone, note)) => {
            let differs = |new: &Option<String>, old: &Option<String>| new.is_some() && new != old;
            let changed = differs(&member.name, name) || differs(&member.phone, phone) || differs(&member.note, note);
            (if changed { ImportAction::Update } else { ImportAction::Unchanged }, Some(*id))
        }
    }
}

/// Checks a members CSV and says what importing it would do; changes nothing.
pub async fn preview_members(conn: &mut SqliteConnection, text: &str) -> Result<ImportPreview> {
    let parsed = parse_members(text);
    let existing = existing(conn, &parsed.rows).await?;
    let mut preview = ImportPreview {
        rows: Vec::new(),
        total_rows: parsed.rows.len() as i64,
        creates: 0,
        updates: 0,
        unchanged: 0,
        problems: parsed.problems,
    };
    for (line, member) in &parsed.rows {
        let (action, _) = action(member, &existing);
        match action {
            ImportAction::Create => preview.creates += 1,
            ImportAction::Update => preview.updates += 1,
            ImportAction::Unchanged => preview.unchanged += 1,
        }
        if preview.rows.len() < PREVIEW_ROWS {
            preview.rows.push(crate::model::ImportRow {
                line: *line,
                email: member.email.clone(),
                name: member.name.clone(),
                phone: member.phone.clone(),
                note: member.note.clone(),
                action,
            });
        }
    }
    Ok(preview)
}

/// Imports a members CSV, all or nothing: any problem imports nothing.
/// Call in a transaction; new members' orders are matched before it commits.
pub async fn import_members(conn: &mut SqliteConnection, text: &str) -> Result<ImportResult> {
    let parsed = parse_members(text);
    if let Some(first) = parsed.problems.first() {
        let count = parsed.problems.len();
        let many = if count == 1 { "a problem".to_owned() } else { format!("{count} problems") };
        return Err(Error::Invalid(format!("The file has {many}, so nothing was imported. {}", first.message)));
    }
    let existing = existing(conn, &parsed.rows).await?;
    let mut result = ImportResult::default();
    let mut created = Vec::new();
    for (_, member) in &parsed.rows {
        match action(member, &existing) {
            (ImportAction::Create, _) => {
                created.push(members::insert(conn, member).await?);
                result.created += 1;
            }
            (ImportAction::Update, Some(id)) => {
                sqlx::query(
                    "UPDATE members SET name = COALESCE(?, name), phone = COALESCE(?, phone), note = COALESCE(?, note),
                            updated_at = ? WHERE id = ?",
                )
                .bind(&member.name)
                .bind(&member.phone)
                .bind(&member.note)
                .bind(now_ms())
                .bind(id)
                .execute(&mut *conn)
                .await?;
                result.updated += 1;
            }
            _ => result.unchanged += 1,
        }
    }
    apply::rematch_members(conn, &created).await?;
    Ok(result)
}

fn csv_error(e: impl std::fmt::Display) -> Error {
    Error::Corrupt(format!("CSV export: {e}"))
}

fn iso(ms: Option<i64>) -> String {
    ms.and_then(|ms| time::OffsetDateTime::from_unix_timestamp_nanos(ms as i128 * 1_000_000).ok())
        .and_then(|t| t.format(&time::format_description::well_known::Rfc3339).ok())
        .unwrap_or_default()
}

type ExportRow = (String, Option<String>, Option<String>, Option<String>, Option<String>, i64, Option<String>, i64, i64, Option<i64>, Option<i64>);

/// Every member as CSV, with their loyalty figures.
pub async fn export_members(conn: &mut SqliteConnection) -> Result<String> {
    let currency = settings::load(conn).await?.currency;
    let rows: Vec<ExportRow> = sqlx::query_as(
        "SELECT m.email, m.name, m.phone, m.note, s.tier, COALESCE(s.credit_minor, 0), s.segment,
                COALESCE(s.order_count, 0), COALESCE(s.spend_minor, 0), s.first_order_at, s.last_order_at
           FROM members m LEFT JOIN member_stats s ON s.member_id = m.id ORDER BY m.email_normalized",
    )
    .fetch_all(&mut *conn)
    .await?;
    let mut writer = csv::Writer::from_writer(Vec::new());
    writer
        .write_record(["email", "name", "phone", "note", "tier", "credit", "segment", "orders", "spend", "first_order", "last_order"])
        .map_err(csv_error)?;
    for (email, name, phone, note, tier, credit, segment, orders, spend, first, last) in rows {
        let segment = segment.as_deref().and_then(crate::model::Segment::parse).map(|s| s.label()).unwrap_or_default();
        writer
            .write_record([
                email,
                name.unwrap_or_default(),
                phone.unwrap_or_default(),
                note.unwrap_or_default(),
                tier.unwrap_or_default(),
                format_minor(credit, &currency),
                segment.to_owned(),
                orders.to_string(),
                format_minor(spend, &currency),
                iso(first),
                iso(last),
            ])
            .map_err(csv_error)?;
    }
    String::from_utf8(writer.into_inner().map_err(csv_error)?).map_err(csv_error)
}

pub async fn categories(conn: &mut SqliteConnection) -> Result<Vec<SkuCategory>> {
    let rows: Vec<(String, String)> = sqlx::query_as("SELECT sku, category FROM sku_categories ORDER BY sku")
        .fetch_all(&mut *conn)
        .await?;
    Ok(rows.into_iter().map(|(sku, category)| SkuCategory { sku, category }).collect())
}

pub async fn category_names(conn: &mut SqliteConnection) -> Result<Vec<String>> {
    Ok(sqlx::query_scalar("SELECT DISTINCT category FROM sku_categories ORDER BY category")
        .fetch_all(&mut *conn)
        .await?)
}

/// Sets (or with `None`, removes) a SKU's category, then re-stamps every
/// member if a punch card uses categories. Call in a transaction.
pub async fn set_category(conn: &mut SqliteConnection, sku: &str, category: Option<&str>) -> Result<()> {
    let sku = sku.trim();
    if sku.is_empty() {
        return Err(Error::Invalid("Enter the SKU.".into()));
    }
    match category.map(str::trim).filter(|c| !c.is_empty()) {
        Some(category) => {
            sqlx::query("INSERT INTO sku_categories (sku, category) VALUES (?, ?) ON CONFLICT (sku) DO UPDATE SET category = excluded.category")
                .bind(sku)
                .bind(category)
                .execute(&mut *conn)
                .await?;
        }
        None => {
            sqlx::query("DELETE FROM sku_categories WHERE sku = ?").bind(sku).execute(&mut *conn).await?;
        }
    }
    restamp(conn).await
}

async fn restamp(conn: &mut SqliteConnection) -> Result<()> {
    if settings::load(conn).await?.uses_categories() {
        apply::recompute_all(conn).await?;
    }
    Ok(())
}

/// Imports a `sku,category` CSV, all or nothing. Call in a transaction.
pub async fn import_categories(conn: &mut SqliteConnection, text: &str) -> Result<ImportResult> {
    let records = read(text, "sku").map_err(|p| Error::Invalid(format!("Nothing was imported. {}", p.message)))?;
    let mut pairs = Vec::with_capacity(records.len());
    for (line, cells) in records {
        let sku = cells.get("sku").cloned().unwrap_or_default();
        let category = cells.get("category").cloned().unwrap_or_default();
        if sku.is_empty() || category.is_empty() {
            return Err(Error::Invalid(format!("Nothing was imported. Line {line}: a row needs a SKU and a category.")));
        }
        pairs.push((sku, category));
    }
    let known: HashMap<String, String> = categories(conn).await?.into_iter().map(|c| (c.sku, c.category)).collect();
    let mut result = ImportResult::default();
    for (sku, category) in pairs {
        match known.get(&sku) {
            None => result.created += 1,
            Some(old) if *old != category => result.updated += 1,
            Some(_) => result.unchanged += 1,
        }
        sqlx::query("INSERT INTO sku_categories (sku, category) VALUES (?, ?) ON CONFLICT (sku) DO UPDATE SET category = excluded.category")
            .bind(&sku)
            .bind(&category)
            .execute(&mut *conn)
            .await?;
    }
    restamp(conn).await?;
    Ok(result)
}
