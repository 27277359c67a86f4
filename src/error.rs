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

/// Declares [`Code`] once: its variants, their stable names and the list of all.
macro_rules! codes {
    ($($(#[$doc:meta])* $variant:ident => $name:literal,)+) => {
        /// Every stable code a problem body carries, for clients to match on. The
        /// spec's `Problem.code` lists the same names (a test compares them).
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Code {
            $($(#[$doc])* $variant,)+
        }

        impl Code {
            /// Every code, in declaration order.
            pub const ALL: &'static [Code] = &[$(Code::$variant,)+];

            /// The code as sent.
            pub fn as_str(self) -> &'static str {
                match self {
                    $(Code::$variant => $name,)+
                }
            }
        }
    };
}

codes! {
    /// The body is not well-formed JSON (400).
    MalformedJson => "malformed_json",
    /// No credentials, or credentials that are not valid (401).
    Unauthorized => "unauthorized",
    /// Signed in, but not allowed to do this (403).
    Forbidden => "forbidden",
    /// The proposal is not assigned to this evaluator (403).
    NotAssigned => "not_assigned",
    /// The evaluator declared a conflict of interest with the proposal (403).
    ConflictOfInterest => "conflict_of_interest",
    /// The resource does not exist or is not visible to the caller (404).
    NotFound => "not_found",
    /// No route matches the path (404).
    RouteNotFound => "route_not_found",
    /// The path exists, but not for this method (405).
    MethodNotAllowed => "method_not_allowed",
    /// An account with this email exists already (409).
    EmailTaken => "email_taken",
    /// Another room, theme or session type of the meeting, or another current meeting,
    /// has this name or code (409).
    DuplicateName => "duplicate_name",
    /// The meeting is archived and read-only until restored (409).
    Archived => "archived",
    /// Sessions, proposals, pins or schedule versions use it; they are named (409).
    InUse => "in_use",
    /// A meeting keeps at least one room and one time slot (409).
    LastOne => "last_one",
    /// Two slots of a template start and end at the same instant (409).
    DuplicateSlot => "duplicate_slot",
    /// The session is not in the published programme, or has not begun, so it owes
    /// no report yet (409).
    NotHeld => "not_held",
    /// The call for proposals has closed (409).
    CfpClosed => "cfp_closed",
    /// The call for proposals has not opened yet (409).
    CfpNotOpen => "cfp_not_open",
    /// The proposal is withdrawn (409).
    ProposalWithdrawn => "proposal_withdrawn",
    /// The proposal is submitted already (409).
    AlreadySubmitted => "already_submitted",
    /// Only evaluator accounts have an evaluator profile (409).
    NotAnEvaluator => "not_an_evaluator",
    /// The evaluator declared this conflict already (409).
    ConflictAlreadyDeclared => "conflict_already_declared",
    /// The meeting has no submitted proposals to assign (409).
    NothingToAssign => "nothing_to_assign",
    /// The meeting's committee has no active evaluators (409).
    EmptyCommittee => "empty_committee",
    /// The evaluator has scored proposals of the meeting and stays on its committee (409).
    EvaluatorHasScores => "evaluator_has_scores",
    /// The account serves on a committee, so its role cannot change (409).
    OnCommittee => "on_committee",
    /// The secretariat cannot deactivate or demote its own account (409).
    OwnAccount => "own_account",
    /// Some proposals have too few conflict-free evaluators (409).
    AssignmentInfeasible => "assignment_infeasible",
    /// The evaluation is in a phase that does not allow this (409).
    WrongPhase => "wrong_phase",
    /// The evaluation cannot move to the asked phase from this one (409).
    InvalidTransition => "invalid_transition",
    /// The meeting's results are published and final (409).
    ResultsPublished => "results_published",
    /// Results cannot be published while submitted proposals have no decision (409).
    UndecidedProposals => "undecided_proposals",
    /// The session is cancelled; only active sessions can do this (409).
    SessionNotActive => "session_not_active",
    /// The meeting kept changing while a long computation read it; run it again (409).
    Changed => "changed",
    /// A schedule job of this meeting is queued or running already (409).
    JobRunning => "job_running",
    /// The schedule job has finished already (409).
    JobFinished => "job_finished",
    /// A repair needs a published schedule (409).
    NothingPublished => "nothing_published",
    /// A version that breaks a hard rule cannot be published (409).
    HardViolations => "hard_violations",
    /// A manual move would break a hard rule (409).
    HardViolation => "hard_violation",
    /// The bilateral room is taken for part or all of that time (409).
    Booked => "booked",
    /// The delegation or the account holds the day's limit of bilateral bookings (409).
    DailyLimit => "daily_limit",
    /// The booking has begun; only the secretariat changes it now (409).
    Begun => "begun",
    /// The webhook endpoint is disabled; enable it first (409).
    Disabled => "disabled",
    /// An If-Match precondition failed (412).
    PreconditionFailed => "precondition_failed",
    /// The body is larger than the limit (413).
    PayloadTooLarge => "payload_too_large",
    /// The body is not application/json (415).
    UnsupportedMediaType => "unsupported_media_type",
    /// Input fields break rules; every broken rule is listed (422).
    ValidationFailed => "validation_failed",
    /// The proposal breaks screening rules; every one is listed (422).
    ScreeningFailed => "screening_failed",
    /// The selection quotas cannot all hold together (422).
    InfeasibleQuotas => "infeasible_quotas",
    /// The optimiser's time limit ran out before it found any answer (422).
    TimeLimit => "time_limit",
    /// Too many attempts; retry after the time given (429).
    TooManyRequests => "too_many_requests",
    /// An unexpected error, logged on the server (500).
    InternalError => "internal_error",
    /// No database connection could be had in time (503).
    DatabaseUnavailable => "database_unavailable",
    /// The instance is still loading what it was started with (503, `/health`).
    Starting => "starting",
    /// Too much work of this kind is waiting; retry after the time given (503).
    Busy => "busy",
}

impl std::fmt::Display for Code {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Most broken rules one problem body lists; it says how many more there were.
pub const MAX_LISTED: usize = 50;

/// One broken rule on one input field.
#[derive(Debug, Clone, Serialize, serde::Deserialize, PartialEq, Eq)]
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
        code: Code,
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
        code: Code,
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
        code: Code,
        /// Summary in words.
        message: String,
        /// The broken rules (at most [`MAX_LISTED`] are sent).
        errors: Vec<FieldError>,
        /// Broken rules found but not kept, past those listed.
        omitted: usize,
    },
    /// 429: too many attempts; retry after the given seconds.
    #[error("too many requests")]
    TooManyRequests {
        /// Seconds until a retry may succeed.
        retry_after: u64,
    },
    /// 503: too much work of this kind is waiting (password checks); retry shortly.
    #[error("{message}")]
    Busy {
        /// What is busy, in words.
        message: String,
        /// Seconds after which a retry is likely to be served.
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
        Self::validation_of(errors, 0)
    }

    /// A 422 for the field errors kept and the number found past them.
    pub fn validation_of(errors: Vec<FieldError>, omitted: usize) -> Self {
        let message = match errors.len() + omitted {
            1 => "1 field breaks a rule".to_string(),
            n => format!("{n} fields break rules"),
        };
        ApiError::Validation {
            code: Code::ValidationFailed,
            message,
            errors,
            omitted,
        }
    }

    /// A 422 for one field.
    pub fn field(field: &str, rule: &str, message: impl Into<String>) -> Self {
        Self::validation(vec![FieldError::new(field, rule, message)])
    }

    /// A 409 without extension members.
    pub fn conflict(code: Code, message: impl Into<String>) -> Self {
        ApiError::Conflict {
            code,
            message: message.into(),
            extra: Map::new(),
        }
    }

    /// The stable machine-readable code of the error.
    pub fn code(&self) -> Code {
        match self {
            ApiError::MalformedBody(_) => Code::MalformedJson,
            ApiError::Unauthorized(_) => Code::Unauthorized,
            ApiError::Forbidden(_) => Code::Forbidden,
            ApiError::Denied { code, .. } => *code,
            ApiError::NotFound(_) => Code::NotFound,
            ApiError::RouteNotFound => Code::RouteNotFound,
            ApiError::MethodNotAllowed => Code::MethodNotAllowed,
            ApiError::Conflict { code, .. } => *code,
            ApiError::PreconditionFailed => Code::PreconditionFailed,
            ApiError::PayloadTooLarge { .. } => Code::PayloadTooLarge,
            ApiError::UnsupportedMediaType => Code::UnsupportedMediaType,
            ApiError::Validation { code, .. } => *code,
            ApiError::TooManyRequests { .. } => Code::TooManyRequests,
            ApiError::Busy { .. } => Code::Busy,
            ApiError::Database(diesel::result::Error::NotFound) => Code::NotFound,
            ApiError::Database(_) | ApiError::Internal(_) => Code::InternalError,
            ApiError::Pool(_) => Code::DatabaseUnavailable,
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
            ApiError::Pool(_) | ApiError::Busy { .. } => StatusCode::SERVICE_UNAVAILABLE,
            ApiError::Database(_) | ApiError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn error_response(&self) -> HttpResponse {
        let status = self.status_code();
        let detail = if let ApiError::Busy { message, .. } = self {
            message.clone()
        } else if status.is_server_error() {
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
        body.insert(
            "code".into(),
            Value::String(self.code().as_str().to_string()),
        );
        match self {
            ApiError::Validation {
                errors, omitted, ..
            } => {
                let listed = &errors[..errors.len().min(MAX_LISTED)];
                body.insert(
                    "errors".into(),
                    serde_json::to_value(listed).unwrap_or(Value::Null),
                );
                let more = omitted + (errors.len() - listed.len());
                if more > 0 {
                    body.insert("omitted_errors".into(), Value::from(more));
                }
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
            ApiError::TooManyRequests { retry_after } | ApiError::Busy { retry_after, .. } => {
                resp.insert_header((header::RETRY_AFTER, retry_after.to_string()));
            }
            _ => {}
        }
        resp.body(Value::Object(body).to_string())
    }
}

impl From<crate::auth::password::HashError> for ApiError {
    fn from(e: crate::auth::password::HashError) -> Self {
        match e {
            crate::auth::password::HashError::Busy => ApiError::Busy {
                message: e.to_string(),
                retry_after: 2,
            },
            crate::auth::password::HashError::Failed(m) => {
                ApiError::Internal(anyhow::anyhow!("password hashing failed: {m}"))
            }
        }
    }
}

/// Turns unique-constraint violations into a client error naming the field.
pub trait ResultExt<T> {
    /// Maps a unique violation to a 409 with `code` and `message`.
    fn on_unique(self, code: Code, message: &str) -> Result<T, ApiError>;
}

impl<T> ResultExt<T> for Result<T, diesel::result::Error> {
    fn on_unique(self, code: Code, message: &str) -> Result<T, ApiError> {
        self.map_err(|e| match e {
            diesel::result::Error::DatabaseError(
                diesel::result::DatabaseErrorKind::UniqueViolation,
                _,
            ) => ApiError::conflict(code, message),
            other => ApiError::Database(other),
        })
    }
}
