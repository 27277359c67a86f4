//! Scoring, results, selection, decisions and the transparency report over HTTP, for
//! every role and every phase.

use serde_json::{Value, json};

use crate::evaluation::{Panel, panel};

const GOOD: &str = r#"{"relevance": 4, "content": 5, "format_and_hybrid": 3, "diversity": 4}"#;

fn good() -> Value {
    json!({"scores": serde_json::from_str::<Value>(GOOD).unwrap(), "comment": "Clear and balanced."})
}

impl Panel {
    fn eval_path(&self) -> String {
        format!("/api/v1/meetings/{}/evaluation", self.meeting)
    }

    pub async fn set_phase(&self, phase: &str) -> crate::helpers::Resp {
        self.app
            .patch(&self.eval_path(), Some(&self.sec), &json!({"phase": phase}))
            .await
    }

    pub async fn close_call(&self) {
        let past = (chrono::Utc::now() - chrono::Duration::minutes(1)).to_rfc3339();
        self.app
            .patch(
                &format!("/api/v1/meetings/{}", self.meeting),
                Some(&self.sec),
                &json!({"cfp_closes_at": past}),
            )
            .await
            .expect(200);
    }

    /// Assigns 3 evaluators per proposal, closes the call and opens scoring.
    pub async fn scoring(&self) {
        self.app
            .post(&self.path(), Some(&self.sec), &json!({"per_proposal": 3}))
            .await
            .expect(200);
        self.close_call().await;
        self.set_phase("scoring").await.expect(200);
    }

    /// The evaluators (index into `evaluators`) assigned to a proposal.
    pub async fn assigned_to(&self, proposal: i64) -> Vec<usize> {
        let pairs = self.pairs(&self.sec).await;
        self.evaluators
            .iter()
            .enumerate()
            .filter(|(_, (_, id))| pairs.contains(&(proposal, *id)))
            .map(|(i, _)| i)
            .collect()
    }

    async fn score(&self, evaluator: usize, proposal: i64, body: &Value) -> crate::helpers::Resp {
        self.app
            .send(
                "PUT",
                &format!("/api/v1/proposals/{proposal}/score"),
                Some(&self.evaluators[evaluator].0),
                Some(body),
                &[],
            )
            .await
    }

    /// Every assignment scored: proposal k gets overall scores around 4.5 - k.
    pub async fn score_all(&self) {
        for (k, prop) in self.proposals.clone().into_iter().enumerate() {
            for (j, e) in self.assigned_to(prop).await.into_iter().enumerate() {
                let base = 5 - k as i64;
                let v = |d: i64| (base - d).clamp(1, 5);
                let body = json!({"scores": {"relevance": v(0), "content": v(j as i64 % 2),
                                  "format_and_hybrid": v(1), "diversity": v(0)}});
                let r = self.score(e, prop, &body).await;
                assert!(r.status.as_u16() == 201, "{}", r.body);
            }
        }
    }
}

#[actix_web::test]
async fn scoring_opens_only_after_the_call_closes_and_with_assignments() {
    let p = panel().await;
    p.set_phase("scoring")
        .await
        .expect(409)
        .body
        .get("code")
        .filter(|c| *c == "invalid_transition")
        .expect("invalid_transition");
    p.close_call().await;
    let r = p.set_phase("scoring").await.expect(409);
    assert!(
        r.body["detail"].as_str().unwrap().contains("assign"),
        "{}",
        r.body
    );
    p.app
        .post(&p.path(), Some(&p.sec), &json!({"per_proposal": 3}))
        .await
        .expect(200);
    let r = p.set_phase("scoring").await.expect(200);
    assert_eq!(r.body["phase"], "scoring");
    assert_eq!(r.body["progress"]["assignments"], 9);
    assert_eq!(r.body["criteria"].as_array().unwrap().len(), 4);
    // Jumping phases and changing criteria mid-way are refused.
    assert_eq!(
        p.set_phase("published").await.expect(409).code(),
        "invalid_transition"
    );
    let r = p
        .app
        .patch(
            &p.eval_path(),
            Some(&p.sec),
            &json!({"criteria": [{"key": "only", "label": "Only"}]}),
        )
        .await
        .expect(409);
    assert_eq!(r.code(), "wrong_phase");
    assert_eq!(r.body["phase"], "scoring");
    // Only the secretariat moves the phase; a proposer does not even see it.
    p.app
        .patch(
            &p.eval_path(),
            Some(&p.evaluators[1].0),
            &json!({"phase": "closed"}),
        )
        .await
        .expect(403);
    let prop = p.app.login("pat@example.org").await;
    p.app.get(&p.eval_path(), Some(&prop)).await.expect(403);
    p.app
        .get(&p.eval_path(), Some(&p.evaluators[1].0))
        .await
        .expect(200);
}

