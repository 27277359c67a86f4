//! Proving an address, where the installation sends email: registration answers the
//! same for a new and a taken address, a new account signs in only once its address
//! is confirmed through its link, and a password is reset through a link sent to the
//! address; each link works once, until it expires or a newer one is sent. The links
//! are read from the outbox, as a mailbox would receive them.

use diesel::prelude::*;
use serde_json::{Value, json};

use crate::helpers::{PASSWORD, TestApp, free_port};

/// An app whose instances send email (to a server that is not there: the messages
/// stay in the outbox, where the test reads them).
async fn mailing() -> TestApp {
    TestApp::spawn_with(mails).await
}

/// Settings of an instance that sends email (to a server that is not there).
pub(crate) fn mails(s: &mut igf_scheduler::config::Settings) {
    s.mail = Some(igf_scheduler::config::MailSettings {
        host: "127.0.0.1".into(),
        port: free_port(),
        tls: igf_scheduler::config::SmtpTls::None,
        credentials: None,
        from: "IGF <igf@example.org>".into(),
    });
    // The worker tries rarely, so a message keeps its link while the test reads it.
    s.outbox_poll_ms = 60_000;
}

/// Every message of `kind` the outbox owes `to`, as stored.
fn owed(app: &TestApp, kind: &str, to: &str) -> Vec<Value> {
    use igf_scheduler::db::schema::outbox as ob;
    let mut c = app.pool.get().unwrap();
    let rows: Vec<String> = ob::table
        .filter(ob::kind.eq(kind))
        .filter(ob::recipient.eq(to))
        .order(ob::id)
        .select(ob::data)
        .load(&mut c)
        .unwrap();
    rows.iter()
        .map(|d| serde_json::from_str(d).unwrap())
        .collect()
}

/// The secret of the newest link of `kind` sent to `to`.
pub(crate) fn link(app: &TestApp, kind: &str, to: &str) -> String {
    owed(app, kind, to)
        .last()
        .unwrap_or_else(|| panic!("no {kind} for {to}"))["token"]
        .as_str()
        .unwrap()
        .to_string()
}

async fn register(app: &TestApp, email: &str, name: &str, password: &str) -> crate::helpers::Resp {
    app.post(
        "/api/v1/auth/register",
        None,
        &json!({"email": email, "name": name, "password": password}),
    )
    .await
    .expect(202)
}

async fn login(app: &TestApp, email: &str, password: &str) -> crate::helpers::Resp {
    app.post(
        "/api/v1/auth/login",
        None,
        &json!({"email": email, "password": password}),
    )
    .await
}

#[actix_web::test]
async fn a_new_account_signs_in_once_its_address_is_confirmed_and_registration_tells_nothing() {
    let a = mailing().await;
    let b = a.another_with(mails).await;
    let fresh = register(&a, "Ama@Example.org", "Ama Mensah", PASSWORD).await;
    // Not before its address is confirmed, with the message of any failed sign-in.
    let early = login(&b, "ama@example.org", PASSWORD).await.expect(401);
    let wrong = login(&b, "nobody@example.org", PASSWORD).await.expect(401);
    assert_eq!(early.body["detail"], wrong.body["detail"]);
    let token = link(&a, "confirm_email", "ama@example.org");
    assert_eq!(token.len(), 64);

    // A taken address answers as a new one; its holder is told, once an hour.
    let taken = register(&b, "ama@example.org", "Mallory", "mallory's password").await;
    assert_eq!(taken.raw, fresh.raw);
    register(&a, "ama@example.org", "Mallory", "mallory's password").await;
    assert_eq!(owed(&a, "account_exists", "ama@example.org").len(), 1);
    assert_eq!(owed(&a, "confirm_email", "ama@example.org").len(), 1);

    // The link with a wrong password confirms nothing and is not used up.
    let r = b
        .post(
            "/api/v1/auth/confirm-email",
            None,
            &json!({"token": token, "password": "mallory's password"}),
        )
        .await
        .expect(422);
    r.only_rule("password", "incorrect");
    let ok = b
        .post(
            "/api/v1/auth/confirm-email",
            None,
            &json!({"token": token, "password": PASSWORD}),
        )
        .await
        .expect(200);
    let access = ok.body["access_token"].as_str().unwrap();
    let me = a.get("/api/v1/auth/me", Some(access)).await.expect(200);
    assert_eq!(me.body["email_confirmed"], true);
    assert_eq!(me.body["name"], "Ama Mensah");
    login(&a, "ama@example.org", PASSWORD).await.expect(200);
    // Used once.
    a.post(
        "/api/v1/auth/confirm-email",
        None,
        &json!({"token": token, "password": PASSWORD}),
    )
    .await
    .expect(422)
    .only_rule("token", "expired");
    a.post(
        "/api/v1/auth/confirm-email",
        None,
        &json!({"token": "0".repeat(64), "password": PASSWORD}),
    )
    .await
    .expect(422)
    .only_rule("token", "expired");
}

