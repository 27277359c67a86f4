//! Separate processes of the service on one PostgreSQL database, as a deployment
//! behind a load balancer runs them: they start together on an empty database; a job
//! owner that stops for longer than its lease loses the job and stores nothing; an
//! instance whose clock runs ahead (under `faketime`) takes no live job; one whose
//! clock runs behind publishes like any other, and the other serves the publish in
//! its feeds at once. On SQLite these tests say so and return: two processes on one
//! SQLite file are not the scale-out path.

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use igf_scheduler::auth::Role;
use serde_json::{Value, json};

use crate::helpers::{PASSWORD, TestApp, fresh_database, open_meeting};

const SECRET: &str = "instances-test-0f3b9a2c7d1e4f5a8b6c";

struct Instance {
    child: Child,
    address: String,
}

impl Drop for Instance {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

use crate::helpers::free_port;

/// Starts `serve` in its own process; `clock` shifts its clock with faketime
/// (`"+30s"`, `"-120s"`).
fn start(db: &str, clock: Option<&str>, stale_seconds: u64) -> Instance {
    let port = free_port();
    let bin = env!("CARGO_BIN_EXE_igf-scheduler");
    let mut cmd = Command::new(bin);
    if let Some(shift) = clock {
        // libfaketime preloaded into the service itself (the `faketime` wrapper would
        // fork, and killing it would leave the service running). Only the wall clock
        // moves; timers and durations stay true.
        cmd.env(
            "LD_PRELOAD",
            libfaketime().expect("libfaketime (Debian package faketime)"),
        )
        .env("FAKETIME", shift)
        .env("FAKETIME_DONT_FAKE_MONOTONIC", "1");
    }
    cmd.args(["serve", "--bind", &format!("127.0.0.1:{port}")])
        .env("IGF_DATABASE_URL", db)
        .env("IGF_JWT_SECRET", SECRET)
        .env("IGF_JOB_STALE_SECONDS", stale_seconds.to_string())
        .env("IGF_PUBLIC_URL", format!("http://127.0.0.1:{port}"))
        .env("IGF_LOG", "warn")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::inherit());
    let child = cmd.spawn().expect("start an instance");
    Instance {
        child,
        address: format!("http://127.0.0.1:{port}"),
    }
}

async fn healthy(i: &mut Instance) {
    let client = awc::Client::default();
    let until = Instant::now() + Duration::from_secs(120);
    while Instant::now() < until {
        if let Ok(Some(status)) = i.child.try_wait() {
            panic!("instance at {} exited: {status}", i.address);
        }
        if let Ok(r) = client.get(format!("{}/health", i.address)).send().await
            && r.status().as_u16() == 200
        {
            return;
        }
        actix_web::rt::time::sleep(Duration::from_millis(200)).await;
    }
    panic!("instance at {} never became healthy", i.address);
}

fn postgres() -> bool {
    let pg = std::env::var("TEST_DATABASE_URL").is_ok_and(|u| u.starts_with("postgres"));
    if !pg {
        eprintln!("skipped: separate instances run on PostgreSQL only (TEST_DATABASE_URL)");
    }
    pg
}

/// Where Debian's faketime package keeps the library.
fn libfaketime() -> Option<std::path::PathBuf> {
    let multiarch = format!(
        "/usr/lib/{}-linux-gnu/faketime/libfaketime.so.1",
        std::env::consts::ARCH
    );
    [multiarch.as_str(), "/usr/lib/faketime/libfaketime.so.1"]
        .iter()
        .map(std::path::PathBuf::from)
        .find(|p| p.exists())
}

fn faketime_present() -> bool {
    libfaketime().is_some()
}

