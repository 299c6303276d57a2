//! The working-time calendars in force: the built-in ones (`vn`, computed from the statute for every
//! year and also named `vn-2026`; `24x7`), the years' arrangements imported for `vn` and layered on
//! it, and whole calendars imported with `hailong calendar import` (which replace a built-in of the
//! same code, `vn` and its aliases excepted). Also what `calendar list` shows, and the warnings about
//! a year without an announced arrangement (start of `serve`, `/readyz`, `/metrics`, the operator's
//! email).

use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;
use std::path::Path;
use std::sync::Arc;

use chrono::{DateTime, Datelike, NaiveDate, Utc, Weekday};

use crate::domain::calendar::{self, Arrangement, Calendar, Checks, OffKind, Source, SpecialDay, VN, VN_ALIASES};
use crate::domain::lunar;
use crate::error::{Error, Result};
use crate::i18n::{Lang, Text};
use crate::service::Services;
use crate::store::{self, DbConn};
use crate::t;

/// Every calendar by code (aliases included), and which one units without their own use.
#[derive(Debug, Clone)]
pub struct Calendars {
    by_code: HashMap<String, Arc<Calendar>>,
    default: String,
}

impl Calendars {
    /// The built-in calendars, the stored arrangements layered on `vn` (a stored year replaces the
    /// built-in one), then the stored whole calendars. Stored rows were checked on import; one that
    /// no longer parses is logged and skipped, not fatal.
    pub fn load(conn: &mut DbConn, default: &str) -> Result<Calendars> {
        let mut vn = Calendar::vn();
        let mut stored: BTreeMap<i32, Arrangement> = BTreeMap::new();
        for row in store::calendars::arrangements(conn)? {
            let (code, year) = (row.calendar.clone(), row.year);
            match calendar::parse_file(&row.definition, |c| (c == vn.code).then_some(&vn), Checks::Stored) {
                Ok(file) => stored.extend(file.arrangements.into_iter().map(|a| (a.year, a))),
                Err(e) => tracing::error!(calendar = %code, year, error = ?e, "stored arrangement does not parse"),
            }
        }

        let mut whole = Vec::new();
        for (code, definition) in store::calendars::all(conn)? {
            match calendar::parse_calendars(&definition) {
                Ok(cals) => whole.extend(cals),
                Err(e) => tracing::error!(calendar = %code, error = ?e, "stored calendar does not parse"),
            }
        }
        // Before `vn`, `vn-2026` was a calendar of 2026 alone that an import could replace, often
        // with a copy of the example file. Left in force it would hide every later year again, so
        // its 2026 days become the 2026 arrangement (unless one was imported since).
        whole.retain(|c| {
            let reserved = c.code == VN || VN_ALIASES.contains(&c.code.as_str());
            if !reserved {
                return true;
            }
            if c.week != vn.week || c.tz != vn.tz {
                tracing::warn!(
                    calendar = %c.code,
                    "an imported calendar replaces the built-in {} with other office hours: it has only the days its file lists, not the statute's",
                    c.code
                );
                return true;
            }
            let days: BTreeMap<NaiveDate, SpecialDay> =
                c.days.iter().filter(|(d, _)| d.year() == 2026).map(|(d, r)| (*d, r.clone())).collect();
            if c.days.len() > days.len() {
                tracing::warn!(
                    calendar = %c.code,
                    "the imported calendar {} has days outside 2026; they are ignored: import them as [[arrangements]] of calendar {VN}",
                    c.code
                );
            }
            if !days.is_empty() && !stored.contains_key(&2026) {
                let source = format!("lịch {} đã nhập trước đây (imported before)", c.code);
                stored.insert(2026, Arrangement { calendar: VN.into(), year: 2026, source, days });
            }
            false
        });
        for a in stored.values() {
            if let Err(e) = vn.apply(a) {
                tracing::error!(calendar = %a.calendar, year = a.year, error = %e, "stored arrangement not applied");
            }
        }

        let mut by_code: HashMap<String, Arc<Calendar>> = HashMap::new();
        let vn = Arc::new(vn);
        for code in std::iter::once(VN).chain(VN_ALIASES.iter().copied()) {
            by_code.insert(code.to_string(), vn.clone());
        }
        by_code.insert(Calendar::always().code, Arc::new(Calendar::always()));
        for c in whole {
            by_code.insert(c.code.clone(), Arc::new(c));
        }
        Ok(Calendars { by_code, default: default.to_string() })
    }

