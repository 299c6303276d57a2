//! Read models of a case: what the handler's page, the citizen's tracking page and the API show,
//! gathered in one read into plain structs (the web layer only chooses words and renders). Who
//! may see what is decided here: contact details only for the handler, and only with consent;
//! the officer concerned never sees who reported, nor the receipt.

use chrono::{DateTime, Utc};

use super::handler::{Opened, find_link, open_link};
use super::utc;
use crate::domain::case::{Act, Category, Dismissal, EventKind, LinkRole, Status, TextKind};
use crate::error::Result;
use crate::service::Services;
use crate::service::links;
use crate::store::cases::{Case, Event};
use crate::store::links::Link;
use crate::store::{self, DbConn};

/// The complainant's contact details, opened from the vault.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Contact {
    pub name: String,
    pub phone: String,
    pub email: String,
}

/// One entry of a case's log as staff see it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogEntry {
    pub at: DateTime<Utc>,
    pub kind: EventKind,
    /// Where the case went and why, or the outcome (no personal data is ever in the log).
    pub detail: String,
}

/// Who handles a case now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Handler {
    pub officer: Option<String>,
    pub unit: String,
}

/// The page behind an emailed link.
#[derive(Debug, Clone)]
pub struct CaseView {
    pub role: LinkRole,
    /// The citizen's receipt; `None` for the officer concerned.
    pub receipt: Option<String>,
    pub status: Status,
    pub category: Category,
    pub desk: String,
    pub desk_unit: String,
    pub occurred: Option<DateTime<Utc>>,
    pub received: DateTime<Utc>,
    /// `None` while no handler could be found.
    pub handler: Option<Handler>,
    /// The acknowledgement deadline, while one applies.
    pub ack_due: Option<DateTime<Utc>>,
    /// The resolution deadline, while the case is open.
    pub resolve_due: Option<DateTime<Utc>>,
    pub now: DateTime<Utc>,
    /// The officer concerned ("name — title"); `None` when none was named, or for that officer.
    pub officer: Option<String>,
    pub description: String,
    /// Only for the handler, only with the citizen's consent.
    pub contact: Option<Contact>,
    /// Answers, questions, replies and the explanation (not for the officer concerned).
    pub texts: Vec<(TextKind, String, DateTime<Utc>)>,
    pub can_explain: bool,
    /// The token the page's forms carry.
    pub csrf: String,
    /// What the handler can do now.
    pub acts: Vec<Act>,
    /// Units a handler may forward to: (code, name).
    pub units: Vec<(String, String)>,
    pub log: Vec<LogEntry>,
}

impl CaseView {
    pub fn ack_overdue(&self) -> bool {
        self.ack_due.is_some_and(|t| t < self.now)
    }

    pub fn resolve_overdue(&self) -> bool {
        self.resolve_due.is_some_and(|t| t < self.now)
    }
}

/// What an emailed link leads to.
pub enum LinkPage {
    Case(Box<CaseView>),
    Expired,
    Revoked,
    Unknown,
}

/// The page of a link as its holder opens it (the use is logged).
pub fn case_page(s: &Services, token: &str, now: DateTime<Utc>) -> Result<LinkPage> {
    let t = token.to_string();
    let opened = s.db.write(move |c| open_link(c, &t, "GET", now))?;
    page_of(s, opened, now)
}

/// The page of a link as it is now, shown again after a refused action (already logged).
pub fn case_page_again(s: &Services, token: &str, now: DateTime<Utc>) -> Result<LinkPage> {
    let opened = s.db.read(|c| find_link(c, token, now))?;
    page_of(s, opened, now)
}

fn page_of(s: &Services, opened: Opened, now: DateTime<Utc>) -> Result<LinkPage> {
    Ok(match opened {
        Opened::Ok { link, case } => LinkPage::Case(Box::new(s.db.read(|c| case_view(c, s, &link, &case, now))?)),
        Opened::Expired { .. } => LinkPage::Expired,
        Opened::Revoked { .. } => LinkPage::Revoked,
        Opened::Unknown => LinkPage::Unknown,
    })
}

