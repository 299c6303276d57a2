//! The admin audit log: sign-ins, account changes, contact views, report downloads; a hash chain
//! checked by `hailong audit verify`, read on the console by admin and oversight.

use chrono::{DateTime, Utc};

use super::Staff;
use crate::domain::access::StaffRole;
use crate::domain::audit::{StaffFields, staff_hash};
use crate::error::{Error, Result};
use crate::i18n::Text;
use crate::service::Services;
use crate::store::{self, DbConn};
use crate::t;

/// Recomputes the chain: how many entries, and the first broken link.
pub fn verify_chain(c: &mut DbConn) -> Result<(usize, Option<Text>)> {
    let entries = store::staff::audit_all(c)?;
    let mut prev = String::new();
    for (i, e) in entries.iter().enumerate() {
        let (expected, seq) = (i as i64 + 1, e.seq);
        if seq != expected {
            return Ok((
                i,
                Some(t!(
                    "nhật ký quản trị: thiếu mục số {expected} (gặp {seq})",
                    "admin log: entry {expected} is missing (found {seq})"
                )),
            ));
        }
        let computed =
            staff_hash(&prev, &StaffFields { seq, at: e.at, actor: &e.actor, action: &e.action, detail: &e.detail });
        if e.prev_hash != prev || computed != e.hash {
            return Ok((
                i,
                Some(t!(
                    "nhật ký quản trị: mục {seq} đã bị sửa hoặc không nối với mục trước",
                    "admin log: entry {seq} was altered or does not chain to the one before"
                )),
            ));
        }
        prev = e.hash.clone();
    }
    let (head_seq, head_hash) = store::staff::audit_head(c)?;
    if head_seq != entries.len() as i64 || head_hash != prev {
        return Ok((
            entries.len(),
            Some(t!(
                "đầu nhật ký quản trị không khớp với mục cuối (bị cắt hoặc sửa)",
                "the admin log's head does not match its last entry (truncated or altered)"
            )),
        ));
    }
    Ok((entries.len(), None))
}

/// One entry as the console shows it.
#[derive(Debug, Clone)]
pub struct Entry {
    pub seq: i64,
    pub at: DateTime<Utc>,
    pub actor: String,
    pub action: String,
    pub detail: String,
    pub hash: String,
}

/// A page of the log, newest first (admin and oversight only).
pub fn page(s: &Services, staff: &Staff, before: Option<i64>) -> Result<Vec<Entry>> {
    if !matches!(staff.role(), StaffRole::Admin | StaffRole::Oversight) {
        return Err(Error::NotFound(t!("Không có trang này", "There is no such page")));
    }
    let rows = s.db.read(|c| store::staff::audit_page(c, before, 100))?;
    Ok(rows
        .into_iter()
        .map(|e| Entry {
            seq: e.seq,
            at: e.at.and_utc(),
            actor: e.actor,
            action: e.action,
            detail: e.detail,
            hash: e.hash,
        })
        .collect())
}

/// Records something a signed-in person did (a report download, say).
pub fn record(s: &Services, staff: &Staff, action: &str, detail: serde_json::Value, now: DateTime<Utc>) -> Result<()> {
    let (staff, action) = (staff.clone(), action.to_string());
    s.db.write(move |c| {
        let actor = staff.actor(c)?;
        store::staff::audit(c, now.naive_utc(), &actor, &action, &detail.to_string())?;
        Ok(())
    })
}