#[actix_web::test]
async fn instances_starting_together_on_an_empty_database_all_come_up() {
    if !postgres() {
        return;
    }
    let (db, _dir) = fresh_database();
    let mut all: Vec<Instance> = (0..3).map(|_| start(&db, None, 60)).collect();
    for i in &mut all {
        healthy(i).await;
    }
    let app = TestApp::external(all[0].address.clone(), &db);
    let pool = app.pool.clone();
    let applied: i64 = actix_web::rt::task::spawn_blocking(move || {
        use diesel::RunQueryDsl;
        #[derive(diesel::QueryableByName)]
        struct N {
            #[diesel(sql_type = diesel::sql_types::BigInt)]
            n: i64,
        }
        let mut c = pool.get().unwrap();
        diesel::sql_query("SELECT count(*) AS n FROM __diesel_schema_migrations")
            .get_result::<N>(&mut c)
            .unwrap()
            .n
    })
    .await
    .unwrap();
    let on_disk = std::fs::read_dir("migrations/postgres").unwrap().count() as i64;
    assert_eq!(applied, on_disk);
}

#[test]
fn an_instance_refuses_to_start_on_postgresql_without_a_good_shared_secret() {
    if !postgres() {
        return;
    }
    let (db, _dir) = fresh_database();
    let bin = env!("CARGO_BIN_EXE_igf-scheduler");
    for secret in [None, Some(" ".repeat(40)), Some("abab".repeat(10))] {
        let mut cmd = Command::new(bin);
        cmd.args(["serve", "--bind", "127.0.0.1:0"])
            .env("IGF_DATABASE_URL", &db)
            .env("IGF_LOG", "warn")
            .stdin(Stdio::null());
        match &secret {
            Some(s) => cmd.env("IGF_JWT_SECRET", s),
            None => cmd.env_remove("IGF_JWT_SECRET"),
        };
        let out = cmd.output().expect("run the binary");
        assert!(!out.status.success(), "started with {secret:?}");
        let said = String::from_utf8_lossy(&out.stderr).to_string();
        assert!(said.contains("IGF_JWT_SECRET"), "{said}");
    }
}

/// A meeting with a few workshops to schedule, made over HTTP on `app`.
async fn meeting_with_sessions(app: &TestApp, sec: &str, n: usize) -> i64 {
    let meeting = app.meeting(sec, &open_meeting()).await;
    let m = meeting["id"].as_i64().unwrap();
    let theme = meeting["themes"][0]["id"].as_i64().unwrap();
    for i in 0..n {
        app.post(
            &format!("/api/v1/meetings/{m}/sessions"),
            Some(sec),
            &json!({"session_type": "workshop", "title": format!("Workshop {i}"),
                    "theme_id": theme, "duration_min": 60, "expected_attendance": 30}),
        )
        .await
        .expect(201);
    }
    m
}

/// A secretariat, a meeting with six workshops and a solve job queued for it.
async fn queued_job(app: &TestApp, seconds: u32) -> (String, i64, i64) {
    let sec = app.user("sec@example.org", Role::Secretariat).await;
    let m = meeting_with_sessions(app, &sec, 6).await;
    let r = app
        .post(
            &format!("/api/v1/meetings/{m}/schedules"),
            Some(&sec),
            &json!({"time_limit_seconds": seconds}),
        )
        .await
        .expect(202);
    (sec, m, r.body["id"].as_i64().unwrap())
}

async fn job(app: &TestApp, sec: &str, id: i64) -> Value {
    app.get(&format!("/api/v1/schedule-jobs/{id}"), Some(sec))
        .await
        .expect(200)
        .body
}

fn pid_of(claimed_by: &str) -> u32 {
    claimed_by
        .split('-')
        .next()
        .and_then(|p| p.parse().ok())
        .expect("claimed_by starts with the pid")
}

fn claimed_by(app: &TestApp, id: i64) -> Option<String> {
    use diesel::prelude::*;
    use igf_scheduler::db::schema::schedule_jobs as sj;
    let mut c = app.pool.get().unwrap();
    sj::table
        .find(id)
        .select(sj::claimed_by)
        .first::<Option<String>>(&mut c)
        .unwrap()
}

fn signal(pid: u32, sig: &str) {
    let ok = Command::new("kill")
        .arg(format!("-{sig}"))
        .arg(pid.to_string())
        .status()
        .is_ok_and(|s| s.success());
    assert!(ok, "kill -{sig} {pid}");
}

