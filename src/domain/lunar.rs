//! Vietnamese lunar calendar (âm lịch), computed for Vietnam's time zone, UTC+7.
//!
//! Hand-written on purpose: crates.io has no well-kept crate focused on the UTC+7 calendar (`amlich` 0.0.1 is a 2019
//! TUI app, `amlich-core` a young single-author almanac pulling serde_json around the same few hundred lines,
//! `lunardate` is China-only, UTC+8). So this implements Hồ Ngọc Đức's published algorithm (Meeus-based new moons and
//! solar longitude), the reference used by Vietnamese calendars: <https://www.informatik.uni-leipzig.de/~duc/amlich/>.
//!
//! Origin and licence: the code was written here from the published rules (below) and the formulas of Jean Meeus,
//! *Astronomical Algorithms* (2nd ed., 1998, ch. 25 and 49, in the truncated form Hồ Ngọc Đức publishes); no code
//! was copied from his or any other implementation, so it is under this crate's licence. The test tables cite
//! their sources.
//!
//! # Rules (as published by Hồ Ngọc Đức)
//! - A month starts on the day (UTC+7) that contains the astronomical new moon.
//! - Month 11 always contains the winter solstice.
//! - A year (month 11 to month 11) with 13 months has one leap month: the first month after month 11 that contains no
//!   major solar term (trung khí); it takes the number of the month before it.
//!
//! # Range
//! Supported: Gregorian years [`MIN_YEAR`]`..=`[`MAX_YEAR`] for [`to_lunar`], lunar years in the same range for
//! [`from_lunar`], [`tet`] and [`last_day_of_year`]. [`from_lunar`] returns `None` outside it; the other functions
//! panic, as they have no meaningful answer (the truncated astronomical series lose accuracy far from 2000). Callers
//! taking years from user input should check the range first.
//!
//! Dates before 1968 are computed for UTC+7 too, although North Vietnam switched from the Chinese (UTC+8) calendar
//! only on 8 August 1967 and South Vietnam in 1975, so historic Vietnamese almanacs can differ (e.g. Tết 1968).
//!
//! The months of the whole range (about 5,000) are computed once, on first use, so every call is a lookup and the
//! two conversions are exact inverses. Checked against Hồ Ngọc Đức's own JavaScript for every day 1800–2199 (same
//! result except 4 days where that script's month estimate yields "day 0") and against the independent Tết and
//! Giỗ Tổ tables of python-holidays (Hong Kong Observatory data with Vietnamese corrections) for 1901–2099.

use std::sync::LazyLock;

use chrono::{Datelike, NaiveDate};

/// First supported year (Gregorian for [`to_lunar`], lunar for the other functions).
pub const MIN_YEAR: i32 = 1800;
/// Last supported year (Gregorian for [`to_lunar`], lunar for the other functions).
pub const MAX_YEAR: i32 = 2199;

/// A date in the Vietnamese lunar calendar.
///
/// `year` is the Gregorian number of the year in which that lunar year starts (Tết 2025 starts lunar year 2025,
/// Ất Tỵ). `leap` marks the intercalary month (tháng nhuận), which repeats the number of the month before it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct LunarDate {
    pub year: i32,
    /// 1..=12
    pub month: u8,
    /// 1..=30
    pub day: u8,
    pub leap: bool,
}

/// Converts a Gregorian date to the Vietnamese lunar date.
///
/// # Panics
/// If `date.year()` is outside [`MIN_YEAR`]`..=`[`MAX_YEAR`].
pub fn to_lunar(date: NaiveDate) -> LunarDate {
    assert!((MIN_YEAR..=MAX_YEAR).contains(&date.year()), "lunar::to_lunar: {date} outside {MIN_YEAR}..={MAX_YEAR}");
    let day = jdn(date);
    let months = &*MONTHS;
    // The table starts with month 11 of lunar year MIN_YEAR - 1 (Nov/Dec MIN_YEAR - 1) and ends after Dec MAX_YEAR,
    // so the partition point is never 0.
    let m = months[months.partition_point(|m| m.start <= day) - 1];
    LunarDate { year: m.year, month: m.month, day: (day - m.start + 1) as u8, leap: m.leap }
}

