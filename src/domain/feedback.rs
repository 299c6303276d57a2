//! A citizen's submission: a rating, optionally with a conduct report. Validation is pure: the
//! caller passes the clock, the time zone and the officers the citizen could have picked.

use std::collections::BTreeMap;

use chrono::{DateTime, Duration, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Utc};
use chrono_tz::Tz;
use validator::ValidateEmail;

use crate::domain::case::{Category, most_serious};
use crate::domain::survey::{Evaluated, Survey};
use crate::i18n::{Lang, Text};
use crate::t;

pub const COMMENT_MAX: usize = 2000;
pub const DESCRIPTION_MIN: usize = 10;
pub const DESCRIPTION_MAX: usize = 4000;
/// How far back a report may date what happened.
pub const REPORT_MAX_AGE_DAYS: i64 = 90;

/// One problem with one field, for the form (next to the field) and the API (by path).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    pub field: String,
    pub message: Text,
}

impl FieldError {
    pub fn new(field: impl Into<String>, message: Text) -> FieldError {
        FieldError { field: field.into(), message }
    }
}

/// When what is reported happened, as the channel gives it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum RawWhen {
    /// Not given: now.
    #[default]
    Now,
    /// The web form's local date and time fields.
    Local { date: String, time: String },
    /// The API's RFC 3339 timestamp.
    Rfc3339(String),
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RawReport {
    pub category: String,
    pub description: String,
    pub when: RawWhen,
    pub officer: String,
    pub contact_name: String,
    pub contact_phone: String,
    pub contact_email: String,
    pub consent: bool,
}

impl RawReport {
    /// The web form always sends the report fields; a report exists when any was filled in.
    pub fn is_blank(&self) -> bool {
        self.category.trim().is_empty()
            && self.description.trim().is_empty()
            && self.officer.trim().is_empty()
            && self.contact_name.trim().is_empty()
            && self.contact_phone.trim().is_empty()
            && self.contact_email.trim().is_empty()
            && !self.consent
    }
}

