//! What one rating adds to the report figures. Reports never read raw ratings for their figures:
//! they sum [`Tally`]s kept per (local day, desk, officer, unit) in the same transaction as the
//! rating, and as every later change that moves a figure (docs/architecture.md, "Rollups").
//!
//! A tally is a fixed vector of counters, so a change is a difference of two tallies and a period
//! is a sum of days. Which answers the counters hold comes from the survey ([`Shape`]).

use std::collections::BTreeMap;

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use serde_json::Value;

use crate::domain::survey::{Kind, Scale, Survey};

/// Yes/no questions the reports count (in survey order).
pub const MAX_YES_NO: usize = 4;
/// Options of the behaviour question ("4 xin, 4 luôn") the reports count.
pub const MAX_TICKS: usize = 8;

/// The counters, in storage order; the rollup tables have one column per name.
pub const COLUMNS: [&str; WIDTH] = [
    "ratings",
    "satisfied",
    "dissatisfied",
    "with_case",
    "dissatisfied_with_case",
    "l1",
    "l2",
    "l3",
    "l4",
    "l5",
    "i1_0",
    "i1_1",
    "i1_2",
    "i3_0",
    "i3_1",
    "i3_2",
    "i4_0",
    "i4_1",
    "i4_2",
    "i7_0",
    "i7_1",
    "i7_2",
    "outside_hours",
    "yes1",
    "yes2",
    "yes3",
    "yes4",
    "answered1",
    "answered2",
    "answered3",
    "answered4",
    "tick1",
    "tick2",
    "tick3",
    "tick4",
    "tick5",
    "tick6",
    "tick7",
    "tick8",
];

/// How many counters a tally has.
pub const WIDTH: usize = 39;

/// Index of a Circular 01 index in [`Tally::index`].
pub const IDX1: usize = 0;
pub const IDX3: usize = 1;
pub const IDX4: usize = 2;
pub const IDX7: usize = 3;

/// Counts of ratings. Signed: a change is applied as a difference.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Tally {
    pub ratings: i64,
    /// At the top two levels of the rating's scale.
    pub satisfied: i64,
    /// At a dissatisfied level (Chưa hài lòng; on five levels, the bottom two).
    pub dissatisfied: i64,
    /// Ratings that opened a case, whatever became of it.
    pub with_case: i64,
    pub dissatisfied_with_case: i64,
    /// `levels[l - 1]`: ratings at level l.
    pub levels: [i64; 5],
    /// Circular 01 indices 1, 3, 4, 7 ([`IDX1`]…): `index[i][p]` files that earned p points.
    pub index: [[i64; 3]; 4],
    /// Given outside the desk's opening hours.
    pub outside_hours: i64,
    /// Per yes/no question of the survey ([`Shape::yes_no`]): "yes" answers and answers.
    pub yes: [i64; MAX_YES_NO],
    pub answered: [i64; MAX_YES_NO],
    /// Per option of the behaviour question ([`Shape::ticks`]): ratings ticking it.
    pub ticks: [i64; MAX_TICKS],
}

/// Which answers a tally counts, from the survey.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Shape {
    /// The yes/no questions, in survey order (at most [`MAX_YES_NO`]).
    pub yes_no: Vec<String>,
    /// The behaviour question (the survey's first multi-choice one) and its options.
    pub ticks: Option<(String, Vec<String>)>,
}

impl Shape {
    pub fn of(survey: &Survey) -> Shape {
        let yes_no = survey.questions.iter().filter(|q| q.kind == Kind::Yesno).map(|q| q.id.clone()).take(MAX_YES_NO);
        let ticks = survey
            .questions
            .iter()
            .find(|q| q.kind == Kind::Multi)
            .map(|q| (q.id.clone(), q.options.iter().map(|o| o.value.clone()).take(MAX_TICKS).collect::<Vec<_>>()));
        Shape { yes_no: yes_no.collect(), ticks }
    }
}

/// One rating as the reports see it.
#[derive(Debug, Clone, PartialEq)]
pub struct RatingFacts<'a> {
    pub scale: Scale,
    pub overall: i32,
    pub idx1: Option<i32>,
    pub idx3: Option<i32>,
    pub idx4: Option<i32>,
    /// The rating's index 7 as it stands (0 from a report later found untrue is recomputed).
    pub idx7: Option<i32>,
    pub outside_hours: bool,
    pub has_case: bool,
    pub answers: &'a BTreeMap<String, Value>,
}

