//! What the operator does about cases: list those nobody independent can handle, and give one to a
//! unit by hand (`hailong case assign`), recorded in the case log like every change.

use chrono::{DateTime, Utc};

use super::assign::{Assignment, assign};
use super::refused;
use crate::domain::case::{Category, Status};
use crate::domain::routing;
use crate::error::{Error, Result};
use crate::service::Services;
use crate::store;
use crate::t;

/// An open case without a handler.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unrouted {
    pub number: String,
    pub category: Category,
    pub desk: String,
    pub received: DateTime<Utc>,
}

/// Open cases nobody handles, oldest first.
pub fn unrouted(s: &Services) -> Result<Vec<Unrouted>> {
    s.db.read(|c| {
        let mut out = Vec::new();
        for case in store::cases::unrouted(c)? {
            let desk = store::org::desk(c, case.desk_id)?;
            out.push(Unrouted {
                number: case.number(),
                category: case.category,
                desk: desk.name,
                received: case.created_at.and_utc(),
            });
        }
        Ok(out)
    })
}

/// Who took a case the operator assigned.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Assigned {
    pub number: String,
    pub unit: String,
    /// The handler's name, or `None` for the unit's shared mailbox.
    pub handler: Option<String>,
}

/// Gives an open case to `unit_code` (its effective head), by hand. Refused, changing nothing,
/// when that unit may not receive it (the person reported leads it or a unit above it) or nobody
/// there can receive email.
pub fn assign_by_hand(s: &Services, number: &str, unit_code: &str, now: DateTime<Utc>) -> Result<Assigned> {
    let ctx = s.case_ctx(now);
    let (number, unit_code) = (number.trim().to_string(), unit_code.trim().to_string());
    s.db.write(move |c| {
        let case = store::cases::by_number(c, &number)?.ok_or_else(|| {
            Error::NotFound(t!("Không có phản ánh số {number:?}", "There is no case numbered {number:?}"))
        })?;
        if matches!(case.status, Status::Resolved | Status::Dismissed) {
            return Err(refused("Phản ánh đã kết thúc; không giao lại.", "The case is closed; it is not reassigned."));
        }
        let unit = store::org::unit_by_code(c, &unit_code)?.filter(|u| u.active).ok_or_else(|| {
            Error::Invalid(t!(
                "Không có đơn vị đang hoạt động mã {unit_code:?}",
                "There is no active unit with code {unit_code:?}"
            ))
        })?;
        store::cases::set_route_unit(c, case.id, unit.id)?;
        let fresh = store::cases::get(c, case.id)?;
        let org = ctx.org_view(c, &fresh)?;
        let d = routing::route(&org, &ctx.request(&fresh)).map_err(Error::Invalid)?;
        if d.unit != unit.id {
            let why: Vec<&str> = d.reasons.iter().map(|r| r.text.vi.as_str()).collect();
            let why_en: Vec<&str> = d.reasons.iter().map(|r| r.text.en.as_str()).collect();
            let (vi, en) = (why.join(" "), why_en.join(" "));
            return Err(Error::Invalid(t!(
                "Không giao được cho đơn vị {unit_code}: đơn vị này không được hoặc không thể nhận phản ánh. {vi}",
                "Cannot assign to unit {unit_code}: it may not or cannot receive the case. {en}"
            )));
        }
        let handler = d.handler.officer.map(|id| store::org::officer(c, id).map(|o| o.name)).transpose()?;
        assign(c, &ctx, &fresh, &d, Assignment::Manual)?;
        Ok(Assigned { number: fresh.number(), unit: unit.name, handler })
    })
}
