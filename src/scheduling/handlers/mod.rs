//! HTTP for scheduling: solve and repair jobs, versions, publishing, the public
//! programme; each handler calls its use case in [`super::service`]. Closed rooms and
//! absent people are in [`availability`], remote hubs in [`hubs`].

pub mod availability;
pub mod hubs;

use actix_web::{HttpResponse, web};

use super::edits::MovesRequest;
use super::jobs::JobRequest;
use super::logistics::LogisticsInput;
use super::sheet::{SheetFormat, SheetQuery};
use super::types::{DiffQuery, ListJobsQuery, ListVersionsQuery};
use super::versions::{CalendarLinks, ProgrammeQuery};
use super::{rules, service};
use crate::auth::extract::{MaybeAuthUser, Secretariat};
use crate::error::ApiError;
use crate::extract::{Json, Query};
use crate::state::AppState;

/// `POST /api/v1/meetings/{meeting_id}/schedules`: queues a solve or repair job; a
/// worker runs it. Answers 202 with the job.
#[tracing::instrument(skip_all)]
pub async fn start_job(
    state: web::Data<AppState>,
    Secretariat(user): Secretariat,
    path: web::Path<i64>,
    Json(body): Json<JobRequest>,
) -> Result<HttpResponse, ApiError> {
    let meeting_id = path.into_inner();
    let v = crate::db::run(&state.pool, move |c| {
        service::start_job(c, &user, meeting_id, &body)
    })
    .await?;
    Ok(accepted(&state, &v))
}

/// 202 with a job just queued, where to follow it, and the worker of this instance
/// woken for it.
pub fn accepted(state: &AppState, job: &super::jobs::JobView) -> HttpResponse {
    state.jobs.notify();
    HttpResponse::Accepted()
        .insert_header(("Location", format!("/api/v1/schedule-jobs/{}", job.id)))
        .insert_header(("Preference-Applied", "respond-async"))
        .json(job)
}

/// `GET /api/v1/meetings/{meeting_id}/schedule-jobs`: the meeting's jobs, newest first.
pub async fn list_jobs(
    state: web::Data<AppState>,
    Secretariat(user): Secretariat,
    path: web::Path<i64>,
    Query(q): Query<ListJobsQuery>,
) -> Result<HttpResponse, ApiError> {
    let meeting_id = path.into_inner();
    let body = crate::db::run(&state.pool, move |c| {
        service::list_jobs(c, &user, meeting_id, &q)
    })
    .await?;
    Ok(HttpResponse::Ok().json(body))
}

/// `GET /api/v1/schedule-jobs/{job_id}`.
pub async fn get_job(
    state: web::Data<AppState>,
    Secretariat(user): Secretariat,
    path: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    let id = path.into_inner();
    let v = crate::db::run(&state.pool, move |c| service::get_job(c, &user, id)).await?;
    Ok(HttpResponse::Ok().json(v))
}

/// `DELETE /api/v1/schedule-jobs/{job_id}`: cancels.
#[tracing::instrument(skip_all)]
pub async fn cancel_job(
    state: web::Data<AppState>,
    Secretariat(user): Secretariat,
    path: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    let id = path.into_inner();
    let v = crate::db::run(&state.pool, move |c| service::cancel_job(c, &user, id)).await?;
    Ok(HttpResponse::Ok().json(v))
}

/// `GET /api/v1/meetings/{meeting_id}/schedules`: versions, newest first.
pub async fn list_versions(
    state: web::Data<AppState>,
    Secretariat(user): Secretariat,
    path: web::Path<i64>,
    Query(q): Query<ListVersionsQuery>,
) -> Result<HttpResponse, ApiError> {
    let meeting_id = path.into_inner();
    let body = crate::db::run(&state.pool, move |c| {
        service::list_versions(c, &user, meeting_id, &q)
    })
    .await?;
    Ok(HttpResponse::Ok().json(body))
}

/// `GET /api/v1/schedules/{version_id}`.
pub async fn get_version(
    state: web::Data<AppState>,
    Secretariat(user): Secretariat,
    path: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    let id = path.into_inner();
    let v = crate::db::run(&state.pool, move |c| service::get_version(c, &user, id)).await?;
    Ok(HttpResponse::Ok().json(v))
}

/// `POST /api/v1/schedules/{version_id}/publish`.
#[tracing::instrument(skip_all)]
pub async fn publish_version(
    state: web::Data<AppState>,
    Secretariat(user): Secretariat,
    path: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    let id = path.into_inner();
    let (v, meeting_id) =
        crate::db::run(&state.pool, move |c| service::publish(c, &user, id)).await?;
    state.feeds.forget(meeting_id);
    state.pages.forget(meeting_id);
    Ok(HttpResponse::Ok().json(v))
}

