//! Request and response bodies of the session endpoints.

use serde::{Deserialize, Serialize};

use crate::proposals::types::ParticipantInput;
use crate::scheduling::solver::diversity::LineUpDiversity;

/// Body of `POST /api/v1/meetings/{meeting_id}/sessions`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CreateSessionRequest {
    /// Session type code (e.g. `main_session`, `opening_ceremony`).
    pub session_type: String,
    /// Title.
    pub title: String,
    /// Description.
    #[serde(default)]
    pub description: String,
    /// Theme id.
    pub theme_id: Option<i64>,
    /// Length in minutes (one of the type's durations).
    pub duration_min: i32,
    /// Expected attendance (the room must seat this many).
    pub expected_attendance: i32,
    /// Needs a hybrid room.
    #[serde(default)]
    pub hybrid: bool,
    /// Online join link.
    pub join_url: Option<String>,
    /// Languages it is interpreted into (ISO 639 codes; the floor language needs none).
    #[serde(default)]
    pub interpretation: Vec<String>,
    /// Needs real-time captioning.
    #[serde(default)]
    pub captioning: bool,
    /// Needs sign language interpretation.
    #[serde(default)]
    pub sign_language: bool,
    /// People with their roles.
    #[serde(default)]
    pub people: Vec<ParticipantInput>,
}

/// Body of `PATCH /api/v1/sessions/{session_id}`; absent fields stay.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UpdateSessionRequest {
    /// Title.
    #[serde(default, deserialize_with = "crate::optional::present")]
    pub title: Option<String>,
    /// Description.
    #[serde(default, deserialize_with = "crate::optional::present")]
    pub description: Option<String>,
    /// Length in minutes.
    #[serde(default, deserialize_with = "crate::optional::present")]
    pub duration_min: Option<i32>,
    /// Expected attendance.
    #[serde(default, deserialize_with = "crate::optional::present")]
    pub expected_attendance: Option<i32>,
    /// Needs a hybrid room.
    #[serde(default, deserialize_with = "crate::optional::present")]
    pub hybrid: Option<bool>,
    /// Online join link.
    #[serde(default, deserialize_with = "crate::optional::present")]
    pub join_url: Option<String>,
    /// Languages it is interpreted into; `[]` for none.
    #[serde(default, deserialize_with = "crate::optional::present")]
    pub interpretation: Option<Vec<String>>,
    /// Needs real-time captioning.
    #[serde(default, deserialize_with = "crate::optional::present")]
    pub captioning: Option<bool>,
    /// Needs sign language interpretation.
    #[serde(default, deserialize_with = "crate::optional::present")]
    pub sign_language: Option<bool>,
    /// `active` or `cancelled`.
    #[serde(default, deserialize_with = "crate::optional::present")]
    pub status: Option<SessionStatus>,
    /// Pin to a room and slot (every solve and repair keeps it there); `null` unpins.
    #[serde(default, deserialize_with = "crate::proposals::types::double_option")]
    pub pin: Option<Option<Pin>>,
    /// The whole line-up, replacing the current one: people are added, replaced or
    /// removed by sending the new list, each with role, participation and home zone.
    #[serde(default, deserialize_with = "crate::optional::present")]
    pub people: Option<Vec<ParticipantInput>>,
    /// Theme id; `null` clears it.
    #[serde(default, deserialize_with = "crate::proposals::types::double_option")]
    pub theme_id: Option<Option<i64>>,
    /// Session type code; the duration must be one the type allows.
    #[serde(default, deserialize_with = "crate::optional::present")]
    pub session_type: Option<String>,
}

/// Body of `POST /api/v1/sessions/{session_id}/merge`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MergeRequest {
    /// The session merged into this one; it is cancelled, its people join this one.
    pub session_id: i64,
    /// The merged session's title; this one's when absent.
    #[serde(default, deserialize_with = "crate::optional::present")]
    pub title: Option<String>,
}

/// A room and slot a session is pinned to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Pin {
    /// The room.
    pub room_id: i64,
    /// The slot.
    pub slot_id: i64,
}

/// Whether a session takes place.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SessionStatus {
    /// Takes place.
    Active,
    /// Called off; kept so that calendars can show it as cancelled.
    Cancelled,
}

impl SessionStatus {
    /// Every value, in declaration order.
    pub const ALL: &'static [SessionStatus] = &[SessionStatus::Active, SessionStatus::Cancelled];

    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            SessionStatus::Active => "active",
            SessionStatus::Cancelled => "cancelled",
        }
    }
}

/// Body of `POST /api/v1/meetings/{meeting_id}/sessions/from-selection`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FromSelectionRequest {
    /// Fills each new session's join link; `{session_id}` is replaced by its id.
    #[serde(default, deserialize_with = "crate::optional::present")]
    pub join_url_template: Option<String>,
}

/// A person of a session as the API shows it.
#[derive(Debug, Clone, Serialize)]
pub struct PersonView {
    /// Role.
    pub role: String,
    /// Public name.
    pub name: String,
    /// Organisation.
    pub organisation: Option<String>,
    /// Stakeholder group.
    pub stakeholder_group: Option<String>,
    /// Regional group.
    pub regional_group: Option<String>,
    /// Home IANA zone.
    pub timezone: Option<String>,
    /// `onsite` or `online`.
    pub participation: Option<String>,
    /// Email (secretariat only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// Gender (secretariat only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub gender: Option<String>,
}

/// A session as the API shows it.
#[derive(Debug, Clone, Serialize)]
pub struct SessionView {
    /// Id.
    pub id: i64,
    /// Meeting.
    pub meeting_id: i64,
    /// The proposal it comes from.
    pub proposal_id: Option<i64>,
    /// Session type code.
    pub session_type: String,
    /// Theme id.
    pub theme_id: Option<i64>,
    /// Theme name.
    pub theme: Option<String>,
    /// Title.
    pub title: String,
    /// Description.
    pub description: String,
    /// Length in minutes.
    pub duration_min: i32,
    /// Expected attendance.
    pub expected_attendance: i32,
    /// Needs a hybrid room (and so an online channel).
    pub hybrid: bool,
    /// Languages it is interpreted into.
    pub interpretation: Vec<String>,
    /// Needs real-time captioning.
    pub captioning: bool,
    /// Needs sign language interpretation.
    pub sign_language: bool,
    /// Online join link.
    pub join_url: Option<String>,
    /// `active` or `cancelled`.
    pub status: String,
    /// People.
    pub people: Vec<PersonView>,
    /// Line-up diversity, scored as the solver and the selection score it.
    pub diversity: LineUpDiversity,
    /// What remote participation still lacks (an online moderator, a join link, ...).
    pub warnings: Vec<String>,
    /// Where it is pinned, if it is.
    pub pin: Option<Pin>,
    /// Version (also the ETag).
    pub version: i32,
    /// Created, RFC 3339 UTC.
    pub created_at: String,
    /// Last changed, RFC 3339 UTC.
    pub updated_at: String,
}

/// Query of the session list.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ListSessionsQuery {
    /// Only this status.
    pub status: Option<SessionStatus>,
    /// Page number.
    pub page: Option<i64>,
    /// Page size.
    pub per_page: Option<i64>,
}
