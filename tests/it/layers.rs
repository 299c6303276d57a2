//! The house rules of the architecture (docs/architecture.md), made executable: reads `src/` and
//! fails naming file and line when a layer refers to one it must not. Every path counts — `use`
//! lines, grouped imports (`crate::{a, b}`), inline paths (`crate::config::line_of(…)`) and
//! `super::` paths that climb out of their layer — comments and string literals do not.

use std::path::{Path, PathBuf};

/// (layer, modules it must not refer to, why).
const RULES: &[(&str, &[&str], &str)] = &[
    (
        "domain",
        &["config", "store", "web", "mail", "jobs", "service", "report", "cli", "demo", "metrics"],
        "pure rules: no configuration, I/O or use cases",
    ),
    ("store", &["web", "jobs", "service", "report", "cli", "demo"], "queries only, below the use cases"),
    ("service", &["web", "jobs", "cli", "demo"], "use cases serve the web and the CLI, never the reverse"),
    ("mail", &["web", "jobs", "cli"], "email words and transport know no handler"),
    ("report", &["web", "store", "jobs", "cli"], "renderers of read models: no handlers, no queries"),
    ("web", &["store", "jobs", "cli"], "a handler parses, calls one service function, renders"),
];

/// What pure code never calls: the clock, the environment, the file system, an unseeded RNG.
const DOMAIN_FORBIDDEN_CALLS: &[&str] =
    &["Utc::now", "Local::now", "SystemTime::now", "Instant::now", "std::fs", "std::env", "rand::rng()"];

fn rs_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rs_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The source with comments and string/char literals blanked (line breaks kept, so line numbers
/// stay right).
fn code_only(src: &str) -> String {
    let b: Vec<char> = src.chars().collect();
    let mut out = String::with_capacity(src.len());
    let mut i = 0;
    let keep_newlines =
        |s: &[char], out: &mut String| out.extend(s.iter().map(|c| if *c == '\n' { '\n' } else { ' ' }));
    while i < b.len() {
        let c = b[i];
        let next = b.get(i + 1).copied();
        if c == '/' && next == Some('/') {
            let end = b[i..].iter().position(|c| *c == '\n').map_or(b.len(), |p| i + p);
            keep_newlines(&b[i..end], &mut out);
            i = end;
        } else if c == '/' && next == Some('*') {
            let mut depth = 0;
            let start = i;
            while i < b.len() {
                if b[i] == '/' && b.get(i + 1) == Some(&'*') {
                    depth += 1;
                    i += 2;
                } else if b[i] == '*' && b.get(i + 1) == Some(&'/') {
                    depth -= 1;
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    i += 1;
                }
            }
            keep_newlines(&b[start..i.min(b.len())], &mut out);
        } else if c == 'r'
            && (next == Some('"') || (next == Some('#') && !b.get(i - 1).is_some_and(|p| p.is_alphanumeric())))
        {
            // Raw string r"…" / r#"…"#.
            let mut j = i + 1;
            let mut hashes = 0;
            while b.get(j) == Some(&'#') {
                hashes += 1;
                j += 1;
            }
            if b.get(j) != Some(&'"') {
                out.push(c);
                i += 1;
                continue;
            }
            let close: String = std::iter::once('"').chain(std::iter::repeat_n('#', hashes)).collect();
            let rest: String = b[j + 1..].iter().collect();
            let end = rest.find(&close).map_or(b.len(), |p| j + 1 + rest[..p].chars().count() + close.len());
            keep_newlines(&b[i..end], &mut out);
            i = end;
        } else if c == '"' {
            let start = i;
            i += 1;
            while i < b.len() && b[i] != '"' {
                i += if b[i] == '\\' { 2 } else { 1 };
            }
            i += 1;
            keep_newlines(&b[start..i.min(b.len())], &mut out);
        } else if c == '\'' && (b.get(i + 2) == Some(&'\'') || next == Some('\\')) {
            // A char literal ('x' or '\n'); a lifetime ('a) is left alone.
            let end = b[i + 1..].iter().position(|c| *c == '\'').map_or(b.len(), |p| i + 2 + p);
            keep_newlines(&b[i..end], &mut out);
            i = end;
        } else {
            out.push(c);
            i += 1;
        }
    }
    out
}

/// The top-level modules a file's code refers to, with the line of each reference. `module` is
/// the file's own module path (`["service", "cases", "view"]`), to resolve `super::`.
fn references(code: &str, module: &[String]) -> Vec<(usize, String)> {
    let mut found = Vec::new();
    let line_at = |pos: usize| code[..pos].matches('\n').count() + 1;
    let bytes = code.as_bytes();
    let ident_at =
        |start: usize| -> String { code[start..].chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect() };
    let skip_ws = |mut p: usize| {
        while p < bytes.len() && (bytes[p] as char).is_whitespace() {
            p += 1;
        }
        p
    };
    let boundary = |p: usize| p == 0 || !((bytes[p - 1] as char).is_alphanumeric() || bytes[p - 1] == b'_');
    // crate::x, crate::{x, y::z}, $crate::x
    let mut at = 0;
    while let Some(off) = code[at..].find("crate") {
        let p = at + off;
        at = p + 5;
        let dollar = p > 0 && bytes[p - 1] == b'$';
        if !(boundary(p) || dollar) {
            continue;
        }
        let q = skip_ws(p + 5);
        if !code[q..].starts_with("::") {
            continue;
        }
        let q = skip_ws(q + 2);
        if code[q..].starts_with('{') {
            let mut depth = 0;
            let mut item_start = q + 1;
            for (k, ch) in code[q..].char_indices() {
                let k = q + k;
                match ch {
                    '{' => depth += 1,
                    '}' => depth -= 1,
                    _ => {}
                }
                if (ch == ',' && depth == 1) || depth == 0 {
                    let s = skip_ws(item_start);
                    let name = ident_at(s);
                    if !name.is_empty() {
                        found.push((line_at(s), name));
                    }
                    item_start = k + 1;
                }
                if depth == 0 {
                    break;
                }
            }
        } else {
            let name = ident_at(q);
            if !name.is_empty() {
                found.push((line_at(q), name));
            }
        }
    }
    // super::super::x climbs `n` levels from this module's parent.
    let mut at = 0;
    while let Some(off) = code[at..].find("super") {
        let p = at + off;
        at = p + 5;
        if !boundary(p) {
            continue;
        }
        let mut up = 0;
        let mut q = p;
        while code[q..].starts_with("super") && code[q + 5..].trim_start().starts_with("::") {
            up += 1;
            q = skip_ws(skip_ws(q + 5) + 2);
        }
        if up == 0 {
            continue;
        }
        at = q;
        // `super` in a file module `a/b.rs` (module [a, b]) is `a`; each more climbs once more.
        let base_len = module.len().saturating_sub(up);
        let target = if base_len == 0 { ident_at(q) } else { module[0].clone() };
        if !target.is_empty() {
            found.push((line_at(q), target));
        }
    }
    found
}

/// The module path of a file under `src/`: `service/cases/mod.rs` → [service, cases].
fn module_of(rel: &Path) -> Vec<String> {
    let mut parts: Vec<String> = rel.iter().map(|p| p.to_string_lossy().trim_end_matches(".rs").to_string()).collect();
    if parts.last().is_some_and(|p| p == "mod") {
        parts.pop();
    }
    parts
}

/// Every broken rule in the tree, as "file:line: message".
fn violations(src: &Path) -> Vec<String> {
    let mut files = Vec::new();
    rs_files(src, &mut files);
    files.sort();
    let mut out = Vec::new();
    for file in files {
        let rel = file.strip_prefix(src).unwrap();
        let module = module_of(rel);
        let Some(layer) = module.first() else { continue };
        let code = code_only(&std::fs::read_to_string(&file).unwrap());
        let shown = Path::new("src").join(rel).display().to_string();
        for (layer_name, forbidden, why) in RULES {
            if layer != layer_name {
                continue;
            }
            for (line, target) in references(&code, &module) {
                if forbidden.contains(&target.as_str()) {
                    out.push(format!("{shown}:{line}: `{layer}` refers to `{target}` ({why})"));
                }
            }
        }
        if layer == "domain" {
            for (n, l) in code.lines().enumerate() {
                for call in DOMAIN_FORBIDDEN_CALLS {
                    if l.contains(call) {
                        out.push(format!(
                            "{shown}:{}: `domain` calls `{call}` (time, randomness and I/O are passed in)",
                            n + 1
                        ));
                    }
                }
            }
        }
    }
    out
}

#[test]
fn layers_keep_their_rules() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let v = violations(&src);
    assert!(v.is_empty(), "layer rules broken:\n{}", v.join("\n"));
}

