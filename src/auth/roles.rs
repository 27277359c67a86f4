//! The roles an account can hold, and the account acting in one of them.

use serde::{Deserialize, Serialize};

use crate::error::ApiError;

/// What an account may do: proposers submit, evaluators (MAG members) score, the
/// secretariat runs the meeting.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Submits and manages their own proposals.
    Proposer,
    /// A MAG member who evaluates proposals.
    Evaluator,
    /// Runs the meeting: configuration, accounts, everything.
    Secretariat,
}

impl Role {
    /// Every value, in declaration order.
    pub const ALL: &'static [Role] = &[Role::Proposer, Role::Evaluator, Role::Secretariat];

    /// The stored and serialised name.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Proposer => "proposer",
            Role::Evaluator => "evaluator",
            Role::Secretariat => "secretariat",
        }
    }

    /// Parses a stored or typed name.
    pub fn parse(s: &str) -> Option<Role> {
        match s {
            "proposer" => Some(Role::Proposer),
            "evaluator" => Some(Role::Evaluator),
            "secretariat" => Some(Role::Secretariat),
            _ => None,
        }
    }
}

impl std::fmt::Display for Role {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An authenticated, active account, with its current role from the database.
#[derive(Debug, Clone)]
pub struct AuthUser {
    /// Account id.
    pub id: i64,
    /// Current role.
    pub role: Role,
}

impl AuthUser {
    /// Refuses with 403 unless the account holds `role`.
    pub fn require(&self, role: Role) -> Result<(), ApiError> {
        if self.role == role {
            Ok(())
        } else {
            Err(ApiError::Forbidden(format!(
                "this needs the {role} role; you are signed in as {}",
                self.role
            )))
        }
    }

    /// Whether the account is the secretariat.
    pub fn is_secretariat(&self) -> bool {
        self.role == Role::Secretariat
    }
}
