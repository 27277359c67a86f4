//! HTTP for feeds: each feed is rendered once per published version and filter set and
//! then served from memory; a strong ETag of the content, Last-Modified from the
//! publication, 304 for If-None-Match and If-Modified-Since, HEAD, and a Cache-Control
//! that lets a CDN keep public feeds. Personal agendas are in [`agendas`].

pub mod agendas;

use actix_web::http::header::{self, HttpDate};
use actix_web::{HttpRequest, HttpResponse, web};

use super::calendar::{self, Feed, FeedQuery};
use super::service::{self, Render};
use crate::auth::extract::MaybeAuthUser;
use crate::error::ApiError;
use crate::extract::Query;
use crate::state::AppState;

/// Whether the client takes gzip (`Accept-Encoding` with `gzip`, `x-gzip` or `*` at a
/// non-zero quality).
fn accepts_gzip(req: &HttpRequest) -> bool {
    req.headers()
        .get_all(header::ACCEPT_ENCODING)
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .any(|item| {
            let mut parts = item.split(';').map(str::trim);
            let coding = parts.next().unwrap_or_default().to_ascii_lowercase();
            let refused = parts.any(|p| {
                p.strip_prefix("q=")
                    .and_then(|q| q.parse::<f32>().ok())
                    .is_some_and(|q| q <= 0.0)
            });
            matches!(coding.as_str(), "gzip" | "x-gzip" | "*") && !refused
        })
}

fn gzip_tag(etag: &str) -> String {
    format!("{}-gzip\"", etag.trim_end_matches('"'))
}

/// Keeps the service's compression off a feed: a feed is sent as it is or in the gzip
/// made with it, each with its own ETag, and never re-encoded (br, zstd, deflate)
/// under the plain body's tag. [`keep_feeds_true`] takes the marker off again.
const IDENTITY: (header::HeaderName, &str) = (header::CONTENT_ENCODING, "identity");

/// Middleware outside compression: drops the `Content-Encoding: identity` marker a
/// feed sets to keep compression off it (the value is meant for requests only), and
/// after any request that may have changed something, makes this instance's feeds
/// read the meetings' revisions anew.
pub async fn keep_feeds_true(
    req: actix_web::dev::ServiceRequest,
    next: actix_web::middleware::Next<impl actix_web::body::MessageBody>,
) -> Result<actix_web::dev::ServiceResponse<impl actix_web::body::MessageBody>, actix_web::Error> {
    let safe = matches!(
        *req.method(),
        actix_web::http::Method::GET | actix_web::http::Method::HEAD
    );
    let state = req.app_data::<web::Data<AppState>>().cloned();
    let mut res = next.call(req).await?;
    // A change made here is in the database now: this instance's feeds read it anew.
    if !safe && let Some(state) = state {
        state.feeds.forget_all();
        state.pages.forget_all();
    }
    let headers = res.headers_mut();
    if headers
        .get(header::CONTENT_ENCODING)
        .is_some_and(|v| v == "identity")
    {
        headers.remove(header::CONTENT_ENCODING);
    }
    Ok(res)
}

fn not_modified(req: &HttpRequest, feed: &Feed) -> bool {
    if let Some(v) = req
        .headers()
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
    {
        let gz = gzip_tag(&feed.etag);
        return v.split(',').map(str::trim).any(|t| {
            let t = t.trim_start_matches("W/");
            t == "*" || t == feed.etag || t == gz
        });
    }
    if let Some(since) = req
        .headers()
        .get(header::IF_MODIFIED_SINCE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<HttpDate>().ok())
    {
        let since: std::time::SystemTime = since.into();
        let modified: std::time::SystemTime = feed.modified.into();
        return modified
            .duration_since(since)
            .map_or(true, |d| d.as_secs() == 0);
    }
    false
}

