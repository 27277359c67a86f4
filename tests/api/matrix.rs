//! The role matrix: every route of the API, walked with no token, a proposer (who owns
//! a draft), another proposer, an evaluator and the secretariat, each cell checked
//! against what that role may do; then the pointed cases (another's draft, another
//! evaluator's scores, unassigned proposals, agendas by id). And the privacy sweep: no
//! public answer or feed carries an email, gender, nationality or password hash.

use std::collections::BTreeMap;

use serde_json::{Value, json};

use crate::demo::demo_login;
use crate::evaluation::me;
use crate::helpers::{TestApp, complete_proposal};

/// The roles, in the order of each row's cells.
const ROLES: [&str; 5] = [
    "anonymous",
    "proposer",
    "other proposer",
    "evaluator",
    "secretariat",
];

/// What a cell may answer: `A` gets past authorisation (2xx, or a 4xx about the
/// request itself: 400, 409, 422), `U` is 401, `F` is 403, `N` is 404 (hidden).
fn class(status: u16) -> char {
    match status {
        401 => 'U',
        403 => 'F',
        404 => 'N',
        s if s < 300 || [304, 400, 409, 412, 422, 428].contains(&s) => 'A',
        s => panic!("status {s} is neither allowed nor refused"),
    }
}

/// Every route with the cells expected for the five roles.
const MATRIX: &[(&str, &str, &str)] = &[
    // method, path, cells for: anonymous, proposer (owner of {proposal_id}), another
    // proposer, the evaluator ({user_id}), the secretariat
    ("GET", "/", "AAAAA"),
    ("GET", "/health", "AAAAA"),
    ("GET", "/api/v1/openapi.yaml", "AAAAA"),
    ("POST", "/api/v1/auth/register", "AAAAA"),
    ("POST", "/api/v1/auth/login", "AAAAA"),
    ("POST", "/api/v1/auth/confirm-email", "AAAAA"),
    ("POST", "/api/v1/auth/password-reset", "AAAAA"),
    ("POST", "/api/v1/auth/password-reset/confirm", "AAAAA"),
    ("GET", "/api/v1/auth/me", "UAAAA"),
    ("POST", "/api/v1/auth/password", "UAAAA"),
    ("POST", "/api/v1/auth/sign-out", "UAAAA"),
    ("GET", "/api/v1/users", "UFFFA"),
    ("POST", "/api/v1/users", "UFFFA"),
    ("GET", "/api/v1/users/{user_id}", "UFFAA"),
    ("PATCH", "/api/v1/users/{user_id}", "UFFAA"),
    ("DELETE", "/api/v1/users/{user_id}", "UFFFA"),
    ("GET", "/api/v1/meetings", "AAAAA"),
    ("POST", "/api/v1/meetings", "UFFFA"),
    ("GET", "/api/v1/meetings/{meeting_id}", "AAAAA"),
    ("PATCH", "/api/v1/meetings/{meeting_id}", "UFFFA"),
    ("DELETE", "/api/v1/meetings/{meeting_id}", "UFFFA"),
    ("GET", "/api/v1/meetings/{meeting_id}/days", "AAAAA"),
    ("POST", "/api/v1/meetings/{meeting_id}/days", "UFFFA"),
    (
        "PATCH",
        "/api/v1/meetings/{meeting_id}/days/{day_number}",
        "UFFFA",
    ),
    (
        "DELETE",
        "/api/v1/meetings/{meeting_id}/days/{day_number}",
        "UFFFA",
    ),
    ("GET", "/api/v1/meetings/{meeting_id}/slots", "AAAAA"),
    ("POST", "/api/v1/meetings/{meeting_id}/slots", "UFFFA"),
    ("PATCH", "/api/v1/slots/{slot_id}", "UFFFA"),
    ("DELETE", "/api/v1/slots/{slot_id}", "UFFFA"),
    ("GET", "/api/v1/meetings/{meeting_id}/rooms", "UFFFA"),
    ("POST", "/api/v1/meetings/{meeting_id}/rooms", "UFFFA"),
    ("PATCH", "/api/v1/rooms/{room_id}", "UFFFA"),
    ("DELETE", "/api/v1/rooms/{room_id}", "UFFFA"),
    ("GET", "/api/v1/meetings/{meeting_id}/themes", "UFFFA"),
    ("POST", "/api/v1/meetings/{meeting_id}/themes", "UFFFA"),
    ("PATCH", "/api/v1/themes/{theme_id}", "UFFFA"),
    ("DELETE", "/api/v1/themes/{theme_id}", "UFFFA"),
    (
        "GET",
        "/api/v1/meetings/{meeting_id}/session-types",
        "UFFFA",
    ),
    (
        "POST",
        "/api/v1/meetings/{meeting_id}/session-types",
        "UFFFA",
    ),
    ("PATCH", "/api/v1/session-types/{type_id}", "UFFFA"),
    ("DELETE", "/api/v1/session-types/{type_id}", "UFFFA"),
    ("GET", "/api/v1/meetings/{meeting_id}/proposals", "UAAFA"),
    ("POST", "/api/v1/meetings/{meeting_id}/proposals", "UAAFF"),
    ("GET", "/api/v1/proposals/{proposal_id}", "UANNA"),
    ("PATCH", "/api/v1/proposals/{proposal_id}", "UANNA"),
    ("POST", "/api/v1/proposals/{proposal_id}/submit", "UANNF"),
    ("POST", "/api/v1/proposals/{proposal_id}/withdraw", "UANNA"),
    ("GET", "/api/v1/proposals/{proposal_id}/screening", "UANNA"),
    ("GET", "/api/v1/users/{user_id}/evaluator-profile", "UFFAA"),
    ("PUT", "/api/v1/users/{user_id}/evaluator-profile", "UFFAA"),
    ("POST", "/api/v1/proposals/{proposal_id}/conflicts", "UFFAF"),
    ("GET", "/api/v1/meetings/{meeting_id}/evaluators", "UFFFA"),
    ("POST", "/api/v1/meetings/{meeting_id}/evaluators", "UFFFA"),
    (
        "DELETE",
        "/api/v1/meetings/{meeting_id}/evaluators/{user_id}",
        "UFFFA",
    ),
    (
        "GET",
        "/api/v1/meetings/{meeting_id}/evaluation/assignments",
        "UFFAA",
    ),
    (
        "POST",
        "/api/v1/meetings/{meeting_id}/evaluation/assignments",
        "UFFFA",
    ),
    ("GET", "/api/v1/meetings/{meeting_id}/evaluation", "UFFAA"),
    ("PATCH", "/api/v1/meetings/{meeting_id}/evaluation", "UFFFA"),
    ("GET", "/api/v1/proposals/{proposal_id}/score", "UFFNF"),
    ("PUT", "/api/v1/proposals/{proposal_id}/score", "UFFAF"),
    (
        "GET",
        "/api/v1/meetings/{meeting_id}/evaluation/scores",
        "UFFAA",
    ),
    (
        "GET",
        "/api/v1/meetings/{meeting_id}/evaluation/results",
        "UFFAA",
    ),
    (
        "GET",
        "/api/v1/meetings/{meeting_id}/evaluation/report",
        "AAAAA",
    ),
    ("POST", "/api/v1/meetings/{meeting_id}/selection", "UFFFA"),
    (
        "GET",
        "/api/v1/meetings/{meeting_id}/selection/{run_id}",
        "UFFFA",
    ),
    ("GET", "/api/v1/meetings/{meeting_id}/decisions", "UFFFA"),
    ("POST", "/api/v1/meetings/{meeting_id}/decisions", "UFFFA"),
    ("GET", "/api/v1/meetings/{meeting_id}/sessions", "UFFFA"),
    ("POST", "/api/v1/meetings/{meeting_id}/sessions", "UFFFA"),
    (
        "POST",
        "/api/v1/meetings/{meeting_id}/sessions/from-selection",
        "UFFFA",
    ),
    ("GET", "/api/v1/sessions/{session_id}", "UFFFA"),
    ("PATCH", "/api/v1/sessions/{session_id}", "UFFFA"),
    ("POST", "/api/v1/sessions/{session_id}/merge", "UFFFA"),
    ("GET", "/api/v1/meetings/{meeting_id}/schedules", "UFFFA"),
    ("POST", "/api/v1/meetings/{meeting_id}/schedules", "UFFFA"),
    (
        "GET",
        "/api/v1/meetings/{meeting_id}/scheduling-rules",
        "UFFFA",
    ),
    (
        "PATCH",
        "/api/v1/meetings/{meeting_id}/scheduling-rules",
        "UFFFA",
    ),
    (
        "GET",
        "/api/v1/meetings/{meeting_id}/schedule-jobs",
        "UFFFA",
    ),
    ("GET", "/api/v1/meetings/{meeting_id}/messages", "UFFFA"),
    ("GET", "/api/v1/messages", "UFFFA"),
    ("GET", "/api/v1/meetings/{meeting_id}/webhooks", "UFFFA"),
    ("POST", "/api/v1/meetings/{meeting_id}/webhooks", "UFFFA"),
    ("GET", "/api/v1/webhooks/{webhook_id}", "UFFFA"),
    ("PATCH", "/api/v1/webhooks/{webhook_id}", "UFFFA"),
    ("GET", "/api/v1/webhooks/{webhook_id}/deliveries", "UFFFA"),
    (
        "POST",
        "/api/v1/webhooks/{webhook_id}/messages/{message_id}/redeliver",
        "UFFFA",
    ),
    // Last of the endpoint's routes: the secretariat's removal succeeds.
    ("DELETE", "/api/v1/webhooks/{webhook_id}", "UFFFA"),
    // The session is the programme's first, whose short report the demo has
    // accepted (public); none of these roles organises it.
    ("GET", "/api/v1/meetings/{meeting_id}/reports", "UAAAA"),
    (
        "GET",
        "/api/v1/meetings/{meeting_id}/reports/summary",
        "AAAAA",
    ),
    (
        "GET",
        "/api/v1/sessions/{session_id}/reports/{kind}",
        "AAAAA",
    ),
    (
        "PUT",
        "/api/v1/sessions/{session_id}/reports/{kind}",
        "UFFFA",
    ),
    (
        "POST",
        "/api/v1/sessions/{session_id}/reports/{kind}/submit",
        "UFFFA",
    ),
    (
        "POST",
        "/api/v1/sessions/{session_id}/reports/{kind}/review",
        "UFFFA",
    ),
    ("GET", "/api/v1/schedule-jobs/{job_id}", "UFFFA"),
    ("DELETE", "/api/v1/schedule-jobs/{job_id}", "UFFFA"),
    (
        "GET",
        "/api/v1/meetings/{meeting_id}/bilateral-rooms",
        "UAAAA",
    ),
    (
        "POST",
        "/api/v1/meetings/{meeting_id}/bilateral-rooms",
        "UFFFA",
    ),
    (
        "PATCH",
        "/api/v1/bilateral-rooms/{bilateral_room_id}",
        "UFFFA",
    ),
    (
        "DELETE",
        "/api/v1/bilateral-rooms/{bilateral_room_id}",
        "UFFFA",
    ),
    (
        "GET",
        "/api/v1/meetings/{meeting_id}/bilateral-times",
        "UAAAA",
    ),
    (
        "GET",
        "/api/v1/meetings/{meeting_id}/bilateral-bookings",
        "UAAAA",
    ),
    (
        "POST",
        "/api/v1/meetings/{meeting_id}/bilateral-bookings",
        "UAAAA",
    ),
    ("GET", "/api/v1/bilateral-bookings/{booking_id}", "UANNA"),
    ("DELETE", "/api/v1/bilateral-bookings/{booking_id}", "UANNA"),
    (
        "GET",
        "/api/v1/bilateral-bookings/{booking_id}/calendar.ics",
        "UANNA",
    ),
    (
        "HEAD",
        "/api/v1/bilateral-bookings/{booking_id}/calendar.ics",
        "UANNA",
    ),
    ("GET", "/api/v1/meetings/{meeting_id}/logistics", "UFFFA"),
    ("PUT", "/api/v1/meetings/{meeting_id}/logistics", "UFFFA"),
    ("GET", "/api/v1/schedules/{version_id}/logistics", "UFFFA"),
    ("GET", "/api/v1/schedules/{version_id}", "UFFFA"),
    ("POST", "/api/v1/schedules/{version_id}/publish", "UFFFA"),
    ("POST", "/api/v1/schedules/{version_id}/moves", "UFFFA"),
    ("GET", "/api/v1/schedules/{version_id}/diff", "UFFFA"),
    ("GET", "/api/v1/meetings/{meeting_id}/programme", "AAAAA"),
    (
        "GET",
        "/api/v1/meetings/{meeting_id}/exports/proposals",
        "UAAFA",
    ),
    (
        "GET",
        "/api/v1/meetings/{meeting_id}/exports/assignments",
        "UFFAA",
    ),
    (
        "GET",
        "/api/v1/meetings/{meeting_id}/exports/scores",
        "UFFAA",
    ),
    (
        "GET",
        "/api/v1/meetings/{meeting_id}/exports/results",
        "UFFAA",
    ),
    (
        "GET",
        "/api/v1/meetings/{meeting_id}/exports/decisions",
        "UFFFA",
    ),
    (
        "GET",
        "/api/v1/meetings/{meeting_id}/exports/programme",
        "AAAAA",
    ),
    (
        "GET",
        "/api/v1/meetings/{meeting_id}/schedule.json",
        "AAAAA",
    ),
    (
        "HEAD",
        "/api/v1/meetings/{meeting_id}/schedule.json",
        "AAAAA",
    ),
    ("GET", "/api/v1/meetings/{meeting_id}/schedule.xml", "AAAAA"),
    (
        "HEAD",
        "/api/v1/meetings/{meeting_id}/schedule.xml",
        "AAAAA",
    ),
    (
        "GET",
        "/api/v1/meetings/{meeting_id}/programme.ics",
        "AAAAA",
    ),
    (
        "HEAD",
        "/api/v1/meetings/{meeting_id}/programme.ics",
        "AAAAA",
    ),
    (
        "GET",
        "/api/v1/meetings/{meeting_id}/unavailability",
        "UFFFA",
    ),
    (
        "POST",
        "/api/v1/meetings/{meeting_id}/unavailability",
        "UFFFA",
    ),
    (
        "DELETE",
        "/api/v1/unavailability/{unavailability_id}",
        "UFFFA",
    ),
    ("GET", "/api/v1/meetings/{meeting_id}/hubs", "AAAAA"),
    ("POST", "/api/v1/meetings/{meeting_id}/hubs", "UFFFA"),
    ("PUT", "/api/v1/hubs/{hub_id}/sessions", "UFFFA"),
    ("GET", "/api/v1/hubs/{hub_id}/agenda", "AAAAA"),
    ("GET", "/api/v1/hubs/{hub_id}/calendar.ics", "AAAAA"),
    ("HEAD", "/api/v1/hubs/{hub_id}/calendar.ics", "AAAAA"),
    ("POST", "/api/v1/meetings/{meeting_id}/agendas", "AAAAA"),
    ("GET", "/api/v1/agendas/{token}", "AAAAA"),
    ("DELETE", "/api/v1/agendas/{token}", "AAAAA"),
    (
        "PUT",
        "/api/v1/agendas/{token}/sessions/{session_id}",
        "AAAAA",
    ),
    (
        "DELETE",
        "/api/v1/agendas/{token}/sessions/{session_id}",
        "AAAAA",
    ),
    ("POST", "/api/v1/agendas/{token}/rotate", "AAAAA"),
    ("GET", "/api/v1/agendas/{token}/calendar.ics", "AAAAA"),
    ("HEAD", "/api/v1/agendas/{token}/calendar.ics", "AAAAA"),
    ("GET", "/api/v1/audit", "UFFFA"),
];

