//! JSON API for tablets and kiosks: the same fields and rules as the form (no form token), errors
//! as JSON with field paths, rate-limited like the form. `/api/v1/openapi.json` describes it.

use std::collections::BTreeMap;

use actix_web::http::{StatusCode, header};
use actix_web::{HttpRequest, HttpResponse, web};
use chrono::Utc;
use serde::Deserialize;
use serde_json::{Value, json};

use super::citizen::open_desk;
use super::error::{Format, OrWeb, WebError};
use super::limit::Limiters;
use super::{Route, lang_of};
use crate::domain::case::{Category, Status};
use crate::domain::codes;
use crate::domain::feedback::{self, FieldError, RawFeedback, RawReport, RawWhen};
use crate::domain::survey::Kind;
use crate::i18n::Lang;
use crate::service::feedback::{ApiResult, Outcome};
use crate::service::{Services, blocking};

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(Route::api("/api/v1/desks/{token}/feedback").post(post_feedback))
        .service(Route::api("/api/v1/cases/{receipt}").get(get_case))
        .service(Route::api("/api/v1/openapi.json").get(openapi));
}

// Optional fields may be left out but are never `null`: the OpenAPI document says "string" (not
// nullable), and a client sending `null` gets a 400 naming the field rather than a silent
// "absent". `#[serde(default, deserialize_with = "present")]` on each.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Body {
    overall: i64,
    #[serde(default)]
    answers: BTreeMap<String, Answer>,
    #[serde(default, deserialize_with = "present")]
    officer: Option<String>,
    #[serde(default, deserialize_with = "present")]
    file_code: Option<String>,
    #[serde(default, deserialize_with = "present")]
    comment: Option<String>,
    #[serde(default, deserialize_with = "present")]
    report: Option<ReportBody>,
}

/// A field that is there: `null` is a type error like any other (a missing field is `None`
/// through `default`).
fn present<'de, D: serde::Deserializer<'de>, T: Deserialize<'de>>(d: D) -> Result<Option<T>, D::Error> {
    T::deserialize(d).map(Some)
}

