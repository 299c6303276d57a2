//! The report rollups `rating_days` and `rating_months` (one row of [`Tally`] counters per local
//! day or month, desk, officer and unit). Their ~40 counters are more columns than diesel's table
//! macro takes, so this module writes its own SQL from [`COLUMNS`]: the same text runs on SQLite
//! and PostgreSQL (`ON CONFLICT … DO UPDATE`, `CAST(SUM(…) AS BIGINT)`); every value in it is an
//! integer this module formats, never text from outside.

use diesel::backend::Backend;
use diesel::deserialize::{self, FromSql, QueryableByName};
use diesel::prelude::*;
use diesel::row::{Field, NamedRow};
use diesel::sql_types::{BigInt, Integer};

use super::DbConn;
use crate::domain::rollup::{COLUMNS, Key, Tally, WIDTH};
use crate::error::Result;

/// The two grains a tally is kept at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Grain {
    /// `rating_days`, keyed by yyyymmdd.
    Day,
    /// `rating_months`, keyed by yyyymm.
    Month,
}

impl Grain {
    fn table(self) -> &'static str {
        match self {
            Grain::Day => "rating_days",
            Grain::Month => "rating_months",
        }
    }

    fn period_column(self) -> &'static str {
        match self {
            Grain::Day => "day",
            Grain::Month => "month",
        }
    }

    fn period_of(self, k: &Key) -> i32 {
        match self {
            Grain::Day => k.day,
            Grain::Month => k.month(),
        }
    }
}

/// Adds `delta` (which may be negative) to the rows of `key` at both grains. On SQLite's writer
/// thread the increments are held until its batch commits (see [`deferred`]).
pub fn apply(conn: &mut DbConn, key: &Key, delta: &Tally) -> Result<()> {
    if delta.is_zero() {
        return Ok(());
    }
    for grain in [Grain::Day, Grain::Month] {
        let at = (grain, grain.period_of(key), key.desk_id, key.officer_id, key.unit_id);
        if !deferred::hold(at, delta) {
            Upsert::new(at, delta).execute(conn)?;
        }
    }
    Ok(())
}

/// Where one row of counters is kept: grain, period, desk, officer, unit.
type At = (Grain, i32, i64, i64, i64);

/// Rollup increments held back on SQLite's writer thread and written once per batch.
///
/// The writer commits up to a hundred writes at a time (`store::writer`). Writing each rating's
/// two upserts as it came cost up to a third of the rating POST throughput (BENCHMARKS.md); held
/// here and summed per row, a batch writes each touched row once, just before its COMMIT, in the
/// same transaction as the ratings. A write whose savepoint rolls back takes its increments with it. Anything that
/// reads or overwrites the rollups first writes out what is held (`settle`), inside the caller's
/// savepoint; should that savepoint roll back, the increments are held again.
pub(super) mod deferred {
    use std::cell::RefCell;
    use std::collections::HashMap;

    use diesel::RunQueryDsl;

    use super::{At, DbConn, Tally, Upsert};
    use crate::error::Result;

    #[derive(Default)]
    struct Held {
        /// Of the writes that succeeded so far in this batch.
        batch: HashMap<At, Tally>,
        /// Of the write running now.
        current: HashMap<At, Tally>,
        /// Written out inside the running write's savepoint (restored if it rolls back).
        settled: HashMap<At, Tally>,
    }

    thread_local! {
        /// `Some` on the writer thread while a batch runs.
        static HELD: RefCell<Option<Held>> = const { RefCell::new(None) };
    }

    fn merge(into: &mut HashMap<At, Tally>, from: impl IntoIterator<Item = (At, Tally)>) {
        for (at, t) in from {
            into.entry(at).or_default().add(&t);
        }
    }

    /// Holds an increment if a batch is running on this thread; `false` means write it now.
    pub(super) fn hold(at: At, delta: &Tally) -> bool {
        HELD.with_borrow_mut(|h| match h {
            Some(h) => {
                h.current.entry(at).or_default().add(delta);
                true
            }
            None => false,
        })
    }

