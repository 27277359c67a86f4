//! Every session must be placed in a room and a slot.

use crate::scheduling::solver::problem::Weights;
use crate::scheduling::solver::rule::{Ctx, Rule, penalty};
use crate::scheduling::solver::score::Penalty;

/// Every session placed.
pub struct Unplaced;

impl Rule for Unplaced {
    const NAME: &'static str = "unplaced";
    fn hard(_: &Weights) -> bool {
        true
    }
    fn evaluate(ctx: &Ctx<'_>, out: &mut Vec<Penalty>) {
        for (s, p) in ctx.placed.iter().enumerate() {
            if p.is_none() {
                out.push(penalty(
                    Self::NAME,
                    1,
                    vec![ctx.sid(s)],
                    vec![],
                    format!("{} has no room and slot", ctx.p.sessions[s].id),
                ));
            }
        }
    }
}
