//! Meeting storage: models and query functions over `&mut DbConn`.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde_json::json;

use super::models::{Meeting, SessionType};
use super::types::*;
use crate::audit;
use crate::db::DbConn;
use crate::db::schema::{meeting_days, meetings, rooms, session_types, themes, time_slots};
use crate::error::{ApiError, ResultExt};
use crate::time::{from_db, now, show, to_db};

#[derive(Insertable, AsChangeset)]
#[diesel(table_name = meetings)]
struct MeetingRow {
    name: String,
    year: i32,
    venue: String,
    timezone: String,
    cfp_opens_at: NaiveDateTime,
    cfp_closes_at: NaiveDateTime,
    published: bool,
    screening_rules: String,
    developing_countries: String,
    version: i32,
    created_at: NaiveDateTime,
    updated_at: NaiveDateTime,
    short_report_hours: i32,
    full_report_days: i32,
}

#[derive(Queryable, Selectable)]
#[diesel(table_name = themes)]
struct Theme {
    id: i64,
    name: String,
    description: String,
    target_share: Option<f64>,
}

/// A room as stored.
#[derive(Queryable, Selectable)]
#[diesel(table_name = rooms)]
pub struct RoomRow {
    /// Id.
    pub id: i64,
    /// Meeting.
    pub meeting_id: i64,
    /// Name.
    pub name: String,
    /// Seats.
    pub capacity: i32,
    /// Hybrid equipment.
    pub hybrid: bool,
    /// Layout.
    pub layout: String,
    /// Booth languages, a JSON array.
    pub booths: String,
    /// Caption display.
    pub caption_display: bool,
}

impl RoomRow {
    /// The room as the API shows it.
    pub fn view(self) -> Result<RoomResponse, ApiError> {
        Ok(RoomResponse {
            booths: crate::db::json_column(&self.booths, "rooms.booths", self.id)?,
            id: self.id,
            name: self.name,
            capacity: self.capacity,
            hybrid: self.hybrid,
            layout: self.layout,
            caption_display: self.caption_display,
        })
    }
}

/// Languages as stored: a JSON array.
pub fn languages_text(codes: &[String]) -> String {
    serde_json::Value::from(codes.to_vec()).to_string()
}

