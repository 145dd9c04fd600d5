//! Members: the merchant's list (create, edit, delete, search) and the
//! profile read from the derived tables. Every change that affects matching
//! re-applies the rules in the same transaction.

use sqlx::{QueryBuilder, Row, Sqlite, SqliteConnection};

use counterline_store::model::{normalize_email, OrderStatus, Platform};
use counterline_store::now_ms;

use crate::apply;
use crate::model::{
    LedgerEntry, LedgerKind, Member, MemberInput, MemberOrder, MemberOrdersPage, MemberProfile, MemberQuery, MemberSort,
    MembersPage, PunchCardProgress, PunchReward, RfmScore, Segment, TierChange,
};
use crate::settings::{self, format_minor};
use crate::{Error, Result};

/// A member's fields as stored: trimmed, empty is none, email checked.
pub(crate) struct Clean {
    pub email: String,
    pub email_normalized: String,
    pub name: Option<String>,
    pub phone: Option<String>,
    pub note: Option<String>,
}

fn optional(value: &Option<String>) -> Option<String> {
    value.as_deref().map(str::trim).filter(|v| !v.is_empty()).map(str::to_owned)
}

/// A plausible address: one `@`, something before it, a dot after it, no spaces.
pub(crate) fn email_ok(email: &str) -> bool {
    let Some((local, domain)) = email.split_once('@') else { return false };
    !local.is_empty()
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !domain.contains('@')
        && !email.chars().any(char::is_whitespace)
}

pub(crate) fn clean(input: &MemberInput) -> Result<Clean> {
    let email = input.email.trim().to_owned();
    let Some(email_normalized) = normalize_email(&email).filter(|e| email_ok(e)) else {
        return Err(Error::Invalid("Enter an email address, like name@example.com.".into()));
    };
    let too_long = [&input.name, &input.phone].iter().any(|v| v.as_ref().is_some_and(|v| v.chars().count() > 200))
        || input.note.as_ref().is_some_and(|n| n.chars().count() > 2_000);
    if too_long || email.chars().count() > 254 {
        return Err(Error::Invalid("That is too long: names and phones up to 200 characters, notes up to 2,000.".into()));
    }
    Ok(Clean { email, email_normalized, name: optional(&input.name), phone: optional(&input.phone), note: optional(&input.note) })
}

async fn email_taken(conn: &mut SqliteConnection, normalized: &str, except: i64) -> Result<bool> {
    Ok(sqlx::query_scalar::<_, i64>("SELECT id FROM members WHERE email_normalized = ? AND id <> ?")
        .bind(normalized)
        .bind(except)
        .fetch_optional(&mut *conn)
        .await?
        .is_some())
}

/// Adds a member and matches the orders already there. Call in a transaction.
pub async fn create(conn: &mut SqliteConnection, input: &MemberInput) -> Result<i64> {
    let member = clean(input)?;
    if email_taken(conn, &member.email_normalized, 0).await? {
        return Err(Error::Invalid(format!("Another member already has the email {}.", member.email)));
    }
    let id = insert(conn, &member).await?;
    apply::rematch_member(conn, id).await?;
    Ok(id)
}

pub(crate) async fn insert(conn: &mut SqliteConnection, member: &Clean) -> Result<i64> {
    let now = now_ms();
    Ok(sqlx::query_scalar(
        "INSERT INTO members (email, email_normalized, name, phone, note, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
    )
    .bind(&member.email)
    .bind(&member.email_normalized)
    .bind(&member.name)
    .bind(&member.phone)
    .bind(&member.note)
    .bind(now)
    .bind(now)
    .fetch_one(&mut *conn)
    .await?)
}

/// Edits a member; a changed email re-matches their orders. Call in a transaction.
pub async fn update(conn: &mut SqliteConnection, id: i64, input: &MemberInput) -> Result<()> {
    let member = clean(input)?;
    let old: Option<String> = sqlx::query_scalar("SELECT email_normalized FROM members WHERE id = ?")
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?;
    let Some(old) = old else { return Err(Error::NotFound("member")) };
    if email_taken(conn, &member.email_normalized, id).await? {
        return Err(Error::Invalid(format!("Another member already has the email {}.", member.email)));
    }
    sqlx::query("UPDATE members SET email = ?, email_normalized = ?, name = ?, phone = ?, note = ?, updated_at = ? WHERE id = ?")
        .bind(&member.email)
        .bind(&member.email_normalized)
        .bind(&member.name)
        .bind(&member.phone)
        .bind(&member.note)
        .bind(now_ms())
        .bind(id)
        .execute(&mut *conn)
        .await?;
    if old != member.email_normalized {
        apply::rematch_member(conn, id).await?;
    }
    Ok(())
}

