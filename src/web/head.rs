//! The pages behind the links in staff emails: `/h/{token}`. Opening a link only shows the case
//! (mail scanners open every link); only a POST from the page, carrying its CSRF token, acts.

use std::collections::HashMap;

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use chrono::Utc;

use super::error::{Format, WebError};
use super::page::{CSS, render_private, see_other};
use super::text::Tr;
use super::{Route, lang_of, switch_href};
use crate::domain::case::{Act, Dismissal, LinkRole};
use crate::error::Error;
use crate::i18n::{Lang, local_time};
use crate::service::cases::{self, ActInput, CaseView, Detail, LinkPage as Leads};
use crate::service::{Services, blocking};

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(Route::page("/h/{token}").get(show).post(post)).service(Route::page("/h/{token}/renew").post(renew));
}

struct ActForm {
    code: &'static str,
    title: &'static str,
    hint: &'static str,
    text_label: &'static str,
    button: &'static str,
    outcomes: bool,
    units: bool,
    primary: bool,
}

#[derive(Template)]
#[template(path = "head/case.html")]
pub(super) struct CasePage {
    tr: Tr,
    /// On the console: the inbox's address and who is signed in (empty on a link's page).
    pub(super) back: String,
    pub(super) who: String,
    /// On the console: an admin may open the contact details with a reason; the dossier's address.
    pub(super) can_reveal: bool,
    pub(super) dossier: String,
    /// The session's token (the reveal form), empty on a link's page.
    pub(super) session_csrf: String,
    css: &'static str,
    switch_href: String,
    action: String,
    role_label: &'static str,
    pub(super) banner: String,
    pub(super) error: String,
    number: String,
    status: &'static str,
    status_code: &'static str,
    category: &'static str,
    desk: String,
    desk_unit: String,
    occurred: String,
    received: String,
    handler: String,
    ack_due: String,
    ack_overdue: bool,
    resolve_due: String,
    resolve_overdue: bool,
    officer: String,
    description: String,
    show_contact: bool,
    contact_name: String,
    contact_phone: String,
    contact_email: String,
    texts: Vec<(String, String, String)>,
    can_explain: bool,
    csrf: String,
    acts: Vec<ActForm>,
    outcomes: Vec<(&'static str, &'static str)>,
    units: Vec<(String, String)>,
    log: Vec<(String, String, &'static str, String)>,
}

#[derive(Template)]
#[template(path = "head/link.html")]
struct LinkPage {
    tr: Tr,
    css: &'static str,
    switch_href: String,
    title: &'static str,
    body: String,
    can_renew: bool,
    renew_action: String,
}

/// A page about the link itself (expired, revoked, unknown, renewed).
fn link_page(
    req: &HttpRequest,
    tr: Tr,
    status: StatusCode,
    title: &str,
    body: String,
    renew: Option<&str>,
) -> Result<HttpResponse, WebError> {
    let p = LinkPage {
        tr,
        css: CSS,
        switch_href: switch_href(req, tr),
        title: tr.t(title),
        body,
        can_renew: renew.is_some(),
        renew_action: renew.map(|t| format!("/h/{t}/renew")).unwrap_or_default(),
    };
    render_private(status, tr.0, &p)
}

impl CasePage {
    /// The page of a case; its forms post to `action`.
    pub(super) fn new(tr: Tr, action: String, switch_href: String, v: CaseView) -> CasePage {
        let lang = tr.0;
        let role_label = match v.role {
            LinkRole::Handler => tr.t("head.role_handler"),
            LinkRole::Observer => tr.t("head.role_observer"),
            LinkRole::Explainer => tr.t("head.role_explainer"),
        };
        let contact = v.contact.clone().unwrap_or_default();
        CasePage {
            tr,
            back: String::new(),
            who: String::new(),
            can_reveal: false,
            dossier: String::new(),
            session_csrf: String::new(),
            css: CSS,
            switch_href,
            action,
            role_label,
            banner: String::new(),
            error: String::new(),
            number: v.number.clone(),
            status: v.status.label(lang),
            status_code: v.status.as_str(),
            category: v.category.label(lang),
            occurred: v.occurred.map(|t| local_time(t, lang)).unwrap_or_default(),
            received: local_time(v.received, lang),
            handler: match &v.handler {
                Some(h) => match &h.officer {
                    Some(o) => format!("{o} — {}", h.unit),
                    None => h.unit.clone(),
                },
                None => tr.t("head.unrouted").to_string(),
            },
            ack_due: v.ack_due.map(|t| local_time(t, lang)).unwrap_or_default(),
            ack_overdue: v.ack_overdue(),
            resolve_due: v.resolve_due.map(|t| local_time(t, lang)).unwrap_or_default(),
            resolve_overdue: v.resolve_overdue(),
            officer: v.officer.clone().unwrap_or_default(),
            show_contact: v.contact.is_some(),
            contact_name: contact.name,
            contact_phone: contact.phone,
            contact_email: contact.email,
            texts: v
                .texts
                .iter()
                .map(|(k, body, at)| (k.label(lang).to_string(), body.clone(), local_time(*at, lang)))
                .collect(),
            can_explain: v.can_explain,
            acts: v.acts.iter().map(|a| act_form(*a, tr)).collect(),
            outcomes: Dismissal::ALL.iter().map(|d| (d.as_str(), d.label(lang))).collect(),
            log: v
                .log
                .iter()
                .map(|e| (e.at.to_rfc3339(), local_time(e.at, lang), e.kind.label(lang), detail(&e.detail, tr)))
                .collect(),
            // The desk's unit only when its name does not already say it.
            desk_unit: if v.desk.to_lowercase().contains(&v.desk_unit.to_lowercase()) {
                String::new()
            } else {
                v.desk_unit
            },
            desk: v.desk,
            description: v.description,
            csrf: v.csrf,
            units: v.units,
        }
    }
}

pub(super) fn act_form_title(a: Act, tr: Tr) -> &'static str {
    act_form(a, tr).title
}

