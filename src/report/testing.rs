//! What the renderers' tests share: a hand-built report (two units, three desks of which one is
//! suppressed, two officers, cases with an overdue list, a twelve-month trend with gaps, two
//! signals, notes), its five-level variant, a yearly report with its draft, and the test that
//! opens the XLSX and DOCX files in LibreOffice.

use std::collections::BTreeMap;

use crate::domain::measures::wilson_lower_bound;
use crate::domain::period::Month;
use crate::service::reports::model::*;

fn month(y: i32, m: u32) -> Month {
    Month::new(y, m).expect("a valid month")
}

fn score(total: f64, with_data: u8, of: u8, band: Option<(&str, &str, &str)>) -> Score {
    Score {
        total,
        with_data,
        of,
        band: band.map(|b| b.0.to_string()),
        band_vi: band.map(|b| b.1.to_string()),
        band_en: band.map(|b| b.2.to_string()),
    }
}

fn idx(points: u64, files: u64, score: f64) -> Option<IndexScore> {
    Some(IndexScore { points, files, score: Some(score) })
}

/// One row of figures on the three-level scale. Rates are worked out here, in the fixture, so the
/// numbers hang together; the renderers only print them.
#[allow(clippy::too_many_arguments)]
fn figures(
    item: Item,
    (code, name): (&str, &str),
    (unit_code, unit_name): (&str, &str),
    [l3, l2, l1]: [u64; 3],
    with_case: u64,
    files: Option<u64>,
    rank: Option<u32>,
    min_count: u64,
) -> Figures {
    let ratings = l3 + l2 + l1;
    let satisfied = l3 + l2;
    let suppressed = ratings < min_count;
    let shown = |v: Option<f64>| if suppressed { None } else { v };
    let bad = l1 + with_case;
    let rate_766_files = files.map(|f| (f - bad.min(f)) as f64 / f as f64);
    Figures {
        item,
        code: code.into(),
        name: name.into(),
        unit_code: unit_code.into(),
        unit_name: unit_name.into(),
        ratings,
        levels: BTreeMap::from([("3".into(), l3), ("2".into(), l2), ("1".into(), l1)]),
        satisfied,
        dissatisfied: l1,
        with_case,
        suppressed,
        satisfaction_rate: shown((ratings > 0).then(|| satisfied as f64 / ratings as f64)),
        wilson_lower: shown(wilson_lower_bound(satisfied, ratings)),
        rank: if suppressed { None } else { rank },
        rate_766_ratings: shown((ratings > 0).then(|| (ratings - bad) as f64 / ratings as f64)),
        files,
        rate_766_files: shown(rate_766_files),
        coverage: shown(files.map(|f| (ratings as f64 / f as f64).min(1.0))),
        ratings_exceed_files: files.is_some_and(|f| ratings > f),
        indices: Indices::default(),
        officer_score: None,
        unit_total: None,
        outside_hours: 0,
    }
}

fn share(code: &str, vi: &str, en: &str, count: u64, of: u64) -> Share {
    Share {
        code: code.into(),
        label_vi: vi.into(),
        label_en: en.into(),
        count,
        of,
        share: (of >= 10).then(|| count as f64 / of as f64),
    }
}

