//! The official measures the monthly reports compute: satisfaction rates, the Decision 766-style
//! rates, the Circular 01/2018 index scores with their bands, Wilson ranking, percentiles and the
//! small-number rule. Every formula lives here, so a change of rules is one edit.
//!
//! The rules, their legal sources and hailong's own decisions where the sources are silent are
//! written up for report readers in `docs/measures.md`; each part below names its section there.
//!
//! Pure: no I/O, no clock, no configuration (the minimum count is an argument). Per-rating points
//! are computed when a rating is stored ([`attitude_points`]); reports aggregate them with the
//! counting types here. Scores that get printed are exact integers of tenths ([`Tenths`]), so a
//! band never depends on floating-point noise and a reader can recompute it from the page.

use std::fmt;
use std::iter::Sum;
use std::ops::Add;

use crate::domain::survey::Scale;
use crate::i18n::Lang;

// ---------------------------------------------------------------------------------------------
// Labels and errors
// ---------------------------------------------------------------------------------------------

/// A fixed label in both report languages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Words {
    /// Vietnamese, the official wording where there is one.
    pub vi: &'static str,
    /// English.
    pub en: &'static str,
}

/// Counts handed to this module that cannot describe a real month.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MeasureError {
    /// A satisfaction level outside the configured scale.
    LevelOutOfScale {
        /// The level given.
        level: i32,
        /// The top level of the scale.
        max: i32,
    },
    /// Circular 01/2018 points outside 0..=2.
    PointsOutOfRange(i32),
    /// A part larger than its whole (e.g. more ratings with a case than ratings); names the rule.
    Inconsistent(&'static str),
}

impl Words {
    pub fn get(self, lang: Lang) -> &'static str {
        match lang {
            Lang::Vi => self.vi,
            Lang::En => self.en,
        }
    }
}

impl fmt::Display for MeasureError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            MeasureError::LevelOutOfScale { level, max } => write!(f, "level {level} is outside the scale 1..={max}"),
            MeasureError::PointsOutOfRange(p) => write!(f, "index points {p} are outside 0..=2"),
            MeasureError::Inconsistent(rule) => write!(f, "inconsistent counts: {rule}"),
        }
    }
}

impl std::error::Error for MeasureError {}

/// `num / den` as a fraction, `None` when there is nothing to divide by.
fn ratio(num: u64, den: u64) -> Option<f64> {
    (den > 0).then(|| num as f64 / den as f64)
}

// ---------------------------------------------------------------------------------------------
// Satisfaction levels and the satisfaction rate (docs/measures.md, "Satisfaction rate")
// ---------------------------------------------------------------------------------------------

/// The words for a level of a scale, `None` off the scale.
pub fn level_words(scale: Scale, level: i32) -> Option<Words> {
    let w = |vi, en| Some(Words { vi, en });
    match (scale, level) {
        (Scale::Vn3, 3) | (Scale::Vn5, 5) => w("Rất hài lòng", "Very satisfied"),
        (Scale::Vn3, 2) | (Scale::Vn5, 4) => w("Hài lòng", "Satisfied"),
        // The official three-level word is "not yet satisfied", never "dissatisfied".
        (Scale::Vn3, 1) => w("Chưa hài lòng", "Not satisfied"),
        (Scale::Vn5, 3) => w("Bình thường", "Neutral"),
        (Scale::Vn5, 2) => w("Không hài lòng", "Dissatisfied"),
        (Scale::Vn5, 1) => w("Rất không hài lòng", "Very dissatisfied"),
        _ => None,
    }
}

/// How many ratings a period has at each level of one scale.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct LevelCounts {
    scale: Scale,
    /// `by_level[level - 1]`; the five-level size serves both scales.
    by_level: [u64; 5],
}

impl LevelCounts {
    /// No ratings yet.
    pub fn new(scale: Scale) -> LevelCounts {
        LevelCounts { scale, by_level: [0; 5] }
    }

    /// Counts from `(level, count)` pairs, e.g. a `GROUP BY level` result.
    pub fn from_pairs(scale: Scale, pairs: &[(i32, u64)]) -> Result<LevelCounts, MeasureError> {
        let mut c = LevelCounts::new(scale);
        for &(level, n) in pairs {
            c.add(level, n)?;
        }
        Ok(c)
    }

    /// Adds `n` ratings at `level`; a level off the scale is refused rather than dropped.
    pub fn add(&mut self, level: i32, n: u64) -> Result<(), MeasureError> {
        if !self.scale.contains(level) {
            return Err(MeasureError::LevelOutOfScale { level, max: self.scale.max() });
        }
        self.by_level[(level - 1) as usize] += n;
        Ok(())
    }

    /// The scale these counts are on.
    pub fn scale(&self) -> Scale {
        self.scale
    }

    /// Ratings at `level` (0 off the scale).
    pub fn count(&self, level: i32) -> u64 {
        if self.scale.contains(level) { self.by_level[(level - 1) as usize] } else { 0 }
    }

    fn sum_where(&self, keep: impl Fn(i32) -> bool) -> u64 {
        (1..=self.scale.max()).filter(|&l| keep(l)).map(|l| self.count(l)).sum()
    }

    /// All ratings.
    pub fn ratings(&self) -> u64 {
        self.sum_where(|_| true)
    }

    /// Ratings at the top two levels.
    pub fn satisfied(&self) -> u64 {
        self.sum_where(|l| self.scale.is_satisfied(l))
    }

    /// Ratings at the dissatisfied levels ([`Scale::is_dissatisfied`]).
    pub fn dissatisfied(&self) -> u64 {
        self.sum_where(|l| self.scale.is_dissatisfied(l))
    }
}

/// Satisfaction rate = ratings at the top two levels / all ratings; `None` with no ratings.
pub fn satisfaction_rate(c: &LevelCounts) -> Option<f64> {
    ratio(c.satisfied(), c.ratings())
}

// ---------------------------------------------------------------------------------------------
// Decision 766-style rates (docs/measures.md, "Decision 766-style rates")
// ---------------------------------------------------------------------------------------------

/// What a period's ratings say for the 766 rates. Built so that a dissatisfied rating that also
/// opened a case is subtracted once: the overlap is an input and the counts are checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct RatingOutcomes {
    ratings: u64,
    dissatisfied: u64,
    with_case: u64,
    dissatisfied_with_case: u64,
}

