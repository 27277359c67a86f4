use igf_scheduler::auth::Role;
use serde_json::{Value, json};

use crate::helpers::{TestApp, open_meeting};

#[actix_web::test]
async fn the_secretariat_sets_up_a_meeting_that_anyone_reads_once_published() {
    let app = TestApp::spawn().await;
    let sec = app.user("sec@example.org", Role::Secretariat).await;
    let mut body = open_meeting();
    body["published"] = json!(false);
    let m = app.meeting(&sec, &body).await;
    let id = m["id"].as_i64().unwrap();
    assert_eq!(m["days"].as_array().unwrap().len(), 4);
    assert_eq!(m["days"][0]["label"], "Day 0");
    assert_eq!(m["slot_count"], 8);
    assert_eq!(m["session_types"].as_array().unwrap().len(), 12);
    assert_eq!(m["screening"]["min_speakers"], 3);
    assert!(m["cfp"]["open_now"].as_bool().unwrap());

    app.get(&format!("/api/v1/meetings/{id}"), None)
        .await
        .expect(404);
    let listed = app.get("/api/v1/meetings", None).await.expect(200);
    assert_eq!(listed.body["total"], 0);

    let r = app
        .get(&format!("/api/v1/meetings/{id}"), Some(&sec))
        .await
        .expect(200);
    let etag = r.header("etag").unwrap();
    let r = app
        .send(
            "PATCH",
            &format!("/api/v1/meetings/{id}"),
            Some(&sec),
            Some(&json!({"published": true})),
            &[("If-Match", &etag)],
        )
        .await
        .expect(200);
    assert_eq!(r.body["version"], 2);
    app.get(&format!("/api/v1/meetings/{id}"), None)
        .await
        .expect(200);
    assert_eq!(
        app.get("/api/v1/meetings", None).await.expect(200).body["total"],
        1
    );

    // The old ETag no longer matches.
    let r = app
        .send(
            "PATCH",
            &format!("/api/v1/meetings/{id}"),
            Some(&sec),
            Some(&json!({"name": "Renamed"})),
            &[("If-Match", &etag)],
        )
        .await
        .expect(412);
    assert_eq!(r.code(), "precondition_failed");
}

#[actix_web::test]
async fn only_the_secretariat_creates_or_changes_meetings() {
    let app = TestApp::spawn().await;
    let prop = app.proposer("pat@example.org").await;
    app.post("/api/v1/meetings", Some(&prop), &open_meeting())
        .await
        .expect(403);
    app.post("/api/v1/meetings", None, &open_meeting())
        .await
        .expect(401);
    let sec = app.user("sec@example.org", Role::Secretariat).await;
    let id = app.meeting(&sec, &open_meeting()).await["id"]
        .as_i64()
        .unwrap();
    app.patch(
        &format!("/api/v1/meetings/{id}"),
        Some(&prop),
        &json!({"name": "x"}),
    )
    .await
    .expect(403);
}

#[actix_web::test]
async fn slots_follow_venue_wall_clock_across_the_autumn_dst_change() {
    let app = TestApp::spawn().await;
    let sec = app.user("sec@example.org", Role::Secretariat).await;
    let mut body = open_meeting();
    body["day_zero"] = json!(null);
    body["first_day"] = json!("2025-10-24");
    body["last_day"] = json!("2025-10-27");
    // A past meeting: its call closed before it.
    body["cfp_opens_at"] = json!("2025-03-01T00:00:00Z");
    body["cfp_closes_at"] = json!("2025-06-01T23:59:00Z");
    body["slot_template"] = json!([{"start": "09:00", "duration_min": 60}]);
    let id = app.meeting(&sec, &body).await["id"].as_i64().unwrap();
    let slots = app
        .get(&format!("/api/v1/meetings/{id}/slots"), None)
        .await
        .expect(200);
    let items = slots.body["items"].as_array().unwrap();
    let utc: Vec<&str> = items
        .iter()
        .map(|s| s["starts_at"]["utc"].as_str().unwrap())
        .collect();
    assert_eq!(
        utc,
        vec![
            "2025-10-24T07:00:00Z",
            "2025-10-25T07:00:00Z",
            "2025-10-26T08:00:00Z",
            "2025-10-27T08:00:00Z"
        ]
    );
    let local: Vec<&str> = items
        .iter()
        .map(|s| s["starts_at"]["local"].as_str().unwrap())
        .collect();
    assert_eq!(local[1], "2025-10-25T09:00:00+02:00");
    assert_eq!(local[2], "2025-10-26T09:00:00+01:00");
    assert!(items.iter().all(|s| s["duration_min"] == 60));
}

