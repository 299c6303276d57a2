//! The handlers' one error type. A [`WebError`] knows the reader's language and whether it answers
//! a page or the JSON API (actix's `error_response` gets no request, so the error carries both):
//! pages get the Vietnamese (or English) message page, `/api` gets `{"error", "message"}`.
//! Internal failures are logged with their detail where they are made; the reader gets a plain
//! apology.

use actix_web::http::{StatusCode, header};
use actix_web::{HttpResponse, ResponseError};
use askama::Template;
use serde_json::json;

use super::page::{CSS, html};
use super::text::Tr;
use crate::error::Error;
use crate::i18n::{Lang, Text};

/// Who reads the answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Page,
    Json,
}

#[derive(Debug)]
enum What {
    /// A page from text keys (`web::text`), with an optional link (href, text key).
    Keys {
        title: &'static str,
        body: &'static str,
        link: Option<(String, &'static str)>,
    },
    /// A message the service wrote, under a titled page (or as the API's message).
    Message {
        title: &'static str,
        code: &'static str,
        text: Text,
    },
    /// An API error with its machine code, and the fields at fault (`{field, message}`).
    Api {
        code: &'static str,
        message: String,
        errors: Vec<serde_json::Value>,
    },
    Internal,
}

/// Boxed: it travels in every handler's `Result`.
#[derive(Debug)]
pub struct WebError(Box<Inner>);

#[derive(Debug)]
struct Inner {
    status: StatusCode,
    lang: Lang,
    format: Format,
    what: What,
    retry_after: Option<u64>,
    allow: Option<String>,
}

impl std::fmt::Display for WebError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} ({:?})", self.0.status, self.0.what)
    }
}

impl WebError {
    fn new(status: StatusCode, lang: Lang, format: Format, what: What) -> WebError {
        WebError(Box::new(Inner { status, lang, format, what, retry_after: None, allow: None }))
    }

    /// A message page from text keys.
    pub fn page(status: StatusCode, lang: Lang, title: &'static str, body: &'static str) -> WebError {
        WebError::new(status, lang, Format::Page, What::Keys { title, body, link: None })
    }

    /// The page with a link under its message.
    pub fn with_link(mut self, href: impl Into<String>, text_key: &'static str) -> WebError {
        if let What::Keys { link, .. } = &mut self.0.what {
            *link = Some((href.into(), text_key));
        }
        self
    }

    /// An API error: a machine code and a sentence.
    pub fn api(status: StatusCode, code: &'static str, message: impl Into<String>) -> WebError {
        WebError::new(status, Lang::Vi, Format::Json, What::Api { code, message: message.into(), errors: Vec::new() })
    }

    /// An API error naming the fields at fault: (field path, message).
    pub fn api_fields(
        status: StatusCode,
        code: &'static str,
        message: String,
        fields: Vec<(String, String)>,
    ) -> WebError {
        let errors = fields.into_iter().map(|(field, message)| json!({ "field": field, "message": message })).collect();
        WebError::new(status, Lang::Vi, Format::Json, What::Api { code, message, errors })
    }

    /// A failure that is ours: logged here with its detail.
    pub fn internal(lang: Lang, format: Format, e: &dyn std::fmt::Display) -> WebError {
        tracing::error!(error = %e, "request failed");
        WebError::new(StatusCode::INTERNAL_SERVER_ERROR, lang, format, What::Internal)
    }

    /// 429 with `Retry-After` (whole seconds, at least 1).
    pub fn too_many(lang: Lang, format: Format, wait: std::time::Duration) -> WebError {
        let secs = (wait.as_secs() + u64::from(wait.subsec_nanos() > 0)).max(1);
        let what = match format {
            Format::Page => What::Keys { title: "limit.title", body: "limit.body", link: None },
            Format::Json => What::Api {
                code: "rate_limited",
                message: match lang {
                    Lang::Vi => format!("Quá nhiều yêu cầu; thử lại sau {secs} giây."),
                    Lang::En => format!("Too many requests; retry in {secs} s."),
                },
                errors: Vec::new(),
            },
        };
        let mut e = WebError::new(StatusCode::TOO_MANY_REQUESTS, lang, format, what);
        e.0.retry_after = Some(secs);
        e
    }

    /// 405 naming the methods the path takes (RFC 9110 §15.5.6 requires `Allow`).
    pub fn method_not_allowed(lang: Lang, format: Format, allow: String) -> WebError {
        let what = match format {
            Format::Page => {
                What::Keys { title: "method.title", body: "method.body", link: Some(("/".into(), "common.home")) }
            }
            Format::Json => What::Api {
                code: "method_not_allowed",
                message: format!("this path does not accept that method; it accepts {allow}"),
                errors: Vec::new(),
            },
        };
        let mut e = WebError::new(StatusCode::METHOD_NOT_ALLOWED, lang, format, what);
        e.0.allow = Some(allow);
        e
    }