    /// Writes out everything held, before a read or an overwrite of the rollups.
    pub(super) fn settle(conn: &mut DbConn) -> Result<()> {
        let pending: Vec<(At, Tally)> = HELD.with_borrow_mut(|h| match h {
            Some(h) => {
                let batch: Vec<_> = h.batch.drain().collect();
                merge(&mut h.settled, batch.iter().copied());
                batch.into_iter().chain(h.current.drain()).collect()
            }
            None => Vec::new(),
        });
        write(conn, &pending)
    }

    fn write(conn: &mut DbConn, rows: &[(At, Tally)]) -> Result<()> {
        for (at, t) in rows.iter().filter(|(_, t)| !t.is_zero()) {
            Upsert::new(*at, t).execute(conn)?;
        }
        Ok(())
    }

    /// The writer starts a batch.
    pub(in crate::store) fn begin() {
        HELD.set(Some(Held::default()));
    }

    /// A write of the batch ended: committed to its savepoint (`ok`) or rolled back.
    pub(in crate::store) fn write_ended(ok: bool) {
        HELD.with_borrow_mut(|h| {
            if let Some(h) = h {
                let (current, settled) = (std::mem::take(&mut h.current), std::mem::take(&mut h.settled));
                if ok {
                    merge(&mut h.batch, current);
                } else {
                    merge(&mut h.batch, settled);
                }
            }
        });
    }

    /// Before the batch's COMMIT: writes every held row, once, and ends holding.
    pub(in crate::store) fn finish(conn: &mut DbConn) -> Result<()> {
        let rows: Vec<(At, Tally)> = HELD.take().map(|h| h.batch.into_iter().collect()).unwrap_or_default();
        write(conn, &rows)
    }

    /// The batch ended without [`finish`] (rolled back): forget what was held.
    pub(in crate::store) fn abandon() {
        HELD.set(None);
    }
}

/// `INSERT … ON CONFLICT DO UPDATE` of one key's counters, with the values bound. Its text
/// depends only on the grain, so the connection prepares it once and reuses it: a rating's two
/// upserts cost a bind and a step each, not a parse of a 43-column statement (which, with
/// `sql_query`'s never-cached text, halved the rating POST throughput).
struct Upsert {
    sql: &'static (String, String),
    period: i32,
    key: [i64; 3],
    values: [i64; WIDTH],
}

impl Upsert {
    fn new((grain, period, desk_id, officer_id, unit_id): At, delta: &Tally) -> Upsert {
        Upsert { sql: upsert_sql(grain), period, key: [desk_id, officer_id, unit_id], values: delta.values() }
    }
}

/// The upsert's text before and after its `VALUES` list, built once per grain.
fn upsert_sql(grain: Grain) -> &'static (String, String) {
    use std::fmt::Write;
    use std::sync::OnceLock;
    static DAY: OnceLock<(String, String)> = OnceLock::new();
    static MONTH: OnceLock<(String, String)> = OnceLock::new();
    let cell = match grain {
        Grain::Day => &DAY,
        Grain::Month => &MONTH,
    };
    cell.get_or_init(|| {
        let (table, period) = (grain.table(), grain.period_column());
        let mut head = format!("INSERT INTO {table} ({period}, desk_id, officer_id, unit_id");
        for c in COLUMNS {
            let _ = write!(head, ", {c}");
        }
        head.push_str(") VALUES (");
        let mut tail = format!(") ON CONFLICT ({period}, desk_id, officer_id, unit_id) DO UPDATE SET ");
        for (i, c) in COLUMNS.iter().enumerate() {
            let _ = write!(tail, "{}{c} = {table}.{c} + excluded.{c}", if i == 0 { "" } else { ", " });
        }
        (head, tail)
    })
}

