//! A session ends by the end of its slot.

use crate::scheduling::solver::problem::Weights;
use crate::scheduling::solver::rule::Build;
use crate::scheduling::solver::rule::{Ctx, Rule, penalty};
use crate::scheduling::solver::score::Penalty;

/// Sessions fit their slots.
pub struct SlotFit;

impl Rule for SlotFit {
    fn forbids_slot(b: &Build<'_>, s: usize, t: usize) -> bool {
        b.slot_start[t] + b.duration[s] > b.slot_end[t]
    }
    fn refusal(b: &Build<'_>, s: usize, refused: &[usize]) -> Vec<String> {
        let longest = refused
            .iter()
            .map(|&t| b.slot_end[t] - b.slot_start[t])
            .max()
            .unwrap_or(0);
        vec![format!(
            "{} slot(s) are shorter than its {} minutes (the longest of them lasts {longest})",
            refused.len(),
            b.duration[s]
        )]
    }

    const NAME: &'static str = "slot_fit";
    fn hard(_: &Weights) -> bool {
        true
    }
    fn evaluate(ctx: &Ctx<'_>, out: &mut Vec<Penalty>) {
        for (s, _, t) in ctx.placed_iter() {
            let (Some(iv), slot) = (ctx.interval(s), &ctx.p.slots[t]) else {
                continue;
            };
            if iv.end > slot.interval.end {
                let len = (slot.interval.end - slot.interval.start).num_minutes();
                out.push(penalty(
                    Self::NAME,
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
