//! Working-time calendars: office hours, holidays, swapped working days; SLA arithmetic.
//!
//! A [`Calendar`] is weekly office hours ([`WeeklyHours`]) in a time zone, plus special dates: days
//! off (holidays and compensatory days off, *nghỉ bù*) and swapped working days (*làm bù*, usually a
//! Saturday). Two kinds:
//!
//! * **Computed from the statute**, the built-in `vn` ([`Calendar::vn`]): the public holidays of the
//!   Labour Code 2019 ([`holidays`]) for every year of [`STATUTE_YEARS`], and for a year whose
//!   arrangement was announced (the Prime Minister's Tết days, 1 or 3 September, swapped days) that
//!   [`Arrangement`] instead. Each year's days remember where they came from ([`Calendar::source`]).
//! * **Data only**: a TOML file ([`parse_file`], [`render_calendar`]) lists every special day.
//!
//! Arrangements are TOML too (`calendars/vn-2026.toml`, built in; [`render_arrangement`]).
//!
//! SLA arithmetic: [`Calendar::add`] (a deadline), [`Calendar::working_between`] (time spent),
//! [`Calendar::next_working_start`] (when to release mail held outside office hours). Instants are
//! `DateTime<Utc>`; dates and hours are local to the calendar's time zone. Nothing here reads the
//! clock.

use std::collections::{BTreeMap, HashMap};
use std::fmt::{self, Write as _};
use std::ops::RangeInclusive;
use std::str::FromStr;
use std::sync::LazyLock;

use chrono::{DateTime, Datelike, NaiveDate, NaiveDateTime, NaiveTime, TimeDelta, TimeZone, Timelike, Utc, Weekday};
use chrono_tz::Tz;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use toml::Spanned;

use crate::domain::holidays;
use crate::domain::hours::{DEFAULT_HOURS, TimeRange, WeeklyHours};
use crate::domain::org;
use crate::i18n::{Lang, Text};
use crate::t;
use crate::toml_errors::{self, line_of};

/// The time zone of a calendar that names none.
pub const DEFAULT_TZ: Tz = super::LOCAL_TZ;

/// How many days past `start` [`Calendar::add`] and [`Calendar::next_working_start`] search
/// (about three years). Only a calendar without working time, or an absurd duration, gets that far;
/// the answer is then [`NEVER`] instead of a search without end.
pub const HORIZON_DAYS: u32 = 3 * 366;

/// "No such instant within the horizon": the deadline never falls due.
pub const NEVER: DateTime<Utc> = DateTime::<Utc>::MAX_UTC;

/// The longest `from`–`until` range one file entry may cover. Real closures are at most ~9 days
/// (Tết); a longer range is more likely a typo in a year or month than a decision.
pub const MAX_RANGE_DAYS: i64 = 31;

/// The code of the built-in calendar computed from the statute.
pub const VN: &str = "vn";

/// Other codes of [`VN`]: `vn-2026` was the only built-in calendar before `vn` covered every year,
/// and organisation files and configurations name it.
pub const VN_ALIASES: &[&str] = &["vn-2026"];

/// The years a calendar computed from the statute covers: every deadline of a service started in
/// 2026 falls well inside, and the whole range costs about 1,300 dates, computed once.
pub const STATUTE_YEARS: RangeInclusive<i32> = 2000..=2100;

/// How many days before 1 January a year without an announced arrangement is warned about
/// ([`Calendar::arrangements_due`]): from 2 November.
pub const ARRANGEMENT_NOTICE_DAYS: u64 = 60;

/// Where the statute's days come from, as `calendar list` and alerts cite it.
pub const STATUTE_CITATION: &str = "Bộ luật Lao động 2019, Điều 112 (ngày lễ) và Điều 111 khoản 3 (nghỉ bù)";
pub const STATUTE_CITATION_EN: &str = "Labour Code 2019, Art. 112 (holidays) and Art. 111(3) (days off in lieu)";

const MAX_NAME: usize = 200;

/// `24:00`, as `hours.rs` stores it: the last nanosecond of the day.
const END_OF_DAY: NaiveTime = NaiveTime::from_hms_nano_opt(23, 59, 59, 999_999_999).unwrap();

/// The built-in arrangements of [`VN`] (2026 as announced), in the arrangement format.
const VN_2026_TOML: &str = include_str!("../../calendars/vn-2026.toml");

static VN_CALENDAR: LazyLock<Calendar> = LazyLock::new(|| {
    let week: WeeklyHours = DEFAULT_HOURS.parse().expect("DEFAULT_HOURS parses");
    let statute = Calendar::statutory(VN, "Lịch làm việc hành chính Việt Nam", DEFAULT_TZ, week, STATUTE_YEARS);
    let file = match parse_file(VN_2026_TOML, |c| (c == VN).then_some(&statute), Checks::Stored) {
        Ok(f) => f,
        Err(e) => panic!("calendars/vn-2026.toml: {e:?}"),
    };
    let mut cal = statute.clone();
    for a in &file.arrangements {
        cal.apply(a).unwrap_or_else(|e| panic!("calendars/vn-2026.toml: {e}"));
    }
    cal
});

// ───────────────────────────── Calendars ─────────────────────────────

/// Why a date is off.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum OffKind {
    /// A public holiday (ngày lễ, Tết).
    Holiday,
    /// A compensatory or swapped day off (nghỉ bù, nghỉ hoán đổi).
    Compensatory,
}

/// A date that differs from the weekly hours.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SpecialDay {
    /// No working time at all that date.
    Off { kind: OffKind, name: String },
    /// A working day that the week would not give, usually a swapped Saturday (làm bù). `hours`
    /// (sorted, non-overlapping) or, when `None`, the calendar's [normal day](Calendar::normal_day).
    Working { name: String, hours: Option<Vec<TimeRange>> },
}

impl SpecialDay {
    pub fn name(&self) -> &str {
        match self {
            SpecialDay::Off { name, .. } | SpecialDay::Working { name, .. } => name,
        }
    }

    /// The file's `kind`: `holiday`, `compensatory` or `working`.
    pub fn kind_str(&self) -> &'static str {
        match self {
            SpecialDay::Off { kind: OffKind::Holiday, .. } => "holiday",
            SpecialDay::Off { kind: OffKind::Compensatory, .. } => "compensatory",
            SpecialDay::Working { .. } => "working",
        }
    }
}

/// Office hours in a time zone, with days off and swapped working days.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Calendar {
    pub code: String,
    pub name: String,
    pub tz: Tz,
    pub week: WeeklyHours,
    /// Special dates (local), one rule per date, so a date cannot be both off and working.
    pub days: BTreeMap<NaiveDate, SpecialDay>,
    /// For a calendar computed from the statute: the years covered and those announced.
    pub statute: Option<Statute>,
}

/// How a calendar computed from the statute got its days.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Statute {
    /// The years whose days were computed; other years have no holidays at all.
    pub years: RangeInclusive<i32>,
    /// Years whose days are an announced [`Arrangement`] instead of the statute's, with the
    /// arrangement's `source`.
    pub announced: BTreeMap<i32, String>,
}

/// Where the special days of a year come from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// Computed from the Labour Code 2019 ([`STATUTE_CITATION`]).
    Statute,
    /// An announced arrangement for the year, by the text of its `source`.
    Announcement(String),
    /// Written in the calendar's own file (`[[calendars]]`).
    CalendarFile,
    /// None: a year outside [`Statute::years`].
    Nothing,
}

/// A year's announced arrangement for a calendar computed from the statute: every day off and
/// swapped working day of that year. It replaces the statute's days of the year as a whole,
/// because announcements move Tết and swap days around the statutory ones.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Arrangement {
    /// The code of the calendar (never an alias: [`parse_file`] resolves those).
    pub calendar: String,
    pub year: i32,
    /// What announced it, e.g. "Thông báo 9441/TB-BNV ngày 16/10/2025 của Bộ Nội vụ".
    pub source: String,
    /// Dated in `year`, one rule per date.
    pub days: BTreeMap<NaiveDate, SpecialDay>,
}

/// A working period as instants, `[start, end)`.
type Period = (DateTime<Utc>, DateTime<Utc>);

/// Working time as the case rules need it: deadlines ([`Calendar::add`]) and durations
/// ([`Calendar::working_between`]), from a [`Calendar`] or a [`Memo`] of one.
pub trait WorkingTime {
    fn add(&self, start: DateTime<Utc>, d: WorkDuration) -> DateTime<Utc>;
    fn working_between(&self, a: DateTime<Utc>, b: DateTime<Utc>) -> TimeDelta;
}

impl WorkingTime for Calendar {
    fn add(&self, start: DateTime<Utc>, d: WorkDuration) -> DateTime<Utc> {
        Calendar::add(self, start, d)
    }

    fn working_between(&self, a: DateTime<Utc>, b: DateTime<Utc>) -> TimeDelta {
        Calendar::working_between(self, a, b)
    }
}

/// A calendar that keeps each date's working periods once worked out, for many computations over
/// the same dates (a report replays thousands of cases over one year: working a date's periods
/// out means time-zone conversions, and most of the replay's time went there). Same answers as
/// the calendar (tested); one thread's, one computation's.
pub struct Memo<'a> {
    cal: &'a Calendar,
    days: std::cell::RefCell<HashMap<NaiveDate, std::rc::Rc<[Period]>>>,
}

impl<'a> Memo<'a> {
    pub fn new(cal: &'a Calendar) -> Memo<'a> {
        Memo { cal, days: Default::default() }
    }

    fn periods(&self, date: NaiveDate) -> std::rc::Rc<[Period]> {
        self.days.borrow_mut().entry(date).or_insert_with(|| self.cal.periods(date).into()).clone()
    }
}

impl WorkingTime for Memo<'_> {
    fn add(&self, start: DateTime<Utc>, d: WorkDuration) -> DateTime<Utc> {
        match d {
            WorkDuration::Seconds(n) => self.cal.add_seconds_by(start, n, |date| self.periods(date)),
            WorkDuration::Days(_) => self.cal.add(start, d),
        }
    }

    fn working_between(&self, a: DateTime<Utc>, b: DateTime<Utc>) -> TimeDelta {
        self.cal.working_between_by(a, b, |date| self.periods(date))
    }
}

fn has_hours(week: &WeeklyHours) -> bool {
    week.days.iter().any(|d| !d.is_empty())
}

fn no_hours_error() -> Text {
    t!(
        "tuần không có giờ làm việc nào, nên không thời hạn nào đến được (ví dụ: {DEFAULT_HOURS})",
        "the week has no working hours, so no deadline could ever fall due (e.g. {DEFAULT_HOURS})"
    )
}

impl Calendar {
    /// A calendar without special dates. Refuses a bad code or name, and a week without any hours
    /// (nothing could ever fall due).
    pub fn new(code: &str, name: &str, tz: Tz, week: WeeklyHours) -> Result<Calendar, Text> {
        org::check_code(code)?;
        org::check_text(name, MAX_NAME)?;
        if !has_hours(&week) {
            return Err(no_hours_error());
        }
        Ok(Calendar { code: code.into(), name: name.into(), tz, week, days: BTreeMap::new(), statute: None })
    }

    /// A calendar whose special days are the statute's ([`holidays::statutory_days`]) for every year
    /// of `years` (within [`holidays::MIN_YEAR`]..=[`holidays::MAX_YEAR`]); the weekly days off are
    /// the days `week` gives no hours. Holidays keep their Vietnamese names.
    pub fn statutory(code: &str, name: &str, tz: Tz, week: WeeklyHours, years: RangeInclusive<i32>) -> Calendar {
        let off = |w: Weekday| week.ranges(w).is_empty();
        let mut days = BTreeMap::new();
        for year in years.clone() {
            for d in holidays::statutory_days(year, &off) {
                let kind = if d.compensatory { OffKind::Compensatory } else { OffKind::Holiday };
                days.insert(d.date, SpecialDay::Off { kind, name: d.name.vi });
            }
        }
        let statute = Some(Statute { years, announced: BTreeMap::new() });
        Calendar { code: code.into(), name: name.into(), tz, week, days, statute }
    }

    /// Code `vn`: office hours Mon–Fri 07:30–11:30, 13:30–17:00 in Asia/Ho_Chi_Minh, the statute's
    /// days off for [`STATUTE_YEARS`], and the built-in arrangements (2026 as announced).
    pub fn vn() -> Calendar {
        VN_CALENDAR.clone()
    }

