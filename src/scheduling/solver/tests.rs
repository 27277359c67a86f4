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
            ..Default::default()
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
                booths: vec![],
            },
            Room {
                id: RoomId("R1".into()),
                name: "Room 1".into(),
                capacity: 120,
                hybrid: true,
                closed: vec![],
                booths: vec![],
            },
            Room {
                id: RoomId("R2".into()),
                name: "Room 2".into(),
                capacity: 60,
                hybrid: false,
                closed: vec![],
                booths: vec![],
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
        logistics: Default::default(),
    }
}

const SLOT_RULES: [&str; 4] = [
    "theme_clash",
    "theme_same_day",
    "online_discomfort",
    "slot_diversity",
];
const HARD_IN_SEARCH: [&str; 3] = ["person_overlap", "exclusive", "unplaced"];

/// A construction, then 400 random moves, each kept or undone at random; after each,
/// the running score must equal a recomputation from scratch.
fn random_walk(m: &Model, seed: u64) -> State<'_> {
    let mut st = State::new(m);
    let mut rng = fastrand::Rng::with_seed(seed);
    search::construct(&mut st, &mut rng);
    for step in 0..400 {
        let s = rng.usize(..m.sessions.len());
        let dom = &m.sessions[s].slots;
        if dom.is_empty() {
            continue;
        }
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
    st
}

