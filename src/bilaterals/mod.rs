//! Bilateral rooms: small rooms that delegations book for short meetings during set
//! hours, all week. Any signed-in account sees the free times of a day and books for
//! its delegation, within a daily limit per delegation and per account; it cancels its
//! own bookings and takes each one's calendar file. The secretariat keeps the rooms,
//! blocks times and sees every booking with who holds it; others see only that a time
//! is taken. Two bookings never overlap in a room: the database refuses the second
//! (an exclusion constraint on PostgreSQL, a trigger on SQLite), so no check made
//! before the insert can be outrun by another instance. The use cases and their
//! storage; HTTP in [`handlers`].

pub mod handlers;
pub mod types;

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use chrono_tz::Tz;
use diesel::prelude::*;
use serde_json::json;

use crate::audit;
use crate::auth::{AuthUser, Role};
use crate::db::DbConn;
use crate::db::schema::{bilateral_bookings as bb, bilateral_rooms as br, meeting_days, meetings};
use crate::error::{ApiError, Code};
use crate::meetings::models::Meeting;
use crate::meetings::service::load_visible;
use crate::meetings::types::parse_hhmm;
use crate::time::{from_db, local_to_utc, to_db};
use crate::validate::Checker;
use types::{
    BookingInput, BookingView, BookingsQuery, DayView, Kind, RoomChange, RoomDay, RoomInput,
    RoomView, TimeView,
};

/// The constraint (PostgreSQL) and trigger message (SQLite) that refuse an overlap.
const NO_OVERLAP: &str = "bilateral_bookings_no_overlap";

/// The longest booking a delegation may make, in minutes (a block may be longer).
const LONGEST_BOOKING: i32 = 120;

/// The most bilateral rooms a meeting has.
const MOST_ROOMS: i64 = 50;

#[derive(Queryable, Selectable, Clone)]
#[diesel(table_name = br)]
struct RoomRow {
    id: i64,
    meeting_id: i64,
    name: String,
    capacity: i32,
    opens: String,
    closes: String,
    slot_minutes: i32,
}

impl RoomRow {
    fn view(&self) -> RoomView {
        RoomView {
            id: self.id,
            meeting_id: self.meeting_id,
            name: self.name.clone(),
            capacity: self.capacity,
            opens: self.opens.clone(),
            closes: self.closes.clone(),
            slot_minutes: self.slot_minutes,
        }
    }

    /// The room's slots on a venue-local date: start and end in UTC. A start that the
    /// venue's clocks skip (a spring-forward gap) is no slot.
    fn grid(&self, date: NaiveDate, venue: Tz) -> Vec<(DateTime<Utc>, DateTime<Utc>)> {
        let (Some(opens), Some(closes)) = (parse_hhmm(&self.opens), parse_hhmm(&self.closes))
        else {
            return vec![];
        };
        let step = chrono::Duration::minutes(i64::from(self.slot_minutes.max(1)));
        let mut out = vec![];
        let mut start = opens;
        while start < closes && start + step <= closes && start + step > start {
            if let Ok(s) = local_to_utc(date, start, venue) {
                out.push((s, s + step));
            }
            start += step;
        }
        out
    }
}

#[derive(Queryable, Selectable, Clone)]
#[diesel(table_name = bb)]
struct BookingRow {
    id: i64,
    meeting_id: i64,
    room_id: i64,
    kind: String,
    user_id: i64,
    delegation: String,
    note: String,
    day: NaiveDate,
    starts_at: NaiveDateTime,
    ends_at: NaiveDateTime,
}

fn kind_of(s: &str) -> Kind {
    if s == Kind::Block.as_str() {
        Kind::Block
    } else {
        Kind::Booking
    }
}

fn booking_view(b: &BookingRow, room: &str, venue: Tz) -> BookingView {
    let (s, e) = (from_db(b.starts_at), from_db(b.ends_at));
    BookingView {
        id: b.id,
        meeting_id: b.meeting_id,
        room_id: b.room_id,
        room: room.to_string(),
        kind: kind_of(&b.kind),
        delegation: b.delegation.clone(),
        note: b.note.clone(),
        day: b.day,
        starts_at: crate::time::rfc3339(s, venue),
        ends_at: crate::time::rfc3339(e, venue),
        starts_at_utc: crate::time::rfc3339(s, chrono_tz::UTC),
        ends_at_utc: crate::time::rfc3339(e, chrono_tz::UTC),
        booked_by: b.user_id,
        calendar: format!("/api/v1/bilateral-bookings/{}/calendar.ics", b.id),
    }
}

