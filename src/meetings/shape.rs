//! A meeting's shape after it is made: the secretariat adds, changes and removes rooms,
//! themes, session types and time slots. Nothing is silently lost: removing what a
//! session, a proposal, a pin or a schedule version uses answers 409 naming them; a
//! change that leaves placed sessions breaking a rule (a room too small, a slot too
//! short) is made, and the answer lists those sessions as needing a repair.

use std::collections::{BTreeMap, BTreeSet};

use chrono::NaiveDate;
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use serde_json::json;

use super::models::{Meeting, Placement};
use super::queries::{self, RoomRow, languages_text};
use super::service::load_for_secretariat;
use super::types::{
    PlacementInput, RoomInput, RoomResponse, SessionTypeInput, SessionTypeResponse, SlotResponse,
    ThemeInput, ThemeResponse, parse_hhmm,
};
use crate::audit;
use crate::auth::{AuthUser, Role};
use crate::db::DbConn;
use crate::db::schema::{
    meeting_days, proposals, rooms, schedule_placements as sp, session_types, sessions, themes,
    time_slots, unavailability,
};
use crate::error::{ApiError, Code};
use crate::proposals::types::Layout;
use crate::time::{from_db, local_to_utc, show, to_db};
use crate::validate::Checker;

/// A placed session that a change leaves breaking a rule, to be repaired.
#[derive(Debug, Clone, Serialize)]
pub struct NeedsRepair {
    /// The schedule version that places it.
    pub version_id: i64,
    /// The session.
    pub session_id: i64,
    /// Its title.
    pub title: String,
    /// What it now breaks, in words.
    pub reason: String,
}

/// A room as changed, with the placed sessions it leaves to repair.
#[derive(Debug, Serialize)]
pub struct RoomChanged {
    /// The room.
    pub room: RoomResponse,
    /// Placed sessions the change breaks.
    pub needs_repair: Vec<NeedsRepair>,
}

/// A slot as changed, with the placed sessions it leaves to repair.
#[derive(Debug, Serialize)]
pub struct SlotChanged {
    /// The slot.
    pub slot: SlotResponse,
    /// Placed sessions the change breaks; the others in it move with it.
    pub needs_repair: Vec<NeedsRepair>,
}

/// Body of `PATCH /api/v1/rooms/{room_id}`; absent fields stay.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RoomChange {
    /// Name.
    #[serde(default, deserialize_with = "crate::optional::present")]
    pub name: Option<String>,
    /// Seats.
    #[serde(default, deserialize_with = "crate::optional::present")]
    pub capacity: Option<i32>,
    /// Equipped for hybrid sessions.
    #[serde(default, deserialize_with = "crate::optional::present")]
    pub hybrid: Option<bool>,
    /// Layout.
    #[serde(default, deserialize_with = "crate::optional::present")]
    pub layout: Option<Layout>,
    /// Languages it has an interpretation booth for; `[]` for none.
    #[serde(default, deserialize_with = "crate::optional::present")]
    pub booths: Option<Vec<String>>,
    /// Has a display for real-time captions.
    #[serde(default, deserialize_with = "crate::optional::present")]
    pub caption_display: Option<bool>,
}

/// Body of `PATCH /api/v1/themes/{theme_id}`; absent fields stay.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ThemeChange {
    /// Name.
    #[serde(default, deserialize_with = "crate::optional::present")]
    pub name: Option<String>,
    /// Description.
    #[serde(default, deserialize_with = "crate::optional::present")]
    pub description: Option<String>,
    /// Target share of the programme, 0 to 1; `null` clears it.
    #[serde(default, deserialize_with = "crate::proposals::types::double_option")]
    pub target_share: Option<Option<f64>>,
}

/// Body of `PATCH /api/v1/session-types/{type_id}`; absent fields stay.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SessionTypeChange {
    /// Display name.
    #[serde(default, deserialize_with = "crate::optional::present")]
    pub name: Option<String>,
    /// Allowed durations; sessions of the type must keep an allowed one.
    #[serde(default, deserialize_with = "crate::optional::present")]
    pub durations: Option<Vec<i32>>,
    /// Proposers may propose it.
    #[serde(default, deserialize_with = "crate::optional::present")]
    pub from_call: Option<bool>,
    /// Nothing may run in parallel.
    #[serde(default, deserialize_with = "crate::optional::present")]
    pub exclusive: Option<bool>,
    /// Placement rules, replaced whole.
    #[serde(default, deserialize_with = "crate::optional::present")]
    pub placement: Option<PlacementInput>,
}

/// Body of `POST /api/v1/meetings/{meeting_id}/slots`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SlotNew {
    /// The meeting day (0 is Day 0).
    pub day_number: i32,
    /// Local start, `HH:MM` in the venue's zone.
    pub start: String,
    /// Length in minutes.
    pub duration_min: i32,
}

/// Body of `PATCH /api/v1/slots/{slot_id}`; absent fields stay.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SlotChange {
    /// Local start, `HH:MM` in the venue's zone.
    #[serde(default, deserialize_with = "crate::optional::present")]
    pub start: Option<String>,
    /// Length in minutes.
    #[serde(default, deserialize_with = "crate::optional::present")]
    pub duration_min: Option<i32>,
}

