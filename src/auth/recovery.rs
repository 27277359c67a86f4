//! Proving that an address is the account's own: the link a new account's address is
//! sent, and the link that sets a new password. Each link carries a single-use secret
//! of which only a digest is stored; it expires, and a newer link of the same purpose
//! ends the older. No answer here tells whether an address has an account.

use chrono::Duration;
use diesel::prelude::*;
use serde_json::json;

use super::limit::{self, Attempt, SignInRules};
use super::queries::{self, User};
use super::types::{ConfirmEmailRequest, ResetPasswordRequest, ResetRequest};
use crate::audit;
use crate::db::schema::{account_tokens as at, users};
use crate::db::{DbConn, DbPool};
use crate::error::ApiError;
use crate::notify::messages::Mail;
use crate::notify::outbox;
use crate::secret::{digest, new_token};
use crate::time::to_db;
use crate::validate::{Checker, normalise_email};

/// Hours a confirmation link works.
pub const CONFIRM_HOURS: i64 = 72;
/// Minutes a password-reset link works.
pub const RESET_MINUTES: i64 = 60;
/// Reset links one account is sent in an hour, however often they are asked for.
const RESETS_PER_ACCOUNT_HOUR: u32 = 3;

/// What a link is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Purpose {
    ConfirmEmail,
    ResetPassword,
}

impl Purpose {
    fn as_str(self) -> &'static str {
        match self {
            Purpose::ConfirmEmail => "confirm_email",
            Purpose::ResetPassword => "reset_password",
        }
    }
}

/// Issues a link's secret for an account in the current transaction; the account's
/// unused links of the same purpose stop working.
fn issue(
    c: &mut DbConn,
    user_id: i64,
    purpose: Purpose,
    ttl: Duration,
) -> Result<String, ApiError> {
    // Two requests at once end each other's links one after the other, not beside.
    queries::find_for_update(c, user_id)?;
    let now = crate::db::now(c)?;
    diesel::update(
        at::table
            .filter(at::user_id.eq(user_id))
            .filter(at::purpose.eq(purpose.as_str()))
            .filter(at::used_at.is_null()),
    )
    .set(at::used_at.eq(Some(to_db(now))))
    .execute(c)?;
    let token = new_token()?;
    diesel::insert_into(at::table)
        .values((
            at::user_id.eq(user_id),
            at::purpose.eq(purpose.as_str()),
            at::digest.eq(digest(&token)),
            at::expires_at.eq(to_db(now + ttl)),
            at::created_at.eq(to_db(now)),
        ))
        .execute(c)?;
    Ok(token)
}

/// The refusal of a link that is unknown, used, ended by a newer one or expired.
fn dead_link() -> ApiError {
    ApiError::field(
        "token",
        "expired",
        "this link has expired or has been used; ask for a new one",
    )
}

/// The account a live secret was issued to, without using it up.
fn holder(c: &mut DbConn, token: &str, purpose: Purpose) -> Result<User, ApiError> {
    let now = to_db(crate::db::now(c)?);
    let id: Option<i64> = at::table
        .filter(at::digest.eq(digest(token)))
        .filter(at::purpose.eq(purpose.as_str()))
        .filter(at::used_at.is_null())
        .filter(at::expires_at.gt(now))
        .select(at::user_id)
        .first(c)
        .optional()?;
    let id = id.ok_or_else(dead_link)?;
    queries::find_by_id(c, id)?.ok_or_else(dead_link)
}

/// Uses a live secret up in the current transaction: only one use of it succeeds,
/// however many are made at once.
fn use_up(c: &mut DbConn, token: &str, purpose: Purpose) -> Result<(), ApiError> {
    let now = to_db(crate::db::now(c)?);
    let n = diesel::update(
        at::table
            .filter(at::digest.eq(digest(token)))
            .filter(at::purpose.eq(purpose.as_str()))
            .filter(at::used_at.is_null())
            .filter(at::expires_at.gt(now)),
    )
    .set(at::used_at.eq(Some(now)))
    .execute(c)?;
    if n == 1 { Ok(()) } else { Err(dead_link()) }
}

/// Marks an account's address as its own (if it was not already).
fn mark_confirmed(c: &mut DbConn, user_id: i64) -> Result<(), ApiError> {
    let now = to_db(crate::db::now(c)?);
    diesel::update(
        users::table
            .find(user_id)
            .filter(users::email_confirmed_at.is_null()),
    )
    .set(users::email_confirmed_at.eq(Some(now)))
    .execute(c)?;
    Ok(())
}

/// Owes a new account the link that confirms its address, in the current transaction.
pub fn owe_confirmation(
    c: &mut DbConn,
    user_id: i64,
    name: &str,
    email: &str,
) -> Result<(), ApiError> {
    let token = issue(
        c,
        user_id,
        Purpose::ConfirmEmail,
        Duration::hours(CONFIRM_HOURS),
    )?;
    let key = format!("confirm-email:{}", &digest(&token)[..16]);
    let mail = Mail::ConfirmEmail {
        name: name.to_string(),
        token,
        hours: CONFIRM_HOURS,
    };
    outbox::email_address(c, None, Some(user_id), email, &key, &mail)
}

