//! A committee per meeting, and accounts that can be read, changed, deactivated and
//! reactivated.

use igf_scheduler::auth::Role;
use serde_json::json;

use crate::evaluation::{me, panel};
use crate::helpers::{TestApp, open_meeting};

#[actix_web::test]
async fn only_the_committee_is_assigned_and_members_leave_with_their_unscored_work() {
    let p = panel().await;
    // An evaluator of another meeting, not on this committee.
    let outsider = p.app.user("outsider@example.org", Role::Evaluator).await;
    let outsider_id = me(&p.app, &outsider).await;
    let committee = format!("/api/v1/meetings/{}/evaluators", p.meeting);
    let c = p.app.get(&committee, Some(&p.sec)).await.expect(200).body;
    assert_eq!(c["members"].as_array().unwrap().len(), 6, "{c}");
    assert!(
        c["members"]
            .as_array()
            .unwrap()
            .iter()
            .all(|m| m["user_id"] != json!(outsider_id))
    );
    p.app
        .post(&p.path(), Some(&p.sec), &json!({"per_proposal": 3}))
        .await
        .expect(200);
    let pairs = p.pairs(&p.sec).await;
    assert!(!pairs.is_empty());
    assert!(pairs.iter().all(|(_, e)| *e != outsider_id), "{pairs:?}");
    let c = p.app.get(&committee, Some(&p.sec)).await.expect(200).body;
    let assigned: i64 = c["members"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["assigned"].as_i64().unwrap())
        .sum();
    assert_eq!(assigned as usize, pairs.len(), "{c}");

    // A member with assignments and no scores leaves with them.
    let (_, leaving) = pairs[0];
    p.app
        .send(
            "DELETE",
            &format!("{committee}/{leaving}"),
            Some(&p.sec),
            None,
            &[],
        )
        .await
        .expect(204);
    assert!(p.pairs(&p.sec).await.iter().all(|(_, e)| *e != leaving));
    p.app
        .send(
            "DELETE",
            &format!("{committee}/{leaving}"),
            Some(&p.sec),
            None,
            &[],
        )
        .await
        .expect(404);

    // Bad ids are named one by one, and nothing is added.
    let prop = p.app.proposer("prop2@example.org").await;
    let prop_id = me(&p.app, &prop).await;
    let r = p
        .app
        .post(
            &committee,
            Some(&p.sec),
            &json!({"user_ids": [outsider_id, prop_id, 999_999]}),
        )
        .await
        .expect(422);
    r.has_rules(&[("user_ids[1]", "evaluator"), ("user_ids[2]", "exists")]);
    assert_eq!(r.field_rules().len(), 2, "{}", r.body);
    p.app
        .post(&committee, Some(&p.sec), &json!({"user_ids": []}))
        .await
        .expect(422)
        .only_rule("user_ids", "min_items");
    let c = p.app.get(&committee, Some(&p.sec)).await.expect(200).body;
    assert_eq!(c["members"].as_array().unwrap().len(), 5);

    // Adding is idempotent for members already there.
    let c = p
        .app
        .post(
            &committee,
            Some(&p.sec),
            &json!({"user_ids": [outsider_id, outsider_id]}),
        )
        .await
        .expect(200)
        .body;
    assert_eq!(c["members"].as_array().unwrap().len(), 6);
    // Evaluators and proposers cannot see or change the committee.
    p.app
        .get(&committee, Some(&p.evaluators[1].0))
        .await
        .expect(403);
    p.app
        .post(&committee, Some(&prop), &json!({"user_ids": [prop_id]}))
        .await
        .expect(403);
}

#[actix_web::test]
async fn a_meeting_without_a_committee_says_so_when_asked_to_assign() {
    let p = panel().await;
    let other = p.app.meeting(&p.sec, &open_meeting()).await;
    let id = other["id"].as_i64().unwrap();
    let theme = other["themes"][0]["id"].as_i64().unwrap();
    let prop = p.app.proposer("solo@example.org").await;
    let pid = p
        .app
        .post(
            &format!("/api/v1/meetings/{id}/proposals"),
            Some(&prop),
            &crate::helpers::complete_proposal(theme),
        )
        .await
        .expect(201)
        .body["id"]
        .as_i64()
        .unwrap();
    p.app
        .post(
            &format!("/api/v1/proposals/{pid}/submit"),
            Some(&prop),
            &json!({}),
        )
        .await
        .expect(200);
    let r = p
        .app
        .post(
            &format!("/api/v1/meetings/{id}/evaluation/assignments"),
            Some(&p.sec),
            &json!({}),
        )
        .await
        .expect(409);
    assert_eq!(r.code(), "empty_committee");
}

