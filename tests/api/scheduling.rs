//! Scheduling over HTTP: sessions from the selection, solve jobs on the worker,
//! versions with explanations, publishing, the public programme, cancellation and
//! repair, concurrent edits, and jobs that outlive their instance. Every published
//! schedule is re-checked here from the API's own data, independently of the solver.

use std::collections::{BTreeMap, BTreeSet};
use std::time::Duration;

use chrono::{DateTime, Utc};
use serde_json::{Value, json};

use crate::demo::demo_login;
use crate::helpers::TestApp;

struct Demo {
    app: TestApp,
    sec: String,
    meeting: i64,
}

async fn demo() -> Demo {
    let app = TestApp::spawn().await;
    let pool = app.pool.clone();
    let summary = actix_web::rt::task::spawn_blocking(move || {
        let mut c = pool.get().unwrap();
        igf_scheduler::demo::seed_to(&mut c, igf_scheduler::demo::Stage::Published).unwrap()
    })
    .await
    .unwrap();
    let sec = demo_login(&app, igf_scheduler::demo::SECRETARIAT_EMAIL).await;
    Demo {
        app,
        sec,
        meeting: summary.meeting_id,
    }
}

impl Demo {
    async fn sessions(&self) -> Vec<Value> {
        let mut out = vec![];
        for page in 1.. {
            let r = self
                .app
                .get(
                    &format!(
                        "/api/v1/meetings/{}/sessions?per_page=200&page={page}",
                        self.meeting
                    ),
                    Some(&self.sec),
                )
                .await
                .expect(200);
            let items = r.body["items"].as_array().unwrap().clone();
            if items.is_empty() {
                break;
            }
            out.extend(items);
        }
        out
    }

    async fn meeting_json(&self) -> Value {
        self.app
            .get(
                &format!("/api/v1/meetings/{}", self.meeting),
                Some(&self.sec),
            )
            .await
            .expect(200)
            .body
    }

    async fn slots(&self) -> Vec<Value> {
        self.app
            .get(
                &format!("/api/v1/meetings/{}/slots", self.meeting),
                Some(&self.sec),
            )
            .await
            .expect(200)
            .body["items"]
            .as_array()
            .unwrap()
            .clone()
    }

    /// Starts a job and waits for it to end; returns the finished job.
    async fn run_job(&self, body: &Value) -> Value {
        let r = self
            .app
            .post(
                &format!("/api/v1/meetings/{}/schedules", self.meeting),
                Some(&self.sec),
                body,
            )
            .await
            .expect(202);
        let id = r.body["id"].as_i64().unwrap();
        self.wait_job(id).await
    }

    async fn wait_job(&self, id: i64) -> Value {
        for _ in 0..600 {
            let j = self
                .app
                .get(&format!("/api/v1/schedule-jobs/{id}"), Some(&self.sec))
                .await
                .expect(200);
            if !["queued", "running"].contains(&j.body["status"].as_str().unwrap()) {
                return j.body;
            }
            actix_web::rt::time::sleep(Duration::from_millis(250)).await;
        }
        panic!("job {id} did not finish");
    }
}

fn instant(v: &Value) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(v.as_str().unwrap())
        .unwrap()
        .with_timezone(&Utc)
}

