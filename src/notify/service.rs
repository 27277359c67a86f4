//! The secretariat's view of a meeting's messages.

use serde::Deserialize;

use super::outbox::{self, MessageView, state};
use crate::auth::{AuthUser, Role};
use crate::db::DbConn;
use crate::error::ApiError;
use crate::meetings::service::load_visible;
use crate::page::{Page, Paginated};
use crate::validate::Checker;

/// Query of `GET /api/v1/meetings/{meeting_id}/messages`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MessagesQuery {
    /// Only messages in this state.
    pub state: Option<String>,
    /// Only messages of this kind.
    pub kind: Option<String>,
    /// Page number.
    pub page: Option<i64>,
    /// Page size.
    pub per_page: Option<i64>,
}

/// The kinds of message there are: emails, then webhook events.
pub const KINDS: [&str; 13] = [
    "submitted",
    "outcome",
    "schedule",
    "assignments",
    "report_due",
    "confirm_email",
    "account_exists",
    "password_reset",
    "proposal.submitted",
    "results.published",
    "schedule.published",
    "session.changed",
    "session.cancelled",
];

/// A page of a meeting's messages, newest first, with each one's state.
pub fn list(
    conn: &mut DbConn,
    actor: &AuthUser,
    meeting_id: i64,
    q: &MessagesQuery,
) -> Result<Paginated<MessageView>, ApiError> {
    actor.require(Role::Secretariat)?;
    load_visible(conn, meeting_id, &Some(actor.clone()))?;
    page_of(conn, Some(meeting_id), q)
}

/// A page of the accounts' own messages (an address's confirmation, a word to a taken
/// address's holder, a reset link), which belong to no meeting, newest first, with
/// each one's state and never its link.
pub fn list_for_accounts(
    conn: &mut DbConn,
    actor: &AuthUser,
    q: &MessagesQuery,
) -> Result<Paginated<MessageView>, ApiError> {
    actor.require(Role::Secretariat)?;
    page_of(conn, None, q)
}

fn page_of(
    conn: &mut DbConn,
    meeting_id: Option<i64>,
    q: &MessagesQuery,
) -> Result<Paginated<MessageView>, ApiError> {
    let mut c = Checker::new();
    for (field, value, allowed) in [
        ("state", &q.state, &state::ALL[..]),
        ("kind", &q.kind, &KINDS[..]),
    ] {
        if let Some(v) = value
            && !allowed.contains(&v.as_str())
        {
            c.add(
                field,
                "one_of",
                format!("{field} must be one of {}", allowed.join(", ")),
            );
        }
    }
    c.finish()?;
    let page = Page::new(q.page, q.per_page)?;
    let (items, total) = outbox::list(
        conn,
        meeting_id,
        q.state.as_deref(),
        q.kind.as_deref(),
        page,
    )?;
    Ok(page.of(items, total))
}
