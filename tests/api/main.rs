//! API tests over HTTP against the real application, each on a fresh database: SQLite
//! by default, PostgreSQL when `TEST_DATABASE_URL` is set (`scripts/test.sh` runs both).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod auth;
mod bilaterals;
/// The solver tests' feasibility checker, written apart from the solver.
#[path = "../solver/checker.rs"]
#[allow(dead_code)]
mod checker;
mod cli;
mod committee;
mod concurrency;
mod demo;
mod desk;
mod errors;
mod evaluation;
mod exports;
mod faults;
mod feeds;
mod helpers;
mod instances;
mod limits;
mod lineups;
mod logs;
mod matrix;
mod meetings;
mod messages;
mod migrations;
mod pages;
mod proposals;
mod recovery;
mod scheduling;
mod scoring;
mod spec;
