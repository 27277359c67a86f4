//! A meeting's evaluation settings and phase. The phase decides who may do what:
//! assignments are made before scoring and may be redone during it; evaluators score
//! only while scoring is open; the secretariat selects and decides once it is closed;
//! publishing the results is final and opens outcomes and the transparency report.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use serde_json::json;

use crate::audit;
use crate::db::DbConn;
use crate::db::schema::{
    evaluation_assignments as ea, evaluation_settings as es, proposal_decisions as pd, proposals,
};
use crate::error::ApiError;
use crate::meetings::models::Meeting;
use crate::time::{from_db, now, to_db};

/// Where a meeting's evaluation stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Phase {
    /// Set-up: criteria and review mode may change; evaluators are assigned.
    NotStarted,
    /// Evaluators score their assigned proposals.
    Scoring,
    /// Scores are frozen; the secretariat aggregates, selects and decides.
    Closed,
    /// Decisions are public; final.
    Published,
}

impl Phase {
    /// Every value, in declaration order.
    pub const ALL: &'static [Phase] = &[
        Phase::NotStarted,
        Phase::Scoring,
        Phase::Closed,
        Phase::Published,
    ];

    /// The stored and shown name.
    pub fn as_str(self) -> &'static str {
        match self {
            Phase::NotStarted => "not_started",
            Phase::Scoring => "scoring",
            Phase::Closed => "closed",
            Phase::Published => "published",
        }
    }

    fn parse(s: &str) -> Result<Phase, ApiError> {
        Ok(match s {
            "not_started" => Phase::NotStarted,
            "scoring" => Phase::Scoring,
            "closed" => Phase::Closed,
            "published" => Phase::Published,
            other => {
                return Err(ApiError::Internal(anyhow::anyhow!(
                    "unknown stored evaluation phase {other:?}"
                )));
            }
        })
    }
}

/// One scoring criterion.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Criterion {
    /// Key used in score bodies (lower case, digits and `_`).
    pub key: String,
    /// Name shown to evaluators.
    pub label: String,
    /// What the evaluator judges.
    #[serde(default)]
    pub description: String,
}

/// The DOMAIN defaults: relevance, content, format and hybrid interactivity, diversity.
pub fn default_criteria() -> Vec<Criterion> {
    let c = |key: &str, label: &str, description: &str| Criterion {
        key: key.into(),
        label: label.into(),
        description: description.into(),
    };
    vec![
        c(
            "relevance",
            "Relevance",
            "Relevance to the theme and its policy questions",
        ),
        c(
            "content",
            "Content",
            "Quality, clarity and depth of the proposed discussion",
        ),
        c(
            "format_and_hybrid",
            "Format and hybrid interactivity",
            "Fit of the format, and how onsite and online participants take part",
        ),
        c(
            "diversity",
            "Diversity",
            "Stakeholder, regional, gender and policy-perspective diversity of the line-up",
        ),
    ]
}

/// Lowest score of the scale.
pub const SCALE_MIN: i64 = 1;
/// Highest score of the scale.
pub const SCALE_MAX: i64 = 5;

/// A meeting's evaluation settings.
#[derive(Debug, Clone)]
pub struct Settings {
    /// The meeting.
    pub meeting_id: i64,
    /// Current phase.
    pub phase: Phase,
    /// Scoring criteria.
    pub criteria: Vec<Criterion>,
    /// Whether evaluators see proposals without the proposer's identity.
    pub blind_review: bool,
    /// When the results were published.
    pub published_at: Option<NaiveDateTime>,
    /// Optimistic-concurrency version.
    pub version: i32,
    /// Last change.
    pub updated_at: Option<NaiveDateTime>,
}

type Row = (
    i64,
    String,
    String,
    bool,
    Option<NaiveDateTime>,
    i32,
    NaiveDateTime,
);

