//! Case-handling speed (issue 4): the scheduler tick and the outbox worker.
//!
//! `cargo bench --bench scheduler` (SQLite; PostgreSQL too when HAILONG_BENCH_DATABASE_URL names
//! a server where databases may be created, e.g. postgres://postgres@127.0.0.1:5432/test).
//!
//! * 100,000 open cases, none due: how long a tick takes (median of 25), beside the bare index
//!   lookup it is built on.
//! * 1,000 cases due: one tick escalates them all (events and emails committed).
//! * The outbox worker sending those emails to a local SMTP sink, beside lettre sending the same
//!   number of messages straight to the sink.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration as StdDuration, Instant};

use chrono::{Duration, Utc};
use diesel::prelude::*;
use hailong::config::{Config, MailTransport, SmtpSecurity};
use hailong::service::Services;
use hailong::store::schema::cases;

const OPEN: usize = 100_000;
const DUE: usize = 1_000;

#[derive(Clone)]
struct Counter(Arc<AtomicUsize>);

impl mailin_embedded::Handler for Counter {
    fn data_end(&mut self) -> mailin_embedded::Response {
        self.0.fetch_add(1, Ordering::Relaxed);
        mailin_embedded::response::OK
    }
}

fn sink() -> (u16, Arc<AtomicUsize>) {
    let count = Arc::new(AtomicUsize::new(0));
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let c2 = count.clone();
    std::thread::spawn(move || {
        let mut server = mailin_embedded::Server::new(Counter(c2));
        server.with_name("sink").with_tcp_listener(listener).with_num_threads(64);
        let _ = server.serve();
    });
    (port, count)
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(|a, b| a.partial_cmp(b).unwrap());
    v[v.len() / 2]
}

fn main() {
    if std::env::args().any(|a| a == "--list") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let mut backends = vec![("sqlite", format!("sqlite://{}", dir.path().join("bench.db").display()), None)];
    if let Ok(admin) = std::env::var("HAILONG_BENCH_DATABASE_URL") {
        let name = format!("hl_bench_{}", std::process::id());
        let mut c = PgConnection::establish(&admin).expect("PostgreSQL");
        diesel::connection::SimpleConnection::batch_execute(&mut c, &format!("CREATE DATABASE {name}")).unwrap();
        let base = admin.rsplit_once('/').unwrap().0;
        backends.push(("postgres", format!("{base}/{name}"), Some((admin, name))));
    }
    for (label, url, cleanup) in backends {
        run(label, &url, dir.path());
        if let Some((admin, name)) = cleanup {
            let mut c = PgConnection::establish(&admin).unwrap();
            let _ = diesel::connection::SimpleConnection::batch_execute(
                &mut c,
                &format!("DROP DATABASE {name} WITH (FORCE)"),
            );
        }
    }
}