/// Deletes a member with their loyalty records; their orders stay, unmatched.
pub async fn delete(conn: &mut SqliteConnection, id: i64) -> Result<()> {
    // Their matched orders (and so their ledger's order entries), stats,
    // tier history, rewards and adjustments go with them by cascade.
    let done = sqlx::query("DELETE FROM members WHERE id = ?").bind(id).execute(&mut *conn).await?;
    if done.rows_affected() == 0 {
        return Err(Error::NotFound("member"));
    }
    Ok(())
}

/// A manual credit adjustment with its reason; the balance can't go below zero.
pub async fn adjust_credit(conn: &mut SqliteConnection, id: i64, amount_minor: i64, reason: &str) -> Result<LedgerEntry> {
    let reason = reason.trim();
    if reason.is_empty() {
        return Err(Error::Invalid("Say why you are adjusting the credit.".into()));
    }
    if amount_minor == 0 {
        return Err(Error::Invalid("The adjustment can't be zero.".into()));
    }
    let (exists, balance): (bool, i64) = sqlx::query_as(
        "SELECT EXISTS (SELECT 1 FROM members WHERE id = ?1),
                (SELECT COALESCE(SUM(amount_minor), 0) FROM member_ledger WHERE member_id = ?1)",
    )
    .bind(id)
    .fetch_one(&mut *conn)
    .await?;
    if !exists {
        return Err(Error::NotFound("member"));
    }
    if balance + amount_minor < 0 {
        let currency = settings::load(conn).await?.currency;
        return Err(Error::Invalid(format!(
            "An adjustment can't take the balance below zero (it is {} {currency}).",
            format_minor(balance, &currency)
        )));
    }
    let now = now_ms();
    let entry_id: i64 = sqlx::query_scalar(
        "INSERT INTO credit_adjustments (member_id, amount_minor, at, reason) VALUES (?, ?, ?, ?) RETURNING id",
    )
    .bind(id)
    .bind(amount_minor)
    .bind(now)
    .bind(reason)
    .fetch_one(&mut *conn)
    .await?;
    apply::refresh_credit(conn, id).await?;
    Ok(LedgerEntry {
        id: entry_id,
        at: now,
        kind: LedgerKind::Manual,
        amount_minor,
        order_id: None,
        order_number: None,
        reason: reason.to_owned(),
        balance_minor: balance + amount_minor,
    })
}

const MEMBER_COLUMNS: &str = "m.id, m.email, m.name, m.phone, m.note, m.created_at, m.updated_at,
    COALESCE(s.order_count, 0) AS order_count, COALESCE(s.spend_minor, 0) AS spend_minor,
    COALESCE(s.credit_minor, 0) AS credit_minor, s.tier, s.segment, s.first_order_at, s.last_order_at";

fn member_of(row: &sqlx::sqlite::SqliteRow) -> Member {
    Member {
        id: row.get("id"),
        email: row.get("email"),
        name: row.get("name"),
        phone: row.get("phone"),
        note: row.get("note"),
        created_at: row.get("created_at"),
        updated_at: row.get("updated_at"),
        order_count: row.get("order_count"),
        spend_minor: row.get("spend_minor"),
        credit_minor: row.get("credit_minor"),
        tier: row.get("tier"),
        segment: row.get::<Option<String>, _>("segment").as_deref().and_then(Segment::parse),
        first_order_at: row.get("first_order_at"),
        last_order_at: row.get("last_order_at"),
    }
}

fn push_member_filters(builder: &mut QueryBuilder<'_, Sqlite>, query: &MemberQuery) {
    builder.push(" WHERE 1 = 1");
    if let Some(text) = query.text.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
        let pattern = format!("%{}%", text.to_lowercase().replace(['%', '_'], ""));
        builder
            .push(" AND (m.email_normalized LIKE ")
            .push_bind(pattern.clone())
            .push(" OR lower(m.name) LIKE ")
            .push_bind(pattern)
            .push(")");
    }
    if let Some(segment) = query.segment {
        builder.push(" AND s.segment = ").push_bind(segment.as_str());
    }
    if let Some(tier) = &query.tier {
        builder.push(" AND s.tier = ").push_bind(tier.clone());
    }
}

