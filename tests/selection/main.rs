//! Selection optimiser tests: the shared benchmark's optimum, quotas holding on random
//! instances, brute-force optimality on tiny ones, conflict reports and reasons.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod assignment;
mod benchmark;
mod rules;