struct World {
    app: TestApp,
    tokens: [Option<String>; 5],
    ids: BTreeMap<&'static str, i64>,
}

impl World {
    fn path(&self, template: &str, token: &str) -> String {
        let mut p = template.to_string();
        for (k, v) in &self.ids {
            p = p.replace(&format!("{{{k}}}"), &v.to_string());
        }
        p.replace("{token}", token).replace("{kind}", "short")
    }
}

/// A bilateral booking of the owner in the demo's first bilateral room: (room, booking).
async fn bilateral(app: &TestApp, owner: &str, m: i64) -> (i64, i64) {
    let day = app
        .get(&format!("/api/v1/meetings/{m}/days"), None)
        .await
        .expect(200)
        .body["items"][1]["date"]
        .as_str()
        .unwrap()
        .to_string();
    let times = app
        .get(
            &format!("/api/v1/meetings/{m}/bilateral-times?day={day}"),
            Some(owner),
        )
        .await
        .expect(200)
        .body;
    let room = &times["rooms"][0];
    let free = room["times"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["state"] == "free")
        .expect("a free time");
    let booking = app
        .post(
            &format!("/api/v1/meetings/{m}/bilateral-bookings"),
            Some(owner),
            &json!({"room_id": room["room"]["id"], "starts_at": free["starts_at"],
                    "delegation": "Owner's delegation"}),
        )
        .await
        .expect(201)
        .body["id"]
        .as_i64()
        .unwrap();
    (room["room"]["id"].as_i64().unwrap(), booking)
}

