//! A meeting's days after it is made: the secretariat adds a day (with the slots of
//! another day, if asked), moves one to another date (its slots keep their local
//! times) and retires one no session is placed or pinned on. Days are named by their
//! number, as the programme names them ("Day 0", "Day 1", ...).

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use serde_json::json;

use super::queries;
use super::service::load_for_secretariat;
use crate::audit;
use crate::auth::{AuthUser, Role};
use crate::db::DbConn;
use crate::db::schema::{meeting_days, schedule_placements as sp, sessions, time_slots};
use crate::error::{ApiError, Code};
use crate::time::{from_db, local_to_utc, to_db};
use crate::validate::Checker;

/// A day as the day routes show it.
#[derive(Debug, Clone, Serialize)]
pub struct DayView {
    /// Day number; 0 is Day 0 (the pre-event day).
    pub number: i32,
    /// Venue-local date.
    pub date: NaiveDate,
    /// "Day 0", "Day 1", ...
    pub label: String,
    /// How many time slots it has.
    pub slots: i64,
}

/// Body of `POST /api/v1/meetings/{meeting_id}/days`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DayNew {
    /// The day's number: 0 for Day 0, 1 and up for the main days.
    pub number: i32,
    /// Its venue-local date.
    pub date: NaiveDate,
    /// Give it the slots (same local times) of this day of the meeting.
    pub copy_slots_from: Option<i32>,
}

/// Body of `PATCH /api/v1/meetings/{meeting_id}/days/{day_number}`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DayChange {
    /// The new venue-local date; the day's slots keep their local times.
    pub date: NaiveDate,
}

type DayRow = (i64, i32, NaiveDate);

fn days_of(c: &mut DbConn, meeting_id: i64) -> Result<Vec<DayRow>, ApiError> {
    Ok(meeting_days::table
        .filter(meeting_days::meeting_id.eq(meeting_id))
        .order(meeting_days::day_number)
        .select((
            meeting_days::id,
            meeting_days::day_number,
            meeting_days::date,
        ))
        .load(c)?)
}

fn view(c: &mut DbConn, (id, number, date): DayRow) -> Result<DayView, ApiError> {
    let slots = time_slots::table
        .filter(time_slots::day_id.eq(id))
        .count()
        .get_result(c)?;
    Ok(DayView {
        number,
        date,
        label: format!("Day {number}"),
        slots,
    })
}

/// Checks that day numbers and dates rise together once `number` is on `date`, and
/// that neither is taken by another day.
fn check_order(
    check: &mut Checker,
    days: &[DayRow],
    number: i32,
    date: NaiveDate,
) -> Result<(), ApiError> {
    if let Some((_, n, _)) = days.iter().find(|d| d.2 == date && d.1 != number) {
        return Err(ApiError::conflict(
            Code::DuplicateName,
            format!("day {n} is on {date} already"),
        ));
    }
    for &(_, n, d) in days.iter().filter(|d| d.1 != number) {
        if (n < number) != (d < date) {
            check.add(
                "date",
                "order",
                format!(
                    "day {number} must come {} day {n} ({d})",
                    if n < number { "after" } else { "before" }
                ),
            );
            break;
        }
    }
    let span = days
        .iter()
        .filter(|d| d.1 != number)
        .map(|d| d.2)
        .chain([date]);
    let (lo, hi) = (span.clone().min(), span.max());
    if let (Some(lo), Some(hi)) = (lo, hi)
        && (hi - lo).num_days() > 21
    {
        check.add("date", "range", "a meeting spans at most three weeks");
    }
    Ok(())
}

/// The meeting's days with their slot counts.
pub fn list(
    conn: &mut DbConn,
    viewer: &Option<AuthUser>,
    meeting_id: i64,
) -> Result<Vec<DayView>, ApiError> {
    super::service::load_visible(conn, meeting_id, viewer)?;
    days_of(conn, meeting_id)?
        .into_iter()
        .map(|d| view(conn, d))
        .collect()
}