impl<DB> diesel::query_builder::QueryFragment<DB> for Upsert
where
    DB: Backend,
    i32: diesel::serialize::ToSql<Integer, DB>,
    i64: diesel::serialize::ToSql<BigInt, DB>,
    DB: diesel::sql_types::HasSqlType<Integer> + diesel::sql_types::HasSqlType<BigInt>,
{
    fn walk_ast<'b>(&'b self, mut out: diesel::query_builder::AstPass<'_, 'b, DB>) -> QueryResult<()> {
        out.push_sql(&self.sql.0);
        out.push_bind_param::<Integer, i32>(&self.period)?;
        for v in self.key.iter().chain(&self.values) {
            out.push_sql(", ");
            out.push_bind_param::<BigInt, i64>(v)?;
        }
        out.push_sql(&self.sql.1);
        Ok(())
    }
}

impl diesel::query_builder::QueryId for Upsert {
    type QueryId = ();
    // The text is looked up in the connection's statement cache (not a static id).
    const HAS_STATIC_QUERY_ID: bool = false;
}

impl<C> RunQueryDsl<C> for Upsert {}

/// A row read back: who it is about and its summed counters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    /// The day or month (grouped reads), or 0 when the read sums over periods.
    pub period: i32,
    pub desk_id: i64,
    pub officer_id: i64,
    pub unit_id: i64,
    pub tally: Tally,
}

impl<DB: Backend> QueryableByName<DB> for Row
where
    i64: FromSql<BigInt, DB>,
    i32: FromSql<Integer, DB>,
{
    // By position, in the order `read` selects them: looking 43 columns up by name in every row
    // was most of a report's rollup read.
    fn build<'a>(row: &impl NamedRow<'a, DB>) -> deserialize::Result<Self> {
        fn at<'a, DB: Backend, T: FromSql<ST, DB>, ST>(
            row: &impl diesel::row::Row<'a, DB>,
            i: usize,
        ) -> deserialize::Result<T> {
            let field = diesel::row::Row::get(row, i).ok_or("a rollup row is shorter than its read")?;
            T::from_nullable_sql(field.value())
        }
        if row.field_count() != 4 + WIDTH {
            return Err(format!("a rollup row has {} columns, not {}", row.field_count(), 4 + WIDTH).into());
        }
        let mut v = [0i64; WIDTH];
        for (i, slot) in v.iter_mut().enumerate() {
            *slot = at::<DB, i64, BigInt>(row, 4 + i)?;
        }
        Ok(Row {
            period: at::<DB, i32, Integer>(row, 0)?,
            desk_id: at::<DB, i64, BigInt>(row, 1)?,
            officer_id: at::<DB, i64, BigInt>(row, 2)?,
            unit_id: at::<DB, i64, BigInt>(row, 3)?,
            tally: Tally::from_values(&v),
        })
    }
}

/// What a read keeps apart; everything else is summed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum By {
    /// One row per desk, officer and unit over the whole range.
    Who,
    /// One row per period, desk, officer and unit (nothing summed).
    PeriodAndWho,
}

/// Sums the rows of periods `from..=to` (yyyymmdd or yyyymm), for `units` (all when `None`).
/// The rows are read as stored and summed here: SQLite's `GROUP BY` with 39 `SUM`s took ten
/// times as long as reading them (a month of 2,000 desks: 50 ms against 5).
pub fn read(conn: &mut DbConn, grain: Grain, from: i32, to: i32, units: Option<&[i64]>, by: By) -> Result<Vec<Row>> {
    use std::fmt::Write;
    deferred::settle(conn)?;
    let (table, period) = (grain.table(), grain.period_column());
    let mut sql = format!("SELECT {period} AS period, desk_id, officer_id, unit_id");
    for c in COLUMNS {
        let _ = write!(sql, ", {c}");
    }
    let _ = write!(sql, " FROM {table} WHERE {period} >= {from} AND {period} <= {to}");
    if let Some(units) = units {
        if units.is_empty() {
            return Ok(Vec::new());
        }
        in_units(&mut sql, units);
    }
    let rows = diesel::sql_query(sql).load::<Row>(conn)?;
    let mut out: Vec<Row> = match by {
        // The primary key is (period, desk, officer, unit): each row is already one.
        By::PeriodAndWho => rows,
        By::Who => {
            let mut sums: std::collections::HashMap<(i64, i64, i64), Tally> = Default::default();
            for r in rows {
                sums.entry((r.desk_id, r.officer_id, r.unit_id)).or_default().add(&r.tally);
            }
            sums.into_iter()
                .map(|((desk_id, officer_id, unit_id), tally)| Row { period: 0, desk_id, officer_id, unit_id, tally })
                .collect()
        }
    };
    out.sort_unstable_by_key(|r| (r.period, r.desk_id, r.officer_id, r.unit_id));
    Ok(out)
}

