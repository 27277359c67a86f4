//! A track stays in one room within a day where it can: each change of room between
//! consecutive sessions of one theme on one day costs `track_room_change`.

use std::collections::BTreeMap;

use crate::scheduling::solver::placement::RoomCx;
use crate::scheduling::solver::problem::Weights;
use crate::scheduling::solver::rule::{Ctx, Rule, penalty};
use crate::scheduling::solver::score::Penalty;

/// Tracks keep their room.
pub struct TrackRoomChange;

/// A track's session on a day: its start, the session and its room.
type Visit = (chrono::DateTime<chrono::Utc>, usize, usize);

impl Rule for TrackRoomChange {
    #[inline]
    fn room_cost(rc: &RoomCx<'_>, s: usize, r: usize) -> i64 {
        let m = rc.m;
        let w = m.weights.track_room_change;
        let Some(th) = m.sessions[s].theme else {
            return 0;
        };
        if w == 0 {
            return 0;
        }
        // The same-theme sessions of this day in time order: this session's neighbours
        // are the one before and the one after.
        let list = &rc.by_theme_day[m.slot_day[rc.slot[s]] * m.n_themes + th];
        let Some(i) = list.iter().position(|&x| x == s) else {
            return 0;
        };
        let mut c = 0;
        if i > 0 && rc.room[list[i - 1]] != r {
            c += w;
        }
        if i + 1 < list.len() && rc.room[list[i + 1]] != r {
            c += w;
        }
        c
    }

    const NAME: &'static str = "track_room_change";
    fn hard(_: &Weights) -> bool {
        false
    }
    fn evaluate(ctx: &Ctx<'_>, out: &mut Vec<Penalty>) {
        let w = ctx.p.weights.track_room_change;
        if w == 0 {
            return;
        }
        let mut tracks: BTreeMap<(chrono::NaiveDate, &str), Vec<Visit>> = BTreeMap::new();
        for (s, r, t) in ctx.placed_iter() {
            if let Some(th) = ctx.p.sessions[s].theme.as_deref() {
                let start = ctx.p.slots[t].interval.start;
                tracks
                    .entry((start.with_timezone(&ctx.p.venue_timezone).date_naive(), th))
                    .or_default()
                    .push((start, s, r));
            }
        }
        for ((day, th), mut list) in tracks {
            list.sort();
            for pair in list.windows(2) {
                let ((_, a, ra), (_, b, rb)) = (pair[0], pair[1]);
                if ra != rb {
                    out.push(penalty(
                        Self::NAME,
                        w,
                        vec![ctx.sid(a), ctx.sid(b)],
                        vec![],
                        format!(
                            "\"{th}\" moves from {} to {} between {} and {} on {day}",
                            ctx.p.rooms[ra].name,
                            ctx.p.rooms[rb].name,
                            ctx.sid(a),
                            ctx.sid(b)
                        ),
                    ));
                }
            }
        }
    }
}
