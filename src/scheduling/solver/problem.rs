//! The solver's input: plain data with string ids, UTC instants and IANA zones. The
//! service (or the benchmark reader) builds it; the solver never looks anything up.

use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};

macro_rules! id_type {
    ($(#[$m:meta])* $name:ident) => {
        $(#[$m])*
        #[derive(Debug, Clone, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub String);
        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(&self.0)
            }
        }
        impl From<&str> for $name {
            fn from(s: &str) -> Self {
                $name(s.to_string())
            }
        }
    };
}

id_type!(
    /// Identifies a session.
    SessionId
);
id_type!(
    /// Identifies a room.
    RoomId
);
id_type!(
    /// Identifies a time slot.
    SlotId
);
id_type!(
    /// Identifies a person.
    PersonId
);

/// A half-open interval of time `[start, end)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Interval {
    /// Start (inclusive).
    pub start: DateTime<Utc>,
    /// End (exclusive).
    pub end: DateTime<Utc>,
}

impl Interval {
    /// Whether two intervals share any instant.
    pub fn overlaps(&self, other: &Interval) -> bool {
        self.start < other.end && other.start < self.end
    }
}

/// A session to place.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Session {
    /// Id.
    pub id: SessionId,
    /// Title, for explanations.
    pub title: String,
    /// Theme (track of the programme), if any.
    pub theme: Option<String>,
    /// Length in minutes; it starts at its slot's start.
    pub duration_min: u32,
    /// Expected attendance; the room must seat at least this many.
    pub attendance: u32,
    /// Needs a hybrid room.
    pub needs_hybrid: bool,
    /// Nothing may run in parallel (ceremonies).
    pub exclusive: bool,
    /// Everyone who must be there (speakers, moderators, organisers).
    pub people: Vec<PersonId>,
    /// Who of them takes part online in this session; when absent, each person's own
    /// `online` decides.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub online: Option<Vec<PersonId>>,
    /// When given, the only slots it may start in (its type's placement rules).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub allowed_slots: Option<Vec<SlotId>>,
    /// When given, the only rooms it may use.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub allowed_rooms: Option<Vec<RoomId>>,
    /// The placement rules behind `allowed_slots` and `allowed_rooms`, in words.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub placement_rule: Option<String>,
    /// Languages it is interpreted into: its room needs a booth for each, and
    /// interpreter teams that cover them all.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub interpretation: Vec<String>,
    /// Needs a real-time captioner.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub captioning: bool,
}

impl Session {
    /// Whether `person` takes part in this session online.
    pub fn online_here(&self, person: &Person) -> bool {
        match &self.online {
            Some(ids) => ids.contains(&person.id),
            None => person.online,
        }
    }
}

/// A room.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Room {
    /// Id.
    pub id: RoomId,
    /// Name, for explanations.
    pub name: String,
    /// Seats.
    pub capacity: u32,
    /// Equipped for hybrid sessions.
    pub hybrid: bool,
    /// Periods the room cannot be used.
    pub closed: Vec<Interval>,
    /// Languages it has an interpretation booth for.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub booths: Vec<String>,
}

/// A time slot: a session placed in it starts at `start` and must end by `end`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Slot {
    /// Id.
    pub id: SlotId,
    /// When it runs.
    pub interval: Interval,
}

/// Someone who takes part in sessions.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Person {
    /// Id.
    pub id: PersonId,
    /// Public name, for explanations.
    pub name: String,
    /// Home IANA zone.
    pub timezone: Tz,
    /// Takes part online (their local hours matter).
    pub online: bool,
    /// Periods they cannot take part.
    pub unavailable: Vec<Interval>,
    /// When given, the only slots they can take part in.
    pub available_slots: Option<Vec<SlotId>>,
    /// Stakeholder group, for the balance of parallel sessions.
    pub stakeholder_group: Option<String>,
    /// Regional group.
    pub regional_group: Option<String>,
    /// Gender (used only in aggregates).
    pub gender: Option<String>,
}

/// A session that must stay where it is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Pin {
    /// The session.
    pub session: SessionId,
    /// Its room.
    pub room: RoomId,
    /// Its slot.
    pub slot: SlotId,
}

/// One session's place.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Assignment {
    /// The session.
    pub session: SessionId,
    /// Its room.
    pub room: RoomId,
    /// Its slot.
    pub slot: SlotId,
    /// The interpreter teams that serve it (interpreted sessions only).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub interpreter_teams: Vec<String>,
}

/// A team of interpreters who work together in one booth set.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct InterpreterTeam {
    /// Id.
    pub id: String,
    /// Name, for explanations.
    #[serde(default)]
    pub name: String,
    /// Languages it interprets into.
    pub languages: Vec<String>,
    /// Most sessions it serves in a venue day.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_sessions_per_day: Option<u32>,
    /// Most minutes of sessions it serves in a venue day.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_minutes_per_day: Option<u32>,
    /// Least minutes between the end of one session it serves and the start of the next.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_break_min: Option<u32>,
}

