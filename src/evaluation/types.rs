//! What the evaluation routes take and give.

use serde::{Deserialize, Serialize};

use super::{queries, scores};
use crate::error::ApiError;
use crate::proposals::types::{RegionalGroup, StakeholderGroup};

/// Body of `PUT /api/v1/users/{user_id}/evaluator-profile`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProfileRequest {
    /// Stakeholder group.
    pub stakeholder_group: Option<StakeholderGroup>,
    /// Regional group.
    pub regional_group: Option<RegionalGroup>,
    /// Organisation (a shared organisation with a proposal is a conflict of interest).
    pub organisation: Option<String>,
    /// Theme names of expertise.
    #[serde(default)]
    pub expertise: Vec<String>,
}

/// An evaluator profile as the API shows it.
#[derive(Debug, Serialize)]
pub struct ProfileResponse {
    /// The evaluator's account.
    pub user_id: i64,
    /// Stakeholder group.
    pub stakeholder_group: Option<String>,
    /// Regional group.
    pub regional_group: Option<String>,
    /// Organisation.
    pub organisation: Option<String>,
    /// Themes of expertise.
    pub expertise: Vec<String>,
    /// Last change, RFC 3339 UTC.
    pub updated_at: String,
}

impl TryFrom<queries::Profile> for ProfileResponse {
    type Error = ApiError;

    fn try_from(p: queries::Profile) -> Result<Self, ApiError> {
        let expertise =
            crate::db::json_column(&p.expertise, "evaluator_profiles.expertise", p.user_id)?;
        Ok(ProfileResponse {
            user_id: p.user_id,
            stakeholder_group: p.stakeholder_group,
            regional_group: p.regional_group,
            organisation: p.organisation,
            expertise,
            updated_at: crate::time::from_db(p.updated_at)
                .to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        })
    }
}

/// Body of `POST /api/v1/proposals/{proposal_id}/conflicts`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConflictRequest {
    /// Why (e.g. "I advised the organisers").
    pub reason: String,
}

/// Body of `POST /api/v1/meetings/{meeting_id}/evaluation/assignments`.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AssignRequest {
    /// Evaluators per proposal (default 5).
    #[serde(default, deserialize_with = "crate::optional::present")]
    pub per_proposal: Option<u32>,
    /// Distinct stakeholder groups wanted per proposal (default 3).
    #[serde(default, deserialize_with = "crate::optional::present")]
    pub min_stakeholder_groups: Option<u32>,
    /// Distinct regional groups wanted per proposal (default 3).
    #[serde(default, deserialize_with = "crate::optional::present")]
    pub min_regional_groups: Option<u32>,
}

impl AssignRequest {
    /// The assignment rules asked for, with the defaults for those not named; every
    /// number out of its range is named.
    pub fn rules(&self) -> Result<crate::selection::assignment::Rules, crate::error::ApiError> {
        let mut c = crate::validate::Checker::new();
        let per = self.per_proposal.unwrap_or(5);
        let sg = self.min_stakeholder_groups.unwrap_or(3);
        let rg = self.min_regional_groups.unwrap_or(3);
        c.range("per_proposal", per, 1, 20);
        c.range("min_stakeholder_groups", sg, 0, 5);
        c.range("min_regional_groups", rg, 0, 7);
        c.finish()?;
        Ok(crate::selection::assignment::Rules {
            per_proposal: per as usize,
            min_stakeholder_groups: sg as usize,
            min_regional_groups: rg as usize,
        })
    }
}

/// Query of the assignment list.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ListAssignmentsQuery {
    /// Only this evaluator (secretariat only).
    pub evaluator_id: Option<i64>,
    /// Page number.
    pub page: Option<i64>,
    /// Page size.
    pub per_page: Option<i64>,
}

/// Query of the score list.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ListScoresQuery {
    /// Only this evaluator (an evaluator may name only themself).
    pub evaluator_id: Option<i64>,
    /// Only this proposal.
    pub proposal_id: Option<i64>,
    /// Page number.
    pub page: Option<i64>,
    /// Page size.
    pub per_page: Option<i64>,
}

/// Query of the results.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ResultsQuery {
    /// Order by `normalised` or `mean`; by default the normalised score unless it is
    /// degenerate.
    pub sort: Option<scores::ScoreMethod>,
    /// Page number.
    pub page: Option<i64>,
    /// Page size.
    pub per_page: Option<i64>,
}

/// Answer of `GET /api/v1/meetings/{meeting_id}/evaluation/results`.
#[derive(Debug, Serialize)]
pub struct ResultsPage {
    /// The page of results.
    #[serde(flatten)]
    pub page: crate::page::Paginated<scores::ResultRow>,
    /// The score the results are ranked by.
    pub sorted_by: scores::ScoreMethod,
    /// How the scores were normalised.
    pub normalisation: scores::Normalisation,
}
