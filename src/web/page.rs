//! Shared page responses: the stylesheet, message pages (404, 405, 410, 429, …), internal errors.

use actix_web::http::{StatusCode, header};
use actix_web::{HttpRequest, HttpResponse};
use askama::Template;

use super::lang_of;
use super::text::Tr;

/// The one stylesheet, inlined into every page: on slow mobile data a second request costs more
/// than the few kilobytes it saves.
pub const CSS: &str = include_str!("../../static/app.css");

#[derive(Template)]
#[template(path = "message.html")]
pub struct Page {
    pub tr: Tr,
    pub css: &'static str,
    pub switch_href: String,
    pub title: String,
    pub body: String,
    pub link_href: String,
    pub link_text: String,
}

pub fn html(status: StatusCode, body: String) -> HttpResponse {
    HttpResponse::build(status).content_type("text/html; charset=utf-8").body(body)
}

/// A page with a title, a paragraph and an optional link, from text keys.
pub fn message(status: StatusCode, tr: Tr, title: &str, body: &str, link: Option<(&str, &str)>) -> HttpResponse {
    message_owned(status, tr, title, body, link.map(|(h, t)| (h.to_string(), t)))
}

pub fn message_owned(
    status: StatusCode,
    tr: Tr,
    title: &str,
    body: &str,
    link: Option<(String, &str)>,
) -> HttpResponse {
    let (link_href, link_text) = match link {
        Some((h, key)) => (h, tr.t(key).to_string()),
        None => (String::new(), String::new()),
    };
    let page = Page {
        tr,
        css: CSS,
        switch_href: format!("?lang={}", tr.other()),
        title: tr.t(title).to_string(),
        body: tr.t(body).to_string(),
        link_href,
        link_text,
    };
    html(status, page.render().unwrap_or_default())
}

/// 429 with `Retry-After` (whole seconds, at least 1).
pub fn too_many(tr: Tr, wait: std::time::Duration) -> HttpResponse {
    let mut resp = message(StatusCode::TOO_MANY_REQUESTS, tr, "limit.title", "limit.body", None);
    let secs = wait.as_secs() + u64::from(wait.subsec_nanos() > 0);
    resp.headers_mut().insert(header::RETRY_AFTER, header::HeaderValue::from(secs.max(1)));
    resp
}

/// An internal failure: logged with its detail; the person gets a plain apology.
pub fn internal(tr: Tr, e: &dyn std::fmt::Display) -> HttpResponse {
    tracing::error!(error = %e, "request failed");
    message(StatusCode::INTERNAL_SERVER_ERROR, tr, "error.title", "error.body", None)
}

pub async fn method_not_allowed(req: HttpRequest) -> HttpResponse {
    let tr = Tr(lang_of(&req));
    message(StatusCode::METHOD_NOT_ALLOWED, tr, "method.title", "method.body", Some(("/", "common.home")))
}
