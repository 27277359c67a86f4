//! Schedule versions: each solve, repair or manual edit stores a new draft with its
//! score and full explanation; a version is never changed once written. Publishing
//! stamps one version in a single statement; the newest stamp is the published
//! schedule. The public programme is read from it.

use std::collections::{BTreeMap, HashMap};

use chrono::NaiveDateTime;
use chrono_tz::Tz;
use diesel::prelude::*;
use serde::Serialize;
use serde_json::json;

use super::solver::{Assignment, RoomId, SessionId, SlotId, Solution};
use crate::audit;
use crate::db::DbConn;
use crate::db::schema::{
    rooms, schedule_placements as pl, schedule_versions as sv, session_types, sessions, themes,
    time_slots,
};
use crate::error::ApiError;
use crate::time::{from_db, now, to_db};

/// Where a version came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Source {
    /// A solve job.
    Solve,
    /// A repair job.
    Repair,
    /// A manual move.
    Edit,
}

impl Source {
    /// Every value, in declaration order.
    pub const ALL: &'static [Source] = &[Source::Solve, Source::Repair, Source::Edit];

    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            Source::Solve => "solve",
            Source::Repair => "repair",
            Source::Edit => "edit",
        }
    }
}

fn parse_id(s: &str) -> Result<i64, ApiError> {
    s.parse()
        .map_err(|_| ApiError::Internal(anyhow::anyhow!("solver returned a foreign id {s:?}")))
}

/// Stores a solution as the meeting's next version; returns its id.
pub fn store(
    conn: &mut DbConn,
    actor: Option<i64>,
    meeting_id: i64,
    source: Source,
    parent: Option<i64>,
    solution: &Solution,
) -> Result<i64, ApiError> {
    store_after(conn, actor, meeting_id, source, parent, solution, None)
}

/// Refuses (409 `changed`, naming the newer version) unless `seen` is the meeting's
/// newest version.
pub fn newest_is(c: &mut DbConn, meeting_id: i64, seen: i64) -> Result<(), ApiError> {
    let newest: Option<(i64, i32)> = sv::table
        .filter(sv::meeting_id.eq(meeting_id))
        .order(sv::id.desc())
        .select((sv::id, sv::number))
        .first(c)
        .optional()?;
    match newest.filter(|(id, _)| *id != seen) {
        None => Ok(()),
        Some((id, number)) => {
            let mut extra = serde_json::Map::new();
            extra.insert("newest_version_id".into(), json!(id));
            Err(ApiError::Conflict {
                code: crate::error::Code::Changed,
                message: format!(
                    "version {number} of this schedule was made since the one you saw; \
                     look at it before you change the schedule"
                ),
                extra,
            })
        }
    }
}

