//! Scheduling: placing sessions in rooms and time slots. [`solver`] is pure (no web,
//! database or auth imports, enforced by a test); [`bench`] reads and writes the shared
//! benchmark's instance and solution files. The service side: [`build`] makes the
//! solver's problem from the database, [`jobs`] runs solves on a worker, [`versions`]
//! stores, publishes and serves schedules, [`handlers`] are the endpoints.

pub mod bench;
pub mod build;
pub mod handlers;
pub mod jobs;
pub mod solver;
pub mod versions;
