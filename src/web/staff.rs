//! The staff console, `/staff`: sign-in (emailed link or password), the case inbox, the case page
//! (the emailed link's page and actions), reports of the person's scope, the admin audit log.
//! Signed out, every console page redirects to the sign-in page. Every POST carries a CSRF token:
//! the session's, or before sign-in a token bound to a pre-session cookie.

use std::collections::HashMap;

use actix_web::cookie::{Cookie, SameSite, time};
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use chrono::Utc;

use super::error::{Format, WebError};
use super::head::{CasePage, act_form_title};
use super::limit::Limiters;
use super::page::{CSS, render_private, see_other};
use super::reports::{Wanted, check_lang};
use super::text::Tr;
use super::{Route, lang_of, switch_href};
use crate::domain::access::StaffRole;
use crate::domain::case::{Act, Category};
use crate::error::Error;
use crate::i18n::{Lang, local_time};
use crate::report;
use crate::service::cases::ActInput;
use crate::service::staff::signin::{self, Opened, PasswordOutcome, Requested};
use crate::service::staff::{self as console, Staff, inbox};
use crate::service::{Services, blocking};

const SESSION: &str = "hailong_staff";
/// Before sign-in: a random value the sign-in forms' CSRF token is bound to.
const PRE: &str = "hailong_pre";

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(Route::page("/staff").get(home))
        .service(Route::page("/staff/signin").get(signin_page).post(signin_post))
        .service(Route::page("/staff/signin/password").post(password_post))
        .service(Route::page("/staff/signin/{token}").get(choose_page).post(choose_post))
        .service(Route::page("/staff/signout").post(signout))
        .service(Route::page("/staff/cases").get(inbox_page))
        .service(Route::page("/staff/cases/{number}").get(case_page).post(case_post))
        .service(Route::page("/staff/cases/{number}/dossier").get(dossier_page))
        .service(Route::page("/staff/reports").get(reports_page))
        .service(Route::page("/staff/audit").get(audit_page));
    org::routes(cfg);
}

fn secure(s: &Services) -> bool {
    s.public_url().starts_with("https://")
}

fn cookie<'a>(s: &Services, name: &'a str, value: String, max_age: time::Duration) -> Cookie<'a> {
    Cookie::build(name, value)
        .path("/staff")
        .http_only(true)
        .same_site(SameSite::Lax)
        .secure(secure(s))
        .max_age(max_age)
        .finish()
}

/// The person signed in, or the redirect to the sign-in page.
async fn signed_in(
    req: &HttpRequest,
    s: &web::Data<Services>,
    tr: Tr,
) -> Result<Result<Staff, HttpResponse>, WebError> {
    let token = req.cookie(SESSION).map(|c| c.value().to_string()).unwrap_or_default();
    let found = if token.is_empty() {
        None
    } else {
        let s2 = s.clone();
        blocking(move || console::current(&s2, &token, Utc::now()))
            .await
            .map_err(|e| WebError::from_service(e, tr.0, Format::Page))?
    };
    Ok(found.ok_or_else(|| see_other(&format!("/staff/signin?lang={}", tr.lang()))))
}

macro_rules! staff_or_redirect {
    ($req:expr, $s:expr, $tr:expr) => {
        match signed_in(&$req, &$s, $tr).await? {
            Ok(staff) => staff,
            Err(redirect) => return Ok(redirect),
        }
    };
}

/// The person signed in and the form's language, for a console POST whose form must carry the
/// session's CSRF token (refused without it, nothing done).
macro_rules! signed_form {
    ($req:expr, $s:expr, $form:expr) => {{
        let tr = form_lang(&$req, &$form);
        let staff = staff_or_redirect!($req, $s, tr);
        if !console::csrf_ok(&$s, &staff, $form.get("csrf").map(String::as_str).unwrap_or("")) {
            return Err(stale_form(tr.0));
        }
        (tr, staff)
    }};
}

/// The organisation pages.
mod org;