pub async fn list(conn: &mut SqliteConnection, query: &MemberQuery) -> Result<MembersPage> {
    let mut builder = QueryBuilder::<Sqlite>::new(format!(
        "SELECT {MEMBER_COLUMNS} FROM members m LEFT JOIN member_stats s ON s.member_id = m.id"
    ));
    push_member_filters(&mut builder, query);
    let column = match query.sort {
        MemberSort::Name => "lower(COALESCE(m.name, m.email_normalized))",
        MemberSort::Email => "m.email_normalized",
        MemberSort::Spend => "COALESCE(s.spend_minor, 0)",
        MemberSort::LastOrder => "COALESCE(s.last_order_at, 0)",
        MemberSort::Created => "m.created_at",
    };
    let direction = if query.descending { "DESC" } else { "ASC" };
    builder.push(format!(" ORDER BY {column} {direction}, m.id {direction} LIMIT "));
    builder.push_bind(query.limit.clamp(1, 500) as i64).push(" OFFSET ").push_bind(query.offset as i64);
    let rows = builder.build().fetch_all(&mut *conn).await?.iter().map(member_of).collect();
    let mut count = QueryBuilder::<Sqlite>::new("SELECT COUNT(*) FROM members m LEFT JOIN member_stats s ON s.member_id = m.id");
    push_member_filters(&mut count, query);
    let total = count.build_query_scalar().fetch_one(&mut *conn).await?;
    Ok(MembersPage { rows, total })
}

pub async fn get(conn: &mut SqliteConnection, id: i64) -> Result<Member> {
    let row = sqlx::query(&format!(
        "SELECT {MEMBER_COLUMNS} FROM members m LEFT JOIN member_stats s ON s.member_id = m.id WHERE m.id = ?"
    ))
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?
    .ok_or(Error::NotFound("member"))?;
    Ok(member_of(&row))
}

/// (recency, frequency, monetary, segment, scored at), all set once a member is scored.
type ScoreRow = (i64, i64, i64, String, i64);
/// `member_stats`' score columns as stored (NULL until scored), then the other-currency count.
type StoredScore = (Option<i64>, Option<i64>, Option<i64>, Option<String>, Option<i64>, i64);

pub async fn profile(conn: &mut SqliteConnection, id: i64) -> Result<MemberProfile> {
    let member = get(conn, id).await?;
    let settings = settings::load(conn).await?;
    let (rfm_row, other): (Option<ScoreRow>, i64) = {
        let row: Option<StoredScore> = sqlx::query_as(
            "SELECT recency, frequency, monetary, segment, scored_at, other_currency FROM member_stats WHERE member_id = ?",
        )
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?;
        match row {
            Some((Some(r), Some(f), Some(m), Some(s), Some(at), other)) => (Some((r, f, m, s, at)), other),
            Some((.., other)) => (None, other),
            None => (None, 0),
        }
    };
    let rfm = rfm_row.and_then(|(r, f, m, s, at)| {
        Some(RfmScore { recency: r as u8, frequency: f as u8, monetary: m as u8, segment: Segment::parse(&s)?, computed_at: at })
    });
    let tier_history = sqlx::query(
        "SELECT t.at, t.from_tier, t.to_tier, t.order_id, o.number, t.reason FROM tier_changes t
           LEFT JOIN orders o ON o.id = t.order_id WHERE t.member_id = ? ORDER BY t.seq DESC",
    )
    .bind(id)
    .fetch_all(&mut *conn)
    .await?
    .iter()
    .map(|row| TierChange {
        at: row.get(0),
        from: row.get(1),
        to: row.get(2),
        order_id: row.get(3),
        order_number: row.get(4),
        reason: row.get(5),
    })
    .collect();
    let ledger_rows = sqlx::query(
        "SELECT l.id, l.at, l.kind, l.amount_minor, l.order_id, o.number, l.reason FROM member_ledger l
           LEFT JOIN orders o ON o.id = l.order_id WHERE l.member_id = ? ORDER BY l.at, l.id",
    )
    .bind(id)
    .fetch_all(&mut *conn)
    .await?;
    let mut balance = 0;
    let mut ledger = Vec::with_capacity(ledger_rows.len());
    for row in &ledger_rows {
        let amount: i64 = row.get(3);
        balance += amount;
        let kind: String = row.get(2);
        ledger.push(LedgerEntry {
            id: row.get(0),
            at: row.get(1),
            kind: LedgerKind::parse(&kind).ok_or_else(|| Error::Corrupt(format!("ledger kind {kind:?}")))?,
            amount_minor: amount,
            order_id: row.get(4),
            order_number: row.get(5),
            reason: row.get(6),
            balance_minor: balance,
        });
    }
    ledger.reverse();
    let stamp_rows: Vec<String> = sqlx::query_scalar("SELECT stamp_cards FROM member_orders WHERE member_id = ?")
        .bind(id)
        .fetch_all(&mut *conn)
        .await?;
    let mut totals = std::collections::HashMap::<i64, i64>::new();
    for cards in stamp_rows {
        for card in serde_json::from_str::<Vec<i64>>(&cards).map_err(|e| Error::Corrupt(e.to_string()))? {
            *totals.entry(card).or_default() += 1;
        }
    }
    let mut punch_cards = Vec::new();
    for card in settings.punch_cards.iter().filter(|c| c.active) {
        let rewards = sqlx::query(
            "SELECT r.number, r.at, r.order_id, o.number FROM punch_rewards r JOIN orders o ON o.id = r.order_id
              WHERE r.member_id = ? AND r.card_id = ? ORDER BY r.number DESC",
        )
        .bind(id)
        .bind(card.id)
        .fetch_all(&mut *conn)
        .await?
        .iter()
        .map(|row| PunchReward { number: row.get(0), at: row.get(1), order_id: row.get(2), order_number: row.get(3) })
        .collect();
        let total = totals.get(&card.id).copied().unwrap_or(0);
        punch_cards.push(PunchCardProgress {
            card_id: card.id,
            name: card.name.clone(),
            reward: card.reward.clone(),
            stamps_required: card.stamps_required,
            stamps: total % card.stamps_required,
            total_stamps: total,
            rewards,
        });
    }
    Ok(MemberProfile { member, rfm, tier_history, ledger, punch_cards, currency: settings.currency, orders_other_currency: other })
}

