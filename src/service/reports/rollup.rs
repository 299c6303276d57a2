//! Keeping the report rollups in step with the ratings, inside the transactions that change them:
//! a rating given or replaced ([`rating_written`]); a case closed or reopened, which can move its
//! rating's Circular 01 index 7 ([`case_changed`]). And rebuilding them from raw rows
//! ([`rebuild`]), which must find nothing to change when the first two did their job.

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, NaiveDate, Utc};
use serde_json::Value;

use crate::domain::case::{Dismissal, Status};
use crate::domain::measures::attitude_points;
use crate::domain::period::Month;
use crate::domain::rollup::{IDX7, Key, RatingFacts, Shape, Tally};
use crate::domain::survey::Scale;
use crate::error::Result;
use crate::service::Services;
use crate::store::feedback::RatingRow;
use crate::store::rollups::{self, Grain};
use crate::store::{self, DbConn};

/// What a stored rating counts for.
pub fn tally_of(row: &RatingRow, has_case: bool, shape: &Shape) -> Tally {
    let answers: BTreeMap<String, Value> = serde_json::from_str(&row.answers).unwrap_or_default();
    let facts = RatingFacts {
        scale: Scale::parse(&row.scale).unwrap_or_default(),
        overall: row.overall,
        idx1: row.idx1,
        idx3: row.idx3,
        idx4: row.idx4,
        idx7: row.idx7,
        outside_hours: row.outside_hours,
        has_case,
        answers: &answers,
    };
    Tally::of(&facts, shape)
}

/// Where a stored rating's tally is kept.
pub fn key_of(row: &RatingRow, created_at: DateTime<Utc>) -> Key {
    Key::new(created_at, row.desk_id, row.officer_id, row.unit_id)
}

/// A rating was written: `before` is what it counted for until now (a replaced rating), `after`
/// what it counts for now.
pub fn rating_written(c: &mut DbConn, before: Option<(Key, Tally)>, after: (Key, Tally)) -> Result<()> {
    match before {
        Some((k, old)) if k == after.0 => rollups::apply(c, &k, &after.1.minus(&old)),
        Some((k, old)) => {
            rollups::apply(c, &k, &Tally::default().minus(&old))?;
            rollups::apply(c, &after.0, &after.1)
        }
        None => rollups::apply(c, &after.0, &after.1),
    }
}

/// Index 7 of a rating as it stands: 0 while its case is a harassment-type report not dismissed
/// as untrue (docs/measures.md, "Circular 01/2018 indices").
pub fn idx7_now(
    idx1: Option<i32>,
    case: Option<(crate::domain::case::Category, Status, Option<Dismissal>)>,
) -> Option<i32> {
    let counts = case.is_some_and(|(category, status, outcome)| {
        category.is_harassment_type() && !(status == Status::Dismissed && outcome == Some(Dismissal::FoundUntrue))
    });
    attitude_points(idx1, counts)
}

/// A case changed status (closed, reopened): brings its rating's index 7, and the rollups, up to
/// date. Call inside the transaction of the change.
pub fn case_changed(c: &mut DbConn, rating_id: Option<i64>) -> Result<()> {
    let Some(rating_id) = rating_id else { return Ok(()) };
    let rating = store::feedback::get(c, rating_id)?;
    let now = idx7_now(rating.idx1, store::feedback::case_of_rating(c, rating_id)?);
    if now == rating.idx7 {
        return Ok(());
    }
    store::feedback::set_idx7(c, rating_id, now)?;
    let mut delta = Tally::default();
    if let Some(p @ 0..=2) = rating.idx7 {
        delta.index[IDX7][p as usize] -= 1;
    }
    if let Some(p @ 0..=2) = now {
        delta.index[IDX7][p as usize] += 1;
    }
    rollups::apply(c, &key_of(&rating, rating.created_at.and_utc()), &delta)
}

/// What `reports rebuild` found for one month.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rebuilt {
    pub month: Month,
    pub ratings: i64,
    /// Rows (day or month grain) whose counters differed from the raw ratings, or were missing.
    pub rows_differing: usize,
}

/// Recomputes one month's rollups from its raw ratings, in one transaction; says how many rows
/// differed. Index 7 is taken from each rating's case as it stands now.
pub fn rebuild(s: &Services, month: Month) -> Result<Rebuilt> {
    let shape = s.shape.clone();
    s.db.write(move |c| {
        let (from, to) = month.utc_bounds();
        let rows = store::feedback::with_cases_between(c, from.naive_utc(), to.naive_utc(), None)?;
        let mut days: HashMap<Key, Tally> = HashMap::new();
        let mut fixed_idx7 = Vec::new();
        for (rating, has_case) in &rows {
            let mut row = rating.row.clone();
            let case = if *has_case { store::feedback::case_of_rating(c, rating.id)? } else { None };
            let idx7 = idx7_now(row.idx1, case);
            if idx7 != row.idx7 {
                fixed_idx7.push((rating.id, idx7));
                row.idx7 = idx7;
            }
            let created = rating.created_at.and_utc();
            days.entry(key_of(&row, created)).or_default().add(&tally_of(&row, *has_case, &shape));
        }
        for (id, idx7) in &fixed_idx7 {
            store::feedback::set_idx7(c, *id, *idx7)?;
        }
        let mut months: HashMap<Key, Tally> = HashMap::new();
        for (k, t) in &days {
            months.entry(Key { day: k.month() * 100, ..*k }).or_default().add(t);
        }
        let (d0, d1) = (month.first_day_number(), month.last_day_number());
        let m = month.number();
        let mut differing = 0;
        for (grain, want, from, to) in [(Grain::Day, &days, d0, d1), (Grain::Month, &months, m, m)] {
            let have: HashMap<Key, Tally> = rollups::rows(c, grain, from, to)?
                .into_iter()
                .filter(|r| !r.tally.is_zero())
                .map(|r| {
                    let day = if grain == Grain::Day { r.period } else { r.period * 100 };
                    (Key { day, desk_id: r.desk_id, officer_id: r.officer_id, unit_id: r.unit_id }, r.tally)
                })
                .collect();
            let differ = want.iter().filter(|(k, t)| have.get(k) != Some(t)).count()
                + have.keys().filter(|k| !want.contains_key(k)).count();
            differing += differ;
            if differ > 0 {
                rollups::clear(c, grain, from, to)?;
                for (k, t) in want.iter() {
                    rollups::apply_one(c, grain, k, t)?;
                }
            }
        }
        Ok(Rebuilt { month, ratings: rows.len() as i64, rows_differing: differing + fixed_idx7.len() })
    })
}

/// The months that have ratings, oldest first (what `reports rebuild` without `--month` covers).
pub fn months_with_ratings(s: &Services) -> Result<Vec<Month>> {
    let (first, last) = s.db.read(store::feedback::first_and_last)?;
    let (Some(first), Some(last)) = (first, last) else { return Ok(Vec::new()) };
    let local = |t: chrono::NaiveDateTime| t.and_utc().with_timezone(&crate::domain::LOCAL_TZ).date_naive();
    let (a, b): (NaiveDate, NaiveDate) = (local(first), local(last));
    Ok(Month::of_date(a).through(Month::of_date(b)))
}
