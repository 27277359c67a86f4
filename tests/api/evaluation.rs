use igf_scheduler::auth::Role;
use serde_json::{Value, json};

use crate::helpers::{TestApp, complete_proposal, open_meeting};

const GROUPS: [&str; 5] = [
    "government",
    "private_sector",
    "civil_society",
    "technical_community",
    "intergovernmental_organization",
];
const REGIONS: [&str; 5] = [
    "african",
    "asia_pacific",
    "eastern_european",
    "grulac",
    "weog",
];

pub async fn me(app: &TestApp, token: &str) -> i64 {
    app.get("/api/v1/auth/me", Some(token))
        .await
        .expect(200)
        .body["id"]
        .as_i64()
        .unwrap()
}

pub struct Panel {
    pub app: TestApp,
    pub sec: String,
    pub meeting: i64,
    /// (token, user id) of each evaluator; the first takes part in every proposal.
    pub evaluators: Vec<(String, i64)>,
    pub proposals: Vec<i64>,
}

/// A meeting with three submitted proposals and six evaluators with profiles, the first
/// of whom is also a speaker on every proposal (a conflict of interest).
pub async fn panel() -> Panel {
    let app = TestApp::spawn().await;
    let sec = app.user("sec@example.org", Role::Secretariat).await;
    let m = app.meeting(&sec, &open_meeting()).await;
    let (meeting, theme) = (
        m["id"].as_i64().unwrap(),
        m["themes"][0]["id"].as_i64().unwrap(),
    );
    let mut evaluators = vec![];
    for i in 0..6 {
        let email = if i == 0 {
            "ben.speaker@example.org".to_string()
        } else {
            format!("mag{i}@example.org")
        };
        let tok = app.user(&email, Role::Evaluator).await;
        let id = me(&app, &tok).await;
        app.send(
            "PUT",
            &format!("/api/v1/users/{id}/evaluator-profile"),
            Some(&sec),
            Some(
                &json!({"stakeholder_group": GROUPS[i % 5], "regional_group": REGIONS[(i + 2) % 5],
                         "organisation": format!("MAG Org {i}"), "expertise": ["Digital trust"]}),
            ),
            &[],
        )
        .await
        .expect(200);
        evaluators.push((tok, id));
    }
    let ids: Vec<i64> = evaluators.iter().map(|e| e.1).collect();
    app.post(
        &format!("/api/v1/meetings/{meeting}/evaluators"),
        Some(&sec),
        &json!({ "user_ids": ids }),
    )
    .await
    .expect(200);
    let prop = app.proposer("pat@example.org").await;
    let mut proposals = vec![];
    for _ in 0..3 {
        let r = app
            .post(
                &format!("/api/v1/meetings/{meeting}/proposals"),
                Some(&prop),
                &complete_proposal(theme),
            )
            .await
            .expect(201);
        let id = r.body["id"].as_i64().unwrap();
        app.post(
            &format!("/api/v1/proposals/{id}/submit"),
            Some(&prop),
            &json!({}),
        )
        .await
        .expect(200);
        proposals.push(id);
    }
    Panel {
        app,
        sec,
        meeting,
        evaluators,
        proposals,
    }
}

impl Panel {
    pub fn path(&self) -> String {
        format!("/api/v1/meetings/{}/evaluation/assignments", self.meeting)
    }

    pub async fn pairs(&self, token: &str) -> Vec<(i64, i64)> {
        let r = self
            .app
            .get(&format!("{}?per_page=200", self.path()), Some(token))
            .await
            .expect(200);
        r.body["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|x| {
                (
                    x["proposal_id"].as_i64().unwrap(),
                    x["evaluator_id"].as_i64().unwrap(),
                )
            })
            .collect()
    }
}