/// `GET /api/v1/meetings/{meeting_id}/programme`: the published schedule, public,
/// without personal data; `?tz=` adds times in the viewer's zone.
pub async fn get_programme(
    state: web::Data<AppState>,
    MaybeAuthUser(user): MaybeAuthUser,
    path: web::Path<i64>,
    Query(q): Query<ProgrammeQuery>,
) -> Result<HttpResponse, ApiError> {
    let meeting_id = path.into_inner();
    // The calendar link keeps every filter the feed takes, encoded.
    let mut feed_query = form_urlencoded::Serializer::new(String::new());
    for (k, v) in [
        ("day", q.day.map(|d| d.to_string())),
        ("theme_id", q.theme_id.map(|t| t.to_string())),
        ("session_type", q.session_type.clone()),
        ("room_id", q.room_id.map(|r| r.to_string())),
        ("person", q.person.clone()),
    ] {
        if let Some(v) = v {
            feed_query.append_pair(k, &v);
        }
    }
    let feed_query = feed_query.finish();
    let query = if feed_query.is_empty() {
        String::new()
    } else {
        format!("?{feed_query}")
    };
    let links = crate::feeds::agendas::Origin(state.public_url.clone()).links(&format!(
        "/api/v1/meetings/{meeting_id}/programme.ics{query}"
    ));
    let mut v = crate::db::run(&state.pool, move |c| {
        service::programme(c, &user, meeting_id, &q)
    })
    .await?;
    v.calendar = Some(CalendarLinks {
        https: links.https,
        webcal: links.webcal,
    });
    Ok(HttpResponse::Ok()
        .insert_header(("Cache-Control", "public, max-age=60"))
        .json(v))
}

/// `POST /api/v1/schedules/{version_id}/moves`.
#[tracing::instrument(skip_all)]
pub async fn move_sessions(
    state: web::Data<AppState>,
    Secretariat(user): Secretariat,
    path: web::Path<i64>,
    Json(body): Json<MovesRequest>,
) -> Result<HttpResponse, ApiError> {
    let id = path.into_inner();
    let v = crate::db::run(&state.pool, move |c| {
        service::move_sessions(c, &user, id, &body)
    })
    .await?;
    Ok(HttpResponse::Created().json(v))
}

/// `GET /api/v1/schedules/{version_id}/diff`.
pub async fn diff_versions(
    state: web::Data<AppState>,
    Secretariat(user): Secretariat,
    path: web::Path<i64>,
    Query(q): Query<DiffQuery>,
) -> Result<HttpResponse, ApiError> {
    let id = path.into_inner();
    let v = crate::db::run(&state.pool, move |c| service::diff(c, &user, id, &q)).await?;
    Ok(HttpResponse::Ok().json(v))
}

/// `GET /api/v1/meetings/{meeting_id}/scheduling-rules`: the rules in force.
pub async fn get_rules(
    state: web::Data<AppState>,
    Secretariat(user): Secretariat,
    path: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    let meeting_id = path.into_inner();
    let v = crate::db::run(&state.pool, move |c| rules::get(c, &user, meeting_id)).await?;
    Ok(HttpResponse::Ok().json(v))
}

/// `PATCH /api/v1/meetings/{meeting_id}/scheduling-rules`: changes some rules.
#[tracing::instrument(skip_all)]
pub async fn update_rules(
    state: web::Data<AppState>,
    Secretariat(user): Secretariat,
    path: web::Path<i64>,
    Json(body): Json<rules::RuleSettings>,
) -> Result<HttpResponse, ApiError> {
    let meeting_id = path.into_inner();
    let v = crate::db::run(&state.pool, move |c| {
        rules::update(c, &user, meeting_id, &body)
    })
    .await?;
    Ok(HttpResponse::Ok().json(v))
}

/// `GET /api/v1/meetings/{meeting_id}/logistics`.
pub async fn get_logistics(
    state: web::Data<AppState>,
    Secretariat(user): Secretariat,
    path: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    let meeting_id = path.into_inner();
    let (v, tag) = crate::db::run(&state.pool, move |c| {
        service::get_logistics(c, &user, meeting_id)
    })
    .await?;
    Ok(HttpResponse::Ok().insert_header(("ETag", tag)).json(v))
}

/// `PUT /api/v1/meetings/{meeting_id}/logistics`: replaces them (`If-Match` honoured).
#[tracing::instrument(skip_all)]
pub async fn put_logistics(
    state: web::Data<AppState>,
    Secretariat(user): Secretariat,
    req: actix_web::HttpRequest,
    path: web::Path<i64>,
    Json(body): Json<LogisticsInput>,
) -> Result<HttpResponse, ApiError> {
    let (meeting_id, expected) = (path.into_inner(), crate::etag::if_match(&req));
    let (v, tag) = crate::db::run(&state.pool, move |c| {
        service::put_logistics(c, &user, meeting_id, &body, &expected)
    })
    .await?;
    Ok(HttpResponse::Ok().insert_header(("ETag", tag)).json(v))
}

/// `GET /api/v1/schedules/{version_id}/logistics`: the logistics sheet, as JSON or
/// (`format=csv`, `format=xlsx`) a spreadsheet.
pub async fn logistics_sheet(
    state: web::Data<AppState>,
    Secretariat(user): Secretariat,
    path: web::Path<i64>,
    Query(q): Query<SheetQuery>,
) -> Result<HttpResponse, ApiError> {
    let id = path.into_inner();
    let format = q.format;
    let sheet = crate::db::run(&state.pool, move |c| {
        service::logistics_sheet(c, &user, id, &q)
    })
    .await?;
    let as_file = |f| {
        crate::exports::handlers::download(
            &crate::exports::tables::logistics(&sheet),
            f,
            &format!("logistics-{id}"),
            "private, no-store",
        )
    };
    match format {
        Some(SheetFormat::Csv) => as_file(crate::exports::Format::Csv),
        Some(SheetFormat::Xlsx) => as_file(crate::exports::Format::Xlsx),
        _ => Ok(HttpResponse::Ok().json(sheet)),
    }
}
