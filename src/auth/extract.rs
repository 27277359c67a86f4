//! Request authentication: the [`authenticate_bearer`] middleware checks a bearer
//! token once per request; [`AuthUser`] then requires a valid one, [`MaybeAuthUser`]
//! allows none, and [`Secretariat`], [`Evaluator`] and [`Proposer`] require the role.
//! A bad token is refused by all of them: treating it as "anonymous" would hide an
//! expired or forged token from the client.

use std::future::{Ready, ready};

use actix_web::body::MessageBody;
use actix_web::dev::{Payload, ServiceRequest, ServiceResponse};
use actix_web::middleware::Next;
use actix_web::{FromRequest, HttpMessage, HttpRequest, http::header, web};

use super::{AuthUser, Role};
use crate::error::ApiError;
use crate::state::AppState;

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
    let ver = claims.ver;
    crate::db::run(&state.pool, move |c| {
        super::service::authenticate(c, id, ver)
    })
    .await
}

/// What authenticating the request's bearer token gave, kept in its extensions by
/// [`authenticate_bearer`] for the extractors.
struct AuthOutcome(Result<AuthUser, ApiError>);

/// Middleware that authenticates a bearer token once, before any extractor runs, so
/// that the extractors below answer at once and always before the body is read: a
/// refused role can never race a body's validation error.
pub async fn authenticate_bearer(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    // The request is cloned only for a token, and the clone is gone (moved into
    // `authenticate`) before routing, which needs the request unshared.
    let outcome = match bearer(req.request()) {
        Ok(None) => None,
        Ok(Some(token)) => Some(authenticate(req.request().clone(), token).await),
        Err(e) => Some(Err(e)),
    };
    if let Some(o) = outcome {
        req.extensions_mut().insert(AuthOutcome(o));
    }
    next.call(req).await
}

/// The request's account: `None` without a token; an error for a bad one.
fn outcome(req: &HttpRequest) -> Result<Option<AuthUser>, ApiError> {
    let mut ext = req.extensions_mut();
    match ext.get::<AuthOutcome>() {
        None => Ok(None),
        Some(AuthOutcome(Ok(u))) => Ok(Some(u.clone())),
        Some(AuthOutcome(Err(_))) => match ext.remove::<AuthOutcome>() {
            Some(AuthOutcome(Err(e))) => Err(e),
            _ => Err(ApiError::Unauthorized("the access token is invalid")),
        },
    }
}

impl FromRequest for AuthUser {
    type Error = ApiError;
    type Future = Ready<Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(outcome(req).and_then(|u| {
            u.ok_or(ApiError::Unauthorized(
                "sign in first: send `Authorization: Bearer <token>`",
            ))
        }))
    }
}

impl FromRequest for MaybeAuthUser {
    type Error = ApiError;
    type Future = Ready<Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(outcome(req).map(MaybeAuthUser))
    }
}

macro_rules! role_extractor {
    ($(#[$doc:meta])* $name:ident, $role:expr) => {
        $(#[$doc])*
        #[derive(Debug, Clone)]
        pub struct $name(pub AuthUser);

        impl FromRequest for $name {
            type Error = ApiError;
            type Future = Ready<Result<Self, Self::Error>>;

            fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
                ready(
                    AuthUser::from_request(req, payload)
                        .into_inner()
                        .and_then(|user| user.require($role).map(|()| $name(user))),
                )
            }
        }
    };
}

role_extractor!(
    /// A signed-in secretariat account. As an extractor placed before the body, it
    /// refuses everyone else (401 or 403) before the body is read, so a refused role
    /// never learns more from a validation error.
    Secretariat,
    Role::Secretariat
);
role_extractor!(
    /// A signed-in evaluator, checked before the body like [`Secretariat`].
    Evaluator,
    Role::Evaluator
);
role_extractor!(
    /// A signed-in proposer, checked before the body like [`Secretariat`].
    Proposer,
    Role::Proposer
);
