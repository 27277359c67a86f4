//! Sessions of one theme should not run in parallel: each pair of same-theme sessions
//! in overlapping slots costs `theme_clash`.

use super::{Constraint, Ctx, penalty};
use crate::scheduling::solver::problem::Weights;
use crate::scheduling::solver::score::Penalty;

/// Same-theme sessions apart.
pub struct ThemeClash;

impl Constraint for ThemeClash {
    fn name(&self) -> &'static str {
        "theme_clash"
    }
    fn hard(&self, _: &Weights) -> bool {
        false
    }
    fn evaluate(&self, ctx: &Ctx<'_>, out: &mut Vec<Penalty>) {
        let w = ctx.p.weights.theme_clash;
        if w == 0 {
            return;
        }
        let placed: Vec<(usize, usize)> = ctx.placed_iter().map(|(s, _, t)| (s, t)).collect();
        for (k, &(a, ta)) in placed.iter().enumerate() {
            for &(b, tb) in &placed[k + 1..] {
                let (sa, sb) = (&ctx.p.sessions[a], &ctx.p.sessions[b]);
                if sa.theme.is_some()
                    && sa.theme == sb.theme
                    && ctx.p.slots[ta].interval.overlaps(&ctx.p.slots[tb].interval)
                {
                    out.push(penalty(
                        self.name(),
                        w,
                        vec![sa.id.clone(), sb.id.clone()],
                        vec![],
                        format!(
                            "{} and {} are both on \"{}\" and run in parallel at {}",
                            sa.id,
                            sb.id,
                            sa.theme.as_deref().unwrap_or_default(),
                            ctx.when(ta)
                        ),
                    ));
                }
            }
        }
    }
}