async fn world() -> World {
    let (app, summary) = TestApp::spawn_demo(igf_scheduler::demo::Stage::Scheduled).await;
    let sec = demo_login(&app, igf_scheduler::demo::SECRETARIAT_EMAIL).await;
    let eval = demo_login(&app, "mag01@demo.igf.test").await;
    let owner = app.proposer("owner@example.org").await;
    let other = app.proposer("other@example.org").await;
    let (m, open) = (summary.meeting_id, summary.open_meeting_id);
    let theme = app
        .get(&format!("/api/v1/meetings/{open}"), None)
        .await
        .expect(200)
        .body["themes"][0]["id"]
        .as_i64()
        .unwrap();
    let draft = app
        .post(
            &format!("/api/v1/meetings/{open}/proposals"),
            Some(&owner),
            &complete_proposal(theme),
        )
        .await
        .expect(201)
        .body["id"]
        .as_i64()
        .unwrap();
    let session = app
        .get(&format!("/api/v1/meetings/{m}/programme"), None)
        .await
        .expect(200)
        .body["sessions"][0]["session_id"]
        .as_i64()
        .unwrap();
    let hub = app
        .post(
            &format!("/api/v1/meetings/{m}/hubs"),
            Some(&sec),
            &json!({"name": "Nairobi hub", "city": "Nairobi", "country": "KE",
                    "timezone": "Africa/Nairobi", "contact_email": "hub@example.org"}),
        )
        .await
        .expect(201)
        .body["id"]
        .as_i64()
        .unwrap();
    let unavailability = app
        .post(
            &format!("/api/v1/meetings/{m}/unavailability"),
            Some(&sec),
            &json!({"email": "person0001@demo.igf.test", "starts_at": "2027-06-23T08:00:00Z",
                    "ends_at": "2027-06-23T10:00:00Z", "reason": "travel"}),
        )
        .await;
    let job = app
        .post(
            &format!("/api/v1/meetings/{m}/schedules"),
            Some(&sec),
            &json!({"kind": "repair", "time_limit_seconds": 1}),
        )
        .await
        .expect(202)
        .body["id"]
        .as_i64()
        .unwrap();
    let evaluator_id = me(&app, &eval).await;
    let assigned = app
        .get(
            &format!("/api/v1/meetings/{m}/evaluation/assignments"),
            Some(&eval),
        )
        .await
        .expect(200)
        .body["items"][0]["proposal_id"]
        .as_i64()
        .unwrap();
    let run = {
        use diesel::prelude::*;
        use igf_scheduler::db::schema::selection_runs as r;
        let mut c = app.pool.get().unwrap();
        r::table
            .filter(r::meeting_id.eq(m))
            .select(diesel::dsl::max(r::id))
            .first::<Option<i64>>(&mut c)
            .unwrap()
            .unwrap()
    };
    // A room, slot, theme and type the published programme uses: removing them is
    // refused, so every cell sees the same world.
    let version = app
        .get(
            &format!("/api/v1/schedules/{}", summary.schedule_version.unwrap()),
            Some(&sec),
        )
        .await
        .expect(200)
        .body;
    let meeting = app
        .get(&format!("/api/v1/meetings/{m}"), None)
        .await
        .expect(200)
        .body;
    let type_id = meeting["session_types"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["code"] == "workshop")
        .unwrap()["id"]
        .as_i64()
        .unwrap();
    let (bilateral_room, booking) = bilateral(&app, &owner, m).await;
    // A webhook endpoint with one message owed: a session's change.
    let webhook = app
        .post(
            &format!("/api/v1/meetings/{m}/webhooks"),
            Some(&sec),
            &json!({"url": "https://hooks.example.org/igf", "events": ["session.changed"]}),
        )
        .await
        .expect(201)
        .body["id"]
        .as_i64()
        .unwrap();
    app.patch(
        &format!("/api/v1/sessions/{session}"),
        Some(&sec),
        &json!({"expected_attendance": 41}),
    )
    .await
    .expect(200);
    let message = {
        use diesel::prelude::*;
        use igf_scheduler::db::schema::outbox as ob;
        let mut c = app.pool.get().unwrap();
        ob::table
            .filter(ob::endpoint_id.eq(webhook))
            .select(ob::id)
            .first::<i64>(&mut c)
            .unwrap()
    };
    let ids = BTreeMap::from([
        ("meeting_id", m),
        ("bilateral_room_id", bilateral_room),
        ("booking_id", booking),
        (
            "room_id",
            version["placements"][0]["room_id"].as_i64().unwrap(),
        ),
        (
            "slot_id",
            version["placements"][0]["slot_id"].as_i64().unwrap(),
        ),
        ("theme_id", meeting["themes"][0]["id"].as_i64().unwrap()),
        // Day 1 has placed sessions: retiring it is refused, so the world stays whole.
        ("day_number", 1),
        ("type_id", type_id),
        ("proposal_id", draft),
        ("user_id", evaluator_id),
        ("run_id", run),
        ("session_id", session),
        ("job_id", job),
        ("version_id", summary.schedule_version.unwrap()),
        (
            "unavailability_id",
            unavailability.body["id"].as_i64().unwrap_or(999_999),
        ),
        ("hub_id", hub),
        ("webhook_id", webhook),
        ("message_id", message),
        ("assigned_proposal", assigned),
    ]);
    World {
        app,
        tokens: [None, Some(owner), Some(other), Some(eval), Some(sec)],
        ids,
    }
}

