//! The bilateral rooms' page: a day's free times per room for any signed-in account,
//! booking one for a delegation, one's own bookings with their calendar files and a
//! cancel button; the secretariat also sees who holds each time, blocks times and
//! cancels any booking. Each action calls the API's use case in [`crate::bilaterals`],
//! which decides.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;

use super::assets::CSS;
use super::desk::{self, Chrome, Visitor};
use super::forms::{Form, Problems};
use super::service::render;
use super::words::{BILATERAL, BilateralWords, DESK, DeskWords, EN, Words};
use crate::auth::{AuthUser, Role};
use crate::bilaterals::types::{BookingInput, BookingView, BookingsQuery, DayView, Kind, RoomView};
use crate::db::DbConn;
use crate::error::ApiError;
use crate::state::AppState;

const EVERY_ROLE: [Role; 3] = [Role::Proposer, Role::Evaluator, Role::Secretariat];

/// One row of the grid: a start time and each room's cell at it.
struct Row {
    time: String,
    cells: Vec<Cell>,
}

/// A room's slot as the page shows it.
struct Cell {
    /// `free`, `taken`, `mine`, `blocked`, `past`, or empty when the room has no slot
    /// then.
    state: String,
    /// What the booking button sends: `room_id@starts_at`.
    value: String,
    /// The room's name, for the button's label.
    room: String,
    /// Who holds it, when the caller may see it.
    delegation: Option<String>,
}

/// What the page reads: the meeting, its dates, the day's grid and the bookings.
struct Data {
    meeting_id: i64,
    meeting: String,
    dates: Vec<String>,
    day: DayView,
    bookings: Vec<BookingView>,
}

fn read(
    c: &mut DbConn,
    actor: &AuthUser,
    meeting_id: i64,
    day: Option<&str>,
) -> Result<Data, ApiError> {
    let m = crate::meetings::service::get(c, &Some(actor.clone()), meeting_id)?;
    let dates: Vec<String> = crate::meetings::days::list(c, &Some(actor.clone()), meeting_id)?
        .into_iter()
        .map(|d| d.date.to_string())
        .collect();
    let today = crate::db::now(c)?
        .with_timezone(&crate::time::stored_zone(&m.timezone)?)
        .date_naive()
        .to_string();
    let chosen = match day {
        Some(d) => d.to_string(),
        None => dates
            .iter()
            .find(|d| **d >= today)
            .or(dates.first())
            .cloned()
            .unwrap_or(today),
    };
    let view = crate::bilaterals::times(c, actor, meeting_id, &chosen)?;
    let q = BookingsQuery {
        day: Some(chosen),
        room_id: None,
    };
    let bookings = crate::bilaterals::list(c, actor, meeting_id, &q)?;
    Ok(Data {
        meeting_id,
        meeting: m.name,
        dates,
        day: view,
        bookings,
    })
}

/// The local `HH:MM` of an RFC 3339 time as the API gives it (venue offset).
fn clock(rfc: &str) -> String {
    rfc.get(11..16).unwrap_or(rfc).to_string()
}

fn rows(day: &DayView) -> Vec<Row> {
    let mut starts: Vec<String> = day
        .rooms
        .iter()
        .flat_map(|r| r.times.iter().map(|t| t.starts_at_utc.clone()))
        .collect();
    starts.sort();
    starts.dedup();
    starts
        .into_iter()
        .map(|utc| {
            let mut time = String::new();
            let cells = day
                .rooms
                .iter()
                .map(|r| match r.times.iter().find(|t| t.starts_at_utc == utc) {
                    Some(t) => {
                        time = clock(&t.starts_at);
                        Cell {
                            state: t.state.clone(),
                            value: format!("{}@{}", r.room.id, t.starts_at),
                            room: r.room.name.clone(),
                            delegation: t.delegation.clone(),
                        }
                    }
                    None => Cell {
                        state: String::new(),
                        value: String::new(),
                        room: r.room.name.clone(),
                        delegation: None,
                    },
                })
                .collect();
            Row { time, cells }
        })
        .collect()
}

/// What the booking form held, as typed.
#[derive(Default)]
struct Typed {
    delegation: String,
    note: String,
    slots: String,
    kind: String,
}

