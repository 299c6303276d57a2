//! The `hailong` command line. Each command is a thin call into `service`, `store` and `web`.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;

use chrono::Datelike;
use clap::{Parser, Subcommand};

use crate::config::Config;
use crate::error::{Error, Result};
use crate::i18n::Lang;
use crate::service::desk::{self as desk_service, QrFormat};
use crate::service::{Services, deployment};
use crate::{demo, t};

mod reports;

#[derive(Parser, Debug)]
#[command(
    name = "hailong",
    version,
    about = "Đánh giá sự hài lòng và phản ánh hành vi cán bộ — citizen feedback for public-service desks"
)]
pub struct Cli {
    /// Tệp cấu hình (mặc định ./hailong.toml nếu có; hoặc HAILONG_CONFIG) — configuration file.
    #[arg(long, global = true, value_name = "FILE")]
    pub config: Option<PathBuf>,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Chạy dịch vụ web — run the web service.
    Serve {
        /// Địa chỉ lắng nghe (thay `listen`) — address to listen on.
        #[arg(long, value_name = "IP:PORT")]
        listen: Option<String>,
        /// Số luồng xử lý HTTP (thay `workers`; 0 = mỗi lõi một luồng) — HTTP worker threads (0 = one per core).
        #[arg(long)]
        workers: Option<usize>,
    },
    /// Nạp tổ chức mẫu huyện Tuy Phước (nếu cơ sở dữ liệu trống) rồi chạy — load the demo organisation and serve.
    Demo {
        /// Địa chỉ lắng nghe — address to listen on.
        #[arg(long, value_name = "IP:PORT")]
        listen: Option<String>,
    },
    /// Áp dụng các migration còn thiếu — apply pending database migrations.
    Migrate,
    /// Tệp tổ chức: nhập và xuất — organisation file: import and export.
    Org {
        #[command(subcommand)]
        command: OrgCommand,
    },
    /// Mã QR của một quầy, hoặc mọi quầy với --all — a desk's QR code, or every active desk's.
    // clap's own usage would show `<DESK>` as always required although --all replaces it.
    #[command(override_usage = "hailong qr [OPTIONS] <DESK>\n       hailong qr --all --out <DIR> [--format <FORMAT>]")]
    Qr {
        /// Mã quầy — desk code.
        #[arg(required_unless_present = "all", conflicts_with = "all")]
        desk: Option<String>,
        /// Mọi quầy đang hoạt động, mỗi quầy một tệp theo mã quầy, vào --out DIR — every active desk.
        #[arg(long, requires = "out")]
        all: bool,
        /// Định dạng ảnh — image format.
        #[arg(long, value_enum, default_value = "png")]
        format: QrFormat,
        /// Tệp kết quả cho một quầy (mặc định MÃ_QUẦY.png hoặc .svg) — output file for one desk.
        #[arg(short, long, value_name = "FILE", conflicts_with = "all")]
        output: Option<PathBuf>,
        /// Thư mục kết quả cho --all — output folder for --all.
        #[arg(long, value_name = "DIR")]
        out: Option<PathBuf>,
    },
    /// Áp phích A5 (SVG) để in cho một quầy — a printable A5 poster for a desk.
    Poster {
        /// Mã quầy — desk code.
        desk: String,
        /// Áp phích “Kết quả đánh giá” của một tháng đã qua thay cho áp phích mã QR — the results poster of a past month.
        #[arg(long, value_name = "YYYY-MM")]
        results: Option<String>,
        /// Tệp SVG kết quả — output SVG file.
        #[arg(short, long, value_name = "FILE.svg")]
        output: PathBuf,
    },
    /// Quầy: đổi mã QR — desks: token rotation.
    Desk {
        #[command(subcommand)]
        command: DeskCommand,
    },
    /// Việc chạy nền: nhắc việc, chuyển cấp, gửi thư, xóa dữ liệu cá nhân — background jobs.
    Jobs {
        #[command(subcommand)]
        command: JobsCommand,
    },
    /// Nhật ký phản ánh chống sửa đổi — the tamper-evident case log.
    Audit {
        #[command(subcommand)]
        command: AuditCommand,
    },
    /// Dữ liệu cá nhân — personal data.
    Privacy {
        #[command(subcommand)]
        command: PrivacyCommand,
    },
    /// Lịch làm việc: giờ hành chính, ngày nghỉ, ngày làm bù — working-time calendars.
    Calendar {
        #[command(subcommand)]
        command: CalendarCommand,
    },
    /// Tài khoản trang quản lý (/staff) ngoài người đứng đầu, cấp phó — console accounts.
    User {
        #[command(subcommand)]
        command: UserCommand,
    },
    /// Thủ trưởng ủy quyền cho cấp phó xử lý phản ánh trong một khoảng ngày — delegations.
    Delegate {
        #[command(subcommand)]
        command: DelegateCommand,
    },
    /// Phản ánh: giao người xử lý bằng tay — cases: assign by hand.
    Case {
        #[command(subcommand)]
        command: CaseCommand,
    },
    /// Báo cáo mức độ hài lòng: tháng, năm, gửi, đường dẫn, tính lại — satisfaction reports.
    #[command(visible_alias = "reports")]
    Report {
        #[command(subcommand)]
        command: reports::ReportCommand,
    },
    /// Số hồ sơ đã giải quyết của từng quầy (cho tỷ lệ theo Quyết định 766) — files handled per desk.
    Files {
        #[command(subcommand)]
        command: reports::FilesCommand,
    },
    /// Sao lưu nhất quán cơ sở dữ liệu SQLite khi dịch vụ đang chạy — consistent SQLite backup.
    Backup {
        /// Tệp đích (chưa tồn tại) — destination file (must not exist).
        file: PathBuf,
    },
}

