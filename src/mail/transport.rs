//! Delivery: SMTP through lettre's tokio transport, or one `.eml` file per message.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::{Tls, TlsParameters};
use lettre::{AsyncSmtpTransport, AsyncTransport, Tokio1Executor};

use super::MailError;
use super::message::{self, Outgoing};
use crate::config::{MailConfig, MailTransport, SmtpConfig, SmtpSecurity};

/// Where email goes. Build one at start-up and keep it: the SMTP variant holds a connection pool.
#[derive(Debug, Clone)]
pub enum Mailer {
    File { dir: PathBuf },
    Smtp(AsyncSmtpTransport<Tokio1Executor>),
}

/// A message that did not go out. `permanent`: the server refused it for good (a 5xx reply, an
/// address that can never be delivered), so retrying is pointless; otherwise (connection refused,
/// timeout, TLS trouble, a 4xx reply, a full disk) a later attempt may succeed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct SendError {
    pub message: String,
    pub permanent: bool,
}

impl SendError {
    fn transient(message: String) -> SendError {
        SendError { message, permanent: false }
    }
}

impl Mailer {
    /// The configured transport. The From address is checked here, so a typo stops start-up rather
    /// than every email. SMTP must be set up inside a Tokio runtime (the pool starts a cleanup
    /// task on it) and used on that same runtime.
    pub fn from_config(c: &MailConfig, data_dir: &Path) -> Result<Mailer, MailError> {
        message::parse_mailbox(&c.from).map_err(|e| MailError::Config(format!("`mail.from`: {e}")))?;
        match c.transport {
            MailTransport::File => {
                let dir = c.dir.clone().unwrap_or_else(|| data_dir.join("mail"));
                std::fs::create_dir_all(&dir).map_err(|source| MailError::Io { path: dir.clone(), source })?;
                Ok(Mailer::File { dir })
            }
            MailTransport::Smtp => smtp_transport(&c.smtp).map(Mailer::Smtp),
        }
    }

    /// Builds and sends one message. A message that cannot be built (a bad address) is a permanent
    /// failure: it would fail the same way on every attempt.
    pub async fn send(&self, from: &str, out: &Outgoing) -> Result<(), SendError> {
        let email = message::build(from, out).map_err(|e| SendError { message: e.to_string(), permanent: true })?;
        match self {
            Mailer::File { dir } => write_eml(dir, &out.message_id, email.formatted()).await,
            Mailer::Smtp(transport) => {
                let non_ascii_address = email.envelope().to().iter().any(|a| !a.to_string().is_ascii());
                transport.send(email).await.map(|_| ()).map_err(|e| classify(e, non_ascii_address))
            }
        }
    }
}

fn smtp_transport(s: &SmtpConfig) -> Result<AsyncSmtpTransport<Tokio1Executor>, MailError> {
    // lettre's pool spawns its cleanup task at build time and would panic outside a runtime.
    if tokio::runtime::Handle::try_current().is_err() {
        return Err(MailError::Config("the SMTP transport must be created inside a Tokio runtime".into()));
    }
    let host = s.host.trim();
    if host.is_empty() {
        return Err(MailError::Config("`mail.smtp.host` is empty".into()));
    }
    // Certificates are checked against the bundled webpki roots, for the configured host name.
    let params = || TlsParameters::new(host.to_string()).map_err(|e| MailError::Config(format!("SMTP TLS: {e}")));
    let tls = match s.security {
        SmtpSecurity::Starttls => Tls::Required(params()?),
        SmtpSecurity::Tls => Tls::Wrapper(params()?),
        SmtpSecurity::None => Tls::None,
    };
    // `builder_dangerous` only means "no TLS preset": TLS is set just below, from the configuration.
    // Up to `connections` sessions at once (each SMTP exchange waits on the network; parallel
    // sessions are how mail servers deliver fast too), idle ones closed after 60 s.
    let mut builder = AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(host)
        .port(s.port)
        .tls(tls)
        .pool_config(lettre::transport::smtp::PoolConfig::new().max_size(s.connections.max(1)))
        // Covers connecting and each command; 0 would mean "wait forever", so at least 1 s.
        .timeout(Some(Duration::from_secs(s.timeout_secs.max(1))));
    match (&s.username, &s.password) {
        (Some(user), Some(password)) => {
            if s.security == SmtpSecurity::None && !is_loopback(host) {
                tracing::warn!(host, "SMTP credentials are sent unencrypted (mail.smtp.security = \"none\")");
            }
            builder = builder.credentials(Credentials::new(user.clone(), password.clone()));
        }
        (None, None) => {}
        _ => {
            return Err(MailError::Config("`mail.smtp.username` and `mail.smtp.password` must be set together".into()));
        }
    }
    Ok(builder.build())
}

