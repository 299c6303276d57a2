//! Signing in: a one-time link emailed through the outbox (≥ 128 bits, only its hash kept,
//! `staff.signin_minutes`, single use), or an optional password (argon2id, locked after
//! repeated failures). The answer to "send me a link" never says whether the address is known:
//! a row is written either way, and only a known address gets the email. Opening the link only
//! shows who one may sign in as (mail scanners open every link); the POST from that page signs in.

use argon2::Argon2;
use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use chrono::{DateTime, Duration, Utc};
use serde_json::json;

use super::{Identity, identities, new_token, normalize_email};
use crate::domain::org::check_email;
use crate::error::{Error, Result};
use crate::i18n::Lang;
use crate::mail::compose;
use crate::service::Services;
use crate::service::cases::email_row;
use crate::service::links;
use crate::store::{self, DbConn};
use crate::t;

/// What asking for a sign-in link did (the page says the same for known and unknown addresses).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Requested {
    /// An email went out if the address may sign in.
    Queued,
    /// Too many links asked for this address in the last hour; nothing was sent.
    Throttled,
}

fn checked_email(raw: &str) -> Result<String> {
    let email = normalize_email(raw);
    check_email(&email).map_err(Error::Invalid)?;
    Ok(email)
}

/// Asks for a sign-in link for `email` (in `lang`).
pub fn request(s: &Services, raw_email: &str, lang: Lang, now: DateTime<Utc>) -> Result<Requested> {
    let email = checked_email(raw_email)?;
    let cfg = s.config.staff.clone();
    let base = s.public_url();
    let (nonce, hash) = links::prepare(&s.secret);
    s.db.write(move |c| {
        let at = now.naive_utc();
        if store::staff::signins_since(c, &email, at - Duration::hours(1))? >= i64::from(cfg.signin_per_address_hour) {
            return Ok(Requested::Throttled);
        }
        let expires = at + Duration::minutes(i64::from(cfg.signin_minutes));
        let id = store::staff::add_signin(c, &hash, &email, expires, at)?;
        let who = identities(c, &email)?;
        if who.is_empty() {
            return Ok(Requested::Queued);
        }
        let mail = compose::signin(lang, &compose::signin_link_template(&base), cfg.signin_minutes);
        // Due now, whatever the hour: a sign-in email is never held for office hours.
        let mut row = email_row(format!("signin:{id}"), None, "signin", email.clone(), lang, mail, now);
        row.link_nonce = Some(nonce);
        store::outbox::enqueue(c, &row)?;
        store::staff::audit(
            c,
            at,
            &format!("email:{email}"),
            "signin_requested",
            &json!({ "signin": id }).to_string(),
        )?;
        Ok(Requested::Queued)
    })
}

/// What a sign-in link leads to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Opened {
    /// Who the holder may sign in as (one or several).
    Choose {
        email: String,
        identities: Vec<Identity>,
    },
    Used,
    Expired,
    Unknown,
}

fn check(c: &mut DbConn, token: &str, now: DateTime<Utc>) -> Result<(Opened, Option<i64>)> {
    let Some(row) = store::staff::signin(c, &links::hash(token.trim()))? else { return Ok((Opened::Unknown, None)) };
    if row.used_at.is_some() {
        return Ok((Opened::Used, None));
    }
    if row.expires_at <= now.naive_utc() {
        return Ok((Opened::Expired, None));
    }
    let who = identities(c, &row.email)?;
    if who.is_empty() {
        return Ok((Opened::Unknown, None));
    }
    Ok((Opened::Choose { email: row.email, identities: who }, Some(row.id)))
}

/// The page of a sign-in link (reading changes nothing).
pub fn open(s: &Services, token: &str, now: DateTime<Utc>) -> Result<Opened> {
    s.db.read(|c| Ok(check(c, token, now)?.0))
}

/// A new session: the cookie's value and how long it may live.
#[derive(Debug, Clone)]
pub struct SignedIn {
    pub token: String,
    pub max_age: Duration,
}