#[actix_web::test]
async fn criteria_and_blind_review_are_set_before_scoring_and_checked() {
    let p = panel().await;
    let bad = json!({"criteria": [{"key": "Bad Key", "label": ""}, {"key": "x", "label": "X"}, {"key": "x", "label": "Y"}]});
    p.app
        .patch(&p.eval_path(), Some(&p.sec), &bad)
        .await
        .expect(422)
        .has_rules(&[
            ("criteria[0].key", "pattern"),
            ("criteria[0].label", "required"),
            ("criteria[2].key", "unique"),
        ]);
    let r = p
        .app
        .patch(
            &p.eval_path(),
            Some(&p.sec),
            &json!({"criteria": [{"key": "relevance", "label": "Relevance"}, {"key": "impact", "label": "Impact"}],
                    "blind_review": true}),
        )
        .await
        .expect(200);
    assert_eq!(r.body["blind_review"], true);
    let tag = r.header("etag").unwrap();
    // A stale ETag loses.
    p.app
        .send(
            "PATCH",
            &p.eval_path(),
            Some(&p.sec),
            Some(&json!({"blind_review": true})),
            &[("If-Match", "\"evaluation-1-v0\"")],
        )
        .await
        .expect(412);
    p.app
        .send(
            "PATCH",
            &p.eval_path(),
            Some(&p.sec),
            Some(&json!({"blind_review": true})),
            &[("If-Match", &tag)],
        )
        .await
        .expect(200);
    p.scoring().await;
    // Scores follow the meeting's own criteria.
    let prop = p.proposals[0];
    let e = p.assigned_to(prop).await[0];
    p.score(e, prop, &good()).await.expect(422).has_rules(&[
        ("scores.impact", "required"),
        ("scores.content", "unknown_criterion"),
    ]);
    p.score(e, prop, &json!({"scores": {"relevance": 5, "impact": 4}}))
        .await
        .expect(201);
    // Under blind review the evaluator does not see who proposes or organises.
    let r = p
        .app
        .get(
            &format!("/api/v1/proposals/{prop}"),
            Some(&p.evaluators[e].0),
        )
        .await
        .expect(200);
    assert_eq!(r.body["proposer_id"], Value::Null);
    let organiser = r.body["participants"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["role"] == "organiser")
        .unwrap();
    assert_eq!(organiser["name"], "Organiser 1");
    assert_eq!(organiser["organisation"], Value::Null);
    assert!(!r.body.to_string().contains("Amina"), "{}", r.body);
}