fn in_use(what: String, users: &[String]) -> ApiError {
    ApiError::conflict(
        Code::InUse,
        format!("{what} is used by {}; change them first", users.join(", ")),
    )
}

/// At most 20 ids in words, with how many more.
pub(super) fn listed(label: &str, ids: &[i64]) -> Option<String> {
    if ids.is_empty() {
        return None;
    }
    let shown: Vec<String> = ids.iter().take(20).map(i64::to_string).collect();
    let more = ids.len().saturating_sub(20);
    Some(format!(
        "{label} {}{}",
        shown.join(", "),
        if more > 0 {
            format!(" and {more} more")
        } else {
            String::new()
        }
    ))
}

fn meeting_of(conn: &mut DbConn, actor: &AuthUser, meeting_id: i64) -> Result<Meeting, ApiError> {
    load_for_secretariat(conn, actor, meeting_id)
}

fn load_room(c: &mut DbConn, id: i64) -> Result<RoomRow, ApiError> {
    rooms::table
        .find(id)
        .select(RoomRow::as_select())
        .first(c)
        .optional()?
        .ok_or(ApiError::NotFound("room"))
}

fn check_room(
    c: &mut Checker,
    name: Option<&str>,
    capacity: Option<i32>,
    booths: Option<&[String]>,
) {
    if let Some(n) = name {
        c.text("name", n, 200);
    }
    if let Some(cap) = capacity {
        c.range("capacity", cap, 1, 100_000);
    }
    if let Some(b) = booths {
        c.languages("booths", b);
    }
}

/// Refuses a name another row of the meeting (`what`: room, theme) has, compared
/// without case.
fn ensure_name_free(
    names: Vec<(i64, String)>,
    name: &str,
    except: Option<i64>,
    what: &str,
) -> Result<(), ApiError> {
    let key = name.trim().to_lowercase();
    if names
        .iter()
        .any(|(id, n)| Some(*id) != except && n.trim().to_lowercase() == key)
    {
        return Err(ApiError::conflict(
            Code::DuplicateName,
            format!("the meeting has a {what} named {:?} already", name.trim()),
        ));
    }
    Ok(())
}

/// The meeting's rooms.
pub fn list_rooms(
    conn: &mut DbConn,
    actor: &AuthUser,
    meeting_id: i64,
) -> Result<Vec<RoomResponse>, ApiError> {
    let m = meeting_of(conn, actor, meeting_id)?;
    Ok(queries::view(conn, &m)?.rooms)
}

/// The secretariat adds a room.
pub fn add_room(
    conn: &mut DbConn,
    actor: &AuthUser,
    meeting_id: i64,
    input: &RoomInput,
) -> Result<RoomResponse, ApiError> {
    actor.require(Role::Secretariat)?;
    let mut c = Checker::new();
    check_room(
        &mut c,
        Some(&input.name),
        Some(input.capacity),
        Some(&input.booths),
    );
    c.finish()?;
    meeting_of(conn, actor, meeting_id)?;
    crate::db::write_tx(conn, |c| {
        let names = rooms::table
            .filter(rooms::meeting_id.eq(meeting_id))
            .select((rooms::id, rooms::name))
            .load(c)?;
        ensure_name_free(names, &input.name, None, "room")?;
        let id: i64 = crate::with_backend!(c, |b| diesel::insert_into(rooms::table)
            .values((
                rooms::meeting_id.eq(meeting_id),
                rooms::name.eq(input.name.trim()),
                rooms::capacity.eq(input.capacity),
                rooms::hybrid.eq(input.hybrid),
                rooms::layout.eq(input.layout.as_str()),
                rooms::booths.eq(languages_text(&input.booths)),
                rooms::caption_display.eq(input.caption_display),
            ))
            .returning(rooms::id)
            .get_result(b))?;
        audit::record(
            c,
            Some(actor.id),
            "room.create",
            "room",
            id,
            Some(meeting_id),
            json!({"name": input.name.trim(), "capacity": input.capacity, "hybrid": input.hybrid}),
        )?;
        load_room(c, id)?.view()
    })
}

/// Sessions placed in `room` in any version of the meeting whose needs it no longer meets.
fn broken_in_room(
    c: &mut DbConn,
    room: i64,
    capacity: i32,
    hybrid: bool,
    name: &str,
) -> Result<Vec<NeedsRepair>, ApiError> {
    let rows: Vec<(i64, i64, String, i32, bool)> = sp::table
        .inner_join(sessions::table)
        .filter(sp::room_id.eq(room))
        .order((sp::version_id, sp::session_id))
        .select((
            sp::version_id,
            sp::session_id,
            sessions::title,
            sessions::expected_attendance,
            sessions::hybrid,
        ))
        .load(c)?;
    Ok(rows
        .into_iter()
        .filter_map(|(v, s, title, attendance, needs_hybrid)| {
            let reason = if attendance > capacity {
                format!("{name} now seats {capacity}; the session expects {attendance}")
            } else if needs_hybrid && !hybrid {
                format!("{name} is no longer hybrid; the session is")
            } else {
                return None;
            };
            Some(NeedsRepair {
                version_id: v,
                session_id: s,
                title,
                reason,
            })
        })
        .collect())
}

