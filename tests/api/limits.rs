//! Limits that hold across instances and cost that stays bounded: the sign-in limit
//! counted before passwords are checked, per account and address with backoff and
//! per address; registrations and agendas per address; tokens that end with a
//! password change, a sign-out, a role change; error bodies of bounded size; links
//! that never take the request's `Host`. Two instances share one database in each.

use futures_util::future::join_all;
use igf_scheduler::auth::Role;
use serde_json::{Value, json};

use crate::helpers::{PASSWORD, Resp, TestApp, complete_proposal, open_meeting};

/// Two instances behind a "load balancer" at 127.0.0.1 that names the client in
/// `X-Forwarded-For`.
async fn behind_proxy() -> (TestApp, TestApp) {
    let trust = |s: &mut igf_scheduler::config::Settings| {
        s.trusted_proxies = vec!["127.0.0.1".parse().unwrap()];
        s.registrations_per_address_hour = 3;
        s.agendas_per_address_hour = 4;
    };
    let a = TestApp::spawn_with(trust).await;
    let b = a.another_with(trust).await;
    (a, b)
}

async fn register(app: &TestApp, from: &str, i: usize) -> Resp {
    let body =
        json!({"email": format!("new{i}-{from}@example.org"), "name": "New", "password": PASSWORD});
    app.send(
        "POST",
        "/api/v1/auth/register",
        None,
        Some(&body),
        &[("X-Forwarded-For", from)],
    )
    .await
}

async fn login_from(app: &TestApp, from: &str, email: &str, password: &str) -> Resp {
    app.send(
        "POST",
        "/api/v1/auth/login",
        None,
        Some(&json!({"email": email, "password": password})),
        &[("X-Forwarded-For", from)],
    )
    .await
}

#[actix_web::test]
async fn concurrent_guesses_on_two_instances_are_counted_before_any_is_checked() {
    let (a, b) = behind_proxy().await;
    a.proposer("pat@example.org").await;
    // Forty wrong passwords at once, half on each instance, from one address.
    let guesses = (0..40).map(|i| {
        let app = if i % 2 == 0 { &a } else { &b };
        login_from(app, "203.0.113.7", "pat@example.org", "wrong password!")
    });
    let answers = join_all(guesses).await;
    let count = |s: u16| answers.iter().filter(|r| r.status.as_u16() == s).count();
    assert_eq!(count(401), 5, "five failures are free, no more");
    assert_eq!(count(429), 35);
    for r in answers.iter().filter(|r| r.status.as_u16() == 429) {
        let wait: u64 = r.header("retry-after").unwrap().parse().unwrap();
        assert!((1..=30).contains(&wait), "{wait}");
    }
    // The right password from that address waits too; from another it is let in.
    login_from(&b, "203.0.113.7", "pat@example.org", PASSWORD)
        .await
        .expect(429);
    login_from(&a, "198.51.100.20", "pat@example.org", PASSWORD)
        .await
        .expect(200);

    // Thirty guesses at once with the right one among them, from a third address:
    // only the first five are checked at all, whichever instance they reach.
    let mut tries: Vec<&str> = vec!["wrong password!"; 29];
    tries.insert(17, PASSWORD);
    let answers = join_all(tries.iter().enumerate().map(|(i, pw)| {
        let app = if i % 2 == 0 { &a } else { &b };
        login_from(app, "192.0.2.99", "pat@example.org", pw)
    }))
    .await;
    let checked = answers
        .iter()
        .filter(|r| [200, 401].contains(&r.status.as_u16()))
        .count();
    assert!(checked <= 5, "{checked} guesses were checked");
    assert!(answers.iter().all(|r| r.status.as_u16() != 500));
}

#[actix_web::test]
async fn the_address_limit_spans_accounts_and_instances_and_untrusted_forwarding_is_ignored() {
    let app = TestApp::spawn_with(|s| s.login_failures_per_address = 6).await;
    let other = app.another_with(|s| s.login_failures_per_address = 6).await;
    for i in 0..6 {
        let who = if i % 2 == 0 { &app } else { &other };
        // The peer is not a trusted proxy: the header it sends is not believed.
        login_from(
            who,
            &format!("10.9.9.{i}"),
            &format!("u{i}@example.org"),
            "nope nope nope",
        )
        .await
        .expect(401);
    }
    let r = login_from(&other, "10.1.1.1", "fresh@example.org", "nope nope nope")
        .await
        .expect(429);
    assert_eq!(r.code(), "too_many_requests");
}

