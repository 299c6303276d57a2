//! `hailong demo`: the demo organisation on the configured database — the two-tier Gia Lai
//! organisation (since 1 July 2025) of the area that was Tuy Phước district — and, on an empty
//! database, a year of synthetic ratings and cases ([`history`]) so the reports have data.

pub mod history;

use chrono::{DateTime, Duration, Utc};

use crate::error::{Error, Result};
use crate::i18n::{Lang, local_time};
use crate::service::Services;
use crate::service::org;
use crate::t;

/// The demo organisation, shipped as a normal organisation file.
pub const ORG_FILE: &str = include_str!("../../examples/gialai.toml");
pub const ORG_FILE_NAME: &str = "examples/gialai.toml";

/// The demo of earlier versions (the 2021 district organisation, still an example file): a data
/// folder holding it is recognised and the newcomer told what to do.
const OLD_DEMO_UNITS: [&str; 3] = ["TP", "TP-NV", "X-PHUOCHUNG"];

/// Loads the demo organisation into an empty database with a year of history before `now`
/// ([`history::generate`]), reuses it when present (adding nothing), and refuses (changing
/// nothing) when the database holds another organisation. Returns what to print for a newcomer,
/// in `lang`, as of `now`.
pub fn prepare(s: &Services, lang: Lang, now: DateTime<Utc>) -> Result<String> {
    let demo = crate::domain::org_file::parse(ORG_FILE).expect("the shipped demo file is valid");
    let demo_codes: Vec<&str> = demo.spec.units.iter().map(|u| u.code.as_str()).collect();
    let current = org::unit_codes(s)?;
    if current.is_empty() {
        org::import_text(s, ORG_FILE, ORG_FILE_NAME, false)?;
        history::generate(s, now)?;
    } else if OLD_DEMO_UNITS.iter().all(|c| current.iter().any(|u| u == c)) {
        let data = s.config.data_dir.display();
        return Err(Error::Conflict(t!(
            "Thư mục dữ liệu {data} đang chứa bản demo cũ (tổ chức ba cấp huyện Tuy Phước năm 2021); bản demo nay dùng tổ chức hai cấp của tỉnh Gia Lai từ 01/7/2025. Không có gì bị thay đổi. Để chạy bản demo mới, hãy chuyển thư mục cũ sang tên khác rồi chạy lại:\n  mv {data} {data}-2021 && cargo run --release -- demo\nhoặc giữ nguyên và dùng thư mục khác:\n  HAILONG_DATA_DIR=demo-2025 cargo run --release -- demo\nDữ liệu cũ vẫn mở được bằng HAILONG_DATA_DIR={data}-2021 (ví dụ cargo run --release -- serve).",
            "The data folder {data} holds the old demo (the three-tier Tuy Phước district of 2021); the demo now uses the two-tier Gia Lai province organisation in force since 1 July 2025. Nothing was changed. To run the new demo, move the old folder aside and run again:\n  mv {data} {data}-2021 && cargo run --release -- demo\nor keep it and use another folder:\n  HAILONG_DATA_DIR=demo-2025 cargo run --release -- demo\nThe old data still opens with HAILONG_DATA_DIR={data}-2021 (e.g. cargo run --release -- serve)."
        )));
    } else if !demo_codes.iter().all(|c| current.iter().any(|u| u == c)) {
        let db = s.db.target().display();
        let n = current.len();
        return Err(Error::Conflict(t!(
            "Cơ sở dữ liệu {db} đã có một tổ chức khác ({n} đơn vị), không phải tổ chức mẫu; bản demo không thay đổi gì. Hãy chọn thư mục dữ liệu khác, ví dụ HAILONG_DATA_DIR=demo-data",
            "The database {db} already holds another organisation ({n} units), not the demo one; the demo changed nothing. Choose another data folder, e.g. HAILONG_DATA_DIR=demo-data"
        )));
    }
    welcome(s, lang, now)
}

