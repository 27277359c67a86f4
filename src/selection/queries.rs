//! The service side of selection: builds candidates from a meeting's scored proposals,
//! runs the optimiser and stores the run with its proposed decisions; records the
//! secretariat's decisions; builds the public transparency report.

use std::collections::{BTreeMap, BTreeSet};

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use serde_json::json;

use super::optimizer::{self, Bounds, Candidate, Quotas, SelectionError};
use super::programme::{self, Entry, ProgrammeDiversity, ShareBounds, Targets};
use crate::audit;
use crate::db::DbConn;
use crate::db::schema::{
    proposal_decisions as pd, proposal_participants as pp, proposals, selection_runs as sr,
    session_types, themes,
};
use crate::error::{ApiError, FieldError};
use crate::evaluation::phase::{self, Phase};
use crate::evaluation::scores::{self, ScoreMethod};
use crate::meetings::queries::Meeting;
use crate::scheduling::solver::diversity::{Member, line_up};
use crate::time::{from_db, now, to_db};
use crate::validate::normalise_email;

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
    /// Which aggregate to maximise: `normalised` (default) or `mean`.
    #[serde(default)]
    pub score: ScoreMethod,
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
struct Facts {
    id: i64,
    title: String,
    theme: Option<String>,
    session_type: Option<String>,
    first_time: bool,
    developing_country: bool,
    organisers_sg: Vec<String>,
    organisers_rg: Vec<String>,
    organisations: Vec<String>,
    speakers: Vec<String>,
    genders: Vec<Option<String>>,
    diversity: f64,
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

type FactRow = (i64, String, Option<String>, Option<String>, bool, bool);

/// Loads the facts of a meeting's submitted proposals, in id order.
fn facts(conn: &mut DbConn, meeting_id: i64) -> Result<Vec<Facts>, ApiError> {
    let rows: Vec<FactRow> = proposals::table
        .left_join(themes::table)
        .left_join(session_types::table)
        .filter(proposals::meeting_id.eq(meeting_id))
        .filter(proposals::status.eq("submitted"))
        .order(proposals::id)
        .select((
            proposals::id,
            proposals::title,
            themes::name.nullable(),
            session_types::code.nullable(),
            proposals::first_time,
            proposals::developing_country,
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
    for (id, title, theme, session_type, first_time, developing_country) in rows {
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

fn entry(f: &Facts) -> Entry {
    Entry {
        theme: f.theme.clone(),
        stakeholder_groups: f.organisers_sg.clone(),
        regional_groups: f.organisers_rg.clone(),
        genders: f.genders.clone(),
        first_time: f.first_time,
        developing_country: f.developing_country,
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
}

/// Runs the optimiser on the meeting's results and stores the run, audited.
pub fn run_selection(
    conn: &mut DbConn,
    actor: i64,
    meeting: &Meeting,
    req: SelectionRequest,
) -> Result<RunView, ApiError> {
    crate::db::write_tx(conn, |c| {
        let settings = phase::load(c, meeting.id)?;
        phase::require(&settings, &[Phase::Closed], "running the selection")?;
        let theme_names: BTreeSet<String> = themes::table
            .filter(themes::meeting_id.eq(meeting.id))
            .select(themes::name)
            .load(c)?
            .into_iter()
            .collect();
        let type_codes: BTreeSet<String> = session_types::table
            .filter(session_types::meeting_id.eq(meeting.id))
            .select(session_types::code)
            .load(c)?
            .into_iter()
            .collect();
        let errors = check_request(&req, &theme_names, &type_codes);
        if !errors.is_empty() {
            return Err(ApiError::validation(errors));
        }
        let facts = facts(c, meeting.id)?;
        let all_scores = scores::all_scores(c, meeting.id)?;
        let aggs = scores::aggregates(&all_scores);
        let min_scores = req.min_scores.unwrap_or(1) as usize;
        let score_of = |id: i64| {
            aggs.get(&id).map(|a| match req.score {
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
        let result = optimizer::select(&candidates, &quotas(&req)).map_err(|e| match e {
            SelectionError::Infeasible { conflict } => ApiError::Validation {
                code: "infeasible_quotas",
                message: format!(
                    "the quotas cannot all hold together; {} rule(s) conflict",
                    conflict.len()
                ),
                errors: conflict
                    .into_iter()
                    .map(|r| FieldError::new("quotas", "conflict", r))
                    .collect(),
            },
            SelectionError::Invalid(m) => ApiError::Internal(anyhow::anyhow!(m)),
            SelectionError::Solver(m) => ApiError::Internal(anyhow::anyhow!(m)),
        })?;
        let solve_ms = started.elapsed().as_millis() as u64;
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
        });
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
                   "objective": result.objective, "score": req.score}),
        )?;
        load_run(c, meeting.id, id)
    })
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
    let internal = |e: serde_json::Error| ApiError::Internal(e.into());
    let request: SelectionRequest = serde_json::from_str(&params).map_err(internal)?;
    let r: serde_json::Value = serde_json::from_str(&result).map_err(internal)?;
    Ok(RunView {
        id,
        meeting_id,
        created_at: from_db(created_at).to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        request,
        objective: r["objective"].as_f64().unwrap_or(0.0),
        gap: r["gap"].as_f64().unwrap_or(0.0),
        candidates: r["candidates"].as_u64().unwrap_or(0) as usize,
        selected: r["selected"].as_u64().unwrap_or(0) as usize,
        solve_ms: r["solve_ms"].as_u64().unwrap_or(0),
        diversity: r["diversity"].clone(),
        proposals: serde_json::from_value(r["proposals"].clone()).map_err(internal)?,
    })
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
    pub reason: Option<String>,
    /// The proposal to merge with (required for `approved_if_merged`).
    pub merge_with: Option<i64>,
}

/// Body of `POST /api/v1/meetings/{meeting_id}/decisions`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DecisionsRequest {
    /// Confirm every proposed decision of this selection run first.
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
            .filter(proposals::status.eq("submitted"))
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

type DecisionRow = (
    i64,
    String,
    String,
    String,
    Option<i64>,
    Option<i64>,
    Option<i64>,
    NaiveDateTime,
);

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
                proposal_id: r.0,
                title: r.1,
                outcome: r.2,
                reason: r.3,
                merge_with: r.4,
                selection_run_id: r.5,
                decided_by: r.6,
                decided_at: from_db(r.7).to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
            })
            .collect(),
        total,
    ))
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

