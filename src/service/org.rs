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
    let summary = s.db.write(move |c| {
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
        Err(file_errors(&file_name, &errors))
    })?;
    s.desks.clear();
    Ok(summary)
}
