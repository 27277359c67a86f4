//! Entity tags for optimistic concurrency: a resource's tag names its version, and a
//! write with `If-Match` succeeds only while the tag is still current.

use actix_web::HttpRequest;
use actix_web::http::header;

use crate::error::ApiError;

/// The strong entity tag of version `version` of resource `kind`/`id`.
pub fn tag(kind: &str, id: i64, version: i32) -> String {
    format!("\"{kind}-{id}-v{version}\"")
}

/// The tags the request's `If-Match` lists (`None` when absent; `*` matches anything).
pub fn if_match(req: &HttpRequest) -> Option<Vec<String>> {
    let v = req.headers().get(header::IF_MATCH)?.to_str().ok()?;
    Some(
        v.split(',')
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
            .collect(),
    )
}

/// Refuses with 412 when `If-Match` was sent and does not name the current tag.
pub fn check(expected: &Option<Vec<String>>, current: &str) -> Result<(), ApiError> {
    match expected {
        Some(tags) if !tags.iter().any(|t| t == "*" || t == current) => {
            Err(ApiError::PreconditionFailed)
        }
        _ => Ok(()),
    }
}