fn act_form(a: Act, tr: Tr) -> ActForm {
    let t = |k: &str| tr.t(k);
    let (title, hint, text_label, button, primary) = match a {
        Act::Acknowledge => (t("head.ack"), t("head.ack_hint"), "", t("head.ack_button"), true),
        Act::Resolve => {
            (t("head.resolve"), t("head.resolve_hint"), t("head.resolve_text"), t("head.resolve_button"), true)
        }
        Act::RequestInfo => (t("head.info"), t("head.info_hint"), t("head.info_text"), t("head.info_button"), false),
        Act::RequestExplanation => {
            (t("head.explanation"), t("head.explanation_hint"), "", t("head.explanation_button"), false)
        }
        Act::Dismiss => {
            (t("head.dismiss"), t("head.dismiss_hint"), t("head.dismiss_text"), t("head.dismiss_button"), false)
        }
        Act::Forward => (t("head.forward"), t("head.forward_hint"), t("head.reason"), t("head.forward_button"), false),
        Act::Escalate => {
            (t("head.escalate"), t("head.escalate_hint"), t("head.reason"), t("head.escalate_button"), false)
        }
    };
    ActForm {
        code: a.as_str(),
        title,
        hint,
        text_label,
        button,
        outcomes: a == Act::Dismiss,
        units: a == Act::Forward,
        primary,
    }
}

/// A log entry's detail in words: where the case went and why, which deadline, which outcome.
pub(super) fn detail(d: &Detail, tr: Tr) -> String {
    match d {
        Detail::None => String::new(),
        Detail::Moved { unit, reasons } if reasons.is_empty() => format!("→ {unit}"),
        Detail::Moved { unit, reasons } => format!("→ {unit}. {}", reasons.join(" ")),
        Detail::Window { acknowledgement: true } => tr.t("head.ack_due").to_string(),
        Detail::Window { acknowledgement: false } => tr.t("head.resolve_due").to_string(),
        Detail::Outcome(o) => o.label(tr.0).to_string(),
        Detail::Named(n) => n.clone(),
    }
}

/// What a link leads to, as a response: the case page, or the page about the link.
fn respond(req: &HttpRequest, tr: Tr, token: &str, leads: Leads) -> Result<Result<CasePage, HttpResponse>, WebError> {
    Ok(Err(match leads {
        Leads::Case(v) => {
            let (action, switch) = (format!("/h/{token}"), format!("/h/{token}?lang={}", tr.other()));
            return Ok(Ok(CasePage::new(tr, action, switch, *v)));
        }
        Leads::Expired => {
            link_page(req, tr, StatusCode::GONE, "head.expired_title", tr.t("head.expired").into(), Some(token))?
        }
        Leads::Revoked => {
            link_page(req, tr, StatusCode::GONE, "head.revoked_title", tr.t("head.revoked").into(), None)?
        }
        Leads::Unknown => {
            link_page(req, tr, StatusCode::NOT_FOUND, "head.unknown_title", tr.t("head.unknown").into(), None)?
        }
    }))
}

