//! Meetings: venue and time zone, days, themes, session types, rooms, time slots, the
//! call-for-proposals window and the screening rules the secretariat switches on.
//! [`service`] holds the use cases (and who may see a meeting), [`handlers`] their HTTP,
//! [`shape`] the use cases that change rooms, themes, session types and slots after
//! creation, [`days`] those that add, move and retire days, [`queries`] the storage over [`models`], [`types`] what the API takes and
//! gives.

pub mod days;
pub mod handlers;
pub mod models;
pub mod queries;
pub mod service;
pub mod shape;
pub mod types;
