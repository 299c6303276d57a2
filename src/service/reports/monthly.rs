//! Building a report: the figures of one scope (a unit and its subtree, or the whole
//! organisation) over whole months, from the rollups (or, as a baseline and a check, from the raw
//! ratings), the case log as it stood at the period's end, the files entered and the month's raw
//! rows for the integrity signals. Every rule comes from `domain` (measures, case_history,
//! signals); this file gathers and arranges.

use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::{DateTime, Utc};

use super::model::*;
use crate::domain::calendar::Memo;
use crate::domain::case::Category;
use crate::domain::case_history::{self, Entry, Facts};
use crate::domain::measures::{self, CaseCounts, IndexTally, OfficerIndices, RankInput, RatingOutcomes, Tenths};
use crate::domain::period::{Month, Period};
use crate::domain::rollup::{IDX1, IDX3, IDX4, IDX7, Tally};
use crate::domain::signals;
use crate::domain::survey::Scale;
use crate::error::{Error, Result};
use crate::i18n::Lang;
use crate::service::Services;
use crate::store::org::{Desk, Officer, Unit};
use crate::store::rollups::{self, By, Grain};
use crate::store::{self, DbConn};
use crate::t;

/// Where the rating figures come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// The per-day and per-month rollups (what reports use).
    Rollups,
    /// The raw ratings, tallied now: the benchmark's baseline and the tests' oracle.
    Raw,
}

/// What report to build.
#[derive(Debug, Clone)]
pub struct Request {
    /// The unit at the top of the scope; `None` = the whole organisation.
    pub unit: Option<String>,
    pub period: Period,
    /// The officer reading it (from their report link): cases about them are not listed.
    pub reader_officer_id: Option<i64>,
    pub source: Source,
    pub now: DateTime<Utc>,
}

/// The organisation as reports name it.
pub(crate) struct Org {
    pub units: Vec<Unit>,
    pub desks: Vec<Desk>,
    pub officers: Vec<Officer>,
    by_id: HashMap<i64, usize>,
    desk_by_id: HashMap<i64, usize>,
    officer_by_id: HashMap<i64, usize>,
    /// Each unit's direct children.
    children: HashMap<i64, Vec<i64>>,
}

impl Org {
    pub fn load(c: &mut DbConn) -> Result<Org> {
        let units = store::reports::all_units(c)?;
        let desks = store::reports::all_desks(c)?;
        let officers = store::reports::all_officers(c)?;
        let by_id = units.iter().enumerate().map(|(i, u)| (u.id, i)).collect();
        let desk_by_id = desks.iter().enumerate().map(|(i, d)| (d.id, i)).collect();
        let officer_by_id = officers.iter().enumerate().map(|(i, o)| (o.id, i)).collect();
        let mut children: HashMap<i64, Vec<i64>> = HashMap::new();
        for u in &units {
            if let Some(p) = u.parent_id {
                children.entry(p).or_default().push(u.id);
            }
        }
        Ok(Org { units, desks, officers, by_id, desk_by_id, officer_by_id, children })
    }

    pub fn unit(&self, id: i64) -> Option<&Unit> {
        self.by_id.get(&id).map(|&i| &self.units[i])
    }

    pub fn desk(&self, id: i64) -> Option<&Desk> {
        self.desk_by_id.get(&id).map(|&i| &self.desks[i])
    }

    pub fn officer(&self, id: i64) -> Option<&Officer> {
        self.officer_by_id.get(&id).map(|&i| &self.officers[i])
    }

    /// A unit and every unit under it.
    pub fn subtree(&self, root: i64) -> Vec<i64> {
        let children = &self.children;
        let mut out = vec![root];
        let mut i = 0;
        while i < out.len() {
            if let Some(ch) = children.get(&out[i]) {
                out.extend(ch.iter().copied().filter(|c| *c != root));
            }
            i += 1;
        }
        out
    }

    /// The scope of a unit code (`None` = the whole organisation).
    pub fn scope(&self, code: Option<&str>) -> Result<ScopeUnits> {
        match code {
            Some(code) => {
                let u = self.units.iter().find(|u| u.code == code.trim()).ok_or_else(|| {
                    Error::Invalid(t!("Không có đơn vị mã {code:?}", "There is no unit with code {code:?}"))
                })?;
                let units = self.subtree(u.id);
                let children = self.units.iter().filter(|x| x.parent_id == Some(u.id)).map(|x| x.id).collect();
                Ok(ScopeUnits { code: u.code.clone(), name: u.name.clone(), units, children, whole: false })
            }
            None => {
                let tops: Vec<&Unit> = self.units.iter().filter(|u| u.parent_id.is_none()).collect();
                let units = self.units.iter().map(|u| u.id).collect();
                match tops[..] {
                    [one] => {
                        let children =
                            self.units.iter().filter(|x| x.parent_id == Some(one.id)).map(|x| x.id).collect();
                        Ok(ScopeUnits { code: one.code.clone(), name: one.name.clone(), units, children, whole: true })
                    }
                    _ => Ok(ScopeUnits {
                        code: "*".into(),
                        name: "Toàn bộ tổ chức".into(),
                        units,
                        children: tops.iter().map(|u| u.id).collect(),
                        whole: true,
                    }),
                }
            }
        }
    }
}

impl Org {
    /// What an oversight unit oversees: every unit naming it as oversight, with their subtrees.
    pub fn oversight_scope(&self, code: &str) -> Result<ScopeUnits> {
        let o =
            self.units.iter().find(|u| u.code == code.trim()).ok_or_else(|| {
                Error::Invalid(t!("Không có đơn vị mã {code:?}", "There is no unit with code {code:?}"))
            })?;
        let overseen: Vec<i64> = self.units.iter().filter(|u| u.oversight_id == Some(o.id)).map(|u| u.id).collect();
        if overseen.is_empty() {
            let name = &o.name;
            return Err(Error::Invalid(t!("{name} không giám sát đơn vị nào", "{name} oversees no unit")));
        }
        let mut units: Vec<i64> = Vec::new();
        for id in &overseen {
            for u in self.subtree(*id) {
                if !units.contains(&u) {
                    units.push(u);
                }
            }
        }
        // The series of the trend: overseen units not under another overseen one.
        let children = overseen
            .iter()
            .copied()
            .filter(|id| !overseen.iter().any(|other| other != id && self.subtree(*other).contains(id)))
            .collect();
        Ok(ScopeUnits {
            code: o.code.clone(),
            name: format!("Các đơn vị do {} giám sát", o.name),
            units,
            children,
            whole: false,
        })
    }

