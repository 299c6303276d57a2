//! Working-time calendars imported by administrators, and delegations between heads and deputies.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use super::DbConn;
use super::schema::{calendars, delegations, officers, units};
use crate::error::Result;

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
