//! A feasibility checker written apart from the solver: it reads only the problem's
//! plain data and the assignments, and recomputes every hard rule its own way (local
//! wall-clock hours through chrono-tz, intervals by start and end).

use std::collections::HashMap;

use chrono::{Duration, Timelike};
use igf_scheduler::scheduling::solver::{Assignment, Problem};

/// Hard violations by rule.
pub fn hard_violations(p: &Problem, sol: &[Assignment]) -> HashMap<&'static str, usize> {
    let mut v: HashMap<&'static str, usize> = HashMap::new();
    let sessions: HashMap<&str, usize> = p
        .sessions
        .iter()
        .enumerate()
        .map(|(i, s)| (s.id.0.as_str(), i))
        .collect();
    let rooms: HashMap<&str, usize> = p
        .rooms
        .iter()
        .enumerate()
        .map(|(i, s)| (s.id.0.as_str(), i))
        .collect();
    let slots: HashMap<&str, usize> = p
        .slots
        .iter()
        .enumerate()
        .map(|(i, s)| (s.id.0.as_str(), i))
        .collect();
    let people: HashMap<&str, usize> = p
        .people
        .iter()
        .enumerate()
        .map(|(i, s)| (s.id.0.as_str(), i))
        .collect();
    let mut place: Vec<Option<(usize, usize)>> = vec![None; p.sessions.len()];
    for a in sol {
        let (s, r, t) = (
            sessions[a.session.0.as_str()],
            rooms[a.room.0.as_str()],
            slots[a.slot.0.as_str()],
        );
        if place[s].is_some() {
            *v.entry("placed twice").or_default() += 1;
        }
        place[s] = Some((r, t));
    }
    let span = |s: usize| {
        let (_, t) = place[s].unwrap();
        let start = p.slots[t].interval.start;
        (
            start,
            start + Duration::minutes(p.sessions[s].duration_min as i64),
        )
    };
    for (s, at) in place.iter().enumerate() {
        let Some((r, t)) = *at else {
            *v.entry("unplaced").or_default() += 1;
            continue;
        };
        let (sess, room, slot) = (&p.sessions[s], &p.rooms[r], &p.slots[t]);
        let (start, end) = span(s);
        if room.capacity < sess.attendance {
            *v.entry("capacity").or_default() += 1;
        }
        if sess.needs_hybrid && !room.hybrid {
            *v.entry("hybrid").or_default() += 1;
        }
        if end > slot.interval.end {
            *v.entry("slot too short").or_default() += 1;
        }
        if room
            .closed
            .iter()
            .any(|c| c.start < slot.interval.end && slot.interval.start < c.end)
        {
            *v.entry("room closed").or_default() += 1;
        }
        for pid in &sess.people {
            let person = &p.people[people[pid.0.as_str()]];
            if person
                .unavailable
                .iter()
                .any(|u| u.start < end && start < u.end)
            {
                *v.entry("person unavailable").or_default() += 1;
            }
            if let Some(list) = &person.available_slots
                && !list.contains(&slot.id)
            {
                *v.entry("person unavailable").or_default() += 1;
            }
            let online = match &sess.online {
                Some(ids) => ids.contains(pid),
                None => person.online,
            };
            if online && p.weights.outer_hours_hard {
                let (ls, le) = (
                    start.with_timezone(&person.timezone),
                    end.with_timezone(&person.timezone),
                );
                let from = p.weights.outer_hours.from_min;
                let to = p.weights.outer_hours.to_min;
                let ls_min = ls.hour() * 60 + ls.minute();
                let le_min = le.hour() * 60 + le.minute();
                if ls.date_naive() != le.date_naive() || ls_min < from || le_min > to {
                    *v.entry("online outside outer hours").or_default() += 1;
                }
            }
        }
        if sess
            .allowed_slots
            .as_ref()
            .is_some_and(|ok| !ok.contains(&slot.id))
        {
            *v.entry("slot not allowed for its type").or_default() += 1;
        }
        if sess
            .allowed_rooms
            .as_ref()
            .is_some_and(|ok| !ok.contains(&room.id))
        {
            *v.entry("room not allowed for its type").or_default() += 1;
        }
        if let Some(pin) = p.pins.iter().find(|x| x.session == sess.id)
            && (pin.room != room.id || pin.slot != slot.id)
        {
            *v.entry("pin moved").or_default() += 1;
        }
    }
    for a in 0..p.sessions.len() {
        for b in a + 1..p.sessions.len() {
            let (Some((ra, ta)), Some((rb, tb))) = (place[a], place[b]) else {
                continue;
            };
            let (sa, sb) = (&p.sessions[a], &p.sessions[b]);
            let (ia, ib) = (span(a), span(b));
            let overlap = ia.0 < ib.1 && ib.0 < ia.1;
            let (slot_a, slot_b) = (&p.slots[ta].interval, &p.slots[tb].interval);
            if ra == rb && slot_a.start < slot_b.end && slot_b.start < slot_a.end {
                *v.entry("room double-booked").or_default() += 1;
            }
            if overlap && sa.people.iter().any(|x| sb.people.contains(x)) {
                *v.entry("person double-booked").or_default() += 1;
            }
            if overlap && (sa.exclusive || sb.exclusive) {
                *v.entry("parallel to exclusive").or_default() += 1;
            }
        }
    }
    logistics(p, sol, &place, &sessions, &mut v);
    v.retain(|_, n| *n > 0);
    v
}

