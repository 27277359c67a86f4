//! A session ends by the end of its slot.

use super::{Constraint, Ctx, penalty};
use crate::scheduling::solver::problem::Weights;
use crate::scheduling::solver::score::Penalty;

/// Sessions fit their slots.
pub struct SlotFit;

impl Constraint for SlotFit {
    fn name(&self) -> &'static str {
        "slot_fit"
    }
    fn hard(&self, _: &Weights) -> bool {
        true
    }
    fn evaluate(&self, ctx: &Ctx<'_>, out: &mut Vec<Penalty>) {
        for (s, _, t) in ctx.placed_iter() {
            let (Some(iv), slot) = (ctx.interval(s), &ctx.p.slots[t]) else {
                continue;
            };
            if iv.end > slot.interval.end {
                let len = (slot.interval.end - slot.interval.start).num_minutes();
                out.push(penalty(
                    self.name(),
                    1,
                    vec![ctx.sid(s)],
                    vec![],
                    format!(
                        "{} lasts {} min but slot {} lasts {len} min",
                        ctx.sid(s),
                        ctx.p.sessions[s].duration_min,
                        slot.id
                    ),
                ));
            }
        }
    }
}
