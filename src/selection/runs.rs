//! Selection runs: candidates built from a meeting's scored proposals, the optimiser
//! run under the request's quotas, and the run stored with its proposed decisions.

use std::collections::{BTreeMap, BTreeSet};

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde_json::json;

use super::optimizer::{self, Bounds, Candidate, Quotas, SelectionError};
use super::programme::{self, Entry, ShareBounds};
use super::types::*;
use crate::audit;
use crate::db::DbConn;
use crate::db::schema::{
    proposal_participants as pp, proposals, selection_runs as sr, session_types, themes,
};
use crate::error::{ApiError, FieldError};
use crate::evaluation::phase::{self, Phase};
use crate::evaluation::scores::{self, ScoreMethod};
use crate::meetings::models::Meeting;
use crate::progress::Step;
use crate::scheduling::solver::diversity::{Member, line_up};
use crate::time::{from_db, now, to_db};
use crate::validate::normalise_email;
use crate::watched::Watched;

fn check_share(errors: &mut Vec<FieldError>, field: &str, v: f64) {
    if !(0.0..=1.0).contains(&v) {
        errors.push(FieldError::new(
            field,
            "range",
            format!("a share is a fraction from 0 to 1; got {v}"),
        ));
    }
}

/// Checks a selection request against the meeting's themes and session types.
fn check_request(
    r: &SelectionRequest,
    theme_names: &BTreeSet<String>,
    type_codes: &BTreeSet<String>,
) -> Vec<FieldError> {
    let mut e = vec![];
    if r.slots_per_type.is_empty() || r.slots_per_type.values().all(|v| *v == 0) {
        e.push(FieldError::new(
            "slots_per_type",
            "required",
            "give the number of slots of at least one session type",
        ));
    }
    for (k, v) in &r.slots_per_type {
        if !type_codes.contains(k) {
            e.push(FieldError::new(
                format!("slots_per_type.{k}"),
                "unknown_session_type",
                format!("{k:?} is not a session type of this meeting"),
            ));
        }
        if *v > 10_000 {
            e.push(FieldError::new(
                format!("slots_per_type.{k}"),
                "range",
                "at most 10000 slots per type",
            ));
        }
    }
    let slots: u32 = r.slots_per_type.values().sum();
    if let Some(t) = r.total
        && (t == 0 || t > slots)
    {
        e.push(FieldError::new(
            "total",
            "range",
            format!("total must be between 1 and the {slots} slots given per type"),
        ));
    }
    let mut min_sum = 0.0;
    for (k, b) in &r.theme_shares {
        let f = format!("theme_shares.{k}");
        if !theme_names.contains(k) {
            e.push(FieldError::new(
                &f,
                "unknown_theme",
                format!("{k:?} is not a theme of this meeting"),
            ));
        }
        if let Some(m) = b.min {
            check_share(&mut e, &format!("{f}.min"), m);
            min_sum += m;
        }
        if let Some(m) = b.max {
            check_share(&mut e, &format!("{f}.max"), m);
        }
        if let (Some(a), Some(z)) = (b.min, b.max)
            && a > z
        {
            e.push(FieldError::new(
                &f,
                "min_not_above_max",
                format!("the minimum share {a} is above the maximum {z}"),
            ));
        }
    }
    if min_sum > 1.0 + 1e-9 {
        e.push(FieldError::new(
            "theme_shares",
            "sum",
            format!(
                "the minimum theme shares add up to {min_sum:.2}, more than the whole programme"
            ),
        ));
    }
    for (k, v) in &r.stakeholder_min_share {
        let f = format!("stakeholder_min_share.{k}");
        if crate::proposals::types::StakeholderGroup::parse(k).is_none() {
            e.push(FieldError::new(
                &f,
                "enum",
                format!("{k:?} is not a stakeholder group"),
            ));
        }
        check_share(&mut e, &f, *v);
    }
    for (k, v) in &r.region_min_share {
        let f = format!("region_min_share.{k}");
        if crate::proposals::types::RegionalGroup::parse(k).is_none() {
            e.push(FieldError::new(
                &f,
                "enum",
                format!("{k:?} is not a regional group"),
            ));
        }
        check_share(&mut e, &f, *v);
    }
    if let Some(v) = r.first_time_min_share {
        check_share(&mut e, "first_time_min_share", v);
    }
    if let Some(v) = r.developing_min_share {
        check_share(&mut e, "developing_min_share", v);
    }
    for (f, v) in [
        ("max_per_organisation", r.max_per_organisation),
        ("max_per_speaker", r.max_per_speaker),
    ] {
        if v == Some(0) {
            e.push(FieldError::new(f, "range", "a cap is at least 1"));
        }
    }
    if !(0.0..=5.0).contains(&r.diversity_bonus) {
        e.push(FieldError::new(
            "diversity_bonus",
            "range",
            "the diversity bonus is from 0 to 5 score points",
        ));
    }
    if r.waitlist.is_some_and(|w| w > 1000) {
        e.push(FieldError::new("waitlist", "range", "at most 1000"));
    }
    if r.min_scores.is_some_and(|w| w > 20) {
        e.push(FieldError::new("min_scores", "range", "at most 20"));
    }
    if r.time_limit_s.is_some_and(|t| !(1..=300).contains(&t)) {
        e.push(FieldError::new(
            "time_limit_s",
            "range",
            "from 1 to 300 seconds",
        ));
    }
    e
}

