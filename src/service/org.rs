//! Organisation import as one all-or-nothing step: read the file, check it against the current
//! organisation, write it in one transaction.

use std::path::Path;

use crate::domain::org_file::{self, FileError, Summary};
use crate::error::{Error, Result};
use crate::service::Services;
use crate::store;
use crate::t;

pub fn import_file(s: &Services, path: &Path, deactivate_missing: bool, force: bool) -> Result<Summary> {
    let shown = path.display().to_string();
    let text = std::fs::read_to_string(path)
        .map_err(|e| Error::Invalid(t!("Không đọc được tệp {shown}: {e}", "Cannot read {shown}: {e}")))?;
    import_with(s, &text, &shown, deactivate_missing, force)
}

fn file_errors(file_name: &str, errs: &[FileError]) -> Error {
    Error::InvalidMany(errs.iter().map(|e| e.to_text(file_name)).collect())
}

/// Every problem in the file is reported in one run; nothing is written unless there are none.
pub fn import_text(s: &Services, text: &str, file_name: &str, deactivate_missing: bool) -> Result<Summary> {
    import_with(s, text, file_name, deactivate_missing, false)
}

/// A console edit the file would undo, in words: "desk MC-1: name “…” (console, officer:X, date)
/// would become “…”".
fn reverted(edits: &[store::staff::OrgEdit], file: &crate::domain::org::OrgSpec) -> Vec<crate::i18n::Text> {
    let mut latest: std::collections::BTreeMap<(&str, &str, &str), &store::staff::OrgEdit> = Default::default();
    for e in edits {
        latest.insert((e.kind.as_str(), e.code.as_str(), e.field.as_str()), e);
    }
    let mut out = Vec::new();
    for ((kind, code, field), e) in latest {
        let in_file = match kind {
            "desk" => file.desks.iter().find(|d| d.code == code).map(|d| match field {
                "name" => d.name.clone(),
                "location" => d.location.clone(),
                "hours" => d.hours.clone(),
                _ => d.active.to_string(),
            }),
            _ => file.officers.iter().find(|o| o.code == code).map(|o| o.active.to_string()),
        };
        // A file silent about the row leaves the edit alone.
        let Some(in_file) = in_file else { continue };
        if in_file != e.value {
            let (value, actor, at) = (&e.value, &e.actor, e.at.format("%Y-%m-%d %H:%M"));
            out.push(t!(
                "{kind} {code}: `{field}` đã được sửa trên trang quản lý thành {value:?} ({actor}, {at} UTC); tệp sẽ đổi lại thành {in_file:?}. Sửa tệp cho khớp, hoặc chạy lại với --force để ghi đè",
                "{kind} {code}: `{field}` was changed on the console to {value:?} ({actor}, {at} UTC); the file would change it back to {in_file:?}. Update the file, or run again with --force to overwrite"
            ));
        }
    }
    out
}

/// An import; `force` lets the file undo changes made on the console since the last import
/// (without it such a file is refused, naming each).
pub fn import_with(
    s: &Services,
    text: &str,
    file_name: &str,
    deactivate_missing: bool,
    force: bool,
) -> Result<Summary> {
    let (parsed, mut errors) = org_file::parse_lenient(text).map_err(|e| file_errors(file_name, &e))?;
    let file_name = file_name.to_string();
    let calendars = s.calendars().codes();
    let summary = s.db.write(move |c| {
        let current = store::org::snapshot(c)?;
        match org_file::plan(&parsed, &current, deactivate_missing, &calendars) {
            Ok(plan) if errors.is_empty() => {
                let undone = reverted(&store::staff::open_org_edits(c)?, &parsed.spec);
                if !undone.is_empty() && !force {
                    return Err(Error::InvalidMany(undone));
                }
                let now = store::now_utc();
                store::org::apply(c, &plan, now)?;
                store::staff::settle_org_edits(c, now)?;
                crate::service::staff::after_org_change(c, now)?;
                return Ok(plan.summary);
            }
            Ok(_) => {}
            Err(more) => errors.extend(more),
        }
        errors.sort_by_key(|e| e.line.unwrap_or(usize::MAX));
        errors.dedup();
        Err(file_errors(&file_name, &errors))
    })?;
    s.org_changed();
    Ok(summary)
}

