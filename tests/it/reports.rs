//! Monthly reports end to end on both backends: a small month whose every figure is computed by
//! hand, read through a report link as JSON, CSV (with diacritics), XLSX (read back with calamine)
//! and HTML; link scope, tampering, expiry and revocation; delivery exactly once.

use chrono::{DateTime, Duration, TimeZone, Utc};
use hailong::domain::feedback::{RawFeedback, RawReport};
use hailong::domain::period::Month;
use hailong::service::Services;
use hailong::service::feedback::{self, FormInput, FormResult, Outcome};
use hailong::service::reports::{delivery, links};
use serde_json::Value;

use crate::support::*;

both_backends!(a_month_by_hand_in_every_format, report_links_show_their_scope_only, monthly_delivery_happens_once);

fn oct(day: u32, minutes: i64) -> DateTime<Utc> {
    hailong::domain::LOCAL_TZ.with_ymd_and_hms(2026, 10, day, 9, 0, 0).unwrap().with_timezone(&Utc)
        + Duration::minutes(minutes)
}

async fn rate(s: &Services, desk: &str, raw: RawFeedback, at: DateTime<Utc>) -> Outcome {
    let token = s.db.read(|c| hailong::store::org::desk_by_code(c, desk)).unwrap().unwrap().token;
    let hailong::service::desk::Lookup::Active(d) = hailong::service::desk::find(s, &token).await.unwrap() else {
        panic!("{desk} is not active")
    };
    let view = d.at(at);
    let input = FormInput {
        raw,
        form_token: hailong::domain::form_token::issue(&s.secret.derive("form"), view.desk().id, at),
        honeypot: String::new(),
        browser_cookie: None,
        ip: None,
        lang: hailong::i18n::Lang::Vi,
        now: at,
    };
    match feedback::submit_form(s, &view, input).await.unwrap() {
        FormResult::Stored(o) => o,
        _ => panic!("not stored"),
    }
}

/// Phước Hưng's desk in October 2026: 12 ratings of officer X-PHUOCHUNG-03 — six "Rất hài
/// lòng" (one reporting harassment), four "Hài lòng", two "Chưa hài lòng" (one with a comment,
/// which opens a case that stays open past its deadline); on-time answers 4 early, 4 on time, 2
/// late; come-backs six 0, three 1, one 2+ — and 3 ratings at the district's desk.
async fn october(s: &Services) {
    let levels = ["3", "3", "3", "3", "3", "3", "2", "2", "2", "2", "1", "1"];
    let on_time = [
        Some("early"),
        Some("early"),
        Some("early"),
        Some("early"),
        Some("on_time"),
        Some("on_time"),
        Some("on_time"),
        Some("on_time"),
        Some("late"),
        Some("late"),
        None,
        None,
    ];
    let returns = [
        Some("0"),
        Some("0"),
        Some("0"),
        Some("0"),
        Some("0"),
        Some("0"),
        Some("1"),
        Some("1"),
        Some("1"),
        Some("2+"),
        None,
        None,
    ];
    for (k, level) in levels.iter().enumerate() {
        let mut raw =
            RawFeedback { overall: level.to_string(), officer: "X-PHUOCHUNG-03".into(), ..Default::default() };
        if let Some(v) = on_time[k] {
            raw.answers.insert("on_time".into(), vec![v.into()]);
        }
        if let Some(v) = returns[k] {
            raw.answers.insert("returns".into(), vec![v.into()]);
        }
        raw.answers.insert("behaviour".into(), vec!["greet".into(), "thank".into()]);
        if k == 0 {
            raw.report = Some(RawReport {
                category: "harassment".into(),
                description: "Cán bộ nói năng thiếu tôn trọng và bắt chờ đợi không lý do.".into(),
                officer: "X-PHUOCHUNG-03".into(),
                ..Default::default()
            });
        }
        if k == 10 {
            raw.comment = "Phải chờ quá lâu mà không được hướng dẫn.".into();
        }
        rate(s, "MC-PHUOCHUNG", raw, oct(5, 10 * k as i64)).await;
    }
    for k in 0..3 {
        rate(s, "MC-TP", RawFeedback { overall: "3".into(), ..Default::default() }, oct(6, 10 * k)).await;
    }
}

fn near(v: &Value, x: f64) -> bool {
    v.as_f64().is_some_and(|a| (a - x).abs() < 5e-5)
}

async fn get(app: &TestApp, path: &str) -> reqwest::Response {
    client().get(app.url(path)).send().await.unwrap()
}

