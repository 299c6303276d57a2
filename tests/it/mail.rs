//! Email end to end: lettre's SMTP transport against a real server ([`SmtpSink`]), and the file
//! transport. Messages are always read back through MIME decoding (`smtp::parse`).

use std::path::Path;
use std::time::{Duration, Instant};

use hailong::config::{MailConfig, MailTransport, SmtpSecurity};
use hailong::mail::{Mailer, Outgoing, SendError, message_id_for};

use crate::smtp::{self, SmtpSink};
use crate::support::block_on;

const FROM: &str = "Hệ thống hailong <no-reply@hailong.example>";
const SUBJECT: &str = "[hailong] Phản ánh mới PA-7KQ3-M9XT — hạn xác nhận 17:00 30/11/2026";
/// Longer than a 76-character line, with `=` and `&` that quoted-printable must carry through.
const LINK: &str = "https://hailong.example/a/xac-nhan?case=PA-7KQ3-M9XT&unit=17&exp=1795939200&sig=Zm9vYmFyYmF6cXV4LXF1dXgtY29yZ2UtZ3JhdWx0LWdhcnBseQ";

fn smtp_config(port: u16, timeout_secs: u64) -> MailConfig {
    let mut c = MailConfig { transport: MailTransport::Smtp, from: FROM.into(), ..MailConfig::default() };
    c.smtp.host = "127.0.0.1".into();
    c.smtp.port = port;
    c.smtp.security = SmtpSecurity::None;
    c.smtp.timeout_secs = timeout_secs;
    c
}

fn report(id: i64) -> Outgoing {
    let text = format!(
        "Kính gửi Phòng Tư pháp,\n\nCông dân đã gửi phản ánh PA-7KQ3-M9XT về quầy Một cửa số 2: \
         \"cán bộ yêu cầu nộp thêm giấy tờ không có trong danh mục, đề nghị xem xét và trả lời đúng hạn\".\n\n\
         Xác nhận đã tiếp nhận (trước 17:00 30/11/2026):\n{LINK}\n\nTrân trọng,\nhailong"
    );
    let html = format!(
        "<p>Kính gửi Phòng Tư pháp,</p><p>Công dân đã gửi phản ánh <b>PA-7KQ3-M9XT</b>.</p>\
         <p><a href=\"{}\">Xác nhận đã tiếp nhận</a></p>",
        LINK.replace('&', "&amp;")
    );
    Outgoing {
        message_id: message_id_for(id, chrono::NaiveDateTime::default(), "https://hailong.example"),
        to: "Phòng Tư pháp – UBND xã Phước Hiệp <tuphap.phuochiep@binhdinh.gov.vn>".into(),
        cc: vec!["Thanh tra huyện Tuy Phước <thanhtra@tuyphuoc.gov.vn>".into()],
        subject: SUBJECT.into(),
        text,
        html,
        attachments: vec![],
    }
}

/// Bodies travel with CRLF line ends; compare them with the LF text we wrote.
fn lf(s: &str) -> String {
    s.replace("\r\n", "\n")
}

#[test]
fn smtp_delivers_a_vietnamese_message_intact() {
    block_on(async {
        let sink = SmtpSink::start();
        let mailer = Mailer::from_config(&smtp_config(sink.port(), 5), Path::new("unused")).unwrap();
        let out = report(42);
        mailer.send(FROM, &out).await.unwrap();

        let got = sink.wait_for(1, Duration::from_secs(10)).await;
        assert_eq!(got.len(), 1);
        let m = &got[0];
        assert_eq!(m.from, "no-reply@hailong.example");
        assert_eq!(m.to, ["tuphap.phuochiep@binhdinh.gov.vn", "thanhtra@tuyphuoc.gov.vn"]);
        // The wire form is ASCII, and the link is not findable in it as is.
        let raw = String::from_utf8(m.raw.clone()).unwrap();
        assert!(raw.is_ascii() && !raw.contains(LINK), "{raw}");

        let p = m.parse();
        assert_eq!(p.subject, SUBJECT);
        assert_eq!(p.message_id, out.message_id);
        assert!(p.message_id.starts_with("outbox-42.") && p.message_id.ends_with("@hailong.example"));
        assert_eq!(p.from, "no-reply@hailong.example");
        assert_eq!(p.to, ["tuphap.phuochiep@binhdinh.gov.vn"]);
        assert_eq!(p.cc, ["thanhtra@tuyphuoc.gov.vn"]);
        assert_eq!(p.names["no-reply@hailong.example"], "Hệ thống hailong");
        assert_eq!(p.names["tuphap.phuochiep@binhdinh.gov.vn"], "Phòng Tư pháp – UBND xã Phước Hiệp");
        assert_eq!(p.names["thanhtra@tuyphuoc.gov.vn"], "Thanh tra huyện Tuy Phước");
        assert_eq!(p.header("Auto-Submitted"), Some("auto-generated"));
        assert!(p.header("Date").is_some());
        assert!(p.header("Content-Type").unwrap().starts_with("multipart/alternative"));

        assert_eq!(lf(&p.text), out.text);
        assert_eq!(lf(&p.html), out.html);
        assert_eq!(smtp::links(&p.text, "https://hailong.example/"), [LINK]);
        assert_eq!(smtp::links(&p.html, "https://hailong.example/"), [LINK]);
    });
}