impl RatingOutcomes {
    /// From counts: all ratings, dissatisfied ratings, ratings that opened a case, and ratings that
    /// were both. Refuses an overlap larger than either part, or more "bad" ratings than ratings.
    pub fn new(
        ratings: u64,
        dissatisfied: u64,
        with_case: u64,
        dissatisfied_with_case: u64,
    ) -> Result<RatingOutcomes, MeasureError> {
        if dissatisfied_with_case > dissatisfied.min(with_case) {
            return Err(MeasureError::Inconsistent("dissatisfied ratings with a case exceed one of their parts"));
        }
        // u128: the sum of two u64 counts cannot overflow there.
        let bad = u128::from(dissatisfied) + u128::from(with_case) - u128::from(dissatisfied_with_case);
        if bad > u128::from(ratings) {
            return Err(MeasureError::Inconsistent("dissatisfied ratings and ratings with a case exceed ratings"));
        }
        Ok(RatingOutcomes { ratings, dissatisfied, with_case, dissatisfied_with_case })
    }

    /// Counts one rating.
    pub fn add(&mut self, dissatisfied: bool, opened_case: bool) {
        self.ratings += 1;
        self.dissatisfied += u64::from(dissatisfied);
        self.with_case += u64::from(opened_case);
        self.dissatisfied_with_case += u64::from(dissatisfied && opened_case);
    }

    /// All ratings.
    pub fn ratings(&self) -> u64 {
        self.ratings
    }

    /// Dissatisfied ratings.
    pub fn dissatisfied(&self) -> u64 {
        self.dissatisfied
    }

    /// Ratings that opened a case.
    pub fn with_case(&self) -> u64 {
        self.with_case
    }

    /// Ratings that were dissatisfied and opened a case.
    pub fn dissatisfied_with_case(&self) -> u64 {
        self.dissatisfied_with_case
    }

    /// Ratings that are dissatisfied or opened a case, each counted once.
    pub fn bad(&self) -> u64 {
        self.dissatisfied + self.with_case - self.dissatisfied_with_case
    }
}

/// The 766 rate over ratings = (ratings − dissatisfied − ratings that opened a case, overlap counted
/// once) / ratings; `None` with no ratings. Label it "over ratings": 766 itself counts files.
pub fn rate_766_over_ratings(o: &RatingOutcomes) -> Option<f64> {
    ratio(o.ratings - o.bad(), o.ratings)
}

/// The 766 figures for a unit that entered how many files (hồ sơ) it handled in the period.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct OverFiles {
    /// (files − bad ratings) / files, at least 0: a file nobody rated counts as satisfied.
    pub rate_766: f64,
    /// Share of files rated = ratings / files, at most 1.
    pub coverage: f64,
    /// More ratings than files: the entered count is probably wrong and the report must say so;
    /// the two fractions above are then clamped (rate to 0 once bad ratings exceed files).
    pub ratings_exceed_files: bool,
}

/// The 766 rate as the decision defines it, over the files the unit entered, with its coverage;
/// `None` when no files were entered as handled (0). hailong cannot tie a rating to a file, so
/// each bad rating stands for one file with a dissatisfied rating or a complaint.
pub fn rate_766_over_files(files: u64, o: &RatingOutcomes) -> Option<OverFiles> {
    if files == 0 {
        return None;
    }
    let bad = o.bad().min(files);
    Some(OverFiles {
        rate_766: (files - bad) as f64 / files as f64,
        coverage: o.ratings.min(files) as f64 / files as f64,
        ratings_exceed_files: o.ratings > files,
    })
}

// ---------------------------------------------------------------------------------------------
// Printed scores (docs/measures.md, "Rounding")
// ---------------------------------------------------------------------------------------------

/// A score as printed, in tenths: `Tenths(35)` is 3.5. Integer so that bands compare exactly.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Tenths(pub u32);

impl Tenths {
    /// Whole points as a score (index 8 gives 2, 1 or 0 points to a unit).
    pub fn from_points(points: u8) -> Tenths {
        Tenths(u32::from(points) * 10)
    }

    /// `num / den` rounded to one decimal, half up, on the exact fraction; `None` when `den` is 0
    /// (or the result would not fit).
    pub fn round_ratio(num: u64, den: u64) -> Option<Tenths> {
        if den == 0 {
            return None;
        }
        // floor(10·num/den + 1/2) = floor((20·num + den) / (2·den)); u128 cannot overflow here.
        let t = (20 * u128::from(num) + u128::from(den)) / (2 * u128::from(den));
        u32::try_from(t).ok().map(Tenths)
    }

    /// The score as a number, for charts; never compare bands on it.
    pub fn as_f64(self) -> f64 {
        f64::from(self.0) / 10.0
    }

    /// Vietnamese notation, decimal comma: "3,5".
    pub fn vi(self) -> String {
        format!("{},{}", self.0 / 10, self.0 % 10)
    }
}

/// English notation, decimal point: "3.5".
impl fmt::Display for Tenths {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}", self.0 / 10, self.0 % 10)
    }
}

impl Add for Tenths {
    type Output = Tenths;
    fn add(self, rhs: Tenths) -> Tenths {
        Tenths(self.0 + rhs.0)
    }
}

impl Sum for Tenths {
    fn sum<I: Iterator<Item = Tenths>>(iter: I) -> Tenths {
        iter.fold(Tenths(0), Add::add)
    }
}

// ---------------------------------------------------------------------------------------------
// Circular 01/2018 indices (docs/measures.md, "Circular 01/2018 indices")
// ---------------------------------------------------------------------------------------------

/// Circular 01/2018 index 7 (officer attitude) for one file: 0 when the rating or its file has a
/// harassment-type report (unless later dismissed as untrue — the reports apply that), else 2 when
/// the result came early and 1 when on time or late (lateness already counts in index 1); no data
/// when the result is not yet received. `idx1` is the index 1 points of the same rating.
pub fn attitude_points(idx1: Option<i32>, harassment_report: bool) -> Option<i32> {
    if harassment_report {
        return Some(0);
    }
    match idx1 {
        Some(2) => Some(2),
        Some(_) => Some(1),
        None => None,
    }
}

/// One index for one officer or unit: the points of its files and how many files had data.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct IndexTally {
    points: u64,
    files: u64,
}

impl IndexTally {
    /// From sums (e.g. `SUM(points)`, `COUNT(points)`); refuses more than 2 points per file.
    pub fn new(points: u64, files: u64) -> Result<IndexTally, MeasureError> {
        if u128::from(points) > 2 * u128::from(files) {
            return Err(MeasureError::Inconsistent("index points exceed 2 per file"));
        }
        Ok(IndexTally { points, files })
    }

    /// Counts one file's points; `None` (no data) leaves the tally as it is.
    pub fn add(&mut self, points: Option<i32>) -> Result<(), MeasureError> {
        match points {
            None => Ok(()),
            Some(p @ 0..=2) => {
                self.points += p as u64;
                self.files += 1;
                Ok(())
            }
            Some(p) => Err(MeasureError::PointsOutOfRange(p)),
        }
    }

    /// Sum of points.
    pub fn points(&self) -> u64 {
        self.points
    }

