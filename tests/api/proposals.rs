use igf_scheduler::auth::Role;
use serde_json::{Value, json};

use crate::helpers::{TestApp, complete_proposal, open_meeting, person};

struct World {
    app: TestApp,
    sec: String,
    meeting: i64,
    theme: i64,
}

async fn world() -> World {
    let app = TestApp::spawn().await;
    let sec = app.user("sec@example.org", Role::Secretariat).await;
    let m = app.meeting(&sec, &open_meeting()).await;
    World {
        meeting: m["id"].as_i64().unwrap(),
        theme: m["themes"][0]["id"].as_i64().unwrap(),
        app,
        sec,
    }
}

impl World {
    async fn draft(&self, token: &str, body: &Value) -> i64 {
        let r = self
            .app
            .post(
                &format!("/api/v1/meetings/{}/proposals", self.meeting),
                Some(token),
                body,
            )
            .await
            .expect(201);
        assert_eq!(r.body["status"], "draft");
        r.body["id"].as_i64().unwrap()
    }

    /// POSTs a life-cycle action (`submit`, `withdraw`) on a proposal.
    async fn act(&self, id: i64, action: &str, token: &str) -> crate::helpers::Resp {
        let path = format!("/api/v1/proposals/{id}/{action}");
        self.app.post(&path, Some(token), &json!({})).await
    }

    async fn close_call(&self) {
        let now = chrono::Utc::now();
        self.app
            .patch(
                &format!("/api/v1/meetings/{}", self.meeting),
                Some(&self.sec),
                &json!({"cfp_opens_at": (now - chrono::Duration::days(20)).to_rfc3339(),
                        "cfp_closes_at": (now - chrono::Duration::minutes(1)).to_rfc3339()}),
            )
            .await
            .expect(200);
    }
}

#[actix_web::test]
async fn draft_submit_with_screening_errors_fix_submit_withdraw() {
    let w = world().await;
    let tok = w.app.proposer("pat@example.org").await;
    let id = w.draft(&tok, &json!({"title": "Half-finished idea", "participants": [person("speaker", "Ben", "male", "online")]})).await;

    let r = w.act(id, "submit", &tok).await.expect(422);
    assert_eq!(r.code(), "screening_failed");
    r.has_rules(&[
        ("description", "required"),
        ("theme_id", "required"),
        ("participants", "required"),
        ("participants", "min_speakers"),
        ("participants", "speaker_gender_mix"),
        ("participants", "onsite_moderator"),
        ("participants", "min_onsite_speakers"),
        ("participants", "online_moderator"),
    ]);
    // The dry run reports the same, without submitting.
    let s = w
        .app
        .get(&format!("/api/v1/proposals/{id}/screening"), Some(&tok))
        .await
        .expect(200);
    assert_eq!(s.body["passes"], false);
    assert_eq!(
        s.body["failures"].as_array().unwrap().len(),
        r.field_rules().len()
    );

    let mut fix = complete_proposal(w.theme);
    fix.as_object_mut().unwrap().remove("title");
    let r = w
        .app
        .patch(&format!("/api/v1/proposals/{id}"), Some(&tok), &fix)
        .await
        .expect(200);
    assert_eq!(r.body["status"], "draft");
    assert_eq!(r.body["participants"].as_array().unwrap().len(), 6);
    assert_eq!(r.body["title"], "Half-finished idea");

    let r = w.act(id, "submit", &tok).await.expect(200);
    assert_eq!(r.body["status"], "submitted");
    assert!(r.body["submitted_at"].is_string());
    w.act(id, "submit", &tok).await.expect(409);

    let r = w.act(id, "withdraw", &tok).await.expect(200);
    assert_eq!(r.body["status"], "withdrawn");
    let r = w.act(id, "withdraw", &tok).await.expect(409);
    assert_eq!(r.code(), "proposal_withdrawn");
    w.app
        .patch(
            &format!("/api/v1/proposals/{id}"),
            Some(&tok),
            &json!({"title": "again"}),
        )
        .await
        .expect(409);

    let a = w
        .app
        .get(
            &format!("/api/v1/audit?entity_type=proposal&entity_id={id}"),
            Some(&w.sec),
        )
        .await
        .expect(200);
    let actions: Vec<&str> = a.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    assert_eq!(
        actions,
        vec![
            "proposal.withdraw",
            "proposal.submit",
            "proposal.update",
            "proposal.create"
        ]
    );
}

