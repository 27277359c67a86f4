//! The schedule board: a version of the schedule as a grid of one venue day (rooms
//! across, slots down) with the sessions it could not place in a tray beside their
//! reasons. A session is moved by dragging it onto a cell, or without a mouse by
//! choosing "Move" and then the cell; every move goes through the API's
//! [`move_sessions`](crate::scheduling::service::move_sessions), so a hard rule
//! broken is refused with its reasons and an accepted move makes a new draft whose
//! soft cost is shown against the one before. A move from a board that has not seen
//! the newest version is refused (the API's `newest_seen`), so two people editing at
//! once see each other's change. Pins, solve and repair jobs with their progress,
//! comparing two versions and publishing are here too.

use std::collections::BTreeMap;

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;

use super::{Nav, meeting_and_phase, nav, root};
use crate::auth::{AuthUser, Role};
use crate::db::DbConn;
use crate::error::ApiError;
use crate::meetings::types::{MeetingResponse, SlotResponse};
use crate::scheduling::edits::{Diff, Move, MovesRequest};
use crate::scheduling::jobs::{JobRequest, JobStatus, JobView, Kind};
use crate::scheduling::service as scheduling;
use crate::scheduling::types::{DiffQuery, ListJobsQuery, ListVersionsQuery};
use crate::scheduling::versions::{PlacementView, VersionView};
use crate::sessions::types::{ListSessionsQuery, Pin, UpdateSessionRequest};
use crate::state::AppState;
use crate::web::assets::CSS;
use crate::web::desk::{self, Chrome, Visitor};
use crate::web::forms::{Form, Problems};
use crate::web::service::render;
use crate::web::words::{DESK, DeskWords, EN, Words};

/// Where the board of a meeting is.
fn board_path(meeting_id: i64) -> String {
    format!("{}/board", root(meeting_id))
}

/// A session on the board.
pub struct Card {
    id: i64,
    title: String,
    time: String,
    pinned: bool,
    pinned_here: bool,
    moved: bool,
    costs: Vec<String>,
}

/// One cell: a room at a slot, and what starts there.
pub struct Cell {
    room_id: i64,
    slot_id: i64,
    cards: Vec<Card>,
}

/// One row of the grid: a slot's time and its cells, room by room.
pub struct Row {
    time: String,
    cells: Vec<Cell>,
}

/// A session the version did not place, with why.
pub struct Tray {
    id: i64,
    title: String,
    reasons: Vec<String>,
}

/// A version in the picker.
pub struct VersionLine {
    id: i64,
    label: String,
}

/// What a move did, said above the grid.
pub struct Outcome {
    text: String,
    costs: Vec<String>,
    good: bool,
}

#[derive(Template)]
#[template(path = "desk/board.html")]
struct BoardPage<'a> {
    w: &'a Words,
    k: &'a DeskWords,
    css: &'a str,
    shown_zone: String,
    d: Option<Chrome>,
    nav: Nav,
    m: MeetingResponse,
    version: Option<VersionView>,
    newest: Option<i64>,
    published: Option<i64>,
    versions: Vec<VersionLine>,
    days: Vec<(String, String, bool)>,
    day: String,
    day_name: String,
    rooms: Vec<(i64, String)>,
    rows: Vec<Row>,
    tray: Vec<Tray>,
    moving: Option<(i64, String)>,
    outcome: Option<Outcome>,
    problems: Problems,
    running: Option<JobView>,
    action: String,
    notice: Option<&'static str>,
}

/// What the board is asked to show.
#[derive(Debug, Clone, Default)]
pub struct Asked {
    version: Option<i64>,
    day: Option<String>,
    moving: Option<i64>,
    moved: Option<i64>,
    from: Option<i64>,
    notice: Option<&'static str>,
}

impl Asked {
    fn of(form: &Form) -> Asked {
        let id = |k: &str| form.filled(k).and_then(|v| v.parse::<i64>().ok());
        Asked {
            version: id("version"),
            day: form.filled("day").map(str::to_string),
            moving: id("moving"),
            moved: id("moved"),
            from: id("from"),
            notice: if form.has("pinned") {
                Some(DESK.pinned_now)
            } else if form.has("unpinned") {
                Some(DESK.unpinned_now)
            } else if form.has("published") {
                Some(DESK.version_published)
            } else {
                None
            },
        }
    }
}