/// The secretariat changes a room; placed sessions it no longer suits are listed.
pub fn update_room(
    conn: &mut DbConn,
    actor: &AuthUser,
    room_id: i64,
    input: &RoomChange,
) -> Result<RoomChanged, ApiError> {
    actor.require(Role::Secretariat)?;
    let mut c = Checker::new();
    check_room(
        &mut c,
        input.name.as_deref(),
        input.capacity,
        input.booths.as_deref(),
    );
    c.finish()?;
    crate::db::write_tx(conn, |c| {
        let r = load_room(c, room_id)?;
        let name = input
            .name
            .as_deref()
            .map(str::trim)
            .unwrap_or(&r.name)
            .to_string();
        let names = rooms::table
            .filter(rooms::meeting_id.eq(r.meeting_id))
            .select((rooms::id, rooms::name))
            .load(c)?;
        ensure_name_free(names, &name, Some(room_id), "room")?;
        let (capacity, hybrid) = (
            input.capacity.unwrap_or(r.capacity),
            input.hybrid.unwrap_or(r.hybrid),
        );
        let layout = input
            .layout
            .map_or(r.layout.clone(), |l| l.as_str().to_string());
        let booths = match &input.booths {
            Some(b) => languages_text(b),
            None => r.booths.clone(),
        };
        let caption_display = input.caption_display.unwrap_or(r.caption_display);
        diesel::update(rooms::table.find(room_id))
            .set((
                rooms::name.eq(&name),
                rooms::capacity.eq(capacity),
                rooms::hybrid.eq(hybrid),
                rooms::layout.eq(&layout),
                rooms::booths.eq(&booths),
                rooms::caption_display.eq(caption_display),
            ))
            .execute(c)?;
        let needs_repair = broken_in_room(c, room_id, capacity, hybrid, &name)?;
        audit::record(
            c,
            Some(actor.id),
            "room.update",
            "room",
            room_id,
            Some(r.meeting_id),
            json!({"before": {"name": r.name, "capacity": r.capacity, "hybrid": r.hybrid,
                              "layout": r.layout, "booths": r.booths,
                              "caption_display": r.caption_display},
                   "after": {"name": name, "capacity": capacity, "hybrid": hybrid, "layout": layout,
                             "booths": booths, "caption_display": caption_display},
                   "needs_repair": needs_repair.len()}),
        )?;
        Ok(RoomChanged {
            room: load_room(c, room_id)?.view()?,
            needs_repair,
        })
    })
}

/// The secretariat removes a room no session is placed or pinned in; its closures go
/// with it and session types stop naming it. The last room stays.
pub fn remove_room(conn: &mut DbConn, actor: &AuthUser, room_id: i64) -> Result<(), ApiError> {
    actor.require(Role::Secretariat)?;
    crate::db::write_tx(conn, |c| {
        let r = load_room(c, room_id)?;
        let placed: Vec<i64> = sp::table
            .filter(sp::room_id.eq(room_id))
            .select(sp::session_id)
            .distinct()
            .load(c)?;
        let versions: Vec<i64> = sp::table
            .filter(sp::room_id.eq(room_id))
            .select(sp::version_id)
            .distinct()
            .load(c)?;
        let pinned: Vec<i64> = sessions::table
            .filter(sessions::pinned_room_id.eq(room_id))
            .select(sessions::id)
            .load(c)?;
        let users: Vec<String> = [
            listed("sessions", &placed),
            listed("schedule versions", &versions),
            listed("sessions pinned there", &pinned),
        ]
        .into_iter()
        .flatten()
        .collect();
        if !users.is_empty() {
            return Err(in_use(
                format!(
                    "room {:?} (close it for the meeting with /unavailability instead)",
                    r.name
                ),
                &users,
            ));
        }
        let count: i64 = rooms::table
            .filter(rooms::meeting_id.eq(r.meeting_id))
            .count()
            .get_result(c)?;
        if count <= 1 {
            return Err(ApiError::conflict(
                Code::LastOne,
                "a meeting needs at least one room",
            ));
        }
        diesel::delete(unavailability::table.filter(unavailability::room_id.eq(room_id)))
            .execute(c)?;
        let types: Vec<(i64, String)> = session_types::table
            .filter(session_types::meeting_id.eq(r.meeting_id))
            .select((session_types::id, session_types::placement))
            .load(c)?;
        for (id, text) in types {
            let mut p: Placement = crate::db::json_column(&text, "session_types.placement", id)?;
            if p.room_ids.contains(&room_id) {
                p.room_ids.retain(|x| *x != room_id);
                diesel::update(session_types::table.find(id))
                    .set(
                        session_types::placement
                            .eq(serde_json::to_string(&p)
                                .map_err(|e| ApiError::Internal(e.into()))?),
                    )
                    .execute(c)?;
            }
        }
        diesel::delete(rooms::table.find(room_id)).execute(c)?;
        audit::record(
            c,
            Some(actor.id),
            "room.delete",
            "room",
            room_id,
            Some(r.meeting_id),
            json!({"name": r.name}),
        )
    })
}

type ThemeRow = (i64, i64, String, String, Option<f64>);

