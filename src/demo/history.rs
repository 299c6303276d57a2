//! A year of synthetic history for the demo organisation, so its reports have something to show
//! on the first run: the 12 whole months before the current one, and the current month up to
//! `now`.
//!
//! What it writes, and why it looks the way it does:
//!
//! - **Ratings** at every desk, on the days and hours the desk is open (a few outside them), with
//!   answers drawn for the configured survey and run through its own evaluation (points, flags),
//!   so they are the rows a citizen's form would have produced. Volume and satisfaction come from
//!   a profile per desk ([`PROFILES`]): the province centre's first desk is busy and good, the
//!   second desk of xã Tuy Phước clearly worse, one outpost so quiet its figures are suppressed;
//!   months wobble (Tết, the end-of-year rush) so the trend charts have a shape.
//! - **Stuffing-like bursts** at one outpost: twenty top ratings within a minute from two or three
//!   browsers, a few times a month and some just after a complaint against it — what the report's
//!   signals look for.
//! - **Cases** opened by ratings exactly as the form would open them (`case_category`), routed by
//!   the real routing rules with the real SLA clocks, then lived through in time: handlers
//!   acknowledge (or miss the deadline and the case escalates), ask the citizen for information,
//!   ask the officer concerned to explain, resolve or dismiss (some `found_untrue`); citizens rate
//!   the answer and reopen some; a few cases are neglected and sit overdue at the top. Every
//!   change goes through the store's own functions (`append_events`, `append_ledger`, `assign`,
//!   `close`, …) in time order, so the case rows match their last event and `hailong audit
//!   verify` passes.
//! - **Rollups** rebuilt from the raw rows for each month (`reports::rollup::rebuild`).
//!
//! It is marked as demo data: ratings have the channel `demo`, every case event's data says
//! `"channel": "demo"`, and the setting [`SETTING`] records what was generated. No email is queued
//! (nobody is told about last year), so there are no outbox rows and no action links.
//!
//! Deterministic: one seeded RNG and `now` passed in, so two runs at the same instant write the
//! same rows — except receipt codes, which are the citizens' keys and stay random as always (they
//! enter only the ledger's hashes, not the cases' event chains).

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::Arc;

use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Utc, Weekday};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use serde_json::{Value, json};

use crate::domain::LOCAL_TZ;
use crate::domain::audit::text_digest;
use crate::domain::calendar::{Calendar, WorkDuration};
use crate::domain::case::{Category, Dismissal, EventKind, Status, TextKind, Verdict};
use crate::domain::codes;
use crate::domain::feedback::{Feedback, Report, case_category};
use crate::domain::measures::attitude_points;
use crate::domain::period::Month;
use crate::domain::routing::{self, Decision};
use crate::domain::sla::{self, Due, Policy};
use crate::domain::survey::{Kind, Survey};
use crate::error::Result;
use crate::service::Services;
use crate::service::desk::{self, DeskData, Lookup};
use crate::service::feedback::Channel;
use crate::service::reports::rollup;
use crate::store::cases::{self, Assign, NewCase};
use crate::store::feedback::RatingRow;
use crate::store::org::{Officer, Unit};
use crate::store::{self, DbConn};

/// The settings key that records the generated history (and keeps a second run from adding more).
pub const SETTING: &str = "demo_history";

/// The RNG's seed: any fixed number; changing it changes every generated row.
const SEED: u64 = 0x4841_494C_4F4E_4701;

/// How a desk behaves over the year.
struct Profile {
    desk: &'static str,
    /// Ratings on a full (8-hour) open day, before seasonal and weekday factors.
    per_day: f64,
    /// Share of satisfied ratings at mid-year.
    satisfied: f64,
    /// Change of that share from the first month to the last (a desk improving or sliding).
    trend: f64,
    /// How quickly the handlers of its cases act.
    handling: Handling,
    /// Multiplies the chance of unofficial-money and extra-document answers.
    integrity_risk: f64,
    /// Stuffing-like bursts of top ratings.
    bursts: bool,
    /// Most ratings in a month (0 = no limit): keeps a quiet desk below the minimum count.
    monthly_cap: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Handling {
    Fast,
    Normal,
    Slow,
}

/// The demo organisation's desks (`examples/gialai.toml`). A desk missing here gets [`DEFAULT`].
const PROFILES: &[Profile] = &[
    // The province centre's main desk: busy and good.
    p("MC-GL-QN1", 24.0, 0.95, 0.0, Handling::Fast, 0.5, false),
    p("MC-GL-QN2", 9.0, 0.90, 0.0, Handling::Fast, 0.6, false),
    p("MC-GL-PK", 11.0, 0.87, 0.02, Handling::Normal, 0.8, false),
    p("MC-TUYPHUOC-1", 10.0, 0.86, 0.0, Handling::Slow, 1.0, false),
    // Land and construction at xã Tuy Phước: clearly worse, slow to answer.
    p("MC-TUYPHUOC-2", 8.0, 0.60, 0.0, Handling::Slow, 2.0, false),
    p("MC-TUYPHUOCDONG-1", 7.0, 0.84, 0.0, Handling::Normal, 1.0, false),
    // Open two mornings a week: fewer than 10 ratings a month, so its figures are suppressed.
    Profile { monthly_cap: 9, ..p("MC-TUYPHUOCDONG-PHUOCTHANG", 1.0, 0.80, 0.0, Handling::Normal, 1.0, false) },
    p("MC-TUYPHUOCTAY-1", 7.0, 0.82, 0.0, Handling::Normal, 1.0, false),
    // An outpost with stuffing-like bursts on top of middling ratings.
    p("MC-TUYPHUOCTAY-PHUOCTHANH", 8.0, 0.72, 0.0, Handling::Normal, 1.2, true),
    p("MC-TUYPHUOCBAC-1", 8.0, 0.87, 0.0, Handling::Normal, 0.8, false),
    // Improving over the year: the trend chart's rising line.
    p("MC-TUYPHUOCBAC-2", 6.0, 0.78, 0.22, Handling::Normal, 1.2, false),
];

const DEFAULT: Profile = p("", 6.0, 0.82, 0.0, Handling::Normal, 1.0, false);

const fn p(
    desk: &'static str,
    per_day: f64,
    satisfied: f64,
    trend: f64,
    handling: Handling,
    integrity_risk: f64,
    bursts: bool,
) -> Profile {
    Profile { desk, per_day, satisfied, trend, handling, integrity_risk, bursts, monthly_cap: 0 }
}

fn profile(code: &str) -> &'static Profile {
    PROFILES.iter().find(|p| p.desk == code).unwrap_or(&DEFAULT)
}

/// Volume by calendar month: the pre-Tết rush in January, Tết in February, the end-of-year rush.
const MONTH_VOLUME: [f64; 12] = [1.10, 0.75, 1.05, 0.95, 1.0, 1.0, 1.05, 1.0, 0.95, 1.0, 1.05, 1.15];
/// Satisfaction wobble by calendar month (added to the desk's share): crowded months are worse.
const MONTH_MOOD: [f64; 12] = [-0.03, 0.01, 0.0, 0.02, 0.02, 0.0, -0.02, -0.03, 0.0, 0.02, 0.01, -0.02];

/// What was generated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Summary {
    /// The first month (whole) and the current one (up to `until`).
    pub first: Month,
    pub last: Month,
    pub until: DateTime<Utc>,
    pub ratings: usize,
    pub cases: usize,
    pub events: usize,
}

/// The months a history generated at `now` covers: 12 whole months before the current one, and
/// the current one.
pub fn months(now: DateTime<Utc>) -> (Month, Month) {
    let last = Month::of(now);
    (last.minus(12), last)
}

