//! The outbox worker. Delivery is at-least-once with a stable Message-ID: a row is claimed for a
//! lease, sent, then marked sent. A worker that dies after the server accepted a message but
//! before marking it leaves the row to be sent again when the lease ends — with the same
//! Message-ID, so mail clients fold the copy. Nothing is ever lost: a row leaves the outbox only
//! as sent or, after `mail.max_attempts`, as failed, and then the oversight unit is alerted.

use chrono::{DateTime, Duration, Utc};
use futures_util::StreamExt;
use futures_util::stream::FuturesUnordered;

use crate::error::Result;
use crate::i18n::Lang;
use crate::mail::compose::{self, LINK_PLACEHOLDER, TOKEN_PLACEHOLDER};
use crate::mail::{Mailer, Outgoing, SendError, message_id_for};
use crate::service::links;
use crate::service::{Services, blocking};
use crate::store::outbox::Email;
use crate::store::{self, DbConn};

/// How long a claimed row is this worker's before another may take it.
const LEASE_SECONDS: i64 = 300;
/// Longest wait between attempts.
const MAX_BACKOFF_SECONDS: i64 = 6 * 3600;

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct MailRound {
    pub claimed: usize,
    pub sent: usize,
    pub retrying: usize,
    pub failed: usize,
}

/// What a claimed row becomes when sent: its message, or why it cannot be sent at all.
fn outgoing(s: &Services, e: &Email) -> std::result::Result<Outgoing, SendError> {
    let to = match e.recipient.strip_prefix("vault:") {
        // The complainant's address is opened only now, and never stored in the outbox.
        Some(case) => {
            let case_id: i64 = case
                .parse()
                .map_err(|_| SendError { message: format!("recipient vault:{case} names no case"), permanent: true })?;
            let sealed =
                s.db.read(|c| Ok(store::cases::contact(c, case_id)?.and_then(|x| x.sealed)))
                    .map_err(|err| SendError { message: err.to_string(), permanent: false })?;
            let Some(sealed) = sealed else {
                return Err(SendError { message: "the citizen's contact details were erased".into(), permanent: true });
            };
            crate::vault::open(&s.secret, case_id, &sealed)
                .ok()
                .and_then(|c| c.email)
                .ok_or_else(|| SendError { message: "no email address in the vault".into(), permanent: true })?
        }
        None => e.recipient.clone(),
    };
    // The token is derived only now; the base was fixed when the email was written (older rows
    // carry the whole-link placeholder and get this deployment's base).
    let token = e.link_nonce.as_deref().map(|n| links::token_for(&s.secret, n));
    let fill = |body: &str| match &token {
        Some(t) => body.replace(TOKEN_PLACEHOLDER, t).replace(LINK_PLACEHOLDER, &format!("{}/h/{t}", s.public_url())),
        None => body.to_string(),
    };
    let attachments =
        s.db.read(|c| store::outbox::attachments(c, e.id))
            .map_err(|err| SendError { message: err.to_string(), permanent: false })?;
    Ok(Outgoing {
        message_id: message_id_for(e.id, e.created_at, &s.public_url()),
        to,
        cc: e.cc.split(',').map(str::trim).filter(|c| !c.is_empty()).map(String::from).collect(),
        subject: e.subject.clone(),
        text: fill(&e.body_text),
        html: fill(&e.body_html),
        attachments,
    })
}