#[derive(Subcommand, Debug)]
pub enum JobsCommand {
    /// Chạy đúng một lượt (hạn xử lý, xóa dữ liệu, thư đến hạn) tại một thời điểm — run one round.
    RunOnce {
        /// Thời điểm RFC 3339, ví dụ 2026-12-01T09:00:00+07:00 (mặc định: bây giờ) — instant (default: now).
        #[arg(long, value_name = "RFC3339")]
        at: Option<String>,
    },
}

#[derive(Subcommand, Debug)]
pub enum AuditCommand {
    /// Kiểm tra chuỗi sự kiện của mọi phản ánh và sổ cái; chỉ ra mắt xích hỏng đầu tiên — verify the log.
    Verify,
    /// In mã băm hiện tại của sổ cái (ghi vào báo cáo tháng) — print the ledger hash.
    Head,
}

#[derive(Subcommand, Debug)]
pub enum CaseCommand {
    /// Giao phản ánh cho người đứng đầu một đơn vị (ghi vào nhật ký) — give a case to a unit's head.
    Assign {
        /// Số phản ánh, ví dụ 2026-000123 — case number.
        case: String,
        /// Mã đơn vị nhận xử lý — unit code.
        unit: String,
    },
}

#[derive(Subcommand, Debug)]
pub enum PrivacyCommand {
    /// Xóa thông tin liên hệ đã hết thời hạn lưu giữ — erase contact details past retention.
    Purge,
}

#[derive(Subcommand, Debug)]
pub enum CalendarCommand {
    /// Nhập tệp lịch: lịch trọn vẹn ([[calendars]]) và lịch nghỉ theo năm ([[arrangements]]); tất cả
    /// hoặc không gì — import whole calendars and years' arrangements, all or nothing.
    Import {
        /// Tệp lịch TOML — calendar file.
        file: PathBuf,
    },
    /// Các lịch đang dùng và ngày nghỉ, ngày làm bù của từng năm, kèm nguồn (luật, thông báo, tệp)
    /// — the calendars in force with each year's days and where each came from.
    List {
        /// Chỉ năm này (mặc định: năm nay và năm sau) — only this year (default: this year and next).
        #[arg(long, value_name = "YYYY", value_parser = clap::value_parser!(i32).range(1900..=2200))]
        year: Option<i32>,
    },
}