#[actix_web::test]
async fn evaluator_profiles_are_kept_by_the_secretariat_or_the_evaluator() {
    let app = TestApp::spawn().await;
    let sec = app.user("sec@example.org", Role::Secretariat).await;
    let e1 = app.user("mag1@example.org", Role::Evaluator).await;
    let e2 = app.user("mag2@example.org", Role::Evaluator).await;
    let prop = app.proposer("pat@example.org").await;
    let (id1, prop_id) = (me(&app, &e1).await, me(&app, &prop).await);
    let path = format!("/api/v1/users/{id1}/evaluator-profile");
    let body = json!({"stakeholder_group": "civil_society", "regional_group": "african", "organisation": "Net Africa", "expertise": ["Digital trust"]});
    app.get(&path, Some(&sec)).await.expect(404);
    let r = app
        .send("PUT", &path, Some(&sec), Some(&body), &[])
        .await
        .expect(200);
    assert_eq!(r.body["regional_group"], "african");
    assert_eq!(r.body["expertise"], json!(["Digital trust"]));
    app.send(
        "PUT",
        &path,
        Some(&e1),
        Some(&json!({"organisation": "Elsewhere"})),
        &[],
    )
    .await
    .expect(200);
    assert_eq!(
        app.get(&path, Some(&e1)).await.expect(200).body["organisation"],
        "Elsewhere"
    );
    app.get(&path, Some(&e2)).await.expect(403);
    app.send("PUT", &path, Some(&e2), Some(&body), &[])
        .await
        .expect(403);
    app.send("PUT", &path, Some(&prop), Some(&body), &[])
        .await
        .expect(403);
    let r = app
        .send(
            "PUT",
            &format!("/api/v1/users/{prop_id}/evaluator-profile"),
            Some(&sec),
            Some(&body),
            &[],
        )
        .await
        .expect(409);
    assert_eq!(r.code(), "not_an_evaluator");
    app.send(
        "PUT",
        "/api/v1/users/999999/evaluator-profile",
        Some(&sec),
        Some(&body),
        &[],
    )
    .await
    .expect(404);
    app.send(
        "PUT",
        &path,
        Some(&sec),
        Some(&json!({"stakeholder_group": "aliens"})),
        &[],
    )
    .await
    .expect(422)
    .only_rule("stakeholder_group", "type");
}

#[actix_web::test]
async fn the_secretariat_assigns_evaluators_without_conflicts_and_a_second_run_keeps_them() {
    let p = panel().await;
    let conflicted = p.evaluators[0].1;
    let r = p
        .app
        .post(&p.path(), Some(&p.sec), &json!({"per_proposal": 3}))
        .await
        .expect(200);
    assert_eq!(
        (
            r.body["proposals"].as_i64(),
            r.body["evaluators"].as_i64(),
            r.body["assignments"].as_i64()
        ),
        (Some(3), Some(6), Some(9))
    );
    assert_eq!(r.body["loads"][conflicted.to_string()], 0, "{}", r.body);
    let issues = r.body["balance_issues"].as_array().unwrap();
    assert!(
        issues[0]
            .as_str()
            .unwrap()
            .starts_with(&format!("{conflicted} has 0 assignments")),
        "{issues:?}"
    );
    let pairs = p.pairs(&p.sec).await;
    assert_eq!(pairs.len(), 9);
    assert!(
        pairs.iter().all(|(_, e)| *e != conflicted),
        "a speaker was assigned to evaluate their own session"
    );
    for prop in &p.proposals {
        assert_eq!(pairs.iter().filter(|(x, _)| x == prop).count(), 3);
    }
    // An evaluator sees their own assignments and nobody else's.
    let (tok, id) = &p.evaluators[1];
    let own = p.pairs(tok).await;
    assert!(own.iter().all(|(_, e)| e == id));
    assert_eq!(own.len(), pairs.iter().filter(|(_, e)| e == id).count());
    p.app
        .get(
            &format!("{}?evaluator_id={}", p.path(), p.evaluators[2].1),
            Some(tok),
        )
        .await
        .expect(403);
    let proposer = p.app.login("pat@example.org").await;
    p.app.get(&p.path(), Some(&proposer)).await.expect(403);
    p.app
        .post(&p.path(), Some(tok), &json!({}))
        .await
        .expect(403);
    // A second run keeps everything.
    let again = p
        .app
        .post(&p.path(), Some(&p.sec), &json!({"per_proposal": 3}))
        .await
        .expect(200);
    assert_eq!(
        (again.body["added"].as_i64(), again.body["removed"].as_i64()),
        (Some(0), Some(0))
    );
    let audit = p
        .app
        .get(
            &format!(
                "/api/v1/audit?action=evaluation.assign&meeting_id={}",
                p.meeting
            ),
            Some(&p.sec),
        )
        .await
        .expect(200);
    assert_eq!(audit.body["total"], 2);
}