/// What a channel (form or API) received, as text.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RawFeedback {
    pub overall: String,
    pub answers: BTreeMap<String, Vec<String>>,
    pub officer: String,
    pub file_code: String,
    pub comment: String,
    pub report: Option<RawReport>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Contact {
    pub name: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
    /// The language the citizen wrote in: emails to them use it.
    pub lang: Lang,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Report {
    pub category: Category,
    pub description: String,
    pub occurred_at: DateTime<Utc>,
    /// Officer code, if the citizen named one.
    pub officer: Option<String>,
    /// Given only with consent to be contacted about the outcome.
    pub contact: Option<Contact>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Feedback {
    pub overall: i32,
    pub evaluated: Evaluated,
    pub officer: Option<String>,
    pub file_code: Option<String>,
    pub comment: Option<String>,
    pub report: Option<Report>,
}

/// What validation needs to know besides the input.
pub struct Context<'a> {
    pub survey: &'a Survey,
    pub now: DateTime<Utc>,
    pub tz: Tz,
    /// Officer codes the citizen may name (the desk's officers).
    pub officers: &'a [String],
    /// The language of the page or API call (kept with contact details for emails to the citizen).
    pub lang: Lang,
}

/// Field names, so the form and the API can name fields their own way.
pub trait FieldNames {
    fn answer(&self, question: &str) -> String;
    fn field(&self, name: &str) -> String;
}

/// Form fields: `overall`, `q_on_time`, `report_description`, `contact_email`…
pub struct FormNames;
impl FieldNames for FormNames {
    fn answer(&self, q: &str) -> String {
        format!("q_{q}")
    }
    fn field(&self, name: &str) -> String {
        name.replace('.', "_")
    }
}

/// API paths: `overall`, `answers.on_time`, `report.description`, `report.contact.email`…
pub struct ApiNames;
impl FieldNames for ApiNames {
    fn answer(&self, q: &str) -> String {
        format!("answers.{q}")
    }
    fn field(&self, name: &str) -> String {
        name.to_string()
    }
}

pub fn validate(raw: &RawFeedback, ctx: &Context, names: &dyn FieldNames) -> Result<Feedback, Vec<FieldError>> {
    let mut errors = Vec::new();
    let scale = ctx.survey.scale;

    let overall = match raw.overall.trim().parse::<i32>() {
        Ok(v) if (1..=scale.max()).contains(&v) => v,
        _ if raw.overall.trim().is_empty() => {
            errors.push(FieldError::new(
                names.field("overall"),
                t!("Vui lòng chọn mức độ hài lòng.", "Choose how satisfied you are."),
            ));
            0
        }
        _ => {
            let max = scale.max();
            errors.push(FieldError::new(
                names.field("overall"),
                t!("Mức độ hài lòng phải là một số từ 1 đến {max}.", "Satisfaction must be a number from 1 to {max}."),
            ));
            0
        }
    };

    let evaluated = match ctx.survey.evaluate(&raw.answers, |q| names.answer(q)) {
        Ok(e) => e,
        Err(e) => {
            errors.extend(e);
            Evaluated::default()
        }
    };

    let officer = pick_officer(&raw.officer, ctx.officers, &names.field("officer"), &mut errors);

    let file_code = match raw.file_code.trim() {
        "" => None,
        code => match normalize_file_code(code) {
            Some(c) => Some(c),
            None => {
                errors.push(FieldError::new(
                    names.field("file_code"),
                    t!(
                        "Mã hồ sơ {code:?} không đúng dạng: mã hồ sơ in trên giấy tiếp nhận có dạng 000.00.15.H08-260115-0001 (mã cơ quan, ngày nhận YYMMDD, số thứ tự). Ông/bà có thể để trống ô này.",
                        "File code {code:?} does not fit the format printed on the receipt slip, e.g. 000.00.15.H08-260115-0001 (office code, date received YYMMDD, number). You may leave it empty."
                    ),
                ));
                None
            }
        },
    };

    let comment = text_field(&raw.comment, 0, COMMENT_MAX, &names.field("comment"), &mut errors);

    let report = match &raw.report {
        Some(r) if !r.is_blank() => validate_report(r, ctx, names, &mut errors),
        _ => None,
    };

    if errors.is_empty() {
        Ok(Feedback { overall, evaluated, officer, file_code, comment, report })
    } else {
        Err(errors)
    }
}

fn pick_officer(raw: &str, allowed: &[String], field: &str, errors: &mut Vec<FieldError>) -> Option<String> {
    let code = raw.trim();
    if code.is_empty() || code == "unknown" {
        return None;
    }
    if allowed.iter().any(|a| a == code) {
        Some(code.to_string())
    } else {
        errors.push(FieldError::new(
            field,
            t!(
                "Cán bộ {code:?} không làm việc tại quầy này; vui lòng chọn trong danh sách hoặc \"Không rõ\".",
                "Officer {code:?} does not serve at this desk; choose from the list or \"Not sure\"."
            ),
        ));
        None
    }
}

/// Optional free text: trimmed; `None` when empty; an error outside [min, max] characters.
fn text_field(raw: &str, min: usize, max: usize, field: &str, errors: &mut Vec<FieldError>) -> Option<String> {
    let v = raw.trim();
    let n = v.chars().count();
    let (min_vi, max_vi, n_vi) = (number_vi(min), number_vi(max), number_vi(n));
    if n == 0 && min == 0 {
        return None;
    }
    if n < min {
        errors.push(FieldError::new(
            field,
            t!("Cần ít nhất {min_vi} ký tự (hiện có {n_vi}).", "Needs at least {min} characters (has {n})."),
        ));
        return None;
    }
    if n > max {
        errors.push(FieldError::new(
            field,
            t!("Tối đa {max_vi} ký tự (hiện có {n_vi}).", "At most {max} characters (has {n})."),
        ));
        return None;
    }
    Some(v.to_string())
}

fn validate_report(
    r: &RawReport,
    ctx: &Context,
    names: &dyn FieldNames,
    errors: &mut Vec<FieldError>,
) -> Option<Report> {
    let before = errors.len();
    let category = match Category::parse(r.category.trim()) {
        Some(c) if Category::REPORTABLE.contains(&c) => Some(c),
        _ if r.category.trim().is_empty() => {
            errors.push(FieldError::new(
                names.field("report.category"),
                t!("hãy chọn loại hành vi", "choose what kind of conduct"),
            ));
            None
        }
        _ => {
            let c = r.category.trim();
            errors.push(FieldError::new(
                names.field("report.category"),
                t!("loại hành vi {c:?} không có trong danh sách", "{c:?} is not one of the categories"),
            ));
            None
        }
    };
    let description = if r.description.trim().is_empty() {
        errors.push(FieldError::new(
            names.field("report.description"),
            t!(
                "Vui lòng mô tả sự việc (ít nhất {DESCRIPTION_MIN} ký tự).",
                "Describe what happened (at least {DESCRIPTION_MIN} characters)."
            ),
        ));
        None
    } else {
        text_field(&r.description, DESCRIPTION_MIN, DESCRIPTION_MAX, &names.field("report.description"), errors)
    };
    let occurred_at = occurred_at(&r.when, ctx, &names.field("report.occurred_at"), errors);
    let officer = pick_officer(&r.officer, ctx.officers, &names.field("report.officer"), errors);
    let contact = validate_contact(r, ctx.lang, names, errors);
    if errors.len() > before {
        return None;
    }
    Some(Report { category: category?, description: description?, occurred_at: occurred_at?, officer, contact })
}

fn occurred_at(when: &RawWhen, ctx: &Context, field: &str, errors: &mut Vec<FieldError>) -> Option<DateTime<Utc>> {
    let at = match when {
        RawWhen::Now => return Some(ctx.now),
        // A form without a date (a browser without a date picker, a cleared field): now.
        RawWhen::Local { date, .. } if date.trim().is_empty() => return Some(ctx.now),
        RawWhen::Local { date, time } => {
            let d = NaiveDate::parse_from_str(date.trim(), "%Y-%m-%d").ok();
            let t = if time.trim().is_empty() {
                Some(NaiveTime::MIN)
            } else {
                NaiveTime::parse_from_str(time.trim(), "%H:%M").ok()
            };
            match (d, t) {
                (Some(d), Some(t)) => {
                    ctx.tz.from_local_datetime(&NaiveDateTime::new(d, t)).single().map(|x| x.with_timezone(&Utc))
                }
                _ => None,
            }
        }
        RawWhen::Rfc3339(s) => DateTime::parse_from_rfc3339(s.trim()).ok().map(|x| x.with_timezone(&Utc)),
    };
    let Some(at) = at else {
        errors.push(FieldError::new(
            field,
            t!(
                "Thời điểm không hợp lệ (ngày dạng 2026-11-28, giờ dạng 09:30).",
                "The time is not valid (date like 2026-11-28, time like 09:30)."
            ),
        ));
        return None;
    };
    // A few minutes of slack for a phone clock that runs ahead.
    if at > ctx.now + Duration::minutes(5) {
        errors.push(FieldError::new(field, t!("thời điểm không thể ở tương lai", "the time cannot be in the future")));
        return None;
    }
    if at < ctx.now - Duration::days(REPORT_MAX_AGE_DAYS) {
        errors.push(FieldError::new(
            field,
            t!(
                "Chỉ nhận phản ánh về sự việc trong {REPORT_MAX_AGE_DAYS} ngày gần đây.",
                "Reports are taken for events within the last {REPORT_MAX_AGE_DAYS} days."
            ),
        ));
        return None;
    }
    Some(at.min(ctx.now))
}

fn validate_contact(
    r: &RawReport,
    lang: Lang,
    names: &dyn FieldNames,
    errors: &mut Vec<FieldError>,
) -> Option<Contact> {
    let name = text_field(&r.contact_name, 0, 200, &names.field("report.contact.name"), errors);
    let phone = match r.contact_phone.trim() {
        "" => None,
        p => match normalize_phone(p) {
            Some(p) => Some(p),
            None => {
                errors.push(FieldError::new(
                    names.field("report.contact.phone"),
                    t!(
                        "Số điện thoại {p:?} không hợp lệ (ví dụ 0912 345 678).",
                        "Phone number {p:?} is not valid (e.g. 0912 345 678)."
                    ),
                ));
                None
            }
        },
    };
    let email = match r.contact_email.trim() {
        "" => None,
        e if e.validate_email() => Some(e.to_string()),
        e => {
            errors.push(FieldError::new(
                names.field("report.contact.email"),
                t!("Địa chỉ thư {e:?} không hợp lệ.", "{e:?} is not a valid email address."),
            ));
            None
        }
    };
    let given = name.is_some() || phone.is_some() || email.is_some();
    if given && !r.consent {
        // Without consent there is no purpose to keep contact details for: ask rather than drop them silently.
        errors.push(FieldError::new(
            names.field("report.contact.consent"),
            t!(
                "Ông/bà đã ghi thông tin liên hệ: vui lòng đánh dấu đồng ý để được liên hệ, hoặc xóa thông tin liên hệ.",
                "You gave contact details: tick the consent box to be contacted, or clear the contact details."
            ),
        ));
        return None;
    }
    // Only when none was written: a malformed one already has its own message.
    if r.consent && r.contact_phone.trim().is_empty() && r.contact_email.trim().is_empty() {
        errors.push(FieldError::new(
            names.field("report.contact.consent"),
            t!(
                "Để được liên hệ, vui lòng ghi số điện thoại hoặc địa chỉ thư.",
                "To be contacted, give a phone number or an email address."
            ),
        ));
        return None;
    }
    r.consent.then_some(Contact { name, phone, email, lang })
}

/// A count as Vietnamese writes it: `2.000`, `12.345`.
pub fn number_vi(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push('.');
        }
        out.push(c);
    }
    out
}

