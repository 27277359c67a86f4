//! Nothing runs in parallel with an exclusive session (a ceremony).

use super::{Constraint, Ctx, penalty};
use crate::scheduling::solver::problem::Weights;
use crate::scheduling::solver::score::Penalty;

/// Ceremonies alone.
pub struct Exclusive;

impl Constraint for Exclusive {
    fn name(&self) -> &'static str {
        "exclusive"
    }
    fn hard(&self, _: &Weights) -> bool {
        true
    }
    fn evaluate(&self, ctx: &Ctx<'_>, out: &mut Vec<Penalty>) {
        let placed: Vec<usize> = ctx.placed_iter().map(|(s, _, _)| s).collect();
        for (k, &a) in placed.iter().enumerate() {
            for &b in &placed[k + 1..] {
                let (sa, sb) = (&ctx.p.sessions[a], &ctx.p.sessions[b]);
                if !(sa.exclusive || sb.exclusive) {
                    continue;
                }
                if let (Some(ia), Some(ib)) = (ctx.interval(a), ctx.interval(b))
                    && ia.overlaps(&ib)
                {
                    let (c, o) = if sa.exclusive { (sa, sb) } else { (sb, sa) };
                    out.push(penalty(
                        self.name(),
                        1,
                        vec![c.id.clone(), o.id.clone()],
                        vec![],
                        format!(
                            "{} runs in parallel with {}, which allows nothing in parallel",
                            o.id, c.id
                        ),
                    ));
                }
            }
        }
    }
}