    /// Units other units name as their oversight.
    pub fn oversight_units(&self) -> Vec<&Unit> {
        self.units.iter().filter(|o| self.units.iter().any(|u| u.oversight_id == Some(o.id))).collect()
    }
}

/// The units a report covers.
pub(crate) struct ScopeUnits {
    pub code: String,
    pub name: String,
    pub units: Vec<i64>,
    /// The direct children of the root (the trend's series).
    pub children: Vec<i64>,
    pub whole: bool,
}

impl ScopeUnits {
    /// The unit filter for queries: `None` for the whole organisation.
    fn filter(&self) -> Option<&[i64]> {
        (!self.whole).then_some(&self.units[..])
    }
}

/// Builds a report.
pub fn build(s: &Services, req: &Request) -> Result<Report> {
    let t = std::time::Instant::now();
    let org = s.db.read(Org::load)?;
    tracing::debug!(ms = t.elapsed().as_secs_f64() * 1000.0, "report organisation read");
    let scope = org.scope(req.unit.as_deref())?;
    build_for(s, &org, &scope, req)
}

pub(crate) fn build_for(s: &Services, org: &Org, scope: &ScopeUnits, req: &Request) -> Result<Report> {
    let min_count = s.config.reports.min_count;
    let scale = s.survey.scale;
    let period = req.period;
    let (start, end) = period.utc_bounds();
    let prev = period.previous();
    let trend_months: Vec<Month> = period.last.minus(11).through(period.last);
    let in_scope: HashSet<i64> = scope.units.iter().copied().collect();
    let desk_ids: Vec<i64> = org.desks.iter().filter(|d| in_scope.contains(&d.unit_id)).map(|d| d.id).collect();

    // Two halves read at once on two connections (`Db::read_both`), each one read transaction:
    // the ratings (rollups, the signals' points) with what is worked out from them, and the cases
    // (the case log replayed as it stood at the period's end). They share no figure; see the README
    // ("Reports") on why two snapshots cannot disagree about a finished month.
    let shape = s.shape.clone();
    let rules = signals::Rules::default();
    let days = period_days(period);
    let mut phases = Phases::start();
    let ratings_half = |c: &mut DbConn| {
        let units = scope.filter();
        let mut phases = Phases::start();
        let (rows, prev_total, trend_rows) = match req.source {
            Source::Rollups => {
                let rows = rollups::read(c, Grain::Month, period.first.number(), period.last.number(), units, By::Who)?;
                // Of the previous period only its rate is shown: two sums, not every row.
                let (ratings, satisfied) = rollups::totals(c, prev.first.number(), prev.last.number(), units)?;
                let prev_total = Tally { ratings, satisfied, ..Tally::default() };
                let trend = rollups::monthly_by_unit(c, trend_months[0].number(), period.last.number(), units)?;
                (rows, prev_total, trend)
            }
            Source::Raw => {
                let rows = raw_rows(c, &shape, period, units)?;
                let prev_rows = raw_rows(c, &shape, prev, units)?;
                let trend_period = Period { first: trend_months[0], last: period.last };
                let trend = raw_trend(c, &shape, trend_period, units)?;
                (rows, sum(prev_rows.iter().map(|r| &r.tally)), trend)
            }
        };
        phases.mark("rollups");
        let files = store::reports::files(c, period.first.number(), period.last.number())?;
        let signal_input = match req.source {
            Source::Rollups => SignalInput::Sums(signal_sums(c, &desk_ids, period)?),
            // The baseline reads the rows and counts them in Rust, as the pure rule does.
            Source::Raw => SignalInput::Rows(store::reports::signal_rows(
                c,
                (!scope.whole).then_some(&desk_ids[..]),
                start.naive_utc(),
                end.naive_utc(),
            )?),
        };
        phases.mark("signal points");
        let facts = desk_facts(signal_input, &days, &rules);
        phases.mark("signal facts");
        tracing::debug!(phases = %phases, "report ratings half");
        Ok((rows, prev_total, trend_rows, files, facts))
    };
    let cases_half = |c: &mut DbConn| {
        let units = scope.filter();
        let mut phases = Phases::start();
        let cases = store::reports::cases_for_period(c, units, start.naive_utc(), end.naive_utc())?;
        phases.mark("cases");
        let ids: Vec<i64> = cases.iter().map(|k| k.id).collect();
        let events = store::reports::events_before(c, &ids, end.naive_utc())?;
        phases.mark("events");
        let ledger = store::reports::ledger_head_before(c, end.naive_utc())?;
        // Cases, as the log stood at the period's end.
        let part = cases_section(s, org, scope, req, &cases, &events, start, end);
        phases.mark("case replay");
        tracing::debug!(phases = %phases, "report cases half");
        Ok((cases, part, ledger))
    };
    let ((rows, prev_total, trend_rows, files, facts), (cases, case_part, ledger)) =
        s.db.read_both(ratings_half, cases_half)?;

    phases.mark("read");
    // Files per desk over the period (only desks in scope).
    let mut desk_files: HashMap<i64, u64> = HashMap::new();
    let desk_set: HashSet<i64> = desk_ids.iter().copied().collect();
    for (desk, _, n) in &files {
        if desk_set.contains(desk) {
            *desk_files.entry(*desk).or_default() += *n as u64;
        }
    }

    // Tallies per desk, officer, unit and for the scope.
    let mut by_desk: BTreeMap<i64, Tally> = BTreeMap::new();
    let mut by_officer: BTreeMap<i64, Tally> = BTreeMap::new();
    let mut by_unit: BTreeMap<i64, Tally> = BTreeMap::new();
    let mut total = Tally::default();
    for r in rows.iter().filter(|r| in_scope.contains(&r.unit_id)) {
        by_desk.entry(r.desk_id).or_default().add(&r.tally);
        if r.officer_id != 0 {
            by_officer.entry(r.officer_id).or_default().add(&r.tally);
        }
        by_unit.entry(r.unit_id).or_default().add(&r.tally);
        total.add(&r.tally);
    }

    phases.mark("tallies");

    let ctx = FigureCtx { min_count, scale };
    // Desks.
    let mut desks: Vec<Figures> = org
        .desks
        .iter()
        .filter(|d| in_scope.contains(&d.unit_id) && (d.active || by_desk.contains_key(&d.id)))
        .map(|d| {
            let t = by_desk.get(&d.id).copied().unwrap_or_default();
            let files = desk_files.get(&d.id).map(|&f| (f, t));
            let (uc, un) = unit_names(org, d.unit_id);
            ctx.figures(Item::Desk, &d.code, &d.name, &uc, &un, &t, files, None)
        })
        .collect();
    // Officers (named in ratings of this scope).
    let mut officers: Vec<Figures> = by_officer
        .iter()
        .filter_map(|(id, t)| {
            let o = org.officer(*id)?;
            let (uc, un) = unit_names(org, o.unit_id);
            Some(ctx.figures(Item::Officer, &o.code, &o.name, &uc, &un, t, None, None))
        })
        .collect();
    // Units: their own desks' ratings, their own cases for index 8.
    let mut desks_of: HashMap<i64, Vec<&Desk>> = HashMap::new();
    for d in &org.desks {
        desks_of.entry(d.unit_id).or_default().push(d);
    }
    let own = |u: i64| desks_of.get(&u).map(Vec::as_slice).unwrap_or(&[]);
    let mut units: Vec<Figures> = scope
        .units
        .iter()
        .filter_map(|id| org.unit(*id))
        .filter(|u| by_unit.contains_key(&u.id) || own(u.id).iter().any(|d| d.active))
        .map(|u| {
            let t = by_unit.get(&u.id).copied().unwrap_or_default();
            let files = files_of(own(u.id).iter().map(|d| d.id), &desk_files, &by_desk);
            let idx8 = case_part.per_unit.get(&u.id).copied().unwrap_or_default();
            let (pc, pn) = u.parent_id.map(|p| unit_names(org, p)).unwrap_or_default();
            ctx.figures(Item::Unit, &u.code, &u.name, &pc, &pn, &t, files, Some(idx8))
        })
        .collect();
    for list in [&mut desks, &mut officers, &mut units] {
        rank(list, min_count);
    }

    // The scope.
    let files = files_of(desk_ids.iter().copied(), &desk_files, &by_desk);
    let figures = ctx.figures(Item::Scope, &scope.code, &scope.name, "", "", &total, files, Some(case_part.total));
    let previous_rate = (!measures::suppressed(prev_total.ratings as u64, min_count))
        .then(|| rate(prev_total.satisfied, prev_total.ratings))
        .flatten();
    let change_points = match (figures.satisfaction_rate, previous_rate) {
        (Some(a), Some(b)) => Some(((a - b) * 1000.0).round() / 10.0),
        _ => None,
    };
    let summary = Summary {
        figures,
        previous_ratings: prev_total.ratings.max(0) as u64,
        previous_satisfaction_rate: previous_rate,
        change_points,
    };

    let behaviours = behaviours(s, &total, min_count);
    let trend = trend(org, scope, &trend_months, &trend_rows, min_count);
    phases.mark("figures");
    let signals = signals_section(org, &desk_ids, &by_desk, &desk_files, facts, &cases, period, &days, &rules);
    phases.mark("signals");
    let files_entered = !desk_files.is_empty();
    let notes = notes(&summary, ledger, files_entered, min_count);
    let scope_info = Scope {
        code: scope.code.clone(),
        name: scope.name.clone(),
        whole_organisation: scope.whole,
        unit_count: scope.units.len(),
        desk_count: desk_ids.len(),
    };
    tracing::debug!(scope = %scope.code, phases = %phases, "report built");
    Ok(Report {
        scope: scope_info,
        period: PeriodInfo {
            first: period.first,
            last: period.last,
            label_vi: period.label(Lang::Vi),
            label_en: period.label(Lang::En),
            ends_at: end.to_rfc3339(),
            generated_at: req.now.to_rfc3339(),
            min_count,
            scale: scale.as_str().to_string(),
        },
        summary,
        units,
        desks,
        officers,
        behaviours,
        cases: case_part.section,
        trend,
        signals,
        notes,
    })
}

