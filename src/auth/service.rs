//! Account use cases: register, sign in, read oneself, and the secretariat's account
//! management; and authenticating a bearer token. Each decides who may act, checks its
//! input and writes in one transaction; the API's handlers and the command line call
//! them. Password hashing is deliberately slow, so the functions that hash take the
//! pool and hold no connection while they hash; call them off the async executor.

use serde_json::json;

use super::jwt::{IssuedToken, JwtKeys};
use super::limit::{self, Attempt, SignInRules};
use super::queries::{self, NewUser, User};
use super::types::{
    ChangePasswordRequest, ConfirmEmailRequest, CreateUserRequest, ListUsersQuery, LoginRequest,
    RegisterRequest, ResetPasswordRequest, UpdateUserRequest, UserResponse,
};
use super::{AuthUser, Role, password, recovery};
use crate::audit;
use crate::db::{DbConn, DbPool};
use crate::error::{ApiError, Code};
use crate::page::{Page, Paginated};
use crate::validate::{Checker, normalise_email};

fn check_account(email: &str, name: &str, pw: &str) -> Result<(), ApiError> {
    let mut c = Checker::new();
    c.email("email", email);
    c.text("name", name, 200);
    check_new_password(&mut c, "password", pw);
    c.finish()
}

/// Checks a new password's length, under `field`.
fn check_new_password(c: &mut Checker, field: &str, pw: &str) {
    let n = pw.chars().count();
    if n < password::MIN_LENGTH {
        c.add(
            field,
            "min_length",
            format!(
                "{field} must have at least {} characters",
                password::MIN_LENGTH
            ),
        );
    }
    if n > password::MAX_LENGTH {
        c.add(
            field,
            "max_length",
            format!(
                "{field} must have at most {} characters",
                password::MAX_LENGTH
            ),
        );
    }
}

/// Creates an account (any role) inside a transaction with its audit entry, from a
/// password already hashed: for the demo and for callers that hashed it themselves.
/// Its address counts as confirmed: whoever makes an account this way vouches for it.
pub fn create_account(
    conn: &mut DbConn,
    actor: Option<i64>,
    email: &str,
    name: &str,
    password_hash: &str,
    role: Role,
) -> Result<i64, ApiError> {
    crate::db::write_tx(conn, |c| {
        insert_account(c, actor, email, name, password_hash, role, true)
    })
}

/// Inserts an account with its audit entry in the current transaction; `confirmed`
/// says whether its address counts as its own from the start.
fn insert_account(
    c: &mut DbConn,
    actor: Option<i64>,
    email: &str,
    name: &str,
    password_hash: &str,
    role: Role,
    confirmed: bool,
) -> Result<i64, ApiError> {
    let email = normalise_email(email);
    let now = crate::time::to_db(crate::time::now());
    let id = queries::insert(
        c,
        &NewUser {
            email: &email,
            name: name.trim(),
            password_hash,
            role: role.as_str(),
            active: true,
            created_at: now,
            email_confirmed_at: confirmed.then_some(now),
        },
    )?;
    audit::record(
        c,
        actor.or(Some(id)),
        "user.create",
        "user",
        id,
        None,
        json!({"email": email, "role": role, "email_confirmed": confirmed}),
    )?;
    Ok(id)
}

/// Checks, hashes and stores a new account, then reads it back.
fn add_account(
    pool: &DbPool,
    actor: Option<i64>,
    email: &str,
    name: &str,
    pw: &str,
    role: Role,
) -> Result<UserResponse, ApiError> {
    check_account(email, name, pw)?;
    let hash = password::hash(pw)?;
    let mut c = pool.get()?;
    let id = create_account(&mut c, actor, email, name, &hash, role)?;
    let user = queries::find_by_id(&mut c, id)?.ok_or(ApiError::NotFound("user"))?;
    Ok(UserResponse::from(user))
}

