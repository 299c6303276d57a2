//! The citizen's pages: the rating form behind a desk's QR code, the thank-you page, and case
//! tracking by receipt code.

use std::collections::{BTreeMap, HashMap};

use actix_web::cookie::{Cookie, SameSite};
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use chrono::{Duration, Utc};

use super::error::{Format, OrWeb, WebError};
use super::limit::Limiters;
use super::page::{self, render, render_private, see_other};
use super::text::Tr;
use super::{Route, lang_of, switch_href};
use crate::domain::case::{Category, Verdict};
use crate::domain::codes;
use crate::domain::feedback::{self, FieldError, RawFeedback, RawReport, RawWhen};
use crate::domain::form_token;
use crate::domain::survey::Kind;
use crate::error::Error;
use crate::i18n::{Lang, local_time};
use crate::service::Services;
use crate::service::cases::{self, CitizenAction, TrackView};
use crate::service::desk::{self, DeskView, Lookup};
use crate::service::feedback::{FormInput, FormResult, Outcome};

/// The first-party cookie that lets a second rating from the same browser replace the first.
pub const BROWSER_COOKIE: &str = "hl_b";

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(Route::page("/q/{token}").get(form).post(submit))
        .service(Route::page("/q/{token}/thanks").get(thanks))
        .service(Route::page("/q/{token}/results").get(results))
        .service(Route::page("/t").get(lookup))
        .service(Route::page("/t/{receipt}").get(track))
        .service(Route::page("/t/{receipt}/{action}").post(track_post));
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

/// The words of a form field, for the error summary.
fn field_label(field: &str, tr: Tr, survey: &crate::domain::survey::Survey) -> String {
    if let Some(q) = field.strip_prefix("q_") {
        return survey.questions.iter().find(|x| x.id == q).map(|x| x.text.get(tr.0).to_string()).unwrap_or_default();
    }
    let key = match field {
        "overall" => "form.overall",
        "officer" => "form.officer",
        "file_code" => "form.file_code",
        "comment" => "form.comment",
        "report_category" => "report.category",
        "report_description" => "report.description",
        "report_occurred_at" => "report.when",
        "report_officer" => "report.officer",
        "report_contact_name" => "report.contact_name",
        "report_contact_phone" => "report.contact_phone",
        "report_contact_email" => "report.contact_email",
        _ => "report.contact",
    };
    tr.t(key).to_string()
}

/// Renders the form: empty (GET), or with the citizen's answers and errors (POST that failed).
fn form_page(
    s: &Services,
    view: &DeskView,
    tr: Tr,
    token: &str,
    raw: Option<&RawFeedback>,
    errors: &[FieldError],
    banner: &str,
) -> FormPage {
    let lang = tr.0;
    let now = Utc::now();
    let local = now.with_timezone(&crate::domain::LOCAL_TZ);
    let empty = RawFeedback::default();
    let raw = raw.unwrap_or(&empty);
    let report = raw.report.clone().unwrap_or_default();
    let (date, time) = match &report.when {
        RawWhen::Local { date, time } => (date.clone(), time.clone()),
        _ => (local.format("%Y-%m-%d").to_string(), local.format("%H:%M").to_string()),
    };
    let error_map: HashMap<String, String> =
        errors.iter().map(|e| (e.field.clone(), e.message.get(lang).to_string())).collect();
    // The summary names each field and links to it.
    let error_list = errors
        .iter()
        .map(|e| (e.field.clone(), format!("{}: {}", field_label(&e.field, tr, &s.survey), e.message.get(lang))))
        .collect();
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
    let opts = |list: Vec<(String, String)>| {
        list.into_iter()
            .map(|(code, label)| OfficerOpt {
                selected: raw.officer == code,
                selected_report: report.officer == code,
                code,
                label,
            })
            .collect::<Vec<_>>()
    };
    let overall: i32 = raw.overall.trim().parse().unwrap_or(0);
    let report_has_errors = errors.iter().any(|e| e.field.starts_with("report_"));
    FormPage {
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
        on_duty: opts(view.on_duty_choices()),
        officers: opts(view.officer_choices()),
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
    }
}

