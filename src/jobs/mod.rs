//! Background work of `hailong serve`: the scheduler (reminders, escalations, the privacy purge)
//! and the mail worker (the outbox). Timers are data (`cases.next_timer_at`, `outbox.next_attempt_at`),
//! not sleeping tasks: a loop looks for due rows, so nothing is lost across restarts and overdue
//! work fires once when the service comes back. `hailong jobs run-once --at T` runs one round at T.

pub mod mailer;

use std::time::Duration;

use chrono::{DateTime, Utc};
use tokio::sync::watch;

use crate::error::Result;
use crate::mail::Mailer;
use crate::service::cases::{self, TickReport};
use crate::service::reports::delivery;
use crate::service::{Services, blocking, calendars};

/// What one round did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Round {
    pub tick: TickReport,
    pub purged: usize,
    /// Operator emails queued about years without an announced holiday arrangement.
    pub calendar_alerts: usize,
    /// Report emails queued (the monthly reports once due, yearly reminders).
    pub reports: usize,
    pub mail: mailer::MailRound,
}

/// One scheduler tick, one privacy purge, the calendar check and one mail round, all at `at`.
pub async fn run_once(s: &Services, mailer: &Mailer, at: DateTime<Utc>) -> Result<Round> {
    let s2 = s.clone();
    let tick = blocking(move || cases::tick(&s2, at)).await?;
    let s2 = s.clone();
    let purged = blocking(move || cases::purge(&s2, at)).await?;
    let s2 = s.clone();
    let calendar_alerts = blocking(move || calendars::alert_missing_arrangements(&s2, at)).await?;
    let s2 = s.clone();
    let reports = blocking(move || delivery::deliver_due(&s2, at)).await?;
    let mail = mailer::send_due(s, mailer, at).await?;
    Ok(Round { tick, purged, calendar_alerts, reports, mail })
}

/// The scheduler loop: a tick every `jobs.tick_seconds`; the reports' delivery check every five
/// minutes (each month and reminder is sent once, whatever the instance); the purge and the
/// calendar check hourly (an alert is queued once per calendar and year, so repeating the check
/// costs nothing), until `stop`.
pub async fn scheduler(s: Services, mut stop: watch::Receiver<bool>) {
    let every = Duration::from_secs(s.config.jobs.tick_seconds);
    let mut last_purge: Option<DateTime<Utc>> = None;
    let mut last_reports: Option<DateTime<Utc>> = None;
    loop {
        let now = Utc::now();
        let s2 = s.clone();
        match blocking(move || cases::tick(&s2, now)).await {
            Ok(r) if r.due > 0 => {
                tracing::info!(
                    due = r.due,
                    reminders = r.reminders,
                    escalations = r.escalations,
                    at_top = r.at_top,
                    "scheduler tick"
                );
                s.metrics.tick(&r);
            }
            Ok(_) => {}
            Err(e) => tracing::error!(error = %e, "scheduler tick failed"),
        }
        if last_reports.is_none_or(|t| now - t > chrono::Duration::minutes(5)) {
            let s2 = s.clone();
            match blocking(move || delivery::deliver_due(&s2, now)).await {
                Ok(n) if n > 0 => tracing::info!(emails = n, "reports queued"),
                Ok(_) => {}
                Err(e) => tracing::error!(error = %e, "report delivery failed"),
            }
            last_reports = Some(now);
        }
        if last_purge.is_none_or(|t| now - t > chrono::Duration::hours(1)) {
            let s2 = s.clone();
            match blocking(move || cases::purge(&s2, now)).await {
                Ok(n) if n > 0 => tracing::info!(erased = n, "contact details erased after retention"),
                Ok(_) => {}
                Err(e) => tracing::error!(error = %e, "privacy purge failed"),
            }
            let s2 = s.clone();
            match blocking(move || calendars::alert_missing_arrangements(&s2, now)).await {
                Ok(n) if n > 0 => tracing::warn!(emails = n, "operator told of years without a holiday arrangement"),
                Ok(_) => {}
                Err(e) => tracing::error!(error = %e, "calendar arrangement check failed"),
            }
            last_purge = Some(now);
        }
        tokio::select! {
            _ = tokio::time::sleep(every) => {}
            _ = stop.changed() => return,
        }
    }
}

/// The mail worker loop: sends what is due, at once again while there is more, until `stop`.
pub async fn mail_worker(s: Services, mailer: Mailer, mut stop: watch::Receiver<bool>) {
    let idle = Duration::from_secs(s.config.mail.poll_seconds);
    loop {
        let busy = match mailer::send_due(&s, &mailer, Utc::now()).await {
            Ok(r) => {
                if r.claimed > 0 {
                    tracing::info!(sent = r.sent, retrying = r.retrying, failed = r.failed, "mail round");
                }
                r.claimed as u32 >= s.config.mail.batch
            }
            Err(e) => {
                tracing::error!(error = %e, "mail round failed");
                false
            }
        };
        if busy && !*stop.borrow() {
            continue;
        }
        tokio::select! {
            _ = tokio::time::sleep(idle) => {}
            _ = stop.changed() => return,
        }
    }
}