#[derive(Template)]
#[template(path = "desk/bilaterals.html")]
struct Page<'a> {
    w: &'a Words,
    k: &'a DeskWords,
    b: &'a BilateralWords,
    css: &'a str,
    shown_zone: String,
    d: Option<Chrome>,
    meeting_id: i64,
    meeting: String,
    dates: Vec<String>,
    day: String,
    timezone: String,
    limit: i32,
    mine: i64,
    rooms: Vec<(String, i32)>,
    rows: Vec<Row>,
    bookings: Vec<(BookingView, String, String)>,
    secretariat: bool,
    lengths: Vec<u32>,
    f: Typed,
    problems: Problems,
    notice: Option<&'static str>,
}

impl Page<'_> {
    fn err(&self, field: &str) -> Option<String> {
        self.problems.of(field)
    }
}

fn page(
    b: &desk::Browser,
    status: StatusCode,
    data: Data,
    f: Typed,
    problems: Problems,
    notice: Option<&'static str>,
) -> HttpResponse {
    let secretariat = b.user.role == Role::Secretariat;
    let page = Page {
        w: &EN,
        k: &DESK,
        b: &BILATERAL,
        css: &CSS.name,
        shown_zone: String::new(),
        d: Some(Chrome::of(b)),
        meeting_id: data.meeting_id,
        meeting: data.meeting,
        dates: data.dates,
        day: data.day.day.to_string(),
        timezone: data.day.timezone.clone(),
        limit: data.day.daily_limit,
        mine: data.day.mine,
        rooms: data
            .day
            .rooms
            .iter()
            .map(|r| (r.room.name.clone(), r.room.capacity))
            .collect(),
        rows: rows(&data.day),
        bookings: data
            .bookings
            .into_iter()
            .map(|v| {
                let (s, e) = (clock(&v.starts_at), clock(&v.ends_at));
                (v, s, e)
            })
            .collect(),
        secretariat,
        lengths: if secretariat {
            vec![1, 2, 3, 4, 6, 8, 12, 18]
        } else {
            vec![1, 2, 3, 4]
        },
        f,
        problems,
        notice,
    };
    desk::answer(b, status, render(&page))
}

/// `GET /desk/meetings/{meeting_id}/bilaterals?day=`: the day's bilateral rooms.
pub async fn show(
    state: web::Data<AppState>,
    req: HttpRequest,
    visitor: Visitor,
    path: web::Path<i64>,
) -> HttpResponse {
    let b = match desk::require_any(&visitor, &req, &EVERY_ROLE) {
        Ok(b) => b,
        Err(go) => return *go,
    };
    let meeting_id = path.into_inner();
    let q = Form::parse(req.query_string().as_bytes());
    let day = q.filled("day").map(str::to_string);
    let notice = if q.has("booked") {
        Some(BILATERAL.booked)
    } else if q.has("cancelled") {
        Some(BILATERAL.cancelled)
    } else {
        None
    };
    let actor = b.user.clone();
    match crate::db::run(&state.pool, move |c| {
        read(c, &actor, meeting_id, day.as_deref())
    })
    .await
    {
        Ok(data) => page(
            &b,
            StatusCode::OK,
            data,
            Typed::default(),
            Problems::default(),
            notice,
        ),
        Err(e) => desk::refusal(Some(&b), &e),
    }
}

/// The booking a posted form asks for (its length counted in slots of the room
/// picked), or its problems.
fn input(form: &Form, rooms: &[RoomView]) -> Result<BookingInput, ApiError> {
    let Some((room, start)) = form.get("slot").and_then(|s| s.split_once('@')) else {
        return Err(ApiError::field(
            "starts_at",
            "required",
            BILATERAL.pick_a_time,
        ));
    };
    let room_id: i64 = room.parse().unwrap_or(0);
    let slot = rooms
        .iter()
        .find(|r| r.id == room_id)
        .map_or(30, |r| r.slot_minutes);
    let slots: i32 = form
        .filled("slots")
        .and_then(|s| s.parse().ok())
        .unwrap_or(1);
    Ok(BookingInput {
        room_id,
        starts_at: start.to_string(),
        minutes: Some(slots.saturating_mul(slot)),
        delegation: form.get("delegation").unwrap_or_default().to_string(),
        note: form.get("note").unwrap_or_default().to_string(),
        kind: if form.get("kind") == Some("block") {
            Kind::Block
        } else {
            Kind::Booking
        },
    })
}

