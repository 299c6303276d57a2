//! The case inbox: the cases in the signed-in person's scope, filtered, counted per filter and
//! sorted by urgency (overdue first, then by the nearest deadline). Open cases are few (the rest
//! are closed), so they are read whole and sorted here; closed ones are paged by the database.

use std::collections::HashMap;

use chrono::{DateTime, Duration, NaiveDateTime, TimeZone, Utc};

use super::{Staff, case_scope};
use crate::domain::LOCAL_TZ;
use crate::domain::case::{Category, Status};
use crate::domain::period::Month;
use crate::error::{Error, Result};
use crate::service::Services;
use crate::store;
use crate::store::staff::{InboxQuery, InboxRow};
use crate::t;

/// Cases per page.
pub const PAGE: usize = 50;

/// Which statuses a list shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Show {
    /// Open cases (the default).
    #[default]
    Open,
    /// Open and past a deadline.
    Overdue,
    /// Open, not yet overdue, due within 24 working hours.
    DueSoon,
    Closed,
    All,
    One(Status),
}

impl Show {
    pub fn parse(s: &str) -> Option<Show> {
        Some(match s {
            "" | "open" => Show::Open,
            "overdue" => Show::Overdue,
            "due_soon" => Show::DueSoon,
            "closed" => Show::Closed,
            "all" => Show::All,
            other => Show::One(Status::parse(other)?),
        })
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Show::Open => "open",
            Show::Overdue => "overdue",
            Show::DueSoon => "due_soon",
            Show::Closed => "closed",
            Show::All => "all",
            Show::One(s) => s.as_str(),
        }
    }
}

/// The inbox's filters, as typed in its form (codes and text; checked here).
#[derive(Debug, Clone, Default)]
pub struct Filter {
    pub show: String,
    pub category: String,
    pub unit: String,
    pub desk: String,
    /// `YYYY-MM`: received in that local month.
    pub month: String,
    /// 1-based.
    pub page: usize,
}

/// One case in the list (staff see the case number, never the receipt).
#[derive(Debug, Clone)]
pub struct Item {
    pub number: String,
    pub status: Status,
    pub category: Category,
    pub desk: String,
    pub unit: String,
    pub handler: String,
    pub received: DateTime<Utc>,
    /// The deadline that applies now (acknowledgement, else resolution), while open.
    pub due: Option<DateTime<Utc>>,
    pub overdue: bool,
    pub due_soon: bool,
    pub level: i32,
}

/// Counts per filter, within the scope and the other filters.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Counts {
    pub open: usize,
    pub overdue: usize,
    pub due_soon: usize,
    pub closed: usize,
    pub all: usize,
    pub by_status: Vec<(Status, usize)>,
}

#[derive(Debug, Clone)]
pub struct Inbox {
    pub show: Show,
    pub items: Vec<Item>,
    pub counts: Counts,
    /// Cases in the current list (all pages).
    pub listed: usize,
    pub page: usize,
    pub pages: usize,
    /// Units in scope that have cases, for the unit filter: (code, name).
    pub units: Vec<(String, String)>,
}

const OPEN: [Status; 4] = [Status::Received, Status::Acknowledged, Status::WaitingCitizen, Status::Reopened];
const CLOSED: [Status; 2] = [Status::Resolved, Status::Dismissed];

/// The deadline that applies to an open case now.
fn due_of(r: &InboxRow) -> Option<NaiveDateTime> {
    let acking = matches!(r.status, Status::Received | Status::Reopened);
    match (acking, r.ack_due_at, r.resolve_due_at) {
        (true, Some(a), Some(z)) => Some(a.min(z)),
        (true, Some(a), None) => Some(a),
        // Waiting for the citizen: the clocks stop, nothing is due.
        _ if r.status == Status::WaitingCitizen => None,
        (_, _, z) => z,
    }
}

