use igf_scheduler::auth::Role;
use serde_json::json;

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
        .expect(201);
    assert_eq!(r.body["email"], "pat@example.org");
    assert_eq!(r.body["role"], "proposer");
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
}

#[actix_web::test]
async fn registering_a_taken_email_is_a_conflict() {
    let app = TestApp::spawn().await;
    app.proposer("pat@example.org").await;
    let r = app
        .post(
            "/api/v1/auth/register",
            None,
            &json!({"email": "PAT@example.org ", "name": "Pat", "password": PASSWORD}),
        )
        .await
        .expect(409);
    assert_eq!(r.code(), "email_taken");
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
    let forged = other.issue(1, Role::Secretariat).unwrap().token;
    app.get("/api/v1/auth/me", Some(&forged)).await.expect(401);
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
