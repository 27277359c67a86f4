//! Proposal use cases. Proposers see and change only their own proposals; the
//! secretariat sees all and may correct any proposal at any time; an evaluator sees
//! the proposals assigned to them, without personal data. Each function decides who
//! may act, checks the input and writes in one transaction.

use super::models::Proposal;
use super::queries;
use super::types::*;
use crate::auth::{AuthUser, Role};
use crate::db::DbConn;
use crate::error::{ApiError, FieldError};
use crate::evaluation::phase::{self, Phase};
use crate::meetings::models::Meeting;
use crate::meetings::queries as meetings;
use crate::meetings::service::load_visible;
use crate::page::{Page, Paginated};

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

/// A proposer starts a draft in a meeting whose call is open.
pub fn create(
    conn: &mut DbConn,
    actor: &AuthUser,
    meeting_id: i64,
    body: CreateProposalRequest,
) -> Result<ProposalResponse, ApiError> {
    actor.require(Role::Proposer)?;
    let data = body;
    data.check()?;
    let who = Some(actor.clone());
    crate::db::write_tx(conn, |c| {
        let m = load_visible(c, meeting_id, &who)?;
        queries::check_window(&m, false)?;
        let id = queries::insert(c, actor.id, &m, &data)?;
        let p = queries::find(c, id)?.ok_or(ApiError::NotFound("proposal"))?;
        screened(c, &m, &p)
    })
}