/// Checks a version's placements against the rules from the API's data alone: every
/// active session placed once; no room and no person in two overlapping sessions;
/// rooms big enough and hybrid where needed; sessions inside their slot; nothing in
/// parallel with an exclusive (ceremony) session. Returns the problems found.
async fn independent_check(d: &Demo, version: &Value) -> Vec<String> {
    let meeting = d.meeting_json().await;
    let rooms: BTreeMap<i64, (i64, bool)> = meeting["rooms"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["id"].as_i64().unwrap(),
                (
                    r["capacity"].as_i64().unwrap(),
                    r["hybrid"].as_bool().unwrap(),
                ),
            )
        })
        .collect();
    let exclusive: BTreeSet<String> = meeting["session_types"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|t| t["exclusive"] == true)
        .map(|t| t["code"].as_str().unwrap().to_string())
        .collect();
    let slots: BTreeMap<i64, (DateTime<Utc>, DateTime<Utc>)> = d
        .slots()
        .await
        .iter()
        .map(|s| {
            (
                s["id"].as_i64().unwrap(),
                (
                    instant(&s["starts_at"]["utc"]),
                    instant(&s["ends_at"]["utc"]),
                ),
            )
        })
        .collect();
    let sessions: BTreeMap<i64, Value> = d
        .sessions()
        .await
        .into_iter()
        .map(|s| (s["id"].as_i64().unwrap(), s))
        .collect();
    let mut problems = vec![];
    let placements = version["placements"].as_array().unwrap();
    let placed: Vec<i64> = placements
        .iter()
        .map(|p| p["session_id"].as_i64().unwrap())
        .collect();
    for (id, s) in &sessions {
        let n = placed.iter().filter(|x| *x == id).count();
        if s["status"] == "active" && n != 1 {
            problems.push(format!("session {id} placed {n} times"));
        }
    }
    struct Placed {
        id: i64,
        room: i64,
        start: DateTime<Utc>,
        end: DateTime<Utc>,
        people: BTreeSet<String>,
        exclusive: bool,
    }
    let mut all = vec![];
    for p in placements {
        let id = p["session_id"].as_i64().unwrap();
        let s = &sessions[&id];
        let room = p["room_id"].as_i64().unwrap();
        let (slot_start, slot_end) = slots[&p["slot_id"].as_i64().unwrap()];
        let start = instant(&p["starts_at_utc"]);
        let end = instant(&p["ends_at_utc"]);
        if start != slot_start || end > slot_end {
            problems.push(format!("session {id} does not fit its slot"));
        }
        if end - start != chrono::Duration::minutes(s["duration_min"].as_i64().unwrap()) {
            problems.push(format!("session {id} has the wrong length"));
        }
        let (capacity, hybrid) = rooms[&room];
        if capacity < s["expected_attendance"].as_i64().unwrap() {
            problems.push(format!("session {id} is in a room too small"));
        }
        if s["hybrid"] == true && !hybrid {
            problems.push(format!("hybrid session {id} is in a room without hybrid"));
        }
        let people = s["people"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|x| x["role"] != "rapporteur")
            .map(|x| {
                x["email"]
                    .as_str()
                    .map(|e| e.to_lowercase())
                    .unwrap_or_else(|| x["name"].as_str().unwrap().to_string())
            })
            .collect();
        all.push(Placed {
            id,
            room,
            start,
            end,
            people,
            exclusive: exclusive.contains(s["session_type"].as_str().unwrap()),
        });
    }
    let away = d
        .app
        .get(
            &format!("/api/v1/meetings/{}/unavailability?per_page=200", d.meeting),
            Some(&d.sec),
        )
        .await
        .expect(200)
        .body["items"]
        .as_array()
        .unwrap()
        .clone();
    for u in &away {
        let (s, e) = (instant(&u["starts_at"]), instant(&u["ends_at"]));
        for p in &all {
            if p.start < e && s < p.end {
                if u["room_id"].as_i64() == Some(p.room) {
                    problems.push(format!("session {} is in a closed room", p.id));
                }
                if let Some(m) = u["email"].as_str()
                    && p.people.contains(m)
                {
                    problems.push(format!("session {} has {m} while they are away", p.id));
                }
            }
        }
    }
    for (i, a) in all.iter().enumerate() {
        for b in &all[i + 1..] {
            if a.start < b.end && b.start < a.end {
                if a.room == b.room {
                    problems.push(format!("sessions {} and {} share a room", a.id, b.id));
                }
                if let Some(p) = a.people.intersection(&b.people).next() {
                    problems.push(format!("{p} is in sessions {} and {} at once", a.id, b.id));
                }
                if a.exclusive || b.exclusive {
                    problems.push(format!(
                        "sessions {} and {} run beside a ceremony",
                        a.id, b.id
                    ));
                }
            }
        }
    }
    problems
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
    assert!(
        !repaired["placements"]
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p["session_id"] == victim),
        "the cancelled session is not placed again"
    );
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