/// Everything the board shows, read through the API's use cases.
pub struct Board {
    m: MeetingResponse,
    versions: Vec<VersionView>,
    version: Option<VersionView>,
    from: Option<VersionView>,
    slots: Vec<SlotResponse>,
    pins: BTreeMap<i64, Pin>,
    running: Option<JobView>,
}

/// The board's data: the meeting, its versions (newest first), the one asked for (the
/// newest by default) with every placement and penalty, the version a move came
/// from, the slots, the pins and a job still running.
fn board_of(
    c: &mut DbConn,
    actor: &AuthUser,
    meeting_id: i64,
    asked: &Asked,
) -> Result<Board, ApiError> {
    let (m, _, _) = meeting_and_phase(c, actor, meeting_id)?;
    let q = ListVersionsQuery {
        page: None,
        per_page: Some(30),
    };
    let versions = scheduling::list_versions(c, actor, meeting_id, &q)?.items;
    let chosen = asked.version.or(versions.first().map(|v| v.id));
    let version = match chosen {
        Some(id) => {
            let v = scheduling::get_version(c, actor, id)?;
            if v.meeting_id != meeting_id {
                return Err(ApiError::NotFound("schedule version"));
            }
            Some(v)
        }
        None => None,
    };
    let from = match asked.from.map(|id| scheduling::get_version(c, actor, id)) {
        Some(Ok(v)) if v.meeting_id == meeting_id => Some(v),
        Some(Err(e)) if !matches!(e, ApiError::NotFound(_)) => return Err(e),
        _ => None,
    };
    let slots = crate::meetings::service::slots(c, &Some(actor.clone()), meeting_id)?;
    let pins: BTreeMap<i64, Pin> = crate::page::every(|page, per_page| {
        let q = ListSessionsQuery {
            status: None,
            page: Some(page),
            per_page: Some(per_page),
        };
        crate::sessions::service::list(c, actor, meeting_id, &q)
    })?
    .into_iter()
    .filter_map(|s| s.pin.map(|p| (s.id, p)))
    .collect();
    let jq = ListJobsQuery {
        status: None,
        page: None,
        per_page: Some(1),
    };
    let running = scheduling::list_jobs(c, actor, meeting_id, &jq)?
        .items
        .into_iter()
        .find(|j| matches!(j.status, JobStatus::Queued | JobStatus::Running));
    Ok(Board {
        m,
        versions,
        version,
        from,
        slots,
        pins,
        running,
    })
}

fn hhmm(local: &str) -> &str {
    local.get(11..16).unwrap_or(local)
}

/// The soft penalties a session pays in a version, in words.
fn costs_of(v: &VersionView) -> BTreeMap<i64, Vec<String>> {
    let mut out: BTreeMap<i64, Vec<String>> = BTreeMap::new();
    let penalties = v
        .evaluation
        .as_ref()
        .and_then(|e| e.get("penalties"))
        .and_then(|p| p.as_array())
        .cloned()
        .unwrap_or_default();
    for p in penalties {
        let reason = p["reason"].as_str().unwrap_or_default();
        let cost = p["cost"].as_i64().unwrap_or(0);
        let hard = p["hard"].as_bool().unwrap_or(false);
        let text = if hard {
            format!("{} {reason}", DESK.hard_rule)
        } else {
            format!("{reason} (+{cost})")
        };
        for s in p["sessions"].as_array().into_iter().flatten() {
            let id = s
                .as_str()
                .and_then(|x| x.parse::<i64>().ok())
                .or(s.as_i64());
            if let Some(id) = id {
                out.entry(id).or_default().push(text.clone());
            }
        }
    }
    out
}

