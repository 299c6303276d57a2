//! Public pages that belong to no single audience: home, not found.

use actix_web::{HttpRequest, HttpResponse, Responder, web};
use askama::Template;
use askama_web::WebTemplate;

use super::lang_of;
use super::text::Tr;

/// The one stylesheet, inlined into every page: on slow mobile data a second request costs more
/// than the few kilobytes it saves.
pub const CSS: &str = include_str!("../../static/app.css");

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/", web::get().to(home));
}

#[derive(Template, WebTemplate)]
#[template(path = "home.html")]
struct Home {
    tr: Tr,
    css: &'static str,
    switch_href: String,
}

async fn home(req: HttpRequest) -> impl Responder {
    let tr = Tr(lang_of(&req));
    Home { tr, css: CSS, switch_href: format!("/?lang={}", tr.other()) }
}

#[derive(Template)]
#[template(path = "not_found.html")]
struct NotFound {
    tr: Tr,
    css: &'static str,
    switch_href: String,
}

pub async fn not_found(req: HttpRequest) -> HttpResponse {
    let tr = Tr(lang_of(&req));
    let page = NotFound { tr, css: CSS, switch_href: format!("{}?lang={}", req.path(), tr.other()) };
    HttpResponse::NotFound().content_type("text/html; charset=utf-8").body(page.render().unwrap_or_default())
}
