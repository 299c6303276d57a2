//! The emails a case change causes: planned (words, recipient, link, hold until office hours) and
//! written as outbox rows in the change's own transaction, once per deduplication key. A
//! recipient gets one email per event: what several rules would tell the same person at the same
//! moment goes into one email.

use chrono::{DateTime, Duration, NaiveDateTime, Utc};

use super::{Ctx, naive, utc};
use crate::domain::calendar::Calendar;
use crate::domain::case::LinkRole;
use crate::domain::routing::Recipient;
use crate::error::Result;
use crate::i18n::Lang;
use crate::mail::compose::{
    self, Addressee, CaseFacts, CitizenFacts, CitizenKind, Move, NUMBER_PLACEHOLDER, StaffKind,
};
use crate::service::links;
use crate::store::cases::Case;
use crate::store::outbox::NewEmail;
use crate::store::{self, DbConn};

/// Someone an email goes to.
#[derive(Debug, Clone)]
pub(super) struct To {
    pub officer: Option<i64>,
    pub addressee: Addressee,
    pub email: String,
    pub lang: Lang,
}

impl To {
    pub fn from_recipient(c: &mut DbConn, ctx: &Ctx, r: &Recipient) -> Result<To> {
        match r.officer {
            Some(id) => {
                let mut to = Self::person(c, ctx, id)?;
                to.email = r.email.clone();
                to.lang = r.lang;
                Ok(to)
            }
            None => {
                let unit = ctx.unit(c, r.unit)?;
                let addressee = Addressee { name: None, position: Some(unit.name) };
                Ok(To { officer: None, addressee, email: r.email.clone(), lang: r.lang })
            }
        }
    }

    /// An officer, when they have an address.
    pub fn officer(c: &mut DbConn, ctx: &Ctx, id: i64) -> Result<Option<To>> {
        let to = Self::person(c, ctx, id)?;
        Ok((!to.email.is_empty()).then_some(to))
    }

    fn person(c: &mut DbConn, ctx: &Ctx, id: i64) -> Result<To> {
        let o = ctx.officer(c, id)?;
        let unit = ctx.unit(c, o.unit_id)?;
        let addressee =
            Addressee { name: Some(o.name.clone()), position: Some(compose::position(&o.title, &unit.name)) };
        Ok(To { officer: Some(o.id), addressee, email: o.email.clone().unwrap_or_default(), lang: o.lang })
    }
}

/// A staff email about a case: to whom, what it says (one or more kinds, the first naming it),
/// with which link, on whose calendar (for the office-hours hold), and why the case moved.
pub(super) struct StaffMail<'a> {
    pub case: &'a Case,
    pub to: &'a To,
    pub kinds: Vec<StaffKind>,
    /// The link the email carries, and what it lets the holder do; `None` for no link.
    pub link: Option<LinkRole>,
    pub cal: &'a Calendar,
    pub moved: Option<Move>,
}

impl<'a> StaffMail<'a> {
    /// One kind of email, with the link it always carries.
    pub fn one(case: &'a Case, to: &'a To, kind: StaffKind, link: Option<LinkRole>, cal: &'a Calendar) -> Self {
        StaffMail { case, to, kinds: vec![kind], link, cal, moved: None }
    }

    /// The deduplication key: one email per case, stage, kind and recipient.
    pub fn stage_key(&self) -> String {
        let kind = self.kinds.first().map_or("", |k| k.as_str());
        format!("s{}:{}:{}", self.case.stage, kind, self.to.email.to_lowercase())
    }
}

/// An email's deduplication key: the case id (sequential, so the key index grows at its end; a
/// new case's emails get it when the case row is written) and what is unique within the case.
pub(super) fn case_key(case_id: i64, part: &str) -> String {
    format!("case:{case_id}:{part}")
}

/// An email planned for a case: its outbox row and, when it carries a link, the link to create.
pub struct Planned {
    row: NewEmail,
    link: Option<links::NewLink>,
    /// The key within the case (see [`case_key`]).
    key: String,
}

