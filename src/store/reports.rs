//! The reports' queries besides the rollups: the cases and log entries of a period, the files
//! handled, the raw rows the integrity signals look at, the ledger head, report links and runs.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::DbConn;
use super::schema::{
    case_events, cases, desks, files_handled, files_handled_log, ledger, officers, ratings, report_link_uses,
    report_links, report_runs, units,
};
use crate::domain::case::{Category, EventKind, Status};
use crate::error::Result;

/// A case as the reports need it (no description, no receipt).
#[derive(Debug, Clone, Queryable)]
pub struct CaseRow {
    pub id: i64,
    pub desk_id: i64,
    pub unit_id: i64,
    pub officer_id: Option<i64>,
    pub category: Category,
    pub created_at: NaiveDateTime,
    pub handler_unit_id: Option<i64>,
}

/// Cases about `units` that can matter for a period `[start, end)`: received before its end, and
/// either touched since its start or still open (a case untouched since before the period and
/// closed then plays no part). In id order.
///
/// Two disjoint queries, each led by its own index (`cases_updated`, `cases_status`), instead of
/// one with `OR`: SQLite scans the whole table for the `OR` (22 MB of descriptions at 50,000
/// cases, ~40 ms; the two searches ~17 ms, BENCHMARKS.md).
pub fn cases_for_period(
    conn: &mut DbConn,
    units: Option<&[i64]>,
    start: NaiveDateTime,
    end: NaiveDateTime,
) -> Result<Vec<CaseRow>> {
    // Open as the domain says: every status that is not a closing.
    let open: Vec<&str> = Status::ALL.iter().filter(|s| !s.is_closed()).map(|s| s.as_str()).collect();
    let query = || {
        let q = cases::table
            .filter(cases::created_at.lt(end))
            .select((
                cases::id,
                cases::desk_id,
                cases::unit_id,
                cases::officer_id,
                cases::category,
                cases::created_at,
                cases::handler_unit_id,
            ))
            .into_boxed();
        match units {
            Some(u) => q.filter(cases::unit_id.eq_any(u.to_vec())),
            None => q,
        }
    };
    let mut rows: Vec<CaseRow> = query().filter(cases::updated_at.ge(start)).load(conn)?;
    rows.extend(query().filter(cases::updated_at.lt(start)).filter(cases::status.eq_any(open)).load::<CaseRow>(conn)?);
    rows.sort_unstable_by_key(|c| c.id);
    Ok(rows)
}

/// A log entry as the reports replay it.
#[derive(Debug, Clone, Queryable)]
pub struct EventRow {
    pub case_id: i64,
    pub at: NaiveDateTime,
    pub kind: EventKind,
    /// The entry's data (JSON) where the replay reads it: assignments (deadlines), missed
    /// deadlines (which), a citizen's reply (time paused). `None` for the other kinds.
    pub data: Option<String>,
}

/// An [`EventRow`] with its time as SQLite keeps it.
type SqliteEventRow = (i64, String, EventKind, Option<String>);

/// The kinds the replay acts on; the others (reminders, explanations, requests) change nothing.
const REPLAYED: [&str; 15] = [
    "received",
    "routed",
    "escalated",
    "forwarded",
    "reopened",
    "assigned",
    "deadline_missed",
    "overdue_at_top",
    "acknowledged",
    "info_requested",
    "citizen_replied",
    "resolved",
    "dismissed",
    "citizen_satisfied",
    "citizen_not_satisfied",
];

/// The log entries of `case_ids` before `end` that the replay acts on, in log order, with their
/// data only where the replay reads it (a month's log is megabytes of JSON, mostly routing
/// reasons and receipts; reading and parsing all of it was a third of a report).
pub fn events_before(conn: &mut DbConn, case_ids: &[i64], end: NaiveDateTime) -> Result<Vec<EventRow>> {
    use diesel::dsl::sql;
    use diesel::sql_types::{Nullable, Text};
    const DATA: &str = "CASE WHEN kind IN ('routed', 'escalated', 'forwarded', 'reopened', 'assigned', \
                        'deadline_missed', 'overdue_at_top', 'citizen_replied') THEN data END";
    let mut out = Vec::new();
    // In chunks: a bound list per statement stays well under every backend's limit.
    for chunk in case_ids.chunks(5_000) {
        let q = case_events::table
            .filter(case_events::case_id.eq_any(chunk.to_vec()))
            .filter(case_events::at.lt(end))
            .filter(case_events::kind.eq_any(REPLAYED))
            .order((case_events::case_id, case_events::seq));
        match conn {
            // SQLite keeps times as text: read by hand (`sqlite_time`), as for the signals.
            DbConn::Sqlite(c) => {
                let rows: Vec<SqliteEventRow> = q
                    .select((case_events::case_id, sql::<Text>("at"), case_events::kind, sql::<Nullable<Text>>(DATA)))
                    .load(c)?;
                for (case_id, at, kind, data) in rows {
                    let at = sqlite_time(&at).ok_or_else(|| {
                        crate::error::Error::Connection(format!("a log time the reports cannot read: {at:?}"))
                    })?;
                    out.push(EventRow { case_id, at, kind, data });
                }
            }
            DbConn::Pg(c) => out.extend(
                q.select((case_events::case_id, case_events::at, case_events::kind, sql::<Nullable<Text>>(DATA)))
                    .load::<EventRow>(c)?,
            ),
        }
    }
    Ok(out)
}

