//! Sessions of one theme should not run in parallel: each pair of same-theme sessions
//! in overlapping slots costs `theme_clash`.

use crate::scheduling::solver::placement::Placement;
use crate::scheduling::solver::problem::Weights;
use crate::scheduling::solver::rule::{Ctx, Rule, penalty};
use crate::scheduling::solver::score::Penalty;

/// Same-theme sessions apart.
pub struct ThemeClash;

impl Rule for ThemeClash {
    #[inline]
    fn delta(pl: &Placement<'_>, s: usize, t: usize) -> (i64, i64) {
        let m = pl.m;
        let w = m.weights.theme_clash;
        let Some(th) = m.sessions[s].theme else {
            return (0, 0);
        };
        if w == 0 {
            return (0, 0);
        }
        let same: i64 = m.slot_overlaps[t]
            .iter()
            .map(|&t2| pl.theme_count[t2 * m.n_themes + th])
            .sum();
        (0, w * same)
    }

    const NAME: &'static str = "theme_clash";
    fn hard(_: &Weights) -> bool {
        false
    }
    fn evaluate(ctx: &Ctx<'_>, out: &mut Vec<Penalty>) {
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
                        Self::NAME,
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