#[actix_web::test]
async fn registrations_and_agendas_are_limited_per_address_across_instances() {
    let (a, b) = behind_proxy().await;
    let answers =
        join_all((0..6).map(|i| register(if i % 2 == 0 { &a } else { &b }, "203.0.113.50", i)))
            .await;
    let made = answers.iter().filter(|r| r.status.as_u16() == 202).count();
    let refused = answers.iter().filter(|r| r.status.as_u16() == 429).count();
    assert_eq!(
        (made, refused),
        (3, 3),
        "{:?}",
        answers.iter().map(|r| r.status).collect::<Vec<_>>()
    );
    // A bad body is refused for what it is and is not counted.
    let bad = json!({"email": "x", "name": "New", "password": "short"});
    a.send(
        "POST",
        "/api/v1/auth/register",
        None,
        Some(&bad),
        &[("X-Forwarded-For", "203.0.113.51")],
    )
    .await
    .expect(422);
    register(&b, "203.0.113.51", 9).await.expect(202);

    let sec = a.user("sec@example.org", Role::Secretariat).await;
    let m = a.meeting(&sec, &open_meeting()).await["id"]
        .as_i64()
        .unwrap();
    let path = format!("/api/v1/meetings/{m}/agendas");
    let mut statuses = vec![];
    for i in 0..6 {
        let app = if i % 2 == 0 { &a } else { &b };
        let r = app
            .send(
                "POST",
                &path,
                None,
                Some(&json!({"name": "mine"})),
                &[("X-Forwarded-For", "198.51.100.77")],
            )
            .await;
        statuses.push(r.status.as_u16());
    }
    assert_eq!(statuses, [201, 201, 201, 201, 429, 429]);
}

#[actix_web::test]
async fn tokens_end_with_a_password_change_a_sign_out_and_a_role_change() {
    let app = TestApp::spawn().await;
    let other = app.another().await;
    let sec = app.user("sec@example.org", Role::Secretariat).await;
    let first = app.proposer("pat@example.org").await;
    let second = other.login("pat@example.org").await;
    // A wrong current password is named, and nothing changes.
    let r = other
        .post(
            "/api/v1/auth/password",
            Some(&first),
            &json!({"current_password": "not my password", "new_password": "a new passphrase"}),
        )
        .await
        .expect(422);
    r.only_rule("current_password", "incorrect");
    let r = app
        .post(
            "/api/v1/auth/password",
            Some(&first),
            &json!({"current_password": PASSWORD, "new_password": "short"}),
        )
        .await
        .expect(422);
    r.only_rule("new_password", "min_length");
    app.get("/api/v1/auth/me", Some(&second)).await.expect(200);
    let changed = app
        .post(
            "/api/v1/auth/password",
            Some(&first),
            &json!({"current_password": PASSWORD, "new_password": "a new passphrase"}),
        )
        .await
        .expect(200);
    let third = changed.body["access_token"].as_str().unwrap().to_string();
    assert_eq!(changed.header("cache-control").as_deref(), Some("no-store"));
    for t in [&first, &second] {
        for inst in [&app, &other] {
            let r = inst.get("/api/v1/auth/me", Some(t)).await.expect(401);
            assert!(r.body["detail"].as_str().unwrap().contains("sign in again"));
        }
    }
    other.get("/api/v1/auth/me", Some(&third)).await.expect(200);
    app.post(
        "/api/v1/auth/login",
        None,
        &json!({"email": "pat@example.org", "password": PASSWORD}),
    )
    .await
    .expect(401);
    let fourth = app.login_with("pat@example.org", "a new passphrase").await;
    // Signing out everywhere ends every token at once, on every instance.
    other
        .send("POST", "/api/v1/auth/sign-out", Some(&third), None, &[])
        .await
        .expect(204);
    app.get("/api/v1/auth/me", Some(&fourth)).await.expect(401);
    other.get("/api/v1/auth/me", Some(&third)).await.expect(401);
    // A role change ends the tokens that name the old role.
    let fifth = app.login_with("pat@example.org", "a new passphrase").await;
    let me = app
        .get("/api/v1/auth/me", Some(&fifth))
        .await
        .expect(200)
        .body;
    app.patch(
        &format!("/api/v1/users/{}", me["id"]),
        Some(&sec),
        &json!({"role": "evaluator"}),
    )
    .await
    .expect(200);
    other.get("/api/v1/auth/me", Some(&fifth)).await.expect(401);
    let audit = app
        .get("/api/v1/audit?action=user.password", Some(&sec))
        .await
        .expect(200);
    assert_eq!(audit.body["total"], 1);
}