/// The meeting's settings; the defaults when none were stored yet.
pub fn load(conn: &mut DbConn, meeting_id: i64) -> Result<Settings, ApiError> {
    let row: Option<Row> = es::table
        .find(meeting_id)
        .select((
            es::meeting_id,
            es::phase,
            es::criteria,
            es::blind_review,
            es::published_at,
            es::version,
            es::updated_at,
        ))
        .first(conn)
        .optional()?;
    Ok(match row {
        None => Settings {
            meeting_id,
            phase: Phase::NotStarted,
            criteria: default_criteria(),
            blind_review: false,
            published_at: None,
            version: 0,
            updated_at: None,
        },
        Some((meeting_id, phase, criteria, blind_review, published_at, version, updated_at)) => {
            Settings {
                meeting_id,
                phase: Phase::parse(&phase)?,
                criteria: serde_json::from_str(&criteria)
                    .map_err(|e| ApiError::Internal(e.into()))?,
                blind_review,
                published_at,
                version,
                updated_at: Some(updated_at),
            }
        }
    })
}

/// Refuses with 409 `wrong_phase` unless the evaluation is in one of `allowed`.
pub fn require(s: &Settings, allowed: &[Phase], doing: &str) -> Result<(), ApiError> {
    if allowed.contains(&s.phase) {
        return Ok(());
    }
    let names: Vec<&str> = allowed.iter().map(|p| p.as_str()).collect();
    let mut extra = serde_json::Map::new();
    extra.insert("phase".into(), json!(s.phase.as_str()));
    extra.insert("allowed_phases".into(), json!(names));
    Err(ApiError::Conflict {
        code: crate::error::Code::WrongPhase,
        message: format!(
            "{doing} is possible only while the evaluation is {}; it is {}",
            names.join(" or "),
            s.phase.as_str()
        ),
        extra,
    })
}

/// The ETag of a meeting's evaluation settings.
pub fn etag(s: &Settings) -> String {
    crate::etag::tag("evaluation", s.meeting_id, s.version)
}

/// How far scoring has come.
#[derive(Debug, Clone, Serialize)]
pub struct Progress {
    /// Submitted proposals.
    pub proposals: i64,
    /// Stored assignments.
    pub assignments: i64,
    /// Assignments with a score.
    pub scored: i64,
    /// Proposals with a decision.
    pub decided: i64,
}

/// Counts for the settings view.
pub fn progress(conn: &mut DbConn, meeting_id: i64) -> Result<Progress, ApiError> {
    use crate::db::schema::evaluation_scores as sc;
    Ok(Progress {
        proposals: proposals::table
            .filter(proposals::meeting_id.eq(meeting_id))
            .filter(
                proposals::status.eq(crate::proposals::types::ProposalStatus::Submitted.as_str()),
            )
            .count()
            .get_result(conn)?,
        assignments: ea::table
            .filter(ea::meeting_id.eq(meeting_id))
            .count()
            .get_result(conn)?,
        scored: sc::table
            .filter(sc::meeting_id.eq(meeting_id))
            .count()
            .get_result(conn)?,
        decided: pd::table
            .filter(pd::meeting_id.eq(meeting_id))
            .count()
            .get_result(conn)?,
    })
}

/// A meeting's evaluation as the API shows it.
#[derive(Debug, Clone, Serialize)]
pub struct SettingsView {
    /// The meeting.
    pub meeting_id: i64,
    /// Current phase.
    pub phase: Phase,
    /// Scoring criteria.
    pub criteria: Vec<Criterion>,
    /// Lowest and highest score.
    pub scale: [i64; 2],
    /// Whether evaluators see proposals without the proposer's identity.
    pub blind_review: bool,
    /// When results were published, RFC 3339 UTC.
    pub published_at: Option<String>,
    /// Version (also in the ETag).
    pub version: i32,
    /// Counts.
    pub progress: Progress,
}

