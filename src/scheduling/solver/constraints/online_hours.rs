//! Online participants take part inside the outer band of their own local day
//! (07:00-22:00 by default); a hard rule unless the weights make it soft.

use crate::scheduling::solver::model::minutes_outside;
use crate::scheduling::solver::problem::Weights;
use crate::scheduling::solver::rule::Build;
use crate::scheduling::solver::rule::{Ctx, Rule, penalty};
use crate::scheduling::solver::score::Penalty;

/// Online people inside their outer band.
pub struct OnlineHours;

impl Rule for OnlineHours {
    fn forbids_slot(b: &Build<'_>, s: usize, t: usize) -> bool {
        let w = &b.p.weights;
        w.outer_hours_hard
            && b.people[s].iter().any(|&i| {
                let person = &b.p.people[i];
                person.online
                    && minutes_outside(
                        b.p.slots[t].interval.start,
                        b.duration[s],
                        person.timezone,
                        w.outer_hours,
                    ) > 0
            })
    }
    fn refusal(_b: &Build<'_>, _s: usize, n: usize) -> String {
        format!("{n} slot(s) fall outside an online person's local hours")
    }
    fn static_cost(b: &Build<'_>, s: usize, t: usize) -> i64 {
        let w = &b.p.weights;
        // Soft, the band costs four times the discomfort per hour outside it; the cost
        // is part of the online discomfort, so it is off when that weight is zero.
        if w.outer_hours_hard || w.online_discomfort == 0 {
            return 0;
        }
        b.people[s]
            .iter()
            .map(|&i| &b.p.people[i])
            .filter(|person| person.online)
            .map(|person| {
                let far = minutes_outside(
                    b.p.slots[t].interval.start,
                    b.duration[s],
                    person.timezone,
                    w.outer_hours,
                );
                w.online_discomfort * 4 * ((far + 59) / 60)
            })
            .sum()
    }

    const NAME: &'static str = "online_hours";
    fn hard(w: &Weights) -> bool {
        w.outer_hours_hard
    }
    fn evaluate(ctx: &Ctx<'_>, out: &mut Vec<Penalty>) {
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
                        Self::NAME,
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
