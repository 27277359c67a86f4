//! Two instances on one database, raced: concurrent solve requests queue exactly one
//! job, and forty concurrent manual moves each get their own version number, with no
//! 5xx. On SQLite the write lock serialises; on PostgreSQL the meeting's row and the
//! database's constraints must.

use futures_util::future::join_all;

use super::*;

#[actix_web::test]
async fn two_instances_raced_queue_one_job_and_number_every_version_once() {
    let d = demo().await;
    let v1 = published(&d).await;
    let other = d.app.another().await;
    let id1 = v1["id"].as_i64().unwrap();
    let path = format!("/api/v1/meetings/{}/schedules", d.meeting);
    let body = json!({"time_limit_seconds": 1});
    let asks = (0..10).map(|i| {
        let app = if i % 2 == 0 { &d.app } else { &other };
        app.post(&path, Some(&d.sec), &body)
    });
    let answers = join_all(asks).await;
    let statuses: Vec<u16> = answers.iter().map(|r| r.status.as_u16()).collect();
    assert_eq!(
        statuses.iter().filter(|s| **s == 202).count(),
        1,
        "{statuses:?}"
    );
    for r in answers.iter().filter(|r| r.status.as_u16() != 202) {
        assert_eq!(r.status.as_u16(), 409, "{}", r.body);
        assert_eq!(r.code(), "job_running");
    }
    let queued = answers.iter().find(|r| r.status.as_u16() == 202).unwrap();
    let job = d.wait_job(queued.body["id"].as_i64().unwrap()).await;
    assert_eq!(job["status"], "succeeded", "{job}");

    // One move that is allowed, found one at a time, then sent forty times at once
    // across both instances: each makes its own draft from the published version.
    let meeting = d
        .app
        .get(&format!("/api/v1/meetings/{}", d.meeting), Some(&d.sec))
        .await
        .expect(200)
        .body;
    let placements = v1["placements"].as_array().unwrap();
    let taken: BTreeSet<(i64, i64)> = placements
        .iter()
        .map(|p| {
            (
                p["room_id"].as_i64().unwrap(),
                p["slot_id"].as_i64().unwrap(),
            )
        })
        .collect();
    let slots: BTreeSet<i64> = placements
        .iter()
        .map(|p| p["slot_id"].as_i64().unwrap())
        .collect();
    let moves = format!("/api/v1/schedules/{id1}/moves");
    let mut allowed = None;
    'search: for a in placements.iter().take(20) {
        for slot in &slots {
            for room in meeting["rooms"].as_array().unwrap() {
                let room = room["id"].as_i64().unwrap();
                if taken.contains(&(room, *slot)) {
                    continue;
                }
                let m = json!({"moves": [{"session_id": a["session_id"], "room_id": room, "slot_id": slot}]});
                let r = d.app.post(&moves, Some(&d.sec), &m).await;
                if r.status.as_u16() == 201 {
                    allowed = Some(m);
                    break 'search;
                }
                assert_eq!(r.status.as_u16(), 422, "{}", r.body);
            }
        }
    }
    let allowed = allowed.expect("some move is allowed");
    let sent = (0..40).map(|i| {
        let app = if i % 2 == 0 { &d.app } else { &other };
        app.post(&moves, Some(&d.sec), &allowed)
    });
    let answers = join_all(sent).await;
    let mut numbers = BTreeSet::new();
    for r in &answers {
        assert_eq!(r.status.as_u16(), 201, "{}", r.body);
        assert!(
            numbers.insert(r.body["version"]["number"].as_i64().unwrap()),
            "a version number was given twice: {}",
            r.body
        );
    }
    let listed = d
        .app
        .get(
            &format!("/api/v1/meetings/{}/schedules?per_page=100", d.meeting),
            Some(&d.sec),
        )
        .await
        .expect(200);
    let all: Vec<i64> = listed.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["number"].as_i64().unwrap())
        .collect();
    let distinct: BTreeSet<i64> = all.iter().copied().collect();
    assert_eq!(all.len(), distinct.len(), "{all:?}");
    assert!(numbers.is_subset(&distinct));
}