#[derive(Subcommand, Debug)]
pub enum UserCommand {
    /// Thêm tài khoản: admin (toàn quyền), oversight (giám sát), viewer (chỉ xem báo cáo) — add an account.
    Add {
        /// Địa chỉ thư để đăng nhập — the sign-in address.
        email: String,
        /// admin | oversight | viewer
        #[arg(long)]
        role: String,
        /// Mã đơn vị (bắt buộc với oversight) — unit code (required for oversight).
        #[arg(long)]
        unit: Option<String>,
        /// Mã cán bộ trong tệp tổ chức, nếu người này là cán bộ — the officer code, if any.
        #[arg(long)]
        officer: Option<String>,
    },
    /// Danh sách tài khoản — list accounts.
    List,
    /// Khóa một tài khoản và kết thúc các phiên của nó — disable an account, ending its sessions.
    Disable {
        /// Số tài khoản (xem `user list`) — account id.
        id: i64,
    },
    /// Đặt mật khẩu cho một địa chỉ, đọc từ dòng đầu của đầu vào chuẩn — set a password, read from stdin's first line.
    Passwd {
        /// Địa chỉ thư — the address.
        email: String,
    },
}

#[derive(Subcommand, Debug)]
pub enum DelegateCommand {
    /// Thủ trưởng UNIT ủy quyền cho DEPUTY từ FROM đến UNTIL (kể cả hai ngày) — add a delegation.
    Add {
        /// Mã đơn vị — unit code.
        unit: String,
        /// Mã cán bộ cấp phó của đơn vị — a deputy's officer code.
        deputy: String,
        /// Ngày bắt đầu — first day.
        #[arg(long, value_name = "YYYY-MM-DD")]
        from: String,
        /// Ngày kết thúc — last day.
        #[arg(long, value_name = "YYYY-MM-DD")]
        until: String,
    },
    /// Các ủy quyền đang hoặc sắp có hiệu lực — delegations in force or to come.
    List,
    /// Chấm dứt một ủy quyền ngay — end a delegation now.
    Revoke {
        /// Số của ủy quyền (xem `delegate list`) — delegation id.
        id: i64,
    },
}

#[derive(Subcommand, Debug)]
pub enum DeskCommand {
    /// Cấp mã QR mới; địa chỉ cũ báo "mã đã được thay" — issue a new QR token.
    Rotate {
        /// Mã quầy — desk code.
        desk: String,
    },
}

#[derive(Subcommand, Debug)]
pub enum OrgCommand {
    /// Nhập tệp tổ chức (cập nhật theo mã; tất cả hoặc không gì) — import an organisation file.
    Import {
        /// Tệp tổ chức TOML — organisation file.
        file: PathBuf,
        /// Ngừng hoạt động đơn vị, cán bộ, quầy, lịch trực không có trong tệp — deactivate what the file omits.
        #[arg(long)]
        deactivate_missing: bool,
        /// Cho phép tệp ghi đè thay đổi đã làm trên trang quản lý — let the file undo console edits.
        #[arg(long)]
        force: bool,
    },
    /// In tổ chức theo định dạng nhập — print the organisation in the import format.
    Export {
        /// Ghi ra tệp thay vì màn hình — write to a file instead of standard output.
        #[arg(short, long, value_name = "FILE")]
        output: Option<PathBuf>,
    },
}

pub fn main() -> ExitCode {
    let lang = Lang::from_locale();
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => return usage_error(e, lang),
    };
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            let label = match lang {
                Lang::Vi => "lỗi",
                Lang::En => "error",
            };
            for line in e.user_message(lang).lines() {
                eprintln!("{label}: {line}");
            }
            ExitCode::FAILURE
        }
    }
}

/// A command line clap could not parse. Help and version go out as clap prints them; a mistake is
/// named in Vietnamese first (clap's own messages are English only), then clap's text and usage.
fn usage_error(e: clap::Error, lang: Lang) -> ExitCode {
    use clap::error::ErrorKind;
    if lang == Lang::En
        || matches!(
            e.kind(),
            ErrorKind::DisplayHelp | ErrorKind::DisplayVersion | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand
        )
    {
        e.exit();
    }
    eprintln!("lỗi: {}", usage_error_vi(&e));
    eprint!("{}", e.render());
    ExitCode::from(2)
}

