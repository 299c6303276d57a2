//! Vietnam's public holidays with full pay, as set by statute (Bộ luật Lao động 2019, Điều 112; compensatory days
//! by Điều 111(3)), for any year.
//!
//! The statute (Art. 112(3)) leaves two choices to the Prime Minister each year: which 5 days make up the Tết
//! holiday, and whether the second National Day holiday is 1 or 3 September. This module computes fixed defaults for
//! both (see [`Kind::Tet`] and [`Kind::SolarPlusAdjacent`]). The government's yearly announcements may differ from
//! them (e.g. Tết 2021, 2023 and 2024 started on 29 Chạp) and usually add working-day swaps (hoán đổi ngày làm việc);
//! those are decisions, not statute: the calendar layers each year's announced arrangement on top
//! (`domain::calendar::Arrangement`), and [`fixed_days`] are the dates no arrangement may take away.
//!
//! The Labour Code 2019 rules (in force since 1 January 2021) are applied to every year; earlier years get what the
//! current statute would give (e.g. one National Day holiday only until 2020 in reality), unless a rule is limited
//! with [`Rule::since`].

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate, Weekday};

use crate::domain::lunar;
use crate::i18n::Text;

/// How a holiday's dates are found for a given year.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A fixed Gregorian date (skipped in years where it does not exist, i.e. 29 February).
    Solar { month: u32, day: u32 },
    /// A fixed date of an ordinary (non-leap) lunar month, in the lunar year that starts in the given Gregorian year.
    /// A day 30 in a 29-day month falls on day 29.
    Lunar { month: u8, day: u8 },
    /// Tết: the last `days_before` days of the old lunar year and the first `days_from` days of the new one (the
    /// one starting in the given Gregorian year). The statute only fixes the total (5); the Prime Minister picks the
    /// split each year, and the default here is the last day of the year plus mùng 1–4.
    Tet { days_before: u8, days_from: u8 },
    /// A fixed Gregorian date plus one adjacent day (Quốc khánh: 2 September and 1 or 3 September). Default choice,
    /// which reproduces every announcement since the second day was introduced (2021–2026): take the neighbour that
    /// is a working day; if both are, the one that joins the holiday to a weekly day off (a long weekend); if that
    /// still ties (2 September on a Wednesday with Saturday/Sunday off), or neither is a working day, the day before,
    /// as chosen for 2026.
    SolarPlusAdjacent { month: u32, day: u32 },
}

/// One statutory holiday: how to find it, its names, and optionally the first year it applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rule {
    pub kind: Kind,
    pub name_vi: &'static str,
    pub name_en: &'static str,
    /// First Gregorian year the rule applies to (`None`: every year), so adding a holiday does not rewrite the past.
    pub since: Option<i32>,
}

impl Rule {
    pub const fn solar(month: u32, day: u32, name_vi: &'static str, name_en: &'static str) -> Rule {
        Rule { kind: Kind::Solar { month, day }, name_vi, name_en, since: None }
    }

    pub const fn lunar(month: u8, day: u8, name_vi: &'static str, name_en: &'static str) -> Rule {
        Rule { kind: Kind::Lunar { month, day }, name_vi, name_en, since: None }
    }

    pub const fn tet(days_before: u8, days_from: u8, name_vi: &'static str, name_en: &'static str) -> Rule {
        Rule { kind: Kind::Tet { days_before, days_from }, name_vi, name_en, since: None }
    }

    pub const fn solar_plus_adjacent(month: u32, day: u32, name_vi: &'static str, name_en: &'static str) -> Rule {
        Rule { kind: Kind::SolarPlusAdjacent { month, day }, name_vi, name_en, since: None }
    }

    /// Limits the rule to Gregorian years `year` and later.
    pub const fn since(self, year: i32) -> Rule {
        Rule { since: Some(year), ..self }
    }
}

/// Labour Code 2019, Art. 112(1): one line per holiday. A new holiday is one more line, e.g.
/// `Rule::solar(11, 24, "Ngày Văn hóa Việt Nam", "Vietnamese Culture Day").since(2026),`
pub const STATUTE: &[Rule] = &[
    Rule::solar(1, 1, "Tết Dương lịch", "New Year's Day"),
    Rule::tet(1, 4, "Tết Âm lịch", "Lunar New Year (Tết)"),
    Rule::lunar(3, 10, "Giỗ Tổ Hùng Vương", "Hùng Kings' Commemoration Day"),
    Rule::solar(4, 30, "Ngày Chiến thắng", "Victory Day"),
    Rule::solar(5, 1, "Ngày Quốc tế lao động", "International Labour Day"),
    Rule::solar_plus_adjacent(9, 2, "Quốc khánh", "National Day"),
];