/// What the console's navigation shows.
struct Nav {
    who: String,
    csrf: String,
    audit: bool,
    org: bool,
    operate: bool,
    /// The programme year whose yearly report the menu offers (this local year).
    year: i32,
}

fn nav(staff: &Staff, tr: Tr) -> Nav {
    let role = staff.role().label(tr.0);
    let unit = staff.unit_name.as_deref().map(|u| format!(", {u}")).unwrap_or_default();
    Nav {
        who: format!("{} ({role}{unit})", staff.label),
        csrf: staff.csrf.clone(),
        audit: matches!(staff.role(), StaffRole::Admin | StaffRole::Oversight),
        org: staff.role() != StaffRole::Viewer,
        operate: crate::domain::access::may_operate(&staff.person),
        year: chrono::Datelike::year(&Utc::now().with_timezone(&crate::domain::LOCAL_TZ)),
    }
}

async fn home(req: HttpRequest, tr: Tr, s: web::Data<Services>) -> Result<HttpResponse, WebError> {
    let _staff = staff_or_redirect!(req, s, tr);
    Ok(see_other(&format!("/staff/cases?lang={}", tr.lang())))
}

// ── Sign-in ────────────────────────────────────────────────────────────────

/// The pre-session value (new when the browser has none) and the CSRF token bound to it.
fn pre_session(req: &HttpRequest, s: &Services) -> (String, String, bool) {
    let (value, new) = match req.cookie(PRE).map(|c| c.value().to_string()).filter(|v| v.len() >= 22) {
        Some(v) => (v, false),
        None => (crate::service::links::prepare(&s.secret).0, true),
    };
    let csrf = crate::service::links::token_for(&s.secret, &format!("staff-pre:{value}"));
    (value, csrf, new)
}

fn pre_ok(req: &HttpRequest, s: &Services, given: &str) -> bool {
    let Some(value) = req.cookie(PRE).map(|c| c.value().to_string()) else { return false };
    let expected = crate::service::links::token_for(&s.secret, &format!("staff-pre:{value}"));
    !given.is_empty() && constant_eq(expected.as_bytes(), given.trim().as_bytes())
}

fn constant_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

fn stale_form(lang: Lang) -> WebError {
    WebError::page(StatusCode::FORBIDDEN, lang, "staff.stale_title", "staff.stale_body")
}

#[derive(Template)]
#[template(path = "staff/signin.html")]
struct SigninPage {
    tr: Tr,
    css: &'static str,
    switch_href: String,
    csrf: String,
    email: String,
    notice: String,
    error: String,
}

fn signin_response(
    req: &HttpRequest,
    s: &Services,
    tr: Tr,
    status: StatusCode,
    email: String,
    notice: String,
    error: String,
) -> Result<HttpResponse, WebError> {
    let (value, csrf, new) = pre_session(req, s);
    let page = SigninPage {
        tr,
        css: CSS,
        switch_href: format!("/staff/signin?lang={}", tr.other()),
        csrf,
        email,
        notice,
        error,
    };
    let mut resp = render_private(status, tr.0, &page)?;
    if new {
        resp.add_cookie(&cookie(s, PRE, value, time::Duration::hours(12)))
            .map_err(|e| WebError::internal(tr.0, Format::Page, &e))?;
    }
    Ok(resp)
}

async fn signin_page(req: HttpRequest, tr: Tr, s: web::Data<Services>) -> Result<HttpResponse, WebError> {
    signin_response(&req, &s, tr, StatusCode::OK, String::new(), String::new(), String::new())
}

fn form_lang(req: &HttpRequest, form: &HashMap<String, String>) -> Tr {
    Tr(form.get("lang").and_then(|l| Lang::parse(l)).unwrap_or_else(|| lang_of(req)))
}

fn throttled(req: &HttpRequest, limits: &Limiters) -> bool {
    limits.staff_signin(limits.client_ip(req)).is_err()
}

