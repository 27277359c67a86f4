//! Storage of evaluator profiles, conflict declarations and assignments.

use std::collections::{BTreeMap, BTreeSet};

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::Serialize;
use serde_json::json;

use crate::audit;
use crate::db::DbConn;
use crate::db::schema::{
    conflict_declarations as cd, evaluation_assignments as ea, evaluator_profiles as ep,
    proposal_participants as pp, proposals, themes, users,
};
use crate::error::ApiError;
use crate::progress::Step;
use crate::selection::assignment::{self, Assignment, Evaluator, Proposal, Rules};
use crate::time::{from_db, now, to_db};
use crate::watched::Watched;

/// An evaluator profile row.
#[derive(Debug, Clone, Queryable, Selectable, Serialize)]
#[diesel(table_name = ep)]
pub struct Profile {
    /// The evaluator's account.
    pub user_id: i64,
    /// Stakeholder group.
    pub stakeholder_group: Option<String>,
    /// Regional group.
    pub regional_group: Option<String>,
    /// Organisation.
    pub organisation: Option<String>,
    /// Themes of expertise, JSON array of names.
    #[serde(skip)]
    pub expertise: String,
    /// Last change (UTC).
    #[serde(skip)]
    pub updated_at: NaiveDateTime,
}

/// Finds a profile.
pub fn profile(conn: &mut DbConn, user_id: i64) -> Result<Option<Profile>, ApiError> {
    Ok(ep::table
        .find(user_id)
        .select(Profile::as_select())
        .first(conn)
        .optional()?)
}

/// Creates or replaces a profile, audited.
pub fn upsert_profile(
    conn: &mut DbConn,
    actor: i64,
    user_id: i64,
    stakeholder_group: Option<&str>,
    regional_group: Option<&str>,
    organisation: Option<&str>,
    expertise: &[String],
) -> Result<Profile, ApiError> {
    let expertise = serde_json::to_string(expertise).map_err(|e| ApiError::Internal(e.into()))?;
    crate::db::write_tx(conn, |c| {
        let role: Option<String> = users::table
            .find(user_id)
            .select(users::role)
            .first(c)
            .optional()?;
        match role.as_deref() {
            None => return Err(ApiError::NotFound("user")),
            Some("evaluator") => {}
            Some(_) => {
                return Err(ApiError::conflict(
                    crate::error::Code::NotAnEvaluator,
                    "only evaluator accounts have an evaluator profile",
                ));
            }
        }
        diesel::delete(ep::table.find(user_id)).execute(c)?;
        diesel::insert_into(ep::table)
            .values((
                ep::user_id.eq(user_id),
                ep::stakeholder_group.eq(stakeholder_group),
                ep::regional_group.eq(regional_group),
                ep::organisation.eq(organisation),
                ep::expertise.eq(&expertise),
                ep::updated_at.eq(to_db(now())),
            ))
            .execute(c)?;
        audit::record(
            c,
            Some(actor),
            "evaluator_profile.update",
            "user",
            user_id,
            None,
            json!({"stakeholder_group": stakeholder_group, "regional_group": regional_group, "organisation": organisation}),
        )?;
        profile(c, user_id)?.ok_or(ApiError::NotFound("evaluator profile"))
    })
}

/// A declared conflict as the API shows it.
#[derive(Debug, Clone, Serialize)]
pub struct ConflictView {
    /// The proposal.
    pub proposal_id: i64,
    /// The evaluator.
    pub evaluator_id: i64,
    /// Why.
    pub reason: String,
    /// When, RFC 3339 UTC.
    pub created_at: String,
    /// Whether an assignment of this evaluator to the proposal was removed.
    pub assignment_removed: bool,
}

