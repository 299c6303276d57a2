//! Organisation pages on the console: the units tree, a unit's officers, desks, roster and
//! delegations, a desk's QR code and posters, edits (a desk's name, place and hours;
//! deactivations; a new QR), calendars, cases nobody could be found for. Who may read and change
//! what comes from `domain::access`. Every change goes through the organisation importer's own
//! checks (the organisation is changed as data, planned and applied as an import would be),
//! is recorded in the admin log, and is remembered so that a later `org import` that would undo
//! it names it and needs `--force`.

use std::collections::{BTreeSet, HashMap};

use chrono::{DateTime, Utc};
use serde_json::json;

use super::{Staff, tree};
use crate::domain::access;
use crate::domain::hours::WeeklyHours;
use crate::domain::org::{OrgSpec, Role, check_text};
use crate::domain::org_file;
use crate::error::{Error, Result};
use crate::i18n::Text;
use crate::service::Services;
use crate::service::desk::{self, QrFormat};
use crate::store::{self, DbConn};
use crate::t;

fn not_found(code: &str) -> Error {
    Error::NotFound(t!("Không có đơn vị hay quầy mã {code:?}", "There is no unit or desk with code {code:?}"))
}

fn refused() -> Error {
    Error::Conflict(t!(
        "Đồng chí chỉ được xem trang này; thay đổi do quản trị hoặc người đứng đầu đơn vị (hay cấp trên) thực hiện.",
        "You may only read this page; changes are made by an administrator or the unit's head (or a head above)."
    ))
}

/// One unit in the tree.
#[derive(Debug, Clone)]
pub struct TreeRow {
    pub code: String,
    pub name: String,
    pub kind: String,
    pub depth: usize,
    pub active: bool,
    pub desks: usize,
}

/// The units a person may read, as an indented tree (parents before children, by name).
pub fn units(s: &Services, staff: &Staff) -> Result<Vec<TreeRow>> {
    s.db.read(|c| {
        let visible = access::org_units(&staff.person, &tree(c)?);
        let units = store::org::all_units(c)?;
        let desks = store::org::all_desks(c)?;
        let mut count: HashMap<i64, usize> = HashMap::new();
        for d in desks.iter().filter(|d| d.active) {
            *count.entry(d.unit_id).or_default() += 1;
        }
        let mut children: HashMap<Option<i64>, Vec<&store::org::Unit>> = HashMap::new();
        for u in &units {
            // A visible unit whose parent is hidden starts a tree of its own.
            let parent = u.parent_id.filter(|p| visible.as_ref().is_none_or(|v| v.contains(p)));
            children.entry(parent).or_default().push(u);
        }
        for v in children.values_mut() {
            v.sort_by(|a, b| a.name.cmp(&b.name));
        }
        let mut out = Vec::new();
        let mut stack: Vec<(&store::org::Unit, usize)> =
            children.get(&None).into_iter().flatten().rev().map(|u| (*u, 0)).collect();
        let mut seen = BTreeSet::new();
        while let Some((u, depth)) = stack.pop() {
            if !seen.insert(u.id) {
                continue;
            }
            if visible.as_ref().is_none_or(|v| v.contains(&u.id)) {
                out.push(TreeRow {
                    code: u.code.clone(),
                    name: u.name.clone(),
                    kind: u.kind.clone(),
                    depth,
                    active: u.active,
                    desks: count.get(&u.id).copied().unwrap_or(0),
                });
            }
            stack.extend(children.get(&Some(u.id)).into_iter().flatten().rev().map(|c| (*c, depth + 1)));
        }
        Ok(out)
    })
}

#[derive(Debug, Clone)]
pub struct OfficerRow {
    pub code: String,
    pub name: String,
    pub title: String,
    pub role: Role,
    pub email: String,
    pub active: bool,
}

#[derive(Debug, Clone)]
pub struct DeskRow {
    pub code: String,
    pub name: String,
    pub location: String,
    pub hours: String,
    pub active: bool,
}

#[derive(Debug, Clone)]
pub struct DelegationRow {
    pub id: i64,
    pub head: String,
    pub deputy: String,
    pub from: chrono::NaiveDate,
    pub until: chrono::NaiveDate,
}