/// Books what the form asks (the API's use case); a refusal comes back with the
/// page's data for that day.
fn book_from(
    c: &mut DbConn,
    actor: &AuthUser,
    meeting_id: i64,
    form: &Form,
) -> desk::Mended<String, Data> {
    let day = form.filled("day").map(str::to_string);
    let attempt = crate::bilaterals::list_rooms(c, actor, meeting_id)
        .and_then(|rooms| input(form, &rooms))
        .and_then(|i| crate::bilaterals::book(c, actor, meeting_id, &i))
        .map(|v| v.day.to_string());
    desk::mend(c, attempt, |c| read(c, actor, meeting_id, day.as_deref()))
}

/// `POST /desk/meetings/{meeting_id}/bilaterals`: books the time picked for the
/// delegation typed (or, for the secretariat, blocks it).
pub async fn book(
    state: web::Data<AppState>,
    req: HttpRequest,
    visitor: Visitor,
    path: web::Path<i64>,
    body: web::Bytes,
) -> HttpResponse {
    let (b, form) = match desk::posted_by_any(&state, &req, &visitor, &EVERY_ROLE, &body) {
        Ok(x) => x,
        Err(go) => return *go,
    };
    let meeting_id = path.into_inner();
    let typed = Typed {
        delegation: form.get("delegation").unwrap_or_default().to_string(),
        note: form.get("note").unwrap_or_default().to_string(),
        slots: form.get("slots").unwrap_or_default().to_string(),
        kind: form.get("kind").unwrap_or_default().to_string(),
    };
    let actor = b.user.clone();
    let result = crate::db::run(&state.pool, move |c| {
        book_from(c, &actor, meeting_id, &form)
    })
    .await;
    match result {
        Ok(Ok(day)) => desk::see_other(&format!(
            "{}/meetings/{meeting_id}/bilaterals?day={day}&booked=1",
            desk::ROOT
        )),
        Ok(Err((e, data))) => {
            use actix_web::ResponseError;
            page(
                &b,
                e.status_code(),
                data,
                typed,
                Problems::from_error(&e),
                None,
            )
        }
        Err(e) => desk::refusal(Some(&b), &e),
    }
}

/// Cancels a booking (the API's use case); answers where to go back to.
fn cancel_of(c: &mut DbConn, actor: &AuthUser, id: i64) -> Result<String, ApiError> {
    let v = crate::bilaterals::get(c, actor, id)?;
    crate::bilaterals::cancel(c, actor, id)?;
    Ok(format!(
        "{}/meetings/{}/bilaterals?day={}&cancelled=1",
        desk::ROOT,
        v.meeting_id,
        v.day
    ))
}

/// `POST /desk/bilaterals/{booking_id}/cancel`: cancels one's own booking (any, for
/// the secretariat).
pub async fn cancel(
    state: web::Data<AppState>,
    req: HttpRequest,
    visitor: Visitor,
    path: web::Path<i64>,
    body: web::Bytes,
) -> HttpResponse {
    let (b, _) = match desk::posted_by_any(&state, &req, &visitor, &EVERY_ROLE, &body) {
        Ok(x) => x,
        Err(go) => return *go,
    };
    let id = path.into_inner();
    let actor = b.user.clone();
    match crate::db::run(&state.pool, move |c| cancel_of(c, &actor, id)).await {
        Ok(back) => desk::see_other(&back),
        Err(e) => desk::refusal(Some(&b), &e),
    }
}

/// `GET /desk/bilaterals/{booking_id}/calendar.ics`: the booking's calendar file.
pub async fn calendar(
    state: web::Data<AppState>,
    req: HttpRequest,
    visitor: Visitor,
    path: web::Path<i64>,
) -> HttpResponse {
    let b = match desk::require_any(&visitor, &req, &EVERY_ROLE) {
        Ok(b) => b,
        Err(go) => return *go,
    };
    let id = path.into_inner();
    let actor = b.user.clone();
    match crate::db::run(&state.pool, move |c| {
        crate::bilaterals::calendar(c, &actor, id)
    })
    .await
    {
        Ok(feed) => {
            let mut r = crate::feeds::handlers::respond(&req, &feed, "private, no-cache");
            if let Ok(v) = actix_web::http::header::HeaderValue::from_str(&format!(
                "attachment; filename=\"bilateral-{id}.ics\""
            )) {
                r.headers_mut()
                    .insert(actix_web::http::header::CONTENT_DISPOSITION, v);
            }
            r
        }
        Err(e) => desk::refusal(Some(&b), &e),
    }
}
