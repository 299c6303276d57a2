//! The citizen's side over real HTTP, on both backends: form, rating, report, tracking, abuse
//! resistance, bad input.

use chrono::{Duration, Utc};
use hailong::domain::form_token;

use crate::support::{Backend, TestApp, browser, client, hidden, location};

fn local_now_minus(minutes: i64) -> (String, String) {
    let t = (Utc::now() - Duration::minutes(minutes)).with_timezone(&chrono_tz::Asia::Ho_Chi_Minh);
    (t.format("%Y-%m-%d").to_string(), t.format("%H:%M").to_string())
}

async fn form_shows_desk_officers_and_speaks_both_languages(backend: Backend) {
    let app = TestApp::demo(&backend).await;
    let token = app.desk_token("MC-PHUOCHUNG");
    let c = browser();
    let r = c.get(app.url(&format!("/q/{token}"))).send().await.unwrap();
    assert_eq!(r.status(), 200);
    assert!(r.headers().get_all("set-cookie").iter().any(|v| v.to_str().unwrap().starts_with("hl_b=")));
    let html = r.text().await.unwrap();
    assert!(html.len() < 30 * 1024, "page weight {} bytes", html.len());
    for needle in [
        "<html lang=\"vi\">",
        "UBND xã Phước Hưng",
        "Bộ phận Một cửa UBND xã Phước Hưng",
        "Rất hài lòng",
        "Chưa hài lòng",
        "Sớm hơn hẹn",
        "Xin chào",
        "Phản ánh hành vi cán bộ",
        "Không rõ",
        "name=\"form_token\"",
        "name=\"website\"",
    ] {
        assert!(html.contains(needle), "missing {needle}");
    }
    assert!(!html.contains("Không hài lòng"), "the official three-level wording is Chưa hài lòng");
    // No request to any other host: no absolute URLs in src/href/action.
    for attr in ["src=\"http", "href=\"http", "action=\"http", "@import", "url("] {
        assert!(!html.contains(attr), "found {attr}");
    }
    // Officers of the commune are offered; officers of other communes are not.
    assert!(html.contains("X-PHUOCHUNG-03"));
    assert!(!html.contains("X-PHUOCHOA-01"));
    let en = c.get(app.url(&format!("/q/{token}?lang=en"))).send().await.unwrap().text().await.unwrap();
    assert!(en.contains("<html lang=\"en\">") && en.contains("Very satisfied") && en.contains("Not satisfied"));
    let en =
        client().get(app.url(&format!("/q/{token}"))).header("accept-language", "en-US,en;q=0.8").send().await.unwrap();
    assert!(en.text().await.unwrap().contains("Rate this service"));
    // Tokens are case-insensitive: people type them from the poster.
    let r = client().get(app.url(&format!("/q/{}", token.to_lowercase()))).send().await.unwrap();
    assert_eq!(r.status(), 200);
    app.stop().await;
}

async fn plain_rating_is_stored_with_its_points(backend: Backend) {
    let app = TestApp::demo(&backend).await;
    let token = app.desk_token("MC-TP");
    let c = browser();
    let ft = app.open_form(&c, &token).await;
    let r = app
        .post_form(
            &c,
            &token,
            &ft,
            &[
                ("overall", "3"),
                ("q_on_time", "early"),
                ("q_returns", "1"),
                ("q_other_offices", "more"),
                ("q_extra_money", "no"),
                ("q_behaviour", "greet"),
                ("q_behaviour", "help"),
                ("officer", "TP-VP-04"),
                ("file_code", "000.00.15.H08-261120-0042"),
                ("comment", "Cán bộ hướng dẫn tận tình."),
            ],
        )
        .await;
    assert_eq!(r.status(), 303);
    assert!(location(&r).starts_with(&format!("/q/{token}/thanks")));
    let thanks = c.get(app.url(&location(&r))).send().await.unwrap().text().await.unwrap();
    assert!(thanks.contains("Cảm ơn"));
    assert!(!thanks.contains("PA-"), "a plain rating has nothing to track");
    assert_eq!(app.count("ratings"), 1);
    assert_eq!(app.count("cases"), 0);
    let rating = app.services.db.read(|c| hailong::store::feedback::get(c, 1)).unwrap();
    assert_eq!(rating.overall, 3);
    assert_eq!(rating.survey_version, app.services.survey.version);
    assert_eq!((rating.idx1, rating.idx3, rating.idx4, rating.idx7), (Some(2), Some(1), Some(0), Some(2)));
    assert_eq!(rating.file_code.as_deref(), Some("000.00.15.H08-261120-0042"));
    let answers: serde_json::Value = serde_json::from_str(&rating.answers).unwrap();
    assert_eq!(answers["behaviour"], serde_json::json!(["greet", "help"]));
    assert!(rating.browser_hash.is_some() && rating.ip_hash.is_some());
    assert!(!rating.ip_hash.as_deref().unwrap().contains("127.0.0.1"));
    app.stop().await;
}

