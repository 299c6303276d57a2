//! The pages behind the links in staff emails: `/h/{token}`. Opening a link only shows the case
//! (mail scanners open every link); only a POST from the page, carrying its CSRF token, acts.

use std::collections::HashMap;

use actix_web::http::{StatusCode, header};
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use chrono::Utc;

use super::page::{self, CSS};
use super::text::Tr;
use super::{lang_of, switch_href};
use crate::domain::case::{Act, Category, Dismissal, Status};
use crate::error::Error;
use crate::i18n::{Lang, local_time};
use crate::jobs::blocking;
use crate::service::Services;
use crate::service::cases::{self, ActInput, Opened};
use crate::service::links::{self, Role};
use crate::store::{self, DbConn};

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::resource("/h/{token}")
            .route(web::get().to(show))
            .route(web::post().to(post))
            .default_service(web::to(page::method_not_allowed)),
    )
    .service(
        web::resource("/h/{token}/renew")
            .route(web::post().to(renew))
            .default_service(web::to(page::method_not_allowed)),
    );
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
struct CasePage {
    tr: Tr,
    css: &'static str,
    switch_href: String,
    action: String,
    role_label: &'static str,
    banner: String,
    error: String,
    receipt: String,
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
    log: Vec<(String, String, String, String)>,
}

#[derive(Template)]
#[template(path = "head/link.html")]
struct LinkPage {
    tr: Tr,
    css: &'static str,
    switch_href: String,
    title: &'static str,
    body: &'static str,
    can_renew: bool,
    renew_action: String,
}

fn link_page(
    req: &HttpRequest,
    tr: Tr,
    status: StatusCode,
    title: &str,
    body: &str,
    renew: Option<&str>,
) -> HttpResponse {
    let p = LinkPage {
        tr,
        css: CSS,
        switch_href: switch_href(req, tr),
        title: tr.t(title),
        body: tr.t(body),
        can_renew: renew.is_some(),
        renew_action: renew.map(|t| format!("/h/{t}/renew")).unwrap_or_default(),
    };
    let mut resp = page::html(status, p.render().unwrap_or_default());
    resp.headers_mut().insert(header::CACHE_CONTROL, header::HeaderValue::from_static("no-store"));
    resp
}

