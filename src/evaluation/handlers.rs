//! Evaluation endpoints: evaluator profiles, conflict declarations, assignment runs.

use crate::auth::extract::{Evaluator, Secretariat};
use actix_web::{HttpRequest, HttpResponse, web};
use serde::{Deserialize, Serialize};

use super::{phase, queries, scores};
use crate::app::AppState;
use crate::auth::{AuthUser, Role};
use crate::error::ApiError;
use crate::extract::{Json, Page, Query};
use crate::meetings::handlers::load_visible;
use crate::proposals::types::{RegionalGroup, StakeholderGroup};
use crate::selection::assignment::Rules;
use crate::validate::Checker;

/// Body of `PUT /api/v1/users/{user_id}/evaluator-profile`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProfileRequest {
    /// Stakeholder group.
    pub stakeholder_group: Option<StakeholderGroup>,
    /// Regional group.
    pub regional_group: Option<RegionalGroup>,
    /// Organisation (a shared organisation with a proposal is a conflict of interest).
    pub organisation: Option<String>,
    /// Theme names of expertise.
    #[serde(default)]
    pub expertise: Vec<String>,
}

/// An evaluator profile as the API shows it.
#[derive(Debug, Serialize)]
pub struct ProfileResponse {
    /// The evaluator's account.
    pub user_id: i64,
    /// Stakeholder group.
    pub stakeholder_group: Option<String>,
    /// Regional group.
    pub regional_group: Option<String>,
    /// Organisation.
    pub organisation: Option<String>,
    /// Themes of expertise.
    pub expertise: Vec<String>,
    /// Last change, RFC 3339 UTC.
    pub updated_at: String,
}

impl From<queries::Profile> for ProfileResponse {
    fn from(p: queries::Profile) -> Self {
        ProfileResponse {
            user_id: p.user_id,
            stakeholder_group: p.stakeholder_group,
            regional_group: p.regional_group,
            organisation: p.organisation,
            expertise: serde_json::from_str(&p.expertise).unwrap_or_default(),
            updated_at: crate::time::from_db(p.updated_at)
                .to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        }
    }
}

fn self_or_secretariat(user: &AuthUser, user_id: i64) -> Result<(), ApiError> {
    if user.is_secretariat() || user.id == user_id {
        Ok(())
    } else {
        Err(ApiError::Forbidden(
            "only the secretariat or the evaluator themself may do this".into(),
        ))
    }
}

/// `PUT /api/v1/users/{user_id}/evaluator-profile`: the secretariat (or the evaluator)
/// records what the assignment needs to know.
#[tracing::instrument(skip_all)]
pub async fn put_evaluator_profile(
    state: web::Data<AppState>,
    user: AuthUser,
    path: web::Path<i64>,
    Json(body): Json<ProfileRequest>,
) -> Result<HttpResponse, ApiError> {
    let user_id = path.into_inner();
    self_or_secretariat(&user, user_id)?;
    let mut c = Checker::new();
    if let Some(o) = &body.organisation {
        c.text("organisation", o, 200);
    }
    c.max_items("expertise", body.expertise.len(), 20);
    for (i, t) in body.expertise.iter().enumerate() {
        c.text(&format!("expertise[{i}]"), t, 200);
    }
    c.finish()?;
    let actor = user.id;
    let profile = crate::db::run(&state.pool, move |conn| {
        queries::upsert_profile(
            conn,
            actor,
            user_id,
            body.stakeholder_group.map(|g| g.as_str()),
            body.regional_group.map(|g| g.as_str()),
            body.organisation.as_deref().map(str::trim),
            &body.expertise,
        )
    })
    .await?;
    Ok(HttpResponse::Ok().json(ProfileResponse::from(profile)))
}

/// `GET /api/v1/users/{user_id}/evaluator-profile`.
pub async fn get_evaluator_profile(
    state: web::Data<AppState>,
    user: AuthUser,
    path: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    let user_id = path.into_inner();
    self_or_secretariat(&user, user_id)?;
    let p = crate::db::run(&state.pool, move |c| queries::profile(c, user_id))
        .await?
        .ok_or(ApiError::NotFound("evaluator profile"))?;
    Ok(HttpResponse::Ok().json(ProfileResponse::from(p)))
}

/// Body of `POST /api/v1/proposals/{proposal_id}/conflicts`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConflictRequest {
    /// Why (e.g. "I advised the organisers").
    pub reason: String,
}

/// `POST /api/v1/proposals/{proposal_id}/conflicts`: an evaluator declares a conflict
/// of interest; any assignment to the proposal is removed at once.
#[tracing::instrument(skip_all)]
pub async fn declare_conflict(
    state: web::Data<AppState>,
    Evaluator(user): Evaluator,
    path: web::Path<i64>,
    Json(body): Json<ConflictRequest>,
) -> Result<HttpResponse, ApiError> {
    let mut c = Checker::new();
    c.text("reason", &body.reason, 1000);
    c.finish()?;
    let (proposal_id, evaluator) = (path.into_inner(), user.id);
    let v = crate::db::run(&state.pool, move |c| {
        queries::declare_conflict(c, evaluator, proposal_id, &body.reason)
    })
    .await?;
    Ok(HttpResponse::Created().json(v))
}

