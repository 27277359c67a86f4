//! The sessions of a meeting's programme: created from the accepted proposals once the
//! selection is published, or by the secretariat for everything that does not come
//! from the call (ceremonies, main sessions, open forums, Day 0 events, NRI and
//! dynamic coalition sessions). What the scheduler places.

pub mod handlers;
pub mod queries;
pub mod types;
