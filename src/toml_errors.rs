//! Where a TOML file went wrong, in the reader's language: shared by every file hailong reads
//! (configuration, organisation, calendars, survey).
//!
//! [`from_str`] lists every problem of a file, not only the first:
//! - **syntax** (a missing quote, a duplicate key): toml's recovering parser reports every one in a
//!   single pass, so they are listed together and nothing further is tried on a broken document;
//! - **structure** (an unknown, missing or mistyped key): serde stops at the first, so the entry at
//!   fault is blanked out (spaces, newlines kept, so every offset and line stays put) and the text
//!   deserialised again, at most [`MAX_PROBLEMS`] times. A later error that the blanking itself could
//!   have caused (a required key we blanked is now "missing", or the blanked text no longer parses)
//!   ends the search instead of being reported: every problem listed is in the file as written.
//!
//! Each problem names its line, the table and key, says what is wrong in Vietnamese, and keeps
//! toml's English original after it (`(toml: …)`), which is also the whole English text.

use std::collections::HashSet;
use std::ops::Range;

use serde::de::DeserializeOwned;
use toml::de::{DeTable, DeValue};

use crate::i18n::{Lang, Text};

/// Enough for any real file; bounds the work on a file that is wrong everywhere.
pub const MAX_PROBLEMS: usize = 50;

/// One problem in a TOML file, at a line when toml gives a place.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub line: Option<usize>,
    /// Where in the file (table, key) and what is wrong; without the line.
    pub message: Text,
}

impl Problem {
    /// "dòng N: …" / "line N: …".
    pub fn render(&self, lang: Lang) -> String {
        let m = self.message.get(lang);
        match (self.line, lang) {
            (Some(l), Lang::Vi) => format!("dòng {l}: {m}"),
            (Some(l), Lang::En) => format!("line {l}: {m}"),
            (None, _) => m.to_string(),
        }
    }
}

/// Every problem, one per line, in both languages.
pub fn list(problems: &[Problem]) -> Text {
    let join = |lang| problems.iter().map(|p| p.render(lang)).collect::<Vec<_>>().join("\n");
    Text::new(join(Lang::Vi), join(Lang::En))
}

/// Deserialises `text`, or returns every problem found (see the module documentation).
pub fn from_str<T: DeserializeOwned>(text: &str) -> Result<T, Vec<Problem>> {
    let syntax = syntax_problems(text);
    if !syntax.is_empty() {
        return Err(syntax);
    }
    structure_problems::<T>(text).map_err(|mut problems| {
        // serde walks tables in key order, not file order: list them as the file reads.
        problems.sort_by_key(|p| p.line.unwrap_or(usize::MAX));
        problems
    })
}

/// Every syntax error, in file order. toml's recovering parser reports every duplicate key, but
/// after a real break (a missing quote, bracket or `=`) what it reports next may only be a
/// consequence of its recovery. So each round keeps the duplicates and the first break after the
/// part already checked, then blanks the break's line up to the next table header (the rest of
/// that table: a header's own keys with it, so no key moves to another table) and parses again.
/// An error the next round finds in the part already checked can only come from that blanking:
/// the search ends there instead of reporting it.
fn syntax_problems(text: &str) -> Vec<Problem> {
    let mut current = text.to_string();
    let mut problems: Vec<Problem> = Vec::new();
    let mut checked = 0; // everything before this offset has been checked
    for _ in 0..=MAX_PROBLEMS {
        let (_, mut errors) = DeTable::parse_recoverable(&current);
        errors.sort_by_key(|e| e.span().map_or(usize::MAX, |s| s.start));
        let mut brk = None;
        for e in &errors {
            let p = describe(text, None, e);
            match e.span() {
                Some(span) if span.start < checked => {
                    if !problems.contains(&p) {
                        return problems;
                    }
                }
                span => {
                    push_unique(&mut problems, p);
                    if !e.message().starts_with("duplicate key") {
                        brk = Some(span);
                        break;
                    }
                }
            }
        }
        let Some(Some(span)) = brk else { break };
        if problems.len() >= MAX_PROBLEMS {
            break;
        }
        let start = line_at(&current, span.start).0;
        let end = next_header(&current, start);
        blank(&mut current, start..end);
        checked = end;
    }
    problems
}

/// The start of the first header line after the line starting at `line_start`, or the end.
fn next_header(text: &str, line_start: usize) -> usize {
    let mut at = text[line_start..].find('\n').map_or(text.len(), |i| line_start + i + 1);
    while at < text.len() {
        let (_, line) = line_at(text, at);
        if is_header(line) {
            return at;
        }
        at = text[at..].find('\n').map_or(text.len(), |i| at + i + 1);
    }
    text.len()
}

