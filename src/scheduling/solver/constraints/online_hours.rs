//! Online participants take part inside the outer band of their own local day
//! (07:00-22:00 by default); a hard rule unless the weights make it soft.

use super::{Constraint, Ctx, penalty};
use crate::scheduling::solver::model::minutes_outside;
use crate::scheduling::solver::problem::Weights;
use crate::scheduling::solver::score::Penalty;

/// Online people inside their outer band.
pub struct OnlineHours;

impl Constraint for OnlineHours {
    fn name(&self) -> &'static str {
        "online_hours"
    }
    fn hard(&self, w: &Weights) -> bool {
        w.outer_hours_hard
    }
    fn evaluate(&self, ctx: &Ctx<'_>, out: &mut Vec<Penalty>) {
        let w = &ctx.p.weights;
        for (s, _, _) in ctx.placed_iter() {
            let Some(iv) = ctx.interval(s) else { continue };
            let dur = (iv.end - iv.start).num_minutes();
            for pid in &ctx.p.sessions[s].people {
                let Some(&i) = ctx.person.get(pid.0.as_str()) else {
                    continue;
                };
                let who = &ctx.p.people[i];
                if !who.online {
                    continue;
                }
                let outside = minutes_outside(iv.start, dur, who.timezone, w.outer_hours);
                if outside > 0 {
                    let local = iv.start.with_timezone(&who.timezone).format("%H:%M");
                    let cost = if w.outer_hours_hard {
                        1
                    } else {
                        w.online_discomfort * 4 * ((outside + 59) / 60)
                    };
                    out.push(penalty(
                        self.name(),
                        cost,
                        vec![ctx.sid(s)],
                        vec![who.id.clone()],
                        format!(
                            "{} ({}, {}) would take part in {} at {local} local time",
                            who.name,
                            who.id,
                            who.timezone.name(),
                            ctx.sid(s)
                        ),
                    ));
                }
            }
        }
    }
}
