//! The wake-up call from a request that queued a schedule job to this instance's
//! worker, so that a job starts at once rather than at the worker's next poll.

use std::sync::{Condvar, Mutex};
use std::time::Duration;

/// Wakes the local worker when a job is queued.
#[derive(Debug, Default)]
pub struct Signal {
    pending: Mutex<bool>,
    cv: Condvar,
}

impl Signal {
    /// Tells the worker there may be work.
    pub fn notify(&self) {
        if let Ok(mut p) = self.pending.lock() {
            *p = true;
            self.cv.notify_all();
        }
    }

    /// Waits until notified or `timeout` passes, whichever comes first.
    pub fn wait(&self, timeout: Duration) {
        if let Ok(mut p) = self.pending.lock() {
            if !*p {
                p = match self.cv.wait_timeout(p, timeout) {
                    Ok((g, _)) => g,
                    Err(e) => e.into_inner().0,
                };
            }
            *p = false;
        }
    }
}
