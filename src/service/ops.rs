//! What operations endpoints read: readiness and the gauges taken from the database at each scrape.

use chrono::{DateTime, Utc};
use diesel::connection::SimpleConnection;

use crate::error::Result;
use crate::service::Services;
use crate::store::{self, Db};

/// Pending migrations (0 when ready); an error when the database does not answer.
pub fn readiness(db: &Db) -> Result<usize> {
    db.read(|c| Ok(c.batch_execute("SELECT 1")?))?;
    db.pending_migrations()
}

/// Reads the gauges kept in the database into the metrics (the outbox backlog, cases without a
/// handler), so every instance reports the same shared state.
pub fn refresh_gauges(s: &Services, now: DateTime<Utc>) -> Result<()> {
    let now = now.naive_utc();
    let (backlog, unrouted) = s.db.read(|c| Ok((store::outbox::backlog(c, now)?, store::cases::count_unrouted(c)?)))?;
    s.metrics.outbox(&backlog, now);
    s.metrics.unrouted(unrouted);
    Ok(())
}
