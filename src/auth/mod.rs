//! Accounts, passwords, access tokens and the request extractors that authenticate.

pub mod browser;
pub mod extract;
pub mod handlers;
pub mod jwt;
pub mod limit;
pub mod password;
pub mod queries;
pub mod recovery;
pub mod roles;
pub mod service;
pub mod types;

pub use roles::{AuthUser, Role};
