//! Rating queries.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::DbConn;
use super::schema::{cases, ratings};
use crate::domain::case::{Category, Dismissal, Status};
use crate::error::Result;

/// A rating as written (new, or replacing the same browser's recent one).
// NULL for absent values in both statements: fixed SQL, kept in the prepared-statement cache.
#[derive(Debug, Clone, Insertable, AsChangeset, Queryable, Selectable)]
#[diesel(table_name = ratings, treat_none_as_null = true, treat_none_as_default_value = false)]
pub struct RatingRow {
    pub desk_id: i64,
    pub unit_id: i64,
    pub officer_id: Option<i64>,
    pub survey_version: String,
    pub scale: String,
    pub overall: i32,
    pub answers: String,
    pub idx1: Option<i32>,
    pub idx3: Option<i32>,
    pub idx4: Option<i32>,
    pub idx7: Option<i32>,
    pub file_code: Option<String>,
    pub comment: Option<String>,
    pub outside_hours: bool,
    pub channel: String,
    pub browser_hash: Option<String>,
    pub ip_hash: Option<String>,
    pub updated_at: NaiveDateTime,
}

/// A stored rating: what was written, and what the database adds.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = ratings)]
pub struct Rating {
    pub id: i64,
    #[diesel(embed)]
    pub row: RatingRow,
    pub revisions: i32,
    pub created_at: NaiveDateTime,
}

impl std::ops::Deref for Rating {
    type Target = RatingRow;
    fn deref(&self) -> &RatingRow {
        &self.row
    }
}

pub fn insert(conn: &mut DbConn, row: &RatingRow, created_at: NaiveDateTime) -> Result<i64> {
    Ok(diesel::insert_into(ratings::table)
        .values((row, ratings::created_at.eq(created_at)))
        .returning(ratings::id)
        .get_result(conn)?)
}

/// The id the next rating written by [`insert_many`] may start at (after every existing one).
pub fn next_id(conn: &mut DbConn) -> Result<i64> {
    let max: Option<i64> = ratings::table.select(diesel::dsl::max(ratings::id)).first(conn)?;
    Ok(max.unwrap_or(0) + 1)
}

/// Writes ratings in bulk (synthetic history, benchmark data) with the ids `first_id`,
/// `first_id + 1`, … in order: multi-row INSERTs of 1,000 rows, two orders of magnitude fewer
/// statements than [`insert`]. The ids must be free (see [`next_id`]); on PostgreSQL the id
/// sequence is moved past them.
pub fn insert_many(conn: &mut DbConn, first_id: i64, rows: &[(RatingRow, NaiveDateTime)]) -> Result<()> {
    // 1,000 rows × 20 values stays under SQLite's 32,766 bound values a statement.
    for (k, chunk) in rows.chunks(1_000).enumerate() {
        let first = first_id + (k * 1_000) as i64;
        let values: Vec<_> = chunk
            .iter()
            .enumerate()
            .map(|(i, (row, at))| (ratings::id.eq(first + i as i64), row, ratings::created_at.eq(*at)))
            .collect();
        // A multi-row insert is not in the derived connection's common subset: one per backend.
        crate::per_backend!(conn, |c| diesel::insert_into(ratings::table).values(values).execute(c))?;
    }
    if let DbConn::Pg(c) = conn {
        diesel::sql_query(
            "SELECT setval(pg_get_serial_sequence('ratings', 'id'), (SELECT COALESCE(MAX(id), 1) FROM ratings))",
        )
        .execute(c)?;
    }
    Ok(())
}

/// Overwrites a rating with a newer answer from the same browser.
pub fn replace(conn: &mut DbConn, id: i64, row: &RatingRow) -> Result<()> {
    diesel::update(ratings::table.find(id)).set((row, ratings::revisions.eq(ratings::revisions + 1))).execute(conn)?;
    Ok(())
}

/// The same browser's latest rating for a desk since `since`, and whether it opened a case.
pub fn recent_by_browser(
    conn: &mut DbConn,
    desk_id: i64,
    browser_hash: &str,
    since: NaiveDateTime,
) -> Result<Option<(i64, bool)>> {
    let found: Option<i64> = ratings::table
        .filter(ratings::desk_id.eq(desk_id))
        .filter(ratings::browser_hash.eq(browser_hash))
        .filter(ratings::updated_at.ge(since))
        .order(ratings::updated_at.desc())
        .select(ratings::id)
        .first(conn)
        .optional()?;
    let Some(id) = found else { return Ok(None) };
    let has_case: i64 = cases::table.filter(cases::rating_id.eq(id)).count().get_result(conn)?;
    Ok(Some((id, has_case > 0)))
}

pub fn get(conn: &mut DbConn, id: i64) -> Result<Rating> {
    Ok(ratings::table.find(id).select(Rating::as_select()).first(conn)?)
}

pub fn count_for_desk(conn: &mut DbConn, desk_id: i64) -> Result<i64> {
    Ok(ratings::table.filter(ratings::desk_id.eq(desk_id)).count().get_result(conn)?)
}

/// The case a rating opened, if any: its category, status and outcome (for index 7).
pub fn case_of_rating(conn: &mut DbConn, rating_id: i64) -> Result<Option<(Category, Status, Option<Dismissal>)>> {
    Ok(cases::table
        .filter(cases::rating_id.eq(rating_id))
        .select((cases::category, cases::status, cases::outcome))
        .first(conn)
        .optional()?)
}

/// Sets a rating's index 7 as it now stands (see `service::reports::rollup`).
pub fn set_idx7(conn: &mut DbConn, id: i64, idx7: Option<i32>) -> Result<()> {
    diesel::update(ratings::table.find(id)).set(ratings::idx7.eq(idx7)).execute(conn)?;
    Ok(())
}

/// The ratings first given in `[from, to)` (UTC), with whether each opened a case: the raw rows
/// the rollups are rebuilt from.
/// With `units`, only the ratings of those units.
pub fn with_cases_between(
    conn: &mut DbConn,
    from: NaiveDateTime,
    to: NaiveDateTime,
    units: Option<&[i64]>,
) -> Result<Vec<(Rating, bool)>> {
    let mut q = ratings::table
        .filter(ratings::created_at.ge(from))
        .filter(ratings::created_at.lt(to))
        .order(ratings::id)
        .select(Rating::as_select())
        .into_boxed();
    if let Some(u) = units {
        q = q.filter(ratings::unit_id.eq_any(u.to_vec()));
    }
    let rows: Vec<Rating> = q.load(conn)?;
    let (Some(first), Some(last)) = (rows.first().map(|r| r.id), rows.last().map(|r| r.id)) else {
        return Ok(Vec::new());
    };
    let with_case: std::collections::HashSet<i64> = cases::table
        .filter(cases::rating_id.between(first, last))
        .select(cases::rating_id.assume_not_null())
        .load::<i64>(conn)?
        .into_iter()
        .collect();
    Ok(rows.into_iter().map(|r| (r.id, r)).map(|(id, r)| (r, with_case.contains(&id))).collect())
}

/// When the first and the last rating were given.
pub fn first_and_last(conn: &mut DbConn) -> Result<(Option<NaiveDateTime>, Option<NaiveDateTime>)> {
    Ok(ratings::table
        .select((diesel::dsl::min(ratings::created_at), diesel::dsl::max(ratings::created_at)))
        .first(conn)?)
}
