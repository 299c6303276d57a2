//! Case handling end to end on both backends: routing around the accused, email through a real
//! SMTP server, signed links (GET shows, POST acts, replays and stale forms refused), working-time
//! clocks and escalation with `jobs::run_once` at chosen instants, the citizen's side, the
//! tamper-evident log and the privacy purge.

use std::time::Duration as StdDuration;

use chrono::{DateTime, Duration, Utc};
use hailong::store;

use crate::smtp::{Parsed, SmtpSink, links};
use crate::support::{Backend, TestApp, act, browser, client, hidden, location, smtp_setup};

/// The one link in an email's text.
fn link_in(p: &Parsed, base: &str) -> String {
    let found = links(&p.text, &format!("{base}/h/"));
    assert_eq!(found.len(), 1, "{}", p.text);
    found[0].clone()
}

fn message_to<'a>(msgs: &'a [Parsed], to: &str, subject_part: &str) -> &'a Parsed {
    msgs.iter().find(|p| p.to.iter().any(|t| t == to) && p.subject.contains(subject_part)).unwrap_or_else(|| {
        panic!(
            "no email to {to} about {subject_part:?}: {:?}",
            msgs.iter().map(|p| (&p.to, &p.subject)).collect::<Vec<_>>()
        )
    })
}

async fn a_report_on_a_commune_head_goes_up_around_them(backend: Backend) {
    let sink = SmtpSink::start();
    let app = TestApp::demo_with(&backend, smtp_setup(sink.port())).await;
    let m = app.mailer();
    let receipt = app
        .report(
            "MC-PHUOCHUNG",
            &[
                ("overall", "1"),
                ("report_category", "petty_corruption"),
                ("report_description", "Chủ tịch xã đòi 500.000 đồng mới ký xác nhận hồ sơ đất."),
                ("report_officer", "X-PHUOCHUNG-01"),
                ("report_contact_email", "nguoidan@example.com"),
                ("report_contact_consent", "yes"),
            ],
        )
        .await;
    let round = app.send_mail(&m, Utc::now()).await;
    assert_eq!(round.sent, 3, "{round:?}");
    let msgs: Vec<Parsed> = sink.wait_for(3, StdDuration::from_secs(10)).await.iter().map(|r| r.parse()).collect();
    // To the district chairman (the parent unit's head), copied to Phòng Nội vụ; nobody in the commune.
    let chairman = app.officer_email("TP-01");
    let noivu = app.officer_email("TP-NV-01");
    let to_handler = message_to(&msgs, &chairman, "Phản ánh mới cần xử lý");
    message_to(&msgs, &noivu, "Bản sao");
    // The citizen: a confirmation carrying their receipt.
    let confirmation = message_to(&msgs, "nguoidan@example.com", "Đã tiếp nhận phản ánh");
    assert!(confirmation.subject.contains(&receipt) && confirmation.text.contains(&receipt));
    let number = app.case_of(&receipt).number();
    for p in msgs.iter().filter(|p| !p.to.iter().any(|t| t == "nguoidan@example.com")) {
        for addr in p.to.iter().chain(&p.cc) {
            assert!(!addr.contains("phuochung"), "the commune got {addr}: {}", p.subject);
        }
        // No complainant data in subjects or bodies; the case number, never the citizen's receipt.
        assert!(!p.subject.contains("nguoidan") && !p.text.contains("nguoidan") && !p.text.contains("500.000"));
        assert!(p.subject.contains(&number) && p.text.contains(&number), "{}", p.subject);
        assert!(!p.subject.contains(&receipt) && !p.text.contains(&receipt) && !p.html.contains(&receipt));
        assert!(!p.message_id.is_empty());
    }
    assert!(to_handler.text.contains("Hạn xác nhận tiếp nhận"));
    assert!(to_handler.subject.contains("hạn xác nhận"));

    // The link: GET shows the case and changes nothing.
    let link = link_in(to_handler, &app.base);
    let c = client();
    let before = app.case_of(&receipt);
    let page = c.get(&link).send().await.unwrap();
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    assert!(
        html.contains("đòi 500.000 đồng") && html.contains("nguoidan@example.com"),
        "the handler sees the report and the consented contact"
    );
    let after = app.case_of(&receipt);
    assert_eq!((after.status.as_str(), after.event_count), (before.status.as_str(), before.event_count));

    // POST acknowledge: the state changes; replaying the same form is refused and changes nothing.
    let csrf = hidden(&html, "csrf");
    let form = [("csrf", csrf.as_str()), ("action", "acknowledge")];
    let r = c.post(&link).form(&form).send().await.unwrap();
    assert_eq!(r.status(), 303);
    assert_eq!(app.case_of(&receipt).status.as_str(), "acknowledged");
    let replay = c.post(&link).form(&form).send().await.unwrap();
    assert_eq!(replay.status(), 409);
    assert!(replay.text().await.unwrap().contains("Trang đã cũ"));
    assert_eq!(app.case_of(&receipt).event_count, before.event_count + 1);

    // Answering: too short is refused; then resolved, shown on the tracking page, emailed.
    let r = act(&c, &link, &[("action", "resolve"), ("text", "Đã xử lý.")]).await;
    assert_eq!(r.status(), 422);
    let answer = "Đã kiểm tra, yêu cầu cán bộ hoàn trả khoản tiền và kiểm điểm trước tập thể.";
    let r = act(&c, &link, &[("action", "resolve"), ("text", answer)]).await;
    assert_eq!(r.status(), 303);
    let track = app.track(&c, &receipt).await.text().await.unwrap();
    assert!(track.contains("Đã giải quyết") && track.contains(answer));
    assert!(!track.contains("Đặng") && !track.contains("nguoidan"), "no names on the tracking page");
    app.send_mail(&m, Utc::now()).await;
    // Acknowledged, then answered: the citizen hears of both.
    let citizen: Vec<Parsed> = sink.wait_for(6, StdDuration::from_secs(10)).await.iter().map(|r| r.parse()).collect();
    message_to(&citizen, "nguoidan@example.com", "Phản ánh đang được xử lý");
    let to_citizen = message_to(&citizen, "nguoidan@example.com", "Kết quả xử lý");
    assert!(to_citizen.text.contains(answer));
    // Every use of the link is logged.
    let link_row = app
        .services
        .db
        .read(|c| store::links::by_hash(c, &hailong::service::links::hash(link.rsplit('/').next().unwrap())))
        .unwrap()
        .unwrap();
    let uses = app.services.db.read(|c| store::links::uses(c, link_row.id)).unwrap();
    assert!(uses.iter().any(|u| u.0 == "GET" && u.2 == "opened"));
    assert!(uses.iter().any(|u| u.1.as_deref() == Some("acknowledge") && u.2 == "done"));

    // A tampered token: a clear page, nothing changes.
    // One character changed (whatever the token ends with).
    let last = if link.ends_with('A') { "B" } else { "A" };
    let tampered = format!("{}{last}", &link[..link.len() - 1]);
    let r = c.get(&tampered).send().await.unwrap();
    assert_eq!(r.status(), 404);
    assert!(r.text().await.unwrap().contains("Đường dẫn không hợp lệ"));
    // An expired one: a clear page with a way to get a fresh link by email.
    app.exec("UPDATE action_links SET expires_at = '2020-01-01 00:00:00'");
    let r = c.get(&link).send().await.unwrap();
    assert_eq!(r.status(), 410);
    let page = r.text().await.unwrap();
    assert!(page.contains("Đường dẫn đã hết hạn") && page.contains("/renew"));
    let r = c.post(format!("{link}/renew")).send().await.unwrap();
    assert_eq!(r.status(), 200, "{}", r.text().await.unwrap());
    app.send_mail(&m, Utc::now()).await;
    let all: Vec<Parsed> = sink.wait_for(7, StdDuration::from_secs(10)).await.iter().map(|r| r.parse()).collect();
    let fresh = message_to(&all, &chairman, "Đường dẫn mới");
    let new_link = link_in(fresh, &app.base);
    assert_ne!(new_link, link);
    assert_eq!(c.get(&new_link).send().await.unwrap().status(), 200);
    app.stop().await;
}

