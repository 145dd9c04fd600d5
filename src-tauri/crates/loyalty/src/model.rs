//! The types members and loyalty show the UI (see `/work/contracts/loyalty.md`).
//! Generated TypeScript lives in `ui/src/bindings/`; field comments here are
//! plain `//` so the bindings match the ones the UI was built with. Money is integer minor
//! units of the program currency; times are UTC ms.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use counterline_store::model::{OrderStatus, Platform};

// RFM segments, reference §3.4's R×F grid collapsed to six (§3.5).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum Segment {
    Champions,
    Loyal,
    Recent,
    NeedsAttention,
    AtRisk,
    Inactive,
}

impl Segment {
    pub const ALL: [Segment; 6] =
        [Segment::Champions, Segment::Loyal, Segment::Recent, Segment::NeedsAttention, Segment::AtRisk, Segment::Inactive];

    pub fn as_str(self) -> &'static str {
        match self {
            Segment::Champions => "champions",
            Segment::Loyal => "loyal",
            Segment::Recent => "recent",
            Segment::NeedsAttention => "needsAttention",
            Segment::AtRisk => "atRisk",
            Segment::Inactive => "inactive",
        }
    }

    pub fn parse(value: &str) -> Option<Segment> {
        Segment::ALL.into_iter().find(|s| s.as_str() == value)
    }

    pub fn label(self) -> &'static str {
        match self {
            Segment::Champions => "Champions",
            Segment::Loyal => "Loyal",
            Segment::Recent => "Recent",
            Segment::NeedsAttention => "Needs Attention",
            Segment::AtRisk => "At Risk",
            Segment::Inactive => "Inactive",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Member {
    #[ts(type = "number")]
    pub id: i64,
    pub email: String,
    pub name: Option<String>,
    pub phone: Option<String>,
    pub note: Option<String>,
    #[ts(type = "number")]
    pub created_at: i64,
    #[ts(type = "number")]
    pub updated_at: i64,
    #[ts(type = "number")]
    pub order_count: i64,
    #[ts(type = "number")]
    pub spend_minor: i64,
    #[ts(type = "number")]
    pub credit_minor: i64,
    pub tier: Option<String>,
    pub segment: Option<Segment>,
    #[ts(type = "number | null")]
    pub first_order_at: Option<i64>,
    #[ts(type = "number | null")]
    pub last_order_at: Option<i64>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum MemberSort {
    Name,
    Email,
    Spend,
    LastOrder,
    Created,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct MemberQuery {
    pub text: Option<String>,
    pub segment: Option<Segment>,
    pub tier: Option<String>,
    pub sort: MemberSort,
    pub descending: bool,
    pub offset: u32,
    pub limit: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct MembersPage {
    pub rows: Vec<Member>,
    #[ts(type = "number")]
    pub total: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct MemberInput {
    pub email: String,
    pub name: Option<String>,
    pub phone: Option<String>,
    pub note: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct RfmScore {
    pub recency: u8,
    pub frequency: u8,
    pub monetary: u8,
    pub segment: Segment,
    #[ts(type = "number")]
    pub computed_at: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct TierChange {
    #[ts(type = "number")]
    pub at: i64,
    pub from: Option<String>,
    pub to: Option<String>,
    #[ts(type = "number | null")]
    pub order_id: Option<i64>,
    pub order_number: Option<String>,
    pub reason: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum LedgerKind {
    Earn,
    Reversal,
    Manual,
}

impl LedgerKind {
    pub fn as_str(self) -> &'static str {
        match self {
            LedgerKind::Earn => "earn",
            LedgerKind::Reversal => "reversal",
            LedgerKind::Manual => "manual",
        }
    }

    pub fn parse(value: &str) -> Option<LedgerKind> {
        [LedgerKind::Earn, LedgerKind::Reversal, LedgerKind::Manual].into_iter().find(|k| k.as_str() == value)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct LedgerEntry {
    #[ts(type = "number")]
    pub id: i64,
    #[ts(type = "number")]
    pub at: i64,
    pub kind: LedgerKind,
    #[ts(type = "number")]
    pub amount_minor: i64,
    #[ts(type = "number | null")]
    pub order_id: Option<i64>,
    pub order_number: Option<String>,
    pub reason: String,
    // The balance right after this entry.
    #[ts(type = "number")]
    pub balance_minor: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct PunchReward {
    #[ts(type = "number")]
    pub number: i64,
    #[ts(type = "number")]
    pub at: i64,
    #[ts(type = "number")]
    pub order_id: i64,
    pub order_number: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct PunchCardProgress {
    #[ts(type = "number")]
    pub card_id: i64,
    pub name: String,
    pub reward: String,
    #[ts(type = "number")]
    pub stamps_required: i64,
    // Stamps on the current card: 0..stamps_required.
    #[ts(type = "number")]
    pub stamps: i64,
    #[ts(type = "number")]
    pub total_stamps: i64,
    pub rewards: Vec<PunchReward>,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct MemberProfile {
    pub member: Member,
    pub rfm: Option<RfmScore>,
    pub tier_history: Vec<TierChange>,
    pub ledger: Vec<LedgerEntry>,
    pub punch_cards: Vec<PunchCardProgress>,
    pub currency: String,
    #[ts(type = "number")]
    pub orders_other_currency: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct MemberOrder {
    #[ts(type = "number")]
    pub order_id: i64,
    #[ts(type = "number")]
    pub channel_id: i64,
    pub channel_name: String,
    pub platform: Platform,
    pub number: String,
    #[ts(type = "number")]
    pub created_at: i64,
    pub status: OrderStatus,
    pub currency: String,
    #[ts(type = "number")]
    pub total_minor: i64,
    #[ts(type = "number")]
    pub refunded_minor: i64,
    #[ts(type = "number")]
    pub spend_minor: i64,
    pub counted: bool,
    #[ts(type = "number")]
    pub earned_minor: i64,
    pub stamped: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct MemberOrdersPage {
    pub rows: Vec<MemberOrder>,
    pub next: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum ImportAction {
    Create,
    Update,
    Unchanged,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ImportRow {
    #[ts(type = "number")]
    pub line: i64,
    pub email: String,
    pub name: Option<String>,
    pub phone: Option<String>,
    pub note: Option<String>,
    pub action: ImportAction,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ImportProblem {
    #[ts(type = "number")]
    pub line: i64,
    pub message: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ImportPreview {
    pub rows: Vec<ImportRow>,
    #[ts(type = "number")]
    pub total_rows: i64,
    #[ts(type = "number")]
    pub creates: i64,
    #[ts(type = "number")]
    pub updates: i64,
    #[ts(type = "number")]
    pub unchanged: i64,
    pub problems: Vec<ImportProblem>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ImportResult {
    #[ts(type = "number")]
    pub created: i64,
    #[ts(type = "number")]
    pub updated: i64,
    #[ts(type = "number")]
    pub unchanged: i64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum UnmatchedReason {
    NoEmail,
    NoMember,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct UnmatchedOrder {
    #[ts(type = "number")]
    pub order_id: i64,
    #[ts(type = "number")]
    pub channel_id: i64,
    pub channel_name: String,
    pub platform: Platform,
    pub number: String,
    #[ts(type = "number")]
    pub created_at: i64,
    pub email: Option<String>,
    pub customer_name: Option<String>,
    #[ts(type = "number")]
    pub total_minor: i64,
    pub currency: String,
    pub reason: UnmatchedReason,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct UnmatchedQuery {
    #[ts(type = "number | null")]
    pub channel_id: Option<i64>,
    pub reason: Option<UnmatchedReason>,
    pub after: Option<String>,
    pub limit: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct UnmatchedPage {
    pub rows: Vec<UnmatchedOrder>,
    pub next: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct UnmatchedSummary {
    #[ts(type = "number")]
    pub no_email: i64,
    #[ts(type = "number")]
    pub no_member: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct SkuCategory {
    pub sku: String,
    pub category: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct SegmentCount {
    pub segment: Segment,
    #[ts(type = "number")]
    pub members: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct RfmSummary {
    #[ts(type = "number")]
    pub computed_at: i64,
    // Members scored (those with at least one counted order).
    #[ts(type = "number")]
    pub members: i64,
    pub by_segment: Vec<SegmentCount>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum Bucket {
    Day,
    Week,
    Month,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct InsightsQuery {
    #[ts(type = "number")]
    pub from: i64,
    #[ts(type = "number")]
    pub to: i64,
    pub bucket: Option<Bucket>,
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct RatePoint {
    #[ts(type = "number")]
    pub start: i64,
    #[ts(type = "number")]
    pub end: i64,
    pub rate: f64,
    #[ts(type = "number")]
    pub repeaters: i64,
    #[ts(type = "number")]
    pub buyers: i64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct MoneyPoint {
    #[ts(type = "number")]
    pub start: i64,
    #[ts(type = "number")]
    pub end: i64,
    #[ts(type = "number")]
    pub amount_minor: i64,
    #[ts(type = "number")]
    pub members: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct SegmentPoint {
    #[ts(type = "number")]
    pub at: i64,
    pub counts: Vec<SegmentCount>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct TierCount {
    pub tier: Option<String>,
    #[ts(type = "number")]
    pub members: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct TierPoint {
    #[ts(type = "number")]
    pub at: i64,
    pub counts: Vec<TierCount>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Definition {
    pub title: String,
    pub text: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Insights {
    #[ts(type = "number")]
    pub from: i64,
    #[ts(type = "number")]
    pub to: i64,
    pub bucket: Bucket,
    pub currency: String,
    pub repeat_purchase_rate: Vec<RatePoint>,
    pub spend_per_member: Vec<MoneyPoint>,
    pub lifetime_value: Vec<MoneyPoint>,
    pub members_by_segment: Vec<SegmentPoint>,
    pub members_by_tier: Vec<TierPoint>,
    pub definitions: Vec<Definition>,
}