/// Body of `POST /api/v1/meetings/{meeting_id}/evaluation/assignments`.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AssignRequest {
    /// Evaluators per proposal (default 5).
    pub per_proposal: Option<u32>,
    /// Distinct stakeholder groups wanted per proposal (default 3).
    pub min_stakeholder_groups: Option<u32>,
    /// Distinct regional groups wanted per proposal (default 3).
    pub min_regional_groups: Option<u32>,
}

/// `POST /api/v1/meetings/{meeting_id}/evaluation/assignments`: the secretariat assigns
/// evaluators to every submitted proposal; a second run keeps what it can.
#[tracing::instrument(skip_all)]
pub async fn run_assignment(
    state: web::Data<AppState>,
    Secretariat(user): Secretariat,
    path: web::Path<i64>,
    Json(body): Json<AssignRequest>,
) -> Result<HttpResponse, ApiError> {
    let mut c = Checker::new();
    let per = body.per_proposal.unwrap_or(5);
    let sg = body.min_stakeholder_groups.unwrap_or(3);
    let rg = body.min_regional_groups.unwrap_or(3);
    c.range("per_proposal", per, 1, 20);
    c.range("min_stakeholder_groups", sg, 0, 5);
    c.range("min_regional_groups", rg, 0, 7);
    c.finish()?;
    let rules = Rules {
        per_proposal: per as usize,
        min_stakeholder_groups: sg as usize,
        min_regional_groups: rg as usize,
    };
    let (meeting_id, actor, who) = (path.into_inner(), user.id, Some(user));
    let v = crate::db::run(&state.pool, move |c| {
        load_visible(c, meeting_id, &who)?;
        queries::run_assignment(c, actor, meeting_id, &rules)
    })
    .await?;
    Ok(HttpResponse::Ok().json(v))
}

/// Whose rows a list shows: any evaluator's (or all) for the secretariat, only the
/// caller's own for an evaluator, none for a proposer.
fn evaluator_filter(
    user: &AuthUser,
    asked: Option<i64>,
    what: &str,
) -> Result<Option<i64>, ApiError> {
    match user.role {
        Role::Secretariat => Ok(asked),
        Role::Evaluator => match asked {
            Some(other) if other != user.id => Err(ApiError::Forbidden(format!(
                "evaluators see only their own {what}"
            ))),
            _ => Ok(Some(user.id)),
        },
        Role::Proposer => Err(ApiError::Forbidden(format!("proposers do not see {what}"))),
    }
}

/// Query of the assignment list.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ListAssignmentsQuery {
    /// Only this evaluator (secretariat only).
    pub evaluator_id: Option<i64>,
    /// Page number.
    pub page: Option<i64>,
    /// Page size.
    pub per_page: Option<i64>,
}

/// `GET /api/v1/meetings/{meeting_id}/evaluation/assignments`: all of them for the
/// secretariat, an evaluator's own for an evaluator.
pub async fn list_assignments(
    state: web::Data<AppState>,
    user: AuthUser,
    path: web::Path<i64>,
    Query(q): Query<ListAssignmentsQuery>,
) -> Result<HttpResponse, ApiError> {
    let only = evaluator_filter(&user, q.evaluator_id, "evaluation assignments")?;
    let page = Page::new(q.page, q.per_page)?;
    let (meeting_id, who) = (path.into_inner(), Some(user));
    let (items, total) = crate::db::run(&state.pool, move |c| {
        load_visible(c, meeting_id, &who)?;
        queries::list_assignments(c, meeting_id, only, page.per_page, page.offset())
    })
    .await?;
    Ok(HttpResponse::Ok().json(page.of(items, total)))
}

/// `GET /api/v1/meetings/{meeting_id}/evaluation`: phase, criteria, review mode and
/// progress; for the secretariat and evaluators.
pub async fn get_evaluation(
    state: web::Data<AppState>,
    user: AuthUser,
    path: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    if user.role == Role::Proposer {
        return Err(ApiError::Forbidden(
            "proposers see outcomes once the results are published".into(),
        ));
    }
    let (meeting_id, who) = (path.into_inner(), Some(user));
    let (v, tag) = crate::db::run(&state.pool, move |c| {
        load_visible(c, meeting_id, &who)?;
        let s = phase::load(c, meeting_id)?;
        Ok((phase::view(c, &s)?, phase::etag(&s)))
    })
    .await?;
    Ok(HttpResponse::Ok().insert_header(("ETag", tag)).json(v))
}

