//! The `solve` command on the shared benchmark instance, scored by the benchmark's own
//! checker (`../shared/bench/check_solution.py`) and by ours; bad files are refused
//! with a message naming the problem.

use std::process::Command;

use igf_scheduler::scheduling::{bench, solver};
use serde_json::Value;

use crate::checker::hard_violations;
use crate::fixtures::{shared_instance_path, shared_logistics_instance_path};

fn run_solve(instance: &std::path::Path, out: &std::path::Path) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_igf-scheduler"))
        .args(["solve", "--time-limit", "5", "--seed", "7", "--instance"])
        .arg(instance)
        .arg("--out")
        .arg(out)
        .output()
        .unwrap()
}

/// What the benchmark's own checker says of a solution file.
fn shared_verdict(instance: &std::path::Path, solution: &std::path::Path) -> Value {
    let checker =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/bench/check_solution.py");
    let checked = Command::new("python3")
        .arg(checker)
        .arg(instance)
        .arg(solution)
        .output()
        .unwrap();
    assert!(
        checked.status.success(),
        "{}",
        String::from_utf8_lossy(&checked.stderr)
    );
    serde_json::from_slice(&checked.stdout).unwrap()
}

#[test]
fn the_public_instance_is_solved_to_zero_hard_and_61_clashes_by_the_shared_checker() {
    let Some(instance) = shared_instance_path() else {
        panic!("../shared/bench/gen_instance.py is missing; the benchmark test needs it");
    };
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("solution.json");
    let run = run_solve(&instance, &out);
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let summary: Value = serde_json::from_slice(&run.stdout).unwrap();
    let verdict = shared_verdict(&instance, &out);
    assert_eq!(verdict["hard_total"], 0, "{verdict}");
    assert_eq!(verdict["soft_theme_clashes"], 61, "{verdict}");
    assert_eq!(summary["soft"], verdict["soft_theme_clashes"]);
    // Our own independent checker agrees.
    let problem = bench::parse(&std::fs::read_to_string(&instance).unwrap())
        .unwrap()
        .to_problem()
        .unwrap();
    let file: bench::SolutionFile =
        serde_json::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap();
    assert!(hard_violations(&problem, &bench::from_file(&file)).is_empty());
    let _ = std::fs::remove_file(instance);
}

#[test]
fn the_logistics_variant_keeps_booths_teams_channels_and_captioners_by_the_shared_checker() {
    let Some(instance) = shared_logistics_instance_path() else {
        panic!("../shared/bench/gen_instance.py is missing; the benchmark test needs it");
    };
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("solution.json");
    let run = run_solve(&instance, &out);
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let verdict = shared_verdict(&instance, &out);
    // The checker counts the logistics rules only for a logistics instance: they are there.
    assert!(
        verdict["hard"].get("interpreter day limit").is_some(),
        "{verdict}"
    );
    assert_eq!(verdict["hard_total"], 0, "{verdict}");
    assert_eq!(verdict["soft_theme_clashes"], 61, "{verdict}");
    let file: bench::SolutionFile =
        serde_json::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap();
    let interpreted = file
        .assignments
        .iter()
        .filter(|a| !a.interpreter_teams.is_empty())
        .count();
    assert_eq!(interpreted, 25, "every interpreted session names its teams");
    let problem = bench::parse(&std::fs::read_to_string(&instance).unwrap())
        .unwrap()
        .to_problem()
        .unwrap();
    assert!(hard_violations(&problem, &bench::from_file(&file)).is_empty());
    // Our checker is not blind to the rules: one team in every interpreted session
    // breaks them.
    let mut broken = bench::from_file(&file);
    for a in broken
        .iter_mut()
        .filter(|a| !a.interpreter_teams.is_empty())
    {
        a.interpreter_teams = vec!["IT1".into()];
    }
    assert!(!hard_violations(&problem, &broken).is_empty());
    let _ = std::fs::remove_file(instance);
}

#[test]
fn every_penalty_of_the_public_solution_is_explained() {
    let Some(instance) = shared_instance_path() else {
        panic!("shared benchmark missing")
    };
    let problem = bench::parse(&std::fs::read_to_string(&instance).unwrap())
        .unwrap()
        .to_problem()
        .unwrap();
    let sol = solver::solve(
        &problem,
        solver::Budget::time(std::time::Duration::from_secs(5)),
        3,
    )
    .unwrap();
    let clash = sol
        .evaluation
        .rules
        .iter()
        .find(|r| r.constraint == "theme_clash")
        .unwrap();
    assert_eq!(clash.count as i64, sol.evaluation.score.soft);
    for p in &sol.evaluation.penalties {
        assert_eq!(p.sessions.len(), 2, "{p:?}");
        assert!(
            p.reason.contains(&p.sessions[0].0) && p.reason.contains("run in parallel"),
            "{}",
            p.reason
        );
    }
    let _ = std::fs::remove_file(instance);
}

