//! A captioned session has a real-time captioner; no more work at once than the
//! meeting has.

use crate::scheduling::solver::placement::Placement;
use crate::scheduling::solver::problem::Weights;
use crate::scheduling::solver::rule::{Ctx, Rule};
use crate::scheduling::solver::score::Penalty;

use super::logistics::over_capacity;

/// Captioners within what exists.
pub struct Captioners;

impl Rule for Captioners {
    #[inline]
    fn delta(pl: &Placement<'_>, s: usize, t: usize) -> (i64, i64) {
        match pl.m.caption_limit {
            Some(limit) if pl.m.sessions[s].captioning => {
                (pl.over_limit(&pl.captions, t, limit), 0)
            }
            _ => (0, 0),
        }
    }

    const NAME: &'static str = "captioners";
    fn hard(_: &Weights) -> bool {
        true
    }
    fn evaluate(ctx: &Ctx<'_>, out: &mut Vec<Penalty>) {
        if let Some(limit) = ctx.p.logistics.captioners {
            over_capacity(
                ctx,
                out,
                Self::NAME,
                |s| ctx.p.sessions[s].captioning,
                limit,
                "sessions need a real-time captioner",
            );
        }
    }
}
