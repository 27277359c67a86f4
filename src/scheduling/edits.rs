//! Manual edits and comparisons of schedule versions. A move (session to room and
//! slot) is checked at once against every rule: one that breaks a hard rule is refused
//! with the reasons; one that only costs soft penalties makes a new draft version and
//! shows what it costs. Two versions can be diffed session by session.

use std::collections::{BTreeMap, BTreeSet};

use diesel::prelude::*;
use serde::{Deserialize, Serialize};

use super::solver::{self, Assignment, RoomId, SessionId, SlotId};
use super::versions::{self, PlacementView, Source};
use crate::db::DbConn;
use crate::db::schema::{rooms, sessions, time_slots};
use crate::error::{ApiError, FieldError};
use crate::meetings::models::Meeting;

/// One manual move.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Move {
    /// The session.
    pub session_id: i64,
    /// Its new room.
    pub room_id: i64,
    /// Its new slot.
    pub slot_id: i64,
}

/// Body of `POST /api/v1/schedules/{version_id}/moves`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MovesRequest {
    /// The moves, applied together.
    pub moves: Vec<Move>,
    /// The newest version of the meeting the client has seen: when another has been
    /// made since (someone else's edit or solve), nothing is stored and the answer is
    /// 409 `changed`, so that no one builds on a schedule without seeing the other's.
    #[serde(default, deserialize_with = "crate::optional::present")]
    pub newest_seen: Option<i64>,
}

/// What an accepted edit did.
#[derive(Debug, Clone, Serialize)]
pub struct EditResult {
    /// The new draft version.
    pub version: versions::VersionView,
    /// Soft penalty of the new version minus that of the version edited.
    pub soft_delta: i64,
    /// Soft penalties the moved sessions now pay, with reasons.
    pub penalties: Vec<solver::Penalty>,
}

/// Applies moves to a version, making a new draft; refused (422) when a hard rule
/// would break, naming each broken rule and why.
pub fn apply_moves(
    conn: &mut DbConn,
    actor: i64,
    meeting: &Meeting,
    base: i64,
    req: &MovesRequest,
) -> Result<EditResult, ApiError> {
    let venue: chrono_tz::Tz = meeting.venue()?;
    if req.moves.is_empty() || req.moves.len() > 50 {
        return Err(ApiError::field("moves", "count", "give from 1 to 50 moves"));
    }
    let active: BTreeSet<i64> = sessions::table
        .filter(sessions::meeting_id.eq(meeting.id))
        .filter(sessions::status.eq(crate::sessions::types::SessionStatus::Active.as_str()))
        .select(sessions::id)
        .load::<i64>(conn)?
        .into_iter()
        .collect();
    let room_ids: BTreeSet<i64> = rooms::table
        .filter(rooms::meeting_id.eq(meeting.id))
        .select(rooms::id)
        .load::<i64>(conn)?
        .into_iter()
        .collect();
    let slot_ids: BTreeSet<i64> = time_slots::table
        .filter(time_slots::meeting_id.eq(meeting.id))
        .select(time_slots::id)
        .load::<i64>(conn)?
        .into_iter()
        .collect();
    let mut errors = vec![];
    let mut seen = BTreeSet::new();
    for (i, m) in req.moves.iter().enumerate() {
        let f = |k: &str| format!("moves[{i}].{k}");
        if !active.contains(&m.session_id) {
            errors.push(FieldError::new(
                f("session_id"),
                "active_session",
                format!(
                    "session {} is not an active session of this meeting",
                    m.session_id
                ),
            ));
        }
        if !seen.insert(m.session_id) {
            errors.push(FieldError::new(
                f("session_id"),
                "unique",
                "a session moves once per request",
            ));
        }
        if !room_ids.contains(&m.room_id) {
            errors.push(FieldError::new(
                f("room_id"),
                "exists",
                "not a room of this meeting",
            ));
        }
        if !slot_ids.contains(&m.slot_id) {
            errors.push(FieldError::new(
                f("slot_id"),
                "exists",
                "not a time slot of this meeting",
            ));
        }
    }
    if !errors.is_empty() {
        return Err(ApiError::validation(errors));
    }
    // A board that has not seen the newest version hears so first, before any rule is
    // checked against a schedule that is no longer the one to change; the check is made
    // again under the meeting's lock when the version is stored.
    if let Some(seen) = req.newest_seen {
        versions::newest_is(conn, meeting.id, seen)?;
    }
    let problem = super::build::problem(conn, meeting, vec![])?;
    let before: Vec<Assignment> = versions::assignments(conn, base)?
        .into_iter()
        .filter(|a| {
            a.session
                .0
                .parse()
                .is_ok_and(|id: i64| active.contains(&id))
        })
        .collect();
    let moved: BTreeSet<String> = req.moves.iter().map(|m| m.session_id.to_string()).collect();
    let mut after: Vec<Assignment> = before
        .iter()
        .filter(|a| !moved.contains(&a.session.0))
        .cloned()
        .collect();
    for m in &req.moves {
        after.push(Assignment {
            session: SessionId(m.session_id.to_string()),
            room: RoomId(m.room_id.to_string()),
            slot: SlotId(m.slot_id.to_string()),
            interpreter_teams: vec![],
        });
    }
    solver::choose_teams(&problem, &mut after, &moved);
    let old = solver::constraints::evaluate(&problem, &before);
    let new = solver::constraints::evaluate(&problem, &after);
    let involves = |p: &solver::Penalty| p.sessions.iter().any(|s| moved.contains(&s.0));
    let broken: Vec<&solver::Penalty> = new
        .penalties
        .iter()
        .filter(|p| p.hard && involves(p))
        .collect();
    if !broken.is_empty() || new.score.hard > old.score.hard {
        let index: BTreeMap<String, usize> = req
            .moves
            .iter()
            .enumerate()
            .map(|(i, m)| (m.session_id.to_string(), i))
            .collect();
        let errors = broken
            .iter()
            .map(|p| {
                let i = p
                    .sessions
                    .iter()
                    .find_map(|s| index.get(&s.0))
                    .copied()
                    .unwrap_or(0);
                FieldError::new(format!("moves[{i}]"), p.constraint, p.reason.clone())
            })
            .collect();
        return Err(ApiError::Validation {
            code: crate::error::Code::HardViolation,
            omitted: 0,
            message: "the moves would break a hard rule; nothing was changed".into(),
            errors,
        });
    }
    let penalties: Vec<solver::Penalty> = new
        .penalties
        .iter()
        .filter(|p| !p.hard && involves(p))
        .cloned()
        .collect();
    let soft_delta = new.score.soft - old.score.soft;
    let moves = req
        .moves
        .iter()
        .map(|m| solver::Move {
            session: SessionId(m.session_id.to_string()),
            from: before
                .iter()
                .find(|a| a.session.0 == m.session_id.to_string())
                .cloned(),
            to: after
                .iter()
                .find(|a| a.session.0 == m.session_id.to_string())
                .cloned()
                .unwrap_or_else(|| Assignment {
                    session: SessionId(m.session_id.to_string()),
                    room: RoomId(m.room_id.to_string()),
                    slot: SlotId(m.slot_id.to_string()),
                    interpreter_teams: vec![],
                }),
        })
        .collect();
    // A session the version left out stays out of this edit, with the version's reasons.
    let before_out = crate::scheduling::versions::unplaced(conn, base)?;
    let unplaced = problem
        .sessions
        .iter()
        .filter(|s| !after.iter().any(|a| a.session == s.id))
        .map(|s| solver::Unplaced {
            session: s.id.clone(),
            reasons: before_out
                .iter()
                .find(|u| u.session_id.to_string() == s.id.0)
                .map(|u| u.reasons.clone())
                .unwrap_or_else(|| {
                    vec![format!(
                        "not placed in version {base}, which this edit starts from"
                    )]
                }),
        })
        .collect();
    // Cancelled sessions of the base version are kept by `versions::store`.
    let solution = solver::Solution {
        unplaced,
        assignments: after,
        evaluation: new,
        moves,
        stats: solver::Stats {
            moves: 0,
            accepted: 0,
            elapsed_ms: 0,
            first_feasible_ms: None,
            lower_bound: None,
            optimal: false,
            trace: vec![],
        },
    };
    let id = versions::store_after(
        conn,
        Some(actor),
        meeting.id,
        Source::Edit,
        Some(base),
        &solution,
        req.newest_seen,
    )?;
    Ok(EditResult {
        version: versions::view(conn, id, venue, true)?,
        soft_delta,
        penalties,
    })
}