/// The monthly report of November 2026 for the district, on the three-level scale.
pub(crate) fn sample() -> Report {
    let min = 10;
    let phuoc_thanh = ("xa-phuoc-thanh", "Bộ phận Một cửa xã Phước Thành");
    let thi_tran = ("tt-tuy-phuoc", "UBND thị trấn Tuy Phước");
    let district = ("h-tuy-phuoc", "UBND huyện Tuy Phước");

    let mut summary = figures(Item::Scope, district, ("", ""), [40, 23, 8], 5, Some(120), None, min);
    summary.indices = Indices {
        idx1: idx(90, 60, 1.5),
        idx3: idx(120, 65, 1.8),
        idx4: idx(130, 70, 1.9),
        idx7: idx(85, 60, 1.4),
        idx8: idx(1, 1, 1.0),
    };
    summary.unit_total = Some(score(7.6, 5, 9, None));
    summary.outside_hours = 4;

    let mut u1 = figures(Item::Unit, phuoc_thanh, district, [37, 21, 7], 5, Some(110), Some(1), min);
    u1.indices = summary.indices.clone();
    u1.unit_total = Some(score(7.6, 5, 9, None));
    u1.outside_hours = 4;
    let u2 = figures(Item::Unit, thi_tran, district, [3, 2, 1], 0, None, None, min);

    let mut d1 =
        figures(Item::Desk, ("q1-dat-dai", "Quầy 1 – Đất đai"), phuoc_thanh, [20, 14, 6], 4, Some(80), Some(2), min);
    d1.indices =
        Indices { idx1: idx(50, 36, 1.4), idx3: idx(70, 38, 1.8), idx4: None, idx7: idx(48, 36, 1.3), idx8: None };
    d1.outside_hours = 3;
    // A comma and quotes in a name: the CSV must quote it.
    let mut d2 = figures(
        Item::Desk,
        ("q2-tu-phap", "Quầy 2, \"Tư pháp – Hộ tịch\""),
        phuoc_thanh,
        [17, 7, 1],
        1,
        Some(30),
        Some(1),
        min,
    );
    d2.outside_hours = 1;
    // Six ratings: below the minimum count, so suppressed.
    let d3 =
        figures(Item::Desk, ("q-tiep-nhan", "Quầy tiếp nhận và trả kết quả"), thi_tran, [3, 2, 1], 0, None, None, min);

    let mut o1 =
        figures(Item::Officer, ("cb-nhung", "Nguyễn Thị Hồng Nhung"), phuoc_thanh, [18, 10, 2], 2, None, Some(1), min);
    o1.indices = Indices {
        idx1: idx(40, 26, 1.5),
        idx3: idx(50, 28, 1.8),
        idx4: idx(55, 29, 1.9),
        idx7: idx(36, 26, 1.4),
        idx8: None,
    };
    o1.officer_score = Some(score(6.6, 4, 4, Some(("full", "Hoàn thành 100% nhiệm vụ", "100% of duties fulfilled"))));
    let mut o2 = figures(Item::Officer, ("cb-duc", "Trần Văn Đức"), phuoc_thanh, [11, 5, 4], 3, None, Some(2), min);
    o2.indices = Indices { idx1: None, idx3: idx(20, 12, 1.7), idx4: idx(18, 10, 1.8), idx7: None, idx8: None };
    o2.officer_score = Some(score(3.5, 2, 4, None));

    let months: Vec<Month> = month(2025, 12).through(month(2026, 11));
    let scope_ratings = vec![0, 4, 12, 30, 41, 38, 55, 60, 48, 52, 66, 71];
    let rate = |r: &[u64], sat: &[u64]| -> Vec<Option<f64>> {
        r.iter().zip(sat).map(|(&n, &s)| (n >= 10).then(|| s as f64 / n as f64)).collect()
    };
    let scope_sat = vec![0, 3, 9, 24, 33, 31, 46, 50, 40, 45, 57, 63];
    let u1_ratings = vec![0, 4, 10, 26, 37, 35, 50, 54, 44, 47, 60, 65];
    let u1_sat = vec![0, 3, 8, 21, 30, 29, 42, 45, 37, 41, 52, 58];
    let u2_ratings = vec![0, 0, 2, 4, 4, 3, 5, 6, 4, 5, 6, 6];
    let u2_sat = vec![0, 0, 1, 3, 3, 2, 4, 5, 3, 4, 5, 5];

    Report {
        scope: Scope {
            code: district.0.into(),
            name: district.1.into(),
            whole_organisation: true,
            unit_count: 3,
            desk_count: 3,
        },
        period: PeriodInfo {
            first: month(2026, 11),
            last: month(2026, 11),
            label_vi: "tháng 11/2026".into(),
            label_en: "November 2026".into(),
            ends_at: "2026-12-01T00:00:00+07:00".into(),
            generated_at: "2026-12-01T01:30:00+07:00".into(),
            min_count: min,
            scale: "vn3".into(),
        },
        summary: Summary {
            figures: summary,
            previous_ratings: 66,
            previous_satisfaction_rate: Some(57.0 / 66.0),
            change_points: Some(2.4),
        },
        units: vec![u1, u2],
        desks: vec![d2, d1, d3],
        officers: vec![o1, o2],
        behaviours: Behaviours {
            ratings: 71,
            ticks: vec![
                share("xin_chao", "Xin chào", "Greeted me", 60, 71),
                share("xin_loi", "Xin lỗi", "Apologised", 22, 71),
                share("xin_cam_on", "Xin cảm ơn", "Thanked me", 58, 71),
                share("xin_phep", "Xin phép", "Asked permission", 30, 71),
                share("luon_mim_cuoi", "Luôn mỉm cười", "Smiled", 49, 71),
                share("luon_nhe_nhang", "Luôn nhẹ nhàng", "Was gentle", 51, 71),
                share("luon_lang_nghe", "Luôn lắng nghe", "Listened", 55, 71),
                share("luon_giup_do", "Luôn giúp đỡ", "Helped", 47, 71),
            ],
            on_time: vec![
                share("early", "Sớm hơn hẹn", "Earlier than promised", 20, 60),
                share("on_time", "Đúng hẹn", "On the promised date", 30, 60),
                share("late", "Trễ hẹn", "Late", 10, 60),
            ],
            come_back: vec![
                share("0", "Không phải đi lại", "Never", 55, 65),
                share("1", "Một lần", "Once", 8, 65),
                share("2", "Hai lần trở lên", "Twice or more", 2, 65),
            ],
            other_offices: vec![
                share("0", "Không", "None", 60, 70),
                share("1", "Một cơ quan", "One", 7, 70),
                share("2", "Nhiều hơn một", "More than one", 3, 70),
            ],
            yes_no: vec![
                share("unofficial_money", "Bị đòi tiền ngoài quy định", "Asked for unofficial money", 1, 68),
                share("extra_documents", "Bị đòi thêm giấy tờ", "Asked for extra documents", 2, 6),
            ],
        },
        cases: Cases {
            opened: 7,
            by_category: vec![
                CategoryCount {
                    category: "harassment".into(),
                    label_vi: "Cửa quyền, sách nhiễu, gây phiền hà".into(),
                    label_en: "Harassment, high-handedness".into(),
                    opened: 3,
                    by_status: BTreeMap::from([("acknowledged".into(), 1), ("resolved".into(), 2)]),
                },
                CategoryCount {
                    category: "delay".into(),
                    label_vi: "Kéo dài thời gian giải quyết, hẹn lại nhiều lần".into(),
                    label_en: "Delay, repeated postponement".into(),
                    opened: 4,
                    by_status: BTreeMap::from([
                        ("received".into(), 1),
                        ("resolved".into(), 2),
                        ("dismissed".into(), 1),
                    ]),
                },
            ],
            by_status: BTreeMap::from([
                ("received".into(), 1),
                ("acknowledged".into(), 1),
                ("resolved".into(), 4),
                ("dismissed".into(), 1),
            ]),
            acknowledged: 6,
            acknowledged_on_time: 5,
            acknowledged_on_time_rate: Some(5.0 / 6.0),
            closed: 5,
            closed_on_time: 4,
            closed_on_time_rate: Some(0.8),
            hours_to_acknowledge: Percentiles { count: 6, median: Some(3.5), p90: Some(9.0) },
            hours_to_close: Percentiles { count: 5, median: Some(21.5), p90: Some(60.0) },
            escalations: 1,
            reopened: 1,
            answers_satisfied: 3,
            answers_not_satisfied: 1,
            dragging: 1,
            overdue: vec![
                OverdueCase {
                    number: "PA-2026-0031".into(),
                    category: "delay".into(),
                    category_vi: "Kéo dài thời gian giải quyết, hẹn lại nhiều lần".into(),
                    category_en: "Delay, repeated postponement".into(),
                    unit_code: phuoc_thanh.0.into(),
                    unit_name: phuoc_thanh.1.into(),
                    deadline: "resolve".into(),
                    due: "2026-11-20T10:00:00Z".into(),
                    due_local: "17:00 thứ Sáu, 20/11/2026".into(),
                    days_overdue: 11,
                },
                OverdueCase {
                    number: "PA-2026-0044".into(),
                    category: "harassment".into(),
                    category_vi: "Cửa quyền, sách nhiễu, gây phiền hà".into(),
                    category_en: "Harassment, high-handedness".into(),
                    unit_code: thi_tran.0.into(),
                    unit_name: thi_tran.1.into(),
                    deadline: "acknowledge".into(),
                    due: "2026-11-30T02:30:00Z".into(),
                    due_local: "09:30 thứ Hai, 30/11/2026".into(),
                    days_overdue: 1,
                },
            ],
            withheld_from_reader: 0,
        },
        trend: Trend {
            months,
            scope: TrendSeries {
                code: district.0.into(),
                name: district.1.into(),
                satisfaction_rate: rate(&scope_ratings, &scope_sat),
                ratings: scope_ratings,
            },
            children: vec![
                TrendSeries {
                    code: phuoc_thanh.0.into(),
                    name: phuoc_thanh.1.into(),
                    satisfaction_rate: rate(&u1_ratings, &u1_sat),
                    ratings: u1_ratings,
                },
                TrendSeries {
                    code: thi_tran.0.into(),
                    name: thi_tran.1.into(),
                    satisfaction_rate: rate(&u2_ratings, &u2_sat),
                    ratings: u2_ratings,
                },
            ],
        },
        signals: vec![
            Signal {
                kind: "burst".into(),
                desk_code: "q2-tu-phap".into(),
                desk_name: "Quầy 2, \"Tư pháp – Hộ tịch\"".into(),
                unit_code: phuoc_thanh.0.into(),
                count: 9,
                detail_vi: "9 lượt đánh giá trong 4 phút ngày 12/11/2026, cùng mức Rất hài lòng.".into(),
                detail_en: "9 ratings within 4 minutes on 12/11/2026, all Very satisfied.".into(),
                meaning_vi: "Có thể một đoàn người dân cùng đánh giá, hoặc có người đánh giá thay.".into(),
                meaning_en: "A group of citizens rating together, or someone rating on their behalf.".into(),
            },
            Signal {
                kind: "outside_hours".into(),
                desk_code: "q1-dat-dai".into(),
                desk_name: "Quầy 1 – Đất đai".into(),
                unit_code: phuoc_thanh.0.into(),
                count: 3,
                detail_vi: "3 lượt đánh giá ngoài giờ làm việc của quầy.".into(),
                detail_en: "3 ratings outside the desk's opening hours.".into(),
                meaning_vi: "Người dân đánh giá sau khi về nhà, hoặc mã QR bị dùng ngoài quầy.".into(),
                meaning_en: "Citizens rating after they got home, or the QR code used away from the desk.".into(),
            },
        ],
        notes: Notes {
            indices_with_data: vec![1, 3, 4, 7, 8],
            min_count: min,
            ledger_head: Some(LedgerHead {
                seq: 1042,
                hash: "9f2c4e6a8b0d1f3e5a7c9b1d3f5e7a9c".into(),
                at: "2026-11-30T09:12:44+07:00".into(),
            }),
            files_entered: true,
            lines_vi: vec![
                "Tỷ lệ theo Quyết định 766 tính trên số lượt đánh giá, không phải số hồ sơ.".into(),
                "Hồ sơ trễ hẹn nhưng không có phản ánh được 1 điểm ở chỉ số 7; việc trễ hẹn đã tính ở chỉ số 1.".into(),
                "Dưới 10 lượt đánh giá: chưa đủ dữ liệu, không tính tỷ lệ và không xếp hạng.".into(),
            ],
            lines_en: vec![
                "The Decision 766 rate is over ratings, not files.".into(),
                "A late file without a report scores 1 on index 7; its lateness is counted in index 1.".into(),
                "Below 10 ratings: not enough data, no rates and no rank.".into(),
            ],
        },
    }
}

