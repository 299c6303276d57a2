//! The staff console's tables: accounts, passwords, one-time sign-in links, sessions, the admin
//! audit chain, and the case inbox's queries.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::DbConn;
use super::schema::{
    cases, org_edits, report_links, staff_accounts, staff_audit, staff_audit_head, staff_passwords, staff_sessions,
    staff_signins,
};
use crate::domain::access::StaffRole;
use crate::domain::audit::{StaffFields, staff_hash};
use crate::domain::case::{Category, Status};
use crate::error::Result;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = staff_accounts)]
pub struct Account {
    pub id: i64,
    pub email: String,
    pub role: StaffRole,
    pub unit_id: Option<i64>,
    pub officer_id: Option<i64>,
    pub created_at: NaiveDateTime,
    pub disabled_at: Option<NaiveDateTime>,
}

pub fn add_account(
    c: &mut DbConn,
    email: &str,
    role: StaffRole,
    unit_id: Option<i64>,
    officer_id: Option<i64>,
    now: NaiveDateTime,
) -> Result<i64> {
    Ok(diesel::insert_into(staff_accounts::table)
        .values((
            staff_accounts::email.eq(email),
            staff_accounts::role.eq(role),
            staff_accounts::unit_id.eq(unit_id),
            staff_accounts::officer_id.eq(officer_id),
            staff_accounts::created_at.eq(now),
        ))
        .returning(staff_accounts::id)
        .get_result(c)?)
}

pub fn accounts(c: &mut DbConn) -> Result<Vec<Account>> {
    Ok(staff_accounts::table.order(staff_accounts::id).select(Account::as_select()).load(c)?)
}

pub fn accounts_of(c: &mut DbConn, email: &str) -> Result<Vec<Account>> {
    Ok(staff_accounts::table
        .filter(staff_accounts::email.eq(email))
        .filter(staff_accounts::disabled_at.is_null())
        .order(staff_accounts::id)
        .select(Account::as_select())
        .load(c)?)
}

pub fn account(c: &mut DbConn, id: i64) -> Result<Option<Account>> {
    Ok(staff_accounts::table.find(id).select(Account::as_select()).first(c).optional()?)
}

/// Returns whether an active account was disabled.
pub fn disable_account(c: &mut DbConn, id: i64, now: NaiveDateTime) -> Result<bool> {
    let n = diesel::update(staff_accounts::table.find(id).filter(staff_accounts::disabled_at.is_null()))
        .set(staff_accounts::disabled_at.eq(now))
        .execute(c)?;
    Ok(n == 1)
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = staff_passwords)]
pub struct Password {
    pub email: String,
    pub hash: String,
    pub failures: i32,
    pub locked_until: Option<NaiveDateTime>,
    pub updated_at: NaiveDateTime,
}

pub fn password(c: &mut DbConn, email: &str) -> Result<Option<Password>> {
    Ok(staff_passwords::table.find(email).select(Password::as_select()).first(c).optional()?)
}

pub fn set_password(c: &mut DbConn, email: &str, hash: &str, now: NaiveDateTime) -> Result<()> {
    diesel::delete(staff_passwords::table.find(email)).execute(c)?;
    diesel::insert_into(staff_passwords::table)
        .values((
            staff_passwords::email.eq(email),
            staff_passwords::hash.eq(hash),
            staff_passwords::failures.eq(0),
            staff_passwords::updated_at.eq(now),
        ))
        .execute(c)?;
    Ok(())
}

pub fn password_outcome(c: &mut DbConn, email: &str, failures: i32, locked_until: Option<NaiveDateTime>) -> Result<()> {
    diesel::update(staff_passwords::table.find(email))
        .set((staff_passwords::failures.eq(failures), staff_passwords::locked_until.eq(locked_until)))
        .execute(c)?;
    Ok(())
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = staff_signins)]
pub struct Signin {
    pub id: i64,
    pub token_hash: String,
    pub email: String,
    pub expires_at: NaiveDateTime,
    pub used_at: Option<NaiveDateTime>,
    pub created_at: NaiveDateTime,
}

