//! Read models of a case: what the handler's page, the citizen's tracking page and the API show,
//! gathered in one read into plain structs (the web layer only chooses words and renders). Who
//! may see what is decided here: contact details only for the handler, and only with consent;
//! the officer concerned never sees who reported, nor the receipt.

use chrono::{DateTime, Utc};

use super::handler::{Opened, find_link, open_link};
use super::utc;
use crate::domain::case::{Act, Category, Dismissal, EventKind, LinkRole, Status, TextKind};
use crate::domain::org::Names;
use crate::error::Result;
use crate::service::Services;
use crate::service::links;
use crate::store::cases::{Case, Event};
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
    pub detail: Detail,
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
    /// The case number (staff never see the citizen's receipt).
    pub number: String,
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
        Opened::Ok { link, case } => {
            let seen = Seen {
                role: link.role,
                acts: link.role == LinkRole::Handler,
                contact: link.role == LinkRole::Handler,
                csrf: links::csrf(&s.secret, link.id, case.event_count),
            };
            LinkPage::Case(Box::new(s.db.read(|c| case_view(c, s, &seen, &case, now))?))
        }
        Opened::Expired { .. } => LinkPage::Expired,
        Opened::Revoked { .. } => LinkPage::Revoked,
        Opened::Unknown => LinkPage::Unknown,
    })
}

/// How a case page is seen: through which kind of link (or as what on the console), whether
/// its actions and the complainant's contact details are offered, and the forms' CSRF token.
pub(crate) struct Seen {
    pub role: LinkRole,
    pub acts: bool,
    /// Only the current handler (who is never the accused), only with the citizen's consent.
    pub contact: bool,
    pub csrf: String,
}

/// Everything the case page shows, read in one go.
pub(crate) fn case_view(
    c: &mut DbConn,
    s: &Services,
    seen: &Seen,
    case: &Case,
    now: DateTime<Utc>,
) -> Result<CaseView> {
    let role = seen.role;
    let handling = seen.acts;
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
    let contact = if seen.contact { contact_of(c, s, case)? } else { None };
    let texts = if explainer {
        Vec::new()
    } else {
        store::cases::texts(c, case.id)?.into_iter().map(|(k, body, at)| (k, body, utc(at))).collect()
    };
    let explained = store::cases::latest_text(c, case.id, TextKind::Explanation)?.is_some();
    let names = crate::domain::org::Names::new(&store::org::snapshot(c)?);
    let log = store::cases::events(c, case.id)?.iter().map(|e| log_entry(e, &names)).collect();
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
        number: case.number(),
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
        csrf: seen.csrf.clone(),
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

fn log_entry(e: &Event, names: &Names) -> LogEntry {
    LogEntry { at: utc(e.at), kind: e.kind, detail: event_detail(e.kind, &e.data, names) }
}

/// What a log entry adds to its kind, with names where the log keeps codes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Detail {
    None,
    /// Where the case went, and the routing's reasons (sentences).
    Moved {
        unit: String,
        reasons: Vec<String>,
    },
    /// Which window a reminder or missed deadline is about.
    Window {
        acknowledgement: bool,
    },
    Outcome(Dismissal),
    /// A unit or person the entry names; or a reason already in words.
    Named(String),
}

/// The detail of an event, from its data.
fn event_detail(kind: EventKind, data: &str, names: &Names) -> Detail {
    use EventKind::*;
    let v: serde_json::Value = serde_json::from_str(data).unwrap_or_default();
    let name = |key: &str| names.of(v[key].as_str().unwrap_or("")).to_string();
    match kind {
        Routed | Escalated | Forwarded | Reopened | Assigned => Detail::Moved {
            unit: name("unit"),
            reasons: v["reasons"]
                .as_array()
                .map(|a| a.iter().filter_map(|r| r["text"].as_str()).map(|t| names.render(t.trim())).collect())
                .unwrap_or_default(),
        },
        RoutingFailed => Detail::Named(names.render(v["reason"].as_str().unwrap_or(""))),
        Reminder | DeadlineMissed | OverdueAtTop => {
            Detail::Window { acknowledgement: v["kind"].as_str().is_some_and(|k| k.starts_with("ack")) }
        }
        Dismissed => v["outcome"].as_str().and_then(Dismissal::parse).map_or(Detail::None, Detail::Outcome),
        ForwardRequested => Detail::Named(name("to")),
        ExplanationRequested => Detail::Named(name("officer")),
        _ => Detail::None,
    }
}