/// What a meeting's technical services can serve at once. A limit left out is no limit.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Logistics {
    /// Online meeting channels (every hybrid session uses one) in use at once.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub online_channels: Option<u32>,
    /// Real-time captioners at work at once.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub captioners: Option<u32>,
    /// Interpreter teams; an interpreted session is served by teams that cover all of
    /// its languages, each team in one session at a time.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub interpreter_teams: Vec<InterpreterTeam>,
}

/// Local hours for online participants, in their own zone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Hours {
    /// From, minutes after local midnight.
    pub from_min: u32,
    /// To, minutes after local midnight.
    pub to_min: u32,
}

/// Weights of the soft rules (0 switches a rule off) and switches of the hard ones.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Weights {
    /// Per pair of same-theme sessions in overlapping slots.
    pub theme_clash: i64,
    /// Per pair of same-theme sessions on the same day.
    pub theme_same_day: i64,
    /// Per online person and started hour outside the comfortable band.
    pub online_discomfort: i64,
    /// Per stakeholder, regional or gender group absent from a busy time slot.
    pub slot_diversity: i64,
    /// Per 10% of a room's seats left empty (popular sessions in large rooms).
    pub room_fit: i64,
    /// Per change of room between consecutive sessions of one theme on one day.
    pub track_room_change: i64,
    /// Per session moved away from the previous (published) schedule.
    pub moved_session: i64,
    /// Comfortable band for online participants (default 09:00-18:00).
    pub comfortable_hours: Hours,
    /// Outer band for online participants (default 07:00-22:00).
    pub outer_hours: Hours,
    /// Whether the outer band is a hard rule (default true).
    pub outer_hours_hard: bool,
}

impl Default for Weights {
    fn default() -> Self {
        Weights {
            theme_clash: 10,
            theme_same_day: 1,
            online_discomfort: 3,
            slot_diversity: 1,
            room_fit: 1,
            track_room_change: 2,
            moved_session: 1000,
            comfortable_hours: Hours {
                from_min: 9 * 60,
                to_min: 18 * 60,
            },
            outer_hours: Hours {
                from_min: 7 * 60,
                to_min: 22 * 60,
            },
            outer_hours_hard: true,
        }
    }
}

impl Weights {
    /// Only same-theme clashes count, at weight 1: the shared benchmark's objective.
    pub fn theme_clashes_only() -> Self {
        Weights {
            theme_clash: 1,
            theme_same_day: 0,
            online_discomfort: 0,
            slot_diversity: 0,
            room_fit: 0,
            track_room_change: 0,
            ..Weights::default()
        }
    }
}

/// Everything the solver needs.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Problem {
    /// Venue zone: days are venue-local dates.
    pub venue_timezone: Tz,
    /// Sessions to place.
    pub sessions: Vec<Session>,
    /// Rooms.
    pub rooms: Vec<Room>,
    /// Time slots.
    pub slots: Vec<Slot>,
    /// People.
    pub people: Vec<Person>,
    /// Sessions that must stay where they are.
    #[serde(default)]
    pub pins: Vec<Pin>,
    /// The previous (published) schedule, if any: moving away from it costs.
    #[serde(default)]
    pub previous: Vec<Assignment>,
    /// Weights.
    #[serde(default)]
    pub weights: Weights,
    /// Interpretation, captioning and online channels.
    #[serde(default)]
    pub logistics: Logistics,
}

/// The English name of a language's ISO 639-1 or 639-3 code, if it is one.
pub fn language(code: &str) -> Option<&'static str> {
    isolang::Language::from_639_1(code)
        .or_else(|| isolang::Language::from_639_3(code))
        .map(|l| l.to_name())
}

/// Language codes in words ("French and Arabic"); a code that is no ISO 639 code
/// stays as it is.
pub fn languages<S: AsRef<str>>(codes: &[S]) -> String {
    let name = |c: &str| language(c).map_or_else(|| c.to_string(), str::to_string);
    let names: Vec<String> = codes.iter().map(|c| name(c.as_ref())).collect();
    match names.len() {
        0 => String::new(),
        1 => names[0].clone(),
        n => format!("{} and {}", names[..n - 1].join(", "), names[n - 1]),
    }
}

/// The smallest sets of teams that together cover every language (at most 16 sets,
/// smallest first); none when no team is listed or some language has no team.
pub(crate) fn team_covers(teams: &[InterpreterTeam], needed: &[String]) -> Vec<Vec<usize>> {
    if teams.is_empty() || needed.is_empty() || teams.len() > 16 {
        return vec![];
    }
    let covers = |set: u32| {
        needed.iter().all(|l| {
            (0..teams.len()).any(|k| set & (1 << k) != 0 && teams[k].languages.contains(l))
        })
    };
    let mut sets: Vec<u32> = (1..(1u32 << teams.len())).filter(|&x| covers(x)).collect();
    // Minimal: no smaller covering set inside it.
    let all = sets.clone();
    sets.retain(|&x| !all.iter().any(|&y| y != x && y & x == y));
    sets.sort_by_key(|&x| (x.count_ones(), x));
    sets.truncate(16);
    sets.into_iter()
        .map(|x| (0..teams.len()).filter(|&k| x & (1 << k) != 0).collect())
        .collect()
}
