//! Scheduling: placing sessions in rooms and time slots. [`solver`] is pure (no web,
//! database or auth imports, enforced by a test); [`bench`] reads and writes the shared
//! benchmark's instance and solution files. The service side: [`build`] makes the
//! solver's problem from the database, [`jobs`] runs solves on a worker (woken by [`signal`]), [`versions`]
//! stores, publishes and serves schedules, [`edits`] checks manual moves and diffs
//! versions, [`placement`] turns session types' placement rules into allowed slots
//! and rooms, [`logistics`] the online channels, captioners and interpreter teams,
//! [`availability`] keeps closed rooms and absent people, [`hubs`] the remote
//! hubs and their agendas, [`rules`] the meeting's weights and hard/soft switches;
//! [`service`] holds the use cases of jobs, versions and the
//! programme, [`handlers`] their HTTP, [`types`] their queries.

pub mod availability;
pub mod bench;
pub mod build;
pub mod edits;
pub mod handlers;
pub mod hubs;
pub mod jobs;
pub mod logistics;
pub mod placement;
pub mod rules;
pub mod service;
pub mod sheet;
pub mod signal;
pub mod solver;
pub mod types;
pub mod versions;
