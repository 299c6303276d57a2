//! The organisation file (`hailong org import` / `org export`): TOML with `[[units]]`,
//! `[[officers]]`, `[[desks]]` and `[[roster]]`. Parsing checks each row; planning merges the file
//! into the current organisation and checks the result as a whole (references, cycles, one head per
//! unit). Errors name the line and field; the importer writes nothing unless the plan has none.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt::Write as _;

use chrono::NaiveDate;
use serde::Deserialize;
use toml::Spanned;

use crate::domain::hours::{DEFAULT_HOURS, DaySet, TimeRange, WeeklyHours};
use crate::domain::org::{self, DeskSpec, OfficerSpec, OrgSpec, Role, RosterSpec, UnitSpec};
use crate::i18n::{Lang, Text};
use crate::t;
use crate::toml_errors::{self, line_of};

type S<T> = Spanned<T>;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FileDoc {
    #[serde(default)]
    units: Vec<S<UnitRow>>,
    #[serde(default)]
    officers: Vec<S<OfficerRow>>,
    #[serde(default)]
    desks: Vec<S<DeskRow>>,
    #[serde(default)]
    roster: Vec<S<RosterRow>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct UnitRow {
    code: S<String>,
    name: S<String>,
    kind: S<String>,
    parent: Option<S<String>>,
    email: Option<S<String>>,
    oversight: Option<S<String>>,
    calendar: Option<S<String>>,
    active: Option<bool>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct OfficerRow {
    code: S<String>,
    name: S<String>,
    title: Option<S<String>>,
    email: Option<S<String>>,
    unit: S<String>,
    role: Option<S<String>>,
    lang: Option<S<String>>,
    active: Option<bool>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct DeskRow {
    code: S<String>,
    name: S<String>,
    unit: S<String>,
    location: Option<S<String>>,
    hours: Option<S<String>>,
    active: Option<bool>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RosterRow {
    desk: S<String>,
    officer: S<String>,
    days: Option<S<String>>,
    time: Option<S<String>>,
    from: Option<S<String>>,
    until: Option<S<String>>,
    active: Option<bool>,
}

/// One problem in the file, at a line when we know it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileError {
    pub line: Option<usize>,
    pub message: Text,
}

impl FileError {
    /// `FILE:LINE: message` in the reader's language.
    pub fn render(&self, file: &str, lang: Lang) -> String {
        match self.line {
            Some(l) => format!("{file}:{l}: {}", self.message.get(lang)),
            None => format!("{file}: {}", self.message.get(lang)),
        }
    }

    pub fn to_text(&self, file: &str) -> Text {
        Text::new(self.render(file, Lang::Vi), self.render(file, Lang::En))
    }
}

/// Where each row and field of a section is in the file.
#[derive(Debug, Clone, Default)]
struct RowLines {
    row: usize,
    fields: HashMap<&'static str, usize>,
}

impl RowLines {
    fn of(&self, field: &str) -> usize {
        self.fields.get(field).copied().unwrap_or(self.row)
    }
}

/// A parsed file: the rows it describes, and where they are.
#[derive(Debug, Clone)]
pub struct ParsedFile {
    pub spec: OrgSpec,
    unit_lines: Vec<RowLines>,
    officer_lines: Vec<RowLines>,
    desk_lines: Vec<RowLines>,
    roster_lines: Vec<RowLines>,
}

const SEC_UNITS: &str = "[[units]]";
const SEC_OFFICERS: &str = "[[officers]]";
const SEC_DESKS: &str = "[[desks]]";
const SEC_ROSTER: &str = "[[roster]]";

/// "[[officers]] #7 (code "X"), field `email`: …"
fn at(section: &str, index: usize, code: &str, field: &str, what: Text) -> Text {
    let n = index + 1;
    let (vi_field, en_field) = if field.is_empty() {
        (String::new(), String::new())
    } else {
        (format!(", trường `{field}`"), format!(", field `{field}`"))
    };
    let (vi_code, en_code) = if code.is_empty() {
        (String::new(), String::new())
    } else {
        (format!(" (mã {code:?})"), format!(" (code {code:?})"))
    };
    Text::new(
        format!("{section} thứ {n}{vi_code}{vi_field}: {}", what.vi),
        format!("{section} #{n}{en_code}{en_field}: {}", what.en),
    )
}

struct Collector<'a> {
    text: &'a str,
    errors: Vec<FileError>,
}

impl Collector<'_> {
    fn line<T>(&self, s: &S<T>) -> usize {
        line_of(self.text, s.span().start)
    }

    fn push(&mut self, line: usize, message: Text) {
        self.errors.push(FileError { line: Some(line), message });
    }
}

/// An optional text field: absent and empty mean the same.
fn opt(s: &Option<S<String>>) -> Option<String> {
    s.as_ref().map(|v| v.get_ref().trim().to_string()).filter(|v| !v.is_empty())
}

/// Parses and checks each row on its own. Errors from all rows are returned together.
pub fn parse(text: &str) -> Result<ParsedFile, Vec<FileError>> {
    match parse_lenient(text)? {
        (parsed, errors) if errors.is_empty() => Ok(parsed),
        (_, errors) => Err(errors),
    }
}

/// Like [`parse`], but rows with errors are still returned (with the errors), so the importer can
/// also report what the file's references get wrong in the same run. Only a TOML syntax or
/// structure error stops here.
pub fn parse_lenient(text: &str) -> Result<(ParsedFile, Vec<FileError>), Vec<FileError>> {
    let doc: FileDoc = toml_errors::from_str(text).map_err(|problems| {
        problems.into_iter().map(|p| FileError { line: p.line, message: p.message }).collect::<Vec<_>>()
    })?;
    let mut c = Collector { text, errors: Vec::new() };
    let mut spec = OrgSpec::default();
    let (mut unit_lines, mut officer_lines, mut desk_lines, mut roster_lines) = (vec![], vec![], vec![], vec![]);

    let mut seen: HashMap<String, usize> = HashMap::new();
    for (i, row) in doc.units.iter().enumerate() {
        let r = row.get_ref();
        let code = r.code.get_ref().trim().to_string();
        let mut lines = RowLines { row: c.line(row), ..Default::default() };
        lines.fields.insert("code", c.line(&r.code));
        lines.fields.insert("name", c.line(&r.name));
        lines.fields.insert("kind", c.line(&r.kind));
        for (f, v) in
            [("parent", &r.parent), ("email", &r.email), ("oversight", &r.oversight), ("calendar", &r.calendar)]
        {
            if let Some(v) = v {
                lines.fields.insert(f, c.line(v));
            }
        }
        check_code_field(&mut c, SEC_UNITS, i, &code, "code", lines.of("code"), &mut seen);
        check_text_field(&mut c, SEC_UNITS, i, &code, "name", r.name.get_ref(), 300, lines.of("name"));
        check_text_field(&mut c, SEC_UNITS, i, &code, "kind", r.kind.get_ref(), 100, lines.of("kind"));
        let unit = UnitSpec {
            code: code.clone(),
            name: r.name.get_ref().trim().to_string(),
            kind: r.kind.get_ref().trim().to_string(),
            parent: opt(&r.parent),
            email: opt(&r.email),
            oversight: opt(&r.oversight),
            calendar: opt(&r.calendar),
            active: r.active.unwrap_or(true),
        };
        if let Some(e) = &unit.email
            && let Err(m) = org::check_email(e)
        {
            c.push(lines.of("email"), at(SEC_UNITS, i, &code, "email", m));
        }
        if unit.parent.as_deref() == Some(code.as_str()) {
            c.push(
                lines.of("parent"),
                at(
                    SEC_UNITS,
                    i,
                    &code,
                    "parent",
                    t!("một đơn vị không thể là cha của chính nó", "a unit cannot be its own parent"),
                ),
            );
        }
        if unit.oversight.as_deref() == Some(code.as_str()) {
            c.push(
                lines.of("oversight"),
                at(
                    SEC_UNITS,
                    i,
                    &code,
                    "oversight",
                    t!("một đơn vị không thể tự giám sát chính nó", "a unit cannot be its own oversight unit"),
                ),
            );
        }
        spec.units.push(unit);
        unit_lines.push(lines);
    }

    let mut seen: HashMap<String, usize> = HashMap::new();
    for (i, row) in doc.officers.iter().enumerate() {
        let r = row.get_ref();
        let code = r.code.get_ref().trim().to_string();
        let mut lines = RowLines { row: c.line(row), ..Default::default() };
        lines.fields.insert("code", c.line(&r.code));
        lines.fields.insert("name", c.line(&r.name));
        lines.fields.insert("unit", c.line(&r.unit));
        for (f, v) in [("title", &r.title), ("email", &r.email), ("role", &r.role), ("lang", &r.lang)] {
            if let Some(v) = v {
                lines.fields.insert(f, c.line(v));
            }
        }
        check_code_field(&mut c, SEC_OFFICERS, i, &code, "code", lines.of("code"), &mut seen);
        check_text_field(&mut c, SEC_OFFICERS, i, &code, "name", r.name.get_ref(), 200, lines.of("name"));
        let title = opt(&r.title).unwrap_or_default();
        if !title.is_empty() {
            check_text_field(&mut c, SEC_OFFICERS, i, &code, "title", &title, 200, lines.of("title"));
        }
        let role_text = opt(&r.role).unwrap_or_else(|| "staff".into());
        let role = Role::parse(&role_text).unwrap_or_else(|| {
            c.push(
                lines.of("role"),
                at(
                    SEC_OFFICERS,
                    i,
                    &code,
                    "role",
                    t!(
                        "vai trò {role_text:?} không hợp lệ: dùng head, deputy hoặc staff",
                        "role {role_text:?} is not valid: use head, deputy or staff"
                    ),
                ),
            );
            Role::Staff
        });
        let lang_text = opt(&r.lang).unwrap_or_else(|| "vi".into());
        let lang = match lang_text.as_str() {
            "vi" => Lang::Vi,
            "en" => Lang::En,
            _ => {
                c.push(
                    lines.of("lang"),
                    at(
                        SEC_OFFICERS,
                        i,
                        &code,
                        "lang",
                        t!(
                            "ngôn ngữ {lang_text:?} không hợp lệ: dùng vi hoặc en",
                            "language {lang_text:?} is not valid: use vi or en"
                        ),
                    ),
                );
                Lang::Vi
            }
        };
        let officer = OfficerSpec {
            code: code.clone(),
            name: r.name.get_ref().trim().to_string(),
            title,
            email: opt(&r.email),
            unit: r.unit.get_ref().trim().to_string(),
            role,
            lang,
            active: r.active.unwrap_or(true),
        };
        if let Some(e) = &officer.email
            && let Err(m) = org::check_email(e)
        {
            c.push(lines.of("email"), at(SEC_OFFICERS, i, &code, "email", m));
        }
        spec.officers.push(officer);
        officer_lines.push(lines);
    }

    let mut seen: HashMap<String, usize> = HashMap::new();
    for (i, row) in doc.desks.iter().enumerate() {
        let r = row.get_ref();
        let code = r.code.get_ref().trim().to_string();
        let mut lines = RowLines { row: c.line(row), ..Default::default() };
        lines.fields.insert("code", c.line(&r.code));
        lines.fields.insert("name", c.line(&r.name));
        lines.fields.insert("unit", c.line(&r.unit));
        for (f, v) in [("location", &r.location), ("hours", &r.hours)] {
            if let Some(v) = v {
                lines.fields.insert(f, c.line(v));
            }
        }
        check_code_field(&mut c, SEC_DESKS, i, &code, "code", lines.of("code"), &mut seen);
        check_text_field(&mut c, SEC_DESKS, i, &code, "name", r.name.get_ref(), 300, lines.of("name"));
        let location = opt(&r.location).unwrap_or_default();
        if !location.is_empty() {
            check_text_field(&mut c, SEC_DESKS, i, &code, "location", &location, 300, lines.of("location"));
        }
        let hours_text = opt(&r.hours).unwrap_or_else(|| DEFAULT_HOURS.into());
        let hours = match hours_text.parse::<WeeklyHours>() {
            Ok(h) => h.to_string(),
            Err(m) => {
                c.push(lines.of("hours"), at(SEC_DESKS, i, &code, "hours", m));
                hours_text
            }
        };
        spec.desks.push(DeskSpec {
            code,
            name: r.name.get_ref().trim().to_string(),
            unit: r.unit.get_ref().trim().to_string(),
            location,
            hours,
            active: r.active.unwrap_or(true),
        });
        desk_lines.push(lines);
    }

    for (i, row) in doc.roster.iter().enumerate() {
        let r = row.get_ref();
        let mut lines = RowLines { row: c.line(row), ..Default::default() };
        lines.fields.insert("desk", c.line(&r.desk));
        lines.fields.insert("officer", c.line(&r.officer));
        for (f, v) in [("days", &r.days), ("time", &r.time), ("from", &r.from), ("until", &r.until)] {
            if let Some(v) = v {
                lines.fields.insert(f, c.line(v));
            }
        }
        let days = match opt(&r.days) {
            None => String::new(),
            Some(d) => match d.parse::<DaySet>() {
                Ok(set) => set.to_string(),
                Err(m) => {
                    c.push(lines.of("days"), at(SEC_ROSTER, i, "", "days", m));
                    d
                }
            },
        };
        let time = match opt(&r.time) {
            None => String::new(),
            Some(tm) => match tm.parse::<TimeRange>() {
                Ok(range) => range.to_string(),
                Err(m) => {
                    c.push(lines.of("time"), at(SEC_ROSTER, i, "", "time", m));
                    tm
                }
            },
        };
        let mut date = |field: &'static str, v: &Option<S<String>>| -> Option<NaiveDate> {
            let s = opt(v)?;
            match NaiveDate::parse_from_str(&s, "%Y-%m-%d") {
                Ok(d) => Some(d),
                Err(_) => {
                    c.push(
                        lines.of(field),
                        at(
                            SEC_ROSTER,
                            i,
                            "",
                            field,
                            t!(
                                "ngày {s:?} không hợp lệ (dạng 2026-01-31)",
                                "date {s:?} is not valid (write 2026-01-31)"
                            ),
                        ),
                    );
                    None
                }
            }
        };
        let from = date("from", &r.from);
        let until = date("until", &r.until);
        if let (Some(f), Some(u)) = (from, until)
            && f > u
        {
            c.push(
                lines.of("until"),
                at(
                    SEC_ROSTER,
                    i,
                    "",
                    "until",
                    t!("ngày kết thúc {u} trước ngày bắt đầu {f}", "end date {u} is before start date {f}"),
                ),
            );
        }
        let entry = RosterSpec {
            desk: r.desk.get_ref().trim().to_string(),
            officer: r.officer.get_ref().trim().to_string(),
            days,
            time,
            from,
            until,
            active: r.active.unwrap_or(true),
        };
        if let Some(j) = spec.roster.iter().position(|e: &RosterSpec| e.same_entry(&entry)) {
            let first = roster_lines.get(j).map(|l: &RowLines| l.row).unwrap_or(0);
            c.push(
                lines.row,
                at(SEC_ROSTER, i, "", "", t!("trùng với mục ở dòng {first}", "repeats the entry at line {first}")),
            );
        }
        spec.roster.push(entry);
        roster_lines.push(lines);
    }

    Ok((ParsedFile { spec, unit_lines, officer_lines, desk_lines, roster_lines }, c.errors))
}