/// The checker itself: each kind of reference is caught, comments and strings are not.
#[test]
fn the_checker_sees_every_kind_of_path() {
    let dir = tempfile::tempdir().unwrap();
    let src = dir.path();
    std::fs::create_dir_all(src.join("domain")).unwrap();
    std::fs::create_dir_all(src.join("service/cases")).unwrap();
    std::fs::create_dir_all(src.join("web")).unwrap();
    std::fs::write(
        src.join("domain/survey.rs"),
        "use crate::i18n::Lang;\n// crate::config::x in a comment\nfn f() { let s = \"crate::store\"; \
         crate::config::line_of(1); }\nuse crate::{t, jobs::mailer};\n",
    )
    .unwrap();
    std::fs::write(src.join("domain/clock.rs"), "fn now() { chrono::Utc::now(); }\n").unwrap();
    std::fs::write(src.join("service/cases/view.rs"), "use super::Ctx;\nuse super::super::super::web::page;\n")
        .unwrap();
    std::fs::write(src.join("web/citizen.rs"), "fn f(o: &crate::store::org::Officer) {}\nuse super::error;\n").unwrap();
    let v = violations(src);
    let expect = [
        "src/domain/clock.rs:1: `domain` calls `Utc::now`",
        "src/domain/survey.rs:3: `domain` refers to `config`",
        "src/domain/survey.rs:4: `domain` refers to `jobs`",
        "src/service/cases/view.rs:2: `service` refers to `web`",
        "src/web/citizen.rs:1: `web` refers to `store`",
    ];
    assert_eq!(v.len(), expect.len(), "{v:#?}");
    for (got, want) in v.iter().zip(expect) {
        assert!(got.starts_with(want), "{got} ≠ {want}");
    }
}
