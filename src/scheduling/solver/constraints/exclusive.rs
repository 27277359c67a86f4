//! Nothing runs in parallel with an exclusive session (a ceremony).

use crate::scheduling::solver::placement::Placement;
use crate::scheduling::solver::problem::Weights;
use crate::scheduling::solver::rule::{Ctx, Rule, penalty};
use crate::scheduling::solver::score::Penalty;

/// Ceremonies alone.
pub struct Exclusive;

impl Rule for Exclusive {
    #[inline]
    fn delta(pl: &Placement<'_>, s: usize, t: usize) -> (i64, i64) {
        if pl.n_exclusive == 0 {
            return (0, 0);
        }
        let m = pl.m;
        let ms = &m.sessions[s];
        let mut hard = 0;
        for &t2 in &m.slot_overlaps[t] {
            for &o in &pl.in_slot[t2] {
                if o != s
                    && (ms.exclusive || m.sessions[o].exclusive)
                    && m.sessions_overlap(s, t, o, t2)
                {
                    hard += 1;
                }
            }
        }
        (hard, 0)
    }

    const NAME: &'static str = "exclusive";
    fn hard(_: &Weights) -> bool {
        true
    }
    fn evaluate(ctx: &Ctx<'_>, out: &mut Vec<Penalty>) {
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
                        Self::NAME,
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
