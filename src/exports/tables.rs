//! The exports' use cases: each reads a list through the list's own use case, under
//! its filters and as the role that asks (so every privacy rule of the list holds), on
//! one consistent view of the database, every page at once, and lays it out as a
//! table.

use std::collections::{BTreeSet, HashMap};

use serde::Deserialize;

use super::{Cell, Format, Table};
use crate::auth::{AuthUser, Role};
use crate::db::DbConn;
use crate::error::ApiError;
use crate::evaluation::scores::ScoreMethod;
use crate::page::every;
use crate::proposals::types::{
    ListProposalsQuery, ParticipantResponse, ProposalStatus, RegionalGroup,
};
use crate::selection::types::Outcome;

/// Query of the proposals export: the proposal list's filters.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProposalsExport {
    /// `csv` (default) or `xlsx`.
    #[serde(default)]
    pub format: Format,
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
}

/// Query of the assignments export.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AssignmentsExport {
    /// `csv` (default) or `xlsx`.
    #[serde(default)]
    pub format: Format,
    /// Only this evaluator (secretariat only; an evaluator gets their own).
    pub evaluator_id: Option<i64>,
}

/// Query of the scores export.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScoresExport {
    /// `csv` (default) or `xlsx`.
    #[serde(default)]
    pub format: Format,
    /// Only this evaluator (an evaluator may name only themself).
    pub evaluator_id: Option<i64>,
    /// Only this proposal.
    pub proposal_id: Option<i64>,
}

/// Query of the results export.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ResultsExport {
    /// `csv` (default) or `xlsx`.
    #[serde(default)]
    pub format: Format,
    /// Order by `normalised` or `mean`, as the results do.
    pub sort: Option<ScoreMethod>,
}

/// Query of the decisions export.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DecisionsExport {
    /// `csv` (default) or `xlsx`.
    #[serde(default)]
    pub format: Format,
    /// Only this outcome.
    pub outcome: Option<Outcome>,
}

/// Query of the programme export: the public programme's filters.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProgrammeExport {
    /// `csv` (default) or `xlsx`.
    #[serde(default)]
    pub format: Format,
    /// Only this venue-local date (YYYY-MM-DD).
    pub day: Option<chrono::NaiveDate>,
    /// Only this theme id.
    pub theme_id: Option<i64>,
    /// Only this session type code.
    pub session_type: Option<String>,
    /// Only this room id.
    pub room_id: Option<i64>,
    /// Only sessions with a person whose name contains this (case-insensitive).
    pub person: Option<String>,
    /// Also give times in this IANA zone.
    pub tz: Option<String>,
}

/// Names of a meeting's themes and session types, for cells that would otherwise
/// hold ids and codes.
struct Names {
    themes: HashMap<i64, String>,
    types: HashMap<String, String>,
}

impl Names {
    fn of(conn: &mut DbConn, actor: &AuthUser, meeting_id: i64) -> Result<Names, ApiError> {
        let m = crate::meetings::service::get(conn, &Some(actor.clone()), meeting_id)?;
        Ok(Names {
            themes: m.themes.into_iter().map(|t| (t.id, t.name)).collect(),
            types: m
                .session_types
                .into_iter()
                .map(|t| (t.code, t.name))
                .collect(),
        })
    }

    fn theme(&self, id: Option<i64>) -> Cell {
        id.and_then(|id| self.themes.get(&id).cloned()).into()
    }

    fn kind(&self, code: Option<&str>) -> Cell {
        code.map(|c| self.types.get(c).cloned().unwrap_or_else(|| c.to_string()))
            .into()
    }
}

/// One person as a cell: the name, then whatever the asker may see of them.
fn person(p: &ParticipantResponse) -> String {
    let facts: Vec<&str> = [
        Some(p.role.as_str()),
        p.organisation.as_deref(),
        p.stakeholder_group.as_deref(),
        p.regional_group.as_deref(),
        p.country.as_deref(),
        p.gender.as_deref(),
        p.participation.as_deref(),
        p.email.as_deref(),
    ]
    .into_iter()
    .flatten()
    .filter(|s| !s.is_empty())
    .collect();
    named(&p.name, &facts)
}

