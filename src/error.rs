//! The crate's error type. User-caused errors carry a [`Text`] in both languages; everything else is
//! an internal failure whose detail goes to the log, not to the citizen.

use crate::i18n::Text;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Input that breaks a rule; nothing was changed.
    #[error("{0}")]
    Invalid(Text),
    /// Several input problems found at once (e.g. an organisation file); nothing was changed.
    #[error("{}", .0.iter().map(|t| t.to_string()).collect::<Vec<_>>().join("\n"))]
    InvalidMany(Vec<Text>),
    #[error("{0}")]
    NotFound(Text),
    #[error("{0}")]
    Conflict(Text),
    #[error(transparent)]
    Config(#[from] crate::config::ConfigError),
    #[error("database: {0}")]
    Db(#[from] diesel::result::Error),
    #[error("database connection: {0}")]
    Connection(String),
    #[error(transparent)]
    Io(#[from] std::io::Error),
    #[error(transparent)]
    Other(#[from] anyhow::Error),
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    /// The message for a person, in their language; internal errors get a generic sentence.
    pub fn user_message(&self, lang: crate::i18n::Lang) -> String {
        match self {
            Error::Invalid(t) | Error::NotFound(t) | Error::Conflict(t) => t.get(lang).to_string(),
            Error::InvalidMany(ts) => ts.iter().map(|t| t.get(lang)).collect::<Vec<_>>().join("\n"),
            Error::Config(c) => c.0.get(lang).to_string(),
            Error::Connection(detail) => match lang {
                crate::i18n::Lang::Vi => format!("Không kết nối được cơ sở dữ liệu: {detail}"),
                crate::i18n::Lang::En => format!("Cannot connect to the database: {detail}"),
            },
            other => match lang {
                crate::i18n::Lang::Vi => format!("Lỗi hệ thống: {other}"),
                crate::i18n::Lang::En => format!("Internal error: {other}"),
            },
        }
    }
}