/// Wall time of a build's phases, for the debug log (where a report's time goes).
struct Phases {
    last: std::time::Instant,
    done: Vec<(&'static str, std::time::Duration)>,
}

impl Phases {
    fn start() -> Phases {
        Phases { last: std::time::Instant::now(), done: Vec::new() }
    }

    fn mark(&mut self, name: &'static str) {
        let now = std::time::Instant::now();
        self.done.push((name, now - self.last));
        self.last = now;
    }
}

impl std::fmt::Display for Phases {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        for (i, (name, d)) in self.done.iter().enumerate() {
            write!(f, "{}{name} {:.1} ms", if i > 0 { ", " } else { "" }, d.as_secs_f64() * 1000.0)?;
        }
        Ok(())
    }
}

fn sum<'a>(it: impl Iterator<Item = &'a Tally>) -> Tally {
    let mut t = Tally::default();
    it.for_each(|x| t.add(x));
    t
}

fn rate(n: i64, of: i64) -> Option<f64> {
    (of > 0).then(|| n as f64 / of as f64)
}

fn unit_names(org: &Org, id: i64) -> (String, String) {
    org.unit(id).map(|u| (u.code.clone(), u.name.clone())).unwrap_or_default()
}

/// Files entered for these desks, with the tally of those desks only (the 766 rate over files
/// must not count ratings of desks that entered no files).
fn files_of(
    desks: impl Iterator<Item = i64>,
    desk_files: &HashMap<i64, u64>,
    by_desk: &BTreeMap<i64, Tally>,
) -> Option<(u64, Tally)> {
    let mut found = None;
    for d in desks {
        if let Some(f) = desk_files.get(&d) {
            let (files, t): &mut (u64, Tally) = found.get_or_insert((0, Tally::default()));
            *files += f;
            if let Some(x) = by_desk.get(&d) {
                t.add(x);
            }
        }
    }
    found
}

