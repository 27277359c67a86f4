//! Manual moves: refused on a hard rule, otherwise a draft with its cost.

use super::*;

#[actix_web::test]
async fn a_manual_move_is_refused_on_a_hard_rule_and_otherwise_makes_a_draft_with_its_cost() {
    let d = demo().await;
    let v1 = published(&d).await;
    let id1 = v1["id"].as_i64().unwrap();
    let placements = v1["placements"].as_array().unwrap().clone();
    let moves = format!("/api/v1/schedules/{id1}/moves");
    // Into a room that is taken at that time: refused, with the reason.
    let a = &placements[0];
    let b = placements
        .iter()
        .find(|p| p["slot_id"] == a["slot_id"] && p["room_id"] != a["room_id"])
        .expect("two sessions in one slot");
    let r = d
        .app
        .post(
            &moves,
            Some(&d.sec),
            &json!({"moves": [{"session_id": a["session_id"], "room_id": b["room_id"], "slot_id": b["slot_id"]}]}),
        )
        .await
        .expect(422);
    assert_eq!(r.code(), "hard_violation");
    assert_eq!(r.body["errors"][0]["field"], "moves[0]");
    assert!(!r.body["errors"][0]["message"].as_str().unwrap().is_empty());
    d.app
        .post(
            &moves,
            Some(&d.sec),
            &json!({"moves": [{"session_id": 999999, "room_id": 999999, "slot_id": 999999}]}),
        )
        .await
        .expect(422)
        .has_rules(&[
            ("moves[0].session_id", "active_session"),
            ("moves[0].room_id", "exists"),
            ("moves[0].slot_id", "exists"),
        ]);
    // Somewhere free: try each free room and slot of a middle day (Day 0 and the
    // ceremonies' days have placement rules of their own) until the rules allow one.
    let meeting = d.meeting_json().await;
    let slots: Vec<i64> = d
        .slots()
        .await
        .iter()
        .filter(|s| s["day_number"] == 2)
        .map(|s| s["id"].as_i64().unwrap())
        .collect();
    let taken: BTreeSet<(i64, i64)> = placements
        .iter()
        .map(|p| {
            (
                p["room_id"].as_i64().unwrap(),
                p["slot_id"].as_i64().unwrap(),
            )
        })
        .collect();
    let mut made = None;
    let (mut refused, mut tried) = (0, 0);
    'search: for slot in &slots {
        for room in meeting["rooms"].as_array().unwrap() {
            let room = room["id"].as_i64().unwrap();
            if taken.contains(&(room, *slot)) {
                continue;
            }
            tried += 1;
            let r = d
                .app
                .post(
                    &moves,
                    Some(&d.sec),
                    &json!({"moves": [{"session_id": a["session_id"], "room_id": room, "slot_id": slot}]}),
                )
                .await;
            match r.status.as_u16() {
                201 => {
                    made = Some(r.body);
                    break 'search;
                }
                422 => {
                    assert_eq!(r.code(), "hard_violation");
                    refused += 1;
                }
                other => panic!("{other}: {}", r.body),
            }
            if tried > 60 {
                break 'search;
            }
        }
    }
    let made = made.unwrap_or_else(|| panic!("no free place accepted after {refused} refusals"));
    let v2 = &made["version"];
    assert_eq!(v2["source"], "edit");
    assert_eq!(v2["parent_id"], id1);
    assert_eq!(v2["hard"], 0);
    assert!(made["soft_delta"].is_i64());
    assert_eq!(
        v2["soft"].as_i64().unwrap() - v1["soft"].as_i64().unwrap(),
        made["soft_delta"].as_i64().unwrap()
    );
    let problems = independent_check(&d, v2).await;
    assert!(problems.is_empty(), "{problems:?}");
    // A move made by someone who has not seen that version is refused, not branched.
    let stale = d
        .app
        .post(
            &moves,
            Some(&d.sec),
            &json!({"moves": [{"session_id": a["session_id"], "room_id": a["room_id"], "slot_id": a["slot_id"]}],
                    "newest_seen": id1}),
        )
        .await
        .expect(409);
    assert_eq!(stale.code(), "changed");
    assert_eq!(stale.body["newest_version_id"], v2["id"]);
    // The diff against the published version shows exactly that move.
    let id2 = v2["id"].as_i64().unwrap();
    let diff = d
        .app
        .get(&format!("/api/v1/schedules/{id2}/diff"), Some(&d.sec))
        .await
        .expect(200)
        .body;
    assert_eq!(diff["from_version"], id1);
    let moved = diff["moved"].as_array().unwrap();
    assert_eq!(moved.len(), 1, "{diff}");
    assert_eq!(moved[0]["session_id"], a["session_id"]);
    assert_eq!(moved[0]["from"]["slot_id"], a["slot_id"]);
    assert_eq!(
        diff["unchanged"].as_u64().unwrap() as usize,
        placements.len() - 1
    );
    assert!(
        diff["added"].as_array().unwrap().is_empty()
            && diff["removed"].as_array().unwrap().is_empty()
    );
    // Pinned there, the session stays there through a fresh solve.
    let target = moved[0]["to"].clone();
    let spath = format!("/api/v1/sessions/{}", a["session_id"]);
    d.app
        .patch(
            &spath,
            Some(&d.sec),
            &json!({"pin": {"room_id": 999999, "slot_id": target["slot_id"]}}),
        )
        .await
        .expect(422)
        .only_rule("pin.room_id", "exists");
    let s = d
        .app
        .patch(
            &spath,
            Some(&d.sec),
            &json!({"pin": {"room_id": target["room_id"], "slot_id": target["slot_id"]}}),
        )
        .await
        .expect(200);
    assert_eq!(s.body["pin"]["room_id"], target["room_id"]);
    let job = d
        .run_job(&json!({"time_limit_seconds": 1, "seed": 7}))
        .await;
    assert_eq!(job["status"], "succeeded", "{job}");
    let v3 = d
        .app
        .get(
            &format!("/api/v1/schedules/{}", job["version_id"]),
            Some(&d.sec),
        )
        .await
        .expect(200)
        .body;
    let placed = v3["placements"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["session_id"] == a["session_id"])
        .unwrap();
    assert_eq!(
        (&placed["room_id"], &placed["slot_id"]),
        (&target["room_id"], &target["slot_id"])
    );
    let s = d
        .app
        .patch(&spath, Some(&d.sec), &json!({"pin": null}))
        .await
        .expect(200);
    assert_eq!(s.body["pin"], Value::Null);
    // The published version itself did not change.
    let again = d
        .app
        .get(&format!("/api/v1/schedules/{id1}"), Some(&d.sec))
        .await
        .expect(200)
        .body;
    assert_eq!(again["placements"], v1["placements"]);
}
