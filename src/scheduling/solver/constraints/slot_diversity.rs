//! Parallel sessions together should give voice to every stakeholder group, regional
//! group and gender present in the programme: each group absent from a busy slot costs
//! `slot_diversity`.

use std::collections::BTreeSet;

use crate::scheduling::solver::placement::Placement;
use crate::scheduling::solver::problem::Weights;
use crate::scheduling::solver::rule::{Ctx, Rule, penalty};
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

impl Rule for SlotDiversity {
    #[inline]
    fn delta(pl: &Placement<'_>, s: usize, t: usize) -> (i64, i64) {
        let m = pl.m;
        let w = m.weights.slot_diversity;
        if w == 0 || m.n_groups == 0 {
            return (0, 0);
        }
        let ng = m.n_groups;
        let mut newly = 0;
        let mut seen = smallset::Seen::default();
        for &g in &m.sessions[s].groups {
            if pl.group_count[t * ng + g] == 0 && seen.insert(g) {
                newly += 1;
            }
        }
        let before = if pl.in_slot[t].is_empty() {
            0
        } else {
            pl.missing[t]
        };
        let after = pl.missing[t] - newly;
        (0, w * (after - before))
    }

    const NAME: &'static str = "slot_diversity";
    fn hard(_: &Weights) -> bool {
        false
    }
    fn evaluate(ctx: &Ctx<'_>, out: &mut Vec<Penalty>) {
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
                    Self::NAME,
                    w * missing.len() as i64,
                    vec![],
                    vec![],
                    format!("nobody of {} speaks at {}", missing.join(", "), ctx.when(t)),
                ));
            }
        }
    }
}

/// A tiny set for the few groups of one session.
mod smallset {
    #[derive(Default)]
    pub struct Seen(Vec<usize>);
    impl Seen {
        pub fn insert(&mut self, g: usize) -> bool {
            if self.0.contains(&g) {
                false
            } else {
                self.0.push(g);
                true
            }
        }
    }
}
