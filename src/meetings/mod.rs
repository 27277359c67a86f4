//! Meetings: venue and time zone, days, themes, session types, rooms, time slots, the
//! call-for-proposals window and the screening rules the secretariat switches on.

pub mod handlers;
pub mod queries;
pub mod types;
