//! The staff console end to end on both backends: sign-in by a link emailed through a real SMTP
//! server (GET shows, POST signs in, once), the session cookie, the inbox and case page in the
//! person's scope (the accused sees nothing of their case: list, count, URL), an action with its
//! CSRF token, reports, sign-out; then throttling, expiry, password lockout and the role table
//! over the demo organisation.

use std::time::Duration as StdDuration;

use chrono::{Duration, Utc};
use hailong::domain::access::{Person, StaffRole};
use hailong::service::staff::{self as console, Staff, accounts, inbox, signin};
use hailong::store::staff::Who;

use crate::smtp::{Parsed, SmtpSink, links};
use crate::support::{Backend, TestApp, browser, hidden, location, smtp_setup};

/// A case at a commune's desk about its own chairman (handled by the district chairman).
async fn case_about_commune_head(app: &TestApp) -> String {
    let receipt = app
        .report(
            "MC-PHUOCHUNG",
            &[
                ("overall", "1"),
                ("report_category", "petty_corruption"),
                ("report_description", "Chủ tịch xã đòi tiền mới ký xác nhận hồ sơ đất đai."),
                ("report_officer", "X-PHUOCHUNG-01"),
            ],
        )
        .await;
    app.case_of(&receipt).number()
}

/// Asks for a sign-in link for `email` from a fresh browser and returns the browser and the link
/// from the email that arrives.
async fn sign_in_link(app: &TestApp, sink: &SmtpSink, email: &str) -> (reqwest::Client, String) {
    let c = browser();
    let page = c.get(app.url("/staff/signin")).send().await.unwrap().text().await.unwrap();
    let csrf = hidden(&page, "csrf");
    let before = sink.messages().len();
    let r = c.post(app.url("/staff/signin")).form(&[("csrf", csrf.as_str()), ("email", email)]).send().await.unwrap();
    assert_eq!(r.status(), 200);
    assert!(r.text().await.unwrap().contains("id=\"notice\""));
    app.send_mail(&app.mailer(), Utc::now()).await;
    let msgs: Vec<Parsed> =
        sink.wait_for(before + 1, StdDuration::from_secs(10)).await.iter().map(|m| m.parse()).collect();
    let mail = msgs.iter().rev().find(|p| p.to.iter().any(|t| t == email)).expect("sign-in email");
    assert!(mail.subject.contains("Đăng nhập"), "{}", mail.subject);
    let found = links(&mail.text, &app.url("/staff/signin/"));
    assert_eq!(found.len(), 1, "{}", mail.text);
    (c, found[0].clone())
}

/// Follows a sign-in link as its holder: the page, then its button.
async fn sign_in(app: &TestApp, sink: &SmtpSink, email: &str) -> reqwest::Client {
    let (c, link) = sign_in_link(app, sink, email).await;
    let page = c.get(&link).send().await.unwrap().text().await.unwrap();
    let csrf = hidden(&page, "csrf");
    let r = c.post(&link).form(&[("csrf", csrf.as_str()), ("choice", "0")]).send().await.unwrap();
    assert_eq!(r.status(), 303, "{}", r.text().await.unwrap_or_default());
    c
}

