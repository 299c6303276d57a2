//! Report periods: calendar months in Việt Nam time, and runs of whole months (a yearly report's
//! reporting period). Pure: the present is passed in.

use chrono::{DateTime, Datelike, NaiveDate, TimeZone, Utc};

use crate::domain::LOCAL_TZ;
use crate::i18n::{Lang, Text};
use crate::t;

/// A calendar month.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(into = "String")]
pub struct Month {
    year: i32,
    /// 1..=12
    month: u32,
}

impl From<Month> for String {
    fn from(m: Month) -> String {
        m.to_string()
    }
}

impl std::fmt::Display for Month {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:04}-{:02}", self.year, self.month)
    }
}

impl Month {
    pub fn new(year: i32, month: u32) -> Option<Month> {
        ((1..=12).contains(&month) && (2000..=2200).contains(&year)).then_some(Month { year, month })
    }

    /// `YYYY-MM`, with a message naming what is wrong.
    pub fn parse(s: &str) -> Result<Month, Text> {
        let s = s.trim();
        let bad = || {
            t!(
                "tháng {s:?} không hợp lệ: viết dạng NNNN-TT, ví dụ 2026-11",
                "{s:?} is not a month: write YYYY-MM, e.g. 2026-11"
            )
        };
        let (y, m) = s.split_once('-').ok_or_else(bad)?;
        if y.len() != 4 || m.len() != 2 {
            return Err(bad());
        }
        let (y, m) = (y.parse::<i32>().map_err(|_| bad())?, m.parse::<u32>().map_err(|_| bad())?);
        Month::new(y, m).ok_or_else(bad)
    }

    /// The month of a local date.
    pub fn of_date(d: NaiveDate) -> Month {
        Month { year: d.year(), month: d.month() }
    }

    /// The local month an instant falls in.
    pub fn of(t: DateTime<Utc>) -> Month {
        Month::of_date(t.with_timezone(&LOCAL_TZ).date_naive())
    }

    /// yyyymm, the key of the month rollups.
    pub fn number(self) -> i32 {
        self.year * 100 + self.month as i32
    }

    pub fn from_number(n: i32) -> Option<Month> {
        Month::new(n / 100, (n % 100) as u32)
    }

    pub fn year(self) -> i32 {
        self.year
    }

    pub fn month(self) -> u32 {
        self.month
    }

    pub fn first_day(self) -> NaiveDate {
        NaiveDate::from_ymd_opt(self.year, self.month, 1).expect("a valid month")
    }

    pub fn last_day(self) -> NaiveDate {
        self.next().first_day().pred_opt().expect("a valid month")
    }

    /// yyyymmdd of the first and last days, the keys of the day rollups.
    pub fn first_day_number(self) -> i32 {
        self.number() * 100 + 1
    }

    pub fn last_day_number(self) -> i32 {
        self.number() * 100 + self.last_day().day() as i32
    }

    pub fn next(self) -> Month {
        if self.month == 12 { Month { year: self.year + 1, month: 1 } } else { Month { month: self.month + 1, ..self } }
    }

    pub fn prev(self) -> Month {
        if self.month == 1 { Month { year: self.year - 1, month: 12 } } else { Month { month: self.month - 1, ..self } }
    }

    /// `n` months earlier (0 = this one).
    pub fn minus(self, n: u32) -> Month {
        (0..n).fold(self, |m, _| m.prev())
    }

    /// This month and every one up to `last`, in order (empty when `last` is earlier).
    pub fn through(self, last: Month) -> Vec<Month> {
        let mut out = Vec::new();
        let mut m = self;
        while m <= last {
            out.push(m);
            m = m.next();
        }
        out
    }

    /// The first instant of the month and of the next one, in UTC (local midnights).
    pub fn utc_bounds(self) -> (DateTime<Utc>, DateTime<Utc>) {
        let start = |d: NaiveDate| {
            LOCAL_TZ
                .from_local_datetime(&d.and_hms_opt(0, 0, 0).expect("midnight"))
                .single()
                .expect("Việt Nam has no daylight saving time")
                .with_timezone(&Utc)
        };
        (start(self.first_day()), start(self.next().first_day()))
    }

    /// "tháng 11/2026" / "November 2026".
    pub fn label(self, lang: Lang) -> String {
        match lang {
            Lang::Vi => format!("tháng {}/{}", self.month, self.year),
            Lang::En => format!("{} {}", self.first_day().format("%B"), self.year),
        }
    }

    /// "11/2026", for tables and charts.
    pub fn short(self) -> String {
        format!("{:02}/{}", self.month, self.year)
    }
}

/// A run of whole months, first and last included.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct Period {
    pub first: Month,
    pub last: Month,
}

