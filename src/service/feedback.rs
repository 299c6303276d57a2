//! Taking a rating: the rating, its case, the case's first event, the ledger entry and the sealed
//! contact details commit in one transaction, or nothing does.

use chrono::{DateTime, Duration, Utc};
use hmac::{Hmac, KeyInit, Mac};
use serde_json::json;
use sha2::Sha256;

use crate::domain::audit;
use crate::domain::case::{Category, EventKind, Status};
use crate::domain::codes;
use crate::domain::feedback::{self as rules, Feedback, FieldError, FieldNames, RawFeedback, case_category};
use crate::domain::form_token::{self, Check};
use crate::domain::measures::attitude_points;
use crate::error::{Error, Result};
use crate::i18n::Lang;
use crate::service::desk::DeskView;
use crate::service::reports::rollup;
use crate::service::{Services, blocking};
use crate::store::{cases, feedback};

crate::vocabulary! {
    /// How a rating arrived.
    pub enum Channel {
        Web = "web",
        Api = "api",
        /// Synthetic history written by `hailong demo` (`demo::history`), never by a citizen:
        /// kept apart so demo figures can be told from real ones and removed.
        Demo = "demo",
    }
}

/// A rating form as posted from a desk's page.
pub struct FormInput {
    pub raw: RawFeedback,
    /// The signed token the form was served with.
    pub form_token: String,
    /// The honeypot field, which only bots fill.
    pub honeypot: String,
    /// The browser's first-party cookie, when it has one.
    pub browser_cookie: Option<String>,
    pub ip: Option<std::net::IpAddr>,
    pub lang: Lang,
    pub now: DateTime<Utc>,
}

/// What became of a posted form.
pub enum FormResult {
    Stored(Outcome),
    /// A bot filled the honeypot: answered as if all went well, nothing stored.
    Spam,
    /// Fields to correct; nothing stored.
    Invalid(Vec<FieldError>),
    /// The form was open too long: shown again with the answers and a fresh token.
    Expired,
    /// The form token is not ours (altered, or not from the desk's page).
    Forged,
}

/// Takes a rating form: the honeypot, the form token, the fields, then the rating (and its case).
pub async fn submit_form(s: &Services, view: &DeskView, input: FormInput) -> Result<FormResult> {
    if !input.honeypot.is_empty() {
        s.metrics.spam("honeypot");
        return Ok(FormResult::Spam);
    }
    let ttl = Duration::minutes(s.config.citizen.form_token_minutes as i64);
    match form_token::check(&s.secret.derive("form"), &input.form_token, view.desk().id, input.now, ttl) {
        Check::Valid => {}
        Check::Expired => return Ok(FormResult::Expired),
        Check::Invalid => return Ok(FormResult::Forged),
    }
    let feedback = match validate(s, view, &input.raw, input.lang, input.now, &rules::FormNames) {
        Ok(f) => f,
        Err(errors) => return Ok(FormResult::Invalid(errors)),
    };
    let browser_hash = input.browser_cookie.map(|c| self::browser_hash(s, &c));
    let stored = store_rating(s, view, feedback, Channel::Web, browser_hash, input.ip, input.now).await?;
    Ok(FormResult::Stored(stored))
}

/// What became of an API submission.
pub enum ApiResult {
    Stored(Outcome),
    Invalid(Vec<FieldError>),
}

/// Takes a rating from the JSON API (no form token; a report, when present, must not be empty).
pub async fn submit_api(
    s: &Services,
    view: &DeskView,
    raw: RawFeedback,
    ip: Option<std::net::IpAddr>,
    lang: Lang,
    now: DateTime<Utc>,
) -> Result<ApiResult> {
    // An API report is explicit: an empty one is an error, not "no report".
    let explicit_report = raw.report.is_some();
    let feedback = match validate(s, view, &raw, lang, now, &rules::ApiNames) {
        Ok(f) => f,
        Err(errors) => return Ok(ApiResult::Invalid(errors)),
    };
    if explicit_report && feedback.report.is_none() {
        return Ok(ApiResult::Invalid(vec![FieldError::new(
            "report",
            crate::t!(
                "Phản ánh trống: cần `category` và `description`",
                "The report is empty: `category` and `description` are required"
            ),
        )]));
    }
    Ok(ApiResult::Stored(store_rating(s, view, feedback, Channel::Api, None, ip, now).await?))
}

