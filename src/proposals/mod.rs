//! Session proposals from the call: drafting, editing, screening, submission and
//! withdrawal, with the people on each proposal and their typed attributes.

pub mod handlers;
pub mod queries;
pub mod screening;
pub mod types;
