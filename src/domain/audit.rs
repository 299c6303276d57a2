//! The tamper-evident case log. Each case's events form a hash chain (every event stores the hash
//! of the one before it), and the creation of every case enters one global ledger chain, so a
//! deleted case breaks it too. Hashes are SHA-256 over a canonical, length-prefixed encoding.

use chrono::NaiveDateTime;
use sha2::{Digest, Sha256};

/// The fields of an event that its hash covers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventFields<'a> {
    pub case_id: i64,
    pub seq: i32,
    pub at: NaiveDateTime,
    pub actor: &'a str,
    pub kind: &'a str,
    pub data: &'a str,
}

fn put(h: &mut Sha256, field: &[u8]) {
    // Length prefixes make the encoding unambiguous: no two field lists hash the same bytes.
    h.update((field.len() as u64).to_be_bytes());
    h.update(field);
}

pub fn event_hash(prev: &str, e: &EventFields) -> String {
    let mut h = Sha256::new();
    put(&mut h, b"hailong/event/v1");
    put(&mut h, prev.as_bytes());
    put(&mut h, e.case_id.to_string().as_bytes());
    put(&mut h, e.seq.to_string().as_bytes());
    put(&mut h, e.at.format("%Y-%m-%dT%H:%M:%S%.6f").to_string().as_bytes());
    put(&mut h, e.actor.as_bytes());
    put(&mut h, e.kind.as_bytes());
    put(&mut h, e.data.as_bytes());
    hex::encode(h.finalize())
}

/// A ledger entry: one per case, chaining case creations across the whole database.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LedgerFields<'a> {
    pub seq: i64,
    pub case_id: i64,
    pub receipt: &'a str,
    pub at: NaiveDateTime,
    /// Hash of the case's first event.
    pub first_event: &'a str,
}

pub fn ledger_hash(prev: &str, l: &LedgerFields) -> String {
    let mut h = Sha256::new();
    put(&mut h, b"hailong/ledger/v1");
    put(&mut h, prev.as_bytes());
    put(&mut h, l.seq.to_string().as_bytes());
    put(&mut h, l.case_id.to_string().as_bytes());
    put(&mut h, l.receipt.as_bytes());
    put(&mut h, l.at.format("%Y-%m-%dT%H:%M:%S%.6f").to_string().as_bytes());
    put(&mut h, l.first_event.as_bytes());
    hex::encode(h.finalize())
}

/// An entry of the admin audit log (the staff console's sign-ins, account changes, contact views,
/// report downloads), chained the same way.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StaffFields<'a> {
    pub seq: i64,
    pub at: NaiveDateTime,
    pub actor: &'a str,
    pub action: &'a str,
    pub detail: &'a str,
}

pub fn staff_hash(prev: &str, e: &StaffFields) -> String {
    let mut h = Sha256::new();
    put(&mut h, b"hailong/staff/v1");
    put(&mut h, prev.as_bytes());
    put(&mut h, e.seq.to_string().as_bytes());
    put(&mut h, e.at.format("%Y-%m-%dT%H:%M:%S%.6f").to_string().as_bytes());
    put(&mut h, e.actor.as_bytes());
    put(&mut h, e.action.as_bytes());
    put(&mut h, e.detail.as_bytes());
    hex::encode(h.finalize())
}

/// SHA-256 of a text, for events that must prove a text without holding it (a description may
/// carry personal data; the event log must not).
pub fn text_digest(text: &str) -> String {
    hex::encode(Sha256::digest(text.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn any_change_changes_the_hash() {
        let at = chrono::NaiveDate::from_ymd_opt(2026, 11, 27).unwrap().and_hms_opt(3, 0, 0).unwrap();
        let e = EventFields { case_id: 1, seq: 1, at, actor: "citizen", kind: "received", data: "{}" };
        let h = event_hash("", &e);
        assert_eq!(h.len(), 64);
        assert_eq!(h, event_hash("", &e.clone()));
        assert_ne!(h, event_hash("x", &e));
        assert_ne!(h, event_hash("", &EventFields { seq: 2, ..e.clone() }));
        assert_ne!(h, event_hash("", &EventFields { data: "{ }", ..e.clone() }));
        // Moving bytes between fields is detected too.
        assert_ne!(
            event_hash("", &EventFields { actor: "ab", kind: "c", ..e.clone() }),
            event_hash("", &EventFields { actor: "a", kind: "bc", ..e.clone() })
        );
    }
}
