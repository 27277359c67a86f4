//! Imports among the crate's files: following every `crate::`, `super::` and `self::`
//! path from file to file finds no circle, so each file can be read with only what it
//! names below it; and the request handlers call use cases instead of opening
//! transactions or querying the database themselves.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// A module path inside the crate, `[]` for the crate root.
type Module = Vec<String>;

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let path = e.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|x| x == "rs") {
            out.push(path);
        }
    }
}

/// Every `.rs` file under `src/` by its module path.
fn modules() -> BTreeMap<Module, PathBuf> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = vec![];
    rust_files(&src, &mut files);
    files
        .into_iter()
        .filter(|f| !f.ends_with("main.rs"))
        .map(|f| {
            let rel = f.strip_prefix(&src).unwrap().with_extension("");
            let mut m: Module = rel
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect();
            if matches!(m.last().map(String::as_str), Some("mod" | "lib")) {
                m.pop();
            }
            (m, f)
        })
        .collect()
}

/// The code of a file without comments and without its `#[cfg(test)]` module, which
/// may reach anywhere.
fn code(text: &str) -> String {
    let text = match text.find("#[cfg(test)]\nmod tests") {
        Some(i) => &text[..i],
        None => text,
    };
    text.lines()
        .map(|l| match l.find("//") {
            Some(i) if !l[..i].contains('"') => &l[..i],
            _ => l,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn is_ident(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

/// The paths a use tree or expression names, starting at `rest` (just after
/// `crate::`, `super::` or `self::`): `a::b::{c, d::{e, f}}` gives `a::b::c`,
/// `a::b::d::e` and `a::b::d::f`.
fn paths(rest: &str, prefix: &[String], out: &mut Vec<Module>) {
    let mut here: Module = prefix.to_vec();
    let mut s = rest.trim_start();
    loop {
        if let Some(group) = s.strip_prefix('{') {
            let mut depth = 1;
            let mut item = 0;
            for (i, c) in group.char_indices() {
                match c {
                    '{' => depth += 1,
                    '}' => depth -= 1,
                    ',' if depth == 1 => {
                        paths(&group[item..i], &here, out);
                        item = i + 1;
                    }
                    _ => {}
                }
                if depth == 0 {
                    if !group[item..i].trim().is_empty() {
                        paths(&group[item..i], &here, out);
                    }
                    return;
                }
            }
            return;
        }
        let end = s.find(|c: char| !is_ident(c)).unwrap_or(s.len());
        if end == 0 {
            break;
        }
        here.push(s[..end].to_string());
        s = &s[end..];
        match s.strip_prefix("::") {
            Some(next) => s = next.trim_start(),
            None => break,
        }
    }
    out.push(here);
}

/// The longest prefix of `path` that is a file of the crate.
fn file_of<'a>(path: &[String], files: &'a BTreeMap<Module, PathBuf>) -> Option<&'a Module> {
    (1..=path.len())
        .rev()
        .find_map(|n| files.get_key_value(&path[..n]).map(|(k, _)| k))
}

/// Which files each file names.
fn graph(files: &BTreeMap<Module, PathBuf>) -> BTreeMap<Module, BTreeSet<Module>> {
    let mut g = BTreeMap::new();
    for (m, f) in files {
        let text = code(&std::fs::read_to_string(f).unwrap());
        let is_mod_file = f.ends_with("mod.rs") || f.ends_with("lib.rs");
        let parent: Module = if is_mod_file {
            m[..m.len().saturating_sub(1)].to_vec()
        } else {
            m[..m.len() - 1].to_vec()
        };
        // A `mod.rs` is its own folder's module: `self::x` is a child, `super::x` a sibling.
        let own: Module = m.clone();
        let mut named = vec![];
        for (anchor, base) in [("crate::", vec![]), ("super::", parent), ("self::", own)] {
            for (i, _) in text.match_indices(anchor) {
                if text[..i].chars().next_back().is_some_and(is_ident) {
                    continue;
                }
                paths(&text[i + anchor.len()..], &base, &mut named);
            }
        }
        // A `use` of a bare path names a child module (`pub use extract::AuthUser;`
        // in a `mod.rs`), so a re-export is an import like any other.
        for (i, _) in text.match_indices("use ") {
            if text[..i].chars().next_back().is_some_and(is_ident) {
                continue;
            }
            let rest = &text[i + 4..];
            if ["crate::", "super::", "self::", "std::", "core::", "alloc::"]
                .iter()
                .any(|a| rest.starts_with(a))
            {
                continue;
            }
            paths(rest, m, &mut named);
        }
        // A module declared here (`mod unplaced;`) is named by its bare path
        // (`unplaced::Unplaced`) without any `use`.
        let children: Vec<String> = text
            .lines()
            .filter_map(|l| {
                let l = l.trim();
                let l = ["pub(crate) ", "pub(super) ", "pub "]
                    .iter()
                    .find_map(|p| l.strip_prefix(p))
                    .unwrap_or(l);
                let name = l.strip_prefix("mod ")?.strip_suffix(';')?;
                Some(name.trim().to_string())
            })
            .collect();
        for child in &children {
            let anchor = format!("{child}::");
            for (i, _) in text.match_indices(&anchor) {
                if text[..i]
                    .chars()
                    .next_back()
                    .is_some_and(|c| is_ident(c) || c == ':')
                {
                    continue;
                }
                paths(&text[i..], m, &mut named);
            }
        }
        // A name a `use` brought in (`use crate::meetings;`, `use super::queries::{self, X}`)
        // reaches further files through it: `meetings::handlers::load_visible`.
        let brought: BTreeMap<String, Module> = named
            .iter()
            .filter_map(|p| {
                let p: Module = p.iter().filter(|s| *s != "self").cloned().collect();
                Some((p.last()?.clone(), p))
            })
            .collect();
        for (name, full) in &brought {
            let anchor = format!("{name}::");
            for (i, _) in text.match_indices(&anchor) {
                let before = text[..i].chars().next_back();
                if before.is_some_and(|c| is_ident(c) || c == ':') {
                    continue;
                }
                let base = &full[..full.len() - 1];
                paths(&text[i..], base, &mut named);
            }
        }
        let deps: BTreeSet<Module> = named
            .iter()
            .filter_map(|p| file_of(p, files))
            .filter(|d| *d != m)
            .cloned()
            .collect();
        g.insert(m.clone(), deps);
    }
    g
}

/// The strongly connected components with more than one file (Tarjan).
fn circles(g: &BTreeMap<Module, BTreeSet<Module>>) -> Vec<Vec<Module>> {
    struct T<'a> {
        g: &'a BTreeMap<Module, BTreeSet<Module>>,
        index: BTreeMap<&'a Module, usize>,
        low: BTreeMap<&'a Module, usize>,
        stack: Vec<&'a Module>,
        on: BTreeSet<&'a Module>,
        out: Vec<Vec<Module>>,
    }
    impl<'a> T<'a> {
        fn visit(&mut self, v: &'a Module) {
            let n = self.index.len();
            self.index.insert(v, n);
            self.low.insert(v, n);
            self.stack.push(v);
            self.on.insert(v);
            for w in self.g.get(v).into_iter().flatten() {
                if !self.index.contains_key(w) {
                    self.visit(w);
                    let lw = self.low[w];
                    let lv = self.low.get_mut(v).unwrap();
                    *lv = (*lv).min(lw);
                } else if self.on.contains(w) {
                    let iw = self.index[w];
                    let lv = self.low.get_mut(v).unwrap();
                    *lv = (*lv).min(iw);
                }
            }
            if self.low[v] == self.index[v] {
                let mut comp = vec![];
                loop {
                    let w = self.stack.pop().unwrap();
                    self.on.remove(w);
                    comp.push(w.clone());
                    if w == v {
                        break;
                    }
                }
                if comp.len() > 1 {
                    comp.sort();
                    self.out.push(comp);
                }
            }
        }
    }
    let mut t = T {
        g,
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        stack: vec![],
        on: BTreeSet::new(),
        out: vec![],
    };
    for v in g.keys() {
        if !t.index.contains_key(v) {
            t.visit(v);
        }
    }
    t.out
}

fn show(m: &Module) -> String {
    if m.is_empty() {
        "lib".into()
    } else {
        m.join("/")
    }
}

#[test]
fn the_path_reader_follows_groups_and_relative_paths() {
    let mut out = vec![];
    paths("a::{b, c::{d, e}, f::g}; x", &["top".to_string()], &mut out);
    paths("{\n    h, i::j,\n};", &[], &mut out);
    let got: Vec<String> = out.iter().map(|p| p.join("::")).collect();
    assert_eq!(
        got,
        [
            "top::a::b",
            "top::a::c::d",
            "top::a::c::e",
            "top::a::f::g",
            "h",
            "i::j"
        ]
    );
}

#[test]
fn the_circle_finder_finds_a_circle() {
    let m = |s: &str| -> Module { s.split('/').map(String::from).collect() };
    let mut g = BTreeMap::new();
    g.insert(m("a"), BTreeSet::from([m("b")]));
    g.insert(m("b"), BTreeSet::from([m("c")]));
    g.insert(m("c"), BTreeSet::from([m("a")]));
    g.insert(m("d"), BTreeSet::from([m("a")]));
    assert_eq!(circles(&g), vec![vec![m("a"), m("b"), m("c")]]);
}

#[test]
fn no_file_imports_a_file_that_imports_it_back() {
    let files = modules();
    assert!(files.len() > 50, "found only {} files", files.len());
    let g = graph(&files);
    // The reader sees real imports: the route map names the handlers.
    assert!(
        g[&vec!["routes".to_string()]].contains(&vec!["proposals".into(), "handlers".into()]),
        "{:?}",
        g[&vec!["routes".to_string()]]
    );
    // And a parent's bare paths into its own child modules: the rule list names each rule.
    let registry = ["scheduling", "solver", "constraints"]
        .map(String::from)
        .to_vec();
    let mut rule = registry.clone();
    rule.push("unplaced".into());
    assert!(g[&registry].contains(&rule), "{:?}", g[&registry]);
    let found = circles(&g);
    let report: Vec<String> = found
        .iter()
        .map(|c| {
            let set: BTreeSet<&Module> = c.iter().collect();
            let lines: Vec<String> = c
                .iter()
                .map(|m| {
                    let inside: Vec<String> =
                        g[m].iter().filter(|d| set.contains(d)).map(show).collect();
                    format!("  {} -> {}", show(m), inside.join(", "))
                })
                .collect();
            format!("a circle of {} files:\n{}", c.len(), lines.join("\n"))
        })
        .collect();
    assert!(found.is_empty(), "{}", report.join("\n"));
}

/// What a request handler leaves to the use cases beneath it.
const NOT_IN_HANDLERS: &[&str] = &[
    "write_tx",
    ".transaction(",
    "diesel",
    "db::schema",
    "queries::",
    "with_backend!",
    // Validation is the use case's, after it has decided who may act.
    "Page::new",
    "Checker",
    "::validate",
];

#[test]
fn handlers_call_use_cases_and_open_no_transaction() {
    let files = modules();
    // A file that reaches the application state serves requests (handlers, pages,
    // extractors and middleware); only the state and the server that builds it are not.
    let handlers: Vec<&PathBuf> = files
        .iter()
        .filter(|(m, f)| {
            let top = m.first().map(String::as_str);
            !matches!(top, Some("state" | "app"))
                && code(&std::fs::read_to_string(f).unwrap()).contains("AppState")
        })
        .map(|(_, f)| f)
        .collect();
    assert!(
        handlers.len() >= 8,
        "found only {} handler files",
        handlers.len()
    );
    let mut offences = vec![];
    for f in handlers {
        let text = code(&std::fs::read_to_string(f).unwrap());
        for (n, line) in text.lines().enumerate() {
            for word in NOT_IN_HANDLERS {
                if line.contains(word) {
                    offences.push(format!("{}:{}: {}", f.display(), n + 1, line.trim()));
                }
            }
        }
    }
    assert!(
        offences.is_empty(),
        "handlers call a use case (service) instead:\n{}",
        offences.join("\n")
    );
}

/// The closures a handler gives `db::run` or `db::blocking`: each must be one call of
/// a use case, so that no decision hides between two calls in a handler.
fn closures(text: &str) -> Vec<&str> {
    let mut out = vec![];
    for anchor in ["db::run(", "db::blocking("] {
        for (i, _) in text.match_indices(anchor) {
            let rest = &text[i + anchor.len()..];
            let mut depth = 1;
            let end = rest
                .char_indices()
                .find(|&(_, c)| {
                    match c {
                        '(' | '{' | '[' => depth += 1,
                        ')' | '}' | ']' => depth -= 1,
                        _ => {}
                    }
                    depth == 0
                })
                .map_or(rest.len(), |(j, _)| j);
            let call = &rest[..end];
            if let Some(k) = call.find("| ") {
                out.push(call[k + 2..].trim());
            }
        }
    }
    out
}

#[test]
fn each_handler_closure_is_one_use_case_call() {
    let probe = "crate::db::run(&state.pool, move |c| {\n let m = a(c)?;\n b(c, &m)\n})";
    assert_eq!(closures(probe), ["{\n let m = a(c)?;\n b(c, &m)\n}"]);
    let files = modules();
    let mut offences = vec![];
    let mut seen = 0;
    for (m, f) in &files {
        if matches!(m.first().map(String::as_str), Some("state" | "app")) {
            continue;
        }
        let text = code(&std::fs::read_to_string(f).unwrap());
        if !text.contains("AppState") {
            continue;
        }
        for body in closures(&text) {
            seen += 1;
            let inner = body.trim_start_matches('{').trim_end_matches('}').trim();
            if inner.contains(';') || inner.contains("?") || inner.starts_with("let ") {
                offences.push(format!("{}: {body}", f.display()));
            }
        }
    }
    assert!(seen > 40, "found only {seen} closures");
    assert!(
        offences.is_empty(),
        "a handler's closure does more than call a use case:\n{}",
        offences.join("\n---\n")
    );
}
