//! Reports on a real SQLite file: every figure of a small month against values computed by hand;
//! the rollups against the raw ratings after ratings, replacements, dismissals and reopenings.

use chrono::{DateTime, Duration, TimeZone, Utc};

use super::model::Report;
use super::monthly::{Request, Source, build};
use super::rollup;
use crate::domain::feedback::{RawFeedback, RawReport};
use crate::domain::period::{Month, Period};
use crate::service::Services;
use crate::service::cases::{self, ActInput};
use crate::service::feedback::{self, FormResult, Outcome};
use crate::service::tests::{block_on, handler_token, input, rating, services, view};
use crate::store;

/// 09:00 on a weekday of October 2026, local time, plus `minutes`.
fn oct(day: u32, minutes: i64) -> DateTime<Utc> {
    crate::domain::LOCAL_TZ.with_ymd_and_hms(2026, 10, day, 9, 0, 0).unwrap().with_timezone(&Utc)
        + Duration::minutes(minutes)
}

fn answered(overall: &str, on_time: Option<&str>, returns: Option<&str>) -> RawFeedback {
    let mut r = rating(overall);
    r.officer = "X-PHUOCHUNG-03".into();
    if let Some(v) = on_time {
        r.answers.insert("on_time".into(), vec![v.into()]);
    }
    if let Some(v) = returns {
        r.answers.insert("returns".into(), vec![v.into()]);
    }
    r.answers.insert("behaviour".into(), vec!["greet".into(), "thank".into()]);
    r
}

fn submit(s: &Services, desk: &str, raw: RawFeedback, at: DateTime<Utc>) -> Outcome {
    let v = view(s, desk, at);
    match block_on(feedback::submit_form(s, &v, input(s, &v, raw, at))).unwrap() {
        FormResult::Stored(o) => o,
        _ => panic!("not stored"),
    }
}

fn receipt(o: &Outcome) -> String {
    match o {
        Outcome::Reported { receipt, .. } => receipt.clone(),
        _ => panic!("no case"),
    }
}

fn report(s: &Services, unit: Option<&str>, source: Source, reader: Option<i64>) -> Report {
    let m = Month::parse("2026-10").unwrap();
    let req = Request {
        unit: unit.map(String::from),
        period: Period::month(m),
        reader_officer_id: reader,
        source,
        now: oct(30, 0) + Duration::days(5),
    };
    build(s, &req).unwrap()
}

/// The month: at Phước Hưng's desk 12 ratings of officer X-PHUOCHUNG-03 —
/// six "Rất hài lòng" (one of them reporting harassment), four "Hài lòng", two "Chưa hài lòng"
/// (one with a comment, which opens a case); on-time answers 4 early, 4 on time, 2 late, 2 none;
/// come-backs six 0, three 1, one 2+, two none — and 3 ratings at the district's desk (below the
/// minimum of 10).
fn october(s: &Services) -> (String, String) {
    let levels = ["3", "3", "3", "3", "3", "3", "2", "2", "2", "2", "1", "1"];
    let on_time = [Some("early"), Some("early"), Some("early"), Some("early"), Some("on_time"), Some("on_time")];
    let on_time2 = [Some("on_time"), Some("on_time"), Some("late"), Some("late"), None, None];
    let returns = [Some("0"), Some("0"), Some("0"), Some("0"), Some("0"), Some("0"), Some("1"), Some("1")];
    let returns2 = [Some("1"), Some("2+"), None, None];
    let on: Vec<Option<&str>> = on_time.iter().chain(&on_time2).copied().collect();
    let ret: Vec<Option<&str>> = returns.iter().chain(&returns2).copied().collect();
    let mut harassment = String::new();
    let mut dissatisfied = String::new();
    for (k, level) in levels.iter().enumerate() {
        let mut raw = answered(level, on[k], ret[k]);
        if k == 0 {
            raw.report = Some(RawReport {
                category: "harassment".into(),
                description: "Cán bộ nói năng thiếu tôn trọng và bắt chờ đợi không lý do.".into(),
                officer: "X-PHUOCHUNG-03".into(),
                ..Default::default()
            });
        }
        if k == 10 {
            raw.comment = "Phải chờ quá lâu mà không được hướng dẫn.".into();
        }
        let o = submit(s, "MC-PHUOCHUNG", raw, oct(5, 10 * k as i64));
        if k == 0 {
            harassment = receipt(&o);
        }
        if k == 10 {
            dissatisfied = receipt(&o);
        }
    }
    for k in 0..3 {
        submit(s, "MC-TP", rating("3"), oct(6, 10 * k));
    }
    (harassment, dissatisfied)
}

