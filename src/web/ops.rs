//! Operations endpoints: liveness, readiness, metrics.

use actix_web::{HttpResponse, web};
use serde_json::json;

use crate::service::Services;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/healthz", web::get().to(healthz))
        .route("/readyz", web::get().to(readyz))
        .route("/metrics", web::get().to(metrics));
}

/// The process is alive and serving.
async fn healthz() -> HttpResponse {
    HttpResponse::Ok().json(json!({ "status": "ok", "version": env!("CARGO_PKG_VERSION") }))
}

/// The database answers and every migration this binary knows is applied.
async fn readyz(s: web::Data<Services>) -> HttpResponse {
    let db = s.db.clone();
    let backend = if db.target().is_sqlite() { "sqlite" } else { "postgres" };
    let checked = web::block(move || {
        db.read(|c| {
            use diesel::connection::SimpleConnection;
            c.batch_execute("SELECT 1")?;
            Ok(())
        })?;
        db.pending_migrations()
    })
    .await;
    match checked {
        Ok(Ok(0)) => {
            HttpResponse::Ok().json(json!({ "status": "ready", "database": backend, "pending_migrations": 0 }))
        }
        Ok(Ok(n)) => HttpResponse::ServiceUnavailable().json(json!({
            "status": "not_ready", "database": backend, "pending_migrations": n,
            "reason": "migrations pending: run `hailong migrate`"
        })),
        Ok(Err(e)) => {
            tracing::warn!(error = %e, "readiness check failed");
            HttpResponse::ServiceUnavailable()
                .json(json!({ "status": "not_ready", "database": backend, "reason": e.to_string() }))
        }
        Err(e) => HttpResponse::ServiceUnavailable().json(json!({ "status": "not_ready", "reason": e.to_string() })),
    }
}

async fn metrics(s: web::Data<Services>) -> HttpResponse {
    let now = chrono::Utc::now().naive_utc();
    let s2 = s.clone();
    match web::block(move || s2.db.read(|c| crate::store::outbox::backlog(c, now))).await {
        Ok(Ok(b)) => s.metrics.outbox(&b, now),
        // The request series are still worth serving; the outbox gauges keep their last values.
        Ok(Err(e)) => tracing::warn!(error = %e, "metrics: outbox backlog"),
        Err(e) => tracing::warn!(error = %e, "metrics: outbox backlog"),
    }
    HttpResponse::Ok().content_type("text/plain; version=0.0.4; charset=utf-8").body(s.metrics.render())
}