async fn report_opens_a_case_with_a_receipt_to_track(backend: Backend) {
    let app = TestApp::demo(&backend).await;
    let token = app.desk_token("MC-PHUOCHUNG");
    let c = browser();
    let ft = app.open_form(&c, &token).await;
    let (date, time) = local_now_minus(30);
    let r = app
        .post_form(
            &c,
            &token,
            &ft,
            &[
                ("overall", "1"),
                ("report_category", "harassment"),
                ("report_description", "Cán bộ quát tháo, bắt tôi chờ cả buổi rồi hẹn hôm khác."),
                ("report_date", &date),
                ("report_time", &time),
                ("report_officer", "X-PHUOCHUNG-03"),
                ("report_contact_email", "nguoidan@example.com"),
                ("report_contact_consent", "yes"),
            ],
        )
        .await;
    assert_eq!(r.status(), 303, "{}", r.text().await.unwrap());
    let loc = location(&r);
    assert!(loc.starts_with("/t/PA-"), "{loc}");
    let receipt = loc.trim_start_matches("/t/").split('?').next().unwrap().to_string();
    let page = c.get(app.url(&loc)).send().await.unwrap().text().await.unwrap();
    assert!(page.contains(&receipt) && page.contains("Đã tiếp nhận") && page.contains("mã tiếp nhận"));
    // An email was left: the page no longer calls the receipt the only way to follow the report.
    assert!(page.contains("tới địa chỉ thư của ông/bà") && !page.contains("cách duy nhất"), "{page}");
    // Public-safe: no officer, no citizen.
    for name in ["X-PHUOCHUNG-03", "nguoidan@example.com"] {
        assert!(!page.contains(name), "tracking page shows {name}");
    }
    // One rating, one case, its events (received, routed), one ledger entry, sealed contact details.
    assert_eq!((app.count("ratings"), app.count("cases"), app.count("case_events"), app.count("ledger")), (1, 1, 2, 1));
    let case = app.services.db.read(|c| hailong::store::cases::by_receipt(c, &receipt)).unwrap().unwrap();
    assert_eq!(case.category.as_str(), "harassment");
    assert_eq!(case.status.as_str(), "received");
    assert_eq!(case.rating_id, Some(1));
    assert!(case.officer_id.is_some());
    let events = app.services.db.read(|c| hailong::store::cases::events(c, case.id)).unwrap();
    assert_eq!(events.iter().map(|e| e.kind.as_str()).collect::<Vec<_>>(), ["received", "routed"]);
    for e in &events {
        assert!(!e.data.contains("nguoidan") && !e.data.contains("quát tháo"), "the log holds no personal data");
    }
    assert_eq!(case.last_hash, events[1].hash);
    assert_eq!(events[1].prev_hash, events[0].hash);
    // Routed to the commune's head (the officer named is staff); harassment copies Phòng Nội vụ;
    // nothing goes to the officer named.
    let head = app.services.db.read(|c| hailong::store::org::officer_by_code(c, "X-PHUOCHUNG-01")).unwrap().unwrap();
    assert_eq!(case.handler_officer_id, Some(head.id));
    let mail = app.services.db.read(|c| hailong::store::outbox::for_case(c, case.id)).unwrap();
    let to: Vec<(&str, &str)> = mail.iter().map(|m| (m.kind.as_str(), m.recipient.as_str())).collect();
    assert!(to.contains(&("new_case", head.email.as_deref().unwrap())), "{to:?}");
    assert!(to.iter().any(|(k, r)| *k == "copy" && r.contains("noivu")), "{to:?}");
    let named = app.services.db.read(|c| hailong::store::org::officer_by_code(c, "X-PHUOCHUNG-03")).unwrap().unwrap();
    assert!(mail.iter().all(|m| Some(m.recipient.as_str()) != named.email.as_deref()));
    assert!(app.services.db.read(|c| hailong::store::cases::has_contact(c, case.id)).unwrap());
    // The harassment report sets the rating's attitude index to 0.
    assert_eq!(app.services.db.read(|c| hailong::store::feedback::get(c, 1)).unwrap().idx7, Some(0));
    // Typing the receipt in lower case without dashes finds it too.
    let typed = receipt.to_lowercase().replace('-', "");
    let r = client().get(app.url(&format!("/t?code={typed}"))).send().await.unwrap();
    assert_eq!(r.status(), 303);
    assert!(location(&r).starts_with(&format!("/t/{receipt}")));
    // An unknown receipt: a 404 page.
    let r = client().get(app.url("/t/PA-2222-3333")).send().await.unwrap();
    assert_eq!(r.status(), 404);
    assert!(r.text().await.unwrap().contains("Không tìm thấy mã tiếp nhận"));
    app.stop().await;
}