#[actix_web::test]
async fn a_proposer_sees_only_their_own_proposals() {
    let w = world().await;
    let a = w.app.proposer("a@example.org").await;
    let b = w.app.proposer("b@example.org").await;
    let id = w.draft(&a, &json!({"title": "Mine"})).await;
    w.draft(&b, &json!({"title": "Theirs"})).await;
    for path in [
        format!("/api/v1/proposals/{id}"),
        format!("/api/v1/proposals/{id}/screening"),
    ] {
        w.app.get(&path, Some(&b)).await.expect(404);
    }
    w.app
        .patch(
            &format!("/api/v1/proposals/{id}"),
            Some(&b),
            &json!({"title": "Hijacked"}),
        )
        .await
        .expect(404);
    w.act(id, "withdraw", &b).await.expect(404);
    w.app
        .get(&format!("/api/v1/proposals/{id}"), None)
        .await
        .expect(401);
    let list = w
        .app
        .get(
            &format!("/api/v1/meetings/{}/proposals", w.meeting),
            Some(&b),
        )
        .await
        .expect(200);
    assert_eq!(list.body["total"], 1);
    assert_eq!(list.body["items"][0]["title"], "Theirs");
    let all = w
        .app
        .get(
            &format!("/api/v1/meetings/{}/proposals", w.meeting),
            Some(&w.sec),
        )
        .await
        .expect(200);
    assert_eq!(all.body["total"], 2);
    let eval = w.app.user("mag@example.org", Role::Evaluator).await;
    w.app
        .get(
            &format!("/api/v1/meetings/{}/proposals", w.meeting),
            Some(&eval),
        )
        .await
        .expect(403);
    w.app
        .get(&format!("/api/v1/proposals/{id}"), Some(&eval))
        .await
        .expect(404);
}

#[actix_web::test]
async fn evaluators_and_the_secretariat_do_not_propose() {
    let w = world().await;
    let eval = w.app.user("mag@example.org", Role::Evaluator).await;
    w.app
        .post(
            &format!("/api/v1/meetings/{}/proposals", w.meeting),
            Some(&eval),
            &json!({"title": "x"}),
        )
        .await
        .expect(403);
    w.app
        .post(
            &format!("/api/v1/meetings/{}/proposals", w.meeting),
            Some(&w.sec),
            &json!({"title": "x"}),
        )
        .await
        .expect(403);
}

#[actix_web::test]
async fn a_mag_member_named_as_organiser_fails_screening() {
    let w = world().await;
    w.app
        .user("amina.organiser@example.org", Role::Evaluator)
        .await;
    let tok = w.app.proposer("pat@example.org").await;
    let id = w.draft(&tok, &complete_proposal(w.theme)).await;
    let r = w.act(id, "submit", &tok).await.expect(422);
    r.only_rule("participants[0].email", "no_mag_proposer");
}

#[actix_web::test]
async fn an_organiser_may_organise_three_submitted_proposals_not_four() {
    let w = world().await;
    let tok = w.app.proposer("pat@example.org").await;
    for _ in 0..3 {
        let id = w.draft(&tok, &complete_proposal(w.theme)).await;
        w.act(id, "submit", &tok).await.expect(200);
    }
    let id = w.draft(&tok, &complete_proposal(w.theme)).await;
    let r = w.act(id, "submit", &tok).await.expect(422);
    let rules: Vec<String> = r.field_rules().into_iter().map(|(_, r)| r).collect();
    assert_eq!(
        rules,
        vec![
            "max_proposals_per_organiser",
            "max_proposals_per_organisation"
        ]
    );
    // Switching the rules off for this meeting lets it through.
    let mut rules_off = w
        .app
        .get(&format!("/api/v1/meetings/{}", w.meeting), None)
        .await
        .body["screening"]
        .clone();
    rules_off["max_proposals_per_organiser"] = Value::Null;
    rules_off["max_proposals_per_organisation"] = Value::Null;
    w.app
        .patch(
            &format!("/api/v1/meetings/{}", w.meeting),
            Some(&w.sec),
            &json!({"screening": rules_off}),
        )
        .await
        .expect(200);
    w.act(id, "submit", &tok).await.expect(200);
}

