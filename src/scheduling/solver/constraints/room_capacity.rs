//! A room seats at least the session's expected attendance.

use crate::scheduling::solver::problem::Weights;
use crate::scheduling::solver::rule::Build;
use crate::scheduling::solver::rule::{Ctx, Rule, penalty};
use crate::scheduling::solver::score::Penalty;

/// Rooms big enough.
pub struct RoomCapacity;

impl Rule for RoomCapacity {
    fn forbids_room(b: &Build<'_>, s: usize, r: usize) -> bool {
        b.p.rooms[r].capacity < b.p.sessions[s].attendance
    }

    const NAME: &'static str = "room_capacity";
    fn hard(_: &Weights) -> bool {
        true
    }
    fn evaluate(ctx: &Ctx<'_>, out: &mut Vec<Penalty>) {
        for (s, r, _) in ctx.placed_iter() {
            let (sess, room) = (&ctx.p.sessions[s], &ctx.p.rooms[r]);
            if room.capacity < sess.attendance {
                out.push(penalty(
                    Self::NAME,
                    1,
                    vec![sess.id.clone()],
                    vec![],
                    format!(
                        "{} expects {} people but {} seats {}",
                        sess.id, sess.attendance, room.name, room.capacity
                    ),
                ));
            }
        }
    }
}