/// The head of `unit` lets `deputy` (a deputy of the same unit) handle its cases from `from` to
/// `until`, inclusive.
pub fn delegate(s: &Services, unit: &str, deputy: &str, from: &str, until: &str) -> Result<i64> {
    use crate::domain::org::Role;
    let date = |v: &str, flag: &str| {
        chrono::NaiveDate::parse_from_str(v.trim(), "%Y-%m-%d").map_err(|_| {
            Error::Invalid(t!(
                "--{flag} {v:?} không phải ngày dạng 2026-12-31",
                "--{flag} {v:?} is not a date like 2026-12-31"
            ))
        })
    };
    let (from, until) = (date(from, "from")?, date(until, "until")?);
    if until < from {
        return Err(Error::Invalid(t!("--until phải sau --from", "--until must not be before --from")));
    }
    let (unit, deputy) = (unit.to_string(), deputy.to_string());
    s.db.write(move |c| {
        let u = store::org::unit_by_code(c, &unit)?.filter(|u| u.active).ok_or_else(|| {
            Error::NotFound(t!("Không có đơn vị đang hoạt động mã {unit:?}", "No active unit with code {unit:?}"))
        })?;
        let d = store::org::officer_by_code(c, &deputy)?
            .filter(|o| o.active && o.unit_id == u.id && o.role == Role::Deputy)
            .ok_or_else(|| {
                Error::Invalid(t!(
                    "{deputy:?} không phải cấp phó đang hoạt động của {unit}",
                    "{deputy:?} is not an active deputy of {unit}"
                ))
            })?;
        let head =
            store::org::active_officers_of_unit(c, u.id)?.into_iter().find(|o| o.role == Role::Head).ok_or_else(
                || Error::Invalid(t!("{unit} không có thủ trưởng đang hoạt động", "{unit} has no active head")),
            )?;
        store::calendars::add_delegation(c, u.id, head.id, d.id, from, until, store::now_utc())
    })
}

/// The organisation in the import format.
pub fn export(s: &Services) -> Result<String> {
    let org = s.db.read(store::org::snapshot)?;
    Ok(crate::domain::org_file::render(&org))
}

/// Whether the database holds no organisation yet.
pub fn is_empty(s: &Services) -> Result<bool> {
    Ok(s.db.read(store::org::count_units)? == 0)
}

/// The codes of every unit on record.
pub fn unit_codes(s: &Services) -> Result<Vec<String>> {
    Ok(s.db.read(store::org::snapshot)?.units.into_iter().map(|u| u.code).collect())
}

/// A delegation in force or to come, by codes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DelegationRow {
    pub id: i64,
    pub unit: String,
    pub head: String,
    pub deputy: String,
    pub from: chrono::NaiveDate,
    pub until: chrono::NaiveDate,
}

/// Delegations that have not ended by `today`.
pub fn delegations(s: &Services, today: chrono::NaiveDate) -> Result<Vec<DelegationRow>> {
    let rows = s.db.read(|c| store::calendars::current_delegations(c, today))?;
    Ok(rows
        .into_iter()
        .map(|(d, unit, head, deputy)| DelegationRow {
            id: d.id,
            unit,
            head,
            deputy,
            from: d.starts_on,
            until: d.ends_on,
        })
        .collect())
}

/// Ends a delegation now; an unknown or already ended one is an error.
pub fn revoke_delegation(s: &Services, id: i64, now: chrono::DateTime<chrono::Utc>) -> Result<()> {
    let n = s.db.write(move |c| store::calendars::revoke_delegation(c, id, now.naive_utc()))?;
    if n == 0 {
        return Err(Error::NotFound(t!("Không có ủy quyền số {id} đang hiệu lực", "No delegation {id} in force")));
    }
    Ok(())
}
