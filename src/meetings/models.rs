//! The meeting's stored rows that other domains read: the meeting and its session
//! types.

use chrono::NaiveDateTime;
use chrono_tz::Tz;
use diesel::prelude::*;
use serde::{Deserialize, Serialize};

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
    /// When it was archived (UTC), if it was.
    pub archived_at: Option<NaiveDateTime>,
    /// Bumped by every change to the meeting or anything of it, in the change's own
    /// transaction: what a rendered feed was made from.
    pub feed_revision: i64,
    /// When that last happened (UTC; never earlier than the time before).
    pub feed_changed_at: Option<NaiveDateTime>,
    /// Hours after a session's end that its short report is due.
    pub short_report_hours: i32,
    /// Days after the meeting's last day that the full reports are due (at midnight,
    /// venue time, at that day's end).
    pub full_report_days: i32,
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
    /// Placement rules, JSON ([`Placement`]).
    pub placement: String,
}

crate::vocabulary::vocabulary! {
    /// Which days a session type may run on.
    #[derive(Default)]
    Days {
        /// The main days only (the default).
        #[default]
        Main = "main",
        /// Day 0 only (Day 0 events).
        DayZero = "day_zero",
        /// Day 0 and the main days.
        Any = "any",
    }
}

crate::vocabulary::vocabulary! {
    /// A ceremony's fixed place in the meeting.
    Position {
        /// First on the first main day.
        Opening = "opening",
        /// Last on the last main day.
        Closing = "closing",
    }
}

/// Where sessions of a type may be placed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Placement {
    /// The days it may run on.
    #[serde(default)]
    pub days: Days,
    /// For ceremonies: first on the first main day, or last on the last.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub position: Option<Position>,
    /// When not empty, the only rooms it may use.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub room_ids: Vec<i64>,
}

impl SessionType {
    /// Its placement rules, refusing (500, row named) stored rules that cannot be read.
    pub fn placement(&self) -> Result<Placement, ApiError> {
        crate::db::json_column(&self.placement, "session_types.placement", self.id)
    }

    /// Allowed durations in minutes, refusing (500, row named) stored durations that
    /// cannot be read.
    pub fn durations(&self) -> Result<Vec<i32>, ApiError> {
        crate::db::json_column(&self.durations, "session_types.durations", self.id)
    }
}
