//! Session use cases (secretariat): sessions from the selection or made by hand, the
//! list, one session, and its edits. Each decides who may act, checks the input and
//! writes in one transaction.

use super::queries::{self, FromSelection};
use super::types::*;
use crate::auth::{AuthUser, Role};
use crate::db::DbConn;
use crate::error::ApiError;
use crate::meetings::service::load_visible;
use crate::page::{Page, Paginated};

/// A session that does not come from the call.
pub fn create(
    conn: &mut DbConn,
    actor: &AuthUser,
    meeting_id: i64,
    body: &CreateSessionRequest,
) -> Result<SessionView, ApiError> {
    actor.require(Role::Secretariat)?;
    crate::db::write_tx(conn, |c| {
        let m = load_visible(c, meeting_id, &Some(actor.clone()))?;
        let s = queries::create(c, actor.id, &m, body)?;
        queries::view(c, s, true)
    })
}

/// A session for every accepted proposal that has none yet.
pub fn from_selection(
    conn: &mut DbConn,
    actor: &AuthUser,
    meeting_id: i64,
    body: &FromSelectionRequest,
) -> Result<FromSelection, ApiError> {
    actor.require(Role::Secretariat)?;
    crate::db::write_tx(conn, |c| {
        let m = load_visible(c, meeting_id, &Some(actor.clone()))?;
        queries::from_selection(c, actor.id, &m, body)
    })
}

/// A meeting's sessions, by status if asked.
pub fn list(
    conn: &mut DbConn,
    actor: &AuthUser,
    meeting_id: i64,
    q: &ListSessionsQuery,
) -> Result<Paginated<SessionView>, ApiError> {
    actor.require(Role::Secretariat)?;
    let page = Page::new(q.page, q.per_page)?;
    load_visible(conn, meeting_id, &Some(actor.clone()))?;
    let (rows, total) = queries::list(conn, meeting_id, q.status, page.per_page, page.offset())?;
    Ok(page.of(queries::views(conn, rows, true)?, total))
}

/// One session.
pub fn get(conn: &mut DbConn, actor: &AuthUser, id: i64) -> Result<SessionView, ApiError> {
    actor.require(Role::Secretariat)?;
    let s = queries::find(conn, id)?.ok_or(ApiError::NotFound("session"))?;
    queries::view(conn, s, true)
}

/// Edits or cancels a session; `expected` is the `If-Match` tag, if sent.
pub fn update(
    conn: &mut DbConn,
    actor: &AuthUser,
    id: i64,
    body: &UpdateSessionRequest,
    expected: &Option<Vec<String>>,
) -> Result<SessionView, ApiError> {
    actor.require(Role::Secretariat)?;
    crate::db::write_tx(conn, |c| {
        let s = queries::update(c, actor.id, id, body, expected)?;
        queries::view(c, s, true)
    })
}

/// Merges another session into this one (two proposals approved "if merged" become
/// one session with both line-ups); the other is cancelled.
pub fn merge(
    conn: &mut DbConn,
    actor: &AuthUser,
    id: i64,
    body: &super::types::MergeRequest,
) -> Result<SessionView, ApiError> {
    actor.require(Role::Secretariat)?;
    crate::db::write_tx(conn, |c| {
        let s = queries::merge(c, actor.id, id, body)?;
        queries::view(c, s, true)
    })
}
