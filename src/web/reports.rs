//! The pages behind report links: `/r/{token}` (the report; `?format=csv|xlsx|json|docx`
//! downloads it, `?lang=en` in English) and `/r/{token}/files` (entering files handled for the
//! 766 rate over files). A GET only reads; every use of a link is logged by the service.

use std::collections::HashMap;

use actix_web::http::{StatusCode, header};
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use chrono::Utc;

use super::error::{Format, WebError};
use super::page::{CSS, render_private, see_other};
use super::text::Tr;
use super::{Route, lang_of, switch_href};
use crate::i18n::Lang;
use crate::report;
use crate::service::reports::files::{self, FilesForm};
use crate::service::reports::links::{self, Opened};
use crate::service::{Services, blocking};

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(Route::page("/r/{token}").get(show))
        .service(Route::page("/r/{token}/files").get(files_form).post(files_post));
}

/// `?lang=` names a language the pages are written in, or is absent: anything else is a mistake
/// in the link, said so, rather than silently shown in the default language.
pub(super) fn check_lang(q: &HashMap<String, String>, lang: Lang) -> Result<(), WebError> {
    match q.get("lang").map(|l| l.trim().to_ascii_lowercase()).as_deref() {
        None | Some("vi") | Some("en") => Ok(()),
        Some(_) => Err(WebError::page(StatusCode::BAD_REQUEST, lang, "report.lang_title", "report.lang_body")),
    }
}

/// The formats a report link serves.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Wanted {
    Html,
    Csv,
    Xlsx,
    Json,
    Docx,
}

impl Wanted {
    pub(super) fn parse(q: Option<&String>) -> Option<Wanted> {
        match q.map(|s| s.trim().to_ascii_lowercase()).as_deref() {
            None | Some("") | Some("html") => Some(Wanted::Html),
            Some("csv") => Some(Wanted::Csv),
            Some("xlsx") => Some(Wanted::Xlsx),
            Some("json") => Some(Wanted::Json),
            Some("docx") => Some(Wanted::Docx),
            _ => None,
        }
    }

    pub(super) fn as_str(self) -> &'static str {
        match self {
            Wanted::Html => "html",
            Wanted::Csv => "csv",
            Wanted::Xlsx => "xlsx",
            Wanted::Json => "json",
            Wanted::Docx => "docx",
        }
    }
}

async fn show(
    req: HttpRequest,
    tr: Tr,
    s: web::Data<Services>,
    path: web::Path<String>,
    q: web::Query<HashMap<String, String>>,
) -> Result<HttpResponse, WebError> {
    let token = path.into_inner();
    check_lang(&q, tr.0)?;
    let Some(wanted) = Wanted::parse(q.get("format")) else {
        return Err(WebError::page(StatusCode::BAD_REQUEST, tr.0, "report.format_title", "report.format_body"));
    };
    let (s2, t2) = (s.clone(), token.clone());
    let opened = blocking(move || links::open(&s2, &t2, wanted.as_str(), Utc::now()))
        .await
        .map_err(|e| WebError::from_service(e, tr.0, Format::Page))?;
    let lang = tr.0;
    let base = format!("/r/{token}");
    let page_links = |files: bool| report::html::Links {
        csv: Some(format!("{base}?format=csv")),
        xlsx: Some(format!("{base}?format=xlsx")),
        json: Some(format!("{base}?format=json")),
        docx: (!files).then(|| format!("{base}?format=docx")),
        other_lang: Some(switch_href(&req, tr)),
        files_form: files.then(|| format!("{base}/files?lang={}", tr.lang())),
    };
    match opened {
        Opened::Monthly(r, _) => monthly(&r, wanted, lang, &page_links(true)),
        Opened::Yearly(y, _) => yearly(&y, wanted, lang, &page_links(false)),
        Opened::Expired => Err(WebError::page(StatusCode::GONE, lang, "report.expired_title", "report.expired")),
        Opened::Revoked => Err(WebError::page(StatusCode::GONE, lang, "report.revoked_title", "report.revoked")),
        Opened::Unknown => Err(WebError::page(StatusCode::NOT_FOUND, lang, "report.unknown_title", "report.unknown")),
    }
}

const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
const DOCX: &str = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";

/// A monthly report in the format asked for (the report link's page and the console's).
pub(super) fn monthly(
    r: &crate::service::reports::model::Report,
    wanted: Wanted,
    lang: Lang,
    links: &report::html::Links,
) -> Result<HttpResponse, WebError> {
    let name = format!("bao-cao-hai-long-{}-{}", r.scope.code, r.period.first);
    match wanted {
        Wanted::Html => html(report::html::monthly(r, lang, links), lang),
        Wanted::Json => {
            download(serde_json::to_vec_pretty(r).map_err(anyhow::Error::from), "application/json", &name, "json", lang)
        }
        Wanted::Csv => {
            download(Ok(report::csv::monthly(r, lang).into_bytes()), "text/csv; charset=utf-8", &name, "csv", lang)
        }
        Wanted::Xlsx => {
            download(report::xlsx::monthly(r, lang).map_err(anyhow::Error::from), XLSX, &name, "xlsx", lang)
        }
        Wanted::Docx => Err(WebError::page(StatusCode::BAD_REQUEST, lang, "report.format_title", "report.format_body")),
    }
}