/// A unit's page.
#[derive(Debug, Clone)]
pub struct UnitPage {
    pub code: String,
    pub name: String,
    pub kind: String,
    pub active: bool,
    pub parent: Option<(String, String)>,
    pub oversight: Option<String>,
    pub editable: bool,
    pub children: Vec<(String, String)>,
    pub officers: Vec<OfficerRow>,
    pub desks: Vec<DeskRow>,
    /// (desk, officer, days, time, from–until)
    pub roster: Vec<(String, String, String, String, String)>,
    pub delegations: Vec<DelegationRow>,
    /// Active deputies, for a new delegation: (code, name).
    pub deputies: Vec<(String, String)>,
}

/// The unit of `code` if the person may read it, and whether they may change it.
fn readable_unit(c: &mut DbConn, staff: &Staff, code: &str) -> Result<(store::org::Unit, bool)> {
    let u = store::org::unit_by_code(c, code.trim())?.ok_or_else(|| not_found(code))?;
    let t = tree(c)?;
    if access::org_units(&staff.person, &t).is_some_and(|v| !v.contains(&u.id)) {
        return Err(not_found(code));
    }
    let editable = access::may_edit_unit(&staff.person, &t, u.id);
    Ok((u, editable))
}

pub fn unit(s: &Services, staff: &Staff, code: &str, today: chrono::NaiveDate) -> Result<UnitPage> {
    s.db.read(|c| {
        let (u, editable) = readable_unit(c, staff, code)?;
        let units = store::org::all_units(c)?;
        let name_of = |id: i64| units.iter().find(|x| x.id == id).map(|x| (x.code.clone(), x.name.clone()));
        let spec = store::org::snapshot(c)?;
        let officers: Vec<OfficerRow> = spec
            .officers
            .iter()
            .filter(|o| o.unit == u.code)
            .map(|o| OfficerRow {
                code: o.code.clone(),
                name: o.name.clone(),
                title: o.title.clone(),
                role: o.role,
                email: o.email.clone().unwrap_or_default(),
                active: o.active,
            })
            .collect();
        let desks: Vec<DeskRow> = spec
            .desks
            .iter()
            .filter(|d| d.unit == u.code)
            .map(|d| DeskRow {
                code: d.code.clone(),
                name: d.name.clone(),
                location: d.location.clone(),
                hours: d.hours.clone(),
                active: d.active,
            })
            .collect();
        let desk_codes: BTreeSet<&str> = desks.iter().map(|d| d.code.as_str()).collect();
        let officer_name: HashMap<&str, &str> =
            spec.officers.iter().map(|o| (o.code.as_str(), o.name.as_str())).collect();
        let roster = spec
            .roster
            .iter()
            .filter(|r| r.active && desk_codes.contains(r.desk.as_str()))
            .map(|r| {
                let dates = match (r.from, r.until) {
                    (None, None) => String::new(),
                    (f, u) => format!(
                        "{} – {}",
                        f.map(|d| d.to_string()).unwrap_or_default(),
                        u.map(|d| d.to_string()).unwrap_or_default()
                    ),
                };
                let who = officer_name.get(r.officer.as_str()).copied().unwrap_or(&r.officer).to_string();
                (r.desk.clone(), who, r.days.clone(), r.time.clone(), dates)
            })
            .collect();
        let delegations = store::calendars::current_delegations(c, today)?
            .into_iter()
            .filter(|(d, _, _, _)| d.unit_id == u.id)
            .map(|(d, _, head, deputy)| DelegationRow {
                id: d.id,
                head: officer_name.get(head.as_str()).copied().unwrap_or(&head).to_string(),
                deputy: officer_name.get(deputy.as_str()).copied().unwrap_or(&deputy).to_string(),
                from: d.starts_on,
                until: d.ends_on,
            })
            .collect();
        let deputies = officers
            .iter()
            .filter(|o| o.active && o.role == Role::Deputy)
            .map(|o| (o.code.clone(), o.name.clone()))
            .collect();
        let mut children: Vec<(String, String)> =
            units.iter().filter(|x| x.parent_id == Some(u.id)).map(|x| (x.code.clone(), x.name.clone())).collect();
        children.sort_by(|a, b| a.1.cmp(&b.1));
        Ok(UnitPage {
            parent: u.parent_id.and_then(name_of),
            oversight: u.oversight_id.and_then(name_of).map(|x| x.1),
            code: u.code,
            name: u.name,
            kind: u.kind,
            active: u.active,
            editable,
            children,
            officers,
            desks,
            roster,
            delegations,
            deputies,
        })
    })
}