/// The secretariat adds a day, with the slots of another day if asked.
pub fn add(
    conn: &mut DbConn,
    actor: &AuthUser,
    meeting_id: i64,
    input: &DayNew,
) -> Result<DayView, ApiError> {
    actor.require(Role::Secretariat)?;
    crate::db::write_tx(conn, |c| {
        let m = load_for_secretariat(c, actor, meeting_id)?;
        let zone = m.venue()?;
        let days = days_of(c, meeting_id)?;
        let mut check = Checker::new();
        check.range("number", input.number, 0, 21);
        if days.iter().any(|d| d.1 == input.number) {
            return Err(ApiError::conflict(
                Code::DuplicateName,
                format!("the meeting has a day {} already", input.number),
            ));
        }
        check_order(&mut check, &days, input.number, input.date)?;
        let source = match input.copy_slots_from {
            Some(n) => match days.iter().find(|d| d.1 == n) {
                Some(d) => Some(d.0),
                None => {
                    check.add(
                        "copy_slots_from",
                        "exists",
                        format!("the meeting has no day {n}"),
                    );
                    None
                }
            },
            None => None,
        };
        check.finish()?;
        let day_id: i64 = crate::with_backend!(c, |b| diesel::insert_into(meeting_days::table)
            .values((
                meeting_days::meeting_id.eq(meeting_id),
                meeting_days::day_number.eq(input.number),
                meeting_days::date.eq(input.date),
            ))
            .returning(meeting_days::id)
            .get_result(b))?;
        let mut copied = 0;
        if let Some(from) = source {
            let slots: Vec<(NaiveDateTime, NaiveDateTime)> = time_slots::table
                .filter(time_slots::day_id.eq(from))
                .order(time_slots::starts_at)
                .select((time_slots::starts_at, time_slots::ends_at))
                .load(c)?;
            for (s, e) in slots {
                let start = on_date(s, input.date, zone)?;
                let end = start + (e - s);
                diesel::insert_into(time_slots::table)
                    .values((
                        time_slots::meeting_id.eq(meeting_id),
                        time_slots::day_id.eq(day_id),
                        time_slots::starts_at.eq(start),
                        time_slots::ends_at.eq(end),
                    ))
                    .execute(c)?;
                copied += 1;
            }
        }
        queries::ensure_call_before_meeting(c, meeting_id, m.cfp_closes_at, zone)?;
        audit::record(
            c,
            Some(actor.id),
            "day.create",
            "meeting",
            meeting_id,
            Some(meeting_id),
            json!({"number": input.number, "date": input.date, "slots_copied": copied}),
        )?;
        view(c, (day_id, input.number, input.date))
    })
}

/// The instant on `date` with the venue-local time of `t`.
fn on_date(
    t: NaiveDateTime,
    date: NaiveDate,
    zone: chrono_tz::Tz,
) -> Result<NaiveDateTime, ApiError> {
    let local = from_db(t).with_timezone(&zone).naive_local().time();
    local_to_utc(date, local, zone)
        .map(to_db)
        .map_err(|e| ApiError::field("date", "local_time", e.to_string()))
}

fn find_day(c: &mut DbConn, meeting_id: i64, number: i32) -> Result<DayRow, ApiError> {
    days_of(c, meeting_id)?
        .into_iter()
        .find(|d| d.1 == number)
        .ok_or(ApiError::NotFound("day"))
}

