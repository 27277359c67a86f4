//! Evaluation use cases: evaluator profiles, conflicts of interest, assignment runs,
//! the phase and its criteria, scores and results. Each decides who may act, checks
//! the input and writes in one transaction.

/// What an assignment run did, as its page and the API show it.
pub use super::queries::RunView as AssignmentRun;

use serde_json::json;

use super::types::*;
use super::{phase, queries, scores};
use crate::auth::{AuthUser, Role};
use crate::db::DbConn;
use crate::error::ApiError;
use crate::meetings::service::load_visible;
use crate::page::{Page, Paginated};
use crate::scheduling::jobs::{self, JobView, Kind};
use crate::validate::Checker;
use crate::watched::Watched;

fn self_or_secretariat(user: &AuthUser, user_id: i64) -> Result<(), ApiError> {
    if user.is_secretariat() || user.id == user_id {
        Ok(())
    } else {
        Err(ApiError::Forbidden(
            "only the secretariat or the evaluator themself may do this".into(),
        ))
    }
}

/// The secretariat (or the evaluator) records what the assignment needs to know.
pub fn put_profile(
    conn: &mut DbConn,
    actor: &AuthUser,
    user_id: i64,
    body: &ProfileRequest,
) -> Result<ProfileResponse, ApiError> {
    self_or_secretariat(actor, user_id)?;
    let mut c = Checker::new();
    if let Some(o) = &body.organisation {
        c.text("organisation", o, 200);
    }
    // Over the cap the list is refused whole; its items are not read.
    let listed = if c.max_items("expertise", body.expertise.len(), 20) {
        body.expertise.len()
    } else {
        0
    };
    for (i, t) in body.expertise.iter().take(listed).enumerate() {
        c.text(&format!("expertise[{i}]"), t, 200);
    }
    c.finish()?;
    let p = queries::upsert_profile(
        conn,
        actor.id,
        user_id,
        body.stakeholder_group.map(|g| g.as_str()),
        body.regional_group.map(|g| g.as_str()),
        body.organisation.as_deref().map(str::trim),
        &body.expertise,
    )?;
    ProfileResponse::try_from(p)
}

/// An evaluator's profile, for the secretariat or the evaluator.
pub fn get_profile(
    conn: &mut DbConn,
    actor: &AuthUser,
    user_id: i64,
) -> Result<ProfileResponse, ApiError> {
    self_or_secretariat(actor, user_id)?;
    let p = queries::profile(conn, user_id)?.ok_or(ApiError::NotFound("evaluator profile"))?;
    ProfileResponse::try_from(p)
}

/// An evaluator declares a conflict of interest; any assignment to the proposal is
/// removed at once.
pub fn declare_conflict(
    conn: &mut DbConn,
    actor: &AuthUser,
    proposal_id: i64,
    body: &ConflictRequest,
) -> Result<queries::ConflictView, ApiError> {
    actor.require(Role::Evaluator)?;
    let mut c = Checker::new();
    c.text("reason", &body.reason, 1000);
    c.finish()?;
    queries::declare_conflict(conn, actor.id, proposal_id, &body.reason)
}

/// The secretariat assigns evaluators to every submitted proposal; a second run keeps
/// what it can.
pub fn run_assignment(
    conn: &mut DbConn,
    actor: &AuthUser,
    meeting_id: i64,
    body: &AssignRequest,
    run: &mut dyn Watched,
) -> Result<queries::RunView, ApiError> {
    actor.require(Role::Secretariat)?;
    let rules = body.rules()?;
    load_visible(conn, meeting_id, &Some(actor.clone()))?;
    queries::run_assignment(conn, actor.id, meeting_id, &rules, run)
}

