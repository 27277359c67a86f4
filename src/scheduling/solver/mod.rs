//! The scheduling solver: places sessions in rooms and time slots so that nobody is
//! double-booked, rooms fit and are equipped, online people speak at humane local
//! hours, and parallel sessions are diverse; explains every penalty it pays; repairs a
//! published schedule with as few moves as it can.
//!
//! Pure by design: this module and everything under it imports nothing from the web
//! framework, the database or auth (a test greps for such imports), takes plain data
//! ([`Problem`]) and returns plain data ([`Solution`]).
//!
//! How it works: every rule is a [`rule::Rule`] in its own file under [`constraints`],
//! carrying its pruning, its incremental cost, its room cost and its explanation.
//! Compiling the problem into a [`model::Model`] lets the rules prune each session's
//! domain and price it per slot once, so the static hard rules (capacity, hybrid,
//! availability, slot length, outer hours, pins) can never be broken by the search;
//! [`search`] builds a start most-constrained-first and improves it by simulated
//! annealing over slot moves, swaps and Kempe chains, scoring each change with the
//! rules' deltas over the [`placement::Placement`] and keeping rooms inside a slot as a
//! bipartite matching; [`rooms`] then assigns rooms per slot exactly with the rules'
//! room costs; [`constraints::evaluate`] re-evaluates the result from the problem alone
//! and explains every penalty.

mod compile;
pub mod constraints;
pub mod diversity;
pub mod model;
pub mod placement;
pub mod problem;
pub mod rooms;
pub mod rule;
pub mod score;
pub mod search;
mod shed;

use std::time::{Duration, Instant};

use serde::Serialize;

pub use problem::*;
pub use score::{Evaluation, Penalty, RuleScore, Score, SlotUse};
pub use search::{Budget, Progress};

use model::Model;
use search::{NONE, State};

/// Why the solver cannot start: the problem itself is malformed. (A session that can
/// never be placed is no error: it is left out of the schedule, with its reasons, in
/// [`Solution::unplaced`].)
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SolverError {
    /// The problem is malformed (unknown id, duplicate id, empty interval, ...).
    #[error("invalid problem: {0}")]
    Invalid(String),
}

/// A point of the best score over time, as the search counts it: hard violations and
/// the slot-level soft rules (room-level rules are settled after the search).
#[derive(Debug, Clone, Copy, Serialize)]
pub struct TracePoint {
    /// Milliseconds since the start.
    pub ms: u64,
    /// Hard violations (slot level).
    pub hard: i64,
    /// Soft cost (slot level).
    pub soft: i64,
}

/// Figures of one run.
#[derive(Debug, Clone, Serialize)]
pub struct Stats {
    /// Moves tried.
    pub moves: u64,
    /// Moves accepted.
    pub accepted: u64,
    /// Wall time in milliseconds.
    pub elapsed_ms: u64,
    /// When the search first held a placement without hard violations.
    pub first_feasible_ms: Option<u64>,
    /// A proven lower bound of the soft score, when one is known.
    pub lower_bound: Option<i64>,
    /// Whether the soft score equals that bound (so the schedule is optimal).
    pub optimal: bool,
    /// Best score over time.
    pub trace: Vec<TracePoint>,
}

/// A schedule with its full evaluation.
#[derive(Debug, Clone, Serialize)]
pub struct Solution {
    /// Where each session goes (placed sessions only).
    pub assignments: Vec<Assignment>,
    /// Score and every penalty, from the rules alone.
    pub evaluation: Evaluation,
    /// Sessions whose room or slot differs from the previous schedule.
    pub moves: Vec<Move>,
    /// Run figures.
    pub stats: Stats,
    /// Sessions the schedule leaves out, each with every reason in words.
    pub unplaced: Vec<Unplaced>,
}

/// A session the schedule leaves out.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Unplaced {
    /// The session.
    pub session: SessionId,
    /// Why, in words that name the people, their zones and their local times.
    pub reasons: Vec<String>,
}

/// A session that moved away from the previous schedule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Move {
    /// The session.
    pub session: SessionId,
    /// Where it was, if it was placed.
    pub from: Option<Assignment>,
    /// Where it is now.
    pub to: Assignment,
}