fn welcome(s: &Services, lang: Lang, now: DateTime<Utc>) -> Result<String> {
    let public = s.public_url_full();
    let base = public.url.clone();
    let listen = &s.config.listen;
    // Where the links point, and whether a phone can open them.
    let (base_vi, base_en) = {
        let d = public.describe();
        let wildcard = listen.starts_with("0.0.0.0") || listen.starts_with("[::]");
        let lan = if wildcard && s.config.public_url.is_none() {
            (
                format!(
                    " — máy chủ nghe trên mọi địa chỉ ({listen}), nên mã QR và thư dùng địa chỉ mạng LAN của máy này"
                ),
                format!(
                    " — the server listens on every address ({listen}), so QR codes and emails use this machine's LAN address"
                ),
            )
        } else {
            (String::new(), String::new())
        };
        (
            format!("Địa chỉ trong mã QR và thư: {}{}\n", d.vi, lan.0),
            format!("Address in QR codes and emails: {}{}\n", d.en, lan.1),
        )
    };
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
    // Outside office hours only urgent emails leave at once; say so, or a newcomer trying the demo
    // on a Saturday waits for emails that are (rightly) held until Monday.
    let office = s.calendars().for_unit(None).next_working_start(now);
    let (held_vi, held_en) = if office > now {
        let at = office.with_timezone(&crate::domain::LOCAL_TZ).format("%Y-%m-%dT%H:%M:%S%:z");
        (
            format!(
                "Bây giờ ngoài giờ hành chính: thư không khẩn (ví dụ phản ánh chậm trễ) chờ đến {}; để gửi ngay như vào giờ đó: cargo run --release -- jobs run-once --at {at}\n\n",
                local_time(office, Lang::Vi)
            ),
            format!(
                "It is outside office hours: non-urgent emails (a delay report, say) wait until {}; to send them now as at that time: cargo run --release -- jobs run-once --at {at}\n\n",
                local_time(office, Lang::En)
            ),
        )
    } else {
        (String::new(), String::new())
    };
    // An instant two weeks ahead, when windows of today's reports have run out.
    let later = (now + Duration::days(14)).with_timezone(&crate::domain::LOCAL_TZ).format("%Y-%m-%dT09:00:00%:z");
    let desks = crate::service::desk::form_urls(s)?;
    let mut forms = String::new();
    for code in ["MC-GL-QN1", "MC-TUYPHUOC-1", "MC-TUYPHUOCBAC-1"] {
        if let Some((_, url, name)) = desks.iter().find(|(c, _, _)| c == code) {
            forms.push_str(&format!("  {url}  {name}\n"));
        }
    }
    let (reports_vi, reports_en) = report_links(s, &base, &desks, now)?;
    Ok(match lang {
        Lang::Vi => format!(
            "hailong demo — tổ chức mẫu hai cấp: tỉnh Gia Lai và 4 xã thay cho huyện Tuy Phước cũ\n\
             Cơ sở dữ liệu: {db}  (thư mục dữ liệu: {data})\n\
             {base_vi}\n\
             Biểu mẫu đánh giá của một số quầy (mở trên điện thoại hoặc trình duyệt):\n{forms}\n\
             {reports_vi}\
             Khác:\n  {base}/                  trang chủ, tra cứu phản ánh theo mã tiếp nhận\n  {base}/api/v1/openapi.json  API cho máy tính bảng\n  {base}/readyz            tình trạng sẵn sàng;  {base}/metrics  số liệu Prometheus\n\n\
             {mail_vi}{held_vi}\
             Thử các lệnh (cùng cơ sở dữ liệu):\n  cargo run --release -- poster MC-TUYPHUOC-1 -o poster.svg  áp phích A5 để in\n  cargo run --release -- qr --all --out qr                  mã QR của mọi quầy\n  cargo run --release -- org export                         tệp tổ chức\n  cargo run --release -- jobs run-once --at {later}   chạy nhắc việc, chuyển lên cấp trên\n  cargo run --release -- audit verify                       kiểm tra nhật ký không bị sửa\n\n\
             Muốn quét bằng điện thoại cùng mạng: chạy với --listen 0.0.0.0:8080 (mã QR và thư sẽ dùng địa chỉ LAN của máy), hoặc đặt HAILONG_PUBLIC_URL=http://ĐỊA_CHỈ_MÁY:8080\n\
             Dừng bằng Ctrl+C."
        ),
        Lang::En => format!(
            "hailong demo — the two-tier demo organisation: Gia Lai province and the 4 communes that replaced Tuy Phước district\n\
             Database: {db}  (data folder: {data})\n\
             {base_en}\n\
             Rating forms of some desks (open on a phone or in a browser):\n{forms}\n\
             {reports_en}\
             Also:\n  {base}/                  home page, track a report by receipt code\n  {base}/api/v1/openapi.json  API for tablets and kiosks\n  {base}/readyz            readiness;  {base}/metrics  Prometheus metrics\n\n\
             {mail_en}{held_en}\
             Try (same database):\n  cargo run --release -- poster MC-TUYPHUOC-1 -o poster.svg  printable A5 poster\n  cargo run --release -- qr --all --out qr                  every desk's QR code\n  cargo run --release -- org export                         the organisation file\n  cargo run --release -- jobs run-once --at {later}   reminders and escalations at an instant\n  cargo run --release -- audit verify                       check that the case log was not edited\n\n\
             To scan with a phone on the same network: run with --listen 0.0.0.0:8080 (QR codes and emails then use this machine's LAN address), or set HAILONG_PUBLIC_URL=http://THIS_MACHINE:8080\n\
             Stop with Ctrl+C."
        ),
    })
}