/// A delegation's name folded for comparison: case and runs of spaces ignored.
pub fn delegation_key(name: &str) -> String {
    name.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

fn check_room(c: &mut Checker, name: &str, capacity: i32, opens: &str, closes: &str, slot: i32) {
    c.text("name", name, 200);
    c.range("capacity", capacity, 1, 500);
    c.range("slot_minutes", slot, 5, 240);
    let o = parse_hhmm(opens);
    let cl = parse_hhmm(closes);
    if o.is_none() {
        c.add(
            "opens",
            "time",
            "opens must be a venue time HH:MM, such as 09:00",
        );
    }
    if cl.is_none() {
        c.add(
            "closes",
            "time",
            "closes must be a venue time HH:MM, such as 18:00",
        );
    }
    if let (Some(o), Some(cl)) = (o, cl)
        && (5..=240).contains(&slot)
        && cl - o < chrono::Duration::minutes(i64::from(slot))
    {
        c.add(
            "closes",
            "order",
            format!("closes must be at least one slot ({slot} min) after opens ({opens})"),
        );
    }
}

fn load_room(conn: &mut DbConn, id: i64) -> Result<RoomRow, ApiError> {
    br::table
        .find(id)
        .select(RoomRow::as_select())
        .first(conn)
        .optional()?
        .ok_or(ApiError::NotFound("bilateral room"))
}

fn rooms_of(conn: &mut DbConn, meeting_id: i64) -> Result<Vec<RoomRow>, ApiError> {
    Ok(br::table
        .filter(br::meeting_id.eq(meeting_id))
        .order((br::name, br::id))
        .select(RoomRow::as_select())
        .load(conn)?)
}

/// A name another room of the meeting has already, as a 409.
fn name_taken(conn: &mut DbConn, meeting_id: i64, name: &str, not: i64) -> Result<(), ApiError> {
    let taken = rooms_of(conn, meeting_id)?
        .iter()
        .any(|r| r.id != not && r.name.trim().eq_ignore_ascii_case(name.trim()));
    if taken {
        return Err(ApiError::conflict(
            Code::DuplicateName,
            format!(
                "the meeting has a bilateral room named {:?} already",
                name.trim()
            ),
        ));
    }
    Ok(())
}

/// The secretariat adds a bilateral room.
pub fn create_room(
    conn: &mut DbConn,
    actor: &AuthUser,
    meeting_id: i64,
    body: &RoomInput,
) -> Result<RoomView, ApiError> {
    actor.require(Role::Secretariat)?;
    let slot = body.slot_minutes.unwrap_or(30);
    let mut c = Checker::new();
    check_room(
        &mut c,
        &body.name,
        body.capacity,
        &body.opens,
        &body.closes,
        slot,
    );
    c.finish()?;
    crate::db::write_tx(conn, |c| {
        crate::meetings::service::load_for_secretariat(c, actor, meeting_id)?;
        crate::db::lock_meeting(c, meeting_id)?;
        name_taken(c, meeting_id, &body.name, 0)?;
        let count: i64 = br::table
            .filter(br::meeting_id.eq(meeting_id))
            .count()
            .get_result(c)?;
        if count >= MOST_ROOMS {
            return Err(ApiError::field(
                "name",
                "max_items",
                format!("a meeting has at most {MOST_ROOMS} bilateral rooms"),
            ));
        }
        let id: i64 = crate::with_backend!(c, |b| diesel::insert_into(br::table)
            .values((
                br::meeting_id.eq(meeting_id),
                br::name.eq(body.name.trim()),
                br::capacity.eq(body.capacity),
                br::opens.eq(body.opens.trim()),
                br::closes.eq(body.closes.trim()),
                br::slot_minutes.eq(slot),
                br::created_at.eq(to_db(crate::time::now())),
            ))
            .returning(br::id)
            .get_result(b))?;
        audit::record(
            c,
            Some(actor.id),
            "bilateral_room.create",
            "bilateral_room",
            id,
            Some(meeting_id),
            json!({"name": body.name.trim(), "opens": body.opens, "closes": body.closes,
                   "slot_minutes": slot}),
        )?;
        Ok(load_room(c, id)?.view())
    })
}

/// The secretariat changes a bilateral room; bookings already made are kept.
pub fn update_room(
    conn: &mut DbConn,
    actor: &AuthUser,
    id: i64,
    body: &RoomChange,
) -> Result<RoomView, ApiError> {
    actor.require(Role::Secretariat)?;
    crate::db::write_tx(conn, |c| {
        let before = load_room(c, id)?;
        let name = body.name.clone().unwrap_or_else(|| before.name.clone());
        let capacity = body.capacity.unwrap_or(before.capacity);
        let opens = body.opens.clone().unwrap_or_else(|| before.opens.clone());
        let closes = body.closes.clone().unwrap_or_else(|| before.closes.clone());
        let slot = body.slot_minutes.unwrap_or(before.slot_minutes);
        let mut check = Checker::new();
        check_room(&mut check, &name, capacity, &opens, &closes, slot);
        check.finish()?;
        name_taken(c, before.meeting_id, &name, id)?;
        diesel::update(br::table.find(id))
            .set((
                br::name.eq(name.trim()),
                br::capacity.eq(capacity),
                br::opens.eq(opens.trim()),
                br::closes.eq(closes.trim()),
                br::slot_minutes.eq(slot),
            ))
            .execute(c)?;
        let after = load_room(c, id)?.view();
        audit::record(
            c,
            Some(actor.id),
            "bilateral_room.update",
            "bilateral_room",
            id,
            Some(before.meeting_id),
            audit::diff(
                &serde_json::to_value(before.view()).unwrap_or_default(),
                &serde_json::to_value(&after).unwrap_or_default(),
            ),
        )?;
        Ok(after)
    })
}

/// The secretariat removes a bilateral room that holds no booking (cancel them first).
pub fn delete_room(conn: &mut DbConn, actor: &AuthUser, id: i64) -> Result<(), ApiError> {
    actor.require(Role::Secretariat)?;
    crate::db::write_tx(conn, |c| {
        let room = load_room(c, id)?;
        let held: i64 = bb::table.filter(bb::room_id.eq(id)).count().get_result(c)?;
        if held > 0 {
            return Err(ApiError::conflict(
                Code::InUse,
                format!(
                    "{} holds {held} booking(s) or block(s); cancel them first",
                    room.name
                ),
            ));
        }
        diesel::delete(br::table.find(id)).execute(c)?;
        audit::record(
            c,
            Some(actor.id),
            "bilateral_room.delete",
            "bilateral_room",
            id,
            Some(room.meeting_id),
            json!({"name": room.name}),
        )
    })
}

/// A meeting's bilateral rooms, for any signed-in account that sees the meeting.
pub fn list_rooms(
    conn: &mut DbConn,
    actor: &AuthUser,
    meeting_id: i64,
) -> Result<Vec<RoomView>, ApiError> {
    load_visible(conn, meeting_id, &Some(actor.clone()))?;
    Ok(rooms_of(conn, meeting_id)?
        .iter()
        .map(RoomRow::view)
        .collect())
}

/// The meeting's venue-local dates.
fn dates_of(conn: &mut DbConn, meeting_id: i64) -> Result<Vec<NaiveDate>, ApiError> {
    Ok(meeting_days::table
        .filter(meeting_days::meeting_id.eq(meeting_id))
        .order(meeting_days::date)
        .select(meeting_days::date)
        .load(conn)?)
}

/// A `day` field: a date of the meeting.
fn meeting_date(
    conn: &mut DbConn,
    meeting_id: i64,
    field: &str,
    text: &str,
) -> Result<NaiveDate, ApiError> {
    let dates = dates_of(conn, meeting_id)?;
    let date = NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d").map_err(|_| {
        ApiError::field(
            field,
            "date",
            format!("{field} must be a date YYYY-MM-DD; got {text:?}"),
        )
    })?;
    if !dates.contains(&date) {
        let list: Vec<String> = dates.iter().map(NaiveDate::to_string).collect();
        return Err(ApiError::field(
            field,
            "meeting_day",
            format!("{date} is not a day of the meeting ({})", list.join(", ")),
        ));
    }
    Ok(date)
}

