//! What operations endpoints read: readiness and the gauges taken from the database at each scrape.

use chrono::{DateTime, Utc};
use diesel::connection::SimpleConnection;

use crate::error::Result;
use crate::service::{Services, calendars};
use crate::store;

/// What `/readyz` reports.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Readiness {
    /// Migrations this binary knows and the database lacks (0 when ready).
    pub pending_migrations: usize,
    /// What needs a person's attention but does not stop the service (checked only when ready).
    pub warnings: Vec<calendars::MissingArrangement>,
}

/// Whether the service is ready at `now`; an error when the database does not answer.
pub fn readiness(s: &Services, now: DateTime<Utc>) -> Result<Readiness> {
    s.db.read(|c| Ok(c.batch_execute("SELECT 1")?))?;
    let pending_migrations = s.db.pending_migrations()?;
    let warnings = if pending_migrations == 0 { calendars::missing_arrangements(s, now)? } else { Vec::new() };
    Ok(Readiness { pending_migrations, warnings })
}

/// Reads the gauges kept in the database into the metrics (the outbox backlog, cases without a
/// handler, the calendars' missing arrangements), so every instance reports the same shared state.
pub fn refresh_gauges(s: &Services, now: DateTime<Utc>) -> Result<()> {
    let naive = now.naive_utc();
    let (backlog, unrouted) =
        s.db.read(|c| Ok((store::outbox::backlog(c, naive)?, store::cases::count_unrouted(c)?)))?;
    s.metrics.outbox(&backlog, naive);
    s.metrics.unrouted(unrouted);
    let due: Vec<(String, i32, bool)> = calendars::arrangements_due(s, now)?
        .into_iter()
        .map(|(c, y, announced)| (c.code.clone(), y, !announced))
        .collect();
    s.metrics.calendar_arrangements(&due);
    Ok(())
}
