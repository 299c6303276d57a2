//! The citizen's pages: the rating form behind a desk's QR code, the thank-you page, and case
//! tracking by receipt code.

use std::collections::{BTreeMap, HashMap};

use actix_web::cookie::{Cookie, SameSite};
use actix_web::http::{StatusCode, header};
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use chrono::{Duration, Utc};

use super::page;
use super::text::Tr;
use super::{lang_of, switch_href};
use crate::domain::case::{Category, Dismissal, Status};
use crate::domain::codes;
use crate::domain::feedback::{self, FieldError, FormNames, RawFeedback, RawReport, RawWhen};
use crate::domain::form_token::{self, Check};
use crate::domain::survey::Kind;
use crate::i18n::{Lang, local_time};
use crate::service::Services;
use crate::service::desk::{self, DeskView, Lookup, TZ};
use crate::service::feedback::{Channel, Outcome, Submission};
use crate::store::{self, DbConn};

/// The first-party cookie that lets a second rating from the same browser replace the first.
pub const BROWSER_COOKIE: &str = "hl_b";

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::resource("/q/{token}")
            .route(web::get().to(form))
            .route(web::post().to(submit))
            .default_service(web::to(page::method_not_allowed)),
    )
    .service(
        web::resource("/q/{token}/thanks")
            .route(web::get().to(thanks))
            .default_service(web::to(page::method_not_allowed)),
    )
    .service(web::resource("/t").route(web::get().to(lookup)).default_service(web::to(page::method_not_allowed)))
    .service(
        web::resource("/t/{receipt}").route(web::get().to(track)).default_service(web::to(page::method_not_allowed)),
    )
    .service(
        web::resource("/t/{receipt}/{action}")
            .route(web::post().to(track_post))
            .default_service(web::to(page::method_not_allowed)),
    );
}

#[derive(Default)]
struct Values {
    file_code: String,
    comment: String,
    report_description: String,
    report_date: String,
    report_time: String,
    contact_name: String,
    contact_phone: String,
    contact_email: String,
    consent: bool,
}

struct Level {
    value: i32,
    label: &'static str,
    checked: bool,
}

struct Opt {
    value: String,
    label: String,
    checked: bool,
}

struct QuestionView {
    name: String,
    text: String,
    hint: String,
    multi: bool,
    options: Vec<Opt>,
    error: String,
}

struct OfficerOpt {
    code: String,
    label: String,
    selected: bool,
    selected_report: bool,
}

struct CategoryOpt {
    code: &'static str,
    label: &'static str,
    selected: bool,
}

#[derive(Template)]
#[template(path = "citizen/form.html")]
struct FormPage {
    tr: Tr,
    css: &'static str,
    switch_href: String,
    action: String,
    unit_name: String,
    desk_name: String,
    desk_location: String,
    form_token: String,
    banner: String,
    error_list: Vec<(String, String)>,
    errors: HashMap<String, String>,
    levels: Vec<Level>,
    questions: Vec<QuestionView>,
    on_duty: Vec<OfficerOpt>,
    officers: Vec<OfficerOpt>,
    categories: Vec<CategoryOpt>,
    v: Values,
    report_open: bool,
    min_date: String,
    max_date: String,
}

impl FormPage {
    fn err(&self, field: &str) -> &str {
        self.errors.get(field).map(String::as_str).unwrap_or("")
    }
}

/// The submitted form, as pairs (checkboxes repeat their name).
type Pairs = Vec<(String, String)>;

fn first<'a>(pairs: &'a Pairs, name: &str) -> &'a str {
    pairs.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str()).unwrap_or("")
}

fn raw_from_pairs(pairs: &Pairs) -> RawFeedback {
    let mut answers: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (k, v) in pairs {
        if let Some(q) = k.strip_prefix("q_") {
            answers.entry(q.to_string()).or_default().push(v.clone());
        }
    }
    RawFeedback {
        overall: first(pairs, "overall").to_string(),
        answers,
        officer: first(pairs, "officer").to_string(),
        file_code: first(pairs, "file_code").to_string(),
        comment: first(pairs, "comment").to_string(),
        report: Some(RawReport {
            category: first(pairs, "report_category").to_string(),
            description: first(pairs, "report_description").to_string(),
            when: RawWhen::Local {
                date: first(pairs, "report_date").to_string(),
                time: first(pairs, "report_time").to_string(),
            },
            officer: first(pairs, "report_officer").to_string(),
            contact_name: first(pairs, "report_contact_name").to_string(),
            contact_phone: first(pairs, "report_contact_phone").to_string(),
            contact_email: first(pairs, "report_contact_email").to_string(),
            consent: first(pairs, "report_contact_consent") == "yes",
        }),
    }
}

