//! Weekly opening hours and day sets, in a syntax an administrator can type:
//!
//! * days: `Mon`…`Sun` (or Vietnamese `T2`…`T7`, `CN`), ranges `Mon-Fri`, lists `Mon,Wed,Fri`;
//! * a time range: `07:30-11:30`;
//! * weekly hours: groups `DAYS RANGE[,RANGE…]` separated by `;`, e.g.
//!   `Mon-Fri 07:30-11:30,13:30-17:00; Sat 07:30-11:30`.
//!
//! Parsing gives a canonical value; `Display` writes the canonical text, so what is stored compares
//! equal whenever it means the same.

use std::fmt;
use std::str::FromStr;

use chrono::{Datelike, NaiveDateTime, NaiveTime, Weekday};

use crate::i18n::Text;
use crate::t;

const NAMES: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];

/// The default office hours (docs/domain.md §4).
pub const DEFAULT_HOURS: &str = "Mon-Fri 07:30-11:30,13:30-17:00";

fn parse_day(s: &str) -> Option<u8> {
    let s = s.trim();
    if let Some(i) = NAMES.iter().position(|n| n.eq_ignore_ascii_case(s)) {
        return Some(i as u8);
    }
    match s.to_ascii_uppercase().as_str() {
        "T2" => Some(0),
        "T3" => Some(1),
        "T4" => Some(2),
        "T5" => Some(3),
        "T6" => Some(4),
        "T7" => Some(5),
        "CN" => Some(6),
        _ => None,
    }
}

/// A set of weekdays, bit 0 = Monday.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct DaySet(pub u8);

impl DaySet {
    pub const ALL: DaySet = DaySet(0x7f);

    pub fn contains(self, d: Weekday) -> bool {
        self.0 & (1 << d.num_days_from_monday()) != 0
    }

    pub fn is_empty(self) -> bool {
        self.0 == 0
    }
}

impl FromStr for DaySet {
    type Err = Text;

    fn from_str(s: &str) -> Result<DaySet, Text> {
        let mut bits = 0u8;
        for part in s.split(',') {
            let part = part.trim();
            let bad = || {
                t!(
                    "ngày {part:?} không hợp lệ (dùng Mon…Sun hoặc T2…CN)",
                    "day {part:?} is not valid (use Mon…Sun or T2…CN)"
                )
            };
            match part.split_once('-') {
                Some((a, b)) => {
                    let (a, b) = (parse_day(a).ok_or_else(bad)?, parse_day(b).ok_or_else(bad)?);
                    if a > b {
                        return Err(t!(
                            "khoảng ngày {part:?} ngược chiều (phải từ đầu tuần đến cuối tuần)",
                            "day range {part:?} runs backwards (Monday comes first)"
                        ));
                    }
                    for d in a..=b {
                        bits |= 1 << d;
                    }
                }
                None => bits |= 1 << parse_day(part).ok_or_else(bad)?,
            }
        }
        Ok(DaySet(bits))
    }
}

impl fmt::Display for DaySet {
    /// Runs of three or more days as ranges: `Mon-Fri`, `Mon,Wed,Fri`, `Mon-Wed,Sat`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut parts = Vec::new();
        let mut d = 0u8;
        while d < 7 {
            if self.0 & (1 << d) == 0 {
                d += 1;
                continue;
            }
            let start = d;
            while d + 1 < 7 && self.0 & (1 << (d + 1)) != 0 {
                d += 1;
            }
            match d - start {
                0 => parts.push(NAMES[start as usize].to_string()),
                1 => {
                    parts.push(NAMES[start as usize].to_string());
                    parts.push(NAMES[d as usize].to_string());
                }
                _ => parts.push(format!("{}-{}", NAMES[start as usize], NAMES[d as usize])),
            }
            d += 1;
        }
        f.write_str(&parts.join(","))
    }
}

