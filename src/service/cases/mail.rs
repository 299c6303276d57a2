//! The emails a case change causes: planned (words, recipient, link, hold until office hours) and
//! written as outbox rows in the change's own transaction, once per deduplication key.

use chrono::{DateTime, Duration, Utc};

use super::{Ctx, naive, utc};
use crate::domain::calendar::Calendar;
use crate::domain::case::LinkRole;
use crate::domain::routing::Recipient;
use crate::error::Result;
use crate::i18n::Lang;
use crate::mail::compose::{self, CaseFacts, CitizenKind, StaffKind};
use crate::service::links;
use crate::store::cases::Case;
use crate::store::outbox::NewEmail;
use crate::store::{self, DbConn};

/// Someone an email goes to.
pub(super) struct To {
    pub officer: Option<i64>,
    pub name: Option<String>,
    pub email: String,
    pub lang: Lang,
}

impl To {
    pub fn from_recipient(c: &mut DbConn, ctx: &Ctx, r: &Recipient) -> Result<To> {
        let name = match r.officer {
            Some(id) => Some(ctx.officer(c, id)?.name),
            None => None,
        };
        Ok(To { officer: r.officer, name, email: r.email.clone(), lang: r.lang })
    }

    /// An officer, when they have an address.
    pub fn officer(c: &mut DbConn, ctx: &Ctx, id: i64) -> Result<Option<To>> {
        let o = ctx.officer(c, id)?;
        Ok(o.email.clone().map(|email| To { officer: Some(o.id), name: Some(o.name.clone()), email, lang: o.lang }))
    }
}

/// A staff email about a case: to whom, what kind, with which link, on whose calendar (for the
/// office-hours hold).
pub(super) struct StaffMail<'a> {
    pub case: &'a Case,
    pub to: &'a To,
    pub kind: StaffKind,
    /// The link the email carries, and what it lets the holder do; `None` for no link.
    pub link: Option<LinkRole>,
    pub cal: &'a Calendar,
}

impl StaffMail<'_> {
    /// The deduplication key: one email per case, stage, kind and recipient.
    pub fn stage_key(&self) -> String {
        format!("s{}:{}:{}", self.case.stage, self.kind.as_str(), self.to.email.to_lowercase())
    }
}

/// An email's deduplication key: the case id (sequential, so the key index grows at its end; a
/// new case's emails get it when the case row is written) and what is unique within the case.
fn case_key(case_id: i64, part: &str) -> String {
    format!("case:{case_id}:{part}")
}

/// An email planned for a case: its outbox row and, when it carries a link, the link to create.
pub struct Planned {
    row: NewEmail,
    link: Option<links::NewLink>,
    /// The key within the case (see [`case_key`]).
    key: String,
}

/// What the emails say about a case.
fn facts(c: &mut DbConn, ctx: &Ctx, case: &Case) -> Result<CaseFacts> {
    let desk = ctx.desk(c, case.desk_id)?;
    let unit = ctx.unit(c, desk.unit_id)?;
    Ok(CaseFacts {
        receipt: case.receipt.clone(),
        category: case.category,
        status: case.status,
        desk: desk.name,
        unit: unit.name,
        received_at: utc(case.created_at),
        ack_due: case.ack_due_at.map(utc),
        resolve_due: case.resolve_due_at.map(utc),
        level: case.level,
    })
}

/// Plans a staff email (once per `key`), with a fresh link when the email carries one.
/// Non-urgent emails written outside office hours wait for the next office-hours start on the
/// case's calendar. `fresh`: the case is being created, so no email of it can exist yet.
pub(super) fn plan(c: &mut DbConn, ctx: &Ctx, m: &StaffMail, key: String, fresh: bool) -> Result<Option<Planned>> {
    let now = ctx.now;
    if !fresh && store::outbox::exists(c, &case_key(m.case.id, &key))? {
        return Ok(None);
    }
    let rendered =
        compose::staff(m.kind, m.to.lang, m.to.name.as_deref(), &facts(c, ctx, m.case)?, ctx.config.sla.link_days);
    let mut row = email_row(String::new(), None, m.kind.as_str(), m.to.email.clone(), m.to.lang, rendered, now);
    let link = m.link.map(|role| {
        let (nonce, token_hash) = links::prepare(&ctx.secret);
        row.link_nonce = Some(nonce);
        links::NewLink {
            officer_id: m.to.officer,
            email: m.to.email.clone(),
            role,
            token_hash,
            expires_at: naive(now + Duration::days(ctx.config.sla.link_days as i64)),
        }
    });
    let not_before = if ctx.policy(m.case).urgent { now } else { m.cal.next_working_start(now) };
    row.not_before = naive(not_before.min(now + Duration::days(30)));
    // The first attempt is at the hold's end; retries only move it later.
    row.next_attempt_at = row.not_before;
    Ok(Some(Planned { row, link, key }))
}