/// The logistics rules, read from the problem's own words: booths for every language,
/// teams that cover every language, a team in one session at a time, with its break
/// between two and within its day's limits of sessions and minutes, and no more hybrid (online channel) or captioned sessions running at
/// any instant than there are channels or captioners.
fn logistics(
    p: &Problem,
    sol: &[Assignment],
    place: &[Option<(usize, usize)>],
    sessions: &HashMap<&str, usize>,
    v: &mut HashMap<&'static str, usize>,
) {
    let lg = &p.logistics;
    let teams: HashMap<&str, &igf_scheduler::scheduling::solver::InterpreterTeam> = lg
        .interpreter_teams
        .iter()
        .map(|t| (t.id.as_str(), t))
        .collect();
    // (team, slot start, slot end, session) for every session a team serves.
    let mut served = vec![];
    for a in sol {
        let s = sessions[a.session.0.as_str()];
        let Some((r, t)) = place[s] else { continue };
        let sess = &p.sessions[s];
        let room = &p.rooms[r];
        if sess.interpretation.iter().any(|l| !room.booths.contains(l)) {
            *v.entry("no booth for a language").or_default() += 1;
        }
        if !lg.interpreter_teams.is_empty() && !sess.interpretation.is_empty() {
            let covered = sess.interpretation.iter().all(|l| {
                a.interpreter_teams.iter().any(|k| {
                    teams
                        .get(k.as_str())
                        .is_some_and(|t| t.languages.contains(l))
                })
            });
            if !covered {
                *v.entry("language without a team").or_default() += 1;
            }
        }
        for k in &a.interpreter_teams {
            if !teams.contains_key(k.as_str()) {
                *v.entry("unknown team").or_default() += 1;
            }
            served.push((k.as_str(), p.slots[t].interval, s));
        }
    }
    for (i, (ka, ia, _)) in served.iter().enumerate() {
        for (kb, ib, _) in &served[i + 1..] {
            if ka != kb {
                continue;
            }
            if ia.start < ib.end && ib.start < ia.end {
                *v.entry("team in two sessions at once").or_default() += 1;
                continue;
            }
            // Rest between the earlier one's end and the later one's start.
            let rest = if ia.end <= ib.start {
                ib.start - ia.end
            } else {
                ia.start - ib.end
            };
            let needed = teams
                .get(ka)
                .and_then(|t| t.min_break_min)
                .map_or(0, i64::from);
            if rest.num_minutes() < needed {
                *v.entry("team without its break").or_default() += 1;
            }
        }
    }
    // Sessions and minutes each team serves per venue day.
    let mut per_day: HashMap<(&str, chrono::NaiveDate), (u32, u32)> = HashMap::new();
    for (k, iv, s) in &served {
        let day = iv.start.with_timezone(&p.venue_timezone).date_naive();
        let e = per_day.entry((k, day)).or_default();
        e.0 += 1;
        e.1 += p.sessions[*s].duration_min;
    }
    for ((k, _), (n, minutes)) in per_day {
        let Some(team) = teams.get(k) else { continue };
        if let Some(max) = team.max_sessions_per_day
            && n > max
        {
            *v.entry("team over its day's limit").or_default() += (n - max) as usize;
        }
        if let Some(max) = team.max_minutes_per_day
            && minutes > max
        {
            // Counted in started hours over, as the solver's hard count is.
            *v.entry("team over its day's hours").or_default() +=
                (minutes - max).div_ceil(60) as usize;
        }
    }
    // At each instant a slot starts, the sessions whose slot is running then.
    let running = |uses: &dyn Fn(usize) -> bool,
                   limit: u32,
                   rule: &'static str,
                   v: &mut HashMap<&'static str, usize>| {
        let spans: Vec<_> = (0..p.sessions.len())
            .filter(|&s| uses(s))
            .filter_map(|s| place[s].map(|(_, t)| p.slots[t].interval))
            .collect();
        for at in spans.iter().map(|i| i.start) {
            let n = spans.iter().filter(|i| i.start <= at && at < i.end).count() as u32;
            if n > limit {
                *v.entry(rule).or_default() += 1;
            }
        }
    };
    if let Some(limit) = lg.online_channels {
        running(
            &|s| p.sessions[s].needs_hybrid,
            limit,
            "more online channels than exist",
            v,
        );
    }
    if let Some(limit) = lg.captioners {
        running(
            &|s| p.sessions[s].captioning,
            limit,
            "more captioners than exist",
            v,
        );
    }
}
