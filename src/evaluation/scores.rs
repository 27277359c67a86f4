//! Evaluators' scores: recording them (only while scoring is open, only on an assigned,
//! conflict-free proposal), listing them by role, and the per-proposal results built
//! by [`crate::selection::aggregate`].

use std::collections::BTreeMap;

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use serde_json::json;

use super::phase::{self, Phase, SCALE_MAX, SCALE_MIN};
use crate::audit;
use crate::db::DbConn;
use crate::db::schema::{
    conflict_declarations as cd, evaluation_assignments as ea, evaluation_scores as sc, proposals,
    session_types, themes,
};
use crate::error::{ApiError, FieldError};
use crate::selection::aggregate::{self, Aggregate, Rating};
use crate::time::{from_db, now, to_db};

/// Body of `PUT /api/v1/proposals/{proposal_id}/score`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScoreInput {
    /// One whole score per criterion key, on the meeting's scale.
    pub scores: BTreeMap<String, i64>,
    /// Remarks for the secretariat.
    #[serde(default)]
    pub comment: String,
    /// Another submitted proposal of the meeting this one could merge with.
    pub could_merge_with: Option<i64>,
}

/// A stored score as the API shows it.
#[derive(Debug, Clone, Serialize)]
pub struct ScoreView {
    /// The proposal.
    pub proposal_id: i64,
    /// The evaluator.
    pub evaluator_id: i64,
    /// Score per criterion.
    pub scores: BTreeMap<String, i64>,
    /// Mean of the criteria scores.
    pub overall: f64,
    /// Remarks.
    pub comment: String,
    /// Suggested merge partner.
    pub could_merge_with: Option<i64>,
    /// Version (also in the ETag).
    pub version: i32,
    /// Last change, RFC 3339 UTC.
    pub updated_at: String,
}

type ScoreRow = (i64, i64, String, String, Option<i64>, i32, NaiveDateTime);

/// The mean of a set of criteria scores.
pub fn overall(scores: &BTreeMap<String, i64>) -> f64 {
    if scores.is_empty() {
        0.0
    } else {
        scores.values().sum::<i64>() as f64 / scores.len() as f64
    }
}

fn to_view(r: ScoreRow) -> Result<ScoreView, ApiError> {
    let (proposal_id, evaluator_id, scores, comment, could_merge_with, version, updated_at) = r;
    let scores: BTreeMap<String, i64> =
        serde_json::from_str(&scores).map_err(|e| ApiError::Internal(e.into()))?;
    Ok(ScoreView {
        proposal_id,
        evaluator_id,
        overall: overall(&scores),
        scores,
        comment,
        could_merge_with,
        version,
        updated_at: from_db(updated_at).to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
    })
}

macro_rules! score_columns {
    () => {
        (
            sc::proposal_id,
            sc::evaluator_id,
            sc::scores,
            sc::comment,
            sc::could_merge_with,
            sc::version,
            sc::updated_at,
        )
    };
}

/// The ETag of a score.
pub fn etag(v: &ScoreView) -> String {
    crate::etag::tag(
        &format!("score-{}", v.proposal_id),
        v.evaluator_id,
        v.version,
    )
}

/// Checks a score body against the meeting's criteria and scale.
fn check_input(input: &ScoreInput, criteria: &[phase::Criterion]) -> Vec<FieldError> {
    let mut errors = vec![];
    for k in criteria {
        match input.scores.get(&k.key) {
            None => errors.push(FieldError::new(
                format!("scores.{}", k.key),
                "required",
                format!("a score for {:?} is required", k.label),
            )),
            Some(v) if !(SCALE_MIN..=SCALE_MAX).contains(v) => errors.push(FieldError::new(
                format!("scores.{}", k.key),
                "range",
                format!("scores are whole numbers from {SCALE_MIN} to {SCALE_MAX}; got {v}"),
            )),
            Some(_) => {}
        }
    }
    for key in input.scores.keys() {
        if !criteria.iter().any(|k| &k.key == key) {
            let known: Vec<&str> = criteria.iter().map(|k| k.key.as_str()).collect();
            errors.push(FieldError::new(
                format!("scores.{key}"),
                "unknown_criterion",
                format!(
                    "{key:?} is not a criterion of this meeting (criteria: {})",
                    known.join(", ")
                ),
            ));
        }
    }
    if input.comment.chars().count() > 4000 {
        errors.push(FieldError::new(
            "comment",
            "max_length",
            "a comment is at most 4000 characters",
        ));
    }
    errors
}

