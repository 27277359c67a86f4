//! The vocabulary of proposals (roles, groups, formats) and the request and response
//! bodies of the proposal endpoints.

use serde::{Deserialize, Deserializer, Serialize};

use crate::vocabulary::vocabulary;

vocabulary! {
    /// The part a person plays in a proposed session.
    ParticipantRole {
        /// Organises the session; the form's contacts.
        Organiser = "organiser",
        /// Speaks.
        Speaker = "speaker",
        /// Moderates the room.
        OnsiteModerator = "onsite_moderator",
        /// Moderates online participants.
        OnlineModerator = "online_moderator",
        /// Writes the session report.
        Rapporteur = "rapporteur",
    }
}

vocabulary! {
    /// The IGF stakeholder groups.
    StakeholderGroup {
        /// Government.
        Government = "government",
        /// Private sector.
        PrivateSector = "private_sector",
        /// Civil society.
        CivilSociety = "civil_society",
        /// Technical community.
        TechnicalCommunity = "technical_community",
        /// Intergovernmental organization.
        IntergovernmentalOrganization = "intergovernmental_organization",
    }
}

vocabulary! {
    /// The UN regional groups, plus the IGF's two pseudo-regions.
    RegionalGroup {
        /// African Group.
        African = "african",
        /// Asia-Pacific Group.
        AsiaPacific = "asia_pacific",
        /// Eastern European Group.
        EasternEuropean = "eastern_european",
        /// Latin American and Caribbean Group.
        Grulac = "grulac",
        /// Western European and Others Group.
        Weog = "weog",
        /// Intergovernmental organizations.
        IntergovernmentalOrganizations = "intergovernmental_organizations",
        /// Other.
        Other = "other",
    }
}

vocabulary! {
    /// Gender as a person discloses it (personal data: never public, only in aggregates).
    Gender {
        /// Female.
        Female = "female",
        /// Male.
        Male = "male",
        /// Non-binary.
        NonBinary = "non_binary",
        /// Not disclosed.
        Undisclosed = "undisclosed",
    }
}

vocabulary! {
    /// How a person takes part.
    Participation {
        /// In the room.
        Onsite = "onsite",
        /// Remotely.
        Online = "online",
    }
}

vocabulary! {
    /// Session formats of the workshop form.
    Format {
        /// Break-out groups.
        BreakOut = "break_out",
        /// Debate.
        Debate = "debate",
        /// Roundtable.
        Roundtable = "roundtable",
        /// Birds of a feather.
        BirdsOfAFeather = "birds_of_a_feather",
        /// Flash session.
        Flash = "flash",
        /// Panel.
        Panel = "panel",
        /// Anything else.
        Other = "other",
    }
}

vocabulary! {
    /// Room layouts.
    Layout {
        /// Auditorium.
        Auditorium = "auditorium",
        /// Classroom.
        Classroom = "classroom",
        /// Theatre.
        Theater = "theater",
        /// U-shape.
        UShape = "u_shape",
        /// Round table.
        RoundTable = "round_table",
        /// Boardroom.
        Boardroom = "boardroom",
    }
}

vocabulary! {
    /// Where a proposal stands.
    ProposalStatus {
        /// Being written; may be incomplete.
        Draft = "draft",
        /// Passed screening and entered the call.
        Submitted = "submitted",
        /// Taken back by its proposer.
        Withdrawn = "withdrawn",
    }
}

/// Distinguishes a missing field (leave alone) from `null` (clear it) in a PATCH.
pub fn double_option<'de, T: Deserialize<'de>, D: Deserializer<'de>>(
    d: D,
) -> Result<Option<Option<T>>, D::Error> {
    Option::<T>::deserialize(d).map(Some)
}

/// A person on a proposal, as sent by the proposer. Drafts may leave attributes out;
/// screening requires them.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ParticipantInput {
    /// Role on this proposal.
    pub role: ParticipantRole,
    /// Full name as it should be shown.
    pub name: String,
    /// Email (private).
    pub email: Option<String>,
    /// Organisation.
    pub organisation: Option<String>,
    /// ISO 3166-1 alpha-2 country code.
    pub country: Option<String>,
    /// Stakeholder group.
    pub stakeholder_group: Option<StakeholderGroup>,
    /// Regional group.
    pub regional_group: Option<RegionalGroup>,
    /// Gender (private).
    pub gender: Option<Gender>,
    /// Home IANA time zone.
    pub timezone: Option<String>,
    /// Onsite or online.
    pub participation: Option<Participation>,
}

