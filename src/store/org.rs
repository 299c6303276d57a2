//! Organisation queries: units, officers, desks, roster.

use std::collections::HashMap;

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use super::DbConn;
use super::schema::{desks, officers, roster, units};
use crate::domain::codes;
use crate::domain::org::{DeskSpec, OfficerSpec, OrgSpec, Role, RosterSpec, UnitSpec};
use crate::domain::org_file::ImportPlan;
use crate::error::Result;
use crate::i18n::Lang;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = units)]
pub struct Unit {
    pub id: i64,
    pub code: String,
    pub name: String,
    pub kind: String,
    pub parent_id: Option<i64>,
    pub email: Option<String>,
    pub oversight_id: Option<i64>,
    pub active: bool,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub calendar: Option<String>,
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = officers)]
pub struct Officer {
    pub id: i64,
    pub code: String,
    pub name: String,
    pub title: String,
    pub email: Option<String>,
    pub unit_id: i64,
    pub role: Role,
    pub lang: Lang,
    pub active: bool,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

impl Officer {
    /// "Name — title", or the name alone.
    pub fn label(&self) -> String {
        if self.title.is_empty() { self.name.clone() } else { format!("{} — {}", self.name, self.title) }
    }
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = desks)]
pub struct Desk {
    pub id: i64,
    pub code: String,
    pub name: String,
    pub unit_id: i64,
    pub location: String,
    pub hours: String,
    pub token: String,
    pub active: bool,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = roster)]
pub struct RosterEntry {
    pub id: i64,
    pub desk_id: i64,
    pub officer_id: i64,
    pub days: String,
    pub time_range: String,
    pub from_date: Option<NaiveDate>,
    pub until_date: Option<NaiveDate>,
    pub active: bool,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

pub fn count_units(conn: &mut DbConn) -> Result<i64> {
    Ok(units::table.count().get_result(conn)?)
}

pub fn unit_by_code(conn: &mut DbConn, code: &str) -> Result<Option<Unit>> {
    Ok(units::table.filter(units::code.eq(code)).select(Unit::as_select()).first(conn).optional()?)
}

pub fn unit(conn: &mut DbConn, id: i64) -> Result<Unit> {
    Ok(units::table.find(id).select(Unit::as_select()).first(conn)?)
}

pub fn desk_by_code(conn: &mut DbConn, code: &str) -> Result<Option<Desk>> {
    Ok(desks::table.filter(desks::code.eq(code)).select(Desk::as_select()).first(conn).optional()?)
}

pub fn desk_by_token(conn: &mut DbConn, token: &str) -> Result<Option<Desk>> {
    Ok(desks::table.filter(desks::token.eq(token)).select(Desk::as_select()).first(conn).optional()?)
}

pub fn token_retired(conn: &mut DbConn, token: &str) -> Result<bool> {
    use super::schema::retired_desk_tokens;
    let n: i64 = retired_desk_tokens::table.filter(retired_desk_tokens::token.eq(token)).count().get_result(conn)?;
    Ok(n > 0)
}

/// Gives a desk a new token; the old one is kept as retired so its posters answer "replaced".
pub fn rotate_token(conn: &mut DbConn, desk_id: i64, new_token: &str, now: NaiveDateTime) -> Result<()> {
    use super::schema::retired_desk_tokens;
    let old: String = desks::table.find(desk_id).select(desks::token).first(conn)?;
    diesel::insert_into(retired_desk_tokens::table)
        .values((
            retired_desk_tokens::token.eq(&old),
            retired_desk_tokens::desk_id.eq(desk_id),
            retired_desk_tokens::retired_at.eq(now),
        ))
        .execute(conn)?;
    diesel::update(desks::table.find(desk_id))
        .set((desks::token.eq(new_token), desks::updated_at.eq(now)))
        .execute(conn)?;
    Ok(())
}

pub fn active_officers_of_unit(conn: &mut DbConn, unit_id: i64) -> Result<Vec<Officer>> {
    Ok(officers::table
        .filter(officers::unit_id.eq(unit_id))
        .filter(officers::active.eq(true))
        .order(officers::name.asc())
        .select(Officer::as_select())
        .load(conn)?)
}

/// Active roster entries of a desk with their (active) officers.
pub fn roster_for_desk(conn: &mut DbConn, desk_id: i64) -> Result<Vec<(RosterSpec, Officer)>> {
    let rows: Vec<(RosterEntry, Officer)> = roster::table
        .inner_join(officers::table)
        .filter(roster::desk_id.eq(desk_id))
        .filter(roster::active.eq(true))
        .filter(officers::active.eq(true))
        .select((RosterEntry::as_select(), Officer::as_select()))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(r, o)| {
            let spec = RosterSpec {
                desk: String::new(),
                officer: o.code.clone(),
                days: r.days,
                time: r.time_range,
                from: r.from_date,
                until: r.until_date,
                active: r.active,
            };
            (spec, o)
        })
        .collect())
}