/// Stores a version as [`store`] does, but only while `newest_seen` (when given) is
/// still the meeting's newest version; otherwise nothing is stored and the answer is
/// 409 `changed` naming the newer one.
pub fn store_after(
    conn: &mut DbConn,
    actor: Option<i64>,
    meeting_id: i64,
    source: Source,
    parent: Option<i64>,
    solution: &Solution,
    newest_seen: Option<i64>,
) -> Result<i64, ApiError> {
    crate::db::write_tx(conn, |c| {
        // Numbers are per meeting: versions of one meeting are stored in turn.
        crate::db::lock_meeting(c, meeting_id)?;
        // Under the meeting's lock (and, on PostgreSQL, read after it at READ COMMITTED),
        // no other version can be stored between this check and the insert below.
        if let Some(seen) = newest_seen {
            newest_is(c, meeting_id, seen)?;
        }
        let last: Option<i32> = sv::table
            .filter(sv::meeting_id.eq(meeting_id))
            .select(diesel::dsl::max(sv::number))
            .first(c)?;
        let number = last.unwrap_or(0) + 1;
        let internal = |e: serde_json::Error| ApiError::Internal(e.into());
        let evaluation = serde_json::to_string(&solution.evaluation).map_err(internal)?;
        let mut stats = serde_json::to_value(&solution.stats).map_err(internal)?;
        if let Some(o) = stats.as_object_mut() {
            o.remove("trace");
            o.insert("moves_from_previous".into(), json!(solution.moves));
            let unplaced = solution
                .unplaced
                .iter()
                .map(|u| Ok(json!({"session_id": parse_id(&u.session.0)?, "reasons": u.reasons})))
                .collect::<Result<Vec<_>, ApiError>>()?;
            o.insert("unplaced".into(), json!(unplaced));
        }
        let id: i64 = crate::with_backend!(c, |b| diesel::insert_into(sv::table)
            .values((
                sv::meeting_id.eq(meeting_id),
                sv::number.eq(number),
                sv::source.eq(source.as_str()),
                sv::parent_id.eq(parent),
                sv::hard.eq(solution.evaluation.score.hard as i32),
                sv::soft.eq(solution.evaluation.score.soft),
                sv::evaluation.eq(evaluation),
                sv::stats.eq(stats.to_string()),
                sv::created_by.eq(actor),
                sv::created_at.eq(to_db(now())),
            ))
            .returning(sv::id)
            .get_result(b))?;
        let mut placed = std::collections::BTreeSet::new();
        for a in &solution.assignments {
            let session = parse_id(&a.session.0)?;
            placed.insert(session);
            let teams = a
                .interpreter_teams
                .iter()
                .map(|t| parse_id(t))
                .collect::<Result<Vec<i64>, _>>()?;
            diesel::insert_into(pl::table)
                .values((
                    pl::version_id.eq(id),
                    pl::session_id.eq(session),
                    pl::room_id.eq(parse_id(&a.room.0)?),
                    pl::slot_id.eq(parse_id(&a.slot.0)?),
                    pl::interpreter_teams.eq(serde_json::Value::from(teams).to_string()),
                ))
                .execute(c)?;
        }
        // A cancelled session stays where the version this one follows (its parent, or
        // the published one) had it: the programme and every feed show it as cancelled,
        // whatever made the new version.
        let base = match parent {
            Some(p) => Some(p),
            None => published(c, meeting_id)?,
        };
        if let Some(base) = base {
            let kept: Vec<(i64, i64, i64, String)> = pl::table
                .inner_join(sessions::table)
                .filter(pl::version_id.eq(base))
                .filter(
                    sessions::status.eq(crate::sessions::types::SessionStatus::Cancelled.as_str()),
                )
                .select((
                    pl::session_id,
                    pl::room_id,
                    pl::slot_id,
                    pl::interpreter_teams,
                ))
                .load(c)?;
            for (session, room, slot, teams) in kept.into_iter().filter(|k| !placed.contains(&k.0))
            {
                diesel::insert_into(pl::table)
                    .values((
                        pl::version_id.eq(id),
                        pl::session_id.eq(session),
                        pl::room_id.eq(room),
                        pl::slot_id.eq(slot),
                        pl::interpreter_teams.eq(teams),
                    ))
                    .execute(c)?;
            }
        }
        audit::record(
            c,
            actor,
            "schedule.version",
            "schedule_version",
            id,
            Some(meeting_id),
            json!({"number": number, "source": source.as_str(), "hard": solution.evaluation.score.hard,
                   "soft": solution.evaluation.score.soft, "moves": solution.moves.len()}),
        )?;
        Ok(id)
    })
}

/// A version's placements as solver assignments.
pub fn assignments(conn: &mut DbConn, version_id: i64) -> Result<Vec<Assignment>, ApiError> {
    let rows: Vec<(i64, i64, i64, String)> = pl::table
        .filter(pl::version_id.eq(version_id))
        .order(pl::session_id)
        .select((
            pl::session_id,
            pl::room_id,
            pl::slot_id,
            pl::interpreter_teams,
        ))
        .load(conn)?;
    rows.into_iter()
        .map(|(s, r, t, teams)| {
            let teams: Vec<i64> =
                crate::db::json_column(&teams, "schedule_placements.interpreter_teams", s)?;
            Ok(Assignment {
                session: SessionId(s.to_string()),
                room: RoomId(r.to_string()),
                slot: SlotId(t.to_string()),
                interpreter_teams: teams.iter().map(i64::to_string).collect(),
            })
        })
        .collect()
}

/// The published version of a meeting and when it was published, if any.
pub fn published_at(
    conn: &mut DbConn,
    meeting_id: i64,
) -> Result<Option<(i64, chrono::DateTime<chrono::Utc>)>, ApiError> {
    let row: Option<(i64, NaiveDateTime)> = sv::table
        .filter(sv::meeting_id.eq(meeting_id))
        .filter(sv::published_at.is_not_null())
        .order(sv::publication.desc())
        .select((sv::id, sv::published_at.assume_not_null()))
        .first(conn)
        .optional()?;
    Ok(row.map(|(id, t)| (id, from_db(t))))
}