/// Creates a meeting with its days, themes, session types, rooms and slots in one
/// transaction; returns its id.
pub fn insert(
    conn: &mut DbConn,
    actor: i64,
    r: &CreateMeetingRequest,
    days: &[(i32, NaiveDate)],
    slots: &[GeneratedSlot],
) -> Result<i64, ApiError> {
    let types = r
        .session_types
        .clone()
        .unwrap_or_else(default_session_types);
    let rules = r.screening.clone().unwrap_or_default();
    crate::db::write_tx(conn, |c| {
        ensure_name_free(c, &r.name, None)?;
        let t = to_db(now());
        let row = MeetingRow {
            name: r.name.trim().to_string(),
            year: r.year,
            venue: r.venue.trim().to_string(),
            timezone: r.timezone.clone(),
            cfp_opens_at: r.cfp_opens_at.naive_utc(),
            cfp_closes_at: r.cfp_closes_at.naive_utc(),
            published: r.published,
            screening_rules: serde_json::to_string(&rules).map_err(anyhow::Error::from)?,
            developing_countries: serde_json::to_string(&r.developing_countries)
                .map_err(anyhow::Error::from)?,
            version: 1,
            created_at: t,
            updated_at: t,
            short_report_hours: ReportDeadlines::default().short_due_hours,
            full_report_days: ReportDeadlines::default().full_due_days,
        };
        let id: i64 = crate::with_backend!(c, |b| diesel::insert_into(meetings::table)
            .values(&row)
            .returning(meetings::id)
            .get_result(b))?;
        let mut day_ids = std::collections::HashMap::new();
        for &(n, date) in days {
            let day_id: i64 =
                crate::with_backend!(c, |b| diesel::insert_into(meeting_days::table)
                    .values((
                        meeting_days::meeting_id.eq(id),
                        meeting_days::day_number.eq(n),
                        meeting_days::date.eq(date)
                    ))
                    .returning(meeting_days::id)
                    .get_result(b))?;
            day_ids.insert(n, day_id);
        }
        for (i, th) in r.themes.iter().enumerate() {
            diesel::insert_into(themes::table)
                .values((
                    themes::meeting_id.eq(id),
                    themes::position.eq(i as i32),
                    themes::name.eq(th.name.trim()),
                    themes::description.eq(&th.description),
                    themes::target_share.eq(th.target_share),
                ))
                .execute(c)?;
        }
        let mut room_ids: std::collections::HashMap<String, i64> = Default::default();
        for room in &r.rooms {
            let room_id: i64 = crate::with_backend!(c, |b| diesel::insert_into(rooms::table)
                .values((
                    rooms::meeting_id.eq(id),
                    rooms::name.eq(room.name.trim()),
                    rooms::capacity.eq(room.capacity),
                    rooms::hybrid.eq(room.hybrid),
                    rooms::layout.eq(room.layout.as_str()),
                    rooms::booths.eq(languages_text(&room.booths)),
                    rooms::caption_display.eq(room.caption_display),
                ))
                .returning(rooms::id)
                .get_result(b))?;
            room_ids.insert(room.name.trim().to_string(), room_id);
        }
        for st in &types {
            let placement = super::models::Placement {
                days: st.placement.days,
                position: st.placement.position,
                room_ids: st
                    .placement
                    .rooms
                    .iter()
                    .filter_map(|n| room_ids.get(n.trim()).copied())
                    .collect(),
            };
            diesel::insert_into(session_types::table)
                .values((
                    session_types::meeting_id.eq(id),
                    session_types::code.eq(&st.code),
                    session_types::name.eq(st.name.trim()),
                    session_types::durations
                        .eq(serde_json::to_string(&st.durations).map_err(anyhow::Error::from)?),
                    session_types::from_call.eq(st.from_call),
                    session_types::exclusive.eq(st.exclusive),
                    session_types::placement
                        .eq(serde_json::to_string(&placement).map_err(anyhow::Error::from)?),
                ))
                .execute(c)?;
        }
        for s in slots {
            let day_id = day_ids
                .get(&s.day_number)
                .copied()
                .ok_or_else(|| anyhow::anyhow!("slot without a day"))?;
            diesel::insert_into(time_slots::table)
                .values((
                    time_slots::meeting_id.eq(id),
                    time_slots::day_id.eq(day_id),
                    time_slots::starts_at.eq(to_db(s.starts_at)),
                    time_slots::ends_at.eq(to_db(s.ends_at)),
                ))
                .execute(c)
                .on_unique(
                    crate::error::Code::DuplicateSlot,
                    "two template slots start and end at the same instant",
                )?;
        }
        audit::record(
            c,
            Some(actor),
            "meeting.create",
            "meeting",
            id,
            Some(id),
            json!({"name": row.name, "timezone": row.timezone, "themes": r.themes.len(),
                   "session_types": types.len(), "rooms": r.rooms.len(), "slots": slots.len(),
                   "published": row.published}),
        )?;
        Ok(id)
    })
}

/// Finds a meeting.
pub fn find(conn: &mut DbConn, id: i64) -> Result<Option<Meeting>, ApiError> {
    Ok(meetings::table
        .find(id)
        .select(Meeting::as_select())
        .first(conn)
        .optional()?)
}

/// The session types of a meeting.
pub fn session_types_of(conn: &mut DbConn, meeting_id: i64) -> Result<Vec<SessionType>, ApiError> {
    Ok(session_types::table
        .filter(session_types::meeting_id.eq(meeting_id))
        .order(session_types::id)
        .select(SessionType::as_select())
        .load(conn)?)
}

