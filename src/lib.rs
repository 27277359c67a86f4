//! igf-scheduler: carries an Internet Governance Forum style meeting from the call for
//! proposals to the calendar on an attendee's phone.
//!
//! Crate map:
//! - [`app`]: the HTTP server; [`routes`]: its one route map; [`state`]: what every
//!   handler reaches; [`cli`]: the command line.
//! - [`config`], [`telemetry`], [`error`], [`extract`], [`page`], [`validate`], [`text`],
//!   [`vocabulary`], [`etag`], [`time`], [`secret`]: cross-cutting plumbing.
//! - [`db`]: SQLite/PostgreSQL connections, pool, migrations, schema.
//! - [`auth`]: accounts, passwords, tokens, extractors.
//! - [`meetings`], [`proposals`], [`evaluation`], [`selection`], [`sessions`], [`bilaterals`],
//!   [`scheduling`], [`audit`]: the domains.
//! - [`demo`]: the deterministic demo meeting.

pub mod app;
pub mod audit;
pub mod auth;
pub mod bilaterals;
pub mod cli;
pub mod client;
pub mod config;
pub mod db;
pub mod demo;
pub mod error;
pub mod etag;
pub mod evaluation;
pub mod exports;
pub mod extract;
pub mod feeds;
pub mod meetings;
pub mod notify;
pub mod ops;
pub mod optional;
pub mod page;
pub mod progress;
pub mod proposals;
pub mod reports;
pub mod routes;
pub mod scheduling;
pub mod secret;
pub mod selection;
pub mod sessions;
pub mod state;
pub mod telemetry;
pub mod text;
pub mod throttle;
pub mod time;
pub mod validate;
pub mod vocabulary;
pub mod watched;
pub mod web;