async fn a_month_by_hand_in_every_format(backend: Backend) {
    let app = TestApp::demo(&backend).await;
    let s = &app.services;
    october(s).await;
    let month = Month::parse("2026-10").unwrap();
    let token = links::for_month(s, Some("X-PHUOCHUNG"), month, "chutich.phuochung@example.vn", Utc::now()).unwrap();

    // JSON: the documented shape and every figure.
    let r = get(&app, &format!("/r/{token}?format=json")).await;
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers()["cache-control"], "no-store");
    let j: Value = r.json().await.unwrap();
    for key in
        ["scope", "period", "summary", "units", "desks", "officers", "behaviours", "cases", "trend", "signals", "notes"]
    {
        assert!(j.get(key).is_some(), "top-level {key}");
    }
    let f = &j["summary"];
    assert_eq!(
        (f["ratings"].as_u64(), f["satisfied"].as_u64(), f["with_case"].as_u64()),
        (Some(12), Some(10), Some(2))
    );
    assert_eq!(f["levels"], serde_json::json!({"1": 2, "2": 4, "3": 6}));
    assert!(near(&f["satisfaction_rate"], 10.0 / 12.0));
    assert!(near(&f["wilson_lower"], 0.551_97) || (f["wilson_lower"].as_f64().unwrap() - 0.5520).abs() < 1e-3);
    assert!(near(&f["rate_766_ratings"], 0.75), "3 bad ratings of 12");
    assert_eq!(f["indices"]["idx1"]["score"].as_f64(), Some(1.2));
    assert_eq!(f["indices"]["idx3"]["score"].as_f64(), Some(1.5));
    assert_eq!(f["indices"]["idx7"]["score"].as_f64(), Some(1.2));
    assert!(f["indices"]["idx4"].is_null());
    let desk = j["desks"].as_array().unwrap().iter().find(|d| d["code"] == "MC-PHUOCHUNG").unwrap();
    assert_eq!((desk["rank"].as_u64(), desk["suppressed"].as_bool()), (Some(1), Some(false)));
    assert_eq!(j["officers"][0]["officer_score"]["total"].as_f64(), Some(3.9));
    assert_eq!(j["cases"]["opened"].as_u64(), Some(2));
    assert_eq!(j["cases"]["overdue"].as_array().unwrap().len(), 2, "neither case was answered by the month's end");
    assert!(j["cases"]["overdue"][0].get("description").is_none());
    assert!(j["scope"]["name"].as_str().unwrap().contains("Phước Hưng"));

    // CSV: BOM, Vietnamese headers, one row per scope, unit, desk and officer; diacritics intact.
    let r = get(&app, &format!("/r/{token}?format=csv")).await;
    assert_eq!(r.status(), 200);
    assert!(r.headers()["content-disposition"].to_str().unwrap().contains(".csv"));
    let bytes = r.bytes().await.unwrap();
    assert_eq!(&bytes[..3], b"\xEF\xBB\xBF", "UTF-8 BOM");
    let text = std::str::from_utf8(&bytes[3..]).unwrap();
    let mut rows = csv::ReaderBuilder::new().from_reader(text.as_bytes());
    let headers = rows.headers().unwrap().clone();
    let records: Vec<csv::StringRecord> = rows.records().map(Result::unwrap).collect();
    let col =
        |name: &str| headers.iter().position(|h| h == name).unwrap_or_else(|| panic!("column {name:?} in {headers:?}"));
    let row = |code: &str| records.iter().find(|r| &r[col("Mã")] == code).unwrap_or_else(|| panic!("row {code}"));
    let ph = row("MC-PHUOCHUNG");
    assert_eq!(&ph[col("Tên")], "Bộ phận Một cửa UBND xã Phước Hưng", "diacritics round-trip");
    assert_eq!(&ph[col("Số lượt đánh giá")], "12");
    assert!(ph[col("Tỷ lệ hài lòng")].starts_with("0.8333"));
    let officer = row("X-PHUOCHUNG-03");
    assert_eq!(&officer[col("Số lượt đánh giá")], "12");

    // XLSX: numbers are numbers, one sheet per section.
    let r = get(&app, &format!("/r/{token}?format=xlsx")).await;
    assert_eq!(r.status(), 200);
    let bytes = r.bytes().await.unwrap().to_vec();
    use calamine::{DataType, Reader};
    let mut book: calamine::Xlsx<_> = calamine::open_workbook_from_rs(std::io::Cursor::new(bytes)).unwrap();
    let sheets = book.sheet_names();
    assert!(sheets.len() >= 8, "{sheets:?}");
    let desks_sheet = sheets.iter().find(|n| n.contains("Quầy")).unwrap().clone();
    let range = book.worksheet_range(&desks_sheet).unwrap();
    let header: Vec<String> = range.rows().next().unwrap().iter().map(|c| c.to_string()).collect();
    let ratings_col = header.iter().position(|h| h == "Số lượt đánh giá").unwrap();
    let rate_col = header.iter().position(|h| h == "Tỷ lệ hài lòng").unwrap();
    let ph = range.rows().find(|r| r.iter().any(|c| c.get_string() == Some("MC-PHUOCHUNG"))).unwrap();
    assert_eq!(ph[ratings_col].get_float().or(ph[ratings_col].get_int().map(|i| i as f64)), Some(12.0));
    assert!(
        ph[rate_col].get_float().is_some_and(|x| (x - 10.0 / 12.0).abs() < 1e-9),
        "a number, not text: {:?}",
        ph[rate_col]
    );

    // HTML: the page, in Vietnamese and in English.
    let r = get(&app, &format!("/r/{token}")).await;
    assert_eq!(r.status(), 200);
    let html = r.text().await.unwrap();
    assert!(html.contains("83,3"), "the rate in Vietnamese style");
    assert!(html.contains("chưa đủ dữ liệu") || !html.contains("MC-TP"), "the district desk is outside this scope");
    assert!(!html.contains("<script"));
    let en = get(&app, &format!("/r/{token}?lang=en")).await.text().await.unwrap();
    assert!(en.contains("83.3"));

    // An unknown format is refused, naming the ones there are; nothing else is logged.
    let r = get(&app, &format!("/r/{token}?format=pdf")).await;
    assert_eq!(r.status(), 400);
    assert!(r.text().await.unwrap().contains("xlsx"));
    // So is an unknown language (schemathesis sent ?lang=null), naming the two there are.
    let r = get(&app, &format!("/r/{token}?lang=null")).await;
    assert_eq!(r.status(), 400);
    assert!(r.text().await.unwrap().contains("?lang=en"));
    assert!(app.count("report_link_uses") >= 5, "each use is logged");
}

