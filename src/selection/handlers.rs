//! HTTP for selection: optimiser runs, the secretariat's decisions, and the public
//! transparency report; each handler calls its use case in [`super::service`].

use actix_web::{HttpResponse, web};

use super::service;
use super::types::{DecisionsRequest, ListDecisionsQuery, SelectionRequest};
use crate::auth::extract::{MaybeAuthUser, Secretariat};
use crate::error::ApiError;
use crate::extract::{Json, Prefer, Query};
use crate::state::AppState;

/// `POST /api/v1/meetings/{meeting_id}/selection`: runs the optimiser and answers the
/// run; with `Prefer: respond-async`, queues it as a job and answers 202 with the job.
#[tracing::instrument(skip_all)]
pub async fn run_selection(
    state: web::Data<AppState>,
    Secretariat(user): Secretariat,
    prefer: Prefer,
    path: web::Path<i64>,
    Json(body): Json<SelectionRequest>,
) -> Result<HttpResponse, ApiError> {
    let meeting_id = path.into_inner();
    if prefer.respond_async {
        let job = crate::db::run(&state.pool, move |c| {
            service::queue(c, &user, meeting_id, body)
        })
        .await?;
        return Ok(crate::scheduling::handlers::accepted(&state, &job));
    }
    let v = crate::db::run(&state.pool, move |c| {
        service::run(c, &user, meeting_id, body)
    })
    .await?;
    Ok(HttpResponse::Created().json(v))
}

/// `GET /api/v1/meetings/{meeting_id}/selection/{run_id}`: a stored run.
pub async fn get_selection(
    state: web::Data<AppState>,
    Secretariat(user): Secretariat,
    path: web::Path<(i64, i64)>,
) -> Result<HttpResponse, ApiError> {
    let (meeting_id, run_id) = path.into_inner();
    let v = crate::db::run(&state.pool, move |c| {
        service::get_run(c, &user, meeting_id, run_id)
    })
    .await?;
    Ok(HttpResponse::Ok().json(v))
}

/// `POST /api/v1/meetings/{meeting_id}/decisions`.
#[tracing::instrument(skip_all)]
pub async fn record_decisions(
    state: web::Data<AppState>,
    Secretariat(user): Secretariat,
    path: web::Path<i64>,
    Json(body): Json<DecisionsRequest>,
) -> Result<HttpResponse, ApiError> {
    let meeting_id = path.into_inner();
    let v = crate::db::run(&state.pool, move |c| {
        service::record_decisions(c, &user, meeting_id, body)
    })
    .await?;
    Ok(HttpResponse::Ok().json(v))
}

/// `GET /api/v1/meetings/{meeting_id}/decisions`.
pub async fn list_decisions(
    state: web::Data<AppState>,
    Secretariat(user): Secretariat,
    path: web::Path<i64>,
    Query(q): Query<ListDecisionsQuery>,
) -> Result<HttpResponse, ApiError> {
    let meeting_id = path.into_inner();
    let body = crate::db::run(&state.pool, move |c| {
        service::list_decisions(c, &user, meeting_id, &q)
    })
    .await?;
    Ok(HttpResponse::Ok().json(body))
}

/// `GET /api/v1/meetings/{meeting_id}/evaluation/report`.
pub async fn get_report(
    state: web::Data<AppState>,
    MaybeAuthUser(user): MaybeAuthUser,
    path: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    let meeting_id = path.into_inner();
    let v = crate::db::run(&state.pool, move |c| service::report(c, &user, meeting_id)).await?;
    let cache = if v.preview {
        "private, no-store"
    } else {
        "public, max-age=300"
    };
    Ok(HttpResponse::Ok()
        .insert_header(("Cache-Control", cache))
        .json(v))
}
