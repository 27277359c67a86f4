//! The stored proposal row that other domains read.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::schema::proposals;

/// A proposal row.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = proposals)]
pub struct Proposal {
    /// Id.
    pub id: i64,
    /// Meeting.
    pub meeting_id: i64,
    /// Proposing account.
    pub proposer_id: i64,
    /// Status.
    pub status: String,
    /// Title.
    pub title: String,
    /// Description.
    pub description: String,
    /// Policy questions, JSON.
    pub policy_questions: String,
    /// Theme.
    pub theme_id: Option<i64>,
    /// Session type.
    pub session_type_id: Option<i64>,
    /// Duration.
    pub duration_min: Option<i32>,
    /// Format.
    pub format: Option<String>,
    /// Layout.
    pub layout: Option<String>,
    /// SDGs, JSON.
    pub sdgs: String,
    /// Expected outcomes.
    pub expected_outcomes: String,
    /// Hybrid plan.
    pub hybrid_plan: String,
    /// First-time proposer.
    pub first_time: bool,
    /// Developing country.
    pub developing_country: bool,
    /// Past organiser.
    pub past_organiser: bool,
    /// Earlier report.
    pub previous_report_url: Option<String>,
    /// Version.
    pub version: i32,
    /// Created (UTC).
    pub created_at: NaiveDateTime,
    /// Updated (UTC).
    pub updated_at: NaiveDateTime,
    /// Submitted (UTC).
    pub submitted_at: Option<NaiveDateTime>,
    /// Withdrawn (UTC).
    pub withdrawn_at: Option<NaiveDateTime>,
    /// Interpretation languages asked for, JSON.
    pub interpretation: String,
    /// Real-time captioning asked for.
    pub captioning: bool,
    /// Sign language asked for.
    pub sign_language: bool,
}