fn close(s: &Services, receipt: &str, act: crate::domain::case::Act, outcome: &str, at: DateTime<Utc>) {
    let token = handler_token(s, receipt);
    let case = s.db.read(|c| store::cases::by_receipt(c, receipt)).unwrap().unwrap();
    let csrf = crate::service::links::csrf(&s.secret, link_id(s, &token), case.event_count);
    let input = ActInput {
        text: "Đã làm việc với cán bộ và trả lời người dân.".into(),
        outcome: outcome.into(),
        ..Default::default()
    };
    cases::act(s, &token, &csrf, act, input, at).unwrap();
}

fn link_id(s: &Services, token: &str) -> i64 {
    s.db.read(|c| store::links::by_hash(c, &crate::service::links::hash(token))).unwrap().unwrap().id
}

fn near(a: Option<f64>, b: f64) -> bool {
    a.is_some_and(|a| (a - b).abs() < 5e-5)
}

#[test]
fn a_small_month_computed_by_hand() {
    let (_dir, s) = services();
    let (harassment, _dissatisfied) = october(&s);
    // The harassment report is answered on time (the dissatisfied one stays open past its
    // deadline: it drags on at the month's end).
    close(&s, &harassment, crate::domain::case::Act::Resolve, "", oct(6, 0));
    let r = report(&s, Some("X-PHUOCHUNG"), Source::Rollups, None);

    let f = &r.summary.figures;
    assert_eq!((f.ratings, f.satisfied, f.dissatisfied, f.with_case), (12, 10, 2, 2));
    assert_eq!(f.levels.get("3"), Some(&6));
    assert_eq!(f.levels.get("2"), Some(&4));
    assert_eq!(f.levels.get("1"), Some(&2));
    assert!(!f.suppressed);
    assert!(near(f.satisfaction_rate, 10.0 / 12.0));
    // Wilson, z = 1.96, 10 of 12: (p + z²/2n − z√(p(1−p)/n + z²/4n²)) / (1 + z²/n) = 0.55197.
    assert!(near(f.wilson_lower.map(|x| (x * 1e4).round() / 1e4), 0.5520));
    // 766 over ratings: 2 dissatisfied + 2 with a case − 1 both = 3 bad → 9 / 12.
    assert!(near(f.rate_766_ratings, 0.75));
    assert_eq!((f.files, f.rate_766_files), (None, None));
    // Index 1: 4×2 + 4×1 + 2×0 = 12 points over 10 files → 1.2.
    let i1 = f.indices.idx1.as_ref().unwrap();
    assert_eq!((i1.points, i1.files, i1.score), (12, 10, Some(1.2)));
    // Index 3: 6×2 + 3×1 + 1×0 = 15 over 10 → 1.5.
    let i3 = f.indices.idx3.as_ref().unwrap();
    assert_eq!((i3.points, i3.files, i3.score), (15, 10, Some(1.5)));
    assert!(f.indices.idx4.is_none(), "nobody answered index 4");
    // Index 7: the harassment report's file 0, three more early 2, six on time or late 1 → 12/10.
    let i7 = f.indices.idx7.as_ref().unwrap();
    assert_eq!((i7.points, i7.files, i7.score), (12, 10, Some(1.2)));
    // Index 8: one case handled on time, one dragging on → 0 points.
    let i8 = f.indices.idx8.as_ref().unwrap();
    assert_eq!((i8.points, i8.files, i8.score), (1, 1, Some(0.0)));
    // Unit total 1.2 + 1.5 + 1.2 + 0 = 3.9, 4 of 9 indices, no band.
    let total = f.unit_total.as_ref().unwrap();
    assert_eq!((total.total, total.with_data, total.of, total.band.as_deref()), (3.9, 4, 9, None));

    // The officer: the same 12 ratings; score 1.2 + 1.5 + 1.2 = 3.9 from 3 of 4 indices, no band.
    assert_eq!(r.officers.len(), 1);
    let o = &r.officers[0];
    assert_eq!((o.code.as_str(), o.ratings, o.rank), ("X-PHUOCHUNG-03", 12, Some(1)));
    let score = o.officer_score.as_ref().unwrap();
    assert_eq!((score.total, score.with_data, score.of, score.band.as_deref()), (3.9, 3, 4, None));

    // Behaviours: "greet" and "thank" on every rating.
    let ticks: Vec<(&str, u64)> = r.behaviours.ticks.iter().map(|t| (t.code.as_str(), t.count)).collect();
    assert_eq!(&ticks[..3], &[("greet", 12), ("apologise", 0), ("thank", 12)]);
    assert!(near(r.behaviours.ticks[0].share, 1.0));
    let on_time: Vec<u64> = r.behaviours.on_time.iter().map(|x| x.count).collect();
    assert_eq!(on_time, [4, 4, 2], "early, on time, late");
    assert_eq!(r.behaviours.come_back.iter().map(|x| x.count).collect::<Vec<_>>(), [6, 3, 1]);

    // Cases at the month's end.
    let c = &r.cases;
    assert_eq!((c.opened, c.closed, c.closed_on_time, c.dragging), (2, 1, 1, 1));
    assert_eq!(c.by_status.get("resolved"), Some(&1));
    assert_eq!(c.overdue.len(), 1);
    assert_eq!(c.overdue[0].category, "dissatisfied");
    assert!(c.overdue[0].number.starts_with("2026-"), "a case number, not a receipt");
    assert!(c.overdue[0].days_overdue > 0);
    // The accused reading their own report: the case about them is withheld.
    let officer = s.db.read(|c| store::org::officer_by_code(c, "X-PHUOCHUNG-03")).unwrap().unwrap();
    let theirs = report(&s, Some("X-PHUOCHUNG"), Source::Rollups, Some(officer.id));
    assert_eq!((theirs.cases.overdue.len(), theirs.cases.withheld_from_reader), (0, 1));

    // Trend: October holds the 12 ratings; earlier months are empty.
    assert_eq!(r.trend.months.len(), 12);
    assert_eq!(r.trend.scope.ratings.last(), Some(&12));
    assert_eq!(r.trend.scope.satisfaction_rate[0], None);

    // The whole organisation: the district's desk has 3 ratings — counted, not rated or ranked.
    let all = report(&s, None, Source::Rollups, None);
    assert_eq!(all.summary.figures.ratings, 15);
    let tp = all.desks.iter().find(|d| d.code == "MC-TP").unwrap();
    assert!(tp.suppressed);
    assert_eq!((tp.ratings, tp.satisfaction_rate, tp.wilson_lower, tp.rank), (3, None, None, None));
    let ph = all.desks.iter().find(|d| d.code == "MC-PHUOCHUNG").unwrap();
    assert_eq!(ph.rank, Some(1));
    assert!(all.desks.iter().position(|d| d.code == "MC-PHUOCHUNG") < all.desks.iter().position(|d| d.code == "MC-TP"));

    // The raw ratings give the same report.
    assert_eq!(report(&s, None, Source::Raw, None), all);
    assert_eq!(report(&s, Some("X-PHUOCHUNG"), Source::Raw, None), r);

    // With one pooled connection the two halves are read one after the other: the same report.
    let mut config = (*s.config).clone();
    config.database.pool_size = 1;
    let one = Services::open(config).unwrap();
    assert_eq!(report(&one, None, Source::Rollups, None), all);
    assert_eq!(report(&one, Some("X-PHUOCHUNG"), Source::Rollups, None), r);
}