/// Turns shares into the optimiser's counts: minimums round up, maximums down.
fn quotas(r: &SelectionRequest) -> Quotas {
    let n = f64::from(r.programme_size());
    let up = |s: f64| (s * n - 1e-9).ceil().max(0.0) as u32;
    let down = |s: f64| (s * n + 1e-9).floor().max(0.0) as u32;
    Quotas {
        slots_per_type: r.slots_per_type.clone(),
        total: r.total,
        themes: r
            .theme_shares
            .iter()
            .map(|(k, b)| {
                (
                    k.clone(),
                    Bounds {
                        min: b.min.map(up),
                        max: b.max.map(down),
                    },
                )
            })
            .collect(),
        stakeholder_min: r
            .stakeholder_min_share
            .iter()
            .map(|(k, s)| (k.clone(), up(*s)))
            .collect(),
        region_min: r
            .region_min_share
            .iter()
            .map(|(k, s)| (k.clone(), up(*s)))
            .collect(),
        first_time_min: r.first_time_min_share.map(up),
        developing_min: r.developing_min_share.map(up),
        max_per_organisation: r.max_per_organisation,
        max_per_speaker: Some(r.max_per_speaker.unwrap_or(3)),
        diversity_bonus: r.diversity_bonus,
    }
}

/// What selection and the report need about one submitted proposal.
#[derive(Debug, Clone)]
pub struct Facts {
    /// The proposal.
    pub id: i64,
    /// Its title.
    pub title: String,
    /// Theme name.
    pub theme: Option<String>,
    /// Session type code.
    pub session_type: Option<String>,
    /// A first-time proposer.
    pub first_time: bool,
    /// From a developing country.
    pub developing_country: bool,
    /// Organisers' stakeholder groups.
    pub organisers_sg: Vec<String>,
    /// Organisers' regional groups.
    pub organisers_rg: Vec<String>,
    /// Organising organisations.
    pub organisations: Vec<String>,
    /// Speakers, by a display name that is unique within the meeting.
    pub speakers: Vec<String>,
    /// Line-up genders.
    pub genders: Vec<Option<String>>,
    /// Line-up diversity, 0 to 1.
    pub diversity: f64,
    /// Withdrawn by its proposer after a decision was made on it.
    pub withdrawn: bool,
}

type PersonRow = (
    i64,
    String,
    String,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
);

type FactRow = (
    i64,
    String,
    Option<String>,
    Option<String>,
    bool,
    bool,
    String,
);