fn structure_problems<T: DeserializeOwned>(text: &str) -> Result<T, Vec<Problem>> {
    let mut current = text.to_string();
    let mut problems: Vec<Problem> = Vec::new();
    // Names of the keys blanked so far: "missing field `x`" for one of them is our doing.
    let mut blanked: HashSet<String> = HashSet::new();
    // Each round blanks one more entry; the bound also ends a round that found nothing new.
    for _ in 0..=MAX_PROBLEMS {
        let e = match toml::from_str::<T>(&current) {
            Ok(v) if problems.is_empty() => return Ok(v),
            Ok(_) => return Err(problems),
            Err(e) => e,
        };
        if backquoted_after(e.message(), "missing field ").is_some_and(|k| blanked.contains(k)) {
            return Err(problems);
        }
        let cut = {
            // The text parsed before each round (checked below), so this only fails if toml changes.
            let Ok(doc) = DeTable::parse(&current) else { return Err(problems) };
            push_unique(&mut problems, describe(text, Some(doc.get_ref()), &e));
            e.span().and_then(|span| entry_to_blank(&current, doc.get_ref(), span))
        };
        let Some((ranges, name)) = cut else { return Err(problems) };
        if problems.len() >= MAX_PROBLEMS {
            return Err(problems);
        }
        for range in ranges {
            blank(&mut current, range);
        }
        blanked.insert(name);
        if DeTable::parse(&current).is_err() {
            return Err(problems);
        }
    }
    Err(problems)
}

/// 1-based line number of a byte offset.
pub fn line_of(text: &str, offset: usize) -> usize {
    text[..offset.min(text.len())].bytes().filter(|b| *b == b'\n').count() + 1
}

fn push_unique(problems: &mut Vec<Problem>, p: Problem) {
    if !problems.contains(&p) {
        problems.push(p);
    }
}

// ───────────────────────────── Saying what is wrong ─────────────────────────────

fn describe(text: &str, doc: Option<&DeTable>, e: &toml::de::Error) -> Problem {
    let original = e.message().trim();
    let span = e.span();
    let first = span.clone().filter(|_| original.starts_with("duplicate key")).and_then(|s| first_definition(text, s));
    let explained = explain_vi(original);
    let (mut vi, mut en) = match (&explained, split_bilingual(original)) {
        (Some(vi), _) => (vi.clone(), original.to_string()),
        // One of our own value parsers (a duration): a `Text` shown as "vi (en)".
        (None, Some((vi, en))) => (vi.to_string(), en.to_string()),
        (None, None) => (original.to_string(), original.to_string()),
    };
    if let Some(first) = first {
        vi = format!("{vi}; lần đầu ở dòng {first}");
        en = format!("{en} (first at line {first})");
    }
    if explained.is_some() {
        vi = format!("{vi} (toml: {original})");
    }
    let Some(span) = span else { return Problem { line: None, message: Text::new(vi, en) } };
    let about_key = original.starts_with("duplicate key") || original.starts_with("unknown field");
    // A key without its `=`: the key is the line's first word.
    let bare_key = original.starts_with("key with no value") || original.starts_with("missing assignment");
    let (place_vi, place_en) = place(text, doc, span.clone(), about_key, bare_key);
    Problem {
        line: Some(line_of(text, span.start)),
        message: Text::new(format!("{place_vi}{vi}"), format!("{place_en}{en}")),
    }
}

/// "tiếng Việt (English)", as a bilingual `Text` displays: the two halves, when the text ends with
/// a parenthesis whose opening one follows Vietnamese.
fn split_bilingual(s: &str) -> Option<(&str, &str)> {
    let inner_end = s.strip_suffix(')')?.len();
    let mut depth = 0;
    for (i, c) in s[..inner_end].char_indices().rev() {
        match c {
            ')' => depth += 1,
            '(' if depth > 0 => depth -= 1,
            '(' => {
                let vi = s[..i].trim_end();
                return (!vi.is_ascii() && !vi.is_empty()).then(|| (vi, &s[i + 1..inner_end]));
            }
            _ => {}
        }
    }
    None
}

/// "[[units]], khóa `code`: " — the table the line belongs to, and the key.
fn place(text: &str, doc: Option<&DeTable>, span: Range<usize>, about_key: bool, bare_key: bool) -> (String, String) {
    let (line_start, line) = line_at(text, span.start);
    let header = if is_header(line) { Some(clean(line)) } else { header_before(text, line_start) };
    let key = if is_header(line) {
        None
    } else if about_key {
        // The span is the key itself: a dotted `a.b = …` line ends with it; inside `x = { … }` it
        // is one of x's keys.
        let k = unquote(text.get(span.clone()).unwrap_or("").trim());
        match line_key(line) {
            Some(l) if l == k || l.ends_with(&format!(".{k}")) => Some(l),
            Some(l) => Some(format!("{l}.{k}")),
            None => Some(k),
        }
    } else if bare_key && !line.contains('=') {
        line.split_whitespace().next().filter(|w| is_key_text(w)).map(unquote)
    } else {
        // A value going on over several lines: the parsed document knows whose it is.
        line_key(line).or_else(|| doc.and_then(|d| key_of_value(d, &span)))
    };
    let mut vi = Vec::new();
    let mut en = Vec::new();
    if let Some(h) = header {
        vi.push(h.clone());
        en.push(h);
    }
    if let Some(k) = key.filter(|k| !k.is_empty()) {
        vi.push(format!("khóa `{k}`"));
        en.push(format!("key `{k}`"));
    }
    if vi.is_empty() {
        (String::new(), String::new())
    } else {
        (format!("{}: ", vi.join(", ")), format!("{}: ", en.join(", ")))
    }
}