/// The raw ratings of a period tallied as the rollups would be (Source::Raw).
fn raw_rows(
    c: &mut DbConn,
    shape: &crate::domain::rollup::Shape,
    period: Period,
    units: Option<&[i64]>,
) -> Result<Vec<rollups::Row>> {
    let (start, end) = period.utc_bounds();
    let mut out: HashMap<(i64, i64, i64), Tally> = HashMap::new();
    for (r, has_case) in store::feedback::with_cases_between(c, start.naive_utc(), end.naive_utc(), units)? {
        let key = (r.desk_id, r.officer_id.unwrap_or(0), r.unit_id);
        out.entry(key).or_default().add(&super::rollup::tally_of(&r, has_case, shape));
    }
    Ok(out
        .into_iter()
        .map(|((desk_id, officer_id, unit_id), tally)| rollups::Row { period: 0, desk_id, officer_id, unit_id, tally })
        .collect())
}

fn raw_trend(
    c: &mut DbConn,
    shape: &crate::domain::rollup::Shape,
    period: Period,
    units: Option<&[i64]>,
) -> Result<Vec<(i32, i64, i64, i64)>> {
    let (start, end) = period.utc_bounds();
    let mut out: BTreeMap<(i32, i64), (i64, i64)> = BTreeMap::new();
    for (r, has_case) in store::feedback::with_cases_between(c, start.naive_utc(), end.naive_utc(), units)? {
        let t = super::rollup::tally_of(&r, has_case, shape);
        let e = out.entry((Month::of(r.created_at.and_utc()).number(), r.unit_id)).or_default();
        e.0 += t.ratings;
        e.1 += t.satisfied;
    }
    Ok(out.into_iter().map(|((m, u), (n, s))| (m, u, n, s)).collect())
}

struct FigureCtx {
    min_count: u64,
    scale: Scale,
}

impl FigureCtx {
    #[allow(clippy::too_many_arguments)]
    fn figures(
        &self,
        item: Item,
        code: &str,
        name: &str,
        unit_code: &str,
        unit_name: &str,
        t: &Tally,
        files: Option<(u64, Tally)>,
        cases: Option<CaseCounts>,
    ) -> Figures {
        let n = |x: i64| x.max(0) as u64;
        let ratings = n(t.ratings);
        let suppressed = measures::suppressed(ratings, self.min_count);
        let shown = |x: Option<f64>| if suppressed { None } else { x };
        let levels = (1..=self.scale.max()).map(|l| (l.to_string(), n(t.levels[(l - 1) as usize]))).collect();
        let outcomes =
            RatingOutcomes::new(ratings, n(t.dissatisfied), n(t.with_case), n(t.dissatisfied_with_case)).ok();
        let over_files = files.and_then(|(f, ft)| {
            let o =
                RatingOutcomes::new(n(ft.ratings), n(ft.dissatisfied), n(ft.with_case), n(ft.dissatisfied_with_case))
                    .ok()?;
            measures::rate_766_over_files(f, &o)
        });
        let index = |i: usize| {
            let [p0, p1, p2] = t.index[i];
            let tally = IndexTally::new(n(p1) + 2 * n(p2), n(p0) + n(p1) + n(p2)).ok()?;
            (tally.files() > 0).then(|| (tally, if suppressed { None } else { tally.score() }))
        };
        let score = |x: &Option<(IndexTally, Option<Tenths>)>| x.as_ref().and_then(|(_, s)| *s);
        let show = |x: Option<(IndexTally, Option<Tenths>)>| {
            x.map(|(tally, s)| IndexScore {
                points: tally.points(),
                files: tally.files(),
                score: s.map(Tenths::as_f64),
            })
        };
        let (i1, i3, i4, i7) = (index(IDX1), index(IDX3), index(IDX4), index(IDX7));
        let idx8 = cases.map(|c| (c, measures::index8_score(&c)));
        let officer_score = (item == Item::Officer && !suppressed)
            .then(|| {
                measures::officer_score(&OfficerIndices {
                    idx1: score(&i1),
                    idx3: score(&i3),
                    idx4: score(&i4),
                    idx7: score(&i7),
                })
            })
            .flatten()
            .map(|o| Score {
                total: o.total.as_f64(),
                with_data: o.with_data,
                of: measures::OFFICER_INDICES,
                band: o.band.map(|b| officer_band_code(b).to_string()),
                band_vi: o.band.map(|b| b.words().vi.to_string()),
                band_en: o.band.map(|b| b.words().en.to_string()),
            });
        let unit_total = (matches!(item, Item::Unit | Item::Scope) && !suppressed)
            .then(|| {
                let idx8 = idx8.map(|(_, s)| s);
                measures::unit_total(&[score(&i1), None, score(&i3), score(&i4), None, None, score(&i7), idx8, None])
            })
            .flatten()
            .map(|u| Score {
                total: u.total.as_f64(),
                with_data: u.with_data,
                of: measures::UNIT_INDICES,
                band: u.band.map(|b| unit_band_code(b).to_string()),
                band_vi: u.band.map(|b| b.words().vi.to_string()),
                band_en: u.band.map(|b| b.words().en.to_string()),
            });
        Figures {
            item,
            code: code.to_string(),
            name: name.to_string(),
            unit_code: unit_code.to_string(),
            unit_name: unit_name.to_string(),
            ratings,
            levels,
            satisfied: n(t.satisfied),
            dissatisfied: n(t.dissatisfied),
            with_case: n(t.with_case),
            suppressed,
            satisfaction_rate: shown(rate(t.satisfied, t.ratings)),
            wilson_lower: shown(measures::wilson_lower_bound(n(t.satisfied), ratings)),
            rank: None,
            rate_766_ratings: shown(outcomes.as_ref().and_then(measures::rate_766_over_ratings)),
            files: files.map(|(f, _)| f),
            rate_766_files: shown(over_files.map(|o| o.rate_766)),
            coverage: over_files.map(|o| o.coverage),
            ratings_exceed_files: over_files.is_some_and(|o| o.ratings_exceed_files),
            indices: Indices {
                idx1: show(i1),
                idx3: show(i3),
                idx4: show(i4),
                idx7: show(i7),
                idx8: idx8.map(|(c, s)| IndexScore {
                    points: c.on_time(),
                    files: c.handled(),
                    score: (!suppressed).then(|| s.as_f64()),
                }),
            },
            officer_score,
            unit_total,
            outside_hours: n(t.outside_hours),
        }
    }
}