fn board_page(
    b: &desk::Browser,
    x: Board,
    asked: &Asked,
    status: StatusCode,
    problems: Problems,
) -> HttpResponse {
    let Board {
        m,
        versions,
        version,
        from,
        slots,
        pins,
        running,
    } = x;
    let placements: Vec<PlacementView> = version
        .as_ref()
        .and_then(|v| v.placements.clone())
        .unwrap_or_default();
    let mut dates: Vec<String> = slots.iter().map(|s| s.date.to_string()).collect();
    dates.dedup();
    let day_label = |date: &str| {
        slots
            .iter()
            .find(|s| s.date.to_string() == date)
            .map_or_else(
                || date.to_string(),
                |s| {
                    format!(
                        "{} {} · {}",
                        EN.day,
                        s.day_number,
                        s.date.format("%a %-d %b")
                    )
                },
            )
    };
    let first_busy = placements
        .first()
        .map(|p| p.starts_at.get(..10).unwrap_or_default().to_string());
    let day = asked
        .day
        .clone()
        .filter(|d| dates.contains(d))
        .or(first_busy)
        .or(dates.first().cloned())
        .unwrap_or_default();
    let costs = version.as_ref().map(costs_of).unwrap_or_default();
    let moving = asked.moving.and_then(|id| {
        placements
            .iter()
            .find(|p| p.session_id == id)
            .map(|p| (id, p.title.clone()))
            .or_else(|| {
                version
                    .as_ref()
                    .and_then(|v| v.unplaced.iter().find(|u| u.session_id == id))
                    .map(|u| (id, u.title.clone()))
            })
    });
    let rooms: Vec<(i64, String)> = m.rooms.iter().map(|r| (r.id, r.name.clone())).collect();
    let card = |p: &PlacementView| Card {
        id: p.session_id,
        title: p.title.clone(),
        time: format!("{}–{}", hhmm(&p.starts_at), hhmm(&p.ends_at)),
        pinned: pins.contains_key(&p.session_id),
        pinned_here: pins
            .get(&p.session_id)
            .is_some_and(|pin| pin.room_id == p.room_id && pin.slot_id == p.slot_id),
        moved: asked.moved == Some(p.session_id),
        costs: costs.get(&p.session_id).cloned().unwrap_or_default(),
    };
    let rows = slots
        .iter()
        .filter(|s| s.date.to_string() == day)
        .map(|s| Row {
            time: format!("{}–{}", hhmm(&s.starts_at.local), hhmm(&s.ends_at.local)),
            cells: rooms
                .iter()
                .map(|(room, _)| Cell {
                    room_id: *room,
                    slot_id: s.id,
                    cards: placements
                        .iter()
                        .filter(|p| p.room_id == *room && p.slot_id == s.id)
                        .map(card)
                        .collect(),
                })
                .collect(),
        })
        .collect();
    let outcome = match (asked.moved, &version, &from) {
        (Some(id), Some(v), Some(f)) => Some(Outcome {
            text: format!(
                "{} {} → {} {} ({}{}).",
                DESK.moved_cost,
                f.soft,
                v.soft,
                DESK.soft_points,
                if v.soft >= f.soft { "+" } else { "" },
                v.soft - f.soft
            ),
            costs: costs.get(&id).cloned().unwrap_or_default(),
            good: v.soft <= f.soft,
        }),
        _ => None,
    };
    let published = versions.iter().find(|v| v.published).map(|v| v.id);
    let page = BoardPage {
        w: &EN,
        k: &DESK,
        css: &CSS.name,
        shown_zone: String::new(),
        d: Some(Chrome::of(b)),
        nav: nav(m.id, "/board"),
        newest: versions.first().map(|v| v.id),
        published,
        versions: versions
            .iter()
            .map(|v| VersionLine {
                id: v.id,
                label: format!(
                    "{} {} · {} · {} {} · {} {}{}",
                    DESK.version,
                    v.number,
                    DESK.choice(&v.source),
                    DESK.hard_word,
                    v.hard,
                    DESK.soft_word,
                    v.soft,
                    if v.published {
                        format!(" · {}", DESK.published_word)
                    } else {
                        String::new()
                    }
                ),
            })
            .collect(),
        days: dates
            .iter()
            .map(|d| (d.clone(), day_label(d), *d == day))
            .collect(),
        tray: version
            .as_ref()
            .map(|v| {
                v.unplaced
                    .iter()
                    .map(|u| Tray {
                        id: u.session_id,
                        title: u.title.clone(),
                        reasons: u.reasons.clone(),
                    })
                    .collect()
            })
            .unwrap_or_default(),
        action: format!("{}/moves", board_path(m.id)),
        notice: asked.notice,
        day_name: day_label(&day),
        day,
        rooms,
        rows,
        moving,
        outcome,
        problems,
        running,
        version,
        m,
    };
    desk::answer(b, status, render(&page))
}