/// The Vietnamese sentence for a clap error, from its kind and context.
fn usage_error_vi(e: &clap::Error) -> String {
    use clap::error::{ContextKind, ContextValue, ErrorKind};
    let get = |k: ContextKind| match e.get(k) {
        Some(ContextValue::String(s)) => s.clone(),
        Some(ContextValue::Strings(v)) => v.join(", "),
        Some(ContextValue::StyledStr(s)) => s.to_string(),
        Some(ContextValue::StyledStrs(v)) => v.iter().map(|s| s.to_string()).collect::<Vec<_>>().join(", "),
        Some(ContextValue::Number(n)) => n.to_string(),
        _ => String::new(),
    };
    let arg = get(ContextKind::InvalidArg);
    let value = get(ContextKind::InvalidValue);
    let valid = get(ContextKind::ValidValue);
    let with_valid = |m: String| if valid.is_empty() { m } else { format!("{m}; giá trị hợp lệ: {valid}") };
    let with_suggestion = |m: String| {
        let s = [ContextKind::SuggestedArg, ContextKind::SuggestedSubcommand, ContextKind::SuggestedValue]
            .into_iter()
            .map(get)
            .find(|s| !s.is_empty());
        match s {
            Some(s) => format!("{m} (có phải ý bạn là {s}?)"),
            None => m,
        }
    };
    match e.kind() {
        ErrorKind::UnknownArgument => with_suggestion(format!("không có tùy chọn hay đối số {arg}")),
        ErrorKind::InvalidSubcommand => {
            with_suggestion(format!("không có lệnh {:?}", get(ContextKind::InvalidSubcommand)))
        }
        ErrorKind::InvalidValue if value.is_empty() => with_valid(format!("{arg} cần một giá trị")),
        ErrorKind::InvalidValue => with_suggestion(with_valid(format!("giá trị {value:?} của {arg} không hợp lệ"))),
        ErrorKind::ValueValidation => {
            let why = std::error::Error::source(e).map(|s| format!(": {s}")).unwrap_or_default();
            format!("giá trị {value:?} của {arg} không hợp lệ{why}")
        }
        ErrorKind::MissingRequiredArgument => format!("thiếu đối số bắt buộc: {arg}"),
        ErrorKind::MissingSubcommand => "thiếu lệnh; xem `hailong --help`".to_string(),
        ErrorKind::ArgumentConflict => {
            format!("{arg} không dùng cùng với {}", get(ContextKind::PriorArg))
        }
        ErrorKind::NoEquals => format!("{arg} cần giá trị sau dấu '='"),
        ErrorKind::TooManyValues => format!("{arg} nhận quá nhiều giá trị ({value:?} là thừa)"),
        ErrorKind::TooFewValues | ErrorKind::WrongNumberOfValues => {
            format!("{arg} cần {} giá trị", get(ContextKind::ExpectedNumValues))
        }
        ErrorKind::InvalidUtf8 => "dòng lệnh có ký tự không phải UTF-8".to_string(),
        _ => "dòng lệnh không hợp lệ".to_string(),
    }
}

