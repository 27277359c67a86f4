//! The demo from its selection to a published, independently checked schedule, and
//! through a cancellation and a repair.

use super::*;

/// Every schedule message of a meeting, through all pages.
async fn schedule_messages(app: &crate::helpers::TestApp, sec: &str, m: i64) -> Vec<Value> {
    let mut all = vec![];
    for page in 1.. {
        let r = app
            .get(
                &format!("/api/v1/meetings/{m}/messages?kind=schedule&per_page=200&page={page}"),
                Some(sec),
            )
            .await
            .expect(200)
            .body;
        let items = r["items"].as_array().unwrap().clone();
        if items.is_empty() {
            break;
        }
        all.extend(items);
    }
    all
}

#[actix_web::test]
async fn the_demo_goes_from_selection_to_a_published_checked_schedule_and_through_a_repair() {
    let d = demo().await;
    let m = d.meeting;
    // Sessions from the published selection, and a ceremony the call does not provide.
    let r = d
        .app
        .post(
            &format!("/api/v1/meetings/{m}/sessions/from-selection"),
            Some(&d.sec),
            &json!({"join_url_template": "https://meet.example.org/igf/{session_id}"}),
        )
        .await
        .expect(200);
    let created = r.body["created"].as_i64().unwrap();
    assert!(created >= 100, "{}", r.body);
    // A second call creates nothing new.
    let again = d
        .app
        .post(
            &format!("/api/v1/meetings/{m}/sessions/from-selection"),
            Some(&d.sec),
            &json!({}),
        )
        .await
        .expect(200);
    assert_eq!(
        (
            again.body["created"].as_i64(),
            again.body["existing"].as_i64()
        ),
        (Some(0), Some(created))
    );
    d.app
        .post(
            &format!("/api/v1/meetings/{m}/sessions"),
            Some(&d.sec),
            &json!({"session_type": "opening_ceremony", "title": "Opening ceremony", "duration_min": 45,
                    "expected_attendance": 900, "hybrid": true}),
        )
        .await
        .expect(201);
    d.app
        .post(
            &format!("/api/v1/meetings/{m}/sessions"),
            Some(&d.sec),
            &json!({"session_type": "opening_ceremony", "title": "Too long", "duration_min": 50,
                    "expected_attendance": 0, "join_url": "not a url"}),
        )
        .await
        .expect(422)
        .has_rules(&[
            ("duration_min", "allowed_duration"),
            ("expected_attendance", "range"),
            ("join_url", "url"),
        ]);
    let sessions = d.sessions().await;
    assert_eq!(sessions.len() as i64, created + 1);
    let s0 = &sessions[0];
    assert_eq!(
        s0["join_url"],
        format!("https://meet.example.org/igf/{}", s0["id"]),
        "the template was filled"
    );
    assert!(s0["diversity"]["score"].as_f64().unwrap() > 0.0);
    // Each session starts with what its proposal asked of the services.
    let mut captioned = 0;
    for s in sessions.iter().filter(|s| s["proposal_id"].is_i64()) {
        let p = d
            .app
            .get(
                &format!("/api/v1/proposals/{}", s["proposal_id"]),
                Some(&d.sec),
            )
            .await
            .expect(200)
            .body;
        for need in ["interpretation", "captioning", "sign_language"] {
            assert_eq!(s[need], p[need], "{need} of session {}", s["id"]);
        }
        captioned += usize::from(s["captioning"] == true);
    }
    assert!(captioned > 0, "no demo proposal asked for captioning");
    // The ceremony was created hybrid without an online moderator: the session says so.
    let ceremony = sessions
        .iter()
        .find(|s| s["session_type"] == "opening_ceremony")
        .unwrap();
    assert_eq!(
        ceremony["warnings"],
        json!([
            "hybrid session without an online moderator",
            "hybrid session without an online join link"
        ])
    );
    // Solve on the worker.
    let job = d.run_job(&json!({"time_limit_seconds": 3})).await;
    assert_eq!(job["status"], "succeeded", "{job}");
    // A finished job reports what its search did, however quickly it ended.
    let progress = &job["progress"];
    assert!(progress["moves"].as_u64().unwrap() > 0, "{job}");
    assert!(progress["elapsed_ms"].is_u64(), "{job}");
    assert_eq!(progress["best_hard"], 0, "{job}");
    assert!(progress["best_soft"].is_i64(), "{job}");
    let v1 = job["version_id"].as_i64().unwrap();
    let version = d
        .app
        .get(&format!("/api/v1/schedules/{v1}"), Some(&d.sec))
        .await
        .expect(200)
        .body;
    assert_eq!(version["hard"], 0, "{}", version["evaluation"]["penalties"]);
    let problems = independent_check(&d, &version).await;
    assert!(problems.is_empty(), "{problems:?}");
    // The check is not blind: the same schedule with two sessions forced into one room
    // and slot fails it.
    let mut broken = version.clone();
    let first = broken["placements"][0].clone();
    for k in ["room_id", "slot_id", "starts_at_utc"] {
        broken["placements"][1][k] = first[k].clone();
    }
    let problems = independent_check(&d, &broken).await;
    assert!(
        problems.iter().any(|p| p.contains("share a room")),
        "{problems:?}"
    );
    // Every soft penalty it pays is explained in words.
    for p in version["evaluation"]["penalties"].as_array().unwrap() {
        assert!(!p["reason"].as_str().unwrap().is_empty());
        assert!(
            !p.to_string().contains('@'),
            "an email in an explanation: {p}"
        );
    }
    // Nothing is public before publishing.
    let programme = format!("/api/v1/meetings/{m}/programme");
    d.app.get(&programme, None).await.expect(404);
    let r = d
        .app
        .post(
            &format!("/api/v1/schedules/{v1}/publish"),
            Some(&d.sec),
            &json!({}),
        )
        .await
        .expect(200);
    assert_eq!(r.body["published"], true);
    let p = d.app.get(&programme, None).await.expect(200);
    let items = p.body["sessions"].as_array().unwrap().clone();
    // Every person with an address on a placed session is told where and when, once.
    let emails_of = |ids: &[i64]| -> std::collections::BTreeSet<String> {
        sessions
            .iter()
            .filter(|s| ids.contains(&s["id"].as_i64().unwrap()))
            .flat_map(|s| s["people"].as_array().unwrap().clone())
            .filter_map(|p| p["email"].as_str().map(|e| e.trim().to_lowercase()))
            .collect()
    };
    let placed: Vec<i64> = items
        .iter()
        .map(|s| s["session_id"].as_i64().unwrap())
        .collect();
    let told = |items: &[Value], prefix: &str| -> Vec<String> {
        items
            .iter()
            .filter(|m| m["subject"].as_str().unwrap().starts_with(prefix))
            .map(|m| m["recipient"].as_str().unwrap().to_string())
            .collect()
    };
    let at_first = schedule_messages(&d.app, &d.sec, m).await;
    let first_told = told(&at_first, "When and where you take part");
    assert_eq!(first_told.len(), at_first.len(), "one kind of subject");
    assert_eq!(
        first_told
            .iter()
            .cloned()
            .collect::<std::collections::BTreeSet<_>>(),
        emails_of(&placed)
    );
    assert_eq!(at_first.len(), emails_of(&placed).len(), "once each");
    assert_eq!(items.len(), sessions.len());
    let text = p.body.to_string();
    for private in ["@", "\"gender\"", "\"email\"", "\"country\"", "female"] {
        assert!(!text.contains(private), "public programme leaks {private}");
    }
    // Times: venue offset (CEST in June), UTC, and the viewer's zone on request.
    let first = &items[0];
    assert!(
        first["starts_at"].as_str().unwrap().ends_with("+02:00"),
        "{first}"
    );
    assert!(first["starts_at_utc"].as_str().unwrap().ends_with('Z'));
    let ny = d
        .app
        .get(&format!("{programme}?tz=America/New_York&per_page=1"), None)
        .await;
    ny.expect(422); // per_page is not a filter of the programme
    let ny = d
        .app
        .get(&format!("{programme}?tz=America/New_York"), None)
        .await
        .expect(200);
    let f = &ny.body["sessions"][0];
    assert!(
        f["starts_at_local"].as_str().unwrap().ends_with("-04:00"),
        "{f}"
    );
    assert_eq!(instant(&f["starts_at_local"]), instant(&f["starts_at_utc"]));
    d.app
        .get(&format!("{programme}?tz=Mars/Olympus"), None)
        .await
        .expect(422)
        .only_rule("tz", "timezone");
    let day = first["day"].as_str().unwrap();
    let by_day = d
        .app
        .get(&format!("{programme}?day={day}"), None)
        .await
        .expect(200);
    let n_day = by_day.body["sessions"].as_array().unwrap().len();
    assert!(n_day > 0 && n_day < items.len());
    assert!(
        by_day.body["sessions"]
            .as_array()
            .unwrap()
            .iter()
            .all(|s| s["day"] == day)
    );
    // Cancel a session: it stays in the published programme, marked cancelled.
    let victim = items
        .iter()
        .find(|s| s["session_type"] == "workshop")
        .unwrap()["session_id"]
        .as_i64()
        .unwrap();
    let path = format!("/api/v1/sessions/{victim}");
    let tag = d
        .app
        .get(&path, Some(&d.sec))
        .await
        .expect(200)
        .header("etag")
        .unwrap();
    // Two secretariat members edit at the same time with the same ETag: one wins, the
    // other gets 412 (both cancel, so the outcome is the same whoever wins).
    let (body_a, body_b) = (
        json!({"status": "cancelled"}),
        json!({"status": "cancelled", "expected_attendance": 10}),
    );
    let (a, b) = futures_util::future::join(
        d.app.send(
            "PATCH",
            &path,
            Some(&d.sec),
            Some(&body_a),
            &[("If-Match", &tag)],
        ),
        d.app.send(
            "PATCH",
            &path,
            Some(&d.sec),
            Some(&body_b),
            &[("If-Match", &tag)],
        ),
    )
    .await;
    let mut codes = vec![a.status.as_u16(), b.status.as_u16()];
    codes.sort_unstable();
    assert_eq!(codes, vec![200, 412], "{} / {}", a.body, b.body);
    let p = d.app.get(&programme, None).await.expect(200);
    let cancelled = p.body["sessions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["session_id"] == victim)
        .unwrap()
        .clone();
    assert_eq!(cancelled["status"], "cancelled");
    // Repair: a new draft that keeps the rest of the published schedule in place.
    let job = d
        .run_job(&json!({"kind": "repair", "time_limit_seconds": 2}))
        .await;
    assert_eq!(job["status"], "succeeded", "{job}");
    let v2 = job["version_id"].as_i64().unwrap();
    let repaired = d
        .app
        .get(&format!("/api/v1/schedules/{v2}"), Some(&d.sec))
        .await
        .expect(200)
        .body;
    assert_eq!(repaired["source"], "repair");
    assert_eq!(repaired["parent_id"], v1);
    assert_eq!(repaired["hard"], 0);
    let moved = repaired["stats"]["moves_from_previous"].as_array().unwrap();
    assert!(moved.is_empty(), "a cancellation forces no move: {moved:?}");
    // The cancelled session is not placed anew: it keeps its old place, where the
    // programme and the feeds show it as cancelled.
    let place = |v: &Value| {
        v["placements"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["session_id"] == victim)
            .map(|p| (p["room_id"].clone(), p["slot_id"].clone()))
    };
    let before = d
        .app
        .get(&format!("/api/v1/schedules/{v1}"), Some(&d.sec))
        .await
        .expect(200)
        .body;
    assert!(place(&before).is_some());
    assert_eq!(place(&repaired), place(&before));
    let problems = independent_check(&d, &repaired).await;
    assert!(problems.is_empty(), "{problems:?}");
    d.app
        .post(
            &format!("/api/v1/schedules/{v2}/publish"),
            Some(&d.sec),
            &json!({}),
        )
        .await
        .expect(200);
    // Only the people of the session that went are told of the change.
    let after = schedule_messages(&d.app, &d.sec, m).await;
    let changed: std::collections::BTreeSet<String> = told(&after, "Your session has changed")
        .into_iter()
        .collect();
    assert_eq!(changed, emails_of(&[victim]));
    assert_eq!(after.len(), at_first.len() + changed.len());
    let list = d
        .app
        .get(&format!("/api/v1/meetings/{m}/schedules"), Some(&d.sec))
        .await
        .expect(200);
    assert_eq!(list.body["total"], 2);
    assert_eq!(list.body["items"][0]["published"], true);
    assert_eq!(list.body["items"][1]["published"], false);
    // The published programme follows the new version; v1 itself never changed.
    let p = d.app.get(&programme, None).await.expect(200);
    assert_eq!(p.body["version"], 2);
    let old = d
        .app
        .get(&format!("/api/v1/schedules/{v1}"), Some(&d.sec))
        .await
        .expect(200)
        .body;
    assert_eq!(
        old["placements"],
        version["placements"]
            .clone()
            .as_array()
            .map(|a| {
                // Only the status of the cancelled session differs: it is read live.
                Value::Array(
                    a.iter()
                        .map(|x| {
                            let mut x = x.clone();
                            if x["session_id"] == victim {
                                x["status"] = json!("cancelled");
                            }
                            x
                        })
                        .collect(),
                )
            })
            .unwrap()
    );
}