/// The whole editable content of a proposal, whether it comes from a create (the
/// body of `POST /api/v1/meetings/{meeting_id}/proposals`), from a stored proposal with
/// a patch applied, or from the demo generator.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProposalData {
    /// Title (required even for a draft, to tell drafts apart).
    pub title: String,
    /// Description of the Internet-governance issue.
    #[serde(default)]
    pub description: String,
    /// Policy questions.
    #[serde(default)]
    pub policy_questions: Vec<String>,
    /// Theme id of the meeting.
    pub theme_id: Option<i64>,
    /// Session type code of the meeting.
    pub session_type: Option<String>,
    /// Duration in minutes.
    pub duration_min: Option<i32>,
    /// Format.
    pub format: Option<Format>,
    /// Room layout wished for.
    pub layout: Option<Layout>,
    /// Sustainable Development Goals, 1 to 17.
    #[serde(default)]
    pub sdgs: Vec<i32>,
    /// Expected outcomes.
    #[serde(default)]
    pub expected_outcomes: String,
    /// How onsite and online participants will interact.
    #[serde(default)]
    pub hybrid_plan: String,
    /// First-time proposer.
    #[serde(default)]
    pub first_time: bool,
    /// Proposer from a developing country.
    #[serde(default)]
    pub developing_country: bool,
    /// Organised an IGF session before.
    #[serde(default)]
    pub past_organiser: bool,
    /// Report of the earlier session.
    pub previous_report_url: Option<String>,
    /// Languages the session should be interpreted into (ISO 639 codes).
    #[serde(default)]
    pub interpretation: Vec<String>,
    /// Real-time captioning asked for.
    #[serde(default)]
    pub captioning: bool,
    /// Sign-language interpretation asked for.
    #[serde(default)]
    pub sign_language: bool,
    /// The people.
    #[serde(default)]
    pub participants: Vec<ParticipantInput>,
}

/// Body of `POST /api/v1/meetings/{meeting_id}/proposals`.
pub type CreateProposalRequest = ProposalData;

/// Body of `PATCH /api/v1/proposals/{id}`: fields present are replaced; `null` clears a
/// field that may be empty; `participants`, when present, replaces the whole list.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UpdateProposalRequest {
    /// Title.
    #[serde(default, deserialize_with = "crate::optional::present")]
    pub title: Option<String>,
    /// Description.
    #[serde(default, deserialize_with = "crate::optional::present")]
    pub description: Option<String>,
    /// Policy questions.
    #[serde(default, deserialize_with = "crate::optional::present")]
    pub policy_questions: Option<Vec<String>>,
    /// Theme id.
    #[serde(default, deserialize_with = "double_option")]
    pub theme_id: Option<Option<i64>>,
    /// Session type code.
    #[serde(default, deserialize_with = "double_option")]
    pub session_type: Option<Option<String>>,
    /// Duration in minutes.
    #[serde(default, deserialize_with = "double_option")]
    pub duration_min: Option<Option<i32>>,
    /// Format.
    #[serde(default, deserialize_with = "double_option")]
    pub format: Option<Option<Format>>,
    /// Layout.
    #[serde(default, deserialize_with = "double_option")]
    pub layout: Option<Option<Layout>>,
    /// SDGs.
    #[serde(default, deserialize_with = "crate::optional::present")]
    pub sdgs: Option<Vec<i32>>,
    /// Expected outcomes.
    #[serde(default, deserialize_with = "crate::optional::present")]
    pub expected_outcomes: Option<String>,
    /// Hybrid plan.
    #[serde(default, deserialize_with = "crate::optional::present")]
    pub hybrid_plan: Option<String>,
    /// First-time proposer.
    #[serde(default, deserialize_with = "crate::optional::present")]
    pub first_time: Option<bool>,
    /// Developing country.
    #[serde(default, deserialize_with = "crate::optional::present")]
    pub developing_country: Option<bool>,
    /// Past organiser.
    #[serde(default, deserialize_with = "crate::optional::present")]
    pub past_organiser: Option<bool>,
    /// Earlier report.
    #[serde(default, deserialize_with = "double_option")]
    pub previous_report_url: Option<Option<String>>,
    /// Interpretation languages.
    #[serde(default, deserialize_with = "crate::optional::present")]
    pub interpretation: Option<Vec<String>>,
    /// Captioning.
    #[serde(default, deserialize_with = "crate::optional::present")]
    pub captioning: Option<bool>,
    /// Sign language.
    #[serde(default, deserialize_with = "crate::optional::present")]
    pub sign_language: Option<bool>,
    /// The whole list of people.
    #[serde(default, deserialize_with = "crate::optional::present")]
    pub participants: Option<Vec<ParticipantInput>>,
}