#[actix_web::test]
async fn evaluators_score_only_their_assigned_proposals_within_range_while_scoring_is_open() {
    let p = panel().await;
    p.app
        .post(&p.path(), Some(&p.sec), &json!({"per_proposal": 3}))
        .await
        .expect(200);
    let prop = p.proposals[0];
    let assigned = p.assigned_to(prop).await;
    let (e, outsider) = (assigned[0], (1..6).find(|i| !assigned.contains(i)).unwrap());
    // Not yet open.
    assert_eq!(
        p.score(e, prop, &good()).await.expect(409).code(),
        "wrong_phase"
    );
    p.close_call().await;
    p.set_phase("scoring").await.expect(200);
    // Out of range, missing, unknown and malformed.
    p.score(
        e,
        prop,
        &json!({"scores": {"relevance": 6, "content": 0, "diversity": 3, "novelty": 4}, "could_merge_with": prop}),
    )
    .await
    .expect(422)
    .has_rules(&[
        ("scores.relevance", "range"),
        ("scores.content", "range"),
        ("scores.format_and_hybrid", "required"),
        ("scores.novelty", "unknown_criterion"),
        ("could_merge_with", "not_self"),
    ]);
    p.score(e, prop, &json!({"scores": {"relevance": 4.5}}))
        .await
        .expect(422);
    p.score(e, prop, &json!({"scores": {"relevance": 4, "content": 4, "format_and_hybrid": 4, "diversity": 4}, "could_merge_with": 999999}))
        .await
        .expect(422)
        .only_rule("could_merge_with", "same_meeting");
    // Unassigned, conflicted, wrong role.
    assert_eq!(
        p.score(outsider, prop, &good()).await.expect(403).code(),
        "not_assigned"
    );
    assert_eq!(
        p.score(0, prop, &good()).await.expect(403).code(),
        "not_assigned"
    );
    p.app
        .send(
            "PUT",
            &format!("/api/v1/proposals/{prop}/score"),
            Some(&p.sec),
            Some(&good()),
            &[],
        )
        .await
        .expect(403);
    p.score(e, 999999, &good()).await.expect(404);
    // Nothing was stored by the refusals.
    let list = format!("/api/v1/meetings/{}/evaluation/scores", p.meeting);
    assert_eq!(p.app.total(&list, Some(&p.sec)).await, 0);
    // A good score, then a change with the current ETag; a stale ETag loses.
    let mut body = good();
    body["could_merge_with"] = json!(p.proposals[1]);
    let r = p.score(e, prop, &body).await.expect(201);
    assert_eq!(r.body["overall"], 4.0);
    let tag = r.header("etag").unwrap();
    body["scores"]["content"] = json!(1);
    let r = p
        .app
        .send(
            "PUT",
            &format!("/api/v1/proposals/{prop}/score"),
            Some(&p.evaluators[e].0),
            Some(&body),
            &[("If-Match", &tag)],
        )
        .await
        .expect(200);
    assert_eq!(r.body["overall"], 3.0);
    assert_eq!(r.body["version"], 2);
    p.app
        .send(
            "PUT",
            &format!("/api/v1/proposals/{prop}/score"),
            Some(&p.evaluators[e].0),
            Some(&good()),
            &[("If-Match", &tag)],
        )
        .await
        .expect(412);
    let own = p
        .app
        .get(
            &format!("/api/v1/proposals/{prop}/score"),
            Some(&p.evaluators[e].0),
        )
        .await
        .expect(200);
    assert_eq!(own.body["scores"]["content"], 1);
    // A second evaluator scores too; neither sees the other's score.
    let e2 = assigned[1];
    p.score(e2, prop, &good()).await.expect(201);
    let mine = p.app.get(&list, Some(&p.evaluators[e].0)).await.expect(200);
    assert_eq!(mine.body["total"], 1);
    assert_eq!(mine.body["items"][0]["evaluator_id"], p.evaluators[e].1);
    p.app
        .get(
            &format!("{list}?evaluator_id={}", p.evaluators[e2].1),
            Some(&p.evaluators[e].0),
        )
        .await
        .expect(403);
    p.app
        .get(
            &format!("/api/v1/proposals/{prop}/score"),
            Some(&p.evaluators[outsider].0),
        )
        .await
        .expect(403);
    let results = format!("/api/v1/meetings/{}/evaluation/results", p.meeting);
    assert_eq!(
        p.app
            .get(&results, Some(&p.evaluators[e].0))
            .await
            .expect(409)
            .code(),
        "wrong_phase",
        "no results for evaluators before scoring closes"
    );
    let proposer = p.app.login("pat@example.org").await;
    p.app.get(&list, Some(&proposer)).await.expect(403);
    p.app.get(&results, Some(&proposer)).await.expect(403);
    // The secretariat sees everything, with evaluator ids and comments.
    assert_eq!(p.app.total(&list, Some(&p.sec)).await, 2);
    let r = p.app.get(&results, Some(&p.sec)).await.expect(200);
    let row = r.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["proposal_id"] == prop)
        .unwrap()
        .clone();
    assert_eq!(
        (row["count"].as_i64(), row["assigned"].as_i64()),
        (Some(2), Some(3))
    );
    assert_eq!(row["mean"], 3.5);
    assert_eq!(row["merge_suggestions"], json!([p.proposals[1]]));
    assert!(row["scores"][0]["evaluator_id"].is_i64());
    // A late conflict removes the assignment and its score; scoring again is refused.
    let r = p
        .app
        .post(
            &format!("/api/v1/proposals/{prop}/conflicts"),
            Some(&p.evaluators[e2].0),
            &json!({"reason": "I advised them"}),
        )
        .await
        .expect(201);
    assert_eq!(r.body["assignment_removed"], true);
    assert_eq!(p.app.total(&list, Some(&p.sec)).await, 1);
    assert_eq!(
        p.score(e2, prop, &good()).await.expect(403).code(),
        "conflict_of_interest"
    );
    // Once closed, scores are frozen and the evaluator sees anonymous results of
    // their own proposals only.
    p.set_phase("closed").await.expect(200);
    assert_eq!(
        p.score(e, prop, &good()).await.expect(409).code(),
        "wrong_phase"
    );
    let r = p
        .app
        .get(&results, Some(&p.evaluators[e].0))
        .await
        .expect(200);
    let mine: Vec<i64> = p
        .pairs(&p.evaluators[e].0)
        .await
        .into_iter()
        .map(|x| x.0)
        .collect();
    assert_eq!(r.body["total"].as_i64().unwrap() as usize, mine.len());
    for item in r.body["items"].as_array().unwrap() {
        assert!(mine.contains(&item["proposal_id"].as_i64().unwrap()));
        for s in item["scores"].as_array().unwrap() {
            assert!(
                s.get("evaluator_id").is_none() && s.get("comment").is_none(),
                "{s}"
            );
        }
    }
    // Assignments cannot be rerun after scoring closed.
    assert_eq!(
        p.app
            .post(&p.path(), Some(&p.sec), &json!({"per_proposal": 3}))
            .await
            .expect(409)
            .code(),
        "wrong_phase"
    );
}

