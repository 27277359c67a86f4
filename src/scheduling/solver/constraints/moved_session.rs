//! A published schedule moves as little as possible: each session whose room or slot
//! differs from the previous schedule costs `moved_session`.

use super::{Constraint, Ctx, penalty};
use crate::scheduling::solver::problem::Weights;
use crate::scheduling::solver::score::Penalty;

/// Few moves from the published schedule.
pub struct MovedSession;

impl Constraint for MovedSession {
    fn name(&self) -> &'static str {
        "moved_session"
    }
    fn hard(&self, _: &Weights) -> bool {
        false
    }
    fn evaluate(&self, ctx: &Ctx<'_>, out: &mut Vec<Penalty>) {
        let w = ctx.p.weights.moved_session;
        if w == 0 {
            return;
        }
        for a in &ctx.p.previous {
            let Some(s) = ctx.p.sessions.iter().position(|x| x.id == a.session) else {
                continue;
            };
            let was = (
                ctx.room.get(a.room.0.as_str()).copied(),
                ctx.slot.get(a.slot.0.as_str()).copied(),
            );
            let now = ctx.placed[s].map(|(r, t)| (Some(r), Some(t)));
            if now.is_some() && now != Some(was) {
                let (r, t) = ctx.placed[s].unwrap_or_default();
                out.push(penalty(
                    self.name(),
                    w,
                    vec![a.session.clone()],
                    vec![],
                    format!(
                        "{} moves from {} in slot {} to {} in slot {}",
                        a.session, a.room, a.slot, ctx.p.rooms[r].id, ctx.p.slots[t].id
                    ),
                ));
            }
        }
    }
}