/// Converts a Vietnamese lunar date to the Gregorian date.
///
/// Returns `None` when that lunar date does not exist (day 30 of a 29-day month, a leap month the year does not
/// have, month outside 1..=12, day 0) or its Gregorian date is outside years [`MIN_YEAR`]`..=`[`MAX_YEAR`] (so it is
/// the exact inverse of [`to_lunar`], including months 11 and 12 of lunar year `MIN_YEAR - 1`).
pub fn from_lunar(year: i32, month: u8, day: u8, leap: bool) -> Option<NaiveDate> {
    if !(MIN_YEAR - 1..=MAX_YEAR).contains(&year) || !(1..=12).contains(&month) || day == 0 {
        return None;
    }
    let months = &*MONTHS;
    let i = find_month(year, month, leap)?;
    // months[i + 1] exists: the table runs into lunar year MAX_YEAR + 1.
    let (start, next) = (months[i].start, months[i + 1].start);
    let d = date(start + i32::from(day) - 1);
    (i32::from(day) <= next - start && (MIN_YEAR..=MAX_YEAR).contains(&d.year())).then_some(d)
}

/// Tết Nguyên Đán: the first day of month 1 of lunar year `year`.
///
/// # Panics
/// If `year` is outside [`MIN_YEAR`]`..=`[`MAX_YEAR`].
pub fn tet(year: i32) -> NaiveDate {
    date(new_year_day(year, "tet", 0))
}

/// The last day of lunar year `year` (29 or 30 tháng Chạp), the day before `tet(year + 1)`.
///
/// # Panics
/// If `year` is outside [`MIN_YEAR`]`..=`[`MAX_YEAR`].
pub fn last_day_of_year(year: i32) -> NaiveDate {
    // The table holds month 1 of MAX_YEAR + 1, so this works for MAX_YEAR too.
    date(new_year_day(year, "last_day_of_year", 1) - 1)
}

/// Julian day number of Tết of lunar year `year + offset`, after checking that `year` is supported.
fn new_year_day(year: i32, caller: &str, offset: i32) -> i32 {
    assert!((MIN_YEAR..=MAX_YEAR).contains(&year), "lunar::{caller}: year {year} outside {MIN_YEAR}..={MAX_YEAR}");
    MONTHS[find_month(year + offset, 1, false).expect("month 1 is in the table")].start
}

/// Index in the table of the given month, if it exists.
fn find_month(year: i32, month: u8, leap: bool) -> Option<usize> {
    let months = &*MONTHS;
    let first = months.partition_point(|m| m.year < year);
    let found = months[first..].iter().take(13).position(|m| m.year == year && m.month == month && m.leap == leap);
    found.map(|i| first + i)
}

/// One lunar month of the precomputed table.
#[derive(Debug, Clone, Copy)]
struct Month {
    /// Julian day number of its first day.
    start: i32,
    year: i32,
    month: u8,
    leap: bool,
}

/// Every month from month 11 of lunar year MIN_YEAR - 1 to month 10 of lunar year MAX_YEAR + 1, in order.
static MONTHS: LazyLock<Vec<Month>> = LazyLock::new(build_table);

/// UTC+7, in days.
const TZ: f64 = 7.0 / 24.0;
const SYNODIC_MONTH: f64 = 29.530588853;
/// Julian date of new moon number 0 (1 January 1900, 13:51 UT), the origin of the lunation numbers `k`.
const NEW_MOON_0: f64 = 2415021.076998695;
/// `NaiveDate::num_days_from_ce` of a date plus this is its Julian day number.
const CE_TO_JDN: i32 = 1_721_425;