fn officer_band_code(b: measures::OfficerBand) -> &'static str {
    match b {
        measures::OfficerBand::Full => "full",
        measures::OfficerBand::From70To100 => "from70",
        measures::OfficerBand::Below70 => "below70",
    }
}

fn unit_band_code(b: measures::UnitBand) -> &'static str {
    match b {
        measures::UnitBand::Excellent => "excellent",
        measures::UnitBand::Good => "good",
        measures::UnitBand::Fair => "fair",
        measures::UnitBand::Average => "average",
        measures::UnitBand::Poor => "poor",
    }
}

/// Ranks a list by the Wilson lower bound (measures::rank) and orders it: ranked first.
fn rank(list: &mut Vec<Figures>, min_count: u64) {
    let inputs: Vec<RankInput> =
        list.iter().map(|f| RankInput { code: &f.code, satisfied: f.satisfied, ratings: f.ratings }).collect();
    let order: Vec<(String, Option<u32>)> =
        measures::rank(&inputs, min_count).into_iter().map(|r| (r.code.to_string(), r.rank)).collect();
    let mut by_code: HashMap<String, Figures> = list.drain(..).map(|f| (f.code.clone(), f)).collect();
    for (code, rank) in order {
        if let Some(mut f) = by_code.remove(&code) {
            f.rank = rank;
            list.push(f);
        }
    }
}

/// The case part of a report, and index 8's counts per unit and for the scope.
struct CasePart {
    section: Cases,
    per_unit: HashMap<i64, CaseCounts>,
    total: CaseCounts,
}

#[allow(clippy::too_many_arguments)]
fn cases_section(
    s: &Services,
    org: &Org,
    scope: &ScopeUnits,
    req: &Request,
    cases: &[store::reports::CaseRow],
    events: &[store::reports::EventRow],
    start: DateTime<Utc>,
    end: DateTime<Utc>,
) -> CasePart {
    // The log comes ordered by case and sequence: each case's entries are one run of `entries`.
    let entries: Vec<Entry> = events
        .iter()
        .map(|e| Entry {
            at: e.at.and_utc(),
            kind: e.kind,
            facts: e.data.as_deref().map(Facts::parse).unwrap_or_default(),
        })
        .collect();
    let mut by_case: HashMap<i64, std::ops::Range<usize>> = HashMap::with_capacity(cases.len());
    let mut from = 0;
    for run in events.chunk_by(|a, b| a.case_id == b.case_id) {
        by_case.insert(run[0].case_id, from..from + run.len());
        from += run.len();
    }
    // Each handling unit's calendar, with a memo of its dates shared by every case it times.
    let cals = s.calendars();
    let cal_code = |case: &store::reports::CaseRow| {
        case.handler_unit_id.and_then(|u| org.unit(u)).and_then(|u| u.calendar.as_deref())
    };
    let calendars: HashMap<Option<&str>, std::sync::Arc<crate::domain::calendar::Calendar>> =
        cases.iter().map(|k| (cal_code(k), cals.for_unit(cal_code(k)))).collect();
    let memos: HashMap<Option<&str>, Memo> = calendars.iter().map(|(k, c)| (*k, Memo::new(c))).collect();
    let in_period = |t: DateTime<Utc>| t >= start && t < end;
    let mut out = Cases::default();
    let mut per_unit: HashMap<i64, CaseCounts> = HashMap::new();
    let mut total = CaseCounts::default();
    let mut by_category: BTreeMap<Category, BTreeMap<String, u64>> = BTreeMap::new();
    let (mut ack_hours, mut close_hours) = (Vec::new(), Vec::new());
    let in_scope: HashSet<i64> = scope.units.iter().copied().collect();
    for case in cases.iter().filter(|k| in_scope.contains(&k.unit_id)) {
        let log = by_case.get(&case.id).map_or(&[][..], |r| &entries[r.clone()]);
        let r = case_history::replay(log, end, &memos[&cal_code(case)]);
        let Some(status) = r.status else { continue };
        if in_period(case.created_at.and_utc()) {
            out.opened += 1;
            *by_category.entry(case.category).or_default().entry(status.as_str().to_string()).or_default() += 1;
            *out.by_status.entry(status.as_str().to_string()).or_default() += 1;
        }
        for a in r.acknowledgements.iter().filter(|a| in_period(a.at)) {
            out.acknowledged += 1;
            out.acknowledged_on_time += u64::from(a.on_time);
            ack_hours.push(a.working.num_seconds());
        }
        let closed_here: Vec<_> = r.closings.iter().filter(|a| in_period(a.at)).collect();
        for a in &closed_here {
            close_hours.push(a.working.num_seconds());
        }
        // Index 8: each case once, by its last closing in the period, if it is closed at the end.
        let counts = per_unit.entry(case.unit_id).or_default();
        if status.is_closed()
            && let Some(last) = closed_here.last()
        {
            out.closed += 1;
            out.closed_on_time += u64::from(last.on_time);
            counts.add_handled(last.on_time);
            total.add_handled(last.on_time);
        }
        if r.dragging {
            out.dragging += 1;
            counts.add_dragging();
            total.add_dragging();
        }
        out.escalations += r.escalations.iter().filter(|t| in_period(**t)).count() as u64;
        out.reopened += r.reopenings.iter().filter(|t| in_period(**t)).count() as u64;
        for (t, ok) in &r.verdicts {
            if in_period(*t) {
                if *ok {
                    out.answers_satisfied += 1;
                } else {
                    out.answers_not_satisfied += 1;
                }
            }
        }
        if let Some((deadline, due)) = r.overdue {
            if req.reader_officer_id.is_some() && case.officer_id == req.reader_officer_id {
                out.withheld_from_reader += 1;
                continue;
            }
            let (uc, un) = unit_names(org, case.unit_id);
            out.overdue.push(OverdueCase {
                number: store::cases::number_of(case.id, case.created_at),
                category: case.category.as_str().to_string(),
                category_vi: case.category.label(Lang::Vi).to_string(),
                category_en: case.category.label(Lang::En).to_string(),
                unit_code: uc,
                unit_name: un,
                deadline: deadline.as_str().to_string(),
                due: due.to_rfc3339(),
                due_local: crate::i18n::local_time(due, Lang::Vi),
                days_overdue: (end - due).num_days(),
            });
        }
    }
    out.overdue.sort_by(|a, b| b.days_overdue.cmp(&a.days_overdue).then(a.number.cmp(&b.number)));
    out.by_category = by_category
        .into_iter()
        .map(|(c, by_status)| CategoryCount {
            category: c.as_str().to_string(),
            label_vi: c.label(Lang::Vi).to_string(),
            label_en: c.label(Lang::En).to_string(),
            opened: by_status.values().sum(),
            by_status,
        })
        .collect();
    let pct = |n: u64, of: u64| (of > 0).then(|| n as f64 / of as f64);
    out.acknowledged_on_time_rate = pct(out.acknowledged_on_time, out.acknowledged);
    out.closed_on_time_rate = pct(out.closed_on_time, out.closed);
    out.hours_to_acknowledge = percentiles(&ack_hours);
    out.hours_to_close = percentiles(&close_hours);
    CasePart { section: out, per_unit, total }
}

