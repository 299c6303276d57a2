//! `hailong demo`'s year of synthetic history (`demo::history`): what it writes, that it is
//! consistent (audit chains, case rows, rollups), deterministic, and written once.

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, NaiveDateTime, TimeZone, Utc};
use diesel::prelude::*;
use hailong::demo::{self, history};
use hailong::domain::case::{EventKind, Status};
use hailong::domain::period::Month;
use hailong::i18n::Lang;
use hailong::service::Services;
use hailong::store::cases::{Case, Event};
use hailong::store::schema::{action_links, case_events, cases, desks, outbox, ratings};

use crate::support::{Backend, TestDb, services};

/// A Monday afternoon (15:00 in Việt Nam), the last day of November 2026.
fn at() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 30, 8, 0, 0).unwrap()
}

fn demo_at(backend: &Backend, now: DateTime<Utc>) -> (TestDb, Services, std::time::Duration) {
    let db = TestDb::new(backend);
    let s = services(&db);
    let t = std::time::Instant::now();
    demo::prepare(&s, Lang::En, now).unwrap();
    (db, s, t.elapsed())
}

fn month_of(t: NaiveDateTime) -> Month {
    Month::of(t.and_utc())
}

/// A rating as compared: desk, time, level, answers, officer, browser, outside hours.
type RatingPrint = (i64, NaiveDateTime, i32, String, Option<i64>, Option<String>, bool);

/// Everything a database holds of the history, to compare two runs.
#[derive(Debug, PartialEq)]
struct Fingerprint {
    ratings: Vec<RatingPrint>,
    cases: Vec<(i64, i64, Status, i32, String, Option<NaiveDateTime>)>,
}

fn fingerprint(s: &Services) -> Fingerprint {
    s.db.read(|c| {
        let ratings = ratings::table
            .order(ratings::id)
            .select((
                ratings::desk_id,
                ratings::created_at,
                ratings::overall,
                ratings::answers,
                ratings::officer_id,
                ratings::browser_hash,
                ratings::outside_hours,
            ))
            .load(c)?;
        let cases = cases::table
            .order(cases::id)
            .select((cases::id, cases::desk_id, cases::status, cases::event_count, cases::last_hash, cases::closed_at))
            .load(c)?;
        Ok(Fingerprint { ratings, cases })
    })
    .unwrap()
}

