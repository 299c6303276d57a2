//! Configuration: defaults, overridden by an optional TOML file, overridden by `HAILONG_*` variables.
//!
//! Every key has a default, so no file is needed. A nested key `a.b` is `HAILONG_A_B` in the
//! environment. Unknown keys in the file and unknown `HAILONG_*` variables stop start-up, because a
//! typo that is silently ignored leaves an office running on a setting it did not choose.
//! `HAILONG_TEST_*` belongs to the test suite and `HAILONG_CONFIG` names the file; both are skipped.

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::i18n::Text;
use crate::t;
use crate::toml_errors;

/// The default file looked for in the working directory when no path is given.
pub const DEFAULT_FILE: &str = "hailong.toml";

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct Config {
    /// Folder for the SQLite file, the generated secret key and mail files.
    pub data_dir: PathBuf,
    /// Address the HTTP server binds.
    pub listen: String,
    /// Base URL used in QR codes and email links; default `http://{listen}`.
    pub public_url: Option<String>,
    /// Signs links and encrypts personal data; generated into `data_dir` when absent.
    pub secret_key: Option<String>,
    /// HTTP worker threads; 0 = one per CPU core.
    pub workers: usize,
    /// Log filter (tracing `EnvFilter` syntax); `RUST_LOG` wins when set.
    pub log: String,
    pub database: DatabaseConfig,
    pub citizen: CitizenConfig,
    pub mail: MailConfig,
    pub sla: SlaConfig,
    pub jobs: JobsConfig,
    pub privacy: PrivacyConfig,
    pub alerts: AlertsConfig,
    pub reports: ReportsConfig,
    pub staff: StaffConfig,
}

/// How email leaves: `.eml` files (the default, so the demo runs offline) or SMTP.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum MailTransport {
    File,
    Smtp,
}

#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum SmtpSecurity {
    /// Plain connection upgraded with STARTTLS (port 587).
    Starttls,
    /// TLS from the first byte (port 465).
    Tls,
    /// No encryption: only for a relay on the same host or in tests.
    None,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct MailConfig {
    pub transport: MailTransport,
    /// The From address, e.g. `hailong <no-reply@tuyphuoc.gov.vn>`.
    pub from: String,
    /// Folder for `.eml` files with the file transport; default `{data_dir}/mail`.
    pub dir: Option<PathBuf>,
    pub smtp: SmtpConfig,
    /// Attempts per email before giving up (and alerting the oversight unit).
    pub max_attempts: u32,
    /// Delay before the first retry; it doubles with each attempt.
    pub retry_base_seconds: u64,
    /// Emails sent per worker round.
    pub batch: u32,
    /// Seconds between worker rounds when nothing is due.
    pub poll_seconds: u64,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct SmtpConfig {
    pub host: String,
    pub port: u16,
    pub security: SmtpSecurity,
    pub username: Option<String>,
    pub password: Option<String>,
    pub timeout_secs: u64,
    /// SMTP sessions open at once (and emails in flight).
    pub connections: u32,
}

impl Default for MailConfig {
    fn default() -> Self {
        MailConfig {
            transport: MailTransport::File,
            from: "hailong <no-reply@localhost>".into(),
            dir: None,
            smtp: SmtpConfig::default(),
            max_attempts: 8,
            retry_base_seconds: 30,
            batch: 50,
            poll_seconds: 2,
        }
    }
}

impl Default for SmtpConfig {
    fn default() -> Self {
        SmtpConfig {
            host: "localhost".into(),
            port: 587,
            security: SmtpSecurity::Starttls,
            username: None,
            password: None,
            timeout_secs: 30,
            connections: 16,
        }
    }
}

/// Handling deadlines, in working time on the handler unit's calendar.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct SlaConfig {
    /// Categories that also copy the oversight unit and use the integrity deadlines.
    pub integrity_categories: Vec<crate::domain::case::Category>,
    pub acknowledge: crate::domain::calendar::WorkDuration,
    pub resolve: crate::domain::calendar::WorkDuration,
    pub integrity_acknowledge: crate::domain::calendar::WorkDuration,
    pub integrity_resolve: crate::domain::calendar::WorkDuration,
    /// Per-category overrides: `[sla.categories.delay] acknowledge = "4h"`, `resolve`, `urgent`.
    pub categories: std::collections::BTreeMap<crate::domain::case::Category, crate::domain::sla::Override>,
    /// A reminder goes to the handler when this share of a window has passed.
    pub reminder_percent: u8,
    /// The calendar of units that name none (built in: vn, computed from the statute for every year,
    /// also named vn-2026; 24x7; or one imported with `hailong calendar import`).
    pub default_calendar: String,
    /// Days an emailed action link stays valid.
    pub link_days: u32,
}

