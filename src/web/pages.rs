//! Public pages that belong to no single audience: home, not found.

use actix_web::{HttpRequest, HttpResponse, Responder, web};
use askama::Template;
use askama_web::WebTemplate;

use super::page::CSS;
use super::text::Tr;
use super::{lang_of, switch_href};

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
    Home { tr, css: CSS, switch_href: switch_href(&req, tr) }
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
    let page = NotFound { tr, css: CSS, switch_href: switch_href(&req, tr) };
    HttpResponse::NotFound().content_type("text/html; charset=utf-8").body(page.render().unwrap_or_default())
}
