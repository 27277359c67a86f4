//! Popular sessions belong in large rooms: each tenth of a room's seats left empty
//! costs `room_fit`, so small sessions do not take the big rooms.

use crate::scheduling::solver::placement::RoomCx;
use crate::scheduling::solver::problem::Weights;
use crate::scheduling::solver::rule::{Ctx, Rule, penalty};
use crate::scheduling::solver::score::Penalty;

/// Rooms sized to their sessions.
pub struct RoomFit;

/// Tenths of the room left empty by a session of `attendance` (0 when it is full).
pub fn empty_tenths(capacity: u32, attendance: u32) -> i64 {
    if capacity == 0 || attendance >= capacity {
        0
    } else {
        i64::from((capacity - attendance) * 10 / capacity)
    }
}

impl Rule for RoomFit {
    #[inline]
    fn room_cost(rc: &RoomCx<'_>, s: usize, r: usize) -> i64 {
        let m = rc.m;
        m.weights.room_fit * empty_tenths(m.room_capacity[r], m.sessions[s].attendance)
    }

    const NAME: &'static str = "room_fit";
    fn hard(_: &Weights) -> bool {
        false
    }
    fn evaluate(ctx: &Ctx<'_>, out: &mut Vec<Penalty>) {
        let w = ctx.p.weights.room_fit;
        if w == 0 {
            return;
        }
        for (s, r, _) in ctx.placed_iter() {
            let (sess, room) = (&ctx.p.sessions[s], &ctx.p.rooms[r]);
            let tenths = empty_tenths(room.capacity, sess.attendance);
            if tenths > 0 {
                out.push(penalty(
                    Self::NAME,
                    w * tenths,
                    vec![sess.id.clone()],
                    vec![],
                    format!(
                        "{} expects {} in {} with {} seats ({}0% empty)",
                        sess.id, sess.attendance, room.name, room.capacity, tenths
                    ),
                ));
            }
        }
    }
}
