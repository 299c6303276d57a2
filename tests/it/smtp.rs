//! A real SMTP server for tests (mailin-embedded, in a background thread) and MIME helpers.
//!
//! Always look at received mail through [`parse`]: lettre encodes long lines quoted-printable (soft
//! breaks, `=3D`) and may base64 Vietnamese text, so searching the raw bytes for a link fails.
//!
//! The sink accepts any sender and recipient, except that a recipient whose local part starts with
//! `bounce` is refused with `550` and one starting with `busy` with `451` (for failure tests). The
//! server thread runs until the test binary exits; each test starts its own sink on its own port.

use std::collections::BTreeMap;
use std::net::{IpAddr, SocketAddr, TcpListener};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use mailin_embedded::{Handler, Response, Server, response};

/// One message as the server got it.
#[derive(Debug, Clone)]
pub struct Received {
    /// Envelope sender (MAIL FROM).
    pub from: String,
    /// Envelope recipients (RCPT TO): To and Cc alike.
    pub to: Vec<String>,
    /// The message as transmitted, dot-stuffing removed.
    pub raw: Vec<u8>,
}

impl Received {
    pub fn parse(&self) -> Parsed {
        parse(&self.raw)
    }
}

pub struct SmtpSink {
    pub addr: SocketAddr,
    received: Arc<Mutex<Vec<Received>>>,
}

impl SmtpSink {
    /// A server on a free port of 127.0.0.1.
    pub fn start() -> SmtpSink {
        Self::serve(TcpListener::bind("127.0.0.1:0").expect("bind a free port"))
    }

    /// A server on the given port (after a test has sent to it while nothing listened).
    pub fn start_on(port: u16) -> SmtpSink {
        Self::serve(TcpListener::bind(("127.0.0.1", port)).unwrap_or_else(|e| panic!("bind port {port}: {e}")))
    }

    /// A port where nothing listens (yet): bound, then released.
    pub fn free_port() -> u16 {
        TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
    }

    fn serve(listener: TcpListener) -> SmtpSink {
        // The socket is already listening, so a client can connect as soon as this returns.
        let addr = listener.local_addr().unwrap();
        let received = Arc::new(Mutex::new(Vec::new()));
        let mut server = Server::new(Sink { received: received.clone(), current: None });
        server.with_name("sink.test").with_num_threads(4).with_tcp_listener(listener);
        std::thread::Builder::new()
            .name(format!("smtp-sink-{}", addr.port()))
            .spawn(move || {
                if let Err(e) = server.serve() {
                    eprintln!("smtp sink on {addr} stopped: {e}");
                }
            })
            .unwrap();
        SmtpSink { addr, received }
    }

    pub fn port(&self) -> u16 {
        self.addr.port()
    }

    /// Everything received so far, in order of arrival.
    pub fn messages(&self) -> Vec<Received> {
        self.received.lock().unwrap().clone()
    }

