//! HTTP for the session reports; each handler calls its use case in
//! [`crate::reports`].

use actix_web::{HttpRequest, HttpResponse, web};

use super::types::{ListReportsQuery, ReportContent, ReportKind, ReportView, ReviewRequest};
use crate::auth::AuthUser;
use crate::auth::extract::{MaybeAuthUser, Secretariat};
use crate::error::ApiError;
use crate::extract::{Json, Query};
use crate::state::AppState;

/// This instance shows what it just changed at once (others within the cache's
/// freshness): an accepted report is on the public pages.
fn forget(state: &AppState, v: &ReportView) {
    state.feeds.forget(v.meeting_id);
    state.pages.forget(v.meeting_id);
}

fn tagged(v: &ReportView) -> HttpResponse {
    HttpResponse::Ok()
        .insert_header(("ETag", super::etag(v)))
        .json(v)
}

/// The session and the report kind a path names; an unknown kind is no report.
fn target(path: web::Path<(i64, String)>) -> Result<(i64, ReportKind), ApiError> {
    let (id, kind) = path.into_inner();
    Ok((
        id,
        ReportKind::parse(&kind).ok_or(ApiError::NotFound("report"))?,
    ))
}

/// `GET /api/v1/meetings/{meeting_id}/reports` (signed in).
pub async fn list_reports(
    state: web::Data<AppState>,
    user: AuthUser,
    path: web::Path<i64>,
    Query(q): Query<ListReportsQuery>,
) -> Result<HttpResponse, ApiError> {
    let id = path.into_inner();
    let v = crate::db::run(&state.pool, move |c| super::list(c, &user, id, &q)).await?;
    Ok(HttpResponse::Ok().json(v))
}

/// `GET /api/v1/meetings/{meeting_id}/reports/summary` (public).
pub async fn report_summary(
    state: web::Data<AppState>,
    MaybeAuthUser(user): MaybeAuthUser,
    path: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    let id = path.into_inner();
    let v = crate::db::run(&state.pool, move |c| super::summary::summary(c, &user, id)).await?;
    Ok(HttpResponse::Ok().json(v))
}

/// `GET /api/v1/sessions/{session_id}/reports/{kind}`.
pub async fn get_report(
    state: web::Data<AppState>,
    MaybeAuthUser(user): MaybeAuthUser,
    path: web::Path<(i64, String)>,
) -> Result<HttpResponse, ApiError> {
    let (id, kind) = target(path)?;
    let v = crate::db::run(&state.pool, move |c| super::get(c, &user, id, kind)).await?;
    Ok(tagged(&v))
}

/// `PUT /api/v1/sessions/{session_id}/reports/{kind}`: saves a draft; honours `If-Match`.
#[tracing::instrument(skip_all)]
pub async fn save_report(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: AuthUser,
    path: web::Path<(i64, String)>,
    Json(body): Json<ReportContent>,
) -> Result<HttpResponse, ApiError> {
    let (id, kind) = target(path)?;
    let expected = crate::etag::if_match(&req);
    let v = crate::db::run(&state.pool, move |c| {
        super::save(c, &user, id, kind, body, &expected)
    })
    .await?;
    forget(&state, &v);
    Ok(tagged(&v))
}

/// `POST /api/v1/sessions/{session_id}/reports/{kind}/submit`; honours `If-Match`.
#[tracing::instrument(skip_all)]
pub async fn submit_report(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: AuthUser,
    path: web::Path<(i64, String)>,
) -> Result<HttpResponse, ApiError> {
    let (id, kind) = target(path)?;
    let expected = crate::etag::if_match(&req);
    let v = crate::db::run(&state.pool, move |c| {
        super::submit(c, &user, id, kind, &expected)
    })
    .await?;
    Ok(tagged(&v))
}

/// `POST /api/v1/sessions/{session_id}/reports/{kind}/review` (secretariat); honours
/// `If-Match`.
#[tracing::instrument(skip_all)]
pub async fn review_report(
    state: web::Data<AppState>,
    req: HttpRequest,
    Secretariat(user): Secretariat,
    path: web::Path<(i64, String)>,
    Json(body): Json<ReviewRequest>,
) -> Result<HttpResponse, ApiError> {
    let (id, kind) = target(path)?;
    let expected = crate::etag::if_match(&req);
    let v = crate::db::run(&state.pool, move |c| {
        super::review(c, &user, id, kind, &body, &expected)
    })
    .await?;
    forget(&state, &v);
    Ok(tagged(&v))
}
