//! A session keeps to the slots and rooms its type's placement rules leave it (Day 0,
//! the main days, a ceremony's place, the type's rooms).

use crate::scheduling::solver::problem::Weights;
use crate::scheduling::solver::rule::Build;
use crate::scheduling::solver::rule::{Ctx, Rule, penalty};
use crate::scheduling::solver::score::Penalty;

/// Sessions where their type allows.
pub struct TypePlacement;

impl Rule for TypePlacement {
    fn forbids_room(b: &Build<'_>, s: usize, r: usize) -> bool {
        b.allowed_rooms[s].as_ref().is_some_and(|ok| !ok[r])
    }
    fn forbids_slot(b: &Build<'_>, s: usize, t: usize) -> bool {
        b.allowed_slots[s].as_ref().is_some_and(|ok| !ok[t])
    }
    fn refusal(b: &Build<'_>, s: usize, refused: &[usize]) -> Vec<String> {
        let rule = b.p.sessions[s]
            .placement_rule
            .as_deref()
            .unwrap_or("its placement rules");
        vec![format!(
            "{rule}: {} slot(s) are outside that",
            refused.len()
        )]
    }

    const NAME: &'static str = "type_placement";
    fn hard(_: &Weights) -> bool {
        true
    }
    fn evaluate(ctx: &Ctx<'_>, out: &mut Vec<Penalty>) {
        for (s, r, t) in ctx.placed_iter() {
            let sess = &ctx.p.sessions[s];
            let (room, slot) = (&ctx.p.rooms[r], &ctx.p.slots[t]);
            let slot_out = sess
                .allowed_slots
                .as_ref()
                .is_some_and(|ok| !ok.contains(&slot.id));
            let room_out = sess
                .allowed_rooms
                .as_ref()
                .is_some_and(|ok| !ok.contains(&room.id));
            if slot_out || room_out {
                out.push(penalty(
                    Self::NAME,
                    1,
                    vec![sess.id.clone()],
                    vec![],
                    format!(
                        "{} is in {} at {}, but {}",
                        sess.id,
                        room.name,
                        slot.id,
                        sess.placement_rule
                            .as_deref()
                            .unwrap_or("its type's placement rules forbid it")
                    ),
                ));
            }
        }
    }
}