/// The desk's view now, or the page for a token that does not lead to a form.
pub(crate) async fn open_desk(s: &Services, lang: Lang, format: Format, token: &str) -> Result<DeskView, WebError> {
    let gone = |title, body, code, message: &str| match format {
        Format::Page => WebError::page(StatusCode::GONE, lang, title, body),
        Format::Json => WebError::api(StatusCode::GONE, code, message),
    };
    match desk::find(s, token).await {
        Ok(Lookup::Active(data)) => Ok(data.at(Utc::now())),
        Ok(Lookup::Replaced) => {
            Err(gone("gone.replaced_title", "gone.replaced", "desk_replaced", "this desk token was replaced"))
        }
        Ok(Lookup::Inactive) => {
            Err(gone("gone.inactive_title", "gone.inactive", "desk_inactive", "this desk no longer takes ratings"))
        }
        Ok(Lookup::Unknown) => Err(match format {
            Format::Page => WebError::page(StatusCode::NOT_FOUND, lang, "notfound.title", "notfound.body")
                .with_link("/", "notfound.home"),
            Format::Json => WebError::api(StatusCode::NOT_FOUND, "unknown_desk", "no desk has this token"),
        }),
        Err(e) => Err(WebError::internal(lang, format, &e)),
    }
}

async fn form(
    req: HttpRequest,
    tr: Tr,
    s: web::Data<Services>,
    path: web::Path<String>,
) -> Result<HttpResponse, WebError> {
    let token = path.into_inner();
    let view = open_desk(&s, tr.0, Format::Page, &token).await?;
    let mut resp = render_private(StatusCode::OK, tr.0, &form_page(&s, &view, tr, &token, None, &[], ""))?;
    if req.cookie(BROWSER_COOKIE).is_none() {
        resp.add_cookie(&browser_cookie(&s)).map_err(|e| WebError::internal(tr.0, Format::Page, &e))?;
    }
    Ok(resp)
}

fn browser_cookie(s: &Services) -> Cookie<'static> {
    let value = codes::random_code(&mut rand::rng(), 26); // 130 random bits
    Cookie::build(BROWSER_COOKIE, value)
        .path("/q/")
        .http_only(true)
        .same_site(SameSite::Lax)
        .secure(s.public_url().starts_with("https://"))
        .max_age(actix_web::cookie::time::Duration::days(30))
        .finish()
}

async fn submit(
    req: HttpRequest,
    s: web::Data<Services>,
    limits: web::Data<Limiters>,
    path: web::Path<String>,
    form: web::Form<Pairs>,
) -> Result<HttpResponse, WebError> {
    let pairs = form.into_inner();
    let tr = Tr(Lang::parse(first(&pairs, "lang")).unwrap_or_else(|| lang_of(&req)));
    let token = path.into_inner();
    let view = open_desk(&s, tr.0, Format::Page, &token).await?;
    let ip = limits.client_ip(&req);
    limits.submit(ip, view.desk().id).map_err(|wait| WebError::too_many(tr.0, Format::Page, wait))?;
    let input = FormInput {
        raw: raw_from_pairs(&pairs),
        form_token: first(&pairs, "form_token").to_string(),
        honeypot: first(&pairs, "website").to_string(),
        browser_cookie: req.cookie(BROWSER_COOKIE).map(|c| c.value().to_string()),
        ip,
        lang: tr.0,
        now: Utc::now(),
    };
    let raw = input.raw.clone();
    let lang = tr.lang();
    let location = match crate::service::feedback::submit_form(&s, &view, input).await.or_page(tr.0)? {
        FormResult::Stored(Outcome::Rated { .. }) | FormResult::Spam => format!("/q/{token}/thanks?lang={lang}"),
        FormResult::Stored(Outcome::Reported { receipt, .. }) => format!("/t/{receipt}?new=1&lang={lang}"),
        FormResult::Invalid(errors) => {
            let page = form_page(&s, &view, tr, &token, Some(&raw), &errors, "");
            return render_private(StatusCode::UNPROCESSABLE_ENTITY, tr.0, &page);
        }
        FormResult::Expired => {
            let page = form_page(&s, &view, tr, &token, Some(&raw), &[], tr.t("form.expired"));
            return render_private(StatusCode::UNPROCESSABLE_ENTITY, tr.0, &page);
        }
        FormResult::Forged => {
            return Err(WebError::page(StatusCode::BAD_REQUEST, tr.0, "invalid.title", "invalid.body")
                .with_link(format!("/q/{token}?lang={lang}"), "invalid.back"));
        }
    };
    let mut resp = see_other(&location);
    if req.cookie(BROWSER_COOKIE).is_none() {
        resp.add_cookie(&browser_cookie(&s)).map_err(|e| WebError::internal(tr.0, Format::Page, &e))?;
    }
    Ok(resp)
}