/// Signs in as the `choice`-th identity of a link (the link is used up); otherwise what the link
/// is now.
pub fn complete(
    s: &Services,
    token: &str,
    choice: usize,
    how: &str,
    now: DateTime<Utc>,
) -> Result<std::result::Result<SignedIn, Opened>> {
    let hours = i64::from(s.config.staff.session_hours);
    let (token, how) = (token.to_string(), how.to_string());
    s.db.write(move |c| {
        let (opened, id) = check(c, &token, now)?;
        let (Opened::Choose { email, identities }, Some(id)) = (opened.clone(), id) else { return Ok(Err(opened)) };
        let Some(who) = identities.get(choice) else {
            return Err(Error::Invalid(t!("Hãy chọn một tư cách đăng nhập", "Choose whom to sign in as")));
        };
        let at = now.naive_utc();
        if !store::staff::use_signin(c, id, at)? {
            return Ok(Err(Opened::Used));
        }
        let (session, hash) = new_token();
        store::staff::add_session(c, &hash, &email, who.who, at + Duration::hours(hours), at)?;
        let actor = super::actor_of(c, who.who, &email)?;
        let detail = json!({ "method": how, "role": who.role.as_str() }).to_string();
        store::staff::audit(c, at, &actor, "sign_in", &detail)?;
        Ok(Ok(SignedIn { token: session, max_age: Duration::hours(hours) }))
    })
}

/// What a password attempt gave.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PasswordOutcome {
    /// Right: a one-time sign-in token (as if from the email) and how many identities it offers.
    Right { token: String, identities: usize },
    /// Wrong address or password (the page does not say which).
    Wrong,
    /// Too many wrong passwords: password sign-in is closed until then (email still works).
    Locked { until: DateTime<Utc> },
}

/// A password hash for storing (argon2id, random salt, the crate's default parameters).
pub fn hash_password(password: &str) -> Result<String> {
    if password.chars().count() < 12 {
        return Err(Error::Invalid(t!(
            "Mật khẩu phải dài ít nhất 12 ký tự",
            "A password must be at least 12 characters long"
        )));
    }
    Argon2::default()
        .hash_password(password.as_bytes())
        .map(|h| h.to_string())
        .map_err(|e| Error::Other(anyhow::anyhow!("argon2: {e}")))
}

fn password_matches(stored: &str, given: &str) -> bool {
    PasswordHash::new(stored).is_ok_and(|h| Argon2::default().verify_password(given.as_bytes(), &h).is_ok())
}

/// Signs in with a password: `Right` gives a sign-in token to complete with [`complete`].
pub fn password(s: &Services, raw_email: &str, given: &str, now: DateTime<Utc>) -> Result<PasswordOutcome> {
    let email = checked_email(raw_email)?;
    let at = now.naive_utc();
    let stored = s.db.read(|c| store::staff::password(c, &email))?;
    let Some(stored) = stored else {
        // The same work as a real check, so the answer's timing does not tell which addresses have one.
        let _ = password_matches("$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHQ$RdescudvJCsgt3ub+b+dWRWJTmaaJObG", given);
        return Ok(PasswordOutcome::Wrong);
    };
    if let Some(until) = stored.locked_until.filter(|u| *u > at) {
        return Ok(PasswordOutcome::Locked { until: until.and_utc() });
    }
    let right = password_matches(&stored.hash, given);
    let cfg = s.config.staff.clone();
    let minutes = i64::from(cfg.signin_minutes);
    s.db.write(move |c| {
        let actor = format!("email:{email}");
        if !right {
            let failures = stored.failures + 1;
            let lock = failures >= cfg.password_failures as i32;
            let until = lock.then(|| at + Duration::minutes(i64::from(cfg.password_lock_minutes)));
            store::staff::password_outcome(c, &email, if lock { 0 } else { failures }, until)?;
            let what = if lock { "password_locked" } else { "password_failed" };
            store::staff::audit(c, at, &actor, what, &json!({ "failures": failures }).to_string())?;
            return Ok(match until {
                Some(u) => PasswordOutcome::Locked { until: u.and_utc() },
                None => PasswordOutcome::Wrong,
            });
        }
        store::staff::password_outcome(c, &email, 0, None)?;
        let n = identities(c, &email)?.len();
        if n == 0 {
            return Ok(PasswordOutcome::Wrong);
        }
        let (token, hash) = new_token();
        store::staff::add_signin(c, &hash, &email, at + Duration::minutes(minutes), at)?;
        Ok(PasswordOutcome::Right { token, identities: n })
    })
}
