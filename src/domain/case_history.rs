//! A case as its event log stood at an instant: the reports' case figures come from replaying the
//! log up to the period's end, never from the case row as it is today, so a report emailed on the
//! first of the month, its link opened later and a re-run all agree (docs/measures.md, "Index 8").
//!
//! Deadlines come from the log too: each assignment (routed, escalated, forwarded, reopened,
//! assigned) records the acknowledgement and resolution deadlines it set; time waiting for the
//! citizen (recorded when they reply) moves both later by that much working time.

use chrono::{DateTime, Duration, Utc};

use crate::domain::calendar::{WorkDuration, WorkingTime};
use crate::domain::case::{EventKind, Status};

/// One entry of a case's log, as the replay needs it.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    pub at: DateTime<Utc>,
    pub kind: EventKind,
    pub facts: Facts,
}

/// The fields of an entry's data (its JSON in the log) that the replay reads; the rest of the
/// JSON (routing reasons, receipts: most of a month's log) is skipped, not built.
#[derive(Debug, Clone, Default, PartialEq, serde::Deserialize)]
#[serde(default)]
pub struct Facts {
    /// The deadlines an assignment set.
    pub ack_due: Option<DateTime<Utc>>,
    pub resolve_due: Option<DateTime<Utc>>,
    /// Which deadline a missed-deadline entry is about (`ack_breach`, `resolve_breach`).
    pub kind: Option<String>,
    /// On the citizen's reply: how long the case waited for them.
    pub paused_seconds: Option<i64>,
}

impl Facts {
    /// Data that cannot be read counts as none, as an entry without data does.
    pub fn parse(json: &str) -> Facts {
        serde_json::from_str(json).unwrap_or_default()
    }
}

/// Which deadline.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Deadline {
    Acknowledge,
    Resolve,
}

impl Deadline {
    pub fn as_str(self) -> &'static str {
        match self {
            Deadline::Acknowledge => "acknowledge",
            Deadline::Resolve => "resolve",
        }
    }
}

/// A step that met, or missed, a deadline: an acknowledgement or a closing.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Step {
    pub at: DateTime<Utc>,
    /// Within the deadline in force, and no deadline of this handling missed before.
    pub on_time: bool,
    /// Working time since the handling began (receipt, or the reopening), less time waiting for
    /// the citizen.
    pub working: Duration,
}

/// What the log says about a case up to an instant.
#[derive(Debug, Clone, PartialEq)]
pub struct AsOf {
    /// `None` when the case had no entry yet.
    pub status: Option<Status>,
    pub acknowledgements: Vec<Step>,
    pub closings: Vec<Step>,
    pub escalations: Vec<DateTime<Utc>>,
    pub reopenings: Vec<DateTime<Utc>>,
    /// The citizen's ratings of answers: (when, satisfied).
    pub verdicts: Vec<(DateTime<Utc>, bool)>,
    /// Open (not waiting for the citizen) past a deadline at the instant: which, and when it was.
    pub overdue: Option<(Deadline, DateTime<Utc>)>,
    /// Open past its resolution deadline at the instant ("kéo dài").
    pub dragging: bool,
}