/// The settings view.
pub fn view(conn: &mut DbConn, s: &Settings) -> Result<SettingsView, ApiError> {
    Ok(SettingsView {
        meeting_id: s.meeting_id,
        phase: s.phase,
        criteria: s.criteria.clone(),
        scale: [SCALE_MIN, SCALE_MAX],
        blind_review: s.blind_review,
        published_at: s
            .published_at
            .map(|t| from_db(t).to_rfc3339_opts(chrono::SecondsFormat::Secs, true)),
        version: s.version,
        progress: progress(conn, s.meeting_id)?,
    })
}

/// A requested change of the settings.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Change {
    /// Move to this phase.
    #[serde(default, deserialize_with = "crate::optional::present")]
    pub phase: Option<Phase>,
    /// Replace the criteria (only before scoring).
    #[serde(default, deserialize_with = "crate::optional::present")]
    pub criteria: Option<Vec<Criterion>>,
    /// Switch blind review (only before scoring).
    #[serde(default, deserialize_with = "crate::optional::present")]
    pub blind_review: Option<bool>,
}

/// Validates criteria: 1 to 10, keys unique and well-formed, labels given.
pub fn check_criteria(c: &mut crate::validate::Checker, criteria: &[Criterion]) {
    if criteria.is_empty() {
        c.add("criteria", "min_items", "at least one criterion is needed");
    }
    // Over the cap the list is refused whole; its items are not read.
    let listed = if c.max_items("criteria", criteria.len(), 10) {
        criteria.len()
    } else {
        0
    };
    let mut seen = std::collections::BTreeSet::new();
    for (i, k) in criteria.iter().take(listed).enumerate() {
        let ok = !k.key.is_empty()
            && k.key.len() <= 40
            && k.key.starts_with(|ch: char| ch.is_ascii_lowercase())
            && k.key
                .chars()
                .all(|ch| ch.is_ascii_lowercase() || ch.is_ascii_digit() || ch == '_');
        if !ok {
            c.add(
                format!("criteria[{i}].key"),
                "pattern",
                "a key is 1 to 40 lower-case letters, digits or `_`, starting with a letter",
            );
        }
        if !seen.insert(k.key.as_str()) {
            c.add(
                format!("criteria[{i}].key"),
                "unique",
                format!("the key {:?} is used twice", k.key),
            );
        }
        c.text(&format!("criteria[{i}].label"), &k.label, 200);
        c.max_len(&format!("criteria[{i}].description"), &k.description, 1000);
    }
}

fn transition_error(from: Phase, to: Phase, why: String) -> ApiError {
    let mut extra = serde_json::Map::new();
    extra.insert("phase".into(), json!(from.as_str()));
    extra.insert("requested_phase".into(), json!(to.as_str()));
    ApiError::Conflict {
        code: crate::error::Code::InvalidTransition,
        message: why,
        extra,
    }
}