#[actix_web::test]
async fn a_member_who_has_scored_stays_on_the_committee() {
    let p = panel().await;
    p.scoring().await;
    let (proposal, evaluator) = p.pairs(&p.sec).await[0];
    let token = &p.evaluators.iter().find(|e| e.1 == evaluator).unwrap().0;
    p.app
        .send(
            "PUT",
            &format!("/api/v1/proposals/{proposal}/score"),
            Some(token),
            Some(&json!({"scores": {"relevance": 4, "content": 5, "format_and_hybrid": 3, "diversity": 4}, "comment": "fine"})),
            &[],
        )
        .await
        .expect(201);
    let r = p
        .app
        .send(
            "DELETE",
            &format!("/api/v1/meetings/{}/evaluators/{evaluator}", p.meeting),
            Some(&p.sec),
            None,
            &[],
        )
        .await
        .expect(409);
    assert_eq!(r.code(), "evaluator_has_scores");
    assert!(p.pairs(&p.sec).await.contains(&(proposal, evaluator)));
}

#[actix_web::test]
async fn accounts_are_read_changed_deactivated_and_reactivated() {
    let app = TestApp::spawn().await;
    let sec = app.user("sec@example.org", Role::Secretariat).await;
    let sec_id = me(&app, &sec).await;
    let eval = app.user("mag@example.org", Role::Evaluator).await;
    let eval_id = me(&app, &eval).await;
    let prop = app.proposer("pat@example.org").await;
    let prop_id = me(&app, &prop).await;
    let path = format!("/api/v1/users/{eval_id}");

    let u = app.get(&path, Some(&sec)).await.expect(200).body;
    assert_eq!(u["email"], "mag@example.org");
    assert!(u.get("password_hash").is_none());
    app.get(&path, Some(&eval)).await.expect(200);
    app.get(&path, Some(&prop)).await.expect(403);
    app.get("/api/v1/users/999999", Some(&sec))
        .await
        .expect(404);

    // Anyone renames themselves; nobody else but the secretariat, and only it changes
    // roles or the active flag.
    let u = app
        .patch(&path, Some(&eval), &json!({"name": "  Dr Mag  "}))
        .await
        .expect(200)
        .body;
    assert_eq!(u["name"], "Dr Mag");
    app.patch(&path, Some(&prop), &json!({"name": "Mine"}))
        .await
        .expect(403);
    app.patch(&path, Some(&eval), &json!({"active": false}))
        .await
        .expect(403);
    app.patch(&path, Some(&sec), &json!({"name": " "}))
        .await
        .expect(422)
        .only_rule("name", "required");
    let r = app
        .patch(&path, Some(&sec), &json!({"role": "wizard"}))
        .await
        .expect(422);
    assert_eq!(r.field_rules()[0].0, "role", "{}", r.body);
    app.patch(&path, Some(&sec), &json!({"email": "x@example.org"}))
        .await
        .expect(422);

    // The secretariat cannot lock itself out.
    let own = format!("/api/v1/users/{sec_id}");
    let r = app
        .patch(&own, Some(&sec), &json!({"active": false}))
        .await
        .expect(409);
    assert_eq!(r.code(), "own_account");
    let r = app
        .patch(&own, Some(&sec), &json!({"role": "proposer"}))
        .await
        .expect(409);
    assert_eq!(r.code(), "own_account");
    let r = app
        .send("DELETE", &own, Some(&sec), None, &[])
        .await
        .expect(409);
    assert_eq!(r.code(), "own_account");

    // Deactivation ends the account's tokens at once; reactivation lets it sign in.
    app.send("DELETE", &path, Some(&sec), None, &[])
        .await
        .expect(204);
    app.get("/api/v1/auth/me", Some(&eval)).await.expect(401);
    app.post(
        "/api/v1/auth/login",
        None,
        &json!({"email": "mag@example.org", "password": crate::helpers::PASSWORD}),
    )
    .await
    .expect(401);
    let u = app
        .patch(&path, Some(&sec), &json!({"active": true}))
        .await
        .expect(200)
        .body;
    assert_eq!(u["active"], true);
    app.login("mag@example.org").await;

    // A committee member keeps the evaluator role until removed.
    let m = app.meeting(&sec, &open_meeting()).await;
    let committee = format!("/api/v1/meetings/{}/evaluators", m["id"]);
    app.post(&committee, Some(&sec), &json!({"user_ids": [eval_id]}))
        .await
        .expect(200);
    let r = app
        .patch(&path, Some(&sec), &json!({"role": "proposer"}))
        .await
        .expect(409);
    assert_eq!(r.code(), "on_committee");
    app.send(
        "DELETE",
        &format!("{committee}/{eval_id}"),
        Some(&sec),
        None,
        &[],
    )
    .await
    .expect(204);
    let u = app
        .patch(&path, Some(&sec), &json!({"role": "proposer"}))
        .await
        .expect(200)
        .body;
    assert_eq!(u["role"], "proposer");
    // A proposer's account is not an evaluator: the committee says so.
    app.post(&committee, Some(&sec), &json!({"user_ids": [prop_id]}))
        .await
        .expect(422)
        .only_rule("user_ids[0]", "evaluator");
}