/// The meeting of a submitted proposal.
fn submitted_meeting(conn: &mut DbConn, proposal_id: i64) -> Result<Option<i64>, ApiError> {
    let row: Option<(i64, String)> = proposals::table
        .find(proposal_id)
        .select((proposals::meeting_id, proposals::status))
        .first(conn)
        .optional()?;
    Ok(row
        .filter(|(_, s)| s == crate::proposals::types::ProposalStatus::Submitted.as_str())
        .map(|(m, _)| m))
}

/// The evaluator's assignment to the proposal, or why they may not score it.
pub fn assignment_of(conn: &mut DbConn, proposal_id: i64, evaluator: i64) -> Result<i64, ApiError> {
    let declared: i64 = cd::table
        .filter(cd::proposal_id.eq(proposal_id))
        .filter(cd::evaluator_id.eq(evaluator))
        .count()
        .get_result(conn)?;
    if declared > 0 {
        return Err(ApiError::Denied {
            code: crate::error::Code::ConflictOfInterest,
            message:
                "you declared a conflict of interest with this proposal, so you cannot evaluate it"
                    .into(),
        });
    }
    ea::table
        .filter(ea::proposal_id.eq(proposal_id))
        .filter(ea::evaluator_id.eq(evaluator))
        .select(ea::id)
        .first(conn)
        .optional()?
        .ok_or_else(|| ApiError::Denied {
            code: crate::error::Code::NotAssigned,
            message: "this proposal is not assigned to you for evaluation".into(),
        })
}

/// Records or replaces an evaluator's scores for a proposal, audited. Returns the
/// stored score and whether it is new.
pub fn put_score(
    conn: &mut DbConn,
    evaluator: i64,
    proposal_id: i64,
    input: &ScoreInput,
    expected: &Option<Vec<String>>,
) -> Result<(ScoreView, bool), ApiError> {
    crate::db::write_tx(conn, |c| {
        let meeting_id =
            submitted_meeting(c, proposal_id)?.ok_or(ApiError::NotFound("proposal"))?;
        let settings = phase::load(c, meeting_id)?;
        phase::require(&settings, &[Phase::Scoring], "scoring")?;
        let assignment = assignment_of(c, proposal_id, evaluator)?;
        let mut errors = check_input(input, &settings.criteria);
        if let Some(other) = input.could_merge_with {
            if other == proposal_id {
                errors.push(FieldError::new(
                    "could_merge_with",
                    "not_self",
                    "a proposal cannot merge with itself",
                ));
            } else if submitted_meeting(c, other)? != Some(meeting_id) {
                errors.push(FieldError::new(
                    "could_merge_with",
                    "same_meeting",
                    format!("proposal {other} is not a submitted proposal of this meeting"),
                ));
            }
        }
        if !errors.is_empty() {
            return Err(ApiError::validation(errors));
        }
        let scores =
            serde_json::to_string(&input.scores).map_err(|e| ApiError::Internal(e.into()))?;
        let comment = input.comment.trim();
        let at = to_db(now());
        let existing: Option<ScoreRow> = sc::table
            .filter(sc::assignment_id.eq(assignment))
            .select(score_columns!())
            .first(c)
            .optional()?;
        let created = existing.is_none();
        match existing {
            Some(row) => {
                let current = to_view(row)?;
                crate::etag::check(expected, &etag(&current))?;
                diesel::update(sc::table.filter(sc::assignment_id.eq(assignment)))
                    .set((
                        sc::scores.eq(&scores),
                        sc::comment.eq(comment),
                        sc::could_merge_with.eq(input.could_merge_with),
                        sc::version.eq(current.version + 1),
                        sc::updated_at.eq(at),
                    ))
                    .execute(c)?;
            }
            None => {
                // If-Match names a current representation; there is none yet.
                if expected.is_some() {
                    return Err(ApiError::PreconditionFailed);
                }
                diesel::insert_into(sc::table)
                    .values((
                        sc::assignment_id.eq(assignment),
                        sc::meeting_id.eq(meeting_id),
                        sc::proposal_id.eq(proposal_id),
                        sc::evaluator_id.eq(evaluator),
                        sc::scores.eq(&scores),
                        sc::comment.eq(comment),
                        sc::could_merge_with.eq(input.could_merge_with),
                        sc::version.eq(1),
                        sc::created_at.eq(at),
                        sc::updated_at.eq(at),
                    ))
                    .execute(c)?;
            }
        }
        audit::record(
            c,
            Some(evaluator),
            if created {
                "evaluation.score"
            } else {
                "evaluation.rescore"
            },
            "proposal",
            proposal_id,
            Some(meeting_id),
            json!({"evaluator_id": evaluator, "scores": input.scores, "could_merge_with": input.could_merge_with}),
        )?;
        let row: ScoreRow = sc::table
            .filter(sc::assignment_id.eq(assignment))
            .select(score_columns!())
            .first(c)?;
        Ok((to_view(row)?, created))
    })
}

