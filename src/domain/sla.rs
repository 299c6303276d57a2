//! Handling deadlines (SLA clocks) and the escalation timer rule. Pure: the calendar, the policy
//! and `now` are passed in.
//!
//! A case's clocks run from the moment its current handler got it (`started`), in working time
//! on the handler unit's calendar. Waiting for the citizen pauses them: the working time spent
//! waiting (`paused`) pushes every deadline back by as much. A reminder goes to the handler when
//! a share of a window has passed; at a deadline the case escalates one level, and the new
//! handler's clocks start again.

use std::collections::BTreeMap;

use chrono::{DateTime, Duration, Utc};

use crate::domain::calendar::{Calendar, WorkDuration};
use crate::domain::case::{Category, Status};

/// The windows for one category.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Policy {
    pub acknowledge: WorkDuration,
    pub resolve: WorkDuration,
    /// Emails about urgent cases go out at once, even outside office hours.
    pub urgent: bool,
    /// Integrity categories also copy the oversight unit.
    pub integrity: bool,
}

/// One category's departures from the general windows (`[sla.categories.delay]`).
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Override {
    pub acknowledge: Option<WorkDuration>,
    pub resolve: Option<WorkDuration>,
    /// Urgent cases' emails go out at once, even outside office hours.
    pub urgent: Option<bool>,
}

/// The handling deadlines of every category: general windows, stricter ones for integrity
/// categories, and per-category overrides. Built from the configuration by the caller.
#[derive(Debug, Clone, PartialEq)]
pub struct Rules {
    pub integrity_categories: Vec<Category>,
    pub acknowledge: WorkDuration,
    pub resolve: WorkDuration,
    pub integrity_acknowledge: WorkDuration,
    pub integrity_resolve: WorkDuration,
    pub overrides: BTreeMap<Category, Override>,
    /// A reminder goes to the handler when this share of a window has passed.
    pub reminder_percent: u8,
}

impl Default for Rules {
    /// Acknowledge within 8 working hours and resolve within 10 working days; integrity
    /// categories (unofficial money, harassment) within 4 hours and 5 days, urgently.
    fn default() -> Self {
        Rules {
            integrity_categories: vec![Category::PettyCorruption, Category::Harassment],
            acknowledge: WorkDuration::Seconds(8 * 3600),
            resolve: WorkDuration::Days(10),
            integrity_acknowledge: WorkDuration::Seconds(4 * 3600),
            integrity_resolve: WorkDuration::Days(5),
            overrides: BTreeMap::new(),
            reminder_percent: 75,
        }
    }
}

impl Rules {
    pub fn policy(&self, category: Category) -> Policy {
        let integrity = self.integrity_categories.contains(&category);
        let (ack, resolve) = if integrity {
            (self.integrity_acknowledge, self.integrity_resolve)
        } else {
            (self.acknowledge, self.resolve)
        };
        let o = self.overrides.get(&category);
        Policy {
            acknowledge: o.and_then(|o| o.acknowledge).unwrap_or(ack),
            resolve: o.and_then(|o| o.resolve).unwrap_or(resolve),
            urgent: o.and_then(|o| o.urgent).unwrap_or(integrity),
            integrity,
        }
    }
}

/// The instants that matter for one handler's windows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Clocks {
    pub ack_reminder: DateTime<Utc>,
    pub ack_due: DateTime<Utc>,
    pub resolve_reminder: DateTime<Utc>,
    pub resolve_due: DateTime<Utc>,
}

/// Deadlines for a handler who got the case at `started`, after `paused` working time spent
/// waiting for the citizen.
pub fn clocks(cal: &Calendar, p: &Policy, started: DateTime<Utc>, paused: Duration, reminder_percent: u8) -> Clocks {
    let shift = |t: DateTime<Utc>| {
        if paused > Duration::zero() { cal.add(t, WorkDuration::Seconds(paused.num_seconds())) } else { t }
    };
    let window = |d: WorkDuration| {
        let due = cal.add(started, d);
        let length = cal.working_between(started, due).num_seconds();
        let reminder = cal.add(started, WorkDuration::Seconds(length * i64::from(reminder_percent) / 100));
        (shift(reminder), shift(due))
    };
    let (ack_reminder, ack_due) = window(p.acknowledge);
    let (resolve_reminder, resolve_due) = window(p.resolve);
    Clocks { ack_reminder, ack_due, resolve_reminder, resolve_due }
}

/// What the scheduler must do about a case now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Due {
    /// Remind the handler: the acknowledgement window is mostly used.
    AckReminder,
    ResolveReminder,
    /// A deadline passed: escalate one level.
    AckBreach,
    ResolveBreach,
}

impl Due {
    pub fn as_str(self) -> &'static str {
        match self {
            Due::AckReminder => "ack_reminder",
            Due::ResolveReminder => "resolve_reminder",
            Due::AckBreach => "ack_breach",
            Due::ResolveBreach => "resolve_breach",
        }
    }
}

/// Notifications already given at the current level (stored as a comma list).
pub fn notified(list: &str, due: Due) -> bool {
    list.split(',').any(|x| x == due.as_str())
}

/// Whether the acknowledgement window applies in this status.
fn awaits_ack(status: Status) -> bool {
    matches!(status, Status::Received | Status::Reopened)
}

fn clocks_run(status: Status) -> bool {
    matches!(status, Status::Received | Status::Acknowledged | Status::Reopened)
}