/// The member's orders from every channel, newest first. The cursor is
/// `"createdAt:orderId"` of the last row.
pub async fn orders(conn: &mut SqliteConnection, id: i64, after: Option<&str>, limit: u32) -> Result<MemberOrdersPage> {
    let limit = limit.clamp(1, 500) as i64;
    let after = match after {
        None => None,
        Some(cursor) => {
            let parsed = cursor.split_once(':').and_then(|(a, b)| Some((a.parse::<i64>().ok()?, b.parse::<i64>().ok()?)));
            Some(parsed.ok_or_else(|| Error::Invalid("That page of orders is out of date; reload the member.".into()))?)
        }
    };
    let rows = sqlx::query(
        "SELECT o.id, o.channel_id, c.name, c.platform,
                CASE WHEN c.order_prefix = '' THEN o.number ELSE c.order_prefix || ltrim(o.number, '#') END,
                o.created_at, o.status, o.currency, o.total_minor, o.refunded_minor,
                mo.spend_minor, mo.counted, mo.earned_minor - mo.reversed_minor, mo.stamp_cards
           FROM member_orders mo JOIN orders o ON o.id = mo.order_id JOIN channels c ON c.id = o.channel_id
          WHERE mo.member_id = ?1 AND (?2 IS NULL OR (mo.created_at, mo.order_id) < (?2, ?3))
          ORDER BY mo.created_at DESC, mo.order_id DESC LIMIT ?4",
    )
    .bind(id)
    .bind(after.map(|a| a.0))
    .bind(after.map(|a| a.1))
    .bind(limit + 1)
    .fetch_all(&mut *conn)
    .await?;
    let mut out = Vec::with_capacity(rows.len());
    for row in rows.iter().take(limit as usize) {
        let stamps: String = row.get(13);
        out.push(MemberOrder {
            order_id: row.get(0),
            channel_id: row.get(1),
            channel_name: row.get(2),
            platform: Platform::parse(row.get(3))?,
            number: row.get(4),
            created_at: row.get(5),
            status: OrderStatus::parse(row.get(6))?,
            currency: row.get(7),
            total_minor: row.get(8),
            refunded_minor: row.get(9),
            spend_minor: row.get(10),
            counted: row.get::<i64, _>(11) == 1,
            earned_minor: row.get(12),
            stamped: stamps != "[]",
        });
    }
    let next = (rows.len() as i64 > limit).then(|| out.last().map(|o| format!("{}:{}", o.created_at, o.order_id))).flatten();
    Ok(MemberOrdersPage { rows: out, next })
}