/// The published version of a meeting, if any.
pub fn published(conn: &mut DbConn, meeting_id: i64) -> Result<Option<i64>, ApiError> {
    Ok(published_at(conn, meeting_id)?.map(|(id, _)| id))
}

/// A version row.
#[derive(Queryable, Selectable)]
#[diesel(table_name = sv)]
struct VersionRow {
    id: i64,
    meeting_id: i64,
    number: i32,
    source: String,
    parent_id: Option<i64>,
    hard: i32,
    soft: i64,
    evaluation: String,
    stats: String,
    created_at: NaiveDateTime,
    published_at: Option<NaiveDateTime>,
}

/// One session's place, with times in the venue's zone and in UTC.
#[derive(Debug, Clone, Serialize)]
pub struct PlacementView {
    /// The session.
    pub session_id: i64,
    /// Its title.
    pub title: String,
    /// `active` or `cancelled`.
    pub status: String,
    /// Room id.
    pub room_id: i64,
    /// Room name.
    pub room: String,
    /// Slot id.
    pub slot_id: i64,
    /// Start, RFC 3339 with the venue's offset.
    pub starts_at: String,
    /// End of the session (start plus its duration), RFC 3339 with the venue's offset.
    pub ends_at: String,
    /// Start in UTC.
    pub starts_at_utc: String,
    /// End in UTC.
    pub ends_at_utc: String,
    /// The interpreter teams serving it (ids, as the meeting's logistics name them).
    pub interpreter_teams: Vec<i64>,
}

/// A version as the API shows it.
#[derive(Debug, Clone, Serialize)]
pub struct VersionView {
    /// Id.
    pub id: i64,
    /// Meeting.
    pub meeting_id: i64,
    /// 1, 2, ... per meeting.
    pub number: i32,
    /// `solve`, `repair` or `edit`.
    pub source: String,
    /// The version it was made from.
    pub parent_id: Option<i64>,
    /// Hard violations (0 for a valid schedule).
    pub hard: i32,
    /// Soft penalty.
    pub soft: i64,
    /// Whether this is the meeting's published schedule.
    pub published: bool,
    /// When it was published, RFC 3339 UTC.
    pub published_at: Option<String>,
    /// Created, RFC 3339 UTC.
    pub created_at: String,
    /// Run figures (moves, time, bound, sessions moved from the previous schedule).
    pub stats: serde_json::Value,
    /// Sessions it leaves out, each with every reason (it cannot be published while
    /// any are listed: they count as hard violations).
    pub unplaced: Vec<UnplacedView>,
    /// Per rule and every penalty with its reason (full view only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub evaluation: Option<serde_json::Value>,
    /// Every placement (full view only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub placements: Option<Vec<PlacementView>>,
}

type PlacementRow = (
    i64,
    String,
    String,
    i32,
    i64,
    String,
    i64,
    NaiveDateTime,
    String,
);

/// Placements of a version, in start then room order.
pub fn placements(
    conn: &mut DbConn,
    version_id: i64,
    venue: Tz,
) -> Result<Vec<PlacementView>, ApiError> {
    let rows: Vec<PlacementRow> = pl::table
        .inner_join(sessions::table)
        .inner_join(rooms::table)
        .inner_join(time_slots::table)
        .filter(pl::version_id.eq(version_id))
        .order((time_slots::starts_at, rooms::name, sessions::id))
        .select((
            sessions::id,
            sessions::title,
            sessions::status,
            sessions::duration_min,
            rooms::id,
            rooms::name,
            time_slots::id,
            time_slots::starts_at,
            pl::interpreter_teams,
        ))
        .load(conn)?;
    rows.into_iter()
        .map(|(sid, title, status, dur, rid, room, tid, start, teams)| {
            let interpreter_teams =
                crate::db::json_column(&teams, "schedule_placements.interpreter_teams", sid)?;
            let s = from_db(start);
            let e = s + chrono::Duration::minutes(i64::from(dur));
            Ok(PlacementView {
                session_id: sid,
                title,
                status,
                room_id: rid,
                room,
                slot_id: tid,
                starts_at: crate::time::rfc3339(s, venue),
                ends_at: crate::time::rfc3339(e, venue),
                starts_at_utc: crate::time::rfc3339(s, chrono_tz::UTC),
                ends_at_utc: crate::time::rfc3339(e, chrono_tz::UTC),
                interpreter_teams,
            })
        })
        .collect()
}