/// A desk's page.
#[derive(Debug, Clone)]
pub struct DeskPage {
    pub desk: DeskRow,
    pub unit_code: String,
    pub unit_name: String,
    /// The rating form's address (what its QR code holds).
    pub url: String,
    pub editable: bool,
}

fn readable_desk(c: &mut DbConn, staff: &Staff, code: &str) -> Result<(store::org::Desk, store::org::Unit, bool)> {
    let d = store::org::desk_by_code(c, code.trim())?.ok_or_else(|| not_found(code))?;
    let unit = store::org::unit(c, d.unit_id)?;
    let (unit, editable) = readable_unit(c, staff, &unit.code)?;
    Ok((d, unit, editable))
}

pub fn desk(s: &Services, staff: &Staff, code: &str) -> Result<DeskPage> {
    let (d, u, editable) = s.db.read(|c| readable_desk(c, staff, code))?;
    Ok(DeskPage {
        url: desk::desk_url(&s.public_url(), &d),
        desk: DeskRow { code: d.code, name: d.name, location: d.location, hours: d.hours, active: d.active },
        unit_code: u.code,
        unit_name: u.name,
        editable,
    })
}

/// A desk's QR code for someone who may read its unit (recorded).
pub fn desk_qr(s: &Services, staff: &Staff, code: &str, format: QrFormat, now: DateTime<Utc>) -> Result<Vec<u8>> {
    let (d, _, _) = s.db.read(|c| readable_desk(c, staff, code))?;
    let bytes = desk::qr(s, &d, format)?;
    super::audit::record(s, staff, "qr_downloaded", json!({ "desk": d.code, "format": format.extension() }), now)?;
    Ok(bytes)
}

/// The A5 posters (SVG) of a desk, or of every active desk of a unit and its subtree, in order.
pub fn posters(s: &Services, staff: &Staff, unit_or_desk: &str, now: DateTime<Utc>) -> Result<Vec<(String, String)>> {
    let code = unit_or_desk.trim().to_string();
    let codes: Vec<String> = s.db.read(|c| {
        if store::org::desk_by_code(c, &code)?.is_some() {
            readable_desk(c, staff, &code)?;
            return Ok(vec![code.clone()]);
        }
        let (u, _) = readable_unit(c, staff, &code)?;
        let units = tree(c)?.subtree(u.id);
        let mut desks: Vec<store::org::Desk> =
            store::org::all_desks(c)?.into_iter().filter(|d| d.active && units.contains(&d.unit_id)).collect();
        desks.sort_by(|a, b| a.code.cmp(&b.code));
        Ok(desks.into_iter().map(|d| d.code).collect())
    })?;
    let out = codes.iter().map(|d| Ok((d.clone(), desk::poster(s, d)?))).collect::<Result<Vec<_>>>()?;
    super::audit::record(s, staff, "posters_printed", json!({ "of": code, "desks": codes.len() }), now)?;
    Ok(out)
}

/// What a console edit changes on a desk.
#[derive(Debug, Clone, Default)]
pub struct DeskEdit {
    pub name: String,
    pub location: String,
    pub hours: String,
}

/// Changes the organisation as data and applies it as an import of the result would be: the same
/// checks, one transaction; then records the edit (admin log, `org_edits`).
fn change(
    s: &Services,
    staff: &Staff,
    what: &str,
    edits: Vec<(&'static str, String, &'static str, String)>,
    apply: impl FnOnce(&mut OrgSpec) -> Result<()> + Send + 'static,
    now: DateTime<Utc>,
) -> Result<()> {
    let calendars = s.calendars().codes();
    let (staff, what) = (staff.clone(), what.to_string());
    s.db.write(move |c| {
        let current = store::org::snapshot(c)?;
        let mut next = current.clone();
        apply(&mut next)?;
        let text = org_file::render(&next);
        let problems = |errs: Vec<org_file::FileError>| {
            Error::InvalidMany(errs.iter().map(|e| e.to_text("console")).collect::<Vec<Text>>())
        };
        let (parsed, errors) = org_file::parse_lenient(&text).map_err(problems)?;
        if !errors.is_empty() {
            return Err(problems(errors));
        }
        let plan = org_file::plan(&parsed, &current, false, &calendars).map_err(problems)?;
        let at = now.naive_utc();
        store::org::apply(c, &plan, at)?;
        let actor = staff.actor(c)?;
        for (kind, code, field, value) in &edits {
            store::staff::add_org_edit(c, kind, code, field, value, &actor, at)?;
        }
        let detail: Vec<_> =
            edits.iter().map(|(k, c, f, v)| json!({ "kind": k, "code": c, "field": f, "value": v })).collect();
        store::staff::audit(c, at, &actor, &what, &serde_json::Value::Array(detail).to_string())?;
        super::after_org_change(c, at)?;
        Ok(())
    })?;
    s.org_changed();
    Ok(())
}