/// The inbox of the signed-in person.
pub fn inbox(s: &Services, staff: &Staff, f: &Filter, now: DateTime<Utc>) -> Result<Inbox> {
    let given = f.show.trim();
    let show = Show::parse(given).ok_or_else(|| {
        Error::Invalid(t!("Không có bộ lọc tình trạng {given:?}", "There is no status filter {given:?}"))
    })?;
    let category = match f.category.trim() {
        "" => None,
        c => Some(
            Category::parse(c)
                .ok_or_else(|| Error::Invalid(t!("Không có loại phản ánh {c:?}", "There is no case category {c:?}")))?,
        ),
    };
    let received = match f.month.trim() {
        "" => None,
        m => {
            let month = Month::parse(m).map_err(Error::Invalid)?;
            let start = |d: chrono::NaiveDate| {
                LOCAL_TZ.from_local_datetime(&d.and_hms_opt(0, 0, 0).expect("midnight")).unwrap().naive_utc()
            };
            Some((start(month.first_day()), start(month.next().first_day())))
        }
    };
    let cals = s.calendars();
    s.db.read(|c| {
        let scope = case_scope(c, staff)?;
        let tree = super::tree(c)?;
        let units = store::org::all_units(c)?;
        let desks = store::org::all_desks(c)?;
        let unit_by_id: HashMap<i64, &store::org::Unit> = units.iter().map(|u| (u.id, u)).collect();
        let desk_by_id: HashMap<i64, &store::org::Desk> = desks.iter().map(|d| (d.id, d)).collect();
        let in_units = match f.unit.trim() {
            "" => None,
            code => {
                let u = units.iter().find(|u| u.code == code).ok_or_else(|| {
                    Error::Invalid(t!("Không có đơn vị mã {code:?}", "There is no unit with code {code:?}"))
                })?;
                Some(tree.subtree(u.id).into_iter().collect())
            }
        };
        let desk = match f.desk.trim() {
            "" => None,
            code => Some(
                desks
                    .iter()
                    .find(|d| d.code == code)
                    .ok_or_else(|| {
                        Error::Invalid(t!("Không có quầy mã {code:?}", "There is no desk with code {code:?}"))
                    })?
                    .id,
            ),
        };
        let base = InboxQuery {
            units: scope.units.as_ref().map(|u| u.iter().copied().collect()),
            assigned_to: scope.assigned_to,
            not_about: scope.not_about,
            statuses: None,
            category,
            in_units,
            desk,
            received,
            walk_by_time: false,
        };
        if scope.is_empty() {
            return Ok(Inbox {
                show,
                items: vec![],
                counts: Counts::default(),
                listed: 0,
                page: 1,
                pages: 1,
                units: vec![],
            });
        }
        let by_status = store::staff::inbox_counts(c, &base)?;
        let open_rows = store::staff::inbox_rows(c, &InboxQuery { statuses: Some(OPEN.to_vec()), ..base.clone() })?;
        let item = |r: &InboxRow| -> Item {
            let due = due_of(r);
            let overdue = due.is_some_and(|d| d < now.naive_utc());
            let due_soon = !overdue
                && due.is_some_and(|d| {
                    let cal = cals.for_unit(
                        r.handler_unit_id.and_then(|u| unit_by_id.get(&u)).and_then(|u| u.calendar.as_deref()),
                    );
                    cal.working_between(now, d.and_utc()) <= Duration::hours(24)
                });
            let name_of_unit = |id: i64| unit_by_id.get(&id).map(|u| u.name.clone()).unwrap_or_default();
            Item {
                number: store::cases::number_of(r.id, r.created_at),
                status: r.status,
                category: r.category,
                desk: desk_by_id.get(&r.desk_id).map(|d| d.name.clone()).unwrap_or_default(),
                unit: name_of_unit(r.unit_id),
                handler: r.handler_unit_id.map(name_of_unit).unwrap_or_default(),
                received: r.created_at.and_utc(),
                due: due.map(|d| d.and_utc()),
                overdue,
                due_soon,
                level: r.level,
            }
        };
        let mut open: Vec<Item> = open_rows.iter().map(item).collect();
        let count = |st: &[Status]| by_status.iter().filter(|(s, _)| st.contains(s)).map(|(_, n)| *n as usize).sum();
        let counts = Counts {
            open: open.len(),
            overdue: open.iter().filter(|i| i.overdue).count(),
            due_soon: open.iter().filter(|i| i.due_soon).count(),
            closed: count(&CLOSED),
            all: count(&OPEN) + count(&CLOSED),
            by_status: by_status.iter().map(|(s, n)| (*s, *n as usize)).collect(),
        };
        let page = f.page.max(1);
        let (items, listed) = match show {
            Show::Open
            | Show::Overdue
            | Show::DueSoon
            | Show::One(Status::Received | Status::Acknowledged | Status::WaitingCitizen | Status::Reopened) => {
                open.retain(|i| match show {
                    Show::Overdue => i.overdue,
                    Show::DueSoon => i.due_soon,
                    Show::One(st) => i.status == st,
                    _ => true,
                });
                // Overdue first (longest overdue first), then the nearest deadline, then the oldest.
                open.sort_by_key(|i| (!i.overdue, i.due.is_none(), i.due, i.received));
                let listed = open.len();
                (open.into_iter().skip((page - 1) * PAGE).take(PAGE).collect(), listed)
            }
            Show::Closed | Show::All | Show::One(_) => {
                let statuses = match show {
                    Show::Closed => CLOSED.to_vec(),
                    Show::One(st) => vec![st],
                    _ => OPEN.iter().chain(CLOSED.iter()).copied().collect(),
                };
                let listed = count(&statuses);
                let q = InboxQuery { statuses: Some(statuses), walk_by_time: true, ..base.clone() };
                let rows = store::staff::inbox_page(c, &q, ((page - 1) * PAGE) as i64, PAGE as i64)?;
                (rows.iter().map(item).collect(), listed)
            }
        };
        let unit_choices = scope_units(&scope, &units);
        Ok(Inbox { show, items, counts, listed, page, pages: listed.div_ceil(PAGE).max(1), units: unit_choices })
    })
}

/// Units the person may filter by: those in scope (all, for admin), by name.
fn scope_units(scope: &crate::domain::access::CaseScope, units: &[store::org::Unit]) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = units
        .iter()
        .filter(|u| scope.units.as_ref().is_none_or(|set| set.contains(&u.id)))
        .map(|u| (u.code.clone(), u.name.clone()))
        .collect();
    out.sort_by(|a, b| a.1.cmp(&b.1));
    out
}
