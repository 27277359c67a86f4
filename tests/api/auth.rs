use igf_scheduler::auth::Role;
use serde_json::{Value, json};

use crate::helpers::{PASSWORD, TestApp};

#[actix_web::test]
async fn register_then_login_gives_a_bearer_token_for_the_account() {
    let app = TestApp::spawn().await;
    let r = app
        .post(
            "/api/v1/auth/register",
            None,
            &json!({"email": "Pat@Example.org", "name": "Pat", "password": PASSWORD}),
        )
        .await
        .expect(202);
    assert!(r.body.get("password_hash").is_none());
    let login = app
        .post(
            "/api/v1/auth/login",
            None,
            &json!({"email": "pat@example.org", "password": PASSWORD}),
        )
        .await
        .expect(200);
    assert_eq!(login.body["token_type"], "Bearer");
    assert!(login.body["expires_in"].as_i64().unwrap() > 0);
    let token = login.body["access_token"].as_str().unwrap();
    let me = app.get("/api/v1/auth/me", Some(token)).await.expect(200);
    assert_eq!(me.body["email"], "pat@example.org");
    assert_eq!(me.body["role"], "proposer");
    // Without email nothing can be confirmed: where the installation sends none, a
    // new account counts as confirmed and signs in at once.
    assert_eq!(me.body["email_confirmed"], true);
}

#[actix_web::test]
async fn registering_a_taken_email_answers_as_a_new_one_and_changes_nothing() {
    let app = TestApp::spawn().await;
    app.proposer("pat@example.org").await;
    let taken = app
        .post(
            "/api/v1/auth/register",
            None,
            &json!({"email": "PAT@example.org ", "name": "Mallory", "password": "another password"}),
        )
        .await
        .expect(202);
    let fresh = app
        .post(
            "/api/v1/auth/register",
            None,
            &json!({"email": "new@example.org", "name": "New", "password": PASSWORD}),
        )
        .await
        .expect(202);
    assert_eq!(
        taken.raw, fresh.raw,
        "the answers must not tell the two apart"
    );
    // The account keeps its password and name.
    let token = app.login("pat@example.org").await;
    let me = app.get("/api/v1/auth/me", Some(&token)).await.expect(200);
    assert_eq!(me.body["name"], "Pat Proposer");
}

#[actix_web::test]
async fn registration_lists_every_bad_field() {
    let app = TestApp::spawn().await;
    let r = app
        .post(
            "/api/v1/auth/register",
            None,
            &json!({"email": "nope", "name": " ", "password": "short"}),
        )
        .await
        .expect(422);
    r.has_rules(&[
        ("email", "email"),
        ("name", "required"),
        ("password", "min_length"),
    ]);
}

#[actix_web::test]
async fn a_wrong_password_or_unknown_email_is_401_with_the_same_message() {
    let app = TestApp::spawn().await;
    app.proposer("pat@example.org").await;
    let a = app
        .post(
            "/api/v1/auth/login",
            None,
            &json!({"email": "pat@example.org", "password": "wrong password!"}),
        )
        .await
        .expect(401);
    let b = app
        .post(
            "/api/v1/auth/login",
            None,
            &json!({"email": "who@example.org", "password": "wrong password!"}),
        )
        .await
        .expect(401);
    assert_eq!(a.body["detail"], b.body["detail"]);
    assert_eq!(a.header("www-authenticate").as_deref(), Some("Bearer"));
}

#[actix_web::test]
async fn missing_malformed_and_forged_tokens_are_401() {
    let app = TestApp::spawn().await;
    app.get("/api/v1/auth/me", None).await.expect(401);
    app.send(
        "GET",
        "/api/v1/auth/me",
        None,
        None,
        &[("Authorization", "Basic abc")],
    )
    .await
    .expect(401);
    app.get("/api/v1/auth/me", Some("not.a.jwt"))
        .await
        .expect(401);
    // A token signed with another secret.
    let other = igf_scheduler::auth::jwt::JwtKeys::new(b"some-other-secret-of-enough-length!!", 60);
    let forged = other.issue(1, Role::Secretariat, 0).unwrap().token;
    app.get("/api/v1/auth/me", Some(&forged)).await.expect(401);
}

