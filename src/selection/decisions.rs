//! The secretariat's decisions on proposals, and a proposal's outcome.

use std::collections::{BTreeMap, BTreeSet};

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde_json::json;

use super::runs::load_run;
use super::types::*;
use crate::audit;
use crate::db::DbConn;
use crate::db::schema::{proposal_decisions as pd, proposals};
use crate::error::{ApiError, FieldError};
use crate::evaluation::phase::{self, Phase};
use crate::meetings::models::Meeting;
use crate::proposals::types::OutcomeView;
use crate::time::{from_db, now, to_db};

/// Records decisions, each audited with its previous value; all or nothing.
pub fn record_decisions(
    conn: &mut DbConn,
    actor: i64,
    meeting: &Meeting,
    req: DecisionsRequest,
) -> Result<DecisionsResult, ApiError> {
    crate::db::write_tx(conn, |c| {
        let settings = phase::load(c, meeting.id)?;
        phase::require(&settings, &[Phase::Closed], "recording decisions")?;
        let submitted: BTreeSet<i64> = proposals::table
            .filter(proposals::meeting_id.eq(meeting.id))
            .filter(
                proposals::status.eq(crate::proposals::types::ProposalStatus::Submitted.as_str()),
            )
            .select(proposals::id)
            .load(c)?
            .into_iter()
            .collect();
        let mut wanted: BTreeMap<i64, (Outcome, String, Option<i64>)> = BTreeMap::new();
        let run_id = req.selection_run_id;
        if let Some(run) = run_id {
            let run = load_run(c, meeting.id, run).map_err(|e| match e {
                ApiError::NotFound(_) => ApiError::field(
                    "selection_run_id",
                    "exists",
                    format!("selection run {run} is not a run of this meeting"),
                ),
                other => other,
            })?;
            for p in run.proposals {
                if submitted.contains(&p.proposal_id) {
                    wanted.insert(p.proposal_id, (p.outcome, p.reason, None));
                }
            }
        }
        let mut errors = vec![];
        let mut seen = BTreeSet::new();
        if req.decisions.len() > 5000 {
            errors.push(FieldError::new(
                "decisions",
                "max_items",
                "at most 5000 decisions per request",
            ));
        }
        if run_id.is_none() && req.decisions.is_empty() {
            errors.push(FieldError::new(
                "decisions",
                "required",
                "give a selection_run_id to confirm, or decisions to record",
            ));
        }
        for (i, d) in req.decisions.iter().enumerate() {
            let f = |k: &str| format!("decisions[{i}].{k}");
            if !submitted.contains(&d.proposal_id) {
                errors.push(FieldError::new(
                    f("proposal_id"),
                    "same_meeting",
                    format!(
                        "proposal {} is not a submitted proposal of this meeting",
                        d.proposal_id
                    ),
                ));
            }
            if !seen.insert(d.proposal_id) {
                errors.push(FieldError::new(
                    f("proposal_id"),
                    "unique",
                    format!(
                        "proposal {} is decided twice in this request",
                        d.proposal_id
                    ),
                ));
            }
            match (d.outcome, d.merge_with) {
                (Outcome::ApprovedIfMerged, None) => errors.push(FieldError::new(
                    f("merge_with"),
                    "required",
                    "approved_if_merged needs the proposal to merge with",
                )),
                (Outcome::ApprovedIfMerged, Some(m))
                    if m == d.proposal_id || !submitted.contains(&m) =>
                {
                    errors.push(FieldError::new(
                        f("merge_with"),
                        "same_meeting",
                        "merge_with is another submitted proposal of this meeting",
                    ))
                }
                (Outcome::ApprovedIfMerged, Some(_)) => {}
                (_, Some(_)) => errors.push(FieldError::new(
                    f("merge_with"),
                    "only_when_merged",
                    "merge_with goes only with the outcome approved_if_merged",
                )),
                (_, None) => {}
            }
            if let Some(r) = &d.reason
                && r.chars().count() > 2000
            {
                errors.push(FieldError::new(
                    f("reason"),
                    "max_length",
                    "at most 2000 characters",
                ));
            }
            let reason = d
                .reason
                .clone()
                .or_else(|| wanted.get(&d.proposal_id).map(|w| w.1.clone()))
                .unwrap_or_default();
            wanted.insert(
                d.proposal_id,
                (d.outcome, reason.trim().to_string(), d.merge_with),
            );
        }
        if !errors.is_empty() {
            return Err(ApiError::validation(errors));
        }
        let at = to_db(now());
        let mut changed = 0;
        for (pid, (outcome, reason, merge_with)) in &wanted {
            let old: Option<(String, String, Option<i64>)> = pd::table
                .find(pid)
                .select((pd::outcome, pd::reason, pd::merge_with))
                .first(c)
                .optional()?;
            let same = old
                .as_ref()
                .is_some_and(|(o, r, m)| o == outcome.as_str() && r == reason && m == merge_with);
            if same {
                continue;
            }
            changed += 1;
            diesel::delete(pd::table.find(pid)).execute(c)?;
            diesel::insert_into(pd::table)
                .values((
                    pd::proposal_id.eq(pid),
                    pd::meeting_id.eq(meeting.id),
                    pd::outcome.eq(outcome.as_str()),
                    pd::reason.eq(reason),
                    pd::merge_with.eq(merge_with),
                    pd::selection_run_id.eq(run_id),
                    pd::decided_by.eq(actor),
                    pd::decided_at.eq(at),
                ))
                .execute(c)?;
            audit::record(
                c,
                Some(actor),
                "selection.decide",
                "proposal",
                *pid,
                Some(meeting.id),
                json!({"outcome": {"from": old.as_ref().map(|o| o.0.clone()), "to": outcome.as_str()},
                       "reason": reason, "merge_with": merge_with, "selection_run_id": run_id}),
            )?;
        }
        let counts: Vec<(String, i64)> = pd::table
            .filter(pd::meeting_id.eq(meeting.id))
            .group_by(pd::outcome)
            .select((pd::outcome, diesel::dsl::count_star()))
            .load(c)?;
        let decided: i64 = counts.iter().map(|x| x.1).sum();
        Ok(DecisionsResult {
            recorded: wanted.len(),
            changed,
            outcomes: counts.into_iter().collect(),
            undecided: submitted.len() as i64 - decided,
        })
    })
}