#[actix_web::test]
async fn the_deadline_is_stored_in_utc_whatever_offset_it_was_given_in() {
    let app = TestApp::spawn().await;
    let sec = app.user("sec@example.org", Role::Secretariat).await;
    let mut body = open_meeting();
    body["cfp_opens_at"] = json!("2027-01-01T09:00:00+09:00");
    body["cfp_closes_at"] = json!("2027-03-17T00:59:00+01:00");
    let m = app.meeting(&sec, &body).await;
    assert_eq!(m["cfp"]["opens_at"]["utc"], "2027-01-01T00:00:00Z");
    assert_eq!(m["cfp"]["closes_at"]["utc"], "2027-03-16T23:59:00Z");
    assert_eq!(m["cfp"]["closes_at"]["local"], "2027-03-17T00:59:00+01:00");
}

#[actix_web::test]
async fn a_bad_meeting_lists_every_problem_and_writes_nothing() {
    let app = TestApp::spawn().await;
    let sec = app.user("sec@example.org", Role::Secretariat).await;
    let mut body = open_meeting();
    body["timezone"] = json!("Europe/Atlantis");
    body["last_day"] = json!("2027-06-01");
    body["themes"] =
        json!([{"name": "A", "target_share": 0.8}, {"name": "a", "target_share": 0.4}]);
    body["slot_template"] = json!([{"start": "25:00", "duration_min": 60}]);
    let r = app
        .post("/api/v1/meetings", Some(&sec), &body)
        .await
        .expect(422);
    r.has_rules(&[
        ("timezone", "timezone"),
        ("last_day", "order"),
        ("themes[1].name", "unique"),
        ("themes", "share_sum"),
        ("slot_template[0].start", "time"),
    ]);
    assert_eq!(
        app.get("/api/v1/meetings", Some(&sec))
            .await
            .expect(200)
            .body["total"],
        0
    );
}

#[actix_web::test]
async fn a_slot_start_skipped_by_dst_is_refused_with_the_entry() {
    let app = TestApp::spawn().await;
    let sec = app.user("sec@example.org", Role::Secretariat).await;
    let mut body = open_meeting();
    body["day_zero"] = json!(null);
    body["first_day"] = json!("2027-03-28");
    body["last_day"] = json!("2027-03-28");
    body["slot_template"] = json!([{"start": "02:30", "duration_min": 30}]);
    let r = app
        .post("/api/v1/meetings", Some(&sec), &body)
        .await
        .expect(422);
    r.only_rule("slot_template[0].start", "local_time");
}

#[actix_web::test]
async fn meeting_writes_are_audited_with_what_changed() {
    let app = TestApp::spawn().await;
    let sec = app.user("sec@example.org", Role::Secretariat).await;
    let id = app.meeting(&sec, &open_meeting()).await["id"]
        .as_i64()
        .unwrap();
    app.patch(
        &format!("/api/v1/meetings/{id}"),
        Some(&sec),
        &json!({"venue": "Oslo Spektrum"}),
    )
    .await
    .expect(200);
    let a = app
        .get(
            &format!("/api/v1/audit?entity_type=meeting&entity_id={id}"),
            Some(&sec),
        )
        .await
        .expect(200);
    let items = a.body["items"].as_array().unwrap();
    assert_eq!(items.len(), 2);
    assert_eq!(items[0]["action"], "meeting.update");
    assert_eq!(
        items[0]["changes"]["venue"],
        json!({"from": "Lillestrøm", "to": "Oslo Spektrum"})
    );
    assert_eq!(items[1]["action"], "meeting.create");
    let prop = app.proposer("pat@example.org").await;
    app.get("/api/v1/audit", Some(&prop)).await.expect(403);
}