/// Tells the holder of an address that someone tried to register with it: at most
/// once an hour, so that nobody can flood a mailbox through registration.
pub fn owe_account_exists(c: &mut DbConn, u: &User) -> Result<(), ApiError> {
    let hour = crate::db::now(c)?.timestamp() / 3600;
    let mail = Mail::AccountExists {
        name: u.name.clone(),
    };
    outbox::email_address(
        c,
        None,
        Some(u.id),
        &u.email,
        &format!("account-exists:{}:{hour}", u.id),
        &mail,
    )
}

/// Confirms the address a confirmation link was sent to, with the account's
/// password (so a link sent for an account someone else registered with the address
/// does not hand that account to the address's holder without its password: they
/// set a new one instead), and signs the account in. Wrong passwords count against
/// the sign-in limits.
pub fn confirm_email(
    pool: &DbPool,
    rules: SignInRules,
    address: &str,
    input: &ConfirmEmailRequest,
) -> Result<User, ApiError> {
    let user = holder(&mut *pool.get()?, &input.token, Purpose::ConfirmEmail)?;
    if !user.active {
        return Err(dead_link());
    }
    let attempt = Attempt::new(&user.email, address);
    limit::reserve(&mut *pool.get()?, rules, &attempt)?;
    if !super::password::verify(&input.password, &user.password_hash)? {
        return Err(ApiError::field(
            "password",
            "incorrect",
            "this is not the password the account was registered with; if you did not register it, ask for a new password",
        ));
    }
    let mut conn = pool.get()?;
    let confirmed = crate::db::write_tx(&mut conn, |c| {
        let now = queries::find_for_update(c, user.id)?.ok_or_else(dead_link)?;
        if !now.active {
            return Err(dead_link());
        }
        use_up(c, &input.token, Purpose::ConfirmEmail)?;
        mark_confirmed(c, user.id)?;
        audit::record(
            c,
            Some(user.id),
            "user.confirm_email",
            "user",
            user.id,
            None,
            json!({"email": user.email}),
        )?;
        queries::find_by_id(c, user.id)?.ok_or(ApiError::NotFound("user"))
    })?;
    limit::succeeded(&mut conn, &attempt)?;
    Ok(confirmed)
}

/// Anyone asks for a link to set a new password: the answer is the same whether or
/// not the address has an account. Where email is sent, an active account is sent
/// the link (at most three an hour for each asking address); the asking address is
/// held to the registration limit.
pub fn request_reset(
    pool: &DbPool,
    address: &str,
    per_hour: u32,
    mails: bool,
    input: &ResetRequest,
) -> Result<(), ApiError> {
    let mut c = Checker::new();
    c.email("email", &input.email);
    c.finish()?;
    let mut conn = pool.get()?;
    crate::throttle::take(
        &mut conn,
        &format!("reset:{address}"),
        crate::throttle::Rate::per(per_hour, 3600),
    )?;
    // Without email no link could reach anyone: none is made.
    if !mails {
        return Ok(());
    }
    let email = normalise_email(&input.email);
    let Some(u) = queries::find_by_email(&mut conn, &email)? else {
        return Ok(());
    };
    if !u.active {
        return Ok(());
    }
    // More links than that in an hour are not sent, and nobody is told.
    if crate::throttle::take(
        &mut conn,
        // Counted per asking address too, so that others asking for links to an
        // address cannot use up its holder's.
        &format!("reset-account:{}:{address}", u.id),
        crate::throttle::Rate::per(RESETS_PER_ACCOUNT_HOUR, 3600),
    )
    .is_err()
    {
        return Ok(());
    }
    crate::db::write_tx(&mut conn, |c| {
        let token = issue(
            c,
            u.id,
            Purpose::ResetPassword,
            Duration::minutes(RESET_MINUTES),
        )?;
        let key = format!("password-reset:{}", &digest(&token)[..16]);
        let mail = Mail::PasswordReset {
            name: u.name.clone(),
            token,
            minutes: RESET_MINUTES,
        };
        outbox::email_address(c, None, Some(u.id), &u.email, &key, &mail)
    })
}

/// Sets a new password (checked by the caller) through a reset link: the link is used up, every earlier
/// token and sign-in of the account ends, its address counts as confirmed (the link
/// reached it), and the account is signed in.
pub fn reset_password(pool: &DbPool, input: &ResetPasswordRequest) -> Result<User, ApiError> {
    let user = holder(&mut *pool.get()?, &input.token, Purpose::ResetPassword)?;
    let hash = super::password::hash(&input.password)?;
    let mut conn = pool.get()?;
    crate::db::write_tx(&mut conn, |c| {
        // Deactivated since the link was sent: nothing changes.
        let now = queries::find_for_update(c, user.id)?.ok_or_else(dead_link)?;
        if !now.active {
            return Err(dead_link());
        }
        use_up(c, &input.token, Purpose::ResetPassword)?;
        queries::set_password(c, user.id, &hash)?;
        mark_confirmed(c, user.id)?;
        audit::record(
            c,
            Some(user.id),
            "user.password_reset",
            "user",
            user.id,
            None,
            json!({"tokens_ended": true}),
        )?;
        queries::find_by_id(c, user.id)?.ok_or(ApiError::NotFound("user"))
    })
}