    /// Makes `a` the special days of its year, replacing what was there (the statute's days, or an
    /// earlier arrangement). Only for a calendar computed from the statute, within its years.
    pub fn apply(&mut self, a: &Arrangement) -> Result<(), Text> {
        let (code, year) = (&self.code, a.year);
        let Some(statute) = &mut self.statute else {
            return Err(t!(
                "lịch {code:?} không tính theo luật, nên không nhận lịch nghỉ theo năm",
                "calendar {code:?} is not computed from the statute, so it takes no yearly arrangement"
            ));
        };
        if !statute.years.contains(&year) {
            let (lo, hi) = (statute.years.start(), statute.years.end());
            return Err(t!(
                "năm {year} nằm ngoài các năm lịch {code:?} tính theo luật ({lo}–{hi})",
                "year {year} is outside the years calendar {code:?} covers ({lo}–{hi})"
            ));
        }
        statute.announced.insert(year, a.source.clone());
        self.days.retain(|d, _| d.year() != year);
        // Parsing keeps an arrangement's days in its year; one built by hand must not reach further.
        self.days.extend(a.days.iter().filter(|(d, _)| d.year() == year).map(|(d, r)| (*d, r.clone())));
        Ok(())
    }

    /// Where the special days of `year` come from.
    pub fn source(&self, year: i32) -> Source {
        match &self.statute {
            None => Source::CalendarFile,
            Some(s) => match s.announced.get(&year) {
                Some(text) => Source::Announcement(text.clone()),
                None if s.years.contains(&year) => Source::Statute,
                None => Source::Nothing,
            },
        }
    }

    /// The years a calendar computed from the statute should have an announced arrangement for on
    /// local date `today`, each with whether it has one: this year, and next year from
    /// [`ARRANGEMENT_NOTICE_DAYS`] before its 1 January. Empty for other calendars.
    pub fn arrangements_due(&self, today: NaiveDate) -> Vec<(i32, bool)> {
        let Some(statute) = &self.statute else { return Vec::new() };
        let next = today.year() + 1;
        let notice = NaiveDate::from_ymd_opt(next, 1, 1)
            .and_then(|d| d.checked_sub_days(chrono::Days::new(ARRANGEMENT_NOTICE_DAYS)))
            .is_some_and(|from| today >= from);
        let years = if notice { vec![today.year(), next] } else { vec![today.year()] };
        years
            .into_iter()
            .filter(|y| statute.years.contains(y))
            .map(|y| (y, statute.announced.contains_key(&y)))
            .collect()
    }

    /// The special days dated in `year`.
    pub fn days_in(&self, year: i32) -> impl Iterator<Item = (&NaiveDate, &SpecialDay)> {
        let range = NaiveDate::from_ymd_opt(year, 1, 1).zip(NaiveDate::from_ymd_opt(year, 12, 31));
        range.into_iter().flat_map(|(a, b)| self.days.range(a..=b))
    }

    /// Code `24x7`: every instant is working time, so durations add as plain time. For tests and
    /// trial setups.
    pub fn always() -> Calendar {
        Calendar {
            code: "24x7".into(),
            name: "Làm việc liên tục 24/7".into(),
            tz: DEFAULT_TZ,
            week: WeeklyHours::always(),
            days: BTreeMap::new(),
            statute: None,
        }
    }

    /// The hours of a normal working day, given to a swapped working day that names none: the
    /// hours most weekdays share (ties: the earliest weekday), so a week with short Saturdays still
    /// swaps in a full day.
    pub fn normal_day(&self) -> &[TimeRange] {
        let days = &self.week.days;
        let mut best: (&[TimeRange], usize) = (&[], 0);
        for d in days.iter().filter(|d| !d.is_empty()) {
            let n = days.iter().filter(|x| *x == d).count();
            if n > best.1 {
                best = (d, n);
            }
        }
        best.0
    }

    /// The local working hours of `date`: none on a day off, a swapped day's hours, else the week's.
    pub fn working_ranges(&self, date: NaiveDate) -> Vec<TimeRange> {
        match self.days.get(&date) {
            Some(SpecialDay::Off { .. }) => Vec::new(),
            Some(SpecialDay::Working { hours: Some(h), .. }) => h.clone(),
            Some(SpecialDay::Working { hours: None, .. }) => self.normal_day().to_vec(),
            None => self.week.ranges(date.weekday()).to_vec(),
        }
    }

    /// Whether `t` is working time (periods are half-open: 11:30 is already lunch).
    /// Whether a desk with weekly `hours` is open at `t`: holidays and days off close it, a
    /// swapped working day opens it on the calendar's hours, any other day follows `hours`.
    pub fn desk_open(&self, hours: &WeeklyHours, t: DateTime<Utc>) -> bool {
        let local = t.with_timezone(&self.tz).naive_local();
        match self.days.get(&local.date()) {
            Some(SpecialDay::Off { .. }) => false,
            Some(SpecialDay::Working { .. }) => {
                self.working_ranges(local.date()).iter().any(|r| r.contains(local.time()))
            }
            None => hours.is_open(local),
        }
    }

    pub fn is_working(&self, t: DateTime<Utc>) -> bool {
        self.dates_from(t).take(2).flat_map(|d| self.periods(d)).any(|(s, e)| s <= t && t < e)
    }

    /// `t` itself if it is working time, else the start of the next working period: when mail held
    /// outside office hours goes out. [`NEVER`] if there is none within [`HORIZON_DAYS`].
    pub fn next_working_start(&self, t: DateTime<Utc>) -> DateTime<Utc> {
        for (s, e) in self.dates_within_horizon(t).flat_map(|d| self.periods(d)) {
            if e > t {
                return s.max(t);
            }
        }
        NEVER
    }

    /// `start` plus `d` of working time: an SLA deadline.
    ///
    /// * `Seconds(n)` walks through the working periods from `start` (or from the next period, when
    ///   `start` is outside working time), using up `n` seconds. A deadline that falls exactly at
    ///   the end of a period stays there rather than moving to the next start: with the default
    ///   hours, Friday 16:30 + 8h is Monday 17:00.
    /// * `Days(n)` is the end of the n-th working day, counting from the first working day whose
    ///   working time has not begun before `start`: Monday 10:00 + 1d = Tuesday 17:00,
    ///   Monday 07:00 + 1d = Monday 17:00, Saturday + 1d = Monday 17:00. A day that opens exactly
    ///   at `start` counts, so mail held until opening ([`Calendar::next_working_start`]) gets the
    ///   same deadline as it would have had when it arrived.
    /// * `Seconds(0)` (or negative) and `Days(0)` return `start` unchanged, even outside working time.
    /// * The search stops [`HORIZON_DAYS`] past `start`; a deadline beyond is [`NEVER`]. Parsing and
    ///   [`Calendar::new`] refuse a week without hours, so only an absurd duration or a calendar
    ///   built by hand with no working time gets there.
    pub fn add(&self, start: DateTime<Utc>, d: WorkDuration) -> DateTime<Utc> {
        match d {
            WorkDuration::Seconds(n) => self.add_seconds(start, n),
            WorkDuration::Days(n) => self.add_days(start, n),
        }
    }

    fn add_seconds(&self, start: DateTime<Utc>, n: i64) -> DateTime<Utc> {
        self.add_seconds_by(start, n, |d| self.periods(d))
    }

    /// [`Calendar::add`] in seconds, with each date's periods from `periods` (worked out, or kept
    /// by a [`Memo`]).
    fn add_seconds_by<P: AsRef<[Period]>>(
        &self,
        start: DateTime<Utc>,
        n: i64,
        periods: impl Fn(NaiveDate) -> P,
    ) -> DateTime<Utc> {
        if n <= 0 {
            return start;
        }
        let Some(mut left) = TimeDelta::try_seconds(n) else { return NEVER };
        for date in self.dates_within_horizon(start) {
            for &(s, e) in periods(date).as_ref() {
                if e <= start {
                    continue;
                }
                let from = s.max(start);
                let here = e - from;
                // `<=`, not `<`: a deadline exactly at a period's end stays at that end.
                if left <= here {
                    return from + left;
                }
                left -= here;
            }
        }
        NEVER
    }

    fn add_days(&self, start: DateTime<Utc>, n: u32) -> DateTime<Utc> {
        if n == 0 {
            return start;
        }
        let mut counted = 0;
        for date in self.dates_within_horizon(start) {
            let periods = self.periods(date);
            let (Some(first), Some(last)) = (periods.first(), periods.last()) else { continue };
            if first.0 < start {
                continue; // begun already (or over): this day's remainder is a bonus, not a day
            }
            counted += 1;
            if counted == n {
                return last.1;
            }
        }
        NEVER
    }

    /// Working time in `[a, b)`; zero if `b <= a`. Exact over any span (no horizon): it walks
    /// every day between.
    pub fn working_between(&self, a: DateTime<Utc>, b: DateTime<Utc>) -> TimeDelta {
        self.working_between_by(a, b, |d| self.periods(d))
    }

    fn working_between_by<P: AsRef<[Period]>>(
        &self,
        a: DateTime<Utc>,
        b: DateTime<Utc>,
        periods: impl Fn(NaiveDate) -> P,
    ) -> TimeDelta {
        let mut total = TimeDelta::zero();
        if b <= a {
            return total;
        }
        let last = self.local_date(b);
        for date in self.dates_from(a).take_while(|d| *d <= last) {
            for &(s, e) in periods(date).as_ref() {
                let (lo, hi) = (s.max(a), e.min(b));
                if lo < hi {
                    total += hi - lo;
                }
            }
        }
        total
    }

    fn local_date(&self, t: DateTime<Utc>) -> NaiveDate {
        t.with_timezone(&self.tz).date_naive()
    }

    /// Local dates from the day before `t`'s onwards. The day before has no period that reaches
    /// `t`; it is there so that no off-by-one at midnight can skip a period.
    fn dates_from(&self, t: DateTime<Utc>) -> impl Iterator<Item = NaiveDate> {
        let d = self.local_date(t);
        std::iter::successors(Some(d.pred_opt().unwrap_or(d)), |d| d.succ_opt())
    }

    /// [`Calendar::dates_from`], up to [`HORIZON_DAYS`] after `t`'s date.
    fn dates_within_horizon(&self, t: DateTime<Utc>) -> impl Iterator<Item = NaiveDate> {
        self.dates_from(t).take(HORIZON_DAYS as usize + 2)
    }

    /// The working periods of a local date as instants, in order. An end of 24:00 is the next
    /// midnight, so the periods of a 24-hour calendar meet without a gap.
    fn periods(&self, date: NaiveDate) -> Vec<Period> {
        self.working_ranges(date)
            .iter()
            .filter_map(|r| {
                let start = self.instant(date.and_time(r.start))?;
                let end = if r.end == END_OF_DAY {
                    self.instant(date.succ_opt()?.and_time(NaiveTime::MIN))?
                } else {
                    self.instant(date.and_time(r.end))?
                };
                (start < end).then_some((start, end))
            })
            .collect()
    }

    /// The instant of a local wall time. Both fallbacks keep the mapping monotone, so periods stay
    /// in order across daylight-saving changes.
    fn instant(&self, local: NaiveDateTime) -> Option<DateTime<Utc>> {
        // Repeated when clocks go back: the first time.
        if let Some(t) = self.tz.from_local_datetime(&local).earliest() {
            return Some(t.to_utc());
        }
        // Skipped when clocks go forward: the first whole minute after the jump.
        let mut l = local.with_second(0)?.with_nanosecond(0)?;
        for _ in 0..2 * 24 * 60 {
            l = l.checked_add_signed(TimeDelta::minutes(1))?;
            if let Some(t) = self.tz.from_local_datetime(&l).earliest() {
                return Some(t.to_utc());
            }
        }
        None
    }
}

// ───────────────────────────── Durations ─────────────────────────────

/// An amount of working time, written `8h`, `30m`, `45s`, `1h30m` or `5d`.
///
/// `Days` are working days, not 24-hour spans, and do not mix with h/m/s: "the end of the fifth
/// working day" is not a number of hours. See [`Calendar::add`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum WorkDuration {
    Seconds(i64),
    Days(u32),
}

impl FromStr for WorkDuration {
    type Err = Text;