#[allow(clippy::too_many_arguments)]
fn check_code_field(
    c: &mut Collector,
    section: &str,
    i: usize,
    code: &str,
    field: &str,
    line: usize,
    seen: &mut HashMap<String, usize>,
) {
    if let Err(m) = org::check_code(code) {
        c.push(line, at(section, i, "", field, m));
        return;
    }
    if let Some(first) = seen.get(code) {
        c.push(
            line,
            at(
                section,
                i,
                code,
                field,
                t!("mã bị trùng, đã dùng ở dòng {first}", "duplicate code, already used at line {first}"),
            ),
        );
    } else {
        seen.insert(code.to_string(), line);
    }
}

#[allow(clippy::too_many_arguments)]
fn check_text_field(
    c: &mut Collector,
    section: &str,
    i: usize,
    code: &str,
    field: &str,
    value: &str,
    max: usize,
    line: usize,
) {
    if let Err(m) = org::check_text(value, max) {
        c.push(line, at(section, i, code, field, m));
    }
}

/// What an import will write, and counts for the operator.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImportPlan {
    /// Units to insert or update, in file order.
    pub units: Vec<UnitSpec>,
    /// Officers to insert or update; those losing a head role come first so the database's
    /// one-head-per-unit index holds after every statement.
    pub officers: Vec<OfficerSpec>,
    pub desks: Vec<DeskSpec>,
    /// Roster entries to insert, or whose `active` flag changes.
    pub roster: Vec<RosterSpec>,
    pub summary: Summary,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    pub created: usize,
    pub updated: usize,
    pub deactivated: usize,
    pub unchanged: usize,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Summary {
    pub units: Counts,
    pub officers: Counts,
    pub desks: Counts,
    pub roster: Counts,
}

