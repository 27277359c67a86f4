//! HTTP for proposals; each handler calls its use case in [`super::service`].

use actix_web::{HttpRequest, HttpResponse, web};
use serde_json::json;

use super::service;
use super::types::*;
use crate::auth::AuthUser;
use crate::auth::extract::Proposer;
use crate::error::ApiError;
use crate::extract::{Json, Query};
use crate::state::AppState;

fn etagged(status: actix_web::http::StatusCode, v: &ProposalResponse) -> HttpResponse {
    HttpResponse::build(status)
        .insert_header(("ETag", crate::etag::tag("proposal", v.id, v.version)))
        .json(v)
}

/// `POST /api/v1/meetings/{meeting_id}/proposals`: a proposer starts a draft.
#[tracing::instrument(skip_all)]
pub async fn create_proposal(
    state: web::Data<AppState>,
    Proposer(user): Proposer,
    path: web::Path<i64>,
    Json(body): Json<CreateProposalRequest>,
) -> Result<HttpResponse, ApiError> {
    let meeting_id = path.into_inner();
    let v = crate::db::run(&state.pool, move |c| {
        service::create(c, &user, meeting_id, body)
    })
    .await?;
    Ok(HttpResponse::Created()
        .insert_header(("Location", format!("/api/v1/proposals/{}", v.id)))
        .insert_header(("ETag", crate::etag::tag("proposal", v.id, v.version)))
        .json(v))
}

/// `GET /api/v1/meetings/{meeting_id}/proposals`: own proposals (all, for the
/// secretariat), filtered and paginated.
pub async fn list_proposals(
    state: web::Data<AppState>,
    user: AuthUser,
    path: web::Path<i64>,
    Query(q): Query<ListProposalsQuery>,
) -> Result<HttpResponse, ApiError> {
    let meeting_id = path.into_inner();
    let body = crate::db::run(&state.pool, move |c| {
        service::list(c, &user, meeting_id, &q)
    })
    .await?;
    Ok(HttpResponse::Ok().json(body))
}

/// `GET /api/v1/proposals/{proposal_id}`.
pub async fn get_proposal(
    state: web::Data<AppState>,
    user: AuthUser,
    path: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    let id = path.into_inner();
    let v = crate::db::run(&state.pool, move |c| service::get(c, &user, id)).await?;
    Ok(etagged(actix_web::http::StatusCode::OK, &v))
}

/// `PATCH /api/v1/proposals/{proposal_id}`: edits; honours `If-Match`.
#[tracing::instrument(skip_all)]
pub async fn update_proposal(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: AuthUser,
    path: web::Path<i64>,
    Json(body): Json<UpdateProposalRequest>,
) -> Result<HttpResponse, ApiError> {
    let (id, expected) = (path.into_inner(), crate::etag::if_match(&req));
    let v = crate::db::run(&state.pool, move |c| {
        service::update(c, &user, id, body, &expected)
    })
    .await?;
    Ok(etagged(actix_web::http::StatusCode::OK, &v))
}

/// `POST /api/v1/proposals/{proposal_id}/submit`.
#[tracing::instrument(skip_all)]
pub async fn submit_proposal(
    state: web::Data<AppState>,
    user: AuthUser,
    path: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    let id = path.into_inner();
    let v = crate::db::run(&state.pool, move |c| service::submit(c, &user, id)).await?;
    Ok(etagged(actix_web::http::StatusCode::OK, &v))
}

/// `POST /api/v1/proposals/{proposal_id}/withdraw`.
#[tracing::instrument(skip_all)]
pub async fn withdraw_proposal(
    state: web::Data<AppState>,
    user: AuthUser,
    path: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    let id = path.into_inner();
    let v = crate::db::run(&state.pool, move |c| service::withdraw(c, &user, id)).await?;
    Ok(etagged(actix_web::http::StatusCode::OK, &v))
}

/// `GET /api/v1/proposals/{proposal_id}/screening`.
pub async fn get_screening(
    state: web::Data<AppState>,
    user: AuthUser,
    path: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    let id = path.into_inner();
    let errors = crate::db::run(&state.pool, move |c| service::screening(c, &user, id)).await?;
    Ok(HttpResponse::Ok().json(json!({ "passes": errors.is_empty(), "failures": errors })))
}
