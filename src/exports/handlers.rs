//! HTTP for the exports; each handler calls its use case in [`super::tables`] and
//! writes the table in the format asked for.

use actix_web::{HttpResponse, web};

use super::tables::{self, *};
use super::{Format, Table};
use crate::auth::AuthUser;
use crate::auth::extract::MaybeAuthUser;
use crate::error::ApiError;
use crate::extract::Query;
use crate::state::AppState;

/// Who may keep a copy of an export: only the asker, unless it is public.
const PRIVATE: &str = "private, no-store";

/// The table as a file to save, `{stem}.csv` or `{stem}.xlsx`, with `cache` as its
/// Cache-Control.
pub fn download(
    t: &Table,
    format: Format,
    stem: &str,
    cache: &str,
) -> Result<HttpResponse, ApiError> {
    let d = super::write(t, format, stem)?;
    Ok(HttpResponse::Ok()
        .content_type(d.content_type)
        .insert_header((
            "Content-Disposition",
            format!("attachment; filename=\"{}\"", d.filename),
        ))
        .insert_header(("Cache-Control", cache.to_string()))
        .body(d.body))
}

/// `GET /api/v1/meetings/{meeting_id}/exports/proposals`.
pub async fn proposals(
    state: web::Data<AppState>,
    user: AuthUser,
    path: web::Path<i64>,
    Query(q): Query<ProposalsExport>,
) -> Result<HttpResponse, ApiError> {
    let m = path.into_inner();
    let format = q.format;
    let t = crate::db::run(&state.pool, move |c| tables::proposals(c, &user, m, &q)).await?;
    download(&t, format, &format!("proposals-{m}"), PRIVATE)
}

/// `GET /api/v1/meetings/{meeting_id}/exports/assignments`.
pub async fn assignments(
    state: web::Data<AppState>,
    user: AuthUser,
    path: web::Path<i64>,
    Query(q): Query<AssignmentsExport>,
) -> Result<HttpResponse, ApiError> {
    let m = path.into_inner();
    let format = q.format;
    let t = crate::db::run(&state.pool, move |c| tables::assignments(c, &user, m, &q)).await?;
    download(&t, format, &format!("assignments-{m}"), PRIVATE)
}

/// `GET /api/v1/meetings/{meeting_id}/exports/scores`.
pub async fn scores(
    state: web::Data<AppState>,
    user: AuthUser,
    path: web::Path<i64>,
    Query(q): Query<ScoresExport>,
) -> Result<HttpResponse, ApiError> {
    let m = path.into_inner();
    let format = q.format;
    let t = crate::db::run(&state.pool, move |c| tables::scores(c, &user, m, &q)).await?;
    download(&t, format, &format!("scores-{m}"), PRIVATE)
}

/// `GET /api/v1/meetings/{meeting_id}/exports/results`.
pub async fn results(
    state: web::Data<AppState>,
    user: AuthUser,
    path: web::Path<i64>,
    Query(q): Query<ResultsExport>,
) -> Result<HttpResponse, ApiError> {
    let m = path.into_inner();
    let format = q.format;
    let t = crate::db::run(&state.pool, move |c| tables::results(c, &user, m, &q)).await?;
    download(&t, format, &format!("results-{m}"), PRIVATE)
}

/// `GET /api/v1/meetings/{meeting_id}/exports/decisions`.
pub async fn decisions(
    state: web::Data<AppState>,
    user: AuthUser,
    path: web::Path<i64>,
    Query(q): Query<DecisionsExport>,
) -> Result<HttpResponse, ApiError> {
    let m = path.into_inner();
    let format = q.format;
    let t = crate::db::run(&state.pool, move |c| tables::decisions(c, &user, m, &q)).await?;
    download(&t, format, &format!("decisions-{m}"), PRIVATE)
}

/// `GET /api/v1/meetings/{meeting_id}/exports/programme`.
pub async fn programme(
    state: web::Data<AppState>,
    MaybeAuthUser(user): MaybeAuthUser,
    path: web::Path<i64>,
    Query(q): Query<ProgrammeExport>,
) -> Result<HttpResponse, ApiError> {
    let m = path.into_inner();
    let format = q.format;
    let t = crate::db::run(&state.pool, move |c| tables::programme(c, &user, m, &q)).await?;
    download(&t, format, &format!("programme-{m}"), "public, max-age=60")
}