/// Whether a theme belongs to a meeting.
pub fn theme_in_meeting(
    conn: &mut DbConn,
    meeting_id: i64,
    theme_id: i64,
) -> Result<bool, ApiError> {
    let n: i64 = themes::table
        .filter(themes::id.eq(theme_id))
        .filter(themes::meeting_id.eq(meeting_id))
        .count()
        .get_result(conn)?;
    Ok(n > 0)
}

/// The full API view of a meeting.
pub fn view(conn: &mut DbConn, m: &Meeting) -> Result<MeetingResponse, ApiError> {
    views(conn, std::slice::from_ref(m))?
        .pop()
        .ok_or(ApiError::NotFound("meeting"))
}

/// The full API views of a page of meetings, with one query per table whatever the
/// page's size.
pub fn views(conn: &mut DbConn, ms: &[Meeting]) -> Result<Vec<MeetingResponse>, ApiError> {
    use std::collections::HashMap;
    let ids: Vec<i64> = ms.iter().map(|m| m.id).collect();
    let mut days: HashMap<i64, Vec<DayResponse>> = HashMap::new();
    for (meeting, number, date) in meeting_days::table
        .filter(meeting_days::meeting_id.eq_any(&ids))
        .order((meeting_days::meeting_id, meeting_days::day_number))
        .select((
            meeting_days::meeting_id,
            meeting_days::day_number,
            meeting_days::date,
        ))
        .load::<(i64, i32, NaiveDate)>(conn)?
    {
        days.entry(meeting).or_default().push(DayResponse {
            number,
            date,
            label: format!("Day {number}"),
        });
    }
    let mut themes_of: HashMap<i64, Vec<ThemeResponse>> = HashMap::new();
    for (meeting, t) in themes::table
        .filter(themes::meeting_id.eq_any(&ids))
        .order((themes::meeting_id, themes::position))
        .select((themes::meeting_id, Theme::as_select()))
        .load::<(i64, Theme)>(conn)?
    {
        themes_of.entry(meeting).or_default().push(ThemeResponse {
            id: t.id,
            name: t.name,
            description: t.description,
            target_share: t.target_share,
        });
    }
    let mut types_of: HashMap<i64, Vec<SessionTypeResponse>> = HashMap::new();
    for t in session_types::table
        .filter(session_types::meeting_id.eq_any(&ids))
        .order(session_types::id)
        .select(SessionType::as_select())
        .load::<SessionType>(conn)?
    {
        let meeting = t.meeting_id;
        types_of
            .entry(meeting)
            .or_default()
            .push(SessionTypeResponse {
                id: t.id,
                durations: t.durations()?,
                placement: t.placement()?,
                code: t.code,
                name: t.name,
                from_call: t.from_call,
                exclusive: t.exclusive,
            });
    }
    let mut rooms_of: HashMap<i64, Vec<RoomResponse>> = HashMap::new();
    for (meeting, r) in rooms::table
        .filter(rooms::meeting_id.eq_any(&ids))
        .order(rooms::id)
        .select((rooms::meeting_id, RoomRow::as_select()))
        .load::<(i64, RoomRow)>(conn)?
    {
        rooms_of.entry(meeting).or_default().push(r.view()?);
    }
    let slot_counts: HashMap<i64, i64> = time_slots::table
        .filter(time_slots::meeting_id.eq_any(&ids))
        .group_by(time_slots::meeting_id)
        .select((time_slots::meeting_id, diesel::dsl::count_star()))
        .load::<(i64, i64)>(conn)?
        .into_iter()
        .collect();
    let t = now();
    ms.iter()
        .map(|m| {
            let zone = m.venue()?;
            let (opens, closes) = (from_db(m.cfp_opens_at), from_db(m.cfp_closes_at));
            Ok(MeetingResponse {
                id: m.id,
                name: m.name.clone(),
                year: m.year,
                venue: m.venue.clone(),
                timezone: m.timezone.clone(),
                published: m.published,
                cfp: CfpResponse {
                    opens_at: show(opens, zone),
                    closes_at: show(closes, zone),
                    open_now: opens <= t && t <= closes,
                },
                days: days.remove(&m.id).unwrap_or_default(),
                themes: themes_of.remove(&m.id).unwrap_or_default(),
                session_types: types_of.remove(&m.id).unwrap_or_default(),
                rooms: rooms_of.remove(&m.id).unwrap_or_default(),
                slot_count: slot_counts.get(&m.id).copied().unwrap_or(0),
                screening: m.rules()?,
                developing_countries: m.developing_countries()?,
                reports: ReportDeadlines {
                    short_due_hours: m.short_report_hours,
                    full_due_days: m.full_report_days,
                },
                version: m.version,
                created_at: from_db(m.created_at)
                    .to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
                updated_at: from_db(m.updated_at)
                    .to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
                archived_at: m
                    .archived_at
                    .map(|t| from_db(t).to_rfc3339_opts(chrono::SecondsFormat::Secs, true)),
            })
        })
        .collect()
}

