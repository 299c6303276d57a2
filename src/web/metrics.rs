//! Request logging and counting. Routes are labelled by their pattern (`/q/{token}`), never by the
//! path, so tokens and receipt codes stay out of metrics and logs.

use std::time::Instant;

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::middleware::Next;
use actix_web::web;

use crate::metrics::Metrics;

/// Counts, times and logs every request.
pub async fn track(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let start = Instant::now();
    let metrics = req.app_data::<web::Data<Metrics>>().cloned();
    let method = req.method().to_string();
    let res = next.call(req).await?;
    let route = res.request().match_pattern().unwrap_or_else(|| "unmatched".into());
    let status = res.status().as_u16();
    let elapsed = start.elapsed();
    if let Some(m) = metrics {
        m.request(&method, &route, status, elapsed.as_secs_f64());
    }
    tracing::info!(target: "hailong::http", %method, %route, status, ms = elapsed.as_secs_f64() * 1000.0, "request");
    Ok(res)
}
