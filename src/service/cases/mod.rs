//! Case handling, one file per concern:
//!
//! - [`memo`]: organisation rows remembered within a use case and between new cases;
//! - [`mail`]: planning and queueing the emails a change causes (staff and citizen);
//! - [`assign`]: giving a case to a handler (routing a new case, escalation, forwarding, appeal);
//! - [`handler`]: what the handler and the officer concerned do through their emailed links;
//! - [`citizen`]: what the citizen does on the tracking page;
//! - [`operator`]: cases nobody independent can handle, and assigning one by hand;
//! - [`timers`]: the scheduler's reminders and escalations, and the privacy purge;
//! - [`view`]: read models of a case for the handler's page, the tracking page and the API.
//!
//! Each use case is one transaction: the case change, its events in the hash-chained log and its
//! emails (outbox rows) commit together.

mod assign;
mod citizen;
mod handler;
mod mail;
mod memo;
mod operator;
mod timers;
mod view;

use std::sync::Arc;

use chrono::{DateTime, NaiveDateTime, Utc};

pub use assign::{Opening, Plan, plan_open};
pub use citizen::{CitizenAction, citizen_act, citizen_reply, citizen_token, citizen_verdict, withdraw_consent};
pub(crate) use handler::perform_act;
pub use handler::{ActInput, Opened, act, explain, open_link, renew_link};
pub(crate) use mail::email_row;
pub use memo::MemoCache;
pub use operator::{Assigned, Unrouted, assign_by_hand, unrouted};
pub use timers::{TickReport, purge, tick};
pub use view::{
    Answer, CaseSummary, CaseView, CitizenForms, Contact, Detail, Handler, LinkPage, LogEntry, PublicStep, TrackView,
    case_page, case_page_again, track,
};
pub(crate) use view::{Seen, case_view};

use crate::config::Config;
use crate::domain::calendar::Calendar;
use crate::domain::case::EventKind;
use crate::domain::routing;
use crate::domain::sla::{Policy, Rules};
use crate::error::{Error, Result};
use crate::i18n::Text;
use crate::secret::Secret;
use crate::service::Services;
use crate::service::calendars::Calendars;
use crate::store::cases::Case;
use crate::store::{self, DbConn};
use crate::t;

/// Shortest answer (or reason) a handler may write.
pub const ANSWER_MIN: usize = 20;
/// Shortest reason for forwarding or escalating, or question to the citizen.
pub const REASON_MIN: usize = 10;
pub const TEXT_MAX: usize = 4000;

/// What case handling needs inside a transaction, owned so it can run on the database's writer:
/// one per use case (one transaction, one instant `now`); its memo of organisation rows is valid
/// only there.
#[derive(Clone)]
pub struct Ctx {
    pub config: Arc<Config>,
    pub secret: Secret,
    pub calendars: Arc<Calendars>,
    pub sla: Arc<Rules>,
    /// The instant the use case happens at.
    pub now: DateTime<Utc>,
    /// The base of links written now (the deployment's public URL).
    pub base: String,
    memo: std::cell::RefCell<memo::Memo>,
}

impl Services {
    /// The context of one case-handling use case at `now`.
    pub fn case_ctx(&self, now: DateTime<Utc>) -> Ctx {
        Ctx {
            config: self.config.clone(),
            secret: self.secret.clone(),
            calendars: self.calendars(),
            sla: self.sla.clone(),
            now,
            base: self.public_url(),
            memo: Default::default(),
        }
    }
}

impl Ctx {
    fn naive_now(&self) -> NaiveDateTime {
        self.now.naive_utc()
    }

    /// Today's local date.
    fn today(&self) -> chrono::NaiveDate {
        self.now.with_timezone(&crate::domain::LOCAL_TZ).date_naive()
    }

    fn policy(&self, case: &Case) -> Policy {
        self.sla.policy(case.category)
    }

    /// The calendar of a unit (its own, else the default).
    fn calendar_of(&self, c: &mut DbConn, unit_id: Option<i64>) -> Result<Arc<Calendar>> {
        let code = match unit_id {
            Some(id) => self.unit(c, id)?.calendar,
            None => None,
        };
        Ok(self.calendars.for_unit(code.as_deref()))
    }

    /// The routing request for a case: from its desk's unit (or the unit it was forwarded to),
    /// around its accused officer.
    fn request(&self, case: &Case) -> routing::Request {
        routing::Request {
            desk_unit: case.unit_id,
            handling_unit: case.route_unit_id,
            accused: case.officer_id,
            integrity: self.policy(case).integrity,
            today: self.today(),
        }
    }

    /// Appends one event to a case's log.
    fn event(&self, c: &mut DbConn, case_id: i64, actor: &str, kind: EventKind, data: serde_json::Value) -> Result<()> {
        store::cases::append_event(c, case_id, self.naive_now(), actor, kind, &data.to_string())?;
        Ok(())
    }

    fn unit_code(&self, c: &mut DbConn, id: i64) -> Result<String> {
        Ok(self.unit(c, id)?.code)
    }

    fn officer_code(&self, c: &mut DbConn, id: Option<i64>) -> Result<Option<String>> {
        id.map(|id| self.officer(c, id).map(|o| o.code)).transpose()
    }
}

fn naive(t: DateTime<Utc>) -> NaiveDateTime {
    t.naive_utc()
}

fn utc(t: NaiveDateTime) -> DateTime<Utc> {
    t.and_utc()
}

/// A text a person wrote, trimmed, within bounds; `what` names it in the message.
fn text_input(raw: &str, min: usize, what: Text) -> Result<String> {
    let v = raw.trim();
    let n = v.chars().count();
    if n < min || n > TEXT_MAX {
        let (vi, en) = (what.vi, what.en);
        return Err(Error::Invalid(t!(
            "{vi}: cần từ {min} đến {TEXT_MAX} ký tự (hiện có {n})",
            "{en}: needs {min} to {TEXT_MAX} characters (has {n})"
        )));
    }
    Ok(v.to_string())
}

/// Refusals that are the reader's business, not an error of the system.
fn refused(vi: &str, en: &str) -> Error {
    Error::Conflict(Text::new(vi, en))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_input_trims_and_bounds() {
        assert_eq!(text_input("  mười ký tự đủ rồi  ", 10, t!("Lý do", "Reason")).unwrap(), "mười ký tự đủ rồi");
        let e = text_input("ngắn", 10, t!("Lý do", "Reason")).unwrap_err();
        assert_eq!(e.user_message(crate::i18n::Lang::Vi), "Lý do: cần từ 10 đến 4000 ký tự (hiện có 4)");
        assert!(text_input(&"x".repeat(TEXT_MAX + 1), 1, t!("Lý do", "Reason")).is_err());
        assert!(text_input(&"ư".repeat(TEXT_MAX), 1, t!("Lý do", "Reason")).is_ok(), "counted in characters");
    }
}
