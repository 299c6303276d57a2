//! Organisation import as one all-or-nothing step: read the file, check it against the current
//! organisation, write it in one transaction.

use std::path::Path;

use crate::domain::org_file::{self, FileError, Summary};
use crate::error::{Error, Result};
use crate::service::Services;
use crate::store;
use crate::t;

pub fn import_file(s: &Services, path: &Path, deactivate_missing: bool) -> Result<Summary> {
    let shown = path.display().to_string();
    let text = std::fs::read_to_string(path)
        .map_err(|e| Error::Invalid(t!("Không đọc được tệp {shown}: {e}", "Cannot read {shown}: {e}")))?;
    import_text(s, &text, &shown, deactivate_missing)
}

fn file_errors(file_name: &str, errs: &[FileError]) -> Error {
    Error::InvalidMany(errs.iter().map(|e| e.to_text(file_name)).collect())
}

/// Every problem in the file is reported in one run; nothing is written unless there are none.
pub fn import_text(s: &Services, text: &str, file_name: &str, deactivate_missing: bool) -> Result<Summary> {
    let (parsed, mut errors) = org_file::parse_lenient(text).map_err(|e| file_errors(file_name, &e))?;
    let file_name = file_name.to_string();
    let calendars = s.calendars().codes();
    let summary = s.db.write(move |c| {
        let current = store::org::snapshot(c)?;
        match org_file::plan(&parsed, &current, deactivate_missing, &calendars) {
            Ok(plan) if errors.is_empty() => {
                store::org::apply(c, &plan, store::now_utc())?;
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
