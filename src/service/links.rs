//! Signed action links for emails. A link's token (≥ 128 random bits) is derived from a random
//! nonce and the secret key: the database keeps the nonce (in the outbox, to rebuild the link when
//! sending) and the token's hash (to recognise it), never the token itself.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::NaiveDateTime;
use hmac::{Hmac, KeyInit, Mac};
use rand::RngCore;
use sha2::{Digest, Sha256};

use crate::domain::case::LinkRole;
use crate::error::Result;
use crate::secret::Secret;
use crate::store::{DbConn, links};

/// The URL-safe token for a nonce (32 symbols of base64url: 192 bits of HMAC output).
pub fn token_for(secret: &Secret, nonce: &str) -> String {
    let mut m = Hmac::<Sha256>::new_from_slice(&secret.derive("action-link")).expect("any key length");
    m.update(nonce.as_bytes());
    URL_SAFE_NO_PAD.encode(&m.finalize().into_bytes()[..24])
}

pub fn hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// A new link's nonce and its token's hash (computed outside any transaction: it is pure).
pub fn prepare(secret: &Secret) -> (String, String) {
    let mut bytes = [0u8; 16];
    rand::rng().fill_bytes(&mut bytes);
    let nonce = hex::encode(bytes);
    let token_hash = hash(&token_for(secret, &nonce));
    (nonce, token_hash)
}

/// A link to create with an email.
#[derive(Debug, Clone)]
pub struct NewLink {
    pub officer_id: Option<i64>,
    pub email: String,
    pub role: LinkRole,
    pub token_hash: String,
    pub expires_at: NaiveDateTime,
}

/// Stores a prepared link (inside the caller's transaction); returns its id.
pub fn insert(c: &mut DbConn, case_id: i64, l: &NewLink, now: NaiveDateTime) -> Result<i64> {
    links::insert(c, &l.token_hash, case_id, l.officer_id, &l.email, l.role, l.expires_at, now)
}

/// The CSRF token of a case page: bound to the link and to the case's event count, so a form
/// posted after the case changed (or replayed) is refused.
pub fn csrf(secret: &Secret, link_id: i64, event_count: i32) -> String {
    let mut m = Hmac::<Sha256>::new_from_slice(&secret.derive("csrf")).expect("any key length");
    m.update(format!("{link_id}:{event_count}").as_bytes());
    URL_SAFE_NO_PAD.encode(m.finalize().into_bytes())
}

pub fn csrf_ok(secret: &Secret, link_id: i64, event_count: i32, given: &str) -> bool {
    let Ok(sig) = URL_SAFE_NO_PAD.decode(given.trim()) else { return false };
    let mut m = Hmac::<Sha256>::new_from_slice(&secret.derive("csrf")).expect("any key length");
    m.update(format!("{link_id}:{event_count}").as_bytes());
    m.verify_slice(&sig).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_and_csrf() {
        let s = Secret::from_bytes(&[3u8; 32]);
        let t = token_for(&s, "abc");
        assert_eq!(t, token_for(&s, "abc"));
        assert_ne!(t, token_for(&s, "abd"));
        assert_ne!(t, token_for(&Secret::from_bytes(&[4u8; 32]), "abc"));
        assert!(t.len() >= 22, "at least 128 bits");
        let c = csrf(&s, 7, 3);
        assert!(csrf_ok(&s, 7, 3, &c));
        assert!(!csrf_ok(&s, 7, 4, &c), "refused once the case changed");
        assert!(!csrf_ok(&s, 8, 3, &c));
        assert!(!csrf_ok(&s, 7, 3, "x"));
    }
}
