//! One email as hailong sends it: multipart/alternative (plain text, then HTML), UTF-8 throughout.
//!
//! lettre does the encoding: headers with non-ASCII text (Vietnamese subjects, display names) become
//! RFC 2047 encoded words, and bodies become 7bit, quoted-printable or base64, whichever is shortest,
//! so the message itself is plain ASCII and needs neither 8BITMIME nor SMTPUTF8 from the server.
//! Long lines (links) are soft-wrapped by quoted-printable; every mail reader joins them again.

use lettre::Message;
use lettre::message::header::{HeaderName, HeaderValue};
use lettre::message::{Mailbox, MultiPart};
use sha2::{Digest, Sha256};

use super::MailError;

/// An email ready to build: the outbox stores these fields.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outgoing {
    /// Without angle brackets, e.g. `outbox-42.1a2b3c4d@hailong.example`. The caller chooses it (see
    /// [`message_id_for`]) so that a retry carries the same id and readers can drop duplicates.
    pub message_id: String,
    /// `a@b.vn` or `Tên <a@b.vn>`.
    pub to: String,
    pub cc: Vec<String>,
    pub subject: String,
    pub text: String,
    pub html: String,
    /// Files sent with the message (the monthly report's XLSX).
    pub attachments: Vec<Attachment>,
}

/// A file attached to an email.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attachment {
    pub filename: String,
    pub content_type: String,
    pub content: Vec<u8>,
}

/// Builds the MIME message. Every address is checked; a bad one is an error naming its header.
pub fn build(from: &str, out: &Outgoing) -> Result<Message, MailError> {
    check_message_id(&out.message_id)?;
    let to = mailbox("To", &out.to)?;
    let mut builder = Message::builder()
        .from(mailbox("From", from)?)
        .to(to.clone())
        .message_id(Some(format!("<{}>", out.message_id)))
        .date_now()
        .subject(one_line(&out.subject))
        // RFC 3834: tells auto-responders (out-of-office, vacation) not to answer.
        .raw_header(HeaderValue::new(HeaderName::new_from_ascii_str("Auto-Submitted"), "auto-generated".into()));
    // The same person on To and Cc (a unit head who is also the oversight contact) gets one copy.
    let mut seen = vec![to.email.to_string().to_lowercase()];
    for cc in &out.cc {
        let cc = mailbox("Cc", cc)?;
        let key = cc.email.to_string().to_lowercase();
        if !seen.contains(&key) {
            seen.push(key);
            builder = builder.cc(cc);
        }
    }
    let bodies = MultiPart::alternative_plain_html(out.text.clone(), out.html.clone());
    if out.attachments.is_empty() {
        return Ok(builder.multipart(bodies)?);
    }
    // multipart/mixed: the two bodies first, then each file.
    let mut mixed = MultiPart::mixed().multipart(bodies);
    for a in &out.attachments {
        let content_type = lettre::message::header::ContentType::parse(&a.content_type).map_err(|e| {
            MailError::Config(format!("attachment {}: content type {:?}: {e}", a.filename, a.content_type))
        })?;
        mixed = mixed
            .singlepart(lettre::message::Attachment::new(a.filename.clone()).body(a.content.clone(), content_type));
    }
    Ok(builder.multipart(mixed)?)
}

/// Parses `a@b.vn` or `Display Name <a@b.vn>` (the name may be quoted, and may hold commas, dots
/// and Vietnamese letters). Useful for checking addresses when they are entered.
pub fn parse_mailbox(value: &str) -> Result<Mailbox, MailError> {
    mailbox("email", value)
}