/// Records a conflict and removes the evaluator's assignment to the proposal, if any,
/// with its score.
pub fn declare_conflict(
    conn: &mut DbConn,
    evaluator: i64,
    proposal_id: i64,
    reason: &str,
) -> Result<ConflictView, ApiError> {
    crate::db::write_tx(conn, |c| {
        let (meeting_id, status): (i64, String) = proposals::table
            .find(proposal_id)
            .select((proposals::meeting_id, proposals::status))
            .first(c)
            .optional()?
            .ok_or(ApiError::NotFound("proposal"))?;
        if status != crate::proposals::types::ProposalStatus::Submitted.as_str() {
            return Err(ApiError::NotFound("proposal"));
        }
        let settings = super::phase::load(c, meeting_id)?;
        super::phase::require(
            &settings,
            &[
                super::phase::Phase::NotStarted,
                super::phase::Phase::Scoring,
                super::phase::Phase::Closed,
            ],
            "declaring a conflict of interest",
        )?;
        let at = to_db(now());
        let inserted = diesel::insert_into(cd::table)
            .values((
                cd::evaluator_id.eq(evaluator),
                cd::proposal_id.eq(proposal_id),
                cd::reason.eq(reason.trim()),
                cd::created_at.eq(at),
            ))
            .execute(c);
        match inserted {
            Err(diesel::result::Error::DatabaseError(
                diesel::result::DatabaseErrorKind::UniqueViolation,
                _,
            )) => {
                return Err(ApiError::conflict(
                    crate::error::Code::ConflictAlreadyDeclared,
                    "you already declared a conflict with this proposal",
                ));
            }
            other => {
                other?;
            }
        }
        let removed = diesel::delete(
            ea::table
                .filter(ea::proposal_id.eq(proposal_id))
                .filter(ea::evaluator_id.eq(evaluator)),
        )
        .execute(c)?;
        audit::record(
            c,
            Some(evaluator),
            "evaluation.declare_conflict",
            "proposal",
            proposal_id,
            Some(meeting_id),
            json!({"evaluator_id": evaluator, "assignment_removed": removed > 0}),
        )?;
        Ok(ConflictView {
            proposal_id,
            evaluator_id: evaluator,
            reason: reason.trim().to_string(),
            created_at: from_db(at).to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
            assignment_removed: removed > 0,
        })
    })
}

/// The result of an assignment run as the API shows it.
#[derive(Debug, Clone, Serialize, serde::Deserialize)]
pub struct RunView {
    /// Proposals assigned.
    pub proposals: usize,
    /// Evaluators taking part.
    pub evaluators: usize,
    /// Stored pairs.
    pub assignments: usize,
    /// Pairs added by this run.
    pub added: usize,
    /// Pairs removed by this run.
    pub removed: usize,
    /// Proposals per evaluator id.
    pub loads: BTreeMap<String, usize>,
    /// Coverage rules not met.
    pub shortfalls: Vec<assignment::Shortfall>,
    /// Evaluators below the balanced load because of conflicts of interest.
    pub balance_issues: Vec<String>,
}

/// What an assignment is computed from, read outside any write transaction.
struct AssignmentInputs {
    proposals_in: Vec<Proposal>,
    evaluators: Vec<Evaluator>,
    stored: Vec<(i64, i64)>,
    previous: Vec<(String, String)>,
}

fn assignment_inputs(c: &mut DbConn, meeting_id: i64) -> Result<AssignmentInputs, ApiError> {
    let settings = super::phase::load(c, meeting_id)?;
    super::phase::require(
        &settings,
        &[
            super::phase::Phase::NotStarted,
            super::phase::Phase::Scoring,
        ],
        "assigning evaluators",
    )?;
    let props: Vec<(i64, Option<String>)> = proposals::table
        .left_join(themes::table)
        .filter(proposals::meeting_id.eq(meeting_id))
        .filter(proposals::status.eq(crate::proposals::types::ProposalStatus::Submitted.as_str()))
        .order(proposals::id)
        .select((proposals::id, themes::name.nullable()))
        .load(c)?;
    if props.is_empty() {
        return Err(ApiError::conflict(
            crate::error::Code::NothingToAssign,
            "the meeting has no submitted proposals",
        ));
    }
    let ids: Vec<i64> = props.iter().map(|p| p.0).collect();
    let people: Vec<(i64, Option<String>, Option<String>)> = pp::table
        .filter(pp::proposal_id.eq_any(&ids))
        .select((pp::proposal_id, pp::email, pp::organisation))
        .load(c)?;
    let mut emails: BTreeMap<i64, Vec<String>> = BTreeMap::new();
    let mut orgs: BTreeMap<i64, Vec<String>> = BTreeMap::new();
    for (pid, email, org) in people {
        if let Some(e) = email {
            emails.entry(pid).or_default().push(e);
        }
        if let Some(o) = org {
            orgs.entry(pid).or_default().push(o);
        }
    }
    let proposals_in: Vec<Proposal> = props
        .iter()
        .map(|(id, theme)| Proposal {
            id: id.to_string(),
            theme: theme.clone(),
            participant_emails: emails.remove(id).unwrap_or_default(),
            organisations: orgs.remove(id).unwrap_or_default(),
        })
        .collect();
    let members = super::committee::active_members(c, meeting_id)?;
    if members.is_empty() {
        return Err(ApiError::conflict(
            crate::error::Code::EmptyCommittee,
            "the meeting's committee has no active evaluators; add them with \
         POST /api/v1/meetings/{meeting_id}/evaluators",
        ));
    }
    let evs: Vec<(i64, String, Option<Profile>)> = users::table
        .left_join(ep::table)
        .filter(users::id.eq_any(&members))
        .order(users::id)
        .select((users::id, users::email, Option::<Profile>::as_select()))
        .load(c)?;
    let declared: Vec<(i64, i64)> = cd::table
        .filter(cd::proposal_id.eq_any(&ids))
        .select((cd::evaluator_id, cd::proposal_id))
        .load(c)?;
    let evaluators: Vec<Evaluator> = evs
        .iter()
        .map(|(id, email, prof)| {
            let expertise: Vec<String> = match prof {
                Some(p) => {
                    crate::db::json_column(&p.expertise, "evaluator_profiles.expertise", p.user_id)?
                }
                None => vec![],
            };
            Ok(Evaluator {
                id: id.to_string(),
                email: Some(email.clone()),
                organisation: prof.as_ref().and_then(|p| p.organisation.clone()),
                stakeholder_group: prof.as_ref().and_then(|p| p.stakeholder_group.clone()),
                regional_group: prof.as_ref().and_then(|p| p.regional_group.clone()),
                expertise,
                declared_conflicts: declared
                    .iter()
                    .filter(|(e, _)| e == id)
                    .map(|(_, p)| p.to_string())
                    .collect(),
            })
        })
        .collect::<Result<_, ApiError>>()?;
    let stored: Vec<(i64, i64)> = ea::table
        .filter(ea::meeting_id.eq(meeting_id))
        .select((ea::proposal_id, ea::evaluator_id))
        .load(c)?;
    let previous: Vec<(String, String)> = stored
        .iter()
        .map(|(p, e)| (p.to_string(), e.to_string()))
        .collect();
    Ok(AssignmentInputs {
        proposals_in,
        evaluators,
        stored,
        previous,
    })
}