/// Signs claims with the test app's secret (or `secret`) and algorithm.
fn sign(claims: &Value, alg: jsonwebtoken::Algorithm, secret: &[u8]) -> String {
    jsonwebtoken::encode(
        &jsonwebtoken::Header::new(alg),
        claims,
        &jsonwebtoken::EncodingKey::from_secret(secret),
    )
    .unwrap()
}

#[actix_web::test]
async fn tokens_that_are_forged_expired_misaddressed_or_orphaned_are_401() {
    use base64::Engine;
    use igf_scheduler::auth::jwt::{ISSUER, SESSION_AUDIENCE};
    use jsonwebtoken::Algorithm::{HS256, HS512};
    let app = TestApp::spawn().await;
    let token = app.proposer("pat@example.org").await;
    let me = app
        .get("/api/v1/auth/me", Some(&token))
        .await
        .expect(200)
        .body;
    let id = me["id"].as_i64().unwrap().to_string();
    let secret = b"test-secret-test-secret-test-secret!";
    let now = chrono::Utc::now().timestamp();
    let claims = |f: &dyn Fn(&mut serde_json::Map<String, Value>)| {
        let mut c = json!({"sub": id, "role": "proposer", "exp": now + 600, "iat": now,
            "iss": ISSUER, "aud": SESSION_AUDIENCE, "ver": 0});
        f(c.as_object_mut().unwrap());
        c
    };
    // The honest token made the same way is accepted, so each refusal below is for
    // the one thing changed.
    let honest = sign(&claims(&|_| {}), HS256, secret);
    app.get("/api/v1/auth/me", Some(&honest)).await.expect(200);
    let b64 = |b: &[u8]| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(b);
    let unsigned = format!(
        "{}.{}.",
        b64(br#"{"alg":"none","typ":"JWT"}"#),
        b64(claims(&|_| {}).to_string().as_bytes())
    );
    let mut tampered = honest.clone();
    tampered.pop();
    tampered.push(if honest.ends_with('A') { 'B' } else { 'A' });
    let cases = [
        ("alg none", unsigned),
        ("another algorithm", sign(&claims(&|_| {}), HS512, secret)),
        ("a changed signature", tampered),
        (
            "another secret",
            sign(&claims(&|_| {}), HS256, b"another-secret-another-secret-xx"),
        ),
        (
            "expired",
            sign(
                &claims(&|c| {
                    c.insert("exp".into(), json!(now - 120));
                }),
                HS256,
                secret,
            ),
        ),
        (
            "another audience",
            sign(
                &claims(&|c| {
                    c.insert("aud".into(), json!("igf-scheduler:agenda"));
                }),
                HS256,
                secret,
            ),
        ),
        (
            "another issuer",
            sign(
                &claims(&|c| {
                    c.insert("iss".into(), json!("pretalx"));
                }),
                HS256,
                secret,
            ),
        ),
        (
            "issued in the future",
            sign(
                &claims(&|c| {
                    c.insert("iat".into(), json!(now + 86_400 * 365));
                    c.insert("exp".into(), json!(now + 86_400 * 366));
                }),
                HS256,
                secret,
            ),
        ),
        (
            "an ended token version",
            sign(
                &claims(&|c| {
                    c.insert("ver".into(), json!(-1));
                }),
                HS256,
                secret,
            ),
        ),
        (
            "no token version",
            sign(
                &claims(&|c| {
                    c.remove("ver");
                }),
                HS256,
                secret,
            ),
        ),
        (
            "no expiry",
            sign(
                &claims(&|c| {
                    c.remove("exp");
                }),
                HS256,
                secret,
            ),
        ),
        (
            "an account that does not exist",
            sign(
                &claims(&|c| {
                    c.insert("sub".into(), json!("987654"));
                }),
                HS256,
                secret,
            ),
        ),
        (
            "a subject that is not an id",
            sign(
                &claims(&|c| {
                    c.insert("sub".into(), json!("admin"));
                }),
                HS256,
                secret,
            ),
        ),
    ];
    for (what, t) in &cases {
        let r = app.get("/api/v1/auth/me", Some(t)).await;
        assert_eq!(r.status.as_u16(), 401, "a token with {what}: {:?}", r.body);
        assert_eq!(r.header("www-authenticate").as_deref(), Some("Bearer"));
    }
    // A role claimed in the token is not believed: the database's role rules.
    let claimed = sign(
        &claims(&|c| {
            c.insert("role".into(), json!("secretariat"));
        }),
        HS256,
        secret,
    );
    let me = app
        .get("/api/v1/auth/me", Some(&claimed))
        .await
        .expect(200)
        .body;
    assert_eq!(me["role"], "proposer");
    app.get("/api/v1/users", Some(&claimed)).await.expect(403);
}

#[actix_web::test]
async fn failed_sign_ins_are_limited_per_account_with_retry_after() {
    let app = TestApp::spawn().await;
    app.proposer("pat@example.org").await;
    app.proposer("kim@example.org").await;
    let login = |email: &'static str, password: &'static str| {
        let app = &app;
        async move {
            app.post(
                "/api/v1/auth/login",
                None,
                &json!({"email": email, "password": password}),
            )
            .await
        }
    };
    for _ in 0..5 {
        login("pat@example.org", "wrong password!")
            .await
            .expect(401);
    }
    // Past the limit even the right password waits, with a problem and Retry-After.
    let r = login("pat@example.org", PASSWORD).await.expect(429);
    assert_eq!(r.body["code"], "too_many_requests");
    let wait: u64 = r.header("retry-after").unwrap().parse().unwrap();
    assert!((1..=900).contains(&wait), "{wait}");
    // An unknown email is counted the same way, so the limit tells nothing either.
    for _ in 0..5 {
        login("nobody@example.org", "wrong password!")
            .await
            .expect(401);
    }
    login("nobody@example.org", "wrong password!")
        .await
        .expect(429);
    // Another account from the same address is not held back.
    login("kim@example.org", PASSWORD).await.expect(200);
}

#[actix_web::test]
async fn only_the_secretariat_creates_evaluators_and_lists_accounts() {
    let app = TestApp::spawn().await;
    let sec = app.user("sec@example.org", Role::Secretariat).await;
    let prop = app.proposer("pat@example.org").await;
    let body = json!({"email": "mag1@example.org", "name": "MAG One", "password": PASSWORD, "role": "evaluator"});
    app.post("/api/v1/users", Some(&prop), &body)
        .await
        .expect(403);
    let r = app
        .post("/api/v1/users", Some(&sec), &body)
        .await
        .expect(201);
    assert_eq!(r.body["role"], "evaluator");
    let eval = app.login("mag1@example.org").await;
    app.get("/api/v1/users", Some(&eval)).await.expect(403);
    let list = app
        .get("/api/v1/users?role=evaluator", Some(&sec))
        .await
        .expect(200);
    assert_eq!(list.body["total"], 1);
    assert_eq!(list.body["items"][0]["email"], "mag1@example.org");
    app.get("/api/v1/users?role=king", Some(&sec))
        .await
        .expect(422);
}

#[actix_web::test]
async fn a_disabled_account_loses_its_token_at_once() {
    use diesel::prelude::*;
    let app = TestApp::spawn().await;
    let tok = app.proposer("pat@example.org").await;
    app.get("/api/v1/auth/me", Some(&tok)).await.expect(200);
    let mut c = app.pool.get().unwrap();
    diesel::update(igf_scheduler::db::schema::users::table)
        .set(igf_scheduler::db::schema::users::active.eq(false))
        .execute(&mut c)
        .unwrap();
    app.get("/api/v1/auth/me", Some(&tok)).await.expect(401);
}