/// A decision with its proposal's title, in the order of the select below.
#[derive(Queryable)]
struct DecisionRow {
    proposal_id: i64,
    title: String,
    outcome: String,
    reason: String,
    merge_with: Option<i64>,
    selection_run_id: Option<i64>,
    decided_by: Option<i64>,
    decided_at: NaiveDateTime,
}

/// A page of a meeting's decisions, optionally of one outcome.
pub fn list_decisions(
    conn: &mut DbConn,
    meeting_id: i64,
    outcome: Option<Outcome>,
    limit: i64,
    offset: i64,
) -> Result<(Vec<DecisionView>, i64), ApiError> {
    let mut q = pd::table
        .inner_join(proposals::table)
        .filter(pd::meeting_id.eq(meeting_id))
        .into_boxed();
    let mut count = pd::table.filter(pd::meeting_id.eq(meeting_id)).into_boxed();
    if let Some(o) = outcome {
        q = q.filter(pd::outcome.eq(o.as_str()));
        count = count.filter(pd::outcome.eq(o.as_str()));
    }
    let total = count.count().get_result(conn)?;
    let rows: Vec<DecisionRow> = q
        .order(pd::proposal_id)
        .limit(limit)
        .offset(offset)
        .select((
            pd::proposal_id,
            proposals::title,
            pd::outcome,
            pd::reason,
            pd::merge_with,
            pd::selection_run_id,
            pd::decided_by,
            pd::decided_at,
        ))
        .load(conn)?;
    Ok((
        rows.into_iter()
            .map(|r| DecisionView {
                proposal_id: r.proposal_id,
                title: r.title,
                outcome: r.outcome,
                reason: r.reason,
                merge_with: r.merge_with,
                selection_run_id: r.selection_run_id,
                decided_by: r.decided_by,
                decided_at: from_db(r.decided_at)
                    .to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
            })
            .collect(),
        total,
    ))
}

/// The outcomes of many proposals, in one query.
pub fn outcomes_of(
    conn: &mut DbConn,
    proposal_ids: &[i64],
) -> Result<std::collections::HashMap<i64, OutcomeView>, ApiError> {
    let rows: Vec<(i64, String, String, Option<i64>)> = pd::table
        .filter(pd::proposal_id.eq_any(proposal_ids))
        .select((pd::proposal_id, pd::outcome, pd::reason, pd::merge_with))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(id, outcome, reason, merge_with)| {
            (
                id,
                OutcomeView {
                    outcome,
                    reason,
                    merge_with,
                },
            )
        })
        .collect())
}

/// A proposal's decision, if any.
pub fn outcome_of(conn: &mut DbConn, proposal_id: i64) -> Result<Option<OutcomeView>, ApiError> {
    let row: Option<(String, String, Option<i64>)> = pd::table
        .find(proposal_id)
        .select((pd::outcome, pd::reason, pd::merge_with))
        .first(conn)
        .optional()?;
    Ok(row.map(|(outcome, reason, merge_with)| OutcomeView {
        outcome,
        reason,
        merge_with,
    }))
}
