//! Proposal endpoints. Proposers see and change only their own proposals; the
//! secretariat sees all and may correct any proposal at any time.

use crate::auth::extract::Proposer;
use actix_web::{HttpRequest, HttpResponse, web};
use serde_json::json;

use super::queries::{self, Proposal, ProposalData};
use super::types::*;
use crate::app::AppState;
use crate::auth::{AuthUser, Role};
use crate::db::DbConn;
use crate::error::ApiError;
use crate::extract::{Json, Page, Query};
use crate::meetings::handlers::load_visible;
use crate::meetings::queries::{self as meetings, Meeting};

fn etagged(status: actix_web::http::StatusCode, v: &ProposalResponse) -> HttpResponse {
    HttpResponse::build(status)
        .insert_header(("ETag", crate::etag::tag("proposal", v.id, v.version)))
        .json(v)
}

/// Loads a proposal and its meeting when the caller may see it: its proposer or the
/// secretariat. Anyone else gets a 404, so that ids reveal nothing.
fn load_own(conn: &mut DbConn, id: i64, user: &AuthUser) -> Result<(Proposal, Meeting), ApiError> {
    let p = queries::find(conn, id)?.ok_or(ApiError::NotFound("proposal"))?;
    if !(user.is_secretariat() || p.proposer_id == user.id) {
        return Err(ApiError::NotFound("proposal"));
    }
    let m = meetings::find(conn, p.meeting_id)?.ok_or(ApiError::NotFound("meeting"))?;
    Ok((p, m))
}

/// `POST /api/v1/meetings/{meeting_id}/proposals`: a proposer starts a draft.
#[tracing::instrument(skip_all)]
pub async fn create_proposal(
    state: web::Data<AppState>,
    Proposer(user): Proposer,
    path: web::Path<i64>,
    Json(body): Json<CreateProposalRequest>,
) -> Result<HttpResponse, ApiError> {
    let data = ProposalData::from(body);
    data.check()?;
    let (meeting_id, actor) = (path.into_inner(), user.id);
    let who = Some(user);
    let v = crate::db::run(&state.pool, move |c| {
        let m = load_visible(c, meeting_id, &who)?;
        queries::check_window(&m, false)?;
        let id = queries::insert(c, actor, &m, &data)?;
        let p = queries::find(c, id)?.ok_or(ApiError::NotFound("proposal"))?;
        queries::view(c, &p)
    })
    .await?;
    Ok(HttpResponse::Created()
        .insert_header(("Location", format!("/api/v1/proposals/{}", v.id)))
        .insert_header(("ETag", crate::etag::tag("proposal", v.id, v.version)))
        .json(v))
}

/// `GET /api/v1/meetings/{meeting_id}/proposals`: own proposals (all, for the
/// secretariat), filtered and paginated.
pub async fn list_proposals(
    state: web::Data<AppState>,
    user: AuthUser,
    path: web::Path<i64>,
    Query(q): Query<ListProposalsQuery>,
) -> Result<HttpResponse, ApiError> {
    let only = match user.role {
        Role::Secretariat => None,
        Role::Proposer => Some(user.id),
        Role::Evaluator => {
            return Err(ApiError::Forbidden(
                "evaluators see the proposals assigned to them through evaluation".into(),
            ));
        }
    };
    let page = Page::new(q.page, q.per_page)?;
    if let Some(text) = &q.q {
        let mut c = crate::validate::Checker::new();
        c.max_len("q", text, 200);
        c.finish()?;
    }
    let meeting_id = path.into_inner();
    let who = Some(user);
    let (items, total) = crate::db::run(&state.pool, move |c| {
        load_visible(c, meeting_id, &who)?;
        let (rows, total) = queries::list(c, meeting_id, only, &q, page.per_page, page.offset())?;
        let items = rows
            .iter()
            .map(|p| queries::view(c, p))
            .collect::<Result<Vec<_>, _>>()?;
        Ok((items, total))
    })
    .await?;
    Ok(HttpResponse::Ok().json(page.of(items, total)))
}

/// Withholds personal data (email, gender) from a view shown to an evaluator and,
/// under blind review, who proposes and organises it.
fn redact_for_evaluator(mut v: ProposalResponse, blind: bool) -> ProposalResponse {
    let mut k = 0;
    for p in &mut v.participants {
        p.email = None;
        p.gender = None;
        if blind && p.role == "organiser" {
            k += 1;
            p.name = format!("Organiser {k}");
            p.organisation = None;
        }
    }
    if blind {
        v.proposer_id = None;
    }
    v
}

