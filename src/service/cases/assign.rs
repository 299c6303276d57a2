//! Giving a case to a handler: a new case's routing, an escalation, a forward, an appeal, an
//! operator's assignment. Each is planned (new handler and clocks, the log entry with the reasons,
//! the emails) and then written. Planning only reads, so for a new case it runs before the
//! writing transaction, keeping that short. A case nobody independent can handle is kept, and the
//! nearest independent oversight unit and the operator are told.

use chrono::Duration;
use serde_json::json;

use super::mail::{self, Planned, StaffMail, To};
use super::memo::MemoCache;
use super::{Ctx, naive};
use crate::domain::case::{EventKind, LinkRole, Status};
use crate::domain::routing::{self, Decision};
use crate::domain::sla;
use crate::error::Result;
use crate::i18n::{Lang, Text};
use crate::mail::compose::{CitizenKind, Move, StaffKind};
use crate::store::cases::Case;
use crate::store::{self, DbConn};
use crate::t;

/// Why a case changed hands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Assignment {
    New,
    /// A deadline passed.
    Escalation,
    /// The handler sent it up.
    EscalationRequested,
    Forward,
    /// The citizen was not satisfied with the answer.
    Appeal,
    /// The operator chose the handler (`hailong case assign`).
    Manual,
}

impl Assignment {
    fn event(self) -> EventKind {
        match self {
            Assignment::New => EventKind::Routed,
            Assignment::Escalation | Assignment::EscalationRequested => EventKind::Escalated,
            Assignment::Forward => EventKind::Forwarded,
            Assignment::Appeal => EventKind::Reopened,
            Assignment::Manual => EventKind::Assigned,
        }
    }

    fn mail(self) -> StaffKind {
        match self {
            Assignment::New => StaffKind::NewCase,
            Assignment::Escalation | Assignment::EscalationRequested => StaffKind::EscalatedTo,
            Assignment::Forward => StaffKind::ForwardedTo,
            Assignment::Appeal => StaffKind::Appeal,
            Assignment::Manual => StaffKind::Assigned,
        }
    }