/// Whether the meeting can have its evaluators assigned now: the evaluation's
/// phase allows it, and there are submitted proposals and a committee.
pub fn assignable(c: &mut DbConn, meeting_id: i64) -> Result<(), ApiError> {
    assignment_inputs(c, meeting_id).map(|_| ())
}

/// The meeting's change counter: every audited write of the meeting moves it on.
fn revision(conn: &mut DbConn, meeting_id: i64) -> Result<i64, ApiError> {
    Ok(crate::db::schema::meetings::table
        .find(meeting_id)
        .select(crate::db::schema::meetings::feed_revision)
        .first(conn)?)
}

/// How long the search for better regional coverage may run in one assignment.
const ASSIGNMENT_LIMIT: std::time::Duration = std::time::Duration::from_secs(20);

/// Loads the meeting's submitted proposals and the active evaluators, computes the
/// assignment (keeping stored pairs where the rules allow) and stores it, audited.
/// The computation holds no write transaction: it reads, computes, and stores only if
/// nothing of the meeting changed meanwhile (else it reads and computes again, three
/// times at most, then answers 409 `changed`), so other writers never wait for it.
/// `run` watches the computation and is sealed with the stored pairs.
pub fn run_assignment(
    conn: &mut DbConn,
    actor: i64,
    meeting_id: i64,
    rules: &Rules,
    run: &mut dyn Watched,
) -> Result<RunView, ApiError> {
    for _ in 0..3 {
        let seen = revision(conn, meeting_id)?;
        let AssignmentInputs {
            proposals_in,
            evaluators,
            stored,
            previous,
        } = assignment_inputs(conn, meeting_id)?;
        let result: Assignment = assignment::assign_watched(
            &proposals_in,
            &evaluators,
            rules,
            &previous,
            ASSIGNMENT_LIMIT,
            run,
        )
        .map_err(|e| match e {
            assignment::AssignError::TooFewEvaluators(list) => ApiError::Validation {
                code: crate::error::Code::AssignmentInfeasible,
                omitted: 0,
                message: format!(
                    "{} proposal(s) have too few conflict-free evaluators",
                    list.len()
                ),
                errors: list
                    .into_iter()
                    .map(|m| crate::error::FieldError::new("per_proposal", "enough_evaluators", m))
                    .collect(),
            },
            assignment::AssignError::Invalid(m) => ApiError::field("per_proposal", "assignable", m),
            // Only a job's watch stops it, and the job then ends as cancelled.
            assignment::AssignError::Stopped => {
                ApiError::Internal(anyhow::anyhow!("the assignment was stopped on request"))
            }
        })?;
        run.step(Step::of("storing", 0, 1));
        let stored_now = crate::db::write_tx(conn, |c| {
            crate::db::lock_meeting(c, meeting_id)?;
            if revision(c, meeting_id)? != seen {
                return Ok(None);
            }
            let parse = |s: &str| s.parse::<i64>().map_err(|e| ApiError::Internal(e.into()));
            let new: BTreeSet<(i64, i64)> = result
                .pairs
                .iter()
                .map(|(p, e)| Ok((parse(p)?, parse(e)?)))
                .collect::<Result<_, ApiError>>()?;
            let old: BTreeSet<(i64, i64)> = stored.iter().copied().collect();
            for (p, e) in old.difference(&new) {
                diesel::delete(
                    ea::table
                        .filter(ea::proposal_id.eq(p))
                        .filter(ea::evaluator_id.eq(e)),
                )
                .execute(c)?;
            }
            let at = to_db(now());
            let added: Vec<(i64, i64)> = new.difference(&old).copied().collect();
            crate::notify::assigned(c, meeting_id, &added, at)?;
            for (p, e) in new.difference(&old) {
                diesel::insert_into(ea::table)
                    .values((
                        ea::meeting_id.eq(meeting_id),
                        ea::proposal_id.eq(p),
                        ea::evaluator_id.eq(e),
                        ea::created_at.eq(at),
                    ))
                    .execute(c)?;
            }
            audit::record(
                c,
                Some(actor),
                "evaluation.assign",
                "meeting",
                meeting_id,
                Some(meeting_id),
                json!({"assignments": new.len(), "added": result.added, "removed": result.removed,
                       "shortfalls": result.shortfalls.len(), "balance_issues": result.balance_issues.len(),
                       "per_proposal": rules.per_proposal}),
            )?;
            let view = RunView {
                proposals: proposals_in.len(),
                evaluators: evaluators.len(),
                assignments: new.len(),
                added: result.added,
                removed: result.removed,
                loads: result.loads.clone(),
                shortfalls: result.shortfalls.clone(),
                balance_issues: result.balance_issues.clone(),
            };
            let outcome = serde_json::to_value(&view).map_err(|e| ApiError::Internal(e.into()))?;
            run.seal(c, &outcome)?;
            Ok(Some(view))
        })?;
        if let Some(view) = stored_now {
            return Ok(view);
        }
    }
    Err(ApiError::conflict(
        crate::error::Code::Changed,
        "the meeting kept changing while the assignment was computed; run it again",
    ))
}

