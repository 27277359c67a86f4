//! What the bilateral rooms' API reads and answers.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// Body of `POST /api/v1/meetings/{meeting_id}/bilateral-rooms`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RoomInput {
    /// Name, unique in the meeting.
    pub name: String,
    /// Seats.
    pub capacity: i32,
    /// When bookings may start each day, venue time `HH:MM`.
    pub opens: String,
    /// When the last booking must end, venue time `HH:MM`.
    pub closes: String,
    /// Length of one booking slot in minutes (default 30).
    pub slot_minutes: Option<i32>,
}

/// Body of `PATCH /api/v1/bilateral-rooms/{bilateral_room_id}`: only what is sent
/// changes. Bookings already made stay as they are.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RoomChange {
    /// New name.
    pub name: Option<String>,
    /// New number of seats.
    pub capacity: Option<i32>,
    /// New opening time.
    pub opens: Option<String>,
    /// New closing time.
    pub closes: Option<String>,
    /// New slot length.
    pub slot_minutes: Option<i32>,
}

/// A bilateral room as the API shows it.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RoomView {
    /// Id.
    pub id: i64,
    /// Meeting.
    pub meeting_id: i64,
    /// Name.
    pub name: String,
    /// Seats.
    pub capacity: i32,
    /// First start, venue time.
    pub opens: String,
    /// Last end, venue time.
    pub closes: String,
    /// Slot length in minutes.
    pub slot_minutes: i32,
}

/// What a booking is: a delegation's meeting, or a time the secretariat holds back.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// A delegation's meeting.
    #[default]
    Booking,
    /// Held back by the secretariat.
    Block,
}

impl Kind {
    /// As stored.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Booking => "booking",
            Kind::Block => "block",
        }
    }
}

/// Body of `POST /api/v1/meetings/{meeting_id}/bilateral-bookings`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BookingInput {
    /// The bilateral room.
    pub room_id: i64,
    /// Start, RFC 3339 with any offset; one of the room's slot starts.
    pub starts_at: String,
    /// Length in minutes, a whole number of the room's slots (default one slot).
    pub minutes: Option<i32>,
    /// The delegation meeting there (for a block, what it is held for).
    pub delegation: String,
    /// A note for the secretariat (who meets whom, equipment).
    #[serde(default)]
    pub note: String,
    /// `booking` (default) or, for the secretariat only, `block`.
    #[serde(default)]
    pub kind: Kind,
}

/// A booking as the API shows it to its owner and to the secretariat.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct BookingView {
    /// Id.
    pub id: i64,
    /// Meeting.
    pub meeting_id: i64,
    /// Bilateral room.
    pub room_id: i64,
    /// Its name.
    pub room: String,
    /// `booking` or `block`.
    pub kind: Kind,
    /// The delegation.
    pub delegation: String,
    /// The note.
    pub note: String,
    /// Venue-local date.
    pub day: NaiveDate,
    /// Start with the venue's offset.
    pub starts_at: String,
    /// End with the venue's offset.
    pub ends_at: String,
    /// Start in UTC.
    pub starts_at_utc: String,
    /// End in UTC.
    pub ends_at_utc: String,
    /// The account that made it.
    pub booked_by: i64,
    /// Its calendar file.
    pub calendar: String,
}

/// Query of `GET /api/v1/meetings/{meeting_id}/bilateral-times`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TimesQuery {
    /// Venue-local date.
    pub day: String,
}

/// Query of `GET /api/v1/meetings/{meeting_id}/bilateral-bookings`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BookingsQuery {
    /// Only this venue-local date.
    pub day: Option<String>,
    /// Only this bilateral room.
    pub room_id: Option<i64>,
}

/// One slot of a room on a day.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct TimeView {
    /// Start with the venue's offset.
    pub starts_at: String,
    /// End with the venue's offset.
    pub ends_at: String,
    /// Start in UTC.
    pub starts_at_utc: String,
    /// `free`, `taken` (by someone else), `mine`, `blocked` or `past`.
    pub state: String,
    /// The booking holding it, when the caller may see it (theirs, or any for the
    /// secretariat).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub booking_id: Option<i64>,
    /// Who holds it, when the caller may see it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub delegation: Option<String>,
}

/// A room's day.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RoomDay {
    /// The room.
    pub room: RoomView,
    /// Its slots, in order.
    pub times: Vec<TimeView>,
}

/// A day of the bilateral rooms, as one who books sees it.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct DayView {
    /// Meeting.
    pub meeting_id: i64,
    /// Venue-local date.
    pub day: NaiveDate,
    /// The venue's zone.
    pub timezone: String,
    /// Bookings a delegation (and an account) may hold per day.
    pub daily_limit: i32,
    /// Bookings the caller holds that day.
    pub mine: i64,
    /// The rooms.
    pub rooms: Vec<RoomDay>,
}