/// A fresh token for a demo account or one the tests made.
async fn demo_or_test_login(app: &TestApp, email: &str) -> String {
    if email.ends_with("@demo.igf.test") {
        demo_login(app, email).await
    } else {
        app.login(email).await
    }
}

#[actix_web::test]
async fn every_route_answers_each_role_as_the_matrix_says() {
    let mut w = world().await;
    let expected: BTreeMap<(&str, &str), &str> =
        MATRIX.iter().map(|(m, p, c)| ((*m, *p), *c)).collect();
    let mut wrong = vec![];
    let mut drift = vec![];
    let spec = crate::spec::spec();
    for (method, template) in igf_scheduler::routes::ROUTES {
        let Some(cells) = expected.get(&(*method, *template)) else {
            wrong.push(format!("{method} {template} is not in the matrix"));
            continue;
        };
        for i in 0..w.tokens.len() {
            let token = &w.tokens[i].clone();
            // A personal agenda is its token: each cell gets a fresh one.
            let agenda = w
                .app
                .post(
                    &format!("/api/v1/meetings/{}/agendas", w.ids["meeting_id"]),
                    None,
                    &json!({"name": "mine"}),
                )
                .await
                .expect(201)
                .body["token"]
                .as_str()
                .unwrap()
                .to_string();
            let path = w.path(template, &agenda);
            let body = ["POST", "PUT", "PATCH"].contains(method).then(|| json!({}));
            let r = w
                .app
                .send(method, &path, token.as_deref(), body.as_ref(), &[])
                .await;
            if *template == "/api/v1/auth/sign-out" && r.status == 204 {
                // Signed out everywhere: the role signs in again for the other cells.
                let email = [
                    "",
                    "owner@example.org",
                    "other@example.org",
                    "mag01@demo.igf.test",
                    igf_scheduler::demo::SECRETARIAT_EMAIL,
                ][i];
                w.tokens[i] = Some(demo_or_test_login(&w.app, email).await);
            }
            if (*method, *template) == ("DELETE", "/api/v1/users/{user_id}") && r.status == 204 {
                // The secretariat deactivated the evaluator of the other cells: back,
                // with a new token (deactivation ended the old one).
                w.app
                    .patch(&path, token.as_deref(), &json!({"active": true}))
                    .await
                    .expect(200);
                w.tokens[3] = Some(demo_login(&w.app, "mag01@demo.igf.test").await);
            }
            if (*method, *template) == ("DELETE", "/api/v1/bilateral-bookings/{booking_id}")
                && r.status == 204
            {
                // The owner cancelled: a new booking for the other cells.
                let owner = w.tokens[1].clone().unwrap();
                let (_, booking) = bilateral(&w.app, &owner, w.ids["meeting_id"]).await;
                w.ids.insert("booking_id", booking);
            }
            let want = cells.chars().nth(i).unwrap();
            let got = class(r.status.as_u16());
            // Every answer, refusals included, is the body the spec documents.
            if !r.raw.is_empty() && r.body != Value::Null {
                for problem in crate::spec::nonconformities(
                    &spec,
                    method,
                    template,
                    r.status.as_u16(),
                    &r.body,
                ) {
                    drift.push(format!("{method} {template} as {}: {problem}", ROLES[i]));
                }
            }
            if got != want {
                wrong.push(format!(
                    "{method} {template} as {}: expected {want}, got {} {}",
                    ROLES[i], r.status, r.body
                ));
            }
        }
    }
    assert_eq!(
        MATRIX.len(),
        igf_scheduler::routes::ROUTES.len(),
        "stale rows"
    );
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    assert!(
        drift.is_empty(),
        "{} answers differ from the spec:\n{}",
        drift.len(),
        drift.join("\n")
    );
}

