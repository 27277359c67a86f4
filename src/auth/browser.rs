//! Sign-ins of the working pages. A browser signs in with the same email, password and
//! limits as the API ([`super::service::check_sign_in`]) and keeps a secret in an
//! HttpOnly cookie. The database keeps the secret's digest, the CSRF token of that
//! browser's forms and the account's token version at sign-in, so that signing out ends
//! the sign-in on every instance, and whatever ends the API's tokens (a password
//! change, signing out everywhere, a role change, deactivation) ends it too.

use chrono::Duration;
use diesel::prelude::*;

use super::queries::User;
use super::service::{self, stored_role};
use super::types::{ChangePasswordRequest, LoginRequest, RegisterRequest};
use super::{AuthUser, limit::SignInRules};
use crate::db::schema::{users, web_sessions as ws};
use crate::db::{DbConn, DbPool};
use crate::error::ApiError;
use crate::secret::{digest, new_token, same};
use crate::time::{from_db, to_db};

/// How long a sign-in lasts: a working day with room to spare.
pub const LIFETIME: Duration = Duration::hours(12);

/// A signed-in browser: who it is and the token its forms must carry.
#[derive(Debug, Clone)]
pub struct Browser {
    /// The account, with its current role.
    pub user: AuthUser,
    /// The account's name, for the pages' header.
    pub name: String,
    /// The token every form of this sign-in carries.
    pub csrf: String,
}

/// A new sign-in: the secret for the browser's cookie (shown to no one else) and the
/// browser it signs in.
pub struct Started {
    /// The cookie's value.
    pub secret: String,
    /// Who is signed in.
    pub browser: Browser,
}

/// Starts a sign-in for an account the caller has just authenticated, ending the one
/// this browser held before (`replacing`, its cookie's secret), if any, in the same
/// transaction.
fn start(conn: &mut DbConn, user: &User, replacing: Option<&str>) -> Result<Started, ApiError> {
    let secret = new_token()?;
    let csrf = new_token()?;
    let role = stored_role(user)?;
    crate::db::write_tx(conn, |c| {
        if let Some(old) = replacing {
            diesel::delete(ws::table.filter(ws::key_hash.eq(digest(old)))).execute(c)?;
        }
        let now = crate::db::now(c)?;
        diesel::insert_into(ws::table)
            .values((
                ws::key_hash.eq(digest(&secret)),
                ws::user_id.eq(user.id),
                ws::token_version.eq(user.token_version),
                ws::csrf.eq(&csrf),
                ws::created_at.eq(to_db(now)),
                ws::expires_at.eq(to_db(now + LIFETIME)),
            ))
            .execute(c)?;
        Ok(())
    })?;
    Ok(Started {
        secret,
        browser: Browser {
            user: AuthUser { id: user.id, role },
            name: user.name.clone(),
            csrf,
        },
    })
}

/// Signs a browser in with an email and password, within the API's sign-in limits;
/// the sign-in it held before (`replacing`) ends.
pub fn sign_in(
    pool: &DbPool,
    rules: SignInRules,
    address: &str,
    input: &LoginRequest,
    replacing: Option<&str>,
) -> Result<Started, ApiError> {
    let user = service::check_sign_in(pool, rules, address, input)?;
    start(&mut *pool.get()?, &user, replacing)
}

/// Registers a proposer account (the API's [`service::register`], with its limits)
/// and signs this browser in to it where it may sign in at once (no email is sent,
/// and the password is the account's): `None` when it may not, which the page tells
/// in words that do not say whether the address had an account.
pub fn register(
    pool: &DbPool,
    rules: SignInRules,
    address: &str,
    per_hour: u32,
    input: &RegisterRequest,
) -> Result<Option<Started>, ApiError> {
    service::register(pool, address, per_hour, rules.confirmed_only, input)?;
    if rules.confirmed_only {
        return Ok(None);
    }
    let login = LoginRequest {
        email: input.email.clone(),
        password: input.password.clone(),
    };
    match sign_in(pool, rules, address, &login, None) {
        Ok(started) => Ok(Some(started)),
        Err(ApiError::Unauthorized(_)) => Ok(None),
        Err(e) => Err(e),
    }
}