pub fn officer_by_code(conn: &mut DbConn, code: &str) -> Result<Option<Officer>> {
    Ok(officers::table.filter(officers::code.eq(code)).select(Officer::as_select()).first(conn).optional()?)
}

/// All desks, ordered by code.
pub fn all_desks(conn: &mut DbConn) -> Result<Vec<Desk>> {
    Ok(desks::table.order(desks::code.asc()).select(Desk::as_select()).load(conn)?)
}

/// The whole organisation in the import file's shape (codes instead of ids).
pub fn snapshot(conn: &mut DbConn) -> Result<OrgSpec> {
    let us: Vec<Unit> = units::table.order(units::id).select(Unit::as_select()).load(conn)?;
    let os: Vec<Officer> = officers::table.order(officers::id).select(Officer::as_select()).load(conn)?;
    let ds: Vec<Desk> = desks::table.order(desks::id).select(Desk::as_select()).load(conn)?;
    let rs: Vec<RosterEntry> = roster::table.order(roster::id).select(RosterEntry::as_select()).load(conn)?;
    let unit_code: HashMap<i64, &str> = us.iter().map(|u| (u.id, u.code.as_str())).collect();
    let officer_code: HashMap<i64, &str> = os.iter().map(|o| (o.id, o.code.as_str())).collect();
    let desk_code: HashMap<i64, &str> = ds.iter().map(|d| (d.id, d.code.as_str())).collect();
    let code_of = |map: &HashMap<i64, &str>, id: i64| map.get(&id).map(|s| s.to_string()).unwrap_or_default();
    Ok(OrgSpec {
        units: us
            .iter()
            .map(|u| UnitSpec {
                code: u.code.clone(),
                name: u.name.clone(),
                kind: u.kind.clone(),
                parent: u.parent_id.map(|id| code_of(&unit_code, id)),
                email: u.email.clone(),
                oversight: u.oversight_id.map(|id| code_of(&unit_code, id)),
                calendar: u.calendar.clone(),
                active: u.active,
            })
            .collect(),
        officers: os
            .iter()
            .map(|o| OfficerSpec {
                code: o.code.clone(),
                name: o.name.clone(),
                title: o.title.clone(),
                email: o.email.clone(),
                unit: code_of(&unit_code, o.unit_id),
                role: o.role,
                lang: o.lang,
                active: o.active,
            })
            .collect(),
        desks: ds
            .iter()
            .map(|d| DeskSpec {
                code: d.code.clone(),
                name: d.name.clone(),
                unit: code_of(&unit_code, d.unit_id),
                location: d.location.clone(),
                hours: d.hours.clone(),
                active: d.active,
            })
            .collect(),
        roster: rs
            .iter()
            .map(|r| RosterSpec {
                desk: code_of(&desk_code, r.desk_id),
                officer: code_of(&officer_code, r.officer_id),
                days: r.days.clone(),
                time: r.time_range.clone(),
                from: r.from_date,
                until: r.until_date,
                active: r.active,
            })
            .collect(),
    })
}