/// Loads the facts of a meeting's submitted proposals, in id order.
pub fn facts(conn: &mut DbConn, meeting_id: i64) -> Result<Vec<Facts>, ApiError> {
    facts_of(conn, meeting_id, false)
}

/// Loads the facts of a meeting's submitted proposals, in id order; with
/// `withdrawn_decided`, also those withdrawn after a decision (for the report, which
/// shows them as such).
pub fn facts_of(
    conn: &mut DbConn,
    meeting_id: i64,
    withdrawn_decided: bool,
) -> Result<Vec<Facts>, ApiError> {
    use crate::proposals::types::ProposalStatus;
    let decided: Vec<i64> = if withdrawn_decided {
        crate::db::schema::proposal_decisions::table
            .filter(crate::db::schema::proposal_decisions::meeting_id.eq(meeting_id))
            .select(crate::db::schema::proposal_decisions::proposal_id)
            .load(conn)?
    } else {
        vec![]
    };
    let rows: Vec<FactRow> = proposals::table
        .left_join(themes::table)
        .left_join(session_types::table)
        .filter(proposals::meeting_id.eq(meeting_id))
        .filter(
            proposals::status
                .eq(ProposalStatus::Submitted.as_str())
                .or(proposals::status
                    .eq(ProposalStatus::Withdrawn.as_str())
                    .and(proposals::id.eq_any(&decided))),
        )
        .order(proposals::id)
        .select((
            proposals::id,
            proposals::title,
            themes::name.nullable(),
            session_types::code.nullable(),
            proposals::first_time,
            proposals::developing_country,
            proposals::status,
        ))
        .load(conn)?;
    let ids: Vec<i64> = rows.iter().map(|r| r.0).collect();
    let people: Vec<PersonRow> = pp::table
        .filter(pp::proposal_id.eq_any(&ids))
        .order((pp::proposal_id, pp::position))
        .select((
            pp::proposal_id,
            pp::role,
            pp::name,
            pp::email,
            pp::organisation,
            pp::stakeholder_group,
            pp::regional_group,
            pp::gender,
            pp::participation,
        ))
        .load(conn)?;
    // A speaker is known by email where given; they are named in reasons by name and
    // organisation, never by email.
    let mut display: BTreeMap<String, String> = BTreeMap::new();
    let mut used: BTreeSet<String> = BTreeSet::new();
    let mut by_proposal: BTreeMap<i64, Vec<PersonRow>> = BTreeMap::new();
    for p in people {
        by_proposal.entry(p.0).or_default().push(p);
    }
    let mut out = vec![];
    for (id, title, theme, session_type, first_time, developing_country, status) in rows {
        let people = by_proposal.remove(&id).unwrap_or_default();
        let mut f = Facts {
            id,
            title,
            theme,
            session_type,
            first_time,
            developing_country,
            organisers_sg: vec![],
            organisers_rg: vec![],
            organisations: vec![],
            speakers: vec![],
            genders: vec![],
            diversity: 0.0,
            withdrawn: status == crate::proposals::types::ProposalStatus::Withdrawn.as_str(),
        };
        let mut seen_people: BTreeSet<String> = BTreeSet::new();
        let mut members = vec![];
        for (_, role, name, email, org, sg, rg, gender, participation) in &people {
            let key = email
                .as_deref()
                .map(normalise_email)
                .unwrap_or_else(|| format!("name:{}", name.trim().to_lowercase()));
            if role == "organiser" {
                f.organisers_sg.extend(sg.clone());
                f.organisers_rg.extend(rg.clone());
                f.organisations.extend(org.clone());
            }
            if role == "speaker" {
                let shown = display.entry(key.clone()).or_insert_with(|| {
                    let base = match org {
                        Some(o) => format!("{}, {}", name.trim(), o.trim()),
                        None => name.trim().to_string(),
                    };
                    let mut candidate = base.clone();
                    let mut k = 2;
                    while used.contains(&candidate) {
                        candidate = format!("{base} #{k}");
                        k += 1;
                    }
                    used.insert(candidate.clone());
                    candidate
                });
                f.speakers.push(shown.clone());
            }
            if seen_people.insert(key) {
                f.genders.push(gender.clone());
                members.push(Member {
                    stakeholder_group: sg.as_deref(),
                    regional_group: rg.as_deref(),
                    gender: gender.as_deref(),
                    online: participation.as_deref() == Some("online"),
                });
            }
        }
        f.diversity = line_up(&members).score;
        for v in [
            &mut f.organisers_sg,
            &mut f.organisers_rg,
            &mut f.organisations,
            &mut f.speakers,
        ] {
            v.sort();
            v.dedup();
        }
        out.push(f);
    }
    Ok(out)
}