impl Default for SlaConfig {
    fn default() -> Self {
        let r = crate::domain::sla::Rules::default();
        SlaConfig {
            integrity_categories: r.integrity_categories,
            acknowledge: r.acknowledge,
            resolve: r.resolve,
            integrity_acknowledge: r.integrity_acknowledge,
            integrity_resolve: r.integrity_resolve,
            categories: r.overrides,
            reminder_percent: r.reminder_percent,
            default_calendar: "vn".into(),
            link_days: 14,
        }
    }
}

impl SlaConfig {
    /// The deadline rules these settings describe.
    pub fn rules(&self) -> crate::domain::sla::Rules {
        crate::domain::sla::Rules {
            integrity_categories: self.integrity_categories.clone(),
            acknowledge: self.acknowledge,
            resolve: self.resolve,
            integrity_acknowledge: self.integrity_acknowledge,
            integrity_resolve: self.integrity_resolve,
            overrides: self.categories.clone(),
            reminder_percent: self.reminder_percent,
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct JobsConfig {
    /// Whether `hailong serve` runs the scheduler and the mail worker. Turn off on instances that
    /// should only answer requests, when another instance (or `hailong jobs run-once` from cron)
    /// does the background work; on PostgreSQL any number of instances may run them at once.
    pub background: bool,
    /// Seconds between scheduler ticks in `hailong serve`.
    pub tick_seconds: u64,
    /// Most cases one tick handles (the rest wait for the next).
    pub batch: u32,
}

impl Default for JobsConfig {
    fn default() -> Self {
        JobsConfig { background: true, tick_seconds: 5, batch: 1000 }
    }
}

/// The monthly and yearly satisfaction reports.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct ReportsConfig {
    /// Below this many ratings a rate, score or rank shows "chưa đủ dữ liệu" (not enough data).
    pub min_count: u64,
    /// Days a report link stays valid.
    pub link_days: u32,
    /// Local hour (0–23) of the monthly delivery, on the first working day of the month.
    pub send_hour: u32,
    /// Send the monthly reports by email (the scheduler does it when `jobs.background` is on).
    pub send: bool,
    pub yearly: YearlyConfig,
}

impl Default for ReportsConfig {
    fn default() -> Self {
        ReportsConfig { min_count: 10, link_days: 60, send_hour: 8, send: true, yearly: YearlyConfig::default() }
    }
}

/// The yearly report of the public-service-culture programme (the seed plan, §IV: units report
/// by 15 November, the oversight units' summary by 30 November).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct YearlyConfig {
    /// Day each unit reports by, `MM-DD`.
    pub deadline: String,
    /// Day the oversight units' summary is due, `MM-DD`.
    pub oversight_deadline: String,
    /// Whole months in the reporting period, ending with the month before the deadline's.
    pub months: u32,
    /// Working days before the deadline that unit heads are reminded by email.
    pub remind_working_days: u32,
    /// Per unit code: a different deadline (`MM-DD`) or period length.
    pub units: std::collections::BTreeMap<String, YearlyUnitConfig>,
}

impl Default for YearlyConfig {
    fn default() -> Self {
        YearlyConfig {
            deadline: "11-15".into(),
            oversight_deadline: "11-30".into(),
            months: 12,
            remind_working_days: 10,
            units: Default::default(),
        }
    }
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct YearlyUnitConfig {
    pub deadline: Option<String>,
    pub months: Option<u32>,
}

impl ReportsConfig {
    fn check(&self) -> Result<(), ConfigError> {
        for (key, v) in [("reports.min_count", self.min_count), ("reports.link_days", self.link_days as u64)] {
            if v == 0 {
                return Err(ConfigError(t!(
                    "Khóa cấu hình `{key}` phải lớn hơn 0",
                    "Configuration key `{key}` must be greater than 0"
                )));
            }
        }
        if self.send_hour > 23 {
            return Err(ConfigError(t!(
                "Khóa cấu hình `reports.send_hour` phải từ 0 đến 23",
                "Configuration key `reports.send_hour` must be from 0 to 23"
            )));
        }
        let y = &self.yearly;
        let mut days = vec![("reports.yearly.deadline".to_string(), y.deadline.clone())];
        days.push(("reports.yearly.oversight_deadline".into(), y.oversight_deadline.clone()));
        for (code, u) in &y.units {
            if let Some(d) = &u.deadline {
                days.push((format!("reports.yearly.units.{code}.deadline"), d.clone()));
            }
            if u.months.is_some_and(|m| !(1..=24).contains(&m)) {
                return Err(ConfigError(t!(
                    "Khóa cấu hình `reports.yearly.units.{code}.months` phải từ 1 đến 24",
                    "Configuration key `reports.yearly.units.{code}.months` must be from 1 to 24"
                )));
            }
        }
        for (key, v) in days {
            if let Err(e) = crate::domain::period::MonthDay::parse(&v) {
                let (vi, en) = (e.vi, e.en);
                return Err(ConfigError(t!("Khóa cấu hình `{key}`: {vi}", "Configuration key `{key}`: {en}")));
            }
        }
        if !(1..=24).contains(&y.months) {
            return Err(ConfigError(t!(
                "Khóa cấu hình `reports.yearly.months` phải từ 1 đến 24",
                "Configuration key `reports.yearly.months` must be from 1 to 24"
            )));
        }
        if y.remind_working_days > 60 {
            return Err(ConfigError(t!(
                "Khóa cấu hình `reports.yearly.remind_working_days` phải từ 0 đến 60",
                "Configuration key `reports.yearly.remind_working_days` must be from 0 to 60"
            )));
        }
        Ok(())
    }
}

/// The staff console (`/staff`): sign-in links, sessions, passwords.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct StaffConfig {
    /// Minutes an emailed sign-in link stays valid (it works once).
    pub signin_minutes: u32,
    /// Sign-in links one address may ask for per hour.
    pub signin_per_address_hour: u32,
    /// Sign-in attempts (links asked for, passwords tried) per client IP per minute.
    pub signin_ip_per_minute: u32,
    /// A session ends after this many minutes without a request…
    pub idle_minutes: u32,
    /// …and this many hours after sign-in, whatever happens.
    pub session_hours: u32,
    /// Wrong passwords in a row before the address is locked out of password sign-in…
    pub password_failures: u32,
    /// …for this many minutes (sign-in by email still works).
    pub password_lock_minutes: u32,
}

impl Default for StaffConfig {
    fn default() -> Self {
        StaffConfig {
            signin_minutes: 15,
            signin_per_address_hour: 5,
            signin_ip_per_minute: 10,
            idle_minutes: 60,
            session_hours: 12,
            password_failures: 5,
            password_lock_minutes: 15,
        }
    }
}

impl StaffConfig {
    fn check(&self) -> Result<(), ConfigError> {
        for (key, v, max) in [
            ("staff.signin_minutes", self.signin_minutes, 60),
            ("staff.signin_per_address_hour", self.signin_per_address_hour, 100),
            ("staff.signin_ip_per_minute", self.signin_ip_per_minute, 10_000),
            ("staff.idle_minutes", self.idle_minutes, 24 * 60),
            ("staff.session_hours", self.session_hours, 24 * 7),
            ("staff.password_failures", self.password_failures, 100),
            ("staff.password_lock_minutes", self.password_lock_minutes, 24 * 60),
        ] {
            if v == 0 || v > max {
                return Err(ConfigError(t!(
                    "Khóa cấu hình `{key}` phải từ 1 đến {max}",
                    "Configuration key `{key}` must be from 1 to {max}"
                )));
            }
        }
        Ok(())
    }
}

/// Where operational alerts go: cases nobody can handle, calendars missing next year's arrangement.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct AlertsConfig {
    /// The operator's address (the person who keeps the organisation and the service); none = log only.
    pub operator_email: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct PrivacyConfig {
    /// Days after a case closes before the complainant's contact details are erased.
    pub erase_after_days: u32,
}

impl Default for PrivacyConfig {
    fn default() -> Self {
        PrivacyConfig { erase_after_days: 180 }
    }
}

/// The citizen side: form, abuse limits, survey.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct CitizenConfig {
    /// Minutes a rating form's signed token stays valid.
    pub form_token_minutes: u64,
    /// Submissions (form and API) per client IP per minute.
    pub ip_per_minute: u32,
    /// Submissions per desk per minute.
    pub desk_per_minute: u32,
    /// Receipt lookups (tracking page and API) per client IP per minute.
    pub track_per_minute: u32,
    /// A second rating from the same browser for the same desk within this many minutes replaces
    /// the first (unless the first opened a case).
    pub replace_window_minutes: u64,
    /// A survey definition replacing the built-in one (format: surveys/default.toml).
    pub survey_file: Option<PathBuf>,
    /// Reverse proxies whose `X-Forwarded-For` is believed (IP addresses).
    pub trusted_proxies: Vec<String>,
    /// Seconds a desk's data (unit, officers, roster) is reused between scans; 0 = always read.
    pub desk_cache_seconds: u64,
}

