//! Request extractors that authenticate: [`AuthUser`] requires a valid session token,
//! [`MaybeAuthUser`] allows none. A bad token is refused by both: treating it as
//! "anonymous" would hide an expired or forged token from the client.

use actix_web::{FromRequest, HttpRequest, dev::Payload, http::header, web};
use futures_util::future::LocalBoxFuture;

use super::{Role, queries};
use crate::app::AppState;
use crate::error::ApiError;

/// An authenticated, active account, with its current role from the database.
#[derive(Debug, Clone)]
pub struct AuthUser {
    /// Account id.
    pub id: i64,
    /// Current role.
    pub role: Role,
}

impl AuthUser {
    /// Refuses with 403 unless the account holds `role`.
    pub fn require(&self, role: Role) -> Result<(), ApiError> {
        if self.role == role {
            Ok(())
        } else {
            Err(ApiError::Forbidden(format!(
                "this needs the {role} role; you are signed in as {}",
                self.role
            )))
        }
    }

    /// Whether the account is the secretariat.
    pub fn is_secretariat(&self) -> bool {
        self.role == Role::Secretariat
    }
}

/// An authenticated account, or nobody when no `Authorization` header was sent.
#[derive(Debug, Clone)]
pub struct MaybeAuthUser(pub Option<AuthUser>);

fn bearer(req: &HttpRequest) -> Result<Option<String>, ApiError> {
    let Some(value) = req.headers().get(header::AUTHORIZATION) else {
        return Ok(None);
    };
    let value = value
        .to_str()
        .map_err(|_| ApiError::Unauthorized("the Authorization header is not readable text"))?;
    let mut parts = value.splitn(2, ' ');
    match (parts.next(), parts.next()) {
        (Some(scheme), Some(token))
            if scheme.eq_ignore_ascii_case("bearer") && !token.trim().is_empty() =>
        {
            Ok(Some(token.trim().to_string()))
        }
        _ => Err(ApiError::Unauthorized(
            "the Authorization header must be `Bearer <token>`",
        )),
    }
}

async fn authenticate(req: HttpRequest, token: String) -> Result<AuthUser, ApiError> {
    let state = req
        .app_data::<web::Data<AppState>>()
        .ok_or_else(|| ApiError::Internal(anyhow::anyhow!("application state missing")))?
        .clone();
    let claims = state
        .jwt
        .decode_session(&token)
        .map_err(|_| ApiError::Unauthorized("the access token is invalid or has expired"))?;
    let id: i64 = claims
        .sub
        .parse()
        .map_err(|_| ApiError::Unauthorized("the access token is invalid"))?;
    let user = crate::db::run(&state.pool, move |c| queries::find_by_id(c, id)).await?;
    match user {
        Some(u) if u.active => {
            let role = Role::parse(&u.role)
                .ok_or_else(|| ApiError::Internal(anyhow::anyhow!("bad stored role")))?;
            Ok(AuthUser { id, role })
        }
        _ => Err(ApiError::Unauthorized(
            "the account behind this token no longer exists or is disabled",
        )),
    }
}

impl FromRequest for AuthUser {
    type Error = ApiError;
    type Future = LocalBoxFuture<'static, Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move {
            match bearer(&req)? {
                Some(token) => authenticate(req, token).await,
                None => Err(ApiError::Unauthorized(
                    "sign in first: send `Authorization: Bearer <token>`",
                )),
            }
        })
    }
}

impl FromRequest for MaybeAuthUser {
    type Error = ApiError;
    type Future = LocalBoxFuture<'static, Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move {
            match bearer(&req)? {
                Some(token) => Ok(MaybeAuthUser(Some(authenticate(req, token).await?))),
                None => Ok(MaybeAuthUser(None)),
            }
        })
    }
}