/// Whether an evaluator is assigned to a proposal.
pub fn is_assigned(
    conn: &mut DbConn,
    proposal_id: i64,
    evaluator_id: i64,
) -> Result<bool, ApiError> {
    let n: i64 = ea::table
        .filter(ea::proposal_id.eq(proposal_id))
        .filter(ea::evaluator_id.eq(evaluator_id))
        .count()
        .get_result(conn)?;
    Ok(n > 0)
}

/// One stored assignment.
#[derive(Debug, Clone, Serialize)]
pub struct AssignmentView {
    /// The proposal.
    pub proposal_id: i64,
    /// Its title.
    pub title: String,
    /// The evaluator.
    pub evaluator_id: i64,
}

/// A page of a meeting's assignments, optionally of one evaluator.
pub fn list_assignments(
    conn: &mut DbConn,
    meeting_id: i64,
    evaluator: Option<i64>,
    limit: i64,
    offset: i64,
) -> Result<(Vec<AssignmentView>, i64), ApiError> {
    let mut q = ea::table
        .inner_join(proposals::table)
        .filter(ea::meeting_id.eq(meeting_id))
        .into_boxed();
    let mut count = ea::table.filter(ea::meeting_id.eq(meeting_id)).into_boxed();
    if let Some(e) = evaluator {
        q = q.filter(ea::evaluator_id.eq(e));
        count = count.filter(ea::evaluator_id.eq(e));
    }
    let total = count.count().get_result(conn)?;
    let rows: Vec<(i64, String, i64)> = q
        .order((ea::proposal_id, ea::evaluator_id))
        .limit(limit)
        .offset(offset)
        .select((ea::proposal_id, proposals::title, ea::evaluator_id))
        .load(conn)?;
    Ok((
        rows.into_iter()
            .map(|(proposal_id, title, evaluator_id)| AssignmentView {
                proposal_id,
                title,
                evaluator_id,
            })
            .collect(),
        total,
    ))
}

/// The proposals of a meeting assigned to an evaluator.
pub fn assigned_proposals(
    conn: &mut DbConn,
    meeting_id: i64,
    evaluator_id: i64,
) -> Result<Vec<i64>, ApiError> {
    Ok(ea::table
        .filter(ea::meeting_id.eq(meeting_id))
        .filter(ea::evaluator_id.eq(evaluator_id))
        .order(ea::proposal_id)
        .select(ea::proposal_id)
        .load(conn)?)
}
