//! Prometheus metrics: request series (recorded by the web layer's middleware), background job
//! counters and gauges read from the database at each scrape. One registry per process.

use prometheus::{
    Encoder, Gauge, HistogramOpts, HistogramVec, IntCounterVec, IntGauge, IntGaugeVec, Opts, Registry, TextEncoder,
};

#[derive(Clone)]
pub struct Metrics {
    pub registry: Registry,
    requests: IntCounterVec,
    latency: HistogramVec,
    spam: IntCounterVec,
    jobs: IntCounterVec,
    mail: IntCounterVec,
    outbox: IntGaugeVec,
    outbox_oldest: Gauge,
    unrouted: IntGauge,
    arrangements: IntGaugeVec,
}

impl Default for Metrics {
    fn default() -> Self {
        Self::new()
    }
}

impl Metrics {
    pub fn new() -> Metrics {
        let registry = Registry::new_custom(Some("hailong".into()), None).expect("valid prefix");
        let requests = IntCounterVec::new(
            Opts::new("http_requests_total", "HTTP requests by method, route pattern and status"),
            &["method", "route", "status"],
        )
        .unwrap();
        let latency = HistogramVec::new(
            HistogramOpts::new("http_request_duration_seconds", "HTTP request latency by method and route pattern")
                .buckets(vec![0.001, 0.0025, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5]),
            &["method", "route"],
        )
        .unwrap();
        let spam = IntCounterVec::new(
            Opts::new("spam_rejected_total", "Submissions discarded as automated, by reason"),
            &["reason"],
        )
        .unwrap();
        registry.register(Box::new(requests.clone())).unwrap();
        registry.register(Box::new(latency.clone())).unwrap();
        let jobs = IntCounterVec::new(
            Opts::new("case_timers_total", "Case timers handled by the scheduler, by outcome"),
            &["outcome"],
        )
        .unwrap();
        let mail = IntCounterVec::new(
            Opts::new("emails_total", "Outbox emails by outcome of a sending attempt"),
            &["outcome"],
        )
        .unwrap();
        // Read from the database at each scrape, so every instance reports the same shared queue.
        let outbox = IntGaugeVec::new(
            Opts::new(
                "outbox_emails",
                "Unsent emails by state: pending (their time has come; retries included), held (until office hours), \
                 failed (given up)",
            ),
            &["state"],
        )
        .unwrap();
        let outbox_oldest = Gauge::new(
            "outbox_oldest_pending_seconds",
            "Seconds the longest-pending email has been waiting to go out (0 when none); growing means mail is stuck",
        )
        .unwrap();
        // Set at each scrape from the clock: 1 while a year due has no announced arrangement.
        let arrangements = IntGaugeVec::new(
            Opts::new(
                "calendar_arrangement_missing",
                "1 when a calendar computed from the statute lacks the announced arrangement of a year due (this \
                 year, or next year from 60 days before it), 0 once imported",
            ),
            &["calendar", "year"],
        )
        .unwrap();
        registry.register(Box::new(arrangements.clone())).unwrap();
        registry.register(Box::new(spam.clone())).unwrap();
        registry.register(Box::new(jobs.clone())).unwrap();
        registry.register(Box::new(mail.clone())).unwrap();
        registry.register(Box::new(outbox.clone())).unwrap();
        registry.register(Box::new(outbox_oldest.clone())).unwrap();
        let unrouted = IntGauge::new(
            "cases_unrouted",
            "Open cases nobody independent can handle: the operator must assign them (hailong case assign)",
        )
        .unwrap();
        registry.register(Box::new(unrouted.clone())).unwrap();
        Metrics { registry, requests, latency, spam, jobs, mail, outbox, outbox_oldest, unrouted, arrangements }
    }

    /// One HTTP request: its method, route pattern (never the path) and status.
    pub fn request(&self, method: &str, route: &str, status: u16, seconds: f64) {
        self.requests.with_label_values(&[method, route, &status.to_string()]).inc();
        self.latency.with_label_values(&[method, route]).observe(seconds);
    }

    pub fn spam(&self, reason: &str) {
        self.spam.with_label_values(&[reason]).inc();
    }

    pub fn tick(&self, r: &crate::service::cases::TickReport) {
        self.jobs.with_label_values(&["reminder"]).inc_by(r.reminders as u64);
        self.jobs.with_label_values(&["escalation"]).inc_by(r.escalations as u64);
        self.jobs.with_label_values(&["overdue_at_top"]).inc_by(r.at_top as u64);
    }

    pub fn mail(&self, r: &crate::jobs::mailer::MailRound) {
        self.mail.with_label_values(&["sent"]).inc_by(r.sent as u64);
        self.mail.with_label_values(&["retrying"]).inc_by(r.retrying as u64);
        self.mail.with_label_values(&["failed"]).inc_by(r.failed as u64);
    }

    pub fn outbox(&self, b: &crate::store::outbox::Backlog, now: chrono::NaiveDateTime) {
        self.outbox.with_label_values(&["pending"]).set(b.pending);
        self.outbox.with_label_values(&["held"]).set(b.held);
        self.outbox.with_label_values(&["failed"]).set(b.failed);
        let waited = b.oldest_pending.map(|t| (now - t).to_std().map_or(0.0, |d| d.as_secs_f64()));
        self.outbox_oldest.set(waited.unwrap_or(0.0));
    }

    pub fn unrouted(&self, n: i64) {
        self.unrouted.set(n);
    }

    /// (calendar, year, missing) for each year due; years no longer due drop out.
    pub fn calendar_arrangements(&self, due: &[(String, i32, bool)]) {
        self.arrangements.reset();
        for (calendar, year, missing) in due {
            self.arrangements.with_label_values(&[calendar.as_str(), &year.to_string()]).set(i64::from(*missing));
        }
    }

    pub fn render(&self) -> String {
        let mut buf = Vec::new();
        TextEncoder::new().encode(&self.registry.gather(), &mut buf).expect("text encoding cannot fail");
        String::from_utf8(buf).expect("prometheus text is UTF-8")
    }
}