/// The line a duplicate key or table was first given at, when the text shows it plainly.
fn first_definition(text: &str, span: Range<usize>) -> Option<usize> {
    let (line_start, line) = line_at(text, span.start);
    let before: Vec<&str> = text[..line_start].lines().collect();
    if is_header(line) {
        let me = clean(line);
        return before.iter().position(|l| is_header(l) && clean(l) == me).map(|i| i + 1);
    }
    let me = line_key(line)?;
    let k = unquote(text.get(span)?.trim());
    if me != k && !me.ends_with(&format!(".{k}")) {
        return None; // inside an inline table: the first one is on the same line
    }
    // Back to the table's header only: the same key in another table is no duplicate.
    let from = before.iter().rposition(|l| is_header(l)).map_or(0, |i| i + 1);
    before[from..].iter().position(|l| line_key(l).as_deref() == Some(me.as_str())).map(|i| from + i + 1)
}

/// The key whose value contains `span`, as a dotted path from its table.
fn key_of_value(doc: &DeTable, span: &Range<usize>) -> Option<String> {
    fn walk(t: &DeTable, span: &Range<usize>) -> Option<String> {
        for (k, v) in t.iter() {
            let vs = v.span();
            if vs.start <= span.start && span.end <= vs.end {
                let inner = match v.get_ref() {
                    DeValue::Table(t) => walk(t, span),
                    DeValue::Array(a) => a.iter().find_map(|e| match e.get_ref() {
                        DeValue::Table(t) => walk(t, span),
                        _ => None,
                    }),
                    _ => None,
                };
                return Some(match inner {
                    Some(i) => format!("{}.{i}", k.get_ref()),
                    None => k.get_ref().to_string(),
                });
            }
        }
        None
    }
    walk(doc, span)
}

/// Vietnamese for toml's and serde's English messages; `None` for a message we do not know (one of
/// our own value parsers, already bilingual).
fn explain_vi(en: &str) -> Option<String> {
    if let Some(name) = backquoted_after(en, "unknown field ") {
        let rest = &en[en.find(", ").map_or(en.len(), |i| i + 2)..];
        let allowed = match rest.strip_prefix("expected ") {
            Some(list) => format!("; các khóa dùng được: {}", vi_list(list)),
            None if rest.starts_with("there are no fields") => "; ở đây không có khóa nào".into(),
            None => String::new(),
        };
        return Some(format!("không có khóa `{name}` trong định dạng này{allowed}"));
    }
    if let Some(name) = backquoted_after(en, "unknown variant ") {
        let rest = &en[en.find(", ").map_or(en.len(), |i| i + 2)..];
        let allowed = rest.strip_prefix("expected ").map(|l| format!("; dùng {}", vi_list(l))).unwrap_or_default();
        return Some(format!("giá trị `{name}` không có trong danh sách{allowed}"));
    }
    if let Some(name) = backquoted_after(en, "missing field ") {
        return Some(format!("thiếu khóa bắt buộc `{name}`"));
    }
    if let Some(name) = backquoted_after(en, "duplicate field ") {
        return Some(format!("khóa `{name}` bị trùng"));
    }
    for (prefix, vi) in [
        ("invalid type: ", "sai kiểu giá trị"),
        ("invalid value: ", "giá trị không hợp lệ"),
        ("invalid length ", "số phần tử không đúng"),
    ] {
        if let Some(rest) = en.strip_prefix(prefix) {
            let (got, want) = rest.split_once(", expected ").unwrap_or((rest, ""));
            let got =
                if prefix == "invalid length " { format!("có {got}") } else { format!("đang là {}", vi_type(got)) };
            let want = if want.is_empty() { String::new() } else { format!(", cần {}", vi_type(want)) };
            return Some(format!("{vi}: {got}{want}"));
        }
    }
    let (stem, expected) = match en.split_once(", expected ") {
        Some((s, x)) => (s, Some(x)),
        None => (en, None),
    };
    let vi = SYNTAX_VI.iter().find(|(e, _)| *e == stem).map(|(_, v)| *v)?;
    Some(match expected {
        Some(x) => format!("{vi}; cần {}", vi_expected(x)),
        None => vi.to_string(),
    })
}