/// Meetings newest first; unpublished ones only when asked.
pub fn list(
    conn: &mut DbConn,
    include_unpublished: bool,
    include_archived: bool,
    limit: i64,
    offset: i64,
) -> Result<(Vec<Meeting>, i64), ApiError> {
    let mut q = meetings::table.into_boxed();
    let mut count = meetings::table.into_boxed();
    if !include_archived {
        q = q.filter(meetings::archived_at.is_null());
        count = count.filter(meetings::archived_at.is_null());
    }
    if !include_unpublished {
        q = q.filter(meetings::published.eq(true));
        count = count.filter(meetings::published.eq(true));
    }
    let total = count.count().get_result(conn)?;
    let rows = q
        .order((meetings::year.desc(), meetings::id.desc()))
        .limit(limit)
        .offset(offset)
        .select(Meeting::as_select())
        .load(conn)?;
    Ok((rows, total))
}

/// Refuses a name another current (not archived) meeting has, compared without case
/// or surrounding space.
fn ensure_name_free(c: &mut DbConn, name: &str, except: Option<i64>) -> Result<(), ApiError> {
    let key = name.trim().to_lowercase();
    let taken: Vec<(i64, String)> = meetings::table
        .filter(meetings::archived_at.is_null())
        .select((meetings::id, meetings::name))
        .load(c)?;
    if let Some((id, _)) = taken
        .iter()
        .find(|(id, n)| Some(*id) != except && n.trim().to_lowercase() == key)
    {
        return Err(ApiError::conflict(
            crate::error::Code::DuplicateName,
            format!(
                "meeting {id} is named {:?} already; give this one another name",
                name.trim()
            ),
        ));
    }
    Ok(())
}

/// Moves every slot of the meeting to the same local times in `to`, so a corrected
/// venue zone keeps the programme's wall-clock times; their instants change.
fn retime_slots(c: &mut DbConn, m: &Meeting, to: chrono_tz::Tz) -> Result<usize, ApiError> {
    let from = m.venue()?;
    let slots: Vec<(i64, NaiveDateTime, NaiveDateTime)> = time_slots::table
        .filter(time_slots::meeting_id.eq(m.id))
        .select((time_slots::id, time_slots::starts_at, time_slots::ends_at))
        .load(c)?;
    let moved = |t: NaiveDateTime| {
        let local = from_db(t).with_timezone(&from).naive_local();
        crate::time::local_to_utc(local.date(), local.time(), to)
            .map(to_db)
            .map_err(|e| ApiError::field("timezone", "local_time", e.to_string()))
    };
    for (id, s, e) in &slots {
        diesel::update(time_slots::table.find(id))
            .set((
                time_slots::starts_at.eq(moved(*s)?),
                time_slots::ends_at.eq(moved(*e)?),
            ))
            .execute(c)?;
    }
    Ok(slots.len())
}