fn validate(
    s: &Services,
    view: &DeskView,
    raw: &RawFeedback,
    lang: Lang,
    now: DateTime<Utc>,
    names: &dyn FieldNames,
) -> std::result::Result<Feedback, Vec<FieldError>> {
    let officers = view.officer_codes();
    let ctx = rules::Context { survey: &s.survey, now, tz: crate::domain::LOCAL_TZ, officers: &officers, lang };
    rules::validate(raw, &ctx, names)
}

/// Stores a validated rating off the async threads.
async fn store_rating(
    s: &Services,
    view: &DeskView,
    feedback: Feedback,
    channel: Channel,
    browser_hash: Option<String>,
    ip: Option<std::net::IpAddr>,
    now: DateTime<Utc>,
) -> Result<Outcome> {
    let ip_hash = ip.map(|ip| self::ip_hash(s, ip, now));
    let (s2, desk) = (s.clone(), view.data.clone());
    blocking(move || {
        let view = desk.at(now);
        submit(&s2, &Submission { view: &view, feedback: &feedback, channel, browser_hash, ip_hash, now })
    })
    .await
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// A plain rating; `replaced` when it overwrote the same browser's recent one.
    Rated { rating_id: i64, replaced: bool },
    /// The rating opened a case; the receipt is the citizen's key to it.
    Reported { rating_id: i64, case_id: i64, receipt: String },
}

pub struct Submission<'a> {
    pub view: &'a DeskView,
    pub feedback: &'a Feedback,
    pub channel: Channel,
    /// Keyed hash of the browser's random cookie (web only).
    pub browser_hash: Option<String>,
    /// Keyed, daily-rotating hash of the client address.
    pub ip_hash: Option<String>,
    pub now: DateTime<Utc>,
}

pub fn submit(s: &Services, sub: &Submission) -> Result<Outcome> {
    let f = sub.feedback;
    let view = sub.view;
    let category = case_category(f, &s.survey);
    let officer_id = f.officer.as_deref().and_then(|c| view.officer_id(c));
    let report_officer_id = f.report.as_ref().and_then(|r| r.officer.as_deref()).and_then(|c| view.officer_id(c));
    let now = sub.now.naive_utc();
    let row = feedback::RatingRow {
        desk_id: view.desk().id,
        unit_id: view.desk().unit_id,
        officer_id,
        survey_version: s.survey.version.clone(),
        scale: s.survey.scale.as_str().to_string(),
        overall: f.overall,
        answers: serde_json::to_string(&f.evaluated.answers).expect("JSON values serialise"),
        idx1: f.evaluated.points.idx1,
        idx3: f.evaluated.points.idx3,
        idx4: f.evaluated.points.idx4,
        idx7: attitude_points(f.evaluated.points.idx1, category.is_some_and(|c| c.is_harassment_type())),
        file_code: f.file_code.clone(),
        comment: f.comment.clone(),
        outside_hours: view.is_outside_hours(sub.now),
        channel: sub.channel.as_str().to_string(),
        browser_hash: sub.browser_hash.clone(),
        ip_hash: sub.ip_hash.clone(),
        updated_at: now,
    };
    let since = (sub.now - Duration::minutes(s.config.citizen.replace_window_minutes as i64)).naive_utc();
    let browser_hash = sub.browser_hash.clone();
    let desk_id = view.desk().id;
    // Everything the case needs, owned, so the transaction can run on the database's writer.
    let case = category.map(|category| {
        let report = f.report.as_ref();
        let officer_id = report_officer_id.or(officer_id);
        CaseDraft {
            category,
            description: report.map(|r| r.description.clone()).or_else(|| f.comment.clone()),
            occurred_at: report.map(|r| r.occurred_at).unwrap_or(sub.now).naive_utc(),
            officer_id,
            officer_code: officer_id.and_then(|id| view.officers().iter().find(|o| o.id == id)).map(|o| o.code.clone()),
            desk_code: view.desk().code.clone(),
            unit_id: view.desk().unit_id,
            contact: report.and_then(|r| r.contact.clone()),
            channel: sub.channel,
        }
    });
    // A receipt and the case's routing and emails are worked out before the transaction, which
    // then only writes: on SQLite every write goes through one thread, so it must be short.
    // A receipt taken meanwhile (40 random bits: practically never) means planning again.
    for _ in 0..3 {
        let opening = match &case {
            Some(cd) => {
                let receipt = codes::new_receipt(&mut rand::rng());
                let ctx = s.case_ctx(sub.now);
                let draft = cases::Case::draft(&receipt, desk_id, cd.unit_id, cd.officer_id, cd.category, now);
                let plan = s.db.read(|c| crate::service::cases::plan_open(c, &ctx, &s.plans, &draft))?;
                Some(NewCaseDraft { case: cd.clone(), receipt, plan, draft, ctx })
            }
            None => None,
        };
        match write(s, &row, &browser_hash, desk_id, since, opening, sub.now) {
            Err(Error::Conflict(_)) => continue,
            other => return other,
        }
    }
    Err(Error::Other(anyhow::anyhow!("no free receipt code after three tries")))
}

