//! Calendars on both backends: years' arrangements imported, stored and layered on `vn`; the
//! warnings about a year without one (`/readyz`, `/metrics`, the operator's email).

use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use hailong::domain::calendar::{Arrangement, Calendar, Source, SpecialDay, WorkDuration, render_arrangement};
use hailong::service::{Services, calendars};

use crate::support::{Backend, TestApp, client, services};

/// A Vietnamese wall time.
fn vn(y: i32, m: u32, d: u32, h: u32) -> DateTime<Utc> {
    chrono_tz::Asia::Ho_Chi_Minh.with_ymd_and_hms(y, m, d, h, 0, 0).unwrap().to_utc()
}

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

/// An arrangement for `year` that says what the statute says, plus `extra` days (a file as an
/// operator would write it).
fn arrangement(year: i32, source: &str, extra: &[(NaiveDate, SpecialDay)]) -> String {
    let mut days: std::collections::BTreeMap<_, _> =
        Calendar::vn().days_in(year).map(|(d, r)| (*d, r.clone())).collect();
    days.extend(extra.iter().cloned());
    render_arrangement(&Arrangement { calendar: "vn".into(), year, source: source.into(), days })
}

fn off(name: &str) -> SpecialDay {
    SpecialDay::Off { kind: hailong::domain::calendar::OffKind::Compensatory, name: name.into() }
}

fn import(
    s: &Services,
    dir: &std::path::Path,
    name: &str,
    text: &str,
) -> hailong::error::Result<calendars::ImportSummary> {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    calendars::import_file(s, &path)
}

/// Importing a year replaces that year only, again replaces it again, survives a restart; the
/// statute is never replaced; a bad file changes nothing.
async fn arrangements_are_stored_per_calendar_and_year(backend: Backend) {
    let db = crate::support::TestDb::new(&backend);
    let s = services(&db);
    let dir = db.dir.path();
    let current = || s.calendars().get("vn").unwrap().clone();
    let before = current();
    assert_eq!(before.source(2027), Source::Statute);

    let summary =
        import(&s, dir, "a.toml", &arrangement(2027, "Thông báo 1/TB-BNV", &[(date(2027, 2, 12), off("Nghỉ thêm"))]))
            .unwrap();
    assert_eq!(summary.arrangements.len(), 1);
    assert_eq!((summary.arrangements[0].year, summary.arrangements[0].replaced.clone()), (2027, None));
    assert!(summary.render(hailong::i18n::Lang::En).contains("Added the 2027 arrangement of calendar vn"));
    let cal = current();
    assert_eq!(cal.source(2027), Source::Announcement("Thông báo 1/TB-BNV".into()));
    assert!(cal.working_ranges(date(2027, 2, 12)).is_empty());
    // The alias is the same calendar.
    assert!(std::sync::Arc::ptr_eq(&cal, s.calendars().get("vn-2026").unwrap()));
    for year in [2026, 2028] {
        assert_eq!(cal.days_in(year).collect::<Vec<_>>(), before.days_in(year).collect::<Vec<_>>());
    }
    // Five working days from Thu 4 Feb 2027 now end a day later: Fri 12 Feb is off too.
    assert_eq!(before.add(vn(2027, 2, 4, 10), WorkDuration::Days(5)), vn(2027, 2, 18, 17));
    assert_eq!(cal.add(vn(2027, 2, 4, 10), WorkDuration::Days(5)), vn(2027, 2, 19, 17));

    // Again: replaced, and said so; another year leaves 2027 alone.
    let summary = import(&s, dir, "b.toml", &arrangement(2027, "Thông báo 2/TB-BNV", &[])).unwrap();
    assert_eq!(summary.arrangements[0].replaced.as_deref(), Some("Thông báo 1/TB-BNV"));
    assert!(summary.render(hailong::i18n::Lang::En).contains("Replaced the 2027 arrangement"));
    import(&s, dir, "c.toml", &arrangement(2028, "Thông báo 3/TB-BNV", &[])).unwrap();
    let cal = current();
    assert_eq!(cal.source(2027), Source::Announcement("Thông báo 2/TB-BNV".into()));
    assert!(!cal.working_ranges(date(2027, 2, 12)).is_empty());
    assert_eq!(cal.source(2028), Source::Announcement("Thông báo 3/TB-BNV".into()));
    let rows = s.db.read(hailong::store::calendars::arrangements).unwrap();
    assert_eq!(rows.iter().map(|r| (r.calendar.as_str(), r.year)).collect::<Vec<_>>(), [("vn", 2027), ("vn", 2028)]);
    assert!(rows[0].imported_from.ends_with("b.toml"));

    // A bad file (a statutory holiday left a working day, a day of another year) changes nothing.
    let bad = arrangement(2029, "Thông báo 4/TB-BNV", &[]).replace("date = \"2029-01-01\"", "date = \"2030-01-01\"");
    let e = import(&s, dir, "bad.toml", &bad).unwrap_err().user_message(hailong::i18n::Lang::En);
    assert!(e.contains("bad.toml:") && e.contains("2030-01-01 is not in 2029"), "{e}");
    let e = import(&s, dir, "empty.toml", "# nothing yet\n").unwrap_err().user_message(hailong::i18n::Lang::En);
    assert!(e.contains("nothing changed"), "{e}");
    assert_eq!(s.db.read(hailong::store::calendars::arrangements).unwrap().len(), 2);
    assert_eq!(current().source(2029), Source::Statute);

    // Another process (a restart, another instance) loads the same, also through the old name.
    let fresh = services(&db);
    assert_eq!(*fresh.calendars().get("vn").unwrap(), current());
    let old_name = Services::open({
        let mut c = db.config();
        c.sla.default_calendar = "vn-2026".into();
        c
    })
    .unwrap();
    assert_eq!(old_name.calendars().for_unit(None), current());
}

