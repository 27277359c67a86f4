//! Repair moves as little of a published schedule as the change forces.

use std::collections::BTreeSet;

use chrono::Duration;
use igf_scheduler::scheduling::solver::{
    self, Budget, Interval, Problem, Session, SessionId, Solution,
};

use crate::checker::hard_violations;
use crate::fixtures::{Shape, generate};

fn published() -> (Problem, Solution) {
    let p = generate(
        Shape {
            sessions: 60,
            rooms: 8,
            days: 3,
            slots_per_day: 6,
            people: 70,
            overlapping: true,
        },
        11,
        true,
    );
    let sol = solver::solve(&p, Budget::moves(200_000), 5).unwrap();
    assert_eq!(
        sol.evaluation.score.hard,
        0,
        "{:#?}",
        sol.evaluation
            .penalties
            .iter()
            .filter(|x| x.hard)
            .collect::<Vec<_>>()
    );
    let mut p = p;
    p.previous = sol.assignments.clone();
    (p, sol)
}

fn moved(sol: &Solution) -> BTreeSet<SessionId> {
    sol.moves
        .iter()
        .filter(|m| m.from.is_some())
        .map(|m| m.session.clone())
        .collect()
}

#[test]
fn cancelling_a_session_moves_nothing_else() {
    let (mut p, before) = published();
    let gone = before.assignments[7].session.clone();
    p.sessions.retain(|s| s.id != gone);
    let after = solver::repair(&p, Budget::moves(50_000), 1).unwrap();
    assert!(hard_violations(&p, &after.assignments).is_empty());
    assert_eq!(moved(&after), BTreeSet::new());
}

#[test]
fn losing_a_room_moves_only_its_sessions_and_keeps_their_slots() {
    let (mut p, before) = published();
    let lost = p.rooms[2].id.clone();
    let first = p.slots[0].interval.start;
    let last = p.slots.last().unwrap().interval.end;
    p.rooms[2].closed = vec![Interval {
        start: first,
        end: last,
    }];
    let affected: BTreeSet<SessionId> = before
        .assignments
        .iter()
        .filter(|a| a.room == lost)
        .map(|a| a.session.clone())
        .collect();
    assert!(!affected.is_empty());
    let after = solver::repair(&p, Budget::moves(100_000), 1).unwrap();
    assert!(
        hard_violations(&p, &after.assignments).is_empty(),
        "{:?}",
        hard_violations(&p, &after.assignments)
    );
    assert_eq!(moved(&after), affected);
    for m in &after.moves {
        let from = m.from.as_ref().unwrap();
        assert_eq!(
            from.slot, m.to.slot,
            "{} changed slot although a room was free",
            m.session
        );
    }
}

#[test]
fn a_speaker_becoming_unavailable_moves_only_their_sessions() {
    let (mut p, before) = published();
    // The busiest person loses the first day.
    let person = (0..p.people.len())
        .max_by_key(|&i| {
            p.sessions
                .iter()
                .filter(|s| s.people.contains(&p.people[i].id))
                .count()
        })
        .unwrap();
    let pid = p.people[person].id.clone();
    let day_start = p.slots[0].interval.start;
    let lost = Interval {
        start: day_start,
        end: day_start + Duration::hours(12),
    };
    p.people[person].unavailable.push(lost);
    let affected: BTreeSet<SessionId> = before
        .assignments
        .iter()
        .filter(|a| {
            let s = p.sessions.iter().find(|s| s.id == a.session).unwrap();
            let t = p.slots.iter().find(|t| t.id == a.slot).unwrap();
            let end = t.interval.start + Duration::minutes(s.duration_min as i64);
            s.people.contains(&pid) && t.interval.start < lost.end && lost.start < end
        })
        .map(|a| a.session.clone())
        .collect();
    let after = solver::repair(&p, Budget::moves(100_000), 1).unwrap();
    assert!(hard_violations(&p, &after.assignments).is_empty());
    assert_eq!(
        moved(&after),
        affected,
        "only the sessions the speaker can no longer attend move"
    );
}

#[test]
fn an_added_session_is_placed_without_moving_others() {
    let (mut p, _) = published();
    p.sessions.push(Session {
        id: SessionId("LATE".into()),
        title: "Late addition".into(),
        theme: Some("Theme 1".into()),
        duration_min: 60,
        attendance: 40,
        needs_hybrid: false,
        exclusive: false,
        people: vec![p.people[0].id.clone()],
        ..Default::default()
    });
    let after = solver::repair(&p, Budget::moves(50_000), 1).unwrap();
    assert!(hard_violations(&p, &after.assignments).is_empty());
    assert!(after.assignments.iter().any(|a| a.session.0 == "LATE"));
    assert_eq!(moved(&after), BTreeSet::new());
}
