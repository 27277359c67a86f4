//! The last step of a search: a session whose needs the meeting cannot serve where the
//! search left it (its interpreter teams over their day, more hybrid or captioned
//! sessions at once than channels or captioners) is left out with the reason in words,
//! so that the rest of the schedule keeps every limit. One session at a time, the one
//! whose leaving mends the most; among equals the least central (a ceremony last, then
//! the one interpreted into fewer languages, then the smaller audience); pinned
//! sessions stay. A session is left out only when that mends at least one violation, so the
//! schedule's hard count never grows.

use std::collections::BTreeSet;

use super::constraints;
use super::problem::{Assignment, Problem, SessionId, languages};
use super::score::Penalty;

/// The rules a session is left out for: limits on what the meeting has.
const LIMITS: [&str; 3] = ["interpreter_teams", "online_channels", "captioners"];

/// The violations of the limits, counted.
fn broken(p: &Problem, assignments: &[Assignment]) -> (i64, Vec<Penalty>) {
    let ev = constraints::evaluate(p, assignments);
    let limits: Vec<Penalty> = ev
        .penalties
        .into_iter()
        .filter(|x| x.hard && LIMITS.contains(&x.constraint))
        .collect();
    (limits.iter().map(|x| x.cost).sum(), limits)
}

/// What a session needs of what a rule limits, in words.
fn needs(p: &Problem, s: &SessionId, rule: &str) -> String {
    match rule {
        "interpreter_teams" => p
            .sessions
            .iter()
            .find(|x| &x.id == s)
            .map(|x| format!("interpretation into {}", languages(&x.interpretation)))
            .unwrap_or_default(),
        "online_channels" => "an online channel".to_string(),
        _ => "a captioner".to_string(),
    }
}

/// Leaves out, one by one, the sessions whose needs break the meeting's limits where
/// they stand; answers each with its reasons.
pub(super) fn shed(
    p: &Problem,
    assignments: &mut Vec<Assignment>,
) -> Vec<(SessionId, Vec<String>)> {
    let pinned: BTreeSet<&SessionId> = p.pins.iter().map(|x| &x.session).collect();
    let mut out = vec![];
    let (mut cost, mut penalties) = broken(p, assignments);
    while cost > 0 {
        let candidates: BTreeSet<SessionId> = penalties
            .iter()
            .flat_map(|x| x.sessions.iter().cloned())
            .filter(|s| !pinned.contains(s))
            .collect();
        // (mended, how central, position) of the best candidate.
        let mut best: Option<(i64, (bool, usize, u32), usize)> = None;
        for s in &candidates {
            let Some(i) = assignments.iter().position(|a| &a.session == s) else {
                continue;
            };
            let taken = assignments.remove(i);
            let (after, _) = broken(p, assignments);
            assignments.insert(i, taken);
            let mended = cost - after;
            let central = p
                .sessions
                .iter()
                .find(|x| &x.id == s)
                .map_or((false, 0, 0), |x| {
                    (x.exclusive, x.interpretation.len(), x.attendance)
                });
            if mended > 0 && best.is_none_or(|(m, c, _)| mended > m || (mended == m && central < c))
            {
                best = Some((mended, central, i));
            }
        }
        let Some((_, _, i)) = best else { break };
        let gone = assignments.remove(i);
        let reasons = penalties
            .iter()
            .filter(|x| x.sessions.contains(&gone.session))
            .map(|x| {
                format!(
                    "it needs {}, and with it in the schedule {}",
                    needs(p, &gone.session, x.constraint),
                    x.reason
                )
            })
            .collect();
        out.push((gone.session, reasons));
        (cost, penalties) = broken(p, assignments);
    }
    out
}
