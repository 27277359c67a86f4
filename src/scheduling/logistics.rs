//! What a meeting's technical services can serve at once (online channels, real-time
//! captioners) and its interpreter teams, read and replaced as one resource; and how
//! they become the solver's [`solver::Logistics`].

use std::collections::{BTreeMap, BTreeSet};

use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use serde_json::json;
use sha2::{Digest, Sha256};

use super::solver;
use crate::audit;
use crate::db::DbConn;
use crate::db::schema::{interpreter_teams as it, meetings};
use crate::error::{ApiError, FieldError};
use crate::meetings::queries::languages_text;
use crate::validate::Checker;

/// A meeting's logistics as the API shows them.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LogisticsView {
    /// Online meeting channels (licence and technician) that can run at once; every
    /// hybrid session takes one. `null`: no limit.
    pub online_channels: Option<i32>,
    /// Real-time captioners at work at once. `null`: no limit.
    pub captioners: Option<i32>,
    /// Interpreter teams.
    pub interpreter_teams: Vec<TeamView>,
    /// Bilateral room bookings a delegation, and an account, may hold per day.
    pub bilateral_daily_limit: i32,
}

/// An interpreter team.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TeamView {
    /// Id.
    pub id: i64,
    /// Name.
    pub name: String,
    /// Languages it interprets into (ISO 639 codes).
    pub languages: Vec<String>,
    /// Most sessions it serves in a venue day. `null`: no limit.
    pub max_sessions_per_day: Option<i32>,
    /// Most minutes of sessions it serves in a venue day. `null`: no limit.
    pub max_minutes_per_day: Option<i32>,
    /// Least minutes between the end of one session it serves and the start of the
    /// next. `null`: none.
    pub min_break_min: Option<i32>,
}

/// Body of `PUT /api/v1/meetings/{meeting_id}/logistics`: the whole of it.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LogisticsInput {
    /// Online channels at once; absent or `null`: no limit.
    #[serde(default)]
    pub online_channels: Option<i32>,
    /// Captioners at once; absent or `null`: no limit.
    #[serde(default)]
    pub captioners: Option<i32>,
    /// Every team: one with an `id` is that team changed, one without is new, and a
    /// team left out is removed.
    #[serde(default)]
    pub interpreter_teams: Vec<TeamInput>,
    /// Bilateral room bookings a delegation, and an account, may hold per day
    /// (default 2).
    #[serde(default = "two")]
    pub bilateral_daily_limit: i32,
}

fn two() -> i32 {
    2
}

/// An interpreter team as sent.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TeamInput {
    /// The team's id, to change it; absent for a new team.
    #[serde(default)]
    pub id: Option<i64>,
    /// Name, unique in the meeting.
    pub name: String,
    /// Languages it interprets into.
    pub languages: Vec<String>,
    /// Most sessions a venue day; absent or `null`: no limit.
    #[serde(default)]
    pub max_sessions_per_day: Option<i32>,
    /// Most minutes of sessions a venue day; absent or `null`: no limit.
    #[serde(default)]
    pub max_minutes_per_day: Option<i32>,
    /// Least minutes of rest between two sessions; absent or `null`: none.
    #[serde(default)]
    pub min_break_min: Option<i32>,
}

/// A team row.
type TeamRow = (i64, String, String, Option<i32>, Option<i32>, Option<i32>);

/// The meeting's logistics.
pub fn load(c: &mut DbConn, meeting_id: i64) -> Result<LogisticsView, ApiError> {
    let (online_channels, captioners, bilateral_daily_limit): (Option<i32>, Option<i32>, i32) =
        meetings::table
            .find(meeting_id)
            .select((
                meetings::online_channels,
                meetings::captioners,
                meetings::bilateral_daily_limit,
            ))
            .first(c)
            .optional()?
            .ok_or(ApiError::NotFound("meeting"))?;
    let rows: Vec<TeamRow> = it::table
        .filter(it::meeting_id.eq(meeting_id))
        .order(it::id)
        .select((
            it::id,
            it::name,
            it::languages,
            it::max_sessions_per_day,
            it::max_minutes_per_day,
            it::min_break_min,
        ))
        .load(c)?;
    let interpreter_teams = rows
        .into_iter()
        .map(|(id, name, languages, max, minutes, rest)| {
            Ok(TeamView {
                languages: crate::db::json_column(&languages, "interpreter_teams.languages", id)?,
                id,
                name,
                max_sessions_per_day: max,
                max_minutes_per_day: minutes,
                min_break_min: rest,
            })
        })
        .collect::<Result<_, ApiError>>()?;
    Ok(LogisticsView {
        online_channels,
        captioners,
        interpreter_teams,
        bilateral_daily_limit,
    })
}

/// The entity tag of a meeting's logistics: a digest of what they hold, so that any
/// change on any instance moves it on.
pub fn etag(meeting_id: i64, v: &LogisticsView) -> String {
    let body = serde_json::to_vec(v).unwrap_or_default();
    let digest = Sha256::digest(&body);
    let short: String = digest[..8].iter().map(|b| format!("{b:02x}")).collect();
    format!("\"logistics-{meeting_id}-{short}\"")
}