async fn sign_in_act_and_sign_out(backend: Backend) {
    let sink = SmtpSink::start();
    let app = TestApp::demo_with(&backend, smtp_setup(sink.port())).await;
    let number = case_about_commune_head(&app).await;
    app.send_mail(&app.mailer(), Utc::now()).await;

    // Signed out, every console page leads to the sign-in page.
    let anon = browser();
    for path in ["/staff", "/staff/cases", &format!("/staff/cases/{number}"), "/staff/reports", "/staff/audit"] {
        let r = anon.get(app.url(path)).send().await.unwrap();
        assert_eq!(r.status(), 303, "{path}");
        assert!(location(&r).starts_with("/staff/signin"), "{path}");
    }
    // A sign-in form posted without its token changes nothing.
    let r = anon.post(app.url("/staff/signin")).form(&[("email", "x@example.com")]).send().await.unwrap();
    assert_eq!(r.status(), 403);

    // The page says the same whether or not the address may sign in; only a known one gets mail.
    let page = anon.get(app.url("/staff/signin")).send().await.unwrap().text().await.unwrap();
    let csrf = hidden(&page, "csrf");
    let unknown = anon
        .post(app.url("/staff/signin"))
        .form(&[("csrf", csrf.as_str()), ("email", "nobody@example.com")])
        .send()
        .await
        .unwrap();
    assert_eq!(unknown.status(), 200);
    let unknown = unknown.text().await.unwrap();

    let chairman = app.officer_email("TP-01");
    let (c, link) = sign_in_link(&app, &sink, &chairman).await;
    assert!(!sink.messages().iter().any(|m| m.parse().to.iter().any(|t| t == "nobody@example.com")));
    let notice = |html: &str| html.split("id=\"notice\">").nth(1).unwrap().split('<').next().unwrap().to_string();
    assert!(!notice(&unknown).is_empty());

    // Opening the link (as a mail scanner would) signs nobody in; the page offers a button.
    let shown = c.get(&link).send().await.unwrap();
    assert_eq!(shown.status(), 200);
    let shown = shown.text().await.unwrap();
    assert!(
        shown.contains("Chủ tịch UBND huyện") || shown.contains("TP-01") || shown.contains("người đứng đầu"),
        "{shown}"
    );
    assert_eq!(c.get(&link).send().await.unwrap().status(), 200, "still unused");
    let csrf = hidden(&shown, "csrf");
    let r = c.post(&link).form(&[("choice", "0")]).send().await.unwrap();
    assert_eq!(r.status(), 403, "no CSRF token");
    let r = c.post(&link).form(&[("csrf", csrf.as_str()), ("choice", "0")]).send().await.unwrap();
    assert_eq!(r.status(), 303);
    let set = r.headers().get_all("set-cookie").iter().map(|v| v.to_str().unwrap().to_string()).collect::<Vec<_>>();
    let session = set.iter().find(|v| v.starts_with("hailong_staff=")).expect("session cookie");
    assert!(
        session.contains("HttpOnly") && session.contains("SameSite=Lax") && session.contains("Path=/staff"),
        "{session}"
    );
    assert!(!session.contains("Secure"), "http public URL");
    // The link works once.
    let again = c.post(&link).form(&[("csrf", csrf.as_str()), ("choice", "0")]).send().await.unwrap();
    assert_eq!(again.status(), 410);

    // The inbox lists the case, counted and marked; the case page offers the link page's actions.
    let inbox_html = c.get(app.url("/staff/cases")).send().await.unwrap().text().await.unwrap();
    assert!(inbox_html.contains(&number), "{inbox_html}");
    assert!(inbox_html.contains("id=\"tab-open\""));
    let case_url = app.url(&format!("/staff/cases/{number}"));
    let page = c.get(&case_url).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("id=\"act-acknowledge\""), "{page}");
    let case_csrf = hidden(&page, "csrf");
    let r = c.post(&case_url).form(&[("action", "acknowledge")]).send().await.unwrap();
    assert_eq!(r.status(), 409, "a POST without the page's token is refused");
    let r = c
        .post(&case_url)
        .form(&[("csrf", case_csrf.as_str()), ("action", "acknowledge"), ("lang", "vi")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    let case = app.services.db.read(|cn| hailong::store::cases::by_number(cn, &number)).unwrap().unwrap();
    assert_eq!(case.status.as_str(), "acknowledged");
    let events = app.services.db.read(|cn| hailong::store::cases::events(cn, case.id)).unwrap();
    assert_eq!(events.last().unwrap().actor, "officer:TP-01");
    // The same form again: the case changed, the token is stale.
    let r = c.post(&case_url).form(&[("csrf", case_csrf.as_str()), ("action", "acknowledge")]).send().await.unwrap();
    assert_eq!(r.status(), 409);

    // The printable dossier: facts, deadlines, timeline.
    let dossier = c.get(app.url(&format!("/staff/cases/{number}/dossier"))).send().await.unwrap();
    assert_eq!(dossier.status(), 200);
    let dossier = dossier.text().await.unwrap();
    assert!(dossier.contains("HỒ SƠ VỤ VIỆC") && dossier.contains(&number), "{dossier}");
    assert!(dossier.contains("Xác nhận tiếp nhận</th><td>đúng hạn"), "{dossier}");
    // The yearly report of the person's unit, and its DOCX draft.
    let y = c.get(app.url("/staff/reports?year=2026")).send().await.unwrap();
    assert_eq!(y.status(), 200);
    let docx = c.get(app.url("/staff/reports?year=2026&format=docx")).send().await.unwrap();
    assert_eq!(docx.status(), 200);
    assert!(docx.headers()["content-type"].to_str().unwrap().contains("wordprocessingml"));

    // The accused (the commune's chairman) sees nothing of it: not listed, not counted, not found.
    let accused = sign_in(&app, &sink, &app.officer_email("X-PHUOCHUNG-01")).await;
    let theirs = accused.get(app.url("/staff/cases?show=all")).send().await.unwrap().text().await.unwrap();
    assert!(!theirs.contains(&number));
    assert!(theirs.contains("id=\"tab-all\"") && theirs.contains("Tất cả <strong>0</strong>"), "{theirs}");
    assert_eq!(accused.get(&case_url).send().await.unwrap().status(), 404);
    assert_eq!(accused.get(format!("{case_url}/dossier")).send().await.unwrap().status(), 404);
    let r = accused.post(&case_url).form(&[("csrf", case_csrf.as_str()), ("action", "resolve")]).send().await.unwrap();
    assert_eq!(r.status(), 404);

    // Reports of the person's scope, in every format.
    let r = c.get(app.url("/staff/reports")).send().await.unwrap();
    assert_eq!(r.status(), 200);
    let r = c.get(app.url("/staff/reports?format=csv")).send().await.unwrap();
    assert_eq!(r.status(), 200);
    assert!(r.headers()["content-type"].to_str().unwrap().starts_with("text/csv"));
    let r = c.get(app.url("/staff/reports?month=2999-01")).send().await.unwrap();
    assert_eq!(r.status(), 422);

    // Sign out: the cookie is cleared and the session is over even if the cookie were kept.
    let nav_csrf = hidden(&inbox_html, "csrf");
    let r = c.post(app.url("/staff/signout")).form(&[("csrf", "wrong")]).send().await.unwrap();
    assert_eq!(r.status(), 403);
    // A second device of the same person; signing out everywhere ends both.
    let other_device = sign_in(&app, &sink, &chairman).await;
    assert_eq!(other_device.get(app.url("/staff/cases")).send().await.unwrap().status(), 200);
    let r = c
        .post(app.url("/staff/signout"))
        .form(&[("csrf", nav_csrf.as_str()), ("everywhere", "1")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    assert_eq!(c.get(app.url("/staff/cases")).send().await.unwrap().status(), 303);
    assert_eq!(other_device.get(app.url("/staff/cases")).send().await.unwrap().status(), 303);

    // Everything above is in the admin log, and the chain holds.
    let report = hailong::service::audit::verify(&app.services).unwrap();
    assert!(report.broken.is_none(), "{:?}", report.broken);
    assert!(report.staff >= 6, "{report:?}");
    app.stop().await;
}

async fn links_expire_requests_are_throttled_passwords_lock(backend: Backend) {
    let app = TestApp::demo(&backend).await;
    let s = &app.services;
    let now = Utc::now();
    let email = app.officer_email("TP-01");
    // A link asked for a known address is queued as an email.
    let t0 = app.count("outbox");
    assert_eq!(signin::request(s, &email, hailong::i18n::Lang::Vi, now).unwrap(), signin::Requested::Queued);
    assert_eq!(app.count("outbox"), t0 + 1);
    // Five per hour per address, known or not; the sixth is refused and nothing is written.
    for _ in 0..4 {
        assert_eq!(signin::request(s, &email, hailong::i18n::Lang::Vi, now).unwrap(), signin::Requested::Queued);
    }
    let before = app.count("staff_signins");
    assert_eq!(signin::request(s, &email, hailong::i18n::Lang::Vi, now).unwrap(), signin::Requested::Throttled);
    assert_eq!(app.count("staff_signins"), before);
    assert_eq!(
        signin::request(s, &email, hailong::i18n::Lang::Vi, now + Duration::minutes(61)).unwrap(),
        signin::Requested::Queued
    );
    assert!(signin::request(s, "not an address", hailong::i18n::Lang::Vi, now).is_err());

    // Passwords: too short refused; five wrong ones lock the address, even the right one then.
    assert!(accounts::set_password(s, &email, "short", now).is_err());
    assert!(accounts::set_password(s, "nobody@example.com", "a long enough passphrase", now).is_err());
    accounts::set_password(s, &email, "a long enough passphrase", now).unwrap();
    let right = signin::password(s, &email, "a long enough passphrase", now).unwrap();
    let signin::PasswordOutcome::Right { token, identities: 1 } = right else { panic!("{right:?}") };
    // The token from a password is a sign-in link's: once, and not after it expires.
    let late = signin::complete(s, &token, 0, "password", now + Duration::minutes(16)).unwrap();
    assert!(matches!(late, Err(signin::Opened::Expired)), "{late:?}");
    let session = signin::complete(s, &token, 0, "password", now).unwrap().unwrap();
    // The session lives while used (idle 60 minutes) and never past 12 hours.
    assert!(console::current(s, &session.token, now + Duration::minutes(59)).unwrap().is_some());
    assert!(console::current(s, &session.token, now + Duration::minutes(59 + 61)).unwrap().is_none(), "idle");
    let fresh = match signin::password(s, &email, "a long enough passphrase", now).unwrap() {
        signin::PasswordOutcome::Right { token, .. } => signin::complete(s, &token, 0, "password", now),
        other => panic!("{other:?}"),
    };
    let fresh = fresh.unwrap().unwrap();
    for k in 1..=14 {
        let at = now + Duration::minutes(50 * k);
        let alive = console::current(s, &fresh.token, at).unwrap().is_some();
        assert_eq!(alive, at < now + Duration::hours(12), "{k}: absolute limit");
    }
    assert!(matches!(signin::complete(s, &token, 0, "password", now).unwrap(), Err(signin::Opened::Used)));
    for i in 1..=4 {
        assert_eq!(signin::password(s, &email, "wrong guess", now).unwrap(), signin::PasswordOutcome::Wrong, "{i}");
    }
    let locked = signin::password(s, &email, "wrong guess", now).unwrap();
    assert!(matches!(locked, signin::PasswordOutcome::Locked { .. }), "{locked:?}");
    let still = signin::password(s, &email, "a long enough passphrase", now + Duration::minutes(5)).unwrap();
    assert!(matches!(still, signin::PasswordOutcome::Locked { .. }), "{still:?}");
    let after = signin::password(s, &email, "a long enough passphrase", now + Duration::minutes(16)).unwrap();
    assert!(matches!(after, signin::PasswordOutcome::Right { .. }), "{after:?}");
    assert_eq!(
        signin::password(s, "nobody@example.com", "whatever it is", now).unwrap(),
        signin::PasswordOutcome::Wrong
    );

    // Accounts: bad input named, nothing written.
    let n = app.count("staff_accounts");
    let add = |role: &str, unit: Option<&str>| {
        accounts::add(
            s,
            &accounts::NewAccount {
                email: "ops@example.com".into(),
                role: role.into(),
                unit: unit.map(String::from),
                officer: None,
            },
            now,
        )
    };
    assert!(add("head", Some("TP")).is_err(), "heads come from the file");
    assert!(add("oversight", None).is_err(), "oversight needs a unit");
    assert!(add("viewer", Some("NOPE")).is_err());
    assert_eq!(app.count("staff_accounts"), n);
    let id = add("admin", None).unwrap();
    assert!(add("admin", None).is_err(), "the same account twice");
    accounts::disable(s, id, now).unwrap();
    assert!(accounts::disable(s, id, now).is_err());
    app.stop().await;
}

/// The signed-in person as the console resolves them, without a browser.
fn person(app: &TestApp, role: StaffRole, unit: Option<&str>, officer: Option<&str>, delegated: &[&str]) -> Staff {
    let unit_id =
        |code: &str| app.services.db.read(|c| hailong::store::org::unit_by_code(c, code)).unwrap().unwrap().id;
    let officer_id =
        officer.map(|o| app.services.db.read(|c| hailong::store::org::officer_by_code(c, o)).unwrap().unwrap().id);
    Staff {
        session_id: 1,
        email: "t@example.com".into(),
        who: Who::Account(1),
        label: String::new(),
        unit_name: None,
        person: Person {
            role,
            unit: unit.map(unit_id),
            officer: officer_id,
            delegated: delegated.iter().map(|u| unit_id(u)).collect(),
        },
        csrf: String::new(),
    }
}

async fn each_role_sees_exactly_its_scope(backend: Backend) {
    let app = TestApp::demo(&backend).await;
    let about_chairman = case_about_commune_head(&app).await;
    let receipt = app
        .report(
            "MC-PHUOCHOA",
            &[("overall", "1"), ("report_category", "delay"), ("report_description", "Hẹn lại ba lần không có lý do.")],
        )
        .await;
    let at_phuochoa = app.case_of(&receipt).number();
    let seen = |staff: &Staff| -> Vec<String> {
        let f = inbox::Filter { show: "all".into(), ..Default::default() };
        let mut v: Vec<String> =
            inbox::inbox(&app.services, staff, &f, Utc::now()).unwrap().items.into_iter().map(|i| i.number).collect();
        v.sort();
        v
    };
    let both = {
        let mut v = vec![about_chairman.clone(), at_phuochoa.clone()];
        v.sort();
        v
    };
    let table: Vec<(&str, Staff, Vec<String>)> = vec![
        ("admin", person(&app, StaffRole::Admin, None, None, &[]), both.clone()),
        ("district chairman", person(&app, StaffRole::Head, Some("TP"), Some("TP-01"), &[]), both.clone()),
        ("oversight of TP", person(&app, StaffRole::Oversight, Some("TP-NV"), None, &[]), both.clone()),
        ("the accused", person(&app, StaffRole::Head, Some("X-PHUOCHUNG"), Some("X-PHUOCHUNG-01"), &[]), vec![]),
        (
            "another commune",
            person(&app, StaffRole::Head, Some("X-PHUOCHOA"), Some("X-PHUOCHOA-01"), &[]),
            vec![at_phuochoa.clone()],
        ),
        ("deputy, no delegation", person(&app, StaffRole::Deputy, Some("TP"), Some("TP-02"), &[]), vec![]),
        ("deputy, delegated", person(&app, StaffRole::Deputy, Some("TP"), Some("TP-02"), &["TP"]), both.clone()),
        ("viewer", person(&app, StaffRole::Viewer, Some("TP"), None, &[]), vec![]),
    ];
    for (who, staff, expected) in &table {
        assert_eq!(&seen(staff), expected, "{who}");
        let f = inbox::Filter::default();
        let counts = inbox::inbox(&app.services, staff, &f, Utc::now()).unwrap().counts;
        assert_eq!(counts.all, expected.len(), "{who}: counts agree with the list");
        for number in [&about_chairman, &at_phuochoa] {
            let found = console::cases::page(&app.services, staff, number, Utc::now()).is_ok();
            assert_eq!(found, expected.contains(number), "{who} opening {number}");
        }
    }
    app.stop().await;
}

async fn organisation_pages_change_it_as_an_import_would(backend: Backend) {
    let sink = SmtpSink::start();
    let app = TestApp::demo_with(&backend, smtp_setup(sink.port())).await;
    // The commune's chair keeps their commune; another commune's chair reads nothing of it.
    let chair = sign_in(&app, &sink, &app.officer_email("X-PHUOCHUNG-01")).await;
    let other = sign_in(&app, &sink, &app.officer_email("X-PHUOCHOA-01")).await;
    let tree = chair.get(app.url("/staff/org")).send().await.unwrap().text().await.unwrap();
    assert!(tree.contains("/staff/org/units/X-PHUOCHUNG") && !tree.contains("/staff/org/units/X-PHUOCHOA"), "{tree}");
    assert_eq!(other.get(app.url("/staff/org/units/X-PHUOCHUNG")).send().await.unwrap().status(), 404);
    assert_eq!(other.get(app.url("/staff/org/desks/MC-PHUOCHUNG/qr.png")).send().await.unwrap().status(), 404);

    let desk_url = app.url("/staff/org/desks/MC-PHUOCHUNG");
    let page = chair.get(&desk_url).send().await.unwrap().text().await.unwrap();
    let csrf = hidden(&page, "csrf");
    let post = |c: &reqwest::Client, fields: Vec<(&'static str, String)>| {
        let (c, url) = (c.clone(), desk_url.clone());
        async move { c.post(&url).form(&fields).send().await.unwrap() }
    };
    // Bad hours: named, nothing changed.
    let before = app.services.db.read(|c| hailong::store::org::desk_by_code(c, "MC-PHUOCHUNG")).unwrap().unwrap();
    let r = post(
        &chair,
        vec![
            ("csrf", csrf.clone()),
            ("action", "edit".into()),
            ("name", "Bộ phận Một cửa xã Phước Hưng".into()),
            ("location", "Tầng 1".into()),
            ("hours", "T2-X6 07:30-11:30".into()),
        ],
    )
    .await;
    assert_eq!(r.status(), 422);
    assert!(r.text().await.unwrap().contains("Giờ mở cửa"));
    let same = app.services.db.read(|c| hailong::store::org::desk_by_code(c, "MC-PHUOCHUNG")).unwrap().unwrap();
    assert_eq!((same.name, same.hours), (before.name.clone(), before.hours.clone()));
    // Without the session's token: refused.
    let r = post(&chair, vec![("csrf", "x".into()), ("action", "rotate".into())]).await;
    assert_eq!(r.status(), 403);
    // A good edit, in the importer's canonical form.
    let r = post(
        &chair,
        vec![
            ("csrf", csrf.clone()),
            ("action", "edit".into()),
            ("name", "Bộ phận Một cửa xã Phước Hưng".into()),
            ("location", "Tầng 1, nhà B".into()),
            ("hours", "T2-T6 07:00-11:30".into()),
        ],
    )
    .await;
    assert_eq!(r.status(), 303);
    let after = app.services.db.read(|c| hailong::store::org::desk_by_code(c, "MC-PHUOCHUNG")).unwrap().unwrap();
    assert_eq!(
        (after.name.as_str(), after.location.as_str(), after.hours.as_str()),
        ("Bộ phận Một cửa xã Phước Hưng", "Tầng 1, nhà B", "Mon-Fri 07:00-11:30")
    );
    // A new QR: the old form address says it was replaced.
    let r = post(&chair, vec![("csrf", csrf.clone()), ("action", "rotate".into())]).await;
    assert_eq!(r.status(), 303);
    let old = crate::support::client().get(app.url(&format!("/q/{}", before.token))).send().await.unwrap();
    assert_eq!(old.status(), 410);
    // Posters of the unit: one A5 sheet per active desk, with the new address.
    let posters =
        chair.get(app.url("/staff/org/units/X-PHUOCHUNG/posters")).send().await.unwrap().text().await.unwrap();
    assert_eq!(posters.matches("class=\"sheet\"").count(), 1);
    assert!(posters.contains(&desk_url_token(&app, "MC-PHUOCHUNG")));
    let svg = chair.get(app.url("/staff/org/desks/MC-PHUOCHUNG/poster.svg")).send().await.unwrap();
    assert_eq!(svg.headers()["content-type"], "image/svg+xml");
    // The other chair may not change it, even with their own valid token.
    let other_page = other.get(app.url("/staff/org")).send().await.unwrap().text().await.unwrap();
    let r = post(&other, vec![("csrf", hidden(&other_page, "csrf")), ("action", "rotate".into())]).await;
    assert_eq!(r.status(), 404);
    // A delegation from the unit page; bad dates named.
    let unit_url = app.url("/staff/org/units/X-PHUOCHUNG");
    let bad = chair
        .post(&unit_url)
        .form(&[
            ("csrf", csrf.as_str()),
            ("action", "delegate"),
            ("deputy", "X-PHUOCHUNG-02"),
            ("from", "2026-12-10"),
            ("until", "2026-12-01"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(bad.status(), 422);
    let ok = chair
        .post(&unit_url)
        .form(&[
            ("csrf", csrf.as_str()),
            ("action", "delegate"),
            ("deputy", "X-PHUOCHUNG-02"),
            ("from", "2026-12-01"),
            ("until", "2026-12-31"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(ok.status(), 303);
    let unit_page = chair.get(&unit_url).send().await.unwrap().text().await.unwrap();
    assert!(unit_page.contains("2026-12-01 – 2026-12-31"), "{unit_page}");

    // The file still has the old desk: an import that would undo the edit names it and needs --force.
    let err =
        hailong::service::org::import_with(&app.services, crate::support::DEMO_ORG, "tuyphuoc.toml", false, false)
            .unwrap_err()
            .to_string();
    assert!(err.contains("MC-PHUOCHUNG") && err.contains("--force"), "{err}");
    // Forced: the file wins, and the edits are settled (the same file imports again unforced).
    hailong::service::org::import_with(&app.services, crate::support::DEMO_ORG, "tuyphuoc.toml", false, true).unwrap();
    let desk = app.services.db.read(|c| hailong::store::org::desk_by_code(c, "MC-PHUOCHUNG")).unwrap().unwrap();
    assert_eq!(desk.hours, before.hours);
    hailong::service::org::import_text(&app.services, crate::support::DEMO_ORG, "tuyphuoc.toml", false).unwrap();
    // A file that replaces the chair (their deputy becomes head) ends the old chair's sessions in
    // the import itself.
    let demoted = swap_role(crate::support::DEMO_ORG, "X-PHUOCHUNG-01", "head", "staff");
    let promoted = swap_role(&demoted, "X-PHUOCHUNG-02", "deputy", "head");
    hailong::service::org::import_text(&app.services, &promoted, "new-chair.toml", false).unwrap();
    let open = app.count(
        "staff_sessions WHERE revoked_at IS NULL AND officer_id = (SELECT id FROM officers WHERE code = 'X-PHUOCHUNG-01')",
    );
    assert_eq!(open, 0);
    assert_eq!(chair.get(app.url("/staff/org")).send().await.unwrap().status(), 303, "signed out");
    app.stop().await;
}

/// The organisation file with one officer's role changed.
fn swap_role(text: &str, officer: &str, from: &str, to: &str) -> String {
    let at = text.find(&format!("code = \"{officer}\"")).unwrap();
    let (head, tail) = text.split_at(at);
    format!("{head}{}", tail.replacen(&format!("role = \"{from}\""), &format!("role = \"{to}\""), 1))
}

fn desk_url_token(app: &TestApp, code: &str) -> String {
    format!("/q/{}", app.desk_token(code))
}

async fn an_admin_opens_contact_details_only_with_a_reason(backend: Backend) {
    let sink = SmtpSink::start();
    let app = TestApp::demo_with(&backend, smtp_setup(sink.port())).await;
    let receipt = app
        .report(
            "MC-PHUOCHOA",
            &[
                ("overall", "1"),
                ("report_category", "delay"),
                ("report_description", "Hẹn lại ba lần không có lý do rõ ràng."),
                ("report_contact_name", "Nguyễn Thị Dân"),
                ("report_contact_phone", "0905123456"),
                ("report_contact_consent", "yes"),
            ],
        )
        .await;
    let number = app.case_of(&receipt).number();
    let add =
        accounts::NewAccount { email: "admin@example.com".into(), role: "admin".into(), unit: None, officer: None };
    accounts::add(&app.services, &add, Utc::now()).unwrap();
    let admin = sign_in(&app, &sink, "admin@example.com").await;
    let url = app.url(&format!("/staff/cases/{number}"));
    let page = admin.get(&url).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("id=\"reveal\"") && !page.contains("0905123456"), "the form, not the details");
    let csrf = hidden(page.split("id=\"reveal\"").nth(1).unwrap(), "csrf");
    let r = admin
        .post(&url)
        .form(&[("csrf", csrf.as_str()), ("action", "reveal"), ("reason", "xem")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 422);
    assert!(!r.text().await.unwrap().contains("0905123456"));
    let why = "Người dân gọi điện đề nghị hỗ trợ trực tiếp";
    let r =
        admin.post(&url).form(&[("csrf", csrf.as_str()), ("action", "reveal"), ("reason", why)]).send().await.unwrap();
    assert_eq!(r.status(), 200);
    assert!(r.text().await.unwrap().contains("0905123456"));
    let log = app.services.db.read(hailong::store::staff::audit_all).unwrap();
    let seen = log.iter().find(|e| e.action == "contact_viewed").expect("logged");
    assert!(
        seen.detail.contains(why) && seen.detail.contains(&number) && seen.actor.starts_with("account:"),
        "{seen:?}"
    );
    // The handler sees them without asking (and that is logged too); a head above does not.
    let handler = sign_in(&app, &sink, &app.officer_email("X-PHUOCHOA-01")).await;
    assert!(handler.get(&url).send().await.unwrap().text().await.unwrap().contains("0905123456"));
    let above = sign_in(&app, &sink, &app.officer_email("TP-01")).await;
    let theirs = above.get(&url).send().await.unwrap().text().await.unwrap();
    assert!(!theirs.contains("0905123456") && !theirs.contains("id=\"reveal\""));
    assert_eq!(app.count("staff_audit WHERE action = 'contact_viewed'"), 2);
    app.stop().await;
}

async fn sign_in_attempts_are_throttled_per_address_of_the_client(backend: Backend) {
    let app = TestApp::demo_with(&backend, |c| c.staff.signin_ip_per_minute = 2).await;
    let c = browser();
    let page = c.get(app.url("/staff/signin")).send().await.unwrap().text().await.unwrap();
    let csrf = hidden(&page, "csrf");
    let email = app.officer_email("TP-01");
    let mut statuses = Vec::new();
    for _ in 0..3 {
        let r = c
            .post(app.url("/staff/signin"))
            .form(&[("csrf", csrf.as_str()), ("email", email.as_str())])
            .send()
            .await
            .unwrap();
        statuses.push(r.status().as_u16());
    }
    assert_eq!(statuses, [200, 200, 429]);
    let r = c
        .post(app.url("/staff/signin/password"))
        .form(&[("csrf", csrf.as_str()), ("email", email.as_str()), ("password", "whatever it is")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 429, "passwords share the limit");
    assert_eq!(app.count("staff_signins"), 2, "nothing written for the refused ones");
    app.stop().await;
}

both_backends!(
    sign_in_act_and_sign_out,
    links_expire_requests_are_throttled_passwords_lock,
    each_role_sees_exactly_its_scope,
    organisation_pages_change_it_as_an_import_would,
    an_admin_opens_contact_details_only_with_a_reason,
    sign_in_attempts_are_throttled_per_address_of_the_client
);