/// Refuses a call that would close after the meeting's first day (Day 0 included)
/// begins in `zone`.
pub(super) fn ensure_call_before_meeting(
    c: &mut DbConn,
    meeting_id: i64,
    closes: NaiveDateTime,
    zone: chrono_tz::Tz,
) -> Result<(), ApiError> {
    let first: Option<NaiveDate> = meeting_days::table
        .filter(meeting_days::meeting_id.eq(meeting_id))
        .select(diesel::dsl::min(meeting_days::date))
        .first(c)?;
    if let Some(first) = first
        && let Ok(start) = crate::time::local_to_utc(first, chrono::NaiveTime::MIN, zone)
        && closes >= to_db(start)
    {
        return Err(ApiError::field(
            "cfp_closes_at",
            "before_meeting",
            format!("the call must close before the meeting begins on {first}"),
        ));
    }
    Ok(())
}

/// Applies a validated change, bumping the version; records the diff in the audit.
pub fn update(
    conn: &mut DbConn,
    actor: i64,
    id: i64,
    change: &UpdateMeetingRequest,
    expected: &Option<Vec<String>>,
) -> Result<Meeting, ApiError> {
    crate::db::write_tx(conn, |c| {
        let m = find(c, id)?.ok_or(ApiError::NotFound("meeting"))?;
        crate::etag::check(expected, &crate::etag::tag("meeting", m.id, m.version))?;
        // Restoring comes first, so that the rest of the change may follow it.
        if change.archived == Some(false) && m.archived_at.is_some() {
            ensure_name_free(c, &m.name, Some(id))?;
            diesel::update(meetings::table.find(id))
                .set(meetings::archived_at.eq(None::<NaiveDateTime>))
                .execute(c)?;
            audit::record(
                c,
                Some(actor),
                "meeting.restore",
                "meeting",
                id,
                Some(id),
                json!({}),
            )?;
        }
        let before = snapshot(&m);
        let opens = change
            .cfp_opens_at
            .map(|t| t.naive_utc())
            .unwrap_or(m.cfp_opens_at);
        let closes = change
            .cfp_closes_at
            .map(|t| t.naive_utc())
            .unwrap_or(m.cfp_closes_at);
        if closes <= opens {
            return Err(ApiError::field(
                "cfp_closes_at",
                "order",
                "the call must close after it opens",
            ));
        }
        let zone = match &change.timezone {
            Some(z) => crate::time::parse_zone(z)
                .map_err(|e| ApiError::field("timezone", "timezone", e.to_string()))?,
            None => m.venue()?,
        };
        let zone_changed = zone.name() != m.timezone;
        // Published results are final: the call they decided cannot open again.
        let window_changed = closes != m.cfp_closes_at || opens != m.cfp_opens_at;
        if window_changed || zone_changed {
            ensure_call_before_meeting(c, id, closes, zone)?;
        }
        if let Some(name) = &change.name {
            ensure_name_free(c, name, Some(id))?;
        }
        if window_changed && closes > to_db(now()) {
            let results: i64 = crate::db::schema::evaluation_settings::table
                .filter(crate::db::schema::evaluation_settings::meeting_id.eq(id))
                .filter(crate::db::schema::evaluation_settings::published_at.is_not_null())
                .count()
                .get_result(c)?;
            if results > 0 {
                return Err(ApiError::conflict(
                    crate::error::Code::ResultsPublished,
                    "the meeting's results are published and final: its call cannot open again",
                ));
            }
        }
        let row = MeetingRow {
            name: change
                .name
                .as_deref()
                .map(str::trim)
                .map(str::to_string)
                .unwrap_or(m.name.clone()),
            year: change.year.unwrap_or(m.year),
            venue: change
                .venue
                .as_deref()
                .map(str::trim)
                .map(str::to_string)
                .unwrap_or(m.venue.clone()),
            timezone: zone.name().to_string(),
            cfp_opens_at: opens,
            cfp_closes_at: closes,
            published: change.published.unwrap_or(m.published),
            screening_rules: match &change.screening {
                Some(patch) => {
                    serde_json::to_string(&patch.apply(&m.rules()?)).map_err(anyhow::Error::from)?
                }
                None => m.screening_rules.clone(),
            },
            developing_countries: match &change.developing_countries {
                Some(d) => serde_json::to_string(d).map_err(anyhow::Error::from)?,
                None => m.developing_countries.clone(),
            },
            version: m.version + 1,
            created_at: m.created_at,
            updated_at: to_db(now()),
            short_report_hours: change
                .reports
                .as_ref()
                .and_then(|r| r.short_due_hours)
                .unwrap_or(m.short_report_hours),
            full_report_days: change
                .reports
                .as_ref()
                .and_then(|r| r.full_due_days)
                .unwrap_or(m.full_report_days),
        };
        // The version check in the WHERE clause makes a concurrent writer lose cleanly.
        let n = diesel::update(
            meetings::table
                .filter(meetings::id.eq(id))
                .filter(meetings::version.eq(m.version)),
        )
        .set(&row)
        .execute(c)?;
        if n == 0 {
            return Err(ApiError::PreconditionFailed);
        }
        let retimed = if zone_changed {
            retime_slots(c, &m, zone)?
        } else {
            0
        };
        let after = find(c, id)?.ok_or(ApiError::NotFound("meeting"))?;
        let action = match (m.published, after.published) {
            (false, true) => "meeting.publish",
            (true, false) => "meeting.unpublish",
            _ => "meeting.update",
        };
        audit::record(c, Some(actor), action, "meeting", id, Some(id), {
            let mut d = audit::diff(&before, &snapshot(&after));
            if retimed > 0 {
                d["slots_retimed"] = json!(retimed);
            }
            d
        })?;
        if change.archived == Some(true) && after.archived_at.is_none() {
            diesel::update(meetings::table.find(id))
                .set(meetings::archived_at.eq(to_db(now())))
                .execute(c)?;
            audit::record(
                c,
                Some(actor),
                "meeting.archive",
                "meeting",
                id,
                Some(id),
                json!({}),
            )?;
            return find(c, id)?.ok_or(ApiError::NotFound("meeting"));
        }
        Ok(after)
    })
}