#[actix_web::test]
async fn after_the_deadline_proposers_cannot_submit_or_edit_but_the_secretariat_can_correct() {
    let w = world().await;
    let tok = w.app.proposer("pat@example.org").await;
    let id = w.draft(&tok, &complete_proposal(w.theme)).await;
    w.close_call().await;
    let r = w.act(id, "submit", &tok).await.expect(409);
    assert_eq!(r.code(), "cfp_closed");
    assert!(r.body["deadline"]["utc"].as_str().unwrap().ends_with('Z'));
    assert!(r.body["deadline"]["local"].as_str().unwrap().contains('+'));
    assert_eq!(r.body["deadline"]["zone"], "Europe/Oslo");
    let detail = r.body["detail"].as_str().unwrap();
    assert!(
        detail.contains("Europe/Oslo") && detail.contains('Z'),
        "{detail}"
    );
    w.app
        .patch(
            &format!("/api/v1/proposals/{id}"),
            Some(&tok),
            &json!({"title": "Late"}),
        )
        .await
        .expect(409);
    w.app
        .post(
            &format!("/api/v1/meetings/{}/proposals", w.meeting),
            Some(&tok),
            &json!({"title": "Too late"}),
        )
        .await
        .expect(409);
    let r = w
        .app
        .patch(
            &format!("/api/v1/proposals/{id}"),
            Some(&w.sec),
            &json!({"title": "Corrected by the secretariat"}),
        )
        .await
        .expect(200);
    assert_eq!(r.body["title"], "Corrected by the secretariat");
    // Withdrawal stays possible.
    w.act(id, "withdraw", &tok).await.expect(200);
}

#[actix_web::test]
async fn an_edit_that_breaks_screening_of_a_submitted_proposal_changes_nothing() {
    let w = world().await;
    let tok = w.app.proposer("pat@example.org").await;
    let id = w.draft(&tok, &complete_proposal(w.theme)).await;
    let submitted = w.act(id, "submit", &tok).await.expect(200).body;
    let only_two = json!({"participants": [person("organiser", "Amina Organiser", "female", "onsite"), person("speaker", "Ben Speaker", "male", "onsite")]});
    let r = w
        .app
        .patch(
            &format!("/api/v1/proposals/{id}"),
            Some(&tok),
            &json!({"title": "New title", "participants": only_two["participants"]}),
        )
        .await
        .expect(422);
    assert_eq!(r.code(), "screening_failed");
    let after = w
        .app
        .get(&format!("/api/v1/proposals/{id}"), Some(&tok))
        .await
        .expect(200)
        .body;
    assert_eq!(after, submitted);
}

#[actix_web::test]
async fn references_must_belong_to_the_meeting() {
    let w = world().await;
    let other = w.app.meeting(&w.sec, &open_meeting()).await;
    let foreign_theme = other["themes"][0]["id"].as_i64().unwrap();
    let tok = w.app.proposer("pat@example.org").await;
    let path = format!("/api/v1/meetings/{}/proposals", w.meeting);
    let r = w
        .app
        .post(
            &path,
            Some(&tok),
            &json!({"title": "x", "theme_id": foreign_theme}),
        )
        .await
        .expect(422);
    r.only_rule("theme_id", "exists");
    let r = w
        .app
        .post(
            &path,
            Some(&tok),
            &json!({"title": "x", "session_type": "main_session"}),
        )
        .await
        .expect(422);
    r.only_rule("session_type", "from_call");
    let r = w
        .app
        .post(
            &path,
            Some(&tok),
            &json!({"title": "x", "session_type": "karaoke"}),
        )
        .await
        .expect(422);
    r.only_rule("session_type", "exists");
    let r = w
        .app
        .post(&path, Some(&tok), &json!({"title": "x", "sdgs": [18, 3, 3], "participants": [{"role": "speaker", "name": "Z", "timezone": "Mars/Base", "country": "kenya", "email": "z"}]}))
        .await
        .expect(422);
    r.has_rules(&[
        ("sdgs[0]", "range"),
        ("sdgs[2]", "unique"),
        ("participants[0].timezone", "timezone"),
        ("participants[0].country", "country_code"),
        ("participants[0].email", "email"),
    ]);
    let r = w
        .app
        .post(
            &path,
            Some(&tok),
            &json!({"title": "x", "participants": [{"role": "keynote", "name": "Z"}]}),
        )
        .await
        .expect(422);
    assert_eq!(r.field_rules()[0].0, "participants[0].role");
    let list = w.app.get(&path, Some(&tok)).await.expect(200);
    assert_eq!(
        list.body["total"], 0,
        "nothing was written by refused requests"
    );
}