    /// Components `<digits><unit>`, units `h`, `m`, `s` in that order, each at most once, or a
    /// single `<digits>d`. Spaces between components are allowed. Must be more than zero.
    fn from_str(input: &str) -> Result<WorkDuration, Text> {
        let s = input.trim();
        if s.is_empty() {
            return Err(t!(
                "thời lượng trống (ví dụ: 8h, 30m, 1h30m, 5d)",
                "the duration is empty (e.g. 8h, 30m, 1h30m, 5d)"
            ));
        }
        if s.starts_with('-') {
            return Err(t!("thời lượng {s:?} không được âm", "duration {s:?} cannot be negative"));
        }
        let syntax = || {
            t!(
                "thời lượng {s:?} không hợp lệ: viết số rồi đơn vị h (giờ), m (phút), s (giây) hoặc d (ngày làm việc), ví dụ 8h, 1h30m, 5d",
                "duration {s:?} is not valid: write a number then a unit, h (hours), m (minutes), s (seconds) or d (working days), e.g. 8h, 1h30m, 5d"
            )
        };
        let too_large = || t!("thời lượng {s:?} quá lớn", "duration {s:?} is too large");
        let zero = || t!("thời lượng {s:?} phải lớn hơn 0", "duration {s:?} must be more than zero");

        let mut parts: Vec<(&str, u8)> = Vec::new();
        let mut rest = s;
        while !rest.is_empty() {
            let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
            let unit = rest.as_bytes().get(digits).copied();
            match unit {
                Some(u @ (b'd' | b'h' | b'm' | b's')) if digits > 0 => parts.push((&rest[..digits], u)),
                _ => return Err(syntax()),
            }
            rest = rest[digits + 1..].trim_start();
        }

        if parts.iter().any(|(_, u)| *u == b'd') {
            if parts.len() > 1 {
                return Err(t!(
                    "thời lượng {s:?} trộn ngày (d) với giờ, phút, giây; chỉ dùng một loại, ví dụ 5d hoặc 8h",
                    "duration {s:?} mixes days (d) with hours, minutes or seconds; use one or the other, e.g. 5d or 8h"
                ));
            }
            let n: u32 = parts[0].0.parse().map_err(|_| too_large())?;
            return if n == 0 { Err(zero()) } else { Ok(WorkDuration::Days(n)) };
        }

        let mut total: i64 = 0;
        let mut prev: Option<usize> = None;
        for (digits, unit) in parts {
            let (rank, unit_secs) = match unit {
                b'h' => (0, 3600),
                b'm' => (1, 60),
                _ => (2, 1),
            };
            if prev.is_some_and(|p| p >= rank) {
                return Err(t!(
                    "trong thời lượng {s:?}, viết giờ, phút, giây theo thứ tự đó, mỗi đơn vị một lần (ví dụ 1h30m)",
                    "in duration {s:?}, write hours, minutes, seconds in that order, each once (e.g. 1h30m)"
                ));
            }
            prev = Some(rank);
            let n: i64 = digits.parse().map_err(|_| too_large())?;
            total = n.checked_mul(unit_secs).and_then(|x| total.checked_add(x)).ok_or_else(too_large)?;
        }
        // Anything longer cannot be a chrono duration (and is hundreds of millions of years).
        if TimeDelta::try_seconds(total).is_none() {
            return Err(too_large());
        }
        if total == 0 { Err(zero()) } else { Ok(WorkDuration::Seconds(total)) }
    }
}

impl fmt::Display for WorkDuration {
    /// The canonical form: `5d`; `1h30m` (zero components left out, no days: those are working
    /// days); `0s` for zero.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let n = match *self {
            WorkDuration::Days(n) => return write!(f, "{n}d"),
            WorkDuration::Seconds(0) => return f.write_str("0s"),
            WorkDuration::Seconds(n) => n,
        };
        if n < 0 {
            f.write_str("-")?;
        }
        let n = n.unsigned_abs();
        let (h, m, s) = (n / 3600, n / 60 % 60, n % 60);
        if h > 0 {
            write!(f, "{h}h")?;
        }
        if m > 0 {
            write!(f, "{m}m")?;
        }
        if s > 0 {
            write!(f, "{s}s")?;
        }
        Ok(())
    }
}

impl Serialize for WorkDuration {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for WorkDuration {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<WorkDuration, D::Error> {
        let s = String::deserialize(deserializer)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

// ───────────────────────────── The file ─────────────────────────────

type S<T> = Spanned<T>;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FileDoc {
    #[serde(default)]
    calendars: Vec<S<CalendarRow>>,
    #[serde(default)]
    arrangements: Vec<S<ArrangementRow>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CalendarRow {
    code: S<String>,
    name: S<String>,
    timezone: Option<S<String>>,
    hours: Option<S<String>>,
    #[serde(default)]
    days: Vec<S<DayRow>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ArrangementRow {
    calendar: S<String>,
    year: S<i64>,
    source: S<String>,
    #[serde(default)]
    days: Vec<S<DayRow>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct DayRow {
    date: Option<S<String>>,
    from: Option<S<String>>,
    until: Option<S<String>>,
    kind: S<String>,
    name: S<String>,
    hours: Option<S<String>>,
}

/// One problem in a calendar file, at a line when known.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CalendarError {
    pub line: Option<usize>,
    pub message: Text,
}

impl CalendarError {
    /// `FILE:LINE: message` in the reader's language.
    pub fn render(&self, file: &str, lang: Lang) -> String {
        match self.line {
            Some(l) => format!("{file}:{l}: {}", self.message.get(lang)),
            None => format!("{file}: {}", self.message.get(lang)),
        }
    }
}

impl fmt::Display for CalendarError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(l) => write!(f, "dòng {l} (line {l}): {}", self.message),
            None => write!(f, "{}", self.message),
        }
    }
}

impl std::error::Error for CalendarError {}

/// What a file may hold, and how much is checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Checks {
    /// A file a person imports: the format, and the rules of [`parse_file`] for imports.
    Import,
    /// Text this program wrote (stored definitions, built-in files): the format only, so that a
    /// holiday added to the statute later does not make an arrangement stored before unreadable.
    Stored,
}

/// What a calendar file holds.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CalendarFile {
    pub calendars: Vec<Calendar>,
    pub arrangements: Vec<Arrangement>,
}

/// Where a problem is, for the message: entry, day entry, field.
#[derive(Clone, Copy)]
struct Place<'a> {
    /// `calendars` or `arrangements`.
    section: &'static str,
    index: usize,
    /// What identifies the entry, in Vietnamese and English: `mã "vn-2026"`, `code "vn-2026"`.
    label: Option<(&'a str, &'a str)>,
    entry: Option<(usize, &'a str)>,
}

impl Place<'_> {
    /// "[[calendars]] #1 (code "hcm"), [[calendars.days]] #3 ("Quốc khánh"), field `date`: …"
    fn say(&self, field: &str, what: Text) -> Text {
        let (sec, n) = (self.section, self.index + 1);
        let (mut vi, mut en) = (format!("[[{sec}]] thứ {n}"), format!("[[{sec}]] #{n}"));
        if let Some((label_vi, label_en)) = self.label {
            let _ = write!(vi, " ({label_vi})");
            let _ = write!(en, " ({label_en})");
        }
        if let Some((j, name)) = self.entry {
            let m = j + 1;
            let _ = write!(vi, ", [[{sec}.days]] thứ {m}");
            let _ = write!(en, ", [[{sec}.days]] #{m}");
            if !name.is_empty() {
                let _ = write!(vi, " ({name:?})");
                let _ = write!(en, " ({name:?})");
            }
        }
        if !field.is_empty() {
            let _ = write!(vi, ", trường `{field}`");
            let _ = write!(en, ", field `{field}`");
        }
        Text::new(format!("{vi}: {}", what.vi), format!("{en}: {}", what.en))
    }
}

struct Collector<'a> {
    text: &'a str,
    errors: Vec<CalendarError>,
}

impl Collector<'_> {
    fn line<T>(&self, s: &S<T>) -> usize {
        line_of(self.text, s.span().start)
    }

    fn push(&mut self, line: usize, message: Text) {
        self.errors.push(CalendarError { line: Some(line), message });
    }
}

/// Parses a calendar file: whole calendars (`[[calendars]]`, every special day listed) and years'
/// arrangements for a calendar computed from the statute (`[[arrangements]]`, format:
/// `calendars/vn-2026.toml`). `resolve` finds the calendar an arrangement names, by code or alias.
/// All errors are returned together, each with its line, naming the entry and the field.
///
/// An arrangement must name a calendar computed from the statute and a year it covers, once per
/// file, and its days must lie in that year. With [`Checks::Import`] also:
/// * it must keep the statute's fixed holidays ([`holidays::fixed_days`]) off: the law sets them,
///   the announcement only chooses the other Tết days, 1 or 3 September and swaps;
/// * it must give at least as many days off on working days, net of swapped working days, as the
///   statute gives that year: an announcement replaces the statute's days for the year as a whole,
///   so a forgotten holiday or nghỉ bù would otherwise pass unnoticed;
/// * a whole calendar may not take the code [`VN`] or one of [`VN_ALIASES`]: those years change
///   through arrangements.
pub fn parse_file<'c>(
    text: &str,
    resolve: impl Fn(&str) -> Option<&'c Calendar>,
    checks: Checks,
) -> Result<CalendarFile, Vec<CalendarError>> {
    let doc: FileDoc = toml_errors::from_str(text).map_err(|problems| {
        problems.into_iter().map(|p| CalendarError { line: p.line, message: p.message }).collect::<Vec<_>>()
    })?;
    let mut c = Collector { text, errors: Vec::new() };
    let mut seen: HashMap<String, usize> = HashMap::new();
    let mut file = CalendarFile::default();
    for (i, row) in doc.calendars.iter().enumerate() {
        if let Some(cal) = parse_calendar(&mut c, i, row.get_ref(), &mut seen, checks) {
            file.calendars.push(cal);
        }
    }
    let mut years: HashMap<(String, i32), usize> = HashMap::new();
    for (i, row) in doc.arrangements.iter().enumerate() {
        if let Some(a) = parse_arrangement(&mut c, i, row, &resolve, &mut years, checks) {
            file.arrangements.push(a);
        }
    }
    if c.errors.is_empty() { Ok(file) } else { Err(c.errors) }
}

/// The whole calendars of a file written by this program (a stored definition).
pub fn parse_calendars(text: &str) -> Result<Vec<Calendar>, Vec<CalendarError>> {
    parse_file(text, |_| None, Checks::Stored).map(|f| f.calendars)
}

fn parse_calendar(
    c: &mut Collector,
    i: usize,
    r: &CalendarRow,
    seen: &mut HashMap<String, usize>,
    checks: Checks,
) -> Option<Calendar> {
    let before = c.errors.len();
    let code = r.code.get_ref().trim();
    let (label_vi, label_en) = (format!("mã {code:?}"), format!("code {code:?}"));
    let mut at = Place { section: "calendars", index: i, label: None, entry: None };
    let code_line = c.line(&r.code);
    match org::check_code(code) {
        Err(m) => c.push(code_line, at.say("code", m)),
        Ok(()) if checks == Checks::Import && (code == VN || VN_ALIASES.contains(&code)) => {
            at.label = Some((&label_vi, &label_en));
            c.push(
                code_line,
                at.say(
                    "code",
                    t!(
                        "{code:?} là lịch có sẵn, tính theo Bộ luật Lao động cho mọi năm; để đổi một năm, nhập lịch nghỉ của năm đó: [[arrangements]] với calendar = \"{VN}\" (xem calendars/vn-2026.toml)",
                        "{code:?} is the built-in calendar computed from the Labour Code for every year; to change a year, import that year's arrangement: [[arrangements]] with calendar = \"{VN}\" (see calendars/vn-2026.toml)"
                    ),
                ),
            );
        }
        Ok(()) => {
            at.label = Some((&label_vi, &label_en));
            match seen.get(code) {
                Some(first) => c.push(
                    code_line,
                    at.say(
                        "code",
                        t!(
                            "mã lịch bị trùng, đã dùng ở dòng {first}",
                            "duplicate calendar code, already used at line {first}"
                        ),
                    ),
                ),
                None => {
                    seen.insert(code.to_string(), code_line);
                }
            }
        }
    }
    let name = r.name.get_ref().trim();
    if let Err(m) = org::check_text(name, MAX_NAME) {
        c.push(c.line(&r.name), at.say("name", m));
    }
    let tz = match &r.timezone {
        None => DEFAULT_TZ,
        Some(s) => {
            let v = s.get_ref().trim();
            v.parse::<Tz>().unwrap_or_else(|_| {
                c.push(
                    c.line(s),
                    at.say(
                        "timezone",
                        t!(
                            "múi giờ {v:?} không tồn tại (dùng tên IANA, ví dụ Asia/Ho_Chi_Minh)",
                            "unknown time zone {v:?} (use an IANA name, e.g. Asia/Ho_Chi_Minh)"
                        ),
                    ),
                );
                DEFAULT_TZ
            })
        }
    };
    let week = match &r.hours {
        None => DEFAULT_HOURS.parse().expect("DEFAULT_HOURS parses"),
        Some(h) => match h.get_ref().parse::<WeeklyHours>() {
            Ok(w) if has_hours(&w) => w,
            Ok(_) => {
                c.push(c.line(h), at.say("hours", no_hours_error()));
                WeeklyHours::default()
            }
            Err(m) => {
                c.push(c.line(h), at.say("hours", m));
                WeeklyHours::default()
            }
        },
    };
    let mut days = BTreeMap::new();
    // Which entry (by line) claimed each date, to report overlaps.
    let mut claimed: HashMap<NaiveDate, usize> = HashMap::new();
    for (j, row) in r.days.iter().enumerate() {
        let d = row.get_ref();
        let entry_at = Place { entry: Some((j, d.name.get_ref().trim())), ..at };
        parse_day(c, entry_at, c.line(row), d, None, &mut days, &mut claimed);
    }
    (c.errors.len() == before).then(|| Calendar { code: code.into(), name: name.into(), tz, week, days, statute: None })
}

