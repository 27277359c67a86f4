//! Scheduling endpoints: solve and repair jobs, versions, publishing, the public
//! programme.

use crate::auth::extract::Secretariat;
use actix_web::{HttpResponse, web};
use chrono_tz::Tz;
use serde::Deserialize;

use super::{jobs, versions};
use crate::app::AppState;
use crate::auth::MaybeAuthUser;
use crate::error::ApiError;
use crate::extract::{Json, Page, Query};
use crate::meetings::handlers::load_visible;

/// The meeting a schedule version belongs to.
fn meeting_of_version(
    c: &mut crate::db::DbConn,
    version: i64,
) -> Result<crate::meetings::queries::Meeting, ApiError> {
    let m = versions::meeting_of(c, version)?;
    crate::meetings::queries::find(c, m)?.ok_or(ApiError::NotFound("meeting"))
}

/// `POST /api/v1/meetings/{meeting_id}/schedules`: queues a solve or repair job; a
/// worker runs it. Answers 202 with the job.
#[tracing::instrument(skip_all)]
pub async fn start_job(
    state: web::Data<AppState>,
    Secretariat(user): Secretariat,
    path: web::Path<i64>,
    Json(body): Json<jobs::JobRequest>,
) -> Result<HttpResponse, ApiError> {
    let (meeting_id, actor, who) = (path.into_inner(), user.id, Some(user));
    let v = crate::db::run(&state.pool, move |c| {
        load_visible(c, meeting_id, &who)?;
        jobs::enqueue(c, actor, meeting_id, &body)
    })
    .await?;
    state.jobs.notify();
    Ok(HttpResponse::Accepted()
        .insert_header(("Location", format!("/api/v1/schedule-jobs/{}", v.id)))
        .json(v))
}

/// `GET /api/v1/schedule-jobs/{job_id}`: status, progress and best score so far.
pub async fn get_job(
    state: web::Data<AppState>,
    _: Secretariat,
    path: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    let id = path.into_inner();
    let v = crate::db::run(&state.pool, move |c| jobs::get(c, id)).await?;
    Ok(HttpResponse::Ok().json(v))
}

/// `DELETE /api/v1/schedule-jobs/{job_id}`: cancels.
#[tracing::instrument(skip_all)]
pub async fn cancel_job(
    state: web::Data<AppState>,
    Secretariat(user): Secretariat,
    path: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    let (id, actor) = (path.into_inner(), user.id);
    let v = crate::db::run(&state.pool, move |c| jobs::cancel(c, actor, id)).await?;
    Ok(HttpResponse::Ok().json(v))
}

/// Query of a version list.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ListVersionsQuery {
    /// Page number.
    pub page: Option<i64>,
    /// Page size.
    pub per_page: Option<i64>,
}

/// `GET /api/v1/meetings/{meeting_id}/schedules`: versions, newest first.
pub async fn list_versions(
    state: web::Data<AppState>,
    Secretariat(user): Secretariat,
    path: web::Path<i64>,
    Query(q): Query<ListVersionsQuery>,
) -> Result<HttpResponse, ApiError> {
    let page = Page::new(q.page, q.per_page)?;
    let (meeting_id, who) = (path.into_inner(), Some(user));
    let (items, total) = crate::db::run(&state.pool, move |c| {
        let m = load_visible(c, meeting_id, &who)?;
        versions::list(c, meeting_id, m.venue()?, page.per_page, page.offset())
    })
    .await?;
    Ok(HttpResponse::Ok().json(page.of(items, total)))
}

/// `GET /api/v1/schedules/{version_id}`: a version with every placement and the
/// explanation of every penalty.
pub async fn get_version(
    state: web::Data<AppState>,
    _: Secretariat,
    path: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    let id = path.into_inner();
    let v = crate::db::run(&state.pool, move |c| {
        let meeting = meeting_of_version(c, id)?;
        versions::view(c, id, meeting.venue()?, true)
    })
    .await?;
    Ok(HttpResponse::Ok().json(v))
}