fn load_theme(c: &mut DbConn, id: i64) -> Result<ThemeRow, ApiError> {
    themes::table
        .find(id)
        .select((
            themes::id,
            themes::meeting_id,
            themes::name,
            themes::description,
            themes::target_share,
        ))
        .first(c)
        .optional()?
        .ok_or(ApiError::NotFound("theme"))
}

fn check_theme(c: &mut Checker, name: Option<&str>, description: Option<&str>, share: Option<f64>) {
    if let Some(n) = name {
        c.text("name", n, 200);
    }
    if let Some(d) = description {
        c.max_len("description", d, 5_000);
    }
    if let Some(s) = share
        && !(0.0..=1.0).contains(&s)
    {
        c.add("target_share", "range", "a target share is from 0 to 1");
    }
}

/// The meeting's themes.
pub fn list_themes(
    conn: &mut DbConn,
    actor: &AuthUser,
    meeting_id: i64,
) -> Result<Vec<ThemeResponse>, ApiError> {
    let m = meeting_of(conn, actor, meeting_id)?;
    Ok(queries::view(conn, &m)?.themes)
}

/// Refuses target shares that would add up to more than the whole programme, once
/// theme `except` (if any) has `share`.
fn ensure_shares_fit(
    c: &mut DbConn,
    meeting_id: i64,
    except: Option<i64>,
    share: Option<f64>,
) -> Result<(), ApiError> {
    let others: Vec<(i64, Option<f64>)> = themes::table
        .filter(themes::meeting_id.eq(meeting_id))
        .select((themes::id, themes::target_share))
        .load(c)?;
    let total: f64 = others
        .iter()
        .filter(|(id, _)| Some(*id) != except)
        .filter_map(|(_, s)| *s)
        .sum::<f64>()
        + share.unwrap_or(0.0);
    if total > 1.0 + 1e-9 {
        return Err(ApiError::field(
            "target_share",
            "share_sum",
            format!(
                "the meeting's target shares would add up to {total:.3}; they may add up to at most 1"
            ),
        ));
    }
    Ok(())
}

/// The secretariat adds a theme, last in order.
pub fn add_theme(
    conn: &mut DbConn,
    actor: &AuthUser,
    meeting_id: i64,
    input: &ThemeInput,
) -> Result<ThemeResponse, ApiError> {
    actor.require(Role::Secretariat)?;
    let mut c = Checker::new();
    check_theme(
        &mut c,
        Some(&input.name),
        Some(&input.description),
        input.target_share,
    );
    c.finish()?;
    meeting_of(conn, actor, meeting_id)?;
    crate::db::write_tx(conn, |c| {
        let names = themes::table
            .filter(themes::meeting_id.eq(meeting_id))
            .select((themes::id, themes::name))
            .load(c)?;
        ensure_name_free(names, &input.name, None, "theme")?;
        ensure_shares_fit(c, meeting_id, None, input.target_share)?;
        let last: Option<i32> = themes::table
            .filter(themes::meeting_id.eq(meeting_id))
            .select(diesel::dsl::max(themes::position))
            .first(c)?;
        let id: i64 = crate::with_backend!(c, |b| diesel::insert_into(themes::table)
            .values((
                themes::meeting_id.eq(meeting_id),
                themes::position.eq(last.map_or(0, |p| p + 1)),
                themes::name.eq(input.name.trim()),
                themes::description.eq(&input.description),
                themes::target_share.eq(input.target_share),
            ))
            .returning(themes::id)
            .get_result(b))?;
        audit::record(
            c,
            Some(actor.id),
            "theme.create",
            "theme",
            id,
            Some(meeting_id),
            json!({"name": input.name.trim(), "target_share": input.target_share}),
        )?;
        Ok(ThemeResponse {
            id,
            name: input.name.trim().to_string(),
            description: input.description.clone(),
            target_share: input.target_share,
        })
    })
}

/// The secretariat changes a theme.
pub fn update_theme(
    conn: &mut DbConn,
    actor: &AuthUser,
    theme_id: i64,
    input: &ThemeChange,
) -> Result<ThemeResponse, ApiError> {
    actor.require(Role::Secretariat)?;
    let mut c = Checker::new();
    check_theme(
        &mut c,
        input.name.as_deref(),
        input.description.as_deref(),
        input.target_share.flatten(),
    );
    c.finish()?;
    crate::db::write_tx(conn, |c| {
        let t = load_theme(c, theme_id)?;
        let name = input
            .name
            .as_deref()
            .map(str::trim)
            .unwrap_or(&t.2)
            .to_string();
        let names = themes::table
            .filter(themes::meeting_id.eq(t.1))
            .select((themes::id, themes::name))
            .load(c)?;
        ensure_name_free(names, &name, Some(theme_id), "theme")?;
        let description = input.description.clone().unwrap_or(t.3.clone());
        let share = input.target_share.unwrap_or(t.4);
        ensure_shares_fit(c, t.1, Some(theme_id), share)?;
        diesel::update(themes::table.find(theme_id))
            .set((
                themes::name.eq(&name),
                themes::description.eq(&description),
                themes::target_share.eq(share),
            ))
            .execute(c)?;
        audit::record(
            c,
            Some(actor.id),
            "theme.update",
            "theme",
            theme_id,
            Some(t.1),
            json!({"before": {"name": t.2, "target_share": t.4},
                   "after": {"name": name, "target_share": share}}),
        )?;
        Ok(ThemeResponse {
            id: theme_id,
            name,
            description,
            target_share: share,
        })
    })
}

