//! Accounts, passwords, access tokens and the request extractors that authenticate.

pub mod extract;
pub mod handlers;
pub mod jwt;
pub mod limit;
pub mod password;
pub mod queries;
pub mod roles;

pub use extract::{AuthUser, MaybeAuthUser};
pub use roles::Role;
