//! HTTP for feeds: each feed is rendered once per published version and filter set and
//! then served from memory; a strong ETag of the content, Last-Modified from the
//! publication, 304 for If-None-Match and If-Modified-Since, HEAD, and a Cache-Control
//! that lets a CDN keep public feeds.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use actix_web::http::header::{self, HttpDate};
use actix_web::{HttpRequest, HttpResponse, web};

use super::calendar::{self, Feed, FeedQuery};
use crate::app::AppState;
use crate::auth::MaybeAuthUser;
use crate::error::ApiError;
use crate::extract::Query;
use crate::meetings::handlers::load_visible;
use crate::meetings::queries::Meeting;

/// Rendered feeds by meeting, published version and filters.
#[derive(Debug, Default)]
pub struct FeedCache {
    feeds: Mutex<HashMap<String, Arc<Feed>>>,
}

impl FeedCache {
    /// Most feeds kept; the cache is emptied when it grows past this.
    const MAX: usize = 512;

    /// A rendered feed, if kept.
    pub fn get(&self, key: &str) -> Option<Arc<Feed>> {
        self.feeds.lock().ok()?.get(key).cloned()
    }

    /// Keeps a rendered feed.
    pub fn put(&self, key: String, feed: Arc<Feed>) {
        if let Ok(mut m) = self.feeds.lock() {
            if m.len() >= Self::MAX {
                m.clear();
            }
            m.insert(key, feed);
        }
    }
}

fn not_modified(req: &HttpRequest, feed: &Feed) -> bool {
    if let Some(v) = req
        .headers()
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
    {
        return v
            .split(',')
            .map(str::trim)
            .any(|t| t == "*" || t == feed.etag || t.trim_start_matches("W/") == feed.etag);
    }
    if let Some(since) = req
        .headers()
        .get(header::IF_MODIFIED_SINCE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<HttpDate>().ok())
    {
        let since: std::time::SystemTime = since.into();
        let published: std::time::SystemTime = feed.published_at.into();
        return published
            .duration_since(since)
            .map_or(true, |d| d.as_secs() == 0);
    }
    false
}

/// Answers a feed request: 304, HEAD or the body, with caching headers.
pub fn respond(req: &HttpRequest, feed: &Feed, cache_control: &str) -> HttpResponse {
    let modified: std::time::SystemTime = feed.published_at.into();
    let fresh = not_modified(req, feed);
    let mut resp = if fresh {
        HttpResponse::NotModified()
    } else {
        HttpResponse::Ok()
    };
    resp.insert_header((header::ETAG, feed.etag.clone()))
        .insert_header((header::LAST_MODIFIED, HttpDate::from(modified)))
        .insert_header((header::CACHE_CONTROL, cache_control.to_string()))
        .insert_header((header::VARY, "Accept-Encoding"));
    if fresh {
        return resp.finish();
    }
    resp.insert_header((header::CONTENT_TYPE, feed.content_type));
    if req.method() == actix_web::http::Method::HEAD {
        resp.insert_header((header::CONTENT_LENGTH, feed.body.len()));
        return resp.finish();
    }
    resp.body(feed.body.clone())
}

type Render = fn(&mut crate::db::DbConn, &Meeting, &FeedQuery, &str) -> Result<Feed, ApiError>;

/// A public feed of a meeting's published version, from the cache or rendered once:
/// `kind` and the filters key the cache.
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
    let base = {
        let info = req.connection_info();
        format!("{}://{}", info.scheme(), info.host())
    };
    let cache = state.feeds.clone();
    let feed = crate::db::run(&state.pool, move |c| {
        let m = load_visible(c, meeting_id, &who)?;
        let (version, _) = crate::scheduling::versions::published_at(c, m.id)?
            .ok_or(ApiError::NotFound("published programme"))?;
        let key = format!("{kind}-{}-{version}-{}-{base}", m.id, q.key());
        if let Some(f) = cache.get(&key) {
            return Ok(f);
        }
        let f = Arc::new(render(c, &m, &q, &base)?);
        cache.put(key, f.clone());
        Ok(f)
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
        |c, m, _, base| super::c3voc::schedule_feed(c, m, base),
    )
    .await
}