fn refuse(instance_json: &str, expect: &str) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bad.json");
    std::fs::write(&path, instance_json).unwrap();
    let run = run_solve(&path, &dir.path().join("out.json"));
    assert!(!run.status.success());
    let err = String::from_utf8_lossy(&run.stderr);
    assert!(err.contains(expect), "expected {expect:?} in: {err}");
    assert!(!err.contains("panicked"), "{err}");
}

fn tiny_instance(speaker_zone: &str, session_speaker: &str, duration: u32) -> String {
    serde_json::json!({
        "meta": {"venue_timezone": "Europe/Oslo"},
        "rooms": [{"id": "R1", "name": "Room", "capacity": 100, "hybrid": true}],
        "timeslots": [{"id": "T1", "start_utc": "2025-06-23T07:00:00Z", "end_utc": "2025-06-23T08:00:00Z"}],
        "speakers": [{"id": "P1", "name": "Ana", "timezone": speaker_zone, "remote": false,
                      "available_timeslots": ["T1"]}],
        "sessions": [{"id": "S1", "title": "x", "theme": "A", "duration_min": duration, "expected_attendance": 10,
                      "requires_hybrid": false, "speakers": [session_speaker]}]
    })
    .to_string()
}

#[test]
fn bad_instance_files_get_clear_errors_not_panics() {
    refuse(
        &tiny_instance("Europe/Oslo", "P9", 60),
        "session S1 names unknown speaker P9",
    );
    refuse(
        &tiny_instance("Mars/Olympus", "P1", 60),
        "speaker P1 has unknown time zone \"Mars/Olympus\"",
    );
    refuse("{\"meta\": {}}", "not in the benchmark format");
    refuse("not json", "not in the benchmark format");
}

#[test]
fn a_session_that_fits_no_slot_is_left_out_with_its_reason_and_the_run_succeeds() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("tight.json");
    std::fs::write(&path, tiny_instance("Europe/Oslo", "P1", 90)).unwrap();
    let out = dir.path().join("out.json");
    let run = run_solve(&path, &out);
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let summary: serde_json::Value = serde_json::from_slice(&run.stdout).unwrap();
    assert_eq!(summary["hard"], 1, "{summary}");
    assert_eq!(summary["unplaced"][0]["session"], "S1", "{summary}");
    let reason = summary["unplaced"][0]["reasons"][0].as_str().unwrap();
    assert!(
        reason.contains("1 slot(s) are shorter than its 90 minutes"),
        "{reason}"
    );
    let err = String::from_utf8_lossy(&run.stderr);
    assert!(
        err.contains("not placed: S1: 1 slot(s) are shorter"),
        "{err}"
    );
    let written: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap();
    assert_eq!(written["assignments"], serde_json::json!([]));
}

/// Every environment variable named in the source, for the `--help` check.
fn variables_in(dir: &std::path::Path, out: &mut std::collections::BTreeSet<String>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let path = e.unwrap().path();
        if path.is_dir() {
            variables_in(&path, out);
        } else if path.extension().is_some_and(|x| x == "rs") {
            let text = std::fs::read_to_string(&path).unwrap();
            for part in text.split('"').skip(1).step_by(2) {
                if part.starts_with("IGF_")
                    && part.len() > 4
                    && part.chars().all(|c| c.is_ascii_uppercase() || c == '_')
                {
                    out.insert(part.to_string());
                }
            }
        }
    }
}

#[test]
fn the_help_lists_every_environment_variable_the_service_reads() {
    let mut vars = std::collections::BTreeSet::new();
    variables_in(
        &std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src"),
        &mut vars,
    );
    assert!(vars.len() >= 10, "{vars:?}");
    let out = Command::new(env!("CARGO_BIN_EXE_igf-scheduler"))
        .arg("--help")
        .output()
        .unwrap();
    assert!(out.status.success());
    let help = String::from_utf8(out.stdout).unwrap();
    let missing: Vec<&String> = vars.iter().filter(|v| !help.contains(v.as_str())).collect();
    assert!(
        missing.is_empty(),
        "--help does not name {missing:?}:\n{help}"
    );
    assert!(!help.contains('\u{1b}'), "no ANSI codes off a terminal");
}