async fn report_links_show_their_scope_only(backend: Backend) {
    let app = TestApp::demo(&backend).await;
    let s = &app.services;
    october(s).await;
    let month = Month::parse("2026-10").unwrap();
    let now = Utc::now();
    let head = links::for_month(s, Some("X-PHUOCHUNG"), month, "a@example.vn", now).unwrap();
    let j: Value = get(&app, &format!("/r/{head}?format=json")).await.json().await.unwrap();
    let desks: Vec<&str> = j["desks"].as_array().unwrap().iter().map(|d| d["code"].as_str().unwrap()).collect();
    assert_eq!(desks, ["MC-PHUOCHUNG"], "a commune's head sees the commune only");
    // Query parameters cannot widen the scope or change the month.
    let edited: Value = get(&app, &format!("/r/{head}?format=json&unit=TP&month=2026-09")).await.json().await.unwrap();
    assert_eq!(edited["scope"], j["scope"]);
    assert_eq!(edited["period"]["first"], "2026-10");
    // A tampered token reads nothing.
    let mut tampered: Vec<char> = head.chars().collect();
    let last = tampered.len() - 1;
    tampered[last] = if tampered[last] == 'A' { 'B' } else { 'A' };
    let tampered: String = tampered.into_iter().collect();
    assert_eq!(get(&app, &format!("/r/{tampered}")).await.status(), 404);
    assert_eq!(get(&app, &format!("/r/{tampered}?format=json")).await.status(), 404);
    // Expired: made long enough ago.
    let old = links::for_month(s, None, month, "b@example.vn", now - Duration::days(61)).unwrap();
    let r = get(&app, &format!("/r/{old}")).await;
    assert_eq!(r.status(), 410);
    assert!(r.text().await.unwrap().contains("hết hạn"));
    // Revoked.
    let whole = links::for_month(s, None, month, "c@example.vn", now).unwrap();
    assert_eq!(get(&app, &format!("/r/{whole}?format=json")).await.status(), 200);
    assert!(links::revoke_month(s, month, None, now).unwrap() >= 1);
    assert_eq!(get(&app, &format!("/r/{whole}?format=json")).await.status(), 410);
    // Only GET and HEAD.
    let post = client().post(app.url(&format!("/r/{head}"))).send().await.unwrap();
    assert_eq!(post.status(), 405);
}

