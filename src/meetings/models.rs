//! The meeting's stored rows that other domains read: the meeting and its session
//! types.

use chrono::NaiveDateTime;
use chrono_tz::Tz;
use diesel::prelude::*;

use crate::db::schema::{meetings, session_types};
use crate::error::ApiError;
use crate::proposals::screening::ScreeningRules;

/// A meeting row.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = meetings)]
pub struct Meeting {
    /// Id.
    pub id: i64,
    /// Name.
    pub name: String,
    /// Year.
    pub year: i32,
    /// Venue.
    pub venue: String,
    /// IANA zone.
    pub timezone: String,
    /// Call opens (UTC).
    pub cfp_opens_at: NaiveDateTime,
    /// Call closes (UTC).
    pub cfp_closes_at: NaiveDateTime,
    /// Published.
    pub published: bool,
    /// Screening rules, JSON.
    pub screening_rules: String,
    /// Developing countries, JSON array.
    pub developing_countries: String,
    /// Version.
    pub version: i32,
    /// Created (UTC).
    pub created_at: NaiveDateTime,
    /// Updated (UTC).
    pub updated_at: NaiveDateTime,
    /// The scheduling rules it sets apart from the defaults, JSON.
    pub scheduling_rules: String,
}

impl Meeting {
    /// The venue zone, refusing (500) a stored value that is not a zone.
    pub fn venue(&self) -> Result<Tz, ApiError> {
        crate::time::stored_zone(&self.timezone)
    }

    /// The screening rules in force, refusing (500, row named) stored rules that
    /// cannot be read.
    pub fn rules(&self) -> Result<ScreeningRules, ApiError> {
        crate::db::json_column(&self.screening_rules, "meetings.screening_rules", self.id)
    }

    /// The developing countries, likewise.
    pub fn developing_countries(&self) -> Result<Vec<String>, ApiError> {
        crate::db::json_column(
            &self.developing_countries,
            "meetings.developing_countries",
            self.id,
        )
    }
}

/// A session type row.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = session_types)]
pub struct SessionType {
    /// Id.
    pub id: i64,
    /// Meeting.
    pub meeting_id: i64,
    /// Code.
    pub code: String,
    /// Name.
    pub name: String,
    /// Durations, JSON array.
    pub durations: String,
    /// Open to proposers.
    pub from_call: bool,
    /// Nothing in parallel.
    pub exclusive: bool,
}

impl SessionType {
    /// Allowed durations in minutes, refusing (500, row named) stored durations that
    /// cannot be read.
    pub fn durations(&self) -> Result<Vec<i32>, ApiError> {
        crate::db::json_column(&self.durations, "session_types.durations", self.id)
    }
}