/// `POST /api/v1/schedules/{version_id}/publish`: makes it the published schedule.
#[tracing::instrument(skip_all)]
pub async fn publish_version(
    state: web::Data<AppState>,
    Secretariat(user): Secretariat,
    path: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    let (id, actor) = (path.into_inner(), user.id);
    let (v, meeting_id) = crate::db::run(&state.pool, move |c| {
        versions::publish(c, actor, id)?;
        let meeting = meeting_of_version(c, id)?;
        Ok((versions::view(c, id, meeting.venue()?, false)?, meeting.id))
    })
    .await?;
    state.feeds.forget(meeting_id);
    Ok(HttpResponse::Ok().json(v))
}

/// `GET /api/v1/meetings/{meeting_id}/programme`: the published schedule, public,
/// without personal data; `?tz=` adds times in the viewer's zone.
pub async fn get_programme(
    state: web::Data<AppState>,
    req: actix_web::HttpRequest,
    user: MaybeAuthUser,
    path: web::Path<i64>,
    Query(q): Query<versions::ProgrammeQuery>,
) -> Result<HttpResponse, ApiError> {
    crate::feeds::calendar::check_person(q.person.as_deref())?;
    let viewer: Option<Tz> = match &q.tz {
        None => None,
        Some(z) => Some(z.parse().map_err(|_| {
            ApiError::field("tz", "timezone", format!("{z:?} is not an IANA time zone"))
        })?),
    };
    let (meeting_id, who) = (path.into_inner(), user.0);
    let feed_query: Vec<String> = [
        q.day.map(|d| format!("day={d}")),
        q.theme_id.map(|t| format!("theme_id={t}")),
        q.session_type.as_ref().map(|t| format!("session_type={t}")),
        q.room_id.map(|r| format!("room_id={r}")),
    ]
    .into_iter()
    .flatten()
    .collect();
    let rest = {
        let info = req.connection_info();
        let path = format!("{}/api/v1/meetings/{meeting_id}/programme.ics", info.host());
        let query = if feed_query.is_empty() {
            String::new()
        } else {
            format!("?{}", feed_query.join("&"))
        };
        (info.scheme().to_string(), format!("{path}{query}"))
    };
    let mut v = crate::db::run(&state.pool, move |c| {
        let m = load_visible(c, meeting_id, &who)?;
        versions::programme(c, meeting_id, m.venue()?, &q, viewer)
    })
    .await?;
    v.calendar = Some(versions::CalendarLinks {
        https: format!("{}://{}", rest.0, rest.1),
        webcal: format!("webcal://{}", rest.1),
    });
    Ok(HttpResponse::Ok()
        .insert_header(("Cache-Control", "public, max-age=60"))
        .json(v))
}

/// `POST /api/v1/schedules/{version_id}/moves`: moves sessions by hand; a hard rule
/// broken refuses with the reasons, otherwise a new draft version shows the cost.
#[tracing::instrument(skip_all)]
pub async fn move_sessions(
    state: web::Data<AppState>,
    Secretariat(user): Secretariat,
    path: web::Path<i64>,
    Json(body): Json<super::edits::MovesRequest>,
) -> Result<HttpResponse, ApiError> {
    let (id, actor) = (path.into_inner(), user.id);
    let v = crate::db::run(&state.pool, move |c| {
        let meeting = meeting_of_version(c, id)?;
        super::edits::apply_moves(c, actor, &meeting, id, &body)
    })
    .await?;
    Ok(HttpResponse::Created().json(v))
}

/// Query of a diff.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DiffQuery {
    /// The version to compare against (default: the published one).
    pub against: Option<i64>,
}

/// `GET /api/v1/schedules/{version_id}/diff`: what moved, was added or removed.
pub async fn diff_versions(
    state: web::Data<AppState>,
    _: Secretariat,
    path: web::Path<i64>,
    Query(q): Query<DiffQuery>,
) -> Result<HttpResponse, ApiError> {
    let id = path.into_inner();
    let v = crate::db::run(&state.pool, move |c| {
        let meeting = meeting_of_version(c, id)?;
        let m = meeting.id;
        let against = match q.against {
            Some(a) => a,
            None => versions::published(c, m)?.ok_or_else(|| {
                ApiError::field(
                    "against",
                    "required",
                    "nothing is published; name the version to compare against",
                )
            })?,
        };
        if versions::meeting_of(c, against).ok() != Some(m) {
            return Err(ApiError::field(
                "against",
                "same_meeting",
                "compare with a version of the same meeting",
            ));
        }
        super::edits::diff(c, meeting.venue()?, against, id)
    })
    .await?;
    Ok(HttpResponse::Ok().json(v))
}