/// The one thing due at `now`, if any, and when to look again. After downtime only the most
/// serious due item fires: a breach makes its reminder moot, and each fires once per level.
pub fn evaluate(status: Status, c: &Clocks, already: &str, now: DateTime<Utc>) -> (Option<Due>, Option<DateTime<Utc>>) {
    if !clocks_run(status) {
        return (None, None);
    }
    let ack = awaits_ack(status);
    let due_now = if ack && now >= c.ack_due {
        Some(Due::AckBreach)
    } else if now >= c.resolve_due {
        Some(Due::ResolveBreach)
    } else if ack && now >= c.ack_reminder && !notified(already, Due::AckReminder) {
        Some(Due::AckReminder)
    } else if now >= c.resolve_reminder && !notified(already, Due::ResolveReminder) {
        Some(Due::ResolveReminder)
    } else {
        None
    };
    if matches!(due_now, Some(Due::AckBreach | Due::ResolveBreach)) {
        // The escalation restarts the clocks; the caller computes the next timer then.
        return (due_now, None);
    }
    // The earliest instant after now at which something will be due.
    let mut next: Vec<DateTime<Utc>> = vec![c.resolve_due];
    if ack {
        next.push(c.ack_due);
        if !notified(already, Due::AckReminder) && due_now != Some(Due::AckReminder) {
            next.push(c.ack_reminder);
        }
    }
    if !notified(already, Due::ResolveReminder) && due_now != Some(Due::ResolveReminder) {
        next.push(c.resolve_reminder);
    }
    let next = next.into_iter().filter(|t| *t > now).min();
    (due_now, next)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn t(s: &str) -> DateTime<Utc> {
        // Local (Asia/Ho_Chi_Minh) wall time → UTC.
        let naive = chrono::NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap();
        chrono_tz::Asia::Ho_Chi_Minh.from_local_datetime(&naive).unwrap().with_timezone(&Utc)
    }

    fn default_policy() -> Policy {
        Rules::default().policy(Category::Delay)
    }

    #[test]
    fn policies_by_category() {
        let c = Rules::default();
        let p = c.policy(Category::PettyCorruption);
        assert_eq!(
            (p.acknowledge, p.resolve, p.urgent, p.integrity),
            (WorkDuration::Seconds(4 * 3600), WorkDuration::Days(5), true, true)
        );
        let p = c.policy(Category::Delay);
        assert_eq!(
            (p.acknowledge, p.resolve, p.urgent, p.integrity),
            (WorkDuration::Seconds(8 * 3600), WorkDuration::Days(10), false, false)
        );
        let mut c = c;
        c.overrides.insert(
            Category::Delay,
            Override { acknowledge: Some("2h".parse().unwrap()), resolve: None, urgent: Some(true) },
        );
        let p = c.policy(Category::Delay);
        assert_eq!((p.acknowledge, p.resolve, p.urgent), (WorkDuration::Seconds(7200), WorkDuration::Days(10), true));
    }

    #[test]
    fn clocks_on_working_time() {
        let cal = Calendar::vn();
        // Friday 16:30: 8 working hours → Monday 17:00; 75 % (6 h) → Monday 15:00.
        let c = clocks(&cal, &default_policy(), t("2026-11-27 16:30"), Duration::zero(), 75);
        assert_eq!(c.ack_due, t("2026-11-30 17:00"));
        assert_eq!(c.ack_reminder, t("2026-11-30 15:00"));
        // 10 working days from Friday afternoon: the end of Friday 11 December.
        assert_eq!(c.resolve_due, t("2026-12-11 17:00"));
        // Two working hours spent waiting for the citizen push every deadline back by two hours.
        let p = clocks(&cal, &default_policy(), t("2026-11-27 16:30"), Duration::hours(2), 75);
        assert_eq!(p.ack_due, t("2026-12-01 09:30"));
        assert_eq!(p.resolve_due, t("2026-12-14 09:30"));
    }

    #[test]
    fn timers_fire_once_and_breach_wins() {
        let cal = Calendar::always();
        let start = Utc.with_ymd_and_hms(2026, 1, 5, 0, 0, 0).unwrap();
        let c = clocks(&cal, &default_policy(), start, Duration::zero(), 75);
        assert_eq!(c.ack_due, start + Duration::hours(8));
        assert_eq!(c.ack_reminder, start + Duration::hours(6));
        // Before anything: nothing due, next look at the reminder.
        assert_eq!(evaluate(Status::Received, &c, "", start), (None, Some(c.ack_reminder)));
        // At the reminder: remind once; next look at the deadline.
        assert_eq!(evaluate(Status::Received, &c, "", c.ack_reminder), (Some(Due::AckReminder), Some(c.ack_due)));
        assert_eq!(evaluate(Status::Received, &c, "ack_reminder", c.ack_reminder), (None, Some(c.ack_due)));
        // After downtime past the deadline: one escalation, no reminder.
        assert_eq!(evaluate(Status::Received, &c, "", c.ack_due + Duration::days(3)), (Some(Due::AckBreach), None));
        // Acknowledged: only the resolution window matters.
        let (due, next) = evaluate(Status::Acknowledged, &c, "ack_reminder", c.ack_due + Duration::hours(1));
        assert_eq!((due, next), (None, Some(c.resolve_reminder)));
        assert_eq!(evaluate(Status::Acknowledged, &c, "", c.resolve_due).0, Some(Due::ResolveBreach));
        // Paused or closed: no timer at all.
        for s in [Status::WaitingCitizen, Status::Resolved, Status::Dismissed] {
            assert_eq!(evaluate(s, &c, "", c.resolve_due), (None, None));
        }
    }
}