/// The active sessions a version places, with room and instants, for the messages a
/// publication owes.
fn placed_of(conn: &mut DbConn, version_id: i64) -> Result<Vec<crate::notify::Placed>, ApiError> {
    let rows: Vec<(i64, String, i32, String, NaiveDateTime)> = pl::table
        .inner_join(sessions::table)
        .inner_join(rooms::table)
        .inner_join(time_slots::table)
        .filter(pl::version_id.eq(version_id))
        .filter(sessions::status.eq(crate::sessions::types::SessionStatus::Active.as_str()))
        .select((
            sessions::id,
            sessions::title,
            sessions::duration_min,
            rooms::name,
            time_slots::starts_at,
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(session_id, title, minutes, room, start)| {
            let starts_at = from_db(start);
            crate::notify::Placed {
                session_id,
                title,
                room,
                starts_at,
                ends_at: starts_at + chrono::Duration::minutes(i64::from(minutes)),
            }
        })
        .collect())
}

fn load_row(conn: &mut DbConn, id: i64) -> Result<VersionRow, ApiError> {
    sv::table
        .find(id)
        .select(VersionRow::as_select())
        .first(conn)
        .optional()?
        .ok_or(ApiError::NotFound("schedule version"))
}

/// The meeting a version belongs to.
pub fn meeting_of(conn: &mut DbConn, id: i64) -> Result<i64, ApiError> {
    Ok(load_row(conn, id)?.meeting_id)
}

/// A version's view; `full` adds placements and the explanation.
pub fn view(conn: &mut DbConn, id: i64, venue: Tz, full: bool) -> Result<VersionView, ApiError> {
    let r = load_row(conn, id)?;
    let current = published(conn, r.meeting_id)?;
    to_view(conn, r, current, venue, full)
}

/// Builds the view of a loaded row; `current` is the meeting's published version.
fn to_view(
    conn: &mut DbConn,
    r: VersionRow,
    current: Option<i64>,
    venue: Tz,
    full: bool,
) -> Result<VersionView, ApiError> {
    let internal = |e: serde_json::Error| ApiError::Internal(e.into());
    let ts = |t: NaiveDateTime| from_db(t).to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    let mut stats: serde_json::Value =
        crate::db::json_column(&r.stats, "schedule_versions.stats", r.id)?;
    let left_out = stats
        .as_object_mut()
        .and_then(|o| o.remove("unplaced"))
        .unwrap_or(serde_json::Value::Array(vec![]));
    let unplaced = unplaced_views(conn, r.id, left_out)?;
    Ok(VersionView {
        unplaced,
        id: r.id,
        meeting_id: r.meeting_id,
        number: r.number,
        source: r.source,
        parent_id: r.parent_id,
        hard: r.hard,
        soft: r.soft,
        published: current == Some(r.id),
        published_at: r.published_at.map(ts),
        created_at: ts(r.created_at),
        stats,
        evaluation: if full {
            Some(serde_json::from_str(&r.evaluation).map_err(internal)?)
        } else {
            None
        },
        placements: if full {
            Some(placements(conn, r.id, venue)?)
        } else {
            None
        },
    })
}

/// A session a version leaves out, with every reason.
#[derive(Debug, Clone, Serialize)]
pub struct UnplacedView {
    /// The session.
    pub session_id: i64,
    /// Its title.
    pub title: String,
    /// Why, in words that name the people, their zones and their local times.
    pub reasons: Vec<String>,
}

/// An unplaced session as a version's stats keep it.
#[derive(serde::Deserialize)]
struct StoredUnplaced {
    session_id: i64,
    reasons: Vec<String>,
}

/// The stored list of a version's unplaced sessions, read strictly.
fn stored_unplaced(
    version_id: i64,
    stored: serde_json::Value,
) -> Result<Vec<StoredUnplaced>, ApiError> {
    serde_json::from_value(stored).map_err(|e| {
        ApiError::Internal(anyhow::anyhow!(
            "schedule_versions.stats.unplaced of row {version_id} cannot be read: {e}"
        ))
    })
}