/// The last ledger entry before `end`: (seq, hash, at).
pub fn ledger_head_before(conn: &mut DbConn, end: NaiveDateTime) -> Result<Option<(i64, String, NaiveDateTime)>> {
    Ok(ledger::table
        .filter(ledger::at.lt(end))
        .order(ledger::seq.desc())
        .select((ledger::seq, ledger::hash, ledger::at))
        .first(conn)
        .optional()?)
}

/// Files handled per desk for months `from..=to` (yyyymm): (desk, month, files).
pub fn files(conn: &mut DbConn, from: i32, to: i32) -> Result<Vec<(i64, i32, i64)>> {
    Ok(files_handled::table
        .filter(files_handled::month.ge(from))
        .filter(files_handled::month.le(to))
        .select((files_handled::desk_id, files_handled::month, files_handled::files))
        .load(conn)?)
}

/// Sets the files a desk handled in a month, keeping the change in the log; returns the value it
/// replaced.
pub fn set_files(
    conn: &mut DbConn,
    desk_id: i64,
    month: i32,
    files: i64,
    source: &str,
    now: NaiveDateTime,
) -> Result<Option<i64>> {
    let previous: Option<i64> =
        files_handled::table.find((desk_id, month)).select(files_handled::files).first(conn).optional()?;
    if previous.is_some() {
        diesel::update(files_handled::table.find((desk_id, month)))
            .set((files_handled::files.eq(files), files_handled::updated_at.eq(now)))
            .execute(conn)?;
    } else {
        diesel::insert_into(files_handled::table)
            .values((
                files_handled::desk_id.eq(desk_id),
                files_handled::month.eq(month),
                files_handled::files.eq(files),
                files_handled::updated_at.eq(now),
            ))
            .execute(conn)?;
    }
    diesel::insert_into(files_handled_log::table)
        .values((
            files_handled_log::desk_id.eq(desk_id),
            files_handled_log::month.eq(month),
            files_handled_log::files.eq(files),
            files_handled_log::previous.eq(previous),
            files_handled_log::source.eq(source),
            files_handled_log::at.eq(now),
        ))
        .execute(conn)?;
    Ok(previous)
}

/// A raw rating as the integrity signals see it.
#[derive(Debug, Clone, Queryable)]
pub struct SignalRow {
    pub desk_id: i64,
    pub at: NaiveDateTime,
    pub overall: i32,
    pub scale: String,
    pub browser_hash: Option<String>,
}

/// The raw rows the integrity signals read, of `desks` in `[start, end)`.
pub fn signal_rows(
    conn: &mut DbConn,
    desk_ids: Option<&[i64]>,
    start: NaiveDateTime,
    end: NaiveDateTime,
) -> Result<Vec<SignalRow>> {
    let mut q = ratings::table
        .filter(ratings::created_at.ge(start))
        .filter(ratings::created_at.lt(end))
        .select((ratings::desk_id, ratings::created_at, ratings::overall, ratings::scale, ratings::browser_hash))
        .into_boxed();
    if let Some(d) = desk_ids {
        q = q.filter(ratings::desk_id.eq_any(d.to_vec()));
    }
    Ok(q.load(conn)?)
}

/// Every unit, officer and desk (reports name inactive ones too: they had ratings once).
pub fn all_units(conn: &mut DbConn) -> Result<Vec<super::org::Unit>> {
    Ok(units::table.order(units::code).select(super::org::Unit::as_select()).load(conn)?)
}

pub fn all_officers(conn: &mut DbConn) -> Result<Vec<super::org::Officer>> {
    Ok(officers::table.order(officers::code).select(super::org::Officer::as_select()).load(conn)?)
}

