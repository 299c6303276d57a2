//! `hailong demo`: the Tuy Phước demo organisation on the configured database.

use crate::error::{Error, Result};
use crate::i18n::Lang;
use crate::service::Services;
use crate::service::org;
use crate::{store, t};

/// The demo organisation, shipped as a normal organisation file.
pub const ORG_FILE: &str = include_str!("../examples/tuyphuoc.toml");
pub const ORG_FILE_NAME: &str = "examples/tuyphuoc.toml";

/// Loads the demo organisation into an empty database, reuses it when present, and refuses (changing
/// nothing) when the database holds another organisation. Returns what to print for a newcomer.
pub fn prepare(s: &Services) -> Result<String> {
    let demo = crate::domain::org_file::parse(ORG_FILE).expect("the shipped demo file is valid");
    let demo_codes: Vec<&str> = demo.spec.units.iter().map(|u| u.code.as_str()).collect();
    let current = s.db.read(store::org::snapshot)?;
    if current.units.is_empty() {
        org::import_text(s, ORG_FILE, ORG_FILE_NAME, false)?;
    } else if !demo_codes.iter().all(|c| current.units.iter().any(|u| u.code == *c)) {
        let db = s.db.target().display();
        let n = current.units.len();
        return Err(Error::Conflict(t!(
            "Cơ sở dữ liệu {db} đã có một tổ chức khác ({n} đơn vị), không phải tổ chức mẫu; bản demo không thay đổi gì. Hãy chọn thư mục dữ liệu khác, ví dụ HAILONG_DATA_DIR=demo-data",
            "The database {db} already holds another organisation ({n} units), not the demo one; the demo changed nothing. Choose another data folder, e.g. HAILONG_DATA_DIR=demo-data"
        )));
    }
    welcome(s, Lang::from_locale())
}

fn welcome(s: &Services, lang: Lang) -> Result<String> {
    let base = s.config.public_url();
    let db = s.db.target().display();
    let data = s.config.data_dir.display();
    let mail = s.config.mail.dir.clone().unwrap_or_else(|| s.config.data_dir.join("mail"));
    let (mail_vi, mail_en) = match s.config.mail.transport {
        crate::config::MailTransport::File => (
            format!(
                "Thư điện tử gửi cán bộ được ghi thành tệp .eml trong {} (không gửi đi thật); mở tệp, bấm đường dẫn để xử lý phản ánh.\n\n",
                mail.display()
            ),
            format!(
                "Emails to officers are written as .eml files into {} (nothing is sent); open one and follow its link to handle the report.\n\n",
                mail.display()
            ),
        ),
        crate::config::MailTransport::Smtp => (String::new(), String::new()),
    };
    let desks = s.db.read(store::org::all_desks)?;
    let mut forms = String::new();
    for code in ["MC-TP", "MC-PHUOCHUNG", "MC-DIEUTRI"] {
        if let Some(d) = desks.iter().find(|d| d.code == code && d.active) {
            forms.push_str(&format!("  {}  {}\n", crate::service::desk::desk_url(&base, d), d.name));
        }
    }
    Ok(match lang {
        Lang::Vi => format!(
            "hailong demo — tổ chức mẫu huyện Tuy Phước (Bình Định)\n\
             Cơ sở dữ liệu: {db}  (thư mục dữ liệu: {data})\n\n\
             Biểu mẫu đánh giá của một số quầy (mở trên điện thoại hoặc trình duyệt):\n{forms}\n\
             Khác:\n  {base}/                  trang chủ, tra cứu phản ánh theo mã tiếp nhận\n  {base}/api/v1/openapi.json  API cho máy tính bảng\n  {base}/readyz            tình trạng sẵn sàng;  {base}/metrics  số liệu Prometheus\n\n\
             {mail_vi}\
             Thử các lệnh (cùng cơ sở dữ liệu):\n  cargo run --release -- poster MC-PHUOCHUNG -o poster.svg   áp phích A5 để in\n  cargo run --release -- qr --all --out qr                  mã QR của mọi quầy\n  cargo run --release -- org export                         tệp tổ chức\n  cargo run --release -- jobs run-once --at 2026-12-31T09:00:00+07:00   chạy nhắc việc, chuyển lên cấp trên\n  cargo run --release -- audit verify                       kiểm tra nhật ký không bị sửa\n\n\
             Muốn quét bằng điện thoại cùng mạng: chạy với --listen 0.0.0.0:8080 và HAILONG_PUBLIC_URL=http://ĐỊA_CHỈ_MÁY:8080\n\
             Dừng bằng Ctrl+C."
        ),
        Lang::En => format!(
            "hailong demo — the Tuy Phước district (Bình Định) demo organisation\n\
             Database: {db}  (data folder: {data})\n\n\
             Rating forms of some desks (open on a phone or in a browser):\n{forms}\n\
             Also:\n  {base}/                  home page, track a report by receipt code\n  {base}/api/v1/openapi.json  API for tablets and kiosks\n  {base}/readyz            readiness;  {base}/metrics  Prometheus metrics\n\n\
             {mail_en}\
             Try (same database):\n  cargo run --release -- poster MC-PHUOCHUNG -o poster.svg   printable A5 poster\n  cargo run --release -- qr --all --out qr                  every desk's QR code\n  cargo run --release -- org export                         the organisation file\n  cargo run --release -- jobs run-once --at 2026-12-31T09:00:00+07:00   reminders and escalations at an instant\n  cargo run --release -- audit verify                       check that the case log was not edited\n\n\
             To scan with a phone on the same network: run with --listen 0.0.0.0:8080 and HAILONG_PUBLIC_URL=http://THIS_MACHINE:8080\n\
             Stop with Ctrl+C."
        ),
    })
}
