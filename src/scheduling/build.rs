//! Builds the solver's [`Problem`] from a meeting's stored sessions, rooms, slots and
//! people. People are matched across sessions by normalised email (by name when no
//! email is known) and given opaque ids, so explanations never carry an email. Room
//! closures and people's absences come from [`super::availability`].

use std::collections::BTreeMap;

use chrono_tz::Tz;
use diesel::prelude::*;

use super::solver::{
    Assignment, Interval, Person, PersonId, Problem, Room, RoomId, Session, SessionId, Slot, SlotId,
};
use crate::db::DbConn;
use crate::db::schema::{rooms, session_types, sessions, themes, time_slots};
use crate::error::ApiError;
use crate::meetings::models::Meeting;
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
    i64,
    String,
    Option<String>,
    i32,
    i32,
    bool,
    bool,
    Option<i64>,
    Option<i64>,
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
            sessions::id,
            sessions::title,
            themes::name.nullable(),
            sessions::duration_min,
            sessions::expected_attendance,
            sessions::hybrid,
            session_types::exclusive,
            sessions::pinned_room_id,
            sessions::pinned_slot_id,
        ))
        .load(conn)?;
    let ids: Vec<i64> = rows.iter().map(|r| r.0).collect();
    let (closed, away) = super::availability::periods(conn, meeting.id)?;
    let mut people_rows = people_of(conn, &ids)?;
    let mut people: BTreeMap<String, Person> = BTreeMap::new();
    let mut out_sessions = vec![];
    let mut pins = vec![];
    for (id, title, theme, duration, attendance, hybrid, exclusive, pin_room, pin_slot) in rows {
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
        });
    }
    let room_rows: Vec<(i64, String, i32, bool)> = rooms::table
        .filter(rooms::meeting_id.eq(meeting.id))
        .order(rooms::id)
        .select((rooms::id, rooms::name, rooms::capacity, rooms::hybrid))
        .load(conn)?;
    let slot_rows: Vec<(i64, chrono::NaiveDateTime, chrono::NaiveDateTime)> = time_slots::table
        .filter(time_slots::meeting_id.eq(meeting.id))
        .order(time_slots::starts_at)
        .select((time_slots::id, time_slots::starts_at, time_slots::ends_at))
        .load(conn)?;
    let active: std::collections::BTreeSet<String> = ids.iter().map(|i| i.to_string()).collect();
    Ok(Problem {
        venue_timezone: venue,
        sessions: out_sessions,
        rooms: room_rows
            .into_iter()
            .map(|(id, name, capacity, hybrid)| Room {
                id: RoomId(id.to_string()),
                name,
                capacity: capacity.max(0) as u32,
                hybrid,
                closed: closed.get(&id).cloned().unwrap_or_default(),
            })
            .collect(),
        slots: slot_rows
            .into_iter()
            .map(|(id, s, e)| Slot {
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
    })
}
