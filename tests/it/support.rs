//! Test harness: a real SQLite file or a fresh PostgreSQL database per test, and the real server on
//! an ephemeral port.
//!
//! PostgreSQL tests run when `HAILONG_TEST_DATABASE_URL` points at a server where the user may
//! create databases; otherwise they print a named skip. With `HAILONG_TEST_REQUIRE` listing
//! `postgres` (as `.ci/run` sets it) a missing server fails the test instead.

use std::net::TcpListener;
use std::path::PathBuf;

use diesel::connection::SimpleConnection;
use diesel::{Connection, PgConnection};
use hailong::config::Config;
use hailong::service::Services;
use rand::Rng;

#[derive(Debug, Clone)]
pub enum Backend {
    Sqlite,
    Postgres(String),
}

/// Whether CI demands a component (`HAILONG_TEST_REQUIRE=postgres,browser,smtp`).
pub fn required(component: &str) -> bool {
    std::env::var("HAILONG_TEST_REQUIRE")
        .is_ok_and(|v| v.split(',').any(|c| c.trim() == component || c.trim() == "all"))
}

/// Reports a test skipped by name, or fails it when CI requires the component.
pub fn skip(test: &str, component: &str, why: &str) {
    if required(component) {
        panic!("{test}: {component} is required here (HAILONG_TEST_REQUIRE) but {why}");
    }
    // Written straight to the stream, past the test harness's capture, so it shows in every run.
    use std::io::Write;
    let _ = writeln!(std::io::stderr().lock(), "SKIPPED {test}: {why}");
}

impl Backend {
    pub fn postgres_or_skip(test: &str) -> Option<Backend> {
        match std::env::var("HAILONG_TEST_DATABASE_URL") {
            Ok(url) if !url.trim().is_empty() => Some(Backend::Postgres(url)),
            _ => {
                skip(test, "postgres", "HAILONG_TEST_DATABASE_URL is not set");
                None
            }
        }
    }
}

/// Defines `NAME::sqlite` and `NAME::postgres` tests running the async fn `NAME(Backend)`.
macro_rules! both_backends {
    ($($name:ident),* $(,)?) => {$(
        mod $name {
            #[test]
            fn sqlite() {
                $crate::support::block_on(super::$name($crate::support::Backend::Sqlite));
            }
            #[test]
            fn postgres() {
                if let Some(b) = $crate::support::Backend::postgres_or_skip(concat!(module_path!(), "::postgres")) {
                    $crate::support::block_on(super::$name(b));
                }
            }
        }
    )*};
}

pub fn block_on<F: std::future::Future>(f: F) -> F::Output {
    actix_web::rt::System::new().block_on(f)
}

/// A database for one test: an SQLite file in a temporary folder, or a new PostgreSQL database
/// dropped afterwards.
pub struct TestDb {
    pub url: String,
    pub dir: tempfile::TempDir,
    admin: Option<(String, String)>,
}

impl TestDb {
    pub fn new(backend: &Backend) -> TestDb {
        let dir = tempfile::tempdir().expect("temp dir");
        match backend {
            Backend::Sqlite => {
                let url = format!("sqlite://{}", dir.path().join("hailong.db").display());
                TestDb { url, dir, admin: None }
            }
            Backend::Postgres(admin_url) => {
                let name = format!("hl_test_{}_{:08x}", std::process::id(), rand::rng().random::<u32>());
                let mut c =
                    PgConnection::establish(admin_url).unwrap_or_else(|e| panic!("PostgreSQL at {admin_url}: {e}"));
                c.batch_execute(&format!("CREATE DATABASE {name}")).expect("create test database");
                TestDb { url: with_database(admin_url, &name), dir, admin: Some((admin_url.clone(), name)) }
            }
        }
    }

    pub fn data_dir(&self) -> PathBuf {
        self.dir.path().join("data")
    }

    pub fn config(&self) -> Config {
        let mut c = Config { data_dir: self.data_dir(), ..Config::default() };
        c.database.url = Some(self.url.clone());
        c.database.pool_size = 4;
        c
    }

