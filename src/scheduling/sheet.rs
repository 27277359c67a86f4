//! The logistics sheet of a schedule version for the technical team: per room and slot,
//! what must be ready (interpretation booths and languages with the teams that serve
//! them, a captioner and a caption display, sign language, an online channel with its
//! join link, hybrid equipment), what each slot uses of the meeting's online channels,
//! captioners and interpreter teams, and every logistics rule the schedule breaks. As
//! JSON, and as CSV (one line per session) for a spreadsheet.

use std::collections::BTreeMap;

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};

use super::solver::{self, Assignment};
use super::{build, logistics, versions};
use crate::db::DbConn;
use crate::db::schema::{rooms, schedule_placements as pl, sessions, time_slots};
use crate::error::ApiError;
use crate::meetings::models::Meeting;

/// Query of `GET /api/v1/schedules/{version_id}/logistics`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SheetQuery {
    /// One venue day (`YYYY-MM-DD`); every day when absent.
    #[serde(default)]
    pub day: Option<String>,
    /// `json` (default), `csv` or `xlsx`.
    #[serde(default)]
    pub format: Option<SheetFormat>,
}

/// How the sheet is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SheetFormat {
    /// JSON, with the slots' use and the rules broken.
    Json,
    /// CSV, one line per session.
    Csv,
    /// An XLSX workbook, one row per session.
    Xlsx,
}

/// One placed session and what its room must have ready.
#[derive(Debug, Clone, Serialize)]
pub struct SheetRow {
    /// Venue day.
    pub date: NaiveDate,
    /// Start, venue time (RFC 3339 with offset).
    pub starts_at: String,
    /// End, venue time.
    pub ends_at: String,
    /// Room id.
    pub room_id: i64,
    /// Room.
    pub room: String,
    /// Session id.
    pub session_id: i64,
    /// Title.
    pub title: String,
    /// `active` or `cancelled` (a cancelled session needs nothing).
    pub status: String,
    /// The session is hybrid: it needs an online channel and the room's hybrid kit.
    pub online_channel: bool,
    /// Its online meeting's join link.
    pub join_url: Option<String>,
    /// The room has hybrid equipment.
    pub room_hybrid: bool,
    /// Languages it is interpreted into.
    pub interpretation: Vec<String>,
    /// Languages the room has booths for.
    pub booths: Vec<String>,
    /// Names of the interpreter teams that serve it.
    pub interpreter_teams: Vec<String>,
    /// Needs a real-time captioner.
    pub captioning: bool,
    /// The room shows captions.
    pub caption_display: bool,
    /// Needs sign language interpretation.
    pub sign_language: bool,
}

/// What a slot uses of the meeting's logistics.
#[derive(Debug, Clone, Serialize)]
pub struct SlotLoad {
    /// Slot id.
    pub slot_id: i64,
    /// Start, venue time.
    pub starts_at: String,
    /// Hybrid sessions starting in it, each on an online channel.
    pub online_channels: u32,
    /// Channels the meeting has (`null`: no limit).
    pub online_channels_limit: Option<u32>,
    /// Captioned sessions starting in it.
    pub captioners: u32,
    /// Captioners the meeting has (`null`: no limit).
    pub captioners_limit: Option<u32>,
    /// Interpreter teams at work in it, by name.
    pub interpreter_teams: Vec<String>,
}

/// The sheet.
#[derive(Debug, Clone, Serialize)]
pub struct Sheet {
    /// The version.
    pub version_id: i64,
    /// The venue's zone, in which every time is given.
    pub timezone: String,
    /// The day asked for, if one was.
    pub day: Option<NaiveDate>,
    /// Every placed session, by start and room.
    pub rows: Vec<SheetRow>,
    /// Every slot's use of the meeting's logistics.
    pub slots: Vec<SlotLoad>,
    /// Every logistics rule the schedule breaks, in words (empty when it keeps them).
    pub broken: Vec<String>,
}

/// The rules of logistics, whose breaches the sheet lists.
const LOGISTICS_RULES: &[&str] = &[
    "interpretation_booths",
    "online_channels",
    "captioners",
    "interpreter_teams",
];

type Row = (
    (i64, String, String, bool, Option<String>),
    (String, bool, bool),
    (i64, String, bool, String, bool),
    (i64, NaiveDateTime, NaiveDateTime, i32),
    String,
);

