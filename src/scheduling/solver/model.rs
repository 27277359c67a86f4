//! The problem compiled for search: dense indices, each session's domain (the slots and
//! rooms no static hard rule forbids), per-(session, slot) costs computed once, and
//! the index of who takes part where. Building it validates the problem.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Timelike, Utc};
use chrono_tz::Tz;

use super::SolverError;
use super::problem::*;

/// A session in index form.
#[derive(Debug, Clone)]
pub struct MSession {
    /// People (indices).
    pub people: Vec<usize>,
    /// Theme index.
    pub theme: Option<usize>,
    /// Length in minutes.
    pub duration: i64,
    /// Attendance.
    pub attendance: u32,
    /// Needs a hybrid room.
    pub needs_hybrid: bool,
    /// Nothing in parallel.
    pub exclusive: bool,
    /// Pinned room and slot.
    pub pinned: Option<(usize, usize)>,
    /// Previous room and slot.
    pub previous: Option<(usize, usize)>,
    /// Slots the session may take.
    pub slots: Vec<usize>,
    /// Rooms that fit it (capacity, hybrid), before per-slot closures.
    pub rooms: Vec<usize>,
    /// Diversity groups of its people, with multiplicity.
    pub groups: Vec<usize>,
}

/// The compiled problem.
#[derive(Debug, Clone)]
pub struct Model {
    /// Sessions.
    pub sessions: Vec<MSession>,
    /// Slot starts, minutes since the epoch.
    pub slot_start: Vec<i64>,
    /// Slot ends.
    pub slot_end: Vec<i64>,
    /// Venue-local day index of each slot.
    pub slot_day: Vec<usize>,
    /// For each slot, the slots whose interval overlaps it (itself included).
    pub slot_overlaps: Vec<Vec<usize>>,
    /// Room capacity.
    pub room_capacity: Vec<u32>,
    /// Room hybrid.
    pub room_hybrid: Vec<bool>,
    /// `room_open[r * n_slots + t]`: room r usable in slot t.
    pub room_open: Vec<bool>,
    /// Sessions of each person.
    pub person_sessions: Vec<Vec<usize>>,
    /// `static_cost[s * n_slots + t]`: soft cost of session s in slot t that does not
    /// depend on other sessions (online discomfort, moving away from the previous slot).
    pub static_cost: Vec<i64>,
    /// Number of themes.
    pub n_themes: usize,
    /// Number of days.
    pub n_days: usize,
    /// Number of diversity groups.
    pub n_groups: usize,
    /// Weights.
    pub weights: Weights,
}

fn minutes(t: DateTime<Utc>) -> i64 {
    t.timestamp().div_euclid(60)
}

/// Minutes of `[start, start + dur)` that fall outside `band` in zone `tz`.
pub fn minutes_outside(start: DateTime<Utc>, dur_min: i64, tz: Tz, band: Hours) -> i64 {
    let local = start.with_timezone(&tz);
    let from = i64::from(local.hour() * 60 + local.minute());
    let mut inside = 0;
    // Walk the interval day by day in local wall-clock minutes.
    let mut day_start = -from; // minute offset (from session start) of this local midnight
    while day_start < dur_min {
        let lo = (day_start + i64::from(band.from_min)).max(0);
        let hi = (day_start + i64::from(band.to_min)).min(dur_min);
        if hi > lo {
            inside += hi - lo;
        }
        day_start += 24 * 60;
    }
    dur_min - inside
}

impl Model {
    /// Compiles and validates a problem.
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
        let slot_overlaps = (0..n_slots)
            .map(|a| {
                (0..n_slots)
                    .filter(|&b| p.slots[a].interval.overlaps(&p.slots[b].interval))
                    .collect()
            })
            .collect();
        let room_open = p
            .rooms
            .iter()
            .flat_map(|r| {
                p.slots
                    .iter()
                    .map(move |t| !r.closed.iter().any(|c| c.overlaps(&t.interval)))
            })
            .collect::<Vec<bool>>();

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

