//! Problems for the tests: a seeded random generator of small meetings, and the shared
//! benchmark instance.

use chrono::{Duration, TimeZone, Utc};
use igf_scheduler::scheduling::solver::*;

/// Shape of a generated problem.
#[derive(Debug, Clone, Copy)]
pub struct Shape {
    pub sessions: usize,
    pub rooms: usize,
    pub days: usize,
    pub slots_per_day: usize,
    pub people: usize,
    /// Slots every 75 minutes, so the 90-minute ones overlap the next; else every 100.
    pub overlapping: bool,
}

/// A seeded random meeting: varied durations, attendance, hybrid needs, shared people
/// (some online in distant zones, some unavailable for a while), and an optional
/// exclusive ceremony.
pub fn generate(shape: Shape, seed: u64, ceremony: bool) -> Problem {
    let mut rng = fastrand::Rng::with_seed(seed);
    let zones = [
        "Europe/Oslo",
        "Africa/Lagos",
        "Asia/Kolkata",
        "America/Sao_Paulo",
        "Europe/Kyiv",
    ];
    let day0 = Utc.with_ymd_and_hms(2025, 10, 24, 7, 0, 0).unwrap(); // across the autumn DST change
    let mut slots = vec![];
    for d in 0..shape.days {
        for k in 0..shape.slots_per_day {
            let spacing = if shape.overlapping { 75 } else { 100 };
            let start = day0 + Duration::days(d as i64) + Duration::minutes(spacing * k as i64);
            let len = if k % 2 == 1 { 90 } else { 60 };
            slots.push(Slot {
                id: SlotId(format!("T{d}{k}")),
                interval: Interval {
                    start,
                    end: start + Duration::minutes(len),
                },
            });
        }
    }
    let people: Vec<Person> = (0..shape.people)
        .map(|i| {
            let unavailable = if rng.u32(..10) == 0 {
                let s = slots[rng.usize(..slots.len())].interval.start;
                vec![Interval {
                    start: s,
                    end: s + Duration::hours(3),
                }]
            } else {
                vec![]
            };
            Person {
                id: PersonId(format!("P{i}")),
                name: format!("Person {i}"),
                timezone: zones[rng.usize(..zones.len())].parse().unwrap(),
                online: rng.u32(..4) == 0,
                unavailable,
                available_slots: None,
                stakeholder_group: Some(
                    [
                        "government",
                        "civil_society",
                        "private_sector",
                        "technical_community",
                    ][rng.usize(..4)]
                    .into(),
                ),
                regional_group: Some(
                    [
                        "african",
                        "asia_pacific",
                        "grulac",
                        "weog",
                        "eastern_european",
                    ][rng.usize(..5)]
                    .into(),
                ),
                gender: Some(["female", "male"][rng.usize(..2)].into()),
            }
        })
        .collect();
    let mut sessions: Vec<Session> = (0..shape.sessions)
        .map(|i| Session {
            id: SessionId(format!("S{i:03}")),
            title: format!("Session {i}"),
            theme: Some(format!("Theme {}", rng.usize(..4))),
            duration_min: [30, 60, 60, 90][rng.usize(..4)],
            attendance: [30, 60, 100, 250][rng.usize(..4)],
            needs_hybrid: rng.u32(..3) == 0,
            exclusive: false,
            people: {
                let mut v: Vec<PersonId> = (0..1 + rng.usize(..3))
                    .map(|_| people[rng.usize(..people.len())].id.clone())
                    .collect();
                v.dedup();
                v
            },
            ..Default::default()
        })
        .collect();
    if ceremony {
        sessions.push(Session {
            id: SessionId("OPENING".into()),
            title: "Opening ceremony".into(),
            theme: None,
            duration_min: 60,
            attendance: 250,
            needs_hybrid: true,
            exclusive: true,
            people: vec![],
            ..Default::default()
        });
    }
    let rooms = (0..shape.rooms)
        .map(|i| Room {
            id: RoomId(format!("R{i}")),
            name: format!("Room {i}"),
            capacity: [300, 120, 80, 60][i % 4],
            hybrid: i % 4 != 3,
            closed: vec![],
            booths: vec![],
        })
        .collect();
    Problem {
        venue_timezone: "Europe/Oslo".parse().unwrap(),
        sessions,
        rooms,
        slots,
        people,
        pins: vec![],
        previous: vec![],
        weights: Weights::default(),
        logistics: Default::default(),
    }
}

/// The same meeting with logistics: booths in the first rooms, some sessions
/// interpreted or captioned, two interpreter teams with daily limits (sessions, a
/// break, minutes), and limits of
/// online channels and captioners tight enough to bind.
pub fn with_logistics(mut p: Problem, seed: u64) -> Problem {
    let mut rng = fastrand::Rng::with_seed(seed ^ 0x5eed);
    let booths: [&[&str]; 3] = [&["fr", "ar"], &["fr", "es"], &["fr"]];
    for (i, r) in p.rooms.iter_mut().enumerate() {
        r.booths = booths
            .get(i)
            .map(|b| b.iter().map(|l| l.to_string()).collect())
            .unwrap_or_default();
    }
    let choices: [&[&str]; 3] = [&["fr"], &["fr", "ar"], &["es"]];
    for s in p.sessions.iter_mut() {
        if rng.u32(..4) == 0 {
            s.interpretation = choices[rng.usize(..3)]
                .iter()
                .map(|l| l.to_string())
                .collect();
        }
        s.captioning = rng.u32(..4) == 0;
    }
    p.logistics = Logistics {
        online_channels: Some((p.rooms.len() as u32 / 2).max(1)),
        captioners: Some(1),
        interpreter_teams: vec![
            InterpreterTeam {
                id: "T1".into(),
                name: "Team one".into(),
                languages: vec!["fr".into(), "ar".into()],
                max_sessions_per_day: Some(2),
                min_break_min: Some(30),
                ..Default::default()
            },
            InterpreterTeam {
                id: "T2".into(),
                name: "Team two".into(),
                languages: vec!["fr".into(), "es".into()],
                max_sessions_per_day: Some(2),
                max_minutes_per_day: Some(120),
                ..Default::default()
            },
        ],
    };
    p
}

/// The shared benchmark instance, generated by its own script.
pub fn shared_instance_path() -> Option<std::path::PathBuf> {
    shared_instance(&[])
}

/// The shared benchmark instance's logistics variant (`--logistics`).
pub fn shared_logistics_instance_path() -> Option<std::path::PathBuf> {
    shared_instance(&["--logistics"])
}

fn shared_instance(extra: &[&str]) -> Option<std::path::PathBuf> {
    let script =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/bench/gen_instance.py");
    if !script.exists() {
        return None;
    }
    let out = std::env::temp_dir().join(format!(
        "igf-instance-{}-{}.json",
        std::process::id(),
        fastrand::u64(..)
    ));
    let status = std::process::Command::new("python3")
        .arg(&script)
        .args(["--seed", "20250623"])
        .args(extra)
        .arg("--out")
        .arg(&out)
        .stdout(std::process::Stdio::null())
        .status()
        .ok()?;
    status.success().then_some(out)
}