#[derive(Deserialize)]
#[serde(untagged)]
enum Answer {
    One(String),
    Many(Vec<String>),
    Bool(bool),
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ReportBody {
    category: String,
    description: String,
    #[serde(default, deserialize_with = "present")]
    occurred_at: Option<String>,
    #[serde(default, deserialize_with = "present")]
    officer: Option<String>,
    #[serde(default, deserialize_with = "present")]
    contact: Option<ContactBody>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ContactBody {
    #[serde(default, deserialize_with = "present")]
    name: Option<String>,
    #[serde(default, deserialize_with = "present")]
    phone: Option<String>,
    #[serde(default, deserialize_with = "present")]
    email: Option<String>,
    #[serde(default)]
    consent: bool,
}

/// 422 naming every field at fault; nothing was stored.
fn field_errors(lang: Lang, errors: &[FieldError]) -> WebError {
    let message = match lang {
        Lang::Vi => "Dữ liệu không hợp lệ; không có gì được lưu.",
        Lang::En => "Invalid input; nothing was stored.",
    };
    let fields = errors.iter().map(|e| (e.field.clone(), e.message.get(lang).to_string())).collect();
    WebError::api_fields(StatusCode::UNPROCESSABLE_ENTITY, "validation", message.into(), fields)
}

/// Reads the body up to the limit, answering 413 as JSON past it.
async fn read_body(mut payload: web::Payload) -> Result<web::BytesMut, WebError> {
    use futures_util::StreamExt;
    let mut body = web::BytesMut::new();
    while let Some(chunk) = payload.next().await {
        let chunk = chunk.map_err(|e| WebError::api(StatusCode::BAD_REQUEST, "bad_body", e.to_string()))?;
        if body.len() + chunk.len() > super::MAX_BODY {
            let limit = super::MAX_BODY;
            let message = format!("the body is larger than {limit} bytes");
            return Err(WebError::api(StatusCode::PAYLOAD_TOO_LARGE, "too_large", message));
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}

/// The body as our own types, so type errors name their field path (400).
fn parse_body(body: &[u8]) -> Result<RawFeedback, WebError> {
    let de = &mut serde_json::Deserializer::from_slice(body);
    let parsed: Body = serde_path_to_error::deserialize(de).map_err(|e| {
        let path = e.path().to_string();
        let field = if path == "." { String::new() } else { path };
        let inner = e.inner().to_string();
        WebError::api_fields(StatusCode::BAD_REQUEST, "bad_json", inner.clone(), vec![(field, inner)])
    })?;
    Ok(RawFeedback {
        overall: parsed.overall.to_string(),
        answers: parsed
            .answers
            .into_iter()
            .map(|(k, v)| {
                let values = match v {
                    Answer::One(s) => vec![s],
                    Answer::Many(v) => v,
                    Answer::Bool(b) => vec![if b { "yes" } else { "no" }.to_string()],
                };
                (k, values)
            })
            .collect(),
        officer: parsed.officer.unwrap_or_default(),
        file_code: parsed.file_code.unwrap_or_default(),
        comment: parsed.comment.unwrap_or_default(),
        report: parsed.report.map(|r| {
            let c = r.contact.unwrap_or(ContactBody { name: None, phone: None, email: None, consent: false });
            RawReport {
                category: r.category,
                description: r.description,
                when: r.occurred_at.map(RawWhen::Rfc3339).unwrap_or_default(),
                officer: r.officer.unwrap_or_default(),
                contact_name: c.name.unwrap_or_default(),
                contact_phone: c.phone.unwrap_or_default(),
                contact_email: c.email.unwrap_or_default(),
                consent: c.consent,
            }
        }),
    })
}

/// The form trims answers and reads an empty one as "not answered"; the API takes exactly the
/// values its document lists, so `""` or `" early"` is an invalid choice (422) rather than
/// quietly dropped or corrected.
fn exact_answers(raw: &RawFeedback) -> Vec<FieldError> {
    let mut errors = Vec::new();
    for (id, values) in &raw.answers {
        for v in values.iter().filter(|v| v.is_empty() || v.trim() != v.as_str()) {
            errors.push(FieldError::new(format!("answers.{id}"), crate::domain::survey::invalid_choice(v)));
        }
    }
    errors
}

async fn post_feedback(
    req: HttpRequest,
    s: web::Data<Services>,
    limits: web::Data<Limiters>,
    path: web::Path<String>,
    payload: web::Payload,
) -> Result<HttpResponse, WebError> {
    let lang = lang_of(&req);
    let body = read_body(payload).await?;
    let view = open_desk(&s, lang, Format::Json, &path.into_inner()).await?;
    let ip = limits.client_ip(&req);
    limits.submit(ip, view.desk().id).map_err(|wait| WebError::too_many(lang, Format::Json, wait))?;
    let raw = parse_body(&body)?;
    let exact = exact_answers(&raw);
    if !exact.is_empty() {
        return Err(field_errors(lang, &exact));
    }
    let stored = crate::service::feedback::submit_api(&s, &view, raw, ip, lang, Utc::now()).await.or_api(lang)?;
    Ok(match stored {
        ApiResult::Stored(Outcome::Rated { .. }) => HttpResponse::Created().json(json!({ "result": "rated" })),
        ApiResult::Stored(Outcome::Reported { receipt, .. }) => {
            let tracking_url = format!("{}/t/{receipt}", s.public_url());
            HttpResponse::Created()
                .json(json!({ "result": "reported", "receipt": receipt, "tracking_url": tracking_url }))
        }
        ApiResult::Invalid(errors) => return Err(field_errors(lang, &errors)),
    })
}

async fn get_case(
    req: HttpRequest,
    s: web::Data<Services>,
    limits: web::Data<Limiters>,
    path: web::Path<String>,
) -> Result<HttpResponse, WebError> {
    let lang = lang_of(&req);
    limits.track(limits.client_ip(&req)).map_err(|wait| WebError::too_many(lang, Format::Json, wait))?;
    let not_found = || WebError::api(StatusCode::NOT_FOUND, "unknown_receipt", "no report has this receipt code");
    let receipt = codes::parse_receipt(&path.into_inner()).ok_or_else(not_found)?;
    let s2 = s.clone();
    let view =
        blocking(move || crate::service::cases::track(&s2, &receipt)).await.or_api(lang)?.ok_or_else(not_found)?;
    let case = &view.case;
    Ok(HttpResponse::Ok().insert_header((header::CACHE_CONTROL, "no-store")).json(json!({
        "receipt": case.receipt,
        "status": case.status,
        "status_label": case.status.label(lang),
        "category": case.category,
        "created_at": case.created_at.to_rfc3339(),
        "updated_at": case.updated_at.to_rfc3339(),
        "steps": view.steps.iter().map(|e| json!({ "kind": e.kind, "at": e.at.to_rfc3339() })).collect::<Vec<_>>(),
    })))
}

/// The OpenAPI document, built from the survey in force so `answers` lists the real questions.
async fn openapi(s: web::Data<Services>) -> HttpResponse {
    HttpResponse::Ok().json(openapi_document(&s))
}

pub fn openapi_document(s: &Services) -> Value {
    let survey = &s.survey;
    let mut answer_props = serde_json::Map::new();
    for q in &survey.questions {
        let values: Vec<String> = match q.kind {
            Kind::Yesno => vec!["yes".into(), "no".into()],
            _ => q.options.iter().map(|o| o.value.clone()).collect(),
        };
        let schema = match q.kind {
            Kind::Multi => {
                json!({ "type": "array", "items": { "type": "string", "enum": values }, "description": q.text.en })
            }
            // The handler takes true/false for a yes/no question as well as "yes"/"no".
            Kind::Yesno => json!({
                "oneOf": [{ "type": "string", "enum": values }, { "type": "boolean" }],
                "description": format!("{} (\"yes\"/\"no\", or true/false)", q.text.en)
            }),
            Kind::Single => json!({ "type": "string", "enum": values, "description": q.text.en }),
        };
        answer_props.insert(q.id.clone(), schema);
    }
    let categories: Vec<&str> = Category::REPORTABLE.iter().map(|c| c.as_str()).collect();
    let statuses: Vec<&str> = Status::ALL.iter().map(|c| c.as_str()).collect();
    let max = survey.scale.max();
    let error_schema = json!({
        "type": "object",
        "properties": {
            "error": { "type": "string" },
            "message": { "type": "string" },
            "errors": { "type": "array", "items": { "type": "object", "properties": {
                "field": { "type": "string", "description": "path of the field, e.g. report.contact.email" },
                "message": { "type": "string" } } } }
        }
    });
    let rating_example = json!({ "overall": max, "answers": { "on_time": "on_time", "returns": "0", "other_offices": "none", "behaviour": ["greet", "smile", "help"] } });
    let report_example = json!({
        "overall": 1,
        "answers": { "on_time": "late", "extra_money": "yes" },
        "comment": "Phải chờ rất lâu.",
        "report": {
            "category": "petty_corruption",
            "description": "Cán bộ tiếp nhận đòi 200.000 đồng \"phí bồi dưỡng\" ngoài lệ phí mới nhận hồ sơ.",
            "contact": { "email": "nguoidan@example.com", "consent": true }
        }
    });
    json!({
        "openapi": "3.0.3",
        "info": {
            "title": "hailong API",
            "version": "1",
            "description": format!("Ratings and conduct reports from desk tablets and kiosks. Survey version {}; overall scale {} (1–{max}, {max} = best). Errors answer in Vietnamese, or English with Accept-Language: en.", survey.version, survey.scale.as_str())
        },
        "servers": [{ "url": s.public_url() }],
        "paths": {
            "/api/v1/desks/{desk_token}/feedback": {
                "post": {
                    "summary": "Submit a rating, optionally with a conduct report",
                    "parameters": [{ "name": "desk_token", "in": "path", "required": true, "schema": { "type": "string" }, "description": "the token in the desk's QR URL /q/{desk_token}" }],
                    "requestBody": { "required": true, "content": { "application/json": {
                        "schema": { "$ref": "#/components/schemas/Feedback" },
                        "examples": {
                            "rating": { "summary": "A plain rating", "value": rating_example },
                            "report": { "summary": "A rating with a conduct report", "value": report_example }
                        }
                    } } },
                    "responses": {
                        "201": { "description": "stored", "content": { "application/json": { "schema": {
                            "type": "object", "required": ["result"],
                            "properties": {
                                "result": { "type": "string", "enum": ["rated", "reported"] },
                                "receipt": { "type": "string", "description": "when a case was opened" },
                                "tracking_url": { "type": "string" } } } } } },
                        "400": { "description": "not valid JSON for this schema", "content": { "application/json": { "schema": error_schema } } },
                        "404": { "description": "unknown desk token", "content": { "application/json": { "schema": error_schema } } },
                        "410": { "description": "token replaced, or desk inactive", "content": { "application/json": { "schema": error_schema } } },
                        "413": { "description": "body too large" },
                        "422": { "description": "invalid fields; nothing stored", "content": { "application/json": { "schema": error_schema } } },
                        "429": { "description": "rate limited; see Retry-After", "content": { "application/json": { "schema": error_schema } } }
                    }
                }
            },
            "/r/{report_token}": {
                "get": {
                    "summary": "A satisfaction report, through the signed link emailed to its reader",
                    "description": "The link names its scope (a unit and its subtree, the whole organisation, or what an oversight unit oversees) and its period; nothing in the URL selects another. Each use is logged. Without `format` the report is an HTML page.",
                    "parameters": [
                        { "name": "report_token", "in": "path", "required": true, "schema": { "type": "string" } },
                        { "name": "format", "in": "query", "required": false, "schema": { "type": "string", "enum": ["html", "json", "csv", "xlsx"] }, "description": "a yearly report's link also takes docx (its draft document)" },
                        { "name": "lang", "in": "query", "required": false, "schema": { "type": "string", "enum": ["vi", "en"] } }
                    ],
                    "responses": {
                        "200": { "description": "the report", "content": {
                            "application/json": { "schema": { "$ref": "#/components/schemas/SatisfactionReport" } },
                            "text/csv": { "schema": { "type": "string" }, "example": "one row per scope, unit, desk and officer; UTF-8 with BOM" },
                            "text/html": { "schema": { "type": "string" } },
                            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": { "schema": { "type": "string", "format": "binary" } },
                            "application/vnd.openxmlformats-officedocument.wordprocessingml.document": { "schema": { "type": "string", "format": "binary" } } } },
                        "400": { "description": "unknown format or language" },
                        "404": { "description": "unknown or altered token" },
                        "410": { "description": "the link expired or was revoked" }
                    }
                }
            },
            "/api/v1/cases/{receipt}": {
                "get": {
                    "summary": "A case's public status",
                    "parameters": [{ "name": "receipt", "in": "path", "required": true, "schema": { "type": "string" }, "example": "PA-7KQ3-M9XT" }],
                    "responses": {
                        "200": { "description": "the case", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Case" } } } },
                        "404": { "description": "unknown receipt", "content": { "application/json": { "schema": error_schema } } },
                        "429": { "description": "rate limited", "content": { "application/json": { "schema": error_schema } } }
                    }
                }
            }
        },
        "components": { "schemas": {
            "Feedback": {
                "type": "object", "required": ["overall"], "additionalProperties": false,
                "description": "Optional fields are left out when unknown, never null (null is a 400). Rules the schema cannot state are checked too and answered 422 with the fields at fault: an officer must work at this desk, occurred_at must be in the last 90 days and not in the future, a phone must be a Vietnamese number, contact details are kept only with consent and consent needs a phone or an email, texts are counted after trimming spaces.",
                "properties": {
                    "overall": { "type": "integer", "minimum": 1, "maximum": max },
                    "answers": { "type": "object", "additionalProperties": false, "properties": answer_props },
                    "officer": { "type": "string", "description": "officer code of one of this desk's officers; empty or left out when unknown" },
                    "file_code": { "type": "string", "description": "official file code, e.g. 000.00.15.H08-260115-0001" },
                    "comment": { "type": "string", "maxLength": feedback::COMMENT_MAX },
                    "report": { "$ref": "#/components/schemas/Report" }
                }
            },
            "Report": {
                "type": "object", "required": ["category", "description"], "additionalProperties": false,
                "properties": {
                    "category": { "type": "string", "enum": categories },
                    "description": { "type": "string", "minLength": feedback::DESCRIPTION_MIN, "maxLength": feedback::DESCRIPTION_MAX },
                    "occurred_at": { "type": "string", "format": "date-time", "description": "default now; not in the future, at most 90 days ago" },
                    "officer": { "type": "string", "description": "the officer concerned: one of this desk's officers; empty or left out when unknown" },
                    "contact": { "type": "object", "additionalProperties": false, "properties": {
                        "name": { "type": "string" },
                        "phone": { "type": "string", "description": "Vietnamese number: 0 or +84 then 8-10 digits; spaces, dots, dashes ignored" },
                        "email": { "type": "string", "format": "email" },
                        "consent": { "type": "boolean", "description": "true is required to keep any contact detail, and needs a phone or an email" } } }
                }
            },
            "SatisfactionReport": report_schema(max),
            "Case": {
                "type": "object", "required": ["receipt", "status", "steps"],
                "properties": {
                    "receipt": { "type": "string" },
                    "status": { "type": "string", "enum": statuses },
                    "status_label": { "type": "string" },
                    "category": { "type": "string" },
                    "created_at": { "type": "string", "format": "date-time" },
                    "updated_at": { "type": "string", "format": "date-time" },
                    "steps": { "type": "array", "items": { "type": "object", "properties": {
                        "kind": { "type": "string" }, "at": { "type": "string", "format": "date-time" } } } }
                }
            }
        } }
    })
}

/// The JSON of a satisfaction report (`service::reports::model::Report`): rates are fractions 0–1,
/// scores have one decimal; a suppressed item keeps its counts and has null rates, scores and rank.
fn report_schema(max: i32) -> Value {
    let rate = json!({ "type": "number", "nullable": true, "minimum": 0, "maximum": 1 });
    let count = json!({ "type": "integer", "minimum": 0 });
    let index = json!({ "type": "object", "nullable": true, "properties": {
        "points": count, "files": count, "score": { "type": "number", "nullable": true } } });
    let score = json!({ "type": "object", "nullable": true, "properties": {
        "total": { "type": "number" }, "with_data": count, "of": count,
        "band": { "type": "string", "nullable": true }, "band_vi": { "type": "string", "nullable": true }, "band_en": { "type": "string", "nullable": true } } });
    let levels: Vec<String> = (1..=max).rev().map(|l| l.to_string()).collect();
    let figures = json!({
        "type": "object",
        "required": ["code", "name", "ratings", "levels", "satisfaction_rate", "wilson_lower", "rank", "suppressed"],
        "properties": {
            "item": { "type": "string", "enum": ["scope", "unit", "desk", "officer"] },
            "code": { "type": "string" }, "name": { "type": "string" },
            "unit_code": { "type": "string" }, "unit_name": { "type": "string" },
            "ratings": count,
            "levels": { "type": "object", "description": format!("ratings per level, keys {}", levels.join(", ")), "additionalProperties": count },
            "satisfied": count, "dissatisfied": count, "with_case": count,
            "suppressed": { "type": "boolean", "description": "fewer ratings than the minimum count (reports.min_count): rates, scores and rank are null" },
            "satisfaction_rate": rate, "wilson_lower": rate,
            "rank": { "type": "integer", "nullable": true, "description": "1 = best by the Wilson lower bound; ties by more ratings, then code" },
            "rate_766_ratings": rate, "files": { "type": "integer", "nullable": true }, "rate_766_files": rate, "coverage": rate,
            "ratings_exceed_files": { "type": "boolean" },
            "indices": { "type": "object", "properties": { "idx1": index, "idx3": index, "idx4": index, "idx7": index, "idx8": index } },
            "officer_score": score, "unit_total": score, "outside_hours": count
        }
    });
    json!({
        "type": "object",
        "description": "Every figure is defined in docs/measures.md.",
        "required": ["scope", "period", "summary", "units", "desks", "officers", "behaviours", "cases", "trend", "signals", "notes"],
        "properties": {
            "scope": { "type": "object", "properties": { "code": { "type": "string" }, "name": { "type": "string" }, "whole_organisation": { "type": "boolean" }, "unit_count": count, "desk_count": count } },
            "period": { "type": "object", "properties": {
                "first": { "type": "string", "example": "2026-10" }, "last": { "type": "string" },
                "label_vi": { "type": "string" }, "label_en": { "type": "string" },
                "ends_at": { "type": "string", "format": "date-time" }, "generated_at": { "type": "string", "format": "date-time" },
                "min_count": count, "scale": { "type": "string", "enum": ["vn3", "vn5"] } } },
            "summary": { "allOf": [figures, { "type": "object", "properties": {
                "previous_ratings": count, "previous_satisfaction_rate": rate,
                "change_points": { "type": "number", "nullable": true, "description": "percentage points" } } }] },
            "units": { "type": "array", "items": figures },
            "desks": { "type": "array", "items": figures },
            "officers": { "type": "array", "items": figures },
            "behaviours": { "type": "object", "description": "shares of ratings: ticks (\"4 xin, 4 luôn\"), on_time, come_back, other_offices, yes_no; each item {code, label_vi, label_en, count, of, share}" },
            "cases": { "type": "object", "description": "as the event log stood at the period's end: opened, by_category, by_status, acknowledged(_on_time, _rate), closed(_on_time, _rate), hours_to_acknowledge, hours_to_close ({count, median, p90} in working hours), escalations, reopened, answers_satisfied, answers_not_satisfied, dragging, overdue [{number, category, unit_code, deadline, due, days_overdue}], withheld_from_reader" },
            "trend": { "type": "object", "description": "months (YYYY-MM, 12 ending with the period) and series {code, name, ratings[], satisfaction_rate[]} for the scope and each direct child unit" },
            "signals": { "type": "array", "items": { "type": "object", "properties": {
                "kind": { "type": "string", "enum": ["burst", "outside_hours", "repeat_browser", "after_complaint", "uniform_top", "low_coverage"] },
                "desk_code": { "type": "string" }, "count": count, "detail_vi": { "type": "string" }, "meaning_vi": { "type": "string" } } } },
            "notes": { "type": "object", "properties": {
                "indices_with_data": { "type": "array", "items": count }, "min_count": count, "files_entered": { "type": "boolean" },
                "ledger_head": { "type": "object", "nullable": true, "properties": { "seq": count, "hash": { "type": "string" }, "at": { "type": "string", "format": "date-time" } } },
                "lines_vi": { "type": "array", "items": { "type": "string" } }, "lines_en": { "type": "array", "items": { "type": "string" } } } }
        }
    })
}