/// The evaluator's own score for a proposal.
pub fn own_score(
    conn: &mut DbConn,
    evaluator: i64,
    proposal_id: i64,
) -> Result<ScoreView, ApiError> {
    submitted_meeting(conn, proposal_id)?.ok_or(ApiError::NotFound("proposal"))?;
    assignment_of(conn, proposal_id, evaluator)?;
    let row: ScoreRow = sc::table
        .filter(sc::proposal_id.eq(proposal_id))
        .filter(sc::evaluator_id.eq(evaluator))
        .select(score_columns!())
        .first(conn)
        .optional()?
        .ok_or(ApiError::NotFound("score"))?;
    to_view(row)
}

/// A page of a meeting's scores, optionally of one evaluator or one proposal.
pub fn list_scores(
    conn: &mut DbConn,
    meeting_id: i64,
    evaluator: Option<i64>,
    proposal: Option<i64>,
    limit: i64,
    offset: i64,
) -> Result<(Vec<ScoreView>, i64), ApiError> {
    let mut q = sc::table.filter(sc::meeting_id.eq(meeting_id)).into_boxed();
    let mut count = sc::table.filter(sc::meeting_id.eq(meeting_id)).into_boxed();
    if let Some(e) = evaluator {
        q = q.filter(sc::evaluator_id.eq(e));
        count = count.filter(sc::evaluator_id.eq(e));
    }
    if let Some(p) = proposal {
        q = q.filter(sc::proposal_id.eq(p));
        count = count.filter(sc::proposal_id.eq(p));
    }
    let total = count.count().get_result(conn)?;
    let rows: Vec<ScoreRow> = q
        .order((sc::proposal_id, sc::evaluator_id))
        .limit(limit)
        .offset(offset)
        .select(score_columns!())
        .load(conn)?;
    Ok((
        rows.into_iter().map(to_view).collect::<Result<_, _>>()?,
        total,
    ))
}

/// Every score of a meeting, in proposal then evaluator order.
pub fn all_scores(conn: &mut DbConn, meeting_id: i64) -> Result<Vec<ScoreView>, ApiError> {
    let rows: Vec<ScoreRow> = sc::table
        .filter(sc::meeting_id.eq(meeting_id))
        .order((sc::proposal_id, sc::evaluator_id))
        .select(score_columns!())
        .load(conn)?;
    rows.into_iter().map(to_view).collect()
}

fn ratings(scores: &[ScoreView]) -> Vec<Rating> {
    scores
        .iter()
        .map(|s| Rating {
            proposal: s.proposal_id.to_string(),
            evaluator: s.evaluator_id.to_string(),
            score: s.overall,
        })
        .collect()
}

/// Per-proposal aggregates of a meeting's scores, by proposal id.
pub fn aggregates(scores: &[ScoreView]) -> BTreeMap<i64, Aggregate> {
    aggregate::aggregate(&ratings(scores), &aggregate::Settings::default())
        .into_iter()
        .filter_map(|a| a.proposal.parse::<i64>().ok().map(|id| (id, a)))
        .collect()
}

/// How one evaluator's scores were normalised.
#[derive(Debug, Clone, Serialize)]
pub struct EvaluatorMethod {
    /// The evaluator (shown to the secretariat only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub evaluator_id: Option<i64>,
    /// Scores they gave in this meeting.
    pub scores: usize,
    /// Their mean overall score.
    pub mean: f64,
    /// Their standard deviation.
    pub sd: f64,
    /// `standardised`, `shifted` (one repeated score) or `raw` (too few scores).
    pub method: aggregate::Method,
}

