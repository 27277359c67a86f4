//! The sign-in limit, held in the database so that every instance counts the same
//! attempts. Each attempt is counted before its password is checked (and given back
//! if it succeeds), so concurrent guesses can never all pass the check first.
//!
//! Two counts apply. Per account and client address, a few failures are free (five
//! by default); after the last of them the pair waits 30 s, and twice as long after
//! each further failure, up to the window. Per address, across accounts, a larger number
//! of failures per window. The owner signing in from another address is never held
//! back by someone guessing their password elsewhere.

use std::time::Duration;

use crate::db::DbConn;
use crate::error::ApiError;
use crate::throttle::{self, Rate};
use crate::time::{from_db, to_db};

/// The sign-in limits in force.
#[derive(Debug, Clone, Copy)]
pub struct SignInRules {
    /// Failures per account and address before each further one waits.
    pub free_failures: u32,
    /// Failures per address, across accounts, within the window.
    pub per_address: u32,
    /// The window over which failures are counted, and the longest wait.
    pub window: Duration,
    /// Only accounts whose address is confirmed may sign in (where email is sent, so
    /// that an address can be confirmed).
    pub confirmed_only: bool,
}

/// What an attempt is counted against.
#[derive(Debug, Clone)]
pub struct Attempt {
    pair: String,
    address: String,
}

impl Attempt {
    /// An attempt at `email` (normalised) from the client address key `address`.
    pub fn new(email: &str, address: &str) -> Self {
        Attempt {
            pair: format!("sign-in:{address}:{email}"),
            address: format!("sign-in:{address}"),
        }
    }
}

/// The first wait once the free failures are spent.
const FIRST_WAIT: i64 = 30;

/// Counts an attempt, or refuses it with 429 and `Retry-After` while the account and
/// address wait or the address is over its limit.
pub fn reserve(conn: &mut DbConn, rules: SignInRules, a: &Attempt) -> Result<(), ApiError> {
    let free = rules.free_failures.max(1) as i32;
    let pair_rate = Rate {
        limit: rules.free_failures,
        window: rules.window,
    };
    let address_rate = Rate::per(rules.per_address, rules.window.as_secs());
    crate::db::write_tx(conn, |c| {
        let now = crate::db::now(c)?;
        let mut pair = throttle::locked(c, &a.pair, pair_rate, now)?;
        if let Some(until) = pair.blocked_until.map(from_db)
            && until > now
        {
            return Err(throttle::too_many(until, now));
        }
        let mut address = throttle::locked(c, &a.address, address_rate, now)?;
        if address.count >= address_rate.limit as i32 {
            let window = chrono::Duration::from_std(rules.window).unwrap_or_default();
            return Err(throttle::too_many(
                from_db(address.window_start) + window,
                now,
            ));
        }
        pair.count += 1;
        if pair.count >= free {
            let doubling = (pair.count - free).min(20) as u32;
            let wait = (FIRST_WAIT << doubling).min(rules.window.as_secs() as i64);
            pair.blocked_until = Some(to_db(now + chrono::Duration::seconds(wait)));
        }
        address.count += 1;
        throttle::store(c, &a.pair, &pair)?;
        throttle::store(c, &a.address, &address)?;
        Ok(())
    })
}

/// A successful sign-in: the account and address start afresh, and the address gets
/// its attempt back.
pub fn succeeded(conn: &mut DbConn, a: &Attempt) -> Result<(), ApiError> {
    crate::db::write_tx(conn, |c| throttle::clear(c, &a.pair))?;
    throttle::give_back(conn, &a.address)
}