/// Writes the history at `now`, unless the database already holds ratings or a history (then
/// `None`: a second run adds nothing).
pub fn generate(s: &Services, now: DateTime<Utc>) -> Result<Option<Summary>> {
    generate_scaled(s, now, 1.0)
}

/// [`generate`] with every desk's volume multiplied by `volume` (the reports benchmark builds a
/// million ratings over a generated organisation with it).
pub fn generate_scaled(s: &Services, now: DateTime<Utc>, volume: f64) -> Result<Option<Summary>> {
    let now = whole_seconds(now);
    let (has_ratings, has_history) = s.db.read(|c| {
        let (first, _) = store::feedback::first_and_last(c)?;
        Ok((first.is_some(), store::settings::get(c, SETTING)?.is_some()))
    })?;
    if has_ratings || has_history {
        return Ok(None);
    }
    let (first, last) = months(now);
    let start = local_midnight(first.first_day());
    let mut rng = StdRng::seed_from_u64(SEED);
    let org = Org::load(s)?;

    // Ratings in time order, and the cases they open lived through in memory.
    let started = std::time::Instant::now();
    let drafts = ratings(s, &org, &mut rng, start, now, volume);
    let mut timeline = Timeline::default();
    for (i, d) in drafts.iter().enumerate() {
        if let Some(seed) = &d.case {
            simulate(s, &org, &mut rng, &mut timeline, d, i, seed, now, last)?;
        }
    }
    // Receipts are the citizens' keys: random as always, never from the seeded RNG.
    let mut taken = HashSet::new();
    for rec in &mut timeline.cases {
        rec.receipt = loop {
            let r = codes::new_receipt(&mut rand::rng());
            if taken.insert(r.clone()) {
                break r;
            }
        };
    }
    let case_count = timeline.cases.len();
    let rating_count = drafts.len();
    let setting = json!({
        "first": first.to_string(),
        "last": last.to_string(),
        "until": now.to_rfc3339(),
        "ratings": rating_count,
        "cases": case_count,
        "seed": SEED,
    })
    .to_string();
    // One transaction: the ratings (their ids are the cases' rating ids), then every case change
    // in time order, and the setting that says it was done.
    let rows: Vec<(RatingRow, NaiveDateTime)> = drafts.into_iter().map(|d| (d.row, d.at.naive_utc())).collect();
    let events = s.db.write(move |c| {
        let first_id = store::feedback::next_id(c)?;
        store::feedback::insert_many(c, first_id, &rows)?;
        let ids: Vec<i64> = (first_id..first_id + rows.len() as i64).collect();
        let events = timeline.apply(c, &ids)?;
        store::settings::put(c, SETTING, &setting, now.naive_utc())?;
        Ok(events)
    })?;

    // The report rollups, through their own rebuild from the raw rows.
    for m in first.through(last) {
        rollup::rebuild(s, m)?;
    }
    let ms = started.elapsed().as_millis() as u64;
    tracing::info!(%first, %last, ratings = rating_count, cases = case_count, events, ms, "demo history written");
    Ok(Some(Summary { first, last, until: now, ratings: rating_count, cases: case_count, events }))
}

// ───────────────────────────── The organisation ─────────────────────────────

/// A routing view's key: the desk's unit and the officer reported.
type ViewKey = (i64, Option<i64>);

/// What generation reads of the organisation, once.
struct Org {
    desks: Vec<Arc<DeskData>>,
    units: HashMap<i64, Unit>,
    officers: HashMap<i64, Officer>,
    /// Routing views by (desk unit, accused officer).
    views: std::cell::RefCell<HashMap<ViewKey, Arc<routing::OrgView>>>,
}

impl Org {
    fn load(s: &Services) -> Result<Org> {
        let calendars = s.calendars();
        s.db.read(|c| {
            let mut desks = Vec::new();
            for d in store::org::all_desks(c)?.into_iter().filter(|d| d.active) {
                if let Lookup::Active(data) = desk::lookup(c, &d.token, &calendars)? {
                    desks.push(data);
                }
            }
            desks.sort_by(|a, b| a.desk.code.cmp(&b.desk.code));
            let units = store::org::all_units(c)?.into_iter().map(|u| (u.id, u)).collect();
            let officers = store::org::all_officers(c)?.into_iter().map(|o| (o.id, o)).collect();
            Ok(Org { desks, units, officers, views: Default::default() })
        })
    }

    fn view(&self, s: &Services, unit: i64, accused: Option<i64>, today: NaiveDate) -> Result<Arc<routing::OrgView>> {
        if let Some(v) = self.views.borrow().get(&(unit, accused)) {
            return Ok(v.clone());
        }
        let v = Arc::new(s.db.read(|c| store::org::routing_view(c, &[unit], accused, today))?);
        self.views.borrow_mut().insert((unit, accused), v.clone());
        Ok(v)
    }

    fn unit_code(&self, id: i64) -> String {
        self.units.get(&id).map(|u| u.code.clone()).unwrap_or_default()
    }

    fn officer_code(&self, id: Option<i64>) -> Option<String> {
        id.and_then(|id| self.officers.get(&id)).map(|o| o.code.clone())
    }

    fn calendar(&self, s: &Services, unit: i64) -> Arc<Calendar> {
        s.calendars().for_unit(self.units.get(&unit).and_then(|u| u.calendar.as_deref()))
    }
}

// ───────────────────────────── Ratings ─────────────────────────────

/// A rating before it is written, and the case it opens.
struct Draft {
    at: DateTime<Utc>,
    row: RatingRow,
    case: Option<CaseSeed>,
    desk_code: String,
}

/// What a rating's case starts from.
#[derive(Clone)]
struct CaseSeed {
    category: Category,
    description: Option<String>,
    occurred_at: DateTime<Utc>,
    officer_id: Option<i64>,
    desk_id: i64,
    unit_id: i64,
    /// Whether the citizen's handling of the case is forced to be neglected (see `simulate`).
    handling: Handling,
}

