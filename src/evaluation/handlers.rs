//! HTTP for evaluation: evaluator profiles, conflict declarations, assignment runs,
//! the phase, scores and results; each handler calls its use case in
//! [`super::service`].

use actix_web::{HttpRequest, HttpResponse, web};

use super::types::*;
use super::{committee, phase, scores, service};
use crate::auth::AuthUser;
use crate::auth::extract::{Evaluator, Secretariat};
use crate::error::ApiError;
use crate::extract::{Json, Prefer, Query};
use crate::state::AppState;
use crate::watched::AtOnce;

/// `PUT /api/v1/users/{user_id}/evaluator-profile`.
#[tracing::instrument(skip_all)]
pub async fn put_evaluator_profile(
    state: web::Data<AppState>,
    user: AuthUser,
    path: web::Path<i64>,
    Json(body): Json<ProfileRequest>,
) -> Result<HttpResponse, ApiError> {
    let user_id = path.into_inner();
    let p = crate::db::run(&state.pool, move |c| {
        service::put_profile(c, &user, user_id, &body)
    })
    .await?;
    Ok(HttpResponse::Ok().json(p))
}

/// `GET /api/v1/users/{user_id}/evaluator-profile`.
pub async fn get_evaluator_profile(
    state: web::Data<AppState>,
    user: AuthUser,
    path: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    let user_id = path.into_inner();
    let p = crate::db::run(&state.pool, move |c| {
        service::get_profile(c, &user, user_id)
    })
    .await?;
    Ok(HttpResponse::Ok().json(p))
}

/// `POST /api/v1/proposals/{proposal_id}/conflicts`.
#[tracing::instrument(skip_all)]
pub async fn declare_conflict(
    state: web::Data<AppState>,
    Evaluator(user): Evaluator,
    path: web::Path<i64>,
    Json(body): Json<ConflictRequest>,
) -> Result<HttpResponse, ApiError> {
    let proposal_id = path.into_inner();
    let v = crate::db::run(&state.pool, move |c| {
        service::declare_conflict(c, &user, proposal_id, &body)
    })
    .await?;
    Ok(HttpResponse::Created().json(v))
}

/// `POST /api/v1/meetings/{meeting_id}/evaluation/assignments`: runs the assignment
/// and answers its run; with `Prefer: respond-async`, queues it as a job and answers
/// 202 with the job.
#[tracing::instrument(skip_all)]
pub async fn run_assignment(
    state: web::Data<AppState>,
    Secretariat(user): Secretariat,
    prefer: Prefer,
    path: web::Path<i64>,
    Json(body): Json<AssignRequest>,
) -> Result<HttpResponse, ApiError> {
    let meeting_id = path.into_inner();
    if prefer.respond_async {
        let job = crate::db::run(&state.pool, move |c| {
            service::queue_assignment(c, &user, meeting_id, &body)
        })
        .await?;
        return Ok(crate::scheduling::handlers::accepted(&state, &job));
    }
    let v = crate::db::run(&state.pool, move |c| {
        service::run_assignment(c, &user, meeting_id, &body, &mut AtOnce)
    })
    .await?;
    Ok(HttpResponse::Ok().json(v))
}

/// `GET /api/v1/meetings/{meeting_id}/evaluation/assignments`.
pub async fn list_assignments(
    state: web::Data<AppState>,
    user: AuthUser,
    path: web::Path<i64>,
    Query(q): Query<ListAssignmentsQuery>,
) -> Result<HttpResponse, ApiError> {
    let meeting_id = path.into_inner();
    let body = crate::db::run(&state.pool, move |c| {
        service::list_assignments(c, &user, meeting_id, &q)
    })
    .await?;
    Ok(HttpResponse::Ok().json(body))
}

/// `GET /api/v1/meetings/{meeting_id}/evaluation`.
pub async fn get_evaluation(
    state: web::Data<AppState>,
    user: AuthUser,
    path: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    let meeting_id = path.into_inner();
    let (v, tag) = crate::db::run(&state.pool, move |c| service::get(c, &user, meeting_id)).await?;
    Ok(HttpResponse::Ok().insert_header(("ETag", tag)).json(v))
}