    /// The calendar a unit uses: its own, else the default, else `vn`.
    pub fn for_unit(&self, code: Option<&str>) -> Arc<Calendar> {
        code.and_then(|c| self.by_code.get(c))
            .or_else(|| self.by_code.get(&self.default))
            .cloned()
            .unwrap_or_else(|| Arc::new(Calendar::vn()))
    }

    /// A calendar by code or alias.
    pub fn get(&self, code: &str) -> Option<&Arc<Calendar>> {
        self.by_code.get(code)
    }

    pub fn has(&self, code: &str) -> bool {
        self.by_code.contains_key(code)
    }

    /// Every code and alias, sorted.
    pub fn codes(&self) -> Vec<String> {
        let mut v: Vec<String> = self.by_code.keys().cloned().collect();
        v.sort();
        v
    }

    /// Each calendar once, by code, with its other names.
    pub fn distinct(&self) -> Vec<(Arc<Calendar>, Vec<String>)> {
        let mut out: BTreeMap<String, (Arc<Calendar>, Vec<String>)> = BTreeMap::new();
        for (name, cal) in &self.by_code {
            let entry = out.entry(cal.code.clone()).or_insert_with(|| (cal.clone(), Vec::new()));
            if *name != cal.code {
                entry.1.push(name.clone());
            }
        }
        out.into_values()
            .map(|(c, mut aliases)| {
                aliases.sort();
                (c, aliases)
            })
            .collect()
    }

    /// The code of the default calendar (never an alias).
    pub fn default_code(&self) -> Option<&str> {
        self.by_code.get(&self.default).map(|c| c.code.as_str())
    }
}

/// Checks that the configured default calendar exists.
pub fn check_default(cals: &Calendars) -> Result<()> {
    if cals.has(&cals.default) {
        return Ok(());
    }
    let (code, known) = (&cals.default, cals.codes().join(", "));
    Err(Error::Invalid(t!(
        "Khóa cấu hình `sla.default_calendar` = {code:?}: không có lịch này (có: {known})",
        "Configuration key `sla.default_calendar` = {code:?}: no such calendar (known: {known})"
    )))
}

// ───────────────────────────── Import ─────────────────────────────

/// What an import did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportSummary {
    /// Whole calendars by code, and whether each is new.
    pub calendars: Vec<(String, bool)>,
    pub arrangements: Vec<ImportedArrangement>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportedArrangement {
    pub calendar: String,
    pub year: i32,
    pub source: String,
    /// The source of the stored arrangement this one replaced.
    pub replaced: Option<String>,
}

impl ImportSummary {
    pub fn render(&self, lang: Lang) -> String {
        let mut out = String::new();
        for (code, created) in &self.calendars {
            let msg = if *created {
                t!("Đã thêm lịch {code}", "Added calendar {code}")
            } else {
                t!("Đã cập nhật lịch {code}", "Updated calendar {code}")
            };
            let _ = writeln!(out, "{}", msg.get(lang));
        }
        for a in &self.arrangements {
            let (code, year, source) = (&a.calendar, a.year, &a.source);
            let msg = match &a.replaced {
                None => t!(
                    "Đã thêm lịch nghỉ năm {year} cho lịch {code} ({source}); các năm khác không đổi",
                    "Added the {year} arrangement of calendar {code} ({source}); other years are unchanged"
                ),
                Some(old) => t!(
                    "Đã thay lịch nghỉ năm {year} của lịch {code}: trước đây {old:?}, nay {source:?}; các năm khác không đổi",
                    "Replaced the {year} arrangement of calendar {code}: was {old:?}, now {source:?}; other years are unchanged"
                ),
            };
            let _ = writeln!(out, "{}", msg.get(lang));
        }
        out
    }
}

/// Imports a calendar file: every whole calendar and year's arrangement in it, or nothing.
pub fn import_file(s: &Services, path: &Path) -> Result<ImportSummary> {
    let shown = path.display().to_string();
    let text = std::fs::read_to_string(path)
        .map_err(|e| Error::Invalid(t!("Không đọc được tệp {shown}: {e}", "Cannot read {shown}: {e}")))?;
    import_text(s, &text, &shown)
}