#[actix_web::test]
async fn jobs_are_refused_clearly_cancelled_on_request_and_only_for_the_secretariat() {
    let d = demo().await;
    let m = d.meeting;
    let path = format!("/api/v1/meetings/{m}/schedules");
    d.app
        .post(&path, Some(&d.sec), &json!({"time_limit_seconds": 0.5}))
        .await
        .expect(422)
        .only_rule("time_limit_seconds", "range");
    assert_eq!(
        d.app
            .post(&path, Some(&d.sec), &json!({"kind": "repair"}))
            .await
            .expect(409)
            .code(),
        "nothing_published"
    );
    let mag = demo_login(&d.app, "mag01@demo.igf.test").await;
    d.app.post(&path, Some(&mag), &json!({})).await.expect(403);
    d.app.post(&path, None, &json!({})).await.expect(401);
    d.app
        .post(
            &format!("/api/v1/meetings/{m}/sessions/from-selection"),
            Some(&d.sec),
            &json!({}),
        )
        .await
        .expect(200);
    let r = d
        .app
        .post(&path, Some(&d.sec), &json!({"time_limit_seconds": 120}))
        .await
        .expect(202);
    let id = r.body["id"].as_i64().unwrap();
    // One unfinished job per meeting.
    assert_eq!(
        d.app
            .post(&path, Some(&d.sec), &json!({}))
            .await
            .expect(409)
            .code(),
        "job_running"
    );
    let r = d
        .app
        .send(
            "DELETE",
            &format!("/api/v1/schedule-jobs/{id}"),
            Some(&d.sec),
            None,
            &[],
        )
        .await
        .expect(200);
    assert_eq!(r.body["cancel_requested"], true);
    let done = d.wait_job(id).await;
    assert_eq!(done["status"], "cancelled", "{done}");
    assert_eq!(done["version_id"], Value::Null);
    d.app
        .send(
            "DELETE",
            &format!("/api/v1/schedule-jobs/{id}"),
            Some(&d.sec),
            None,
            &[],
        )
        .await
        .expect(409);
}