/// The same report on the five-level scale: "3" becomes "5", "2" becomes "4", and "1" splits
/// into "2" and "1", so satisfied and dissatisfied stay as they were.
pub(crate) fn sample_five() -> Report {
    let mut r = sample();
    r.period.scale = "vn5".into();
    let five = |f: &mut Figures| {
        let l = |k: &str| f.levels.get(k).copied().unwrap_or(0);
        let (l3, l2, l1) = (l("3"), l("2"), l("1"));
        f.levels = BTreeMap::from([
            ("5".into(), l3),
            ("4".into(), l2),
            ("3".into(), 0),
            ("2".into(), l1 - l1 / 2),
            ("1".into(), l1 / 2),
        ]);
    };
    five(&mut r.summary.figures);
    r.units.iter_mut().chain(&mut r.desks).chain(&mut r.officers).for_each(five);
    r
}

/// The yearly report of 2026: the sample's figures over December 2025 to November 2026, and a
/// draft in the Decree 30/2020 layout.
pub(crate) fn sample_yearly() -> Yearly {
    let mut report = sample();
    report.period.first = month(2025, 12);
    report.period.label_vi = "từ tháng 12/2025 đến tháng 11/2026".into();
    report.period.label_en = "December 2025 to November 2026".into();
    let p = |s: &str| s.to_string();
    Yearly {
        year: 2026,
        deadline: "2026-12-10".into(),
        report,
        draft: Draft {
            parent_body: p("UBND huyện Tuy Phước"),
            issuer: p("Ủy ban nhân dân xã Phước Thành"),
            number: p("Số: …/BC-UBND"),
            place_date: p("Phước Thành, ngày … tháng … năm 2026"),
            kind: p("BÁO CÁO"),
            title: p("Kết quả thực hiện Đề án Văn hóa công vụ năm 2026"),
            sections: vec![
                DraftSection {
                    heading: p("I. KẾT QUẢ ĐÁNH GIÁ SỰ HÀI LÒNG CỦA NGƯỜI DÂN"),
                    paragraphs: vec![
                        p(
                            "Từ tháng 12/2025 đến tháng 11/2026, Bộ phận Một cửa xã Phước Thành nhận 71 lượt đánh giá; tỷ lệ hài lòng đạt 88,7% (63/71 lượt), tăng 2,4 điểm phần trăm so với kỳ trước.",
                        ),
                        p(
                            "Tỷ lệ theo Quyết định số 766/QĐ-TTg tính trên số lượt đánh giá đạt 81,7%; tính trên 120 hồ sơ đã nhập đạt 89,2%, độ bao phủ 59,2%.",
                        ),
                    ],
                },
                DraftSection {
                    heading: p("II. TIẾP NHẬN, XỬ LÝ PHẢN ÁNH, KIẾN NGHỊ"),
                    paragraphs: vec![p(
                        "Trong kỳ tiếp nhận 7 phản ánh, kiến nghị; đã giải quyết 5, trong đó 4 đúng hạn; còn 1 phản ánh kéo dài quá hạn giải quyết.",
                    )],
                },
                DraftSection {
                    heading: p("III. PHƯƠNG HƯỚNG, NHIỆM VỤ NĂM TIẾP THEO"), paragraphs: vec![p("…")]
                },
            ],
            recipients: vec![p("Phòng Nội vụ huyện"), p("Chủ tịch, các PCT UBND xã"), p("Lưu: VT.")],
            signer_on_behalf: p("TM. Ủy ban nhân dân"),
            signer_title: p("Chủ tịch"),
            signer_name: p("Lê Văn …"),
        },
    }
}