impl Default for CitizenConfig {
    fn default() -> Self {
        CitizenConfig {
            form_token_minutes: 120,
            ip_per_minute: 10,
            desk_per_minute: 120,
            track_per_minute: 30,
            replace_window_minutes: 10,
            survey_file: None,
            trusted_proxies: Vec::new(),
            desk_cache_seconds: 10,
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct DatabaseConfig {
    /// `sqlite://PATH`, a plain path, or `postgres://…`; default `{data_dir}/hailong.db`.
    pub url: Option<String>,
    /// Connections kept in the pool.
    pub pool_size: u32,
    /// Seconds to wait for a connection (from the pool, or to the server).
    pub connect_timeout_secs: u64,
    /// SQLite only: milliseconds a writer waits for the lock held by another process.
    pub busy_timeout_ms: u64,
    /// SQLite only: `normal` (a commit survives the process crashing; a power cut may lose the
    /// last commits) or `full` (it survives a power cut too; every commit waits for the disk).
    pub sqlite_synchronous: SqliteSynchronous,
}

/// SQLite's `PRAGMA synchronous` in WAL mode.
#[derive(Debug, Clone, Copy, Default, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum SqliteSynchronous {
    #[default]
    Normal,
    Full,
}

impl SqliteSynchronous {
    pub fn pragma(self) -> &'static str {
        match self {
            SqliteSynchronous::Normal => "NORMAL",
            SqliteSynchronous::Full => "FULL",
        }
    }
}

impl Default for Config {
    fn default() -> Self {
        Config {
            data_dir: PathBuf::from("data"),
            listen: "127.0.0.1:8080".into(),
            public_url: None,
            secret_key: None,
            workers: 0,
            log: "info".into(),
            database: DatabaseConfig::default(),
            citizen: CitizenConfig::default(),
            mail: MailConfig::default(),
            sla: SlaConfig::default(),
            jobs: JobsConfig::default(),
            privacy: PrivacyConfig::default(),
            alerts: AlertsConfig::default(),
            reports: ReportsConfig::default(),
            staff: StaffConfig::default(),
        }
    }
}

impl Default for DatabaseConfig {
    fn default() -> Self {
        DatabaseConfig {
            url: None,
            pool_size: 8,
            connect_timeout_secs: 10,
            busy_timeout_ms: 5000,
            sqlite_synchronous: SqliteSynchronous::Normal,
        }
    }
}

#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct ConfigError(pub Text);

impl Config {
    /// Loads the configuration the way the binary does: `explicit` path (from `--config`), else
    /// `HAILONG_CONFIG`, else `./hailong.toml` when it exists; then the environment.
    pub fn load(explicit: Option<&Path>) -> Result<Config, ConfigError> {
        let env: Vec<(String, String)> = std::env::vars().collect();
        let from_env = env.iter().find(|(k, _)| k == "HAILONG_CONFIG").map(|(_, v)| PathBuf::from(v));
        let path = explicit.map(Path::to_path_buf).or(from_env);
        let (text, path) = match path {
            Some(p) => {
                let text = std::fs::read_to_string(&p).map_err(|e| {
                    let shown = p.display();
                    ConfigError(t!(
                        "Không đọc được tệp cấu hình {shown}: {e}",
                        "Cannot read the configuration file {shown}: {e}"
                    ))
                })?;
                (Some(text), Some(p))
            }
            None if Path::new(DEFAULT_FILE).exists() => {
                let p = PathBuf::from(DEFAULT_FILE);
                let text = std::fs::read_to_string(&p).map_err(|e| {
                    ConfigError(t!(
                        "Không đọc được tệp cấu hình {DEFAULT_FILE}: {e}",
                        "Cannot read {DEFAULT_FILE}: {e}"
                    ))
                })?;
                (Some(text), Some(p))
            }
            None => (None, None),
        };
        Config::from_sources(text.as_deref(), path.as_deref(), &env)
    }

