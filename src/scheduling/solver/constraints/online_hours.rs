//! Online participants take part inside the outer band of their own local day
//! (07:00-22:00 by default); a hard rule unless the weights make it soft.

use crate::scheduling::solver::model::minutes_outside;
use crate::scheduling::solver::problem::Weights;
use crate::scheduling::solver::rule::Build;
use crate::scheduling::solver::rule::{Ctx, Rule, penalty};
use crate::scheduling::solver::score::Penalty;

/// Online people inside their outer band.
pub struct OnlineHours;

impl Rule for OnlineHours {
    fn forbids_slot(b: &Build<'_>, s: usize, t: usize) -> bool {
        let w = &b.p.weights;
        w.outer_hours_hard
            && b.people[s].iter().any(|&i| {
                let person = &b.p.people[i];
                b.p.sessions[s].online_here(person)
                    && minutes_outside(
                        b.p.slots[t].interval.start,
                        b.duration[s],
                        person.timezone,
                        w.outer_hours,
                    ) > 0
            })
    }
    fn refusal(b: &Build<'_>, s: usize, refused: &[usize]) -> Vec<String> {
        let w = &b.p.weights;
        let hhmm = |m: u32| format!("{:02}:{:02}", m / 60, m % 60);
        let mut out = vec![];
        for &i in &b.people[s] {
            let person = &b.p.people[i];
            if !b.p.sessions[s].online_here(person) {
                continue;
            }
            let starts: Vec<chrono::DateTime<chrono::Utc>> = refused
                .iter()
                .map(|&t| b.p.slots[t].interval.start)
                .filter(|&start| {
                    minutes_outside(start, b.duration[s], person.timezone, w.outer_hours) > 0
                })
                .collect();
            if starts.is_empty() {
                continue;
            }
            let (from, to) = local_span(&starts, person.timezone);
            out.push(format!(
                "{} ({}), online in {}: {} slot(s) of {} min fall outside {}-{} their time; \
                 they start between {from} and {to} there",
                person.name,
                person.id,
                person.timezone.name(),
                starts.len(),
                b.duration[s],
                hhmm(w.outer_hours.from_min),
                hhmm(w.outer_hours.to_min),
            ));
        }
        out
    }
    fn static_cost(b: &Build<'_>, s: usize, t: usize) -> i64 {
        let w = &b.p.weights;
        // Soft, the band costs four times the discomfort per hour outside it; the cost
        // is part of the online discomfort, so it is off when that weight is zero.
        if w.outer_hours_hard || w.online_discomfort == 0 {
            return 0;
        }
        b.people[s]
            .iter()
            .map(|&i| &b.p.people[i])
            .filter(|person| b.p.sessions[s].online_here(person))
            .map(|person| {
                let far = minutes_outside(
                    b.p.slots[t].interval.start,
                    b.duration[s],
                    person.timezone,
                    w.outer_hours,
                );
                w.online_discomfort * 4 * ((far + 59) / 60)
            })
            .sum()
    }

    const NAME: &'static str = "online_hours";
    fn hard(w: &Weights) -> bool {
        w.outer_hours_hard
    }
    fn evaluate(ctx: &Ctx<'_>, out: &mut Vec<Penalty>) {
        let w = &ctx.p.weights;
        for (s, _, _) in ctx.placed_iter() {
            let Some(iv) = ctx.interval(s) else { continue };
            let dur = (iv.end - iv.start).num_minutes();
            for pid in &ctx.p.sessions[s].people {
                let Some(&i) = ctx.person.get(pid.0.as_str()) else {
                    continue;
                };
                let who = &ctx.p.people[i];
                if !ctx.p.sessions[s].online_here(who) {
                    continue;
                }
                let outside = minutes_outside(iv.start, dur, who.timezone, w.outer_hours);
                if outside > 0 {
                    let local = iv.start.with_timezone(&who.timezone).format("%H:%M");
                    let cost = if w.outer_hours_hard {
                        1
                    } else {
                        w.online_discomfort * 4 * ((outside + 59) / 60)
                    };
                    out.push(penalty(
                        Self::NAME,
                        cost,
                        vec![ctx.sid(s)],
                        vec![who.id.clone()],
                        format!(
                            "{} ({}, {}) would take part in {} at {local} local time",
                            who.name,
                            who.id,
                            who.timezone.name(),
                            ctx.sid(s)
                        ),
                    ));
                }
            }
        }
    }
}

/// The earliest and latest local start time of `starts` in `zone`, read around the
/// clock: the span leaves out the longest stretch of the day without a start, so that
/// starts from 21:15 to 05:45 read as "21:15 and 05:45", not "00:15 and 23:45".
fn local_span(starts: &[chrono::DateTime<chrono::Utc>], zone: chrono_tz::Tz) -> (String, String) {
    use chrono::Timelike;
    let mut mins: Vec<u32> = starts
        .iter()
        .map(|t| {
            let l = t.with_timezone(&zone);
            l.hour() * 60 + l.minute()
        })
        .collect();
    mins.sort_unstable();
    mins.dedup();
    let n = mins.len();
    // The gap after each start, the last one wrapping past midnight to the first.
    let gap = |k: usize| (mins[(k + 1) % n] + 1440 - mins[k]) % 1440;
    let widest = (0..n).max_by_key(|&k| (gap(k), k)).unwrap_or(0);
    let (first, last) = (mins[(widest + 1) % n], mins[widest]);
    let hhmm = |m: u32| format!("{:02}:{:02}", m / 60, m % 60);
    (hhmm(first), hhmm(last))
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{TimeZone, Utc};

    #[test]
    fn a_span_of_local_starts_reads_around_midnight() {
        let at = |h, m| Utc.with_ymd_and_hms(2027, 6, 22, h, m, 0).unwrap();
        // 21:15, 23:00, 01:30 and 05:45 in UTC, read in UTC.
        let starts = [at(21, 15), at(23, 0), at(1, 30), at(5, 45)];
        assert_eq!(
            local_span(&starts, chrono_tz::UTC),
            ("21:15".to_string(), "05:45".to_string())
        );
        // The same instants in Kathmandu (+05:45): 03:00, 04:45, 07:15 and 11:30.
        assert_eq!(
            local_span(&starts, chrono_tz::Asia::Kathmandu),
            ("03:00".to_string(), "11:30".to_string())
        );
    }
}