/// Renders the form: empty (GET), or with the citizen's answers and errors (POST that failed).
fn render_form(
    s: &Services,
    view: &DeskView,
    tr: Tr,
    token: &str,
    raw: Option<&RawFeedback>,
    errors: &[FieldError],
    banner: &str,
) -> String {
    let lang = tr.0;
    let now = Utc::now();
    let local = now.with_timezone(&TZ);
    let empty = RawFeedback::default();
    let raw = raw.unwrap_or(&empty);
    let report = raw.report.clone().unwrap_or_default();
    let (date, time) = match &report.when {
        RawWhen::Local { date, time } => (date.clone(), time.clone()),
        _ => (local.format("%Y-%m-%d").to_string(), local.format("%H:%M").to_string()),
    };
    let error_map: HashMap<String, String> =
        errors.iter().map(|e| (e.field.clone(), e.message.get(lang).to_string())).collect();
    let error_list = errors.iter().map(|e| (e.field.clone(), e.message.get(lang).to_string())).collect();
    let survey = &s.survey;
    let questions = survey
        .questions
        .iter()
        .map(|q| {
            let name = format!("q_{}", q.id);
            let chosen = raw.answers.get(&q.id).cloned().unwrap_or_default();
            let options: Vec<Opt> = match q.kind {
                Kind::Yesno => [("yes", "form.yes"), ("no", "form.no")]
                    .iter()
                    .map(|(v, key)| Opt {
                        value: v.to_string(),
                        label: tr.t(key).to_string(),
                        checked: chosen.iter().any(|c| c == v),
                    })
                    .collect(),
                _ => q
                    .options
                    .iter()
                    .map(|o| Opt {
                        value: o.value.clone(),
                        label: o.text.get(lang).to_string(),
                        checked: chosen.contains(&o.value),
                    })
                    .collect(),
            };
            QuestionView {
                error: error_map.get(&name).cloned().unwrap_or_default(),
                name,
                text: q.text.get(lang).to_string(),
                hint: q.hint.as_ref().map(|h| h.get(lang).to_string()).unwrap_or_default(),
                multi: q.kind == Kind::Multi,
                options,
            }
        })
        .collect();
    let officer_label = |o: &store::org::Officer| {
        if o.title.is_empty() { o.name.clone() } else { format!("{} — {}", o.name, o.title) }
    };
    let opts = |list: &[store::org::Officer]| {
        list.iter()
            .map(|o| OfficerOpt {
                code: o.code.clone(),
                label: officer_label(o),
                selected: raw.officer == o.code,
                selected_report: report.officer == o.code,
            })
            .collect::<Vec<_>>()
    };
    let overall: i32 = raw.overall.trim().parse().unwrap_or(0);
    let report_has_errors = errors.iter().any(|e| e.field.starts_with("report_"));
    let page = FormPage {
        tr,
        css: page::CSS,
        switch_href: format!("/q/{token}?lang={}", tr.other()),
        action: format!("/q/{token}"),
        unit_name: view.unit().name.clone(),
        desk_name: view.desk().name.clone(),
        desk_location: view.desk().location.clone(),
        form_token: form_token::issue(&s.secret.derive("form"), view.desk().id, now),
        banner: banner.to_string(),
        error_list,
        errors: error_map,
        levels: survey
            .scale
            .levels(lang)
            .into_iter()
            .map(|(value, label)| Level { value, label, checked: value == overall })
            .collect(),
        questions,
        on_duty: opts(&view.on_duty),
        officers: opts(view.officers()),
        categories: Category::REPORTABLE
            .iter()
            .map(|c| CategoryOpt { code: c.as_str(), label: c.label(lang), selected: report.category == c.as_str() })
            .collect(),
        v: Values {
            file_code: raw.file_code.clone(),
            comment: raw.comment.clone(),
            report_description: report.description.clone(),
            report_date: date,
            report_time: time,
            contact_name: report.contact_name.clone(),
            contact_phone: report.contact_phone.clone(),
            contact_email: report.contact_email.clone(),
            consent: report.consent,
        },
        report_open: report_has_errors || !report.is_blank(),
        min_date: (local.date_naive() - Duration::days(feedback::REPORT_MAX_AGE_DAYS)).format("%Y-%m-%d").to_string(),
        max_date: local.format("%Y-%m-%d").to_string(),
    };
    page.render().unwrap_or_default()
}