async fn escalation_climbs_every_level_once(backend: Backend) {
    let sink = SmtpSink::start();
    let app = TestApp::demo_with(&backend, |c| {
        smtp_setup(sink.port())(c);
        c.sla.acknowledge = "1h".parse().unwrap();
        c.sla.resolve = "3h".parse().unwrap();
    })
    .await;
    let m = app.mailer();
    let t0 = Utc::now();
    let receipt = app
        .report(
            "MC-PHUOCHUNG",
            &[
                ("overall", "1"),
                ("report_category", "delay"),
                ("report_description", "Hẹn lại ba lần vẫn chưa trả kết quả hồ sơ."),
                ("report_officer", "X-PHUOCHUNG-03"),
            ],
        )
        .await;
    let id = app.case_of(&receipt).id;
    let head_of = |code: &str| app.services.db.read(|c| store::org::officer_by_code(c, code)).unwrap().unwrap().id;
    assert_eq!(app.case_of(&receipt).handler_officer_id, Some(head_of("X-PHUOCHUNG-01")));
    let run = |at: DateTime<Utc>| {
        let s = app.services.clone();
        let m = m.clone();
        async move { hailong::jobs::run_once(&s, &m, at).await.unwrap() }
    };
    // Nothing due yet; at 75 % of the hour a reminder; a second run at the same instant adds nothing.
    assert_eq!(run(t0 + Duration::minutes(10)).await.tick.due, 0);
    assert_eq!(run(t0 + Duration::minutes(46)).await.tick.reminders, 1);
    assert_eq!(run(t0 + Duration::minutes(47)).await.tick.reminders, 0);
    // The hour passes: up to the district chairman, who gets new clocks.
    let r = run(t0 + Duration::minutes(61)).await;
    assert_eq!(r.tick.escalations, 1);
    let case = app.case_of(&receipt);
    assert_eq!((case.level, case.handler_officer_id), (1, Some(head_of("TP-01"))));
    // The district's Phòng Nội vụ works under the district chairman: an escalation never goes below
    // the handler it leaves, so he is the top. After a day of downtime: once "overdue at the top
    // level", not once per missed tick; then nothing more.
    let r = run(t0 + Duration::hours(25)).await;
    assert_eq!((r.tick.escalations, r.tick.reminders, r.tick.at_top), (0, 0, 1));
    let case = app.case_of(&receipt);
    assert_eq!((case.level, case.handler_officer_id), (1, Some(head_of("TP-01"))));
    assert_eq!(run(t0 + Duration::hours(60)).await.tick.due, 0);
    assert!(app.case_of(&receipt).next_timer_at.is_none());

    let kinds = app.events(id);
    let count = |k: &str| kinds.iter().filter(|x| *x == k).count();
    assert_eq!((count("reminder"), count("escalated"), count("overdue_at_top")), (1, 1, 1), "{kinds:?}");
    // Each stage's emails exactly once; the previous handler is told the case moved.
    let mails = app.services.db.read(|c| store::outbox::for_case(c, id)).unwrap();
    let mut keys: Vec<&str> = mails.iter().map(|m| m.dedupe_key.as_str()).collect();
    keys.sort();
    let before = keys.len();
    keys.dedup();
    assert_eq!(before, keys.len());
    let kinds: Vec<&str> = mails.iter().map(|m| m.kind.as_str()).collect();
    for k in ["new_case", "ack_reminder", "escalated_to", "escalated_from", "top_overdue"] {
        assert!(kinds.contains(&k), "{k} missing from {kinds:?}");
    }
    assert_eq!(kinds.iter().filter(|k| **k == "escalated_to").count(), 1);
    // The commune head handled it before and heads the desk's unit: one email for the escalation,
    // with the missed deadline as its reason and the notice that they are kept informed.
    let commune_head = app.officer_email("X-PHUOCHUNG-01");
    let at_escalation: Vec<_> =
        mails.iter().filter(|m| m.recipient == commune_head && m.dedupe_key.contains(":s1:")).collect();
    assert_eq!(at_escalation.len(), 1, "{:?}", at_escalation.iter().map(|m| &m.dedupe_key).collect::<Vec<_>>());
    assert_eq!(at_escalation[0].kind, "escalated_from");
    assert!(at_escalation[0].body_text.contains("do quá thời hạn xử lý"), "{}", at_escalation[0].body_text);
    assert!(at_escalation[0].body_text.contains("Thông báo để ông/bà biết"));
    // The accused never got a thing.
    let accused = app.officer_email("X-PHUOCHUNG-03");
    assert!(mails.iter().all(|m| m.recipient != accused));
    app.stop().await;
}