    pub fn is_postgres(&self) -> bool {
        self.admin.is_some()
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        if let Some((admin, name)) = &self.admin
            && let Ok(mut c) = PgConnection::establish(admin)
        {
            let _ = c.batch_execute(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"));
        }
    }
}

/// `postgres://u@h:5432/test?x=y` with the database name replaced.
pub fn with_database(url: &str, name: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((b, q)) => (b, Some(q)),
        None => (url, None),
    };
    let scheme_end = base.find("://").map(|i| i + 3).unwrap_or(0);
    let host_end = base[scheme_end..].find('/').map(|i| i + scheme_end).unwrap_or(base.len());
    let mut out = format!("{}/{}", &base[..host_end], name);
    if let Some(q) = query {
        out.push('?');
        out.push_str(q);
    }
    out
}

/// The real service on an ephemeral port, with its own database.
pub struct TestApp {
    pub base: String,
    pub services: Services,
    pub db: TestDb,
    handle: actix_web::dev::ServerHandle,
}

impl TestApp {
    pub async fn spawn(backend: &Backend) -> TestApp {
        Self::spawn_with(backend, |_| {}).await
    }

    pub async fn spawn_with(backend: &Backend, tweak: impl FnOnce(&mut Config)) -> TestApp {
        let db = TestDb::new(backend);
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap();
        let mut config = db.config();
        config.listen = addr.to_string();
        config.workers = 2;
        tweak(&mut config);
        let services = Services::open(config).expect("services open");
        let server = hailong::web::server(&services, listener, 2, false).unwrap();
        let handle = server.handle();
        actix_web::rt::spawn(server);
        TestApp { base: format!("http://{addr}"), services, db, handle }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }

    pub async fn stop(self) {
        self.handle.stop(true).await;
    }
}

pub fn client() -> reqwest::Client {
    reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap()
}

/// Services on a test database without a server, for store-level tests.
pub fn services(db: &TestDb) -> Services {
    Services::open(db.config()).expect("services open")
}

pub const DEMO_ORG: &str = include_str!("../../examples/tuyphuoc.toml");

impl TestApp {
    /// A server with the demo organisation loaded.
    pub async fn demo(backend: &Backend) -> TestApp {
        Self::demo_with(backend, |_| {}).await
    }

    pub async fn demo_with(backend: &Backend, tweak: impl FnOnce(&mut Config)) -> TestApp {
        let app = Self::spawn_with(backend, tweak).await;
        hailong::service::org::import_text(&app.services, DEMO_ORG, "tuyphuoc.toml", false).unwrap();
        app
    }

    pub fn desk_token(&self, code: &str) -> String {
        self.services.db.read(|c| hailong::store::org::desk_by_code(c, code)).unwrap().unwrap().token
    }

    /// Rows in a table, by name (tests only: the name is ours, not input).
    pub fn count(&self, table: &str) -> i64 {
        use diesel::prelude::*;
        #[derive(QueryableByName)]
        struct N {
            #[diesel(sql_type = diesel::sql_types::BigInt)]
            n: i64,
        }
        self.services
            .db
            .read(|c| Ok(diesel::sql_query(format!("SELECT COUNT(*) AS n FROM {table}")).get_result::<N>(c)?.n))
            .unwrap()
    }

    /// Runs SQL behind the service's back (as another process would), then forgets cached desks
    /// so the next request sees the change.
    pub fn exec(&self, sql: &str) {
        use diesel::connection::SimpleConnection;
        self.services.db.read(|c| Ok(c.batch_execute(sql)?)).unwrap();
        self.services.org_changed();
    }
}

/// A browser-like client: keeps cookies, does not follow redirects.
pub fn browser() -> reqwest::Client {
    reqwest::Client::builder().cookie_store(true).redirect(reqwest::redirect::Policy::none()).build().unwrap()
}

/// The value of a hidden input in a page.
pub fn hidden(html: &str, name: &str) -> String {
    let needle = format!("name=\"{name}\" value=\"");
    let start = html.find(&needle).unwrap_or_else(|| panic!("no hidden field {name}")) + needle.len();
    html[start..].split('"').next().unwrap().to_string()
}

pub fn location(r: &reqwest::Response) -> String {
    r.headers().get("location").map(|v| v.to_str().unwrap().to_string()).unwrap_or_default()
}

/// One method per endpoint, as a browser or a kiosk would call it.
impl TestApp {
    /// `GET /q/{token}`: the rating form; returns its form token field.
    pub async fn open_form(&self, client: &reqwest::Client, token: &str) -> String {
        let r = client.get(self.url(&format!("/q/{token}"))).send().await.unwrap();
        assert_eq!(r.status(), 200);
        hidden(&r.text().await.unwrap(), "form_token")
    }

