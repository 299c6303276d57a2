//! Codes people read off a poster or aloud over the phone: an alphabet of 32 symbols without the
//! look-alikes 0/O and 1/I, case-insensitive. Each symbol carries 5 random bits.

use rand::Rng;

/// 2–9 and A–Z without I and O: 8 + 24 = 32 symbols.
pub const ALPHABET: &[u8; 32] = b"23456789ABCDEFGHJKLMNPQRSTUVWXYZ";

/// Length of a desk's QR token: 13 symbols = 65 random bits.
pub const DESK_TOKEN_LEN: usize = 13;

/// `len` random symbols.
pub fn random_code(rng: &mut impl Rng, len: usize) -> String {
    (0..len).map(|_| ALPHABET[rng.random_range(0..ALPHABET.len())] as char).collect()
}

pub fn new_desk_token(rng: &mut impl Rng) -> String {
    random_code(rng, DESK_TOKEN_LEN)
}

/// Receipt codes: `PA-` and 8 symbols in two groups of four (40 random bits), e.g. `PA-7KQ3-M9XT`.
pub const RECEIPT_PREFIX: &str = "PA";
pub const RECEIPT_SYMBOLS: usize = 8;

pub fn new_receipt(rng: &mut impl Rng) -> String {
    let s = random_code(rng, RECEIPT_SYMBOLS);
    format!("{RECEIPT_PREFIX}-{}-{}", &s[..4], &s[4..])
}

/// The canonical receipt for what a person typed (`pa 7kq3m9xt`, `PA-7KQ3-M9XT`, `7KQ3-M9XT`).
pub fn parse_receipt(input: &str) -> Option<String> {
    let compact = normalize(input.trim())?;
    let body = compact.strip_prefix(RECEIPT_PREFIX).filter(|b| b.len() == RECEIPT_SYMBOLS).unwrap_or(&compact);
    (body.len() == RECEIPT_SYMBOLS).then(|| format!("{RECEIPT_PREFIX}-{}-{}", &body[..4], &body[4..]))
}

/// A case's number, as staff see it (never the receipt, which is the citizen's key): the local
/// year the case was received and its sequence number, e.g. `2026-000123`. Its digits 0 and 1 are
/// outside the receipt alphabet, so the two can never be mistaken for each other.
pub fn case_number(year: i32, id: i64) -> String {
    format!("{year}-{id:06}")
}

/// The (year, id) of a case number as typed (`2026-000123`, `2026-123`, ` 2026/123 `).
pub fn parse_case_number(input: &str) -> Option<(i32, i64)> {
    let (y, n) = input.trim().split_once(['-', '/'])?;
    let year: i32 = y.trim().parse().ok().filter(|y| (2000..=9999).contains(y))?;
    let id: i64 = n.trim().parse().ok().filter(|n| *n > 0)?;
    Some((year, id))
}

/// The canonical form of what a person typed: upper case, without spaces and dashes. Returns
/// `None` when a character is outside the alphabet (0, 1, I, O, punctuation…), so a mistyped code
/// is a clean "not found" rather than a lookup of something else.
pub fn normalize(input: &str) -> Option<String> {
    let mut out = String::with_capacity(input.len());
    for c in input.chars() {
        if c == '-' || c == ' ' {
            continue;
        }
        let u = c.to_ascii_uppercase();
        if u.is_ascii() && ALPHABET.contains(&(u as u8)) {
            out.push(u);
        } else {
            return None;
        }
    }
    (!out.is_empty()).then_some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;

    #[test]
    fn case_numbers() {
        assert_eq!(case_number(2026, 123), "2026-000123");
        assert_eq!(case_number(2027, 1_234_567), "2027-1234567");
        assert_eq!(parse_case_number("2026-000123"), Some((2026, 123)));
        assert_eq!(parse_case_number(" 2026/123 "), Some((2026, 123)));
        for bad in ["", "2026", "PA-7KQ3-M9XT", "2026-0", "26-12", "2026-x", "-2026-5"] {
            assert_eq!(parse_case_number(bad), None, "{bad}");
        }
        assert!(parse_receipt(&case_number(2026, 123)).is_none(), "a number is never a receipt");
    }

    #[test]
    fn alphabet_has_no_lookalikes_and_no_repeats() {
        for c in [b'0', b'O', b'1', b'I'] {
            assert!(!ALPHABET.contains(&c));
        }
        let mut v = ALPHABET.to_vec();
        v.sort();
        v.dedup();
        assert_eq!(v.len(), 32);
    }

    #[test]
    fn desk_tokens_carry_enough_entropy() {
        // log2(32) * 13 = 65 bits ≥ 60.
        const { assert!(5 * DESK_TOKEN_LEN >= 60) };
        let mut rng = rand::rngs::StdRng::seed_from_u64(7);
        let a = new_desk_token(&mut rng);
        let b = new_desk_token(&mut rng);
        assert_eq!(a.len(), 13);
        assert_ne!(a, b);
        assert_eq!(normalize(&a.to_lowercase()), Some(a.clone()));
    }

    #[test]
    fn receipts_are_typeable() {
        let mut rng = rand::rngs::StdRng::seed_from_u64(1);
        let r = new_receipt(&mut rng);
        assert_eq!(r.len(), 12);
        assert!(r.starts_with("PA-") && r.as_bytes()[7] == b'-');
        const { assert!(5 * RECEIPT_SYMBOLS >= 40) };
        let lower = r.to_lowercase();
        assert_eq!(parse_receipt(&lower), Some(r.clone()));
        assert_eq!(parse_receipt(&lower.replace('-', " ")), Some(r.clone()));
        assert_eq!(parse_receipt(&r[3..]), Some(r.clone()));
        assert_eq!(parse_receipt("PA-7KQ3-M9X"), None);
        assert_eq!(parse_receipt("PA-7KQ3-M9X0"), None);
    }

    #[test]
    fn normalize_is_case_insensitive_and_strict() {
        assert_eq!(normalize("ab-cd ef"), Some("ABCDEF".into()));
        assert_eq!(normalize("AB0C"), None);
        assert_eq!(normalize("ABIC"), None);
        assert_eq!(normalize("đ"), None);
        assert_eq!(normalize("--"), None);
    }
}