/// A desk by token: from the cache, else the database (off the async workers).
pub(crate) async fn find_desk(s: &web::Data<Services>, token: &str) -> crate::error::Result<Lookup> {
    let Some(canonical) = codes::normalize(token) else { return Ok(Lookup::Unknown) };
    if let Some(data) = s.desks.get(&canonical) {
        return Ok(Lookup::Active(data));
    }
    let s2 = s.clone();
    let key = canonical.clone();
    let found = web::block(move || s2.db.read(|c| desk::lookup(c, &key, &s2.calendars())))
        .await
        .map_err(|e| crate::error::Error::Other(anyhow::anyhow!("{e}")))??;
    if let Lookup::Active(data) = &found {
        s.desks.put(&canonical, data.clone());
    }
    Ok(found)
}

/// The desk's view now, or the page for a token that does not lead to a form.
async fn open_desk(s: &web::Data<Services>, tr: Tr, token: &str) -> Result<DeskView, HttpResponse> {
    match find_desk(s, token).await {
        Ok(Lookup::Active(data)) => Ok(data.at(Utc::now())),
        Ok(Lookup::Replaced) => Err(page::message(StatusCode::GONE, tr, "gone.replaced_title", "gone.replaced", None)),
        Ok(Lookup::Inactive) => Err(page::message(StatusCode::GONE, tr, "gone.inactive_title", "gone.inactive", None)),
        Ok(Lookup::Unknown) => Err(page::message(
            StatusCode::NOT_FOUND,
            tr,
            "notfound.title",
            "notfound.body",
            Some(("/", "notfound.home")),
        )),
        Err(e) => Err(page::internal(tr, &e)),
    }
}

async fn form(req: HttpRequest, s: web::Data<Services>, path: web::Path<String>) -> HttpResponse {
    let tr = Tr(lang_of(&req));
    let token = path.into_inner();
    let view = match open_desk(&s, tr, &token).await {
        Ok(v) => v,
        Err(resp) => return resp,
    };
    let html = render_form(&s, &view, tr, &token, None, &[], "");
    let mut resp = HttpResponse::Ok();
    resp.content_type("text/html; charset=utf-8").insert_header((header::CACHE_CONTROL, "no-store"));
    if req.cookie(BROWSER_COOKIE).is_none() {
        resp.cookie(browser_cookie(&s));
    }
    resp.body(html)
}

fn browser_cookie(s: &Services) -> Cookie<'static> {
    let value = codes::random_code(&mut rand::rng(), 26); // 130 random bits
    Cookie::build(BROWSER_COOKIE, value)
        .path("/q/")
        .http_only(true)
        .same_site(SameSite::Lax)
        .secure(s.config.public_url().starts_with("https://"))
        .max_age(actix_web::cookie::time::Duration::days(30))
        .finish()
}

