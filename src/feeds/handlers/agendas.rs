//! HTTP for personal agendas; each handler calls its use case in
//! [`crate::feeds::agendas`].

use actix_web::{HttpRequest, HttpResponse, web};

use crate::client::ClientAddress;
use crate::error::ApiError;
use crate::extract::Json;
use crate::feeds::agendas::{self, AgendaRequest, Origin};
use crate::state::AppState;

/// The service's public origin, for links.
fn origin(state: &AppState) -> Origin {
    Origin(state.public_url.clone())
}

/// `POST /api/v1/meetings/{meeting_id}/agendas`: a new, empty agenda (no account).
pub async fn create(
    state: web::Data<AppState>,
    ClientAddress(address): ClientAddress,
    path: web::Path<i64>,
    Json(body): Json<AgendaRequest>,
) -> Result<HttpResponse, ApiError> {
    let (origin, meeting_id) = (origin(&state), path.into_inner());
    let per_hour = state.settings.agendas_per_address_hour;
    let v = crate::db::run(&state.pool, move |c| {
        agendas::create(c, &origin, &address, per_hour, meeting_id, &body)
    })
    .await?;
    Ok(HttpResponse::Created()
        .insert_header(("Cache-Control", "no-store"))
        .json(v))
}

/// `GET /api/v1/agendas/{token}`.
pub async fn get(
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let (origin, token) = (origin(&state), path.into_inner());
    let v = crate::db::run(&state.pool, move |c| agendas::get(c, &origin, &token)).await?;
    Ok(HttpResponse::Ok()
        .insert_header(("Cache-Control", "private, no-store"))
        .json(v))
}

/// `PUT /api/v1/agendas/{token}/sessions/{session_id}`: adds a session.
pub async fn add_session(
    state: web::Data<AppState>,
    path: web::Path<(String, i64)>,
) -> Result<HttpResponse, ApiError> {
    let (origin, (token, session)) = (origin(&state), path.into_inner());
    let v = crate::db::run(&state.pool, move |c| {
        agendas::add_session(c, &origin, &token, session)
    })
    .await?;
    Ok(HttpResponse::Ok().json(v))
}

/// `DELETE /api/v1/agendas/{token}/sessions/{session_id}`: removes a session.
pub async fn remove_session(
    state: web::Data<AppState>,
    path: web::Path<(String, i64)>,
) -> Result<HttpResponse, ApiError> {
    let (origin, (token, session)) = (origin(&state), path.into_inner());
    let v = crate::db::run(&state.pool, move |c| {
        agendas::remove_session(c, &origin, &token, session)
    })
    .await?;
    Ok(HttpResponse::Ok().json(v))
}

/// `POST /api/v1/agendas/{token}/rotate`: a new token; the old one stops working.
pub async fn rotate(
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let (origin, token) = (origin(&state), path.into_inner());
    let v = crate::db::run(&state.pool, move |c| agendas::rotate(c, &origin, &token)).await?;
    Ok(HttpResponse::Ok()
        .insert_header(("Cache-Control", "no-store"))
        .json(v))
}

/// `DELETE /api/v1/agendas/{token}`: revokes the agenda and its token for good.
pub async fn revoke(
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let token = path.into_inner();
    crate::db::run(&state.pool, move |c| agendas::revoke(c, &token)).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// `GET`/`HEAD /api/v1/agendas/{token}/calendar.ics`: the agenda's sessions from the
/// published programme, as a private calendar.
pub async fn calendar_ics(
    state: web::Data<AppState>,
    req: HttpRequest,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let token = path.into_inner();
    let base = state.public_url.clone();
    let cache = state.feeds.clone();
    let feed = crate::db::run(&state.pool, move |c| {
        agendas::calendar(c, &cache, &base, &token)
    })
    .await?;
    Ok(super::respond(&req, &feed, "private, max-age=300"))
}
