//! The rules a schedule is judged by, one file each, each a [`Rule`] that carries its
//! pruning, its incremental cost and its explanation. This file only lists them: the
//! [`rules!`] list below makes the functions the compiler, the search, the room phase
//! and the evaluation call, each a plain sequence of calls (no dynamic dispatch). A
//! new rule is a new file and a new line in the list.

use super::placement::{Placement, RoomCx};
use super::problem::*;
use super::rule::{Build, Ctx, Rule};
use super::score::{Evaluation, Penalty, RuleScore, Score};

mod availability;
mod booths;
mod captioners;
mod exclusive;
mod hybrid_room;
mod interpreters;
mod logistics;
mod moved_session;
mod online_channels;
mod online_discomfort;
mod online_hours;
mod person_overlap;
mod pinned;
mod room_capacity;
mod room_conflict;
pub mod room_fit;
pub mod slot_diversity;
mod slot_fit;
mod theme_clash;
mod theme_same_day;
mod track_room_change;
mod type_placement;
mod unplaced;

/// Declares the rules, hard ones first, and the dispatch over them.
macro_rules! rules {
    ($($rule:ty),+ $(,)?) => {
        /// Every rule's name, in evaluation order.
        pub const NAMES: &[&str] = &[$(<$rule as Rule>::NAME),+];

        /// Whether some rule forbids session `s` room `r` outright.
        pub fn forbids_room(b: &Build<'_>, s: usize, r: usize) -> bool {
            false $(|| <$rule as Rule>::forbids_room(b, s, r))+
        }

        /// Whether some rule closes room `r` during slot `t`.
        pub fn closes_room(b: &Build<'_>, r: usize, t: usize) -> bool {
            false $(|| <$rule as Rule>::closes_room(b, r, t))+
        }

        /// Every rule (by its place in [`NAMES`]) that forbids session `s` slot `t`.
        pub fn forbidding_slot(b: &Build<'_>, s: usize, t: usize) -> Vec<usize> {
            let mut found = vec![];
            let mut k = 0;
            $(
                if <$rule as Rule>::forbids_slot(b, s, t) {
                    found.push(k);
                }
                k += 1;
            )+
            let _ = k;
            found
        }

        /// Rule number `k`'s words for taking the slots `refused` from session `s`.
        pub fn refusal(k: usize, b: &Build<'_>, s: usize, refused: &[usize]) -> Vec<String> {
            let mut i = 0;
            $(
                if i == k {
                    return <$rule as Rule>::refusal(b, s, refused);
                }
                i += 1;
            )+
            let _ = i;
            vec![]
        }

        /// The soft cost of session `s` in slot `t` that depends on nothing else.
        pub fn static_cost(b: &Build<'_>, s: usize, t: usize) -> i64 {
            0 $(+ <$rule as Rule>::static_cost(b, s, t))+
        }

        /// Hard and soft cost of session `s` in slot `t` against the others placed.
        #[inline]
        pub fn delta(pl: &Placement<'_>, s: usize, t: usize) -> (i64, i64) {
            let (mut hard, mut soft) = (0, 0);
            $(
                let (h, c) = <$rule as Rule>::delta(pl, s, t);
                hard += h;
                soft += c;
            )+
            (hard, soft)
        }

        /// Room-level cost of session `s` in room `r`.
        pub fn room_cost(rc: &RoomCx<'_>, s: usize, r: usize) -> i64 {
            0 $(+ <$rule as Rule>::room_cost(rc, s, r))+
        }

        /// Evaluates a schedule under every rule.
        pub fn evaluate(p: &Problem, assignments: &[Assignment]) -> Evaluation {
            let ctx = Ctx::new(p, assignments);
            let mut penalties = vec![];
            let mut rules = vec![];
            let mut score = Score::default();
            $(
                tally::<$rule>(&ctx, &mut penalties, &mut rules, &mut score);
            )+
            Evaluation {
                score,
                rules,
                penalties,
                logistics: logistics::usage(&ctx),
            }
        }
    };
}

rules! {
    unplaced::Unplaced,
    room_conflict::RoomConflict,
    person_overlap::PersonOverlap,
    room_capacity::RoomCapacity,
    hybrid_room::HybridRoom,
    slot_fit::SlotFit,
    availability::Availability,
    type_placement::TypePlacement,
    booths::Booths,
    online_channels::OnlineChannels,
    captioners::Captioners,
    interpreters::Interpreters,
    online_hours::OnlineHours,
    exclusive::Exclusive,
    pinned::Pinned,
    theme_clash::ThemeClash,
    theme_same_day::ThemeSameDay,
    online_discomfort::OnlineDiscomfort,
    slot_diversity::SlotDiversity,
    room_fit::RoomFit,
    track_room_change::TrackRoomChange,
    moved_session::MovedSession,
}

/// Runs one rule's evaluation and adds its penalties to the score.
fn tally<R: Rule>(
    ctx: &Ctx<'_>,
    penalties: &mut Vec<Penalty>,
    rules: &mut Vec<RuleScore>,
    score: &mut Score,
) {
    let start = penalties.len();
    R::evaluate(ctx, penalties);
    let hard = R::hard(&ctx.p.weights);
    let new = &mut penalties[start..];
    for pen in new.iter_mut() {
        pen.hard = hard;
    }
    let cost: i64 = new.iter().map(|x| x.cost).sum();
    if hard {
        score.hard += cost;
    } else {
        score.soft += cost;
    }
    rules.push(RuleScore {
        constraint: R::NAME,
        hard,
        count: new.len(),
        cost,
    });
}
