//! Scores and explanations: every penalty a schedule pays, with the sessions and
//! people involved and the reason in words.

use serde::Serialize;

use super::problem::{PersonId, SessionId};

/// One penalty paid.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Penalty {
    /// The rule.
    pub constraint: &'static str,
    /// Whether the rule is hard.
    pub hard: bool,
    /// Cost: violations for hard rules, weighted cost for soft ones.
    pub cost: i64,
    /// Sessions involved.
    pub sessions: Vec<SessionId>,
    /// People involved.
    pub people: Vec<PersonId>,
    /// The reason in words.
    pub reason: String,
}

/// The total of one rule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RuleScore {
    /// The rule.
    pub constraint: &'static str,
    /// Hard or soft.
    pub hard: bool,
    /// Number of penalties.
    pub count: usize,
    /// Their summed cost.
    pub cost: i64,
}

/// Hard violations and soft cost; lower is better, hard first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Default)]
pub struct Score {
    /// Hard violations.
    pub hard: i64,
    /// Soft cost.
    pub soft: i64,
}

/// A schedule's full evaluation.
#[derive(Debug, Clone, Serialize)]
pub struct Evaluation {
    /// Totals.
    pub score: Score,
    /// Per rule, every rule listed.
    pub rules: Vec<RuleScore>,
    /// Every penalty.
    pub penalties: Vec<Penalty>,
    /// What the technical services carry in each slot (when the problem has logistics).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub logistics: Vec<SlotUse>,
}

/// What one slot uses of the meeting's online channels, captioners and interpreter
/// teams, beside what there is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SlotUse {
    /// The slot.
    pub slot: super::problem::SlotId,
    /// Hybrid sessions starting in it, each on an online channel.
    pub online_channels: u32,
    /// Online channels the meeting has, if limited.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub online_channels_limit: Option<u32>,
    /// Captioned sessions starting in it.
    pub captioners: u32,
    /// Captioners the meeting has, if limited.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub captioners_limit: Option<u32>,
    /// The interpreter teams at work in it.
    pub interpreter_teams: Vec<String>,
}