/// What the emails say about a case. A case not yet written (id 0) gets its number when it is.
fn facts(c: &mut DbConn, ctx: &Ctx, case: &Case, moved: Option<Move>) -> Result<CaseFacts> {
    let desk = ctx.desk(c, case.desk_id)?;
    let unit = ctx.unit(c, desk.unit_id)?;
    let number = if case.id == 0 { NUMBER_PLACEHOLDER.to_string() } else { case.number() };
    Ok(CaseFacts {
        number,
        category: case.category,
        status: case.status,
        desk: desk.name,
        unit: unit.name,
        received_at: utc(case.created_at),
        ack_due: case.ack_due_at.map(utc),
        resolve_due: case.resolve_due_at.map(utc),
        level: case.level,
        moved,
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
    let link_text = m.link.map(|_| compose::link_template(&ctx.base));
    let rendered = compose::staff(
        &m.kinds,
        m.to.lang,
        &m.to.addressee,
        &facts(c, ctx, m.case, m.moved)?,
        link_text.as_deref(),
        ctx.config.sla.link_days,
    );
    let kind = m.kinds.first().map_or("", |k| k.as_str());
    let mut row = email_row(String::new(), None, kind, m.to.email.clone(), m.to.lang, rendered, now);
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

/// Stores a planned email and its link (inside the caller's transaction) for the case `case_id`,
/// received at `received` (UTC).
pub(super) fn write(c: &mut DbConn, case_id: i64, received: NaiveDateTime, mut p: Planned) -> Result<()> {
    if let Some(link) = &p.link {
        p.row.link_id = Some(links::insert(c, case_id, link, p.row.created_at)?);
    }
    // Planned before the case row existed: its number is known now.
    if p.row.subject.contains(NUMBER_PLACEHOLDER) {
        let number = store::cases::number_of(case_id, received);
        for part in [&mut p.row.subject, &mut p.row.body_text, &mut p.row.body_html] {
            *part = part.replace(NUMBER_PLACEHOLDER, &number);
        }
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
        Some(p) => write(c, m.case.id, m.case.created_at, p),
        None => Ok(()),
    }
}

/// Tells the case's current handler (when they have an address) with a handler link.
pub(super) fn notify_handler(c: &mut DbConn, ctx: &Ctx, case: &Case, kind: StaffKind, cal: &Calendar) -> Result<()> {
    if let Some(h) = case.handler_officer_id
        && let Some(to) = To::officer(c, ctx, h)?
    {
        notify(c, ctx, &StaffMail::one(case, &to, kind, Some(LinkRole::Handler), cal))?;
    }
    Ok(())
}

/// Tells the oversight unit copied on an integrity case how it ended (resolved, dismissed, or
/// overdue with nobody above), with a read-only link: once per stage of the case.
pub(super) fn tell_oversight(c: &mut DbConn, ctx: &Ctx, case: &Case) -> Result<()> {
    if !ctx.policy(case).integrity {
        return Ok(());
    }
    let org = ctx.org_view(c, case)?;
    let Ok(ladder) = crate::domain::routing::ladder(&org, &ctx.request(case)) else { return Ok(()) };
    let Some(rung) = ladder.into_iter().nth(case.level.max(0) as usize) else { return Ok(()) };
    for r in &rung.copies {
        let to = To::from_recipient(c, ctx, r)?;
        let cal = ctx.calendar_of(c, Some(r.unit))?;
        notify(c, ctx, &StaffMail::one(case, &to, StaffKind::Outcome, Some(LinkRole::Observer), &cal))?;
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

/// The complainant's email about their case, when they consented to one: the address stays
/// sealed in the outbox (`vault:{case}`) and is opened only when sending.
pub(super) fn notify_citizen(c: &mut DbConn, ctx: &Ctx, case: &Case, kind: CitizenKind, body: &str) -> Result<()> {
    let Some(contact) = store::cases::contact(c, case.id)? else { return Ok(()) };
    let Some(sealed) = contact.sealed else { return Ok(()) };
    let opened = crate::vault::open(&ctx.secret, case.id, &sealed)?;
    if opened.email.is_none() {
        return Ok(());
    }
    let key = case_key(case.id, &format!("e{}:{}:citizen", case.event_count, kind.as_str()));
    let row = citizen_row(c, ctx, case, kind, opened.lang, body, key)?;
    store::outbox::enqueue(c, &row)?;
    Ok(())
}

/// The email to the citizen, as an outbox row.
pub(super) fn citizen_row(
    c: &mut DbConn,
    ctx: &Ctx,
    case: &Case,
    kind: CitizenKind,
    lang: Lang,
    body: &str,
    key: String,
) -> Result<NewEmail> {
    let tracking = match lang {
        Lang::Vi => format!("{}/t/{}", ctx.base, case.receipt),
        Lang::En => format!("{}/t/{}?lang=en", ctx.base, case.receipt),
    };
    let desk = ctx.desk(c, case.desk_id)?;
    let unit = ctx.unit(c, desk.unit_id)?;
    let facts = CitizenFacts {
        receipt: case.receipt.clone(),
        category: case.category,
        status: case.status,
        desk: desk.name,
        unit: unit.name,
        received_at: utc(case.created_at),
    };
    let r = compose::citizen(kind, lang, &facts, body, &tracking);
    Ok(email_row(key, Some(case.id), kind.as_str(), format!("vault:{}", case.id), lang, r, ctx.now))
}
