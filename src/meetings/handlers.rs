//! HTTP for meetings: the secretariat sets a meeting up; anyone reads published ones.
//! Each handler calls its use case in [`super::service`] or, for the rooms, themes,
//! session types and slots, [`super::shape`].

use actix_web::{HttpRequest, HttpResponse, web};

use super::types::*;
use super::{days, service, shape};
use crate::auth::extract::{MaybeAuthUser, Secretariat};
use crate::error::ApiError;
use crate::extract::{Json, Query};
use crate::state::AppState;
use serde_json::json;

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
    state.pages.forget(id);
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

/// `GET /api/v1/meetings/{meeting_id}/rooms`.
pub async fn list_rooms(
    state: web::Data<AppState>,
    Secretariat(user): Secretariat,
    path: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    let id = path.into_inner();
    let v = crate::db::run(&state.pool, move |c| shape::list_rooms(c, &user, id)).await?;
    Ok(HttpResponse::Ok().json(json!({ "items": v })))
}

/// `POST /api/v1/meetings/{meeting_id}/rooms`.
#[tracing::instrument(skip_all)]
pub async fn add_room(
    state: web::Data<AppState>,
    Secretariat(user): Secretariat,
    path: web::Path<i64>,
    Json(body): Json<RoomInput>,
) -> Result<HttpResponse, ApiError> {
    let id = path.into_inner();
    let v = crate::db::run(&state.pool, move |c| shape::add_room(c, &user, id, &body)).await?;
    Ok(HttpResponse::Created().json(v))
}

/// `PATCH /api/v1/rooms/{room_id}`.
#[tracing::instrument(skip_all)]
pub async fn update_room(
    state: web::Data<AppState>,
    Secretariat(user): Secretariat,
    path: web::Path<i64>,
    Json(body): Json<shape::RoomChange>,
) -> Result<HttpResponse, ApiError> {
    let id = path.into_inner();
    let v = crate::db::run(&state.pool, move |c| {
        shape::update_room(c, &user, id, &body)
    })
    .await?;
    Ok(HttpResponse::Ok().json(v))
}