fn limit_of(conn: &mut DbConn, meeting_id: i64) -> Result<i32, ApiError> {
    Ok(meetings::table
        .find(meeting_id)
        .select(meetings::bilateral_daily_limit)
        .first(conn)?)
}

/// Bookings (not blocks) of a meeting's day held by an account.
fn held_by(conn: &mut DbConn, meeting_id: i64, day: NaiveDate, user: i64) -> Result<i64, ApiError> {
    Ok(bb::table
        .filter(bb::meeting_id.eq(meeting_id))
        .filter(bb::day.eq(day))
        .filter(bb::kind.eq(Kind::Booking.as_str()))
        .filter(bb::user_id.eq(user))
        .count()
        .get_result(conn)?)
}

/// A day of the bilateral rooms: each room's slots, free or not, as the caller may
/// see them.
pub fn times(
    conn: &mut DbConn,
    actor: &AuthUser,
    meeting_id: i64,
    day: &str,
) -> Result<DayView, ApiError> {
    let meeting = load_visible(conn, meeting_id, &Some(actor.clone()))?;
    let venue = meeting.venue()?;
    let date = meeting_date(conn, meeting_id, "day", day)?;
    let now = crate::db::now(conn)?;
    let rooms = rooms_of(conn, meeting_id)?;
    let bookings: Vec<BookingRow> = bb::table
        .filter(bb::meeting_id.eq(meeting_id))
        .filter(bb::day.eq(date))
        .select(BookingRow::as_select())
        .load(conn)?;
    let sees_all = actor.is_secretariat();
    let days = rooms
        .iter()
        .map(|room| RoomDay {
            room: room.view(),
            times: room
                .grid(date, venue)
                .into_iter()
                .map(|(s, e)| {
                    let holder = bookings.iter().find(|b| {
                        b.room_id == room.id && from_db(b.starts_at) < e && s < from_db(b.ends_at)
                    });
                    let mine = holder.is_some_and(|b| b.user_id == actor.id);
                    let state = match holder {
                        Some(_) if mine => "mine",
                        Some(b) if b.kind == Kind::Block.as_str() => "blocked",
                        Some(_) => "taken",
                        None if s <= now => "past",
                        None => "free",
                    };
                    let shown = holder.filter(|_| sees_all || mine);
                    TimeView {
                        starts_at: crate::time::rfc3339(s, venue),
                        ends_at: crate::time::rfc3339(e, venue),
                        starts_at_utc: crate::time::rfc3339(s, chrono_tz::UTC),
                        state: state.to_string(),
                        booking_id: shown.map(|b| b.id),
                        delegation: shown.map(|b| b.delegation.clone()),
                    }
                })
                .collect(),
        })
        .collect();
    Ok(DayView {
        meeting_id,
        day: date,
        timezone: venue.name().to_string(),
        daily_limit: limit_of(conn, meeting_id)?,
        mine: held_by(conn, meeting_id, date, actor.id)?,
        rooms: days,
    })
}