/// One session's change between two versions.
#[derive(Debug, Clone, Serialize)]
pub struct Change {
    /// The session.
    pub session_id: i64,
    /// Its title.
    pub title: String,
    /// Where it was (none when it was not placed).
    pub from: Option<PlacementView>,
    /// Where it is (none when it is no longer placed).
    pub to: Option<PlacementView>,
}

/// The differences between two versions.
#[derive(Debug, Clone, Serialize)]
pub struct Diff {
    /// The version compared against.
    pub from_version: i64,
    /// The version shown.
    pub to_version: i64,
    /// Sessions placed in both, somewhere else.
    pub moved: Vec<Change>,
    /// Sessions placed only in the newer.
    pub added: Vec<Change>,
    /// Sessions placed only in the older.
    pub removed: Vec<Change>,
    /// Sessions in the same room and slot.
    pub unchanged: usize,
}

/// Compares version `to` with version `from` of the same meeting.
pub fn diff(conn: &mut DbConn, venue: chrono_tz::Tz, from: i64, to: i64) -> Result<Diff, ApiError> {
    let a: BTreeMap<i64, PlacementView> = versions::placements(conn, from, venue)?
        .into_iter()
        .map(|p| (p.session_id, p))
        .collect();
    let b: BTreeMap<i64, PlacementView> = versions::placements(conn, to, venue)?
        .into_iter()
        .map(|p| (p.session_id, p))
        .collect();
    let (mut moved, mut added, mut removed, mut unchanged) = (vec![], vec![], vec![], 0);
    for (id, x) in &b {
        match a.get(id) {
            Some(y) if y.room_id == x.room_id && y.slot_id == x.slot_id => unchanged += 1,
            Some(y) => moved.push(Change {
                session_id: *id,
                title: x.title.clone(),
                from: Some(y.clone()),
                to: Some(x.clone()),
            }),
            None => added.push(Change {
                session_id: *id,
                title: x.title.clone(),
                from: None,
                to: Some(x.clone()),
            }),
        }
    }
    for (id, y) in &a {
        if !b.contains_key(id) {
            removed.push(Change {
                session_id: *id,
                title: y.title.clone(),
                from: Some(y.clone()),
                to: None,
            });
        }
    }
    Ok(Diff {
        from_version: from,
        to_version: to,
        moved,
        added,
        removed,
        unchanged,
    })
}
