//! Public feed use cases: a meeting's published programme as a feed, rendered once
//! per published version and filter set and then kept in the [`FeedCache`].

use std::sync::Arc;

use super::cache::FeedCache;
use super::calendar::{Feed, FeedQuery};
use crate::auth::AuthUser;
use crate::db::DbConn;
use crate::error::ApiError;
use crate::meetings::models::Meeting;
use crate::meetings::service::{load_visible, visible};

/// How a kind of feed is rendered from the database.
pub type Render = fn(&mut DbConn, &Meeting, &FeedQuery, &str) -> Result<Feed, ApiError>;

fn key(kind: &str, m: &Meeting, version: i64, q: &FeedQuery, base: &str) -> String {
    format!(
        "{kind}-{}-{version}-{}-{}-{base}",
        m.id,
        m.feed_revision,
        q.key()
    )
}

/// The feed from memory alone, when the meeting and its published version were read
/// moments ago and the feed is rendered: the hot path, without the database.
pub fn cached_public_feed(
    cache: &FeedCache,
    viewer: &Option<AuthUser>,
    meeting_id: i64,
    kind: &str,
    q: &FeedQuery,
    base: &str,
) -> Result<Option<Arc<Feed>>, ApiError> {
    let Some(cur) = cache.current(meeting_id) else {
        return Ok(None);
    };
    if !visible(&cur.meeting, viewer) {
        return Err(ApiError::NotFound("meeting"));
    }
    Ok(cache.get(&key(kind, &cur.meeting, cur.version, q, base)))
}

/// The feed of a meeting the viewer may see, from the cache or rendered once.
#[allow(clippy::too_many_arguments)]
pub fn public_feed(
    conn: &mut DbConn,
    cache: &FeedCache,
    viewer: &Option<AuthUser>,
    meeting_id: i64,
    kind: &str,
    q: &FeedQuery,
    base: &str,
    render: impl FnOnce(&mut DbConn, &Meeting, &FeedQuery, &str) -> Result<Feed, ApiError>,
) -> Result<Arc<Feed>, ApiError> {
    let m = load_visible(conn, meeting_id, viewer)?;
    let (version, _) = crate::scheduling::versions::published_at(conn, m.id)?
        .ok_or(ApiError::NotFound("published programme"))?;
    let key = key(kind, &m, version, q, base);
    let m = Arc::new(m);
    cache.remember(m.clone(), version);
    if let Some(f) = cache.get(&key) {
        return Ok(f);
    }
    let f = Arc::new(render(conn, &m, q, base)?);
    cache.put(key, f.clone());
    Ok(f)
}