/// Stores a planned email and its link (inside the caller's transaction).
pub(super) fn write(c: &mut DbConn, case_id: i64, mut p: Planned, now: DateTime<Utc>) -> Result<()> {
    if let Some(link) = &p.link {
        p.row.link_id = Some(links::insert(c, case_id, link, naive(now))?);
    }
    p.row.case_id = Some(case_id);
    p.row.dedupe_key = case_key(case_id, &p.key);
    store::outbox::insert(c, &p.row)
}

/// Queues a staff email about a case, once per case, stage, kind and recipient.
pub(super) fn notify(c: &mut DbConn, ctx: &Ctx, m: &StaffMail) -> Result<()> {
    notify_keyed(c, ctx, m, m.stage_key())
}

/// [`notify`] with its own deduplication key.
pub(super) fn notify_keyed(c: &mut DbConn, ctx: &Ctx, m: &StaffMail, key: String) -> Result<()> {
    match plan(c, ctx, m, key, false)? {
        Some(p) => write(c, m.case.id, p, ctx.now),
        None => Ok(()),
    }
}

/// Tells the case's current handler (when they have an address) with a handler link.
pub(super) fn notify_handler(c: &mut DbConn, ctx: &Ctx, case: &Case, kind: StaffKind, cal: &Calendar) -> Result<()> {
    if let Some(h) = case.handler_officer_id
        && let Some(to) = To::officer(c, ctx, h)?
    {
        notify(c, ctx, &StaffMail { case, to: &to, kind, link: Some(LinkRole::Handler), cal })?;
    }
    Ok(())
}

/// An outbox row due now.
pub(crate) fn email_row(
    key: String,
    case_id: Option<i64>,
    kind: &str,
    recipient: String,
    lang: Lang,
    r: compose::Rendered,
    now: DateTime<Utc>,
) -> NewEmail {
    NewEmail {
        dedupe_key: key,
        case_id,
        kind: kind.into(),
        recipient,
        cc: String::new(),
        lang: lang.code().into(),
        subject: r.subject,
        body_text: r.text,
        body_html: r.html,
        link_id: None,
        link_nonce: None,
        not_before: naive(now),
        next_attempt_at: naive(now),
        created_at: naive(now),
    }
}

/// The complainant's email, when they consented to one: sealed address, opened when sending.
pub(super) fn notify_citizen(c: &mut DbConn, ctx: &Ctx, case: &Case, kind: CitizenKind, body: &str) -> Result<()> {
    let Some(contact) = store::cases::contact(c, case.id)? else { return Ok(()) };
    let Some(sealed) = contact.sealed else { return Ok(()) };
    let opened = crate::vault::open(&ctx.secret, case.id, &sealed)?;
    if opened.email.is_none() {
        return Ok(());
    }
    let key = case_key(case.id, &format!("e{}:{}:citizen", case.event_count, kind.as_str()));
    let tracking = match opened.lang {
        Lang::Vi => format!("{}/t/{}", ctx.config.public_url(), case.receipt),
        Lang::En => format!("{}/t/{}?lang=en", ctx.config.public_url(), case.receipt),
    };
    let r = compose::citizen(kind, opened.lang, &facts(c, ctx, case)?, body, &tracking);
    let recipient = format!("vault:{}", case.id);
    store::outbox::enqueue(c, &email_row(key, Some(case.id), kind.as_str(), recipient, opened.lang, r, ctx.now))?;
    Ok(())
}