#[actix_web::test]
async fn the_pointed_cells_hold() {
    let w = world().await;
    let [_, owner, other, eval, sec] = w.tokens.clone().map(Option::unwrap_or_default);
    let (m, draft) = (w.ids["meeting_id"], w.ids["proposal_id"]);
    // Another person's draft is hidden, not merely forbidden.
    let path = format!("/api/v1/proposals/{draft}");
    w.app.get(&path, Some(&owner)).await.expect(200);
    w.app.get(&path, Some(&other)).await.expect(404);
    w.app
        .patch(&path, Some(&other), &json!({"title": "Mine now"}))
        .await
        .expect(404);
    // An evaluator sees their own scores only, and nothing of unassigned proposals.
    let second = demo_login(&w.app, "mag02@demo.igf.test").await;
    let second_id = me(&w.app, &second).await;
    let scores = format!("/api/v1/meetings/{m}/evaluation/scores");
    w.app
        .get(&format!("{scores}?evaluator_id={second_id}"), Some(&eval))
        .await
        .expect(403);
    let own = w.app.get(&scores, Some(&eval)).await.expect(200).body;
    let items = own["items"].as_array().unwrap();
    assert!(!items.is_empty());
    let mine = w.ids["user_id"];
    assert!(
        items.iter().all(|s| s["evaluator_id"] == json!(mine)),
        "{own}"
    );
    let all = w
        .app
        .get(&format!("{scores}?per_page=200"), Some(&sec))
        .await
        .expect(200)
        .body;
    let assigned: std::collections::BTreeSet<i64> = w
        .app
        .get(
            &format!("/api/v1/meetings/{m}/evaluation/assignments?per_page=200"),
            Some(&eval),
        )
        .await
        .expect(200)
        .body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["proposal_id"].as_i64().unwrap())
        .collect();
    let unassigned = all["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["proposal_id"].as_i64().unwrap())
        .find(|p| !assigned.contains(p))
        .unwrap();
    let assigned_one = w.ids["assigned_proposal"];
    w.app
        .get(
            &format!("/api/v1/proposals/{assigned_one}/score"),
            Some(&eval),
        )
        .await
        .expect(200);
    let r = w
        .app
        .get(
            &format!("/api/v1/proposals/{unassigned}/score"),
            Some(&eval),
        )
        .await;
    assert_eq!((r.status.as_u16(), r.code()), (403, "not_assigned"));
    w.app
        .get(&format!("/api/v1/proposals/{unassigned}"), Some(&eval))
        .await
        .expect(404);
    w.app
        .get(
            &format!("/api/v1/users/{second_id}/evaluator-profile"),
            Some(&eval),
        )
        .await
        .expect(403);
    // A personal agenda is reached by its token only: not by its row id, not by a
    // prefix of the token.
    let agenda = w
        .app
        .post(
            &format!("/api/v1/meetings/{m}/agendas"),
            None,
            &json!({"name": "x"}),
        )
        .await
        .expect(201)
        .body;
    let token = agenda["token"].as_str().unwrap();
    w.app
        .get(&format!("/api/v1/agendas/{token}"), None)
        .await
        .expect(200);
    for guess in ["1", "2", &token[..32], &token[..63]] {
        w.app
            .get(&format!("/api/v1/agendas/{guess}"), None)
            .await
            .expect(404);
        w.app
            .get(&format!("/api/v1/agendas/{guess}"), Some(&sec))
            .await
            .expect(404);
    }
}

