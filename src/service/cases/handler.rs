//! What people act on through their emailed links: the handler's actions, the explanation of the
//! officer concerned, a fresh link for an expired one. Only a POST from the case page (with its
//! CSRF token, bound to the case's state) gets here; every use of a link is logged.

use chrono::{DateTime, Duration, Utc};
use serde_json::json;

use super::assign::{Assignment, assign};
use super::mail::{self, StaffMail, To, notify_citizen, notify_handler};
use super::{ANSWER_MIN, Ctx, REASON_MIN, naive, refused, text_input, utc};
use crate::domain::audit::text_digest;
use crate::domain::case::{Act, Dismissal, EventKind, LinkRole, Status, TextKind};
use crate::domain::routing;
use crate::error::{Error, Result};
use crate::i18n::Lang;
use crate::mail::compose::{CitizenKind, StaffKind};
use crate::service::Services;
use crate::service::links;
use crate::store::cases::Case;
use crate::store::links::Link;
use crate::store::{self, DbConn};
use crate::t;

/// The input of a handler's action.
#[derive(Debug, Clone, Default)]
pub struct ActInput {
    pub text: String,
    pub outcome: String,
    pub unit: String,
}

/// What a link leads to, checked.
pub enum Opened {
    Ok { link: Link, case: Box<Case> },
    Expired { link: Link },
    Revoked { link: Link },
    Unknown,
}

/// Finds a link by its token and checks it, without logging (see [`open_link`]).
pub(super) fn find_link(c: &mut DbConn, token: &str, now: DateTime<Utc>) -> Result<Opened> {
    let Some(link) = store::links::by_hash(c, &links::hash(token.trim()))? else { return Ok(Opened::Unknown) };
    if link.revoked_at.is_some() {
        return Ok(Opened::Revoked { link });
    }
    if utc(link.expires_at) <= now {
        return Ok(Opened::Expired { link });
    }
    let case = store::cases::get(c, link.case_id)?;
    Ok(Opened::Ok { link, case: Box::new(case) })
}

/// Finds a link by its token, checks it and logs the use: `GET` (a page shown: "opened"), or a
/// `POST` refused because the link is expired or revoked (an action's own outcome is logged by
/// the action).
pub fn open_link(c: &mut DbConn, token: &str, method: &str, now: DateTime<Utc>) -> Result<Opened> {
    let opened = find_link(c, token, now)?;
    let result = match &opened {
        Opened::Revoked { link } => Some((link.id, "revoked")),
        Opened::Expired { link } => Some((link.id, "expired")),
        Opened::Ok { link, .. } if method == "GET" => Some((link.id, "opened")),
        _ => None,
    };
    if let Some((id, result)) = result {
        store::links::log_use(c, id, naive(now), method, None, result)?;
    }
    Ok(opened)
}

/// A handler's link and its case, for a POST; anything else is refused.
fn usable_link(c: &mut DbConn, token: &str, now: DateTime<Utc>) -> Result<(Link, Case)> {
    match open_link(c, token, "POST", now)? {
        Opened::Ok { link, case } => Ok((link, *case)),
        _ => Err(refused("Đường dẫn không còn hiệu lực.", "This link is no longer valid.")),
    }
}

/// A handler acts on a case through their link.
pub fn act(s: &Services, token: &str, csrf: &str, act: Act, input: ActInput, now: DateTime<Utc>) -> Result<Status> {
    let ctx = s.case_ctx(now);
    let (token, csrf) = (token.to_string(), csrf.to_string());
    s.db.write(move |c| {
        let (link, case) = usable_link(c, &token, now)?;
        let refuse = |c: &mut DbConn, e: Error, why: &str| -> Result<Status> {
            store::links::log_use(c, link.id, naive(now), "POST", Some(act.as_str()), why)?;
            Err(e)
        };
        if link.role != LinkRole::Handler {
            return refuse(c, refused("Đường dẫn này chỉ để xem.", "This link is read-only."), "not_handler");
        }
        if !links::csrf_ok(&ctx.secret, link.id, case.event_count, &csrf) {
            let e = refused(
                "Trang đã cũ: phản ánh vừa thay đổi (hoặc biểu mẫu đã được gửi). Không có gì thay đổi; hãy tải lại trang.",
                "This page is out of date: the case changed (or the form was already sent). Nothing changed; reload the page.",
            );
            return refuse(c, e, "stale");
        }
        let Some(to) = act.next(case.status) else {
            let e = refused(
                "Thao tác này không còn thực hiện được ở tình trạng hiện tại.",
                "This action is not possible in the case's current status.",
            );
            return refuse(c, e, "not_allowed");
        };
        let actor =
            format!("officer:{}", ctx.officer_code(c, link.officer_id)?.unwrap_or_else(|| link.email.clone()));
        match perform(c, &ctx, &case, act, to, &input, &actor) {
            Ok(()) => {}
            Err(Stop::Refused(why, e)) => return refuse(c, e, why),
            Err(Stop::Failed(e)) => return Err(e),
        }
        store::links::log_use(c, link.id, naive(now), "POST", Some(act.as_str()), "done")?;
        Ok(store::cases::get(c, case.id)?.status)
    })
}

