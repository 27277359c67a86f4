//! Failed sign-ins are limited per account and per client address: past the limit,
//! every attempt (even with the right password) answers 429 with `Retry-After` until
//! the oldest counted failure leaves the window. Kept in this process's memory.

use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use crate::error::ApiError;

/// Counts recent failed sign-ins by key.
#[derive(Debug)]
pub struct LoginLimiter {
    window: Duration,
    per_account: usize,
    per_address: usize,
    failures: Mutex<HashMap<String, VecDeque<Instant>>>,
}

/// What an attempt is counted against.
#[derive(Debug, Clone)]
pub struct Attempt {
    account: String,
    address: String,
}

impl Attempt {
    /// An attempt at `email` (normalised) from `address`.
    pub fn new(email: &str, address: &str) -> Self {
        Attempt {
            account: format!("account:{email}"),
            address: format!("address:{address}"),
        }
    }
}

impl LoginLimiter {
    /// Most keys remembered; past this, keys with no failure inside the window go.
    const MAX_KEYS: usize = 100_000;

    /// A limiter allowing `per_account` and `per_address` failures within `window`.
    pub fn new(window: Duration, per_account: u32, per_address: u32) -> Self {
        LoginLimiter {
            window,
            per_account: per_account.max(1) as usize,
            per_address: per_address.max(1) as usize,
            failures: Mutex::new(HashMap::new()),
        }
    }

    fn limits<'a>(&self, a: &'a Attempt) -> [(&'a str, usize); 2] {
        [
            (a.account.as_str(), self.per_account),
            (a.address.as_str(), self.per_address),
        ]
    }

    /// Refuses with 429 when the account or the address is over its limit.
    pub fn check(&self, attempt: &Attempt) -> Result<(), ApiError> {
        let now = Instant::now();
        let Ok(mut map) = self.failures.lock() else {
            return Ok(());
        };
        let mut wait = Duration::ZERO;
        for (key, limit) in self.limits(attempt) {
            if let Some(q) = map.get_mut(key) {
                while q.front().is_some_and(|t| now - *t >= self.window) {
                    q.pop_front();
                }
                if q.len() >= limit {
                    // The attempt is allowed again when enough failures have aged out.
                    let oldest = q[q.len() - limit];
                    wait = wait.max(self.window.saturating_sub(now - oldest));
                }
            }
        }
        if wait.is_zero() {
            Ok(())
        } else {
            Err(ApiError::TooManyRequests {
                retry_after: wait.as_secs().max(1),
            })
        }
    }

    /// Counts a failed attempt.
    pub fn failed(&self, attempt: &Attempt) {
        let now = Instant::now();
        let Ok(mut map) = self.failures.lock() else {
            return;
        };
        if map.len() >= Self::MAX_KEYS {
            let window = self.window;
            map.retain(|_, q| q.back().is_some_and(|t| now - *t < window));
        }
        for (key, limit) in self.limits(attempt) {
            let q = map.entry(key.to_string()).or_default();
            q.push_back(now);
            while q.len() > limit {
                q.pop_front();
            }
        }
    }

    /// Forgets the account's failures after a successful sign-in (the address keeps
    /// its count).
    pub fn succeeded(&self, attempt: &Attempt) {
        if let Ok(mut map) = self.failures.lock() {
            map.remove(&attempt.account);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_account_is_limited_then_freed_by_the_window() {
        let l = LoginLimiter::new(Duration::from_millis(200), 3, 100);
        let a = Attempt::new("a@example.org", "10.0.0.1");
        for _ in 0..3 {
            assert!(l.check(&a).is_ok());
            l.failed(&a);
        }
        match l.check(&a) {
            Err(ApiError::TooManyRequests { retry_after }) => assert_eq!(retry_after, 1),
            other => panic!("expected 429, got {other:?}"),
        }
        // Another account from the same address is not held back.
        assert!(l.check(&Attempt::new("b@example.org", "10.0.0.1")).is_ok());
        std::thread::sleep(Duration::from_millis(250));
        assert!(l.check(&a).is_ok());
    }

    #[test]
    fn the_address_is_limited_across_accounts() {
        let l = LoginLimiter::new(Duration::from_secs(60), 100, 4);
        for i in 0..4 {
            l.failed(&Attempt::new(&format!("u{i}@example.org"), "10.0.0.2"));
        }
        assert!(
            l.check(&Attempt::new("new@example.org", "10.0.0.2"))
                .is_err()
        );
        assert!(
            l.check(&Attempt::new("new@example.org", "10.0.0.3"))
                .is_ok()
        );
    }

    #[test]
    fn success_clears_the_account() {
        let l = LoginLimiter::new(Duration::from_secs(60), 2, 100);
        let a = Attempt::new("a@example.org", "10.0.0.1");
        l.failed(&a);
        l.succeeded(&a);
        l.failed(&a);
        assert!(l.check(&a).is_ok());
    }
}