pub fn all_desks(conn: &mut DbConn) -> Result<Vec<super::org::Desk>> {
    Ok(desks::table.order(desks::code).select(super::org::Desk::as_select()).load(conn)?)
}

/// A report link as stored.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = report_links)]
pub struct ReportLink {
    pub id: i64,
    pub token_hash: String,
    pub kind: String,
    pub period: i32,
    pub unit_id: Option<i64>,
    pub officer_id: Option<i64>,
    pub email: String,
    pub created_at: NaiveDateTime,
    pub expires_at: NaiveDateTime,
    pub revoked_at: Option<NaiveDateTime>,
}

#[allow(clippy::too_many_arguments)]
pub fn insert_link(
    conn: &mut DbConn,
    token_hash: &str,
    kind: &str,
    period: i32,
    unit_id: Option<i64>,
    officer_id: Option<i64>,
    email: &str,
    expires_at: NaiveDateTime,
    now: NaiveDateTime,
) -> Result<i64> {
    Ok(diesel::insert_into(report_links::table)
        .values((
            report_links::token_hash.eq(token_hash),
            report_links::kind.eq(kind),
            report_links::period.eq(period),
            report_links::unit_id.eq(unit_id),
            report_links::officer_id.eq(officer_id),
            report_links::email.eq(email),
            report_links::created_at.eq(now),
            report_links::expires_at.eq(expires_at),
        ))
        .returning(report_links::id)
        .get_result(conn)?)
}

pub fn link_by_hash(conn: &mut DbConn, token_hash: &str) -> Result<Option<ReportLink>> {
    Ok(report_links::table
        .filter(report_links::token_hash.eq(token_hash))
        .select(ReportLink::as_select())
        .first(conn)
        .optional()?)
}

pub fn log_link_use(
    conn: &mut DbConn,
    link_id: i64,
    at: NaiveDateTime,
    method: &str,
    what: &str,
    result: &str,
) -> Result<()> {
    diesel::insert_into(report_link_uses::table)
        .values((
            report_link_uses::link_id.eq(link_id),
            report_link_uses::at.eq(at),
            report_link_uses::method.eq(method),
            report_link_uses::what.eq(what),
            report_link_uses::result.eq(result),
        ))
        .execute(conn)?;
    Ok(())
}

/// Revokes the links of a period (and unit, when given); returns how many.
pub fn revoke_links(
    conn: &mut DbConn,
    kind: &str,
    period: i32,
    unit_id: Option<i64>,
    now: NaiveDateTime,
) -> Result<usize> {
    let mut q = diesel::update(report_links::table)
        .filter(report_links::kind.eq(kind))
        .filter(report_links::period.eq(period))
        .filter(report_links::revoked_at.is_null())
        .into_boxed();
    if let Some(u) = unit_id {
        q = q.filter(report_links::unit_id.eq(u));
    }
    Ok(q.set(report_links::revoked_at.eq(now)).execute(conn)?)
}

/// Records a run (a month's delivery, a year's reminder); false when it was already recorded.
pub fn claim_run(conn: &mut DbConn, kind: &str, period: i32, recipients: i32, now: NaiveDateTime) -> Result<bool> {
    let exists: i64 = report_runs::table
        .filter(report_runs::kind.eq(kind))
        .filter(report_runs::period.eq(period))
        .count()
        .get_result(conn)?;
    if exists > 0 {
        return Ok(false);
    }
    diesel::insert_into(report_runs::table)
        .values((
            report_runs::kind.eq(kind),
            report_runs::period.eq(period),
            report_runs::recipients.eq(recipients),
            report_runs::at.eq(now),
        ))
        .execute(conn)?;
    Ok(true)
}

/// When a run was recorded, if it was.
pub fn run_at(conn: &mut DbConn, kind: &str, period: i32) -> Result<Option<(NaiveDateTime, i32)>> {
    Ok(report_runs::table
        .filter(report_runs::kind.eq(kind))
        .filter(report_runs::period.eq(period))
        .select((report_runs::at, report_runs::recipients))
        .first(conn)
        .optional()?)
}

