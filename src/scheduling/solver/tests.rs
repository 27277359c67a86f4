//! Unit tests of the search's bookkeeping against recomputation and against the rules.

use chrono::{Duration, TimeZone, Utc};

use super::model::Model;
use super::search::{NONE, State};
use super::*;

/// A small problem: `n` sessions, 3 rooms, 2 days of 3 slots, people shared between
/// sessions, some online in far zones.
fn problem(n: usize, seed: u64) -> Problem {
    let mut rng = fastrand::Rng::with_seed(seed);
    let zones = [
        "Europe/Oslo",
        "Asia/Tokyo",
        "Africa/Nairobi",
        "America/New_York",
    ];
    let day0 = Utc.with_ymd_and_hms(2025, 6, 23, 7, 0, 0).unwrap();
    let slots = (0..6)
        .map(|i| {
            let start = day0 + Duration::days(i / 3) + Duration::minutes(90 * (i % 3));
            Slot {
                id: SlotId(format!("T{i}")),
                interval: Interval {
                    start,
                    end: start + Duration::minutes(if i % 3 == 1 { 90 } else { 60 }),
                },
            }
        })
        .collect();
    let people: Vec<Person> = (0..8)
        .map(|i| Person {
            id: PersonId(format!("P{i}")),
            name: format!("Person {i}"),
            timezone: zones[i % zones.len()].parse().unwrap(),
            // Online: P0 (Oslo), P5 (Tokyo, evenings there: discomfort), P6 (Nairobi).
            online: i == 0 || i == 5 || i == 6,
            unavailable: vec![],
            available_slots: None,
            stakeholder_group: Some(
                ["government", "civil_society", "private_sector"][i % 3].into(),
            ),
            regional_group: Some(["weog", "african", "asia_pacific", "grulac"][i % 4].into()),
            gender: Some(["female", "male"][i % 2].into()),
        })
        .collect();
    let sessions = (0..n)
        .map(|i| Session {
            id: SessionId(format!("S{i}")),
            title: format!("Session {i}"),
            theme: Some(format!("theme {}", rng.usize(..3))),
            duration_min: [30, 60, 60, 90][rng.usize(..4)],
            attendance: [20, 50, 120][rng.usize(..3)],
            needs_hybrid: rng.bool(),
            exclusive: false,
            people: (0..2)
                .map(|_| people[rng.usize(..people.len())].id.clone())
                .collect(),
        })
        .collect();
    Problem {
        venue_timezone: "Europe/Oslo".parse().unwrap(),
        sessions,
        rooms: vec![
            Room {
                id: RoomId("R0".into()),
                name: "Hall".into(),
                capacity: 300,
                hybrid: true,
                closed: vec![],
            },
            Room {
                id: RoomId("R1".into()),
                name: "Room 1".into(),
                capacity: 120,
                hybrid: true,
                closed: vec![],
            },
            Room {
                id: RoomId("R2".into()),
                name: "Room 2".into(),
                capacity: 60,
                hybrid: false,
                closed: vec![],
            },
        ],
        slots,
        people,
        pins: vec![],
        previous: vec![],
        weights: Weights {
            room_fit: 0,
            track_room_change: 0,
            ..Weights::default()
        },
    }
}

const SLOT_RULES: [&str; 4] = [
    "theme_clash",
    "theme_same_day",
    "online_discomfort",
    "slot_diversity",
];
const HARD_IN_SEARCH: [&str; 3] = ["person_overlap", "exclusive", "unplaced"];

