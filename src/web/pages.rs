//! HTTP for the public pages: each handler reads the request, calls one use case in
//! [`super::service`] and answers with the feeds' ETag and 304 handling; a missing
//! meeting, session or programme is the 404 page.

use std::sync::Arc;

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};

use actix_web::ResponseError;
use actix_web::cookie::{Cookie, SameSite};

use super::agenda;
use super::service::{self, Focus, HTML, Rendered};
use crate::auth::extract::MaybeAuthUser;
use crate::client::ClientAddress;
use crate::error::ApiError;
use crate::feeds::agendas::Origin;
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
    let asked = service::read_query(req.query_string());
    programme_answer(&state, &req, user, path.into_inner(), asked).await
}

/// `GET /meetings/{meeting_id}/rooms/{room_id}`: a room's sessions, with its feed.
pub async fn room(
    state: web::Data<AppState>,
    req: HttpRequest,
    MaybeAuthUser(user): MaybeAuthUser,
    path: web::Path<(i64, i64)>,
) -> Result<HttpResponse, ApiError> {
    let (meeting_id, room_id) = path.into_inner();
    let asked = service::read_query(req.query_string()).focused(Focus::Room(room_id));
    programme_answer(&state, &req, user, meeting_id, asked).await
}

/// `GET /meetings/{meeting_id}/themes/{theme_id}`: a theme's sessions, with its feed.
pub async fn theme(
    state: web::Data<AppState>,
    req: HttpRequest,
    MaybeAuthUser(user): MaybeAuthUser,
    path: web::Path<(i64, i64)>,
) -> Result<HttpResponse, ApiError> {
    let (meeting_id, theme_id) = path.into_inner();
    let asked = service::read_query(req.query_string()).focused(Focus::Theme(theme_id));
    programme_answer(&state, &req, user, meeting_id, asked).await
}

/// `GET /meetings/{meeting_id}/people/{name}`: a speaker's or moderator's sessions,
/// with their feed.
pub async fn person(
    state: web::Data<AppState>,
    req: HttpRequest,
    MaybeAuthUser(user): MaybeAuthUser,
    path: web::Path<(i64, String)>,
) -> Result<HttpResponse, ApiError> {
    let (meeting_id, name) = path.into_inner();
    let asked = service::read_query(req.query_string()).focused(Focus::Person(name));
    programme_answer(&state, &req, user, meeting_id, asked).await
}

