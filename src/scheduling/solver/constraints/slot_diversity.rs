//! Parallel sessions together should give voice to every stakeholder group, regional
//! group and gender present in the programme: each group absent from a busy slot costs
//! `slot_diversity`.

use std::collections::BTreeSet;

use super::{Constraint, Ctx, penalty};
use crate::scheduling::solver::problem::Weights;
use crate::scheduling::solver::score::Penalty;

/// Balanced time slots.
pub struct SlotDiversity;

/// The groups `(dimension, value)` of the programme's people.
pub fn groups_of(p: &crate::scheduling::solver::problem::Person) -> Vec<(&'static str, &str)> {
    [
        ("stakeholder", &p.stakeholder_group),
        ("region", &p.regional_group),
        ("gender", &p.gender),
    ]
    .into_iter()
    .filter_map(|(d, v)| {
        v.as_deref()
            .filter(|v| !v.is_empty() && *v != "undisclosed")
            .map(|v| (d, v))
    })
    .collect()
}

impl Constraint for SlotDiversity {
    fn name(&self) -> &'static str {
        "slot_diversity"
    }
    fn hard(&self, _: &Weights) -> bool {
        false
    }
    fn evaluate(&self, ctx: &Ctx<'_>, out: &mut Vec<Penalty>) {
        let w = ctx.p.weights.slot_diversity;
        if w == 0 {
            return;
        }
        let all: BTreeSet<(&str, &str)> = ctx.p.people.iter().flat_map(groups_of).collect();
        let mut present: Vec<Option<BTreeSet<(&str, &str)>>> = vec![None; ctx.p.slots.len()];
        for (s, _, t) in ctx.placed_iter() {
            let set = present[t].get_or_insert_with(BTreeSet::new);
            for pid in &ctx.p.sessions[s].people {
                if let Some(&i) = ctx.person.get(pid.0.as_str()) {
                    set.extend(groups_of(&ctx.p.people[i]));
                }
            }
        }
        for (t, set) in present.iter().enumerate() {
            let Some(set) = set else { continue };
            let missing: Vec<String> = all
                .difference(set)
                .map(|(d, v)| format!("{d} {v}"))
                .collect();
            if !missing.is_empty() {
                out.push(penalty(
                    self.name(),
                    w * missing.len() as i64,
                    vec![],
                    vec![],
                    format!("nobody of {} speaks at {}", missing.join(", "), ctx.when(t)),
                ));
            }
        }
    }
}
