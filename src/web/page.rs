//! Shared pieces of page responses: the stylesheet, rendering a template (a failure is logged and
//! answers 500, never an empty page), redirects.

use actix_web::HttpResponse;
use actix_web::http::{StatusCode, header};
use askama::Template;

use super::error::{Format, WebError};
use crate::i18n::Lang;

/// The one stylesheet, inlined into every page: on slow mobile data a second request costs more
/// than the few kilobytes it saves.
pub const CSS: &str = include_str!("../../static/app.css");

pub fn html(status: StatusCode, body: String) -> HttpResponse {
    HttpResponse::build(status).content_type("text/html; charset=utf-8").body(body)
}

/// A page from its template.
pub fn render(status: StatusCode, lang: Lang, page: &impl Template) -> Result<HttpResponse, WebError> {
    let body = page.render().map_err(|e| WebError::internal(lang, Format::Page, &e))?;
    Ok(html(status, body))
}

/// A page that must not be cached (it shows a case or carries a form token).
pub fn render_private(status: StatusCode, lang: Lang, page: &impl Template) -> Result<HttpResponse, WebError> {
    let mut resp = render(status, lang, page)?;
    resp.headers_mut().insert(header::CACHE_CONTROL, header::HeaderValue::from_static("no-store"));
    Ok(resp)
}

/// 303 to `location` (after a POST, or to canonicalise what was typed).
pub fn see_other(location: &str) -> HttpResponse {
    HttpResponse::SeeOther().insert_header((header::LOCATION, location.to_string())).finish()
}
