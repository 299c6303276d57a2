//! The email outbox: every email is a row written in the transaction of the change that causes
//! it; the mail worker claims due rows, sends them and marks the outcome.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::DbConn;
use super::schema::{outbox, outbox_attachments};
use crate::error::Result;

// NULL for absent values: fixed SQL, kept in the prepared-statement cache.
#[derive(Debug, Clone, Insertable, Queryable, Selectable)]
#[diesel(table_name = outbox, treat_none_as_default_value = false)]
pub struct NewEmail {
    pub dedupe_key: String,
    pub case_id: Option<i64>,
    pub kind: String,
    /// An address, or `vault:{case}` for the complainant (opened only when sending).
    pub recipient: String,
    pub cc: String,
    pub lang: String,
    pub subject: String,
    pub body_text: String,
    pub body_html: String,
    pub link_id: Option<i64>,
    pub link_nonce: Option<String>,
    pub not_before: NaiveDateTime,
    pub next_attempt_at: NaiveDateTime,
    pub created_at: NaiveDateTime,
}

/// A stored email: what was queued, and how sending it went.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = outbox)]
pub struct Email {
    pub id: i64,
    #[diesel(embed)]
    pub email: NewEmail,
    pub attempts: i32,
    pub claimed_until: Option<NaiveDateTime>,
    pub last_error: Option<String>,
    pub sent_at: Option<NaiveDateTime>,
    pub failed_at: Option<NaiveDateTime>,
}

impl std::ops::Deref for Email {
    type Target = NewEmail;
    fn deref(&self) -> &NewEmail {
        &self.email
    }
}

/// Queues an email unless one with the same key exists: returns whether it was queued. The
/// check and the insert run in the caller's write transaction (SQLite: the single writer;
/// PostgreSQL: the unique key settles a race by failing the later transaction).
pub fn enqueue(conn: &mut DbConn, e: &NewEmail) -> Result<bool> {
    let exists: i64 = outbox::table.filter(outbox::dedupe_key.eq(&e.dedupe_key)).count().get_result(conn)?;
    if exists > 0 {
        return Ok(false);
    }
    diesel::insert_into(outbox::table).values(e).execute(conn)?;
    Ok(true)
}

/// Claims up to `n` due emails for `lease`: each is then this worker's until the lease ends (a
/// worker that dies mid-send frees its rows when the lease runs out). On PostgreSQL concurrent
/// workers skip each other's rows (`FOR UPDATE SKIP LOCKED`).
pub fn claim(conn: &mut DbConn, now: NaiveDateTime, lease_until: NaiveDateTime, n: i64) -> Result<Vec<Email>> {
    let due = outbox::table
        .filter(outbox::sent_at.is_null())
        .filter(outbox::failed_at.is_null())
        .filter(outbox::next_attempt_at.le(now))
        .filter(outbox::not_before.le(now))
        .filter(outbox::claimed_until.is_null().or(outbox::claimed_until.lt(now)))
        .order(outbox::next_attempt_at.asc())
        .select(outbox::id)
        .limit(n);
    let ids: Vec<i64> = match conn {
        DbConn::Pg(c) => due.for_update().skip_locked().load(c)?,
        DbConn::Sqlite(c) => due.load(c)?,
    };
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    diesel::update(outbox::table.filter(outbox::id.eq_any(&ids)))
        .set((outbox::claimed_until.eq(lease_until), outbox::attempts.eq(outbox::attempts + 1)))
        .execute(conn)?;
    Ok(outbox::table.filter(outbox::id.eq_any(&ids)).order(outbox::id).select(Email::as_select()).load(conn)?)
}

pub fn mark_sent(conn: &mut DbConn, id: i64, at: NaiveDateTime) -> Result<()> {
    diesel::update(outbox::table.find(id))
        .set((
            outbox::sent_at.eq(at),
            outbox::claimed_until.eq(None::<NaiveDateTime>),
            outbox::last_error.eq(None::<String>),
        ))
        .execute(conn)?;
    Ok(())
}