/// Claims due emails, sends them (several at once) and records each outcome.
pub async fn send_due(s: &Services, mailer: &Mailer, now: DateTime<Utc>) -> Result<MailRound> {
    let batch = s.config.mail.batch as i64;
    let s2 = s.clone();
    let claimed = blocking(move || {
        s2.db.write(move |c| {
            store::outbox::claim(c, now.naive_utc(), (now + Duration::seconds(LEASE_SECONDS)).naive_utc(), batch)
        })
    })
    .await?;
    let mut round = MailRound { claimed: claimed.len(), ..Default::default() };
    if claimed.is_empty() {
        return Ok(round);
    }
    let from = s.config.mail.from.clone();
    let mut results: Vec<(Email, std::result::Result<(), SendError>)> = Vec::with_capacity(claimed.len());
    let mut pending = claimed.into_iter();
    let mut flying = FuturesUnordered::new();
    loop {
        while flying.len() < s.config.mail.smtp.connections.max(1) as usize {
            let Some(e) = pending.next() else { break };
            let out = outgoing(s, &e);
            let from = from.clone();
            flying.push(async move {
                let r = match out {
                    Ok(out) => mailer.send(&from, &out).await,
                    Err(err) => Err(err),
                };
                (e, r)
            });
        }
        match flying.next().await {
            Some(done) => results.push(done),
            None => break,
        }
    }
    let max_attempts = s.config.mail.max_attempts as i32;
    let base = s.config.mail.retry_base_seconds as i64;
    for (e, r) in &results {
        match r {
            Ok(()) => round.sent += 1,
            Err(err) if err.permanent || e.attempts >= max_attempts => round.failed += 1,
            Err(_) => round.retrying += 1,
        }
        if let Err(err) = r {
            tracing::warn!(outbox = e.id, kind = %e.kind, attempt = e.attempts, permanent = err.permanent, error = %err, "email not sent");
        }
    }
    s.metrics.mail(&round);
    let s2 = s.clone();
    blocking(move || {
        s2.db.write(move |c| {
            let at = Utc::now();
            for (e, r) in &results {
                match r {
                    Ok(()) => store::outbox::mark_sent(c, e.id, at.naive_utc())?,
                    Err(err) if err.permanent || e.attempts >= max_attempts => {
                        store::outbox::mark_failed(c, e.id, &err.message, None, at.naive_utc())?;
                        alert(c, e, &err.message, at)?;
                    }
                    Err(err) => {
                        let wait = (base << (e.attempts - 1).clamp(0, 20)).min(MAX_BACKOFF_SECONDS);
                        let retry = (at + Duration::seconds(wait)).naive_utc();
                        store::outbox::mark_failed(c, e.id, &err.message, Some(retry), at.naive_utc())?;
                    }
                }
            }
            Ok(())
        })
    })
    .await?;
    Ok(round)
}

/// An email given up on: tell the oversight unit of the case's handling unit (once).
fn alert(c: &mut DbConn, e: &Email, error: &str, now: DateTime<Utc>) -> Result<()> {
    if e.kind == "delivery_failed" {
        return Ok(()); // never an alert about an alert
    }
    let Some(case_id) = e.case_id else { return Ok(()) };
    let case = store::cases::get(c, case_id)?;
    let Some(address) = oversight_address(c, case.handler_unit_id.unwrap_or(case.unit_id))? else {
        tracing::error!(outbox = e.id, "undeliverable email and no oversight address to alert");
        return Ok(());
    };
    // The complainant's address stays sealed even here.
    let shown = if e.recipient.starts_with("vault:") {
        "người phản ánh (citizen)".to_string()
    } else {
        e.recipient.clone()
    };
    let r = compose::delivery_failed(Lang::Vi, &e.subject, &shown, error, Some(&case.number()));
    let row = crate::service::cases::email_row(
        format!("alert:{}", e.id),
        Some(case_id),
        "delivery_failed",
        address,
        Lang::Vi,
        r,
        now,
    );
    store::outbox::enqueue(c, &row)?;
    Ok(())
}

/// The oversight unit of a unit or its nearest ancestor: its head's address, else its mailbox.
fn oversight_address(c: &mut DbConn, unit_id: i64) -> Result<Option<String>> {
    let mut id = Some(unit_id);
    let mut seen = Vec::new();
    while let Some(u) = id {
        if seen.contains(&u) {
            break;
        }
        seen.push(u);
        let unit = store::org::unit(c, u)?;
        if let Some(o) = unit.oversight_id {
            let over = store::org::unit(c, o)?;
            let head = store::org::active_officers_of_unit(c, o)?
                .into_iter()
                .find(|x| x.role == crate::domain::org::Role::Head && x.email.is_some());
            return Ok(head.and_then(|h| h.email).or(over.email));
        }
        id = unit.parent_id;
    }
    Ok(None)
}
