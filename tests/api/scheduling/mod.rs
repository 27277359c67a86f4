//! Scheduling over HTTP: sessions from the selection, solve jobs on the worker,
//! versions with explanations, publishing, the public programme, cancellation and
//! repair, concurrent edits, and jobs that outlive their instance. Every published
//! schedule is re-checked here from the API's own data, independently of the solver.
//! This file holds the demo fixture and the independent check; each journey has its
//! own file.

mod availability;
mod flow;
mod jobs;
mod logistics;
mod moves;
mod race;
pub(crate) mod reports;
mod scenario;
mod shape;
mod truth;
mod unplaced;

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
    demo_at(igf_scheduler::demo::Stage::Published).await
}

/// The demo meeting seeded up to a stage, with the secretariat signed in.
async fn demo_at(stage: igf_scheduler::demo::Stage) -> Demo {
    let (app, summary) = TestApp::spawn_demo(stage).await;
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
        // A cancelled session keeps its place for the programme but holds no room.
        if s["status"] != "active" {
            continue;
        }
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