    /// Files with data for this index.
    pub fn files(&self) -> u64 {
        self.files
    }

    /// Index score = points / files with data, rounded to one decimal (half up); `None` = no data.
    pub fn score(&self) -> Option<Tenths> {
        Tenths::round_ratio(self.points, self.files)
    }
}

/// A unit's feedback cases for index 8 in one period (docs/measures.md, "Index 8"). Each case
/// counts once, by its state at the period's end: closed in the period (đã giải quyết, or không xử
/// lý with a reason) = handled; still open past its resolution deadline = dragging on; open within
/// its deadline = not counted yet. Handled on time = closed without ever missing a deadline on the
/// SLA clock (which stops while waiting for the citizen): an escalation for a missed deadline
/// makes the case late even if the next handler closes it within their own window.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct CaseCounts {
    handled: u64,
    on_time: u64,
    dragging: u64,
}

impl CaseCounts {
    /// `handled`: cases closed in the period; `on_time`: those closed by their resolution deadline;
    /// `dragging`: cases still open at the period's end past their resolution deadline.
    pub fn new(handled: u64, on_time: u64, dragging: u64) -> Result<CaseCounts, MeasureError> {
        if on_time > handled {
            return Err(MeasureError::Inconsistent("cases handled on time exceed cases handled"));
        }
        Ok(CaseCounts { handled, on_time, dragging })
    }

    /// Counts one case closed in the period.
    pub fn add_handled(&mut self, on_time: bool) {
        self.handled += 1;
        self.on_time += u64::from(on_time);
    }

    /// Counts one case open past its deadline at the period's end.
    pub fn add_dragging(&mut self) {
        self.dragging += 1;
    }

    /// Cases closed in the period.
    pub fn handled(&self) -> u64 {
        self.handled
    }

    /// Of those, closed by their deadline.
    pub fn on_time(&self) -> u64 {
        self.on_time
    }

    /// Open past their deadline at the period's end.
    pub fn dragging(&self) -> u64 {
        self.dragging
    }
}

/// Index 8 points for a unit: 2 when there were no cases, or all were handled on time and none
/// drags on; 1 when at least 90 % were handled on time and none drags on; else 0.
pub fn index8_points(c: &CaseCounts) -> u8 {
    if c.dragging > 0 {
        return 0;
    }
    if c.on_time == c.handled {
        return 2; // includes "no cases at all"
    }
    // on_time / handled ≥ 90 %, in integers so that exactly 90 % qualifies.
    if 10 * u128::from(c.on_time) >= 9 * u128::from(c.handled) { 1 } else { 0 }
}

/// Index 8 as a unit index score (always has data: no cases earns the full 2).
pub fn index8_score(c: &CaseCounts) -> Tenths {
    Tenths::from_points(index8_points(c))
}

// ---------------------------------------------------------------------------------------------
// Officer score and band (docs/measures.md, "Officer score")
// ---------------------------------------------------------------------------------------------

/// The printed index scores of one officer; `None` = no file with data for that index.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct OfficerIndices {
    /// Index 1: total time against the promised date.
    pub idx1: Option<Tenths>,
    /// Index 3: times the citizen had to come back.
    pub idx3: Option<Tenths>,
    /// Index 4: other offices the citizen had to contact.
    pub idx4: Option<Tenths>,
    /// Index 7: officer attitude.
    pub idx7: Option<Tenths>,
}

/// How many indices make an officer score.
pub const OFFICER_INDICES: u8 = 4;

/// Circular 01/2018 band for an officer's score.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum OfficerBand {
    /// Score < 3.5.
    Below70,
    /// 3.5 ≤ score < 5.
    From70To100,
    /// Score ≥ 5.
    Full,
}

impl OfficerBand {
    /// The band a printed score falls in; edges belong to the upper band.
    pub fn of(score: Tenths) -> OfficerBand {
        match score.0 {
            50.. => OfficerBand::Full,
            35.. => OfficerBand::From70To100,
            _ => OfficerBand::Below70,
        }
    }

    /// Report wording.
    pub fn words(self) -> Words {
        match self {
            OfficerBand::Full => Words { vi: "Hoàn thành 100% nhiệm vụ", en: "100% of duties fulfilled" },
            OfficerBand::From70To100 => Words {
                vi: "Hoàn thành từ 70% đến dưới 100% nhiệm vụ",
                en: "70% to under 100% of duties fulfilled",
            },
            OfficerBand::Below70 => {
                Words { vi: "Hoàn thành dưới 70% nhiệm vụ", en: "Under 70% of duties fulfilled" }
            }
        }
    }
}

/// An officer's score as printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OfficerScore {
    /// Sum of the printed index scores that have data (max 8.0).
    pub total: Tenths,
    /// How many of the 4 indices had data.
    pub with_data: u8,
    /// Only when all 4 indices have data: a partial sum would understate the officer.
    pub band: Option<OfficerBand>,
}

impl OfficerScore {
    /// "(n/4 chỉ số)" to print after a score with indices missing; `None` when all 4 have data.
    pub fn indices_note_vi(&self) -> Option<String> {
        (self.with_data < OFFICER_INDICES).then(|| format!("({}/{OFFICER_INDICES} chỉ số)", self.with_data))
    }

    /// "(n of 4 indices)" to print after a score with indices missing; `None` when all 4 have data.
    pub fn indices_note_en(&self) -> Option<String> {
        (self.with_data < OFFICER_INDICES).then(|| format!("({} of {OFFICER_INDICES} indices)", self.with_data))
    }
}

/// Officer score = index 1 + 3 + 4 + 7 as printed (each already rounded), over those with data;
/// `None` when none has data.
pub fn officer_score(i: &OfficerIndices) -> Option<OfficerScore> {
    let present: Vec<Tenths> = [i.idx1, i.idx3, i.idx4, i.idx7].into_iter().flatten().collect();
    if present.is_empty() {
        return None;
    }
    let with_data = present.len() as u8;
    let total: Tenths = present.into_iter().sum();
    let band = (with_data == OFFICER_INDICES).then(|| OfficerBand::of(total));
    Some(OfficerScore { total, with_data, band })
}

// ---------------------------------------------------------------------------------------------
// Unit total and band (docs/measures.md, "Unit total")
// ---------------------------------------------------------------------------------------------

/// How many indices the circular scores a unit on.
pub const UNIT_INDICES: u8 = 9;

/// Circular 01/2018 band for a unit's total (half-open at 15, 12, 9 and 6).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum UnitBand {
    /// Total < 6.
    Poor,
    /// 6 ≤ total < 9.
    Average,
    /// 9 ≤ total < 12.
    Fair,
    /// 12 ≤ total < 15.
    Good,
    /// Total ≥ 15.
    Excellent,
}

