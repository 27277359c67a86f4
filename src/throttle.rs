//! Limits on requests that hold across every instance of the service: each key (an
//! address and an action, an account and an address) is counted in the database over
//! a window, by the database's clock, under a row lock, so that concurrent requests on
//! any instance are counted one by one and never all checked before any is counted.

use std::net::IpAddr;
use std::time::Duration;

use chrono::{DateTime, Utc};
use diesel::prelude::*;

use crate::db::DbConn;
use crate::db::schema::throttle as th;
use crate::error::ApiError;
use crate::time::{from_db, to_db};

/// How many requests a key may make per window.
#[derive(Debug, Clone, Copy)]
pub struct Rate {
    /// Requests allowed per window.
    pub limit: u32,
    /// Length of the window.
    pub window: Duration,
}

impl Rate {
    /// `limit` requests per `seconds`.
    pub fn per(limit: u32, seconds: u64) -> Rate {
        Rate {
            limit: limit.max(1),
            window: Duration::from_secs(seconds.max(1)),
        }
    }

    fn window(&self) -> chrono::Duration {
        chrono::Duration::from_std(self.window).unwrap_or(chrono::Duration::hours(1))
    }
}

/// One key's count, as read under its lock.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = th)]
pub struct Count {
    /// Requests counted in the window.
    pub count: i32,
    /// When the window began.
    pub window_start: chrono::NaiveDateTime,
    /// Until when the key is held back, if it is.
    pub blocked_until: Option<chrono::NaiveDateTime>,
}

/// The key's count, locked until the transaction ends; a window that has passed (and
/// no hold that outlasts it) reads as a fresh one starting `now`.
pub fn locked(
    conn: &mut DbConn,
    key: &str,
    rate: Rate,
    now: DateTime<Utc>,
) -> Result<Count, ApiError> {
    let fresh = Count {
        count: 0,
        window_start: to_db(now),
        blocked_until: None,
    };
    // One statement inserts the row or, when it exists, locks it (an upsert's update
    // takes the row lock on PostgreSQL; SQLite's write transaction holds the file),
    // and reads it back: nothing can remove it in between.
    let values = (
        th::key.eq(key),
        th::count.eq(0),
        th::window_start.eq(fresh.window_start),
    );
    let row: Count = crate::with_backend!(conn, |c| diesel::insert_into(th::table)
        .values(values)
        .on_conflict(th::key)
        .do_update()
        .set(th::key.eq(diesel::upsert::excluded(th::key)))
        .returning(Count::as_returning())
        .get_result(c))?;
    let held = row.blocked_until.is_some_and(|b| from_db(b) > now);
    if from_db(row.window_start) + rate.window() <= now && !held {
        return Ok(fresh);
    }
    Ok(row)
}

/// Stores a key's count.
pub fn store(conn: &mut DbConn, key: &str, count: &Count) -> Result<(), ApiError> {
    diesel::update(th::table.find(key))
        .set((
            th::count.eq(count.count),
            th::window_start.eq(count.window_start),
            th::blocked_until.eq(count.blocked_until),
        ))
        .execute(conn)?;
    Ok(())
}

/// Counts one request against `key`, refusing it with 429 (and not counting it) once
/// `rate.limit` were counted in the window; in its own transaction.
pub fn take(conn: &mut DbConn, key: &str, rate: Rate) -> Result<(), ApiError> {
    crate::db::write_tx(conn, |c| {
        let now = crate::db::now(c)?;
        let mut n = locked(c, key, rate, now)?;
        if n.count >= rate.limit as i32 {
            return Err(too_many(from_db(n.window_start) + rate.window(), now));
        }
        n.count += 1;
        store(c, key, &n)
    })
}

/// Gives back one request counted against `key` (one that turned out not to count,
/// such as a sign-in that succeeded).
pub fn give_back(conn: &mut DbConn, key: &str) -> Result<(), ApiError> {
    crate::db::write_tx(conn, |c| {
        diesel::update(th::table.find(key).filter(th::count.gt(0)))
            .set(th::count.eq(th::count - 1))
            .execute(c)?;
        Ok(())
    })
}

/// Forgets a key.
pub fn clear(conn: &mut DbConn, key: &str) -> Result<(), ApiError> {
    diesel::delete(th::table.find(key)).execute(conn)?;
    Ok(())
}

/// A 429 that says when to come back.
pub fn too_many(until: DateTime<Utc>, now: DateTime<Utc>) -> ApiError {
    ApiError::TooManyRequests {
        retry_after: (until - now).num_seconds().max(1) as u64,
    }
}

/// Drops counts whose window began more than a day ago and that hold nothing back,
/// in a transaction of its own (never beside a count it could race). Each instance's
/// worker calls it every few seconds, off the requests' path.
pub fn forget_old(conn: &mut DbConn) -> Result<(), ApiError> {
    crate::db::write_tx(conn, |c| {
        let now = crate::db::now(c)?;
        let cutoff = to_db(now - chrono::Duration::days(1));
        diesel::delete(
            th::table.filter(th::window_start.lt(cutoff)).filter(
                th::blocked_until
                    .is_null()
                    .or(th::blocked_until.lt(to_db(now))),
            ),
        )
        .execute(c)?;
        Ok(())
    })
}

/// The address limits count against: an IPv4 address itself, an IPv6 address by its
/// /64 network (one client is handed a whole /64, so counting single addresses there
/// would count nothing).
pub fn address_key(ip: IpAddr) -> String {
    match ip {
        IpAddr::V4(v4) => v4.to_string(),
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => v4.to_string(),
            None => {
                let s = v6.segments();
                format!("{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3])
            }
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ipv6_addresses_count_by_their_network() {
        let a: IpAddr = "2001:db8:1:2:aaaa::1"
            .parse()
            .unwrap_or(IpAddr::from([0; 4]));
        let b: IpAddr = "2001:db8:1:2:bbbb::9"
            .parse()
            .unwrap_or(IpAddr::from([0; 4]));
        assert_eq!(address_key(a), address_key(b));
        assert_eq!(address_key(a), "2001:db8:1:2::/64");
        let v4: IpAddr = "::ffff:10.0.0.7".parse().unwrap_or(IpAddr::from([0; 4]));
        assert_eq!(address_key(v4), "10.0.0.7");
    }
}
