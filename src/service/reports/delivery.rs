//! Delivery: on the first working day of each month at `reports.send_hour` (local), every unit
//! head gets their unit's report for the month before, and every oversight unit's address what it
//! oversees: headline figures in the body, a signed link, the XLSX attached, the ledger head. And
//! before each yearly deadline, unit heads are reminded with a link to their draft.
//!
//! Once per recipient per period, whatever restarts or instances: the reports are computed first
//! (reads only), then one transaction records the run (`report_runs`, whose key a second
//! instance's insert fails on) with every link and email. A run is all or nothing.

use chrono::{DateTime, Datelike, Duration, NaiveDate, TimeZone, Utc};

use super::links::{self, Kind, NewLink};
use super::model::Report;
use super::monthly::{Org, Request, Source};
use crate::domain::LOCAL_TZ;
use crate::domain::org::Role;
use crate::domain::period::{Month, Period};
use crate::error::{Error, Result};
use crate::i18n::Lang;
use crate::mail::Attachment;
use crate::mail::compose::{self, Addressee, ReportMail};
use crate::service::Services;
use crate::store::{self, settings};
use crate::t;

/// The settings key of the first month the scheduler may send (the month it first ran in): a
/// new deployment does not mail reports about months before it existed.
pub const SINCE: &str = "reports_since";

pub const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// What sending a month did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Sent {
    /// Queued now, to this many recipients.
    Now(usize),
    /// Already sent (by this or another instance) at that time, to that many.
    Before(DateTime<Utc>, usize),
}

/// One email of a run.
struct Outgoing {
    email: String,
    lang: Lang,
    link: NewLink,
    dedupe_key: String,
    rendered: compose::Rendered,
    attachment: Option<Attachment>,
}

/// The first working day of a month (default calendar), at the sending hour, local.
pub fn send_time(s: &Services, month: Month) -> DateTime<Utc> {
    let cal = s.calendars().for_unit(None);
    let mut day = month.first_day();
    while cal.working_ranges(day).is_empty() && day < month.last_day() {
        day += Duration::days(1);
    }
    local(day, s.config.reports.send_hour)
}

fn local(day: NaiveDate, hour: u32) -> DateTime<Utc> {
    LOCAL_TZ
        .from_local_datetime(&day.and_hms_opt(hour, 0, 0).expect("an hour of the day"))
        .single()
        .expect("Việt Nam has no daylight saving time")
        .with_timezone(&Utc)
}

/// The scheduler's step: sends last month's reports once it is time, and the yearly reminders.
/// Returns how many emails were queued.
pub fn deliver_due(s: &Services, now: DateTime<Utc>) -> Result<usize> {
    if !s.config.reports.send {
        return Ok(0);
    }
    let this = Month::of(now);
    let since = s.db.read(|c| settings::get(c, SINCE))?;
    let since = match since.as_deref().map(Month::parse) {
        Some(Ok(m)) => m,
        _ => {
            s.db.write(move |c| settings::put(c, SINCE, &this.to_string(), now.naive_utc()))?;
            this
        }
    };
    let mut queued = 0;
    let last = this.prev();
    if last >= since && now >= send_time(s, this) {
        let already = s.db.read(|c| store::reports::run_at(c, Kind::Monthly.as_str(), last.number()))?;
        if already.is_none() {
            match send_month(s, last, now)? {
                Sent::Now(n) => queued += n,
                Sent::Before(..) => {}
            }
        }
    }
    queued += remind_yearly(s, now)?;
    Ok(queued)
}

