//! Rating queries.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::DbConn;
use super::schema::{cases, ratings};
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