impl Period {
    pub fn month(m: Month) -> Period {
        Period { first: m, last: m }
    }

    pub fn months(&self) -> Vec<Month> {
        self.first.through(self.last)
    }

    pub fn is_single_month(&self) -> bool {
        self.first == self.last
    }

    /// The first instant and the end (exclusive) of the period, in UTC.
    pub fn utc_bounds(&self) -> (DateTime<Utc>, DateTime<Utc>) {
        (self.first.utc_bounds().0, self.last.utc_bounds().1)
    }

    /// The same number of months just before this period.
    pub fn previous(&self) -> Period {
        let n = self.months().len() as u32;
        Period { first: self.first.minus(n), last: self.first.prev() }
    }

    /// "tháng 11/2026", or "từ tháng 11/2025 đến tháng 10/2026".
    pub fn label(&self, lang: Lang) -> String {
        if self.is_single_month() {
            return self.first.label(lang);
        }
        match lang {
            Lang::Vi => format!("từ {} đến {}", self.first.label(lang), self.last.label(lang)),
            Lang::En => format!("{} to {}", self.first.label(lang), self.last.label(lang)),
        }
    }
}

/// A day of the year, `MM-DD` (a yearly deadline).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct MonthDay {
    pub month: u32,
    pub day: u32,
}

impl MonthDay {
    pub fn parse(s: &str) -> Result<MonthDay, Text> {
        let s = s.trim();
        let bad =
            || t!("{s:?} không phải ngày dạng TT-NN, ví dụ 11-15", "{s:?} is not a day of the form MM-DD, e.g. 11-15");
        let (m, d) = s.split_once('-').ok_or_else(bad)?;
        if m.len() != 2 || d.len() != 2 {
            return Err(bad());
        }
        let (month, day) = (m.parse::<u32>().map_err(|_| bad())?, d.parse::<u32>().map_err(|_| bad())?);
        // A day every year has (29 February is not).
        NaiveDate::from_ymd_opt(2023, month, day).ok_or_else(bad)?;
        Ok(MonthDay { month, day })
    }

    pub fn in_year(self, year: i32) -> NaiveDate {
        NaiveDate::from_ymd_opt(year, self.month, self.day).expect("checked when parsed")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn months() {
        let m = Month::parse("2026-11").unwrap();
        assert_eq!((m.number(), m.first_day_number(), m.last_day_number()), (202611, 20261101, 20261130));
        assert_eq!(m.next().to_string(), "2026-12");
        assert_eq!(m.next().next().to_string(), "2027-01");
        assert_eq!(Month::parse("2026-01").unwrap().prev().to_string(), "2025-12");
        assert_eq!(m.minus(12).to_string(), "2025-11");
        assert_eq!(Month::parse("2024-02").unwrap().last_day_number(), 20240229);
        for bad in ["2026-13", "2026-1", "26-11", "2026/11", "", "2026-00", "abcd-ef"] {
            assert!(Month::parse(bad).is_err(), "{bad:?}");
        }
        assert!(Month::parse("2026-13").unwrap_err().vi.contains("NNNN-TT"));
        let (a, b) = m.utc_bounds();
        assert_eq!(a.to_rfc3339(), "2026-10-31T17:00:00+00:00");
        assert_eq!(b.to_rfc3339(), "2026-11-30T17:00:00+00:00");
        assert_eq!(Month::of(a), m);
        assert_eq!(Month::of(b - chrono::Duration::seconds(1)), m);
        assert_eq!(m.label(Lang::Vi), "tháng 11/2026");
        assert_eq!(m.label(Lang::En), "November 2026");
        assert_eq!(Month::parse("2025-11").unwrap().through(m).len(), 13);
        assert!(m.through(m.prev()).is_empty());
    }

    #[test]
    fn month_days() {
        assert_eq!(MonthDay::parse("11-15").unwrap().in_year(2026), NaiveDate::from_ymd_opt(2026, 11, 15).unwrap());
        for bad in ["02-29", "13-01", "1-15", "11/15", ""] {
            assert!(MonthDay::parse(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn periods() {
        let p = Period { first: Month::parse("2025-11").unwrap(), last: Month::parse("2026-10").unwrap() };
        assert_eq!(p.months().len(), 12);
        assert_eq!(
            p.previous(),
            Period { first: Month::parse("2024-11").unwrap(), last: Month::parse("2025-10").unwrap() }
        );
        assert_eq!(Period::month(Month::parse("2026-11").unwrap()).previous().first.to_string(), "2026-10");
        assert_eq!(p.label(Lang::Vi), "từ tháng 11/2025 đến tháng 10/2026");
    }
}