    /// Builds the configuration from a file's text (if any) and environment pairs. Pure: tests call it
    /// with their own inputs.
    pub fn from_sources(
        file_text: Option<&str>,
        file_name: Option<&Path>,
        env: &[(String, String)],
    ) -> Result<Config, ConfigError> {
        let shown = file_name.map(|p| p.display().to_string()).unwrap_or_else(|| DEFAULT_FILE.into());
        // Parse the file on its own first: toml's errors name the line and the key.
        let mut tree = match file_text {
            Some(text) => {
                toml_errors::from_str::<Config>(text).map_err(|problems| {
                    let Text { vi, en } = toml_errors::list(&problems);
                    // One problem on the same line as the file's name; several one per line.
                    let sep = if problems.len() == 1 { " " } else { "\n" };
                    ConfigError(t!(
                        "Tệp cấu hình {shown} không hợp lệ:{sep}{vi}",
                        "Invalid configuration file {shown}:{sep}{en}"
                    ))
                })?;
                let table: toml::Table = toml::from_str(text).expect("parsed above");
                serde_json::to_value(table).expect("TOML is JSON-representable")
            }
            None => Value::Object(Default::default()),
        };

        let leaves = default_leaves();
        let mut from_env: BTreeMap<String, String> = BTreeMap::new();
        for (name, raw) in env {
            let Some(rest) = name.strip_prefix("HAILONG_") else { continue };
            if rest.starts_with("TEST_") || rest == "CONFIG" {
                continue;
            }
            let Some((key, default)) = leaves.iter().find(|(k, _)| env_name(k) == *name) else {
                return Err(ConfigError(t!(
                    "Biến môi trường {name} không phải là khóa cấu hình nào (xem hailong.example.toml)",
                    "The environment variable {name} is not a configuration key (see hailong.example.toml)"
                )));
            };
            let value = env_value(default, raw).ok_or_else(|| {
                ConfigError(t!(
                    "Biến môi trường {name} = {raw:?} không hợp lệ cho khóa `{key}`",
                    "The environment variable {name} = {raw:?} is not a valid value for `{key}`"
                ))
            })?;
            set_path(&mut tree, key, value);
            from_env.insert(key.clone(), name.clone());
        }

        let config: Config = serde_path_to_error::deserialize(tree).map_err(|e| {
            let key = e.path().to_string();
            let source = from_env.get(&key).cloned().unwrap_or_else(|| shown.clone());
            let inner = e.inner();
            ConfigError(t!(
                "Khóa cấu hình `{key}` (từ {source}) không hợp lệ: {inner}",
                "Configuration key `{key}` (from {source}) is invalid: {inner}"
            ))
        })?;
        config.check()?;
        Ok(config)
    }

