//! The secretariat's pages of a meeting (under `/desk/meetings/{id}/manage`): a
//! dashboard with the phase, the counts and what needs doing next; the meeting's
//! set-up (rooms, themes, session types and days added, changed and removed; slots
//! added and removed); the proposals
//! with filters and their screening; the committee with each member's progress, the
//! assignment run and members added or removed; the results with normalised scores and
//! polarising flags; a selection run with its quotas, the programme's shares against
//! the targets as charts and each decline's reason, its decisions recorded; and the
//! phase moved on, up to publishing the results; and each long action (solve, repair,
//! assignment, selection) watched as it runs. Each action calls the API's use case.

pub mod board;
pub mod dashboard;
pub mod evaluation;
pub mod jobs;
pub mod proposals;
pub mod results;
pub mod selection;
pub mod setup;

use crate::auth::{AuthUser, Role};
use crate::db::DbConn;
use crate::error::ApiError;
use crate::evaluation::phase::SettingsView;
use crate::evaluation::service as evaluation_service;
use crate::meetings::types::MeetingResponse;
use crate::web::desk::{self};
use crate::web::words::DESK;

/// Where a meeting's secretariat pages start.
pub(crate) fn root(meeting_id: i64) -> String {
    format!("{}/meetings/{meeting_id}/manage", desk::ROOT)
}

/// The meeting and its evaluation settings, as the secretariat sees them.
pub(crate) fn meeting_and_phase(
    c: &mut DbConn,
    actor: &AuthUser,
    meeting_id: i64,
) -> Result<(MeetingResponse, SettingsView, String), ApiError> {
    actor.require(Role::Secretariat)?;
    let m = crate::meetings::service::get(c, &Some(actor.clone()), meeting_id)?;
    let (s, tag) = evaluation_service::get(c, actor, meeting_id)?;
    Ok((m, s, tag))
}

/// The links between the secretariat's pages of a meeting.
pub struct Nav {
    links: Vec<(String, &'static str, bool)>,
}

pub(crate) fn nav(meeting_id: i64, here: &str) -> Nav {
    let r = root(meeting_id);
    let links = [
        ("", DESK.dashboard),
        ("/setup", DESK.setup),
        ("/proposals", DESK.proposals),
        ("/evaluation", DESK.evaluation),
        ("/results", DESK.results),
        ("/selection", DESK.selection),
        ("/board", DESK.board),
    ]
    .into_iter()
    .map(|(p, label)| (format!("{r}{p}"), label, p == here))
    .collect();
    Nav { links }
}