/// Reads a booking request against the room's grid: the venue-local day, start and
/// end, or every broken rule.
fn place(
    body: &BookingInput,
    room: &RoomRow,
    venue: Tz,
    dates: &[NaiveDate],
    is_secretariat: bool,
    now: DateTime<Utc>,
) -> Result<(NaiveDate, DateTime<Utc>, DateTime<Utc>), ApiError> {
    let mut c = Checker::new();
    if body.kind == Kind::Block && !is_secretariat {
        return Err(ApiError::Forbidden(
            "only the secretariat blocks times of bilateral rooms".into(),
        ));
    }
    c.text("delegation", &body.delegation, 200);
    c.max_len("note", &body.note, 2000);
    let minutes = body.minutes.unwrap_or(room.slot_minutes);
    let longest = if body.kind == Kind::Block {
        24 * 60
    } else {
        LONGEST_BOOKING
    };
    if minutes <= 0 || minutes % room.slot_minutes != 0 || minutes > longest.max(room.slot_minutes)
    {
        c.add(
            "minutes",
            "slots",
            format!(
                "minutes must be a whole number of {}'s {}-min slots, at most {}; got {minutes}",
                room.name,
                room.slot_minutes,
                longest.max(room.slot_minutes)
            ),
        );
    }
    let start = match DateTime::parse_from_rfc3339(body.starts_at.trim()) {
        Ok(t) => Some(t.with_timezone(&Utc)),
        Err(_) => {
            c.add(
                "starts_at",
                "date_time",
                format!(
                    "starts_at must be an RFC 3339 date and time with its offset, such as 2026-06-24T10:00:00+02:00; got {:?}",
                    body.starts_at
                ),
            );
            None
        }
    };
    c.finish()?;
    let start = start.unwrap_or(now);
    let day = start.with_timezone(&venue).date_naive();
    if !dates.contains(&day) {
        return Err(ApiError::field(
            "starts_at",
            "meeting_day",
            format!("{day} (venue time) is not a day of the meeting"),
        ));
    }
    let grid = room.grid(day, venue);
    let Some(first) = grid.iter().position(|(s, _)| *s == start) else {
        return Err(ApiError::field(
            "starts_at",
            "slot",
            format!(
                "{} takes bookings from {} to {} (venue time, {}) in {}-min slots; {} is not one of their starts",
                room.name,
                room.opens,
                room.closes,
                venue.name(),
                room.slot_minutes,
                crate::time::rfc3339(start, venue)
            ),
        ));
    };
    let n = (minutes / room.slot_minutes.max(1)).max(1) as usize;
    let Some(&(_, end)) = grid.get(first + n - 1) else {
        return Err(ApiError::field(
            "minutes",
            "closes",
            format!(
                "{} closes at {}; {minutes} min from {} runs past it",
                room.name,
                room.closes,
                crate::time::rfc3339(start, venue)
            ),
        ));
    };
    if start <= now {
        return Err(ApiError::field(
            "starts_at",
            "future",
            format!(
                "{} has begun already; book a time to come",
                crate::time::rfc3339(start, venue)
            ),
        ));
    }
    Ok((day, start, end))
}

