//! Working-time calendars and years' arrangements imported by administrators, and delegations
//! between heads and deputies.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use super::DbConn;
use super::schema::{calendar_arrangements, calendars, delegations, officers, units};
use crate::error::Result;

/// A year's arrangement as stored.
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable)]
#[diesel(table_name = calendar_arrangements)]
pub struct StoredArrangement {
    pub calendar: String,
    pub year: i32,
    pub source: String,
    /// The arrangement in the file format.
    pub definition: String,
    /// The file it was imported from, as given on the command line.
    pub imported_from: String,
    pub imported_at: NaiveDateTime,
}

/// Every stored arrangement, by calendar and year.
pub fn arrangements(conn: &mut DbConn) -> Result<Vec<StoredArrangement>> {
    Ok(calendar_arrangements::table
        .order((calendar_arrangements::calendar, calendar_arrangements::year))
        .select(StoredArrangement::as_select())
        .load(conn)?)
}

/// Stores a year's arrangement, replacing the one of the same calendar and year; returns the
/// source of the one replaced.
pub fn put_arrangement(conn: &mut DbConn, a: &StoredArrangement) -> Result<Option<String>> {
    let key = calendar_arrangements::table.find((&a.calendar, a.year));
    let previous: Option<String> = key.select(calendar_arrangements::source).first(conn).optional()?;
    let values = (
        calendar_arrangements::source.eq(&a.source),
        calendar_arrangements::definition.eq(&a.definition),
        calendar_arrangements::imported_from.eq(&a.imported_from),
        calendar_arrangements::imported_at.eq(a.imported_at),
    );
    if previous.is_some() {
        diesel::update(key).set(values).execute(conn)?;
    } else {
        diesel::insert_into(calendar_arrangements::table)
            .values((calendar_arrangements::calendar.eq(&a.calendar), calendar_arrangements::year.eq(a.year), values))
            .execute(conn)?;
    }
    Ok(previous)
}

/// The calendars active units name (their own instead of the default), without repeats.
pub fn unit_calendars(conn: &mut DbConn) -> Result<Vec<String>> {
    Ok(units::table
        .filter(units::active.eq(true))
        .filter(units::calendar.is_not_null())
        .select(units::calendar.assume_not_null())
        .distinct()
        .order(units::calendar)
        .load(conn)?)
}

/// (code, definition in the calendar file format), by code.
pub fn all(conn: &mut DbConn) -> Result<Vec<(String, String)>> {
    Ok(calendars::table.order(calendars::code).select((calendars::code, calendars::definition)).load(conn)?)
}

pub fn upsert(conn: &mut DbConn, code: &str, name: &str, definition: &str, now: NaiveDateTime) -> Result<bool> {
    let exists: i64 = calendars::table.filter(calendars::code.eq(code)).count().get_result(conn)?;
    if exists > 0 {
        diesel::update(calendars::table.find(code))
            .set((calendars::name.eq(name), calendars::definition.eq(definition), calendars::updated_at.eq(now)))
            .execute(conn)?;
        Ok(false)
    } else {
        diesel::insert_into(calendars::table)
            .values((
                calendars::code.eq(code),
                calendars::name.eq(name),
                calendars::definition.eq(definition),
                calendars::updated_at.eq(now),
            ))
            .execute(conn)?;
        Ok(true)
    }
}

/// Sets a unit's calendar (None = the configured default).
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = delegations)]
pub struct Delegation {
    pub id: i64,
    pub unit_id: i64,
    pub from_officer_id: i64,
    pub to_officer_id: i64,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    pub created_at: NaiveDateTime,
    pub revoked_at: Option<NaiveDateTime>,
}

pub fn add_delegation(
    conn: &mut DbConn,
    unit_id: i64,
    from_officer: i64,
    to_officer: i64,
    starts_on: NaiveDate,
    ends_on: NaiveDate,
    now: NaiveDateTime,
) -> Result<i64> {
    Ok(diesel::insert_into(delegations::table)
        .values((
            delegations::unit_id.eq(unit_id),
            delegations::from_officer_id.eq(from_officer),
            delegations::to_officer_id.eq(to_officer),
            delegations::starts_on.eq(starts_on),
            delegations::ends_on.eq(ends_on),
            delegations::created_at.eq(now),
        ))
        .returning(delegations::id)
        .get_result(conn)?)
}

pub fn revoke_delegation(conn: &mut DbConn, id: i64, now: NaiveDateTime) -> Result<usize> {
    Ok(diesel::update(delegations::table.find(id).filter(delegations::revoked_at.is_null()))
        .set(delegations::revoked_at.eq(now))
        .execute(conn)?)
}

/// Delegations not revoked and not yet ended on `today`, with the codes of unit, head and deputy.
pub fn current_delegations(conn: &mut DbConn, today: NaiveDate) -> Result<Vec<(Delegation, String, String, String)>> {
    let rows: Vec<Delegation> = delegations::table
        .filter(delegations::revoked_at.is_null())
        .filter(delegations::ends_on.ge(today))
        .order(delegations::id)
        .select(Delegation::as_select())
        .load(conn)?;
    let mut out = Vec::new();
    for d in rows {
        let unit: String = units::table.find(d.unit_id).select(units::code).first(conn)?;
        let from: String = officers::table.find(d.from_officer_id).select(officers::code).first(conn)?;
        let to: String = officers::table.find(d.to_officer_id).select(officers::code).first(conn)?;
        out.push((d, unit, from, to));
    }
    Ok(out)
}

/// Delegations in force for some units on `today`.
pub fn delegations_for(conn: &mut DbConn, unit_ids: &[i64], today: NaiveDate) -> Result<Vec<Delegation>> {
    Ok(delegations::table
        .filter(delegations::unit_id.eq_any(unit_ids))
        .filter(delegations::revoked_at.is_null())
        .filter(delegations::starts_on.le(today))
        .filter(delegations::ends_on.ge(today))
        .select(Delegation::as_select())
        .load(conn)?)
}

/// Units whose head has delegated to `officer_id` for `today`.
pub fn delegated_units(conn: &mut DbConn, officer_id: i64, today: NaiveDate) -> Result<Vec<i64>> {
    Ok(delegations::table
        .filter(delegations::to_officer_id.eq(officer_id))
        .filter(delegations::revoked_at.is_null())
        .filter(delegations::starts_on.le(today))
        .filter(delegations::ends_on.ge(today))
        .select(delegations::unit_id)
        .load(conn)?)
}