#[actix_web::test]
async fn lists_paginate_filter_and_search() {
    let w = world().await;
    let tok = w.app.proposer("pat@example.org").await;
    let theme2 = w
        .app
        .get(&format!("/api/v1/meetings/{}", w.meeting), None)
        .await
        .body["themes"][1]["id"]
        .as_i64()
        .unwrap();
    for i in 0..5 {
        let mut b = json!({"title": format!("Topic {i}: 100% data_governance"), "theme_id": if i % 2 == 0 { w.theme } else { theme2 }});
        if i == 4 {
            b["participants"] = json!([person("speaker", "Grace Hopper", "female", "onsite")]);
            b["participants"][0]["regional_group"] = json!("grulac");
            b["title"] = json!("Submarine cables");
        }
        w.draft(&tok, &b).await;
    }
    let path = format!("/api/v1/meetings/{}/proposals", w.meeting);
    let p1 = w
        .app
        .get(&format!("{path}?per_page=2"), Some(&tok))
        .await
        .expect(200);
    assert_eq!(
        (
            p1.body["total"].as_i64(),
            p1.body["items"].as_array().unwrap().len()
        ),
        (Some(5), 2)
    );
    let p3 = w
        .app
        .get(&format!("{path}?per_page=2&page=3"), Some(&tok))
        .await
        .expect(200);
    assert_eq!(p3.body["items"].as_array().unwrap().len(), 1);
    assert_eq!(
        w.app
            .total(&format!("{path}?theme_id={theme2}"), Some(&tok))
            .await,
        2
    );
    assert_eq!(
        w.app
            .total(&format!("{path}?regional_group=grulac"), Some(&tok))
            .await,
        1
    );
    assert_eq!(
        w.app
            .total(&format!("{path}?q=SUBMARINE"), Some(&tok))
            .await,
        1
    );
    // LIKE wildcards in the search are taken literally.
    assert_eq!(
        w.app.total(&format!("{path}?q=100%25"), Some(&tok)).await,
        4
    );
    assert_eq!(w.app.total(&format!("{path}?q=a_g"), Some(&tok)).await, 4);
    assert_eq!(w.app.total(&format!("{path}?q=1_0"), Some(&tok)).await, 0);
    assert_eq!(
        w.app
            .total(&format!("{path}?status=submitted"), Some(&tok))
            .await,
        0
    );
    w.app
        .get(&format!("{path}?per_page=0"), Some(&tok))
        .await
        .expect(422);
    w.app
        .get(&format!("{path}?status=maybe"), Some(&tok))
        .await
        .expect(422);
    w.app
        .get(&format!("{path}?colour=red"), Some(&tok))
        .await
        .expect(422);
}

#[actix_web::test]
async fn if_match_protects_proposal_edits() {
    let w = world().await;
    let tok = w.app.proposer("pat@example.org").await;
    let id = w.draft(&tok, &json!({"title": "v1"})).await;
    let etag = w
        .app
        .get(&format!("/api/v1/proposals/{id}"), Some(&tok))
        .await
        .header("etag")
        .unwrap();
    let path = format!("/api/v1/proposals/{id}");
    w.app
        .send(
            "PATCH",
            &path,
            Some(&tok),
            Some(&json!({"title": "v2"})),
            &[("If-Match", &etag)],
        )
        .await
        .expect(200);
    w.app
        .send(
            "PATCH",
            &path,
            Some(&tok),
            Some(&json!({"title": "v3"})),
            &[("If-Match", &etag)],
        )
        .await
        .expect(412);
    assert_eq!(w.app.get(&path, Some(&tok)).await.body["title"], "v2");
}