/// The normalisation method in words (also in the API description).
pub const NORMALISATION: &str = "Each evaluator's overall scores are standardised against that evaluator's own mean and spread, then mapped back onto the pool's mean and spread and clamped to the scale; an evaluator with fewer than 5 scores or no spread is only shifted by their mean offset. A proposal's normalised score is the mean of its normalised scores. Raw scores are kept unchanged.";

fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

/// Builds the transparency report of a meeting.
pub fn report(conn: &mut DbConn, meeting_id: i64) -> Result<Report, ApiError> {
    let settings = phase::load(conn, meeting_id)?;
    let facts = facts(conn, meeting_id)?;
    let all_scores = scores::all_scores(conn, meeting_id)?;
    let aggs = scores::aggregates(&all_scores);
    let decisions: Vec<(i64, String, String, Option<i64>)> = pd::table
        .filter(pd::meeting_id.eq(meeting_id))
        .select((
            pd::proposal_id,
            pd::outcome,
            pd::reason,
            pd::selection_run_id,
        ))
        .load(conn)?;
    let decided: BTreeMap<i64, (String, String)> = decisions
        .iter()
        .map(|(p, o, r, _)| (*p, (o.clone(), r.clone())))
        .collect();
    let latest_run = decisions.iter().filter_map(|d| d.3).max();
    let targets = match latest_run {
        Some(run) => load_run(conn, meeting_id, run)?.request.targets(),
        None => Targets::default(),
    };
    let mut outcomes: BTreeMap<String, usize> = BTreeMap::new();
    let mut entries = vec![];
    let mut rows = vec![];
    for f in &facts {
        let d = decided.get(&f.id);
        if let Some((o, _)) = d {
            *outcomes.entry(o.clone()).or_default() += 1;
            if Outcome::parse(o).is_some_and(Outcome::in_programme) {
                entries.push(entry(f));
            }
        }
        let a = aggs.get(&f.id);
        rows.push(ReportRow {
            proposal_id: f.id,
            title: f.title.clone(),
            theme: f.theme.clone(),
            session_type: f.session_type.clone(),
            outcome: d.map(|x| x.0.clone()),
            reason: d.map(|x| x.1.clone()),
            scores: a.map_or(0, |a| a.count),
            mean: a.map(|a| round2(a.mean)),
            sd: a.map(|a| round2(a.sd)),
            min: a.map(|a| round2(a.min)),
            max: a.map(|a| round2(a.max)),
            normalised: a.map(|a| round2(a.normalised)),
            polarising: a.is_some_and(|a| a.polarising),
        });
    }
    let in_prog = |r: &ReportRow| {
        r.outcome
            .as_deref()
            .and_then(Outcome::parse)
            .is_some_and(Outcome::in_programme)
    };
    rows.sort_by(|a, b| {
        in_prog(b)
            .cmp(&in_prog(a))
            .then(
                b.normalised
                    .unwrap_or(f64::NEG_INFINITY)
                    .total_cmp(&a.normalised.unwrap_or(f64::NEG_INFINITY)),
            )
            .then(a.proposal_id.cmp(&b.proposal_id))
    });
    Ok(Report {
        meeting_id,
        published_at: settings
            .published_at
            .map(|t| from_db(t).to_rfc3339_opts(chrono::SecondsFormat::Secs, true)),
        preview: settings.phase != Phase::Published,
        criteria: settings.criteria,
        scale: [phase::SCALE_MIN, phase::SCALE_MAX],
        normalisation: NORMALISATION,
        outcomes,
        programme: programme::summarise(&entries, &targets),
        proposals: rows,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

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