fn run(label: &str, url: &str, tmp: &std::path::Path) {
    let (port, received) = sink();
    let mut config = Config { data_dir: tmp.join(format!("data-{label}")), ..Config::default() };
    config.database.url = Some(url.to_string());
    config.sla.default_calendar = "24x7".into();
    config.jobs.batch = DUE as u32;
    config.mail.transport = MailTransport::Smtp;
    config.mail.smtp.host = "127.0.0.1".into();
    config.mail.smtp.port = port;
    config.mail.smtp.security = SmtpSecurity::None;
    config.mail.batch = 500;
    let s = Services::open(config).unwrap();
    hailong::service::org::import_text(&s, include_str!("../examples/tuyphuoc.toml"), "tuyphuoc.toml", false).unwrap();

    // Open cases, routed to the district chairman, timers in the future; then DUE of them due.
    let now = Utc::now();
    let (desk, unit, head): (i64, i64, i64) =
        s.db.read(|c| {
            let d = hailong::store::org::desk_by_code(c, "MC-PHUOCHUNG")?.unwrap();
            let h = hailong::store::org::officer_by_code(c, "X-PHUOCHUNG-01")?.unwrap();
            Ok((d.id, d.unit_id, h.id))
        })
        .unwrap();
    let started = Instant::now();
    for chunk in 0..(OPEN / 1000) {
        let rows = move || -> Vec<_> {
            (0..1000)
                .map(|i| {
                    let n = chunk * 1000 + i;
                    let t = now.naive_utc();
                    (
                        cases::receipt.eq(format!("PA-B{n:07}")),
                        cases::desk_id.eq(desk),
                        cases::unit_id.eq(unit),
                        cases::category.eq("delay"),
                        cases::status.eq("received"),
                        cases::handler_unit_id.eq(unit),
                        cases::handler_officer_id.eq(head),
                        cases::clock_started_at.eq(t),
                        cases::ack_due_at.eq(t + Duration::hours(8)),
                        cases::resolve_due_at.eq(t + Duration::days(10)),
                        cases::next_timer_at.eq(t + Duration::hours(6)),
                        cases::created_at.eq(t),
                        cases::updated_at.eq(t),
                    )
                })
                .collect()
        };
        // A multi-row insert is not in the derived connection's common subset: one per backend.
        s.db.write(move |c| {
            Ok(hailong::per_backend!(c, |c| diesel::insert_into(cases::table).values(rows()).execute(c))?)
        })
        .unwrap();
    }
    let seeded = started.elapsed();

    // A tick with nothing due, and the bare index lookup it starts with.
    let tick_ms: Vec<f64> = (0..25)
        .map(|_| {
            let t = Instant::now();
            let r = hailong::service::cases::tick(&s, now).unwrap();
            assert_eq!(r.due, 0);
            t.elapsed().as_secs_f64() * 1000.0
        })
        .collect();
    let lookup_ms: Vec<f64> = (0..25)
        .map(|_| {
            let t = Instant::now();
            let n: Vec<i64> =
                s.db.read(|c| {
                    Ok(cases::table
                        .filter(cases::next_timer_at.le(now.naive_utc()))
                        .order(cases::next_timer_at)
                        .select(cases::id)
                        .limit(DUE as i64)
                        .load(c)?)
                })
                .unwrap();
            assert!(n.is_empty());
            t.elapsed().as_secs_f64() * 1000.0
        })
        .collect();

    // DUE cases past their acknowledgement deadline: one tick escalates them all.
    let due_at = now + Duration::hours(9);
    s.db.write(move |c| {
        let ids: Vec<i64> = cases::table.order(cases::id).select(cases::id).limit(DUE as i64).load(c)?;
        Ok(diesel::update(cases::table.filter(cases::id.eq_any(ids)))
            .set(cases::next_timer_at.eq(due_at.naive_utc() - Duration::minutes(30)))
            .execute(c)?)
    })
    .unwrap();
    let t = Instant::now();
    let r = hailong::service::cases::tick(&s, due_at).unwrap();
    let escalate = t.elapsed();
    assert_eq!((r.due, r.escalations), (DUE, DUE), "{r:?}");
    let backlog = s.db.read(|c| hailong::store::outbox::backlog(c, due_at.naive_utc())).unwrap();
    let emails = backlog.pending + backlog.held;

    // The outbox worker sends them; then lettre alone sends as many, as the ceiling.
    let rt = actix_web::rt::System::new();
    let (sent, send_time) = rt.block_on(async {
        let mailer = hailong::mail::Mailer::from_config(&s.config.mail, &s.config.data_dir).unwrap();
        let t = Instant::now();
        let mut sent = 0;
        loop {
            let round = hailong::jobs::mailer::send_due(&s, &mailer, due_at).await.unwrap();
            sent += round.sent;
            if round.claimed == 0 {
                break;
            }
        }
        (sent, t.elapsed())
    });
    while received.load(Ordering::Relaxed) < sent {
        std::thread::sleep(StdDuration::from_millis(10));
    }
    let (raw_n, raw_time) = rt.block_on(async {
        let mailer = hailong::mail::Mailer::from_config(&s.config.mail, &s.config.data_dir).unwrap();
        let out = hailong::mail::Outgoing {
            message_id: "bench.1@hailong.invalid".into(),
            to: "head@tuyphuoc.example".into(),
            cc: vec![],
            subject: "[hailong] Phản ánh mới cần xử lý PA-TEST-0001".into(),
            text: "x".repeat(1200),
            html: "<p>x</p>".repeat(150),
            attachments: vec![],
        };
        let t = Instant::now();
        let mut flying = futures_util::stream::FuturesUnordered::new();
        for _ in 0..sent {
            flying.push(async { mailer.send(&s.config.mail.from, &out).await.unwrap() });
            if flying.len() >= s.config.mail.smtp.connections as usize {
                futures_util::StreamExt::next(&mut flying).await;
            }
        }
        while futures_util::StreamExt::next(&mut flying).await.is_some() {}
        (sent, t.elapsed())
    });

    println!("== {label}: {OPEN} open cases (seeded in {:.1} s)", seeded.as_secs_f64());
    println!(
        "tick, none due           median {:7.2} ms   (bare index lookup {:.2} ms)",
        median(tick_ms),
        median(lookup_ms)
    );
    println!(
        "tick, {DUE} due            {:7.0} ms   escalations {}, emails queued {emails}",
        escalate.as_secs_f64() * 1000.0,
        r.escalations
    );
    println!(
        "outbox worker            {:7.0} emails/s ({sent} in {:.2} s)   (lettre alone {:.0} emails/s)",
        sent as f64 / send_time.as_secs_f64(),
        send_time.as_secs_f64(),
        raw_n as f64 / raw_time.as_secs_f64()
    );
}