/// A name with the facts told of its person: `Name (a, b)`.
fn named(name: &str, facts: &[&str]) -> String {
    format!("{name} ({})", facts.join(", "))
}

fn people(ps: &[ParticipantResponse]) -> Cell {
    ps.iter().map(person).collect::<Vec<_>>().join("; ").into()
}

fn names_in(ps: &[ParticipantResponse], role: &str) -> Cell {
    ps.iter()
        .filter(|p| p.role == role)
        .map(|p| p.name.as_str())
        .collect::<Vec<_>>()
        .join("; ")
        .into()
}

/// Every proposal the asker may list (the secretariat every one, a proposer their
/// own) under the list's filters, each with its screening now and its outcome where
/// the asker may see it. Evaluators read theirs through the assignments export.
pub fn proposals(
    conn: &mut DbConn,
    actor: &AuthUser,
    meeting_id: i64,
    q: &ProposalsExport,
) -> Result<Table, ApiError> {
    crate::db::read_snapshot(conn, |c| {
        let names = Names::of(c, actor, meeting_id)?;
        let list = |page, per_page| ListProposalsQuery {
            theme_id: q.theme_id,
            session_type: q.session_type.clone(),
            status: q.status,
            regional_group: q.regional_group,
            q: q.q.clone(),
            page: Some(page),
            per_page: Some(per_page),
        };
        let found = every(|page, per_page| {
            crate::proposals::service::list(c, actor, meeting_id, &list(page, per_page))
        })?;
        let mut t = Table::new(
            "proposals",
            &[
                "id",
                "title",
                "status",
                "theme",
                "session_type",
                "format",
                "duration_min",
                "submitted_at",
                "screening",
                "screening_problems",
                "outcome",
                "outcome_reason",
                "merge_with",
                "organisers",
                "speakers",
                "people",
                "interpretation",
                "captioning",
                "sign_language",
                "first_time",
                "developing_country",
                "past_organiser",
                "sdgs",
                "policy_questions",
                "description",
            ],
        );
        for p in found {
            // The call's window is not the proposal's own problem: left out, as on the
            // secretariat's proposal list.
            let problems: Vec<String> = crate::proposals::service::screening(c, actor, p.id)?
                .into_iter()
                .filter(|e| e.rule != "within_window")
                .map(|e| format!("{}: {}", e.field, e.message))
                .collect();
            let speakers = p
                .participants
                .iter()
                .filter(|x| x.role == "speaker")
                .count();
            t.push(vec![
                p.id.into(),
                p.title.clone().into(),
                p.status.clone().into(),
                names.theme(p.theme_id),
                names.kind(p.session_type.as_deref()),
                p.format.clone().into(),
                p.duration_min.into(),
                p.submitted_at.clone().into(),
                if problems.is_empty() {
                    "passes"
                } else {
                    "problems"
                }
                .into(),
                problems.join(" | ").into(),
                p.outcome.as_ref().map(|o| o.outcome.clone()).into(),
                p.outcome.as_ref().map(|o| o.reason.clone()).into(),
                p.outcome.as_ref().and_then(|o| o.merge_with).into(),
                names_in(&p.participants, "organiser"),
                speakers.into(),
                people(&p.participants),
                p.interpretation.join(" ").into(),
                p.captioning.into(),
                p.sign_language.into(),
                p.first_time.into(),
                p.developing_country.into(),
                p.past_organiser.into(),
                join_numbers(&p.sdgs).into(),
                p.policy_questions.join(" | ").into(),
                p.description.clone().into(),
            ]);
        }
        Ok(t)
    })
}

fn join_numbers(ns: &[i32]) -> String {
    ns.iter().map(i32::to_string).collect::<Vec<_>>().join(" ")
}

