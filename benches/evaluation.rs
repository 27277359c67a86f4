//! Benchmark of the evaluation and selection steps (not a test: nothing is asserted
//! on time). Prints a Markdown table of medians over `IGF_BENCH_RUNS` runs (default 7):
//! the assignment of 400 proposals to 55 evaluators, its minimal-change repair after a
//! dropout, the score aggregation of 1,800 ratings, and the selection of 100 of 400
//! (the shared benchmark instance) and of 1,000 of 4,000 (scaled by
//! `scripts/gen_scaled.py`). Run with `cargo bench --bench evaluation`.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use igf_scheduler::scheduling::bench as instance;
use igf_scheduler::selection::aggregate::{Rating, Settings, aggregate};
use igf_scheduler::selection::assignment::{Rules, assign};
use igf_scheduler::selection::bench::evaluation_pool;
use igf_scheduler::selection::optimizer::select;

/// Long enough that the benchmark's instances are solved to proven optimality.
const LIMIT: Duration = Duration::from_secs(120);

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn time<T>(runs: usize, mut f: impl FnMut() -> T) -> (Duration, Duration, Duration, T) {
    let mut times = vec![];
    let mut last = None;
    for _ in 0..runs {
        let t = Instant::now();
        last = Some(f());
        times.push(t.elapsed());
    }
    let (lo, hi) = (*times.iter().min().unwrap(), *times.iter().max().unwrap());
    (median(times), lo, hi, last.unwrap())
}

fn ms(d: Duration) -> String {
    format!("{:.1}", d.as_secs_f64() * 1000.0)
}

fn generate(args: &[&str], out: &Path) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let ok = Command::new("python3")
        .args(args)
        .arg("--out")
        .arg(out)
        .current_dir(root)
        .output()
        .expect("python3");
    assert!(
        ok.status.success(),
        "{}",
        String::from_utf8_lossy(&ok.stderr)
    );
}

fn main() {
    // `cargo test --all-targets` builds and runs this target without `--bench`: the
    // build is the check; the measuring is for `cargo bench`.
    if !std::env::args().any(|a| a == "--bench") {
        return;
    }
    let runs: usize = std::env::var("IGF_BENCH_RUNS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(7);
    println!("| step | size | median ms | min ms | max ms | result |");
    println!("| --- | --- | --- | --- | --- | --- |");

    let (props, evs) = evaluation_pool(400, 55, 1);
    let rules = Rules::default();
    let (m, lo, hi, a) = time(runs, || assign(&props, &evs, &rules, &[], LIMIT).unwrap());
    println!(
        "| assignment | 400 proposals x 55 evaluators, k=5 | {} | {} | {} | {} pairs, loads {}-{}, {} shortfalls |",
        ms(m),
        ms(lo),
        ms(hi),
        a.pairs.len(),
        a.loads.values().min().unwrap(),
        a.loads.values().max().unwrap(),
        a.shortfalls.len()
    );
    let previous = a.pairs.clone();
    let remaining: Vec<_> = evs.iter().filter(|e| e.id != "E07").cloned().collect();
    let (m, lo, hi, b) = time(runs, || {
        assign(&props, &remaining, &rules, &previous, LIMIT).unwrap()
    });
    println!(
        "| re-assignment after a dropout | 400 x 54, keeping stored pairs | {} | {} | {} | {} added, {} removed |",
        ms(m),
        ms(lo),
        ms(hi),
        b.added,
        b.removed
    );

    let mut rng = fastrand::Rng::with_seed(7);
    let ratings: Vec<Rating> = a
        .pairs
        .iter()
        .map(|(p, e)| Rating {
            proposal: p.clone(),
            evaluator: e.clone(),
            score: 1.0 + rng.f64() * 4.0,
        })
        .collect();
    let (m, lo, hi, agg) = time(runs, || aggregate(&ratings, &Settings::default()));
    println!(
        "| aggregation (mean, sd, normalised) | {} ratings | {} | {} | {} | {} proposals |",
        ratings.len(),
        ms(m),
        ms(lo),
        ms(hi),
        agg.len()
    );

    let dir = tempfile::tempdir().unwrap();
    let public = dir.path().join("public.json");
    generate(
        &["../shared/bench/gen_instance.py", "--seed", "20250623"],
        &public,
    );
    let scaled = dir.path().join("scaled.json");
    generate(
        &[
            "scripts/gen_scaled.py",
            "--sessions",
            "300",
            "--rooms",
            "20",
            "--proposals",
            "4000",
            "--select",
            "1000",
        ],
        &scaled,
    );
    for (name, path) in [
        ("selection (shared instance)", &public),
        ("selection (scaled)", &scaled),
    ] {
        let inst = instance::parse(&std::fs::read_to_string(path).unwrap()).unwrap();
        let (cands, quotas) = inst.to_selection().unwrap();
        let (m, lo, hi, sel) = time(runs, || select(&cands, &quotas, LIMIT).unwrap());
        println!(
            "| {name} | {} of {} | {} | {} | {} | objective {:.2}, gap {} |",
            sel.selected.len(),
            cands.len(),
            ms(m),
            ms(lo),
            ms(hi),
            sel.objective,
            sel.gap
        );
    }
}