    /// Waits until at least `n` messages have arrived and returns them all; panics after `timeout`.
    pub async fn wait_for(&self, n: usize, timeout: Duration) -> Vec<Received> {
        let start = Instant::now();
        loop {
            let got = self.messages();
            if got.len() >= n {
                return got;
            }
            if start.elapsed() > timeout {
                panic!("expected {n} messages on {} within {timeout:?}, got {}", self.addr, got.len());
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }
}

/// mailin clones the handler for each connection; `current` is the message being received on it.
#[derive(Clone)]
struct Sink {
    received: Arc<Mutex<Vec<Received>>>,
    current: Option<Received>,
}

impl Handler for Sink {
    fn rcpt(&mut self, to: &str) -> Response {
        if to.starts_with("bounce") {
            response::NO_MAILBOX
        } else if to.starts_with("busy") {
            response::INTERNAL_ERROR
        } else {
            response::OK
        }
    }

    fn data_start(&mut self, _domain: &str, from: &str, _is8bit: bool, to: &[String]) -> Response {
        self.current = Some(Received { from: from.to_string(), to: to.to_vec(), raw: Vec::new() });
        response::OK
    }

    fn data(&mut self, buf: &[u8]) -> std::io::Result<()> {
        if let Some(m) = &mut self.current {
            m.raw.extend_from_slice(buf);
        }
        Ok(())
    }

    fn data_end(&mut self) -> Response {
        if let Some(m) = self.current.take() {
            self.received.lock().unwrap().push(m);
        }
        response::OK
    }

    fn helo(&mut self, _ip: IpAddr, _domain: &str) -> Response {
        response::OK
    }
}

/// A message decoded: header text with RFC 2047 undone, bodies with quoted-printable or base64
/// undone, as a reader sees them.
#[derive(Debug, Clone, Default)]
pub struct Parsed {
    pub subject: String,
    /// Bare addresses; display names are in `names`.
    pub from: String,
    pub to: Vec<String>,
    pub cc: Vec<String>,
    /// Address → display name, for every From/To/Cc mailbox that has one.
    pub names: BTreeMap<String, String>,
    /// Without angle brackets.
    pub message_id: String,
    /// The first text/plain and text/html parts ("" when absent).
    pub text: String,
    pub html: String,
    /// Every top-level header: name as written, raw value (still encoded) trimmed.
    pub headers: Vec<(String, String)>,
}

impl Parsed {
    /// The raw value of the first header with this name (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }
}

pub fn parse(raw: &[u8]) -> Parsed {
    let m = mail_parser::MessageParser::default().parse(raw).expect("a parseable MIME message");
    let mut names = BTreeMap::new();
    let mut addresses = |a: Option<&mail_parser::Address>| -> Vec<String> {
        a.map(|a| a.iter().collect::<Vec<_>>())
            .unwrap_or_default()
            .into_iter()
            .filter_map(|addr| {
                let email = addr.address()?.to_string();
                if let Some(name) = addr.name() {
                    names.insert(email.clone(), name.to_string());
                }
                Some(email)
            })
            .collect()
    };
    let from = addresses(m.from()).into_iter().next().unwrap_or_default();
    let to = addresses(m.to());
    let cc = addresses(m.cc());
    let headers = m
        .headers()
        .iter()
        .map(|h| {
            let value = &raw[h.offset_start as usize..h.offset_end as usize];
            (h.name().to_string(), String::from_utf8_lossy(value).trim().to_string())
        })
        .collect();
    Parsed {
        subject: m.subject().unwrap_or_default().to_string(),
        from,
        to,
        cc,
        names,
        message_id: m.message_id().unwrap_or_default().to_string(),
        text: m.body_text(0).map(|t| t.into_owned()).unwrap_or_default(),
        html: m.body_html(0).map(|t| t.into_owned()).unwrap_or_default(),
        headers,
    }
}

/// The URLs in `text` that start with `prefix`, in order. A URL ends at whitespace, a quote, `<`,
/// `>`, or a closing bracket; `&amp;` (as written in HTML attributes) is read back as `&`.
pub fn links(text: &str, prefix: &str) -> Vec<String> {
    let mut found = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find(prefix) {
        let tail = &rest[start..];
        let end = tail
            .find(|c: char| c.is_whitespace() || matches!(c, '"' | '\'' | '<' | '>' | ')' | ']'))
            .unwrap_or(tail.len());
        found.push(tail[..end].trim_end_matches(['.', ',', ';']).replace("&amp;", "&"));
        rest = &tail[end..];
    }
    found
}

#[test]
fn links_are_found_in_text_and_html() {
    let text = "Xác nhận: https://h.example/a/b?t=1&u=2.\n\
                <a href=\"https://h.example/c?x=1&amp;y=2\">mở</a> (https://h.example/d)";
    assert_eq!(
        links(text, "https://h.example/"),
        ["https://h.example/a/b?t=1&u=2", "https://h.example/c?x=1&y=2", "https://h.example/d"]
    );
    assert!(links(text, "https://other/").is_empty());
}