fn parse_arrangement<'c>(
    c: &mut Collector,
    i: usize,
    row: &S<ArrangementRow>,
    resolve: &impl Fn(&str) -> Option<&'c Calendar>,
    years: &mut HashMap<(String, i32), usize>,
    checks: Checks,
) -> Option<Arrangement> {
    let before = c.errors.len();
    let r = row.get_ref();
    let code = r.calendar.get_ref().trim();
    let year_value = *r.year.get_ref();
    let (label_vi, label_en) =
        (format!("lịch {code:?}, năm {year_value}"), format!("calendar {code:?}, year {year_value}"));
    let at = Place { section: "arrangements", index: i, label: Some((&label_vi, &label_en)), entry: None };

    let cal = match resolve(code) {
        None => {
            c.push(
                c.line(&r.calendar),
                at.say(
                    "calendar",
                    t!(
                        "không có lịch {code:?}; lịch nghỉ theo năm dành cho lịch tính theo luật, như \"{VN}\"",
                        "no calendar {code:?}; a year's arrangement goes on a calendar computed from the statute, such as \"{VN}\""
                    ),
                ),
            );
            None
        }
        Some(cal) => match &cal.statute {
            Some(statute) => Some((cal, statute)),
            None => {
                c.push(
                    c.line(&r.calendar),
                    at.say(
                        "calendar",
                        t!(
                            "lịch {code:?} không tính theo luật: mọi ngày nghỉ của nó nằm trong tệp của nó ([[calendars]]); hãy sửa tệp đó và nhập lại",
                            "calendar {code:?} is not computed from the statute: all its days are in its own file ([[calendars]]); edit that file and import it again"
                        ),
                    ),
                );
                None
            }
        },
    };
    let year = i32::try_from(year_value).ok().filter(|y| (1..=9999).contains(y));
    let year_line = c.line(&r.year);
    match (cal, year) {
        (_, None) => {
            c.push(year_line, at.say("year", t!("năm {year_value} không hợp lệ", "year {year_value} is not valid")))
        }
        (Some((cal, statute)), Some(y)) if !statute.years.contains(&y) => {
            let (lo, hi, canonical) = (statute.years.start(), statute.years.end(), &cal.code);
            c.push(
                year_line,
                at.say(
                    "year",
                    t!(
                        "năm {y} nằm ngoài các năm lịch {canonical:?} tính theo luật ({lo}–{hi})",
                        "year {y} is outside the years calendar {canonical:?} covers ({lo}–{hi})"
                    ),
                ),
            );
        }
        (Some((cal, _)), Some(y)) => {
            if let Some(first) = years.get(&(cal.code.clone(), y)) {
                let canonical = &cal.code;
                c.push(
                    year_line,
                    at.say(
                        "year",
                        t!(
                            "tệp đã có lịch nghỉ năm {y} của lịch {canonical:?} ở dòng {first}",
                            "the file already has the {y} arrangement of calendar {canonical:?} at line {first}"
                        ),
                    ),
                );
            } else {
                years.insert((cal.code.clone(), y), year_line);
            }
        }
        (None, Some(_)) => {}
    }
    let source = r.source.get_ref().trim();
    if let Err(m) = org::check_text(source, MAX_NAME) {
        c.push(c.line(&r.source), at.say("source", m));
    }

    let mut days = BTreeMap::new();
    let mut claimed: HashMap<NaiveDate, usize> = HashMap::new();
    for (j, day) in r.days.iter().enumerate() {
        let d = day.get_ref();
        let entry_at = Place { entry: Some((j, d.name.get_ref().trim())), ..at };
        parse_day(c, entry_at, c.line(day), d, year, &mut days, &mut claimed);
    }
    if c.errors.len() != before {
        return None;
    }
    let ((cal, _), year) = (cal?, year?);
    if checks == Checks::Import {
        let problems = statute_problems(cal, year, &days);
        for (date, message) in problems {
            let line = date.and_then(|d| claimed.get(&d).copied()).unwrap_or_else(|| c.line(row));
            c.push(line, at.say("", message));
        }
        if c.errors.len() != before {
            return None;
        }
    }
    Some(Arrangement { calendar: cal.code.clone(), year, source: source.to_string(), days })
}

/// What an arrangement for `year` of `cal` breaks of the statute (see [`parse_file`]), each with
/// the date concerned when there is one.
fn statute_problems(
    cal: &Calendar,
    year: i32,
    days: &BTreeMap<NaiveDate, SpecialDay>,
) -> Vec<(Option<NaiveDate>, Text)> {
    let weekly_off = |w: Weekday| cal.week.ranges(w).is_empty();
    let announced_off = |d: NaiveDate| match days.get(&d) {
        Some(SpecialDay::Off { .. }) => true,
        Some(SpecialDay::Working { .. }) => false,
        None => weekly_off(d.weekday()),
    };
    let mut problems = Vec::new();
    for (date, name) in holidays::fixed_days(year) {
        if !announced_off(date) {
            let (vi, en) = (&name.vi, &name.en);
            problems.push((
                Some(date),
                t!(
                    "{date} ({vi}) là ngày lễ theo Bộ luật Lao động 2019 (Điều 112), nhưng lịch này để là ngày làm việc; thêm một mục kind = \"holiday\" cho ngày đó",
                    "{date} ({en}) is a public holiday under the Labour Code 2019 (Art. 112), but this arrangement leaves it a working day; add an entry with kind = \"holiday\" for it"
                ),
            ));
        }
    }
    let statute: BTreeMap<NaiveDate, holidays::StatutoryDay> =
        holidays::statutory_days(year, &weekly_off).into_iter().map(|d| (d.date, d)).collect();
    let statute_off = |d: NaiveDate| statute.contains_key(&d) || weekly_off(d.weekday());
    // Days off that fall on working days, less working days that fall on days off: a swap keeps it.
    let net = |off: &dyn Fn(NaiveDate) -> bool| -> i64 {
        let dates = NaiveDate::from_ymd_opt(year, 1, 1)
            .into_iter()
            .flat_map(|d| d.iter_days())
            .take_while(|d| d.year() == year);
        dates
            .map(|d| match (weekly_off(d.weekday()), off(d)) {
                (false, true) => 1,
                (true, false) => -1,
                _ => 0,
            })
            .sum()
    };
    let (announced, statutory) = (net(&announced_off), net(&statute_off));
    if announced < statutory {
        let list: Vec<String> = statute
            .values()
            .filter(|d| !weekly_off(d.date.weekday()))
            .map(|d| d.date.format("%d/%m").to_string())
            .collect();
        let list = list.join(", ");
        problems.push((
            None,
            t!(
                "lịch này cho nghỉ {announced} ngày làm việc trong năm {year} (đã trừ ngày làm bù), ít hơn {statutory} ngày theo luật: có vẻ thiếu một ngày lễ hoặc ngày nghỉ bù. Theo luật, các ngày nghỉ rơi vào ngày làm việc là: {list}",
                "this arrangement gives {announced} working days off in {year} (net of swapped working days), fewer than the statute's {statutory}: a holiday or a day off in lieu seems missing. By the statute, the days off on working days are: {list}"
            ),
        ));
    }
    problems
}

fn parse_date(c: &mut Collector, at: Place, field: &str, s: &S<String>) -> Option<NaiveDate> {
    let v = s.get_ref().trim();
    NaiveDate::parse_from_str(v, "%Y-%m-%d").ok().or_else(|| {
        c.push(
            c.line(s),
            at.say(
                field,
                t!("ngày {v:?} không hợp lệ (dạng 2026-01-31)", "date {v:?} is not valid (write 2026-01-31)"),
            ),
        );
        None
    })
}

/// `07:30-11:30,13:30-17:00`: a swapped day's hours, sorted, without overlaps.
fn parse_day_hours(s: &str) -> Result<Vec<TimeRange>, Text> {
    if s.trim().is_empty() {
        return Err(t!(
            "giờ làm việc trống (ví dụ: 07:30-11:30,13:30-17:00)",
            "the hours are empty (e.g. 07:30-11:30,13:30-17:00)"
        ));
    }
    let mut ranges = s.split(',').map(str::parse).collect::<Result<Vec<TimeRange>, Text>>()?;
    ranges.sort();
    if ranges.windows(2).any(|p| p[1].start < p[0].end) {
        return Err(t!("các khoảng giờ chồng lên nhau", "the time ranges overlap"));
    }
    Ok(ranges)
}

/// One `days` entry into `days`; `within`: the year all its dates must lie in.
fn parse_day(
    c: &mut Collector,
    at: Place,
    row_line: usize,
    d: &DayRow,
    within: Option<i32>,
    days: &mut BTreeMap<NaiveDate, SpecialDay>,
    claimed: &mut HashMap<NaiveDate, usize>,
) {
    let before = c.errors.len();
    let name = d.name.get_ref().trim();
    if let Err(m) = org::check_text(name, MAX_NAME) {
        c.push(c.line(&d.name), at.say("name", m));
    }

    let kind_text = d.kind.get_ref().trim();
    let off = |kind| SpecialDay::Off { kind, name: name.to_string() };
    let mut rule = match kind_text {
        "holiday" => Some(off(OffKind::Holiday)),
        "compensatory" => Some(off(OffKind::Compensatory)),
        "working" => Some(SpecialDay::Working { name: name.to_string(), hours: None }),
        _ => {
            c.push(
                c.line(&d.kind),
                at.say(
                    "kind",
                    t!(
                        "loại {kind_text:?} không hợp lệ: dùng holiday (ngày lễ), compensatory (nghỉ bù) hoặc working (làm bù)",
                        "kind {kind_text:?} is not valid: use holiday, compensatory or working"
                    ),
                ),
            );
            None
        }
    };
    if let Some(h) = &d.hours {
        match &mut rule {
            Some(SpecialDay::Working { hours, .. }) => match parse_day_hours(h.get_ref()) {
                Ok(r) => *hours = Some(r),
                Err(m) => c.push(c.line(h), at.say("hours", m)),
            },
            Some(SpecialDay::Off { .. }) => c.push(
                c.line(h),
                at.say(
                    "hours",
                    t!(
                        "chỉ ngày làm bù (kind = \"working\") mới có giờ làm việc",
                        "only a working day (kind = \"working\") has hours"
                    ),
                ),
            ),
            None => {}
        }
    }

    let range = match (&d.date, &d.from, &d.until) {
        (Some(date), None, None) => parse_date(c, at, "date", date).map(|x| (x, x)),
        (None, Some(from), Some(until)) => {
            let (f, u) = (parse_date(c, at, "from", from), parse_date(c, at, "until", until));
            match (f, u) {
                (Some(f), Some(u)) if f > u => {
                    c.push(
                        c.line(until),
                        at.say(
                            "until",
                            t!("ngày cuối {u} trước ngày đầu {f}", "end date {u} is before start date {f}"),
                        ),
                    );
                    None
                }
                (Some(f), Some(u)) if (u - f).num_days() + 1 > MAX_RANGE_DAYS => {
                    let n = (u - f).num_days() + 1;
                    c.push(
                        c.line(until),
                        at.say(
                            "until",
                            t!(
                                "khoảng {f} – {u} dài {n} ngày, quá {MAX_RANGE_DAYS} ngày; hãy tách thành nhiều mục",
                                "the range {f} – {u} is {n} days long, more than {MAX_RANGE_DAYS}; split it into several entries"
                            ),
                        ),
                    );
                    None
                }
                (Some(f), Some(u)) => Some((f, u)),
                _ => None,
            }
        }
        (Some(date), _, _) => {
            c.push(
                c.line(date),
                at.say(
                    "date",
                    t!(
                        "ghi `date`, hoặc `from` và `until`, không ghi cả hai",
                        "give either `date` or `from` and `until`, not both"
                    ),
                ),
            );
            None
        }
        (None, Some(from), None) => {
            c.push(
                c.line(from),
                at.say(
                    "from",
                    t!("thiếu `until` (ngày cuối, tính cả ngày đó)", "`from` needs `until` (the last day, inclusive)"),
                ),
            );
            None
        }
        (None, None, Some(until)) => {
            c.push(
                c.line(until),
                at.say("until", t!("thiếu `from` (ngày đầu)", "`until` needs `from` (the first day)")),
            );
            None
        }
        (None, None, None) => {
            c.push(
                row_line,
                at.say("", t!("thiếu `date` (hoặc `from` và `until`)", "missing `date` (or `from` and `until`)")),
            );
            None
        }
    };

    let (Some((from, until)), Some(rule)) = (range, rule) else { return };
    let date_line = [&d.date, &d.from].into_iter().flatten().next().map_or(row_line, |s| c.line(s));
    if let Some(year) = within
        && let Some(out) = [from, until].into_iter().find(|x| x.year() != year)
    {
        let theirs = out.year();
        c.push(
            date_line,
            at.say(
                if d.date.is_some() { "date" } else { "from" },
                t!(
                    "ngày {out} không thuộc năm {year}; ghi nó vào lịch nghỉ năm {theirs}",
                    "{out} is not in {year}; it belongs to the arrangement for {theirs}"
                ),
            ),
        );
        return;
    }
    for date in from.iter_days().take_while(|x| *x <= until) {
        if let Some(&other) = claimed.get(&date) {
            let both = matches!(days.get(&date), Some(SpecialDay::Working { .. }))
                != matches!(rule, SpecialDay::Working { .. });
            let what = if both {
                t!(
                    "ngày {date} vừa là ngày nghỉ vừa là ngày làm việc (xem mục ở dòng {other})",
                    "{date} is both a day off and a working day (see the entry at line {other})"
                )
            } else {
                t!("ngày {date} trùng với mục ở dòng {other}", "{date} overlaps the entry at line {other}")
            };
            // One message per entry is enough to find the clash.
            c.push(date_line, at.say(if d.date.is_some() { "date" } else { "from" }, what));
            return;
        }
    }
    if c.errors.len() != before {
        return;
    }
    for date in from.iter_days().take_while(|x| *x <= until) {
        claimed.insert(date, date_line);
        days.insert(date, rule.clone());
    }
}

