//! Giving a case to a handler: a new case's routing, an escalation, a forward, an appeal. Each is
//! planned (new handler and clocks, the log entry with the reasons, the emails) and then written.
//! Planning only reads, so for a new case it runs before the writing transaction, keeping that
//! short.

use chrono::Duration;
use serde_json::json;

use super::mail::{self, Planned, StaffMail, To};
use super::memo::MemoCache;
use super::{Ctx, naive};
use crate::domain::case::{EventKind, LinkRole, Status};
use crate::domain::routing::{self, Decision};
use crate::domain::sla;
use crate::error::Result;
use crate::i18n::Text;
use crate::mail::compose::StaffKind;
use crate::store::cases::Case;
use crate::store::{self, DbConn};

/// Why a case changed hands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Assignment {
    New,
    Escalation,
    Forward,
    Appeal,
}

impl Assignment {
    fn event(self) -> EventKind {
        match self {
            Assignment::New => EventKind::Routed,
            Assignment::Escalation => EventKind::Escalated,
            Assignment::Forward => EventKind::Forwarded,
            Assignment::Appeal => EventKind::Reopened,
        }
    }

    fn mail(self) -> StaffKind {
        match self {
            Assignment::New => StaffKind::NewCase,
            Assignment::Escalation => StaffKind::EscalatedTo,
            Assignment::Forward => StaffKind::ForwardedTo,
            Assignment::Appeal => StaffKind::Appeal,
        }
    }
}

/// An assignment worked out before it is written: the new handler and clocks, the log entry with
/// the reasons, and the emails (handler, informed, copies, and a notice to the previous handler
/// when the case moves away from them).
pub struct Plan {
    fields: store::cases::Assign,
    event_kind: EventKind,
    event_data: serde_json::Value,
    emails: Vec<Planned>,
    revoke_links: bool,
}

pub(super) fn plan_assignment(
    c: &mut DbConn,
    ctx: &Ctx,
    case: &Case,
    d: &Decision,
    why: Assignment,
    fresh: bool,
) -> Result<Plan> {
    let now = ctx.now;
    let p = ctx.policy(case);
    let cal = ctx.calendar_of(c, Some(d.unit))?;
    let clocks = sla::clocks(&cal, &p, now, Duration::zero(), ctx.sla.reminder_percent);
    let new_status = match why {
        Assignment::Appeal => Status::Reopened,
        _ => case.status,
    };
    let (_, next) = sla::evaluate(new_status, &clocks, "", now);
    let fields = store::cases::Assign {
        handler_unit_id: d.unit,
        handler_officer_id: d.handler.officer,
        level: d.level as i32,
        stage: case.stage + i32::from(why != Assignment::New),
        status: new_status,
        clock_started_at: naive(now),
        ack_due_at: naive(clocks.ack_due),
        resolve_due_at: naive(clocks.resolve_due),
        next_timer_at: next.map(naive),
    };
    // The case as the emails describe it: after the assignment.
    let mut shown = case.clone();
    shown.status = new_status;
    shown.level = fields.level;
    shown.stage = fields.stage;
    shown.ack_due_at = Some(fields.ack_due_at);
    shown.resolve_due_at = Some(fields.resolve_due_at);

    let mut informed = Vec::new();
    for r in &d.informed {
        informed.push(ctx.unit_code(c, r.unit)?);
    }
    let mut copies = Vec::new();
    for r in &d.copies {
        copies.push(ctx.unit_code(c, r.unit)?);
    }
    let event_data = json!({
        "level": d.level,
        "unit": ctx.unit_code(c, d.unit)?,
        "handler": ctx.officer_code(c, d.handler.officer)?,
        "reasons": d.reasons.iter().map(|r| json!({ "code": r.code, "text": r.text.vi })).collect::<Vec<_>>(),
        "informed": informed,
        "copies": copies,
        "ack_due": clocks.ack_due.to_rfc3339(),
        "resolve_due": clocks.resolve_due.to_rfc3339(),
    });

    let mut wanted: Vec<(To, StaffKind, Option<LinkRole>)> =
        vec![(To::from_recipient(c, ctx, &d.handler)?, why.mail(), Some(LinkRole::Handler))];
    for r in &d.informed {
        wanted.push((To::from_recipient(c, ctx, r)?, StaffKind::Informed, Some(LinkRole::Observer)));
    }
    for r in &d.copies {
        wanted.push((To::from_recipient(c, ctx, r)?, StaffKind::Copy, Some(LinkRole::Observer)));
    }
    if let Some(prev) = case.handler_officer_id.filter(|_| why != Assignment::New)
        && Some(prev) != d.handler.officer
        && let Some(to) = To::officer(c, ctx, prev)?
    {
        wanted.push((to, StaffKind::EscalatedFrom, None));
    }
    let mut emails = Vec::new();
    for (to, kind, link) in &wanted {
        let m = StaffMail { case: &shown, to, kind: *kind, link: *link, cal: &cal };
        emails.extend(mail::plan(c, ctx, &m, m.stage_key(), fresh)?);
    }
    Ok(Plan { fields, event_kind: why.event(), event_data, emails, revoke_links: why != Assignment::New })
}