#[actix_web::test]
async fn a_password_is_reset_through_its_link_once_and_every_earlier_sign_in_ends() {
    let a = mailing().await;
    let b = a.another_with(mails).await;
    let sec = a
        .user("sec@example.org", igf_scheduler::auth::Role::Secretariat)
        .await;
    a.post(
        "/api/v1/users",
        Some(&sec),
        &json!({"email": "kofi@example.org", "name": "Kofi", "password": PASSWORD, "role": "evaluator"}),
    )
    .await
    .expect(201);
    let before = login(&a, "kofi@example.org", PASSWORD).await.expect(200);
    let old_token = before.body["access_token"].as_str().unwrap().to_string();

    // Known and unknown addresses get the same answer; only the known one a link.
    let known = b
        .post(
            "/api/v1/auth/password-reset",
            None,
            &json!({"email": "KOFI@example.org"}),
        )
        .await
        .expect(202);
    let unknown = b
        .post(
            "/api/v1/auth/password-reset",
            None,
            &json!({"email": "ghost@example.org"}),
        )
        .await
        .expect(202);
    assert_eq!(known.raw, unknown.raw);
    assert!(owed(&a, "password_reset", "ghost@example.org").is_empty());
    let first = link(&a, "password_reset", "kofi@example.org");
    // A newer link ends the older.
    a.post(
        "/api/v1/auth/password-reset",
        None,
        &json!({"email": "kofi@example.org"}),
    )
    .await
    .expect(202);
    let second = link(&a, "password_reset", "kofi@example.org");
    assert_ne!(first, second);
    let reset = |token: String, password: &'static str| {
        let b = &b;
        async move {
            b.post(
                "/api/v1/auth/password-reset/confirm",
                None,
                &json!({"token": token, "password": password}),
            )
            .await
        }
    };
    reset(first, "a brand new password")
        .await
        .expect(422)
        .only_rule("token", "expired");
    reset(second.clone(), "short")
        .await
        .expect(422)
        .only_rule("password", "min_length");
    let done = reset(second.clone(), "a brand new password")
        .await
        .expect(200);
    assert!(done.body["access_token"].is_string());
    reset(second, "yet another password")
        .await
        .expect(422)
        .only_rule("token", "expired");
    // The old password and every earlier token end; the new password signs in.
    a.get("/api/v1/auth/me", Some(&old_token)).await.expect(401);
    login(&a, "kofi@example.org", PASSWORD).await.expect(401);
    login(&b, "kofi@example.org", "a brand new password")
        .await
        .expect(200);
    // At most three links an hour reach one account, and the asker is not told.
    for _ in 0..3 {
        a.post(
            "/api/v1/auth/password-reset",
            None,
            &json!({"email": "kofi@example.org"}),
        )
        .await
        .expect(202);
    }
    assert_eq!(owed(&a, "password_reset", "kofi@example.org").len(), 3);

    // An unconfirmed account that resets its password has its address confirmed by it.
    register(&a, "esi@example.org", "Esi", PASSWORD).await;
    b.post(
        "/api/v1/auth/password-reset",
        None,
        &json!({"email": "esi@example.org"}),
    )
    .await
    .expect(202);
    let t = link(&a, "password_reset", "esi@example.org");
    let r = reset(t, "esi's own password").await.expect(200);
    let me = a
        .get(
            "/api/v1/auth/me",
            Some(r.body["access_token"].as_str().unwrap()),
        )
        .await
        .expect(200);
    assert_eq!(me.body["email_confirmed"], true);
    // Bad input names its field.
    a.post(
        "/api/v1/auth/password-reset",
        None,
        &json!({"email": "nope"}),
    )
    .await
    .expect(422)
    .only_rule("email", "email");

    // The secretariat sees each account message's state, never its link; others
    // do not see them at all.
    let listed = b
        .get(
            "/api/v1/messages?kind=password_reset&per_page=50",
            Some(&sec),
        )
        .await
        .expect(200);
    assert_eq!(listed.body["total"], 4);
    let text = String::from_utf8_lossy(&listed.raw).to_string();
    for m in owed(&a, "password_reset", "kofi@example.org") {
        let token = m["token"].as_str().unwrap();
        assert!(token.is_empty() || !text.contains(token));
    }
    let newest = &listed.body["items"][0];
    assert_eq!(newest["recipient"], "esi@example.org");
    assert_eq!(newest["subject"], "Set a new password");
    assert_eq!(newest["state"], "queued");
    a.get("/api/v1/messages", Some(&old_token))
        .await
        .expect(401);
    let kofi = login(&a, "kofi@example.org", "a brand new password")
        .await
        .expect(200);
    a.get(
        "/api/v1/messages",
        Some(kofi.body["access_token"].as_str().unwrap()),
    )
    .await
    .expect(403);
    a.get("/api/v1/messages?kind=nonsense", Some(&sec))
        .await
        .expect(422)
        .only_rule("kind", "one_of");
}