/// toml's syntax messages (toml_parser and toml's own), in Vietnamese.
const SYNTAX_VI: &[(&str, &str)] = &[
    ("duplicate key", "khóa bị trùng: mỗi khóa (và mỗi bảng [tên]) chỉ được viết một lần"),
    ("invalid basic string", "chuỗi trong dấu nháy kép không hợp lệ (thiếu dấu \" đóng, hoặc \\ sai chỗ)"),
    ("invalid literal string", "chuỗi trong dấu nháy đơn không hợp lệ (thiếu dấu ' đóng?)"),
    ("invalid multi-line basic string", "chuỗi nhiều dòng không hợp lệ (thiếu \"\"\" đóng?)"),
    ("invalid multi-line literal string", "chuỗi nhiều dòng không hợp lệ (thiếu ''' đóng?)"),
    ("invalid string", "chuỗi không hợp lệ"),
    ("string values must be quoted", "giá trị chữ phải đặt trong dấu nháy kép, ví dụ \"abc\""),
    ("unclosed table", "tên bảng thiếu dấu ] đóng"),
    ("unclosed array table", "tên mảng bảng thiếu ]] đóng"),
    ("unclosed array", "mảng thiếu dấu ] đóng"),
    ("unclosed inline table", "bảng viết trên một dòng thiếu dấu } đóng"),
    ("missing value", "thiếu giá trị"),
    ("missing value for key", "thiếu giá trị sau dấu ="),
    ("key with no value", "khóa không có giá trị (thiếu = và giá trị)"),
    ("missing assignment between key-value pairs", "thiếu dấu = giữa khóa và giá trị"),
    ("extra assignment between key-value pairs", "thừa dấu ="),
    ("extra `=`", "thừa dấu ="),
    ("unexpected `=` in array", "dấu = không được đặt trong mảng"),
    ("missing comma between array elements", "thiếu dấu phẩy giữa các phần tử của mảng"),
    ("missing comma between key-value pairs", "thiếu dấu phẩy giữa các cặp khóa = giá trị"),
    ("extra comma in array", "thừa dấu phẩy trong mảng"),
    ("extra comma in inline table", "thừa dấu phẩy trong bảng viết trên một dòng"),
    ("invalid unquoted key", "tên khóa không hợp lệ: chỉ dùng chữ không dấu, số, _ và -, hoặc đặt trong dấu nháy"),
    ("invalid key", "tên khóa không hợp lệ"),
    ("unquoted keys cannot be empty", "tên khóa không được để trống"),
    ("keys cannot be multi-line basic strings", "tên khóa không được là chuỗi nhiều dòng"),
    ("keys cannot be multi-line literal strings", "tên khóa không được là chuỗi nhiều dòng"),
    ("missing key for inline table element", "thiếu tên khóa trong bảng viết trên một dòng"),
    ("invalid inline table element", "phần tử không hợp lệ trong bảng viết trên một dòng"),
    ("missing inline table opening", "thiếu dấu { mở bảng"),
    ("missing array opening", "thiếu dấu [ mở mảng"),
    ("missing table open", "thiếu dấu [ mở tên bảng"),
    ("invalid table", "tên bảng không hợp lệ"),
    ("invalid key-value pair", "cặp khóa = giá trị không hợp lệ"),
    ("invalid value", "giá trị không hợp lệ"),
    ("invalid boolean", "giá trị đúng/sai không hợp lệ: dùng true hoặc false"),
    ("invalid integer number", "số nguyên không hợp lệ"),
    ("invalid binary number", "số nhị phân không hợp lệ"),
    ("invalid octal number", "số bát phân không hợp lệ"),
    ("invalid hexadecimal number", "số thập lục phân không hợp lệ"),
    ("invalid float", "số thực không hợp lệ"),
    ("invalid exponent", "số mũ không hợp lệ"),
    ("invalid fraction", "phần thập phân không hợp lệ"),
    ("invalid mantissa", "số thực không hợp lệ"),
    ("invalid date-time", "ngày giờ không hợp lệ"),
    ("unexpected leading zero", "số không được bắt đầu bằng chữ số 0"),
    ("unexpected sign", "dấu + hoặc - đặt sai chỗ"),
    ("redundant numeric sign", "thừa dấu + hoặc -"),
    ("redundant integer number prefix", "thừa tiền tố của số"),
    ("integers with a radix cannot be signed", "số có tiền tố 0x, 0o, 0b không được có dấu"),
    ("radix must be lowercase", "tiền tố 0x, 0o, 0b phải viết thường"),
    ("`_` may only go between digits", "dấu _ chỉ được đặt giữa hai chữ số"),
    ("integer number overflowed", "số quá lớn"),
    ("floating-point number overflowed", "số quá lớn"),
    ("u64 value was too large", "số quá lớn"),
    ("missing escaped value", "thiếu ký tự sau dấu \\"),
    ("too few unicode value digits", "mã Unicode sau \\u hoặc \\U thiếu chữ số"),
    ("missing opening quote", "thiếu dấu nháy mở"),
    ("unexpected content", "có nội dung thừa"),
    ("unexpected key or value", "có khóa hoặc giá trị thừa (mỗi dòng một cặp khóa = giá trị)"),
    ("unexpected content between comment and newline", "có nội dung thừa sau chú thích"),
    ("invalid comment character", "ký tự không được phép trong chú thích"),
    ("missing comment start", "thiếu dấu # mở chú thích"),
    ("carriage return must be followed by newline", "ký tự CR phải đi liền với xuống dòng"),
    ("cannot recurse further; max recursion depth met", "lồng nhau quá sâu"),
    ("recursion limit", "lồng nhau quá sâu"),
];

