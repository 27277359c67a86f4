//! The real binary with every log level on: passwords and access tokens that pass
//! through sign-up, sign-in and authenticated requests never reach its logs.

use std::process::{Command, Stdio};

use serde_json::{Value, json};

async fn call(
    client: &awc::Client,
    method: &str,
    url: &str,
    token: Option<&str>,
    body: &str,
) -> (u16, Value) {
    let method = awc::http::Method::from_bytes(method.as_bytes()).unwrap();
    let mut req = client
        .request(method, url)
        .insert_header(("Content-Type", "application/json"));
    if let Some(t) = token {
        req = req.insert_header(("Authorization", format!("Bearer {t}")));
    }
    let mut resp = req.send_body(body.to_string()).await.unwrap();
    let bytes = resp.body().await.unwrap();
    (
        resp.status().as_u16(),
        serde_json::from_slice(&bytes).unwrap_or(Value::Null),
    )
}

#[actix_web::test]
async fn passwords_and_tokens_never_reach_the_logs() {
    let dir = tempfile::tempdir().unwrap();
    let port = crate::helpers::free_port();
    let log_path = dir.path().join("log");
    let log = std::fs::File::create(&log_path).unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_igf-scheduler"))
        .args(["serve", "--bind", &format!("127.0.0.1:{port}")])
        .env("IGF_DATABASE_URL", dir.path().join("igf.db"))
        .env("IGF_LOG", "trace")
        .env("IGF_LOG_FORMAT", "json")
        .env_remove("IGF_JWT_SECRET")
        .stdout(Stdio::from(log.try_clone().unwrap()))
        .stderr(Stdio::from(log))
        .spawn()
        .unwrap();
    let base = format!("http://127.0.0.1:{port}");
    let client = awc::Client::default();
    let mut up = false;
    for _ in 0..300 {
        if let Ok(r) = client.get(format!("{base}/health")).send().await {
            up = r.status().is_success();
            if up {
                break;
            }
        }
        actix_web::rt::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert!(up, "the service did not start");
    let secret = "Canary-Password-7f3a9";
    let wrong = "Wrong-Canary-Password-51c2";
    let short = "Cnry-9";
    let api = |p: &str| format!("{base}/api/v1{p}");
    let reg = json!({"email": "logs@example.org", "name": "Log Test", "password": secret});
    assert_eq!(
        call(
            &client,
            "POST",
            &api("/auth/register"),
            None,
            &reg.to_string()
        )
        .await
        .0,
        202
    );
    let bad = json!({"email": "x@example.org", "name": "X", "password": short});
    assert_eq!(
        call(
            &client,
            "POST",
            &api("/auth/register"),
            None,
            &bad.to_string()
        )
        .await
        .0,
        422
    );
    let broken = format!(r#"{{"email": "logs@example.org", "password": "{secret}""#);
    assert_eq!(
        call(&client, "POST", &api("/auth/login"), None, &broken)
            .await
            .0,
        400
    );
    let wrong_body = json!({"email": "logs@example.org", "password": wrong});
    assert_eq!(
        call(
            &client,
            "POST",
            &api("/auth/login"),
            None,
            &wrong_body.to_string()
        )
        .await
        .0,
        401
    );
    let right = json!({"email": "logs@example.org", "password": secret});
    let (status, body) = call(
        &client,
        "POST",
        &api("/auth/login"),
        None,
        &right.to_string(),
    )
    .await;
    assert_eq!(status, 200);
    let token = body["access_token"].as_str().unwrap().to_string();
    assert_eq!(
        call(&client, "GET", &api("/auth/me"), Some(&token), "")
            .await
            .0,
        200
    );
    // A client's mistake that quotes what it sent: answered, not logged as an error.
    let quoted = "Canary-Field-d41e";
    let (status, body) = call(
        &client,
        "POST",
        &api("/auth/login"),
        None,
        &format!(r#"{{"email": "a@example.org", "password": "x", "{quoted}": 1}}"#),
    )
    .await;
    assert_eq!(status, 422);
    assert!(
        body.to_string().contains(quoted),
        "the answer names it: {body}"
    );
    child.kill().unwrap();
    child.wait().unwrap();
    let logs = std::fs::read_to_string(&log_path).unwrap();
    assert!(
        logs.contains("/api/v1/auth/login") && logs.contains("/api/v1/auth/me"),
        "the requests were logged: {}",
        &logs[logs.len().saturating_sub(3000)..]
    );
    for (what, needle) in [
        ("the password", secret),
        ("the wrong password", wrong),
        ("the refused password", short),
        ("the access token", token.as_str()),
        ("the token's signature", token.rsplit('.').next().unwrap()),
        ("what a refused body quoted", quoted),
    ] {
        assert!(!logs.contains(needle), "{what} is in the logs");
    }
    // Every request here was answered 2xx or 4xx: none is the service's error.
    for line in logs.lines().filter(|l| l.contains("HTTP request")) {
        let level = serde_json::from_str::<Value>(line)
            .ok()
            .and_then(|v| v["level"].as_str().map(str::to_string));
        assert!(
            !matches!(level.as_deref(), Some("WARN" | "ERROR")),
            "a client's mistake was logged as a warning or an error: {line}"
        );
    }
}
