//! Case handling: routing a new case, the handler's actions, the citizen's side, the scheduler's
//! reminders and escalations, and the privacy purge. Each use case is one transaction: the case
//! change, its events in the hash-chained log and its emails (outbox rows) commit together.

use std::cell::RefCell;
use std::collections::HashMap;
use std::sync::Arc;

use chrono::{DateTime, Duration, NaiveDateTime, Utc};
use serde_json::json;

use crate::config::Config;
use crate::domain::audit::text_digest;
use crate::domain::calendar::Calendar;
use crate::domain::case::{self, Act, Category, Dismissal, Status};
use crate::domain::routing::{self, Decision, Recipient};
use crate::domain::sla::{self, Due, Policy};
use crate::error::{Error, Result};
use crate::i18n::{Lang, Text};
use crate::mail::compose::{self, CaseFacts, CitizenKind, StaffKind};
use crate::secret::Secret;
use crate::service::Services;
use crate::service::calendars::Calendars;
use crate::service::links::{self, Role};
use crate::store::cases::Case;
use crate::store::org::{Desk, Officer, Unit};
use crate::store::outbox::NewEmail;
use crate::store::{self, DbConn};
use crate::t;

/// What case handling needs inside a transaction, owned so it can run on the database's writer.
/// One per use case (one transaction): its memo of organisation rows is valid only there.
#[derive(Clone)]
pub struct Ctx {
    pub config: Arc<Config>,
    pub secret: Secret,
    pub calendars: Arc<Calendars>,
    memo: RefCell<Memo>,
}