/// Sends a month's reports now (`hailong report send`); a month already sent is not sent again.
pub fn send_month(s: &Services, month: Month, now: DateTime<Utc>) -> Result<Sent> {
    if month >= Month::of(now) {
        let m = month.to_string();
        return Err(Error::Invalid(t!(
            "Tháng {m} chưa kết thúc: chỉ gửi được báo cáo của tháng đã qua",
            "The month {m} has not ended: only a past month's reports can be sent"
        )));
    }
    if let Some(done) = previous_run(s, Kind::Monthly.as_str(), month.number())? {
        return Ok(done);
    }
    let org = s.db.read(Org::load)?;
    let base = s.public_url();
    let mut out = Vec::new();
    for (email, lang, addressee, officer_id, kind, unit_id) in monthly_recipients(&org) {
        let scope = links::scope_of(&org, kind, Some(unit_id))?;
        let req = Request {
            unit: None,
            period: Period::month(month),
            reader_officer_id: officer_id,
            source: Source::Rollups,
            now,
        };
        let report = super::monthly::build_for(s, &org, &scope, &req)?;
        let xlsx = crate::report::xlsx::monthly(&report, lang)?;
        let file = format!("bao-cao-hai-long-{}-{}.xlsx", scope.code, month);
        let link = NewLink { kind, period: month.number(), unit_id: Some(unit_id), officer_id, email: email.clone() };
        let rendered = monthly_email(s, &report, lang, &addressee, &base);
        out.push(Outgoing {
            dedupe_key: format!("report:{}:{}:{}:{}", kind.as_str(), month, scope.code, email.to_lowercase()),
            email,
            lang,
            link,
            rendered,
            attachment: Some(Attachment { filename: file, content_type: XLSX.into(), content: xlsx }),
        });
    }
    commit(s, Kind::Monthly.as_str(), month.number(), out, now)
}

/// Whether a run was recorded, as a [`Sent::Before`].
fn previous_run(s: &Services, kind: &str, period: i32) -> Result<Option<Sent>> {
    Ok(s.db.read(|c| store::reports::run_at(c, kind, period))?.map(|(at, n)| Sent::Before(at.and_utc(), n as usize)))
}

/// Records the run and queues every email with its link, in one transaction; a run another
/// instance recorded first makes this one write nothing.
fn commit(s: &Services, kind: &str, period: i32, out: Vec<Outgoing>, now: DateTime<Utc>) -> Result<Sent> {
    let secret = s.secret.clone();
    let expires = now + Duration::days(i64::from(s.config.reports.link_days));
    let kind_s = kind.to_string();
    let n = out.len();
    let result = s.db.write(move |c| {
        if !store::reports::claim_run(c, &kind_s, period, n as i32, now.naive_utc())? {
            return Ok(false);
        }
        for o in &out {
            let (nonce, hash) = crate::service::links::prepare(&secret);
            links::insert(c, &o.link, &hash, expires, now)?;
            let mut row = crate::service::cases::email_row(
                o.dedupe_key.clone(),
                None,
                "report",
                o.email.clone(),
                o.lang,
                o.rendered.clone(),
                now,
            );
            row.link_nonce = Some(nonce);
            let files: Vec<Attachment> = o.attachment.iter().cloned().collect();
            store::outbox::enqueue_with(c, &row, &files)?;
        }
        Ok(true)
    });
    match result {
        Ok(true) => Ok(Sent::Now(n)),
        // PostgreSQL: the other instance's run won the key between our check and our insert.
        Ok(false)
        | Err(Error::Db(diesel::result::Error::DatabaseError(diesel::result::DatabaseErrorKind::UniqueViolation, _))) => {
            Ok(previous_run(s, kind, period)?.unwrap_or(Sent::Before(now, 0)))
        }
        Err(e) => Err(e),
    }
}

/// Every unit head (their unit and its subtree) and every oversight unit's mailbox (what it
/// oversees): (email, language, addressee, reader officer, kind, unit).
fn monthly_recipients(org: &Org) -> Vec<(String, Lang, Addressee, Option<i64>, Kind, i64)> {
    let mut out = Vec::new();
    for u in org.units.iter().filter(|u| u.active) {
        for h in org.officers.iter().filter(|o| o.unit_id == u.id && o.active && o.role == Role::Head) {
            if let Some(email) = h.email.clone().filter(|e| !e.trim().is_empty()) {
                let addressee =
                    Addressee { name: Some(h.name.clone()), position: Some(compose::position(&h.title, &u.name)) };
                out.push((email, h.lang, addressee, Some(h.id), Kind::Monthly, u.id));
            }
        }
    }
    for o in org.oversight_units().into_iter().filter(|o| o.active) {
        if let Some(email) = o.email.clone().filter(|e| !e.trim().is_empty()) {
            let addressee = Addressee { name: None, position: Some(o.name.clone()) };
            out.push((email, Lang::Vi, addressee, None, Kind::MonthlyOversight, o.id));
        }
    }
    out
}