pub fn add_signin(
    c: &mut DbConn,
    token_hash: &str,
    email: &str,
    expires: NaiveDateTime,
    now: NaiveDateTime,
) -> Result<i64> {
    Ok(diesel::insert_into(staff_signins::table)
        .values((
            staff_signins::token_hash.eq(token_hash),
            staff_signins::email.eq(email),
            staff_signins::expires_at.eq(expires),
            staff_signins::created_at.eq(now),
        ))
        .returning(staff_signins::id)
        .get_result(c)?)
}

pub fn signin(c: &mut DbConn, token_hash: &str) -> Result<Option<Signin>> {
    Ok(staff_signins::table
        .filter(staff_signins::token_hash.eq(token_hash))
        .select(Signin::as_select())
        .first(c)
        .optional()?)
}

/// Uses a sign-in link: true only for the one caller that found it unused.
pub fn use_signin(c: &mut DbConn, id: i64, now: NaiveDateTime) -> Result<bool> {
    let n = diesel::update(staff_signins::table.find(id).filter(staff_signins::used_at.is_null()))
        .set(staff_signins::used_at.eq(now))
        .execute(c)?;
    Ok(n == 1)
}

/// Sign-in links asked for an address since `since` (the per-address throttle).
pub fn signins_since(c: &mut DbConn, email: &str, since: NaiveDateTime) -> Result<i64> {
    Ok(staff_signins::table
        .filter(staff_signins::email.eq(email))
        .filter(staff_signins::created_at.ge(since))
        .count()
        .get_result(c)?)
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = staff_sessions)]
pub struct Session {
    pub id: i64,
    pub token_hash: String,
    pub email: String,
    pub officer_id: Option<i64>,
    pub account_id: Option<i64>,
    pub created_at: NaiveDateTime,
    pub last_seen_at: NaiveDateTime,
    pub expires_at: NaiveDateTime,
    pub revoked_at: Option<NaiveDateTime>,
}

/// Who a session is: an officer of the file (head, deputy) or an account.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Who {
    Officer(i64),
    Account(i64),
}

pub fn add_session(
    c: &mut DbConn,
    token_hash: &str,
    email: &str,
    who: Who,
    expires: NaiveDateTime,
    now: NaiveDateTime,
) -> Result<i64> {
    let (officer, account) = match who {
        Who::Officer(o) => (Some(o), None),
        Who::Account(a) => (None, Some(a)),
    };
    Ok(diesel::insert_into(staff_sessions::table)
        .values((
            staff_sessions::token_hash.eq(token_hash),
            staff_sessions::email.eq(email),
            staff_sessions::officer_id.eq(officer),
            staff_sessions::account_id.eq(account),
            staff_sessions::created_at.eq(now),
            staff_sessions::last_seen_at.eq(now),
            staff_sessions::expires_at.eq(expires),
        ))
        .returning(staff_sessions::id)
        .get_result(c)?)
}

pub fn session(c: &mut DbConn, token_hash: &str) -> Result<Option<Session>> {
    Ok(staff_sessions::table
        .filter(staff_sessions::token_hash.eq(token_hash))
        .select(Session::as_select())
        .first(c)
        .optional()?)
}

pub fn touch_session(c: &mut DbConn, id: i64, now: NaiveDateTime) -> Result<()> {
    diesel::update(staff_sessions::table.find(id)).set(staff_sessions::last_seen_at.eq(now)).execute(c)?;
    Ok(())
}

pub fn revoke_session(c: &mut DbConn, id: i64, now: NaiveDateTime) -> Result<()> {
    diesel::update(staff_sessions::table.find(id).filter(staff_sessions::revoked_at.is_null()))
        .set(staff_sessions::revoked_at.eq(now))
        .execute(c)?;
    Ok(())
}

/// Ends every session of an address; returns how many were open.
pub fn revoke_sessions_of(c: &mut DbConn, email: &str, now: NaiveDateTime) -> Result<usize> {
    Ok(diesel::update(
        staff_sessions::table.filter(staff_sessions::email.eq(email)).filter(staff_sessions::revoked_at.is_null()),
    )
    .set(staff_sessions::revoked_at.eq(now))
    .execute(c)?)
}