/// A failed attempt: try again at `retry_at`, or give up (`failed_at`) when `retry_at` is None.
pub fn mark_failed(
    conn: &mut DbConn,
    id: i64,
    error: &str,
    retry_at: Option<NaiveDateTime>,
    now: NaiveDateTime,
) -> Result<()> {
    let q = diesel::update(outbox::table.find(id));
    match retry_at {
        Some(at) => q
            .set((
                outbox::next_attempt_at.eq(at),
                outbox::claimed_until.eq(None::<NaiveDateTime>),
                outbox::last_error.eq(error),
            ))
            .execute(conn)?,
        None => q
            .set((
                outbox::failed_at.eq(now),
                outbox::claimed_until.eq(None::<NaiveDateTime>),
                outbox::last_error.eq(error),
            ))
            .execute(conn)?,
    };
    Ok(())
}

pub fn get(conn: &mut DbConn, id: i64) -> Result<Email> {
    Ok(outbox::table.find(id).select(Email::as_select()).first(conn)?)
}

pub fn for_case(conn: &mut DbConn, case_id: i64) -> Result<Vec<Email>> {
    Ok(outbox::table.filter(outbox::case_id.eq(case_id)).order(outbox::id).select(Email::as_select()).load(conn)?)
}

/// What the outbox holds at `now`, for monitoring.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Backlog {
    /// Unsent emails whose hold has ended: being sent, waiting for a worker, or retrying after a
    /// failed attempt (a mail server down keeps them here).
    pub pending: i64,
    /// Unsent emails held until office hours begin.
    pub held: i64,
    /// Emails given up on after the last attempt (the oversight unit was alerted).
    pub failed: i64,
    /// The hold end of the longest-pending email: from then on it should have been sent.
    pub oldest_pending: Option<NaiveDateTime>,
}

pub fn backlog(conn: &mut DbConn, now: NaiveDateTime) -> Result<Backlog> {
    let unsent = || outbox::table.filter(outbox::sent_at.is_null()).filter(outbox::failed_at.is_null());
    let (pending, oldest_pending): (i64, Option<NaiveDateTime>) = unsent()
        .filter(outbox::not_before.le(now))
        .select((diesel::dsl::count_star(), diesel::dsl::min(outbox::not_before)))
        .get_result(conn)?;
    let held: i64 = unsent().filter(outbox::not_before.gt(now)).count().get_result(conn)?;
    let failed: i64 = outbox::table.filter(outbox::failed_at.is_not_null()).count().get_result(conn)?;
    Ok(Backlog { pending, held, failed, oldest_pending })
}

pub fn exists(conn: &mut DbConn, dedupe_key: &str) -> Result<bool> {
    let n: i64 = outbox::table.filter(outbox::dedupe_key.eq(dedupe_key)).count().get_result(conn)?;
    Ok(n > 0)
}

/// Inserts an email whose key the caller has just checked (see [`exists`]).
pub fn insert(conn: &mut DbConn, e: &NewEmail) -> Result<()> {
    diesel::insert_into(outbox::table).values(e).execute(conn)?;
    Ok(())
}

/// Queues an email with files, unless one with the same key exists (see [`enqueue`]): returns
/// whether it was queued.
pub fn enqueue_with(conn: &mut DbConn, e: &NewEmail, files: &[crate::mail::Attachment]) -> Result<bool> {
    if !enqueue(conn, e)? {
        return Ok(false);
    }
    let id: i64 = outbox::table.filter(outbox::dedupe_key.eq(&e.dedupe_key)).select(outbox::id).first(conn)?;
    for f in files {
        diesel::insert_into(outbox_attachments::table)
            .values((
                outbox_attachments::outbox_id.eq(id),
                outbox_attachments::filename.eq(&f.filename),
                outbox_attachments::content_type.eq(&f.content_type),
                outbox_attachments::content.eq(&f.content),
            ))
            .execute(conn)?;
    }
    Ok(true)
}

/// The files of an email.
pub fn attachments(conn: &mut DbConn, outbox_id: i64) -> Result<Vec<crate::mail::Attachment>> {
    let rows: Vec<(String, String, Vec<u8>)> = outbox_attachments::table
        .filter(outbox_attachments::outbox_id.eq(outbox_id))
        .order(outbox_attachments::filename)
        .select((outbox_attachments::filename, outbox_attachments::content_type, outbox_attachments::content))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(filename, content_type, content)| crate::mail::Attachment { filename, content_type, content })
        .collect())
}
