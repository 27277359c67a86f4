//! Properties over random meetings: the independent checker confirms whatever hard
//! score the solver reports, and pinned sessions never move.

use igf_scheduler::scheduling::solver::{self, Budget, Pin};
use proptest::prelude::*;

use crate::checker::hard_violations;
use crate::fixtures::{Shape, generate};

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

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn the_checker_agrees_with_the_reported_hard_score(shape in shape(), seed in 0u64..10_000, ceremony in any::<bool>()) {
        let p = generate(shape, seed, ceremony);
        if let Ok(sol) = solver::solve(&p, Budget::moves(4_000), seed) {
            let v = hard_violations(&p, &sol.assignments);
            let total: usize = v.values().sum();
            prop_assert_eq!(total as i64 > 0, sol.evaluation.score.hard > 0, "checker {:?} vs solver {:?}", v, sol.evaluation.rules);
            if sol.evaluation.score.hard == 0 {
                prop_assert!(v.is_empty(), "solver says feasible, checker finds {:?}", v);
            }
        }
    }

    #[test]
    fn pinned_sessions_never_move(shape in shape(), seed in 0u64..10_000, pick in any::<u64>()) {
        let mut p = generate(shape, seed, false);
        let Ok(first) = solver::solve(&p, Budget::moves(2_000), seed) else { return Ok(()) };
        let mut rng = fastrand::Rng::with_seed(pick);
        // Pin a third of the sessions where they are, then solve again from scratch.
        p.pins = first.assignments.iter().filter(|_| rng.u32(..3) == 0)
            .map(|a| Pin { session: a.session.clone(), room: a.room.clone(), slot: a.slot.clone() })
            .collect();
        let second = solver::solve(&p, Budget::moves(2_000), seed + 1).unwrap();
        for pin in &p.pins {
            let a = second.assignments.iter().find(|a| a.session == pin.session).unwrap();
            prop_assert_eq!((&a.room, &a.slot), (&pin.room, &pin.slot));
        }
        prop_assert!(!hard_violations(&p, &second.assignments).contains_key("pin moved"));
    }
}