/// Keys that name personal data; none may appear in a public answer.
const PRIVATE_KEYS: [&str; 7] = [
    "email",
    "contact_email",
    "gender",
    "nationality",
    "password",
    "password_hash",
    "person_email",
];

fn private_keys(v: &Value, at: &str, found: &mut Vec<String>) {
    match v {
        Value::Object(o) => {
            for (k, x) in o {
                if PRIVATE_KEYS.contains(&k.as_str()) || (k == "country" && o.contains_key("role"))
                {
                    found.push(format!("{at}.{k}"));
                }
                private_keys(x, &format!("{at}.{k}"), found);
            }
        }
        Value::Array(a) => a
            .iter()
            .enumerate()
            .for_each(|(i, x)| private_keys(x, &format!("{at}[{i}]"), found)),
        _ => {}
    }
}

/// A body as its reader sees it: calendar lines unfolded (RFC 5545 3.1) and text
/// escapes undone, so that nothing can hide across a fold or behind a backslash. JSON
/// is left as it is; unfolding changes nothing there.
fn as_read(body: &str) -> String {
    body.replace("\r\n ", "")
        .replace("\r\n\t", "")
        .replace("\\n", " ")
        .replace("\\N", " ")
        .replace("\\,", ",")
        .replace("\\;", ";")
        .replace("\\\\", "\\")
}