/// Ends every session of an officer (an org import replaced them as head).
pub fn revoke_sessions_of_officer(c: &mut DbConn, officer_id: i64, now: NaiveDateTime) -> Result<usize> {
    Ok(diesel::update(
        staff_sessions::table
            .filter(staff_sessions::officer_id.eq(officer_id))
            .filter(staff_sessions::revoked_at.is_null()),
    )
    .set(staff_sessions::revoked_at.eq(now))
    .execute(c)?)
}

/// Ends every session of an account (disabled).
pub fn revoke_sessions_of_account(c: &mut DbConn, account_id: i64, now: NaiveDateTime) -> Result<usize> {
    Ok(diesel::update(
        staff_sessions::table
            .filter(staff_sessions::account_id.eq(account_id))
            .filter(staff_sessions::revoked_at.is_null()),
    )
    .set(staff_sessions::revoked_at.eq(now))
    .execute(c)?)
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = staff_audit)]
pub struct AuditEntry {
    pub seq: i64,
    pub at: NaiveDateTime,
    pub actor: String,
    pub action: String,
    pub detail: String,
    pub prev_hash: String,
    pub hash: String,
}

/// Appends to the admin audit chain (serialised through the head row, as the case ledger is).
pub fn audit(c: &mut DbConn, at: NaiveDateTime, actor: &str, action: &str, detail: &str) -> Result<String> {
    let (seq, prev): (i64, String) = diesel::update(staff_audit_head::table.find(1))
        .set(staff_audit_head::seq.eq(staff_audit_head::seq + 1))
        .returning((staff_audit_head::seq, staff_audit_head::hash))
        .get_result(c)?;
    let hash = staff_hash(&prev, &StaffFields { seq, at, actor, action, detail });
    diesel::insert_into(staff_audit::table)
        .values((
            staff_audit::seq.eq(seq),
            staff_audit::at.eq(at),
            staff_audit::actor.eq(actor),
            staff_audit::action.eq(action),
            staff_audit::detail.eq(detail),
            staff_audit::prev_hash.eq(&prev),
            staff_audit::hash.eq(&hash),
        ))
        .execute(c)?;
    diesel::update(staff_audit_head::table.find(1)).set(staff_audit_head::hash.eq(&hash)).execute(c)?;
    Ok(hash)
}

/// The whole chain, oldest first (for `audit verify`).
pub fn audit_all(c: &mut DbConn) -> Result<Vec<AuditEntry>> {
    Ok(staff_audit::table.order(staff_audit::seq).select(AuditEntry::as_select()).load(c)?)
}

pub fn audit_head(c: &mut DbConn) -> Result<(i64, String)> {
    Ok(staff_audit_head::table.find(1).select((staff_audit_head::seq, staff_audit_head::hash)).first(c)?)
}

/// A page of the chain, newest first.
pub fn audit_page(c: &mut DbConn, before: Option<i64>, n: i64) -> Result<Vec<AuditEntry>> {
    let mut q = staff_audit::table.order(staff_audit::seq.desc()).limit(n).select(AuditEntry::as_select()).into_boxed();
    if let Some(b) = before {
        q = q.filter(staff_audit::seq.lt(b));
    }
    Ok(q.load(c)?)
}

/// A case as the inbox lists it.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = cases)]
pub struct InboxRow {
    pub id: i64,
    pub desk_id: i64,
    pub unit_id: i64,
    pub officer_id: Option<i64>,
    pub category: Category,
    pub status: Status,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub handler_unit_id: Option<i64>,
    pub handler_officer_id: Option<i64>,
    pub level: i32,
    pub ack_due_at: Option<NaiveDateTime>,
    pub resolve_due_at: Option<NaiveDateTime>,
}