    /// Value checks that types alone cannot express.
    fn check(&self) -> Result<(), ConfigError> {
        self.listen_addr()?;
        if let Some(url) = &self.public_url {
            let ok = (url.starts_with("http://") || url.starts_with("https://"))
                && url.len() > "https://".len()
                && !url.contains(char::is_whitespace)
                && !url.contains(['?', '#']);
            if !ok {
                return Err(ConfigError(t!(
                    "Khóa cấu hình `public_url` = {url:?} phải là địa chỉ http:// hoặc https:// không có ? hay #",
                    "Configuration key `public_url` = {url:?} must be an http:// or https:// address without ? or #"
                )));
            }
        }
        if let Some(key) = &self.secret_key
            && key.trim().len() < 32
        {
            return Err(ConfigError(t!(
                "Khóa cấu hình `secret_key` phải dài ít nhất 32 ký tự",
                "Configuration key `secret_key` must be at least 32 characters long"
            )));
        }
        if self.database.pool_size == 0 {
            return Err(ConfigError(t!(
                "Khóa cấu hình `database.pool_size` phải lớn hơn 0",
                "Configuration key `database.pool_size` must be greater than 0"
            )));
        }
        if self.database.connect_timeout_secs == 0 {
            return Err(ConfigError(t!(
                "Khóa cấu hình `database.connect_timeout_secs` phải lớn hơn 0",
                "Configuration key `database.connect_timeout_secs` must be greater than 0"
            )));
        }
        let c = &self.citizen;
        for (key, v) in [
            ("citizen.form_token_minutes", c.form_token_minutes),
            ("citizen.ip_per_minute", c.ip_per_minute as u64),
            ("citizen.desk_per_minute", c.desk_per_minute as u64),
            ("citizen.track_per_minute", c.track_per_minute as u64),
            ("citizen.replace_window_minutes", c.replace_window_minutes),
        ] {
            if v == 0 {
                return Err(ConfigError(t!(
                    "Khóa cấu hình `{key}` phải lớn hơn 0",
                    "Configuration key `{key}` must be greater than 0"
                )));
            }
        }
        for p in &c.trusted_proxies {
            if p.parse::<std::net::IpAddr>().is_err() {
                return Err(ConfigError(t!(
                    "Khóa cấu hình `citizen.trusted_proxies`: {p:?} không phải địa chỉ IP",
                    "Configuration key `citizen.trusted_proxies`: {p:?} is not an IP address"
                )));
            }
        }
        if !(1..=99).contains(&self.sla.reminder_percent) {
            return Err(ConfigError(t!(
                "Khóa cấu hình `sla.reminder_percent` phải từ 1 đến 99",
                "Configuration key `sla.reminder_percent` must be from 1 to 99"
            )));
        }
        for (key, v) in [
            ("mail.max_attempts", self.mail.max_attempts as u64),
            ("mail.batch", self.mail.batch as u64),
            ("mail.poll_seconds", self.mail.poll_seconds),
            ("mail.retry_base_seconds", self.mail.retry_base_seconds),
            ("jobs.tick_seconds", self.jobs.tick_seconds),
            ("jobs.batch", self.jobs.batch as u64),
            ("sla.link_days", self.sla.link_days as u64),
            ("privacy.erase_after_days", self.privacy.erase_after_days as u64),
        ] {
            if v == 0 {
                return Err(ConfigError(t!(
                    "Khóa cấu hình `{key}` phải lớn hơn 0",
                    "Configuration key `{key}` must be greater than 0"
                )));
            }
        }
        if lettre::message::Mailbox::from_str(&self.mail.from).is_err() {
            let from = &self.mail.from;
            return Err(ConfigError(t!(
                "Khóa cấu hình `mail.from` = {from:?} không phải địa chỉ thư hợp lệ (ví dụ: hailong <no-reply@example.gov.vn>)",
                "Configuration key `mail.from` = {from:?} is not a valid address (e.g. hailong <no-reply@example.gov.vn>)"
            )));
        }
        if let Some(e) = &self.alerts.operator_email
            && lettre::message::Mailbox::from_str(e).is_err()
        {
            return Err(ConfigError(t!(
                "Khóa cấu hình `alerts.operator_email` = {e:?} không phải địa chỉ thư hợp lệ",
                "Configuration key `alerts.operator_email` = {e:?} is not a valid email address"
            )));
        }
        if self.log.trim().is_empty() {
            return Err(ConfigError(t!(
                "Khóa cấu hình `log` không được để trống",
                "Configuration key `log` must not be empty"
            )));
        }
        self.reports.check()?;
        self.staff.check()?;
        Ok(())
    }