#[actix_web::test]
async fn the_secretariat_selects_decides_and_publishes_and_proposers_then_see_outcomes() {
    let p = panel().await;
    p.scoring().await;
    p.score_all().await;
    let sel = format!("/api/v1/meetings/{}/selection", p.meeting);
    let body = json!({"slots_per_type": {"workshop": 2}, "waitlist": 0});
    // Not before scoring closes.
    assert_eq!(
        p.app
            .post(&sel, Some(&p.sec), &body)
            .await
            .expect(409)
            .code(),
        "wrong_phase"
    );
    p.set_phase("closed").await.expect(200);
    // Bad and contradictory requests are refused and store nothing.
    p.app
        .post(
            &sel,
            Some(&p.sec),
            &json!({"slots_per_type": {"keynote": 2}, "theme_shares": {"Nope": {"min": 0.6, "max": 0.2}},
                    "stakeholder_min_share": {"aliens": 0.1}, "first_time_min_share": 1.5}),
        )
        .await
        .expect(422)
        .has_rules(&[
            ("slots_per_type.keynote", "unknown_session_type"),
            ("theme_shares.Nope", "unknown_theme"),
            ("theme_shares.Nope", "min_not_above_max"),
            ("stakeholder_min_share.aliens", "enum"),
            ("first_time_min_share", "range"),
        ]);
    let r = p
        .app
        .post(
            &sel,
            Some(&p.sec),
            &json!({"slots_per_type": {"workshop": 2}, "total": 2, "theme_shares": {"Universal access": {"min": 0.5}}}),
        )
        .await
        .expect(422);
    assert_eq!(r.code(), "infeasible_quotas");
    let conflict: Vec<&str> = r.body["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["message"].as_str().unwrap())
        .collect();
    // No proposal is on that theme: the quota alone cannot hold.
    assert_eq!(conflict, vec!["at least 1 session on \"Universal access\""]);
    // Two rules that each hold alone but not together: all three proposals share one
    // organisation.
    let r = p
        .app
        .post(
            &sel,
            Some(&p.sec),
            &json!({"slots_per_type": {"workshop": 3}, "total": 2, "max_per_organisation": 1}),
        )
        .await
        .expect(422);
    let mut conflict: Vec<String> = r.body["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["message"].as_str().unwrap().to_string())
        .collect();
    conflict.sort();
    assert_eq!(
        conflict,
        vec![
            "at most 1 session per organisation",
            "exactly 2 sessions in all"
        ]
    );
    assert_eq!(
        p.app
            .get(
                &format!(
                    "/api/v1/audit?action=selection.run&meeting_id={}",
                    p.meeting
                ),
                Some(&p.sec)
            )
            .await
            .expect(200)
            .body["total"],
        0,
        "refused runs store nothing"
    );
    // A cap per organisation: all three share one organiser's organisation.
    let r = p
        .app
        .post(
            &sel,
            Some(&p.sec),
            &json!({"slots_per_type": {"workshop": 3}, "max_per_organisation": 2, "waitlist": 0}),
        )
        .await
        .expect(201);
    assert_eq!(r.body["selected"], 2);
    let out = r.body["proposals"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["outcome"] == "declined")
        .unwrap()
        .clone();
    assert_eq!(
        out["proposal_id"], p.proposals[2],
        "the weakest is left out"
    );
    assert!(
        out["reason"].as_str().unwrap().contains("per organisation"),
        "{out}"
    );
    // The plain run: two best proposals in, the third waitlisted.
    let r = p
        .app
        .post(
            &sel,
            Some(&p.sec),
            &json!({"slots_per_type": {"workshop": 2}, "score": "mean", "waitlist": 1}),
        )
        .await
        .expect(201);
    assert_eq!(r.body["gap"], 0.0);
    let run = r.body["id"].as_i64().unwrap();
    let outcomes: Vec<(i64, String)> = r.body["proposals"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| {
            (
                x["proposal_id"].as_i64().unwrap(),
                x["outcome"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(
        outcomes,
        vec![
            (p.proposals[0], "approved".into()),
            (p.proposals[1], "approved".into()),
            (p.proposals[2], "waitlisted".into())
        ]
    );
    assert_eq!(r.body["diversity"]["proposals"], 2);
    p.app
        .get(&format!("{sel}/{run}"), Some(&p.sec))
        .await
        .expect(200);
    p.app
        .get(&format!("{sel}/{run}"), Some(&p.evaluators[1].0))
        .await
        .expect(403);
    // Publishing needs a decision on every proposal.
    let r = p.set_phase("published").await.expect(409);
    assert_eq!(r.code(), "undecided_proposals");
    assert_eq!(r.body["undecided"].as_array().unwrap().len(), 3);
    // Bad decisions are refused whole.
    let dec = format!("/api/v1/meetings/{}/decisions", p.meeting);
    p.app
        .post(
            &dec,
            Some(&p.sec),
            &json!({"selection_run_id": run, "decisions": [
                {"proposal_id": p.proposals[2], "outcome": "approved_if_merged"},
                {"proposal_id": p.proposals[1], "outcome": "declined", "merge_with": p.proposals[0]},
                {"proposal_id": 999999, "outcome": "approved"}]}),
        )
        .await
        .expect(422)
        .has_rules(&[
            ("decisions[0].merge_with", "required"),
            ("decisions[1].merge_with", "only_when_merged"),
            ("decisions[2].proposal_id", "same_meeting"),
        ]);
    assert_eq!(
        p.app.total(&dec, Some(&p.sec)).await,
        0,
        "nothing half-written"
    );
    // Confirm the run, turning the waitlisted one into a lightning talk.
    let r = p
        .app
        .post(
            &dec,
            Some(&p.sec),
            &json!({"selection_run_id": run, "decisions": [
                {"proposal_id": p.proposals[2], "outcome": "lightning", "reason": "Strong, but no workshop slot left"}]}),
        )
        .await
        .expect(200);
    assert_eq!(r.body["recorded"], 3);
    assert_eq!(r.body["outcomes"], json!({"approved": 2, "lightning": 1}));
    assert_eq!(r.body["undecided"], 0);
    // Each decision is in the audit trail.
    let audit = p
        .app
        .get(
            &format!(
                "/api/v1/audit?action=selection.decide&meeting_id={}",
                p.meeting
            ),
            Some(&p.sec),
        )
        .await
        .expect(200);
    assert_eq!(audit.body["total"], 3, "{}", audit.body);
    // Scoring cannot reopen once decisions exist.
    assert_eq!(
        p.set_phase("scoring").await.expect(409).code(),
        "invalid_transition"
    );
    // Before publication: the proposer sees no outcome, and there is no report.
    let proposer = p.app.login("pat@example.org").await;
    let report = format!("/api/v1/meetings/{}/evaluation/report", p.meeting);
    let prop_path = format!("/api/v1/proposals/{}", p.proposals[2]);
    let r = p.app.get(&prop_path, Some(&proposer)).await.expect(200);
    assert_eq!(r.body["outcome"], Value::Null);
    let list = format!("/api/v1/meetings/{}/proposals", p.meeting);
    let mine = p.app.get(&list, Some(&proposer)).await.expect(200).body;
    assert!(
        mine["items"]
            .as_array()
            .unwrap()
            .iter()
            .all(|x| x["outcome"].is_null()),
        "{mine}"
    );
    let all = p.app.get(&list, Some(&p.sec)).await.expect(200).body;
    assert!(
        all["items"]
            .as_array()
            .unwrap()
            .iter()
            .all(|x| x["outcome"]["outcome"].is_string()),
        "the secretariat's list shows every decision: {all}"
    );
    p.app.get(&report, None).await.expect(404);
    p.app.get(&report, Some(&proposer)).await.expect(404);
    let preview = p.app.get(&report, Some(&p.sec)).await.expect(200);
    assert_eq!(preview.body["preview"], true);
    // Publish: final.
    let r = p.set_phase("published").await.expect(200);
    assert!(r.body["published_at"].is_string());
    assert_eq!(
        p.set_phase("closed").await.expect(409).code(),
        "invalid_transition"
    );
    let r = p.app.get(&prop_path, Some(&proposer)).await.expect(200);
    assert_eq!(
        r.body["outcome"],
        json!({"outcome": "lightning", "reason": "Strong, but no workshop slot left", "merge_with": null})
    );
    let mine = p.app.get(&list, Some(&proposer)).await.expect(200).body;
    let row = mine["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["id"] == p.proposals[2])
        .unwrap();
    assert_eq!(row["outcome"], r.body["outcome"], "the list shows it too");
    let r = p.app.get(&report, None).await.expect(200);
    assert_eq!(r.body["preview"], false);
    assert_eq!(
        r.header("cache-control").as_deref(),
        Some("public, max-age=300")
    );
    assert_eq!(r.body["outcomes"], json!({"approved": 2, "lightning": 1}));
    assert_eq!(r.body["programme"]["proposals"], 3);
    let rows = r.body["proposals"].as_array().unwrap();
    assert_eq!(rows.len(), 3);
    assert!(rows.iter().all(|x| x["scores"] == 3 && x["mean"].is_f64()));
    let text = r.body.to_string();
    for private in ["@", "evaluator_id", "\"comment\"", "Amina"] {
        assert!(
            !text.contains(private),
            "the public report leaks {private:?}: {text}"
        );
    }
    // Decisions cannot change after publication.
    assert_eq!(
        p.app
            .post(
                &dec,
                Some(&p.sec),
                &json!({"decisions": [{"proposal_id": p.proposals[0], "outcome": "declined"}]})
            )
            .await
            .expect(409)
            .code(),
        "wrong_phase"
    );
}

#[actix_web::test]
async fn a_small_committee_keeps_raw_scores_and_the_run_takes_the_meetings_targets() {
    let p = panel().await;
    p.scoring().await;
    p.score_all().await;
    p.set_phase("closed").await.expect(200);
    let r = p
        .app
        .get(
            &format!("/api/v1/meetings/{}/evaluation/results", p.meeting),
            Some(&p.sec),
        )
        .await
        .expect(200)
        .body;
    // Six evaluators share nine scores: none has the five that normalising needs.
    let norm = &r["normalisation"];
    let methods: Vec<&str> = norm["evaluators"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["method"].as_str().unwrap())
        .collect();
    assert!(
        !methods.is_empty() && methods.iter().all(|m| *m == "raw"),
        "{norm}"
    );
    assert!(
        norm["notes"][0]
            .as_str()
            .unwrap()
            .contains("fewer than 5 scores"),
        "{norm}"
    );
    assert_eq!(norm["degenerate"], false);
    assert_eq!(r["sorted_by"], "normalised");
    let items = r["items"].as_array().unwrap();
    let means: Vec<f64> = items.iter().map(|i| i["mean"].as_f64().unwrap()).collect();
    for i in items {
        let (m, n) = (
            i["mean"].as_f64().unwrap(),
            i["normalised"].as_f64().unwrap(),
        );
        assert!((m - n).abs() < 1e-9, "raw scores are kept: {i}");
    }
    assert!(
        means.windows(2).all(|w| w[0] > w[1]),
        "distinct, best first: {means:?}"
    );
    let ids: Vec<i64> = items
        .iter()
        .map(|i| i["proposal_id"].as_i64().unwrap())
        .collect();
    assert_eq!(ids, p.proposals, "proposal k was scored around 4.5 - k");

    // The meeting's target shares (50 % each theme) feed the run that names none.
    let run = p
        .app
        .post(
            &format!("/api/v1/meetings/{}/selection", p.meeting),
            Some(&p.sec),
            &json!({"slots_per_type": {"workshop": 2}, "waitlist": 0}),
        )
        .await
        .expect(201)
        .body;
    assert_eq!(run["score_used"], "normalised");
    let notes: Vec<&str> = run["notes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n.as_str().unwrap())
        .collect();
    assert!(
        notes
            .iter()
            .any(|n| n.contains("\"Digital trust\"") && n.contains("at least 45 %")),
        "{notes:?}"
    );
    assert!(
        notes
            .iter()
            .any(|n| n.contains("\"Universal access\"") && n.contains("only 0 candidate")),
        "{notes:?}"
    );
    assert_eq!(
        run["diversity"]["themes"]["Digital trust"]["target_min"], 0.45,
        "{}",
        run["diversity"]
    );
    assert_eq!(run["selected"], 2);
    // A run that names a theme overrides the meeting.
    let run = p
        .app
        .post(
            &format!("/api/v1/meetings/{}/selection", p.meeting),
            Some(&p.sec),
            &json!({"slots_per_type": {"workshop": 2}, "waitlist": 0,
                    "theme_shares": {"Digital trust": {}}, "score": "mean"}),
        )
        .await
        .expect(201)
        .body;
    assert_eq!(run["score_used"], "mean");
    assert!(
        run["diversity"]["themes"]["Digital trust"]
            .get("target_min")
            .is_none_or(|v| v.is_null()),
        "{}",
        run["diversity"]
    );
}

/// Follows a job at `location` until it ends.
async fn ended(p: &Panel, location: &str) -> Value {
    for _ in 0..600 {
        let job = p.app.get(location, Some(&p.sec)).await.expect(200).body;
        if !matches!(job["status"].as_str(), Some("queued" | "running")) {
            return job;
        }
        actix_web::rt::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!("the job at {location} did not end within a minute");
}

#[actix_web::test]
async fn the_assignment_and_the_selection_asked_to_respond_at_once_run_as_jobs_and_store_what_they_would_have()
 {
    let p = panel().await;
    let at_once = [("Prefer", "respond-async")];
    // A request that breaks a rule is refused at once, and nothing is queued.
    p.app
        .send(
            "POST",
            &p.path(),
            Some(&p.sec),
            Some(&json!({"per_proposal": 0})),
            &at_once,
        )
        .await
        .expect(422)
        .only_rule("per_proposal", "range");
    let jobs = format!("/api/v1/meetings/{}/schedule-jobs", p.meeting);
    assert_eq!(p.app.total(&jobs, Some(&p.sec)).await, 0);
    // A schedule job cannot pose as one.
    p.app
        .post(
            &format!("/api/v1/meetings/{}/schedules", p.meeting),
            Some(&p.sec),
            &json!({"kind": "assignment"}),
        )
        .await
        .expect(422)
        .only_rule("kind", "enum");

    let r = p
        .app
        .send(
            "POST",
            &p.path(),
            Some(&p.sec),
            Some(&json!({"per_proposal": 3})),
            &at_once,
        )
        .await
        .expect(202);
    assert_eq!(
        r.header("preference-applied").as_deref(),
        Some("respond-async")
    );
    assert_eq!(r.body["kind"], "assignment");
    assert_eq!(r.body["request"]["per_proposal"], 3);
    let location = r.header("location").unwrap();
    let job = ended(&p, &location).await;
    assert_eq!(job["status"], "succeeded", "{job}");
    assert_eq!(job["errors"], json!([]));
    // Its result is the run the request would have answered, and the pairs are stored.
    let result = &job["result"];
    assert_eq!(result["assignments"], 9, "{result}");
    assert_eq!(result["proposals"], 3, "{result}");
    assert_eq!(p.pairs(&p.sec).await.len(), 9);
    // Its last progress is its own: the phase it ended in, with the best it reached.
    let progress = &job["progress"];
    assert_eq!(progress["phase"], "storing", "{progress}");
    assert_eq!(progress["best"]["what"], "below_coverage", "{progress}");
    assert!(
        progress["best"]["value"].as_f64().unwrap() >= 0.0,
        "{progress}"
    );
    // The same request answered within itself keeps every pair the job stored.
    let again = p
        .app
        .post(&p.path(), Some(&p.sec), &json!({"per_proposal": 3}))
        .await
        .expect(200)
        .body;
    assert_eq!(again["removed"], 0, "{again}");
    assert_eq!(again["assignments"], result["assignments"]);

    p.close_call().await;
    p.set_phase("scoring").await.expect(200);
    p.score_all().await;
    p.set_phase("closed").await.expect(200);
    let sel = format!("/api/v1/meetings/{}/selection", p.meeting);
    // Quotas that cannot hold together end the job as failed, with the fields at fault
    // as the request would have answered them.
    let r = p
        .app
        .send(
            "POST",
            &sel,
            Some(&p.sec),
            Some(&json!({"slots_per_type": {"workshop": 2}, "total": 2,
                         "theme_shares": {"Universal access": {"min": 0.5}}})),
            &at_once,
        )
        .await
        .expect(202);
    let failed = ended(&p, &r.header("location").unwrap()).await;
    assert_eq!(failed["status"], "failed", "{failed}");
    assert!(failed["result"].is_null(), "{failed}");
    let errors = failed["errors"].as_array().unwrap();
    assert!(
        !errors.is_empty()
            && errors
                .iter()
                .all(|e| e["field"] == "quotas" && e["rule"] == "conflict"),
        "{failed}"
    );
    assert!(
        failed["error"]
            .as_str()
            .unwrap()
            .contains("cannot all hold"),
        "{failed}"
    );
    // A programme that can be chosen is, and its run is stored.
    let r = p
        .app
        .send(
            "POST",
            &sel,
            Some(&p.sec),
            Some(&json!({"slots_per_type": {"workshop": 2}, "waitlist": 0})),
            &at_once,
        )
        .await
        .expect(202);
    let job = ended(&p, &r.header("location").unwrap()).await;
    assert_eq!(job["status"], "succeeded", "{job}");
    assert_eq!(job["kind"], "selection");
    assert_eq!(job["result"]["selected"], 2, "{job}");
    assert_eq!(job["progress"]["best"]["what"], "objective", "{job}");
    let run_id = job["result"]["selection_run_id"].as_i64().unwrap();
    let run = p
        .app
        .get(&format!("{sel}/{run_id}"), Some(&p.sec))
        .await
        .expect(200)
        .body;
    assert_eq!(run["selected"], 2, "{run}");
    assert_eq!(run["objective"], job["result"]["objective"]);
    // Every job of the meeting is listed, newest first.
    let listed = p.app.get(&jobs, Some(&p.sec)).await.expect(200).body;
    let kinds: Vec<&str> = listed["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|j| j["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["selection", "selection", "assignment"]);
}
