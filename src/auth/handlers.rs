//! HTTP for registration, sign-in, the current account, and account management by
//! the secretariat; each calls its use case in [`super::service`].

use actix_web::{HttpResponse, web};
use serde_json::json;

use super::AuthUser;
use super::extract::Secretariat;
use super::types::{
    ChangePasswordRequest, ConfirmEmailRequest, CreateUserRequest, ListUsersQuery, LoginRequest,
    RegisterRequest, ResetPasswordRequest, ResetRequest, UpdateUserRequest, UserResponse,
};
use super::{recovery, service};
use crate::client::ClientAddress;
use crate::error::ApiError;
use crate::extract::{Json, Query};
use crate::state::AppState;

fn created(user: UserResponse) -> HttpResponse {
    HttpResponse::Created()
        .insert_header(("Location", format!("/api/v1/users/{}", user.id)))
        .json(user)
}

/// What registration and a reset request answer, whether or not the address has an
/// account.
fn accepted(detail: &str) -> HttpResponse {
    HttpResponse::Accepted()
        .insert_header(("Cache-Control", "no-store"))
        .json(json!({ "detail": detail }))
}

/// `POST /api/v1/auth/register`: a proposer creates their own account.
#[tracing::instrument(skip_all)]
pub async fn register(
    state: web::Data<AppState>,
    ClientAddress(address): ClientAddress,
    Json(body): Json<RegisterRequest>,
) -> Result<HttpResponse, ApiError> {
    let (pool, per_hour, confirm) = (
        state.pool.clone(),
        state.settings.registrations_per_address_hour,
        state.sign_in.confirmed_only,
    );
    crate::db::blocking(move || service::register(&pool, &address, per_hour, confirm, &body))
        .await?;
    Ok(accepted(if confirm {
        "if the address can take a new account, a link to confirm it is on its way; confirm it, then sign in"
    } else {
        "if the address had no account, it has one now: sign in"
    }))
}

/// `POST /api/v1/auth/confirm-email`: the link's secret and the account's password
/// confirm the address and sign the account in.
#[tracing::instrument(skip_all)]
pub async fn confirm_email(
    state: web::Data<AppState>,
    ClientAddress(address): ClientAddress,
    Json(body): Json<ConfirmEmailRequest>,
) -> Result<HttpResponse, ApiError> {
    let s = state.clone();
    let signed = crate::db::blocking(move || {
        service::confirm_email(&s.pool, s.sign_in, &s.jwt, &address, &body)
    })
    .await?;
    Ok(signed_in(signed))
}

/// `POST /api/v1/auth/password-reset`: asks for a link to set a new password.
#[tracing::instrument(skip_all)]
pub async fn request_reset(
    state: web::Data<AppState>,
    ClientAddress(address): ClientAddress,
    Json(body): Json<ResetRequest>,
) -> Result<HttpResponse, ApiError> {
    let (pool, per_hour, mails) = (
        state.pool.clone(),
        state.settings.registrations_per_address_hour,
        state.sign_in.confirmed_only,
    );
    crate::db::blocking(move || recovery::request_reset(&pool, &address, per_hour, mails, &body))
        .await?;
    Ok(accepted(if mails {
        "if the address has an account, a link to set a new password is on its way"
    } else {
        "this installation sends no email, so no link can be sent: ask the secretariat to set a new password"
    }))
}

/// `POST /api/v1/auth/password-reset/confirm`: the link's secret sets a new password
/// and signs the account in.
#[tracing::instrument(skip_all)]
pub async fn reset_password(
    state: web::Data<AppState>,
    Json(body): Json<ResetPasswordRequest>,
) -> Result<HttpResponse, ApiError> {
    let s = state.clone();
    let signed =
        crate::db::blocking(move || service::reset_password(&s.pool, &s.jwt, &body)).await?;
    Ok(signed_in(signed))
}

fn signed_in(signed: service::SignedIn) -> HttpResponse {
    HttpResponse::Ok()
        .insert_header(("Cache-Control", "no-store"))
        .json(json!({
            "access_token": signed.token.token,
            "token_type": "Bearer",
            "expires_in": signed.token.expires_in,
            "user": signed.user,
        }))
}

