//! Session endpoints (secretariat).

use crate::auth::extract::Secretariat;
use actix_web::{HttpRequest, HttpResponse, web};
use serde::Deserialize;

use super::queries;
use super::types::*;
use crate::app::AppState;
use crate::error::ApiError;
use crate::extract::{Json, Page, Query};
use crate::meetings::handlers::load_visible;

fn etagged(status: actix_web::http::StatusCode, v: &SessionView) -> HttpResponse {
    HttpResponse::build(status)
        .insert_header(("ETag", crate::etag::tag("session", v.id, v.version)))
        .json(v)
}

/// `POST /api/v1/meetings/{meeting_id}/sessions`: a session that does not come from
/// the call.
#[tracing::instrument(skip_all)]
pub async fn create_session(
    state: web::Data<AppState>,
    Secretariat(user): Secretariat,
    path: web::Path<i64>,
    Json(body): Json<CreateSessionRequest>,
) -> Result<HttpResponse, ApiError> {
    let (meeting_id, actor, who) = (path.into_inner(), user.id, Some(user));
    let v = crate::db::run(&state.pool, move |c| {
        let m = load_visible(c, meeting_id, &who)?;
        let s = queries::create(c, actor, &m, &body)?;
        queries::view(c, s, true)
    })
    .await?;
    Ok(etagged(actix_web::http::StatusCode::CREATED, &v))
}

/// `POST /api/v1/meetings/{meeting_id}/sessions/from-selection`: a session for every
/// accepted proposal that has none yet.
#[tracing::instrument(skip_all)]
pub async fn sessions_from_selection(
    state: web::Data<AppState>,
    Secretariat(user): Secretariat,
    path: web::Path<i64>,
    Json(body): Json<FromSelectionRequest>,
) -> Result<HttpResponse, ApiError> {
    let (meeting_id, actor, who) = (path.into_inner(), user.id, Some(user));
    let v = crate::db::run(&state.pool, move |c| {
        let m = load_visible(c, meeting_id, &who)?;
        queries::from_selection(c, actor, &m, &body)
    })
    .await?;
    Ok(HttpResponse::Ok().json(v))
}

/// Query of the session list.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ListSessionsQuery {
    /// Only this status.
    pub status: Option<SessionStatus>,
    /// Page number.
    pub page: Option<i64>,
    /// Page size.
    pub per_page: Option<i64>,
}

/// `GET /api/v1/meetings/{meeting_id}/sessions`.
pub async fn list_sessions(
    state: web::Data<AppState>,
    Secretariat(user): Secretariat,
    path: web::Path<i64>,
    Query(q): Query<ListSessionsQuery>,
) -> Result<HttpResponse, ApiError> {
    let page = Page::new(q.page, q.per_page)?;
    let (meeting_id, who) = (path.into_inner(), Some(user));
    let (items, total) = crate::db::run(&state.pool, move |c| {
        load_visible(c, meeting_id, &who)?;
        let (rows, total) = queries::list(c, meeting_id, q.status, page.per_page, page.offset())?;
        Ok((queries::views(c, rows, true)?, total))
    })
    .await?;
    Ok(HttpResponse::Ok().json(page.of(items, total)))
}

/// `GET /api/v1/sessions/{session_id}`.
pub async fn get_session(
    state: web::Data<AppState>,
    _: Secretariat,
    path: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    let id = path.into_inner();
    let v = crate::db::run(&state.pool, move |c| {
        let s = queries::find(c, id)?.ok_or(ApiError::NotFound("session"))?;
        queries::view(c, s, true)
    })
    .await?;
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
    let (id, actor, expected) = (path.into_inner(), user.id, crate::etag::if_match(&req));
    let v = crate::db::run(&state.pool, move |c| {
        let s = queries::update(c, actor, id, &body, &expected)?;
        queries::view(c, s, true)
    })
    .await?;
    Ok(etagged(actix_web::http::StatusCode::OK, &v))
}