pub fn run(cli: Cli) -> Result<()> {
    let mut config = Config::load(cli.config.as_deref())?;
    let serving = matches!(cli.command, Command::Serve { .. } | Command::Demo { .. });
    init_logging(&config, serving);
    match cli.command {
        Command::Serve { listen, workers } => {
            apply_listen(&mut config, listen)?;
            if let Some(w) = workers {
                config.workers = w;
            }
            let services = Services::open(config)?;
            let base = fix_public_url(&services)?;
            tracing::info!(public_url = %base.url, "{}", deployment::startup_note(&base, Lang::En));
            if deployment::is_loopback(&base.url) {
                tracing::warn!("{}", deployment::startup_note(&base, Lang::En));
            }
            serve(services)
        }
        Command::Demo { listen } => {
            apply_listen(&mut config, listen)?;
            let services = Services::open(config)?;
            fix_public_url(&services)?;
            let message = demo::prepare(&services, Lang::from_locale(), chrono::Utc::now())?;
            println!("{message}");
            serve(services)
        }
        Command::Migrate => {
            let (applied, target) = crate::service::migrate(&config)?;
            let (n, names) = (applied.len(), applied.join(", "));
            let message = match n {
                0 => t!(
                    "Cơ sở dữ liệu {target} đã ở phiên bản mới nhất; không có gì để áp dụng",
                    "The database {target} is up to date; nothing to apply"
                ),
                1 => t!("Đã áp dụng 1 migration cho {target}: {names}", "Applied 1 migration to {target}: {names}"),
                _ => {
                    t!("Đã áp dụng {n} migration cho {target}: {names}", "Applied {n} migrations to {target}: {names}")
                }
            };
            println!("{}", message.get(Lang::from_locale()));
            Ok(())
        }
        Command::Org { command: OrgCommand::Import { file, deactivate_missing, force } } => {
            let services = Services::open(config)?;
            let summary = crate::service::org::import_file(&services, &file, deactivate_missing, force)?;
            print!("{}", summary.render(Lang::from_locale()));
            Ok(())
        }
        Command::Org { command: OrgCommand::Export { output } } => {
            let services = Services::open(config)?;
            let text = crate::service::org::export(&services)?;
            match output {
                Some(path) => std::fs::write(path, text)?,
                None => print!("{text}"),
            }
            Ok(())
        }
        Command::Qr { desk, all, format, output, out } => {
            let services = Services::open(config)?;
            let lang = Lang::from_locale();
            if all {
                let dir = out.expect("clap requires --out with --all");
                std::fs::create_dir_all(&dir)?;
                let images = desk_service::all_qr(&services, format)?;
                for (name, image) in &images {
                    std::fs::write(dir.join(name), image)?;
                }
                let (n, shown) = (images.len(), dir.display());
                println!("{}", t!("Đã ghi {n} mã QR vào {shown}", "Wrote {n} QR codes into {shown}").get(lang));
                print_base(&services, lang);
            } else {
                let code = desk.expect("clap requires a desk without --all");
                let (d, _) = desk_service::active_desk(&services, &code)?;
                let path = output.unwrap_or_else(|| PathBuf::from(format!("{}.{}", d.code, format.extension())));
                std::fs::write(&path, desk_service::qr(&services, &d, format)?)?;
                let (shown, url) = (path.display(), desk_service::desk_url(&services.public_url(), &d));
                println!("{}", t!("Đã ghi {shown} ({url})", "Wrote {shown} ({url})").get(lang));
            }
            Ok(())
        }
        Command::Poster { desk, results, output } => {
            let services = Services::open(config)?;
            let svg = match results {
                Some(m) => {
                    let month = crate::domain::period::Month::parse(&m).map_err(Error::Invalid)?;
                    crate::service::reports::public::poster(&services, &desk, month, chrono::Utc::now())?
                }
                None => desk_service::poster(&services, &desk)?,
            };
            std::fs::write(&output, svg)?;
            let shown = output.display();
            println!("{}", t!("Đã ghi áp phích {shown}", "Wrote the poster {shown}").get(Lang::from_locale()));
            print_base(&services, Lang::from_locale());
            Ok(())
        }
        Command::Desk { command: DeskCommand::Rotate { desk } } => {
            let services = Services::open(config)?;
            let url = desk_service::rotate(&services, &desk, chrono::Utc::now())?;
            println!(
                "{}",
                t!(
                    "Quầy {desk} có mã mới: {url}\nMã cũ sẽ báo \"đã được thay\". Đề nghị in và dán áp phích mới: hailong poster {desk} -o {desk}.svg",
                    "Desk {desk} has a new code: {url}\nThe old one now answers \"replaced\". Print and post the new poster: hailong poster {desk} -o {desk}.svg"
                )
                .get(Lang::from_locale())
            );
            print_base(&services, Lang::from_locale());
            Ok(())
        }
        Command::Jobs { command: JobsCommand::RunOnce { at } } => {
            let at = match at {
                Some(a) => chrono::DateTime::parse_from_rfc3339(a.trim())
                    .map(|t| t.with_timezone(&chrono::Utc))
                    .map_err(|_| {
                        Error::Invalid(t!(
                            "--at {a:?} không phải thời điểm RFC 3339 (ví dụ 2026-12-01T09:00:00+07:00)",
                            "--at {a:?} is not an RFC 3339 instant (e.g. 2026-12-01T09:00:00+07:00)"
                        ))
                    })?,
                None => chrono::Utc::now(),
            };
            let services = Services::open(config)?;
            let round = actix_web::rt::System::new().block_on(async {
                let mailer = crate::mail::Mailer::from_config(&services.config.mail, &services.config.data_dir)?;
                crate::jobs::run_once(&services, &mailer, at).await
            })?;
            let (t, m) = (round.tick, round.mail);
            let (due, rem, esc, top, purged, sent, retry, failed) =
                (t.due, t.reminders, t.escalations, t.at_top, round.purged, m.sent, m.retrying, m.failed);
            let (alerts, reports) = (round.calendar_alerts, round.reports);
            println!(
                "{}",
                t!(
                    "{due} phản ánh đến hạn: {rem} nhắc việc, {esc} chuyển lên, {top} quá hạn ở cấp cao nhất; {purged} thông tin liên hệ đã xóa; {alerts} cảnh báo lịch nghỉ gửi người quản trị; {reports} thư báo cáo; thư: {sent} đã gửi, {retry} sẽ thử lại, {failed} không gửi được",
                    "{due} cases due: {rem} reminders, {esc} escalations, {top} overdue at the top; {purged} contact details erased; {alerts} holiday-arrangement alerts to the operator; {reports} report emails; email: {sent} sent, {retry} to retry, {failed} failed"
                )
                .get(Lang::from_locale())
            );
            print_base(&services, Lang::from_locale());
            Ok(())
        }
        Command::Audit { command } => {
            let services = Services::open(config)?;
            let lang = Lang::from_locale();
            match command {
                AuditCommand::Head => {
                    let (seq, hash) = crate::service::audit::head(&services)?;
                    let line = if hash.is_empty() {
                        t!("Sổ cái: {seq} mục; chưa có mã băm đầu sổ", "Ledger: {seq} entries; no head hash yet")
                    } else {
                        t!("Sổ cái: {seq} mục; mã băm đầu sổ: {hash}", "Ledger: {seq} entries; head hash: {hash}")
                    };
                    println!("{}", line.get(lang));
                    Ok(())
                }
                AuditCommand::Verify => {
                    let unrouted = crate::service::cases::unrouted(&services)?;
                    if !unrouted.is_empty() {
                        let n = unrouted.len();
                        println!(
                            "{}",
                            t!(
                                "{n} phản ánh chưa có người xử lý (giao bằng: hailong case assign SỐ MÃ_ĐƠN_VỊ):",
                                "{n} cases have no handler (assign with: hailong case assign NUMBER UNIT_CODE):"
                            )
                            .get(lang)
                        );
                        for u in &unrouted {
                            let when = crate::i18n::local_time(u.received, lang);
                            println!("  {}  {}  {}  {}", u.number, when, u.category.label(lang), u.desk);
                        }
                    }
                    let r = crate::service::audit::verify(&services)?;
                    let (cases, events, ledger, staff) = (r.cases, r.events, r.ledger, r.staff);
                    match r.broken {
                        None => {
                            println!(
                                "{}",
                                t!(
                                    "Nhật ký toàn vẹn: {cases} phản ánh, {events} sự kiện, {ledger} mục sổ cái, {staff} mục nhật ký quản trị",
                                    "Log intact: {cases} cases, {events} events, {ledger} ledger entries, {staff} admin log entries"
                                )
                                .get(lang)
                            );
                            Ok(())
                        }
                        Some(broken) => {
                            let (vi, en) = (broken.vi, broken.en);
                            Err(Error::Invalid(t!("Nhật ký đã bị can thiệp: {vi}", "The log was tampered with: {en}")))
                        }
                    }
                }
            }
        }
        Command::Privacy { command: PrivacyCommand::Purge } => {
            let services = Services::open(config)?;
            let n = crate::service::cases::purge(&services, chrono::Utc::now())?;
            println!(
                "{}",
                t!("Đã xóa thông tin liên hệ của {n} phản ánh", "Erased the contact details of {n} cases")
                    .get(Lang::from_locale())
            );
            Ok(())
        }
        Command::Calendar { command } => {
            let services = Services::open(config)?;
            match command {
                CalendarCommand::Import { file } => {
                    let summary = crate::service::calendars::import_file(&services, &file)?;
                    print!("{}", summary.render(Lang::from_locale()));
                }
                CalendarCommand::List { year } => {
                    let this_year = chrono::Utc::now().with_timezone(&crate::domain::LOCAL_TZ).year();
                    let years = match year {
                        Some(y) => vec![y],
                        None => vec![this_year, this_year + 1],
                    };
                    print!("{}", crate::service::calendars::listing(&services, &years).render(Lang::from_locale()));
                }
            }
            Ok(())
        }
        Command::User { command } => {
            let services = Services::open(config)?;
            let lang = Lang::from_locale();
            let now = chrono::Utc::now();
            use crate::service::staff::accounts;
            match command {
                UserCommand::Add { email, role, unit, officer } => {
                    let id = accounts::add(&services, &accounts::NewAccount { email, role, unit, officer }, now)?;
                    println!("{}", t!("Đã thêm tài khoản số {id}", "Account {id} added").get(lang));
                }
                UserCommand::List => {
                    for a in accounts::list(&services)? {
                        let state = if a.disabled { "disabled" } else { "active" };
                        let pw = if a.has_password { "password" } else { "" };
                        let (unit, officer) = (a.unit.unwrap_or_default(), a.officer.unwrap_or_default());
                        println!("{}\t{}\t{}\t{unit}\t{officer}\t{state}\t{pw}", a.id, a.email, a.role.as_str());
                    }
                }
                UserCommand::Disable { id } => {
                    accounts::disable(&services, id, now)?;
                    println!("{}", t!("Đã khóa tài khoản {id}", "Account {id} disabled").get(lang));
                }
                UserCommand::Passwd { email } => {
                    // From stdin, never the command line (it would stay in the shell's history and `ps`).
                    let mut line = String::new();
                    std::io::stdin().read_line(&mut line)?;
                    let password = line.trim_end_matches(['\r', '\n']);
                    accounts::set_password(&services, &email, password, now)?;
                    println!("{}", t!("Đã đặt mật khẩu cho {email}", "Password set for {email}").get(lang));
                }
            }
            Ok(())
        }
        Command::Delegate { command } => {
            let services = Services::open(config)?;
            let lang = Lang::from_locale();
            match command {
                DelegateCommand::Add { unit, deputy, from, until } => {
                    let id = crate::service::org::delegate(&services, &unit, &deputy, &from, &until)?;
                    println!("{}", t!("Đã ủy quyền (số {id})", "Delegation added (id {id})").get(lang));
                }
                DelegateCommand::List => {
                    let today = chrono::Utc::now().with_timezone(&crate::domain::LOCAL_TZ).date_naive();
                    let rows = crate::service::org::delegations(&services, today)?;
                    if rows.is_empty() {
                        println!(
                            "{}",
                            t!(
                                "Không có ủy quyền nào đang hoặc sắp có hiệu lực",
                                "No delegation is in force or to come"
                            )
                            .get(lang)
                        );
                    }
                    for d in rows {
                        println!("{}\t{}\t{} → {}\t{} … {}", d.id, d.unit, d.head, d.deputy, d.from, d.until);
                    }
                }
                DelegateCommand::Revoke { id } => {
                    crate::service::org::revoke_delegation(&services, id, chrono::Utc::now())?;
                    println!("{}", t!("Đã chấm dứt ủy quyền {id}", "Delegation {id} ended").get(lang));
                }
            }
            Ok(())
        }
        Command::Case { command: CaseCommand::Assign { case, unit } } => {
            let services = Services::open(config)?;
            let a = crate::service::cases::assign_by_hand(&services, &case, &unit, chrono::Utc::now())?;
            let (number, unit) = (&a.number, &a.unit);
            let who = a.handler.unwrap_or_else(|| unit.clone());
            println!(
                "{}",
                t!(
                    "Đã giao phản ánh {number} cho đơn vị {unit} ({who}); đã ghi vào nhật ký phản ánh và gửi thư cho người xử lý.",
                    "Case {number} assigned to unit {unit} ({who}); recorded in the case log and emailed to the handler."
                )
                .get(Lang::from_locale())
            );
            Ok(())
        }
        Command::Report { command } => reports::run_report(config, command),
        Command::Files { command } => reports::run_files(config, command),
        Command::Backup { file } => {
            crate::service::backup(&config, &file)?;
            let shown = file.display();
            println!("{}", t!("Đã sao lưu vào {shown}", "Backed up to {shown}").get(Lang::from_locale()));
            Ok(())
        }
    }
}