/// A half-open interval of local time `[start, end)` within one day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TimeRange {
    pub start: NaiveTime,
    pub end: NaiveTime,
}

impl TimeRange {
    pub fn contains(&self, t: NaiveTime) -> bool {
        self.start <= t && t < self.end
    }
}

fn parse_time(s: &str) -> Option<NaiveTime> {
    let s = s.trim();
    let (h, m) = s.split_once(':')?;
    if h.is_empty() || h.len() > 2 || m.len() != 2 {
        return None;
    }
    let (h, m): (u32, u32) = (h.parse().ok()?, m.parse().ok()?);
    if h == 24 && m == 0 {
        // 24:00 ends a day that is open until midnight.
        return Some(NaiveTime::from_hms_nano_opt(23, 59, 59, 999_999_999).unwrap());
    }
    NaiveTime::from_hms_opt(h, m, 0)
}

fn write_time(t: NaiveTime, f: &mut fmt::Formatter<'_>) -> fmt::Result {
    use chrono::Timelike;
    if t.nanosecond() > 0 { f.write_str("24:00") } else { write!(f, "{:02}:{:02}", t.hour(), t.minute()) }
}

impl FromStr for TimeRange {
    type Err = Text;

    fn from_str(s: &str) -> Result<TimeRange, Text> {
        let bad = || {
            t!("khoảng giờ {s:?} không hợp lệ (dạng 07:30-11:30)", "time range {s:?} is not valid (write 07:30-11:30)")
        };
        let (a, b) = s.trim().split_once('-').ok_or_else(bad)?;
        let (start, end) = (parse_time(a).ok_or_else(bad)?, parse_time(b).ok_or_else(bad)?);
        if start >= end {
            return Err(t!(
                "khoảng giờ {s:?} phải kết thúc sau khi bắt đầu",
                "time range {s:?} must end after it starts"
            ));
        }
        Ok(TimeRange { start, end })
    }
}

impl fmt::Display for TimeRange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_time(self.start, f)?;
        f.write_str("-")?;
        write_time(self.end, f)
    }
}

/// Opening hours for each weekday (index 0 = Monday), sorted and non-overlapping.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct WeeklyHours {
    pub days: [Vec<TimeRange>; 7],
}

impl WeeklyHours {
    pub fn ranges(&self, d: Weekday) -> &[TimeRange] {
        &self.days[d.num_days_from_monday() as usize]
    }

    /// Whether a local wall-clock instant falls in the hours (holidays are the calendar's business).
    pub fn is_open(&self, local: NaiveDateTime) -> bool {
        self.ranges(local.weekday()).iter().any(|r| r.contains(local.time()))
    }

    /// All hours, every day: the `24x7` setup for tests.
    pub fn always() -> WeeklyHours {
        let full = TimeRange { start: NaiveTime::MIN, end: parse_time("24:00").unwrap() };
        WeeklyHours { days: std::array::from_fn(|_| vec![full]) }
    }
}

impl FromStr for WeeklyHours {
    type Err = Text;

    fn from_str(s: &str) -> Result<WeeklyHours, Text> {
        let mut w = WeeklyHours::default();
        if s.trim().is_empty() {
            return Err(t!(
                "giờ mở cửa trống (ví dụ: {DEFAULT_HOURS})",
                "opening hours are empty (e.g. {DEFAULT_HOURS})"
            ));
        }
        for group in s.split(';').map(str::trim).filter(|g| !g.is_empty()) {
            let (days, ranges) = group.split_once(char::is_whitespace).ok_or_else(|| {
                t!(
                    "nhóm {group:?} phải gồm ngày rồi giờ, ví dụ \"Mon-Fri 07:30-11:30\"",
                    "group {group:?} must be days then hours, e.g. \"Mon-Fri 07:30-11:30\""
                )
            })?;
            let days: DaySet = days.parse()?;
            for r in ranges.split(',') {
                let r: TimeRange = r.parse()?;
                for d in 0..7 {
                    if days.0 & (1 << d) != 0 {
                        w.days[d].push(r);
                    }
                }
            }
        }
        for (d, ranges) in w.days.iter_mut().enumerate() {
            ranges.sort();
            if ranges.windows(2).any(|p| p[1].start < p[0].end) {
                let day = NAMES[d];
                return Err(t!("các khoảng giờ của {day} chồng lên nhau", "the hours given for {day} overlap"));
            }
        }
        Ok(w)
    }
}