/// Imports a calendar file's text (`shown`: its name in messages); all or nothing.
pub fn import_text(s: &Services, text: &str, shown: &str) -> Result<ImportSummary> {
    let shown = shown.to_string();
    let cals = s.calendars();
    let file = calendar::parse_file(text, |c| cals.get(c).map(|c| &**c), Checks::Import).map_err(|errs| {
        Error::InvalidMany(
            errs.iter().map(|e| Text::new(e.render(&shown, Lang::Vi), e.render(&shown, Lang::En))).collect(),
        )
    })?;
    if file.calendars.is_empty() && file.arrangements.is_empty() {
        return Err(Error::Invalid(t!(
            "Tệp {shown} không có lịch ([[calendars]]) hay lịch nghỉ năm nào ([[arrangements]]); không có gì thay đổi",
            "{shown} has no calendar ([[calendars]]) and no year's arrangement ([[arrangements]]); nothing changed"
        )));
    }
    let rows: Vec<(String, String, String)> =
        file.calendars.iter().map(|c| (c.code.clone(), c.name.clone(), calendar::render_calendar(c))).collect();
    let now = store::now_utc();
    let arrangements: Vec<store::calendars::StoredArrangement> = file
        .arrangements
        .iter()
        .map(|a| store::calendars::StoredArrangement {
            calendar: a.calendar.clone(),
            year: a.year,
            source: a.source.clone(),
            definition: calendar::render_arrangement(a),
            imported_from: shown.clone(),
            imported_at: now,
        })
        .collect();
    let summary = s.db.write(move |c| {
        let mut calendars = Vec::new();
        for (code, name, def) in &rows {
            calendars.push((code.clone(), store::calendars::upsert(c, code, name, def, now)?));
        }
        let mut done = Vec::new();
        for a in &arrangements {
            let replaced = store::calendars::put_arrangement(c, a)?;
            done.push(ImportedArrangement {
                calendar: a.calendar.clone(),
                year: a.year,
                source: a.source.clone(),
                replaced,
            });
        }
        Ok(ImportSummary { calendars, arrangements: done })
    })?;
    s.reload_calendars()?;
    Ok(summary)
}

// ───────────────────────────── Listing ─────────────────────────────

/// What `calendar list` shows: each calendar with its days in some years.
#[derive(Debug, Clone)]
pub struct Listing {
    pub years: Vec<i32>,
    pub calendars: Vec<ListedCalendar>,
}

#[derive(Debug, Clone)]
pub struct ListedCalendar {
    pub code: String,
    pub name: String,
    pub aliases: Vec<String>,
    pub is_default: bool,
    /// Computed from the statute (the years it covers), or data only.
    pub statute_years: Option<(i32, i32)>,
    pub years: Vec<ListedYear>,
}

#[derive(Debug, Clone)]
pub struct ListedYear {
    pub year: i32,
    pub source: Source,
    pub days: Vec<(NaiveDate, SpecialDay)>,
}

/// The calendars in force with their days in `years`: the default first, then by code.
pub fn listing(s: &Services, years: &[i32]) -> Listing {
    let cals = s.calendars();
    let default = cals.default_code().map(str::to_string);
    let mut calendars: Vec<ListedCalendar> = cals
        .distinct()
        .into_iter()
        .map(|(cal, aliases)| ListedCalendar {
            code: cal.code.clone(),
            name: cal.name.clone(),
            aliases,
            is_default: default.as_deref() == Some(cal.code.as_str()),
            statute_years: cal.statute.as_ref().map(|s| (*s.years.start(), *s.years.end())),
            years: years
                .iter()
                .map(|&year| ListedYear {
                    year,
                    source: cal.source(year),
                    days: cal.days_in(year).map(|(d, r)| (*d, r.clone())).collect(),
                })
                .collect(),
        })
        .collect();
    calendars.sort_by_key(|c| !c.is_default);
    Listing { years: years.to_vec(), calendars }
}

