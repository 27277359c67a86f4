//! Account storage.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::DbConn;
use crate::db::schema::users;
use crate::error::{ApiError, ResultExt};

/// An account row.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = users)]
pub struct User {
    /// Id.
    pub id: i64,
    /// Login email, stored lower-case.
    pub email: String,
    /// Display name.
    pub name: String,
    /// Argon2 PHC string.
    pub password_hash: String,
    /// Role name.
    pub role: String,
    /// Disabled accounts cannot sign in and their tokens stop working.
    pub active: bool,
    /// When the account was made (UTC).
    pub created_at: NaiveDateTime,
    /// Tokens carry this; moving it on ends every token made before.
    pub token_version: i32,
    /// When the account showed that its email is its own; `None` until it has.
    pub email_confirmed_at: Option<NaiveDateTime>,
}

/// A new account.
#[derive(Debug, Insertable)]
#[diesel(table_name = users)]
pub struct NewUser<'a> {
    /// Login email, lower-case.
    pub email: &'a str,
    /// Display name.
    pub name: &'a str,
    /// Argon2 PHC string.
    pub password_hash: &'a str,
    /// Role name.
    pub role: &'a str,
    /// Active flag.
    pub active: bool,
    /// Creation time (UTC).
    pub created_at: NaiveDateTime,
    /// When its address was confirmed (`None`: not yet).
    pub email_confirmed_at: Option<NaiveDateTime>,
}

/// Finds an account by id.
pub fn find_by_id(conn: &mut DbConn, id: i64) -> Result<Option<User>, ApiError> {
    Ok(users::table
        .find(id)
        .select(User::as_select())
        .first(conn)
        .optional()?)
}

/// Finds an account and locks its row until the transaction ends (on PostgreSQL;
/// SQLite's write transaction holds the file).
pub fn find_for_update(conn: &mut DbConn, id: i64) -> Result<Option<User>, ApiError> {
    Ok(match conn {
        #[cfg(feature = "postgres")]
        DbConn::Pg(c) => users::table
            .find(id)
            .select(User::as_select())
            .for_update()
            .first(c)
            .optional()?,
        #[cfg(feature = "sqlite")]
        DbConn::Sqlite(c) => users::table
            .find(id)
            .select(User::as_select())
            .first(c)
            .optional()?,
    })
}

/// Finds an account by its (normalised) email.
pub fn find_by_email(conn: &mut DbConn, email: &str) -> Result<Option<User>, ApiError> {
    Ok(users::table
        .filter(users::email.eq(email))
        .select(User::as_select())
        .first(conn)
        .optional()?)
}

/// Inserts an account; a taken email is a 409.
pub fn insert(conn: &mut DbConn, new: &NewUser<'_>) -> Result<i64, ApiError> {
    crate::with_backend!(conn, |c| diesel::insert_into(users::table)
        .values(new)
        .returning(users::id)
        .get_result::<i64>(c))
    .on_unique(
        crate::error::Code::EmailTaken,
        "an account with this email already exists",
    )
}

/// Emails of all active MAG evaluators (for the "no MAG member as proposer" rule).
pub fn evaluator_emails(conn: &mut DbConn) -> Result<Vec<String>, ApiError> {
    Ok(users::table
        .filter(users::role.eq("evaluator"))
        .filter(users::active.eq(true))
        .select(users::email)
        .load(conn)?)
}

/// Lists accounts, optionally of one role, newest first.
pub fn list(
    conn: &mut DbConn,
    role: Option<&str>,
    limit: i64,
    offset: i64,
) -> Result<(Vec<User>, i64), ApiError> {
    let mut q = users::table.into_boxed();
    let mut count = users::table.into_boxed();
    if let Some(r) = role {
        q = q.filter(users::role.eq(r.to_string()));
        count = count.filter(users::role.eq(r.to_string()));
    }
    let total = count.count().get_result(conn)?;
    let rows = q
        .order(users::id.desc())
        .limit(limit)
        .offset(offset)
        .select(User::as_select())
        .load(conn)?;
    Ok((rows, total))
}

/// Stores an account's name, role and active flag; `end_tokens` also ends every
/// token made before.
pub fn update(
    conn: &mut DbConn,
    id: i64,
    name: &str,
    role: &str,
    active: bool,
    end_tokens: bool,
) -> Result<(), ApiError> {
    diesel::update(users::table.find(id))
        .set((
            users::name.eq(name),
            users::role.eq(role),
            users::active.eq(active),
            users::token_version.eq(users::token_version + i32::from(end_tokens)),
        ))
        .execute(conn)?;
    Ok(())
}

/// Stores a new password hash and ends every token made before.
pub fn set_password(conn: &mut DbConn, id: i64, hash: &str) -> Result<(), ApiError> {
    diesel::update(users::table.find(id))
        .set((
            users::password_hash.eq(hash),
            users::token_version.eq(users::token_version + 1),
        ))
        .execute(conn)?;
    Ok(())
}

/// Ends every token of the account made before now.
pub fn end_tokens(conn: &mut DbConn, id: i64) -> Result<(), ApiError> {
    diesel::update(users::table.find(id))
        .set(users::token_version.eq(users::token_version + 1))
        .execute(conn)?;
    Ok(())
}
