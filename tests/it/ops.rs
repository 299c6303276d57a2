//! Operations endpoints over real HTTP.

use crate::support::{Backend, TestApp, client};

async fn health_and_readiness(backend: Backend) {
    let app = TestApp::spawn(&backend).await;
    let c = client();
    let r = c.get(app.url("/healthz")).send().await.unwrap();
    assert_eq!(r.status(), 200);
    let v: serde_json::Value = r.json().await.unwrap();
    assert_eq!(v["status"], "ok");

    let r = c.get(app.url("/readyz")).send().await.unwrap();
    assert_eq!(r.status(), 200);
    let v: serde_json::Value = r.json().await.unwrap();
    assert_eq!(v["status"], "ready");
    assert_eq!(v["pending_migrations"], 0);
    assert_eq!(v["database"], if app.db.is_postgres() { "postgres" } else { "sqlite" });

    // Metrics count what was served, by route pattern.
    let text = c.get(app.url("/metrics")).send().await.unwrap().text().await.unwrap();
    assert!(text.contains("hailong_http_requests_total{method=\"GET\",route=\"/readyz\",status=\"200\"} 1"), "{text}");

    // Unknown paths get the Vietnamese 404 page.
    let r = c.get(app.url("/no/such/page")).send().await.unwrap();
    assert_eq!(r.status(), 404);
    assert!(r.text().await.unwrap().contains("Không tìm thấy trang"));
    app.stop().await;
}

async fn readiness_reports_pending_migrations(backend: Backend) {
    let app = TestApp::spawn(&backend).await;
    // Forget the newest migration behind the server's back (as if this binary were newer than the
    // database): it must stop saying ready.
    app.exec(
        "DELETE FROM __diesel_schema_migrations WHERE version = (SELECT MAX(version) FROM __diesel_schema_migrations)",
    );
    let r = client().get(app.url("/readyz")).send().await.unwrap();
    assert_eq!(r.status(), 503);
    let v: serde_json::Value = r.json().await.unwrap();
    assert_eq!(v["status"], "not_ready");
    assert!(v["pending_migrations"].as_u64().unwrap() >= 1);
    app.stop().await;
}

async fn home_page_in_both_languages(backend: Backend) {
    let app = TestApp::spawn(&backend).await;
    let c = client();
    let vi = c.get(app.url("/")).send().await.unwrap();
    assert!(vi.headers()["content-security-policy"].to_str().unwrap().contains("default-src 'none'"));
    let vi = vi.text().await.unwrap();
    assert!(vi.contains("<html lang=\"vi\">") && vi.contains("Đánh giá sự hài lòng"), "{vi}");
    let en =
        c.get(app.url("/")).header("accept-language", "en-GB,en;q=0.9").send().await.unwrap().text().await.unwrap();
    assert!(en.contains("<html lang=\"en\">") && en.contains("Rate public services"));
    let forced =
        c.get(app.url("/?lang=vi")).header("accept-language", "en").send().await.unwrap().text().await.unwrap();
    assert!(forced.contains("<html lang=\"vi\">"));
    app.stop().await;
}

/// The demo's welcome text tells a newcomer, outside office hours, when non-urgent emails leave and
/// how to send them now; in office hours it does not.
async fn demo_welcome_explains_emails_held_until_office_hours(backend: Backend) {
    use chrono::TimeZone;
    let app = TestApp::spawn(&backend).await;
    // Saturday 28/11/2026 11:00 in Hà Nội; then Monday 30/11 09:00.
    let saturday = chrono::Utc.with_ymd_and_hms(2026, 11, 28, 4, 0, 0).unwrap();
    let text = hailong::demo::prepare(&app.services, hailong::i18n::Lang::Vi, saturday).unwrap();
    assert!(
        text.contains("07:30 thứ Hai, 30/11/2026") && text.contains("jobs run-once --at 2026-11-30T07:30:00+07:00"),
        "{text}"
    );
    let monday = chrono::Utc.with_ymd_and_hms(2026, 11, 30, 2, 0, 0).unwrap();
    let text = hailong::demo::prepare(&app.services, hailong::i18n::Lang::Vi, monday).unwrap();
    assert!(
        !text.contains("ngoài giờ hành chính") && text.contains("jobs run-once --at 2026-12-14T09:00:00+07:00"),
        "{text}"
    );
    assert!(text.contains("tỉnh Gia Lai") && text.contains("Địa chỉ trong mã QR và thư"), "{text}");
    app.stop().await;
}

/// A data folder holding the demo of earlier versions (the 2021 district) gets a message saying
/// exactly what to do, and nothing changes.
async fn demo_on_the_old_demo_data_says_what_to_do(backend: Backend) {
    let app = TestApp::demo(&backend).await;
    let units = app.count("units");
    let e = hailong::demo::prepare(&app.services, hailong::i18n::Lang::Vi, chrono::Utc::now()).unwrap_err();
    let msg = e.user_message(hailong::i18n::Lang::Vi);
    assert!(msg.contains("bản demo cũ") && msg.contains("-2021 && cargo run --release -- demo"), "{msg}");
    assert!(msg.contains("HAILONG_DATA_DIR=demo-2025"), "{msg}");
    assert_eq!(app.count("units"), units);
    app.stop().await;
}

/// RFC 9110: a 405 names the methods the path takes; a page path answers with a page, an API
/// path with JSON; HEAD goes wherever GET does.
async fn wrong_methods_get_405_with_allow(backend: Backend) {
    let app = TestApp::spawn(&backend).await;
    let c = client();
    for (method, path, allow, json) in [
        (reqwest::Method::POST, "/", "GET, HEAD", false),
        (reqwest::Method::DELETE, "/q/ABCDEFGHJKLMN", "GET, HEAD, POST", false),
        (reqwest::Method::GET, "/h/abc/renew", "POST", false),
        (reqwest::Method::PUT, "/t/PA-2222-3333", "GET, HEAD", false),
        (reqwest::Method::GET, "/api/v1/desks/ABCDEFGHJKLMN/feedback", "POST", true),
        (reqwest::Method::POST, "/healthz", "GET, HEAD", true),
    ] {
        let r = c.request(method.clone(), app.url(path)).send().await.unwrap();
        assert_eq!(r.status(), 405, "{method} {path}");
        assert_eq!(r.headers()["allow"], allow, "{method} {path}");
        let body = r.text().await.unwrap();
        if json {
            let v: serde_json::Value = serde_json::from_str(&body).unwrap();
            assert_eq!(v["error"], "method_not_allowed", "{path}");
        } else {
            assert!(body.contains("Thao tác không được hỗ trợ"), "{path}: {body}");
        }
    }
    let r = c.head(app.url("/")).send().await.unwrap();
    assert_eq!(r.status(), 200);
    assert!(r.bytes().await.unwrap().is_empty(), "HEAD has no body");
    app.stop().await;
}

both_backends!(
    demo_on_the_old_demo_data_says_what_to_do,
    wrong_methods_get_405_with_allow,
    health_and_readiness,
    readiness_reports_pending_migrations,
    home_page_in_both_languages,
    demo_welcome_explains_emails_held_until_office_hours
);
