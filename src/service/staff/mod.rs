//! The staff console's use cases: who may sign in (identities), sign-in by emailed link or
//! password, sessions, the case inbox and case page, accounts, the admin audit log. Scope comes
//! from [`crate::domain::access`] alone; every function here takes the signed-in [`Staff`].

pub mod accounts;
pub mod audit;
pub mod cases;
pub mod inbox;
pub mod org;
pub mod reports;
pub mod signin;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, Duration, Utc};
use hmac::{Hmac, KeyInit, Mac};
use rand::RngCore;
use sha2::Sha256;

use crate::domain::access::{self, Person, StaffRole, Tree, UnitNode};
use crate::domain::org::Role;
use crate::error::Result;
use crate::secret::Secret;
use crate::service::Services;
use crate::store::staff::Who;
use crate::store::{self, DbConn};

/// Someone who may sign in under an address: an officer of the organisation file (heads and
/// deputies with that email) or an account made with `hailong user add`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Identity {
    pub who: Who,
    pub role: StaffRole,
    /// "Name — title", or the address for an account without an officer.
    pub label: String,
    pub unit: Option<String>,
}

/// Addresses compare without case and surrounding space.
pub fn normalize_email(raw: &str) -> String {
    raw.trim().to_lowercase()
}

/// Everyone who may sign in as `email` now.
pub fn identities(c: &mut DbConn, email: &str) -> Result<Vec<Identity>> {
    let email = normalize_email(email);
    let mut out = Vec::new();
    let units: std::collections::HashMap<i64, store::org::Unit> =
        store::org::all_units(c)?.into_iter().map(|u| (u.id, u)).collect();
    let unit_name = |id: i64| units.get(&id).map(|u| u.name.clone());
    let unit_active = |id: i64| units.get(&id).is_some_and(|u| u.active);
    for o in store::org::all_officers(c)? {
        let same = o.email.as_deref().is_some_and(|e| normalize_email(e) == email);
        let role = match o.role {
            Role::Head => StaffRole::Head,
            Role::Deputy => StaffRole::Deputy,
            Role::Staff => continue,
        };
        if same && o.active && unit_active(o.unit_id) {
            out.push(Identity { who: Who::Officer(o.id), role, label: o.label(), unit: unit_name(o.unit_id) });
        }
    }
    for a in store::staff::accounts_of(c, &email)? {
        let label = match a.officer_id {
            Some(o) => store::org::officer(c, o)?.label(),
            None => a.email.clone(),
        };
        out.push(Identity { who: Who::Account(a.id), role: a.role, label, unit: a.unit_id.and_then(unit_name) });
    }
    Ok(out)
}

/// The signed-in person, resolved afresh on every request from their session.
#[derive(Debug, Clone)]
pub struct Staff {
    pub session_id: i64,
    pub email: String,
    pub who: Who,
    pub label: String,
    pub unit_name: Option<String>,
    pub person: Person,
    /// Carried by every form of the console (bound to the session).
    pub csrf: String,
}

impl Staff {
    /// Who the logs name: `officer:CODE` or `account:ID` (with the address).
    pub fn actor(&self, c: &mut DbConn) -> Result<String> {
        actor_of(c, self.who, &self.email)
    }

    pub fn role(&self) -> StaffRole {
        self.person.role
    }
}

/// Who the logs name for an identity: `officer:CODE` or `account:ID:EMAIL`.
fn actor_of(c: &mut DbConn, who: Who, email: &str) -> Result<String> {
    Ok(match who {
        Who::Officer(id) => format!("officer:{}", store::org::officer(c, id)?.code),
        Who::Account(id) => format!("account:{id}:{email}"),
    })
}

/// The organisation's tree as the access rules read it.
pub fn tree(c: &mut DbConn) -> Result<Tree> {
    Ok(Tree::new(store::org::all_units(c)?.into_iter().map(|u| UnitNode {
        id: u.id,
        parent: u.parent_id,
        oversight: u.oversight_id,
    })))
}

/// What the rules need of an identity on `now`'s local day, or `None` when it may no longer
/// sign in (an officer no longer head or deputy, moved to another address, made inactive; an
/// account disabled).
fn person_of(
    c: &mut DbConn,
    who: Who,
    email: &str,
    now: DateTime<Utc>,
) -> Result<Option<(Person, String, Option<i64>)>> {
    let today = now.with_timezone(&crate::domain::LOCAL_TZ).date_naive();
    match who {
        Who::Officer(id) => {
            let o = store::org::officer(c, id)?;
            let unit = store::org::unit(c, o.unit_id)?;
            let same = o.email.as_deref().is_some_and(|e| normalize_email(e) == email);
            let role = match o.role {
                Role::Head => StaffRole::Head,
                Role::Deputy => StaffRole::Deputy,
                Role::Staff => return Ok(None),
            };
            if !(same && o.active && unit.active) {
                return Ok(None);
            }
            let delegated = store::calendars::delegated_units(c, id, today)?;
            let person = Person { role, unit: Some(o.unit_id), officer: Some(id), delegated };
            Ok(Some((person, o.label(), Some(o.unit_id))))
        }
        Who::Account(id) => {
            let Some(a) = store::staff::account(c, id)? else { return Ok(None) };
            if a.disabled_at.is_some() {
                return Ok(None);
            }
            let delegated = match a.officer_id {
                Some(o) => store::calendars::delegated_units(c, o, today)?,
                None => Vec::new(),
            };
            let label = match a.officer_id {
                Some(o) => store::org::officer(c, o)?.label(),
                None => a.email.clone(),
            };
            Ok(Some((Person { role: a.role, unit: a.unit_id, officer: a.officer_id, delegated }, label, a.unit_id)))
        }
    }
}