/// The secretariat removes a theme no proposal or session has.
pub fn remove_theme(conn: &mut DbConn, actor: &AuthUser, theme_id: i64) -> Result<(), ApiError> {
    actor.require(Role::Secretariat)?;
    crate::db::write_tx(conn, |c| {
        let t = load_theme(c, theme_id)?;
        let props: Vec<i64> = proposals::table
            .filter(proposals::theme_id.eq(theme_id))
            .select(proposals::id)
            .load(c)?;
        let sess: Vec<i64> = sessions::table
            .filter(sessions::theme_id.eq(theme_id))
            .select(sessions::id)
            .load(c)?;
        let users: Vec<String> = [listed("proposals", &props), listed("sessions", &sess)]
            .into_iter()
            .flatten()
            .collect();
        if !users.is_empty() {
            return Err(in_use(format!("theme {:?}", t.2), &users));
        }
        diesel::delete(themes::table.find(theme_id)).execute(c)?;
        audit::record(
            c,
            Some(actor.id),
            "theme.delete",
            "theme",
            theme_id,
            Some(t.1),
            json!({"name": t.2}),
        )
    })
}

/// Resolves a placement's room names to the meeting's room ids, naming unknown ones.
fn placement_of(
    c: &mut DbConn,
    meeting_id: i64,
    input: &PlacementInput,
    check: &mut Checker,
) -> Result<Placement, ApiError> {
    let by_name: BTreeMap<String, i64> = rooms::table
        .filter(rooms::meeting_id.eq(meeting_id))
        .select((rooms::name, rooms::id))
        .load::<(String, i64)>(c)?
        .into_iter()
        .collect();
    let mut room_ids = vec![];
    for (j, name) in input.rooms.iter().enumerate() {
        match by_name.get(name.trim()) {
            Some(id) => room_ids.push(*id),
            None => check.add(
                format!("placement.rooms[{j}]"),
                "exists",
                format!("{name:?} is not one of the meeting's rooms"),
            ),
        }
    }
    Ok(Placement {
        days: input.days,
        position: input.position,
        room_ids,
    })
}

fn check_type(c: &mut Checker, name: Option<&str>, durations: Option<&[i32]>) {
    if let Some(n) = name {
        c.text("name", n, 200);
    }
    if let Some(d) = durations {
        if d.is_empty() {
            c.add(
                "durations",
                "required",
                "give at least one allowed duration",
            );
        }
        // Over the cap the list is refused whole; its items are not read.
        let listed = if c.max_items("durations", d.len(), 20) {
            d.len()
        } else {
            0
        };
        for (j, m) in d.iter().take(listed).enumerate() {
            c.range(&format!("durations[{j}]"), *m, 5, 720);
        }
    }
}

fn type_view(c: &mut DbConn, meeting_id: i64, id: i64) -> Result<SessionTypeResponse, ApiError> {
    let m = queries::find(c, meeting_id)?.ok_or(ApiError::NotFound("meeting"))?;
    queries::view(c, &m)?
        .session_types
        .into_iter()
        .find(|t| t.id == id)
        .ok_or(ApiError::NotFound("session type"))
}

/// The meeting's session types.
pub fn list_types(
    conn: &mut DbConn,
    actor: &AuthUser,
    meeting_id: i64,
) -> Result<Vec<SessionTypeResponse>, ApiError> {
    let m = meeting_of(conn, actor, meeting_id)?;
    Ok(queries::view(conn, &m)?.session_types)
}

/// The secretariat adds a session type.
pub fn add_type(
    conn: &mut DbConn,
    actor: &AuthUser,
    meeting_id: i64,
    input: &SessionTypeInput,
) -> Result<SessionTypeResponse, ApiError> {
    actor.require(Role::Secretariat)?;
    let mut check = Checker::new();
    let code_ok = !input.code.is_empty()
        && input.code.len() <= 40
        && input
            .code
            .chars()
            .all(|ch| ch.is_ascii_lowercase() || ch.is_ascii_digit() || ch == '_');
    if !code_ok {
        check.add(
            "code",
            "code",
            "code must be 1 to 40 characters of a-z, 0-9 and _",
        );
    }
    check_type(&mut check, Some(&input.name), Some(&input.durations));
    check.finish()?;
    meeting_of(conn, actor, meeting_id)?;
    crate::db::write_tx(conn, |c| {
        let mut check = Checker::new();
        let placement = placement_of(c, meeting_id, &input.placement, &mut check)?;
        check.finish()?;
        let taken: i64 = session_types::table
            .filter(session_types::meeting_id.eq(meeting_id))
            .filter(session_types::code.eq(&input.code))
            .count()
            .get_result(c)?;
        if taken > 0 {
            return Err(ApiError::conflict(
                Code::DuplicateName,
                format!("the meeting has a session type {:?} already", input.code),
            ));
        }
        let id: i64 = crate::with_backend!(c, |b| diesel::insert_into(session_types::table)
            .values((
                session_types::meeting_id.eq(meeting_id),
                session_types::code.eq(&input.code),
                session_types::name.eq(input.name.trim()),
                session_types::durations.eq(serde_json::to_string(&input.durations)
                    .map_err(|e| ApiError::Internal(e.into()))?),
                session_types::from_call.eq(input.from_call),
                session_types::exclusive.eq(input.exclusive),
                session_types::placement
                    .eq(serde_json::to_string(&placement)
                        .map_err(|e| ApiError::Internal(e.into()))?),
            ))
            .returning(session_types::id)
            .get_result(b))?;
        audit::record(
            c,
            Some(actor.id),
            "session_type.create",
            "session_type",
            id,
            Some(meeting_id),
            json!({"code": input.code, "durations": input.durations}),
        )?;
        type_view(c, meeting_id, id)
    })
}

