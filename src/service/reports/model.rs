//! The read model of a satisfaction report: every figure of one scope and period, computed once
//! (by [`super::monthly`]) and rendered by each format in `src/report/` without computing
//! anything again, so HTML, CSV, XLSX and JSON always agree. The JSON format is this struct as
//! serde writes it (documented in the OpenAPI as `Report`).
//!
//! Rates are fractions 0–1; scores are numbers with one decimal, exactly as printed (see
//! docs/measures.md). A suppressed item (fewer ratings than the minimum count) keeps its counts
//! and has `null` for every rate, score, band and rank.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::domain::period::{Month, Period};

/// One report.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Report {
    pub scope: Scope,
    pub period: PeriodInfo,
    /// The scope as a whole.
    pub summary: Summary,
    /// Every unit of the scope with desks or ratings: figures of its own desks, ranked.
    pub units: Vec<Figures>,
    pub desks: Vec<Figures>,
    pub officers: Vec<Figures>,
    pub behaviours: Behaviours,
    pub cases: Cases,
    pub trend: Trend,
    pub signals: Vec<Signal>,
    pub notes: Notes,
}

/// Whom the report covers.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Scope {
    /// The unit at the top of the scope.
    pub code: String,
    pub name: String,
    /// True for the whole organisation (every top-level unit).
    pub whole_organisation: bool,
    /// Units in the scope (the subtree).
    pub unit_count: usize,
    pub desk_count: usize,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct PeriodInfo {
    /// `YYYY-MM` of the first and last months (the same for a monthly report).
    pub first: Month,
    pub last: Month,
    /// "tháng 11/2026" / "từ tháng 11/2025 đến tháng 10/2026".
    pub label_vi: String,
    pub label_en: String,
    /// The period's end, exclusive (local midnight starting the next month), RFC 3339.
    pub ends_at: String,
    /// When the report was computed, RFC 3339.
    pub generated_at: String,
    /// The ratings below which figures are suppressed (`reports.min_count`).
    pub min_count: u64,
    /// The satisfaction scale the levels are shown on: "vn3" or "vn5".
    pub scale: String,
}

impl PeriodInfo {
    pub fn period(&self) -> Period {
        Period { first: self.first, last: self.last }
    }
}

/// The headline: the scope's figures, and how they moved since the previous period.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Summary {
    #[serde(flatten)]
    pub figures: Figures,
    /// The same figures for the previous period of the same length.
    pub previous_ratings: u64,
    pub previous_satisfaction_rate: Option<f64>,
    /// Change of the satisfaction rate in percentage points (null when either is missing or
    /// suppressed).
    pub change_points: Option<f64>,
}

/// What kind of item a row of figures is about.
#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum Item {
    Scope,
    Unit,
    Desk,
    Officer,
}

/// The figures of one scope, unit, desk or officer.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Figures {
    pub item: Item,
    pub code: String,
    pub name: String,
    /// The unit a desk or officer belongs to (its code); the parent of a unit; empty for the scope.
    pub unit_code: String,
    pub unit_name: String,
    pub ratings: u64,
    /// Ratings per level: keys "3", "2", "1" (or "5".."1" on the five-level scale).
    pub levels: BTreeMap<String, u64>,
    pub satisfied: u64,
    pub dissatisfied: u64,
    /// Ratings that opened a case (whatever became of it).
    pub with_case: u64,
    pub suppressed: bool,
    pub satisfaction_rate: Option<f64>,
    pub wilson_lower: Option<f64>,
    /// 1 = best among its kind in the report, by `wilson_lower`; null when suppressed.
    pub rank: Option<u32>,
    /// Decision 766 style, over ratings (labelled so: the decision counts files).
    pub rate_766_ratings: Option<f64>,
    /// Files handled as entered (`hailong files set`); null when none were entered.
    pub files: Option<u64>,
    /// Decision 766 rate over the files entered, and coverage (ratings / files).
    pub rate_766_files: Option<f64>,
    pub coverage: Option<f64>,
    pub ratings_exceed_files: bool,
    /// Circular 01/2018 indices with data.
    pub indices: Indices,
    /// Officers: index 1 + 3 + 4 + 7 as printed, with its band when all four have data.
    pub officer_score: Option<Score>,
    /// Units and the scope: sum of the index scores with data, "(n of 9 indices)".
    pub unit_total: Option<Score>,
    /// Ratings given outside the desk's opening hours.
    pub outside_hours: u64,
}