/// A `vn-2026` calendar imported whole before `vn` existed no longer hides the later years: its
/// 2026 days become the 2026 arrangement, unless one was imported since.
async fn an_old_vn_2026_import_becomes_the_2026_arrangement(backend: Backend) {
    let db = crate::support::TestDb::new(&backend);
    let s = services(&db);
    let old = Calendar::vn();
    let mut legacy = Calendar::vn();
    legacy.code = "vn-2026".into();
    legacy.statute = None;
    legacy.days = old.days_in(2026).map(|(d, r)| (*d, r.clone())).collect();
    legacy.days.insert(date(2026, 12, 31), off("Nghỉ cuối năm của tỉnh"));
    let definition = hailong::domain::calendar::render_calendar(&legacy);
    s.db.write(move |c| {
        hailong::store::calendars::upsert(c, "vn-2026", "Lịch 2026", &definition, hailong::store::now_utc())
    })
    .unwrap();
    s.reload_calendars().unwrap();
    let cal = s.calendars().get("vn-2026").unwrap().clone();
    assert_eq!(cal.code, "vn");
    assert!(cal.working_ranges(date(2026, 12, 31)).is_empty());
    assert!(matches!(cal.source(2026), Source::Announcement(t) if t.contains("vn-2026")));
    assert_eq!(cal.source(2027), Source::Statute);
    assert!(cal.working_ranges(date(2027, 2, 8)).is_empty(), "Tết 2027 from the statute");
    // An arrangement imported for 2026 wins over the old calendar.
    import(&s, db.dir.path(), "2026.toml", &arrangement(2026, "Thông báo 9441/TB-BNV", &[])).unwrap();
    let cal = s.calendars().get("vn").unwrap().clone();
    assert!(!cal.working_ranges(date(2026, 12, 31)).is_empty());
}