/// A step of a case as the citizen sees it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct PublicStep {
    pub kind: EventKind,
    pub at: DateTime<Utc>,
    /// The answer given at this step (resolved, dismissed), or the citizen's reason for not
    /// being satisfied: kept in the timeline after the case reopens.
    #[serde(skip)]
    pub text: Option<String>,
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
    /// An email address is among them (the citizen hears of each step by email).
    pub has_email: bool,
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
        let texts = store::cases::texts(c, case.id)?;
        // A text belongs to the step written in the same transaction (the same instant).
        let text_at = |kind: TextKind, at| texts.iter().find(|(k, _, t)| *k == kind && *t == at).map(|x| x.1.clone());
        let steps = store::cases::events(c, case.id)?
            .iter()
            .filter(|e| e.kind.is_public())
            .map(|e| {
                let text = match e.kind {
                    EventKind::Resolved | EventKind::Dismissed => text_at(TextKind::Answer, e.at),
                    EventKind::CitizenNotSatisfied => text_at(TextKind::Appeal, e.at),
                    _ => None,
                };
                PublicStep { kind: e.kind, at: utc(e.at), text }
            })
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
        let sealed = store::cases::contact(c, case.id)?.and_then(|x| x.sealed);
        let has_email = match &sealed {
            Some(v) => crate::vault::open(&s.secret, case.id, v)?.email.is_some(),
            None => false,
        };
        let forms = CitizenForms {
            token: super::citizen_token(s, &case),
            can_reply: case.status == Status::WaitingCitizen,
            can_rate: case.status.is_closed() && case.citizen_verdict.is_none(),
            has_contact: sealed.is_some(),
            has_email,
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
    fn log_details_say_where_and_why_with_names_not_codes() {
        let org = crate::domain::org_file::parse(include_str!("../../../examples/tuyphuoc.toml")).unwrap().spec;
        let names = Names::new(&org);
        let routed = r#"{"unit":"X-PHUOCHUNG","reasons":[{"code":"a","text":"Người xử lý: X-PHUOCHUNG-01, người đứng đầu đơn vị X-PHUOCHUNG."},{"code":"b","text":"Lý do hai."}]}"#;
        let Detail::Moved { unit, reasons } = event_detail(EventKind::Routed, routed, &names) else { panic!() };
        assert_eq!(unit, "UBND xã Phước Hưng");
        assert!(reasons[0].starts_with("Người xử lý: ") && !reasons[0].contains("X-PHUOCHUNG"), "{reasons:?}");
        let moved = |u: &str| Detail::Moved { unit: u.into(), reasons: vec![] };
        assert_eq!(event_detail(EventKind::Escalated, r#"{"unit":"TP"}"#, &names), moved("UBND huyện Tuy Phước"));
        let ack = event_detail(EventKind::Reminder, r#"{"kind":"ack_reminder","level":0}"#, &names);
        assert_eq!(ack, Detail::Window { acknowledgement: true });
        let dup = event_detail(EventKind::Dismissed, r#"{"outcome":"duplicate"}"#, &names);
        assert_eq!(dup, Detail::Outcome(Dismissal::Duplicate));
        let to = event_detail(EventKind::ForwardRequested, r#"{"to":"TP-TP"}"#, &names);
        assert_eq!(to, Detail::Named("Phòng Tư pháp".into()));
        assert_eq!(event_detail(EventKind::Received, r#"{"description_sha256":"ab"}"#, &names), Detail::None);
        assert_eq!(event_detail(EventKind::Routed, "not json", &names), moved(""));
    }
}