/// Writes one calendar in the file format; [`parse_calendars`] reads it back equal (but for the
/// statute: write only calendars that are data). Consecutive dates with the same rule become one
/// `from`/`until` entry (at most [`MAX_RANGE_DAYS`] long).
pub fn render_calendar(cal: &Calendar) -> String {
    let mut out = String::new();
    out.push_str("[[calendars]]\n");
    kv(&mut out, "code", &cal.code);
    kv(&mut out, "name", &cal.name);
    kv(&mut out, "timezone", cal.tz.name());
    kv(&mut out, "hours", &cal.week.to_string());
    render_days(&mut out, "calendars", &cal.days);
    out
}

/// Writes one arrangement in the file format; [`parse_file`] reads it back equal.
pub fn render_arrangement(a: &Arrangement) -> String {
    let mut out = String::new();
    out.push_str("[[arrangements]]\n");
    kv(&mut out, "calendar", &a.calendar);
    let _ = writeln!(out, "year = {}", a.year);
    kv(&mut out, "source", &a.source);
    render_days(&mut out, "arrangements", &a.days);
    out
}

fn render_days(out: &mut String, section: &str, days: &BTreeMap<NaiveDate, SpecialDay>) {
    let mut runs: Vec<(NaiveDate, NaiveDate, &SpecialDay)> = Vec::new();
    for (date, rule) in days {
        if let Some((from, until, r)) = runs.last_mut()
            && until.succ_opt() == Some(*date)
            && *r == rule
            && (*date - *from).num_days() < MAX_RANGE_DAYS
        {
            *until = *date;
            continue;
        }
        runs.push((*date, *date, rule));
    }
    for (from, until, rule) in runs {
        let _ = write!(out, "\n[[{section}.days]]\n");
        if from == until {
            kv(out, "date", &from.to_string());
        } else {
            kv(out, "from", &from.to_string());
            kv(out, "until", &until.to_string());
        }
        kv(out, "kind", rule.kind_str());
        kv(out, "name", rule.name());
        if let SpecialDay::Working { hours: Some(h), .. } = rule {
            let hours: Vec<String> = h.iter().map(TimeRange::to_string).collect();
            kv(out, "hours", &hours.join(","));
        }
    }
}

fn kv(out: &mut String, key: &str, value: &str) {
    // toml's own string writer escapes quotes, backslashes and control characters.
    let _ = writeln!(out, "{key} = {}", toml::Value::String(value.to_string()));
}

#[cfg(test)]
mod tests {
    use super::*;
    use WorkDuration::{Days, Seconds};
    use proptest::prelude::*;

    const H: i64 = 3600;

    /// A local (Asia/Ho_Chi_Minh) wall time.
    fn vn(s: &str) -> DateTime<Utc> {
        let naive = NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap();
        DEFAULT_TZ.from_local_datetime(&naive).unwrap().to_utc()
    }

    fn show(t: DateTime<Utc>) -> String {
        t.with_timezone(&DEFAULT_TZ).format("%Y-%m-%d %H:%M").to_string()
    }

