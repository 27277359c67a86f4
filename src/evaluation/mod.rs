//! Evaluation by the MAG: the committee of each meeting ([`committee`]), evaluator
//! profiles, declared conflicts of interest, and the assignment of committee members
//! to submitted proposals (computed by [`crate::selection::assignment`], stored here),
//! the phases ([`phase`]) and the scores ([`scores`]). [`service`] holds the use
//! cases, [`handlers`] their HTTP, [`types`] what the API takes and gives.

pub mod committee;
pub mod handlers;
pub mod phase;
pub mod queries;
pub mod scores;
pub mod service;
pub mod types;
