//! Solver tests from outside the crate: an independent feasibility checker, the
//! shared benchmark's own checker on CLI output, a brute-force oracle on tiny
//! instances, property tests and repair.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod bench_cli;
mod checker;
mod fixtures;
mod oracle;
mod properties;
mod regressions;
mod repair;