/// First Gregorian year [`statutory_days`] accepts (it needs the lunar calendar of the year before).
pub const MIN_YEAR: i32 = lunar::MIN_YEAR + 1;
/// Last Gregorian year [`statutory_days`] accepts (it needs the lunar calendar of the year after).
pub const MAX_YEAR: i32 = lunar::MAX_YEAR - 1;

/// A day off with full pay.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatutoryDay {
    pub date: NaiveDate,
    /// A day off in lieu (nghỉ bù) of a holiday that fell on a weekly day off.
    pub compensatory: bool,
    pub name: Text,
}

/// The statutory days off in Gregorian `year`: the holidays of [`STATUTE`] and their compensatory days.
///
/// `weekly_off` tells the weekly days off (Saturday and Sunday for civil servants; Art. 111(2) lets an employer pick
/// another fixed day). Art. 111(3): when a weekly day off coincides with a holiday, the worker gets a compensatory
/// day off on the next working day, here the next day that is not a weekly day off, not a holiday and not already a
/// compensatory day; holidays are compensated in date order. Two rules on the same date make one day off
/// (the statute grants no extra day for that); its name joins both names. The result is sorted by date with no
/// duplicates and holds every day dated in `year`, including compensatory days for holidays of the previous year.
///
/// # Panics
/// If `year` is outside [`MIN_YEAR`]`..=`[`MAX_YEAR`].
pub fn statutory_days(year: i32, weekly_off: &dyn Fn(Weekday) -> bool) -> Vec<StatutoryDay> {
    statutory_days_for(STATUTE, year, weekly_off)
}

/// [`statutory_days`] for another list of rules (for example [`STATUTE`] plus a holiday not yet in it).
///
/// # Panics
/// If `year` is outside [`MIN_YEAR`]`..=`[`MAX_YEAR`].
pub fn statutory_days_for(rules: &[Rule], year: i32, weekly_off: &dyn Fn(Weekday) -> bool) -> Vec<StatutoryDay> {
    assert!((MIN_YEAR..=MAX_YEAR).contains(&year), "holidays: year {year} outside {MIN_YEAR}..={MAX_YEAR}");
    // Neighbouring years too: a holiday late in `year - 1` can push a compensatory day into `year`, and holidays early
    // in `year + 1` block days a compensatory day could otherwise take.
    let mut holidays: BTreeMap<NaiveDate, Names> = BTreeMap::new();
    for rule in rules {
        for y in year - 1..=year + 1 {
            if rule.since.is_some_and(|since| y < since) {
                continue;
            }
            for date in rule_dates(rule.kind, y, weekly_off) {
                holidays.entry(date).or_default().push(rule);
            }
        }
    }

    let mut compensatory: BTreeMap<NaiveDate, &Names> = BTreeMap::new();
    // With every weekday off there is no working day to move a holiday to.
    let has_working_day = std::iter::successors(Some(Weekday::Mon), |w| Some(w.succ())).take(7).any(|w| !weekly_off(w));
    if has_working_day {
        for (&date, names) in holidays.iter().filter(|(d, _)| weekly_off(d.weekday())) {
            let mut day = date.succ_opt().expect("date in range");
            while weekly_off(day.weekday()) || holidays.contains_key(&day) || compensatory.contains_key(&day) {
                day = day.succ_opt().expect("date in range");
            }
            compensatory.insert(day, names);
        }
    }

    let holiday_days = holidays.iter().map(|(&date, names)| StatutoryDay {
        date,
        compensatory: false,
        name: Text::new(names.vi(), names.en()),
    });
    let compensatory_days = compensatory.iter().map(|(&date, names)| StatutoryDay {
        date,
        compensatory: true,
        name: Text::new(format!("Nghỉ bù {}", names.vi()), format!("Day off in lieu of {}", names.en())),
    });
    let mut days: Vec<StatutoryDay> = holiday_days.chain(compensatory_days).filter(|d| d.date.year() == year).collect();
    days.sort_by_key(|d| d.date);
    days
}

