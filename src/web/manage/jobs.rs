//! A long action of the meeting as it runs: a solve or a repair, the evaluators'
//! assignment or the selection, with its progress as a bar and the best answer so far,
//! both from the job's own progress (the page reads itself again every second while
//! the job runs). Once it ends: the version, the assignment or the programme it made,
//! or why it failed, with the way back to its form.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;

use super::{Nav, nav, root};
use crate::auth::{AuthUser, Role};
use crate::db::DbConn;
use crate::error::ApiError;
use crate::evaluation::service::AssignmentRun;
use crate::scheduling::jobs::{JobStatus, JobView, Kind};
use crate::scheduling::service as scheduling;
use crate::scheduling::versions::VersionView;
use crate::state::AppState;
use crate::web::assets::CSS;
use crate::web::desk::{self, Chrome, Visitor};
use crate::web::forms::Problems;
use crate::web::service::render;
use crate::web::words::{DESK, DeskWords, EN, Words};

/// Where a job of the meeting is watched.
pub fn job_path(meeting_id: i64, job_id: i64) -> String {
    format!("{}/jobs/{job_id}", root(meeting_id))
}

/// The progress bar: how far, of how much, and the same in words.
pub struct Bar {
    value: u64,
    max: u64,
    text: String,
    /// The bar shows time against the limit (the phase cannot count its steps).
    timed: bool,
}

#[derive(Template)]
#[template(path = "desk/job.html")]
struct JobPage<'a> {
    w: &'a Words,
    k: &'a DeskWords,
    css: &'a str,
    shown_zone: String,
    d: Option<Chrome>,
    nav: Nav,
    meeting_id: i64,
    job: JobView,
    running: bool,
    bar: Bar,
    phase: Option<String>,
    /// The best answer so far: what it counts and the figure, in words.
    best: Option<(String, String)>,
    /// The best schedule so far of a solve or repair: hard and soft costs.
    costs: Option<(i64, i64)>,
    version: Option<VersionView>,
    assignment: Option<AssignmentRun>,
    selection_run: Option<i64>,
    /// Where the job's form is opened again with its request (and its problems).
    form_again: String,
}

/// A job of the meeting, and the version it made once done.
fn job_of(
    c: &mut DbConn,
    actor: &AuthUser,
    meeting_id: i64,
    job_id: i64,
) -> Result<(JobView, Option<VersionView>), ApiError> {
    let job = scheduling::get_job(c, actor, job_id)?;
    if job.meeting_id != meeting_id {
        return Err(ApiError::NotFound("schedule job"));
    }
    let version = match job.version_id {
        Some(v) => Some(scheduling::get_version(c, actor, v)?),
        None => None,
    };
    Ok((job, version))
}

/// The bar of a job: a solve's or a repair's time against its limit; an assignment's
/// or a selection's steps of its phase, or its time against its limit where the
/// phase cannot count them.
fn bar_of(job: &JobView) -> Bar {
    let p = job.progress.clone().unwrap_or_default();
    let elapsed_ms = p["elapsed_ms"].as_u64().unwrap_or(0);
    let (done, total) = (
        p["done"].as_u64().unwrap_or(0),
        p["total"].as_u64().unwrap_or(0),
    );
    let seconds = |key: &str, default: f64| {
        (job.request[key].as_f64().unwrap_or(default) * 1000.0).max(1.0) as u64
    };
    let timed = |limit_ms: u64| {
        let value = elapsed_ms.min(limit_ms);
        Bar {
            value,
            max: limit_ms,
            text: format!("{} / {} s", value / 1000, limit_ms / 1000),
            timed: true,
        }
    };
    let finished = !matches!(job.status, JobStatus::Queued | JobStatus::Running);
    match job.kind {
        Kind::Solve | Kind::Repair => timed(seconds("time_limit_seconds", 20.0)),
        _ if finished && job.status == JobStatus::Succeeded => Bar {
            value: 1,
            max: 1,
            text: format!("{:.1} s", elapsed_ms as f64 / 1000.0),
            timed: false,
        },
        _ if total > 0 => Bar {
            value: done.min(total),
            max: total,
            text: format!("{} / {total}", done.min(total)),
            timed: false,
        },
        Kind::Selection => timed(seconds("time_limit_s", 30.0)),
        Kind::Assignment => Bar {
            value: 0,
            max: 1,
            text: String::new(),
            timed: false,
        },
    }
}

/// The best answer so far in words, from the job's progress.
fn best_of(job: &JobView) -> Option<(String, String)> {
    let best = job.progress.as_ref()?.get("best")?;
    let what = best["what"].as_str()?;
    let value = best["value"].as_f64()?;
    let figure = if value.fract() == 0.0 {
        format!("{value:.0}")
    } else {
        format!("{value:.2}")
    };
    Some((DESK.choice(what).to_string(), figure))
}

