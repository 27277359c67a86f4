//! Scheduling use cases for the secretariat (solve and repair jobs, versions, manual
//! moves, diffs, publishing) and the public programme. Each decides who may act,
//! checks the input and writes in one transaction.

use chrono_tz::Tz;

use super::edits::{self, Diff, EditResult, MovesRequest};
use super::jobs::{self, JobRequest, JobView};
use super::logistics::{self, LogisticsInput, LogisticsView};
use super::sheet::{self, Sheet, SheetQuery};
use super::types::{DiffQuery, ListJobsQuery, ListVersionsQuery};
use super::versions::{self, Programme, ProgrammeQuery, VersionView};
use crate::auth::{AuthUser, Role};
use crate::db::DbConn;
use crate::error::ApiError;
use crate::meetings::models::Meeting;
use crate::meetings::service::load_visible;
use crate::page::{Page, Paginated};

/// The meeting a schedule version belongs to.
fn meeting_of_version(c: &mut DbConn, version: i64) -> Result<Meeting, ApiError> {
    let m = versions::meeting_of(c, version)?;
    crate::meetings::queries::find(c, m)?.ok_or(ApiError::NotFound("meeting"))
}

/// Queues a solve or repair job for a worker to run.
pub fn start_job(
    conn: &mut DbConn,
    actor: &AuthUser,
    meeting_id: i64,
    body: &JobRequest,
) -> Result<JobView, ApiError> {
    actor.require(Role::Secretariat)?;
    load_visible(conn, meeting_id, &Some(actor.clone()))?;
    jobs::enqueue(conn, actor.id, meeting_id, body)
}

/// A job's status, progress and best score so far.
pub fn get_job(conn: &mut DbConn, actor: &AuthUser, id: i64) -> Result<JobView, ApiError> {
    actor.require(Role::Secretariat)?;
    jobs::get(conn, id)
}

/// A meeting's solve and repair jobs, newest first.
pub fn list_jobs(
    conn: &mut DbConn,
    actor: &AuthUser,
    meeting_id: i64,
    q: &ListJobsQuery,
) -> Result<Paginated<JobView>, ApiError> {
    actor.require(Role::Secretariat)?;
    let page = Page::new(q.page, q.per_page)?;
    load_visible(conn, meeting_id, &Some(actor.clone()))?;
    let (items, total) = jobs::list(conn, meeting_id, q.status, page.per_page, page.offset())?;
    Ok(page.of(items, total))
}

/// Asks a job to stop.
pub fn cancel_job(conn: &mut DbConn, actor: &AuthUser, id: i64) -> Result<JobView, ApiError> {
    actor.require(Role::Secretariat)?;
    jobs::cancel(conn, actor.id, id)
}

/// A meeting's schedule versions, newest first.
pub fn list_versions(
    conn: &mut DbConn,
    actor: &AuthUser,
    meeting_id: i64,
    q: &ListVersionsQuery,
) -> Result<Paginated<VersionView>, ApiError> {
    actor.require(Role::Secretariat)?;
    let page = Page::new(q.page, q.per_page)?;
    let m = load_visible(conn, meeting_id, &Some(actor.clone()))?;
    let (items, total) =
        versions::list(conn, meeting_id, m.venue()?, page.per_page, page.offset())?;
    Ok(page.of(items, total))
}

/// A version with every placement and the explanation of every penalty.
pub fn get_version(conn: &mut DbConn, actor: &AuthUser, id: i64) -> Result<VersionView, ApiError> {
    actor.require(Role::Secretariat)?;
    let meeting = meeting_of_version(conn, id)?;
    versions::view(conn, id, meeting.venue()?, true)
}

/// Makes a version the published schedule; answers it and its meeting's id.
pub fn publish(
    conn: &mut DbConn,
    actor: &AuthUser,
    id: i64,
) -> Result<(VersionView, i64), ApiError> {
    actor.require(Role::Secretariat)?;
    versions::publish(conn, actor.id, id)?;
    let meeting = meeting_of_version(conn, id)?;
    Ok((
        versions::view(conn, id, meeting.venue()?, false)?,
        meeting.id,
    ))
}