    /// `POST /q/{token}` with the given fields (plus the form token).
    pub async fn post_form(
        &self,
        client: &reqwest::Client,
        token: &str,
        form_token: &str,
        fields: &[(&str, &str)],
    ) -> reqwest::Response {
        let mut all: Vec<(&str, &str)> = vec![("form_token", form_token), ("lang", "vi")];
        all.extend_from_slice(fields);
        client.post(self.url(&format!("/q/{token}"))).form(&all).send().await.unwrap()
    }

    /// Files a report through the form of a desk (by code), as a fresh browser; returns the receipt.
    pub async fn report(&self, desk: &str, fields: &[(&str, &str)]) -> String {
        let token = self.desk_token(desk);
        let c = browser();
        let ft = self.open_form(&c, &token).await;
        let r = self.post_form(&c, &token, &ft, fields).await;
        assert_eq!(r.status(), 303, "{}", r.text().await.unwrap_or_default());
        let loc = location(&r);
        loc.trim_start_matches("/t/").split('?').next().unwrap().to_string()
    }

    /// `GET /t/{receipt}`: the tracking page.
    pub async fn track(&self, client: &reqwest::Client, receipt: &str) -> reqwest::Response {
        client.get(self.url(&format!("/t/{receipt}"))).send().await.unwrap()
    }

    /// `POST /api/v1/desks/{token}/feedback`.
    pub async fn api_feedback(
        &self,
        client: &reqwest::Client,
        token: &str,
        body: &serde_json::Value,
    ) -> reqwest::Response {
        client.post(self.url(&format!("/api/v1/desks/{token}/feedback"))).json(body).send().await.unwrap()
    }

    /// `GET /api/v1/cases/{receipt}`.
    pub async fn api_case(&self, client: &reqwest::Client, receipt: &str) -> reqwest::Response {
        client.get(self.url(&format!("/api/v1/cases/{receipt}"))).send().await.unwrap()
    }

    /// The case of a receipt, as stored.
    pub fn case_of(&self, receipt: &str) -> hailong::store::cases::Case {
        self.services.db.read(|c| hailong::store::cases::by_receipt(c, receipt)).unwrap().unwrap()
    }

    /// The kinds of a case's log entries, in order.
    pub fn events(&self, case_id: i64) -> Vec<String> {
        let events = self.services.db.read(|c| hailong::store::cases::events(c, case_id)).unwrap();
        events.into_iter().map(|e| e.kind.to_string()).collect()
    }

    pub fn officer_email(&self, code: &str) -> String {
        self.services.db.read(|c| hailong::store::org::officer_by_code(c, code)).unwrap().unwrap().email.unwrap()
    }

    /// A mailer for the configured transport.
    pub fn mailer(&self) -> hailong::mail::Mailer {
        hailong::mail::Mailer::from_config(&self.services.config.mail, &self.services.config.data_dir).unwrap()
    }

    /// One round of the mail worker at `at`.
    pub async fn send_mail(
        &self,
        m: &hailong::mail::Mailer,
        at: chrono::DateTime<chrono::Utc>,
    ) -> hailong::jobs::mailer::MailRound {
        hailong::jobs::mailer::send_due(&self.services, m, at).await.unwrap()
    }
}

/// `POST /h/{token}`: a form of the case page as the browser would post it (its CSRF token
/// read from the page first).
pub async fn act(c: &reqwest::Client, link: &str, fields: &[(&str, &str)]) -> reqwest::Response {
    let page = c.get(link).send().await.unwrap().text().await.unwrap();
    let csrf = hidden(&page, "csrf");
    let mut all = vec![("csrf", csrf.as_str())];
    all.extend_from_slice(fields);
    c.post(link).form(&all).send().await.unwrap()
}

/// Email goes to the test SMTP server on `sink_port`; deadlines run on the 24×7 calendar so
/// tests can choose instants without office hours getting in the way.
pub fn smtp_setup(sink_port: u16) -> impl FnOnce(&mut Config) {
    move |c: &mut Config| {
        c.mail.transport = hailong::config::MailTransport::Smtp;
        c.mail.smtp.host = "127.0.0.1".into();
        c.mail.smtp.port = sink_port;
        c.mail.smtp.security = hailong::config::SmtpSecurity::None;
        c.mail.smtp.timeout_secs = 2;
        c.mail.retry_base_seconds = 60;
        c.sla.default_calendar = "24x7".into();
        c.citizen.ip_per_minute = 1000;
        c.citizen.track_per_minute = 1000;
    }
}