/// `GET /desk/meetings/{meeting_id}/manage/board`: a version (`?version=`, the newest
/// by default) as a grid of one day (`?day=`); `?moving=` marks a session to move and
/// makes every cell a target.
pub async fn board(
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
    let asked = Asked::of(&Form::parse(req.query_string().as_bytes()));
    let actor = b.user.clone();
    let a = asked.clone();
    match crate::db::run(&state.pool, move |c| board_of(c, &actor, meeting_id, &a)).await {
        Ok(x) => board_page(&b, x, &asked, StatusCode::OK, Problems::default()),
        Err(e) => desk::refusal(Some(&b), &e),
    }
}

/// Moves a session as the form says (the API's moves, with the newest version the
/// board showed); answers the new version, or the refusal with the board as it was.
fn move_from(
    c: &mut DbConn,
    actor: &AuthUser,
    meeting_id: i64,
    form: &Form,
) -> desk::Mended<i64, Board> {
    let id = |k: &str| form.filled(k).and_then(|v| v.parse::<i64>().ok());
    let asked = Asked::of(form);
    let attempt = match (
        id("version"),
        id("session_id"),
        id("room_id"),
        id("slot_id"),
    ) {
        (Some(version), Some(session_id), Some(room_id), Some(slot_id)) => {
            let body = MovesRequest {
                moves: vec![Move {
                    session_id,
                    room_id,
                    slot_id,
                }],
                newest_seen: id("newest_seen"),
            };
            scheduling::move_sessions(c, actor, version, &body).map(|r| r.version.id)
        }
        _ => Err(ApiError::field(
            "moves",
            "required",
            "choose a session and the cell to move it to",
        )),
    };
    desk::mend(c, attempt, |c| board_of(c, actor, meeting_id, &asked))
}

/// `POST /desk/meetings/{meeting_id}/manage/board/moves`: a session dropped on a cell
/// (or its "move here" button): a hard rule broken is refused with its reasons; else
/// the new draft is shown with its cost against the version before.
pub async fn move_session(
    state: web::Data<AppState>,
    req: HttpRequest,
    visitor: Visitor,
    path: web::Path<i64>,
    body: web::Bytes,
) -> HttpResponse {
    let (b, form) = match desk::posted_by(&state, &req, &visitor, Role::Secretariat, &body) {
        Ok(x) => x,
        Err(go) => return *go,
    };
    let meeting_id = path.into_inner();
    let asked = Asked::of(&form);
    let session = form.filled("session_id").unwrap_or_default().to_string();
    let actor = b.user.clone();
    let f = form.clone();
    match crate::db::run(&state.pool, move |c| move_from(c, &actor, meeting_id, &f)).await {
        Ok(Ok(v)) => {
            let mut pairs = vec![
                ("version", v.to_string()),
                ("moved", session),
                ("day", asked.day.clone().unwrap_or_default()),
            ];
            if let Some(from) = asked.version {
                pairs.push(("from", from.to_string()));
            }
            desk::see_other(&crate::web::service::with_query(
                &board_path(meeting_id),
                &pairs,
            ))
        }
        Ok(Err((e, x))) => {
            use actix_web::ResponseError;
            let mut problems = Problems::from_error(&e);
            if let ApiError::Validation { code, .. } = &e
                && *code == crate::error::Code::HardViolation
            {
                problems.general.insert(0, DESK.move_refused.to_string());
            }
            let shown = Asked {
                moving: None,
                ..asked
            };
            board_page(&b, x, &shown, e.status_code(), problems)
        }
        Err(e) => desk::refusal(Some(&b), &e),
    }
}

/// Pins a session where the version has it, or unpins it (the API's session edit).
fn pin_from(
    c: &mut DbConn,
    actor: &AuthUser,
    meeting_id: i64,
    form: &Form,
) -> desk::Mended<(), Board> {
    let id = |k: &str| form.filled(k).and_then(|v| v.parse::<i64>().ok());
    let asked = Asked::of(form);
    let pin = match (id("room_id"), id("slot_id")) {
        (Some(room_id), Some(slot_id)) if !form.has("unpin") => Some(Pin { room_id, slot_id }),
        _ => None,
    };
    let newest = scheduling::list_versions(
        c,
        actor,
        meeting_id,
        &ListVersionsQuery {
            page: None,
            per_page: Some(1),
        },
    )?
    .items
    .first()
    .map(|v| v.id);
    let attempt = match id("session_id") {
        // A pin says "here, as this board shows it": from a board that does not show
        // the newest version it would pin a session where it no longer is.
        Some(_) if asked.version.is_some() && asked.version != newest => Err(ApiError::conflict(
            crate::error::Code::Changed,
            DESK.pin_stale,
        )),
        Some(s) => {
            let body = UpdateSessionRequest {
                pin: Some(pin),
                ..Default::default()
            };
            crate::sessions::service::update(c, actor, s, &body, &None).map(|_| ())
        }
        None => Err(ApiError::field(
            "session_id",
            "required",
            "choose a session",
        )),
    };
    desk::mend(c, attempt, |c| board_of(c, actor, meeting_id, &asked))
}