/// The published schedule, public and without personal data; times also in the
/// viewer's zone when `q.tz` names one.
pub fn programme(
    conn: &mut DbConn,
    viewer: &Option<AuthUser>,
    meeting_id: i64,
    q: &ProgrammeQuery,
) -> Result<Programme, ApiError> {
    crate::feeds::calendar::check_person(q.person.as_deref())?;
    let zone: Option<Tz> = match &q.tz {
        None => None,
        Some(z) => Some(z.parse().map_err(|_| {
            ApiError::field("tz", "timezone", format!("{z:?} is not an IANA time zone"))
        })?),
    };
    let m = load_visible(conn, meeting_id, viewer)?;
    versions::programme(conn, meeting_id, m.venue()?, q, zone)
}

/// Moves sessions by hand: a hard rule broken refuses with the reasons, otherwise a
/// new draft version shows the cost.
pub fn move_sessions(
    conn: &mut DbConn,
    actor: &AuthUser,
    version_id: i64,
    body: &MovesRequest,
) -> Result<EditResult, ApiError> {
    actor.require(Role::Secretariat)?;
    let meeting = meeting_of_version(conn, version_id)?;
    edits::apply_moves(conn, actor.id, &meeting, version_id, body)
}

/// What moved, was added or removed between a version and another (by default the
/// published one).
pub fn diff(
    conn: &mut DbConn,
    actor: &AuthUser,
    version_id: i64,
    q: &DiffQuery,
) -> Result<Diff, ApiError> {
    actor.require(Role::Secretariat)?;
    let meeting = meeting_of_version(conn, version_id)?;
    let m = meeting.id;
    let against = match q.against {
        Some(a) => a,
        None => versions::published(conn, m)?.ok_or_else(|| {
            ApiError::field(
                "against",
                "required",
                "nothing is published; name the version to compare against",
            )
        })?,
    };
    if versions::meeting_of(conn, against).ok() != Some(m) {
        return Err(ApiError::field(
            "against",
            "same_meeting",
            "compare with a version of the same meeting",
        ));
    }
    edits::diff(conn, meeting.venue()?, against, version_id)
}

/// A meeting's online channels, captioners and interpreter teams, with their tag.
pub fn get_logistics(
    conn: &mut DbConn,
    actor: &AuthUser,
    meeting_id: i64,
) -> Result<(LogisticsView, String), ApiError> {
    actor.require(Role::Secretariat)?;
    load_visible(conn, meeting_id, &Some(actor.clone()))?;
    let v = logistics::load(conn, meeting_id)?;
    let tag = logistics::etag(meeting_id, &v);
    Ok((v, tag))
}

/// Replaces a meeting's online channels, captioners and interpreter teams.
pub fn put_logistics(
    conn: &mut DbConn,
    actor: &AuthUser,
    meeting_id: i64,
    body: &LogisticsInput,
    expected: &Option<Vec<String>>,
) -> Result<(LogisticsView, String), ApiError> {
    actor.require(Role::Secretariat)?;
    load_visible(conn, meeting_id, &Some(actor.clone()))?;
    let v = logistics::replace(conn, actor.id, meeting_id, body, expected)?;
    let tag = logistics::etag(meeting_id, &v);
    Ok((v, tag))
}

/// The logistics sheet of a version, for one venue day or all.
pub fn logistics_sheet(
    conn: &mut DbConn,
    actor: &AuthUser,
    version_id: i64,
    q: &SheetQuery,
) -> Result<Sheet, ApiError> {
    actor.require(Role::Secretariat)?;
    let meeting = meeting_of_version(conn, version_id)?;
    let day = match q.day.as_deref() {
        None => None,
        Some(d) => Some(
            chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").map_err(|_| {
                ApiError::field(
                    "day",
                    "date",
                    format!("day must be a date, YYYY-MM-DD; got {d:?}"),
                )
            })?,
        ),
    };
    sheet::sheet(conn, &meeting, version_id, day)
}
