//! Email: building messages and sending them (SMTP, or .eml files).
//!
//! `compose` writes the words of each email; [`message::build`] turns an [`Outgoing`] (what the
//! outbox stores) into a MIME message; [`Mailer`] delivers it. Sending never panics: a
//! [`SendError`] says whether retrying can help.

pub mod compose;
pub mod message;
pub mod transport;

use std::path::PathBuf;

pub use message::{Attachment, Outgoing, build, message_id_for, parse_mailbox};
pub use transport::{Mailer, SendError};

use crate::t;

/// A message that cannot be built, or a mail configuration that cannot work.
#[derive(Debug, thiserror::Error)]
pub enum MailError {
    /// `field` is the header the address was meant for (From, To, Cc).
    #[error("invalid {field} address {value:?}: {reason}")]
    Address { field: &'static str, value: String, reason: String },
    #[error("invalid Message-ID {0:?}: expected `left@right` without spaces or angle brackets")]
    MessageId(String),
    #[error("cannot build the email: {0}")]
    Build(#[from] lettre::error::Error),
    #[error("mail configuration: {0}")]
    Config(String),
    #[error("mail folder {}: {source}", path.display())]
    Io { path: PathBuf, source: std::io::Error },
}

impl From<MailError> for crate::error::Error {
    /// A bad address is the user's to fix (an organisation file, a setting), so it becomes a
    /// bilingual `Invalid`; the rest are internal failures.
    fn from(e: MailError) -> Self {
        match e {
            MailError::Address { field, value, reason } => crate::error::Error::Invalid(t!(
                "Địa chỉ email ({field}) không hợp lệ: {value:?} ({reason})",
                "Invalid email address ({field}): {value:?} ({reason})"
            )),
            other => crate::error::Error::Other(other.into()),
        }
    }
}