    pub fn listen_addr(&self) -> Result<SocketAddr, ConfigError> {
        self.listen.parse().map_err(|_| {
            let v = &self.listen;
            ConfigError(t!(
                "Khóa cấu hình `listen` = {v:?} phải có dạng ĐỊA_CHỈ_IP:CỔNG, ví dụ 127.0.0.1:8080",
                "Configuration key `listen` = {v:?} must be IP:PORT, e.g. 127.0.0.1:8080"
            ))
        })
    }

    /// The base URL for links, without a trailing slash.
    pub fn public_url(&self) -> String {
        match &self.public_url {
            Some(u) => u.trim_end_matches('/').to_string(),
            None => format!("http://{}", self.listen),
        }
    }

    /// The database URL in effect: the configured one, or the SQLite file in the data directory.
    pub fn database_url(&self) -> String {
        match &self.database.url {
            Some(u) if !u.trim().is_empty() => u.trim().to_string(),
            _ => self.data_dir.join("hailong.db").display().to_string(),
        }
    }

    /// Whether the database is the default file in the data directory (which we may create).
    pub fn database_is_default(&self) -> bool {
        self.database.url.as_deref().is_none_or(|u| u.trim().is_empty())
    }
}

/// The environment variable for a dotted key: `database.url` → `HAILONG_DATABASE_URL`.
pub fn env_name(key: &str) -> String {
    format!("HAILONG_{}", key.replace('.', "_").to_ascii_uppercase())
}

/// Every settable key with its default value, from the defaults themselves so the list cannot drift.
pub fn default_leaves() -> Vec<(String, Value)> {
    fn walk(prefix: &str, v: &Value, out: &mut Vec<(String, Value)>) {
        match v {
            Value::Object(map) if !map.is_empty() => {
                for (k, v) in map {
                    let key = if prefix.is_empty() { k.clone() } else { format!("{prefix}.{k}") };
                    walk(&key, v, out);
                }
            }
            _ => out.push((prefix.to_string(), v.clone())),
        }
    }
    let mut out = Vec::new();
    walk("", &serde_json::to_value(Config::default()).expect("defaults serialise"), &mut out);
    out
}

/// Interprets an environment string by the type of the key's default.
fn env_value(default: &Value, raw: &str) -> Option<Value> {
    match default {
        Value::Null | Value::String(_) => Some(Value::String(raw.to_string())),
        Value::Bool(_) => match raw.trim().to_ascii_lowercase().as_str() {
            "true" | "1" | "yes" => Some(Value::Bool(true)),
            "false" | "0" | "no" => Some(Value::Bool(false)),
            _ => None,
        },
        Value::Number(_) => {
            let raw = raw.trim();
            raw.parse::<u64>()
                .map(Value::from)
                .or_else(|_| raw.parse::<i64>().map(Value::from))
                .or_else(|_| raw.parse::<f64>().map(Value::from))
                .ok()
        }
        // Arrays and tables: written as a TOML value, e.g. HAILONG_X='["a", "b"]'.
        _ => {
            let t: toml::Table = toml::from_str(&format!("v = {raw}")).ok()?;
            serde_json::to_value(t.get("v")?).ok()
        }
    }
}

fn set_path(tree: &mut Value, key: &str, value: Value) {
    let mut node = tree;
    let parts: Vec<&str> = key.split('.').collect();
    for part in &parts[..parts.len() - 1] {
        if !node.is_object() {
            *node = Value::Object(Default::default());
        }
        node = node.as_object_mut().unwrap().entry(part.to_string()).or_insert(Value::Object(Default::default()));
    }
    if !node.is_object() {
        *node = Value::Object(Default::default());
    }
    node.as_object_mut().unwrap().insert(parts[parts.len() - 1].to_string(), value);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs.iter().map(|(a, b)| (a.to_string(), b.to_string())).collect()
    }

