//! HTTP for sessions (secretariat); each handler calls its use case in
//! [`super::service`].

use actix_web::{HttpRequest, HttpResponse, web};

use super::service;
use super::types::*;
use crate::auth::extract::Secretariat;
use crate::error::ApiError;
use crate::extract::{Json, Query};
use crate::state::AppState;

fn etagged(status: actix_web::http::StatusCode, v: &SessionView) -> HttpResponse {
    HttpResponse::build(status)
        .insert_header(("ETag", crate::etag::tag("session", v.id, v.version)))
        .json(v)
}

/// `POST /api/v1/meetings/{meeting_id}/sessions`.
#[tracing::instrument(skip_all)]
pub async fn create_session(
    state: web::Data<AppState>,
    Secretariat(user): Secretariat,
    path: web::Path<i64>,
    Json(body): Json<CreateSessionRequest>,
) -> Result<HttpResponse, ApiError> {
    let meeting_id = path.into_inner();
    let v = crate::db::run(&state.pool, move |c| {
        service::create(c, &user, meeting_id, &body)
    })
    .await?;
    Ok(etagged(actix_web::http::StatusCode::CREATED, &v))
}

/// `POST /api/v1/meetings/{meeting_id}/sessions/from-selection`.
#[tracing::instrument(skip_all)]
pub async fn sessions_from_selection(
    state: web::Data<AppState>,
    Secretariat(user): Secretariat,
    path: web::Path<i64>,
    Json(body): Json<FromSelectionRequest>,
) -> Result<HttpResponse, ApiError> {
    let meeting_id = path.into_inner();
    let v = crate::db::run(&state.pool, move |c| {
        service::from_selection(c, &user, meeting_id, &body)
    })
    .await?;
    Ok(HttpResponse::Ok().json(v))
}

/// `GET /api/v1/meetings/{meeting_id}/sessions`.
pub async fn list_sessions(
    state: web::Data<AppState>,
    Secretariat(user): Secretariat,
    path: web::Path<i64>,
    Query(q): Query<ListSessionsQuery>,
) -> Result<HttpResponse, ApiError> {
    let meeting_id = path.into_inner();
    let body = crate::db::run(&state.pool, move |c| {
        service::list(c, &user, meeting_id, &q)
    })
    .await?;
    Ok(HttpResponse::Ok().json(body))
}

/// `GET /api/v1/sessions/{session_id}`.
pub async fn get_session(
    state: web::Data<AppState>,
    Secretariat(user): Secretariat,
    path: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    let id = path.into_inner();
    let v = crate::db::run(&state.pool, move |c| service::get(c, &user, id)).await?;
    Ok(etagged(actix_web::http::StatusCode::OK, &v))
}

/// `PATCH /api/v1/sessions/{session_id}`: edits or cancels; honours `If-Match`.
#[tracing::instrument(skip_all)]
pub async fn update_session(
    state: web::Data<AppState>,
    req: HttpRequest,
    Secretariat(user): Secretariat,
    path: web::Path<i64>,
    Json(body): Json<UpdateSessionRequest>,
) -> Result<HttpResponse, ApiError> {
    let (id, expected) = (path.into_inner(), crate::etag::if_match(&req));
    let v = crate::db::run(&state.pool, move |c| {
        service::update(c, &user, id, &body, &expected)
    })
    .await?;
    Ok(etagged(actix_web::http::StatusCode::OK, &v))
}

/// `POST /api/v1/sessions/{session_id}/merge`: merges another session into this one.
#[tracing::instrument(skip_all)]
pub async fn merge_sessions(
    state: web::Data<AppState>,
    Secretariat(user): Secretariat,
    path: web::Path<i64>,
    Json(body): Json<super::types::MergeRequest>,
) -> Result<HttpResponse, ApiError> {
    let id = path.into_inner();
    let v = crate::db::run(&state.pool, move |c| service::merge(c, &user, id, &body)).await?;
    Ok(etagged(actix_web::http::StatusCode::OK, &v))
}