/// A proposal's facts as the programme's diversity counts them.
pub fn entry(f: &Facts) -> Entry {
    Entry {
        theme: f.theme.clone(),
        stakeholder_groups: f.organisers_sg.clone(),
        regional_groups: f.organisers_rg.clone(),
        genders: f.genders.clone(),
        first_time: f.first_time,
        developing_country: f.developing_country,
    }
}

/// Whether the selection can run now with this request: the evaluation is closed,
/// and the request names only the meeting's themes and session types, with every
/// figure in its range.
pub fn check(c: &mut DbConn, meeting_id: i64, req: &SelectionRequest) -> Result<(), ApiError> {
    let settings = phase::load(c, meeting_id)?;
    phase::require(&settings, &[Phase::Closed], "running the selection")?;
    let theme_names: BTreeSet<String> = themes::table
        .filter(themes::meeting_id.eq(meeting_id))
        .select(themes::name)
        .load(c)?
        .into_iter()
        .collect();
    let type_codes: BTreeSet<String> = session_types::table
        .filter(session_types::meeting_id.eq(meeting_id))
        .select(session_types::code)
        .load(c)?
        .into_iter()
        .collect();
    let errors = check_request(req, &theme_names, &type_codes);
    if !errors.is_empty() {
        return Err(ApiError::validation(errors));
    }
    Ok(())
}