async fn programme_answer(
    state: &AppState,
    req: &HttpRequest,
    user: Option<crate::auth::AuthUser>,
    meeting_id: i64,
    asked: service::Asked,
) -> Result<HttpResponse, ApiError> {
    let base = state.public_url.clone();
    if let Some(f) = service::cached_programme(&state.pages, &user, meeting_id, &asked, &base) {
        return page(req, Ok(f));
    }
    let cache = state.pages.clone();
    let result = crate::db::run(&state.pool, move |c| {
        service::programme(c, &cache, &user, meeting_id, &asked, &base)
    })
    .await;
    match result {
        Ok(Rendered::Kept(feed)) => page(req, Ok(feed)),
        Ok(Rendered::Refused(body)) => Ok(HttpResponse::build(StatusCode::UNPROCESSABLE_ENTITY)
            .content_type(HTML)
            .insert_header(("Cache-Control", "no-store"))
            .body(body)),
        Err(e) => page(req, Err(e)),
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
    let feed = match crate::db::run(&state.pool, move |c| {
        service::session_calendar(c, &cache, &user, meeting_id, session_id, &base)
    })
    .await
    {
        Ok(feed) => feed,
        // The link is followed in a browser: a missing session is the 404 page.
        Err(ApiError::NotFound(_)) => return Ok(not_found()),
        Err(e) => return Err(e),
    };
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

/// The agenda token this browser holds for a meeting.
fn agenda_token(req: &HttpRequest, meeting_id: i64) -> Option<String> {
    req.cookie(&agenda::cookie_name(meeting_id))
        .map(|c| c.value().to_string())
}

/// `GET /meetings/{meeting_id}/agenda`: this browser's agenda of the meeting, never
/// kept by any cache.
pub async fn agenda_page(
    state: web::Data<AppState>,
    req: HttpRequest,
    path: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    let meeting_id = path.into_inner();
    let query = req.query_string().to_string();
    let token = agenda_token(&req, meeting_id);
    let origin = Origin(state.public_url.clone());
    let result = crate::db::run(&state.pool, move |c| {
        agenda::page(c, &origin, meeting_id, token.as_deref(), &query, None)
    })
    .await;
    match result {
        Ok((false, body)) => Ok(private_page(StatusCode::OK, body)),
        Ok((true, body)) => Ok(private_page(StatusCode::UNPROCESSABLE_ENTITY, body)),
        Err(ApiError::NotFound(_)) => Ok(not_found()),
        Err(e) => Err(e),
    }
}

fn private_page(status: StatusCode, body: String) -> HttpResponse {
    HttpResponse::build(status)
        .content_type(HTML)
        .insert_header(("Cache-Control", "private, no-store"))
        .insert_header(("Referrer-Policy", "no-referrer"))
        .body(body)
}

/// `POST /meetings/{meeting_id}/agenda`: a star button (`session_id`, and `remove=1`
/// to unstar). A form is sent on to the agenda page (303); the page's script asks for
/// JSON and gets the agenda. The agenda's token is kept in a cookie of this meeting's
/// pages, HttpOnly and SameSite=Lax.
pub async fn star(
    state: web::Data<AppState>,
    req: HttpRequest,
    ClientAddress(address): ClientAddress,
    path: web::Path<i64>,
    body: web::Bytes,
) -> Result<HttpResponse, ApiError> {
    let meeting_id = path.into_inner();
    let token = agenda_token(&req, meeting_id);
    let asked = agenda::StarRequest {
        body: body.to_vec(),
        sender: super::forms::Sender::of(&req),
        token: token.clone(),
        address,
        per_hour: state.settings.agendas_per_address_hour,
    };
    let wants_json = req
        .headers()
        .get(actix_web::http::header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("application/json"));
    let origin = Origin(state.public_url.clone());
    let secure = state.public_url.starts_with("https://");
    let result = crate::db::run(&state.pool, move |c| {
        agenda::star(c, &origin, meeting_id, &asked)
    })
    .await;
    match result {
        Ok(done) => {
            let cookie = Cookie::build(agenda::cookie_name(meeting_id), done.agenda.token.clone())
                .path(format!("/meetings/{meeting_id}"))
                .http_only(true)
                .same_site(SameSite::Lax)
                .secure(secure)
                .max_age(actix_web::cookie::time::Duration::days(400))
                .finish();
            let mut resp = if wants_json {
                HttpResponse::Ok()
            } else {
                HttpResponse::SeeOther()
            };
            resp.cookie(cookie)
                .insert_header(("Cache-Control", "no-store"));
            if wants_json {
                Ok(resp.json(done.agenda))
            } else {
                Ok(resp
                    .insert_header((actix_web::http::header::LOCATION, done.location))
                    .finish())
            }
        }
        Err(e) if wants_json => Err(e),
        Err(ApiError::NotFound("meeting" | "published programme")) => Ok(not_found()),
        Err(e) => {
            let status = e.status_code();
            let origin = Origin(state.public_url.clone());
            let body = crate::db::run(&state.pool, move |c| {
                agenda::page(c, &origin, meeting_id, token.as_deref(), "", Some(&e))
            })
            .await?;
            Ok(private_page(status, body.1))
        }
    }
}

/// A page rendered for this request, with an ETag of its body so that a reader's
/// second look is a 304; a missing one is the 404 page.
fn rendered_now(
    req: &HttpRequest,
    result: Result<String, ApiError>,
    signed_in: bool,
) -> Result<HttpResponse, ApiError> {
    match result {
        Ok(body) => Ok(respond(
            req,
            &Feed::new(body, chrono::Utc::now(), HTML),
            cache_control(signed_in),
        )),
        Err(ApiError::NotFound(_)) => Ok(not_found()),
        Err(e) => Err(e),
    }
}

/// `GET /meetings/{meeting_id}/report`: the transparency report, once results are
/// published (the secretariat may preview it before).
pub async fn report(
    state: web::Data<AppState>,
    req: HttpRequest,
    MaybeAuthUser(user): MaybeAuthUser,
    path: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    let meeting_id = path.into_inner();
    let signed_in = user.is_some();
    let result = crate::db::run(&state.pool, move |c| {
        super::report::page(c, &user, meeting_id)
    })
    .await;
    // The report may come before any programme, so it is not kept like the pages.
    rendered_now(&req, result, signed_in)
}

/// `GET /meetings/{meeting_id}/reports`: the meeting's summary from its session
/// reports, as charts and tables.
pub async fn summary(
    state: web::Data<AppState>,
    req: HttpRequest,
    MaybeAuthUser(user): MaybeAuthUser,
    path: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    let meeting_id = path.into_inner();
    let signed_in = user.is_some();
    let result = crate::db::run(&state.pool, move |c| {
        super::summary::page(c, &user, meeting_id)
    })
    .await;
    rendered_now(&req, result, signed_in)
}

/// `GET /meetings/{meeting_id}/now`: what runs now and what starts next (`?at=` for
/// another moment), in the zone asked for; kept by caches for half a minute.
pub async fn now(
    state: web::Data<AppState>,
    req: HttpRequest,
    MaybeAuthUser(user): MaybeAuthUser,
    path: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    let meeting_id = path.into_inner();
    let query = req.query_string().to_string();
    let signed_in = user.is_some();
    let result = crate::db::run(&state.pool, move |c| {
        super::now::page(c, &user, meeting_id, &query)
    })
    .await;
    match result {
        Ok((false, body)) => Ok(HttpResponse::Ok()
            .content_type(HTML)
            .insert_header((
                "Cache-Control",
                if signed_in {
                    "private, no-cache"
                } else {
                    "public, max-age=30"
                },
            ))
            .body(body)),
        Ok((true, body)) => Ok(HttpResponse::build(StatusCode::UNPROCESSABLE_ENTITY)
            .content_type(HTML)
            .insert_header(("Cache-Control", "no-store"))
            .body(body)),
        Err(ApiError::NotFound(_)) => Ok(not_found()),
        Err(e) => Err(e),
    }
}

/// `GET /hubs/{hub_id}`: a remote hub's sessions, in the hub's zone unless `?tz=`
/// asks for another, with the hub's feed.
pub async fn hub(
    state: web::Data<AppState>,
    req: HttpRequest,
    MaybeAuthUser(user): MaybeAuthUser,
    path: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    let hub_id = path.into_inner();
    let zone = service::read_query(req.query_string()).zone();
    let signed_in = user.is_some();
    let base = state.public_url.clone();
    let result = crate::db::run(&state.pool, move |c| {
        super::hub::page(c, &user, hub_id, zone, &base)
    })
    .await;
    rendered_now(&req, result, signed_in)
}
