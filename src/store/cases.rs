//! Case queries, the append-only case log and the global ledger.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::DbConn;
use super::schema::{case_contacts, case_events, case_texts, cases, ledger, ledger_head};
use crate::domain::audit::{self, EventFields, LedgerFields};
use crate::domain::case::{Category, Dismissal, EventKind, Status, TextKind, Verdict};
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
    pub category: Category,
    pub description: Option<String>,
    pub occurred_at: Option<NaiveDateTime>,
    pub status: Status,
    pub event_count: i32,
    pub last_hash: String,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub handler_unit_id: Option<i64>,
    pub handler_officer_id: Option<i64>,
    pub level: i32,
    pub stage: i32,
    pub route_unit_id: Option<i64>,
    pub clock_started_at: Option<NaiveDateTime>,
    pub paused_at: Option<NaiveDateTime>,
    pub paused_seconds: i64,
    pub ack_due_at: Option<NaiveDateTime>,
    pub resolve_due_at: Option<NaiveDateTime>,
    pub next_timer_at: Option<NaiveDateTime>,
    pub notified: String,
    pub outcome: Option<Dismissal>,
    pub citizen_verdict: Option<Verdict>,
    pub closed_at: Option<NaiveDateTime>,
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = case_events)]
pub struct Event {
    pub id: i64,
    pub case_id: i64,
    pub seq: i32,
    pub at: NaiveDateTime,
    pub actor: String,
    pub kind: EventKind,
    pub data: String,
    pub prev_hash: String,
    pub hash: String,
}

// Absent values are bound as NULL rather than left out, so the statement text never varies and
// stays in the prepared-statement cache.
#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = cases, treat_none_as_default_value = false)]
pub struct NewCase<'a> {
    pub receipt: &'a str,
    pub rating_id: Option<i64>,
    pub desk_id: i64,
    pub unit_id: i64,
    pub officer_id: Option<i64>,
    pub category: Category,
    pub description: Option<&'a str>,
    pub occurred_at: Option<NaiveDateTime>,
    pub status: Status,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    /// Routed at creation: who handles it and its clocks (see [`Assign`]).
    pub handler_unit_id: Option<i64>,
    pub handler_officer_id: Option<i64>,
    pub clock_started_at: Option<NaiveDateTime>,
    pub ack_due_at: Option<NaiveDateTime>,
    pub resolve_due_at: Option<NaiveDateTime>,
    pub next_timer_at: Option<NaiveDateTime>,
}

pub fn insert(conn: &mut DbConn, c: &NewCase) -> Result<i64> {
    Ok(diesel::insert_into(cases::table).values(c).returning(cases::id).get_result(conn)?)
}

impl Case {
    /// The case's number as staff see it (see `codes::case_number`): never the receipt.
    pub fn number(&self) -> String {
        number_of(self.id, self.created_at)
    }
}

/// The number of the case with `id`, received at `created_at` (UTC).
pub fn number_of(id: i64, created_at: NaiveDateTime) -> String {
    use chrono::Datelike;
    let year = created_at.and_utc().with_timezone(&crate::domain::LOCAL_TZ).year();
    crate::domain::codes::case_number(year, id)
}

/// The case of a number as typed; `None` when no case has it (the year must match too).
pub fn by_number(conn: &mut DbConn, number: &str) -> Result<Option<Case>> {
    let Some((year, id)) = crate::domain::codes::parse_case_number(number) else { return Ok(None) };
    let case: Option<Case> = cases::table.find(id).select(Case::as_select()).first(conn).optional()?;
    Ok(case.filter(|c| c.number() == crate::domain::codes::case_number(year, id)))
}

/// Open cases nobody handles (no independent handler could be found), oldest first.
pub fn unrouted(conn: &mut DbConn) -> Result<Vec<Case>> {
    Ok(cases::table
        .filter(cases::handler_unit_id.is_null())
        .filter(cases::status.ne_all([Status::Resolved, Status::Dismissed]))
        .order(cases::id)
        .select(Case::as_select())
        .load(conn)?)
}