/// Replays `entries` (in log order) up to `until` (exclusive) with the handler's calendar.
pub fn replay(entries: &[Entry], until: DateTime<Utc>, cal: &impl WorkingTime) -> AsOf {
    let mut out = AsOf {
        status: None,
        acknowledgements: Vec::new(),
        closings: Vec::new(),
        escalations: Vec::new(),
        reopenings: Vec::new(),
        verdicts: Vec::new(),
        overdue: None,
        dragging: false,
    };
    // The handling in progress: when it began, its deadlines, time paused, deadlines missed.
    let mut began: Option<DateTime<Utc>> = None;
    let mut dues: Option<(DateTime<Utc>, DateTime<Utc>)> = None;
    let mut paused = Duration::zero();
    let mut paused_since: Option<DateTime<Utc>> = None;
    let mut missed_ack = false;
    let mut missed_resolve = false;
    let shift = |t: DateTime<Utc>, paused: Duration| {
        if paused > Duration::zero() { cal.add(t, WorkDuration::Seconds(paused.num_seconds())) } else { t }
    };
    for e in entries.iter().take_while(|e| e.at < until) {
        use EventKind::*;
        let status = out.status;
        match e.kind {
            Received => {
                out.status = Some(Status::Received);
                began = Some(e.at);
            }
            Routed | Escalated | Forwarded | Reopened | Assigned => {
                if let (Some(a), Some(r)) = (e.facts.ack_due, e.facts.resolve_due) {
                    dues = Some((a, r));
                }
                paused = Duration::zero();
                match e.kind {
                    Escalated => out.escalations.push(e.at),
                    Reopened => {
                        out.reopenings.push(e.at);
                        out.status = Some(Status::Reopened);
                        began = Some(e.at);
                        missed_ack = false;
                        missed_resolve = false;
                    }
                    _ => {}
                }
            }
            DeadlineMissed | OverdueAtTop => {
                if e.facts.kind.as_deref().is_some_and(|k| k.starts_with("ack")) {
                    missed_ack = true;
                } else {
                    missed_resolve = true;
                }
            }
            Acknowledged => {
                let due = dues.map(|(a, _)| shift(a, paused));
                let on_time = !missed_ack && due.is_none_or(|d| e.at <= d);
                let working = working(cal, began, e.at, paused);
                out.acknowledgements.push(Step { at: e.at, on_time, working });
                out.status = Some(Status::Acknowledged);
            }
            InfoRequested => {
                out.status = Some(Status::WaitingCitizen);
                paused_since = Some(e.at);
            }
            CitizenReplied => {
                let s = e.facts.paused_seconds.unwrap_or(0);
                paused += Duration::seconds(s);
                paused_since = None;
                out.status = Some(Status::Acknowledged);
            }
            Resolved | Dismissed => {
                let due = dues.map(|(_, r)| shift(r, paused));
                // Closing while waiting for the citizen: the clock was stopped then.
                let late = due.is_some_and(|d| e.at > d) && status != Some(Status::WaitingCitizen);
                let on_time = !missed_resolve && !missed_ack && !late;
                let working = working(cal, began, e.at, paused);
                out.closings.push(Step { at: e.at, on_time, working });
                out.status = Some(if e.kind == Resolved { Status::Resolved } else { Status::Dismissed });
                paused_since = None;
            }
            CitizenSatisfied => out.verdicts.push((e.at, true)),
            CitizenNotSatisfied => out.verdicts.push((e.at, false)),
            _ => {}
        }
    }
    let open = out.status.is_some_and(|s| !s.is_closed());
    let waiting = out.status == Some(Status::WaitingCitizen) || paused_since.is_some();
    if open
        && !waiting
        && let Some((ack, resolve)) = dues.map(|(a, r)| (shift(a, paused), shift(r, paused)))
    {
        let unacknowledged = matches!(out.status, Some(Status::Received | Status::Reopened));
        out.dragging = resolve < until;
        out.overdue = if unacknowledged && ack < until {
            Some((Deadline::Acknowledge, ack))
        } else if resolve < until {
            Some((Deadline::Resolve, resolve))
        } else {
            None
        };
    }
    out
}