/// Organisation rows read during one transaction: a tick escalating a thousand cases of one
/// commune reads the commune's units and officers once, not a thousand times.
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

    fn get(&self) -> Option<Memo> {
        let g = self.inner.lock().unwrap_or_else(|p| p.into_inner());
        g.as_ref().filter(|(at, _)| at.elapsed() < self.ttl).map(|(_, m)| m.clone())
    }

    fn put(&self, m: Memo) {
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

impl Services {
    pub fn case_ctx(&self) -> Ctx {
        Ctx {
            config: self.config.clone(),
            secret: self.secret.clone(),
            calendars: self.calendars(),
            memo: Default::default(),
        }
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

fn unit(c: &mut DbConn, ctx: &Ctx, id: i64) -> Result<Unit> {
    remember(ctx, id, |m| &mut m.units, || store::org::unit(c, id))
}

fn desk(c: &mut DbConn, ctx: &Ctx, id: i64) -> Result<Desk> {
    remember(ctx, id, |m| &mut m.desks, || store::org::desk(c, id))
}

fn officer(c: &mut DbConn, ctx: &Ctx, id: i64) -> Result<Officer> {
    remember(ctx, id, |m| &mut m.officers, || store::org::officer(c, id))
}

pub const ANSWER_MIN: usize = 20;
pub const REASON_MIN: usize = 10;
pub const TEXT_MAX: usize = 4000;

/// Why a case changed hands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Assignment {
    New,
    Escalation,
    Forward,
    Appeal,
}

impl Assignment {
    fn event(self) -> &'static str {
        match self {
            Assignment::New => "routed",
            Assignment::Escalation => "escalated",
            Assignment::Forward => "forwarded",
            Assignment::Appeal => "reopened",
        }
    }

    fn mail(self) -> StaffKind {
        match self {
            Assignment::New => StaffKind::NewCase,
            Assignment::Escalation => StaffKind::EscalatedTo,
            Assignment::Forward => StaffKind::ForwardedTo,
            Assignment::Appeal => StaffKind::Appeal,
        }
    }
}

fn naive(t: DateTime<Utc>) -> NaiveDateTime {
    t.naive_utc()
}

fn utc(t: NaiveDateTime) -> DateTime<Utc> {
    t.and_utc()
}

fn today(now: DateTime<Utc>) -> chrono::NaiveDate {
    now.with_timezone(&crate::service::desk::TZ).date_naive()
}

fn category(case: &Case) -> Category {
    Category::parse(&case.category).unwrap_or(Category::Other)
}

fn status(case: &Case) -> Status {
    Status::parse(&case.status).unwrap_or(Status::Received)
}

fn policy(ctx: &Ctx, case: &Case) -> Policy {
    sla::policy(&ctx.config.sla, category(case))
}

fn calendar_of(c: &mut DbConn, ctx: &Ctx, unit_id: Option<i64>) -> Result<Arc<Calendar>> {
    let code = match unit_id {
        Some(id) => unit(c, ctx, id)?.calendar,
        None => None,
    };
    Ok(ctx.calendars.for_unit(code.as_deref()))
}

/// The routing request for a case: from its desk's unit (or the unit it was forwarded to),
/// around its accused officer.
fn request(ctx: &Ctx, case: &Case, now: DateTime<Utc>) -> routing::Request {
    routing::Request {
        desk_unit: case.unit_id,
        handling_unit: case.route_unit_id,
        accused: case.officer_id,
        integrity: policy(ctx, case).integrity,
        today: today(now),
    }
}

fn view(c: &mut DbConn, ctx: &Ctx, case: &Case, now: DateTime<Utc>) -> Result<routing::OrgView> {
    let mut start = vec![case.unit_id];
    start.extend(case.route_unit_id);
    let key = (start, case.officer_id);
    if let Some(v) = ctx.memo.borrow().views.get(&key) {
        return Ok(v.clone());
    }
    let v = store::org::routing_view(c, &key.0, case.officer_id, today(now))?;
    ctx.memo.borrow_mut().views.insert(key, v.clone());
    Ok(v)
}

/// What the emails say about a case.
fn facts(c: &mut DbConn, ctx: &Ctx, case: &Case) -> Result<CaseFacts> {
    let desk = desk(c, ctx, case.desk_id)?;
    let unit = unit(c, ctx, desk.unit_id)?;
    Ok(CaseFacts {
        receipt: case.receipt.clone(),
        category: category(case),
        status: status(case),
        desk: desk.name,
        unit: unit.name,
        received_at: utc(case.created_at),
        ack_due: case.ack_due_at.map(utc),
        resolve_due: case.resolve_due_at.map(utc),
        level: case.level,
    })
}

/// Someone an email goes to.
struct To {
    officer: Option<i64>,
    name: Option<String>,
    email: String,
    lang: Lang,
}

impl To {
    fn from_recipient(c: &mut DbConn, ctx: &Ctx, r: &Recipient) -> Result<To> {
        let name = match r.officer {
            Some(id) => Some(officer(c, ctx, id)?.name),
            None => None,
        };
        Ok(To { officer: r.officer, name, email: r.email.clone(), lang: r.lang })
    }

    fn officer(c: &mut DbConn, ctx: &Ctx, id: i64) -> Result<Option<To>> {
        let o = officer(c, ctx, id)?;
        Ok(o.email.clone().map(|email| To {
            officer: Some(o.id),
            name: Some(o.name.clone()),
            email,
            lang: Lang::parse(&o.lang).unwrap_or_default(),
        }))
    }
}

/// The deduplication key of a staff email: one per case, stage, kind and recipient.
fn stage_key(case: &Case, kind: StaffKind, email: &str) -> String {
    format!("s{}:{}:{}", case.stage, kind.as_str(), email.to_lowercase())
}

/// An email's deduplication key: the case id (sequential, so the key index grows at its end; a
/// new case's emails get it when the case row is written) and what is unique within the case.
fn case_key(case_id: i64, part: &str) -> String {
    format!("case:{case_id}:{part}")
}

/// An email planned for a case: its outbox row and, when it carries a link, the link to create.
struct Planned {
    row: NewEmail,
    link: Option<links::NewLink>,
    /// The key within the case (see [`case_key`]).
    key: String,
}

/// Plans a staff email about a case (once per key), with a fresh link when `role` is given.
/// Non-urgent emails written outside office hours wait for the next office-hours start on the
/// case's calendar. `fresh`: the case is being created, so no email of it can exist yet.
#[allow(clippy::too_many_arguments)]
fn plan_email(
    c: &mut DbConn,
    ctx: &Ctx,
    case: &Case,
    to: &To,
    kind: StaffKind,
    role: Option<Role>,
    cal: &Calendar,
    now: DateTime<Utc>,
    key: String,
    fresh: bool,
) -> Result<Option<Planned>> {
    if !fresh && store::outbox::exists(c, &case_key(case.id, &key))? {
        return Ok(None);
    }
    let rendered = compose::staff(kind, to.lang, to.name.as_deref(), &facts(c, ctx, case)?, ctx.config.sla.link_days);
    let mut row = email_row(String::new(), None, kind.as_str(), to.email.clone(), to.lang, rendered, now);
    let link = role.map(|role| {
        let (nonce, token_hash) = links::prepare(&ctx.secret);
        row.link_nonce = Some(nonce);
        links::NewLink {
            officer_id: to.officer,
            email: to.email.clone(),
            role,
            token_hash,
            expires_at: naive(now + Duration::days(ctx.config.sla.link_days as i64)),
        }
    });
    let not_before = if policy(ctx, case).urgent { now } else { cal.next_working_start(now) };
    row.not_before = naive(not_before.min(now + Duration::days(30)));
    // The first attempt is at the hold's end; retries only move it later.
    row.next_attempt_at = row.not_before;
    Ok(Some(Planned { row, link, key }))
}

fn write_email(c: &mut DbConn, case_id: i64, mut p: Planned, now: DateTime<Utc>) -> Result<()> {
    if let Some(link) = &p.link {
        p.row.link_id = Some(links::insert(c, case_id, link, naive(now))?);
    }
    p.row.case_id = Some(case_id);
    p.row.dedupe_key = case_key(case_id, &p.key);
    store::outbox::insert(c, &p.row)
}

/// Queues a staff email about a case, once per case, stage, kind and recipient.
#[allow(clippy::too_many_arguments)]
fn notify(
    c: &mut DbConn,
    ctx: &Ctx,
    case: &Case,
    to: &To,
    kind: StaffKind,
    role: Option<Role>,
    cal: &Calendar,
    now: DateTime<Utc>,
) -> Result<()> {
    let key = stage_key(case, kind, &to.email);
    notify_keyed(c, ctx, case, to, kind, role, cal, now, key)
}

/// [`notify`] with its own deduplication key.
#[allow(clippy::too_many_arguments)]
fn notify_keyed(
    c: &mut DbConn,
    ctx: &Ctx,
    case: &Case,
    to: &To,
    kind: StaffKind,
    role: Option<Role>,
    cal: &Calendar,
    now: DateTime<Utc>,
    key: String,
) -> Result<()> {
    match plan_email(c, ctx, case, to, kind, role, cal, now, key, false)? {
        Some(p) => write_email(c, case.id, p, now),
        None => Ok(()),
    }
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
fn notify_citizen(
    c: &mut DbConn,
    ctx: &Ctx,
    case: &Case,
    kind: CitizenKind,
    body: &str,
    now: DateTime<Utc>,
) -> Result<()> {
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
    store::outbox::enqueue(
        c,
        &email_row(key, Some(case.id), kind.as_str(), format!("vault:{}", case.id), opened.lang, r, now),
    )?;
    Ok(())
}

fn event(
    c: &mut DbConn,
    case_id: i64,
    now: DateTime<Utc>,
    actor: &str,
    kind: &str,
    data: serde_json::Value,
) -> Result<()> {
    store::cases::append_event(c, case_id, naive(now), actor, kind, &data.to_string())?;
    Ok(())
}

fn unit_code(c: &mut DbConn, ctx: &Ctx, id: i64) -> Result<String> {
    Ok(unit(c, ctx, id)?.code)
}

fn officer_code(c: &mut DbConn, ctx: &Ctx, id: Option<i64>) -> Result<Option<String>> {
    id.map(|id| officer(c, ctx, id).map(|o| o.code)).transpose()
}

/// An assignment worked out before it is written: the new handler and clocks, the log entry with
/// the reasons, and the emails (handler, informed, copies, and a notice to the previous handler
/// when the case moves away from them). Planning only reads, so for a new case it runs before the
/// writing transaction, keeping that short.
pub struct Plan {
    fields: store::cases::Assign,
    event_kind: &'static str,
    event_data: serde_json::Value,
    emails: Vec<Planned>,
    revoke_links: bool,
}

fn plan_assignment(
    c: &mut DbConn,
    ctx: &Ctx,
    case: &Case,
    d: &Decision,
    why: Assignment,
    now: DateTime<Utc>,
    fresh: bool,
) -> Result<Plan> {
    let p = policy(ctx, case);
    let cal = calendar_of(c, ctx, Some(d.unit))?;
    let clocks = sla::clocks(&cal, &p, now, Duration::zero(), ctx.config.sla.reminder_percent);
    let new_status = match why {
        Assignment::Appeal => Status::Reopened,
        _ => status(case),
    };
    let (_, next) = sla::evaluate(new_status, &clocks, "", now);
    let fields = store::cases::Assign {
        handler_unit_id: d.unit,
        handler_officer_id: d.handler.officer,
        level: d.level as i32,
        stage: case.stage + i32::from(why != Assignment::New),
        status: new_status.as_str(),
        clock_started_at: naive(now),
        ack_due_at: naive(clocks.ack_due),
        resolve_due_at: naive(clocks.resolve_due),
        next_timer_at: next.map(naive),
    };
    // The case as the emails describe it: after the assignment.
    let mut shown = case.clone();
    shown.status = new_status.as_str().into();
    shown.level = fields.level;
    shown.stage = fields.stage;
    shown.ack_due_at = Some(fields.ack_due_at);
    shown.resolve_due_at = Some(fields.resolve_due_at);

    let mut informed = Vec::new();
    for r in &d.informed {
        informed.push(unit_code(c, ctx, r.unit)?);
    }
    let mut copies = Vec::new();
    for r in &d.copies {
        copies.push(unit_code(c, ctx, r.unit)?);
    }
    let event_data = json!({
        "level": d.level,
        "unit": unit_code(c, ctx, d.unit)?,
        "handler": officer_code(c, ctx, d.handler.officer)?,
        "reasons": d.reasons.iter().map(|r| json!({ "code": r.code, "text": r.text.vi })).collect::<Vec<_>>(),
        "informed": informed,
        "copies": copies,
        "ack_due": clocks.ack_due.to_rfc3339(),
        "resolve_due": clocks.resolve_due.to_rfc3339(),
    });

    let mut wanted: Vec<(To, StaffKind, Option<Role>)> =
        vec![(To::from_recipient(c, ctx, &d.handler)?, why.mail(), Some(Role::Handler))];
    for r in &d.informed {
        wanted.push((To::from_recipient(c, ctx, r)?, StaffKind::Informed, Some(Role::Observer)));
    }
    for r in &d.copies {
        wanted.push((To::from_recipient(c, ctx, r)?, StaffKind::Copy, Some(Role::Observer)));
    }
    if let Some(prev) = case.handler_officer_id.filter(|_| why != Assignment::New)
        && Some(prev) != d.handler.officer
        && let Some(to) = To::officer(c, ctx, prev)?
    {
        wanted.push((to, StaffKind::EscalatedFrom, None));
    }
    let mut emails = Vec::new();
    for (to, kind, role) in wanted {
        let key = stage_key(&shown, kind, &to.email);
        emails.extend(plan_email(c, ctx, &shown, &to, kind, role, &cal, now, key, fresh)?);
    }
    Ok(Plan { fields, event_kind: why.event(), event_data, emails, revoke_links: why != Assignment::New })
}

fn write_assignment(c: &mut DbConn, case_id: i64, plan: Plan, now: DateTime<Utc>) -> Result<()> {
    store::cases::assign(c, case_id, &plan.fields)?;
    if plan.revoke_links {
        store::links::revoke_for_case(c, case_id, Role::Handler.as_str(), naive(now))?;
    }
    event(c, case_id, now, "system", plan.event_kind, plan.event_data)?;
    for e in plan.emails {
        write_email(c, case_id, e, now)?;
    }
    Ok(())
}

/// Gives a case to the handler of a routing decision (plan and write, in the caller's transaction).
fn assign(c: &mut DbConn, ctx: &Ctx, case: &Case, d: &Decision, why: Assignment, now: DateTime<Utc>) -> Result<()> {
    let plan = plan_assignment(c, ctx, case, d, why, now, false)?;
    write_assignment(c, case.id, plan, now)
}

/// How a new case will be routed, worked out before its transaction (reads only). `draft` is the
/// case as it will be inserted.
pub fn plan_open(
    c: &mut DbConn,
    ctx: &Ctx,
    cache: &MemoCache,
    draft: &Case,
    now: DateTime<Utc>,
) -> Result<std::result::Result<Plan, Text>> {
    if let Some(m) = cache.get() {
        *ctx.memo.borrow_mut() = m;
    }
    let org = view(c, ctx, draft, now)?;
    let plan = match routing::route(&org, &request(ctx, draft, now)) {
        Ok(d) => Ok(plan_assignment(c, ctx, draft, &d, Assignment::New, now, true)?),
        Err(reason) => Err(reason),
    };
    cache.put(ctx.memo.borrow().clone());
    Ok(plan)
}

/// A new case's routing in the pieces its creating transaction writes: the assignment (stored with
/// the case row), the log entry (appended with the "received" one) and the emails.
pub struct Opening {
    pub fields: Option<store::cases::Assign>,
    pub event_kind: &'static str,
    pub event_data: String,
    emails: Vec<Planned>,
}

impl Opening {
    pub fn from(plan: std::result::Result<Plan, Text>) -> Opening {
        match plan {
            Ok(p) => Opening {
                fields: Some(p.fields),
                event_kind: p.event_kind,
                event_data: p.event_data.to_string(),
                emails: p.emails,
            },
            // The case is kept; an administrator must fix the organisation (no reachable head).
            Err(reason) => {
                tracing::error!(reason = %reason, "case could not be routed");
                Opening {
                    fields: None,
                    event_kind: "routing_failed",
                    event_data: json!({ "reason": reason.vi }).to_string(),
                    emails: Vec::new(),
                }
            }
        }
    }

    /// Stores the emails and their links (inside the transaction that created the case).
    pub fn write_emails(self, c: &mut DbConn, case_id: i64, now: DateTime<Utc>) -> Result<()> {
        for e in self.emails {
            write_email(c, case_id, e, now)?;
        }
        Ok(())
    }
}

/// The input of a handler's action.
#[derive(Debug, Clone, Default)]
pub struct ActInput {
    pub text: String,
    pub outcome: String,
    pub unit: String,
}

/// What a link leads to, checked.
pub enum Opened {
    Ok { link: store::links::Link, case: Box<Case> },
    Expired { link: store::links::Link },
    Revoked { link: store::links::Link },
    Unknown,
}

/// Finds a link by its token and checks it (logging the use).
pub fn open_link(c: &mut DbConn, token: &str, method: &str, now: DateTime<Utc>) -> Result<Opened> {
    let Some(link) = store::links::by_hash(c, &links::hash(token.trim()))? else { return Ok(Opened::Unknown) };
    if link.revoked_at.is_some() {
        store::links::log_use(c, link.id, naive(now), method, None, "revoked")?;
        return Ok(Opened::Revoked { link });
    }
    if utc(link.expires_at) <= now {
        store::links::log_use(c, link.id, naive(now), method, None, "expired")?;
        return Ok(Opened::Expired { link });
    }
    let case = store::cases::get(c, link.case_id)?;
    Ok(Opened::Ok { link, case: Box::new(case) })
}

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

/// A handler acts on a case through their link: only a POST from the case page (with its CSRF
/// token, bound to the case's state) gets here.
pub fn act(s: &Services, token: &str, csrf: &str, act: Act, input: ActInput, now: DateTime<Utc>) -> Result<Status> {
    let ctx = s.case_ctx();
    let (token, csrf) = (token.to_string(), csrf.to_string());
    let days = ctx.config.privacy.erase_after_days;
    s.db.write(move |c| {
        let (link, case) = match open_link(c, &token, "POST", now)? {
            Opened::Ok { link, case } => (link, *case),
            _ => return Err(refused("Đường dẫn không còn hiệu lực.", "This link is no longer valid.")),
        };
        let refuse = |c: &mut DbConn, vi: &str, en: &str, why: &str| -> Result<Status> {
            store::links::log_use(c, link.id, naive(now), "POST", Some(act.as_str()), why)?;
            Err(refused(vi, en))
        };
        if Role::parse(&link.role) != Some(Role::Handler) {
            return refuse(c, "Đường dẫn này chỉ để xem.", "This link is read-only.", "not_handler");
        }
        if !links::csrf_ok(&ctx.secret, link.id, case.event_count, &csrf) {
            return refuse(
                c,
                "Trang đã cũ: phản ánh vừa thay đổi (hoặc biểu mẫu đã được gửi). Không có gì thay đổi; hãy tải lại trang.",
                "This page is out of date: the case changed (or the form was already sent). Nothing changed; reload the page.",
                "stale",
            );
        }
        let from = status(&case);
        let Some(to) = act.next(from) else {
            return refuse(c, "Thao tác này không còn thực hiện được ở tình trạng hiện tại.", "This action is not possible in the case's current status.", "not_allowed");
        };
        let actor = format!("officer:{}", officer_code(c, &ctx, link.officer_id)?.unwrap_or_else(|| link.email.clone()));
        let cal = calendar_of(c, &ctx, case.handler_unit_id)?;
        match act {
            Act::Acknowledge => {
                store::cases::set_status(c, case.id, to.as_str(), naive(now))?;
                let fresh = store::cases::get(c, case.id)?;
                reschedule(c, &ctx, &fresh, now)?;
                event(c, case.id, now, &actor, "acknowledged", json!({}))?;
            }
            Act::Resolve | Act::Dismiss => {
                let outcome = if act == Act::Dismiss {
                    Some(Dismissal::parse(input.outcome.trim()).ok_or_else(|| {
                        Error::Invalid(t!("Hãy chọn lý do không xử lý", "Choose why the case is not pursued"))
                    })?)
                } else {
                    None
                };
                let label = if act == Act::Resolve { t!("Nội dung trả lời", "The answer") } else { t!("Lý do", "The reason") };
                let text = text_input(&input.text, ANSWER_MIN, label)?;
                store::cases::close(c, case.id, to.as_str(), &text, outcome.map(|o| o.as_str()), naive(now))?;
                store::cases::schedule_erasure(c, case.id, naive(now + Duration::days(days as i64)))?;
                let kind = if act == Act::Resolve { "resolved" } else { "dismissed" };
                event(c, case.id, now, &actor, kind, json!({ "outcome": outcome.map(|o| o.as_str()), "answer_sha256": text_digest(&text) }))?;
                let fresh = store::cases::get(c, case.id)?;
                notify_citizen(c, &ctx, &fresh, CitizenKind::Answer, &text, now)?;
            }
            Act::RequestInfo => {
                let q = text_input(&input.text, REASON_MIN, t!("Câu hỏi", "The question"))?;
                store::cases::pause(c, case.id, &q, naive(now))?;
                event(c, case.id, now, &actor, "info_requested", json!({ "question_sha256": text_digest(&q) }))?;
                let fresh = store::cases::get(c, case.id)?;
                notify_citizen(c, &ctx, &fresh, CitizenKind::InfoRequest, &q, now)?;
            }
            Act::RequestExplanation => {
                let Some(accused) = case.officer_id else {
                    return refuse(c, "Phản ánh không nêu cán bộ nào để đề nghị giải trình.", "The report names no officer to ask.", "no_officer");
                };
                let Some(to) = To::officer(c, &ctx, accused)? else {
                    return refuse(c, "Cán bộ được phản ánh không có địa chỉ thư trong tệp tổ chức.", "The officer concerned has no email address on file.", "no_email");
                };
                let officer = officer_code(c, &ctx, Some(accused))?;
                event(c, case.id, now, &actor, "explanation_requested", json!({ "officer": officer }))?;
                let fresh = store::cases::get(c, case.id)?;
                notify(c, &ctx, &fresh, &to, StaffKind::ExplanationRequest, Some(Role::Explainer), &cal, now)?;
            }
            Act::Forward => {
                let reason = text_input(&input.text, REASON_MIN, t!("Lý do chuyển", "The reason"))?;
                let code = input.unit.trim();
                let target = store::org::unit_by_code(c, code)?.filter(|u| u.active).ok_or_else(|| {
                    Error::Invalid(t!("Không có đơn vị đang hoạt động mã {code:?}", "No active unit with code {code:?}"))
                })?;
                if Some(target.id) == case.handler_unit_id {
                    return Err(Error::Invalid(t!("Phản ánh đang ở chính đơn vị này", "The case is already with this unit")));
                }
                store::cases::set_route_unit(c, case.id, target.id)?;
                event(c, case.id, now, &actor, "forward_requested", json!({ "to": target.code, "reason_sha256": text_digest(&reason) }))?;
                let fresh = store::cases::get(c, case.id)?;
                let org = view(c, &ctx, &fresh, now)?;
                let d = routing::route(&org, &request(&ctx, &fresh, now)).map_err(Error::Invalid)?;
                assign(c, &ctx, &fresh, &d, Assignment::Forward, now)?;
            }
            Act::Escalate => {
                let reason = text_input(&input.text, REASON_MIN, t!("Lý do chuyển lên", "The reason"))?;
                let org = view(c, &ctx, &case, now)?;
                let Some(d) = routing::escalation(&org, &request(&ctx, &case, now), case.level as u32) else {
                    return refuse(c, "Không còn cấp trên để chuyển lên.", "There is no level above.", "top");
                };
                event(c, case.id, now, &actor, "escalation_requested", json!({ "reason_sha256": text_digest(&reason) }))?;
                let fresh = store::cases::get(c, case.id)?;
                assign(c, &ctx, &fresh, &d, Assignment::Escalation, now)?;
            }
        }
        store::links::log_use(c, link.id, naive(now), "POST", Some(act.as_str()), "done")?;
        Ok(status(&store::cases::get(c, case.id)?))
    })
}

/// The officer concerned sends their explanation (giải trình) through their own link.
pub fn explain(s: &Services, token: &str, csrf: &str, text: &str, now: DateTime<Utc>) -> Result<()> {
    let ctx = s.case_ctx();
    let text = text_input(text, ANSWER_MIN, t!("Nội dung giải trình", "The explanation"))?;
    let (token, csrf) = (token.to_string(), csrf.to_string());
    s.db.write(move |c| {
        let (link, case) = match open_link(c, &token, "POST", now)? {
            Opened::Ok { link, case } => (link, *case),
            _ => return Err(refused("Đường dẫn không còn hiệu lực.", "This link is no longer valid.")),
        };
        if Role::parse(&link.role) != Some(Role::Explainer)
            || !links::csrf_ok(&ctx.secret, link.id, case.event_count, &csrf)
        {
            store::links::log_use(c, link.id, naive(now), "POST", Some("explain"), "refused")?;
            return Err(refused(
                "Trang đã cũ hoặc không dùng để giải trình. Không có gì thay đổi.",
                "This page is out of date or not for explanations. Nothing changed.",
            ));
        }
        if store::cases::latest_text(c, case.id, store::cases::TEXT_EXPLANATION)?.is_some() {
            return Err(refused("Giải trình đã được gửi trước đó.", "An explanation was already sent."));
        }
        store::cases::set_explanation(c, case.id, &text, naive(now))?;
        let actor = format!("officer:{}", officer_code(c, &ctx, link.officer_id)?.unwrap_or_default());
        event(c, case.id, now, &actor, "explanation_received", json!({ "sha256": text_digest(&text) }))?;
        store::links::log_use(c, link.id, naive(now), "POST", Some("explain"), "done")?;
        let fresh = store::cases::get(c, case.id)?;
        if let Some(h) = fresh.handler_officer_id
            && let Some(to) = To::officer(c, &ctx, h)?
        {
            let cal = calendar_of(c, &ctx, fresh.handler_unit_id)?;
            notify(c, &ctx, &fresh, &to, StaffKind::ExplanationReceived, Some(Role::Handler), &cal, now)?;
        }
        Ok(())
    })
}

/// A fresh link for the holder of an expired one (sent to the same address).
pub fn renew_link(s: &Services, token: &str, now: DateTime<Utc>) -> Result<()> {
    let ctx = s.case_ctx();
    let token = token.to_string();
    s.db.write(move |c| {
        let link = match open_link(c, &token, "POST", now)? {
            Opened::Expired { link } => link,
            Opened::Ok { .. } => return Err(refused("Đường dẫn vẫn còn hiệu lực.", "The link is still valid.")),
            _ => return Err(refused("Đường dẫn này không thể gia hạn.", "This link cannot be renewed.")),
        };
        let case = store::cases::get(c, link.case_id)?;
        let role = Role::parse(&link.role).unwrap_or(Role::Observer);
        // A handler link is renewed only for the case's current handler.
        if role == Role::Handler && case.handler_officer_id != link.officer_id {
            return Err(refused("Phản ánh đã chuyển cho người khác xử lý.", "The case has moved to another handler."));
        }
        let to = match link.officer_id {
            Some(id) => To::officer(c, &ctx, id)?,
            None => None,
        }
        .unwrap_or(To { officer: link.officer_id, name: None, email: link.email.clone(), lang: Lang::Vi });
        // One renewal per link and day.
        let key = format!("renew:{}:{}", link.id, today(now));
        let cal = calendar_of(c, &ctx, case.handler_unit_id)?;
        store::links::log_use(c, link.id, naive(now), "POST", Some("renew"), "done")?;
        notify_keyed(c, &ctx, &case, &to, StaffKind::FreshLink, Some(role), &cal, now, key)
    })
}

/// The form token of the citizen's tracking page, bound to the case's state like the handler's.
pub fn citizen_token(s: &Services, case: &Case) -> String {
    links::csrf(&s.secret, -case.id, case.event_count)
}

/// The citizen answers a request for information: the clocks resume.
pub fn citizen_reply(s: &Services, receipt: &str, form: &str, text: &str, now: DateTime<Utc>) -> Result<()> {
    let ctx = s.case_ctx();
    let text = text_input(text, REASON_MIN, t!("Nội dung trả lời", "Your answer"))?;
    let (receipt, form) = (receipt.to_string(), form.to_string());
    s.db.write(move |c| {
        let case = citizen_case(c, &ctx, &receipt, &form)?;
        if case::after_citizen_reply(status(&case)).is_none() {
            return Err(refused("Phản ánh không chờ thông tin bổ sung.", "The case is not waiting for information."));
        }
        let cal = calendar_of(c, &ctx, case.handler_unit_id)?;
        let paused = case.paused_at.map(|p| cal.working_between(utc(p), now)).unwrap_or_default();
        store::cases::resume(c, case.id, &text, paused.num_seconds(), naive(now))?;
        let fresh = store::cases::get(c, case.id)?;
        reschedule(c, &ctx, &fresh, now)?;
        event(
            c,
            case.id,
            now,
            "citizen",
            "citizen_replied",
            json!({ "sha256": text_digest(&text), "paused_seconds": paused.num_seconds() }),
        )?;
        let fresh = store::cases::get(c, case.id)?;
        if let Some(h) = fresh.handler_officer_id
            && let Some(to) = To::officer(c, &ctx, h)?
        {
            notify(c, &ctx, &fresh, &to, StaffKind::CitizenReplied, Some(Role::Handler), &cal, now)?;
        }
        Ok(())
    })
}

/// The citizen rates the answer: "Chưa hài lòng" reopens the case one level up (an appeal).
pub fn citizen_verdict(s: &Services, receipt: &str, form: &str, satisfied: bool, now: DateTime<Utc>) -> Result<()> {
    let ctx = s.case_ctx();
    let (receipt, form) = (receipt.to_string(), form.to_string());
    s.db.write(move |c| {
        let case = citizen_case(c, &ctx, &receipt, &form)?;
        if case.citizen_verdict.is_some() || case::after_verdict(status(&case), satisfied).is_none() {
            return Err(refused("Không thể đánh giá kết quả lúc này.", "The answer cannot be rated now."));
        }
        let verdict = if satisfied { "satisfied" } else { "not_satisfied" };
        store::cases::set_verdict(c, case.id, verdict, naive(now))?;
        event(
            c,
            case.id,
            now,
            "citizen",
            if satisfied { "citizen_satisfied" } else { "citizen_not_satisfied" },
            json!({}),
        )?;
        if satisfied {
            return Ok(());
        }
        store::cases::reopen(c, case.id, naive(now))?;
        let fresh = store::cases::get(c, case.id)?;
        let org = view(c, &ctx, &fresh, now)?;
        let req = request(&ctx, &fresh, now);
        // One level up; at the top the same level looks at it again.
        let d = match routing::escalation(&org, &req, fresh.level as u32) {
            Some(d) => d,
            None => routing::ladder(&org, &req)
                .map_err(Error::Invalid)?
                .into_iter()
                .nth(fresh.level as usize)
                .ok_or_else(|| Error::Invalid(t!("Không tìm được người xử lý", "No handler can be found")))?,
        };
        assign(c, &ctx, &fresh, &d, Assignment::Appeal, now)?;
        Ok(())
    })
}

/// The citizen withdraws consent: their contact details are erased now.
pub fn withdraw_consent(s: &Services, receipt: &str, form: &str, now: DateTime<Utc>) -> Result<()> {
    let ctx = s.case_ctx();
    let (receipt, form) = (receipt.to_string(), form.to_string());
    s.db.write(move |c| {
        let case = citizen_case(c, &ctx, &receipt, &form)?;
        if store::cases::erase_contact(c, case.id, naive(now))? {
            event(c, case.id, now, "citizen", "contact_erased", json!({ "reason": "withdrawn" }))?;
        }
        Ok(())
    })
}

fn citizen_case(c: &mut DbConn, ctx: &Ctx, receipt: &str, form: &str) -> Result<Case> {
    let case = store::cases::by_receipt(c, receipt)?
        .ok_or_else(|| Error::NotFound(t!("Không có phản ánh với mã này", "No report has this code")))?;
    if !links::csrf_ok(&ctx.secret, -case.id, case.event_count, form) {
        return Err(refused(
            "Trang đã cũ: phản ánh vừa thay đổi. Không có gì thay đổi; hãy tải lại trang.",
            "This page is out of date: the case changed. Nothing changed; reload the page.",
        ));
    }
    Ok(case)
}

/// Recomputes the next timer of a case from its clocks.
fn reschedule(c: &mut DbConn, ctx: &Ctx, case: &Case, now: DateTime<Utc>) -> Result<()> {
    let next = match case.clock_started_at {
        Some(started) if case.paused_at.is_none() => {
            let cal = calendar_of(c, ctx, case.handler_unit_id)?;
            let clocks = sla::clocks(
                &cal,
                &policy(ctx, case),
                utc(started),
                Duration::seconds(case.paused_seconds),
                ctx.config.sla.reminder_percent,
            );
            store::cases::set_dues(c, case.id, naive(clocks.ack_due), naive(clocks.resolve_due))?;
            sla::evaluate(status(case), &clocks, &case.notified, now).1
        }
        _ => None,
    };
    store::cases::set_next_timer(c, case.id, next.map(naive))?;
    Ok(())
}

/// What one scheduler tick did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct TickReport {
    pub due: usize,
    pub reminders: usize,
    pub escalations: usize,
    pub at_top: usize,
}

/// One scheduler tick at `now`: every case whose timer is due gets its reminder or escalation,
/// in one transaction. Cases are claimed so concurrent schedulers never take the same one
/// (PostgreSQL: `FOR UPDATE SKIP LOCKED`; SQLite: one writer).
pub fn tick(s: &Services, now: DateTime<Utc>) -> Result<TickReport> {
    let batch = s.config.jobs.batch as i64;
    if s.db.target().is_sqlite() {
        return tick_batch(s, now, batch);
    }
    // PostgreSQL: several transactions at once (each claims its own cases, skipping the others'
    // locked rows), since a tick's time goes to round trips to the server.
    let parallel = (s.config.database.pool_size as i64).clamp(1, 8);
    let share = (batch + parallel - 1) / parallel;
    std::thread::scope(|scope| {
        let handles: Vec<_> = (0..parallel).map(|_| scope.spawn(move || tick_batch(s, now, share))).collect();
        let mut total = TickReport::default();
        for h in handles {
            let r = h.join().unwrap_or_else(|p| std::panic::resume_unwind(p))?;
            total.due += r.due;
            total.reminders += r.reminders;
            total.escalations += r.escalations;
            total.at_top += r.at_top;
        }
        Ok(total)
    })
}

fn tick_batch(s: &Services, now: DateTime<Utc>, batch: i64) -> Result<TickReport> {
    let ctx = s.case_ctx();
    s.db.write(move |c| {
        let mut report = TickReport::default();
        for id in store::cases::claim_due(c, naive(now), batch)? {
            report.due += 1;
            let case = store::cases::get(c, id)?;
            let Some(started) = case.clock_started_at.filter(|_| case.paused_at.is_none()) else {
                store::cases::set_next_timer(c, id, None)?;
                continue;
            };
            let cal = calendar_of(c, &ctx, case.handler_unit_id)?;
            let p = policy(&ctx, &case);
            let clocks = sla::clocks(
                &cal,
                &p,
                utc(started),
                Duration::seconds(case.paused_seconds),
                ctx.config.sla.reminder_percent,
            );
            let (due, _) = sla::evaluate(status(&case), &clocks, &case.notified, now);
            match due {
                None => {}
                Some(d @ (Due::AckReminder | Due::ResolveReminder)) => {
                    store::cases::mark_notified(c, id, d.as_str())?;
                    event(c, id, now, "system", "reminder", json!({ "kind": d.as_str(), "level": case.level }))?;
                    let fresh = store::cases::get(c, id)?;
                    if let Some(h) = fresh.handler_officer_id
                        && let Some(to) = To::officer(c, &ctx, h)?
                    {
                        let kind =
                            if d == Due::AckReminder { StaffKind::AckReminder } else { StaffKind::ResolveReminder };
                        notify(c, &ctx, &fresh, &to, kind, Some(Role::Handler), &cal, now)?;
                    }
                    report.reminders += 1;
                }
                Some(d @ (Due::AckBreach | Due::ResolveBreach)) => {
                    let org = view(c, &ctx, &case, now)?;
                    match routing::escalation(&org, &request(&ctx, &case, now), case.level as u32) {
                        Some(next) => {
                            event(
                                c,
                                id,
                                now,
                                "system",
                                "deadline_missed",
                                json!({ "kind": d.as_str(), "level": case.level }),
                            )?;
                            let fresh = store::cases::get(c, id)?;
                            assign(c, &ctx, &fresh, &next, Assignment::Escalation, now)?;
                            report.escalations += 1;
                        }
                        None => {
                            if !sla::notified(&case.notified, d) {
                                store::cases::mark_notified(c, id, d.as_str())?;
                                event(
                                    c,
                                    id,
                                    now,
                                    "system",
                                    "overdue_at_top",
                                    json!({ "kind": d.as_str(), "level": case.level }),
                                )?;
                                let fresh = store::cases::get(c, id)?;
                                if let Some(h) = fresh.handler_officer_id
                                    && let Some(to) = To::officer(c, &ctx, h)?
                                {
                                    notify(
                                        c,
                                        &ctx,
                                        &fresh,
                                        &to,
                                        StaffKind::TopOverdue,
                                        Some(Role::Handler),
                                        &cal,
                                        now,
                                    )?;
                                }
                                report.at_top += 1;
                            }
                            // Nobody above: no more timers for this case.
                            store::cases::set_next_timer(c, id, None)?;
                            continue;
                        }
                    }
                }
            }
            let fresh = store::cases::get(c, id)?;
            if due.is_none() || matches!(due, Some(Due::AckReminder | Due::ResolveReminder)) {
                reschedule(c, &ctx, &fresh, now)?;
            }
        }
        Ok(report)
    })
}

/// Erases contact details whose retention ended (a set time after the case closed).
pub fn purge(s: &Services, now: DateTime<Utc>) -> Result<usize> {
    s.db.write(move |c| {
        let due = store::cases::contacts_to_erase(c, naive(now))?;
        for case_id in &due {
            store::cases::erase_contact(c, *case_id, naive(now))?;
            event(c, *case_id, now, "system", "contact_erased", json!({ "reason": "retention" }))?;
        }
        Ok(due.len())
    })
}