/// The statutory holidays of Gregorian `year` that no yearly decision moves: each rule's fixed date (for Tết, mùng 1
/// of the lunar year starting in `year`; for Quốc khánh, 2 September, not the adjacent day the Prime Minister
/// picks). An announced arrangement must give each of them off; the other days are the Prime Minister's choice.
///
/// # Panics
/// If `year` is outside [`MIN_YEAR`]`..=`[`MAX_YEAR`].
pub fn fixed_days(year: i32) -> Vec<(NaiveDate, Text)> {
    assert!((MIN_YEAR..=MAX_YEAR).contains(&year), "holidays: year {year} outside {MIN_YEAR}..={MAX_YEAR}");
    let mut days: Vec<(NaiveDate, Text)> = STATUTE
        .iter()
        .filter(|r| r.since.is_none_or(|since| year >= since))
        .filter_map(|r| {
            let date = match r.kind {
                Kind::Solar { month, day } | Kind::SolarPlusAdjacent { month, day } => {
                    NaiveDate::from_ymd_opt(year, month, day)
                }
                Kind::Lunar { .. } => rule_dates(r.kind, year, &|_| false).first().copied(),
                Kind::Tet { .. } => Some(lunar::tet(year)),
            };
            date.map(|d| (d, Text::new(r.name_vi, r.name_en)))
        })
        .collect();
    days.sort_by_key(|(d, _)| *d);
    days
}

/// The (Vietnamese, English) names of the rules falling on one date.
#[derive(Default)]
struct Names(Vec<(&'static str, &'static str)>);

impl Names {
    fn push(&mut self, rule: &Rule) {
        self.0.push((rule.name_vi, rule.name_en));
    }

    fn vi(&self) -> String {
        self.0.iter().map(|n| n.0).collect::<Vec<_>>().join(", ")
    }

    fn en(&self) -> String {
        self.0.iter().map(|n| n.1).collect::<Vec<_>>().join(", ")
    }
}

/// The dates of one rule for Gregorian year `year` (for lunar rules: the lunar year starting in `year`).
fn rule_dates(kind: Kind, year: i32, weekly_off: &dyn Fn(Weekday) -> bool) -> Vec<NaiveDate> {
    match kind {
        Kind::Solar { month, day } => NaiveDate::from_ymd_opt(year, month, day).into_iter().collect(),
        Kind::Lunar { month, day } => lunar::from_lunar(year, month, day, false)
            .or_else(|| lunar::from_lunar(year, month, 29, false))
            .into_iter()
            .collect(),
        Kind::Tet { days_before, days_from } => {
            let first = lunar::tet(year) - chrono::Days::new(days_before.into());
            first.iter_days().take(usize::from(days_before) + usize::from(days_from)).collect()
        }
        Kind::SolarPlusAdjacent { month, day } => match NaiveDate::from_ymd_opt(year, month, day) {
            Some(date) => {
                let mut dates = vec![date, adjacent_day(date, weekly_off)];
                dates.sort();
                dates
            }
            None => Vec::new(),
        },
    }
}

