//! The meeting's set-up: rooms, themes and time slots added and removed; session types
//! and days listed.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;

use crate::auth::{AuthUser, Role};
use crate::db::DbConn;
use crate::error::{ApiError, FieldError};
use crate::meetings::types::{MeetingResponse, RoomInput, ThemeInput};
use crate::proposals::types::Layout;
use crate::state::AppState;
use crate::web::assets::CSS;
use crate::web::desk::{self, Chrome, Visitor};
use crate::web::forms::{Form, Problems};
use crate::web::service::render;
use crate::web::words::{DESK, DeskWords, EN, Words};

use super::{Nav, meeting_and_phase, nav, root};

#[derive(Template)]
#[template(path = "desk/manage_setup.html")]
struct SetupPage<'a> {
    w: &'a Words,
    k: &'a DeskWords,
    css: &'a str,
    shown_zone: String,
    d: Option<Chrome>,
    nav: Nav,
    m: MeetingResponse,
    slots: Vec<(String, Vec<(i64, String)>)>,
    layouts: Vec<(String, String)>,
    problems: Problems,
    f: Form,
    notice: Option<&'static str>,
}

impl SetupPage<'_> {
    fn err(&self, field: &str) -> Option<String> {
        self.problems.of(field)
    }

    fn v(&self, field: &str) -> &str {
        self.f.get(field).unwrap_or_default()
    }
}

/// The meeting and its slots' times by venue day, as the set-up page lists them.
type SetupView = (MeetingResponse, Vec<(String, Vec<(i64, String)>)>);

/// The meeting and its slots by day, as the set-up page lists them.
fn setup_of(c: &mut DbConn, actor: &AuthUser, meeting_id: i64) -> Result<SetupView, ApiError> {
    let (m, _, _) = meeting_and_phase(c, actor, meeting_id)?;
    let slots = crate::meetings::service::slots(c, &Some(actor.clone()), meeting_id)?;
    let mut by_day: Vec<(String, Vec<(i64, String)>)> = vec![];
    for s in slots {
        let day = format!(
            "{} {} · {}",
            EN.day,
            s.day_number,
            s.date.format("%a %-d %b %Y")
        );
        let time = format!(
            "{}–{}",
            s.starts_at.local.get(11..16).unwrap_or_default(),
            s.ends_at.local.get(11..16).unwrap_or_default()
        );
        match by_day.last_mut() {
            Some((d, times)) if *d == day => times.push((s.id, time)),
            _ => by_day.push((day, vec![(s.id, time)])),
        }
    }
    Ok((m, by_day))
}

fn setup_page(
    b: &desk::Browser,
    (m, slots): SetupView,
    status: StatusCode,
    problems: Problems,
    f: Form,
    notice: Option<&'static str>,
) -> HttpResponse {
    let page = SetupPage {
        w: &EN,
        k: &DESK,
        css: &CSS.name,
        shown_zone: String::new(),
        d: Some(Chrome::of(b)),
        nav: nav(m.id, "/setup"),
        slots,
        layouts: Layout::ALL
            .iter()
            .map(|l| (l.as_str().to_string(), DESK.choice(l.as_str()).to_string()))
            .collect(),
        problems,
        f,
        notice,
        m,
    };
    desk::answer(b, status, render(&page))
}

/// `GET /desk/meetings/{meeting_id}/manage/setup`: rooms, themes, session types and
/// slots, with rooms and themes added and removed here.
pub async fn setup(
    state: web::Data<AppState>,
    req: HttpRequest,
    visitor: Visitor,
    path: web::Path<i64>,
) -> HttpResponse {
    let b = match desk::require_role(&visitor, &req, Role::Secretariat) {
        Ok(b) => b,
        Err(go) => return *go,
    };
    let meeting_id = path.into_inner();
    let actor = b.user.clone();
    let notice = (req.query_string() == "changed=1").then_some(DESK.setup_changed);
    match crate::db::run(&state.pool, move |c| setup_of(c, &actor, meeting_id)).await {
        Ok(x) => setup_page(
            &b,
            x,
            StatusCode::OK,
            Problems::default(),
            Form::default(),
            notice,
        ),
        Err(e) => desk::refusal(Some(&b), &e),
    }
}