/// Nearest-rank median and 90th percentile of working seconds, in hours with one decimal.
fn percentiles(seconds: &[i64]) -> Percentiles {
    let hours = |s: i64| (s as f64 / 360.0).round() / 10.0;
    Percentiles {
        count: seconds.len() as u64,
        median: measures::percentile(seconds, 50).map(hours),
        p90: measures::percentile(seconds, 90).map(hours),
    }
}

/// "4 xin, 4 luôn" and the other answers, with the survey's words.
pub(crate) fn behaviours(s: &Services, t: &Tally, min_count: u64) -> Behaviours {
    let n = |x: i64| x.max(0) as u64;
    let ratings = n(t.ratings);
    let share = |code: &str, vi: &str, en: &str, count: u64, of: u64| Share {
        code: code.to_string(),
        label_vi: vi.to_string(),
        label_en: en.to_string(),
        count,
        of,
        share: (of > 0 && !measures::suppressed(of, min_count)).then(|| count as f64 / of as f64),
    };
    let ticks = match &s.shape.ticks {
        Some((q, options)) => {
            let question = s.survey.question(q);
            options
                .iter()
                .enumerate()
                .map(|(i, v)| {
                    let o = question.and_then(|q| q.options.iter().find(|o| &o.value == v));
                    let (vi, en) = o.map(|o| (o.text.vi.as_str(), o.text.en.as_str())).unwrap_or((v, v));
                    share(v, vi, en, n(t.ticks[i]), ratings)
                })
                .collect()
        }
        None => Vec::new(),
    };
    // Index answers by points, with the words of the survey option that gives those points.
    let by_points = |index: u8, slot: usize| -> Vec<Share> {
        let q = s.survey.questions.iter().find(|q| q.index == Some(index));
        let answered: u64 = t.index[slot].iter().map(|&x| n(x)).sum();
        (0..=2)
            .rev()
            .map(|p| {
                let o = q.and_then(|q| q.options.iter().find(|o| o.points == Some(p)));
                let (code, vi, en) =
                    o.map(|o| (o.value.as_str(), o.text.vi.as_str(), o.text.en.as_str())).unwrap_or(("", "", ""));
                share(code, vi, en, n(t.index[slot][p as usize]), answered)
            })
            .collect()
    };
    let yes_no = s
        .shape
        .yes_no
        .iter()
        .enumerate()
        .map(|(i, id)| {
            let q = s.survey.question(id);
            let (vi, en) = q.map(|q| (q.text.vi.as_str(), q.text.en.as_str())).unwrap_or((id, id));
            share(id, vi, en, n(t.yes[i]), n(t.answered[i]))
        })
        .collect();
    Behaviours {
        ratings,
        ticks,
        on_time: by_points(1, IDX1),
        come_back: by_points(3, IDX3),
        other_offices: by_points(4, IDX4),
        yes_no,
    }
}

/// 12 months for the scope and each direct child unit (its whole subtree).
fn trend(org: &Org, scope: &ScopeUnits, months: &[Month], rows: &[(i32, i64, i64, i64)], min_count: u64) -> Trend {
    let index: HashMap<i32, usize> = months.iter().enumerate().map(|(i, m)| (m.number(), i)).collect();
    // Each unit's series: the child of the root it falls under.
    let mut owner: HashMap<i64, usize> = HashMap::new();
    for (k, child) in scope.children.iter().enumerate() {
        for u in org.subtree(*child) {
            owner.insert(u, k);
        }
    }
    let blank = |code: &str, name: &str| TrendSeries {
        code: code.to_string(),
        name: name.to_string(),
        ratings: vec![0; months.len()],
        satisfaction_rate: vec![None; months.len()],
    };
    let mut sat_scope = vec![0u64; months.len()];
    let mut scope_series = blank(&scope.code, &scope.name);
    let mut children: Vec<TrendSeries> = scope
        .children
        .iter()
        .map(|c| {
            let (code, name) = unit_names(org, *c);
            blank(&code, &name)
        })
        .collect();
    let mut sat_children = vec![vec![0u64; months.len()]; children.len()];
    let in_scope: HashSet<i64> = scope.units.iter().copied().collect();
    for &(month, unit, ratings, satisfied) in rows {
        let (Some(&i), true) = (index.get(&month), in_scope.contains(&unit)) else { continue };
        let (r, s) = (ratings.max(0) as u64, satisfied.max(0) as u64);
        scope_series.ratings[i] += r;
        sat_scope[i] += s;
        if let Some(&k) = owner.get(&unit) {
            children[k].ratings[i] += r;
            sat_children[k][i] += s;
        }
    }
    let rates = |ratings: &[u64], sat: &[u64]| -> Vec<Option<f64>> {
        ratings
            .iter()
            .zip(sat)
            .map(|(&n, &s)| (n > 0 && !measures::suppressed(n, min_count)).then(|| s as f64 / n as f64))
            .collect()
    };
    scope_series.satisfaction_rate = rates(&scope_series.ratings, &sat_scope);
    for (c, s) in children.iter_mut().zip(&sat_children) {
        c.satisfaction_rate = rates(&c.ratings, s);
    }
    // A child unit without a rating in twelve months (an office with no desk) has no series.
    children.retain(|c| c.ratings.iter().any(|&n| n > 0));
    Trend { months: months.to_vec(), scope: scope_series, children }
}