#[test]
fn incremental_scores_match_recomputation_and_the_rules_after_random_moves() {
    for seed in 0..20 {
        let p = problem(10, seed);
        let m = Model::build(&p).unwrap();
        let st = random_walk(&m, seed);
        let assignments: Vec<Assignment> = (0..p.sessions.len())
            .filter(|&s| st.slot[s] != NONE)
            .map(|s| Assignment {
                session: p.sessions[s].id.clone(),
                room: p.rooms[st.room[s]].id.clone(),
                slot: p.slots[st.slot[s]].id.clone(),
                interpreter_teams: vec![],
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

/// The small problem with logistics that bind: booths in two rooms, French and Arabic
/// sessions, captioned ones, one online channel and one captioner, and two teams.
fn with_logistics(n: usize, seed: u64) -> Problem {
    let mut p = problem(n, seed);
    p.rooms[0].booths = vec!["fr".into(), "ar".into()];
    p.rooms[1].booths = vec!["fr".into()];
    for (i, s) in p.sessions.iter_mut().enumerate() {
        if i % 3 == 0 {
            s.interpretation = vec!["fr".into()];
        }
        if i % 5 == 0 {
            s.interpretation = vec!["fr".into(), "ar".into()];
        }
        s.captioning = i % 4 == 1;
    }
    p.logistics = Logistics {
        online_channels: Some(1),
        captioners: Some(1),
        interpreter_teams: vec![
            InterpreterTeam {
                id: "T1".into(),
                name: "French team".into(),
                languages: vec!["fr".into()],
                max_sessions_per_day: Some(1),
                ..Default::default()
            },
            InterpreterTeam {
                id: "T2".into(),
                name: "Arabic-French team".into(),
                languages: vec!["fr".into(), "ar".into()],
                max_sessions_per_day: Some(2),
                ..Default::default()
            },
        ],
    };
    p
}

#[test]
fn with_logistics_incremental_scores_match_recomputation_and_the_rules() {
    let logistic = ["online_channels", "captioners", "interpreter_teams"];
    let mut bound = 0;
    let mut working_day = 0;
    for seed in 0..20 {
        let mut p = with_logistics(10, seed);
        if seed % 2 == 1 {
            // Working days: a break between sessions and minutes a day.
            p.logistics.interpreter_teams[0].max_sessions_per_day = Some(3);
            p.logistics.interpreter_teams[0].min_break_min = Some(90);
            p.logistics.interpreter_teams[1].max_minutes_per_day = Some(100);
        }
        let m = Model::build(&p).unwrap();
        let st = random_walk(&m, seed);
        let assignments: Vec<Assignment> = (0..p.sessions.len())
            .filter(|&s| st.slot[s] != NONE)
            .map(|s| Assignment {
                session: p.sessions[s].id.clone(),
                room: p.rooms[st.room[s]].id.clone(),
                slot: p.slots[st.slot[s]].id.clone(),
                interpreter_teams: m.sessions[s]
                    .team_options
                    .get(st.team_choice[s])
                    .map(|o| o.iter().map(|&k| format!("T{}", k + 1)).collect())
                    .unwrap_or_default(),
            })
            .collect();
        let ev = constraints::evaluate(&p, &assignments);
        let cost = |names: &[&str]| {
            ev.rules
                .iter()
                .filter(|r| names.contains(&r.constraint))
                .map(|r| r.cost)
                .sum::<i64>()
        };
        let unplaceable = m.unplaceable.len() as i64;
        assert_eq!(
            cost(&HARD_IN_SEARCH) + cost(&logistic),
            st.hard + unplaceable,
            "seed {seed}: hard differs from the rules: {:?}",
            ev.rules
        );
        assert_eq!(
            cost(&["interpretation_booths"]),
            0,
            "the domains keep booths"
        );
        bound += usize::from(cost(&logistic) > 0);
        working_day += usize::from(
            ev.penalties
                .iter()
                .any(|x| x.reason.contains("-min break") || x.reason.contains("min a day")),
        );
    }
    assert!(bound > 0, "no seed made a logistics limit bind");
    assert!(working_day > 0, "no seed broke a team's break or hours");
}

#[test]
fn a_session_nobody_can_interpret_or_house_is_left_out_with_the_reason() {
    let mut p = with_logistics(6, 3);
    p.sessions[1].interpretation = vec!["zh".into()];
    p.rooms[0].booths.push("es".into());
    p.logistics.interpreter_teams[1].languages.push("es".into());
    p.sessions[2].interpretation = vec!["es".into()];
    p.sessions[2].attendance = 200;
    p.sessions[4].interpretation = vec!["ru".into()];
    p.logistics.interpreter_teams.push(InterpreterTeam {
        id: "T3".into(),
        name: "Russian team".into(),
        languages: vec!["ru".into()],
        max_sessions_per_day: None,
        ..Default::default()
    });
    let sol = solve(&p, Budget::moves(2_000), 1).unwrap();
    let why = |id: &str| {
        sol.unplaced
            .iter()
            .find(|u| u.session.0 == id)
            .map(|u| u.reasons.join("; "))
            .unwrap_or_default()
    };
    assert!(
        why("S1").contains("interpretation into Chinese, and no interpreter team covers Chinese"),
        "{:?}",
        sol.unplaced
    );
    // Spanish has a booth in the hall only, and a team: it is placed there.
    let s2 = sol
        .assignments
        .iter()
        .find(|a| a.session.0 == "S2")
        .unwrap();
    assert_eq!(
        (s2.room.0.as_str(), s2.interpreter_teams.clone()),
        ("R0", vec!["T2".to_string()])
    );
    // Russian has a team but no booth anywhere.
    assert!(
        why("S4").contains("interpretation booths for Russian"),
        "{:?}",
        sol.unplaced
    );
}

#[test]
fn a_team_in_two_places_and_too_many_channels_are_explained_in_words() {
    let mut p = with_logistics(4, 5);
    for s in &mut p.sessions {
        s.people = vec![];
        s.needs_hybrid = true;
        s.duration_min = 60;
        s.attendance = 20;
        s.interpretation = vec!["fr".into()];
        s.captioning = false;
    }
    let at = |s: usize, r: usize, teams: &[&str]| Assignment {
        session: p.sessions[s].id.clone(),
        room: p.rooms[r].id.clone(),
        slot: p.slots[0].id.clone(),
        interpreter_teams: teams.iter().map(|t| t.to_string()).collect(),
    };
    let ev = constraints::evaluate(&p, &[at(0, 0, &["T1"]), at(1, 1, &["T1"]), at(2, 2, &[])]);
    let reasons: Vec<&str> = ev.penalties.iter().map(|x| x.reason.as_str()).collect();
    assert!(
        reasons
            .iter()
            .any(|r| r.contains("French team would interpret S0 and S1 at the same time")),
        "{reasons:?}"
    );
    assert!(
        reasons
            .iter()
            .any(|r| r
                .contains("S2 is interpreted into French, but no team of it interprets French")),
        "{reasons:?}"
    );
    assert!(
        reasons
            .iter()
            .any(|r| r.contains("Room 2 has no booth for French")),
        "{reasons:?}"
    );
    assert!(
        reasons
            .iter()
            .any(|r| r.contains("3 hybrid sessions need an online channel; the meeting has 1")),
        "{reasons:?}"
    );
}

#[test]
fn a_team_without_its_break_or_over_its_hours_is_explained_in_words() {
    let mut p = with_logistics(4, 5);
    p.logistics.interpreter_teams[0].max_sessions_per_day = None;
    p.logistics.interpreter_teams[0].min_break_min = Some(60);
    p.logistics.interpreter_teams[0].max_minutes_per_day = Some(100);
    for s in &mut p.sessions {
        s.people = vec![];
        s.duration_min = 60;
        s.interpretation = vec!["fr".into()];
    }
    // Two slots of one day less than an hour apart.
    let day = p.slots[0].interval.start.date_naive();
    let (a, b) = p
        .slots
        .iter()
        .enumerate()
        .flat_map(|(i, x)| p.slots.iter().enumerate().map(move |(j, y)| (i, x, j, y)))
        .find(|(_, x, _, y)| {
            x.interval.start.date_naive() == day
                && y.interval.start > x.interval.end
                && (y.interval.start - x.interval.end).num_minutes() < 60
        })
        .map(|(i, _, j, _)| (i, j))
        .expect("two slots less than an hour apart");
    let at = |s: usize, t: usize| Assignment {
        session: p.sessions[s].id.clone(),
        room: p.rooms[0].id.clone(),
        slot: p.slots[t].id.clone(),
        interpreter_teams: vec!["T1".into()],
    };
    let ev = constraints::evaluate(&p, &[at(0, a), at(1, b)]);
    let reasons: Vec<&str> = ev.penalties.iter().map(|x| x.reason.as_str()).collect();
    assert!(
        reasons
            .iter()
            .any(|r| r.contains("French team would interpret S0 at")
                && r.contains("less than its 60-min break")),
        "{reasons:?}"
    );
    assert!(
        reasons
            .iter()
            .any(|r| r.contains("French team would interpret 120 min on")
                && r.contains("more than its 100 min a day")),
        "{reasons:?}"
    );
    // Without the limits the same placement keeps every team rule.
    p.logistics.interpreter_teams[0].min_break_min = None;
    p.logistics.interpreter_teams[0].max_minutes_per_day = None;
    let ev = constraints::evaluate(&p, &[at(0, a), at(1, b)]);
    assert!(
        !ev.rules
            .iter()
            .any(|r| r.constraint == "interpreter_teams" && r.cost > 0),
        "{:?}",
        ev.rules
    );
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
fn an_unknown_person_is_a_clear_error_and_an_impossible_session_is_left_out_with_its_reasons() {
    let mut p = problem(4, 1);
    p.sessions[2].people.push(PersonId("ghost".into()));
    assert_eq!(
        Model::build(&p).err(),
        Some(SolverError::Invalid(
            "session S2 names unknown person ghost".into()
        ))
    );
    // Too big for every room: the rest is scheduled, S1 is named with its reason.
    let mut p = problem(4, 1);
    p.sessions[1].attendance = 5000;
    let sol = solve(&p, Budget::moves(2_000), 1).unwrap();
    assert_eq!(sol.unplaced.len(), 1, "{:?}", sol.unplaced);
    assert_eq!(sol.unplaced[0].session, SessionId("S1".into()));
    assert!(
        sol.unplaced[0].reasons[0].contains("no room seats 5000"),
        "{:?}",
        sol.unplaced[0]
    );
    assert_eq!(sol.assignments.len(), 3);
    assert!(sol.assignments.iter().all(|a| a.session.0 != "S1"));
    // It counts against the schedule (the unplaced rule), nothing else does, and every
    // figure the search reports says so: the schedule was never feasible.
    assert_eq!(sol.evaluation.score.hard, 1, "{:?}", sol.evaluation.rules);
    assert_eq!(sol.stats.first_feasible_ms, None);
    assert!(
        sol.stats.trace.iter().all(|p| p.hard >= 1),
        "{:?}",
        sol.stats.trace
    );
    assert!(!sol.stats.optimal);
    let mut p = problem(4, 1);
    p.sessions[0].duration_min = 120;
    let sol = solve(&p, Budget::moves(2_000), 1).unwrap();
    assert_eq!(sol.unplaced.len(), 1);
    assert!(
        sol.unplaced[0].reasons[0].contains("shorter than its 120 minutes"),
        "{:?}",
        sol.unplaced[0]
    );
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

#[test]
fn online_in_one_session_is_onsite_in_another() {
    // P0 sits in Auckland: every slot is outside their hours there. Online in session
    // 0 only, they hold it outside the slots, and are onsite (and free) in session 1.
    let mut p = problem(2, 2);
    p.people[0].timezone = "Pacific/Auckland".parse().unwrap();
    p.people[0].online = false;
    for s in &mut p.sessions {
        s.people = vec![PersonId("P0".into())];
        s.duration_min = 60;
    }
    p.sessions[0].online = Some(vec![PersonId("P0".into())]);
    p.sessions[1].online = Some(vec![]);
    p.weights.outer_hours.from_min = 9 * 60;
    p.weights.outer_hours.to_min = 10 * 60;
    let sol = solve(&p, Budget::moves(2_000), 1).unwrap();
    let unplaced: Vec<&str> = sol.unplaced.iter().map(|u| u.session.0.as_str()).collect();
    assert_eq!(unplaced, ["S0"], "{:?}", sol.unplaced);
    assert!(
        sol.unplaced[0].reasons[0].contains("Person 0 (P0), online in Pacific/Auckland"),
        "{:?}",
        sol.unplaced[0].reasons
    );
    assert!(sol.assignments.iter().any(|a| a.session.0 == "S1"));
    assert!(
        sol.evaluation
            .penalties
            .iter()
            .all(|x| !x.constraint.starts_with("online")),
        "onsite in S1, P0 is not fined there: {:?}",
        sol.evaluation.penalties
    );
}

#[test]
fn sessions_keep_to_the_slots_and_rooms_their_type_allows() {
    let mut p = problem(6, 3);
    p.sessions[0].allowed_slots = Some(vec![SlotId("T4".into())]);
    p.sessions[0].allowed_rooms = Some(vec![p.rooms[2].id.clone()]);
    p.sessions[0].attendance = 1;
    p.sessions[0].needs_hybrid = false;
    p.sessions[0].placement_rule = Some("ceremonies open the second day".into());
    p.sessions[1].allowed_slots = Some(vec![]);
    p.sessions[1].placement_rule = Some("Day 0 events run on Day 0 only".into());
    let sol = solve(&p, Budget::moves(5_000), 1).unwrap();
    let a = sol
        .assignments
        .iter()
        .find(|a| a.session.0 == "S0")
        .unwrap();
    assert_eq!((a.slot.0.as_str(), &a.room), ("T4", &p.rooms[2].id));
    assert_eq!(sol.unplaced.len(), 1, "{:?}", sol.unplaced);
    assert_eq!(sol.unplaced[0].session.0, "S1");
    assert_eq!(
        sol.unplaced[0].reasons,
        ["Day 0 events run on Day 0 only: 6 slot(s) are outside that"]
    );
    assert!(
        sol.evaluation
            .penalties
            .iter()
            .all(|x| x.constraint != "type_placement")
    );
}

/// Known answers for the rules the search leaves to the room phase, and the words of
/// the explanations.
mod rules {
    use super::*;

    fn at(p: &Problem, s: usize, r: usize, t: usize) -> Assignment {
        Assignment {
            session: p.sessions[s].id.clone(),
            room: p.rooms[r].id.clone(),
            slot: p.slots[t].id.clone(),
            interpreter_teams: vec![],
        }
    }

    fn cost(ev: &Evaluation, rule: &str) -> i64 {
        ev.rules
            .iter()
            .find(|r| r.constraint == rule)
            .map(|r| r.cost)
            .unwrap_or(-1)
    }

    fn base() -> Problem {
        let mut p = problem(4, 9);
        p.weights = Weights {
            room_fit: 1,
            track_room_change: 2,
            moved_session: 1000,
            ..Weights::default()
        };
        for s in &mut p.sessions {
            s.people = vec![];
            s.needs_hybrid = false;
            s.theme = Some("trust".into());
            s.duration_min = 60;
        }
        p
    }

    #[test]
    fn room_fit_counts_empty_tenths() {
        let mut p = base();
        p.sessions[0].attendance = 150; // in the 300-seat hall: 50% empty -> 5
        p.sessions[1].attendance = 60; // in the 60-seat room: full -> 0
        let ev = constraints::evaluate(&p, &[at(&p, 0, 0, 0), at(&p, 1, 2, 0)]);
        assert_eq!(cost(&ev, "room_fit"), 5);
        let pen = ev
            .penalties
            .iter()
            .find(|x| x.constraint == "room_fit")
            .unwrap();
        assert!(
            pen.reason.contains("expects 150 in Hall with 300 seats"),
            "{}",
            pen.reason
        );
    }

    #[test]
    fn a_track_changing_room_within_a_day_costs_per_change() {
        let p = base();
        // Day one: slots 0, 1, 2. Rooms 0 -> 1 -> 1: one change. Day two keeps nothing.
        let ev = constraints::evaluate(
            &p,
            &[
                at(&p, 0, 0, 0),
                at(&p, 1, 1, 1),
                at(&p, 2, 1, 2),
                at(&p, 3, 2, 3),
            ],
        );
        assert_eq!(cost(&ev, "track_room_change"), 2);
        assert_eq!(
            cost(&ev, "theme_same_day"),
            3,
            "three same-theme pairs on day one"
        );
        assert_eq!(cost(&ev, "theme_clash"), 0);
    }

    #[test]
    fn moving_away_from_the_published_schedule_costs_per_session() {
        let mut p = base();
        p.previous = vec![at(&p, 0, 0, 0), at(&p, 1, 1, 1)];
        let ev = constraints::evaluate(&p, &[at(&p, 0, 0, 0), at(&p, 1, 2, 1)]);
        assert_eq!(cost(&ev, "moved_session"), 1000);
        let pen = ev
            .penalties
            .iter()
            .find(|x| x.constraint == "moved_session")
            .unwrap();
        assert_eq!(pen.sessions, vec![SessionId("S1".into())]);
    }

    #[test]
    fn online_discomfort_names_the_person_their_zone_and_local_time() {
        let mut p = base();
        p.people[5].online = true; // Tokyo
        p.sessions[0].people = vec![PersonId("P5".into())];
        // Slot 2 starts 10:00 UTC = 19:00 in Tokyo; one started hour past 18:00.
        let ev = constraints::evaluate(&p, &[at(&p, 0, 0, 2)]);
        let pen = ev
            .penalties
            .iter()
            .find(|x| x.constraint == "online_discomfort")
            .unwrap();
        assert_eq!(pen.cost, 3);
        assert!(
            pen.reason.contains("Person 5 (P5, Asia/Tokyo)")
                && pen.reason.contains("19:00-20:00 local time"),
            "{}",
            pen.reason
        );
    }

    #[test]
    fn the_room_phase_puts_the_big_session_in_the_big_room() {
        let mut p = base();
        p.weights = Weights {
            room_fit: 1,
            ..Weights::theme_clashes_only()
        };
        p.sessions[0].attendance = 250;
        p.sessions[1].attendance = 20;
        p.sessions.truncate(2);
        // Pin nothing; a single slot forces both in parallel.
        p.slots.truncate(1);
        let sol = solve(&p, Budget::moves(1_000), 1).unwrap();
        let room_of = |id: &str| {
            sol.assignments
                .iter()
                .find(|a| a.session.0 == id)
                .unwrap()
                .room
                .0
                .clone()
        };
        assert_eq!(room_of("S0"), "R0");
        assert_eq!(
            room_of("S1"),
            "R2",
            "the small session takes the smallest room that fits"
        );
    }
}

#[test]
fn a_session_its_teams_cannot_serve_that_day_is_left_out_and_the_rest_keeps_the_limits() {
    // Three French sessions, one French team working one session a day, two days:
    // one of them cannot be served anywhere.
    let mut p = with_logistics(6, 1);
    for (i, s) in p.sessions.iter_mut().enumerate() {
        s.interpretation = if i < 3 { vec!["fr".into()] } else { vec![] };
        s.captioning = false;
    }
    p.sessions[2].attendance = 1;
    p.logistics.online_channels = None;
    p.logistics.captioners = None;
    p.logistics.interpreter_teams.truncate(1);
    let sol = solve(&p, Budget::moves(3_000), 1).unwrap();
    let cost = |rule: &str| {
        sol.evaluation
            .rules
            .iter()
            .filter(|r| r.constraint == rule)
            .map(|r| r.cost)
            .sum::<i64>()
    };
    assert_eq!(
        cost("interpreter_teams"),
        0,
        "{:?}",
        sol.evaluation.penalties
    );
    let french: Vec<&Unplaced> = sol
        .unplaced
        .iter()
        .filter(|u| ["S0", "S1", "S2"].contains(&u.session.0.as_str()))
        .collect();
    assert_eq!(french.len(), 1, "{:?}", sol.unplaced);
    let why = french[0].reasons.join("; ");
    assert!(
        why.contains("it needs interpretation into French")
            && why.contains("French team would serve 2 sessions on"),
        "{why}"
    );
    // The two that stay are on different days, each with the team.
    let kept: Vec<&Assignment> = sol
        .assignments
        .iter()
        .filter(|a| ["S0", "S1", "S2"].contains(&a.session.0.as_str()))
        .collect();
    assert_eq!(kept.len(), 2);
    assert!(kept.iter().all(|a| a.interpreter_teams == ["T1"]));
    // Leaving it out costs what the broken limit cost: the count does not grow.
    assert_eq!(cost("unplaced"), sol.unplaced.len() as i64);
}
