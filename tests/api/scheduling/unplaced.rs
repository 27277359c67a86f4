//! A session that fits no slot: the solve still answers with a schedule, and the job
//! and its version name the session, the person, their zone and their local times.

use super::*;
use crate::helpers::{open_meeting, person};
use igf_scheduler::auth::Role;

#[actix_web::test]
async fn a_session_that_fits_nowhere_is_left_out_with_its_reasons_and_the_rest_is_scheduled() {
    let app = TestApp::spawn().await;
    let sec = app.user("sec@example.org", Role::Secretariat).await;
    // A meeting of its own in Kathmandu (UTC+05:45): its 09:00 to 16:30 slots are
    // 21:15 to 04:45 in Mexico City (UTC-06:00), outside 07:00-22:00 there.
    let mut body = open_meeting();
    body["name"] = json!("Kathmandu meeting");
    body["timezone"] = json!("Asia/Kathmandu");
    body["slot_template"] = json!([
        {"start": "09:00", "duration_min": 90},
        {"start": "11:00", "duration_min": 90},
        {"start": "14:00", "duration_min": 90},
        {"start": "16:30", "duration_min": 90}
    ]);
    let m = app.meeting(&sec, &body).await["id"].as_i64().unwrap();
    let mut ana = person("speaker", "Ana Silva", "female", "online");
    ana["timezone"] = json!("America/Mexico_City");
    let mut sessions = vec![];
    for (title, people) in [
        (
            "Open forum on cables",
            json!([person("speaker", "Ben Kim", "male", "onsite")]),
        ),
        ("Data flows and trust", json!([ana])),
    ] {
        let s = app
            .post(
                &format!("/api/v1/meetings/{m}/sessions"),
                Some(&sec),
                &json!({"session_type": "workshop", "title": title, "duration_min": 90,
                        "expected_attendance": 40, "hybrid": true, "people": people}),
            )
            .await
            .expect(201)
            .body;
        sessions.push(s["id"].as_i64().unwrap());
    }
    let d = Demo {
        app,
        sec: sec.clone(),
        meeting: m,
    };
    let job = d.run_job(&json!({"time_limit_seconds": 2})).await;
    assert_eq!(job["status"], "succeeded", "{job}");
    // The job and its version name what they could not place, and why.
    let unplaced = job["unplaced"].as_array().unwrap();
    assert_eq!(unplaced.len(), 1, "{job}");
    assert_eq!(unplaced[0]["session_id"], sessions[1]);
    assert_eq!(unplaced[0]["title"], "Data flows and trust");
    let reasons = unplaced[0]["reasons"].to_string();
    for part in [
        "Ana Silva",
        "online in America/Mexico_City",
        "07:00-22:00",
        "21:15",
        "04:45",
    ] {
        assert!(reasons.contains(part), "{part:?} missing from {reasons}");
    }
    let v = d
        .app
        .get(
            &format!("/api/v1/schedules/{}", job["version_id"]),
            Some(&sec),
        )
        .await
        .expect(200)
        .body;
    assert_eq!(v["unplaced"], job["unplaced"]);
    let placed: Vec<i64> = v["placements"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["session_id"].as_i64().unwrap())
        .collect();
    assert_eq!(placed, [sessions[0]], "the rest is scheduled");
    // Left out counts as a hard violation: nothing is published without it.
    assert_eq!(v["hard"], 1, "{}", v["evaluation"]["rules"]);
    let r = d
        .app
        .post(
            &format!("/api/v1/schedules/{}/publish", job["version_id"]),
            Some(&sec),
            &json!({}),
        )
        .await
        .expect(409);
    assert_eq!(r.code(), "hard_violations");
    assert!(
        r.body["detail"].as_str().unwrap().contains("not placed"),
        "{}",
        r.body
    );

    // The job recorded every rule it used: the defaults, the outer band hard.
    assert_eq!(job["request"]["rules"]["outer_hours_hard"], true, "{job}");
    assert_eq!(job["request"]["rules"]["outer_hours"]["from"], "07:00");

    // One job may relax the outer band: Ana is then placed, at a cost.
    let relaxed = d
        .run_job(&json!({"time_limit_seconds": 2, "rules": {"outer_hours_hard": false}}))
        .await;
    assert_eq!(relaxed["status"], "succeeded", "{relaxed}");
    assert_eq!(relaxed["unplaced"], json!([]), "{relaxed}");
    assert_eq!(relaxed["request"]["rules"]["outer_hours_hard"], false);
    let v = d
        .app
        .get(
            &format!("/api/v1/schedules/{}", relaxed["version_id"]),
            Some(&sec),
        )
        .await
        .expect(200)
        .body;
    assert_eq!(v["hard"], 0, "{}", v["evaluation"]["rules"]);
    assert!(
        v["evaluation"]["penalties"]
            .to_string()
            .contains("Ana Silva"),
        "her late hours are still counted: {}",
        v["evaluation"]["penalties"]
    );

    // The meeting's own rules: read, refused when broken (nothing changes), changed.
    let path = format!("/api/v1/meetings/{m}/scheduling-rules");
    let rules = d.app.get(&path, Some(&sec)).await.expect(200).body;
    assert_eq!(rules["outer_hours_hard"], true);
    assert_eq!(
        rules["comfortable_hours"],
        json!({"from": "09:00", "to": "18:00"})
    );
    let r = d
        .app
        .patch(
            &path,
            Some(&sec),
            &json!({"theme_clash": -1, "outer_hours": {"from": "22:00", "to": "7:00"}}),
        )
        .await
        .expect(422);
    r.has_rules(&[("theme_clash", "range"), ("outer_hours.to", "time")]);
    d.app
        .patch(&path, Some(&sec), &json!({"weights": {}}))
        .await
        .expect(422);
    assert_eq!(d.app.get(&path, Some(&sec)).await.body, rules);
    let changed = d
        .app
        .patch(
            &path,
            Some(&sec),
            &json!({"outer_hours_hard": false, "outer_hours": {"from": "06:00", "to": "23:00"}}),
        )
        .await
        .expect(200)
        .body;
    assert_eq!(changed["outer_hours_hard"], false);
    assert_eq!(
        changed["theme_clash"], rules["theme_clash"],
        "the rest stays"
    );
    let job = d.run_job(&json!({"time_limit_seconds": 2})).await;
    assert_eq!(job["unplaced"], json!([]), "{job}");
    assert_eq!(job["request"]["rules"]["outer_hours"]["from"], "06:00");
    // A job's override is checked like the meeting's rules.
    let r = d
        .app
        .post(
            &format!("/api/v1/meetings/{m}/schedules"),
            Some(&sec),
            &json!({"rules": {"room_fit": 200000}}),
        )
        .await
        .expect(422);
    r.only_rule("rules.room_fit", "range");
}
