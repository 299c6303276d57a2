//! The rating form's token: signed with the secret key, bound to one desk, valid for a while. A
//! POST without a valid token stores nothing; an expired one gets the form back, answers kept.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, Duration, Utc};
use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Check {
    Valid,
    /// Well-formed and signed by us for this desk, but older than the time limit.
    Expired,
    /// Missing, malformed, tampered with, or for another desk.
    Invalid,
}

fn mac(key: &[u8; 32], desk_id: i64, issued: i64) -> Vec<u8> {
    let mut m = Hmac::<Sha256>::new_from_slice(key).expect("any key length");
    m.update(format!("form:{desk_id}:{issued}").as_bytes());
    m.finalize().into_bytes().to_vec()
}

/// `ISSUED.MAC` (MAC over desk and issue time, base64url).
pub fn issue(key: &[u8; 32], desk_id: i64, now: DateTime<Utc>) -> String {
    let issued = now.timestamp();
    format!("{issued}.{}", URL_SAFE_NO_PAD.encode(mac(key, desk_id, issued)))
}

pub fn check(key: &[u8; 32], token: &str, desk_id: i64, now: DateTime<Utc>, ttl: Duration) -> Check {
    let Some((issued, sig)) = token.trim().split_once('.') else { return Check::Invalid };
    let (Ok(issued), Ok(sig)) = (issued.parse::<i64>(), URL_SAFE_NO_PAD.decode(sig)) else { return Check::Invalid };
    let mut m = Hmac::<Sha256>::new_from_slice(key).expect("any key length");
    m.update(format!("form:{desk_id}:{issued}").as_bytes());
    if m.verify_slice(&sig).is_err() {
        return Check::Invalid;
    }
    let age = now.timestamp() - issued;
    // Issued in the future (beyond clock slack between instances) cannot be ours.
    if age < -300 {
        return Check::Invalid;
    }
    if age > ttl.num_seconds() { Check::Expired } else { Check::Valid }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn valid_expired_invalid() {
        let key = [7u8; 32];
        let now = Utc.with_ymd_and_hms(2026, 11, 27, 3, 0, 0).unwrap();
        let ttl = Duration::hours(2);
        let t = issue(&key, 5, now);
        assert_eq!(check(&key, &t, 5, now + Duration::minutes(30), ttl), Check::Valid);
        assert_eq!(check(&key, &t, 5, now + Duration::hours(3), ttl), Check::Expired);
        assert_eq!(check(&key, &t, 6, now, ttl), Check::Invalid, "bound to the desk");
        assert_eq!(check(&[8u8; 32], &t, 5, now, ttl), Check::Invalid, "signed with our key");
        let (issued, sig) = t.split_once('.').unwrap();
        let later = format!("{}.{sig}", issued.parse::<i64>().unwrap() + 3600);
        assert_eq!(check(&key, &later, 5, now, ttl), Check::Invalid, "time cannot be moved");
        for bad in ["", "abc", "1.2", "x.y"] {
            assert_eq!(check(&key, bad, 5, now, ttl), Check::Invalid);
        }
    }
}
