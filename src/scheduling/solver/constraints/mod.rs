//! The rules a schedule is judged by, one file each. These evaluate a complete
//! schedule from the [`Problem`] alone, apart from the search's incremental
//! bookkeeping, and produce the explanation of every penalty.

use std::collections::HashMap;

use super::problem::*;
use super::score::{Evaluation, Penalty, RuleScore, Score};

mod availability;
mod exclusive;
mod hybrid_room;
mod moved_session;
mod online_discomfort;
mod online_hours;
mod person_overlap;
mod pinned;
mod room_capacity;
mod room_conflict;
pub mod room_fit;
mod slot_diversity;
mod slot_fit;
mod theme_clash;
mod theme_same_day;
mod track_room_change;
mod unplaced;

/// A rule of the schedule.
pub trait Constraint {
    /// Stable name.
    fn name(&self) -> &'static str;
    /// Whether breaking it makes the schedule infeasible.
    fn hard(&self, w: &Weights) -> bool;
    /// Appends every penalty the schedule pays under this rule.
    fn evaluate(&self, ctx: &Ctx<'_>, out: &mut Vec<Penalty>);
}

/// Every rule, hard ones first.
pub fn all() -> Vec<Box<dyn Constraint>> {
    vec![
        Box::new(unplaced::Unplaced),
        Box::new(room_conflict::RoomConflict),
        Box::new(person_overlap::PersonOverlap),
        Box::new(room_capacity::RoomCapacity),
        Box::new(hybrid_room::HybridRoom),
        Box::new(slot_fit::SlotFit),
        Box::new(availability::Availability),
        Box::new(online_hours::OnlineHours),
        Box::new(exclusive::Exclusive),
        Box::new(pinned::Pinned),
        Box::new(theme_clash::ThemeClash),
        Box::new(theme_same_day::ThemeSameDay),
        Box::new(online_discomfort::OnlineDiscomfort),
        Box::new(slot_diversity::SlotDiversity),
        Box::new(room_fit::RoomFit),
        Box::new(track_room_change::TrackRoomChange),
        Box::new(moved_session::MovedSession),
    ]
}

/// A schedule read against its problem.
pub struct Ctx<'a> {
    /// The problem.
    pub p: &'a Problem,
    /// Room and slot index of each session, by session index.
    pub placed: Vec<Option<(usize, usize)>>,
    /// Person index by id.
    pub person: HashMap<&'a str, usize>,
    /// Slot index by id.
    pub slot: HashMap<&'a str, usize>,
    /// Room index by id.
    pub room: HashMap<&'a str, usize>,
}

impl<'a> Ctx<'a> {
    /// Reads assignments (unknown ids leave the session unplaced).
    pub fn new(p: &'a Problem, assignments: &[Assignment]) -> Self {
        let person = p
            .people
            .iter()
            .enumerate()
            .map(|(i, x)| (x.id.0.as_str(), i))
            .collect();
        let slot: HashMap<&str, usize> = p
            .slots
            .iter()
            .enumerate()
            .map(|(i, x)| (x.id.0.as_str(), i))
            .collect();
        let room: HashMap<&str, usize> = p
            .rooms
            .iter()
            .enumerate()
            .map(|(i, x)| (x.id.0.as_str(), i))
            .collect();
        let session: HashMap<&str, usize> = p
            .sessions
            .iter()
            .enumerate()
            .map(|(i, x)| (x.id.0.as_str(), i))
            .collect();
        let mut placed = vec![None; p.sessions.len()];
        for a in assignments {
            if let (Some(&s), Some(&r), Some(&t)) = (
                session.get(a.session.0.as_str()),
                room.get(a.room.0.as_str()),
                slot.get(a.slot.0.as_str()),
            ) {
                placed[s] = Some((r, t));
            }
        }
        Ctx {
            p,
            placed,
            person,
            slot,
            room,
        }
    }

    /// The real interval a placed session occupies.
    pub fn interval(&self, s: usize) -> Option<Interval> {
        let (_, t) = self.placed[s]?;
        let start = self.p.slots[t].interval.start;
        Some(Interval {
            start,
            end: start + chrono::Duration::minutes(i64::from(self.p.sessions[s].duration_min)),
        })
    }

    /// Placed sessions as (session, room, slot).
    pub fn placed_iter(&self) -> impl Iterator<Item = (usize, usize, usize)> + '_ {
        self.placed
            .iter()
            .enumerate()
            .filter_map(|(s, x)| x.map(|(r, t)| (s, r, t)))
    }

    /// A session's id.
    pub fn sid(&self, s: usize) -> SessionId {
        self.p.sessions[s].id.clone()
    }

    /// A slot's start in the venue's time, for reasons.
    pub fn when(&self, t: usize) -> String {
        self.p.slots[t]
            .interval
            .start
            .with_timezone(&self.p.venue_timezone)
            .format("%a %d %b %H:%M")
            .to_string()
    }
}

/// Evaluates a schedule under every rule.
pub fn evaluate(p: &Problem, assignments: &[Assignment]) -> Evaluation {
    let ctx = Ctx::new(p, assignments);
    let mut penalties = vec![];
    let mut rules = vec![];
    let mut score = Score::default();
    for c in all() {
        let start = penalties.len();
        c.evaluate(&ctx, &mut penalties);
        let hard = c.hard(&p.weights);
        let new = &mut penalties[start..];
        for pen in new.iter_mut() {
            pen.hard = hard;
        }
        let cost: i64 = new.iter().map(|x| x.cost).sum();
        if hard {
            score.hard += cost;
        } else {
            score.soft += cost;
        }
        rules.push(RuleScore {
            constraint: c.name(),
            hard,
            count: new.len(),
            cost,
        });
    }
    Evaluation {
        score,
        rules,
        penalties,
    }
}

/// A penalty with the common fields filled.
pub fn penalty(
    constraint: &'static str,
    cost: i64,
    sessions: Vec<SessionId>,
    people: Vec<PersonId>,
    reason: String,
) -> Penalty {
    Penalty {
        constraint,
        hard: false,
        cost,
        sessions,
        people,
        reason,
    }
}
