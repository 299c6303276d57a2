//! The complainant identity vault: contact details sealed with an AEAD (XChaCha20-Poly1305, from
//! RustCrypto's `chacha20poly1305`), under a key derived from the secret key. Only a handler page
//! that may show them opens them; logs and staff emails never carry them.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use chacha20poly1305::aead::{Aead, AeadCore, KeyInit, OsRng};
use chacha20poly1305::{Key, XChaCha20Poly1305, XNonce};

use crate::domain::feedback::Contact;
use crate::error::{Error, Result};
use crate::i18n::Lang;
use crate::secret::Secret;

#[derive(serde::Serialize, serde::Deserialize)]
struct Plain {
    name: Option<String>,
    phone: Option<String>,
    email: Option<String>,
    /// Absent in records sealed before it was kept: Vietnamese.
    #[serde(default)]
    lang: Lang,
}

fn cipher(secret: &Secret) -> XChaCha20Poly1305 {
    XChaCha20Poly1305::new(Key::from_slice(&secret.derive("vault/v1")))
}

/// `base64(nonce || ciphertext)`; the case id is bound as associated data, so a sealed record
/// moved to another case does not open.
pub fn seal(secret: &Secret, case_id: i64, c: &Contact) -> Result<String> {
    let plain = serde_json::to_vec(&Plain {
        name: c.name.clone(),
        phone: c.phone.clone(),
        email: c.email.clone(),
        lang: c.lang,
    })
    .map_err(|e| Error::Other(e.into()))?;
    let nonce = XChaCha20Poly1305::generate_nonce(&mut OsRng);
    let aad = case_id.to_string();
    let ct = cipher(secret)
        .encrypt(&nonce, chacha20poly1305::aead::Payload { msg: &plain, aad: aad.as_bytes() })
        .map_err(|_| Error::Other(anyhow::anyhow!("vault: encryption failed")))?;
    let mut out = nonce.to_vec();
    out.extend(ct);
    Ok(STANDARD.encode(out))
}

pub fn open(secret: &Secret, case_id: i64, sealed: &str) -> Result<Contact> {
    let bytes = STANDARD.decode(sealed).map_err(|_| Error::Other(anyhow::anyhow!("vault: not base64")))?;
    if bytes.len() < 24 {
        return Err(Error::Other(anyhow::anyhow!("vault: record too short")));
    }
    let (nonce, ct) = bytes.split_at(24);
    let aad = case_id.to_string();
    let plain = cipher(secret)
        .decrypt(XNonce::from_slice(nonce), chacha20poly1305::aead::Payload { msg: ct, aad: aad.as_bytes() })
        .map_err(|_| Error::Other(anyhow::anyhow!("vault: record does not open with this key")))?;
    let p: Plain = serde_json::from_slice(&plain).map_err(|e| Error::Other(e.into()))?;
    Ok(Contact { name: p.name, phone: p.phone, email: p.email, lang: p.lang })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seals_and_opens_only_for_its_case_and_key() {
        let s = Secret::from_bytes(&[1u8; 32]);
        let c = Contact {
            name: Some("Nguyễn Thị Lan".into()),
            phone: Some("0912345678".into()),
            email: None,
            lang: Lang::En,
        };
        let sealed = seal(&s, 42, &c).unwrap();
        assert!(!sealed.contains("0912345678"));
        assert_eq!(open(&s, 42, &sealed).unwrap(), c);
        assert!(open(&s, 43, &sealed).is_err());
        assert!(open(&Secret::from_bytes(&[2u8; 32]), 42, &sealed).is_err());
        assert_ne!(seal(&s, 42, &c).unwrap(), sealed, "a fresh nonce each time");
    }

    #[test]
    fn records_sealed_before_the_language_was_kept_open_as_vietnamese() {
        let p: Plain = serde_json::from_str(r#"{"name":null,"phone":null,"email":"lan@example.vn"}"#).unwrap();
        assert_eq!(p.lang, Lang::Vi);
    }
}