async fn answers_alone_open_cases_the_most_serious_winning(backend: Backend) {
    let app = TestApp::demo(&backend).await;
    let token = app.desk_token("MC-DIEUTRI");
    let cases = [
        (vec![("overall", "2"), ("q_extra_money", "yes"), ("q_extra_documents", "yes")], Some("petty_corruption")),
        (vec![("overall", "2"), ("q_extra_documents", "yes")], Some("extra_documents")),
        (vec![("overall", "1"), ("comment", "Chờ quá lâu mà không ai hướng dẫn.")], Some("dissatisfied")),
        (vec![("overall", "1")], None),
        (vec![("overall", "3"), ("comment", "Tốt")], None),
    ];
    for (fields, expected) in cases {
        let c = browser();
        let ft = app.open_form(&c, &token).await;
        let before = app.count("cases");
        let r = app.post_form(&c, &token, &ft, &fields).await;
        assert_eq!(r.status(), 303);
        match expected {
            Some(cat) => {
                let loc = location(&r);
                let receipt = loc.trim_start_matches("/t/").split('?').next().unwrap();
                let case = app.services.db.read(|c| hailong::store::cases::by_receipt(c, receipt)).unwrap().unwrap();
                assert_eq!(case.category.as_str(), cat, "{fields:?}");
            }
            None => assert_eq!(app.count("cases"), before, "{fields:?}"),
        }
    }
    app.stop().await;
}