/// The secretariat changes a session type. Durations that would leave its sessions
/// with a length it no longer allows are refused, naming them.
pub fn update_type(
    conn: &mut DbConn,
    actor: &AuthUser,
    type_id: i64,
    input: &SessionTypeChange,
) -> Result<SessionTypeResponse, ApiError> {
    actor.require(Role::Secretariat)?;
    let mut check = Checker::new();
    check_type(
        &mut check,
        input.name.as_deref(),
        input.durations.as_deref(),
    );
    check.finish()?;
    crate::db::write_tx(conn, |c| {
        let t = session_types::table
            .find(type_id)
            .select(super::models::SessionType::as_select())
            .first(c)
            .optional()?
            .ok_or(ApiError::NotFound("session type"))?;
        let mut check = Checker::new();
        let placement = match &input.placement {
            Some(p) => placement_of(c, t.meeting_id, p, &mut check)?,
            None => t.placement()?,
        };
        check.finish()?;
        let durations = match &input.durations {
            Some(d) => d.clone(),
            None => t.durations()?,
        };
        let off: Vec<i64> = sessions::table
            .filter(sessions::session_type_id.eq(type_id))
            .filter(sessions::duration_min.ne_all(&durations))
            .select(sessions::id)
            .load(c)?;
        if let Some(users) = listed("sessions", &off) {
            return Err(ApiError::conflict(
                Code::InUse,
                format!(
                    "{users} of type {:?} last a length the new durations {durations:?} leave out; change them first",
                    t.code
                ),
            ));
        }
        diesel::update(session_types::table.find(type_id))
            .set((
                session_types::name.eq(input.name.as_deref().map(str::trim).unwrap_or(&t.name)),
                session_types::durations
                    .eq(serde_json::to_string(&durations)
                        .map_err(|e| ApiError::Internal(e.into()))?),
                session_types::from_call.eq(input.from_call.unwrap_or(t.from_call)),
                session_types::exclusive.eq(input.exclusive.unwrap_or(t.exclusive)),
                session_types::placement
                    .eq(serde_json::to_string(&placement)
                        .map_err(|e| ApiError::Internal(e.into()))?),
            ))
            .execute(c)?;
        audit::record(
            c,
            Some(actor.id),
            "session_type.update",
            "session_type",
            type_id,
            Some(t.meeting_id),
            json!({"code": t.code, "durations": durations, "placement": placement}),
        )?;
        type_view(c, t.meeting_id, type_id)
    })
}

/// The secretariat removes a session type no proposal or session has.
pub fn remove_type(conn: &mut DbConn, actor: &AuthUser, type_id: i64) -> Result<(), ApiError> {
    actor.require(Role::Secretariat)?;
    crate::db::write_tx(conn, |c| {
        let (meeting_id, code): (i64, String) = session_types::table
            .find(type_id)
            .select((session_types::meeting_id, session_types::code))
            .first(c)
            .optional()?
            .ok_or(ApiError::NotFound("session type"))?;
        let props: Vec<i64> = proposals::table
            .filter(proposals::session_type_id.eq(type_id))
            .select(proposals::id)
            .load(c)?;
        let sess: Vec<i64> = sessions::table
            .filter(sessions::session_type_id.eq(type_id))
            .select(sessions::id)
            .load(c)?;
        let users: Vec<String> = [listed("proposals", &props), listed("sessions", &sess)]
            .into_iter()
            .flatten()
            .collect();
        if !users.is_empty() {
            return Err(in_use(format!("session type {code:?}"), &users));
        }
        diesel::delete(session_types::table.find(type_id)).execute(c)?;
        audit::record(
            c,
            Some(actor.id),
            "session_type.delete",
            "session_type",
            type_id,
            Some(meeting_id),
            json!({"code": code}),
        )
    })
}

fn slot_view(c: &mut DbConn, m: &Meeting, id: i64) -> Result<SlotResponse, ApiError> {
    queries::slots(c, m)?
        .into_iter()
        .find(|s| s.id == id)
        .ok_or(ApiError::NotFound("slot"))
}

/// The UTC start of a venue-local `HH:MM` on `date`, or the field's error.
fn local_start(
    check: &mut Checker,
    date: NaiveDate,
    start: &str,
    zone: chrono_tz::Tz,
) -> Option<chrono::DateTime<chrono::Utc>> {
    let Some(t) = parse_hhmm(start) else {
        check.add(
            "start",
            "time",
            format!("{start:?} is not a local time HH:MM"),
        );
        return None;
    };
    match local_to_utc(date, t, zone) {
        Ok(s) => Some(s),
        Err(e) => {
            check.add("start", "local_time", e.to_string());
            None
        }
    }
}