/// Everything the case page shows, read in one go.
fn case_view(c: &mut DbConn, s: &Services, link: &Link, case: &Case, now: DateTime<Utc>) -> Result<CaseView> {
    let role = link.role;
    let handling = role == LinkRole::Handler;
    let explainer = role == LinkRole::Explainer;
    let desk = store::org::desk(c, case.desk_id)?;
    let desk_unit = store::org::unit(c, desk.unit_id)?;
    let handler = match (case.handler_unit_id, case.handler_officer_id) {
        (Some(u), o) => Some(Handler {
            officer: o.map(|o| store::org::officer(c, o).map(|o| o.name)).transpose()?,
            unit: store::org::unit(c, u)?.name,
        }),
        (None, _) => None,
    };
    let officer = match case.officer_id.filter(|_| !explainer) {
        Some(id) => Some(store::org::officer(c, id)?.label()),
        None => None,
    };
    // Contact details: only for the handler, only with consent (the handler is never the accused).
    let contact = if handling { contact_of(c, s, case)? } else { None };
    let texts = if explainer {
        Vec::new()
    } else {
        store::cases::texts(c, case.id)?.into_iter().map(|(k, body, at)| (k, body, utc(at))).collect()
    };
    let explained = store::cases::latest_text(c, case.id, TextKind::Explanation)?.is_some();
    let log = store::cases::events(c, case.id)?.iter().map(log_entry).collect();
    let acts = if handling {
        Act::available(case.status)
            .into_iter()
            .filter(|a| *a != Act::RequestExplanation || case.officer_id.is_some())
            .collect()
    } else {
        Vec::new()
    };
    let units = if handling {
        store::org::active_units(c)?
            .into_iter()
            .filter(|u| Some(u.id) != case.handler_unit_id)
            .map(|u| (u.code, u.name))
            .collect()
    } else {
        Vec::new()
    };
    Ok(CaseView {
        role,
        receipt: (!explainer).then(|| case.receipt.clone()),
        status: case.status,
        category: case.category,
        desk: desk.name,
        desk_unit: desk_unit.name,
        occurred: case.occurred_at.map(utc),
        received: utc(case.created_at),
        handler,
        ack_due: case.ack_due_at.filter(|_| matches!(case.status, Status::Received | Status::Reopened)).map(utc),
        resolve_due: case.resolve_due_at.filter(|_| !case.status.is_closed()).map(utc),
        now,
        officer,
        description: case.description.clone().unwrap_or_default(),
        contact,
        texts,
        can_explain: explainer && !explained,
        csrf: links::csrf(&s.secret, link.id, case.event_count),
        acts,
        units,
        log,
    })
}

/// The complainant's contact details, opened, when they consented and they were not erased.
fn contact_of(c: &mut DbConn, s: &Services, case: &Case) -> Result<Option<Contact>> {
    let Some(sealed) = store::cases::contact(c, case.id)?.and_then(|x| x.sealed) else { return Ok(None) };
    let opened = crate::vault::open(&s.secret, case.id, &sealed)?;
    Ok(Some(Contact {
        name: opened.name.unwrap_or_default(),
        phone: opened.phone.unwrap_or_default(),
        email: opened.email.unwrap_or_default(),
    }))
}

fn log_entry(e: &Event) -> LogEntry {
    LogEntry { at: utc(e.at), kind: e.kind, detail: event_detail(e.kind, &e.data) }
}

/// Short detail from an event's data.
fn event_detail(kind: EventKind, data: &str) -> String {
    use EventKind::*;
    let v: serde_json::Value = serde_json::from_str(data).unwrap_or_default();
    match kind {
        Routed | Escalated | Forwarded | Reopened => {
            let unit = v["unit"].as_str().unwrap_or("");
            let reasons: Vec<&str> = v["reasons"]
                .as_array()
                .map(|a| a.iter().filter_map(|r| r["text"].as_str()).collect())
                .unwrap_or_default();
            if reasons.is_empty() { format!("→ {unit}") } else { format!("→ {unit}: {}", reasons.join("; ")) }
        }
        Reminder | DeadlineMissed | OverdueAtTop => v["kind"].as_str().unwrap_or("").to_string(),
        Dismissed => v["outcome"].as_str().unwrap_or("").to_string(),
        ForwardRequested => format!("→ {}", v["to"].as_str().unwrap_or("")),
        _ => String::new(),
    }
}

