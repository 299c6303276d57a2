//! The secret key: signs links and form tokens, encrypts personal data. Configured (`secret_key`)
//! or generated once into `{data_dir}/secret.key` with mode 0600. Several instances behind a load
//! balancer must share one configured key, or each would reject the others' links.

use std::io::Write;
use std::path::Path;

use hmac::{Hmac, KeyInit, Mac};
use rand::RngCore;
use sha2::Sha256;

use crate::config::Config;
use crate::error::{Error, Result};
use crate::t;

pub const FILE_NAME: &str = "secret.key";

#[derive(Clone)]
pub struct Secret {
    key: Vec<u8>,
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Secret(…)")
    }
}

impl Secret {
    pub fn from_bytes(key: &[u8]) -> Secret {
        Secret { key: key.to_vec() }
    }

    /// The configured key, else the one in the data directory, else a new one written there.
    pub fn load_or_create(config: &Config) -> Result<Secret> {
        if let Some(k) = &config.secret_key {
            return Ok(Secret::from_bytes(k.trim().as_bytes()));
        }
        let path = config.data_dir.join(FILE_NAME);
        if path.exists() {
            return read(&path);
        }
        std::fs::create_dir_all(&config.data_dir)?;
        let mut bytes = [0u8; 32];
        rand::rng().fill_bytes(&mut bytes);
        let text = hex::encode(bytes);
        match write_new(&path, &text) {
            Ok(()) => Ok(Secret::from_bytes(text.as_bytes())),
            // Another process created it first: use theirs.
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => read(&path),
            Err(e) => Err(e.into()),
        }
    }

    /// A key for one purpose, so a signature made for one use never verifies for another.
    pub fn derive(&self, purpose: &str) -> [u8; 32] {
        let mut mac = Hmac::<Sha256>::new_from_slice(&self.key).expect("HMAC takes any key length");
        mac.update(b"hailong/");
        mac.update(purpose.as_bytes());
        mac.finalize().into_bytes().into()
    }
}

fn read(path: &Path) -> Result<Secret> {
    let text = std::fs::read_to_string(path)?;
    let text = text.trim();
    if text.len() < 32 {
        let shown = path.display();
        return Err(Error::Invalid(t!(
            "Tệp khóa bí mật {shown} quá ngắn (cần ít nhất 32 ký tự)",
            "The secret key file {shown} is too short (at least 32 characters)"
        )));
    }
    Ok(Secret::from_bytes(text.as_bytes()))
}

fn write_new(path: &Path, text: &str) -> std::io::Result<()> {
    let mut opts = std::fs::OpenOptions::new();
    opts.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.mode(0o600);
    }
    let mut f = opts.open(path)?;
    f.write_all(text.as_bytes())?;
    f.write_all(b"\n")?;
    f.sync_all()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_once_with_private_mode() {
        let dir = tempfile::tempdir().unwrap();
        let config = Config { data_dir: dir.path().join("d"), ..Config::default() };
        let a = Secret::load_or_create(&config).unwrap();
        let b = Secret::load_or_create(&config).unwrap();
        assert_eq!(a.derive("x"), b.derive("x"));
        assert_ne!(a.derive("x"), a.derive("y"));
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(config.data_dir.join(FILE_NAME)).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        let configured = Config { secret_key: Some("k".repeat(40)), ..config };
        assert_ne!(Secret::load_or_create(&configured).unwrap().derive("x"), a.derive("x"));
    }
}