/// A case to open with a rating: its details, receipt and routing, all worked out before the
/// transaction.
struct NewCaseDraft {
    case: CaseDraft,
    receipt: String,
    plan: crate::service::cases::Opening,
    /// The case row as planned (its id is known once written).
    draft: cases::Case,
    ctx: crate::service::cases::Ctx,
}

/// The transaction of a submission: the rating, and with a case its first event, ledger entry,
/// sealed contact details, routing, links and emails.
fn write(
    s: &Services,
    row: &feedback::RatingRow,
    browser_hash: &Option<String>,
    desk_id: i64,
    since: chrono::NaiveDateTime,
    opening: Option<NewCaseDraft>,
    at: DateTime<Utc>,
) -> Result<Outcome> {
    let (row, browser_hash, secret) = (row.clone(), browser_hash.clone(), s.secret.clone());
    let now = at.naive_utc();
    // What the rating counts for in the report rollups, worked out before the write: the writer
    // thread runs every write in turn, so it does only what needs the database.
    let has_case = opening.is_some();
    let tally = rollup::tally_of(&row, has_case, &s.shape);
    let shape = s.shape.clone();
    s.db.write(move |c| {
        // The same browser again within the window: replace its rating, unless that one opened a case.
        let previous = match &browser_hash {
            Some(h) => feedback::recent_by_browser(c, desk_id, h, since)?,
            None => None,
        };
        // The report rollups move with the rating, in this transaction (keyed by the day the
        // rating was first given).
        let (rating_id, replaced) = match previous {
            Some((id, false)) => {
                let old = feedback::get(c, id)?;
                feedback::replace(c, id, &row)?;
                let created = old.created_at.and_utc();
                let before = (rollup::key_of(&old, created), rollup::tally_of(&old, false, &shape));
                rollup::rating_written(c, Some(before), (rollup::key_of(&row, created), tally))?;
                (id, true)
            }
            _ => {
                let id = feedback::insert(c, &row, now)?;
                rollup::rating_written(c, None, (rollup::key_of(&row, at), tally))?;
                (id, false)
            }
        };
        let Some(NewCaseDraft { case, receipt, plan, mut draft, ctx }) = opening else {
            return Ok(Outcome::Rated { rating_id, replaced });
        };
        // A receipt taken meanwhile (never, in practice) fails the unique index: plan again.
        let routed = plan.fields.as_ref();
        let inserted = cases::insert(
            c,
            &cases::NewCase {
                receipt: &receipt,
                rating_id: Some(rating_id),
                desk_id,
                unit_id: case.unit_id,
                officer_id: case.officer_id,
                category: case.category,
                description: case.description.as_deref(),
                occurred_at: Some(case.occurred_at),
                status: Status::Received,
                created_at: now,
                updated_at: now,
                handler_unit_id: routed.map(|f| f.handler_unit_id),
                handler_officer_id: routed.and_then(|f| f.handler_officer_id),
                clock_started_at: routed.map(|f| f.clock_started_at),
                ack_due_at: routed.map(|f| f.ack_due_at),
                resolve_due_at: routed.map(|f| f.resolve_due_at),
                next_timer_at: routed.and_then(|f| f.next_timer_at),
            },
        );
        let case_id = match inserted {
            Err(Error::Db(diesel::result::Error::DatabaseError(
                diesel::result::DatabaseErrorKind::UniqueViolation,
                _,
            ))) => {
                return Err(Error::Conflict(crate::t!("mã tiếp nhận trùng", "receipt code taken")));
            }
            other => other?,
        };
        if let Some(contact) = &case.contact {
            let sealed = crate::vault::seal(&secret, case_id, contact)?;
            cases::insert_contact(c, case_id, &sealed, now)?;
        }
        // The log holds no personal data: the description only as a digest.
        let data = json!({
            "category": case.category.as_str(),
            "desk": case.desk_code,
            "officer": case.officer_code,
            "channel": case.channel.as_str(),
            "rating": rating_id,
            "description_sha256": case.description.as_deref().map(audit::text_digest),
            "contact_consent": case.contact.is_some(),
        });
        // Received and routed in one append; routing, clocks and the first emails commit with it.
        let received = data.to_string();
        let hashes = cases::append_events(
            c,
            case_id,
            now,
            &[("citizen", EventKind::Received, &received), ("system", plan.event_kind, &plan.event_data)],
        )?;
        draft.id = case_id;
        // The citizen's confirmation with their receipt, when they left an email and consented.
        let confirm = case.contact.as_ref().filter(|x| x.email.is_some()).map(|x| x.lang);
        plan.write_emails(c, &ctx, &draft, confirm)?;
        // Last: the ledger's head row serialises every case creation on PostgreSQL until commit,
        // so it is locked for as short a time as possible.
        cases::append_ledger(c, case_id, &receipt, now, &hashes[0])?;
        Ok(Outcome::Reported { rating_id, case_id, receipt })
    })
}