/// A server starting: fixes the deployment's public URL (configured, or derived from the listen
/// address and recorded for every other process).
fn fix_public_url(services: &Services) -> Result<deployment::PublicUrl> {
    let listen = services.config.listen_addr()?;
    deployment::fix_for_serving(services, listen, chrono::Utc::now())
}

/// Says which base the links a command wrote or printed use.
fn print_base(services: &Services, lang: Lang) {
    let d = services.public_url_full().describe();
    let line = match lang {
        Lang::Vi => format!("Địa chỉ gốc của đường dẫn: {}", d.vi),
        Lang::En => format!("Links use the base: {}", d.en),
    };
    println!("{line}");
}

fn apply_listen(config: &mut Config, listen: Option<String>) -> Result<()> {
    if let Some(l) = listen {
        config.listen = l;
        config.listen_addr()?;
    }
    Ok(())
}

fn init_logging(config: &Config, serving: bool) {
    use tracing_subscriber::EnvFilter;
    // Commands print their own results; only the server logs at `info` by default.
    let default = if serving { config.log.as_str() } else { "warn" };
    let filter = EnvFilter::try_from_default_env()
        .or_else(|_| EnvFilter::try_new(default))
        .unwrap_or_else(|_| EnvFilter::new("info"));
    use std::io::IsTerminal;
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(std::io::stderr().is_terminal())
        .try_init();
}

