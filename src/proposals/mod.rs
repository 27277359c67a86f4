//! Session proposals from the call: drafting, editing, screening, submission and
//! withdrawal, with the people on each proposal and their typed attributes.
//! [`service`] holds the use cases, [`handlers`] their HTTP, [`queries`] the storage over
//! [`models`], [`content`] what a proposal says and its checks, [`screening`] the pure screening rules, [`types`] what the API takes and
//! gives.

pub mod content;
pub mod handlers;
pub mod models;
pub mod queries;
pub mod screening;
pub mod service;
pub mod types;