#[test]
fn incremental_scores_match_recomputation_and_the_rules_after_random_moves() {
    for seed in 0..20 {
        let p = problem(10, seed);
        let m = Model::build(&p).unwrap();
        let mut st = State::new(&m);
        let mut rng = fastrand::Rng::with_seed(seed);
        search::construct(&mut st, &mut rng);
        for step in 0..400 {
            let s = rng.usize(..p.sessions.len());
            let dom = &m.sessions[s].slots;
            let t = dom[rng.usize(..dom.len())];
            st.begin();
            if st.slot[s] != NONE {
                st.remove(s);
            }
            let ok = st.insert(s, t);
            if !ok || rng.bool() {
                st.undo();
            }
            assert_eq!(
                st.recompute(),
                (st.hard, st.soft),
                "seed {seed} step {step}"
            );
        }
        let assignments: Vec<Assignment> = (0..p.sessions.len())
            .filter(|&s| st.slot[s] != NONE)
            .map(|s| Assignment {
                session: p.sessions[s].id.clone(),
                room: p.rooms[st.room[s]].id.clone(),
                slot: p.slots[st.slot[s]].id.clone(),
            })
            .collect();
        let ev = constraints::evaluate(&p, &assignments);
        let rule = |names: &[&str]| {
            ev.rules
                .iter()
                .filter(|r| names.contains(&r.constraint))
                .map(|r| r.cost)
                .sum::<i64>()
        };
        assert_eq!(
            rule(&SLOT_RULES),
            st.soft,
            "seed {seed}: slot-level soft differs from the rules"
        );
        assert_eq!(
            rule(&HARD_IN_SEARCH),
            st.hard,
            "seed {seed}: hard differs from the rules"
        );
        // The rules the domains enforce are never broken.
        assert_eq!(ev.score.hard, st.hard, "seed {seed}");
    }
}

#[test]
fn rooms_in_a_slot_stay_a_valid_matching() {
    let p = problem(14, 7);
    let m = Model::build(&p).unwrap();
    let mut st = State::new(&m);
    let mut rng = fastrand::Rng::with_seed(1);
    search::construct(&mut st, &mut rng);
    for _ in 0..2000 {
        let s = rng.usize(..p.sessions.len());
        let dom = &m.sessions[s].slots;
        st.begin();
        if st.slot[s] != NONE {
            st.remove(s);
        }
        if !st.insert(s, dom[rng.usize(..dom.len())]) {
            st.undo();
        }
        let mut used = std::collections::HashSet::new();
        for s in 0..p.sessions.len() {
            if st.slot[s] != NONE {
                assert!(m.room_fits(s, st.room[s], st.slot[s]));
                assert!(
                    used.insert((st.room[s], st.slot[s])),
                    "two sessions share a room and slot"
                );
            }
        }
    }
}

#[test]
fn the_same_seed_and_move_budget_give_the_same_schedule() {
    let p = problem(12, 3);
    let a = solve(&p, Budget::moves(20_000), 42).unwrap();
    let b = solve(&p, Budget::moves(20_000), 42).unwrap();
    assert_eq!(a.assignments, b.assignments);
    assert_eq!(a.evaluation.score, b.evaluation.score);
}

#[test]
fn an_unknown_person_or_an_impossible_session_is_a_clear_error() {
    let mut p = problem(4, 1);
    p.sessions[2].people.push(PersonId("ghost".into()));
    assert_eq!(
        Model::build(&p).err(),
        Some(SolverError::Invalid(
            "session S2 names unknown person ghost".into()
        ))
    );
    let mut p = problem(4, 1);
    p.sessions[1].attendance = 5000;
    match Model::build(&p) {
        Err(SolverError::NoPlace { session, reason }) => {
            assert_eq!(session, "S1");
            assert!(reason.contains("no room seats 5000"), "{reason}");
        }
        other => panic!("{other:?}"),
    }
    let mut p = problem(4, 1);
    p.sessions[0].duration_min = 120;
    match Model::build(&p) {
        Err(SolverError::NoPlace { reason, .. }) => {
            assert!(reason.contains("shorter than its 120 minutes"), "{reason}")
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn an_online_speaker_outside_the_outer_band_is_never_scheduled_there() {
    let mut p = problem(3, 2);
    // P0 is online in Oslo; make them sit in Auckland: 07:00 UTC is 19:00
    // there, 09:30 UTC 21:30, and the 90-min slot ends after 22:00.
    p.people[0].timezone = "Pacific/Auckland".parse().unwrap();
    p.people[0].online = true;
    for s in &mut p.sessions {
        s.people = vec![PersonId("P0".into())];
        s.duration_min = 60;
    }
    let sol = solve(&p, Budget::moves(5_000), 1).unwrap();
    assert_eq!(sol.evaluation.score.hard, 0);
    for a in &sol.assignments {
        let t = p.slots.iter().find(|t| t.id == a.slot).unwrap();
        let local = t.interval.start.with_timezone(&p.people[0].timezone);
        let end = (t.interval.start + Duration::minutes(60)).with_timezone(&p.people[0].timezone);
        assert!(*local.format("%H:%M").to_string() >= *"07:00");
        assert!(
            *end.format("%H:%M").to_string() <= *"22:00",
            "{a:?} ends {end}"
        );
    }
}