/// The secretariat queues the assignment as a job that runs apart from the request
/// and reports its progress; the request is checked now, and so is whether the
/// meeting has anything to assign and a committee to assign it to.
pub fn queue_assignment(
    conn: &mut DbConn,
    actor: &AuthUser,
    meeting_id: i64,
    body: &AssignRequest,
) -> Result<JobView, ApiError> {
    actor.require(Role::Secretariat)?;
    let rules = body.rules()?;
    load_visible(conn, meeting_id, &Some(actor.clone()))?;
    queries::assignable(conn, meeting_id)?;
    let params = json!({"per_proposal": rules.per_proposal,
                        "min_stakeholder_groups": rules.min_stakeholder_groups,
                        "min_regional_groups": rules.min_regional_groups});
    jobs::enqueue_action(conn, actor.id, meeting_id, Kind::Assignment, &params)
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

/// The assignments: all of them for the secretariat, an evaluator's own for an
/// evaluator.
pub fn list_assignments(
    conn: &mut DbConn,
    actor: &AuthUser,
    meeting_id: i64,
    q: &ListAssignmentsQuery,
) -> Result<Paginated<queries::AssignmentView>, ApiError> {
    let only = evaluator_filter(actor, q.evaluator_id, "evaluation assignments")?;
    let page = Page::new(q.page, q.per_page)?;
    load_visible(conn, meeting_id, &Some(actor.clone()))?;
    let (items, total) =
        queries::list_assignments(conn, meeting_id, only, page.per_page, page.offset())?;
    Ok(page.of(items, total))
}

/// The evaluation's phase, criteria, review mode and progress, with its ETag; for the
/// secretariat and evaluators.
pub fn get(
    conn: &mut DbConn,
    actor: &AuthUser,
    meeting_id: i64,
) -> Result<(phase::SettingsView, String), ApiError> {
    if actor.role == Role::Proposer {
        return Err(ApiError::Forbidden(
            "proposers see outcomes once the results are published".into(),
        ));
    }
    load_visible(conn, meeting_id, &Some(actor.clone()))?;
    let s = phase::load(conn, meeting_id)?;
    Ok((phase::view(conn, &s)?, phase::etag(&s)))
}

/// The secretariat sets criteria and review mode before scoring, and moves the phase;
/// `expected` is the `If-Match` tag, if sent.
pub fn update(
    conn: &mut DbConn,
    actor: &AuthUser,
    meeting_id: i64,
    body: phase::Change,
    expected: &Option<Vec<String>>,
) -> Result<(phase::SettingsView, String), ApiError> {
    actor.require(Role::Secretariat)?;
    if let Some(criteria) = &body.criteria {
        let mut c = Checker::new();
        phase::check_criteria(&mut c, criteria);
        c.finish()?;
    }
    let m = load_visible(conn, meeting_id, &Some(actor.clone()))?;
    let s = phase::update(conn, actor.id, &m, body, expected)?;
    Ok((phase::view(conn, &s)?, phase::etag(&s)))
}

/// An assigned evaluator records or replaces their scores while scoring is open;
/// answers whether the score is new.
pub fn put_score(
    conn: &mut DbConn,
    actor: &AuthUser,
    proposal_id: i64,
    body: &scores::ScoreInput,
    expected: &Option<Vec<String>>,
) -> Result<(scores::ScoreView, bool), ApiError> {
    actor.require(Role::Evaluator)?;
    scores::put_score(conn, actor.id, proposal_id, body, expected)
}

/// An evaluator's own score of a proposal.
pub fn get_score(
    conn: &mut DbConn,
    actor: &AuthUser,
    proposal_id: i64,
) -> Result<scores::ScoreView, ApiError> {
    actor.require(Role::Evaluator)?;
    scores::own_score(conn, actor.id, proposal_id)
}

/// Every raw score for the secretariat; an evaluator's own for an evaluator.
pub fn list_scores(
    conn: &mut DbConn,
    actor: &AuthUser,
    meeting_id: i64,
    q: &ListScoresQuery,
) -> Result<Paginated<scores::ScoreView>, ApiError> {
    let only = evaluator_filter(actor, q.evaluator_id, "evaluators' scores")?;
    let page = Page::new(q.page, q.per_page)?;
    load_visible(conn, meeting_id, &Some(actor.clone()))?;
    let (items, total) = scores::list_scores(
        conn,
        meeting_id,
        only,
        q.proposal_id,
        page.per_page,
        page.offset(),
    )?;
    Ok(page.of(items, total))
}

/// Per-proposal statistics. The secretariat sees them at any time with evaluator ids
/// and comments; an evaluator sees, once scoring has closed, the anonymous results of
/// the proposals assigned to them; proposers never.
pub fn results(
    conn: &mut DbConn,
    actor: &AuthUser,
    meeting_id: i64,
    q: &ResultsQuery,
) -> Result<ResultsPage, ApiError> {
    if actor.role == Role::Proposer {
        return Err(ApiError::Forbidden(
            "proposers see the transparency report once results are published".into(),
        ));
    }
    let page = Page::new(q.page, q.per_page)?;
    let method = q.sort;
    load_visible(conn, meeting_id, &Some(actor.clone()))?;
    let full = actor.is_secretariat();
    let only = if full {
        None
    } else {
        let s = phase::load(conn, meeting_id)?;
        phase::require(
            &s,
            &[phase::Phase::Closed, phase::Phase::Published],
            "reading evaluation results as an evaluator",
        )?;
        Some(queries::assigned_proposals(conn, meeting_id, actor.id)?)
    };
    let (rows, normalisation) = scores::results(conn, meeting_id, method, full, only.as_deref())?;
    let total = rows.len() as i64;
    let items: Vec<_> = rows
        .into_iter()
        .skip(page.offset() as usize)
        .take(page.per_page as usize)
        .collect();
    Ok(ResultsPage {
        page: page.of(items, total),
        sorted_by: method.unwrap_or(normalisation.default_score),
        normalisation,
    })
}