fn build_table() -> Vec<Month> {
    let mut months = Vec::with_capacity(((MAX_YEAR - MIN_YEAR + 2) * 13) as usize);
    // Each pass covers the lunar months from month 11 before Gregorian year g to the next month 11: months 11 and 12
    // of lunar year g - 1, months 1..=10 of lunar year g, and possibly one leap month.
    let mut a11 = month11(MIN_YEAR - 1);
    for g in MIN_YEAR..=MAX_YEAR + 1 {
        let b11 = month11(g);
        let k0 = ((f64::from(a11) - NEW_MOON_0) / SYNODIC_MONTH + 0.5).floor() as i64;
        debug_assert_eq!(new_moon_day(k0), a11);
        let leap = (b11 - a11 > 365).then(|| leap_offset(k0));
        let count = if leap.is_some() { 13 } else { 12 };
        for i in 0..count {
            // Offsets after the leap month reuse the number of the month before them.
            let (n, is_leap) = match leap {
                Some(l) if i >= l => (i - 1, i == l),
                _ => (i, false),
            };
            let month = ((10 + n) % 12 + 1) as u8; // offset 0 is month 11, offset 2 is month 1
            let year = if month >= 11 { g - 1 } else { g };
            months.push(Month { start: new_moon_day(k0 + i), year, month, leap: is_leap });
        }
        a11 = b11;
    }
    months
}

/// Offset (from month 11) of the leap month in a 13-month span starting at lunation `k0`: the first month whose
/// start and end lie in the same 30° sector of solar longitude, i.e. that contains no major solar term.
fn leap_offset(k0: i64) -> i64 {
    (1..13).find(|&i| sun_sector(new_moon_day(k0 + i)) == sun_sector(new_moon_day(k0 + i + 1))).unwrap_or(13)
}

/// Julian day number of the first day of the lunar month that contains the winter solstice of Gregorian year `g`.
fn month11(g: i32) -> i32 {
    let dec31 = jdn(NaiveDate::from_ymd_opt(g, 12, 31).expect("valid year"));
    let k = (f64::from(dec31 - 2415021) / SYNODIC_MONTH).floor() as i64;
    let nm = new_moon_day(k);
    // Sector 9 starts at 270°, the solstice: if it is already past when this month starts, month 11 is the one before.
    if sun_sector(nm) >= 9 { new_moon_day(k - 1) } else { nm }
}

/// Day (Julian day number, UTC+7) of new moon number `k`.
fn new_moon_day(k: i64) -> i32 {
    (new_moon(k) + 0.5 + TZ).floor() as i32
}

/// Sector (0..=11, 30° each, 0 starting at the March equinox) of the sun's longitude at local midnight starting day
/// `day`.
fn sun_sector(day: i32) -> i32 {
    (sun_longitude(f64::from(day) - 0.5 - TZ) / std::f64::consts::PI * 6.0).floor() as i32
}

/// Julian date (UT) of new moon number `k` (Meeus, Astronomical Algorithms, ch. 49, truncated as published by Hồ Ngọc
/// Đức).
fn new_moon(k: i64) -> f64 {
    let k = k as f64;
    let t = k / 1236.85; // Julian centuries since 1900 January 0.5
    let t2 = t * t;
    let t3 = t2 * t;
    let dr = std::f64::consts::PI / 180.0;
    let mut jd1 = 2415020.75933 + 29.53058868 * k + 0.0001178 * t2 - 0.000000155 * t3;
    jd1 += 0.00033 * ((166.56 + 132.87 * t - 0.009173 * t2) * dr).sin();
    let m = 359.2242 + 29.10535608 * k - 0.0000333 * t2 - 0.00000347 * t3; // sun's mean anomaly
    let mpr = 306.0253 + 385.81691806 * k + 0.0107306 * t2 + 0.00001236 * t3; // moon's mean anomaly
    let f = 21.2964 + 390.67050646 * k - 0.0016528 * t2 - 0.00000239 * t3; // moon's argument of latitude
    let c1 = (0.1734 - 0.000393 * t) * (m * dr).sin() + 0.0021 * (2.0 * dr * m).sin() - 0.4068 * (mpr * dr).sin()
        + 0.0161 * (dr * 2.0 * mpr).sin()
        - 0.0004 * (dr * 3.0 * mpr).sin()
        + 0.0104 * (dr * 2.0 * f).sin()
        - 0.0051 * (dr * (m + mpr)).sin()
        - 0.0074 * (dr * (m - mpr)).sin()
        + 0.0004 * (dr * (2.0 * f + m)).sin()
        - 0.0004 * (dr * (2.0 * f - m)).sin()
        - 0.0006 * (dr * (2.0 * f + mpr)).sin()
        + 0.0010 * (dr * (2.0 * f - mpr)).sin()
        + 0.0005 * (dr * (2.0 * mpr + m)).sin();
    // ΔT (TT - UT) in days.
    let delta_t = if t < -11.0 {
        0.001 + 0.000839 * t + 0.0002261 * t2 - 0.00000845 * t3 - 0.000000081 * t * t3
    } else {
        -0.000278 + 0.000265 * t + 0.000262 * t2
    };
    jd1 + c1 - delta_t
}

