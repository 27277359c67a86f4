//! HTTP for closed rooms and absent people; each handler calls its use case in
//! [`crate::scheduling::availability`].

use actix_web::{HttpResponse, web};

use crate::auth::extract::Secretariat;
use crate::error::ApiError;
use crate::extract::{Json, Query};
use crate::scheduling::availability::{self, ListQuery, UnavailabilityRequest};
use crate::state::AppState;

/// `POST /api/v1/meetings/{meeting_id}/unavailability` (secretariat).
#[tracing::instrument(skip_all)]
pub async fn add(
    state: web::Data<AppState>,
    Secretariat(user): Secretariat,
    path: web::Path<i64>,
    Json(body): Json<UnavailabilityRequest>,
) -> Result<HttpResponse, ApiError> {
    let meeting_id = path.into_inner();
    let v = crate::db::run(&state.pool, move |c| {
        availability::add(c, &user, meeting_id, &body)
    })
    .await?;
    Ok(HttpResponse::Created().json(v))
}

/// `GET /api/v1/meetings/{meeting_id}/unavailability` (secretariat).
pub async fn list(
    state: web::Data<AppState>,
    Secretariat(user): Secretariat,
    path: web::Path<i64>,
    Query(q): Query<ListQuery>,
) -> Result<HttpResponse, ApiError> {
    let meeting_id = path.into_inner();
    let body = crate::db::run(&state.pool, move |c| {
        availability::list(c, &user, meeting_id, &q)
    })
    .await?;
    Ok(HttpResponse::Ok().json(body))
}

/// `DELETE /api/v1/unavailability/{unavailability_id}` (secretariat).
#[tracing::instrument(skip_all)]
pub async fn remove(
    state: web::Data<AppState>,
    Secretariat(user): Secretariat,
    path: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    let id = path.into_inner();
    crate::db::run(&state.pool, move |c| availability::remove(c, &user, id)).await?;
    Ok(HttpResponse::NoContent().finish())
}
