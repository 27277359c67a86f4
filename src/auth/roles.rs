//! The roles an account can hold.

use serde::{Deserialize, Serialize};

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