fn is_loopback(host: &str) -> bool {
    host == "localhost" || host.parse::<std::net::IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

/// Sorts an SMTP failure into "give up" or "try again later".
fn classify(e: lettre::transport::smtp::Error, non_ascii_address: bool) -> SendError {
    // A 5xx reply (to MAIL, RCPT or DATA) is final, except the AUTH refusals: they say nothing
    // about this message, and treating them as final would fail the whole outbox over one wrong
    // password. The one client-side refusal that depends on the message: an internationalised
    // address the server cannot take (no SMTPUTF8). Other client errors (no STARTTLS, no usable
    // AUTH mechanism) are settings an administrator can fix before the next attempt.
    let auth_refusal = e.status().is_some_and(|code| is_auth_refusal(code.into()));
    let permanent = (e.is_permanent() && !auth_refusal) || (e.is_client() && non_ascii_address);
    SendError { message: format!("SMTP: {e}"), permanent }
}

/// RFC 4954 and RFC 3207 replies about the session, not the message: 530 authentication (or
/// STARTTLS) required, 534 mechanism too weak, 535 bad credentials, 538 encryption required.
fn is_auth_refusal(code: u16) -> bool {
    matches!(code, 530 | 534 | 535 | 538)
}

/// Writes `{dir}/{message id}.eml` through a temporary file and a rename, so a reader never sees a
/// half-written file and a retry replaces the earlier copy.
///
/// Why not lettre's `AsyncFileTransport`: it names each file after a fresh UUID, so every retry
/// would leave another copy; and it writes in place, so a crash can leave a truncated file.
async fn write_eml(dir: &Path, message_id: &str, bytes: Vec<u8>) -> Result<(), SendError> {
    static SEQ: AtomicU64 = AtomicU64::new(0);
    let name = file_name(message_id);
    let path = dir.join(format!("{name}.eml"));
    let tmp = dir.join(format!(".{name}.{}.{}.tmp", std::process::id(), SEQ.fetch_add(1, Ordering::Relaxed)));
    let write = move || {
        std::fs::write(&tmp, &bytes).and_then(|()| std::fs::rename(&tmp, &path)).map_err(|e| {
            let _ = std::fs::remove_file(&tmp);
            SendError::transient(format!("cannot write {}: {e}", path.display()))
        })
    };
    tokio::task::spawn_blocking(write).await.unwrap_or_else(|e| Err(SendError::transient(format!("mail file: {e}"))))
}

/// The Message-ID as a file name: anything outside `[A-Za-z0-9._@+=-]` becomes `_`.
/// (Ids come from [`message::message_id_for`] and already fit; this is for the odd caller.)
fn file_name(message_id: &str) -> String {
    message_id
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '@' | '+' | '=' | '-') { c } else { '_' })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn auth_refusals_are_not_final() {
        assert!(is_auth_refusal(535) && is_auth_refusal(530));
        assert!(!is_auth_refusal(550) && !is_auth_refusal(554));
    }

    #[test]
    fn file_names_are_safe() {
        assert_eq!(file_name("outbox-1.ab12cd34@hailong.example"), "outbox-1.ab12cd34@hailong.example");
        assert_eq!(file_name("a/../b@[::1]"), "a_.._b@___1_");
    }

    #[test]
    fn smtp_needs_a_runtime_and_paired_credentials() {
        let mut c = MailConfig { transport: MailTransport::Smtp, ..MailConfig::default() };
        let dir = Path::new("/nonexistent");
        assert!(matches!(Mailer::from_config(&c, dir), Err(MailError::Config(_))));
        let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        rt.block_on(async {
            assert!(matches!(Mailer::from_config(&c, dir), Ok(Mailer::Smtp(_))));
            c.smtp.username = Some("u".into());
            assert!(matches!(Mailer::from_config(&c, dir), Err(MailError::Config(_))));
            c.smtp.password = Some("p".into());
            assert!(matches!(Mailer::from_config(&c, dir), Ok(Mailer::Smtp(_))));
            c.from = "no address".into();
            assert!(matches!(Mailer::from_config(&c, dir), Err(MailError::Config(_))));
        });
    }
}