impl Listing {
    pub fn render(&self, lang: Lang) -> String {
        let mut out = String::new();
        if self.calendars.is_empty() {
            out.push_str(t!("Không có lịch nào.", "There is no calendar.").get(lang));
            out.push('\n');
        }
        for c in &self.calendars {
            let mut notes = Vec::new();
            if c.is_default {
                notes.push(t!("mặc định", "default").get(lang).to_string());
            }
            if !c.aliases.is_empty() {
                let names = c.aliases.join(", ");
                notes.push(t!("tên khác: {names}", "also: {names}").get(lang).to_string());
            }
            if let Some((lo, hi)) = c.statute_years {
                notes.push(
                    t!("tính theo luật cho {lo}–{hi}", "computed from the statute for {lo}–{hi}").get(lang).to_string(),
                );
            }
            let notes = if notes.is_empty() { String::new() } else { format!(" [{}]", notes.join("; ")) };
            let _ = writeln!(out, "{} — {}{notes}", c.code, c.name);
            for y in &c.years {
                let year = y.year;
                let (heading, tag) = match &y.source {
                    Source::Statute => {
                        let (vi, en) = (calendar::STATUTE_CITATION, calendar::STATUTE_CITATION_EN);
                        (
                            t!(
                                "Năm {year} — theo luật: {vi} (chưa nhập lịch nghỉ được công bố của năm này)",
                                "{year} — statute: {en} (no announced arrangement imported for this year)"
                            ),
                            t!("luật", "statute"),
                        )
                    }
                    Source::Announcement(text) => (
                        t!("Năm {year} — theo thông báo: {text}", "{year} — announced: {text}"),
                        t!("thông báo", "announcement"),
                    ),
                    Source::CalendarFile => {
                        (t!("Năm {year} — theo tệp lịch", "{year} — from the calendar file"), t!("tệp lịch", "file"))
                    }
                    Source::Nothing => (
                        t!(
                            "Năm {year} — ngoài các năm lịch này tính theo luật",
                            "{year} — outside the years this calendar computes from the statute"
                        ),
                        t!("", ""),
                    ),
                };
                if y.days.is_empty() {
                    let none = match (&y.source, c.statute_years) {
                        (Source::Nothing, Some((lo, hi))) => t!(
                            "Năm {year}: ngoài các năm lịch này tính theo luật ({lo}–{hi}), nên không có ngày nghỉ lễ, nghỉ bù hay làm bù nào",
                            "{year}: outside the years this calendar computes from the statute ({lo}–{hi}), so no holiday, day off in lieu or swapped working day"
                        ),
                        _ => t!(
                            "Năm {year}: không có ngày nghỉ lễ, nghỉ bù hay làm bù nào",
                            "{year}: no holiday, day off in lieu or swapped working day"
                        ),
                    };
                    let _ = writeln!(out, "  {}", none.get(lang));
                    continue;
                }
                let _ = writeln!(out, "  {}", heading.get(lang));
                for (date, day) in &y.days {
                    let hours = match day {
                        SpecialDay::Working { hours: Some(h), .. } => {
                            format!(" ({})", h.iter().map(ToString::to_string).collect::<Vec<_>>().join(","))
                        }
                        _ => String::new(),
                    };
                    let _ = writeln!(
                        out,
                        "    {date}  {:<3}  {:<15}  {}{hours}  [{}]",
                        weekday(date.weekday(), lang),
                        kind_words(day).get(lang),
                        day.name(),
                        tag.get(lang)
                    );
                }
            }
        }
        out
    }
}

fn weekday(w: Weekday, lang: Lang) -> &'static str {
    const VI: [&str; 7] = ["T2", "T3", "T4", "T5", "T6", "T7", "CN"];
    const EN: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
    let i = w.num_days_from_monday() as usize;
    match lang {
        Lang::Vi => VI[i],
        Lang::En => EN[i],
    }
}

fn kind_words(day: &SpecialDay) -> Text {
    match day {
        SpecialDay::Off { kind: OffKind::Holiday, .. } => t!("nghỉ lễ", "holiday"),
        SpecialDay::Off { kind: OffKind::Compensatory, .. } => t!("nghỉ bù", "day off in lieu"),
        SpecialDay::Working { .. } => t!("làm bù", "working day"),
    }
}

// ───────────────────────────── Warnings ─────────────────────────────

/// A year that should have an announced arrangement by now and has none: its deadlines follow the
/// statute alone, whose Tết days the Prime Minister may well move.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MissingArrangement {
    pub calendar: String,
    pub year: i32,
    /// The statute's days of that year, what deadlines use meanwhile.
    pub statute_days: Vec<(NaiveDate, SpecialDay)>,
}

