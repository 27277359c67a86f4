//! A published schedule moves as little as possible: each session whose room or slot
//! differs from the previous schedule costs `moved_session`.

use crate::scheduling::solver::placement::RoomCx;
use crate::scheduling::solver::problem::Weights;
use crate::scheduling::solver::rule::Build;
use crate::scheduling::solver::rule::{Ctx, Rule, penalty};
use crate::scheduling::solver::score::Penalty;

/// Few moves from the published schedule.
pub struct MovedSession;

impl Rule for MovedSession {
    fn static_cost(b: &Build<'_>, s: usize, t: usize) -> i64 {
        match b.previous.get(&s) {
            Some(&(_, pt)) if pt != t => b.p.weights.moved_session,
            _ => 0,
        }
    }
    #[inline]
    fn room_cost(rc: &RoomCx<'_>, s: usize, r: usize) -> i64 {
        match rc.m.sessions[s].previous {
            Some((pr, pt)) if pt == rc.slot[s] && pr != r => rc.m.weights.moved_session,
            _ => 0,
        }
    }

    const NAME: &'static str = "moved_session";
    fn hard(_: &Weights) -> bool {
        false
    }
    fn evaluate(ctx: &Ctx<'_>, out: &mut Vec<Penalty>) {
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
                    Self::NAME,
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
