//! Report speed (issue 9): the monthly report over a generated organisation of 2,000 desks and
//! about a million ratings over 12 months, built from the rollups beside the same figures computed
//! from the raw ratings, and rendered in every format.
//!
//! `cargo bench --bench reports` (SQLite; PostgreSQL too when HAILONG_BENCH_DATABASE_URL names a
//! server where databases may be created, e.g. postgres://postgres@127.0.0.1:5432/test).
//! `HAILONG_BENCH_10M=1` then also grows the PostgreSQL data to ten million ratings inside the
//! database (`INSERT … SELECT` from the generated million, `generate_series`, then `VACUUM
//! ANALYZE` as autovacuum would), rebuilds the rollups and times the whole-scope JSON again.
//! `HAILONG_BENCH_VOLUME` scales the generated volume (default 0.33 of the demo's per-desk rate,
//! which gives ≈1,000,000 ratings). `RUST_LOG=hailong::service::reports=debug` shows the phases.
//! `HAILONG_BENCH_DIR=DIR` keeps the SQLite data in DIR and reuses it on later runs (the volume of
//! the first run stays).
//!
//! The data: the demo's own history generator (`demo::history`, the real routing and SLA clocks
//! for the cases) over an organisation written here: a province with its Sở Nội vụ and Thanh tra,
//! 125 communes, each with a service centre of 16 desks, an office and a culture–social office.

use std::fmt::Write as _;
use std::time::Instant;

use chrono::{TimeZone, Utc};
use diesel::prelude::*;
use hailong::config::Config;
use hailong::domain::LOCAL_TZ;
use hailong::domain::period::{Month, Period};
use hailong::i18n::Lang;
use hailong::service::Services;
use hailong::service::reports::monthly::{self, Request, Source};

const COMMUNES: usize = 125;
const DESKS_PER_COMMUNE: usize = 16;

fn main() {
    if std::env::args().any(|a| a == "--list") {
        return;
    }
    // RUST_LOG=hailong::service::reports=debug shows where each build's time goes.
    tracing_subscriber::fmt().with_env_filter(tracing_subscriber::EnvFilter::from_default_env()).init();
    let dir = tempfile::tempdir().unwrap();
    // A kept folder: the SQLite data generated once and reused by later runs (iterating).
    let kept = std::env::var_os("HAILONG_BENCH_DIR").map(std::path::PathBuf::from);
    let sqlite_dir = kept.clone().unwrap_or_else(|| dir.path().to_path_buf());
    std::fs::create_dir_all(&sqlite_dir).expect("HAILONG_BENCH_DIR");
    let mut backends = vec![("sqlite", format!("sqlite://{}", sqlite_dir.join("bench.db").display()), None)];
    if let Ok(admin) = std::env::var("HAILONG_BENCH_DATABASE_URL") {
        let name = format!("hl_reports_{}", std::process::id());
        let mut c = PgConnection::establish(&admin).expect("PostgreSQL");
        diesel::connection::SimpleConnection::batch_execute(&mut c, &format!("CREATE DATABASE {name}")).unwrap();
        let base = admin.rsplit_once('/').unwrap().0;
        backends.push(("postgres", format!("{base}/{name}"), Some((admin, name))));
    }
    for (label, url, cleanup) in backends {
        let tmp = if label == "sqlite" { &sqlite_dir } else { dir.path() };
        run(label, &url, tmp);
        if let Some((admin, name)) = cleanup {
            let mut c = PgConnection::establish(&admin).unwrap();
            let _ = diesel::connection::SimpleConnection::batch_execute(
                &mut c,
                &format!("DROP DATABASE {name} WITH (FORCE)"),
            );
        }
    }
}