/// Books a bilateral room (or, for the secretariat, blocks a time). Refused with 409
/// `booked` when any part of the time is held already (the database decides), and
/// 409 `daily_limit` when the delegation or the account holds the day's limit.
pub fn book(
    conn: &mut DbConn,
    actor: &AuthUser,
    meeting_id: i64,
    body: &BookingInput,
) -> Result<BookingView, ApiError> {
    crate::db::write_tx(conn, |c| {
        let meeting: Meeting = load_visible(c, meeting_id, &Some(actor.clone()))?;
        let venue = meeting.venue()?;
        let room = load_room(c, body.room_id)
            .ok()
            .filter(|r| r.meeting_id == meeting_id)
            .ok_or_else(|| {
                ApiError::field(
                    "room_id",
                    "exists",
                    format!("the meeting has no bilateral room {}", body.room_id),
                )
            })?;
        let dates = dates_of(c, meeting_id)?;
        let now = crate::db::now(c)?;
        let (day, start, end) = place(body, &room, venue, &dates, actor.is_secretariat(), now)?;
        let key = delegation_key(&body.delegation);
        // Bookings of one meeting take turns here, so the daily limit holds across
        // instances; the overlap is the database's own refusal below.
        crate::db::lock_meeting(c, meeting_id)?;
        if body.kind == Kind::Booking {
            let limit = limit_of(c, meeting_id)?;
            let by_delegation: i64 = bb::table
                .filter(bb::meeting_id.eq(meeting_id))
                .filter(bb::day.eq(day))
                .filter(bb::kind.eq(Kind::Booking.as_str()))
                .filter(bb::delegation_key.eq(&key))
                .count()
                .get_result(c)?;
            let by_account = held_by(c, meeting_id, day, actor.id)?;
            let over = if by_delegation >= i64::from(limit) {
                Some(format!("{} holds", body.delegation.trim()))
            } else if !actor.is_secretariat() && by_account >= i64::from(limit) {
                Some("you hold".to_string())
            } else {
                None
            };
            if let Some(who) = over {
                return Err(ApiError::conflict(
                    Code::DailyLimit,
                    format!(
                        "{who} {limit} bilateral booking(s) on {day} already, the meeting's limit per day; cancel one to book another"
                    ),
                ));
            }
        }
        let inserted = crate::with_backend!(c, |b| diesel::insert_into(bb::table)
            .values((
                bb::meeting_id.eq(meeting_id),
                bb::room_id.eq(room.id),
                bb::kind.eq(body.kind.as_str()),
                bb::user_id.eq(actor.id),
                bb::delegation.eq(body.delegation.trim()),
                bb::delegation_key.eq(&key),
                bb::note.eq(body.note.trim()),
                bb::day.eq(day),
                bb::starts_at.eq(to_db(start)),
                bb::ends_at.eq(to_db(end)),
                bb::created_at.eq(to_db(now)),
            ))
            .returning(bb::id)
            .get_result::<i64>(b));
        let id = match inserted {
            Ok(id) => id,
            Err(e) if is_overlap(&e) => {
                return Err(ApiError::conflict(
                    Code::Booked,
                    format!(
                        "{} is taken for part or all of {} to {} (venue time); pick another time or room",
                        room.name,
                        start.with_timezone(&venue).format("%a %-d %b %H:%M"),
                        end.with_timezone(&venue).format("%H:%M")
                    ),
                ));
            }
            Err(e) => return Err(e.into()),
        };
        audit::record(
            c,
            Some(actor.id),
            if body.kind == Kind::Block {
                "bilateral.block"
            } else {
                "bilateral.book"
            },
            "bilateral_booking",
            id,
            Some(meeting_id),
            json!({"room": room.name, "delegation": body.delegation.trim(),
                   "starts_at": crate::time::rfc3339(start, venue), "ends_at": crate::time::rfc3339(end, venue)}),
        )?;
        let row = load_booking(c, id)?;
        Ok(booking_view(&row, &room.name, venue))
    })
}