async fn bad_input_is_named_kept_and_stores_nothing(backend: Backend) {
    let app = TestApp::demo_with(&backend, |c| c.citizen.ip_per_minute = 1000).await;
    let token = app.desk_token("MC-TP");
    let c = browser();
    let ft = app.open_form(&c, &token).await;
    let (date, time) = local_now_minus(10);
    let long = "x".repeat(2001);
    // (fields posted, the field the error names, words of its message)
    type Case<'a> = (Vec<(&'a str, &'a str)>, &'a str, &'a str);
    let cases: Vec<Case> = vec![
        (vec![("comment", "không chọn mức hài lòng")], "overall", "Vui lòng chọn mức độ hài lòng."),
        (vec![("overall", "9")], "overall", "từ 1 đến 3"),
        (vec![("overall", "2"), ("q_on_time", "tomorrow")], "q_on_time", "không có trong câu hỏi"),
        (vec![("overall", "2"), ("officer", "X-PHUOCHOA-01")], "officer", "không làm việc tại quầy này"),
        (vec![("overall", "2"), ("file_code", "hồ sơ 123")], "file_code", "000.00.15.H08"),
        (vec![("overall", "2"), ("comment", &long)], "comment", "Tối đa 2.000 ký tự (hiện có 2.001)."),
        (
            vec![("overall", "2"), ("report_category", "harassment"), ("report_description", "ngắn")],
            "report_description",
            "ít nhất 10",
        ),
        (
            vec![
                ("overall", "2"),
                ("report_category", "bribes"),
                ("report_description", "Một mô tả đủ dài để hợp lệ."),
            ],
            "report_category",
            "không có trong danh sách",
        ),
        (
            vec![
                ("overall", "2"),
                ("report_category", "delay"),
                ("report_description", "Một mô tả đủ dài để hợp lệ."),
                ("report_date", "2025-01-01"),
                ("report_time", &time),
            ],
            "report_occurred_at",
            "90 ngày",
        ),
        (
            vec![
                ("overall", "2"),
                ("report_category", "delay"),
                ("report_description", "Một mô tả đủ dài để hợp lệ."),
                ("report_date", &date),
                ("report_time", &time),
                ("report_contact_phone", "0912345678"),
            ],
            "report_contact_consent",
            "đánh dấu đồng ý",
        ),
        (
            vec![
                ("overall", "2"),
                ("report_category", "delay"),
                ("report_description", "Một mô tả đủ dài để hợp lệ."),
                ("report_contact_email", "not-an-email"),
                ("report_contact_consent", "yes"),
            ],
            "report_contact_email",
            "không hợp lệ",
        ),
    ];
    for (fields, field, message) in cases {
        let r = app.post_form(&c, &token, &ft, &fields).await;
        assert_eq!(r.status(), 422, "{field}");
        let html = r.text().await.unwrap();
        assert!(html.contains(&format!("href=\"#{field}\"")), "{field}: no error link");
        assert!(html.contains(message), "{field}: no message {message:?}");
        // The summary names the field before its message.
        let summary = html.split("id=\"errors\"").nth(1).unwrap_or("").split("</ul>").next().unwrap_or("");
        assert!(summary.contains(": "), "{field}: the summary does not name the field: {summary}");
        assert!(!html.contains("bạn"), "citizens are addressed as ông/bà");
        if field == "report_contact_email" {
            assert!(!html.contains("ghi số điện thoại hoặc địa chỉ thư"), "a malformed email is one problem, not two");
        }
        // The citizen's other answers are kept.
        for (k, v) in &fields {
            if *k == "comment" && v.len() > 100 {
                continue;
            }
            if *k == "overall" && *v == "2" {
                assert!(html.contains("value=\"2\" checked"), "{field}: overall not kept");
            }
            if *k == "report_description" {
                assert!(html.contains(v), "{field}: description not kept");
            }
        }
    }
    // HTML typed by a citizen is shown as text.
    let r = app.post_form(&c, &token, &ft, &[("comment", "<script>alert(1)</script>")]).await;
    let html = r.text().await.unwrap();
    assert!(!html.contains("<script>alert(1)</script>"));
    assert!(html.contains("&#60;script&#62;alert(1)") || html.contains("&lt;script&gt;alert(1)"));
    assert_eq!((app.count("ratings"), app.count("cases")), (0, 0), "bad input stored something");
    app.stop().await;
}

