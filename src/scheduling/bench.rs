//! The shared benchmark's files: instance JSON (`../shared/bench/gen_instance.py`'s
//! docstring is the format) into a solver [`Problem`], and a solution into
//! `{"assignments": [{"session", "room", "timeslot"}]}` (with `"interpreter_teams"` for
//! an interpreted session of the `--logistics` variant). Bad files give an error
//! naming what is wrong.

use std::collections::HashSet;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::selection::optimizer::{Bounds, Candidate, Quotas};

use super::solver::{
    Assignment, InterpreterTeam, Interval, Logistics, Person, PersonId, Problem, Room, RoomId,
    Session, SessionId, Slot, SlotId, Weights,
};

/// The instance file.
#[derive(Debug, Deserialize)]
pub struct Instance {
    /// Metadata (venue time zone).
    pub meta: Meta,
    /// Rooms.
    pub rooms: Vec<BRoom>,
    /// Time slots.
    pub timeslots: Vec<BSlot>,
    /// Speakers.
    pub speakers: Vec<BSpeaker>,
    /// Sessions.
    pub sessions: Vec<BSession>,
    /// Proposals for the selection part.
    #[serde(default)]
    pub proposals: Vec<BProposal>,
    /// The selection rules.
    pub selection: Option<BSelection>,
    /// Interpretation, captioning and online channels (the `--logistics` variant).
    pub logistics: Option<BLogistics>,
}

/// The logistics limits of the instance.
#[derive(Debug, Deserialize)]
pub struct BLogistics {
    /// Hybrid sessions at once.
    pub online_channels_per_slot: u32,
    /// Captioned sessions at once.
    pub captioners_per_slot: u32,
    /// Interpreter teams.
    pub interpreter_teams: Vec<BTeam>,
}

/// An interpreter team of the instance.
#[derive(Debug, Deserialize)]
pub struct BTeam {
    /// Id.
    pub id: String,
    /// Languages.
    pub languages: Vec<String>,
    /// Most sessions a day.
    pub max_sessions_per_day: u32,
}

/// What a session of the instance needs besides a room.
#[derive(Debug, Default, Deserialize)]
pub struct BNeeds {
    /// Languages interpreted.
    #[serde(default)]
    pub interpretation: Vec<String>,
    /// Captioned.
    #[serde(default)]
    pub captioning: bool,
}

/// A proposal of the selection part.
#[derive(Debug, Deserialize)]
pub struct BProposal {
    /// Id.
    pub id: String,
    /// Aggregate score.
    pub score: f64,
    /// Theme.
    pub theme: String,
    /// Regional group.
    pub region: String,
    /// Stakeholder group.
    pub stakeholder_group: String,
    /// Organisation.
    pub organisation: String,
    /// Session type.
    #[serde(rename = "type")]
    pub session_type: String,
}

/// The selection rules of the instance.
#[derive(Debug, Deserialize)]
pub struct BSelection {
    /// How many to select.
    pub select_count: u32,
    /// Most per theme.
    pub theme_quota_max: u32,
    /// Least per region.
    pub region_min: std::collections::BTreeMap<String, u32>,
    /// Least per stakeholder group.
    pub stakeholder_min: std::collections::BTreeMap<String, u32>,
    /// Most per organisation.
    pub max_per_organisation: u32,
}

/// Instance metadata.
#[derive(Debug, Deserialize)]
pub struct Meta {
    /// Venue IANA zone.
    pub venue_timezone: String,
}

/// A room of the instance.
#[derive(Debug, Deserialize)]
pub struct BRoom {
    /// Id.
    pub id: String,
    /// Name.
    pub name: String,
    /// Seats.
    pub capacity: u32,
    /// Hybrid.
    pub hybrid: bool,
    /// Languages with an interpretation booth.
    #[serde(default)]
    pub booths: Vec<String>,
}

/// A time slot of the instance.
#[derive(Debug, Deserialize)]
pub struct BSlot {
    /// Id.
    pub id: String,
    /// Start (UTC).
    pub start_utc: DateTime<Utc>,
    /// End (UTC).
    pub end_utc: DateTime<Utc>,
}

