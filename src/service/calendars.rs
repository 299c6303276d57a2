//! The working-time calendars in force: the built-in ones (`vn-2026`, `24x7`) and those imported
//! with `hailong calendar import`, which replace a built-in of the same code.

use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;

use crate::domain::calendar::{self, Calendar};
use crate::error::{Error, Result};
use crate::i18n::Text;
use crate::service::Services;
use crate::store::{self, DbConn};
use crate::t;

/// Every calendar by code, and which one units without their own use.
#[derive(Debug, Clone)]
pub struct Calendars {
    by_code: HashMap<String, Arc<Calendar>>,
    default: String,
}

impl Calendars {
    pub fn load(conn: &mut DbConn, default: &str) -> Result<Calendars> {
        let mut by_code: HashMap<String, Arc<Calendar>> = HashMap::new();
        for c in [Calendar::vn_2026(), Calendar::always()] {
            by_code.insert(c.code.clone(), Arc::new(c));
        }
        for (code, definition) in store::calendars::all(conn)? {
            match calendar::parse_calendars(&definition) {
                Ok(cals) => {
                    for c in cals {
                        by_code.insert(c.code.clone(), Arc::new(c));
                    }
                }
                // Stored calendars were checked on import; a bad one is skipped, not fatal.
                Err(e) => tracing::error!(calendar = %code, error = ?e, "stored calendar does not parse"),
            }
        }
        Ok(Calendars { by_code, default: default.to_string() })
    }

    /// The calendar a unit uses: its own, else the default, else Việt Nam 2026.
    pub fn for_unit(&self, code: Option<&str>) -> Arc<Calendar> {
        code.and_then(|c| self.by_code.get(c))
            .or_else(|| self.by_code.get(&self.default))
            .cloned()
            .unwrap_or_else(|| Arc::new(Calendar::vn_2026()))
    }

    pub fn has(&self, code: &str) -> bool {
        self.by_code.contains_key(code)
    }

    pub fn codes(&self) -> Vec<String> {
        let mut v: Vec<String> = self.by_code.keys().cloned().collect();
        v.sort();
        v
    }
}

/// Checks that the configured default calendar exists.
pub fn check_default(cals: &Calendars) -> Result<()> {
    if cals.has(&cals.default) {
        return Ok(());
    }
    let (code, known) = (&cals.default, cals.codes().join(", "));
    Err(Error::Invalid(t!(
        "Khóa cấu hình `sla.default_calendar` = {code:?}: không có lịch này (có: {known})",
        "Configuration key `sla.default_calendar` = {code:?}: no such calendar (known: {known})"
    )))
}

/// Imports a calendar file: all calendars in it, or none.
pub fn import_file(s: &Services, path: &Path) -> Result<Vec<(String, bool)>> {
    let shown = path.display().to_string();
    let text = std::fs::read_to_string(path)
        .map_err(|e| Error::Invalid(t!("Không đọc được tệp {shown}: {e}", "Cannot read {shown}: {e}")))?;
    let cals = calendar::parse_calendars(&text).map_err(|errs| {
        Error::InvalidMany(
            errs.iter()
                .map(|e| Text::new(e.render(&shown, crate::i18n::Lang::Vi), e.render(&shown, crate::i18n::Lang::En)))
                .collect(),
        )
    })?;
    let rows: Vec<(String, String, String)> =
        cals.iter().map(|c| (c.code.clone(), c.name.clone(), calendar::render_calendar(c))).collect();
    let imported = s.db.write(move |c| {
        let now = store::now_utc();
        let mut out = Vec::new();
        for (code, name, def) in &rows {
            out.push((code.clone(), store::calendars::upsert(c, code, name, def, now)?));
        }
        Ok(out)
    })?;
    s.reload_calendars()?;
    Ok(imported)
}