/// The generated organisation, in the organisation file's format.
fn org_toml() -> String {
    let mut t = String::new();
    let unit = |t: &mut String, code: &str, name: &str, kind: &str, parent: Option<&str>, oversight: &str| {
        let parent = parent.map(|p| format!("parent = \"{p}\"\n")).unwrap_or_default();
        let _ = write!(
            t,
            "[[units]]\ncode = \"{code}\"\nname = \"{name}\"\nkind = \"{kind}\"\n{parent}email = \"{}@bench.example\"\noversight = \"{oversight}\"\n\n",
            code.to_lowercase()
        );
    };
    let officer = |t: &mut String, code: &str, unit: &str, title: &str, role: &str| {
        let _ = write!(
            t,
            "[[officers]]\ncode = \"{code}\"\nname = \"Cán bộ {code}\"\ntitle = \"{title}\"\nemail = \"{}@bench.example\"\nunit = \"{unit}\"\nrole = \"{role}\"\n\n",
            code.to_lowercase()
        );
    };
    unit(&mut t, "P", "UBND tỉnh Thử nghiệm", "UBND tỉnh", None, "P-TTR");
    unit(&mut t, "P-SNV", "Sở Nội vụ tỉnh Thử nghiệm", "Sở", Some("P"), "P-TTR");
    unit(&mut t, "P-TTR", "Thanh tra tỉnh Thử nghiệm", "Thanh tra tỉnh", Some("P"), "");
    officer(&mut t, "P-01", "P", "Chủ tịch UBND tỉnh", "head");
    officer(&mut t, "P-SNV-01", "P-SNV", "Giám đốc Sở Nội vụ", "head");
    officer(&mut t, "P-TTR-01", "P-TTR", "Chánh Thanh tra tỉnh", "head");
    for i in 1..=COMMUNES {
        let x = format!("X{i:03}");
        unit(&mut t, &x, &format!("UBND xã Số {i}"), "UBND xã", Some("P"), "P-SNV");
        officer(&mut t, &format!("{x}-01"), &x, "Chủ tịch UBND xã", "head");
        officer(&mut t, &format!("{x}-02"), &x, "Phó Chủ tịch UBND xã", "deputy");
        let vh = format!("{x}-VHXH");
        unit(&mut t, &vh, &format!("Phòng Văn hóa - Xã hội xã Số {i}"), "Cơ quan chuyên môn cấp xã", Some(&x), "P-SNV");
        officer(&mut t, &format!("{vh}-01"), &vh, "Trưởng phòng Văn hóa - Xã hội", "head");
        let c = format!("{x}-TTHCC");
        unit(&mut t, &c, &format!("Trung tâm Phục vụ hành chính công xã Số {i}"), "Trung tâm", Some(&x), &vh);
        officer(&mut t, &format!("{c}-01"), &c, "Phó Chủ tịch UBND xã, Giám đốc Trung tâm", "head");
        for d in 1..=DESKS_PER_COMMUNE {
            let desk = format!("MC-{x}-{d:02}");
            let _ = write!(
                t,
                "[[desks]]\ncode = \"{desk}\"\nname = \"Quầy số {d}\"\nunit = \"{c}\"\nlocation = \"Trụ sở xã Số {i}\"\nhours = \"Mon-Fri 07:30-11:30,13:30-17:00\"\n\n"
            );
            let o = format!("{c}-{:02}", d + 1);
            officer(&mut t, &o, &c, "Chuyên viên phục vụ hành chính công", "staff");
            let _ = write!(t, "[[roster]]\ndesk = \"{desk}\"\nofficer = \"{o}\"\ndays = \"Mon-Fri\"\n\n");
        }
    }
    t
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(|a, b| a.partial_cmp(b).unwrap());
    v[v.len() / 2]
}

/// Median milliseconds of `runs` calls.
fn time<T>(runs: usize, mut f: impl FnMut() -> T) -> (f64, T) {
    let mut out = None;
    let ms = (0..runs)
        .map(|_| {
            let t = Instant::now();
            out = Some(f());
            t.elapsed().as_secs_f64() * 1000.0
        })
        .collect();
    (median(ms), out.unwrap())
}

fn run(label: &str, url: &str, tmp: &std::path::Path) {
    let mut config = Config { data_dir: tmp.join(format!("data-{label}")), ..Config::default() };
    config.database.url = Some(url.to_string());
    let s = Services::open(config).unwrap();
    // Mid-November 2026: twelve whole months before it; October 2026 is the report's month.
    let now = LOCAL_TZ.with_ymd_and_hms(2026, 11, 16, 9, 0, 0).unwrap().with_timezone(&Utc);
    let generated = tmp.join(format!("generated-{label}"));
    if generated.exists() {
        println!("[{label}] reusing the data generated in {}", tmp.display());
    } else {
        hailong::service::org::import_text(&s, &org_toml(), "bench.toml", false).unwrap();
        let volume: f64 = std::env::var("HAILONG_BENCH_VOLUME").ok().and_then(|v| v.parse().ok()).unwrap_or(0.33);
        let t = Instant::now();
        let summary = hailong::demo::history::generate_scaled(&s, now, volume).unwrap().expect("an empty database");
        println!(
            "[{label}] generated {} ratings, {} cases, {} events over {} desks in {:.0} s",
            summary.ratings,
            summary.cases,
            summary.events,
            COMMUNES * DESKS_PER_COMMUNE,
            t.elapsed().as_secs_f64()
        );
        if label == "sqlite" && std::env::var_os("HAILONG_BENCH_DIR").is_some() {
            std::fs::write(&generated, "").unwrap();
        }
    }

    let month = Month::new(2026, 10).unwrap();
    let period = Period { first: month, last: month };
    let req = |unit: Option<&str>, source| Request {
        unit: unit.map(str::to_string),
        period,
        reader_officer_id: None,
        source,
        now,
    };
    let links = hailong::report::html::Links::default();
    let runs = 9;
    for (scope, unit) in [("whole organisation", None), ("one commune", Some("X007"))] {
        let (rollup_ms, r) = time(runs, || monthly::build(&s, &req(unit, Source::Rollups)).unwrap());
        let (raw_ms, raw) = time(3, || monthly::build(&s, &req(unit, Source::Raw)).unwrap());
        assert_eq!(
            serde_json::to_value(&r).unwrap(),
            serde_json::to_value(&raw).unwrap(),
            "rollups and raw ratings give the same report"
        );
        println!(
            "[{label}] {scope} ({} ratings in {month}, {} desks): build from rollups {rollup_ms:.1} ms, from raw ratings {raw_ms:.1} ms (×{:.1})",
            r.summary.figures.ratings,
            r.desks.len(),
            raw_ms / rollup_ms
        );
        let (json_ms, json) =
            time(runs, || serde_json::to_vec(&monthly::build(&s, &req(unit, Source::Rollups)).unwrap()).unwrap());
        let (html_ms, html) = time(runs, || {
            hailong::report::html::monthly(&monthly::build(&s, &req(unit, Source::Rollups)).unwrap(), Lang::Vi, &links)
                .unwrap()
        });
        let (csv_ms, csv) = time(runs, || {
            hailong::report::csv::monthly(&monthly::build(&s, &req(unit, Source::Rollups)).unwrap(), Lang::Vi)
        });
        let (xlsx_ms, xlsx) = time(5, || {
            hailong::report::xlsx::monthly(&monthly::build(&s, &req(unit, Source::Rollups)).unwrap(), Lang::Vi).unwrap()
        });
        // Rendering alone, from the report built above.
        let (json_r, _) = time(runs, || serde_json::to_vec(&r).unwrap());
        let (html_r, _) = time(runs, || hailong::report::html::monthly(&r, Lang::Vi, &links).unwrap());
        let (csv_r, _) = time(runs, || hailong::report::csv::monthly(&r, Lang::Vi));
        println!("[{label}] {scope}, rendering alone: JSON {json_r:.1} ms, HTML {html_r:.1} ms, CSV {csv_r:.1} ms");
        println!(
            "[{label}] {scope}, built and rendered: JSON {json_ms:.1} ms ({} kB), HTML {html_ms:.1} ms ({} kB), CSV {csv_ms:.1} ms ({} kB), XLSX {xlsx_ms:.1} ms ({} kB)",
            json.len() / 1024,
            html.len() / 1024,
            csv.len() / 1024,
            xlsx.len() / 1024
        );
    }

    if label == "postgres" && std::env::var("HAILONG_BENCH_10M").is_ok() {
        ten_million(&s, url, month, now, runs);
    }
}

