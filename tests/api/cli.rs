//! The command line as an operator meets it: `migrate` says what it applied, `users
//! add` says what is wrong in sentences before it asks for a password and never waits
//! for a terminal that is not there, and the demo keeps out of a database with data of
//! its own.

use std::process::{Command, Output, Stdio};

fn run(db: &std::path::Path, args: &[&str], password: Option<&str>) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_igf-scheduler"));
    cmd.arg("--database-url")
        .arg(db)
        .args(args)
        .env("IGF_LOG", "warn")
        .env_remove("IGF_PASSWORD")
        .stdin(Stdio::null());
    if let Some(p) = password {
        cmd.env("IGF_PASSWORD", p);
    }
    cmd.output().expect("run the binary")
}

fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

#[test]
fn the_command_line_says_what_it_did_and_what_is_wrong() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("igf.db");
    let first = run(&db, &["migrate"], None);
    assert!(first.status.success(), "{}", text(&first));
    let said = text(&first);
    assert!(said.contains("applied"), "{said}");
    assert!(
        said.contains("_foundation"),
        "it names each migration: {said}"
    );
    let again = run(&db, &["migrate"], None);
    assert!(text(&again).contains("up to date"), "{}", text(&again));
    // The database holds password hashes: only its owner reads it.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&db).unwrap().permissions().mode();
        assert_eq!(mode & 0o077, 0, "the database file is {mode:o}");
    }

    let add = [
        "users",
        "add",
        "--email",
        "not-an-email",
        "--name",
        " ",
        "--role",
        "secretariat",
    ];
    let bad = run(&db, &add, None);
    assert!(!bad.status.success());
    let said = text(&bad);
    assert!(said.contains("email must be an email address"), "{said}");
    assert!(said.contains("name"), "{said}");
    assert!(
        !said.contains("Validation {") && !said.contains("FieldError"),
        "{said}"
    );

    let add = [
        "users",
        "add",
        "--email",
        "sec@example.org",
        "--name",
        "Sec",
        "--role",
        "secretariat",
    ];
    let bell = [
        "users",
        "add",
        "--email",
        "b@example.org",
        "--name",
        "Bell\u{7}",
        "--role",
        "evaluator",
    ];
    let refused = run(&db, &bell, Some("a long enough passphrase"));
    assert!(!refused.status.success());
    assert!(text(&refused).contains("U+0007"), "{}", text(&refused));
    let no_tty = run(&db, &add, None);
    assert!(!no_tty.status.success());
    assert!(text(&no_tty).contains("IGF_PASSWORD"), "{}", text(&no_tty));
    let short = run(&db, &add, Some("short"));
    assert!(
        text(&short).contains("at least 10 characters"),
        "{}",
        text(&short)
    );
    let ok = run(&db, &add, Some("a long enough passphrase"));
    assert!(ok.status.success(), "{}", text(&ok));
    let twice = run(&db, &add, Some("a long enough passphrase"));
    assert!(text(&twice).contains("already exists"), "{}", text(&twice));

    // The demo's accounts have a public password: never beside real ones.
    let demo = run(&db, &["demo"], None);
    assert!(!demo.status.success());
    assert!(text(&demo).contains("empty database"), "{}", text(&demo));
    let serve = run(&db, &["serve", "--demo", "--bind", "127.0.0.1:0"], None);
    assert!(!serve.status.success());
    assert!(text(&serve).contains("empty database"), "{}", text(&serve));
}