        let w = &p.weights;
        let mut person_sessions = vec![vec![]; p.people.len()];
        let mut sessions = Vec::with_capacity(p.sessions.len());
        let mut static_cost = vec![0i64; p.sessions.len() * n_slots];
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
            let duration = i64::from(sess.duration_min);
            let theme = sess.theme.as_deref().map(|th| {
                let n = themes.len();
                *themes.entry(th).or_insert(n)
            });
            let rooms: Vec<usize> = (0..p.rooms.len())
                .filter(|&r| {
                    p.rooms[r].capacity >= sess.attendance
                        && (!sess.needs_hybrid || p.rooms[r].hybrid)
                })
                .collect();
            let pinned = pins.get(&s).copied();
            let mut why_not = [0usize; 4]; // too short, person unavailable, outside hours, no room open
            let slots: Vec<usize> = match pinned {
                Some((_, t)) => vec![t],
                None => (0..n_slots)
                    .filter(|&t| {
                        let start = p.slots[t].interval.start;
                        let iv = Interval {
                            start,
                            end: start + chrono::Duration::minutes(duration),
                        };
                        if slot_start[t] + duration > slot_end[t] {
                            why_not[0] += 1;
                            return false;
                        }
                        for &i in &people {
                            let person = &p.people[i];
                            if person.unavailable.iter().any(|u| u.overlaps(&iv))
                                || avail_sets[i].as_ref().is_some_and(|v| !v[t])
                            {
                                why_not[1] += 1;
                                return false;
                            }
                            if person.online
                                && w.outer_hours_hard
                                && minutes_outside(start, duration, person.timezone, w.outer_hours)
                                    > 0
                            {
                                why_not[2] += 1;
                                return false;
                            }
                        }
                        if !rooms.iter().any(|&r| room_open[r * n_slots + t]) {
                            why_not[3] += 1;
                            return false;
                        }
                        true
                    })
                    .collect(),
            };
            if slots.is_empty() || (pinned.is_none() && rooms.is_empty()) {
                let reason = if rooms.is_empty() {
                    format!(
                        "no room seats {}{}",
                        sess.attendance,
                        if sess.needs_hybrid {
                            " with hybrid equipment"
                        } else {
                            ""
                        }
                    )
                } else {
                    let mut parts = vec![];
                    if why_not[0] > 0 {
                        parts.push(format!(
                            "{} slot(s) are shorter than its {} minutes",
                            why_not[0], duration
                        ));
                    }
                    if why_not[1] > 0 {
                        parts.push(format!(
                            "in {} slot(s) one of its people is unavailable",
                            why_not[1]
                        ));
                    }
                    if why_not[2] > 0 {
                        parts.push(format!(
                            "{} slot(s) fall outside an online person's local hours",
                            why_not[2]
                        ));
                    }
                    if why_not[3] > 0 {
                        parts.push(format!(
                            "in {} slot(s) no suitable room is open",
                            why_not[3]
                        ));
                    }
                    parts.join("; ")
                };
                return Err(SolverError::NoPlace {
                    session: sess.id.0.clone(),
                    reason,
                });
            }
            for t in 0..n_slots {
                let start = p.slots[t].interval.start;
                let mut cost = 0;
                if w.online_discomfort != 0 {
                    for &i in &people {
                        let person = &p.people[i];
                        if person.online {
                            let out = minutes_outside(
                                start,
                                duration,
                                person.timezone,
                                w.comfortable_hours,
                            );
                            cost += w.online_discomfort * ((out + 59) / 60);
                            if !w.outer_hours_hard {
                                // Same cost as the online_hours rule gives when it is soft.
                                let far = minutes_outside(
                                    start,
                                    duration,
                                    person.timezone,
                                    w.outer_hours,
                                );
                                cost += w.online_discomfort * 4 * ((far + 59) / 60);
                            }
                        }
                    }
                }
                if let Some((_, pt)) = previous.get(&s)
                    && *pt != t
                {
                    cost += w.moved_session;
                }
                static_cost[s * n_slots + t] = cost;
            }
            let groups = people
                .iter()
                .flat_map(|&i| person_groups[i].iter().copied())
                .collect();
            sessions.push(MSession {
                people,
                theme,
                duration,
                attendance: sess.attendance,
                needs_hybrid: sess.needs_hybrid,
                exclusive: sess.exclusive,
                pinned,
                previous: previous.get(&s).copied(),
                slots,
                rooms,
                groups,
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
            n_themes: themes.len(),
            n_days: dates.len(),
            n_groups: groups.len(),
            weights: p.weights.clone(),
        })
    }

    /// Number of slots.
    pub fn n_slots(&self) -> usize {
        self.slot_start.len()
    }

    /// Number of rooms.
    pub fn n_rooms(&self) -> usize {
        self.room_capacity.len()
    }

    /// Whether sessions a (in slot ta) and b (in slot tb) run at the same time, by
    /// their real intervals.
    pub fn sessions_overlap(&self, a: usize, ta: usize, b: usize, tb: usize) -> bool {
        let (sa, sb) = (self.slot_start[ta], self.slot_start[tb]);
        sa < sb + self.sessions[b].duration && sb < sa + self.sessions[a].duration
    }

    /// Whether session s may use room r in slot t.
    pub fn room_fits(&self, s: usize, r: usize, t: usize) -> bool {
        let m = &self.sessions[s];
        if let Some((pr, pt)) = m.pinned {
            return pr == r && pt == t;
        }
        self.room_open[r * self.n_slots() + t]
            && self.room_capacity[r] >= m.attendance
            && (!m.needs_hybrid || self.room_hybrid[r])
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn minutes_outside_counts_both_ends_and_midnight() {
        let band = Hours {
            from_min: 9 * 60,
            to_min: 18 * 60,
        };
        let tokyo: Tz = "Asia/Tokyo".parse().unwrap();
        // 07:00 UTC is 16:00 in Tokyo: 16:00-17:30 inside.
        let t = Utc.with_ymd_and_hms(2025, 6, 23, 7, 0, 0).unwrap();
        assert_eq!(minutes_outside(t, 90, tokyo, band), 0);
        // 08:30 UTC = 17:30 Tokyo: 30 min inside, 60 outside.
        let t = Utc.with_ymd_and_hms(2025, 6, 23, 8, 30, 0).unwrap();
        assert_eq!(minutes_outside(t, 90, tokyo, band), 60);
        // 14:30 UTC = 23:30 Tokyo, across midnight: all outside.
        let t = Utc.with_ymd_and_hms(2025, 6, 23, 14, 30, 0).unwrap();
        assert_eq!(minutes_outside(t, 90, tokyo, band), 90);
        // 23:30 UTC = 08:30 next day Tokyo: 30 outside, 60 inside.
        let t = Utc.with_ymd_and_hms(2025, 6, 23, 23, 30, 0).unwrap();
        assert_eq!(minutes_outside(t, 90, tokyo, band), 30);
    }
}