async fn history_is_consistent(backend: Backend) {
    let now = at();
    let (_db, s, took) = demo_at(&backend, now);
    eprintln!("demo with history ({backend:?}, debug build): {:.1} s", took.as_secs_f64());
    let (first, last) = history::months(now);
    assert_eq!((first.to_string(), last.to_string()), ("2025-11".to_string(), "2026-11".to_string()));

    // Marked as demo data, written once, nobody mailed.
    let setting = s.db.read(|c| hailong::store::settings::get(c, history::SETTING)).unwrap().expect("the setting");
    let setting: serde_json::Value = serde_json::from_str(&setting).unwrap();
    assert_eq!((setting["first"].as_str(), setting["last"].as_str()), (Some("2025-11"), Some("2026-11")));
    let (n_outbox, n_links): (i64, i64) =
        s.db.read(|c| Ok((outbox::table.count().get_result(c)?, action_links::table.count().get_result(c)?))).unwrap();
    assert_eq!((n_outbox, n_links), (0, 0), "no email and no link for last year's cases");

    let desk_codes: HashMap<i64, String> =
        s.db.read(|c| Ok(desks::table.select((desks::id, desks::code)).load::<(i64, String)>(c)?))
            .unwrap()
            .into_iter()
            .collect();
    let rows: Vec<(i64, NaiveDateTime, i32, String, Option<String>)> =
        s.db.read(|c| {
            Ok(ratings::table
                .order(ratings::id)
                .select((
                    ratings::desk_id,
                    ratings::created_at,
                    ratings::overall,
                    ratings::channel,
                    ratings::browser_hash,
                ))
                .load(c)?)
        })
        .unwrap();
    assert!(rows.len() > 15_000, "{} ratings", rows.len());
    assert!(rows.iter().all(|r| r.3 == "demo"));
    assert!(rows.iter().all(|r| r.1 < now.naive_utc()), "nothing after now");
    assert!(rows.windows(2).all(|w| w[0].1 <= w[1].1), "ratings were written in time order");

    // Every desk has ratings in each of the 12 whole months, but the sparse outpost, which stays
    // below the minimum count; the current month has ratings too.
    let mut per: BTreeMap<(String, Month), i64> = BTreeMap::new();
    for (desk, at, ..) in &rows {
        *per.entry((desk_codes[desk].clone(), month_of(*at))).or_default() += 1;
    }
    for m in first.through(last.prev()) {
        for code in desk_codes.values() {
            let n = per.get(&(code.clone(), m)).copied().unwrap_or(0);
            if code == "MC-TUYPHUOCDONG-PHUOCTHANG" {
                assert!(n < 10, "{code} {m}: {n}");
            } else {
                assert!(n > 0, "{code} has no rating in {m}");
            }
        }
    }
    assert!(per.iter().any(|((_, m), n)| *m == last && *n > 0), "the current month has data");

    // Some desks clearly better or worse.
    let rate = |code: &str| {
        let mine: Vec<_> = rows.iter().filter(|r| desk_codes[&r.0] == code).collect();
        mine.iter().filter(|r| r.2 >= 2).count() as f64 / mine.len() as f64
    };
    let (good, poor) = (rate("MC-GL-QN1"), rate("MC-TUYPHUOC-2"));
    assert!((0.92..0.98).contains(&good), "MC-GL-QN1 satisfied {good}");
    assert!((0.52..0.68).contains(&poor), "MC-TUYPHUOC-2 satisfied {poor}");

    // Stuffing-like bursts: a minute with ten or more ratings at one desk, from few browsers.
    let mut minutes: HashMap<(i64, NaiveDateTime), Vec<Option<String>>> = HashMap::new();
    for (desk, at, _, _, browser) in &rows {
        let minute = at.date().and_hms_opt(chrono::Timelike::hour(at), chrono::Timelike::minute(at), 0).unwrap();
        minutes.entry((*desk, minute)).or_default().push(browser.clone());
    }
    let busy: Vec<_> = minutes.iter().filter(|(_, v)| v.len() >= 10).collect();
    assert!(!busy.is_empty());
    assert!(busy.iter().all(|((d, _), _)| desk_codes[d] == "MC-TUYPHUOCTAY-PHUOCTHANH"), "only the burst desk");
    // …from few browsers: one of them gave several of that minute's ratings.
    assert!(busy.iter().all(|(_, v)| v.iter().any(|b| v.iter().filter(|x| *x == b).count() >= 3)));

    // The case log verifies end to end.
    let report = hailong::service::audit::verify(&s).unwrap();
    assert_eq!(report.broken, None);
    assert!(report.cases > 300 && report.ledger == report.cases, "{report:?}");

    // Each case row agrees with its events.
    let (all_cases, all_events): (Vec<Case>, Vec<Event>) =
        s.db.read(|c| {
            Ok((
                cases::table.order(cases::id).select(Case::as_select()).load(c)?,
                case_events::table
                    .order((case_events::case_id, case_events::seq))
                    .select(Event::as_select())
                    .load(c)?,
            ))
        })
        .unwrap();
    let mut by_case: HashMap<i64, Vec<&Event>> = HashMap::new();
    for e in &all_events {
        by_case.entry(e.case_id).or_default().push(e);
        let data: serde_json::Value = serde_json::from_str(&e.data).unwrap();
        assert_eq!(data["channel"], "demo", "{:?}", e);
        assert!(e.at <= now.naive_utc());
    }
    let unit_ids: HashMap<String, i64> =
        s.db.read(|c| {
            use hailong::store::schema::units;
            Ok(units::table.select((units::code, units::id)).load::<(String, i64)>(c)?)
        })
        .unwrap()
        .into_iter()
        .collect();
    assert!(all_cases.windows(2).all(|w| w[0].created_at <= w[1].created_at), "cases numbered in time order");
    for case in &all_cases {
        let events = &by_case[&case.id];
        assert_eq!(events[0].kind, EventKind::Received);
        assert_eq!(events[1].kind, EventKind::Routed);
        let mut status = Status::Received;
        let mut assigned = None;
        let mut outcome = None;
        let mut verdict = None;
        for e in events {
            let data: serde_json::Value = serde_json::from_str(&e.data).unwrap();
            match e.kind {
                EventKind::Acknowledged | EventKind::CitizenReplied => status = Status::Acknowledged,
                EventKind::InfoRequested => status = Status::WaitingCitizen,
                EventKind::Resolved => status = Status::Resolved,
                EventKind::Dismissed => {
                    status = Status::Dismissed;
                    outcome = data["outcome"].as_str().map(str::to_string);
                }
                EventKind::Reopened => status = Status::Reopened,
                EventKind::CitizenSatisfied => verdict = Some("satisfied"),
                EventKind::CitizenNotSatisfied => verdict = Some("not_satisfied"),
                _ => {}
            }
            if matches!(e.kind, EventKind::Routed | EventKind::Escalated | EventKind::Reopened) {
                assigned = Some(data);
            }
        }
        let number = case.number();
        assert_eq!(case.status, status, "{number}");
        assert_eq!(case.event_count as usize, events.len(), "{number}");
        assert_eq!(case.updated_at, events.last().unwrap().at, "{number}");
        assert_eq!(case.closed_at.is_some(), status.is_closed(), "{number}");
        if status == Status::Dismissed {
            assert_eq!(case.outcome.map(|o| o.as_str().to_string()), outcome, "{number}");
        }
        assert_eq!(case.citizen_verdict.map(|v| v.as_str()), verdict, "{number}");
        let a = assigned.unwrap();
        assert_eq!(case.level as i64, a["level"].as_i64().unwrap(), "{number}");
        assert_eq!(case.handler_unit_id, Some(unit_ids[a["unit"].as_str().unwrap()]), "{number}");
        if case.paused_seconds == 0 {
            let due = |k: &str| DateTime::parse_from_rfc3339(a[k].as_str().unwrap()).unwrap().naive_utc();
            assert_eq!(
                (case.ack_due_at, case.resolve_due_at),
                (Some(due("ack_due")), Some(due("resolve_due"))),
                "{number}"
            );
        }
        if status.is_closed() || status == Status::WaitingCitizen {
            assert_eq!(case.next_timer_at, None, "{number}");
        }
        // An open case's timer is ahead of now, or it has stopped at the top.
        if let Some(t) = case.next_timer_at {
            assert!(t > now.naive_utc() - chrono::Duration::minutes(1), "{number}: a timer left behind at {t}");
        }
    }

    // The story has every turn the reports show.
    let kinds = |k: EventKind| all_events.iter().filter(|e| e.kind == k).count();
    for k in [
        EventKind::Reminder,
        EventKind::DeadlineMissed,
        EventKind::Escalated,
        EventKind::OverdueAtTop,
        EventKind::Acknowledged,
        EventKind::InfoRequested,
        EventKind::CitizenReplied,
        EventKind::ExplanationRequested,
        EventKind::ExplanationReceived,
        EventKind::Resolved,
        EventKind::Dismissed,
        EventKind::CitizenSatisfied,
        EventKind::CitizenNotSatisfied,
        EventKind::Reopened,
    ] {
        assert!(kinds(k) > 0, "no {k:?} event");
    }
    let untrue =
        all_events.iter().filter(|e| e.kind == EventKind::Dismissed && e.data.contains("found_untrue")).count();
    assert!(untrue > 0);
    let categories: std::collections::HashSet<_> = all_cases.iter().map(|c| c.category).collect();
    assert!(categories.len() >= 5, "{categories:?}");

    // Open and overdue at the end of last month: overdue at the top before it ended, and not
    // closed by then.
    let end = last.utc_bounds().0.naive_utc();
    let overdue = by_case
        .values()
        .filter(|events| {
            let before: Vec<_> = events.iter().filter(|e| e.at < end).collect();
            before.iter().any(|e| e.kind == EventKind::OverdueAtTop)
                && !before
                    .iter()
                    .rev()
                    .take_while(|e| e.kind != EventKind::Reopened)
                    .any(|e| matches!(e.kind, EventKind::Resolved | EventKind::Dismissed))
        })
        .count();
    assert!(overdue >= 1, "no case open and overdue at the end of {}", last.prev());

    // The rollups match the raw rows: rebuilding changes nothing.
    for m in first.through(last) {
        let r = hailong::service::reports::rollup::rebuild(&s, m).unwrap();
        assert_eq!(r.rows_differing, 0, "{m}: {r:?}");
        assert!(r.ratings > 0);
    }

    // Running the demo again adds nothing.
    let before = fingerprint(&s);
    demo::prepare(&s, Lang::En, now + chrono::Duration::days(1)).unwrap();
    assert!(history::generate(&s, now).unwrap().is_none());
    assert_eq!(fingerprint(&s), before);
}

both_backends!(history_is_consistent);

/// Two runs at the same instant write the same rows and the same event chains (receipt codes, the
/// citizens' keys, stay random and enter only the ledger).
#[test]
fn history_is_deterministic() {
    let now = at() - chrono::Duration::days(40);
    let (_a, s1, _) = demo_at(&Backend::Sqlite, now);
    let (_b, s2, _) = demo_at(&Backend::Sqlite, now);
    let (f1, f2) = (fingerprint(&s1), fingerprint(&s2));
    assert!(!f1.cases.is_empty());
    assert_eq!(f1, f2);
}