fn percent(x: Option<f64>, lang: Lang) -> String {
    match (x, lang) {
        (Some(v), Lang::Vi) => format!("{:.1}%", v * 100.0).replace('.', ","),
        (Some(v), Lang::En) => format!("{:.1}%", v * 100.0),
        (None, Lang::Vi) => "chưa đủ dữ liệu".into(),
        (None, Lang::En) => "not enough data".into(),
    }
}

fn count(n: u64, lang: Lang) -> String {
    match lang {
        Lang::Vi => crate::domain::feedback::number_vi(n as usize),
        Lang::En => {
            let s = crate::domain::feedback::number_vi(n as usize);
            s.replace('.', ",")
        }
    }
}

/// The monthly email: what the report is, its headline figures, the link and the ledger head.
fn monthly_email(s: &Services, r: &Report, lang: Lang, to: &Addressee, base: &str) -> compose::Rendered {
    let f = &r.summary.figures;
    let vi = lang == Lang::Vi;
    let period = if vi { &r.period.label_vi } else { &r.period.label_en };
    let subject = if vi {
        format!("Báo cáo mức độ hài lòng {period} — {}", r.scope.name)
    } else {
        format!("Satisfaction report, {period} — {}", r.scope.name)
    };
    let change = match (r.summary.change_points, lang) {
        (Some(c), Lang::Vi) => format!(
            " ({}{} điểm % so với tháng trước)",
            if c >= 0.0 { "+" } else { "" },
            format!("{c:.1}").replace('.', ",")
        ),
        (Some(c), Lang::En) => format!(" ({}{c:.1} points on the month before)", if c >= 0.0 { "+" } else { "" }),
        (None, _) => String::new(),
    };
    let mut facts = vec![
        (if vi { "Lượt đánh giá" } else { "Ratings" }.to_string(), count(f.ratings, lang)),
        (
            if vi { "Tỷ lệ hài lòng" } else { "Satisfaction rate" }.to_string(),
            format!("{}{change}", percent(f.satisfaction_rate, lang)),
        ),
        (
            if vi {
                "Tỷ lệ kiểu QĐ 766 (trên lượt đánh giá)"
            } else {
                "Decision 766-style rate (over ratings)"
            }
            .to_string(),
            percent(f.rate_766_ratings, lang),
        ),
        (if vi { "Phản ánh, kiến nghị mới" } else { "New cases" }.to_string(), count(r.cases.opened, lang)),
        (
            if vi { "Phản ánh quá hạn cuối tháng" } else { "Overdue cases at the month's end" }.to_string(),
            count(r.cases.overdue.len() as u64, lang),
        ),
        (
            if vi { "Dấu hiệu cần xem xét" } else { "Signals to look at" }.to_string(),
            count(r.signals.len() as u64, lang),
        ),
    ];
    if let Some(h) = &r.notes.ledger_head {
        facts.push((
            if vi { "Dấu kiểm nhật ký cuối kỳ" } else { "Audit ledger head" }.to_string(),
            format!("{} / {}", h.seq, h.hash),
        ));
    }
    let files_link = format!("{}/files", compose::report_link_template(base));
    let intros_owned = if vi {
        vec![
            format!("Hệ thống hailong gửi báo cáo mức độ hài lòng của người dân {period} — {}.", r.scope.name),
            "Tệp XLSX đính kèm có đầy đủ số liệu theo đơn vị, quầy và cán bộ; đường dẫn bên dưới mở báo cáo có biểu đồ và tải về CSV, JSON.".to_string(),
            format!("Để tính tỷ lệ theo đúng Quyết định 766 (trên số hồ sơ), đơn vị nhập số hồ sơ đã giải quyết của từng quầy tại: {files_link}"),
        ]
    } else {
        vec![
            format!("hailong's citizen satisfaction report for {period} — {}.", r.scope.name),
            "The attached XLSX has every figure by unit, desk and officer; the link below opens the report with its charts and CSV and JSON downloads.".to_string(),
            format!("For the Decision 766 rate over files, enter each desk's files handled at: {files_link}"),
        ]
    };
    let intros: Vec<&str> = intros_owned.iter().map(String::as_str).collect();
    let link = compose::report_link_template(base);
    compose::report(
        lang,
        to,
        &ReportMail {
            subject: &subject,
            intros: &intros,
            facts: &facts,
            link: &link,
            link_days: s.config.reports.link_days,
        },
    )
}