/// Apparent solar longitude in radians, 0..2π, at Julian date `jd` (Meeus ch. 25, low precision).
fn sun_longitude(jd: f64) -> f64 {
    let t = (jd - 2451545.0) / 36525.0; // Julian centuries since J2000.0
    let t2 = t * t;
    let dr = std::f64::consts::PI / 180.0;
    let m = 357.52910 + 35999.05030 * t - 0.0001559 * t2 - 0.00000048 * t * t2; // mean anomaly
    let l0 = 280.46645 + 36000.76983 * t + 0.0003032 * t2; // mean longitude
    let dl = (1.914600 - 0.004817 * t - 0.000014 * t2) * (dr * m).sin()
        + (0.019993 - 0.000101 * t) * (dr * 2.0 * m).sin()
        + 0.000290 * (dr * 3.0 * m).sin();
    let l = (l0 + dl) * dr;
    let tau = 2.0 * std::f64::consts::PI;
    l - tau * (l / tau).floor()
}

fn jdn(d: NaiveDate) -> i32 {
    d.num_days_from_ce() + CE_TO_JDN
}

fn date(jdn: i32) -> NaiveDate {
    NaiveDate::from_num_days_from_ce_opt(jdn - CE_TO_JDN).expect("table dates are valid")
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use proptest::prelude::*;

    fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn lunar(year: i32, month: u8, day: u8, leap: bool) -> LunarDate {
        LunarDate { year, month, day, leap }
    }

    fn leap_month(year: i32) -> Option<u8> {
        (1..=12).find(|&m| from_lunar(year, m, 1, true).is_some())
    }

    /// Tết (mùng 1 tháng Giêng), Vietnam, 2000..=2050.
    ///
    /// Source: python-holidays' Chinese New Year table (Hong Kong Observatory data, `LUNAR_NEW_YEAR_DATES`) with its
    /// Vietnamese UTC+7 corrections (`VIETNAMESE_CALENDAR_LUNAR_NEW_YEAR_DATES`), in
    /// <https://github.com/vacanza/holidays/blob/main/holidays/calendars/chinese.py>.
    /// The corrected years are the 21st-century UTC+7/UTC+8 differences listed by Hồ Ngọc Đức (2007, 2030, 2053),
    /// <https://www.informatik.uni-leipzig.de/~duc/amlich/calrules_en.html>, and recent years match the government's
    /// Tết announcements (2024-02-10, 2025-01-29, 2026-02-17).
    pub(crate) const TET: [(i32, u32, u32); 51] = [
        (2000, 2, 5),
        (2001, 1, 24),
        (2002, 2, 12),
        (2003, 2, 1),
        (2004, 1, 22),
        (2005, 2, 9),
        (2006, 1, 29),
        (2007, 2, 17), // China: 18 Feb (new moon about 23:15 on 17 Feb in UTC+7, 00:15 on 18 Feb in UTC+8)
        (2008, 2, 7),
        (2009, 1, 26),
        (2010, 2, 14),
        (2011, 2, 3),
        (2012, 1, 23),
        (2013, 2, 10),
        (2014, 1, 31),
        (2015, 2, 19),
        (2016, 2, 8),
        (2017, 1, 28),
        (2018, 2, 16),
        (2019, 2, 5),
        (2020, 1, 25),
        (2021, 2, 12),
        (2022, 2, 1),
        (2023, 1, 22),
        (2024, 2, 10),
        (2025, 1, 29),
        (2026, 2, 17),
        (2027, 2, 6),
        (2028, 1, 26),
        (2029, 2, 13),
        (2030, 2, 2), // China: 3 Feb
        (2031, 1, 23),
        (2032, 2, 11),
        (2033, 1, 31),
        (2034, 2, 19),
        (2035, 2, 8),
        (2036, 1, 28),
        (2037, 2, 15),
        (2038, 2, 4),
        (2039, 1, 24),
        (2040, 2, 12),
        (2041, 2, 1),
        (2042, 1, 22),
        (2043, 2, 10),
        (2044, 1, 30),
        (2045, 2, 17),
        (2046, 2, 6),
        (2047, 1, 26),
        (2048, 2, 14),
        (2049, 2, 2),
        (2050, 1, 23),
    ];

    #[test]
    fn tet_2000_to_2050_matches_published_dates() {
        for (y, m, d) in TET {
            assert_eq!(tet(y), ymd(y, m, d), "Tết {y}");
            assert_eq!(to_lunar(ymd(y, m, d)), lunar(y, 1, 1, false), "Tết {y}");
        }
    }

    #[test]
    fn tet_where_utc7_and_utc8_differ() {
        // 1985: a whole month apart (Vietnam 21 Jan, China 20 Feb). The winter solstice of 1984 fell just before
        // midnight of 21 Dec in UTC+7 but after it in UTC+8, where 22 Dec started a new month: China's month 11 began
        // on 22 Dec with a leap month 10 before it, Vietnam's began on 23 Nov with no leap month. 20 Feb 1985 is
        // mùng 1 of month 2 in Vietnam.
        assert_eq!(tet(1985), ymd(1985, 1, 21));
        assert_eq!(to_lunar(ymd(1985, 2, 20)), lunar(1985, 2, 1, false));
        // 2007: one day (17 vs 18 Feb), so 18 Feb 2007 is mùng 2 in Vietnam.
        assert_eq!(tet(2007), ymd(2007, 2, 17));
        assert_eq!(to_lunar(ymd(2007, 2, 18)), lunar(2007, 1, 2, false));
        assert_eq!(tet(2030), ymd(2030, 2, 2));
        assert_eq!(tet(2053), ymd(2053, 2, 18));
        // 1968, the first Tết of the UTC+7 calendar in North Vietnam (29 Jan; the South kept 30 Jan).
        assert_eq!(tet(1968), ymd(1968, 1, 29));
    }

    #[test]
    fn hung_kings_day() {
        // 10/3 lunar. 2022..=2026 as announced for the holidays (see the holidays module tests; 2025:
        // https://en.baochinhphu.vn/three-days-off-in-celebration-for-hung-kings-commemoration-day-111250304153250976.htm);
        // 2007..=2024 also as listed by python-holidays' Vietnam tests:
        // https://github.com/vacanza/holidays/blob/main/tests/countries/test_vietnam.py
        let published = [
            (2007, 4, 26),
            (2008, 4, 15),
            (2009, 4, 4),
            (2010, 4, 23),
            (2011, 4, 12),
            (2012, 3, 31),
            (2013, 4, 19),
            (2014, 4, 9),
            (2015, 4, 28),
            (2016, 4, 16),
            (2017, 4, 6),
            (2018, 4, 25),
            (2019, 4, 14),
            (2020, 4, 2),
            (2021, 4, 21),
            (2022, 4, 10),
            (2023, 4, 29),
            (2024, 4, 18),
            (2025, 4, 7),
            (2026, 4, 26),
        ];
        for (y, m, d) in published {
            assert_eq!(from_lunar(y, 3, 10, false), Some(ymd(y, m, d)), "Giỗ Tổ {y}");
        }
    }

    #[test]
    fn leap_months() {
        // Widely published tháng nhuận: 2012 (4), 2014 (9), 2017 (6), 2020 (4), 2023 (2), 2025 (6); none in 2024, 2026.
        let expected = [
            (2012, Some(4)),
            (2014, Some(9)),
            (2017, Some(6)),
            (2020, Some(4)),
            (2023, Some(2)),
            (2024, None),
            (2025, Some(6)),
            (2026, None),
        ];
        for (y, m) in expected {
            assert_eq!(leap_month(y), m, "leap month of {y}");
        }
        // 23 Mar 2023 is 2/2 nhuận (Hồ Ngọc Đức's example); the leap month follows the ordinary month 2.
        assert_eq!(to_lunar(ymd(2023, 3, 23)), lunar(2023, 2, 2, true));
        assert_eq!(from_lunar(2023, 2, 2, true), Some(ymd(2023, 3, 23)));
        assert!(from_lunar(2023, 2, 2, false).unwrap() < from_lunar(2023, 2, 1, true).unwrap());
        // 2020: leap month 4 starts 23 May 2020; 2025: leap month 6 starts 25 Jul 2025.
        assert_eq!(from_lunar(2020, 4, 1, true), Some(ymd(2020, 5, 23)));
        assert_eq!(from_lunar(2025, 6, 1, true), Some(ymd(2025, 7, 25)));
        assert_eq!(to_lunar(ymd(2025, 7, 24)), lunar(2025, 6, 30, false));
    }

    #[test]
    fn nonexistent_dates_are_none() {
        assert_eq!(from_lunar(2024, 4, 1, true), None); // 2024 has no leap month
        assert_eq!(from_lunar(2023, 3, 1, true), None); // 2023's leap month is 2
        assert_eq!(from_lunar(2024, 0, 1, false), None);
        assert_eq!(from_lunar(2024, 13, 1, false), None);
        assert_eq!(from_lunar(2024, 1, 0, false), None);
        assert_eq!(from_lunar(2024, 1, 31, false), None);
        assert_eq!(from_lunar(MIN_YEAR - 1, 1, 1, false), None);
        assert_eq!(from_lunar(MAX_YEAR + 1, 1, 1, false), None);
        // Chạp of lunar year 2024 has 29 days: Tết 2025 is 29 Jan, the eve 28 Jan is 29 Chạp.
        assert_eq!(from_lunar(2024, 12, 29, false), Some(ymd(2025, 1, 28)));
        assert_eq!(from_lunar(2024, 12, 30, false), None);
    }

    #[test]
    fn new_years_eve_is_29_chap_from_2025_to_2032() {
        // Every giao thừa from 2025 to 2032 falls on 29 Tết, i.e. lunar years 2024..=2031 end on day 29 (Tuổi Trẻ,
        // 25 Jan 2025: https://www.vietnam.vn/de/viet-nam-8-nam-lien-don-giao-thua-vao-29-tet-chuoi-dai-nhat-trong-3-the-ky).
        for y in 2024..=2031 {
            let eve = last_day_of_year(y);
            assert_eq!(eve.succ_opt().unwrap(), tet(y + 1));
            assert_eq!(to_lunar(eve), lunar(y, 12, 29, false), "lunar year {y}");
        }
        assert_eq!(last_day_of_year(2026), ymd(2027, 2, 5));
    }

    #[test]
    fn range_ends() {
        assert_eq!(to_lunar(ymd(MIN_YEAR, 1, 1)).year, MIN_YEAR - 1);
        assert_eq!(to_lunar(ymd(MAX_YEAR, 12, 31)).year, MAX_YEAR);
        assert_eq!(last_day_of_year(MAX_YEAR).succ_opt().unwrap(), date(new_year_day(MAX_YEAR, "test", 1)));
        // Months 11 and 12 of lunar year MIN_YEAR - 1 convert back while in Gregorian MIN_YEAR, not before.
        let jan1 = to_lunar(ymd(MIN_YEAR, 1, 1));
        assert_eq!(from_lunar(jan1.year, jan1.month, jan1.day, jan1.leap), Some(ymd(MIN_YEAR, 1, 1)));
        assert_eq!(from_lunar(MIN_YEAR - 1, 11, 1, false), None);
        assert_eq!(tet(MIN_YEAR), from_lunar(MIN_YEAR, 1, 1, false).unwrap());
    }

    #[test]
    #[should_panic(expected = "outside")]
    fn to_lunar_panics_before_range() {
        to_lunar(ymd(MIN_YEAR - 1, 12, 31));
    }

    #[test]
    #[should_panic(expected = "outside")]
    fn tet_panics_after_range() {
        tet(MAX_YEAR + 1);
    }

    /// Structural checks over the whole table: month lengths, year lengths, one leap month per 13-month year, and the
    /// placement rules (month 11 holds the winter solstice; the leap month is the first one after it without a major
    /// solar term).
    #[test]
    fn table_is_well_formed() {
        let months = &*MONTHS;
        for w in months.windows(2) {
            assert!(matches!(w[1].start - w[0].start, 29 | 30), "{:?}", w);
        }
        for y in MIN_YEAR..=MAX_YEAR {
            let (a, b) = (find_month(y, 1, false).unwrap(), find_month(y + 1, 1, false).unwrap());
            let len = months[b].start - months[a].start;
            let leaps = months[a..b].iter().filter(|m| m.leap).count();
            match b - a {
                12 => assert!((353..=355).contains(&len) && leaps == 0, "{y}: {len} days"),
                13 => assert!((383..=385).contains(&len) && leaps == 1, "{y}: {len} days"),
                n => panic!("{y}: {n} months"),
            }
            let numbers: Vec<u8> = months[a..b].iter().filter(|m| !m.leap).map(|m| m.month).collect();
            assert_eq!(numbers, (1..=12).collect::<Vec<_>>(), "{y}");
        }
        let has_major_term = |i: usize| sun_sector(months[i].start) != sun_sector(months[i + 1].start);
        let elevens: Vec<usize> = (0..months.len()).filter(|&i| months[i].month == 11 && !months[i].leap).collect();
        for w in elevens.windows(2) {
            let (a, b) = (w[0], w[1]);
            // 270° (start of sector 9) is crossed during month 11.
            assert!(sun_sector(months[a].start) < 9 && sun_sector(months[a + 1].start) >= 9, "{:?}", months[a]);
            if let Some(leap) = (a..b).find(|&i| months[i].leap) {
                assert!(!has_major_term(leap), "{:?}", months[leap]);
                assert!((a + 1..leap).all(has_major_term), "{:?}", months[leap]);
            }
        }
    }

    /// Every day of the supported range converts and converts back (the proptest below samples the same property).
    #[test]
    fn every_day_round_trips() {
        let mut d = ymd(MIN_YEAR, 1, 1);
        let mut prev = to_lunar(d);
        while d.year() <= MAX_YEAR {
            let l = to_lunar(d);
            assert!((1..=30).contains(&l.day) && (1..=12).contains(&l.month), "{d}: {l:?}");
            assert_eq!(from_lunar(l.year, l.month, l.day, l.leap), Some(d), "{d}: {l:?}");
            // Consecutive days: next day of the month, or day 1 of the next month.
            if d.year() > MIN_YEAR || d.ordinal() > 1 {
                assert!(l.day == prev.day + 1 || (l.day == 1 && matches!(prev.day, 29 | 30)), "{d}: {prev:?} -> {l:?}");
            }
            prev = l;
            d = d.succ_opt().unwrap();
        }
    }

    proptest! {
        #[test]
        fn round_trip(days in 0i64..=73_395) {
            // 1900-01-31 (Tết 1900) ..= 2100-12-31
            let d = ymd(1900, 1, 31) + chrono::Duration::days(days);
            let l = to_lunar(d);
            prop_assert!((1..=30).contains(&l.day));
            prop_assert!((1..=12).contains(&l.month));
            prop_assert_eq!(from_lunar(l.year, l.month, l.day, l.leap), Some(d));
        }

        #[test]
        fn tet_is_first_day_of_year(y in 1900i32..=2100) {
            prop_assert_eq!(to_lunar(tet(y)), lunar(y, 1, 1, false));
            let eve = to_lunar(last_day_of_year(y));
            prop_assert_eq!((eve.year, eve.month), (y, 12));
            prop_assert!(matches!(eve.day, 29 | 30));
            prop_assert_eq!(last_day_of_year(y).succ_opt().unwrap(), tet(y + 1));
        }
    }
}
