//! A theme's sessions spread over the days: each pair of same-theme sessions on one
//! venue-local day costs `theme_same_day`.

use crate::scheduling::solver::placement::Placement;
use crate::scheduling::solver::problem::Weights;
use crate::scheduling::solver::rule::{Ctx, Rule, penalty};
use crate::scheduling::solver::score::Penalty;

/// Themes spread over the days.
pub struct ThemeSameDay;

impl Rule for ThemeSameDay {
    #[inline]
    fn delta(pl: &Placement<'_>, s: usize, t: usize) -> (i64, i64) {
        let m = pl.m;
        let w = m.weights.theme_same_day;
        match m.sessions[s].theme {
            Some(th) if w != 0 => (0, w * pl.day_theme[m.slot_day[t] * m.n_themes + th]),
            _ => (0, 0),
        }
    }

    const NAME: &'static str = "theme_same_day";
    fn hard(_: &Weights) -> bool {
        false
    }
    fn evaluate(ctx: &Ctx<'_>, out: &mut Vec<Penalty>) {
        let w = ctx.p.weights.theme_same_day;
        if w == 0 {
            return;
        }
        let mut groups: std::collections::BTreeMap<(chrono::NaiveDate, &str), Vec<usize>> =
            Default::default();
        for (s, _, t) in ctx.placed_iter() {
            if let Some(th) = ctx.p.sessions[s].theme.as_deref() {
                let day = ctx.p.slots[t]
                    .interval
                    .start
                    .with_timezone(&ctx.p.venue_timezone)
                    .date_naive();
                groups.entry((day, th)).or_default().push(s);
            }
        }
        for ((day, th), list) in groups {
            let n = list.len() as i64;
            if n > 1 {
                out.push(penalty(
                    Self::NAME,
                    w * n * (n - 1) / 2,
                    list.iter().map(|&s| ctx.sid(s)).collect(),
                    vec![],
                    format!("{n} sessions on \"{th}\" fall on {day}"),
                ));
            }
        }
    }
}