/// The yearly reminders due now: to each unit head whose deadline is `remind_working_days`
/// working days away or less (from 08:00 that day), once per deadline.
fn remind_yearly(s: &Services, now: DateTime<Utc>) -> Result<usize> {
    let days = s.config.reports.yearly.remind_working_days;
    if days == 0 {
        return Ok(0);
    }
    let org = s.db.read(Org::load)?;
    let cal = s.calendars().for_unit(None);
    let today = now.with_timezone(&LOCAL_TZ).date_naive();
    let base = s.public_url();
    // Units grouped by deadline: one run per deadline date.
    let mut by_deadline: std::collections::BTreeMap<NaiveDate, Vec<Outgoing>> = Default::default();
    for u in org.units.iter().filter(|u| u.active) {
        let sched = super::yearly::schedule(&s.config.reports, Some(&u.code), false, today.year());
        // The reminder day: `days` working days before the deadline.
        let mut remind = sched.deadline;
        let mut left = days;
        while left > 0 {
            remind -= Duration::days(1);
            if !cal.working_ranges(remind).is_empty() {
                left -= 1;
            }
        }
        if now < local(remind, s.config.reports.send_hour) || today > sched.deadline {
            continue;
        }
        for h in org.officers.iter().filter(|o| o.unit_id == u.id && o.active && o.role == Role::Head) {
            let Some(email) = h.email.clone().filter(|e| !e.trim().is_empty()) else { continue };
            let vi = h.lang == Lang::Vi;
            let deadline = sched.deadline.format("%d/%m/%Y").to_string();
            let period = if vi { sched.period.label(Lang::Vi) } else { sched.period.label(Lang::En) };
            let subject = if vi {
                format!("Nhắc báo cáo kết quả thực hiện văn hóa công vụ năm {} — hạn {deadline}", today.year())
            } else {
                format!("Reminder: public-service culture report {} — due {deadline}", today.year())
            };
            let intros_owned = if vi {
                vec![
                    format!(
                        "{} cần gửi báo cáo kết quả thực hiện Đề án Văn hóa công vụ trước ngày {deadline}.",
                        u.name
                    ),
                    format!(
                        "hailong đã lập sẵn dự thảo báo cáo với số liệu {period} (tải về DOCX theo thể thức Nghị định 30/2020, hoặc XLSX) tại đường dẫn dưới đây; đơn vị bổ sung phần “…” rồi ký ban hành."
                    ),
                ]
            } else {
                vec![
                    format!("{} must send its public-service culture report by {deadline}.", u.name),
                    format!(
                        "hailong has drafted it with the figures for {period} (DOCX in the Decree 30/2020 layout, or XLSX) at the link below; fill in the “…” and sign."
                    ),
                ]
            };
            let intros: Vec<&str> = intros_owned.iter().map(String::as_str).collect();
            let addressee =
                Addressee { name: Some(h.name.clone()), position: Some(compose::position(&h.title, &u.name)) };
            let link = compose::report_link_template(&base);
            let rendered = compose::report(
                h.lang,
                &addressee,
                &ReportMail {
                    subject: &subject,
                    intros: &intros,
                    facts: &[],
                    link: &link,
                    link_days: s.config.reports.link_days,
                },
            );
            by_deadline.entry(sched.deadline).or_default().push(Outgoing {
                dedupe_key: format!("report:yearly_reminder:{}:{}:{}", sched.deadline, u.code, email.to_lowercase()),
                email: email.clone(),
                lang: h.lang,
                link: NewLink {
                    kind: Kind::Yearly,
                    period: today.year(),
                    unit_id: Some(u.id),
                    officer_id: Some(h.id),
                    email,
                },
                rendered,
                attachment: None,
            });
        }
    }
    let mut queued = 0;
    for (deadline, out) in by_deadline {
        let key = crate::domain::rollup::date_number(deadline);
        if previous_run(s, "yearly_reminder", key)?.is_some() {
            continue;
        }
        if let Sent::Now(n) = commit(s, "yearly_reminder", key, out, now)? {
            queued += n;
        }
    }
    Ok(queued)
}
