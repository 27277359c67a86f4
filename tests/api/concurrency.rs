//! 200 clients at once on the same service: each creates, edits (with If-Match) and
//! submits its own proposal, and twenty race to edit one proposal with the same ETag.
//! No request may fail for the server's sake (no 5xx, no "database is locked"), no
//! update is lost, and every accepted write reads back afterwards. Runs on SQLite and
//! on PostgreSQL like every API test.

use futures_util::future::join_all;
use igf_scheduler::auth::Role;
use serde_json::{Value, json};

use crate::helpers::{Resp, TestApp, complete_proposal, open_meeting};

const CLIENTS: usize = 200;
const EDITS: usize = 5;

/// A complete proposal whose people and organisations are the client's own, so that
/// screening's caps per organiser do not bite.
pub fn proposal_of(client: usize, theme: i64) -> Value {
    let mut p = complete_proposal(theme);
    for (k, person) in p["participants"]
        .as_array_mut()
        .unwrap()
        .iter_mut()
        .enumerate()
    {
        person["name"] = json!(format!("Person {client}-{k}"));
        person["email"] = json!(format!("p{client}-{k}@example.org"));
        person["organisation"] = json!(format!("Organisation {client}-{k}"));
    }
    p
}

/// Fails on any status a client should never see from a healthy server.
fn healthy(r: &Resp, what: &str) {
    let s = r.status.as_u16();
    assert!(s < 500, "{what}: {s} {}", r.body);
    let text = r.body.to_string().to_lowercase();
    assert!(!text.contains("locked"), "{what}: {text}");
}

#[actix_web::test]
async fn two_hundred_clients_write_at_once_and_nothing_is_lost() {
    let app = TestApp::spawn().await;
    let sec = app.user("sec@example.org", Role::Secretariat).await;
    let meeting = app.meeting(&sec, &open_meeting()).await;
    let m = meeting["id"].as_i64().unwrap();
    let theme = meeting["themes"][0]["id"].as_i64().unwrap();
    // Accounts straight in the database and tokens signed with the app's key: the
    // load is the writes, not 200 password hashes.
    let pool = app.pool.clone();
    let ids: Vec<i64> = actix_web::rt::task::spawn_blocking(move || {
        let hash = igf_scheduler::auth::password::hash("load test password").unwrap();
        let mut c = pool.get().unwrap();
        (0..CLIENTS)
            .map(|i| {
                igf_scheduler::auth::service::create_account(
                    &mut c,
                    None,
                    &format!("load{i:03}@example.org"),
                    &format!("Load {i}"),
                    &hash,
                    Role::Proposer,
                )
                .unwrap()
            })
            .collect()
    })
    .await
    .unwrap();
    let keys =
        igf_scheduler::auth::jwt::JwtKeys::new(b"test-secret-test-secret-test-secret!", 3600);
    let tokens: Vec<String> = ids
        .iter()
        .map(|id| keys.issue(*id, Role::Proposer, 0).unwrap().token)
        .collect();

    // Every client: create, edit five times with If-Match, submit.
    let runs = tokens.iter().enumerate().map(|(i, token)| {
        let app = &app;
        async move {
            let r = app
                .post(
                    &format!("/api/v1/meetings/{m}/proposals"),
                    Some(token),
                    &proposal_of(i, theme),
                )
                .await;
            healthy(&r, "create");
            let r = r.expect(201);
            let id = r.body["id"].as_i64().unwrap();
            let mut etag = r.header("etag").unwrap();
            for k in 1..=EDITS {
                let r = app
                    .send(
                        "PATCH",
                        &format!("/api/v1/proposals/{id}"),
                        Some(token),
                        Some(&json!({"title": format!("Client {i} edit {k}")})),
                        &[("If-Match", &etag)],
                    )
                    .await;
                healthy(&r, "edit");
                etag = r.expect(200).header("etag").unwrap();
            }
            let r = app
                .post(
                    &format!("/api/v1/proposals/{id}/submit"),
                    Some(token),
                    &json!({}),
                )
                .await;
            healthy(&r, "submit");
            r.expect(200);
            id
        }
    });
    let proposals: Vec<i64> = join_all(runs).await;

    // Every accepted write reads back.
    for (i, (id, token)) in proposals.iter().zip(&tokens).enumerate() {
        let p = app
            .get(&format!("/api/v1/proposals/{id}"), Some(token))
            .await
            .expect(200)
            .body;
        assert_eq!(p["title"], format!("Client {i} edit {EDITS}"));
        assert_eq!(p["status"], "submitted");
    }
    assert_eq!(
        app.total(
            &format!("/api/v1/meetings/{m}/proposals?per_page=1"),
            Some(&sec)
        )
        .await,
        CLIENTS as i64
    );

    // Twenty edits of one draft race with the same ETag: exactly one wins, the rest
    // get 412, and the stored title is the winner's.
    let owner = &tokens[0];
    let r = app
        .post(
            &format!("/api/v1/meetings/{m}/proposals"),
            Some(owner),
            &proposal_of(CLIENTS, theme),
        )
        .await
        .expect(201);
    let (id, etag) = (r.body["id"].as_i64().unwrap(), r.header("etag").unwrap());
    let race = (0..20).map(|k| {
        let (app, etag) = (&app, etag.clone());
        async move {
            let r = app
                .send(
                    "PATCH",
                    &format!("/api/v1/proposals/{id}"),
                    Some(owner),
                    Some(&json!({"title": format!("Racer {k}")})),
                    &[("If-Match", &etag)],
                )
                .await;
            healthy(&r, "race");
            (k, r.status.as_u16())
        }
    });
    let results = join_all(race).await;
    let winners: Vec<usize> = results.iter().filter(|r| r.1 == 200).map(|r| r.0).collect();
    assert_eq!(winners.len(), 1, "{results:?}");
    assert!(
        results.iter().all(|r| r.1 == 200 || r.1 == 412),
        "{results:?}"
    );
    let stored: Value = app
        .get(&format!("/api/v1/proposals/{id}"), Some(owner))
        .await
        .expect(200)
        .body;
    assert_eq!(stored["title"], format!("Racer {}", winners[0]));
}
