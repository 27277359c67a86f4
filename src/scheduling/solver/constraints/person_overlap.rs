//! Nobody (speaker, moderator, organiser) is in two sessions whose real time intervals
//! overlap; sessions of different lengths are compared by their own start and end.

use super::{Constraint, Ctx, penalty};
use crate::scheduling::solver::problem::Weights;
use crate::scheduling::solver::score::Penalty;

/// Nobody double-booked.
pub struct PersonOverlap;

impl Constraint for PersonOverlap {
    fn name(&self) -> &'static str {
        "person_overlap"
    }
    fn hard(&self, _: &Weights) -> bool {
        true
    }
    fn evaluate(&self, ctx: &Ctx<'_>, out: &mut Vec<Penalty>) {
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
                            self.name(),
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
