use igf_scheduler::scheduling::bench;
use igf_scheduler::selection::optimizer::select;

/// Long enough that these instances are always solved to proven optimality.
const LIMIT: std::time::Duration = std::time::Duration::from_secs(120);

#[test]
fn the_shared_selection_is_solved_to_the_proven_optimum() {
    let script =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/bench/gen_instance.py");
    let out = std::env::temp_dir().join(format!("igf-sel-{}.json", std::process::id()));
    let ok = std::process::Command::new("python3")
        .arg(&script)
        .args(["--seed", "20250623", "--out"])
        .arg(&out)
        .output()
        .unwrap();
    assert!(ok.status.success());
    let inst = bench::parse(&std::fs::read_to_string(&out).unwrap()).unwrap();
    let (cands, quotas) = inst.to_selection().unwrap();
    let started = std::time::Instant::now();
    let sel = select(&cands, &quotas, LIMIT).unwrap();
    println!(
        "selected {} with objective {:.3} in {:?}",
        sel.selected.len(),
        sel.objective,
        started.elapsed()
    );
    assert_eq!(sel.selected.len(), 100);
    assert!(
        (sel.objective - 693.19).abs() < 0.005,
        "objective {}",
        sel.objective
    );
    assert_eq!(sel.declined.len(), 300);
    let _ = std::fs::remove_file(out);
}