/// Runs the optimiser on the meeting's results and stores the run, audited; `run`
/// watches the optimiser and is sealed with the stored run.
pub fn run_selection(
    conn: &mut DbConn,
    actor: i64,
    meeting: &Meeting,
    req: SelectionRequest,
    run: &mut dyn Watched,
) -> Result<RunView, ApiError> {
    // Reading and optimising hold no write transaction, so other writers never wait
    // for the optimiser; only storing the run does, with the phase checked again.
    {
        let c = &mut *conn;
        check(c, meeting.id, &req)?;
        let facts = facts(c, meeting.id)?;
        let all_scores = scores::all_scores(c, meeting.id)?;
        let aggs = scores::aggregates(&all_scores);
        let min_scores = req.min_scores.unwrap_or(1) as usize;
        let norm = scores::normalisation(&all_scores, true);
        let score_used = req.score.unwrap_or(norm.default_score);
        let mut notes = norm.notes.clone();
        let mut req = req.clone();
        meeting_targets(c, meeting.id, &mut req, &mut notes, |theme| {
            facts
                .iter()
                .filter(|f| f.theme.as_deref() == Some(theme))
                .filter(|f| aggs.get(&f.id).is_some_and(|a| a.count >= min_scores))
                .count()
        })?;
        let score_of = |id: i64| {
            aggs.get(&id).map(|a| match score_used {
                ScoreMethod::Normalised => a.normalised,
                ScoreMethod::Mean => a.mean,
            })
        };
        let mut candidates = vec![];
        let mut too_few = vec![];
        for f in &facts {
            let count = aggs.get(&f.id).map_or(0, |a| a.count);
            match score_of(f.id) {
                Some(score) if count >= min_scores => candidates.push(Candidate {
                    id: f.id.to_string(),
                    score,
                    diversity: f.diversity,
                    session_type: f.session_type.clone().unwrap_or_default(),
                    theme: f.theme.clone(),
                    stakeholder_groups: f.organisers_sg.clone(),
                    regional_groups: f.organisers_rg.clone(),
                    organisations: f.organisations.clone(),
                    speakers: f.speakers.clone(),
                    first_time: f.first_time,
                    developing_country: f.developing_country,
                }),
                _ => too_few.push((f.id, count)),
            }
        }
        let started = std::time::Instant::now();
        let limit = std::time::Duration::from_secs(req.time_limit_s.unwrap_or(30).into());
        let result = optimizer::select_watched(&candidates, &quotas(&req), limit, run).map_err(
            |e| match e {
                SelectionError::Infeasible { conflict } => ApiError::Validation {
                    code: crate::error::Code::InfeasibleQuotas,
                    omitted: 0,
                    message: format!(
                        "the quotas cannot all hold together; {} rule(s) conflict",
                        conflict.len()
                    ),
                    errors: conflict
                        .into_iter()
                        .map(|r| FieldError::new("quotas", "conflict", r))
                        .collect(),
                },
                SelectionError::TimeLimit(_) => ApiError::Validation {
                    code: crate::error::Code::TimeLimit,
                    omitted: 0,
                    message: e.to_string(),
                    errors: vec![FieldError::new(
                        "time_limit_s",
                        "time_limit",
                        "no programme found in time; allow more time or loosen the quotas",
                    )],
                },
                SelectionError::Invalid(m) => ApiError::Internal(anyhow::anyhow!(m)),
                SelectionError::Solver(m) => ApiError::Internal(anyhow::anyhow!(m)),
                // Only a job's watch stops it, and the job then ends as cancelled.
                SelectionError::Stopped => {
                    ApiError::Internal(anyhow::anyhow!("the selection was stopped on request"))
                }
            },
        )?;
        run.step(Step::of("storing", 0, 1));
        let solve_ms = started.elapsed().as_millis() as u64;
        if result.timed_out {
            notes.push(format!(
                "the optimiser stopped at its limit of {} s before proving the programme \
                 best; it is within {:.1}% of the best possible",
                limit.as_secs(),
                result.gap * 100.0
            ));
        }
        let by_id: BTreeMap<i64, &Facts> = facts.iter().map(|f| (f.id, f)).collect();
        let parse = |s: &str| s.parse::<i64>().map_err(|e| ApiError::Internal(e.into()));
        let mut proposals_out = vec![];
        let proposed = |f: &Facts, outcome: Outcome, reason: String| Proposed {
            proposal_id: f.id,
            title: f.title.clone(),
            theme: f.theme.clone(),
            session_type: f.session_type.clone(),
            score: score_of(f.id).map(|s| (s * 1000.0).round() / 1000.0),
            diversity: (f.diversity * 1000.0).round() / 1000.0,
            outcome,
            reason,
        };
        let mut selected_entries = vec![];
        for (rank, id) in result.selected.iter().enumerate() {
            let f = by_id[&parse(id)?];
            selected_entries.push(entry(f));
            proposals_out.push(proposed(
                f,
                Outcome::Approved,
                format!(
                    "selected: score {:.2}, rank {} of the programme",
                    score_of(f.id).unwrap_or(0.0),
                    rank + 1
                ),
            ));
        }
        let mut declined: Vec<(i64, String)> = result
            .declined
            .iter()
            .map(|d| Ok((parse(&d.id)?, d.reason.clone())))
            .collect::<Result<_, ApiError>>()?;
        declined.sort_by(|a, b| {
            score_of(b.0)
                .unwrap_or(0.0)
                .total_cmp(&score_of(a.0).unwrap_or(0.0))
                .then(a.0.cmp(&b.0))
        });
        let waitlist = req.waitlist.unwrap_or(10) as usize;
        for (i, (id, reason)) in declined.into_iter().enumerate() {
            let outcome = if i < waitlist {
                Outcome::Waitlisted
            } else {
                Outcome::Declined
            };
            proposals_out.push(proposed(by_id[&id], outcome, reason));
        }
        for (id, count) in too_few {
            proposals_out.push(proposed(
                by_id[&id],
                Outcome::Declined,
                format!("has {count} score(s); {min_scores} needed to be considered"),
            ));
        }
        let diversity = programme::summarise(&selected_entries, &req.targets());
        let at = to_db(now());
        let params = serde_json::to_string(&req).map_err(|e| ApiError::Internal(e.into()))?;
        let stored = json!({
            "objective": result.objective, "gap": result.gap, "candidates": candidates.len(),
            "selected": result.selected.len(), "solve_ms": solve_ms,
            "diversity": diversity, "proposals": proposals_out,
            "score_used": score_used, "notes": notes,
        });
        crate::db::write_tx(c, |c| {
            crate::db::lock_meeting(c, meeting.id)?;
            phase::require(
                &phase::load(c, meeting.id)?,
                &[Phase::Closed],
                "running the selection",
            )?;
            let id: i64 = crate::with_backend!(c, |conn| diesel::insert_into(sr::table)
                .values((
                    sr::meeting_id.eq(meeting.id),
                    sr::created_by.eq(actor),
                    sr::params.eq(&params),
                    sr::result.eq(stored.to_string()),
                    sr::created_at.eq(at),
                ))
                .returning(sr::id)
                .get_result(conn))?;
            audit::record(
                c,
                Some(actor),
                "selection.run",
                "selection_run",
                id,
                Some(meeting.id),
                json!({"selected": result.selected.len(), "candidates": candidates.len(),
                       "objective": result.objective, "score": score_used}),
            )?;
            run.seal(
                c,
                &json!({"selection_run_id": id, "selected": result.selected.len(),
                        "candidates": candidates.len(), "objective": result.objective,
                        "gap": result.gap}),
            )?;
            load_run(c, meeting.id, id)
        })
    }
}

