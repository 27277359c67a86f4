//! What the account routes take and give.

use serde::{Deserialize, Serialize};

use super::Role;
use super::queries::User;

/// Body of `POST /api/v1/auth/register`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RegisterRequest {
    /// Login email.
    pub email: String,
    /// Display name.
    pub name: String,
    /// Password, 10 to 256 characters.
    pub password: String,
}

/// Body of `POST /api/v1/auth/confirm-email`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConfirmEmailRequest {
    /// The secret from the link the address was sent.
    pub token: String,
    /// The account's password.
    pub password: String,
}

/// Body of `POST /api/v1/auth/password-reset`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ResetRequest {
    /// The account's address.
    pub email: String,
}

/// Body of `POST /api/v1/auth/password-reset/confirm`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ResetPasswordRequest {
    /// The secret from the link the address was sent.
    pub token: String,
    /// The new password, 10 to 256 characters.
    pub password: String,
}

/// Body of `POST /api/v1/auth/login`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LoginRequest {
    /// Login email.
    pub email: String,
    /// Password.
    pub password: String,
}

/// Body of `POST /api/v1/auth/password`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChangePasswordRequest {
    /// The account's password now.
    pub current_password: String,
    /// The new password, 10 to 256 characters.
    pub new_password: String,
}

/// Body of `POST /api/v1/users`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CreateUserRequest {
    /// Login email.
    pub email: String,
    /// Display name.
    pub name: String,
    /// Initial password.
    pub password: String,
    /// Role of the new account.
    pub role: Role,
}

/// Body of `PATCH /api/v1/users/{user_id}`: the fields to change. Anyone may rename
/// their own account; only the secretariat changes a role or (de)activates, and never
/// its own.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UpdateUserRequest {
    /// Display name.
    #[serde(default, deserialize_with = "crate::optional::present")]
    pub name: Option<String>,
    /// Role.
    #[serde(default, deserialize_with = "crate::optional::present")]
    pub role: Option<Role>,
    /// `false` deactivates the account (its tokens stop working at once), `true`
    /// reactivates it.
    #[serde(default, deserialize_with = "crate::optional::present")]
    pub active: Option<bool>,
}

/// An account as the API shows it (never the password hash).
#[derive(Debug, Serialize)]
pub struct UserResponse {
    /// Id.
    pub id: i64,
    /// Email.
    pub email: String,
    /// Name.
    pub name: String,
    /// Role.
    pub role: String,
    /// Whether the account can sign in.
    pub active: bool,
    /// Whether the account has shown that its address is its own.
    pub email_confirmed: bool,
    /// Creation time, RFC 3339 UTC.
    pub created_at: String,
}

impl From<User> for UserResponse {
    fn from(u: User) -> Self {
        UserResponse {
            id: u.id,
            email: u.email,
            name: u.name,
            role: u.role,
            active: u.active,
            email_confirmed: u.email_confirmed_at.is_some(),
            created_at: crate::time::from_db(u.created_at)
                .to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        }
    }
}

/// Query of `GET /api/v1/users`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ListUsersQuery {
    /// Only this role.
    pub role: Option<Role>,
    /// Page number.
    pub page: Option<i64>,
    /// Page size.
    pub per_page: Option<i64>,
}