/// What the integrity signals are computed from.
enum SignalInput {
    /// The period's raw rows (the baseline).
    Rows(Vec<store::reports::SignalRow>),
    /// Counts summed by the database and the rollups (reports).
    Sums(SignalSums),
}

/// The signals' inputs without the period's full rows: rating times and browsers of each desk
/// (read from an index alone), and per desk the counters of the month rollups from which the top
/// ratings follow (`Tally::top`). All by desk, whatever unit a rating was given under, as the rows
/// are.
struct SignalSums {
    totals: Vec<(i64, Tally)>,
    /// (desk, time, browser key): see `store::reports::signal_points`.
    points: Vec<(i64, chrono::NaiveDateTime, Option<i64>)>,
}

/// Complaints the after-complaint signal looks at: cases about a desk other than a dissatisfied
/// rating's, received in the period or in the days just before it.
fn complaints<'a>(
    cases: &'a [store::reports::CaseRow],
    period: Period,
    rules: &signals::Rules,
) -> impl Iterator<Item = &'a store::reports::CaseRow> {
    let (start, _) = period.utc_bounds();
    let since = start - chrono::Duration::days(rules.after_complaint_days);
    cases.iter().filter(move |k| k.category != Category::Dissatisfied && k.created_at.and_utc() >= since)
}

fn signal_sums(c: &mut DbConn, desk_ids: &[i64], period: Period) -> Result<SignalSums> {
    let (start, end) = period.utc_bounds();
    Ok(SignalSums {
        totals: rollups::desk_totals(c, period.first.number(), period.last.number(), desk_ids)?,
        points: store::reports::signal_points(c, desk_ids, start.naive_utc(), end.naive_utc())?,
    })
}

/// The local days of a period, for the after-complaint signal.
fn period_days(period: Period) -> Vec<chrono::NaiveDate> {
    period.months().iter().flat_map(|m| m.first_day().iter_days().take_while(move |d| *d <= m.last_day())).collect()
}

/// Each desk's signal facts as far as the ratings alone give them (no cases, files or opening
/// hours yet), with the sorted rating times kept for the after-complaint signal.
struct DeskFacts {
    facts: HashMap<i64, signals::Facts>,
    times: HashMap<i64, Vec<DateTime<Utc>>>,
}

fn desk_facts(input: SignalInput, days: &[chrono::NaiveDate], rules: &signals::Rules) -> DeskFacts {
    let mut facts: HashMap<i64, signals::Facts> = HashMap::new();
    let mut times: HashMap<i64, Vec<DateTime<Utc>>> = HashMap::new();
    match input {
        SignalInput::Rows(rows) => {
            let mut per_desk: HashMap<i64, signals::DeskPeriod> = HashMap::new();
            for r in rows {
                let top = Scale::parse(&r.scale).unwrap_or_default().max() == r.overall;
                per_desk.entry(r.desk_id).or_default().points.push(signals::Point {
                    at: r.at.and_utc(),
                    top,
                    browser: r.browser_hash,
                });
            }
            for (id, mut dp) in per_desk {
                dp.days = days.to_vec();
                facts.insert(id, signals::Facts::of(&dp, rules));
            }
        }
        SignalInput::Sums(sums) => {
            let mut browsers: HashMap<i64, Vec<i64>> = HashMap::new();
            for (id, at, browser) in sums.points {
                times.entry(id).or_default().push(at.and_utc());
                if let Some(b) = browser {
                    browsers.entry(id).or_default().push(b);
                }
            }
            for (id, t) in times.iter_mut() {
                t.sort();
                let f = facts.entry(*id).or_default();
                f.total = t.len() as u64;
                f.bursts = signals::bursts(t, rules);
            }
            // Ratings per browser: runs of one key once sorted.
            for (id, mut keys) in browsers {
                keys.sort_unstable();
                facts.entry(id).or_default().repeats = keys
                    .chunk_by(|a, b| a == b)
                    .map(|run| run.len() as u64)
                    .filter(|&n| n >= rules.repeat_min as u64)
                    .collect();
            }
            for (id, t) in &sums.totals {
                facts.entry(*id).or_default().top = t.top().max(0) as u64;
            }
        }
    }
    DeskFacts { facts, times }
}