/// Edits a desk's name, place and hours (checked as the organisation file's fields are).
pub fn edit_desk(s: &Services, staff: &Staff, code: &str, e: &DeskEdit, now: DateTime<Utc>) -> Result<()> {
    let (d, _, editable) = s.db.read(|c| readable_desk(c, staff, code))?;
    if !editable {
        return Err(refused());
    }
    let mut problems = Vec::new();
    let field = |label: Text, r: std::result::Result<(), Text>, problems: &mut Vec<Text>| {
        if let Err(m) = r {
            let (lv, le, mv, me) = (label.vi, label.en, m.vi, m.en);
            problems.push(t!("{lv}: {mv}", "{le}: {me}"));
        }
    };
    field(t!("Tên quầy", "Desk name"), check_text(&e.name, 200), &mut problems);
    if !e.location.trim().is_empty() {
        field(t!("Vị trí", "Location"), check_text(&e.location, 200), &mut problems);
    }
    let hours = match e.hours.trim().parse::<WeeklyHours>() {
        Ok(h) => Some(h.to_string()),
        Err(m) => {
            let (vi, en) = (m.to_string(), m.to_string());
            problems.push(t!(
                "Giờ mở cửa: {vi} (ví dụ: T2-T6 07:30-11:30,13:30-17:00; T7 07:30-11:30)",
                "Opening hours: {en} (e.g. Mon-Fri 07:30-11:30,13:30-17:00; Sat 07:30-11:30)"
            ));
            None
        }
    };
    if !problems.is_empty() {
        return Err(Error::InvalidMany(problems));
    }
    let hours = hours.unwrap_or_default();
    let (name, location) = (e.name.trim().to_string(), e.location.trim().to_string());
    let mut edits = Vec::new();
    if name != d.name {
        edits.push(("desk", d.code.clone(), "name", name.clone()));
    }
    if location != d.location {
        edits.push(("desk", d.code.clone(), "location", location.clone()));
    }
    if hours != d.hours {
        edits.push(("desk", d.code.clone(), "hours", hours.clone()));
    }
    if edits.is_empty() {
        return Ok(());
    }
    let code = d.code.clone();
    change(
        s,
        staff,
        "desk_edited",
        edits,
        move |org| {
            let desk = org.desks.iter_mut().find(|x| x.code == code).ok_or_else(|| not_found(&code))?;
            desk.name = name;
            desk.location = location;
            desk.hours = hours;
            Ok(())
        },
        now,
    )
}

/// Deactivates a desk or an officer (nothing is ever deleted).
pub fn deactivate(s: &Services, staff: &Staff, kind: &str, code: &str, now: DateTime<Utc>) -> Result<()> {
    let code = code.trim().to_string();
    let unit_code = s.db.read(|c| {
        let unit_id = match kind {
            "desk" => store::org::desk_by_code(c, &code)?.ok_or_else(|| not_found(&code))?.unit_id,
            _ => store::org::officer_by_code(c, &code)?.ok_or_else(|| not_found(&code))?.unit_id,
        };
        Ok(store::org::unit(c, unit_id)?.code)
    })?;
    let (_, editable) = s.db.read(|c| readable_unit(c, staff, &unit_code))?;
    if !editable {
        return Err(refused());
    }
    let (k, c2) = (if kind == "desk" { "desk" } else { "officer" }, code.clone());
    change(
        s,
        staff,
        if k == "desk" { "desk_deactivated" } else { "officer_deactivated" },
        vec![(k, code.clone(), "active", "false".into())],
        move |org| {
            let found = if k == "desk" {
                org.desks.iter_mut().find(|d| d.code == c2).map(|d| d.active = false)
            } else {
                // Their roster entries end with them.
                for r in org.roster.iter_mut().filter(|r| r.officer == c2) {
                    r.active = false;
                }
                org.officers.iter_mut().find(|o| o.code == c2).map(|o| o.active = false)
            };
            found.ok_or_else(|| not_found(&c2))
        },
        now,
    )
}

