//! HTTP for the public pages: each handler reads the request, calls one use case in
//! [`super::service`] and answers with the feeds' ETag and 304 handling; a missing
//! meeting, session or programme is the 404 page.

use std::sync::Arc;

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};

use super::service::{self, HTML, Rendered};
use crate::auth::extract::MaybeAuthUser;
use crate::error::ApiError;
use crate::feeds::calendar::Feed;
use crate::feeds::handlers::respond;
use crate::state::AppState;

/// Pages change when the programme does; a minute keeps a CDN's copy close. A page
/// asked for with a token (the secretariat may see an unpublished meeting) is kept by
/// no shared cache.
fn cache_control(signed_in: bool) -> &'static str {
    if signed_in {
        "private, no-cache"
    } else {
        "public, max-age=60"
    }
}

/// The 404 page.
pub fn not_found() -> HttpResponse {
    match service::not_found_page() {
        Ok(body) => HttpResponse::NotFound().content_type(HTML).body(body),
        Err(_) => HttpResponse::NotFound().finish(),
    }
}

fn page(req: &HttpRequest, result: Result<Arc<Feed>, ApiError>) -> Result<HttpResponse, ApiError> {
    let signed_in = req
        .headers()
        .contains_key(actix_web::http::header::AUTHORIZATION);
    match result {
        Ok(feed) => Ok(respond(req, &feed, cache_control(signed_in))),
        Err(ApiError::NotFound(_)) => Ok(not_found()),
        Err(e) => Err(e),
    }
}

/// `GET /meetings/{meeting_id}`: the published programme as a page, filtered, in the
/// zone asked for (`?tz=`, else the venue's).
pub async fn programme(
    state: web::Data<AppState>,
    req: HttpRequest,
    MaybeAuthUser(user): MaybeAuthUser,
    path: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    let meeting_id = path.into_inner();
    let asked = service::read_query(req.query_string());
    let base = state.public_url.clone();
    if let Some(f) = service::cached_programme(&state.pages, &user, meeting_id, &asked, &base) {
        return page(&req, Ok(f));
    }
    let cache = state.pages.clone();
    let result = crate::db::run(&state.pool, move |c| {
        service::programme(c, &cache, &user, meeting_id, &asked, &base)
    })
    .await;
    match result {
        Ok(Rendered::Kept(feed)) => page(&req, Ok(feed)),
        Ok(Rendered::Refused(body)) => Ok(HttpResponse::build(StatusCode::UNPROCESSABLE_ENTITY)
            .content_type(HTML)
            .insert_header(("Cache-Control", "no-store"))
            .body(body)),
        Err(e) => page(&req, Err(e)),
    }
}

/// `GET /meetings/{meeting_id}/sessions/{session_id}`: one session of the published
/// programme, in the zone asked for and the venue's.
pub async fn session(
    state: web::Data<AppState>,
    req: HttpRequest,
    MaybeAuthUser(user): MaybeAuthUser,
    path: web::Path<(i64, i64)>,
) -> Result<HttpResponse, ApiError> {
    let (meeting_id, session_id) = path.into_inner();
    let zone = service::read_query(req.query_string()).zone();
    let base = state.public_url.clone();
    if let Some(f) =
        service::cached_session(&state.pages, &user, meeting_id, session_id, zone, &base)
    {
        return page(&req, Ok(f));
    }
    let cache = state.pages.clone();
    let result = crate::db::run(&state.pool, move |c| {
        service::session(c, &cache, &user, meeting_id, session_id, zone, &base)
    })
    .await;
    page(&req, result)
}

/// `GET /meetings/{meeting_id}/sessions/{session_id}/calendar.ics`: the session alone
/// as a calendar file, for "add to calendar".
pub async fn session_ics(
    state: web::Data<AppState>,
    req: HttpRequest,
    MaybeAuthUser(user): MaybeAuthUser,
    path: web::Path<(i64, i64)>,
) -> Result<HttpResponse, ApiError> {
    let (meeting_id, session_id) = path.into_inner();
    let base = state.public_url.clone();
    let cache = state.pages.clone();
    let feed = crate::db::run(&state.pool, move |c| {
        service::session_calendar(c, &cache, &user, meeting_id, session_id, &base)
    })
    .await?;
    let signed_in = req
        .headers()
        .contains_key(actix_web::http::header::AUTHORIZATION);
    Ok(respond(
        &req,
        &feed,
        if signed_in {
            "private, no-cache"
        } else {
            "public, max-age=300"
        },
    ))
}

/// `GET /` for a browser: the meetings with a published programme.
pub async fn index(
    state: &AppState,
    user: Option<crate::auth::AuthUser>,
) -> Result<HttpResponse, ApiError> {
    let body = crate::db::run(&state.pool, move |c| service::index(c, &user)).await?;
    Ok(HttpResponse::Ok()
        .content_type(HTML)
        .insert_header(("Cache-Control", "no-cache"))
        .insert_header(("Vary", "Accept"))
        .body(body))
}