impl Summary {
    pub fn is_noop(&self) -> bool {
        [self.units, self.officers, self.desks, self.roster].iter().all(|c| c.created + c.updated + c.deactivated == 0)
    }

    pub fn render(&self, lang: Lang) -> String {
        let mut s = String::new();
        for (vi, en, c) in [
            ("đơn vị", "units", self.units),
            ("cán bộ", "officers", self.officers),
            ("quầy", "desks", self.desks),
            ("lịch trực", "roster entries", self.roster),
        ] {
            let _ = match lang {
                Lang::Vi => writeln!(
                    s,
                    "{vi}: {} mới, {} cập nhật, {} ngừng hoạt động, {} không đổi",
                    c.created, c.updated, c.deactivated, c.unchanged
                ),
                Lang::En => writeln!(
                    s,
                    "{en}: {} created, {} updated, {} deactivated, {} unchanged",
                    c.created, c.updated, c.deactivated, c.unchanged
                ),
            };
        }
        s
    }
}

/// Merges the file into the current organisation, checks the result as a whole and returns what
/// to write. With `deactivate_missing`, rows absent from the file are deactivated.
/// `calendars`: the calendar codes that exist (built in and imported).
pub fn plan(
    file: &ParsedFile,
    current: &OrgSpec,
    deactivate_missing: bool,
    calendars: &[String],
) -> Result<ImportPlan, Vec<FileError>> {
    let f = &file.spec;
    let mut errors: Vec<FileError> = Vec::new();
    let err = |line: Option<usize>, message: Text| FileError { line, message };

    // The organisation after the import, keyed by code.
    let mut units: BTreeMap<String, UnitSpec> = current.units.iter().map(|u| (u.code.clone(), u.clone())).collect();
    let mut officers: BTreeMap<String, OfficerSpec> =
        current.officers.iter().map(|o| (o.code.clone(), o.clone())).collect();
    let mut desks: BTreeMap<String, DeskSpec> = current.desks.iter().map(|d| (d.code.clone(), d.clone())).collect();
    if deactivate_missing {
        let (fu, fo, fd): (HashSet<&str>, HashSet<&str>, HashSet<&str>) = (
            f.units.iter().map(|u| u.code.as_str()).collect(),
            f.officers.iter().map(|o| o.code.as_str()).collect(),
            f.desks.iter().map(|d| d.code.as_str()).collect(),
        );
        units.values_mut().filter(|u| !fu.contains(u.code.as_str())).for_each(|u| u.active = false);
        officers.values_mut().filter(|o| !fo.contains(o.code.as_str())).for_each(|o| o.active = false);
        desks.values_mut().filter(|d| !fd.contains(d.code.as_str())).for_each(|d| d.active = false);
    }
    for u in &f.units {
        units.insert(u.code.clone(), u.clone());
    }
    for o in &f.officers {
        officers.insert(o.code.clone(), o.clone());
    }
    for d in &f.desks {
        desks.insert(d.code.clone(), d.clone());
    }
    // Where a code is defined in the file, to point errors about it at its line.
    let unit_line: HashMap<&str, usize> =
        f.units.iter().zip(&file.unit_lines).map(|(u, l)| (u.code.as_str(), l.row)).collect();
    let officer_line: HashMap<&str, usize> =
        f.officers.iter().zip(&file.officer_lines).map(|(o, l)| (o.code.as_str(), l.row)).collect();
    let desk_line: HashMap<&str, usize> =
        f.desks.iter().zip(&file.desk_lines).map(|(d, l)| (d.code.as_str(), l.row)).collect();

    // References from the file's rows.
    let unknown_unit = |code: &str| {
        t!(
            "không có đơn vị mã {code:?} trong tệp hay trong cơ sở dữ liệu",
            "no unit with code {code:?} in the file or the database"
        )
    };
    for (i, (u, l)) in f.units.iter().zip(&file.unit_lines).enumerate() {
        for (field, value) in [("parent", &u.parent), ("oversight", &u.oversight)] {
            if let Some(code) = value
                && !units.contains_key(code)
            {
                errors.push(err(Some(l.of(field)), at(SEC_UNITS, i, &u.code, field, unknown_unit(code))));
            }
        }
    }
    for (i, (u, l)) in f.units.iter().zip(&file.unit_lines).enumerate() {
        if let Some(code) = &u.calendar
            && !calendars.contains(code)
        {
            let known = calendars.join(", ");
            errors.push(err(
                Some(l.of("calendar")),
                at(
                    SEC_UNITS,
                    i,
                    &u.code,
                    "calendar",
                    t!(
                        "không có lịch làm việc {code:?} (có: {known}; nhập thêm bằng hailong calendar import)",
                        "no working calendar {code:?} (known: {known}; import one with hailong calendar import)"
                    ),
                ),
            ));
        }
    }
    for (i, (o, l)) in f.officers.iter().zip(&file.officer_lines).enumerate() {
        if !units.contains_key(&o.unit) {
            errors.push(err(Some(l.of("unit")), at(SEC_OFFICERS, i, &o.code, "unit", unknown_unit(&o.unit))));
        }
    }
    for (i, (d, l)) in f.desks.iter().zip(&file.desk_lines).enumerate() {
        if !units.contains_key(&d.unit) {
            errors.push(err(Some(l.of("unit")), at(SEC_DESKS, i, &d.code, "unit", unknown_unit(&d.unit))));
        }
    }
    for (i, (r, l)) in f.roster.iter().zip(&file.roster_lines).enumerate() {
        if !desks.contains_key(&r.desk) {
            let code = &r.desk;
            errors.push(err(
                Some(l.of("desk")),
                at(SEC_ROSTER, i, "", "desk", t!("không có quầy mã {code:?}", "no desk with code {code:?}")),
            ));
        }
        if !officers.contains_key(&r.officer) {
            let code = &r.officer;
            errors.push(err(
                Some(l.of("officer")),
                at(SEC_ROSTER, i, "", "officer", t!("không có cán bộ mã {code:?}", "no officer with code {code:?}")),
            ));
        }
    }

    // Cycles in the tree: follow parents from every unit the file touches.
    let mut reported: HashSet<String> = HashSet::new();
    for (i, (u, l)) in f.units.iter().zip(&file.unit_lines).enumerate() {
        let mut path = vec![u.code.clone()];
        let mut cur = u.parent.clone();
        while let Some(p) = cur {
            if p == u.code {
                path.push(p);
                if path.iter().all(|c| !reported.contains(c)) {
                    reported.extend(path.iter().cloned());
                    let chain = path.join(" → ");
                    errors.push(err(
                        Some(l.of("parent")),
                        at(
                            SEC_UNITS,
                            i,
                            &u.code,
                            "parent",
                            t!("cây đơn vị bị vòng lặp: {chain}", "the unit tree has a cycle: {chain}"),
                        ),
                    ));
                }
                break;
            }
            if path.contains(&p) || path.len() > units.len() {
                break; // a cycle not through this unit; reported from one of its members
            }
            path.push(p.clone());
            cur = units.get(&p).and_then(|x| x.parent.clone());
        }
    }

    // Active rows must hang under active units.
    for u in units.values().filter(|u| u.active) {
        if let Some(p) = u.parent.as_ref().and_then(|p| units.get(p))
            && !p.active
        {
            let (code, parent) = (&u.code, &p.code);
            let line = unit_line.get(code.as_str()).or(unit_line.get(parent.as_str())).copied();
            errors.push(err(
                line,
                t!(
                    "đơn vị {code:?} đang hoạt động nhưng đơn vị cha {parent:?} ngừng hoạt động",
                    "unit {code:?} is active but its parent {parent:?} is inactive"
                ),
            ));
        }
    }
    for o in officers.values().filter(|o| o.active) {
        if units.get(&o.unit).is_some_and(|u| !u.active) {
            let (code, unit) = (&o.code, &o.unit);
            let line = officer_line.get(code.as_str()).or(unit_line.get(unit.as_str())).copied();
            errors.push(err(
                line,
                t!(
                    "cán bộ {code:?} đang hoạt động nhưng đơn vị {unit:?} ngừng hoạt động",
                    "officer {code:?} is active but unit {unit:?} is inactive"
                ),
            ));
        }
    }
    for d in desks.values().filter(|d| d.active) {
        if units.get(&d.unit).is_some_and(|u| !u.active) {
            let (code, unit) = (&d.code, &d.unit);
            let line = desk_line.get(code.as_str()).or(unit_line.get(unit.as_str())).copied();
            errors.push(err(
                line,
                t!(
                    "quầy {code:?} đang hoạt động nhưng đơn vị {unit:?} ngừng hoạt động",
                    "desk {code:?} is active but unit {unit:?} is inactive"
                ),
            ));
        }
    }

    // At most one active head per unit.
    let mut heads: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for o in officers.values().filter(|o| o.active && o.role == Role::Head) {
        heads.entry(o.unit.as_str()).or_default().push(o.code.as_str());
    }
    for (unit, codes) in heads.iter().filter(|(_, c)| c.len() > 1) {
        let list = codes.iter().map(|c| format!("{c:?}")).collect::<Vec<_>>().join(", ");
        let role_line: HashMap<&str, usize> =
            f.officers.iter().zip(&file.officer_lines).map(|(o, l)| (o.code.as_str(), l.of("role"))).collect();
        let line = codes.iter().filter_map(|c| role_line.get(c)).max().copied();
        errors.push(err(
            line,
            t!(
                "đơn vị {unit:?} có hơn một thủ trưởng đang hoạt động: {list}",
                "unit {unit:?} has more than one active head: {list}"
            ),
        ));
    }

    if !errors.is_empty() {
        errors.sort_by_key(|e| e.line.unwrap_or(usize::MAX));
        return Err(errors);
    }

    // What changes.
    let mut plan = ImportPlan::default();
    let cur_units: HashMap<&str, &UnitSpec> = current.units.iter().map(|u| (u.code.as_str(), u)).collect();
    for u in units.values() {
        match cur_units.get(u.code.as_str()) {
            None => {
                plan.summary.units.created += 1;
                plan.units.push(u.clone());
            }
            Some(old) if *old == u => plan.summary.units.unchanged += 1,
            Some(old) => {
                if old.active && !u.active {
                    plan.summary.units.deactivated += 1;
                } else {
                    plan.summary.units.updated += 1;
                }
                plan.units.push(u.clone());
            }
        }
    }
    let cur_officers: HashMap<&str, &OfficerSpec> = current.officers.iter().map(|o| (o.code.as_str(), o)).collect();
    let mut promoted = Vec::new();
    for o in officers.values() {
        let is_head = o.active && o.role == Role::Head;
        let changed = match cur_officers.get(o.code.as_str()) {
            None => {
                plan.summary.officers.created += 1;
                true
            }
            Some(old) if *old == o => {
                plan.summary.officers.unchanged += 1;
                false
            }
            Some(old) => {
                if old.active && !o.active {
                    plan.summary.officers.deactivated += 1;
                } else {
                    plan.summary.officers.updated += 1;
                }
                true
            }
        };
        if changed {
            if is_head { promoted.push(o.clone()) } else { plan.officers.push(o.clone()) }
        }
    }
    plan.officers.extend(promoted);
    let cur_desks: HashMap<&str, &DeskSpec> = current.desks.iter().map(|d| (d.code.as_str(), d)).collect();
    for d in desks.values() {
        match cur_desks.get(d.code.as_str()) {
            None => {
                plan.summary.desks.created += 1;
                plan.desks.push(d.clone());
            }
            Some(old) if *old == d => plan.summary.desks.unchanged += 1,
            Some(old) => {
                if old.active && !d.active {
                    plan.summary.desks.deactivated += 1;
                } else {
                    plan.summary.desks.updated += 1;
                }
                plan.desks.push(d.clone());
            }
        }
    }
    for r in &f.roster {
        match current.roster.iter().find(|c| c.same_entry(r)) {
            None => {
                plan.summary.roster.created += 1;
                plan.roster.push(r.clone());
            }
            Some(old) if old.active == r.active => plan.summary.roster.unchanged += 1,
            Some(old) => {
                if old.active {
                    plan.summary.roster.deactivated += 1;
                } else {
                    plan.summary.roster.updated += 1;
                }
                plan.roster.push(r.clone());
            }
        }
    }
    for old in &current.roster {
        if f.roster.iter().any(|r| r.same_entry(old)) {
            continue;
        }
        if deactivate_missing && old.active {
            plan.summary.roster.deactivated += 1;
            plan.roster.push(RosterSpec { active: false, ..old.clone() });
        } else {
            plan.summary.roster.unchanged += 1;
        }
    }
    Ok(plan)
}