/// A desk's new QR token (old posters then say "replaced"); returns the new form address.
pub fn rotate(s: &Services, staff: &Staff, code: &str, now: DateTime<Utc>) -> Result<String> {
    let (d, _, editable) = s.db.read(|c| readable_desk(c, staff, code))?;
    if !editable {
        return Err(refused());
    }
    let url = desk::rotate(s, &d.code, now)?;
    super::audit::record(s, staff, "qr_rotated", json!({ "desk": d.code }), now)?;
    Ok(url)
}

/// A delegation of a unit the person may change.
pub fn delegate(
    s: &Services,
    staff: &Staff,
    unit: &str,
    deputy: &str,
    from: &str,
    until: &str,
    now: DateTime<Utc>,
) -> Result<i64> {
    let (u, editable) = s.db.read(|c| readable_unit(c, staff, unit))?;
    if !editable {
        return Err(refused());
    }
    let id = crate::service::org::delegate(s, &u.code, deputy, from, until)?;
    let detail = json!({ "delegation": id, "unit": u.code, "deputy": deputy, "from": from, "until": until });
    super::audit::record(s, staff, "delegation_added", detail, now)?;
    Ok(id)
}

pub fn revoke_delegation(s: &Services, staff: &Staff, unit: &str, id: i64, now: DateTime<Utc>) -> Result<()> {
    let (u, editable) = s.db.read(|c| readable_unit(c, staff, unit))?;
    if !editable {
        return Err(refused());
    }
    let today = now.with_timezone(&crate::domain::LOCAL_TZ).date_naive();
    let ours =
        s.db.read(|c| store::calendars::current_delegations(c, today))?
            .iter()
            .any(|(d, _, _, _)| d.id == id && d.unit_id == u.id);
    if !ours {
        return Err(Error::NotFound(t!(
            "Không có ủy quyền số {id} của đơn vị này",
            "This unit has no delegation {id}"
        )));
    }
    crate::service::org::revoke_delegation(s, id, now)?;
    super::audit::record(s, staff, "delegation_revoked", json!({ "delegation": id, "unit": u.code }), now)
}

/// Each calendar's days in `years` and where each came from (as `calendar list` prints them).
pub fn calendars(s: &Services, staff: &Staff, years: &[i32]) -> Result<String> {
    if !access::may_operate(&staff.person) && staff.person.role != crate::domain::access::StaffRole::Head {
        return Err(Error::NotFound(t!("Không có trang này", "There is no such page")));
    }
    Ok(crate::service::calendars::listing(s, years).render(crate::i18n::Lang::Vi))
}

/// Imports a calendar file's text (admin and oversight): the next year's arrangement, say.
pub fn import_calendar(s: &Services, staff: &Staff, text: &str, now: DateTime<Utc>) -> Result<String> {
    if !access::may_operate(&staff.person) {
        return Err(refused());
    }
    let summary = crate::service::calendars::import_text(s, text, "console")?;
    let rendered = summary.render(crate::i18n::Lang::Vi);
    super::audit::record(s, staff, "calendar_imported", json!({ "summary": rendered }), now)?;
    Ok(rendered)
}

/// Cases nobody independent could be found for (admin and oversight).
pub fn unrouted(s: &Services, staff: &Staff) -> Result<Vec<crate::service::cases::Unrouted>> {
    if !access::may_operate(&staff.person) {
        return Err(Error::NotFound(t!("Không có trang này", "There is no such page")));
    }
    crate::service::cases::unrouted(s)
}

/// Gives such a case to a unit's head by hand (recorded in the case log and the admin log).
pub fn assign(
    s: &Services,
    staff: &Staff,
    number: &str,
    unit: &str,
    now: DateTime<Utc>,
) -> Result<crate::service::cases::Assigned> {
    if !access::may_operate(&staff.person) {
        return Err(refused());
    }
    let a = crate::service::cases::assign_by_hand(s, number, unit, now)?;
    super::audit::record(s, staff, "case_assigned", json!({ "case": a.number, "unit": unit }), now)?;
    Ok(a)
}
