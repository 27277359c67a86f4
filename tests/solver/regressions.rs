//! One test per solver bug found.

use chrono::{Duration, TimeZone, Utc};
use igf_scheduler::scheduling::solver::*;

use crate::checker::hard_violations;

fn person(i: usize) -> Person {
    Person {
        id: PersonId(format!("P{i}")),
        name: format!("P{i}"),
        timezone: "Europe/Oslo".parse().unwrap(),
        online: false,
        unavailable: vec![],
        available_slots: None,
        stakeholder_group: None,
        regional_group: None,
        gender: None,
    }
}

fn session(i: usize, minutes: u32, people: Vec<usize>) -> Session {
    Session {
        id: SessionId(format!("S{i}")),
        title: format!("S{i}"),
        theme: Some(format!("theme {}", i % 2)),
        duration_min: minutes,
        attendance: 10,
        needs_hybrid: false,
        exclusive: false,
        people: people
            .into_iter()
            .map(|p| PersonId(format!("P{p}")))
            .collect(),
        ..Default::default()
    }
}

/// Slots that overlap in time (09:00-10:30 and 10:00-11:00) share their rooms: the
/// search once kept rooms per slot only and double-booked a room across the two.
#[test]
fn a_room_is_not_double_booked_across_overlapping_slots() {
    let t0 = Utc.with_ymd_and_hms(2025, 6, 23, 7, 0, 0).unwrap();
    let slot = |id: &str, from: i64, len: i64| Slot {
        id: SlotId(id.into()),
        interval: Interval {
            start: t0 + Duration::minutes(from),
            end: t0 + Duration::minutes(from + len),
        },
    };
    let p = Problem {
        venue_timezone: "Europe/Oslo".parse().unwrap(),
        sessions: (0..4).map(|i| session(i, 60, vec![i])).collect(),
        rooms: (0..2)
            .map(|r| Room {
                id: RoomId(format!("R{r}")),
                name: format!("R{r}"),
                capacity: 50,
                hybrid: false,
                closed: vec![],
                booths: vec![],
            })
            .collect(),
        slots: vec![slot("A", 0, 90), slot("B", 60, 60), slot("C", 120, 60)],
        people: (0..4).map(person).collect(),
        pins: vec![],
        previous: vec![],
        weights: Weights::default(),
        logistics: Default::default(),
    };
    for seed in 0..20 {
        let sol = solve(&p, Budget::moves(3_000), seed).unwrap();
        let v = hard_violations(&p, &sol.assignments);
        assert!(!v.contains_key("room double-booked"), "seed {seed}: {v:?}");
        assert_eq!(
            v.values().sum::<usize>() as i64,
            sol.evaluation.score.hard,
            "seed {seed}"
        );
    }
}

/// A session that construction cannot place (every fitting room taken) used to make
/// the annealer take it out of a slot it was never in, and overflow.
#[test]
fn an_unplaced_session_does_not_break_the_search() {
    let t0 = Utc.with_ymd_and_hms(2025, 6, 23, 7, 0, 0).unwrap();
    let p = Problem {
        venue_timezone: "Europe/Oslo".parse().unwrap(),
        // Three sessions, one room, two slots: one must stay unplaced.
        sessions: (0..3).map(|i| session(i, 60, vec![i])).collect(),
        rooms: vec![Room {
            id: RoomId("R".into()),
            name: "R".into(),
            capacity: 50,
            hybrid: false,
            closed: vec![],
            booths: vec![],
        }],
        slots: (0..2)
            .map(|k| Slot {
                id: SlotId(format!("T{k}")),
                interval: Interval {
                    start: t0 + Duration::hours(k),
                    end: t0 + Duration::hours(k + 1),
                },
            })
            .collect(),
        people: (0..3).map(person).collect(),
        pins: vec![],
        previous: vec![],
        weights: Weights::default(),
        logistics: Default::default(),
    };
    let sol = solve(&p, Budget::moves(10_000), 1).unwrap();
    assert_eq!(sol.assignments.len(), 2);
    let unplaced = sol
        .evaluation
        .rules
        .iter()
        .find(|r| r.constraint == "unplaced")
        .unwrap();
    assert_eq!(unplaced.count, 1);
}