/// `GET /api/v1/proposals/{proposal_id}`: its proposer and the secretariat see it all
/// (the proposer sees the outcome once results are published); an evaluator assigned
/// to it sees it without personal data, and without the proposer's identity under
/// blind review.
pub async fn get_proposal(
    state: web::Data<AppState>,
    user: AuthUser,
    path: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    let id = path.into_inner();
    let v = crate::db::run(&state.pool, move |c| {
        if user.role == Role::Evaluator {
            let p = queries::find(c, id)?.ok_or(ApiError::NotFound("proposal"))?;
            if !crate::evaluation::queries::is_assigned(c, id, user.id)? {
                return Err(ApiError::NotFound("proposal"));
            }
            let blind = crate::evaluation::phase::load(c, p.meeting_id)?.blind_review;
            return queries::view(c, &p).map(|v| redact_for_evaluator(v, blind));
        }
        let (p, _) = load_own(c, id, &user)?;
        let mut v = queries::view(c, &p)?;
        let published = crate::evaluation::phase::load(c, p.meeting_id)?.phase
            == crate::evaluation::phase::Phase::Published;
        if user.is_secretariat() || published {
            v.outcome = crate::selection::queries::outcome_of(c, id)?;
        }
        Ok(v)
    })
    .await?;
    Ok(etagged(actix_web::http::StatusCode::OK, &v))
}

/// `PATCH /api/v1/proposals/{proposal_id}`: edits; honours `If-Match`. After the
/// deadline only the secretariat may edit.
#[tracing::instrument(skip_all)]
pub async fn update_proposal(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: AuthUser,
    path: web::Path<i64>,
    Json(body): Json<UpdateProposalRequest>,
) -> Result<HttpResponse, ApiError> {
    let (id, expected) = (path.into_inner(), crate::etag::if_match(&req));
    let v = crate::db::run(&state.pool, move |c| {
        let (_, m) = load_own(c, id, &user)?;
        if !user.is_secretariat() {
            queries::check_window(&m, false)?;
        }
        let p = queries::update(c, user.id, &m, id, body, &expected)?;
        queries::view(c, &p)
    })
    .await?;
    Ok(etagged(actix_web::http::StatusCode::OK, &v))
}

/// `POST /api/v1/proposals/{proposal_id}/submit`: screening must pass; every failed
/// rule is listed in one 422.
#[tracing::instrument(skip_all)]
pub async fn submit_proposal(
    state: web::Data<AppState>,
    user: AuthUser,
    path: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    let id = path.into_inner();
    let v = crate::db::run(&state.pool, move |c| {
        let (p, m) = load_own(c, id, &user)?;
        if p.proposer_id != user.id {
            return Err(ApiError::Forbidden(
                "only the proposer submits a proposal".into(),
            ));
        }
        queries::check_window(&m, true)?;
        let p = queries::submit(c, user.id, &m, id)?;
        queries::view(c, &p)
    })
    .await?;
    Ok(etagged(actix_web::http::StatusCode::OK, &v))
}

/// `POST /api/v1/proposals/{proposal_id}/withdraw`.
#[tracing::instrument(skip_all)]
pub async fn withdraw_proposal(
    state: web::Data<AppState>,
    user: AuthUser,
    path: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    let id = path.into_inner();
    let v = crate::db::run(&state.pool, move |c| {
        let (_, m) = load_own(c, id, &user)?;
        let p = queries::withdraw(c, user.id, &m, id)?;
        queries::view(c, &p)
    })
    .await?;
    Ok(etagged(actix_web::http::StatusCode::OK, &v))
}

/// `GET /api/v1/proposals/{proposal_id}/screening`: what submitting now would report,
/// without submitting.
pub async fn get_screening(
    state: web::Data<AppState>,
    user: AuthUser,
    path: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    let id = path.into_inner();
    let errors = crate::db::run(&state.pool, move |c| {
        let (p, m) = load_own(c, id, &user)?;
        queries::screen_stored(c, &m, &p)
    })
    .await?;
    Ok(HttpResponse::Ok().json(json!({ "passes": errors.is_empty(), "failures": errors })))
}
