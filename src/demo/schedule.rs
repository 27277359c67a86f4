//! The demo's programme: sessions from the selection plus the ceremonies, main
//! sessions and Day 0 events, scheduled by the solver and published.

use diesel::prelude::*;

use super::words::SEED;
use crate::db::DbConn;
use crate::error::ApiError;

/// Moves the solver may make when the demo is scheduled: enough for a schedule without
/// hard violations, few enough to seed in a couple of seconds (deterministic).
const DEMO_SOLVER_MOVES: u64 = 200_000;

/// Sessions from the selection plus the ceremonies and main sessions, scheduled and
/// published. Returns the published version.
pub fn schedule(
    conn: &mut DbConn,
    secretariat: i64,
    meeting: &crate::meetings::models::Meeting,
) -> Result<i64, ApiError> {
    use crate::sessions::queries as sq;
    use crate::sessions::types::{CreateSessionRequest, FromSelectionRequest};
    sq::from_selection(
        conn,
        secretariat,
        meeting,
        &FromSelectionRequest {
            join_url_template: Some("https://meet.demo.igf.test/igf2027/{session_id}".into()),
        },
    )?;
    let fixed = [
        ("opening_ceremony", "Opening ceremony", 45, 1000, None),
        ("closing_ceremony", "Closing ceremony", 45, 1000, None),
        (
            "main_session",
            "Main session: the future of the IGF",
            90,
            500,
            Some(0),
        ),
        (
            "main_session",
            "Main session: digital trust in practice",
            90,
            500,
            Some(1),
        ),
        (
            "main_session",
            "Main session: connecting the last billion",
            90,
            500,
            Some(2),
        ),
        ("day_zero", "Day 0: youth IGF summit", 120, 200, None),
        (
            "day_zero",
            "Day 0: parliamentary track opening",
            90,
            150,
            None,
        ),
        ("day_zero", "Day 0: newcomers' orientation", 60, 120, None),
    ];
    let themes: Vec<i64> = crate::db::schema::themes::table
        .filter(crate::db::schema::themes::meeting_id.eq(meeting.id))
        .order(crate::db::schema::themes::position)
        .select(crate::db::schema::themes::id)
        .load(conn)?;
    for (code, title, duration, attendance, theme) in fixed {
        // The ceremonies and the main sessions are interpreted into the UN languages
        // and captioned.
        let interpreted = code != "day_zero";
        sq::create(
            conn,
            secretariat,
            meeting,
            &CreateSessionRequest {
                session_type: code.into(),
                title: title.into(),
                description: String::new(),
                theme_id: theme.and_then(|i: usize| themes.get(i).copied()),
                duration_min: duration,
                expected_attendance: attendance,
                hybrid: true,
                join_url: Some("https://meet.demo.igf.test/igf2027/{session_id}".into()),
                interpretation: if interpreted {
                    ["ar", "es", "fr", "ru", "zh"].map(String::from).to_vec()
                } else {
                    vec![]
                },
                captioning: interpreted,
                sign_language: false,
                people: vec![],
            },
        )?;
    }
    // What the venue's technical services can serve: two interpreter teams for the UN
    // languages, each at most two sessions and six hours a day with half an hour's rest
    // between sessions; ten online channels; three captioners.
    let teams = ["Team A", "Team B"].map(|name| crate::scheduling::logistics::TeamInput {
        id: None,
        name: name.into(),
        languages: ["ar", "es", "fr", "ru", "zh"].map(String::from).to_vec(),
        max_sessions_per_day: Some(2),
        max_minutes_per_day: Some(360),
        min_break_min: Some(30),
    });
    crate::scheduling::logistics::replace(
        conn,
        secretariat,
        meeting.id,
        &crate::scheduling::logistics::LogisticsInput {
            online_channels: Some(10),
            captioners: Some(3),
            interpreter_teams: teams.to_vec(),
            bilateral_daily_limit: 2,
        },
        &None,
    )?;
    // Three small rooms that delegations book in half-hour slots all day.
    let actor = crate::auth::AuthUser {
        id: secretariat,
        role: crate::auth::Role::Secretariat,
    };
    for (name, capacity) in [("Bilateral 1", 8), ("Bilateral 2", 8), ("Bilateral 3", 12)] {
        crate::bilaterals::create_room(
            conn,
            &actor,
            meeting.id,
            &crate::bilaterals::types::RoomInput {
                name: name.into(),
                capacity,
                opens: "09:00".into(),
                closes: "18:00".into(),
                slot_minutes: None,
            },
        )?;
    }
    let problem = crate::scheduling::build::problem(conn, meeting, vec![])?;
    let solution = crate::scheduling::solver::solve(
        &problem,
        crate::scheduling::solver::Budget::moves(DEMO_SOLVER_MOVES),
        SEED,
    )
    .map_err(|e| ApiError::Internal(anyhow::anyhow!(e)))?;
    let v = crate::scheduling::versions::store(
        conn,
        Some(secretariat),
        meeting.id,
        crate::scheduling::versions::Source::Solve,
        None,
        &solution,
    )?;
    crate::scheduling::versions::publish(conn, secretariat, v)?;
    Ok(v)
}