/// `POST /desk/meetings/{meeting_id}/manage/board/pins`: pins a session to its room
/// and slot (every solve and repair keeps it there), or unpins it.
pub async fn pin(
    state: web::Data<AppState>,
    req: HttpRequest,
    visitor: Visitor,
    path: web::Path<i64>,
    body: web::Bytes,
) -> HttpResponse {
    let (b, form) = match desk::posted_by(&state, &req, &visitor, Role::Secretariat, &body) {
        Ok(x) => x,
        Err(go) => return *go,
    };
    let meeting_id = path.into_inner();
    let asked = Asked::of(&form);
    let actor = b.user.clone();
    let f = form.clone();
    match crate::db::run(&state.pool, move |c| pin_from(c, &actor, meeting_id, &f)).await {
        Ok(Ok(())) => {
            let mut pairs = vec![
                ("day", asked.day.clone().unwrap_or_default()),
                (
                    if form.has("unpin") {
                        "unpinned"
                    } else {
                        "pinned"
                    },
                    "1".to_string(),
                ),
            ];
            if let Some(v) = asked.version {
                pairs.push(("version", v.to_string()));
            }
            desk::see_other(&crate::web::service::with_query(
                &board_path(meeting_id),
                &pairs,
            ))
        }
        Ok(Err((e, x))) => {
            use actix_web::ResponseError;
            board_page(&b, x, &asked, e.status_code(), Problems::from_error(&e))
        }
        Err(e) => desk::refusal(Some(&b), &e),
    }
}

/// Starts a solve or repair (the API's job) from the form.
fn start_from(
    c: &mut DbConn,
    actor: &AuthUser,
    meeting_id: i64,
    form: &Form,
) -> desk::Mended<i64, Board> {
    let kind = form.get("kind").and_then(Kind::parse);
    let limit = form.filled("time_limit_seconds").map(|v| v.parse::<f64>());
    let attempt = match (kind, limit) {
        (None, _) => Err(ApiError::field(
            "kind",
            "one_of",
            "choose a solve or a repair",
        )),
        (Some(kind), limit) => match limit {
            Some(Err(_)) => Err(ApiError::field(
                "time_limit_seconds",
                "number",
                "must be a number of seconds",
            )),
            limit => {
                let body = JobRequest {
                    kind,
                    time_limit_seconds: limit.and_then(Result::ok).unwrap_or(20.0),
                    seed: 1,
                    rules: None,
                };
                scheduling::start_job(c, actor, meeting_id, &body).map(|j| j.id)
            }
        },
    };
    desk::mend(c, attempt, |c| {
        board_of(c, actor, meeting_id, &Asked::default())
    })
}

/// `POST /desk/meetings/{meeting_id}/manage/board/jobs`: runs a solve or a repair and
/// goes on to watch it.
pub async fn start(
    state: web::Data<AppState>,
    req: HttpRequest,
    visitor: Visitor,
    path: web::Path<i64>,
    body: web::Bytes,
) -> HttpResponse {
    let (b, form) = match desk::posted_by(&state, &req, &visitor, Role::Secretariat, &body) {
        Ok(x) => x,
        Err(go) => return *go,
    };
    let meeting_id = path.into_inner();
    let actor = b.user.clone();
    let f = form.clone();
    match crate::db::run(&state.pool, move |c| start_from(c, &actor, meeting_id, &f)).await {
        Ok(Ok(job)) => {
            state.jobs.notify();
            desk::see_other(&super::jobs::job_path(meeting_id, job))
        }
        Ok(Err((e, x))) => {
            use actix_web::ResponseError;
            board_page(
                &b,
                x,
                &Asked::default(),
                e.status_code(),
                Problems::from_error(&e),
            )
        }
        Err(e) => desk::refusal(Some(&b), &e),
    }
}