#[actix_web::test]
async fn an_empty_meeting_is_deleted_and_one_with_proposals_is_archived_not_lost() {
    let app = TestApp::spawn().await;
    let sec = app.user("sec@example.org", Role::Secretariat).await;
    let empty = app.meeting(&sec, &open_meeting()).await["id"]
        .as_i64()
        .unwrap();
    let path = format!("/api/v1/meetings/{empty}");
    let prop = app.proposer("pat@example.org").await;
    app.send("DELETE", &path, Some(&prop), None, &[])
        .await
        .expect(403);
    app.send("DELETE", &path, Some(&sec), None, &[])
        .await
        .expect(204);
    app.get(&path, Some(&sec)).await.expect(404);

    let m = app.meeting(&sec, &open_meeting()).await;
    let id = m["id"].as_i64().unwrap();
    let proposal = app
        .post(
            &format!("/api/v1/meetings/{id}/proposals"),
            Some(&prop),
            &crate::helpers::complete_proposal(m["themes"][0]["id"].as_i64().unwrap()),
        )
        .await
        .expect(201)
        .body["id"]
        .as_i64()
        .unwrap();
    let path = format!("/api/v1/meetings/{id}");
    let kept = app
        .send("DELETE", &path, Some(&sec), None, &[])
        .await
        .expect(200)
        .body;
    assert!(kept["archived_at"].is_string(), "{kept}");
    // Kept whole and readable, out of the default list.
    app.get(&path, None).await.expect(200);
    app.get(&format!("/api/v1/proposals/{proposal}"), Some(&prop))
        .await
        .expect(200);
    let ids = |v: &Value| -> Vec<i64> {
        v["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| m["id"].as_i64().unwrap())
            .collect()
    };
    let listed = app.get("/api/v1/meetings", None).await.expect(200).body;
    assert!(!ids(&listed).contains(&id), "{listed}");
    let all = app
        .get("/api/v1/meetings?archived=true", None)
        .await
        .expect(200)
        .body;
    assert!(ids(&all).contains(&id));
    // Archiving again changes nothing.
    let again = app
        .send("DELETE", &path, Some(&sec), None, &[])
        .await
        .expect(200)
        .body;
    assert_eq!(again["archived_at"], kept["archived_at"]);
}

#[actix_web::test]
async fn a_current_meeting_name_is_taken_once_and_an_archived_meeting_is_read_only() {
    let app = TestApp::spawn().await;
    let sec = app.user("sec@example.org", Role::Secretariat).await;
    let mut body = open_meeting();
    body["name"] = json!("IGF Kathmandu");
    let first = app.meeting(&sec, &body).await;
    let id = first["id"].as_i64().unwrap();
    body["name"] = json!("  igf KATHMANDU ");
    let r = app
        .post("/api/v1/meetings", Some(&sec), &body)
        .await
        .expect(409);
    assert_eq!(r.code(), "duplicate_name");
    let other = app.meeting(&sec, &open_meeting()).await["id"]
        .as_i64()
        .unwrap();
    let r = app
        .patch(
            &format!("/api/v1/meetings/{other}"),
            Some(&sec),
            &json!({"name": "IGF Kathmandu"}),
        )
        .await
        .expect(409);
    assert_eq!(r.code(), "duplicate_name");

    // Archived, the meeting is read-only: its shape and its call alike.
    let path = format!("/api/v1/meetings/{id}");
    let archived = app
        .patch(&path, Some(&sec), &json!({"archived": true}))
        .await
        .expect(200)
        .body;
    assert!(archived["archived_at"].is_string(), "{archived}");
    let r = app
        .patch(&path, Some(&sec), &json!({"venue": "Pokhara"}))
        .await
        .expect(409);
    assert_eq!(r.code(), "archived");
    let r = app
        .post(
            &format!("{path}/rooms"),
            Some(&sec),
            &json!({"name": "Room 9", "capacity": 40, "hybrid": false, "layout": "classroom"}),
        )
        .await
        .expect(409);
    assert_eq!(r.code(), "archived");
    let prop = app.proposer("pat@example.org").await;
    let theme = first["themes"][0]["id"].as_i64().unwrap();
    let r = app
        .post(
            &format!("{path}/proposals"),
            Some(&prop),
            &crate::helpers::complete_proposal(theme),
        )
        .await;
    assert!(r.status == 409 || r.status == 404, "{:?}", r.body);
    let unchanged = app.get(&path, Some(&sec)).await.expect(200).body;
    assert_eq!(unchanged["venue"], first["venue"]);
    assert_eq!(unchanged["rooms"], first["rooms"]);
    // Its name is free while it is archived; restoring it needs the name back.
    body["name"] = json!("IGF Kathmandu");
    let twin = app.meeting(&sec, &body).await["id"].as_i64().unwrap();
    let r = app
        .patch(&path, Some(&sec), &json!({"archived": false}))
        .await
        .expect(409);
    assert_eq!(r.code(), "duplicate_name");
    app.patch(
        &format!("/api/v1/meetings/{twin}"),
        Some(&sec),
        &json!({"name": "IGF Kathmandu (copy)"}),
    )
    .await
    .expect(200);
    let restored = app
        .patch(
            &path,
            Some(&sec),
            &json!({"archived": false, "venue": "Pokhara"}),
        )
        .await
        .expect(200)
        .body;
    assert!(restored["archived_at"].is_null(), "{restored}");
    assert_eq!(restored["venue"], "Pokhara");
}

#[actix_web::test]
async fn a_corrected_venue_zone_keeps_the_programme_wall_clock_times() {
    let app = TestApp::spawn().await;
    let sec = app.user("sec@example.org", Role::Secretariat).await;
    let m = app.meeting(&sec, &open_meeting()).await;
    let id = m["id"].as_i64().unwrap();
    let slots = |v: &Value| -> Vec<(String, String)> {
        v["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| {
                (
                    s["starts_at"]["local"].as_str().unwrap().to_string(),
                    s["starts_at"]["utc"].as_str().unwrap().to_string(),
                )
            })
            .collect()
    };
    let before = slots(
        &app.get(&format!("/api/v1/meetings/{id}/slots"), Some(&sec))
            .await
            .expect(200)
            .body,
    );
    let path = format!("/api/v1/meetings/{id}");
    let r = app
        .patch(&path, Some(&sec), &json!({"timezone": "Asia/Katmandoo"}))
        .await
        .expect(422);
    r.only_rule("timezone", "timezone");
    let changed = app
        .patch(&path, Some(&sec), &json!({"timezone": "Asia/Kathmandu"}))
        .await
        .expect(200)
        .body;
    assert_eq!(changed["timezone"], "Asia/Kathmandu");
    let after = slots(
        &app.get(&format!("/api/v1/meetings/{id}/slots"), Some(&sec))
            .await
            .expect(200)
            .body,
    );
    assert_eq!(before.len(), after.len());
    for (b, a) in before.iter().zip(&after) {
        // The same wall-clock time, now in Nepal (UTC+05:45) rather than Norway (+02:00).
        assert_eq!(b.0[..19], a.0[..19], "{b:?} {a:?}");
        assert!(a.0.ends_with("+05:45"), "{a:?}");
        let (bu, au) = (
            chrono::DateTime::parse_from_rfc3339(&b.1).unwrap(),
            chrono::DateTime::parse_from_rfc3339(&a.1).unwrap(),
        );
        assert_eq!((bu - au).num_minutes(), 225, "{b:?} {a:?}");
    }
}

