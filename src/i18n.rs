//! Two languages, Vietnamese first. Messages a person can cause carry both texts; the caller picks one
//! by the reader's language (the page's `lang`, or the CLI's locale).

use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    #[default]
    Vi,
    En,
}

impl Lang {
    pub fn code(self) -> &'static str {
        match self {
            Lang::Vi => "vi",
            Lang::En => "en",
        }
    }

    /// The stored code (`vi`, `en`); see [`Lang::code`].
    pub fn as_str(self) -> &'static str {
        self.code()
    }

    pub fn parse(s: &str) -> Option<Lang> {
        match s.trim().to_ascii_lowercase().as_str() {
            "vi" | "vi-vn" => Some(Lang::Vi),
            "en" | "en-us" | "en-gb" => Some(Lang::En),
            _ => None,
        }
    }

    /// The language of command-line messages: English only when the locale asks for it.
    pub fn from_locale() -> Lang {
        for var in ["LC_ALL", "LC_MESSAGES", "LANG"] {
            if let Ok(v) = std::env::var(var)
                && !v.is_empty()
            {
                return if v.starts_with("en") { Lang::En } else { Lang::Vi };
            }
        }
        Lang::Vi
    }
}

impl std::str::FromStr for Lang {
    type Err = String;

    /// Exactly `vi` or `en`, as stored (a query's `?lang=` goes through the lenient [`Lang::parse`]).
    fn from_str(s: &str) -> Result<Lang, String> {
        match s {
            "vi" => Ok(Lang::Vi),
            "en" => Ok(Lang::En),
            _ => Err(format!("unknown language {s:?} (known: vi, en)")),
        }
    }
}

/// A message in both languages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Text {
    pub vi: String,
    pub en: String,
}

impl Text {
    pub fn new(vi: impl Into<String>, en: impl Into<String>) -> Text {
        Text { vi: vi.into(), en: en.into() }
    }

    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::Vi => &self.vi,
            Lang::En => &self.en,
        }
    }
}

impl fmt::Display for Text {
    /// Both languages, Vietnamese first: for logs and places where the reader is unknown.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.vi == self.en { f.write_str(&self.vi) } else { write!(f, "{} ({})", self.vi, self.en) }
    }
}

/// `t!("Tiếng Việt {x}", "English {x}")`: a [`Text`] from two format strings.
#[macro_export]
macro_rules! t {
    ($vi:expr, $en:expr $(,)?) => {
        $crate::i18n::Text::new(format!($vi), format!($en))
    };
}

/// A UTC instant as people in Việt Nam read it: "17:00 thứ Hai, 30/11/2026".
pub fn local_time(t: chrono::DateTime<chrono::Utc>, lang: Lang) -> String {
    use chrono::Datelike;
    let l = t.with_timezone(&crate::domain::LOCAL_TZ);
    let day = match (lang, l.weekday()) {
        (Lang::Vi, chrono::Weekday::Mon) => "thứ Hai",
        (Lang::Vi, chrono::Weekday::Tue) => "thứ Ba",
        (Lang::Vi, chrono::Weekday::Wed) => "thứ Tư",
        (Lang::Vi, chrono::Weekday::Thu) => "thứ Năm",
        (Lang::Vi, chrono::Weekday::Fri) => "thứ Sáu",
        (Lang::Vi, chrono::Weekday::Sat) => "thứ Bảy",
        (Lang::Vi, chrono::Weekday::Sun) => "Chủ nhật",
        (Lang::En, chrono::Weekday::Mon) => "Monday",
        (Lang::En, chrono::Weekday::Tue) => "Tuesday",
        (Lang::En, chrono::Weekday::Wed) => "Wednesday",
        (Lang::En, chrono::Weekday::Thu) => "Thursday",
        (Lang::En, chrono::Weekday::Fri) => "Friday",
        (Lang::En, chrono::Weekday::Sat) => "Saturday",
        (Lang::En, chrono::Weekday::Sun) => "Sunday",
    };
    format!("{} {day}, {}", l.format("%H:%M"), l.format("%d/%m/%Y"))
}