/// A person on a proposal as its proposer and the secretariat see them.
#[derive(Debug, Clone, Serialize)]
pub struct ParticipantResponse {
    /// Role.
    pub role: String,
    /// Name.
    pub name: String,
    /// Email.
    pub email: Option<String>,
    /// Organisation.
    pub organisation: Option<String>,
    /// Country code.
    pub country: Option<String>,
    /// Stakeholder group.
    pub stakeholder_group: Option<String>,
    /// Regional group.
    pub regional_group: Option<String>,
    /// Gender.
    pub gender: Option<String>,
    /// IANA zone.
    pub timezone: Option<String>,
    /// Onsite or online.
    pub participation: Option<String>,
}

/// A proposal as its proposer and the secretariat see it.
#[derive(Debug, Clone, Serialize)]
pub struct ProposalResponse {
    /// Id.
    pub id: i64,
    /// Meeting.
    pub meeting_id: i64,
    /// Proposing account (hidden from evaluators under blind review).
    pub proposer_id: Option<i64>,
    /// Status.
    pub status: String,
    /// Title.
    pub title: String,
    /// Description.
    pub description: String,
    /// Policy questions.
    pub policy_questions: Vec<String>,
    /// Theme id.
    pub theme_id: Option<i64>,
    /// Session type code.
    pub session_type: Option<String>,
    /// Duration in minutes.
    pub duration_min: Option<i32>,
    /// Format.
    pub format: Option<String>,
    /// Layout.
    pub layout: Option<String>,
    /// SDGs.
    pub sdgs: Vec<i32>,
    /// Expected outcomes.
    pub expected_outcomes: String,
    /// Hybrid plan.
    pub hybrid_plan: String,
    /// First-time proposer.
    pub first_time: bool,
    /// Developing country.
    pub developing_country: bool,
    /// Past organiser.
    pub past_organiser: bool,
    /// Earlier report.
    pub previous_report_url: Option<String>,
    /// Interpretation languages asked for.
    pub interpretation: Vec<String>,
    /// Real-time captioning asked for.
    pub captioning: bool,
    /// Sign language asked for.
    pub sign_language: bool,
    /// People.
    pub participants: Vec<ParticipantResponse>,
    /// Optimistic-concurrency version (also the ETag).
    pub version: i32,
    /// Created, RFC 3339 UTC.
    pub created_at: String,
    /// Last changed, RFC 3339 UTC.
    pub updated_at: String,
    /// Submitted, RFC 3339 UTC.
    pub submitted_at: Option<String>,
    /// Withdrawn, RFC 3339 UTC.
    pub withdrawn_at: Option<String>,
    /// The selection outcome: shown to the secretariat once decided, to the proposer
    /// once results are published; otherwise null.
    pub outcome: Option<OutcomeView>,
    /// Every screening rule the proposal breaks now (empty when it passes), shown to
    /// its proposer and the secretariat on the proposal itself and after each change;
    /// null in lists and for evaluators.
    pub screening: Option<Vec<crate::error::FieldError>>,
}

/// Query of the proposal list.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ListProposalsQuery {
    /// Only this theme.
    pub theme_id: Option<i64>,
    /// Only this session type code.
    pub session_type: Option<String>,
    /// Only this status.
    pub status: Option<ProposalStatus>,
    /// Only proposals with someone from this regional group.
    pub regional_group: Option<RegionalGroup>,
    /// Case-insensitive search in titles.
    pub q: Option<String>,
    /// Page number.
    pub page: Option<i64>,
    /// Page size.
    pub per_page: Option<i64>,
}

/// The outcome of one proposal as its proposer sees it once results are published.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct OutcomeView {
    /// The outcome.
    pub outcome: String,
    /// Why.
    pub reason: String,
    /// Merge partner, for `approved_if_merged`.
    pub merge_with: Option<i64>,
}