    fn date(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    /// vn with Saturday mornings open as well.
    fn with_saturdays() -> Calendar {
        let week = "Mon-Fri 07:30-11:30,13:30-17:00; Sat 07:30-11:30".parse().unwrap();
        Calendar { code: "sat".into(), week, ..Calendar::vn() }
    }

    /// The built-in 2026 arrangement, read with an import's checks: it keeps the statute.
    fn parse_builtin() -> Arrangement {
        let base = Calendar::statutory(VN, "x", DEFAULT_TZ, DEFAULT_HOURS.parse().unwrap(), STATUTE_YEARS);
        let mut file = parse_file(VN_2026_TOML, |c| (c == VN).then_some(&base), Checks::Import).unwrap();
        assert!(file.calendars.is_empty() && file.arrangements.len() == 1);
        file.arrangements.remove(0)
    }

    fn is_period_end(cal: &Calendar, t: DateTime<Utc>) -> bool {
        cal.dates_from(t).take(2).flat_map(|d| cal.periods(d)).any(|(_, e)| e == t)
    }

    #[test]
    fn vn_has_the_announced_2026_days() {
        let cal = Calendar::vn();
        assert_eq!(cal.code, "vn");
        assert_eq!(cal.source(2026), Source::Announcement(parse_builtin().source));
        assert_eq!(cal.tz, chrono_tz::Asia::Ho_Chi_Minh);
        assert_eq!(cal.week.to_string(), DEFAULT_HOURS);
        let off = |d: &str| cal.working_ranges(date(d)).is_empty();
        for d in [
            "2026-01-01",
            "2026-01-02",
            "2026-04-27",
            "2026-04-30",
            "2026-05-01",
            "2026-08-31",
            "2026-09-01",
            "2026-09-02",
        ] {
            assert!(off(d), "{d} should be off");
        }
        for d in date("2026-02-14").iter_days().take(9) {
            assert!(cal.working_ranges(d).is_empty(), "{d} is Tết");
        }
        for d in ["2026-01-05", "2026-01-10", "2026-02-13", "2026-02-23", "2026-04-28", "2026-05-04", "2026-09-03"] {
            assert!(!off(d), "{d} should be a working day");
        }
        // The swapped Saturday works a normal day; other Saturdays do not.
        assert_eq!(cal.working_ranges(date("2026-08-22")), cal.working_ranges(date("2026-08-21")));
        assert!(off("2026-08-29"));
        assert_eq!(
            cal.days[&date("2026-04-27")],
            SpecialDay::Off { kind: OffKind::Compensatory, name: "Nghỉ bù Giỗ Tổ Hùng Vương".into() }
        );
        assert_eq!(cal.days[&date("2026-01-01")].name(), "Tết Dương lịch");
    }

    #[test]
    fn adding_hours_walks_the_working_periods() {
        let cal = Calendar::vn();
        let add = |s: &str, d| show(cal.add(vn(s), d));
        // Friday 16:30 + 8h: 0.5h Friday, 4h + 3.5h Monday, ending exactly at Monday's close.
        assert_eq!(add("2026-03-06 16:30", Seconds(8 * H)), "2026-03-09 17:00");
        assert_eq!(add("2026-03-09 10:00", Seconds(H)), "2026-03-09 11:00");
        // Ending exactly at 11:30 stays at 11:30, not 13:30.
        assert_eq!(add("2026-03-09 10:00", Seconds(3 * H / 2)), "2026-03-09 11:30");
        assert_eq!(add("2026-03-09 10:00", Seconds(3 * H / 2 + 1)), "2026-03-09 13:30");
        // From lunch, the evening, the weekend: the clock starts at the next opening.
        assert_eq!(add("2026-03-09 12:00", Seconds(H)), "2026-03-09 14:30");
        assert_eq!(add("2026-03-09 20:00", Seconds(H)), "2026-03-10 08:30");
        assert_eq!(add("2026-03-07 09:00", Seconds(4 * H)), "2026-03-09 11:30");
        // Across Tết: Friday 13 Feb gives 5h, the rest on Monday 23 Feb.
        assert_eq!(add("2026-02-13 10:00", Seconds(8 * H)), "2026-02-23 10:30");
        // Across the swapped Saturday 22 Aug (a working day) ...
        assert_eq!(add("2026-08-21 16:00", Seconds(2 * H)), "2026-08-22 08:30");
        // ... and Quốc khánh, 31 Aug – 2 Sep.
        assert_eq!(add("2026-08-28 16:00", Seconds(2 * H)), "2026-09-03 08:30");
        // Hùng Kings' compensatory day off, Monday 27 Apr; 30 Apr – 3 May; 1 Jan.
        assert_eq!(add("2026-04-24 16:00", Seconds(2 * H)), "2026-04-28 08:30");
        assert_eq!(add("2026-04-29 16:00", Seconds(2 * H)), "2026-05-04 08:30");
        // 1 Jan, and 2 Jan swapped with Saturday 10 Jan: back on Monday 5 Jan.
        assert_eq!(add("2025-12-31 16:00", Seconds(2 * H)), "2026-01-05 08:30");
        // Minutes and seconds.
        assert_eq!(cal.add(vn("2026-03-09 11:29"), Seconds(60)), vn("2026-03-09 11:30"));
        assert_eq!(cal.add(vn("2026-03-09 11:29"), Seconds(61)), vn("2026-03-09 13:30") + TimeDelta::seconds(1));
    }

    #[test]
    fn adding_days_ends_at_the_close_of_the_nth_working_day() {
        let cal = Calendar::vn();
        let add = |s: &str, d| show(cal.add(vn(s), d));
        // 9 Mar 2026 is a Monday.
        assert_eq!(add("2026-03-09 10:00", Days(1)), "2026-03-10 17:00");
        assert_eq!(add("2026-03-09 07:00", Days(1)), "2026-03-09 17:00");
        // A day that opens exactly at the start counts.
        assert_eq!(add("2026-03-09 07:30", Days(1)), "2026-03-09 17:00");
        assert_eq!(add("2026-03-09 07:31", Days(1)), "2026-03-10 17:00");
        // Lunch and evening: today has begun.
        assert_eq!(add("2026-03-09 12:00", Days(1)), "2026-03-10 17:00");
        assert_eq!(add("2026-03-09 18:00", Days(1)), "2026-03-10 17:00");
        assert_eq!(add("2026-03-07 09:00", Days(1)), "2026-03-09 17:00");
        assert_eq!(add("2026-03-09 10:00", Days(10)), "2026-03-23 17:00");
        // Across Tết, the swapped Saturday, and Quốc khánh.
        assert_eq!(add("2026-02-13 10:00", Days(1)), "2026-02-23 17:00");
        assert_eq!(add("2026-08-21 10:00", Days(1)), "2026-08-22 17:00");
        assert_eq!(add("2026-08-28 10:00", Days(1)), "2026-09-03 17:00");
        assert_eq!(add("2026-04-24 10:00", Days(1)), "2026-04-28 17:00");
    }

    #[test]
    fn adding_zero_returns_the_start_even_outside_working_time() {
        let cal = Calendar::vn();
        for s in ["2026-03-09 10:00", "2026-03-07 23:15", "2026-02-17 09:00"] {
            for d in [Seconds(0), Seconds(-5), Days(0)] {
                assert_eq!(cal.add(vn(s), d), vn(s));
            }
        }
    }

    #[test]
    fn always_adds_plain_durations() {
        let cal = Calendar::always();
        assert_eq!(cal.code, "24x7");
        let t = vn("2026-02-17 03:17") + TimeDelta::seconds(11);
        assert!(cal.is_working(t));
        assert_eq!(cal.next_working_start(t), t);
        for n in [1, 59, H, 8 * H, 30 * 24 * H] {
            assert_eq!(cal.add(t, Seconds(n)), t + TimeDelta::seconds(n));
            assert_eq!(cal.working_between(t, t + TimeDelta::seconds(n)), TimeDelta::seconds(n));
        }
        // Days end at local midnight; a day beginning exactly at the start counts.
        assert_eq!(show(cal.add(vn("2026-03-09 10:00"), Days(1))), "2026-03-11 00:00");
        assert_eq!(show(cal.add(vn("2026-03-09 00:00"), Days(1))), "2026-03-10 00:00");
    }

    #[test]
    fn desks_close_on_holidays_and_open_on_swapped_days() {
        let cal = Calendar::vn();
        let hours: WeeklyHours = "Mon-Fri 07:30-11:30,13:30-17:00".parse().unwrap();
        let at = |s: &str| {
            let naive = NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap();
            chrono_tz::Asia::Ho_Chi_Minh.from_local_datetime(&naive).unwrap().with_timezone(&Utc)
        };
        assert!(cal.desk_open(&hours, at("2026-11-27 09:00")), "a Friday");
        assert!(!cal.desk_open(&hours, at("2026-02-16 09:00")), "Tết");
        assert!(cal.desk_open(&hours, at("2026-08-22 09:00")), "the swapped Saturday");
        assert!(!cal.desk_open(&hours, at("2026-08-22 12:00")), "lunch on the swapped Saturday");
    }

    #[test]
    fn next_working_start_cases() {
        let cal = Calendar::vn();
        let next = |s: &str| show(cal.next_working_start(vn(s)));
        assert_eq!(next("2026-03-09 10:00"), "2026-03-09 10:00");
        assert_eq!(next("2026-03-09 07:30"), "2026-03-09 07:30");
        assert_eq!(next("2026-03-09 06:00"), "2026-03-09 07:30");
        assert_eq!(next("2026-03-09 11:30"), "2026-03-09 13:30"); // lunch begins at 11:30
        assert_eq!(next("2026-03-09 12:15"), "2026-03-09 13:30");
        assert_eq!(next("2026-03-09 17:00"), "2026-03-10 07:30");
        assert_eq!(next("2026-03-09 22:00"), "2026-03-10 07:30");
        assert_eq!(next("2026-03-07 09:00"), "2026-03-09 07:30"); // Saturday
        assert_eq!(next("2026-03-13 17:30"), "2026-03-16 07:30"); // Friday evening
        assert_eq!(next("2026-01-01 09:00"), "2026-01-05 07:30"); // holiday, then the swapped 2 Jan
        assert_eq!(next("2026-02-13 17:00"), "2026-02-23 07:30"); // Tết
        assert_eq!(next("2026-08-21 18:00"), "2026-08-22 07:30"); // swapped Saturday
        assert!(!cal.is_working(vn("2026-03-09 11:30")));
        assert!(cal.is_working(vn("2026-03-09 11:29")));
        assert!(cal.is_working(vn("2026-08-22 09:00")));
        assert!(!cal.is_working(vn("2026-04-27 09:00")));
    }

    #[test]
    fn working_between_counts_office_time_only() {
        let cal = Calendar::vn();
        let between = |a: &str, b: &str| cal.working_between(vn(a), vn(b)).num_minutes();
        assert_eq!(between("2026-03-09 00:00", "2026-03-10 00:00"), 450);
        assert_eq!(between("2026-03-09 10:00", "2026-03-09 14:00"), 120);
        assert_eq!(between("2026-03-09 14:00", "2026-03-09 10:00"), 0);
        assert_eq!(between("2026-03-09 10:00", "2026-03-09 10:00"), 0);
        // Tết week: nothing.
        assert_eq!(between("2026-02-14 00:00", "2026-02-23 00:00"), 0);
        // A normal week: 5 × 7.5h.
        assert_eq!(between("2026-03-09 00:00", "2026-03-16 00:00"), 5 * 450);
    }

    #[test]
    fn a_calendar_without_working_time_gives_never_instead_of_looping() {
        let mut cal = Calendar::vn();
        cal.week = WeeklyHours::default();
        cal.days.retain(|_, d| matches!(d, SpecialDay::Off { .. }));
        let t = vn("2026-03-09 10:00");
        assert_eq!(cal.add(t, Seconds(H)), NEVER);
        assert_eq!(cal.add(t, Days(1)), NEVER);
        assert_eq!(cal.next_working_start(t), NEVER);
        assert!(!cal.is_working(t));
        assert_eq!(cal.working_between(t, t + TimeDelta::days(30)), TimeDelta::zero());
        // A swapped day alone is still found.
        cal.days.insert(
            date("2026-03-14"),
            SpecialDay::Working { name: "x".into(), hours: Some(vec!["08:00-09:00".parse().unwrap()]) },
        );
        assert_eq!(show(cal.add(t, Seconds(H))), "2026-03-14 09:00");
        // A real calendar does not reach the horizon within an SLA, but an absurd duration does.
        assert_eq!(Calendar::vn().add(t, Days(5000)), NEVER);
        assert_eq!(Calendar::always().add(t, Seconds(4 * 366 * 24 * H)), NEVER);
        assert_eq!(Calendar::vn().add(t, Seconds(i64::MAX)), NEVER);
        // Measuring has no horizon.
        let four_years = TimeDelta::days(4 * 365 + 1);
        assert_eq!(Calendar::always().working_between(t, t + four_years), four_years);
        // Constructors refuse such a week.
        let e = Calendar::new("x", "X", DEFAULT_TZ, WeeklyHours::default()).unwrap_err();
        assert!(e.en.contains("no working hours"), "{}", e.en);
        let ok = Calendar::new("x", "X", DEFAULT_TZ, DEFAULT_HOURS.parse().unwrap()).unwrap();
        assert_eq!(ok.normal_day(), Calendar::vn().normal_day());
    }

    #[test]
    fn normal_day_is_the_most_common_hours() {
        let cal = with_saturdays();
        let full: Vec<TimeRange> = cal.week.ranges(chrono::Weekday::Mon).to_vec();
        assert_eq!(cal.normal_day(), full.as_slice());
        // So the swapped Saturday gets a full day even where Saturdays are mornings.
        assert_eq!(cal.working_ranges(date("2026-08-22")), full);
        assert_eq!(cal.working_ranges(date("2026-08-29")).len(), 1);
    }

    #[test]
    fn daylight_saving_changes_keep_periods_in_order() {
        let mut cal = Calendar::always();
        cal.tz = chrono_tz::Europe::Paris;
        let paris = |s: &str| {
            let n = NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap();
            chrono_tz::Europe::Paris.from_local_datetime(&n).earliest().unwrap().to_utc()
        };
        // 29 Mar 2026 has 23 hours in Paris, 25 Oct 2026 has 25.
        assert_eq!(cal.working_between(paris("2026-03-29 00:00"), paris("2026-03-30 00:00")).num_hours(), 23);
        assert_eq!(cal.working_between(paris("2026-10-25 00:00"), paris("2026-10-26 00:00")).num_hours(), 25);
        // 02:30 does not exist on 29 Mar: a range starting then starts at 03:00.
        cal.week = "Sun 02:30-04:00".parse().unwrap();
        let p = cal.periods(date("2026-03-29"));
        assert_eq!(p, vec![(paris("2026-03-29 03:00"), paris("2026-03-29 04:00"))]);
    }

    #[test]
    fn durations_parse_and_print_canonically() {
        for (input, value, canon) in [
            ("8h", Seconds(8 * H), "8h"),
            ("4h", Seconds(4 * H), "4h"),
            ("30m", Seconds(1800), "30m"),
            ("30s", Seconds(30), "30s"),
            ("1h30m", Seconds(5400), "1h30m"),
            ("1h 30m", Seconds(5400), "1h30m"),
            ("90m", Seconds(5400), "1h30m"),
            (" 2h0m5s ", Seconds(7205), "2h5s"),
            ("48h", Seconds(48 * H), "48h"),
            ("5d", Days(5), "5d"),
            ("1d", Days(1), "1d"),
        ] {
            let d: WorkDuration = input.parse().unwrap_or_else(|e| panic!("{input}: {e}"));
            assert_eq!(d, value, "{input}");
            assert_eq!(d.to_string(), canon, "{input}");
            assert_eq!(canon.parse::<WorkDuration>().unwrap(), value);
        }
        assert_eq!(Seconds(0).to_string(), "0s");
        assert_eq!(Seconds(-5400).to_string(), "-1h30m");
    }

    #[test]
    fn duration_errors_are_specific() {
        for (bad, needle) in [
            ("", "empty"),
            ("   ", "empty"),
            ("0", "not valid"),
            ("8", "not valid"),
            ("h", "not valid"),
            ("-1h", "negative"),
            ("5x", "not valid"),
            ("1.5h", "not valid"),
            ("8H", "not valid"),
            ("1d2h", "mixes days"),
            ("2h1d", "mixes days"),
            ("30m1h", "in that order"),
            ("1h1h", "in that order"),
            ("0h", "more than zero"),
            ("0d", "more than zero"),
            ("0h0m", "more than zero"),
            ("99999999999999999999h", "too large"),
            ("9223372036854775807h", "too large"),
            ("9223372036854775807s", "too large"),
            ("4294967296d", "too large"),
        ] {
            let e = bad.parse::<WorkDuration>().unwrap_err();
            assert!(e.en.contains(needle), "{bad:?}: {}", e.en);
            assert!(!e.vi.is_empty() && e.vi != e.en);
        }
    }

    #[test]
    fn durations_are_strings_in_config_files() {
        #[derive(Debug, PartialEq, Serialize, Deserialize)]
        struct Sla {
            acknowledge: WorkDuration,
            resolve: WorkDuration,
        }
        let sla: Sla = toml::from_str("acknowledge = \"8h\"\nresolve = \"10d\"\n").unwrap();
        assert_eq!(sla, Sla { acknowledge: Seconds(8 * H), resolve: Days(10) });
        assert_eq!(toml::to_string(&sla).unwrap(), "acknowledge = \"8h\"\nresolve = \"10d\"\n");
        let e = toml::from_str::<Sla>("acknowledge = \"1d2h\"\nresolve = \"10d\"\n").unwrap_err();
        assert!(e.message().contains("mixes days"), "{}", e.message());
        assert!(toml::from_str::<Sla>("acknowledge = 8\nresolve = \"10d\"\n").is_err());
    }

    const SMALL: &str = r#"[[calendars]]
code = "hcm"
name = "Lịch TP"
timezone = "Asia/Ho_Chi_Minh"
hours = "Mon-Fri 08:00-12:00; Sat 08:00-11:00"

[[calendars.days]]
date = "2026-01-01"
kind = "holiday"
name = "Tết Dương lịch"

[[calendars.days]]
from = "2026-02-14"
until = "2026-02-22"
kind = "holiday"
name = "Tết"

[[calendars.days]]
date = "2026-02-28"
kind = "working"
name = "Làm bù"
hours = "13:00-17:00,07:00-11:00"

[[calendars]]
code = "b"
name = "Lịch B"
"#;

    #[test]
    fn the_file_parses_with_defaults() {
        let cals = parse_calendars(SMALL).unwrap();
        assert_eq!(cals.len(), 2);
        let a = &cals[0];
        assert_eq!(a.week.to_string(), "Mon-Fri 08:00-12:00; Sat 08:00-11:00");
        assert_eq!(a.days.len(), 1 + 9 + 1);
        assert_eq!(
            a.working_ranges(date("2026-02-28")).iter().map(ToString::to_string).collect::<Vec<_>>(),
            ["07:00-11:00", "13:00-17:00"]
        );
        let b = &cals[1];
        assert_eq!((b.tz, b.week.to_string(), b.days.len()), (DEFAULT_TZ, DEFAULT_HOURS.to_string(), 0));
        assert_eq!(parse_calendars("").unwrap(), vec![]);
    }

    #[test]
    fn file_errors_name_the_calendar_entry_field_and_line() {
        let cases: Vec<(String, &str, usize)> = vec![
            (SMALL.replace("code = \"b\"", "code = \"hcm\""), "duplicate calendar code, already used at line 2", 25),
            (SMALL.replace("code = \"b\"", "code = \"b c\""), "code \"b c\" is not valid", 25),
            (SMALL.replace("name = \"Lịch B\"", "name = \"\""), "#2 (code \"b\"), field `name`: must not be empty", 26),
            (SMALL.replace("Asia/Ho_Chi_Minh", "Asia/Hanoi"), "unknown time zone \"Asia/Hanoi\"", 4),
            (SMALL.replace("Sat 08:00-11:00", "Sat 11:00-08:00"), "field `hours`: time range", 5),
            (SMALL.replace("Mon-Fri 08:00-12:00; Sat 08:00-11:00", ";"), "no working hours", 5),
            (
                SMALL.replace("2026-01-01", "2026-02-30"),
                "[[calendars]] #1 (code \"hcm\"), [[calendars.days]] #1 (\"Tết Dương lịch\"), field `date`: date \"2026-02-30\" is not valid",
                8,
            ),
            (SMALL.replace("until = \"2026-02-22\"", "until = \"2026-02-12\""), "end date 2026-02-12 is before", 14),
            (SMALL.replace("until = \"2026-02-22\"", "until = \"2026-03-22\""), "37 days long", 14),
            (
                SMALL.replace("kind = \"holiday\"\nname = \"Tết\"", "kind = \"vacation\"\nname = \"Tết\""),
                "kind \"vacation\"",
                15,
            ),
            (
                SMALL.replace(
                    "kind = \"holiday\"\nname = \"Tết\"",
                    "kind = \"holiday\"\nname = \"Tết\"\nhours = \"08:00-09:00\"",
                ),
                "only a working day",
                17,
            ),
            (
                SMALL.replace("date = \"2026-02-28\"", "date = \"2026-02-20\""),
                "both a day off and a working day (see the entry at line 13)",
                19,
            ),
            (
                SMALL.replace("date = \"2026-01-01\"", "date = \"2026-02-16\""),
                "[[calendars.days]] #2 (\"Tết\"), field `from`: 2026-02-16 overlaps the entry at line 8",
                13,
            ),
            (SMALL.replace("date = \"2026-01-01\"", "from = \"2026-01-01\""), "`from` needs `until`", 8),
            (SMALL.replace("from = \"2026-02-14\"\n", ""), "`until` needs `from`", 13),
            (SMALL.replace("date = \"2026-01-01\"", "date = \"2026-01-01\"\nfrom = \"2026-01-01\""), "not both", 8),
            (SMALL.replace("13:00-17:00,07:00-11:00", "07:00-11:00,10:00-12:00"), "overlap", 22),
            (SMALL.replace("date = \"2026-01-01\"\n", ""), "missing `date`", 7),
            (SMALL.replace("name = \"Lịch B\"", "name = \"Lịch B\"\ncolour = \"red\""), "unknown field `colour`", 27),
            (SMALL.replace("kind = \"working\"\n", ""), "missing field `kind`", 18),
            (SMALL.replace("date = \"2026-01-01\"", "date = 2026-01-01"), "", 8),
            ("[[calendars]\ncode = 1".to_string(), "", 1),
        ];
        for (text, needle, line) in cases {
            let errors = parse_calendars(&text).expect_err(needle);
            let e = &errors[0];
            assert!(e.message.en.contains(needle), "expected {needle:?}, got {:?}", e.message.en);
            assert_eq!(e.line, Some(line), "line for {needle:?}: {}", e.render("f.toml", Lang::En));
            assert!(!e.message.vi.is_empty());
        }
        // All errors at once.
        let two = SMALL.replace("2026-01-01", "2026-13-01").replace("Asia/Ho_Chi_Minh", "Mars/Olympus");
        assert_eq!(parse_calendars(&two).unwrap_err().len(), 2);
        // TOML mistakes too, each with its line and key, in Vietnamese first.
        let broken = SMALL.replacen("name = \"Lịch B\"", "name = \"Lịch B\"\nname = \"Lịch C\"", 1).replacen(
            "kind = \"working\"",
            "kind = \"working\"\nkind = \"holiday\"",
            1,
        );
        let errors = parse_calendars(&broken).unwrap_err();
        assert_eq!(errors.len(), 2, "{errors:#?}");
        for e in &errors {
            assert!(e.message.vi.contains("khóa bị trùng") && e.message.en.contains("duplicate key"), "{e:?}");
        }
        assert!(
            errors[0].message.vi.contains("khóa `kind`") && errors[1].message.vi.contains("khóa `name`"),
            "{errors:#?}"
        );
    }

    #[test]
    fn rendering_round_trips() {
        let mut two_years = parse_calendars(SMALL).unwrap().remove(0);
        two_years.days.extend(Calendar::vn().days_in(2027).map(|(d, r)| (*d, r.clone())));
        for cal in [Calendar::always(), parse_calendars(SMALL).unwrap().remove(0), two_years] {
            let text = render_calendar(&cal);
            let again = parse_calendars(&text).unwrap_or_else(|e| panic!("{e:?}\n{text}"));
            assert_eq!(again, vec![cal.clone()], "{text}");
            assert_eq!(render_calendar(&again[0]), text);
        }
        // Runs of equal days become one range, split at the longest allowed.
        let mut cal = Calendar::always();
        for d in date("2026-07-01").iter_days().take(40) {
            cal.days.insert(d, SpecialDay::Off { kind: OffKind::Holiday, name: "Hè".into() });
        }
        let text = render_calendar(&cal);
        assert!(text.contains("from = \"2026-07-01\"\nuntil = \"2026-07-31\""), "{text}");
        assert!(text.contains("from = \"2026-08-01\"\nuntil = \"2026-08-09\""), "{text}");
        assert_eq!(parse_calendars(&text).unwrap(), vec![cal]);
        // The shipped arrangement says the same as its rendering.
        let builtin = parse_builtin();
        let text = render_arrangement(&builtin);
        let again = parse_file(&text, |c| (c == VN).then_some(&*VN_CALENDAR), Checks::Import).unwrap();
        assert_eq!(again.arrangements, vec![builtin]);
    }

    // ── The statute and the years' arrangements ──

    /// `vn`, `vn-2026` (its alias), `24x7` and a calendar that is data only, as an import sees them.
    fn resolve(code: &str) -> Option<&'static Calendar> {
        static OTHERS: LazyLock<[Calendar; 2]> =
            LazyLock::new(|| [Calendar::always(), parse_calendars(SMALL).unwrap().remove(0)]);
        match code {
            VN | "vn-2026" => Some(&VN_CALENDAR),
            _ => OTHERS.iter().find(|c| c.code == code),
        }
    }