/// Every email-like run of characters around an `@`.
fn emails_in(text: &str) -> Vec<String> {
    let b = text.as_bytes();
    let part = |c: u8| c.is_ascii_alphanumeric() || b"._%+-".contains(&c);
    let mut out = vec![];
    for (i, _) in text.match_indices('@') {
        let mut start = i;
        while start > 0 && part(b[start - 1]) {
            start -= 1;
        }
        let mut end = i + 1;
        while end < b.len() && part(b[end]) {
            end += 1;
        }
        out.push(text[start..end].trim_end_matches('.').to_string());
    }
    out
}

#[actix_web::test]
async fn no_public_answer_or_feed_carries_personal_data() {
    let w = world().await;
    let m = w.ids["meeting_id"];
    let agenda = w
        .app
        .post(
            &format!("/api/v1/meetings/{m}/agendas"),
            None,
            &json!({"name": "mine"}),
        )
        .await
        .expect(201)
        .body;
    let token = agenda["token"].as_str().unwrap().to_string();
    // Fill the agenda so its feed has sessions with people.
    let programme = w
        .app
        .get(&format!("/api/v1/meetings/{m}/programme"), None)
        .await
        .expect(200)
        .body;
    let sessions = programme["sessions"].as_array().unwrap();
    for s in sessions.iter().take(10) {
        w.app
            .send(
                "PUT",
                &format!("/api/v1/agendas/{token}/sessions/{}", s["session_id"]),
                None,
                None,
                &[],
            )
            .await
            .expect(200);
    }
    let speaker = sessions
        .iter()
        .flat_map(|s| s["people"].as_array().unwrap())
        .next()
        .unwrap()["name"]
        .as_str()
        .unwrap()
        .to_string();
    // Every personal value the database holds.
    let secrets: std::collections::HashSet<String> = {
        use diesel::prelude::*;
        use igf_scheduler::db::schema::{
            proposal_participants as pp, remote_hubs, session_people as sp, users,
        };
        let mut c = w.app.pool.get().unwrap();
        let mut v: Vec<String> = users::table.select(users::email).load(&mut c).unwrap();
        v.extend(
            pp::table
                .select(pp::email)
                .load::<Option<String>>(&mut c)
                .unwrap()
                .into_iter()
                .flatten(),
        );
        v.extend(
            sp::table
                .select(sp::email)
                .load::<Option<String>>(&mut c)
                .unwrap()
                .into_iter()
                .flatten(),
        );
        v.extend(
            remote_hubs::table
                .select(remote_hubs::contact_email)
                .load::<String>(&mut c)
                .unwrap(),
        );
        v.into_iter().map(|e| e.to_lowercase()).collect()
    };
    // The detector finds a stored email in text, so a clean sweep means something; and
    // in a calendar line folded across it, once the body is read as a calendar reads it.
    let probe = emails_in("see <person0001@demo.igf.test>, thanks.");
    assert!(probe.iter().any(|e| secrets.contains(e)), "{probe:?}");
    let folded = "DESCRIPTION:see person0001@demo.ig\r\n f.test\\, thanks\r\n";
    assert!(
        !emails_in(folded).iter().any(|e| secrets.contains(e)),
        "a folded line hides the email from a raw read"
    );
    let probe = emails_in(&as_read(folded));
    assert!(probe.iter().any(|e| secrets.contains(e)), "{probe:?}");
    let hashes: Vec<String> = {
        use diesel::prelude::*;
        use igf_scheduler::db::schema::users;
        let mut c = w.app.pool.get().unwrap();
        users::table
            .select(users::password_hash)
            .load::<String>(&mut c)
            .unwrap()
            .into_iter()
            .map(|h| h.to_lowercase())
            .collect()
    };
    assert!(
        secrets.len() > 1000,
        "the demo holds personal data to look for"
    );
    let mut paths: Vec<String> = MATRIX
        .iter()
        // The API description is the service's own static text: its examples are not
        // data, even where they look like the demo's.
        .filter(|(method, p, cells)| {
            *method == "GET" && cells.starts_with('A') && *p != "/api/v1/openapi.yaml"
        })
        .map(|(_, p, _)| w.path(p, &token))
        .collect();
    paths.extend([
        format!(
            "/api/v1/meetings/{m}/programme?person={}",
            speaker.replace(' ', "%20")
        ),
        format!(
            "/api/v1/meetings/{m}/programme.ics?person={}",
            speaker.replace(' ', "%20")
        ),
        format!("/api/v1/meetings/{m}/programme?tz=Asia/Tokyo"),
        format!("/api/v1/meetings/{}", w.ids["meeting_id"]),
        "/api/v1/meetings?per_page=100".to_string(),
    ]);
    let mut leaks = vec![];
    for path in &paths {
        let r = w.app.get(path, None).await;
        assert!(r.status.is_success(), "{path}: {}", r.status);
        let text = as_read(&String::from_utf8_lossy(&r.raw)).to_lowercase();
        for e in emails_in(&text) {
            if secrets.contains(&e) {
                leaks.push(format!("{path} contains {e}"));
            }
        }
        if hashes.iter().any(|h| text.contains(h.as_str())) || text.contains("$argon2") {
            leaks.push(format!("{path} contains a password hash"));
        }
        let mut keys = vec![];
        private_keys(&r.body, "", &mut keys);
        leaks.extend(keys.into_iter().map(|k| format!("{path} has {k}")));
    }
    assert!(leaks.is_empty(), "{}", leaks.join("\n"));
}

