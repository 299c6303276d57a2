//! Files (hồ sơ) handled per desk and month, which a unit enters for the Decision 766 rate over
//! files: from the command line, a CSV import (all or nothing) or the form behind the monthly
//! email's link. Never required; every setting is kept (`files_handled_log`).

use std::collections::HashMap;

use chrono::{DateTime, Utc};

use super::links;
use crate::domain::period::Month;
use crate::error::{Error, Result};
use crate::i18n::Text;
use crate::service::Services;
use crate::store;
use crate::t;

/// One desk-month to set.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub desk: String,
    pub month: Month,
    pub files: i64,
}

/// What a setting did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Set {
    pub entry: Entry,
    /// The value it replaced.
    pub previous: Option<i64>,
}

/// Checks a count and a month: N ≥ 0, and not a month that has not begun.
fn check(month: Month, files: i64, now: DateTime<Utc>) -> std::result::Result<(), Text> {
    if files < 0 {
        return Err(t!(
            "số hồ sơ phải từ 0 trở lên, không phải {files}",
            "the number of files must be 0 or more, not {files}"
        ));
    }
    if month > Month::of(now) {
        let m = month.to_string();
        return Err(t!("tháng {m} chưa bắt đầu", "the month {m} has not begun"));
    }
    Ok(())
}

/// Sets entries in one transaction: all, or none when any is wrong. `source` says where they
/// came from (`cli`, `import:FILE`, `link:ID`); `allowed` limits the desks (a link's scope).
fn set_all(
    s: &Services,
    entries: Vec<(String, Entry)>,
    source: &str,
    allowed: Option<Vec<i64>>,
    now: DateTime<Utc>,
) -> Result<Vec<Set>> {
    let source = source.to_string();
    s.db.write(move |c| {
        let mut problems: Vec<Text> = Vec::new();
        let mut resolved = Vec::new();
        for (place, e) in &entries {
            let desk = store::org::desk_by_code(c, &e.desk)?;
            let code = &e.desk;
            let problem = match (&desk, check(e.month, e.files, now)) {
                (None, _) => Some(t!("không có quầy mã {code:?}", "there is no desk with code {code:?}")),
                (Some(d), _) if allowed.as_ref().is_some_and(|a| !a.contains(&d.id)) => {
                    Some(t!("quầy {code:?} không thuộc báo cáo này", "desk {code:?} is not part of this report"))
                }
                (_, Err(m)) => Some(m),
                (Some(d), Ok(())) => {
                    resolved.push((d.id, e.clone()));
                    None
                }
            };
            if let Some(p) = problem {
                let (vi, en) = (p.vi, p.en);
                problems.push(t!("{place}{vi}", "{place}{en}"));
            }
        }
        if !problems.is_empty() {
            let vi = problems.iter().map(|p| p.vi.as_str()).collect::<Vec<_>>().join("\n");
            let en = problems.iter().map(|p| p.en.as_str()).collect::<Vec<_>>().join("\n");
            return Err(Error::Invalid(t!("Không có gì được ghi:\n{vi}", "Nothing was written:\n{en}")));
        }
        let mut out = Vec::new();
        for (desk_id, e) in resolved {
            let previous = store::reports::set_files(c, desk_id, e.month.number(), e.files, &source, now.naive_utc())?;
            out.push(Set { entry: e, previous });
        }
        Ok(out)
    })
}

/// `hailong files set DESK --month YYYY-MM --count N`.
pub fn set(s: &Services, desk: &str, month: Month, files: i64, now: DateTime<Utc>) -> Result<Set> {
    let e = Entry { desk: desk.trim().to_string(), month, files };
    Ok(set_all(s, vec![(String::new(), e)], "cli", None, now)?.remove(0))
}