async fn show(
    req: HttpRequest,
    tr: Tr,
    s: web::Data<Services>,
    path: web::Path<String>,
    q: web::Query<HashMap<String, String>>,
) -> Result<HttpResponse, WebError> {
    let token = path.into_inner();
    let (s2, t2) = (s.clone(), token.clone());
    let leads = blocking(move || cases::case_page(&s2, &t2, Utc::now())).await;
    let leads = leads.map_err(|e| WebError::internal(tr.0, Format::Page, &e))?;
    let mut page = match respond(&req, tr, &token, leads)? {
        Ok(p) => p,
        Err(resp) => return Ok(resp),
    };
    if let Some(a) = q.get("done").and_then(|d| Act::parse(d)) {
        page.banner = format!("{} {}", tr.t("head.done"), act_form(a, tr).title);
    } else if q.get("done").is_some() {
        page.banner = tr.t("head.done").to_string();
    }
    render_private(StatusCode::OK, tr.0, &page)
}

async fn post(
    req: HttpRequest,
    s: web::Data<Services>,
    path: web::Path<String>,
    form: web::Form<HashMap<String, String>>,
) -> Result<HttpResponse, WebError> {
    let field = |k: &str| form.get(k).cloned().unwrap_or_default();
    let tr = Tr(Lang::parse(&field("lang")).unwrap_or_else(|| lang_of(&req)));
    let token = path.into_inner();
    let (action, csrf, text) = (field("action"), field("csrf"), field("text"));
    let input = ActInput { text: text.clone(), outcome: field("outcome"), unit: field("unit") };
    let (s2, t2) = (s.clone(), token.clone());
    let done = action.clone();
    let result = blocking(move || match (action.as_str(), Act::parse(&action)) {
        ("explain", _) => cases::explain(&s2, &t2, &csrf, &text, Utc::now()),
        (_, Some(a)) => cases::act(&s2, &t2, &csrf, a, input, Utc::now()).map(|_| ()),
        _ => Err(Error::Invalid(crate::t!("Thao tác không hợp lệ", "Unknown action"))),
    })
    .await;
    let e = match result {
        Ok(()) => return Ok(see_other(&format!("/h/{token}?done={done}&lang={}", tr.lang()))),
        Err(e @ (Error::Invalid(_) | Error::Conflict(_))) => e,
        Err(e) => return Err(WebError::from_service(e, tr.0, Format::Page)),
    };
    // The page again, as it is now, with the message; nothing changed.
    let status = if matches!(e, Error::Invalid(_)) { StatusCode::UNPROCESSABLE_ENTITY } else { StatusCode::CONFLICT };
    let (s2, t2) = (s.clone(), token.clone());
    let leads = blocking(move || cases::case_page_again(&s2, &t2, Utc::now())).await;
    let leads = leads.map_err(|e| WebError::internal(tr.0, Format::Page, &e))?;
    match respond(&req, tr, &token, leads)? {
        Ok(mut page) => {
            page.error = e.user_message(tr.0);
            render_private(status, tr.0, &page)
        }
        Err(resp) => Ok(resp),
    }
}

async fn renew(
    req: HttpRequest,
    tr: Tr,
    s: web::Data<Services>,
    path: web::Path<String>,
) -> Result<HttpResponse, WebError> {
    let token = path.into_inner();
    let s2 = s.clone();
    match blocking(move || cases::renew_link(&s2, &token, Utc::now())).await {
        Ok(()) => link_page(&req, tr, StatusCode::OK, "head.renewed_title", tr.t("head.renewed").into(), None),
        Err(e @ (Error::Conflict(_) | Error::Invalid(_))) => {
            link_page(&req, tr, StatusCode::CONFLICT, "head.renew_refused", e.user_message(tr.0), None)
        }
        Err(e) => Err(WebError::from_service(e, tr.0, Format::Page)),
    }
}