/// Every assignment the asker may list (an evaluator their own, the secretariat every
/// one or one evaluator's), each with the proposal as that asker may read it (an
/// evaluator without anyone's email or gender, and without who organises it under
/// blind review) and the asker's or evaluator's score of it so far.
pub fn assignments(
    conn: &mut DbConn,
    actor: &AuthUser,
    meeting_id: i64,
    q: &AssignmentsExport,
) -> Result<Table, ApiError> {
    crate::db::read_snapshot(conn, |c| {
        let names = Names::of(c, actor, meeting_id)?;
        let found = every(|page, per_page| {
            crate::evaluation::service::list_assignments(
                c,
                actor,
                meeting_id,
                &crate::evaluation::types::ListAssignmentsQuery {
                    evaluator_id: q.evaluator_id,
                    page: Some(page),
                    per_page: Some(per_page),
                },
            )
        })?;
        let scores = every(|page, per_page| {
            crate::evaluation::service::list_scores(
                c,
                actor,
                meeting_id,
                &crate::evaluation::types::ListScoresQuery {
                    evaluator_id: q.evaluator_id,
                    proposal_id: None,
                    page: Some(page),
                    per_page: Some(per_page),
                },
            )
        })?;
        let scored: HashMap<(i64, i64), _> = scores
            .into_iter()
            .map(|s| ((s.proposal_id, s.evaluator_id), s))
            .collect();
        let evaluators = evaluator_names(c, actor, meeting_id)?;
        let mut t = Table::new(
            "assignments",
            &[
                "proposal_id",
                "title",
                "evaluator_id",
                "evaluator",
                "theme",
                "session_type",
                "format",
                "people",
                "policy_questions",
                "description",
                "scored",
                "overall",
                "comment",
            ],
        );
        // Each proposal read once, however many evaluators it has.
        let mut read: HashMap<i64, crate::proposals::types::ProposalResponse> = HashMap::new();
        for a in found {
            let p = match read.entry(a.proposal_id) {
                std::collections::hash_map::Entry::Occupied(e) => e.into_mut(),
                std::collections::hash_map::Entry::Vacant(e) => {
                    e.insert(crate::proposals::service::get(c, actor, a.proposal_id)?)
                }
            };
            let p = &*p;
            let s = scored.get(&(a.proposal_id, a.evaluator_id));
            t.push(vec![
                a.proposal_id.into(),
                a.title.into(),
                a.evaluator_id.into(),
                evaluators.get(&a.evaluator_id).cloned().into(),
                names.theme(p.theme_id),
                names.kind(p.session_type.as_deref()),
                p.format.clone().into(),
                people(&p.participants),
                p.policy_questions.join(" | ").into(),
                p.description.clone().into(),
                s.is_some().into(),
                s.map(|s| s.overall).into(),
                s.map(|s| s.comment.clone()).into(),
            ]);
        }
        Ok(t)
    })
}

/// The evaluators' names the asker may read: every member's for the secretariat,
/// only their own for an evaluator.
fn evaluator_names(
    conn: &mut DbConn,
    actor: &AuthUser,
    meeting_id: i64,
) -> Result<HashMap<i64, String>, ApiError> {
    if actor.role == Role::Secretariat {
        let committee = crate::evaluation::committee::list(conn, actor, meeting_id)?;
        Ok(committee
            .members
            .into_iter()
            .map(|m| (m.user_id, m.name))
            .collect())
    } else {
        let me = crate::auth::queries::find_by_id(conn, actor.id)?;
        Ok(me.map(|u| (actor.id, u.name)).into_iter().collect())
    }
}

