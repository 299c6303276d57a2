//! The organisation as data: units in a tree of any depth, officers, desks and the duty roster.
//! These are the shapes the importer plans with and the store writes; identity is the `code`.

use chrono::{NaiveDate, NaiveDateTime};
use validator::ValidateEmail;

use crate::domain::hours::{DaySet, TimeRange};
use crate::i18n::{Lang, Text};
use crate::t;

crate::vocabulary! {
    /// An officer's place in their unit: the head (thủ trưởng), a deputy (cấp phó) or staff.
    pub enum Role {
        Head = "head" => ("người đứng đầu", "head"),
        Deputy = "deputy" => ("cấp phó", "deputy"),
        Staff = "staff" => ("công chức", "staff member"),
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnitSpec {
    pub code: String,
    pub name: String,
    pub kind: String,
    pub parent: Option<String>,
    pub email: Option<String>,
    pub oversight: Option<String>,
    /// Working-time calendar code; None = the configured default.
    pub calendar: Option<String>,
    pub active: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OfficerSpec {
    pub code: String,
    pub name: String,
    pub title: String,
    pub email: Option<String>,
    pub unit: String,
    pub role: Role,
    /// Language of the emails this officer receives.
    pub lang: Lang,
    pub active: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeskSpec {
    pub code: String,
    pub name: String,
    pub unit: String,
    pub location: String,
    /// Canonical weekly hours text (see `domain::hours`).
    pub hours: String,
    pub active: bool,
}

/// Who serves a desk when. Empty `days` means every day; empty `time` means whenever the desk is
/// open; dates bound the entry inclusively. Identity is everything but `active`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RosterSpec {
    pub desk: String,
    pub officer: String,
    pub days: String,
    pub time: String,
    pub from: Option<NaiveDate>,
    pub until: Option<NaiveDate>,
    pub active: bool,
}

impl RosterSpec {
    pub fn same_entry(&self, other: &RosterSpec) -> bool {
        self.desk == other.desk
            && self.officer == other.officer
            && self.days == other.days
            && self.time == other.time
            && self.from == other.from
            && self.until == other.until
    }

    /// Whether the entry covers a local wall-clock instant.
    pub fn covers(&self, local: NaiveDateTime) -> bool {
        use chrono::Datelike;
        let date = local.date();
        if self.from.is_some_and(|f| date < f) || self.until.is_some_and(|u| date > u) {
            return false;
        }
        if !self.days.is_empty() && !self.days.parse::<DaySet>().is_ok_and(|d| d.contains(local.weekday())) {
            return false;
        }
        self.time.is_empty() || self.time.parse::<TimeRange>().is_ok_and(|r| r.contains(local.time()))
    }
}

/// The whole organisation, or the part of it an import file describes.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OrgSpec {
    pub units: Vec<UnitSpec>,
    pub officers: Vec<OfficerSpec>,
    pub desks: Vec<DeskSpec>,
    pub roster: Vec<RosterSpec>,
}

/// Names to show for codes: the case log keeps codes (they never change meaning), people read
/// names. Units show as their name, officers as "name (title)".
#[derive(Debug, Clone, Default)]
pub struct Names(std::collections::HashMap<String, String>);

impl Names {
    pub fn new(org: &OrgSpec) -> Names {
        let mut map = std::collections::HashMap::new();
        for u in &org.units {
            map.insert(u.code.clone(), u.name.clone());
        }
        for o in &org.officers {
            let shown = if o.title.is_empty() { o.name.clone() } else { format!("{} ({})", o.name, o.title) };
            map.insert(o.code.clone(), shown);
        }
        Names(map)
    }

    /// The name for a code, or the code itself.
    pub fn of<'a>(&'a self, code: &'a str) -> &'a str {
        self.0.get(code).map(String::as_str).unwrap_or(code)
    }

    /// `text` with every code in it replaced by its name. A code counts only as a whole token
    /// (letters, digits, `.`, `_`, `-` between non-letters), so words that merely contain one do
    /// not change.
    pub fn render(&self, text: &str) -> String {
        let token_char = |c: char| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-');
        let chars: Vec<(usize, char)> = text.char_indices().collect();
        let mut out = String::with_capacity(text.len());
        let mut i = 0;
        while i < chars.len() {
            let (start, c) = chars[i];
            let boundary_before = i == 0 || !chars[i - 1].1.is_alphanumeric();
            if !(token_char(c) && boundary_before) {
                out.push(c);
                i += 1;
                continue;
            }
            let mut j = i;
            while j < chars.len() && token_char(chars[j].1) {
                j += 1;
            }
            let end = chars.get(j).map_or(text.len(), |(b, _)| *b);
            let after_ok = chars.get(j).is_none_or(|(_, c)| !c.is_alphanumeric());
            // Trailing punctuation ends a sentence, not a code: try shorter tokens.
            let mut token_end = end;
            let mut replaced = None;
            while token_end > start && after_ok {
                let token = &text[start..token_end];
                if let Some(name) = self.0.get(token) {
                    replaced = Some((name, token_end));
                    break;
                }
                match token.chars().last() {
                    Some('.' | '-' | '_') => token_end -= 1,
                    _ => break,
                }
            }
            match replaced {
                Some((name, token_end)) => {
                    out.push_str(name);
                    out.push_str(&text[token_end..end]);
                }
                None => out.push_str(&text[start..end]),
            }
            i = j;
        }
        out
    }
}

impl OrgSpec {
    pub fn is_empty(&self) -> bool {
        self.units.is_empty() && self.officers.is_empty() && self.desks.is_empty()
    }

    /// Sorted copy, for comparing two descriptions of the same organisation.
    pub fn normalized(&self) -> OrgSpec {
        let mut o = self.clone();
        o.units.sort_by(|a, b| a.code.cmp(&b.code));
        o.officers.sort_by(|a, b| a.code.cmp(&b.code));
        o.desks.sort_by(|a, b| a.code.cmp(&b.code));
        o.roster.sort_by(|a, b| {
            (&a.desk, &a.officer, &a.days, &a.time, a.from, a.until)
                .cmp(&(&b.desk, &b.officer, &b.days, &b.time, b.from, b.until))
        });
        o
    }
}

/// Codes are identifiers typed on the command line and printed on posters: letters, digits,
/// `.`, `_`, `-`, starting with a letter or digit, at most 64 characters.
pub fn check_code(code: &str) -> Result<(), Text> {
    let ok = !code.is_empty()
        && code.len() <= 64
        && code.chars().next().is_some_and(|c| c.is_ascii_alphanumeric())
        && code.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'));
    if ok {
        Ok(())
    } else {
        Err(t!(
            "mã {code:?} không hợp lệ: chỉ dùng chữ cái không dấu, chữ số, dấu . _ - (tối đa 64 ký tự)",
            "code {code:?} is not valid: use ASCII letters, digits, . _ - (at most 64 characters)"
        ))
    }
}

pub fn check_email(email: &str) -> Result<(), Text> {
    if email.validate_email() {
        Ok(())
    } else {
        Err(t!("địa chỉ thư {email:?} không hợp lệ", "{email:?} is not a valid email address"))
    }
}

/// A required, single-line text of at most `max` characters.
pub fn check_text(value: &str, max: usize) -> Result<(), Text> {
    if value.trim().is_empty() {
        return Err(t!("không được để trống", "must not be empty"));
    }
    if value.chars().count() > max {
        return Err(t!("dài quá {max} ký tự", "is longer than {max} characters"));
    }
    if value.chars().any(char::is_control) {
        return Err(t!("có ký tự điều khiển (xuống dòng, tab…)", "contains control characters (newline, tab…)"));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes() {
        for ok in ["TP", "X-PHUOCHUNG", "mc.tp_1", "7"] {
            assert!(check_code(ok).is_ok(), "{ok}");
        }
        for bad in ["", "-X", "Phước", "a b", &"x".repeat(65)] {
            assert!(check_code(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn emails() {
        assert!(check_email("ubnd@tuyphuoc.example").is_ok());
        assert!(check_email("ubnd@").is_err());
        assert!(check_email("ubnd tuyphuoc.example").is_err());
    }

    #[test]
    fn roster_coverage() {
        let t = |s: &str| NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap();
        let r = RosterSpec {
            desk: "D".into(),
            officer: "O".into(),
            days: "Mon,Wed,Fri".into(),
            time: "13:30-17:00".into(),
            from: NaiveDate::from_ymd_opt(2026, 1, 1),
            until: None,
            active: true,
        };
        assert!(r.covers(t("2026-11-27 14:00"))); // Friday afternoon
        assert!(!r.covers(t("2026-11-27 09:00"))); // Friday morning
        assert!(!r.covers(t("2026-11-26 14:00"))); // Thursday
        assert!(!r.covers(t("2025-12-31 14:00"))); // before `from` (a Wednesday)
        let always = RosterSpec { days: String::new(), time: String::new(), from: None, ..r };
        assert!(always.covers(t("2026-11-29 03:00")));
    }
}

#[cfg(test)]
mod names_tests {
    use super::*;

    #[test]
    fn codes_become_names_only_as_whole_tokens() {
        let org = OrgSpec {
            units: vec![UnitSpec {
                code: "X-PHUOCHUNG".into(),
                name: "UBND xã Phước Hưng".into(),
                kind: "UBND xã".into(),
                parent: None,
                email: None,
                oversight: None,
                calendar: None,
                active: true,
            }],
            officers: vec![OfficerSpec {
                code: "X-PHUOCHUNG-03".into(),
                name: "Trần Thị Lan".into(),
                title: "Công chức Tư pháp – Hộ tịch".into(),
                email: None,
                unit: "X-PHUOCHUNG".into(),
                role: Role::Staff,
                lang: Lang::Vi,
                active: true,
            }],
            desks: vec![],
            roster: vec![],
        };
        let n = Names::new(&org);
        assert_eq!(
            n.render("X-PHUOCHUNG-03 (công chức đơn vị X-PHUOCHUNG) làm việc tại X-PHUOCHUNG."),
            "Trần Thị Lan (Công chức Tư pháp – Hộ tịch) (công chức đơn vị UBND xã Phước Hưng) làm việc tại UBND xã Phước Hưng."
        );
        assert_eq!(n.render("→ X-PHUOCHUNG-99"), "→ X-PHUOCHUNG-99", "unknown codes stay");
        assert_eq!(n.render("AX-PHUOCHUNG và X-PHUOCHUNGx"), "AX-PHUOCHUNG và X-PHUOCHUNGx");
        assert_eq!(n.of("X-PHUOCHUNG"), "UBND xã Phước Hưng");
    }
}