fn ratings(
    s: &Services,
    org: &Org,
    rng: &mut StdRng,
    start: DateTime<Utc>,
    now: DateTime<Utc>,
    volume: f64,
) -> Vec<Draft> {
    let first_day = start.with_timezone(&LOCAL_TZ).date_naive();
    let today = now.with_timezone(&LOCAL_TZ).date_naive();
    let span_days = (today - first_day).num_days().max(1) as f64;
    let mut out = Vec::new();
    for data in &org.desks {
        let prof = profile(&data.desk.code);
        let Some(hours) = data.hours.clone() else { continue };
        let mut browsers: Vec<String> = Vec::new();
        // One wobble per desk and month, on top of the calendar month's.
        let mut noise: HashMap<(i32, u32), f64> = HashMap::new();
        let mut per_month: HashMap<(i32, u32), u32> = HashMap::new();
        let mut desk_out: Vec<Draft> = Vec::new();
        let mut day = first_day;
        while day <= today {
            let ranges = hours.ranges(day.weekday()).to_vec();
            let open_minutes: i64 = ranges.iter().map(|r| minutes(r.end) - minutes(r.start)).sum();
            let open = !ranges.is_empty()
                && data.calendar.desk_open(&hours, local(day, ranges[0].start) + Duration::minutes(1));
            let m = day.month0() as usize;
            let weekday = match day.weekday() {
                Weekday::Mon => 1.15,
                Weekday::Fri => 0.9,
                Weekday::Sat => 0.8,
                _ => 1.0,
            };
            let lambda = volume
                * if open {
                    prof.per_day * open_minutes as f64 / 480.0 * MONTH_VOLUME[m] * weekday
                } else {
                    // Closed: now and then somebody rates from home.
                    prof.per_day * 0.015
                };
            let wobble = *noise.entry((day.year(), day.month())).or_insert_with(|| rng.random_range(-0.025..0.025));
            let progress = (day - first_day).num_days() as f64 / span_days;
            let share = (prof.satisfied + prof.trend * (progress - 0.5) + MONTH_MOOD[m] + wobble).clamp(0.05, 0.995);
            for _ in 0..poisson(rng, lambda) {
                let at = if open && rng.random_bool(0.96) {
                    let mut k = rng.random_range(0..open_minutes * 60);
                    let mut at = None;
                    for r in &ranges {
                        let len = (minutes(r.end) - minutes(r.start)) * 60;
                        if k < len {
                            at = Some(local(day, r.start) + Duration::seconds(k));
                            break;
                        }
                        k -= len;
                    }
                    at.expect("k is within the open time")
                } else {
                    // Outside hours: at lunch, in the evening, or early in the morning.
                    let (h0, h1): (i64, i64) = *pick(rng, &[(11, 13), (17, 22), (6, 7)]);
                    local(day, NaiveTime::MIN) + Duration::seconds(rng.random_range(h0 * 3600..h1 * 3600))
                };
                let month = per_month.entry((day.year(), day.month())).or_default();
                if at >= now || (prof.monthly_cap > 0 && *month >= prof.monthly_cap) {
                    continue;
                }
                *month += 1;
                let satisfied = rng.random_bool(share);
                desk_out.push(rating(s, data, prof, rng, at, satisfied, &mut browsers));
            }
            day = day.succ_opt().expect("a date before the year 262143");
        }
        if prof.bursts {
            desk_out.extend(bursts(s, data, rng, &desk_out, first_day, today, &hours, now));
        }
        out.extend(desk_out);
    }
    out.sort_by_key(|d| (d.at, d.desk_code.clone()));
    out
}

/// One citizen's rating at `at`.
fn rating(
    s: &Services,
    data: &Arc<DeskData>,
    prof: &Profile,
    rng: &mut StdRng,
    at: DateTime<Utc>,
    satisfied: bool,
    browsers: &mut Vec<String>,
) -> Draft {
    let survey: &Survey = &s.survey;
    let scale = survey.scale;
    let overall = if satisfied {
        // Better desks get more "very satisfied".
        if rng.random_bool(prof.satisfied.clamp(0.3, 0.9)) { scale.max() } else { scale.max() - 1 }
    } else {
        let low: Vec<i32> = (1..=scale.max()).filter(|l| !scale.is_satisfied(*l)).collect();
        if rng.random_bool(0.7) { 1 } else { *pick(rng, &low) }
    };
    let dissatisfied = scale.is_dissatisfied(overall);
    let answers = if rng.random_bool(0.12) { BTreeMap::new() } else { answers(survey, rng, satisfied, prof) };
    let evaluated = survey.evaluate(&answers, |q| q.to_string()).expect("answers drawn from the survey's own options");
    let view = data.at(at);
    let officer = (!view.on_duty.is_empty() && rng.random_bool(0.7)).then(|| pick(rng, &view.on_duty).clone());
    let comment = if dissatisfied && rng.random_bool(0.18) {
        Some(pick(rng, COMPLAINTS).to_string())
    } else if satisfied && rng.random_bool(0.05) {
        Some(pick(rng, PRAISE).to_string())
    } else {
        None
    };
    let report = (dissatisfied && rng.random_bool(0.05 * prof.integrity_risk.max(1.0))
        || satisfied && rng.random_bool(0.001))
    .then(|| {
        let categories = [
            Category::Harassment,
            Category::Delay,
            Category::BuckPassing,
            Category::Misconduct,
            Category::Fixer,
            Category::Other,
        ];
        let category = categories[weighted(rng, &[0.25, 0.3, 0.1, 0.15, 0.05, 0.15])];
        let named = officer.as_ref().filter(|_| rng.random_bool(0.6)).map(|o| o.code.clone());
        Report {
            category,
            description: pick(rng, descriptions(category)).to_string(),
            occurred_at: at - Duration::minutes(rng.random_range(0..40)),
            officer: named,
            contact: None,
        }
    });
    let file_code = rng.random_bool(0.3).then(|| {
        let received = (at - Duration::days(rng.random_range(0..20))).with_timezone(&LOCAL_TZ);
        format!("000.00.31.H21-{}-{:04}", received.format("%y%m%d"), rng.random_range(1..3000))
    });
    let feedback = Feedback {
        overall,
        evaluated,
        officer: officer.as_ref().map(|o| o.code.clone()),
        file_code: file_code.clone(),
        comment: comment.clone(),
        report,
    };
    let category = case_category(&feedback, survey);
    // A returning citizen now and then: the same browser as an earlier rating at this desk.
    let browser = if !browsers.is_empty() && rng.random_bool(0.03) {
        pick(rng, browsers).clone()
    } else {
        let b = hex(rng);
        browsers.push(b.clone());
        b
    };
    let officer_id = officer.as_ref().map(|o| o.id);
    let row = RatingRow {
        desk_id: data.desk.id,
        unit_id: data.desk.unit_id,
        officer_id,
        survey_version: survey.version.clone(),
        scale: scale.as_str().to_string(),
        overall,
        answers: serde_json::to_string(&feedback.evaluated.answers).expect("JSON values serialise"),
        idx1: feedback.evaluated.points.idx1,
        idx3: feedback.evaluated.points.idx3,
        idx4: feedback.evaluated.points.idx4,
        idx7: attitude_points(feedback.evaluated.points.idx1, category.is_some_and(|c| c.is_harassment_type())),
        file_code,
        comment: comment.clone(),
        outside_hours: view.is_outside_hours(at),
        channel: Channel::Demo.as_str().to_string(),
        browser_hash: Some(browser),
        ip_hash: Some(hex(rng)),
        updated_at: at.naive_utc(),
    };
    let case = category.map(|category| {
        let report = feedback.report.as_ref();
        // As the form does: the officer the report names, else the one who served.
        let named = report.and_then(|r| r.officer.as_deref()).and_then(|c| view.officer_id(c));
        CaseSeed {
            category,
            description: report.map(|r| r.description.clone()).or(comment),
            occurred_at: report.map(|r| r.occurred_at).unwrap_or(at),
            officer_id: named.or(officer_id),
            desk_id: data.desk.id,
            unit_id: data.desk.unit_id,
            handling: prof.handling,
        }
    });
    Draft { at, row, case, desk_code: data.desk.code.clone() }
}

/// Answers to every question of the survey, leaning good or bad with the rating.
fn answers(survey: &Survey, rng: &mut StdRng, satisfied: bool, prof: &Profile) -> BTreeMap<String, Vec<String>> {
    let mut out = BTreeMap::new();
    for q in &survey.questions {
        if rng.random_bool(0.08) {
            continue; // skipped
        }
        let values: Vec<String> = match q.kind {
            Kind::Single => {
                // Weights by the option's points: 2, 1, 0, none.
                let w = if satisfied { [0.70, 0.22, 0.03, 0.05] } else { [0.12, 0.38, 0.35, 0.15] };
                let weights: Vec<f64> = q
                    .options
                    .iter()
                    .map(|o| {
                        let class = match o.points {
                            Some(2) => 0,
                            Some(1) => 1,
                            Some(0) => 2,
                            _ => 3,
                        };
                        let same = q.options.iter().filter(|x| x.points == o.points).count() as f64;
                        w[class] / same
                    })
                    .collect();
                if q.options.is_empty() {
                    continue;
                }
                vec![q.options[weighted(rng, &weights)].value.clone()]
            }
            Kind::Multi => {
                let p = if satisfied { 0.75 } else { 0.25 };
                let ticked: Vec<String> =
                    q.options.iter().filter(|_| rng.random_bool(p)).map(|o| o.value.clone()).collect();
                if ticked.is_empty() {
                    continue;
                }
                ticked
            }
            Kind::Yesno => {
                let base: f64 = match q.flag {
                    Some(Category::PettyCorruption) => {
                        if satisfied {
                            0.001
                        } else {
                            0.02
                        }
                    }
                    Some(_) => {
                        if satisfied {
                            0.004
                        } else {
                            0.06
                        }
                    }
                    None => 0.1,
                };
                let yes = rng.random_bool((base * prof.integrity_risk).min(0.9));
                vec![if yes { "yes" } else { "no" }.to_string()]
            }
        };
        out.insert(q.id.clone(), values);
    }
    out
}