/// Every score the asker may list (an evaluator their own, the secretariat every one)
/// under the list's filters: one column per criterion.
pub fn scores(
    conn: &mut DbConn,
    actor: &AuthUser,
    meeting_id: i64,
    q: &ScoresExport,
) -> Result<Table, ApiError> {
    crate::db::read_snapshot(conn, |c| {
        let found = every(|page, per_page| {
            crate::evaluation::service::list_scores(
                c,
                actor,
                meeting_id,
                &crate::evaluation::types::ListScoresQuery {
                    evaluator_id: q.evaluator_id,
                    proposal_id: q.proposal_id,
                    page: Some(page),
                    per_page: Some(per_page),
                },
            )
        })?;
        let evaluators = evaluator_names(c, actor, meeting_id)?;
        let criteria: BTreeSet<String> = found
            .iter()
            .flat_map(|s| s.scores.keys().cloned())
            .collect();
        let mut headers = vec!["proposal_id", "evaluator_id", "evaluator"];
        headers.extend(criteria.iter().map(String::as_str));
        headers.extend(["overall", "could_merge_with", "comment", "updated_at"]);
        let mut t = Table::new("scores", &headers);
        for s in &found {
            let mut row: Vec<Cell> = vec![
                s.proposal_id.into(),
                s.evaluator_id.into(),
                evaluators.get(&s.evaluator_id).cloned().into(),
            ];
            row.extend(criteria.iter().map(|k| s.scores.get(k).copied().into()));
            row.extend([
                s.overall.into(),
                s.could_merge_with.into(),
                s.comment.clone().into(),
                s.updated_at.clone().into(),
            ]);
            t.push(row);
        }
        Ok(t)
    })
}

/// The evaluation's results as the asker may read them, in rank order: one column
/// per criterion's mean.
pub fn results(
    conn: &mut DbConn,
    actor: &AuthUser,
    meeting_id: i64,
    q: &ResultsExport,
) -> Result<Table, ApiError> {
    crate::db::read_snapshot(conn, |c| {
        let found = every(|page, per_page| {
            crate::evaluation::service::results(
                c,
                actor,
                meeting_id,
                &crate::evaluation::types::ResultsQuery {
                    sort: q.sort,
                    page: Some(page),
                    per_page: Some(per_page),
                },
            )
            .map(|r| r.page)
        })?;
        let criteria: BTreeSet<String> = found
            .iter()
            .flat_map(|r| r.criteria_means.keys().cloned())
            .collect();
        let mut headers = vec![
            "rank",
            "proposal_id",
            "title",
            "theme",
            "session_type",
            "assigned",
            "scores",
            "mean",
            "sd",
            "min",
            "max",
            "normalised",
            "polarising",
        ];
        let mean_of: Vec<String> = criteria.iter().map(|k| format!("mean_{k}")).collect();
        headers.extend(mean_of.iter().map(String::as_str));
        headers.push("merge_suggestions");
        let mut t = Table::new("results", &headers);
        for r in &found {
            let mut row: Vec<Cell> = vec![
                r.rank.into(),
                r.proposal_id.into(),
                r.title.clone().into(),
                r.theme.clone().into(),
                r.session_type.clone().into(),
                r.assigned.into(),
                r.count.into(),
                r.mean.into(),
                r.sd.into(),
                r.min.into(),
                r.max.into(),
                r.normalised.into(),
                r.polarising.into(),
            ];
            row.extend(
                criteria
                    .iter()
                    .map(|k| r.criteria_means.get(k).copied().into()),
            );
            row.push(
                r.merge_suggestions
                    .iter()
                    .map(i64::to_string)
                    .collect::<Vec<_>>()
                    .join(" ")
                    .into(),
            );
            t.push(row);
        }
        Ok(t)
    })
}

/// The secretariat's recorded decisions under the list's filter.
pub fn decisions(
    conn: &mut DbConn,
    actor: &AuthUser,
    meeting_id: i64,
    q: &DecisionsExport,
) -> Result<Table, ApiError> {
    crate::db::read_snapshot(conn, |c| {
        let found = every(|page, per_page| {
            crate::selection::service::list_decisions(
                c,
                actor,
                meeting_id,
                &crate::selection::types::ListDecisionsQuery {
                    outcome: q.outcome,
                    page: Some(page),
                    per_page: Some(per_page),
                },
            )
        })?;
        let mut t = Table::new(
            "decisions",
            &[
                "proposal_id",
                "title",
                "outcome",
                "reason",
                "merge_with",
                "selection_run_id",
                "decided_by",
                "decided_at",
            ],
        );
        for d in found {
            t.push(vec![
                d.proposal_id.into(),
                d.title.into(),
                d.outcome.into(),
                d.reason.into(),
                d.merge_with.into(),
                d.selection_run_id.into(),
                d.decided_by.into(),
                d.decided_at.into(),
            ]);
        }
        Ok(t)
    })
}

