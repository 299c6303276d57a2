//! Renderers of the report read model ([`crate::service::reports::model`]), one file per format:
//! they format, never compute, so every format agrees with every other.

mod columns;
pub mod csv;
pub mod docx;
pub mod html;
pub mod svg;
pub mod xlsx;

#[cfg(test)]
pub(crate) mod testing;

#[cfg(test)]
pub(crate) use fixture::{sample, sample_yearly};

/// A hand-built report for the renderers' tests: two units, three desks (one suppressed), two
/// officers, overdue cases, a twelve-month trend with a suppressed month, two signals and a
/// ledger head.
#[cfg(test)]
mod fixture {
    use std::collections::BTreeMap;

    use crate::domain::period::Month;
    use crate::service::reports::model::*;

    fn levels(pairs: &[(&str, u64)]) -> BTreeMap<String, u64> {
        pairs.iter().map(|(k, v)| (k.to_string(), *v)).collect()
    }

    fn idx(points: u64, files: u64, score: f64) -> Option<IndexScore> {
        Some(IndexScore { points, files, score: Some(score) })
    }

    fn partial(total: f64, with_data: u8, of: u8) -> Option<Score> {
        Some(Score { total, with_data, of, band: None, band_vi: None, band_en: None })
    }

    /// A ranked item; the caller overrides what differs.
    fn ranked(item: Item, code: &str, name: &str, unit: (&str, &str), ratings: u64, rate: f64, rank: u32) -> Figures {
        let satisfied = (ratings as f64 * rate).round() as u64;
        Figures {
            item,
            code: code.into(),
            name: name.into(),
            unit_code: unit.0.into(),
            unit_name: unit.1.into(),
            ratings,
            levels: levels(&[("3", satisfied / 2), ("2", satisfied - satisfied / 2), ("1", ratings - satisfied)]),
            satisfied,
            dissatisfied: ratings - satisfied,
            with_case: 2,
            suppressed: false,
            satisfaction_rate: Some(rate),
            wilson_lower: Some(rate - 0.03),
            rank: Some(rank),
            rate_766_ratings: Some(rate - 0.02),
            files: None,
            rate_766_files: None,
            coverage: None,
            ratings_exceed_files: false,
            indices: Indices {
                idx1: idx(300, 200, 1.5),
                idx3: idx(380, 200, 1.9),
                idx4: idx(390, 200, 2.0),
                idx7: idx(360, 200, 1.8),
                idx8: None,
            },
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

    pub(crate) fn sample() -> Report {
        let month = Month::new(2026, 10).unwrap();
        let top = ("TP", "UBND huyện Tuy Phước");

        let mut summary = ranked(Item::Scope, "TP", "Xã Phước Lộc", ("", ""), 1234, 0.8128, 1);
        summary.levels = levels(&[("3", 600), ("2", 403), ("1", 231)]);
        summary.satisfied = 1003;
        summary.dissatisfied = 231;
        summary.with_case = 9;
        summary.rank = None;
        summary.rate_766_ratings = Some(0.78);
        summary.files = Some(3085);
        summary.rate_766_files = Some(0.912);
        summary.coverage = Some(0.4);
        summary.indices.idx8 = idx(1, 1, 1.0);
        summary.unit_total = partial(7.4, 5, 9);

        let mut pl = ranked(Item::Unit, "PL", "UBND xã Phước Lộc", top, 800, 0.85, 1);
        pl.files = Some(2000);
        pl.rate_766_files = Some(0.93);
        pl.coverage = Some(0.4);
        pl.indices.idx8 = idx(2, 1, 2.0);
        pl.unit_total = partial(7.4, 5, 9);
        let mut tp = ranked(Item::Unit, "TUPHAP", "Phòng Tư pháp", top, 434, 0.75, 2);
        tp.files = Some(300);
        tp.rate_766_files = Some(0.0);
        tp.coverage = Some(1.0);
        tp.ratings_exceed_files = true;
        tp.indices.idx8 = idx(0, 1, 0.0);
        tp.unit_total = partial(6.1, 5, 9);

        let pl_unit = ("PL", "UBND xã Phước Lộc");
        let mut d1 = ranked(Item::Desk, "PL-01", "Quầy 1", pl_unit, 500, 0.9, 1);
        d1.files = Some(1200);
        d1.rate_766_files = Some(0.95);
        d1.coverage = Some(0.417);
        let mut d2 = ranked(Item::Desk, "PL-02", "Quầy 2 (đất đai)", pl_unit, 296, 0.71, 2);
        d2.outside_hours = 14;
        let mut d3 = ranked(Item::Desk, "PL-03", "Quầy 3", pl_unit, 4, 0.75, 0);
        d3.suppressed = true;
        d3.satisfaction_rate = None;
        d3.wilson_lower = None;
        d3.rank = None;
        d3.rate_766_ratings = None;
        d3.indices = Indices { idx1: Some(IndexScore { points: 4, files: 3, score: None }), ..Indices::default() };

        let mut o1 = ranked(Item::Officer, "CB-017", "Nguyễn Thị Hoa", pl_unit, 310, 0.92, 1);
        o1.officer_score = Some(Score {
            total: 5.6,
            with_data: 4,
            of: 4,
            band: Some("full".into()),
            band_vi: Some("Hoàn thành 100% nhiệm vụ".into()),
            band_en: Some("100% of duties fulfilled".into()),
        });
        let mut o2 = ranked(Item::Officer, "CB-022", "Trần Văn Minh", pl_unit, 120, 0.7, 2);
        o2.indices.idx1 = None;
        o2.officer_score = partial(3.8, 3, 4);

        let months: Vec<Month> = (0..12).rev().map(|k| month.minus(k)).collect();
        let scope_rates: Vec<Option<f64>> = [0.74, 0.76, 0.75, 0.0, 0.78, 0.8, 0.79, 0.77, 0.8, 0.81, 0.79, 0.8128]
            .iter()
            .enumerate()
            .map(|(i, r)| (i != 3).then_some(*r))
            .collect();
        let trend = Trend {
            months,
            scope: TrendSeries {
                code: "TP".into(),
                name: "Xã Phước Lộc".into(),
                ratings: vec![820, 910, 1005, 8, 990, 1050, 1100, 1020, 1080, 1150, 1100, 1234],
                satisfaction_rate: scope_rates,
            },
            children: vec![
                TrendSeries {
                    code: "PL".into(),
                    name: "UBND xã Phước Lộc".into(),
                    ratings: vec![500, 560, 640, 5, 600, 650, 700, 660, 700, 760, 720, 800],
                    satisfaction_rate: vec![
                        Some(0.8),
                        Some(0.82),
                        Some(0.81),
                        None,
                        Some(0.83),
                        Some(0.84),
                        Some(0.85),
                        Some(0.83),
                        Some(0.84),
                        Some(0.86),
                        Some(0.84),
                        Some(0.85),
                    ],
                },
                TrendSeries {
                    code: "TUPHAP".into(),
                    name: "Phòng Tư pháp".into(),
                    ratings: vec![6, 8, 9, 3, 390, 400, 400, 360, 380, 390, 380, 434],
                    satisfaction_rate: vec![
                        None,
                        None,
                        None,
                        None,
                        Some(0.7),
                        Some(0.73),
                        Some(0.7),
                        Some(0.69),
                        Some(0.74),
                        Some(0.73),
                        Some(0.72),
                        Some(0.75),
                    ],
                },
            ],
        };

        let by_cat = |code: &str, vi: &str, en: &str, pairs: &[(&str, u64)]| CategoryCount {
            category: code.into(),
            label_vi: vi.into(),
            label_en: en.into(),
            opened: pairs.iter().map(|p| p.1).sum(),
            by_status: levels(pairs),
        };
        let cases = Cases {
            opened: 7,
            by_category: vec![
                by_cat(
                    "harassment",
                    "Cửa quyền, sách nhiễu, gây phiền hà",
                    "Harassment, high-handedness",
                    &[("acknowledged", 1), ("resolved", 1)],
                ),
                by_cat(
                    "delay",
                    "Kéo dài thời gian giải quyết, hẹn lại nhiều lần",
                    "Delay, repeated postponement",
                    &[("received", 1), ("resolved", 2), ("waiting_citizen", 1)],
                ),
                by_cat("dissatisfied", "Chưa hài lòng", "Not satisfied", &[("resolved", 1)]),
            ],
            by_status: levels(&[("acknowledged", 1), ("received", 1), ("resolved", 4), ("waiting_citizen", 1)]),
            acknowledged: 6,
            acknowledged_on_time: 5,
            acknowledged_on_time_rate: Some(5.0 / 6.0),
            closed: 4,
            closed_on_time: 3,
            closed_on_time_rate: Some(0.75),
            hours_to_acknowledge: Percentiles { count: 6, median: Some(3.5), p90: Some(12.0) },
            hours_to_close: Percentiles { count: 4, median: Some(20.5), p90: Some(41.0) },
            escalations: 1,
            reopened: 1,
            answers_satisfied: 3,
            answers_not_satisfied: 1,
            dragging: 1,
            overdue: vec![
                OverdueCase {
                    number: "2026-000123".into(),
                    category: "delay".into(),
                    category_vi: "Kéo dài thời gian giải quyết, hẹn lại nhiều lần".into(),
                    category_en: "Delay, repeated postponement".into(),
                    unit_code: "PL".into(),
                    unit_name: "UBND xã Phước Lộc".into(),
                    deadline: "resolve".into(),
                    due: "2026-10-26T17:00:00+07:00".into(),
                    due_local: "17:00 thứ Hai, 26/10/2026".into(),
                    days_overdue: 6,
                },
                OverdueCase {
                    number: "2026-000131".into(),
                    category: "harassment".into(),
                    category_vi: "Cửa quyền, sách nhiễu, gây phiền hà".into(),
                    category_en: "Harassment, high-handedness".into(),
                    unit_code: "TUPHAP".into(),
                    unit_name: "Phòng Tư pháp".into(),
                    deadline: "acknowledge".into(),
                    due: "2026-10-30T11:00:00+07:00".into(),
                    due_local: "11:00 thứ Sáu, 30/10/2026".into(),
                    days_overdue: 1,
                },
            ],
            withheld_from_reader: 0,
        };

        let behaviours = Behaviours {
            ratings: 1234,
            ticks: vec![
                share("greet", "Xin chào", "Greeted", 1105, 1234),
                share("sorry", "Xin lỗi", "Apologised", 420, 1234),
                share("thanks", "Xin cảm ơn", "Thanked", 987, 1234),
                share("permission", "Xin phép", "Asked permission", 610, 1234),
                share("smile", "Luôn mỉm cười", "Smiled", 1002, 1234),
                share("gentle", "Luôn nhẹ nhàng", "Stayed gentle", 1040, 1234),
                share("listen", "Luôn lắng nghe", "Listened", 1090, 1234),
                share("help", "Luôn giúp đỡ", "Helped", 1011, 1234),
            ],
            on_time: vec![
                share("early", "Sớm hơn ngày hẹn", "Before the promised date", 420, 980),
                share("on_date", "Đúng ngày hẹn", "On the promised date", 470, 980),
                share("late", "Trễ hẹn", "Late", 90, 980),
            ],
            come_back: vec![
                share("0", "Không phải đi lại", "Never", 900, 1100),
                share("1", "Một lần", "Once", 160, 1100),
                share("2", "Hai lần trở lên", "Twice or more", 40, 1100),
            ],
            other_offices: vec![
                share("none", "Không", "None", 1000, 1080),
                share("one", "Một cơ quan", "One office", 70, 1080),
                share("more", "Nhiều hơn một", "More than one", 10, 1080),
            ],
            yes_no: vec![
                share("money", "Bị đòi tiền ngoài quy định", "Asked for unofficial money", 3, 1200),
                share("extra_docs", "Bị yêu cầu giấy tờ ngoài quy định", "Asked for extra documents", 5, 8),
            ],
        };

        Report {
            scope: Scope {
                code: "TP".into(),
                name: "Xã Phước Lộc".into(),
                whole_organisation: false,
                unit_count: 2,
                desk_count: 3,
            },
            period: PeriodInfo {
                first: month,
                last: month,
                label_vi: "tháng 10/2026".into(),
                label_en: "October 2026".into(),
                ends_at: "2026-11-01T00:00:00+07:00".into(),
                generated_at: "2026-11-01T06:00:00+07:00".into(),
                min_count: 10,
                scale: "vn3".into(),
            },
            summary: Summary {
                figures: summary,
                previous_ratings: 1100,
                previous_satisfaction_rate: Some(0.792),
                change_points: Some(2.08),
            },
            units: vec![pl, tp],
            desks: vec![d1, d2, d3],
            officers: vec![o1, o2],
            behaviours,
            cases,
            trend,
            signals: vec![
                Signal {
                    kind: "outside_hours".into(),
                    desk_code: "PL-02".into(),
                    desk_name: "Quầy 2 (đất đai)".into(),
                    unit_code: "PL".into(),
                    count: 14,
                    detail_vi: "14 đánh giá gửi lúc quầy đóng cửa (sau 17:00 hoặc cuối tuần).".into(),
                    detail_en: "14 ratings sent while the desk was closed (after 17:00 or at the weekend).".into(),
                    meaning_vi: "Có thể người dân đánh giá sau khi về nhà; cũng có thể có người tự đánh giá thay."
                        .into(),
                    meaning_en: "Citizens may rate after getting home; or somebody may be rating on their behalf."
                        .into(),
                },
                Signal {
                    kind: "burst".into(),
                    desk_code: "PL-01".into(),
                    desk_name: "Quầy 1".into(),
                    unit_code: "PL".into(),
                    count: 9,
                    detail_vi: "9 đánh giá “Rất hài lòng” trong 4 phút, 10:02–10:06 ngày 14/10/2026.".into(),
                    detail_en: "9 “Very satisfied” ratings within 4 minutes, 10:02–10:06 on 14/10/2026.".into(),
                    meaning_vi: "Có thể một nhóm người dân cùng làm thủ tục; cũng có thể đánh giá không khách quan."
                        .into(),
                    meaning_en: "A group of citizens may have been served together; or the ratings may not be genuine."
                        .into(),
                },
            ],
            notes: Notes {
                indices_with_data: vec![1, 3, 4, 7, 8],
                min_count: 10,
                ledger_head: Some(LedgerHead {
                    seq: 4812,
                    hash: "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08".into(),
                    at: "2026-10-31T16:58:12+07:00".into(),
                }),
                files_entered: true,
                lines_vi: vec![
                    "Tỷ lệ theo Quyết định 766 trên số đánh giá: tính trên số lượt đánh giá, không phải số hồ sơ."
                        .into(),
                    "Chỉ số 7: hồ sơ trễ hẹn không có phản ánh được 1 điểm; việc trễ hẹn đã tính ở chỉ số 1.".into(),
                    "Chỉ số 2, 5, 6, 9 không có dữ liệu trong hailong.".into(),
                ],
                lines_en: vec![
                    "Decision 766 rate over ratings: counted over ratings, not files.".into(),
                    "Index 7: a late file without a report scores 1; its lateness is counted in index 1.".into(),
                    "Indices 2, 5, 6 and 9 have no data in hailong.".into(),
                ],
            },
        }
    }

    pub(crate) fn sample_yearly() -> Yearly {
        let mut report = sample();
        report.period.first = Month::new(2025, 11).unwrap();
        report.period.label_vi = "từ tháng 11/2025 đến tháng 10/2026".into();
        report.period.label_en = "November 2025 to October 2026".into();
        let p = |s: &str| s.to_string();
        Yearly {
            year: 2026,
            deadline: "2026-12-15".into(),
            report,
            draft: Draft {
                parent_body: p("UBND HUYỆN TUY PHƯỚC"),
                issuer: p("UBND XÃ PHƯỚC LỘC"),
                number: p("Số: …/BC-UBND"),
                place_date: p("Phước Lộc, ngày … tháng … năm 2026"),
                kind: p("BÁO CÁO"),
                title: p("Kết quả thực hiện Đề án Văn hóa công vụ năm 2026"),
                sections: vec![
                    DraftSection {
                        heading: p("I. KẾT QUẢ THỰC HIỆN"),
                        paragraphs: vec![
                            p(
                                "1. Trong kỳ báo cáo, Bộ phận Một cửa tiếp nhận 12.639 lượt đánh giá của người dân; tỷ lệ hài lòng đạt 81,3 %.",
                            ),
                            p(
                                "2. Tiếp nhận 7 phản ánh, kiến nghị về hành vi của cán bộ, công chức; đã giải quyết 4, trong đó 3 đúng hạn.",
                            ),
                        ],
                    },
                    DraftSection { heading: p("II. TỒN TẠI, HẠN CHẾ"), paragraphs: vec![p("…")] },
                    DraftSection {
                        heading: p("III. PHƯƠNG HƯỚNG, NHIỆM VỤ NĂM TIẾP THEO"), paragraphs: vec![p("…")]
                    },
                ],
                recipients: vec![p("- UBND huyện Tuy Phước;"), p("- Phòng Nội vụ huyện;"), p("- Lưu: VT.")],
                signer_on_behalf: p("TM. ỦY BAN NHÂN DÂN"),
                signer_title: p("CHỦ TỊCH"),
                signer_name: p("…"),
            },
        }
    }
}