/// `PATCH /api/v1/meetings/{meeting_id}/evaluation`: the secretariat sets criteria and
/// review mode before scoring, and moves the phase; honours `If-Match`.
#[tracing::instrument(skip_all)]
pub async fn update_evaluation(
    state: web::Data<AppState>,
    req: HttpRequest,
    Secretariat(user): Secretariat,
    path: web::Path<i64>,
    Json(body): Json<phase::Change>,
) -> Result<HttpResponse, ApiError> {
    if let Some(criteria) = &body.criteria {
        let mut c = Checker::new();
        phase::check_criteria(&mut c, criteria);
        c.finish()?;
    }
    let (meeting_id, actor, who) = (path.into_inner(), user.id, Some(user));
    let expected = crate::etag::if_match(&req);
    let (v, tag) = crate::db::run(&state.pool, move |c| {
        let m = load_visible(c, meeting_id, &who)?;
        let s = phase::update(c, actor, &m, body, &expected)?;
        Ok((phase::view(c, &s)?, phase::etag(&s)))
    })
    .await?;
    Ok(HttpResponse::Ok().insert_header(("ETag", tag)).json(v))
}

/// `PUT /api/v1/proposals/{proposal_id}/score`: an assigned evaluator records or
/// replaces their scores while scoring is open; honours `If-Match`.
#[tracing::instrument(skip_all)]
pub async fn put_score(
    state: web::Data<AppState>,
    req: HttpRequest,
    Evaluator(user): Evaluator,
    path: web::Path<i64>,
    Json(body): Json<scores::ScoreInput>,
) -> Result<HttpResponse, ApiError> {
    let (proposal_id, evaluator) = (path.into_inner(), user.id);
    let expected = crate::etag::if_match(&req);
    let (v, created) = crate::db::run(&state.pool, move |c| {
        scores::put_score(c, evaluator, proposal_id, &body, &expected)
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
    let (proposal_id, evaluator) = (path.into_inner(), user.id);
    let v = crate::db::run(&state.pool, move |c| {
        scores::own_score(c, evaluator, proposal_id)
    })
    .await?;
    Ok(HttpResponse::Ok()
        .insert_header(("ETag", scores::etag(&v)))
        .json(v))
}

/// Query of the score list.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ListScoresQuery {
    /// Only this evaluator (an evaluator may name only themself).
    pub evaluator_id: Option<i64>,
    /// Only this proposal.
    pub proposal_id: Option<i64>,
    /// Page number.
    pub page: Option<i64>,
    /// Page size.
    pub per_page: Option<i64>,
}

/// `GET /api/v1/meetings/{meeting_id}/evaluation/scores`: every raw score for the
/// secretariat; an evaluator's own for an evaluator.
pub async fn list_scores(
    state: web::Data<AppState>,
    user: AuthUser,
    path: web::Path<i64>,
    Query(q): Query<ListScoresQuery>,
) -> Result<HttpResponse, ApiError> {
    let only = evaluator_filter(&user, q.evaluator_id, "evaluators' scores")?;
    let page = Page::new(q.page, q.per_page)?;
    let (meeting_id, who, proposal) = (path.into_inner(), Some(user), q.proposal_id);
    let (items, total) = crate::db::run(&state.pool, move |c| {
        load_visible(c, meeting_id, &who)?;
        scores::list_scores(c, meeting_id, only, proposal, page.per_page, page.offset())
    })
    .await?;
    Ok(HttpResponse::Ok().json(page.of(items, total)))
}

/// Query of the results.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ResultsQuery {
    /// Order by `normalised` (default) or `mean`.
    pub sort: Option<scores::ScoreMethod>,
    /// Page number.
    pub page: Option<i64>,
    /// Page size.
    pub per_page: Option<i64>,
}

/// `GET /api/v1/meetings/{meeting_id}/evaluation/results`: per-proposal statistics.
/// The secretariat sees them at any time with evaluator ids and comments; an evaluator
/// sees, once scoring has closed, the anonymous results of the proposals assigned to
/// them; proposers never.
pub async fn get_results(
    state: web::Data<AppState>,
    user: AuthUser,
    path: web::Path<i64>,
    Query(q): Query<ResultsQuery>,
) -> Result<HttpResponse, ApiError> {
    if user.role == Role::Proposer {
        return Err(ApiError::Forbidden(
            "proposers see the transparency report once results are published".into(),
        ));
    }
    let page = Page::new(q.page, q.per_page)?;
    let method = q.sort.unwrap_or_default();
    let (meeting_id, who) = (path.into_inner(), Some(user.clone()));
    let (items, total) = crate::db::run(&state.pool, move |c| {
        load_visible(c, meeting_id, &who)?;
        let full = user.is_secretariat();
        let only = if full {
            None
        } else {
            let s = phase::load(c, meeting_id)?;
            phase::require(
                &s,
                &[phase::Phase::Closed, phase::Phase::Published],
                "reading evaluation results as an evaluator",
            )?;
            Some(queries::assigned_proposals(c, meeting_id, user.id)?)
        };
        let rows = scores::results(c, meeting_id, method, full, only.as_deref())?;
        let total = rows.len() as i64;
        let items: Vec<_> = rows
            .into_iter()
            .skip(page.offset() as usize)
            .take(page.per_page as usize)
            .collect();
        Ok((items, total))
    })
    .await?;
    Ok(HttpResponse::Ok().json(page.of(items, total)))
}