/// The best answer to every question: what a stuffer submits.
fn top_answers(survey: &Survey) -> BTreeMap<String, Vec<String>> {
    let mut out = BTreeMap::new();
    for q in &survey.questions {
        let values: Vec<String> = match q.kind {
            Kind::Single => match q.options.iter().max_by_key(|o| o.points.unwrap_or(-1)) {
                Some(o) => vec![o.value.clone()],
                None => continue,
            },
            Kind::Multi => q.options.iter().map(|o| o.value.clone()).collect(),
            Kind::Yesno => vec!["no".to_string()],
        };
        if !values.is_empty() {
            out.insert(q.id.clone(), values);
        }
    }
    out
}

/// Stuffing-like bursts at a desk: 16–24 top ratings within a minute from 2–4 browsers (one
/// network), about three times a month at random open hours and, more often than not, within two
/// hours after a rating that complained about the desk.
#[allow(clippy::too_many_arguments)]
fn bursts(
    s: &Services,
    data: &Arc<DeskData>,
    rng: &mut StdRng,
    regular: &[Draft],
    first_day: NaiveDate,
    today: NaiveDate,
    hours: &crate::domain::hours::WeeklyHours,
    now: DateTime<Utc>,
) -> Vec<Draft> {
    let mut starts: Vec<DateTime<Utc>> = Vec::new();
    let mut day = first_day;
    while day <= today {
        let ranges = hours.ranges(day.weekday());
        if let Some(r) = ranges.first()
            && data.calendar.desk_open(hours, local(day, r.start) + Duration::minutes(1))
            && rng.random_bool(0.25)
        {
            let len = (minutes(r.end) - minutes(r.start)) * 60;
            starts.push(local(day, r.start) + Duration::seconds(rng.random_range(0..len - 120)));
        }
        day = day.succ_opt().expect("a date before the year 262143");
    }
    for d in regular.iter().filter(|d| d.case.is_some()) {
        if rng.random_bool(0.6) {
            starts.push(d.at + Duration::minutes(rng.random_range(5..120)));
        }
    }
    starts.sort();
    let answers = top_answers(&s.survey);
    let evaluated = s.survey.evaluate(&answers, |q| q.to_string()).expect("the survey's own options");
    let scale = s.survey.scale;
    let mut out = Vec::new();
    for start in starts {
        let view = data.at(start);
        // The stuffer votes for one officer, or names nobody.
        let officer = (!view.on_duty.is_empty() && rng.random_bool(0.7)).then(|| pick(rng, &view.on_duty).clone());
        let browsers: Vec<String> = (0..rng.random_range(2..=4)).map(|_| hex(rng)).collect();
        let ip = hex(rng);
        let mut at = start;
        for _ in 0..rng.random_range(16..=24) {
            if at >= now {
                break;
            }
            let row = RatingRow {
                desk_id: data.desk.id,
                unit_id: data.desk.unit_id,
                officer_id: officer.as_ref().map(|o| o.id),
                survey_version: s.survey.version.clone(),
                scale: scale.as_str().to_string(),
                overall: scale.max(),
                answers: serde_json::to_string(&evaluated.answers).expect("JSON values serialise"),
                idx1: evaluated.points.idx1,
                idx3: evaluated.points.idx3,
                idx4: evaluated.points.idx4,
                idx7: attitude_points(evaluated.points.idx1, false),
                file_code: None,
                comment: None,
                outside_hours: view.is_outside_hours(at),
                channel: Channel::Demo.as_str().to_string(),
                browser_hash: Some(pick(rng, &browsers).clone()),
                ip_hash: Some(ip.clone()),
                updated_at: at.naive_utc(),
            };
            out.push(Draft { at, row, case: None, desk_code: data.desk.code.clone() });
            at += Duration::seconds(rng.random_range(1..=3));
        }
    }
    out
}

// ───────────────────────────── Cases ─────────────────────────────

/// A case as it will be inserted, its first two events, and its changes in time order.
struct CaseRecord {
    receipt: String,
    /// Index of the rating among those generated (its id is known once written).
    rating: usize,
    seed: CaseSeed,
    created_at: DateTime<Utc>,
    routed: Assign,
    /// The "received" event's data, but for the rating's id.
    received: Value,
    routed_event: String,
}

/// One change to the case row, made by the store function the use case would call.
enum Change {
    Event { actor: String, kind: EventKind, data: Value },
    Assign(Assign),
    Status(Status),
    Dues(DateTime<Utc>, DateTime<Utc>),
    NextTimer(Option<DateTime<Utc>>),
    Notified(Due),
    Close { status: Status, answer: String, outcome: Option<Dismissal> },
    Pause(String),
    Resume { reply: String, paused_seconds: i64 },
    Verdict(Verdict),
    Text(TextKind, String),
    Reopen,
}

/// Every case's changes, to be applied in time order across cases.
#[derive(Default)]
struct Timeline {
    cases: Vec<CaseRecord>,
    /// (when, case index, order within the case, changes at that instant).
    steps: Vec<(DateTime<Utc>, usize, u32, Vec<Change>)>,
}

