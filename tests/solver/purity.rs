//! The solver stays pure: nothing under `src/scheduling/solver` may import the web
//! framework, the database or auth, so it can become its own crate unchanged.

const FORBIDDEN: &[&str] = &[
    "actix_web",
    "actix_rt",
    "diesel",
    "crate::db",
    "crate::auth",
    "crate::app",
    "crate::error",
    "awc",
];

fn rust_files(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let path = e.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|x| x == "rs") {
            out.push(path);
        }
    }
}

#[test]
fn the_solver_imports_no_framework() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/scheduling/solver");
    let mut files = vec![];
    rust_files(&root, &mut files);
    assert!(
        files.len() > 10,
        "found only {} files under {}",
        files.len(),
        root.display()
    );
    let mut offences = vec![];
    for f in files {
        let text = std::fs::read_to_string(&f).unwrap();
        for (n, line) in text.lines().enumerate() {
            for word in FORBIDDEN {
                if line.contains(word) {
                    offences.push(format!("{}:{}: {}", f.display(), n + 1, line.trim()));
                }
            }
        }
    }
    assert!(
        offences.is_empty(),
        "the solver must stay pure:\n{}",
        offences.join("\n")
    );
}