/// `/readyz` stays ready and lists the missing year; `/metrics` has the gauge; both clear once the
/// year is imported. The check takes its instant: from 2 November for the next year.
async fn readiness_warns_of_a_year_without_an_arrangement(backend: Backend) {
    let app = TestApp::spawn(&backend).await;
    let s = &app.services;
    // Chosen instants: 62 days before 2027 nothing is due yet; 60 days before, 2027 is.
    let r = hailong::service::ops::readiness(s, vn(2026, 11, 1, 9)).unwrap();
    assert_eq!(r.pending_migrations, 0);
    assert_eq!(r.warnings, vec![]);
    let r = hailong::service::ops::readiness(s, vn(2026, 11, 2, 9)).unwrap();
    assert_eq!(r.warnings.iter().map(|w| (w.calendar.as_str(), w.year)).collect::<Vec<_>>(), [("vn", 2027)]);
    let m = r.warnings[0].message();
    assert!(m.en.contains("no announced arrangement for 2027") && m.en.contains("05/02, 06/02"), "{}", m.en);
    assert!(m.vi.contains("chưa có lịch nghỉ được công bố cho năm 2027"), "{}", m.vi);
    // A calendar nobody uses is not warned about.
    let unused = Services::open({
        let mut c = app.db.config();
        c.sla.default_calendar = "24x7".into();
        c
    })
    .unwrap();
    assert_eq!(hailong::service::ops::readiness(&unused, vn(2026, 11, 2, 9)).unwrap().warnings, vec![]);

    // Over HTTP, at the real time: whatever years are due and missing now are listed.
    let now_missing = calendars::missing_arrangements(s, Utc::now()).unwrap();
    assert!(!now_missing.is_empty(), "only 2026 is built in, so from November 2026 a year is always missing");
    let c = client();
    let v: serde_json::Value = c.get(app.url("/readyz")).send().await.unwrap().json().await.unwrap();
    assert_eq!(v["status"], "ready");
    let warnings = v["warnings"].as_array().unwrap();
    assert_eq!(warnings.len(), now_missing.len(), "{v}");
    for (w, m) in warnings.iter().zip(&now_missing) {
        assert_eq!((w["kind"].as_str(), w["calendar"].as_str()), (Some("calendar_arrangement_missing"), Some("vn")));
        assert_eq!(w["year"], m.year);
        assert!(w["message_en"].as_str().unwrap().contains(&format!("for {}", m.year)));
    }
    let text = c.get(app.url("/metrics")).send().await.unwrap().text().await.unwrap();
    for m in &now_missing {
        let line = format!("hailong_calendar_arrangement_missing{{calendar=\"vn\",year=\"{}\"}} 1", m.year);
        assert!(text.contains(&line), "{text}");
    }

    // Imported: still ready, no warning, the gauge at 0.
    for m in &now_missing {
        let name = format!("{}.toml", m.year);
        import(s, app.db.dir.path(), &name, &arrangement(m.year, "Thông báo/TB-BNV", &[])).unwrap();
    }
    let r = c.get(app.url("/readyz")).send().await.unwrap();
    assert_eq!(r.status(), 200);
    let v: serde_json::Value = r.json().await.unwrap();
    assert_eq!(v["warnings"], serde_json::json!([]), "{v}");
    let text = c.get(app.url("/metrics")).send().await.unwrap().text().await.unwrap();
    for m in &now_missing {
        let line = format!("hailong_calendar_arrangement_missing{{calendar=\"vn\",year=\"{}\"}} 0", m.year);
        assert!(text.contains(&line), "{text}");
    }
    app.stop().await;
}

/// The scheduler's rounds tell the operator once per calendar and year, whatever the restarts.
async fn the_operator_is_emailed_once_per_missing_year(backend: Backend) {
    let operator = |c: &mut hailong::config::Config| c.alerts.operator_email = Some("quantri@example.gov.vn".into());
    let app = TestApp::spawn_with(&backend, operator).await;
    let mailer = app.mailer();
    let kinds = || {
        app.services
            .db
            .read(|c| {
                use diesel::prelude::*;
                use hailong::store::schema::outbox;
                Ok(outbox::table
                    .filter(outbox::kind.eq("operator_alert"))
                    .select((outbox::recipient, outbox::subject, outbox::body_text))
                    .load::<(String, String, String)>(c)?)
            })
            .unwrap()
    };
    // Before 2 November: nothing to say.
    let r = hailong::jobs::run_once(&app.services, &mailer, vn(2026, 11, 1, 9)).await.unwrap();
    assert_eq!(r.calendar_alerts, 0);
    // Two rounds an hour apart, then a restarted service (or another instance): one email.
    let r = hailong::jobs::run_once(&app.services, &mailer, vn(2026, 11, 30, 9)).await.unwrap();
    assert_eq!(r.calendar_alerts, 1);
    let r = hailong::jobs::run_once(&app.services, &mailer, vn(2026, 11, 30, 10)).await.unwrap();
    assert_eq!(r.calendar_alerts, 0);
    let restarted = Services::open({
        let mut c = app.db.config();
        operator(&mut c);
        c
    })
    .unwrap();
    assert_eq!(calendars::alert_missing_arrangements(&restarted, vn(2026, 12, 15, 9)).unwrap(), 0);
    let sent = kinds();
    assert_eq!(sent.len(), 1, "{sent:?}");
    let (to, subject, body) = &sent[0];
    assert_eq!(to, "quantri@example.gov.vn");
    assert!(subject.contains("vn") && subject.contains("2027"), "{subject}");
    // The body says what deadlines use meanwhile: the statute's days of 2027.
    assert!(body.contains("2027-02-05 T6") && body.contains("2027-02-11 Thu"), "{body}");
    // Next year, the next year's email.
    let r = hailong::jobs::run_once(&app.services, &mailer, vn(2027, 11, 2, 9)).await.unwrap();
    assert_eq!(r.calendar_alerts, 1, "2028 (2027 was already told)");
    assert_eq!(kinds().len(), 2);
    app.stop().await;
}

both_backends!(
    arrangements_are_stored_per_calendar_and_year,
    an_old_vn_2026_import_becomes_the_2026_arrangement,
    readiness_warns_of_a_year_without_an_arrangement,
    the_operator_is_emailed_once_per_missing_year
);
