//! The real binary killed with SIGKILL during a solve, a burst of writes and a publish,
//! then started again on the same database: the published schedule is intact, the job
//! is resumed (or failed), every acknowledged write is whole and nothing half-written
//! is left. Runs on the backend of the API tests (SQLite, or PostgreSQL in CI).

use std::process::{Child, Command, Stdio};
use std::time::Duration;

use futures_util::future::join_all;
use serde_json::{Value, json};

use crate::concurrency::proposal_of;
use crate::helpers::fresh_database;

/// A running `igf-scheduler serve`, killed (SIGKILL) when dropped.
struct Server {
    child: Child,
    base: String,
}

impl Server {
    async fn start(url: &str, port: u16, demo: bool) -> Server {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_igf-scheduler"));
        cmd.args(["serve", "--bind", &format!("127.0.0.1:{port}")]);
        if demo {
            cmd.arg("--demo");
        }
        let child = cmd
            .env("IGF_DATABASE_URL", url)
            .env("IGF_JWT_SECRET", "faults-test-secret-faults-test-secret")
            .env("IGF_JOB_STALE_SECONDS", "2")
            .env("IGF_LOG", "warn")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let s = Server {
            child,
            base: format!("http://127.0.0.1:{port}/api/v1"),
        };
        let client = awc::Client::default();
        for _ in 0..1200 {
            if let Ok(r) = client
                .get(format!("http://127.0.0.1:{port}/health"))
                .send()
                .await
                && r.status().is_success()
            {
                return s;
            }
            actix_web::rt::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("the service did not start");
    }

    fn kill(mut self) {
        self.child.kill().unwrap();
        self.child.wait().unwrap();
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

async fn call(
    client: &awc::Client,
    method: &str,
    url: &str,
    token: Option<&str>,
    body: Option<&Value>,
) -> Result<(u16, Value), String> {
    let m = awc::http::Method::from_bytes(method.as_bytes()).unwrap();
    let mut req = client.request(m, url).timeout(Duration::from_secs(120));
    if let Some(t) = token {
        req = req.insert_header(("Authorization", format!("Bearer {t}")));
    }
    let resp = match body {
        Some(b) => req.send_json(b).await,
        None => req.send().await,
    };
    let mut resp = resp.map_err(|e| e.to_string())?;
    let bytes = resp
        .body()
        .limit(64 << 20)
        .await
        .map_err(|e| e.to_string())?;
    Ok((
        resp.status().as_u16(),
        serde_json::from_slice(&bytes).unwrap_or(Value::Null),
    ))
}

async fn ok(
    client: &awc::Client,
    method: &str,
    url: &str,
    token: Option<&str>,
    body: Option<&Value>,
) -> Value {
    let (s, v) = call(client, method, url, token, body).await.unwrap();
    assert!(s < 300, "{method} {url}: {s} {v}");
    v
}

/// A kill delay in milliseconds: from the environment (scripts/faults.sh varies it),
/// else the default.
fn delay(var: &str, default: u64) -> u64 {
    std::env::var(var)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

use crate::helpers::free_port;

#[actix_web::test]
async fn sigkill_during_a_solve_a_burst_and_a_publish_loses_nothing() {
    let (url, _dir) = fresh_database();
    let port = free_port();
    let client = awc::Client::builder()
        .connector(awc::Connector::new().limit(0))
        .finish();
    let server = Server::start(&url, port, true).await;
    let base = server.base.clone();
    let login = json!({"email": igf_scheduler::demo::SECRETARIAT_EMAIL,
                       "password": igf_scheduler::demo::DEMO_PASSWORD});
    let sec = ok(
        &client,
        "POST",
        &format!("{base}/auth/login"),
        None,
        Some(&login),
    )
    .await["access_token"]
        .as_str()
        .unwrap()
        .to_string();
    let meetings = ok(&client, "GET", &format!("{base}/meetings"), None, None).await;
    let find = |name: &str| {
        meetings["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|m| m["name"] == name)
            .unwrap()["id"]
            .as_i64()
            .unwrap()
    };
    let (m, open) = (
        find(igf_scheduler::demo::MEETING_NAME),
        find(igf_scheduler::demo::OPEN_MEETING_NAME),
    );
    let programme_url = format!("{base}/meetings/{m}/programme");
    let before = ok(&client, "GET", &programme_url, None, None).await;

    // 1. Killed while a solve runs.
    let job = ok(
        &client,
        "POST",
        &format!("{base}/meetings/{m}/schedules"),
        Some(&sec),
        Some(&json!({"time_limit_seconds": 6})),
    )
    .await["id"]
        .as_i64()
        .unwrap();
    let job_url = format!("{base}/schedule-jobs/{job}");
    for _ in 0..200 {
        let j = ok(&client, "GET", &job_url, Some(&sec), None).await;
        if j["status"] == "running" {
            break;
        }
        actix_web::rt::time::sleep(Duration::from_millis(50)).await;
    }
    server.kill();
    let server = Server::start(&url, port, false).await;
    let after = ok(&client, "GET", &programme_url, None, None).await;
    assert_eq!(after, before, "the published programme survived the kill");
    let mut job_state = Value::Null;
    for _ in 0..600 {
        job_state = ok(&client, "GET", &job_url, Some(&sec), None).await;
        if ["succeeded", "failed"].contains(&job_state["status"].as_str().unwrap()) {
            break;
        }
        actix_web::rt::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(
        job_state["status"], "succeeded",
        "resumed after the restart: {job_state}"
    );
    assert!(job_state["attempts"].as_i64().unwrap() >= 2, "{job_state}");
    let new_version = job_state["version_id"].as_i64().unwrap();

    // 2. Killed in a burst of writes: whatever was acknowledged is whole.
    let reg =
        json!({"email": "burst@example.org", "name": "Burst", "password": "burst password 1"});
    ok(
        &client,
        "POST",
        &format!("{base}/auth/register"),
        None,
        Some(&reg),
    )
    .await;
    let token = ok(
        &client,
        "POST",
        &format!("{base}/auth/login"),
        None,
        Some(&json!({"email": "burst@example.org", "password": "burst password 1"})),
    )
    .await["access_token"]
        .as_str()
        .unwrap()
        .to_string();
    let theme = ok(
        &client,
        "GET",
        &format!("{base}/meetings/{open}"),
        None,
        None,
    )
    .await["themes"][0]["id"]
        .as_i64()
        .unwrap();
    let burst = (0..60).map(|i| {
        let (client, url, token) = (&client, format!("{base}/meetings/{open}/proposals"), &token);
        async move {
            actix_web::rt::time::sleep(Duration::from_millis(5 * i as u64)).await;
            call(
                client,
                "POST",
                &url,
                Some(token),
                Some(&proposal_of(i, theme)),
            )
            .await
            .ok()
        }
    });
    let killer = async {
        actix_web::rt::time::sleep(Duration::from_millis(delay("IGF_FAULT_BURST_MS", 150))).await;
        server.kill();
    };
    let (answers, ()) = futures_util::future::join(join_all(burst), killer).await;
    let acknowledged: Vec<i64> = answers
        .iter()
        .flatten()
        .filter(|(s, _)| *s == 201)
        .map(|(_, v)| v["id"].as_i64().unwrap())
        .collect();
    let lost_in_flight = answers.iter().filter(|a| a.is_none()).count();
    let server = Server::start(&url, port, false).await;
    let mine = ok(
        &client,
        "GET",
        &format!("{base}/meetings/{open}/proposals?per_page=200"),
        Some(&token),
        None,
    )
    .await;
    let stored: Vec<&Value> = mine["items"].as_array().unwrap().iter().collect();
    for id in &acknowledged {
        assert!(
            stored.iter().any(|p| p["id"] == json!(id)),
            "proposal {id} was acknowledged"
        );
    }
    let sent = proposal_of(0, theme)["participants"]
        .as_array()
        .unwrap()
        .len();
    for p in &stored {
        let full = ok(
            &client,
            "GET",
            &format!("{base}/proposals/{}", p["id"]),
            Some(&token),
            None,
        )
        .await;
        assert_eq!(
            full["participants"].as_array().unwrap().len(),
            sent,
            "whole: {full}"
        );
    }
    eprintln!(
        "burst: {} acknowledged, {} cut off by the kill, {} stored",
        acknowledged.len(),
        lost_in_flight,
        stored.len()
    );

    // 3. Killed right as a publish is sent: the old or the new version is published,
    // wholly, never a mix.
    let old_version = before["version"].as_i64().unwrap();
    let (publish_url, empty) = (format!("{base}/schedules/{new_version}/publish"), json!({}));
    let publish = call(&client, "POST", &publish_url, Some(&sec), Some(&empty));
    let killer = async {
        actix_web::rt::time::sleep(Duration::from_millis(delay("IGF_FAULT_PUBLISH_MS", 3))).await;
        server.kill();
    };
    let (answer, ()) = futures_util::future::join(publish, killer).await;
    let server = Server::start(&url, port, false).await;
    let now = ok(&client, "GET", &programme_url, None, None).await;
    let version = now["version"].as_i64().unwrap();
    let view = ok(
        &client,
        "GET",
        &format!("{base}/schedules/{new_version}"),
        Some(&sec),
        None,
    )
    .await;
    if version == old_version {
        assert_eq!(now, before);
        assert!(
            !matches!(answer, Ok((200, _))),
            "an acknowledged publish was lost"
        );
    } else {
        assert_eq!(version, view["number"].as_i64().unwrap());
        assert_eq!(
            now["sessions"].as_array().unwrap().len(),
            before["sessions"].as_array().unwrap().len()
        );
    }
    eprintln!(
        "publish killed: answered {:?}, published version {version}",
        answer.map(|a| a.0)
    );
    drop(server);
}