async fn submit(
    req: HttpRequest,
    s: web::Data<Services>,
    path: web::Path<String>,
    form: web::Form<Pairs>,
) -> HttpResponse {
    let pairs = form.into_inner();
    let lang = Lang::parse(first(&pairs, "lang")).unwrap_or_else(|| lang_of(&req));
    let tr = Tr(lang);
    let token = path.into_inner();
    let view = match open_desk(&s, tr, &token).await {
        Ok(v) => v,
        Err(resp) => return resp,
    };
    let ip = s.limits.client_ip(&req);
    if let Err(wait) = s.limits.submit(ip, view.desk().id) {
        return page::too_many(tr, wait);
    }
    let now = Utc::now();
    // A filled honeypot is a bot: answer as if all went well, store nothing.
    if !first(&pairs, "website").is_empty() {
        s.metrics.spam("honeypot");
        return see_other(&format!("/q/{token}/thanks?lang={}", lang.code()));
    }
    let raw = raw_from_pairs(&pairs);
    let ttl = Duration::minutes(s.config.citizen.form_token_minutes as i64);
    match form_token::check(&s.secret.derive("form"), first(&pairs, "form_token"), view.desk().id, now, ttl) {
        Check::Valid => {}
        Check::Expired => {
            let html = render_form(&s, &view, tr, &token, Some(&raw), &[], tr.t("form.expired"));
            return page::html(StatusCode::UNPROCESSABLE_ENTITY, html);
        }
        Check::Invalid => {
            let back = format!("/q/{token}?lang={}", lang.code());
            return page::message_owned(
                StatusCode::BAD_REQUEST,
                tr,
                "invalid.title",
                "invalid.body",
                Some((back, "invalid.back")),
            );
        }
    }
    let officers = view.officer_codes();
    let ctx = feedback::Context { survey: &s.survey, now, tz: TZ, officers: &officers, lang: tr.0 };
    let fb = match feedback::validate(&raw, &ctx, &FormNames) {
        Ok(f) => f,
        Err(errors) => {
            let html = render_form(&s, &view, tr, &token, Some(&raw), &errors, "");
            return page::html(StatusCode::UNPROCESSABLE_ENTITY, html);
        }
    };
    let browser_hash = req.cookie(BROWSER_COOKIE).map(|c| crate::service::feedback::browser_hash(&s, c.value()));
    let ip_hash = ip.map(|ip| crate::service::feedback::ip_hash(&s, ip, now));
    let s2 = s.clone();
    let outcome = web::block(move || {
        crate::service::feedback::submit(
            &s2,
            &Submission { view: &view, feedback: &fb, channel: Channel::Web, browser_hash, ip_hash, now },
        )
    })
    .await;
    let location = match outcome {
        Ok(Ok(Outcome::Rated { .. })) => format!("/q/{token}/thanks?lang={}", lang.code()),
        Ok(Ok(Outcome::Reported { receipt, .. })) => format!("/t/{receipt}?new=1&lang={}", lang.code()),
        Ok(Err(e)) => return page::internal(tr, &e),
        Err(e) => return page::internal(tr, &e),
    };
    let mut resp = HttpResponse::SeeOther();
    resp.insert_header((header::LOCATION, location));
    if req.cookie(BROWSER_COOKIE).is_none() {
        resp.cookie(browser_cookie(&s));
    }
    resp.finish()
}

fn see_other(location: &str) -> HttpResponse {
    HttpResponse::SeeOther().insert_header((header::LOCATION, location.to_string())).finish()
}

#[derive(Template)]
#[template(path = "citizen/thanks.html")]
struct Thanks {
    tr: Tr,
    css: &'static str,
    switch_href: String,
}

async fn thanks(req: HttpRequest) -> HttpResponse {
    let tr = Tr(lang_of(&req));
    page::html(
        StatusCode::OK,
        Thanks { tr, css: page::CSS, switch_href: switch_href(&req, tr) }.render().unwrap_or_default(),
    )
}

#[derive(Template)]
#[template(path = "citizen/lookup.html")]
struct LookupPage {
    tr: Tr,
    css: &'static str,
    switch_href: String,
    code: String,
    not_found: bool,
}

/// `/t?code=…`: the home page's lookup form; canonicalises what was typed.
async fn lookup(req: HttpRequest, q: web::Query<HashMap<String, String>>) -> HttpResponse {
    let tr = Tr(lang_of(&req));
    let code = q.get("code").map(|c| c.trim().to_string()).unwrap_or_default();
    if let Some(receipt) = codes::parse_receipt(&code) {
        return see_other(&format!("/t/{receipt}?lang={}", tr.lang()));
    }
    let not_found = !code.is_empty();
    let status = if not_found { StatusCode::NOT_FOUND } else { StatusCode::OK };
    page::html(
        status,
        LookupPage { tr, css: page::CSS, switch_href: switch_href(&req, tr), code, not_found }
            .render()
            .unwrap_or_default(),
    )
}

struct Step {
    iso: String,
    when: String,
    label: String,
}