/// Logs each year in use that should have its announced holiday arrangement by now and has none.
fn warn_missing_arrangements(services: &Services) {
    match crate::service::calendars::missing_arrangements(services, chrono::Utc::now()) {
        Ok(missing) => {
            for m in missing {
                tracing::warn!(calendar = %m.calendar, year = m.year, "{}", m.message().en);
            }
        }
        Err(e) => tracing::error!(error = %e, "calendar arrangement check failed"),
    }
}

/// Runs the server until SIGTERM/SIGINT, letting requests in flight finish.
fn serve(services: Services) -> Result<()> {
    let listen: SocketAddr = services.config.listen_addr()?;
    let workers = services.config.workers;
    actix_web::rt::System::new().block_on(async move {
        let listener = std::net::TcpListener::bind(listen)
            .map_err(|e| Error::Invalid(t!("Không mở được cổng {listen}: {e}", "Cannot listen on {listen}: {e}")))?;
        let server = crate::web::server(&services, listener, workers, true)?;
        let mailer = crate::mail::Mailer::from_config(&services.config.mail, &services.config.data_dir)?;
        let (stop, stopped) = tokio::sync::watch::channel(false);
        let jobs = services.config.jobs.background.then(|| {
            (
                actix_web::rt::spawn(crate::jobs::scheduler(services.clone(), stopped.clone())),
                actix_web::rt::spawn(crate::jobs::mail_worker(services.clone(), mailer, stopped)),
            )
        });
        tracing::info!(addr = %listen, database = %services.db.target().display(), background_jobs = jobs.is_some(), "hailong serving");
        warn_missing_arrangements(&services);
        server.await?;
        // Requests in flight have finished; let the jobs end their round, then stop.
        let _ = stop.send(true);
        if let Some((scheduler, mail)) = jobs {
            let _ = scheduler.await;
            let _ = mail.await;
        }
        tracing::info!("hailong stopped");
        Ok(())
    })
}
