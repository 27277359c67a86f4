//! The outbox table: messages written in the transaction of the change they tell of,
//! taken by a worker on any instance under a lease in database time, and ended as
//! sent, or failed after their retries.

use chrono::Duration;
use diesel::prelude::*;

use super::messages::Mail;
use crate::db::DbConn;
use crate::db::schema::{outbox as ob, users, webhook_endpoints as we};
use crate::error::ApiError;
use crate::time::{from_db, to_db};

/// Attempts before an email that keeps failing is given up.
pub const MOST_ATTEMPTS: i32 = 10;
/// Attempts before a webhook delivery is given up: with the backoff, about a day.
pub const MOST_WEBHOOK_ATTEMPTS: i32 = 12;

/// What a message is at.
pub mod state {
    /// Waiting for its (next) attempt.
    pub const QUEUED: &str = "queued";
    /// Taken by a worker, which holds it until its lease runs out.
    pub const SENDING: &str = "sending";
    /// Accepted by the SMTP server.
    pub const SENT: &str = "sent";
    /// Given up: refused for good, or failed every attempt.
    pub const FAILED: &str = "failed";
    /// Every state, for filters.
    pub const ALL: [&str; 4] = [QUEUED, SENDING, SENT, FAILED];
}

/// Owes an account an email in the current transaction: once per `dedupe_key` (a
/// second message for the same event and account is not written), to the account's
/// own address. An account without one gets none.
pub fn email_account(
    c: &mut DbConn,
    meeting_id: Option<i64>,
    user_id: i64,
    dedupe_key: &str,
    mail: &Mail,
) -> Result<(), ApiError> {
    let email: Option<String> = users::table
        .find(user_id)
        .select(users::email)
        .first(c)
        .optional()?;
    let Some(email) = email else {
        return Ok(());
    };
    email_address(c, meeting_id, Some(user_id), &email, dedupe_key, mail)
}

/// Owes an address an email in the current transaction, once per `dedupe_key`; for
/// people who have no account (a session's speakers), `user_id` is `None`.
pub fn email_address(
    c: &mut DbConn,
    meeting_id: Option<i64>,
    user_id: Option<i64>,
    email: &str,
    dedupe_key: &str,
    mail: &Mail,
) -> Result<(), ApiError> {
    let data = serde_json::to_string(mail).map_err(|e| ApiError::Internal(e.into()))?;
    let at = to_db(crate::db::now(c)?);
    crate::with_backend!(c, |b| diesel::insert_into(ob::table)
        .values((
            ob::meeting_id.eq(meeting_id),
            ob::channel.eq("email"),
            ob::kind.eq(mail.template()),
            ob::dedupe_key.eq(dedupe_key),
            ob::user_id.eq(user_id),
            ob::recipient.eq(email),
            ob::template.eq(mail.template()),
            ob::data.eq(&data),
            ob::state.eq(state::QUEUED),
            ob::attempts.eq(0),
            ob::next_attempt_at.eq(at),
            ob::created_at.eq(at),
        ))
        .on_conflict(ob::dedupe_key)
        .do_nothing()
        .execute(b))?;
    Ok(())
}

/// What a taken message carries.
#[derive(Debug, Clone)]
pub enum Carried {
    /// An email's data.
    Email(Mail),
    /// A webhook delivery's body, for an endpoint.
    Webhook {
        /// The endpoint.
        endpoint_id: i64,
        /// The JSON body, as it is signed and sent.
        body: String,
    },
}

/// A message a worker holds.
#[derive(Debug, Clone)]
pub struct Taken {
    /// Its id.
    pub id: i64,
    /// To whom (an address or an endpoint's URL).
    pub recipient: String,
    /// What it carries.
    pub carried: Carried,
    /// The attempt this is (from 1).
    pub attempt: i32,
}