/// How a meeting's scores were normalised, and which score a default ranking uses.
#[derive(Debug, Clone, Serialize)]
pub struct Normalisation {
    /// What the default ranking and selection use: `normalised`, or `mean` when the
    /// normalised scores are degenerate.
    pub default_score: ScoreMethod,
    /// Whether the normalised scores tell proposals apart less than the raw means do.
    pub degenerate: bool,
    /// Per evaluator, how their scores were normalised.
    pub evaluators: Vec<EvaluatorMethod>,
    /// What the secretariat should know, in words.
    pub notes: Vec<String>,
}

/// How a meeting's scores are normalised; `full` names the evaluators.
pub fn normalisation(scores: &[ScoreView], full: bool) -> Normalisation {
    let settings = aggregate::Settings::default();
    let rs = ratings(scores);
    let aggs = aggregate::aggregate(&rs, &settings);
    let evaluators: Vec<EvaluatorMethod> = aggregate::evaluators(&rs, &settings)
        .into_iter()
        .map(|e| EvaluatorMethod {
            evaluator_id: if full { e.evaluator.parse().ok() } else { None },
            scores: e.count,
            mean: (e.mean * 1000.0).round() / 1000.0,
            sd: (e.sd * 1000.0).round() / 1000.0,
            method: e.method,
        })
        .collect();
    let degenerate = aggregate::degenerate(&aggs);
    let count = |m: aggregate::Method| evaluators.iter().filter(|e| e.method == m).count();
    let mut notes = vec![];
    let raw = count(aggregate::Method::Raw);
    if raw > 0 {
        notes.push(format!(
            "{raw} of {} evaluator(s) gave fewer than {} scores, too few to correct for \
             their harshness or leniency: their raw scores are used as they are",
            evaluators.len(),
            settings.min_scores
        ));
    }
    let shifted = count(aggregate::Method::Shifted);
    if shifted > 0 {
        notes.push(format!(
            "{shifted} evaluator(s) gave every proposal the same score: they are only \
             shifted by their offset from the pool's mean"
        ));
    }
    if degenerate {
        notes.push(
            "the normalised scores tell fewer proposals apart than the raw means do, so \
             the default ranking and selection use the means"
                .into(),
        );
    }
    Normalisation {
        default_score: if degenerate {
            ScoreMethod::Mean
        } else {
            ScoreMethod::Normalised
        },
        degenerate,
        evaluators,
        notes,
    }
}

/// One evaluator's score inside a result.
#[derive(Debug, Clone, Serialize)]
pub struct RawScore {
    /// The evaluator (shown to the secretariat only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub evaluator_id: Option<i64>,
    /// Mean of their criteria scores.
    pub overall: f64,
    /// Per criterion.
    pub scores: BTreeMap<String, i64>,
    /// Their remarks (secretariat only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
}

/// A proposal's evaluation result.
#[derive(Debug, Clone, Serialize)]
pub struct ResultRow {
    /// Rank by the chosen score (1 is best); ties share the order of proposal ids.
    pub rank: usize,
    /// The proposal.
    pub proposal_id: i64,
    /// Its title.
    pub title: String,
    /// Theme name.
    pub theme: Option<String>,
    /// Session type code.
    pub session_type: Option<String>,
    /// Evaluators assigned.
    pub assigned: i64,
    /// Scores received.
    pub count: usize,
    /// Mean of the overall scores.
    pub mean: Option<f64>,
    /// Sample standard deviation.
    pub sd: Option<f64>,
    /// Lowest overall score.
    pub min: Option<f64>,
    /// Highest overall score.
    pub max: Option<f64>,
    /// Whether the evaluators disagree strongly (sd of at least 1).
    pub polarising: bool,
    /// Mean of the normalised scores (see the API description for the method).
    pub normalised: Option<f64>,
    /// Mean per criterion.
    pub criteria_means: BTreeMap<String, f64>,
    /// Proposals evaluators said it could merge with, most often named first.
    pub merge_suggestions: Vec<i64>,
    /// The raw scores, never changed by normalisation.
    pub scores: Vec<RawScore>,
}

/// Which score orders the results.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ScoreMethod {
    /// The normalised score.
    #[default]
    Normalised,
    /// The plain mean.
    Mean,
}

impl ScoreMethod {
    /// Every value, in declaration order.
    pub const ALL: &'static [ScoreMethod] = &[ScoreMethod::Normalised, ScoreMethod::Mean];
}