/// The day before or after `date` that joins it as a holiday; see [`Kind::SolarPlusAdjacent`].
fn adjacent_day(date: NaiveDate, weekly_off: &dyn Fn(Weekday) -> bool) -> NaiveDate {
    let off = |d: NaiveDate| weekly_off(d.weekday());
    let (before, after) = (date.pred_opt().expect("in range"), date.succ_opt().expect("in range"));
    let take_after = match (off(before), off(after)) {
        (true, false) => true,
        // Both working days: the side that touches a weekly day off; before on a tie.
        (false, false) => off(after.succ_opt().expect("in range")) && !off(before.pred_opt().expect("in range")),
        _ => false,
    };
    if take_after { after } else { before }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn sat_sun(w: Weekday) -> bool {
        matches!(w, Weekday::Sat | Weekday::Sun)
    }

    /// (date, compensatory) pairs, for compact expectations.
    fn days(year: i32, weekly_off: &dyn Fn(Weekday) -> bool) -> Vec<(NaiveDate, bool)> {
        statutory_days(year, weekly_off).iter().map(|d| (d.date, d.compensatory)).collect()
    }

    fn in_month(year: i32, month: u32) -> Vec<(NaiveDate, bool)> {
        days(year, &sat_sun).into_iter().filter(|(d, _)| d.month() == month).collect()
    }

    /// 2026, statute only, against what the government announced for civil servants (Saturday/Sunday off):
    /// - New Year: 1–4 Jan, Fri 2 Jan swapped with Sat 10 Jan (Official Dispatch 12729/VPCP-KGVX, 25 Dec 2025;
    ///   https://vietnamnews.vn/society/1732658/government-approves-four-day-new-year-holiday.html).
    /// - Tết: 14–22 Feb, the 5 statutory days being 16 Feb (29 Chạp) to 20 Feb (mùng 4), no swap (Notice
    ///   9441/TB-BNV, 16 Oct 2025;
    ///   https://vietnamnews.vn/politics-laws/1727514/ministry-of-home-affairs-announces-2026-holiday-schedule-for-lunar-new-year-national-day.html
    ///   https://www.vietnam.vn/en/cong-chuc-vien-chuc-nguoi-lao-dong-hai-phong-duoc-nghi-tet-binh-ngo-lien-tuc-9-ngay).
    /// - Giỗ Tổ on Sun 26 Apr, nghỉ bù Mon 27 Apr; 30 Apr and 1 May on Thu/Fri:
    ///   https://thanhnien.vn/gio-to-hung-vuong-304-15-quoc-khanh-29-nam-2026-duoc-nghi-may-ngay-185260223083506397.htm
    /// - Quốc khánh: 1 and 2 Sep statutory, Mon 31 Aug swapped with Sat 22 Aug (same Notice 9441/TB-BNV).
    ///
    /// Differences: only the two swapped days, 2 Jan and 31 Aug, which are not statutory (they are worked back on
    /// 10 Jan and 22 Aug).
    #[test]
    fn year_2026_is_a_subset_of_the_announcement() {
        let statute = days(2026, &sat_sun);
        let expected_statute = vec![
            (ymd(2026, 1, 1), false),
            (ymd(2026, 2, 16), false),
            (ymd(2026, 2, 17), false),
            (ymd(2026, 2, 18), false),
            (ymd(2026, 2, 19), false),
            (ymd(2026, 2, 20), false),
            (ymd(2026, 4, 26), false),
            (ymd(2026, 4, 27), true),
            (ymd(2026, 4, 30), false),
            (ymd(2026, 5, 1), false),
            (ymd(2026, 9, 1), false),
            (ymd(2026, 9, 2), false),
        ];
        assert_eq!(statute, expected_statute);

        // Announced days off that are not weekends.
        let announced = [
            ymd(2026, 1, 1),
            ymd(2026, 1, 2),
            ymd(2026, 2, 16),
            ymd(2026, 2, 17),
            ymd(2026, 2, 18),
            ymd(2026, 2, 19),
            ymd(2026, 2, 20),
            ymd(2026, 4, 27),
            ymd(2026, 4, 30),
            ymd(2026, 5, 1),
            ymd(2026, 8, 31),
            ymd(2026, 9, 1),
            ymd(2026, 9, 2),
        ];
        let statute_workdays: Vec<NaiveDate> =
            statute.iter().map(|&(d, _)| d).filter(|d| !sat_sun(d.weekday())).collect();
        assert!(statute_workdays.iter().all(|d| announced.contains(d)));
        let extra: Vec<NaiveDate> = announced.into_iter().filter(|d| !statute_workdays.contains(d)).collect();
        assert_eq!(extra, [ymd(2026, 1, 2), ymd(2026, 8, 31)]);

        let names: Vec<(String, String)> = statutory_days(2026, &sat_sun)
            .into_iter()
            .filter(|d| d.compensatory)
            .map(|d| (d.name.vi, d.name.en))
            .collect();
        assert_eq!(
            names,
            [("Nghỉ bù Giỗ Tổ Hùng Vương".into(), "Day off in lieu of Hùng Kings' Commemoration Day".into())]
        );
    }

    /// The statute's Tết holiday of every year 2000–2050 holds the published Vietnamese Tết (mùng 1,
    /// the table of the lunar tests) and the day before it, and lasts five days.
    #[test]
    fn tet_holidays_2000_to_2050_hold_the_published_new_year() {
        for (y, m, d) in lunar::tests::TET {
            let tet = ymd(y, m, d);
            let block: Vec<NaiveDate> = statutory_days(y, &sat_sun)
                .into_iter()
                .filter(|d| !d.compensatory && d.name.vi == "Tết Âm lịch")
                .map(|d| d.date)
                .collect();
            assert_eq!(block, tet.pred_opt().unwrap().iter_days().take(5).collect::<Vec<_>>(), "Tết {y}");
        }
    }

    /// Tết 2027 (Đinh Mùi) starts Sat 6 Feb 2027; 29 Chạp is Fri 5 Feb. Statute only: Fri 5 to Tue 9 Feb, and the
    /// two weekend days of the block give Wed 10 and Thu 11 Feb. The 2027 arrangement had not been announced when
    /// this was written; the PM usually shifts the block or adds swaps.
    #[test]
    fn tet_2027_from_the_statute() {
        assert_eq!(lunar::tet(2027), ymd(2027, 2, 6));
        assert_eq!(
            in_month(2027, 2),
            vec![
                (ymd(2027, 2, 5), false),
                (ymd(2027, 2, 6), false),
                (ymd(2027, 2, 7), false),
                (ymd(2027, 2, 8), false),
                (ymd(2027, 2, 9), false),
                (ymd(2027, 2, 10), true),
                (ymd(2027, 2, 11), true),
            ]
        );
    }

    /// 2 Sep 2023 was a Saturday: 1 Sep is the adjacent day and Mon 4 Sep the compensatory day, as announced:
    /// https://hanoitimes.vn/vietnamese-workers-to-have-four-days-off-on-the-occasion-of-national-day-2023.590171.html
    #[test]
    fn national_day_2023_on_saturday() {
        assert_eq!(
            in_month(2023, 9),
            vec![(ymd(2023, 9, 1), false), (ymd(2023, 9, 2), false), (ymd(2023, 9, 4), true)]
        );
    }

    /// The adjacent day chosen by the government in every year since the Labour Code 2019 gave a second day:
    /// - 2021 Sep 2–3: https://sggpnews.org.vn/culture_art/vietnams-public-holidays-in-2021-89687.html
    /// - 2022 Sep 1–2: https://en.vietnamplus.vn/workers-to-have-four-national-day-days-off/234924.vnp
    /// - 2023 Sep 1–2: above
    /// - 2024 Sep 2–3: https://news.baokhanhhoa.vn/society/202408/2-days-off-for-the-national-day-4213607
    /// - 2025 Sep 1–2: https://vietnamnews.vn/society/1722634/national-day-holiday-to-last-four-days.html
    /// - 2026 Sep 1–2: Notice 9441/TB-BNV, above
    ///
    /// (2018–2020 had a single National Day holiday under the Labour Code 2012, so no choice to compare.)
    #[test]
    fn national_day_adjacent_day_matches_announcements() {
        for (year, adjacent) in [(2021, 3), (2022, 1), (2023, 1), (2024, 3), (2025, 1), (2026, 1)] {
            let national: Vec<NaiveDate> = statutory_days(year, &sat_sun)
                .into_iter()
                .filter(|d| !d.compensatory && d.name.vi == "Quốc khánh")
                .map(|d| d.date)
                .collect();
            let mut expected = vec![ymd(year, 9, 2), ymd(year, 9, adjacent)];
            expected.sort();
            assert_eq!(national, expected, "{year}");
        }
        // With only Sunday off, 2 Sep 2024 (Monday) still takes Tuesday 3 Sep: 1 Sep is a Sunday.
        let sunday = |w: Weekday| w == Weekday::Sun;
        let sep_2024: Vec<_> = days(2024, &sunday).into_iter().filter(|(d, _)| d.month() == 9).collect();
        assert_eq!(sep_2024, vec![(ymd(2024, 9, 2), false), (ymd(2024, 9, 3), false)]);
    }

    /// Two or three holidays on one weekend: compensatory days cascade in date order and skip each other.
    #[test]
    fn compensation_cascades() {
        // 2022: 30 Apr Sat and 1 May Sun -> Mon 2 and Tue 3 May; Giỗ Tổ Sun 10 Apr -> Mon 11 Apr
        // (https://en.sggp.org.vn/calendar-of-public-holidays-in-april-may-post94148.html).
        let spring_2022: Vec<_> =
            days(2022, &sat_sun).into_iter().filter(|(d, _)| matches!(d.month(), 4 | 5)).collect();
        assert_eq!(
            spring_2022,
            vec![
                (ymd(2022, 4, 10), false),
                (ymd(2022, 4, 11), true),
                (ymd(2022, 4, 30), false),
                (ymd(2022, 5, 1), false),
                (ymd(2022, 5, 2), true),
                (ymd(2022, 5, 3), true),
            ]
        );
        // 2023: Giỗ Tổ Sat 29 Apr, 30 Apr Sun, 1 May Mon (itself a holiday, so skipped) -> Tue 2 and Wed 3 May
        // (https://en.vietnamplus.vn/workers-to-enjoy-fiveday-reunification-day-holiday/247586.vnp).
        let spring_2023: Vec<_> =
            days(2023, &sat_sun).into_iter().filter(|(d, _)| matches!(d.month(), 4 | 5)).collect();
        assert_eq!(
            spring_2023,
            vec![
                (ymd(2023, 4, 29), false),
                (ymd(2023, 4, 30), false),
                (ymd(2023, 5, 1), false),
                (ymd(2023, 5, 2), true),
                (ymd(2023, 5, 3), true),
            ]
        );
        let names: Vec<String> =
            statutory_days(2023, &sat_sun).into_iter().filter(|d| d.date.month() == 5).map(|d| d.name.vi).collect();
        assert_eq!(names, ["Ngày Quốc tế lao động", "Nghỉ bù Giỗ Tổ Hùng Vương", "Nghỉ bù Ngày Chiến thắng"]);
    }

    /// A new holiday is one line; `since` keeps earlier years unchanged. 24 Nov 2024 was a Sunday.
    #[test]
    fn adding_a_holiday_is_one_line() {
        let culture_day = Rule::solar(11, 24, "Ngày Văn hóa Việt Nam", "Vietnamese Culture Day");
        let rules: Vec<Rule> = STATUTE.iter().copied().chain([culture_day]).collect();
        let nov: Vec<_> = statutory_days_for(&rules, 2024, &sat_sun)
            .into_iter()
            .filter(|d| d.date.month() == 11)
            .map(|d| (d.date, d.compensatory, d.name.vi))
            .collect();
        assert_eq!(
            nov,
            vec![
                (ymd(2024, 11, 24), false, "Ngày Văn hóa Việt Nam".into()),
                (ymd(2024, 11, 25), true, "Nghỉ bù Ngày Văn hóa Việt Nam".into()),
            ]
        );
        let rules: Vec<Rule> = STATUTE.iter().copied().chain([culture_day.since(2026)]).collect();
        assert_eq!(statutory_days_for(&rules, 2025, &sat_sun), statutory_days(2025, &sat_sun));
        assert!(statutory_days_for(&rules, 2026, &sat_sun).iter().any(|d| d.date == ymd(2026, 11, 24)));
    }

    /// Year boundary: a compensatory day of a December holiday that spills into January belongs to the next year,
    /// and the two holidays of one weekend still compensate in order. 31 Dec 2022 was a Saturday, 1 Jan 2023 a
    /// Sunday.
    #[test]
    fn compensation_crosses_the_year_boundary() {
        let rules: Vec<Rule> = STATUTE.iter().copied().chain([Rule::solar(12, 31, "Thử", "Test")]).collect();
        let dec_2022: Vec<_> =
            statutory_days_for(&rules, 2022, &sat_sun).into_iter().filter(|d| d.date.month() == 12).collect();
        assert_eq!(dec_2022.len(), 1);
        let jan_2023: Vec<_> = statutory_days_for(&rules, 2023, &sat_sun)
            .into_iter()
            .filter(|d| d.date.month() == 1 && d.date.day() <= 3)
            .map(|d| (d.date, d.name.vi))
            .collect();
        assert_eq!(
            jan_2023,
            vec![
                (ymd(2023, 1, 1), "Tết Dương lịch".into()),
                (ymd(2023, 1, 2), "Nghỉ bù Thử".into()),
                (ymd(2023, 1, 3), "Nghỉ bù Tết Dương lịch".into()),
            ]
        );
    }

    #[test]
    fn fixed_days_are_the_dates_no_decision_moves() {
        let got: Vec<(NaiveDate, String)> = fixed_days(2027).into_iter().map(|(d, n)| (d, n.vi)).collect();
        assert_eq!(
            got,
            vec![
                (ymd(2027, 1, 1), "Tết Dương lịch".into()),
                (ymd(2027, 2, 6), "Tết Âm lịch".into()),
                (ymd(2027, 4, 16), "Giỗ Tổ Hùng Vương".into()),
                (ymd(2027, 4, 30), "Ngày Chiến thắng".into()),
                (ymd(2027, 5, 1), "Ngày Quốc tế lao động".into()),
                (ymd(2027, 9, 2), "Quốc khánh".into()),
            ]
        );
        // Each is a statutory day of its year.
        for year in 2000..=2050 {
            let all = statutory_days(year, &sat_sun);
            for (d, n) in fixed_days(year) {
                assert!(all.iter().any(|s| s.date == d && !s.compensatory), "{year}: {d} {}", n.en);
            }
        }
    }

    #[test]
    fn coinciding_rules_make_one_day() {
        let rules = [Rule::solar(5, 1, "A", "A"), Rule::solar(5, 1, "B", "B")];
        let got = statutory_days_for(&rules, 2027, &sat_sun); // Saturday
        let got: Vec<_> = got.into_iter().map(|d| (d.date, d.compensatory, d.name.vi)).collect();
        assert_eq!(got, vec![(ymd(2027, 5, 1), false, "A, B".into()), (ymd(2027, 5, 3), true, "Nghỉ bù A, B".into())]);
    }

    #[test]
    fn every_day_off_means_no_compensation() {
        assert!(statutory_days(2026, &|_| true).iter().all(|d| !d.compensatory));
        assert_eq!(statutory_days(2026, &|_| true).len(), 11);
    }

    #[test]
    #[should_panic(expected = "outside")]
    fn year_outside_the_lunar_range_panics() {
        statutory_days(lunar::MIN_YEAR, &sat_sun);
    }

    fn weekly_off_from_mask(mask: u8) -> impl Fn(Weekday) -> bool {
        move |w: Weekday| mask & (1 << w.num_days_from_monday()) != 0
    }

    /// Checks the invariants of one year's result.
    fn check_year(year: i32, mask: u8) -> Result<(), TestCaseError> {
        let off = weekly_off_from_mask(mask);
        let all = statutory_days(year, &off);
        prop_assert!(all.windows(2).all(|w| w[0].date < w[1].date), "sorted, no duplicate dates");
        prop_assert!(all.iter().all(|d| d.date.year() == year));

        // The Tết block: exactly 5 holiday days, consecutive, from the last day of the old lunar year.
        let tet: Vec<NaiveDate> =
            all.iter().filter(|d| !d.compensatory && d.name.vi == "Tết Âm lịch").map(|d| d.date).collect();
        let first = lunar::last_day_of_year(year - 1);
        prop_assert_eq!(tet, first.iter_days().take(5).collect::<Vec<_>>());

        // 11 statutory holiday days a year (none of the statute's dates coincide in 2000..=2050).
        prop_assert_eq!(all.iter().filter(|d| !d.compensatory).count(), 11);

        // Each holiday on a weekly day off has exactly one compensatory day, on a working day after it that is not a
        // holiday: match them per holiday name, in order.
        let names: std::collections::BTreeSet<&str> =
            all.iter().filter(|d| !d.compensatory).map(|d| d.name.vi.as_str()).collect();
        for name in names {
            let on_day_off: Vec<NaiveDate> = all
                .iter()
                .filter(|d| !d.compensatory && d.name.vi == name && off(d.date.weekday()))
                .map(|d| d.date)
                .collect();
            let in_lieu = format!("Nghỉ bù {name}");
            let comp: Vec<NaiveDate> = all.iter().filter(|d| d.name.vi == in_lieu).map(|d| d.date).collect();
            prop_assert_eq!(on_day_off.len(), comp.len(), "{} {}", year, name);
            for (h, c) in on_day_off.iter().zip(&comp) {
                prop_assert!(c > h && !off(c.weekday()), "{} {}: {} -> {}", year, name, h, c);
            }
        }
        Ok(())
    }

    #[test]
    fn invariants_2000_to_2050_saturday_sunday() {
        for year in 2000..=2050 {
            check_year(year, 0b110_0000).unwrap();
        }
    }

    proptest! {
        /// Any weekly-off pattern that leaves at least one working day.
        #[test]
        fn invariants_2000_to_2050(year in 2000i32..=2050, mask in 0u8..0b111_1111) {
            check_year(year, mask)?;
        }
    }
}
