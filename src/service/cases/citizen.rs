//! What the citizen does on the tracking page, with the receipt as their key: answer a request
//! for information, rate the answer (an appeal when not satisfied), withdraw consent.

use chrono::{DateTime, Utc};
use serde_json::json;

use super::assign::{Assignment, assign};
use super::mail::notify_handler;
use super::{Ctx, REASON_MIN, naive, refused, text_input, utc};
use crate::domain::audit::text_digest;
use crate::domain::case::{self, EventKind, TextKind, Verdict};
use crate::domain::routing;
use crate::error::{Error, Result};
use crate::mail::compose::StaffKind;
use crate::service::Services;
use crate::service::links;
use crate::store::cases::Case;
use crate::store::{self, DbConn};
use crate::t;

/// What a citizen does on the tracking page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CitizenAction {
    /// Answers the handler's request for information.
    Reply(String),
    /// Rates the answer; when not satisfied, optionally says why.
    Rate(Verdict, Option<String>),
    /// Withdraws consent: the contact details are erased.
    Erase,
}

/// One action from the tracking page, posted with the page's token (`form`).
pub fn citizen_act(s: &Services, receipt: &str, form: &str, action: CitizenAction, now: DateTime<Utc>) -> Result<()> {
    match action {
        CitizenAction::Reply(text) => citizen_reply(s, receipt, form, &text, now),
        CitizenAction::Rate(verdict, reason) => citizen_verdict(s, receipt, form, verdict, reason.as_deref(), now),
        CitizenAction::Erase => withdraw_consent(s, receipt, form, now),
    }
}

/// The form token of the citizen's tracking page, bound to the case's state like the handler's.
pub fn citizen_token(s: &Services, case: &Case) -> String {
    links::csrf(&s.secret, -case.id, case.event_count)
}

/// The case of a receipt, if the page it was posted from is current.
fn citizen_case(c: &mut DbConn, ctx: &Ctx, receipt: &str, form: &str) -> Result<Case> {
    let case = store::cases::by_receipt(c, receipt)?
        .ok_or_else(|| Error::NotFound(t!("Không có phản ánh với mã này", "No report has this code")))?;
    if !links::csrf_ok(&ctx.secret, -case.id, case.event_count, form) {
        return Err(refused(
            "Trang đã cũ: phản ánh vừa thay đổi. Không có gì thay đổi; hãy tải lại trang.",
            "This page is out of date: the case changed. Nothing changed; reload the page.",
        ));
    }
    Ok(case)
}

/// The citizen answers a request for information: the clocks resume.
pub fn citizen_reply(s: &Services, receipt: &str, form: &str, text: &str, now: DateTime<Utc>) -> Result<()> {
    let ctx = s.case_ctx(now);
    let text = text_input(text, REASON_MIN, t!("Nội dung trả lời", "Your answer"))?;
    let (receipt, form) = (receipt.to_string(), form.to_string());
    s.db.write(move |c| {
        let case = citizen_case(c, &ctx, &receipt, &form)?;
        let Some(next) = case::after_citizen_reply(case.status) else {
            return Err(refused("Phản ánh không chờ thông tin bổ sung.", "The case is not waiting for information."));
        };
        let cal = ctx.calendar_of(c, case.handler_unit_id)?;
        let paused = case.paused_at.map(|p| cal.working_between(utc(p), now)).unwrap_or_default();
        store::cases::resume(c, case.id, next, &text, paused.num_seconds(), naive(now))?;
        let fresh = store::cases::get(c, case.id)?;
        super::timers::reschedule(c, &ctx, &fresh)?;
        let data = json!({ "sha256": text_digest(&text), "paused_seconds": paused.num_seconds() });
        ctx.event(c, case.id, "citizen", EventKind::CitizenReplied, data)?;
        let fresh = store::cases::get(c, case.id)?;
        notify_handler(c, &ctx, &fresh, StaffKind::CitizenReplied, &cal)
    })
}

/// The citizen rates the answer: "Chưa hài lòng" reopens the case one level up (an appeal), with
/// the citizen's reason when they gave one.
pub fn citizen_verdict(
    s: &Services,
    receipt: &str,
    form: &str,
    verdict: Verdict,
    reason: Option<&str>,
    now: DateTime<Utc>,
) -> Result<()> {
    let ctx = s.case_ctx(now);
    let reason = match reason.map(str::trim).filter(|r| !r.is_empty()) {
        Some(r) if verdict == Verdict::NotSatisfied => Some(text_input(r, 1, t!("Lý do", "The reason"))?),
        _ => None,
    };
    let (receipt, form) = (receipt.to_string(), form.to_string());
    s.db.write(move |c| {
        let case = citizen_case(c, &ctx, &receipt, &form)?;
        let satisfied = verdict == Verdict::Satisfied;
        if case.citizen_verdict.is_some() || case::after_verdict(case.status, satisfied).is_none() {
            return Err(refused("Không thể đánh giá kết quả lúc này.", "The answer cannot be rated now."));
        }
        store::cases::set_verdict(c, case.id, verdict, naive(now))?;
        let kind = if satisfied { EventKind::CitizenSatisfied } else { EventKind::CitizenNotSatisfied };
        if let Some(r) = &reason {
            store::cases::add_text(c, case.id, TextKind::Appeal, r, naive(now))?;
        }
        ctx.event(c, case.id, "citizen", kind, json!({ "reason_sha256": reason.as_deref().map(text_digest) }))?;
        if satisfied {
            return Ok(());
        }
        store::cases::reopen(c, case.id, naive(now))?;
        crate::service::reports::rollup::case_changed(c, case.rating_id)?;
        let fresh = store::cases::get(c, case.id)?;
        let org = ctx.org_view(c, &fresh)?;
        let req = ctx.request(&fresh);
        // One level up; at the top the same level looks at it again.
        let d = match routing::escalation(&org, &req, fresh.level as u32) {
            Some(d) => d,
            None => routing::ladder(&org, &req)
                .map_err(Error::Invalid)?
                .into_iter()
                .nth(fresh.level as usize)
                .ok_or_else(|| Error::Invalid(t!("Không tìm được người xử lý", "No handler can be found")))?,
        };
        assign(c, &ctx, &fresh, &d, Assignment::Appeal)
    })
}

/// The citizen withdraws consent: their contact details are erased now.
pub fn withdraw_consent(s: &Services, receipt: &str, form: &str, now: DateTime<Utc>) -> Result<()> {
    let ctx = s.case_ctx(now);
    let (receipt, form) = (receipt.to_string(), form.to_string());
    s.db.write(move |c| {
        let case = citizen_case(c, &ctx, &receipt, &form)?;
        if store::cases::erase_contact(c, case.id, naive(now))? {
            ctx.event(c, case.id, "citizen", EventKind::ContactErased, json!({ "reason": "withdrawn" }))?;
        }
        Ok(())
    })
}