async fn monthly_delivery_happens_once(backend: Backend) {
    let app = TestApp::demo(&backend).await;
    october(&app.services).await;
    let month = Month::parse("2026-10").unwrap();
    let now = Utc::now();
    // Two instances on the same database send the same month at the same time.
    let second = Services::open((*app.services.config).clone()).unwrap();
    let (a, b) = (app.services.clone(), second.clone());
    let t1 = std::thread::spawn(move || delivery::send_month(&a, month, now).unwrap());
    let t2 = std::thread::spawn(move || delivery::send_month(&b, month, now).unwrap());
    let (r1, r2) = (t1.join().unwrap(), t2.join().unwrap());
    let sent: Vec<usize> = [&r1, &r2]
        .iter()
        .filter_map(|r| match r {
            delivery::Sent::Now(n) => Some(*n),
            _ => None,
        })
        .collect();
    assert_eq!(sent.len(), 1, "one instance sends: {r1:?} {r2:?}");
    let n = sent[0];
    assert!(n > 5, "heads and oversight units: {n}");
    let reports = app.count("outbox WHERE kind = 'report'");
    assert_eq!(reports as usize, n);
    assert_eq!(app.count("outbox_attachments") as usize, n, "each with its XLSX");
    // After a restart, again: already sent, nothing written.
    let restarted = Services::open((*app.services.config).clone()).unwrap();
    assert!(matches!(delivery::send_month(&restarted, month, now).unwrap(), delivery::Sent::Before(_, m) if m == n));
    assert_eq!(app.count("outbox WHERE kind = 'report'") as usize, n);
}

both_backends!(the_scheduler_sends_on_the_first_working_day_and_reminds_before_the_deadline);

/// `deliver_due` as the scheduler calls it: nothing before the deployment's first month, nothing
/// before 08:00 of the first working day, then last month's reports once; the yearly reminder
/// from ten working days before each deadline, once.
async fn the_scheduler_sends_on_the_first_working_day_and_reminds_before_the_deadline(backend: Backend) {
    let app = TestApp::demo(&backend).await;
    let s = &app.services;
    october(s).await;
    let local = |d: u32, m: u32, h: u32| {
        hailong::domain::LOCAL_TZ.with_ymd_and_hms(2026, m, d, h, 0, 0).unwrap().with_timezone(&Utc)
    };
    // The first run, in October: the deployment starts sending with November's first day (for October).
    assert_eq!(delivery::deliver_due(s, local(20, 10, 9)).unwrap(), 0);
    let reports = || app.count("outbox WHERE kind = 'report' AND dedupe_key LIKE 'report:monthly%'");
    // Sunday 1 November 2026 is not a working day; Monday 2 November is, from 08:00.
    assert_eq!(delivery::deliver_due(s, local(1, 11, 9)).unwrap(), 0);
    assert_eq!(delivery::deliver_due(s, local(2, 11, 7)).unwrap(), 0);
    assert_eq!(reports(), 0);
    delivery::deliver_due(s, local(2, 11, 8)).unwrap();
    let sent = reports();
    assert!(sent > 5, "{sent}");
    delivery::deliver_due(s, local(2, 11, 9)).unwrap();
    assert_eq!(reports(), sent, "once");
    // Ten working days before 15 November (a Sunday): from Friday 30 October… the run above at
    // 2 November already reminded every unit head with an email address, once.
    let reminders = || app.count("outbox WHERE dedupe_key LIKE 'report:yearly_reminder%'");
    let first = reminders();
    assert!(first > 0, "heads reminded");
    delivery::deliver_due(s, local(3, 11, 9)).unwrap();
    assert_eq!(reminders(), first, "once per deadline");
    // The reminder's link opens the unit's yearly draft.
    let body: String = app
        .services
        .db
        .read(|c| {
            use diesel::prelude::*;
            use hailong::store::schema::outbox::dsl::*;
            Ok(outbox.filter(dedupe_key.like("report:yearly_reminder%")).select(body_text).first::<String>(c)?)
        })
        .unwrap();
    assert!(body.contains("/r/") && body.contains("15/11/2026"), "{body}");
}

both_backends!(signals_counted_by_the_database_equal_the_rule_on_raw_rows);