/// Anyone registers a proposer account of their own, a limited number per client
/// address and hour (`address` is the client's address key, `per_hour` the limit).
/// The answer is the same whether or not the address has an account. Where email
/// is sent (`confirm`), a new account waits for its address to be confirmed through
/// the link it is sent, and the holder of an address that has an account is told
/// that someone tried; without email, a new account may sign in at once.
pub fn register(
    pool: &DbPool,
    address: &str,
    per_hour: u32,
    confirm: bool,
    input: &RegisterRequest,
) -> Result<(), ApiError> {
    check_account(&input.email, &input.name, &input.password)?;
    crate::throttle::take(
        &mut *pool.get()?,
        &format!("register:{address}"),
        crate::throttle::Rate::per(per_hour, 3600),
    )?;
    // Hashed whether or not the address has an account: the same work either way.
    let hash = password::hash(&input.password)?;
    let email = normalise_email(&input.email);
    let name = input.name.trim();
    let mut c = pool.get()?;
    let done = crate::db::write_tx(&mut c, |c| match queries::find_by_email(c, &email)? {
        Some(u) if confirm => recovery::owe_account_exists(c, &u),
        Some(_) => Ok(()),
        None => {
            let id = insert_account(c, None, &email, name, &hash, Role::Proposer, !confirm)?;
            if confirm {
                recovery::owe_confirmation(c, id, name, &email)?;
            }
            Ok(())
        }
    });
    match done {
        // Registered at the same moment by another request: it has an account now.
        Err(ApiError::Conflict { .. }) => Ok(()),
        other => other,
    }
}

/// The secretariat creates an account of any role (evaluators are made this way).
pub fn create_user(
    pool: &DbPool,
    actor: &AuthUser,
    input: &CreateUserRequest,
) -> Result<UserResponse, ApiError> {
    actor.require(Role::Secretariat)?;
    add_account(
        pool,
        Some(actor.id),
        &input.email,
        &input.name,
        &input.password,
        input.role,
    )
}

/// A signed-in account: its token and who it is (no `Debug`: the token is a secret).
pub struct SignedIn {
    /// The access token.
    pub token: IssuedToken,
    /// The account.
    pub user: UserResponse,
}

/// Why a sign-in failed, the same for every reason: no account, a wrong password, an
/// account disabled or one whose address is not confirmed yet.
pub const NOT_SIGNED_IN: &str =
    "the email or password is not correct, or the address is not confirmed yet";

/// Exchanges an email and password for an access token, within the sign-in limits
/// for the account and the client's address (its key, see [`crate::throttle`]).
pub fn login(
    pool: &DbPool,
    rules: SignInRules,
    keys: &JwtKeys,
    address: &str,
    input: &LoginRequest,
) -> Result<SignedIn, ApiError> {
    issue_for(keys, check_sign_in(pool, rules, address, input)?)
}

/// The active account an email and password name, within the sign-in limits for the
/// account and the client's address: what the API's tokens and the pages' sign-ins
/// are both made for.
pub fn check_sign_in(
    pool: &DbPool,
    rules: SignInRules,
    address: &str,
    input: &LoginRequest,
) -> Result<User, ApiError> {
    let email = normalise_email(&input.email);
    let attempt = Attempt::new(&email, address);
    let user = {
        let mut c = pool.get()?;
        limit::reserve(&mut c, rules, &attempt)?;
        queries::find_by_email(&mut c, &email)?
    };
    let user = match user {
        Some(u)
            if password::verify(&input.password, &u.password_hash)?
                && u.active
                && (u.email_confirmed_at.is_some() || !rules.confirmed_only) =>
        {
            u
        }
        found => {
            if found.is_none() {
                // Same work as for a real account, so timing does not reveal which
                // emails exist.
                let _ = password::verify(&input.password, password::decoy_hash())?;
            }
            return Err(ApiError::Unauthorized(NOT_SIGNED_IN));
        }
    };
    limit::succeeded(&mut *pool.get()?, &attempt)?;
    Ok(user)
}

/// An access token for an account that has just proved who it is.
pub fn issue_for(keys: &JwtKeys, user: User) -> Result<SignedIn, ApiError> {
    let role = stored_role(&user)?;
    let token = keys
        .issue(user.id, role, user.token_version)
        .map_err(ApiError::Internal)?;
    Ok(SignedIn {
        token,
        user: UserResponse::from(user),
    })
}

/// Confirms an address through its link (see [`recovery::confirm_email`]) and gives
/// the account an access token.
pub fn confirm_email(
    pool: &DbPool,
    rules: SignInRules,
    keys: &JwtKeys,
    address: &str,
    input: &ConfirmEmailRequest,
) -> Result<SignedIn, ApiError> {
    issue_for(keys, recovery::confirm_email(pool, rules, address, input)?)
}