/// Vietnamese phone numbers: `0` or `+84` then 8–10 digits; spaces, dots and dashes ignored.
pub fn normalize_phone(raw: &str) -> Option<String> {
    let compact: String = raw.chars().filter(|c| !matches!(c, ' ' | '.' | '-' | '(' | ')')).collect();
    let digits = compact.strip_prefix("+84").map(|r| format!("0{r}")).unwrap_or(compact);
    let ok = digits.starts_with('0') && (9..=11).contains(&digits.len()) && digits.chars().all(|c| c.is_ascii_digit());
    ok.then_some(digits)
}

/// The official file code `V1V2V3.Z1Z2.Y1Y2.MX1X2-YYMMDD-XXXX`, checked loosely: letters and digits
/// in the three dotted groups and the unit code, a real date, a 4-digit number; case and spaces
/// forgiven.
pub fn normalize_file_code(raw: &str) -> Option<String> {
    let code: String = raw.chars().filter(|c| !c.is_whitespace()).collect::<String>().to_uppercase();
    let (head, rest) = code.split_once('-')?;
    let (date, number) = rest.split_once('-')?;
    let groups: Vec<&str> = head.split('.').collect();
    let alnum = |s: &str, min: usize, max: usize| {
        (min..=max).contains(&s.len()) && s.chars().all(|c| c.is_ascii_alphanumeric())
    };
    let head_ok = groups.len() == 4
        && alnum(groups[0], 3, 3)
        && alnum(groups[1], 2, 2)
        && alnum(groups[2], 2, 2)
        && alnum(groups[3], 2, 4);
    let date_ok = date.len() == 6 && NaiveDate::parse_from_str(&format!("20{date}"), "%Y%m%d").is_ok();
    let number_ok = (4..=6).contains(&number.len()) && number.chars().all(|c| c.is_ascii_digit());
    (head_ok && date_ok && number_ok).then_some(code)
}