fn write_assignment(c: &mut DbConn, ctx: &Ctx, case_id: i64, plan: Plan) -> Result<()> {
    store::cases::assign(c, case_id, &plan.fields)?;
    if plan.revoke_links {
        store::links::revoke_for_case(c, case_id, LinkRole::Handler, ctx.naive_now())?;
    }
    ctx.event(c, case_id, "system", plan.event_kind, plan.event_data)?;
    for e in plan.emails {
        mail::write(c, case_id, e, ctx.now)?;
    }
    Ok(())
}

/// Gives a case to the handler of a routing decision (plan and write, in the caller's transaction).
pub(super) fn assign(c: &mut DbConn, ctx: &Ctx, case: &Case, d: &Decision, why: Assignment) -> Result<()> {
    let plan = plan_assignment(c, ctx, case, d, why, false)?;
    write_assignment(c, ctx, case.id, plan)
}

/// How a new case will be routed, worked out before its transaction (reads only). `draft` is the
/// case as it will be inserted; `Err` carries why nobody can receive it.
pub fn plan_open(
    c: &mut DbConn,
    ctx: &Ctx,
    cache: &MemoCache,
    draft: &Case,
) -> Result<std::result::Result<Plan, Text>> {
    ctx.recall(cache);
    let org = ctx.org_view(c, draft)?;
    let plan = match routing::route(&org, &ctx.request(draft)) {
        Ok(d) => Ok(plan_assignment(c, ctx, draft, &d, Assignment::New, true)?),
        Err(reason) => Err(reason),
    };
    ctx.keep(cache);
    Ok(plan)
}

/// A new case's routing in the pieces its creating transaction writes: the assignment (stored with
/// the case row), the log entry (appended with the "received" one) and the emails.
pub struct Opening {
    pub fields: Option<store::cases::Assign>,
    pub event_kind: EventKind,
    pub event_data: String,
    emails: Vec<Planned>,
}

impl Opening {
    pub fn from(plan: std::result::Result<Plan, Text>) -> Opening {
        match plan {
            Ok(p) => Opening {
                fields: Some(p.fields),
                event_kind: p.event_kind,
                event_data: p.event_data.to_string(),
                emails: p.emails,
            },
            // The case is kept; an administrator must fix the organisation (no reachable head).
            Err(reason) => {
                tracing::error!(reason = %reason, "case could not be routed");
                Opening {
                    fields: None,
                    event_kind: EventKind::RoutingFailed,
                    event_data: json!({ "reason": reason.vi }).to_string(),
                    emails: Vec::new(),
                }
            }
        }
    }

    /// Stores the emails and their links (inside the transaction that created the case).
    pub fn write_emails(self, c: &mut DbConn, case_id: i64, now: chrono::DateTime<chrono::Utc>) -> Result<()> {
        for e in self.emails {
            mail::write(c, case_id, e, now)?;
        }
        Ok(())
    }
}
