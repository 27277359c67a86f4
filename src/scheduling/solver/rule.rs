//! What a rule of the schedule is: [`Rule`] gathers, in one place per rule, how it
//! prunes what a session may take ([`Build`]), what it costs a session in a slot during
//! the search (statically, or against the [`Placement`] of the others), what it costs
//! in a room once slots are fixed ([`RoomCx`]), and how it explains every penalty of a
//! complete schedule ([`Ctx`]). Rules are types, dispatched statically, so the search's
//! hot loop calls them as plain functions.

use std::collections::HashMap;

use super::placement::{Placement, RoomCx};
use super::problem::*;
use super::score::Penalty;

/// One rule of the schedule. Every hook but [`Rule::evaluate`] has a default that
/// does nothing, so a rule implements only what it is about.
pub trait Rule {
    /// Stable name, as penalties and rule scores report it.
    const NAME: &'static str;

    /// Whether breaking it makes the schedule infeasible.
    fn hard(w: &Weights) -> bool;

    /// Pruning: session `s` may never use room `r`, whatever the slot.
    #[inline]
    fn forbids_room(_b: &Build<'_>, _s: usize, _r: usize) -> bool {
        false
    }

    /// Pruning: room `r` cannot be used during slot `t` by anyone.
    #[inline]
    fn closes_room(_b: &Build<'_>, _r: usize, _t: usize) -> bool {
        false
    }

    /// Pruning: session `s` may never start in slot `t`.
    #[inline]
    fn forbids_slot(_b: &Build<'_>, _s: usize, _t: usize) -> bool {
        false
    }

    /// Why, in words that name the people and their times, this rule took the slots
    /// `refused` out of session `s`'s choices.
    fn refusal(_b: &Build<'_>, _s: usize, refused: &[usize]) -> Vec<String> {
        vec![format!("{} forbids {} slot(s)", Self::NAME, refused.len())]
    }

    /// Soft cost of session `s` in slot `t` that depends on nothing else placed.
    #[inline]
    fn static_cost(_b: &Build<'_>, _s: usize, _t: usize) -> i64 {
        0
    }

    /// Hard and soft cost of session `s` in slot `t` against every other session
    /// placed (`s` itself not counted), for the search's incremental scoring.
    #[inline]
    fn delta(_pl: &Placement<'_>, _s: usize, _t: usize) -> (i64, i64) {
        (0, 0)
    }

    /// Cost of session `s` in room `r` with every slot fixed, for the room phase.
    #[inline]
    fn room_cost(_rc: &RoomCx<'_>, _s: usize, _r: usize) -> i64 {
        0
    }

    /// Appends every penalty the complete schedule pays under this rule.
    fn evaluate(ctx: &Ctx<'_>, out: &mut Vec<Penalty>);
}

/// What the pruning and static costs see while the problem is compiled.
pub struct Build<'a> {
    /// The problem.
    pub p: &'a Problem,
    /// Slot starts, minutes since the epoch.
    pub slot_start: &'a [i64],
    /// Slot ends.
    pub slot_end: &'a [i64],
    /// The people of each session, as person indices (each once).
    pub people: &'a [Vec<usize>],
    /// Each session's length in minutes.
    pub duration: &'a [i64],
    /// For each person who listed them, the slots they may take.
    pub available: &'a [Option<Vec<bool>>],
    /// For each session whose type restricts them, the slots it may start in.
    pub allowed_slots: &'a [Option<Vec<bool>>],
    /// For each session whose type restricts them, the rooms it may use.
    pub allowed_rooms: &'a [Option<Vec<bool>>],
    /// Each session's room and slot in the previous schedule, if it had one.
    pub previous: &'a HashMap<usize, (usize, usize)>,
}

impl Build<'_> {
    /// The real interval session `s` would occupy from the start of slot `t`.
    pub fn interval(&self, s: usize, t: usize) -> Interval {
        let start = self.p.slots[t].interval.start;
        Interval {
            start,
            end: start + chrono::Duration::minutes(self.duration[s]),
        }
    }
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
    /// The interpreter teams (indices) serving each session, by session index.
    pub teams: Vec<Vec<usize>>,
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
        let team: HashMap<&str, usize> = p
            .logistics
            .interpreter_teams
            .iter()
            .enumerate()
            .map(|(i, x)| (x.id.as_str(), i))
            .collect();
        let mut placed = vec![None; p.sessions.len()];
        let mut teams = vec![vec![]; p.sessions.len()];
        for a in assignments {
            if let (Some(&s), Some(&r), Some(&t)) = (
                session.get(a.session.0.as_str()),
                room.get(a.room.0.as_str()),
                slot.get(a.slot.0.as_str()),
            ) {
                placed[s] = Some((r, t));
                teams[s] = a
                    .interpreter_teams
                    .iter()
                    .filter_map(|k| team.get(k.as_str()).copied())
                    .collect();
            }
        }
        Ctx {
            p,
            placed,
            person,
            slot,
            room,
            teams,
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
