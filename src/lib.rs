//! igf-scheduler: carries an Internet Governance Forum style meeting from the call for
//! proposals to the calendar on an attendee's phone.
//!
//! Crate map:
//! - [`app`]: the HTTP application and its one route map; [`cli`]: the command line.
//! - [`config`], [`telemetry`], [`error`], [`extract`], [`validate`], [`etag`], [`time`]:
//!   cross-cutting plumbing.
//! - [`db`]: SQLite/PostgreSQL connections, pool, migrations, schema.
//! - [`auth`]: accounts, passwords, tokens, extractors.
//! - [`meetings`], [`proposals`], [`evaluation`], [`selection`], [`sessions`],
//!   [`scheduling`], [`audit`]: the domains.
//! - [`demo`]: the deterministic demo meeting.

pub mod app;
pub mod audit;
pub mod auth;
pub mod cli;
pub mod config;
pub mod db;
pub mod demo;
pub mod error;
pub mod etag;
pub mod evaluation;
pub mod extract;
pub mod feeds;
pub mod meetings;
pub mod ops;
pub mod proposals;
pub mod scheduling;
pub mod selection;
pub mod sessions;
pub mod telemetry;
pub mod time;
pub mod validate;