/// Everything the case page shows, read in one go.
fn load_page(
    c: &mut DbConn,
    s: &Services,
    tr: Tr,
    token: &str,
    link: &store::links::Link,
    case: &store::cases::Case,
) -> crate::error::Result<CasePage> {
    let lang = tr.0;
    let role = Role::parse(&link.role).unwrap_or(Role::Observer);
    let status = Status::parse(&case.status).unwrap_or(Status::Received);
    let desk = store::org::desk(c, case.desk_id)?;
    let desk_unit = store::org::unit(c, desk.unit_id)?;
    let handler = match (case.handler_unit_id, case.handler_officer_id) {
        (Some(u), Some(o)) => format!("{} — {}", store::org::officer(c, o)?.name, store::org::unit(c, u)?.name),
        (Some(u), None) => store::org::unit(c, u)?.name,
        _ => tr.t("head.unrouted").to_string(),
    };
    let officer = match case.officer_id {
        Some(id) => {
            let o = store::org::officer(c, id)?;
            if o.title.is_empty() { o.name } else { format!("{} — {}", o.name, o.title) }
        }
        None => String::new(),
    };
    let now = Utc::now();
    let (mut contact_name, mut contact_phone, mut contact_email) = (String::new(), String::new(), String::new());
    // Contact details: only for the handler, only with consent (the handler is never the accused).
    let mut show_contact = false;
    if role == Role::Handler
        && let Some(sealed) = store::cases::contact(c, case.id)?.and_then(|x| x.sealed)
    {
        let opened = crate::vault::open(&s.secret, case.id, &sealed)?;
        contact_name = opened.name.unwrap_or_default();
        contact_phone = opened.phone.unwrap_or_default();
        contact_email = opened.email.unwrap_or_default();
        show_contact = true;
    }
    let mut texts = Vec::new();
    if role != Role::Explainer {
        for (kind, body, at) in store::cases::texts(c, case.id)? {
            let key = match kind.as_str() {
                store::cases::TEXT_ANSWER => "head.text_answer",
                store::cases::TEXT_QUESTION => "head.text_question",
                store::cases::TEXT_REPLY => "head.text_reply",
                _ => "head.text_explanation",
            };
            texts.push((tr.t(key).to_string(), body, local_time(at.and_utc(), lang)));
        }
    }
    let explained = store::cases::latest_text(c, case.id, store::cases::TEXT_EXPLANATION)?.is_some();
    let log = store::cases::events(c, case.id)?
        .into_iter()
        .map(|e| {
            let detail = event_detail(&e.kind, &e.data);
            (
                e.at.and_utc().to_rfc3339(),
                local_time(e.at.and_utc(), lang),
                event_label(&e.kind, tr).to_string(),
                detail,
            )
        })
        .collect();
    let acts = if role == Role::Handler {
        Act::available(status)
            .into_iter()
            .filter(|a| *a != Act::RequestExplanation || case.officer_id.is_some())
            .map(|a| act_form(a, tr))
            .collect()
    } else {
        Vec::new()
    };
    let units = if role == Role::Handler {
        store::org::active_units(c)?
            .into_iter()
            .filter(|u| Some(u.id) != case.handler_unit_id)
            .map(|u| (u.code, u.name))
            .collect()
    } else {
        Vec::new()
    };
    let role_label = match role {
        Role::Handler => tr.t("head.role_handler"),
        Role::Observer => tr.t("head.role_observer"),
        Role::Explainer => tr.t("head.role_explainer"),
    };
    Ok(CasePage {
        tr,
        css: CSS,
        switch_href: format!("/h/{token}?lang={}", tr.other()),
        action: format!("/h/{token}"),
        role_label,
        banner: String::new(),
        error: String::new(),
        receipt: if role == Role::Explainer { String::new() } else { case.receipt.clone() },
        status: status.label(lang),
        status_code: status.as_str(),
        category: Category::parse(&case.category).unwrap_or(Category::Other).label(lang),
        desk: desk.name,
        desk_unit: desk_unit.name,
        occurred: case.occurred_at.map(|t| local_time(t.and_utc(), lang)).unwrap_or_default(),
        received: local_time(case.created_at.and_utc(), lang),
        handler,
        ack_due: case
            .ack_due_at
            .filter(|_| matches!(status, Status::Received | Status::Reopened))
            .map(|t| local_time(t.and_utc(), lang))
            .unwrap_or_default(),
        ack_overdue: case.ack_due_at.is_some_and(|t| t.and_utc() < now),
        resolve_due: case
            .resolve_due_at
            .filter(|_| !status.is_closed())
            .map(|t| local_time(t.and_utc(), lang))
            .unwrap_or_default(),
        resolve_overdue: case.resolve_due_at.is_some_and(|t| t.and_utc() < now),
        officer: if role == Role::Explainer { String::new() } else { officer },
        description: case.description.clone().unwrap_or_default(),
        show_contact,
        contact_name,
        contact_phone,
        contact_email,
        texts,
        can_explain: role == Role::Explainer && !explained,
        csrf: links::csrf(&s.secret, link.id, case.event_count),
        acts,
        outcomes: Dismissal::ALL.iter().map(|d| (d.as_str(), d.label(lang))).collect(),
        units,
        log,
    })
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

/// A log entry's words.
pub fn event_label(kind: &str, tr: Tr) -> &'static str {
    let key = match kind {
        "received" => "event.received",
        "routed" => "event.routed",
        "acknowledged" => "event.acknowledged",
        "info_requested" => "event.info_requested",
        "citizen_replied" => "event.citizen_replied",
        "resolved" => "event.resolved",
        "dismissed" => "event.dismissed",
        "escalated" => "event.escalated",
        "forwarded" => "event.forwarded",
        "reopened" => "event.reopened",
        "reminder" => "event.reminder",
        "deadline_missed" => "event.deadline_missed",
        "overdue_at_top" => "event.overdue_at_top",
        "explanation_requested" => "event.explanation_requested",
        "explanation_received" => "event.explanation_received",
        "citizen_satisfied" => "event.citizen_satisfied",
        "citizen_not_satisfied" => "event.citizen_not_satisfied",
        "contact_erased" => "event.contact_erased",
        "routing_failed" => "event.routing_failed",
        "forward_requested" => "event.forward_requested",
        "escalation_requested" => "event.escalation_requested",
        _ => "event.other",
    };
    tr.t(key)
}

/// Short detail from an event's data (no personal data is ever in it).
fn event_detail(kind: &str, data: &str) -> String {
    let v: serde_json::Value = serde_json::from_str(data).unwrap_or_default();
    match kind {
        "routed" | "escalated" | "forwarded" | "reopened" => {
            let unit = v["unit"].as_str().unwrap_or("");
            let reasons: Vec<&str> = v["reasons"]
                .as_array()
                .map(|a| a.iter().filter_map(|r| r["text"].as_str()).collect())
                .unwrap_or_default();
            if reasons.is_empty() { format!("→ {unit}") } else { format!("→ {unit}: {}", reasons.join("; ")) }
        }
        "reminder" | "deadline_missed" | "overdue_at_top" => v["kind"].as_str().unwrap_or("").to_string(),
        "dismissed" => v["outcome"].as_str().unwrap_or("").to_string(),
        "forward_requested" => format!("→ {}", v["to"].as_str().unwrap_or("")),
        _ => String::new(),
    }
}