#[derive(Template)]
#[template(path = "citizen/track.html")]
struct TrackPage {
    tr: Tr,
    css: &'static str,
    switch_href: String,
    receipt: String,
    is_new: bool,
    banner: String,
    error: String,
    status: &'static str,
    status_code: &'static str,
    category: &'static str,
    steps: Vec<Step>,
    /// The latest answer (resolved) or reason (dismissed), shown to the citizen.
    answer: String,
    outcome: &'static str,
    /// The handler's question while the case waits for the citizen.
    question: String,
    form: String,
    can_reply: bool,
    can_rate: bool,
    has_contact: bool,
}

/// The tracking page of a case, as it is now.
fn track_page(
    c: &mut DbConn,
    s: &Services,
    (switch, is_new): (String, bool),
    tr: Tr,
    case: &store::cases::Case,
) -> crate::error::Result<TrackPage> {
    let status = Status::parse(&case.status).unwrap_or(Status::Received);
    let category = Category::parse(&case.category).unwrap_or(Category::Other);
    let steps = store::cases::events(c, case.id)?
        .iter()
        .filter_map(|e| {
            let label = public_event_label(&e.kind, tr)?;
            Some(Step { iso: e.at.and_utc().to_rfc3339(), when: local_time(e.at.and_utc(), tr.0), label })
        })
        .collect();
    let answer = match status {
        Status::Resolved | Status::Dismissed => {
            store::cases::latest_text(c, case.id, store::cases::TEXT_ANSWER)?.map(|(t, _)| t).unwrap_or_default()
        }
        _ => String::new(),
    };
    let question = if status == Status::WaitingCitizen {
        store::cases::latest_text(c, case.id, store::cases::TEXT_QUESTION)?.map(|(t, _)| t).unwrap_or_default()
    } else {
        String::new()
    };
    let has_contact = store::cases::contact(c, case.id)?.is_some_and(|x| x.sealed.is_some());
    Ok(TrackPage {
        tr,
        css: page::CSS,
        switch_href: switch,
        receipt: case.receipt.clone(),
        is_new,
        banner: String::new(),
        error: String::new(),
        status: status.label(tr.0),
        status_code: status.as_str(),
        category: category.label(tr.0),
        steps,
        answer,
        outcome: case.outcome.as_deref().and_then(Dismissal::parse).map(|d| d.label(tr.0)).unwrap_or(""),
        question,
        form: crate::service::cases::citizen_token(s, case),
        can_reply: status == Status::WaitingCitizen,
        can_rate: matches!(status, Status::Resolved | Status::Dismissed) && case.citizen_verdict.is_none(),
        has_contact,
    })
}

async fn track(req: HttpRequest, s: web::Data<Services>, path: web::Path<String>) -> HttpResponse {
    let tr = Tr(lang_of(&req));
    if let Err(wait) = s.limits.track(s.limits.client_ip(&req)) {
        return page::too_many(tr, wait);
    }
    let typed = path.into_inner();
    let not_found = || {
        let page =
            LookupPage { tr, css: page::CSS, switch_href: switch_href(&req, tr), code: typed.clone(), not_found: true };
        page::html(StatusCode::NOT_FOUND, page.render().unwrap_or_default())
    };
    let Some(receipt) = codes::parse_receipt(&typed) else { return not_found() };
    if typed != receipt {
        return see_other(&format!("/t/{receipt}?lang={}", tr.lang()));
    }
    let done =
        web::Query::<HashMap<String, String>>::from_query(req.query_string()).ok().and_then(|q| q.get("done").cloned());
    let s2 = s.clone();
    let view = (switch_href(&req, tr), req.query_string().split('&').any(|p| p == "new=1"));
    let found = crate::jobs::blocking(move || {
        s2.db.read(|c| match store::cases::by_receipt(c, &receipt)? {
            Some(case) => track_page(c, &s2, view, tr, &case).map(Some),
            None => Ok(None),
        })
    })
    .await;
    let mut page = match found {
        Ok(Some(p)) => p,
        Ok(None) => return not_found(),
        Err(e) => return page::internal(tr, &e),
    };
    if let Some(d) = done {
        let key = match d.as_str() {
            "reply" => "track.done_reply",
            "rated" => "track.done_rated",
            "erased" => "track.done_erased",
            _ => "head.done",
        };
        page.banner = tr.t(key).to_string();
    }
    let mut resp = page::html(StatusCode::OK, page.render().unwrap_or_default());
    resp.headers_mut().insert(header::CACHE_CONTROL, header::HeaderValue::from_static("no-store"));
    resp
}