#[actix_web::test]
async fn without_email_no_reset_link_is_made_and_the_answer_says_so() {
    let app = TestApp::spawn().await;
    app.proposer("pat@example.org").await;
    let known = app
        .post(
            "/api/v1/auth/password-reset",
            None,
            &json!({"email": "pat@example.org"}),
        )
        .await
        .expect(202);
    let unknown = app
        .post(
            "/api/v1/auth/password-reset",
            None,
            &json!({"email": "ghost@example.org"}),
        )
        .await
        .expect(202);
    assert_eq!(known.raw, unknown.raw);
    assert!(
        known.body["detail"]
            .as_str()
            .unwrap()
            .contains("sends no email")
    );
    assert!(owed(&app, "password_reset", "pat@example.org").is_empty());
}

#[actix_web::test]
async fn a_deactivated_account_neither_resets_nor_confirms_through_a_live_link() {
    let app = mailing().await;
    let sec = app
        .user("sec@example.org", igf_scheduler::auth::Role::Secretariat)
        .await;
    register(&app, "lena@example.org", "Lena", PASSWORD).await;
    let confirm = link(&app, "confirm_email", "lena@example.org");
    app.post(
        "/api/v1/auth/password-reset",
        None,
        &json!({"email": "lena@example.org"}),
    )
    .await
    .expect(202);
    let reset = link(&app, "password_reset", "lena@example.org");
    let id = app
        .get("/api/v1/users?per_page=50", Some(&sec))
        .await
        .expect(200)
        .body["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["email"] == "lena@example.org")
        .unwrap()["id"]
        .as_i64()
        .unwrap();
    app.send(
        "DELETE",
        &format!("/api/v1/users/{id}"),
        Some(&sec),
        None,
        &[],
    )
    .await
    .expect(204);
    app.post(
        "/api/v1/auth/password-reset/confirm",
        None,
        &json!({"token": reset, "password": "a takeover password"}),
    )
    .await
    .expect(422)
    .only_rule("token", "expired");
    app.post(
        "/api/v1/auth/confirm-email",
        None,
        &json!({"token": confirm, "password": PASSWORD}),
    )
    .await
    .expect(422)
    .only_rule("token", "expired");
    // Nothing changed: the old password is still the account's (were it enabled).
    let u = app
        .get(&format!("/api/v1/users/{id}"), Some(&sec))
        .await
        .expect(200);
    assert_eq!(u.body["active"], false);
    assert_eq!(u.body["email_confirmed"], false);
}
