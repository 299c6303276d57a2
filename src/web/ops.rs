//! Operations endpoints: liveness, readiness, metrics.

use actix_web::{HttpResponse, web};
use serde_json::json;

use super::Route;
use crate::service::{Services, blocking};

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(Route::api("/healthz").get(healthz))
        .service(Route::api("/readyz").get(readyz))
        .service(Route::api("/metrics").get(metrics));
}

/// The process is alive and serving.
async fn healthz() -> HttpResponse {
    HttpResponse::Ok().json(json!({ "status": "ok", "version": env!("CARGO_PKG_VERSION") }))
}

/// The database answers and every migration this binary knows is applied. Still ready, with
/// `warnings`, when something needs a person's attention (a year without its announced holiday
/// arrangement).
async fn readyz(s: web::Data<Services>) -> HttpResponse {
    let s2 = s.clone();
    let backend = if s.db.target().is_sqlite() { "sqlite" } else { "postgres" };
    let checked = blocking(move || crate::service::ops::readiness(&s2, chrono::Utc::now())).await;
    match checked {
        Ok(r) if r.pending_migrations == 0 => {
            let warnings: Vec<serde_json::Value> = r
                .warnings
                .iter()
                .map(|w| {
                    let m = w.message();
                    json!({
                        "kind": "calendar_arrangement_missing",
                        "calendar": w.calendar,
                        "year": w.year,
                        "message": m.vi,
                        "message_en": m.en,
                    })
                })
                .collect();
            HttpResponse::Ok().json(json!({
                "status": "ready", "database": backend, "pending_migrations": 0, "warnings": warnings
            }))
        }
        Ok(r) => HttpResponse::ServiceUnavailable().json(json!({
            "status": "not_ready", "database": backend, "pending_migrations": r.pending_migrations,
            "reason": "migrations pending: run `hailong migrate`"
        })),
        Err(e) => {
            tracing::warn!(error = %e, "readiness check failed");
            HttpResponse::ServiceUnavailable()
                .json(json!({ "status": "not_ready", "database": backend, "reason": e.to_string() }))
        }
    }
}

async fn metrics(s: web::Data<Services>) -> HttpResponse {
    let s2 = s.clone();
    // The request series are still worth serving; the database gauges keep their last values.
    if let Err(e) = blocking(move || crate::service::ops::refresh_gauges(&s2, chrono::Utc::now())).await {
        tracing::warn!(error = %e, "metrics: database gauges");
    }
    HttpResponse::Ok().content_type("text/plain; version=0.0.4; charset=utf-8").body(s.metrics.render())
}