fn mailbox(field: &'static str, value: &str) -> Result<Mailbox, MailError> {
    let err = |reason: &str| MailError::Address { field, value: value.to_string(), reason: reason.to_string() };
    if value.chars().any(char::is_control) {
        return Err(err("contains a control character"));
    }
    // Split by hand rather than with lettre's `Mailbox::from_str`: that parser rejects unquoted
    // names with dots or commas ("UBND xã A, huyện B") and ignores trailing text after the address.
    let trimmed = value.trim();
    let (name, address) = match trimmed.rfind('<') {
        Some(open) => {
            let address = trimmed[open + 1..].strip_suffix('>').ok_or_else(|| err("no closing '>'"))?;
            let name = trimmed[..open].trim();
            let name = name.strip_prefix('"').and_then(|n| n.strip_suffix('"')).unwrap_or(name).trim();
            (Some(name).filter(|n| !n.is_empty()), address.trim())
        }
        None => (None, trimmed),
    };
    if address.is_empty() {
        return Err(err("empty"));
    }
    let address = address.parse::<lettre::Address>().map_err(|e| err(&e.to_string()))?;
    Ok(Mailbox::new(name.map(str::to_string), address))
}

/// Headers are one line: a newline in a subject would end the header (and start a forged one).
fn one_line(s: &str) -> String {
    s.chars().map(|c| if c.is_control() { ' ' } else { c }).collect()
}

/// RFC 5322 `msg-id` without the brackets: `left@right`, printable ASCII, no spaces or brackets.
fn check_message_id(id: &str) -> Result<(), MailError> {
    let ok = id.split_once('@').is_some_and(|(l, r)| !l.is_empty() && !r.is_empty())
        && id.bytes().all(|b| b.is_ascii_graphic() && !matches!(b, b'<' | b'>' | b'"' | b'\\' | b','));
    if ok { Ok(()) } else { Err(MailError::MessageId(id.to_string())) }
}

/// The Message-ID of outbox row `outbox_id`, created at `created_at` (as stored: the same on every
/// attempt): `outbox-{id}.{hash12}@{host}`. The hash covers the row's creation instant, so a
/// database started afresh (or restored from an older copy) never reuses an id that readers have
/// already seen for another message — mail clients drop a message whose id they know; and the
/// whole public URL, so two installations behind one host (ports, paths) never share ids.
pub fn message_id_for(outbox_id: i64, created_at: chrono::NaiveDateTime, public_url: &str) -> String {
    let created = created_at.and_utc().timestamp_micros();
    let digest =
        Sha256::new().chain_update(format!("hailong/message-id/v2\n{outbox_id}\n{created}\n{public_url}")).finalize();
    let host = host_of(public_url).unwrap_or_else(|| "hailong.invalid".to_string());
    format!("outbox-{outbox_id}.{}@{host}", hex::encode(&digest[..6]))
}