/// Answers a feed request: 304, HEAD or the body (gzip-compressed ahead of time when
/// the client takes it), with caching headers. Each representation has its own strong
/// ETag; either answers a conditional request.
pub fn respond(req: &HttpRequest, feed: &Feed, cache_control: &str) -> HttpResponse {
    let modified: std::time::SystemTime = feed.modified.into();
    let gzip = feed.gzip.as_ref().filter(|_| accepts_gzip(req));
    let fresh = not_modified(req, feed);
    let mut resp = if fresh {
        HttpResponse::NotModified()
    } else {
        HttpResponse::Ok()
    };
    let etag = match gzip {
        Some(_) => gzip_tag(&feed.etag),
        None => feed.etag.clone(),
    };
    resp.insert_header((header::ETAG, etag))
        .insert_header((header::LAST_MODIFIED, HttpDate::from(modified)))
        .insert_header((header::CACHE_CONTROL, cache_control.to_string()))
        .insert_header((header::VARY, "Accept-Encoding"));
    if fresh {
        return resp.finish();
    }
    resp.insert_header((header::CONTENT_TYPE, feed.content_type));
    let body = match gzip {
        Some(gz) => {
            resp.insert_header((header::CONTENT_ENCODING, "gzip"));
            gz.clone()
        }
        None => {
            resp.insert_header(IDENTITY);
            feed.body.clone()
        }
    };
    // HEAD: the server sends the headers of this body, its length included, and not
    // the body itself.
    resp.body(body)
}

/// A public feed of a meeting's published version, answered from memory when it is
/// rendered already, else through [`service::public_feed`].
async fn public_feed(
    state: &AppState,
    req: &HttpRequest,
    user: MaybeAuthUser,
    meeting_id: i64,
    kind: &'static str,
    q: FeedQuery,
    render: Render,
) -> Result<HttpResponse, ApiError> {
    let who = user.0;
    let base = state.public_url.clone();
    if let Some(f) = service::cached_public_feed(&state.feeds, &who, meeting_id, kind, &q, &base)? {
        return Ok(respond(req, &f, "public, max-age=300"));
    }
    let cache = state.feeds.clone();
    let feed = crate::db::run(&state.pool, move |c| {
        service::public_feed(c, &cache, &who, meeting_id, kind, &q, &base, render)
    })
    .await?;
    Ok(respond(req, &feed, "public, max-age=300"))
}

/// `GET`/`HEAD /api/v1/meetings/{meeting_id}/programme.ics`: the published programme
/// as a calendar, filtered by theme, type, room or day.
pub async fn programme_ics(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: MaybeAuthUser,
    path: web::Path<i64>,
    Query(q): Query<FeedQuery>,
) -> Result<HttpResponse, ApiError> {
    calendar::check_person(q.person.as_deref())?;
    public_feed(
        &state,
        &req,
        user,
        path.into_inner(),
        "ics",
        q,
        |c, m, q, base| calendar::programme_feed(c, m, q, base, None),
    )
    .await
}

/// `GET`/`HEAD /api/v1/meetings/{meeting_id}/schedule.json`: the published programme
/// in the c3voc format for conference apps.
pub async fn schedule_json(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: MaybeAuthUser,
    path: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    let q = FeedQuery::default();
    public_feed(
        &state,
        &req,
        user,
        path.into_inner(),
        "c3voc",
        q,
        |c, m, _, base| crate::feeds::c3voc::schedule_feed(c, m, base),
    )
    .await
}

/// `GET /api/v1/meetings/{meeting_id}/schedule.xml`: the same programme as frab's
/// `schedule.xml`, cached and sequenced as the other feeds.
pub async fn schedule_xml(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: MaybeAuthUser,
    path: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    let q = FeedQuery::default();
    public_feed(
        &state,
        &req,
        user,
        path.into_inner(),
        "c3voc-xml",
        q,
        |c, m, _, base| crate::feeds::c3voc::schedule_xml_feed(c, m, base),
    )
    .await
}
