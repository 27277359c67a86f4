//! Sessions change after they are made: people (added, replaced, removed, with role,
//! participation and zone), theme and type; and two sessions merge into one.

use igf_scheduler::auth::Role;
use serde_json::{Value, json};

use crate::helpers::{TestApp, open_meeting, person};

async fn session(app: &TestApp, sec: &str, m: i64, title: &str, people: Value) -> Value {
    app.post(
        &format!("/api/v1/meetings/{m}/sessions"),
        Some(sec),
        &json!({"session_type": "workshop", "title": title, "duration_min": 90,
                "expected_attendance": 40, "hybrid": false, "people": people}),
    )
    .await
    .expect(201)
    .body
}

fn names(s: &Value) -> Vec<String> {
    s["people"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            format!(
                "{}:{}",
                p["role"].as_str().unwrap(),
                p["name"].as_str().unwrap()
            )
        })
        .collect()
}

#[actix_web::test]
async fn line_ups_theme_and_type_change_and_two_sessions_merge_into_one() {
    let app = TestApp::spawn().await;
    let sec = app.user("sec@example.org", Role::Secretariat).await;
    let meeting = app.meeting(&sec, &open_meeting()).await;
    let m = meeting["id"].as_i64().unwrap();
    let theme = meeting["themes"][1]["id"].as_i64().unwrap();
    let mut ana = person("speaker", "Ana Silva", "female", "onsite");
    ana["email"] = json!("ana@example.org");
    let a = session(
        &app,
        &sec,
        m,
        "Data flows",
        json!([ana.clone(), person("speaker", "Ben Kim", "male", "onsite")]),
    )
    .await;
    let mut ana_online = ana.clone();
    ana_online["participation"] = json!("online");
    ana_online["timezone"] = json!("America/Mexico_City");
    let b = session(
        &app,
        &sec,
        m,
        "Trust across borders",
        json!([
            ana_online,
            person("onsite_moderator", "Chen Li", "female", "onsite")
        ]),
    )
    .await;
    let path = format!("/api/v1/sessions/{}", a["id"]);

    // A speaker replaced: the new list is the line-up.
    let mut dev = person("speaker", "Dev Patel", "male", "online");
    dev["timezone"] = json!("Asia/Kolkata");
    let s = app
        .patch(&path, Some(&sec), &json!({"people": [ana.clone(), dev]}))
        .await
        .expect(200)
        .body;
    assert_eq!(names(&s), ["speaker:Ana Silva", "speaker:Dev Patel"]);
    assert_eq!(s["people"][1]["participation"], "online");
    assert_eq!(s["people"][1]["timezone"], "Asia/Kolkata");

    // Theme and type: checked, every broken field named, nothing changed.
    let r = app
        .patch(
            &path,
            Some(&sec),
            &json!({"theme_id": 999_999, "session_type": "open_forum",
                    "people": [{"role": "speaker", "name": "", "timezone": "Mars/Base"}]}),
        )
        .await
        .expect(422);
    r.has_rules(&[
        ("theme_id", "exists"),
        ("session_type", "allowed_duration"),
        ("people[0].name", "required"),
        ("people[0].timezone", "timezone"),
    ]);
    app.patch(&path, Some(&sec), &json!({"session_type": "keynote"}))
        .await
        .expect(422)
        .only_rule("session_type", "exists");
    let unchanged = app.get(&path, Some(&sec)).await.expect(200).body;
    assert_eq!(unchanged["session_type"], "workshop");
    assert_eq!(names(&unchanged), names(&s));
    let s = app
        .patch(
            &path,
            Some(&sec),
            &json!({"theme_id": theme, "session_type": "open_forum", "duration_min": 60}),
        )
        .await
        .expect(200)
        .body;
    assert_eq!(s["session_type"], "open_forum");
    assert_eq!(s["theme_id"], theme);
    let s = app
        .patch(&path, Some(&sec), &json!({"theme_id": null}))
        .await
        .expect(200)
        .body;
    assert_eq!(s["theme_id"], Value::Null);

    // Merge b into a: both line-ups, Ana once per role (online in b, onsite in a:
    // her participation here stays onsite), b cancelled.
    let merge = format!("{path}/merge");
    let s = app
        .post(
            &merge,
            Some(&sec),
            &json!({"session_id": b["id"], "title": "Data flows and trust"}),
        )
        .await
        .expect(200)
        .body;
    assert_eq!(s["title"], "Data flows and trust");
    assert_eq!(
        names(&s),
        [
            "speaker:Ana Silva",
            "speaker:Dev Patel",
            "onsite_moderator:Chen Li"
        ]
    );
    assert_eq!(s["people"][0]["participation"], "onsite");
    let gone = app
        .get(&format!("/api/v1/sessions/{}", b["id"]), Some(&sec))
        .await
        .expect(200)
        .body;
    assert_eq!(gone["status"], "cancelled");
    // Refused: again (b is cancelled), into itself, from another meeting.
    app.post(&merge, Some(&sec), &json!({"session_id": b["id"]}))
        .await
        .expect(422)
        .only_rule("session_id", "active");
    app.post(&merge, Some(&sec), &json!({"session_id": a["id"]}))
        .await
        .expect(422)
        .only_rule("session_id", "other");
    let other = app.meeting(&sec, &open_meeting()).await["id"]
        .as_i64()
        .unwrap();
    let c = session(&app, &sec, other, "Elsewhere", json!([])).await;
    app.post(&merge, Some(&sec), &json!({"session_id": c["id"]}))
        .await
        .expect(422)
        .only_rule("session_id", "exists");
    let r = app
        .post(
            &format!("/api/v1/sessions/{}/merge", b["id"]),
            Some(&sec),
            &json!({"session_id": c["id"]}),
        )
        .await;
    assert_eq!(r.status, 422, "{}", r.body);
    let evaluator = app.user("mag@example.org", Role::Evaluator).await;
    app.post(&merge, Some(&evaluator), &json!({"session_id": c["id"]}))
        .await
        .expect(403);
}