async fn form_token_missing_tampered_or_expired(backend: Backend) {
    let app = TestApp::demo(&backend).await;
    let token = app.desk_token("MC-TP");
    let c = browser();
    let ft = app.open_form(&c, &token).await;
    // Missing or tampered: a clear error page, nothing stored.
    let r = c.post(app.url(&format!("/q/{token}"))).form(&[("overall", "3")]).send().await.unwrap();
    assert_eq!(r.status(), 400);
    assert!(r.text().await.unwrap().contains("Không gửi được biểu mẫu"));
    let tampered = format!("{}x", &ft[..ft.len() - 1]);
    assert_eq!(app.post_form(&c, &token, &tampered, &[("overall", "3")]).await.status(), 400);
    // A token for another desk does not work here.
    let other = app.desk_token("MC-DIEUTRI");
    let other_ft = app.open_form(&c, &other).await;
    assert_eq!(app.post_form(&c, &token, &other_ft, &[("overall", "3")]).await.status(), 400);
    // Expired: the form comes back with the answers and a fresh token.
    let desk_id = app.services.db.read(|c| hailong::store::org::desk_by_code(c, "MC-TP")).unwrap().unwrap().id;
    let old = form_token::issue(&app.services.secret.derive("form"), desk_id, Utc::now() - Duration::hours(5));
    let r = app.post_form(&c, &token, &old, &[("overall", "2"), ("comment", "Giữ lại câu trả lời này")]).await;
    assert_eq!(r.status(), 422);
    let html = r.text().await.unwrap();
    assert!(
        html.contains("vẫn được giữ nguyên")
            && html.contains("Giữ lại câu trả lời này")
            && html.contains("value=\"2\" checked")
    );
    let fresh = hidden(&html, "form_token");
    assert_ne!(fresh, old);
    assert_eq!(app.count("ratings"), 0);
    // Sending again with the fresh token works.
    let r = app.post_form(&c, &token, &fresh, &[("overall", "2"), ("comment", "Giữ lại câu trả lời này")]).await;
    assert_eq!(r.status(), 303);
    assert_eq!(app.count("ratings"), 1);
    app.stop().await;
}

async fn http_error_classes(backend: Backend) {
    let app = TestApp::demo(&backend).await;
    let token = app.desk_token("MC-TP");
    let c = browser();
    let ft = app.open_form(&c, &token).await;
    // Oversized body: 413, nothing stored.
    let huge = "y".repeat(70 * 1024);
    let r = app.post_form(&c, &token, &ft, &[("overall", "3"), ("comment", &huge)]).await;
    assert_eq!(r.status(), 413);
    assert!(r.text().await.unwrap().contains("Nội dung quá dài"));
    // Unknown token: 404 page. Wrong method: 405.
    let r = client().get(app.url("/q/ABCDEFGHJKLMN")).send().await.unwrap();
    assert_eq!(r.status(), 404);
    assert!(r.text().await.unwrap().contains("Không tìm thấy trang"));
    let r = client().put(app.url(&format!("/q/{token}"))).send().await.unwrap();
    assert_eq!(r.status(), 405);
    let r = client().delete(app.url("/t/PA-2222-3333")).send().await.unwrap();
    assert_eq!(r.status(), 405);
    // An inactive desk: 410.
    app.exec("UPDATE desks SET active = FALSE WHERE code = 'MC-DIEUTRI'");
    let r = client().get(app.url(&format!("/q/{}", app.desk_token("MC-DIEUTRI")))).send().await.unwrap();
    assert_eq!(r.status(), 410);
    assert!(r.text().await.unwrap().contains("ngừng hoạt động"));
    assert_eq!(app.count("ratings"), 0);
    app.stop().await;
}