async fn signin_post(
    req: HttpRequest,
    s: web::Data<Services>,
    limits: web::Data<Limiters>,
    form: web::Form<HashMap<String, String>>,
) -> Result<HttpResponse, WebError> {
    let tr = form_lang(&req, &form);
    if !pre_ok(&req, &s, form.get("csrf").map(String::as_str).unwrap_or("")) {
        return Err(stale_form(tr.0));
    }
    let email = form.get("email").cloned().unwrap_or_default();
    if throttled(&req, &limits) {
        let msg = tr.t("staff.throttled").to_string();
        return signin_response(&req, &s, tr, StatusCode::TOO_MANY_REQUESTS, email, String::new(), msg);
    }
    let (s2, e2) = (s.clone(), email.clone());
    match blocking(move || signin::request(&s2, &e2, tr.0, Utc::now())).await {
        Ok(Requested::Queued) => {
            let notice = tr.t("staff.link_sent").to_string();
            signin_response(&req, &s, tr, StatusCode::OK, email, notice, String::new())
        }
        Ok(Requested::Throttled) => {
            let msg = tr.t("staff.throttled").to_string();
            signin_response(&req, &s, tr, StatusCode::TOO_MANY_REQUESTS, email, String::new(), msg)
        }
        Err(e @ Error::Invalid(_)) => {
            let msg = e.user_message(tr.0);
            signin_response(&req, &s, tr, StatusCode::UNPROCESSABLE_ENTITY, email, String::new(), msg)
        }
        Err(e) => Err(WebError::from_service(e, tr.0, Format::Page)),
    }
}

/// Signs in and goes to the inbox with the new session's cookie.
fn signed_in_response(s: &Services, tr: Tr, done: signin::SignedIn) -> Result<HttpResponse, WebError> {
    let mut resp = see_other(&format!("/staff/cases?lang={}", tr.lang()));
    let age = time::Duration::seconds(done.max_age.num_seconds());
    resp.add_cookie(&cookie(s, SESSION, done.token, age)).map_err(|e| WebError::internal(tr.0, Format::Page, &e))?;
    Ok(resp)
}

async fn password_post(
    req: HttpRequest,
    s: web::Data<Services>,
    limits: web::Data<Limiters>,
    form: web::Form<HashMap<String, String>>,
) -> Result<HttpResponse, WebError> {
    let tr = form_lang(&req, &form);
    if !pre_ok(&req, &s, form.get("csrf").map(String::as_str).unwrap_or("")) {
        return Err(stale_form(tr.0));
    }
    let email = form.get("email").cloned().unwrap_or_default();
    if throttled(&req, &limits) {
        let msg = tr.t("staff.throttled").to_string();
        return signin_response(&req, &s, tr, StatusCode::TOO_MANY_REQUESTS, email, String::new(), msg);
    }
    let password = form.get("password").cloned().unwrap_or_default();
    let (s2, e2) = (s.clone(), email.clone());
    let outcome = blocking(move || signin::password(&s2, &e2, &password, Utc::now())).await;
    match outcome {
        Ok(PasswordOutcome::Right { token, identities: 1 }) => {
            let s2 = s.clone();
            match blocking(move || signin::complete(&s2, &token, 0, "password", Utc::now())).await {
                Ok(Ok(done)) => signed_in_response(&s, tr, done),
                Ok(Err(_)) => Err(stale_form(tr.0)),
                Err(e) => Err(WebError::from_service(e, tr.0, Format::Page)),
            }
        }
        Ok(PasswordOutcome::Right { token, .. }) => Ok(see_other(&format!("/staff/signin/{token}?lang={}", tr.lang()))),
        Ok(PasswordOutcome::Wrong) => {
            let msg = tr.t("staff.password_wrong").to_string();
            signin_response(&req, &s, tr, StatusCode::UNAUTHORIZED, email, String::new(), msg)
        }
        Ok(PasswordOutcome::Locked { until }) => {
            let msg = format!("{} {}", tr.t("staff.password_locked"), local_time(until, tr.0));
            signin_response(&req, &s, tr, StatusCode::TOO_MANY_REQUESTS, email, String::new(), msg)
        }
        Err(e @ Error::Invalid(_)) => {
            let msg = e.user_message(tr.0);
            signin_response(&req, &s, tr, StatusCode::UNPROCESSABLE_ENTITY, email, String::new(), msg)
        }
        Err(e) => Err(WebError::from_service(e, tr.0, Format::Page)),
    }
}

