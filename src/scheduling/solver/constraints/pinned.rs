//! A pinned session stays in its pinned room and slot.

use crate::scheduling::solver::problem::Weights;
use crate::scheduling::solver::rule::{Ctx, Rule, penalty};
use crate::scheduling::solver::score::Penalty;

/// Pins hold.
pub struct Pinned;

impl Rule for Pinned {
    const NAME: &'static str = "pinned";
    fn hard(_: &Weights) -> bool {
        true
    }
    fn evaluate(ctx: &Ctx<'_>, out: &mut Vec<Penalty>) {
        for pin in &ctx.p.pins {
            let Some(s) = ctx.p.sessions.iter().position(|x| x.id == pin.session) else {
                continue;
            };
            let want = (
                ctx.room.get(pin.room.0.as_str()).copied(),
                ctx.slot.get(pin.slot.0.as_str()).copied(),
            );
            if ctx.placed[s].map(|(r, t)| (Some(r), Some(t))) != Some(want) {
                out.push(penalty(
                    Self::NAME,
                    1,
                    vec![pin.session.clone()],
                    vec![],
                    format!(
                        "{} is pinned to {} in slot {} but placed elsewhere",
                        pin.session, pin.room, pin.slot
                    ),
                ));
            }
        }
    }
}
