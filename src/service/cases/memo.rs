//! Organisation rows remembered while handling cases: within one use case (a tick escalating a
//! thousand cases of one commune reads the commune's units and officers once, not a thousand
//! times), and between new cases for a few seconds ([`MemoCache`]).

use std::collections::HashMap;

use super::Ctx;
use crate::domain::routing;
use crate::error::Result;
use crate::store::cases::Case;
use crate::store::org::{Desk, Officer, Unit};
use crate::store::{self, DbConn};

/// Organisation rows read during one use case.
#[derive(Clone, Default)]
pub struct Memo {
    units: HashMap<i64, Unit>,
    desks: HashMap<i64, Desk>,
    officers: HashMap<i64, Officer>,
    views: HashMap<(Vec<i64>, Option<i64>), routing::OrgView>,
}

/// Organisation rows remembered between new cases for a few seconds (`citizen.desk_cache_seconds`),
/// so planning a report's routing needs no query while the organisation is unchanged. Cleared by
/// changes made in this process; changes by another process show within the time to live.
pub struct MemoCache {
    ttl: std::time::Duration,
    inner: std::sync::Mutex<Option<(std::time::Instant, Memo)>>,
}

impl MemoCache {
    pub fn new(ttl: std::time::Duration) -> MemoCache {
        MemoCache { ttl, inner: Default::default() }
    }

    pub(super) fn get(&self) -> Option<Memo> {
        let g = self.inner.lock().unwrap_or_else(|p| p.into_inner());
        g.as_ref().filter(|(at, _)| at.elapsed() < self.ttl).map(|(_, m)| m.clone())
    }

    pub(super) fn put(&self, m: Memo) {
        if self.ttl.is_zero() {
            return;
        }
        let mut g = self.inner.lock().unwrap_or_else(|p| p.into_inner());
        let born = g.as_ref().filter(|(at, _)| at.elapsed() < self.ttl).map(|(at, _)| *at);
        *g = Some((born.unwrap_or_else(std::time::Instant::now), m));
    }

    pub fn clear(&self) {
        *self.inner.lock().unwrap_or_else(|p| p.into_inner()) = None;
    }
}

/// A row from the memo, or loaded (and remembered).
fn remember<T: Clone>(
    ctx: &Ctx,
    id: i64,
    map: fn(&mut Memo) -> &mut HashMap<i64, T>,
    load: impl FnOnce() -> Result<T>,
) -> Result<T> {
    if let Some(v) = map(&mut ctx.memo.borrow_mut()).get(&id) {
        return Ok(v.clone());
    }
    let v = load()?;
    map(&mut ctx.memo.borrow_mut()).insert(id, v.clone());
    Ok(v)
}

impl Ctx {
    pub(super) fn unit(&self, c: &mut DbConn, id: i64) -> Result<Unit> {
        remember(self, id, |m| &mut m.units, || store::org::unit(c, id))
    }

    pub(super) fn desk(&self, c: &mut DbConn, id: i64) -> Result<Desk> {
        remember(self, id, |m| &mut m.desks, || store::org::desk(c, id))
    }

    pub(super) fn officer(&self, c: &mut DbConn, id: i64) -> Result<Officer> {
        remember(self, id, |m| &mut m.officers, || store::org::officer(c, id))
    }

    /// The part of the organisation that routes `case`.
    pub(super) fn org_view(&self, c: &mut DbConn, case: &Case) -> Result<routing::OrgView> {
        let mut start = vec![case.unit_id];
        start.extend(case.route_unit_id);
        let key = (start, case.officer_id);
        if let Some(v) = self.memo.borrow().views.get(&key) {
            return Ok(v.clone());
        }
        let v = store::org::routing_view(c, &key.0, case.officer_id, self.today())?;
        self.memo.borrow_mut().views.insert(key, v.clone());
        Ok(v)
    }

    /// Starts from the rows remembered between new cases.
    pub(super) fn recall(&self, cache: &MemoCache) {
        if let Some(m) = cache.get() {
            *self.memo.borrow_mut() = m;
        }
    }

    /// Leaves this use case's rows for the next new case.
    pub(super) fn keep(&self, cache: &MemoCache) {
        cache.put(self.memo.borrow().clone());
    }
}
