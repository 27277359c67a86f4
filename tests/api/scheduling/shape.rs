//! A meeting's shape stays editable after sessions exist: rooms, themes, session types
//! and slots are added, changed and removed; what sessions, proposals, pins or
//! versions use is refused by name, and a change that leaves placed sessions breaking
//! a rule lists them for repair.

use super::*;
use crate::helpers::{open_meeting, person};
use igf_scheduler::auth::Role;

#[actix_web::test]
async fn rooms_themes_types_and_slots_change_after_sessions_are_placed() {
    let app = TestApp::spawn().await;
    let sec = app.user("sec@example.org", Role::Secretariat).await;
    let meeting = app.meeting(&sec, &open_meeting()).await;
    let m = meeting["id"].as_i64().unwrap();
    let plenary = meeting["rooms"][0]["id"].as_i64().unwrap();
    let trust = meeting["themes"][0]["id"].as_i64().unwrap();
    let rooms = format!("/api/v1/meetings/{m}/rooms");

    // Rooms: added, checked, a duplicate refused without regard to case.
    let r = app
        .post(
            &rooms,
            Some(&sec),
            &json!({"name": "Room 2", "capacity": 50, "hybrid": false, "layout": "classroom"}),
        )
        .await
        .expect(201)
        .body;
    let room2 = r["id"].as_i64().unwrap();
    let dup = app
        .post(
            &rooms,
            Some(&sec),
            &json!({"name": "plenary", "capacity": 50, "hybrid": true, "layout": "classroom"}),
        )
        .await
        .expect(409);
    assert_eq!(dup.code(), "duplicate_name");
    app.post(
        &rooms,
        Some(&sec),
        &json!({"name": " ", "capacity": 0, "hybrid": true, "layout": "classroom"}),
    )
    .await
    .expect(422)
    .has_rules(&[("name", "required"), ("capacity", "range")]);
    let listed = app.get(&rooms, Some(&sec)).await.expect(200).body;
    assert_eq!(listed["items"].as_array().unwrap().len(), 3);

    // Themes: the shares of the whole programme never add up to more than it.
    let themes = format!("/api/v1/meetings/{m}/themes");
    app.post(
        &themes,
        Some(&sec),
        &json!({"name": "Youth", "target_share": 0.2}),
    )
    .await
    .expect(422)
    .only_rule("target_share", "share_sum");
    app.patch(
        &format!("/api/v1/themes/{trust}"),
        Some(&sec),
        &json!({"target_share": 0.3}),
    )
    .await
    .expect(200);
    let youth = app
        .post(
            &themes,
            Some(&sec),
            &json!({"name": "Youth", "target_share": 0.2}),
        )
        .await
        .expect(201)
        .body["id"]
        .as_i64()
        .unwrap();
    app.patch(
        &format!("/api/v1/themes/{youth}"),
        Some(&sec),
        &json!({"target_share": 0.4}),
    )
    .await
    .expect(422)
    .only_rule("target_share", "share_sum");
    // A body must be an object, not fields by position.
    app.post(&themes, Some(&sec), &json!(["Youth", "x", 0.1]))
        .await
        .expect(422)
        .only_rule("", "type");
    app.patch(
        &format!("/api/v1/themes/{youth}"),
        Some(&sec),
        &json!({"target_share": 1.5}),
    )
    .await
    .expect(422)
    .only_rule("target_share", "range");
    let r = app
        .patch(
            &format!("/api/v1/themes/{youth}"),
            Some(&sec),
            &json!({"name": "digital TRUST"}),
        )
        .await
        .expect(409);
    assert_eq!(r.code(), "duplicate_name");
    let t = app
        .patch(
            &format!("/api/v1/themes/{youth}"),
            Some(&sec),
            &json!({"name": "Youth voices", "target_share": null}),
        )
        .await
        .expect(200)
        .body;
    assert_eq!(t["target_share"], Value::Null);

    // Session types, with placement rules by room name.
    let types = format!("/api/v1/meetings/{m}/session-types");
    app.post(
        &types,
        Some(&sec),
        &json!({"code": "youth_forum", "name": "Youth forum", "durations": [60],
                "placement": {"days": "any", "rooms": ["Nowhere"]}}),
    )
    .await
    .expect(422)
    .only_rule("placement.rooms[0]", "exists");
    let yf = app
        .post(
            &types,
            Some(&sec),
            &json!({"code": "youth_forum", "name": "Youth forum", "durations": [60],
                    "placement": {"days": "any", "rooms": ["Room 2"]}}),
        )
        .await
        .expect(201)
        .body;
    assert_eq!(yf["placement"]["room_ids"], json!([room2]));
    assert_eq!(yf["from_call"], true);

    // A session placed by a solve.
    let s = app
        .post(
            &format!("/api/v1/meetings/{m}/sessions"),
            Some(&sec),
            &json!({"session_type": "workshop", "title": "Cables", "duration_min": 90,
                    "expected_attendance": 40, "hybrid": true, "theme_id": trust,
                    "people": [person("speaker", "Ben Kim", "male", "onsite")]}),
        )
        .await
        .expect(201)
        .body;
    let d = Demo {
        app,
        sec: sec.clone(),
        meeting: m,
    };
    let job = d.run_job(&json!({"time_limit_seconds": 1})).await;
    assert_eq!(job["unplaced"], json!([]), "{job}");
    let version = d
        .app
        .get(
            &format!("/api/v1/schedules/{}", job["version_id"]),
            Some(&sec),
        )
        .await
        .expect(200)
        .body;
    let placed = &version["placements"][0];
    assert_eq!(placed["room_id"], plenary, "the only hybrid room");
    let (room, slot) = (
        placed["room_id"].as_i64().unwrap(),
        placed["slot_id"].as_i64().unwrap(),
    );

    // What sessions and versions use is refused by name; nothing changes.
    let r = d
        .app
        .send(
            "DELETE",
            &format!("/api/v1/rooms/{room}"),
            Some(&sec),
            None,
            &[],
        )
        .await
        .expect(409);
    assert_eq!(r.code(), "in_use");
    let why = r.body["detail"].as_str().unwrap();
    assert!(why.contains(&format!("sessions {}", s["id"])), "{why}");
    assert!(
        why.contains(&format!("schedule versions {}", job["version_id"])),
        "{why}"
    );
    let r = d
        .app
        .send(
            "DELETE",
            &format!("/api/v1/slots/{slot}"),
            Some(&sec),
            None,
            &[],
        )
        .await
        .expect(409);
    assert_eq!(r.code(), "in_use");
    let r = d
        .app
        .send(
            "DELETE",
            &format!("/api/v1/themes/{trust}"),
            Some(&sec),
            None,
            &[],
        )
        .await
        .expect(409);
    assert!(
        r.body["detail"].as_str().unwrap().contains("sessions"),
        "{}",
        r.body
    );
    let workshop = meeting["session_types"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["code"] == "workshop")
        .unwrap()["id"]
        .as_i64()
        .unwrap();
    let r = d
        .app
        .patch(
            &format!("/api/v1/session-types/{workshop}"),
            Some(&sec),
            &json!({"durations": [60]}),
        )
        .await
        .expect(409);
    assert!(
        r.body["detail"]
            .as_str()
            .unwrap()
            .contains(&format!("sessions {}", s["id"]))
    );

    // A change that breaks the placed session is made and lists it for repair.
    let r = d
        .app
        .patch(
            &format!("/api/v1/rooms/{room}"),
            Some(&sec),
            &json!({"capacity": 10}),
        )
        .await
        .expect(200)
        .body;
    assert_eq!(r["room"]["capacity"], 10);
    assert_eq!(r["needs_repair"][0]["session_id"], s["id"], "{r}");
    assert!(
        r["needs_repair"][0]["reason"]
            .as_str()
            .unwrap()
            .contains("expects 40")
    );
    let r = d
        .app
        .patch(
            &format!("/api/v1/slots/{slot}"),
            Some(&sec),
            &json!({"duration_min": 30}),
        )
        .await
        .expect(200)
        .body;
    assert_eq!(r["slot"]["duration_min"], 30);
    assert_eq!(r["needs_repair"][0]["session_id"], s["id"], "{r}");
    // The next solve answers to the new shape: the only hybrid room seats 10 and says
    // so; given its seats back, the session goes where it now fits.
    let job = d.run_job(&json!({"time_limit_seconds": 1})).await;
    assert_eq!(
        job["unplaced"][0]["reasons"],
        json!(["no room seats 40 with hybrid equipment"])
    );
    d.app
        .patch(
            &format!("/api/v1/rooms/{room}"),
            Some(&sec),
            &json!({"capacity": 1000}),
        )
        .await
        .expect(200);
    let job = d.run_job(&json!({"time_limit_seconds": 1})).await;
    assert_eq!(job["unplaced"], json!([]), "{job}");
    let v = d
        .app
        .get(
            &format!("/api/v1/schedules/{}", job["version_id"]),
            Some(&sec),
        )
        .await
        .expect(200)
        .body;
    assert_ne!(v["placements"][0]["slot_id"], json!(slot));
    assert_eq!(v["hard"], 0);

    // Slots: added in venue time, a duplicate and bad input refused.
    let slots = format!("/api/v1/meetings/{m}/slots");
    let new = d
        .app
        .post(
            &slots,
            Some(&sec),
            &json!({"day_number": 1, "start": "16:00", "duration_min": 90}),
        )
        .await
        .expect(201)
        .body;
    assert_eq!(new["starts_at"]["utc"], "2027-06-22T14:00:00Z", "{new}");
    let r = d
        .app
        .post(
            &slots,
            Some(&sec),
            &json!({"day_number": 1, "start": "16:00", "duration_min": 90}),
        )
        .await
        .expect(409);
    assert_eq!(r.code(), "duplicate_slot");
    // Slots of a day never overlap, nor run past its midnight, as in a template.
    d.app
        .post(
            &slots,
            Some(&sec),
            &json!({"day_number": 1, "start": "16:30", "duration_min": 30}),
        )
        .await
        .expect(422)
        .only_rule("start", "overlap");
    d.app
        .post(
            &slots,
            Some(&sec),
            &json!({"day_number": 1, "start": "23:30", "duration_min": 120}),
        )
        .await
        .expect(422)
        .only_rule("duration_min", "same_day");
    d.app
        .patch(
            &format!("/api/v1/slots/{}", new["id"]),
            Some(&sec),
            &json!({"start": "10:00"}),
        )
        .await
        .expect(422)
        .only_rule("start", "overlap");
    d.app
        .post(
            &slots,
            Some(&sec),
            &json!({"day_number": 9, "start": "25:00", "duration_min": 1}),
        )
        .await
        .expect(422)
        .has_rules(&[("day_number", "exists"), ("duration_min", "range")]);
    d.app
        .send(
            "DELETE",
            &format!("/api/v1/slots/{}", new["id"]),
            Some(&sec),
            None,
            &[],
        )
        .await
        .expect(204);
    // An unused room and type go; the rooms of a type's rules follow.
    d.app
        .send(
            "DELETE",
            &format!("/api/v1/rooms/{room2}"),
            Some(&sec),
            None,
            &[],
        )
        .await
        .expect(204);
    let types_now = d.app.get(&types, Some(&sec)).await.expect(200).body;
    let yf_now = types_now["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["code"] == "youth_forum")
        .unwrap();
    assert!(yf_now["placement"].get("room_ids").is_none(), "{yf_now}");
    d.app
        .send(
            "DELETE",
            &format!("/api/v1/session-types/{}", yf["id"]),
            Some(&sec),
            None,
            &[],
        )
        .await
        .expect(204);

    // Days: the one the session is placed on stays; another is added with a day's
    // slots, moved and retired.
    let placed_slot = v["placements"][0]["slot_id"].as_i64().unwrap();
    let all_slots = d.slots().await;
    let on_day = all_slots.iter().find(|x| x["id"] == placed_slot).unwrap()["day_number"]
        .as_i64()
        .unwrap();
    let days = format!("/api/v1/meetings/{m}/days");
    let r = d
        .app
        .send("DELETE", &format!("{days}/{on_day}"), Some(&sec), None, &[])
        .await
        .expect(409);
    assert_eq!(r.code(), "in_use");
    assert!(
        r.body["detail"]
            .as_str()
            .unwrap()
            .contains(&format!("{}", s["id"])),
        "{}",
        r.body
    );
    let listed = d.app.get(&days, None).await.expect(200).body;
    let day3 = listed["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["number"] == 3)
        .unwrap()
        .clone();
    let four = d
        .app
        .post(
            &days,
            Some(&sec),
            &json!({"number": 4, "date": "2027-06-25", "copy_slots_from": 3}),
        )
        .await
        .expect(201)
        .body;
    assert_eq!(four["slots"], day3["slots"], "{four} {day3}");
    assert_eq!(four["label"], "Day 4");
    let r = d
        .app
        .post(
            &days,
            Some(&sec),
            &json!({"number": 4, "date": "2027-06-26"}),
        )
        .await
        .expect(409);
    assert_eq!(r.code(), "duplicate_name");
    d.app
        .post(
            &days,
            Some(&sec),
            &json!({"number": 5, "date": "2027-06-20", "copy_slots_from": 9}),
        )
        .await
        .expect(422)
        .has_rules(&[("date", "order"), ("copy_slots_from", "exists")]);
    d.app
        .post(
            &days,
            Some(&sec),
            &json!({"number": "five", "date": "June"}),
        )
        .await
        .expect(422)
        .has_rules(&[("number", "type"), ("date", "type")]);
    let local = |day: i64| -> Vec<String> {
        let mut v: Vec<String> = all_slots
            .iter()
            .filter(|x| x["day_number"] == day)
            .map(|x| x["starts_at"]["local"].as_str().unwrap()[11..].to_string())
            .collect();
        v.sort();
        v
    };
    let day3_times = local(3);
    let moved = d
        .app
        .patch(
            &format!("{days}/4"),
            Some(&sec),
            &json!({"date": "2027-06-28"}),
        )
        .await
        .expect(200)
        .body;
    assert_eq!(moved["date"], "2027-06-28");
    let after: Vec<Value> = d.slots().await;
    let mut day4: Vec<String> = after
        .iter()
        .filter(|x| x["day_number"] == 4)
        .map(|x| {
            let l = x["starts_at"]["local"].as_str().unwrap();
            assert!(l.starts_with("2027-06-28"), "{x}");
            l[11..].to_string()
        })
        .collect();
    day4.sort();
    assert_eq!(day4, day3_times);
    d.app
        .send("DELETE", &format!("{days}/4"), Some(&sec), None, &[])
        .await
        .expect(204);
    d.app
        .send("DELETE", &format!("{days}/4"), Some(&sec), None, &[])
        .await
        .expect(404);
    assert_eq!(d.slots().await.len(), all_slots.len());
}

#[actix_web::test]
async fn a_meeting_with_only_a_draft_schedule_is_deleted_whole() {
    let app = TestApp::spawn().await;
    let sec = app.user("sec@example.org", Role::Secretariat).await;
    let meeting = app.meeting(&sec, &open_meeting()).await;
    let m = meeting["id"].as_i64().unwrap();
    app.post(
        &format!("/api/v1/meetings/{m}/sessions"),
        Some(&sec),
        &json!({"session_type": "workshop", "title": "Cables", "duration_min": 60,
                "expected_attendance": 20, "hybrid": false,
                "people": [person("speaker", "Ben Kim", "male", "onsite")]}),
    )
    .await
    .expect(201);
    let d = Demo {
        app,
        sec: sec.clone(),
        meeting: m,
    };
    let job = d.run_job(&json!({"time_limit_seconds": 1})).await;
    assert!(job["version_id"].is_i64(), "{job}");
    d.app
        .send(
            "DELETE",
            &format!("/api/v1/meetings/{m}"),
            Some(&sec),
            None,
            &[],
        )
        .await
        .expect(204);
    d.app
        .get(&format!("/api/v1/meetings/{m}"), Some(&sec))
        .await
        .expect(404);
    d.app
        .get(
            &format!("/api/v1/schedules/{}", job["version_id"]),
            Some(&sec),
        )
        .await
        .expect(404);
}

#[actix_web::test]
async fn a_meeting_needs_a_room_and_a_slot_and_a_call_that_closes_before_it() {
    let app = TestApp::spawn().await;
    let sec = app.user("sec@example.org", Role::Secretariat).await;
    let mut body = open_meeting();
    body["rooms"] = json!([]);
    body["slot_template"] = json!([]);
    body["cfp_closes_at"] = json!("2027-06-21T10:00:00+02:00");
    app.post("/api/v1/meetings", Some(&sec), &body)
        .await
        .expect(422)
        .has_rules(&[
            ("rooms", "min_items"),
            ("slot_template", "min_items"),
            ("cfp_closes_at", "before_meeting"),
        ]);
    let mut one = open_meeting();
    one["rooms"] =
        json!([{"name": "Only", "capacity": 10, "hybrid": false, "layout": "boardroom"}]);
    let m = app.meeting(&sec, &one).await;
    let r = app
        .send(
            "DELETE",
            &format!("/api/v1/rooms/{}", m["rooms"][0]["id"]),
            Some(&sec),
            None,
            &[],
        )
        .await
        .expect(409);
    assert_eq!(r.code(), "last_one");
}