/// Circular 01/2018 index scores (per file: 2/1/0 points; score = points / files with data).
#[derive(Debug, Clone, Default, Serialize, PartialEq)]
pub struct Indices {
    pub idx1: Option<IndexScore>,
    pub idx3: Option<IndexScore>,
    pub idx4: Option<IndexScore>,
    pub idx7: Option<IndexScore>,
    /// Feedback handled on time: units and the scope only (from the cases).
    pub idx8: Option<IndexScore>,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct IndexScore {
    /// Points and files with data (index 8: cases handled and on time).
    pub points: u64,
    pub files: u64,
    /// One decimal, as printed; null when suppressed.
    pub score: Option<f64>,
}

/// An officer score or a unit total.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Score {
    /// One decimal, the sum of the printed index scores.
    pub total: f64,
    /// How many indices had data, of `of` (4 for an officer, 9 for a unit).
    pub with_data: u8,
    pub of: u8,
    /// The band's code ("full", "from70", "below70" / "excellent", "good", "fair", "average",
    /// "poor"), only when every index has data.
    pub band: Option<String>,
    pub band_vi: Option<String>,
    pub band_en: Option<String>,
}

/// "4 xin, 4 luôn" and the other answers of the form, for the scope.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Behaviours {
    /// Ratings these shares are over (all ratings of the scope in the period).
    pub ratings: u64,
    /// The behaviour question's options, in survey order: ratings ticking each.
    pub ticks: Vec<Share>,
    /// Index 1 answers: early, on the promised date, late (and how many answered).
    pub on_time: Vec<Share>,
    /// Index 3 answers: came back 0, 1, 2+ times.
    pub come_back: Vec<Share>,
    /// Index 4 answers: other offices contacted: none, one, more.
    pub other_offices: Vec<Share>,
    /// The yes/no questions (unofficial money, extra documents): "yes" answers over answers.
    pub yes_no: Vec<Share>,
}

/// A count and its share of a whole.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Share {
    pub code: String,
    pub label_vi: String,
    pub label_en: String,
    pub count: u64,
    /// What the share is over.
    pub of: u64,
    /// count / of; null when `of` is 0 or below the minimum count.
    pub share: Option<f64>,
}

