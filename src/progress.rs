//! How a long action (the evaluators' assignment, the selection) tells whoever runs it
//! where it stands, and learns that it should stop. The optimisers take a [`Watch`]
//! and stay free of the job queue; a queued job's watch writes each step to the job's
//! progress, and a request answered at once watches nothing.

use serde::Serialize;

/// Where a long action stands.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Step {
    /// What it is doing now: a word the pages translate (`balancing`, `regions`,
    /// `optimising`, `bounding`, `conflicts`, `explaining`, `storing`).
    pub phase: &'static str,
    /// Units of the phase done, of `total`.
    pub done: u64,
    /// Units the phase has; 0 when it cannot count them (a search that runs until it
    /// proves its answer or its time runs out).
    pub total: u64,
    /// The best answer so far, when the action has one to show.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub best: Option<Best>,
}

impl Step {
    /// A step of `phase`, `done` of `total`, with no best answer yet.
    pub fn of(phase: &'static str, done: u64, total: u64) -> Step {
        Step {
            phase,
            done,
            total,
            best: None,
        }
    }

    /// The same step with the best answer so far.
    pub fn best(mut self, what: &'static str, value: f64) -> Step {
        self.best = Some(Best { what, value });
        self
    }
}

/// The best answer a long action has so far, as one figure with its meaning.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Best {
    /// What the figure counts: `below_coverage` (proposals below a coverage rule, lower
    /// is better) or `objective` (the programme's score, higher is better).
    pub what: &'static str,
    /// The figure.
    pub value: f64,
}

/// Whoever runs a long action.
pub trait Watch {
    /// Notes a step; answers false when the action should stop (it was cancelled, or
    /// its instance is shutting down).
    fn step(&mut self, step: Step) -> bool;
}

impl<F: FnMut(Step) -> bool> Watch for F {
    fn step(&mut self, step: Step) -> bool {
        self(step)
    }
}