#[test]
fn smtp_reuses_the_transport_for_several_messages() {
    block_on(async {
        let sink = SmtpSink::start();
        let mailer = Mailer::from_config(&smtp_config(sink.port(), 5), Path::new("unused")).unwrap();
        for id in 1..=3 {
            mailer.send(FROM, &report(id)).await.unwrap();
        }
        let ids: Vec<String> =
            sink.wait_for(3, Duration::from_secs(10)).await.iter().map(|m| m.parse().message_id).collect();
        let want: Vec<String> = (1..=3).map(|id| report(id).message_id).collect();
        assert_eq!(ids, want);
    });
}

#[test]
fn file_transport_writes_one_eml_per_message_id() {
    block_on(async {
        let tmp = tempfile::tempdir().unwrap();
        let data_dir = tmp.path().join("data");
        let config = MailConfig { from: FROM.into(), ..MailConfig::default() };
        let mailer = Mailer::from_config(&config, &data_dir).unwrap();
        let dir = data_dir.join("mail");
        assert!(matches!(&mailer, Mailer::File { dir: d } if *d == dir));

        let first = report(7);
        mailer.send(FROM, &first).await.unwrap();
        // A retry of the same outbox row replaces the file instead of adding one.
        let retry = Outgoing { subject: format!("{SUBJECT} (gửi lại)"), ..first.clone() };
        mailer.send(FROM, &retry).await.unwrap();
        mailer.send(FROM, &report(8)).await.unwrap();

        let mut names: Vec<String> =
            std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().file_name().into_string().unwrap()).collect();
        names.sort();
        let want = |id| format!("{}.eml", report(id).message_id);
        assert_eq!(names, [want(7), want(8)]);

        let p = smtp::parse(&std::fs::read(dir.join(want(7))).unwrap());
        assert_eq!(p.subject, retry.subject);
        assert_eq!(p.message_id, first.message_id);
        assert_eq!(p.to, ["tuphap.phuochiep@binhdinh.gov.vn"]);
        assert_eq!(smtp::links(&p.text, "https://hailong.example/"), [LINK]);
    });
}

#[test]
fn smtp_down_is_transient_then_the_same_send_succeeds() {
    block_on(async {
        let port = SmtpSink::free_port();
        let mailer = Mailer::from_config(&smtp_config(port, 2), Path::new("unused")).unwrap();
        let out = report(9);

        let started = Instant::now();
        let err: SendError = mailer.send(FROM, &out).await.unwrap_err();
        assert!(!err.permanent, "{err:?}");
        assert!(started.elapsed() < Duration::from_secs(5), "took {:?}", started.elapsed());

        let sink = SmtpSink::start_on(port);
        mailer.send(FROM, &out).await.unwrap();
        let got = sink.wait_for(1, Duration::from_secs(10)).await;
        assert_eq!(got[0].parse().message_id, out.message_id);
    });
}

#[test]
fn invalid_recipient_is_a_permanent_error_not_a_panic() {
    block_on(async {
        let sink = SmtpSink::start();
        let mailer = Mailer::from_config(&smtp_config(sink.port(), 5), Path::new("unused")).unwrap();
        for to in ["not an address", "Tên <tuphap@>", "a@b.vn\r\nBcc: x@y.vn"] {
            let out = Outgoing { to: to.into(), ..report(10) };
            let err = mailer.send(FROM, &out).await.unwrap_err();
            assert!(err.permanent && err.message.contains("To"), "{to:?}: {err:?}");
        }
        let out = Outgoing { cc: vec!["x@@y".into()], ..report(10) };
        assert!(mailer.send(FROM, &out).await.unwrap_err().permanent);
        assert!(hailong::mail::build(FROM, &Outgoing { to: "nope".into(), ..report(10) }).is_err());

        // The same on the file transport: nothing written.
        let tmp = tempfile::tempdir().unwrap();
        let files =
            Mailer::from_config(&MailConfig { from: FROM.into(), ..MailConfig::default() }, tmp.path()).unwrap();
        assert!(files.send(FROM, &Outgoing { to: "nope".into(), ..report(10) }).await.unwrap_err().permanent);
        assert_eq!(std::fs::read_dir(tmp.path().join("mail")).unwrap().count(), 0);

        tokio::time::sleep(Duration::from_millis(100)).await;
        assert!(sink.messages().is_empty());
    });
}

#[test]
fn server_refusals_are_sorted_by_reply_code() {
    block_on(async {
        let sink = SmtpSink::start();
        let mailer = Mailer::from_config(&smtp_config(sink.port(), 5), Path::new("unused")).unwrap();
        let refused = mailer.send(FROM, &Outgoing { to: "bounce@tuyphuoc.gov.vn".into(), ..report(11) }).await;
        let refused = refused.unwrap_err();
        assert!(refused.permanent && refused.message.contains("550"), "{refused:?}");
        let busy = mailer.send(FROM, &Outgoing { to: "busy@tuyphuoc.gov.vn".into(), ..report(12) }).await;
        let busy = busy.unwrap_err();
        assert!(!busy.permanent && busy.message.contains("451"), "{busy:?}");
        // The connection is still good for the next message.
        mailer.send(FROM, &report(13)).await.unwrap();
        assert_eq!(sink.wait_for(1, Duration::from_secs(10)).await.len(), 1);
    });
}
