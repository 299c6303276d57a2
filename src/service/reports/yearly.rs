//! The yearly report of the public-service-culture programme (Đề án Văn hóa công vụ): the
//! monthly measures over the reporting period, and a draft report in Vietnamese shaped like the
//! seed plan's (what was done, results with the figures filled in, shortcomings, proposals), in
//! the Decree 30/2020 layout. The draft leaves "…" where only the unit can write.

use chrono::{DateTime, Utc};

use super::model::{Draft, DraftSection, Report, Yearly};
use super::monthly::{Org, Request, Source};
use crate::config::ReportsConfig;
use crate::domain::period::{Month, MonthDay, Period};
use crate::error::{Error, Result};
use crate::service::Services;
use crate::store::org::Unit;
use crate::t;

/// The deadline and reporting period of a unit for a programme year.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Schedule {
    pub deadline: chrono::NaiveDate,
    pub period: Period,
}

/// A unit's deadline (its own, or the default; the oversight units' summary has its own) and
/// the whole months before the deadline's month.
pub fn schedule(cfg: &ReportsConfig, unit_code: Option<&str>, oversight: bool, year: i32) -> Schedule {
    let y = &cfg.yearly;
    let own = unit_code.and_then(|c| y.units.get(c));
    let day =
        own.and_then(|u| u.deadline.as_deref()).unwrap_or(if oversight { &y.oversight_deadline } else { &y.deadline });
    // Checked when the configuration was loaded.
    let day = MonthDay::parse(day).unwrap_or(MonthDay { month: 11, day: 15 });
    let deadline = day.in_year(year);
    let months = own.and_then(|u| u.months).unwrap_or(y.months).max(1);
    let last = Month::of_date(deadline).prev();
    Schedule { deadline, period: Period { first: last.minus(months - 1), last } }
}

/// Builds the yearly report of a unit (its subtree; `None` = the whole organisation) for `year`.
pub fn build(
    s: &Services,
    unit: Option<&str>,
    year: i32,
    reader_officer_id: Option<i64>,
    now: DateTime<Utc>,
) -> Result<Yearly> {
    if !(2000..=2200).contains(&year) {
        return Err(Error::Invalid(t!("Năm {year} không hợp lệ", "{year} is not a valid year")));
    }
    let org = s.db.read(Org::load)?;
    let scope = org.scope(unit)?;
    let code = unit.map(|_| scope.code.clone());
    let sched = schedule(&s.config.reports, code.as_deref(), false, year);
    let req = Request { unit: code.clone(), period: sched.period, reader_officer_id, source: Source::Rollups, now };
    let report = super::monthly::build_for(s, &org, &scope, &req)?;
    let unit_row = org.units.iter().find(|u| u.code == scope.code).cloned();
    let draft = draft(&org, unit_row.as_ref(), &report, year);
    Ok(Yearly { year, deadline: sched.deadline.to_string(), report, draft })
}

/// "UBND xã Tuy Phước" → "ỦY BAN NHÂN DÂN XÃ TUY PHƯỚC" (the heading spells the body out).
fn heading_name(name: &str) -> String {
    let spelled = name.strip_prefix("UBND ").map(|rest| format!("Ủy ban nhân dân {rest}")).unwrap_or(name.to_string());
    spelled.to_uppercase()
}

fn is_peoples_committee(u: &Unit) -> bool {
    u.kind.starts_with("UBND") || u.name.starts_with("UBND")
}

/// A percentage for the draft's prose: "81,3%".
fn pct(x: Option<f64>) -> String {
    match x {
        Some(v) => format!("{:.1}%", v * 100.0).replace('.', ","),
        None => "…".into(),
    }
}

fn score(x: Option<f64>) -> String {
    x.map(|v| format!("{v:.1}").replace('.', ",")).unwrap_or_else(|| "…".into())
}