impl fmt::Display for WeeklyHours {
    /// Days with identical hours grouped: `Mon-Fri 07:30-11:30,13:30-17:00; Sat 07:30-11:30`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut groups: Vec<(DaySet, &Vec<TimeRange>)> = Vec::new();
        for (d, ranges) in self.days.iter().enumerate() {
            if ranges.is_empty() {
                continue;
            }
            match groups.iter_mut().find(|(_, r)| *r == ranges) {
                Some((set, _)) => set.0 |= 1 << d,
                None => groups.push((DaySet(1 << d), ranges)),
            }
        }
        let mut first = true;
        for (days, ranges) in groups {
            if !first {
                f.write_str("; ")?;
            }
            first = false;
            write!(f, "{days} ")?;
            for (i, r) in ranges.iter().enumerate() {
                if i > 0 {
                    f.write_str(",")?;
                }
                write!(f, "{r}")?;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn day_sets_round_trip() {
        for (input, canon) in [
            ("Mon-Fri", "Mon-Fri"),
            ("mon,tue,wed", "Mon-Wed"),
            ("Mon,Wed,Fri", "Mon,Wed,Fri"),
            ("T2-T6", "Mon-Fri"),
            ("T7,CN", "Sat,Sun"),
            ("Mon-Sun", "Mon-Sun"),
            ("Fri,Mon", "Mon,Fri"),
        ] {
            assert_eq!(input.parse::<DaySet>().unwrap().to_string(), canon, "{input}");
        }
        assert!("Fri-Mon".parse::<DaySet>().is_err());
        assert!("Funday".parse::<DaySet>().is_err());
        assert!("".parse::<DaySet>().is_err());
    }

    #[test]
    fn weekly_hours_parse_and_print_canonically() {
        let w: WeeklyHours = "Sat 07:30-11:30; Mon-Fri 13:30-17:00,07:30-11:30".parse().unwrap();
        assert_eq!(w.to_string(), "Mon-Fri 07:30-11:30,13:30-17:00; Sat 07:30-11:30");
        let d: WeeklyHours = DEFAULT_HOURS.parse().unwrap();
        assert_eq!(d.to_string(), DEFAULT_HOURS);
        let t = |s: &str| NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap();
        // 2026-11-27 is a Friday.
        assert!(d.is_open(t("2026-11-27 07:30")));
        assert!(!d.is_open(t("2026-11-27 11:30")));
        assert!(!d.is_open(t("2026-11-27 12:00")));
        assert!(d.is_open(t("2026-11-27 16:59")));
        assert!(!d.is_open(t("2026-11-28 09:00")));
        assert_eq!(WeeklyHours::always().to_string(), "Mon-Sun 00:00-24:00");
        assert!(WeeklyHours::always().is_open(t("2026-11-28 23:59")));
    }

    #[test]
    fn weekly_hours_errors_are_specific() {
        for (bad, needle) in [
            ("", "empty"),
            ("Mon-Fri", "days then hours"),
            ("Mon-Fri 7h30-11h", "not valid"),
            ("Mon-Fri 11:30-07:30", "must end after"),
            ("Mon 07:00-09:00,08:00-10:00", "overlap"),
            ("Xyz 07:00-09:00", "not valid"),
            ("Mon 25:00-26:00", "not valid"),
        ] {
            let e = bad.parse::<WeeklyHours>().unwrap_err();
            assert!(e.en.contains(needle), "{bad}: {}", e.en);
        }
    }
}