/// Every row of one grain in `from..=to`, unsummed (for `reports rebuild`).
pub fn rows(conn: &mut DbConn, grain: Grain, from: i32, to: i32) -> Result<Vec<Row>> {
    read(conn, grain, from, to, None, By::PeriodAndWho)
}

/// Deletes the rows of `from..=to` at one grain (before writing them again from raw ratings).
pub fn clear(conn: &mut DbConn, grain: Grain, from: i32, to: i32) -> Result<usize> {
    deferred::settle(conn)?;
    let (table, period) = (grain.table(), grain.period_column());
    Ok(diesel::sql_query(format!("DELETE FROM {table} WHERE {period} >= {from} AND {period} <= {to}")).execute(conn)?)
}

/// Ratings per day for each desk in `from..=to` (yyyymmdd), for the signals: (day, desk, ratings).
pub fn daily_counts(conn: &mut DbConn, from: i32, to: i32, units: Option<&[i64]>) -> Result<Vec<(i32, i64, i64)>> {
    let rows = read(conn, Grain::Day, from, to, units, By::PeriodAndWho)?;
    let mut out: std::collections::BTreeMap<(i32, i64), i64> = Default::default();
    for r in rows {
        *out.entry((r.period, r.desk_id)).or_default() += r.tally.ratings;
    }
    Ok(out.into_iter().map(|((d, k), n)| (d, k, n)).collect())
}

/// Writes one row at one grain (after [`clear`]).
pub fn apply_one(conn: &mut DbConn, grain: Grain, key: &Key, tally: &Tally) -> Result<()> {
    if tally.is_zero() {
        return Ok(());
    }
    deferred::settle(conn)?;
    Upsert::new((grain, grain.period_of(key), key.desk_id, key.officer_id, key.unit_id), tally).execute(conn)?;
    Ok(())
}

/// Ratings and satisfied ratings per month and unit in `from..=to` (yyyymm), for the trends:
/// (month, unit, ratings, satisfied).
pub fn monthly_by_unit(
    conn: &mut DbConn,
    from: i32,
    to: i32,
    units: Option<&[i64]>,
) -> Result<Vec<(i32, i64, i64, i64)>> {
    deferred::settle(conn)?;
    #[derive(QueryableByName)]
    struct R {
        #[diesel(sql_type = Integer)]
        month: i32,
        #[diesel(sql_type = BigInt)]
        unit_id: i64,
        #[diesel(sql_type = BigInt)]
        ratings: i64,
        #[diesel(sql_type = BigInt)]
        satisfied: i64,
    }
    // Summed here, not by `GROUP BY` (see `read`).
    let mut sql =
        format!("SELECT month, unit_id, ratings, satisfied FROM rating_months WHERE month >= {from} AND month <= {to}");
    if let Some(units) = units {
        if units.is_empty() {
            return Ok(Vec::new());
        }
        in_units(&mut sql, units);
    }
    let mut sums: std::collections::BTreeMap<(i32, i64), (i64, i64)> = Default::default();
    for r in diesel::sql_query(sql).load::<R>(conn)? {
        let e = sums.entry((r.month, r.unit_id)).or_default();
        e.0 += r.ratings;
        e.1 += r.satisfied;
    }
    Ok(sums.into_iter().map(|((month, unit_id), (ratings, satisfied))| (month, unit_id, ratings, satisfied)).collect())
}

