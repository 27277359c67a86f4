//! What the logistics rules share: a resource of which only so many are in use at once.

use crate::scheduling::solver::rule::{Ctx, penalty};
use crate::scheduling::solver::score::{Penalty, SlotUse};

/// Per slot, the online channels, captioners and interpreter teams in use, when the
/// problem has any logistics at all.
pub fn usage(ctx: &Ctx<'_>) -> Vec<SlotUse> {
    let lg = &ctx.p.logistics;
    if *lg == Default::default() {
        return vec![];
    }
    let mut out: Vec<SlotUse> = ctx
        .p
        .slots
        .iter()
        .map(|t| SlotUse {
            slot: t.id.clone(),
            online_channels: 0,
            online_channels_limit: lg.online_channels,
            captioners: 0,
            captioners_limit: lg.captioners,
            interpreter_teams: vec![],
        })
        .collect();
    for (s, _, t) in ctx.placed_iter() {
        let sess = &ctx.p.sessions[s];
        let u = &mut out[t];
        u.online_channels += u32::from(sess.needs_hybrid);
        u.captioners += u32::from(sess.captioning);
        for &k in &ctx.teams[s] {
            u.interpreter_teams.push(lg.interpreter_teams[k].id.clone());
        }
    }
    for u in &mut out {
        u.interpreter_teams.sort();
    }
    out
}

/// One penalty for every slot during which more sessions that `uses` a resource run
/// than the `limit` of it, costing the excess and naming the sessions.
pub fn over_capacity(
    ctx: &Ctx<'_>,
    out: &mut Vec<Penalty>,
    name: &'static str,
    uses: impl Fn(usize) -> bool,
    limit: u32,
    need: &str,
) {
    let placed: Vec<(usize, usize)> = ctx
        .placed_iter()
        .filter(|&(s, _, _)| uses(s))
        .map(|(s, _, t)| (s, t))
        .collect();
    for (t, slot) in ctx.p.slots.iter().enumerate() {
        let during: Vec<usize> = placed
            .iter()
            .filter(|&&(_, t2)| ctx.p.slots[t2].interval.overlaps(&slot.interval))
            .map(|&(s, _)| s)
            .collect();
        let n = during.len() as i64;
        if n > i64::from(limit) {
            out.push(penalty(
                name,
                n - i64::from(limit),
                during.iter().map(|&s| ctx.sid(s)).collect(),
                vec![],
                format!("at {}, {n} {need}; the meeting has {limit}", ctx.when(t)),
            ));
        }
    }
}
