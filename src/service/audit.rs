//! `hailong audit verify` and `audit head`: the tamper-evident log checked end to end.
//!
//! Each case's events must form an unbroken chain (sequence 1..n, each storing the hash of the
//! one before, each hash recomputed from its fields) ending at the hash the case row holds; the
//! ledger must chain every case's creation in order, ending at the ledger head. Editing, deleting
//! or truncating any of it breaks a link, and the report names the first broken one.

use diesel::prelude::*;

use crate::domain::audit::{self, EventFields, LedgerFields};
use crate::error::Result;
use crate::i18n::Text;
use crate::service::Services;
use crate::store::DbConn;
use crate::store::cases::{Case, Event};
use crate::store::schema::{case_events, cases, ledger, ledger_head};
use crate::t;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Report {
    pub cases: usize,
    pub events: usize,
    pub ledger: usize,
    /// Entries of the admin audit log (the staff console's).
    pub staff: usize,
    /// The first broken link, if any.
    pub broken: Option<Text>,
}

/// The current ledger hash and length: what monthly reports quote, so a later rewrite of the
/// whole database disagrees with what was already sent.
pub fn head(s: &Services) -> Result<(i64, String)> {
    s.db.read(ledger_head_row)
}

fn ledger_head_row(c: &mut DbConn) -> Result<(i64, String)> {
    Ok(ledger_head::table.find(1).select((ledger_head::seq, ledger_head::hash)).first(c)?)
}

/// Recomputes every chain; the report names the first broken link.
pub fn verify(s: &Services) -> Result<Report> {
    s.db.read(verify_chains)
}

fn verify_chains(c: &mut DbConn) -> Result<Report> {
    let mut r = Report::default();
    let mut first_hash: std::collections::HashMap<i64, String> = std::collections::HashMap::new();
    // Cases in pages, so a large database is not loaded at once.
    let mut after = 0i64;
    loop {
        let page: Vec<Case> =
            cases::table.filter(cases::id.gt(after)).order(cases::id).limit(500).select(Case::as_select()).load(c)?;
        let Some(last) = page.last() else { break };
        after = last.id;
        for case in &page {
            r.cases += 1;
            let events: Vec<Event> = case_events::table
                .filter(case_events::case_id.eq(case.id))
                .order(case_events::seq)
                .select(Event::as_select())
                .load(c)?;
            r.events += events.len();
            if let Some(broken) = check_case(case, &events) {
                r.broken = Some(broken);
                return Ok(r);
            }
            if let Some(e) = events.first() {
                first_hash.insert(case.id, e.hash.clone());
            }
        }
    }
    // Events whose case is gone.
    let orphans: i64 = case_events::table
        .filter(diesel::dsl::not(case_events::case_id.eq_any(cases::table.select(cases::id))))
        .count()
        .get_result(c)?;
    if orphans > 0 {
        r.broken = Some(t!(
            "có {orphans} sự kiện không thuộc phản ánh nào (phản ánh đã bị xóa)",
            "{orphans} events belong to no case (a case was deleted)"
        ));
        return Ok(r);
    }

    let entries: Vec<(i64, i64, chrono::NaiveDateTime, String, String)> = ledger::table
        .order(ledger::seq)
        .select((ledger::seq, ledger::case_id, ledger::at, ledger::prev_hash, ledger::hash))
        .load(c)?;
    let receipts: std::collections::HashMap<i64, String> =
        cases::table.select((cases::id, cases::receipt)).load::<(i64, String)>(c)?.into_iter().collect();
    let mut prev = String::new();
    for (i, (seq, case_id, at, prev_hash, hash)) in entries.iter().enumerate() {
        r.ledger += 1;
        let expected_seq = i as i64 + 1;
        if *seq != expected_seq {
            r.broken = Some(t!(
                "sổ cái: thiếu mục số {expected_seq} (gặp {seq})",
                "ledger: entry {expected_seq} is missing (found {seq})"
            ));
            return Ok(r);
        }
        if *prev_hash != prev {
            r.broken = Some(t!(
                "sổ cái: mục {seq} không nối với mục trước",
                "ledger: entry {seq} does not chain to the one before"
            ));
            return Ok(r);
        }
        let Some(receipt) = receipts.get(case_id) else {
            r.broken = Some(t!(
                "sổ cái: mục {seq} trỏ tới phản ánh {case_id} không còn tồn tại",
                "ledger: entry {seq} points to case {case_id}, which no longer exists"
            ));
            return Ok(r);
        };
        let first = first_hash.get(case_id).cloned().unwrap_or_default();
        let computed = audit::ledger_hash(
            &prev,
            &LedgerFields { seq: *seq, case_id: *case_id, receipt, at: *at, first_event: &first },
        );
        if computed != *hash {
            let number = crate::store::cases::number_of(*case_id, *at);
            r.broken = Some(t!(
                "sổ cái: mục {seq} (phản ánh {number}) đã bị sửa",
                "ledger: entry {seq} (case {number}) was altered"
            ));
            return Ok(r);
        }
        prev = hash.clone();
    }
    if r.ledger != r.cases {
        let (l, n) = (r.ledger, r.cases);
        r.broken = Some(t!("sổ cái có {l} mục nhưng có {n} phản ánh", "the ledger has {l} entries for {n} cases"));
        return Ok(r);
    }
    let (head_seq, head_hash) = ledger_head_row(c)?;
    if head_seq != r.ledger as i64 || head_hash != prev {
        r.broken = Some(t!(
            "đầu sổ cái không khớp với mục cuối (sổ cái bị cắt hoặc sửa)",
            "the ledger head does not match its last entry (truncated or altered)"
        ));
        return Ok(r);
    }
    let (n, broken) = crate::service::staff::audit::verify_chain(c)?;
    r.staff = n;
    r.broken = broken;
    Ok(r)
}

fn check_case(case: &Case, events: &[Event]) -> Option<Text> {
    // Named by its number: this output is for staff, who never see the citizen's receipt.
    let receipt = &case.number();
    let mut prev = String::new();
    for (i, e) in events.iter().enumerate() {
        let expected = i as i32 + 1;
        if e.seq != expected {
            return Some(t!(
                "phản ánh {receipt}: thiếu sự kiện số {expected}",
                "case {receipt}: event {expected} is missing"
            ));
        }
        if e.prev_hash != prev {
            let seq = e.seq;
            return Some(t!(
                "phản ánh {receipt}: sự kiện {seq} không nối với sự kiện trước",
                "case {receipt}: event {seq} does not chain to the one before"
            ));
        }
        let computed = audit::event_hash(
            &prev,
            &EventFields {
                case_id: e.case_id,
                seq: e.seq,
                at: e.at,
                actor: &e.actor,
                kind: e.kind.as_str(),
                data: &e.data,
            },
        );
        if computed != e.hash {
            let seq = e.seq;
            return Some(t!("phản ánh {receipt}: sự kiện {seq} đã bị sửa", "case {receipt}: event {seq} was altered"));
        }
        prev = e.hash.clone();
    }
    let (n, count) = (events.len(), case.event_count);
    if n as i32 != count || prev != case.last_hash {
        return Some(t!(
            "phản ánh {receipt}: có {n} sự kiện nhưng phản ánh ghi {count} (sự kiện cuối bị xóa hoặc sửa)",
            "case {receipt}: {n} events but the case records {count} (the last ones were deleted or altered)"
        ));
    }
    None
}