/// Ratings and satisfied ratings over months `from..=to` (yyyymm), for `units` (all when `None`).
pub fn totals(conn: &mut DbConn, from: i32, to: i32, units: Option<&[i64]>) -> Result<(i64, i64)> {
    deferred::settle(conn)?;
    #[derive(QueryableByName)]
    struct R {
        #[diesel(sql_type = diesel::sql_types::Nullable<BigInt>)]
        ratings: Option<i64>,
        #[diesel(sql_type = diesel::sql_types::Nullable<BigInt>)]
        satisfied: Option<i64>,
    }
    let mut sql = format!(
        "SELECT CAST(SUM(ratings) AS BIGINT) AS ratings, CAST(SUM(satisfied) AS BIGINT) AS satisfied \
         FROM rating_months WHERE month >= {from} AND month <= {to}"
    );
    if let Some(units) = units {
        if units.is_empty() {
            return Ok((0, 0));
        }
        in_units(&mut sql, units);
    }
    let r = diesel::sql_query(sql).get_result::<R>(conn)?;
    Ok((r.ratings.unwrap_or(0), r.satisfied.unwrap_or(0)))
}

/// ` AND unit_id IN (…)`: ids are integers this module formats, never text from outside.
fn in_units(sql: &mut String, units: &[i64]) {
    in_list(sql, "unit_id", units);
}

/// ` AND {column} IN (…)` of integers.
fn in_list(sql: &mut String, column: &str, ids: &[i64]) {
    use std::fmt::Write;
    let _ = write!(sql, " AND {column} IN (");
    for (i, u) in ids.iter().enumerate() {
        let _ = write!(sql, "{}{u}", if i == 0 { "" } else { "," });
    }
    sql.push(')');
}

/// Per desk over months `from..=to` (yyyymm), for `desks` (whatever unit the ratings were given
/// under, as the integrity signals count them): the counters the signals need (ratings, satisfied,
/// dissatisfied, levels), the others left at zero.
pub fn desk_totals(conn: &mut DbConn, from: i32, to: i32, desks: &[i64]) -> Result<Vec<(i64, Tally)>> {
    deferred::settle(conn)?;
    #[derive(QueryableByName)]
    struct R {
        #[diesel(sql_type = BigInt)]
        desk_id: i64,
        #[diesel(sql_type = BigInt)]
        ratings: i64,
        #[diesel(sql_type = BigInt)]
        satisfied: i64,
        #[diesel(sql_type = BigInt)]
        dissatisfied: i64,
        #[diesel(sql_type = BigInt)]
        l1: i64,
        #[diesel(sql_type = BigInt)]
        l2: i64,
        #[diesel(sql_type = BigInt)]
        l3: i64,
        #[diesel(sql_type = BigInt)]
        l4: i64,
        #[diesel(sql_type = BigInt)]
        l5: i64,
    }
    let mut out = Vec::new();
    for chunk in desks.chunks(5_000) {
        let mut sql = String::from("SELECT desk_id");
        for c in ["ratings", "satisfied", "dissatisfied", "l1", "l2", "l3", "l4", "l5"] {
            sql.push_str(&format!(", CAST(SUM({c}) AS BIGINT) AS {c}"));
        }
        sql.push_str(&format!(" FROM rating_months WHERE month >= {from} AND month <= {to}"));
        in_list(&mut sql, "desk_id", chunk);
        sql.push_str(" GROUP BY desk_id");
        out.extend(diesel::sql_query(sql).load::<R>(conn)?.into_iter().map(|r| {
            let t = Tally {
                ratings: r.ratings,
                satisfied: r.satisfied,
                dissatisfied: r.dissatisfied,
                levels: [r.l1, r.l2, r.l3, r.l4, r.l5],
                ..Tally::default()
            };
            (r.desk_id, t)
        }));
    }
    Ok(out)
}
