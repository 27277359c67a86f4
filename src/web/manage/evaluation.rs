//! The committee with each member's progress, members added and removed, and the
//! assignment run with what it did.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;

use crate::auth::types::ListUsersQuery;
use crate::auth::{AuthUser, Role};
use crate::db::DbConn;
use crate::error::ApiError;
use crate::evaluation::committee::{self, AddMembers, Committee};
use crate::evaluation::phase::SettingsView;
use crate::evaluation::service as evaluation_service;
use crate::evaluation::types::AssignRequest;
use crate::meetings::types::MeetingResponse;
use crate::scheduling::jobs::{JobStatus, JobView, Kind};
use crate::state::AppState;
use crate::web::assets::CSS;
use crate::web::desk::{self, Chrome, Visitor};
use crate::web::forms::{Form, Problems};
use crate::web::service::render;
use crate::web::words::{DESK, DeskWords, EN, Words};

use super::{Nav, meeting_and_phase, nav, root};

#[derive(Template)]
#[template(path = "desk/manage_evaluation.html")]
struct EvaluationPage<'a> {
    w: &'a Words,
    k: &'a DeskWords,
    css: &'a str,
    shown_zone: String,
    d: Option<Chrome>,
    nav: Nav,
    m: MeetingResponse,
    s: SettingsView,
    committee: Committee,
    others: Vec<(i64, String)>,
    run: Option<evaluation_service::AssignmentRun>,
    problems: Problems,
    f: Form,
    notice: Option<&'static str>,
}

impl EvaluationPage<'_> {
    fn err(&self, field: &str) -> Option<String> {
        self.problems.of(field)
    }
}

/// The committee, the evaluators who are not on it, and the meeting.
struct EvaluationView {
    m: MeetingResponse,
    s: SettingsView,
    committee: Committee,
    others: Vec<(i64, String)>,
}

fn evaluation_of(
    c: &mut DbConn,
    actor: &AuthUser,
    meeting_id: i64,
) -> Result<EvaluationView, ApiError> {
    let (m, s, _) = meeting_and_phase(c, actor, meeting_id)?;
    let committee = committee::list(c, actor, meeting_id)?;
    let others = crate::page::every(|page, per_page| {
        let q = ListUsersQuery {
            role: Some(Role::Evaluator),
            page: Some(page),
            per_page: Some(per_page),
        };
        crate::auth::service::list_users(c, actor, &q)
    })?
    .into_iter()
    .filter(|u| u.active && !committee.members.iter().any(|m| m.user_id == u.id))
    .map(|u| (u.id, format!("{} ({})", u.name, u.email)))
    .collect();
    Ok(EvaluationView {
        m,
        s,
        committee,
        others,
    })
}

fn evaluation_page(
    b: &desk::Browser,
    x: EvaluationView,
    status: StatusCode,
    run: Option<evaluation_service::AssignmentRun>,
    problems: Problems,
    f: Form,
    notice: Option<&'static str>,
) -> HttpResponse {
    let page = EvaluationPage {
        w: &EN,
        k: &DESK,
        css: &CSS.name,
        shown_zone: String::new(),
        d: Some(Chrome::of(b)),
        nav: nav(x.m.id, "/evaluation"),
        m: x.m,
        s: x.s,
        committee: x.committee,
        others: x.others,
        run,
        problems,
        f,
        notice,
    };
    desk::answer(b, status, render(&page))
}

/// The evaluation page's view, and the assignment job it was opened from, if any.
fn evaluation_with_job(
    c: &mut DbConn,
    actor: &AuthUser,
    meeting_id: i64,
    job_id: Option<i64>,
) -> Result<(EvaluationView, Option<JobView>), ApiError> {
    let job = match job_id {
        Some(id) => Some(super::jobs::job_for_form(
            c,
            actor,
            meeting_id,
            id,
            Kind::Assignment,
        )?),
        None => None,
    };
    Ok((evaluation_of(c, actor, meeting_id)?, job))
}

/// `GET /desk/meetings/{meeting_id}/manage/evaluation`: the committee with each
/// member's progress, the assignment run and members added or removed.
pub async fn evaluation_view(
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
    let query = Form::parse(req.query_string().as_bytes());
    let notice = query.has("committee").then_some(DESK.committee_changed);
    let job_id = query.filled("job").and_then(|j| j.parse::<i64>().ok());
    let got = crate::db::run(&state.pool, move |c| {
        evaluation_with_job(c, &actor, meeting_id, job_id)
    })
    .await;
    match got {
        Ok((x, None)) => evaluation_page(
            &b,
            x,
            StatusCode::OK,
            None,
            Problems::default(),
            Form::default(),
            notice,
        ),
        // A job's page sent the secretariat back here: its run, or its problems
        // beside the rules it was asked with.
        Ok((x, Some(job))) => {
            let mut f = Form::default();
            for field in [
                "per_proposal",
                "min_stakeholder_groups",
                "min_regional_groups",
            ] {
                if let Some(n) = job.request[field].as_u64() {
                    f.push(field, &n.to_string());
                }
            }
            let run = job
                .result
                .clone()
                .and_then(|r| serde_json::from_value(r).ok());
            let notice = match job.status {
                JobStatus::Failed => Some(DESK.job_failed_for),
                JobStatus::Succeeded => Some(DESK.assigned_now),
                _ => None,
            };
            let problems = super::jobs::problems_of(&job);
            evaluation_page(&b, x, StatusCode::OK, run, problems, f, notice)
        }
        Err(e) => desk::refusal(Some(&b), &e),
    }
}