/// Applies a change (checked against the phase rules), audited; returns the new settings.
pub fn update(
    conn: &mut DbConn,
    actor: i64,
    meeting: &Meeting,
    change: Change,
    expected: &Option<Vec<String>>,
) -> Result<Settings, ApiError> {
    crate::db::write_tx(conn, |c| {
        let mut s = load(c, meeting.id)?;
        crate::etag::check(expected, &etag(&s))?;
        let from = s.phase;
        if change.criteria.is_some() || change.blind_review.is_some() {
            require(
                &s,
                &[Phase::NotStarted],
                "changing the criteria or the review mode",
            )?;
        }
        if let Some(criteria) = change.criteria.clone() {
            s.criteria = criteria;
        }
        if let Some(b) = change.blind_review {
            s.blind_review = b;
        }
        if let Some(to) = change.phase.filter(|to| *to != from) {
            check_transition(c, meeting, &s, to)?;
            s.phase = to;
            if to == Phase::Published {
                let at = to_db(now());
                s.published_at = Some(at);
                crate::notify::results_published(c, meeting.id, at)?;
            }
        }
        let at = to_db(now());
        let criteria =
            serde_json::to_string(&s.criteria).map_err(|e| ApiError::Internal(e.into()))?;
        if s.version == 0 {
            diesel::insert_into(es::table)
                .values((
                    es::meeting_id.eq(meeting.id),
                    es::phase.eq(s.phase.as_str()),
                    es::criteria.eq(&criteria),
                    es::blind_review.eq(s.blind_review),
                    es::published_at.eq(s.published_at),
                    es::version.eq(1),
                    es::updated_at.eq(at),
                ))
                .execute(c)?;
        } else {
            let n = diesel::update(es::table.find(meeting.id).filter(es::version.eq(s.version)))
                .set((
                    es::phase.eq(s.phase.as_str()),
                    es::criteria.eq(&criteria),
                    es::blind_review.eq(s.blind_review),
                    es::published_at.eq(s.published_at),
                    es::version.eq(s.version + 1),
                    es::updated_at.eq(at),
                ))
                .execute(c)?;
            if n == 0 {
                return Err(ApiError::PreconditionFailed);
            }
        }
        audit::record(
            c,
            Some(actor),
            "evaluation.settings",
            "meeting",
            meeting.id,
            Some(meeting.id),
            json!({"phase": {"from": from.as_str(), "to": s.phase.as_str()},
                   "criteria": change.criteria.as_ref().map(|v| v.iter().map(|k| k.key.clone()).collect::<Vec<_>>()),
                   "blind_review": change.blind_review}),
        )?;
        load(c, meeting.id)
    })
}

fn check_transition(
    c: &mut DbConn,
    meeting: &Meeting,
    s: &Settings,
    to: Phase,
) -> Result<(), ApiError> {
    let from = s.phase;
    match (from, to) {
        (Phase::NotStarted, Phase::Scoring) => {
            if from_db(meeting.cfp_closes_at) > now() {
                return Err(transition_error(
                    from,
                    to,
                    format!(
                        "scoring opens after the call for proposals closes ({})",
                        from_db(meeting.cfp_closes_at)
                            .to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
                    ),
                ));
            }
            let n: i64 = ea::table
                .filter(ea::meeting_id.eq(meeting.id))
                .count()
                .get_result(c)?;
            if n == 0 {
                return Err(transition_error(
                    from,
                    to,
                    "assign evaluators before scoring opens".into(),
                ));
            }
        }
        (Phase::Scoring, Phase::Closed) => {}
        (Phase::Closed, Phase::Scoring) => {
            let n: i64 = pd::table
                .filter(pd::meeting_id.eq(meeting.id))
                .count()
                .get_result(c)?;
            if n > 0 {
                return Err(transition_error(
                    from,
                    to,
                    format!("scoring cannot reopen: {n} decision(s) are already recorded"),
                ));
            }
        }
        (Phase::Closed, Phase::Published) => {
            let undecided: Vec<i64> = proposals::table
                .left_join(pd::table)
                .filter(proposals::meeting_id.eq(meeting.id))
                .filter(
                    proposals::status
                        .eq(crate::proposals::types::ProposalStatus::Submitted.as_str()),
                )
                .filter(pd::proposal_id.nullable().is_null())
                .order(proposals::id)
                .select(proposals::id)
                .load(c)?;
            if !undecided.is_empty() {
                let mut extra = serde_json::Map::new();
                extra.insert("undecided".into(), json!(undecided));
                return Err(ApiError::Conflict {
                    code: crate::error::Code::UndecidedProposals,
                    message: format!(
                        "{} submitted proposal(s) have no decision yet",
                        undecided.len()
                    ),
                    extra,
                });
            }
        }
        (Phase::Published, _) => {
            return Err(transition_error(
                from,
                to,
                "published results are final".into(),
            ));
        }
        _ => {
            return Err(transition_error(
                from,
                to,
                format!(
                    "the evaluation cannot go from {} to {}",
                    from.as_str(),
                    to.as_str()
                ),
            ));
        }
    }
    Ok(())
}