/// Whether the meeting has a slot starting and ending at these instants (other than
/// `except`).
fn slot_taken(
    c: &mut DbConn,
    meeting_id: i64,
    start: chrono::NaiveDateTime,
    end: chrono::NaiveDateTime,
    except: Option<i64>,
) -> Result<bool, ApiError> {
    let ids: Vec<i64> = time_slots::table
        .filter(time_slots::meeting_id.eq(meeting_id))
        .filter(time_slots::starts_at.eq(start))
        .filter(time_slots::ends_at.eq(end))
        .select(time_slots::id)
        .load(c)?;
    Ok(ids.iter().any(|id| Some(*id) != except))
}

/// Adds to `check` what a slot from `start` to `end` on the day `day_id` (venue-local
/// `date`) breaks: it must end by midnight of its day and overlap no other slot of the
/// day (`except` itself), as a template's slots must.
#[allow(clippy::too_many_arguments)]
fn check_in_day(
    c: &mut DbConn,
    check: &mut Checker,
    day_id: i64,
    date: NaiveDate,
    zone: chrono_tz::Tz,
    start: chrono::DateTime<chrono::Utc>,
    end: chrono::DateTime<chrono::Utc>,
    except: Option<i64>,
) -> Result<(), ApiError> {
    let midnight = date
        .succ_opt()
        .and_then(|next| local_to_utc(next, chrono::NaiveTime::MIN, zone).ok());
    if midnight.is_some_and(|m| end > m) {
        check.add(
            "duration_min",
            "same_day",
            "a slot must end by midnight of its day",
        );
    }
    let others: Vec<(i64, chrono::NaiveDateTime, chrono::NaiveDateTime)> = time_slots::table
        .filter(time_slots::day_id.eq(day_id))
        .select((time_slots::id, time_slots::starts_at, time_slots::ends_at))
        .load(c)?;
    let hm = |t: chrono::NaiveDateTime| from_db(t).with_timezone(&zone).format("%H:%M");
    if let Some((id, s, e)) = others.iter().find(|(id, s, e)| {
        let (s, e) = (from_db(*s), from_db(*e));
        // The very same start and end is a duplicate, refused as such (409).
        Some(*id) != except && s < end && start < e && (s, e) != (start, end)
    }) {
        check.add(
            "start",
            "overlap",
            format!("this slot overlaps slot {id} ({}-{})", hm(*s), hm(*e)),
        );
    }
    Ok(())
}

/// The secretariat adds a time slot to a day, in venue-local time.
pub fn add_slot(
    conn: &mut DbConn,
    actor: &AuthUser,
    meeting_id: i64,
    input: &SlotNew,
) -> Result<SlotResponse, ApiError> {
    actor.require(Role::Secretariat)?;
    let m = meeting_of(conn, actor, meeting_id)?;
    let zone = m.venue()?;
    crate::db::write_tx(conn, |c| {
        let day: Option<(i64, NaiveDate)> = meeting_days::table
            .filter(meeting_days::meeting_id.eq(meeting_id))
            .filter(meeting_days::day_number.eq(input.day_number))
            .select((meeting_days::id, meeting_days::date))
            .first(c)
            .optional()?;
        let mut check = Checker::new();
        check.range("duration_min", input.duration_min, 5, 720);
        if day.is_none() {
            check.add(
                "day_number",
                "exists",
                format!("the meeting has no day {}", input.day_number),
            );
        }
        let start = day.and_then(|(_, date)| local_start(&mut check, date, &input.start, zone));
        if let (Some((day_id, date)), Some(start)) = (day, start) {
            let end = start + chrono::Duration::minutes(i64::from(input.duration_min));
            check_in_day(c, &mut check, day_id, date, zone, start, end, None)?;
        }
        check.finish()?;
        let (Some((day_id, _)), Some(start)) = (day, start) else {
            return Err(ApiError::NotFound("day"));
        };
        let end = start + chrono::Duration::minutes(i64::from(input.duration_min));
        if slot_taken(c, meeting_id, to_db(start), to_db(end), None)? {
            return Err(ApiError::conflict(
                Code::DuplicateSlot,
                "the meeting has a slot with this start and end already",
            ));
        }
        let id: i64 = crate::with_backend!(c, |b| diesel::insert_into(time_slots::table)
            .values((
                time_slots::meeting_id.eq(meeting_id),
                time_slots::day_id.eq(day_id),
                time_slots::starts_at.eq(to_db(start)),
                time_slots::ends_at.eq(to_db(end)),
            ))
            .returning(time_slots::id)
            .get_result(b))?;
        audit::record(
            c,
            Some(actor.id),
            "slot.create",
            "slot",
            id,
            Some(meeting_id),
            json!({"day_number": input.day_number, "start": input.start, "duration_min": input.duration_min}),
        )?;
        slot_view(c, &m, id)
    })
}