/// The secretariat moves a day to another date; its slots keep their local times, and
/// the sessions placed in them move with them.
pub fn update(
    conn: &mut DbConn,
    actor: &AuthUser,
    meeting_id: i64,
    number: i32,
    input: &DayChange,
) -> Result<DayView, ApiError> {
    actor.require(Role::Secretariat)?;
    crate::db::write_tx(conn, |c| {
        let m = load_for_secretariat(c, actor, meeting_id)?;
        let zone = m.venue()?;
        let (day_id, _, before) = find_day(c, meeting_id, number)?;
        let days = days_of(c, meeting_id)?;
        let mut check = Checker::new();
        check_order(&mut check, &days, number, input.date)?;
        check.finish()?;
        diesel::update(meeting_days::table.find(day_id))
            .set(meeting_days::date.eq(input.date))
            .execute(c)?;
        let slots: Vec<(i64, NaiveDateTime, NaiveDateTime)> = time_slots::table
            .filter(time_slots::day_id.eq(day_id))
            .select((time_slots::id, time_slots::starts_at, time_slots::ends_at))
            .load(c)?;
        for (id, s, e) in &slots {
            let start = on_date(*s, input.date, zone)?;
            diesel::update(time_slots::table.find(id))
                .set((
                    time_slots::starts_at.eq(start),
                    time_slots::ends_at.eq(start + (*e - *s)),
                ))
                .execute(c)?;
        }
        queries::ensure_call_before_meeting(c, meeting_id, m.cfp_closes_at, zone)?;
        audit::record(
            c,
            Some(actor.id),
            "day.update",
            "meeting",
            meeting_id,
            Some(meeting_id),
            json!({"number": number, "date": {"from": before, "to": input.date},
                   "slots_moved": slots.len()}),
        )?;
        view(c, (day_id, number, input.date))
    })
}

/// The secretariat retires a day with its slots, if no session is placed or pinned in
/// them; the last main day stays.
pub fn remove(
    conn: &mut DbConn,
    actor: &AuthUser,
    meeting_id: i64,
    number: i32,
) -> Result<(), ApiError> {
    actor.require(Role::Secretariat)?;
    crate::db::write_tx(conn, |c| {
        load_for_secretariat(c, actor, meeting_id)?;
        let (day_id, _, date) = find_day(c, meeting_id, number)?;
        let slot_ids: Vec<i64> = time_slots::table
            .filter(time_slots::day_id.eq(day_id))
            .select(time_slots::id)
            .load(c)?;
        let mut placed: Vec<i64> = sp::table
            .filter(sp::slot_id.eq_any(&slot_ids))
            .select(sp::session_id)
            .load(c)?;
        placed.sort_unstable();
        placed.dedup();
        let pinned: Vec<i64> = sessions::table
            .filter(sessions::pinned_slot_id.eq_any(&slot_ids))
            .select(sessions::id)
            .load(c)?;
        let users: Vec<String> = [
            super::shape::listed("sessions placed on it", &placed),
            super::shape::listed("sessions pinned to it", &pinned),
        ]
        .into_iter()
        .flatten()
        .collect();
        if !users.is_empty() {
            return Err(ApiError::conflict(
                Code::InUse,
                format!(
                    "day {number} is used by {}; move them first",
                    users.join(", ")
                ),
            ));
        }
        let others = days_of(c, meeting_id)?
            .into_iter()
            .filter(|d| d.1 >= 1 && d.1 != number)
            .count();
        if number >= 1 && others == 0 {
            return Err(ApiError::conflict(
                Code::LastOne,
                "a meeting needs at least one main day",
            ));
        }
        let remaining_slots: i64 = time_slots::table
            .filter(time_slots::meeting_id.eq(meeting_id))
            .filter(time_slots::day_id.ne(day_id))
            .count()
            .get_result(c)?;
        if remaining_slots == 0 {
            return Err(ApiError::conflict(
                Code::LastOne,
                "a meeting needs at least one time slot, and every other day has none",
            ));
        }
        diesel::delete(time_slots::table.filter(time_slots::day_id.eq(day_id))).execute(c)?;
        diesel::delete(meeting_days::table.find(day_id)).execute(c)?;
        audit::record(
            c,
            Some(actor.id),
            "day.delete",
            "meeting",
            meeting_id,
            Some(meeting_id),
            json!({"number": number, "date": date, "slots_removed": slot_ids.len()}),
        )
    })
}