/// Takes the oldest message due on one of `channels` (queued and due, or held by a
/// worker whose lease ran out) for `instance`, for `lease`; `None` when none is due.
/// A webhook delivery waits while its endpoint is disabled. Two workers never hold
/// one message: the take is a compare-and-set on its state and attempts.
pub fn take(
    c: &mut DbConn,
    instance: &str,
    lease: Duration,
    channels: &[&str],
) -> Result<Option<Taken>, ApiError> {
    let now = to_db(crate::db::now(c)?);
    for _ in 0..5 {
        type Due = (i64, String, i32, String, String, String, Option<i64>);
        let due: Option<Due> = ob::table
            .left_join(we::table)
            .filter(ob::channel.eq_any(channels))
            .filter(ob::endpoint_id.is_null().or(we::active.nullable().eq(true)))
            .filter(
                ob::state
                    .eq(state::QUEUED)
                    .and(ob::next_attempt_at.le(now))
                    .or(ob::state.eq(state::SENDING).and(ob::lease_until.lt(now))),
            )
            .order(ob::id)
            .select((
                ob::id,
                ob::state,
                ob::attempts,
                ob::recipient,
                ob::data,
                ob::channel,
                ob::endpoint_id,
            ))
            .first(c)
            .optional()?;
        let Some((id, was, attempts, recipient, data, channel, endpoint_id)) = due else {
            return Ok(None);
        };
        let n = diesel::update(
            ob::table
                .find(id)
                .filter(ob::state.eq(&was))
                .filter(ob::attempts.eq(attempts)),
        )
        .set((
            ob::state.eq(state::SENDING),
            ob::attempts.eq(attempts + 1),
            ob::lease_until.eq(Some(now + lease)),
            ob::leased_by.eq(Some(instance)),
        ))
        .execute(c)?;
        if n == 1 {
            let carried = match (channel.as_str(), endpoint_id) {
                ("webhook", Some(endpoint_id)) => Carried::Webhook {
                    endpoint_id,
                    body: data,
                },
                _ => match serde_json::from_str(&data) {
                    Ok(mail) => Carried::Email(mail),
                    Err(e) => {
                        // It will never read: given up at once, with the reason, rather
                        // than taken again after every lease.
                        diesel::update(ob::table.find(id))
                            .set((
                                ob::state.eq(state::FAILED),
                                ob::lease_until.eq(None::<chrono::NaiveDateTime>),
                                ob::last_error
                                    .eq(Some(format!("the stored message does not read: {e}"))),
                            ))
                            .execute(c)?;
                        tracing::error!(message = id, error = %e, "an outbox message does not read; given up");
                        continue;
                    }
                },
            };
            return Ok(Some(Taken {
                id,
                recipient,
                carried,
                attempt: attempts + 1,
            }));
        }
        // Another worker took it first: look again.
    }
    Ok(None)
}

/// How long to wait after the `attempt`-th failure: `base` seconds (30 by default),
/// doubling, at most 6 h.
pub fn backoff(attempt: i32, base: u64) -> Duration {
    let base = i64::try_from(base).unwrap_or(30);
    let doubled = base.saturating_mul(1i64 << attempt.clamp(1, 20).saturating_sub(1));
    Duration::seconds(doubled.min(6 * 3600))
}

/// Ends a message the worker held: sent, or failed with the error (queued again after
/// its backoff, or given up when `permanent` or out of attempts). Only the holder may:
/// answers whether this worker still held it.
pub fn finish(
    c: &mut DbConn,
    instance: &str,
    taken: &Taken,
    outcome: Result<(), (String, bool)>,
    retry_base: u64,
) -> Result<bool, ApiError> {
    let now = crate::db::now(c)?;
    let held = ob::table
        .find(taken.id)
        .filter(ob::state.eq(state::SENDING))
        .filter(ob::leased_by.eq(instance))
        .filter(ob::attempts.eq(taken.attempt));
    let ended = match &outcome {
        Ok(()) => true,
        Err((_, permanent)) => {
            let most = match taken.carried {
                Carried::Email(_) => MOST_ATTEMPTS,
                Carried::Webhook { .. } => MOST_WEBHOOK_ATTEMPTS,
            };
            *permanent || taken.attempt >= most
        }
    };
    let n = match outcome {
        Ok(()) => diesel::update(held)
            .set((
                ob::state.eq(state::SENT),
                ob::sent_at.eq(Some(to_db(now))),
                ob::lease_until.eq(None::<chrono::NaiveDateTime>),
                ob::last_error.eq(None::<String>),
            ))
            .execute(c)?,
        Err((error, _)) => {
            let give_up = ended;
            diesel::update(held)
                .set((
                    ob::state.eq(if give_up {
                        state::FAILED
                    } else {
                        state::QUEUED
                    }),
                    ob::next_attempt_at.eq(to_db(now + backoff(taken.attempt, retry_base))),
                    ob::lease_until.eq(None::<chrono::NaiveDateTime>),
                    ob::last_error.eq(Some(error.chars().take(500).collect::<String>())),
                ))
                .execute(c)?
        }
    };
    // A message that carried a secret (a confirmation or reset link) keeps none once
    // it has been sent or given up.
    if n == 1
        && ended
        && let Carried::Email(mail) = &taken.carried
        && let Some(clean) = mail.without_secret()
    {
        let data = serde_json::to_string(&clean).map_err(|e| ApiError::Internal(e.into()))?;
        diesel::update(ob::table.find(taken.id))
            .set(ob::data.eq(data))
            .execute(c)?;
    }
    if n == 0 {
        // Its lease ran out while it was being sent, and another worker has it now.
        tracing::warn!(
            message = taken.id,
            attempt = taken.attempt,
            "the outbox message was no longer held when its attempt ended"
        );
    }
    Ok(n == 1)
}

