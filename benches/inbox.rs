//! Console inbox speed (issue 10): the first page of the case inbox with 100,000 cases in the
//! database, for the whole organisation (admin), an oversight office and one commune's head.
//!
//! `cargo bench --bench inbox` (SQLite; PostgreSQL too when HAILONG_BENCH_DATABASE_URL names a
//! server where databases may be created, e.g. postgres://postgres@127.0.0.1:5432/test).
//! `HAILONG_BENCH_CASES` changes the number of cases (default 100,000). The cases are written
//! inside the database (`INSERT … SELECT` over a generated series) on the demo organisation
//! (`examples/gialai.toml`): one in twenty open (a spread of deadlines, some overdue), the rest
//! resolved, over the last two years.

use std::time::Instant;

use chrono::Utc;
use diesel::prelude::*;
use hailong::config::Config;
use hailong::domain::access::{Person, StaffRole};
use hailong::service::Services;
use hailong::service::staff::{Staff, inbox};
use hailong::store::staff::Who;

fn main() {
    if std::env::args().any(|a| a == "--list") {
        return;
    }
    let n: i64 = std::env::var("HAILONG_BENCH_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(100_000);
    let dir = tempfile::tempdir().unwrap();
    let mut backends = vec![("sqlite", format!("sqlite://{}", dir.path().join("bench.db").display()), None)];
    if let Ok(admin) = std::env::var("HAILONG_BENCH_DATABASE_URL") {
        let name = format!("hl_inbox_{}", std::process::id());
        let mut c = PgConnection::establish(&admin).expect("PostgreSQL");
        diesel::connection::SimpleConnection::batch_execute(&mut c, &format!("CREATE DATABASE {name}")).unwrap();
        let base = admin.rsplit_once('/').unwrap().0;
        backends.push(("postgres", format!("{base}/{name}"), Some((admin, name))));
    }
    for (label, url, cleanup) in backends {
        run(label, &url, dir.path(), n);
        if let Some((admin, name)) = cleanup {
            let mut c = PgConnection::establish(&admin).unwrap();
            let _ = diesel::connection::SimpleConnection::batch_execute(
                &mut c,
                &format!("DROP DATABASE {name} WITH (FORCE)"),
            );
        }
    }
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(|a, b| a.partial_cmp(b).unwrap());
    v[v.len() / 2]
}

fn run(label: &str, url: &str, dir: &std::path::Path, n: i64) {
    let mut config = Config { data_dir: dir.join(label), ..Default::default() };
    config.database.url = Some(url.to_string());
    config.jobs.background = false;
    let s = Services::open(config).unwrap();
    hailong::service::org::import_text(&s, hailong::demo::ORG_FILE, "gialai.toml", false).unwrap();
    let t = Instant::now();
    // One in twenty open, deadlines from 10 days ago to 20 days ahead; the rest resolved.
    let series = if label == "sqlite" {
        format!("WITH RECURSIVE g(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM g WHERE i < {n}) SELECT i FROM g")
    } else {
        format!("SELECT generate_series(1, {n}) AS i")
    };
    let now = Utc::now().naive_utc();
    let ts = |secs_from_now: &str| {
        if label == "sqlite" {
            format!("datetime('{}', ({secs_from_now}) || ' seconds')", now.format("%Y-%m-%d %H:%M:%S"))
        } else {
            format!("TIMESTAMP '{}' + ({secs_from_now}) * INTERVAL '1 second'", now.format("%Y-%m-%d %H:%M:%S"))
        }
    };
    let sql = format!(
        "INSERT INTO cases (receipt, desk_id, unit_id, category, status, event_count, last_hash, created_at, updated_at, \
         handler_unit_id, level, stage, paused_seconds, notified, resolve_due_at) \
         SELECT 'B' || s.i, d.id, d.unit_id, 'delay', CASE WHEN s.i % 20 = 0 THEN 'acknowledged' ELSE 'resolved' END, 1, '', \
         {created}, {created}, d.unit_id, 0, 0, 0, '', {due} \
         FROM ({series}) s JOIN (SELECT id, unit_id, ROW_NUMBER() OVER (ORDER BY id) - 1 AS k FROM desks) d \
         ON d.k = s.i % (SELECT COUNT(*) FROM desks)",
        created = ts("- (s.i % 63072000)"),
        due = ts("(s.i % 2592000) - 864000"),
    );
    s.db.write(move |c| Ok(diesel::sql_query(&sql).execute(c)?)).unwrap();
    let cases: i64 = s.db.read(|c| Ok(hailong::store::schema::cases::table.count().get_result(c)?)).unwrap();
    println!("{label}: {cases} cases written in {:.1} s", t.elapsed().as_secs_f64());
    let id = |table: &str, code: &str| -> i64 {
        s.db.read(|c| {
            Ok(match table {
                "unit" => hailong::store::org::unit_by_code(c, code)?.unwrap().id,
                _ => hailong::store::org::officer_by_code(c, code)?.unwrap().id,
            })
        })
        .unwrap()
    };
    let staff = |role: StaffRole, unit: Option<i64>, officer: Option<i64>| Staff {
        session_id: 1,
        email: "bench@example.com".into(),
        who: Who::Account(1),
        label: String::new(),
        unit_name: None,
        person: Person { role, unit, officer, delegated: vec![] },
        csrf: String::new(),
    };
    let people = [
        ("admin (whole organisation)", staff(StaffRole::Admin, None, None)),
        (
            "Sở Nội vụ's director (oversight)",
            staff(StaffRole::Head, Some(id("unit", "GL-SNV")), Some(id("officer", "GL-SNV-01"))),
        ),
        (
            "a commune's chair",
            staff(StaffRole::Head, Some(id("unit", "X-TUYPHUOC")), Some(id("officer", "X-TUYPHUOC-01"))),
        ),
    ];
    // Where the time goes, for the whole organisation: the two reads the inbox makes.
    let all = hailong::store::staff::InboxQuery::default();
    let open_q = hailong::store::staff::InboxQuery {
        statuses: Some(vec![
            hailong::domain::case::Status::Received,
            hailong::domain::case::Status::Acknowledged,
            hailong::domain::case::Status::WaitingCitizen,
            hailong::domain::case::Status::Reopened,
        ]),
        ..Default::default()
    };
    for (what, q) in [("counts per status", &all), ("open rows", &open_q)] {
        let mut times = Vec::new();
        for _ in 0..15 {
            let t = Instant::now();
            s.db.read(|c| {
                if what.starts_with("counts") {
                    hailong::store::staff::inbox_counts(c, q).map(|v| v.len())
                } else {
                    hailong::store::staff::inbox_rows(c, q).map(|v| v.len())
                }
            })
            .unwrap();
            times.push(t.elapsed().as_secs_f64() * 1000.0);
        }
        println!("{label}: admin, {what}: {:.1} ms", median(times));
    }
    for (who, st) in &people {
        for show in ["open", "closed"] {
            let f = inbox::Filter { show: show.into(), ..Default::default() };
            let mut times = Vec::new();
            let mut listed = 0;
            for _ in 0..15 {
                let t = Instant::now();
                let ib = inbox::inbox(&s, st, &f, Utc::now()).unwrap();
                times.push(t.elapsed().as_secs_f64() * 1000.0);
                listed = ib.listed;
            }
            println!(
                "{label}: {who}, {show}: first page {:.1} ms (median of 15; {listed} cases listed)",
                median(times)
            );
        }
    }
}