/// Stored lists of unplaced sessions with their titles, read in one query.
fn with_titles(
    conn: &mut DbConn,
    lists: Vec<(i64, Vec<StoredUnplaced>)>,
) -> Result<HashMap<i64, Vec<UnplacedView>>, ApiError> {
    let ids: Vec<i64> = lists
        .iter()
        .flat_map(|(_, l)| l.iter().map(|u| u.session_id))
        .collect();
    let titles: HashMap<i64, String> = sessions::table
        .filter(sessions::id.eq_any(&ids))
        .select((sessions::id, sessions::title))
        .load::<(i64, String)>(conn)?
        .into_iter()
        .collect();
    Ok(lists
        .into_iter()
        .map(|(version, list)| {
            let views = list
                .into_iter()
                .map(|u| UnplacedView {
                    title: titles.get(&u.session_id).cloned().unwrap_or_default(),
                    session_id: u.session_id,
                    reasons: u.reasons,
                })
                .collect();
            (version, views)
        })
        .collect())
}

/// The stored list of a version's unplaced sessions, with their titles.
fn unplaced_views(
    conn: &mut DbConn,
    version_id: i64,
    stored: serde_json::Value,
) -> Result<Vec<UnplacedView>, ApiError> {
    let list = stored_unplaced(version_id, stored)?;
    Ok(with_titles(conn, vec![(version_id, list)])?
        .remove(&version_id)
        .unwrap_or_default())
}

/// The unplaced sessions of several versions, in two queries whatever their number.
pub fn unplaced_of(
    conn: &mut DbConn,
    version_ids: &[i64],
) -> Result<HashMap<i64, Vec<UnplacedView>>, ApiError> {
    let rows: Vec<VersionRow> = sv::table
        .filter(sv::id.eq_any(version_ids))
        .select(VersionRow::as_select())
        .load(conn)?;
    let mut lists = vec![];
    for r in rows {
        let stats: serde_json::Value =
            crate::db::json_column(&r.stats, "schedule_versions.stats", r.id)?;
        let left_out = stats
            .get("unplaced")
            .cloned()
            .unwrap_or(serde_json::Value::Array(vec![]));
        lists.push((r.id, stored_unplaced(r.id, left_out)?));
    }
    with_titles(conn, lists)
}

/// The sessions a version leaves out.
pub fn unplaced(conn: &mut DbConn, version_id: i64) -> Result<Vec<UnplacedView>, ApiError> {
    let r = load_row(conn, version_id)?;
    let stats: serde_json::Value =
        crate::db::json_column(&r.stats, "schedule_versions.stats", r.id)?;
    let left_out = stats
        .get("unplaced")
        .cloned()
        .unwrap_or(serde_json::Value::Array(vec![]));
    unplaced_views(conn, version_id, left_out)
}

/// A page of a meeting's versions, newest first.
pub fn list(
    conn: &mut DbConn,
    meeting_id: i64,
    venue: Tz,
    limit: i64,
    offset: i64,
) -> Result<(Vec<VersionView>, i64), ApiError> {
    let total = sv::table
        .filter(sv::meeting_id.eq(meeting_id))
        .count()
        .get_result(conn)?;
    let rows: Vec<VersionRow> = sv::table
        .filter(sv::meeting_id.eq(meeting_id))
        .order(sv::number.desc())
        .limit(limit)
        .offset(offset)
        .select(VersionRow::as_select())
        .load(conn)?;
    let current = published(conn, meeting_id)?;
    let items = rows
        .into_iter()
        .map(|r| to_view(conn, r, current, venue, false))
        .collect::<Result<_, _>>()?;
    Ok((items, total))
}

