//! What the selection routes take and give: outcomes, selection requests and runs,
//! decisions, and the transparency report.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::programme::{ProgrammeDiversity, ShareBounds, Targets};
use crate::evaluation::phase;
use crate::evaluation::scores::ScoreMethod;

/// Query of the decision list.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ListDecisionsQuery {
    /// Only this outcome.
    pub outcome: Option<Outcome>,
    /// Page number.
    pub page: Option<i64>,
    /// Page size.
    pub per_page: Option<i64>,
}

/// The decision on a proposal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// In the programme.
    Approved,
    /// In the programme once merged with another proposal.
    ApprovedIfMerged,
    /// Converted to a lightning talk.
    Lightning,
    /// Taken in if a place frees up.
    Waitlisted,
    /// Not in the programme.
    Declined,
}

impl Outcome {
    /// Every value, in declaration order.
    pub const ALL: &'static [Outcome] = &[
        Outcome::Approved,
        Outcome::ApprovedIfMerged,
        Outcome::Lightning,
        Outcome::Waitlisted,
        Outcome::Declined,
    ];

    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Approved => "approved",
            Outcome::ApprovedIfMerged => "approved_if_merged",
            Outcome::Lightning => "lightning",
            Outcome::Waitlisted => "waitlisted",
            Outcome::Declined => "declined",
        }
    }

    /// Parses a stored name.
    pub fn parse(s: &str) -> Option<Outcome> {
        Some(match s {
            "approved" => Outcome::Approved,
            "approved_if_merged" => Outcome::ApprovedIfMerged,
            "lightning" => Outcome::Lightning,
            "waitlisted" => Outcome::Waitlisted,
            "declined" => Outcome::Declined,
            _ => return None,
        })
    }

    /// Whether the proposal becomes a session.
    pub fn in_programme(self) -> bool {
        matches!(
            self,
            Outcome::Approved | Outcome::ApprovedIfMerged | Outcome::Lightning
        )
    }
}

/// Body of `POST /api/v1/meetings/{meeting_id}/selection`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SelectionRequest {
    /// Which aggregate to maximise: `normalised` or `mean`; by default the normalised
    /// score unless it is degenerate.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[serde(default, deserialize_with = "crate::optional::present")]
    pub score: Option<ScoreMethod>,
    /// Most proposals per session type code.
    pub slots_per_type: BTreeMap<String, u32>,
    /// Exactly this many proposals in all, when set.
    pub total: Option<u32>,
    /// Wanted share of the programme per theme name.
    #[serde(default)]
    pub theme_shares: BTreeMap<String, ShareBounds>,
    /// Minimum share of proposals with an organiser of each stakeholder group.
    #[serde(default)]
    pub stakeholder_min_share: BTreeMap<String, f64>,
    /// Minimum share of proposals with an organiser of each regional group.
    #[serde(default)]
    pub region_min_share: BTreeMap<String, f64>,
    /// Minimum share of first-time proposals.
    pub first_time_min_share: Option<f64>,
    /// Minimum share of developing-country proposals.
    pub developing_min_share: Option<f64>,
    /// Most accepted proposals per organising organisation.
    pub max_per_organisation: Option<u32>,
    /// Most accepted sessions per speaker (default 3).
    pub max_per_speaker: Option<u32>,
    /// Score added per unit (0 to 1) of line-up diversity.
    #[serde(default)]
    pub diversity_bonus: f64,
    /// How many of the best declined proposals to propose as waitlisted (default 10).
    pub waitlist: Option<u32>,
    /// Scores a proposal needs to be a candidate (default 1).
    pub min_scores: Option<u32>,
    /// Seconds the optimiser may search (default 30, at most 300); past it, the best
    /// programme found so far is returned with its gap.
    pub time_limit_s: Option<u32>,
}

impl SelectionRequest {
    /// The size of the programme the shares are taken of.
    pub fn programme_size(&self) -> u32 {
        self.total
            .unwrap_or_else(|| self.slots_per_type.values().sum())
    }

    /// The targets as shares.
    pub fn targets(&self) -> Targets {
        Targets {
            themes: self.theme_shares.clone(),
            stakeholder_groups: self.stakeholder_min_share.clone(),
            regional_groups: self.region_min_share.clone(),
            first_time: self.first_time_min_share,
            developing_country: self.developing_min_share,
        }
    }
}

/// A decision the optimiser proposes.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Proposed {
    /// The proposal.
    pub proposal_id: i64,
    /// Its title.
    pub title: String,
    /// Theme name.
    pub theme: Option<String>,
    /// Session type code.
    pub session_type: Option<String>,
    /// The score it was selected on (none when it had too few scores).
    pub score: Option<f64>,
    /// Line-up diversity, 0 to 1.
    pub diversity: f64,
    /// Proposed outcome.
    pub outcome: Outcome,
    /// Why, in words.
    pub reason: String,
}

