//! Selection use cases: optimiser runs on the closed evaluation, the secretariat's
//! decisions, and the transparency report. Each decides who may act, checks the input
//! and writes in one transaction.

use super::types::{
    DecisionView, DecisionsRequest, DecisionsResult, ListDecisionsQuery, Report, RunView,
    SelectionRequest,
};
use super::{decisions, report, runs};
use crate::auth::{AuthUser, Role};
use crate::db::DbConn;
use crate::error::ApiError;
use crate::evaluation::phase::{self, Phase};
use crate::meetings::service::load_visible;
use crate::page::{Page, Paginated};
use crate::scheduling::jobs::{self, JobView, Kind};
use crate::watched::AtOnce;

/// The secretariat runs the optimiser on the closed evaluation; the run and its
/// proposed decisions are stored.
pub fn run(
    conn: &mut DbConn,
    actor: &AuthUser,
    meeting_id: i64,
    body: SelectionRequest,
) -> Result<RunView, ApiError> {
    actor.require(Role::Secretariat)?;
    let m = load_visible(conn, meeting_id, &Some(actor.clone()))?;
    runs::run_selection(conn, actor.id, &m, body, &mut AtOnce)
}

/// The secretariat queues the selection as a job that runs apart from the request
/// and reports its progress; the request is checked now.
pub fn queue(
    conn: &mut DbConn,
    actor: &AuthUser,
    meeting_id: i64,
    body: SelectionRequest,
) -> Result<JobView, ApiError> {
    actor.require(Role::Secretariat)?;
    load_visible(conn, meeting_id, &Some(actor.clone()))?;
    runs::check(conn, meeting_id, &body)?;
    let params = serde_json::to_value(&body).map_err(|e| ApiError::Internal(e.into()))?;
    jobs::enqueue_action(conn, actor.id, meeting_id, Kind::Selection, &params)
}

/// A stored run, for the secretariat.
pub fn get_run(
    conn: &mut DbConn,
    actor: &AuthUser,
    meeting_id: i64,
    run_id: i64,
) -> Result<RunView, ApiError> {
    actor.require(Role::Secretariat)?;
    load_visible(conn, meeting_id, &Some(actor.clone()))?;
    runs::load_run(conn, meeting_id, run_id)
}

/// The secretariat confirms a run's proposed decisions and/or records its own; each
/// is audited.
pub fn record_decisions(
    conn: &mut DbConn,
    actor: &AuthUser,
    meeting_id: i64,
    body: DecisionsRequest,
) -> Result<DecisionsResult, ApiError> {
    actor.require(Role::Secretariat)?;
    let m = load_visible(conn, meeting_id, &Some(actor.clone()))?;
    decisions::record_decisions(conn, actor.id, &m, body)
}

/// The secretariat's decisions, by outcome if asked.
pub fn list_decisions(
    conn: &mut DbConn,
    actor: &AuthUser,
    meeting_id: i64,
    q: &ListDecisionsQuery,
) -> Result<Paginated<DecisionView>, ApiError> {
    actor.require(Role::Secretariat)?;
    let page = Page::new(q.page, q.per_page)?;
    load_visible(conn, meeting_id, &Some(actor.clone()))?;
    let (items, total) =
        decisions::list_decisions(conn, meeting_id, q.outcome, page.per_page, page.offset())?;
    Ok(page.of(items, total))
}

/// The transparency report: public once results are published; the secretariat may
/// preview it before.
pub fn report(
    conn: &mut DbConn,
    viewer: &Option<AuthUser>,
    meeting_id: i64,
) -> Result<Report, ApiError> {
    let secretariat = viewer.as_ref().is_some_and(AuthUser::is_secretariat);
    load_visible(conn, meeting_id, viewer)?;
    let s = phase::load(conn, meeting_id)?;
    if s.phase != Phase::Published && !secretariat {
        return Err(ApiError::NotFound("published evaluation report"));
    }
    report::report(conn, meeting_id)
}
