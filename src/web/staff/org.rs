//! Organisation pages of the console: `/staff/org` (units tree), a unit, a desk (edit, new QR,
//! deactivate; QR and poster downloads), a unit's posters as one printable set, calendars,
//! cases nobody could be found for.

use std::collections::HashMap;

use actix_web::http::{StatusCode, header};
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use chrono::Utc;

use super::{Nav, form_lang, nav, signed_in, stale_form};
use crate::error::Error;
use crate::i18n::local_time;
use crate::service::desk::QrFormat;
use crate::service::staff::{self as console, org};
use crate::service::{Services, blocking};
use crate::web::error::{Format, WebError};
use crate::web::page::{CSS, render_private, see_other};
use crate::web::text::Tr;
use crate::web::{Route, switch_href};

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(Route::page("/staff/org").get(tree_page))
        .service(Route::page("/staff/org/units/{code}").get(unit_page).post(unit_post))
        .service(Route::page("/staff/org/units/{code}/posters").get(posters_page))
        .service(Route::page("/staff/org/desks/{code}").get(desk_page).post(desk_post))
        .service(Route::page("/staff/org/desks/{code}/qr.png").get(qr_png))
        .service(Route::page("/staff/org/desks/{code}/qr.svg").get(qr_svg))
        .service(Route::page("/staff/org/desks/{code}/poster.svg").get(poster_svg))
        .service(Route::page("/staff/org/calendars").get(calendars_page).post(calendars_post))
        .service(Route::page("/staff/org/unrouted").get(unrouted_page).post(unrouted_post));
}

/// How a page is shown again: its status and the note or error above it.
struct Shown {
    status: StatusCode,
    banner: String,
    error: String,
}

impl Shown {
    fn ok(banner: String) -> Shown {
        Shown { status: StatusCode::OK, banner, error: String::new() }
    }

    fn refused((status, error): (StatusCode, String)) -> Shown {
        Shown { status, banner: String::new(), error }
    }
}

fn service_error(e: Error, tr: Tr) -> WebError {
    WebError::from_service(e, tr.0, Format::Page)
}

/// What a refused change says on the page, and its status.
fn refusal(e: Error, tr: Tr) -> Result<(StatusCode, String), WebError> {
    match e {
        Error::Invalid(_) | Error::InvalidMany(_) => Ok((StatusCode::UNPROCESSABLE_ENTITY, e.user_message(tr.0))),
        Error::Conflict(_) => Ok((StatusCode::FORBIDDEN, e.user_message(tr.0))),
        e => Err(service_error(e, tr)),
    }
}

#[derive(Template)]
#[template(path = "staff/org.html")]
struct TreePage {
    tr: Tr,
    css: &'static str,
    switch_href: String,
    nav: Nav,
    /// (code, name, kind, indent rem, desks, active)
    units: Vec<(String, String, String, usize, usize, bool)>,
}

async fn tree_page(req: HttpRequest, tr: Tr, s: web::Data<Services>) -> Result<HttpResponse, WebError> {
    let staff = staff_or_redirect!(req, s, tr);
    let (s2, st2) = (s.clone(), staff.clone());
    let rows = blocking(move || org::units(&s2, &st2)).await.map_err(|e| service_error(e, tr))?;
    let page = TreePage {
        tr,
        css: CSS,
        switch_href: switch_href(&req, tr),
        nav: nav(&staff, tr),
        units: rows.into_iter().map(|u| (u.code, u.name, u.kind, u.depth, u.desks, u.active)).collect(),
    };
    render_private(StatusCode::OK, tr.0, &page)
}