/// A stored selection run as the API shows it.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RunView {
    /// Id (named when confirming decisions).
    pub id: i64,
    /// The meeting.
    pub meeting_id: i64,
    /// When, RFC 3339 UTC.
    pub created_at: String,
    /// What was asked.
    pub request: SelectionRequest,
    /// Total score (plus diversity bonus) of the selected programme.
    pub objective: f64,
    /// Relative optimality gap; 0 means proven optimal.
    pub gap: f64,
    /// Proposals that were candidates.
    pub candidates: usize,
    /// Proposals selected.
    pub selected: usize,
    /// Optimiser time in milliseconds.
    pub solve_ms: u64,
    /// Diversity of the selected programme against the targets.
    pub diversity: serde_json::Value,
    /// A proposed decision per submitted proposal, selected first then by score.
    pub proposals: Vec<Proposed>,
    /// The aggregate the run maximised.
    pub score_used: ScoreMethod,
    /// What the run took from the meeting or fell back to, in words.
    pub notes: Vec<String>,
}

/// One decision in a request.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DecisionInput {
    /// The proposal.
    pub proposal_id: i64,
    /// The outcome.
    pub outcome: Outcome,
    /// Why (shown to the proposer once published); the run's reason when omitted.
    #[serde(default, deserialize_with = "crate::optional::present")]
    pub reason: Option<String>,
    /// The proposal to merge with (required for `approved_if_merged`).
    #[serde(default, deserialize_with = "crate::optional::present")]
    pub merge_with: Option<i64>,
}

/// Body of `POST /api/v1/meetings/{meeting_id}/decisions`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DecisionsRequest {
    /// Confirm every proposed decision of this selection run first.
    #[serde(default, deserialize_with = "crate::optional::present")]
    pub selection_run_id: Option<i64>,
    /// Decisions to record (after the run's, so they override them).
    #[serde(default)]
    pub decisions: Vec<DecisionInput>,
}

/// What recording decisions did.
#[derive(Debug, Clone, Serialize)]
pub struct DecisionsResult {
    /// Decisions in the request (run and explicit together, after overrides).
    pub recorded: usize,
    /// Decisions that are new or changed.
    pub changed: usize,
    /// Decisions of the meeting per outcome, after this request.
    pub outcomes: BTreeMap<String, i64>,
    /// Submitted proposals still without a decision.
    pub undecided: i64,
}

/// A recorded decision as the API shows it.
#[derive(Debug, Clone, Serialize)]
pub struct DecisionView {
    /// The proposal.
    pub proposal_id: i64,
    /// Its title.
    pub title: String,
    /// Outcome.
    pub outcome: String,
    /// Why.
    pub reason: String,
    /// Merge partner.
    pub merge_with: Option<i64>,
    /// The run it was confirmed from.
    pub selection_run_id: Option<i64>,
    /// Who decided.
    pub decided_by: Option<i64>,
    /// When, RFC 3339 UTC.
    pub decided_at: String,
}

/// One proposal in the transparency report: no evaluator, no person.
#[derive(Debug, Clone, Serialize)]
pub struct ReportRow {
    /// The proposal.
    pub proposal_id: i64,
    /// Its title.
    pub title: String,
    /// Theme name.
    pub theme: Option<String>,
    /// Session type code.
    pub session_type: Option<String>,
    /// Outcome.
    pub outcome: Option<String>,
    /// Why.
    pub reason: Option<String>,
    /// Scores received.
    pub scores: usize,
    /// Mean overall score.
    pub mean: Option<f64>,
    /// Standard deviation.
    pub sd: Option<f64>,
    /// Lowest overall score.
    pub min: Option<f64>,
    /// Highest overall score.
    pub max: Option<f64>,
    /// Normalised score.
    pub normalised: Option<f64>,
    /// Strong disagreement among evaluators.
    pub polarising: bool,
    /// Withdrawn by its proposer after the decision; the decision stands on record.
    pub withdrawn: bool,
}

/// The public transparency report.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    /// The meeting.
    pub meeting_id: i64,
    /// When results were published, RFC 3339 UTC (none in a secretariat preview).
    pub published_at: Option<String>,
    /// Whether this is the secretariat's preview before publication.
    pub preview: bool,
    /// Criteria each proposal was scored on, and the scale.
    pub criteria: Vec<phase::Criterion>,
    /// Lowest and highest score.
    pub scale: [i64; 2],
    /// How normalised scores are computed.
    pub normalisation: &'static str,
    /// Proposals per outcome.
    pub outcomes: BTreeMap<String, usize>,
    /// Diversity of the programme (approved, approved if merged, lightning) against
    /// the targets of the selection run the decisions came from.
    pub programme: ProgrammeDiversity,
    /// Every submitted proposal, in the programme first, then by normalised score.
    pub proposals: Vec<ReportRow>,
}
