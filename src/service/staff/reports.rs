//! Reports on the console: the monthly report of the signed-in person's scope (see
//! `domain::access::report_scope`) instead of a report link's; each read is recorded.

use chrono::{DateTime, Utc};
use serde_json::json;

use super::Staff;
use crate::domain::access::{self, ReportScope};
use crate::domain::period::{Month, Period};
use crate::error::{Error, Result};
use crate::service::Services;
use crate::service::reports::model::Report;
use crate::service::reports::monthly::{Org, Request, Source, build_for};
use crate::t;

/// The month a report page opens on: the last whole month.
pub fn default_month(now: DateTime<Utc>) -> Month {
    Month::of(now).prev()
}

/// The monthly report of `month` for what the person may read; `format` is recorded.
pub fn monthly(s: &Services, staff: &Staff, month: &str, format: &str, now: DateTime<Utc>) -> Result<Report> {
    let month = match month.trim() {
        "" => default_month(now),
        m => Month::parse(m).map_err(Error::Invalid)?,
    };
    if month > Month::of(now) {
        let m = month.to_string();
        return Err(Error::Invalid(t!("Tháng {m} chưa đến", "The month {m} has not come yet")));
    }
    let (org, tree) = s.db.read(|c| Ok((Org::load(c)?, super::tree(c)?)))?;
    let code = |id: i64| org.unit(id).map(|u| u.code.clone());
    let scope = match access::report_scope(&staff.person, &tree) {
        Some(ReportScope::Whole) => org.scope(None)?,
        Some(ReportScope::Unit(u)) => org.scope(code(u).as_deref())?,
        Some(ReportScope::Oversight(u)) => org.oversight_scope(code(u).as_deref().unwrap_or_default())?,
        None => {
            return Err(Error::NotFound(t!(
                "Tài khoản này không gắn với đơn vị nào nên không có báo cáo",
                "This account has no unit, so it has no report"
            )));
        }
    };
    let req = Request {
        unit: None,
        period: Period::month(month),
        reader_officer_id: staff.person.officer,
        source: Source::Rollups,
        now,
    };
    let report = build_for(s, &org, &scope, &req)?;
    let detail = json!({ "month": month.to_string(), "scope": report.scope.code, "format": format });
    super::audit::record(s, staff, "report_read", detail, now)?;
    Ok(report)
}

/// The yearly report (public-service-culture programme) of `year` for the person's unit (the
/// whole organisation for an admin, or a viewer without a unit); `format` is recorded.
pub fn yearly(
    s: &Services,
    staff: &Staff,
    year: &str,
    format: &str,
    now: DateTime<Utc>,
) -> Result<crate::service::reports::model::Yearly> {
    let given = year.trim();
    let year: i32 =
        given.parse().map_err(|_| Error::Invalid(t!("Năm {given:?} không hợp lệ", "{given:?} is not a year")))?;
    let tree = s.db.read(super::tree)?;
    let unit = match access::report_scope(&staff.person, &tree) {
        Some(ReportScope::Whole) => None,
        Some(ReportScope::Unit(u) | ReportScope::Oversight(u)) => {
            Some(s.db.read(|c| crate::store::org::unit(c, u))?.code)
        }
        None => {
            return Err(Error::NotFound(t!(
                "Tài khoản này không gắn với đơn vị nào nên không có báo cáo",
                "This account has no unit, so it has no report"
            )));
        }
    };
    let y = crate::service::reports::yearly::build(s, unit.as_deref(), year, staff.person.officer, now)?;
    let detail = json!({ "year": year, "scope": y.report.scope.code, "format": format });
    super::audit::record(s, staff, "report_read", detail, now)?;
    Ok(y)
}