    #[test]
    fn defaults_need_nothing() {
        let c = Config::from_sources(None, None, &[]).unwrap();
        assert_eq!(c, Config::default());
        assert_eq!(c.public_url(), "http://127.0.0.1:8080");
        // The calendar computed from the statute for every year (vn-2026 is another name for it).
        assert_eq!(c.sla.default_calendar, "vn");
        assert_eq!(c.database_url(), "data/hailong.db");
        assert!(c.database_is_default());
    }

    #[test]
    fn file_then_env_override() {
        let text = "data_dir = \"/srv/hl\"\nlisten = \"0.0.0.0:9000\"\n[database]\npool_size = 3\n";
        let c = Config::from_sources(Some(text), None, &[]).unwrap();
        assert_eq!(c.data_dir, PathBuf::from("/srv/hl"));
        assert_eq!(c.database.pool_size, 3);
        let c = Config::from_sources(
            Some(text),
            None,
            &env(&[
                ("HAILONG_DATABASE_POOL_SIZE", "5"),
                ("HAILONG_PUBLIC_URL", "https://hailong.example/"),
                ("HAILONG_TEST_DATABASE_URL", "ignored"),
                ("OTHER", "x"),
            ]),
        )
        .unwrap();
        assert_eq!(c.database.pool_size, 5);
        assert_eq!(c.listen, "0.0.0.0:9000");
        assert_eq!(c.public_url(), "https://hailong.example");
    }

    #[test]
    fn bad_key_in_file_names_it_and_its_line() {
        let err = Config::from_sources(Some("listen = \"127.0.0.1:1\"\nlisten_port = 3\n"), None, &[]).unwrap_err();
        let msg = err.0.en;
        assert!(msg.contains("listen_port") && msg.contains("line 2"), "{msg}");
        let err = Config::from_sources(Some("[database]\nurll = \"x\"\n"), None, &[]).unwrap_err();
        assert!(err.0.vi.contains("urll") && err.0.vi.contains("dòng 2"), "{}", err.0.vi);
    }

