//! Where a TOML file went wrong, in the reader's language: shared by every file hailong reads
//! (configuration, organisation, calendars, survey).

use crate::i18n::Lang;

/// "line N: message" from a toml error, in the reader's language where we can say it ourselves.
pub fn describe_toml_error(text: &str, e: &toml::de::Error, lang: Lang) -> String {
    let msg = e.message().trim().to_string();
    let Some(span) = e.span() else { return msg };
    let l = line_of(text, span.start);
    // The line itself names the key, which a type error alone does not.
    let src = text.lines().nth(l - 1).unwrap_or("").trim();
    match lang {
        Lang::Vi => format!("dòng {l} ({src}): {msg}"),
        Lang::En => format!("line {l} ({src}): {msg}"),
    }
}

/// 1-based line number of a byte offset.
pub fn line_of(text: &str, offset: usize) -> usize {
    text[..offset.min(text.len())].bytes().filter(|b| *b == b'\n').count() + 1
}