/// A speaker of the instance.
#[derive(Debug, Deserialize)]
pub struct BSpeaker {
    /// Id.
    pub id: String,
    /// Name.
    pub name: String,
    /// IANA zone.
    pub timezone: String,
    /// Online.
    pub remote: bool,
    /// Region.
    pub region: Option<String>,
    /// Stakeholder group.
    pub stakeholder_group: Option<String>,
    /// Gender.
    pub gender: Option<String>,
    /// Slots they can take part in.
    pub available_timeslots: Vec<String>,
}

/// A session of the instance.
#[derive(Debug, Deserialize)]
pub struct BSession {
    /// Id.
    pub id: String,
    /// Title.
    pub title: String,
    /// Theme.
    pub theme: String,
    /// Minutes.
    pub duration_min: u32,
    /// Attendance.
    pub expected_attendance: u32,
    /// Needs hybrid.
    pub requires_hybrid: bool,
    /// Speakers.
    pub speakers: Vec<String>,
    /// Interpretation and captioning.
    #[serde(default)]
    pub needs: BNeeds,
}

/// Why an instance file cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum InstanceError {
    /// Not the expected JSON shape.
    #[error("the instance is not in the benchmark format: {0}")]
    Format(String),
    /// A reference or value that does not hold.
    #[error("{0}")]
    Invalid(String),
}

/// Parses an instance file's text.
pub fn parse(text: &str) -> Result<Instance, InstanceError> {
    let de = &mut serde_json::Deserializer::from_str(text);
    serde_path_to_error::deserialize(de)
        .map_err(|e| InstanceError::Format(format!("at {}: {}", e.path(), e.inner())))
}

impl Instance {
    /// The solver problem, scored the benchmark's way (same-theme clashes only; the
    /// speakers' 07:00-22:00 window is already in their available slots).
    pub fn to_problem(&self) -> Result<Problem, InstanceError> {
        let bad = |m: String| Err(InstanceError::Invalid(m));
        let venue_timezone = self.meta.venue_timezone.parse().map_err(|_| {
            InstanceError::Invalid(format!(
                "meta.venue_timezone {:?} is not an IANA time zone",
                self.meta.venue_timezone
            ))
        })?;
        let slot_ids: HashSet<&str> = self.timeslots.iter().map(|t| t.id.as_str()).collect();
        let speaker_ids: HashSet<&str> = self.speakers.iter().map(|s| s.id.as_str()).collect();
        let mut people = Vec::with_capacity(self.speakers.len());
        for sp in &self.speakers {
            let timezone = sp.timezone.parse().map_err(|_| {
                InstanceError::Invalid(format!(
                    "speaker {} has unknown time zone {:?}",
                    sp.id, sp.timezone
                ))
            })?;
            if let Some(t) = sp
                .available_timeslots
                .iter()
                .find(|t| !slot_ids.contains(t.as_str()))
            {
                return bad(format!("speaker {} lists unknown timeslot {t}", sp.id));
            }
            people.push(Person {
                id: PersonId(sp.id.clone()),
                name: sp.name.clone(),
                timezone,
                online: sp.remote,
                unavailable: vec![],
                available_slots: Some(
                    sp.available_timeslots
                        .iter()
                        .map(|t| SlotId(t.clone()))
                        .collect(),
                ),
                stakeholder_group: sp.stakeholder_group.clone(),
                regional_group: sp.region.clone(),
                gender: sp.gender.clone(),
            });
        }
        let mut sessions = Vec::with_capacity(self.sessions.len());
        for s in &self.sessions {
            if let Some(p) = s
                .speakers
                .iter()
                .find(|p| !speaker_ids.contains(p.as_str()))
            {
                return bad(format!("session {} names unknown speaker {p}", s.id));
            }
            sessions.push(Session {
                id: SessionId(s.id.clone()),
                title: s.title.clone(),
                theme: Some(s.theme.clone()),
                duration_min: s.duration_min,
                attendance: s.expected_attendance,
                needs_hybrid: s.requires_hybrid,
                exclusive: false,
                people: s.speakers.iter().map(|p| PersonId(p.clone())).collect(),
                interpretation: s.needs.interpretation.clone(),
                captioning: s.needs.captioning,
                ..Default::default()
            });
        }
        Ok(Problem {
            venue_timezone,
            sessions,
            rooms: self
                .rooms
                .iter()
                .map(|r| Room {
                    id: RoomId(r.id.clone()),
                    name: r.name.clone(),
                    capacity: r.capacity,
                    hybrid: r.hybrid,
                    closed: vec![],
                    booths: r.booths.clone(),
                })
                .collect(),
            slots: self
                .timeslots
                .iter()
                .map(|t| Slot {
                    id: SlotId(t.id.clone()),
                    interval: Interval {
                        start: t.start_utc,
                        end: t.end_utc,
                    },
                })
                .collect(),
            people,
            pins: vec![],
            previous: vec![],
            weights: Weights::theme_clashes_only(),
            logistics: match &self.logistics {
                None => Logistics::default(),
                Some(l) => Logistics {
                    online_channels: Some(l.online_channels_per_slot),
                    captioners: Some(l.captioners_per_slot),
                    interpreter_teams: l
                        .interpreter_teams
                        .iter()
                        .map(|k| InterpreterTeam {
                            id: k.id.clone(),
                            name: k.id.clone(),
                            languages: k.languages.clone(),
                            max_sessions_per_day: Some(k.max_sessions_per_day),
                            ..Default::default()
                        })
                        .collect(),
                },
            },
        })
    }
}

