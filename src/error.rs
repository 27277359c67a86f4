//! The error every request handler returns, and its RFC 9457 `application/problem+json`
//! body.
//!
//! Policy: handlers and query functions return [`ApiError`]; domain modules that are
//! pure (screening, time arithmetic) return their own error types and convert into it;
//! `anyhow` appears only in start-up code, the CLI and as the source of
//! [`ApiError::Internal`]. Every body carries a stable snake_case `code` that clients
//! can match on; 5xx details are logged, never sent.

use actix_web::http::StatusCode;
use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpResponse, ResponseError};
use serde::Serialize;
use serde_json::{Map, Value};

/// One broken rule on one input field.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct FieldError {
    /// Path of the field in the request, e.g. `participants[2].timezone`.
    pub field: String,
    /// Stable name of the rule that failed, e.g. `required`, `max_length`.
    pub rule: String,
    /// The rule in words, for people.
    pub message: String,
}

impl FieldError {
    /// A field error from its parts.
    pub fn new(
        field: impl Into<String>,
        rule: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        Self {
            field: field.into(),
            rule: rule.into(),
            message: message.into(),
        }
    }
}

/// The error type of every request handler.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// 400: the body is not well-formed JSON.
    #[error("the request body is not valid JSON: {0}")]
    MalformedBody(String),
    /// 401: no credentials, or credentials that are not valid.
    #[error("{0}")]
    Unauthorized(&'static str),
    /// 403: authenticated, but not allowed to do this.
    #[error("{0}")]
    Forbidden(String),
    /// 403 with a code more precise than `forbidden` (e.g. `not_assigned`).
    #[error("{message}")]
    Denied {
        /// Stable code.
        code: &'static str,
        /// Why, in words.
        message: String,
    },
    /// 404: the named kind of resource does not exist (or is not visible to the caller).
    #[error("{0} not found")]
    NotFound(&'static str),
    /// 404: no route matches the path.
    #[error("no route matches this path")]
    RouteNotFound,
    /// 405: the path exists but not for this method.
    #[error("this method is not allowed on this path")]
    MethodNotAllowed,
    /// 409: the request conflicts with the resource's state; `extra` adds members.
    #[error("{message}")]
    Conflict {
        /// Stable code.
        code: &'static str,
        /// The conflict in words.
        message: String,
        /// Extension members of the problem body.
        extra: Map<String, Value>,
    },
    /// 412: an `If-Match` precondition failed.
    #[error("the resource has changed since it was read (If-Match does not match)")]
    PreconditionFailed,
    /// 413: the body is larger than the limit.
    #[error("the request body is larger than {limit} bytes")]
    PayloadTooLarge {
        /// The limit in bytes.
        limit: usize,
    },
    /// 415: the body is not `application/json`.
    #[error("the request body must be application/json")]
    UnsupportedMediaType,
    /// 422: input fields break rules; every broken rule is listed.
    #[error("{message}")]
    Validation {
        /// Stable code, `validation_failed` unless a domain names it more precisely.
        code: &'static str,
        /// Summary in words.
        message: String,
        /// Every broken rule.
        errors: Vec<FieldError>,
    },
    /// 429: too many attempts; retry after the given seconds.
    #[error("too many requests")]
    TooManyRequests {
        /// Seconds until a retry may succeed.
        retry_after: u64,
    },
    /// 500: a database error that is not the client's fault.
    #[error("database error: {0}")]
    Database(#[from] diesel::result::Error),
    /// 503: no database connection could be had in time.
    #[error("database unavailable: {0}")]
    Pool(#[from] diesel::r2d2::PoolError),
    /// 500: anything else unexpected.
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

impl ApiError {
    /// A 422 with the default code for a list of field errors.
    pub fn validation(errors: Vec<FieldError>) -> Self {
        let message = match errors.len() {
            1 => "1 field breaks a rule".to_string(),
            n => format!("{n} fields break rules"),
        };
        ApiError::Validation {
            code: "validation_failed",
            message,
            errors,
        }
    }

    /// A 422 for one field.
    pub fn field(field: &str, rule: &str, message: impl Into<String>) -> Self {
        Self::validation(vec![FieldError::new(field, rule, message)])
    }

    /// A 409 without extension members.
    pub fn conflict(code: &'static str, message: impl Into<String>) -> Self {
        ApiError::Conflict {
            code,
            message: message.into(),
            extra: Map::new(),
        }
    }

    /// The stable machine-readable code of the error.
    pub fn code(&self) -> &'static str {
        match self {
            ApiError::MalformedBody(_) => "malformed_json",
            ApiError::Unauthorized(_) => "unauthorized",
            ApiError::Forbidden(_) => "forbidden",
            ApiError::Denied { code, .. } => code,
            ApiError::NotFound(_) => "not_found",
            ApiError::RouteNotFound => "route_not_found",
            ApiError::MethodNotAllowed => "method_not_allowed",
            ApiError::Conflict { code, .. } => code,
            ApiError::PreconditionFailed => "precondition_failed",
            ApiError::PayloadTooLarge { .. } => "payload_too_large",
            ApiError::UnsupportedMediaType => "unsupported_media_type",
            ApiError::Validation { code, .. } => code,
            ApiError::TooManyRequests { .. } => "too_many_requests",
            ApiError::Database(diesel::result::Error::NotFound) => "not_found",
            ApiError::Database(_) | ApiError::Internal(_) => "internal_error",
            ApiError::Pool(_) => "database_unavailable",
        }
    }

    fn title(&self) -> &'static str {
        self.status_code().canonical_reason().unwrap_or("Error")
    }
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        match self {
            ApiError::MalformedBody(_) => StatusCode::BAD_REQUEST,
            ApiError::Unauthorized(_) => StatusCode::UNAUTHORIZED,
            ApiError::Forbidden(_) | ApiError::Denied { .. } => StatusCode::FORBIDDEN,
            ApiError::NotFound(_) | ApiError::RouteNotFound => StatusCode::NOT_FOUND,
            ApiError::Database(diesel::result::Error::NotFound) => StatusCode::NOT_FOUND,
            ApiError::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            ApiError::Conflict { .. } => StatusCode::CONFLICT,
            ApiError::PreconditionFailed => StatusCode::PRECONDITION_FAILED,
            ApiError::PayloadTooLarge { .. } => StatusCode::PAYLOAD_TOO_LARGE,
            ApiError::UnsupportedMediaType => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            ApiError::Validation { .. } => StatusCode::UNPROCESSABLE_ENTITY,
            ApiError::TooManyRequests { .. } => StatusCode::TOO_MANY_REQUESTS,
            ApiError::Pool(_) => StatusCode::SERVICE_UNAVAILABLE,
            ApiError::Database(_) | ApiError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn error_response(&self) -> HttpResponse {
        let status = self.status_code();
        let detail = if status.is_server_error() {
            tracing::error!(error = ?self, "request failed");
            match self {
                ApiError::Pool(_) => "the database is unavailable; try again shortly".to_string(),
                _ => "an unexpected error occurred; it has been logged".to_string(),
            }
        } else {
            self.to_string()
        };
        let mut body = Map::new();
        body.insert(
            "type".into(),
            Value::String(format!("urn:igf-scheduler:problem:{}", self.code())),
        );
        body.insert("title".into(), Value::String(self.title().to_string()));
        body.insert("status".into(), Value::from(status.as_u16()));
        body.insert("detail".into(), Value::String(detail));
        body.insert("code".into(), Value::String(self.code().to_string()));
        match self {
            ApiError::Validation { errors, .. } => {
                body.insert(
                    "errors".into(),
                    serde_json::to_value(errors).unwrap_or(Value::Null),
                );
            }
            ApiError::Conflict { extra, .. } => {
                for (k, v) in extra {
                    body.insert(k.clone(), v.clone());
                }
            }
            ApiError::PayloadTooLarge { limit } => {
                body.insert("limit_bytes".into(), Value::from(*limit));
            }
            _ => {}
        }
        let mut resp = HttpResponse::build(status);
        resp.insert_header((
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/problem+json"),
        ));
        match self {
            ApiError::Unauthorized(_) => {
                resp.insert_header((header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer")));
            }
            ApiError::TooManyRequests { retry_after } => {
                resp.insert_header((header::RETRY_AFTER, retry_after.to_string()));
            }
            _ => {}
        }
        resp.body(Value::Object(body).to_string())
    }
}

/// Turns unique-constraint violations into a client error naming the field.
pub trait ResultExt<T> {
    /// Maps a unique violation to a 409 with `code` and `message`.
    fn on_unique(self, code: &'static str, message: &str) -> Result<T, ApiError>;
}

impl<T> ResultExt<T> for Result<T, diesel::result::Error> {
    fn on_unique(self, code: &'static str, message: &str) -> Result<T, ApiError> {
        self.map_err(|e| match e {
            diesel::result::Error::DatabaseError(
                diesel::result::DatabaseErrorKind::UniqueViolation,
                _,
            ) => ApiError::conflict(code, message),
            other => ApiError::Database(other),
        })
    }
}