impl Tally {
    /// What one rating counts for.
    pub fn of(r: &RatingFacts, shape: &Shape) -> Tally {
        let mut t = Tally { ratings: 1, ..Tally::default() };
        let dissatisfied = r.scale.is_dissatisfied(r.overall);
        t.satisfied = i64::from(r.scale.is_satisfied(r.overall));
        t.dissatisfied = i64::from(dissatisfied);
        t.with_case = i64::from(r.has_case);
        t.dissatisfied_with_case = i64::from(dissatisfied && r.has_case);
        if (1..=5).contains(&r.overall) {
            t.levels[(r.overall - 1) as usize] = 1;
        }
        for (i, p) in [r.idx1, r.idx3, r.idx4, r.idx7].into_iter().enumerate() {
            if let Some(p @ 0..=2) = p {
                t.index[i][p as usize] = 1;
            }
        }
        t.outside_hours = i64::from(r.outside_hours);
        for (i, q) in shape.yes_no.iter().enumerate() {
            if let Some(a) = r.answers.get(q).and_then(Value::as_str) {
                t.answered[i] = 1;
                t.yes[i] = i64::from(a == "yes");
            }
        }
        if let Some((q, options)) = &shape.ticks
            && let Some(chosen) = r.answers.get(q).and_then(Value::as_array)
        {
            for (i, o) in options.iter().enumerate() {
                t.ticks[i] = i64::from(chosen.iter().any(|c| c.as_str() == Some(o)));
            }
        }
        t
    }

    /// Ratings at the top level of their own scale (3 on three levels, 5 on five), which the
    /// tally keeps no counter for: satisfied ratings are levels 2–3 or 4–5 and dissatisfied ones
    /// level 1 or 1–2, so the three-level ratings at 1 and 2 are `l1 + l2 − dissatisfied` and those
    /// at 3 are `satisfied − l4 − l5` minus those at 2; add the fives (all `l5`).
    pub fn top(&self) -> i64 {
        let [l1, l2, _, l4, _] = self.levels;
        self.satisfied + self.dissatisfied - l1 - l2 - l4
    }

    /// The counters in [`COLUMNS`] order.
    pub fn values(&self) -> [i64; WIDTH] {
        let mut v = [0i64; WIDTH];
        let mut k = 0;
        let mut push = |x: i64| {
            v[k] = x;
            k += 1;
        };
        for x in [self.ratings, self.satisfied, self.dissatisfied, self.with_case, self.dissatisfied_with_case] {
            push(x);
        }
        self.levels.iter().for_each(|&x| push(x));
        self.index.iter().flatten().for_each(|&x| push(x));
        push(self.outside_hours);
        self.yes.iter().for_each(|&x| push(x));
        self.answered.iter().for_each(|&x| push(x));
        self.ticks.iter().for_each(|&x| push(x));
        v
    }

    /// The inverse of [`Tally::values`].
    pub fn from_values(v: &[i64; WIDTH]) -> Tally {
        let mut it = v.iter().copied();
        let mut next = || it.next().unwrap_or(0);
        let mut t = Tally {
            ratings: next(),
            satisfied: next(),
            dissatisfied: next(),
            with_case: next(),
            dissatisfied_with_case: next(),
            ..Tally::default()
        };
        t.levels = std::array::from_fn(|_| next());
        t.index = std::array::from_fn(|_| std::array::from_fn(|_| next()));
        t.outside_hours = next();
        t.yes = std::array::from_fn(|_| next());
        t.answered = std::array::from_fn(|_| next());
        t.ticks = std::array::from_fn(|_| next());
        t
    }

    pub fn is_zero(&self) -> bool {
        *self == Tally::default()
    }

    pub fn add(&mut self, o: &Tally) {
        self.zip(o, |a, b| a + b);
    }

    /// `self − o`: what turns `o` into `self`.
    pub fn minus(&self, o: &Tally) -> Tally {
        let mut t = *self;
        t.zip(o, |a, b| a - b);
        t
    }

    fn zip(&mut self, o: &Tally, f: impl Fn(i64, i64) -> i64) {
        let (a, b) = (self.values(), o.values());
        *self = Tally::from_values(&std::array::from_fn(|i| f(a[i], b[i])));
    }
}

/// Where a rating's tally is kept: its local day, desk, officer (0 = none named) and unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Key {
    /// yyyymmdd of the local day (Asia/Ho_Chi_Minh) the rating was first given.
    pub day: i32,
    pub desk_id: i64,
    pub officer_id: i64,
    pub unit_id: i64,
}

impl Key {
    pub fn new(created_at: DateTime<Utc>, desk_id: i64, officer_id: Option<i64>, unit_id: i64) -> Key {
        Key { day: day_number(created_at), desk_id, officer_id: officer_id.unwrap_or(0), unit_id }
    }

