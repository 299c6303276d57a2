//! `hailong report …` (alias `reports`) and `hailong files …`: satisfaction reports from the
//! command line, their delivery, links and rollups, and the files handled per desk.

use std::path::{Path, PathBuf};

use chrono::Utc;
use clap::{Subcommand, ValueEnum};

use crate::config::Config;
use crate::domain::period::{Month, Period};
use crate::error::{Error, Result};
use crate::i18n::Lang;
use crate::report;
use crate::service::Services;
use crate::service::reports::{delivery, files, links, monthly, rollup, yearly};
use crate::t;

#[derive(Subcommand, Debug)]
pub enum ReportCommand {
    /// Báo cáo tháng của một đơn vị (và các đơn vị trực thuộc) hoặc toàn tổ chức — a monthly report.
    Monthly {
        /// Tháng, dạng NNNN-TT — the month, YYYY-MM.
        #[arg(long, value_name = "YYYY-MM")]
        month: String,
        /// Mã đơn vị (mặc định: toàn tổ chức) — unit code (default: the whole organisation).
        #[arg(long, value_name = "CODE")]
        unit: Option<String>,
        #[arg(long, value_enum, default_value = "html")]
        format: MonthlyFormat,
        /// Tệp kết quả — output file.
        #[arg(short, long, value_name = "FILE")]
        output: PathBuf,
    },
    /// Báo cáo năm thực hiện văn hóa công vụ (dự thảo theo Nghị định 30/2020) — the yearly report.
    Yearly {
        /// Năm báo cáo — the programme year.
        #[arg(long, value_name = "YYYY")]
        year: i32,
        /// Mã đơn vị (mặc định: toàn tổ chức) — unit code (default: the whole organisation).
        #[arg(long, value_name = "CODE")]
        unit: Option<String>,
        #[arg(long, value_enum, default_value = "docx")]
        format: YearlyFormat,
        /// Tệp kết quả — output file.
        #[arg(short, long, value_name = "FILE")]
        output: PathBuf,
    },
    /// Gửi báo cáo một tháng ngay cho thủ trưởng và đơn vị giám sát (chỉ một lần) — send a month now (once).
    Send {
        #[arg(long, value_name = "YYYY-MM")]
        month: String,
    },
    /// Tạo đường dẫn báo cáo tháng và in ra — make a report link and print it.
    Link {
        #[arg(long, value_name = "YYYY-MM")]
        month: String,
        /// Mã đơn vị (mặc định: toàn tổ chức) — unit code (default: the whole organisation).
        #[arg(long, value_name = "CODE")]
        unit: Option<String>,
        /// Địa chỉ thư người nhận (để ghi nhận) — who the link is for (recorded).
        #[arg(long, value_name = "EMAIL", default_value = "operator")]
        to: String,
    },
    /// Thu hồi đường dẫn báo cáo của một tháng — revoke a month's report links.
    Revoke {
        #[arg(long, value_name = "YYYY-MM")]
        month: String,
        #[arg(long, value_name = "CODE")]
        unit: Option<String>,
    },
    /// Tính lại số liệu tổng hợp từ các lượt đánh giá và cho biết có sai khác không — rebuild the rollups.
    Rebuild {
        /// Một tháng (mặc định: mọi tháng có đánh giá) — one month (default: every month with ratings).
        #[arg(long, value_name = "YYYY-MM")]
        month: Option<String>,
    },
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum MonthlyFormat {
    Html,
    Csv,
    Xlsx,
    Json,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum YearlyFormat {
    Html,
    Docx,
    Xlsx,
}

#[derive(Subcommand, Debug)]
pub enum FilesCommand {
    /// Số hồ sơ một quầy đã giải quyết trong tháng (nhập lại thì thay) — files a desk handled in a month.
    Set {
        /// Mã quầy — desk code.
        desk: String,
        #[arg(long, value_name = "YYYY-MM")]
        month: String,
        /// Số hồ sơ (từ 0) — the number of files (0 or more).
        #[arg(long, value_name = "N", allow_negative_numbers = true)]
        count: i64,
    },
    /// Nhập tệp CSV (desk,month,files): tất cả hoặc không — import a CSV file: all or nothing.
    Import {
        /// Tệp CSV, dòng đầu desk,month,files — CSV file with header desk,month,files.
        file: PathBuf,
    },
}

fn month(s: &str) -> Result<Month> {
    Month::parse(s).map_err(Error::Invalid)
}

fn say(text: crate::i18n::Text) {
    println!("{}", text.get(Lang::from_locale()));
}

/// Writes a new report file (never over an existing one's content half-way: written whole).
fn write(path: &Path, bytes: &[u8]) -> Result<()> {
    std::fs::write(path, bytes).map_err(|e| {
        let shown = path.display();
        Error::Invalid(t!("Không ghi được tệp {shown}: {e}", "Cannot write the file {shown}: {e}"))
    })?;
    let (shown, n) = (path.display(), bytes.len());
    say(t!("Đã ghi {shown} ({n} byte)", "Wrote {shown} ({n} bytes)"));
    Ok(())
}

pub fn run_report(config: Config, cmd: ReportCommand) -> Result<()> {
    let lang = Lang::from_locale();
    let services = Services::open(config)?;
    let s = &services;
    let now = Utc::now();
    match cmd {
        ReportCommand::Monthly { month: m, unit, format, output } => {
            let period = Period::month(month(&m)?);
            let req = monthly::Request { unit, period, reader_officer_id: None, source: monthly::Source::Rollups, now };
            let r = monthly::build(s, &req)?;
            let bytes = match format {
                MonthlyFormat::Html => report::html::monthly(&r, lang, &report::html::Links::default())?.into_bytes(),
                MonthlyFormat::Csv => report::csv::monthly(&r, lang).into_bytes(),
                MonthlyFormat::Xlsx => report::xlsx::monthly(&r, lang)?,
                MonthlyFormat::Json => serde_json::to_vec_pretty(&r).map_err(|e| Error::Other(e.into()))?,
            };
            write(&output, &bytes)
        }
        ReportCommand::Yearly { year, unit, format, output } => {
            let y = yearly::build(s, unit.as_deref(), year, None, now)?;
            let bytes = match format {
                YearlyFormat::Html => report::html::yearly(&y, lang, &report::html::Links::default())?.into_bytes(),
                YearlyFormat::Docx => report::docx::draft(&y.draft)?,
                YearlyFormat::Xlsx => report::xlsx::yearly(&y, lang)?,
            };
            let (deadline, period) = (&y.deadline, y.report.period.label_vi.clone());
            say(t!("Hạn báo cáo {deadline}; kỳ báo cáo {period}.", "Due {deadline}; reporting period {period}."));
            write(&output, &bytes)
        }
        ReportCommand::Send { month: m } => {
            let m = month(&m)?;
            let label = m.to_string();
            match delivery::send_month(s, m, now)? {
                delivery::Sent::Now(n) => say(t!(
                    "Đã xếp {n} thư báo cáo tháng {label} vào hàng đợi gửi (kèm tệp XLSX và đường dẫn).",
                    "Queued {n} report emails for {label} (with the XLSX and a link)."
                )),
                delivery::Sent::Before(at, n) => {
                    let at = crate::i18n::local_time(at, lang);
                    say(t!(
                        "Báo cáo tháng {label} đã được gửi lúc {at} ({n} thư); không gửi lại, không ghi gì thêm.",
                        "The {label} reports were already sent at {at} ({n} emails); nothing sent or written again."
                    ))
                }
            }
            Ok(())
        }
        ReportCommand::Link { month: m, unit, to } => {
            let token = links::for_month(s, unit.as_deref(), month(&m)?, &to, now)?;
            let (url, days) = (format!("{}/r/{token}", s.public_url()), s.config.reports.link_days);
            println!("{url}");
            say(t!(
                "Đường dẫn chỉ để xem, hết hạn sau {days} ngày; thu hồi bằng: hailong report revoke --month {m}",
                "The link reads only and expires in {days} days; revoke it with: hailong report revoke --month {m}"
            ));
            Ok(())
        }
        ReportCommand::Revoke { month: m, unit } => {
            let n = links::revoke_month(s, month(&m)?, unit.as_deref(), now)?;
            say(t!("Đã thu hồi {n} đường dẫn báo cáo tháng {m}.", "Revoked {n} report links of {m}."));
            Ok(())
        }
        ReportCommand::Rebuild { month: m } => {
            let months = match m {
                Some(m) => vec![month(&m)?],
                None => rollup::months_with_ratings(s)?,
            };
            let mut differing = 0;
            for m in months {
                let r = rollup::rebuild(s, m)?;
                let (label, n, d) = (m.to_string(), r.ratings, r.rows_differing);
                differing += d;
                say(t!(
                    "{label}: {n} lượt đánh giá, {d} dòng tổng hợp sai khác đã sửa",
                    "{label}: {n} ratings, {d} differing rollup rows fixed"
                ));
            }
            if differing == 0 {
                say(t!("Số liệu tổng hợp khớp với các lượt đánh giá.", "The rollups match the ratings."));
            } else {
                say(t!(
                    "Đã sửa {differing} dòng tổng hợp; báo cáo nay khớp với các lượt đánh giá.",
                    "Fixed {differing} rollup rows; the reports now match the ratings."
                ));
            }
            Ok(())
        }
    }
}

pub fn run_files(config: Config, cmd: FilesCommand) -> Result<()> {
    let services = Services::open(config)?;
    let now = Utc::now();
    match cmd {
        FilesCommand::Set { desk, month: m, count } => {
            let set = files::set(&services, &desk, month(&m)?, count, now)?;
            let (d, m, n) = (&set.entry.desk, set.entry.month.to_string(), set.entry.files);
            match set.previous {
                Some(p) => say(t!(
                    "Quầy {d}, tháng {m}: {n} hồ sơ (thay cho {p}).",
                    "Desk {d}, {m}: {n} files (replacing {p})."
                )),
                None => say(t!("Quầy {d}, tháng {m}: {n} hồ sơ.", "Desk {d}, {m}: {n} files.")),
            }
            Ok(())
        }
        FilesCommand::Import { file } => {
            let shown = file.display().to_string();
            let text = std::fs::read_to_string(&file).map_err(|e| {
                Error::Invalid(t!("Không đọc được tệp {shown}: {e}", "Cannot read the file {shown}: {e}"))
            })?;
            let name = file.file_name().map(|n| n.to_string_lossy().to_string()).unwrap_or_else(|| shown.clone());
            let set = files::import(&services, &name, &text, now).map_err(|e| match e {
                Error::Invalid(m) => {
                    let (vi, en) = (m.vi, m.en);
                    Error::Invalid(t!("{shown}: {vi}", "{shown}: {en}"))
                }
                other => other,
            })?;
            let (n, replaced) = (set.len(), set.iter().filter(|x| x.previous.is_some()).count());
            say(t!(
                "Đã nhập {n} dòng từ {shown} ({replaced} dòng thay số cũ).",
                "Imported {n} rows from {shown} ({replaced} replaced earlier numbers)."
            ));
            Ok(())
        }
    }
}
