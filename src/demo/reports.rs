//! The demo meeting's session reports, as if the meeting had been held: most sessions
//! file a short report within hours (some late) and many a full report within weeks
//! (some late, a few returned once), each through the reports' own use cases at the
//! instant it would have happened, so the summary page shows real figures.

use chrono::Duration;

use super::words::{SEED, TOPICS, pick};
use crate::auth::{AuthUser, Role};
use crate::db::DbConn;
use crate::error::ApiError;
use crate::reports::types::{Decision, ReportContent, ReportKind, ReviewRequest};

const TAKEAWAYS: &[&str] = &[
    "Shared measurement comes before shared policy on {t}.",
    "Local communities need a seat where {t} rules are written.",
    "Regional cooperation on {t} moves faster than global treaties.",
    "Open standards keep {t} from splitting the Internet.",
    "Capacity building on {t} must reach smaller governments.",
];

const CALLS: &[&str] = &[
    "Publish open data on {t} every year.",
    "Fund community-led pilots on {t} in the Global South.",
    "Bring {t} to the next regional IGFs as a standing topic.",
    "Set up a multistakeholder working group on {t}.",
];

const RETURNED: &str = "Please add the number of online participants from the platform's log.";

fn line(rng: &mut fastrand::Rng, templates: &[&str], topic: &str) -> String {
    pick(rng, templates).replace("{t}", topic)
}

/// `n` different lines from the templates, about the topic.
fn lines(rng: &mut fastrand::Rng, templates: &[&str], n: usize, topic: &str) -> Vec<String> {
    let mut all: Vec<&str> = templates.to_vec();
    rng.shuffle(&mut all);
    all.into_iter()
        .take(n)
        .map(|t| t.replace("{t}", topic))
        .collect()
}

/// Files, submits and reviews the demo's reports. Returns how many reports were filed.
pub fn file(
    conn: &mut DbConn,
    secretariat: i64,
    meeting: &crate::meetings::models::Meeting,
) -> Result<usize, ApiError> {
    let mut rng = fastrand::Rng::with_seed(SEED ^ 0x5e55_1011);
    let held = crate::reports::held(conn, meeting.id, None)?;
    let deadlines = crate::reports::deadlines(conn, meeting)?;
    let filers = crate::reports::filers(conn, &held)?;
    let sec = AuthUser {
        id: secretariat,
        role: Role::Secretariat,
    };
    let mut filed = 0;
    for h in &held {
        // Sessions from the call are filed by their proposer; the others (main
        // sessions, Day 0 events) by the secretariat.
        let by = filers
            .get(&h.session_id)
            .and_then(|f| f.proposer)
            .map_or(sec.clone(), |id| AuthUser {
                id,
                role: Role::Proposer,
            });
        let topic = pick(&mut rng, TOPICS).to_string();
        if rng.u8(0..100) < 85 {
            let at = h.ends_at + Duration::minutes(rng.i64(45..=32 * 60));
            let content = ReportContent {
                key_takeaways: Some({
                    let n = rng.usize(1..=3);
                    lines(&mut rng, TAKEAWAYS, n, &topic)
                }),
                calls_to_action: Some({
                    let n = rng.usize(1..=2);
                    lines(&mut rng, CALLS, n, &topic)
                }),
                ..ReportContent::default()
            };
            let wait = rng.u8(0..100) < 5;
            review(
                conn,
                &by,
                &sec,
                h.session_id,
                ReportKind::Short,
                content,
                at,
                None,
                wait,
            )?;
            filed += 1;
        }
        if rng.u8(0..100) < 65 {
            let due = deadlines.due(ReportKind::Full, h);
            let at = due - Duration::days(12) + Duration::hours(rng.i64(0..=16 * 24));
            let onsite = rng.i32(12..=140);
            let online = rng.i32(5..=90);
            let women = (onsite + online) * rng.i32(30..=58) / 100;
            let content = ReportContent {
                key_issues: Some(vec![line(&mut rng, TAKEAWAYS, &topic)]),
                discussion: Some(format!(
                    "Speakers from {} stakeholder groups compared experience with {topic}. The room and online participants asked how the proposals would work in smaller countries.",
                    rng.u8(2..=4)
                )),
                way_forward: Some(line(&mut rng, CALLS, &topic)),
                participants_onsite: Some(onsite),
                participants_online: Some(online),
                women_estimate: Some(women),
                recording_url: Some(format!("https://video.demo.igf.test/2027/{}", h.session_id)),
                ..ReportContent::default()
            };
            let returned = (rng.u8(0..100) < 10).then_some(RETURNED);
            let wait = rng.u8(0..100) < 8;
            review(
                conn,
                &by,
                &sec,
                h.session_id,
                ReportKind::Full,
                content,
                at,
                returned,
                wait,
            )?;
            filed += 1;
        }
    }
    Ok(filed)
}

/// Saves and submits a report at `at`, and has the secretariat accept it a day later
/// (after returning it once with `returned`, when given), unless it is left to `wait`
/// for the secretariat.
#[allow(clippy::too_many_arguments)]
fn review(
    conn: &mut DbConn,
    by: &AuthUser,
    sec: &AuthUser,
    session: i64,
    kind: ReportKind,
    content: ReportContent,
    at: chrono::DateTime<chrono::Utc>,
    returned: Option<&str>,
    wait: bool,
) -> Result<(), ApiError> {
    use crate::reports::{review_at, save_at, submit_at};
    save_at(conn, by, session, kind, content.clone(), &None, at)?;
    submit_at(conn, by, session, kind, &None, at)?;
    let mut later = at + Duration::days(1);
    if let Some(comment) = returned {
        let back = ReviewRequest {
            decision: Decision::Return,
            comment: Some(comment.into()),
        };
        review_at(conn, sec, session, kind, &back, &None, later)?;
        later += Duration::days(2);
        save_at(conn, by, session, kind, content, &None, later)?;
        submit_at(conn, by, session, kind, &None, later)?;
        later += Duration::days(1);
    }
    if wait {
        return Ok(());
    }
    let accept = ReviewRequest {
        decision: Decision::Accept,
        comment: None,
    };
    review_at(conn, sec, session, kind, &accept, &None, later)?;
    Ok(())
}