/// `DELETE /api/v1/rooms/{room_id}`.
#[tracing::instrument(skip_all)]
pub async fn remove_room(
    state: web::Data<AppState>,
    Secretariat(user): Secretariat,
    path: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    let id = path.into_inner();
    crate::db::run(&state.pool, move |c| shape::remove_room(c, &user, id)).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// `GET /api/v1/meetings/{meeting_id}/themes`.
pub async fn list_themes(
    state: web::Data<AppState>,
    Secretariat(user): Secretariat,
    path: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    let id = path.into_inner();
    let v = crate::db::run(&state.pool, move |c| shape::list_themes(c, &user, id)).await?;
    Ok(HttpResponse::Ok().json(json!({ "items": v })))
}

/// `POST /api/v1/meetings/{meeting_id}/themes`.
#[tracing::instrument(skip_all)]
pub async fn add_theme(
    state: web::Data<AppState>,
    Secretariat(user): Secretariat,
    path: web::Path<i64>,
    Json(body): Json<ThemeInput>,
) -> Result<HttpResponse, ApiError> {
    let id = path.into_inner();
    let v = crate::db::run(&state.pool, move |c| shape::add_theme(c, &user, id, &body)).await?;
    Ok(HttpResponse::Created().json(v))
}

/// `PATCH /api/v1/themes/{theme_id}`.
#[tracing::instrument(skip_all)]
pub async fn update_theme(
    state: web::Data<AppState>,
    Secretariat(user): Secretariat,
    path: web::Path<i64>,
    Json(body): Json<shape::ThemeChange>,
) -> Result<HttpResponse, ApiError> {
    let id = path.into_inner();
    let v = crate::db::run(&state.pool, move |c| {
        shape::update_theme(c, &user, id, &body)
    })
    .await?;
    Ok(HttpResponse::Ok().json(v))
}

/// `DELETE /api/v1/themes/{theme_id}`.
#[tracing::instrument(skip_all)]
pub async fn remove_theme(
    state: web::Data<AppState>,
    Secretariat(user): Secretariat,
    path: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    let id = path.into_inner();
    crate::db::run(&state.pool, move |c| shape::remove_theme(c, &user, id)).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// `GET /api/v1/meetings/{meeting_id}/session-types`.
pub async fn list_types(
    state: web::Data<AppState>,
    Secretariat(user): Secretariat,
    path: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    let id = path.into_inner();
    let v = crate::db::run(&state.pool, move |c| shape::list_types(c, &user, id)).await?;
    Ok(HttpResponse::Ok().json(json!({ "items": v })))
}

/// `POST /api/v1/meetings/{meeting_id}/session-types`.
#[tracing::instrument(skip_all)]
pub async fn add_type(
    state: web::Data<AppState>,
    Secretariat(user): Secretariat,
    path: web::Path<i64>,
    Json(body): Json<SessionTypeInput>,
) -> Result<HttpResponse, ApiError> {
    let id = path.into_inner();
    let v = crate::db::run(&state.pool, move |c| shape::add_type(c, &user, id, &body)).await?;
    Ok(HttpResponse::Created().json(v))
}

/// `PATCH /api/v1/session-types/{type_id}`.
#[tracing::instrument(skip_all)]
pub async fn update_type(
    state: web::Data<AppState>,
    Secretariat(user): Secretariat,
    path: web::Path<i64>,
    Json(body): Json<shape::SessionTypeChange>,
) -> Result<HttpResponse, ApiError> {
    let id = path.into_inner();
    let v = crate::db::run(&state.pool, move |c| {
        shape::update_type(c, &user, id, &body)
    })
    .await?;
    Ok(HttpResponse::Ok().json(v))
}

/// `DELETE /api/v1/session-types/{type_id}`.
#[tracing::instrument(skip_all)]
pub async fn remove_type(
    state: web::Data<AppState>,
    Secretariat(user): Secretariat,
    path: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    let id = path.into_inner();
    crate::db::run(&state.pool, move |c| shape::remove_type(c, &user, id)).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// `POST /api/v1/meetings/{meeting_id}/slots`.
#[tracing::instrument(skip_all)]
pub async fn add_slot(
    state: web::Data<AppState>,
    Secretariat(user): Secretariat,
    path: web::Path<i64>,
    Json(body): Json<shape::SlotNew>,
) -> Result<HttpResponse, ApiError> {
    let id = path.into_inner();
    let v = crate::db::run(&state.pool, move |c| shape::add_slot(c, &user, id, &body)).await?;
    Ok(HttpResponse::Created().json(v))
}

/// `PATCH /api/v1/slots/{slot_id}`.
#[tracing::instrument(skip_all)]
pub async fn update_slot(
    state: web::Data<AppState>,
    Secretariat(user): Secretariat,
    path: web::Path<i64>,
    Json(body): Json<shape::SlotChange>,
) -> Result<HttpResponse, ApiError> {
    let id = path.into_inner();
    let v = crate::db::run(&state.pool, move |c| {
        shape::update_slot(c, &user, id, &body)
    })
    .await?;
    Ok(HttpResponse::Ok().json(v))
}

/// `DELETE /api/v1/slots/{slot_id}`.
#[tracing::instrument(skip_all)]
pub async fn remove_slot(
    state: web::Data<AppState>,
    Secretariat(user): Secretariat,
    path: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    let id = path.into_inner();
    crate::db::run(&state.pool, move |c| shape::remove_slot(c, &user, id)).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// `GET /api/v1/meetings/{meeting_id}/days`.
#[tracing::instrument(skip_all)]
pub async fn list_days(
    state: web::Data<AppState>,
    MaybeAuthUser(user): MaybeAuthUser,
    path: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    let id = path.into_inner();
    let days = crate::db::run(&state.pool, move |c| days::list(c, &user, id)).await?;
    Ok(HttpResponse::Ok().json(serde_json::json!({ "items": days })))
}

/// `POST /api/v1/meetings/{meeting_id}/days`.
#[tracing::instrument(skip_all)]
pub async fn add_day(
    state: web::Data<AppState>,
    Secretariat(user): Secretariat,
    path: web::Path<i64>,
    Json(body): Json<days::DayNew>,
) -> Result<HttpResponse, ApiError> {
    let id = path.into_inner();
    let v = crate::db::run(&state.pool, move |c| days::add(c, &user, id, &body)).await?;
    Ok(HttpResponse::Created().json(v))
}

/// `PATCH /api/v1/meetings/{meeting_id}/days/{day_number}`.
#[tracing::instrument(skip_all)]
pub async fn update_day(
    state: web::Data<AppState>,
    Secretariat(user): Secretariat,
    path: web::Path<(i64, i32)>,
    Json(body): Json<days::DayChange>,
) -> Result<HttpResponse, ApiError> {
    let (id, number) = path.into_inner();
    let v = crate::db::run(&state.pool, move |c| {
        days::update(c, &user, id, number, &body)
    })
    .await?;
    Ok(HttpResponse::Ok().json(v))
}

/// `DELETE /api/v1/meetings/{meeting_id}/days/{day_number}`.
#[tracing::instrument(skip_all)]
pub async fn remove_day(
    state: web::Data<AppState>,
    Secretariat(user): Secretariat,
    path: web::Path<(i64, i32)>,
) -> Result<HttpResponse, ApiError> {
    let (id, number) = path.into_inner();
    crate::db::run(&state.pool, move |c| days::remove(c, &user, id, number)).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// `DELETE /api/v1/meetings/{meeting_id}`: deletes (204) or archives (200) a meeting.
#[tracing::instrument(skip_all)]
pub async fn remove_meeting(
    state: web::Data<AppState>,
    Secretariat(user): Secretariat,
    path: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    let id = path.into_inner();
    let kept = crate::db::run(&state.pool, move |c| service::remove(c, &user, id)).await?;
    Ok(match kept {
        None => HttpResponse::NoContent().finish(),
        Some(m) => with_etag(HttpResponse::Ok(), &m),
    })
}
