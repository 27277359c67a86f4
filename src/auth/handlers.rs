//! Registration, sign-in, the current account, and account management by the
//! secretariat.

use super::extract::Secretariat;
use actix_web::{HttpResponse, web};
use serde::{Deserialize, Serialize};
use serde_json::json;

use super::limit::Attempt;
use super::queries::{self, NewUser, User};
use super::{AuthUser, Role, password};
use crate::app::AppState;
use crate::audit;
use crate::error::ApiError;
use crate::extract::{Json, Page, Query};
use crate::validate::{Checker, normalise_email};

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

/// Body of `POST /api/v1/auth/login`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LoginRequest {
    /// Login email.
    pub email: String,
    /// Password.
    pub password: String,
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
            created_at: crate::time::from_db(u.created_at)
                .to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        }
    }
}

fn check_account(email: &str, name: &str, pw: &str) -> Result<(), ApiError> {
    let mut c = Checker::new();
    c.email("email", email.trim());
    c.text("name", name, 200);
    let n = pw.chars().count();
    if n < password::MIN_LENGTH {
        c.add(
            "password",
            "min_length",
            format!(
                "password must have at least {} characters",
                password::MIN_LENGTH
            ),
        );
    }
    if n > password::MAX_LENGTH {
        c.add(
            "password",
            "max_length",
            format!(
                "password must have at most {} characters",
                password::MAX_LENGTH
            ),
        );
    }
    c.finish()
}

/// Creates an account (any role) inside a transaction with its audit entry.
pub fn create_account(
    conn: &mut crate::db::DbConn,
    actor: Option<i64>,
    email: &str,
    name: &str,
    password_hash: &str,
    role: Role,
) -> Result<i64, ApiError> {
    let email = normalise_email(email);
    crate::db::write_tx(conn, |c| {
        let id = queries::insert(
            c,
            &NewUser {
                email: &email,
                name: name.trim(),
                password_hash,
                role: role.as_str(),
                active: true,
                created_at: crate::time::to_db(crate::time::now()),
            },
        )?;
        audit::record(
            c,
            actor.or(Some(id)),
            "user.create",
            "user",
            id,
            None,
            json!({"email": email, "role": role}),
        )?;
        Ok(id)
    })
}

async fn hash_off_thread(pw: String) -> Result<String, ApiError> {
    web::block(move || password::hash(&pw))
        .await
        .map_err(|e| ApiError::Internal(anyhow::anyhow!("{e}")))?
        .map_err(ApiError::Internal)
}

/// `POST /api/v1/auth/register`: a proposer creates their own account.
#[tracing::instrument(skip_all)]
pub async fn register(
    state: web::Data<AppState>,
    Json(body): Json<RegisterRequest>,
) -> Result<HttpResponse, ApiError> {
    check_account(&body.email, &body.name, &body.password)?;
    let hash = hash_off_thread(body.password).await?;
    let (email, name) = (body.email, body.name);
    let user = crate::db::run(&state.pool, move |c| {
        let id = create_account(c, None, &email, &name, &hash, Role::Proposer)?;
        queries::find_by_id(c, id)?.ok_or(ApiError::NotFound("user"))
    })
    .await?;
    Ok(HttpResponse::Created()
        .insert_header(("Location", format!("/api/v1/users/{}", user.id)))
        .json(UserResponse::from(user)))
}

/// `POST /api/v1/auth/login`: exchanges email and password for an access token.
#[tracing::instrument(skip_all)]
pub async fn login(
    state: web::Data<AppState>,
    req: actix_web::HttpRequest,
    Json(body): Json<LoginRequest>,
) -> Result<HttpResponse, ApiError> {
    let email = normalise_email(&body.email);
    let address = req
        .peer_addr()
        .map(|a| a.ip().to_string())
        .unwrap_or_default();
    let attempt = Attempt::new(&email, &address);
    state.logins.check(&attempt)?;
    let user = crate::db::run(&state.pool, move |c| queries::find_by_email(c, &email)).await?;
    let pw = body.password;
    let (ok, user) = web::block(move || match user {
        Some(u) => (password::verify(&pw, &u.password_hash) && u.active, Some(u)),
        None => {
            // Same work as for a real account, so timing does not reveal which emails exist.
            let _ = password::verify(&pw, password::decoy_hash());
            (false, None)
        }
    })
    .await
    .map_err(|e| ApiError::Internal(anyhow::anyhow!("{e}")))?;
    let user = match (ok, user) {
        (true, Some(u)) => {
            state.logins.succeeded(&attempt);
            u
        }
        _ => {
            state.logins.failed(&attempt);
            return Err(ApiError::Unauthorized(
                "the email or password is not correct",
            ));
        }
    };
    let role = Role::parse(&user.role)
        .ok_or_else(|| ApiError::Internal(anyhow::anyhow!("bad stored role")))?;
    let token = state.jwt.issue(user.id, role).map_err(ApiError::Internal)?;
    Ok(HttpResponse::Ok().json(json!({
        "access_token": token.token,
        "token_type": "Bearer",
        "expires_in": token.expires_in,
        "user": UserResponse::from(user),
    })))
}

/// `GET /api/v1/auth/me`: the signed-in account.
pub async fn me(state: web::Data<AppState>, user: AuthUser) -> Result<HttpResponse, ApiError> {
    let id = user.id;
    let u = crate::db::run(&state.pool, move |c| queries::find_by_id(c, id))
        .await?
        .ok_or(ApiError::NotFound("user"))?;
    Ok(HttpResponse::Ok().json(UserResponse::from(u)))
}

/// `POST /api/v1/users`: the secretariat creates an account of any role (evaluators
/// are created this way).
#[tracing::instrument(skip_all)]
pub async fn create_user(
    state: web::Data<AppState>,
    Secretariat(user): Secretariat,
    Json(body): Json<CreateUserRequest>,
) -> Result<HttpResponse, ApiError> {
    check_account(&body.email, &body.name, &body.password)?;
    let hash = hash_off_thread(body.password).await?;
    let (email, name, role, actor) = (body.email, body.name, body.role, user.id);
    let created = crate::db::run(&state.pool, move |c| {
        let id = create_account(c, Some(actor), &email, &name, &hash, role)?;
        queries::find_by_id(c, id)?.ok_or(ApiError::NotFound("user"))
    })
    .await?;
    Ok(HttpResponse::Created()
        .insert_header(("Location", format!("/api/v1/users/{}", created.id)))
        .json(UserResponse::from(created)))
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

/// `GET /api/v1/users`: the secretariat lists accounts.
pub async fn list_users(
    state: web::Data<AppState>,
    _: Secretariat,
    Query(q): Query<ListUsersQuery>,
) -> Result<HttpResponse, ApiError> {
    let page = Page::new(q.page, q.per_page)?;
    let role = q.role.map(|r| r.as_str());
    let (rows, total) = crate::db::run(&state.pool, move |c| {
        queries::list(c, role, page.per_page, page.offset())
    })
    .await?;
    Ok(HttpResponse::Ok().json(page.of(rows.into_iter().map(UserResponse::from).collect(), total)))
}