#[actix_web::test]
async fn a_refused_role_is_refused_before_its_page_is_checked() {
    let w = world().await;
    let [_, owner, _, eval, _] = w.tokens.clone().map(Option::unwrap_or_default);
    let m = w.ids["meeting_id"];
    let bad = "per_page=500";
    for (path, token) in [
        (
            format!("/api/v1/meetings/{m}/evaluation/scores?{bad}"),
            &owner,
        ),
        (
            format!("/api/v1/meetings/{m}/evaluation/assignments?{bad}"),
            &owner,
        ),
        (
            format!("/api/v1/meetings/{m}/evaluation/results?{bad}"),
            &owner,
        ),
        (format!("/api/v1/meetings/{m}/proposals?{bad}"), &eval),
        (
            format!("/api/v1/meetings/{m}/evaluation/scores?evaluator_id=1&{bad}"),
            &eval,
        ),
    ] {
        let r = w.app.get(&path, Some(token)).await;
        assert_eq!(r.status.as_u16(), 403, "{path}: {}", r.body);
    }
    // The same page from a role that may list is the 422 it deserves.
    let r = w
        .app
        .get(
            &format!("/api/v1/meetings/{m}/proposals?{bad}"),
            Some(&owner),
        )
        .await;
    assert_eq!(r.status.as_u16(), 422, "{}", r.body);
}