pub fn count_unrouted(conn: &mut DbConn) -> Result<i64> {
    Ok(cases::table
        .filter(cases::handler_unit_id.is_null())
        .filter(cases::status.ne_all([Status::Resolved, Status::Dismissed]))
        .count()
        .get_result(conn)?)
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

/// Appends one event to a case's chain and returns its hash.
pub fn append_event(
    conn: &mut DbConn,
    case_id: i64,
    at: NaiveDateTime,
    actor: &str,
    kind: EventKind,
    data: &str,
) -> Result<String> {
    Ok(append_events(conn, case_id, at, &[(actor, kind, data)])?.remove(0))
}

/// Appends events (actor, kind, data) to a case's chain, in order, and returns their hashes.
/// Bumping `event_count` first takes the case row's lock, so two appenders on PostgreSQL queue
/// instead of forking the chain.
pub fn append_events(
    conn: &mut DbConn,
    case_id: i64,
    at: NaiveDateTime,
    events: &[(&str, EventKind, &str)],
) -> Result<Vec<String>> {
    let n = events.len() as i32;
    let (count, mut prev): (i32, String) = diesel::update(cases::table.find(case_id))
        .set((cases::event_count.eq(cases::event_count + n), cases::updated_at.eq(at)))
        .returning((cases::event_count, cases::last_hash))
        .get_result(conn)?;
    let mut hashes = Vec::with_capacity(events.len());
    for (i, (actor, kind, data)) in events.iter().enumerate() {
        let seq = count - n + 1 + i as i32;
        let hash = audit::event_hash(&prev, &EventFields { case_id, seq, at, actor, kind: kind.as_str(), data });
        diesel::insert_into(case_events::table)
            .values((
                case_events::case_id.eq(case_id),
                case_events::seq.eq(seq),
                case_events::at.eq(at),
                case_events::actor.eq(*actor),
                case_events::kind.eq(*kind),
                case_events::data.eq(*data),
                case_events::prev_hash.eq(&prev),
                case_events::hash.eq(&hash),
            ))
            .execute(conn)?;
        prev = hash.clone();
        hashes.push(hash);
    }
    diesel::update(cases::table.find(case_id)).set(cases::last_hash.eq(&prev)).execute(conn)?;
    Ok(hashes)
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

/// The fields an assignment (routing, escalation, forwarding, appeal) sets; planned before the
/// transaction that writes it.
#[derive(Debug, Clone)]
pub struct Assign {
    pub handler_unit_id: i64,
    pub handler_officer_id: Option<i64>,
    pub level: i32,
    pub stage: i32,
    pub status: Status,
    pub clock_started_at: NaiveDateTime,
    pub ack_due_at: NaiveDateTime,
    pub resolve_due_at: NaiveDateTime,
    pub next_timer_at: Option<NaiveDateTime>,
}

impl Case {
    /// A case about to be inserted, for planning its routing and emails before the transaction.
    pub fn draft(
        receipt: &str,
        desk_id: i64,
        unit_id: i64,
        officer_id: Option<i64>,
        category: Category,
        now: NaiveDateTime,
    ) -> Case {
        Case {
            id: 0,
            receipt: receipt.to_string(),
            rating_id: None,
            desk_id,
            unit_id,
            officer_id,
            category,
            description: None,
            occurred_at: None,
            status: Status::Received,
            event_count: 0,
            last_hash: String::new(),
            created_at: now,
            updated_at: now,
            handler_unit_id: None,
            handler_officer_id: None,
            level: 0,
            stage: 0,
            route_unit_id: None,
            clock_started_at: None,
            paused_at: None,
            paused_seconds: 0,
            ack_due_at: None,
            resolve_due_at: None,
            next_timer_at: None,
            notified: String::new(),
            outcome: None,
            citizen_verdict: None,
            closed_at: None,
        }
    }
}

pub fn assign(conn: &mut DbConn, id: i64, a: &Assign) -> Result<()> {
    diesel::update(cases::table.find(id))
        .set((
            cases::handler_unit_id.eq(a.handler_unit_id),
            cases::handler_officer_id.eq(a.handler_officer_id),
            cases::level.eq(a.level),
            cases::stage.eq(a.stage),
            cases::status.eq(a.status),
            cases::clock_started_at.eq(a.clock_started_at),
            cases::paused_at.eq(None::<NaiveDateTime>),
            cases::paused_seconds.eq(0i64),
            cases::ack_due_at.eq(a.ack_due_at),
            cases::resolve_due_at.eq(a.resolve_due_at),
            cases::next_timer_at.eq(a.next_timer_at),
            cases::notified.eq(""),
            cases::updated_at.eq(a.clock_started_at),
        ))
        .execute(conn)?;
    Ok(())
}

pub fn set_status(conn: &mut DbConn, id: i64, status: Status, now: NaiveDateTime) -> Result<()> {
    diesel::update(cases::table.find(id)).set((cases::status.eq(status), cases::updated_at.eq(now))).execute(conn)?;
    Ok(())
}

/// Resolved or dismissed: the answer (or reason), the outcome, no more timers.
pub fn close(
    conn: &mut DbConn,
    id: i64,
    status: Status,
    answer: &str,
    outcome: Option<Dismissal>,
    now: NaiveDateTime,
) -> Result<()> {
    add_text(conn, id, TextKind::Answer, answer, now)?;
    diesel::update(cases::table.find(id))
        .set((
            cases::status.eq(status),
            cases::outcome.eq(outcome),
            cases::closed_at.eq(now),
            cases::next_timer_at.eq(None::<NaiveDateTime>),
            cases::paused_at.eq(None::<NaiveDateTime>),
            cases::updated_at.eq(now),
        ))
        .execute(conn)?;
    Ok(())
}

pub fn reopen(conn: &mut DbConn, id: i64, now: NaiveDateTime) -> Result<()> {
    diesel::update(cases::table.find(id))
        .set((
            cases::status.eq(Status::Reopened),
            cases::closed_at.eq(None::<NaiveDateTime>),
            cases::updated_at.eq(now),
        ))
        .execute(conn)?;
    // Open again: the contact details are kept until it closes anew.
    diesel::update(case_contacts::table.find(id).filter(case_contacts::erased_at.is_null()))
        .set(case_contacts::erase_after.eq(None::<NaiveDateTime>))
        .execute(conn)?;
    Ok(())
}

/// Waiting for the citizen: the clocks stop.
pub fn pause(conn: &mut DbConn, id: i64, question: &str, now: NaiveDateTime) -> Result<()> {
    add_text(conn, id, TextKind::Question, question, now)?;
    diesel::update(cases::table.find(id))
        .set((
            cases::status.eq(Status::WaitingCitizen),
            cases::paused_at.eq(now),
            cases::next_timer_at.eq(None::<NaiveDateTime>),
            cases::updated_at.eq(now),
        ))
        .execute(conn)?;
    Ok(())
}

/// The citizen answered: the clocks run again, later by the working time spent waiting.
pub fn resume(
    conn: &mut DbConn,
    id: i64,
    status: Status,
    reply: &str,
    paused_seconds: i64,
    now: NaiveDateTime,
) -> Result<()> {
    add_text(conn, id, TextKind::Reply, reply, now)?;
    diesel::update(cases::table.find(id))
        .set((
            cases::status.eq(status),
            cases::paused_at.eq(None::<NaiveDateTime>),
            cases::paused_seconds.eq(cases::paused_seconds + paused_seconds),
            cases::updated_at.eq(now),
        ))
        .execute(conn)?;
    Ok(())
}

pub fn set_route_unit(conn: &mut DbConn, id: i64, unit_id: i64) -> Result<()> {
    diesel::update(cases::table.find(id)).set(cases::route_unit_id.eq(unit_id)).execute(conn)?;
    Ok(())
}

pub fn add_text(conn: &mut DbConn, case_id: i64, kind: TextKind, body: &str, now: NaiveDateTime) -> Result<()> {
    diesel::insert_into(case_texts::table)
        .values((
            case_texts::case_id.eq(case_id),
            case_texts::kind.eq(kind),
            case_texts::body.eq(body),
            case_texts::created_at.eq(now),
        ))
        .execute(conn)?;
    Ok(())
}

/// The latest text of a kind.
pub fn latest_text(conn: &mut DbConn, case_id: i64, kind: TextKind) -> Result<Option<(String, NaiveDateTime)>> {
    Ok(case_texts::table
        .filter(case_texts::case_id.eq(case_id))
        .filter(case_texts::kind.eq(kind))
        .order(case_texts::id.desc())
        .select((case_texts::body, case_texts::created_at))
        .first(conn)
        .optional()?)
}

/// All texts of a case, oldest first: (kind, body, when).
pub fn texts(conn: &mut DbConn, case_id: i64) -> Result<Vec<(TextKind, String, NaiveDateTime)>> {
    Ok(case_texts::table
        .filter(case_texts::case_id.eq(case_id))
        .order(case_texts::id.asc())
        .select((case_texts::kind, case_texts::body, case_texts::created_at))
        .load(conn)?)
}

pub fn set_verdict(conn: &mut DbConn, id: i64, verdict: Verdict, now: NaiveDateTime) -> Result<()> {
    diesel::update(cases::table.find(id))
        .set((cases::citizen_verdict.eq(verdict), cases::updated_at.eq(now)))
        .execute(conn)?;
    Ok(())
}

pub fn set_dues(conn: &mut DbConn, id: i64, ack_due: NaiveDateTime, resolve_due: NaiveDateTime) -> Result<()> {
    diesel::update(cases::table.find(id))
        .set((cases::ack_due_at.eq(ack_due), cases::resolve_due_at.eq(resolve_due)))
        .execute(conn)?;
    Ok(())
}

pub fn set_next_timer(conn: &mut DbConn, id: i64, at: Option<NaiveDateTime>) -> Result<()> {
    diesel::update(cases::table.find(id)).set(cases::next_timer_at.eq(at)).execute(conn)?;
    Ok(())
}

pub fn mark_notified(conn: &mut DbConn, id: i64, what: &str) -> Result<()> {
    let current: String = cases::table.find(id).select(cases::notified).first(conn)?;
    let next = if current.is_empty() { what.to_string() } else { format!("{current},{what}") };
    diesel::update(cases::table.find(id)).set(cases::notified.eq(next)).execute(conn)?;
    Ok(())
}

/// Cases whose timer is due, oldest first: an index range scan on `next_timer_at`. On
/// PostgreSQL the rows are locked and other schedulers skip them until this transaction ends.
pub fn claim_due(conn: &mut DbConn, now: NaiveDateTime, n: i64) -> Result<Vec<i64>> {
    let q =
        cases::table.filter(cases::next_timer_at.le(now)).order(cases::next_timer_at.asc()).select(cases::id).limit(n);
    Ok(match conn {
        DbConn::Pg(c) => q.for_update().skip_locked().load(c)?,
        DbConn::Sqlite(c) => q.load(c)?,
    })
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = case_contacts)]
pub struct Contact {
    pub case_id: i64,
    pub sealed: Option<String>,
    pub consent_at: NaiveDateTime,
    pub erase_after: Option<NaiveDateTime>,
    pub erased_at: Option<NaiveDateTime>,
}

pub fn contact(conn: &mut DbConn, case_id: i64) -> Result<Option<Contact>> {
    Ok(case_contacts::table.find(case_id).select(Contact::as_select()).first(conn).optional()?)
}

pub fn schedule_erasure(conn: &mut DbConn, case_id: i64, at: NaiveDateTime) -> Result<()> {
    diesel::update(case_contacts::table.find(case_id).filter(case_contacts::erased_at.is_null()))
        .set(case_contacts::erase_after.eq(at))
        .execute(conn)?;
    Ok(())
}

/// Erases a case's contact details; false when there were none left.
pub fn erase_contact(conn: &mut DbConn, case_id: i64, now: NaiveDateTime) -> Result<bool> {
    let n = diesel::update(case_contacts::table.find(case_id).filter(case_contacts::sealed.is_not_null()))
        .set((case_contacts::sealed.eq(None::<String>), case_contacts::erased_at.eq(now)))
        .execute(conn)?;
    Ok(n > 0)
}

pub fn contacts_to_erase(conn: &mut DbConn, now: NaiveDateTime) -> Result<Vec<i64>> {
    Ok(case_contacts::table
        .filter(case_contacts::sealed.is_not_null())
        .filter(case_contacts::erase_after.le(now))
        .select(case_contacts::case_id)
        .load(conn)?)
}