impl MissingArrangement {
    /// One paragraph: what is missing, what applies meanwhile, what to do.
    pub fn message(&self) -> Text {
        let (code, year) = (&self.calendar, self.year);
        let tet = lunar::tet(year);
        let near_tet: Vec<String> = self
            .statute_days
            .iter()
            .filter(|(d, day)| (*d - tet).num_days().abs() <= 10 && matches!(day, SpecialDay::Off { .. }))
            .map(|(d, _)| d.format("%d/%m").to_string())
            .collect();
        let tet_days = near_tet.join(", ");
        t!(
            "Lịch {code:?} chưa có lịch nghỉ được công bố cho năm {year}; thời hạn xử lý trong năm {year} đang tính theo Bộ luật Lao động 2019 (dịp Tết nghỉ {tet_days}). Khi lịch nghỉ năm {year} được công bố, hãy nhập bằng `hailong calendar import TỆP` ([[arrangements]], mẫu: calendars/vn-2026.toml).",
            "Calendar {code:?} has no announced arrangement for {year}; deadlines in {year} follow the Labour Code 2019 alone (days off around Tết: {tet_days}). When the {year} arrangement is announced, import it with `hailong calendar import FILE` ([[arrangements]], example: calendars/vn-2026.toml)."
        )
    }

    /// The operator's email: the message, then every day the statute gives that year.
    fn alert(&self) -> (Text, Text) {
        let (code, year) = (&self.calendar, self.year);
        let subject = t!("Lịch {code} chưa có lịch nghỉ năm {year}", "Calendar {code} has no arrangement for {year}");
        let mut body = self.message();
        let (vi, en) = (calendar::STATUTE_CITATION, calendar::STATUTE_CITATION_EN);
        let _ = write!(body.vi, "\n\nCác ngày theo luật ({vi}):");
        let _ = write!(body.en, "\n\nThe statute's days ({en}):");
        for (date, day) in &self.statute_days {
            for lang in [Lang::Vi, Lang::En] {
                let line = format!(
                    "\n  {date} {} — {}: {}",
                    weekday(date.weekday(), lang),
                    kind_words(day).get(lang),
                    day.name()
                );
                match lang {
                    Lang::Vi => body.vi.push_str(&line),
                    Lang::En => body.en.push_str(&line),
                }
            }
        }
        (subject, body)
    }
}

/// The calendars computed from the statute that are in use (the default, and those units name),
/// each with the years due at `now` ([`Calendar::arrangements_due`]) and whether each has an
/// arrangement.
pub fn arrangements_due(s: &Services, now: DateTime<Utc>) -> Result<Vec<(Arc<Calendar>, i32, bool)>> {
    let cals = s.calendars();
    let named = s.db.read(store::calendars::unit_calendars)?;
    let mut in_use: BTreeMap<String, Arc<Calendar>> = BTreeMap::new();
    let default = std::iter::once(cals.for_unit(None));
    for cal in default.chain(named.iter().filter_map(|c| cals.get(c).cloned())) {
        in_use.insert(cal.code.clone(), cal);
    }
    let mut out = Vec::new();
    for cal in in_use.into_values() {
        let today = now.with_timezone(&cal.tz).date_naive();
        for (year, announced) in cal.arrangements_due(today) {
            out.push((cal.clone(), year, announced));
        }
    }
    Ok(out)
}

/// The years in use that should have an announced arrangement at `now` and have none.
pub fn missing_arrangements(s: &Services, now: DateTime<Utc>) -> Result<Vec<MissingArrangement>> {
    Ok(arrangements_due(s, now)?
        .into_iter()
        .filter(|(_, _, announced)| !announced)
        .map(|(cal, year, _)| MissingArrangement {
            calendar: cal.code.clone(),
            year,
            statute_days: cal.days_in(year).map(|(d, r)| (*d, r.clone())).collect(),
        })
        .collect())
}

/// Tells the operator by email about each missing arrangement, once per calendar and year whatever
/// the restarts or instances (the outbox key). Returns how many emails were queued now.
pub fn alert_missing_arrangements(s: &Services, now: DateTime<Utc>) -> Result<usize> {
    let mut queued = 0;
    for m in missing_arrangements(s, now)? {
        let key = format!("calendar:{}:{}:arrangement_missing", m.calendar, m.year);
        let (subject, body) = m.alert();
        let config = s.config.clone();
        if s.db.write(move |c| crate::service::alerts::to_operator(c, &config, &key, None, &subject, &body, now))? {
            queued += 1;
        }
    }
    Ok(queued)
}