/// Writes an organisation in the import format: units parents first, officers and desks grouped
/// by unit in the same order, then the roster.
pub fn render(org: &OrgSpec) -> String {
    let mut out = String::new();
    out.push_str("# hailong — tệp tổ chức (organisation file). Nhập lại bằng: hailong org import FILE\n");

    // Depth-first from the roots, children by code, so parents always come first.
    let mut children: BTreeMap<Option<&str>, Vec<&UnitSpec>> = BTreeMap::new();
    let codes: HashSet<&str> = org.units.iter().map(|u| u.code.as_str()).collect();
    for u in &org.units {
        let parent = u.parent.as_deref().filter(|p| codes.contains(p));
        children.entry(parent).or_default().push(u);
    }
    for v in children.values_mut() {
        v.sort_by(|a, b| a.code.cmp(&b.code));
    }
    let mut ordered: Vec<&UnitSpec> = Vec::new();
    let mut stack: Vec<&UnitSpec> = children.get(&None).map(|v| v.iter().rev().copied().collect()).unwrap_or_default();
    while let Some(u) = stack.pop() {
        ordered.push(u);
        if let Some(kids) = children.get(&Some(u.code.as_str())) {
            stack.extend(kids.iter().rev().copied());
        }
    }
    let rank: HashMap<&str, usize> = ordered.iter().enumerate().map(|(i, u)| (u.code.as_str(), i)).collect();

    out.push_str("\n# ── Đơn vị (units) ──\n");
    for u in &ordered {
        out.push_str("\n[[units]]\n");
        kv(&mut out, "code", &u.code);
        kv(&mut out, "name", &u.name);
        kv(&mut out, "kind", &u.kind);
        opt_kv(&mut out, "parent", u.parent.as_deref());
        opt_kv(&mut out, "email", u.email.as_deref());
        opt_kv(&mut out, "oversight", u.oversight.as_deref());
        opt_kv(&mut out, "calendar", u.calendar.as_deref());
        active_kv(&mut out, u.active);
    }

    let mut officers: Vec<&OfficerSpec> = org.officers.iter().collect();
    officers.sort_by_key(|o| (rank.get(o.unit.as_str()).copied().unwrap_or(usize::MAX), o.code.clone()));
    out.push_str("\n# ── Cán bộ (officers) ──\n");
    for o in officers {
        out.push_str("\n[[officers]]\n");
        kv(&mut out, "code", &o.code);
        kv(&mut out, "name", &o.name);
        opt_kv(&mut out, "title", Some(o.title.as_str()).filter(|t| !t.is_empty()));
        opt_kv(&mut out, "email", o.email.as_deref());
        kv(&mut out, "unit", &o.unit);
        kv(&mut out, "role", o.role.as_str());
        if o.lang != Lang::Vi {
            kv(&mut out, "lang", o.lang.code());
        }
        active_kv(&mut out, o.active);
    }

    let mut desks: Vec<&DeskSpec> = org.desks.iter().collect();
    desks.sort_by_key(|d| (rank.get(d.unit.as_str()).copied().unwrap_or(usize::MAX), d.code.clone()));
    out.push_str("\n# ── Quầy tiếp nhận (desks) ──\n");
    for d in desks {
        out.push_str("\n[[desks]]\n");
        kv(&mut out, "code", &d.code);
        kv(&mut out, "name", &d.name);
        kv(&mut out, "unit", &d.unit);
        opt_kv(&mut out, "location", Some(d.location.as_str()).filter(|l| !l.is_empty()));
        kv(&mut out, "hours", &d.hours);
        active_kv(&mut out, d.active);
    }

    let mut roster: Vec<&RosterSpec> = org.roster.iter().collect();
    roster.sort_by(|a, b| {
        (&a.desk, &a.officer, a.from, &a.days, &a.time).cmp(&(&b.desk, &b.officer, b.from, &b.days, &b.time))
    });
    out.push_str("\n# ── Lịch trực (roster) ──\n");
    for r in roster {
        out.push_str("\n[[roster]]\n");
        kv(&mut out, "desk", &r.desk);
        kv(&mut out, "officer", &r.officer);
        opt_kv(&mut out, "days", Some(r.days.as_str()).filter(|s| !s.is_empty()));
        opt_kv(&mut out, "time", Some(r.time.as_str()).filter(|s| !s.is_empty()));
        opt_kv(&mut out, "from", r.from.map(|d| d.to_string()).as_deref());
        opt_kv(&mut out, "until", r.until.map(|d| d.to_string()).as_deref());
        active_kv(&mut out, r.active);
    }
    out
}