/// Confirms an address through its link with the account's password (the API's
/// [`super::recovery::confirm_email`]) and signs this browser in.
pub fn confirm_email(
    pool: &DbPool,
    rules: SignInRules,
    address: &str,
    input: &super::types::ConfirmEmailRequest,
    replacing: Option<&str>,
) -> Result<Started, ApiError> {
    let user = super::recovery::confirm_email(pool, rules, address, input)?;
    start(&mut *pool.get()?, &user, replacing)
}

/// Sets a new password through its link (the API's [`service::reset_through_link`])
/// and signs this browser in.
pub fn reset_password(
    pool: &DbPool,
    input: &super::types::ResetPasswordRequest,
    replacing: Option<&str>,
) -> Result<Started, ApiError> {
    let user = service::reset_through_link(pool, input)?;
    start(&mut *pool.get()?, &user, replacing)
}

/// The signed-in browser a cookie's secret names, if its sign-in is still good: not
/// expired (by the database's clock), not signed out, its account active and at the
/// token version it signed in with.
pub fn find(conn: &mut DbConn, secret: &str) -> Result<Option<Browser>, ApiError> {
    if secret.len() != 64 {
        return Ok(None);
    }
    let now = crate::db::now(conn)?;
    let row: Option<(i32, String, chrono::NaiveDateTime, User)> = ws::table
        .inner_join(users::table)
        .filter(ws::key_hash.eq(digest(secret)))
        .select((
            ws::token_version,
            ws::csrf,
            ws::expires_at,
            User::as_select(),
        ))
        .first(conn)
        .optional()?;
    Ok(match row {
        Some((version, csrf, expires, user))
            if user.active && user.token_version == version && from_db(expires) > now =>
        {
            Some(Browser {
                user: AuthUser {
                    id: user.id,
                    role: stored_role(&user)?,
                },
                name: user.name,
                csrf,
            })
        }
        _ => None,
    })
}

/// Whether a form's token is this sign-in's.
pub fn form_is_ours(browser: &Browser, sent: Option<&str>) -> bool {
    sent.is_some_and(|t| same(t, &browser.csrf))
}

/// Ends this browser's sign-in (on every instance: the row is gone).
pub fn sign_out(conn: &mut DbConn, secret: &str) -> Result<(), ApiError> {
    diesel::delete(ws::table.filter(ws::key_hash.eq(digest(secret)))).execute(conn)?;
    Ok(())
}

/// Ends every sign-in of the account, the API's tokens and every browser's, this one
/// included.
pub fn sign_out_everywhere(conn: &mut DbConn, actor: &AuthUser) -> Result<(), ApiError> {
    service::sign_out_everywhere(conn, actor)?;
    diesel::delete(ws::table.filter(ws::user_id.eq(actor.id))).execute(conn)?;
    Ok(())
}

/// Changes the password (the API's [`service::set_new_password`]: every other sign-in
/// and token ends) and signs this browser in again under the new token version.
pub fn change_password(
    pool: &DbPool,
    rules: SignInRules,
    address: &str,
    actor: &AuthUser,
    input: &ChangePasswordRequest,
) -> Result<Started, ApiError> {
    let user = service::set_new_password(pool, rules, address, actor, input)?;
    let mut c = pool.get()?;
    diesel::delete(ws::table.filter(ws::user_id.eq(actor.id))).execute(&mut c)?;
    start(&mut c, &user, None)
}

/// Forgets sign-ins that have expired or been ended (the worker beat calls this).
pub fn forget_ended(conn: &mut DbConn) -> Result<(), ApiError> {
    let now = crate::db::now(conn)?;
    diesel::delete(ws::table.filter(ws::expires_at.lt(to_db(now)))).execute(conn)?;
    let ended = users::table.filter(users::id.eq(ws::user_id)).filter(
        users::active
            .eq(false)
            .or(users::token_version.ne(ws::token_version)),
    );
    diesel::delete(ws::table.filter(diesel::dsl::exists(ended))).execute(conn)?;
    Ok(())
}