/// One case per rating at most, the most serious category winning: the citizen's report, a "yes"
/// on a flagged question (unofficial money, extra documents), or a dissatisfied rating with a
/// comment.
pub fn case_category(f: &Feedback, survey: &Survey) -> Option<Category> {
    let mut cats: Vec<Category> = f.evaluated.flags.clone();
    if let Some(r) = &f.report {
        cats.push(r.category);
    }
    if survey.scale.is_dissatisfied(f.overall) && f.comment.is_some() {
        cats.push(Category::Dissatisfied);
    }
    most_serious(cats)
}

#[cfg(test)]
mod number_tests {
    #[test]
    fn numbers_as_vietnamese_writes_them() {
        assert_eq!(super::number_vi(7), "7");
        assert_eq!(super::number_vi(2000), "2.000");
        assert_eq!(super::number_vi(1234567), "1.234.567");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ctx<'a>(survey: &'a Survey, officers: &'a [String]) -> Context<'a> {
        Context {
            survey,
            now: Utc.with_ymd_and_hms(2026, 11, 27, 3, 0, 0).unwrap(), // 10:00 in Hà Nội
            tz: chrono_tz::Asia::Ho_Chi_Minh,
            officers,
            lang: Lang::Vi,
        }
    }

    fn raw() -> RawFeedback {
        RawFeedback { overall: "2".into(), ..Default::default() }
    }

    fn report() -> RawReport {
        RawReport {
            category: "harassment".into(),
            description: "Cán bộ quát tháo, bắt chờ cả buổi sáng.".into(),
            ..Default::default()
        }
    }

    #[test]
    fn a_plain_rating() {
        let s = Survey::default_survey();
        let officers = vec!["A-01".to_string()];
        let mut r = raw();
        r.answers.insert("on_time".into(), vec!["late".into()]);
        r.officer = "A-01".into();
        r.file_code = " 000.00.15.h08-260115-0001 ".into();
        let f = validate(&r, &ctx(&s, &officers), &FormNames).unwrap();
        assert_eq!(f.overall, 2);
        assert_eq!(f.officer.as_deref(), Some("A-01"));
        assert_eq!(f.file_code.as_deref(), Some("000.00.15.H08-260115-0001"));
        assert_eq!(f.evaluated.points.idx1, Some(0));
        assert_eq!(case_category(&f, &s), None);
    }

    #[test]
    fn every_bad_field_is_named() {
        let s = Survey::default_survey();
        let officers = vec!["A-01".to_string()];
        let r = RawFeedback {
            overall: "7".into(),
            officer: "B-09".into(),
            file_code: "hồ sơ của tôi".into(),
            comment: "x".repeat(COMMENT_MAX + 1),
            report: Some(RawReport {
                category: "bribery".into(),
                description: "ngắn".into(),
                when: RawWhen::Local { date: "2026-12-01".into(), time: "09:00".into() },
                contact_email: "khong-phai-thu".into(),
                contact_phone: "12345".into(),
                ..Default::default()
            }),
            ..Default::default()
        };
        let errs = validate(&r, &ctx(&s, &officers), &FormNames).unwrap_err();
        let fields: Vec<&str> = errs.iter().map(|e| e.field.as_str()).collect();
        for f in [
            "overall",
            "officer",
            "file_code",
            "comment",
            "report_category",
            "report_description",
            "report_occurred_at",
            "report_contact_email",
            "report_contact_phone",
        ] {
            assert!(fields.contains(&f), "{f} missing from {fields:?}");
        }
        let api = validate(&r, &ctx(&s, &officers), &ApiNames).unwrap_err();
        assert!(api.iter().any(|e| e.field == "report.contact.email"));
    }

    #[test]
    fn report_time_window() {
        let s = Survey::default_survey();
        let c = ctx(&s, &[]);
        let at = |date: &str, time: &str| {
            let mut r = raw();
            r.report = Some(RawReport { when: RawWhen::Local { date: date.into(), time: time.into() }, ..report() });
            validate(&r, &c, &FormNames)
        };
        // Earlier today (local), and a past day within 90 days.
        let f = at("2026-11-27", "08:15").unwrap();
        assert_eq!(f.report.unwrap().occurred_at, Utc.with_ymd_and_hms(2026, 11, 27, 1, 15, 0).unwrap());
        assert!(at("2026-09-01", "").is_ok());
        assert!(at("2026-08-01", "").is_err());
        assert!(at("2026-11-27", "11:00").is_err()); // later today = future
        let mut r = raw();
        r.report = Some(RawReport { when: RawWhen::Rfc3339("2026-11-26T09:00:00+07:00".into()), ..report() });
        assert!(validate(&r, &c, &ApiNames).is_ok());
    }

    #[test]
    fn contact_needs_consent_and_consent_needs_contact() {
        let s = Survey::default_survey();
        let c = ctx(&s, &[]);
        let with = |f: &dyn Fn(&mut RawReport)| {
            let mut rr = report();
            f(&mut rr);
            validate(&RawFeedback { report: Some(rr), ..raw() }, &c, &FormNames)
        };
        assert!(with(&|r| r.contact_phone = "0912 345 678".into()).is_err());
        assert!(with(&|r| r.consent = true).is_err());
        let f = with(&|r| {
            r.consent = true;
            r.contact_phone = "+84 912.345.678".into();
        })
        .unwrap();
        assert_eq!(f.report.unwrap().contact.unwrap().phone.as_deref(), Some("0912345678"));
        // Anonymous by default.
        assert_eq!(with(&|_| {}).unwrap().report.unwrap().contact, None);
    }

    #[test]
    fn the_most_serious_case_category_wins() {
        let s = Survey::default_survey();
        let c = ctx(&s, &[]);
        let mut r = RawFeedback { overall: "1".into(), comment: "Chờ quá lâu".into(), ..Default::default() };
        assert_eq!(case_category(&validate(&r, &c, &FormNames).unwrap(), &s), Some(Category::Dissatisfied));
        r.answers.insert("extra_documents".into(), vec!["yes".into()]);
        assert_eq!(case_category(&validate(&r, &c, &FormNames).unwrap(), &s), Some(Category::ExtraDocuments));
        r.report = Some(RawReport { category: "delay".into(), ..report() });
        assert_eq!(case_category(&validate(&r, &c, &FormNames).unwrap(), &s), Some(Category::ExtraDocuments));
        r.answers.insert("extra_money".into(), vec!["yes".into()]);
        assert_eq!(case_category(&validate(&r, &c, &FormNames).unwrap(), &s), Some(Category::PettyCorruption));
        // Dissatisfied without a comment opens nothing.
        let r = RawFeedback { overall: "1".into(), ..Default::default() };
        assert_eq!(case_category(&validate(&r, &c, &FormNames).unwrap(), &s), None);
    }

    #[test]
    fn file_codes_and_phones() {
        assert!(normalize_file_code("000.00.15.H08-260115-0001").is_some());
        assert!(normalize_file_code("000.00.15.H08-261315-0001").is_none()); // month 13
        assert!(normalize_file_code("H08-260115-0001").is_none());
        assert_eq!(normalize_phone("0912345678").as_deref(), Some("0912345678"));
        assert_eq!(normalize_phone("+84912345678").as_deref(), Some("0912345678"));
        assert!(normalize_phone("12345").is_none());
        assert!(normalize_phone("09123abc78").is_none());
    }
}