/// Sets a new password through its link (see [`recovery::reset_password`]) and gives
/// the account an access token.
pub fn reset_password(
    pool: &DbPool,
    keys: &JwtKeys,
    input: &ResetPasswordRequest,
) -> Result<SignedIn, ApiError> {
    issue_for(keys, reset_through_link(pool, input)?)
}

/// Checks the new password, then sets it through its link (see
/// [`recovery::reset_password`]): for the API and the pages alike.
pub fn reset_through_link(pool: &DbPool, input: &ResetPasswordRequest) -> Result<User, ApiError> {
    let mut c = Checker::new();
    check_new_password(&mut c, "password", &input.password);
    c.finish()?;
    recovery::reset_password(pool, input)
}

/// The signed-in account changes its password, giving the current one (counted by
/// the sign-in limit like a sign-in, so a stolen token cannot guess it): every
/// earlier token stops working, and the answer carries a new one.
pub fn change_password(
    pool: &DbPool,
    rules: SignInRules,
    keys: &JwtKeys,
    address: &str,
    actor: &AuthUser,
    input: &ChangePasswordRequest,
) -> Result<SignedIn, ApiError> {
    issue_for(keys, set_new_password(pool, rules, address, actor, input)?)
}

/// Changes the signed-in account's password (see [`change_password`]) and returns the
/// account at its new token version, for whatever sign-in replaces the ended ones.
pub fn set_new_password(
    pool: &DbPool,
    rules: SignInRules,
    address: &str,
    actor: &AuthUser,
    input: &ChangePasswordRequest,
) -> Result<User, ApiError> {
    let mut c = Checker::new();
    check_new_password(&mut c, "new_password", &input.new_password);
    if input.new_password == input.current_password {
        c.add(
            "new_password",
            "unchanged",
            "new_password must differ from current_password",
        );
    }
    c.finish()?;
    let user = {
        let mut c = pool.get()?;
        let u = queries::find_by_id(&mut c, actor.id)?.ok_or(ApiError::NotFound("user"))?;
        limit::reserve(&mut c, rules, &Attempt::new(&u.email, address))?;
        u
    };
    if !password::verify(&input.current_password, &user.password_hash)? {
        return Err(ApiError::field(
            "current_password",
            "incorrect",
            "current_password is not this account's password",
        ));
    }
    let hash = password::hash(&input.new_password)?;
    let mut conn = pool.get()?;
    limit::succeeded(&mut conn, &Attempt::new(&user.email, address))?;
    crate::db::write_tx(&mut conn, |c| {
        queries::set_password(c, actor.id, &hash)?;
        audit::record(
            c,
            Some(actor.id),
            "user.password",
            "user",
            actor.id,
            None,
            json!({"tokens_ended": true}),
        )?;
        queries::find_by_id(c, actor.id)?.ok_or(ApiError::NotFound("user"))
    })
}

/// Signs the account out everywhere: every token made for it so far stops working.
pub fn sign_out_everywhere(conn: &mut DbConn, actor: &AuthUser) -> Result<(), ApiError> {
    crate::db::write_tx(conn, |c| {
        queries::end_tokens(c, actor.id)?;
        audit::record(
            c,
            Some(actor.id),
            "user.sign_out",
            "user",
            actor.id,
            None,
            json!({"tokens_ended": true}),
        )
    })
}

/// The signed-in account itself.
pub fn me(conn: &mut DbConn, actor: &AuthUser) -> Result<UserResponse, ApiError> {
    let u = queries::find_by_id(conn, actor.id)?.ok_or(ApiError::NotFound("user"))?;
    Ok(UserResponse::from(u))
}

/// The secretariat lists accounts, by role if asked.
pub fn list_users(
    conn: &mut DbConn,
    actor: &AuthUser,
    q: &ListUsersQuery,
) -> Result<Paginated<UserResponse>, ApiError> {
    actor.require(Role::Secretariat)?;
    let page = Page::new(q.page, q.per_page)?;
    let role = q.role.map(|r| r.as_str());
    let (rows, total) = queries::list(conn, role, page.per_page, page.offset())?;
    Ok(page.of(rows.into_iter().map(UserResponse::from).collect(), total))
}