fn draft(org: &Org, unit: Option<&Unit>, r: &Report, year: i32) -> Draft {
    let name = unit.map(|u| u.name.clone()).unwrap_or_else(|| r.scope.name.clone());
    let parent = unit.and_then(|u| u.parent_id).and_then(|p| org.unit(p));
    let ubnd = unit.is_some_and(is_peoples_committee);
    let head = unit.and_then(|u| {
        org.officers.iter().find(|o| o.unit_id == u.id && o.active && o.role == crate::domain::org::Role::Head)
    });
    // "Giám đốc Sở Nội vụ" signing for "Sở Nội vụ tỉnh Gia Lai" → "GIÁM ĐỐC".
    let signer_title = match head {
        _ if ubnd => "CHỦ TỊCH".to_string(),
        Some(h) => {
            let words: Vec<&str> = h.title.split_whitespace().collect();
            let cut = (1..words.len()).find(|&k| name.starts_with(&words[k..].join(" "))).unwrap_or(words.len());
            words[..cut].join(" ").to_uppercase()
        }
        None => "THỦ TRƯỞNG ĐƠN VỊ".into(),
    };
    let f = &r.summary.figures;
    let p = &r.period;
    let period = &p.label_vi;
    let levels: Vec<String> = f
        .levels
        .iter()
        .rev()
        .filter_map(|(k, n)| {
            let scale = crate::domain::survey::Scale::parse(&p.scale).unwrap_or_default();
            let w = crate::domain::measures::level_words(scale, k.parse().ok()?)?;
            Some(format!("{} {n} lượt", w.vi.to_lowercase()))
        })
        .collect();
    let ticks: Vec<String> = r.behaviours.ticks.iter().map(|t| format!("“{}” {}", t.label_vi, pct(t.share))).collect();
    let c = &r.cases;
    let idx = |i: &Option<super::model::IndexScore>| score(i.as_ref().and_then(|x| x.score));
    let total = f
        .unit_total
        .as_ref()
        .map(|t| format!("{} điểm ({}/{} chỉ số có dữ liệu)", score(Some(t.total)), t.with_data, t.of))
        .unwrap_or_else(|| "chưa đủ dữ liệu".into());
    let mut results = vec![
        format!(
            "Về đánh giá sự hài lòng: {period}, người dân đã đánh giá {} lượt tại {} quầy, bộ phận một cửa ({}); tỷ lệ hài lòng (Rất hài lòng và Hài lòng trên tổng số lượt) đạt {}. Tỷ lệ tính theo cách của Quyết định số 766/QĐ-TTg trên số lượt đánh giá (trừ lượt chưa hài lòng và lượt có phản ánh) đạt {}.",
            crate::domain::feedback::number_vi(f.ratings as usize),
            r.scope.desk_count,
            levels.join(", "),
            pct(f.satisfaction_rate),
            pct(f.rate_766_ratings),
        ),
        format!(
            "Về thực hiện “4 xin, 4 luôn” theo đánh giá của người dân: {}.",
            if ticks.is_empty() { "…".to_string() } else { ticks.join("; ") }
        ),
        format!(
            "Về các chỉ số theo Thông tư số 01/2018/TT-VPCP: chỉ số 1 (thời gian giải quyết so với giấy hẹn) {}; chỉ số 3 (số lần đi lại) {}; chỉ số 4 (số cơ quan phải liên hệ) {}; chỉ số 7 (thái độ của cán bộ, công chức) {}; chỉ số 8 (xử lý phản ánh, kiến nghị đúng hạn) {}; tổng điểm {total}.",
            idx(&f.indices.idx1),
            idx(&f.indices.idx3),
            idx(&f.indices.idx4),
            idx(&f.indices.idx7),
            idx(&f.indices.idx8),
        ),
        format!(
            "Về tiếp nhận, xử lý phản ánh, kiến nghị: tiếp nhận {} phản ánh, kiến nghị; đã giải quyết xong {} ({} đúng hạn, tỷ lệ {}); chuyển cấp trên {} lượt; mở lại do người dân chưa hài lòng {} lượt; đến cuối kỳ còn {} phản ánh quá hạn.",
            c.opened,
            c.closed,
            c.closed_on_time,
            pct(c.closed_on_time_rate),
            c.escalations,
            c.reopened,
            c.dragging,
        ),
    ];
    if let Some(h) = &r.notes.ledger_head {
        // The hash's beginning: a 64-character word would wreck a justified line; the full hash
        // is in the figures (HTML, XLSX, JSON).
        let short: String = h.hash.chars().take(16).collect();
        results.push(format!(
            "Toàn bộ phản ánh được lưu trong nhật ký có dấu kiểm; dấu kiểm cuối kỳ: mục số {}, mã băm bắt đầu bằng {short} (kiểm tra bằng lệnh hailong audit verify).",
            h.seq
        ));
    }
    let mut shortcomings = Vec::new();
    let weak: Vec<String> = r
        .desks
        .iter()
        .filter(|d| d.rank.is_some())
        .rev()
        .take(3)
        .filter(|d| d.satisfaction_rate.is_some_and(|x| x < 0.8))
        .map(|d| format!("{} ({})", d.name, pct(d.satisfaction_rate)))
        .collect();
    if !weak.is_empty() {
        shortcomings.push(format!("Một số quầy có tỷ lệ hài lòng còn thấp: {}.", weak.join("; ")));
    }
    if c.dragging > 0 {
        shortcomings.push(format!("Còn {} phản ánh, kiến nghị quá hạn giải quyết đến cuối kỳ.", c.dragging));
    }
    if !r.signals.is_empty() {
        shortcomings.push(format!(
            "Dữ liệu đánh giá có {} dấu hiệu cần xem xét (đánh giá dồn dập, ngoài giờ, lặp lại từ một thiết bị…); đơn vị cần kiểm tra, làm rõ.",
            r.signals.len()
        ));
    }
    if !r.notes.files_entered {
        shortcomings.push(
            "Chưa nhập số hồ sơ đã giải quyết hằng tháng nên chưa tính được tỷ lệ hài lòng theo đúng Quyết định số 766/QĐ-TTg."
                .into(),
        );
    }
    shortcomings.push("(Đơn vị bổ sung các tồn tại, hạn chế khác và nguyên nhân.) …".into());
    let oversight_name = unit
        .and_then(|u| u.oversight_id)
        .and_then(|o| org.unit(o))
        .map(|o| o.name.clone())
        .unwrap_or_else(|| "…".into());
    let recipients = vec![
        format!("{} (qua {oversight_name});", parent.map(|p| p.name.clone()).unwrap_or_else(|| "…".into())),
        "Lưu: VT.".to_string(),
    ];
    Draft {
        parent_body: if ubnd { String::new() } else { parent.map(|p| heading_name(&p.name)).unwrap_or_default() },
        issuer: heading_name(&name),
        number: format!("Số:        /BC-{}", if ubnd { "UBND" } else { "…" }),
        place_date: format!("…, ngày … tháng … năm {year}"),
        kind: "BÁO CÁO".into(),
        title: format!("Kết quả thực hiện Đề án “Văn hóa công vụ” năm {year}"),
        sections: vec![
            DraftSection {
                heading: "I. CÔNG TÁC CHỈ ĐẠO, TRIỂN KHAI THỰC HIỆN".into(),
                paragraphs: vec![
                    format!(
                        "Thực hiện Kế hoạch triển khai Đề án “Văn hóa công vụ”, {name} báo cáo kết quả thực hiện {period} như sau."
                    ),
                    format!(
                        "Đơn vị đã niêm yết mã QR đánh giá sự hài lòng tại {} quầy, bộ phận một cửa; người dân đánh giá chất lượng phục vụ và phản ánh hành vi, thái độ của cán bộ, công chức ngay tại nơi giao dịch; phản ánh được chuyển tới người có thẩm quyền xử lý và theo dõi thời hạn giải quyết.",
                        r.scope.desk_count
                    ),
                    "(Đơn vị bổ sung: việc ban hành văn bản chỉ đạo, tuyên truyền, quán triệt, kiểm tra công vụ …) …".into(),
                ],
            },
            DraftSection { heading: "II. KẾT QUẢ THỰC HIỆN".into(), paragraphs: results },
            DraftSection { heading: "III. TỒN TẠI, HẠN CHẾ".into(), paragraphs: shortcomings },
            DraftSection {
                heading: "IV. PHƯƠNG HƯỚNG, ĐỀ XUẤT, KIẾN NGHỊ".into(),
                paragraphs: vec![
                    "Tiếp tục thực hiện nghiêm “4 xin, 4 luôn”, chấn chỉnh kịp thời các quầy có tỷ lệ hài lòng thấp và giải quyết dứt điểm phản ánh, kiến nghị quá hạn.".into(),
                    "Nhập đầy đủ số hồ sơ đã giải quyết hằng tháng để tính tỷ lệ hài lòng theo Quyết định số 766/QĐ-TTg.".into(),
                    "(Đơn vị bổ sung đề xuất, kiến nghị.) …".into(),
                ],
            },
        ],
        recipients,
        signer_on_behalf: if ubnd { "TM. ỦY BAN NHÂN DÂN".into() } else { String::new() },
        signer_title,
        signer_name: head.map(|h| h.name.clone()).unwrap_or_else(|| "…".into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_period_is_the_whole_months_before_the_deadline() {
        let cfg = ReportsConfig::default();
        let s = schedule(&cfg, Some("X-TUYPHUOC"), false, 2026);
        assert_eq!(s.deadline.to_string(), "2026-11-15");
        assert_eq!((s.period.first.to_string(), s.period.last.to_string()), ("2025-11".into(), "2026-10".into()));
        let o = schedule(&cfg, None, true, 2026);
        assert_eq!(o.deadline.to_string(), "2026-11-30");
        let mut cfg = cfg;
        cfg.yearly.units.insert(
            "X-TUYPHUOC".into(),
            crate::config::YearlyUnitConfig { deadline: Some("12-10".into()), months: Some(6) },
        );
        let s = schedule(&cfg, Some("X-TUYPHUOC"), false, 2026);
        assert_eq!((s.period.first.to_string(), s.period.last.to_string()), ("2026-06".into(), "2026-11".into()));
    }

    #[test]
    fn headings_spell_out_the_body() {
        assert_eq!(heading_name("UBND xã Tuy Phước"), "ỦY BAN NHÂN DÂN XÃ TUY PHƯỚC");
        assert_eq!(heading_name("Sở Nội vụ tỉnh Gia Lai"), "SỞ NỘI VỤ TỈNH GIA LAI");
    }
}