fn finish(
    p: &Problem,
    m: &Model,
    found: search::Found,
    stats: search::SearchStats,
    started: Instant,
) -> Solution {
    let search::Found {
        slot,
        mut room,
        teams,
    } = found;
    rooms::refine(m, &slot, &mut room);
    let mut assignments: Vec<Assignment> = (0..slot.len())
        .filter(|&s| slot[s] != NONE)
        .map(|s| Assignment {
            session: p.sessions[s].id.clone(),
            room: p.rooms[room[s]].id.clone(),
            slot: p.slots[slot[s]].id.clone(),
            interpreter_teams: m.sessions[s]
                .team_options
                .get(teams[s])
                .map(|o| {
                    o.iter()
                        .map(|&k| p.logistics.interpreter_teams[k].id.clone())
                        .collect()
                })
                .unwrap_or_default(),
        })
        .collect();
    let shed = shed::shed(p, &mut assignments);
    let evaluation = constraints::evaluate(p, &assignments);
    let moves = assignments
        .iter()
        .filter_map(|a| {
            let from = p.previous.iter().find(|x| x.session == a.session);
            (from != Some(a) && !p.previous.is_empty()).then(|| Move {
                session: a.session.clone(),
                from: from.cloned(),
                to: a.clone(),
            })
        })
        .collect();
    let unplaced = (0..slot.len())
        .filter(|&s| slot[s] == NONE)
        .map(|s| {
            let reasons = match m.unplaceable.iter().find(|(x, _)| *x == s) {
                Some((_, why)) => why.clone(),
                None => vec![format!(
                    "the search found no free room in any of the {} slot(s) open to it \
                     before its time ran out",
                    m.sessions[s].slots.len()
                )],
            };
            Unplaced {
                session: p.sessions[s].id.clone(),
                reasons,
            }
        })
        .chain(
            shed.into_iter()
                .map(|(session, reasons)| Unplaced { session, reasons }),
        )
        .collect();
    let lower_bound = search::theme_clash_bound(m);
    let ms = |d: Duration| d.as_millis() as u64;
    Solution {
        stats: Stats {
            moves: stats.moves,
            accepted: stats.accepted,
            elapsed_ms: ms(started.elapsed()),
            first_feasible_ms: stats.first_feasible.map(ms),
            optimal: evaluation.score.hard == 0
                && lower_bound.is_some_and(|b| evaluation.score.soft <= b),
            lower_bound,
            trace: stats
                .trace
                .iter()
                .map(|&(d, hard, soft)| TracePoint {
                    ms: ms(d),
                    hard,
                    soft,
                })
                .collect(),
        },
        assignments,
        evaluation,
        moves,
        unplaced,
    }
}

/// Schedules every session within the budget. The same problem, seed and move budget
/// give the same solution.
pub fn solve(p: &Problem, mut budget: Budget<'_>, seed: u64) -> Result<Solution, SolverError> {
    let started = Instant::now();
    let m = Model::build(p)?;
    let mut rng = fastrand::Rng::with_seed(seed);
    let mut state = State::new(&m);
    search::construct(&mut state, &mut rng);
    let (found, stats) = search::anneal(&mut state, &mut rng, &mut budget, started);
    Ok(finish(p, &m, found, stats, started))
}

/// Repairs the previous (published) schedule in `p.previous` after a change to the
/// problem (a session cancelled or added, a room lost, someone unavailable): keeps
/// every session whose place is still valid, places the others, and only then improves,
/// so that as few sessions as possible move. `p.weights.moved_session` sets how much a
/// move costs against the soft rules; it should dominate them.
pub fn repair(p: &Problem, mut budget: Budget<'_>, seed: u64) -> Result<Solution, SolverError> {
    let started = Instant::now();
    let m = Model::build(p)?;
    let mut rng = fastrand::Rng::with_seed(seed);
    let mut state = State::new(&m);
    // Keep what still fits, pinned sessions first.
    let mut order: Vec<usize> = (0..m.sessions.len())
        .filter(|&s| m.sessions[s].previous.is_some())
        .collect();
    order.sort_by_key(|&s| (m.sessions[s].pinned.is_none(), s));
    for s in order {
        if let Some((r, t)) = m.sessions[s].previous {
            let ms = &m.sessions[s];
            if ms.slots.contains(&t) && m.room_fits(s, r, t) && state.slot[s] == NONE {
                let before_hard = state.hard;
                state.begin();
                if state.insert(s, t) && state.room[s] == r && state.hard < before_hard {
                    continue;
                }
                state.undo();
            }
        }
    }
    search::construct(&mut state, &mut rng);
    let (found, stats) = search::anneal(&mut state, &mut rng, &mut budget, started);
    Ok(finish(p, &m, found, stats, started))
}

/// Gives each `moved` session that is interpreted the interpreter teams that break the
/// fewest hard rules where it now stands (the fewest teams among equals), every other
/// session keeping its teams; a session not interpreted has none. For moves made by
/// hand, which name a room and a slot only.
pub fn choose_teams(
    p: &Problem,
    assignments: &mut [Assignment],
    moved: &std::collections::BTreeSet<String>,
) {
    let teams = &p.logistics.interpreter_teams;
    for i in 0..assignments.len() {
        if !moved.contains(&assignments[i].session.0) {
            continue;
        }
        let needed = p
            .sessions
            .iter()
            .find(|s| s.id == assignments[i].session)
            .map(|s| s.interpretation.clone())
            .unwrap_or_default();
        let covers = problem::team_covers(teams, &needed);
        let mut best: Option<(i64, Vec<String>)> = None;
        for cover in covers {
            let ids: Vec<String> = cover.iter().map(|&k| teams[k].id.clone()).collect();
            assignments[i].interpreter_teams = ids.clone();
            let hard = constraints::evaluate(p, assignments).score.hard;
            if best.as_ref().is_none_or(|(h, _)| hard < *h) {
                best = Some((hard, ids));
            }
        }
        assignments[i].interpreter_teams = best.map(|(_, ids)| ids).unwrap_or_default();
    }
}

#[cfg(test)]
mod tests;
