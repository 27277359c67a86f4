//! Evaluation by the MAG: evaluator profiles, declared conflicts of interest, and the
//! assignment of evaluators to submitted proposals (computed by
//! [`crate::selection::assignment`], stored here).

pub mod handlers;
pub mod phase;
pub mod queries;
pub mod scores;