/// The citizen's forms on the tracking page: answer a question, rate the answer, erase contact
/// details. Each carries a token bound to the case's state; a stale or replayed one changes nothing.
async fn track_post(
    req: HttpRequest,
    s: web::Data<Services>,
    path: web::Path<(String, String)>,
    form: web::Form<HashMap<String, String>>,
) -> HttpResponse {
    use crate::error::Error;
    let (typed, what) = path.into_inner();
    let form = form.into_inner();
    let tr = Tr(form.get("lang").and_then(|l| Lang::parse(l)).unwrap_or_else(|| lang_of(&req)));
    if let Err(wait) = s.limits.track(s.limits.client_ip(&req)) {
        return page::too_many(tr, wait);
    }
    let Some(receipt) = codes::parse_receipt(&typed) else {
        return page::message(StatusCode::NOT_FOUND, tr, "track.not_found_title", "track.not_found", None);
    };
    let field = |k: &str| form.get(k).cloned().unwrap_or_default();
    let (token, text, verdict) = (field("form"), field("text"), field("verdict"));
    let s2 = s.clone();
    let r2 = receipt.clone();
    let result = crate::jobs::blocking(move || {
        let now = Utc::now();
        match what.as_str() {
            "reply" => crate::service::cases::citizen_reply(&s2, &r2, &token, &text, now).map(|_| "reply"),
            "verdict" => {
                crate::service::cases::citizen_verdict(&s2, &r2, &token, verdict == "satisfied", now).map(|_| "rated")
            }
            "erase" => crate::service::cases::withdraw_consent(&s2, &r2, &token, now).map(|_| "erased"),
            _ => Err(Error::NotFound(crate::t!("Không có thao tác này", "No such action"))),
        }
    })
    .await;
    match result {
        Ok(done) => see_other(&format!("/t/{receipt}?done={done}&lang={}", tr.lang())),
        Err(e @ (Error::Invalid(_) | Error::Conflict(_))) => {
            let status =
                if matches!(e, Error::Invalid(_)) { StatusCode::UNPROCESSABLE_ENTITY } else { StatusCode::CONFLICT };
            let message = e.user_message(tr.0);
            let s2 = s.clone();
            let view = (format!("/t/{receipt}?lang={}", tr.other()), false);
            let again = crate::jobs::blocking(move || {
                s2.db.read(|c| match store::cases::by_receipt(c, &receipt)? {
                    Some(case) => track_page(c, &s2, view, tr, &case).map(Some),
                    None => Ok(None),
                })
            })
            .await;
            match again {
                Ok(Some(mut p)) => {
                    p.error = message;
                    page::html(status, p.render().unwrap_or_default())
                }
                _ => page::message(StatusCode::NOT_FOUND, tr, "track.not_found_title", "track.not_found", None),
            }
        }
        Err(Error::NotFound(_)) => {
            page::message(StatusCode::NOT_FOUND, tr, "track.not_found_title", "track.not_found", None)
        }
        Err(e) => page::internal(tr, &e),
    }
}

/// The events a citizen sees (internal ones — reminders, explanations — are not), with their text keys.
const PUBLIC_EVENTS: &[(&str, &str)] = &[
    ("received", "event.received"),
    ("routed", "event.routed"),
    ("acknowledged", "event.acknowledged"),
    ("info_requested", "event.info_requested"),
    ("citizen_replied", "event.citizen_replied"),
    ("resolved", "event.resolved"),
    ("dismissed", "event.dismissed"),
    ("deadline_missed", "event.deadline_missed"),
    ("escalated", "event.escalated"),
    ("forwarded", "event.forwarded"),
    ("reopened", "event.reopened"),
    ("citizen_satisfied", "event.citizen_satisfied"),
    ("citizen_not_satisfied", "event.citizen_not_satisfied"),
    ("contact_erased", "event.contact_erased"),
];

pub fn is_public_event(kind: &str) -> bool {
    PUBLIC_EVENTS.iter().any(|(k, _)| *k == kind)
}

fn public_event_label(kind: &str, tr: Tr) -> Option<String> {
    PUBLIC_EVENTS.iter().find(|(k, _)| *k == kind).map(|(_, key)| tr.t(key).to_string())
}