/// Writes an import plan (see `domain::org_file::plan`) inside the caller's transaction.
pub fn apply(conn: &mut DbConn, plan: &ImportPlan, now: NaiveDateTime) -> Result<()> {
    // Units in two passes, so parents and oversight may be defined after the units pointing at them.
    let mut ids: HashMap<String, i64> =
        units::table.select((units::code, units::id)).load::<(String, i64)>(conn)?.into_iter().collect();
    for u in &plan.units {
        if !ids.contains_key(&u.code) {
            let id: i64 = diesel::insert_into(units::table)
                .values((
                    units::code.eq(&u.code),
                    units::name.eq(&u.name),
                    units::kind.eq(&u.kind),
                    units::active.eq(u.active),
                    units::created_at.eq(now),
                    units::updated_at.eq(now),
                ))
                .returning(units::id)
                .get_result(conn)?;
            ids.insert(u.code.clone(), id);
        }
    }
    for u in &plan.units {
        diesel::update(units::table.filter(units::code.eq(&u.code)))
            .set((
                units::name.eq(&u.name),
                units::kind.eq(&u.kind),
                units::parent_id.eq(u.parent.as_ref().map(|p| ids[p])),
                units::email.eq(&u.email),
                units::oversight_id.eq(u.oversight.as_ref().map(|p| ids[p])),
                units::calendar.eq(&u.calendar),
                units::active.eq(u.active),
                units::updated_at.eq(now),
            ))
            .execute(conn)?;
    }

    let mut officer_ids: HashMap<String, i64> =
        officers::table.select((officers::code, officers::id)).load::<(String, i64)>(conn)?.into_iter().collect();
    for o in &plan.officers {
        // The fields a file sets, written alike on insert and update.
        let fields = (
            officers::name.eq(&o.name),
            officers::title.eq(&o.title),
            officers::email.eq(&o.email),
            officers::unit_id.eq(ids[&o.unit]),
            officers::role.eq(o.role),
            officers::lang.eq(o.lang),
            officers::active.eq(o.active),
            officers::updated_at.eq(now),
        );
        if officer_ids.contains_key(&o.code) {
            diesel::update(officers::table.filter(officers::code.eq(&o.code))).set(fields).execute(conn)?;
        } else {
            let id: i64 = diesel::insert_into(officers::table)
                .values((officers::code.eq(&o.code), officers::created_at.eq(now), fields))
                .returning(officers::id)
                .get_result(conn)?;
            officer_ids.insert(o.code.clone(), id);
        }
    }

    let mut desk_ids: HashMap<String, i64> =
        desks::table.select((desks::code, desks::id)).load::<(String, i64)>(conn)?.into_iter().collect();
    let mut rng = rand::rng();
    for d in &plan.desks {
        let fields = (
            desks::name.eq(&d.name),
            desks::unit_id.eq(ids[&d.unit]),
            desks::location.eq(&d.location),
            desks::hours.eq(&d.hours),
            desks::active.eq(d.active),
            desks::updated_at.eq(now),
        );
        if desk_ids.contains_key(&d.code) {
            // The token is not part of the file: re-importing never changes a poster.
            diesel::update(desks::table.filter(desks::code.eq(&d.code))).set(fields).execute(conn)?;
        } else {
            let token = codes::new_desk_token(&mut rng);
            let id: i64 = diesel::insert_into(desks::table)
                .values((desks::code.eq(&d.code), desks::token.eq(token), desks::created_at.eq(now), fields))
                .returning(desks::id)
                .get_result(conn)?;
            desk_ids.insert(d.code.clone(), id);
        }
    }

    if !plan.roster.is_empty() {
        let existing: Vec<RosterEntry> = roster::table.select(RosterEntry::as_select()).load(conn)?;
        for r in &plan.roster {
            let (desk_id, officer_id) = (desk_ids[&r.desk], officer_ids[&r.officer]);
            let same = existing.iter().find(|e| {
                e.desk_id == desk_id
                    && e.officer_id == officer_id
                    && e.days == r.days
                    && e.time_range == r.time
                    && e.from_date == r.from
                    && e.until_date == r.until
            });
            match same {
                Some(e) => {
                    diesel::update(roster::table.find(e.id))
                        .set((roster::active.eq(r.active), roster::updated_at.eq(now)))
                        .execute(conn)?;
                }
                None => {
                    diesel::insert_into(roster::table)
                        .values((
                            roster::desk_id.eq(desk_id),
                            roster::officer_id.eq(officer_id),
                            roster::days.eq(&r.days),
                            roster::time_range.eq(&r.time),
                            roster::from_date.eq(r.from),
                            roster::until_date.eq(r.until),
                            roster::active.eq(r.active),
                            roster::created_at.eq(now),
                            roster::updated_at.eq(now),
                        ))
                        .execute(conn)?;
                }
            }
        }
    }
    Ok(())
}