/// The published programme under its filters, one session a row, times in the
/// venue's zone and UTC (and in `tz` when asked); people with their public fields only.
pub fn programme(
    conn: &mut DbConn,
    viewer: &Option<AuthUser>,
    meeting_id: i64,
    q: &ProgrammeExport,
) -> Result<Table, ApiError> {
    let asked = crate::scheduling::versions::ProgrammeQuery {
        day: q.day,
        theme_id: q.theme_id,
        session_type: q.session_type.clone(),
        room_id: q.room_id,
        person: q.person.clone(),
        tz: q.tz.clone(),
    };
    let p = crate::scheduling::service::programme(conn, viewer, meeting_id, &asked)?;
    let local = q.tz.is_some();
    let mut headers = vec![
        "session_id",
        "day",
        "starts_at",
        "ends_at",
        "starts_at_utc",
        "ends_at_utc",
    ];
    if local {
        headers.extend(["starts_at_local", "ends_at_local"]);
    }
    headers.extend([
        "room",
        "title",
        "status",
        "session_type",
        "theme",
        "hybrid",
        "join_url",
        "people",
        "policy_questions",
        "description",
    ]);
    let mut t = Table::new("programme", &headers);
    for s in p.sessions {
        let mut row: Vec<Cell> = vec![
            s.session_id.into(),
            s.day.into(),
            s.starts_at.into(),
            s.ends_at.into(),
            s.starts_at_utc.into(),
            s.ends_at_utc.into(),
        ];
        if local {
            row.extend([s.starts_at_local.into(), s.ends_at_local.into()]);
        }
        let people: Vec<String> = s
            .people
            .iter()
            .map(|x| {
                let facts: Vec<&str> = [
                    Some(x.role.as_str()),
                    x.organisation.as_deref(),
                    x.participation.as_deref(),
                ]
                .into_iter()
                .flatten()
                .collect();
                named(&x.name, &facts)
            })
            .collect();
        row.extend([
            s.room.into(),
            s.title.into(),
            s.status.into(),
            s.session_type.into(),
            s.theme.into(),
            s.hybrid.into(),
            s.join_url.into(),
            people.join("; ").into(),
            s.policy_questions.join(" | ").into(),
            s.description.into(),
        ]);
        t.push(row);
    }
    Ok(t)
}

/// The logistics sheet's rows, one session a line; lists joined with spaces.
pub fn logistics(sheet: &crate::scheduling::sheet::Sheet) -> Table {
    let mut t = Table::new(
        "logistics",
        &[
            "date",
            "starts_at",
            "ends_at",
            "room",
            "session_id",
            "title",
            "status",
            "online_channel",
            "join_url",
            "room_hybrid",
            "interpretation",
            "booths",
            "interpreter_teams",
            "captioning",
            "caption_display",
            "sign_language",
        ],
    );
    for r in &sheet.rows {
        t.push(vec![
            r.date.to_string().into(),
            r.starts_at.clone().into(),
            r.ends_at.clone().into(),
            r.room.clone().into(),
            r.session_id.into(),
            r.title.clone().into(),
            r.status.clone().into(),
            r.online_channel.into(),
            r.join_url.clone().unwrap_or_default().into(),
            r.room_hybrid.into(),
            r.interpretation.join(" ").into(),
            r.booths.join(" ").into(),
            r.interpreter_teams.join("; ").into(),
            r.captioning.into(),
            r.caption_display.into(),
            r.sign_language.into(),
        ]);
    }
    t
}