/// "one of `a`, `b`" / "`a` or `b`" in Vietnamese.
fn vi_list(list: &str) -> String {
    list.trim().trim_start_matches("one of ").replace(" or ", " hoặc ")
}

/// What toml expected, from its literals and descriptions.
fn vi_expected(x: &str) -> String {
    x.split(", ")
        .map(|item| match item {
            "newline" => "xuống dòng",
            "nothing" => "không gì thêm",
            "etc" => "…",
            "basic string" => "chuỗi trong dấu nháy kép",
            "literal string" => "chuỗi trong dấu nháy đơn",
            "multi-line basic string" => "chuỗi nhiều dòng",
            "key" => "tên khóa",
            "value" => "một giá trị",
            "digits" | "numbers" => "chữ số",
            "letters" => "chữ cái",
            "characters" | "printable characters" => "ký tự in được",
            "non-double-quote visible characters" => "ký tự khác dấu nháy kép",
            "non-single-quote characters" | "non-single-quote visible characters" => "ký tự khác dấu nháy đơn",
            "unicode hexadecimal value" => "mã Unicode hệ 16",
            other => other,
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// serde's names of what a value is and what was expected.
fn vi_type(s: &str) -> String {
    let s = s.trim();
    for (en, vi) in [
        ("string ", "chuỗi "),
        ("integer ", "số nguyên "),
        ("floating point ", "số thực "),
        ("boolean ", "giá trị đúng/sai "),
        ("struct ", "bảng "),
    ] {
        if let Some(rest) = s.strip_prefix(en) {
            return format!("{vi}{rest}");
        }
    }
    match s {
        "a string" | "a borrowed string" | "string" => "một chuỗi (trong dấu nháy kép)".into(),
        "a boolean" | "boolean" => "true hoặc false".into(),
        "a sequence" | "sequence" | "a vector" => "một mảng [ … ]".into(),
        "a map" | "map" => "một bảng".into(),
        "u8" | "u16" | "u32" | "u64" | "usize" => format!("một số nguyên không âm ({s})"),
        "i8" | "i16" | "i32" | "i64" | "isize" => format!("một số nguyên ({s})"),
        "f32" | "f64" => format!("một số ({s})"),
        "unit value" => "giá trị rỗng".into(),
        "a character" | "char" => "một ký tự".into(),
        other => other.to_string(),
    }
}

/// `x` in "missing field `x`…" for the given prefix.
fn backquoted_after<'a>(msg: &'a str, prefix: &str) -> Option<&'a str> {
    let rest = msg.strip_prefix(prefix)?.strip_prefix('`')?;
    rest.split_once('`').map(|(name, _)| name)
}

// ───────────────────────────── Lines, tables, keys ─────────────────────────────

/// The start offset and text (without newline) of the line holding `offset`.
fn line_at(text: &str, offset: usize) -> (usize, &str) {
    let offset = offset.min(text.len());
    let start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    let end = text[start..].find('\n').map_or(text.len(), |i| start + i);
    (start, text[start..end].trim_end_matches('\r'))
}

/// A line without its comment and surrounding spaces (good enough for keys and headers: a `#`
/// inside a quoted key is rare enough not to matter for a message).
fn clean(line: &str) -> String {
    let no_comment = match line.find('#') {
        Some(i) if !line[..i].contains('"') => &line[..i],
        _ => line,
    };
    no_comment.trim().to_string()
}

/// `[table]` or `[[array]]` on a line of its own.
fn is_header(line: &str) -> bool {
    let l = clean(line);
    l.starts_with('[') && l.ends_with(']') && !l.contains('=')
}

/// The nearest table header before `offset`.
fn header_before(text: &str, offset: usize) -> Option<String> {
    text[..offset].lines().rev().find(|l| is_header(l)).map(clean)
}

/// The key of a `key = value` line, as written (dotted keys whole), without quotes.
fn line_key(line: &str) -> Option<String> {
    let (k, _) = line.split_once('=')?;
    let k = k.trim();
    (!k.is_empty() && is_key_text(k)).then(|| unquote(k))
}

/// Bare or quoted key segments joined by dots (no brackets, braces or commas).
fn is_key_text(s: &str) -> bool {
    !s.is_empty() && !s.contains(['{', '}', '[', ']', ',', '#'])
}

fn unquote(s: &str) -> String {
    s.split('.').map(|p| p.trim().trim_matches('"').trim_matches('\'')).collect::<Vec<_>>().join(".")
}

// ───────────────────────────── Blanking an entry ─────────────────────────────

/// The byte ranges of the entry an error is about, and the entry's key name: the whole
/// `key = value` line(s); a `[table]` or `[[array]]` element from its header to the next header
/// that is not under it; or `key = value` and one comma inside an inline table. `None` when the
/// error is not about one entry (then the search stops).
fn entry_to_blank(text: &str, doc: &DeTable, span: Range<usize>) -> Option<(Vec<Range<usize>>, String)> {
    let mut headers = Vec::new();
    collect_headers(text, doc, &mut headers);
    headers.sort_unstable();
    headers.dedup();
    let header_extent = |start: usize| {
        let path = header_path(line_at(text, start).1);
        let end = headers
            .iter()
            .copied()
            .find(|&h| h > start && !header_path(line_at(text, h).1).starts_with(&format!("{path}.")))
            .unwrap_or(text.len());
        start..end
    };
    match find_entry(text, doc, &span)? {
        Found::Headers { key, starts } => {
            Some((starts.into_iter().map(|s| header_extent(line_at(text, s).0)).collect(), key))
        }
        Found::Pair { key, key_span, value_span } => {
            let (line_start, _) = line_at(text, key_span.start);
            let before = &text[line_start..key_span.start];
            if before.chars().all(|c| c.is_alphanumeric() || matches!(c, ' ' | '\t' | '.' | '_' | '-' | '"' | '\'')) {
                // `key = value` (maybe dotted, maybe over several lines): from the line start to the
                // end of the value's last line.
                let (last_start, last) = line_at(text, value_span.end.saturating_sub(1).max(value_span.start));
                let whole = line_start..last_start + last.len();
                return Some((vec![whole], key));
            }
            // Inside `{ … }`: the pair and the comma after it, else the one before it.
            let after = &text[value_span.end..];
            let gap = after.len() - after.trim_start_matches([' ', '\t']).len();
            if after[gap..].starts_with(',') {
                let pair = key_span.start..value_span.end + gap + 1;
                return Some((vec![pair], key));
            }
            let head = text[..key_span.start].trim_end_matches([' ', '\t']);
            let range = match head.strip_suffix(',') {
                Some(h) => h.len()..value_span.end,
                None => key_span.start..value_span.end,
            };
            Some((vec![range], key))
        }
    }
}

enum Found {
    /// A `key = value` pair (a value inside it included).
    Pair { key: String, key_span: Range<usize>, value_span: Range<usize> },
    /// A table given by header lines: one `[table]`, one `[[array]]` element, or every element of
    /// an array the key names.
    Headers { key: String, starts: Vec<usize> },
}

fn starts_header(text: &str, span: &Range<usize>) -> bool {
    text.get(span.clone()).is_some_and(|s| s.starts_with('['))
}

/// The innermost entry the error span points at: its key, or inside its value.
fn find_entry(text: &str, t: &DeTable, span: &Range<usize>) -> Option<Found> {
    let contains = |outer: &Range<usize>| outer.start <= span.start && span.end <= outer.end;
    for (k, v) in t.iter() {
        let (ks, vs) = (k.span(), v.span());
        let key = k.get_ref().to_string();
        match v.get_ref() {
            DeValue::Table(inner) => {
                if let Some(f) = find_entry(text, inner, span) {
                    return Some(f);
                }
                let header = starts_header(text, &vs);
                if ks == *span || vs == *span || (!header && contains(&vs)) {
                    return Some(if header {
                        Found::Headers { key, starts: vec![vs.start] }
                    } else {
                        Found::Pair { key, key_span: ks, value_span: vs }
                    });
                }
            }
            DeValue::Array(a) => {
                let elements: Vec<Range<usize>> = a.iter().map(|e| e.span()).collect();
                let of_headers =
                    elements.first().is_some_and(|e| text.get(e.clone()).is_some_and(|s| s.starts_with("[[")));
                for e in a.iter() {
                    if let DeValue::Table(inner) = e.get_ref()
                        && let Some(f) = find_entry(text, inner, span)
                    {
                        return Some(f);
                    }
                    if of_headers && e.span() == *span {
                        return Some(Found::Headers { key, starts: vec![e.span().start] });
                    }
                }
                if of_headers && ks == *span {
                    return Some(Found::Headers { key, starts: elements.iter().map(|e| e.start).collect() });
                }
                if !of_headers && (ks == *span || contains(&vs)) {
                    return Some(Found::Pair { key, key_span: ks, value_span: vs });
                }
            }
            _ => {
                if ks == *span || contains(&vs) {
                    return Some(Found::Pair { key, key_span: ks, value_span: vs });
                }
            }
        }
    }
    None
}

/// Start offsets of every header line (`[table]`, `[[array]]`) in the parsed document.
fn collect_headers(text: &str, t: &DeTable, out: &mut Vec<usize>) {
    for (_, v) in t.iter() {
        match v.get_ref() {
            DeValue::Table(inner) => {
                if starts_header(text, &v.span()) {
                    out.push(line_at(text, v.span().start).0);
                }
                collect_headers(text, inner, out);
            }
            DeValue::Array(a) => {
                for e in a.iter() {
                    if let DeValue::Table(inner) = e.get_ref() {
                        if starts_header(text, &e.span()) {
                            out.push(line_at(text, e.span().start).0);
                        }
                        collect_headers(text, inner, out);
                    }
                }
            }
            _ => {}
        }
    }
}

/// `calendars.days` for a `[[calendars.days]]` line.
fn header_path(line: &str) -> String {
    clean(line).trim_matches(['[', ']']).split('.').map(|p| p.trim().trim_matches('"')).collect::<Vec<_>>().join(".")
}

/// Replaces a range with spaces, byte for byte, keeping newlines: every offset and line number
/// stays what it was in the file.
fn blank(text: &mut String, range: Range<usize>) {
    let spaces: String = text[range.clone()]
        .chars()
        .map(|c| if c == '\n' { "\n".to_string() } else { " ".repeat(c.len_utf8()) })
        .collect();
    text.replace_range(range, &spaces);
}

#[cfg(test)]
mod tests {
    // The test documents' shapes are what matters here, not the values read into them.
    #![allow(dead_code)]

    use serde::Deserialize;

    use super::*;

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Doc {
        #[serde(default)]
        units: Vec<Unit>,
        db: Option<Db>,
        #[serde(default)]
        calendars: Vec<Cal>,
    }

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Unit {
        code: String,
        name: String,
        size: Option<u32>,
    }

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Db {
        url: Option<String>,
        pool: Option<u32>,
        opts: Option<Opts>,
    }

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Opts {
        a: Option<u32>,
        b: Option<u32>,
    }

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Cal {
        code: String,
        name: Option<String>,
        #[serde(default)]
        days: Vec<Day>,
    }

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Day {
        date: String,
    }

    fn problems(text: &str) -> Vec<Problem> {
        from_str::<Doc>(text).unwrap_err()
    }

    fn lines(ps: &[Problem]) -> Vec<Option<usize>> {
        ps.iter().map(|p| p.line).collect()
    }

    #[test]
    fn two_duplicate_keys_are_both_named_with_key_and_line() {
        let text = "[[units]]\ncode = \"A\"\nname = \"Một\"\ncode = \"B\"\n\n[[units]]\ncode = \"C\"\nname = \"Hai\"\nname = \"Ba\"\n";
        let ps = problems(text);
        assert_eq!(lines(&ps), [Some(4), Some(9)], "{ps:#?}");
        let vi = list(&ps).vi;
        assert!(vi.contains("dòng 4: [[units]], khóa `code`: khóa bị trùng"), "{vi}");
        assert!(vi.contains("lần đầu ở dòng 2") && vi.contains("lần đầu ở dòng 8"), "{vi}");
        assert!(vi.contains("(toml: duplicate key)"), "{vi}");
        let en = list(&ps).en;
        assert!(en.contains("line 9: [[units]], key `name`: duplicate key (first at line 8)"), "{en}");
        assert!(!en.contains("khóa"), "{en}");
    }

    #[test]
    fn a_duplicate_table_and_an_inline_duplicate_are_named() {
        let ps = problems("[db]\nurl = \"a\"\n\n[db]\npool = 3\n");
        assert_eq!(lines(&ps), [Some(4)]);
        assert!(ps[0].message.vi.starts_with("[db]: khóa bị trùng") && ps[0].message.vi.contains("dòng 1"), "{ps:?}");
        let ps = problems("db = { url = \"a\", url = \"b\" }\n");
        assert!(ps[0].message.en.starts_with("key `db.url`: duplicate key"), "{ps:?}");
    }

    #[test]
    fn every_syntax_error_is_listed_without_phantoms() {
        // Line 2 lacks its closing quote, line 6 an = sign, line 9 quotes: three errors, and the
        // valid lines between them stay quiet.
        let text = "[[units]]\ncode = \"A\nname = \"Một\"\n\n[[units]]\ncode \"B\"\nname = \"Hai\"\n[db]\nurl = postgres\npool = 3\n";
        let ps = problems(text);
        assert_eq!(lines(&ps), [Some(2), Some(6), Some(9)], "{ps:#?}");
        assert!(ps[0].message.vi.contains("thiếu dấu \" đóng"), "{:?}", ps[0]);
        assert!(ps[1].message.vi.starts_with("[[units]], khóa `code`: khóa không có giá trị"), "{:?}", ps[1]);
        assert!(
            ps[2].message.vi.starts_with("[db], khóa `url`: giá trị chữ phải đặt trong dấu nháy kép"),
            "{:?}",
            ps[2]
        );
        // A syntax error stops there: the missing `name` of the first row is not guessed at.
        assert!(ps.iter().all(|p| !p.message.en.contains("missing field")));
    }

    #[test]
    fn unknown_keys_and_wrong_types_are_all_listed() {
        let text = "[[units]]\ncode = \"A\"\nname = \"Một\"\ncolour = \"red\"\n\n[[units]]\ncode = \"B\"\nname = \"Hai\"\nsize = \"big\"\n\n[db]\nurll = \"x\"\npool = 4\nopts = { a = 1, c = 2 }\n";
        let ps = problems(text);
        assert_eq!(lines(&ps), [Some(4), Some(9), Some(12), Some(14)], "{ps:#?}");
        let vi = list(&ps).vi;
        assert!(vi.contains("dòng 4: [[units]], khóa `colour`: không có khóa `colour` trong định dạng này; các khóa dùng được: `code`, `name`, `size`"), "{vi}");
        assert!(vi.contains("dòng 9: [[units]], khóa `size`: sai kiểu giá trị: đang là chuỗi \"big\", cần một số nguyên không âm (u32)"), "{vi}");
        assert!(vi.contains("dòng 12: [db], khóa `urll`"), "{vi}");
        assert!(vi.contains("dòng 14: [db], khóa `opts.c`"), "{vi}");
        let en = list(&ps).en;
        assert!(
            en.contains("line 12: [db], key `urll`: unknown field `urll`, expected one of `url`, `pool`, `opts`"),
            "{en}"
        );
    }

    #[test]
    fn a_wrong_required_key_is_not_also_reported_missing() {
        // `name` is required: blanking its wrong value must not produce "missing field `name`".
        let ps = problems("[[units]]\ncode = \"A\"\nname = 5\n");
        assert_eq!(ps.len(), 1, "{ps:#?}");
        assert!(ps[0].message.en.contains("invalid type: integer `5`, expected a string"), "{ps:?}");
        // A missing key is named at its table's header, and the rows after it are still checked.
        let ps = problems("[[units]]\ncode = \"A\"\n\n[[units]]\ncode = \"B\"\nname = \"x\"\ncolor = 1\n");
        assert_eq!(lines(&ps), [Some(1), Some(7)], "{ps:#?}");
        assert!(ps[0].message.vi.starts_with("[[units]]: thiếu khóa bắt buộc `name`"), "{ps:?}");
    }

    #[test]
    fn blanking_a_table_takes_its_sub_tables_along() {
        // The first calendar lacks `code`; its [[calendars.days]] must not then attach to nothing
        // or to another calendar (which would be a phantom error about a day).
        let text = "[[calendars]]\nname = \"x\"\n\n[[calendars.days]]\ndate = \"2026-01-01\"\n\n[[calendars]]\ncode = \"b\"\n\n[[calendars.days]]\ndate = 5\n";
        let ps = from_str::<Doc>(text).unwrap_err();
        assert_eq!(lines(&ps), [Some(1), Some(11)], "{ps:#?}");
        assert!(ps[0].message.en.contains("missing field `code`") && ps[1].message.en.contains("invalid type"));
    }

    #[test]
    fn a_valid_file_parses_and_offsets_are_kept() {
        let text = "[[units]]\ncode = \"Ạ\"\nname = \"Đơn vị\"\n";
        let doc: Doc = from_str(text).unwrap();
        assert_eq!(doc.units[0].name, "Đơn vị");
        let mut t = "a = \"Đêm\"\nb = 1\n".to_string();
        let len = t.len();
        let first_line = 0..t.find('\n').unwrap();
        blank(&mut t, first_line);
        assert_eq!(t.len(), len);
        assert_eq!(&t[t.find('\n').unwrap()..], "\nb = 1\n");
    }

    #[test]
    fn our_own_bilingual_messages_are_split_by_language() {
        assert_eq!(
            split_bilingual("thời lượng (d) sai (duration (d) is wrong)"),
            Some(("thời lượng (d) sai", "duration (d) is wrong"))
        );
        assert_eq!(split_bilingual("invalid length (expected 3)"), None);
        assert_eq!(split_bilingual("no parenthesis"), None);
    }

    #[test]
    fn the_search_is_bounded() {
        let text: String =
            (0..200).map(|i| format!("[[units]]\ncode = \"A{i}\"\nname = \"x\"\nbad{i} = 1\n")).collect();
        assert_eq!(problems(&text).len(), MAX_PROBLEMS);
    }
}