/// What an action on the evaluation page did: the assignment job it queued, or the
/// refusal to show with the page.
type EvaluationOutcome = Result<Option<i64>, (ApiError, EvaluationView)>;

/// Queues the assignment with the form's rules (the API's, asked to respond at once);
/// answers its job.
fn assign_from(
    c: &mut DbConn,
    actor: &AuthUser,
    meeting_id: i64,
    form: &Form,
) -> Result<EvaluationOutcome, ApiError> {
    let mut bad = vec![];
    let body = AssignRequest {
        per_proposal: form.whole("per_proposal", &mut bad),
        min_stakeholder_groups: form.whole("min_stakeholder_groups", &mut bad),
        min_regional_groups: form.whole("min_regional_groups", &mut bad),
    };
    let attempt = if bad.is_empty() {
        evaluation_service::queue_assignment(c, actor, meeting_id, &body).map(|j| j.id)
    } else {
        Err(ApiError::validation(bad))
    };
    desk::mend(c, attempt.map(Some), |c| {
        evaluation_of(c, actor, meeting_id)
    })
}

/// `POST /desk/meetings/{meeting_id}/manage/assignment`: queues the assignment of
/// evaluators to every submitted proposal and goes on to watch it.
pub async fn assign(
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
    let result = crate::db::run(&state.pool, move |c| assign_from(c, &actor, meeting_id, &f)).await;
    evaluation_answer(&state, &b, meeting_id, result, form).await
}

async fn evaluation_answer(
    state: &AppState,
    b: &desk::Browser,
    meeting_id: i64,
    result: Result<EvaluationOutcome, ApiError>,
    form: Form,
) -> HttpResponse {
    match result {
        Ok(Ok(None)) => desk::see_other(&format!("{}/evaluation?committee=1", root(meeting_id))),
        Ok(Ok(Some(job))) => {
            state.jobs.notify();
            desk::see_other(&super::jobs::job_path(meeting_id, job))
        }
        Ok(Err((e, x))) => {
            use actix_web::ResponseError;
            evaluation_page(
                b,
                x,
                e.status_code(),
                None,
                Problems::from_error(&e),
                form,
                None,
            )
        }
        Err(e) => desk::refusal(Some(b), &e),
    }
}

/// Adds the chosen evaluators to the committee (the API's).
fn add_members_from(
    c: &mut DbConn,
    actor: &AuthUser,
    meeting_id: i64,
    form: &Form,
) -> Result<EvaluationOutcome, ApiError> {
    let ids: Result<Vec<i64>, _> = form
        .all("user_ids")
        .iter()
        .map(|v| v.parse::<i64>())
        .collect();
    let attempt = match ids {
        Ok(user_ids) => committee::add(c, actor, meeting_id, &AddMembers { user_ids }).map(|_| ()),
        Err(_) => Err(ApiError::field(
            "user_ids",
            "integer",
            "choose evaluator accounts",
        )),
    };
    desk::mend(c, attempt.map(|()| None), |c| {
        evaluation_of(c, actor, meeting_id)
    })
}

/// `POST /desk/meetings/{meeting_id}/manage/committee`: adds evaluators.
pub async fn add_members(
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
    let result = crate::db::run(&state.pool, move |c| {
        add_members_from(c, &actor, meeting_id, &f)
    })
    .await;
    evaluation_answer(&state, &b, meeting_id, result, form).await
}

/// Takes a member off the committee (the API's).
fn remove_member_from(
    c: &mut DbConn,
    actor: &AuthUser,
    meeting_id: i64,
    user_id: i64,
) -> Result<EvaluationOutcome, ApiError> {
    let attempt = committee::remove(c, actor, meeting_id, user_id).map(|()| None);
    desk::mend(c, attempt, |c| evaluation_of(c, actor, meeting_id))
}

/// `POST /desk/meetings/{meeting_id}/manage/committee/{user_id}/remove`: takes a
/// member off the committee with their unscored assignments.
pub async fn remove_member(
    state: web::Data<AppState>,
    req: HttpRequest,
    visitor: Visitor,
    path: web::Path<(i64, i64)>,
    body: web::Bytes,
) -> HttpResponse {
    let (b, form) = match desk::posted_by(&state, &req, &visitor, Role::Secretariat, &body) {
        Ok(x) => x,
        Err(go) => return *go,
    };
    let (meeting_id, user_id) = path.into_inner();
    let actor = b.user.clone();
    let result = crate::db::run(&state.pool, move |c| {
        remove_member_from(c, &actor, meeting_id, user_id)
    })
    .await;
    evaluation_answer(&state, &b, meeting_id, result, form).await
}
