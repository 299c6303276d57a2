//! HTTP: thin handlers per audience.
//!
//! **The rule:** a handler parses its input, calls one service function (`crate::service`), and
//! renders the result — a template, JSON, or a redirect. It holds no business rule and never
//! touches the store; rules live in `domain`, use cases and read models in `service`. Errors are
//! [`error::WebError`] (with `?`): message pages in the reader's language, JSON under `/api`.
//! Paths are declared with [`Route`], which answers other methods 405 with `Allow`.

pub mod api;
pub mod citizen;
pub mod error;
pub mod head;
pub mod limit;
pub mod metrics;
pub mod ops;
pub mod page;
pub mod pages;
pub mod reports;
pub mod staff;
pub mod text;

use std::net::TcpListener;

use actix_web::dev::{HttpServiceFactory, Server};
use actix_web::http::{StatusCode, header};
use actix_web::middleware::{self, DefaultHeaders};
use actix_web::{App, FromRequest, Handler, HttpRequest, HttpServer, Responder, web};

use self::error::{Format, WebError};
use self::limit::Limiters;
use self::text::Tr;
use crate::i18n::Lang;
use crate::service::Services;

/// Largest request body accepted (a report is at most a few KB of text).
pub const MAX_BODY: usize = 64 * 1024;

/// Pages are self-contained: no other host is ever contacted, scripts are not needed.
const CSP: &str = "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

pub fn configure(cfg: &mut web::ServiceConfig) {
    ops::routes(cfg);
    pages::routes(cfg);
    citizen::routes(cfg);
    api::routes(cfg);
    head::routes(cfg);
    reports::routes(cfg);
    staff::routes(cfg);
}