/// `PATCH /api/v1/meetings/{meeting_id}/evaluation`: honours `If-Match`.
#[tracing::instrument(skip_all)]
pub async fn update_evaluation(
    state: web::Data<AppState>,
    req: HttpRequest,
    Secretariat(user): Secretariat,
    path: web::Path<i64>,
    Json(body): Json<phase::Change>,
) -> Result<HttpResponse, ApiError> {
    let (meeting_id, expected) = (path.into_inner(), crate::etag::if_match(&req));
    let (v, tag) = crate::db::run(&state.pool, move |c| {
        service::update(c, &user, meeting_id, body, &expected)
    })
    .await?;
    Ok(HttpResponse::Ok().insert_header(("ETag", tag)).json(v))
}

/// `PUT /api/v1/proposals/{proposal_id}/score`: honours `If-Match`.
#[tracing::instrument(skip_all)]
pub async fn put_score(
    state: web::Data<AppState>,
    req: HttpRequest,
    Evaluator(user): Evaluator,
    path: web::Path<i64>,
    Json(body): Json<scores::ScoreInput>,
) -> Result<HttpResponse, ApiError> {
    let (proposal_id, expected) = (path.into_inner(), crate::etag::if_match(&req));
    let (v, created) = crate::db::run(&state.pool, move |c| {
        service::put_score(c, &user, proposal_id, &body, &expected)
    })
    .await?;
    let mut resp = if created {
        HttpResponse::Created()
    } else {
        HttpResponse::Ok()
    };
    Ok(resp.insert_header(("ETag", scores::etag(&v))).json(v))
}

/// `GET /api/v1/proposals/{proposal_id}/score`: an evaluator's own score.
pub async fn get_score(
    state: web::Data<AppState>,
    Evaluator(user): Evaluator,
    path: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    let proposal_id = path.into_inner();
    let v = crate::db::run(&state.pool, move |c| {
        service::get_score(c, &user, proposal_id)
    })
    .await?;
    Ok(HttpResponse::Ok()
        .insert_header(("ETag", scores::etag(&v)))
        .json(v))
}

/// `GET /api/v1/meetings/{meeting_id}/evaluation/scores`.
pub async fn list_scores(
    state: web::Data<AppState>,
    user: AuthUser,
    path: web::Path<i64>,
    Query(q): Query<ListScoresQuery>,
) -> Result<HttpResponse, ApiError> {
    let meeting_id = path.into_inner();
    let body = crate::db::run(&state.pool, move |c| {
        service::list_scores(c, &user, meeting_id, &q)
    })
    .await?;
    Ok(HttpResponse::Ok().json(body))
}

/// `GET /api/v1/meetings/{meeting_id}/evaluation/results`.
pub async fn get_results(
    state: web::Data<AppState>,
    user: AuthUser,
    path: web::Path<i64>,
    Query(q): Query<ResultsQuery>,
) -> Result<HttpResponse, ApiError> {
    let meeting_id = path.into_inner();
    let body = crate::db::run(&state.pool, move |c| {
        service::results(c, &user, meeting_id, &q)
    })
    .await?;
    Ok(HttpResponse::Ok().json(body))
}

/// `GET /api/v1/meetings/{meeting_id}/evaluators`: the committee.
pub async fn list_committee(
    state: web::Data<AppState>,
    Secretariat(user): Secretariat,
    path: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    let meeting_id = path.into_inner();
    let v = crate::db::run(&state.pool, move |c| committee::list(c, &user, meeting_id)).await?;
    Ok(HttpResponse::Ok().json(v))
}

/// `POST /api/v1/meetings/{meeting_id}/evaluators`: adds members to the committee.
#[tracing::instrument(skip_all)]
pub async fn add_to_committee(
    state: web::Data<AppState>,
    Secretariat(user): Secretariat,
    path: web::Path<i64>,
    Json(body): Json<committee::AddMembers>,
) -> Result<HttpResponse, ApiError> {
    let meeting_id = path.into_inner();
    let v = crate::db::run(&state.pool, move |c| {
        committee::add(c, &user, meeting_id, &body)
    })
    .await?;
    Ok(HttpResponse::Ok().json(v))
}

/// `DELETE /api/v1/meetings/{meeting_id}/evaluators/{user_id}`: removes a member.
#[tracing::instrument(skip_all)]
pub async fn remove_from_committee(
    state: web::Data<AppState>,
    Secretariat(user): Secretariat,
    path: web::Path<(i64, i64)>,
) -> Result<HttpResponse, ApiError> {
    let (meeting_id, user_id) = path.into_inner();
    crate::db::run(&state.pool, move |c| {
        committee::remove(c, &user, meeting_id, user_id)
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}