    fn import(text: &str) -> Result<CalendarFile, Vec<CalendarError>> {
        parse_file(text, resolve, Checks::Import)
    }

    /// A 2027 arrangement as one might be announced: Tết from 29 Chạp (Fri 5 Feb) to Sun 14 Feb,
    /// Saturday 20 Feb worked in exchange; 30 Apr – 3 May; 2–5 Sep. Named through the alias.
    const ARRANGEMENT_2027: &str = r#"[[arrangements]]
calendar = "vn-2026"
year = 2027
source = "Thông báo 1/TB-BNV (thử)"

[[arrangements.days]]
date = "2027-01-01"
kind = "holiday"
name = "Tết Dương lịch"

[[arrangements.days]]
from = "2027-02-05"
until = "2027-02-14"
kind = "holiday"
name = "Tết Nguyên đán Đinh Mùi"

[[arrangements.days]]
date = "2027-02-20"
kind = "working"
name = "Làm bù"

[[arrangements.days]]
date = "2027-04-16"
kind = "holiday"
name = "Giỗ Tổ Hùng Vương"

[[arrangements.days]]
from = "2027-04-30"
until = "2027-05-03"
kind = "holiday"
name = "30/4 và 1/5"

[[arrangements.days]]
from = "2027-09-02"
until = "2027-09-05"
kind = "holiday"
name = "Quốc khánh"
"#;

    #[test]
    fn vn_computes_every_year_from_the_statute() {
        let cal = Calendar::vn();
        for year in STATUTE_YEARS {
            let tet = crate::domain::lunar::tet(year);
            assert!(cal.working_ranges(tet).is_empty(), "Tết {year}");
            assert!(cal.working_ranges(NaiveDate::from_ymd_opt(year, 1, 1).unwrap()).is_empty());
            let expected = if year == 2026 { Source::Announcement(parse_builtin().source) } else { Source::Statute };
            assert_eq!(cal.source(year), expected, "{year}");
        }
        assert_eq!(cal.days_in(1999).count(), 0);
        assert_eq!(cal.source(1999), Source::Nothing);
        assert_eq!(Calendar::always().source(2027), Source::CalendarFile);
        // 2027 from the statute alone: 29 Chạp (Fri 5 Feb) to mùng 4 (Tue 9 Feb), and the two
        // weekend days of the block made up on Wed 10 and Thu 11 Feb.
        let feb: Vec<(String, &str)> =
            cal.days_in(2027).filter(|(d, _)| d.month() == 2).map(|(d, r)| (d.to_string(), r.kind_str())).collect();
        let expect: Vec<(String, &str)> = [
            ("2027-02-05", "holiday"),
            ("2027-02-06", "holiday"),
            ("2027-02-07", "holiday"),
            ("2027-02-08", "holiday"),
            ("2027-02-09", "holiday"),
            ("2027-02-10", "compensatory"),
            ("2027-02-11", "compensatory"),
        ]
        .into_iter()
        .map(|(d, k)| (d.to_string(), k))
        .collect();
        assert_eq!(feb, expect);
        assert_eq!(cal.days[&date("2027-02-10")].name(), "Nghỉ bù Tết Âm lịch");
    }

    /// The issue's test: a deadline across Tết 2027, from the statute alone (no 2027 arrangement).
    #[test]
    fn a_deadline_across_tet_2027_follows_the_statute() {
        let cal = Calendar::vn();
        assert_eq!(cal.source(2027), Source::Statute);
        // Five working days from Thursday 4 Feb 2027: Fri 5 – Thu 11 Feb are off, so the days are
        // Fri 12, Mon 15, Tue 16, Wed 17 and Thu 18 Feb.
        assert_eq!(show(cal.add(vn("2027-02-04 10:00"), Days(5))), "2027-02-18 17:00");
        // 8 working hours from Thursday afternoon: 2 on Thursday, 4 + 2 on Friday 12 Feb.
        assert_eq!(show(cal.add(vn("2027-02-04 15:00"), Seconds(8 * H))), "2027-02-12 15:30");
        assert_eq!(cal.working_between(vn("2027-02-04 17:00"), vn("2027-02-12 07:30")), TimeDelta::zero());
        // The case clocks agree (5 working days to resolve, 4 hours to acknowledge).
        let policy = crate::domain::sla::Policy {
            acknowledge: Seconds(4 * H),
            resolve: Days(5),
            urgent: false,
            integrity: true,
        };
        let c = crate::domain::sla::clocks(&cal, &policy, vn("2027-02-04 10:00"), TimeDelta::zero(), 75);
        assert_eq!(show(c.resolve_due), "2027-02-18 17:00");
        assert_eq!(show(c.ack_due), "2027-02-04 16:00");
    }

    #[test]
    fn an_arrangement_replaces_its_year_and_nothing_else() {
        let file = import(ARRANGEMENT_2027).unwrap();
        assert!(file.calendars.is_empty());
        let a = &file.arrangements[0];
        // The alias resolves to the calendar's code.
        assert_eq!((a.calendar.as_str(), a.year, a.source.as_str()), ("vn", 2027, "Thông báo 1/TB-BNV (thử)"));
        let before = Calendar::vn();
        let mut cal = Calendar::vn();
        cal.apply(a).unwrap();
        assert_eq!(cal.source(2027), Source::Announcement("Thông báo 1/TB-BNV (thử)".into()));
        let y2027: BTreeMap<NaiveDate, SpecialDay> = cal.days_in(2027).map(|(d, r)| (*d, r.clone())).collect();
        assert_eq!(y2027, a.days);
        // The statute's compensatory Wed 10 Feb is now part of the break; Sat 20 Feb is worked.
        assert_eq!(cal.days[&date("2027-02-10")].name(), "Tết Nguyên đán Đinh Mùi");
        assert!(!cal.working_ranges(date("2027-02-20")).is_empty());
        // The statute's 3 Sep (the adjacent day) stays, and no statutory day of 2027 is left over.
        assert!(cal.working_ranges(date("2027-09-03")).is_empty());
        assert!(cal.days_in(2027).all(|(_, r)| !r.name().starts_with("Nghỉ bù")));
        for year in [2025, 2026, 2028] {
            assert_eq!(cal.days_in(year).collect::<Vec<_>>(), before.days_in(year).collect::<Vec<_>>(), "{year}");
            assert_eq!(cal.source(year), before.source(year));
        }
        // Five working days from Thu 4 Feb: Mon 15 – Fri 19 Feb (the break ends on Sunday 14).
        assert_eq!(show(cal.add(vn("2027-02-04 10:00"), Days(5))), "2027-02-19 17:00");
        // Applying again is the same; applying to a calendar of data only is refused.
        let again = {
            let mut c = cal.clone();
            c.apply(a).unwrap();
            c
        };
        assert_eq!(again, cal);
        let e = Calendar::always().apply(a).unwrap_err();
        assert!(e.en.contains("not computed from the statute"), "{}", e.en);
        let far = Arrangement { year: 2150, ..a.clone() };
        assert!(Calendar::vn().apply(&far).unwrap_err().en.contains("outside the years"));
    }

