//! An interpreted session is served by interpreter teams that cover all of its
//! languages; a team serves one session at a time, rests its break between two, and
//! works no more sessions and minutes a day than its limits.

use std::collections::BTreeMap;

use crate::scheduling::solver::model::hours_over;
use crate::scheduling::solver::placement::{NONE, Placement};
use crate::scheduling::solver::problem::{Weights, languages};
use crate::scheduling::solver::rule::{Ctx, Rule, penalty};
use crate::scheduling::solver::score::Penalty;

/// Interpreter teams that cover, are free, and keep their limits.
pub struct Interpreters;

impl Rule for Interpreters {
    #[inline]
    fn delta(pl: &Placement<'_>, s: usize, t: usize) -> (i64, i64) {
        let o = pl.team_choice[s];
        if o == NONE {
            return (0, 0);
        }
        (pl.team_excess(s, t, o), 0)
    }

    const NAME: &'static str = "interpreter_teams";
    fn hard(_: &Weights) -> bool {
        true
    }
    fn evaluate(ctx: &Ctx<'_>, out: &mut Vec<Penalty>) {
        let teams = &ctx.p.logistics.interpreter_teams;
        if teams.is_empty() {
            return;
        }
        let name = |k: usize| {
            if teams[k].name.is_empty() {
                teams[k].id.clone()
            } else {
                teams[k].name.clone()
            }
        };
        let mut by_team_day: BTreeMap<(usize, chrono::NaiveDate), Vec<usize>> = BTreeMap::new();
        let placed: Vec<(usize, usize)> = ctx.placed_iter().map(|(s, _, t)| (s, t)).collect();
        for &(s, t) in &placed {
            let sess = &ctx.p.sessions[s];
            if sess.interpretation.is_empty() {
                continue;
            }
            let mine = &ctx.teams[s];
            let uncovered: Vec<&String> = sess
                .interpretation
                .iter()
                .filter(|l| !mine.iter().any(|&k| teams[k].languages.contains(l)))
                .collect();
            if !uncovered.is_empty() {
                out.push(penalty(
                    Self::NAME,
                    1,
                    vec![sess.id.clone()],
                    vec![],
                    format!(
                        "{} is interpreted into {}, but no team of it interprets {}",
                        sess.id,
                        languages(&sess.interpretation),
                        languages(&uncovered)
                    ),
                ));
            }
            let day = ctx.p.slots[t]
                .interval
                .start
                .with_timezone(&ctx.p.venue_timezone)
                .date_naive();
            for &k in mine {
                by_team_day.entry((k, day)).or_default().push(s);
            }
        }
        // A team in two sessions that run at once, or without its break between them.
        for (k, team) in teams.iter().enumerate() {
            let rest = i64::from(team.min_break_min.unwrap_or(0));
            let serves: Vec<(usize, usize)> = placed
                .iter()
                .copied()
                .filter(|&(s, _)| ctx.teams[s].contains(&k))
                .collect();
            for (i, &(a, ta)) in serves.iter().enumerate() {
                for &(b, tb) in &serves[i + 1..] {
                    let (ia, ib) = (&ctx.p.slots[ta].interval, &ctx.p.slots[tb].interval);
                    let gap = (ib.start - ia.end)
                        .num_minutes()
                        .max((ia.start - ib.end).num_minutes());
                    let why = if ia.overlaps(ib) {
                        format!(
                            "{} would interpret {} and {} at the same time, at {}",
                            name(k),
                            ctx.sid(a),
                            ctx.sid(b),
                            ctx.when(ta)
                        )
                    } else if gap < rest {
                        format!(
                            "{} would interpret {} at {} and {} at {}, {gap} min apart, less \
                             than its {rest}-min break",
                            name(k),
                            ctx.sid(a),
                            ctx.when(ta),
                            ctx.sid(b),
                            ctx.when(tb)
                        )
                    } else {
                        continue;
                    };
                    out.push(penalty(
                        Self::NAME,
                        1,
                        vec![ctx.sid(a), ctx.sid(b)],
                        vec![],
                        why,
                    ));
                }
            }
        }
        for ((k, day), sessions) in by_team_day {
            let minutes: i64 = sessions
                .iter()
                .map(|&s| i64::from(ctx.p.sessions[s].duration_min))
                .sum();
            if let Some(max) = teams[k].max_minutes_per_day {
                let over = hours_over(minutes, i64::from(max));
                if over > 0 {
                    out.push(penalty(
                        Self::NAME,
                        over,
                        sessions.iter().map(|&s| ctx.sid(s)).collect(),
                        vec![],
                        format!(
                            "{} would interpret {minutes} min on {}, more than its {max} min a day",
                            name(k),
                            day.format("%a %d %b"),
                        ),
                    ));
                }
            }
            if let Some(max) = teams[k].max_sessions_per_day
                && sessions.len() as u32 > max
            {
                out.push(penalty(
                    Self::NAME,
                    i64::from(sessions.len() as u32 - max),
                    sessions.iter().map(|&s| ctx.sid(s)).collect(),
                    vec![],
                    format!(
                        "{} would serve {} sessions on {}, more than its {max} a day",
                        name(k),
                        sessions.len(),
                        day.format("%a %d %b")
                    ),
                ));
            }
        }
    }
}