#[actix_web::test]
async fn a_job_whose_instance_died_is_run_again_by_another_instance() {
    let d = demo().await;
    let m = d.meeting;
    d.app
        .post(
            &format!("/api/v1/meetings/{m}/sessions/from-selection"),
            Some(&d.sec),
            &json!({}),
        )
        .await
        .expect(200);
    // A job claimed by an instance that died: running, heartbeat long gone.
    let pool = d.app.pool.clone();
    let id = actix_web::rt::task::spawn_blocking(move || {
        use diesel::prelude::*;
        use igf_scheduler::db::schema::schedule_jobs as sj;
        let mut c = pool.get().unwrap();
        let old = chrono::Utc::now().naive_utc() - chrono::Duration::minutes(10);
        diesel::insert_into(sj::table)
            .values((
                sj::meeting_id.eq(m),
                sj::kind.eq("solve"),
                sj::status.eq("running"),
                sj::params.eq(r#"{"kind":"solve","time_limit_seconds":2.0,"seed":1}"#),
                sj::attempts.eq(1),
                sj::claimed_by.eq("dead-instance"),
                sj::heartbeat_at.eq(old),
                sj::created_at.eq(old),
                sj::started_at.eq(old),
            ))
            .execute(&mut c)
            .unwrap();
        sj::table
            .order(sj::id.desc())
            .select(sj::id)
            .first::<i64>(&mut c)
            .unwrap()
    })
    .await
    .unwrap();
    // The running instances' workers notice the stale heartbeat and run it again.
    let done = d.wait_job(id).await;
    assert_eq!(done["status"], "succeeded", "{done}");
    assert_eq!(done["attempts"], 2);
    assert!(done["version_id"].is_i64());
    let audit = d
        .app
        .get(
            &format!("/api/v1/audit?action=schedule.job_requeued&meeting_id={m}"),
            Some(&d.sec),
        )
        .await
        .expect(200);
    assert_eq!(audit.body["total"], 1);
}

/// Solves and publishes the demo's selected sessions; returns the published version.
async fn published(d: &Demo) -> Value {
    d.app
        .post(
            &format!("/api/v1/meetings/{}/sessions/from-selection", d.meeting),
            Some(&d.sec),
            &json!({}),
        )
        .await
        .expect(200);
    let job = d.run_job(&json!({"time_limit_seconds": 2})).await;
    assert_eq!(job["status"], "succeeded", "{job}");
    let v = job["version_id"].as_i64().unwrap();
    d.app
        .post(
            &format!("/api/v1/schedules/{v}/publish"),
            Some(&d.sec),
            &json!({}),
        )
        .await
        .expect(200);
    d.app
        .get(&format!("/api/v1/schedules/{v}"), Some(&d.sec))
        .await
        .expect(200)
        .body
}

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
    // Somewhere free: try each free room and slot until the rules allow one.
    let meeting = d.meeting_json().await;
    let slots: Vec<i64> = d
        .slots()
        .await
        .iter()
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

#[actix_web::test]
async fn each_queued_job_is_claimed_by_exactly_one_worker_under_contention() {
    let app = TestApp::spawn().await;
    let sec = app
        .user("sec@example.org", igf_scheduler::auth::Role::Secretariat)
        .await;
    let m = app.meeting(&sec, &crate::helpers::open_meeting()).await["id"]
        .as_i64()
        .unwrap();
    let pool = app.pool.clone();
    // Twenty jobs queued at once (as if from several meetings), eight claimers racing.
    let claims = actix_web::rt::task::spawn_blocking(move || {
        use diesel::prelude::*;
        use igf_scheduler::db::schema::schedule_jobs as sj;
        let mut c = pool.get().unwrap();
        let now = chrono::Utc::now().naive_utc();
        for _ in 0..20 {
            diesel::insert_into(sj::table)
                .values((
                    sj::meeting_id.eq(m),
                    sj::kind.eq("solve"),
                    // Parked: a status no worker picks up, so only the racers below claim.
                    sj::status.eq("parked"),
                    sj::params.eq("{}"),
                    sj::created_at.eq(now),
                ))
                .execute(&mut c)
                .unwrap();
        }
        diesel::update(sj::table.filter(sj::status.eq("parked")))
            .set(sj::status.eq("queued"))
            .execute(&mut c)
            .unwrap();
        drop(c);
        let threads: Vec<_> = (0..8)
            .map(|t| {
                let pool = pool.clone();
                std::thread::spawn(move || {
                    let mut c = pool.get().unwrap();
                    let mut mine = vec![];
                    loop {
                        match igf_scheduler::scheduling::jobs::claim(&mut c, &format!("racer-{t}"))
                        {
                            Ok(Some(id)) => mine.push(id),
                            Ok(None) => {
                                let left: i64 = sj::table
                                    .filter(sj::status.eq("queued"))
                                    .count()
                                    .get_result(&mut c)
                                    .unwrap();
                                if left == 0 {
                                    break;
                                }
                            }
                            Err(e) => panic!("claim failed: {e:?}"),
                        }
                    }
                    mine
                })
            })
            .collect();
        threads
            .into_iter()
            .flat_map(|t| t.join().unwrap())
            .collect::<Vec<i64>>()
    })
    .await
    .unwrap();
    // The app's own worker may have taken some too; every job was claimed once.
    let mut ids = claims.clone();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(
        ids.len(),
        claims.len(),
        "a job was claimed twice: {claims:?}"
    );
    let pool = app.pool.clone();
    let attempts: Vec<i32> = actix_web::rt::task::spawn_blocking(move || {
        use diesel::prelude::*;
        use igf_scheduler::db::schema::schedule_jobs as sj;
        let mut c = pool.get().unwrap();
        sj::table.select(sj::attempts).load(&mut c).unwrap()
    })
    .await
    .unwrap();
    assert_eq!(attempts.len(), 20);
    assert!(attempts.iter().all(|a| *a == 1), "{attempts:?}");
}