/// Builds the server on a bound listener. `signals`: stop gracefully on SIGTERM/SIGINT (the
/// binary); tests stop it through the handle instead.
pub fn server(services: &Services, listener: TcpListener, workers: usize, signals: bool) -> std::io::Result<Server> {
    let services = services.clone();
    let data = web::Data::new(services.clone());
    let metrics = web::Data::new(services.metrics.clone());
    // Built once, outside the factory, so every worker shares the same buckets.
    let limits = web::Data::new(Limiters::new(&services.config.citizen, &services.config.staff));
    actix_web::rt::spawn(shrink_hourly(limits.clone()));
    let factory = move || {
        App::new()
            .app_data(data.clone())
            .app_data(metrics.clone())
            .app_data(limits.clone())
            .app_data(web::PayloadConfig::new(MAX_BODY))
            .app_data(web::FormConfig::default().limit(MAX_BODY).error_handler(form_error))
            .app_data(web::JsonConfig::default().limit(MAX_BODY))
            .wrap(middleware::Compress::default())
            .wrap(
                DefaultHeaders::new()
                    .add((header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
                    .add((header::REFERRER_POLICY, "no-referrer"))
                    .add((header::X_FRAME_OPTIONS, "DENY"))
                    .add((header::CONTENT_SECURITY_POLICY, CSP)),
            )
            .wrap(middleware::from_fn(metrics::track))
            .configure(configure)
            .default_service(web::to(pages::not_found))
    };
    let mut builder = HttpServer::new(factory).shutdown_timeout(30);
    if workers > 0 {
        builder = builder.workers(workers);
    }
    if !signals {
        builder = builder.disable_signals();
    }
    Ok(builder.listen(listener)?.run())
}

/// Drops idle rate-limit buckets now and then, so memory does not grow with every address seen.
async fn shrink_hourly(limits: web::Data<Limiters>) {
    let mut every = tokio::time::interval(std::time::Duration::from_secs(3600));
    loop {
        every.tick().await;
        limits.shrink();
    }
}

/// A form body that cannot be read: 413 when too large, else 400; a page, never a bare text.
fn form_error(err: actix_web::error::UrlencodedError, req: &HttpRequest) -> actix_web::Error {
    use actix_web::error::UrlencodedError;
    let lang = lang_of(req);
    match err {
        UrlencodedError::Overflow { .. } | UrlencodedError::UnknownLength => {
            WebError::page(StatusCode::PAYLOAD_TOO_LARGE, lang, "toobig.title", "toobig.body")
        }
        _ => WebError::page(StatusCode::BAD_REQUEST, lang, "badrequest.title", "badrequest.body"),
    }
    .into()
}

/// A path and its handlers. Any other method gets 405 with `Allow` naming the ones it takes (a GET
/// route answers HEAD too).
pub struct Route {
    resource: actix_web::Resource,
    allow: Vec<&'static str>,
    format: Format,
}

impl Route {
    /// A path of pages.
    pub fn page(path: &str) -> Route {
        Route { resource: web::resource(path), allow: Vec::new(), format: Format::Page }
    }

    /// A path of the JSON API.
    pub fn api(path: &str) -> Route {
        Route { resource: web::resource(path), allow: Vec::new(), format: Format::Json }
    }

    pub fn get<F, Args>(mut self, handler: F) -> Route
    where
        F: Handler<Args>,
        Args: FromRequest + 'static,
        F::Output: Responder + 'static,
    {
        self.resource = self.resource.route(web::get().to(handler.clone())).route(web::head().to(handler));
        self.allow.extend(["GET", "HEAD"]);
        self
    }

    pub fn post<F, Args>(mut self, handler: F) -> Route
    where
        F: Handler<Args>,
        Args: FromRequest + 'static,
        F::Output: Responder + 'static,
    {
        self.resource = self.resource.route(web::post().to(handler));
        self.allow.push("POST");
        self
    }
}

impl HttpServiceFactory for Route {
    fn register(self, config: &mut actix_web::dev::AppService) {
        let (allow, format) = (self.allow.join(", "), self.format);
        let refuse = move |req: HttpRequest| {
            let allow = allow.clone();
            async move { Err::<actix_web::HttpResponse, _>(WebError::method_not_allowed(lang_of(&req), format, allow)) }
        };
        self.resource.default_service(web::to(refuse)).register(config)
    }
}

/// The reader's language as a handler argument.
impl FromRequest for Tr {
    type Error = std::convert::Infallible;
    type Future = std::future::Ready<Result<Tr, Self::Error>>;

    fn from_request(req: &HttpRequest, _: &mut actix_web::dev::Payload) -> Self::Future {
        std::future::ready(Ok(Tr(lang_of(req))))
    }
}

/// The link to the same page in the other language.
pub fn switch_href(req: &HttpRequest, tr: text::Tr) -> String {
    let kept: Vec<&str> = req.query_string().split('&').filter(|p| !p.is_empty() && !p.starts_with("lang=")).collect();
    let mut q = kept.join("&");
    if !q.is_empty() {
        q.push('&');
    }
    format!("{}?{q}lang={}", req.path(), tr.other())
}

/// The reader's language: `?lang=` wins, then `Accept-Language`, then Vietnamese.
pub fn lang_of(req: &HttpRequest) -> Lang {
    let from_query = web::Query::<std::collections::HashMap<String, String>>::from_query(req.query_string())
        .ok()
        .and_then(|q| q.get("lang").and_then(|l| Lang::parse(l)));
    if let Some(l) = from_query {
        return l;
    }
    req.headers().get(header::ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok()).map(accept_language).unwrap_or_default()
}

/// The best of vi/en by `q` weight; Vietnamese when neither is named.
pub fn accept_language(header: &str) -> Lang {
    let mut best: Option<(f32, Lang)> = None;
    for part in header.split(',') {
        let mut it = part.split(';');
        let tag = it.next().unwrap_or("").trim().to_ascii_lowercase();
        let q = it.find_map(|p| p.trim().strip_prefix("q=").and_then(|q| q.parse::<f32>().ok())).unwrap_or(1.0);
        let lang = match tag.split('-').next() {
            Some("vi") => Lang::Vi,
            Some("en") => Lang::En,
            _ => continue,
        };
        if best.is_none_or(|(bq, _)| q > bq) {
            best = Some((q, lang));
        }
    }
    best.map(|(_, l)| l).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accept_language_picks_by_weight() {
        assert_eq!(accept_language("en-US,en;q=0.9"), Lang::En);
        assert_eq!(accept_language("vi-VN,vi;q=0.9,en;q=0.8"), Lang::Vi);
        assert_eq!(accept_language("fr-FR,en;q=0.5,vi;q=0.7"), Lang::Vi);
        assert_eq!(accept_language("fr-FR,en;q=0.5"), Lang::En);
        assert_eq!(accept_language("de"), Lang::Vi);
        assert_eq!(accept_language(""), Lang::Vi);
    }
}
