//! A room seats at least the session's expected attendance.

use super::{Constraint, Ctx, penalty};
use crate::scheduling::solver::problem::Weights;
use crate::scheduling::solver::score::Penalty;

/// Rooms big enough.
pub struct RoomCapacity;

impl Constraint for RoomCapacity {
    fn name(&self) -> &'static str {
        "room_capacity"
    }
    fn hard(&self, _: &Weights) -> bool {
        true
    }
    fn evaluate(&self, ctx: &Ctx<'_>, out: &mut Vec<Penalty>) {
        for (s, r, _) in ctx.placed_iter() {
            let (sess, room) = (&ctx.p.sessions[s], &ctx.p.rooms[r]);
            if room.capacity < sess.attendance {
                out.push(penalty(
                    self.name(),
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
