//! A case on the console: found by its number, only within the signed-in person's scope (out of
//! scope, or about them: not found, the same answer as a number that does not exist). The page
//! and the actions are the emailed link's own (`service::cases::case_view`, `perform_act`); only
//! who may act and the CSRF token differ.

use chrono::{DateTime, Utc};
use serde_json::json;

use super::{Staff, case_scope, mac, mac_ok};
use crate::domain::access::{self, CaseFacts, StaffRole};
use crate::domain::case::{Act, LinkRole, Status};
use crate::error::{Error, Result};
use crate::service::Services;
use crate::service::cases::{ActInput, CaseView, Seen, case_view, perform_act};
use crate::store::cases::Case;
use crate::store::{self, DbConn};
use crate::t;

fn not_found(number: &str) -> Error {
    Error::NotFound(t!("Không có phản ánh số {number}", "There is no case {number}"))
}

fn facts(case: &Case) -> CaseFacts {
    CaseFacts {
        desk_unit: case.unit_id,
        handler_unit: case.handler_unit_id,
        handler_officer: case.handler_officer_id,
        accused: case.officer_id,
    }
}

/// The case of a number if the person may see it.
fn visible(c: &mut DbConn, staff: &Staff, number: &str) -> Result<(Case, CaseFacts, access::CaseScope)> {
    let case = store::cases::by_number(c, number.trim())?.ok_or_else(|| not_found(number))?;
    let f = facts(&case);
    let scope = case_scope(c, staff)?;
    if !scope.sees(&f) {
        return Err(not_found(number));
    }
    Ok((case, f, scope))
}

fn case_csrf(s: &Services, staff: &Staff, case: &Case) -> String {
    mac(&s.secret, "staff-case", &format!("{}:{}:{}", staff.session_id, case.id, case.event_count))
}

/// A case as the console shows it.
#[derive(Debug, Clone)]
pub struct ConsoleCase {
    pub view: CaseView,
    /// An admin may open the complainant's contact details by stating why (they are not shown).
    pub can_reveal: bool,
}

/// The case page on the console. Showing the complainant's contact details is recorded in the
/// admin audit log.
pub fn page(s: &Services, staff: &Staff, number: &str, now: DateTime<Utc>) -> Result<ConsoleCase> {
    show(s, staff, number, None, now)
}

/// The case page with the complainant's contact details opened by an admin, who states why
/// (at least 10 characters; recorded with the view in the admin audit log).
pub fn reveal(s: &Services, staff: &Staff, number: &str, reason: &str, now: DateTime<Utc>) -> Result<ConsoleCase> {
    if staff.role() != StaffRole::Admin {
        return Err(Error::Conflict(t!(
            "Chỉ quản trị mới được mở thông tin liên hệ với lý do; người xử lý thấy sẵn.",
            "Only an administrator may open contact details with a reason; the handler sees them already."
        )));
    }
    let reason = reason.trim();
    if reason.chars().count() < 10 {
        return Err(Error::Invalid(t!(
            "Hãy nêu lý do xem thông tin liên hệ (ít nhất 10 ký tự)",
            "State why you open the contact details (at least 10 characters)"
        )));
    }
    show(s, staff, number, Some(reason), now)
}

fn show(s: &Services, staff: &Staff, number: &str, reason: Option<&str>, now: DateTime<Utc>) -> Result<ConsoleCase> {
    let (case, f, scope, has_contact) = s.db.read(|c| {
        let (case, f, scope) = visible(c, staff, number)?;
        let has = store::cases::has_contact(c, case.id)?;
        Ok((case, f, scope, has))
    })?;
    let handler = access::is_handler(&staff.person, &f);
    let seen = Seen {
        role: LinkRole::Handler,
        acts: access::may_act(&staff.person, &scope, &f),
        contact: handler || reason.is_some(),
        csrf: case_csrf(s, staff, &case),
    };
    let mut view = s.db.read(|c| case_view(c, s, &seen, &case, now))?;
    if !seen.acts {
        view.role = LinkRole::Observer;
    }
    if view.contact.is_some() {
        let (staff, number) = (staff.clone(), view.number.clone());
        let detail = json!({ "case": number, "reason": reason }).to_string();
        s.db.write(move |c| {
            let actor = staff.actor(c)?;
            store::staff::audit(c, now.naive_utc(), &actor, "contact_viewed", &detail)
        })?;
    }
    let can_reveal = staff.role() == StaffRole::Admin && has_contact && view.contact.is_none();
    Ok(ConsoleCase { view, can_reveal })
}

/// An action on a case from the console: the person must see the case and may act on it; the
/// form's token must be this session's for the case as it was shown.
pub fn act(
    s: &Services,
    staff: &Staff,
    number: &str,
    csrf: &str,
    act: Act,
    input: ActInput,
    now: DateTime<Utc>,
) -> Result<Status> {
    let ctx = s.case_ctx(now);
    let (staff, number, csrf) = (staff.clone(), number.to_string(), csrf.to_string());
    let secret = s.secret.clone();
    s.db.write(move |c| {
        let (case, f, scope) = visible(c, &staff, &number)?;
        if !access::may_act(&staff.person, &scope, &f) {
            return Err(Error::Conflict(t!(
                "Đồng chí chỉ được xem phản ánh này.",
                "You may only read this case."
            )));
        }
        let data = format!("{}:{}:{}", staff.session_id, case.id, case.event_count);
        if !mac_ok(&secret, "staff-case", &data, &csrf) {
            return Err(Error::Conflict(t!(
                "Trang đã cũ: phản ánh vừa thay đổi (hoặc biểu mẫu đã được gửi). Không có gì thay đổi; hãy tải lại trang.",
                "This page is out of date: the case changed (or the form was already sent). Nothing changed; reload the page."
            )));
        }
        if act == Act::RequestExplanation && case.officer_id.is_none() {
            return Err(Error::Conflict(t!(
                "Phản ánh không nêu cán bộ nào để đề nghị giải trình.",
                "The report names no officer to ask."
            )));
        }
        let Some(to) = act.next(case.status) else {
            return Err(Error::Conflict(t!(
                "Thao tác này không còn thực hiện được ở tình trạng hiện tại.",
                "This action is not possible in the case's current status."
            )));
        };
        let actor = staff.actor(c)?;
        perform_act(c, &ctx, &case, act, to, &input, &actor)?;
        Ok(store::cases::get(c, case.id)?.status)
    })
}

/// How a handling window went, for the dossier.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Window {
    Met,
    /// A deadline-missed entry is in the log (at least once, at any level).
    Missed,
    Pending(DateTime<Utc>),
    NotApplicable,
}

/// The acknowledgement and resolution windows of a case, from its log and status.
pub fn windows(v: &CaseView) -> [(bool, Window); 2] {
    use crate::domain::case::EventKind;
    use crate::service::cases::Detail;
    let missed = |ack: bool| {
        v.log.iter().any(|e| e.kind == EventKind::DeadlineMissed && e.detail == Detail::Window { acknowledgement: ack })
    };
    let acknowledged = v.status.is_closed() || v.log.iter().any(|e| e.kind == EventKind::Acknowledged);
    let ack = if missed(true) {
        Window::Missed
    } else if acknowledged {
        Window::Met
    } else {
        v.ack_due.map_or(Window::NotApplicable, Window::Pending)
    };
    let resolve = if missed(false) {
        Window::Missed
    } else if v.status.is_closed() {
        Window::Met
    } else {
        v.resolve_due.map_or(Window::NotApplicable, Window::Pending)
    };
    [(true, ack), (false, resolve)]
}
