//! A hybrid session is in a room equipped for hybrid sessions.

use super::{Constraint, Ctx, penalty};
use crate::scheduling::solver::problem::Weights;
use crate::scheduling::solver::score::Penalty;

/// Hybrid sessions in hybrid rooms.
pub struct HybridRoom;

impl Constraint for HybridRoom {
    fn name(&self) -> &'static str {
        "hybrid_room"
    }
    fn hard(&self, _: &Weights) -> bool {
        true
    }
    fn evaluate(&self, ctx: &Ctx<'_>, out: &mut Vec<Penalty>) {
        for (s, r, _) in ctx.placed_iter() {
            let (sess, room) = (&ctx.p.sessions[s], &ctx.p.rooms[r]);
            if sess.needs_hybrid && !room.hybrid {
                out.push(penalty(
                    self.name(),
                    1,
                    vec![sess.id.clone()],
                    vec![],
                    format!(
                        "{} is hybrid but {} has no hybrid equipment",
                        sess.id, room.name
                    ),
                ));
            }
        }
    }
}