/// Whether the database refused an insert for an overlap.
fn is_overlap(e: &diesel::result::Error) -> bool {
    match e {
        diesel::result::Error::DatabaseError(_, info) => {
            info.message().contains(NO_OVERLAP) || info.constraint_name() == Some(NO_OVERLAP)
        }
        _ => false,
    }
}

fn load_booking(conn: &mut DbConn, id: i64) -> Result<BookingRow, ApiError> {
    bb::table
        .find(id)
        .select(BookingRow::as_select())
        .first(conn)
        .optional()?
        .ok_or(ApiError::NotFound("bilateral booking"))
}

/// A booking its owner or the secretariat may see (404 to anyone else).
fn visible_booking(
    conn: &mut DbConn,
    actor: &AuthUser,
    id: i64,
) -> Result<(BookingRow, RoomRow, Meeting), ApiError> {
    let b = load_booking(conn, id)?;
    if b.user_id != actor.id && !actor.is_secretariat() {
        return Err(ApiError::NotFound("bilateral booking"));
    }
    let room = load_room(conn, b.room_id)?;
    let meeting = load_visible(conn, b.meeting_id, &Some(actor.clone()))?;
    Ok((b, room, meeting))
}

/// One booking, for its owner or the secretariat.
pub fn get(conn: &mut DbConn, actor: &AuthUser, id: i64) -> Result<BookingView, ApiError> {
    let (b, room, meeting) = visible_booking(conn, actor, id)?;
    Ok(booking_view(&b, &room.name, meeting.venue()?))
}

/// Cancels a booking: its owner until it begins, the secretariat at any time.
pub fn cancel(conn: &mut DbConn, actor: &AuthUser, id: i64) -> Result<(), ApiError> {
    crate::db::write_tx(conn, |c| {
        let (b, room, meeting) = visible_booking(c, actor, id)?;
        let now = crate::db::now(c)?;
        if !actor.is_secretariat() && from_db(b.starts_at) <= now {
            return Err(ApiError::conflict(
                Code::Begun,
                "the booking has begun; only the secretariat changes it now",
            ));
        }
        diesel::delete(bb::table.find(id)).execute(c)?;
        audit::record(
            c,
            Some(actor.id),
            "bilateral.cancel",
            "bilateral_booking",
            id,
            Some(b.meeting_id),
            json!({"room": room.name, "delegation": b.delegation,
                   "starts_at": crate::time::rfc3339(from_db(b.starts_at), meeting.venue()?)}),
        )
    })
}