impl UnitBand {
    /// The band a printed total falls in; edges belong to the upper band.
    pub fn of(total: Tenths) -> UnitBand {
        match total.0 {
            150.. => UnitBand::Excellent,
            120.. => UnitBand::Good,
            90.. => UnitBand::Fair,
            60.. => UnitBand::Average,
            _ => UnitBand::Poor,
        }
    }

    /// Report wording.
    pub fn words(self) -> Words {
        match self {
            UnitBand::Excellent => Words { vi: "Xuất sắc", en: "Excellent" },
            UnitBand::Good => Words { vi: "Tốt", en: "Good" },
            UnitBand::Fair => Words { vi: "Khá", en: "Fair" },
            UnitBand::Average => Words { vi: "Trung bình", en: "Average" },
            UnitBand::Poor => Words { vi: "Yếu", en: "Poor" },
        }
    }
}

/// A unit's total as printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UnitTotal {
    /// Sum of the printed index scores that have data (max 18.0).
    pub total: Tenths,
    /// How many of the 9 indices had data.
    pub with_data: u8,
    /// Only when all 9 indices have data.
    pub band: Option<UnitBand>,
}

impl UnitTotal {
    /// "(n/9 chỉ số)" to print after a total with indices missing; `None` when all 9 have data.
    pub fn indices_note_vi(&self) -> Option<String> {
        (self.with_data < UNIT_INDICES).then(|| format!("({}/{UNIT_INDICES} chỉ số)", self.with_data))
    }

    /// "(n of 9 indices)" to print after a total with indices missing; `None` when all 9 have data.
    pub fn indices_note_en(&self) -> Option<String> {
        (self.with_data < UNIT_INDICES).then(|| format!("({} of {UNIT_INDICES} indices)", self.with_data))
    }
}

/// Unit total = sum of the unit's printed index scores with data; `indices[k - 1]` is index k.
/// `None` when no index has data.
pub fn unit_total(indices: &[Option<Tenths>; 9]) -> Option<UnitTotal> {
    let with_data = indices.iter().flatten().count() as u8;
    if with_data == 0 {
        return None;
    }
    let total: Tenths = indices.iter().flatten().copied().sum();
    let band = (with_data == UNIT_INDICES).then(|| UnitBand::of(total));
    Some(UnitTotal { total, with_data, band })
}

// ---------------------------------------------------------------------------------------------
// Small numbers, ranking, percentiles (docs/measures.md, "Small numbers, ranking and percentiles")
// ---------------------------------------------------------------------------------------------

/// The minimum number of ratings below which a figure is suppressed (`reports.min_count`).
pub const DEFAULT_MIN_COUNT: u64 = 10;

/// What a suppressed figure shows instead.
pub const NOT_ENOUGH_DATA: Words = Words { vi: "chưa đủ dữ liệu", en: "not enough data" };

/// Whether a figure based on `count` ratings is suppressed: below the minimum it is, at it not.
pub fn suppressed(count: u64, min_count: u64) -> bool {
    count < min_count
}

/// z for a two-sided 95 % interval.
pub const WILSON_Z: f64 = 1.96;

/// Wilson score lower bound (95 %, no continuity correction) of `successes / n`; `None` when
/// `n` is 0 or `successes > n`.
pub fn wilson_lower_bound(successes: u64, n: u64) -> Option<f64> {
    if n == 0 || successes > n {
        return None;
    }
    if successes == 0 {
        // Exactly 0 (the formula gives ±1e-17), so all-zero desks tie and fall to the tie-breaks.
        return Some(0.0);
    }
    let n = n as f64;
    let p = successes as f64 / n;
    let z2 = WILSON_Z * WILSON_Z;
    let centre = p + z2 / (2.0 * n);
    let margin = WILSON_Z * (p * (1.0 - p) / n + z2 / (4.0 * n * n)).sqrt();
    Some(((centre - margin) / (1.0 + z2 / n)).max(0.0))
}

/// One desk, officer or unit to rank.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RankInput<'a> {
    /// Its code; the last tie-break, ascending.
    pub code: &'a str,
    /// Ratings at the top two levels.
    pub satisfied: u64,
    /// All ratings.
    pub ratings: u64,
}

/// A ranking entry.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Ranked<'a> {
    /// The item's code.
    pub code: &'a str,
    /// 1 = best; `None` when suppressed (below the minimum count) or without usable counts.
    pub rank: Option<u32>,
    /// The Wilson lower bound ranked on; `None` whenever `rank` is.
    pub lower_bound: Option<f64>,
}

/// Ranks by the Wilson lower bound of the satisfaction rate, descending; ties go to more ratings,
/// then to the code ascending, so every ranked item gets its own number 1, 2, 3…. Items below
/// `min_count` ratings get no rank and take no number. Ranked items come first, in rank order,
/// then the unranked by code.
pub fn rank<'a>(items: &[RankInput<'a>], min_count: u64) -> Vec<Ranked<'a>> {
    let mut ranked: Vec<(RankInput<'a>, f64)> = Vec::new();
    let mut unranked: Vec<Ranked<'a>> = Vec::new();
    for &it in items {
        match wilson_lower_bound(it.satisfied, it.ratings).filter(|_| !suppressed(it.ratings, min_count)) {
            Some(lb) => ranked.push((it, lb)),
            None => unranked.push(Ranked { code: it.code, rank: None, lower_bound: None }),
        }
    }
    ranked.sort_by(|(a, la), (b, lb)| lb.total_cmp(la).then(b.ratings.cmp(&a.ratings)).then(a.code.cmp(b.code)));
    unranked.sort_by(|a, b| a.code.cmp(b.code));
    ranked
        .into_iter()
        .zip(1u32..)
        .map(|((it, lb), r)| Ranked { code: it.code, rank: Some(r), lower_bound: Some(lb) })
        .chain(unranked)
        .collect()
}

