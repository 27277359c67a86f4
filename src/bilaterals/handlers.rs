//! HTTP for the bilateral rooms; each handler calls its use case in
//! [`crate::bilaterals`].

use actix_web::{HttpRequest, HttpResponse, web};
use serde_json::json;

use super::types::{BookingInput, BookingsQuery, RoomChange, RoomInput, TimesQuery};
use crate::auth::AuthUser;
use crate::auth::extract::Secretariat;
use crate::error::ApiError;
use crate::extract::{Json, Query};
use crate::state::AppState;

/// `GET /api/v1/meetings/{meeting_id}/bilateral-rooms` (signed in).
pub async fn rooms(
    state: web::Data<AppState>,
    user: AuthUser,
    path: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    let id = path.into_inner();
    let items = crate::db::run(&state.pool, move |c| super::list_rooms(c, &user, id)).await?;
    Ok(HttpResponse::Ok().json(json!({ "items": items })))
}

/// `POST /api/v1/meetings/{meeting_id}/bilateral-rooms` (secretariat).
#[tracing::instrument(skip_all)]
pub async fn create_room(
    state: web::Data<AppState>,
    Secretariat(user): Secretariat,
    path: web::Path<i64>,
    Json(body): Json<RoomInput>,
) -> Result<HttpResponse, ApiError> {
    let id = path.into_inner();
    let v = crate::db::run(&state.pool, move |c| {
        super::create_room(c, &user, id, &body)
    })
    .await?;
    Ok(HttpResponse::Created().json(v))
}

/// `PATCH /api/v1/bilateral-rooms/{bilateral_room_id}` (secretariat).
#[tracing::instrument(skip_all)]
pub async fn update_room(
    state: web::Data<AppState>,
    Secretariat(user): Secretariat,
    path: web::Path<i64>,
    Json(body): Json<RoomChange>,
) -> Result<HttpResponse, ApiError> {
    let id = path.into_inner();
    let v = crate::db::run(&state.pool, move |c| {
        super::update_room(c, &user, id, &body)
    })
    .await?;
    Ok(HttpResponse::Ok().json(v))
}

/// `DELETE /api/v1/bilateral-rooms/{bilateral_room_id}` (secretariat).
#[tracing::instrument(skip_all)]
pub async fn delete_room(
    state: web::Data<AppState>,
    Secretariat(user): Secretariat,
    path: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    let id = path.into_inner();
    crate::db::run(&state.pool, move |c| super::delete_room(c, &user, id)).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// `GET /api/v1/meetings/{meeting_id}/bilateral-times?day=` (signed in).
pub async fn times(
    state: web::Data<AppState>,
    user: AuthUser,
    path: web::Path<i64>,
    Query(q): Query<TimesQuery>,
) -> Result<HttpResponse, ApiError> {
    let id = path.into_inner();
    let v = crate::db::run(&state.pool, move |c| super::times(c, &user, id, &q.day)).await?;
    Ok(HttpResponse::Ok()
        .insert_header(("Cache-Control", "no-store"))
        .json(v))
}

/// `GET /api/v1/meetings/{meeting_id}/bilateral-bookings` (signed in: one's own; the
/// secretariat: all).
pub async fn list(
    state: web::Data<AppState>,
    user: AuthUser,
    path: web::Path<i64>,
    Query(q): Query<BookingsQuery>,
) -> Result<HttpResponse, ApiError> {
    let id = path.into_inner();
    let items = crate::db::run(&state.pool, move |c| super::list(c, &user, id, &q)).await?;
    Ok(HttpResponse::Ok().json(json!({ "items": items })))
}

/// `POST /api/v1/meetings/{meeting_id}/bilateral-bookings` (signed in).
#[tracing::instrument(skip_all)]
pub async fn book(
    state: web::Data<AppState>,
    user: AuthUser,
    path: web::Path<i64>,
    Json(body): Json<BookingInput>,
) -> Result<HttpResponse, ApiError> {
    let id = path.into_inner();
    let v = crate::db::run(&state.pool, move |c| super::book(c, &user, id, &body)).await?;
    Ok(HttpResponse::Created()
        .insert_header(("Location", format!("/api/v1/bilateral-bookings/{}", v.id)))
        .json(v))
}

/// `GET /api/v1/bilateral-bookings/{booking_id}` (its owner, the secretariat).
pub async fn get(
    state: web::Data<AppState>,
    user: AuthUser,
    path: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    let id = path.into_inner();
    let v = crate::db::run(&state.pool, move |c| super::get(c, &user, id)).await?;
    Ok(HttpResponse::Ok().json(v))
}

/// `DELETE /api/v1/bilateral-bookings/{booking_id}` (its owner before it begins, the
/// secretariat).
#[tracing::instrument(skip_all)]
pub async fn cancel(
    state: web::Data<AppState>,
    user: AuthUser,
    path: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    let id = path.into_inner();
    crate::db::run(&state.pool, move |c| super::cancel(c, &user, id)).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// `GET /api/v1/bilateral-bookings/{booking_id}/calendar.ics` (its owner, the
/// secretariat).
pub async fn calendar(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: AuthUser,
    path: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    let id = path.into_inner();
    let feed = crate::db::run(&state.pool, move |c| super::calendar(c, &user, id)).await?;
    Ok(crate::feeds::handlers::respond(
        &req,
        &feed,
        "private, no-cache",
    ))
}