/// Cases (phản ánh, kiến nghị) about the scope, as the event log stood at the period's end.
#[derive(Debug, Clone, Default, Serialize, PartialEq)]
pub struct Cases {
    /// Opened in the period.
    pub opened: u64,
    /// Opened in the period, by category, each with its status at the period's end.
    pub by_category: Vec<CategoryCount>,
    /// Opened in the period, by status at the period's end (status code → count).
    pub by_status: BTreeMap<String, u64>,
    /// Acknowledgements in the period, and those within the deadline.
    pub acknowledged: u64,
    pub acknowledged_on_time: u64,
    pub acknowledged_on_time_rate: Option<f64>,
    /// Cases closed in the period (resolved, or dismissed with a reason), and those closed
    /// without ever missing a deadline.
    pub closed: u64,
    pub closed_on_time: u64,
    pub closed_on_time_rate: Option<f64>,
    /// Working hours from receipt to acknowledgement and to closing (time waiting for the
    /// citizen left out), nearest-rank median and 90th percentile, one decimal.
    pub hours_to_acknowledge: Percentiles,
    pub hours_to_close: Percentiles,
    /// Moves to the level above in the period (for a missed deadline or on request).
    pub escalations: u64,
    /// Reopened in the period because the citizen was not satisfied with the answer.
    pub reopened: u64,
    /// The citizens' ratings of answers given in the period.
    pub answers_satisfied: u64,
    pub answers_not_satisfied: u64,
    /// Open past their resolution deadline at the period's end.
    pub dragging: u64,
    /// Open cases past a deadline at the period's end: case number, never the receipt, never a
    /// description or anything about the complainant.
    pub overdue: Vec<OverdueCase>,
    /// Cases left out of `overdue` because the reader is the officer they are about.
    pub withheld_from_reader: u64,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct CategoryCount {
    pub category: String,
    pub label_vi: String,
    pub label_en: String,
    pub opened: u64,
    /// Status code → count, at the period's end.
    pub by_status: BTreeMap<String, u64>,
}

#[derive(Debug, Clone, Default, Serialize, PartialEq)]
pub struct Percentiles {
    pub count: u64,
    pub median: Option<f64>,
    pub p90: Option<f64>,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct OverdueCase {
    pub number: String,
    pub category: String,
    pub category_vi: String,
    pub category_en: String,
    /// The unit the case is about.
    pub unit_code: String,
    pub unit_name: String,
    /// "acknowledge" or "resolve": which deadline passed.
    pub deadline: String,
    /// The deadline, RFC 3339, and in local words.
    pub due: String,
    pub due_local: String,
    /// Whole days from the deadline to the period's end.
    pub days_overdue: i64,
}

/// The last months, for the scope and each direct child unit.
#[derive(Debug, Clone, Default, Serialize, PartialEq)]
pub struct Trend {
    /// `YYYY-MM`, oldest first (12 months ending with the period's last).
    pub months: Vec<Month>,
    pub scope: TrendSeries,
    pub children: Vec<TrendSeries>,
}

#[derive(Debug, Clone, Default, Serialize, PartialEq)]
pub struct TrendSeries {
    pub code: String,
    pub name: String,
    /// One per month of `Trend::months`.
    pub ratings: Vec<u64>,
    /// Null for a month below the minimum count.
    pub satisfaction_rate: Vec<Option<f64>>,
}

/// A pattern in the month's raw ratings worth a look: not an accusation.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Signal {
    /// burst, outside_hours, repeat_browser, after_complaint, uniform_top, low_coverage
    pub kind: String,
    pub desk_code: String,
    pub desk_name: String,
    pub unit_code: String,
    /// How many ratings (or, for low coverage, the coverage in per cent) the signal rests on.
    pub count: u64,
    /// The facts, in words.
    pub detail_vi: String,
    pub detail_en: String,
    /// What it may mean.
    pub meaning_vi: String,
    pub meaning_en: String,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Notes {
    /// Circular 01 indices with data in this report (of 1–9).
    pub indices_with_data: Vec<u8>,
    pub min_count: u64,
    /// The audit ledger's last entry before the period's end: a reader can check later, with
    /// `hailong audit verify`, that no case was erased.
    pub ledger_head: Option<LedgerHead>,
    /// Whether any desk in scope entered files handled (else the 766 rate over files is missing).
    pub files_entered: bool,
    /// The notes as printed, in both languages.
    pub lines_vi: Vec<String>,
    pub lines_en: Vec<String>,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct LedgerHead {
    pub seq: i64,
    pub hash: String,
    pub at: String,
}

/// The yearly report of the public-service-culture programme: the same figures over the
/// reporting period, and a draft in the Decree 30/2020 administrative layout.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Yearly {
    pub year: i32,
    /// The date the unit must report by (local), `YYYY-MM-DD`.
    pub deadline: String,
    pub report: Report,
    pub draft: Draft,
}

/// An administrative document (Decree 30/2020/NĐ-CP, Appendix I): national motto block, issuing
/// body, number and date, title, body, recipients, signature. Placeholders ("…") are left for
/// what only the unit can fill in.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Draft {
    /// The body above the issuer (cơ quan chủ quản), upper case; empty for a top-level unit.
    pub parent_body: String,
    /// The issuing body, upper case.
    pub issuer: String,
    /// "Số: …/BC-UBND".
    pub number: String,
    /// "Tuy Phước, ngày … tháng … năm 2026".
    pub place_date: String,
    /// "BÁO CÁO".
    pub kind: String,
    /// "Kết quả thực hiện Đề án Văn hóa công vụ năm 2026".
    pub title: String,
    /// Numbered sections (I., II., …), each with its paragraphs.
    pub sections: Vec<DraftSection>,
    /// "Nơi nhận:" lines.
    pub recipients: Vec<String>,
    /// "TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"; the name below the signature space.
    pub signer_on_behalf: String,
    pub signer_title: String,
    pub signer_name: String,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct DraftSection {
    pub heading: String,
    pub paragraphs: Vec<String>,
}