/// Which cases to read: the scope (as SQL) and the filters that SQL applies.
#[derive(Debug, Clone, Default)]
pub struct InboxQuery {
    /// `None`: every unit; otherwise cases whose desk's unit or handling unit is one of these…
    pub units: Option<Vec<i64>>,
    /// …or handled by this officer.
    pub assigned_to: Option<i64>,
    /// Never cases about this officer.
    pub not_about: Option<i64>,
    pub statuses: Option<Vec<Status>>,
    pub category: Option<Category>,
    /// Desk's unit among these (a unit filter, its subtree).
    pub in_units: Option<Vec<i64>>,
    pub desk: Option<i64>,
    /// Received in [from, until).
    pub received: Option<(NaiveDateTime, NaiveDateTime)>,
    /// Match units without their indexes, so a page in time order walks the time index and stops
    /// after a page (with a wide scope, the unit indexes would gather and sort every match).
    pub walk_by_time: bool,
}

type Where<DB> = Box<dyn BoxableExpression<cases::table, DB, SqlType = diesel::sql_types::Bool>>;

/// The inbox's WHERE clause, for either backend.
macro_rules! inbox_where {
    ($f:expr, $db:ty) => {{
        let f: &InboxQuery = $f;
        let mut w: Where<$db> = Box::new(diesel::dsl::sql::<diesel::sql_types::Bool>("1 = 1"));
        if let Some(units) = &f.units {
            // `x + 0` is the same value without the index on `x`.
            let by_unit: Box<dyn BoxableExpression<cases::table, $db, SqlType = diesel::sql_types::Bool>> =
                if f.walk_by_time {
                    Box::new(
                        (cases::unit_id + 0i64)
                            .eq_any(units.clone())
                            .or((cases::handler_unit_id + 0i64).eq_any(units.clone()).assume_not_null()),
                    )
                } else {
                    Box::new(
                        cases::unit_id
                            .eq_any(units.clone())
                            .or(cases::handler_unit_id.eq_any(units.clone()).assume_not_null()),
                    )
                };
            w = match f.assigned_to {
                Some(me) => Box::new(w.and(by_unit.or(cases::handler_officer_id.eq(me).assume_not_null()))),
                None => Box::new(w.and(by_unit)),
            };
        }
        if let Some(me) = f.not_about {
            w = Box::new(w.and(cases::officer_id.is_null().or(cases::officer_id.ne(me).assume_not_null())));
        }
        if let Some(s) = &f.statuses {
            w = if f.walk_by_time {
                // `x || ''`: the same text without the status indexes (see `walk_by_time`).
                let codes: Vec<&'static str> = s.iter().map(|s| s.as_str()).collect();
                Box::new(w.and(cases::status.concat("").eq_any(codes)))
            } else {
                Box::new(w.and(cases::status.eq_any(s.clone())))
            };
        }
        if let Some(cat) = f.category {
            w = Box::new(w.and(cases::category.eq(cat)));
        }
        if let Some(u) = &f.in_units {
            w = Box::new(w.and(cases::unit_id.eq_any(u.clone())));
        }
        if let Some(d) = f.desk {
            w = Box::new(w.and(cases::desk_id.eq(d)));
        }
        if let Some((a, b)) = f.received {
            w = Box::new(w.and(cases::created_at.ge(a)).and(cases::created_at.lt(b)));
        }
        w
    }};
}

/// Every case matching, light columns only (the open ones are few; the service sorts them by
/// urgency).
pub fn inbox_rows(c: &mut DbConn, f: &InboxQuery) -> Result<Vec<InboxRow>> {
    Ok(match c {
        DbConn::Sqlite(c) => {
            cases::table.filter(inbox_where!(f, diesel::sqlite::Sqlite)).select(InboxRow::as_select()).load(c)?
        }
        DbConn::Pg(c) => cases::table.filter(inbox_where!(f, diesel::pg::Pg)).select(InboxRow::as_select()).load(c)?,
    })
}

/// A page of matching cases, most recently changed first (closed cases are many).
pub fn inbox_page(c: &mut DbConn, f: &InboxQuery, offset: i64, n: i64) -> Result<Vec<InboxRow>> {
    Ok(match c {
        DbConn::Sqlite(c) => {
            let q = cases::table.filter(inbox_where!(f, diesel::sqlite::Sqlite));
            q.order((cases::updated_at.desc(), cases::id.desc()))
                .offset(offset)
                .limit(n)
                .select(InboxRow::as_select())
                .load(c)?
        }
        DbConn::Pg(c) => {
            let q = cases::table.filter(inbox_where!(f, diesel::pg::Pg));
            q.order((cases::updated_at.desc(), cases::id.desc()))
                .offset(offset)
                .limit(n)
                .select(InboxRow::as_select())
                .load(c)?
        }
    })
}

