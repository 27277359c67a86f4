//! An interpreted session is in a room with an interpretation booth for each of its
//! languages.

use crate::scheduling::solver::problem::{Problem, Weights, languages};
use crate::scheduling::solver::rule::Build;
use crate::scheduling::solver::rule::{Ctx, Rule, penalty};
use crate::scheduling::solver::score::Penalty;

/// Booths for every language interpreted.
pub struct Booths;

/// The languages of session `s` that room `r` has no booth for.
fn lacking(p: &Problem, s: usize, r: usize) -> Vec<&String> {
    p.sessions[s]
        .interpretation
        .iter()
        .filter(|l| !p.rooms[r].booths.contains(l))
        .collect()
}

impl Rule for Booths {
    fn forbids_room(b: &Build<'_>, s: usize, r: usize) -> bool {
        !lacking(b.p, s, r).is_empty()
    }

    const NAME: &'static str = "interpretation_booths";
    fn hard(_: &Weights) -> bool {
        true
    }
    fn evaluate(ctx: &Ctx<'_>, out: &mut Vec<Penalty>) {
        for (s, r, _) in ctx.placed_iter() {
            let missing = lacking(ctx.p, s, r);
            if !missing.is_empty() {
                let sess = &ctx.p.sessions[s];
                out.push(penalty(
                    Self::NAME,
                    1,
                    vec![sess.id.clone()],
                    vec![],
                    format!(
                        "{} is interpreted into {}, but {} has no booth for {}",
                        sess.id,
                        languages(&sess.interpretation),
                        ctx.p.rooms[r].name,
                        languages(&missing)
                    ),
                ));
            }
        }
    }
}