/// A new random token (192 bits, URL-safe) and the hash kept of it.
fn new_token() -> (String, String) {
    let mut bytes = [0u8; 24];
    rand::rng().fill_bytes(&mut bytes);
    let token = URL_SAFE_NO_PAD.encode(bytes);
    let hash = crate::service::links::hash(&token);
    (token, hash)
}

fn mac(secret: &Secret, purpose: &str, data: &str) -> String {
    let mut m = Hmac::<Sha256>::new_from_slice(&secret.derive(purpose)).expect("any key length");
    m.update(data.as_bytes());
    URL_SAFE_NO_PAD.encode(m.finalize().into_bytes())
}

fn mac_ok(secret: &Secret, purpose: &str, data: &str, given: &str) -> bool {
    let Ok(sig) = URL_SAFE_NO_PAD.decode(given.trim()) else { return false };
    let mut m = Hmac::<Sha256>::new_from_slice(&secret.derive(purpose)).expect("any key length");
    m.update(data.as_bytes());
    m.verify_slice(&sig).is_ok()
}

/// The console's CSRF token for a session (every POST carries it).
pub fn csrf_ok(s: &Services, staff: &Staff, given: &str) -> bool {
    mac_ok(&s.secret, "staff-csrf", &staff.session_id.to_string(), given)
}

/// The session of a cookie's token, checked (revoked, expired, idle, identity no longer
/// allowed: `None`). Touches the session at most once a minute, so reading pages rarely writes.
pub fn current(s: &Services, token: &str, now: DateTime<Utc>) -> Result<Option<Staff>> {
    let hash = crate::service::links::hash(token.trim());
    let cfg = s.config.staff.clone();
    let found = s.db.read(|c| {
        let Some(sess) = store::staff::session(c, &hash)? else { return Ok(None) };
        let naive = now.naive_utc();
        let idle = Duration::minutes(i64::from(cfg.idle_minutes));
        if sess.revoked_at.is_some() || sess.expires_at <= naive || sess.last_seen_at + idle <= naive {
            return Ok(None);
        }
        let who = match (sess.officer_id, sess.account_id) {
            (Some(o), _) => Who::Officer(o),
            (None, Some(a)) => Who::Account(a),
            (None, None) => return Ok(None),
        };
        let resolved = person_of(c, who, &sess.email, now)?;
        Ok(Some((sess, who, resolved)))
    })?;
    let Some((sess, who, resolved)) = found else { return Ok(None) };
    let Some((person, label, unit)) = resolved else {
        // The identity lost its right to sign in: the session ends for good.
        s.db.write(move |c| store::staff::revoke_session(c, sess.id, now.naive_utc()))?;
        return Ok(None);
    };
    if now.naive_utc() - sess.last_seen_at > Duration::seconds(60) {
        let id = sess.id;
        s.db.write(move |c| store::staff::touch_session(c, id, now.naive_utc()))?;
    }
    let unit_name = match unit {
        Some(u) => Some(s.db.read(|c| store::org::unit(c, u))?.name),
        None => None,
    };
    Ok(Some(Staff {
        session_id: sess.id,
        csrf: mac(&s.secret, "staff-csrf", &sess.id.to_string()),
        email: sess.email,
        who,
        label,
        unit_name,
        person,
    }))
}

/// Ends this session.
pub fn sign_out(s: &Services, staff: &Staff, everywhere: bool, now: DateTime<Utc>) -> Result<()> {
    let staff = staff.clone();
    s.db.write(move |c| {
        let at = now.naive_utc();
        let n = if everywhere {
            store::staff::revoke_sessions_of(c, &staff.email, at)?
        } else {
            store::staff::revoke_session(c, staff.session_id, at)?;
            1
        };
        let actor = staff.actor(c)?;
        let what = if everywhere { "sign_out_everywhere" } else { "sign_out" };
        store::staff::audit(c, at, &actor, what, &serde_json::json!({ "sessions": n }).to_string())?;
        Ok(())
    })
}

/// The case scope of the signed-in person (see `domain::access`).
pub fn case_scope(c: &mut DbConn, staff: &Staff) -> Result<access::CaseScope> {
    Ok(access::case_scope(&staff.person, &tree(c)?))
}

/// After the organisation changed (an import, a console edit): sessions and personal report links
/// of officers who are no longer heads or deputies (or no longer active) end, so a replaced head
/// keeps no access. Runs inside the change's transaction.
pub fn after_org_change(c: &mut DbConn, at: chrono::NaiveDateTime) -> Result<usize> {
    let officers: std::collections::HashMap<i64, store::org::Officer> =
        store::org::all_officers(c)?.into_iter().map(|o| (o.id, o)).collect();
    let mut ended = 0;
    for (id, officer, email) in store::staff::officer_sessions(c)? {
        let still = officers.get(&officer).is_some_and(|o| {
            o.active
                && matches!(o.role, Role::Head | Role::Deputy)
                && o.email.as_deref().is_some_and(|e| normalize_email(e) == email)
        });
        if !still {
            store::staff::revoke_session(c, id, at)?;
            ended += 1;
        }
    }
    // A report link made for a head (of its unit): only while they head it.
    for (id, unit, officer) in store::staff::personal_report_links(c)? {
        let still = officers.get(&officer).is_some_and(|o| {
            o.active && matches!(o.role, Role::Head | Role::Deputy) && unit.is_none_or(|u| u == o.unit_id)
        });
        if !still {
            store::staff::revoke_report_link(c, id, at)?;
            ended += 1;
        }
    }
    Ok(ended)
}