fn check(input: &LogisticsInput) -> Result<(), ApiError> {
    let mut c = Checker::new();
    if let Some(n) = input.online_channels {
        c.range("online_channels", n, 0, 10_000);
    }
    if let Some(n) = input.captioners {
        c.range("captioners", n, 0, 10_000);
    }
    c.range("bilateral_daily_limit", input.bilateral_daily_limit, 1, 48);
    if input.interpreter_teams.len() > 100 {
        c.add(
            "interpreter_teams",
            "max_items",
            "a meeting has at most 100 interpreter teams",
        );
    }
    let mut names = BTreeSet::new();
    let mut ids = BTreeSet::new();
    for (i, t) in input.interpreter_teams.iter().enumerate() {
        let at = |f: &str| format!("interpreter_teams[{i}].{f}");
        c.text(&at("name"), &t.name, 200);
        if !names.insert(t.name.trim().to_lowercase()) {
            c.add(
                at("name"),
                "unique",
                format!("two teams are named {:?}", t.name.trim()),
            );
        }
        if t.languages.is_empty() {
            c.add(
                at("languages"),
                "required",
                "a team interprets into at least one language",
            );
        }
        c.languages(&at("languages"), &t.languages);
        if let Some(n) = t.max_sessions_per_day {
            c.range(&at("max_sessions_per_day"), n, 1, 48);
        }
        if let Some(n) = t.max_minutes_per_day {
            c.range(&at("max_minutes_per_day"), n, 15, 24 * 60);
        }
        if let Some(n) = t.min_break_min {
            c.range(&at("min_break_min"), n, 0, 12 * 60);
        }
        if let Some(id) = t.id
            && !ids.insert(id)
        {
            c.add(at("id"), "unique", format!("team {id} is named twice"));
        }
    }
    c.finish()
}

/// Replaces the meeting's logistics in one transaction, audited; `expected` is the
/// `If-Match` sent, if any.
pub fn replace(
    conn: &mut DbConn,
    actor: i64,
    meeting_id: i64,
    input: &LogisticsInput,
    expected: &Option<Vec<String>>,
) -> Result<LogisticsView, ApiError> {
    check(input)?;
    crate::db::write_tx(conn, |c| {
        crate::db::lock_meeting(c, meeting_id)?;
        let before = load(c, meeting_id)?;
        crate::etag::check(expected, &etag(meeting_id, &before))?;
        let known: BTreeMap<i64, &TeamView> =
            before.interpreter_teams.iter().map(|t| (t.id, t)).collect();
        let mut bad = vec![];
        for (i, t) in input.interpreter_teams.iter().enumerate() {
            if let Some(id) = t.id
                && !known.contains_key(&id)
            {
                bad.push(FieldError::new(
                    format!("interpreter_teams[{i}].id"),
                    "exists",
                    format!("team {id} is not a team of this meeting"),
                ));
            }
        }
        if !bad.is_empty() {
            return Err(ApiError::validation(bad));
        }
        diesel::update(meetings::table.find(meeting_id))
            .set((
                meetings::online_channels.eq(input.online_channels),
                meetings::captioners.eq(input.captioners),
                meetings::bilateral_daily_limit.eq(input.bilateral_daily_limit),
            ))
            .execute(c)?;
        let kept: BTreeSet<i64> = input
            .interpreter_teams
            .iter()
            .filter_map(|t| t.id)
            .collect();
        for id in known.keys().filter(|id| !kept.contains(id)) {
            diesel::delete(it::table.find(id)).execute(c)?;
        }
        // Renamed teams first take names no other team holds, so that two teams may
        // swap names in one request without meeting the unique index halfway.
        for t in input.interpreter_teams.iter().filter(|t| t.id.is_some()) {
            if let Some(id) = t.id {
                diesel::update(it::table.find(id))
                    .set(it::name.eq(format!("\u{1}renaming {id}")))
                    .execute(c)?;
            }
        }
        for t in &input.interpreter_teams {
            let values = (
                it::name.eq(t.name.trim()),
                it::languages.eq(languages_text(&t.languages)),
                it::max_sessions_per_day.eq(t.max_sessions_per_day),
                it::max_minutes_per_day.eq(t.max_minutes_per_day),
                it::min_break_min.eq(t.min_break_min),
            );
            match t.id {
                Some(id) => {
                    diesel::update(it::table.find(id)).set(values).execute(c)?;
                }
                None => {
                    diesel::insert_into(it::table)
                        .values((it::meeting_id.eq(meeting_id), values))
                        .execute(c)?;
                }
            }
        }
        let after = load(c, meeting_id)?;
        audit::record(
            c,
            Some(actor),
            "logistics.replace",
            "meeting",
            meeting_id,
            Some(meeting_id),
            json!({"before": before, "after": after}),
        )?;
        Ok(after)
    })
}

/// The solver's view of a meeting's logistics: team ids are the stored ids as text.
pub fn for_solver(v: &LogisticsView) -> solver::Logistics {
    let limit = |n: Option<i32>| n.map(|n| n.max(0) as u32);
    solver::Logistics {
        online_channels: limit(v.online_channels),
        captioners: limit(v.captioners),
        interpreter_teams: v
            .interpreter_teams
            .iter()
            .map(|t| solver::InterpreterTeam {
                id: t.id.to_string(),
                name: t.name.clone(),
                languages: t.languages.clone(),
                max_sessions_per_day: limit(t.max_sessions_per_day),
                max_minutes_per_day: limit(t.max_minutes_per_day),
                min_break_min: limit(t.min_break_min),
            })
            .collect(),
    }
}