/// One action on a case whose status was checked (`to` is where it goes), by `actor`, for a
/// caller that checked who may act (the staff console): the same steps as through a link.
pub(crate) fn perform_act(
    c: &mut DbConn,
    ctx: &Ctx,
    case: &Case,
    act: Act,
    to: Status,
    input: &ActInput,
    actor: &str,
) -> Result<()> {
    match perform(c, ctx, case, act, to, input, actor) {
        Ok(()) => Ok(()),
        Err(Stop::Refused(_, e) | Stop::Failed(e)) => Err(e),
    }
}

/// Why an action did not happen: refused for a reason the link's log records, or failed (bad
/// input, a database error) with nothing to log.
enum Stop {
    Refused(&'static str, Error),
    Failed(Error),
}

impl From<Error> for Stop {
    fn from(e: Error) -> Stop {
        Stop::Failed(e)
    }
}

/// One action on a case whose link, page and status were checked.
fn perform(
    c: &mut DbConn,
    ctx: &Ctx,
    case: &Case,
    act: Act,
    to: Status,
    input: &ActInput,
    actor: &str,
) -> std::result::Result<(), Stop> {
    let now = ctx.now;
    match act {
        Act::Acknowledge => {
            store::cases::set_status(c, case.id, to, naive(now))?;
            let fresh = store::cases::get(c, case.id)?;
            super::timers::reschedule(c, ctx, &fresh)?;
            ctx.event(c, case.id, actor, EventKind::Acknowledged, json!({}))?;
            let fresh = store::cases::get(c, case.id)?;
            notify_citizen(c, ctx, &fresh, CitizenKind::Acknowledged, "")?;
        }
        Act::Resolve | Act::Dismiss => {
            let outcome = if act == Act::Dismiss {
                Some(Dismissal::parse(input.outcome.trim()).ok_or_else(|| {
                    Error::Invalid(t!("Hãy chọn lý do không xử lý", "Choose why the case is not pursued"))
                })?)
            } else {
                None
            };
            let label = if act == Act::Resolve {
                t!("Nội dung trả lời", "The answer")
            } else {
                t!("Lý do", "The reason")
            };
            let text = text_input(&input.text, ANSWER_MIN, label)?;
            store::cases::close(c, case.id, to, &text, outcome, naive(now))?;
            // Found untrue: the rating's index 7 no longer counts the report.
            crate::service::reports::rollup::case_changed(c, case.rating_id)?;
            let days = ctx.config.privacy.erase_after_days as i64;
            store::cases::schedule_erasure(c, case.id, naive(now + Duration::days(days)))?;
            let kind = if act == Act::Resolve { EventKind::Resolved } else { EventKind::Dismissed };
            let data = json!({ "outcome": outcome.map(|o| o.as_str()), "answer_sha256": text_digest(&text) });
            ctx.event(c, case.id, actor, kind, data)?;
            let fresh = store::cases::get(c, case.id)?;
            notify_citizen(c, ctx, &fresh, CitizenKind::Answer, &text)?;
            mail::tell_oversight(c, ctx, &fresh)?;
        }
        Act::RequestInfo => {
            let q = text_input(&input.text, REASON_MIN, t!("Câu hỏi", "The question"))?;
            store::cases::pause(c, case.id, &q, naive(now))?;
            ctx.event(c, case.id, actor, EventKind::InfoRequested, json!({ "question_sha256": text_digest(&q) }))?;
            let fresh = store::cases::get(c, case.id)?;
            notify_citizen(c, ctx, &fresh, CitizenKind::InfoRequest, &q)?;
        }
        Act::RequestExplanation => {
            let Some(accused) = case.officer_id else {
                return Err(Stop::Refused(
                    "no_officer",
                    refused(
                        "Phản ánh không nêu cán bộ nào để đề nghị giải trình.",
                        "The report names no officer to ask.",
                    ),
                ));
            };
            let Some(to) = To::officer(c, ctx, accused)? else {
                return Err(Stop::Refused(
                    "no_email",
                    refused(
                        "Cán bộ được phản ánh không có địa chỉ thư trong tệp tổ chức.",
                        "The officer concerned has no email address on file.",
                    ),
                ));
            };
            let officer = ctx.officer_code(c, Some(accused))?;
            ctx.event(c, case.id, actor, EventKind::ExplanationRequested, json!({ "officer": officer }))?;
            let fresh = store::cases::get(c, case.id)?;
            let cal = ctx.calendar_of(c, case.handler_unit_id)?;
            let m = StaffMail::one(&fresh, &to, StaffKind::ExplanationRequest, Some(LinkRole::Explainer), &cal);
            mail::notify(c, ctx, &m)?;
        }
        Act::Forward => {
            let reason = text_input(&input.text, REASON_MIN, t!("Lý do chuyển", "The reason"))?;
            let code = input.unit.trim();
            let target = store::org::unit_by_code(c, code)?.filter(|u| u.active).ok_or_else(|| {
                Error::Invalid(t!("Không có đơn vị đang hoạt động mã {code:?}", "No active unit with code {code:?}"))
            })?;
            if Some(target.id) == case.handler_unit_id {
                return Err(Error::Invalid(t!(
                    "Phản ánh đang ở chính đơn vị này",
                    "The case is already with this unit"
                ))
                .into());
            }
            store::cases::set_route_unit(c, case.id, target.id)?;
            let data = json!({ "to": target.code, "reason_sha256": text_digest(&reason) });
            ctx.event(c, case.id, actor, EventKind::ForwardRequested, data)?;
            let fresh = store::cases::get(c, case.id)?;
            let org = ctx.org_view(c, &fresh)?;
            let d = routing::route(&org, &ctx.request(&fresh)).map_err(Error::Invalid)?;
            assign(c, ctx, &fresh, &d, Assignment::Forward)?;
        }
        Act::Escalate => {
            let reason = text_input(&input.text, REASON_MIN, t!("Lý do chuyển lên", "The reason"))?;
            let org = ctx.org_view(c, case)?;
            let Some(d) = routing::escalation(&org, &ctx.request(case), case.level as u32) else {
                return Err(Stop::Refused(
                    "top",
                    refused("Không còn cấp trên để chuyển lên.", "There is no level above."),
                ));
            };
            let data = json!({ "reason_sha256": text_digest(&reason) });
            ctx.event(c, case.id, actor, EventKind::EscalationRequested, data)?;
            let fresh = store::cases::get(c, case.id)?;
            assign(c, ctx, &fresh, &d, Assignment::EscalationRequested)?;
        }
    }
    Ok(())
}

/// The officer concerned sends their explanation (giải trình) through their own link.
pub fn explain(s: &Services, token: &str, csrf: &str, text: &str, now: DateTime<Utc>) -> Result<()> {
    let ctx = s.case_ctx(now);
    let text = text_input(text, ANSWER_MIN, t!("Nội dung giải trình", "The explanation"))?;
    let (token, csrf) = (token.to_string(), csrf.to_string());
    s.db.write(move |c| {
        let (link, case) = usable_link(c, &token, now)?;
        if link.role != LinkRole::Explainer || !links::csrf_ok(&ctx.secret, link.id, case.event_count, &csrf) {
            store::links::log_use(c, link.id, naive(now), "POST", Some("explain"), "refused")?;
            return Err(refused(
                "Trang đã cũ hoặc không dùng để giải trình. Không có gì thay đổi.",
                "This page is out of date or not for explanations. Nothing changed.",
            ));
        }
        if store::cases::latest_text(c, case.id, TextKind::Explanation)?.is_some() {
            return Err(refused("Giải trình đã được gửi trước đó.", "An explanation was already sent."));
        }
        store::cases::add_text(c, case.id, TextKind::Explanation, &text, naive(now))?;
        let actor = format!("officer:{}", ctx.officer_code(c, link.officer_id)?.unwrap_or_default());
        ctx.event(c, case.id, &actor, EventKind::ExplanationReceived, json!({ "sha256": text_digest(&text) }))?;
        store::links::log_use(c, link.id, naive(now), "POST", Some("explain"), "done")?;
        let fresh = store::cases::get(c, case.id)?;
        let cal = ctx.calendar_of(c, fresh.handler_unit_id)?;
        notify_handler(c, &ctx, &fresh, StaffKind::ExplanationReceived, &cal)
    })
}

/// A fresh link for the holder of an expired one (sent to the same address).
pub fn renew_link(s: &Services, token: &str, now: DateTime<Utc>) -> Result<()> {
    let ctx = s.case_ctx(now);
    let token = token.to_string();
    s.db.write(move |c| {
        let link = match open_link(c, &token, "POST", now)? {
            Opened::Expired { link } => link,
            Opened::Ok { .. } => return Err(refused("Đường dẫn vẫn còn hiệu lực.", "The link is still valid.")),
            _ => return Err(refused("Đường dẫn này không thể gia hạn.", "This link cannot be renewed.")),
        };
        let case = store::cases::get(c, link.case_id)?;
        // A handler link is renewed only for the case's current handler.
        if link.role == LinkRole::Handler && case.handler_officer_id != link.officer_id {
            return Err(refused("Phản ánh đã chuyển cho người khác xử lý.", "The case has moved to another handler."));
        }
        let to = match link.officer_id {
            Some(id) => To::officer(c, &ctx, id)?,
            None => None,
        }
        .unwrap_or(To {
            officer: link.officer_id,
            addressee: Default::default(),
            email: link.email.clone(),
            lang: Lang::Vi,
        });
        // One renewal per link and day.
        let key = format!("renew:{}:{}", link.id, ctx.today());
        let cal = ctx.calendar_of(c, case.handler_unit_id)?;
        store::links::log_use(c, link.id, naive(now), "POST", Some("renew"), "done")?;
        let m = StaffMail::one(&case, &to, StaffKind::FreshLink, Some(link.role), &cal);
        mail::notify_keyed(c, &ctx, &m, key)
    })
}