/// The caller's bookings of a meeting, or every booking and block for the secretariat.
pub fn list(
    conn: &mut DbConn,
    actor: &AuthUser,
    meeting_id: i64,
    q: &BookingsQuery,
) -> Result<Vec<BookingView>, ApiError> {
    let meeting = load_visible(conn, meeting_id, &Some(actor.clone()))?;
    let venue = meeting.venue()?;
    let day = match &q.day {
        Some(d) => Some(meeting_date(conn, meeting_id, "day", d)?),
        None => None,
    };
    let rows: Vec<(BookingRow, String)> = bb::table
        .inner_join(br::table)
        .filter(bb::meeting_id.eq(meeting_id))
        .select((BookingRow::as_select(), br::name))
        .order((bb::starts_at, br::name, bb::id))
        .load(conn)?;
    let rows: Vec<(BookingRow, String)> = rows
        .into_iter()
        .filter(|(b, _)| day.is_none_or(|d| b.day == d))
        .filter(|(b, _)| q.room_id.is_none_or(|r| b.room_id == r))
        .filter(|(b, _)| actor.is_secretariat() || b.user_id == actor.id)
        .collect();
    Ok(rows
        .iter()
        .map(|(b, room)| booking_view(b, room, venue))
        .collect())
}

/// A booking as a calendar file (one event in the venue's zone).
pub fn calendar(
    conn: &mut DbConn,
    actor: &AuthUser,
    id: i64,
) -> Result<crate::feeds::calendar::Feed, ApiError> {
    use crate::feeds::ics::{escape_text, prop};
    use ical::parser::ical::component::{IcalCalendar, IcalEvent};
    let (b, room, meeting) = visible_booking(conn, actor, id)?;
    let venue = meeting.venue()?;
    let domain = crate::feeds::truth::uid_domain(conn)?;
    let (s, e) = (from_db(b.starts_at), from_db(b.ends_at));
    let created: NaiveDateTime = bb::table.find(id).select(bb::created_at).first(conn)?;
    let stamp = from_db(created);
    let mut cal = IcalCalendar::new();
    cal.properties.push(prop("VERSION", "2.0"));
    cal.properties
        .push(prop("PRODID", "-//igf-scheduler//bilateral//EN"));
    cal.properties.push(prop("CALSCALE", "GREGORIAN"));
    cal.properties.push(prop("METHOD", "PUBLISH"));
    let mut ev = IcalEvent::new();
    ev.properties.push(prop(
        "UID",
        format!("bilateral-{id}.meeting-{}@{domain}", b.meeting_id),
    ));
    ev.properties
        .push(prop("DTSTAMP", crate::feeds::calendar::utc_stamp(stamp)));
    ev.properties
        .push(crate::feeds::calendar::instant("DTSTART", s, venue));
    ev.properties
        .push(crate::feeds::calendar::instant("DTEND", e, venue));
    let what = if b.kind == Kind::Block.as_str() {
        format!("{} (held by the secretariat)", b.delegation)
    } else {
        format!("Bilateral meeting: {}", b.delegation)
    };
    ev.properties.push(prop("SUMMARY", escape_text(&what)));
    ev.properties.push(prop(
        "LOCATION",
        escape_text(&format!("{}, {}", room.name, meeting.venue)),
    ));
    if !b.note.trim().is_empty() {
        ev.properties
            .push(prop("DESCRIPTION", escape_text(b.note.trim())));
    }
    ev.properties.push(prop("STATUS", "CONFIRMED"));
    ev.properties.push(prop("TRANSP", "OPAQUE"));
    cal.events.push(ev);
    cal.timezones.push(crate::feeds::vtimezone::vtimezone(
        venue,
        s - chrono::Duration::days(7),
        e + chrono::Duration::days(7),
    ));
    Ok(crate::feeds::calendar::Feed::new(
        crate::feeds::ics::write(&cal),
        stamp,
        "text/calendar; charset=utf-8",
    ))
}
