//! The optimisers stay pure: nothing under `src/scheduling/solver`, and nothing in
//! `src/selection` outside its service files, may import the web framework, the
//! database or auth, so either can become its own crate unchanged.

use std::path::{Path, PathBuf};

const FORBIDDEN: &[&str] = &[
    "actix_web",
    "actix_rt",
    "diesel",
    "crate::db",
    "crate::auth",
    "crate::app",
    "crate::state",
    "crate::routes",
    "crate::error",
    "awc",
];

/// The files of `src/selection` that talk to the database and the API; every other
/// file there is pure, so a new one is checked without being listed.
const SELECTION_SERVICE: &[&str] = &[
    "mod.rs",
    "handlers.rs",
    "service.rs",
    "types.rs",
    "runs.rs",
    "decisions.rs",
    "report.rs",
];

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

fn offences(files: &[PathBuf]) -> Vec<String> {
    let mut out = vec![];
    for f in files {
        let text = std::fs::read_to_string(f).unwrap();
        for (n, line) in text.lines().enumerate() {
            for word in FORBIDDEN {
                if line.contains(word) {
                    out.push(format!("{}:{}: {}", f.display(), n + 1, line.trim()));
                }
            }
        }
    }
    out
}

#[test]
fn the_solver_imports_no_framework() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/scheduling/solver");
    let mut files = vec![];
    rust_files(&root, &mut files);
    assert!(
        files.len() > 10,
        "found only {} files under {}",
        files.len(),
        root.display()
    );
    let found = offences(&files);
    assert!(
        found.is_empty(),
        "the solver must stay pure:\n{}",
        found.join("\n")
    );
}

#[test]
fn the_selection_optimisers_import_no_framework() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/selection");
    let mut files = vec![];
    rust_files(&root, &mut files);
    let pure: Vec<PathBuf> = files
        .into_iter()
        .filter(|f| {
            let name = f.file_name().and_then(|n| n.to_str()).unwrap_or_default();
            !(f.parent() == Some(root.as_path()) && SELECTION_SERVICE.contains(&name))
        })
        .collect();
    let names: Vec<String> = pure
        .iter()
        .filter_map(|f| f.file_name()?.to_str().map(String::from))
        .collect();
    for expected in [
        "assignment.rs",
        "aggregate.rs",
        "optimizer.rs",
        "programme.rs",
    ] {
        assert!(
            names.iter().any(|n| n == expected),
            "{expected} is not among the pure files {names:?}"
        );
    }
    let found = offences(&pure);
    assert!(
        found.is_empty(),
        "the selection optimisers must stay pure:\n{}",
        found.join("\n")
    );
}