/// Publishes a version (the API's publish) of this meeting.
fn publish_from(
    c: &mut DbConn,
    actor: &AuthUser,
    meeting_id: i64,
    form: &Form,
) -> desk::Mended<i64, Board> {
    let asked = Asked::of(form);
    let attempt = match asked.version {
        Some(v) => {
            let view = scheduling::get_version(c, actor, v)?;
            if view.meeting_id != meeting_id {
                return Err(ApiError::NotFound("schedule version"));
            }
            scheduling::publish(c, actor, v).map(|_| v)
        }
        None => Err(ApiError::field("version", "required", "choose a version")),
    };
    desk::mend(c, attempt, |c| board_of(c, actor, meeting_id, &asked))
}

/// `POST /desk/meetings/{meeting_id}/manage/board/publish`: makes the version shown
/// the published programme.
pub async fn publish(
    state: web::Data<AppState>,
    req: HttpRequest,
    visitor: Visitor,
    path: web::Path<i64>,
    body: web::Bytes,
) -> HttpResponse {
    let (b, form) = match desk::posted_by(&state, &req, &visitor, Role::Secretariat, &body) {
        Ok(x) => x,
        Err(go) => return *go,
    };
    let meeting_id = path.into_inner();
    let asked = Asked::of(&form);
    let actor = b.user.clone();
    let f = form.clone();
    let result = crate::db::run(&state.pool, move |c| {
        publish_from(c, &actor, meeting_id, &f)
    })
    .await;
    match result {
        Ok(Ok(v)) => {
            state.feeds.forget(meeting_id);
            state.pages.forget(meeting_id);
            desk::see_other(&format!(
                "{}?version={v}&published=1",
                board_path(meeting_id)
            ))
        }
        Ok(Err((e, x))) => {
            use actix_web::ResponseError;
            board_page(&b, x, &asked, e.status_code(), Problems::from_error(&e))
        }
        Err(e) => desk::refusal(Some(&b), &e),
    }
}

#[derive(Template)]
#[template(path = "desk/diff.html")]
struct DiffPage<'a> {
    w: &'a Words,
    k: &'a DeskWords,
    css: &'a str,
    shown_zone: String,
    d: Option<Chrome>,
    nav: Nav,
    meeting_id: i64,
    diff: Diff,
    from_number: i32,
    to_number: i32,
}

/// Two versions of the meeting compared session by session (the API's diff).
fn diff_of(
    c: &mut DbConn,
    actor: &AuthUser,
    meeting_id: i64,
    to: i64,
    against: Option<i64>,
) -> Result<(Diff, i32, i32), ApiError> {
    let view = scheduling::get_version(c, actor, to)?;
    if view.meeting_id != meeting_id {
        return Err(ApiError::NotFound("schedule version"));
    }
    let diff = scheduling::diff(c, actor, to, &DiffQuery { against })?;
    let from = scheduling::get_version(c, actor, diff.from_version)?;
    Ok((diff, from.number, view.number))
}

/// `GET /desk/meetings/{meeting_id}/manage/board/diff?version=&against=`: what moved,
/// came or went between two versions (against the published one by default).
pub async fn diff(
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
    let form = Form::parse(req.query_string().as_bytes());
    let id = |k: &str| form.filled(k).and_then(|v| v.parse::<i64>().ok());
    let Some(to) = id("version") else {
        return desk::refusal(
            Some(&b),
            &ApiError::field("version", "required", "choose a version to compare"),
        );
    };
    let against = id("against");
    let actor = b.user.clone();
    let (diff, from_number, to_number) = match crate::db::run(&state.pool, move |c| {
        diff_of(c, &actor, meeting_id, to, against)
    })
    .await
    {
        Ok(x) => x,
        Err(e) => return desk::refusal(Some(&b), &e),
    };
    let page = DiffPage {
        w: &EN,
        k: &DESK,
        css: &CSS.name,
        shown_zone: String::new(),
        d: Some(Chrome::of(&b)),
        nav: nav(meeting_id, "/board"),
        meeting_id,
        diff,
        from_number,
        to_number,
    };
    desk::answer(&b, StatusCode::OK, render(&page))
}