impl Timeline {
    /// Writes everything in time order: a case's creation (row, first events, ledger entry) or a
    /// later change, as the use cases do. `ratings` are the ids the generated ratings got.
    /// Returns the number of events written.
    fn apply(self, c: &mut DbConn, ratings: &[i64]) -> Result<usize> {
        let Timeline { cases, mut steps } = self;
        // Creation steps carry order 0, so a case exists before its own later steps.
        steps.sort_by_key(|(at, case, order, _)| (*at, *order != 0, *case, *order));
        let mut ids: Vec<i64> = vec![0; cases.len()];
        let mut events = 0;
        for (at, i, order, changes) in steps {
            let rec = &cases[i];
            let rating_id = ratings[rec.rating];
            let now = at.naive_utc();
            if order == 0 {
                let r = &rec.routed;
                let id = cases::insert(
                    c,
                    &NewCase {
                        receipt: &rec.receipt,
                        rating_id: Some(rating_id),
                        desk_id: rec.seed.desk_id,
                        unit_id: rec.seed.unit_id,
                        officer_id: rec.seed.officer_id,
                        category: rec.seed.category,
                        description: rec.seed.description.as_deref(),
                        occurred_at: Some(rec.seed.occurred_at.naive_utc()),
                        status: Status::Received,
                        created_at: now,
                        updated_at: now,
                        handler_unit_id: Some(r.handler_unit_id),
                        handler_officer_id: r.handler_officer_id,
                        clock_started_at: Some(r.clock_started_at),
                        ack_due_at: Some(r.ack_due_at),
                        resolve_due_at: Some(r.resolve_due_at),
                        next_timer_at: r.next_timer_at,
                    },
                )?;
                ids[i] = id;
                let mut received = rec.received.clone();
                received["rating"] = json!(rating_id);
                let received = received.to_string();
                let hashes = cases::append_events(
                    c,
                    id,
                    now,
                    &[("citizen", EventKind::Received, &received), ("system", EventKind::Routed, &rec.routed_event)],
                )?;
                cases::append_ledger(c, id, &rec.receipt, now, &hashes[0])?;
                events += 2;
                continue;
            }
            let id = ids[i];
            for change in changes {
                match change {
                    Change::Event { actor, kind, data } => {
                        cases::append_event(c, id, now, &actor, kind, &data.to_string())?;
                        events += 1;
                    }
                    Change::Assign(a) => cases::assign(c, id, &a)?,
                    Change::Status(st) => cases::set_status(c, id, st, now)?,
                    Change::Dues(a, r) => cases::set_dues(c, id, a.naive_utc(), r.naive_utc())?,
                    Change::NextTimer(t) => cases::set_next_timer(c, id, t.map(|t| t.naive_utc()))?,
                    Change::Notified(d) => cases::mark_notified(c, id, d.as_str())?,
                    Change::Close { status, answer, outcome } => {
                        cases::close(c, id, status, &answer, outcome, now)?;
                        rollup::case_changed(c, Some(rating_id))?;
                    }
                    Change::Pause(q) => cases::pause(c, id, &q, now)?,
                    Change::Resume { reply, paused_seconds } => {
                        cases::resume(c, id, Status::Acknowledged, &reply, paused_seconds, now)?
                    }
                    Change::Verdict(v) => cases::set_verdict(c, id, v, now)?,
                    Change::Text(kind, body) => cases::add_text(c, id, kind, &body, now)?,
                    Change::Reopen => {
                        cases::reopen(c, id, now)?;
                        rollup::case_changed(c, Some(rating_id))?;
                    }
                }
            }
        }
        Ok(events)
    }
}

/// What the current handler (or the citizen) will do next, and when.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Action {
    Acknowledge,
    RequestInfo,
    /// The citizen answers the request for information.
    Reply,
    RequestExplanation,
    /// The officer concerned sends the explanation.
    Explain,
    Close,
    /// The citizen rates the answer.
    Rate,
}

/// A case's state while it is lived through (mirrors the row the store functions keep).
struct Sim<'a> {
    s: &'a Services,
    org: &'a Org,
    ladder: Vec<Decision>,
    policy: Policy,
    level: usize,
    stage: i32,
    status: Status,
    clock_started: DateTime<Utc>,
    paused_at: Option<DateTime<Utc>>,
    paused_seconds: i64,
    notified: String,
    next_timer: Option<DateTime<Utc>>,
    verdict: Option<Verdict>,
    cal: Arc<Calendar>,
    accused: Option<i64>,
    /// Neglected: handlers do nothing until this instant (`None`: never).
    neglect: Option<Option<DateTime<Utc>>>,
    handling: Handling,
    explained: bool,
    asked_info: bool,
    pending: Vec<(DateTime<Utc>, Action)>,
    steps: Vec<(DateTime<Utc>, Vec<Change>)>,
}

impl Sim<'_> {
    fn clocks(&self) -> sla::Clocks {
        sla::clocks(
            &self.cal,
            &self.policy,
            self.clock_started,
            Duration::seconds(self.paused_seconds),
            self.s.sla.reminder_percent,
        )
    }

    fn event(&self, actor: &str, kind: EventKind, mut data: Value) -> Change {
        data["channel"] = json!(Channel::Demo.as_str());
        Change::Event { actor: actor.to_string(), kind, data }
    }

    /// The actor of the handler's actions, as their link would name them.
    fn handler_actor(&self) -> String {
        let d = &self.ladder[self.level];
        match self.org.officer_code(d.handler.officer) {
            Some(code) => format!("officer:{code}"),
            None => format!("officer:{}", d.handler.email),
        }
    }

    /// Gives the case to a rung of the ladder at `at` (`assign::plan_assignment` without emails);
    /// returns the row's fields and the event's data.
    fn assign(&mut self, at: DateTime<Utc>, level: usize, new: bool, appeal: bool) -> (Assign, Value) {
        let d = &self.ladder[level];
        self.cal = self.org.calendar(self.s, d.unit);
        self.level = level;
        self.clock_started = at;
        self.paused_at = None;
        self.paused_seconds = 0;
        self.notified.clear();
        if appeal {
            self.status = Status::Reopened;
        }
        if !new {
            self.stage += 1;
        }
        let clocks = self.clocks();
        self.next_timer = sla::evaluate(self.status, &clocks, "", at).1;
        let fields = Assign {
            handler_unit_id: d.unit,
            handler_officer_id: d.handler.officer,
            level: d.level as i32,
            stage: self.stage,
            status: self.status,
            clock_started_at: at.naive_utc(),
            ack_due_at: clocks.ack_due.naive_utc(),
            resolve_due_at: clocks.resolve_due.naive_utc(),
            next_timer_at: self.next_timer.map(|t| t.naive_utc()),
        };
        let data = json!({
            "level": d.level,
            "unit": self.org.unit_code(d.unit),
            "handler": self.org.officer_code(d.handler.officer),
            "reasons": d.reasons.iter().map(|r| json!({ "code": r.code, "text": r.text.vi })).collect::<Vec<_>>(),
            "informed": d.informed.iter().map(|r| self.org.unit_code(r.unit)).collect::<Vec<_>>(),
            "copies": d.copies.iter().map(|r| self.org.unit_code(r.unit)).collect::<Vec<_>>(),
            "ack_due": clocks.ack_due.to_rfc3339(),
            "resolve_due": clocks.resolve_due.to_rfc3339(),
        });
        (fields, data)
    }

    /// `timers::reschedule`: deadlines and the next timer from the clocks as they are now.
    fn reschedule(&mut self, at: DateTime<Utc>) -> Vec<Change> {
        if self.paused_at.is_some() {
            self.next_timer = None;
            return vec![Change::NextTimer(None)];
        }
        let k = self.clocks();
        self.next_timer = sla::evaluate(self.status, &k, &self.notified, at).1;
        vec![Change::Dues(k.ack_due, k.resolve_due), Change::NextTimer(self.next_timer)]
    }

    /// What the new handler will do: nothing while the case is neglected; else acknowledge after
    /// some working hours, perhaps ask for information or an explanation, and close after some
    /// working days. Slow handlers often miss the windows, which escalates the case.
    fn plan_handler(&mut self, rng: &mut StdRng, from: DateTime<Utc>) {
        self.pending.retain(|(_, a)| matches!(a, Action::Reply | Action::Rate));
        let from = match self.neglect {
            Some(None) => return,
            Some(Some(rescue)) if rescue > from => rescue,
            _ => from,
        };
        let h = 3600;
        let top = self.level + 1 >= self.ladder.len();
        // Higher levels answer a little faster: they were told a deadline was missed.
        let handling = if self.level > 0 && self.handling == Handling::Slow { Handling::Normal } else { self.handling };
        // Delays as shares of the category's windows: fast handlers keep well inside them, normal
        // ones now and then miss one, slow ones often do.
        let (ack_share, close_share) = match handling {
            Handling::Fast => (rng.random_range(0.05..0.6), rng.random_range(0.05..0.5)),
            Handling::Normal => (
                if rng.random_bool(0.08) { rng.random_range(1.0..2.0) } else { rng.random_range(0.1..0.9) },
                if rng.random_bool(0.08) { rng.random_range(0.9..1.5) } else { rng.random_range(0.1..0.85) },
            ),
            Handling::Slow => (
                if rng.random_bool(0.3) { rng.random_range(1.0..2.5) } else { rng.random_range(0.2..0.95) },
                if rng.random_bool(0.3) { rng.random_range(0.9..1.6) } else { rng.random_range(0.3..1.0) },
            ),
        };
        let ack = (window_seconds(self.policy.acknowledge) as f64 * ack_share) as i64;
        let close_seconds = (window_seconds(self.policy.resolve) as f64 * close_share) as i64;
        let mut t = from;
        if matches!(self.status, Status::Received | Status::Reopened) {
            t = self.cal.add(t, WorkDuration::Seconds(ack));
            self.pending.push((t, Action::Acknowledge));
        }
        let explain_p = if self.policy.integrity { 0.5 } else { 0.2 };
        if !self.explained && self.accused.is_some() && rng.random_bool(explain_p) {
            self.explained = true;
            let at = self.cal.add(t, WorkDuration::Seconds(rng.random_range(h..8 * h)));
            self.pending.push((at, Action::RequestExplanation));
        }
        if !self.asked_info && !top && rng.random_bool(0.06) {
            self.asked_info = true;
            let at = self.cal.add(t, WorkDuration::Seconds(rng.random_range(2 * h..16 * h)));
            self.pending.push((at, Action::RequestInfo));
            return; // the closing is planned once the citizen answers
        }
        let close = self.cal.add(t, WorkDuration::Seconds(close_seconds.max(h)));
        self.pending.push((close, Action::Close));
    }
}