#[derive(Template)]
#[template(path = "staff/unit.html")]
struct UnitPage {
    tr: Tr,
    css: &'static str,
    switch_href: String,
    nav: Nav,
    u: org::UnitPage,
    /// (code, name, title, role, email, active)
    officers: Vec<(String, String, String, &'static str, String, bool)>,
    banner: String,
    error: String,
}

async fn unit_response(
    req: &HttpRequest,
    s: &web::Data<Services>,
    staff: &console::Staff,
    tr: Tr,
    code: String,
    shown: Shown,
) -> Result<HttpResponse, WebError> {
    let Shown { status, banner, error } = shown;
    let (s2, st2) = (s.clone(), staff.clone());
    let today = Utc::now().with_timezone(&crate::domain::LOCAL_TZ).date_naive();
    let u = blocking(move || org::unit(&s2, &st2, &code, today)).await.map_err(|e| service_error(e, tr))?;
    let officers = u
        .officers
        .iter()
        .map(|o| (o.code.clone(), o.name.clone(), o.title.clone(), o.role.label(tr.0), o.email.clone(), o.active))
        .collect();
    let page =
        UnitPage { tr, css: CSS, switch_href: switch_href(req, tr), nav: nav(staff, tr), u, officers, banner, error };
    render_private(status, tr.0, &page)
}

async fn unit_page(
    req: HttpRequest,
    tr: Tr,
    s: web::Data<Services>,
    path: web::Path<String>,
    q: web::Query<HashMap<String, String>>,
) -> Result<HttpResponse, WebError> {
    let staff = staff_or_redirect!(req, s, tr);
    let banner = if q.contains_key("done") { tr.t("staff.saved").to_string() } else { String::new() };
    unit_response(&req, &s, &staff, tr, path.into_inner(), Shown::ok(banner)).await
}

async fn unit_post(
    req: HttpRequest,
    s: web::Data<Services>,
    path: web::Path<String>,
    form: web::Form<HashMap<String, String>>,
) -> Result<HttpResponse, WebError> {
    let (tr, staff) = signed_form!(req, s, form);
    let field = |k: &str| form.get(k).cloned().unwrap_or_default();
    let code = path.into_inner();
    let (s2, st2, c2, action) = (s.clone(), staff.clone(), code.clone(), field("action"));
    let (officer, deputy, from, until, id) =
        (field("officer"), field("deputy"), field("from"), field("until"), field("id"));
    let result = blocking(move || {
        let now = Utc::now();
        match action.as_str() {
            "deactivate_officer" => org::deactivate(&s2, &st2, "officer", &officer, now),
            "delegate" => org::delegate(&s2, &st2, &c2, &deputy, &from, &until, now).map(|_| ()),
            "revoke_delegation" => {
                let id = id
                    .trim()
                    .parse()
                    .map_err(|_| Error::Invalid(crate::t!("Số ủy quyền không hợp lệ", "Not a delegation number")))?;
                org::revoke_delegation(&s2, &st2, &c2, id, now)
            }
            _ => Err(Error::Invalid(crate::t!("Thao tác không hợp lệ", "Unknown action"))),
        }
    })
    .await;
    match result {
        Ok(()) => Ok(see_other(&format!("/staff/org/units/{code}?done=1&lang={}", tr.lang()))),
        Err(e) => unit_response(&req, &s, &staff, tr, code, Shown::refused(refusal(e, tr)?)).await,
    }
}

#[derive(Template)]
#[template(path = "staff/posters.html")]
struct PostersPage {
    lang: &'static str,
    title: String,
    /// (desk code, SVG markup)
    posters: Vec<(String, String)>,
}

/// Every active desk's A5 poster of a unit and its subtree, one per printed page.
async fn posters_page(
    req: HttpRequest,
    tr: Tr,
    s: web::Data<Services>,
    path: web::Path<String>,
) -> Result<HttpResponse, WebError> {
    let staff = staff_or_redirect!(req, s, tr);
    let code = path.into_inner();
    let (s2, st2, c2) = (s.clone(), staff.clone(), code.clone());
    let posters = blocking(move || org::posters(&s2, &st2, &c2, Utc::now())).await.map_err(|e| service_error(e, tr))?;
    // The documents' own prologue would be out of place inside HTML.
    let posters = posters
        .into_iter()
        .map(|(d, svg)| (d, svg.find("<svg").map_or(svg.clone(), |i| svg[i..].to_string())))
        .collect();
    let page = PostersPage { lang: tr.lang(), title: format!("{} — {code}", tr.t("staff.print_posters")), posters };
    render_private(StatusCode::OK, tr.0, &page)
}

#[derive(Template)]
#[template(path = "staff/desk.html")]
struct DeskPage {
    tr: Tr,
    css: &'static str,
    switch_href: String,
    nav: Nav,
    d: org::DeskPage,
    banner: String,
    error: String,
}

async fn desk_response(
    req: &HttpRequest,
    s: &web::Data<Services>,
    staff: &console::Staff,
    tr: Tr,
    code: String,
    shown: Shown,
) -> Result<HttpResponse, WebError> {
    let Shown { status, banner, error } = shown;
    let (s2, st2) = (s.clone(), staff.clone());
    let d = blocking(move || org::desk(&s2, &st2, &code)).await.map_err(|e| service_error(e, tr))?;
    let page = DeskPage { tr, css: CSS, switch_href: switch_href(req, tr), nav: nav(staff, tr), d, banner, error };
    render_private(status, tr.0, &page)
}

async fn desk_page(
    req: HttpRequest,
    tr: Tr,
    s: web::Data<Services>,
    path: web::Path<String>,
    q: web::Query<HashMap<String, String>>,
) -> Result<HttpResponse, WebError> {
    let staff = staff_or_redirect!(req, s, tr);
    let banner = match q.get("done").map(String::as_str) {
        Some("rotate") => tr.t("staff.rotated").to_string(),
        Some(_) => tr.t("staff.saved").to_string(),
        None => String::new(),
    };
    desk_response(&req, &s, &staff, tr, path.into_inner(), Shown::ok(banner)).await
}

async fn desk_post(
    req: HttpRequest,
    s: web::Data<Services>,
    path: web::Path<String>,
    form: web::Form<HashMap<String, String>>,
) -> Result<HttpResponse, WebError> {
    let (tr, staff) = signed_form!(req, s, form);
    let field = |k: &str| form.get(k).cloned().unwrap_or_default();
    let code = path.into_inner();
    let action = field("action");
    let edit = org::DeskEdit { name: field("name"), location: field("location"), hours: field("hours") };
    let (s2, st2, c2, a2) = (s.clone(), staff.clone(), code.clone(), action.clone());
    let result = blocking(move || {
        let now = Utc::now();
        match a2.as_str() {
            "edit" => org::edit_desk(&s2, &st2, &c2, &edit, now),
            "rotate" => org::rotate(&s2, &st2, &c2, now).map(|_| ()),
            "deactivate" => org::deactivate(&s2, &st2, "desk", &c2, now),
            _ => Err(Error::Invalid(crate::t!("Thao tác không hợp lệ", "Unknown action"))),
        }
    })
    .await;
    match result {
        Ok(()) => Ok(see_other(&format!("/staff/org/desks/{code}?done={action}&lang={}", tr.lang()))),
        Err(e) => desk_response(&req, &s, &staff, tr, code, Shown::refused(refusal(e, tr)?)).await,
    }
}

fn file(bytes: Vec<u8>, content_type: &str, name: &str) -> HttpResponse {
    HttpResponse::Ok()
        .content_type(content_type.to_string())
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .insert_header((header::CONTENT_DISPOSITION, format!("inline; filename=\"{name}\"")))
        .body(bytes)
}

async fn qr(
    req: HttpRequest,
    tr: Tr,
    s: web::Data<Services>,
    code: String,
    format: QrFormat,
) -> Result<HttpResponse, WebError> {
    let staff = staff_or_redirect!(req, s, tr);
    let (s2, c2) = (s.clone(), code.clone());
    let bytes =
        blocking(move || org::desk_qr(&s2, &staff, &c2, format, Utc::now())).await.map_err(|e| service_error(e, tr))?;
    let (ct, ext) = match format {
        QrFormat::Png => ("image/png", "png"),
        QrFormat::Svg => ("image/svg+xml", "svg"),
    };
    Ok(file(bytes, ct, &format!("{code}.{ext}")))
}

async fn qr_png(
    req: HttpRequest,
    tr: Tr,
    s: web::Data<Services>,
    path: web::Path<String>,
) -> Result<HttpResponse, WebError> {
    qr(req, tr, s, path.into_inner(), QrFormat::Png).await
}

async fn qr_svg(
    req: HttpRequest,
    tr: Tr,
    s: web::Data<Services>,
    path: web::Path<String>,
) -> Result<HttpResponse, WebError> {
    qr(req, tr, s, path.into_inner(), QrFormat::Svg).await
}

async fn poster_svg(
    req: HttpRequest,
    tr: Tr,
    s: web::Data<Services>,
    path: web::Path<String>,
) -> Result<HttpResponse, WebError> {
    let staff = staff_or_redirect!(req, s, tr);
    let code = path.into_inner();
    let (s2, c2) = (s.clone(), code.clone());
    let mut posters =
        blocking(move || org::posters(&s2, &staff, &c2, Utc::now())).await.map_err(|e| service_error(e, tr))?;
    let (_, svg) = posters
        .pop()
        .ok_or_else(|| service_error(Error::NotFound(crate::t!("Không có quầy {code}", "No desk {code}")), tr))?;
    Ok(file(svg.into_bytes(), "image/svg+xml", &format!("{code}-poster.svg")))
}

#[derive(Template)]
#[template(path = "staff/calendars.html")]
struct CalendarsPage {
    tr: Tr,
    css: &'static str,
    switch_href: String,
    nav: Nav,
    listing: String,
    banner: String,
    error: String,
}

async fn calendars_response(
    req: &HttpRequest,
    s: &web::Data<Services>,
    staff: &console::Staff,
    tr: Tr,
    shown: Shown,
) -> Result<HttpResponse, WebError> {
    let Shown { status, banner, error } = shown;
    use chrono::Datelike;
    let year = Utc::now().with_timezone(&crate::domain::LOCAL_TZ).year();
    let (s2, st2) = (s.clone(), staff.clone());
    let listing =
        blocking(move || org::calendars(&s2, &st2, &[year, year + 1])).await.map_err(|e| service_error(e, tr))?;
    let page =
        CalendarsPage { tr, css: CSS, switch_href: switch_href(req, tr), nav: nav(staff, tr), listing, banner, error };
    render_private(status, tr.0, &page)
}

async fn calendars_page(req: HttpRequest, tr: Tr, s: web::Data<Services>) -> Result<HttpResponse, WebError> {
    let staff = staff_or_redirect!(req, s, tr);
    calendars_response(&req, &s, &staff, tr, Shown::ok(String::new())).await
}

async fn calendars_post(
    req: HttpRequest,
    s: web::Data<Services>,
    form: web::Form<HashMap<String, String>>,
) -> Result<HttpResponse, WebError> {
    let (tr, staff) = signed_form!(req, s, form);
    let text = form.get("text").cloned().unwrap_or_default();
    let (s2, st2) = (s.clone(), staff.clone());
    match blocking(move || org::import_calendar(&s2, &st2, &text, Utc::now())).await {
        Ok(summary) => calendars_response(&req, &s, &staff, tr, Shown::ok(summary)).await,
        Err(e) => calendars_response(&req, &s, &staff, tr, Shown::refused(refusal(e, tr)?)).await,
    }
}

#[derive(Template)]
#[template(path = "staff/unrouted.html")]
struct UnroutedPage {
    tr: Tr,
    css: &'static str,
    switch_href: String,
    nav: Nav,
    /// (number, category, desk, received)
    cases: Vec<(String, &'static str, String, String)>,
    /// (code, name)
    units: Vec<(String, String)>,
    banner: String,
    error: String,
}

async fn unrouted_response(
    req: &HttpRequest,
    s: &web::Data<Services>,
    staff: &console::Staff,
    tr: Tr,
    shown: Shown,
) -> Result<HttpResponse, WebError> {
    let Shown { status, banner, error } = shown;
    let (s2, st2) = (s.clone(), staff.clone());
    let (cases, units) = blocking(move || Ok((org::unrouted(&s2, &st2)?, org::units(&s2, &st2)?)))
        .await
        .map_err(|e| service_error(e, tr))?;
    let page = UnroutedPage {
        tr,
        css: CSS,
        switch_href: switch_href(req, tr),
        nav: nav(staff, tr),
        cases: cases
            .into_iter()
            .map(|c| (c.number, c.category.label(tr.0), c.desk, local_time(c.received, tr.0)))
            .collect(),
        units: units.into_iter().filter(|u| u.active).map(|u| (u.code, u.name)).collect(),
        banner,
        error,
    };
    render_private(status, tr.0, &page)
}

async fn unrouted_page(req: HttpRequest, tr: Tr, s: web::Data<Services>) -> Result<HttpResponse, WebError> {
    let staff = staff_or_redirect!(req, s, tr);
    unrouted_response(&req, &s, &staff, tr, Shown::ok(String::new())).await
}

async fn unrouted_post(
    req: HttpRequest,
    s: web::Data<Services>,
    form: web::Form<HashMap<String, String>>,
) -> Result<HttpResponse, WebError> {
    let (tr, staff) = signed_form!(req, s, form);
    let (number, unit) =
        (form.get("number").cloned().unwrap_or_default(), form.get("unit").cloned().unwrap_or_default());
    let (s2, st2) = (s.clone(), staff.clone());
    match blocking(move || org::assign(&s2, &st2, &number, &unit, Utc::now())).await {
        Ok(a) => {
            let banner = format!("{} {} → {}", tr.t("staff.assigned"), a.number, a.unit);
            unrouted_response(&req, &s, &staff, tr, Shown::ok(banner)).await
        }
        Err(e) => unrouted_response(&req, &s, &staff, tr, Shown::refused(refusal(e, tr)?)).await,
    }
}
