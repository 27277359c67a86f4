//! A long action as a use case runs it: watched while it computes (see
//! [`crate::progress`]) and sealed in the same transaction that stores its outcome, so
//! that a queued job and its result are one write, and a job its instance lost stores
//! nothing.

use crate::db::DbConn;
use crate::error::ApiError;
use crate::progress::{Step, Watch};

/// Whoever runs a long action: its watch, and what is written with its outcome.
pub trait Watched: Watch {
    /// Called inside the transaction that stores the outcome; an error rolls it back.
    fn seal(&mut self, c: &mut DbConn, outcome: &serde_json::Value) -> Result<(), ApiError>;
}

/// An action answered within its request: nothing watches it and nothing more is
/// written with its outcome.
pub struct AtOnce;

impl Watch for AtOnce {
    fn step(&mut self, _: Step) -> bool {
        true
    }
}

impl Watched for AtOnce {
    fn seal(&mut self, _: &mut DbConn, _: &serde_json::Value) -> Result<(), ApiError> {
        Ok(())
    }
}