async fn waiting_for_the_citizen_pauses_the_clock(backend: Backend) {
    let sink = SmtpSink::start();
    let app = TestApp::demo_with(&backend, smtp_setup(sink.port())).await;
    let m = app.mailer();
    let receipt = app
        .report(
            "MC-DIEUTRI",
            &[
                ("overall", "1"),
                ("report_category", "delay"),
                ("report_description", "Hồ sơ chứng thực trễ hẹn hai tuần, không ai giải thích."),
                ("report_contact_email", "dan2@example.com"),
                ("report_contact_consent", "yes"),
            ],
        )
        .await;
    app.send_mail(&m, Utc::now()).await;
    // The handler's email, and the citizen's confirmation.
    let first: Vec<Parsed> = sink.wait_for(2, StdDuration::from_secs(10)).await.iter().map(|r| r.parse()).collect();
    let staff = first.iter().find(|p| !p.to.iter().any(|t| t == "dan2@example.com")).unwrap();
    let link = link_in(staff, &app.base);
    let c = client();
    let before = app.case_of(&receipt);
    let r = act(&c, &link, &[("action", "request_info"), ("text", "Ông/bà nộp hồ sơ ngày nào, tại quầy nào?")]).await;
    assert_eq!(r.status(), 303);
    let waiting = app.case_of(&receipt);
    assert_eq!(waiting.status.as_str(), "waiting_citizen");
    assert!(waiting.next_timer_at.is_none(), "no timers while paused");
    app.send_mail(&m, Utc::now()).await;
    let msgs: Vec<Parsed> = sink.wait_for(3, StdDuration::from_secs(10)).await.iter().map(|r| r.parse()).collect();
    assert!(message_to(&msgs, "dan2@example.com", "bổ sung thông tin").text.contains("nộp hồ sơ ngày nào"));

    // The citizen answers on the tracking page (after a pause of a couple of seconds).
    std::thread::sleep(StdDuration::from_millis(1100));
    let page = app.track(&c, &receipt).await.text().await.unwrap();
    assert!(page.contains("nộp hồ sơ ngày nào"));
    let form = hidden(&page, "form");
    let short = c
        .post(app.url(&format!("/t/{receipt}/reply")))
        .form(&[("form", form.as_str()), ("text", "hôm qua")])
        .send()
        .await
        .unwrap();
    assert_eq!(short.status(), 422);
    let r = c
        .post(app.url(&format!("/t/{receipt}/reply")))
        .form(&[("form", form.as_str()), ("text", "Nộp ngày 10/11 tại quầy số 2.")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    // Replaying the same form is refused.
    let again = c
        .post(app.url(&format!("/t/{receipt}/reply")))
        .form(&[("form", form.as_str()), ("text", "Nộp ngày 10/11 tại quầy số 2.")])
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), 409);
    let resumed = app.case_of(&receipt);
    assert_eq!(resumed.status.as_str(), "acknowledged");
    assert!(resumed.paused_seconds >= 1);
    // The deadlines moved later by the paused time.
    assert!(
        resumed.resolve_due_at.unwrap() >= before.resolve_due_at.unwrap() + Duration::seconds(resumed.paused_seconds)
    );
    assert!(resumed.next_timer_at.is_some());
    app.stop().await;
}