impl Instance {
    /// The selection part as optimiser input: exactly `select_count` proposals of any
    /// type, at most `theme_quota_max` per theme, the regional and stakeholder minimums
    /// and the cap per organisation.
    pub fn to_selection(&self) -> Result<(Vec<Candidate>, Quotas), InstanceError> {
        let sel = self
            .selection
            .as_ref()
            .ok_or_else(|| InstanceError::Invalid("the instance has no selection part".into()))?;
        let candidates: Vec<Candidate> = self
            .proposals
            .iter()
            .map(|p| Candidate {
                id: p.id.clone(),
                score: p.score,
                diversity: 0.0,
                session_type: p.session_type.clone(),
                theme: Some(p.theme.clone()),
                stakeholder_groups: vec![p.stakeholder_group.clone()],
                regional_groups: vec![p.region.clone()],
                organisations: vec![p.organisation.clone()],
                speakers: vec![],
                first_time: false,
                developing_country: false,
            })
            .collect();
        let themes: std::collections::BTreeSet<&str> =
            self.proposals.iter().map(|p| p.theme.as_str()).collect();
        let quotas = Quotas {
            slots_per_type: candidates
                .iter()
                .map(|c| (c.session_type.clone(), sel.select_count))
                .collect(),
            total: Some(sel.select_count),
            themes: themes
                .into_iter()
                .map(|t| {
                    (
                        t.to_string(),
                        Bounds {
                            min: None,
                            max: Some(sel.theme_quota_max),
                        },
                    )
                })
                .collect(),
            stakeholder_min: sel.stakeholder_min.clone(),
            region_min: sel.region_min.clone(),
            max_per_organisation: Some(sel.max_per_organisation),
            ..Quotas::default()
        };
        Ok((candidates, quotas))
    }
}

/// One line of the solution file.
#[derive(Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct BAssignment {
    /// Session id.
    pub session: String,
    /// Room id.
    pub room: String,
    /// Slot id.
    pub timeslot: String,
    /// The interpreter teams serving an interpreted session.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub interpreter_teams: Vec<String>,
}

/// The solution file.
#[derive(Debug, Serialize, Deserialize)]
pub struct SolutionFile {
    /// Assignments.
    pub assignments: Vec<BAssignment>,
}

/// Solver assignments in the benchmark's shape.
pub fn to_file(assignments: &[Assignment]) -> SolutionFile {
    SolutionFile {
        assignments: assignments
            .iter()
            .map(|a| BAssignment {
                session: a.session.0.clone(),
                room: a.room.0.clone(),
                timeslot: a.slot.0.clone(),
                interpreter_teams: a.interpreter_teams.clone(),
            })
            .collect(),
    }
}

/// Reads a solution file's assignments back into solver form.
pub fn from_file(f: &SolutionFile) -> Vec<Assignment> {
    f.assignments
        .iter()
        .map(|a| Assignment {
            session: SessionId(a.session.clone()),
            room: RoomId(a.room.clone()),
            slot: SlotId(a.timeslot.clone()),
            interpreter_teams: a.interpreter_teams.clone(),
        })
        .collect()
}