async fn rotated_token_answers_gone(backend: Backend) {
    let app = TestApp::demo(&backend).await;
    let old = app.desk_token("MC-PHUOCHOA");
    let url = hailong::service::desk::rotate(&app.services, "MC-PHUOCHOA", Utc::now()).unwrap();
    let new = app.desk_token("MC-PHUOCHOA");
    assert_ne!(old, new);
    assert!(url.ends_with(&format!("/q/{new}")));
    let r = client().get(app.url(&format!("/q/{old}"))).send().await.unwrap();
    assert_eq!(r.status(), 410);
    let html = r.text().await.unwrap();
    assert!(html.contains("Mã QR này đã được thay") && html.contains("quét mã QR đang dán tại quầy"));
    assert_eq!(client().get(app.url(&format!("/q/{new}"))).send().await.unwrap().status(), 200);
    // A POST to the old code stores nothing either.
    let r = client().post(app.url(&format!("/q/{old}"))).form(&[("overall", "3")]).send().await.unwrap();
    assert_eq!(r.status(), 410);
    assert_eq!(app.count("ratings"), 0);
    app.stop().await;
}

async fn rate_limits_answer_429_with_retry_after(backend: Backend) {
    let app = TestApp::demo_with(&backend, |c| {
        c.citizen.ip_per_minute = 2;
        c.citizen.track_per_minute = 2;
    })
    .await;
    let token = app.desk_token("MC-TP");
    for i in 0..3 {
        let c = browser();
        let ft = app.open_form(&c, &token).await;
        let r = app.post_form(&c, &token, &ft, &[("overall", "3")]).await;
        if i < 2 {
            assert_eq!(r.status(), 303);
        } else {
            assert_eq!(r.status(), 429);
            let wait: u64 = r.headers()["retry-after"].to_str().unwrap().parse().unwrap();
            assert!((1..=60).contains(&wait));
            assert!(r.text().await.unwrap().contains("Quá nhiều yêu cầu"));
        }
    }
    assert_eq!(app.count("ratings"), 2);
    let statuses: Vec<u16> = {
        let mut v = Vec::new();
        for _ in 0..3 {
            v.push(client().get(app.url("/t/PA-2222-3333")).send().await.unwrap().status().as_u16());
        }
        v
    };
    assert_eq!(statuses, [404, 404, 429], "receipt lookups are rate-limited");
    app.stop().await;
}

async fn same_browser_within_ten_minutes_replaces_unless_a_case(backend: Backend) {
    let app = TestApp::demo(&backend).await;
    let token = app.desk_token("MC-TP");
    let c = browser();
    let ft = app.open_form(&c, &token).await;
    assert_eq!(app.post_form(&c, &token, &ft, &[("overall", "1")]).await.status(), 303);
    assert_eq!(app.post_form(&c, &token, &ft, &[("overall", "3")]).await.status(), 303);
    assert_eq!(app.count("ratings"), 1, "the second rating replaced the first");
    let r = app.services.db.read(|c| hailong::store::feedback::get(c, 1)).unwrap();
    assert_eq!((r.overall, r.revisions), (3, 1));
    // Another browser adds its own.
    let other = browser();
    let ft2 = app.open_form(&other, &token).await;
    assert_eq!(app.post_form(&other, &token, &ft2, &[("overall", "2")]).await.status(), 303);
    assert_eq!(app.count("ratings"), 2);
    // A rating that opened a case is never replaced.
    let r = app.post_form(&c, &token, &ft, &[("overall", "2"), ("q_extra_money", "yes")]).await;
    assert!(location(&r).starts_with("/t/"));
    assert_eq!(app.count("ratings"), 2, "replaced the plain rating, now with a case");
    assert_eq!(app.post_form(&c, &token, &ft, &[("overall", "3")]).await.status(), 303);
    assert_eq!(app.count("ratings"), 3, "the case's rating was kept; a new one was added");
    assert_eq!(app.count("cases"), 1);
    // Outside the window: a new rating. (Age the stored ones by 11 minutes.)
    let aged = (Utc::now() - Duration::minutes(11)).naive_utc().format("%Y-%m-%d %H:%M:%S");
    app.exec(&format!("UPDATE ratings SET updated_at = '{aged}'"));
    assert_eq!(app.post_form(&c, &token, &ft, &[("overall", "3")]).await.status(), 303);
    assert_eq!(app.count("ratings"), 4);
    app.stop().await;
}