/// The secretariat moves or resizes a slot; sessions placed in it move with it, and
/// those it no longer holds are listed for repair.
pub fn update_slot(
    conn: &mut DbConn,
    actor: &AuthUser,
    slot_id: i64,
    input: &SlotChange,
) -> Result<SlotChanged, ApiError> {
    actor.require(Role::Secretariat)?;
    crate::db::write_tx(conn, |c| {
        let (meeting_id, day_id, s0, e0): (i64, i64, chrono::NaiveDateTime, chrono::NaiveDateTime) =
            time_slots::table
                .find(slot_id)
                .select((
                    time_slots::meeting_id,
                    time_slots::day_id,
                    time_slots::starts_at,
                    time_slots::ends_at,
                ))
                .first(c)
                .optional()?
                .ok_or(ApiError::NotFound("slot"))?;
        let m = queries::find(c, meeting_id)?.ok_or(ApiError::NotFound("meeting"))?;
        let zone = m.venue()?;
        let date: NaiveDate = meeting_days::table
            .find(day_id)
            .select(meeting_days::date)
            .first(c)?;
        let mut check = Checker::new();
        if let Some(d) = input.duration_min {
            check.range("duration_min", d, 5, 720);
        }
        let start = match &input.start {
            Some(s) => local_start(&mut check, date, s, zone),
            None => Some(from_db(s0)),
        };
        let minutes = input
            .duration_min
            .map_or((e0 - s0).num_minutes(), i64::from);
        if let Some(start) = start {
            let end = start + chrono::Duration::minutes(minutes);
            check_in_day(c, &mut check, day_id, date, zone, start, end, Some(slot_id))?;
        }
        check.finish()?;
        let start = start.ok_or(ApiError::NotFound("slot"))?;
        let end = start + chrono::Duration::minutes(minutes);
        if slot_taken(c, meeting_id, to_db(start), to_db(end), Some(slot_id))? {
            return Err(ApiError::conflict(
                Code::DuplicateSlot,
                "the meeting has a slot with this start and end already",
            ));
        }
        diesel::update(time_slots::table.find(slot_id))
            .set((
                time_slots::starts_at.eq(to_db(start)),
                time_slots::ends_at.eq(to_db(end)),
            ))
            .execute(c)?;
        let rows: Vec<(i64, i64, String, i32)> = sp::table
            .inner_join(sessions::table)
            .filter(sp::slot_id.eq(slot_id))
            .order((sp::version_id, sp::session_id))
            .select((
                sp::version_id,
                sp::session_id,
                sessions::title,
                sessions::duration_min,
            ))
            .load(c)?;
        let needs_repair: Vec<NeedsRepair> = rows
            .into_iter()
            .filter(|r| i64::from(r.3) > minutes)
            .map(|(v, s, title, d)| NeedsRepair {
                version_id: v,
                session_id: s,
                title,
                reason: format!("the slot now lasts {minutes} min; the session lasts {d}"),
            })
            .collect();
        audit::record(
            c,
            Some(actor.id),
            "slot.update",
            "slot",
            slot_id,
            Some(meeting_id),
            json!({"before": {"starts_at": show(from_db(s0), zone).utc, "ends_at": show(from_db(e0), zone).utc},
                   "after": {"starts_at": show(start, zone).utc, "ends_at": show(end, zone).utc},
                   "needs_repair": needs_repair.len()}),
        )?;
        Ok(SlotChanged {
            slot: slot_view(c, &m, slot_id)?,
            needs_repair,
        })
    })
}

/// The secretariat removes a slot no session is placed or pinned in; the last slot
/// stays.
pub fn remove_slot(conn: &mut DbConn, actor: &AuthUser, slot_id: i64) -> Result<(), ApiError> {
    actor.require(Role::Secretariat)?;
    crate::db::write_tx(conn, |c| {
        let meeting_id: i64 = time_slots::table
            .find(slot_id)
            .select(time_slots::meeting_id)
            .first(c)
            .optional()?
            .ok_or(ApiError::NotFound("slot"))?;
        let placed: BTreeSet<i64> = sp::table
            .filter(sp::slot_id.eq(slot_id))
            .select(sp::session_id)
            .load::<i64>(c)?
            .into_iter()
            .collect();
        let versions: BTreeSet<i64> = sp::table
            .filter(sp::slot_id.eq(slot_id))
            .select(sp::version_id)
            .load::<i64>(c)?
            .into_iter()
            .collect();
        let pinned: Vec<i64> = sessions::table
            .filter(sessions::pinned_slot_id.eq(slot_id))
            .select(sessions::id)
            .load(c)?;
        let placed: Vec<i64> = placed.into_iter().collect();
        let versions: Vec<i64> = versions.into_iter().collect();
        let users: Vec<String> = [
            listed("sessions", &placed),
            listed("schedule versions", &versions),
            listed("sessions pinned there", &pinned),
        ]
        .into_iter()
        .flatten()
        .collect();
        if !users.is_empty() {
            return Err(in_use(format!("slot {slot_id}"), &users));
        }
        let count: i64 = time_slots::table
            .filter(time_slots::meeting_id.eq(meeting_id))
            .count()
            .get_result(c)?;
        if count <= 1 {
            return Err(ApiError::conflict(
                Code::LastOne,
                "a meeting needs at least one time slot",
            ));
        }
        diesel::delete(time_slots::table.find(slot_id)).execute(c)?;
        audit::record(
            c,
            Some(actor.id),
            "slot.delete",
            "slot",
            slot_id,
            Some(meeting_id),
            json!({}),
        )
    })
}
