//! HTTP for meetings: the secretariat sets a meeting up; anyone reads published ones.
//! Each handler calls its use case in [`super::service`].

use actix_web::{HttpRequest, HttpResponse, web};

use super::service;
use super::types::*;
use crate::auth::extract::{MaybeAuthUser, Secretariat};
use crate::error::ApiError;
use crate::extract::{Json, Query};
use crate::state::AppState;

fn with_etag(mut resp: actix_web::HttpResponseBuilder, m: &MeetingResponse) -> HttpResponse {
    resp.insert_header(("ETag", crate::etag::tag("meeting", m.id, m.version)))
        .json(m)
}

/// `POST /api/v1/meetings`.
#[tracing::instrument(skip_all)]
pub async fn create_meeting(
    state: web::Data<AppState>,
    Secretariat(user): Secretariat,
    Json(body): Json<CreateMeetingRequest>,
) -> Result<HttpResponse, ApiError> {
    let view = crate::db::run(&state.pool, move |c| service::create(c, &user, &body)).await?;
    let mut resp = HttpResponse::Created();
    resp.insert_header(("Location", format!("/api/v1/meetings/{}", view.id)));
    Ok(with_etag(resp, &view))
}

/// `GET /api/v1/meetings`: published meetings (all, for the secretariat).
pub async fn list_meetings(
    state: web::Data<AppState>,
    MaybeAuthUser(user): MaybeAuthUser,
    Query(q): Query<ListMeetingsQuery>,
) -> Result<HttpResponse, ApiError> {
    let body = crate::db::run(&state.pool, move |c| service::list(c, &user, &q)).await?;
    Ok(HttpResponse::Ok().json(body))
}

/// `GET /api/v1/meetings/{meeting_id}`.
pub async fn get_meeting(
    state: web::Data<AppState>,
    MaybeAuthUser(user): MaybeAuthUser,
    path: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    let id = path.into_inner();
    let view = crate::db::run(&state.pool, move |c| service::get(c, &user, id)).await?;
    Ok(with_etag(HttpResponse::Ok(), &view))
}

/// `PATCH /api/v1/meetings/{meeting_id}`: honours `If-Match`.
#[tracing::instrument(skip_all)]
pub async fn update_meeting(
    state: web::Data<AppState>,
    req: HttpRequest,
    Secretariat(user): Secretariat,
    path: web::Path<i64>,
    Json(body): Json<UpdateMeetingRequest>,
) -> Result<HttpResponse, ApiError> {
    let (id, expected) = (path.into_inner(), crate::etag::if_match(&req));
    let view = crate::db::run(&state.pool, move |c| {
        service::update(c, &user, id, &body, &expected)
    })
    .await?;
    state.feeds.forget(id);
    Ok(with_etag(HttpResponse::Ok(), &view))
}

/// `GET /api/v1/meetings/{meeting_id}/slots`.
pub async fn list_slots(
    state: web::Data<AppState>,
    MaybeAuthUser(user): MaybeAuthUser,
    path: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    let id = path.into_inner();
    let slots = crate::db::run(&state.pool, move |c| service::slots(c, &user, id)).await?;
    Ok(HttpResponse::Ok().json(serde_json::json!({ "items": slots })))
}
