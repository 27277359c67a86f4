//! What the scheduling routes take besides the job and move bodies.

use serde::Deserialize;

use super::jobs::JobStatus;

/// Query of a version list.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ListVersionsQuery {
    /// Page number.
    pub page: Option<i64>,
    /// Page size.
    pub per_page: Option<i64>,
}

/// Query of a diff.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DiffQuery {
    /// The version to compare against (default: the published one).
    pub against: Option<i64>,
}

/// Query of a job list.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ListJobsQuery {
    /// Only jobs with this status.
    pub status: Option<JobStatus>,
    /// Page number.
    pub page: Option<i64>,
    /// Page size.
    pub per_page: Option<i64>,
}