/// The integrity signals of a report (counts summed in SQL and by the rollups) against the same
/// report's baseline (the raw rows counted by the pure rule in `domain::signals`): bursts, one at
/// exactly the window and one half a second past it, repeated browsers, ratings given under a
/// desk's former unit, both scales, a jump after a complaint, near-uniform top ratings.
async fn signals_counted_by_the_database_equal_the_rule_on_raw_rows(backend: Backend) {
    use hailong::domain::period::Period;
    use hailong::service::reports::monthly::{Request, Source, build};
    let app = TestApp::demo(&backend).await;
    let s = &app.services;
    let mut sql = String::new();
    let mut rate = |desk: &str, unit: &str, scale: &str, overall: i32, browser: Option<&str>, at: String| {
        let browser = browser.map(|b| format!("'{b}'")).unwrap_or("NULL".into());
        sql.push_str(&format!(
            "INSERT INTO ratings (desk_id, unit_id, survey_version, scale, overall, answers, outside_hours, channel, \
             browser_hash, created_at, updated_at) VALUES ((SELECT id FROM desks WHERE code = '{desk}'), \
             (SELECT id FROM units WHERE code = '{unit}'), '1', '{scale}', {overall}, '{{}}', FALSE, 'web', {browser}, \
             '{at}', '{at}');\n"
        ));
    };
    // UTC times: 02:00 is 09:00 in Việt Nam.
    for s in [0, 10, 20, 30, 40, 50] {
        rate("MC-PHUOCHUNG", "X-PHUOCHUNG", "vn3", 3, Some("b1"), format!("2026-10-05 02:00:{s:02}"));
    }
    for s in ["02:00:00", "02:00:15", "02:00:30", "02:00:45", "02:01:00"] {
        rate("MC-PHUOCHUNG", "X-PHUOCHUNG", "vn3", 2, None, format!("2026-10-06 {s}"));
    }
    for s in ["02:00:00.000", "02:00:15", "02:00:30", "02:00:45", "02:01:00.500"] {
        rate("MC-PHUOCHUNG", "X-PHUOCHUNG", "vn3", 2, None, format!("2026-10-07 {s}"));
    }
    for h in 2..5 {
        rate("MC-PHUOCHUNG", "TP", "vn3", 3, Some("b2"), format!("2026-10-08 {h:02}:00:00"));
    }
    for (h, l) in [(2, 5), (3, 3), (4, 4), (5, 1), (6, 5)] {
        rate("MC-PHUOCHUNG", "X-PHUOCHUNG", "vn5", l, Some("b3"), format!("2026-10-09 {h:02}:00:00"));
    }
    for d in 1..=31 {
        rate("MC-TP", "TP", "vn3", 2, None, format!("2026-10-{d:02} 02:00:00"));
    }
    for d in 13..=15 {
        for h in 3..11 {
            rate("MC-TP", "TP", "vn3", 3, None, format!("2026-10-{d:02} {h:02}:30:00"));
        }
    }
    for k in 0..60 {
        let overall = if k == 7 { 2 } else { 3 };
        rate(
            "MC-TUYPHUOC",
            "TT-TUYPHUOC",
            "vn3",
            overall,
            None,
            format!("2026-10-{:02} {:02}:00:00", 1 + k / 3, 1 + 3 * (k % 3)),
        );
    }
    sql.push_str(
        "INSERT INTO cases (receipt, desk_id, unit_id, category, status, created_at, updated_at) VALUES ('SIG-1', \
         (SELECT id FROM desks WHERE code = 'MC-TP'), (SELECT id FROM units WHERE code = 'TP'), 'harassment', \
         'received', '2026-10-12 08:00:00', '2026-10-12 08:00:00');",
    );
    app.exec(&sql);
    let month = Month::parse("2026-10").unwrap();
    hailong::service::reports::rollup::rebuild(s, month).unwrap();
    let report = |unit: Option<&str>, source| {
        let req = Request {
            unit: unit.map(String::from),
            period: Period::month(month),
            reader_officer_id: None,
            source,
            now: oct(30, 0) + Duration::days(5),
        };
        build(s, &req).unwrap()
    };
    for unit in [None, Some("X-PHUOCHUNG"), Some("TP")] {
        let sums = report(unit, Source::Rollups);
        assert_eq!(sums.signals, report(unit, Source::Raw).signals, "{unit:?}");
    }
    let all = report(None, Source::Rollups);
    let found =
        |desk: &str, kind: &str| all.signals.iter().find(|x| x.desk_code == desk && x.kind == kind).map(|x| x.count);
    assert_eq!(found("MC-PHUOCHUNG", "burst"), Some(11), "6 within 50 s, 5 within exactly 60 s; not 60.5 s");
    assert_eq!(found("MC-PHUOCHUNG", "repeat_browser"), Some(6 + 3 + 5));
    assert_eq!(found("MC-TP", "after_complaint"), Some(3 + 24));
    assert_eq!(found("MC-TUYPHUOC", "uniform_top"), Some(59));
    // Under the commune only, the desk's ratings given under its former unit still count.
    let commune = report(Some("X-PHUOCHUNG"), Source::Rollups);
    let repeats = commune.signals.iter().find(|x| x.kind == "repeat_browser").map(|x| x.count);
    assert_eq!(repeats, Some(14));
}