/// A change to the set-up a form asks for.
enum SetupChange {
    AddRoom,
    AddTheme,
    AddSlot,
    RemoveRoom(i64),
    RemoveTheme(i64),
    RemoveSlot(i64),
}

/// Makes the change (the API's use case for it); a refusal comes back with the page.
fn change_setup(
    c: &mut DbConn,
    actor: &AuthUser,
    meeting_id: i64,
    change: &SetupChange,
    form: &Form,
) -> desk::Mended<(), SetupView> {
    use crate::meetings::shape;
    let attempt = match change {
        SetupChange::AddRoom => {
            let mut bad = vec![];
            let capacity = match form.filled("capacity").map(str::parse::<i32>) {
                Some(Ok(n)) => n,
                _ => {
                    bad.push(FieldError::new(
                        "capacity",
                        "integer",
                        "must be a whole number",
                    ));
                    0
                }
            };
            let layout = form.get("layout").and_then(Layout::parse);
            if layout.is_none() {
                bad.push(FieldError::new("layout", "one_of", "choose a layout"));
            }
            match layout {
                Some(layout) if bad.is_empty() => shape::add_room(
                    c,
                    actor,
                    meeting_id,
                    &RoomInput {
                        name: form.get("name").unwrap_or_default().to_string(),
                        capacity,
                        hybrid: form.has("hybrid"),
                        layout,
                    },
                )
                .map(|_| ()),
                _ => Err(ApiError::validation(bad)),
            }
        }
        SetupChange::AddTheme => {
            let target = match form
                .filled("target_share")
                .map(|v| v.replace(',', ".").parse::<f64>())
            {
                None => Ok(None),
                Some(Ok(p)) => Ok(Some(p / 100.0)),
                Some(Err(_)) => Err(ApiError::field(
                    "target_share",
                    "number",
                    "must be a percentage",
                )),
            };
            target.and_then(|target_share| {
                shape::add_theme(
                    c,
                    actor,
                    meeting_id,
                    &ThemeInput {
                        name: form.get("name").unwrap_or_default().to_string(),
                        description: form.get("description").unwrap_or_default().to_string(),
                        target_share,
                    },
                )
                .map(|_| ())
            })
        }
        SetupChange::AddSlot => {
            let mut bad = vec![];
            let day_number = match form.filled("day_number").map(str::parse::<i32>) {
                Some(Ok(n)) => n,
                _ => {
                    bad.push(FieldError::new("day_number", "integer", "choose a day"));
                    0
                }
            };
            let duration_min = match form.filled("duration_min").map(str::parse::<i32>) {
                Some(Ok(n)) => n,
                _ => {
                    bad.push(FieldError::new(
                        "duration_min",
                        "integer",
                        "must be a whole number of minutes",
                    ));
                    0
                }
            };
            if bad.is_empty() {
                shape::add_slot(
                    c,
                    actor,
                    meeting_id,
                    &shape::SlotNew {
                        day_number,
                        start: form.get("start").unwrap_or_default().trim().to_string(),
                        duration_min,
                    },
                )
                .map(|_| ())
            } else {
                Err(ApiError::validation(bad))
            }
        }
        SetupChange::RemoveSlot(id) => shape::remove_slot(c, actor, *id),
        SetupChange::RemoveRoom(id) => shape::remove_room(c, actor, *id),
        SetupChange::RemoveTheme(id) => shape::remove_theme(c, actor, *id),
    };
    desk::mend(c, attempt, |c| setup_of(c, actor, meeting_id))
}