/// How many matching cases have each status.
pub fn inbox_counts(c: &mut DbConn, f: &InboxQuery) -> Result<Vec<(Status, i64)>> {
    use diesel::dsl::count_star;
    Ok(match c {
        DbConn::Sqlite(c) => {
            let q = cases::table.filter(inbox_where!(f, diesel::sqlite::Sqlite));
            q.group_by(cases::status).select((cases::status, count_star())).load(c)?
        }
        DbConn::Pg(c) => {
            let q = cases::table.filter(inbox_where!(f, diesel::pg::Pg));
            q.group_by(cases::status).select((cases::status, count_star())).load(c)?
        }
    })
}

/// An organisation change made on the console, not yet settled by an import.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = org_edits)]
pub struct OrgEdit {
    pub id: i64,
    pub kind: String,
    pub code: String,
    pub field: String,
    pub value: String,
    pub actor: String,
    pub at: NaiveDateTime,
    pub settled_at: Option<NaiveDateTime>,
}

pub fn add_org_edit(
    c: &mut DbConn,
    kind: &str,
    code: &str,
    field: &str,
    value: &str,
    actor: &str,
    at: NaiveDateTime,
) -> Result<()> {
    diesel::insert_into(org_edits::table)
        .values((
            org_edits::kind.eq(kind),
            org_edits::code.eq(code),
            org_edits::field.eq(field),
            org_edits::value.eq(value),
            org_edits::actor.eq(actor),
            org_edits::at.eq(at),
        ))
        .execute(c)?;
    Ok(())
}

/// Unsettled console edits, oldest first.
pub fn open_org_edits(c: &mut DbConn) -> Result<Vec<OrgEdit>> {
    Ok(org_edits::table
        .filter(org_edits::settled_at.is_null())
        .order(org_edits::id)
        .select(OrgEdit::as_select())
        .load(c)?)
}

pub fn settle_org_edits(c: &mut DbConn, at: NaiveDateTime) -> Result<usize> {
    Ok(diesel::update(org_edits::table.filter(org_edits::settled_at.is_null()))
        .set(org_edits::settled_at.eq(at))
        .execute(c)?)
}

/// Sessions of officers (heads, deputies) still open: (session id, officer id, email).
pub fn officer_sessions(c: &mut DbConn) -> Result<Vec<(i64, i64, String)>> {
    let rows: Vec<(i64, Option<i64>, String)> = staff_sessions::table
        .filter(staff_sessions::revoked_at.is_null())
        .filter(staff_sessions::officer_id.is_not_null())
        .select((staff_sessions::id, staff_sessions::officer_id, staff_sessions::email))
        .load(c)?;
    Ok(rows.into_iter().filter_map(|(id, o, e)| o.map(|o| (id, o, e))).collect())
}

/// Report links made for a person, still valid: (link id, unit id, officer id).
pub fn personal_report_links(c: &mut DbConn) -> Result<Vec<(i64, Option<i64>, i64)>> {
    let rows: Vec<(i64, Option<i64>, Option<i64>)> = report_links::table
        .filter(report_links::revoked_at.is_null())
        .filter(report_links::officer_id.is_not_null())
        .select((report_links::id, report_links::unit_id, report_links::officer_id))
        .load(c)?;
    Ok(rows.into_iter().filter_map(|(id, u, o)| o.map(|o| (id, u, o))).collect())
}

pub fn revoke_report_link(c: &mut DbConn, id: i64, at: NaiveDateTime) -> Result<()> {
    diesel::update(report_links::table.find(id).filter(report_links::revoked_at.is_null()))
        .set(report_links::revoked_at.eq(at))
        .execute(c)?;
    Ok(())
}
