//! Organisation import as one all-or-nothing step: read the file, check it against the current
//! organisation, write it in one transaction.

use std::path::Path;

use crate::domain::org_file::{self, Summary};
use crate::error::{Error, Result};
use crate::store::{self, Db};
use crate::t;

pub fn import_file(db: &Db, path: &Path, deactivate_missing: bool) -> Result<Summary> {
    let shown = path.display().to_string();
    let text = std::fs::read_to_string(path)
        .map_err(|e| Error::Invalid(t!("Không đọc được tệp {shown}: {e}", "Cannot read {shown}: {e}")))?;
    import_text(db, &text, &shown, deactivate_missing)
}

/// Every problem in the file is reported in one run; nothing is written unless there are none.
pub fn import_text(db: &Db, text: &str, file_name: &str, deactivate_missing: bool) -> Result<Summary> {
    let to_error =
        |errs: Vec<org_file::FileError>| Error::InvalidMany(errs.iter().map(|e| e.to_text(file_name)).collect());
    let (parsed, mut errors) = org_file::parse_lenient(text).map_err(to_error)?;
    db.write(|c| {
        let current = store::org::snapshot(c)?;
        match org_file::plan(&parsed, &current, deactivate_missing) {
            Ok(plan) if errors.is_empty() => {
                store::org::apply(c, &plan, store::now_utc())?;
                return Ok(plan.summary);
            }
            Ok(_) => {}
            Err(more) => errors.extend(more),
        }
        errors.sort_by_key(|e| e.line.unwrap_or(usize::MAX));
        errors.dedup();
        Err(to_error(errors))
    })
}
