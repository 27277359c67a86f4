//! A room holds one session at a time: two sessions in one room may not be in slots
//! that overlap.

use crate::scheduling::solver::problem::Weights;
use crate::scheduling::solver::rule::{Ctx, Rule, penalty};
use crate::scheduling::solver::score::Penalty;

/// No room double-booked.
pub struct RoomConflict;

impl Rule for RoomConflict {
    const NAME: &'static str = "room_conflict";
    fn hard(_: &Weights) -> bool {
        true
    }
    fn evaluate(ctx: &Ctx<'_>, out: &mut Vec<Penalty>) {
        let mut by_room: Vec<Vec<(usize, usize)>> = vec![vec![]; ctx.p.rooms.len()];
        for (s, r, t) in ctx.placed_iter() {
            by_room[r].push((s, t));
        }
        for (r, list) in by_room.iter().enumerate() {
            for (i, &(a, ta)) in list.iter().enumerate() {
                for &(b, tb) in &list[i + 1..] {
                    if ctx.p.slots[ta].interval.overlaps(&ctx.p.slots[tb].interval) {
                        out.push(penalty(
                            Self::NAME,
                            1,
                            vec![ctx.sid(a), ctx.sid(b)],
                            vec![],
                            format!(
                                "{} and {} are both in {} at {}",
                                ctx.sid(a),
                                ctx.sid(b),
                                ctx.p.rooms[r].name,
                                ctx.when(ta)
                            ),
                        ));
                    }
                }
            }
        }
    }
}
