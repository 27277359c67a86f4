//! The state every request handler reaches: the pool, token keys, settings, and the
//! in-process helpers (job signal, feed cache). It sits below the
//! handlers, so that nothing imports upward into the application.

use std::sync::Arc;

use crate::auth::jwt::JwtKeys;
use crate::auth::limit::SignInRules;
use crate::config::Settings;
use crate::db::DbPool;
use crate::feeds::cache::FeedCache;
use crate::scheduling::signal::Signal;

/// State every handler can reach.
pub struct AppState {
    /// Database pool.
    pub pool: DbPool,
    /// Token keys.
    pub jwt: JwtKeys,
    /// Settings in force.
    pub settings: Settings,
    /// Wakes this instance's schedule worker when a job is queued.
    pub jobs: Arc<Signal>,
    /// Rendered calendar feeds.
    pub feeds: Arc<FeedCache>,
    /// Rendered public pages, kept apart so that pages (one per zone and filter set)
    /// never push the feeds out.
    pub pages: Arc<FeedCache>,
    /// The sign-in limits (counted in the database).
    pub sign_in: SignInRules,
    /// The origin every link starts with: `IGF_PUBLIC_URL`, else this instance's
    /// bound address; never the request's `Host`.
    pub public_url: String,
    /// False while this instance prepares what it was started to serve (the demo
    /// meeting of `serve --demo`): `/health` answers 503 until then.
    pub ready: Arc<std::sync::atomic::AtomicBool>,
}