/// The results of every submitted proposal of a meeting, best first by `method` (by
/// the normalisation's default when `None`), with how the scores were normalised.
/// `full` shows evaluator ids and comments; `only` keeps just these proposals.
pub fn results(
    conn: &mut DbConn,
    meeting_id: i64,
    method: Option<ScoreMethod>,
    full: bool,
    only: Option<&[i64]>,
) -> Result<(Vec<ResultRow>, Normalisation), ApiError> {
    let props: Vec<(i64, String, Option<String>, Option<String>)> = proposals::table
        .left_join(themes::table)
        .left_join(session_types::table)
        .filter(proposals::meeting_id.eq(meeting_id))
        .filter(proposals::status.eq(crate::proposals::types::ProposalStatus::Submitted.as_str()))
        .order(proposals::id)
        .select((
            proposals::id,
            proposals::title,
            themes::name.nullable(),
            session_types::code.nullable(),
        ))
        .load(conn)?;
    let assigned: Vec<(i64, i64)> = ea::table
        .filter(ea::meeting_id.eq(meeting_id))
        .group_by(ea::proposal_id)
        .select((ea::proposal_id, diesel::dsl::count_star()))
        .load(conn)?;
    let assigned: BTreeMap<i64, i64> = assigned.into_iter().collect();
    let scores = all_scores(conn, meeting_id)?;
    let aggs = aggregates(&scores);
    let norm = normalisation(&scores, full);
    let method = method.unwrap_or(norm.default_score);
    let mut by_proposal: BTreeMap<i64, Vec<&ScoreView>> = BTreeMap::new();
    for s in &scores {
        by_proposal.entry(s.proposal_id).or_default().push(s);
    }
    let mut rows: Vec<ResultRow> = props
        .into_iter()
        .map(|(id, title, theme, session_type)| {
            let mine = by_proposal.remove(&id).unwrap_or_default();
            let a = aggs.get(&id);
            let mut sums: BTreeMap<String, (f64, usize)> = BTreeMap::new();
            let mut merges: BTreeMap<i64, usize> = BTreeMap::new();
            for s in &mine {
                for (k, v) in &s.scores {
                    let e = sums.entry(k.clone()).or_default();
                    e.0 += *v as f64;
                    e.1 += 1;
                }
                if let Some(m) = s.could_merge_with {
                    *merges.entry(m).or_default() += 1;
                }
            }
            let mut merge_suggestions: Vec<(i64, usize)> = merges.into_iter().collect();
            merge_suggestions.sort_by(|x, y| y.1.cmp(&x.1).then(x.0.cmp(&y.0)));
            ResultRow {
                rank: 0,
                proposal_id: id,
                title,
                theme,
                session_type,
                assigned: assigned.get(&id).copied().unwrap_or(0),
                count: mine.len(),
                mean: a.map(|a| a.mean),
                sd: a.map(|a| a.sd),
                min: a.map(|a| a.min),
                max: a.map(|a| a.max),
                polarising: a.is_some_and(|a| a.polarising),
                normalised: a.map(|a| a.normalised),
                criteria_means: sums
                    .into_iter()
                    .map(|(k, (s, n))| (k, s / n as f64))
                    .collect(),
                merge_suggestions: merge_suggestions.into_iter().map(|x| x.0).collect(),
                scores: mine
                    .iter()
                    .map(|s| RawScore {
                        evaluator_id: full.then_some(s.evaluator_id),
                        overall: s.overall,
                        scores: s.scores.clone(),
                        comment: full.then(|| s.comment.clone()),
                    })
                    .collect(),
            }
        })
        .collect();
    let key = |r: &ResultRow| match method {
        ScoreMethod::Normalised => r.normalised,
        ScoreMethod::Mean => r.mean,
    };
    rows.sort_by(|a, b| {
        key(b)
            .unwrap_or(f64::NEG_INFINITY)
            .total_cmp(&key(a).unwrap_or(f64::NEG_INFINITY))
            .then(a.proposal_id.cmp(&b.proposal_id))
    });
    for (i, r) in rows.iter_mut().enumerate() {
        r.rank = i + 1;
    }
    if let Some(ids) = only {
        rows.retain(|r| ids.contains(&r.proposal_id));
    }
    Ok((rows, norm))
}