async fn show(req: HttpRequest, s: web::Data<Services>, path: web::Path<String>) -> HttpResponse {
    let tr = Tr(lang_of(&req));
    let token = path.into_inner();
    let done =
        web::Query::<HashMap<String, String>>::from_query(req.query_string()).ok().and_then(|q| q.get("done").cloned());
    let s2 = s.clone();
    let t2 = token.clone();
    let loaded = blocking(move || {
        // Reading is logged too: every use of a link leaves a trace.
        s2.db.write(move |c| {
            let now = Utc::now();
            match cases::open_link(c, &t2, "GET", now)? {
                Opened::Ok { link, case } => {
                    store::links::log_use(c, link.id, now.naive_utc(), "GET", None, "opened")?;
                    Ok(Opened::Ok { link, case })
                }
                other => Ok(other),
            }
        })
    })
    .await;
    match loaded {
        Ok(Opened::Ok { link, case }) => {
            let s2 = s.clone();
            let t2 = token.clone();
            let built = blocking(move || s2.db.read(|c| load_page(c, &s2, tr, &t2, &link, &case))).await;
            match built {
                Ok(mut p) => {
                    if let Some(d) = done {
                        p.banner = tr.t("head.done").to_string() + " " + &d.replace('_', " ");
                        if let Some(a) = Act::parse(&d) {
                            p.banner = format!("{} {}", tr.t("head.done"), act_form(a, tr).title);
                        }
                    }
                    let mut resp = page::html(StatusCode::OK, p.render().unwrap_or_default());
                    resp.headers_mut().insert(header::CACHE_CONTROL, header::HeaderValue::from_static("no-store"));
                    resp
                }
                Err(e) => page::internal(tr, &e),
            }
        }
        Ok(Opened::Expired { .. }) => {
            link_page(&req, tr, StatusCode::GONE, "head.expired_title", "head.expired", Some(&token))
        }
        Ok(Opened::Revoked { .. }) => link_page(&req, tr, StatusCode::GONE, "head.revoked_title", "head.revoked", None),
        Ok(Opened::Unknown) => link_page(&req, tr, StatusCode::NOT_FOUND, "head.unknown_title", "head.unknown", None),
        Err(e) => page::internal(tr, &e),
    }
}

async fn post(
    req: HttpRequest,
    s: web::Data<Services>,
    path: web::Path<String>,
    form: web::Form<HashMap<String, String>>,
) -> HttpResponse {
    let form = form.into_inner();
    let lang = form.get("lang").and_then(|l| Lang::parse(l)).unwrap_or_else(|| lang_of(&req));
    let tr = Tr(lang);
    let token = path.into_inner();
    let field = |k: &str| form.get(k).cloned().unwrap_or_default();
    let (action, csrf) = (field("action"), field("csrf"));
    let input = ActInput { text: field("text"), outcome: field("outcome"), unit: field("unit") };
    let s2 = s.clone();
    let t2 = token.clone();
    let act = Act::parse(&action);
    let result = blocking(move || {
        let now = Utc::now();
        match (action.as_str(), act) {
            ("explain", _) => cases::explain(&s2, &t2, &csrf, &input.text, now).map(|_| "explain".to_string()),
            (_, Some(a)) => cases::act(&s2, &t2, &csrf, a, input, now).map(|_| a.as_str().to_string()),
            _ => Err(Error::Invalid(crate::t!("Thao tác không hợp lệ", "Unknown action"))),
        }
    })
    .await;
    match result {
        Ok(done) => HttpResponse::SeeOther()
            .insert_header((header::LOCATION, format!("/h/{token}?done={done}&lang={}", lang.code())))
            .finish(),
        Err(e @ (Error::Invalid(_) | Error::Conflict(_))) => {
            let status =
                if matches!(e, Error::Invalid(_)) { StatusCode::UNPROCESSABLE_ENTITY } else { StatusCode::CONFLICT };
            let message = e.user_message(lang);
            // Show the page again (as it is now) with the message; nothing changed.
            let s2 = s.clone();
            let t2 = token.clone();
            let again = blocking(move || {
                s2.db.read(|c| match cases::open_link(c, &t2, "GET", Utc::now())? {
                    Opened::Ok { link, case } => load_page(c, &s2, tr, &t2, &link, &case).map(Some),
                    _ => Ok(None),
                })
            })
            .await;
            match again {
                Ok(Some(mut p)) => {
                    p.error = message;
                    page::html(status, p.render().unwrap_or_default())
                }
                _ => link_page(&req, tr, StatusCode::GONE, "head.revoked_title", "head.revoked", None),
            }
        }
        Err(e) => page::internal(tr, &e),
    }
}

async fn renew(req: HttpRequest, s: web::Data<Services>, path: web::Path<String>) -> HttpResponse {
    let tr = Tr(lang_of(&req));
    let token = path.into_inner();
    let s2 = s.clone();
    match blocking(move || cases::renew_link(&s2, &token, Utc::now())).await {
        Ok(()) => link_page(&req, tr, StatusCode::OK, "head.renewed_title", "head.renewed", None),
        Err(Error::Conflict(t)) | Err(Error::Invalid(t)) => {
            let p = LinkPage {
                tr,
                css: CSS,
                switch_href: switch_href(&req, tr),
                title: tr.t("head.renew_refused"),
                body: "",
                can_renew: false,
                renew_action: String::new(),
            };
            let html = p.render().unwrap_or_default().replace(
                "<p></p>",
                &format!(
                    "<p>{}</p>",
                    askama::filters::escape(t.get(tr.0), askama::filters::Html)
                        .map(|e| e.to_string())
                        .unwrap_or_default()
                ),
            );
            page::html(StatusCode::CONFLICT, html)
        }
        Err(e) => page::internal(tr, &e),
    }
}