async fn a_dissatisfied_citizen_reopens_the_case_one_level_up(backend: Backend) {
    let sink = SmtpSink::start();
    let app = TestApp::demo_with(&backend, smtp_setup(sink.port())).await;
    let m = app.mailer();
    let receipt = app
        .report(
            "MC-PHUOCHOA",
            &[
                ("overall", "1"),
                ("report_category", "misconduct"),
                ("report_description", "Cán bộ hút thuốc và nói chuyện điện thoại khi tiếp dân."),
            ],
        )
        .await;
    app.send_mail(&m, Utc::now()).await;
    let first: Vec<Parsed> = sink.wait_for(1, StdDuration::from_secs(10)).await.iter().map(|r| r.parse()).collect();
    let link = link_in(&first[0], &app.base);
    let c = client();
    assert_eq!(
        act(&c, &link, &[("action", "resolve"), ("text", "Đã nhắc nhở cán bộ, cam kết không tái phạm.")])
            .await
            .status(),
        303
    );
    let page = app.track(&c, &receipt).await.text().await.unwrap();
    let form = hidden(&page, "form");
    // "Chưa hài lòng" first asks why (optionally) and for a confirmation; nothing changes yet.
    let r = c
        .post(app.url(&format!("/t/{receipt}/verdict")))
        .form(&[("form", form.as_str()), ("verdict", "not_satisfied")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let confirm = r.text().await.unwrap();
    assert!(confirm.contains("Xác nhận chưa hài lòng") && confirm.contains("name=\"reason\""));
    assert_eq!(app.case_of(&receipt).status.as_str(), "resolved");
    let reason = "Cán bộ vẫn hút thuốc khi tiếp dân sau ngày trả lời.";
    let form = hidden(&confirm, "form");
    let r = c
        .post(app.url(&format!("/t/{receipt}/verdict")))
        .form(&[("form", form.as_str()), ("verdict", "not_satisfied"), ("confirm", "yes"), ("reason", reason)])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    let case = app.case_of(&receipt);
    assert_eq!(case.status.as_str(), "reopened");
    let chairman = app.services.db.read(|c| store::org::officer_by_code(c, "TP-01")).unwrap().unwrap();
    assert_eq!((case.level, case.handler_officer_id), (1, Some(chairman.id)));
    let kinds = app.events(case.id);
    assert!(kinds.ends_with(&["citizen_not_satisfied".to_string(), "reopened".to_string()]), "{kinds:?}");
    // The earlier answer stays visible in the citizen's timeline, with their reason.
    let page = app.track(&c, &receipt).await.text().await.unwrap();
    assert!(page.contains("Đã nhắc nhở cán bộ, cam kết không tái phạm.") && page.contains(reason), "{page}");
    // The old link can no longer be used.
    let r = c.get(&link).send().await.unwrap();
    assert_eq!(r.status(), 410);
    assert!(r.text().await.unwrap().contains("không còn hiệu lực"));
    app.send_mail(&m, Utc::now()).await;
    let msgs: Vec<Parsed> = sink.wait_for(3, StdDuration::from_secs(10)).await.iter().map(|r| r.parse()).collect();
    let to_new = message_to(&msgs, chairman.email.as_deref().unwrap(), "chưa hài lòng");
    // The new handler reads the citizen's reason on the case page.
    let new_link = link_in(to_new, &app.base);
    assert!(c.get(&new_link).send().await.unwrap().text().await.unwrap().contains(reason));
    // The commune head handled it before and heads the desk's unit: one email for this moment,
    // giving the appeal as the reason and keeping them informed.
    let commune_head = app.officer_email("X-PHUOCHOA-01");
    let to_commune: Vec<&Parsed> = msgs[1..].iter().filter(|p| p.to.contains(&commune_head)).collect();
    assert_eq!(to_commune.len(), 1, "{:?}", msgs.iter().map(|p| (&p.to, &p.subject)).collect::<Vec<_>>());
    let text = &to_commune[0].text;
    assert!(text.contains("chưa hài lòng với kết quả xử lý") && !text.contains("quá thời hạn"), "{text}");
    assert!(text.contains("Thông báo để ông/bà biết"), "{text}");
    app.stop().await;
}

async fn the_officer_concerned_explains_without_seeing_who_reported(backend: Backend) {
    let sink = SmtpSink::start();
    let app = TestApp::demo_with(&backend, smtp_setup(sink.port())).await;
    let m = app.mailer();
    let receipt = app
        .report(
            "MC-PHUOCHUNG",
            &[
                ("overall", "1"),
                ("report_category", "harassment"),
                ("report_description", "Cán bộ quát tháo, bắt về nhà lấy thêm giấy tờ không cần thiết."),
                ("report_officer", "X-PHUOCHUNG-03"),
                ("report_contact_name", "Lê Thị Mai"),
                ("report_contact_phone", "0912345678"),
                ("report_contact_consent", "yes"),
            ],
        )
        .await;
    app.send_mail(&m, Utc::now()).await;
    let head = app.officer_email("X-PHUOCHUNG-01");
    let msgs: Vec<Parsed> = sink.wait_for(2, StdDuration::from_secs(10)).await.iter().map(|r| r.parse()).collect();
    let link = link_in(message_to(&msgs, &head, "Phản ánh mới"), &app.base);
    let c = client();
    assert_eq!(act(&c, &link, &[("action", "request_explanation")]).await.status(), 303);
    app.send_mail(&m, Utc::now()).await;
    let staff = app.officer_email("X-PHUOCHUNG-03");
    let msgs: Vec<Parsed> = sink.wait_for(3, StdDuration::from_secs(10)).await.iter().map(|r| r.parse()).collect();
    let ask = message_to(&msgs, &staff, "Đề nghị giải trình");
    let theirs = link_in(ask, &app.base);
    let page = c.get(&theirs).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("quát tháo"), "they read what is alleged");
    for secret in ["Lê Thị Mai", "0912345678", &receipt] {
        assert!(!page.contains(secret), "the officer concerned sees {secret}");
    }
    // They can explain, not act on the case.
    let r = act(&c, &theirs, &[("action", "acknowledge")]).await;
    assert_eq!(r.status(), 409);
    let r = act(
        &c,
        &theirs,
        &[("action", "explain"), ("text", "Hôm đó hồ sơ thiếu bản sao sổ hộ khẩu nên tôi hướng dẫn bổ sung.")],
    )
    .await;
    assert_eq!(r.status(), 303);
    assert!(app.events(app.case_of(&receipt).id).contains(&"explanation_received".to_string()));
    let handler_page = c.get(&link).send().await.unwrap().text().await.unwrap();
    assert!(handler_page.contains("thiếu bản sao sổ hộ khẩu"));
    app.stop().await;
}

async fn forwarding_moves_the_case_to_another_unit(backend: Backend) {
    let sink = SmtpSink::start();
    let app = TestApp::demo_with(&backend, smtp_setup(sink.port())).await;
    let m = app.mailer();
    let receipt = app
        .report(
            "MC-TP",
            &[
                ("overall", "1"),
                ("report_category", "other"),
                ("report_description", "Thủ tục chứng thực hợp đồng mất quá nhiều thời gian."),
            ],
        )
        .await;
    app.send_mail(&m, Utc::now()).await;
    let msgs: Vec<Parsed> = sink.wait_for(1, StdDuration::from_secs(10)).await.iter().map(|r| r.parse()).collect();
    let link = link_in(&msgs[0], &app.base);
    let c = client();
    let r =
        act(&c, &link, &[("action", "forward"), ("unit", "TP-TP"), ("text", "Chứng thực thuộc Phòng Tư pháp.")]).await;
    assert_eq!(r.status(), 303);
    let justice = app.services.db.read(|c| store::org::officer_by_code(c, "TP-TP-01")).unwrap().unwrap();
    let case = app.case_of(&receipt);
    assert_eq!(case.handler_officer_id, Some(justice.id));
    assert!(app.events(case.id).contains(&"forwarded".to_string()));
    // A forward to an unknown unit is a clear error and changes nothing.
    app.send_mail(&m, Utc::now()).await;
    let msgs: Vec<Parsed> = sink.wait_for(2, StdDuration::from_secs(10)).await.iter().map(|r| r.parse()).collect();
    let new_link = link_in(message_to(&msgs, justice.email.as_deref().unwrap(), "chuyển tới đơn vị"), &app.base);
    let n = app.case_of(&receipt).event_count;
    let r =
        act(&c, &new_link, &[("action", "forward"), ("unit", "KHONG-CO"), ("text", "Thử chuyển đơn vị sai.")]).await;
    assert_eq!(r.status(), 422);
    assert!(r.text().await.unwrap().contains("KHONG-CO"));
    assert_eq!(app.case_of(&receipt).event_count, n);
    app.stop().await;
}

/// A report about the district chairman, the top of the 2021 organisation, whose only oversight
/// office (Phòng Nội vụ) works under him: nobody independent can handle it. The operator and the
/// nearest independent oversight body on the desk's chain are told, the gauge shows it, and the
/// operator assigns it by hand (refused for a unit under the accused).
async fn an_unroutable_case_is_told_to_oversight_and_operator_and_assigned_by_hand(backend: Backend) {
    let sink = SmtpSink::start();
    let app = TestApp::demo_with(&backend, |c| {
        smtp_setup(sink.port())(c);
        c.alerts.operator_email = Some("quantri@tuyphuoc.example".into());
    })
    .await;
    // A provincial inspectorate outside the district oversees one commune; the district chairman
    // receives citizens at that commune's desk on Fridays.
    let extra = r#"
[[units]]
code = "BD-TTR"
name = "Thanh tra tỉnh Bình Định"
kind = "Thanh tra tỉnh"
email = "thanhtra@binhdinh.example"

[[officers]]
code = "BD-TTR-01"
name = "Võ Thành Nhân"
title = "Chánh Thanh tra tỉnh"
email = "chanhthanhtra@binhdinh.example"
unit = "BD-TTR"
role = "head"

[[units]]
code = "X-PHUOCHUNG"
name = "UBND xã Phước Hưng"
kind = "UBND xã"
parent = "TP"
email = "phuochung@tuyphuoc.example"
oversight = "BD-TTR"

[[roster]]
desk = "MC-PHUOCHUNG"
officer = "TP-01"
days = "Fri"
"#;
    hailong::service::org::import_text(&app.services, extra, "extra.toml", false).unwrap();
    let receipt = app
        .report(
            "MC-PHUOCHUNG",
            &[
                ("overall", "1"),
                ("report_category", "harassment"),
                ("report_description", "Chủ tịch huyện quát tháo người dân khi tiếp dân tại xã."),
                ("report_officer", "TP-01"),
            ],
        )
        .await;
    let case = app.case_of(&receipt);
    assert_eq!(case.handler_unit_id, None, "nobody under the accused handles it");
    assert!(app.events(case.id).contains(&"routing_failed".to_string()));
    let m = app.mailer();
    app.send_mail(&m, Utc::now()).await;
    let msgs: Vec<Parsed> = sink.wait_for(2, StdDuration::from_secs(10)).await.iter().map(|r| r.parse()).collect();
    let number = case.number();
    let alert = message_to(&msgs, "quantri@tuyphuoc.example", &number);
    assert!(alert.text.contains(&format!("hailong case assign {number}")), "{}", alert.text);
    message_to(&msgs, "chanhthanhtra@binhdinh.example", "chưa có người xử lý độc lập");
    for p in &msgs {
        assert!(
            !p.to
                .iter()
                .any(|t| t.contains("noivu") || t.ends_with("tuyphuoc.example") && t != "quantri@tuyphuoc.example"),
            "{:?}",
            p.to
        );
    }
    let metrics = client().get(app.url("/metrics")).send().await.unwrap().text().await.unwrap();
    assert!(metrics.contains("hailong_cases_unrouted 1"), "{metrics}");
    assert_eq!(hailong::service::cases::unrouted(&app.services).unwrap()[0].number, number);
    // The district's Nội vụ office works under the accused: refused, nothing changes.
    let refused = hailong::service::cases::assign_by_hand(&app.services, &number, "TP-NV", Utc::now());
    assert!(refused.is_err(), "{refused:?}");
    assert_eq!(app.case_of(&receipt).event_count, case.event_count);
    let done = hailong::service::cases::assign_by_hand(&app.services, &number, "BD-TTR", Utc::now()).unwrap();
    assert_eq!(done.handler.as_deref(), Some("Võ Thành Nhân"));
    let case = app.case_of(&receipt);
    assert!(case.handler_unit_id.is_some());
    assert!(app.events(case.id).ends_with(&["assigned".to_string()]));
    let metrics = client().get(app.url("/metrics")).send().await.unwrap().text().await.unwrap();
    assert!(metrics.contains("hailong_cases_unrouted 0"), "{metrics}");
    app.send_mail(&m, Utc::now()).await;
    let msgs: Vec<Parsed> = sink.wait_for(3, StdDuration::from_secs(10)).await.iter().map(|r| r.parse()).collect();
    message_to(&msgs, "chanhthanhtra@binhdinh.example", "Phản ánh được giao xử lý");
    app.stop().await;
}

async fn smtp_down_then_back_delivers_exactly_once(backend: Backend) {
    let port = SmtpSink::free_port();
    let app = TestApp::demo_with(&backend, smtp_setup(port)).await;
    let m = app.mailer();
    let receipt = app
        .report(
            "MC-TP",
            &[
                ("overall", "1"),
                ("report_category", "delay"),
                ("report_description", "Chờ hơn một giờ mà chưa được tiếp nhận hồ sơ."),
            ],
        )
        .await;
    let id = app.case_of(&receipt).id;
    let t0 = Utc::now();
    // Nobody listens: the email stays queued, to be retried later.
    let r = app.send_mail(&m, t0).await;
    assert_eq!((r.sent, r.retrying, r.failed), (0, 1, 0), "{r:?}");
    let queued = app.services.db.read(|c| store::outbox::for_case(c, id)).unwrap();
    assert!(queued[0].sent_at.is_none() && queued[0].next_attempt_at > t0.naive_utc());
    // Monitoring sees it waiting.
    let metric = |text: &str, name: &str| -> f64 {
        let line = text.lines().find(|l| l.starts_with(name)).unwrap_or_else(|| panic!("no {name} in\n{text}"));
        line.rsplit(' ').next().unwrap().parse().unwrap()
    };
    let scrape = || async { client().get(app.url("/metrics")).send().await.unwrap().text().await.unwrap() };
    let text = scrape().await;
    assert_eq!(metric(&text, "hailong_outbox_emails{state=\"pending\"}"), 1.0);
    assert_eq!(metric(&text, "hailong_outbox_emails{state=\"failed\"}"), 0.0);
    assert!(metric(&text, "hailong_outbox_oldest_pending_seconds") > 0.0, "{text}");
    // Too early for the retry: nothing claimed.
    assert_eq!(app.send_mail(&m, t0 + Duration::seconds(10)).await.claimed, 0);
    // The server comes back; after the backoff the email goes out, once.
    let sink = SmtpSink::start_on(port);
    let r = app.send_mail(&m, t0 + Duration::minutes(2)).await;
    assert_eq!(r.sent, 1, "{r:?}");
    assert_eq!(app.send_mail(&m, t0 + Duration::hours(1)).await.claimed, 0);
    let got = sink.wait_for(1, StdDuration::from_secs(10)).await;
    std::thread::sleep(StdDuration::from_millis(300));
    assert_eq!(sink.messages().len(), 1);
    assert!(got[0].parse().subject.contains(&app.case_of(&receipt).number()));
    let text = scrape().await;
    assert_eq!(metric(&text, "hailong_outbox_emails{state=\"pending\"}"), 0.0);
    assert_eq!(metric(&text, "hailong_outbox_oldest_pending_seconds"), 0.0);
    app.stop().await;
}

async fn a_worker_that_dies_mid_send_resends_with_the_same_message_id(backend: Backend) {
    let sink = SmtpSink::start();
    let app = TestApp::demo_with(&backend, smtp_setup(sink.port())).await;
    let m = app.mailer();
    app.report(
        "MC-TP",
        &[
            ("overall", "1"),
            ("report_category", "delay"),
            ("report_description", "Chờ hơn một giờ mà chưa được tiếp nhận hồ sơ."),
        ],
    )
    .await;
    let now = Utc::now();
    // A worker claims the email and hands it to the server, then dies before marking it sent.
    let claimed = app
        .services
        .db
        .write(move |c| store::outbox::claim(c, now.naive_utc(), (now + Duration::minutes(5)).naive_utc(), 10))
        .unwrap();
    assert_eq!(claimed.len(), 1);
    let e = &claimed[0];
    let out = hailong::mail::Outgoing {
        message_id: hailong::mail::message_id_for(e.id, e.created_at, &app.services.config.public_url()),
        to: e.recipient.clone(),
        cc: vec![],
        subject: e.subject.clone(),
        text: e.body_text.clone(),
        html: e.body_html.clone(),
        attachments: vec![],
    };
    m.send(&app.services.config.mail.from, &out).await.unwrap();
    // While its lease runs, no other worker takes the row.
    assert_eq!(app.send_mail(&m, now + Duration::minutes(1)).await.claimed, 0);
    // After the lease, the row is sent again: at-least-once, with the same Message-ID.
    assert_eq!(app.send_mail(&m, now + Duration::minutes(6)).await.sent, 1);
    let got = sink.wait_for(2, StdDuration::from_secs(10)).await;
    let ids: Vec<String> = got.iter().map(|r| r.parse().message_id).collect();
    assert_eq!(ids[0], ids[1]);
    assert_eq!(app.send_mail(&m, now + Duration::hours(1)).await.claimed, 0);
    app.stop().await;
}

async fn the_log_detects_edits_deletions_and_truncation(backend: Backend) {
    let sink = SmtpSink::start();
    let tampering = [
        ("UPDATE case_events SET data = '{}' WHERE id = (SELECT MIN(id) FROM case_events)", "was altered"),
        ("DELETE FROM case_events WHERE id = (SELECT MAX(id) FROM case_events)", "deleted or altered"),
        ("UPDATE cases SET category = 'other', last_hash = 'x' WHERE id = 1", "deleted or altered"),
        ("DELETE FROM ledger WHERE seq = (SELECT MAX(seq) FROM ledger)", "ledger"),
        ("UPDATE ledger_head SET seq = seq - 1", "ledger head"),
        (
            "DELETE FROM outbox; DELETE FROM link_uses; DELETE FROM action_links; DELETE FROM case_texts; DELETE FROM case_contacts; DELETE FROM case_events WHERE case_id = 2; DELETE FROM ledger WHERE case_id = 2; DELETE FROM cases WHERE id = 2",
            "ledger",
        ),
    ];
    for (sql, needle) in tampering {
        let app = TestApp::demo_with(&backend, smtp_setup(sink.port())).await;
        for desk in ["MC-TP", "MC-DIEUTRI", "MC-PHUOCHUNG"] {
            app.report(
                desk,
                &[
                    ("overall", "1"),
                    ("report_category", "delay"),
                    ("report_description", "Hẹn lại nhiều lần mà không có lý do rõ ràng."),
                ],
            )
            .await;
        }
        let ok = hailong::service::audit::verify(&app.services).unwrap();
        assert_eq!(ok.broken, None);
        assert_eq!((ok.cases, ok.ledger), (3, 3));
        let (seq, head) = hailong::service::audit::head(&app.services).unwrap();
        assert_eq!((seq, head.len()), (3, 64));
        app.exec(sql);
        let bad = hailong::service::audit::verify(&app.services).unwrap();
        let broken = bad.broken.unwrap_or_else(|| panic!("verify passed after: {sql}"));
        assert!(broken.en.contains(needle), "{sql}: {}", broken.en);
        app.stop().await;
    }
}

async fn contact_details_are_erased_on_request_and_after_retention(backend: Backend) {
    let sink = SmtpSink::start();
    let app = TestApp::demo_with(&backend, smtp_setup(sink.port())).await;
    let with_contact = [
        ("overall", "1"),
        ("report_category", "delay"),
        ("report_description", "Hẹn lại nhiều lần mà không có lý do rõ ràng."),
        ("report_contact_phone", "0987654321"),
        ("report_contact_consent", "yes"),
    ];
    // Withdrawn on the tracking page: erased at once.
    let first = app.report("MC-TP", &with_contact).await;
    let c = client();
    let page = app.track(&c, &first).await.text().await.unwrap();
    let form = hidden(&page, "form");
    let r = c.post(app.url(&format!("/t/{first}/erase"))).form(&[("form", form.as_str())]).send().await.unwrap();
    assert_eq!(r.status(), 303);
    let id = app.case_of(&first).id;
    assert!(!app.services.db.read(|c| store::cases::has_contact(c, id)).unwrap());
    assert!(app.events(id).contains(&"contact_erased".to_string()));
    // Kept while open, erased the configured time after the case closes.
    let second = app.report("MC-DIEUTRI", &with_contact).await;
    let id = app.case_of(&second).id;
    let m = app.mailer();
    app.send_mail(&m, Utc::now()).await;
    let msgs: Vec<Parsed> = sink.wait_for(1, StdDuration::from_secs(10)).await.iter().map(|r| r.parse()).collect();
    let number = app.case_of(&second).number();
    let link = link_in(msgs.iter().find(|p| p.subject.contains(&number)).unwrap(), &app.base);
    assert_eq!(
        act(
            &c,
            &link,
            &[("action", "dismiss"), ("outcome", "duplicate"), ("text", "Trùng với phản ánh đã xử lý trước đó.")]
        )
        .await
        .status(),
        303
    );
    let now = Utc::now();
    assert_eq!(hailong::service::cases::purge(&app.services, now + Duration::days(179)).unwrap(), 0);
    assert_eq!(hailong::service::cases::purge(&app.services, now + Duration::days(181)).unwrap(), 1);
    assert!(!app.services.db.read(|c| store::cases::has_contact(c, id)).unwrap());
    // The log still verifies: events never held the contact details.
    assert_eq!(hailong::service::audit::verify(&app.services).unwrap().broken, None);
    app.stop().await;
}

/// A citizen who reported in English gets the answer in English, with the tracking link in English.
async fn a_citizen_who_wrote_in_english_is_answered_in_english(backend: Backend) {
    let sink = SmtpSink::start();
    let app = TestApp::demo_with(&backend, smtp_setup(sink.port())).await;
    let m = app.mailer();
    let token = app.desk_token("MC-DIEUTRI");
    let c = browser();
    let ft = app.open_form(&c, &token).await;
    let fields = [
        ("form_token", ft.as_str()),
        ("lang", "en"),
        ("overall", "1"),
        ("report_category", "delay"),
        ("report_description", "My file was promised three times and is still not ready."),
        ("report_contact_email", "visitor@example.com"),
        ("report_contact_consent", "yes"),
    ];
    let r = c.post(app.url(&format!("/q/{token}"))).form(&fields).send().await.unwrap();
    assert_eq!(r.status(), 303);
    let receipt = location(&r).trim_start_matches("/t/").split('?').next().unwrap().to_string();
    app.send_mail(&m, Utc::now()).await;
    let msgs: Vec<Parsed> = sink.wait_for(1, StdDuration::from_secs(10)).await.iter().map(|r| r.parse()).collect();
    // Staff emails stay in the officer's language (Vietnamese here).
    let to_handler = msgs.iter().find(|p| p.subject.contains("Phản ánh mới")).expect("the handler's email");
    let link = link_in(to_handler, &app.base);
    let answer = "We checked the file: it is ready today and the officer was reminded of the deadline.";
    assert_eq!(act(&client(), &link, &[("action", "resolve"), ("text", answer)]).await.status(), 303);
    app.send_mail(&m, Utc::now()).await;
    let all: Vec<Parsed> = sink.wait_for(2, StdDuration::from_secs(10)).await.iter().map(|r| r.parse()).collect();
    let to_citizen = message_to(&all, "visitor@example.com", "Your report has been answered");
    assert!(to_citizen.text.contains(answer) && to_citizen.text.contains(&receipt));
    assert!(to_citizen.text.contains(&format!("/t/{receipt}?lang=en")), "{}", to_citizen.text);
    assert!(!to_citizen.text.contains("Kết quả xử lý"), "{}", to_citizen.text);
    app.stop().await;
}

both_backends!(
    a_report_on_a_commune_head_goes_up_around_them,
    a_citizen_who_wrote_in_english_is_answered_in_english,
    escalation_climbs_every_level_once,
    waiting_for_the_citizen_pauses_the_clock,
    a_dissatisfied_citizen_reopens_the_case_one_level_up,
    the_officer_concerned_explains_without_seeing_who_reported,
    forwarding_moves_the_case_to_another_unit,
    smtp_down_then_back_delivers_exactly_once,
    a_worker_that_dies_mid_send_resends_with_the_same_message_id,
    the_log_detects_edits_deletions_and_truncation,
    contact_details_are_erased_on_request_and_after_retention,
    an_unroutable_case_is_told_to_oversight_and_operator_and_assigned_by_hand,
);

/// Two scheduler instances on one PostgreSQL database at once: every due case escalates exactly
/// once (`FOR UPDATE SKIP LOCKED`, and one notification per case, stage and kind).
#[test]
fn two_schedulers_on_postgres_escalate_each_case_once() {
    let Some(backend) = Backend::postgres_or_skip("it::cases::two_schedulers_on_postgres_escalate_each_case_once")
    else {
        return;
    };
    crate::support::block_on(async {
        let sink = SmtpSink::start();
        let app = TestApp::demo_with(&backend, |c| {
            smtp_setup(sink.port())(c);
            c.sla.acknowledge = "1h".parse().unwrap();
            c.jobs.batch = 7;
        })
        .await;
        let mut receipts = Vec::new();
        for i in 0..30 {
            // Commune desks: their cases escalate to the district (the district's own are at the top).
            let desk = ["MC-PHUOCHOA", "MC-DIEUTRI", "MC-PHUOCHUNG"][i % 3];
            receipts.push(
                app.report(
                    desk,
                    &[
                        ("overall", "1"),
                        ("report_category", "delay"),
                        ("report_description", "Hẹn lại nhiều lần mà không có lý do rõ ràng."),
                    ],
                )
                .await,
            );
        }
        // A second instance: its own pool and scheduler on the same database.
        let second = hailong::service::Services::open((*app.services.config).clone()).unwrap();
        let at = Utc::now() + Duration::hours(2);
        let threads: Vec<_> = [app.services.clone(), second]
            .into_iter()
            .map(|s| {
                std::thread::spawn(move || {
                    let mut total = 0;
                    loop {
                        let r = hailong::service::cases::tick(&s, at).unwrap();
                        total += r.escalations;
                        if r.due == 0 {
                            return total;
                        }
                    }
                })
            })
            .collect();
        let total: usize = threads.into_iter().map(|t| t.join().unwrap()).sum();
        assert_eq!(total, 30);
        for r in &receipts {
            let case = app.case_of(r);
            assert_eq!(case.level, 1, "{r}");
            assert_eq!(app.events(case.id).iter().filter(|k| *k == "escalated").count(), 1, "{r}");
        }
        app.stop().await;
    });
}