#[actix_web::test]
async fn screening_rules_change_one_at_a_time_and_no_body_means_no_change() {
    let app = TestApp::spawn().await;
    let sec = app.user("sec@example.org", Role::Secretariat).await;
    let m = app.meeting(&sec, &open_meeting()).await;
    let path = format!("/api/v1/meetings/{}", m["id"]);
    let rules = app
        .patch(
            &path,
            Some(&sec),
            &json!({"screening": {"min_speakers": 5}}),
        )
        .await
        .expect(200)
        .body["screening"]
        .clone();
    let mut expected = m["screening"].clone();
    expected["min_speakers"] = json!(5);
    assert_eq!(rules, expected);
    let rules = app
        .patch(
            &path,
            Some(&sec),
            &json!({"screening": {"min_onsite_speakers": null, "speaker_gender_mix": false}}),
        )
        .await
        .expect(200)
        .body["screening"]
        .clone();
    expected["min_onsite_speakers"] = Value::Null;
    expected["speaker_gender_mix"] = json!(false);
    assert_eq!(rules, expected);
    let r = app
        .patch(
            &path,
            Some(&sec),
            &json!({"screening": {"min_speakers": "five", "gender_mix": true}}),
        )
        .await
        .expect(422);
    r.has_rules(&[
        ("screening.min_speakers", "type"),
        ("screening.gender_mix", "unknown_field"),
    ]);
    // Every field is optional, so no body at all is no change.
    let v = app
        .send("PATCH", &path, Some(&sec), None, &[])
        .await
        .expect(200)
        .body;
    assert_eq!(v["screening"], expected);
}