/// A proposer's own proposals in a meeting (every one, for the secretariat), filtered
/// and paginated.
pub fn list(
    conn: &mut DbConn,
    actor: &AuthUser,
    meeting_id: i64,
    q: &ListProposalsQuery,
) -> Result<Paginated<ProposalResponse>, ApiError> {
    let only = match actor.role {
        Role::Secretariat => None,
        Role::Proposer => Some(actor.id),
        Role::Evaluator => {
            return Err(ApiError::Forbidden(
                "evaluators see the proposals assigned to them through evaluation".into(),
            ));
        }
    };
    let page = Page::new(q.page, q.per_page)?;
    let mut c = crate::validate::Checker::new();
    if let Some(text) = &q.q {
        c.max_len("q", text, 200);
    }
    if let Some(code) = &q.session_type {
        c.max_len("session_type", code, 40);
    }
    c.finish()?;
    let who = Some(actor.clone());
    load_visible(conn, meeting_id, &who)?;
    let (rows, total) = queries::list(conn, meeting_id, only, q, page.per_page, page.offset())?;
    let show_outcome =
        actor.is_secretariat() || phase::load(conn, meeting_id)?.phase == Phase::Published;
    let mut items = queries::views(conn, &rows)?;
    if show_outcome {
        let ids: Vec<i64> = rows.iter().map(|p| p.id).collect();
        let mut outcomes = crate::selection::decisions::outcomes_of(conn, &ids)?;
        for v in &mut items {
            v.outcome = outcomes.remove(&v.id);
        }
    }
    Ok(page.of(items, total))
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

/// One proposal: its proposer and the secretariat see it all (the proposer sees the
/// outcome once results are published); an evaluator assigned to it sees it without
/// personal data, and without the proposer's identity under blind review.
pub fn get(conn: &mut DbConn, actor: &AuthUser, id: i64) -> Result<ProposalResponse, ApiError> {
    if actor.role == Role::Evaluator {
        let p = queries::find(conn, id)?.ok_or(ApiError::NotFound("proposal"))?;
        if !crate::evaluation::queries::is_assigned(conn, id, actor.id)? {
            return Err(ApiError::NotFound("proposal"));
        }
        let blind = phase::load(conn, p.meeting_id)?.blind_review;
        return queries::view(conn, &p).map(|v| redact_for_evaluator(v, blind));
    }
    let (p, m) = load_own(conn, id, actor)?;
    let mut v = screened(conn, &m, &p)?;
    let published = phase::load(conn, p.meeting_id)?.phase == Phase::Published;
    if actor.is_secretariat() || published {
        v.outcome = crate::selection::decisions::outcome_of(conn, id)?;
    }
    Ok(v)
}

/// Edits a proposal; `expected` is the `If-Match` tag, if sent. After the deadline
/// only the secretariat may edit.
pub fn update(
    conn: &mut DbConn,
    actor: &AuthUser,
    id: i64,
    body: UpdateProposalRequest,
    expected: &Option<Vec<String>>,
) -> Result<ProposalResponse, ApiError> {
    crate::db::write_tx(conn, |c| {
        let (_, m) = load_own(c, id, actor)?;
        if !actor.is_secretariat() {
            queries::check_window(&m, false)?;
        }
        let enforce = !actor.is_secretariat();
        let p = queries::update(c, actor.id, &m, id, body.clone(), expected, enforce)?;
        let mut v = screened(c, &m, &p)?;
        if actor.is_secretariat() {
            v.outcome = crate::selection::decisions::outcome_of(c, id)?;
        }
        Ok(v)
    })
}

/// A proposal's view with what screening says of its content now (the call window is
/// about submitting, checked when one submits or edits, so it is left out here).
fn screened(c: &mut DbConn, m: &Meeting, p: &Proposal) -> Result<ProposalResponse, ApiError> {
    let mut v = queries::view(c, p)?;
    let mut found = queries::screen_stored(c, m, p)?;
    found.retain(|e| e.rule != "within_window");
    v.screening = Some(found);
    Ok(v)
}

/// The proposer submits; screening must pass, and every failed rule is listed in one
/// 422.
pub fn submit(conn: &mut DbConn, actor: &AuthUser, id: i64) -> Result<ProposalResponse, ApiError> {
    crate::db::write_tx(conn, |c| {
        let (p, m) = load_own(c, id, actor)?;
        if p.proposer_id != actor.id {
            return Err(ApiError::Forbidden(
                "only the proposer submits a proposal".into(),
            ));
        }
        queries::check_window(&m, true)?;
        let p = queries::submit(c, actor.id, &m, id)?;
        screened(c, &m, &p)
    })
}

/// The proposer (or the secretariat) withdraws a proposal.
pub fn withdraw(
    conn: &mut DbConn,
    actor: &AuthUser,
    id: i64,
) -> Result<ProposalResponse, ApiError> {
    crate::db::write_tx(conn, |c| {
        let (_, m) = load_own(c, id, actor)?;
        let p = queries::withdraw(c, actor.id, &m, id)?;
        screened(c, &m, &p)
    })
}

/// What submitting now would report, without submitting.
pub fn screening(
    conn: &mut DbConn,
    actor: &AuthUser,
    id: i64,
) -> Result<Vec<FieldError>, ApiError> {
    let (p, m) = load_own(conn, id, actor)?;
    queries::screen_stored(conn, &m, &p)
}

/// What a proposal's content, as the proposer has it now and not yet saved, would
/// break: malformed values and every screening rule, each under its field (the call
/// window left out, as on a stored proposal). `id` names the stored proposal being
/// edited, or none for a new one of `meeting_id`.
pub fn preview(
    conn: &mut DbConn,
    actor: &AuthUser,
    meeting_id: i64,
    id: Option<i64>,
    data: &ProposalData,
) -> Result<Vec<FieldError>, ApiError> {
    let (m, proposer) = match id {
        Some(id) => {
            let (p, m) = load_own(conn, id, actor)?;
            (m, p.proposer_id)
        }
        None => {
            actor.require(Role::Proposer)?;
            (
                load_visible(conn, meeting_id, &Some(actor.clone()))?,
                actor.id,
            )
        }
    };
    if m.id != meeting_id {
        return Err(ApiError::NotFound("proposal"));
    }
    let mut found = queries::preview(conn, &m, id, proposer, data)?;
    found.retain(|e| e.rule != "within_window");
    Ok(found)
}

/// What the caller may do with proposals of a meeting now, as the use cases above
/// decide it, for pages that offer only what would be accepted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Window {
    /// Start or edit a proposal: until the call closes, or any time for the secretariat.
    pub edit: bool,
    /// Submit one: while the call is open, for its proposer.
    pub submit: bool,
}

/// What the caller may do with proposals of a meeting now (see [`Window`]).
pub fn window(conn: &mut DbConn, actor: &AuthUser, meeting_id: i64) -> Result<Window, ApiError> {
    let m = load_visible(conn, meeting_id, &Some(actor.clone()))?;
    let allows = |submitting: bool| match queries::check_window(&m, submitting) {
        Ok(()) => Ok(true),
        Err(ApiError::Conflict { .. }) => Ok(false),
        Err(e) => Err(e),
    };
    let secretariat = actor.is_secretariat();
    Ok(Window {
        edit: secretariat || allows(false)?,
        submit: actor.role == Role::Proposer && allows(true)?,
    })
}

/// Whether a proposer may start a proposal in a meeting now: the refusal
/// [`create`] would give (the role, the meeting, the call's window) without a body.
pub fn may_start(conn: &mut DbConn, actor: &AuthUser, meeting_id: i64) -> Result<(), ApiError> {
    actor.require(Role::Proposer)?;
    let m = load_visible(conn, meeting_id, &Some(actor.clone()))?;
    queries::check_window(&m, false)
}
