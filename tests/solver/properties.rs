//! Properties over random meetings: the independent checker confirms whatever hard
//! score the solver reports, and pinned sessions never move; each fails when the
//! solver refuses most of its cases, since a skipped case checks nothing.

use igf_scheduler::scheduling::solver::{self, Budget, Pin};
use proptest::prelude::*;

use crate::checker::hard_violations;
use crate::fixtures::{Shape, generate, with_logistics};

fn shape() -> impl Strategy<Value = Shape> {
    (
        4usize..30,
        2usize..6,
        1usize..3,
        3usize..6,
        4usize..25,
        any::<bool>(),
    )
        .prop_map(
            |(sessions, rooms, days, slots_per_day, people, overlapping)| Shape {
                sessions,
                rooms,
                days,
                slots_per_day,
                people,
                overlapping,
            },
        )
}

/// How many generated cases each property runs.
const CASES: u32 = 48;

/// Runs `check` over `CASES` random meetings and fails when the solver refused most
/// of them: a property that skips a case checks nothing there, so a solver that
/// returned errors everywhere would otherwise pass. (The solver refuses only a
/// malformed problem: a session that can never be placed is left out and listed.)
fn run_counted<S: Strategy>(strategy: S, check: impl Fn(S::Value) -> Result<bool, TestCaseError>) {
    use std::sync::atomic::{AtomicU32, Ordering};
    let (checked, skipped) = (AtomicU32::new(0), AtomicU32::new(0));
    let mut runner = proptest::test_runner::TestRunner::new(ProptestConfig {
        cases: CASES,
        ..ProptestConfig::default()
    });
    let outcome = runner.run(&strategy, |v| {
        let ran = check(v)?;
        let counter = if ran { &checked } else { &skipped };
        counter.fetch_add(1, Ordering::Relaxed);
        Ok(())
    });
    if let Err(e) = outcome {
        panic!("{e}");
    }
    let (checked, skipped) = (checked.into_inner(), skipped.into_inner());
    assert!(
        checked * 2 > checked + skipped,
        "only {checked} of {} cases were checked; the solver refused {skipped}",
        checked + skipped
    );
}

#[test]
fn the_checker_agrees_with_the_reported_hard_score() {
    run_counted(
        (shape(), 0u64..10_000, any::<bool>()),
        |(shape, seed, ceremony)| {
            let p = generate(shape, seed, ceremony);
            let Ok(sol) = solver::solve(&p, Budget::moves(4_000), seed) else {
                return Ok(false);
            };
            let v = hard_violations(&p, &sol.assignments);
            let total: usize = v.values().sum();
            prop_assert_eq!(
                total as i64 > 0,
                sol.evaluation.score.hard > 0,
                "checker {:?} vs solver {:?}",
                v,
                sol.evaluation.rules
            );
            if sol.evaluation.score.hard == 0 {
                prop_assert!(v.is_empty(), "solver says feasible, checker finds {:?}", v);
            }
            Ok(true)
        },
    );
}

#[test]
fn with_logistics_the_checker_agrees_with_the_reported_hard_score() {
    run_counted((shape(), 0u64..10_000), |(shape, seed)| {
        let p = with_logistics(generate(shape, seed, false), seed);
        let Ok(sol) = solver::solve(&p, Budget::moves(4_000), seed) else {
            return Ok(false);
        };
        let v = hard_violations(&p, &sol.assignments);
        let total: usize = v.values().sum();
        prop_assert_eq!(
            total as i64 > 0,
            sol.evaluation.score.hard > 0,
            "checker {:?} vs solver {:?}",
            v,
            sol.evaluation.rules
        );
        // Every interpreted session placed has teams covering it, whatever the limits.
        for a in &sol.assignments {
            let s = p.sessions.iter().find(|s| s.id == a.session).unwrap();
            prop_assert_eq!(s.interpretation.is_empty(), a.interpreter_teams.is_empty());
        }
        Ok(true)
    });
}

#[test]
fn pinned_sessions_never_move() {
    run_counted(
        (shape(), 0u64..10_000, any::<u64>()),
        |(shape, seed, pick)| {
            let mut p = generate(shape, seed, false);
            let Ok(first) = solver::solve(&p, Budget::moves(2_000), seed) else {
                return Ok(false);
            };
            let mut rng = fastrand::Rng::with_seed(pick);
            // Pin a third of the sessions where they are, then solve again from scratch.
            p.pins = first
                .assignments
                .iter()
                .filter(|_| rng.u32(..3) == 0)
                .map(|a| Pin {
                    session: a.session.clone(),
                    room: a.room.clone(),
                    slot: a.slot.clone(),
                })
                .collect();
            let second = solver::solve(&p, Budget::moves(2_000), seed + 1)
                .map_err(|e| TestCaseError::fail(format!("pinned solve refused: {e:?}")))?;
            for pin in &p.pins {
                let a = second
                    .assignments
                    .iter()
                    .find(|a| a.session == pin.session)
                    .ok_or_else(|| TestCaseError::fail("a pinned session was dropped"))?;
                prop_assert_eq!((&a.room, &a.slot), (&pin.room, &pin.slot));
            }
            prop_assert!(!hard_violations(&p, &second.assignments).contains_key("pin moved"));
            Ok(true)
        },
    );
}