fn working(cal: &impl WorkingTime, began: Option<DateTime<Utc>>, at: DateTime<Utc>, paused: Duration) -> Duration {
    let Some(b) = began.filter(|b| *b <= at) else { return Duration::zero() };
    (cal.working_between(b, at) - paused).max(Duration::zero())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::calendar::Calendar;
    use chrono::TimeZone;
    use serde_json::{Value, json};

    fn at(d: u32, h: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, d, h, 0, 0).unwrap()
    }

    fn e(t: DateTime<Utc>, kind: EventKind, data: Value) -> Entry {
        // Through the JSON, as the log keeps it.
        Entry { at: t, kind, facts: Facts::parse(&data.to_string()) }
    }

    fn routed(t: DateTime<Utc>, ack: DateTime<Utc>, resolve: DateTime<Utc>) -> Entry {
        e(t, EventKind::Routed, json!({ "ack_due": ack.to_rfc3339(), "resolve_due": resolve.to_rfc3339() }))
    }

    #[test]
    fn on_time_late_and_overdue() {
        let cal = Calendar::always();
        let log = vec![
            e(at(2, 1), EventKind::Received, json!({})),
            routed(at(2, 1), at(2, 5), at(4, 1)),
            e(at(2, 3), EventKind::Acknowledged, json!({})),
            e(at(3, 1), EventKind::Resolved, json!({})),
        ];
        let r = replay(&log, at(30, 0), &cal);
        assert_eq!(r.status, Some(Status::Resolved));
        assert!(r.acknowledgements[0].on_time && r.closings[0].on_time);
        assert_eq!(r.acknowledgements[0].working, Duration::hours(2));
        assert_eq!(r.closings[0].working, Duration::hours(24));
        assert_eq!((r.overdue, r.dragging), (None, false));

        // The same log cut before the closing: open, past nothing yet on 3 Nov; past the
        // resolution deadline on 5 Nov.
        let mid = replay(&log, at(3, 0), &cal);
        assert_eq!((mid.status, mid.overdue, mid.closings.len()), (Some(Status::Acknowledged), None, 0));
        let cut = &log[..3];
        let late = replay(cut, at(5, 0), &cal);
        assert_eq!(late.overdue, Some((Deadline::Resolve, at(4, 1))));
        assert!(late.dragging);

        // Acknowledged after the deadline; then escalated for a missed resolution and closed in
        // the new window: still late.
        let log2 = vec![
            e(at(2, 1), EventKind::Received, json!({})),
            routed(at(2, 1), at(2, 5), at(4, 1)),
            e(at(2, 6), EventKind::Acknowledged, json!({})),
            e(at(4, 2), EventKind::DeadlineMissed, json!({ "kind": "resolve_breach", "level": 1 })),
            e(
                at(4, 2),
                EventKind::Escalated,
                json!({ "ack_due": at(4, 6).to_rfc3339(), "resolve_due": at(9, 2).to_rfc3339() }),
            ),
            e(at(5, 2), EventKind::Resolved, json!({})),
        ];
        let r = replay(&log2, at(30, 0), &cal);
        assert!(!r.acknowledgements[0].on_time);
        assert!(!r.closings[0].on_time);
        assert_eq!(r.escalations, vec![at(4, 2)]);
        // An unacknowledged case past its acknowledgement deadline is overdue for that.
        let unacked = replay(&log2[..2], at(2, 7), &cal);
        assert_eq!(unacked.overdue, Some((Deadline::Acknowledge, at(2, 5))));
        assert!(!unacked.dragging);
    }

    #[test]
    fn waiting_for_the_citizen_stops_the_clock() {
        let cal = Calendar::always();
        let log = vec![
            e(at(2, 1), EventKind::Received, json!({})),
            routed(at(2, 1), at(2, 5), at(4, 1)),
            e(at(2, 2), EventKind::Acknowledged, json!({})),
            e(at(3, 1), EventKind::InfoRequested, json!({})),
        ];
        // Waiting at the period's end: not overdue whatever the deadline said.
        let r = replay(&log, at(10, 0), &cal);
        assert_eq!((r.status, r.overdue, r.dragging), (Some(Status::WaitingCitizen), None, false));
        // The citizen answered after 3 days: the resolution deadline moves 3 days later.
        let mut log = log;
        log.push(e(at(6, 1), EventKind::CitizenReplied, json!({ "paused_seconds": 3 * 86_400 })));
        log.push(e(at(6, 12), EventKind::Resolved, json!({})));
        let r = replay(&log, at(30, 0), &cal);
        assert!(r.closings[0].on_time, "due 4 Nov + 3 days = 7 Nov 01:00");
        assert_eq!(r.closings[0].working, Duration::hours(4 * 24 + 11 - 72));
    }

    #[test]
    fn reopening_starts_a_new_handling() {
        let cal = Calendar::always();
        let log = vec![
            e(at(2, 1), EventKind::Received, json!({})),
            routed(at(2, 1), at(2, 5), at(4, 1)),
            e(at(4, 2), EventKind::DeadlineMissed, json!({ "kind": "resolve_breach", "level": 1 })),
            e(at(4, 3), EventKind::Resolved, json!({})),
            e(at(5, 1), EventKind::CitizenNotSatisfied, json!({})),
            e(
                at(5, 1),
                EventKind::Reopened,
                json!({ "ack_due": at(5, 5).to_rfc3339(), "resolve_due": at(8, 1).to_rfc3339() }),
            ),
            e(at(5, 2), EventKind::Acknowledged, json!({})),
            e(at(6, 1), EventKind::Resolved, json!({})),
            e(at(7, 1), EventKind::CitizenSatisfied, json!({})),
        ];
        let r = replay(&log, at(30, 0), &cal);
        assert_eq!(r.closings.iter().map(|s| s.on_time).collect::<Vec<_>>(), [false, true]);
        assert_eq!(r.reopenings, vec![at(5, 1)]);
        assert_eq!(r.verdicts, vec![(at(5, 1), false), (at(7, 1), true)]);
        assert_eq!(r.closings[1].working, Duration::hours(24));
        // Cut just after the reopening: open again.
        let mid = replay(&log, at(5, 1) + Duration::seconds(1), &cal);
        assert_eq!(mid.status, Some(Status::Reopened));
    }

    #[test]
    fn facts_are_read_from_the_logged_json_and_the_rest_skipped() {
        // As `routing` writes an assignment: other fields, nested lists, a local offset.
        let f = Facts::parse(
            r#"{"ack_due":"2025-11-04T08:00:00+07:00","channel":"web","reasons":[{"code":"x","text":"Người xử lý"}],"resolve_due":"2025-11-14T10:00:00+00:00","level":0}"#,
        );
        assert_eq!(f.ack_due, Some(Utc.with_ymd_and_hms(2025, 11, 4, 1, 0, 0).unwrap()));
        assert_eq!(f.resolve_due, Some(Utc.with_ymd_and_hms(2025, 11, 14, 10, 0, 0).unwrap()));
        assert_eq!((f.kind, f.paused_seconds), (None, None));
        assert_eq!(Facts::parse(r#"{"kind":"ack_breach","level":2}"#).kind.as_deref(), Some("ack_breach"));
        assert_eq!(Facts::parse(r#"{"paused_seconds":31900,"sha256":"ab"}"#).paused_seconds, Some(31900));
        // Unreadable data counts as none, as no data does.
        assert_eq!(Facts::parse("not json"), Facts::default());
        assert_eq!(Facts::parse(r#"{"ack_due":"tomorrow"}"#), Facts::default());
    }
}