/// `GET /desk/meetings/{meeting_id}/manage/jobs/{job_id}`: a job with its progress.
pub async fn job(
    state: web::Data<AppState>,
    req: HttpRequest,
    visitor: Visitor,
    path: web::Path<(i64, i64)>,
) -> HttpResponse {
    let b = match desk::require_role(&visitor, &req, Role::Secretariat) {
        Ok(b) => b,
        Err(go) => return *go,
    };
    let (meeting_id, job_id) = path.into_inner();
    let actor = b.user.clone();
    let (job, version) =
        match crate::db::run(&state.pool, move |c| job_of(c, &actor, meeting_id, job_id)).await {
            Ok(x) => x,
            Err(e) => return desk::refusal(Some(&b), &e),
        };
    let progress = job.progress.clone().unwrap_or_default();
    let costs = match (
        progress["best_hard"].as_i64(),
        progress["best_soft"].as_i64(),
    ) {
        (Some(h), Some(s)) => Some((h, s)),
        _ => None,
    };
    let here = match job.kind {
        Kind::Solve | Kind::Repair => "/board",
        Kind::Assignment => "/evaluation",
        Kind::Selection => "/selection",
    };
    let form_again = match job.kind {
        Kind::Solve | Kind::Repair => format!("{}/board", root(meeting_id)),
        _ => format!("{}{here}?job={}", root(meeting_id), job.id),
    };
    let assignment = match job.kind {
        Kind::Assignment => job
            .result
            .clone()
            .and_then(|r| serde_json::from_value(r).ok()),
        _ => None,
    };
    let selection_run = match job.kind {
        Kind::Selection => job
            .result
            .as_ref()
            .and_then(|r| r["selection_run_id"].as_i64()),
        _ => None,
    };
    let page = JobPage {
        w: &EN,
        k: &DESK,
        css: &CSS.name,
        shown_zone: String::new(),
        d: Some(Chrome::of(&b)),
        nav: nav(meeting_id, here),
        meeting_id,
        running: matches!(job.status, JobStatus::Queued | JobStatus::Running),
        bar: bar_of(&job),
        phase: progress["phase"]
            .as_str()
            .map(|p| DESK.choice(p).to_string()),
        best: best_of(&job),
        costs,
        version,
        assignment,
        selection_run,
        form_again,
        job,
    };
    desk::answer(&b, StatusCode::OK, render(&page))
}

/// A job of `kind` of the meeting whose form is opened again with its request (and,
/// when it failed for that request, its problems beside the fields).
pub fn job_for_form(
    c: &mut DbConn,
    actor: &AuthUser,
    meeting_id: i64,
    job_id: i64,
    kind: Kind,
) -> Result<JobView, ApiError> {
    let (job, _) = job_of(c, actor, meeting_id, job_id)?;
    if job.kind != kind {
        return Err(ApiError::NotFound("schedule job"));
    }
    Ok(job)
}

/// What a failed job's request did wrong, as a form shows it: each field's rule beside
/// it, and the job's error over the form.
pub fn problems_of(job: &JobView) -> Problems {
    let mut p = Problems::default();
    if job.status != JobStatus::Failed {
        return p;
    }
    for e in &job.errors {
        p.add(&e.field, &e.message);
    }
    if let Some(e) = &job.error {
        p.add("", e);
    }
    p
}

/// Asks a job to stop (the API's cancel): a solve or a repair keeps its best
/// schedule; an assignment or a selection stores nothing.
fn cancel_from(
    c: &mut DbConn,
    actor: &AuthUser,
    meeting_id: i64,
    job_id: i64,
) -> Result<(), ApiError> {
    job_of(c, actor, meeting_id, job_id)?;
    scheduling::cancel_job(c, actor, job_id).map(|_| ())
}

/// `POST /desk/meetings/{meeting_id}/manage/jobs/{job_id}/cancel`.
pub async fn cancel(
    state: web::Data<AppState>,
    req: HttpRequest,
    visitor: Visitor,
    path: web::Path<(i64, i64)>,
    body: web::Bytes,
) -> HttpResponse {
    let (b, _) = match desk::posted_by(&state, &req, &visitor, Role::Secretariat, &body) {
        Ok(x) => x,
        Err(go) => return *go,
    };
    let (meeting_id, job_id) = path.into_inner();
    let actor = b.user.clone();
    match crate::db::run(&state.pool, move |c| {
        cancel_from(c, &actor, meeting_id, job_id)
    })
    .await
    {
        Ok(()) => desk::see_other(&job_path(meeting_id, job_id)),
        Err(e) => desk::refusal(Some(&b), &e),
    }
}