/// A theme's target share is held as a minimum this far below it.
pub const TARGET_TOLERANCE: f64 = 0.05;

/// Adds the meeting's theme target shares to a run that does not name the theme:
/// each is held as a minimum share of the target less [`TARGET_TOLERANCE`], or of every
/// candidate of the theme when there are fewer; each addition is noted.
fn meeting_targets(
    c: &mut DbConn,
    meeting_id: i64,
    req: &mut SelectionRequest,
    notes: &mut Vec<String>,
    candidates_of: impl Fn(&str) -> usize,
) -> Result<(), ApiError> {
    let targets: Vec<(String, Option<f64>)> = themes::table
        .filter(themes::meeting_id.eq(meeting_id))
        .order(themes::position)
        .select((themes::name, themes::target_share))
        .load(c)?;
    let n = f64::from(req.programme_size());
    for (name, target) in targets {
        let Some(t) = target else { continue };
        if req.theme_shares.contains_key(&name) || n == 0.0 {
            continue;
        }
        let wanted = (t - TARGET_TOLERANCE).max(0.0);
        let available = candidates_of(&name) as f64 / n;
        let min = wanted.min(available);
        notes.push(if min < wanted {
            format!(
                "theme {name:?}: the meeting's target share of {:.0} % asks for at least \
                 {:.0} %, but only {} candidate(s) have enough scores; all of them may be \
                 needed",
                t * 100.0,
                wanted * 100.0,
                candidates_of(&name)
            )
        } else {
            format!(
                "theme {name:?}: the meeting's target share of {:.0} % is held as at \
                 least {:.0} % of the programme",
                t * 100.0,
                wanted * 100.0
            )
        });
        req.theme_shares.insert(
            name,
            ShareBounds {
                min: Some((min * 1e6).floor() / 1e6),
                max: None,
            },
        );
    }
    Ok(())
}