/// Whether CI demands a component (`HAILONG_TEST_REQUIRE=libreoffice,…`), as in
/// `tests/it/support.rs`.
pub(crate) fn required(component: &str) -> bool {
    std::env::var("HAILONG_TEST_REQUIRE")
        .is_ok_and(|v| v.split(',').any(|c| c.trim() == component || c.trim() == "all"))
}

/// Reports a test skipped by name, or fails it when CI requires the component: a test that returns
/// early would otherwise count as passed and hide the gap.
pub(crate) fn skip(test: &str, component: &str, why: &str) {
    if required(component) {
        panic!("{test}: {component} is required here (HAILONG_TEST_REQUIRE) but {why}");
    }
    // Straight to the stream, past the harness's capture, so it shows in every run.
    use std::io::Write;
    let _ = writeln!(std::io::stderr().lock(), "SKIPPED {test}: {why}");
}

#[cfg(test)]
mod tests {
    use std::path::Path;
    use std::process::Command;

    use super::*;
    use crate::i18n::Lang;

    fn soffice_available() -> bool {
        Command::new("soffice").arg("--version").output().is_ok_and(|o| o.status.success())
    }

    /// Converts `file` to PDF in its folder with a private profile (a shared one locks when two
    /// conversions run at once) and returns the PDF's bytes.
    fn to_pdf(file: &Path) -> Vec<u8> {
        let dir = file.parent().expect("a folder");
        let profile = dir.join("lo-profile");
        let out = Command::new("soffice")
            .arg(format!("-env:UserInstallation=file://{}", profile.display()))
            .args(["--headless", "--convert-to", "pdf", "--outdir"])
            .arg(dir)
            .arg(file)
            .output()
            .expect("soffice runs");
        assert!(out.status.success(), "soffice failed on {}: {}", file.display(), String::from_utf8_lossy(&out.stderr));
        std::fs::read(file.with_extension("pdf")).unwrap_or_else(|e| {
            panic!("no PDF for {}: {e}; soffice said: {}", file.display(), String::from_utf8_lossy(&out.stdout))
        })
    }