/// Publishes a version: refused while it breaks a hard rule; audited.
pub fn publish(conn: &mut DbConn, actor: i64, id: i64) -> Result<(), ApiError> {
    crate::db::write_tx(conn, |c| {
        let r = load_row(c, id)?;
        if r.hard > 0 {
            let left_out = unplaced(c, id)?;
            let named = if left_out.is_empty() {
                String::new()
            } else {
                let ids: Vec<String> = left_out.iter().map(|u| u.session_id.to_string()).collect();
                format!(
                    "; {} session(s) are not placed ({}), see `unplaced`",
                    left_out.len(),
                    ids.join(", ")
                )
            };
            return Err(ApiError::conflict(
                crate::error::Code::HardViolations,
                format!(
                    "version {} breaks {} hard rule(s){named}; fix them before publishing",
                    r.number, r.hard
                ),
            ));
        }
        // One publish of a meeting at a time.
        crate::db::lock_meeting(c, r.meeting_id)?;
        let previous = published(c, r.meeting_id)?;
        let last: Option<i64> = sv::table
            .filter(sv::meeting_id.eq(r.meeting_id))
            .select(diesel::dsl::max(sv::publication))
            .first(c)?;
        diesel::update(sv::table.find(id))
            .set((
                sv::published_at.eq(to_db(crate::db::now(c)?)),
                sv::publication.eq(last.unwrap_or(0) + 1),
            ))
            .execute(c)?;
        audit::record(
            c,
            Some(actor),
            "schedule.publish",
            "schedule_version",
            id,
            Some(r.meeting_id),
            json!({"number": r.number, "replaces": previous}),
        )?;
        let publication = last.unwrap_or(0) + 1;
        crate::notify::schedule_published(c, r.meeting_id, id, publication)?;
        let zone: String = crate::db::schema::meetings::table
            .find(r.meeting_id)
            .select(crate::db::schema::meetings::timezone)
            .first(c)?;
        let now = placed_of(c, id)?;
        let before = match previous {
            Some(p) => Some(placed_of(c, p)?),
            None => None,
        };
        crate::notify::schedule_published_to_people(
            c,
            r.meeting_id,
            crate::time::stored_zone(&zone)?,
            publication,
            &now,
            before.as_deref(),
        )?;
        Ok(())
    })
}

/// Filters of the public programme.
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProgrammeQuery {
    /// Only this venue-local date (YYYY-MM-DD).
    pub day: Option<chrono::NaiveDate>,
    /// Only this theme id.
    pub theme_id: Option<i64>,
    /// Only this session type code.
    pub session_type: Option<String>,
    /// Only this room id.
    pub room_id: Option<i64>,
    /// Only sessions with a person whose name contains this (case-insensitive).
    pub person: Option<String>,
    /// Also render times in this IANA zone.
    pub tz: Option<String>,
}

/// A person in the public programme: no email, gender or nationality.
#[derive(Debug, Clone, Serialize)]
pub struct PublicPerson {
    /// Role.
    pub role: String,
    /// Public name.
    pub name: String,
    /// Organisation.
    pub organisation: Option<String>,
    /// `onsite` or `online`.
    pub participation: Option<String>,
}

/// A session in the public programme.
#[derive(Debug, Clone, Serialize)]
pub struct ProgrammeItem {
    /// Session id (stable across versions).
    pub session_id: i64,
    /// Title.
    pub title: String,
    /// Description.
    pub description: String,
    /// `active` or `cancelled`.
    pub status: String,
    /// Session type code.
    pub session_type: String,
    /// Theme.
    pub theme: Option<String>,
    /// Room.
    pub room: String,
    /// Room id.
    pub room_id: i64,
    /// Venue-local date.
    pub day: String,
    /// Start with the venue's offset.
    pub starts_at: String,
    /// End with the venue's offset.
    pub ends_at: String,
    /// Start in UTC.
    pub starts_at_utc: String,
    /// End in UTC.
    pub ends_at_utc: String,
    /// Start in the zone asked for with `tz`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub starts_at_local: Option<String>,
    /// End in the zone asked for with `tz`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ends_at_local: Option<String>,
    /// Needs a hybrid room / can be followed online.
    pub hybrid: bool,
    /// Online join link.
    pub join_url: Option<String>,
    /// People, public fields only.
    pub people: Vec<PublicPerson>,
    /// The policy questions of the proposal it came from.
    pub policy_questions: Vec<String>,
}

/// The public programme.
#[derive(Debug, Clone, Serialize)]
pub struct Programme {
    /// Meeting.
    pub meeting_id: i64,
    /// Published version number.
    pub version: i32,
    /// Published version id, as every schedule route names it.
    pub version_id: i64,
    /// When it was published, RFC 3339 UTC.
    pub published_at: String,
    /// Venue zone.
    pub timezone: String,
    /// The zone of the `_local` times, when asked.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub viewer_timezone: Option<String>,
    /// Subscription links of the programme's calendar feed (same filters).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub calendar: Option<CalendarLinks>,
    /// Sessions, by start then room.
    pub sessions: Vec<ProgrammeItem>,
}