/// A stored run.
pub fn load_run(conn: &mut DbConn, meeting_id: i64, id: i64) -> Result<RunView, ApiError> {
    let row: Option<(i64, i64, String, String, NaiveDateTime)> = sr::table
        .find(id)
        .filter(sr::meeting_id.eq(meeting_id))
        .select((
            sr::id,
            sr::meeting_id,
            sr::params,
            sr::result,
            sr::created_at,
        ))
        .first(conn)
        .optional()?;
    let (id, meeting_id, params, result, created_at) =
        row.ok_or(ApiError::NotFound("selection run"))?;
    let request: SelectionRequest = crate::db::json_column(&params, "selection_runs.params", id)?;
    let r: StoredResult = crate::db::json_column(&result, "selection_runs.result", id)?;
    Ok(RunView {
        id,
        meeting_id,
        created_at: from_db(created_at).to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        // Runs stored before `score_used` maximised what they asked for.
        score_used: r.score_used.unwrap_or(request.score.unwrap_or_default()),
        request,
        objective: r.objective,
        gap: r.gap,
        candidates: r.candidates,
        selected: r.selected,
        solve_ms: r.solve_ms,
        diversity: r.diversity,
        proposals: r.proposals,
        notes: r.notes,
    })
}

/// What a run stores of its result: every member is read or the row is an error,
/// except the two that runs stored before them lack.
#[derive(serde::Deserialize)]
struct StoredResult {
    objective: f64,
    gap: f64,
    candidates: usize,
    selected: usize,
    solve_ms: u64,
    diversity: serde_json::Value,
    proposals: Vec<crate::selection::types::Proposed>,
    #[serde(default)]
    score_used: Option<ScoreMethod>,
    #[serde(default)]
    notes: Vec<String>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::selection::programme::ShareBounds;

    fn request() -> SelectionRequest {
        serde_json::from_value(json!({
            "slots_per_type": {"workshop": 30, "open_forum": 7},
            "theme_shares": {"Trust": {"min": 0.2, "max": 0.3}},
            "stakeholder_min_share": {"government": 0.1},
            "first_time_min_share": 0.25
        }))
        .unwrap()
    }

    #[test]
    fn shares_become_counts_of_the_programme_size_minimums_up_maximums_down() {
        let q = quotas(&request());
        // 37 sessions: 0.2 * 37 = 7.4 -> at least 8; 0.3 * 37 = 11.1 -> at most 11.
        assert_eq!(
            q.themes["Trust"],
            Bounds {
                min: Some(8),
                max: Some(11)
            }
        );
        assert_eq!(q.stakeholder_min["government"], 4);
        assert_eq!(q.first_time_min, Some(10));
        assert_eq!(q.max_per_speaker, Some(3), "the IGF rule by default");
        let mut exact = request();
        exact.total = Some(20);
        let q = quotas(&exact);
        // 0.2 * 20 = 4 exactly: no rounding up past it.
        assert_eq!(q.themes["Trust"].min, Some(4));
        assert_eq!(q.themes["Trust"].max, Some(6));
    }

    #[test]
    fn requests_are_checked_against_the_meeting() {
        let themes: BTreeSet<String> = ["Trust".to_string()].into();
        let types: BTreeSet<String> = ["workshop".to_string(), "open_forum".to_string()].into();
        assert!(check_request(&request(), &themes, &types).is_empty());
        let mut bad = request();
        bad.total = Some(38);
        bad.theme_shares.insert(
            "Access".into(),
            ShareBounds {
                min: Some(0.9),
                max: None,
            },
        );
        bad.max_per_organisation = Some(0);
        let rules: Vec<(String, String)> = check_request(&bad, &themes, &types)
            .into_iter()
            .map(|e| (e.field, e.rule))
            .collect();
        for want in [
            ("total", "range"),
            ("theme_shares.Access", "unknown_theme"),
            ("theme_shares", "sum"),
            ("max_per_organisation", "range"),
        ] {
            assert!(
                rules.contains(&(want.0.to_string(), want.1.to_string())),
                "{want:?} not in {rules:?}"
            );
        }
    }
}