    fn moved(self) -> Option<Move> {
        match self {
            Assignment::New => None,
            Assignment::Escalation => Some(Move::DeadlineMissed),
            Assignment::EscalationRequested | Assignment::Manual => Some(Move::Requested),
            Assignment::Forward => Some(Move::Forwarded),
            Assignment::Appeal => Some(Move::Appeal),
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

/// The strongest of two links for one recipient.
fn stronger(a: Option<LinkRole>, b: Option<LinkRole>) -> Option<LinkRole> {
    let rank = |r: Option<LinkRole>| match r {
        Some(LinkRole::Handler) => 3,
        Some(LinkRole::Explainer) => 2,
        Some(LinkRole::Observer) => 1,
        None => 0,
    };
    if rank(b) > rank(a) { b } else { a }
}

/// What each recipient is told about one event: everything for the same address goes into one
/// email (the first fact names it; the strongest link wins).
fn merge(wanted: Vec<(To, StaffKind, Option<LinkRole>)>) -> Vec<(To, Vec<StaffKind>, Option<LinkRole>)> {
    let mut out: Vec<(To, Vec<StaffKind>, Option<LinkRole>)> = Vec::new();
    for (to, kind, link) in wanted {
        match out.iter_mut().find(|(t, _, _)| t.email.eq_ignore_ascii_case(&to.email)) {
            Some((_, kinds, l)) => {
                if !kinds.contains(&kind) {
                    kinds.push(kind);
                }
                *l = stronger(*l, link);
            }
            None => out.push((to, vec![kind], link)),
        }
    }
    out
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

    // The previous handler first: what happened to "their" case names the email they get.
    let mut wanted: Vec<(To, StaffKind, Option<LinkRole>)> = Vec::new();
    if let Some(prev) = case.handler_officer_id.filter(|_| why != Assignment::New)
        && Some(prev) != d.handler.officer
        && let Some(to) = To::officer(c, ctx, prev)?
    {
        wanted.push((to, StaffKind::EscalatedFrom, None));
    }
    wanted.push((To::from_recipient(c, ctx, &d.handler)?, why.mail(), Some(LinkRole::Handler)));
    for r in &d.informed {
        wanted.push((To::from_recipient(c, ctx, r)?, StaffKind::Informed, Some(LinkRole::Observer)));
    }
    for r in &d.copies {
        wanted.push((To::from_recipient(c, ctx, r)?, StaffKind::Copy, Some(LinkRole::Observer)));
    }
    let mut emails = Vec::new();
    for (to, kinds, link) in merge(wanted) {
        let m = StaffMail { case: &shown, to: &to, kinds, link, cal: &cal, moved: why.moved() };
        emails.extend(mail::plan(c, ctx, &m, m.stage_key(), fresh)?);
    }
    Ok(Plan { fields, event_kind: why.event(), event_data, emails, revoke_links: why != Assignment::New })
}

fn write_assignment(c: &mut DbConn, ctx: &Ctx, case: &Case, plan: Plan) -> Result<()> {
    store::cases::assign(c, case.id, &plan.fields)?;
    if plan.revoke_links {
        store::links::revoke_for_case(c, case.id, LinkRole::Handler, ctx.naive_now())?;
    }
    let actor = if plan.event_kind == EventKind::Assigned { "operator" } else { "system" };
    ctx.event(c, case.id, actor, plan.event_kind, plan.event_data)?;
    for e in plan.emails {
        mail::write(c, case.id, case.created_at, e)?;
    }
    Ok(())
}

/// Gives a case to the handler of a routing decision (plan and write, in the caller's transaction).
pub(super) fn assign(c: &mut DbConn, ctx: &Ctx, case: &Case, d: &Decision, why: Assignment) -> Result<()> {
    let plan = plan_assignment(c, ctx, case, d, why, false)?;
    write_assignment(c, ctx, case, plan)
}

/// How a new case will be routed, worked out before its transaction (reads only). `draft` is the
/// case as it will be inserted.
pub fn plan_open(c: &mut DbConn, ctx: &Ctx, cache: &MemoCache, draft: &Case) -> Result<Opening> {
    ctx.recall(cache);
    let org = ctx.org_view(c, draft)?;
    let req = ctx.request(draft);
    let opening = match routing::route(&org, &req) {
        Ok(d) => {
            let p = plan_assignment(c, ctx, draft, &d, Assignment::New, true)?;
            Opening {
                fields: Some(p.fields),
                event_kind: p.event_kind,
                event_data: p.event_data.to_string(),
                emails: p.emails,
                unrouted: None,
            }
        }
        Err(reason) => plan_unrouted(c, ctx, draft, &org, &req, reason)?,
    };
    ctx.keep(cache);
    Ok(opening)
}

/// A new case nobody independent can handle: kept unrouted; the nearest independent oversight
/// unit (if any) gets a read-only notice, the operator an alert naming what to do.
fn plan_unrouted(
    c: &mut DbConn,
    ctx: &Ctx,
    draft: &Case,
    org: &routing::OrgView,
    req: &routing::Request,
    reason: Text,
) -> Result<Opening> {
    tracing::error!(reason = %reason, "case could not be routed to an independent handler");
    let mut emails = Vec::new();
    let told = routing::fallback(org, req);
    if let Some(r) = &told {
        let to = To::from_recipient(c, ctx, r)?;
        let cal = ctx.calendar_of(c, Some(r.unit))?;
        let m = StaffMail::one(draft, &to, StaffKind::Unrouted, Some(LinkRole::Observer), &cal);
        emails.extend(mail::plan(c, ctx, &m, m.stage_key(), true)?);
    }
    let oversight = match &told {
        Some(r) => Some(ctx.unit_code(c, r.unit)?),
        None => None,
    };
    let data = json!({ "reason": reason.vi, "oversight_told": oversight, "operator_told": ctx.config.alerts.operator_email.is_some() });
    Ok(Opening {
        fields: None,
        event_kind: EventKind::RoutingFailed,
        event_data: data.to_string(),
        emails,
        unrouted: Some(reason),
    })
}

/// A new case's routing in the pieces its creating transaction writes: the assignment (stored with
/// the case row), the log entry (appended with the "received" one) and the emails.
pub struct Opening {
    pub fields: Option<store::cases::Assign>,
    pub event_kind: EventKind,
    pub event_data: String,
    emails: Vec<Planned>,
    /// Why nobody independent can handle it (the operator is told in the same transaction).
    unrouted: Option<Text>,
}

impl Opening {
    /// Stores the emails and their links (inside the transaction that created the `case`), the
    /// citizen's confirmation when `citizen` gives their language (an email address was left
    /// with consent), and for an unrouted case the operator's alert.
    pub fn write_emails(self, c: &mut DbConn, ctx: &Ctx, case: &Case, citizen: Option<Lang>) -> Result<()> {
        let (case_id, received) = (case.id, case.created_at);
        for e in self.emails {
            mail::write(c, case_id, received, e)?;
        }
        if let Some(lang) = citizen {
            let key = mail::case_key(case_id, "received:citizen");
            let row = mail::citizen_row(c, ctx, case, CitizenKind::Received, lang, "", key)?;
            store::outbox::enqueue(c, &row)?;
        }
        if let Some(reason) = self.unrouted {
            let number = store::cases::number_of(case_id, received);
            let (vi, en) = (reason.vi, reason.en);
            let subject = t!("Phản ánh {number} chưa có người xử lý", "Case {number} has no handler");
            let body = t!(
                "Phản ánh số {number} không có người xử lý độc lập theo quy tắc chuyển cấp.\n\nLý do: {vi}\n\nViệc cần làm: chọn đơn vị xử lý độc lập với người bị phản ánh và giao bằng lệnh\n  hailong case assign {number} MÃ_ĐƠN_VỊ\n(được ghi vào nhật ký phản ánh). Danh sách phản ánh chưa có người xử lý: hailong audit verify.",
                "Case {number} has no independent handler under the routing rules.\n\nWhy: {en}\n\nTo do: choose a unit independent of the person reported and assign it with\n  hailong case assign {number} UNIT_CODE\n(recorded in the case log). Cases without a handler are listed by: hailong audit verify."
            );
            let key = format!("unrouted:{case_id}");
            crate::service::alerts::to_operator(c, &ctx.config, &key, Some(case_id), &subject, &body, ctx.now)?;
        }
        Ok(())
    }
}
