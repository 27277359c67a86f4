//! Every hybrid session uses an online meeting channel (a licence and a technician);
//! no more run at once than the meeting has.

use crate::scheduling::solver::placement::Placement;
use crate::scheduling::solver::problem::Weights;
use crate::scheduling::solver::rule::{Ctx, Rule};
use crate::scheduling::solver::score::Penalty;

use super::logistics::over_capacity;

/// Online channels within what exists.
pub struct OnlineChannels;

impl Rule for OnlineChannels {
    #[inline]
    fn delta(pl: &Placement<'_>, s: usize, t: usize) -> (i64, i64) {
        match pl.m.channel_limit {
            Some(limit) if pl.m.sessions[s].needs_hybrid => {
                (pl.over_limit(&pl.channels, t, limit), 0)
            }
            _ => (0, 0),
        }
    }

    const NAME: &'static str = "online_channels";
    fn hard(_: &Weights) -> bool {
        true
    }
    fn evaluate(ctx: &Ctx<'_>, out: &mut Vec<Penalty>) {
        if let Some(limit) = ctx.p.logistics.online_channels {
            over_capacity(
                ctx,
                out,
                Self::NAME,
                |s| ctx.p.sessions[s].needs_hybrid,
                limit,
                "hybrid sessions need an online channel",
            );
        }
    }
}