/// Last month's report links (the whole province, a commune, what the Sở Nội vụ oversees), a
/// desk's public results and the report commands, in both languages. New links at each start:
/// only their hashes are stored, so the ones printed before cannot be shown again.
fn report_links(
    s: &Services,
    base: &str,
    desks: &[(String, String, String)],
    now: DateTime<Utc>,
) -> Result<(String, String)> {
    use crate::service::reports::links::{self, Kind, NewLink};
    let month = crate::domain::period::Month::of(now).prev();
    let (m, label_vi, label_en) = (month.to_string(), month.label(Lang::Vi), month.label(Lang::En));
    let whole = links::for_month(s, None, month, "demo", now)?;
    let commune = links::for_month(s, Some("X-TUYPHUOC"), month, "demo", now)?;
    let snv = s.db.read(|c| crate::store::org::unit_by_code(c, "GL-SNV"))?.map(|u| u.id);
    let oversight = links::create(
        s,
        &NewLink {
            kind: Kind::MonthlyOversight,
            period: month.number(),
            unit_id: snv,
            officer_id: None,
            email: "demo".into(),
        },
        now,
    )?;
    let results = desks
        .iter()
        .find(|(c, _, _)| c == "MC-TUYPHUOC-1")
        .map(|(_, url, _)| format!("{url}/results"))
        .unwrap_or_default();
    let year = month.year();
    let vi = format!(
        "Báo cáo {label_vi} (mở trên trình duyệt; thêm ?format=xlsx, csv hoặc json để tải về):\n  {base}/r/{whole}  toàn tỉnh\n  {base}/r/{commune}  xã Tuy Phước (như thư gửi Chủ tịch UBND xã)\n  {base}/r/{oversight}  các đơn vị do Sở Nội vụ giám sát\n  {results}  kết quả tháng trước của một quầy, cho người dân\n\
         Trang quản lý: {base}/staff — đăng nhập bằng địa chỉ tnm.thu.snv@gialai.example (Giám đốc Sở Nội vụ, giám sát các xã); thư đăng nhập ghi vào thư mục thư ở dưới: mở thư mới nhất, bấm đường dẫn\n\
         Lệnh báo cáo:\n  cargo run --release -- report monthly --month {m} --format xlsx -o bao-cao.xlsx\n  cargo run --release -- report yearly --year {year} --unit X-TUYPHUOC -o bao-cao-nam.docx   dự thảo báo cáo năm (Nghị định 30/2020)\n  cargo run --release -- poster MC-TUYPHUOC-1 --results {m} -o ket-qua.svg   áp phích kết quả A5\n  cargo run --release -- report send --month {m}   gửi thư báo cáo (ghi vào data/mail)\n\n"
    );
    let en = format!(
        "Reports for {label_en} (open in a browser; add ?format=xlsx, csv or json to download):\n  {base}/r/{whole}  the whole province\n  {base}/r/{commune}  Tuy Phước commune (as emailed to its chair)\n  {base}/r/{oversight}  the units the Sở Nội vụ oversees\n  {results}  a desk's results for citizens\n\
         Staff console: {base}/staff — sign in as tnm.thu.snv@gialai.example (director of the Sở Nội vụ, overseeing the communes); the sign-in email lands in the mail folder below: open the newest one and follow its link\n\
         Report commands:\n  cargo run --release -- report monthly --month {m} --format xlsx -o report.xlsx\n  cargo run --release -- report yearly --year {year} --unit X-TUYPHUOC -o yearly.docx   the yearly draft (Decree 30/2020 layout)\n  cargo run --release -- poster MC-TUYPHUOC-1 --results {m} -o results.svg   A5 results poster\n  cargo run --release -- report send --month {m}   email the reports (written to data/mail)\n\n"
    );
    Ok((vi, en))
}