/// `hailong files import FILE.csv`: header `desk,month,files`, one row per desk-month; all rows or
/// none, every problem named by its line.
pub fn import(s: &Services, file_name: &str, text: &str, now: DateTime<Utc>) -> Result<Vec<Set>> {
    let entries = parse_csv(text)?;
    set_all(s, entries, &format!("import:{file_name}"), None, now)
}

fn parse_csv(text: &str) -> Result<Vec<(String, Entry)>> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut lines = text.lines().enumerate().filter(|(_, l)| !l.trim().is_empty());
    let header: Vec<String> = match lines.next() {
        Some((_, h)) => h.split(',').map(|x| x.trim().to_ascii_lowercase()).collect(),
        None => {
            return Err(Error::Invalid(t!(
                "Tệp trống: cần dòng tiêu đề desk,month,files",
                "The file is empty: it needs the header desk,month,files"
            )));
        }
    };
    if header != ["desk", "month", "files"] {
        let got = header.join(",");
        return Err(Error::Invalid(t!(
            "Dòng 1: tiêu đề phải là desk,month,files (đang là {got})",
            "Line 1: the header must be desk,month,files (it is {got})"
        )));
    }
    let mut problems = Vec::new();
    let mut out = Vec::new();
    let mut seen: HashMap<(String, Month), usize> = HashMap::new();
    for (i, line) in lines {
        let n = i + 1;
        let cells: Vec<&str> = line.split(',').map(str::trim).collect();
        if cells.len() != 3 {
            let k = cells.len();
            problems.push(t!("Dòng {n}: cần 3 cột, có {k}", "Line {n}: 3 columns needed, found {k}"));
            continue;
        }
        let month = match Month::parse(cells[1]) {
            Ok(m) => m,
            Err(e) => {
                let (vi, en) = (e.vi, e.en);
                problems.push(t!("Dòng {n}: {vi}", "Line {n}: {en}"));
                continue;
            }
        };
        let Ok(files) = cells[2].parse::<i64>() else {
            let v = cells[2];
            problems.push(t!(
                "Dòng {n}: số hồ sơ {v:?} không phải số nguyên",
                "Line {n}: files {v:?} is not a whole number"
            ));
            continue;
        };
        if let Some(first) = seen.insert((cells[0].to_string(), month), n) {
            problems.push(t!(
                "Dòng {n}: trùng quầy và tháng với dòng {first}",
                "Line {n}: same desk and month as line {first}"
            ));
            continue;
        }
        out.push((format!("Dòng {n} / line {n}: "), Entry { desk: cells[0].to_string(), month, files }));
    }
    if !problems.is_empty() {
        let vi = problems.iter().map(|p| p.vi.as_str()).collect::<Vec<_>>().join("\n");
        let en = problems.iter().map(|p| p.en.as_str()).collect::<Vec<_>>().join("\n");
        return Err(Error::Invalid(t!("Không có gì được ghi:\n{vi}", "Nothing was written:\n{en}")));
    }
    Ok(out)
}

/// The desks a monthly report link may enter files for, with what is entered now.
#[derive(Debug, Clone)]
pub struct FilesForm {
    pub month: Month,
    pub scope_name: String,
    /// (desk code, desk name, unit name, files entered, ratings in the month)
    pub desks: Vec<(String, String, String, Option<i64>, u64)>,
}

/// The files form of a monthly report link (GET: reads only).
pub fn form(s: &Services, token: &str, now: DateTime<Utc>) -> Result<Option<FilesForm>> {
    let links::Opened::Monthly(report, _) = links::open(s, token, "files", now)? else { return Ok(None) };
    let month = report.period.first;
    let entered: HashMap<i64, i64> =
        s.db.read(|c| store::reports::files(c, month.number(), month.number()))?
            .into_iter()
            .map(|(d, _, n)| (d, n))
            .collect();
    let all = s.db.read(store::reports::all_desks)?;
    let desks = report
        .desks
        .iter()
        .map(|d| {
            let id = all.iter().find(|x| x.code == d.code).map(|x| x.id);
            (
                d.code.clone(),
                d.name.clone(),
                d.unit_name.clone(),
                id.and_then(|id| entered.get(&id).copied()),
                d.ratings,
            )
        })
        .collect();
    Ok(Some(FilesForm { month, scope_name: report.scope.name.clone(), desks }))
}

