//! Case queries, the append-only case log and the global ledger.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::DbConn;
use super::schema::{case_contacts, case_events, cases, ledger, ledger_head};
use crate::domain::audit::{self, EventFields, LedgerFields};
use crate::error::Result;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = cases)]
pub struct Case {
    pub id: i64,
    pub receipt: String,
    pub rating_id: Option<i64>,
    pub desk_id: i64,
    pub unit_id: i64,
    pub officer_id: Option<i64>,
    pub category: String,
    pub description: Option<String>,
    pub occurred_at: Option<NaiveDateTime>,
    pub status: String,
    pub event_count: i32,
    pub last_hash: String,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = case_events)]
pub struct Event {
    pub id: i64,
    pub case_id: i64,
    pub seq: i32,
    pub at: NaiveDateTime,
    pub actor: String,
    pub kind: String,
    pub data: String,
    pub prev_hash: String,
    pub hash: String,
}

#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = cases)]
pub struct NewCase<'a> {
    pub receipt: &'a str,
    pub rating_id: Option<i64>,
    pub desk_id: i64,
    pub unit_id: i64,
    pub officer_id: Option<i64>,
    pub category: &'a str,
    pub description: Option<&'a str>,
    pub occurred_at: Option<NaiveDateTime>,
    pub status: &'a str,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

pub fn receipt_exists(conn: &mut DbConn, receipt: &str) -> Result<bool> {
    let n: i64 = cases::table.filter(cases::receipt.eq(receipt)).count().get_result(conn)?;
    Ok(n > 0)
}

pub fn insert(conn: &mut DbConn, c: &NewCase) -> Result<i64> {
    Ok(diesel::insert_into(cases::table).values(c).returning(cases::id).get_result(conn)?)
}

pub fn by_receipt(conn: &mut DbConn, receipt: &str) -> Result<Option<Case>> {
    Ok(cases::table.filter(cases::receipt.eq(receipt)).select(Case::as_select()).first(conn).optional()?)
}

pub fn get(conn: &mut DbConn, id: i64) -> Result<Case> {
    Ok(cases::table.find(id).select(Case::as_select()).first(conn)?)
}

pub fn by_rating(conn: &mut DbConn, rating_id: i64) -> Result<Option<Case>> {
    Ok(cases::table.filter(cases::rating_id.eq(rating_id)).select(Case::as_select()).first(conn).optional()?)
}

pub fn events(conn: &mut DbConn, case_id: i64) -> Result<Vec<Event>> {
    Ok(case_events::table
        .filter(case_events::case_id.eq(case_id))
        .order(case_events::seq.asc())
        .select(Event::as_select())
        .load(conn)?)
}

/// Appends one event to a case's chain and returns its hash. Bumping `event_count` first takes
/// the case row's lock, so two appenders on PostgreSQL queue instead of forking the chain.
pub fn append_event(
    conn: &mut DbConn,
    case_id: i64,
    at: NaiveDateTime,
    actor: &str,
    kind: &str,
    data: &str,
) -> Result<String> {
    let (seq, prev): (i32, String) = diesel::update(cases::table.find(case_id))
        .set((cases::event_count.eq(cases::event_count + 1), cases::updated_at.eq(at)))
        .returning((cases::event_count, cases::last_hash))
        .get_result(conn)?;
    let hash = audit::event_hash(&prev, &EventFields { case_id, seq, at, actor, kind, data });
    diesel::insert_into(case_events::table)
        .values((
            case_events::case_id.eq(case_id),
            case_events::seq.eq(seq),
            case_events::at.eq(at),
            case_events::actor.eq(actor),
            case_events::kind.eq(kind),
            case_events::data.eq(data),
            case_events::prev_hash.eq(&prev),
            case_events::hash.eq(&hash),
        ))
        .execute(conn)?;
    diesel::update(cases::table.find(case_id)).set(cases::last_hash.eq(&hash)).execute(conn)?;
    Ok(hash)
}

/// Enters a case's creation into the global ledger (serialised through the head row).
pub fn append_ledger(
    conn: &mut DbConn,
    case_id: i64,
    receipt: &str,
    at: NaiveDateTime,
    first_event: &str,
) -> Result<String> {
    let (seq, prev): (i64, String) = diesel::update(ledger_head::table.find(1))
        .set(ledger_head::seq.eq(ledger_head::seq + 1))
        .returning((ledger_head::seq, ledger_head::hash))
        .get_result(conn)?;
    let hash = audit::ledger_hash(&prev, &LedgerFields { seq, case_id, receipt, at, first_event });
    diesel::insert_into(ledger::table)
        .values((
            ledger::seq.eq(seq),
            ledger::case_id.eq(case_id),
            ledger::at.eq(at),
            ledger::prev_hash.eq(&prev),
            ledger::hash.eq(&hash),
        ))
        .execute(conn)?;
    diesel::update(ledger_head::table.find(1)).set(ledger_head::hash.eq(&hash)).execute(conn)?;
    Ok(hash)
}

pub fn insert_contact(conn: &mut DbConn, case_id: i64, sealed: &str, consent_at: NaiveDateTime) -> Result<()> {
    diesel::insert_into(case_contacts::table)
        .values((
            case_contacts::case_id.eq(case_id),
            case_contacts::sealed.eq(sealed),
            case_contacts::consent_at.eq(consent_at),
        ))
        .execute(conn)?;
    Ok(())
}

pub fn has_contact(conn: &mut DbConn, case_id: i64) -> Result<bool> {
    let n: i64 = case_contacts::table
        .filter(case_contacts::case_id.eq(case_id))
        .filter(case_contacts::sealed.is_not_null())
        .count()
        .get_result(conn)?;
    Ok(n > 0)
}

pub fn count(conn: &mut DbConn) -> Result<i64> {
    Ok(cases::table.count().get_result(conn)?)
}
