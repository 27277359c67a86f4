//! Schedule jobs: refusals, cancellation, an instance that dies, and claims under
//! contention.

use super::*;

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
    // Cancelled once it runs.
    for _ in 0..300 {
        let j = d
            .app
            .get(&format!("/api/v1/schedule-jobs/{id}"), Some(&d.sec))
            .await
            .expect(200);
        if j.body["status"] == "running" {
            break;
        }
        actix_web::rt::time::sleep(Duration::from_millis(100)).await;
    }
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
    // Cancelled while running, it keeps its best so far as a draft.
    {
        let v = d
            .app
            .get(
                &format!("/api/v1/schedules/{}", done["version_id"]),
                Some(&d.sec),
            )
            .await
            .expect(200)
            .body;
        assert_eq!(v["published_at"], Value::Null, "a draft: {v}");
        assert_eq!(v["source"], "solve");
    }
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

#[actix_web::test]
async fn each_queued_job_is_claimed_by_exactly_one_worker_under_contention() {
    let app = TestApp::spawn().await;
    let sec = app
        .user("sec@example.org", igf_scheduler::auth::Role::Secretariat)
        .await;
    // One job per meeting is all the database allows queued: twenty meetings.
    let mut meetings = vec![];
    for _ in 0..20 {
        meetings.push(
            app.meeting(&sec, &crate::helpers::open_meeting()).await["id"]
                .as_i64()
                .unwrap(),
        );
    }
    let pool = app.pool.clone();
    // Twenty jobs queued at once, eight claimers racing.
    let claims = actix_web::rt::task::spawn_blocking(move || {
        use diesel::prelude::*;
        use igf_scheduler::db::schema::schedule_jobs as sj;
        let mut c = pool.get().unwrap();
        let now = chrono::Utc::now().naive_utc();
        for m in &meetings {
            diesel::insert_into(sj::table)
                .values((
                    sj::meeting_id.eq(*m),
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
                            Ok(Some(claim)) => mine.push(claim.id),
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

#[actix_web::test]
async fn a_meetings_jobs_are_listed_newest_first_and_by_status() {
    // The fixture's meeting has no sessions yet, so both jobs fail, and say why.
    let d = demo().await;
    let first = d.run_job(&json!({"time_limit_seconds": 1})).await;
    assert_eq!(first["status"], "failed", "{first}");
    let second = d
        .run_job(&json!({"time_limit_seconds": 1, "seed": 2}))
        .await;
    let path = format!("/api/v1/meetings/{}/schedule-jobs", d.meeting);
    let all = d.app.get(&path, Some(&d.sec)).await.expect(200).body;
    assert_eq!(all["total"], 2, "{all}");
    assert_eq!(all["items"][0]["id"], second["id"]);
    assert_eq!(all["items"][1]["id"], first["id"]);
    assert_eq!(all["items"][0]["request"]["seed"], 2);
    let done = d
        .app
        .get(&format!("{path}?status=failed&per_page=1"), Some(&d.sec))
        .await
        .expect(200)
        .body;
    assert_eq!(
        (
            done["total"].as_i64(),
            done["items"].as_array().map(Vec::len)
        ),
        (Some(2), Some(1))
    );
    let none = d
        .app
        .get(&format!("{path}?status=queued"), Some(&d.sec))
        .await
        .expect(200)
        .body;
    assert_eq!(none["total"], 0);
    d.app
        .get(&format!("{path}?status=finished"), Some(&d.sec))
        .await
        .expect(422)
        .has_rules(&[("status", "enum")]);
}

#[actix_web::test]
async fn publishes_are_ordered_by_the_database_even_within_one_second() {
    let d = demo().await;
    let v1 = published(&d).await;
    let job = d
        .run_job(&json!({"time_limit_seconds": 1, "seed": 9}))
        .await;
    assert_eq!(job["status"], "succeeded", "{job}");
    let v2 = job["version_id"].as_i64().unwrap();
    let publish = |v: i64| {
        let app = &d.app;
        let sec = d.sec.clone();
        async move {
            app.post(
                &format!("/api/v1/schedules/{v}/publish"),
                Some(&sec),
                &json!({}),
            )
            .await
            .expect(200)
            .body
        }
    };
    // Back and forth within a second: each publish is a new publication, and the
    // latest one is what the programme shows.
    for v in [v2, v1["id"].as_i64().unwrap(), v2] {
        let answer = publish(v).await;
        assert_eq!(answer["published"], true, "{answer}");
        let programme = d
            .app
            .get(&format!("/api/v1/meetings/{}/programme", d.meeting), None)
            .await
            .expect(200)
            .body;
        assert_eq!(programme["version"], answer["number"], "{v}");
        assert_eq!(programme["version_id"], v);
    }
    let first = d
        .app
        .get(&format!("/api/v1/schedules/{}", v1["id"]), Some(&d.sec))
        .await
        .expect(200)
        .body;
    assert_eq!(first["published"], false);
}