/// The part of the organisation routing needs for cases starting at `units` (and concerning
/// `accused`): every unit (they are few and small), the officers of the units on the way up and
/// their oversight units, the accused, and the delegations in force `today`.
pub fn routing_view(
    conn: &mut DbConn,
    start: &[i64],
    accused: Option<i64>,
    today: NaiveDate,
) -> Result<crate::domain::routing::OrgView> {
    use crate::domain::routing::{Delegation as RDelegation, OrgView, ROfficer, RUnit};
    let all: Vec<Unit> = units::table.select(Unit::as_select()).load(conn)?;
    let by_id: HashMap<i64, &Unit> = all.iter().map(|u| (u.id, u)).collect();
    let mut starts: Vec<i64> = start.to_vec();
    if let Some(a) = accused
        && let Some(unit) = officers::table.find(a).select(officers::unit_id).first::<i64>(conn).optional()?
    {
        starts.push(unit);
    }
    // Units on the way up from each start, and up from every oversight unit met on the way.
    let mut relevant: Vec<i64> = Vec::new();
    let mut queue = starts;
    while let Some(id) = queue.pop() {
        if relevant.contains(&id) {
            continue;
        }
        relevant.push(id);
        if let Some(u) = by_id.get(&id) {
            queue.extend(u.parent_id);
            queue.extend(u.oversight_id);
        }
    }
    let mut staff: Vec<Officer> = officers::table
        .filter(officers::unit_id.eq_any(&relevant))
        .filter(officers::role.ne(Role::Staff))
        .select(Officer::as_select())
        .load(conn)?;
    if let Some(a) = accused
        && !staff.iter().any(|o| o.id == a)
        && let Some(o) = officers::table.find(a).select(Officer::as_select()).first(conn).optional()?
    {
        staff.push(o);
    }
    let delegations = super::calendars::delegations_for(conn, &relevant, today)?;
    Ok(OrgView {
        units: all
            .iter()
            .map(|u| RUnit {
                id: u.id,
                code: u.code.clone(),
                parent: u.parent_id,
                oversight: u.oversight_id,
                email: u.email.clone(),
                active: u.active,
            })
            .collect(),
        officers: staff
            .into_iter()
            .map(|o| ROfficer {
                id: o.id,
                role: o.role,
                lang: o.lang,
                code: o.code,
                unit: o.unit_id,
                email: o.email,
                active: o.active,
            })
            .collect(),
        delegations: delegations
            .into_iter()
            .map(|d| RDelegation {
                unit: d.unit_id,
                from_officer: d.from_officer_id,
                to_officer: d.to_officer_id,
                from: d.starts_on,
                until: d.ends_on,
            })
            .collect(),
    })
}

pub fn officer(conn: &mut DbConn, id: i64) -> Result<Officer> {
    Ok(officers::table.find(id).select(Officer::as_select()).first(conn)?)
}

pub fn desk(conn: &mut DbConn, id: i64) -> Result<Desk> {
    Ok(desks::table.find(id).select(Desk::as_select()).first(conn)?)
}

/// Every unit, active or not, by id.
pub fn all_units(conn: &mut DbConn) -> Result<Vec<Unit>> {
    Ok(units::table.order(units::id).select(Unit::as_select()).load(conn)?)
}

/// Every officer, active or not, by id.
pub fn all_officers(conn: &mut DbConn) -> Result<Vec<Officer>> {
    Ok(officers::table.order(officers::id).select(Officer::as_select()).load(conn)?)
}

/// Active units, by name, for the forward form.
pub fn active_units(conn: &mut DbConn) -> Result<Vec<Unit>> {
    Ok(units::table.filter(units::active.eq(true)).order(units::name.asc()).select(Unit::as_select()).load(conn)?)
}
