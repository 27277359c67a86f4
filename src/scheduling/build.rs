//! Builds the solver's [`Problem`] from a meeting's stored sessions, rooms, slots and
//! people, with what sessions need and the meeting can serve at once (booths,
//! captioners, online channels, interpreter teams). People are matched across sessions
//! by normalised email (by name when no email is known) and given opaque ids, so
//! explanations never carry an email. Room
//! closures and people's absences come from [`super::availability`].

use std::collections::BTreeMap;

use chrono_tz::Tz;
use diesel::prelude::*;

use super::placement;
use super::solver::{
    Assignment, Interval, Person, PersonId, Problem, Room, RoomId, Session, SessionId, Slot, SlotId,
};
use crate::db::DbConn;
use crate::db::schema::{meeting_days, rooms, session_types, sessions, themes, time_slots};
use crate::error::ApiError;
use crate::meetings::models::Meeting;
use crate::meetings::models::Placement;
use crate::sessions::queries::people_of;
use crate::time::from_db;

/// Roles whose people must be in the room (or online) for the session to run.
const PRESENT_ROLES: &[&str] = &[
    "organiser",
    "speaker",
    "onsite_moderator",
    "online_moderator",
];

type SessionRow = (
    (i64, String, Option<String>, i32, i32, bool),
    (bool, Option<i64>, Option<i64>, i64),
    (String, bool),
);