#[actix_web::test]
async fn patch_null_clears_and_absent_keeps() {
    let w = world().await;
    let tok = w.app.proposer("pat@example.org").await;
    let id = w
        .draft(
            &tok,
            &json!({"title": "t", "theme_id": w.theme, "duration_min": 60}),
        )
        .await;
    let r = w
        .app
        .patch(
            &format!("/api/v1/proposals/{id}"),
            Some(&tok),
            &json!({"theme_id": null}),
        )
        .await
        .expect(200);
    assert_eq!(r.body["theme_id"], Value::Null);
    assert_eq!(r.body["duration_min"], 60);
}

#[actix_web::test]
async fn after_the_deadline_the_secretariat_edits_and_screening_says_what_that_breaks() {
    let w = world().await;
    let tok = w.app.proposer("pat@example.org").await;
    let id = w.draft(&tok, &complete_proposal(w.theme)).await;
    let submitted = w.act(id, "submit", &tok).await.expect(200).body;
    assert_eq!(submitted["screening"], json!([]), "it passes: {submitted}");
    let closed = (chrono::Utc::now() - chrono::Duration::minutes(1)).to_rfc3339();
    w.app
        .patch(
            &format!("/api/v1/meetings/{}", w.meeting),
            Some(&w.sec),
            &json!({"cfp_closes_at": closed}),
        )
        .await
        .expect(200);
    let path = format!("/api/v1/proposals/{id}");
    let r = w
        .app
        .patch(&path, Some(&tok), &json!({"title": "Late change"}))
        .await;
    assert!(r.status == 409 || r.status == 422, "{:?}", r.body);
    // A speaker withdrew: the secretariat keeps the session with two people, and is
    // told what that breaks.
    let two = json!([
        person("organiser", "Amina Organiser", "female", "onsite"),
        person("speaker", "Ben Speaker", "male", "onsite")
    ]);
    let edited = w
        .app
        .patch(&path, Some(&w.sec), &json!({"participants": two}))
        .await
        .expect(200)
        .body;
    assert_eq!(edited["participants"].as_array().unwrap().len(), 2);
    assert_eq!(edited["status"], "submitted");
    let rules: Vec<&str> = edited["screening"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["rule"].as_str().unwrap())
        .collect();
    assert!(rules.contains(&"min_speakers"), "{rules:?}");
    assert!(!rules.contains(&"within_window"), "{rules:?}");
    let seen = w.app.get(&path, Some(&tok)).await.expect(200).body;
    assert_eq!(seen["screening"], edited["screening"]);
    assert_eq!(seen["participants"], edited["participants"]);
}

#[actix_web::test]
async fn a_proposal_asks_for_interpretation_and_accessibility_and_keeps_what_it_asked() {
    let w = world().await;
    let tok = w.app.proposer("lea@example.org").await;
    let path = format!("/api/v1/meetings/{}/proposals", w.meeting);
    let mut body = complete_proposal(w.theme);
    body["interpretation"] = json!(["xx", "fr", "fr", "French"]);
    w.app
        .post(&path, Some(&tok), &body)
        .await
        .expect(422)
        .has_rules(&[
            ("interpretation[0]", "language"),
            ("interpretation[2]", "unique"),
            ("interpretation[3]", "language"),
        ]);
    body["interpretation"] = json!(["fr", "ar"]);
    body["captioning"] = json!(true);
    let made = w.app.post(&path, Some(&tok), &body).await.expect(201).body;
    assert_eq!(
        (
            &made["interpretation"],
            &made["captioning"],
            &made["sign_language"]
        ),
        (&json!(["fr", "ar"]), &json!(true), &json!(false))
    );
    let id = made["id"].as_i64().unwrap();
    // A patch replaces what it names and keeps the rest.
    let patched = w
        .app
        .patch(
            &format!("/api/v1/proposals/{id}"),
            Some(&tok),
            &json!({"sign_language": true, "interpretation": []}),
        )
        .await
        .expect(200)
        .body;
    assert_eq!(
        (
            &patched["interpretation"],
            &patched["captioning"],
            &patched["sign_language"]
        ),
        (&json!([]), &json!(true), &json!(true))
    );
}