    #[test]
    fn every_problem_of_the_file_is_listed_in_vietnamese() {
        let text =
            "listen = \"127.0.0.1:1\"\nworkers = 2\nlisten = \"0.0.0.0:2\"\n[database]\npool_size = 3\npool_size = 4\n";
        let err = Config::from_sources(Some(text), None, &[]).unwrap_err();
        let vi = err.0.vi;
        assert!(vi.starts_with("Tệp cấu hình hailong.toml không hợp lệ:\n"), "{vi}");
        assert!(vi.contains("dòng 3: khóa `listen`: khóa bị trùng") && vi.contains("lần đầu ở dòng 1"), "{vi}");
        assert!(
            vi.contains("dòng 6: [database], khóa `pool_size`: khóa bị trùng") && vi.contains("lần đầu ở dòng 5"),
            "{vi}"
        );
        assert!(
            err.0.en.contains("line 6: [database], key `pool_size`: duplicate key (first at line 5)"),
            "{}",
            err.0.en
        );
        // Unknown keys and wrong values together.
        let text = "listen_port = 3\nworkers = \"many\"\n[citizen]\nip_per_minut = 5\n";
        let err = Config::from_sources(Some(text), None, &[]).unwrap_err();
        let en = err.0.en;
        for needle in [
            "line 1: key `listen_port`: unknown field `listen_port`",
            "line 2: key `workers`: invalid type",
            "line 4: [citizen], key `ip_per_minut`",
        ] {
            assert!(en.contains(needle), "{needle}: {en}");
        }
    }

    #[test]
    fn bad_values_are_named() {
        let err = Config::from_sources(Some("workers = \"many\""), None, &[]).unwrap_err();
        assert!(err.0.en.contains("workers"), "{}", err.0.en);
        let err = Config::from_sources(None, None, &env(&[("HAILONG_LISTEN", "localhost")])).unwrap_err();
        assert!(err.0.en.contains("listen"), "{}", err.0.en);
        let err = Config::from_sources(None, None, &env(&[("HAILONG_DATABASE_POOL_SIZE", "lots")])).unwrap_err();
        assert!(err.0.en.contains("HAILONG_DATABASE_POOL_SIZE"), "{}", err.0.en);
        let err = Config::from_sources(None, None, &env(&[("HAILONG_SECRET_KEY", "short")])).unwrap_err();
        assert!(err.0.en.contains("secret_key"), "{}", err.0.en);
        let err = Config::from_sources(None, None, &env(&[("HAILONG_PUBLIC_URL", "ftp://x")])).unwrap_err();
        assert!(err.0.en.contains("public_url"), "{}", err.0.en);
    }

    #[test]
    fn unknown_env_variable_stops() {
        let err = Config::from_sources(None, None, &env(&[("HAILONG_DATABSE_URL", "x")])).unwrap_err();
        assert!(err.0.en.contains("HAILONG_DATABSE_URL"), "{}", err.0.en);
    }

    #[test]
    fn every_key_has_an_env_name() {
        let names: Vec<String> = default_leaves().iter().map(|(k, _)| env_name(k)).collect();
        for n in
            ["HAILONG_DATA_DIR", "HAILONG_DATABASE_URL", "HAILONG_LISTEN", "HAILONG_PUBLIC_URL", "HAILONG_SECRET_KEY"]
        {
            assert!(names.iter().any(|x| x == n), "{n} missing from {names:?}");
        }
    }
}

#[cfg(test)]
mod example_file_tests {
    use super::*;

    /// hailong.example.toml documents every key, and what it shows is valid.
    #[test]
    fn example_file_documents_every_key() {
        let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/hailong.example.toml")).unwrap();
        // Uncomment every `# key = value` line: the result must parse as a configuration.
        let uncommented: String = text
            .lines()
            .map(|l| {
                let t = l.trim_start_matches("# ");
                if t.split_once(" = ").is_some_and(|(k, _)| !k.contains(' ') && !k.is_empty()) { t } else { l }
            })
            .collect::<Vec<_>>()
            .join("\n");
        let uncommented =
            uncommented.replace("\"…at least 32 random characters…\"", "\"0123456789abcdef0123456789abcdef\"");
        Config::from_sources(Some(&uncommented), None, &[]).unwrap();
        let table: toml::Table = toml::from_str(&uncommented).unwrap();
        for (key, _) in default_leaves() {
            let mut node = toml::Value::Table(table.clone());
            for part in key.split('.') {
                node =
                    node.get(part).cloned().unwrap_or_else(|| panic!("hailong.example.toml does not document `{key}`"));
            }
        }
    }
}