/// The `https://` and `webcal://` links of a calendar feed.
#[derive(Debug, Clone, Serialize)]
pub struct CalendarLinks {
    /// For browsers and downloads.
    pub https: String,
    /// For calendar apps, which open it as a subscription.
    pub webcal: String,
}

/// The published programme, filtered; `viewer` renders times in another zone too.
pub fn programme(
    conn: &mut DbConn,
    meeting_id: i64,
    venue: Tz,
    q: &ProgrammeQuery,
    viewer: Option<Tz>,
) -> Result<Programme, ApiError> {
    let id = published(conn, meeting_id)?.ok_or(ApiError::NotFound("published programme"))?;
    let r = load_row(conn, id)?;
    type Row = (
        i64,
        String,
        String,
        String,
        String,
        Option<String>,
        Option<i64>,
        i64,
        String,
        NaiveDateTime,
        i32,
        bool,
        Option<String>,
    );
    let rows: Vec<Row> = pl::table
        .inner_join(
            sessions::table
                .inner_join(session_types::table)
                .left_join(themes::table),
        )
        .inner_join(rooms::table)
        .inner_join(time_slots::table)
        .filter(pl::version_id.eq(id))
        .order((time_slots::starts_at, rooms::name, sessions::id))
        .select((
            sessions::id,
            sessions::title,
            sessions::description,
            sessions::status,
            session_types::code,
            themes::name.nullable(),
            sessions::theme_id,
            rooms::id,
            rooms::name,
            time_slots::starts_at,
            sessions::duration_min,
            sessions::hybrid,
            sessions::join_url,
        ))
        .load(conn)?;
    let ids: Vec<i64> = rows.iter().map(|x| x.0).collect();
    let mut people: BTreeMap<i64, Vec<crate::sessions::queries::PersonRow>> =
        crate::sessions::queries::people_of(conn, &ids)?;
    let mut questions = crate::proposals::queries::policy_questions_of_sessions(conn, &ids)?;
    let needle = q.person.as_deref().map(|p| p.trim().to_lowercase());
    let mut out = vec![];
    for (
        sid,
        title,
        description,
        status,
        code,
        theme,
        theme_id,
        rid,
        room,
        start,
        dur,
        hybrid,
        join_url,
    ) in rows
    {
        let s = from_db(start);
        let e = s + chrono::Duration::minutes(i64::from(dur));
        let day = s.with_timezone(&venue).date_naive();
        // Rapporteurs are not shown, so the person filter does not find them either.
        let mine: Vec<_> = people
            .remove(&sid)
            .unwrap_or_default()
            .into_iter()
            .filter(|p| p.role != "rapporteur")
            .collect();
        if q.day.is_some_and(|d| d != day)
            || q.theme_id.is_some_and(|t| Some(t) != theme_id)
            || q.session_type.as_ref().is_some_and(|t| *t != code)
            || q.room_id.is_some_and(|x| x != rid)
            || needle
                .as_ref()
                .is_some_and(|n| !mine.iter().any(|p| p.name.to_lowercase().contains(n)))
        {
            continue;
        }
        out.push(ProgrammeItem {
            session_id: sid,
            title,
            description,
            status,
            session_type: code,
            theme,
            room,
            room_id: rid,
            day: day.to_string(),
            starts_at: crate::time::rfc3339(s, venue),
            ends_at: crate::time::rfc3339(e, venue),
            starts_at_utc: crate::time::rfc3339(s, chrono_tz::UTC),
            ends_at_utc: crate::time::rfc3339(e, chrono_tz::UTC),
            starts_at_local: viewer.map(|z| crate::time::rfc3339(s, z)),
            ends_at_local: viewer.map(|z| crate::time::rfc3339(e, z)),
            hybrid,
            join_url,
            people: mine
                .into_iter()
                .map(|p| PublicPerson {
                    role: p.role,
                    name: p.name,
                    organisation: p.organisation,
                    participation: p.participation,
                })
                .collect(),
            policy_questions: questions.remove(&sid).unwrap_or_default(),
        });
    }
    Ok(Programme {
        meeting_id,
        version: r.number,
        version_id: r.id,
        published_at: r
            .published_at
            .map(|t| from_db(t).to_rfc3339_opts(chrono::SecondsFormat::Secs, true))
            .unwrap_or_default(),
        timezone: venue.name().to_string(),
        viewer_timezone: viewer.map(|z| z.name().to_string()),
        calendar: None,
        sessions: out,
    })
}