    #[test]
    fn arrangements_are_due_from_60_days_before_new_year() {
        let cal = Calendar::vn();
        assert_eq!(cal.arrangements_due(date("2026-06-01")), vec![(2026, true)]);
        assert_eq!(cal.arrangements_due(date("2026-11-01")), vec![(2026, true)]);
        assert_eq!(cal.arrangements_due(date("2026-11-02")), vec![(2026, true), (2027, false)]);
        assert_eq!(cal.arrangements_due(date("2026-11-30")), vec![(2026, true), (2027, false)]);
        // Still due, all through the year, until imported.
        assert_eq!(cal.arrangements_due(date("2027-07-01")), vec![(2027, false)]);
        let mut with = cal.clone();
        with.apply(&import(ARRANGEMENT_2027).unwrap().arrangements[0]).unwrap();
        assert_eq!(with.arrangements_due(date("2026-12-31")), vec![(2026, true), (2027, true)]);
        // Past the covered years, and for calendars of data only, nothing is due.
        assert_eq!(cal.arrangements_due(date("2100-12-01")), vec![(2100, false)]);
        assert_eq!(cal.arrangements_due(date("2101-01-01")), vec![]);
        assert_eq!(Calendar::always().arrangements_due(date("2026-12-01")), vec![]);
    }

    #[test]
    fn arrangement_errors_name_the_entry_field_and_line() {
        let base = ARRANGEMENT_2027;
        let cases: Vec<(String, &str, usize)> = vec![
            (base.replace("\"vn-2026\"", "\"vn-2207\""), "field `calendar`: no calendar \"vn-2207\"", 2),
            (base.replace("\"vn-2026\"", "\"24x7\""), "calendar \"24x7\" is not computed from the statute", 2),
            (base.replace("\"vn-2026\"", "\"hcm\""), "edit that file and import it again", 2),
            (
                base.replace("year = 2027", "year = 2150"),
                "[[arrangements]] #1 (calendar \"vn-2026\", year 2150), field `year`: year 2150 is outside the years calendar \"vn\" covers (2000–2100)",
                3,
            ),
            (base.replace("year = 2027", "year = -3"), "year -3 is not valid", 3),
            (
                base.replace("source = \"Thông báo 1/TB-BNV (thử)\"", "source = \"\""),
                "field `source`: must not be empty",
                4,
            ),
            (
                base.replace("date = \"2027-01-01\"", "date = \"2026-12-31\""),
                "[[arrangements.days]] #1 (\"Tết Dương lịch\"), field `date`: 2026-12-31 is not in 2027; it belongs to the arrangement for 2026",
                7,
            ),
            (base.replace("until = \"2027-09-05\"", "until = \"2028-09-05\""), "more than 31", 35),
            (
                base.replace(
                    "from = \"2027-09-02\"\nuntil = \"2027-09-05\"",
                    "from = \"2027-12-30\"\nuntil = \"2028-01-02\"",
                ),
                "field `from`: 2028-01-02 is not in 2027",
                34,
            ),
            (base.replace("date = \"2027-02-20\"", "date = \"2027-02-13\""), "both a day off and a working day", 18),
            (base.replace("kind = \"working\"", "kind = \"workday\""), "kind \"workday\"", 19),
            (base.replace("source = ", "sauce = "), "unknown field `sauce`", 4),
            // The statute's holidays stay off: 2 Sep made a working day.
            (
                base.replace("from = \"2027-09-02\"", "from = \"2027-09-03\"")
                    + "\n[[arrangements.days]]\ndate = \"2027-09-02\"\nkind = \"working\"\nname = \"Làm\"\n",
                "2027-09-02 (National Day) is a public holiday under the Labour Code 2019 (Art. 112), but this arrangement leaves it a working day",
                40,
            ),
            // 30 Apr – 3 May left out: two holidays and a day off in lieu missing.
            (
                base.replace(
                    "from = \"2027-04-30\"\nuntil = \"2027-05-03\"",
                    "from = \"2027-05-02\"\nuntil = \"2027-05-02\"",
                ),
                "2027-04-30 (Victory Day) is a public holiday",
                1,
            ),
        ];
        for (text, needle, line) in cases {
            let errors = import(&text).expect_err(needle);
            let e = errors.iter().find(|e| e.message.en.contains(needle)).unwrap_or_else(|| {
                panic!("expected {needle:?}, got {:?}", errors.iter().map(|e| &e.message.en).collect::<Vec<_>>())
            });
            assert_eq!(e.line, Some(line), "line for {needle:?}: {}", e.render("f.toml", Lang::En));
            // The TOML parser's own messages are English only.
            assert!(e.message.vi != e.message.en || needle.starts_with("unknown field"), "{:?}", e.message);
        }
        // Leaving out a holiday also leaves fewer days off than the statute gives, named.
        let short = base
            .replace("from = \"2027-04-30\"\nuntil = \"2027-05-03\"", "from = \"2027-05-02\"\nuntil = \"2027-05-02\"");
        let errors = import(&short).unwrap_err();
        assert_eq!(errors.len(), 2, "{errors:?}");
        let shortfall = &errors[1].message.en;
        assert!(
            shortfall.contains("gives 9 working days off in 2027") && shortfall.contains("statute's 11"),
            "{shortfall}"
        );
        assert!(shortfall.contains("30/04, 03/05"), "{shortfall}");
        // The same year twice in one file.
        let twice = format!("{base}\n{}", base.replace("vn-2026", "vn"));
        let errors = import(&twice).unwrap_err();
        assert!(
            errors[0].message.en.contains("already has the 2027 arrangement of calendar \"vn\" at line 3"),
            "{errors:?}"
        );
        // Reading back what was stored checks the format only.
        assert!(parse_file(&short, resolve, Checks::Stored).is_ok());
    }

    #[test]
    fn whole_calendars_may_not_take_the_statutory_codes() {
        for code in ["vn", "vn-2026"] {
            let text = SMALL.replace("code = \"hcm\"", &format!("code = \"{code}\""));
            let errors = import(&text).unwrap_err();
            assert!(errors[0].message.en.contains("import that year's arrangement"), "{errors:?}");
            assert_eq!(errors[0].line, Some(2));
            // What this program stored before that rule still reads.
            assert_eq!(parse_calendars(&text).unwrap()[0].code, code);
        }
        // A file may hold both kinds.
        let both = format!("{SMALL}\n{ARRANGEMENT_2027}");
        let file = import(&both).unwrap();
        assert_eq!((file.calendars.len(), file.arrangements.len()), (2, 1));
    }

    // ── Properties ──

    fn instant() -> impl Strategy<Value = DateTime<Utc>> {
        let lo = vn("2025-01-01 00:00").timestamp();
        let hi = vn("2028-01-01 00:00").timestamp();
        prop_oneof![
            (lo..hi).prop_map(|s| DateTime::from_timestamp(s, 0).unwrap()),
            // On the half-hour grid, where periods begin and end (UTC+7 keeps the grid).
            (lo / 1800..hi / 1800).prop_map(|k| DateTime::from_timestamp(k * 1800, 0).unwrap()),
        ]
    }

    fn seconds() -> impl Strategy<Value = i64> {
        prop_oneof![1..=200 * H, (1..=400i64).prop_map(|k| k * 1800)]
    }

    fn calendar() -> impl Strategy<Value = Calendar> {
        prop_oneof![Just(Calendar::vn()), Just(with_saturdays())]
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]

        #[test]
        fn hours_land_in_office_time_and_use_exactly_n(cal in calendar(), start in instant(), n in seconds()) {
            let end = cal.add(start, Seconds(n));
            prop_assert!(end > start);
            prop_assert!(cal.is_working(end) || is_period_end(&cal, end), "{} + {n}s = {}", show(start), show(end));
            prop_assert_eq!(cal.working_between(start, end), TimeDelta::seconds(n));
        }

        #[test]
        fn a_memo_answers_as_its_calendar(cal in calendar(), paris in any::<bool>(), points in proptest::collection::vec((instant(), instant(), seconds()), 1..20)) {
            // One memo over many computations, as a report uses it; Paris has clock changes.
            let mut cal = cal;
            if paris {
                cal.tz = chrono_tz::Europe::Paris;
            }
            let memo = Memo::new(&cal);
            for (a, b, n) in points {
                prop_assert_eq!(WorkingTime::working_between(&memo, a, b), cal.working_between(a, b));
                prop_assert_eq!(WorkingTime::add(&memo, a, Seconds(n)), cal.add(a, Seconds(n)));
                prop_assert_eq!(WorkingTime::add(&memo, a, Days(3)), cal.add(a, Days(3)));
            }
        }

        #[test]
        fn days_end_at_a_period_end(cal in calendar(), start in instant(), n in 1..=30u32) {
            let end = cal.add(start, Days(n));
            prop_assert!(end > start);
            prop_assert!(is_period_end(&cal, end), "{} + {n}d = {}", show(start), show(end));
            // Exactly n working days that had not begun at the start have ended by then.
            let days = cal.dates_from(start).take_while(|d| *d <= cal.local_date(end))
                .filter(|d| !cal.periods(*d).is_empty() && cal.periods(*d)[0].0 >= start).count();
            prop_assert_eq!(days, n as usize);
        }

        #[test]
        fn adding_is_monotone_in_the_duration(cal in calendar(), start in instant(), a in seconds(), b in seconds(), x in 1..=30u32, y in 1..=30u32) {
            let (a, b) = (a.min(b), a.max(b));
            prop_assert!(cal.add(start, Seconds(a)) <= cal.add(start, Seconds(b)));
            let (x, y) = (x.min(y), x.max(y));
            prop_assert!(cal.add(start, Days(x)) <= cal.add(start, Days(y)));
        }

        #[test]
        fn adding_is_monotone_in_the_start(cal in calendar(), s in instant(), t in instant(), n in seconds(), k in 1..=30u32) {
            let (s, t) = (s.min(t), s.max(t));
            prop_assert!(cal.add(s, Seconds(n)) <= cal.add(t, Seconds(n)));
            prop_assert!(cal.add(s, Days(k)) <= cal.add(t, Days(k)));
        }

        #[test]
        fn holding_until_opening_changes_no_deadline(cal in calendar(), t in instant(), n in seconds(), k in 1..=30u32) {
            let open = cal.next_working_start(t);
            prop_assert!(open >= t && cal.is_working(open));
            prop_assert_eq!(cal.working_between(t, open), TimeDelta::zero());
            prop_assert_eq!(cal.add(open, Seconds(n)), cal.add(t, Seconds(n)));
            prop_assert_eq!(cal.add(open, Days(k)), cal.add(t, Days(k)));
        }

        #[test]
        fn working_between_adds_up(cal in calendar(), a in instant(), b in instant(), c in instant()) {
            let mut v = [a, b, c];
            v.sort();
            let [a, b, c] = v;
            prop_assert_eq!(cal.working_between(a, c), cal.working_between(a, b) + cal.working_between(b, c));
            prop_assert!(cal.working_between(a, c) <= c - a);
        }

        #[test]
        fn always_is_plain_time(start in instant(), n in seconds()) {
            let cal = Calendar::always();
            prop_assert_eq!(cal.add(start, Seconds(n)), start + TimeDelta::seconds(n));
        }

        #[test]
        fn durations_round_trip(n in 1..=1_000_000i64, d in 1..=10_000u32) {
            prop_assert_eq!(Seconds(n).to_string().parse::<WorkDuration>().unwrap(), Seconds(n));
            prop_assert_eq!(Days(d).to_string().parse::<WorkDuration>().unwrap(), Days(d));
        }
    }
}
