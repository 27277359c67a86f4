//! The state every request handler reaches: the pool, token keys, settings, and the
//! in-process helpers (job signal, feed cache, sign-in limiter). It sits below the
//! handlers, so that nothing imports upward into the application.

use std::sync::Arc;

use crate::auth::jwt::JwtKeys;
use crate::auth::limit::LoginLimiter;
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
    /// Failed sign-ins.
    pub logins: Arc<LoginLimiter>,
    /// False while this instance prepares what it was started to serve (the demo
    /// meeting of `serve --demo`): `/health` answers 503 until then.
    pub ready: Arc<std::sync::atomic::AtomicBool>,
}