/// Lives through one case from its rating to `now`, recording every change.
#[allow(clippy::too_many_arguments)]
fn simulate(
    s: &Services,
    org: &Org,
    rng: &mut StdRng,
    timeline: &mut Timeline,
    draft: &Draft,
    rating: usize,
    seed: &CaseSeed,
    now: DateTime<Utc>,
    current: Month,
) -> Result<()> {
    let created = draft.at;
    let today = created.with_timezone(&LOCAL_TZ).date_naive();
    let policy = s.sla.policy(seed.category);
    let view = org.view(s, seed.unit_id, seed.officer_id, today)?;
    let req = routing::Request {
        desk_unit: seed.unit_id,
        handling_unit: None,
        accused: seed.officer_id,
        integrity: policy.integrity,
        today,
    };
    // Nobody independent can handle it: the form would keep it unrouted; the demo leaves it out.
    let Ok(ladder) = routing::ladder(&view, &req) else { return Ok(()) };
    if ladder.is_empty() {
        return Ok(());
    }
    // A few cases are neglected: nobody acts until much later, or ever. The first two of last
    // month are never handled, so the last whole month ends with cases open past their deadlines.
    let last_month = current.prev();
    let forced = Month::of(created) == last_month
        && timeline.cases.iter().filter(|c| Month::of(c.created_at) == last_month).count() < 2;
    let neglect = if forced {
        Some(None)
    } else if rng.random_bool(0.03) {
        Some(rng.random_bool(0.5).then(|| created + Duration::days(rng.random_range(5..60))))
    } else {
        None
    };
    let mut sim = Sim {
        s,
        org,
        cal: org.calendar(s, ladder[0].unit),
        ladder,
        policy,
        level: 0,
        stage: 0,
        status: Status::Received,
        clock_started: created,
        paused_at: None,
        paused_seconds: 0,
        notified: String::new(),
        next_timer: None,
        verdict: None,
        accused: seed.officer_id,
        neglect,
        handling: seed.handling,
        explained: false,
        asked_info: false,
        pending: Vec::new(),
        steps: Vec::new(),
    };
    let (routed, routed_data) = sim.assign(created, 0, true, false);
    let received = json!({
        "category": seed.category.as_str(),
        "desk": draft.desk_code,
        "officer": org.officer_code(seed.officer_id),
        "channel": Channel::Demo.as_str(),
        "rating": null,
        "description_sha256": seed.description.as_deref().map(text_digest),
        "contact_consent": false,
    });
    let mut routed_event = routed_data;
    routed_event["channel"] = json!(Channel::Demo.as_str());
    sim.plan_handler(rng, created);

    loop {
        // The scheduler's tick comes up to a minute after the timer.
        let timer = sim.next_timer.map(|t| t + Duration::seconds(rng.random_range(0..60)));
        let action = sim.pending.iter().copied().min_by_key(|(t, _)| *t);
        let (at, what) = match (timer, action) {
            (Some(t), Some((a, act))) if a < t => (a, Some(act)),
            (Some(t), _) => (t, None),
            (None, Some((a, act))) => (a, Some(act)),
            (None, None) => break,
        };
        if at > now {
            break;
        }
        let changes = match what {
            None => tick(&mut sim, rng, at),
            Some(act) => {
                sim.pending.retain(|(t, a)| !(*t == at && *a == act));
                act_on(&mut sim, rng, at, act, seed)
            }
        };
        if !changes.is_empty() {
            sim.steps.push((at, changes));
        }
    }

    let index = timeline.cases.len();
    timeline.cases.push(CaseRecord {
        receipt: String::new(),
        rating,
        seed: seed.clone(),
        created_at: created,
        routed,
        received,
        routed_event: routed_event.to_string(),
    });
    timeline.steps.push((created, index, 0, Vec::new()));
    for (order, (at, changes)) in sim.steps.into_iter().enumerate() {
        timeline.steps.push((at, index, order as u32 + 1, changes));
    }
    Ok(())
}

/// The scheduler's work at `at` (`timers::tick_batch`): a reminder, an escalation one level up, or
/// at the top the notice that the case is overdue; otherwise the timer is set again.
fn tick(sim: &mut Sim, rng: &mut StdRng, at: DateTime<Utc>) -> Vec<Change> {
    let k = sim.clocks();
    let level = sim.ladder[sim.level].level;
    match sla::evaluate(sim.status, &k, &sim.notified, at).0 {
        None => sim.reschedule(at),
        Some(d @ (Due::AckReminder | Due::ResolveReminder)) => {
            push_notified(&mut sim.notified, d);
            let mut out = vec![
                Change::Notified(d),
                sim.event("system", EventKind::Reminder, json!({ "kind": d.as_str(), "level": level })),
            ];
            out.extend(sim.reschedule(at));
            out
        }
        Some(d @ (Due::AckBreach | Due::ResolveBreach)) => {
            if sim.level + 1 < sim.ladder.len() {
                let missed =
                    sim.event("system", EventKind::DeadlineMissed, json!({ "kind": d.as_str(), "level": level }));
                let (fields, data) = sim.assign(at, sim.level + 1, false, false);
                sim.plan_handler(rng, at);
                vec![missed, Change::Assign(fields), sim.event("system", EventKind::Escalated, data)]
            } else {
                let mut out = Vec::new();
                if !sla::notified(&sim.notified, d) {
                    push_notified(&mut sim.notified, d);
                    out.push(Change::Notified(d));
                    out.push(sim.event(
                        "system",
                        EventKind::OverdueAtTop,
                        json!({ "kind": d.as_str(), "level": level }),
                    ));
                }
                sim.next_timer = None;
                out.push(Change::NextTimer(None));
                out
            }
        }
    }
}

/// A window in working seconds (a working day counted as the default 7.5 hours).
fn window_seconds(d: WorkDuration) -> i64 {
    match d {
        WorkDuration::Seconds(n) => n.max(0),
        WorkDuration::Days(n) => i64::from(n) * 27_000,
    }
}

