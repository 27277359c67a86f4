//! The sessions of a meeting's programme: created from the accepted proposals once the
//! selection is published, or by the secretariat for everything that does not come
//! from the call (ceremonies, main sessions, open forums, Day 0 events, NRI and
//! dynamic coalition sessions). What the scheduler places. [`service`] holds the use
//! cases, [`handlers`] their HTTP, [`queries`] the storage, [`types`] what the API takes
//! and gives.

pub mod handlers;
pub mod queries;
pub mod service;
pub mod types;