    #[test]
    fn libreoffice_converts_xlsx_and_docx() {
        let name = "libreoffice_converts_xlsx_and_docx";
        if !soffice_available() {
            skip(name, "libreoffice", "LibreOffice is not installed");
            return;
        }
        let dir = tempfile::tempdir().unwrap();
        let y = sample_yearly();
        let files = [
            ("monthly.xlsx", super::super::xlsx::monthly(&sample(), Lang::Vi).unwrap()),
            ("yearly-en.xlsx", super::super::xlsx::yearly(&y, Lang::En).unwrap()),
            ("draft.docx", super::super::docx::draft(&y.draft).unwrap()),
        ];
        for (file, bytes) in files {
            let path = dir.path().join(file);
            std::fs::write(&path, bytes).unwrap();
            let pdf = to_pdf(&path);
            assert!(pdf.len() > 1000 && pdf.starts_with(b"%PDF"), "{file}: not a PDF ({} bytes)", pdf.len());
        }
    }

    /// Writes the sample files for a person to open: `HAILONG_REPORT_SAMPLES=DIR cargo test --lib
    /// write_report_samples -- --ignored`.
    #[test]
    #[ignore = "writes files for a visual check"]
    fn write_report_samples() {
        let dir = std::path::PathBuf::from(std::env::var("HAILONG_REPORT_SAMPLES").expect("HAILONG_REPORT_SAMPLES"));
        std::fs::create_dir_all(&dir).unwrap();
        let y = sample_yearly();
        std::fs::write(dir.join("monthly-vi.csv"), super::super::csv::monthly(&sample(), Lang::Vi)).unwrap();
        std::fs::write(dir.join("monthly-vi.xlsx"), super::super::xlsx::monthly(&sample(), Lang::Vi).unwrap()).unwrap();
        std::fs::write(dir.join("monthly5-en.xlsx"), super::super::xlsx::monthly(&sample_five(), Lang::En).unwrap())
            .unwrap();
        std::fs::write(dir.join("yearly-vi.xlsx"), super::super::xlsx::yearly(&y, Lang::Vi).unwrap()).unwrap();
        std::fs::write(dir.join("draft.docx"), super::super::docx::draft(&y.draft).unwrap()).unwrap();
    }
}
