//! Compiling a problem for search: dense indices, each session's domain as the rules
//! prune it, its static costs as the rules price it, and the validation of every id.

use std::collections::HashMap;

use chrono::NaiveDate;

use super::SolverError;
use super::constraints;
use super::model::{MSession, Model};
use super::problem::*;
use super::rule::Build;

fn minutes(t: chrono::DateTime<chrono::Utc>) -> i64 {
    t.timestamp().div_euclid(60)
}

impl Model {
    /// Compiles and validates a problem: every rule prunes the sessions' choices and
    /// prices each session in each slot once, here.
    pub fn build(p: &Problem) -> Result<Model, SolverError> {
        let invalid = |m: String| Err(SolverError::Invalid(m));
        let n_slots = p.slots.len();
        if p.sessions.is_empty() {
            return invalid("the problem has no sessions".into());
        }
        if n_slots == 0 || p.rooms.is_empty() {
            return invalid("the problem needs at least one room and one time slot".into());
        }
        let index = |what: &str, ids: Vec<&str>| -> Result<HashMap<String, usize>, SolverError> {
            let mut m = HashMap::new();
            for (i, id) in ids.into_iter().enumerate() {
                if m.insert(id.to_string(), i).is_some() {
                    return Err(SolverError::Invalid(format!(
                        "{what} id {id:?} appears twice"
                    )));
                }
            }
            Ok(m)
        };
        let sess_ix = index(
            "session",
            p.sessions.iter().map(|s| s.id.0.as_str()).collect(),
        )?;
        let room_ix = index("room", p.rooms.iter().map(|r| r.id.0.as_str()).collect())?;
        let slot_ix = index("slot", p.slots.iter().map(|t| t.id.0.as_str()).collect())?;
        let person_ix = index("person", p.people.iter().map(|x| x.id.0.as_str()).collect())?;
        for t in &p.slots {
            if t.interval.end <= t.interval.start {
                return invalid(format!("slot {} ends before it starts", t.id));
            }
        }
        let slot_start: Vec<i64> = p.slots.iter().map(|t| minutes(t.interval.start)).collect();
        let slot_end: Vec<i64> = p.slots.iter().map(|t| minutes(t.interval.end)).collect();
        let mut dates: Vec<NaiveDate> = p
            .slots
            .iter()
            .map(|t| {
                t.interval
                    .start
                    .with_timezone(&p.venue_timezone)
                    .date_naive()
            })
            .collect();
        dates.sort();
        dates.dedup();
        let slot_day = p
            .slots
            .iter()
            .map(|t| {
                let d = t
                    .interval
                    .start
                    .with_timezone(&p.venue_timezone)
                    .date_naive();
                dates.binary_search(&d).unwrap_or(0)
            })
            .collect();
        // Slots within `gap` minutes of each other (overlapping ones included).
        let near = |gap: i64| -> Vec<Vec<usize>> {
            (0..n_slots)
                .map(|a| {
                    let ia = &p.slots[a].interval;
                    (0..n_slots)
                        .filter(|&b| {
                            let ib = &p.slots[b].interval;
                            ia.overlaps(ib)
                                || (ib.start - ia.end)
                                    .num_minutes()
                                    .max((ia.start - ib.end).num_minutes())
                                    < gap
                        })
                        .collect()
                })
                .collect()
        };
        let slot_overlaps = near(0);
        let team_near = p
            .logistics
            .interpreter_teams
            .iter()
            .map(|k| match k.min_break_min {
                Some(b) if b > 0 => near(i64::from(b)),
                _ => slot_overlaps.clone(),
            })
            .collect();
        let mut themes: HashMap<&str, usize> = HashMap::new();
        let mut groups: HashMap<(u8, &str), usize> = HashMap::new();
        for person in &p.people {
            for (dim, v) in [
                (0u8, &person.stakeholder_group),
                (1, &person.regional_group),
                (2, &person.gender),
            ] {
                if let Some(v) = v
                    .as_deref()
                    .filter(|v| *v != "undisclosed" && !v.is_empty())
                {
                    let n = groups.len();
                    groups.entry((dim, v)).or_insert(n);
                }
            }
        }
        let person_groups: Vec<Vec<usize>> = p
            .people
            .iter()
            .map(|person| {
                [
                    (0u8, &person.stakeholder_group),
                    (1, &person.regional_group),
                    (2, &person.gender),
                ]
                .iter()
                .filter_map(|(dim, v)| v.as_deref().and_then(|v| groups.get(&(*dim, v)).copied()))
                .collect()
            })
            .collect();
        let avail_sets: Vec<Option<Vec<bool>>> = p
            .people
            .iter()
            .map(|person| {
                person.available_slots.as_ref().map(|list| {
                    let mut v = vec![false; n_slots];
                    for id in list {
                        if let Some(&t) = slot_ix.get(&id.0) {
                            v[t] = true;
                        }
                    }
                    v
                })
            })
            .collect();
        for person in &p.people {
            if let Some(list) = &person.available_slots
                && let Some(bad) = list.iter().find(|id| !slot_ix.contains_key(&id.0))
            {
                return invalid(format!("person {} lists unknown slot {bad}", person.id));
            }
        }

        let pins: HashMap<usize, (usize, usize)> = p
            .pins
            .iter()
            .map(|pin| {
                let s = *sess_ix.get(&pin.session.0).ok_or_else(|| {
                    SolverError::Invalid(format!("pin names unknown session {}", pin.session))
                })?;
                let r = *room_ix.get(&pin.room.0).ok_or_else(|| {
                    SolverError::Invalid(format!(
                        "pin of {} names unknown room {}",
                        pin.session, pin.room
                    ))
                })?;
                let t = *slot_ix.get(&pin.slot.0).ok_or_else(|| {
                    SolverError::Invalid(format!(
                        "pin of {} names unknown slot {}",
                        pin.session, pin.slot
                    ))
                })?;
                Ok((s, (r, t)))
            })
            .collect::<Result<_, SolverError>>()?;
        // The previous schedule may name sessions, rooms or slots that are gone: those
        // entries simply no longer bind.
        let previous: HashMap<usize, (usize, usize)> = p
            .previous
            .iter()
            .filter_map(|a| {
                Some((
                    *sess_ix.get(&a.session.0)?,
                    (*room_ix.get(&a.room.0)?, *slot_ix.get(&a.slot.0)?),
                ))
            })
            .collect();

        // The people and length of each session first: the rules' pruning reads them.
        let mut person_sessions = vec![vec![]; p.people.len()];
        let mut people_of = Vec::with_capacity(p.sessions.len());
        let mut duration = Vec::with_capacity(p.sessions.len());
        for (s, sess) in p.sessions.iter().enumerate() {
            let mut people = Vec::with_capacity(sess.people.len());
            for pid in &sess.people {
                let i = *person_ix.get(&pid.0).ok_or_else(|| {
                    SolverError::Invalid(format!("session {} names unknown person {pid}", sess.id))
                })?;
                if !people.contains(&i) {
                    people.push(i);
                    person_sessions[i].push(s);
                }
            }
            if sess.duration_min == 0 {
                return invalid(format!("session {} has no duration", sess.id));
            }
            people_of.push(people);
            duration.push(i64::from(sess.duration_min));
        }
        let mut allowed_slots = Vec::with_capacity(p.sessions.len());
        let mut allowed_rooms = Vec::with_capacity(p.sessions.len());
        for sess in &p.sessions {
            let slots = match &sess.allowed_slots {
                None => None,
                Some(list) => {
                    let mut v = vec![false; n_slots];
                    for id in list {
                        let &t = slot_ix.get(&id.0).ok_or_else(|| {
                            SolverError::Invalid(format!(
                                "session {} allows unknown slot {id}",
                                sess.id
                            ))
                        })?;
                        v[t] = true;
                    }
                    Some(v)
                }
            };
            let rooms = match &sess.allowed_rooms {
                None => None,
                Some(list) => {
                    let mut v = vec![false; p.rooms.len()];
                    for id in list {
                        let &r = room_ix.get(&id.0).ok_or_else(|| {
                            SolverError::Invalid(format!(
                                "session {} allows unknown room {id}",
                                sess.id
                            ))
                        })?;
                        v[r] = true;
                    }
                    Some(v)
                }
            };
            allowed_slots.push(slots);
            allowed_rooms.push(rooms);
        }
        let b = Build {
            p,
            slot_start: &slot_start,
            slot_end: &slot_end,
            people: &people_of,
            duration: &duration,
            available: &avail_sets,
            allowed_slots: &allowed_slots,
            allowed_rooms: &allowed_rooms,
            previous: &previous,
        };
        let room_open: Vec<bool> = (0..p.rooms.len())
            .flat_map(|r| (0..n_slots).map(move |t| (r, t)))
            .map(|(r, t)| !constraints::closes_room(&b, r, t))
            .collect();
        let mut sessions = Vec::with_capacity(p.sessions.len());
        let mut unplaceable = vec![];
        let mut static_cost = vec![0i64; p.sessions.len() * n_slots];
        for (s, sess) in p.sessions.iter().enumerate() {
            let theme = sess.theme.as_deref().map(|th| {
                let n = themes.len();
                *themes.entry(th).or_insert(n)
            });
            let rooms: Vec<usize> = (0..p.rooms.len())
                .filter(|&r| !constraints::forbids_room(&b, s, r))
                .collect();
            let pinned = pins.get(&s).copied();
            // Per rule, the slots it took away; then the slots where no room is open.
            let mut refused = vec![vec![]; constraints::NAMES.len()];
            let mut no_room = 0usize;
            let mut slots: Vec<usize> = match pinned {
                Some((_, t)) => vec![t],
                None => (0..n_slots)
                    .filter(|&t| {
                        let rules = constraints::forbidding_slot(&b, s, t);
                        for &k in &rules {
                            refused[k].push(t);
                        }
                        if !rules.is_empty() {
                            return false;
                        }
                        if !rooms.iter().any(|&r| room_open[r * n_slots + t]) {
                            no_room += 1;
                            return false;
                        }
                        true
                    })
                    .collect(),
            };
            let team_options = team_covers(&p.logistics.interpreter_teams, &sess.interpretation);
            let unserved = !p.logistics.interpreter_teams.is_empty()
                && !sess.interpretation.is_empty()
                && team_options.is_empty();
            if unserved {
                let missing: Vec<&String> = sess
                    .interpretation
                    .iter()
                    .filter(|l| {
                        !p.logistics
                            .interpreter_teams
                            .iter()
                            .any(|k| k.languages.contains(l))
                    })
                    .collect();
                unplaceable.push((
                    s,
                    vec![format!(
                        "it needs interpretation into {}, and no interpreter team covers {}",
                        languages(&sess.interpretation),
                        languages(&missing)
                    )],
                ));
                slots.clear();
            }
            if !unserved && (slots.is_empty() || (pinned.is_none() && rooms.is_empty())) {
                // Nowhere it could ever go: it stays unplaced, with every reason, and
                // the rest is scheduled.
                let reasons = if rooms.is_empty() {
                    vec![format!(
                        "no room{} seats {}{}{}",
                        match (&sess.allowed_rooms, &sess.placement_rule) {
                            (Some(_), Some(rule)) => format!(" it may use ({rule})"),
                            _ => String::new(),
                        },
                        sess.attendance,
                        if sess.needs_hybrid {
                            " with hybrid equipment"
                        } else {
                            ""
                        },
                        if sess.interpretation.is_empty() {
                            String::new()
                        } else {
                            format!(
                                " and interpretation booths for {}",
                                languages(&sess.interpretation)
                            )
                        }
                    )]
                } else {
                    let mut parts: Vec<String> = refused
                        .iter()
                        .enumerate()
                        .filter(|(_, r)| !r.is_empty())
                        .flat_map(|(k, r)| constraints::refusal(k, &b, s, r))
                        .collect();
                    if no_room > 0 {
                        parts.push(format!("in {no_room} slot(s) no suitable room is open"));
                    }
                    parts
                };
                unplaceable.push((s, reasons));
                slots.clear();
            }
            for t in 0..n_slots {
                static_cost[s * n_slots + t] = constraints::static_cost(&b, s, t);
            }
            let people = people_of[s].clone();
            let groups = people
                .iter()
                .flat_map(|&i| person_groups[i].iter().copied())
                .collect();
            sessions.push(MSession {
                people,
                theme,
                duration: duration[s],
                attendance: sess.attendance,
                needs_hybrid: sess.needs_hybrid,
                exclusive: sess.exclusive,
                pinned,
                previous: previous.get(&s).copied(),
                slots,
                rooms,
                groups,
                captioning: sess.captioning,
                team_options,
            });
        }
        Ok(Model {
            sessions,
            slot_start,
            slot_end,
            slot_day,
            slot_overlaps,
            room_capacity: p.rooms.iter().map(|r| r.capacity).collect(),
            room_hybrid: p.rooms.iter().map(|r| r.hybrid).collect(),
            room_open,
            person_sessions,
            static_cost,
            unplaceable,
            n_themes: themes.len(),
            n_days: dates.len(),
            n_groups: groups.len(),
            weights: p.weights.clone(),
            channel_limit: p.logistics.online_channels.map(i64::from),
            caption_limit: p.logistics.captioners.map(i64::from),
            team_day_max: p
                .logistics
                .interpreter_teams
                .iter()
                .map(|k| k.max_sessions_per_day.map(i64::from))
                .collect(),
            team_minutes_max: p
                .logistics
                .interpreter_teams
                .iter()
                .map(|k| k.max_minutes_per_day.map(i64::from))
                .collect(),
            team_near,
        })
    }
}
