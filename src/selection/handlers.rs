//! Selection endpoints: optimiser runs, the secretariat's decisions, and the public
//! transparency report.

use crate::auth::extract::Secretariat;
use actix_web::{HttpResponse, web};
use serde::Deserialize;

use super::queries::{self, DecisionsRequest, Outcome, SelectionRequest};
use crate::app::AppState;
use crate::auth::{AuthUser, MaybeAuthUser};
use crate::error::ApiError;
use crate::evaluation::phase::{self, Phase};
use crate::extract::{Json, Page, Query};
use crate::meetings::handlers::load_visible;

/// `POST /api/v1/meetings/{meeting_id}/selection`: the secretariat runs the optimiser
/// on the closed evaluation; the run and its proposed decisions are stored.
#[tracing::instrument(skip_all)]
pub async fn run_selection(
    state: web::Data<AppState>,
    Secretariat(user): Secretariat,
    path: web::Path<i64>,
    Json(body): Json<SelectionRequest>,
) -> Result<HttpResponse, ApiError> {
    let (meeting_id, actor, who) = (path.into_inner(), user.id, Some(user));
    let v = crate::db::run(&state.pool, move |c| {
        let m = load_visible(c, meeting_id, &who)?;
        queries::run_selection(c, actor, &m, body)
    })
    .await?;
    Ok(HttpResponse::Created().json(v))
}

/// `GET /api/v1/meetings/{meeting_id}/selection/{run_id}`: a stored run.
pub async fn get_selection(
    state: web::Data<AppState>,
    Secretariat(user): Secretariat,
    path: web::Path<(i64, i64)>,
) -> Result<HttpResponse, ApiError> {
    let ((meeting_id, run_id), who) = (path.into_inner(), Some(user));
    let v = crate::db::run(&state.pool, move |c| {
        load_visible(c, meeting_id, &who)?;
        queries::load_run(c, meeting_id, run_id)
    })
    .await?;
    Ok(HttpResponse::Ok().json(v))
}

/// `POST /api/v1/meetings/{meeting_id}/decisions`: the secretariat confirms a run's
/// proposed decisions and/or records its own; each is audited.
#[tracing::instrument(skip_all)]
pub async fn record_decisions(
    state: web::Data<AppState>,
    Secretariat(user): Secretariat,
    path: web::Path<i64>,
    Json(body): Json<DecisionsRequest>,
) -> Result<HttpResponse, ApiError> {
    let (meeting_id, actor, who) = (path.into_inner(), user.id, Some(user));
    let v = crate::db::run(&state.pool, move |c| {
        let m = load_visible(c, meeting_id, &who)?;
        queries::record_decisions(c, actor, &m, body)
    })
    .await?;
    Ok(HttpResponse::Ok().json(v))
}

/// Query of the decision list.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ListDecisionsQuery {
    /// Only this outcome.
    pub outcome: Option<Outcome>,
    /// Page number.
    pub page: Option<i64>,
    /// Page size.
    pub per_page: Option<i64>,
}

/// `GET /api/v1/meetings/{meeting_id}/decisions`: the secretariat's decisions.
pub async fn list_decisions(
    state: web::Data<AppState>,
    Secretariat(user): Secretariat,
    path: web::Path<i64>,
    Query(q): Query<ListDecisionsQuery>,
) -> Result<HttpResponse, ApiError> {
    let page = Page::new(q.page, q.per_page)?;
    let (meeting_id, who) = (path.into_inner(), Some(user));
    let (items, total) = crate::db::run(&state.pool, move |c| {
        load_visible(c, meeting_id, &who)?;
        queries::list_decisions(c, meeting_id, q.outcome, page.per_page, page.offset())
    })
    .await?;
    Ok(HttpResponse::Ok().json(page.of(items, total)))
}

/// `GET /api/v1/meetings/{meeting_id}/evaluation/report`: the transparency report,
/// public once results are published; the secretariat may preview it before.
pub async fn get_report(
    state: web::Data<AppState>,
    user: MaybeAuthUser,
    path: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    let (meeting_id, who) = (path.into_inner(), user.0);
    let secretariat = who.as_ref().is_some_and(AuthUser::is_secretariat);
    let v = crate::db::run(&state.pool, move |c| {
        load_visible(c, meeting_id, &who)?;
        let s = phase::load(c, meeting_id)?;
        if s.phase != Phase::Published && !secretariat {
            return Err(ApiError::NotFound("published evaluation report"));
        }
        queries::report(c, meeting_id)
    })
    .await?;
    let cache = if v.preview {
        "private, no-store"
    } else {
        "public, max-age=300"
    };
    Ok(HttpResponse::Ok()
        .insert_header(("Cache-Control", cache))
        .json(v))
}
