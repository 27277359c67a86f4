//! A brute-force oracle: on tiny instances every placement of every session is
//! enumerated and scored by the rules; the solver must find the same optimum.

use igf_scheduler::scheduling::solver::{
    self, Assignment, Budget, Problem, Score, Weights, constraints,
};

use crate::fixtures::{Shape, generate};

fn brute_force(p: &Problem) -> Score {
    let cells: Vec<(usize, usize)> = (0..p.rooms.len())
        .flat_map(|r| (0..p.slots.len()).map(move |t| (r, t)))
        .collect();
    // Each interpreted session may be served by any non-empty set of teams.
    let teams = &p.logistics.interpreter_teams;
    let sets: Vec<Vec<String>> = (1..1usize << teams.len())
        .map(|x| {
            (0..teams.len())
                .filter(|k| x & (1 << k) != 0)
                .map(|k| teams[k].id.clone())
                .collect()
        })
        .collect();
    let choices = |s: usize| {
        if p.sessions[s].interpretation.is_empty() || sets.is_empty() {
            cells.len()
        } else {
            cells.len() * sets.len()
        }
    };
    let n = p.sessions.len();
    let mut idx = vec![0usize; n];
    let mut best = Score {
        hard: i64::MAX,
        soft: i64::MAX,
    };
    loop {
        let assignments: Vec<Assignment> = (0..n)
            .map(|s| {
                let (r, t) = cells[idx[s] % cells.len()];
                let interpreter_teams = if choices(s) > cells.len() {
                    sets[idx[s] / cells.len()].clone()
                } else {
                    vec![]
                };
                Assignment {
                    session: p.sessions[s].id.clone(),
                    room: p.rooms[r].id.clone(),
                    slot: p.slots[t].id.clone(),
                    interpreter_teams,
                }
            })
            .collect();
        best = best.min(constraints::evaluate(p, &assignments).score);
        let mut k = 0;
        loop {
            if k == n {
                return best;
            }
            idx[k] += 1;
            if idx[k] < choices(k) {
                break;
            }
            idx[k] = 0;
            k += 1;
        }
    }
}

fn tiny(seed: u64, weights: Weights) -> Problem {
    let sessions = if seed.is_multiple_of(2) { 4 } else { 5 };
    let mut p = generate(
        Shape {
            sessions,
            rooms: 2,
            days: 1,
            slots_per_day: 3,
            people: 4,
            overlapping: false,
        },
        seed,
        false,
    );
    p.weights = weights;
    p
}

#[test]
fn the_solver_finds_the_brute_force_optimum_on_tiny_instances() {
    let weights = Weights {
        room_fit: 0,
        track_room_change: 0,
        ..Weights::default()
    };
    let mut compared = 0;
    for seed in 0..70 {
        let p = tiny(seed, weights.clone());
        let best = brute_force(&p);
        match solver::solve(&p, Budget::moves(20_000), seed) {
            // On infeasible instances the brute force may trade one kind of hard
            // violation (a double-booked room) for another the solver never makes, so
            // only feasible instances are compared score for score.
            Ok(sol) if best.hard == 0 => {
                assert_eq!(
                    sol.evaluation.score, best,
                    "seed {seed}: solver {:?} vs optimum {best:?}",
                    sol.evaluation.score
                );
                compared += 1;
            }
            Ok(sol) => assert!(
                sol.evaluation.score.hard > 0,
                "seed {seed}: solver claims feasibility the oracle disproves"
            ),
            Err(e) => assert!(
                best.hard > 0,
                "seed {seed}: solver refused ({e}) a problem with a feasible schedule"
            ),
        }
    }
    assert!(compared >= 20, "only {compared} instances were feasible");
    println!("compared {compared} feasible instances with the brute force");
}

#[test]
fn when_the_solver_claims_optimality_brute_force_agrees() {
    let mut claims = 0;
    for seed in 100..130 {
        let p = tiny(seed, Weights::theme_clashes_only());
        let Ok(sol) = solver::solve(&p, Budget::moves(20_000), seed) else {
            continue;
        };
        if sol.stats.optimal {
            claims += 1;
            assert_eq!(sol.evaluation.score, brute_force(&p), "seed {seed}");
        }
    }
    assert!(claims >= 5, "the bound was reached only {claims} times");
}

#[test]
fn with_room_costs_the_solver_is_never_better_than_the_optimum_and_always_feasible() {
    for seed in 200..215 {
        let p = tiny(seed, Weights::default());
        let best = brute_force(&p);
        if best.hard > 0 {
            continue;
        }
        let sol = solver::solve(&p, Budget::moves(20_000), seed).unwrap();
        assert!(
            sol.evaluation.score >= best,
            "seed {seed}: better than brute force?"
        );
        assert_eq!(
            sol.evaluation.score.hard, 0,
            "seed {seed}: a feasible schedule exists"
        );
    }
}

#[test]
fn with_logistics_the_solver_finds_the_brute_force_optimum_on_tiny_instances() {
    use igf_scheduler::scheduling::solver::{InterpreterTeam, Logistics};
    let mut compared = 0;
    let mut bound = 0;
    // Four sessions each (even seeds), so the brute force stays small in a debug build.
    for seed in (300..380).step_by(2) {
        let mut p = tiny(seed, Weights::theme_clashes_only());
        // One room has a French booth; two French sessions; one or two captioned; two
        // online channels and one captioner; two teams who each serve one session a day
        // (or T1 two with a long break; T2 some days only 45 minutes).
        p.rooms[0].booths = vec!["fr".into()];
        p.sessions[0].interpretation = vec!["fr".into()];
        p.sessions[1].interpretation = vec!["fr".into()];
        p.sessions[2].captioning = true;
        p.sessions[3].captioning = seed % 3 == 0;
        p.logistics = Logistics {
            online_channels: Some(2),
            captioners: Some(1),
            interpreter_teams: vec![
                InterpreterTeam {
                    id: "T1".into(),
                    name: String::new(),
                    languages: vec!["fr".into()],
                    // Some days T1 may serve both, with two hours' rest between them.
                    max_sessions_per_day: Some(if seed % 4 == 2 { 2 } else { 1 }),
                    min_break_min: (seed % 4 == 2).then_some(120),
                    ..Default::default()
                },
                InterpreterTeam {
                    id: "T2".into(),
                    name: String::new(),
                    languages: vec!["fr".into(), "es".into()],
                    max_sessions_per_day: Some(if seed % 8 == 0 { 0 } else { 1 }),
                    max_minutes_per_day: (seed % 6 == 4).then_some(45),
                    ..Default::default()
                },
            ],
        };
        let best = brute_force(&p);
        let sol = solver::solve(&p, Budget::moves(20_000), seed).unwrap();
        if best.hard == 0 {
            assert_eq!(
                sol.evaluation.score, best,
                "seed {seed}: solver {:?} vs optimum {best:?}",
                sol.evaluation.rules
            );
            compared += 1;
        } else {
            // No schedule keeps every limit: the solver must not claim one.
            assert!(sol.evaluation.score.hard > 0, "seed {seed}");
            bound += 1;
        }
    }
    assert!(compared >= 8, "only {compared} instances were feasible");
    assert!(bound >= 5, "only {bound} instances bound the limits");
    println!("compared {compared} feasible and {bound} infeasible instances with the brute force");
}