#[derive(Template)]
#[template(path = "citizen/thanks.html")]
struct Thanks {
    tr: Tr,
    css: &'static str,
    switch_href: String,
    results_href: String,
}

async fn thanks(req: HttpRequest, tr: Tr, path: web::Path<String>) -> Result<HttpResponse, WebError> {
    let results_href = format!("/q/{}/results?lang={}", path.into_inner(), tr.lang());
    render(StatusCode::OK, tr.0, &Thanks { tr, css: page::CSS, switch_href: switch_href(&req, tr), results_href })
}

#[derive(Template)]
#[template(path = "citizen/results.html")]
struct ResultsPage {
    tr: Tr,
    css: &'static str,
    switch_href: String,
    desk: String,
    unit: String,
    month: String,
    ratings: String,
    suppressed: bool,
    min_count: u64,
    rate: String,
    /// (words, count, share as text, share in per cent for the bar)
    levels: Vec<(String, String, String, u32)>,
    behaviours: Vec<(String, String, u32)>,
    form_href: String,
}

/// Last month's results of a desk, for citizens (no officer figures).
async fn results(
    req: HttpRequest,
    tr: Tr,
    s: web::Data<Services>,
    path: web::Path<String>,
) -> Result<HttpResponse, WebError> {
    let token = path.into_inner();
    let (s2, t2) = (s.clone(), token.clone());
    let found =
        crate::service::blocking(move || crate::service::reports::public::by_token(&s2, &t2, None, chrono::Utc::now()))
            .await
            .map_err(|e| WebError::from_service(e, tr.0, Format::Page))?;
    let Some(r) = found else {
        return Err(WebError::page(StatusCode::NOT_FOUND, tr.0, "results.unknown_title", "results.unknown"));
    };
    let lang = tr.0;
    let pct = |x: Option<f64>| x.map(|v| crate::report::html::percent(v, lang)).unwrap_or_default();
    let bar = |x: Option<f64>| x.map(|v| (v * 100.0).round().clamp(0.0, 100.0) as u32).unwrap_or(0);
    let page = ResultsPage {
        tr,
        css: page::CSS,
        switch_href: switch_href(&req, tr),
        desk: r.desk_name.clone(),
        unit: r.unit_name.clone(),
        month: r.month.label(lang),
        ratings: crate::report::html::count(r.ratings, lang),
        suppressed: r.suppressed,
        min_count: r.min_count,
        rate: pct(r.satisfaction_rate),
        levels: r
            .levels
            .iter()
            .map(|(vi, en, n, share)| {
                let words = if lang == Lang::Vi { vi } else { en };
                (words.clone(), crate::report::html::count(*n, lang), pct(*share), bar(*share))
            })
            .collect(),
        behaviours: r
            .behaviours
            .iter()
            .map(|b| {
                (if lang == Lang::Vi { b.label_vi.clone() } else { b.label_en.clone() }, pct(b.share), bar(b.share))
            })
            .collect(),
        form_href: format!("/q/{token}?lang={}", tr.lang()),
    };
    render(StatusCode::OK, lang, &page)
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

/// The lookup page, empty or saying that `code` leads nowhere.
fn lookup_page(req: &HttpRequest, tr: Tr, code: String) -> Result<HttpResponse, WebError> {
    let not_found = !code.is_empty();
    let status = if not_found { StatusCode::NOT_FOUND } else { StatusCode::OK };
    render(status, tr.0, &LookupPage { tr, css: page::CSS, switch_href: switch_href(req, tr), code, not_found })
}

/// `/t?code=…`: the home page's lookup form; canonicalises what was typed.
async fn lookup(req: HttpRequest, tr: Tr, q: web::Query<HashMap<String, String>>) -> Result<HttpResponse, WebError> {
    let code = q.get("code").map(|c| c.trim().to_string()).unwrap_or_default();
    match codes::parse_receipt(&code) {
        Some(receipt) => Ok(see_other(&format!("/t/{receipt}?lang={}", tr.lang()))),
        None => lookup_page(&req, tr, code),
    }
}

struct Step {
    iso: String,
    when: String,
    label: &'static str,
    /// The answer given at this step, or the citizen's reason for not being satisfied.
    text: String,
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
    answer: String,
    outcome: &'static str,
    question: String,
    form: String,
    can_reply: bool,
    can_rate: bool,
    has_contact: bool,
    has_email: bool,
    /// "Chưa hài lòng" was pressed: ask for a reason and a confirmation before reopening.
    confirm_appeal: bool,
}

impl TrackPage {
    fn new(tr: Tr, switch_href: String, v: TrackView) -> TrackPage {
        let lang = tr.0;
        let steps = v
            .steps
            .iter()
            .map(|s| Step {
                iso: s.at.to_rfc3339(),
                when: local_time(s.at, lang),
                label: s.kind.label(lang),
                text: s.text.clone().unwrap_or_default(),
            })
            .collect();
        let (answer, outcome) = match v.answer {
            Some(a) => (a.text, a.outcome.map(|d| d.label(lang)).unwrap_or("")),
            None => (String::new(), ""),
        };
        TrackPage {
            tr,
            css: page::CSS,
            switch_href,
            is_new: false,
            banner: String::new(),
            error: String::new(),
            status: v.case.status.label(lang),
            status_code: v.case.status.as_str(),
            category: v.case.category.label(lang),
            steps,
            answer,
            outcome,
            question: v.question.unwrap_or_default(),
            form: v.forms.token,
            can_reply: v.forms.can_reply,
            can_rate: v.forms.can_rate,
            has_contact: v.forms.has_contact,
            has_email: v.forms.has_email,
            confirm_appeal: false,
            receipt: v.case.receipt,
        }
    }
}

async fn track(
    req: HttpRequest,
    tr: Tr,
    s: web::Data<Services>,
    limits: web::Data<Limiters>,
    path: web::Path<String>,
    q: web::Query<HashMap<String, String>>,
) -> Result<HttpResponse, WebError> {
    limits.track(limits.client_ip(&req)).map_err(|wait| WebError::too_many(tr.0, Format::Page, wait))?;
    let typed = path.into_inner();
    let Some(receipt) = codes::parse_receipt(&typed) else { return lookup_page(&req, tr, typed) };
    if typed != receipt {
        return Ok(see_other(&format!("/t/{receipt}?lang={}", tr.lang())));
    }
    let s2 = s.clone();
    let Some(view) = crate::service::blocking(move || cases::track(&s2, &receipt)).await.or_page(tr.0)? else {
        return lookup_page(&req, tr, typed);
    };
    let mut page = TrackPage::new(tr, switch_href(&req, tr), view);
    page.is_new = q.get("new").is_some_and(|v| v == "1");
    if let Some(done) = q.get("done") {
        let key = match done.as_str() {
            "reply" => "track.done_reply",
            "rated" => "track.done_rated",
            "erased" => "track.done_erased",
            _ => "head.done",
        };
        page.banner = tr.t(key).to_string();
    }
    render_private(StatusCode::OK, tr.0, &page)
}

/// The tracking page asking the citizen to confirm they are not satisfied (and why, optionally).
async fn appeal_page(s: &Services, tr: Tr, typed: &str, receipt: String) -> Result<HttpResponse, WebError> {
    let s2 = s.clone();
    let view = crate::service::blocking(move || cases::track(&s2, &receipt)).await.or_page(tr.0)?;
    let not_found = || WebError::page(StatusCode::NOT_FOUND, tr.0, "track.not_found_title", "track.not_found");
    let mut page = TrackPage::new(tr, format!("/t/{typed}?lang={}", tr.other()), view.ok_or_else(not_found)?);
    page.confirm_appeal = page.can_rate;
    render_private(StatusCode::OK, tr.0, &page)
}

/// The citizen's forms on the tracking page: answer a question, rate the answer, erase contact
/// details. Each carries a token bound to the case's state; a stale or replayed one changes nothing.
async fn track_post(
    req: HttpRequest,
    s: web::Data<Services>,
    limits: web::Data<Limiters>,
    path: web::Path<(String, String)>,
    form: web::Form<HashMap<String, String>>,
) -> Result<HttpResponse, WebError> {
    let (typed, what) = path.into_inner();
    let field = |k: &str| form.get(k).cloned().unwrap_or_default();
    let tr = Tr(Lang::parse(&field("lang")).unwrap_or_else(|| lang_of(&req)));
    limits.track(limits.client_ip(&req)).map_err(|wait| WebError::too_many(tr.0, Format::Page, wait))?;
    let not_found = || WebError::page(StatusCode::NOT_FOUND, tr.0, "track.not_found_title", "track.not_found");
    let Some(receipt) = codes::parse_receipt(&typed) else { return Err(not_found()) };
    let (action, done) = match what.as_str() {
        "reply" => (CitizenAction::Reply(field("text")), "reply"),
        "verdict" => match Verdict::parse(&field("verdict")) {
            // Not satisfied reopens the case: first a page asking why and to confirm.
            Some(Verdict::NotSatisfied) if field("confirm") != "yes" => {
                return appeal_page(&s, tr, &typed, receipt).await;
            }
            Some(verdict) => {
                let reason = Some(field("reason")).filter(|r| !r.trim().is_empty());
                (CitizenAction::Rate(verdict, reason), "rated")
            }
            None => return Err(WebError::page(StatusCode::BAD_REQUEST, tr.0, "badrequest.title", "badrequest.body")),
        },
        "erase" => (CitizenAction::Erase, "erased"),
        _ => return Err(not_found()),
    };
    let (s2, r2, token) = (s.clone(), receipt.clone(), field("form"));
    let result = crate::service::blocking(move || cases::citizen_act(&s2, &r2, &token, action, Utc::now())).await;
    match result {
        Ok(()) => Ok(see_other(&format!("/t/{receipt}?done={done}&lang={}", tr.lang()))),
        Err(e @ (Error::Invalid(_) | Error::Conflict(_))) => {
            // The page again, as it is now, with the message; nothing changed.
            let status =
                if matches!(e, Error::Invalid(_)) { StatusCode::UNPROCESSABLE_ENTITY } else { StatusCode::CONFLICT };
            let s2 = s.clone();
            let view = crate::service::blocking(move || cases::track(&s2, &receipt)).await.or_page(tr.0)?;
            let mut page = TrackPage::new(tr, format!("/t/{typed}?lang={}", tr.other()), view.ok_or_else(not_found)?);
            page.error = e.user_message(tr.0);
            render_private(status, tr.0, &page)
        }
        Err(e) => Err(WebError::from_service(e, tr.0, Format::Page)),
    }
}