fn push_notified(list: &mut String, d: Due) {
    if !list.is_empty() {
        list.push(',');
    }
    list.push_str(d.as_str());
}

/// A person's action at `at`, as the handler's, the officer's or the citizen's use case writes it.
fn act_on(sim: &mut Sim, rng: &mut StdRng, at: DateTime<Utc>, act: Action, seed: &CaseSeed) -> Vec<Change> {
    let h = 3600;
    match act {
        Action::Acknowledge => {
            if !matches!(sim.status, Status::Received | Status::Reopened) {
                return Vec::new();
            }
            sim.status = Status::Acknowledged;
            let mut out = vec![Change::Status(Status::Acknowledged)];
            out.extend(sim.reschedule(at));
            out.push(sim.event(&sim.handler_actor(), EventKind::Acknowledged, json!({})));
            out
        }
        Action::RequestInfo => {
            let q = pick(rng, QUESTIONS).to_string();
            sim.status = Status::WaitingCitizen;
            sim.paused_at = Some(at);
            sim.next_timer = None;
            sim.pending.retain(|(_, a)| *a == Action::Explain);
            // Most citizens answer within days; some never do, and the case waits.
            if rng.random_bool(0.8) {
                sim.pending.push((at + Duration::seconds(rng.random_range(2 * h..5 * 24 * h)), Action::Reply));
            }
            let data = json!({ "question_sha256": text_digest(&q) });
            vec![Change::Pause(q), sim.event(&sim.handler_actor(), EventKind::InfoRequested, data)]
        }
        Action::Reply => {
            let reply = pick(rng, REPLIES).to_string();
            let paused = sim.paused_at.map(|p| sim.cal.working_between(p, at)).unwrap_or_default().num_seconds();
            sim.paused_at = None;
            sim.paused_seconds += paused;
            sim.status = Status::Acknowledged;
            let mut out = vec![Change::Resume { reply: reply.clone(), paused_seconds: paused }];
            out.extend(sim.reschedule(at));
            let data = json!({ "sha256": text_digest(&reply), "paused_seconds": paused });
            out.push(sim.event("citizen", EventKind::CitizenReplied, data));
            // The handler closes it some working days later.
            let close = sim.cal.add(at, WorkDuration::Seconds(rng.random_range(4 * h..5 * 8 * h)));
            if sim.neglect != Some(None) {
                sim.pending.push((close, Action::Close));
            }
            out
        }
        Action::RequestExplanation => {
            if sim.status.is_closed() {
                return Vec::new();
            }
            let officer = sim.org.officer_code(sim.accused);
            if rng.random_bool(0.85) {
                sim.pending.push((
                    sim.cal.add(at, WorkDuration::Seconds(rng.random_range(2 * h..3 * 8 * h))),
                    Action::Explain,
                ));
            }
            vec![sim.event(&sim.handler_actor(), EventKind::ExplanationRequested, json!({ "officer": officer }))]
        }
        Action::Explain => {
            if sim.status.is_closed() {
                return Vec::new();
            }
            let text = pick(rng, EXPLANATIONS).to_string();
            let actor = format!("officer:{}", sim.org.officer_code(sim.accused).unwrap_or_default());
            let data = json!({ "sha256": text_digest(&text) });
            vec![Change::Text(TextKind::Explanation, text), sim.event(&actor, EventKind::ExplanationReceived, data)]
        }
        Action::Close => {
            if sim.status.is_closed() || sim.status == Status::WaitingCitizen {
                return Vec::new();
            }
            // Dissatisfied comments are mostly answered; conduct reports are dismissed more often,
            // half of those as untrue.
            let dismiss_p = if seed.category == Category::Dissatisfied { 0.2 } else { 0.32 };
            let (status, outcome, answer) = if rng.random_bool(dismiss_p) {
                let outcomes = [
                    Dismissal::FoundUntrue,
                    Dismissal::InsufficientInformation,
                    Dismissal::Duplicate,
                    Dismissal::NotCompetent,
                ];
                let o = outcomes[weighted(rng, &[0.5, 0.28, 0.1, 0.12])];
                (Status::Dismissed, Some(o), dismissal_text(o).to_string())
            } else {
                (Status::Resolved, None, pick(rng, ANSWERS).to_string())
            };
            sim.status = status;
            sim.next_timer = None;
            sim.paused_at = None;
            sim.pending.clear();
            // Fewer than half the citizens rate the answer; only once per case.
            if sim.verdict.is_none() && rng.random_bool(0.45) {
                sim.pending.push((at + Duration::seconds(rng.random_range(3 * h..8 * 24 * h)), Action::Rate));
            }
            let kind = if status == Status::Resolved { EventKind::Resolved } else { EventKind::Dismissed };
            let data = json!({ "outcome": outcome.map(|o| o.as_str()), "answer_sha256": text_digest(&answer) });
            let event = sim.event(&sim.handler_actor(), kind, data);
            vec![Change::Close { status, answer, outcome }, event]
        }
        Action::Rate => {
            let satisfied_p = if sim.status == Status::Resolved { 0.8 } else { 0.45 };
            let verdict = if rng.random_bool(satisfied_p) { Verdict::Satisfied } else { Verdict::NotSatisfied };
            sim.verdict = Some(verdict);
            let reason =
                (verdict == Verdict::NotSatisfied && rng.random_bool(0.7)).then(|| pick(rng, APPEALS).to_string());
            let kind = if verdict == Verdict::Satisfied {
                EventKind::CitizenSatisfied
            } else {
                EventKind::CitizenNotSatisfied
            };
            let mut out = vec![Change::Verdict(verdict)];
            if let Some(r) = &reason {
                out.push(Change::Text(TextKind::Appeal, r.clone()));
            }
            out.push(sim.event("citizen", kind, json!({ "reason_sha256": reason.as_deref().map(text_digest) })));
            if verdict == Verdict::Satisfied {
                return out;
            }
            // An appeal: one level up, or at the top the same level again.
            out.push(Change::Reopen);
            let level = (sim.level + 1).min(sim.ladder.len() - 1);
            let (fields, data) = sim.assign(at, level, false, true);
            sim.plan_handler(rng, at);
            out.push(Change::Assign(fields));
            out.push(sim.event("system", EventKind::Reopened, data));
            out
        }
    }
}

fn dismissal_text(o: Dismissal) -> &'static str {
    match o {
        Dismissal::FoundUntrue => {
            "Đã xác minh với cán bộ và người làm chứng tại quầy: nội dung phản ánh không đúng sự thật."
        }
        Dismissal::InsufficientInformation => {
            "Phản ánh không nêu đủ thông tin (thời gian, nội dung cụ thể) để xác minh; người dân chưa bổ sung."
        }
        Dismissal::Duplicate => "Nội dung trùng với phản ánh đã tiếp nhận trước đó và đang được xử lý.",
        Dismissal::NotCompetent => {
            "Nội dung thuộc thẩm quyền của cơ quan thuế; đã hướng dẫn người dân liên hệ cơ quan có thẩm quyền."
        }
    }
}

// ───────────────────────────── Words ─────────────────────────────

const COMPLAINTS: &[&str] = &[
    "Chờ quá lâu, hơn hai tiếng mới đến lượt.",
    "Cán bộ hướng dẫn không rõ ràng, phải đi lại nhiều lần.",
    "Hẹn trả kết quả nhưng đến nơi vẫn chưa có.",
    "Thái độ cán bộ chưa nhiệt tình, trả lời qua loa.",
    "Máy lấy số thứ tự hỏng, không ai hướng dẫn.",
    "Mỗi lần đến lại bị yêu cầu bổ sung một loại giấy tờ khác.",
    "Phòng chờ nóng, thiếu ghế ngồi cho người già.",
    "Hồ sơ bị trả lại mà không được giải thích lý do.",
    "Giờ mở cửa không đúng như niêm yết.",
];