#[test]
fn a_report_found_untrue_no_longer_lowers_index_7_and_reopening_restores_it() {
    let (_dir, s) = services();
    let (harassment, _) = october(&s);
    let idx7 = |s: &Services| {
        let r = report(s, Some("X-PHUOCHUNG"), Source::Rollups, None);
        assert_eq!(r, report(s, Some("X-PHUOCHUNG"), Source::Raw, None), "rollups and raw agree");
        r.summary.figures.indices.idx7.clone().unwrap()
    };
    assert_eq!(idx7(&s).points, 12);
    close(&s, &harassment, crate::domain::case::Act::Dismiss, "found_untrue", oct(6, 0));
    // The file now scores 2 (its result came early): 14 / 10 → 1.4.
    let after = idx7(&s);
    assert_eq!((after.points, after.score), (14, Some(1.4)));
    // The citizen is not satisfied with the dismissal: reopened, the report counts again.
    let t = cases::track(&s, &harassment).unwrap().unwrap();
    let verdict = cases::CitizenAction::Rate(crate::domain::case::Verdict::NotSatisfied, None);
    cases::citizen_act(&s, &harassment, &t.forms.token, verdict, oct(7, 0)).unwrap();
    assert_eq!(idx7(&s).points, 12);
    // Nothing for a rebuild to fix.
    let rebuilt = rollup::rebuild(&s, Month::parse("2026-10").unwrap()).unwrap();
    assert_eq!((rebuilt.ratings, rebuilt.rows_differing), (15, 0));
}

mod property {
    use proptest::prelude::*;

