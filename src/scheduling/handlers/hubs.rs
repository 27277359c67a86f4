//! HTTP for remote hubs; each handler calls its use case in
//! [`crate::scheduling::hubs`].

use actix_web::{HttpRequest, HttpResponse, web};
use serde_json::json;

use crate::auth::extract::{MaybeAuthUser, Secretariat};
use crate::error::ApiError;
use crate::extract::Json;
use crate::scheduling::hubs::{self, HubRequest, HubSessionsRequest};
use crate::state::AppState;

/// `POST /api/v1/meetings/{meeting_id}/hubs` (secretariat).
#[tracing::instrument(skip_all)]
pub async fn create(
    state: web::Data<AppState>,
    Secretariat(user): Secretariat,
    path: web::Path<i64>,
    Json(body): Json<HubRequest>,
) -> Result<HttpResponse, ApiError> {
    let meeting_id = path.into_inner();
    let v = crate::db::run(&state.pool, move |c| {
        hubs::create(c, &user, meeting_id, &body)
    })
    .await?;
    Ok(HttpResponse::Created().json(v))
}

/// `GET /api/v1/meetings/{meeting_id}/hubs`: public; the contact only for the
/// secretariat.
pub async fn list(
    state: web::Data<AppState>,
    MaybeAuthUser(user): MaybeAuthUser,
    path: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    let meeting_id = path.into_inner();
    let items = crate::db::run(&state.pool, move |c| hubs::list(c, &user, meeting_id)).await?;
    Ok(HttpResponse::Ok().json(json!({ "items": items })))
}

/// `PUT /api/v1/hubs/{hub_id}/sessions` (secretariat).
#[tracing::instrument(skip_all)]
pub async fn set_sessions(
    state: web::Data<AppState>,
    Secretariat(user): Secretariat,
    path: web::Path<i64>,
    Json(body): Json<HubSessionsRequest>,
) -> Result<HttpResponse, ApiError> {
    let id = path.into_inner();
    let v = crate::db::run(&state.pool, move |c| {
        hubs::set_sessions(c, &user, id, &body)
    })
    .await?;
    Ok(HttpResponse::Ok().json(v))
}

/// `GET /api/v1/hubs/{hub_id}/agenda`: public; the hub's sessions in its own zone.
pub async fn agenda(
    state: web::Data<AppState>,
    MaybeAuthUser(user): MaybeAuthUser,
    path: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    let id = path.into_inner();
    let v = crate::db::run(&state.pool, move |c| hubs::agenda(c, &user, id)).await?;
    Ok(HttpResponse::Ok()
        .insert_header(("Cache-Control", "public, max-age=60"))
        .json(v))
}

/// `GET`/`HEAD /api/v1/hubs/{hub_id}/calendar.ics`: public; the hub's sessions as a
/// calendar feed.
pub async fn calendar(
    state: web::Data<AppState>,
    req: HttpRequest,
    MaybeAuthUser(user): MaybeAuthUser,
    path: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    let id = path.into_inner();
    let (cache, base) = (state.feeds.clone(), state.public_url.clone());
    let feed = crate::db::run(&state.pool, move |c| {
        hubs::calendar(c, &cache, &user, id, &base)
    })
    .await?;
    Ok(crate::feeds::handlers::respond(
        &req,
        &feed,
        "public, max-age=300",
    ))
}