/// The rating times and browsers of `desk_ids` in `[start, end)`, for the integrity signals:
/// (desk, time, browser key). Read from the `(desk_id, created_at, browser_hash)` index alone.
/// A browser is counted by a 64-bit key of its hash, not the hash text: PostgreSQL computes it
/// (`hashtextextended`), so ten million ratings do not send their hashes over the wire; SQLite's
/// rows are in-process and keyed here. Two browsers share a key with a chance of about 10⁻⁸ among
/// a province's month (n²/2⁶⁵). SQLite keeps times as text: the usual form is read by hand here
/// (chrono's parser was most of the cost of a month's rows), anything else by chrono as diesel
/// would.
pub fn signal_points(
    conn: &mut DbConn,
    desk_ids: &[i64],
    start: NaiveDateTime,
    end: NaiveDateTime,
) -> Result<Vec<(i64, NaiveDateTime, Option<i64>)>> {
    use diesel::dsl::sql;
    use diesel::sql_types::{BigInt, Nullable, Text};
    let mut out = Vec::new();
    for chunk in desk_ids.chunks(5_000) {
        let q = ratings::table
            .filter(ratings::desk_id.eq_any(chunk.to_vec()))
            .filter(ratings::created_at.ge(start))
            .filter(ratings::created_at.lt(end));
        match conn {
            DbConn::Sqlite(c) => {
                let rows: Vec<(i64, String, Option<String>)> =
                    q.select((ratings::desk_id, sql::<Text>("created_at"), ratings::browser_hash)).load(c)?;
                for (desk, at, browser) in rows {
                    let at = sqlite_time(&at).ok_or_else(|| {
                        crate::error::Error::Connection(format!("a rating time the reports cannot read: {at:?}"))
                    })?;
                    out.push((desk, at, browser.map(|b| browser_key(&b))));
                }
            }
            DbConn::Pg(c) => out.extend(
                q.select((
                    ratings::desk_id,
                    ratings::created_at,
                    sql::<Nullable<BigInt>>("hashtextextended(browser_hash, 0)"),
                ))
                .load::<(i64, NaiveDateTime, Option<i64>)>(c)?,
            ),
        }
    }
    Ok(out)
}

/// A browser hash's 64-bit key (SQLite; see [`signal_points`]). Only compared within one report.
fn browser_key(hash: &str) -> i64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::hash::DefaultHasher::new();
    hash.hash(&mut h);
    h.finish() as i64
}

/// `YYYY-MM-DD HH:MM:SS[.fraction]` (how diesel writes a timestamp to SQLite), else chrono.
fn sqlite_time(s: &str) -> Option<NaiveDateTime> {
    let b = s.as_bytes();
    let num = |r: std::ops::Range<usize>| -> Option<u32> {
        b.get(r.clone())?.iter().try_fold(0u32, |n, &c| c.is_ascii_digit().then(|| n * 10 + u32::from(c - b'0')))
    };
    let fast = || {
        if b.len() < 19 || b[4] != b'-' || b[7] != b'-' || b[10] != b' ' || b[13] != b':' || b[16] != b':' {
            return None;
        }
        let nanos = match &b[19..] {
            [] => 0,
            [b'.', digits @ ..] if !digits.is_empty() && digits.len() <= 9 => {
                num(20..b.len())? * 10u32.pow(9 - digits.len() as u32)
            }
            _ => return None,
        };
        chrono::NaiveDate::from_ymd_opt(num(0..4)? as i32, num(5..7)?, num(8..10)?)?.and_hms_nano_opt(
            num(11..13)?,
            num(14..16)?,
            num(17..19)?,
            nanos,
        )
    };
    fast().or_else(|| {
        ["%F %T%.f", "%F %T", "%FT%T%.f", "%FT%T"].iter().find_map(|f| NaiveDateTime::parse_from_str(s, f).ok())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sqlite_times_read_by_hand_as_chrono_reads_them() {
        let chrono_only = |s: &str| {
            ["%F %T%.f", "%F %T", "%FT%T%.f", "%FT%T"].iter().find_map(|f| NaiveDateTime::parse_from_str(s, f).ok())
        };
        for s in [
            "2026-10-05 02:00:00",
            "2026-10-05 02:00:00.5",
            "2026-10-05 02:00:00.500",
            "2026-10-05 23:59:59.123456",
            "2026-10-05 23:59:59.123456789",
            "2024-02-29 12:00:00",
            "2026-10-05T02:00:00",
            "",
            "2026-02-30 00:00:00",
            "2026-10-05 24:00:00",
            "2026-10-05 02:00:00.",
            "x026-10-05 02:00:00",
        ] {
            assert_eq!(sqlite_time(s), chrono_only(s), "{s:?}");
        }
        assert!(sqlite_time("2026-10-05 23:59:59.123456").is_some());
    }
}
