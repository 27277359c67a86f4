//! The meeting's dashboard: the phase, the counts, what needs doing next, and the
//! phase moved on (scoring opened and closed, results published).

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;

use crate::auth::{AuthUser, Role};
use crate::db::DbConn;
use crate::error::ApiError;
use crate::evaluation::committee::{self};
use crate::evaluation::phase::{Change, Phase, SettingsView};
use crate::evaluation::service as evaluation_service;
use crate::meetings::types::MeetingResponse;
use crate::proposals::types::{ListProposalsQuery, ProposalStatus};
use crate::state::AppState;
use crate::web::assets::CSS;
use crate::web::desk::{self, Chrome, Visitor};
use crate::web::forms::{Form, Problems};
use crate::web::service::render;
use crate::web::words::{DESK, DeskWords, EN, Words};

use super::{Nav, meeting_and_phase, nav, root};
/// A next step on the dashboard: what to do and where.
struct Step {
    text: String,
    href: Option<String>,
}

/// What needs doing next, from the call, the phase and the counts.
fn next_steps(m: &MeetingResponse, s: &SettingsView, members: usize) -> Vec<Step> {
    let r = root(m.id);
    let p = &s.progress;
    let mut out = vec![];
    let step = |text: &str, href: Option<String>| Step {
        text: text.to_string(),
        href,
    };
    match s.phase {
        Phase::NotStarted => {
            if members == 0 {
                out.push(step(DESK.step_committee, Some(format!("{r}/evaluation"))));
            }
            if m.cfp.open_now {
                out.push(step(
                    DESK.step_call_open,
                    Some(format!("/meetings/{}/call", m.id)),
                ));
            }
            if p.proposals > 0 && p.assignments == 0 {
                out.push(step(DESK.step_assign, Some(format!("{r}/evaluation"))));
            }
            if p.assignments > 0 && !m.cfp.open_now {
                out.push(step(DESK.step_open_scoring, None));
            }
        }
        Phase::Scoring => {
            out.push(Step {
                text: format!("{} {} / {}.", DESK.step_scoring, p.scored, p.assignments),
                href: Some(format!("{r}/evaluation")),
            });
            if p.scored >= p.assignments && p.assignments > 0 {
                out.push(step(DESK.step_close_scoring, None));
            }
        }
        Phase::Closed => {
            if p.decided > 0 {
                out.push(step(DESK.step_publish, None));
            } else {
                out.push(step(DESK.step_select, Some(format!("{r}/selection"))));
            }
        }
        Phase::Published => {
            out.push(step(
                DESK.step_published,
                Some(format!("/meetings/{}/report", m.id)),
            ));
        }
    }
    out
}

#[derive(Template)]
#[template(path = "desk/manage.html")]
struct DashboardPage<'a> {
    w: &'a Words,
    k: &'a DeskWords,
    css: &'a str,
    shown_zone: String,
    d: Option<Chrome>,
    nav: Nav,
    m: MeetingResponse,
    s: SettingsView,
    version: i32,
    members: usize,
    counts: Vec<(String, i64)>,
    steps: Vec<Step>,
    moves: Vec<(&'static str, &'static str)>,
    problems: Problems,
    notice: Option<&'static str>,
}

/// Everything the dashboard shows.
struct Dashboard {
    m: MeetingResponse,
    s: SettingsView,
    members: usize,
    counts: Vec<(String, i64)>,
}

fn dashboard_of(c: &mut DbConn, actor: &AuthUser, meeting_id: i64) -> Result<Dashboard, ApiError> {
    let (m, s, _) = meeting_and_phase(c, actor, meeting_id)?;
    let members = committee::list(c, actor, meeting_id)?.members.len();
    let mut counts = vec![];
    for status in ProposalStatus::ALL {
        let q = ListProposalsQuery {
            theme_id: None,
            session_type: None,
            status: Some(*status),
            regional_group: None,
            q: None,
            page: None,
            per_page: Some(1),
        };
        let n = crate::proposals::service::list(c, actor, meeting_id, &q)?.total;
        counts.push((DESK.choice(status.as_str()).to_string(), n));
    }
    Ok(Dashboard {
        m,
        s,
        members,
        counts,
    })
}

fn dashboard_page(
    b: &desk::Browser,
    x: Dashboard,
    status: StatusCode,
    problems: Problems,
    notice: Option<&'static str>,
) -> HttpResponse {
    let steps = next_steps(&x.m, &x.s, x.members);
    let moves = match x.s.phase {
        Phase::NotStarted => vec![("scoring", DESK.open_scoring)],
        Phase::Scoring => vec![("closed", DESK.close_scoring)],
        Phase::Closed => vec![
            ("scoring", DESK.reopen_scoring),
            ("published", DESK.publish_results),
        ],
        Phase::Published => vec![],
    };
    let page = DashboardPage {
        w: &EN,
        k: &DESK,
        css: &CSS.name,
        shown_zone: String::new(),
        d: Some(Chrome::of(b)),
        nav: nav(x.m.id, ""),
        version: x.s.version,
        members: x.members,
        counts: x.counts,
        steps,
        moves,
        problems,
        notice,
        m: x.m,
        s: x.s,
    };
    desk::answer(b, status, render(&page))
}

/// `GET /desk/meetings/{meeting_id}/manage`: the meeting's dashboard.
pub async fn dashboard(
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
    let notice = match req.query_string() {
        "phase=1" => Some(DESK.phase_moved),
        _ => None,
    };
    match crate::db::run(&state.pool, move |c| dashboard_of(c, &actor, meeting_id)).await {
        Ok(x) => dashboard_page(&b, x, StatusCode::OK, Problems::default(), notice),
        Err(e) => desk::refusal(Some(&b), &e),
    }
}

/// Moves the evaluation's phase (the API's, at the version the page showed); a
/// refusal comes back with the dashboard.
fn move_phase(
    c: &mut DbConn,
    actor: &AuthUser,
    meeting_id: i64,
    form: &Form,
) -> desk::Mended<(), Dashboard> {
    let phase = form
        .get("phase")
        .and_then(|p| Phase::ALL.iter().copied().find(|x| x.as_str() == p));
    let attempt = match phase {
        None => Err(ApiError::field("phase", "one_of", "choose a phase")),
        Some(phase) => {
            let expected = form
                .filled("version")
                .and_then(|v| v.parse::<i32>().ok())
                .map(|v| vec![crate::etag::tag("evaluation", meeting_id, v)]);
            let change = Change {
                phase: Some(phase),
                criteria: None,
                blind_review: None,
            };
            evaluation_service::update(c, actor, meeting_id, change, &expected).map(|_| ())
        }
    };
    desk::mend(c, attempt, |c| dashboard_of(c, actor, meeting_id))
}

/// `POST /desk/meetings/{meeting_id}/manage/phase`: opens or closes scoring, or
/// publishes the results.
pub async fn phase(
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
    match crate::db::run(&state.pool, move |c| {
        move_phase(c, &actor, meeting_id, &form)
    })
    .await
    {
        Ok(Ok(())) => desk::see_other(&format!("{}?phase=1", root(meeting_id))),
        Ok(Err((e, x))) => {
            use actix_web::ResponseError;
            let p = Problems::from_error(&e);
            dashboard_page(&b, x, e.status_code(), p, None)
        }
        Err(e) => desk::refusal(Some(&b), &e),
    }
}
