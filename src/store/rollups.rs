//! The report rollups `rating_days` and `rating_months` (one row of [`Tally`] counters per local
//! day or month, desk, officer and unit). Their ~40 counters are more columns than diesel's table
//! macro takes, so this module writes its own SQL from [`COLUMNS`]: the same text runs on SQLite
//! and PostgreSQL (`ON CONFLICT … DO UPDATE`, `CAST(SUM(…) AS BIGINT)`); every value in it is an
//! integer this module formats, never text from outside.

use diesel::backend::Backend;
use diesel::deserialize::{self, FromSql, QueryableByName};
use diesel::prelude::*;
use diesel::row::NamedRow;
use diesel::sql_types::{BigInt, Integer};

use super::DbConn;
use crate::domain::rollup::{COLUMNS, Key, Tally, WIDTH};
use crate::error::Result;

/// The two grains a tally is kept at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
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

/// Adds `delta` (which may be negative) to the rows of `key` at both grains.
pub fn apply(conn: &mut DbConn, key: &Key, delta: &Tally) -> Result<()> {
    if delta.is_zero() {
        return Ok(());
    }
    for grain in [Grain::Day, Grain::Month] {
        diesel::sql_query(upsert_sql(grain, key, delta)).execute(conn)?;
    }
    Ok(())
}

fn upsert_sql(grain: Grain, key: &Key, delta: &Tally) -> String {
    use std::fmt::Write;
    let (table, period) = (grain.table(), grain.period_column());
    let v = delta.values();
    let mut sql = format!("INSERT INTO {table} ({period}, desk_id, officer_id, unit_id");
    for c in COLUMNS {
        let _ = write!(sql, ", {c}");
    }
    let _ = write!(sql, ") VALUES ({}, {}, {}, {}", grain.period_of(key), key.desk_id, key.officer_id, key.unit_id);
    for x in v {
        let _ = write!(sql, ", {x}");
    }
    let _ = write!(sql, ") ON CONFLICT ({period}, desk_id, officer_id, unit_id) DO UPDATE SET ");
    let mut first = true;
    for (c, x) in COLUMNS.iter().zip(v) {
        if x != 0 {
            let _ = write!(sql, "{}{c} = {table}.{c} + excluded.{c}", if first { "" } else { ", " });
            first = false;
        }
    }
    sql
}

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
    fn build<'a>(row: &impl NamedRow<'a, DB>) -> deserialize::Result<Self> {
        let mut v = [0i64; WIDTH];
        for (slot, c) in v.iter_mut().zip(COLUMNS) {
            *slot = NamedRow::get::<BigInt, i64>(row, c)?;
        }
        Ok(Row {
            period: NamedRow::get::<Integer, i32>(row, "period")?,
            desk_id: NamedRow::get::<BigInt, i64>(row, "desk_id")?,
            officer_id: NamedRow::get::<BigInt, i64>(row, "officer_id")?,
            unit_id: NamedRow::get::<BigInt, i64>(row, "unit_id")?,
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
pub fn read(conn: &mut DbConn, grain: Grain, from: i32, to: i32, units: Option<&[i64]>, by: By) -> Result<Vec<Row>> {
    use std::fmt::Write;
    let (table, period) = (grain.table(), grain.period_column());
    let mut sql = String::from("SELECT ");
    match by {
        By::Who => sql.push_str("CAST(0 AS INTEGER) AS period"),
        By::PeriodAndWho => {
            let _ = write!(sql, "{period} AS period");
        }
    }
    sql.push_str(", desk_id, officer_id, unit_id");
    for c in COLUMNS {
        let _ = write!(sql, ", CAST(SUM({c}) AS BIGINT) AS {c}");
    }
    let _ = write!(sql, " FROM {table} WHERE {period} >= {from} AND {period} <= {to}");
    if let Some(units) = units {
        if units.is_empty() {
            return Ok(Vec::new());
        }
        in_units(&mut sql, units);
    }
    match by {
        By::Who => sql.push_str(" GROUP BY desk_id, officer_id, unit_id"),
        By::PeriodAndWho => {
            let _ = write!(sql, " GROUP BY {period}, desk_id, officer_id, unit_id");
        }
    }
    Ok(diesel::sql_query(sql).load::<Row>(conn)?)
}

/// Every row of one grain in `from..=to`, unsummed (for `reports rebuild`).
pub fn rows(conn: &mut DbConn, grain: Grain, from: i32, to: i32) -> Result<Vec<Row>> {
    read(conn, grain, from, to, None, By::PeriodAndWho)
}

/// Deletes the rows of `from..=to` at one grain (before writing them again from raw ratings).
pub fn clear(conn: &mut DbConn, grain: Grain, from: i32, to: i32) -> Result<usize> {
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
    diesel::sql_query(upsert_sql(grain, key, tally)).execute(conn)?;
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
    let mut sql = format!(
        "SELECT month, unit_id, CAST(SUM(ratings) AS BIGINT) AS ratings, CAST(SUM(satisfied) AS BIGINT) AS satisfied \
         FROM rating_months WHERE month >= {from} AND month <= {to}"
    );
    if let Some(units) = units {
        if units.is_empty() {
            return Ok(Vec::new());
        }
        in_units(&mut sql, units);
    }
    sql.push_str(" GROUP BY month, unit_id");
    Ok(diesel::sql_query(sql)
        .load::<R>(conn)?
        .into_iter()
        .map(|r| (r.month, r.unit_id, r.ratings, r.satisfied))
        .collect())
}

/// ` AND unit_id IN (…)`: ids are integers this module formats, never text from outside.
fn in_units(sql: &mut String, units: &[i64]) {
    use std::fmt::Write;
    sql.push_str(" AND unit_id IN (");
    for (i, u) in units.iter().enumerate() {
        let _ = write!(sql, "{}{u}", if i == 0 { "" } else { "," });
    }
    sql.push(')');
}
