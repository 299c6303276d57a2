//! Alerts to the operator (`alerts.operator_email`): queued in the outbox like every email, once
//! per key, in the caller's transaction; without an operator address they go to the log only.

use chrono::{DateTime, Utc};

use crate::config::Config;
use crate::error::Result;
use crate::i18n::{Lang, Text};
use crate::mail::compose;
use crate::store::{self, DbConn};

/// Queues an alert for the operator, once per `key` (a case's alert names the case). Returns
/// whether an email was queued (false: already queued, or no operator address).
pub fn to_operator(
    c: &mut DbConn,
    config: &Config,
    key: &str,
    case_id: Option<i64>,
    subject: &Text,
    body: &Text,
    now: DateTime<Utc>,
) -> Result<bool> {
    let Some(to) = config.alerts.operator_email.clone() else {
        tracing::warn!(alert = %key, subject = %subject, "operator alert (alerts.operator_email is not set)");
        return Ok(false);
    };
    let r = compose::operator_alert(Lang::Vi, subject, body);
    let row =
        crate::service::cases::email_row(format!("operator:{key}"), case_id, "operator_alert", to, Lang::Vi, r, now);
    store::outbox::enqueue(c, &row)
}