    use super::*;
    use crate::domain::case::{Act, Status, Verdict};

    #[derive(Debug, Clone)]
    enum Op {
        /// A rating at one of two desks, maybe from a browser seen before (a replacement within
        /// the window), maybe reporting harassment.
        Rate { desk: bool, level: u8, browser: Option<u8>, on_time: u8, report: bool },
        /// The handler closes the n-th open case: dismissed as untrue, or resolved.
        Close { nth: usize, untrue: bool },
        /// The citizen is not satisfied with the n-th closed case's answer: it reopens.
        Reopen { nth: usize },
    }

    fn op() -> impl Strategy<Value = Op> {
        prop_oneof![
            6 => (any::<bool>(), 1u8..=3, prop::option::of(0u8..3), 0u8..4, prop::bool::weighted(0.25))
                .prop_map(|(desk, level, browser, on_time, report)| Op::Rate { desk, level, browser, on_time, report }),
            2 => (0usize..4, any::<bool>()).prop_map(|(nth, untrue)| Op::Close { nth, untrue }),
            1 => (0usize..4).prop_map(|nth| Op::Reopen { nth }),
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 12, ..ProptestConfig::default() })]

        /// Whatever mix of ratings, replacements, dismissals as untrue and reopenings happens
        /// (across a local midnight and a month's end), the rollups equal the raw ratings.
        #[test]
        fn rollups_equal_a_raw_recomputation(ops in prop::collection::vec(op(), 5..30)) {
            let (_dir, s) = services();
            // 23:50 local on 31 October: the ratings straddle a day and a month.
            let start = crate::domain::LOCAL_TZ.with_ymd_and_hms(2026, 10, 31, 23, 50, 0).unwrap().with_timezone(&Utc);
            let mut receipts: Vec<String> = Vec::new();
            for (k, op) in ops.iter().enumerate() {
                let at = start + Duration::minutes(k as i64);
                match op {
                    Op::Rate { desk, level, browser, on_time, report } => {
                        let code = if *desk { "MC-PHUOCHUNG" } else { "MC-TP" };
                        let mut raw = rating(&level.to_string());
                        let answer = ["early", "on_time", "late", "not_received"][*on_time as usize];
                        raw.answers.insert("on_time".into(), vec![answer.into()]);
                        if *report {
                            raw.report = Some(RawReport {
                                category: "harassment".into(),
                                description: "Cán bộ gây khó dễ, đòi nộp thêm giấy tờ không cần thiết.".into(),
                                ..Default::default()
                            });
                        }
                        let v = view(&s, code, at);
                        let mut form = input(&s, &v, raw, at);
                        form.browser_cookie = browser.map(|b| format!("browser-{b}"));
                        if let FormResult::Stored(Outcome::Reported { receipt, .. }) =
                            block_on(feedback::submit_form(&s, &v, form)).unwrap()
                        {
                            receipts.push(receipt);
                        }
                    }
                    Op::Close { nth, untrue } => {
                        let open: Vec<&String> = receipts.iter().filter(|r| !status(&s, r).is_closed()).collect();
                        if let Some(r) = open.get(nth % open.len().max(1)) {
                            let (act, outcome) = if *untrue { (Act::Dismiss, "found_untrue") } else { (Act::Resolve, "") };
                            close(&s, r, act, outcome, at);
                        }
                    }
                    Op::Reopen { nth } => {
                        let closed: Vec<&String> = receipts.iter().filter(|r| status(&s, r).is_closed()).collect();
                        if let Some(r) = closed.get(nth % closed.len().max(1)) {
                            let t = cases::track(&s, r).unwrap().unwrap();
                            let verdict = cases::CitizenAction::Rate(Verdict::NotSatisfied, None);
                            // At the top level there is nobody to reopen it to: refused, nothing changes.
                            let _ = cases::citizen_act(&s, r, &t.forms.token, verdict, at);
                        }
                    }
                }
            }
            for m in ["2026-10", "2026-11"] {
                let month = Month::parse(m).unwrap();
                let req = |source| Request {
                    unit: None,
                    period: Period::month(month),
                    reader_officer_id: None,
                    source,
                    now: start + Duration::days(40),
                };
                prop_assert_eq!(build(&s, &req(Source::Rollups)).unwrap(), build(&s, &req(Source::Raw)).unwrap());
                prop_assert_eq!(rollup::rebuild(&s, month).unwrap().rows_differing, 0);
            }
        }
    }

    fn status(s: &Services, receipt: &str) -> Status {
        s.db.read(|c| store::cases::by_receipt(c, receipt)).unwrap().unwrap().status
    }
}