fn snapshot(m: &Meeting) -> serde_json::Value {
    json!({
        "name": m.name, "year": m.year, "venue": m.venue, "timezone": m.timezone,
        "cfp_opens_at": from_db(m.cfp_opens_at).to_rfc3339(), "cfp_closes_at": from_db(m.cfp_closes_at).to_rfc3339(),
        "published": m.published,
        "screening": serde_json::from_str::<serde_json::Value>(&m.screening_rules).unwrap_or_else(|_| json!(m.screening_rules)),
        "developing_countries": serde_json::from_str::<serde_json::Value>(&m.developing_countries).unwrap_or_else(|_| json!(m.developing_countries)),
        "reports": {"short_due_hours": m.short_report_hours, "full_due_days": m.full_report_days},
    })
}

/// The meeting's time slots in time order.
pub fn slots(conn: &mut DbConn, m: &Meeting) -> Result<Vec<SlotResponse>, ApiError> {
    let zone = m.venue()?;
    let rows = time_slots::table
        .inner_join(meeting_days::table)
        .filter(time_slots::meeting_id.eq(m.id))
        .order((time_slots::starts_at, time_slots::ends_at))
        .select((
            time_slots::id,
            meeting_days::day_number,
            meeting_days::date,
            time_slots::starts_at,
            time_slots::ends_at,
        ))
        .load::<(i64, i32, NaiveDate, NaiveDateTime, NaiveDateTime)>(conn)?;
    Ok(rows
        .into_iter()
        .map(|(id, day_number, date, s, e)| {
            let (s, e) = (from_db(s), from_db(e));
            SlotResponse {
                id,
                day_number,
                date,
                starts_at: show(s, zone),
                ends_at: show(e, zone),
                duration_min: (e - s).num_minutes(),
            }
        })
        .collect())
}