/// The logistics sheet of version `version_id` of `meeting`, for one venue day or all.
pub fn sheet(
    c: &mut DbConn,
    meeting: &Meeting,
    version_id: i64,
    day: Option<NaiveDate>,
) -> Result<Sheet, ApiError> {
    let venue = meeting.venue()?;
    let teams = logistics::load(c, meeting.id)?;
    let team_name: BTreeMap<String, String> = teams
        .interpreter_teams
        .iter()
        .map(|t| (t.id.to_string(), t.name.clone()))
        .collect();
    let name_of = |id: &String| {
        team_name
            .get(id)
            .cloned()
            .unwrap_or_else(|| format!("team {id} (since removed)"))
    };
    let rows: Vec<Row> = pl::table
        .inner_join(sessions::table)
        .inner_join(rooms::table)
        .inner_join(time_slots::table)
        .filter(pl::version_id.eq(version_id))
        .order((time_slots::starts_at, rooms::name, sessions::id))
        .select((
            (
                sessions::id,
                sessions::title,
                sessions::status,
                sessions::hybrid,
                sessions::join_url,
            ),
            (
                sessions::interpretation,
                sessions::captioning,
                sessions::sign_language,
            ),
            (
                rooms::id,
                rooms::name,
                rooms::hybrid,
                rooms::booths,
                rooms::caption_display,
            ),
            (
                time_slots::id,
                time_slots::starts_at,
                time_slots::ends_at,
                sessions::duration_min,
            ),
            pl::interpreter_teams,
        ))
        .load(c)?;
    let local = |t: NaiveDateTime| {
        crate::time::from_db(t)
            .with_timezone(&venue)
            .to_rfc3339_opts(chrono::SecondsFormat::Secs, false)
    };
    let date_of = |t: NaiveDateTime| crate::time::from_db(t).with_timezone(&venue).date_naive();
    let mut out = vec![];
    for (
        (session_id, title, status, hybrid, join_url),
        (interpretation, captioning, sign_language),
        (room_id, room, room_hybrid, booths, caption_display),
        (_, starts, _, minutes),
        placed_teams,
    ) in rows
    {
        if day.is_some_and(|d| d != date_of(starts)) {
            continue;
        }
        let placed_teams: Vec<i64> = crate::db::json_column(
            &placed_teams,
            "schedule_placements.interpreter_teams",
            session_id,
        )?;
        out.push(SheetRow {
            date: date_of(starts),
            starts_at: local(starts),
            ends_at: local(starts + chrono::Duration::minutes(i64::from(minutes))),
            room_id,
            room,
            session_id,
            title,
            status,
            online_channel: hybrid,
            join_url,
            room_hybrid,
            interpretation: crate::db::json_column(
                &interpretation,
                "sessions.interpretation",
                session_id,
            )?,
            booths: crate::db::json_column(&booths, "rooms.booths", room_id)?,
            interpreter_teams: placed_teams
                .iter()
                .map(|t| name_of(&t.to_string()))
                .collect(),
            captioning,
            caption_display,
            sign_language,
        });
    }
    // The slots' use and the rules broken, as the solver counts them, over the active
    // sessions (a cancelled one uses nothing).
    let problem = build::problem(c, meeting, vec![])?;
    let active: std::collections::BTreeSet<&str> =
        problem.sessions.iter().map(|s| s.id.0.as_str()).collect();
    let placed: Vec<Assignment> = versions::assignments(c, version_id)?
        .into_iter()
        .filter(|a| active.contains(a.session.0.as_str()))
        .collect();
    let evaluation = solver::constraints::evaluate(&problem, &placed);
    let slot_start: BTreeMap<String, chrono::DateTime<chrono::Utc>> = problem
        .slots
        .iter()
        .map(|s| (s.id.0.clone(), s.interval.start))
        .collect();
    let in_day = |slot: &str| {
        slot_start
            .get(slot)
            .is_some_and(|t| day.is_none_or(|d| t.with_timezone(&venue).date_naive() == d))
    };
    let slots = evaluation
        .logistics
        .iter()
        .filter(|u| in_day(&u.slot.0))
        .map(|u| SlotLoad {
            slot_id: u.slot.0.parse().unwrap_or_default(),
            starts_at: slot_start[&u.slot.0]
                .with_timezone(&venue)
                .to_rfc3339_opts(chrono::SecondsFormat::Secs, false),
            online_channels: u.online_channels,
            online_channels_limit: u.online_channels_limit,
            captioners: u.captioners,
            captioners_limit: u.captioners_limit,
            interpreter_teams: u.interpreter_teams.iter().map(name_of).collect(),
        })
        .collect();
    let slot_of: BTreeMap<&str, &str> = placed
        .iter()
        .map(|a| (a.session.0.as_str(), a.slot.0.as_str()))
        .collect();
    let broken = evaluation
        .penalties
        .iter()
        .filter(|p| p.hard && LOGISTICS_RULES.contains(&p.constraint))
        .filter(|p| {
            day.is_none()
                || p.sessions
                    .iter()
                    .any(|s| slot_of.get(s.0.as_str()).is_some_and(|t| in_day(t)))
        })
        .map(|p| p.reason.clone())
        .collect();
    Ok(Sheet {
        version_id,
        timezone: meeting.timezone.clone(),
        day,
        rows: out,
        slots,
        broken,
    })
}