    /// yyyymm of the key's day.
    pub fn month(&self) -> i32 {
        self.day / 100
    }
}

/// yyyymmdd of an instant's local day.
pub fn day_number(t: DateTime<Utc>) -> i32 {
    date_number(t.with_timezone(&crate::domain::LOCAL_TZ).date_naive())
}

/// yyyymmdd of a date.
pub fn date_number(d: NaiveDate) -> i32 {
    d.year() * 10_000 + d.month() as i32 * 100 + d.day() as i32
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn answers() -> BTreeMap<String, Value> {
        [
            ("extra_money".to_string(), json!("yes")),
            ("extra_documents".to_string(), json!("no")),
            ("behaviour".to_string(), json!(["greet", "help"])),
        ]
        .into_iter()
        .collect()
    }

    #[test]
    fn one_rating_counts_where_it_should() {
        let shape = Shape::of(&Survey::default_survey());
        assert_eq!(shape.yes_no, ["extra_money", "extra_documents"]);
        let a = answers();
        let r = RatingFacts {
            scale: Scale::Vn3,
            overall: 1,
            idx1: Some(0),
            idx3: Some(2),
            idx4: None,
            idx7: Some(0),
            outside_hours: true,
            has_case: true,
            answers: &a,
        };
        let t = Tally::of(&r, &shape);
        assert_eq!((t.ratings, t.satisfied, t.dissatisfied, t.with_case, t.dissatisfied_with_case), (1, 0, 1, 1, 1));
        assert_eq!(t.levels, [1, 0, 0, 0, 0]);
        assert_eq!(t.index, [[1, 0, 0], [0, 0, 1], [0, 0, 0], [1, 0, 0]]);
        assert_eq!(t.outside_hours, 1);
        assert_eq!((t.yes, t.answered), ([1, 0, 0, 0], [1, 1, 0, 0]));
        assert_eq!(t.ticks, [1, 0, 0, 0, 0, 0, 0, 1], "greet is the first option, help the eighth");
        // Round trip through the stored columns, and differences.
        assert_eq!(Tally::from_values(&t.values()), t);
        let mut sum = t;
        sum.add(&t);
        assert_eq!(sum.ratings, 2);
        assert_eq!(sum.minus(&t), t);
        assert!(t.minus(&t).is_zero());
    }

    #[test]
    fn five_levels() {
        let shape = Shape::default();
        let a = BTreeMap::new();
        let r = |overall| RatingFacts {
            scale: Scale::Vn5,
            overall,
            idx1: None,
            idx3: None,
            idx4: None,
            idx7: None,
            outside_hours: false,
            has_case: false,
            answers: &a,
        };
        let t: Vec<Tally> = (1..=5).map(|l| Tally::of(&r(l), &shape)).collect();
        assert_eq!(t.iter().map(|t| t.satisfied).collect::<Vec<_>>(), [0, 0, 0, 1, 1]);
        assert_eq!(t.iter().map(|t| t.dissatisfied).collect::<Vec<_>>(), [1, 1, 0, 0, 0]);
        assert_eq!(t[2].levels, [0, 0, 1, 0, 0]);
    }

    #[test]
    fn top_level_of_either_scale_summed() {
        let (shape, a) = (Shape::default(), BTreeMap::new());
        let r = |scale: Scale, overall| RatingFacts {
            scale,
            overall,
            idx1: None,
            idx3: None,
            idx4: None,
            idx7: None,
            outside_hours: false,
            has_case: false,
            answers: &a,
        };
        let mut sum = Tally::default();
        let mut top = 0;
        for (scale, levels) in [(Scale::Vn3, 1..=3), (Scale::Vn5, 1..=5)] {
            for l in levels {
                let t = Tally::of(&r(scale, l), &shape);
                assert_eq!(t.top(), i64::from(l == scale.max()), "{scale:?} {l}");
                // Each level a different number of times, so no two can stand in for each other.
                for _ in 0..(l + 3 * i32::from(scale == Scale::Vn5)) {
                    sum.add(&t);
                }
                top += i64::from(l == scale.max()) * i64::from(l + 3 * i32::from(scale == Scale::Vn5));
            }
        }
        assert_eq!(sum.top(), top);
    }

    #[test]
    fn keys_use_the_local_day() {
        // 23:30 UTC on 31 October is 06:30 on 1 November in Việt Nam.
        let t = chrono::TimeZone::with_ymd_and_hms(&Utc, 2026, 10, 31, 23, 30, 0).unwrap();
        let k = Key::new(t, 7, None, 3);
        assert_eq!((k.day, k.month(), k.officer_id), (20261101, 202611, 0));
    }
}
