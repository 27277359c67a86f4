//! People take part only when they are available, and rooms are used only when open.

use crate::scheduling::solver::problem::Weights;
use crate::scheduling::solver::rule::Build;
use crate::scheduling::solver::rule::{Ctx, Rule, penalty};
use crate::scheduling::solver::score::Penalty;

/// People available, rooms open.
pub struct Availability;

impl Rule for Availability {
    fn closes_room(b: &Build<'_>, r: usize, t: usize) -> bool {
        let slot = &b.p.slots[t].interval;
        b.p.rooms[r].closed.iter().any(|c| c.overlaps(slot))
    }
    fn forbids_slot(b: &Build<'_>, s: usize, t: usize) -> bool {
        let iv = b.interval(s, t);
        b.people[s].iter().any(|&i| {
            b.p.people[i].unavailable.iter().any(|u| u.overlaps(&iv))
                || b.available[i].as_ref().is_some_and(|v| !v[t])
        })
    }
    fn refusal(b: &Build<'_>, s: usize, refused: &[usize]) -> Vec<String> {
        let venue = b.p.venue_timezone;
        let when = |t: chrono::DateTime<chrono::Utc>| {
            t.with_timezone(&venue).format("%a %d %b %H:%M").to_string()
        };
        let mut out = vec![];
        for &i in &b.people[s] {
            let person = &b.p.people[i];
            let n = refused
                .iter()
                .filter(|&&t| {
                    let iv = b.interval(s, t);
                    person.unavailable.iter().any(|u| u.overlaps(&iv))
                        || b.available[i].as_ref().is_some_and(|v| !v[t])
                })
                .count();
            if n == 0 {
                continue;
            }
            let mut why: Vec<String> = person
                .unavailable
                .iter()
                .map(|u| format!("away from {} to {}", when(u.start), when(u.end)))
                .collect();
            if b.available[i].is_some() {
                why.push("takes part only in the slots they listed".into());
            }
            out.push(format!(
                "{} ({}) cannot take part in {n} of the slots ({}; {} time)",
                person.name,
                person.id,
                why.join(", "),
                venue.name()
            ));
        }
        out
    }

    const NAME: &'static str = "availability";
    fn hard(_: &Weights) -> bool {
        true
    }
    fn evaluate(ctx: &Ctx<'_>, out: &mut Vec<Penalty>) {
        for (s, r, t) in ctx.placed_iter() {
            let Some(iv) = ctx.interval(s) else { continue };
            let slot = &ctx.p.slots[t];
            for pid in &ctx.p.sessions[s].people {
                let Some(&i) = ctx.person.get(pid.0.as_str()) else {
                    continue;
                };
                let who = &ctx.p.people[i];
                let away = who.unavailable.iter().any(|u| u.overlaps(&iv))
                    || who
                        .available_slots
                        .as_ref()
                        .is_some_and(|l| !l.contains(&slot.id));
                if away {
                    out.push(penalty(
                        Self::NAME,
                        1,
                        vec![ctx.sid(s)],
                        vec![who.id.clone()],
                        format!(
                            "{} ({}) is not available at {} for {}",
                            who.name,
                            who.id,
                            ctx.when(t),
                            ctx.sid(s)
                        ),
                    ));
                }
            }
            let room = &ctx.p.rooms[r];
            if room.closed.iter().any(|c| c.overlaps(&slot.interval)) {
                out.push(penalty(
                    Self::NAME,
                    1,
                    vec![ctx.sid(s)],
                    vec![],
                    format!(
                        "{} is closed at {} but holds {}",
                        room.name,
                        ctx.when(t),
                        ctx.sid(s)
                    ),
                ));
            }
        }
    }
}