/// The problem of scheduling a meeting's active sessions; `previous` is the schedule
/// to stay close to (the published one when repairing).
pub fn problem(
    conn: &mut DbConn,
    meeting: &Meeting,
    previous: Vec<Assignment>,
) -> Result<Problem, ApiError> {
    let venue: Tz = meeting.venue()?;
    let rows: Vec<SessionRow> = sessions::table
        .inner_join(session_types::table)
        .left_join(themes::table)
        .filter(sessions::meeting_id.eq(meeting.id))
        .filter(sessions::status.eq(crate::sessions::types::SessionStatus::Active.as_str()))
        .order(sessions::id)
        .select((
            (
                sessions::id,
                sessions::title,
                themes::name.nullable(),
                sessions::duration_min,
                sessions::expected_attendance,
                sessions::hybrid,
            ),
            (
                session_types::exclusive,
                sessions::pinned_room_id,
                sessions::pinned_slot_id,
                sessions::session_type_id,
            ),
            (sessions::interpretation, sessions::captioning),
        ))
        .load(conn)?;
    let types: BTreeMap<i64, crate::meetings::models::SessionType> =
        crate::meetings::queries::session_types_of(conn, meeting.id)?
            .into_iter()
            .map(|t| (t.id, t))
            .collect();
    let mut placements: BTreeMap<i64, Placement> = BTreeMap::new();
    for (id, t) in &types {
        placements.insert(*id, t.placement()?);
    }
    let ids: Vec<i64> = rows.iter().map(|r| r.0.0).collect();
    let (closed, away) = super::availability::periods(conn, meeting.id)?;
    let mut people_rows = people_of(conn, &ids)?;
    let mut people: BTreeMap<String, Person> = BTreeMap::new();
    let mut out_sessions = vec![];
    let mut pins = vec![];
    let mut kinds = vec![];
    for (
        (id, title, theme, duration, attendance, hybrid),
        (exclusive, pin_room, pin_slot, type_id),
        (interpretation, captioning),
    ) in rows
    {
        kinds.push((type_id, i64::from(duration.max(0))));
        if let (Some(r), Some(t)) = (pin_room, pin_slot) {
            pins.push(super::solver::Pin {
                session: SessionId(id.to_string()),
                room: RoomId(r.to_string()),
                slot: SlotId(t.to_string()),
            });
        }
        let mut members = vec![];
        let mut online = vec![];
        for p in people_rows.remove(&id).unwrap_or_default() {
            if !PRESENT_ROLES.contains(&p.role.as_str()) {
                continue;
            }
            let key = p
                .email
                .as_deref()
                .map(crate::validate::normalise_email)
                .unwrap_or_else(|| format!("name:{}", p.name.trim().to_lowercase()));
            let n = people.len();
            let person = people.entry(key.clone()).or_insert_with(|| Person {
                id: PersonId(format!("person-{}", n + 1)),
                name: p.name.clone(),
                timezone: p
                    .timezone
                    .as_deref()
                    .and_then(|z| z.parse().ok())
                    .unwrap_or(venue),
                online: false,
                unavailable: away.get(&key).cloned().unwrap_or_default(),
                available_slots: None,
                stakeholder_group: p.stakeholder_group.clone(),
                regional_group: p.regional_group.clone(),
                gender: p.gender.clone(),
            });
            // Participation belongs to the person in this session: online here may be
            // onsite elsewhere. `online` on the person only says "online somewhere".
            let here = p.participation.as_deref() == Some("online");
            person.online |= here;
            if here && !online.contains(&person.id) {
                online.push(person.id.clone());
            }
            if !members.contains(&person.id) {
                members.push(person.id.clone());
            }
        }
        out_sessions.push(Session {
            id: SessionId(id.to_string()),
            title,
            theme,
            duration_min: duration.max(0) as u32,
            attendance: attendance.max(0) as u32,
            needs_hybrid: hybrid,
            exclusive,
            people: members,
            online: Some(online),
            allowed_slots: None,
            allowed_rooms: None,
            placement_rule: None,
            captioning,
            interpretation: crate::db::json_column(&interpretation, "sessions.interpretation", id)?,
        });
    }
    let room_rows: Vec<(i64, String, i32, bool, String)> = rooms::table
        .filter(rooms::meeting_id.eq(meeting.id))
        .order(rooms::id)
        .select((
            rooms::id,
            rooms::name,
            rooms::capacity,
            rooms::hybrid,
            rooms::booths,
        ))
        .load(conn)?;
    let slot_rows: Vec<(i64, chrono::NaiveDateTime, chrono::NaiveDateTime, i32)> =
        time_slots::table
            .inner_join(meeting_days::table)
            .filter(time_slots::meeting_id.eq(meeting.id))
            .order((time_slots::starts_at, time_slots::id))
            .select((
                time_slots::id,
                time_slots::starts_at,
                time_slots::ends_at,
                meeting_days::day_number,
            ))
            .load(conn)?;
    let days: Vec<(i32, chrono::NaiveDate)> = meeting_days::table
        .filter(meeting_days::meeting_id.eq(meeting.id))
        .order(meeting_days::day_number)
        .select((meeting_days::day_number, meeting_days::date))
        .load(conn)?;
    let slot_days: Vec<placement::SlotDay> = slot_rows
        .iter()
        .map(|(_, s, e, d)| placement::SlotDay {
            start: s.and_utc().timestamp() / 60,
            minutes: (*e - *s).num_minutes(),
            day: *d,
        })
        .collect();
    let default_placement = Placement::default();
    let rules: Vec<placement::SessionRules<'_>> = kinds
        .iter()
        .map(|(type_id, minutes)| placement::SessionRules {
            type_name: types.get(type_id).map_or("", |t| t.name.as_str()),
            placement: placements.get(type_id).unwrap_or(&default_placement),
            minutes: *minutes,
        })
        .collect();
    for (sess, allowed) in out_sessions
        .iter_mut()
        .zip(placement::allowed(&rules, &slot_days, &days, venue))
    {
        sess.allowed_slots = allowed.slots.map(|v| {
            v.into_iter()
                .map(|t| SlotId(slot_rows[t].0.to_string()))
                .collect()
        });
        sess.allowed_rooms = allowed
            .rooms
            .map(|v| v.into_iter().map(|r| RoomId(r.to_string())).collect());
        sess.placement_rule = allowed.rule;
    }
    let active: std::collections::BTreeSet<String> = ids.iter().map(|i| i.to_string()).collect();
    Ok(Problem {
        venue_timezone: venue,
        sessions: out_sessions,
        rooms: room_rows
            .into_iter()
            .map(|(id, name, capacity, hybrid, booths)| {
                Ok(Room {
                    id: RoomId(id.to_string()),
                    name,
                    capacity: capacity.max(0) as u32,
                    hybrid,
                    closed: closed.get(&id).cloned().unwrap_or_default(),
                    booths: crate::db::json_column(&booths, "rooms.booths", id)?,
                })
            })
            .collect::<Result<_, ApiError>>()?,
        slots: slot_rows
            .into_iter()
            .map(|(id, s, e, _)| Slot {
                id: SlotId(id.to_string()),
                interval: Interval {
                    start: from_db(s),
                    end: from_db(e),
                },
            })
            .collect(),
        people: people.into_values().collect(),
        pins,
        previous: previous
            .into_iter()
            .filter(|a| active.contains(&a.session.0))
            .collect(),
        weights: super::rules::effective(meeting)?.weights(),
        logistics: super::logistics::for_solver(&super::logistics::load(conn, meeting.id)?),
    })
}