/// The files form posted: (desk code, value as typed); empty values are left as they are.
pub fn submit_form(s: &Services, token: &str, values: &[(String, String)], now: DateTime<Utc>) -> Result<Vec<Set>> {
    let link = links::for_post(s, token, "files", now)?;
    let kind = links::Kind::parse(&link.kind);
    let (Some(kind @ (links::Kind::Monthly | links::Kind::MonthlyOversight)), Some(month)) =
        (kind, Month::from_number(link.period))
    else {
        return Err(Error::Invalid(t!(
            "Đường dẫn này không dùng để nhập số hồ sơ",
            "This link is not for entering files"
        )));
    };
    let org = s.db.read(super::monthly::Org::load)?;
    let scope = links::scope_of(&org, kind, link.unit_id)?;
    let allowed: Vec<i64> = org.desks.iter().filter(|d| scope.units.contains(&d.unit_id)).map(|d| d.id).collect();
    let mut entries = Vec::new();
    let mut problems = Vec::new();
    for (desk, value) in values {
        let v = value.trim().replace(['.', ' '], "");
        if v.is_empty() {
            continue;
        }
        match v.parse::<i64>() {
            Ok(files) => entries.push((format!("{desk}: "), Entry { desk: desk.clone(), month, files })),
            Err(_) => {
                problems.push(t!("{desk}: {value:?} không phải số nguyên", "{desk}: {value:?} is not a whole number"))
            }
        }
    }
    if !problems.is_empty() {
        let vi = problems.iter().map(|p| p.vi.as_str()).collect::<Vec<_>>().join("\n");
        let en = problems.iter().map(|p| p.en.as_str()).collect::<Vec<_>>().join("\n");
        return Err(Error::Invalid(t!("Không có gì được ghi:\n{vi}", "Nothing was written:\n{en}")));
    }
    set_all(s, entries, &format!("link:{}", link.id), Some(allowed), now)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_problems_are_named_by_line_and_nothing_is_kept() {
        let ok = parse_csv("\u{feff}desk,month,files\nMC-A,2026-10,120\n\nMC-B,2026-10,0\n").unwrap();
        assert_eq!(ok.len(), 2);
        assert_eq!(ok[1].1, Entry { desk: "MC-B".into(), month: Month::parse("2026-10").unwrap(), files: 0 });
        let e = parse_csv(
            "desk,month,files\nMC-A,2026-13,5\nMC-B,2026-10,x\nMC-C,2026-10\nMC-A,2026-10,1\nMC-A,2026-10,2\n",
        )
        .unwrap_err()
        .to_string();
        for expected in ["Dòng 2", "Dòng 3", "Dòng 4: cần 3 cột", "Dòng 6: trùng quầy và tháng với dòng 5"]
        {
            assert!(e.contains(expected), "{expected} in {e}");
        }
        assert!(parse_csv("quay,thang,so\n").unwrap_err().to_string().contains("Dòng 1"));
        assert!(parse_csv("").is_err());
    }

    #[test]
    fn counts_and_months_are_checked() {
        let now = chrono::TimeZone::with_ymd_and_hms(&Utc, 2026, 11, 30, 3, 0, 0).unwrap();
        assert!(check(Month::parse("2026-11").unwrap(), 0, now).is_ok(), "the current month may be entered");
        assert!(check(Month::parse("2026-12").unwrap(), 5, now).unwrap_err().vi.contains("chưa bắt đầu"));
        assert!(check(Month::parse("2026-10").unwrap(), -1, now).unwrap_err().vi.contains("từ 0"));
    }
}
