//! Closed rooms, absent people and remote hubs.

use super::*;

#[actix_web::test]
async fn closed_rooms_and_absent_people_are_respected_and_hubs_get_their_agenda() {
    let d = demo().await;
    let v1 = published(&d).await;
    let m = d.meeting;
    let path = format!("/api/v1/meetings/{m}/unavailability");
    let first = &v1["placements"][0];
    let room = first["room_id"].as_i64().unwrap();
    // A speaker of that session is away on its day; its room is closed all meeting.
    let session = d
        .app
        .get(
            &format!("/api/v1/sessions/{}", first["session_id"]),
            Some(&d.sec),
        )
        .await
        .expect(200)
        .body;
    let speaker = session["people"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["role"] == "speaker")
        .unwrap()["email"]
        .as_str()
        .unwrap()
        .to_string();
    let start = instant(&first["starts_at_utc"]);
    d.app
        .post(
            &path,
            Some(&d.sec),
            &json!({"room_id": room, "email": speaker, "starts_at": start.to_rfc3339(), "ends_at": start.to_rfc3339()}),
        )
        .await
        .expect(422)
        .has_rules(&[("room_id", "one_of"), ("ends_at", "order")]);
    d.app
        .post(
            &path,
            Some(&d.sec),
            &json!({"room_id": room, "starts_at": "2027-06-20T00:00:00Z", "ends_at": "2027-06-27T00:00:00Z", "reason": "Flooded"}),
        )
        .await
        .expect(201);
    let away = d
        .app
        .post(
            &path,
            Some(&d.sec),
            &json!({"email": speaker, "starts_at": (start - chrono::Duration::hours(1)).to_rfc3339(),
                    "ends_at": (start + chrono::Duration::hours(3)).to_rfc3339(), "reason": "Travel"}),
        )
        .await
        .expect(201);
    assert_eq!(d.app.total(&path, Some(&d.sec)).await, 2);
    // The published schedule now breaks both; a repair moves what it must.
    assert!(!independent_check(&d, &v1).await.is_empty());
    let job = d
        .run_job(&json!({"kind": "repair", "time_limit_seconds": 2}))
        .await;
    assert_eq!(job["status"], "succeeded", "{job}");
    let v2 = d
        .app
        .get(
            &format!("/api/v1/schedules/{}", job["version_id"]),
            Some(&d.sec),
        )
        .await
        .expect(200)
        .body;
    assert_eq!(v2["hard"], 0);
    let problems = independent_check(&d, &v2).await;
    assert!(problems.is_empty(), "{problems:?}");
    let moved = v2["stats"]["moves_from_previous"].as_array().unwrap().len();
    let in_room = v1["placements"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["room_id"] == room)
        .count();
    assert!(
        moved >= in_room,
        "{moved} moves, {in_room} sessions had to leave the room"
    );
    assert!(
        moved <= in_room + 3,
        "{moved} moves for {in_room} forced ones"
    );
    // Deleting a period works once.
    let id = away.body["id"].as_i64().unwrap();
    d.app
        .send(
            "DELETE",
            &format!("/api/v1/unavailability/{id}"),
            Some(&d.sec),
            None,
            &[],
        )
        .await
        .expect(204);
    d.app
        .send(
            "DELETE",
            &format!("/api/v1/unavailability/{id}"),
            Some(&d.sec),
            None,
            &[],
        )
        .await
        .expect(404);

    // A remote hub in Nairobi follows two sessions, in its own time.
    let hubs = format!("/api/v1/meetings/{m}/hubs");
    d.app
        .post(
            &hubs,
            Some(&d.sec),
            &json!({"name": "", "city": "Nairobi", "country": "Kenya", "timezone": "Africa/Nairobbi", "contact_email": "nope"}),
        )
        .await
        .expect(422)
        .has_rules(&[
            ("name", "required"),
            ("country", "country_code"),
            ("timezone", "timezone"),
            ("contact_email", "email"),
        ]);
    let hub = d
        .app
        .post(
            &hubs,
            Some(&d.sec),
            &json!({"name": "KICTANet hub", "city": "Nairobi", "country": "KE", "timezone": "Africa/Nairobi", "contact_email": "hub@example.org"}),
        )
        .await
        .expect(201)
        .body;
    let hub_id = hub["id"].as_i64().unwrap();
    let followed: Vec<i64> = v1["placements"]
        .as_array()
        .unwrap()
        .iter()
        .skip(5)
        .take(2)
        .map(|p| p["session_id"].as_i64().unwrap())
        .collect();
    d.app
        .send(
            "PUT",
            &format!("/api/v1/hubs/{hub_id}/sessions"),
            Some(&d.sec),
            Some(&json!({"session_ids": [999999]})),
            &[],
        )
        .await
        .expect(422)
        .only_rule("session_ids[0]", "exists");
    d.app
        .send(
            "PUT",
            &format!("/api/v1/hubs/{hub_id}/sessions"),
            Some(&d.sec),
            Some(&json!({"session_ids": followed})),
            &[],
        )
        .await
        .expect(200);
    let public = d.app.get(&hubs, None).await.expect(200);
    assert!(!public.body.to_string().contains("hub@example.org"));
    let agenda = d
        .app
        .get(&format!("/api/v1/hubs/{hub_id}/agenda"), None)
        .await
        .expect(200)
        .body;
    assert!(agenda["hub"].get("contact_email").is_none());
    let items = agenda["programme"]["sessions"].as_array().unwrap();
    assert_eq!(items.len(), 2);
    for s in items {
        assert!(followed.contains(&s["session_id"].as_i64().unwrap()));
        assert!(
            s["starts_at_local"].as_str().unwrap().ends_with("+03:00"),
            "{s}"
        );
        assert_eq!(instant(&s["starts_at_local"]), instant(&s["starts_at_utc"]));
    }
}
