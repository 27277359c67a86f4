//! Every session must be placed in a room and a slot.

use super::{Constraint, Ctx, penalty};
use crate::scheduling::solver::problem::Weights;
use crate::scheduling::solver::score::Penalty;

/// Every session placed.
pub struct Unplaced;

impl Constraint for Unplaced {
    fn name(&self) -> &'static str {
        "unplaced"
    }
    fn hard(&self, _: &Weights) -> bool {
        true
    }
    fn evaluate(&self, ctx: &Ctx<'_>, out: &mut Vec<Penalty>) {
        for (s, p) in ctx.placed.iter().enumerate() {
            if p.is_none() {
                out.push(penalty(
                    self.name(),
                    1,
                    vec![ctx.sid(s)],
                    vec![],
                    format!("{} has no room and slot", ctx.p.sessions[s].id),
                ));
            }
        }
    }
}