/// A message as the secretariat sees it.
#[derive(Debug, Clone, serde::Serialize)]
pub struct MessageView {
    /// Id.
    pub id: i64,
    /// `email`.
    pub channel: String,
    /// What it tells: `submitted`, `outcome`, `assignments`.
    pub kind: String,
    /// The address it goes to.
    pub recipient: String,
    /// Its subject.
    pub subject: String,
    /// `queued`, `sending`, `sent` or `failed`.
    pub state: String,
    /// Attempts made.
    pub attempts: i32,
    /// Why the last attempt failed, if it did.
    pub last_error: Option<String>,
    /// When it was written, RFC 3339 UTC.
    pub created_at: String,
    /// When it is next tried (queued ones), RFC 3339 UTC.
    pub next_attempt_at: Option<String>,
    /// When the server accepted it, RFC 3339 UTC.
    pub sent_at: Option<String>,
}

type Row = (
    i64,
    String,
    String,
    String,
    String,
    String,
    i32,
    Option<String>,
    chrono::NaiveDateTime,
    chrono::NaiveDateTime,
    Option<chrono::NaiveDateTime>,
);

/// A page of a meeting's messages (`None`: the accounts' own, which belong to no
/// meeting), newest first, optionally of one state and kind.
pub fn list(
    c: &mut DbConn,
    meeting_id: Option<i64>,
    only_state: Option<&str>,
    only_kind: Option<&str>,
    page: crate::page::Page,
) -> Result<(Vec<MessageView>, i64), ApiError> {
    let filtered = || {
        let mut q = match meeting_id {
            Some(m) => ob::table.filter(ob::meeting_id.eq(m)).into_boxed(),
            None => ob::table.filter(ob::meeting_id.is_null()).into_boxed(),
        };
        if let Some(s) = only_state {
            q = q.filter(ob::state.eq(s.to_string()));
        }
        if let Some(k) = only_kind {
            q = q.filter(ob::kind.eq(k.to_string()));
        }
        q
    };
    let total: i64 = filtered().count().get_result(c)?;
    let rows: Vec<Row> = filtered()
        .order(ob::id.desc())
        .offset(page.offset())
        .limit(page.per_page)
        .select((
            ob::id,
            ob::channel,
            ob::kind,
            ob::recipient,
            ob::data,
            ob::state,
            ob::attempts,
            ob::last_error,
            ob::created_at,
            ob::next_attempt_at,
            ob::sent_at,
        ))
        .load(c)?;
    let stamp =
        |t: chrono::NaiveDateTime| from_db(t).to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    let items = rows
        .into_iter()
        .map(
            |(
                id,
                channel,
                kind,
                recipient,
                data,
                st,
                attempts,
                last_error,
                created,
                next,
                sent,
            )| {
                let subject = if channel == "webhook" {
                    kind.clone()
                } else {
                    serde_json::from_str::<Mail>(&data)
                        .ok()
                        .and_then(|m| super::messages::render(&m, "").ok())
                        .map(|r| r.subject)
                        .unwrap_or_default()
                };
                MessageView {
                    id,
                    channel,
                    kind,
                    recipient,
                    subject,
                    next_attempt_at: (st == state::QUEUED).then(|| stamp(next)),
                    state: st,
                    attempts,
                    last_error,
                    created_at: stamp(created),
                    sent_at: sent.map(stamp),
                }
            },
        )
        .collect();
    Ok((items, total))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_from_half_a_minute_to_six_hours() {
        assert_eq!(backoff(1, 30), Duration::seconds(30));
        assert_eq!(backoff(2, 30), Duration::seconds(60));
        assert_eq!(backoff(5, 30), Duration::seconds(480));
        assert_eq!(backoff(10, 30), Duration::seconds(15_360));
        assert_eq!(backoff(11, 30), Duration::seconds(6 * 3600));
        assert_eq!(backoff(40, 30), Duration::seconds(6 * 3600));
        assert_eq!(backoff(3, 1), Duration::seconds(4));
    }
}