#[derive(Template)]
#[template(path = "staff/choose.html")]
struct ChoosePage {
    tr: Tr,
    css: &'static str,
    switch_href: String,
    action: String,
    csrf: String,
    email: String,
    /// (who, role, unit)
    who: Vec<(String, &'static str, String)>,
}

/// The page of a sign-in link that cannot be used (used, expired, unknown).
fn link_gone(tr: Tr, opened: &Opened) -> WebError {
    let (status, body) = match opened {
        Opened::Used => (StatusCode::GONE, "staff.link_used"),
        Opened::Expired => (StatusCode::GONE, "staff.link_expired"),
        _ => (StatusCode::NOT_FOUND, "staff.link_unknown"),
    };
    WebError::page(status, tr.0, "staff.link_title", body)
}

async fn choose_page(
    req: HttpRequest,
    tr: Tr,
    s: web::Data<Services>,
    path: web::Path<String>,
) -> Result<HttpResponse, WebError> {
    let token = path.into_inner();
    let (s2, t2) = (s.clone(), token.clone());
    let opened = blocking(move || signin::open(&s2, &t2, Utc::now()))
        .await
        .map_err(|e| WebError::from_service(e, tr.0, Format::Page))?;
    let Opened::Choose { email, identities } = &opened else { return Err(link_gone(tr, &opened)) };
    let (value, csrf, new) = pre_session(&req, &s);
    let page = ChoosePage {
        tr,
        css: CSS,
        switch_href: switch_href(&req, tr),
        action: format!("/staff/signin/{token}"),
        csrf,
        email: email.clone(),
        who: identities
            .iter()
            .map(|i| (i.label.clone(), i.role.label(tr.0), i.unit.clone().unwrap_or_default()))
            .collect(),
    };
    let mut resp = render_private(StatusCode::OK, tr.0, &page)?;
    if new {
        resp.add_cookie(&cookie(&s, PRE, value, time::Duration::hours(12)))
            .map_err(|e| WebError::internal(tr.0, Format::Page, &e))?;
    }
    Ok(resp)
}

async fn choose_post(
    req: HttpRequest,
    s: web::Data<Services>,
    path: web::Path<String>,
    form: web::Form<HashMap<String, String>>,
) -> Result<HttpResponse, WebError> {
    let tr = form_lang(&req, &form);
    if !pre_ok(&req, &s, form.get("csrf").map(String::as_str).unwrap_or("")) {
        return Err(stale_form(tr.0));
    }
    let choice: usize = form.get("choice").and_then(|c| c.trim().parse().ok()).unwrap_or(usize::MAX);
    let (s2, token) = (s.clone(), path.into_inner());
    match blocking(move || signin::complete(&s2, &token, choice, "email", Utc::now())).await {
        Ok(Ok(done)) => signed_in_response(&s, tr, done),
        Ok(Err(opened)) => Err(link_gone(tr, &opened)),
        Err(e) => Err(WebError::from_service(e, tr.0, Format::Page)),
    }
}

async fn signout(
    req: HttpRequest,
    s: web::Data<Services>,
    form: web::Form<HashMap<String, String>>,
) -> Result<HttpResponse, WebError> {
    let (tr, staff) = signed_form!(req, s, form);
    let everywhere = form.get("everywhere").is_some_and(|v| v == "1");
    let s2 = s.clone();
    blocking(move || console::sign_out(&s2, &staff, everywhere, Utc::now()))
        .await
        .map_err(|e| WebError::from_service(e, tr.0, Format::Page))?;
    let mut resp = see_other(&format!("/staff/signin?lang={}", tr.lang()));
    resp.add_removal_cookie(&cookie(&s, SESSION, String::new(), time::Duration::ZERO))
        .map_err(|e| WebError::internal(tr.0, Format::Page, &e))?;
    Ok(resp)
}

// ── Inbox and case ─────────────────────────────────────────────────────────

struct Row {
    number: String,
    status: &'static str,
    category: &'static str,
    desk: String,
    unit: String,
    handler: String,
    due: String,
    overdue: bool,
    due_soon: bool,
}

#[derive(Template)]
#[template(path = "staff/inbox.html")]
struct InboxPage {
    tr: Tr,
    css: &'static str,
    switch_href: String,
    nav: Nav,
    scope: String,
    /// (label, count, href, current, id)
    tabs: Vec<(&'static str, usize, String, bool, &'static str)>,
    filtered: bool,
    show: &'static str,
    categories: Vec<(&'static str, &'static str, bool)>,
    units: Vec<(String, String, bool)>,
    desk: String,
    month: String,
    items: Vec<Row>,
    page: usize,
    pages: usize,
    prev_href: String,
    next_href: String,
}

async fn inbox_page(
    req: HttpRequest,
    tr: Tr,
    s: web::Data<Services>,
    q: web::Query<HashMap<String, String>>,
) -> Result<HttpResponse, WebError> {
    let staff = staff_or_redirect!(req, s, tr);
    let get = |k: &str| q.get(k).cloned().unwrap_or_default();
    let filter = inbox::Filter {
        show: get("show"),
        category: get("category"),
        unit: get("unit"),
        desk: get("desk"),
        month: get("month"),
        page: get("page").trim().parse().unwrap_or(1),
    };
    let (s2, st2, f2) = (s.clone(), staff.clone(), filter.clone());
    let ib = blocking(move || inbox::inbox(&s2, &st2, &f2, Utc::now()))
        .await
        .map_err(|e| WebError::from_service(e, tr.0, Format::Page))?;
    let lang = tr.0;
    let keep = |show: &str, page: usize| {
        let mut p = vec![format!("lang={}", tr.lang()), format!("show={show}")];
        for (k, v) in
            [("category", &filter.category), ("unit", &filter.unit), ("desk", &filter.desk), ("month", &filter.month)]
        {
            if !v.trim().is_empty() {
                p.push(format!("{k}={}", url_escape(v.trim())));
            }
        }
        if page > 1 {
            p.push(format!("page={page}"));
        }
        format!("/staff/cases?{}", p.join("&"))
    };
    let c = &ib.counts;
    let current = ib.show.as_str();
    let tab = |key: &'static str, n: usize, id: &'static str| (tr.t(key), n, keep(id, 1), current == id, id);
    let tabs = vec![
        tab("staff.tab_open", c.open, "open"),
        tab("staff.tab_overdue", c.overdue, "overdue"),
        tab("staff.tab_due_soon", c.due_soon, "due_soon"),
        tab("staff.tab_closed", c.closed, "closed"),
        tab("staff.tab_all", c.all, "all"),
    ];
    let page = InboxPage {
        tr,
        css: CSS,
        switch_href: switch_href(&req, tr),
        scope: staff.unit_name.clone().unwrap_or_else(|| tr.t("staff.whole").to_string()),
        nav: nav(&staff, tr),
        tabs,
        filtered: [&filter.category, &filter.unit, &filter.desk, &filter.month].iter().any(|v| !v.trim().is_empty()),
        show: current,
        categories: Category::ALL.iter().map(|c| (c.as_str(), c.label(lang), filter.category == c.as_str())).collect(),
        units: ib.units.iter().map(|(code, name)| (code.clone(), name.clone(), filter.unit == *code)).collect(),
        desk: filter.desk.clone(),
        month: filter.month.clone(),
        items: ib
            .items
            .iter()
            .map(|i| Row {
                number: i.number.clone(),
                status: i.status.label(lang),
                category: i.category.label(lang),
                desk: i.desk.clone(),
                unit: i.unit.clone(),
                handler: if i.handler == i.unit { String::new() } else { i.handler.clone() },
                due: i.due.map(|d| local_time(d, lang)).unwrap_or_default(),
                overdue: i.overdue,
                due_soon: i.due_soon,
            })
            .collect(),
        page: ib.page,
        pages: ib.pages,
        prev_href: keep(current, ib.page.saturating_sub(1)),
        next_href: keep(current, ib.page + 1),
    };
    render_private(StatusCode::OK, lang, &page)
}

/// Percent-encodes a query value (codes and months are ASCII; this keeps anything else safe).
fn url_escape(v: &str) -> String {
    v.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

async fn case_response(
    s: &web::Data<Services>,
    staff: &Staff,
    tr: Tr,
    number: &str,
    status: StatusCode,
    banner: String,
    error: String,
) -> Result<HttpResponse, WebError> {
    let (s2, st2, n2) = (s.clone(), staff.clone(), number.to_string());
    let shown = blocking(move || console::cases::page(&s2, &st2, &n2, Utc::now()))
        .await
        .map_err(|e| WebError::from_service(e, tr.0, Format::Page))?;
    render_case(staff, tr, number, shown, status, banner, error)
}

fn render_case(
    staff: &Staff,
    tr: Tr,
    number: &str,
    shown: console::cases::ConsoleCase,
    status: StatusCode,
    banner: String,
    error: String,
) -> Result<HttpResponse, WebError> {
    let action = format!("/staff/cases/{number}");
    let switch = format!("{action}?lang={}", tr.other());
    let mut page = CasePage::new(tr, action, switch, shown.view);
    page.back = format!("/staff/cases?lang={}", tr.lang());
    page.who = nav(staff, tr).who;
    page.can_reveal = shown.can_reveal;
    page.session_csrf = staff.csrf.clone();
    page.dossier = format!("/staff/cases/{number}/dossier");
    page.banner = banner;
    page.error = error;
    render_private(status, tr.0, &page)
}

async fn case_page(
    req: HttpRequest,
    tr: Tr,
    s: web::Data<Services>,
    path: web::Path<String>,
    q: web::Query<HashMap<String, String>>,
) -> Result<HttpResponse, WebError> {
    let staff = staff_or_redirect!(req, s, tr);
    let banner = match q.get("done").map(|d| Act::parse(d)) {
        Some(Some(a)) => format!("{} {}", tr.t("head.done"), act_form_title(a, tr)),
        Some(None) => tr.t("head.done").to_string(),
        None => String::new(),
    };
    case_response(&s, &staff, tr, &path.into_inner(), StatusCode::OK, banner, String::new()).await
}

async fn case_post(
    req: HttpRequest,
    s: web::Data<Services>,
    path: web::Path<String>,
    form: web::Form<HashMap<String, String>>,
) -> Result<HttpResponse, WebError> {
    let tr = form_lang(&req, &form);
    let staff = staff_or_redirect!(req, s, tr);
    let field = |k: &str| form.get(k).cloned().unwrap_or_default();
    let number = path.into_inner();
    let (action, csrf) = (field("action"), field("csrf"));
    if action == "reveal" {
        return reveal(&s, &staff, tr, &number, &csrf, &field("reason")).await;
    }
    let Some(act) = Act::parse(&action) else {
        return Err(WebError::from_service(
            Error::Invalid(crate::t!("Thao tác không hợp lệ", "Unknown action")),
            tr.0,
            Format::Page,
        ));
    };
    let input = ActInput { text: field("text"), outcome: field("outcome"), unit: field("unit") };
    let (s2, st2, n2) = (s.clone(), staff.clone(), number.clone());
    let result = blocking(move || console::cases::act(&s2, &st2, &n2, &csrf, act, input, Utc::now())).await;
    let e = match result {
        Ok(_) => return Ok(see_other(&format!("/staff/cases/{number}?done={}&lang={}", act.as_str(), tr.lang()))),
        Err(e @ (Error::Invalid(_) | Error::Conflict(_))) => e,
        Err(e) => return Err(WebError::from_service(e, tr.0, Format::Page)),
    };
    // The page again, as it is now, with the message; nothing changed.
    let status = if matches!(e, Error::Invalid(_)) { StatusCode::UNPROCESSABLE_ENTITY } else { StatusCode::CONFLICT };
    case_response(&s, &staff, tr, &number, status, String::new(), e.user_message(tr.0)).await
}

/// An admin opens the contact details, stating why: the page again, with them (never in a URL).
async fn reveal(
    s: &web::Data<Services>,
    staff: &Staff,
    tr: Tr,
    number: &str,
    csrf: &str,
    reason: &str,
) -> Result<HttpResponse, WebError> {
    if !console::csrf_ok(s, staff, csrf) {
        return Err(stale_form(tr.0));
    }
    let (s2, st2, n2, r2) = (s.clone(), staff.clone(), number.to_string(), reason.to_string());
    match blocking(move || console::cases::reveal(&s2, &st2, &n2, &r2, Utc::now())).await {
        Ok(shown) => render_case(staff, tr, number, shown, StatusCode::OK, String::new(), String::new()),
        Err(e @ (Error::Invalid(_) | Error::Conflict(_))) => {
            let status =
                if matches!(e, Error::Invalid(_)) { StatusCode::UNPROCESSABLE_ENTITY } else { StatusCode::FORBIDDEN };
            case_response(s, staff, tr, number, status, String::new(), e.user_message(tr.0)).await
        }
        Err(e) => Err(WebError::from_service(e, tr.0, Format::Page)),
    }
}

#[derive(Template)]
#[template(path = "staff/dossier.html")]
struct DossierPage {
    tr: Tr,
    number: String,
    status: &'static str,
    category: &'static str,
    desk: String,
    occurred: String,
    received: String,
    handler: String,
    officer: String,
    description: String,
    contact: Option<crate::service::cases::Contact>,
    /// (window, outcome in words, missed)
    deadlines: Vec<(&'static str, String, bool)>,
    texts: Vec<(&'static str, String, String)>,
    /// (when, what, detail)
    log: Vec<(String, &'static str, String)>,
    made: String,
    who: String,
}

/// The printable A4 dossier of a case (hồ sơ vụ việc): the case page's facts in the form of a
/// record, for the file; the complainant's identity only where the case page would show it.
async fn dossier_page(
    req: HttpRequest,
    tr: Tr,
    s: web::Data<Services>,
    path: web::Path<String>,
) -> Result<HttpResponse, WebError> {
    use crate::service::staff::cases::{Window, windows};
    let staff = staff_or_redirect!(req, s, tr);
    let number = path.into_inner();
    let (s2, st2, n2) = (s.clone(), staff.clone(), number.clone());
    let shown = blocking(move || console::cases::page(&s2, &st2, &n2, Utc::now()))
        .await
        .map_err(|e| WebError::from_service(e, tr.0, Format::Page))?;
    let (v, lang) = (shown.view, tr.0);
    let deadlines = windows(&v)
        .into_iter()
        .map(|(ack, w)| {
            let label = tr.t(if ack { "staff.deadline_ack" } else { "staff.deadline_resolve" });
            let (text, missed) = match w {
                Window::Met => (tr.t("staff.deadline_met").to_string(), false),
                Window::Missed => (tr.t("staff.deadline_missed").to_string(), true),
                Window::Pending(due) => {
                    (format!("{} {}", tr.t("staff.deadline_pending"), local_time(due, lang)), false)
                }
                Window::NotApplicable => (tr.t("staff.deadline_none").to_string(), false),
            };
            (label, text, missed)
        })
        .collect();
    let page = DossierPage {
        tr,
        number: v.number.clone(),
        status: v.status.label(lang),
        category: v.category.label(lang),
        desk: format!("{} — {}", v.desk, v.desk_unit),
        occurred: v.occurred.map(|t| local_time(t, lang)).unwrap_or_default(),
        received: local_time(v.received, lang),
        handler: match &v.handler {
            Some(h) => h.officer.as_ref().map_or(h.unit.clone(), |o| format!("{o} — {}", h.unit)),
            None => tr.t("head.unrouted").to_string(),
        },
        officer: v.officer.clone().unwrap_or_default(),
        description: v.description.clone(),
        contact: v.contact.clone(),
        deadlines,
        texts: v.texts.iter().map(|(k, body, at)| (k.label(lang), body.clone(), local_time(*at, lang))).collect(),
        log: v
            .log
            .iter()
            .map(|e| (local_time(e.at, lang), e.kind.label(lang), super::head::detail(&e.detail, tr)))
            .collect(),
        made: local_time(Utc::now(), lang),
        who: nav(&staff, tr).who,
    };
    render_private(StatusCode::OK, lang, &page)
}

// ── Reports and the admin log ──────────────────────────────────────────────

async fn reports_page(
    req: HttpRequest,
    tr: Tr,
    s: web::Data<Services>,
    q: web::Query<HashMap<String, String>>,
) -> Result<HttpResponse, WebError> {
    let staff = staff_or_redirect!(req, s, tr);
    check_lang(&q, tr.0)?;
    let Some(wanted) = Wanted::parse(q.get("format")) else {
        return Err(WebError::page(StatusCode::BAD_REQUEST, tr.0, "report.format_title", "report.format_body"));
    };
    let links = |base: &str, yearly: bool| report::html::Links {
        csv: Some(format!("{base}&format=csv")),
        xlsx: Some(format!("{base}&format=xlsx")),
        json: Some(format!("{base}&format=json")),
        docx: yearly.then(|| format!("{base}&format=docx")),
        other_lang: Some(switch_href(&req, tr)),
        files_form: None,
    };
    if let Some(year) = q.get("year").cloned() {
        let (s2, st2) = (s.clone(), staff.clone());
        let y = blocking(move || console::reports::yearly(&s2, &st2, &year, wanted.as_str(), Utc::now()))
            .await
            .map_err(|e| WebError::from_service(e, tr.0, Format::Page))?;
        return super::reports::yearly(&y, wanted, tr.0, &links(&format!("/staff/reports?year={}", y.year), true));
    }
    if wanted == Wanted::Docx {
        return Err(WebError::page(StatusCode::BAD_REQUEST, tr.0, "report.format_title", "report.format_body"));
    }
    let month = q.get("month").cloned().unwrap_or_default();
    let (s2, st2, m2) = (s.clone(), staff.clone(), month.clone());
    let r = blocking(move || console::reports::monthly(&s2, &st2, &m2, wanted.as_str(), Utc::now()))
        .await
        .map_err(|e| WebError::from_service(e, tr.0, Format::Page))?;
    super::reports::monthly(&r, wanted, tr.0, &links(&format!("/staff/reports?month={}", r.period.first), false))
}

#[derive(Template)]
#[template(path = "staff/audit.html")]
struct AuditPage {
    tr: Tr,
    css: &'static str,
    switch_href: String,
    nav: Nav,
    entries: Vec<(i64, String, String, String, String)>,
    older_href: String,
}

async fn audit_page(
    req: HttpRequest,
    tr: Tr,
    s: web::Data<Services>,
    q: web::Query<HashMap<String, String>>,
) -> Result<HttpResponse, WebError> {
    let staff = staff_or_redirect!(req, s, tr);
    let before = q.get("before").and_then(|b| b.trim().parse::<i64>().ok());
    let (s2, st2) = (s.clone(), staff.clone());
    let entries = blocking(move || console::audit::page(&s2, &st2, before))
        .await
        .map_err(|e| WebError::from_service(e, tr.0, Format::Page))?;
    let older_href = match entries.last() {
        Some(e) if e.seq > 1 && entries.len() == 100 => format!("/staff/audit?before={}&lang={}", e.seq, tr.lang()),
        _ => String::new(),
    };
    let page = AuditPage {
        tr,
        css: CSS,
        switch_href: switch_href(&req, tr),
        nav: nav(&staff, tr),
        entries: entries.into_iter().map(|e| (e.seq, local_time(e.at, tr.0), e.actor, e.action, e.detail)).collect(),
        older_href,
    };
    render_private(StatusCode::OK, tr.0, &page)
}
