//! The scheduler's work on cases: reminders before a deadline, escalation after it (or the notice
//! that nobody is above), and the privacy purge of contact details past their retention.

use chrono::{DateTime, Duration, Utc};
use serde_json::json;

use super::assign::{Assignment, assign};
use super::mail::notify_handler;
use super::{Ctx, naive, utc};
use crate::domain::case::EventKind;
use crate::domain::routing;
use crate::domain::sla::{self, Due};
use crate::error::Result;
use crate::mail::compose::StaffKind;
use crate::service::Services;
use crate::store::cases::Case;
use crate::store::{self, DbConn};

/// What one scheduler tick did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct TickReport {
    pub due: usize,
    pub reminders: usize,
    pub escalations: usize,
    pub at_top: usize,
}

impl std::ops::AddAssign for TickReport {
    fn add_assign(&mut self, r: TickReport) {
        self.due += r.due;
        self.reminders += r.reminders;
        self.escalations += r.escalations;
        self.at_top += r.at_top;
    }
}

/// The clocks of a case with a handler (`None` while paused or unrouted).
fn clocks(c: &mut DbConn, ctx: &Ctx, case: &Case) -> Result<Option<sla::Clocks>> {
    let Some(started) = case.clock_started_at.filter(|_| case.paused_at.is_none()) else { return Ok(None) };
    let cal = ctx.calendar_of(c, case.handler_unit_id)?;
    let paused = Duration::seconds(case.paused_seconds);
    Ok(Some(sla::clocks(&cal, &ctx.policy(case), utc(started), paused, ctx.sla.reminder_percent)))
}

/// Recomputes a case's deadlines and next timer from its clocks.
pub(super) fn reschedule(c: &mut DbConn, ctx: &Ctx, case: &Case) -> Result<()> {
    let next = match clocks(c, ctx, case)? {
        Some(k) => {
            store::cases::set_dues(c, case.id, naive(k.ack_due), naive(k.resolve_due))?;
            sla::evaluate(case.status, &k, &case.notified, ctx.now).1
        }
        None => None,
    };
    store::cases::set_next_timer(c, case.id, next.map(naive))?;
    Ok(())
}

/// One scheduler tick at `now`: every case whose timer is due gets its reminder or escalation,
/// in one transaction. Cases are claimed so concurrent schedulers never take the same one
/// (PostgreSQL: `FOR UPDATE SKIP LOCKED`; SQLite: one writer).
pub fn tick(s: &Services, now: DateTime<Utc>) -> Result<TickReport> {
    let batch = s.config.jobs.batch as i64;
    if s.db.target().is_sqlite() {
        return tick_batch(s, now, batch);
    }
    // PostgreSQL: several transactions at once (each claims its own cases, skipping the others'
    // locked rows), since a tick's time goes to round trips to the server.
    let parallel = (s.config.database.pool_size as i64).clamp(1, 8);
    let share = (batch + parallel - 1) / parallel;
    std::thread::scope(|scope| {
        let handles: Vec<_> = (0..parallel).map(|_| scope.spawn(move || tick_batch(s, now, share))).collect();
        let mut total = TickReport::default();
        for h in handles {
            total += h.join().unwrap_or_else(|p| std::panic::resume_unwind(p))?;
        }
        Ok(total)
    })
}

fn tick_batch(s: &Services, now: DateTime<Utc>, batch: i64) -> Result<TickReport> {
    let ctx = s.case_ctx(now);
    s.db.write(move |c| {
        let mut report = TickReport::default();
        for id in store::cases::claim_due(c, naive(now), batch)? {
            report.due += 1;
            let case = store::cases::get(c, id)?;
            let Some(k) = clocks(c, &ctx, &case)? else {
                store::cases::set_next_timer(c, id, None)?;
                continue;
            };
            match sla::evaluate(case.status, &k, &case.notified, now).0 {
                None => reschedule(c, &ctx, &case)?,
                Some(d @ (Due::AckReminder | Due::ResolveReminder)) => {
                    remind(c, &ctx, &case, d)?;
                    report.reminders += 1;
                }
                Some(d @ (Due::AckBreach | Due::ResolveBreach)) => {
                    if escalate(c, &ctx, &case, d)? {
                        report.escalations += 1;
                    } else if !sla::notified(&case.notified, d) {
                        report.at_top += 1;
                    }
                }
            }
        }
        Ok(report)
    })
}

/// A reminder to the handler, once per window and level.
fn remind(c: &mut DbConn, ctx: &Ctx, case: &Case, d: Due) -> Result<()> {
    store::cases::mark_notified(c, case.id, d.as_str())?;
    ctx.event(c, case.id, "system", EventKind::Reminder, json!({ "kind": d.as_str(), "level": case.level }))?;
    let fresh = store::cases::get(c, case.id)?;
    let cal = ctx.calendar_of(c, fresh.handler_unit_id)?;
    let kind = if d == Due::AckReminder { StaffKind::AckReminder } else { StaffKind::ResolveReminder };
    notify_handler(c, ctx, &fresh, kind, &cal)?;
    let fresh = store::cases::get(c, case.id)?;
    reschedule(c, ctx, &fresh)
}

/// A missed deadline: the case goes one level up (true), or, with nobody above, its handler is
/// told once and its timers stop (false).
fn escalate(c: &mut DbConn, ctx: &Ctx, case: &Case, d: Due) -> Result<bool> {
    let org = ctx.org_view(c, case)?;
    if let Some(next) = routing::escalation(&org, &ctx.request(case), case.level as u32) {
        let data = json!({ "kind": d.as_str(), "level": case.level });
        ctx.event(c, case.id, "system", EventKind::DeadlineMissed, data)?;
        let fresh = store::cases::get(c, case.id)?;
        assign(c, ctx, &fresh, &next, Assignment::Escalation)?;
        return Ok(true);
    }
    if !sla::notified(&case.notified, d) {
        store::cases::mark_notified(c, case.id, d.as_str())?;
        let data = json!({ "kind": d.as_str(), "level": case.level });
        ctx.event(c, case.id, "system", EventKind::OverdueAtTop, data)?;
        let fresh = store::cases::get(c, case.id)?;
        let cal = ctx.calendar_of(c, fresh.handler_unit_id)?;
        notify_handler(c, ctx, &fresh, StaffKind::TopOverdue, &cal)?;
        super::mail::tell_oversight(c, ctx, &fresh)?;
    }
    // Nobody above: no more timers for this case.
    store::cases::set_next_timer(c, case.id, None)?;
    Ok(false)
}

/// Erases contact details whose retention ended (a set time after the case closed).
pub fn purge(s: &Services, now: DateTime<Utc>) -> Result<usize> {
    let ctx = s.case_ctx(now);
    s.db.write(move |c| {
        let due = store::cases::contacts_to_erase(c, naive(now))?;
        for case_id in &due {
            store::cases::erase_contact(c, *case_id, naive(now))?;
            ctx.event(c, *case_id, "system", EventKind::ContactErased, json!({ "reason": "retention" }))?;
        }
        Ok(due.len())
    })
}