const PRAISE: &[&str] = &[
    "Cán bộ nhiệt tình, hướng dẫn chu đáo.",
    "Nhanh gọn, đúng hẹn. Cảm ơn.",
    "Thủ tục đơn giản hơn trước nhiều.",
    "Được hướng dẫn nộp hồ sơ trực tuyến, rất tiện.",
];

fn descriptions(c: Category) -> &'static [&'static str] {
    match c {
        Category::Harassment => &[
            "Hồ sơ đã đủ nhưng cán bộ vẫn bắt chờ và gây khó dễ, nói phải quay lại hôm khác.",
            "Cán bộ quát người dân, yêu cầu làm lại tờ khai nhiều lần không có lý do.",
        ],
        Category::Delay => &[
            "Hồ sơ quá hạn hai tuần chưa có kết quả, hỏi thì hẹn lại nhiều lần.",
            "Đã đến ba lần theo giấy hẹn nhưng kết quả vẫn chưa có, không ai giải thích.",
        ],
        Category::BuckPassing => &[
            "Bị chuyển qua lại giữa hai bộ phận, không ai nhận giải quyết hồ sơ.",
            "Cán bộ nói việc này không phải của mình, bảo lên xã hỏi, lên xã lại bảo về quầy.",
        ],
        Category::Misconduct => &[
            "Cán bộ nói chuyện điện thoại riêng trong lúc tiếp dân, trả lời cộc lốc.",
            "Sau giờ nghỉ trưa cán bộ có mùi rượu bia khi làm việc.",
        ],
        Category::Fixer => &[
            "Có người đứng ngoài cổng mời làm dịch vụ nhanh, nói quen cán bộ bên trong.",
            "Được người lạ gợi ý đưa tiền để hồ sơ đất được ưu tiên giải quyết.",
        ],
        _ => &[
            "Bộ phận một cửa đóng cửa sớm hơn giờ niêm yết, người dân phải về không.",
            "Không có hướng dẫn cho người khuyết tật tiếp cận quầy.",
        ],
    }
}

const QUESTIONS: &[&str] = &[
    "Đề nghị ông/bà cho biết ngày đến quầy và số giấy hẹn để xác minh.",
    "Ông/bà vui lòng mô tả cán bộ đã tiếp nhận hồ sơ (quầy số mấy, buổi sáng hay chiều).",
];

const REPLIES: &[&str] = &[
    "Tôi đến quầy số 2 sáng thứ Ba, giấy hẹn ghi trả kết quả ngày thứ Sáu.",
    "Buổi chiều, cán bộ nữ ngồi quầy bên phải, tôi có giữ giấy biên nhận.",
];

const EXPLANATIONS: &[&str] = &[
    "Hôm đó hồ sơ thiếu bản sao có chứng thực nên tôi đã hướng dẫn bổ sung; tôi xin rút kinh nghiệm về cách giải thích.",
    "Tôi không yêu cầu khoản tiền nào ngoài lệ phí; người dân có thể nhầm với phí dịch vụ bưu chính.",
];

const ANSWERS: &[&str] = &[
    "Đã làm việc với cán bộ liên quan và chấn chỉnh; hồ sơ của ông/bà đã được giải quyết xong.",
    "Đơn vị đã kiểm tra, xin lỗi ông/bà về sự chậm trễ; kết quả đã được trả ngày hôm nay.",
    "Đã bố trí thêm cán bộ hướng dẫn tại quầy và sửa máy lấy số thứ tự; cảm ơn ông/bà đã phản ánh.",
    "Đã nhắc nhở cán bộ về quy tắc ứng xử và đưa vào đánh giá cuối tháng.",
];

const APPEALS: &[&str] = &[
    "Trả lời chung chung, hồ sơ của tôi vẫn chưa có kết quả.",
    "Tôi có người làm chứng, đề nghị cấp trên xem xét lại.",
];

// ───────────────────────────── Helpers ─────────────────────────────

fn whole_seconds(t: DateTime<Utc>) -> DateTime<Utc> {
    Utc.timestamp_opt(t.timestamp(), 0).single().expect("a valid timestamp")
}

fn local(day: NaiveDate, time: NaiveTime) -> DateTime<Utc> {
    // Việt Nam has no daylight saving time: every local instant exists once.
    LOCAL_TZ.from_local_datetime(&day.and_time(time)).single().expect("no DST in Việt Nam").with_timezone(&Utc)
}

fn local_midnight(day: NaiveDate) -> DateTime<Utc> {
    local(day, NaiveTime::MIN)
}

fn minutes(t: NaiveTime) -> i64 {
    use chrono::Timelike;
    i64::from(t.hour()) * 60 + i64::from(t.minute())
}

/// A Poisson-distributed count (Knuth's method; fine for the small means here).
fn poisson(rng: &mut StdRng, lambda: f64) -> u32 {
    if lambda <= 0.0 {
        return 0;
    }
    let limit = (-lambda).exp();
    let mut k = 0;
    let mut p = 1.0;
    loop {
        p *= rng.random::<f64>();
        if p <= limit {
            return k;
        }
        k += 1;
    }
}

fn pick<'a, T>(rng: &mut StdRng, items: &'a [T]) -> &'a T {
    &items[rng.random_range(0..items.len())]
}

/// An index drawn with the given weights.
fn weighted(rng: &mut StdRng, weights: &[f64]) -> usize {
    let total: f64 = weights.iter().sum();
    let mut x = rng.random::<f64>() * total;
    for (i, w) in weights.iter().enumerate() {
        if x < *w {
            return i;
        }
        x -= w;
    }
    weights.len() - 1
}

/// 32 hex digits, the shape of the keyed hashes the form stores (a random cookie's hash is as
/// random as this).
fn hex(rng: &mut StdRng) -> String {
    let bytes: [u8; 16] = rng.random();
    hex::encode(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_months_covered() {
        let now = Utc.with_ymd_and_hms(2026, 11, 30, 8, 0, 0).unwrap();
        let (first, last) = months(now);
        assert_eq!((first.to_string(), last.to_string()), ("2025-11".to_string(), "2026-11".to_string()));
        // 1 January 00:30 in Việt Nam is still 31 December in UTC: the local month counts.
        let new_year = Utc.with_ymd_and_hms(2026, 12, 31, 17, 30, 0).unwrap();
        assert_eq!(months(new_year).1.to_string(), "2027-01");
    }

    #[test]
    fn draws_have_the_asked_shape() {
        let mut rng = StdRng::seed_from_u64(7);
        let n = 20_000;
        let mean = (0..n).map(|_| poisson(&mut rng, 6.0) as f64).sum::<f64>() / n as f64;
        assert!((mean - 6.0).abs() < 0.1, "{mean}");
        assert_eq!(poisson(&mut rng, 0.0), 0);
        let hits = (0..n).filter(|_| weighted(&mut rng, &[1.0, 3.0]) == 1).count() as f64 / n as f64;
        assert!((hits - 0.75).abs() < 0.02, "{hits}");
        assert_eq!(hex(&mut rng).len(), 32);
    }

    #[test]
    fn every_demo_desk_has_a_profile() {
        let demo = crate::domain::org_file::parse(super::super::ORG_FILE).unwrap();
        for d in &demo.spec.desks {
            assert!(PROFILES.iter().any(|p| p.desk == d.code), "{} has no profile", d.code);
        }
        assert_eq!(PROFILES.len(), demo.spec.desks.len());
    }
}