fn kv(out: &mut String, key: &str, value: &str) {
    // toml's own string writer escapes quotes, backslashes and control characters.
    let _ = writeln!(out, "{key} = {}", toml::Value::String(value.to_string()));
}

fn opt_kv(out: &mut String, key: &str, value: Option<&str>) {
    if let Some(v) = value {
        kv(out, key, v);
    }
}

fn active_kv(out: &mut String, active: bool) {
    if !active {
        out.push_str("active = false\n");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SMALL: &str = r#"
[[units]]
code = "P"
name = "UBND tỉnh"
kind = "UBND tỉnh"

[[units]]
code = "C"
name = "UBND xã A"
kind = "UBND xã"
parent = "P"
email = "a@x.example"
oversight = "NV"

[[units]]
code = "NV"
name = "Sở Nội vụ"
kind = "Sở"
parent = "P"

[[officers]]
code = "C-01"
name = "Nguyễn Văn An"
title = "Chủ tịch UBND xã"
email = "an@x.example"
unit = "C"
role = "head"

[[officers]]
code = "C-02"
name = "Trần Thị Bình"
unit = "C"

[[desks]]
code = "MC-C"
name = "Bộ phận Một cửa xã A"
unit = "C"
hours = "T2-T6 07:30-11:30,13:30-17:00; T7 07:30-11:30"

[[roster]]
desk = "MC-C"
officer = "C-02"
days = "Mon,Tue,Wed"
time = "07:30-11:30"
from = "2026-01-01"
"#;

    fn cals() -> Vec<String> {
        vec!["vn-2026".into(), "24x7".into()]
    }

    fn plan_of(text: &str, current: &OrgSpec) -> Result<ImportPlan, Vec<FileError>> {
        plan(&parse(text)?, current, false, &cals())
    }

    fn apply(current: &OrgSpec, plan: &ImportPlan) -> OrgSpec {
        let mut o = current.clone();
        for u in &plan.units {
            o.units.retain(|x| x.code != u.code);
            o.units.push(u.clone());
        }
        for x in &plan.officers {
            o.officers.retain(|y| y.code != x.code);
            o.officers.push(x.clone());
        }
        for x in &plan.desks {
            o.desks.retain(|y| y.code != x.code);
            o.desks.push(x.clone());
        }
        for x in &plan.roster {
            o.roster.retain(|y| !y.same_entry(x));
            o.roster.push(x.clone());
        }
        o
    }

    fn first_error(text: &str, current: &OrgSpec) -> FileError {
        match plan_of(text, current) {
            Ok(_) => panic!("expected an error for:\n{text}"),
            Err(e) => e[0].clone(),
        }
    }

    #[test]
    fn valid_file_plans_and_round_trips() {
        let p = plan_of(SMALL, &OrgSpec::default()).unwrap();
        assert_eq!(p.summary.units.created, 3);
        assert_eq!(p.summary.officers.created, 2);
        let org = apply(&OrgSpec::default(), &p);
        assert_eq!(org.desks[0].hours, "Mon-Fri 07:30-11:30,13:30-17:00; Sat 07:30-11:30");
        assert_eq!(org.officers.iter().find(|o| o.code == "C-02").unwrap().role, Role::Staff);
        // Export, re-parse: the same organisation.
        let text = render(&org);
        let again = parse(&text).unwrap().spec;
        assert_eq!(again.normalized(), org.normalized());
        // Parents come before children in the export.
        assert!(text.find("code = \"P\"").unwrap() < text.find("code = \"C\"").unwrap());
        // Re-import is a no-op.
        let p2 = plan_of(&text, &org).unwrap();
        assert!(p2.summary.is_noop(), "{:?}", p2.summary);
        assert!(p2.units.is_empty() && p2.officers.is_empty() && p2.desks.is_empty() && p2.roster.is_empty());
    }

    #[test]
    fn each_kind_of_error_is_specific_and_located() {
        let empty = OrgSpec::default();
        let cases: Vec<(String, &str, usize)> = vec![
            (SMALL.replace("parent = \"P\"\nemail", "parent = \"Q\"\nemail"), "no unit with code \"Q\"", 11),
            (SMALL.replace("an@x.example", "an-at-x"), "not a valid email", 25),
            (SMALL.replace("code = \"NV\"", "code = \"C\""), "duplicate code, already used at line 8", 16),
            (
                SMALL.replace(
                    "name = \"Trần Thị Bình\"\nunit = \"C\"",
                    "name = \"Trần Thị Bình\"\nunit = \"C\"\nrole = \"head\"",
                ),
                "more than one active head",
                33,
            ),
            (SMALL.replace("kind = \"UBND tỉnh\"", "kind = \"UBND tỉnh\"\nparent = \"C\""), "cycle: P → C → P", 6),
            (SMALL.replace("hours = \"T2-T6", "hours = \"T2-X6"), "field `hours`", 38),
            (SMALL.replace("role = \"head\"", "role = \"boss\""), "role \"boss\"", 27),
            (
                SMALL.replace("[[roster]]\ndesk = \"MC-C\"", "[[roster]]\ndesk = \"MC-X\""),
                "no desk with code \"MC-X\"",
                41,
            ),
            (SMALL.replace("from = \"2026-01-01\"", "from = \"2026-13-01\""), "date \"2026-13-01\"", 45),
            (SMALL.replace("code = \"C-02\"", "code = \"C 02\""), "code \"C 02\" is not valid", 30),
            (SMALL.replace("oversight = \"NV\"", "oversight = \"C\""), "its own oversight", 13),
            (SMALL.replace("code = \"MC-C\"", "code = \"MC-C\"\ncolour = \"red\""), "unknown field `colour`", 36),
            (
                SMALL.replace("oversight = \"NV\"", "oversight = \"NV\"\ncalendar = \"mars\""),
                "no working calendar \"mars\"",
                14,
            ),
            (SMALL.replace("name = \"Sở Nội vụ\"\n", ""), "missing field `name`", 15),
            ("[[units]\ncode = 1".to_string(), "", 1),
        ];
        for (text, needle, line) in cases {
            let e = first_error(&text, &empty);
            assert!(e.message.en.contains(needle), "expected {needle:?}, got {:?}", e.message.en);
            assert_eq!(e.line, Some(line), "line for {needle:?}: {}", e.render("f.toml", Lang::En));
            assert!(!e.message.vi.is_empty());
        }
    }

    /// A file with several TOML mistakes: every one is listed, in Vietnamese, with its key and line.
    #[test]
    fn every_toml_problem_of_the_file_is_listed() {
        let text = SMALL
            .replacen("name = \"Sở Nội vụ\"\n", "name = \"Sở Nội vụ\"\nname = \"Sở Nội vụ 2\"\n", 1)
            .replacen("code = \"MC-C\"\n", "code = \"MC-C\"\ncode = \"MC-D\"\n", 1);
        let errors = parse(&text).unwrap_err();
        assert_eq!(errors.len(), 2, "{errors:#?}");
        let shown: Vec<String> = errors.iter().map(|e| e.render("org.toml", Lang::Vi)).collect();
        assert!(
            shown[0].starts_with("org.toml:18: [[units]], khóa `name`: khóa bị trùng")
                && shown[0].contains("lần đầu ở dòng 17"),
            "{shown:#?}"
        );
        assert!(
            shown[1].contains(": [[desks]], khóa `code`: khóa bị trùng") && shown[1].contains("(toml: duplicate key)"),
            "{shown:#?}"
        );
        // Structure problems too: an unknown key in one row and a wrong type in another.
        let text = SMALL.replacen("code = \"MC-C\"", "code = \"MC-C\"\ncolour = \"red\"", 1).replacen(
            "role = \"head\"",
            "role = \"head\"\nactive = \"yes\"",
            1,
        );
        let errors = parse(&text).unwrap_err();
        let en: Vec<String> = errors.iter().map(|e| e.render("org.toml", Lang::En)).collect();
        assert_eq!(errors.len(), 2, "{en:#?}");
        assert!(
            en[0].contains("[[officers]], key `active`: invalid type: string \"yes\", expected a boolean"),
            "{en:#?}"
        );
        assert!(en[1].contains("[[desks]], key `colour`: unknown field `colour`"), "{en:#?}");
    }

    #[test]
    fn heads_are_checked_against_the_database() {
        let org = apply(&OrgSpec::default(), &plan_of(SMALL, &OrgSpec::default()).unwrap());
        // A new head for C in a file that does not mention the old one: two heads.
        let text = "[[officers]]\ncode = \"C-09\"\nname = \"Lê Văn Chín\"\nunit = \"C\"\nrole = \"head\"\n";
        let e = first_error(text, &org);
        assert!(e.message.en.contains("\"C-01\", \"C-09\""), "{}", e.message.en);
        // Swapping heads in one file works, and the old head is written first.
        let swap = "[[officers]]\ncode = \"C-02\"\nname = \"Trần Thị Bình\"\nunit = \"C\"\nrole = \"head\"\n\n[[officers]]\ncode = \"C-01\"\nname = \"Nguyễn Văn An\"\nunit = \"C\"\nrole = \"deputy\"\n";
        let p = plan_of(swap, &org).unwrap();
        assert_eq!(p.officers.iter().map(|o| o.code.as_str()).collect::<Vec<_>>(), ["C-01", "C-02"]);
    }

    #[test]
    fn deactivate_missing_and_active_consistency() {
        let org = apply(&OrgSpec::default(), &plan_of(SMALL, &OrgSpec::default()).unwrap());
        // Only the province and Nội vụ in the file: the commune, its officers, desk and roster go inactive.
        let text = "[[units]]\ncode = \"P\"\nname = \"UBND tỉnh\"\nkind = \"UBND tỉnh\"\n\n[[units]]\ncode = \"NV\"\nname = \"Sở Nội vụ\"\nkind = \"Sở\"\nparent = \"P\"\n";
        let p = plan(&parse(text).unwrap(), &org, true, &cals()).unwrap();
        assert_eq!(p.summary.units.deactivated, 1);
        assert_eq!(p.summary.officers.deactivated, 2);
        assert_eq!(p.summary.desks.deactivated, 1);
        assert_eq!(p.summary.roster.deactivated, 1);
        // Without the flag, absent rows stay as they are.
        let p = plan(&parse(text).unwrap(), &org, false, &cals()).unwrap();
        assert!(p.summary.is_noop());
        // Deactivating a unit that still has an active officer from the file is refused.
        let bad = SMALL.replace("oversight = \"NV\"", "oversight = \"NV\"\nactive = false");
        let e = first_error(&bad, &OrgSpec::default());
        assert!(e.message.en.contains("is inactive"), "{}", e.message.en);
    }
}
