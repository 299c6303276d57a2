//! The citizen's pages in a real headless Chromium at phone size (390×844), with JavaScript on and
//! off, driven over chromedriver. Screenshots go to target/screenshots/ for review.
//!
//! Needs `chromium` and `chromedriver` (Debian packages of the same names; paths overridable with
//! HAILONG_TEST_CHROMIUM / HAILONG_TEST_CHROMEDRIVER). Where they are absent the tests report
//! themselves skipped by name; with HAILONG_TEST_REQUIRE=browser (set by .ci/run) they fail instead.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::json;

use crate::support::{Backend, TestApp};

struct Browser {
    client: Client,
    javascript: bool,
    driver: Child,
    shots: PathBuf,
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

fn tool(var: &str, default: &str) -> Option<PathBuf> {
    let p = PathBuf::from(std::env::var(var).unwrap_or_else(|_| default.to_string()));
    p.exists().then_some(p)
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

impl Browser {
    /// Starts chromedriver and a Chromium session, or reports the test skipped.
    async fn start(test: &str, javascript: bool, width: u32, height: u32) -> Option<Browser> {
        let (Some(chromium), Some(driver)) = (
            tool("HAILONG_TEST_CHROMIUM", "/usr/bin/chromium"),
            tool("HAILONG_TEST_CHROMEDRIVER", "/usr/bin/chromedriver"),
        ) else {
            crate::support::skip(test, "browser", "chromium or chromedriver is not installed");
            return None;
        };
        let port = free_port();
        let child = Command::new(&driver)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let mut args = vec![
            "--headless=new".to_string(),
            "--no-sandbox".into(),
            "--disable-gpu".into(),
            "--disable-dev-shm-usage".into(),
            "--disable-background-networking".into(),
            "--disable-component-update".into(),
            "--disable-sync".into(),
            "--disable-quic".into(),
            "--no-first-run".into(),
            "--hide-scrollbars".into(),
            "--lang=vi".into(),
            format!("--window-size={width},{height}"),
        ];
        args.push(format!("--user-data-dir={}", tempfile::tempdir().unwrap().keep().display()));
        let prefs = json!({ "intl.accept_languages": "vi-VN,vi" });
        if !javascript {
            // Blink's own switch: pages run no script at all, while the driver keeps working
            // (the content-settings switch also stops chromedriver's click helpers).
            args.push("--blink-settings=scriptEnabled=false".into());
        }
        let mut caps = serde_json::Map::new();
        caps.insert("goog:chromeOptions".into(), json!({ "binary": chromium, "args": args, "prefs": prefs }));
        if !javascript {
            // Chromedriver checks a page has loaded by running script in it; with scripts off it
            // would wait forever, so the test waits for elements itself.
            caps.insert("pageLoadStrategy".into(), json!("none"));
        }
        let url = format!("http://127.0.0.1:{port}");
        let deadline = Instant::now() + Duration::from_secs(20);
        let client = loop {
            let connector = hyper_util::client::legacy::connect::HttpConnector::new();
            match ClientBuilder::new(connector).capabilities(caps.clone()).connect(&url).await {
                Ok(c) => break c,
                Err(e) if Instant::now() > deadline => panic!("chromedriver did not start: {e}"),
                Err(_) => actix_web::rt::time::sleep(Duration::from_millis(100)).await,
            }
        };
        // Chromium's --window-size has a floor of 500 px wide; WebDriver's resize goes down to the
        // phone width.
        client.set_window_size(width, height).await.unwrap();
        let shots = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/screenshots");
        std::fs::create_dir_all(&shots).unwrap();
        Some(Browser { client, javascript, driver: child, shots })
    }

    async fn shot(&self, name: &str) -> PathBuf {
        let png = self.client.screenshot().await.unwrap();
        let path = self.shots.join(format!("{name}.png"));
        std::fs::write(&path, png).unwrap();
        path
    }

    /// The whole page: the window grown to the document's height, then back.
    async fn full_shot(&self, name: &str, width: u32, height: u32) {
        self.fit_page(width, height).await;
        self.shot(name).await;
        self.client.set_window_size(width, height).await.unwrap();
    }

    /// Grows the window to the page's height (so nothing needs scrolling) and back.
    async fn fit_page(&self, width: u32, min_height: u32) {
        let (_, _, _, h) = self.client.find(Locator::Css("html")).await.unwrap().rectangle().await.unwrap();
        self.client.set_window_size(width, (h as u32).max(min_height) + 40).await.unwrap();
    }

    /// A tap on an element. With scripts off, chromedriver's own click waits on a page timer that
    /// never fires, so the tap is a pointer action at the element's centre (the window is grown to
    /// the page first: no scrolling needed).
    async fn click(&self, css: &str) {
        let el = self.client.find(Locator::Css(css)).await.unwrap_or_else(|e| panic!("{css}: {e}"));
        if self.javascript {
            el.click().await.unwrap();
            return;
        }
        use fantoccini::actions::{InputSource, MOUSE_BUTTON_LEFT, MouseActions, PointerAction};
        let (x, y, w, h) = el.rectangle().await.unwrap();
        let tap = MouseActions::new("tap".into())
            .then(PointerAction::MoveTo { duration: None, x: x + w / 2.0, y: y + h / 2.0 })
            .then(PointerAction::Down { button: MOUSE_BUTTON_LEFT })
            .then(PointerAction::Up { button: MOUSE_BUTTON_LEFT });
        self.client.perform_actions(tap).await.unwrap();
        self.client.release_actions().await.unwrap();
    }

    async fn close(self) {
        let Browser { client, .. } = &self;
        let _ = client.clone().close().await;
    }
}

async fn rate_report_and_track(javascript: bool) {
    let label = if javascript { "js" } else { "nojs" };
    let test = format!("it::browser::rate_report_and_track_{label}");
    let Some(b) = Browser::start(&test, javascript, 390, 844).await else { return };
    let app = TestApp::demo(&Backend::Sqlite).await;
    let token = app.desk_token("MC-PHUOCHUNG");
    let c = &b.client;
    c.goto(&app.url(&format!("/q/{token}"))).await.unwrap();
    c.wait().for_element(Locator::Css("button[type=submit]")).await.unwrap();
    assert_eq!(c.find(Locator::Css("html")).await.unwrap().attr("lang").await.unwrap().as_deref(), Some("vi"));
    b.shot(&format!("form-{label}")).await;
    b.full_shot(&format!("form-full-{label}"), 390, 844).await;

    // Tap targets are at least 44 px high.
    for el in
        c.find_all(Locator::Css("label.choice, button, select, input[type=text], textarea, .top a")).await.unwrap()
    {
        let (_, _, w, h) = el.rectangle().await.unwrap();
        if w > 0.0 {
            assert!(h >= 44.0, "tap target {h} px high: {}", el.html(false).await.unwrap());
        }
    }
    // Nothing wider than the phone.
    let (_, _, w, _) = c.find(Locator::Css("main")).await.unwrap().rectangle().await.unwrap();
    assert!(w <= 390.0, "main is {w} px wide");

    if !javascript {
        b.fit_page(390, 844).await;
    }
    b.click("input[name=overall][value='1']").await;
    b.click("input[name=q_on_time][value=late]").await;
    b.click("input[name=q_returns][value='2+']").await;
    b.click("input[name=q_behaviour][value=greet]").await;
    // The report section: a native <details>, no script needed.
    b.click("details.report summary").await;
    if !javascript {
        b.fit_page(390, 844).await;
    }
    c.find(Locator::Css("#report_category")).await.unwrap().select_by_value("harassment").await.unwrap();
    c.find(Locator::Css("#report_description"))
        .await
        .unwrap()
        .send_keys("Cán bộ quát tháo, yêu cầu về nhà lấy thêm giấy tờ không có trong quy định.")
        .await
        .unwrap();
    b.shot(&format!("report-{label}")).await;
    b.click("button[type=submit]").await;

    // The receipt page.
    let deadline = Instant::now() + Duration::from_secs(10);
    while !c.current_url().await.unwrap().path().starts_with("/t/") {
        assert!(Instant::now() < deadline, "no redirect to the receipt");
        actix_web::rt::time::sleep(Duration::from_millis(50)).await;
    }
    if !javascript {
        // Back to the phone's window after growing it for the taps.
        c.set_window_size(390, 844).await.unwrap();
    }
    let receipt = c.wait().for_element(Locator::Css("#receipt")).await.unwrap().text().await.unwrap();
    assert!(receipt.starts_with("PA-") && receipt.len() == 12, "{receipt}");
    let body = c.find(Locator::Css("main")).await.unwrap().text().await.unwrap();
    assert!(body.contains("Đã gửi phản ánh") && body.contains("Đã tiếp nhận"), "{body}");
    b.shot(&format!("receipt-{label}")).await;

    // Tracking later, by typing the code on the home page.
    c.goto(&app.url("/")).await.unwrap();
    c.wait().for_element(Locator::Css("#code")).await.unwrap().send_keys(&receipt.to_lowercase()).await.unwrap();
    b.click("form button[type=submit]").await;
    c.wait().for_element(Locator::Css("#status")).await.unwrap();
    assert_eq!(
        c.find(Locator::Css("#status")).await.unwrap().attr("data-status").await.unwrap().as_deref(),
        Some("received")
    );
    assert_eq!(c.find(Locator::Css("#receipt")).await.unwrap().text().await.unwrap(), receipt);
    b.shot(&format!("tracking-{label}")).await;

    let case = app.services.db.read(|c| hailong::store::cases::by_receipt(c, &receipt)).unwrap().unwrap();
    assert_eq!(case.category.as_str(), "harassment");
    b.close().await;
    app.stop().await;
}

#[test]
fn rate_report_and_track_js() {
    crate::support::block_on(rate_report_and_track(true));
}

#[test]
fn rate_report_and_track_nojs() {
    crate::support::block_on(rate_report_and_track(false));
}

/// The printed poster, rendered by Chromium, scans to the desk's form URL.
#[test]
fn poster_screenshot_decodes_to_the_form_url() {
    crate::support::block_on(async {
        let Some(b) = Browser::start("it::browser::poster_screenshot_decodes_to_the_form_url", true, 560, 794).await
        else {
            return;
        };
        let app = TestApp::demo(&Backend::Sqlite).await;
        let svg = hailong::service::desk::poster(&app.services, "MC-DIEUTRI").unwrap();
        let path = app.db.dir.path().join("poster.svg");
        std::fs::write(&path, svg).unwrap();
        b.client.goto(&format!("file://{}", path.display())).await.unwrap();
        let png = b.shot("poster-MC-DIEUTRI").await;
        let img = image::open(&png).unwrap().to_luma8();
        let mut prepared = rqrr::PreparedImage::prepare(img);
        let grids = prepared.detect_grids();
        assert_eq!(grids.len(), 1);
        let url = grids[0].decode().unwrap().1;
        assert_eq!(url, format!("{}/q/{}", app.base, app.desk_token("MC-DIEUTRI")));
        // …and that URL opens the form.
        b.client.goto(&url).await.unwrap();
        let h1 = b.client.find(Locator::Css("h1")).await.unwrap().text().await.unwrap();
        assert_eq!(h1, "Bộ phận Một cửa UBND thị trấn Diêu Trì");
        b.close().await;
        app.stop().await;
    });
}

/// The demo's acceptance path: a petty-corruption report naming a commune's head lands as an
/// `.eml` for the district chairman (copied to Phòng Nội vụ, nobody in the commune); its link
/// opens on a phone; acting there shows on the citizen's tracking page.
#[test]
fn a_handler_acts_from_a_phone_and_the_citizen_sees_it() {
    crate::support::block_on(async {
        let Some(b) =
            Browser::start("it::browser::a_handler_acts_from_a_phone_and_the_citizen_sees_it", true, 390, 844).await
        else {
            return;
        };
        let app = TestApp::demo(&Backend::Sqlite).await;
        let token = app.desk_token("MC-PHUOCHUNG");
        let c = crate::support::browser();
        let ft = app.open_form(&c, &token).await;
        let r = app
            .post_form(
                &c,
                &token,
                &ft,
                &[
                    ("overall", "1"),
                    ("report_category", "petty_corruption"),
                    ("report_description", "Chủ tịch xã đòi 500.000 đồng mới ký xác nhận hồ sơ."),
                    ("report_officer", "X-PHUOCHUNG-01"),
                ],
            )
            .await;
        let receipt = crate::support::location(&r).trim_start_matches("/t/").split('?').next().unwrap().to_string();
        let mailer =
            hailong::mail::Mailer::from_config(&app.services.config.mail, &app.services.config.data_dir).unwrap();
        hailong::jobs::mailer::send_due(&app.services, &mailer, chrono::Utc::now()).await.unwrap();

        // The .eml files in the data folder: who got what.
        let dir = app.services.config.data_dir.join("mail");
        let mails: Vec<crate::smtp::Parsed> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| crate::smtp::parse(&std::fs::read(e.unwrap().path()).unwrap()))
            .collect();
        let officer = |code: &str| {
            app.services.db.read(|c| hailong::store::org::officer_by_code(c, code)).unwrap().unwrap().email.unwrap()
        };
        let to_chairman = mails.iter().find(|m| m.to == [officer("TP-01")]).expect("an email to the district chairman");
        assert!(mails.iter().any(|m| m.to == [officer("TP-NV-01")]), "a copy to Phòng Nội vụ");
        assert!(
            mails.iter().all(|m| m.to.iter().chain(&m.cc).all(|a| !a.contains("phuochung"))),
            "nobody in the commune"
        );
        let link = crate::smtp::links(&to_chairman.text, &format!("{}/h/", app.base)).remove(0);

        // On the phone: read, acknowledge, answer.
        b.client.goto(&link).await.unwrap();
        b.client.wait().for_element(Locator::Css("#status")).await.unwrap();
        b.shot("handler-case").await;
        b.full_shot("handler-case-full", 390, 844).await;
        b.click("#act-acknowledge button").await;
        b.client.wait().for_element(Locator::Css("p.note")).await.unwrap();
        let answer = "Đã xác minh, yêu cầu hoàn trả tiền và kiểm điểm cán bộ trước tập thể.";
        b.client.find(Locator::Css("#resolve-text")).await.unwrap().send_keys(answer).await.unwrap();
        b.click("#act-resolve button").await;
        b.client.wait().for_element(Locator::Css("p.note")).await.unwrap();
        let status = b.client.find(Locator::Css("#status")).await.unwrap().attr("data-status").await.unwrap();
        assert_eq!(status.as_deref(), Some("resolved"));
        b.shot("handler-resolved").await;

        // The citizen's tracking page shows it.
        b.client.goto(&app.url(&format!("/t/{receipt}"))).await.unwrap();
        let shown = b.client.wait().for_element(Locator::Css("#answer")).await.unwrap().text().await.unwrap();
        assert_eq!(shown, answer);
        b.shot("tracking-answered").await;
        b.close().await;
        app.stop().await;
    });
}

/// The monthly report page as its reader opens it: at phone width nothing but the wide tables
/// scrolls sideways; printed on A4 it makes a PDF of a few pages. Screenshots and the PDF go to
/// target/screenshots/ for review.
#[test]
fn the_report_at_phone_width_and_printed_on_a4() {
    crate::support::block_on(async {
        let Some(b) = Browser::start("it::browser::the_report_at_phone_width_and_printed_on_a4", true, 390, 844).await
        else {
            return;
        };
        let app = TestApp::spawn(&Backend::Sqlite).await;
        let s = &app.services;
        hailong::service::org::import_text(s, hailong::demo::ORG_FILE, "gialai.toml", false).unwrap();
        let now = chrono::Utc::now();
        hailong::demo::history::generate(s, now).unwrap();
        let month = hailong::domain::period::Month::of(now).prev();
        let token = hailong::service::reports::links::for_month(s, None, month, "test", now).unwrap();
        b.client.goto(&format!("{}/r/{token}", app.base)).await.unwrap();
        let h1 = b.client.find(Locator::Css("h1")).await.unwrap().text().await.unwrap();
        assert!(h1.contains("Gia Lai"), "{h1}");
        let width = b.client.execute("return document.documentElement.scrollWidth", vec![]).await.unwrap();
        // What sticks out, if anything: the innermost elements past the right edge.
        let wide = b
            .client
            .execute(
                "return [...document.querySelectorAll('.scroll, main, body, section')].map(e => e.tagName + '.' + e.className + ' ox=' \
                 + getComputedStyle(e).overflowX + ' cw=' + e.clientWidth + ' sw=' + e.scrollWidth + ' r=' + Math.round(e.getBoundingClientRect().right))",
                vec![],
            )
            .await
            .unwrap();
        let inner = b.client.execute("return window.innerWidth", vec![]).await.unwrap();
        assert!(width.as_u64().unwrap() <= 390, "the page itself scrolls sideways: {width} (viewport {inner}); {wide}");
        b.full_shot("report-phone", 390, 844).await;
        let pdf = b
            .client
            .print(fantoccini::wd::PrintConfiguration::builder().size(fantoccini::wd::PrintSize::A4).build().unwrap())
            .await
            .unwrap();
        assert!(pdf.starts_with(b"%PDF"), "a PDF");
        std::fs::write(b.shots.join("report-a4.pdf"), &pdf).unwrap();
        assert!(pdf.len() > 20_000, "{} bytes", pdf.len());
        b.close().await;
        app.stop().await;
    });
}

/// The staff console in Chromium, at phone and desktop width: sign in from the emailed link, the
/// inbox, act on a case, the monthly report, sign out. Screenshots: staff-*-{phone,desktop}.png.
async fn staff_console_at(width: u32, height: u32, label: &str) {
    let test = format!("it::browser::staff_console_{label}");
    let Some(b) = Browser::start(&test, true, width, height).await else { return };
    let sink = crate::smtp::SmtpSink::start();
    let app = TestApp::demo_with(&Backend::Sqlite, crate::support::smtp_setup(sink.port())).await;
    let receipt = app
        .report(
            "MC-PHUOCHUNG",
            &[
                ("overall", "1"),
                ("report_category", "delay"),
                ("report_description", "Hẹn trả kết quả ba lần vẫn chưa có, không nêu lý do."),
            ],
        )
        .await;
    let number = app.case_of(&receipt).number();
    app.send_mail(&app.mailer(), chrono::Utc::now()).await;
    let before = sink.messages().len();
    let email = app.officer_email("X-PHUOCHUNG-01");

    b.client.goto(&format!("{}/staff/cases", app.base)).await.unwrap();
    assert!(b.client.current_url().await.unwrap().path().starts_with("/staff/signin"), "signed out: sign-in page");
    b.client.find(Locator::Css("#email")).await.unwrap().send_keys(&email).await.unwrap();
    b.full_shot(&format!("staff-signin-{label}"), width, height).await;
    b.click("#by-email button[type=submit]").await;
    let notice = b.client.wait().for_element(Locator::Css("#notice")).await.unwrap().text().await.unwrap();
    assert!(notice.contains("đường dẫn"), "{notice}");
    app.send_mail(&app.mailer(), chrono::Utc::now()).await;
    let msgs = sink.wait_for(before + 1, Duration::from_secs(10)).await;
    let mail = msgs.iter().map(|m| m.parse()).rev().find(|p| p.to.contains(&email)).expect("sign-in email");
    let link = crate::smtp::links(&mail.text, &format!("{}/staff/signin/", app.base)).remove(0);

    b.client.goto(&link).await.unwrap();
    b.full_shot(&format!("staff-choose-{label}"), width, height).await;
    b.click("#choose-0").await;
    let table = b.client.wait().for_element(Locator::Css("#cases")).await.unwrap().text().await.unwrap();
    assert_eq!(b.client.current_url().await.unwrap().path(), "/staff/cases");
    assert!(table.contains(&number), "{table}");
    let scroll = b.client.execute("return document.documentElement.scrollWidth", vec![]).await.unwrap();
    assert!(scroll.as_u64().unwrap() <= u64::from(width), "the inbox scrolls sideways: {scroll}");
    b.full_shot(&format!("staff-inbox-{label}"), width, height).await;

    b.click(&format!("a[href^='/staff/cases/{number}']")).await;
    b.client.wait().for_element(Locator::Css("#act-acknowledge")).await.unwrap();
    b.fit_page(width, height).await;
    b.click("#act-acknowledge button[type=submit]").await;
    b.client
        .wait()
        .for_url(&format!("{}/staff/cases/{number}?done=acknowledge&lang=vi", app.base).parse().unwrap())
        .await
        .unwrap();
    let status = b.client.find(Locator::Css("#status")).await.unwrap().attr("data-status").await.unwrap();
    assert_eq!(status.as_deref(), Some("acknowledged"));
    b.full_shot(&format!("staff-case-{label}"), width, height).await;
    b.client.goto(&format!("{}/staff/cases/{number}/dossier", app.base)).await.unwrap();
    b.full_shot(&format!("staff-dossier-{label}"), width, height).await;
    b.client.goto(&format!("{}/staff/org/desks/MC-PHUOCHUNG", app.base)).await.unwrap();
    b.full_shot(&format!("staff-desk-{label}"), width, height).await;

    b.client.goto(&format!("{}/staff/reports", app.base)).await.unwrap();
    let h1 = b.client.find(Locator::Css("h1")).await.unwrap().text().await.unwrap();
    assert!(!h1.is_empty());
    b.full_shot(&format!("staff-report-{label}"), width, height).await;

    // The unit's page and its posters, one A5 sheet per desk, printed.
    b.client.goto(&format!("{}/staff/org/units/X-PHUOCHUNG", app.base)).await.unwrap();
    b.full_shot(&format!("staff-unit-{label}"), width, height).await;
    b.click("#posters").await;
    let sheets = b.client.wait().for_element(Locator::Css(".sheet")).await.unwrap();
    let _ = sheets;
    b.full_shot(&format!("staff-posters-{label}"), width, height).await;
    let pdf = b.client.print(fantoccini::wd::PrintConfiguration::builder().build().unwrap()).await.unwrap();
    assert!(pdf.starts_with(b"%PDF"));
    std::fs::write(b.shots.join(format!("staff-posters-{label}.pdf")), &pdf).unwrap();

    b.client.goto(&format!("{}/staff/cases", app.base)).await.unwrap();
    b.click("#signout").await;
    b.client.wait().for_element(Locator::Css("#by-email")).await.unwrap();
    assert!(b.client.current_url().await.unwrap().path().starts_with("/staff/signin"));
    b.client.goto(&format!("{}/staff/cases", app.base)).await.unwrap();
    assert!(b.client.current_url().await.unwrap().path().starts_with("/staff/signin"), "signed out for good");
    b.close().await;
    app.stop().await;
}

#[test]
fn staff_console_phone() {
    crate::support::block_on(staff_console_at(390, 844, "phone"));
}

#[test]
fn staff_console_desktop() {
    crate::support::block_on(staff_console_at(1280, 900, "desktop"));
}
