//! Online participants should take part inside the comfortable band of their own local
//! day (09:00-18:00 by default): each started hour outside it costs `online_discomfort`.

use crate::scheduling::solver::model::minutes_outside;
use crate::scheduling::solver::problem::Weights;
use crate::scheduling::solver::rule::Build;
use crate::scheduling::solver::rule::{Ctx, Rule, penalty};
use crate::scheduling::solver::score::Penalty;

/// Online people at humane hours.
pub struct OnlineDiscomfort;

impl Rule for OnlineDiscomfort {
    fn static_cost(b: &Build<'_>, s: usize, t: usize) -> i64 {
        let w = &b.p.weights;
        if w.online_discomfort == 0 {
            return 0;
        }
        b.people[s]
            .iter()
            .map(|&i| &b.p.people[i])
            .filter(|person| b.p.sessions[s].online_here(person))
            .map(|person| {
                let out = minutes_outside(
                    b.p.slots[t].interval.start,
                    b.duration[s],
                    person.timezone,
                    w.comfortable_hours,
                );
                w.online_discomfort * ((out + 59) / 60)
            })
            .sum()
    }

    const NAME: &'static str = "online_discomfort";
    fn hard(_: &Weights) -> bool {
        false
    }
    fn evaluate(ctx: &Ctx<'_>, out: &mut Vec<Penalty>) {
        let w = &ctx.p.weights;
        if w.online_discomfort == 0 {
            return;
        }
        for (s, _, _) in ctx.placed_iter() {
            let Some(iv) = ctx.interval(s) else { continue };
            let dur = (iv.end - iv.start).num_minutes();
            let mut seen = vec![];
            for pid in &ctx.p.sessions[s].people {
                let Some(&i) = ctx.person.get(pid.0.as_str()) else {
                    continue;
                };
                let who = &ctx.p.people[i];
                if !ctx.p.sessions[s].online_here(who) || seen.contains(&i) {
                    continue;
                }
                seen.push(i);
                let outside = minutes_outside(iv.start, dur, who.timezone, w.comfortable_hours);
                if outside > 0 {
                    let hours = (outside + 59) / 60;
                    let (a, b) = (
                        iv.start.with_timezone(&who.timezone),
                        iv.end.with_timezone(&who.timezone),
                    );
                    out.push(penalty(
                        Self::NAME,
                        w.online_discomfort * hours,
                        vec![ctx.sid(s)],
                        vec![who.id.clone()],
                        format!(
                            "{} ({}, {}) would take part in {} at {}-{} local time, {outside} min outside {:02}:{:02}-{:02}:{:02}",
                            who.name,
                            who.id,
                            who.timezone.name(),
                            ctx.sid(s),
                            a.format("%H:%M"),
                            b.format("%H:%M"),
                            w.comfortable_hours.from_min / 60,
                            w.comfortable_hours.from_min % 60,
                            w.comfortable_hours.to_min / 60,
                            w.comfortable_hours.to_min % 60,
                        ),
                    ));
                }
            }
        }
    }
}