/// A case to open with a rating, prepared outside the transaction.
#[derive(Clone)]
struct CaseDraft {
    category: Category,
    description: Option<String>,
    occurred_at: chrono::NaiveDateTime,
    officer_id: Option<i64>,
    officer_code: Option<String>,
    desk_code: String,
    unit_id: i64,
    contact: Option<crate::domain::feedback::Contact>,
    channel: Channel,
}

/// Keyed hash of a browser cookie: lets reports count repeats without being able to recognise a
/// browser from the database alone.
pub fn browser_hash(s: &Services, cookie: &str) -> String {
    keyed(&s.secret.derive("browser"), cookie.as_bytes())
}

/// Keyed hash of the client address and the UTC day: it changes every day, and without the
/// secret key it cannot be reversed by trying all addresses.
pub fn ip_hash(s: &Services, ip: std::net::IpAddr, now: DateTime<Utc>) -> String {
    keyed(&s.secret.derive("ip"), format!("{}|{ip}", now.format("%Y-%m-%d")).as_bytes())
}

fn keyed(key: &[u8; 32], data: &[u8]) -> String {
    let mut m = Hmac::<Sha256>::new_from_slice(key).expect("any key length");
    m.update(data);
    hex::encode(&m.finalize().into_bytes()[..16])
}
