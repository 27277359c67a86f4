use crate::helpers::TestApp;

/// The demo goes through the same query functions and screening as the API; seeding a
/// fresh database gives the documented meeting, and seeding again changes nothing.
#[actix_web::test]
async fn the_demo_meeting_seeds_once_and_is_usable_over_the_api() {
    let app = TestApp::spawn().await;
    let pool = app.pool.clone();
    let (first, second) = actix_web::rt::task::spawn_blocking(move || {
        let mut c = pool.get().unwrap();
        let a = igf_scheduler::demo::seed(&mut c).unwrap();
        let b = igf_scheduler::demo::seed(&mut c).unwrap();
        (a, b)
    })
    .await
    .unwrap();
    assert!(first.created && !second.created);
    assert_eq!(
        (first.meeting_id, first.proposals),
        (second.meeting_id, 400)
    );

    let sec = app
        .post(
            "/api/v1/auth/login",
            None,
            &serde_json::json!({"email": igf_scheduler::demo::SECRETARIAT_EMAIL, "password": igf_scheduler::demo::DEMO_PASSWORD}),
        )
        .await
        .expect(200)
        .body["access_token"]
        .as_str()
        .unwrap()
        .to_string();
    let m = app
        .get(&format!("/api/v1/meetings/{}", first.meeting_id), None)
        .await
        .expect(200)
        .body;
    assert_eq!(
        (
            m["rooms"].as_array().unwrap().len(),
            m["slot_count"].as_i64(),
            m["days"].as_array().unwrap().len()
        ),
        (20, Some(36), 5)
    );
    let path = format!("/api/v1/meetings/{}/proposals", first.meeting_id);
    assert_eq!(app.total(&path, Some(&sec)).await, 400);
    assert_eq!(
        app.total(&format!("{path}?status=submitted"), Some(&sec))
            .await,
        360
    );
    assert_eq!(
        app.total(&format!("{path}?status=draft"), Some(&sec)).await,
        20
    );
    assert_eq!(
        app.total(&format!("{path}?status=withdrawn"), Some(&sec))
            .await,
        20
    );
    assert_eq!(
        app.total("/api/v1/users?role=evaluator", Some(&sec)).await,
        igf_scheduler::demo::EVALUATORS as i64
    );
    // Every submitted proposal has five evaluators, none of them conflicted.
    assert_eq!(first.assignments, 360 * 5);
    let assignments = format!(
        "/api/v1/meetings/{}/evaluation/assignments",
        first.meeting_id
    );
    assert_eq!(app.total(&assignments, Some(&sec)).await, 1800);

    // The evaluation went all the way: scored, closed, selected, decided, published.
    let m = first.meeting_id;
    let scores = format!("/api/v1/meetings/{m}/evaluation/scores");
    assert_eq!(app.total(&scores, Some(&sec)).await, first.scores as i64);
    assert!(
        first.scores > 1700 && first.scores < 1800,
        "{}",
        first.scores
    );
    let e = app
        .get(&format!("/api/v1/meetings/{m}/evaluation"), Some(&sec))
        .await
        .expect(200);
    assert_eq!(e.body["phase"], "published");
    assert_eq!(e.body["progress"]["decided"], 360);
    // The public report, without signing in, shows the programme meeting its targets.
    let r = app
        .get(&format!("/api/v1/meetings/{m}/evaluation/report"), None)
        .await
        .expect(200);
    let programme = &r.body["programme"];
    assert_eq!(
        programme["proposals"].as_u64().unwrap() as usize,
        first.selected
    );
    assert!(first.selected >= 100, "{}", first.selected);
    // The optimiser's programme met every target; the three lightning talks added
    // afterwards dilute the shares, and the report says so rather than hiding it.
    let run = app
        .get(
            &format!("/api/v1/meetings/{m}/decisions?outcome=approved&per_page=1"),
            Some(&sec),
        )
        .await
        .expect(200)
        .body["items"][0]["selection_run_id"]
        .as_i64()
        .unwrap();
    let run = app
        .get(&format!("/api/v1/meetings/{m}/selection/{run}"), Some(&sec))
        .await
        .expect(200);
    assert_eq!(
        run.body["diversity"]["all_targets_met"], true,
        "{}",
        run.body["diversity"]
    );
    assert_eq!(run.body["gap"], 0.0);
    assert_eq!(
        run.body["selected"].as_u64().unwrap() as usize + 3,
        first.selected
    );
    assert_eq!(r.body["proposals"].as_array().unwrap().len(), 360);
    assert!(!r.body.to_string().contains("@demo.igf.test"));
    // A proposer sees the outcome of their own proposal.
    let proposal = r.body["proposals"][0]["proposal_id"].as_i64().unwrap();
    let full = app
        .get(&format!("/api/v1/proposals/{proposal}"), Some(&sec))
        .await
        .expect(200);
    let owner = full.body["proposer_id"].as_i64().unwrap();
    let owner_email = app
        .get("/api/v1/users?role=proposer&per_page=200", Some(&sec))
        .await
        .expect(200)
        .body["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["id"] == owner)
        .unwrap()["email"]
        .as_str()
        .unwrap()
        .to_string();
    let proposer = app
        .post(
            "/api/v1/auth/login",
            None,
            &serde_json::json!({"email": owner_email, "password": igf_scheduler::demo::DEMO_PASSWORD}),
        )
        .await
        .expect(200)
        .body["access_token"]
        .as_str()
        .unwrap()
        .to_string();
    let mine = app
        .get(&format!("/api/v1/proposals/{proposal}"), Some(&proposer))
        .await
        .expect(200);
    assert!(
        ["approved", "lightning"].contains(&mine.body["outcome"]["outcome"].as_str().unwrap()),
        "{}",
        mine.body["outcome"]
    );

    // The schedule is published: every session placed, the public programme served.
    assert!(first.schedule_version.is_some());
    let programme = app
        .get(&format!("/api/v1/meetings/{m}/programme"), None)
        .await
        .expect(200);
    let sessions = programme.body["sessions"].as_array().unwrap();
    assert_eq!(
        sessions.len(),
        first.selected + 8,
        "selected plus ceremonies, main sessions and Day 0 events"
    );
    // Each type where it belongs: Day 0 events on Day 0 and nothing else there; the
    // opening first on the first main day, the closing last on the last; main
    // sessions and ceremonies in the plenary.
    let of = |code: &str| -> Vec<&serde_json::Value> {
        sessions
            .iter()
            .filter(|s| s["session_type"] == code)
            .collect()
    };
    let (opening, closing) = (of("opening_ceremony")[0], of("closing_ceremony")[0]);
    let day_zero = "2027-06-21";
    for s in sessions {
        let (day, starts, ends) = (
            s["day"].as_str().unwrap(),
            s["starts_at_utc"].as_str().unwrap(),
            s["ends_at_utc"].as_str().unwrap(),
        );
        assert_eq!(
            day == day_zero,
            s["session_type"] == "day_zero",
            "only Day 0 events on Day 0: {s}"
        );
        if s["session_id"] != opening["session_id"] && day == opening["day"] {
            assert!(starts >= opening["ends_at_utc"].as_str().unwrap(), "{s}");
        }
        if s["session_id"] != closing["session_id"] && day == closing["day"] {
            assert!(ends <= closing["starts_at_utc"].as_str().unwrap(), "{s}");
        }
    }
    assert_eq!(of("day_zero").len(), 3);
    assert_eq!(opening["day"], "2027-06-22");
    assert_eq!(closing["day"], "2027-06-25");
    for s in of("main_session").into_iter().chain([opening, closing]) {
        assert_eq!(s["room"], "Plenary Hall", "{s}");
    }
    let v = app
        .get(
            &format!("/api/v1/schedules/{}", first.schedule_version.unwrap()),
            Some(&sec),
        )
        .await
        .expect(200);
    assert_eq!(v.body["hard"], 0);

    // The second meeting's call is open: a new proposer drafts and submits there.
    let newcomer = app.proposer("newcomer@example.org").await;
    let open = app
        .get(&format!("/api/v1/meetings/{}", first.open_meeting_id), None)
        .await
        .expect(200)
        .body;
    let theme = open["themes"][0]["id"].as_i64().unwrap();
    let id = app
        .post(
            &format!("/api/v1/meetings/{}/proposals", first.open_meeting_id),
            Some(&newcomer),
            &crate::helpers::complete_proposal(theme),
        )
        .await
        .expect(201)
        .body["id"]
        .as_i64()
        .unwrap();
    app.post(
        &format!("/api/v1/proposals/{id}/submit"),
        Some(&newcomer),
        &serde_json::json!({}),
    )
    .await
    .expect(200);
}

pub async fn demo_login(app: &TestApp, email: &str) -> String {
    app.login_with(email, igf_scheduler::demo::DEMO_PASSWORD)
        .await
}

/// The whole evaluation of the demo meeting over HTTP: the demo is seeded up to the
/// assignment; then the 55 MAG members score their proposals, the secretariat closes
/// scoring, reads the results, selects, confirms and publishes, and the public report
/// shows the outcome.
#[actix_web::test]
async fn the_secretariat_runs_the_demo_evaluation_over_the_api() {
    use serde_json::{Value, json};
    let (app, summary) = TestApp::spawn_demo(igf_scheduler::demo::Stage::Assigned).await;
    let m = summary.meeting_id;
    let sec = demo_login(&app, igf_scheduler::demo::SECRETARIAT_EMAIL).await;
    let eval = format!("/api/v1/meetings/{m}/evaluation");
    let r = app.get(&eval, Some(&sec)).await.expect(200);
    assert_eq!(r.body["phase"], "not_started");
    app.patch(&eval, Some(&sec), &json!({"phase": "scoring"}))
        .await
        .expect(200);
    // Every MAG member scores every proposal assigned to them, all 55 at once (each
    // one's scores in turn): a harsh and a lenient half, over a hidden quality per
    // proposal. Every score is accepted, none is lost (the counts below).
    let evaluators = (1..=igf_scheduler::demo::EVALUATORS).map(|i| {
        let app = &app;
        async move {
            let tok = demo_login(app, &format!("mag{i:02}@demo.igf.test")).await;
            let list = app
                .get(
                    &format!("/api/v1/meetings/{m}/evaluation/assignments?per_page=200"),
                    Some(&tok),
                )
                .await
                .expect(200);
            let mut scored = 0;
            for a in list.body["items"].as_array().unwrap() {
                let p = a["proposal_id"].as_i64().unwrap();
                let quality = 1 + (p * 7919 % 5);
                let bias = if i % 2 == 0 { -1 } else { 0 };
                let v = (quality + bias).clamp(1, 5);
                let body = json!({"scores": {"relevance": v, "content": v, "format_and_hybrid": (v + 1).min(5), "diversity": v}});
                app.send(
                    "PUT",
                    &format!("/api/v1/proposals/{p}/score"),
                    Some(&tok),
                    Some(&body),
                    &[],
                )
                .await
                .expect(201);
                scored += 1;
            }
            scored
        }
    });
    let scored: usize = futures_util::future::join_all(evaluators)
        .await
        .into_iter()
        .sum();
    assert_eq!(scored, 1800);
    let r = app
        .patch(&eval, Some(&sec), &json!({"phase": "closed"}))
        .await
        .expect(200);
    assert_eq!(r.body["progress"]["scored"], 1800);
    // Results: every proposal with five scores, ranked by the normalised score.
    let results = app
        .get(
            &format!("/api/v1/meetings/{m}/evaluation/results?per_page=200"),
            Some(&sec),
        )
        .await
        .expect(200);
    assert_eq!(results.body["total"], 360);
    let items = results.body["items"].as_array().unwrap();
    assert!(items.iter().all(|x| x["count"] == 5));
    let normalised: Vec<f64> = items
        .iter()
        .map(|x| x["normalised"].as_f64().unwrap())
        .collect();
    assert!(normalised.windows(2).all(|w| w[0] >= w[1]));
    // Select with the demo's own rules, confirm, publish.
    let request = serde_json::to_value(igf_scheduler::demo::selection_request()).unwrap();
    let run = app
        .post(
            &format!("/api/v1/meetings/{m}/selection"),
            Some(&sec),
            &request,
        )
        .await
        .expect(201);
    assert_eq!(run.body["gap"], 0.0);
    assert_eq!(run.body["selected"], 100);
    assert_eq!(run.body["diversity"]["all_targets_met"], true);
    let declined: Vec<&Value> = run.body["proposals"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|x| x["outcome"] != "approved")
        .collect();
    assert_eq!(declined.len(), 260);
    assert!(
        declined
            .iter()
            .all(|x| !x["reason"].as_str().unwrap().is_empty())
    );
    let r = app
        .post(
            &format!("/api/v1/meetings/{m}/decisions"),
            Some(&sec),
            &json!({"selection_run_id": run.body["id"]}),
        )
        .await
        .expect(200);
    assert_eq!(r.body["undecided"], 0);
    app.patch(&eval, Some(&sec), &json!({"phase": "published"}))
        .await
        .expect(200);
    let report = app
        .get(&format!("/api/v1/meetings/{m}/evaluation/report"), None)
        .await
        .expect(200);
    assert_eq!(report.body["programme"]["proposals"], 100);
    assert_eq!(report.body["programme"]["all_targets_met"], true);
    assert_eq!(report.body["outcomes"]["approved"], 100);
}