/// A yearly report in the format asked for (the report link's page and the console's).
pub(super) fn yearly(
    y: &crate::service::reports::model::Yearly,
    wanted: Wanted,
    lang: Lang,
    links: &report::html::Links,
) -> Result<HttpResponse, WebError> {
    let name = format!("bao-cao-van-hoa-cong-vu-{}-{}", y.report.scope.code, y.year);
    match wanted {
        Wanted::Html => html(report::html::yearly(y, lang, links), lang),
        Wanted::Json => {
            download(serde_json::to_vec_pretty(y).map_err(anyhow::Error::from), "application/json", &name, "json", lang)
        }
        Wanted::Csv => download(
            Ok(report::csv::monthly(&y.report, lang).into_bytes()),
            "text/csv; charset=utf-8",
            &name,
            "csv",
            lang,
        ),
        Wanted::Xlsx => download(report::xlsx::yearly(y, lang).map_err(anyhow::Error::from), XLSX, &name, "xlsx", lang),
        Wanted::Docx => download(report::docx::draft(&y.draft).map_err(anyhow::Error::from), DOCX, &name, "docx", lang),
    }
}

fn html(body: crate::error::Result<String>, lang: Lang) -> Result<HttpResponse, WebError> {
    let body = body.map_err(|e| WebError::internal(lang, Format::Page, &e))?;
    let mut b = HttpResponse::Ok();
    private(&mut b).content_type("text/html; charset=utf-8");
    Ok(b.body(body))
}

fn download(
    bytes: anyhow::Result<Vec<u8>>,
    content_type: &str,
    name: &str,
    ext: &str,
    lang: Lang,
) -> Result<HttpResponse, WebError> {
    let bytes = bytes.map_err(|e| WebError::internal(lang, Format::Page, &e))?;
    let disposition = format!("attachment; filename=\"{name}.{ext}\"");
    let mut b = HttpResponse::Ok();
    private(&mut b).content_type(content_type.to_string()).insert_header((header::CONTENT_DISPOSITION, disposition));
    Ok(b.body(bytes))
}

/// A report is for its addressee: never cached, never indexed.
fn private(b: &mut actix_web::HttpResponseBuilder) -> &mut actix_web::HttpResponseBuilder {
    b.insert_header((header::CACHE_CONTROL, "no-store")).insert_header(("X-Robots-Tag", "noindex"))
}

#[derive(Template)]
#[template(path = "report/files.html")]
struct FilesPage {
    tr: Tr,
    css: &'static str,
    switch_href: String,
    action: String,
    month: String,
    scope: String,
    desks: Vec<(String, String, String, String, String)>,
    error: String,
    saved: bool,
    back: String,
}

impl FilesPage {
    fn new(req: &HttpRequest, tr: Tr, token: &str, f: FilesForm) -> FilesPage {
        FilesPage {
            tr,
            css: CSS,
            switch_href: switch_href(req, tr),
            action: format!("/r/{token}/files"),
            month: f.month.label(tr.0),
            scope: f.scope_name,
            desks: f
                .desks
                .into_iter()
                .map(|(code, name, unit, files, ratings)| {
                    let ratings = match tr.0 {
                        Lang::Vi => crate::domain::feedback::number_vi(ratings as usize),
                        Lang::En => ratings.to_string(),
                    };
                    (code, name, unit, files.map(|n| n.to_string()).unwrap_or_default(), ratings)
                })
                .collect(),
            error: String::new(),
            saved: false,
            back: format!("/r/{token}?lang={}", tr.lang()),
        }
    }
}

async fn files_form(
    req: HttpRequest,
    tr: Tr,
    s: web::Data<Services>,
    path: web::Path<String>,
    q: web::Query<HashMap<String, String>>,
) -> Result<HttpResponse, WebError> {
    let token = path.into_inner();
    check_lang(&q, tr.0)?;
    let (s2, t2) = (s.clone(), token.clone());
    let form = blocking(move || files::form(&s2, &t2, Utc::now()))
        .await
        .map_err(|e| WebError::from_service(e, tr.0, Format::Page))?;
    let Some(form) = form else {
        return Err(WebError::page(StatusCode::NOT_FOUND, tr.0, "report.unknown_title", "report.files_unavailable"));
    };
    let mut page = FilesPage::new(&req, tr, &token, form);
    page.saved = q.contains_key("saved");
    render_private(StatusCode::OK, tr.0, &page)
}

async fn files_post(
    req: HttpRequest,
    s: web::Data<Services>,
    path: web::Path<String>,
    form: web::Form<Vec<(String, String)>>,
) -> Result<HttpResponse, WebError> {
    let values: Vec<(String, String)> = form.into_inner();
    let lang =
        values.iter().find(|(k, _)| k == "lang").and_then(|(_, v)| Lang::parse(v)).unwrap_or_else(|| lang_of(&req));
    let tr = Tr(lang);
    let token = path.into_inner();
    let entries: Vec<(String, String)> =
        values.into_iter().filter_map(|(k, v)| k.strip_prefix("files:").map(|d| (d.to_string(), v))).collect();
    let (s2, t2) = (s.clone(), token.clone());
    let result = blocking(move || files::submit_form(&s2, &t2, &entries, Utc::now())).await;
    match result {
        Ok(_) => Ok(see_other(&format!("/r/{token}/files?saved=1&lang={}", tr.lang()))),
        Err(crate::error::Error::Invalid(text)) => {
            // Shown again with the message; nothing was written.
            let (s2, t2) = (s.clone(), token.clone());
            let form = blocking(move || files::form(&s2, &t2, Utc::now()))
                .await
                .map_err(|e| WebError::from_service(e, tr.0, Format::Page))?;
            let Some(form) = form else {
                return Err(WebError::page(
                    StatusCode::NOT_FOUND,
                    tr.0,
                    "report.unknown_title",
                    "report.files_unavailable",
                ));
            };
            let mut page = FilesPage::new(&req, tr, &token, form);
            page.error = text.get(tr.0).to_string();
            render_private(StatusCode::UNPROCESSABLE_ENTITY, tr.0, &page)
        }
        Err(e) => Err(WebError::from_service(e, tr.0, Format::Page)),
    }
}
