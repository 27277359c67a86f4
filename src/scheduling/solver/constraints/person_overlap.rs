//! Nobody (speaker, moderator, organiser) is in two sessions whose real time intervals
//! overlap; sessions of different lengths are compared by their own start and end.

use crate::scheduling::solver::placement::{NONE, Placement};
use crate::scheduling::solver::problem::Weights;
use crate::scheduling::solver::rule::{Ctx, Rule, penalty};
use crate::scheduling::solver::score::Penalty;

/// Nobody double-booked.
pub struct PersonOverlap;

impl Rule for PersonOverlap {
    #[inline]
    fn delta(pl: &Placement<'_>, s: usize, t: usize) -> (i64, i64) {
        let m = pl.m;
        let mut hard = 0;
        for &p in &m.sessions[s].people {
            for &o in &m.person_sessions[p] {
                if o != s && pl.slot[o] != NONE && m.sessions_overlap(s, t, o, pl.slot[o]) {
                    hard += 1;
                }
            }
        }
        (hard, 0)
    }

    const NAME: &'static str = "person_overlap";
    fn hard(_: &Weights) -> bool {
        true
    }
    fn evaluate(ctx: &Ctx<'_>, out: &mut Vec<Penalty>) {
        let mut by_person: Vec<Vec<usize>> = vec![vec![]; ctx.p.people.len()];
        for (s, _, _) in ctx.placed_iter() {
            let mut seen = vec![];
            for pid in &ctx.p.sessions[s].people {
                if let Some(&i) = ctx.person.get(pid.0.as_str())
                    && !seen.contains(&i)
                {
                    seen.push(i);
                    by_person[i].push(s);
                }
            }
        }
        for (i, list) in by_person.iter().enumerate() {
            for (k, &a) in list.iter().enumerate() {
                for &b in &list[k + 1..] {
                    let (Some(ia), Some(ib)) = (ctx.interval(a), ctx.interval(b)) else {
                        continue;
                    };
                    if ia.overlaps(&ib) {
                        let who = &ctx.p.people[i];
                        out.push(penalty(
                            Self::NAME,
                            1,
                            vec![ctx.sid(a), ctx.sid(b)],
                            vec![who.id.clone()],
                            format!(
                                "{} ({}) would be in {} and {} at the same time",
                                who.name,
                                who.id,
                                ctx.sid(a),
                                ctx.sid(b)
                            ),
                        ));
                    }
                }
            }
        }
    }
}
