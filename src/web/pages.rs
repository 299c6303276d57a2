//! Public pages that belong to no single audience: home, not found.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;

use super::error::WebError;
use super::page::{CSS, render};
use super::text::Tr;
use super::{Route, switch_href};

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(Route::page("/").get(home));
}

#[derive(Template)]
#[template(path = "home.html")]
struct Home {
    tr: Tr,
    css: &'static str,
    switch_href: String,
}

async fn home(req: HttpRequest, tr: Tr) -> Result<HttpResponse, WebError> {
    render(StatusCode::OK, tr.0, &Home { tr, css: CSS, switch_href: switch_href(&req, tr) })
}

#[derive(Template)]
#[template(path = "not_found.html")]
struct NotFound {
    tr: Tr,
    css: &'static str,
    switch_href: String,
}

pub async fn not_found(req: HttpRequest, tr: Tr) -> Result<HttpResponse, WebError> {
    render(StatusCode::NOT_FOUND, tr.0, &NotFound { tr, css: CSS, switch_href: switch_href(&req, tr) })
}