/// `POST /api/v1/auth/password`: the signed-in account changes its password; every
/// earlier token ends and the answer carries a new one.
#[tracing::instrument(skip_all)]
pub async fn change_password(
    state: web::Data<AppState>,
    user: AuthUser,
    ClientAddress(address): ClientAddress,
    Json(body): Json<ChangePasswordRequest>,
) -> Result<HttpResponse, ApiError> {
    let s = state.clone();
    let signed = crate::db::blocking(move || {
        service::change_password(&s.pool, s.sign_in, &s.jwt, &address, &user, &body)
    })
    .await?;
    Ok(signed_in(signed))
}

/// `POST /api/v1/auth/sign-out`: every token of the account ends.
#[tracing::instrument(skip_all)]
pub async fn sign_out(
    state: web::Data<AppState>,
    user: AuthUser,
) -> Result<HttpResponse, ApiError> {
    crate::db::run(&state.pool, move |c| service::sign_out_everywhere(c, &user)).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// `POST /api/v1/auth/login`: exchanges email and password for an access token.
#[tracing::instrument(skip_all)]
pub async fn login(
    state: web::Data<AppState>,
    ClientAddress(address): ClientAddress,
    Json(body): Json<LoginRequest>,
) -> Result<HttpResponse, ApiError> {
    let s = state.clone();
    let signed =
        crate::db::blocking(move || service::login(&s.pool, s.sign_in, &s.jwt, &address, &body))
            .await?;
    Ok(signed_in(signed))
}

/// `GET /api/v1/auth/me`: the signed-in account.
pub async fn me(state: web::Data<AppState>, user: AuthUser) -> Result<HttpResponse, ApiError> {
    let u = crate::db::run(&state.pool, move |c| service::me(c, &user)).await?;
    Ok(HttpResponse::Ok().json(u))
}

/// `POST /api/v1/users`: the secretariat creates an account of any role (evaluators
/// are created this way).
#[tracing::instrument(skip_all)]
pub async fn create_user(
    state: web::Data<AppState>,
    Secretariat(user): Secretariat,
    Json(body): Json<CreateUserRequest>,
) -> Result<HttpResponse, ApiError> {
    let pool = state.pool.clone();
    let created_user =
        crate::db::blocking(move || service::create_user(&pool, &user, &body)).await?;
    Ok(created(created_user))
}

/// `GET /api/v1/users`: the secretariat lists accounts.
pub async fn list_users(
    state: web::Data<AppState>,
    Secretariat(user): Secretariat,
    Query(q): Query<ListUsersQuery>,
) -> Result<HttpResponse, ApiError> {
    let body = crate::db::run(&state.pool, move |c| service::list_users(c, &user, &q)).await?;
    Ok(HttpResponse::Ok().json(body))
}

/// `GET /api/v1/users/{user_id}`: an account, for the secretariat or itself.
pub async fn get_user(
    state: web::Data<AppState>,
    user: AuthUser,
    path: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    let id = path.into_inner();
    let u = crate::db::run(&state.pool, move |c| service::get_user(c, &user, id)).await?;
    Ok(HttpResponse::Ok().json(u))
}

/// `PATCH /api/v1/users/{user_id}`: renames, changes the role, (de)activates.
#[tracing::instrument(skip_all)]
pub async fn update_user(
    state: web::Data<AppState>,
    user: AuthUser,
    path: web::Path<i64>,
    Json(body): Json<UpdateUserRequest>,
) -> Result<HttpResponse, ApiError> {
    let id = path.into_inner();
    let u = crate::db::run(&state.pool, move |c| {
        service::update_user(c, &user, id, &body)
    })
    .await?;
    Ok(HttpResponse::Ok().json(u))
}

/// `DELETE /api/v1/users/{user_id}`: deactivates an account.
#[tracing::instrument(skip_all)]
pub async fn deactivate_user(
    state: web::Data<AppState>,
    Secretariat(user): Secretariat,
    path: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    let id = path.into_inner();
    crate::db::run(&state.pool, move |c| service::deactivate_user(c, &user, id)).await?;
    Ok(HttpResponse::NoContent().finish())
}
