//! Rendered feeds kept in memory, and a short memo of each meeting and its published
//! version, so that a feed already rendered is answered without the database.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use super::calendar::Feed;
use crate::meetings::models::Meeting;

/// Rendered feeds by meeting, published version and filters, and a short-lived memo of
/// each meeting and its published version so that a cached feed is answered without
/// touching the database.
#[derive(Debug, Default)]
pub struct FeedCache {
    feeds: Mutex<HashMap<String, Arc<Feed>>>,
    current: Mutex<HashMap<i64, Current>>,
}

/// A meeting as last read, with its published version.
#[derive(Debug, Clone)]
pub struct Current {
    read: Instant,
    /// The meeting.
    pub meeting: Arc<Meeting>,
    /// Its published version.
    pub version: i64,
}

impl FeedCache {
    /// Most feeds kept; the cache is emptied when it grows past this.
    const MAX: usize = 512;
    /// Most bytes of feeds kept (bodies and their gzip), likewise.
    const MAX_BYTES: usize = 64 << 20;
    /// How long a meeting, its published version and its feed revision are trusted
    /// without a new read; this process forgets them at once after any change it
    /// makes, so this bounds only how late it sees what other instances change.
    const FRESH: Duration = Duration::from_millis(500);

    /// A rendered feed, if kept.
    pub fn get(&self, key: &str) -> Option<Arc<Feed>> {
        self.feeds.lock().ok()?.get(key).cloned()
    }

    /// Keeps a rendered feed.
    pub fn put(&self, key: String, feed: Arc<Feed>) {
        if let Ok(mut m) = self.feeds.lock() {
            let size = |f: &Feed| f.body.len() + f.gzip.as_ref().map_or(0, |g| g.len());
            let held: usize = m.values().map(|f| size(f)).sum();
            if m.len() >= Self::MAX || held + size(&feed) > Self::MAX_BYTES {
                m.clear();
            }
            m.insert(key, feed);
        }
    }

    /// The meeting and its published version, if read less than [`Self::FRESH`] ago.
    pub fn current(&self, meeting_id: i64) -> Option<Current> {
        let memo = self.current.lock().ok()?;
        memo.get(&meeting_id)
            .filter(|c| c.read.elapsed() < Self::FRESH)
            .cloned()
    }

    /// Remembers a meeting and its published version as just read.
    pub fn remember(&self, meeting: Arc<Meeting>, version: i64) {
        if let Ok(mut memo) = self.current.lock() {
            if memo.len() >= Self::MAX {
                memo.clear();
            }
            memo.insert(
                meeting.id,
                Current {
                    read: Instant::now(),
                    meeting,
                    version,
                },
            );
        }
    }

    /// Drops what is known of a meeting: called when it is edited or a version of it
    /// is published.
    pub fn forget(&self, meeting_id: i64) {
        if let Ok(mut memo) = self.current.lock() {
            memo.remove(&meeting_id);
        }
    }

    /// Drops what is known of every meeting: called after any change this instance
    /// makes, whatever it touched, so that its next feed reads the revision anew.
    pub fn forget_all(&self) {
        if let Ok(mut memo) = self.current.lock() {
            memo.clear();
        }
    }
}
