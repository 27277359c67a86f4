//! A hybrid session is in a room equipped for hybrid sessions.

use crate::scheduling::solver::problem::Weights;
use crate::scheduling::solver::rule::Build;
use crate::scheduling::solver::rule::{Ctx, Rule, penalty};
use crate::scheduling::solver::score::Penalty;

/// Hybrid sessions in hybrid rooms.
pub struct HybridRoom;

impl Rule for HybridRoom {
    fn forbids_room(b: &Build<'_>, s: usize, r: usize) -> bool {
        b.p.sessions[s].needs_hybrid && !b.p.rooms[r].hybrid
    }

    const NAME: &'static str = "hybrid_room";
    fn hard(_: &Weights) -> bool {
        true
    }
    fn evaluate(ctx: &Ctx<'_>, out: &mut Vec<Penalty>) {
        for (s, r, _) in ctx.placed_iter() {
            let (sess, room) = (&ctx.p.sessions[s], &ctx.p.rooms[r]);
            if sess.needs_hybrid && !room.hybrid {
                out.push(penalty(
                    Self::NAME,
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