#[actix_web::test]
async fn a_job_owner_paused_past_its_lease_loses_the_job_and_stores_nothing() {
    if !postgres() {
        return;
    }
    let (db, _dir) = fresh_database();
    let mut a = start(&db, None, 4);
    healthy(&mut a).await;
    let mut b = start(&db, None, 4);
    healthy(&mut b).await;
    let app = TestApp::external(a.address.clone(), &db);
    let (sec, m, id) = queued_job(&app, 6).await;
    // Wait for a worker to take it, then stop that process cold.
    let owner = loop {
        if let Some(c) = claimed_by(&app, id) {
            break pid_of(&c);
        }
        actix_web::rt::time::sleep(Duration::from_millis(100)).await;
    };
    let survivor = if owner == a.child.id() { &b } else { &a };
    let watch = TestApp::external(survivor.address.clone(), &db);
    signal(owner, "STOP");
    // The other instance finds the lease stale, runs the job itself and finishes it.
    let until = Instant::now() + Duration::from_secs(60);
    let done = loop {
        let j = job(&watch, &sec, id).await;
        if j["status"] == "succeeded" {
            break j;
        }
        assert!(Instant::now() < until, "the job never moved on: {j}");
        actix_web::rt::time::sleep(Duration::from_millis(250)).await;
    };
    assert_eq!(done["attempts"], 2, "{done}");
    signal(owner, "CONT");
    // The owner wakes with its own result, and stores none of it.
    actix_web::rt::time::sleep(Duration::from_secs(8)).await;
    let versions = watch
        .get(&format!("/api/v1/meetings/{m}/schedules"), Some(&sec))
        .await
        .expect(200);
    assert_eq!(versions.body["total"], 1, "{}", versions.body);
    let after = job(&watch, &sec, id).await;
    assert_eq!(after["status"], "succeeded");
    assert_eq!(after["version_id"], done["version_id"]);
    drop(a);
    drop(b);
}

#[actix_web::test]
async fn skewed_clocks_take_no_live_job_and_publish_like_any_other() {
    if !postgres() {
        return;
    }
    if !faketime_present() {
        panic!("this test needs faketime (Debian package faketime)");
    }
    let (db, _dir) = fresh_database();
    let mut a = start(&db, None, 20);
    healthy(&mut a).await;
    let app = TestApp::external(a.address.clone(), &db);
    let (sec, m, id) = queued_job(&app, 12).await;
    while claimed_by(&app, id).is_none() {
        actix_web::rt::time::sleep(Duration::from_millis(100)).await;
    }
    // An instance 30 s ahead joins while the job runs: by the database's clock the
    // lease is fresh, so it leaves the job alone.
    let mut ahead = start(&db, Some("+30s"), 20);
    healthy(&mut ahead).await;
    let until = Instant::now() + Duration::from_secs(60);
    let done = loop {
        let j = job(&app, &sec, id).await;
        if !["queued", "running"].contains(&j["status"].as_str().unwrap()) {
            break j;
        }
        assert!(Instant::now() < until);
        actix_web::rt::time::sleep(Duration::from_millis(250)).await;
    };
    assert_eq!(done["status"], "succeeded", "{done}");
    assert_eq!(
        done["attempts"], 1,
        "the skewed instance took a live job: {done}"
    );
    // An instance 120 s behind publishes; the others serve it at once.
    let mut behind = start(&db, Some("-120s"), 20);
    healthy(&mut behind).await;
    let late = TestApp::external(behind.address.clone(), &db);
    let v = done["version_id"].as_i64().unwrap();
    let published = late
        .post(
            &format!("/api/v1/schedules/{v}/publish"),
            Some(&sec),
            &json!({}),
        )
        .await
        .expect(200);
    assert_eq!(published.body["published"], true, "{}", published.body);
    for inst in [&app, &TestApp::external(ahead.address.clone(), &db)] {
        let p = inst
            .get(&format!("/api/v1/meetings/{m}/programme"), None)
            .await
            .expect(200);
        assert_eq!(p.body["version_id"], v, "{}", p.body);
        let ics = inst
            .get(&format!("/api/v1/meetings/{m}/programme.ics"), None)
            .await
            .expect(200);
        assert!(ics.body.as_str().unwrap().contains("Workshop 0"));
    }
    // A token signed by one instance is good on every other.
    let token = late.login("sec@example.org").await;
    app.get("/api/v1/auth/me", Some(&token)).await.expect(200);
    let _ = PASSWORD;
}