#[actix_web::test]
async fn error_bodies_stay_small_whatever_the_body_holds() {
    let app = TestApp::spawn().await;
    let sec = app.user("sec@example.org", Role::Secretariat).await;
    let meeting = app.meeting(&sec, &open_meeting()).await;
    let m = meeting["id"].as_i64().unwrap();
    let theme = meeting["themes"][0]["id"].as_i64().unwrap();
    let prop = app.proposer("pat@example.org").await;
    // 60,000 bad SDGs: the list is over its cap and refused whole.
    let mut p = complete_proposal(theme);
    p["sdgs"] = Value::Array((0..60_000).map(|_| json!(99)).collect());
    let r = app
        .post(&format!("/api/v1/meetings/{m}/proposals"), Some(&prop), &p)
        .await
        .expect(422);
    r.only_rule("sdgs", "max_items");
    assert!(
        r.body.to_string().len() < 2_000,
        "{}",
        r.body.to_string().len()
    );
    // Sixty people with bad zones: fifty problems are listed and the rest counted.
    let mut p = complete_proposal(theme);
    let person = p["participants"][0].clone();
    let people: Vec<Value> = (0..40)
        .map(|i| {
            let mut x = person.clone();
            x["name"] = json!(format!("P{i}"));
            x["timezone"] = json!("Nowhere/Land");
            x["email"] = json!("not an email");
            x
        })
        .collect();
    p["participants"] = Value::Array(people);
    let r = app
        .post(&format!("/api/v1/meetings/{m}/proposals"), Some(&prop), &p)
        .await
        .expect(422);
    let listed = r.body["errors"].as_array().unwrap().len();
    assert_eq!(listed, igf_scheduler::error::MAX_LISTED);
    let more = r.body["omitted_errors"].as_u64().unwrap();
    assert!(more >= 30, "{more}");
    assert!(
        r.body["detail"]
            .as_str()
            .unwrap()
            .contains(&format!("{}", listed as u64 + more)),
        "{}",
        r.body
    );
}

#[actix_web::test]
async fn links_start_with_the_public_url_whatever_host_the_client_names() {
    let app =
        TestApp::spawn_with(|s| s.public_url = Some("https://igf.example.org/sched".into())).await;
    let sec = app.user("sec@example.org", Role::Secretariat).await;
    let m = app.meeting(&sec, &open_meeting()).await["id"]
        .as_i64()
        .unwrap();
    let r = app
        .send(
            "POST",
            &format!("/api/v1/meetings/{m}/agendas"),
            None,
            Some(&json!({"name": "mine"})),
            &[
                ("Host", "evil.example"),
                ("X-Forwarded-Host", "evil.example"),
                ("Forwarded", "host=evil.example"),
            ],
        )
        .await
        .expect(201);
    let links = r.body["links"].to_string();
    assert!(!links.contains("evil"), "{links}");
    assert!(
        r.body["links"]["https"]
            .as_str()
            .unwrap()
            .starts_with("https://igf.example.org/sched/api/v1/agendas/"),
        "{links}"
    );
    assert!(
        r.body["links"]["webcal"]
            .as_str()
            .unwrap()
            .starts_with("webcal://igf.example.org/sched/api/v1/agendas/")
    );
}

#[actix_web::test]
async fn a_whole_number_written_with_a_fraction_is_the_integer_and_a_fraction_is_refused() {
    let app = TestApp::spawn().await;
    let sec = app.user("sec@example.org", Role::Secretariat).await;
    let meeting = app.meeting(&sec, &open_meeting()).await;
    let m = meeting["id"].as_i64().unwrap();
    let session = |minutes: Value| {
        json!({"session_type": "workshop", "title": "Whole numbers", "duration_min": minutes,
               "expected_attendance": 30.0})
    };
    let made = app
        .post(
            &format!("/api/v1/meetings/{m}/sessions"),
            Some(&sec),
            &session(json!(60.0)),
        )
        .await
        .expect(201);
    assert_eq!(made.body["duration_min"], 60);
    let r = app
        .post(
            &format!("/api/v1/meetings/{m}/sessions"),
            Some(&sec),
            &session(json!(60.5)),
        )
        .await
        .expect(422);
    assert_eq!(r.body["errors"][0]["field"], "duration_min");
}