#[actix_web::test]
async fn a_declared_conflict_removes_the_assignment_at_once_and_for_good() {
    let p = panel().await;
    p.app
        .post(&p.path(), Some(&p.sec), &json!({"per_proposal": 3}))
        .await
        .expect(200);
    let (tok, id) = &p.evaluators[1];
    let (prop, _) = *p.pairs(tok).await.first().expect("evaluator 1 has work");
    let path = format!("/api/v1/proposals/{prop}/conflicts");
    let r = p
        .app
        .post(
            &path,
            Some(tok),
            &json!({"reason": "I advised the organisers."}),
        )
        .await
        .expect(201);
    assert_eq!(r.body["assignment_removed"], true);
    assert!(!p.pairs(tok).await.contains(&(prop, *id)));
    let again = p
        .app
        .post(&path, Some(tok), &json!({"reason": "twice"}))
        .await
        .expect(409);
    assert_eq!(again.code(), "conflict_already_declared");
    // Re-running fills the gap with someone else, never with them.
    let r = p
        .app
        .post(&p.path(), Some(&p.sec), &json!({"per_proposal": 3}))
        .await
        .expect(200);
    assert_eq!(r.body["assignments"], 9);
    let pairs = p.pairs(&p.sec).await;
    assert!(!pairs.contains(&(prop, *id)));
    assert_eq!(pairs.iter().filter(|(x, _)| *x == prop).count(), 3);
    // Only evaluators declare; reasons are required; drafts are not evaluated.
    p.app
        .post(&path, Some(&p.sec), &json!({"reason": "x"}))
        .await
        .expect(403);
    p.app
        .post(&path, Some(&p.evaluators[2].0), &json!({"reason": " "}))
        .await
        .expect(422)
        .only_rule("reason", "required");
    p.app
        .post(
            "/api/v1/proposals/999999/conflicts",
            Some(&p.evaluators[2].0),
            &json!({"reason": "x"}),
        )
        .await
        .expect(404);
}

#[actix_web::test]
async fn impossible_or_empty_assignments_are_refused_clearly() {
    let p = panel().await;
    let r = p
        .app
        .post(&p.path(), Some(&p.sec), &json!({"per_proposal": 6}))
        .await
        .expect(422);
    assert_eq!(r.code(), "assignment_infeasible");
    assert_eq!(
        r.field_rules().len(),
        3,
        "one entry per proposal: {}",
        r.body
    );
    assert!(
        r.body["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("has 5 of the 6")
    );
    p.app
        .post(&p.path(), Some(&p.sec), &json!({"per_proposal": 0}))
        .await
        .expect(422)
        .only_rule("per_proposal", "range");
    let other: Value = p.app.meeting(&p.sec, &open_meeting()).await;
    let r = p
        .app
        .post(
            &format!("/api/v1/meetings/{}/evaluation/assignments", other["id"]),
            Some(&p.sec),
            &json!({}),
        )
        .await
        .expect(409);
    assert_eq!(r.code(), "nothing_to_assign");
    assert_eq!(
        p.pairs(&p.sec).await.len(),
        0,
        "nothing was stored by refused runs"
    );
}

#[actix_web::test]
async fn an_assigned_evaluator_reads_the_proposal_without_personal_data() {
    let p = panel().await;
    p.app
        .post(&p.path(), Some(&p.sec), &json!({"per_proposal": 3}))
        .await
        .expect(200);
    let (tok, _) = &p.evaluators[1];
    let mine: Vec<i64> = p
        .pairs(tok)
        .await
        .into_iter()
        .map(|(prop, _)| prop)
        .collect();
    let prop = mine[0];
    let r = p
        .app
        .get(&format!("/api/v1/proposals/{prop}"), Some(tok))
        .await
        .expect(200);
    let people = r.body["participants"].as_array().unwrap();
    assert!(!people.is_empty());
    for person in people {
        assert!(person["name"].is_string() && person["organisation"].is_string());
        assert_eq!(
            person["email"],
            Value::Null,
            "email withheld from evaluators"
        );
        assert_eq!(
            person["gender"],
            Value::Null,
            "gender withheld from evaluators"
        );
    }
    // The secretariat still sees everything.
    let full = p
        .app
        .get(&format!("/api/v1/proposals/{prop}"), Some(&p.sec))
        .await
        .expect(200);
    assert!(full.body["participants"][0]["email"].is_string());
    // Not assigned: 404, as for anyone else.
    if let Some(other) = p.proposals.iter().find(|x| !mine.contains(x)) {
        p.app
            .get(&format!("/api/v1/proposals/{other}"), Some(tok))
            .await
            .expect(404);
    }
    // After declaring a conflict the proposal is out of reach at once.
    p.app
        .post(
            &format!("/api/v1/proposals/{prop}/conflicts"),
            Some(tok),
            &json!({"reason": "A former colleague organises it."}),
        )
        .await
        .expect(201);
    p.app
        .get(&format!("/api/v1/proposals/{prop}"), Some(tok))
        .await
        .expect(404);
}