/// A step of a case as the citizen sees it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct PublicStep {
    pub kind: EventKind,
    pub at: DateTime<Utc>,
}

/// What identifies a case to its citizen, and where it stands.
#[derive(Debug, Clone)]
pub struct CaseSummary {
    pub receipt: String,
    pub status: Status,
    pub category: Category,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// The handler's answer (resolved) or reason (dismissed, with the outcome).
#[derive(Debug, Clone)]
pub struct Answer {
    pub text: String,
    pub outcome: Option<Dismissal>,
}

/// What the citizen may do on the tracking page now, and the token the page's forms carry.
#[derive(Debug, Clone)]
pub struct CitizenForms {
    pub token: String,
    pub can_reply: bool,
    pub can_rate: bool,
    /// Contact details are still kept (so the page offers to erase them).
    pub has_contact: bool,
}

/// A case as its citizen follows it by receipt: status, dates and steps, the answer; never a name.
#[derive(Debug, Clone)]
pub struct TrackView {
    pub case: CaseSummary,
    pub steps: Vec<PublicStep>,
    pub answer: Option<Answer>,
    /// The handler's question while the case waits for the citizen.
    pub question: Option<String>,
    pub forms: CitizenForms,
}

/// The case of a receipt, as the citizen sees it; `None` when no case has it.
pub fn track(s: &Services, receipt: &str) -> Result<Option<TrackView>> {
    s.db.read(|c| {
        let Some(case) = store::cases::by_receipt(c, receipt)? else { return Ok(None) };
        let steps = store::cases::events(c, case.id)?
            .iter()
            .filter(|e| e.kind.is_public())
            .map(|e| PublicStep { kind: e.kind, at: utc(e.at) })
            .collect();
        let answer = match case.status {
            Status::Resolved | Status::Dismissed => store::cases::latest_text(c, case.id, TextKind::Answer)?
                .map(|(text, _)| Answer { text, outcome: case.outcome }),
            _ => None,
        };
        let question = match case.status {
            Status::WaitingCitizen => store::cases::latest_text(c, case.id, TextKind::Question)?.map(|(t, _)| t),
            _ => None,
        };
        let forms = CitizenForms {
            token: super::citizen_token(s, &case),
            can_reply: case.status == Status::WaitingCitizen,
            can_rate: case.status.is_closed() && case.citizen_verdict.is_none(),
            has_contact: store::cases::has_contact(c, case.id)?,
        };
        let summary = CaseSummary {
            receipt: case.receipt,
            status: case.status,
            category: case.category,
            created_at: utc(case.created_at),
            updated_at: utc(case.updated_at),
        };
        Ok(Some(TrackView { case: summary, steps, answer, question, forms }))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn log_details_say_where_and_why_without_personal_data() {
        let routed =
            r#"{"unit":"X-PHUOCHUNG","reasons":[{"code":"a","text":"Lý do một"},{"code":"b","text":"Lý do hai"}]}"#;
        assert_eq!(event_detail(EventKind::Routed, routed), "→ X-PHUOCHUNG: Lý do một; Lý do hai");
        assert_eq!(event_detail(EventKind::Escalated, r#"{"unit":"TP"}"#), "→ TP");
        assert_eq!(event_detail(EventKind::Reminder, r#"{"kind":"ack_reminder","level":0}"#), "ack_reminder");
        assert_eq!(event_detail(EventKind::Dismissed, r#"{"outcome":"duplicate"}"#), "duplicate");
        assert_eq!(event_detail(EventKind::ForwardRequested, r#"{"to":"TP-TP"}"#), "→ TP-TP");
        assert_eq!(event_detail(EventKind::Received, r#"{"description_sha256":"ab"}"#), "");
        assert_eq!(event_detail(EventKind::Routed, "not json"), "→ ");
    }
}