/// Grows the ratings to ten million inside PostgreSQL: nine copies of each generated rating at the
/// same desk and officer, a few minutes later, then the rollups rebuilt month by month.
fn ten_million(s: &Services, url: &str, month: Month, now: chrono::DateTime<Utc>, runs: usize) {
    let mut c = PgConnection::establish(url).unwrap();
    let t = Instant::now();
    let n: i64 = diesel::sql_query("SELECT COUNT(*)::bigint AS n FROM ratings").get_result::<Count>(&mut c).unwrap().n;
    let copies = (10_000_000 / n.max(1)).max(2) - 1;
    let columns = "desk_id, unit_id, officer_id, survey_version, scale, overall, answers, idx1, idx3, idx4, idx7, \
                   file_code, comment, outside_hours, channel, browser_hash, ip_hash, created_at, updated_at";
    let select = columns
        .replace("created_at", "created_at + make_interval(mins => k)")
        .replace("updated_at", "updated_at + make_interval(mins => k)");
    diesel::connection::SimpleConnection::batch_execute(
        &mut c,
        &format!(
            "INSERT INTO ratings ({columns}) SELECT {select} FROM ratings, generate_series(1, {copies}) AS k \
             WHERE id <= {n}"
        ),
    )
    .unwrap();
    // What autovacuum does soon after a bulk insert (PostgreSQL 13+ vacuums on inserts too): marks
    // the pages all-visible, so the signals' index-only scan need not visit the table.
    diesel::connection::SimpleConnection::batch_execute(&mut c, "VACUUM ANALYZE ratings").unwrap();
    let total: i64 =
        diesel::sql_query("SELECT COUNT(*)::bigint AS n FROM ratings").get_result::<Count>(&mut c).unwrap().n;
    println!(
        "[postgres] {total} ratings after {copies} copies inside the database in {:.0} s",
        t.elapsed().as_secs_f64()
    );
    let t = Instant::now();
    for m in hailong::service::reports::rollup::months_with_ratings(s).unwrap() {
        hailong::service::reports::rollup::rebuild(s, m).unwrap();
    }
    println!("[postgres] rollups rebuilt in {:.0} s", t.elapsed().as_secs_f64());
    let period = Period { first: month, last: month };
    let req = Request { unit: None, period, reader_officer_id: None, source: Source::Rollups, now };
    let (json_ms, r) = time(runs, || {
        let r = monthly::build(s, &req).unwrap();
        (serde_json::to_vec(&r).unwrap().len(), r.summary.figures.ratings)
    });
    println!(
        "[postgres] 10M: whole organisation as JSON {json_ms:.1} ms ({} ratings in {month}, {} kB)",
        r.1,
        r.0 / 1024
    );
    let raw = Request { source: Source::Raw, ..req };
    let (raw_ms, _) = time(1, || monthly::build(s, &raw).unwrap());
    println!("[postgres] 10M: the same from raw ratings {raw_ms:.0} ms (×{:.0})", raw_ms / json_ms);
}

#[derive(QueryableByName)]
struct Count {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    n: i64,
}