async fn setup_answer(
    state: &AppState,
    req: &HttpRequest,
    visitor: &Visitor,
    meeting_id: i64,
    change: SetupChange,
    body: &[u8],
) -> HttpResponse {
    let (b, form) = match desk::posted_by(state, req, visitor, Role::Secretariat, body) {
        Ok(x) => x,
        Err(go) => return *go,
    };
    let actor = b.user.clone();
    let f = form.clone();
    match crate::db::run(&state.pool, move |c| {
        change_setup(c, &actor, meeting_id, &change, &f)
    })
    .await
    {
        Ok(Ok(())) => desk::see_other(&format!("{}/setup?changed=1", root(meeting_id))),
        Ok(Err((e, x))) => {
            use actix_web::ResponseError;
            setup_page(&b, x, e.status_code(), Problems::from_error(&e), form, None)
        }
        Err(e) => desk::refusal(Some(&b), &e),
    }
}

/// `POST /desk/meetings/{meeting_id}/manage/rooms`: adds a room.
pub async fn add_room(
    state: web::Data<AppState>,
    req: HttpRequest,
    visitor: Visitor,
    path: web::Path<i64>,
    body: web::Bytes,
) -> HttpResponse {
    setup_answer(
        &state,
        &req,
        &visitor,
        path.into_inner(),
        SetupChange::AddRoom,
        &body,
    )
    .await
}

/// `POST /desk/meetings/{meeting_id}/manage/themes`: adds a theme.
pub async fn add_theme(
    state: web::Data<AppState>,
    req: HttpRequest,
    visitor: Visitor,
    path: web::Path<i64>,
    body: web::Bytes,
) -> HttpResponse {
    setup_answer(
        &state,
        &req,
        &visitor,
        path.into_inner(),
        SetupChange::AddTheme,
        &body,
    )
    .await
}

/// `POST /desk/meetings/{meeting_id}/manage/rooms/{room_id}/remove`: removes a room
/// nothing uses (what uses it is named otherwise).
pub async fn remove_room(
    state: web::Data<AppState>,
    req: HttpRequest,
    visitor: Visitor,
    path: web::Path<(i64, i64)>,
    body: web::Bytes,
) -> HttpResponse {
    let (m, id) = path.into_inner();
    setup_answer(
        &state,
        &req,
        &visitor,
        m,
        SetupChange::RemoveRoom(id),
        &body,
    )
    .await
}

/// `POST /desk/meetings/{meeting_id}/manage/themes/{theme_id}/remove`: removes a
/// theme nothing uses.
pub async fn remove_theme(
    state: web::Data<AppState>,
    req: HttpRequest,
    visitor: Visitor,
    path: web::Path<(i64, i64)>,
    body: web::Bytes,
) -> HttpResponse {
    let (m, id) = path.into_inner();
    setup_answer(
        &state,
        &req,
        &visitor,
        m,
        SetupChange::RemoveTheme(id),
        &body,
    )
    .await
}

/// `POST /desk/meetings/{meeting_id}/manage/slots`: adds a time slot to a day, in venue
/// time.
pub async fn add_slot(
    state: web::Data<AppState>,
    req: HttpRequest,
    visitor: Visitor,
    path: web::Path<i64>,
    body: web::Bytes,
) -> HttpResponse {
    setup_answer(
        &state,
        &req,
        &visitor,
        path.into_inner(),
        SetupChange::AddSlot,
        &body,
    )
    .await
}

/// `POST /desk/meetings/{meeting_id}/manage/slots/{slot_id}/remove`: removes a slot
/// nothing uses (what uses it is named otherwise).
pub async fn remove_slot(
    state: web::Data<AppState>,
    req: HttpRequest,
    visitor: Visitor,
    path: web::Path<(i64, i64)>,
    body: web::Bytes,
) -> HttpResponse {
    let (m, id) = path.into_inner();
    setup_answer(
        &state,
        &req,
        &visitor,
        m,
        SetupChange::RemoveSlot(id),
        &body,
    )
    .await
}