async fn a_case_commits_with_its_rating_or_not_at_all(backend: Backend) {
    let app = TestApp::demo(&backend).await;
    let token = app.desk_token("MC-TP");
    // Break the last step of the transaction (the ledger append): nothing of the report may stay.
    app.exec("DELETE FROM ledger_head");
    let c = browser();
    let ft = app.open_form(&c, &token).await;
    let fields =
        [("overall", "1"), ("report_category", "delay"), ("report_description", "Hẹn lại ba lần vẫn chưa có kết quả.")];
    let r = app.post_form(&c, &token, &ft, &fields).await;
    assert_eq!(r.status(), 500);
    assert!(r.text().await.unwrap().contains("chưa lưu được"));
    assert_eq!((app.count("ratings"), app.count("cases"), app.count("case_events"), app.count("ledger")), (0, 0, 0, 0));
    assert_eq!((app.count("outbox"), app.count("action_links")), (0, 0));
    // Repaired, the same submission goes through whole.
    app.exec("INSERT INTO ledger_head (id, seq, hash) VALUES (1, 0, '')");
    let r = app.post_form(&c, &token, &ft, &fields).await;
    assert_eq!(r.status(), 303);
    assert_eq!((app.count("ratings"), app.count("cases"), app.count("case_events"), app.count("ledger")), (1, 1, 2, 1));
    assert!(app.count("outbox") >= 1, "the case's emails commit with it");
    app.stop().await;
}

async fn outside_opening_hours_is_marked(backend: Backend) {
    // The always-open calendar: no holiday of the real calendar may fall on the day the test runs.
    let app = TestApp::demo_with(&backend, |c| c.sla.default_calendar = "24x7".into()).await;
    let token = app.desk_token("MC-TP");
    let today = Utc::now().with_timezone(&chrono_tz::Asia::Ho_Chi_Minh).format("%a").to_string();
    let other_day = if today == "Mon" { "Tue" } else { "Mon" };
    for (hours, outside) in [("Mon-Sun 00:00-24:00".to_string(), false), (format!("{other_day} 00:00-24:00"), true)] {
        app.exec(&format!("UPDATE desks SET hours = '{hours}' WHERE code = 'MC-TP'"));
        let c = browser();
        let ft = app.open_form(&c, &token).await;
        assert_eq!(app.post_form(&c, &token, &ft, &[("overall", "3")]).await.status(), 303);
        let id = app.count("ratings");
        let r = app.services.db.read(|c| hailong::store::feedback::get(c, id)).unwrap();
        assert_eq!(r.outside_hours, outside, "{hours}");
    }
    app.stop().await;
}

async fn honeypot_stores_nothing(backend: Backend) {
    let app = TestApp::demo(&backend).await;
    let token = app.desk_token("MC-TP");
    let c = browser();
    let ft = app.open_form(&c, &token).await;
    let r = app.post_form(&c, &token, &ft, &[("overall", "3"), ("website", "http://spam.example")]).await;
    assert_eq!(r.status(), 303);
    assert_eq!(app.count("ratings"), 0);
    let metrics = client().get(app.url("/metrics")).send().await.unwrap().text().await.unwrap();
    assert!(metrics.contains("hailong_spam_rejected_total{reason=\"honeypot\"} 1"));
    app.stop().await;
}

both_backends!(
    form_shows_desk_officers_and_speaks_both_languages,
    plain_rating_is_stored_with_its_points,
    report_opens_a_case_with_a_receipt_to_track,
    answers_alone_open_cases_the_most_serious_winning,
    bad_input_is_named_kept_and_stores_nothing,
    form_token_missing_tampered_or_expired,
    http_error_classes,
    rotated_token_answers_gone,
    rate_limits_answer_429_with_retry_after,
    same_browser_within_ten_minutes_replaces_unless_a_case,
    a_case_commits_with_its_rating_or_not_at_all,
    outside_opening_hours_is_marked,
    honeypot_stores_nothing,
);