/// An account, for the secretariat or the account itself.
pub fn get_user(
    conn: &mut DbConn,
    actor: &AuthUser,
    user_id: i64,
) -> Result<UserResponse, ApiError> {
    if actor.id != user_id {
        actor.require(Role::Secretariat)?;
    }
    let u = queries::find_by_id(conn, user_id)?.ok_or(ApiError::NotFound("user"))?;
    Ok(UserResponse::from(u))
}

/// Changes an account: its own name for anyone, role and active flag for the
/// secretariat (never its own). A deactivated account's tokens stop working at once,
/// as every request reads the account; an evaluator on a committee keeps the role.
pub fn update_user(
    conn: &mut DbConn,
    actor: &AuthUser,
    user_id: i64,
    input: &UpdateUserRequest,
) -> Result<UserResponse, ApiError> {
    if actor.id != user_id || input.role.is_some() || input.active.is_some() {
        actor.require(Role::Secretariat)?;
    }
    let mut c = Checker::new();
    if let Some(n) = &input.name {
        c.text("name", n, 200);
    }
    c.finish()?;
    if actor.id == user_id
        && (input.active == Some(false) || input.role.is_some_and(|r| r != actor.role))
    {
        return Err(ApiError::conflict(
            Code::OwnAccount,
            "the secretariat cannot deactivate or change the role of its own account; \
             another secretariat account can",
        ));
    }
    crate::db::write_tx(conn, |c| {
        // Locked: what is not changed is written back as read.
        let u = queries::find_for_update(c, user_id)?.ok_or(ApiError::NotFound("user"))?;
        let name = input.name.as_deref().map(str::trim).unwrap_or(&u.name);
        let role = input.role.map(|r| r.as_str()).unwrap_or(&u.role);
        let active = input.active.unwrap_or(u.active);
        if role != u.role && u.role == Role::Evaluator.as_str() {
            let meetings = crate::evaluation::committee::serves_anywhere(c, user_id)?;
            if !meetings.is_empty() {
                return Err(ApiError::conflict(
                    Code::OnCommittee,
                    format!(
                        "account {user_id} serves on the committee of meeting(s) {meetings:?}; \
                         remove it from them before changing its role"
                    ),
                ));
            }
        }
        // A token says who the account was: one made before a role change or a
        // deactivation says the wrong thing, so it ends.
        let end_tokens = role != u.role || (u.active && !active);
        queries::update(c, user_id, name, role, active, end_tokens)?;
        let mut changes = serde_json::Map::new();
        if name != u.name {
            changes.insert("name".into(), json!([u.name, name]));
        }
        if role != u.role {
            changes.insert("role".into(), json!([u.role, role]));
        }
        if active != u.active {
            changes.insert("active".into(), json!([u.active, active]));
        }
        if !changes.is_empty() {
            audit::record(
                c,
                Some(actor.id),
                "user.update",
                "user",
                user_id,
                None,
                changes.into(),
            )?;
        }
        let u = queries::find_by_id(c, user_id)?.ok_or(ApiError::NotFound("user"))?;
        Ok(UserResponse::from(u))
    })
}

/// The secretariat deactivates an account (kept, with everything it did, and able to
/// be reactivated).
pub fn deactivate_user(conn: &mut DbConn, actor: &AuthUser, user_id: i64) -> Result<(), ApiError> {
    let input = UpdateUserRequest {
        active: Some(false),
        ..Default::default()
    };
    update_user(conn, actor, user_id, &input).map(|_| ())
}

/// The account behind a decoded token's subject, with its current role, if it still
/// exists, is active and the token is of its current token version.
pub fn authenticate(conn: &mut DbConn, id: i64, version: i32) -> Result<AuthUser, ApiError> {
    match queries::find_by_id(conn, id)? {
        Some(u) if u.active && u.token_version != version => Err(ApiError::Unauthorized(
            "this token has ended: the account signed out everywhere, changed its \
             password or its role since; sign in again",
        )),
        Some(u) if u.active => Ok(AuthUser {
            id,
            role: stored_role(&u)?,
        }),
        _ => Err(ApiError::Unauthorized(
            "the account behind this token no longer exists or is disabled",
        )),
    }
}

/// An account's stored role, or an error naming the account when it is unreadable.
pub fn stored_role(u: &User) -> Result<Role, ApiError> {
    Role::parse(&u.role).ok_or_else(|| {
        ApiError::Internal(anyhow::anyhow!(
            "account {} holds an unknown role {:?}",
            u.id,
            u.role
        ))
    })
}