    /// A service error as the reader should see it: input problems and refusals with their
    /// message (422, 404, 409), anything else as an internal failure.
    pub fn from_service(e: Error, lang: Lang, format: Format) -> WebError {
        let (status, title, code) = match &e {
            Error::Invalid(_) | Error::InvalidMany(_) => {
                (StatusCode::UNPROCESSABLE_ENTITY, "error.invalid_title", "invalid")
            }
            Error::NotFound(_) => (StatusCode::NOT_FOUND, "notfound.title", "not_found"),
            Error::Conflict(_) => (StatusCode::CONFLICT, "error.conflict_title", "conflict"),
            _ => return WebError::internal(lang, format, &e),
        };
        let text = Text::new(e.user_message(Lang::Vi), e.user_message(Lang::En));
        WebError::new(status, lang, format, What::Message { title, code, text })
    }

    fn json_body(&self) -> serde_json::Value {
        let e = &self.0;
        let tr = Tr(e.lang);
        let (code, message) = match &e.what {
            What::Api { code, message, errors } if !errors.is_empty() => {
                return json!({ "error": code, "message": message, "errors": errors });
            }
            What::Api { code, message, .. } => (*code, message.clone()),
            What::Message { code, text, .. } => (*code, text.get(e.lang).to_string()),
            What::Keys { body, .. } => ("error", tr.t(body).to_string()),
            What::Internal => ("internal", "internal error; nothing was stored".to_string()),
        };
        json!({ "error": code, "message": message })
    }

    fn page_body(&self) -> Result<String, askama::Error> {
        let e = &self.0;
        let tr = Tr(e.lang);
        let (title, body, link) = match &e.what {
            What::Keys { title, body, link } => (tr.t(title), tr.t(body).to_string(), link.clone()),
            What::Message { title, text, .. } => (tr.t(title), text.get(e.lang).to_string(), None),
            What::Api { message, .. } => (tr.t("error.title"), message.clone(), None),
            What::Internal => (tr.t("error.title"), tr.t("error.body").to_string(), None),
        };
        let (link_href, link_text) = link.map(|(h, k)| (h, tr.t(k).to_string())).unwrap_or_default();
        MessagePage {
            tr,
            css: CSS,
            switch_href: format!("?lang={}", tr.other()),
            title: title.to_string(),
            body,
            link_href,
            link_text,
        }
        .render()
    }
}

#[derive(Template)]
#[template(path = "message.html")]
struct MessagePage {
    tr: Tr,
    css: &'static str,
    switch_href: String,
    title: String,
    body: String,
    link_href: String,
    link_text: String,
}

impl ResponseError for WebError {
    fn status_code(&self) -> StatusCode {
        self.0.status
    }

    fn error_response(&self) -> HttpResponse {
        let status = self.0.status;
        let mut resp = match self.0.format {
            Format::Json => HttpResponse::build(status).json(self.json_body()),
            Format::Page => match self.page_body() {
                Ok(body) => html(status, body),
                Err(e) => {
                    tracing::error!(error = %e, "error page did not render");
                    HttpResponse::build(status).content_type("text/plain; charset=utf-8").body(format!(
                        "{} — {}",
                        status.as_u16(),
                        status.canonical_reason().unwrap_or("")
                    ))
                }
            },
        };
        let headers = resp.headers_mut();
        headers.insert(header::CACHE_CONTROL, header::HeaderValue::from_static("no-store"));
        if let Some(secs) = self.0.retry_after {
            headers.insert(header::RETRY_AFTER, header::HeaderValue::from(secs));
        }
        if let Some(allow) = self.0.allow.as_deref().and_then(|a| header::HeaderValue::from_str(a).ok()) {
            headers.insert(header::ALLOW, allow);
        }
        resp
    }
}

/// Turns a service result into the handler's, in the reader's language.
pub trait OrWeb<T> {
    /// For pages.
    fn or_page(self, lang: Lang) -> Result<T, WebError>;
    /// For the JSON API.
    fn or_api(self, lang: Lang) -> Result<T, WebError>;
}

impl<T> OrWeb<T> for crate::error::Result<T> {
    fn or_page(self, lang: Lang) -> Result<T, WebError> {
        self.map_err(|e| WebError::from_service(e, lang, Format::Page))
    }

    fn or_api(self, lang: Lang) -> Result<T, WebError> {
        self.map_err(|e| WebError::from_service(e, lang, Format::Json))
    }
}