/// Integrity signals per desk.
#[allow(clippy::too_many_arguments)]
fn signals_section(
    org: &Org,
    desk_ids: &[i64],
    by_desk: &BTreeMap<i64, Tally>,
    desk_files: &HashMap<i64, u64>,
    desk_facts: DeskFacts,
    cases: &[store::reports::CaseRow],
    period: Period,
    days: &[chrono::NaiveDate],
    rules: &signals::Rules,
) -> Vec<Signal> {
    let mut complaints_of: HashMap<i64, Vec<DateTime<Utc>>> = HashMap::new();
    for k in complaints(cases, period, rules) {
        complaints_of.entry(k.desk_id).or_default().push(k.created_at.and_utc());
    }
    let DeskFacts { mut facts, times } = desk_facts;
    let mut out = Vec::new();
    for id in desk_ids {
        let Some(d) = org.desk(*id) else { continue };
        let mut f = facts.remove(id).unwrap_or_default();
        if f.total == 0 && !desk_files.contains_key(id) {
            continue;
        }
        f.outside_hours = by_desk.get(id).map(|t| t.outside_hours.max(0) as u64).unwrap_or(0);
        f.files = desk_files.get(id).copied();
        f.complaints = complaints_of.get(id).cloned().unwrap_or_default();
        // Ratings per day only where a complaint needs them (from the rows they are always there).
        if !f.complaints.is_empty() && f.per_day.is_empty() {
            f.per_day = signals::per_day(times.get(id).map(Vec::as_slice).unwrap_or(&[]), days);
        }
        for found in signals::find_in(&f, rules) {
            let m = found.kind.meaning();
            out.push(Signal {
                kind: found.kind.as_str().to_string(),
                desk_code: d.code.clone(),
                desk_name: d.name.clone(),
                unit_code: unit_names(org, d.unit_id).0,
                count: found.count,
                detail_vi: found.detail.vi,
                detail_en: found.detail.en,
                meaning_vi: m.vi,
                meaning_en: m.en,
            });
        }
    }
    out.sort_by(|a, b| a.desk_code.cmp(&b.desk_code).then(a.kind.cmp(&b.kind)));
    out
}

fn notes(
    summary: &Summary,
    ledger: Option<(i64, String, chrono::NaiveDateTime)>,
    files_entered: bool,
    min_count: u64,
) -> Notes {
    let f = &summary.figures;
    let mut with_data: Vec<u8> = Vec::new();
    for (k, present) in [
        (1, f.indices.idx1.is_some()),
        (3, f.indices.idx3.is_some()),
        (4, f.indices.idx4.is_some()),
        (7, f.indices.idx7.is_some()),
        (8, f.indices.idx8.is_some()),
    ] {
        if present {
            with_data.push(k);
        }
    }
    let list = with_data.iter().map(u8::to_string).collect::<Vec<_>>().join(", ");
    let mut lines = vec![
        t!(
            "Chỉ số theo Thông tư 01/2018/TT-VPCP có dữ liệu trong báo cáo này: {list}. Các chỉ số 2, 5, 6, 9 cần số liệu hailong không thu thập; tổng điểm đơn vị ghi kèm “(n/9 chỉ số)” và không xếp loại khi thiếu chỉ số.",
            "Circular 01/2018/TT-VPCP indices with data in this report: {list}. Indices 2, 5, 6 and 9 need facts hailong does not collect; a unit's total carries \"(n of 9 indices)\" and no band when indices are missing."
        ),
        t!(
            "Chỉ số 7: hồ sơ trễ hẹn mà không có phản ánh vẫn được 1 điểm; việc trễ hẹn đã tính ở chỉ số 1. Phản ánh được kết luận “không đúng sự thật” không làm giảm chỉ số 7.",
            "Index 7: a late file without a report still scores 1; the lateness counts in index 1. A report found untrue does not lower index 7."
        ),
        t!(
            "Tỷ lệ kiểu Quyết định 766 “tính trên số lượt đánh giá”: (lượt − lượt chưa hài lòng − lượt có phản ánh, mỗi lượt trừ một lần) / lượt. Tỷ lệ theo đúng Quyết định 766 tính trên số hồ sơ, coi hồ sơ không được đánh giá là hài lòng; chỉ có khi đơn vị nhập số hồ sơ đã giải quyết, kèm độ phủ (lượt đánh giá / hồ sơ).",
            "The Decision 766-style rate \"over ratings\": (ratings − not satisfied − ratings that opened a case, each counted once) / ratings. The rate exactly as Decision 766 defines it is over files and counts unrated files as satisfied; it appears only where a unit entered its files handled, beside the coverage (ratings / files)."
        ),
        t!(
            "Dưới {min_count} lượt đánh giá, quầy, cán bộ hoặc đơn vị ghi “chưa đủ dữ liệu” thay cho tỷ lệ, điểm và thứ hạng. Xếp hạng theo cận dưới khoảng tin cậy Wilson 95%, không theo tỷ lệ thô.",
            "Below {min_count} ratings a desk, officer or unit shows \"not enough data\" instead of a rate, score or rank. Rankings use the 95% Wilson lower bound, not the raw rate."
        ),
        t!(
            "Phản ánh tính theo nhật ký sự kiện đến hết kỳ báo cáo, nên báo cáo gửi qua thư, mở lại bằng đường dẫn hay chạy lại đều cho cùng kết quả.",
            "Cases are counted from the event log up to the period's end, so the emailed report, the link and a re-run agree."
        ),
    ];
    if !files_entered {
        lines.push(t!(
            "Chưa đơn vị nào nhập số hồ sơ đã giải quyết trong kỳ, nên không có tỷ lệ theo Quyết định 766 tính trên hồ sơ (nhập bằng lệnh hailong files set hoặc biểu mẫu trong thư báo cáo).",
            "No unit entered its files handled for the period, so the Decision 766 rate over files is unavailable (enter them with hailong files set or the form linked from the report email)."
        ));
    }
    let ledger_head = ledger.map(|(seq, hash, at)| LedgerHead { seq, hash, at: at.and_utc().to_rfc3339() });
    match &ledger_head {
        Some(h) => {
            let (seq, hash) = (h.seq, &h.hash);
            lines.push(t!(
                "Dấu kiểm nhật ký (audit ledger) cuối kỳ: số {seq}, mã băm {hash}. Kiểm tra về sau bằng lệnh hailong audit verify: không phản ánh nào bị xóa nếu mục này vẫn còn nguyên.",
                "Audit ledger head at the period's end: entry {seq}, hash {hash}. Check it later with hailong audit verify: no case was erased if this entry is still intact."
            ));
        }
        None => lines.push(t!(
            "Nhật ký chưa có mục nào trước cuối kỳ (chưa có phản ánh).",
            "The ledger has no entry before the period's end (no cases yet)."
        )),
    }
    Notes {
        indices_with_data: with_data,
        min_count,
        ledger_head,
        files_entered,
        lines_vi: lines.iter().map(|l| l.vi.clone()).collect(),
        lines_en: lines.into_iter().map(|l| l.en).collect(),
    }
}