/// The `p`-th percentile (0..=100) by nearest rank: the value at rank ⌈p·N/100⌉ (at least 1) of the
/// sorted values, so it is always one of the values (median = 50, p90 = 90). `None` for no values
/// or `p` > 100.
pub fn percentile<T: Ord + Copy>(values: &[T], p: u8) -> Option<T> {
    if values.is_empty() || p > 100 {
        return None;
    }
    let n = values.len() as u128;
    let rank = (u128::from(p) * n).div_ceil(100).max(1);
    let mut v = values.to_vec();
    let (_, nth, _) = v.select_nth_unstable((rank - 1) as usize);
    Some(*nth)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn t(x: u32) -> Option<Tenths> {
        Some(Tenths(x))
    }

    fn approx(a: f64, b: f64) -> bool {
        (a - b).abs() < 5e-7
    }

    #[test]
    fn attitude() {
        assert_eq!(attitude_points(Some(2), false), Some(2));
        assert_eq!(attitude_points(Some(1), false), Some(1));
        assert_eq!(attitude_points(Some(0), false), Some(1));
        assert_eq!(attitude_points(None, false), None);
        assert_eq!(attitude_points(Some(2), true), Some(0));
        assert_eq!(attitude_points(None, true), Some(0));
    }

    #[test]
    fn satisfaction_rate_three_levels() {
        // 5 × Rất hài lòng + 3 × Hài lòng + 2 × Chưa hài lòng: satisfied 5 + 3 = 8 of 10 → 0.8.
        let c = LevelCounts::from_pairs(Scale::Vn3, &[(3, 5), (2, 3), (1, 2)]).unwrap();
        assert_eq!((c.ratings(), c.satisfied(), c.dissatisfied()), (10, 8, 2));
        assert_eq!(satisfaction_rate(&c), Some(0.8));
        // All Chưa hài lòng: 0 of 4 is a rate of 0, not "no data".
        let c = LevelCounts::from_pairs(Scale::Vn3, &[(1, 4)]).unwrap();
        assert_eq!(satisfaction_rate(&c), Some(0.0));
    }

    #[test]
    fn satisfaction_rate_five_levels() {
        // 5:4, 4:3, 3:2, 2:1, 1:2 → 12 ratings; satisfied = levels 5 + 4 = 7 → 7/12 = 0.583333…;
        // dissatisfied = levels 2 + 1 = 1 + 2 = 3; the 2 × Bình thường are in neither.
        let c = LevelCounts::from_pairs(Scale::Vn5, &[(5, 4), (4, 3), (3, 2), (2, 1), (1, 2)]).unwrap();
        assert_eq!((c.ratings(), c.satisfied(), c.dissatisfied()), (12, 7, 3));
        assert!(approx(satisfaction_rate(&c).unwrap(), 7.0 / 12.0));
        assert_eq!(c.count(3), 2);
    }

    #[test]
    fn levels_off_the_scale_are_refused() {
        let mut c = LevelCounts::new(Scale::Vn3);
        assert_eq!(c.add(4, 1), Err(MeasureError::LevelOutOfScale { level: 4, max: 3 }));
        assert_eq!(c.add(0, 1), Err(MeasureError::LevelOutOfScale { level: 0, max: 3 }));
        assert!(LevelCounts::new(Scale::Vn5).add(5, 1).is_ok());
        assert_eq!(c.ratings(), 0);
    }

    #[test]
    fn level_classes_and_words() {
        let three = Scale::Vn3;
        let five = Scale::Vn5;
        assert_eq!([3, 2, 1].map(|l| three.is_satisfied(l)), [true, true, false]);
        assert_eq!([3, 2, 1].map(|l| three.is_dissatisfied(l)), [false, false, true]);
        assert_eq!([5, 4, 3, 2, 1].map(|l| five.is_satisfied(l)), [true, true, false, false, false]);
        assert_eq!([5, 4, 3, 2, 1].map(|l| five.is_dissatisfied(l)), [false, false, false, true, true]);
        assert_eq!(level_words(three, 1).unwrap().vi, "Chưa hài lòng");
        assert_eq!(level_words(five, 3).unwrap().vi, "Bình thường");
        assert_eq!(level_words(five, 1).unwrap().vi, "Rất không hài lòng");
        assert_eq!(level_words(three, 4), None);
    }

    #[test]
    fn rate_766_over_ratings_counts_overlap_once() {
        // (ratings, dissatisfied, with case, both) → expected rate
        let table = [
            ((20, 3, 4, 2), Some(0.75)), // bad = 3 + 4 − 2 = 5; (20 − 5) / 20 = 0.75
            ((20, 3, 4, 0), Some(0.65)), // bad = 3 + 4 = 7; 13 / 20 = 0.65
            ((20, 3, 3, 3), Some(0.85)), // every case came from a dissatisfied rating: bad 3; 17 / 20
            ((10, 0, 0, 0), Some(1.0)),  // nothing bad: 10 / 10
            ((4, 4, 0, 0), Some(0.0)),   // all dissatisfied: 0 / 4
            ((0, 0, 0, 0), None),        // no ratings
        ];
        for ((r, d, c, b), want) in table {
            let o = RatingOutcomes::new(r, d, c, b).unwrap();
            assert_eq!(rate_766_over_ratings(&o), want, "{r} {d} {c} {b}");
        }
        // Overlap larger than a part, or more bad ratings than ratings (3 + 4 − 1 = 6 > 5).
        assert!(RatingOutcomes::new(20, 3, 4, 4).is_err());
        assert!(RatingOutcomes::new(5, 3, 4, 1).is_err());
    }

    #[test]
    fn rate_766_over_files_table() {
        let o = RatingOutcomes::new(20, 3, 4, 2).unwrap(); // bad = 5
        // (50 − 5) / 50 = 0.9; coverage 20 / 50 = 0.4.
        let f = rate_766_over_files(50, &o).unwrap();
        assert_eq!((f.rate_766, f.coverage, f.ratings_exceed_files), (0.9, 0.4, false));
        // No ratings at all: every file counts as satisfied, (30 − 0) / 30 = 1; coverage 0.
        let f = rate_766_over_files(30, &RatingOutcomes::default()).unwrap();
        assert_eq!((f.rate_766, f.coverage, f.ratings_exceed_files), (1.0, 0.0, false));
        // 12 ratings for 10 files, bad 1 + 1 = 2: (10 − 2) / 10 = 0.8; coverage clamped to 1, flagged.
        let f = rate_766_over_files(10, &RatingOutcomes::new(12, 1, 1, 0).unwrap()).unwrap();
        assert_eq!((f.rate_766, f.coverage, f.ratings_exceed_files), (0.8, 1.0, true));
        // bad 5 > 3 files: rate clamped to 0, flagged.
        let f = rate_766_over_files(3, &o).unwrap();
        assert_eq!((f.rate_766, f.coverage, f.ratings_exceed_files), (0.0, 1.0, true));
        // 5 dissatisfied ratings for exactly 5 files: 0 / 5 = 0, not flagged.
        let f = rate_766_over_files(5, &RatingOutcomes::new(5, 5, 0, 0).unwrap()).unwrap();
        assert_eq!((f.rate_766, f.coverage, f.ratings_exceed_files), (0.0, 1.0, false));
        assert_eq!(rate_766_over_files(0, &o), None);
    }

    #[test]
    fn tenths_round_half_up_on_the_exact_fraction() {
        // (points, files) → tenths
        let table = [
            ((7, 4), 18),   // 1.75 → 1.8 (half up)
            ((1, 3), 3),    // 0.333… → 0.3
            ((2, 3), 7),    // 0.666… → 0.7
            ((1, 4), 3),    // 0.25 → 0.3 (half up, not to even)
            ((3, 4), 8),    // 0.75 → 0.8
            ((1, 8), 1),    // 0.125 → 0.1 (1.25 tenths rounds down)
            ((1, 20), 1),   // 0.05 → 0.1 (half up)
            ((23, 20), 12), // 1.15 → 1.2 (rounding the f64 1.15 to one decimal gives 1.1)
            ((0, 5), 0),    // 0
            ((2, 1), 20),   // 2.0
            ((5, 4), 13),   // 1.25 → 1.3
        ];
        for ((p, f), want) in table {
            assert_eq!(IndexTally::new(p, f).unwrap().score(), Some(Tenths(want)), "{p}/{f}");
        }
        assert_eq!(Tenths::round_ratio(1, 0), None);
        assert_eq!(IndexTally::default().score(), None);
    }

    #[test]
    fn tenths_print() {
        assert_eq!(Tenths(35).to_string(), "3.5");
        assert_eq!(Tenths(35).vi(), "3,5");
        assert_eq!(Tenths(150).to_string(), "15.0");
        assert_eq!(Tenths(5).to_string(), "0.5");
        assert_eq!(Tenths::from_points(2), Tenths(20));
        assert_eq!(Tenths(18).as_f64(), 1.8);
    }

    #[test]
    fn index_tally_from_files() {
        // Points 2, 2, 2, 1 and one file with no data: 7 / 4 = 1.75 → 1.8.
        let mut i = IndexTally::default();
        for p in [Some(2), Some(2), None, Some(2), Some(1)] {
            i.add(p).unwrap();
        }
        assert_eq!((i.points(), i.files(), i.score()), (7, 4, Some(Tenths(18))));
        assert_eq!(i.add(Some(3)), Err(MeasureError::PointsOutOfRange(3)));
        assert_eq!(i.add(Some(-1)), Err(MeasureError::PointsOutOfRange(-1)));
        assert!(IndexTally::new(9, 4).is_err()); // 9 > 2 × 4
        assert!(IndexTally::new(8, 4).is_ok());
    }

    #[test]
    fn officer_band_edges() {
        // (idx1, idx3, idx4, idx7) in tenths → total, band
        use OfficerBand::*;
        let table = [
            ([20, 10, 10, 10], 50, Full),       // 2.0 + 1.0 + 1.0 + 1.0 = 5.0: exactly at the edge
            ([20, 10, 10, 9], 49, From70To100), // 4.9
            ([10, 10, 10, 5], 35, From70To100), // 3.5: exactly at the edge
            ([10, 10, 10, 4], 34, Below70),     // 3.4
            ([20, 20, 20, 20], 80, Full),       // the maximum with hailong's data
            ([0, 0, 0, 0], 0, Below70),
        ];
        for ([a, b, c, d], total, band) in table {
            let s = officer_score(&OfficerIndices { idx1: t(a), idx3: t(b), idx4: t(c), idx7: t(d) }).unwrap();
            assert_eq!(s, OfficerScore { total: Tenths(total), with_data: 4, band: Some(band) });
            assert_eq!(s.indices_note_en(), None);
        }
    }

    #[test]
    fn officer_score_sums_printed_scores() {
        let score = |tallies: [(u64, u64); 4]| {
            let [a, b, c, d] = tallies.map(|(p, f)| IndexTally::new(p, f).unwrap().score());
            officer_score(&OfficerIndices { idx1: a, idx3: b, idx4: c, idx7: d }).unwrap()
        };
        // 5/4 = 1.25 → 1.3, 1.3, 6/5 = 1.2, 1.2: printed sum 1.3 + 1.3 + 1.2 + 1.2 = 5.0 → Full,
        // though the unrounded sum is 4.9: the reader adds the printed figures.
        let s = score([(5, 4), (5, 4), (6, 5), (6, 5)]);
        assert_eq!((s.total, s.band), (Tenths(50), Some(OfficerBand::Full)));
        // 7/8 = 0.875 → 0.9 three times, 4/5 = 0.8: 0.9 × 3 + 0.8 = 3.5 (unrounded 3.425).
        let s = score([(7, 8), (7, 8), (7, 8), (4, 5)]);
        assert_eq!((s.total, s.band), (Tenths(35), Some(OfficerBand::From70To100)));
    }

    #[test]
    fn officer_score_with_missing_indices_has_no_band() {
        // Results not yet received: no index 1 or 7; 2.0 + 2.0 = 4.0 over 2 of 4, no band.
        let s = officer_score(&OfficerIndices { idx3: t(20), idx4: t(20), ..Default::default() }).unwrap();
        assert_eq!(s, OfficerScore { total: Tenths(40), with_data: 2, band: None });
        assert_eq!(s.indices_note_vi().as_deref(), Some("(2/4 chỉ số)"));
        assert_eq!(s.indices_note_en().as_deref(), Some("(2 of 4 indices)"));
        // Even a total already ≥ 5 gets no band with an index missing: 2.0 × 3 = 6.0 over 3.
        let s = officer_score(&OfficerIndices { idx1: None, idx3: t(20), idx4: t(20), idx7: t(20) }).unwrap();
        assert_eq!(s, OfficerScore { total: Tenths(60), with_data: 3, band: None });
        assert_eq!(officer_score(&OfficerIndices::default()), None);
    }

    fn nine(v: [u32; 9]) -> [Option<Tenths>; 9] {
        v.map(|x| Some(Tenths(x)))
    }

    #[test]
    fn unit_band_edges() {
        use UnitBand::*;
        let table = [
            ([20, 20, 20, 20, 20, 20, 20, 10, 0], 150, Excellent), // 7 × 2.0 + 1.0 = 15.0
            ([20, 20, 20, 20, 20, 20, 20, 9, 0], 149, Good),       // 14.9
            ([20, 20, 20, 20, 20, 20, 0, 0, 0], 120, Good),        // 6 × 2.0 = 12.0
            ([20, 20, 20, 20, 20, 19, 0, 0, 0], 119, Fair),        // 11.9
            ([20, 20, 20, 20, 10, 0, 0, 0, 0], 90, Fair),          // 4 × 2.0 + 1.0 = 9.0
            ([20, 20, 20, 20, 9, 0, 0, 0, 0], 89, Average),        // 8.9
            ([20, 20, 20, 0, 0, 0, 0, 0, 0], 60, Average),         // 6.0
            ([20, 20, 19, 0, 0, 0, 0, 0, 0], 59, Poor),            // 5.9
            ([20; 9], 180, Excellent),                             // the circular's maximum 18
            ([0; 9], 0, Poor),
        ];
        for (v, total, band) in table {
            let u = unit_total(&nine(v)).unwrap();
            assert_eq!(u, UnitTotal { total: Tenths(total), with_data: 9, band: Some(band) });
            assert_eq!((u.indices_note_vi(), u.indices_note_en()), (None, None));
        }
    }

    #[test]
    fn unit_total_with_fewer_than_nine_indices_has_no_band() {
        // Index 9 missing: 8 × 2.0 = 16.0 "(8 of 9 indices)", no band although ≥ 15.
        let mut v = nine([20; 9]);
        v[8] = None;
        let u = unit_total(&v).unwrap();
        assert_eq!(u, UnitTotal { total: Tenths(160), with_data: 8, band: None });
        assert_eq!(u.indices_note_vi().as_deref(), Some("(8/9 chỉ số)"));
        assert_eq!(u.indices_note_en().as_deref(), Some("(8 of 9 indices)"));

        // What hailong can feed: indices 1, 3, 4, 7 from files and 8 from cases.
        // 1: 7/4 = 1.75 → 1.8; 3: 2/3 → 0.7; 4: 1/4 → 0.3; 7: 1/3 → 0.3; 8: 9 of 10 on time → 1.
        // 1.8 + 0.7 + 0.3 + 0.3 + 1.0 = 4.1 (5 of 9).
        let s = |p, f| IndexTally::new(p, f).unwrap().score();
        let mut v = [None; 9];
        (v[0], v[2], v[3], v[6]) = (s(7, 4), s(2, 3), s(1, 4), s(1, 3));
        v[7] = Some(index8_score(&CaseCounts::new(10, 9, 0).unwrap()));
        let u = unit_total(&v).unwrap();
        assert_eq!(u, UnitTotal { total: Tenths(41), with_data: 5, band: None });
        assert_eq!(u.indices_note_en().as_deref(), Some("(5 of 9 indices)"));
        assert_eq!(unit_total(&[None; 9]), None);
    }

    #[test]
    fn index8_table() {
        // (handled, on time, dragging) → points
        let table = [
            ((0, 0, 0), 2),      // no cases
            ((10, 10, 0), 2),    // all on time, none dragging
            ((10, 9, 0), 1),     // 9/10 = 90 %: exactly at the edge
            ((100, 90, 0), 1),   // 90 %
            ((1000, 899, 0), 0), // 89.9 %
            ((20, 17, 0), 0),    // 85 %
            ((1, 0, 0), 0),      // 0 %
            ((10, 10, 1), 0),    // all on time but one drags on
            ((0, 0, 1), 0),      // nothing closed, one drags on
        ];
        for ((h, o, d), want) in table {
            let c = CaseCounts::new(h, o, d).unwrap();
            assert_eq!(index8_points(&c), want, "{h} {o} {d}");
            assert_eq!(index8_score(&c), Tenths(u32::from(want) * 10));
        }
        assert!(CaseCounts::new(5, 6, 0).is_err());
        let mut c = CaseCounts::default();
        c.add_handled(true);
        c.add_handled(false);
        c.add_dragging();
        assert_eq!((c.handled(), c.on_time(), c.dragging()), (2, 1, 1));
    }

    #[test]
    fn wilson_values() {
        // Checked with python3: the closed formula and, independently, bisection for the smallest
        // p with (p̂ − p)² ≤ z²·p(1 − p)/n.
        let table = [
            ((8, 10), 0.490157),
            ((80, 100), 0.711169),
            ((10, 10), 0.722460),
            ((3, 3), 0.438494),
            ((270, 300), 0.860833),
            ((9, 10), 0.595844),
            ((18, 20), 0.698962),
            ((5, 10), 0.236590),
        ];
        for ((s, n), want) in table {
            let got = wilson_lower_bound(s, n).unwrap();
            assert!(approx(got, want), "{s}/{n}: {got}");
        }
        assert_eq!(wilson_lower_bound(0, 10), Some(0.0));
        assert_eq!(wilson_lower_bound(0, 0), None);
        assert_eq!(wilson_lower_bound(11, 10), None);
    }

    fn ri(code: &str, satisfied: u64, ratings: u64) -> RankInput<'_> {
        RankInput { code, satisfied, ratings }
    }

    fn order<'a>(r: &[Ranked<'a>]) -> Vec<(&'a str, Option<u32>)> {
        r.iter().map(|x| (x.code, x.rank)).collect()
    }

    #[test]
    fn ranking_by_lower_bound_then_ratings_then_code() {
        let items = [
            ri("A", 3, 3),     // raw 100 %, bound 0.4385
            ri("D", 9, 10),    // 0.5958, ties with C: same ratings, code C first
            ri("F", 0, 12),    // 0
            ri("B", 270, 300), // raw 90 %, bound 0.8608
            ri("G", 0, 15),    // 0, ties with F: more ratings first
            ri("C", 9, 10),    // 0.5958
            ri("E", 18, 20),   // 0.6990
            ri("Z", 0, 0),     // nothing to rank
        ];
        let r = rank(&items, 1);
        assert_eq!(
            order(&r),
            [
                ("B", Some(1)),
                ("E", Some(2)),
                ("C", Some(3)),
                ("D", Some(4)),
                ("A", Some(5)),
                ("G", Some(6)),
                ("F", Some(7)),
                ("Z", None)
            ]
        );
        assert!(approx(r[0].lower_bound.unwrap(), 0.860833));
        assert_eq!(r[7].lower_bound, None);
    }

    #[test]
    fn ranking_skips_suppressed_items_without_using_numbers() {
        let items = [ri("A", 3, 3), ri("B", 270, 300), ri("H", 9, 9), ri("C", 9, 10), ri("X", 5, 10)];
        let r = rank(&items, DEFAULT_MIN_COUNT);
        // A (3 ratings) and H (9) are below 10: unranked, listed by code; C has exactly 10: ranked.
        assert_eq!(order(&r), [("B", Some(1)), ("C", Some(2)), ("X", Some(3)), ("A", None), ("H", None)]);
        assert!(rank(&[], DEFAULT_MIN_COUNT).is_empty());
    }

    #[test]
    fn suppression_below_and_at_the_minimum() {
        assert_eq!(DEFAULT_MIN_COUNT, 10);
        assert!(suppressed(9, DEFAULT_MIN_COUNT));
        assert!(!suppressed(10, DEFAULT_MIN_COUNT));
        assert!(suppressed(0, DEFAULT_MIN_COUNT));
        assert!(!suppressed(0, 0));
        assert!(suppressed(4, 5) && !suppressed(5, 5));
        assert_eq!(NOT_ENOUGH_DATA.vi, "chưa đủ dữ liệu");
    }

    #[test]
    fn percentiles_by_nearest_rank() {
        // Sorted 15 20 35 40 50, N = 5: rank = ⌈p·5/100⌉.
        let v = [50, 15, 40, 20, 35];
        let table = [(0, 15), (5, 15), (30, 20), (40, 20), (50, 35), (100, 50)];
        // p30: ⌈1.5⌉ = 2 → 20; p40: ⌈2⌉ = 2 → 20; p50: ⌈2.5⌉ = 3 → 35; p0 and p5 → rank 1.
        for (p, want) in table {
            assert_eq!(percentile(&v, p), Some(want), "p{p}");
        }
        // Sorted 3 6 7 8 8 10 13 15 16 20, N = 10: p25 ⌈2.5⌉ = 3 → 7; p50 rank 5 → 8;
        // p75 ⌈7.5⌉ = 8 → 15; p90 rank 9 → 16; p100 → 20.
        let v = [20, 8, 3, 16, 7, 10, 15, 8, 6, 13];
        for (p, want) in [(25, 7), (50, 8), (75, 15), (90, 16), (100, 20)] {
            assert_eq!(percentile(&v, p), Some(want), "p{p}");
        }
        assert_eq!(percentile::<i64>(&[], 50), None);
        assert_eq!(percentile(&[1], 101), None);
        assert_eq!(percentile(&[7], 90), Some(7));
    }

    #[test]
    fn band_words() {
        assert_eq!(UnitBand::Excellent.words().vi, "Xuất sắc");
        assert_eq!(UnitBand::Poor.words().vi, "Yếu");
        assert_eq!(OfficerBand::Full.words().vi, "Hoàn thành 100% nhiệm vụ");
        assert_eq!(OfficerBand::Below70.words().en, "Under 70% of duties fulfilled");
        assert!(UnitBand::Good > UnitBand::Fair && OfficerBand::Full > OfficerBand::From70To100);
    }

    #[test]
    fn empty_month() {
        let levels = LevelCounts::new(Scale::Vn5);
        assert_eq!(satisfaction_rate(&levels), None);
        let o = RatingOutcomes::default();
        assert_eq!(rate_766_over_ratings(&o), None);
        assert_eq!(rate_766_over_files(0, &o), None);
        let idx = IndexTally::default().score();
        assert_eq!(idx, None);
        assert_eq!(officer_score(&OfficerIndices { idx1: idx, idx3: idx, idx4: idx, idx7: idx }), None);
        assert_eq!(unit_total(&[None; 9]), None);
        // No cases is index 8's full 2 points, so a unit shows 2.0 (1 of 9) and no band; with no
        // ratings the report suppresses it anyway.
        let mut v = [None; 9];
        v[7] = Some(index8_score(&CaseCounts::default()));
        let u = unit_total(&v).unwrap();
        assert_eq!(u, UnitTotal { total: Tenths(20), with_data: 1, band: None });
        assert!(suppressed(levels.ratings(), DEFAULT_MIN_COUNT));
        assert_eq!(wilson_lower_bound(0, 0), None);
        assert!(rank(&[ri("A", 0, 0)], DEFAULT_MIN_COUNT).iter().all(|r| r.rank.is_none()));
        assert_eq!(percentile::<u32>(&[], 50), None);
    }

    proptest! {
        #[test]
        fn wilson_is_below_the_rate_and_monotone(n in 1u64..100_000, frac in 0.0f64..=1.0) {
            let s = ((n as f64) * frac).floor() as u64;
            let lb = wilson_lower_bound(s, n).unwrap();
            prop_assert!((0.0..=s as f64 / n as f64).contains(&lb));
            if s < n {
                prop_assert!(wilson_lower_bound(s + 1, n).unwrap() > lb);
            }
            // The same rate on twice the ratings earns a higher bound: more evidence, less doubt.
            if s > 0 {
                prop_assert!(wilson_lower_bound(2 * s, 2 * n).unwrap() > lb);
            }
        }

        #[test]
        fn rounding_is_half_up(den in 1u64..1_000_000, frac in 0.0f64..=1.0) {
            let num = ((2 * den) as f64 * frac).floor() as u64;
            let t = u128::from(Tenths::round_ratio(num, den).unwrap().0);
            let (x2, d) = (20 * u128::from(num), u128::from(den)); // x2 = 2 · (10 · num/den) · den
            // t − ½ ≤ 10·num/den < t + ½
            prop_assert!(x2 + d >= 2 * t * d && x2 < (2 * t + 1) * d);
        }

        #[test]
        fn rate_766_over_ratings_counts_each_rating_once(flags in prop::collection::vec(any::<(bool, bool)>(), 0..60)) {
            let mut o = RatingOutcomes::default();
            for &(d, c) in &flags {
                o.add(d, c);
            }
            let good = flags.iter().filter(|&&(d, c)| !d && !c).count() as u64;
            prop_assert_eq!(rate_766_over_ratings(&o), ratio(good, flags.len() as u64));
            prop_assert_eq!(
                RatingOutcomes::new(o.ratings(), o.dissatisfied(), o.with_case(), o.dissatisfied_with_case()),
                Ok(o)
            );
        }

        #[test]
        fn ranks_are_contiguous_and_ordered(
            counts in prop::collection::vec((0u64..40, 0u64..40), 0..25),
            min_count in 0u64..15,
        ) {
            let codes: Vec<String> = (0..counts.len()).map(|i| format!("D{i:02}")).collect();
            let items: Vec<RankInput> = counts
                .iter()
                .zip(&codes)
                .map(|(&(a, b), code)| ri(code, a.min(b), a.max(b)))
                .collect();
            let r = rank(&items, min_count);
            prop_assert_eq!(r.len(), items.len());
            let eligible = items.iter().filter(|i| i.ratings > 0 && i.ratings >= min_count).count();
            let ranked: Vec<&Ranked> = r.iter().take_while(|x| x.rank.is_some()).collect();
            prop_assert_eq!(ranked.len(), eligible);
            for (k, x) in ranked.iter().enumerate() {
                prop_assert_eq!(x.rank, Some(k as u32 + 1));
            }
            for w in ranked.windows(2) {
                prop_assert!(w[0].lower_bound >= w[1].lower_bound);
            }
        }

        #[test]
        fn percentile_is_the_nearest_rank(values in prop::collection::vec(-50i64..50, 1..40), p in 0u8..=100) {
            let r = percentile(&values, p).unwrap();
            let n = values.len() as u64;
            let at_most = values.iter().filter(|&&v| v <= r).count() as u64;
            let below = values.iter().filter(|&&v| v < r).count() as u64;
            // r is the smallest value with at least p % of the values at or below it.
            prop_assert!(100 * at_most >= u64::from(p) * n);
            prop_assert!(p == 0 && below == 0 || 100 * below < u64::from(p) * n);
        }
    }
}