/// The host of an `http(s)://` URL, lowercased, when it is a plain domain or IP literal.
fn host_of(url: &str) -> Option<String> {
    let rest = url.split_once("://")?.1;
    let authority = rest.split(['/', '?', '#']).next()?;
    let host_port = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    let host = if host_port.starts_with('[') {
        // IPv6 literal `[::1]:8080`: brackets make it a valid Message-ID domain literal as it is.
        &host_port[..=host_port.find(']')?]
    } else {
        host_port.split(':').next()?
    };
    let host = host.trim_end_matches('.').to_ascii_lowercase();
    let ok = !host.is_empty()
        && host.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'[' | b']' | b':'));
    ok.then_some(host)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn outgoing() -> Outgoing {
        Outgoing {
            message_id: "outbox-1.0badc0de@hailong.example".into(),
            to: "Phòng Tư pháp <tuphap@tuyphuoc.gov.vn>".into(),
            cc: vec![],
            subject: "Phản ánh mới".into(),
            text: "Xin chào".into(),
            html: "<p>Xin chào</p>".into(),
            attachments: vec![],
        }
    }

    #[test]
    fn message_id_is_stable_and_names_the_host() {
        let at = chrono::NaiveDate::from_ymd_opt(2026, 11, 28).unwrap().and_hms_micro_opt(4, 5, 6, 123_456).unwrap();
        let id = |n, url| message_id_for(n, at, url);
        let a = id(42, "https://hailong.example/");
        assert_eq!(a, id(42, "https://hailong.example/"));
        assert!(a.starts_with("outbox-42.") && a.ends_with("@hailong.example"), "{a}");
        assert_eq!(a.split(['.', '@']).nth(1).unwrap().len(), 12, "{a}");
        assert_ne!(a, id(43, "https://hailong.example/"));
        assert_ne!(a, id(42, "https://hailong.example:8443/"));
        // The same row number in a database started afresh: another message, another id.
        assert_ne!(a, message_id_for(42, at + chrono::Duration::microseconds(1), "https://hailong.example/"));
        assert!(id(1, "http://User@Host.Example:8080/x").ends_with("@host.example"));
        assert!(id(1, "http://[::1]:8080").ends_with("@[::1]"));
        assert!(id(1, "not a url").ends_with("@hailong.invalid"));
        assert!(check_message_id(&id(7, "http://127.0.0.1:8080")).is_ok());
    }

    #[test]
    fn mailboxes_with_names_parse() {
        let m = parse_mailbox("UBND xã Phước Hiệp, huyện Tuy Phước <ubnd.phuochiep@binhdinh.gov.vn>").unwrap();
        assert_eq!(m.name.as_deref(), Some("UBND xã Phước Hiệp, huyện Tuy Phước"));
        assert_eq!(m.email.to_string(), "ubnd.phuochiep@binhdinh.gov.vn");
        assert_eq!(parse_mailbox("\"A. B\" <a@b.vn>").unwrap().name.as_deref(), Some("A. B"));
        assert_eq!(parse_mailbox(" a@b.vn ").unwrap().name, None);
        assert!(parse_mailbox("hailong <no-reply@localhost>").is_ok());
        for bad in ["", "a", "a@", "<a@b.vn", "a@b.vn junk", "Tên <a b@c.vn>", "a@b.vn\r\nBcc: x@y.vn"] {
            assert!(matches!(parse_mailbox(bad), Err(MailError::Address { .. })), "{bad:?} accepted");
        }
    }

    #[test]
    fn build_sets_headers_and_rejects_bad_input() {
        let mut out = outgoing();
        out.cc = vec!["tuphap@tuyphuoc.gov.vn".into(), "Thanh tra <thanhtra@tuyphuoc.gov.vn>".into()];
        out.subject = "dòng 1\r\nBcc: x@y.vn".into();
        let raw = String::from_utf8(build("hailong <no-reply@hailong.example>", &out).unwrap().formatted()).unwrap();
        assert!(raw.contains("Message-ID: <outbox-1.0badc0de@hailong.example>\r\n"), "{raw}");
        assert!(raw.contains("Auto-Submitted: auto-generated\r\n"), "{raw}");
        assert!(raw.contains("\r\nDate: "), "{raw}");
        assert!(!raw.contains("\r\nBcc:"), "{raw}");
        assert!(raw.is_ascii());
        // The To address is not copied again on Cc.
        let cc = raw.lines().find(|l| l.starts_with("Cc:")).unwrap();
        assert!(!cc.contains("tuphap@") && cc.contains("thanhtra@"), "{cc}");

        let bad_to = Outgoing { to: "not an address".into(), ..outgoing() };
        assert!(matches!(build("a@b.vn", &bad_to), Err(MailError::Address { field: "To", .. })));
        let bad_cc = Outgoing { cc: vec!["x@".into()], ..outgoing() };
        assert!(matches!(build("a@b.vn", &bad_cc), Err(MailError::Address { field: "Cc", .. })));
        assert!(matches!(build("nobody", &outgoing()), Err(MailError::Address { field: "From", .. })));
        let bad_id = Outgoing { message_id: "<x@y>".into(), ..outgoing() };
        assert!(matches!(build("a@b.vn", &bad_id), Err(MailError::MessageId(_))));
    }
}
