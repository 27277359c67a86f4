//! The room phase: with every session's slot fixed, the rooms of each slot are an
//! assignment problem, solved exactly (Hungarian method) to minimise the room-level
//! costs: empty seats, tracks changing room within a day, and moving a session away
//! from its previous room. Slots are revisited until nothing improves, since a track's
//! cost links neighbouring slots.

use pathfinding::kuhn_munkres::kuhn_munkres;
use pathfinding::matrix::Matrix;

use super::constraints;
use super::model::Model;
use super::placement::{NONE, RoomCx};

const FORBIDDEN: i64 = -1_000_000_000;

/// Room-level cost of session s in room r, given the rooms of the other sessions: the
/// rules' room costs.
fn cost(
    m: &Model,
    slot: &[usize],
    room: &[usize],
    by_theme_day: &[Vec<usize>],
    s: usize,
    r: usize,
) -> i64 {
    let rc = RoomCx {
        m,
        slot,
        room,
        by_theme_day,
    };
    constraints::room_cost(&rc, s, r)
}

/// Re-assigns rooms slot by slot; keeps every room assignment feasible.
pub fn refine(m: &Model, slot: &[usize], room: &mut [usize]) {
    let w = &m.weights;
    let needs = w.room_fit != 0
        || w.track_room_change != 0
        || m.sessions.iter().any(|s| s.previous.is_some());
    if !needs {
        return;
    }
    let nt = m.n_slots();
    let nr = m.n_rooms();
    let mut by_theme_day = vec![vec![]; m.n_days.max(1) * m.n_themes.max(1)];
    for (s, ms) in m.sessions.iter().enumerate() {
        if let (Some(th), t) = (ms.theme, slot[s])
            && t != NONE
        {
            by_theme_day[m.slot_day[t] * m.n_themes + th].push(s);
        }
    }
    for list in &mut by_theme_day {
        list.sort_by_key(|&s| (m.slot_start[slot[s]], s));
    }
    let mut in_slot = vec![vec![]; nt];
    for (s, &t) in slot.iter().enumerate() {
        if t != NONE {
            in_slot[t].push(s);
        }
    }
    for _pass in 0..3 {
        let mut changed = false;
        for (t, sessions) in in_slot.iter().enumerate() {
            if sessions.is_empty() || sessions.len() > nr {
                continue;
            }
            let current: i64 = sessions
                .iter()
                .map(|&s| cost(m, slot, room, &by_theme_day, s, room[s]))
                .sum();
            // Rooms used during an overlapping slot are not available to this one.
            let mut busy = vec![false; nr];
            for &t2 in &m.slot_overlaps[t] {
                if t2 != t {
                    for &o in &in_slot[t2] {
                        busy[room[o]] = true;
                    }
                }
            }
            let usable = |s: usize, r: usize| !busy[r] && m.room_fits(s, r, t);
            let mut weights = Vec::with_capacity(sessions.len() * nr);
            for &s in sessions {
                for r in 0..nr {
                    weights.push(if usable(s, r) {
                        -cost(m, slot, room, &by_theme_day, s, r)
                    } else {
                        FORBIDDEN
                    });
                }
            }
            let Ok(matrix) = Matrix::from_vec(sessions.len(), nr, weights) else {
                continue;
            };
            let (total, assign) = kuhn_munkres(&matrix);
            let feasible = sessions.iter().zip(&assign).all(|(&s, &r)| usable(s, r));
            if feasible && -total < current {
                for (&s, &r) in sessions.iter().zip(&assign) {
                    room[s] = r;
                }
                changed = true;
            }
        }
        if !changed {
            break;
        }
    }
}
